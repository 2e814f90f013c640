"""The algorithms behind :mod:`pareto.dominance`: the non-dominated filter's pre-filters
and sweeps, and the hypervolume, on checked float64 arrays whose columns are all
maximised. Kernels are compiled through :func:`games._jit.jit` on their first call.

The tuning constants below change how fast the filter runs, never its answer: every
pre-filter is exact, and every path returns the same mask.
"""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor

import numpy as np

from games._jit import jit

__all__ = ["nondominated_mask", "first_occurrences", "hypervolume_positive"]

#: Above this many points, a sample of about this size decides which pre-filter runs
#: first, and the grid filter runs while this many candidates remain.
SAMPLE_SIZE = 4096
#: Above this many points (and up to SAMPLE_SIZE), one pass of the pivots runs first.
PIVOTS_ABOVE = 64
#: When the sample's own pivots keep less than this share of the sample, they make the
#: first pass; below PIVOTS_FIRST_SHARE the exact pivots run before the grid; above
#: PIVOTS_WORTH_SHARE the pivots are skipped after the grid.
SAMPLE_PIVOTS_SHARE = 0.1
PIVOTS_FIRST_SHARE = 0.5
PIVOTS_WORTH_SHARE = 0.98
#: Grid filter: about this many points per cell, at most GRID_MAX_CELLS cells.
GRID_POINTS_PER_CELL = 16
GRID_MAX_CELLS = 2 ** 20
#: d > 3: above this many candidates the k-d tree sweep runs, below it the
#: sort-filter-skyline loop.
TREE_ABOVE = 512
#: Largest number of points in a leaf of the k-d tree.
TREE_LEAF = 32
#: From this many candidates on (with two usable CPUs) the tree sweep runs on two threads.
PARALLEL_ABOVE = 50_000
#: Share of the candidates, in twentieths, that the upper thread sweeps.
UPPER_SHARE_TWENTIETHS = 11


@jit
def row_dominates(a, i, b, k, strict):  # pragma: no cover - compiled
    # Whether row i of a dominates row k of b: at least as large in every column and
    # larger in one (strict: larger in every column). The one dominance test of the
    # kernels below.
    better = False
    for j in range(a.shape[1]):
        if strict:
            if not a[i, j] > b[k, j]:
                return False
        else:
            if a[i, j] < b[k, j]:
                return False
            if a[i, j] > b[k, j]:
                better = True
    return strict or better


def nondominated_mask(x: np.ndarray, strict: bool, tree_above: int = TREE_ABOVE) -> np.ndarray:
    """Mask of the rows of ``x`` (finite, every column maximised) that no row dominates
    (strictly, when ``strict``); see :func:`pareto.nondominated` for the method."""
    n, d = x.shape
    if n == 0:
        return np.zeros(0, dtype=bool)
    if d == 1:
        return x[:, 0] == x[:, 0].max()
    # Pivots: maximisers of strictly positive weighted sums are non-dominated.
    weights = pivot_weights(d)
    candidates = np.arange(n)
    if n > SAMPLE_SIZE:
        # Pivots remove most points of small fronts in one pass; the grid is stronger on
        # big fronts. A sample tells which to run first.
        sample = x[:: max(1, n // SAMPLE_SIZE)]
        sample_pivots = pivot_points(sample, weights)
        kept_by_pivots = pivot_keep(sample, sample_pivots, strict).mean()
        if kept_by_pivots < SAMPLE_PIVOTS_SHARE:
            # the sample's pivots alone leave few points: one pass with them, then the
            # exact pivots, found among the survivors (a maximiser of a positive weighted
            # sum is never dominated)
            candidates = np.flatnonzero(pivot_keep(x, sample_pivots, strict))
            candidates = candidates[prefilter(x[candidates], weights, strict)]
            if len(candidates) > SAMPLE_SIZE:
                candidates = candidates[grid_filter(x, candidates, strict)]
        elif kept_by_pivots < PIVOTS_FIRST_SHARE:
            candidates = np.flatnonzero(prefilter(x, weights, strict))
            if len(candidates) > SAMPLE_SIZE:
                candidates = candidates[grid_filter(x, candidates, strict)]
        else:
            candidates = candidates[grid_filter(x, candidates, strict)]
            # the pivots are worth a pass unless they spared nearly all the sample
            if len(candidates) > PIVOTS_ABOVE and kept_by_pivots < PIVOTS_WORTH_SHARE:
                candidates = candidates[prefilter(x[candidates], weights, strict)]
    elif n > PIVOTS_ABOVE:
        candidates = np.flatnonzero(prefilter(x, weights, strict))
    if d > 3 and len(candidates) > tree_above:
        mask = np.zeros(n, dtype=bool)
        mask[candidates[sweep_orthant(x, strict, rows=candidates)]] = True
        return mask
    sub = x[candidates]
    if d == 2:
        keep = sweep2(sub, strict)
    elif d == 3:
        keep = sweep3(sub, strict)
    else:
        order = np.argsort(-sub.sum(axis=1), kind="stable")
        keep = np.empty(len(sub), dtype=bool)
        keep[order] = sort_filter(np.ascontiguousarray(sub[order]), strict)
    mask = np.zeros(n, dtype=bool)
    mask[candidates[keep]] = True
    return mask


def pivot_weights(d: int) -> np.ndarray:
    """Strictly positive weight vectors: the diagonal and one tilted towards each axis."""
    rows = [np.ones(d)]
    for j in range(d):
        w = np.full(d, 0.25)
        w[j] = 1.0
        rows.append(w)
    return np.ascontiguousarray(np.array(rows))


def first_occurrences(x: np.ndarray, mask: np.ndarray) -> np.ndarray:
    idx = np.flatnonzero(mask)
    _, first = np.unique(x[idx], axis=0, return_index=True)
    out = np.zeros_like(mask)
    out[idx[np.sort(first)]] = True
    return out


def prefilter(x: np.ndarray, weights: np.ndarray, strict: bool) -> np.ndarray:
    """Mask of the rows that none of the pivots of ``x`` (maximisers of the weighted
    sums) dominates."""
    return pivot_keep(x, pivot_points(x, weights), strict)


@jit
def pivot_points(x, weights):  # pragma: no cover - compiled
    # the first row maximising each weighted sum
    n, d = x.shape
    k = weights.shape[0]
    best = np.full(k, -np.inf)
    arg = np.zeros(k, dtype=np.int64)
    for i in range(n):
        for p in range(k):
            s = 0.0
            for j in range(d):
                s += weights[p, j] * x[i, j]
            if s > best[p]:
                best[p] = s
                arg[p] = i
    pivots = np.empty((k, d))
    for p in range(k):
        for j in range(d):
            pivots[p, j] = x[arg[p], j]
    return pivots


@jit
def pivot_keep(x, pivots, strict):  # pragma: no cover - compiled
    # rows that no pivot dominates (any points will do as pivots: the filter is exact)
    n = x.shape[0]
    k = pivots.shape[0]
    keep = np.ones(n, dtype=np.bool_)
    for i in range(n):
        for p in range(k):
            if row_dominates(pivots, p, x, i, strict):
                keep[i] = False
                break
    return keep


def grid_filter(x: np.ndarray, idx: np.ndarray, strict: bool) -> np.ndarray:
    """Exact pre-filter of the rows ``idx`` by a grid on the first d - 1 coordinates: a
    point is dominated by any point in a cell strictly above its own in every gridded axis
    (so strictly larger in each of them) whose last coordinate is at least its own
    (larger when strict). One pass to bin, a suffix maximum over the cells, one pass to
    compare: O(N + cells). Returns a mask over ``idx``."""
    n, d = len(idx), x.shape[1]
    k = d - 1
    per_axis = int(max(2, min((n / GRID_POINTS_PER_CELL) ** (1 / k), GRID_MAX_CELLS ** (1 / k))))
    cells, cell_max = grid_bin(x, idx, per_axis)
    table = cell_max.reshape((per_axis,) * k)
    for axis in range(k):  # maximum over the cells >= in every axis
        table = np.flip(np.maximum.accumulate(np.flip(table, axis), axis=axis), axis)
    above = np.full(table.shape, -np.inf)
    above[(slice(0, -1),) * k] = table[(slice(1, None),) * k]
    return grid_keep(x, idx, cells, np.ascontiguousarray(above).reshape(-1), strict)


@jit
def grid_bin(x, idx, per_axis):  # pragma: no cover - compiled
    n = idx.shape[0]
    d = x.shape[1]
    k = d - 1
    lo = np.full(k, np.inf)
    hi = np.full(k, -np.inf)
    for t in range(n):
        i = idx[t]
        for j in range(k):
            v = x[i, j]
            if v < lo[j]:
                lo[j] = v
            if v > hi[j]:
                hi[j] = v
    scale = np.zeros(k)
    for j in range(k):
        if hi[j] > lo[j]:
            scale[j] = per_axis / (hi[j] - lo[j])
    total = 1
    for _ in range(k):
        total *= per_axis
    cell_max = np.full(total, -np.inf)
    cells = np.empty(n, dtype=np.int64)
    top = per_axis - 1
    for t in range(n):      # the cells first, in a loop of their own (it vectorises)
        i = idx[t]
        c = 0
        for j in range(k):
            c = c * per_axis + min(int((x[i, j] - lo[j]) * scale[j]), top)
        cells[t] = c
    for t in range(n):
        c = cells[t]
        v = x[idx[t], k]
        if v > cell_max[c]:
            cell_max[c] = v
    return cells, cell_max


@jit
def grid_keep(x, idx, cells, above, strict):  # pragma: no cover - compiled
    n = idx.shape[0]
    k = x.shape[1] - 1
    keep = np.empty(n, dtype=np.bool_)
    for t in range(n):
        v = x[idx[t], k]
        bound = above[cells[t]]
        keep[t] = v >= bound if strict else v > bound
    return keep


def order_descending(x: np.ndarray) -> np.ndarray:
    """Row order by the first column descending; ties broken lexicographically on the
    next columns (a plain argsort when the first column has no ties: the order is then
    unique, so an unstable sort gives it)."""
    order = np.argsort(-x[:, 0])
    first = x[order, 0]
    if len(first) > 1 and np.any(first[1:] == first[:-1]):
        return lexsort_descending(x)
    return order


def lexsort_descending(x: np.ndarray) -> np.ndarray:
    """Row order by the first column descending, then the second, ..."""
    keys = tuple(-x[:, j] for j in range(x.shape[1] - 1, -1, -1))
    return np.lexsort(keys)


def sweep2(x: np.ndarray, strict: bool) -> np.ndarray:
    order = np.argsort(-x[:, 0])  # the kernel takes ties in any order
    keep_sorted = sweep2_kernel(np.ascontiguousarray(x[order]), strict)
    keep = np.empty(len(x), dtype=bool)
    keep[order] = keep_sorted
    return keep


@jit
def sweep2_kernel(s, strict):  # pragma: no cover - compiled
    # s sorted by x descending (ties in any order).
    n = s.shape[0]
    keep = np.zeros(n, dtype=np.bool_)
    best_before = -np.inf  # best y among points with a strictly greater x
    i = 0
    while i < n:
        j = i
        group_best = s[i, 1]
        while j < n and s[j, 0] == s[i, 0]:
            if s[j, 1] > group_best:
                group_best = s[j, 1]
            j += 1
        for k in range(i, j):
            y = s[k, 1]
            if strict:
                keep[k] = not (best_before > y)
            else:
                keep[k] = y > best_before and y == group_best
        if group_best > best_before:
            best_before = group_best
        i = j
    return keep


def sweep_orthant(x: np.ndarray, strict: bool, leaf: int = TREE_LEAF,
                  rows: np.ndarray | None = None,
                  parallel_above: int = PARALLEL_ABOVE) -> np.ndarray:
    """Mask over ``rows`` of ``x`` (every row when None) of the rows that no other of
    them dominates; the rows are gathered once, already in sweep order."""
    if rows is None:
        rows = np.arange(len(x))
    if len(rows) >= max(parallel_above, 2) and usable_cpus() >= 2:
        keep = sweep_halves(x, rows, strict, leaf)
        if keep is not None:
            return keep
    order, s = in_sweep_order(x, rows)
    keep = np.empty(len(rows), dtype=bool)
    keep[order] = sweep_tree(s, strict, leaf)[0]
    return keep


def in_sweep_order(x: np.ndarray, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The order of ``rows`` by the first column descending (lexicographically when it
    has ties) and the rows gathered in that order."""
    first = x[rows, 0]
    order = np.argsort(-first)
    if len(order) > 1 and np.any(first[order[1:]] == first[order[:-1]]):
        order = lexsort_descending(x[rows])
    return order, np.ascontiguousarray(x[rows[order]])


def usable_cpus() -> int:
    """CPUs this process may run on (its affinity mask where the system has one)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


def sweep_halves(x: np.ndarray, rows: np.ndarray, strict: bool, leaf: int
                  ) -> np.ndarray | None:
    """The sweep of ``rows`` on two threads: the rows with the largest first coordinates
    (about 55%, ties kept together) and the others are sorted and swept at once, then
    the others' survivors are looked up, in two parts at once, in the upper part's
    finished tree (every upper row has a larger first coordinate). None when every row
    has the same first coordinate."""
    n = len(rows)
    first = x[rows, 0]
    cut = (UPPER_SHARE_TWENTIETHS * n) // 20   # past the middle: the lower rows cost more
    bound = np.partition(first, n - cut)[n - cut]
    is_upper = first >= bound
    upper_at, lower_at = np.flatnonzero(is_upper), np.flatnonzero(~is_upper)
    if not len(lower_at):
        return None
    sweep_tree.compiled()          # compile once, before the threads
    tree_dominated.compiled()

    def sort_and_sweep(at: np.ndarray) -> tuple:
        order, s = in_sweep_order(x, rows[at])
        return (at[order], s) + tuple(sweep_tree(s, strict, leaf))

    with ThreadPoolExecutor(2) as pool:
        (up_at, _, up_keep, *tree), (low_at, low, low_keep, *_) = pool.map(
            sort_and_sweep, (upper_at, lower_at))
        parts = np.array_split(np.flatnonzero(low_keep), 2)
        answers = pool.map(lambda part: tree_dominated(low[part], strict, *tree), parts)
        for part, dominated in zip(parts, answers):
            low_keep[part] = ~dominated
    keep = np.empty(n, dtype=bool)
    keep[up_at] = up_keep
    keep[low_at] = low_keep
    return keep


def sweep3(x: np.ndarray, strict: bool) -> np.ndarray:
    order = order_descending(x)
    keep_sorted = sweep3_kernel(np.ascontiguousarray(x[order]), strict)
    keep = np.empty(len(x), dtype=bool)
    keep[order] = keep_sorted
    return keep


@jit
def staircase_insert(sa, sb, m, a, b):  # pragma: no cover - compiled
    # The staircase sa[:m] ascending, sb[:m] descending holds maximal 2-D points. Insert
    # (a, b) unless a staircase point is >= it in both, removing the points it dominates
    # (a' < a with b' <= b just before its place, a' == a with b' <= b at it). Returns
    # the new length, or -1 when (a, b) is dominated and nothing changed.
    lo = 0
    hi = m
    while lo < hi:
        mid = (lo + hi) // 2
        if sa[mid] < a:
            lo = mid + 1
        else:
            hi = mid
    if lo < m and sb[lo] >= b:
        return -1
    start = lo
    while start > 0 and sb[start - 1] <= b:
        start -= 1
    stop = lo
    while stop < m and sa[stop] == a and sb[stop] <= b:
        stop += 1
    removed = stop - start
    if removed == 0:
        for t in range(m, lo, -1):
            sa[t] = sa[t - 1]
            sb[t] = sb[t - 1]
        sa[lo] = a
        sb[lo] = b
        return m + 1
    sa[start] = a
    sb[start] = b
    shift = removed - 1
    if shift > 0:
        for t in range(stop, m):
            sa[t - shift] = sa[t]
            sb[t - shift] = sb[t]
    return m - shift


@jit
def sweep3_kernel(s, strict):  # pragma: no cover - compiled
    # s sorted lexicographically descending. The staircase (sy ascending, sz descending)
    # holds the maximal (y, z) projections of the kept points inserted so far, all with
    # an x at least as large as the current point's. Runs of identical points share one
    # answer (identical points never dominate each other). Weak dominance inserts each
    # kept run before the next query (a same-x point with a larger (y, z) dominates);
    # strict dominance needs a strictly larger x, so a group of equal x is inserted only
    # once all of it has been queried.
    n = s.shape[0]
    keep = np.zeros(n, dtype=np.bool_)
    sy = np.empty(n + 1)
    sz = np.empty(n + 1)
    pending = np.empty(n, dtype=np.int64)
    n_pending = 0
    m = 0
    k = 0
    while k <= n:
        if n_pending > 0 and (k == n or not strict or s[k, 0] != s[pending[0], 0]):
            for p in range(n_pending):
                grown = staircase_insert(sy, sz, m, s[pending[p], 1], s[pending[p], 2])
                if grown >= 0:
                    m = grown
            n_pending = 0
        if k == n:
            break
        r = k + 1
        while r < n and s[r, 0] == s[k, 0] and s[r, 1] == s[k, 1] and s[r, 2] == s[k, 2]:
            r += 1
        y = s[k, 1]
        z = s[k, 2]
        # query: the first staircase point with y' >= y (y' > y when strict) has the
        # largest z' among those
        lo = 0
        hi = m
        while lo < hi:
            mid = (lo + hi) // 2
            if sy[mid] < y or (strict and sy[mid] == y):
                lo = mid + 1
            else:
                hi = mid
        if strict:
            hit = lo < m and sz[lo] > z
        else:
            hit = lo < m and sz[lo] >= z
        for t in range(k, r):
            keep[t] = not hit
        if not hit:
            pending[n_pending] = k
            n_pending += 1
        k = r
    return keep


@jit
def sort_filter(s, strict):  # pragma: no cover - compiled
    # s sorted by coordinate sum, descending: a dominator comes no later than the points
    # it dominates, except among equal float sums, handled by re-checking those.
    n, d = s.shape
    keep = np.zeros(n, dtype=np.bool_)
    front = np.empty(n, dtype=np.int64)
    sums = np.empty(n)
    for i in range(n):
        t = 0.0
        for j in range(d):
            t += s[i, j]
        sums[i] = t
    f = 0
    for i in range(n):
        dominated = False
        for q in range(f):
            k = front[q]
            if row_dominates(s, k, s, i, strict):
                dominated = True
                # move the successful dominator forward: it is likely to dominate again
                if q > 0:
                    front[q] = front[q - 1]
                    front[q - 1] = k
                break
        if dominated:
            continue
        # front members with the same sum may be dominated by point i
        q = 0
        while q < f:
            k = front[q]
            if sums[k] == sums[i] and row_dominates(s, i, s, k, strict):
                keep[k] = False
                front[q] = front[f - 1]
                f -= 1
                continue
            q += 1
        keep[i] = True
        front[f] = i
        f += 1
    return keep


@jit(nogil=True)
def sweep_tree(s, strict, leaf):  # pragma: no cover - compiled
    # s sorted lexicographically descending (by the first column, ties by the next ones),
    # so every dominator of a point comes before it. Sweep down the first column: a point
    # is dominated exactly when an earlier kept point is at least as large in the other
    # d - 1 columns (strictly larger when strict), an orthant query in d - 1 dimensions.
    # The kept points are indexed by a k-d tree over those columns, built once over all
    # the points (midpoint splits of the cell on its widest axis, leaves of <= `leaf`
    # points); each leaf stores its kept points contiguously, in insertion order, and
    # each node the coordinate-wise maximum of the kept points below it. A query climbs
    # from the point's own leaf (every point has one: the tree is over all of them).
    # Returns the mask and the tree (kept points per leaf, node maxima) for
    # tree_dominated.
    n, d = s.shape
    k = d - 1
    # ---- build: rows of w reordered in place, perm[t] = sorted index of row t
    w = np.empty((n, k))
    for i in range(n):
        for j in range(k):
            w[i, j] = s[i, j + 1]
    perm = np.arange(n)
    cap = 4 * (n // leaf + 1) + 16
    start = np.empty(cap, dtype=np.int64)
    stop = np.empty(cap, dtype=np.int64)
    left = np.full(cap, -1, dtype=np.int64)
    parent = np.full(cap, -1, dtype=np.int64)
    cell_lo = np.empty((cap, k))
    cell_hi = np.empty((cap, k))
    stack = np.empty(cap, dtype=np.int64)
    start[0] = 0
    stop[0] = n
    for j in range(k):
        cell_lo[0, j] = np.inf
        cell_hi[0, j] = -np.inf
    for i in range(n):
        for j in range(k):
            v = w[i, j]
            if v < cell_lo[0, j]:
                cell_lo[0, j] = v
            if v > cell_hi[0, j]:
                cell_hi[0, j] = v
    n_nodes = 1
    top = 0
    stack[top] = 0
    top += 1
    while top > 0:
        top -= 1
        node = stack[top]
        a = start[node]
        b = stop[node]
        if b - a <= leaf or n_nodes + 2 > cap:
            continue
        split = a
        dim = 0
        mid = 0.0
        for attempt in range(2):
            if attempt == 1:  # an empty side: shrink the cell to the points and retry
                for j in range(k):
                    cell_lo[node, j] = np.inf
                    cell_hi[node, j] = -np.inf
                for t in range(a, b):
                    for j in range(k):
                        v = w[t, j]
                        if v < cell_lo[node, j]:
                            cell_lo[node, j] = v
                        if v > cell_hi[node, j]:
                            cell_hi[node, j] = v
            dim = 0
            width = cell_hi[node, 0] - cell_lo[node, 0]
            for j in range(1, k):
                if cell_hi[node, j] - cell_lo[node, j] > width:
                    width = cell_hi[node, j] - cell_lo[node, j]
                    dim = j
            if not width > 0:
                break
            mid = cell_lo[node, dim] / 2 + cell_hi[node, dim] / 2
            if not mid > cell_lo[node, dim]:
                mid = cell_hi[node, dim]
            i = a
            i2 = b - 1
            while i <= i2:
                if w[i, dim] < mid:
                    i += 1
                else:
                    for j in range(k):
                        tmp = w[i, j]
                        w[i, j] = w[i2, j]
                        w[i2, j] = tmp
                    tp = perm[i]
                    perm[i] = perm[i2]
                    perm[i2] = tp
                    i2 -= 1
            split = i
            if a < split < b:
                break
        if not a < split < b:  # identical points: a leaf
            continue
        c = n_nodes  # odd: a node's sibling is the next node if it is odd, else the previous
        n_nodes += 2
        start[c] = a
        stop[c] = split
        start[c + 1] = split
        stop[c + 1] = b
        parent[c] = node
        parent[c + 1] = node
        left[node] = c
        for j in range(k):
            cell_lo[c, j] = cell_lo[node, j]
            cell_hi[c, j] = cell_hi[node, j]
            cell_lo[c + 1, j] = cell_lo[node, j]
            cell_hi[c + 1, j] = cell_hi[node, j]
        cell_hi[c, dim] = mid
        cell_lo[c + 1, dim] = mid
        stack[top] = c
        top += 1
        stack[top] = c + 1
        top += 1
    leaf_of = np.empty(n, dtype=np.int64)
    for node in range(n_nodes):
        if left[node] < 0:
            for t in range(start[node], stop[node]):
                leaf_of[perm[t]] = node
    # ---- sweep: w now holds, leaf by leaf, the kept points inserted so far
    filled = np.zeros(n_nodes, dtype=np.int64)
    node_max = np.full((n_nodes, k), -np.inf)
    keep = np.zeros(n, dtype=np.bool_)
    q = np.empty(k)
    pending = np.empty(n, dtype=np.int64)
    n_pending = 0
    i = 0
    while True:
        # weak dominance inserts each kept run before the next query; strict dominance
        # needs a strictly larger first coordinate, so a group of equal first coordinates
        # is inserted once all of it has been queried
        if n_pending > 0 and (i == n or not strict or s[i, 0] != s[pending[0], 0]):
            for u in range(n_pending):
                r = pending[u]
                node = leaf_of[r]
                t = start[node] + filled[node]
                filled[node] += 1
                for j in range(k):
                    w[t, j] = s[r, j + 1]
                while node >= 0:
                    changed = False
                    for j in range(k):
                        if s[r, j + 1] > node_max[node, j]:
                            node_max[node, j] = s[r, j + 1]
                            changed = True
                    if not changed:
                        break
                    node = parent[node]
            n_pending = 0
        if i == n:
            break
        # a run of identical points shares one answer (they never dominate each other)
        r = i + 1
        while r < n:
            same = True
            for j in range(d):
                if s[r, j] != s[i, j]:
                    same = False
                    break
            if not same:
                break
            r += 1
        # the query corner; strict dominance asks for more than q, that is for at least
        # the next float above q (inputs are finite)
        for j in range(k):
            q[j] = np.nextafter(s[i, j + 1], np.inf) if strict else s[i, j + 1]
        hit = False
        # bottom-up: the query's own leaf, then the sibling subtree of each node on the
        # path to the root (top-down inside it)
        prev = leaf_of[i]
        lf = prev
        for t in range(start[lf], start[lf] + filled[lf]):
            dom = True
            for j in range(k):
                dom &= w[t, j] >= q[j]
            if dom:
                hit = True
                break
        while not hit and prev > 0:
            sib = prev + 1 if prev % 2 == 1 else prev - 1
            prev = parent[prev]
            inside = True
            for j in range(k):
                inside &= node_max[sib, j] >= q[j]
            if not inside:
                continue
            stack[0] = sib
            top = 1
            while top > 0:
                top -= 1
                node = stack[top]
                c = left[node]
                if c < 0:
                    for t in range(start[node], start[node] + filled[node]):
                        dom = True
                        for j in range(k):
                            dom &= w[t, j] >= q[j]
                        if dom:
                            hit = True
                            break
                    if hit:
                        break
                else:
                    for h in range(2):
                        cc = c + h
                        inside = True
                        for j in range(k):
                            inside &= node_max[cc, j] >= q[j]
                        stack[top] = cc
                        top += inside
        for t in range(i, r):
            keep[t] = not hit
        if not hit:
            for t in range(i, r):
                pending[n_pending] = t
                n_pending += 1
        i = r
    return keep, w, start, filled, left, node_max


@jit(nogil=True)
def tree_dominated(rows, strict, w, start, filled, left, node_max):  # pragma: no cover
    # For each row: whether a point kept in a finished sweep_tree tree is at least as
    # large in the last d - 1 columns (strictly larger when strict); top-down search.
    n, d = rows.shape
    k = d - 1
    out = np.zeros(n, dtype=np.bool_)
    stack = np.empty(left.shape[0] + 1, dtype=np.int64)
    q = np.empty(k)
    for i in range(n):
        for j in range(k):
            q[j] = np.nextafter(rows[i, j + 1], np.inf) if strict else rows[i, j + 1]
        hit = False
        stack[0] = 0
        top = 1
        while top > 0 and not hit:
            top -= 1
            node = stack[top]
            inside = True
            for j in range(k):
                inside &= node_max[node, j] >= q[j]
            if not inside:
                continue
            c = left[node]
            if c < 0:
                for t in range(start[node], start[node] + filled[node]):
                    dom = True
                    for j in range(k):
                        dom &= w[t, j] >= q[j]
                    if dom:
                        hit = True
                        break
            else:
                stack[top] = c
                stack[top + 1] = c + 1
                top += 2
        out[i] = hit
    return out


def hypervolume_positive(p: np.ndarray) -> float:
    """Hypervolume of positive points (maximised) against the origin."""
    n, d = p.shape
    if d == 1:
        return float(p[:, 0].max())
    if d == 2:
        order = np.argsort(-p[:, 0], kind="stable")
        xs, ys = p[order, 0], p[order, 1]
        best = np.maximum.accumulate(ys)
        widths = xs - np.append(xs[1:], 0.0)
        return float(np.sum(widths * best))
    if d == 3:
        order = np.argsort(-p[:, 2], kind="stable")
        return float(hv3_kernel(np.ascontiguousarray(p[order])))
    # slicing on the last coordinate: slabs between consecutive distinct heights
    order = np.argsort(-p[:, -1], kind="stable")
    q = p[order]
    heights = q[:, -1]
    total = 0.0
    k = 0
    while k < n:
        h = heights[k]
        k2 = k
        while k2 < n and heights[k2] == h:
            k2 += 1
        lower = heights[k2] if k2 < n else 0.0
        proj = q[:k2, :-1]
        proj = proj[nondominated_mask(proj, False)]
        total += hypervolume_positive(proj) * (h - lower)
        k = k2
    return total


@jit
def hv3_kernel(s):  # pragma: no cover - compiled
    # s sorted by z descending; sweep down in z keeping the 2-D staircase of (x, y)
    # (x ascending, y descending) and its area against the origin.
    n = s.shape[0]
    sx = np.empty(n + 1)
    sy = np.empty(n + 1)
    m = 0
    area = 0.0
    total = 0.0
    i = 0
    while i < n:
        z = s[i, 2]
        j = i
        while j < n and s[j, 2] == z:
            x = s[j, 0]
            y = s[j, 1]
            grown = staircase_insert(sx, sy, m, x, y)
            if grown >= 0:
                m = grown
                # recompute the area of the staircase
                area = 0.0
                prev = 0.0
                for k in range(m):
                    area += (sx[k] - prev) * sy[k]
                    prev = sx[k]
            j += 1
        lower = s[j, 2] if j < n else 0.0
        total += area * (z - lower)
        i = j
    return total
