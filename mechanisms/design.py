"""Optimal realignment: the cheapest transfers that make a target outcome an equilibrium
(k-implementation, Monderer & Tennenholtz 2004), the cheapest member of a mechanism family,
and the robustness of a design.

A designer promises a transfer :math:`V_i(a)` to player i at each outcome a (a payment
when positive, a fine when negative and ``fines`` are allowed). The target t becomes

- a Nash equilibrium when :math:`u_i(t) + V_i(t) \\ge u_i(b, t_{-i}) + V_i(b, t_{-i})` for
  every player i and action b (strict: with a margin),
- dominant when :math:`t_i` is a best reply to every profile of the others,
- the unique pure equilibrium when, at every other outcome, some player gains by
  deviating (a mixed-integer program).

The cost is what is paid on the equilibrium path (``"paid"``: :math:`\\sum_i V_i(t)`),
everything promised (``"promised"``: :math:`\\sum_{i,a} |V_i(a)|`), or any convex function
of the transfers given as a callable on a cvxpy variable.

References
----------
Monderer & Tennenholtz (2004). K-implementation. Journal of Artificial Intelligence
Research 21, 37-62.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import TYPE_CHECKING, Any

import numpy as np

from games import Game, InvalidArgumentError, InvalidGameError, SolverError, pure_equilibria
from games.palette import colour
from mechanisms.base import (
    COST_LAYER,
    FigurePath,
    Mechanism,
    Number,
    check_flag,
    check_number,
    freeze_yardstick,
    jsonable,
    mechanism_title,
    profile_index,
    with_cost,
)
from mechanisms.evaluation import CONDITIONS, condition_holds, threshold
from pareto import AlignmentReport, alignment_report
from pareto.plot import save_figure

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = ["implement", "Implementation", "robustness_margin", "cheapest", "CheapestMechanism",
           "paid_at_target"]

_OBJECTIVES = ("paid", "promised")
_DESIGN_CONDITIONS = ("equilibrium", "strict-equilibrium", "dominant", "unique")


@dataclass(frozen=True, eq=False)
class Implementation:
    """Transfers that implement a target outcome.

    Attributes
    ----------
    target : tuple of int
    transfers : ndarray, shape (n_players, a_1, ..., a_n)
        The promised transfer to each player at each outcome.
    cost : float or Fraction
        The objective's value (``"paid"``: paid at the target).
    game : Game
        The game with the transfers added to the payoffs and to the cost layer.
    condition : str
        ``"equilibrium"``, ``"strict-equilibrium"``, ``"dominant"`` or ``"unique"``.
    margin : float or Fraction
        The smallest gain of the target's actions over a deviation in the designed game
        (its robustness: payoffs may move by up to margin/2 in max-norm).
    exact : bool
    method : str
    """

    target: tuple[int, ...]
    transfers: np.ndarray
    cost: Number
    game: Game
    condition: str
    margin: Number
    exact: bool
    method: str

    @property
    def paid(self) -> Number:
        """What the designer pays when the target is played."""
        return sum(self.transfers[(i, *self.target)] for i in range(self.transfers.shape[0]))

    def __repr__(self) -> str:
        names = ", ".join(self.game.actions[i][a] for i, a in enumerate(self.target))
        return (f"Implementation(({names}) as {self.condition}, cost {_show(self.cost)}, "
                f"paid {_show(self.paid)}, margin {_show(self.margin)}, {self.method})")

    def _repr_html_(self) -> str:
        g = self.game
        rows = "".join(
            f"<tr><td>{html.escape(', '.join(g.actions[j][a] for j, a in enumerate(profile)))}"
            f"</td>" + "".join(f"<td>{html.escape(_show(self.transfers[(i, *profile)]))}</td>"
                               for i in range(g.n_players)) + "</tr>"
            for profile in np.ndindex(*g.shape) if any(self.transfers[(slice(None), *profile)]))
        head = "".join(f"<th>{html.escape(p)}</th>" for p in g.players)
        return (f"<table><caption>{html.escape(repr(self))}</caption><tr><th>outcome</th>{head}"
                f"</tr>{rows}</table>")

    def reports(self, original: Game) -> tuple[AlignmentReport, AlignmentReport]:
        """The alignment reports of the original and the designed game, side by side."""
        return alignment_report(original), alignment_report(self.game)

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON data: exact numbers as ints or ``"p/q"``, floats as floats."""
        return {"target": list(self.target), "condition": self.condition,
                "cost": jsonable(self.cost), "paid": jsonable(self.paid),
                "margin": jsonable(self.margin), "exact": self.exact, "method": self.method,
                "transfers": jsonable(self.transfers)}


def _show(x: Any) -> str:
    return str(x) if isinstance(x, Fraction) else f"{float(x):.6g}"


def _target(game: Game, target: Sequence[Any]) -> tuple[int, ...]:
    return profile_index(game, target, "target")


def implement(game: Game, target: Sequence[Any], cost: Any = "paid", condition: str = "equilibrium",
              fines: bool = False, cap: Any = None, budget_balanced: bool = False,
              margin: Any = None) -> Implementation:
    """The cheapest transfers that make ``target`` an equilibrium of ``game``.

    Parameters
    ----------
    target : sequence
        One action (index or name) per player.
    cost : "paid", "promised" or callable
        What to minimise: the transfers paid at the target, the total promised (sum of
        absolute transfers), or ``cost(V)`` for a cvxpy variable ``V`` of shape
        (n_players, number of outcomes) returning a convex expression (needs cvxpy).
    condition : "equilibrium", "strict-equilibrium", "dominant" or "unique"
        Nash equilibrium; Nash with every deviation losing at least ``margin``; each
        target action dominant (strictly, by ``margin``); or the unique pure equilibrium
        (a mixed-integer program).
    fines : bool
        Allow negative transfers (fines) at outcomes other than the target.
    cap : number, optional
        Largest absolute transfer to a player at an outcome.
    budget_balanced : bool
        Transfers sum to zero at every outcome (needs ``fines``).
    margin : number, optional
        The margin of strict conditions (default 1/100 of the payoff range, at least 1e-6).

    Returns
    -------
    Implementation
        Verified on the designed game (exactly on exact games).

    Raises
    ------
    InvalidGameError
        When ``game`` is not a game.
    InvalidArgumentError
        A malformed target, condition, cost, cap, margin or flag, an infeasible
        design (naming the constraint that binds) or a convex cost unbounded below.
    SolverError
        When the program stops without a solution (e.g. a limit reached) or its answer
        fails verification.
    """
    if not isinstance(game, Game):
        raise InvalidGameError(f"game: expected a games.Game, found {type(game).__name__}")
    t = _target(game, target)
    if not isinstance(condition, str) or condition not in _DESIGN_CONDITIONS:
        raise InvalidArgumentError(f"condition: expected one of {_DESIGN_CONDITIONS}, found "
                                   f"{condition!r}")
    if not (callable(cost) or (isinstance(cost, str) and cost in _OBJECTIVES)):
        raise InvalidArgumentError(f"cost: expected 'paid', 'promised' or a callable, found "
                                   f"{cost!r}")
    fines = check_flag(fines, "fines")
    budget_balanced = check_flag(budget_balanced, "budget_balanced")
    if budget_balanced and not fines:
        raise InvalidArgumentError("budget_balanced: transfers summing to zero need fines=True")
    if cap is not None:
        cap = check_number(cap, "cap", 0)
    if margin is not None:
        margin = check_number(margin, "margin", 0, low_open=True)
    span = float(np.ptp(game.float_payoffs)) or 1.0
    if margin is None:
        margin = Fraction(1, 100) * Fraction(span).limit_denominator(10**6) if game.exact \
            else max(1e-6, span / 100)
    strict = condition in ("strict-equilibrium", "dominant", "unique")
    eps = margin if strict else 0
    _explain_infeasibility(game, t, condition, fines, cap, eps)

    if condition == "equilibrium" and cost == "paid" and not budget_balanced:
        transfers = _closed_form(game, t, fines, cap)
        method = ("closed form: fine each profitable deviation, pay at the target what the "
                  "fines cannot cover" if fines else
                  "closed form: pay each player its best deviation gain at the target")
    elif callable(cost):
        transfers = _convex(game, t, cost, condition, fines, cap, budget_balanced, float(eps))
        method = "convex program (cvxpy)"
    else:
        transfers = _linear(game, t, cost, condition, fines, cap, budget_balanced, float(eps))
        method = ("mixed-integer program (HiGHS)" if condition == "unique"
                  else "linear program (HiGHS)")
        if game.exact:
            transfers = _rationalise(game, t, transfers, condition, eps)
    return _build(game, t, transfers, cost, condition, method)


def _closed_form(game: Game, t: tuple[int, ...], fines: bool, cap: Any) -> np.ndarray:
    """The cheapest transfers paid at the target that make it a Nash equilibrium.

    With deviation gains :math:`g_{ib} = u_i(b, t_{-i}) - u_i(t)` and the largest fine
    :math:`F` (0 without ``fines``, ``cap`` or unbounded with them), player i is paid
    :math:`V_i(t) = \\max(0, \\max_b g_{ib} - F)` at the target and fined
    :math:`\\max(0, g_{ib} - V_i(t))` at each deviation. Each constraint
    :math:`V_i(t) - V_i(b, t_{-i}) \\ge g_{ib}` then holds, and no design pays less, since
    :math:`V_i(t) \\ge 0` and :math:`V_i(t) \\ge g_{ib} + V_i(b, t_{-i}) \\ge g_{ib} - F`
    (Monderer & Tennenholtz 2004). Exact on exact games.
    """
    u = game.payoffs
    transfers = np.zeros(u.shape, dtype=object if game.exact else np.float64)
    zero = Fraction(0) if game.exact else 0.0
    if game.exact:
        transfers[...] = zero
    largest_fine = None if fines and cap is None else (
        zero if not fines else Fraction(cap) if game.exact else float(cap))
    for i in range(game.n_players):
        row = np.moveaxis(u[i], i, -1)[t[:i] + t[i + 1:]]
        gains = [row[b] - u[(i, *t)] for b in range(len(row))]
        paid = zero if largest_fine is None else max(zero, max(gains) - largest_fine)
        transfers[(i, *t)] = paid
        for b, gain in enumerate(gains):
            if b != t[i] and gain > paid:
                transfers[(i, *t[:i], b, *t[i + 1:])] = -(gain - paid)
    return transfers


def _explain_infeasibility(game: Game, t: tuple[int, ...], condition: str, fines: bool,
                           cap: Any, eps: Any) -> None:
    """Name the binding constraint of designs that cannot exist."""
    if cap is None:
        return
    u = game.float_payoffs
    for i in range(game.n_players):
        row = np.moveaxis(u[i], i, -1)[t[:i] + t[i + 1:]]
        need = float(row.max() - u[(i, *t)]) + float(eps) * (len(row) > 1)
        room = float(cap) * (2 if fines else 1)
        if need > room + 1e-12:
            b = int(np.argmax(row))
            raise InvalidArgumentError(
                f"cap: transfers of at most {cap} cannot make the target meet {condition!r}: "
                f"player "
                f"{i} ({game.players[i]!r}) gains {need:.6g} by deviating to "
                f"{game.actions[i][b]!r}, more than the {room:.6g} the cap allows")


def _deviation_pairs(game: Game, t: tuple[int, ...], condition: str
                     ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Arrays (player, flat index of the kept outcome, flat index of the deviation): at the
    target, or (``"dominant"``) at every profile where the player plays its target action."""
    shape = game.shape
    strides = np.array([int(np.prod(shape[i + 1:])) for i in range(len(shape))], dtype=np.int64)
    target_flat = int(np.ravel_multi_index(t, shape))
    players, keeps, devs = [], [], []
    for i in range(game.n_players):
        if condition == "dominant":
            profiles = np.arange(game.n_profiles, dtype=np.int64)
            keep = profiles[(profiles // strides[i]) % shape[i] == t[i]]
        else:
            keep = np.array([target_flat], dtype=np.int64)
        for b in range(shape[i]):
            if b != t[i]:
                players.append(np.full(len(keep), i, dtype=np.int64))
                keeps.append(keep)
                devs.append(keep + (b - t[i]) * strides[i])
    if not players:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, empty
    return np.concatenate(players), np.concatenate(keeps), np.concatenate(devs)


def _linear(game: Game, t: tuple[int, ...], cost: str, condition: str, fines: bool, cap: Any,
            budget_balanced: bool, eps: float) -> np.ndarray:
    # scipy.optimize takes about a second to import: loaded when a program is solved.
    from scipy.optimize import Bounds, LinearConstraint, milp
    from scipy.sparse import coo_matrix

    n = game.n_players
    m = game.n_profiles
    u = game.float_payoffs.reshape(n, m)
    n_v = n * m
    lower = -np.inf if fines else 0.0
    if cap is not None:
        lower = -float(cap) if fines else 0.0
    upper = np.inf if cap is None else float(cap)

    def var(i: int, a: int) -> int:
        return i * m + a

    rows, cols, vals, lo, hi = [], [], [], [], []

    def add_row(entries: list[tuple[int, float]], low: float, high: float) -> None:
        r = len(lo)
        for c, v in entries:
            rows.append(r)
            cols.append(c)
            vals.append(v)
        lo.append(low)
        hi.append(high)

    players, keeps, devs = _deviation_pairs(game, t, "dominant" if condition == "dominant"
                                            else "equilibrium")
    # V_i(keep) - V_i(dev) >= u_i(dev) - u_i(keep) + eps, one row per pair, vectorised.
    k = len(players)
    rows.extend(np.repeat(np.arange(k), 2).tolist())
    cols.extend(np.column_stack([players * m + keeps, players * m + devs]).ravel().tolist())
    vals.extend([1.0, -1.0] * k)
    lo.extend((u[players, devs] - u[players, keeps] + eps).tolist())
    hi.extend([np.inf] * k)
    if budget_balanced:
        for a in range(m):
            add_row([(var(i, a), 1.0) for i in range(n)], 0.0, 0.0)
    n_extra = 0
    integrality = [0] * n_v
    if cost == "promised" and fines:
        n_extra = n_v        # w >= |V|
    target_flat = int(np.ravel_multi_index(t, game.shape))
    binaries: list[tuple[int, int, int]] = []
    if condition == "unique":
        # At every other outcome a, some player i gains by a deviation b: z_{a,i,b} = 1 forces
        # V_i(dev) - V_i(a) >= u_i(a) - u_i(dev) + eps; sum_z >= 1 per outcome.
        big = 4 * (float(np.ptp(u)) + 1.0) + (0 if cap is None else 4 * float(cap))
        for a in range(m):
            if a == target_flat:
                continue
            profile = np.unravel_index(a, game.shape)
            for i in range(n):
                for b in range(game.shape[i]):
                    if b != profile[i]:
                        deviation = profile[:i] + (b,) + profile[i + 1:]
                        dev = int(np.ravel_multi_index(deviation, game.shape))
                        binaries.append((a, i, dev))
    n_total = n_v + n_extra + len(binaries)
    if condition == "unique":
        if cap is None:
            raise InvalidArgumentError("cap: the uniqueness design needs a cap on transfers (a "
                                       "bound for its integer program), found none")
        by_outcome: dict[int, list[int]] = {}
        for k, (a, i, dev) in enumerate(binaries):
            z = n_v + n_extra + k
            add_row([(var(i, dev), 1.0), (var(i, a), -1.0), (z, -big)],
                    u[i, a] - u[i, dev] + eps - big, np.inf)
            by_outcome.setdefault(a, []).append(z)
        for zs in by_outcome.values():
            add_row([(z, 1.0) for z in zs], 1.0, np.inf)
        integrality += [0] * n_extra + [1] * len(binaries)
    else:
        integrality += [0] * n_extra
    if n_extra:
        for k in range(n_v):
            add_row([(n_v + k, 1.0), (k, -1.0)], 0.0, np.inf)
            add_row([(n_v + k, 1.0), (k, 1.0)], 0.0, np.inf)
    objective = np.zeros(n_total)
    if cost == "paid":
        for i in range(n):
            objective[var(i, target_flat)] = 1.0
    elif n_extra:
        objective[n_v:n_v + n_extra] = 1.0
    else:
        objective[:n_v] = 1.0
    lower_bounds = np.r_[np.full(n_v, lower), np.zeros(n_extra), np.zeros(len(binaries))]
    upper_bounds = np.r_[np.full(n_v, upper), np.full(n_extra, np.inf), np.ones(len(binaries))]
    for i in range(n):  # fines punish deviations: nobody is fined for playing the target
        lower_bounds[var(i, target_flat)] = max(lower_bounds[var(i, target_flat)], 0.0)
    if cost == "paid" and not np.isfinite(lower_bounds[:n_v]).all():
        # Unbounded fines off the path cost nothing: bound them by the payoff range so the
        # program stays bounded (any larger fine works as well).
        lower_bounds[:n_v] = np.maximum(lower_bounds[:n_v], -4 * (float(np.ptp(u)) + 1 + eps))
    matrix = coo_matrix((vals, (rows, cols)), shape=(len(lo), n_total)).tocsr()
    result = milp(objective, constraints=LinearConstraint(matrix, lo, hi),
                  bounds=Bounds(lower_bounds, upper_bounds), integrality=np.array(integrality),
                  options={"mip_rel_gap": 0.0})   # the cheapest design, not one within a gap
    if result.status == 2:
        what = "budget balance" if budget_balanced else ("the cap" if cap is not None else
                                                         "the sign of transfers (set fines=True)")
        raise InvalidArgumentError(f"target: no transfers make {t} meet {condition!r} under "
                                   f"{what}: {result.message}")
    if result.x is None:
        raise SolverError(f"implement: the {'mixed-integer' if binaries else 'linear'} program "
                          f"for {condition!r} stopped without a solution ({result.message}); "
                          f"try a smaller game, a tighter cap or a weaker condition")
    return result.x[:n_v].reshape(game.payoffs.shape)


def _convex(game: Game, t: tuple[int, ...], cost: Callable[[Any], Any], condition: str,
            fines: bool, cap: Any, budget_balanced: bool, eps: float) -> np.ndarray:
    if condition == "unique":
        raise InvalidArgumentError("condition: 'unique' needs a linear cost ('paid' or "
                                   "'promised')")
    import cvxpy as cp  # optional heavy library, only for convex costs

    n, m = game.n_players, game.n_profiles
    u = game.float_payoffs.reshape(n, m)
    V = cp.Variable((n, m))
    constraints = []
    players, keeps, devs = _deviation_pairs(game, t, "dominant" if condition == "dominant"
                                            else "equilibrium")
    if len(players):
        constraints.append(V[players, keeps] - V[players, devs]
                           >= u[players, devs] - u[players, keeps] + eps)
    if not fines:
        constraints.append(V >= 0)
    else:
        target_flat = int(np.ravel_multi_index(t, game.shape))
        constraints.append(V[:, target_flat] >= 0)
    if cap is not None:
        constraints.append(cp.abs(V) <= float(cap))
    if budget_balanced:
        constraints.append(cp.sum(V, axis=0) == 0)
    problem = cp.Problem(cp.Minimize(cost(V)), constraints)
    problem.solve()
    if problem.status in ("infeasible", "infeasible_inaccurate"):
        raise InvalidArgumentError(f"target: no transfers make {t} meet {condition!r}: the "
                                   f"convex program is {problem.status}")
    if problem.status in ("unbounded", "unbounded_inaccurate"):
        raise InvalidArgumentError(f"cost: the convex cost is unbounded below on the designs "
                                   f"that make {t} meet {condition!r}; bound it or add a cap")
    if V.value is None or problem.status not in ("optimal", "optimal_inaccurate"):
        raise SolverError(f"implement: the convex program for {condition!r} ended "
                          f"{problem.status} without transfers; check that cost(V) is convex "
                          f"and bounded below, or add a cap")
    return np.asarray(V.value).reshape(game.payoffs.shape)


def _rationalise(game: Game, t: tuple[int, ...], transfers: np.ndarray, condition: str,
                 eps: Any) -> np.ndarray:
    """The LP's transfers as fractions, checked exactly; denominators grow until they pass."""
    for max_denominator in (10**3, 10**6, 10**9, 10**12):
        exact = np.vectorize(lambda x: Fraction(float(x)).limit_denominator(max_denominator),
                             otypes=[object])(transfers)
        if _margin(game, t, exact, condition) >= (eps if condition != "equilibrium" else 0):
            return exact
    raise SolverError("implement: the linear program's transfers do not survive exact "
                      "verification; try a float game")


def _margin(game: Game, t: tuple[int, ...], transfers: np.ndarray, condition: str) -> Any:
    """The smallest advantage of the target's actions over a deviation in the designed game
    (for "unique": over the target's deviations only)."""
    u = ((game.payoffs if transfers.dtype == object else game.float_payoffs) + transfers
         ).reshape(game.n_players, -1)
    players, keeps, devs = _deviation_pairs(game, t, "dominant" if condition == "dominant"
                                            else "equilibrium")
    if not len(players):
        return 0 * u.flat[0]
    return (u[players, keeps] - u[players, devs]).min()


def _build(game: Game, t: tuple[int, ...], transfers: np.ndarray, cost: Any, condition: str,
           method: str) -> Implementation:
    base = freeze_yardstick(game)
    exact = transfers.dtype == object and game.exact
    if not exact:
        transfers = np.asarray(transfers, dtype=np.float64)
        transfers[np.abs(transfers) < 1e-12] = 0.0
    payoffs = (base.payoffs if exact else base.float_payoffs) + transfers
    designed = with_cost(base, payoffs, transfers.sum(axis=0), exact,
                         f"{game.title or 'game'} | transfers implementing {t}")
    margin = _margin(game, t, transfers, condition)
    # Verify with the solvers: the target is a pure equilibrium (certificate 0 when exact).
    found = [e.profile for e in pure_equilibria(designed)]
    if t not in found:
        raise SolverError(f"implement: the designed transfers do not make {t} an equilibrium")
    if condition == "unique" and found != [t]:
        raise SolverError(f"implement: other pure equilibria remain: {found}")
    if cost == "paid":
        value = sum(transfers[(i, *t)] for i in range(game.n_players))
    elif cost == "promised":
        value = sum(abs(x) for x in transfers.flat)
    else:
        import cvxpy as cp  # optional heavy library, only for convex costs

        flat = np.asarray(transfers, dtype=np.float64).reshape(game.n_players, -1)
        value = float(cost(cp.Constant(flat)).value)
    return Implementation(target=t, transfers=transfers, cost=value, game=designed,
                          condition=condition, margin=margin, exact=exact, method=method)


def robustness_margin(game: Game, profile: Sequence[Any]) -> Number:
    """How far the payoffs may move (max-norm, each entry independently) before the pure
    ``profile`` stops being a Nash equilibrium: half its smallest deviation loss,
    :math:`\\min_{i, b} (u_i(t) - u_i(b, t_{-i})) / 2` (negative: not an equilibrium)."""
    if not isinstance(game, Game):
        raise InvalidGameError(f"game: expected a games.Game, found {type(game).__name__}")
    t = profile_index(game, profile, "profile")
    zero = np.zeros(game.payoffs.shape, dtype=object if game.exact else np.float64)
    if game.exact:
        zero[...] = Fraction(0)
    margin = _margin(game, t, zero, "equilibrium")
    return margin / 2


CostFunction = Callable[[dict[str, Number], Game], float]


@dataclass(frozen=True, eq=False)
class CheapestMechanism:
    """The cheapest member of a mechanism family that meets a condition.

    Attributes
    ----------
    parameters : dict
        The chosen parameter values.
    cost : float
        Its cost (``cost(parameters, designed game)``).
    mechanism : Mechanism
    game : Game
        The game under it (the operator's payments in its cost layer).
    candidates : list of (dict, float)
        Every feasible combination examined, with its cost.
    sensitivity : dict
        d cost / d parameter at the choice (finite differences), for each parameter (NaN
        where the family is undefined just above the choice).
    """

    parameters: dict[str, Number]
    cost: float
    mechanism: Mechanism
    game: Game
    candidates: list[tuple[dict[str, Number], float]]
    sensitivity: dict[str, float]

    def __repr__(self) -> str:
        chosen = ", ".join(f"{k}={_show(v)}" for k, v in self.parameters.items())
        return (f"CheapestMechanism({chosen}: cost {_show(self.cost)}, "
                f"{len(self.candidates)} feasible candidates)")

    def reports(self, original: Game) -> tuple[AlignmentReport, AlignmentReport]:
        """The alignment reports of the original and the designed game, side by side."""
        return alignment_report(original), alignment_report(self.game)

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON data: exact numbers as ints or ``"p/q"``, floats as floats (None
        for an undefined sensitivity)."""
        return {"parameters": jsonable(self.parameters), "cost": float(self.cost),
                "mechanism": self.mechanism.to_dict(),
                "candidates": [{"parameters": jsonable(p), "cost": float(c)}
                               for p, c in self.candidates],
                "sensitivity": jsonable(self.sensitivity)}

    def _repr_html_(self) -> str:
        names = list(self.parameters)
        head = "".join(f"<th>{html.escape(n)}</th>" for n in names)
        rows = "".join(
            "<tr>" + "".join(f"<td>{html.escape(_show(p[n]))}</td>" for n in names)
            + f"<td>{html.escape(_show(c))}</td><td>{'chosen' if p == self.parameters else ''}"
            f"</td></tr>" for p, c in self.candidates)
        return (f"<table><caption>{html.escape(repr(self))}</caption><tr>{head}<th>cost</th>"
                f"<th></th></tr>{rows}</table>")

    def plot(self, path: FigurePath = None) -> Figure:
        """The cost of every feasible candidate against its first parameter, the choice
        marked. Returns the matplotlib Figure (saved atomically when ``path`` is given)."""
        import matplotlib.pyplot as plt

        name = next(iter(self.parameters))
        fig, ax = plt.subplots(figsize=(5.5, 3.5))
        ax.plot([float(p[name]) for p, _ in self.candidates], [c for _, c in self.candidates],
                "o", color="0.6", label="feasible candidates")
        ax.plot([float(self.parameters[name])], [self.cost], "*", ms=14, color=colour(2),
                label="cheapest")
        ax.set_xlabel(f"{name} (the mechanism's parameter)")
        ax.set_ylabel("cost to the operator\n(payoff units)")
        ax.set_title(f"Cheapest {mechanism_title(self.mechanism)}", fontsize=10)
        ax.legend()
        fig.tight_layout()
        if path is not None:
            save_figure(fig, path)
        return fig


def paid_at_target(profile: Sequence[Any]) -> CostFunction:
    """A cost function: the operator's payment (the cost layer) at ``profile``."""

    def cost(_: dict[str, Number], game: Game) -> float:
        t = _target(game, profile)
        return float(game.layers[COST_LAYER][(0, *t)]) if COST_LAYER in game.layers else 0.0

    return cost


def _range(spec: Any, field: str) -> tuple[Number, Number]:
    if not (isinstance(spec, tuple) and len(spec) == 2):
        raise InvalidArgumentError(f"{field}: expected a (low, high) range, found {spec!r}")
    low, high = check_number(spec[0], f"{field}[0]"), check_number(spec[1], f"{field}[1]")
    if not low < high:
        raise InvalidArgumentError(f"{field}: expected low < high, found {spec!r}")
    return spec


def cheapest(game: Game, family: Callable[..., Mechanism], parameters: dict[str, Any],
             profile: Sequence[Any] | None, condition: str = "equilibrium",
             cost: CostFunction | None = None,
             fixed: dict[str, Any] | None = None) -> CheapestMechanism:
    """The cheapest parameters of a mechanism family under which ``profile`` meets
    ``condition`` (see :func:`mechanisms.threshold`).

    ``parameters`` maps one or two parameter names to a ``(low, high)`` range or a list of
    values. With one range, the critical value comes from :func:`mechanisms.threshold`
    (exact when the condition is linear in it). With two, every value of the first
    (a list, or 21 points of its range) is paired with the critical value of the second.
    ``cost(parameters, game)`` defaults to the sum of the parameter values;
    :func:`paid_at_target` charges the operator's payment at the target, and any other
    function of the parameters and the designed game works (e.g. monitoring effort
    ``lambda p, g: 3 * p["probability"]``).

    Raises
    ------
    InvalidArgumentError
        For malformed parameters, profile, condition, cost or fixed values, and when no
        parameters in range meet the condition.
    """
    if not isinstance(game, Game):
        raise InvalidGameError(f"game: expected a games.Game, found {type(game).__name__}")
    if not callable(family):
        raise InvalidArgumentError(f"family: expected a Mechanism class or a callable "
                                   f"**parameters -> Mechanism, found {family!r}")
    if not isinstance(parameters, dict) or not 1 <= len(parameters) <= 2 \
            or not all(isinstance(k, str) for k in parameters):
        raise InvalidArgumentError(f"parameters: expected one or two parameter names mapped to "
                                   f"ranges or values, found {parameters!r}")
    if not callable(condition) and condition not in CONDITIONS:
        raise InvalidArgumentError(f"condition: expected one of {CONDITIONS} or a callable, "
                                   f"found {condition!r}")
    if condition == "holistic" and "value" not in game.layers:
        raise InvalidArgumentError(f"condition: 'holistic' needs a game with a 'value' layer "
                                   f"(without values holistic alignment is not measured), "
                                   f"found layers {tuple(game.layers)}")
    if isinstance(condition, str) and condition != "holistic":
        profile_index(game, profile, "profile")
    if cost is not None and not callable(cost):
        raise InvalidArgumentError(f"cost: expected a callable (parameters, game) -> float, "
                                   f"found {cost!r}")
    if fixed is not None and not isinstance(fixed, dict):
        raise InvalidArgumentError(f"fixed: expected a dict of parameter values, found {fixed!r}")
    fixed = dict(fixed or {})
    cost = cost or (lambda values, _: float(sum(float(v) for v in values.values())))
    names = list(parameters)
    last = names[-1]
    spec = _range(parameters[last], f"parameters[{last!r}]")
    outer: list[dict[str, Any]] = [{}]
    if len(names) == 2:
        first = parameters[names[0]]
        if isinstance(first, tuple):
            low, high = _range(first, f"parameters[{names[0]!r}]")
            values = [low + (high - low) * Fraction(k, 20) if isinstance(low, (int, Fraction))
                      and isinstance(high, (int, Fraction)) else low + (high - low) * k / 20
                      for k in range(21)]
        elif isinstance(first, (list, np.ndarray)) and len(first) > 0:
            for v in first:
                check_number(v, f"parameters[{names[0]!r}]")
            values = list(first)
        else:
            raise InvalidArgumentError(f"parameters[{names[0]!r}]: expected a (low, high) range "
                                       f"or a non-empty list of values, found {first!r}")
        outer = [{names[0]: v} for v in values]
    candidates = []
    for base in outer:
        def family_at(theta: Any, base: dict[str, Any] = base) -> Any:
            return family(**base, **{last: theta}, **fixed)

        try:
            found = threshold(game, family_at, condition=condition, profile=profile, bounds=spec)
        except (InvalidGameError, InvalidArgumentError):
            continue   # the family is undefined for this combination
        if found.value is None:
            continue
        value = found.value
        if not found.holds_at_value:   # strict: the boundary itself fails; step just above it
            step = Fraction(1, 10**9) if isinstance(value, Fraction) else 1e-9
            value = value + (spec[1] - spec[0]) * step
        chosen = {**base, last: value}
        mechanism = family(**chosen, **fixed)
        designed = mechanism.apply(game)
        if not condition_holds(designed, condition, profile, condition == "strict-equilibrium"):
            continue
        candidates.append((chosen, float(cost(chosen, designed)), mechanism, designed))
    if not candidates:
        raise InvalidArgumentError(f"parameters: no values in {parameters} make {profile!r} "
                                   f"meet the condition {condition!r}")
    chosen, value, mechanism, designed = min(candidates, key=lambda c: c[1])
    sensitivity = {}
    for name, v in chosen.items():
        step = 1e-6 * max(1.0, abs(float(v)))
        try:
            bumped = {**chosen, name: float(v) + step}
            sensitivity[name] = (float(cost(bumped, family(**bumped, **fixed).apply(game)))
                                 - value) / step
        except (InvalidGameError, ValueError):
            sensitivity[name] = float("nan")
    return CheapestMechanism(chosen, value, mechanism, designed,
                             [(c[0], c[1]) for c in candidates], sensitivity)
