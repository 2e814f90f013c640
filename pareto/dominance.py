"""Pareto dominance on point sets: the non-dominated filter and the hypervolume indicator.

Conventions: a point set is an ``(N, d)`` array, one row per point; every column is
maximised unless ``maximize`` says otherwise (a bool for all columns or one per column).
``a`` *dominates* ``b`` when ``a >= b`` in every column and ``a > b`` in at least one
(Pareto dominance); ``a`` *strictly dominates* ``b`` when ``a > b`` in every column.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import Any

import numpy as np

from games._jit import jit
from games.errors import InvalidGameError

__all__ = ["nondominated", "hypervolume", "dominates"]


# ---------------------------------------------------------------------------------------
# Input checks


def _as_points(points: Any, field: str = "points") -> np.ndarray:
    """``points`` as a C-contiguous float64 (N, d) array; NaN/inf and bad shapes refused."""
    try:
        arr = np.asarray(points, dtype=np.float64)
    except (TypeError, ValueError) as err:
        raise InvalidGameError(f"{field}: expected an (N, d) array of numbers ({err})") from None
    if arr.ndim == 1:
        arr = arr[:, np.newaxis]
    if arr.ndim != 2:
        raise InvalidGameError(
            f"{field}: expected an (N, d) array (one row per point), found shape {arr.shape}")
    if arr.shape[1] == 0 and arr.shape[0] > 0:
        raise InvalidGameError(f"{field}: expected at least one column, found shape {arr.shape}")
    bad = ~np.isfinite(arr)
    if bad.any():
        row, col = (int(i) for i in np.argwhere(bad)[0])
        raise InvalidGameError(
            f"{field}: expected finite numbers, found {arr[row, col]} at row {row}, column {col}")
    return np.ascontiguousarray(arr)


def _signs(maximize: bool | Sequence[bool], d: int) -> np.ndarray:
    """+1 for a maximised column, -1 for a minimised one."""
    if isinstance(maximize, (bool, np.bool_)):
        return np.full(d, 1.0 if maximize else -1.0)
    flags = list(maximize)
    if len(flags) != d or not all(isinstance(f, (bool, np.bool_)) for f in flags):
        raise InvalidGameError(
            f"maximize: expected True, False or {d} booleans (one per column), found {maximize!r}")
    return np.where(np.array(flags, dtype=bool), 1.0, -1.0)


def _oriented(points: Any, maximize: bool | Sequence[bool]) -> np.ndarray:
    """Points with every column turned into one to maximise (negation is exact)."""
    arr = _as_points(points)
    signs = _signs(maximize, arr.shape[1])
    if np.all(signs > 0):
        return arr
    return np.ascontiguousarray(arr * signs)


def dominates(a: Any, b: Any, maximize: bool | Sequence[bool] = True,
              strict: bool = False) -> bool:
    """Whether point ``a`` (Pareto-)dominates point ``b``; strictly when ``strict``."""
    pts = _oriented(np.vstack([np.ravel(a), np.ravel(b)]), maximize)
    x, y = pts
    if strict:
        return bool(np.all(x > y))
    return bool(np.all(x >= y) and np.any(x > y))


# ---------------------------------------------------------------------------------------
# The non-dominated filter


def nondominated(points: Any, maximize: bool | Sequence[bool] = True, strict: bool = False,
                 keep_duplicates: bool = True) -> np.ndarray:
    r"""Boolean mask of the non-dominated rows of an ``(N, d)`` array.

    Row ``i`` is kept when no row dominates it: with ``strict=False`` (Pareto optimality)
    no row ``j`` has :math:`x_j \ge x_i` everywhere and :math:`x_j > x_i` somewhere; with
    ``strict=True`` (weak Pareto optimality, a larger set) no row has :math:`x_j > x_i`
    in every column. Identical rows never dominate each other, so duplicates of a
    non-dominated point are all kept, unless ``keep_duplicates=False`` keeps only the
    first occurrence.

    Method: exact pre-filters first remove most dominated points: the points dominated
    by a few pivots (each pivot maximises a strictly positive weighted sum, so it is
    itself non-dominated) and, on large inputs, a grid filter (below); a sample decides
    which runs first, whether the pivots are worth a pass at all, and whether the
    sample's own pivots can do the first pass (when they leave few points; the exact
    pivots are then found among the survivors). Then
    - d = 1: the maximum;
    - d = 2: sort on the first coordinate (descending) and one sweep keeping the best
      second coordinate seen, a group of equal first coordinates at a time: O(N log N);
    - d = 3: sort on the first coordinate and sweep with a sorted staircase of the
      (y, z) projections of the points kept so far (binary search; Kung, Luccio &
      Preparata 1975): O(N log N) comparisons;
    - d > 3, up to 512 candidates: sort by the coordinate sum (a dominator never has a
      smaller float sum, since rounded addition is monotone) and compare each point only
      with the non-dominated points found so far (the sort-filter-skyline idea, Chomicki
      et al. 2003), compiled;
    - d > 3, beyond: a sweep down the first coordinate (sorted lexicographically, so
      every dominator comes first; Kung, Luccio & Preparata 1975): a point is dominated
      exactly when a point kept earlier is at least as large in the other d - 1
      coordinates (strictly larger for strict dominance, with a group of equal first
      coordinates added only once all of it is answered). That (d - 1)-dimensional
      orthant query runs on a k-d tree over the last d - 1 coordinates, built once over
      all the candidates (midpoint splits of the cell on its widest axis, leaves of 32);
      each node holds the coordinate-wise maximum of the kept points below it and each
      leaf its kept points contiguously. A query starts at the point's own leaf and
      climbs to the root, searching only the sibling subtrees whose maximum could hold a
      dominator (nearby ones first). Runs of identical points share one query.
      From 50,000 candidates on, when the process may use two or more CPUs, the sweep
      runs on two threads: the candidates with the largest first coordinates (about
      55%, ties kept together) and the rest are sorted and swept at once, then the
      survivors of the rest are looked up, in two parts at once, in the upper part's
      finished tree (top-down).
    The grid filter (inputs beyond 4096 points): a point is dropped when a
    grid cell strictly above its own in the first d - 1 axes holds a point at least as
    large in the last one (one binning pass and a suffix maximum over the cells).
    Memory: the oriented float64 copy of the points, a sorted copy of the candidates and
    O(N d) for the tree; never an N x N matrix.

    Parameters
    ----------
    points : array_like, shape (N, d)
        Finite numbers (integers and fractions are compared as float64).
    maximize : bool or sequence of bool
        Maximise every column (default), minimise every column, or one flag per column.
    strict : bool
        Use strict dominance (keep the weakly Pareto-optimal rows).
    keep_duplicates : bool
        Keep every copy of a non-dominated row (default) or the first only.

    Returns
    -------
    ndarray of bool, shape (N,)

    Raises
    ------
    InvalidGameError
        NaN or infinite values, a shape that is not (N, d), a bad ``maximize``.

    References
    ----------
    Kung, H. T., Luccio, F. & Preparata, F. P. (1975). On finding the maxima of a set of
    vectors. Journal of the ACM 22(4), 469-476.

    Examples
    --------
    >>> nondominated([[1, 2], [2, 1], [1, 1], [2, 1]]).tolist()
    [True, True, False, True]
    >>> nondominated([[1, 2], [2, 1], [1, 1]], maximize=False).tolist()
    [False, False, True]
    """
    x = _oriented(points, maximize)
    n, d = x.shape
    if n == 0:
        return np.zeros(0, dtype=bool)
    if d == 1:
        mask = x[:, 0] == x[:, 0].max()
    else:
        mask = _nondominated_oriented(x, strict)
    if not keep_duplicates and mask.any():
        mask = _first_occurrences(x, mask)
    return mask


def _nondominated_oriented(x: np.ndarray, strict: bool, tree_above: int = 512) -> np.ndarray:
    n, d = x.shape
    # Pivots: maximisers of strictly positive weighted sums are non-dominated.
    weights = _pivot_weights(d)
    candidates = np.arange(n)
    if n > 4096:
        # Pivots remove most points of small fronts in one pass; the grid is stronger on
        # big fronts. A sample tells which to run first.
        sample = x[:: max(1, n // 4096)]
        sample_pivots = _pivot_points(sample, weights)
        kept_by_pivots = _pivot_keep(sample, sample_pivots, strict).mean()
        if kept_by_pivots < 0.1:
            # the sample's pivots alone leave few points: one pass with them, then the
            # exact pivots, found among the survivors (a maximiser of a positive weighted
            # sum is never dominated)
            candidates = np.flatnonzero(_pivot_keep(x, sample_pivots, strict))
            candidates = candidates[_prefilter(x[candidates], weights, strict)]
            if len(candidates) > 4096:
                candidates = candidates[_grid_filter(x, candidates, strict)]
        elif kept_by_pivots < 0.5:
            candidates = np.flatnonzero(_prefilter(x, weights, strict))
            if len(candidates) > 4096:
                candidates = candidates[_grid_filter(x, candidates, strict)]
        else:
            candidates = candidates[_grid_filter(x, candidates, strict)]
            # the pivots are worth a pass unless they spared nearly all the sample
            if len(candidates) > 64 and kept_by_pivots < 0.98:
                candidates = candidates[_prefilter(x[candidates], weights, strict)]
    elif n > 64:
        candidates = np.flatnonzero(_prefilter(x, weights, strict))
    if d > 3 and len(candidates) > tree_above:
        mask = np.zeros(n, dtype=bool)
        mask[candidates[_sweep_orthant(x, strict, rows=candidates)]] = True
        return mask
    sub = x[candidates]
    if d == 2:
        keep = _sweep2(sub, strict)
    elif d == 3:
        keep = _sweep3(sub, strict)
    else:
        order = np.argsort(-sub.sum(axis=1), kind="stable")
        keep = np.empty(len(sub), dtype=bool)
        keep[order] = _sort_filter(np.ascontiguousarray(sub[order]), strict)
    mask = np.zeros(n, dtype=bool)
    mask[candidates[keep]] = True
    return mask


def _pivot_weights(d: int) -> np.ndarray:
    """Strictly positive weight vectors: the diagonal and one tilted towards each axis."""
    rows = [np.ones(d)]
    for j in range(d):
        w = np.full(d, 0.25)
        w[j] = 1.0
        rows.append(w)
    return np.ascontiguousarray(np.array(rows))


def _first_occurrences(x: np.ndarray, mask: np.ndarray) -> np.ndarray:
    idx = np.flatnonzero(mask)
    _, first = np.unique(x[idx], axis=0, return_index=True)
    out = np.zeros_like(mask)
    out[idx[np.sort(first)]] = True
    return out


def _prefilter(x: np.ndarray, weights: np.ndarray, strict: bool) -> np.ndarray:
    """Mask of the rows that none of the pivots of ``x`` (maximisers of the weighted
    sums) dominates."""
    return _pivot_keep(x, _pivot_points(x, weights), strict)


@jit
def _pivot_points(x, weights):  # pragma: no cover - compiled
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
def _pivot_keep(x, pivots, strict):  # pragma: no cover - compiled
    # rows that no pivot dominates (any points will do as pivots: the filter is exact)
    n, d = x.shape
    k = pivots.shape[0]
    keep = np.ones(n, dtype=np.bool_)
    for i in range(n):
        for p in range(k):
            dominated = True
            better = False
            for j in range(d):
                if strict:
                    if not pivots[p, j] > x[i, j]:
                        dominated = False
                        break
                else:
                    if pivots[p, j] < x[i, j]:
                        dominated = False
                        break
                    if pivots[p, j] > x[i, j]:
                        better = True
            if dominated and (strict or better):
                keep[i] = False
                break
    return keep


def _grid_filter(x: np.ndarray, idx: np.ndarray, strict: bool) -> np.ndarray:
    """Exact pre-filter of the rows ``idx`` by a grid on the first d - 1 coordinates: a
    point is dominated by any point in a cell strictly above its own in every gridded axis
    (so strictly larger in each of them) whose last coordinate is at least its own
    (larger when strict). One pass to bin, a suffix maximum over the cells, one pass to
    compare: O(N + cells). Returns a mask over ``idx``."""
    n, d = len(idx), x.shape[1]
    k = d - 1
    per_axis = int(max(2, min((n / 16) ** (1 / k), (2 ** 20) ** (1 / k))))
    cells, cell_max = _grid_bin(x, idx, per_axis)
    table = cell_max.reshape((per_axis,) * k)
    for axis in range(k):  # maximum over the cells >= in every axis
        table = np.flip(np.maximum.accumulate(np.flip(table, axis), axis=axis), axis)
    above = np.full(table.shape, -np.inf)
    above[(slice(0, -1),) * k] = table[(slice(1, None),) * k]
    return _grid_keep(x, idx, cells, np.ascontiguousarray(above).reshape(-1), strict)


@jit
def _grid_bin(x, idx, per_axis):  # pragma: no cover - compiled
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
def _grid_keep(x, idx, cells, above, strict):  # pragma: no cover - compiled
    n = idx.shape[0]
    k = x.shape[1] - 1
    keep = np.empty(n, dtype=np.bool_)
    for t in range(n):
        v = x[idx[t], k]
        bound = above[cells[t]]
        keep[t] = v >= bound if strict else v > bound
    return keep


def _order_descending(x: np.ndarray) -> np.ndarray:
    """Row order by the first column descending; ties broken lexicographically on the
    next columns (a plain argsort when the first column has no ties: the order is then
    unique, so an unstable sort gives it)."""
    order = np.argsort(-x[:, 0])
    first = x[order, 0]
    if len(first) > 1 and np.any(first[1:] == first[:-1]):
        return _lexsort_descending(x)
    return order


def _lexsort_descending(x: np.ndarray) -> np.ndarray:
    """Row order by the first column descending, then the second, ..."""
    keys = tuple(-x[:, j] for j in range(x.shape[1] - 1, -1, -1))
    return np.lexsort(keys)


def _sweep2(x: np.ndarray, strict: bool) -> np.ndarray:
    order = np.argsort(-x[:, 0])  # the kernel takes ties in any order
    keep_sorted = _sweep2_kernel(np.ascontiguousarray(x[order]), strict)
    keep = np.empty(len(x), dtype=bool)
    keep[order] = keep_sorted
    return keep


@jit
def _sweep2_kernel(s, strict):  # pragma: no cover - compiled
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


def _sweep_orthant(x: np.ndarray, strict: bool, leaf: int = 32,
                   rows: np.ndarray | None = None, parallel_above: int = 50_000) -> np.ndarray:
    """Mask over ``rows`` of ``x`` (every row when None) of the rows that no other of
    them dominates; the rows are gathered once, already in sweep order."""
    if rows is None:
        rows = np.arange(len(x))
    if len(rows) >= max(parallel_above, 2) and _usable_cpus() >= 2:
        keep = _sweep_halves(x, rows, strict, leaf)
        if keep is not None:
            return keep
    order, s = _in_sweep_order(x, rows)
    keep = np.empty(len(rows), dtype=bool)
    keep[order] = _sweep_tree(s, strict, leaf)[0]
    return keep


def _in_sweep_order(x: np.ndarray, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The order of ``rows`` by the first column descending (lexicographically when it
    has ties) and the rows gathered in that order."""
    first = x[rows, 0]
    order = np.argsort(-first)
    if len(order) > 1 and np.any(first[order[1:]] == first[order[:-1]]):
        order = _lexsort_descending(x[rows])
    return order, np.ascontiguousarray(x[rows[order]])


def _usable_cpus() -> int:
    """CPUs this process may run on (its affinity mask where the system has one)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


def _sweep_halves(x: np.ndarray, rows: np.ndarray, strict: bool, leaf: int
                  ) -> np.ndarray | None:
    """The sweep of ``rows`` on two threads: the rows with the largest first coordinates
    (about 55%, ties kept together) and the others are sorted and swept at once, then
    the others' survivors are looked up, in two parts at once, in the upper part's
    finished tree (every upper row has a larger first coordinate). None when every row
    has the same first coordinate."""
    n = len(rows)
    first = x[rows, 0]
    cut = (11 * n) // 20     # a little past the middle: the lower rows tend to cost more
    bound = np.partition(first, n - cut)[n - cut]
    is_upper = first >= bound
    upper_at, lower_at = np.flatnonzero(is_upper), np.flatnonzero(~is_upper)
    if not len(lower_at):
        return None
    from concurrent.futures import ThreadPoolExecutor

    _sweep_tree.compiled()          # compile once, before the threads
    _tree_dominated.compiled()

    def sort_and_sweep(at: np.ndarray) -> tuple:
        order, s = _in_sweep_order(x, rows[at])
        return (at[order], s) + tuple(_sweep_tree(s, strict, leaf))

    with ThreadPoolExecutor(2) as pool:
        (up_at, _, up_keep, *tree), (low_at, low, low_keep, *_) = pool.map(
            sort_and_sweep, (upper_at, lower_at))
        parts = np.array_split(np.flatnonzero(low_keep), 2)
        answers = pool.map(lambda part: _tree_dominated(low[part], strict, *tree), parts)
        for part, dominated in zip(parts, answers):
            low_keep[part] = ~dominated
    keep = np.empty(n, dtype=bool)
    keep[up_at] = up_keep
    keep[low_at] = low_keep
    return keep


def _sweep3(x: np.ndarray, strict: bool) -> np.ndarray:
    order = _order_descending(x)
    keep_sorted = _sweep3_kernel(np.ascontiguousarray(x[order]), strict)
    keep = np.empty(len(x), dtype=bool)
    keep[order] = keep_sorted
    return keep


@jit
def _staircase_insert(sa, sb, m, a, b):  # pragma: no cover - compiled
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
def _sweep3_kernel(s, strict):  # pragma: no cover - compiled
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
                grown = _staircase_insert(sy, sz, m, s[pending[p], 1], s[pending[p], 2])
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
def _sort_filter(s, strict):  # pragma: no cover - compiled
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
            dom = True
            better = False
            for j in range(d):
                if strict:
                    if not s[k, j] > s[i, j]:
                        dom = False
                        break
                else:
                    if s[k, j] < s[i, j]:
                        dom = False
                        break
                    if s[k, j] > s[i, j]:
                        better = True
            if dom and (strict or better):
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
            if sums[k] == sums[i]:
                dom = True
                better = False
                for j in range(d):
                    if strict:
                        if not s[i, j] > s[k, j]:
                            dom = False
                            break
                    else:
                        if s[i, j] < s[k, j]:
                            dom = False
                            break
                        if s[i, j] > s[k, j]:
                            better = True
                if dom and (strict or better):
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
def _sweep_tree(s, strict, leaf):  # pragma: no cover - compiled
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
    # _tree_dominated.
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
def _tree_dominated(rows, strict, w, start, filled, left, node_max):  # pragma: no cover
    # For each row: whether a point kept in a finished _sweep_tree tree is at least as
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


# ---------------------------------------------------------------------------------------
# Hypervolume


def hypervolume(points: Any, reference: Any, maximize: bool | Sequence[bool] = True) -> float:
    r"""The hypervolume indicator: the measure of the region dominated by ``points`` and
    bounded by ``reference``.

    .. math:: HV(P, r) = \lambda\Big(\bigcup_{p \in P} [r, p]\Big)

    for maximisation (boxes from the reference up to each point; for a minimised column
    the box runs from the point up to the reference). Points that do not strictly beat the
    reference in every column contribute nothing.

    Method: exact for every d. d = 1: a length; d = 2: sort and sum rectangles,
    O(N log N); d = 3: a sweep over the third coordinate keeping the 2-D staircase and its
    area, compiled; d > 3: hypervolume by slicing objectives (While, Hingston, Barone &
    Bolton 2006): sort on the last coordinate and sum the (d - 1)-dimensional volumes of
    the slabs, recursively down to the 3-D sweep (exponential in d in the worst case,
    fine for the front sizes of games).

    Parameters
    ----------
    points : array_like, shape (N, d)
    reference : array_like, shape (d,)
        A point every counted point beats (below every maximised column).
    maximize : bool or sequence of bool

    Returns
    -------
    float

    References
    ----------
    While, L., Hingston, P., Barone, L. & Huband, S. (2006). A faster algorithm for
    calculating hypervolume. IEEE Transactions on Evolutionary Computation 10(1), 29-38.
    Beume, N., Fonseca, C. M., Lopez-Ibanez, M., Paquete, L. & Vahrenhold, J. (2009). On
    the complexity of computing the hypervolume indicator. IEEE TEC 13(5), 1075-1082.

    Examples
    --------
    >>> hypervolume([[1, 2], [2, 1]], reference=[0, 0])
    3.0
    >>> hypervolume([[1, 1, 1]], reference=[0, 0, 0])
    1.0
    """
    x = _as_points(points)
    ref = _as_points(np.ravel(np.asarray(reference, dtype=np.float64)), "reference")[:, 0]
    n, d = x.shape
    if ref.shape != (d,):
        raise InvalidGameError(
            f"reference: expected {d} coordinates (one per column of points), found {ref.shape[0]}")
    signs = _signs(maximize, d)
    # minimisation form relative to the reference: lengths r - p >= 0 in every column
    rel = (x - ref) * signs
    rel = rel[np.all(rel > 0, axis=1)]
    if len(rel) == 0:
        return 0.0
    rel = rel[nondominated(rel)]
    return float(_hv_max_origin(rel))


def _hv_max_origin(p: np.ndarray) -> float:
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
        return float(_hv3_kernel(np.ascontiguousarray(p[order])))
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
        proj = proj[nondominated(proj)]
        total += _hv_max_origin(proj) * (h - lower)
        k = k2
    return total


@jit
def _hv3_kernel(s):  # pragma: no cover - compiled
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
            grown = _staircase_insert(sx, sy, m, x, y)
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
