"""The Lemke-Howson algorithm: one Nash equilibrium of a two-player game by complementary
pivoting, with lexicographic anti-cycling.

Labels ``0 .. m-1`` are player 1's actions and ``m .. m+n-1`` player 2's. Starting from
the artificial equilibrium ``(0, 0)`` of the best-response polytopes, dropping one label
and pivoting until it is picked up again follows a path that ends at a Nash equilibrium
(Lemke & Howson 1964; Shapley 1974). Float games pivot in a compiled kernel in revised
form: only the inverse of the basis block that the supports span is kept (rank-one updates,
recomputed periodically), so a pivot costs O(s^2 + s n) for supports of size s rather than
the O(n^2) of a full tableau. Exact games pivot on integers (fraction-free), so the
equilibrium is exact.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import numpy as np

from games._jit import jit
from games.arguments import check_flag, check_integer
from games.errors import InvalidArgumentError, SolverError
from games.model import Game
from games.results import Equilibrium, EquilibriumSet, make_equilibrium, tolerance
from games.solvers.common import check_two_players, positive_ints
from games.solvers.vertex_enumeration import exact_leaving_row, exact_pivot, make_float_equilibria

__all__ = ["lemke_howson"]

METHOD = "lemke_howson"


def lemke_howson(game: Game, initial_label: int | None = None, max_pivots: int = 10_000_000,
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
        Pivots allowed on one path before giving up. Paths can be exponentially long
        (Savani & von Stengel 2006); on random 400 x 400 games some run to 2 million
        pivots (about 20 s).
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
    Appl. Math. 12, 413-423. Savani, R. & von Stengel, B. (2006). Hard-to-solve bimatrix
    games. Econometrica 74(2), 397-429. von Stengel, B. (2002). Computing equilibria for
    two-person games. Handbook of Game Theory 3, ch. 45.

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
    check_flag(exact, "exact", optional=True)
    check_integer(max_pivots, "max_pivots", minimum=1)
    check_two_players(game, "lemke_howson")
    m, n = game.shape
    if exact is None:
        exact = game.exact
    game = game.with_arithmetic(exact)
    if initial_label is None:
        labels = range(m + n)
    else:
        if isinstance(initial_label, bool) or not isinstance(initial_label, (int, np.integer)) \
                or not 0 <= int(initial_label) < m + n:
            raise InvalidArgumentError(
                f"initial_label: expected an integer in 0..{m + n - 1} (0..{m - 1} for "
                f"player 1's actions, {m}..{m + n - 1} for player 2's), found {initial_label!r}")
        labels = [int(initial_label)]
    if exact:
        found = [_exact_path(game, k, max_pivots) for k in labels]
    else:
        A = np.ascontiguousarray(game.float_payoffs[0], dtype=np.float64)
        B = np.ascontiguousarray(game.float_payoffs[1], dtype=np.float64)
        found = []
        limit = tolerance(game)     # relative to the payoff range, no floor
        for k in labels:
            x, y, pivots, u, v, regret, _ = lh_solve(A, B, k, max_pivots, 1e-12)
            if pivots < 0:
                raise SolverError(f"{METHOD}: no equilibrium within max_pivots={max_pivots} "
                                  f"pivots from label {k} in a {m}x{n} game")
            if initial_label is not None:   # verified in the kernel: the certificate
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
def lh_solve(A, B, k0, max_pivots, tol):
    """Lemke-Howson on raw payoffs: affine map onto [1, 2], the path, the normalised
    strategies, and their certificate in the original payoffs.

    Returns ``x, y, pivots, u, v, regret, largest`` where ``u, v`` are the payoffs,
    ``regret`` the largest gain from a deviation and ``largest`` the largest absolute
    payoff. ``tol`` is the ratio-test tolerance on the payoffs mapped onto [1, 2]."""
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
    sa = ahi - alo
    sb = bhi - blo
    ia = 1.0 / sa if sa > 0 else 0.0
    ib = 1.0 / sb if sb > 0 else 0.0
    GP = np.empty((m, n))          # x_i's coefficient in row j of P: PB[i, j]
    GQ = np.empty((n, m))          # y_j's coefficient in row i of Q: PA[i, j]
    for i in range(m):
        for j in range(n):
            GP[i, j] = (B[i, j] - blo) * ib + 1.0
            GQ[j, i] = (A[i, j] - alo) * ia + 1.0

    # Revised form. A polytope with R rows reads  sum_c G[c, row] v_c + slack_row = 1
    # (P: G = GP, v = x, slacks s = labels m..m+n-1; Q: G = GQ, v = y, slacks r = labels
    # 0..m-1). A basis is a set S of basic structural variables and the set T of rows
    # whose slack is basic; the rows N outside T are as many as S, and the basis matrix
    # is invertible exactly when C = G[S][:, N]^T is. Only C^{-1} (at most min(m, n)
    # square, and as large as the current supports) is kept, updated by rank-one
    # formulas at each pivot and recomputed every 64 + 3|S| pivots; a pivot costs
    # O(|S|^2 + |S| R) instead of the O(R (m + n)) of a full tableau.
    cap = min(m, n)
    inv_p = np.empty((cap, cap))
    inv_q = np.empty((cap, cap))
    struct_p = np.empty(cap, dtype=np.int64)      # position -> structural variable
    struct_q = np.empty(cap, dtype=np.int64)
    rows_p = np.empty(cap, dtype=np.int64)        # position -> row whose slack is nonbasic
    rows_q = np.empty(cap, dtype=np.int64)
    spos_p = np.full(m, -1, dtype=np.int64)       # structural variable -> position or -1
    spos_q = np.full(n, -1, dtype=np.int64)
    rpos_p = np.full(n, -1, dtype=np.int64)       # row -> position, -1 when its slack is basic
    rpos_q = np.full(m, -1, dtype=np.int64)
    sval_p = np.zeros(cap)                        # values of the basic structural variables
    sval_q = np.zeros(cap)
    tval_p = np.ones(n)                           # values of the basic slacks, per row
    tval_q = np.ones(m)
    size = np.zeros(2, dtype=np.int64)
    since = np.zeros(2, dtype=np.int64)
    zs = np.empty(cap)
    zt = np.empty(max(m, n))
    h = np.empty(cap)
    work = np.empty((cap, 2 * cap))
    entering = k0
    in_p = k0 < m
    pivots = 0
    broken = False
    while True:
        if pivots >= max_pivots:
            pivots = -1
            break
        pivots += 1
        if in_p:
            side = 0
            G = GP
            Cinv = inv_p
            struct = struct_p
            rows_n = rows_p
            spos = spos_p
            rpos = rpos_p
            sval = sval_p
            tval = tval_p
            enter_struct = entering < m
            enter_index = entering if enter_struct else entering - m
        else:
            side = 1
            G = GQ
            Cinv = inv_q
            struct = struct_q
            rows_n = rows_q
            spos = spos_q
            rpos = rpos_q
            sval = sval_q
            tval = tval_q
            enter_struct = entering >= m
            enter_index = entering - m if enter_struct else entering
        R = tval.shape[0]
        s = size[side]
        if since[side] >= 64 + 3 * s:     # O(s^3) work every O(s) pivots
            if not _lh_refactor(G, Cinv, struct, rows_n, s, sval, tval, work):
                broken = True
                break
            since[side] = 0
        since[side] += 1
        # the entering column in the current basis: zs on S, zt on the rows of T
        if enter_struct:
            ge = G[enter_index]
            for a in range(s):
                h[a] = ge[rows_n[a]]
            for k in range(s):
                acc = 0.0
                for a in range(s):
                    acc += Cinv[k, a] * h[a]
                zs[k] = acc
            for r in range(R):
                zt[r] = G[enter_index, r]
        else:
            a0 = rpos[enter_index]
            for k in range(s):
                zs[k] = Cinv[k, a0]
            for r in range(R):
                zt[r] = 0.0
        k = 0
        while k + 4 <= s:       # four rows of G per pass over zt
            w0 = zs[k]
            w1 = zs[k + 1]
            w2 = zs[k + 2]
            w3 = zs[k + 3]
            g0 = G[struct[k]]
            g1 = G[struct[k + 1]]
            g2 = G[struct[k + 2]]
            g3 = G[struct[k + 3]]
            for r in range(R):
                zt[r] -= w0 * g0[r] + w1 * g1[r] + w2 * g2[r] + w3 * g3[r]
            k += 4
        while k < s:
            w = zs[k]
            gk = G[struct[k]]
            for r in range(R):
                zt[r] -= w * gk[r]
            k += 1
        # lexicographic minimum-ratio test over the basic variables: positions 0..s-1 of
        # S, then the rows of T (encoded cap + row); ties are broken on the slack columns
        # of the tableau, computed when needed
        leave = -1
        al = 0.0
        bl = 0.0
        for q in range(s + R):
            if q < s:
                cand = q
                a = zs[q]
                b = sval[q]
            else:
                r = q - s
                if rpos[r] >= 0:
                    continue
                cand = cap + r
                a = zt[r]
                b = tval[r]
            if a <= tol:
                continue
            if leave < 0:
                leave, al, bl = cand, a, b
                continue
            scale = tol * a * al
            diff = b * al - bl * a
            if diff < -scale:
                leave, al, bl = cand, a, b
            elif diff <= scale:
                for lr in range(R):
                    ei = 0.0
                    el = 0.0
                    if rpos[lr] < 0:
                        ei = 1.0 if cand == cap + lr else 0.0
                        el = 1.0 if leave == cap + lr else 0.0
                    else:
                        ca = rpos[lr]
                        if cand < cap:
                            ei = Cinv[cand, ca]
                        else:
                            for k in range(s):
                                ei -= Cinv[k, ca] * G[struct[k], cand - cap]
                        if leave < cap:
                            el = Cinv[leave, ca]
                        else:
                            for k in range(s):
                                el -= Cinv[k, ca] * G[struct[k], leave - cap]
                    dk = ei * al - el * a
                    if dk < -scale:
                        leave, al, bl = cand, a, b
                        break
                    if dk > scale:
                        break
        if leave < 0:
            pivots = -1
            break
        theta = bl / al
        for k in range(s):
            sval[k] -= theta * zs[k]
        for r in range(R):
            if rpos[r] < 0:
                tval[r] -= theta * zt[r]
        # the basis change, and C^{-1} with it
        if leave < cap:
            b = leave
            gone = struct[b]
            leaving = gone if side == 0 else m + gone
            if enter_struct:        # a structural variable replaces another: column b of C
                piv = zs[b]
                for j in range(s):
                    Cinv[b, j] /= piv
                for k in range(s):
                    f = zs[k]
                    if k != b and f != 0.0:
                        for j in range(s):
                            Cinv[k, j] -= f * Cinv[b, j]
                spos[gone] = -1
                struct[b] = enter_index
                spos[enter_index] = b
                sval[b] = theta
            else:                   # a slack replaces a structural variable: C shrinks
                a0 = rpos[enter_index]
                piv = Cinv[b, a0]
                for j in range(s):
                    h[j] = Cinv[b, j] / piv
                for k in range(s):
                    f = Cinv[k, a0]
                    if k != b and f != 0.0:
                        for j in range(s):
                            Cinv[k, j] -= f * h[j]
                last = s - 1
                for j in range(s):              # row `last` moves to row b
                    Cinv[b, j] = Cinv[last, j]
                for k in range(s):              # column `last` moves to column a0
                    Cinv[k, a0] = Cinv[k, last]
                spos[gone] = -1
                if b != last:
                    struct[b] = struct[last]
                    spos[struct[b]] = b
                    sval[b] = sval[last]
                rpos[enter_index] = -1
                if a0 != last:
                    rows_n[a0] = rows_n[last]
                    rpos[rows_n[a0]] = a0
                tval[enter_index] = theta
                size[side] = s - 1
        else:
            gone_row = leave - cap
            leaving = m + gone_row if side == 0 else gone_row
            for j in range(s):                  # h = G[S, gone_row] C^{-1}
                h[j] = 0.0
            for k in range(s):
                f = G[struct[k], gone_row]
                if f != 0.0:
                    for j in range(s):
                        h[j] += f * Cinv[k, j]
            if enter_struct:        # a structural variable enters, a slack leaves: C grows
                sigma = zt[gone_row]
                for k in range(s):
                    f = zs[k] / sigma
                    if f != 0.0:
                        for j in range(s):
                            Cinv[k, j] += f * h[j]
                    Cinv[k, s] = -zs[k] / sigma
                for j in range(s):
                    Cinv[s, j] = -h[j] / sigma
                Cinv[s, s] = 1.0 / sigma
                struct[s] = enter_index
                spos[enter_index] = s
                rows_n[s] = gone_row
                rpos[gone_row] = s
                sval[s] = theta
                size[side] = s + 1
            else:                   # one slack replaces another: row a0 of C
                a0 = rpos[enter_index]
                ha = h[a0]
                h[a0] -= 1.0
                for k in range(s):
                    f = zs[k] / ha
                    if f != 0.0:
                        for j in range(s):
                            Cinv[k, j] -= f * h[j]
                rpos[enter_index] = -1
                rows_n[a0] = gone_row
                rpos[gone_row] = a0
                tval[enter_index] = theta
        if leaving == k0:
            break
        entering = leaving
        in_p = not in_p
    x = np.zeros(m)
    y = np.zeros(n)
    if pivots > 0 and not broken:
        # final values from a fresh inverse
        if not _lh_refactor(GP, inv_p, struct_p, rows_p, size[0], sval_p, tval_p, work) or \
                not _lh_refactor(GQ, inv_q, struct_q, rows_q, size[1], sval_q, tval_q, work):
            broken = True
    if broken:
        pivots = -1
    for k in range(size[0]):
        x[struct_p[k]] = sval_p[k] if sval_p[k] > 1e-11 else 0.0
    for k in range(size[1]):
        y[struct_q[k]] = sval_q[k] if sval_q[k] > 1e-11 else 0.0
    sx = x.sum()
    sy = y.sum()
    if pivots < 0 or sx <= 0 or sy <= 0:
        return x, y, -1, 0.0, 0.0, np.inf, largest
    x /= sx
    y /= sy
    # certificate in the original payoffs (plain loops: no BLAS threads on small games)
    Ay = np.empty(m)
    xB = np.zeros(n)
    for i in range(m):
        acc = 0.0
        xi = x[i]
        for j in range(n):
            acc += A[i, j] * y[j]
        Ay[i] = acc
        if xi != 0.0:
            for j in range(n):
                xB[j] += xi * B[i, j]
    u = 0.0
    for i in range(m):
        u += x[i] * Ay[i]
    v = 0.0
    for j in range(n):
        v += xB[j] * y[j]
    regret = max(Ay.max() - u, xB.max() - v)
    return x, y, pivots, u, v, regret, largest


@jit
def _lh_refactor(G, Cinv, struct, rows_n, s, sval, tval, work):
    """Recompute ``C^{-1}`` (``C[a, k] = G[struct[k], rows_n[a]]``) by Gauss-Jordan
    elimination with partial pivoting, and the basic values from it: ``sval = C^{-1} 1``,
    ``tval = 1 - G[S]^T sval``. False when ``C`` is numerically singular."""
    for a in range(s):
        for k in range(s):
            work[a, k] = G[struct[k], rows_n[a]]
            work[a, s + k] = 1.0 if a == k else 0.0
    for c in range(s):
        p = c
        best = abs(work[c, c])
        for a in range(c + 1, s):
            if abs(work[a, c]) > best:
                best = abs(work[a, c])
                p = a
        if best < 1e-300:
            return False
        if p != c:
            for j in range(2 * s):
                tmp = work[c, j]
                work[c, j] = work[p, j]
                work[p, j] = tmp
        inv = 1.0 / work[c, c]
        for j in range(2 * s):
            work[c, j] *= inv
        for a in range(s):
            f = work[a, c]
            if a != c and f != 0.0:
                for j in range(2 * s):
                    work[a, j] -= f * work[c, j]
    for k in range(s):
        acc = 0.0
        for a in range(s):
            v = work[k, s + a]
            Cinv[k, a] = v
            acc += v
        sval[k] = acc
    for r in range(tval.shape[0]):
        tval[r] = 1.0
    for k in range(s):
        w = sval[k]
        gk = G[struct[k]]
        for r in range(tval.shape[0]):
            tval[r] -= w * gk[r]
    return True


# ---------------------------------------------------------------------------------------
# Exact path


class _IntegerTableau:
    """A fraction-free tableau: the basic variable of row ``i`` has value
    ``T[i, -1] / det``; pivots keep every entry an integer (Edmonds 1967)."""

    def __init__(self, T: np.ndarray, basis: list[int], lex_start: int, n_lex: int) -> None:
        self.T, self.basis, self.det = T, basis, 1
        self.lex_start, self.n_lex = lex_start, n_lex

    def leave(self, e: int) -> int:
        return exact_leaving_row(self.T, e, self.lex_start, self.n_lex)

    def pivot(self, r: int, e: int) -> int:
        p = self.T[r, e]
        self.T, self.det = exact_pivot(self.T, r, e, self.det), p
        leaving = self.basis[r]
        self.basis[r] = e
        return leaving

    def values(self, size: int, offset: int) -> list:
        out = [Fraction(0)] * size
        for i, v in enumerate(self.basis):
            if offset <= v < offset + size:
                out[v - offset] = Fraction(self.T[i, -1], self.det)
        return out


def _exact_path(game: Game, k0: int, max_pivots: int) -> tuple[list, list]:
    ints, _ = game.integer_payoffs()
    A, B = positive_ints(ints[0]), positive_ints(ints[1])
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
