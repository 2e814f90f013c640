"""Q-learning pricing agents in Calvano et al.'s (2020) repeated logit Bertrand market.

The environment is :func:`games.catalog.bertrand` (its payoffs are the per-period profits);
:func:`session` learns one session in a compiled loop (:mod:`._model_kernels`) and analyses
its outcome (the limit cycle, the profit gain Delta, the impulse response to a one-period
deviation).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from games.catalog import bertrand, bertrand_benchmarks
from games.errors import InvalidGameError
from papers.calvano2020_algorithmic_collusion._model_kernels import learn

__all__ = ["Market", "market", "session", "SessionResult"]


@dataclass(frozen=True)
class Market:
    """One learning experiment: the profit table and the learning constants.

    ``profits[k, i]`` is firm i's profit at joint action k (base-m digits, firm 0 most
    significant); ``states[i, k]`` is the state firm i observes after joint action k;
    ``reward_fine[k, i]`` the fine charged to firm i at k when detected (probability
    ``detection``).
    """

    n_firms: int
    prices: np.ndarray
    profits: np.ndarray
    states: np.ndarray
    n_states: int
    nash_profit: float
    monopoly_profit: float
    nash_price: float
    monopoly_price: float
    alpha: float = 0.15
    beta: float = 4e-6
    delta: float = 0.95
    window: int = 100_000
    max_periods: int = 1_000_000_000
    detection: float = 0.0
    reward_fine: np.ndarray = field(default_factory=lambda: np.zeros((1, 1)))
    label: str = "baseline"

    @property
    def m(self) -> int:
        return len(self.prices)


def _joint_actions(m: int, n: int) -> np.ndarray:
    """actions[k] = the n base-m digits of k (firm 0 most significant)."""
    k = np.arange(m ** n)
    return np.stack([(k // m ** (n - 1 - i)) % m for i in range(n)], axis=1)


def market(n_firms: int = 2, *, alpha: float = 0.15, beta: float = 4e-6, delta: float = 0.95,
           window: int = 100_000, max_periods: int = 1_000_000_000, m: int = 15,
           xi: float = 0.1, mu: float = 0.25, price_cap: float | None = None,
           observe_rivals: bool = True, fine: float = 0.0, detection: float = 0.0,
           label: str = "baseline") -> Market:
    """Calvano et al.'s baseline market (2 firms, c = 1, a = 2, a_0 = 0, mu = 1/4, 15 prices,
    one-period memory), optionally changed by a mechanism.

    Parameters
    ----------
    price_cap : float, optional
        Drop the grid prices above the cap (the benchmarks p^N, p^M are unchanged).
    observe_rivals : bool
        With False (opacity: no price transparency) a firm's state is its own last price
        only, so it cannot condition on, nor punish, its rival's deviations.
    fine, detection : float
        A firm pricing above the one-shot Nash price is detected with probability
        ``detection`` and then pays ``fine * (p_i - p^N) * q_i`` (``fine`` times its
        overcharge revenue). Delta is measured on market profits, before fines.
    """
    bm = bertrand_benchmarks(n_firms, mu=mu, m=m, xi=xi)
    grid = np.asarray(bm.grid, dtype=float)
    if price_cap is not None:
        grid = grid[grid <= price_cap + 1e-12]
        if len(grid) == 0:
            raise InvalidGameError(f"price_cap: expected a cap at or above the lowest grid "
                                   f"price {bm.grid[0]:.5f}, found {price_cap}")
    if not 0 < alpha <= 1:
        raise InvalidGameError(f"alpha: expected a learning rate in (0, 1], found {alpha}")
    if not 0 <= delta < 1:
        raise InvalidGameError(f"delta: expected a discount factor in [0, 1), found {delta}")
    if not 0 <= detection <= 1:
        raise InvalidGameError(f"detection: expected a probability in [0, 1], found {detection}")
    if fine < 0:
        raise InvalidGameError(f"fine: expected fine >= 0, found {fine}")
    if not beta > 0:
        raise InvalidGameError(f"beta: expected beta > 0, found {beta}")
    if window < 1 or max_periods < window:
        raise InvalidGameError(f"window: expected 1 <= window <= max_periods, found "
                               f"window={window}, max_periods={max_periods}")
    game = bertrand(n_firms, prices=grid.tolist(), mu=mu)
    mm = len(grid)
    profits = np.ascontiguousarray(
        np.stack([game.float_payoffs[i].reshape(-1) for i in range(n_firms)], axis=1))
    actions = _joint_actions(mm, n_firms)
    if observe_rivals:
        states = np.tile(np.arange(mm ** n_firms), (n_firms, 1))
        n_states = mm ** n_firms
    else:
        states = np.ascontiguousarray(actions.T.copy())
        n_states = mm
    pn = float(bm.nash_prices[0])
    demand = profits / (grid[actions] - 1.0)
    overcharge = np.clip(grid[actions] - pn, 0.0, None) * demand
    return Market(n_firms, grid, profits, np.ascontiguousarray(states, dtype=np.int64),
                  n_states, float(bm.nash_profits[0]), float(bm.monopoly_profits[0]), pn,
                  float(bm.monopoly_prices[0]), alpha, beta, delta, int(window),
                  int(max_periods), float(detection),
                  np.ascontiguousarray(fine * overcharge), label)


def initial_q(mk: Market) -> np.ndarray:
    """Calvano et al.'s eq. (8): Q_i0(s, a_i) = sum over rivals' actions of
    pi_i(a_i, a_-i) / ((1 - delta) m^(n-1)), the same in every state."""
    n, m = mk.n_firms, mk.m
    q = np.empty((n, mk.n_states, m))
    for i in range(n):
        table = mk.profits[:, i].reshape((m,) * n)
        other = tuple(j for j in range(n) if j != i)
        q[i, :, :] = table.mean(axis=other) / (1.0 - mk.delta)
    return q


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
    seconds: float

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


def _greedy_table(mk: Market, q: np.ndarray) -> np.ndarray:
    """next_joint[k]: the joint action the greedy strategies play after joint action k."""
    m, n = mk.m, mk.n_firms
    greedy = np.argmax(q, axis=2)                     # first maximum: lowest price on ties
    acts = np.stack([greedy[i][mk.states[i]] for i in range(n)], axis=1)
    return (acts * (m ** np.arange(n - 1, -1, -1))).sum(axis=1)


def _cycle(next_joint: np.ndarray, start: int) -> list[int]:
    seen: dict[int, int] = {}
    path = []
    k = start
    while k not in seen:
        seen[k] = len(path)
        path.append(k)
        k = int(next_joint[k])
    return path[seen[k]:]


def _impulse(mk: Market, q: np.ndarray, next_joint: np.ndarray, cycle: list[int],
             horizon: int = 200, shown: int = 25) -> tuple[list[list[float]], float, int]:
    """Firm 0 deviates for one period to its static best response to what its rival plays
    at the first state of the cycle; then both follow their greedy strategies."""
    m, n = mk.m, mk.n_firms
    actions = _joint_actions(m, n)
    pre = cycle[0]
    planned = int(next_joint[pre])
    rivals = actions[planned].copy()
    candidates = []
    for a in range(m):
        prof = rivals.copy()
        prof[0] = a
        candidates.append(int((prof * (m ** np.arange(n - 1, -1, -1))).sum()))
    dev = max(candidates, key=lambda k: (mk.profits[k, 0], -k))
    on_cycle = set(cycle)
    path_dev, path_no = [pre, dev], [pre, planned]
    for _ in range(horizon):
        path_dev.append(int(next_joint[path_dev[-1]]))
        path_no.append(int(next_joint[path_no[-1]]))
    disc = mk.delta ** np.arange(horizon + 1)
    gain = float(np.sum(disc * (mk.profits[path_dev[1:], 0] - mk.profits[path_no[1:], 0])))
    ret = -1
    for tau in range(2, len(path_dev)):
        if path_dev[tau] in on_cycle:
            ret = tau
            break
    prices = [[float(mk.prices[x]) for x in actions[k]] for k in path_dev[:shown + 1]]
    return prices, gain, ret


def session(mk: Market, seed: Any) -> SessionResult:
    """Learn one session (seeded by ``seed``, an int or a SeedSequence) and analyse it."""
    ss = seed if isinstance(seed, np.random.SeedSequence) else np.random.SeedSequence(seed)
    kernel_seed = int(ss.generate_state(1, dtype=np.uint32)[0])
    q = initial_q(mk)
    start = time.perf_counter()
    periods, converged, last = learn(mk.profits, mk.states, mk.n_states, mk.m, mk.n_firms,
                                     mk.alpha, mk.beta, mk.delta, mk.window, mk.max_periods,
                                     mk.detection, mk.reward_fine, q, kernel_seed)
    seconds = time.perf_counter() - start
    next_joint = _greedy_table(mk, q)
    cycle = _cycle(next_joint, int(last))
    actions = _joint_actions(mk.m, mk.n_firms)
    cycle_profits = mk.profits[cycle].mean(axis=0)
    gain = float(np.mean((cycle_profits - mk.nash_profit)
                         / (mk.monopoly_profit - mk.nash_profit)))
    impulse, dev_gain, ret = _impulse(mk, q, next_joint, cycle)
    return SessionResult(int(periods), bool(converged),
                         [[float(mk.prices[x]) for x in actions[k]] for k in cycle],
                         [float(x) for x in cycle_profits], gain, impulse, dev_gain, ret,
                         seconds)


def session_task(mk: Market, seed: Any) -> dict[str, Any]:
    """:func:`session` as a picklable task for :func:`games.parallel.run_tasks`."""
    return session(mk, seed).to_dict()
