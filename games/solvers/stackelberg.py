"""Optimal commitment: the strong Stackelberg equilibrium of a two-player game.

The leader commits to a mixed strategy :math:`x`; the follower sees it and plays a best
response, breaking ties in the leader's favour (the *strong* Stackelberg equilibrium).
The multiple-LPs method of Conitzer & Sandholm (2006) solves, for each follower action
:math:`j`, the linear program

.. math:: \\max_x\\ x^\\top A e_j \\quad \\text{s.t.}\\quad x^\\top B e_k \\le x^\\top B e_j
          \\ \\ (\\text{all } k),\\quad x \\ge 0,\\ \\textstyle\\sum_i x_i = 1,

and keeps the best :math:`j`. Committing is never worse for the leader than any Nash
equilibrium (von Stengel & Zamir 2010), so the result also reports the leader's best Nash
payoff and the gain from commitment.

References
----------
Conitzer, V. & Sandholm, T. (2006). Computing the optimal strategy to commit to. EC'06.
von Stengel, B. & Zamir, S. (2010). Leadership games with convex strategy sets. GEB 69.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from fractions import Fraction
from itertools import combinations
from math import comb
from typing import Any

import numpy as np

from games.errors import InvalidArgumentError, SolverError
from games.model import Game, format_number, json_number
from games.palette import colour
from games.solvers.common import (
    check_two_players,
    exact_solve,
    rounded_point,
    vertex_from_active_constraints,
)
from games.solvers.lemke_howson import lemke_howson
from games.solvers.vertex_enumeration import all_equilibria
from games.tolerance import float_tolerance, normalised_payoffs

__all__ = ["stackelberg", "StackelbergEquilibrium", "MAX_ENUMERATION"]

#: Largest number of actions (per player) for which the leader's best Nash payoff comes
#: from every extreme equilibrium (:func:`games.all_equilibria`); larger games use
#: Lemke-Howson from every label (a lower bound on the best Nash payoff).
MAX_ENUMERATION = 10

#: Most candidate bases (over all follower actions) the exact vertex enumeration of the
#: best-response regions visits when an LP vertex cannot be rationalised.
MAX_EXACT_BASES = 50_000


@dataclass(frozen=True, eq=False)
class StackelbergEquilibrium:
    """A strong Stackelberg equilibrium with its certificate.

    Attributes
    ----------
    leader : int
        The committing player (the other one follows).
    commitment : ndarray
        The leader's mixed strategy (Fractions when exact).
    follower_action : int
        The follower's best response (ties broken in the leader's favour).
    follower_action_name : str
    leader_value, follower_value : float or Fraction
        Expected payoffs at ``(commitment, follower_action)``.
    best_response_gap : float or Fraction
        Certificate: ``max_k x.B[:, k] - x.B[:, j]``, the follower's gain from leaving
        ``follower_action``; 0 when exact, at most the float tolerance otherwise.
    recomputed_leader_value : float or Fraction
        The leader's value recomputed from the game's payoffs (``Game.expected_payoffs``).
    exact : bool
        Whether the commitment and values are exact Fractions verified exactly.
    method : str
    nash_value : float or Fraction
        The leader's best payoff over the Nash equilibria found.
    nash_method : str
        How they were found: every extreme equilibrium (exact maximum) or Lemke-Howson
        from every label (a lower bound on the best Nash payoff).
    commitment_gain : float or Fraction
        ``leader_value - nash_value``; never negative (von Stengel & Zamir 2010).
    game : Game
    """

    leader: int
    commitment: np.ndarray
    follower_action: int
    follower_action_name: str
    leader_value: Any
    follower_value: Any
    best_response_gap: Any
    recomputed_leader_value: Any
    exact: bool
    method: str
    nash_value: Any
    nash_method: str
    commitment_gain: Any
    game: Game | None = field(default=None, repr=False)

    @property
    def follower(self) -> int:
        """Index of the follower."""
        return 1 - self.leader

    @property
    def strategies(self) -> tuple[np.ndarray, np.ndarray]:
        """The profile ``(commitment, pure follower response)`` in player order."""
        n = len(self.game.actions[self.follower]) if self.game is not None else 0
        zero, one = (Fraction(0), Fraction(1)) if self.exact else (0.0, 1.0)
        response = np.array([one if k == self.follower_action else zero for k in range(n)],
                            dtype=self.commitment.dtype)
        if self.leader == 0:
            return self.commitment, response
        return response, self.commitment

    def _commitment_text(self) -> str:
        names = (self.game.actions[self.leader] if self.game is not None
                 else [str(i) for i in range(len(self.commitment))])
        return ", ".join(f"{a}: {format_number(p)}" for a, p in zip(names, self.commitment)
                         if p != 0)

    def __repr__(self) -> str:
        return (f"StackelbergEquilibrium(leader {self.leader}, commitment "
                f"{{{self._commitment_text()}}}, follower plays {self.follower_action_name}, "
                f"values ({format_number(self.leader_value)}, "
                f"{format_number(self.follower_value)}), nash value "
                f"{format_number(self.nash_value)}, gap "
                f"{format_number(self.best_response_gap)}, exact {self.exact})")

    def _repr_html_(self) -> str:
        esc = html.escape
        rows = [("commitment", self._commitment_text()),
                ("follower action", self.follower_action_name),
                ("leader value", format_number(self.leader_value)),
                ("follower value", format_number(self.follower_value)),
                ("best Nash value (leader)", f"{format_number(self.nash_value)} "
                                             f"({self.nash_method})"),
                ("commitment gain", format_number(self.commitment_gain)),
                ("best-response gap", format_number(self.best_response_gap)),
                ("exact", str(self.exact)), ("method", self.method)]
        body = "".join(f"<tr><th>{esc(k)}</th><td>{esc(v)}</td></tr>" for k, v in rows)
        return f"<table><caption>Stackelberg equilibrium</caption>{body}</table>"

    def to_dict(self) -> dict[str, Any]:
        return {
            "leader": self.leader,
            "commitment": [json_number(p) for p in self.commitment],
            "follower_action": self.follower_action,
            "follower_action_name": self.follower_action_name,
            "leader_value": json_number(self.leader_value),
            "follower_value": json_number(self.follower_value),
            "best_response_gap": json_number(self.best_response_gap),
            "recomputed_leader_value": json_number(self.recomputed_leader_value),
            "exact": self.exact,
            "method": self.method,
            "nash_value": json_number(self.nash_value),
            "nash_method": self.nash_method,
            "commitment_gain": json_number(self.commitment_gain),
        }

    def plot(self, ax: Any = None, points: int = 401) -> Any:
        """The leader's value against the probability of its first action (two-action
        leaders), the follower's best-response regions shaded (matplotlib)."""
        import matplotlib.pyplot as plt

        if self.game is None or len(self.commitment) != 2:
            raise InvalidArgumentError(
                f"plot: expected a leader with 2 actions, found {len(self.commitment)}")
        A, B = leader_follower_payoffs(self.game, self.leader, exact=False)
        if ax is None:
            _, ax = plt.subplots()
        p = np.linspace(0.0, 1.0, points)
        X = np.stack([p, 1 - p], axis=1)
        follower = X @ B
        leader = X @ A
        tol = float_tolerance(np.stack([A, B]))
        best = follower >= follower.max(axis=1, keepdims=True) - tol
        value = np.where(best, leader, -np.inf).max(axis=1)
        response = np.where(best, leader, -np.inf).argmax(axis=1)
        names = self.game.actions[self.follower]
        for j in range(B.shape[1]):
            inside = response == j
            if inside.any():
                ax.fill_between(p, 0, 1, where=inside, transform=ax.get_xaxis_transform(),
                                color=colour(j), alpha=0.15,
                                label=f"follower plays {names[j]}")
        ax.plot(p, value, color="black", label="leader value")
        ax.plot([float(self.commitment[0])], [float(self.leader_value)], "o", color="black")
        ax.set_xlabel(f"probability of {self.game.actions[self.leader][0]}")
        ax.set_ylabel(f"{self.game.players[self.leader]}'s payoff")
        ax.set_title(self.game.title or "optimal commitment")
        ax.legend(fontsize="small")
        return ax


def leader_follower_payoffs(game: Game, leader: int, exact: bool) -> tuple[np.ndarray,
                                                                           np.ndarray]:
    """The leader's and the follower's payoffs as matrices indexed ``[leader action,
    follower action]`` (object Fractions when ``exact``, else floats)."""
    payoffs = game.payoffs if exact else game.float_payoffs
    if leader == 0:
        return payoffs[0], payoffs[1]
    return payoffs[1].T, payoffs[0].T


def _check_leader(game: Game, leader: Any) -> int:
    if isinstance(leader, str) and leader in game.players:
        return game.players.index(leader)
    if isinstance(leader, (int, np.integer)) and not isinstance(leader, (bool, np.bool_)) \
            and int(leader) in (0, 1):
        return int(leader)
    raise InvalidArgumentError(
        f"leader: expected 0, 1 or a player name {game.players}, found {leader!r}")


def stackelberg(game: Game, leader: int | str = 0) -> StackelbergEquilibrium:
    """The strong Stackelberg equilibrium of a two-player game (optimal commitment).

    For each follower action ``j``, a linear program maximises the leader's payoff over
    the mixed strategies that make ``j`` a best response (Conitzer & Sandholm 2006); the
    best ``j`` wins (the follower breaks ties in the leader's favour). The LPs run in
    HiGHS (dual simplex, feasibility tolerances 1e-10) on payoffs mapped to [0, 2); on an
    exact game each vertex is recomputed exactly from its active constraints, verified
    feasible exactly and proved optimal by an exact dual solution (falling back to the
    float answer, ``exact=False``, when that fails).

    Parameters
    ----------
    game : Game
        A two-player game.
    leader : int or str
        The committing player (0, 1 or a name).

    Returns
    -------
    StackelbergEquilibrium
        Verified: the follower's best-response gap is 0 (exact) or within
        :func:`games.tolerance.float_tolerance`, and the leader's value equals its
        recomputation from the payoffs.

    Raises
    ------
    InvalidGameError
        When the game does not have two players.
    InvalidArgumentError
        When ``leader`` is not 0, 1 or a player name.
    SolverError
        When the LPs fail or the answer does not verify.

    Examples
    --------
    >>> g = Game.from_bimatrix([[2, 4], [1, 3]], [[1, 0], [0, 1]])
    >>> s = stackelberg(g)
    >>> [str(p) for p in s.commitment], str(s.leader_value), str(s.nash_value)
    (['1/2', '1/2'], '7/2', '2')
    """
    check_two_players(game, "stackelberg")
    leader = _check_leader(game, leader)
    A, B = leader_follower_payoffs(game, leader, exact=False)
    tol = float_tolerance(game.float_payoffs)
    candidates = _solve_lps(A, B)
    if not candidates:
        raise SolverError("stackelberg: every follower action's LP failed")
    best_float = max(c[2] for c in candidates)
    # every follower action whose LP value ties the best (in floats) is compared exactly
    near = [(j, x, duals) for j, x, v, duals in candidates if v >= best_float - tol]
    method = "multiple LPs (Conitzer & Sandholm 2006, HiGHS)"
    if game.exact:
        exact_answer = _exact_choice(game, leader, near)
        if exact_answer is not None:
            j, x = exact_answer
            return _finish(game, leader, x, j, True, method + ", exact vertex")
        exact_answer = _enumerated_choice(game, leader)
        if exact_answer is not None:
            j, x = exact_answer
            return _finish(game, leader, x, j, True,
                           "exact vertex enumeration of the best-response regions")
        method += ", float (not rationalised)"
    j, x = max(candidates, key=lambda c: c[2])[:2]
    return _finish(game, leader, x, j, False, method)


def _solve_lps(A: np.ndarray, B: np.ndarray) -> list[tuple[int, np.ndarray, float, Any]]:
    """``(j, x, value, duals)`` for every follower action ``j`` whose LP is feasible;
    ``value`` in the original payoff units, ``duals`` HiGHS's marginals of the incentive
    constraints."""
    from scipy.optimize import linprog

    m, n = A.shape
    unit_a, low_a, scale_a = normalised_payoffs(A)
    unit_b, _, _ = normalised_payoffs(B)
    out = []
    for j in range(n):
        others = [k for k in range(n) if k != j]
        A_ub = (unit_b[:, others] - unit_b[:, [j]]).T if others else None
        res = linprog(-unit_a[:, j], A_ub=A_ub, b_ub=np.zeros(len(others)) if others else None,
                      A_eq=np.ones((1, m)), b_eq=[1.0], bounds=(0, None), method="highs-ds",
                      options={"primal_feasibility_tolerance": 1e-10,
                               "dual_feasibility_tolerance": 1e-10})
        if res.status == 2:      # infeasible: j is never a best response
            continue
        if res.status != 0 or res.x is None:
            raise SolverError(f"stackelberg: the LP of follower action {j} failed "
                              f"({res.message})")
        x = np.where(res.x < 0, 0.0, res.x)
        x = x / x.sum()
        duals = res.ineqlin.marginals if others else np.zeros(0)
        out.append((j, x, float(x @ A[:, j]), np.asarray(duals, dtype=np.float64)))
    return out


def _exact_choice(game: Game, leader: int, near: list[tuple[int, np.ndarray, np.ndarray]]
                  ) -> tuple[int, np.ndarray] | None:
    """The exact vertex of every near-best LP, proved optimal by an exact dual solution,
    and the follower action whose exact value is largest (smallest index on ties); None
    when some vertex cannot be made exact or proved optimal."""
    A, B = leader_follower_payoffs(game, leader, exact=True)
    scale = normalised_payoffs(game.float_payoffs[1 - leader])[2] or 1.0
    # HiGHS's duals are in normalised units: multiply by the leader's scale over the
    # follower's to read them in payoff units
    dual_unit = normalised_payoffs(game.float_payoffs[leader])[2] / scale
    best = None
    for j, x, duals in near:
        q = _exact_vertex(B, j, x, scale)
        if q is None or not _proved_optimal(A, B, j, q, -duals * dual_unit):
            return None
        value = q.dot(A[:, j])
        if best is None or value > best[0]:
            best = (value, j, q)
    return best[1], best[2]


def _enumerated_choice(game: Game, leader: int) -> tuple[int, np.ndarray] | None:
    """The strong Stackelberg commitment by exact enumeration: a maximum of the leader's
    value over the region where follower action j is a best response is attained at a
    vertex, the unique solution of m - 1 independent active constraints (incentive
    constraints or x_i = 0) and sum x = 1. None when there are more than
    :data:`MAX_EXACT_BASES` candidate bases."""
    A, B = leader_follower_payoffs(game, leader, exact=True)
    m, n = B.shape
    if n * comb(n - 1 + m, m - 1) > MAX_EXACT_BASES:
        return None
    best = None
    for j in range(n):
        rows = [list(r) for r in incentive_rows(B, j)]
        rows += [[Fraction(int(i == r)) for i in range(m)] for r in range(m)]
        for active in combinations(range(len(rows)), m - 1):
            system = [rows[r] for r in active] + [[Fraction(1)] * m]
            q = exact_solve(system, [Fraction(0)] * (m - 1) + [Fraction(1)])
            if q is None or min(q) < 0:
                continue
            q = np.array(q, dtype=object)
            if max(q.dot(B)) != q.dot(B[:, j]):
                continue
            value = q.dot(A[:, j])
            if best is None or value > best[0]:
                best = (value, j, q)
    return None if best is None else (best[1], best[2])


def incentive_rows(B: np.ndarray, j: int) -> np.ndarray:
    """``G`` with ``G @ x <= 0`` saying follower action ``j`` is a best response to ``x``
    (one row per other action ``k``: ``B[:, k] - B[:, j]``)."""
    m, n = B.shape
    return np.array([[B[i, k] - B[i, j] for i in range(m)] for k in range(n) if k != j],
                    dtype=object).reshape(n - 1, m)


def _proved_optimal(A: np.ndarray, B: np.ndarray, j: int, q: np.ndarray,
                    duals: np.ndarray) -> bool:
    """Whether the exact feasible point ``q`` maximises ``q.A[:, j]`` over the region of
    ``j``: an exact solution ``(y >= 0, t)`` of the dual ``G^T y + t >= A[:, j]`` with
    ``G q = 0`` where ``y > 0`` and equality on the support of ``q`` (complementary
    slackness), so that ``t = q.A[:, j]`` is an upper bound. HiGHS's marginals say which
    constraints may carry a positive ``y`` when the vertex is degenerate."""
    G = incentive_rows(B, j)
    c = A[:, j]
    support = [i for i in range(len(q)) if q[i] > 0]
    tight = [k for k in range(len(G)) if G[k].dot(q) == 0]
    marginal = np.abs(duals) if len(duals) else np.zeros(0)
    active = [k for k in tight if marginal[k] > 1e-9 * (marginal.max() or 1)]
    guesses = []
    for rows_used in (tight, active):
        system = [[G[k, i] for k in rows_used] + [Fraction(1)] for i in support]
        solution = exact_solve(system, [Fraction(c[i]) for i in support])
        if solution is not None:
            guesses.append((rows_used, solution[:-1], solution[-1]))
    value = q.dot(c)
    for limit in (10**3, 10**6):
        y = [max(Fraction(0), Fraction(float(duals[k])).limit_denominator(limit))
             for k in tight]
        guesses.append((tight, y, value))
    for rows_used, y, t in guesses:
        if min(y, default=0) < 0 or t != value:
            continue
        bound = [sum((G[k, i] * yk for k, yk in zip(rows_used, y)), Fraction(0)) + t
                 for i in range(len(q))]
        if all(b >= c[i] for i, b in enumerate(bound)):
            return True
    return False


def _exact_vertex(B: np.ndarray, j: int, x: np.ndarray, scale: float) -> np.ndarray | None:
    """The exact point of ``{x >= 0 : sum x = 1, x.B[:, k] <= x.B[:, j]}`` that the float
    vertex ``x`` approximates: rounded (continued fractions) or else the unique solution
    of its active constraints, verified exactly; None when neither works."""
    G = incentive_rows(B, j)

    def feasible(q: np.ndarray) -> bool:
        return min(q) >= 0 and sum(q) == 1 and (len(G) == 0 or max(G.dot(q)) <= 0)

    q = rounded_point(x, feasible)
    return q if q is not None else vertex_from_active_constraints(G, x, scale)


def _finish(game: Game, leader: int, x: np.ndarray, j: int, exact: bool,
            method: str) -> StackelbergEquilibrium:
    A, B = leader_follower_payoffs(game, leader, exact=exact)
    follower_payoffs = x.dot(B)
    gap = max(follower_payoffs) - follower_payoffs[j]
    leader_value = x.dot(A[:, j])
    follower_value = follower_payoffs[j]
    response = np.zeros(B.shape[1], dtype=object if exact else np.float64)
    response[:] = Fraction(0) if exact else 0.0
    response[j] = Fraction(1) if exact else 1.0
    profile = (x, response) if leader == 0 else (response, x)
    source = game if exact else game.to_float()
    recomputed = source.expected_payoffs(profile)[leader]
    tol = float_tolerance(game.float_payoffs)
    if exact:
        ok_gap, ok_value = gap == 0, recomputed == leader_value
    else:
        gap, leader_value, follower_value = float(gap), float(leader_value), \
            float(follower_value)
        recomputed = float(recomputed)
        ok_gap, ok_value = gap <= tol, abs(recomputed - leader_value) <= tol
    if not ok_gap:
        raise SolverError(f"stackelberg: follower action {j} is not a best response to the "
                          f"commitment: gap {format_number(gap)} (expected at most "
                          f"{0 if exact else tol:.3g})")
    if not ok_value:
        raise SolverError(f"stackelberg: leader value {format_number(leader_value)} differs "
                          f"from its recomputation {format_number(recomputed)}")
    nash_value, nash_method = _best_nash_value(game, leader, exact)
    gain = leader_value - nash_value
    if (gain < 0) if exact else (gain < -tol):
        raise SolverError(f"stackelberg: commitment value {format_number(leader_value)} is "
                          f"below the best Nash payoff {format_number(nash_value)}, which "
                          f"commitment never is (von Stengel & Zamir 2010)")
    if not exact:
        gap = max(gap, 0.0)
    commitment = np.asarray(x, dtype=object if exact else np.float64)
    commitment.flags.writeable = False
    return StackelbergEquilibrium(
        leader=leader, commitment=commitment, follower_action=int(j),
        follower_action_name=game.actions[1 - leader][j], leader_value=leader_value,
        follower_value=follower_value, best_response_gap=gap,
        recomputed_leader_value=recomputed, exact=exact, method=method,
        nash_value=nash_value, nash_method=nash_method, commitment_gain=gain, game=game)


def _best_nash_value(game: Game, leader: int, exact: bool) -> tuple[Any, str]:
    """The leader's best payoff over Nash equilibria, and how they were found."""
    source = game if exact else game.to_float()
    equilibria = None
    if max(game.shape) <= MAX_ENUMERATION:
        try:
            equilibria, how = all_equilibria(source), "all extreme equilibria"
        except SolverError:     # a float enumeration that fails to verify: fall back
            equilibria = None
    if equilibria is None:
        equilibria = lemke_howson(source)
        how = "Lemke-Howson from every label (a lower bound)"
    values = [e.payoffs[leader] for e in equilibria]
    best = max(values)
    return (best if exact else float(best)), how
