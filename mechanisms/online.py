"""Mechanisms switched on mid-run: reward schedules for :func:`games.learning.simulate`.

A learning run reads its payoffs window by window from a *reward schedule* (the protocol
of :class:`games.learning.RewardSchedule`: ``start``, ``rewards``, ``record``). Two are
here:

- :func:`schedule` switches a per-outcome mechanism on at one period and, optionally, off
  at a later one (an intervention measured before, during and after);
- :class:`Regulator` is an adaptive fine (integral feedback control): each window it
  raises the fine on the targeted actions by ``gain`` times the shortfall of the value
  score measured in the previous window, session by session, between 0 and ``max_fine``.

Both record what they did per window (``LearningRun.schedule_log``) and price it: the
operator's expected cost in each window of each session is :meth:`Scheduled.costs` /
:meth:`Regulator.costs` (subsidies paid minus fines collected, the mechanism's ``"cost"``
layer weighted by the window's empirical joint distribution).

Switches take effect at window boundaries: a window is played under the mechanism when its
first period is at or after ``switch_on`` (and before ``switch_off``).
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from typing import Any

import numpy as np

from games import Game, InvalidArgumentError, InvalidGameError
from games.arguments import check_integer, check_real
from mechanisms.base import COST_LAYER, Mechanism, check_target, jsonable
from mechanisms.incentives import Penalty

__all__ = ["schedule", "Scheduled", "Regulator", "cost_per_outcome"]


def _stages(game: Any) -> tuple[list[Game], bool]:
    """The stage games of ``game`` (a Game is its own single stage) and whether it is a
    Markov game (stages stacked on a leading state axis)."""
    if isinstance(game, Game):
        return [game], False
    stages = getattr(game, "stages", None)
    if stages is not None and all(isinstance(s, Game) for s in stages):
        return list(stages), True
    raise InvalidGameError(f"game: expected a games.Game or a games.MarkovGame, found "
                           f"{type(game).__name__}")


def _flat(game: Game, array: np.ndarray) -> np.ndarray:
    """(k, *shape) -> (k, n_joint) float64 (joint actions flattened in C order)."""
    return np.asarray(array, dtype=np.float64).reshape(array.shape[0], -1)


def _stacked(per_stage: list[np.ndarray], markov: bool) -> np.ndarray:
    return np.stack(per_stage) if markov else per_stage[0]


def _window_costs(frequencies: np.ndarray, unit_cost: np.ndarray, scale: np.ndarray
                  ) -> np.ndarray:
    """Expected cost per (session, window): scale[s, w] * sum_a freq[s, w, a] cost[a]."""
    return scale * np.einsum("swa,a->sw", frequencies, unit_cost)


def cost_per_outcome(game: Game) -> np.ndarray:
    """The operator's cost per joint action (0 where the game has no cost layer)."""
    if COST_LAYER not in game.layers:
        return np.zeros(int(np.prod(game.shape)))
    return np.asarray(game.layers[COST_LAYER][0], dtype=np.float64).ravel()


def _check_run(run: Any, n_joint: int) -> np.ndarray:
    frequencies = np.asarray(getattr(run, "frequencies", None), dtype=np.float64)
    if frequencies.ndim != 3 or frequencies.shape[2] != n_joint:
        raise InvalidArgumentError(f"run: expected a LearningRun whose frequencies have "
                                   f"{n_joint} joint actions per window, found shape "
                                   f"{frequencies.shape}")
    if getattr(run, "schedule_log", None) is None \
            or len(run.schedule_log) != frequencies.shape[1]:
        raise InvalidArgumentError("run: expected a LearningRun played under this schedule "
                                   "(one schedule_log entry per window)")
    return frequencies


# ---------------------------------------------------------------------------------------
# A mechanism switched on and off


@dataclass(frozen=True)
class Scheduled:
    """A mechanism in force from period ``switch_on`` to ``switch_off`` (None: to the
    end). Build it with :func:`schedule`. Any mechanism that keeps the game's players and
    actions works: the run reads the whole reshaped game, so a mechanism need not be
    per-outcome (a third-party judge reading the value layer works too)."""

    mechanism: Mechanism
    switch_on: int = 0
    switch_off: int | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.mechanism, Mechanism):
            raise InvalidArgumentError(f"mechanism: expected a Mechanism, found "
                                       f"{type(self.mechanism).__name__}")
        object.__setattr__(self, "switch_on", check_integer(self.switch_on, "start", 0))
        if self.switch_off is not None:
            stop = check_integer(self.switch_off, "stop", 0)
            if stop <= self.switch_on:
                raise InvalidArgumentError(f"stop: expected a period after start="
                                           f"{self.switch_on}, found {stop}")
            object.__setattr__(self, "switch_off", stop)

    def active(self, period: int) -> bool:
        """Whether the mechanism is in force at ``period``."""
        return self.switch_on <= period and (self.switch_off is None or period < self.switch_off)

    # -- the reward-schedule protocol ---------------------------------------------------

    def start(self, game: Any, sessions: int) -> dict[str, Any]:
        """Precompute the payoffs without and with the mechanism (checked to keep the
        game's shape and players)."""
        stages, markov = _stages(game)
        base, shaped, cost = [], [], []
        for stage in stages:
            after = self.mechanism.apply(stage)
            if after.shape != stage.shape or after.players != stage.players \
                    or after.actions != stage.actions:
                raise InvalidArgumentError(
                    f"mechanism: {self.mechanism!r} changes the game's players or actions, "
                    f"so it cannot be switched on in a run of the game")
            base.append(np.asarray(stage.float_payoffs, dtype=np.float64))
            shaped.append(np.asarray(after.float_payoffs, dtype=np.float64))
            cost.append(cost_per_outcome(after) - cost_per_outcome(stage))
        return {"base": _stacked(base, markov), "shaped": _stacked(shaped, markov),
                "cost": _stacked(cost, markov), "on": False}

    def rewards(self, state: dict[str, Any], window: int, period: int,
                last_frequencies: Any) -> tuple[np.ndarray, dict[str, Any]]:
        """The payoffs of the window starting at ``period``."""
        on = self.active(int(period))
        return (state["shaped"] if on else state["base"]), {**state, "on": on}

    def record(self, state: dict[str, Any]) -> dict[str, bool]:
        return {"on": bool(state["on"])}

    # -- reading a run ------------------------------------------------------------------

    def costs(self, game: Game, run: Any) -> np.ndarray:
        """The operator's expected cost in each window of each session, ``(sessions,
        windows)``: the mechanism's cost layer weighted by the window's frequencies while
        it was on, 0 while it was off (stateless games)."""
        if not isinstance(game, Game):
            raise InvalidArgumentError("game: costs are computed for a games.Game")
        unit = cost_per_outcome(self.mechanism.apply(game)) - cost_per_outcome(game)
        frequencies = _check_run(run, unit.size)
        on = np.array([bool(entry["on"]) for entry in run.schedule_log], dtype=np.float64)
        return _window_costs(frequencies, unit, np.broadcast_to(on, frequencies.shape[:2]))

    def to_dict(self) -> dict[str, Any]:
        return {"mechanism": self.mechanism.to_dict(), "start": self.switch_on,
                "stop": self.switch_off}

    def __repr__(self) -> str:
        stop = "" if self.switch_off is None else f", stop={self.switch_off}"
        return f"schedule({self.mechanism!r}, start={self.switch_on}{stop})"

    def _repr_html_(self) -> str:
        return f"<code>{html.escape(repr(self))}</code>"


def schedule(mechanism: Mechanism, start: int = 0, stop: int | None = None) -> Scheduled:
    """``mechanism`` switched on at period ``start`` and off at ``stop`` (None: never), as
    a reward schedule for :func:`games.learning.simulate`.

    Parameters
    ----------
    mechanism : Mechanism
        Any mechanism that keeps the game's players and actions: penalties, subsidies,
        contracts, monitoring, redistribution, kinship, a third-party judge, ...
    start, stop : int
        Periods; the switch happens at the first window boundary at or after them.

    Examples
    --------
    >>> import mechanisms as M
    >>> schedule(M.Penalty(3, on={"Player 1": "D", "Player 2": "D"}), start=1000)
    schedule(Penalty(fine=3, on={'Player 1': 'D', 'Player 2': 'D'}, detection=1), start=1000)
    """
    return Scheduled(mechanism, start, stop)


# ---------------------------------------------------------------------------------------
# An adaptive regulator


@dataclass(frozen=True)
class Regulator:
    r"""An adaptive fine on the targeted actions, set each window by integral feedback
    from the value score measured in the previous window:

    .. math:: F_{w+1} = \min(F_{\max}, \max(0, F_w + k\,(v^* - v_w)))

    session by session, where :math:`v_w` is the expected value score (the sum of the
    value layer's criteria, or one ``criterion``) under the window's empirical joint
    distribution. The fine works as :class:`mechanisms.Penalty`; the operator collects it
    (a negative cost).

    Parameters
    ----------
    on : targets as in :class:`mechanisms.Penalty`
    target : float
        The value score :math:`v^*` to reach.
    gain : float
        :math:`k > 0`, the fine's change per unit of shortfall.
    max_fine : float
    initial_fine : float
    layer, criterion : str
        The layer measured (default ``"value"``) and one of its criteria (default: sum).

    References
    ----------
    Astrom & Murray (2008), *Feedback Systems*, ch. 10 (integral action); Becker (1968).
    """

    on: Any
    target: float
    gain: float
    max_fine: float
    initial_fine: float = 0.0
    layer: str = "value"
    criterion: str | None = None

    def __post_init__(self) -> None:
        check_target(self.on)
        object.__setattr__(self, "target", float(check_real(self.target, "target")))
        object.__setattr__(self, "gain", float(check_real(self.gain, "gain", 0,
                                                          low_open=True)))
        object.__setattr__(self, "max_fine", float(check_real(self.max_fine, "max_fine", 0)))
        object.__setattr__(self, "initial_fine", float(check_real(
            self.initial_fine, "initial_fine", 0, self.max_fine)))
        if not isinstance(self.layer, str):
            raise InvalidArgumentError(f"layer: expected a layer name, found {self.layer!r}")
        if self.criterion is not None and not isinstance(self.criterion, str):
            raise InvalidArgumentError(f"criterion: expected a criterion name or None, found "
                                       f"{self.criterion!r}")

    def _arrays(self, game: Game) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """Base payoffs, payoffs per unit of fine, cost per unit of fine and the measured
        score, each per joint action."""
        if not isinstance(game, Game):
            raise InvalidGameError(f"game: the regulator acts on a games.Game, found "
                                   f"{type(game).__name__}")
        if self.layer not in game.layers:
            raise InvalidArgumentError(f"layer: expected one of the game's layers "
                                       f"{tuple(game.layers)}, found {self.layer!r}")
        names = game.criteria[self.layer]
        scores = _flat(game, np.asarray(game.layers[self.layer], dtype=np.float64))
        if self.criterion is None:
            score = scores.sum(axis=0)
        elif self.criterion in names:
            score = scores[names.index(self.criterion)]
        else:
            raise InvalidArgumentError(f"criterion: expected one of {names}, found "
                                       f"{self.criterion!r}")
        unit = Penalty(1, on=self.on).apply(game)
        base = np.asarray(game.float_payoffs, dtype=np.float64)
        per_fine = np.asarray(unit.float_payoffs, dtype=np.float64) - base
        return base, per_fine, cost_per_outcome(unit) - cost_per_outcome(game), score

    # -- the reward-schedule protocol ---------------------------------------------------

    def start(self, game: Any, sessions: int) -> dict[str, Any]:
        base, per_fine, _, score = self._arrays(game)
        fines = np.full(check_integer(sessions, "sessions", 1), self.initial_fine)
        return {"base": base, "per_fine": per_fine, "score": score, "fines": fines}

    def rewards(self, state: dict[str, Any], window: int, period: int,
                last_frequencies: Any) -> tuple[np.ndarray, dict[str, Any]]:
        fines = state["fines"]
        if last_frequencies is not None:
            freq = np.asarray(last_frequencies, dtype=np.float64)
            played = freq.sum(axis=1) > 0          # a stopped session keeps its fine
            measured = freq @ state["score"]
            update = np.clip(fines + self.gain * (self.target - measured), 0, self.max_fine)
            fines = np.where(played, update, fines)
        payoffs = state["base"][None] + fines.reshape((-1,) + (1,) * state["base"].ndim) \
            * state["per_fine"][None]
        return payoffs, {**state, "fines": fines}

    def record(self, state: dict[str, Any]) -> np.ndarray:
        """The fines of the batch's sessions (the engine concatenates batches)."""
        return np.array(state["fines"], dtype=np.float64)

    # -- reading a run ------------------------------------------------------------------

    def fines(self, run: Any) -> np.ndarray:
        """The fine in force in each window of each session, ``(sessions, windows)``."""
        log = getattr(run, "schedule_log", None)
        if log is None:
            raise InvalidArgumentError("run: expected a LearningRun played under this "
                                       "regulator (it has no schedule_log)")
        return np.array([np.asarray(entry, dtype=np.float64) for entry in log]).T

    def costs(self, game: Game, run: Any) -> np.ndarray:
        """The operator's expected cost in each window of each session, ``(sessions,
        windows)`` (negative: fines collected)."""
        _, _, unit_cost, _ = self._arrays(game)
        frequencies = _check_run(run, unit_cost.size)
        return _window_costs(frequencies, unit_cost, self.fines(run))

    def to_dict(self) -> dict[str, Any]:
        return {"regulator": "integral", "on": jsonable(self.on), "target": self.target,
                "gain": self.gain, "max_fine": self.max_fine,
                "initial_fine": self.initial_fine, "layer": self.layer,
                "criterion": self.criterion}

    def _repr_html_(self) -> str:
        return f"<code>{html.escape(repr(self))}</code>"
