"""The dynamic verdict on a mechanism: learners play the game, the mechanism is switched on
at a chosen period, and the alignment of their play is measured window by window.

A static verdict (:func:`mechanisms.evaluate`) asks whether some equilibrium of the game
with the mechanism is holistically aligned. Learners need not reach it: agents that have
learned to be selfish before the mechanism arrives may have let their aligned actions die
out. Under cross-learning (Börgers & Sarin 1997, whose mean motion is the replicator) the
probability of an action that does worse decays geometrically, so after a selfish phase it
is far below anything the agents will ever sample (1e-123 to 1e-157 after 50,000 periods of
``aid_delivery``), and a contract that makes the aligned outcome the unique equilibrium
does not bring it back. :class:`Dynamics` describes such a scenario; :func:`dynamic_verdict`
runs it (:func:`games.learning.simulate` under :func:`mechanisms.schedule`) and measures it
(:func:`pareto.alignment_trajectory`).

A :class:`games.MarkovGame` is run the same way: the mechanism applies to every stage, the
trajectory weighs each stage's layers by the (state, joint action) frequencies, and the
operator's cost is :func:`markov_costs`. A Markov scenario has no static verdict here:
:func:`mechanisms.evaluate` judges the equilibria of one normal-form game, and the stage
game of the initial state is not the game the learners play (the state moves with their
play), so judging it would be a different question answered under the same name.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from games import Game, InvalidArgumentError, MarkovGame
from games.arguments import check_integer
from games.learning import Learner, LearningRun, simulate
from games.learning.engine import OBSERVATIONS
from mechanisms.base import FigurePath, Mechanism
from mechanisms.online import Scheduled, cost_per_outcome, schedule
from pareto import alignment_trajectory
from pareto.frontier import outcome_labels
from pareto.metrics import RELATIVE_TOLERANCE
from pareto.plot import save_figure
from pareto.trajectory import AlignmentTrajectory

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = ["Dynamics", "DynamicVerdict", "dynamic_verdict", "markov_costs", "ALIGNED_BY"]

#: How a session's window is judged aligned: ``"holistic"`` (Pareto-optimal and every
#: value threshold met, with a value layer) or ``"thresholds"`` (every scored dimension at
#: or above its threshold, for games without values).
ALIGNED_BY = ("holistic", "thresholds")

#: Outcomes listed in a verdict's text (the most played at the end).
SHOWN_OUTCOMES = 3


@dataclass(frozen=True)
class Dynamics:
    """A learning scenario in which a mechanism is judged (for :func:`mechanisms.evaluate`
    and :func:`mechanisms.compare`).

    Parameters
    ----------
    learners : Learner or sequence of Learner
        One learner for every player, or one per player (:mod:`games.learning`).
    periods : int
        Periods per session.
    sessions : int
        Independent sessions (seeded from ``seed``, identical on any executor).
    seed : int or SeedSequence
    switch_on : int
        The period at which the mechanism is switched on (0: from the start). Before it the
        learners play the game without the mechanism, e.g. learn to be selfish.
    initial : sequence, optional
        Starting strategies, as :func:`games.learning.simulate`'s ``initial`` (e.g. near
        the selfish profile: ``[[1e-6, 1 - 1e-6], ...]``).
    window : int, optional
        Periods per measured window (default ``periods // 100``).
    memory : int
        The learners' state: the last ``memory`` joint actions.
    observe : {"joint", "own"}
        What that memory holds: everyone's actions (``"joint"``, perfect monitoring) or
        each learner's own only (``"own"``: rivals unobserved; :func:`games.learning.simulate`).
        :class:`mechanisms.Opacity` sets it.
    executor : optional
        Where the sessions run (:func:`games.parallel.run_tasks`).
    name : str, optional
        The label in tables (default: the learners' class names).
    """

    learners: Any
    periods: int
    sessions: int = 16
    seed: Any = 0
    switch_on: int = 0
    initial: Any = None
    window: int | None = None
    memory: int = 0
    executor: Any = field(default=None, compare=False)
    name: str | None = None
    observe: str = "joint"

    def __post_init__(self) -> None:
        learners = self.learners
        if isinstance(learners, Learner):
            learners = (learners,)
        elif isinstance(learners, (str, bytes)) or not isinstance(learners, Sequence) \
                or not learners or not all(isinstance(lr, Learner) for lr in learners):
            raise InvalidArgumentError(
                f"learners: expected a games.learning learner or a sequence of them, found "
                f"{learners!r}")
        else:
            learners = tuple(learners)
        object.__setattr__(self, "learners", learners if len(learners) > 1 else learners[0])
        periods = check_integer(self.periods, "periods", 1)
        object.__setattr__(self, "periods", periods)
        object.__setattr__(self, "sessions", check_integer(self.sessions, "sessions", 1))
        switch_on = check_integer(self.switch_on, "switch_on", 0)
        if switch_on >= periods:
            raise InvalidArgumentError(f"switch_on: expected a period before periods="
                                       f"{periods}, found {switch_on}")
        object.__setattr__(self, "switch_on", switch_on)
        if self.window is not None:
            window = check_integer(self.window, "window", 1)
            if window > periods:
                raise InvalidArgumentError(f"window: expected at most periods ({periods}), "
                                           f"found {window}")
            object.__setattr__(self, "window", window)
        object.__setattr__(self, "memory", check_integer(self.memory, "memory", 0))
        if not isinstance(self.observe, str) or self.observe not in OBSERVATIONS:
            raise InvalidArgumentError(f"observe: expected one of "
                                       f"{', '.join(map(repr, OBSERVATIONS))}, found "
                                       f"{self.observe!r}")
        if self.name is not None and not isinstance(self.name, str):
            raise InvalidArgumentError(f"name: expected a label or None, found {self.name!r}")

    @property
    def label(self) -> str:
        """The name in tables."""
        if self.name is not None:
            return self.name
        learners = self.learners if isinstance(self.learners, tuple) else (self.learners,)
        return "/".join(dict.fromkeys(type(lr).__name__ for lr in learners))

    def to_dict(self) -> dict[str, Any]:
        learners = self.learners if isinstance(self.learners, tuple) else (self.learners,)
        seed = self.seed if self.seed is None or isinstance(self.seed, int) else repr(self.seed)
        initial = None if self.initial is None else np.asarray(
            [np.atleast_1d(np.asarray(x, dtype=np.float64)) for x in self.initial],
            dtype=object).tolist()
        return {"name": self.label, "learners": [lr.to_dict() for lr in learners],
                "periods": self.periods, "sessions": self.sessions, "seed": seed,
                "switch_on": self.switch_on, "initial": initial, "window": self.window,
                "memory": self.memory, "observe": self.observe}


@dataclass(frozen=True, eq=False)
class DynamicVerdict:
    """What learners do once a mechanism is switched on (:func:`dynamic_verdict`).

    Attributes
    ----------
    mechanism : Mechanism
    dynamics : Dynamics
    aligned_by : str
        ``"holistic"`` with a value layer, else ``"thresholds"`` (see :data:`ALIGNED_BY`).
    values_measured : bool
    share_aligned : float or None
        Share of sessions whose last window is holistically aligned (None when values were
        not measured).
    share_above_thresholds : float
        Share of sessions whose last window has every dimension at or above its threshold.
    realign_periods : ndarray (sessions,) of int
        Periods from the switch-on to the start of the first window from which the session
        stays aligned (by ``aligned_by``) to the end; 0 when aligned from the switch on,
        -1 when it never settles aligned.
    time_to_realign : int or None
        The median of ``realign_periods`` across sessions, a session that never realigns
        counting as infinitely slow (None when more than half never realign).
    cost_per_period : float
        The operator's expected net payment per period after the switch on (subsidies
        paid minus fines collected), mean across sessions.
    total_cost : float
        The same summed over the run's periods, mean across sessions.
    final_distribution : ndarray (joint actions,)
        The last window's joint distribution, averaged across sessions (C order; for a
        Markov game, over the joint actions of every state together).
    outcome_labels : tuple of str
    trajectory : pareto.AlignmentTrajectory
    run : games.learning.LearningRun
    """

    mechanism: Mechanism
    dynamics: Dynamics
    aligned_by: str
    values_measured: bool
    share_aligned: float | None
    share_above_thresholds: float
    realign_periods: np.ndarray
    time_to_realign: int | None
    cost_per_period: float
    total_cost: float
    final_distribution: np.ndarray
    outcome_labels: tuple[str, ...]
    trajectory: AlignmentTrajectory = field(repr=False)
    run: LearningRun = field(repr=False)

    @property
    def share(self) -> float:
        """The share of sessions ending aligned by ``aligned_by``."""
        return self.share_aligned if self.share_aligned is not None \
            else self.share_above_thresholds

    @property
    def realigns(self) -> bool:
        """Whether a majority of sessions end aligned (by ``aligned_by``)."""
        return self.share > 0.5

    def top_outcomes(self, k: int = SHOWN_OUTCOMES) -> list[tuple[str, float]]:
        """The ``k`` most played outcomes of the last window and their shares."""
        order = np.argsort(-self.final_distribution, kind="stable")[:k]
        return [(self.outcome_labels[i], float(self.final_distribution[i])) for i in order
                if self.final_distribution[i] > 0]

    def text(self) -> str:
        d = self.dynamics
        kind = "holistically aligned" if self.aligned_by == "holistic" \
            else "with every dimension at or above its threshold (values not measured)"
        when = "from the start" if d.switch_on == 0 else f"at period {d.switch_on}"
        time = "never (most sessions)" if self.time_to_realign is None \
            else f"{self.time_to_realign} periods (median)"
        outcomes = "; ".join(f"({o}) {p:.2f}" for o, p in self.top_outcomes())
        return (f"{d.label}, {d.sessions} sessions x {d.periods} periods, mechanism on "
                f"{when}: {self.share:.2f} of sessions end {kind}; realigned after {time}; "
                f"cost {self.cost_per_period:.4g} per period; last window: {outcomes}")

    def __repr__(self) -> str:
        share = "n/a" if self.share_aligned is None else f"{self.share_aligned:.2f}"
        return (f"DynamicVerdict({self.mechanism!r} under {self.dynamics.label}: "
                f"share aligned {share}, time to realign {self.time_to_realign})")

    def to_dict(self) -> dict[str, Any]:
        return {"mechanism": self.mechanism.to_dict(), "dynamics": self.dynamics.to_dict(),
                "aligned_by": self.aligned_by, "values_measured": self.values_measured,
                "share_aligned": self.share_aligned,
                "share_above_thresholds": self.share_above_thresholds,
                "realigns": self.realigns,
                "realign_periods": [int(p) for p in self.realign_periods],
                "time_to_realign": self.time_to_realign,
                "cost_per_period": self.cost_per_period, "total_cost": self.total_cost,
                "final_distribution": {label: float(p) for label, p in
                                       zip(self.outcome_labels, self.final_distribution)}}

    def _rows(self) -> list[tuple[str, str]]:
        share = "n/a (values not measured)" if self.share_aligned is None \
            else f"{self.share_aligned:.3g}"
        return [("dynamics", self.dynamics.label),
                ("sessions x periods", f"{self.dynamics.sessions} x {self.dynamics.periods}"),
                ("switched on at period", str(self.dynamics.switch_on)),
                ("share ending holistically aligned", share),
                ("share ending above every threshold", f"{self.share_above_thresholds:.3g}"),
                ("time to realign (median periods)",
                 "never" if self.time_to_realign is None else str(self.time_to_realign)),
                ("cost per period after switch-on", f"{self.cost_per_period:.4g}"),
                ("last window", "; ".join(f"({o}) {p:.3g}" for o, p in self.top_outcomes()))]

    def _repr_html_(self) -> str:
        rows = "".join(f"<tr><td>{html.escape(k)}</td><td>{html.escape(v)}</td></tr>"
                       for k, v in self._rows())
        return f"<table><caption>{html.escape(repr(self))}</caption>{rows}</table>"

    def plot(self, path: FigurePath = None) -> Figure:
        """The alignment trajectory (:meth:`pareto.AlignmentTrajectory.plot`) with the
        switch-on marked. Returns the matplotlib Figure (saved atomically with ``path``)."""
        fig = self.trajectory.plot()
        for ax in fig.axes:
            ax.axvline(max(self.dynamics.switch_on, 1), color="0.2", linewidth=1,
                       label="mechanism on")
        fig.axes[0].legend(fontsize="small")
        if path is not None:
            save_figure(fig, path)
        return fig


def _aligned(trajectory: AlignmentTrajectory) -> np.ndarray:
    """(sessions, windows) bool: every dimension with a threshold at or above it."""
    scores = trajectory.scores
    ok = np.ones(scores.shape[:2], dtype=bool)
    for k, d in enumerate(trajectory.dimensions):
        if d in trajectory.thresholds:
            column = scores[:, :, k]
            finite = column[np.isfinite(column)]
            span = float(finite.max() - finite.min()) if finite.size else 0.0
            tol = RELATIVE_TOLERANCE * max(span, abs(trajectory.thresholds[d]))
            ok &= column >= trajectory.thresholds[d] - tol
    return ok & trajectory.valid


def _settled_from(aligned: np.ndarray, first: int) -> np.ndarray:
    """Per session, the first window >= ``first`` from which every window is aligned
    (-1 if the last window is not aligned)."""
    out = np.full(aligned.shape[0], -1, dtype=np.int64)
    for s, row in enumerate(aligned):
        if not row[-1]:
            continue
        misses = np.flatnonzero(~row[first:])
        out[s] = first if len(misses) == 0 else first + int(misses[-1]) + 1
    return out


def markov_costs(switch: Scheduled, game: MarkovGame, run: LearningRun) -> np.ndarray:
    """The operator's expected cost in each window of each session of a Markov run,
    ``(sessions, windows)``: each stage's cost layer (with the mechanism minus without)
    weighted by the window's (state, joint action) frequencies while the mechanism was on,
    0 while it was off (the Markov counterpart of :meth:`mechanisms.Scheduled.costs`)."""
    if not isinstance(game, MarkovGame):
        raise InvalidArgumentError(f"game: expected a games.MarkovGame, found "
                                   f"{type(game).__name__}")
    unit = np.stack([cost_per_outcome(switch.mechanism.apply(stage)) - cost_per_outcome(stage)
                     for stage in game.stages])
    data = getattr(run, "joint_state_frequencies", None)
    frequencies = None if data is None else np.asarray(data, dtype=np.float64)
    if frequencies is None or frequencies.ndim != 4 or frequencies.shape[2:] != unit.shape:
        raise InvalidArgumentError(
            f"run: expected a LearningRun of the Markov game with joint_state_frequencies "
            f"(sessions, windows, {unit.shape[0]}, {unit.shape[1]}), found "
            f"{None if frequencies is None else frequencies.shape}")
    log = getattr(run, "schedule_log", None)
    if log is None or len(log) != frequencies.shape[1]:
        raise InvalidArgumentError("run: expected a LearningRun played under this schedule "
                                   "(one schedule_log entry per window)")
    on = np.array([bool(entry["on"]) for entry in log], dtype=np.float64)
    return np.einsum("swka,ka->sw", frequencies, unit) * on


def dynamic_verdict(game: Game | MarkovGame, mechanism: Mechanism, dynamics: Dynamics,
                    thresholds: Any = "half") -> DynamicVerdict:
    """Run ``dynamics`` on ``game`` with ``mechanism`` switched on at
    ``dynamics.switch_on`` and measure the alignment of play against ``game`` (the
    yardstick: the game's layers, before the mechanism's payments).

    Parameters
    ----------
    game : Game or MarkovGame
        A Markov game is played from its initial state; the mechanism applies to every
        stage, and alignment is measured on the (state, joint action) frequencies.
    mechanism : Mechanism
        Any mechanism that keeps the game's players and actions, switched on through
        :func:`mechanisms.schedule`.
    dynamics : Dynamics
    thresholds :
        As in :func:`pareto.alignment_trajectory`.

    Raises
    ------
    InvalidArgumentError
        A mechanism that changes the game's shape (repetition, reputation, networks), or
        malformed arguments.
    """
    if not isinstance(game, (Game, MarkovGame)):
        raise InvalidArgumentError(f"game: a dynamic verdict needs a games.Game or a "
                                   f"games.MarkovGame, found "
                                   f"{type(game).__name__}")
    if not isinstance(mechanism, Mechanism):
        raise InvalidArgumentError(f"mechanism: expected a Mechanism, found "
                                   f"{type(mechanism).__name__}")
    if not isinstance(dynamics, Dynamics):
        raise InvalidArgumentError(f"dynamics: expected a mechanisms.Dynamics, found "
                                   f"{type(dynamics).__name__}")
    dynamics = mechanism.dynamics_under(dynamics)
    switch = schedule(mechanism, start=dynamics.switch_on)
    run = simulate(game, dynamics.learners, periods=dynamics.periods,
                   sessions=dynamics.sessions, seed=dynamics.seed, memory=dynamics.memory,
                   observe=dynamics.observe,
                   window=dynamics.window, executor=dynamics.executor, schedule=switch,
                   initial=dynamics.initial, progress=False)
    trajectory = alignment_trajectory(game, run, thresholds=thresholds)
    above = _aligned(trajectory)
    measured = trajectory.values_measured
    aligned = trajectory.holistic & trajectory.valid if measured else above
    ends = np.asarray(run.window_ends, dtype=np.int64)
    starts = np.concatenate([[0], ends[:-1]])
    first = int(np.searchsorted(starts, dynamics.switch_on, side="left"))
    first = min(first, len(starts) - 1)
    settled = _settled_from(aligned, first)
    realign = np.where(settled >= 0,
                       np.maximum(starts[np.maximum(settled, 0)] - dynamics.switch_on, 0), -1)
    realign.flags.writeable = False
    ordered = np.sort(np.where(realign >= 0, realign, np.iinfo(np.int64).max))
    median = ordered[(len(ordered) - 1) // 2]
    time_to_realign = None if median == np.iinfo(np.int64).max else int(median)
    lengths = (ends - starts).astype(np.float64)
    markov = isinstance(game, MarkovGame)
    costs = markov_costs(switch, game, run) if markov else switch.costs(game, run)
    after = starts >= dynamics.switch_on
    paid_after = float((costs[:, after] * lengths[after]).sum(axis=1).mean())
    periods_after = float(lengths[after].sum())
    final = np.asarray(trajectory.valid[:, -1], dtype=bool)
    last = run.frequencies[:, -1]
    played = last.sum(axis=1) > 0
    # A session that stopped early: its last played window is its final distribution.
    for s in np.flatnonzero(~played):
        rows = np.flatnonzero(run.frequencies[s].sum(axis=1) > 0)
        if len(rows):
            last = last.copy()
            last[s] = run.frequencies[s, rows[-1]]
    distribution = last[final].mean(axis=0) if final.any() else np.zeros(last.shape[1])
    distribution.flags.writeable = False
    return DynamicVerdict(
        mechanism=mechanism, dynamics=dynamics,
        aligned_by="holistic" if measured else "thresholds", values_measured=measured,
        share_aligned=float(aligned[:, -1].mean()) if measured else None,
        share_above_thresholds=float(above[:, -1].mean()), realign_periods=realign,
        time_to_realign=time_to_realign,
        cost_per_period=paid_after / periods_after if periods_after else 0.0,
        total_cost=float((costs * lengths).sum(axis=1).mean()),
        final_distribution=distribution,
        outcome_labels=tuple(outcome_labels(game.stages[0] if markov else game)),
        trajectory=trajectory, run=run)
