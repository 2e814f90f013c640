r"""Subgame perfection of automaton profiles in the discounted repeated game.

By the one-shot deviation principle, a profile of finite automata is a subgame-perfect
equilibrium iff at every joint state that some history reaches, no player gains by
deviating once and then following the profile. With normalised values

.. math:: V(s) = (1 - \delta)\, r(s) + \delta \sum_{s'} P(s, s') V(s'),

the gain of player 1 from action :math:`a` in state :math:`s = (s_1, s_2)` is
:math:`(1-\delta)\, E_b\, u_1(a, b) + \delta\, E_b V_1(T_1(s_1, a, b), T_2(s_2, b, a)) - V_1(s)`.
Everything is exact (Fractions) on exact data.
"""

from __future__ import annotations

import html
import math
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

import numpy as np

from games.arguments import check_real
from games.errors import InvalidArgumentError, InvalidGameError
from games.model import Game, format_number
from games.repeated.automaton import Automaton
from games.repeated.matches import check_pair, check_stage, solve_linear
from games.results import json_number
from games.tolerance import normalised_payoffs

__all__ = ["is_subgame_perfect", "subgame_perfect_check", "SubgamePerfectCheck",
           "critical_discount"]

#: Largest one-shot deviation gain accepted on float data, as a fraction of the stage
#: game's payoff range.
GAIN_TOLERANCE = 1e-9


def _profile(profile: Any, stage: Game) -> tuple[Automaton, Automaton]:
    stage = check_stage(stage)
    if isinstance(profile, (str, bytes)) or not hasattr(profile, "__len__") or len(profile) != 2:
        raise InvalidGameError(
            f"profile: expected a pair of strategies (one per player), found {profile!r}")
    return check_pair(profile[0], profile[1], stage)


def _discount(discount: Any, exact: bool) -> Any:
    if isinstance(discount, bool) or not isinstance(
            discount, (int, float, Fraction, np.integer, np.floating)):
        raise InvalidArgumentError(f"discount: expected a number in [0, 1), found {discount!r}")
    if isinstance(discount, (float, np.floating)) and not math.isfinite(discount):
        raise InvalidArgumentError(f"discount: expected a number in [0, 1), found {discount!r}")
    if not 0 <= discount < 1:
        raise InvalidArgumentError(f"discount: expected a number in [0, 1), found {discount!r}")
    if exact and isinstance(discount, (int, Fraction, np.integer)):
        return Fraction(discount)
    return float(discount)


def reachable_joint_states(a1: Automaton, a2: Automaton) -> np.ndarray:
    """Joint states ``s1 * n2 + s2`` that some history (any actions) reaches."""
    n2 = a2.n_states
    start = a1.initial * n2 + a2.initial
    seen = {start}
    frontier = [start]
    t1, t2 = a1.transitions, a2.transitions
    while frontier:
        new = []
        for state in frontier:
            i, j = divmod(state, n2)
            nxt = t1[i] * n2 + t2[j].T  # [a, b]: next joint state after (a, b)
            for x in np.unique(nxt).tolist():
                if x not in seen:
                    seen.add(x)
                    new.append(x)
        frontier = new
    return np.array(sorted(seen), dtype=np.int64)


@dataclass(frozen=True, eq=False)
class SubgamePerfectCheck:
    """The one-shot deviation check of a profile.

    Attributes
    ----------
    is_subgame_perfect : bool
    gain : Fraction or float
        The certificate: the largest gain from a one-shot deviation over all reachable
        joint states and both players (<= 0 at an SPE; exact on exact data).
    state : tuple of int
        The joint state ``(s1, s2)`` where the largest gain occurs.
    player : int
        The player with the largest gain there.
    deviation : int
        The action that achieves it.
    values : dict
        ``(s1, s2) -> (V_1, V_2)``: the normalised continuation values.
    discount : Fraction or float
    exact : bool
    """

    is_subgame_perfect: bool
    gain: Fraction | float
    state: tuple[int, int]
    player: int
    deviation: int
    values: dict[tuple[int, int], tuple[Fraction | float, Fraction | float]] = \
        field(repr=False)
    discount: Fraction | float
    exact: bool

    def __bool__(self) -> bool:
        return self.is_subgame_perfect

    def __repr__(self) -> str:
        verdict = "subgame perfect" if self.is_subgame_perfect else "not subgame perfect"
        return (f"SubgamePerfectCheck({verdict} at discount {format_number(self.discount)}: "
                f"largest one-shot gain {format_number(self.gain)} for player {self.player} "
                f"playing action {self.deviation} in joint state {self.state})")

    def to_dict(self) -> dict[str, Any]:
        """JSON-able; exact numbers as ``'p/q'`` strings, the continuation values as a list
        of ``{"state": [s1, s2], "values": [V_1, V_2]}``."""
        return {"is_subgame_perfect": self.is_subgame_perfect,
                "gain": json_number(self.gain), "state": list(self.state),
                "player": self.player, "deviation": self.deviation,
                "discount": json_number(self.discount), "exact": self.exact,
                "values": [{"state": list(state), "values": [json_number(v) for v in pair]}
                           for state, pair in self.values.items()]}

    def _repr_html_(self) -> str:
        esc = html.escape
        rows = "".join(f"<tr><td>{state}</td><td>{esc(format_number(pair[0]))}</td>"
                       f"<td>{esc(format_number(pair[1]))}</td></tr>"
                       for state, pair in self.values.items())
        return (f"<table><caption>{esc(repr(self))}</caption><tr><th>joint state</th>"
                f"<th>value of player 0</th><th>value of player 1</th></tr>{rows}</table>")


def subgame_perfect_check(profile: Any, stage: Game, discount: Any,
                          tol: float | None = None) -> SubgamePerfectCheck:
    """One-shot deviation check of an automaton profile with its certificate.

    Parameters
    ----------
    profile : pair of Strategy or Automaton
    stage : Game
        The two-player stage game.
    discount : number in [0, 1)
        The discount factor (exact when given as an int or Fraction with an exact
        stage game and exact strategies).
    tol : float, optional
        Largest gain accepted on float data (default ``GAIN_TOLERANCE`` times the payoff
        range, so the verdict does not depend on the payoff scale).

    Returns
    -------
    SubgamePerfectCheck
    """
    a1, a2 = _profile(profile, stage)
    if tol is not None:
        check_real(tol, "tol", low=0)
    exact = stage.exact and a1.exact_policy is not None and a2.exact_policy is not None
    delta = _discount(discount, exact)
    exact = exact and isinstance(delta, Fraction)
    # Float data: solve on payoffs normalised to [0, 1] (one-shot gains scale with the
    # payoff range and do not move with a common shift), then map back.
    payoffs, low, span = (stage.payoffs, 0, 1) if exact else \
        normalised_payoffs(stage.float_payoffs)
    x1, x2 = a1.probabilities(exact), a2.probabilities(exact)
    states = reachable_joint_states(a1, a2)
    n2 = a2.n_states
    index = {int(s): k for k, s in enumerate(states)}
    n = len(states)
    k1, k2 = stage.shape
    zero = Fraction(0) if exact else 0.0
    one = Fraction(1) if exact else 1.0
    dtype = object if exact else float
    P = np.zeros((n, n), dtype=dtype)
    r = np.zeros((n, 2), dtype=dtype)
    if exact:
        P[:] = zero
        r[:] = zero
    t1, t2 = a1.transitions, a2.transitions
    for row, s in enumerate(states.tolist()):
        i, j = divmod(s, n2)
        for a in range(k1):
            for b in range(k2):
                p = x1[i, a] * x2[j, b]
                if p == 0:
                    continue
                P[row, index[int(t1[i, a, b]) * n2 + int(t2[j, b, a])]] += p
                r[row, 0] += p * payoffs[0, a, b]
                r[row, 1] += p * payoffs[1, a, b]
    A = np.eye(n, dtype=int) * one - delta * P
    V = solve_linear(A.astype(dtype), r, exact) * (1 - delta) if n else np.zeros((0, 2))
    best = (None, -math.inf, (0, 0), 0, 0)
    for row, s in enumerate(states.tolist()):
        i, j = divmod(s, n2)
        for player in (0, 1):
            own_k = k1 if player == 0 else k2
            for a in range(own_k):
                q = zero
                if player == 0:
                    for b in range(k2):
                        if x2[j, b] == 0:
                            continue
                        nxt = index[int(t1[i, a, b]) * n2 + int(t2[j, b, a])]
                        q += x2[j, b] * ((1 - delta) * payoffs[0, a, b] + delta * V[nxt, 0])
                else:
                    for b in range(k1):
                        if x1[i, b] == 0:
                            continue
                        nxt = index[int(t1[i, b, a]) * n2 + int(t2[j, a, b])]
                        q += x1[i, b] * ((1 - delta) * payoffs[1, b, a] + delta * V[nxt, 1])
                gain = q - V[row, player]
                if best[0] is None or gain > best[1]:
                    best = (True, gain, (i, j), player, a)
    gain = best[1]
    if exact:
        ok = gain <= 0
    else:
        gain = float(gain) * span
        ok = gain <= (GAIN_TOLERANCE * span if tol is None else tol)
        V = V * span + low
    values = {divmod(int(s), n2): tuple(V[k]) for k, s in enumerate(states)}
    return SubgamePerfectCheck(is_subgame_perfect=bool(ok), gain=gain, state=best[2],
                               player=best[3], deviation=best[4], values=values,
                               discount=delta, exact=exact)


def is_subgame_perfect(profile: Any, stage: Game, discount: Any,
                       tol: float | None = None) -> bool:
    r"""Whether an automaton profile is a subgame-perfect equilibrium of the repeated
    ``stage`` game with discount factor ``discount`` (one-shot deviation principle over
    every joint state some history reaches; exact on exact data).

    See :func:`subgame_perfect_check` for the certificate (the largest one-shot gain).

    References
    ----------
    Fudenberg, D., Tirole, J. (1991). Game Theory, ch. 4.2 and 5.1. MIT Press.

    Examples
    --------
    >>> from fractions import Fraction as F
    >>> from games.catalog import prisoners_dilemma
    >>> from games.repeated import strategies as s
    >>> grim = (s.GrimTrigger(), s.GrimTrigger())
    >>> pd = prisoners_dilemma()          # (T, R, P, S) = (5, 3, 1, 0)
    >>> is_subgame_perfect(grim, pd, F(1, 2)), is_subgame_perfect(grim, pd, F(49, 100))
    (True, False)
    """
    return subgame_perfect_check(profile, stage, discount, tol).is_subgame_perfect


# ---------------------------------------------------------------------------------------
# The critical discount: sign conditions of polynomials in the discount


def _padd(p: list, q: list) -> list:
    n = max(len(p), len(q))
    return [(p[k] if k < len(p) else 0) + (q[k] if k < len(q) else 0) for k in range(n)]


def _pmul(p: list, q: list) -> list:
    out = [0] * (len(p) + len(q) - 1)
    for i, x in enumerate(p):
        if x == 0:
            continue
        for j, y in enumerate(q):
            out[i + j] += x * y
    return out


def _pscale(p: list, c: Any) -> list:
    return [c * x for x in p]


def _shift(p: list, k: int) -> list:
    return [0] * k + list(p)


def _peval(p: list, x: Any) -> Any:
    out = 0
    for c in reversed(p):
        out = out * x + c
    return out


def _trim(p: list) -> list:
    p = list(p)
    while p and p[-1] == 0:
        p.pop()
    return p


def critical_discount(profile: Any, stage: Game) -> Fraction | float | None:
    r"""The smallest discount factor from which on a deterministic automaton profile is
    a subgame-perfect equilibrium: the least :math:`\underline\delta` such that the
    profile is an SPE for every :math:`\delta \in [\underline\delta, 1)`; None when it is
    not an SPE for discounts close to 1.

    Each one-shot deviation gain, multiplied by positive factors, is a polynomial in
    :math:`\delta` (the paths from every joint state are eventually periodic); the answer
    is a root of one of them, exact (a Fraction) when that root is rational and the stage
    game is exact, else a float.

    Examples
    --------
    Grim trigger in the prisoner's dilemma needs :math:`\delta \ge (T-R)/(T-P)`:

    >>> from games.catalog import prisoners_dilemma
    >>> from games.repeated import strategies as s
    >>> critical_discount((s.GrimTrigger(), s.GrimTrigger()), prisoners_dilemma())
    Fraction(1, 2)
    >>> critical_discount((s.TitForTat(), s.TitForTat()), prisoners_dilemma()) is None
    True

    Raises
    ------
    InvalidGameError
        When a strategy is not deterministic.
    """
    a1, a2 = _profile(profile, stage)
    if not (a1.is_deterministic and a2.is_deterministic):
        raise InvalidGameError(
            "profile: expected deterministic automata for critical_discount (mixed states "
            "make the conditions non-polynomial); use is_subgame_perfect at given discounts")
    exact = stage.exact
    # The sign conditions do not change under positive affine maps of the payoffs.
    payoffs = stage.payoffs if exact else normalised_payoffs(stage.float_payoffs)[0]
    p1, p2 = a1.pure_actions, a2.pure_actions
    t1, t2 = a1.transitions, a2.transitions
    n2 = a2.n_states
    states = reachable_joint_states(a1, a2).tolist()

    def step(s: int, a: int | None = None, b: int | None = None) -> tuple[int, int, int]:
        i, j = divmod(s, n2)
        x = int(p1[i]) if a is None else a
        y = int(p2[j]) if b is None else b
        return int(t1[i, x, y]) * n2 + int(t2[j, y, x]), x, y

    # N_s / D_s with V_s = (1 - d) N_s / D_s, per player
    cache: dict[int, tuple[list, list, list]] = {}

    def value_poly(s: int) -> tuple[list, list, list]:
        if s in cache:
            return cache[s]
        seen: dict[int, int] = {}
        path, rewards = [], []
        state = s
        while state not in seen:
            seen[state] = len(path)
            path.append(state)
            nxt, x, y = step(state)
            rewards.append((payoffs[0, x, y], payoffs[1, x, y]))
            state = nxt
        m = seen[state]
        L = len(path) - m
        D = _padd([1], _shift([-1], L))
        out = []
        for i in range(2):
            A = [rewards[t][i] for t in range(m)] or [0]
            C = [rewards[t][i] for t in range(m, len(path))]
            out.append(_padd(_pmul(A, D), _shift(C, m)))
        cache[s] = (out[0], out[1], D)
        return cache[s]

    polys = []
    for s in states:
        succ, x, y = step(s)
        for player in (0, 1):
            own_k = stage.shape[player]
            prescribed = x if player == 0 else y
            for a in range(own_k):
                if a == prescribed:
                    continue
                if player == 0:
                    dev, xa, ya = step(s, a=a)
                else:
                    dev, xa, ya = step(s, b=a)
                du = payoffs[player, xa, ya] - payoffs[player, x, y]
                Nd, Dd = value_poly(dev)[player], value_poly(dev)[2]
                Ns, Ds = value_poly(succ)[player], value_poly(succ)[2]
                poly = _padd(_pscale(_pmul(Dd, Ds), du),
                             _shift(_padd(_pmul(Nd, Ds), _pscale(_pmul(Ns, Dd), -1)), 1))
                poly = _trim(poly)
                if poly:
                    polys.append(poly)

    def holds(d: Any) -> bool:
        if exact:
            return all(_peval(p, d) <= 0 for p in polys)
        return all(_peval(p, d) <= GAIN_TOLERANCE for p in polys)

    roots: dict[float, Any] = {}
    for p in polys:
        if len(p) < 2:
            continue
        coeffs = np.array([float(c) for c in reversed(p)])
        for z in np.roots(coeffs):
            if abs(z.imag) > 1e-9 or not 1e-12 < z.real < 1 - 1e-12:
                continue
            x = float(z.real)
            value: Any = x
            if exact:
                q = Fraction(x).limit_denominator(10**6)
                if _peval(p, q) == 0:
                    if not 0 < q < 1:
                        continue
                    value = q
            key = round(x, 9)
            if key not in roots or isinstance(value, Fraction):
                roots[key] = value
    cuts = sorted(roots.values(), key=float)
    points = [Fraction(0) if exact else 0.0] + cuts + [Fraction(1) if exact else 1.0]

    def mid(lo: Any, hi: Any) -> Any:
        if exact and isinstance(lo, Fraction) and isinstance(hi, Fraction):
            return (lo + hi) / 2
        return (float(lo) + float(hi)) / 2

    if not holds(mid(points[-2], points[-1])):
        return None
    for k in range(len(points) - 2, 0, -1):
        if not holds(mid(points[k - 1], points[k])):
            return points[k]
    return points[0] if holds(points[0]) else points[1]
