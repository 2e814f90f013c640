"""Mechanisms on live play: reshape a multi-agent simulator's rewards step by step.

:class:`MechanismRewards` wraps an environment with PettingZoo's ``ParallelEnv`` interface
(``possible_agents``, ``action_space(agent).n``, ``reset``, ``step`` returning
observations, rewards, terminations, truncations and infos as dicts keyed by agent).
PettingZoo itself is not needed: any object with that interface works, so PettingZoo is
only an optional extra of the simulator that uses it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np

from games import Game, InvalidArgumentError
from mechanisms.base import COST_LAYER, Mechanism

__all__ = ["MechanismRewards", "reward_transform"]

#: Largest joint action space a step's game may have (entries of the payoff array).
MAX_PROFILES = 1_000_000


RewardTransform = Callable[[Sequence[int], Sequence[float]], tuple[np.ndarray, float]]


def reward_transform(mechanism: Mechanism, agents: Sequence[str],
                     actions: Sequence[Sequence[str]]) -> RewardTransform:
    """A function ``(joint_action, rewards) -> (new_rewards, operator_cost)`` that applies
    ``mechanism`` to one step: the step is the outcome ``joint_action`` (one action index
    per agent) of a game whose payoffs there are ``rewards``.

    Only mechanisms whose effect at an outcome depends on that outcome alone
    (``mechanism.per_outcome``: redistribution, caps, penalties, subsidies, contracts,
    monitoring, kinship, and their compositions) can act step by step.

    Raises
    ------
    InvalidArgumentError
        For a mechanism that needs the whole game or another model (repetition,
        reputation, networks, groups, judges), or a joint action space too large.
    """
    if not isinstance(mechanism, Mechanism):
        raise InvalidArgumentError(f"mechanism: expected a Mechanism, found "
                                   f"{type(mechanism).__name__}")
    if not mechanism.per_outcome:
        raise InvalidArgumentError(
            f"mechanism: {mechanism!r} is not a per-step reward transform (it needs the whole "
            f"game or builds another model); use mechanisms.evaluate on the game instead")
    agents = tuple(agents)
    actions = tuple(tuple(a) for a in actions)
    shape = tuple(len(a) for a in actions)
    if len(agents) != len(actions):
        raise InvalidArgumentError(f"actions: expected one action list per agent "
                                   f"({len(agents)}), found {len(actions)}")
    if not agents or min(shape) < 1:
        raise InvalidArgumentError(f"actions: expected at least one agent and at least one "
                                   f"action per agent, found {actions!r}")
    if int(np.prod(shape)) * len(agents) > MAX_PROFILES:
        raise InvalidArgumentError(f"actions: a joint action space of {shape} is too large for "
                                   f"step-by-step reshaping (at most {MAX_PROFILES} entries)")

    def transform(joint_action: Sequence[int],
                  rewards: Sequence[float]) -> tuple[np.ndarray, float]:
        if any(isinstance(a, (bool, np.bool_)) or not isinstance(a, (int, np.integer))
               for a in joint_action):
            raise InvalidArgumentError(f"joint_action: expected one integer index per agent, "
                                       f"found {tuple(joint_action)}")
        profile = tuple(int(a) for a in joint_action)
        if len(profile) != len(agents) or any(not 0 <= a < n for a, n in zip(profile, shape)):
            raise InvalidArgumentError(f"joint_action: expected one index per agent within "
                                       f"{shape}, found {tuple(joint_action)}")
        payoffs = np.zeros((len(agents), *shape))
        payoffs[(slice(None), *profile)] = np.asarray(rewards, dtype=np.float64)
        game = Game(payoffs, players=agents, actions=actions, exact=False)
        after = mechanism.apply(game)
        cost = float(after.layers[COST_LAYER][(0, *profile)]) if COST_LAYER in after.layers else 0.0
        return np.asarray(after.payoffs[(slice(None), *profile)], dtype=np.float64), cost

    return transform


class MechanismRewards:
    """A ``ParallelEnv`` whose rewards pass through a mechanism at every step.

    Each step's infos gain ``"mechanism_cost"`` (the operator's net payment that step,
    the same value for every agent) and ``"raw_reward"`` (the reward before the
    mechanism); :attr:`total_cost` accumulates the operator's payments.

    Parameters
    ----------
    env :
        The environment (PettingZoo ``ParallelEnv`` interface, discrete action spaces).
    mechanism : Mechanism
        A per-outcome mechanism (see :func:`reward_transform`).
    actions : mapping, optional
        Action names per agent (default ``"0"``, ``"1"``, ...), used by mechanisms that
        target actions by name.
    """

    def __init__(self, env: Any, mechanism: Mechanism,
                 actions: Mapping[str, Sequence[str]] | None = None) -> None:
        self.env = env
        self.mechanism = mechanism
        self.agents_order = tuple(env.possible_agents)
        names = []
        for agent in self.agents_order:
            if actions is not None and agent in actions:
                names.append(tuple(actions[agent]))
            else:
                space = env.action_space(agent)
                if not hasattr(space, "n"):
                    raise InvalidArgumentError(f"env: agent {agent!r} needs a discrete action "
                                               f"space (with .n) for step-by-step reshaping")
                names.append(tuple(str(k) for k in range(int(space.n))))
        self._transform = reward_transform(mechanism, self.agents_order, names)
        self.total_cost = 0.0

    def __getattr__(self, name: str) -> Any:
        return getattr(self.env, name)

    def reset(self, *args: Any, **kwargs: Any) -> Any:
        self.total_cost = 0.0
        return self.env.reset(*args, **kwargs)

    def step(self, actions: Mapping[str, int]) -> tuple[Any, dict, Any, Any, dict]:
        observations, rewards, terminations, truncations, infos = self.env.step(actions)
        live = [a for a in self.agents_order if a in actions]
        if len(live) != len(self.agents_order):
            # Some agents are done: the step is not an outcome of the full game.
            return observations, rewards, terminations, truncations, infos
        joint = [actions[a] for a in self.agents_order]
        raw = [float(rewards.get(a, 0.0)) for a in self.agents_order]
        new, cost = self._transform(joint, raw)
        self.total_cost += cost
        shaped = {a: float(r) for a, r in zip(self.agents_order, new)}
        infos = {a: {**dict(infos.get(a, {})), "mechanism_cost": cost, "raw_reward": raw[k]}
                 for k, a in enumerate(self.agents_order)}
        return observations, shaped, terminations, truncations, infos
