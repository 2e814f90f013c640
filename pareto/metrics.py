"""Alignment metrics: the price of anarchy and of stability, disparity, and the holistic
alignment report of a game's equilibria across objective, value and preference.
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from games.errors import InvalidArgumentError
from games.model import Game
from games.results import Equilibrium
from games.solvers.correlated import CorrelatedEquilibrium
from pareto.dominance import nondominated
from pareto.frontier import (
    ScoreTable,
    as_equilibria,
    check_game,
    equilibrium_label,
    equilibrium_regret,
    game_equilibria,
    joint_distribution,
    outcome_labels,
    score_table,
)
from pareto.plot import plot_bars, plot_report
from pareto.points import as_vector

__all__ = ["PriceOfAnarchy", "price_of_anarchy", "Disparity", "disparity", "gini",
           "AlignmentReport", "EquilibriumAlignment", "OutcomeAlignment", "alignment_report",
           "RELATIVE_TOLERANCE", "Yardstick", "Measures", "value_thresholds",
           "gini_rows"]

#: Two scores closer than this fraction of their axis's range (over the outcomes) count
#: as equal when deciding dominance and value violations; exact on a constant axis.
RELATIVE_TOLERANCE = 1e-9

#: One equilibrium or profile as the metrics accept it.
EquilibriumLike = Equilibrium | CorrelatedEquilibrium | Sequence[Any]


def _html_table(caption: str, rows: Sequence[tuple[str, str]]) -> str:
    esc = html.escape
    body = "".join(f"<tr><th>{esc(k)}</th><td>{esc(v)}</td></tr>" for k, v in rows)
    return f"<table><caption>{esc(caption)}</caption>{body}</table>"


# ---------------------------------------------------------------------------------------
# Price of anarchy and of stability


@dataclass(frozen=True)
class PriceOfAnarchy:
    """Price of anarchy and of stability of a set of equilibria.

    For welfare (maximised): ``anarchy = optimum / worst``, ``stability = optimum / best``;
    for cost (minimised): ``anarchy = worst / optimum``, ``stability = best / optimum``.
    Both are >= 1; 1 means no loss.
    """

    anarchy: float
    stability: float
    optimum: float
    worst: float
    best: float
    cost: bool
    measure: str
    optimal_outcome: str
    n_equilibria: int

    def to_dict(self) -> dict[str, Any]:
        return {"price_of_anarchy": self.anarchy, "price_of_stability": self.stability,
                "optimum": self.optimum, "worst_equilibrium": self.worst,
                "best_equilibrium": self.best, "cost": self.cost, "measure": self.measure,
                "optimal_outcome": self.optimal_outcome, "n_equilibria": self.n_equilibria}

    def _repr_html_(self) -> str:
        return _html_table(
            f"Price of anarchy ({self.measure})",
            [("price of anarchy", f"{self.anarchy:.6g}"),
             ("price of stability", f"{self.stability:.6g}"),
             ("optimum", f"{self.optimum:.6g} at ({self.optimal_outcome})"),
             ("worst equilibrium", f"{self.worst:.6g}"), ("best equilibrium", f"{self.best:.6g}"),
             ("equilibria", str(self.n_equilibria))])

    def plot(self, ax: Any = None) -> Any:
        """Bars of the optimum, the best and the worst equilibrium; returns the Axes."""
        return plot_bars([self.optimum, self.best, self.worst],
                         ["optimum", "best equilibrium", "worst equilibrium"], self.measure,
                         f"PoA {self.anarchy:.4g}, PoS {self.stability:.4g}", ax=ax,
                         xlabel="outcome")


def price_of_anarchy(game: Game, equilibria: Any = None, welfare: str | None = None,
                     cost: bool = False) -> PriceOfAnarchy:
    r"""The price of anarchy and the price of stability (Koutsoupias & Papadimitriou 1999;
    Anshelevich et al. 2004).

    .. math:: \mathrm{PoA} = \frac{\max_a W(a)}{\min_{e \in E} W(e)}, \qquad
              \mathrm{PoS} = \frac{\max_a W(a)}{\max_{e \in E} W(e)}

    with utilitarian welfare :math:`W = \sum_i u_i` (or a layer's sum); with
    ``cost=True`` the social cost :math:`C = -W` is minimised and the ratios are
    :math:`\max_E C / \min_a C` and :math:`\min_E C / \min_a C`. The optimum is over pure
    outcomes (a lottery never beats the best outcome of a linear welfare).

    Parameters
    ----------
    game : Game
    equilibria : iterable, optional
        Default: every pure equilibrium and, for two players, every extreme mixed one.
    welfare : str, optional
        A layer name whose criteria are summed (default: the payoffs).
    cost : bool
        Treat ``-welfare`` as a cost to minimise (e.g. payoffs are negative latencies).

    Raises
    ------
    InvalidArgumentError
        No equilibria, an unknown welfare layer, or a non-positive welfare (cost) where
        the ratio needs a positive one: the ratios are only defined for positive welfare.
    InvalidGameError
        Not a game, or a malformed equilibrium profile.

    Examples
    --------
    >>> import games
    >>> pd = games.Game.from_bimatrix([[3, 0], [5, 1]], [[3, 5], [0, 1]])
    >>> p = price_of_anarchy(pd)
    >>> p.anarchy, p.stability
    (3.0, 3.0)
    """
    check_game(game)
    if not isinstance(cost, (bool, np.bool_)):
        raise InvalidArgumentError(f"cost: expected True or False, found {cost!r}")
    if welfare is None:
        values = np.asarray(game.float_payoffs).sum(axis=0)
        measure = "sum of payoffs"
    else:
        if not isinstance(welfare, str) or welfare not in game.layers:
            raise InvalidArgumentError(
                f"welfare: expected a layer name {tuple(game.layers)}, found {welfare!r}")
        values = np.asarray(game.layers[welfare], dtype=np.float64).sum(axis=0)
        measure = f"sum of {welfare}"
    if equilibria is None:
        equilibria = game_equilibria(game)[0]
    equilibria = as_equilibria(equilibria)
    if not equilibria:
        raise InvalidArgumentError("equilibria: expected at least one equilibrium, found none")
    flat = values.reshape(-1)
    eq_values = np.array([float(joint_distribution(game, e).reshape(-1) @ flat)
                          for e in equilibria])
    labels = outcome_labels(game)
    if cost:
        costs, eq_costs = -flat, -eq_values
        k = int(np.argmin(costs))
        opt = float(costs[k])
        if opt <= 0:
            raise InvalidArgumentError(
                f"price of anarchy: defined for a positive social cost, found the optimal "
                f"cost {opt:g} at ({labels[k]}) ({measure} negated)")
        worst, best = float(eq_costs.max()), float(eq_costs.min())
        return PriceOfAnarchy(worst / opt, best / opt, opt, worst, best, True,
                              f"social cost (-{measure})", labels[k], len(equilibria))
    k = int(np.argmax(flat))
    opt = float(flat[k])
    worst, best = float(eq_values.min()), float(eq_values.max())
    if worst <= 0:
        j = int(np.argmin(eq_values))
        raise InvalidArgumentError(
            f"price of anarchy: defined for positive welfare, found {measure} {worst:g} at "
            f"the equilibrium ({equilibrium_label(game, equilibria[j])}); shift the payoffs "
            f"or use cost=True for a cost-minimisation game")
    return PriceOfAnarchy(opt / worst, opt / best, opt, worst, best, False, measure,
                          labels[k], len(equilibria))


# ---------------------------------------------------------------------------------------
# Disparity


def gini(values: Any) -> float | None:
    r"""The Gini coefficient :math:`G = \sum_{i,j} |x_i - x_j| / (2 n^2 \bar x)` of
    non-negative values (0 = equal, (n-1)/n = one takes all); None when the mean is not
    positive or a value is negative.

    Examples
    --------
    >>> gini([1, 1, 1]), gini([0, 0, 3])
    (0.0, 0.6666666666666666)
    """
    g = gini_rows(as_vector(values, "values")[None])[0]
    return None if np.isnan(g) else float(g)


def gini_rows(values: np.ndarray) -> np.ndarray:
    """:func:`gini` of each row of a finite ``(N, n)`` array at once; NaN where it is not
    defined (a negative value or a non-positive sum)."""
    x = np.sort(np.asarray(values, dtype=np.float64), axis=1)
    n = x.shape[1]
    total = x.sum(axis=1)
    ok = (x.min(axis=1) >= 0) & (total > 0)
    ranks = np.arange(1, n + 1)
    with np.errstate(divide="ignore", invalid="ignore"):
        g = np.sum((2 * ranks - n - 1) * x, axis=1) / (n * total)
    return np.where(ok, g, np.nan)


@dataclass(frozen=True)
class Disparity:
    """Inequality of a vector of payoffs or scores.

    Attributes
    ----------
    gini : float or None
        Gini coefficient (None unless every value is >= 0 and the sum is positive).
    ratio : float or None
        Largest over smallest (None unless the smallest is positive).
    gap : float
        Winner-loser gap: largest minus smallest.
    winner, loser : str or None
        Who has the largest and the smallest value (None when every value is the same,
        or there is only one).
    values : tuple of float
    names : tuple of str
        The values compared and whose they are.
    """

    gini: float | None
    ratio: float | None
    gap: float
    winner: str | None
    loser: str | None
    values: tuple[float, ...] = ()
    names: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {"gini": self.gini, "max_min_ratio": self.ratio, "winner_loser_gap": self.gap,
                "winner": self.winner, "loser": self.loser, "values": list(self.values),
                "names": list(self.names)}

    def text(self) -> str:
        if len(self.values) == 1:
            return f"n/a: only {self.names[0]} ({self.values[0]:.6g})"
        if self.winner is None:
            return f"none: all {len(self.values)} equal at {self.values[0]:.6g}"
        g = "n/a" if self.gini is None else f"{self.gini:.3f}"
        r = "n/a" if self.ratio is None else f"{self.ratio:.3g}"
        return f"Gini {g}, max/min {r}, gap {self.gap:.6g} ({self.winner} vs {self.loser})"

    def _repr_html_(self) -> str:
        rows = [(name, f"{v:.6g}") for name, v in zip(self.names, self.values)]
        return _html_table(f"Disparity: {self.text()}", rows)

    def plot(self, ax: Any = None) -> Any:
        """One bar per value; returns the Axes."""
        return plot_bars(self.values, self.names, "value", self.text(), ax=ax, xlabel="player")


def disparity(values: Any, names: Sequence[str] | None = None) -> Disparity:
    """Gini, max/min ratio and winner-loser gap of a vector of values.

    Examples
    --------
    >>> d = disparity([8, 9, 9, 8], ["NGO", "A", "B", "Logistics"])
    >>> d.gap, d.winner, d.loser
    (1.0, 'A', 'NGO')
    >>> disparity([3, 3]).text()
    'none: all 2 equal at 3'
    """
    x = as_vector(values, "values")
    if names is None:
        names = [str(i) for i in range(len(x))]
    elif isinstance(names, str) or len(names) != len(x) \
            or not all(isinstance(n, str) for n in names):
        raise InvalidArgumentError(
            f"names: expected {len(x)} strings (one per value), found {names!r}")
    hi, lo = int(np.argmax(x)), int(np.argmin(x))
    ratio = float(x[hi] / x[lo]) if x[lo] > 0 else None
    spread = bool(x[hi] > x[lo])
    return Disparity(gini(x), ratio, float(x[hi] - x[lo]), names[hi] if spread else None,
                     names[lo] if spread else None, tuple(float(v) for v in x), tuple(names))


# ---------------------------------------------------------------------------------------
# The alignment report


@dataclass(frozen=True)
class OutcomeAlignment:
    """Where one outcome or equilibrium stands on every axis.

    Attributes
    ----------
    label : str
    scores : dict axis -> float
    gaps : dict axis -> float
        Distance to the best value of that axis over the outcomes, divided by the axis's
        range (0 = best, 1 = worst).
    frontier_gap : float
        The largest uniform improvement, in range units, that some outcome offers on every
        axis at once (0 when no outcome improves every axis: weakly Pareto-optimal).
    pareto_optimal : bool
        No outcome dominates it.
    violations : dict criterion -> (score, threshold)
        Value criteria below their threshold.
    holistic : bool or None
        Pareto-optimal across every axis and no value violated; None when the game has
        no value layer (values not measured, so holistic alignment is not judged).
    dominated_by : str or None
        The outcome that dominates it with the largest total gain.
    """

    label: str
    scores: dict[str, float]
    gaps: dict[str, float]
    frontier_gap: float
    pareto_optimal: bool
    violations: dict[str, tuple[float, float]]
    holistic: bool | None
    dominated_by: str | None = None

    @property
    def meets_values(self) -> bool | None:
        """No value violated (None when values are not measured)."""
        return None if self.holistic is None else not self.violations

    def to_dict(self) -> dict[str, Any]:
        return {"label": self.label, "scores": self.scores, "gaps": self.gaps,
                "frontier_gap": self.frontier_gap, "pareto_optimal": self.pareto_optimal,
                "value_violations": {k: {"score": s, "threshold": t}
                                     for k, (s, t) in self.violations.items()},
                "holistic": self.holistic, "dominated_by": self.dominated_by}

    def _status(self) -> list[str]:
        po = "Pareto-optimal" if self.pareto_optimal else \
            f"dominated by ({self.dominated_by}), uniform gap {self.frontier_gap:.2f}"
        if self.holistic is None:
            return [po, "values not measured (no value layer)"]
        if self.violations:
            viol = "violates " + ", ".join(f"{k} ({s:.3g} < {t:.3g})"
                                           for k, (s, t) in self.violations.items())
        else:
            viol = "meets every value threshold"
        verdict = "HOLISTICALLY ALIGNED" if self.holistic else "not holistically aligned"
        return [po, viol, verdict]

    def text(self) -> str:
        scores = ", ".join(f"{a} {v:.4g}" for a, v in self.scores.items())
        gaps = ", ".join(f"{a} {v:.2f}" for a, v in self.gaps.items())
        return f"({self.label})  {scores}\n      gaps {gaps}; " + "; ".join(self._status())

    def _rows(self) -> list[tuple[str, str]]:
        rows = [(a, f"{v:.6g} (gap {self.gaps[a]:.2f})") for a, v in self.scores.items()]
        return rows + [("status", "; ".join(self._status()))]

    def _repr_html_(self) -> str:
        return _html_table(self.label, self._rows())


@dataclass(frozen=True)
class EquilibriumAlignment(OutcomeAlignment):
    """An equilibrium's alignment, with its disparity between players and principals
    and its certificate (the regret of the equilibrium, computed for a bare profile)."""

    payoffs: tuple[float, ...] = ()
    players: Disparity | None = None
    principals: Disparity | None = None
    regret: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        out = super().to_dict()
        out.update({"payoffs": list(self.payoffs), "regret": self.regret,
                    "disparity_players": None if self.players is None else self.players.to_dict(),
                    "disparity_principals": None if self.principals is None
                    else self.principals.to_dict()})
        return out

    def text(self) -> str:
        lines = [super().text()]
        pays = ", ".join(f"{p:.4g}" for p in self.payoffs)
        lines.append(f"      payoffs ({pays}), regret {self.regret:.3g}")
        if self.players is not None:
            lines.append(f"      disparity between players: {self.players.text()}")
        if self.principals is not None:
            lines.append(f"      disparity between principals: {self.principals.text()}")
        return "\n".join(lines)

    def _rows(self) -> list[tuple[str, str]]:
        rows = super()._rows()
        rows.append(("payoffs", ", ".join(f"{p:.6g}" for p in self.payoffs)))
        rows.append(("regret", f"{self.regret:.3g}"))
        if self.players is not None:
            rows.append(("disparity between players", self.players.text()))
        if self.principals is not None:
            rows.append(("disparity between principals", self.principals.text()))
        return rows


@dataclass(frozen=True, eq=False)
class AlignmentReport:
    """Alignment of a game's equilibria across objective, value and preference.

    Attributes
    ----------
    game : Game
    axes : tuple of str
    table : ScoreTable
        Scores of every outcome.
    outcome_frontier : ndarray of bool
        The Pareto-optimal outcomes.
    equilibria : list of EquilibriumAlignment
    equilibria_complete : bool
    holistic_outcomes : list of OutcomeAlignment
        Every outcome that is Pareto-optimal and meets every value threshold (empty when
        values are not measured).
    thresholds : dict criterion -> float
    price : PriceOfAnarchy or None
    values_measured : bool
        Whether the game has a ``value`` layer. Without one, holistic alignment is not
        judged: every ``holistic`` is None and the verdict says so.
    objective_optimal : OutcomeAlignment or None
        The outcome with the best objective (when the objective is one axis).
    preference_compromise : OutcomeAlignment or None
        The outcome maximising the least-satisfied principal's preference, ties by the
        sum (when the game has a preference layer).
    value_optimal : OutcomeAlignment or None
        The outcome with the largest sum of value criteria (with a value layer).
    price_note : str
        Why the price of anarchy is missing, when it is.
    sources : list
        The equilibria or profiles assessed, in the order of ``equilibria``.
    """

    game: Game
    axes: tuple[str, ...]
    table: ScoreTable
    outcome_frontier: np.ndarray
    equilibria: list[EquilibriumAlignment]
    equilibria_complete: bool
    holistic_outcomes: list[OutcomeAlignment]
    thresholds: dict[str, float]
    price: PriceOfAnarchy | None
    values_measured: bool
    objective_optimal: OutcomeAlignment | None = None
    preference_compromise: OutcomeAlignment | None = None
    value_optimal: OutcomeAlignment | None = None
    price_note: str = ""
    sources: list[EquilibriumLike] = field(default_factory=list, repr=False)

    @property
    def highlights(self) -> dict[str, OutcomeAlignment]:
        """The reference outcomes by name: ``"objective-optimal"``, ``"preference
        compromise"``, ``"value-optimal"`` (those the game has)."""
        named = (("objective-optimal", self.objective_optimal),
                 ("preference compromise", self.preference_compromise),
                 ("value-optimal", self.value_optimal))
        return {name: o for name, o in named if o is not None}

    @property
    def aligned_equilibria(self) -> list[EquilibriumAlignment]:
        """The holistically aligned equilibria (none when values are not measured)."""
        return [e for e in self.equilibria if e.holistic]

    @property
    def pareto_optimal_equilibria(self) -> list[EquilibriumAlignment]:
        return [e for e in self.equilibria if e.pareto_optimal]

    def _scored(self) -> str:
        dims = list(dict.fromkeys(self.table.dimensions))
        return dims[0] if len(dims) == 1 else ", ".join(dims[:-1]) + " and " + dims[-1]

    def verdict(self) -> str:
        """One paragraph: whether an equilibrium is holistically aligned, and if not,
        whether an aligned outcome exists that a mechanism could target; without a value
        layer, which equilibria are Pareto-optimal, and that values were not measured."""
        if not self.values_measured:
            return self._verdict_without_values()
        missing = [d for d in ("value", "preference") if d not in self.table.dimensions]
        note = "" if not missing else \
            f" (no {' or '.join(missing)} layer was scored: alignment is judged on " \
            f"{', '.join(dict.fromkeys(self.table.dimensions))} only)"
        return self._verdict() + note

    def _equilibria_text(self) -> str:
        n_eq = len(self.equilibria)
        if n_eq == 0:
            return ("the list of equilibria is empty (every finite game has one, Nash 1951; "
                    "pass equilibria= to judge them)")
        if not self.equilibria_complete:
            return (f"none of the {n_eq} equilibria found is holistically aligned (the list "
                    f"is not complete: others may exist)")
        return f"none of the {n_eq} equilibria is holistically aligned"

    def _verdict_without_values(self) -> str:
        unmeasured = "Values not measured (no value layer): holistic alignment is not judged."
        optimal = self.pareto_optimal_equilibria
        if optimal:
            labels = "; ".join(f"({e.label})" for e in optimal[:5])
            more = "" if len(optimal) <= 5 else f" and {len(optimal) - 5} more"
            return f"Pareto-optimal on {self._scored()}: {labels}{more}. {unmeasured}"
        if not self.equilibria:
            return f"Not judged: {self._equilibria_text()}. {unmeasured}"
        found = "" if self.equilibria_complete else " found"
        return (f"None of the {len(self.equilibria)} equilibria{found} is Pareto-optimal on "
                f"{self._scored()}: each is dominated by an outcome. {unmeasured}")

    def _verdict(self) -> str:
        if self.aligned_equilibria:
            labels = "; ".join(f"({e.label})" for e in self.aligned_equilibria)
            return f"Holistically aligned equilibrium: {labels}."
        eq_text = self._equilibria_text()
        if self.holistic_outcomes:
            labels = "; ".join(f"({o.label})" for o in self.holistic_outcomes[:5])
            return (f"Misaligned: {eq_text}, but {len(self.holistic_outcomes)} outcome(s) on "
                    f"the frontier meet every value threshold: {labels}. They are not "
                    f"equilibria: reaching them needs a mechanism.")
        return (f"Misaligned: {eq_text}, and no outcome is both Pareto-optimal and within "
                f"every value threshold: the values conflict with every efficient outcome.")

    def to_dict(self) -> dict[str, Any]:
        values = self.table.values
        return {
            "axes": list(self.axes),
            "aggregate": self.table.rules,
            "thresholds": self.thresholds,
            "values_measured": self.values_measured,
            "ranges": {a: [float(values[:, k].min()), float(values[:, k].max())]
                       for k, a in enumerate(self.axes)},
            "frontier": [o for o, ok in zip(outcome_labels(self.game), self.outcome_frontier)
                         if ok],
            "equilibria": [e.to_dict() for e in self.equilibria],
            "equilibria_complete": self.equilibria_complete,
            "highlights": {k: v.to_dict() for k, v in self.highlights.items()},
            "holistic_outcomes": [o.to_dict() for o in self.holistic_outcomes],
            "price_of_anarchy": None if self.price is None else self.price.to_dict(),
            "price_note": self.price_note,
            "verdict": self.verdict(),
        }

    def to_text(self) -> str:
        t = self.table
        lines = [f"Alignment report: {self.game.title or repr(self.game)}"]
        lines.append("Axes (all maximised): " + ", ".join(
            f"{a} [{t.values[:, k].min():.4g}, {t.values[:, k].max():.4g}]"
            for k, a in enumerate(self.axes)))
        rules = ", ".join(f"{k}: {v}" for k, v in t.rules.items())
        lines.append(f"Scores of a layer's criteria: {rules}")
        if self.thresholds:
            lines.append("Value thresholds: " + ", ".join(
                f"{k} >= {v:.4g}" for k, v in self.thresholds.items()))
        lines.append(f"Pareto frontier: {int(self.outcome_frontier.sum())} of "
                     f"{len(self.outcome_frontier)} outcomes")
        lines.append("")
        complete = "complete" if self.equilibria_complete else "not guaranteed complete"
        lines.append(f"Equilibria ({len(self.equilibria)}, {complete}):")
        lines += ["  " + e.text() for e in self.equilibria]
        lines.append("")
        if self.price is not None:
            p = self.price
            lines.append(f"Price of anarchy {p.anarchy:.4g}, price of stability {p.stability:.4g} "
                         f"({p.measure}: optimum {p.optimum:.4g} at ({p.optimal_outcome}), "
                         f"equilibria {p.worst:.4g} to {p.best:.4g})")
        else:
            lines.append(f"Price of anarchy: not defined ({self.price_note})")
        if self.highlights:
            lines.append("")
            lines.append("Reference outcomes:")
            for name, o in self.highlights.items():
                lines.append(f"  {name}: " + o.text())
        lines.append("")
        if self.values_measured:
            lines.append(f"Holistically aligned outcomes: {len(self.holistic_outcomes)}")
            lines += ["  " + o.text() for o in self.holistic_outcomes[:10]]
        else:
            lines.append("Holistically aligned outcomes: not judged (no value layer)")
        lines.append("")
        lines.append("Verdict: " + self.verdict())
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.to_text()

    def __repr__(self) -> str:
        if not self.values_measured:
            return (f"AlignmentReport({len(self.equilibria)} equilibria, axes {self.axes}, "
                    f"{len(self.pareto_optimal_equilibria)} Pareto-optimal, values not "
                    f"measured)")
        return (f"AlignmentReport({len(self.equilibria)} equilibria, axes {self.axes}, "
                f"{len(self.aligned_equilibria)} holistically aligned, "
                f"{len(self.holistic_outcomes)} aligned outcomes)")

    def _repr_html_(self) -> str:
        esc = html.escape
        head = "".join(f"<th>{esc(a)}</th>" for a in self.axes)
        word = {True: "yes", False: "no", None: "not measured"}

        def row(name: str, o: OutcomeAlignment, gaps: bool) -> str:
            cells = "".join(f"<td>{o.scores[a]:.4g}" + (f" (gap {o.gaps[a]:.2f})" if gaps else "")
                            + "</td>" for a in self.axes)
            viol = esc(", ".join(o.violations)) or ("none" if self.values_measured else "n/a")
            return (f"<tr><td>{name}</td>{cells}<td>{word[o.pareto_optimal]}</td>"
                    f"<td>{viol}</td><td>{word[o.holistic]}</td></tr>")

        rows = [row(esc(e.label), e, True) for e in self.equilibria]
        rows += [row(f"<i>{esc(name)}</i>: {esc(o.label)}", o, False)
                 for name, o in self.highlights.items()]
        price = "" if self.price is None else \
            (f"<p>Price of anarchy {self.price.anarchy:.4g}, price of stability "
             f"{self.price.stability:.4g}</p>")
        return (f"<div><table><caption>{esc(repr(self))}</caption><tr><th>equilibrium / outcome"
                f"</th>{head}<th>Pareto-optimal</th><th>value violations</th><th>holistic</th>"
                f"</tr>{''.join(rows)}</table>{price}<p>{esc(self.verdict())}</p></div>")

    def plot(self, path: Any = None, kind: str = "pairs") -> Any:
        """Scatter of the outcomes with the frontier and the equilibria marked: one panel
        per pair of axes (``kind="pairs"``) or one 3-D scatter (``kind="3d"``). Returns
        the matplotlib Figure; saves it atomically when ``path`` is given."""
        return plot_report(self, path=path, kind=kind)


def value_thresholds(criteria: Sequence[str] | None, values: np.ndarray | None,
                     thresholds: Any) -> dict[str, float]:
    """Threshold per value criterion, as :func:`alignment_report` reads ``thresholds``.

    Parameters
    ----------
    criteria : sequence of str or None
        The value criteria (None: the game has no value layer).
    values : ndarray (n_outcomes, n_criteria) or None
        Every outcome's value scores (for ``"half"``).
    thresholds : "half", None or mapping
        ``"half"``: the midpoint of each criterion's range over the outcomes; None: none;
        a mapping: criterion -> threshold.
    """
    expected = "'half', None or a mapping from value criterion to threshold"
    if not (thresholds is None or thresholds == "half" or isinstance(thresholds, Mapping)):
        shown = repr(thresholds) if isinstance(thresholds, str) else type(thresholds).__name__
        raise InvalidArgumentError(f"thresholds: expected {expected}, found {shown}")
    if criteria is None:
        if isinstance(thresholds, Mapping) and thresholds:
            raise InvalidArgumentError("thresholds: given, but the game has no 'value' layer")
        return {}
    if thresholds is None:
        return {}
    names = tuple(criteria)
    if isinstance(thresholds, str):   # "half"
        return {c: float(v.min() + (v.max() - v.min()) / 2) for c, v in zip(names, values.T)}
    out = {}
    for k, v in thresholds.items():
        if k not in names:
            raise InvalidArgumentError(f"thresholds: expected value criteria {names}, found {k!r}")
        out[k] = float(as_vector(v, f"thresholds[{k!r}]", 1)[0])
    return out


@dataclass(frozen=True)
class Measures:
    """A :class:`Yardstick`'s measures of P points (arrays, one row per point)."""

    gaps: np.ndarray               # (P, n_axes): distance to each axis's best, in range units
    frontier_gap: np.ndarray       # (P,): largest uniform improvement a frontier outcome offers
    dominators: np.ndarray         # (P, n_outcomes) bool: outcomes that dominate the point
    violated: np.ndarray           # (P, n_value_criteria) bool: value below its threshold
    values_measured: bool

    @property
    def pareto_optimal(self) -> np.ndarray:
        return ~self.dominators.any(axis=1)

    @property
    def holistic(self) -> np.ndarray | None:
        """Pareto-optimal and no value violated; None when values are not measured."""
        if not self.values_measured:
            return None
        return self.pareto_optimal & ~self.violated.any(axis=1)


@dataclass(frozen=True)
class Yardstick:
    """What every outcome, equilibrium or lottery is measured against: the outcomes'
    scores, their Pareto frontier and the value thresholds."""

    table: ScoreTable
    front: np.ndarray              # the Pareto-optimal outcomes' scores
    labels: list[str]              # outcome labels
    value_names: tuple[str, ...]
    value_tol: np.ndarray          # per value criterion
    thresholds: dict[str, float]
    values_measured: bool

    @classmethod
    def over(cls, table: ScoreTable, labels: list[str], value_names: Sequence[str] | None,
             value_table: np.ndarray | None, thresholds: dict[str, float]) -> Yardstick:
        """The yardstick of outcomes scored by ``table`` (``value_table``: their value
        criteria, None without a value layer; ``thresholds`` from :func:`value_thresholds`)."""
        measured = value_names is not None
        value_tol = RELATIVE_TOLERANCE * (value_table.max(axis=0) - value_table.min(axis=0)) \
            if measured else np.zeros(0)
        return cls(table=table, front=table.values[nondominated(table.values)], labels=labels,
                   value_names=tuple(value_names) if measured else (), value_tol=value_tol,
                   thresholds=thresholds, values_measured=measured)

    @property
    def span(self) -> np.ndarray:
        lo, hi = self.table.values.min(axis=0), self.table.values.max(axis=0)
        return np.where(hi > lo, hi - lo, 1.0)

    def measure(self, points: np.ndarray, value_scores: np.ndarray | None) -> Measures:
        """Gaps, frontier gaps, dominating outcomes and value violations of P points
        ``(P, n_axes)`` with their value scores ``(P, n_value_criteria)``."""
        values = self.table.values
        points = np.asarray(points, dtype=np.float64).reshape(-1, values.shape[1])
        hi = values.max(axis=0)
        span = self.span
        raw_span = hi - values.min(axis=0)
        gaps = np.clip((hi - points) / span, 0.0, None)
        if len(self.front):
            improve = ((self.front[None] - points[:, None]) / span).min(axis=2).max(axis=1)
        else:
            improve = np.zeros(len(points))
        tol = RELATIVE_TOLERANCE * raw_span
        dominators = (np.all(values[None] >= points[:, None] - tol, axis=2)
                      & np.any(values[None] > points[:, None] + tol, axis=2))
        violated = np.zeros((len(points), len(self.value_names)), dtype=bool)
        if value_scores is not None:
            scores = np.asarray(value_scores, dtype=np.float64).reshape(len(points), -1)
            for k, (c, t) in enumerate(zip(self.value_names, self.value_tol)):
                if c in self.thresholds:
                    violated[:, k] = scores[:, k] < self.thresholds[c] - t
        return Measures(gaps=gaps, frontier_gap=np.maximum(improve, 0.0), dominators=dominators,
                        violated=violated, values_measured=self.values_measured)

    def assess(self, label: str, point: np.ndarray,
               value_scores: np.ndarray | None) -> dict[str, Any]:
        m = self.measure(point[None], None if value_scores is None else value_scores[None])
        dominators = np.flatnonzero(m.dominators[0])
        dominated = len(dominators) > 0
        by = None
        if dominated:
            gain = ((self.table.values[dominators] - point) / self.span).sum(axis=1)
            by = self.labels[int(dominators[int(np.argmax(gain))])]
        violations = {c: (float(value_scores[k]), float(self.thresholds[c]))
                      for k, c in enumerate(self.value_names) if m.violated[0, k]}
        holistic = (not dominated and not violations) if self.values_measured else None
        return dict(label=label,
                    scores={a: float(v) for a, v in zip(self.table.axes, point)},
                    gaps={a: float(v) for a, v in zip(self.table.axes, m.gaps[0])},
                    frontier_gap=float(m.frontier_gap[0]), pareto_optimal=not dominated,
                    violations=violations, holistic=holistic, dominated_by=by)


def alignment_report(game: Game, equilibria: Any = None, dimensions: Any = None,
                     aggregate: Any = "sum", thresholds: Any = "half",
                     welfare: str | None = None, cost: bool = False) -> AlignmentReport:
    """Alignment of a game's equilibria across objective, value and preference.

    For each equilibrium, on each axis: its score, its gap to the best outcome
    (normalised by the axis's range, 0..1) and its frontier gap (the largest uniform
    improvement some outcome offers on every axis); the price of anarchy and of
    stability (:func:`price_of_anarchy`); the disparity between players (payoffs) and
    between principals (the preference layer's criteria): Gini, max/min ratio and the
    winner-loser gap; and the verdict of **holistic alignment**: Pareto-optimal across
    every axis (no outcome dominates it) and no value criterion below its threshold.
    The objective-optimal outcome and the preference compromise are assessed the same
    way, and every holistically aligned outcome is listed. A game without a ``value``
    layer is not judged holistically (``values_measured`` is False, every ``holistic``
    None): the verdict names the Pareto-optimal equilibria and says values were not
    measured.

    Scores within ``RELATIVE_TOLERANCE`` times an axis's range count as equal.

    Parameters
    ----------
    game : Game
    equilibria : iterable, optional
        Equilibria (pure, mixed or correlated) or profiles; default every pure
        equilibrium and, for two players, every extreme mixed one.
    dimensions, aggregate :
        See :func:`pareto.score_table` (default: the standard layers, criteria summed).
    thresholds : "half", None or mapping
        Value thresholds per value criterion. ``"half"`` (default): the midpoint of the
        criterion's range over outcomes (a value is *respected* at or above it); None:
        no thresholds.
    welfare, cost :
        Passed to :func:`price_of_anarchy`.

    Returns
    -------
    AlignmentReport

    Raises
    ------
    InvalidArgumentError
        Malformed dimensions, aggregate, thresholds, welfare, cost or equilibria list.
    InvalidGameError
        Not a game, or a malformed equilibrium profile.

    Examples
    --------
    >>> import games
    >>> r = alignment_report(games.catalog.aid_delivery())
    >>> r.objective_optimal.label
    'visibility, open airspace, open airspace, cost-efficient'
    >>> [o.label for o in r.holistic_outcomes][:1]
    ['need-based, open airspace, open airspace, priority-to-need']
    >>> alignment_report(games.catalog.matching_pennies()).values_measured
    False
    """
    table = score_table(game, dimensions, aggregate)
    has_values = "value" in game.layers
    value_table = np.asarray(game.layers["value"], dtype=np.float64).reshape(
        len(game.criteria["value"]), -1).T if has_values else None
    value_names = game.criteria["value"] if has_values else None
    thr = value_thresholds(value_names, value_table, thresholds)
    if equilibria is None:
        eqs, complete, _ = game_equilibria(game)
    else:
        eqs, complete = as_equilibria(equilibria), False
    front_mask = nondominated(table.values)
    has_pref = "preference" in game.layers
    pref_table = np.asarray(game.layers["preference"], dtype=np.float64).reshape(
        len(game.criteria["preference"]), -1).T if has_pref else None
    yardstick = Yardstick.over(table, outcome_labels(game), value_names, value_table, thr)
    payoff_table = np.asarray(game.float_payoffs).reshape(game.n_players, -1).T

    eq_out = []
    for e in eqs:
        dist = joint_distribution(game, e).reshape(-1)
        base = yardstick.assess(equilibrium_label(game, e), dist @ table.values,
                                dist @ value_table if has_values else None)
        payoffs = dist @ payoff_table
        principals = disparity(dist @ pref_table, game.criteria["preference"]) \
            if has_pref else None
        eq_out.append(EquilibriumAlignment(
            **base, payoffs=tuple(float(p) for p in payoffs),
            players=disparity(payoffs, game.players), principals=principals,
            regret=equilibrium_regret(game, e)))

    def outcome(k: int) -> OutcomeAlignment:
        vals = value_table[k] if has_values else None
        return OutcomeAlignment(**yardstick.assess(yardstick.labels[k], table.values[k], vals))

    objective_optimal = preference_compromise = value_optimal = None
    if "objective" in table.dimensions and table.axes.count("objective") == 1:
        j = table.axes.index("objective")
        objective_optimal = outcome(int(np.argmax(table.values[:, j])))
    if has_pref:
        order = np.lexsort((-pref_table.sum(axis=1), -pref_table.min(axis=1)))
        preference_compromise = outcome(int(order[0]))
    if has_values:
        value_optimal = outcome(int(np.argmax(value_table.sum(axis=1))))
    holistic = [o for o in (outcome(int(k)) for k in np.flatnonzero(front_mask))
                if o.holistic] if has_values else []

    price, note = None, ""
    try:
        price = price_of_anarchy(game, eqs, welfare=welfare, cost=cost)
    except InvalidArgumentError as err:
        note = str(err)
    return AlignmentReport(game=game, axes=table.axes, table=table, outcome_frontier=front_mask,
                           equilibria=eq_out, equilibria_complete=complete,
                           holistic_outcomes=holistic, thresholds=thr, price=price,
                           values_measured=has_values, objective_optimal=objective_optimal,
                           preference_compromise=preference_compromise,
                           value_optimal=value_optimal, price_note=note, sources=list(eqs))
