"""The Lemke-Howson algorithm: one Nash equilibrium of a two-player game by complementary
pivoting, with lexicographic anti-cycling.

Labels ``0 .. m-1`` are player 1's actions and ``m .. m+n-1`` player 2's. Starting from
the artificial equilibrium ``(0, 0)`` of the best-response polytopes, dropping one label
and pivoting until it is picked up again follows a path that ends at a Nash equilibrium
(Lemke & Howson 1964; Shapley 1974). Float games pivot in a compiled kernel
(:mod:`games.solvers._lemke_howson_kernels`) in revised form: only the inverse of the
basis block that the supports span is kept (rank-one updates, recomputed periodically), so
a pivot costs O(s^2 + s n) for supports of size s rather than the O(n^2) of a full
tableau. Exact games pivot on integers (fraction-free), so the equilibrium is exact.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import numpy as np

from games.arguments import check_flag, check_integer
from games.errors import InvalidArgumentError, SolverError
from games.model import Game
from games.results import Equilibrium, EquilibriumSet, make_equilibrium, tolerance
from games.solvers._lemke_howson_kernels import RATIO_TOLERANCE, lh_solve
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
            x, y, pivots, u, v, regret, _ = lh_solve(A, B, k, max_pivots, RATIO_TOLERANCE)
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
