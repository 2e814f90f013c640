"""The Lemke-Howson algorithm: one Nash equilibrium of a two-player game by complementary
pivoting, with lexicographic anti-cycling.

Labels ``0 .. m-1`` are player 1's actions and ``m .. m+n-1`` player 2's. Starting from
the artificial equilibrium ``(0, 0)`` of the best-response polytopes, dropping one label
and pivoting until it is picked up again follows a path that ends at a Nash equilibrium
(Lemke & Howson 1964; Shapley 1974). Float games pivot in a compiled kernel; exact games
pivot on integers (fraction-free), so the equilibrium is exact.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from games._jit import jit
from games.errors import InvalidGameError, SolverError
from games.model import Game
from games.results import RELATIVE_TOLERANCE, Equilibrium, EquilibriumSet, make_equilibrium
from games.solvers.vertex_enumeration import (_check_two_players, _positive_ints,
                                              make_float_equilibria)

__all__ = ["lemke_howson"]

METHOD = "lemke_howson"


def lemke_howson(game: Game, initial_label: int | None = None, max_pivots: int = 1_000_000,
                 exact: bool | None = None) -> Equilibrium | EquilibriumSet:
    r"""A Nash equilibrium of a two-player game by the Lemke-Howson algorithm.

    In the best-response polytopes :math:`P = \{x \ge 0: B^\top x \le 1\}` and
    :math:`Q = \{y \ge 0: A y \le 1\}`, drop ``initial_label`` from the completely
    labelled pair ``(0, 0)`` and pivot alternately in ``P`` and ``Q``, each time bringing
    in the duplicate label, until the missing label is picked up: the pair reached is a
    Nash equilibrium. The minimum-ratio test is lexicographic, so the path cannot cycle
    in degenerate games.

    Parameters
    ----------
    game : Game
        A two-player game with ``m`` x ``n`` actions.
    initial_label : int, optional
        The label to drop: ``0 .. m-1`` are player 1's actions, ``m .. m+n-1`` player 2's.
        None runs the algorithm from every label and returns the distinct equilibria.
    max_pivots : int
        Pivots allowed on one path before giving up.
    exact : bool, optional
        Integer (fraction-free) pivoting; default: the game's own arithmetic.

    Returns
    -------
    Equilibrium or EquilibriumSet
        One verified equilibrium for a given label; for ``initial_label=None`` the
        distinct equilibria reached from all ``m + n`` labels, ``complete=False`` (use
        :func:`games.all_equilibria` for every equilibrium), with ``parameters["labels"]``
        listing, for each equilibrium, the labels that lead to it.

    Raises
    ------
    InvalidGameError
        For a game without two players or a label out of range.
    SolverError
        When a path exceeds ``max_pivots``.

    References
    ----------
    Lemke, C. E. & Howson, J. T. (1964). Equilibrium points of bimatrix games. SIAM J.
    Appl. Math. 12, 413-423. von Stengel, B. (2002). Computing equilibria for two-person
    games. Handbook of Game Theory 3, ch. 45.

    Examples
    --------
    >>> import games
    >>> g = games.Game.from_bimatrix([[3, 3], [2, 5], [0, 6]], [[3, 2], [2, 6], [3, 1]])
    >>> e = games.lemke_howson(g, initial_label=0)
    >>> [str(p) for p in e.strategies[0]], [str(p) for p in e.strategies[1]]
    (['1', '0', '0'], ['1', '0'])
    >>> len(games.lemke_howson(g))     # of the 3 equilibria, 2 are reached from some label
    2
    """
    _check_two_players(game, "lemke_howson")
    m, n = game.shape
    if exact is None:
        exact = game.exact
    if max_pivots < 1:
        raise InvalidGameError(f"max_pivots: expected a positive integer, found {max_pivots!r}")
    game = game.with_arithmetic(exact)
    if initial_label is None:
        labels = range(m + n)
    else:
        if isinstance(initial_label, bool) or not isinstance(initial_label, (int, np.integer)) \
                or not 0 <= int(initial_label) < m + n:
            raise InvalidGameError(
                f"initial_label: expected an integer in 0..{m + n - 1} (0..{m - 1} for "
                f"player 1's actions, {m}..{m + n - 1} for player 2's), found {initial_label!r}")
        labels = [int(initial_label)]
    if exact:
        found = [_exact_path(game, k, max_pivots) for k in labels]
    else:
        A = np.ascontiguousarray(game.float_payoffs[0], dtype=np.float64)
        B = np.ascontiguousarray(game.float_payoffs[1], dtype=np.float64)
        found = []
        for k in labels:
            x, y, pivots, u, v, regret, largest = _lh_solve(A, B, k, max_pivots, 1e-12)
            if pivots < 0:
                raise SolverError(f"{METHOD}: no equilibrium within max_pivots={max_pivots} "
                                  f"pivots from label {k} in a {m}x{n} game")
            if initial_label is not None:   # verified in the kernel: the certificate
                limit = RELATIVE_TOLERANCE * max(1.0, largest)
                if not regret <= limit:
                    raise SolverError(f"{METHOD}: the profile reached from label {k} has "
                                      f"regret {regret:.3g} > {limit:.3g}")
                x.flags.writeable = False
                y.flags.writeable = False
                pays = np.array([u, v])
                pays.flags.writeable = False
                return Equilibrium(strategies=(x, y), payoffs=pays, regret=max(0.0, regret),
                                   exact=False, method=METHOD, game=game)
            found.append((x, y))
    if initial_label is not None:
        return _equilibrium(game, *found[0], exact)
    distinct: dict[Any, tuple[Equilibrium, list[int]]] = {}
    for k, (x, y) in zip(labels, found):
        key = (tuple(np.round(x, 9).tolist()), tuple(np.round(y, 9).tolist())) if not exact \
            else (tuple(x), tuple(y))
        if key not in distinct:
            distinct[key] = (_equilibrium(game, x, y, exact), [])
        distinct[key][1].append(k)
    items = sorted(distinct.values(), key=lambda t: t[0].sort_key())
    return EquilibriumSet([e for e, _ in items], method=METHOD, complete=False,
                          parameters={"initial_label": None, "exact": exact,
                                      "labels": [ks for _, ks in items]},
                          game=game, sort=False)


def _equilibrium(game: Game, x: Any, y: Any, exact: bool) -> Equilibrium:
    if exact:
        return make_equilibrium(game, (np.array(x, dtype=object), np.array(y, dtype=object)),
                                METHOD)
    return make_float_equilibria(game, np.array([x]), np.array([y]), [(0, 0)], METHOD)[0]


@jit
def _lh_solve(A, B, k0, max_pivots, tol):
    """Lemke-Howson on raw payoffs: affine map onto [1, 2], the path, the normalised
    strategies, and their certificate in the original payoffs.

    Returns ``x, y, pivots, u, v, regret, largest`` where ``u, v`` are the payoffs,
    ``regret`` the largest gain from a deviation and ``largest`` the largest absolute
    payoff (for the relative tolerance)."""
    m, n = A.shape
    alo, ahi, blo, bhi = A[0, 0], A[0, 0], B[0, 0], B[0, 0]
    largest = 0.0
    for i in range(m):
        for j in range(n):
            a, b = A[i, j], B[i, j]
            alo = min(alo, a)
            ahi = max(ahi, a)
            blo = min(blo, b)
            bhi = max(bhi, b)
            largest = max(largest, abs(a), abs(b))
    PA = np.empty((m, n))
    PB = np.empty((m, n))
    sa = ahi - alo
    sb = bhi - blo
    for i in range(m):
        for j in range(n):
            PA[i, j] = (A[i, j] - alo) / sa + 1.0 if sa > 0 else 1.0
            PB[i, j] = (B[i, j] - blo) / sb + 1.0 if sb > 0 else 1.0

    # Each polytope's tableau is kept in product form: ``MT`` holds the columns of the
    # tableau (one row of MT per label) as they were at the last refresh; the pivots since
    # then are rank-one updates M <- M + u_s R_s (u_s from the pivot column, R_s the pivot
    # row before the pivot), applied to single columns on demand and to the whole tableau
    # every ``batch`` pivots as one matrix product. P: B^T x + s = 1 (x: labels 0..m-1,
    # s: labels m..m+n-1); Q: A y + r = 1 (r: labels 0..m-1, y: labels m..m+n-1).
    L = m + n
    batch = 32
    MTP = np.zeros((L, n))
    for i in range(m):
        for j in range(n):
            MTP[i, j] = PB[i, j]
    for j in range(n):
        MTP[m + j, j] = 1.0
    MTQ = np.zeros((L, m))
    for i in range(m):
        MTQ[i, i] = 1.0
    for j in range(n):
        for i in range(m):
            MTQ[m + j, i] = PA[i, j]
    rhs_p = np.ones(n)
    rhs_q = np.ones(m)
    basis_p = np.empty(n, dtype=np.int64)
    row_p = np.full(L, -1, dtype=np.int64)
    for j in range(n):
        basis_p[j] = m + j
        row_p[m + j] = j
    basis_q = np.empty(m, dtype=np.int64)
    row_q = np.full(L, -1, dtype=np.int64)
    for i in range(m):
        basis_q[i] = i
        row_q[i] = i
    UP = np.zeros((batch, n))
    RP = np.zeros((batch, L))
    UQ = np.zeros((batch, m))
    RQ = np.zeros((batch, L))
    count = np.zeros(2, dtype=np.int64)         # pivots since the refresh, per polytope
    labels = np.empty(L, dtype=np.int64)
    gathered = np.empty((L, batch))
    col = np.empty(max(m, n))
    entering = k0
    in_p = k0 < m
    pivots = 0
    while True:
        if pivots >= max_pivots:
            pivots = -1
            break
        pivots += 1
        if in_p:
            MT = MTP
            rhs = rhs_p
            basis = basis_p
            row_of = row_p
            U = UP
            R = RP
            side = 0
            lex_start = m
            n_lex = n
        else:
            MT = MTQ
            rhs = rhs_q
            basis = basis_q
            row_of = row_q
            U = UQ
            R = RQ
            side = 1
            lex_start = 0
            n_lex = m
        rows = rhs.shape[0]
        t = count[side]
        # the entering column as it is now
        for i in range(rows):
            col[i] = MT[entering, i]
        for s in range(t):
            w = R[s, entering]
            if w != 0.0:
                for i in range(rows):
                    col[i] += w * U[s, i]
        # lexicographic minimum-ratio test; the lexicographic columns are the slack
        # columns, read in their current state when a tie needs them
        leave = -1
        for i in range(rows):
            a = col[i]
            if a <= tol:
                continue
            if leave < 0:
                leave = i
                continue
            al = col[leave]
            scale = tol * a * al
            diff = rhs[i] * al - rhs[leave] * a
            if diff < -scale:
                leave = i
            elif diff <= scale:
                for k in range(n_lex):
                    lab = lex_start + k
                    ti = MT[lab, i]
                    tl = MT[lab, leave]
                    for s in range(t):
                        ti += R[s, lab] * U[s, i]
                        tl += R[s, lab] * U[s, leave]
                    dk = ti * al - tl * a
                    if dk < -scale:
                        leave = i
                        break
                    if dk > scale:
                        break
        if leave < 0:
            pivots = -1
            break
        # the pivot row before the pivot, over every label (a basic label's column is a
        # unit vector, untouched by the updates of other rows)
        for j in range(L):
            R[t, j] = MT[j, leave]
        for s in range(t):
            w = U[s, leave]
            if w != 0.0:
                for j in range(L):
                    R[t, j] += w * R[s, j]
        inv = 1.0 / col[leave]
        for i in range(rows):
            U[t, i] = -col[i] * inv
        U[t, leave] = inv - 1.0
        r_leave = rhs[leave]
        for i in range(rows):
            rhs[i] += U[t, i] * r_leave
        leaving = basis[leave]
        basis[leave] = entering
        row_of[entering] = leave
        row_of[leaving] = -1
        count[side] = t + 1
        if leaving == k0:
            break
        if t + 1 == batch:
            # refresh: the batch applied to every nonbasic column as one matrix product;
            # the columns of labels that entered become unit vectors again
            nv = 0
            for j in range(L):
                if row_of[j] < 0:
                    labels[nv] = j
                    for s in range(batch):
                        gathered[nv, s] = R[s, j]
                    nv += 1
                else:
                    for s in range(batch):
                        if R[s, j] != 0.0:
                            for i in range(rows):
                                MT[j, i] = 0.0
                            MT[j, row_of[j]] = 1.0
                            break
            for v in range(nv):
                j = labels[v]
                target = MT[j]
                for s in range(0, batch, 4):
                    w0 = gathered[v, s]
                    w1 = gathered[v, s + 1]
                    w2 = gathered[v, s + 2]
                    w3 = gathered[v, s + 3]
                    u0 = U[s]
                    u1 = U[s + 1]
                    u2 = U[s + 2]
                    u3 = U[s + 3]
                    for i in range(rows):
                        target[i] += w0 * u0[i] + w1 * u1[i] + w2 * u2[i] + w3 * u3[i]
            count[side] = 0
        entering = leaving
        in_p = not in_p
    x = np.zeros(m)
    y = np.zeros(n)
    for j in range(n):
        if basis_p[j] < m:
            x[basis_p[j]] = rhs_p[j] if rhs_p[j] > 1e-11 else 0.0
    for i in range(m):
        if basis_q[i] >= m:
            y[basis_q[i] - m] = rhs_q[i] if rhs_q[i] > 1e-11 else 0.0
    sx = x.sum()
    sy = y.sum()
    if pivots < 0 or sx <= 0 or sy <= 0:
        return x, y, -1, 0.0, 0.0, np.inf, largest
    x /= sx
    y /= sy
    # certificate in the original payoffs
    Ay = A @ y
    xB = x @ B
    u = 0.0
    for i in range(m):
        u += x[i] * Ay[i]
    v = 0.0
    for j in range(n):
        v += xB[j] * y[j]
    regret = max(Ay.max() - u, xB.max() - v)
    return x, y, pivots, u, v, regret, largest


# ---------------------------------------------------------------------------------------
# Exact path


class _IntegerTableau:
    """A fraction-free tableau: the basic variable of row ``i`` has value
    ``T[i, -1] / det``; pivots keep every entry an integer (Edmonds 1967)."""

    def __init__(self, T: np.ndarray, basis: list[int], lex_start: int, n_lex: int) -> None:
        self.T, self.basis, self.det = T, basis, 1
        self.lex_start, self.n_lex = lex_start, n_lex

    def leave(self, e: int) -> int:
        T = self.T
        rhs = T.shape[1] - 1
        leave = -1
        for i in range(T.shape[0]):
            a = T[i, e]
            if a <= 0:
                continue
            if leave < 0:
                leave = i
                continue
            al = T[leave, e]
            lhs, rhs_ = T[i, rhs] * al, T[leave, rhs] * a
            if lhs < rhs_:
                leave = i
            elif lhs == rhs_:
                for k in range(self.lex_start, self.lex_start + self.n_lex):
                    lhs, rhs_ = T[i, k] * al, T[leave, k] * a
                    if lhs != rhs_:
                        if lhs < rhs_:
                            leave = i
                        break
        return leave

    def pivot(self, r: int, e: int) -> int:
        T = self.T
        p = T[r, e]
        S = (T * p - np.outer(T[:, e], T[r])) // self.det
        S[r] = T[r]
        self.T, self.det = S, p
        leaving = self.basis[r]
        self.basis[r] = e
        return leaving

    def values(self, size: int, offset: int) -> list:
        from fractions import Fraction

        out = [Fraction(0)] * size
        for i, v in enumerate(self.basis):
            if offset <= v < offset + size:
                out[v - offset] = Fraction(self.T[i, -1], self.det)
        return out


def _exact_path(game: Game, k0: int, max_pivots: int) -> tuple[list, list]:
    ints, _ = game.integer_payoffs()
    A, B = _positive_ints(ints[0]), _positive_ints(ints[1])
    m, n = A.shape
    L = m + n
    TP = np.zeros((n, L + 1), dtype=object)
    TP[:, :m] = B.T
    for j in range(n):
        TP[j, m + j] = 1
    TP[:, L] = 1
    TQ = np.zeros((m, L + 1), dtype=object)
    TQ[:, m:L] = A
    for i in range(m):
        TQ[i, i] = 1
    TQ[:, L] = 1
    P = _IntegerTableau(TP, [m + j for j in range(n)], m, n)
    Q = _IntegerTableau(TQ, list(range(m)), 0, m)
    entering, tab = k0, (P if k0 < m else Q)
    for _ in range(max_pivots):
        r = tab.leave(entering)
        if r < 0:
            raise SolverError(f"{METHOD}: unbounded ray from label {k0} (should not happen "
                              f"with positive payoffs)")
        leaving = tab.pivot(r, entering)
        if leaving == k0:
            x, y = P.values(m, 0), Q.values(n, m)
            sx, sy = sum(x), sum(y)
            return [v / sx for v in x], [v / sy for v in y]
        entering = leaving
        tab = Q if tab is P else P
    raise SolverError(f"{METHOD}: no equilibrium within max_pivots={max_pivots} pivots from "
                      f"label {k0} in a {m}x{n} game")
