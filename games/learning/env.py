"""A PettingZoo ``ParallelEnv`` for any :class:`~games.Game` (a repeated game) or
:class:`~games.MarkovGame`, so that outside reinforcement-learning code can play them.

PettingZoo (and Gymnasium, which it requires) is an optional extra:
``pip install "masalign[learning]"``. It is imported when the first environment is
built, never by ``import games``.

References
----------
Terry, J. K. et al. (2021). PettingZoo: Gym for multi-agent reinforcement learning.
*NeurIPS 2021 Datasets and Benchmarks*.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from typing import Any

import numpy as np

from games.errors import InvalidArgumentError
from games.markov import MarkovGame
from games.model import Game

__all__ = ["GameEnv", "agent_ids"]

INSTALL_HINT = 'pip install "pettingzoo>=1.24" "gymnasium>=0.29"  (or masalign[learning])'
RENDER_MODES = ("human", "ansi")


def agent_ids(players: tuple[str, ...]) -> tuple[str, ...]:
    """Valid, distinct PettingZoo agent ids from player names: lower case, runs of
    anything but letters, digits and ``_`` become ``_`` (``"Player 1"`` -> ``"player_1"``).

    Examples
    --------
    >>> agent_ids(("Player 1", "Player 2")), agent_ids(("A", "a", "!"))
    (('player_1', 'player_2'), ('a', 'a_2', 'player_3'))
    """
    out: list[str] = []
    for i, name in enumerate(players):
        base = re.sub(r"[^0-9a-zA-Z_]+", "_", name).strip("_").lower() or f"player_{i + 1}"
        candidate = base
        if candidate in out:
            candidate = f"{base}_{i + 1}"
        k = 2
        while candidate in out:
            candidate = f"{base}_{i + 1}_{k}"
            k += 1
        out.append(candidate)
    return tuple(out)


@functools.cache
def _parallel_class() -> type:
    """GameEnv's concrete class, a subclass of PettingZoo's ParallelEnv (built once, on
    first use, so that PettingZoo stays optional)."""
    try:
        from pettingzoo import ParallelEnv
    except ImportError:
        raise ImportError(f"games.learning.GameEnv needs PettingZoo: {INSTALL_HINT}") from None
    return type("GameEnv", (GameEnv, ParallelEnv), {"__module__": __name__})


def _spaces() -> Any:
    """The ``gymnasium.spaces`` module (Gymnasium comes with PettingZoo)."""
    import gymnasium.spaces

    return gymnasium.spaces


class GameEnv:
    r"""A repeated :class:`~games.Game` or a :class:`~games.MarkovGame` as a PettingZoo
    ``ParallelEnv``.

    Every period each agent picks one of its actions (a ``Discrete`` space); the rewards
    are the stage payoffs at the joint action (in the current state, for a Markov game),
    after which a Markov game moves to its next state. Play is truncated after
    ``periods`` periods (no agent is ever terminated).

    Observations are the same for every agent, a ``MultiDiscrete`` vector: the Markov
    state (for a Markov game), then the last ``memory`` joint actions, the most recent
    first, each as one action per player, where a player's code ``a_i`` (one past its last
    action) means "no play yet". A stateless repeated game (memory 0) observes ``[0]``.
    ``observation="index"`` flattens the vector to one ``Discrete`` index (C order), the
    state of a tabular learner.

    Infos hold the ``period`` (periods played), the ``state`` index and name (Markov
    games), the ``joint_action`` and, per agent, nothing private.

    Parameters
    ----------
    game : Game or MarkovGame
        The game to play (payoffs in float64).
    periods : int
        Periods per episode (>= 1).
    memory : int
        Joint actions remembered in the observation (>= 0).
    seed : int, optional
        Seed of the transitions (and of the action spaces' ``sample``) used when
        :meth:`reset` is called without one.
    observation : {"vector", "index"}
        ``MultiDiscrete`` vector (default) or one ``Discrete`` index.
    render_mode : {None, "human", "ansi"}
        ``"human"`` prints each period, ``"ansi"`` returns it from :meth:`render`.

    Raises
    ------
    ImportError
        PettingZoo is not installed (the message gives the pip command).
    InvalidArgumentError
        A game that is neither a Game nor a MarkovGame, or a bad parameter.

    Examples
    --------
    >>> from games.catalog import prisoners_dilemma
    >>> env = GameEnv(prisoners_dilemma(), periods=3, memory=1, seed=0)
    >>> observations, infos = env.reset()
    >>> env.possible_agents, observations["player_1"].tolist()
    (['player_1', 'player_2'], [2, 2])
    >>> observations, rewards, *_ = env.step({"player_1": 1, "player_2": 0})
    >>> observations["player_2"].tolist(), rewards
    ([1, 0], {'player_1': 5.0, 'player_2': 0.0})
    """

    metadata = {"name": "masalign_game_v0", "render_modes": list(RENDER_MODES),
                "is_parallelizable": True}

    def __new__(cls, *args: Any, **kwargs: Any) -> "GameEnv":
        concrete = _parallel_class()
        if issubclass(cls, concrete):
            return super().__new__(cls)
        return super().__new__(concrete)

    def __init__(self, game: Game | MarkovGame, periods: int = 100, memory: int = 0,
                 seed: int | None = None, *, observation: str = "vector",
                 render_mode: str | None = None) -> None:
        if not isinstance(game, (Game, MarkovGame)):
            raise InvalidArgumentError(f"game: expected a Game or a MarkovGame, found "
                                       f"{type(game).__name__}")
        for name, value, minimum in (("periods", periods, 1), ("memory", memory, 0)):
            if isinstance(value, bool) or not isinstance(value, (int, np.integer)) \
                    or value < minimum:
                raise InvalidArgumentError(f"{name}: expected an integer >= {minimum}, found "
                                           f"{value!r}")
        if observation not in ("vector", "index"):
            raise InvalidArgumentError(f"observation: expected 'vector' or 'index', found "
                                       f"{observation!r}")
        if render_mode is not None and render_mode not in RENDER_MODES:
            raise InvalidArgumentError(f"render_mode: expected None or one of {RENDER_MODES}, "
                                       f"found {render_mode!r}")
        if seed is not None and (isinstance(seed, bool)
                                 or not isinstance(seed, (int, np.integer)) or seed < 0):
            raise InvalidArgumentError(f"seed: expected None or an integer >= 0, found {seed!r}")
        self.game = game
        self.periods = int(periods)
        self.memory = int(memory)
        self.observation = observation
        self.render_mode = render_mode
        self.markov = isinstance(game, MarkovGame)
        if self.markov:
            self._payoffs = game.stage_payoffs()
            self._cumulative = np.cumsum(game.transitions, axis=-1)
            self._initial_cdf = np.cumsum(game.initial)
            self.state_names = game.states
        else:
            self._payoffs = game.float_payoffs[np.newaxis]
            self._cumulative = None
            self._initial_cdf = None
            self.state_names = ("stage",)
        self.shape = game.shape
        self.possible_agents = list(agent_ids(game.players))
        self.agents: list[str] = []
        self.action_names = {agent: tuple(names)
                             for agent, names in zip(self.possible_agents, game.actions)}
        nvec = ([game.n_states] if self.markov else []) \
            + [a + 1 for _ in range(self.memory) for a in self.shape]
        self._nvec = np.array(nvec or [1], dtype=np.int64)
        spaces = _spaces()
        if observation == "index":
            self._observation_space = spaces.Discrete(int(np.prod(self._nvec)))
        else:
            self._observation_space = spaces.MultiDiscrete(self._nvec)
        self._action_spaces = {agent: spaces.Discrete(a)
                               for agent, a in zip(self.possible_agents, self.shape)}
        self._seed = None if seed is None else int(seed)
        self._rng = np.random.default_rng(self._seed)
        self._seed_spaces(self._seed)
        self._period = 0
        self._state = 0
        self._history = np.array([a for _ in range(self.memory) for a in self.shape],
                                 dtype=np.int64)
        self._last_line = ""

    # -- PettingZoo interface ---------------------------------------------------------

    def observation_space(self, agent: str) -> Any:
        """The (shared) observation space; the same object at every call."""
        self._check_agent(agent)
        return self._observation_space

    def action_space(self, agent: str) -> Any:
        """``Discrete(a_i)``: agent i's actions, in the game's order; the same object at
        every call."""
        self._check_agent(agent)
        return self._action_spaces[agent]

    def reset(self, seed: int | None = None, options: Mapping[str, Any] | None = None
              ) -> tuple[dict[str, Any], dict[str, dict]]:
        """Start an episode: period 0, no history, the initial state drawn from the Markov
        game's initial distribution. A ``seed`` makes the episode (and the action spaces'
        samples) reproducible; without one, the generator continues (or starts from the
        constructor's seed)."""
        if seed is not None:
            self._rng = np.random.default_rng(int(seed))
            self._seed_spaces(int(seed))
        self.agents = list(self.possible_agents)
        self._period = 0
        self._history = np.array([a for _ in range(self.memory) for a in self.shape],
                                 dtype=np.int64)
        if self.markov:
            self._state = int(np.searchsorted(self._initial_cdf, self._rng.random(),
                                              side="right"))
            self._state = min(self._state, len(self.state_names) - 1)
        else:
            self._state = 0
        self._last_line = f"period 0: state {self.state_names[self._state]}"
        info = {"period": 0, "state": self._state, "state_name": self.state_names[self._state]}
        return self._observations(), {agent: dict(info) for agent in self.agents}

    def step(self, actions: Mapping[str, Any]) -> tuple[dict, dict, dict, dict, dict]:
        """Play one period: every live agent's action in, observations, rewards (the stage
        payoffs), terminations (never), truncations (after ``periods``) and infos out."""
        if not self.agents:
            raise InvalidArgumentError("step: the episode is over (or not started); call "
                                       "reset() first")
        if not isinstance(actions, Mapping):
            raise InvalidArgumentError(f"actions: expected a dict agent -> action, found "
                                       f"{type(actions).__name__}")
        missing = [a for a in self.agents if a not in actions]
        if missing:
            raise InvalidArgumentError(f"actions: expected an action for every live agent, "
                                       f"found none for {missing}")
        joint = []
        for agent, size in zip(self.possible_agents, self.shape):
            action = actions[agent]
            if isinstance(action, np.ndarray) and action.shape == ():
                action = action.item()
            if isinstance(action, (bool, np.bool_)) or not isinstance(action, (int, np.integer)) \
                    or not 0 <= action < size:
                raise InvalidArgumentError(f"actions[{agent!r}]: expected an integer in "
                                           f"0..{size - 1}, found {action!r}")
            joint.append(int(action))
        profile = tuple(joint)
        state = self._state
        payoffs = self._payoffs[(state, slice(None), *profile)]
        if self.markov:
            cdf = self._cumulative[(state, *profile)]
            nxt = int(np.searchsorted(cdf, self._rng.random() * cdf[-1], side="right"))
            self._state = min(nxt, len(self.state_names) - 1)
        if self.memory:
            self._history = np.concatenate([joint, self._history[:-len(joint)]])
        self._period += 1
        done = self._period >= self.periods
        rewards = {agent: float(payoffs[i]) for i, agent in enumerate(self.agents)}
        observations = self._observations()
        info = {"period": self._period, "joint_action": profile, "previous_state": state,
                "state": self._state, "state_name": self.state_names[self._state]}
        infos = {agent: dict(info) for agent in self.agents}
        terminations = dict.fromkeys(self.agents, False)
        truncations = dict.fromkeys(self.agents, done)
        names = ", ".join(self.action_names[a][k] for a, k in zip(self.possible_agents, joint))
        self._last_line = (f"period {self._period}: state {self.state_names[state]}, actions "
                           f"({names}), rewards {[round(float(r), 6) for r in payoffs]}")
        if self.render_mode == "human":
            print(self._last_line)
        if done:
            self.agents = []
        return observations, rewards, terminations, truncations, infos

    def render(self) -> str | None:
        """The last period as a line of text (``"ansi"``), printed for ``"human"``."""
        if self.render_mode == "ansi":
            return self._last_line
        if self.render_mode == "human":
            print(self._last_line)
        return None

    def state(self) -> np.ndarray:
        """The global state: the observation vector (everything is public)."""
        return self._vector()

    def close(self) -> None:
        """Nothing to release."""

    # -- helpers ----------------------------------------------------------------------

    def observation_index(self, observation: Any) -> int:
        """The flat index (C order) of an observation vector."""
        return int(np.ravel_multi_index(tuple(int(x) for x in np.asarray(observation)),
                                        tuple(int(n) for n in self._nvec)))

    def _vector(self) -> np.ndarray:
        parts = ([self._state] if self.markov else []) + self._history.tolist()
        return np.array(parts or [0], dtype=np.int64)

    def _observations(self) -> dict[str, Any]:
        vector = self._vector()
        obs = self.observation_index(vector) if self.observation == "index" else vector
        return {agent: (obs if self.observation == "index" else obs.copy())
                for agent in self.agents}

    def _seed_spaces(self, seed: int | None) -> None:
        if seed is None:
            return
        children = np.random.SeedSequence(seed).generate_state(len(self.possible_agents) + 1)
        for k, agent in enumerate(self.possible_agents):
            self._action_spaces[agent].seed(int(children[k]))
        self._observation_space.seed(int(children[-1]))

    def _check_agent(self, agent: str) -> None:
        if agent not in self._action_spaces:
            raise InvalidArgumentError(f"agent: expected one of {self.possible_agents}, found "
                                       f"{agent!r}")

    def __repr__(self) -> str:
        kind = "MarkovGame" if self.markov else "Game"
        title = f" {self.game.title!r}" if self.game.title else ""
        return (f"GameEnv({kind}{title}, agents={self.possible_agents}, periods={self.periods}, "
                f"memory={self.memory})")
