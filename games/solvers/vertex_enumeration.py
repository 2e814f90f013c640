"""Every extreme Nash equilibrium of a two-player game, by vertex enumeration of the
best-response polytopes, with the maximal Nash subsets (cliques) that show continua.

The best-response polytopes of a bimatrix game ``(A, B)`` with positive payoffs are

    P = {x >= 0 : B^T x <= 1}      labels: x_i = 0 -> i,  (B^T x)_j = 1 -> m + j
    Q = {y >= 0 : A y <= 1}        labels: (A y)_i = 1 -> i,  y_j = 0 -> m + j

and the extreme equilibria are the completely labelled vertex pairs ``(x, y) != (0, 0)``,
normalised (Avis, Rosenberg, Savani & von Stengel 2010). Vertices are enumerated by a
depth-first walk over the *lexicographically feasible* bases of each polytope (the
vertices of the perturbed, simple polytope ``B^T x <= 1 + (eps, eps^2, ...)``), so the
walk reaches every vertex also in degenerate games, where a vertex has more than ``m``
labels. Float games use a compiled kernel (:mod:`games.solvers._vertex_enumeration_kernels`:
a branch-free ratio test, and each edge of the perturbed polytope ratio-tested from one end
only); exact games pivot on integers (fraction-free, Edmonds 1967), so the answer is
exact end to end.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import numpy as np

from games.arguments import check_flag
from games.errors import InvalidArgumentError, SolverError
from games.model import Game
from games.results import Equilibrium, EquilibriumSet, make_equilibrium, tolerance
from games.solvers._vertex_enumeration_kernels import (
    full_words,
    match_complements,
    match_labels,
    walk,
    zobrist_keys,
)
from games.solvers.common import check_two_players, exact_solve, positive_ints
from games.tolerance import payoff_scale

__all__ = ["all_equilibria", "maximal_nash_subsets", "is_degenerate"]

METHOD = "vertex_enumeration"
#: Largest number of bases the float walk keeps before it gives up (memory guard).
MAX_BASES = 5_000_000
#: Float walk on payoffs mapped onto [1, 2]: ratios within this are ties (lexicographic
#: rule), and a coordinate at most this carries the label "zero". One order of magnitude
#: below the certificate's relative tolerance (games.tolerance.RELATIVE_TOLERANCE), so a
#: best-response tie the walk accepts is always within the tolerance the answer is
#: verified against.
WALK_TOLERANCE = 1e-10


def all_equilibria(game: Game, exact: bool | None = None) -> EquilibriumSet:
    r"""Every extreme Nash equilibrium of a two-player game, with its maximal Nash subsets.

    The extreme equilibria are the completely labelled pairs of vertices of the
    best-response polytopes :math:`P = \{x \ge 0: B^\top x \le 1\}` and
    :math:`Q = \{y \ge 0: A y \le 1\}` (payoffs shifted to be positive); every Nash
    equilibrium is a convex combination of extreme equilibria inside one *maximal Nash
    subset*, a product :math:`X' \times Y'` of the convex hulls of sets of extreme
    strategies in which every :math:`x \in X'` is an equilibrium with every
    :math:`y \in Y'`. The vertices are enumerated by a walk over lexicographically
    feasible bases, so degenerate games (ties, duplicate strategies) are complete too.

    Parameters
    ----------
    game : Game
        A two-player game.
    exact : bool, optional
        Exact rational arithmetic (integer pivoting) end to end. Default: the game's own
        arithmetic. ``True`` on a float game enumerates in floats, then recomputes each
        equilibrium exactly from its labels in the game read as exact (each float is the
        fraction of its shortest decimal text, :meth:`Game.to_exact`) and verifies it
        (falling back to an exact enumeration if any check fails). ``False`` on an exact
        game solves its float version.

    Returns
    -------
    EquilibriumSet
        ``complete=True``; ordered lexicographically (largest probability of the first
        action first); ``degenerate`` says whether the game is degenerate (some mixed
        strategy with ``k`` actions in its support has more than ``k`` pure best
        responses); ``components`` holds the maximal Nash subsets as index sets into the
        set (the clique ``X' x Y'`` is the set of its extreme equilibria; see
        :func:`maximal_nash_subsets` for the ``(X', Y')`` form). A game with an isolated
        equilibrium has that equilibrium as a singleton subset.

    Raises
    ------
    InvalidGameError
        When the game does not have exactly two players.

    References
    ----------
    Avis, D., Rosenberg, G. D., Savani, R. & von Stengel, B. (2010). Enumeration of Nash
    equilibria for two-player games. Economic Theory 42, 9-37.
    von Stengel, B. (2002). Computing equilibria for two-person games. Handbook of Game
    Theory 3, ch. 45.

    Examples
    --------
    >>> import games
    >>> bos = games.Game.from_bimatrix([[2, 0], [0, 1]], [[1, 0], [0, 2]])
    >>> eqs = games.all_equilibria(bos)
    >>> len(eqs), eqs.complete, eqs.degenerate
    (3, True, False)
    >>> [list(map(str, e.strategies[0])) for e in eqs]
    [['1', '0'], ['2/3', '1/3'], ['0', '1']]
    """
    check_flag(exact, "exact", optional=True)
    check_two_players(game, "all_equilibria")
    if exact is None:
        exact = game.exact
    if exact and game.exact:
        return _exact_enumeration(game)
    if not exact:
        fgame = game.to_float() if game.exact else game
        pairs, degenerate, px, qy = _float_enumeration(fgame)
        equilibria = make_float_equilibria(fgame, px, qy, pairs, METHOD)
        if pairs:   # the order of Equilibrium.sort_key, by one stable lexicographic sort
            Is, J = zip(*pairs)
            keys = np.hstack([px[list(Is)], qy[list(J)]])
            order = np.lexsort(-keys[:, ::-1].T).tolist()
            pairs = [pairs[k] for k in order]
            equilibria = [equilibria[k] for k in order]
        return _build_set(fgame, equilibria, pairs, degenerate, exact=False, ordered=True)
    # exact=True on a float game: float walk, then exact recomputation from the labels
    egame = game.to_exact()
    try:
        return _rationalised(game, egame)
    except (SolverError, np.linalg.LinAlgError, ZeroDivisionError):
        return _exact_enumeration(egame)


def is_degenerate(game: Game) -> bool:
    """Whether a two-player game is degenerate: some mixed strategy with ``k`` actions in
    its support has more than ``k`` pure best responses (von Stengel 2002, Def. 3.2).

    Decided exactly on exact games (some vertex of a best-response polytope has more
    labels than its dimension).

    Examples
    --------
    >>> import games
    >>> is_degenerate(games.Game.from_bimatrix([[1, 1], [0, 2]], [[1, 1], [0, 1]]))
    True
    """
    check_two_players(game, "is_degenerate")
    if game.exact:
        return _exact_enumeration(game).degenerate
    return _float_enumeration(game)[1]


def maximal_nash_subsets(equilibria: EquilibriumSet
                         ) -> list[tuple[tuple[int, ...], tuple[int, ...]]]:
    """The maximal Nash subsets of a two-player :func:`all_equilibria` result as pairs
    ``(rows, columns)``: indices of the distinct extreme strategies of player 1 and of
    player 2 (in order of first appearance in the set), such that every row strategy is
    an equilibrium with every column strategy.

    Returns
    -------
    list of (tuple of int, tuple of int)
        One pair per clique, in the order of ``equilibria.components``.
    """
    if equilibria.components is None:
        raise InvalidArgumentError(
            "equilibria: expected a result of all_equilibria with components, found "
            "components=None")
    xs, ys = _distinct_sides(equilibria)
    out = []
    for comp in equilibria.components:
        rows = sorted({xs[k] for k in comp})
        cols = sorted({ys[k] for k in comp})
        out.append((tuple(rows), tuple(cols)))
    return out


# ---------------------------------------------------------------------------------------
# Shared pieces


def _distinct_sides(equilibria: Any) -> tuple[list[int], list[int]]:
    """Index of each equilibrium's row strategy and column strategy among the distinct ones."""
    xs: dict[Any, int] = {}
    ys: dict[Any, int] = {}
    rows, cols = [], []
    for e in equilibria:
        kx = tuple(e.strategies[0].tolist())
        ky = tuple(e.strategies[1].tolist())
        rows.append(xs.setdefault(kx, len(xs)))
        cols.append(ys.setdefault(ky, len(ys)))
    return rows, cols


def _cliques(pairs: list[tuple[int, int]]) -> list[tuple[frozenset, frozenset]]:
    """Maximal bicliques ``(X', Y')`` of the bipartite graph with edges ``pairs``.

    The column side of a maximal biclique is closed: ``Y' = N(N(Y'))``; the closed sets
    are exactly the non-empty intersections of neighbourhoods ``N(x)``, computed as a
    fixed point of pairwise intersections.
    """
    nbr_x: dict[int, set] = {}
    nbr_y: dict[int, set] = {}
    for i, j in pairs:
        nbr_x.setdefault(i, set()).add(j)
        nbr_y.setdefault(j, set()).add(i)
    closed: set[frozenset] = {frozenset(v) for v in nbr_x.values()}
    frontier = list(closed)
    base = list(closed)
    while frontier:
        new = []
        for s in frontier:
            for t in base:
                u = s & t
                if u and u not in closed:
                    closed.add(u)
                    new.append(u)
        frontier = new
    out = []
    for ys in closed:
        xs = frozenset.intersection(*(frozenset(nbr_y[j]) for j in ys))
        out.append((xs, ys))
    return out


def _build_set(game: Game, equilibria: list[Equilibrium], pairs: list[tuple[int, int]],
               degenerate: bool, exact: bool, parameters: dict | None = None,
               ordered: bool = False) -> EquilibriumSet:
    """The result set; ``ordered=True`` when ``equilibria`` already follow
    :meth:`Equilibrium.sort_key`."""
    if not ordered:
        order = sorted(range(len(equilibria)), key=lambda k: equilibria[k].sort_key())
        equilibria = [equilibria[k] for k in order]
        pairs = [pairs[k] for k in order]
    where = {p: k for k, p in enumerate(pairs)}
    if degenerate:
        components = []
        for xs, ys in _cliques(pairs):
            components.append(tuple(sorted(where[(i, j)] for i in xs for j in ys)))
        components.sort()
    else:   # a nondegenerate game has isolated equilibria only
        components = [(k,) for k in range(len(pairs))]
    params = {"exact": exact}
    params.update(parameters or {})
    return EquilibriumSet(equilibria, method=METHOD, complete=True, parameters=params,
                          degenerate=degenerate, components=components, game=game, sort=False)


def make_float_equilibria(game: Game, xs: np.ndarray, ys: np.ndarray,
                          pairs: list[tuple[int, int]], method: str) -> list[Equilibrium]:
    """Build and verify many float equilibria of a two-player game at once: the regret of
    each pair ``(xs[i], ys[j])`` is computed in one matrix product and must be at most
    :func:`games.results.tolerance` (the check :func:`make_equilibrium` makes)."""
    if not pairs:
        return []
    A, B = game.float_payoffs[0], game.float_payoffs[1]
    Is = np.array([p[0] for p in pairs])
    J = np.array([p[1] for p in pairs])
    X, Y = xs[Is], ys[J]
    Ay = Y @ A.T                      # (k, m): payoff of each row against y
    xB = X @ B                        # (k, n)
    u = np.einsum("ki,ki->k", X, Ay)
    v = np.einsum("kj,kj->k", xB, Y)
    regrets = np.maximum(np.maximum(Ay.max(axis=1) - u, xB.max(axis=1) - v), 0.0)
    limit = tolerance(game)
    bad = np.flatnonzero(regrets > limit)
    if len(bad):
        k = bad[0]
        raise SolverError(f"{method}: the profile ({X[k].tolist()}, {Y[k].tolist()}) is not an "
                          f"equilibrium: a player gains {regrets[k]:.3g} by deviating "
                          f"(expected at most {limit})")
    # one read-only copy per side; each equilibrium holds row views of it
    index_x: dict[int, int] = {}
    index_y: dict[int, int] = {}
    ri = [index_x.setdefault(p[0], len(index_x)) for p in pairs]
    rj = [index_y.setdefault(p[1], len(index_y)) for p in pairs]
    rows_x = list(_frozen(xs[list(index_x)]))
    rows_y = list(_frozen(ys[list(index_y)]))
    rows_p = list(_frozen(np.column_stack([u, v])))
    return [Equilibrium(strategies=(rows_x[i], rows_y[j]), payoffs=pay, regret=r, exact=False,
                        method=method, game=game)
            for i, j, pay, r in zip(ri, rj, rows_p, regrets.tolist())]


def _frozen(a: np.ndarray) -> np.ndarray:
    a = np.array(a, dtype=np.float64)
    a.flags.writeable = False
    return a


def _label_words(masks: np.ndarray) -> np.ndarray:
    """Boolean label matrix (k, L) -> packed uint64 words (k, ceil(L / 64))."""
    k, n_labels = masks.shape
    n_words = max(1, (n_labels + 63) // 64)
    words = np.zeros((k, n_words), dtype=np.uint64)
    for w in range(n_words):
        chunk = masks[:, 64 * w: 64 * (w + 1)]
        weights = (np.uint64(1) << np.arange(chunk.shape[1], dtype=np.uint64))
        words[:, w] = (chunk.astype(np.uint64) * weights).sum(axis=1, dtype=np.uint64)
    return words


# ---------------------------------------------------------------------------------------
# Float path: compiled walk over lexicographically feasible bases


def _positive(M: np.ndarray) -> np.ndarray:
    """``M`` affinely mapped into [1, 2] (equilibria do not change)."""
    lo, hi = float(M.min()), float(M.max())
    span = hi - lo
    if span == 0.0:
        return np.ones_like(M, dtype=np.float64)
    return (M - lo) / span + 1.0


def _float_enumeration(game: Game) -> tuple[list[tuple[int, int]], bool, np.ndarray, np.ndarray]:
    """Matched vertex pairs, degeneracy, and the normalised vertices of P and Q."""
    A = _positive(np.asarray(game.float_payoffs[0], dtype=np.float64))
    B = _positive(np.asarray(game.float_payoffs[1], dtype=np.float64))
    m, n = A.shape
    tol = WALK_TOLERANCE
    zob = zobrist_keys(m + n)
    n_words = (m + n + 63) // 64
    # P: variables x (m, labels 0..m-1), constraints B^T x <= 1 (labels m..m+n-1);
    # Q: variables y (n, labels m..m+n-1), constraints A y <= 1 (labels 0..m-1)
    xv, pw, pc, p_over = walk(np.ascontiguousarray(B.T), tol, zob, MAX_BASES, 0, m, n_words)
    yv, qw, qc, q_over = walk(np.ascontiguousarray(A), tol, zob, MAX_BASES, m, 0, n_words)
    if p_over or q_over:
        raise SolverError(f"{METHOD}: more than {MAX_BASES} bases in a best-response polytope "
                          f"of a {m}x{n} game; the enumeration was stopped")
    degenerate = bool((pc > m).any() or (qc > n).any())
    if degenerate:   # several bases per degenerate vertex: keep one (labels fix the vertex)
        _, keep = np.unique(pw, axis=0, return_index=True)
        xv, pw = xv[keep], pw[keep]
        _, keep = np.unique(qw, axis=0, return_index=True)
        yv, qw = yv[keep], qw[keep]
    keep = xv.sum(axis=1) > tol
    xv, pw = xv[keep], pw[keep]
    keep = yv.sum(axis=1) > tol
    yv, qw = yv[keep], qw[keep]
    full = full_words(m + n)
    if degenerate:
        pi, qj = match_labels(pw, qw, full)
    else:   # exactly m + n labels in a pair: look the complement up
        pi, qj = match_complements(pw, qw, full)
    pi, qj = pi.tolist(), qj.tolist()
    used_p = sorted(set(pi))
    used_q = sorted(set(qj))
    rp = {k: t for t, k in enumerate(used_p)}
    rq = {k: t for t, k in enumerate(used_q)}
    px = xv[used_p]
    px[px <= tol] = 0.0            # a coordinate at most tol carries the label "zero"
    px /= px.sum(axis=1, keepdims=True)
    qy = yv[used_q]
    qy[qy <= tol] = 0.0
    qy /= qy.sum(axis=1, keepdims=True)
    pairs = [(rp[i], rq[j]) for i, j in zip(pi, qj)]
    return pairs, degenerate, px, qy


# ---------------------------------------------------------------------------------------
# Exact path: fraction-free integer pivoting


def exact_leaving_row(T: np.ndarray, e: int, lex_start: int, n_lex: int) -> int:
    """The leaving row of an integer tableau (basic values in the last column) for
    entering column ``e`` by the lexicographic minimum-ratio test: the smallest
    ``(rhs, T[:, lex_start:lex_start + n_lex]) / T[:, e]`` over rows with ``T[i, e] > 0``,
    compared by cross-multiplication; -1 when the column is unbounded."""
    rhs_col = T.shape[1] - 1
    leave = -1
    for i in range(T.shape[0]):
        a = T[i, e]
        if a <= 0:
            continue
        if leave < 0:
            leave = i
            continue
        al = T[leave, e]
        lhs, rhs = T[i, rhs_col] * al, T[leave, rhs_col] * a
        if lhs < rhs:
            leave = i
        elif lhs == rhs:
            for k in range(lex_start, lex_start + n_lex):
                lhs, rhs = T[i, k] * al, T[leave, k] * a
                if lhs != rhs:
                    if lhs < rhs:
                        leave = i
                    break
    return leave


def exact_pivot(T: np.ndarray, r: int, e: int, det: int) -> np.ndarray:
    """The integer tableau after a fraction-free pivot on ``(r, e)`` (Edmonds 1967): every
    entry stays an integer, the basic values are ``T[:, -1] / T[r, e]`` afterwards."""
    S = (T * T[r, e] - np.outer(T[:, e], T[r])) // det
    S[r] = T[r]
    return S


def _exact_walk(M: np.ndarray) -> tuple[list[tuple[Fraction, ...]], list[int], list[int]]:
    """Vertices of ``{z >= 0 : M z <= 1}`` for a positive integer ``r x d`` matrix, exactly.

    Returns the distinct vertices (tuples of Fractions) with their label bitmasks: bit
    ``j`` (``j < d``) when ``z_j = 0``, bit ``d + i`` when constraint ``i`` is tight.
    """
    r, d = M.shape
    nvar = d + r
    T = np.empty((r, nvar + 1), dtype=object)
    T[:, :d] = M
    T[:, d:nvar] = 0
    for i in range(r):
        T[i, d + i] = 1
    T[:, nvar] = 1
    basis = tuple(range(d, nvar))
    start = sum(1 << v for v in basis)
    seen = {start}
    stack = [(T, basis, 1)]
    found: dict[int, tuple[Fraction, ...]] = {}
    while stack:
        T, basis, det = stack.pop()
        coords = [Fraction(0)] * d
        labels = 0
        basic_mask = 0
        for i, v in enumerate(basis):
            basic_mask |= 1 << v
            val = T[i, nvar]
            if v < d:
                coords[v] = Fraction(val, det)
            if val == 0:
                labels |= 1 << v
        labels |= ((1 << nvar) - 1) & ~basic_mask
        if labels not in found:
            found[labels] = tuple(coords)
        for e in range(nvar):
            if basic_mask >> e & 1:
                continue
            leave = exact_leaving_row(T, e, d, r)
            if leave < 0:
                continue
            nbasis = basis[:leave] + (e,) + basis[leave + 1:]
            key = (basic_mask & ~(1 << basis[leave])) | (1 << e)
            if key in seen:
                continue
            seen.add(key)
            stack.append((exact_pivot(T, leave, e, det), nbasis, T[leave, e]))
    labels = list(found)
    return [found[k] for k in labels], labels, [bin(k).count("1") for k in labels]


def _exact_enumeration(game: Game, parameters: dict | None = None) -> EquilibriumSet:
    ints, _ = game.integer_payoffs()
    A = positive_ints(ints[0])
    B = positive_ints(ints[1])
    m, n = A.shape
    xs, xlab, xcount = _exact_walk(np.ascontiguousarray(B.T))
    ys, ylab, ycount = _exact_walk(A)
    degenerate = any(c > m for c in xcount) or any(c > n for c in ycount)
    # P labels: z_i = 0 -> i (bits 0..m-1), tight j -> m + j: already the global labels.
    # Q labels: y_j = 0 -> bit j, tight i -> bit n + i; globally: tight i -> i, y_j -> m + j
    def q_global(mask: int) -> int:
        zero = mask & ((1 << n) - 1)
        tight = mask >> n
        return tight | (zero << m)

    yglob = [q_global(k) for k in ylab]
    full = (1 << (m + n)) - 1
    p_keep = [k for k, v in enumerate(xs) if any(v)]
    q_keep = [k for k, v in enumerate(ys) if any(v)]
    # index Q vertices for the common nondegenerate case: exact complement lookup
    pairs = []
    q_by_label = {yglob[k]: k for k in q_keep}
    for i in p_keep:
        if degenerate:
            for j in q_keep:
                if xlab[i] | yglob[j] == full:
                    pairs.append((i, j))
        else:
            j = q_by_label.get(full & ~xlab[i])
            if j is not None:
                pairs.append((i, j))
    norm_x = {i: _normalise(xs[i]) for i in {p for p, _ in pairs}}
    norm_y = {j: _normalise(ys[j]) for j in {q for _, q in pairs}}
    equilibria = [make_equilibrium(game, (np.array(norm_x[i], dtype=object),
                                          np.array(norm_y[j], dtype=object)), METHOD)
                  for i, j in pairs]
    return _build_set(game, equilibria, pairs, degenerate, exact=True, parameters=parameters)


def _normalise(v: tuple[Fraction, ...]) -> list[Fraction]:
    total = sum(v)
    return [c / total for c in v]


# ---------------------------------------------------------------------------------------
# exact=True on a float game: rationalise the float vertices from their labels


def _rationalised(fgame: Game, egame: Game) -> EquilibriumSet:
    pairs, degenerate, px, qy = _float_enumeration(fgame)
    EA, EB = egame.payoffs[0], egame.payoffs[1]
    cache_x: dict[int, list[Fraction]] = {}
    cache_y: dict[int, list[Fraction]] = {}

    def exact_vertex(v: np.ndarray, M: np.ndarray, own_is_rows: bool) -> list[Fraction]:
        # v: float normalised vertex; tight constraints and zero coordinates from floats
        d = len(v)
        payoff = (M.T if own_is_rows else M)      # rows: constraints over v
        fpay = np.asarray(payoff, dtype=np.float64) @ v
        best = fpay.max()
        # tight within 1e-7 of the payoff range (the vertex was found on payoffs mapped
        # onto [1, 2]); a constant matrix makes every row tight
        scale = payoff_scale(np.asarray(payoff, dtype=np.float64)[None])
        tight = np.flatnonzero(fpay >= best - 1e-7 * scale)
        zero = np.flatnonzero(v <= 1e-9)
        # unknowns: v (d) and the level u; equations: tight rows = u, zeros = 0, sum = 1
        rows, rhs = [], []
        for t in tight:
            rows.append([Fraction(payoff[t, k]) for k in range(d)] + [Fraction(-1)])
            rhs.append(Fraction(0))
        for z in zero:
            rows.append([Fraction(int(k == z)) for k in range(d)] + [Fraction(0)])
            rhs.append(Fraction(0))
        rows.append([Fraction(1)] * d + [Fraction(0)])
        rhs.append(Fraction(1))
        sol = exact_solve(rows, rhs)
        if sol is None:
            raise SolverError(f"{METHOD}: could not rationalise the vertex {v.tolist()}")
        return sol[:d]

    equilibria = []
    for i, j in pairs:
        if i not in cache_x:
            cache_x[i] = exact_vertex(px[i], EB, own_is_rows=True)
        if j not in cache_y:
            cache_y[j] = exact_vertex(qy[j], EA, own_is_rows=False)
        equilibria.append(make_equilibrium(
            egame, (np.array(cache_x[i], dtype=object), np.array(cache_y[j], dtype=object)),
            METHOD))
    return _build_set(egame, equilibria, pairs, degenerate, exact=True,
                      parameters={"rationalised": True})
