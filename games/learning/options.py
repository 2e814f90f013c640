"""Options of :func:`games.learning.simulate`: convergence rules and the reward-schedule
protocol through which mechanisms change payoffs between windows."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

import numpy as np

from games.errors import InvalidArgumentError

__all__ = ["Convergence", "RewardSchedule"]


@dataclass(frozen=True)
class Convergence:
    """When a session stops before its last period.

    Parameters
    ----------
    stable_periods : int, optional
        Calvano et al. (2020): stop once every Q-learner's greedy policy, and every other
        agent's played action, has stayed unchanged for this many consecutive periods.
    regret : float, optional
        Stop at the end of a window whose empirical joint distribution has a coarse
        correlated regret of at most ``regret`` times the game's payoff range (for a Markov
        game: deviations to one fixed action in every state, stage payoffs).
    max_periods : int, optional
        Period cap: a session stops (not converged) after this many periods.
    """

    stable_periods: int | None = None
    regret: float | None = None
    max_periods: int | None = None

    def __post_init__(self) -> None:
        for name in ("stable_periods", "max_periods"):
            value = getattr(self, name)
            if value is not None and (isinstance(value, (bool, np.bool_))
                                      or not isinstance(value, (int, np.integer)) or value < 1):
                raise InvalidArgumentError(f"{name}: expected None or an integer >= 1, "
                                           f"found {value!r}")
        if self.regret is not None:
            if isinstance(self.regret, (bool, np.bool_)) \
                    or not isinstance(self.regret, (int, float, np.integer, np.floating)) \
                    or not 0 <= float(self.regret) < float("inf"):
                raise InvalidArgumentError(f"regret: expected None or a finite number >= 0, "
                                           f"found {self.regret!r}")

    def to_dict(self) -> dict[str, Any]:
        """JSON-able form."""
        return asdict(self)


class RewardSchedule:
    """Protocol (and base class) of a reward schedule: payoffs that change between windows.

    The engine calls :meth:`start` once per batch of sessions, :meth:`rewards` before
    every window and :meth:`record` after it; the records of a window, concatenated
    across batches, form ``LearningRun.schedule_log``. This base class leaves the game's
    payoffs unchanged.
    """

    def start(self, game: Any, sessions: int) -> Any:
        """The schedule's initial state for a batch of ``sessions`` sessions (picklable)."""
        return None

    def rewards(self, state: Any, window: int, period: int,
                last_frequencies: np.ndarray | None) -> tuple[np.ndarray | None, Any]:
        """Payoffs for the coming window and the new state.

        Payoffs: float64 ``(n_players, *shape)`` shared by the batch's sessions or
        ``(sessions, n_players, *shape)`` one per session (a Markov game: with an
        ``n_states`` axis after the optional sessions axis), or None for the game's own.
        ``last_frequencies``: ``(sessions, n_joint)``, the previous window's empirical
        joint distributions (None at window 0; zero rows for stopped sessions).
        """
        return None, state

    def record(self, state: Any) -> Any:
        """What goes into the run's ``schedule_log`` for the window just played."""
        return None
