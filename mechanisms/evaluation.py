"""Measuring mechanisms: before and after (:func:`evaluate`), the critical strength at
which a condition starts to hold (:func:`threshold`), and parameter sweeps (:func:`sweep`).
"""

from __future__ import annotations

import html
import os
import textwrap
from collections.abc import Callable, Mapping, Sequence
from dataclasses import MISSING, dataclass, field, fields
from fractions import Fraction
from typing import TYPE_CHECKING, Any

import numpy as np

from games import Game, InvalidArgumentError, Setting, classify, pure_equilibria
from games.bayesian import BayesianGame
from games.model import html_table
from games.palette import colour
from games.parallel import run_tasks
from games.symbolic import SymbolicGame, solve_threshold
from games.tolerance import RELATIVE_TOLERANCE, payoff_magnitude
from mechanisms.base import (
    COST_LAYER,
    Family,
    FigurePath,
    Mechanism,
    Number,
    check_number,
    exact_number,
    jsonable,
    mechanism_title,
    profile_index,
)
from mechanisms.dynamic import Dynamics, DynamicVerdict, dynamic_verdict
from pareto import AlignmentReport, alignment_report
from pareto.metrics import EquilibriumAlignment
from pareto.plot import save_figure

if TYPE_CHECKING:
    import sympy
    from matplotlib.figure import Figure

__all__ = ["evaluate", "Evaluation", "compare", "Comparison", "ComparisonRow", "Snapshot",
           "threshold", "Threshold", "sweep", "SweepResult", "SweepPoint", "default_measure",
           "condition_holds", "values_measured", "CONDITIONS"]

#: Conditions understood by :func:`threshold` (a callable ``game -> bool`` works too).
CONDITIONS = ("equilibrium", "strict-equilibrium", "dominant", "holistic")

#: What the text and tables print where holistic alignment was not assessed.
NOT_MEASURED = "n/a"


def values_measured(report: AlignmentReport, game: Game) -> bool:
    """Whether ``report`` measured values, i.e. whether its holistic verdicts mean anything
    (a game without a ``"value"`` layer has no values to respect)."""
    return report.values_measured


# ---------------------------------------------------------------------------------------
# Before and after


@dataclass(frozen=True)
class Snapshot:
    """One side of an evaluation.

    Attributes
    ----------
    game : Game
    setting : games.Setting
    report : pareto.AlignmentReport
        Scores, frontier gaps, price of anarchy, disparity and the holistic verdict.
    cooperation : float or None
        Mean probability, over players and equilibria, of each player's first action (the
        cooperative one in the catalogue's dilemmas); None without equilibria.
    cost : list of float
        The operator's expected net payment at each equilibrium (0 without a cost layer).
    """

    game: Game
    setting: Setting
    report: AlignmentReport
    cooperation: float | None
    cost: list[float]

    @property
    def values_measured(self) -> bool:
        """Whether the game has values to measure (a ``"value"`` layer)."""
        return values_measured(self.report, self.game)

    @property
    def holistic(self) -> bool | None:
        """Whether some equilibrium is holistically aligned; None when values were not
        measured (no ``"value"`` layer), so that holistic alignment cannot be judged."""
        if not self.values_measured:
            return None
        return bool(self.report.aligned_equilibria)

    @property
    def best(self) -> EquilibriumAlignment | None:
        """The equilibrium with the largest sum of scores (None without equilibria)."""
        return max(self.report.equilibria, key=lambda e: sum(e.scores.values()), default=None)

    @property
    def best_scores(self) -> dict[str, float] | None:
        """The best equilibrium's score on each alignment axis."""
        return None if self.best is None else dict(self.best.scores)

    @property
    def price_of_anarchy(self) -> float | None:
        return None if self.report.price is None else self.report.price.anarchy

    @property
    def price_of_stability(self) -> float | None:
        return None if self.report.price is None else self.report.price.stability

    @property
    def gini_between_players(self) -> float | None:
        """The Gini coefficient of the players' payoffs at the best equilibrium."""
        best = self.best
        return None if best is None or best.players is None else best.players.gini

    @property
    def equilibrium_labels(self) -> list[str]:
        return [e.label for e in self.report.equilibria]

    def _repr_html_(self) -> str:
        return html_table(f"Snapshot of {self.game.title or 'the game'}",
                          [(label, _show(read(self))) for label, read in _SNAPSHOT_ROWS])

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON data (``holistic`` is None when values were not measured)."""
        return jsonable({
            "setting": self.setting.kind,
            "equilibria": self.equilibrium_labels,
            "cooperation": self.cooperation,
            "best_scores": self.best_scores,
            "price_of_anarchy": self.price_of_anarchy,
            "price_of_stability": self.price_of_stability,
            "gini_between_players": self.gini_between_players,
            "cost_at_equilibrium": self.cost,
            "values_measured": self.values_measured,
            "holistic": self.holistic,
        })


def _show_holistic(holistic: bool | None) -> str:
    if holistic is None:
        return f"{NOT_MEASURED} (values not measured)"
    return str(holistic)


#: The rows of an evaluation's table: label and how to read it from a snapshot.
_SNAPSHOT_ROWS: tuple[tuple[str, Callable[[Snapshot], Any]], ...] = (
    ("setting", lambda s: s.setting.kind),
    ("equilibria", lambda s: s.equilibrium_labels),
    ("cooperation", lambda s: s.cooperation),
    ("scores of the best equilibrium", lambda s: s.best_scores),
    ("price of anarchy", lambda s: s.price_of_anarchy),
    ("price of stability", lambda s: s.price_of_stability),
    ("gini between players", lambda s: s.gini_between_players),
    ("cost at equilibrium", lambda s: s.cost),
    ("holistically aligned equilibrium", lambda s: _show_holistic(s.holistic)),
)


@dataclass(frozen=True, eq=False)
class Evaluation:
    """A mechanism measured before and after: :attr:`before`, :attr:`after` (each a
    :class:`Snapshot`), and the mechanism; with ``dynamics``, also what learners do once
    it is switched on (:attr:`dynamic_verdicts`, one per :class:`mechanisms.Dynamics`)."""

    mechanism: Mechanism
    before: Snapshot
    after: Snapshot
    dynamic_verdicts: tuple[DynamicVerdict, ...] = ()

    @property
    def dynamic(self) -> DynamicVerdict | None:
        """The dynamic verdict (the first one when several dynamics were run; None
        without dynamics)."""
        return self.dynamic_verdicts[0] if self.dynamic_verdicts else None

    @property
    def disagreements(self) -> tuple[str, ...]:
        """One sentence per dynamics whose verdict contradicts the static one: the static
        verdict says some equilibrium is holistically aligned (``after.holistic``), the
        dynamic one whether most sessions end holistically aligned. Empty when they agree
        or when values were not measured."""
        return tuple(disagreement(self.after.holistic, v) for v in self.dynamic_verdicts
                     if disagrees(self.after.holistic, v))

    @property
    def disagrees(self) -> bool | None:
        """Whether some dynamic verdict contradicts the static one (None without dynamics
        or without values)."""
        if not self.dynamic_verdicts or self.after.holistic is None:
            return None
        return bool(self.disagreements)

    @property
    def cost(self) -> list[float]:
        """The operator's expected net payment at each equilibrium after the change."""
        return self.after.cost

    @property
    def restores_alignment(self) -> bool | None:
        """True when some equilibrium is holistically aligned after but none was before;
        None when values were not measured on either side (no ``"value"`` layer)."""
        if self.before.holistic is None or self.after.holistic is None:
            return None
        return self.after.holistic and not self.before.holistic

    @property
    def verdict(self) -> str:
        if self.restores_alignment is None:
            return ("cannot be judged on holistic alignment: the game has no value layer, so "
                    "values were not measured")
        if self.restores_alignment:
            return "restores holistic alignment"
        if self.after.holistic:
            return "keeps a holistically aligned equilibrium"
        return "does not reach holistic alignment"

    def to_dict(self) -> dict[str, Any]:
        return {"mechanism": self.mechanism.to_dict(), "before": self.before.to_dict(),
                "after": self.after.to_dict(),
                "report_before": self.before.report.to_dict(),
                "report_after": self.after.report.to_dict(),
                "restores_alignment": self.restores_alignment,
                "dynamic": [v.to_dict() for v in self.dynamic_verdicts],
                "disagrees": self.disagrees, "disagreements": list(self.disagreements)}

    def _rows(self) -> list[tuple[str, str, str]]:
        return [(label, _show(read(self.before)), _show(read(self.after)))
                for label, read in _SNAPSHOT_ROWS]

    def to_text(self) -> str:
        rows = self._rows()
        width = max(len(label) for label, _, _ in rows)
        m = self.mechanism
        lines = [f"Mechanism: {m!r} ({m.name}; {m.reference})",
                 f"{'':{width}}  before  ->  after"]
        lines += [f"{label:{width}}  {before}  ->  {after}" for label, before, after in rows]
        lines.append(f"Verdict: the mechanism {self.verdict}.")
        for v in self.dynamic_verdicts:
            lines.append(f"Dynamic verdict: {v.text()}.")
        lines += [f"Disagreement: {d}" for d in self.disagreements]
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.to_text()

    def __repr__(self) -> str:
        dynamic = "".join(f", {v.dynamics.label} ending aligned {_show(v.share)}"
                          for v in self.dynamic_verdicts)
        return (f"Evaluation({self.mechanism!r}: holistic {_show_holistic(self.before.holistic)}"
                f" -> {_show_holistic(self.after.holistic)}, cooperation "
                f"{_show(self.before.cooperation)} -> {_show(self.after.cooperation)}{dynamic})")

    def _repr_html_(self) -> str:
        rows = "".join(f"<tr><td>{html.escape(label)}</td><td>{html.escape(before)}</td>"
                       f"<td>{html.escape(after)}</td></tr>"
                       for label, before, after in self._rows())
        dynamic = "".join(v._repr_html_() for v in self.dynamic_verdicts)
        notes = "".join(f"<p><b>Disagreement:</b> {html.escape(d)}</p>"
                        for d in self.disagreements)
        return (f"<table><caption>{html.escape(repr(self))}</caption><tr><th></th><th>before</th>"
                f"<th>after</th></tr>{rows}</table>{dynamic}{notes}")

    def plot(self, path: FigurePath = None) -> Figure:
        """Bars of the best equilibrium's score on each alignment axis, before and after.
        Returns the matplotlib Figure (saved atomically when ``path`` is given)."""
        import matplotlib.pyplot as plt

        before = self.before.best_scores or {}
        after = self.after.best_scores or {}
        axes = list(dict.fromkeys(list(before) + list(after)))
        fig, ax = plt.subplots(figsize=(6, 3.5))
        x = np.arange(len(axes))
        ax.bar(x - 0.2, [before.get(a, 0) for a in axes], 0.4, label="before",
               color=colour(0))
        ax.bar(x + 0.2, [after.get(a, 0) for a in axes], 0.4, label="after", color=colour(1))
        ax.set_xticks(x, axes)
        ax.set_xlabel("alignment axis")
        ax.set_ylabel("score at the best equilibrium\n(payoff units of the layer)")
        ax.set_title(f"{mechanism_title(self.mechanism)}: before and after", fontsize=10)
        ax.legend()
        fig.tight_layout()
        if path is not None:
            save_figure(fig, path)
        return fig


def disagrees(static: bool | None, verdict: DynamicVerdict) -> bool:
    """Whether the static verdict ``static`` (some equilibrium holistically aligned) and
    the dynamic one (most sessions end holistically aligned) contradict each other; False
    when either is not measured."""
    return static is not None and verdict.share_aligned is not None \
        and bool(static) != verdict.realigns


def disagreement(static: bool | None, verdict: DynamicVerdict, name: str | None = None) -> str:
    """The sentence naming a disagreement between the static and the dynamic verdict, about
    the mechanism called ``name`` (default: its class)."""
    d = verdict.dynamics
    when = "from the start" if d.switch_on == 0 else f"at period {d.switch_on}"
    ended = round((verdict.share_aligned or 0.0) * d.sessions)
    name = type(verdict.mechanism).__name__ if name is None else name
    if static:
        return (f"{name}: some equilibrium is holistically aligned, but with {d.label} and "
                f"the mechanism switched on {when} only {ended} of {d.sessions} sessions end "
                f"holistically aligned")
    return (f"{name}: no equilibrium is holistically aligned, but with {d.label} and the "
            f"mechanism switched on {when} {ended} of {d.sessions} sessions end holistically "
            f"aligned")


def _show(x: Any) -> str:
    if x is None:
        return "-"
    if isinstance(x, float):
        return f"{x:.4g}"
    if isinstance(x, dict):
        return "{" + ", ".join(f"{k}: {_show(v)}" for k, v in x.items()) + "}"
    if isinstance(x, list):
        return "[" + "; ".join(_show(v) for v in x) + "]"
    return str(x)


def _snapshot(game: Game, solver: Callable[[Game], Any] | None, thresholds: Any) -> Snapshot:
    equilibria = None if solver is None else list(solver(game))
    report = alignment_report(game, equilibria=equilibria, thresholds=thresholds)
    found = report.sources if report.sources else (equilibria or [])
    cooperation = None
    costs: list[float] = []
    strategies = [e.strategies for e in found if hasattr(e, "strategies")]
    if strategies:
        cooperation = float(np.mean([[float(s[0]) for s in profile] for profile in strategies]))
        if COST_LAYER in game.layers:
            scored = game.replace(payoffs=np.stack([game.layers[COST_LAYER][0]] * game.n_players),
                                  layers={}, criteria={})
            costs = [float(scored.expected_payoffs(profile)[0]) for profile in strategies]
        else:
            costs = [0.0] * len(strategies)
    return Snapshot(game=game, setting=classify(game), report=report,
                    cooperation=cooperation, cost=costs)


def check_dynamics(dynamics: Any) -> tuple[Dynamics, ...]:
    """None, one Dynamics or a sequence of them, as a tuple."""
    if dynamics is None:
        return ()
    if isinstance(dynamics, Dynamics):
        return (dynamics,)
    if isinstance(dynamics, Sequence) and not isinstance(dynamics, (str, bytes)) \
            and dynamics and all(isinstance(d, Dynamics) for d in dynamics):
        return tuple(dynamics)
    raise InvalidArgumentError(f"dynamics: expected None, a mechanisms.Dynamics or a list of "
                               f"them, found {dynamics!r}")


def evaluate(game: Game | BayesianGame, mechanism: Mechanism,
             solver: Callable[[Game], Any] | None = None, thresholds: Any = "half",
             dynamics: Dynamics | Sequence[Dynamics] | None = None) -> Evaluation:
    """The game before and after ``mechanism``, side by side: equilibria, setting,
    cooperation level, each alignment dimension, price of anarchy and stability,
    disparity, the mechanism's cost at equilibrium, and whether some equilibrium becomes
    holistically aligned (:func:`pareto.alignment_report`; not judged, with a note, when
    the game has no ``"value"`` layer). A :class:`games.bayesian.BayesianGame` is measured
    through its strategic form.

    Parameters
    ----------
    solver : callable, optional
        ``solver(game)`` returning equilibria; default every pure equilibrium and, for two
        players, every extreme mixed one.
    thresholds :
        Value thresholds, as in :func:`pareto.alignment_report` (and
        :func:`pareto.alignment_trajectory` for the dynamic verdict).
    dynamics : Dynamics or list of Dynamics, optional
        Learning scenarios (:class:`mechanisms.Dynamics`): learners play the game and the
        mechanism is switched on at ``switch_on``; each gives a
        :class:`mechanisms.DynamicVerdict` (``Evaluation.dynamic``), and
        ``Evaluation.disagreements`` names where it contradicts the static verdict. A
        mechanism that changes the game's shape (repetition, reputation, networks) cannot
        be switched on in a run and is refused.

    Examples
    --------
    The issue's known case: learners that became selfish before a contract arrives stay
    selfish, though statically the contract makes the aligned outcome the unique
    equilibrium (cross-learning has let the aligned actions die out).

    >>> import games, mechanisms as M
    >>> from games.learning import CrossLearning
    >>> g = games.catalog.aid_delivery()
    >>> contract = M.Contract(("need-based", "open airspace", "open airspace",
    ...                        "priority-to-need"), damages=6)
    >>> e = M.evaluate(g, contract, dynamics=M.Dynamics(
    ...     CrossLearning(step=0.01), periods=100_000, sessions=4, seed=1, switch_on=50_000))
    >>> e.after.holistic, e.dynamic.share_aligned, e.disagrees
    (True, 0.0, True)
    """
    if not isinstance(mechanism, Mechanism):
        raise InvalidArgumentError(f"mechanism: expected a Mechanism, found "
                                   f"{type(mechanism).__name__}")
    if solver is not None and not callable(solver):
        raise InvalidArgumentError(f"solver: expected a callable game -> equilibria or None, "
                                   f"found {solver!r}")
    scenarios = check_dynamics(dynamics)
    if scenarios and isinstance(game, BayesianGame):
        raise InvalidArgumentError("dynamics: learners play a games.Game, found a "
                                   "BayesianGame (pass its normal_form())")
    after = mechanism.apply(game)
    before = game.normal_form() if isinstance(game, BayesianGame) else game  # private types
    verdicts = tuple(dynamic_verdict(before, mechanism, d, thresholds) for d in scenarios)
    return Evaluation(mechanism, _snapshot(before, solver, thresholds),
                      _snapshot(after, solver, thresholds), verdicts)


# ---------------------------------------------------------------------------------------
# Critical strength


@dataclass(frozen=True)
class Threshold:
    """The critical strength of a mechanism family.

    Attributes
    ----------
    value : number, sympy relation or None
        The smallest parameter in ``bounds`` at which the condition holds (None if it
        holds nowhere in ``bounds``); on a symbolic game, the relation the parameter must
        satisfy.
    holds_at_value : bool
        Whether the condition holds at ``value`` itself (weak inequality) or only above it.
    interval : tuple or None
        Every parameter in ``bounds`` where the condition holds, ``(low, high)``, when the
        condition is linear in the parameter (exact); None for bisection.
    exact : bool
        True when found exactly from linear conditions; False for a bisection bracket.
    bracket : tuple
        ``(fails, holds)``: parameters at which the condition was checked to fail and hold.
    method : str
    condition : str
    """

    value: Number | sympy.Rel | None
    holds_at_value: bool
    interval: tuple[Number, Number] | None
    exact: bool
    bracket: tuple[Number | None, Number | None]
    method: str
    condition: str

    def __repr__(self) -> str:
        v = "none in bounds" if self.value is None else str(self.value)
        kind = ">=" if self.holds_at_value else ">"
        return f"Threshold({self.condition}: parameter {kind} {v}, {self.method})"

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON data: exact numbers as ints or ``"p/q"``, a symbolic relation as text."""
        return {"value": jsonable(self.value), "holds_at_value": self.holds_at_value,
                "interval": jsonable(self.interval), "exact": self.exact,
                "bracket": jsonable(self.bracket), "method": self.method,
                "condition": self.condition}

    def _repr_html_(self) -> str:
        rows = "".join(f"<tr><td>{html.escape(k)}</td><td>{html.escape(_show(v))}</td></tr>"
                       for k, v in self.to_dict().items())
        return f"<table><caption>{html.escape(repr(self))}</caption>{rows}</table>"


def _check_family(family: Family, parameter: str | None, fixed: Any) -> dict[str, Any]:
    """Validate a mechanism family and its fixed parameters; the fixed ones as a dict."""
    if fixed is None:
        fixed = {}
    if not isinstance(fixed, Mapping) or not all(isinstance(k, str) for k in fixed):
        raise InvalidArgumentError(f"fixed: expected a dict of parameter names to values, "
                                   f"found {fixed!r}")
    if isinstance(family, type) and issubclass(family, Mechanism):
        names = [f.name for f in fields(family)]  # type: ignore[arg-type]
        if not isinstance(parameter, str) or parameter not in names:
            raise InvalidArgumentError(f"parameter: expected one of {family.__name__}'s "
                                       f"parameters {tuple(names)}, found {parameter!r}")
        unknown = [k for k in fixed if k not in names or k == parameter]
        if unknown:
            raise InvalidArgumentError(f"fixed: expected other parameters of {family.__name__} "
                                       f"{tuple(n for n in names if n != parameter)}, found "
                                       f"{unknown}")
        missing = [f.name for f in fields(family)  # type: ignore[arg-type]
                   if f.default is MISSING and f.default_factory is MISSING
                   and f.name != parameter and f.name not in fixed]
        if missing:
            raise InvalidArgumentError(f"fixed: {family.__name__} also needs {missing}, found "
                                       f"{tuple(fixed)}")
    elif not callable(family):
        raise InvalidArgumentError(f"family: expected a Mechanism class or a callable "
                                   f"parameter -> Mechanism or Game, found {family!r}")
    return dict(fixed)


def _family_game(game: Game | None, family: Family, parameter: str | None, theta: Any,
                 fixed: dict[str, Any]) -> Game:
    if isinstance(family, type) and issubclass(family, Mechanism):
        made = family(**{parameter: theta}, **fixed)
    else:
        made = family(theta)
    if isinstance(made, Mechanism):
        if game is None:
            raise InvalidArgumentError("game: a mechanism family needs a game to apply it to, "
                                       "found None")
        return made.apply(game)
    if isinstance(made, Game):
        return made
    raise InvalidArgumentError(f"family: expected a Mechanism class or a callable returning a "
                               f"Mechanism or a Game, found one returning {type(made).__name__}")


def _gains(game: Game, profile: Sequence[Any], condition: str) -> np.ndarray:
    """The margins whose non-negativity (positivity for strict conditions) is the
    condition: for each player and alternative action, how much the profile's action
    beats it (against the profile, or against every profile of the others for
    "dominant")."""
    index = profile_index(game, profile, "profile")
    u = game.payoffs
    out = []
    for i in range(game.n_players):
        own = np.moveaxis(u[i], i, 0)
        if condition == "dominant":
            rows = own.reshape(game.shape[i], -1)
        else:
            others = index[:i] + index[i + 1:]
            rows = own[(slice(None), *others)].reshape(game.shape[i], 1)
        chosen = rows[index[i]]
        for b in range(game.shape[i]):
            if b != index[i]:
                out.extend(chosen - rows[b])
    return np.array(out, dtype=object if game.exact else np.float64)


def condition_holds(game: Game, condition: str | Callable[[Game], bool],
                    profile: Sequence[Any] | None, strict: bool) -> bool:
    """Whether ``game`` meets a :func:`threshold` condition: a callable ``game -> bool``,
    ``"holistic"`` (some equilibrium holistically aligned), or a profile condition
    (``"equilibrium"``, ``"strict-equilibrium"``, ``"dominant"``) on ``profile``; the
    margins must be non-negative (positive when ``strict``).

    Raises
    ------
    InvalidArgumentError
        For ``"holistic"`` on a game without a ``"value"`` layer (values are not
        measured, so holistic alignment cannot be judged).
    """
    if callable(condition):
        return bool(condition(game))
    if condition == "holistic":
        report = alignment_report(game)
        if not values_measured(report, game):
            raise InvalidArgumentError(
                f"condition: 'holistic' needs a game with a 'value' layer (without values "
                f"holistic alignment is not measured), found layers {tuple(game.layers)}; use "
                f"'equilibrium', 'dominant' or a callable condition instead")
        return bool(report.aligned_equilibria)
    gains = _gains(game, profile, condition)
    return bool((gains > 0).all() if strict else (gains >= 0).all())


def _check_bounds(bounds: Any) -> tuple[Number, Number]:
    if isinstance(bounds, (str, bytes)) or not isinstance(bounds, Sequence) or len(bounds) != 2:
        raise InvalidArgumentError(f"bounds: expected a pair (low, high), found {bounds!r}")
    low = check_number(bounds[0], "bounds[0]")
    high = check_number(bounds[1], "bounds[1]")
    if not low < high:
        raise InvalidArgumentError(f"bounds: expected low < high, found {tuple(bounds)!r}")
    return (bounds[0] if exact_number(bounds[0]) else low,
            bounds[1] if exact_number(bounds[1]) else high)


def threshold(game: Game | SymbolicGame | None, family: Family | None, parameter: str | None = None,
              condition: str | Callable[[Game], bool] = "equilibrium",
              profile: Sequence[Any] | None = None, bounds: tuple[Number, Number] = (0, 1),
              fixed: dict[str, Any] | None = None, tolerance: float = 1e-9) -> Threshold:
    """The critical strength at which a condition starts to hold.

    On a :class:`games.symbolic.SymbolicGame` (``family`` ignored) the answer is exact and
    symbolic: the relation the parameter must satisfy, e.g. ``r >= c/b`` (give
    ``fixed={"positive": ["T - P"]}`` for signs the parameters' positivity does not
    imply).

    Parameters
    ----------
    game : Game or None
        The game the mechanisms apply to (None when ``family`` returns games).
    family : Mechanism class or callable
        ``family(**{parameter: theta}, **fixed)`` for a class, else ``family(theta)``,
        returning a Mechanism (applied to ``game``) or a Game.
    condition : str or callable
        ``"equilibrium"`` (``profile`` is a Nash equilibrium), ``"strict-equilibrium"``,
        ``"dominant"`` (each action of ``profile`` is a dominant strategy: weakly at the
        threshold, strictly above), ``"holistic"`` (some equilibrium is holistically
        aligned; needs a ``"value"`` layer), or ``game -> bool``.
    bounds : (low, high)
        The parameter range searched.

    Raises
    ------
    InvalidArgumentError
        For an unknown condition, a missing or malformed profile, bounds that are not two
        finite numbers with low < high, a non-positive tolerance, an unknown parameter, or
        ``"holistic"`` on a game without a value layer.

    Method: for the profile conditions the margins are evaluated at three parameters; when
    they are affine in the parameter (checked exactly on exact games) the set where they
    are all non-negative is an interval found exactly. Otherwise, and for other
    conditions, the boundary is bisected to ``tolerance`` between a parameter where the
    condition fails and one where it holds (assumed to hold from some point on).

    Examples
    --------
    Hamilton's rule on the donation game: cooperation dominant from r = c/b.

    >>> import games, mechanisms
    >>> t = threshold(games.catalog.prisoners_dilemma(b=4, c=1), mechanisms.Kinship,
    ...               "relatedness", condition="dominant", profile=("C", "C"))
    >>> t.value, t.exact
    (Fraction(1, 4), True)
    """
    if not callable(condition) and condition not in CONDITIONS:
        raise InvalidArgumentError(f"condition: expected one of {CONDITIONS} or a callable, "
                                   f"found {condition!r}")
    if isinstance(game, SymbolicGame):
        if condition not in ("equilibrium", "strict-equilibrium") or not isinstance(parameter, str):
            raise InvalidArgumentError("condition: a symbolic game gives exact thresholds for "
                                       "'equilibrium' or 'strict-equilibrium' in a named "
                                       f"parameter, found condition {condition!r} and parameter "
                                       f"{parameter!r}")
        strict = condition == "strict-equilibrium"
        relation = solve_threshold(game, parameter, profile, strict=strict,
                                   positive=tuple((fixed or {}).get("positive", ())))
        return Threshold(relation, not strict, None, True, (None, None),
                         "symbolic: the equilibrium conditions solved exactly", condition)
    fixed = _check_family(family, parameter, fixed)
    low, high = _check_bounds(bounds)
    check_number(tolerance, "tolerance", 0, low_open=True)
    if condition in ("equilibrium", "strict-equilibrium", "dominant") and profile is None:
        raise InvalidArgumentError(f"profile: the condition {condition!r} needs a profile "
                                   f"(one action per player), found None")
    name = condition if isinstance(condition, str) else getattr(condition, "__name__", "condition")
    strict = condition == "strict-equilibrium"
    if isinstance(condition, str) and condition != "holistic":
        linear = _linear_threshold(game, family, parameter, condition, profile, low, high, fixed,
                                   strict)
        if linear is not None:
            return linear
    return _bisect(game, family, parameter, condition, profile, low, high, fixed, strict,
                   tolerance, name)


def _linear_threshold(game, family, parameter, condition, profile, low, high, fixed, strict):
    exact = exact_number(low) and exact_number(high)
    lo = Fraction(low) if exact else float(low)
    hi = Fraction(high) if exact else float(high)
    # Sample inside the range (a family may be undefined at an end, e.g. w = 1).
    t0, t1, t2 = lo + (hi - lo) / 4, lo + 3 * (hi - lo) / 4, (lo + hi) / 2
    samples = [_gains(_family_game(game, family, parameter, t, fixed), profile, condition)
               for t in (t0, t1, t2)]
    s0, s1, s2 = samples
    if not (s0.shape == s1.shape == s2.shape):
        return None
    slope = (s1 - s0) / (t1 - t0)
    predicted = s0 + slope * (t2 - t0)
    if s0.dtype == object and s1.dtype == object and s2.dtype == object:
        if any(p != m for p, m in zip(predicted, s2)):
            return None
        is_exact = True
    else:
        error = np.abs(np.asarray(predicted, dtype=float) - np.asarray(s2, dtype=float)).max()
        if error > RELATIVE_TOLERANCE * payoff_magnitude(np.asarray(samples, dtype=float)):
            return None
        is_exact = False
    g0 = s0 - slope * (t0 - lo)     # the margins at lo
    # Each margin a + s (t - lo) >= 0 (or > 0): intersect half-lines with [lo, hi].
    start, end = lo, hi
    start_open = end_open = False
    for a, s in zip(g0, slope):
        if s == 0:
            if a < 0 or (strict and a == 0):
                return Threshold(None, False, None, is_exact, (hi, hi), "linear", condition)
            continue
        root = lo - a / s
        if s > 0:
            if root > start or (root == start and strict):
                start, start_open = max(start, root), strict or start_open
        else:
            if root < end or (root == end and strict):
                end, end_open = min(end, root), strict or end_open
    if start > end or (start == end and (start_open or end_open)):
        return Threshold(None, False, None, is_exact, (hi, hi), "linear", condition)
    holds_at = not start_open
    if condition == "dominant" and start > lo:
        # At the boundary a margin is 0: weakly dominant there, strictly above.
        holds_at = True
    return Threshold(start, holds_at, (start, end), is_exact, (lo if start > lo else start, start),
                     "linear: exact intersection of affine margins", condition)


def _bisect(game, family, parameter, condition, profile, low, high, fixed, strict, tolerance, name):
    def holds(t: Any) -> bool:
        return condition_holds(_family_game(game, family, parameter, t, fixed), condition,
                               profile, strict)

    lo, hi = float(low), float(high)
    if holds(lo):
        return Threshold(low, True, None, False, (low, low), "bisection", name)
    if not holds(hi):
        return Threshold(None, False, None, False, (hi, hi), "bisection", name)
    for _ in range(200):
        if hi - lo <= tolerance * max(1.0, abs(hi)):
            break
        mid = (lo + hi) / 2
        if holds(mid):
            hi = mid
        else:
            lo = mid
    return Threshold(hi, True, None, False, (lo, hi), "bisection (certified bracket)", name)


# ---------------------------------------------------------------------------------------
# Sweeps


@dataclass(frozen=True)
class SweepPoint:
    """What :func:`default_measure` finds in one game.

    Attributes
    ----------
    equilibria : tuple of tuple of int
        The pure equilibria (action indices).
    cooperation : float or None
        The mean share of first actions at them (None without pure equilibria).
    welfare : tuple of float or None
        The smallest and largest sum of payoffs at them.
    """

    equilibria: tuple[tuple[int, ...], ...]
    cooperation: float | None
    welfare: tuple[float, float] | None

    def _repr_html_(self) -> str:
        return html_table("Sweep point: pure equilibria, cooperation and welfare",
                          [(k, _show(v)) for k, v in self.to_dict().items()])

    def to_dict(self) -> dict[str, Any]:
        return {"equilibria": [list(p) for p in self.equilibria],
                "cooperation": self.cooperation,
                "welfare": None if self.welfare is None else list(self.welfare)}


@dataclass(frozen=True)
class SweepResult:
    """Measurements over a parameter grid, in grid order.

    Attributes
    ----------
    parameters : list
        The grid.
    values : list
        The measure at each grid point (a :class:`SweepPoint` for the default measure).
    measure : str
        The measure's name.
    """

    parameters: list[Any]
    values: list[Any]
    measure: str = field(default="")

    def __repr__(self) -> str:
        return f"SweepResult({len(self.parameters)} points of {self.measure})"

    def to_dict(self) -> dict[str, Any]:
        return {"parameters": jsonable(list(self.parameters)),
                "values": jsonable(list(self.values)), "measure": self.measure}

    def _repr_html_(self) -> str:
        rows = "".join(f"<tr><td>{html.escape(_show(jsonable(p)))}</td>"
                       f"<td>{html.escape(_show(jsonable(v)))}</td></tr>"
                       for p, v in zip(self.parameters, self.values))
        return (f"<table><caption>{html.escape(repr(self))}</caption><tr><th>parameter</th>"
                f"<th>{html.escape(self.measure or 'value')}</th></tr>{rows}</table>")

    def series(self, y: Callable[[Any], float | None] | None = None) -> np.ndarray:
        """The measure as numbers, one per grid point (NaN where it is None): ``y(value)``,
        or by default the value itself when it is a number, else its ``cooperation``."""
        def default(v: Any) -> Any:
            return v.cooperation if isinstance(v, SweepPoint) else v

        read = y or default
        out = []
        for v in self.values:
            x = read(v)
            if x is not None and (isinstance(x, (bool, str)) or
                                  not isinstance(x, (int, float, Fraction, np.number))):
                raise InvalidArgumentError(f"y: expected a number for each value, found {x!r}; "
                                           f"pass y=lambda value: ... to pick one")
            out.append(np.nan if x is None else float(x))
        return np.array(out, dtype=np.float64)

    def plot(self, y: Callable[[Any], float | None] | None = None, path: FigurePath = None,
             label: str | None = None) -> Figure:
        """The measure against the parameter (see :meth:`series`). Returns the matplotlib
        Figure (saved atomically when ``path`` is given)."""
        import matplotlib.pyplot as plt

        values = self.series(y)
        x = np.array([float(p) for p in self.parameters])
        fig, ax = plt.subplots(figsize=(5.5, 3.5))
        ax.plot(x, values, marker="o", ms=3)
        ax.set_xlabel("parameter")
        default = "cooperation" if y is None and any(isinstance(v, SweepPoint)
                                                     for v in self.values) else self.measure
        ax.set_ylabel(label or default)
        fig.tight_layout()
        if path is not None:
            save_figure(fig, path)
        return fig


def default_measure(game: Game, seed: Any = None) -> SweepPoint:
    """Pure equilibria, the cooperation level (mean share of first actions at them) and
    the welfare range at them."""
    found = pure_equilibria(game)
    profiles = tuple(tuple(int(a) for a in e.profile) for e in found)
    welfare = [float(sum(e.payoffs)) for e in found]
    cooperation = float(np.mean([[a == 0 for a in p] for p in profiles])) if profiles else None
    return SweepPoint(profiles, cooperation, (min(welfare), max(welfare)) if welfare else None)


@dataclass(frozen=True)
class _SweepTask:
    game: Game | None
    family: Family
    parameter: str | None
    fixed: dict[str, Any]
    measure: Callable[..., Any]
    seeded: bool

    def __call__(self, theta: Any, seed: Any = None) -> Any:
        g = _family_game(self.game, self.family, self.parameter, theta, self.fixed)
        return self.measure(g, seed) if self.seeded else self.measure(g)


def _run_sweep_task(item: tuple[_SweepTask, Any], seed: Any = None) -> Any:
    task, theta = item
    return task(theta, seed)


def sweep(game: Game | None, family: Family, grid: Sequence[Any], parameter: str | None = None,
          measure: Callable[..., Any] | None = None, fixed: dict[str, Any] | None = None,
          executor: Any = None, seed: Any = None, progress: bool | None = None,
          checkpoint: str | os.PathLike | None = None) -> SweepResult:
    """Apply a mechanism family at every parameter of ``grid`` and measure the result,
    through :func:`games.parallel.run_tasks` (any ``concurrent.futures.Executor``: a local
    process pool by default for long sweeps, ``dask.distributed.Client().get_executor()``
    unchanged), with a progress bar on long runs. With ``checkpoint`` (a file path), the
    finished grid points are saved as they finish: rerunning a killed sweep with the same
    arguments computes only the missing points, with identical results.

    ``measure(game)`` (or ``measure(game, seed)`` when ``seed`` is given: a
    :class:`numpy.random.SeedSequence` child per grid point, so results are identical on
    one worker or many) defaults to :func:`default_measure`.

    Raises
    ------
    InvalidArgumentError
        For an empty grid or one that is not a sequence of values, a measure that is not
        callable, or an unknown family or parameter.
    """
    if isinstance(grid, (str, bytes, Mapping)) or not hasattr(grid, "__iter__"):
        raise InvalidArgumentError(f"grid: expected a sequence of parameter values, found "
                                   f"{grid!r}")
    grid = list(grid)
    if not grid:
        raise InvalidArgumentError("grid: expected at least one parameter value, found none")
    if measure is not None and not callable(measure):
        raise InvalidArgumentError(f"measure: expected a callable game -> result, found "
                                   f"{measure!r}")
    fixed = _check_family(family, parameter, fixed)
    seeded = seed is not None
    task = _SweepTask(game, family, parameter, fixed, measure or default_measure, seeded)
    values = run_tasks(_run_sweep_task, [(task, theta) for theta in grid], seed=seed,
                       seeded=seeded, executor=executor, progress=progress,
                       description="mechanism sweep", checkpoint=checkpoint)
    return SweepResult(grid, values, getattr(task.measure, "__name__", "measure"))


# ---------------------------------------------------------------------------------------
# Comparison


@dataclass(frozen=True, eq=False)
class ComparisonRow:
    """One mechanism of a :class:`Comparison`.

    Attributes
    ----------
    mechanism : Mechanism
    holistic : bool or None
        Whether some equilibrium is holistically aligned under it (None when values were
        not measured: the game has no ``"value"`` layer).
    equilibria : int
        How many equilibria were found.
    best_value : float or None
        The best value score at an equilibrium (None without values or equilibria).
    cooperation : float or None
    cost : list of float
        The operator's expected net payment at each equilibrium.
    dynamic : tuple of DynamicVerdict
        One per :class:`mechanisms.Dynamics` given to :func:`compare`.
    disagreements : tuple of str
        Where a dynamic verdict contradicts the static one (see
        :attr:`Evaluation.disagreements`).
    label : str
        The row's name in tables and plots (default: the mechanism's title,
        :func:`mechanisms.base.mechanism_title`).
    """

    mechanism: Mechanism
    holistic: bool | None
    equilibria: int
    best_value: float | None
    cooperation: float | None
    cost: list[float]
    dynamic: tuple[DynamicVerdict, ...] = ()
    disagreements: tuple[str, ...] = ()
    label: str = ""

    def __post_init__(self) -> None:
        if not self.label:
            object.__setattr__(self, "label", mechanism_title(self.mechanism))

    @classmethod
    def of(cls, evaluation: Evaluation, label: str = "") -> ComparisonRow:
        after = evaluation.after
        values = [q.scores["value"] for q in after.report.equilibria if "value" in q.scores]
        best_value = max(values) if values and after.values_measured else None
        return cls(evaluation.mechanism, after.holistic, len(after.report.equilibria),
                   best_value, after.cooperation, [float(c) for c in after.cost],
                   evaluation.dynamic_verdicts, evaluation.disagreements, label)

    def _repr_html_(self) -> str:
        return html_table(f"Comparison row: {self.label}",
                          [(k, _show(v)) for k, v in self.to_dict().items()])

    def to_dict(self) -> dict[str, Any]:
        return jsonable({"label": self.label, "mechanism": repr(self.mechanism),
                         "holistic": self.holistic,
                         "equilibria": self.equilibria, "best_value": self.best_value,
                         "cooperation": self.cooperation, "cost_at_equilibrium": self.cost,
                         "dynamic": [_dynamic_cells(self.holistic, v) for v in self.dynamic],
                         "disagreements": list(self.disagreements)})


def _dynamic_cells(static: bool | None, v: DynamicVerdict) -> dict[str, Any]:
    """A dynamic verdict's columns in a comparison."""
    return {"dynamics": v.dynamics.label, "switch_on": v.dynamics.switch_on,
            "share_aligned": v.share_aligned, "realigns": v.realigns,
            "time_to_realign": v.time_to_realign, "cost_per_period": v.cost_per_period,
            "disagrees": disagrees(static, v)}


@dataclass(frozen=True, eq=False)
class Comparison:
    """Several mechanisms evaluated on one game (:func:`compare`), each row named by its
    label.

    Attributes
    ----------
    evaluations : list of Evaluation
        One per mechanism, in the order given.
    labels : tuple of str
        The rows' names: non-empty and distinct, one per evaluation. Left empty, each
        mechanism's title (:func:`mechanisms.base.mechanism_title`), or its repr where two
        mechanisms share a title (numbered, ``"... (2)"``, where two share the repr).
    """

    evaluations: list[Evaluation]
    labels: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        labels = (tuple(self.labels) if self.labels else
                  _default_labels([e.mechanism for e in self.evaluations]))
        if len(labels) != len(self.evaluations):
            raise InvalidArgumentError(f"labels: expected one per evaluation "
                                       f"({len(self.evaluations)}), found {len(labels)}")
        _check_labels(labels)
        object.__setattr__(self, "labels", labels)

    @property
    def entries(self) -> list[ComparisonRow]:
        """One typed row per mechanism, in the order given."""
        return [ComparisonRow.of(e, label) for e, label in zip(self.evaluations, self.labels)]

    def rows(self) -> list[dict[str, Any]]:
        """The table: one dict per mechanism keyed by column name, its label first, then
        its definition (``"mechanism"``, the repr)."""
        return [{"label": r.label, "mechanism": repr(r.mechanism), "holistic": r.holistic,
                 "equilibria": r.equilibria, "best value score": r.best_value,
                 "cooperation": r.cooperation, "cost at equilibrium": r.cost}
                for r in self.entries]

    def to_text(self) -> str:
        entries = self.entries
        if not entries:
            return "no mechanisms"
        named = self._name_width()
        lines = [f"{'mechanism':{named}}  holistic  equilibria  value  cooperation  cost"]
        for r in entries:
            name = r.label if len(r.label) <= named else r.label[:named - 3] + "..."
            lines.append(f"{name:{named}}  {_yes_no(r.holistic):8}  {r.equilibria:10d}  "
                         f"{_show(r.best_value):5}  {_show(r.cooperation):11}  "
                         f"{_show(r.cost)}")
        if any(r.holistic is None for r in entries):
            lines.append(f"{NOT_MEASURED}: values not measured (the game has no value layer), so "
                         f"holistic alignment is not judged")
        if any(r.dynamic for r in entries):
            lines += ["", *self._dynamic_text()]
        return "\n".join(lines)

    def _name_width(self) -> int:
        """The mechanism column: as wide as the longest label, at most 58 characters."""
        return min(58, max(len("mechanism"), *map(len, self.labels)))

    def _dynamic_text(self) -> list[str]:
        """The dynamic verdicts: one line per mechanism and dynamics, then the
        disagreements with the static verdict."""
        entries = self.entries
        width = max(len(v.dynamics.label) for r in entries for v in r.dynamic)
        width = max(width, len("dynamics"))
        named = self._name_width()
        lines = ["Dynamic verdicts (share of sessions ending holistically aligned, median "
                 "periods to realign after the switch-on, operator's cost per period):",
                 f"{'mechanism':{named}}  {'dynamics':{width}}  static  aligned  realign   "
                 f"cost/period"]
        for r in entries:
            name = r.label if len(r.label) <= named else r.label[:named - 3] + "..."
            for v in r.dynamic:
                share = NOT_MEASURED if v.share_aligned is None else f"{v.share_aligned:.2f}"
                time = "never" if v.time_to_realign is None else str(v.time_to_realign)
                flag = "  <- disagrees" if disagrees(r.holistic, v) else ""
                lines.append(f"{name:{named}}  {v.dynamics.label:{width}}  "
                             f"{_yes_no(r.holistic):6}  "
                             f"{share:7}  {time:8}  {v.cost_per_period:.3g}{flag}")
        disagreeing = [disagreement(r.holistic, v, r.label) for r in entries
                       for v in r.dynamic if disagrees(r.holistic, v)]
        lines.append("Disagreements with the static verdict:" if disagreeing else
                     "The static and dynamic verdicts agree.")
        lines += [f"- {d}" for d in disagreeing]
        return lines

    def __str__(self) -> str:
        return self.to_text()

    def __repr__(self) -> str:
        return f"Comparison({len(self.evaluations)} mechanisms)"

    def _repr_html_(self) -> str:
        head = "".join(f"<th>{k}</th>" for k in ("mechanism", "definition", "holistic",
                                                  "equilibria", "best value score",
                                                  "cooperation", "cost"))
        body = "".join(
            "<tr>" + "".join(f"<td>{html.escape(v)}</td>" for v in (
                r.label, repr(r.mechanism), _yes_no(r.holistic), str(r.equilibria),
                _show(r.best_value), _show(r.cooperation), _show(r.cost))) + "</tr>"
            for r in self.entries)
        dynamic = ""
        if any(r.dynamic for r in self.entries):
            cells = ("mechanism", "dynamics", "static", "share aligned", "time to realign",
                     "cost per period", "disagrees")
            rows = "".join(
                "<tr>" + "".join(f"<td>{html.escape(str(c))}</td>" for c in (
                    r.label, v.dynamics.label, _yes_no(r.holistic),
                    _show(v.share_aligned), "never" if v.time_to_realign is None
                    else v.time_to_realign, _show(v.cost_per_period),
                    "yes" if disagrees(r.holistic, v) else "no")) + "</tr>"
                for r in self.entries for v in r.dynamic)
            dynamic = ("<table><tr>" + "".join(f"<th>{c}</th>" for c in cells) + f"</tr>{rows}"
                       "</table>")
        return f"<table><tr>{head}</tr>{body}</table>{dynamic}"

    def to_dict(self) -> dict[str, Any]:
        return {"mechanisms": [r.to_dict() for r in self.entries]}

    def plot(self, path: FigurePath = None) -> Figure:
        """Horizontal bars of each mechanism's cooperation and best value score at an
        equilibrium (bluish green where an equilibrium is holistically aligned, grey
        elsewhere; one mechanism a row, named by its label on the shared y axis). Returns
        the matplotlib Figure (saved atomically when ``path`` is given)."""
        import matplotlib.pyplot as plt

        entries = self.entries
        names = [textwrap.fill(r.label, 32, max_lines=3, placeholder="...") for r in entries]
        colours = [colour(2) if r.holistic else "0.6" for r in entries]
        measured = any(r.best_value is not None for r in entries)
        fig, axes = plt.subplots(1, 2 if measured else 1, figsize=(9 if measured else 5, 3.5),
                                 squeeze=False, sharey=True)
        y = np.arange(len(entries))
        coop = axes[0, 0]
        coop.barh(y, [np.nan if r.cooperation is None else r.cooperation for r in entries],
                  color=colours)
        coop.set_yticks(y, names)
        coop.invert_yaxis()
        coop.set_xlabel("cooperation at equilibrium\n(share of first actions, 0 to 1)")
        coop.set_ylabel("mechanism")
        if measured:
            value = axes[0, 1]
            value.barh(y, [np.nan if r.best_value is None else r.best_value for r in entries],
                       color=colours)
            value.tick_params(labelleft=False)
            value.set_xlabel("best value score at an equilibrium\n(payoff units)")
        fig.set_layout_engine("constrained")
        if path is not None:
            save_figure(fig, path)
        return fig


def _yes_no(holistic: bool | None) -> str:
    return NOT_MEASURED if holistic is None else "yes" if holistic else "no"


def _default_labels(mechanisms: Sequence[Mechanism]) -> tuple[str, ...]:
    """The rows' names in a comparison without labels: each mechanism's title
    (:func:`mechanisms.base.mechanism_title`), or its repr where two mechanisms of the
    comparison share that title (``Penalty(fine=0, ...)`` and ``Penalty(fine=5, ...)``);
    a name already taken by an earlier row is numbered (``"... (2)"``: the same mechanism
    twice)."""
    titles = [mechanism_title(m) for m in mechanisms]
    names = [repr(m) if titles.count(t) > 1 else t for m, t in zip(mechanisms, titles)]
    labels: list[str] = []
    for name in names:
        label, k = name, 1
        while label in labels:
            k += 1
            label = f"{name} ({k})"
        labels.append(label)
    return tuple(labels)


def _check_labels(labels: Sequence[Any]) -> None:
    """Refuse labels that cannot name the rows of a comparison: each must be a non-empty
    string, and no two equal."""
    seen: set[str] = set()
    for position, label in enumerate(labels):
        if not isinstance(label, str) or not label.strip():
            raise InvalidArgumentError(f"labels: expected non-empty strings, found {label!r} "
                                       f"at position {position}")
        if label in seen:
            raise InvalidArgumentError(f"labels: expected distinct labels, found {label!r} "
                                       f"twice")
        seen.add(label)


def compare(game: Game | BayesianGame,
            mechanisms: Mapping[str, Mechanism] | Sequence[Mechanism],
            solver: Callable[[Game], Any] | None = None, thresholds: Any = "half",
            dynamics: Dynamics | Sequence[Dynamics] | None = None) -> Comparison:
    """Evaluate each mechanism on ``game`` (:func:`evaluate`) and tabulate which ones make
    an equilibrium holistically aligned (``n/a`` when the game has no value layer), and at
    what cost to the operator; with ``dynamics`` (one :class:`mechanisms.Dynamics` or a
    list), also what learners do once each mechanism is switched on, and where that
    disagrees with the static verdict.

    ``mechanisms`` is a list, or a mapping ``{label: mechanism}`` whose labels (non-empty,
    distinct strings) name the rows in their order; a list's rows are named by each
    mechanism's title, or its repr where two share a title (see :class:`Comparison`).

    Examples
    --------
    >>> import games, mechanisms as M
    >>> on = {"Player 1": "D", "Player 2": "D"}
    >>> table = M.compare(games.catalog.prisoners_dilemma(),
    ...                   {"none": M.Penalty(0, on=on), "fine": M.Penalty(3, on=on)})
    >>> table.labels
    ('none', 'fine')
    """
    if isinstance(mechanisms, Mapping):
        labels: tuple[str, ...] = tuple(mechanisms)
        _check_labels(labels)
        chosen = list(mechanisms.values())
        where = [f"mechanisms[{label!r}]" for label in labels]
    elif isinstance(mechanisms, Mechanism) or not isinstance(mechanisms, Sequence) \
            or isinstance(mechanisms, str):
        raise InvalidArgumentError(f"mechanisms: expected a list of mechanisms or a mapping "
                                   f"{{label: mechanism}}, found {mechanisms!r}")
    else:
        chosen = list(mechanisms)
        labels = ()
        where = [f"mechanisms[{i}]" for i in range(len(chosen))]
    for name, m in zip(where, chosen):
        if not isinstance(m, Mechanism):
            raise InvalidArgumentError(f"{name}: expected a Mechanism, found "
                                       f"{type(m).__name__}")
    scenarios = check_dynamics(dynamics)
    return Comparison([evaluate(game, m, solver=solver, thresholds=thresholds,
                                dynamics=scenarios or None) for m in chosen], labels)
