"""Two-player constant-sum games by linear programming, and the security (maximin)
strategies of any game.

The value of the matrix game ``A`` is :math:`v = \\max_x \\min_j (x^\\top A)_j =
\\min_y \\max_i (A y)_i` (von Neumann 1928); both sides are linear programs, solved with
HiGHS. On exact games the optimal strategies are recomputed exactly from the supports
the LP found (an exact linear system) and the value is certified exactly:
:math:`\\min_j (x^\\top A)_j = \\max_i (A y)_i`.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

import numpy as np

from games.arguments import check_flag
from games.errors import InvalidGameError, SolverError
from games.model import Game, format_number
from games.results import Equilibrium, json_number, make_equilibrium
from games.solvers.common import check_two_players, exact_solve
from games.solvers.vertex_enumeration import all_equilibria
from games.tolerance import float_tolerance

__all__ = ["solve_zero_sum", "security_strategies", "ZeroSumSolution", "SecurityStrategies",
           "maximin_lp"]


@dataclass(frozen=True, eq=False)
class ZeroSumSolution:
    """The value and optimal strategies of a two-player constant-sum game.

    Attributes
    ----------
    value : float or Fraction
        Player 1's value (player 2 gets ``constant - value``).
    strategies : tuple of ndarray
        Optimal (maximin) strategies of both players.
    equilibrium : Equilibrium
        The verified equilibrium they form (certificate ``equilibrium.regret``).
    gap : float or Fraction
        The optimality certificate :math:`\\max_i (A y)_i - \\min_j (x^\\top A)_j`:
        0 exactly on exact games, at most the float tolerance otherwise.
    constant : float or Fraction
        The constant sum of the payoffs.
    exact : bool
    method : str
    """

    value: Any
    strategies: tuple[np.ndarray, np.ndarray]
    equilibrium: Equilibrium
    gap: Any
    constant: Any
    exact: bool
    method: str = "zero_sum_lp"
    game: Game | None = field(default=None, repr=False)

    @property
    def regret(self) -> Any:
        """The equilibrium certificate (largest gain from a deviation)."""
        return self.equilibrium.regret

    def __repr__(self) -> str:
        return (f"ZeroSumSolution(value {format_number(self.value)}, "
                f"{self.equilibrium._describe_profile()}, gap {format_number(self.gap)})")

    def _repr_html_(self) -> str:
        return (f"<p>{html.escape(repr(self))}</p>" + self.equilibrium._repr_html_())

    def to_dict(self) -> dict[str, Any]:
        return {"value": json_number(self.value), "constant": json_number(self.constant),
                "gap": json_number(self.gap), "exact": self.exact, "method": self.method,
                "equilibrium": self.equilibrium.to_dict()}


@dataclass(frozen=True, eq=False)
class SecurityStrategies:
    """Each player's security (maximin) strategy and level.

    Attributes
    ----------
    values : tuple
        ``values[i]`` = :math:`\\max_{s_i} \\min_{a_{-i}} u_i(s_i, a_{-i})`, the payoff
        player ``i`` can guarantee whatever the others do.
    strategies : tuple of ndarray
        A maximin strategy of each player.
    punishments : tuple of ndarray
        For each player, a distribution over the others' pure profiles (flattened, C
        order) that holds the player to its security level: the dual solution, the
        certificate :math:`\\max_{a_i} \\sum_b p(b) u_i(a_i, b) = values[i]`.
    exact : bool
    """

    values: tuple
    strategies: tuple[np.ndarray, ...]
    punishments: tuple[np.ndarray, ...]
    exact: bool
    method: str = "security_lp"
    game: Game | None = field(default=None, repr=False)

    def __repr__(self) -> str:
        names = self.game.players if self.game is not None else \
            tuple(f"Player {i + 1}" for i in range(len(self.values)))
        parts = ", ".join(f"{p}: {format_number(v)}" for p, v in zip(names, self.values))
        return f"SecurityStrategies({parts})"

    def _repr_html_(self) -> str:
        esc = html.escape
        names = self.game.players if self.game is not None else \
            tuple(f"Player {i + 1}" for i in range(len(self.values)))
        actions = self.game.actions if self.game is not None else \
            tuple(tuple(str(k) for k in range(len(s))) for s in self.strategies)
        rows = "".join(
            f"<tr><td>{esc(p)}</td><td>{esc(format_number(v))}</td><td>"
            + esc(", ".join(f"{actions[i][k]}: {format_number(s[k])}"
                            for k in np.flatnonzero(s != 0)))
            + "</td></tr>"
            for i, (p, v, s) in enumerate(zip(names, self.values, self.strategies)))
        return (f"<table><caption>{esc(repr(self))}</caption><tr><th>player</th>"
                f"<th>security level</th><th>maximin strategy</th></tr>{rows}</table>")

    def to_dict(self) -> dict[str, Any]:
        return {"values": [json_number(v) for v in self.values],
                "strategies": [[json_number(p) for p in s] for s in self.strategies],
                "punishments": [[json_number(p) for p in s] for s in self.punishments],
                "exact": self.exact, "method": self.method}


def solve_zero_sum(game: Game, exact: bool | None = None) -> ZeroSumSolution:
    r"""Value and optimal strategies of a two-player constant-sum game.

    Solves :math:`\max v` s.t. :math:`A^\top x \ge v\mathbf 1`, :math:`\mathbf 1^\top x
    = 1`, :math:`x \ge 0` and the column player's dual with HiGHS. On exact games the
    strategies are recomputed exactly from the optimal supports and certified:
    :math:`\min_j (x^\top A)_j = v = \max_i (A y)_i`.

    Parameters
    ----------
    game : Game
        Two players with :math:`u_1 + u_2` the same constant at every profile.
    exact : bool, optional
        Exact answer (default: the game's own arithmetic; a float game is read as exact
        with :meth:`Game.to_exact`).

    Returns
    -------
    ZeroSumSolution
        ``value``, ``strategies``, the verified ``equilibrium`` and the ``gap`` certificate.

    Raises
    ------
    InvalidGameError
        When the game does not have two players or is not constant-sum.

    References
    ----------
    von Neumann, J. (1928). Zur Theorie der Gesellschaftsspiele. Math. Annalen 100.
    Dantzig, G. B. (1951). A proof of the equivalence of the programming problem and the
    game problem. Activity Analysis of Production and Allocation, 330-335.

    Examples
    --------
    >>> import games
    >>> s = games.solve_zero_sum(games.Game.from_bimatrix([[2, -1], [-1, 1]]))
    >>> s.value, [str(p) for p in s.strategies[0]], s.gap
    (Fraction(1, 5), ['2/5', '3/5'], Fraction(0, 1))
    """
    check_flag(exact, "exact", optional=True)
    check_two_players(game, "solve_zero_sum")
    if exact is None:
        exact = game.exact
    game = game.with_arithmetic(exact)
    constant = _constant_sum(game)
    A = game.payoffs[0]
    x, y, v = _lp_matrix_game(np.asarray(game.float_payoffs[0], dtype=np.float64))
    if exact:
        x, y, v = _exact_matrix_game(A, x, y)
        if x is None:       # degenerate LP: fall back to an exact extreme equilibrium
            e = all_equilibria(game)[0]
            x, y = e.strategies
            v = e.payoffs[0]
        gap = max(A @ y) - min(x @ A)
    else:
        gap = float(max(A @ y) - min(x @ A))
    equilibrium = make_equilibrium(game, (x, y), "zero_sum_lp")
    if exact:
        if gap != 0 or equilibrium.payoffs[0] != v:
            raise SolverError(f"solve_zero_sum: the exact certificate failed (gap "
                              f"{format_number(gap)})")
        value = v
    else:
        value = float(equilibrium.payoffs[0])
    return ZeroSumSolution(value=value, strategies=equilibrium.strategies,
                           equilibrium=equilibrium, gap=gap, constant=constant, exact=exact,
                           game=game)


def security_strategies(game: Game, exact: bool | None = None) -> SecurityStrategies:
    r"""The security (maximin) strategy and level of every player of any game.

    Player ``i`` guarantees :math:`v_i = \max_{s_i} \min_{s_{-i}} u_i(s_i, s_{-i})`.
    For fixed :math:`s_i` the payoff is multilinear in the others' strategies, so the
    minimum is attained at a pure profile :math:`a_{-i}` and :math:`v_i` is the value of
    the matrix game with rows :math:`a_i` and columns :math:`a_{-i}` (one LP per player).
    In a two-player constant-sum game these are the optimal strategies.

    Parameters
    ----------
    game : Game
        Any number of players.
    exact : bool, optional
        Exact values and strategies (default: the game's own arithmetic).

    Returns
    -------
    SecurityStrategies

    Examples
    --------
    >>> import games
    >>> pd = games.catalog.prisoners_dilemma()
    >>> [str(v) for v in games.security_strategies(pd).values]
    ['1', '1']
    """
    check_flag(exact, "exact", optional=True)
    if not isinstance(game, Game):
        raise InvalidGameError(f"game: expected a games.Game, found {type(game).__name__}")
    if exact is None:
        exact = game.exact
    game = game.with_arithmetic(exact)
    values, strategies, punishments = [], [], []
    for i in range(game.n_players):
        M = np.moveaxis(game.payoffs[i], i, 0).reshape(game.shape[i], -1)
        x, y, v = _lp_matrix_game(np.asarray(M, dtype=np.float64))
        if exact:
            x, y, v = _exact_matrix_game(M, x, y)
            if x is None:
                raise SolverError(f"security_strategies: could not certify player {i}'s "
                                  f"security level exactly")
        else:
            v = float(min(x @ M))
        values.append(v)
        for s in (x, y):
            s.flags.writeable = False
        strategies.append(x)
        punishments.append(y)
    return SecurityStrategies(values=tuple(values), strategies=tuple(strategies),
                              punishments=tuple(punishments), exact=exact, game=game)


# ---------------------------------------------------------------------------------------


def _constant_sum(game: Game) -> Any:
    S = game.payoffs[0] + game.payoffs[1]
    if game.exact:
        lo, hi = min(S.flat), max(S.flat)
        ok = lo == hi
    else:
        lo, hi = float(S.min()), float(S.max())
        ok = hi - lo <= float_tolerance(game.float_payoffs)
    if not ok:
        a = np.unravel_index(int(np.argmin(np.asarray(S, dtype=float))), S.shape)
        b = np.unravel_index(int(np.argmax(np.asarray(S, dtype=float))), S.shape)
        raise InvalidGameError(
            f"payoffs: expected a constant-sum game (u1 + u2 the same at every profile), "
            f"found u1 + u2 = {format_number(lo)} at {tuple(map(int, a))} and "
            f"{format_number(hi)} at {tuple(map(int, b))}; use games.security_strategies or "
            f"games.all_equilibria for other games")
    return S.flat[0] if game.exact else float(S.mean())


def _lp_matrix_game(M: np.ndarray) -> tuple[np.ndarray, np.ndarray, float]:
    """Optimal strategies of the row (maximiser) and column (minimiser) player of ``M``.

    The LP sees ``M`` mapped affinely onto [1, 2] (positive value, and HiGHS's absolute
    tolerances then mean the same at every payoff scale)."""
    low = float(M.min())
    span = float(M.max()) - low or 1.0
    P = (M - low) / span + 1.0
    x, value = maximin_lp(P, "row")
    y, _ = maximin_lp(-P.T, "column")  # the column player maximises min of -P y
    return x, y, (value - 1.0) * span + low


def maximin_lp(P: np.ndarray, who: str) -> tuple[np.ndarray, float]:
    """max v s.t. P^T x >= v, sum x = 1, x >= 0 (HiGHS): the maximin strategy of the player
    whose payoffs are the rows of ``P``, and its value."""
    from scipy.optimize import linprog

    m, n = P.shape
    c = np.zeros(m + 1)
    c[-1] = -1.0
    A_ub = np.hstack([-P.T, np.ones((n, 1))])
    A_eq = np.hstack([np.ones((1, m)), np.zeros((1, 1))])
    bounds = [(0, None)] * m + [(None, None)]
    res = linprog(c, A_ub=A_ub, b_ub=np.zeros(n), A_eq=A_eq, b_eq=[1.0], bounds=bounds,
                  method="highs")
    if res.status != 0:
        raise SolverError(f"matrix game LP ({who} player) failed: {res.message}")
    x = np.clip(res.x[:m], 0.0, None)
    return x / x.sum(), float(res.x[-1])


def _exact_matrix_game(M: np.ndarray, xf: np.ndarray, yf: np.ndarray
                       ) -> tuple[Any, Any, Any]:
    """Exact optimal strategies from the supports of float ones, certified by
    ``min_j (x M)_j == max_i (M y)_i``; ``(None, None, None)`` when that fails."""
    m, n = M.shape
    F = np.asarray(M, dtype=np.float64)
    tol = 1e-7 * float(np.ptp(F))       # relative to the payoff range
    Is = [i for i in range(m) if xf[i] > 1e-9]
    J = [j for j in range(n) if yf[j] > 1e-9]
    vf = float(xf @ F @ yf)
    tight_cols = [j for j in range(n) if (xf @ F)[j] <= vf + tol]
    tight_rows = [i for i in range(m) if (F @ yf)[i] >= vf - tol]
    for cols, rows in ((J, Is), (tight_cols, tight_rows)):
        x = _solve_side(M, Is, cols, row_player=True)
        y = _solve_side(M.T, J, rows, row_player=True)
        if x is None or y is None:
            continue
        if min(x) < 0 or min(y) < 0:
            continue
        lower = min(x @ M)
        upper = max(M @ y)
        if lower == upper:
            return x, y, lower
    return None, None, None


def _solve_side(M: np.ndarray, support: list[int], equal: list[int], row_player: bool
                ) -> np.ndarray | None:
    """x on ``support`` with ``(x M)_j`` equal for every ``j`` in ``equal``, summing to 1."""
    if not support or not equal:
        return None
    k = len(support)
    rows, rhs = [], []
    for j in equal:
        rows.append([Fraction(M[i, j]) for i in support] + [Fraction(-1)])
        rhs.append(Fraction(0))
    rows.append([Fraction(1)] * k + [Fraction(0)])
    rhs.append(Fraction(1))
    sol = exact_solve(rows, rhs)
    if sol is None:
        return None
    x = np.array([Fraction(0)] * M.shape[0], dtype=object)
    for t, i in enumerate(support):
        x[i] = sol[t]
    return x
