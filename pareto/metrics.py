"""Alignment metrics: the price of anarchy and of stability, disparity, and the holistic
alignment report of a game's equilibria across objective, value and preference.
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from games.errors import InvalidGameError
from games.model import Game
from pareto.dominance import nondominated
from pareto.frontier import (ScoreTable, _equilibrium_label, game_equilibria,
                             joint_distribution, outcome_labels, score_table)

__all__ = ["PriceOfAnarchy", "price_of_anarchy", "Disparity", "disparity", "gini",
           "AlignmentReport", "EquilibriumAlignment", "OutcomeAlignment", "alignment_report"]


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


def price_of_anarchy(game: Game, equilibria: Any = None, welfare: Any = None,
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
    InvalidGameError
        No equilibria, or a non-positive welfare (cost) where the ratio needs a positive
        one: the ratios are only defined for positive welfare.

    Examples
    --------
    >>> import games
    >>> pd = games.Game.from_bimatrix([[3, 0], [5, 1]], [[3, 5], [0, 1]])
    >>> p = price_of_anarchy(pd)
    >>> p.anarchy, p.stability
    (3.0, 3.0)
    """
    if welfare is None:
        values = np.asarray(game.float_payoffs).sum(axis=0)
        measure = "sum of payoffs"
    else:
        if welfare not in game.layers:
            raise InvalidGameError(
                f"welfare: expected a layer name {tuple(game.layers)}, found {welfare!r}")
        values = np.asarray(game.layers[welfare], dtype=np.float64).sum(axis=0)
        measure = f"sum of {welfare}"
    if equilibria is None:
        equilibria = game_equilibria(game)[0]
    equilibria = list(equilibria)
    if not equilibria:
        raise InvalidGameError("equilibria: expected at least one equilibrium, found none")
    flat = values.reshape(-1)
    eq_values = np.array([float(joint_distribution(game, e).reshape(-1) @ flat)
                          for e in equilibria])
    labels = outcome_labels(game)
    if cost:
        costs, eq_costs = -flat, -eq_values
        k = int(np.argmin(costs))
        opt = float(costs[k])
        if opt <= 0:
            raise InvalidGameError(
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
        raise InvalidGameError(
            f"price of anarchy: defined for positive welfare, found {measure} {worst:g} at "
            f"the equilibrium ({_equilibrium_label(game, equilibria[j])}); shift the payoffs "
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
    x = np.sort(np.asarray(values, dtype=np.float64).reshape(-1))
    n = len(x)
    if n == 0 or x.min() < 0 or x.sum() <= 0:
        return None
    ranks = np.arange(1, n + 1)
    return float(np.sum((2 * ranks - n - 1) * x) / (n * x.sum()))


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
    winner, loser : str
        Who has the largest and the smallest value.
    """

    gini: float | None
    ratio: float | None
    gap: float
    winner: str
    loser: str

    def to_dict(self) -> dict[str, Any]:
        return {"gini": self.gini, "max_min_ratio": self.ratio, "winner_loser_gap": self.gap,
                "winner": self.winner, "loser": self.loser}

    def text(self) -> str:
        g = "n/a" if self.gini is None else f"{self.gini:.3f}"
        r = "n/a" if self.ratio is None else f"{self.ratio:.3g}"
        return f"Gini {g}, max/min {r}, gap {self.gap:.6g} ({self.winner} vs {self.loser})"


def disparity(values: Any, names: Sequence[str] | None = None) -> Disparity:
    """Gini, max/min ratio and winner-loser gap of a vector of values.

    Examples
    --------
    >>> d = disparity([8, 9, 9, 8], ["NGO", "A", "B", "Logistics"])
    >>> d.gap, d.winner, d.loser
    (1.0, 'A', 'NGO')
    """
    x = np.asarray(values, dtype=np.float64).reshape(-1)
    if len(x) == 0:
        raise InvalidGameError("values: expected at least one value, found none")
    names = list(names) if names is not None else [str(i) for i in range(len(x))]
    hi, lo = int(np.argmax(x)), int(np.argmin(x))
    ratio = float(x[hi] / x[lo]) if x[lo] > 0 else None
    return Disparity(gini(x), ratio, float(x[hi] - x[lo]), names[hi], names[lo])


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
    holistic : bool
        Pareto-optimal across every axis and no value violated.
    """

    label: str
    scores: dict[str, float]
    gaps: dict[str, float]
    frontier_gap: float
    pareto_optimal: bool
    violations: dict[str, tuple[float, float]]
    holistic: bool
    dominated_by: str | None = None

    @property
    def meets_values(self) -> bool:
        return not self.violations

    def to_dict(self) -> dict[str, Any]:
        return {"label": self.label, "scores": self.scores, "gaps": self.gaps,
                "frontier_gap": self.frontier_gap, "pareto_optimal": self.pareto_optimal,
                "value_violations": {k: {"score": s, "threshold": t}
                                     for k, (s, t) in self.violations.items()},
                "holistic": self.holistic, "dominated_by": self.dominated_by}

    def text(self) -> str:
        scores = ", ".join(f"{a} {v:.4g}" for a, v in self.scores.items())
        gaps = ", ".join(f"{a} {v:.2f}" for a, v in self.gaps.items())
        if self.violations:
            viol = "violates " + ", ".join(f"{k} ({s:.3g} < {t:.3g})"
                                           for k, (s, t) in self.violations.items())
        else:
            viol = "meets every value threshold"
        po = "Pareto-optimal" if self.pareto_optimal else \
            f"dominated by ({self.dominated_by}), uniform gap {self.frontier_gap:.2f}"
        verdict = "HOLISTICALLY ALIGNED" if self.holistic else "not holistically aligned"
        return f"({self.label})  {scores}\n      gaps {gaps}; {po}; {viol}; {verdict}"


@dataclass(frozen=True)
class EquilibriumAlignment(OutcomeAlignment):
    """An equilibrium's alignment, with its disparity between players and principals."""

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
    highlights : dict name -> OutcomeAlignment
        ``"objective-optimal"``, ``"preference compromise"`` (the outcome maximising
        the least-satisfied principal's preference, ties by the sum) when the game has
        these layers.
    holistic_outcomes : list of OutcomeAlignment
        Every outcome that is Pareto-optimal and meets every value threshold.
    thresholds : dict criterion -> float
    price : PriceOfAnarchy or None
    price_note : str
        Why the price of anarchy is missing, when it is.
    """

    game: Game
    axes: tuple[str, ...]
    table: ScoreTable
    outcome_frontier: np.ndarray
    equilibria: list[EquilibriumAlignment]
    equilibria_complete: bool
    highlights: dict[str, OutcomeAlignment]
    holistic_outcomes: list[OutcomeAlignment]
    thresholds: dict[str, float]
    price: PriceOfAnarchy | None
    price_note: str = ""
    sources: list[Any] = field(default_factory=list, repr=False)

    @property
    def aligned_equilibria(self) -> list[EquilibriumAlignment]:
        return [e for e in self.equilibria if e.holistic]

    def verdict(self) -> str:
        """One paragraph: whether an equilibrium is holistically aligned, and if not,
        whether an aligned outcome exists that a mechanism could target."""
        missing = [d for d in ("value", "preference") if d not in self.table.dimensions]
        note = "" if not missing else \
            f" (no {' or '.join(missing)} layer was scored: alignment is judged on " \
            f"{', '.join(dict.fromkeys(self.table.dimensions))} only)"
        return self._verdict() + note

    def _verdict(self) -> str:
        if self.aligned_equilibria:
            labels = "; ".join(f"({e.label})" for e in self.aligned_equilibria)
            return f"Holistically aligned equilibrium: {labels}."
        n_eq = len(self.equilibria)
        eq_text = "no equilibrium was found" if n_eq == 0 else \
            f"none of the {n_eq} equilibria is holistically aligned"
        if self.holistic_outcomes:
            labels = "; ".join(f"({o.label})" for o in self.holistic_outcomes[:5])
            return (f"Misaligned: {eq_text}, but {len(self.holistic_outcomes)} outcome(s) on "
                    f"the frontier meet every value threshold: {labels}. They are not "
                    f"equilibria: reaching them needs a mechanism.")
        return (f"Misaligned: {eq_text}, and no outcome is both Pareto-optimal and within "
                f"every value threshold: the values conflict with every efficient outcome.")

    def to_dict(self) -> dict[str, Any]:
        return {
            "axes": list(self.axes),
            "aggregate": self.table.rules,
            "thresholds": self.thresholds,
            "ranges": {a: [float(self.table.values[:, k].min()), float(self.table.values[:, k].max())]
                       for k, a in enumerate(self.axes)},
            "frontier": [o for o, ok in zip(outcome_labels(self.game), self.outcome_frontier) if ok],
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
        lines.append(f"Holistically aligned outcomes: {len(self.holistic_outcomes)}")
        lines += ["  " + o.text() for o in self.holistic_outcomes[:10]]
        lines.append("")
        lines.append("Verdict: " + self.verdict())
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.to_text()

    def __repr__(self) -> str:
        return (f"AlignmentReport({len(self.equilibria)} equilibria, axes {self.axes}, "
                f"{len(self.aligned_equilibria)} holistically aligned, "
                f"{len(self.holistic_outcomes)} aligned outcomes)")

    def _repr_html_(self) -> str:
        esc = html.escape
        head = "".join(f"<th>{esc(a)}</th>" for a in self.axes)
        rows = []
        for e in self.equilibria:
            cells = "".join(f"<td>{e.scores[a]:.4g} (gap {e.gaps[a]:.2f})</td>" for a in self.axes)
            viol = esc(", ".join(e.violations)) or "none"
            rows.append(f"<tr><td>{esc(e.label)}</td>{cells}<td>{'yes' if e.pareto_optimal else 'no'}"
                        f"</td><td>{viol}</td><td>{'yes' if e.holistic else 'no'}</td></tr>")
        for name, o in self.highlights.items():
            cells = "".join(f"<td>{o.scores[a]:.4g}</td>" for a in self.axes)
            viol = esc(", ".join(o.violations)) or "none"
            rows.append(f"<tr><td><i>{esc(name)}</i>: {esc(o.label)}</td>{cells}<td>"
                        f"{'yes' if o.pareto_optimal else 'no'}</td><td>{viol}</td>"
                        f"<td>{'yes' if o.holistic else 'no'}</td></tr>")
        price = "" if self.price is None else \
            f"<p>Price of anarchy {self.price.anarchy:.4g}, price of stability {self.price.stability:.4g}</p>"
        return (f"<div><table><caption>{esc(repr(self))}</caption><tr><th>equilibrium / outcome"
                f"</th>{head}<th>Pareto-optimal</th><th>value violations</th><th>holistic</th>"
                f"</tr>{''.join(rows)}</table>{price}<p>{esc(self.verdict())}</p></div>")

    def plot(self, path: Any = None, kind: str = "pairs") -> Any:
        """Scatter of the outcomes with the frontier and the equilibria marked: one panel
        per pair of axes (``kind="pairs"``) or one 3-D scatter (``kind="3d"``). Returns
        the matplotlib Figure; saves it atomically when ``path`` is given."""
        from pareto.plot import plot_report
        return plot_report(self, path=path, kind=kind)


def _thresholds(game: Game, table: ScoreTable, thresholds: Any) -> dict[str, float]:
    if thresholds is None or "value" not in game.layers:
        if isinstance(thresholds, Mapping) and thresholds and "value" not in game.layers:
            raise InvalidGameError("thresholds: given, but the game has no 'value' layer")
        return {}
    values = np.asarray(game.layers["value"], dtype=np.float64).reshape(
        len(game.criteria["value"]), -1)
    names = game.criteria["value"]
    if isinstance(thresholds, str):
        if thresholds != "half":
            raise InvalidGameError(
                f"thresholds: expected 'half', None, or a mapping from value criterion to "
                f"threshold, found {thresholds!r}")
        return {c: float(v.min() + (v.max() - v.min()) / 2) for c, v in zip(names, values)}
    if not isinstance(thresholds, Mapping):
        raise InvalidGameError(
            f"thresholds: expected 'half', None or a mapping from value criterion to "
            f"threshold, found {type(thresholds).__name__}")
    out = {}
    for k, v in thresholds.items():
        if k not in names:
            raise InvalidGameError(
                f"thresholds: expected value criteria {names}, found {k!r}")
        v = float(v)
        if not np.isfinite(v):
            raise InvalidGameError(f"thresholds[{k!r}]: expected a finite number, found {v}")
        out[k] = v
    return out


def _assess(label: str, point: np.ndarray, value_scores: np.ndarray | None,
            names: Sequence[str], thresholds: Mapping[str, float], table: ScoreTable,
            front: np.ndarray, labels: Sequence[str]) -> dict[str, Any]:
    lo = table.values.min(axis=0)
    hi = table.values.max(axis=0)
    span = np.where(hi > lo, hi - lo, 1.0)
    gaps = np.clip((hi - point) / span, 0.0, None)
    # largest uniform improvement offered by a frontier outcome, in range units
    if len(front):
        improve = ((front - point) / span).min(axis=1).max()
    else:
        improve = 0.0
    tol = 1e-9 * max(1.0, float(np.abs(table.values).max()))
    dominators = np.flatnonzero(np.all(table.values >= point - tol, axis=1)
                                & np.any(table.values > point + tol, axis=1))
    dominated = len(dominators) > 0
    by = None
    if dominated:
        gain = ((table.values[dominators] - point) / span).sum(axis=1)
        by = labels[int(dominators[int(np.argmax(gain))])]
    violations = {}
    if value_scores is not None:
        for c, s in zip(names, value_scores):
            if c in thresholds and s < thresholds[c] - tol:
                violations[c] = (float(s), float(thresholds[c]))
    return dict(label=label,
                scores={a: float(v) for a, v in zip(table.axes, point)},
                gaps={a: float(v) for a, v in zip(table.axes, gaps)},
                frontier_gap=float(max(0.0, improve)), pareto_optimal=not dominated,
                violations=violations, holistic=(not dominated) and not violations,
                dominated_by=by)


def alignment_report(game: Game, equilibria: Any = None, dimensions: Any = None,
                     aggregate: Any = "sum", thresholds: Any = "half",
                     welfare: Any = None, cost: bool = False) -> AlignmentReport:
    """Alignment of a game's equilibria across objective, value and preference.

    For each equilibrium, on each axis: its score, its gap to the best outcome
    (normalised by the axis's range, 0..1) and its frontier gap (the largest uniform
    improvement some outcome offers on every axis); the price of anarchy and of
    stability (:func:`price_of_anarchy`); the disparity between players (payoffs) and
    between principals (the preference layer's criteria): Gini, max/min ratio and the
    winner-loser gap; and the verdict of **holistic alignment**: Pareto-optimal across
    every axis (no outcome dominates it) and no value criterion below its threshold.
    The objective-optimal outcome and the preference compromise are assessed the same
    way, and every holistically aligned outcome is listed.

    Parameters
    ----------
    game : Game
    equilibria : iterable, optional
        Equilibria (pure, mixed or correlated); default every pure equilibrium and, for
        two players, every extreme mixed one.
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

    Examples
    --------
    >>> import games
    >>> r = alignment_report(games.catalog.aid_delivery())
    >>> r.highlights["objective-optimal"].label
    'visibility, open airspace, open airspace, cost-efficient'
    >>> [o.label for o in r.holistic_outcomes][:1]
    ['need-based, open airspace, open airspace, priority-to-need']
    """
    table = score_table(game, dimensions, aggregate)
    thr = _thresholds(game, table, thresholds)
    if equilibria is None:
        eqs, complete, _ = game_equilibria(game)
    else:
        eqs, complete = list(equilibria), False
    front_mask = nondominated(table.values)
    front = table.values[front_mask]
    has_values = "value" in game.layers
    value_table = np.asarray(game.layers["value"], dtype=np.float64).reshape(
        len(game.criteria["value"]), -1).T if has_values else None
    value_names = game.criteria["value"] if has_values else ()
    labels = outcome_labels(game)
    has_pref = "preference" in game.layers
    pref_table = np.asarray(game.layers["preference"], dtype=np.float64).reshape(
        len(game.criteria["preference"]), -1).T if has_pref else None

    eq_out = []
    for e in eqs:
        dist = joint_distribution(game, e).reshape(-1)
        point = dist @ table.values
        vals = dist @ value_table if has_values else None
        base = _assess(_equilibrium_label(game, e), point, vals, value_names, thr, table, front, labels)
        payoffs = dist @ np.asarray(game.float_payoffs).reshape(game.n_players, -1).T
        principals = disparity(dist @ pref_table, game.criteria["preference"]) if has_pref else None
        regret = getattr(e, "regret", 0.0)
        eq_out.append(EquilibriumAlignment(
            **base, payoffs=tuple(float(p) for p in payoffs),
            players=disparity(payoffs, game.players), principals=principals,
            regret=float(regret)))

    def outcome(k: int) -> OutcomeAlignment:
        vals = value_table[k] if has_values else None
        return OutcomeAlignment(**_assess(labels[k], table.values[k], vals, value_names, thr,
                                          table, front, labels))

    highlights = {}
    if "objective" in table.dimensions and table.axes.count("objective") == 1:
        j = table.axes.index("objective")
        highlights["objective-optimal"] = outcome(int(np.argmax(table.values[:, j])))
    if has_pref:
        order = np.lexsort((-pref_table.sum(axis=1), -pref_table.min(axis=1)))
        highlights["preference compromise"] = outcome(int(order[0]))
    if has_values:
        highlights["value-optimal"] = outcome(int(np.argmax(value_table.sum(axis=1))))
    holistic = [o for o in (outcome(int(k)) for k in np.flatnonzero(front_mask)) if o.holistic]

    price, note = None, ""
    try:
        price = price_of_anarchy(game, eqs, welfare=welfare, cost=cost)
    except InvalidGameError as err:
        note = str(err)
    return AlignmentReport(game=game, axes=table.axes, table=table, outcome_frontier=front_mask,
                           equilibria=eq_out, equilibria_complete=complete,
                           highlights=highlights, holistic_outcomes=holistic, thresholds=thr,
                           price=price, price_note=note, sources=list(eqs))
