"""The result of :func:`games.learning.simulate`: per-window summaries of every session."""

from __future__ import annotations

import html
import warnings
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from games.palette import colour

__all__ = ["LearningRun"]


def _json_seed(seed: Any) -> Any:
    if seed is None or isinstance(seed, int):
        return seed
    if isinstance(seed, np.random.SeedSequence):
        return {"entropy": str(seed.entropy), "spawn_key": list(seed.spawn_key)}
    return repr(seed)


def _json_value(value: Any) -> Any:
    if isinstance(value, np.ndarray):
        return value.tolist()
    if isinstance(value, (np.integer, np.floating, np.bool_)):
        return value.item()
    if isinstance(value, dict):
        return {str(k): _json_value(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_json_value(v) for v in value]
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    to_dict = getattr(value, "to_dict", None)
    return _json_value(to_dict()) if callable(to_dict) else repr(value)


@dataclass(frozen=True, eq=False)
class LearningRun:
    """Learning sessions summarised window by window (never the raw history).

    Attributes
    ----------
    game : Game or MarkovGame
    learners : tuple
        One learner per player.
    periods, window, sessions, memory : int
    seed : int, SeedSequence or None
    window_ends : ndarray (n_windows,) int64
        Period count at the end of each window.
    frequencies : ndarray (sessions, n_windows, n_joint)
        Each window's empirical joint-action distribution (joint actions in C order over
        the game's shape); all-zero rows for windows after a session stopped. Windows
        after every session stopped (converged or capped) are left out, so
        ``len(window_ends)`` may be less than ``periods / window``.
    state_frequencies, joint_state_frequencies : ndarray or None
        Markov games: the share of periods in each state, and per (state, joint action).
    mean_rewards : ndarray (sessions, n_windows, n_players)
        Mean realised reward per period of each window (after any schedule).
    converged : ndarray (sessions,) bool
    convergence_period : ndarray (sessions,) int64
        Period at which a session converged (-1 if it did not).
    final_policies : ndarray (sessions, n_players, max actions)
        Each agent's policy at the end (see :meth:`final_profile`).
    final_greedy : ndarray (sessions, n_players, n_states) or None
        Each Q-learner's greedy action (the first maximum of its Q-values) in every state
        at the end (state = Markov state x ``n_joint ** memory`` + memory, the memory
        being the last joint actions in base ``n_joint``, the latest the lowest digit);
        zeros for other learners. With ``observe="own"`` player i's states are Markov
        state x ``a_i ** memory`` + its own last actions in base ``a_i`` (``n_states``
        the largest count; zeros beyond a player's own).
    final_state : ndarray (sessions,) or (sessions, n_players), or None
        Each session's state at the end (with ``memory=1``: its last joint action); with
        ``observe="own"`` each player's own state (with ``memory=1``: its last action).
    observe : str
        What the learners' memory held: ``"joint"`` actions or each player's ``"own"``
        (:func:`games.learning.simulate`).
    schedule_log : list or None
        Per window, the reward schedule's records (concatenated across batches).
    resumed_sessions : int
        Sessions loaded from a checkpoint rather than played in this call.
    """

    game: Any = field(repr=False)
    learners: tuple
    periods: int
    window: int
    sessions: int
    seed: Any
    memory: int
    window_ends: np.ndarray = field(repr=False)
    frequencies: np.ndarray = field(repr=False)
    mean_rewards: np.ndarray = field(repr=False)
    converged: np.ndarray = field(repr=False)
    convergence_period: np.ndarray = field(repr=False)
    final_policies: np.ndarray = field(repr=False)
    state_frequencies: np.ndarray | None = field(default=None, repr=False)
    joint_state_frequencies: np.ndarray | None = field(default=None, repr=False)
    schedule_log: list | None = field(default=None, repr=False)
    resumed_sessions: int = 0
    final_greedy: np.ndarray | None = field(default=None, repr=False)
    final_state: np.ndarray | None = field(default=None, repr=False)
    observe: str = "joint"

    @property
    def shape(self) -> tuple[int, ...]:
        """Actions per player."""
        return tuple(self.game.shape)

    @property
    def n_windows(self) -> int:
        return len(self.window_ends)

    def final_profile(self) -> list[np.ndarray]:
        """Per player, an array (sessions, a_i) of final policies: a Q-learner's greedy
        action (one-hot) at the session's last state, an imitator's last action, the mixed
        strategy of every other learner."""
        return [self.final_policies[:, i, :a].copy() for i, a in enumerate(self.shape)]

    def window_profile(self, w: int) -> np.ndarray:
        """The joint distribution of window ``w`` per session, shaped ``(sessions, *shape)``."""
        return self.frequencies[:, w].reshape((self.sessions,) + self.shape)

    def marginals(self) -> list[np.ndarray]:
        """Per player, (sessions, n_windows, a_i): each window's action frequencies."""
        table = self.frequencies.reshape(self.frequencies.shape[:2] + self.shape)
        n = len(self.shape)
        return [table.sum(axis=tuple(2 + k for k in range(n) if k != i)) for i in range(n)]

    def played(self) -> np.ndarray:
        """(sessions, n_windows) bool: whether the session played in the window."""
        return self.frequencies.sum(axis=2) > 0

    def to_dict(self) -> dict[str, Any]:
        """JSON-able form (arrays as nested lists, the game and learners by their
        ``to_dict``)."""
        return {
            "game": self.game.to_dict(), "learners": [lr.to_dict() for lr in self.learners],
            "periods": self.periods, "window": self.window, "sessions": self.sessions,
            "seed": _json_seed(self.seed), "memory": self.memory,
            "window_ends": self.window_ends.tolist(), "frequencies": self.frequencies.tolist(),
            "mean_rewards": self.mean_rewards.tolist(), "converged": self.converged.tolist(),
            "convergence_period": self.convergence_period.tolist(),
            "final_policies": self.final_policies.tolist(),
            "state_frequencies": _json_value(self.state_frequencies),
            "joint_state_frequencies": _json_value(self.joint_state_frequencies),
            "schedule_log": _json_value(self.schedule_log),
            "resumed_sessions": self.resumed_sessions,
            "final_greedy": _json_value(self.final_greedy),
            "final_state": _json_value(self.final_state), "observe": self.observe,
        }

    def __repr__(self) -> str:
        names = ", ".join(type(lr).__name__ for lr in self.learners)
        return (f"LearningRun({names}; {self.sessions} sessions x {self.periods} periods, "
                f"{self.n_windows} windows, {int(self.converged.sum())} converged)")

    def _repr_html_(self) -> str:
        esc = html.escape
        players = list(self.game.players)
        actions = getattr(self.game, "actions", None)
        rows = []
        final = self.final_profile()
        last = [m[:, -1].mean(axis=0) for m in self.marginals()]
        for i, name in enumerate(players):
            labels = actions[i] if actions is not None else \
                [str(a) for a in range(self.shape[i])]
            for a, label in enumerate(labels):
                rows.append(f"<tr><td>{esc(str(name))}</td><td>{esc(str(label))}</td>"
                            f"<td>{last[i][a]:.4g}</td><td>{final[i][:, a].mean():.4g}</td>"
                            f"</tr>")
        return (f"<table><caption>{esc(repr(self))}</caption><tr><th>player</th>"
                f"<th>action</th><th>last window (mean)</th><th>final policy (mean)</th></tr>"
                f"{''.join(rows)}</table>")

    def plot(self, axes: Any = None, band: tuple[float, float] = (0.1, 0.9)) -> Any:
        """Per player, each action's frequency per window against the period: the mean
        across sessions with a quantile ``band`` (windows after a session stopped are left
        out). Returns the axes (one per player)."""
        import matplotlib.pyplot as plt

        n = len(self.shape)
        if axes is None:
            _, axes = plt.subplots(1, n, figsize=(4.5 * n, 3.4), squeeze=False)
            axes = axes[0]
        played = self.played()
        actions = getattr(self.game, "actions", None)
        x = self.window_ends
        for i, m in enumerate(self.marginals()):
            ax = axes[i]
            for a in range(self.shape[i]):
                values = np.where(played, m[:, :, a], np.nan)
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore", RuntimeWarning)
                    mean = np.nanmean(values, axis=0) if values.size else values
                    lo, hi = (np.nanquantile(values, q, axis=0) for q in band)
                label = actions[i][a] if actions is not None else str(a)
                ax.plot(x, mean, color=colour(a), label=label)
                ax.fill_between(x, lo, hi, color=colour(a), alpha=0.2, lw=0)
            ax.set_xlabel("period")
            ax.set_ylabel("frequency")
            ax.set_ylim(-0.02, 1.02)
            ax.set_title(str(self.game.players[i]))
            ax.legend(fontsize="small")
        return axes
