"""The testbed runner: every scenario under each of its mechanisms, measured statically
(:func:`mechanisms.evaluate`), dynamically (:class:`mechanisms.Dynamics`) and for
accountability (:func:`pareto.attribution` of the remaining loss)."""

from __future__ import annotations

import hashlib
import html
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from games import InvalidArgumentError, MarkovGame
from games.bayesian import BayesianGame
from games.model import html_table
from games.palette import colour
from games.parallel import run_tasks
from mechanisms.base import FigurePath
from mechanisms.dynamic import dynamic_verdict
from mechanisms.evaluation import evaluate
from mechanisms.testbed.scenario import baseline_mechanism, scenario, scenarios
from pareto import attribution
from pareto.plot import save_figure

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = ["run", "TestbedRow", "TestbedResult", "measure"]


@dataclass(frozen=True)
class TestbedRow:
    """One scenario under one mechanism.

    Attributes
    ----------
    scenario, mechanism : str
        The scenario's name and the mechanism's label (``"none"``: the game as it is).
    mechanism_repr : str
    criterion : str
        The scenario's value criterion, and ``threshold`` its threshold.
    threshold : float
    static_holistic : bool or None
        Whether some equilibrium with the mechanism is holistically aligned
        (``Evaluation.after.holistic``: Pareto-optimal, with ``criterion`` at or above
        ``threshold``, the other value criteria unconstrained); None for a Markov
        scenario, which has no static verdict (:mod:`mechanisms.dynamic`).
    static_cost : tuple of float
        The operator's expected net payment at each equilibrium with the mechanism.
    dynamics : str
        The label of the learning scenario run.
    share_aligned : float or None
        Share of sessions whose last window is holistically aligned (as
        ``static_holistic``).
    share_misaligned : float
        Share of sessions whose last window scores ``criterion`` below ``threshold``.
    time_to_realign : int or None
        Median periods after the switch-on until a session settles aligned (None: never,
        in most sessions).
    cost_per_period : float
        The operator's cost per period after the switch-on (negative: fines collected).
    objective, value, preference : tuple of float
        Each criterion's expected score at the learners' last window (mean over
        sessions), on the game without the mechanism's payments (the yardstick).
    value_score : float
        ``criterion``'s score there.
    loss : float
        ``criterion``'s score at the aligned reference minus ``value_score``.
    shares : tuple of float
        Each player's Shapley share of ``loss`` (:func:`pareto.attribution`); empty for
        a Markov scenario (attribution reads one normal-form game).
    players : tuple of str
    disagreements : tuple of str
        Where the dynamic verdict contradicts the static one.
    """

    __test__ = False  # not a pytest class

    scenario: str
    mechanism: str
    mechanism_repr: str
    criterion: str
    threshold: float
    static_holistic: bool | None
    static_cost: tuple[float, ...]
    dynamics: str
    share_aligned: float | None
    share_misaligned: float
    time_to_realign: int | None
    cost_per_period: float
    objective: tuple[float, ...]
    value: tuple[float, ...]
    preference: tuple[float, ...]
    value_score: float
    loss: float
    shares: tuple[float, ...]
    players: tuple[str, ...]
    disagreements: tuple[str, ...]

    @property
    def responsible(self) -> str | None:
        """The player with the largest share of the loss, when the criterion ends below
        its threshold (None otherwise: nothing misaligned remains to attribute)."""
        if not self.value_score < self.threshold or not self.shares:
            return None
        return self.players[int(np.argmax(self.shares))]

    @property
    def realigns(self) -> bool:
        """Whether most sessions end holistically aligned."""
        return self.share_aligned is not None and self.share_aligned > 0.5

    def to_dict(self) -> dict[str, Any]:
        return {"scenario": self.scenario, "mechanism": self.mechanism,
                "mechanism_repr": self.mechanism_repr, "criterion": self.criterion,
                "threshold": self.threshold, "static_holistic": self.static_holistic,
                "static_cost": list(self.static_cost), "dynamics": self.dynamics,
                "share_aligned": self.share_aligned,
                "share_misaligned": self.share_misaligned,
                "time_to_realign": self.time_to_realign,
                "cost_per_period": self.cost_per_period, "objective": list(self.objective),
                "value": list(self.value), "preference": list(self.preference),
                "value_score": self.value_score, "loss": self.loss,
                "shares": dict(zip(self.players, self.shares)),
                "responsible": self.responsible, "realigns": self.realigns,
                "disagreements": list(self.disagreements)}

    def _repr_html_(self) -> str:
        return html_table(f"Testbed: {self.scenario} under {self.mechanism}", [
            ("criterion", self.criterion), ("threshold", self.threshold),
            ("static: holistically aligned", self.static_holistic),
            ("share of sessions aligned", self.share_aligned),
            ("share misaligned", self.share_misaligned),
            ("time to realign (periods)", self.time_to_realign),
            ("value at the end", self.value_score),
            ("cost per period", self.cost_per_period),
            ("most responsible", self.responsible), ("realigns", self.realigns)])


def _expected(layer: np.ndarray, distribution: np.ndarray) -> tuple[float, ...]:
    """Each criterion's expectation under a joint distribution over outcomes (C order)."""
    rows = np.asarray(layer, dtype=np.float64).reshape(layer.shape[0], -1)
    return tuple(float(x) for x in rows @ distribution)


def measure(name: str, label: str, quick: bool = True, details: bool = False
            ) -> TestbedRow | tuple[TestbedRow, Any]:
    """Scenario ``name`` under its mechanism ``label``: one testbed row.

    A mechanism that changes the model (``changes`` starting with ``"model"``, as
    :class:`Transparency`) is applied to the scenario's game (``Scenario.game()``, a
    Bayesian game before its strategic form) and the learners play the new game from the
    first period, measured on its own layers.

    With ``details``, the pair ``(row, measured)``: what the row was read from, so that
    a caller showing more than the row need not learn again. ``measured`` is the
    :class:`mechanisms.Evaluation` on the scenario's yardstick (``before.game``), whose
    only dynamic verdict is the row's; for a Markov scenario, the
    :class:`mechanisms.DynamicVerdict` itself.
    """
    for field_name, flag in (("quick", quick), ("details", details)):
        if not isinstance(flag, bool):
            raise InvalidArgumentError(f"{field_name}: expected True or False, found {flag!r}")
    s = scenario(name)
    game = s.build()
    if isinstance(game, MarkovGame):
        row, verdict = _measure_markov(s, game, label, quick)
        return (row, verdict) if details else row
    mechanism = shown = s.mechanism(label, game)
    if mechanism.changes.startswith("model"):
        # a new model (Transparency: private types made public) is not switched on mid-run:
        # the learners play it from the first period, measured on its own layers
        game = mechanism.apply(s.game())
        game = game.normal_form() if isinstance(game, BayesianGame) else game
        mechanism = baseline_mechanism(game)
    game = s.yardstick(game, mechanism)
    dynamics = s.quick if quick else s.dynamics
    threshold = s.value_threshold(game)
    name_of_criterion = s.value_criterion(game)
    # holistic: Pareto-optimal with the scenario's criterion at or above its threshold
    e = evaluate(game, mechanism, thresholds={name_of_criterion: threshold},
                 dynamics=dynamics)
    verdict = e.dynamic
    k = game.criteria["value"].index(name_of_criterion)
    # each session's last window, scored on the criterion
    last = np.asarray(verdict.run.frequencies, dtype=np.float64)[:, -1, :]
    per_session = last @ s.value_scores(game)
    share_misaligned = float(np.mean(per_session < threshold))
    distribution = np.asarray(verdict.final_distribution, dtype=np.float64)
    layers = {name: _expected(np.asarray(game.layers[name]), distribution) if name in
              game.layers else () for name in ("objective", "value", "preference")}
    split = attribution(game, verdict.run, s.aligned_reference(game), layer="value",
                        criterion=name_of_criterion)
    row = TestbedRow(
        scenario=name, mechanism=label, mechanism_repr=repr(shown),
        criterion=name_of_criterion, threshold=threshold, static_holistic=e.after.holistic,
        static_cost=tuple(float(c) for c in e.after.cost), dynamics=verdict.dynamics.label,
        share_aligned=verdict.share_aligned, share_misaligned=share_misaligned,
        time_to_realign=verdict.time_to_realign,
        cost_per_period=float(verdict.cost_per_period), objective=layers["objective"],
        value=layers["value"], preference=layers["preference"],
        value_score=float(layers["value"][k]), loss=float(split.loss),
        shares=tuple(float(x) for x in split.shares), players=tuple(game.players),
        disagreements=tuple(e.disagreements))
    return (row, e) if details else row


def _measure_markov(s: Any, game: MarkovGame, label: str, quick: bool
                    ) -> tuple[TestbedRow, Any]:
    """A Markov scenario's row and its dynamic verdict: the dynamic verdict only (no
    static verdict, no Shapley attribution), each layer scored on the last window's
    (state, joint action) frequencies; the loss is measured from the criterion's best
    score over outcomes."""
    mechanism = s.mechanism(label, game)
    game = s.yardstick(game, mechanism)
    dynamics = s.quick if quick else s.dynamics
    name_of_criterion = s.value_criterion(game)
    verdict = dynamic_verdict(game, mechanism, dynamics,
                              {name_of_criterion: s.value_threshold(game)})
    stage = game.stages[0]
    k = stage.criteria["value"].index(name_of_criterion)
    last = np.asarray(verdict.run.joint_state_frequencies, dtype=np.float64)[:, -1]
    scores = s.value_scores(game)
    per_session = np.einsum("ska,ka->s", last, scores)
    threshold = s.value_threshold(game)
    final = last[verdict.trajectory.valid[:, -1]]
    distribution = final.mean(axis=0) if len(final) else np.zeros_like(last[0])
    layers = {}
    for layer in ("objective", "value", "preference"):
        if layer not in stage.layers:
            layers[layer] = ()
            continue
        tables = np.stack([np.asarray(g.layers[layer], dtype=np.float64).reshape(
            len(stage.criteria[layer]), -1) for g in game.stages])
        layers[layer] = tuple(float(x) for x in np.einsum("kca,ka->c", tables, distribution))
    value_score = layers["value"][k]
    row = TestbedRow(
        scenario=s.name, mechanism=label, mechanism_repr=repr(mechanism),
        criterion=name_of_criterion, threshold=threshold, static_holistic=None,
        static_cost=(), dynamics=verdict.dynamics.label, share_aligned=verdict.share_aligned,
        share_misaligned=float(np.mean(per_session < threshold)),
        time_to_realign=verdict.time_to_realign,
        cost_per_period=float(verdict.cost_per_period), objective=layers["objective"],
        value=layers["value"], preference=layers["preference"], value_score=value_score,
        loss=float(scores.max() - value_score), shares=(), players=tuple(stage.players),
        disagreements=())
    return row, verdict


def _run_cell(task: tuple[str, str, bool]) -> TestbedRow:
    return measure(*task)


def _check_names(names: Any) -> list[str]:
    if names is None:
        return scenarios()
    if isinstance(names, str):
        names = [names]
    if not isinstance(names, Sequence) or not names:
        raise InvalidArgumentError(f"scenarios: expected None, a name or a list of names, "
                                   f"found {names!r}")
    for n in names:
        scenario(n)  # names the known scenarios when unknown
    return list(dict.fromkeys(names))


def run(scenarios: Any = None, quick: bool = True, executor: Any = None,
        checkpoint: Any = None, progress: bool | None = None) -> TestbedResult:
    """Run the testbed: every scenario (default: all registered) under each of its
    mechanisms and the baseline.

    Parameters
    ----------
    scenarios : str or sequence of str, optional
    quick : bool
        The scenarios' reduced dynamics (``Scenario.quick``) instead of the full ones.
    executor, checkpoint, progress :
        As in :func:`games.parallel.run_tasks` (one task per scenario x mechanism; a
        rerun with the same ``checkpoint`` resumes). Tasks name registered scenarios, so
        a process pool sees scenarios registered before it starts (fork) or at import.
    """
    names = _check_names(scenarios)
    if not isinstance(quick, bool):
        raise InvalidArgumentError(f"quick: expected True or False, found {quick!r}")
    tasks = [(n, label, quick) for n in names for label in scenario(n).labels()]
    # the checkpoint's identity: the scenarios' definitions, not only their names
    described = json.dumps([scenario(n).to_dict() for n in names], sort_keys=True,
                           default=repr)
    fingerprint = hashlib.sha256(f"testbed {quick} {described}".encode()).hexdigest()
    rows = run_tasks(_run_cell, tasks, executor=executor, checkpoint=checkpoint,
                     progress=progress, description="testbed", unit="cell",
                     chunksize=1, fingerprint=fingerprint)
    return TestbedResult(tuple(rows), quick)


COLUMNS = ("scenario", "mechanism", "static", "dyn. aligned", "misaligned", "realign",
           "value", "threshold", "cost/period", "most responsible")


@dataclass(frozen=True)
class TestbedResult:
    """The testbed's table: one :class:`TestbedRow` per scenario x mechanism."""

    __test__ = False

    rows: tuple[TestbedRow, ...]
    quick: bool = True

    def cells(self) -> list[tuple[str, ...]]:
        """The table as printed, one tuple of strings per row (columns :data:`COLUMNS`)."""
        out = []
        for r in self.rows:
            static = "n/a" if r.static_holistic is None else \
                "yes" if r.static_holistic else "no"
            out.append((r.scenario, r.mechanism, static,
                        "n/a" if r.share_aligned is None else f"{r.share_aligned:.2f}",
                        f"{r.share_misaligned:.2f}",
                        "never" if r.time_to_realign is None else str(r.time_to_realign),
                        f"{r.value_score:.4g}", f"{r.threshold:.4g}",
                        f"{r.cost_per_period:.3g}", r.responsible or "-"))
        return out

    def to_text(self) -> str:
        cells = [COLUMNS, *self.cells()]
        widths = [max(len(c[j]) for c in cells) for j in range(len(COLUMNS))]
        lines = ["  ".join(c[j].ljust(widths[j]) for j in range(len(COLUMNS))).rstrip()
                 for c in cells]
        lines.insert(1, "  ".join("-" * w for w in widths))
        mode = "quick" if self.quick else "full"
        lines.append(f"({mode} mode. static: some equilibrium holistically aligned; dyn. "
                     f"aligned: share of sessions ending holistically aligned; misaligned: "
                     f"share ending with the value criterion below its threshold; realign: "
                     f"median periods after the switch-on; value: the criterion at the last "
                     f"window; most responsible: largest Shapley share of the value loss)")
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.to_text()

    def __repr__(self) -> str:
        return (f"TestbedResult({len({r.scenario for r in self.rows})} scenarios, "
                f"{len(self.rows)} rows)")

    def to_dict(self) -> dict[str, Any]:
        return {"quick": self.quick, "rows": [r.to_dict() for r in self.rows]}

    def _repr_html_(self) -> str:
        head = "".join(f"<th>{html.escape(c)}</th>" for c in COLUMNS)
        body = "".join("<tr>" + "".join(f"<td>{html.escape(v)}</td>" for v in row) + "</tr>"
                       for row in self.cells())
        return f"<table><tr>{head}</tr>{body}</table>"

    def plot(self, path: FigurePath = None) -> Figure:
        """Horizontal bars: each row's share of sessions ending holistically aligned.
        Returns the matplotlib Figure (saved atomically with ``path``)."""
        import matplotlib.pyplot as plt

        fig, ax = plt.subplots(figsize=(7, 0.3 * len(self.rows) + 1.2))
        y = np.arange(len(self.rows))
        ax.barh(y, [np.nan if r.share_aligned is None else r.share_aligned
                    for r in self.rows],
                color=[colour(2) if r.realigns else "0.6" for r in self.rows])
        ax.set_yticks(y, [f"{r.scenario}: {r.mechanism}" for r in self.rows])
        ax.invert_yaxis()
        ax.set_xlim(0, 1)
        ax.set_xlabel("share of sessions ending holistically aligned (0 to 1)")
        ax.set_ylabel("scenario: mechanism")
        ax.set_title("Testbed: realigned (green) or not (grey) under learning", fontsize=10)
        fig.tight_layout()
        if path is not None:
            save_figure(fig, path)
        return fig
