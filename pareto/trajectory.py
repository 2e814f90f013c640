"""Alignment along a learning trajectory: objective, value and preference window by window.

A learning run (:class:`games.learning.LearningRun`, or a bare array of frequencies) keeps
for every session and window the empirical joint distribution of play. Every score of
the toolkit is linear in the joint distribution, so each window has an expected score on
every criterion and every axis; it is measured against the same yardstick as a static
equilibrium in :func:`pareto.alignment_report` (the outcomes' frontier, the value
thresholds), then summarised across sessions, and the windows where a dimension drifts
across its threshold for good are named.
"""

from __future__ import annotations

import html
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from games.errors import InvalidArgumentError, InvalidGameError
from games.model import Game, html_table
from games.palette import colour
from pareto.frontier import ScoreTable, check_game, outcome_labels, score_table
from pareto.metrics import RELATIVE_TOLERANCE, Yardstick, gini_rows, value_thresholds
from pareto.plot import save_figure
from pareto.points import as_vector

__all__ = ["alignment_trajectory", "AlignmentTrajectory", "DriftEvent", "ROW_SUM_TOLERANCE"]

#: A played window's frequencies must sum to 1 within this (they are float counts).
ROW_SUM_TOLERANCE = 1e-6

#: Points measured against the outcomes per block (bounds the memory of the dominance test).
_BLOCK_CELLS = 1 << 22


# ---------------------------------------------------------------------------------------
# The outcomes a trajectory is measured against


@dataclass(frozen=True, eq=False)
class _Outcomes:
    """Every outcome's scores: the pure profiles of a game, or the (state, profile)
    pairs of a Markov game, in C order (state first)."""

    yardstick: Yardstick
    criteria: tuple[str, ...]          # "layer: criterion", every layer of the game
    criterion_table: np.ndarray        # (n_outcomes, n_criteria)
    payoff_table: np.ndarray           # (n_outcomes, n_players)
    value_table: np.ndarray | None     # (n_outcomes, n_value_criteria)
    players: tuple[str, ...]
    n_states: int                      # 0 for a game without states
    n_joint: int


def _is_markov(game: Any) -> bool:
    return not isinstance(game, Game) and hasattr(game, "stages") and hasattr(game, "n_states")


def _layer_tables(game: Game) -> tuple[list[str], list[np.ndarray]]:
    names, tables = [], []
    for layer, values in game.layers.items():
        names += [f"{layer}: {c}" for c in game.criteria[layer]]
        tables.append(np.asarray(values, dtype=np.float64).reshape(values.shape[0], -1).T)
    return names, tables


def _outcomes(game: Any, dimensions: Any, aggregate: Any, thresholds: Any
              ) -> tuple[_Outcomes, dict[str, float]]:
    if _is_markov(game):
        stages = tuple(game.stages)
        if len(stages) != game.n_states or not stages:
            raise InvalidGameError(
                f"game.stages: expected {game.n_states} stage games (one per state), found "
                f"{len(stages)}")
        for k, stage in enumerate(stages):
            if not isinstance(stage, Game):
                raise InvalidGameError(
                    f"game.stages[{k}]: expected a Game, found {type(stage).__name__}")
        first = score_table(stages[0], dimensions, aggregate)
        dims = tuple(dict.fromkeys(first.dimensions))
        tables = [first] + [score_table(s, dims, aggregate) for s in stages[1:]]
        values = np.ascontiguousarray(np.concatenate([t.values for t in tables]))
        values.flags.writeable = False
        table = ScoreTable(axes=first.axes, dimensions=first.dimensions, values=values,
                           rules=first.rules)
        states = tuple(getattr(game, "states", None) or (str(k) for k in range(len(stages))))
        labels = [f"{s}: {o}" for s, stage in zip(states, stages) for o in outcome_labels(stage)]
        criteria, parts = _layer_tables(stages[0])
        for k, stage in enumerate(stages[1:], 1):
            names, more = _layer_tables(stage)
            if names != criteria or stage.shape != stages[0].shape:
                raise InvalidGameError(
                    f"game.stages[{k}]: expected the layers {criteria} and shape "
                    f"{stages[0].shape} of the first stage, found {names} and {stage.shape}")
            parts = [np.concatenate([a, b]) for a, b in zip(parts, more)]
        payoffs = np.concatenate([np.asarray(s.float_payoffs).reshape(s.n_players, -1).T
                                  for s in stages])
        base, n_states = stages[0], len(stages)
        value_table = np.concatenate(
            [np.asarray(s.layers["value"], dtype=np.float64).reshape(
                len(s.criteria["value"]), -1).T for s in stages]) \
            if "value" in base.layers else None
    else:
        game = check_game(game)
        table = score_table(game, dimensions, aggregate)
        labels = outcome_labels(game)
        criteria, parts = _layer_tables(game)
        payoffs = np.asarray(game.float_payoffs).reshape(game.n_players, -1).T
        base, n_states = game, 0
        value_table = np.asarray(game.layers["value"], dtype=np.float64).reshape(
            len(game.criteria["value"]), -1).T if "value" in game.layers else None
    value_names = base.criteria["value"] if value_table is not None else None
    axis_thresholds, value_thr = _thresholds(thresholds, table, value_names, value_table)
    yardstick = Yardstick.over(table, labels, value_names, value_table, value_thr)
    outcomes = _Outcomes(yardstick=yardstick, criteria=tuple(criteria),
                         criterion_table=np.concatenate(parts, axis=1),
                         payoff_table=np.asarray(payoffs, dtype=np.float64),
                         value_table=value_table, players=tuple(base.players),
                         n_states=n_states, n_joint=int(np.prod(base.shape)))
    return outcomes, axis_thresholds


def _thresholds(thresholds: Any, table: ScoreTable, value_names: Sequence[str] | None,
                value_table: np.ndarray | None) -> tuple[dict[str, float], dict[str, float]]:
    """Thresholds per axis (drift) and per value criterion (holistic verdict)."""
    if thresholds is None:
        return {}, {}
    if isinstance(thresholds, str) and thresholds == "half":
        lo, hi = table.values.min(axis=0), table.values.max(axis=0)
        axis = {a: float(lo[k] + (hi[k] - lo[k]) / 2) for k, a in enumerate(table.axes)}
        return axis, value_thresholds(value_names, value_table, "half")
    if not isinstance(thresholds, Mapping):
        shown = repr(thresholds) if isinstance(thresholds, str) else type(thresholds).__name__
        raise InvalidArgumentError(
            f"thresholds: expected 'half', None or a mapping from dimension {table.axes} or "
            f"value criterion to threshold, found {shown}")
    names = tuple(value_names or ())
    unknown = [k for k in thresholds if k not in table.axes and k not in names]
    if unknown:
        raise InvalidArgumentError(
            f"thresholds: expected dimensions {table.axes} or value criteria {names}, found "
            f"{unknown[0]!r}")
    axis = {a: float(as_vector(thresholds[a], f"thresholds[{a!r}]", 1)[0])
            for a in table.axes if a in thresholds}
    values = {k: v for k, v in thresholds.items() if k in names}
    return axis, value_thresholds(value_names, value_table, values)


# ---------------------------------------------------------------------------------------
# The run's frequencies


def _frequencies(run: Any, outcomes: _Outcomes, window_ends: Any
                 ) -> tuple[np.ndarray, np.ndarray]:
    """The (sessions, windows, outcomes) frequencies and the window ends."""
    markov = outcomes.n_states > 0
    if hasattr(run, "frequencies"):
        if window_ends is not None:
            raise InvalidArgumentError(
                "window_ends: given with a run that has its own window_ends; pass it only "
                "with a bare array of frequencies")
        window_ends = getattr(run, "window_ends", None)
        data = getattr(run, "joint_state_frequencies", None) if markov else run.frequencies
        if data is None:
            raise InvalidArgumentError(
                "run: a run of a Markov game needs joint_state_frequencies (sessions, windows, "
                "states, joint actions), found None")
        field_name = "run.joint_state_frequencies" if markov else "run.frequencies"
    else:
        data, field_name = run, "run"
    expected = (f"(sessions, windows, {outcomes.n_states}, {outcomes.n_joint})" if markov
                else f"(sessions, windows, {outcomes.n_joint})")
    try:
        freq = np.array(data, dtype=np.float64)
    except (TypeError, ValueError):
        raise InvalidArgumentError(
            f"{field_name}: expected an array of frequencies {expected}, found "
            f"{type(data).__name__}") from None
    tail = (outcomes.n_states, outcomes.n_joint) if markov else (outcomes.n_joint,)
    if freq.ndim != 2 + len(tail) or freq.shape[2:] != tail or 0 in freq.shape[:2]:
        raise InvalidArgumentError(
            f"{field_name}: expected frequencies of shape {expected} (joint actions of the "
            f"game, C order), found shape {freq.shape}")
    freq = freq.reshape(freq.shape[0], freq.shape[1], -1)
    if not np.all(np.isfinite(freq)) or freq.min() < 0:
        raise InvalidArgumentError(
            f"{field_name}: expected finite non-negative frequencies, found "
            f"{float(freq[~np.isfinite(freq) | (freq < 0)].flat[0]):g}")
    sums = freq.sum(axis=2)
    bad = (sums != 0) & (np.abs(sums - 1) > ROW_SUM_TOLERANCE)
    if bad.any():
        s, w = (int(i) for i in np.argwhere(bad)[0])
        raise InvalidArgumentError(
            f"{field_name}: expected each window's frequencies to sum to 1 (or 0 after a "
            f"session stopped), found {float(sums[s, w]):.12g} in session {s}, window {w}")
    n_windows = freq.shape[1]
    if window_ends is None:
        ends = np.arange(1, n_windows + 1, dtype=np.int64)
    else:
        try:
            raw = np.asarray(window_ends, dtype=np.float64)
        except (TypeError, ValueError):
            raw = np.full(1, np.nan)
        if raw.shape != (n_windows,) or not np.all(np.isfinite(raw)) or np.any(raw < 1) \
                or np.any(raw != np.round(raw)) or np.any(np.diff(raw) <= 0):
            raise InvalidArgumentError(
                f"window_ends: expected {n_windows} increasing positive integers (the period "
                f"after each window), found {window_ends!r}")
        ends = raw.astype(np.int64)
    ends.flags.writeable = False
    return freq, ends


def _carried_forward(freq: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each window's distribution, a stopped session's last played window carried
    forward; with the masks of the windows played and of those with a distribution."""
    n_sessions, n_windows, _ = freq.shape
    played = freq.sum(axis=2) > 0
    last = np.where(played, np.arange(n_windows)[None, :], -1)
    last = np.maximum.accumulate(last, axis=1)
    valid = last >= 0
    dist = freq[np.arange(n_sessions)[:, None], np.maximum(last, 0)]
    dist[~valid] = np.nan
    return dist, played, valid


# ---------------------------------------------------------------------------------------
# Drift


@dataclass(frozen=True)
class DriftEvent:
    """A dimension crossing its threshold for good.

    Attributes
    ----------
    dimension : str
    kind : str
        ``"misalignment"`` (the mean score fell below the threshold and stays below for
        the rest of the run) or ``"realignment"`` (it was below and rose back to the
        threshold or above, and stays there).
    window : int
        The first window across (index into ``window_ends``).
    period : int
        The period at the end of that window.
    threshold : float
    before, after : float
        The mean score in the window before and in the window of the crossing.
    session_share : float
        Share of sessions whose own score crosses the same way for good.
    """

    dimension: str
    kind: str
    window: int
    period: int
    threshold: float
    before: float
    after: float
    session_share: float

    def to_dict(self) -> dict[str, Any]:
        return {"dimension": self.dimension, "kind": self.kind, "window": self.window,
                "period": self.period, "threshold": self.threshold, "before": self.before,
                "after": self.after, "session_share": self.session_share}

    def _repr_html_(self) -> str:
        return html_table(f"Drift: {self.text()}", self.to_dict().items())

    def text(self) -> str:
        verb = "falls below" if self.kind == "misalignment" else "rises back to"
        return (f"{self.dimension} {verb} {self.threshold:.4g} at period {self.period} "
                f"(window {self.window}: {self.before:.4g} -> {self.after:.4g})")


def _persistent_crossing(series: np.ndarray, threshold: float, tol: float) -> tuple[int, bool]:
    """The first window from which ``series`` stays on the other side of ``threshold``
    than it was before (-1 when it never crosses for good), and whether that side is
    below. Windows without a score (NaN) are skipped."""
    ok = np.flatnonzero(np.isfinite(series))
    if len(ok) < 2:
        return -1, False
    below = series[ok] < threshold - tol
    change = np.flatnonzero(below != below[-1])
    if len(change) == 0:
        return -1, False
    return int(ok[change[-1] + 1]), bool(below[-1])


# ---------------------------------------------------------------------------------------
# The result


def _listed(a: np.ndarray) -> Any:
    """A float array as nested lists, NaN as None (JSON-able)."""
    out = np.asarray(a, dtype=np.float64).astype(object)
    out[np.isnan(np.asarray(a, dtype=np.float64))] = None
    return out.tolist()


def _nan_stat(function: Any, *args: Any, **kwargs: Any) -> np.ndarray:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)   # windows no session reached
        return function(*args, **kwargs)


@dataclass(frozen=True, eq=False)
class AlignmentTrajectory:
    """Alignment of a learning run, window by window, per session and across sessions.

    Per-session arrays have shape ``(sessions, windows, ...)``; entries of a window with
    no distribution (a session that never played) are NaN (False for flags, and such
    windows are left out of every statistic). A session that stopped (converged) keeps
    the distribution of its last played window for the rest of the run (``played`` says
    which windows were played).

    Attributes
    ----------
    game : Game or MarkovGame
    title : str
    window_ends : ndarray (windows,) of int
        The period at the end of each window.
    dimensions : tuple of str
        The axes scored (as :func:`pareto.score_table` names them; all maximised).
    criteria : tuple of str
        Every criterion of every layer, as ``"layer: criterion"``.
    players : tuple of str
    quantile_levels : tuple of float
    thresholds : dict dimension -> float
        The drift threshold of each dimension that has one.
    value_thresholds : dict value criterion -> float
        The thresholds of the holistic verdict (as :func:`pareto.alignment_report`).
    values_measured : bool
        Whether the game has a value layer; without one ``holistic`` and
        ``holistic_share`` are None.
    scores : ndarray (sessions, windows, dimensions)
    criterion_scores : ndarray (sessions, windows, criteria)
    payoffs : ndarray (sessions, windows, players)
        Expected payoffs.
    gaps : ndarray (sessions, windows, dimensions)
        Distance to the best outcome on each axis, in units of the axis's range.
    frontier_gap : ndarray (sessions, windows)
        The largest uniform improvement an outcome on the frontier offers on every axis.
    pareto_optimal, holistic : ndarray (sessions, windows) of bool
        No outcome dominates the window's expected scores; and no value below its
        threshold either (None when values are not measured).
    disparity_gap, gini : ndarray (sessions, windows)
        Disparity between the players' expected payoffs: the winner-loser gap and the
        Gini coefficient (NaN where it is not defined: a negative payoff or a
        non-positive sum).
    played, valid : ndarray (sessions, windows) of bool
        Windows played; windows with a distribution (played or carried forward).
    mean : ndarray (windows, dimensions)
    quantiles : ndarray (quantile levels, windows, dimensions)
        Across sessions.
    criterion_mean : ndarray (windows, criteria)
    holistic_share : ndarray (windows,) or None
        Share of sessions holistically aligned in each window.
    drift : tuple of DriftEvent
        At most one per dimension: the crossing of the mean score that lasts.
    session_drift, session_realignment : ndarray (sessions, dimensions) of int
        Each session's own lasting fall below (rise back to) the threshold: the window,
        or -1.
    """

    game: Any = field(repr=False)
    title: str
    window_ends: np.ndarray
    dimensions: tuple[str, ...]
    criteria: tuple[str, ...]
    players: tuple[str, ...]
    quantile_levels: tuple[float, ...]
    thresholds: dict[str, float]
    value_thresholds: dict[str, float]
    values_measured: bool
    scores: np.ndarray
    criterion_scores: np.ndarray
    payoffs: np.ndarray
    gaps: np.ndarray
    frontier_gap: np.ndarray
    pareto_optimal: np.ndarray
    holistic: np.ndarray | None
    disparity_gap: np.ndarray
    gini: np.ndarray
    played: np.ndarray
    valid: np.ndarray
    mean: np.ndarray
    quantiles: np.ndarray
    criterion_mean: np.ndarray
    holistic_share: np.ndarray | None
    drift: tuple[DriftEvent, ...]
    session_drift: np.ndarray
    session_realignment: np.ndarray

    @property
    def sessions(self) -> int:
        return int(self.scores.shape[0])

    @property
    def note(self) -> str:
        """What the holistic verdict covers."""
        if self.values_measured:
            return "holistic: Pareto-optimal on every dimension and every value threshold met"
        return "values not measured (no value layer): holistic alignment is not judged"

    def drift_of(self, dimension: str) -> DriftEvent | None:
        """The lasting crossing of ``dimension``, or None."""
        for event in self.drift:
            if event.dimension == dimension:
                return event
        return None

    def __repr__(self) -> str:
        drift = "; ".join(f"{e.kind} of {e.dimension} at period {e.period}"
                          for e in self.drift) or "no drift"
        values = "" if self.values_measured else "; values not measured"
        return (f"AlignmentTrajectory({self.sessions} sessions, {len(self.window_ends)} windows "
                f"to period {int(self.window_ends[-1])}, dimensions {self.dimensions}: "
                f"{drift}{values})")

    def _ends(self, series: np.ndarray) -> tuple[str, str]:
        ok = np.flatnonzero(np.isfinite(series))
        if not len(ok):
            return "n/a", "n/a"
        return f"{series[ok[0]]:.4g}", f"{series[ok[-1]]:.4g}"

    def _repr_html_(self) -> str:
        esc = html.escape
        rows = []
        for k, d in enumerate(self.dimensions):
            start, end = self._ends(self.mean[:, k])
            thr = self.thresholds.get(d)
            event = self.drift_of(d)
            drift = "none" if event is None else \
                f"{event.kind} at window {event.window} (period {event.period})"
            rows.append(f"<tr><td>{esc(d)}</td><td>{start}</td><td>{end}</td>"
                        f"<td>{'n/a' if thr is None else f'{thr:.4g}'}</td>"
                        f"<td>{esc(drift)}</td></tr>")
        if self.holistic_share is not None:
            start, end = self._ends(self.holistic_share)
            rows.append(f"<tr><td>holistic share</td><td>{start}</td><td>{end}</td>"
                        f"<td></td><td></td></tr>")
        return (f"<table><caption>{esc(repr(self))}</caption><tr><th>dimension</th>"
                f"<th>start (mean)</th><th>end (mean)</th><th>threshold</th><th>drift</th></tr>"
                f"{''.join(rows)}</table><p>{esc(self.note)}</p>")

    def to_dict(self) -> dict[str, Any]:
        holistic = None if self.holistic is None else \
            _listed(np.where(self.valid, self.holistic, np.nan))
        return {
            "title": self.title,
            "window_ends": [int(e) for e in self.window_ends],
            "dimensions": list(self.dimensions),
            "criteria": list(self.criteria),
            "players": list(self.players),
            "quantile_levels": list(self.quantile_levels),
            "thresholds": dict(self.thresholds),
            "value_thresholds": dict(self.value_thresholds),
            "values_measured": self.values_measured,
            "note": self.note,
            "mean": _listed(self.mean),
            "quantiles": _listed(self.quantiles),
            "criterion_mean": _listed(self.criterion_mean),
            "holistic_share": None if self.holistic_share is None
            else _listed(self.holistic_share),
            "drift": [e.to_dict() for e in self.drift],
            "sessions": {
                "scores": _listed(self.scores),
                "criterion_scores": _listed(self.criterion_scores),
                "payoffs": _listed(self.payoffs),
                "gaps": _listed(self.gaps),
                "frontier_gap": _listed(self.frontier_gap),
                "pareto_optimal": _listed(np.where(self.valid, self.pareto_optimal, np.nan)),
                "holistic": holistic,
                "disparity_gap": _listed(self.disparity_gap),
                "gini": _listed(self.gini),
                "played": self.played.tolist(),
                "drift_window": self.session_drift.tolist(),
                "realignment_window": self.session_realignment.tolist(),
            },
        }

    def to_frame(self) -> Any:
        """A long pandas DataFrame: one row per session, window and quantity, with the
        columns ``session, window, period, quantity, name, value``. Quantities:
        ``score`` and ``gap`` (name: the dimension), ``criterion`` (``"layer:
        criterion"``), ``payoff`` (the player), and ``frontier_gap``, ``pareto_optimal``,
        ``holistic`` (with values measured), ``disparity_gap``, ``gini``, ``played``
        (name empty; flags as 0/1, NaN where a session has no distribution).

        Raises
        ------
        ImportError
            Without pandas (``pip install 'masalign[frames]'``).
        """
        try:
            import pandas as pd
        except ImportError:
            raise ImportError(
                "to_frame needs pandas: pip install 'masalign[frames]'") from None
        n_sessions, n_windows = self.valid.shape

        def flag(a: np.ndarray) -> np.ndarray:
            return np.where(self.valid, a, np.nan)

        blocks: list[tuple[str, tuple[str, ...], np.ndarray]] = [
            ("score", self.dimensions, self.scores),
            ("gap", self.dimensions, self.gaps),
            ("criterion", self.criteria, self.criterion_scores),
            ("payoff", self.players, self.payoffs),
            ("frontier_gap", ("",), self.frontier_gap[..., None]),
            ("pareto_optimal", ("",), flag(self.pareto_optimal)[..., None]),
        ]
        if self.holistic is not None:
            blocks.append(("holistic", ("",), flag(self.holistic)[..., None]))
        blocks += [("disparity_gap", ("",), self.disparity_gap[..., None]),
                   ("gini", ("",), self.gini[..., None]),
                   ("played", ("",), self.played.astype(np.float64)[..., None])]
        columns: dict[str, list[np.ndarray]] = {c: [] for c in
                                                ("session", "window", "period", "quantity",
                                                 "name", "value")}
        s, w = np.meshgrid(np.arange(n_sessions), np.arange(n_windows), indexing="ij")
        for quantity, names, values in blocks:
            for k, name in enumerate(names):
                columns["session"].append(s.ravel())
                columns["window"].append(w.ravel())
                columns["period"].append(self.window_ends[w.ravel()])
                columns["quantity"].append(np.full(s.size, quantity, dtype=object))
                columns["name"].append(np.full(s.size, name, dtype=object))
                columns["value"].append(np.asarray(values[..., k], dtype=np.float64).ravel())
        return pd.DataFrame({c: np.concatenate(v) for c, v in columns.items()})

    def plot(self, path: Any = None) -> Any:
        """One panel per dimension (objective, value, preference...) over time: the mean
        across sessions, the band between the lowest and highest quantile, the threshold
        (dashed) and the lasting crossing (dotted); a last panel with the share of
        sessions holistically aligned when values are measured. The time axis is
        logarithmic when the windows span more than two decades. Returns the matplotlib
        Figure; saves it atomically when ``path`` is given."""
        try:
            import matplotlib.pyplot as plt
        except ImportError:  # pragma: no cover - depends on the environment
            raise ImportError("plotting needs matplotlib: pip install 'masalign[plot]'") from None
        x = np.asarray(self.window_ends, dtype=np.float64)
        panels = len(self.dimensions) + (self.holistic_share is not None)
        fig, axs = plt.subplots(1, panels, figsize=(4.2 * panels, 3.4), squeeze=False)
        log = x[-1] / x[0] > 100
        lo, hi = self.quantile_levels[0], self.quantile_levels[-1]
        for k, (ax, d) in enumerate(zip(axs[0], self.dimensions)):
            c = colour(k)
            ax.plot(x, self.mean[:, k], color=c, label="mean")
            if len(self.quantile_levels) > 1:
                ax.fill_between(x, self.quantiles[0, :, k], self.quantiles[-1, :, k], color=c,
                                alpha=0.25, linewidth=0,
                                label=f"sessions, quantiles {lo:g} to {hi:g}")
            if d in self.thresholds:
                ax.axhline(self.thresholds[d], color="0.35", linestyle="--", label="threshold")
            event = self.drift_of(d)
            if event is not None:
                ax.axvline(event.period, color=colour(3), linestyle=":", label=event.kind)
            ax.set_title(d, fontsize="medium")
            ax.set_ylabel(f"{d} score")
        if self.holistic_share is not None:
            ax = axs[0][-1]
            ax.plot(x, self.holistic_share, color=colour(2), label="holistically aligned")
            ax.set_ylim(-0.02, 1.02)
            ax.set_title("holistic alignment", fontsize="medium")
            ax.set_ylabel("share of sessions")
        for ax in axs[0]:
            ax.set_xlabel("period")
            if log:
                ax.set_xscale("log")
        axs[0][0].legend(fontsize="small")
        fig.suptitle(self.title or "alignment trajectory", fontsize="medium")
        fig.tight_layout()
        if path is not None:
            save_figure(fig, path)
        return fig


# ---------------------------------------------------------------------------------------
# The public function


def _quantile_levels(quantiles: Any) -> tuple[float, ...]:
    expected = "increasing probabilities in [0, 1] (at least one)"
    try:
        q = np.asarray(quantiles, dtype=np.float64)
    except (TypeError, ValueError):
        q = None
    if q is None or isinstance(quantiles, (str, bytes)) or q.ndim != 1 or not len(q) \
            or not np.all(np.isfinite(q)) or q.min() < 0 or q.max() > 1 \
            or np.any(np.diff(q) <= 0):
        raise InvalidArgumentError(f"quantiles: expected {expected}, found {quantiles!r}")
    return tuple(float(v) for v in q)


def alignment_trajectory(game: Any, run: Any, thresholds: Any = "half",
                         quantiles: Any = (0.1, 0.5, 0.9), *, window_ends: Any = None,
                         dimensions: Any = None, aggregate: Any = "sum"
                         ) -> AlignmentTrajectory:
    """Alignment of a learning run window by window: every criterion's expected score,
    the frontier gap, the disparity and the holistic verdict per session, their mean and
    quantiles across sessions, and where each dimension drifts across its threshold.

    A window's scores are expectations under its empirical joint distribution of play,
    measured against the game's outcomes exactly as :func:`pareto.alignment_report`
    measures an equilibrium: gaps to each axis's best outcome in range units, the
    frontier gap, Pareto optimality (no outcome dominates the expected scores, within
    ``RELATIVE_TOLERANCE`` times the axis's range), and the holistic verdict
    (Pareto-optimal and every value criterion at or above its threshold; None without a
    value layer). For a Markov game, the outcomes are the (state, joint action) pairs
    of its stage games, and a window's distribution is its joint state-action frequency.
    This yardstick is optimistic: a state's best outcome may not be sustainable.

    Drift: for each dimension with a threshold, the first window from which the mean
    score stays below the threshold for the rest of the run, having been at or above it
    before (``"misalignment"``), or stays at or above it, having been below
    (``"realignment"``); at most one per dimension, and per session in
    ``session_drift`` / ``session_realignment``.

    A session that stopped (converged: all-zero frequencies after some window) keeps its
    last played window's distribution for the rest of the run (its play is what it
    converged to), so late windows do not over-represent the sessions still learning.

    Parameters
    ----------
    game : Game or MarkovGame
        The yardstick; it may differ from the game the run was played in (e.g. the game
        before a mechanism changed the payoffs) as long as the joint actions match.
    run : LearningRun or array_like
        A :class:`games.learning.LearningRun` (its ``frequencies``, or for a Markov game
        its ``joint_state_frequencies``, and ``window_ends``), or the frequencies
        themselves: ``(sessions, windows, joint actions)``, joint actions in C order over
        the game's shape, ``(sessions, windows, states, joint actions)`` for a Markov game.
        Each played window sums to 1; all-zero windows are windows not played.
    thresholds : "half", None or mapping
        ``"half"`` (default): each dimension's threshold is the midpoint between its worst
        and its best outcome score, and each value criterion's the midpoint of its range
        (as :func:`pareto.alignment_report`); None: no thresholds (no drift, no value
        violations); a mapping from dimension or value criterion to threshold: only
        those given.
    quantiles : sequence of float
        Increasing levels in [0, 1] for the statistics across sessions; the plot's band
        spans the first to the last.
    window_ends : array_like of int, optional
        With bare frequencies: the period at the end of each window (default 1, 2, ...).
    dimensions, aggregate :
        See :func:`pareto.score_table` (default: the standard layers, criteria summed).

    Returns
    -------
    AlignmentTrajectory

    Raises
    ------
    InvalidArgumentError
        Frequencies of the wrong shape (joint actions not matching the game), negative,
        not finite or not summing to 1; bad window ends, thresholds, quantiles,
        dimensions or aggregate.
    InvalidGameError
        Not a game or a Markov game.

    Examples
    --------
    >>> import numpy as np, games
    >>> pd = games.catalog.prisoners_dilemma()
    >>> cc, dd = np.eye(4)[0], np.eye(4)[3]
    >>> t = alignment_trajectory(pd, np.array([[cc, cc, dd, dd]]))
    >>> t.mean[:, 0].tolist(), t.drift[0].window
    ([6.0, 6.0, 2.0, 2.0], 2)
    """
    levels = _quantile_levels(quantiles)
    outcomes, axis_thresholds = _outcomes(game, dimensions, aggregate, thresholds)
    freq, ends = _frequencies(run, outcomes, window_ends)
    dist, played, valid = _carried_forward(freq)
    yardstick = outcomes.yardstick
    table = yardstick.table
    n_sessions, n_windows, _ = dist.shape
    d = len(table.axes)

    scores = dist @ table.values
    criterion_scores = dist @ outcomes.criterion_table
    payoffs = dist @ outcomes.payoff_table
    value_scores = None if outcomes.value_table is None else dist @ outcomes.value_table

    gaps = np.full((n_sessions, n_windows, d), np.nan)
    frontier_gap = np.full((n_sessions, n_windows), np.nan)
    pareto_optimal = np.zeros((n_sessions, n_windows), dtype=bool)
    holistic = np.zeros((n_sessions, n_windows), dtype=bool)
    points = scores[valid]
    values = None if value_scores is None else value_scores[valid]
    block = max(1, _BLOCK_CELLS // max(1, len(table.values) * d))
    parts = []
    for start in range(0, len(points), block):
        parts.append(yardstick.measure(
            points[start:start + block], None if values is None else values[start:start + block]))
    if parts:
        gaps[valid] = np.concatenate([m.gaps for m in parts])
        frontier_gap[valid] = np.concatenate([m.frontier_gap for m in parts])
        pareto_optimal[valid] = np.concatenate([m.pareto_optimal for m in parts])
        if yardstick.values_measured:
            holistic[valid] = np.concatenate([m.holistic for m in parts])

    disparity_gap = payoffs.max(axis=2) - payoffs.min(axis=2)
    gini_values = np.full((n_sessions, n_windows), np.nan)
    gini_values[valid] = gini_rows(payoffs[valid])

    mean = _nan_stat(np.nanmean, scores, axis=0)
    quantile_values = _nan_stat(np.nanquantile, scores, levels, axis=0)
    criterion_mean = _nan_stat(np.nanmean, criterion_scores, axis=0)
    holistic_share = None
    if yardstick.values_measured:
        counts = valid.sum(axis=0)
        holistic_share = np.where(counts > 0, holistic.sum(axis=0) / np.maximum(counts, 1),
                                  np.nan)

    raw_span = table.values.max(axis=0) - table.values.min(axis=0)
    drift = []
    session_drift = np.full((n_sessions, d), -1, dtype=np.int64)
    session_realignment = np.full((n_sessions, d), -1, dtype=np.int64)
    for k, axis in enumerate(table.axes):
        if axis not in axis_thresholds:
            continue
        thr, tol = axis_thresholds[axis], RELATIVE_TOLERANCE * raw_span[k]
        for s in range(n_sessions):
            w, below = _persistent_crossing(scores[s, :, k], thr, tol)
            if w >= 0:
                (session_drift if below else session_realignment)[s, k] = w
        w, below = _persistent_crossing(mean[:, k], thr, tol)
        if w >= 0:
            own = session_drift if below else session_realignment
            before = mean[:w, k][np.isfinite(mean[:w, k])][-1]
            drift.append(DriftEvent(
                dimension=axis, kind="misalignment" if below else "realignment", window=w,
                period=int(ends[w]), threshold=thr, before=float(before),
                after=float(mean[w, k]), session_share=float(np.mean(own[:, k] >= 0))))

    arrays = [scores, criterion_scores, payoffs, gaps, frontier_gap, pareto_optimal, holistic,
              disparity_gap, gini_values, played, valid, mean, quantile_values, criterion_mean,
              session_drift, session_realignment]
    if holistic_share is not None:
        arrays.append(holistic_share)
    for a in arrays:
        a.flags.writeable = False
    base = outcomes.yardstick
    return AlignmentTrajectory(
        game=game, title=str(getattr(game, "title", "") or ""), window_ends=ends,
        dimensions=table.axes, criteria=outcomes.criteria, players=outcomes.players,
        quantile_levels=levels, thresholds=axis_thresholds,
        value_thresholds=dict(base.thresholds), values_measured=base.values_measured,
        scores=scores, criterion_scores=criterion_scores, payoffs=payoffs, gaps=gaps,
        frontier_gap=frontier_gap, pareto_optimal=pareto_optimal,
        holistic=holistic if base.values_measured else None, disparity_gap=disparity_gap,
        gini=gini_values, played=played, valid=valid, mean=mean, quantiles=quantile_values,
        criterion_mean=criterion_mean, holistic_share=holistic_share, drift=tuple(drift),
        session_drift=session_drift, session_realignment=session_realignment)
