"""Calvano et al.'s (2020) experiments on :mod:`games.learning`, and the analysis of their
outcome.

The market is :func:`games.catalog.bertrand` (payoffs: per-period profits; ``"value"``
layer: the logit consumer surplus); the firms are :class:`games.learning.QLearning`
agents with Calvano et al.'s constants and initial Q-values (``initial="uniform"``, their
eq. 8), playing with one-period memory until :class:`games.learning.Convergence` (greedy
strategies unchanged for 100,000 periods). Mechanisms are :mod:`mechanisms` objects: a
fine on overcharges (:class:`OverchargeFine`) applied from the start or switched on
mid-run through :func:`mechanisms.schedule`. :func:`analyse` reads each session's final
greedy strategies (``LearningRun.final_greedy``): the limit cycle, the profit gain Delta
and the impulse response to a one-period deviation.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np

from games import Game
from games.catalog import bertrand, bertrand_benchmarks
from games.errors import InvalidArgumentError
from games.learning import Convergence, LearningRun, QLearning, simulate
from mechanisms import Mechanism, schedule

__all__ = ["Market", "market", "OverchargeFine", "learn", "analyse", "SessionResult",
           "CONSUMER_SURPLUS"]

#: The value criterion of :func:`games.catalog.bertrand`.
CONSUMER_SURPLUS = "consumer surplus"


@dataclass(frozen=True, repr=False)
class OverchargeFine(Mechanism):
    r"""A fine on supra-competitive prices: a firm pricing above the one-shot Nash price
    :math:`p^N` is detected with probability ``detection`` and then pays ``multiple``
    times its overcharge revenue, :math:`(p_i - p^N)\,q_i`; in expectation
    :math:`\pi_i \to \pi_i - d\,k\,(p_i - p^N)^+ q_i`. The authority collects the fines
    (a negative cost). ``prices`` is the price grid (every firm's actions), ``cost`` the
    marginal cost (so :math:`q_i = \pi_i / (p_i - c)`).
    """

    multiple: float
    detection: float
    nash_price: float
    prices: tuple[float, ...]
    cost: float = 1.0

    name: ClassVar[str] = "overcharge fine"
    reference: ClassVar[str] = "Becker (1968); Calvano et al. (2020), Section VI"

    def transform(self, game: Game) -> tuple[np.ndarray, np.ndarray]:
        u = np.array(game.float_payoffs, dtype=np.float64)
        n = game.n_players
        grid = np.asarray(self.prices, dtype=np.float64)
        fines = np.zeros_like(u)
        for i in range(n):
            shape = [1] * n
            shape[i] = len(grid)
            p = grid.reshape(shape)
            quantity = u[i] / (p - self.cost)
            fines[i] = self.detection * self.multiple * np.clip(p - self.nash_price, 0, None) \
                * quantity
        return u - fines, -fines.sum(axis=0)


@dataclass(frozen=True)
class Market:
    """One learning experiment: the game the firms play, the yardstick market (profits and
    consumer surplus before any fine), the learners and the stopping rule."""

    game: Game
    market_game: Game
    prices: np.ndarray
    nash_profit: float
    monopoly_profit: float
    nash_price: float
    monopoly_price: float
    learner: QLearning
    window: int = 100_000
    max_periods: int = 1_000_000_000
    mechanism: Mechanism | None = None
    switch_on: int = 0
    label: str = "baseline"

    @property
    def m(self) -> int:
        return len(self.prices)

    @property
    def n_firms(self) -> int:
        return self.game.n_players

    @property
    def n_states(self) -> int:
        return self.m ** self.n_firms

    @property
    def delta(self) -> float:
        return self.learner.discount

    @property
    def profits(self) -> np.ndarray:
        """Market profits (before fines): ``profits[k, i]`` at joint action k (C order,
        firm 1 most significant)."""
        return self.market_game.float_payoffs.reshape(self.n_firms, -1).T


def joint_actions(m: int, n: int) -> np.ndarray:
    """actions[k] = the n base-m digits of k (firm 1 most significant)."""
    k = np.arange(m ** n)
    return np.stack([(k // m ** (n - 1 - i)) % m for i in range(n)], axis=1)


def market(n_firms: int = 2, *, alpha: float = 0.15, beta: float = 4e-6, delta: float = 0.95,
           window: int = 100_000, max_periods: int = 1_000_000_000, m: int = 15,
           xi: float = 0.1, mu: float = 0.25, price_cap: float | None = None,
           fine: float = 0.0, detection: float = 0.0, switch_on: int = 0,
           label: str = "baseline") -> Market:
    """Calvano et al.'s baseline market (2 firms, c = 1, a = 2, a_0 = 0, mu = 1/4, 15 prices,
    one-period memory), optionally changed by a mechanism.

    Parameters
    ----------
    price_cap : float, optional
        Drop the grid prices above the cap (the benchmarks p^N, p^M are unchanged).
    fine, detection : float
        :class:`OverchargeFine` with ``multiple=fine``: a firm pricing above p^N is
        detected with probability ``detection`` and pays ``fine`` times its overcharge
        revenue (the learners see the expected fine). Delta is measured on market
        profits, before fines.
    switch_on : int
        Period from which the fine is in force (0: from the start, as a changed game;
        later: :func:`mechanisms.schedule` switches it on mid-run).
    """
    bm = bertrand_benchmarks(n_firms, mu=mu, m=m, xi=xi)
    grid = np.asarray(bm.grid, dtype=float)
    if price_cap is not None:
        grid = grid[grid <= price_cap + 1e-12]
        if len(grid) == 0:
            raise InvalidArgumentError(f"price_cap: expected a cap at or above the lowest grid "
                                      f"price {bm.grid[0]:.5f}, found {price_cap}")
    if not 0 < alpha <= 1:
        raise InvalidArgumentError(f"alpha: expected a learning rate in (0, 1], found {alpha}")
    if not 0 <= delta < 1:
        raise InvalidArgumentError(f"delta: expected a discount factor in [0, 1), found {delta}")
    if not 0 <= detection <= 1:
        raise InvalidArgumentError(f"detection: expected a probability in [0, 1], found "
                                   f"{detection}")
    if fine < 0:
        raise InvalidArgumentError(f"fine: expected fine >= 0, found {fine}")
    if not beta > 0:
        raise InvalidArgumentError(f"beta: expected beta > 0, found {beta}")
    if window < 1 or max_periods < window:
        raise InvalidArgumentError(f"window: expected 1 <= window <= max_periods, found "
                                  f"window={window}, max_periods={max_periods}")
    if switch_on < 0 or switch_on >= max_periods:
        raise InvalidArgumentError(f"switch_on: expected a period in [0, max_periods), found "
                                  f"{switch_on}")
    base = bertrand(n_firms, prices=grid.tolist(), mu=mu)
    pn = float(bm.nash_prices[0])
    mechanism = None
    game = base
    if fine > 0 and detection > 0:
        mechanism = OverchargeFine(float(fine), float(detection), pn,
                                   tuple(float(p) for p in grid))
        if switch_on == 0:
            game = mechanism.apply(base)
    learner = QLearning(alpha=alpha, discount=delta, beta=beta, epsilon=1.0,
                        initial="uniform")
    return Market(game, base, grid, float(bm.nash_profits[0]), float(bm.monopoly_profits[0]),
                  pn, float(bm.monopoly_prices[0]), learner, int(window), int(max_periods),
                  mechanism, int(switch_on), label)


def learn(mk: Market, sessions: int, seed: Any, executor: Any = None,
          trajectory_window: int = 250_000, progress: bool | None = None) -> LearningRun:
    """Play ``sessions`` sessions of ``mk`` on :func:`games.learning.simulate`.

    Memory one (the state is the last joint price vector), a period cap of
    ``mk.max_periods`` and Calvano et al.'s convergence rule (every greedy action
    unchanged for ``mk.window`` periods). The run's summary windows are
    ``trajectory_window`` periods long.
    """
    mid_run = mk.mechanism is not None and mk.switch_on > 0
    return simulate(mk.game, mk.learner, periods=mk.max_periods, sessions=sessions, seed=seed,
                    memory=1, window=trajectory_window, executor=executor, progress=progress,
                    convergence=Convergence(stable_periods=mk.window),
                    schedule=schedule(mk.mechanism, start=mk.switch_on) if mid_run else None)


@dataclass(frozen=True)
class SessionResult:
    """The outcome of one learning session."""

    periods: int
    converged: bool
    cycle: list[list[float]]            # prices along the limit cycle, per period
    cycle_profits: list[float]          # mean profit of each firm over the cycle
    profit_gain: float                  # Delta, averaged over firms
    impulse_prices: list[list[float]]   # prices at tau = 0 (pre-shock), 1 (deviation), 2...
    deviation_gain: float               # deviator's discounted gain (negative: punished)
    return_period: int                  # first tau on the pre-shock cycle again (-1: never)

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


def greedy_successor(mk: Market, greedy: np.ndarray) -> np.ndarray:
    """next_joint[k]: the joint action the greedy strategies ``greedy`` (n, n_states) play
    after joint action k (memory one: the state is the last joint action)."""
    weights = mk.m ** np.arange(mk.n_firms - 1, -1, -1)
    return (np.asarray(greedy, dtype=np.int64) * weights[:, None]).sum(axis=0)


def limit_cycle(next_joint: np.ndarray, start: int) -> list[int]:
    """The cycle the deterministic successor map reaches from ``start``."""
    seen: dict[int, int] = {}
    path = []
    k = start
    while k not in seen:
        seen[k] = len(path)
        path.append(k)
        k = int(next_joint[k])
    return path[seen[k]:]


def impulse(mk: Market, next_joint: np.ndarray, cycle: list[int], horizon: int = 200,
            shown: int = 25) -> tuple[list[list[float]], float, int]:
    """Firm 1 deviates for one period to its static best response to what its rivals play
    at the first state of the cycle; then every firm follows its greedy strategy."""
    m, n = mk.m, mk.n_firms
    actions = joint_actions(m, n)
    profits = mk.profits
    pre = cycle[0]
    planned = int(next_joint[pre])
    weights = m ** np.arange(n - 1, -1, -1)
    candidates = []
    for a in range(m):
        prof = actions[planned].copy()
        prof[0] = a
        candidates.append(int((prof * weights).sum()))
    dev = max(candidates, key=lambda k: (profits[k, 0], -k))
    on_cycle = set(cycle)
    path_dev, path_no = [pre, dev], [pre, planned]
    for _ in range(horizon):
        path_dev.append(int(next_joint[path_dev[-1]]))
        path_no.append(int(next_joint[path_no[-1]]))
    disc = mk.delta ** np.arange(horizon + 1)
    gain = float(np.sum(disc * (profits[path_dev[1:], 0] - profits[path_no[1:], 0])))
    ret = -1
    for tau in range(2, len(path_dev)):
        if path_dev[tau] in on_cycle:
            ret = tau
            break
    prices = [[float(mk.prices[x]) for x in actions[k]] for k in path_dev[:shown + 1]]
    return prices, gain, ret


def analyse(mk: Market, run: LearningRun) -> list[SessionResult]:
    """Each session's limit cycle of its final greedy strategies (from its last state),
    Delta on it, and the impulse response to a one-period deviation."""
    actions = joint_actions(mk.m, mk.n_firms)
    profits = mk.profits
    played_until = np.where(run.played(), run.window_ends[None, :], 0).max(axis=1)
    out = []
    for s in range(run.sessions):
        next_joint = greedy_successor(mk, run.final_greedy[s])
        cycle = limit_cycle(next_joint, int(run.final_state[s]))
        cycle_profits = profits[cycle].mean(axis=0)
        gain = float(np.mean((cycle_profits - mk.nash_profit)
                             / (mk.monopoly_profit - mk.nash_profit)))
        prices, dev_gain, ret = impulse(mk, next_joint, cycle)
        periods = int(run.convergence_period[s]) if run.converged[s] else int(played_until[s])
        out.append(SessionResult(periods, bool(run.converged[s]),
                                 [[float(mk.prices[x]) for x in actions[k]] for k in cycle],
                                 [float(x) for x in cycle_profits], gain, prices, dev_gain,
                                 ret))
    return out
