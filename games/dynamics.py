r"""Learning and evolutionary dynamics on n-player games.

Every function is seeded (where it is random), works on any number of players, and
returns a :class:`Trajectory`: the times (or steps), the states (each player's mixed
strategy or empirical frequencies, concatenated), and for regret matching the empirical
joint distribution of play with its (coarse) correlated-equilibrium certificate.

* :func:`replicator` (continuous; multi-population, or one population of a symmetric
  two-player game), with an optional mutation matrix (replicator-mutator);
  :func:`replicator_field` is its vector field;
* :func:`logit_dynamics` (continuous smoothed best response);
* :func:`best_response_dynamics` (discrete, sequential or simultaneous);
* :func:`fictitious_play` (classic, or stochastic with logit noise);
* :func:`regret_matching` (Hart & Mas-Colell: unconditional, whose empirical joint play
  converges to the coarse correlated equilibria; conditional, to the correlated ones);
* :func:`friedkin_johnsen` (opinion dynamics with stubborn agents, no game: returns an
  :class:`OpinionTrajectory`).

Continuous dynamics use a fixed-step fourth-order Runge-Kutta integrator; after each step
states are clipped at 0 and renormalised, so they stay on the simplex exactly.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from games._dynamics_kernels import regret_matching_kernel
from games.arguments import check_flag, check_integer, check_real, check_seed
from games.errors import InvalidArgumentError, InvalidGameError
from games.evolution.finite import population_game
from games.model import Game
from games.palette import colour
from games.solvers.correlated import deviation_gains
from games.tolerance import payoff_range

__all__ = ["Trajectory", "replicator", "replicator_field", "logit_dynamics",
           "best_response_dynamics", "fictitious_play", "regret_matching",
           "coarse_correlated_regret", "friedkin_johnsen", "OpinionTrajectory",
           "default_start"]


@dataclass(frozen=True, eq=False)
class Trajectory:
    """The path of a dynamic.

    Attributes
    ----------
    kind : str
        The dynamic (``"replicator"``, ``"fictitious_play"``, ...).
    times : ndarray, shape (m,)
        Time (continuous dynamics) or step (discrete ones) of each state.
    states : ndarray, shape (m, a_1 + ... + a_n) or (m, a) for one population
        Each player's mixed strategy (or empirical frequencies), concatenated.
    joint : ndarray or None
        Empirical joint distribution of the profiles played (the game's shape), where the
        dynamic plays pure profiles.
    parameters : dict
        The arguments that produced it (seed included).
    """

    kind: str
    times: np.ndarray
    states: np.ndarray
    game: Game = field(repr=False)
    joint: np.ndarray | None = field(default=None, repr=False)
    parameters: dict = field(default_factory=dict)
    single_population: bool = False
    regrets: np.ndarray | None = field(default=None, repr=False)

    def __len__(self) -> int:
        return len(self.times)

    @property
    def _blocks(self) -> list[slice]:
        if self.single_population:
            return [slice(0, self.states.shape[1])]
        off = np.concatenate([[0], np.cumsum(self.game.shape)])
        return [slice(off[i], off[i + 1]) for i in range(self.game.n_players)]

    def strategies(self, k: int = -1) -> tuple[np.ndarray, ...]:
        """The state at index ``k`` as one vector per player (one for a single population)."""
        return tuple(self.states[k, sl].copy() for sl in self._blocks)

    @property
    def final(self) -> tuple[np.ndarray, ...]:
        """The last state."""
        return self.strategies(-1)

    def regret(self, k: int = -1) -> float:
        """Nash certificate of state ``k`` (the largest gain from a unilateral deviation)."""
        s = self.strategies(k)
        if self.single_population:
            s = s * 2
        return float(self.game.to_float().regret(s) if self.game.exact else self.game.regret(s))

    def coarse_correlated_regret(self) -> float:
        """CCE certificate of the empirical joint distribution (regret matching and other
        dynamics that record it)."""
        if self.joint is None:
            raise InvalidGameError(f"{self.kind}: this trajectory has no joint distribution")
        return coarse_correlated_regret(self.game, self.joint)

    def correlated_regret(self) -> float:
        """CE certificate (largest gain from a deviation recommendation) of the empirical
        joint distribution."""
        if self.joint is None:
            raise InvalidGameError(f"{self.kind}: this trajectory has no joint distribution")
        gains = deviation_gains(self.game.to_float() if self.game.exact else self.game,
                                self.joint, coarse=False)
        return max(0.0, float(np.max(gains))) if len(gains) else 0.0

    def __repr__(self) -> str:
        last = ", ".join("[" + ", ".join(f"{p:.4g}" for p in s) + "]" for s in self.final)
        return (f"Trajectory({self.kind}, {len(self)} states up to "
                f"{'t' if self.kind in _CONTINUOUS else 'step'} {self.times[-1]:.6g}, "
                f"final ({last}))")

    @property
    def labels(self) -> list[str]:
        """One label per column of :attr:`states`: the action, prefixed by its player
        unless there is one population."""
        names = (self.game.actions[0],) if self.single_population else self.game.actions
        if self.single_population:
            return list(names[0])
        return [f"{self.game.players[i]}: {a}" for i in range(len(names)) for a in names[i]]

    def to_dict(self) -> dict[str, Any]:
        """JSON-able: times, states (one column per label), the joint distribution and
        regrets where recorded, and the parameters (a seed that is not an integer is
        written as its repr)."""
        parameters = {key: value if value is None or isinstance(value, (bool, int, float, str))
                      else repr(value) for key, value in self.parameters.items()}
        return {"kind": self.kind, "labels": self.labels, "times": self.times.tolist(),
                "states": self.states.tolist(), "parameters": parameters,
                "single_population": self.single_population,
                "joint": None if self.joint is None else self.joint.tolist(),
                "regrets": None if self.regrets is None else self.regrets.tolist()}

    def _repr_html_(self) -> str:
        esc = html.escape
        rows = "".join(f"<tr><td>{esc(label)}</td><td>{self.states[0, k]:.4g}</td>"
                       f"<td>{self.states[-1, k]:.4g}</td></tr>"
                       for k, label in enumerate(self.labels))
        return (f"<table><caption>{esc(repr(self))}</caption><tr><th>action</th>"
                f"<th>start</th><th>end</th></tr>{rows}</table>")

    def plot(self, ax: Any = None, player: int | None = None) -> Any:
        """Plot the trajectory: on the simplex (a triangle) when the population or
        ``player`` has 3 actions, else each action's probability against time (one line
        per column of :attr:`states`, labelled by :attr:`labels`). Returns the axes."""
        import matplotlib.pyplot as plt

        blocks = self._blocks
        names = (self.game.actions[0],) if self.single_population else self.game.actions
        who = player if player is not None else 0
        if player is None and any(sl.stop - sl.start != 3 for sl in blocks):
            who = None
        if ax is None:
            _, ax = plt.subplots()
        if who is not None and blocks[who].stop - blocks[who].start == 3:
            x = self.states[:, blocks[who]]
            corners = np.array([[0.0, 0.0], [1.0, 0.0], [0.5, np.sqrt(3) / 2]])
            xy = x @ corners
            ax.plot(*np.vstack([corners, corners[:1]]).T, color="grey", lw=0.8)
            for c, name in zip(corners, names[who]):
                ax.annotate(name, c, ha="center", va="bottom" if c[1] > 0 else "top")
            ax.plot(xy[:, 0], xy[:, 1], lw=1.2, color=colour(0), label="path")
            ax.plot(*xy[0], "o", color=colour(2), label="start")
            ax.plot(*xy[-1], "s", color=colour(3), label="end")
            ax.set_aspect("equal")
            ax.axis("off")
            ax.legend(fontsize="small")
            who_name = "population" if self.single_population else self.game.players[who]
            ax.set_title(f"{self.kind.replace('_', ' ')}: {who_name}")
            return ax
        for k, label in enumerate(self.labels):
            ax.plot(self.times, self.states[:, k], label=label, color=colour(k))
        ax.set_xlabel("time" if self.kind in _CONTINUOUS else "step")
        ax.set_ylabel("probability")
        ax.set_title(self.kind.replace("_", " "))
        ax.legend(fontsize="small")
        return ax


_CONTINUOUS = ("replicator", "replicator_mutator", "logit_dynamics")


# ---------------------------------------------------------------------------------------
# Helpers

#: An action is kept as a best response when it is within this fraction of the payoff
#: range of the best one.
BEST_RESPONSE_TOLERANCE = 1e-12


def _game(game: Any) -> Game:
    if not isinstance(game, Game):
        raise InvalidGameError(f"game: expected a Game, found {type(game).__name__}")
    return game


def _rng(seed: Any) -> np.random.Generator:
    if isinstance(seed, np.random.Generator):
        return seed
    return np.random.default_rng(check_seed(seed))


def _positive_int(value: Any, name: str) -> int:
    return check_integer(value, name, minimum=1)


def _positive(value: Any, name: str, allow_zero: bool = False) -> float:
    return float(check_real(value, name, low=0, low_open=not allow_zero))


def _symmetric_matrix(game: Game) -> np.ndarray:
    """The payoff matrix of a symmetric two-player game (one population)."""
    if game.n_players != 2:
        raise InvalidArgumentError(f"population: a single population needs a symmetric two-player "
                               f"game, found {game.n_players} players")
    try:
        return population_game(game).matrix
    except InvalidGameError as err:
        raise InvalidArgumentError(
            f"population: a single population needs a symmetric game ({err})") from None


def default_start(size: int) -> np.ndarray:
    r"""The default start of a continuous dynamic on ``size`` actions: the off-centre
    interior point whose successive shares grow by the golden ratio
    :math:`\varphi = (1 + \sqrt 5) / 2`, :math:`x_a = \varphi^a / \sum_b \varphi^b`:
    ``(0.382, 0.618)`` for two actions, ``(0.191, 0.309, 0.5)`` for three. Its shares are
    irrational, so it is never the interior rest point of a two-player game with rational
    payoffs (those solve linear equations, so are rational), whereas the centroid is the
    rest point of every game whose mixed equilibrium is uniform (hawk-dove with C = 2V,
    matching pennies, rock-paper-scissors) and a path from it is flat. Every player (or
    the one population) starts from the same point, so a symmetric game's path stays
    symmetric.

    Examples
    --------
    >>> default_start(2).round(3).tolist(), default_start(3).round(3).tolist()
    ([0.382, 0.618], [0.191, 0.309, 0.5])
    """
    weights = ((1 + np.sqrt(5.0)) / 2) ** np.arange(size, dtype=np.float64)
    return weights / weights.sum()


def _initial(game: Game, initial: Any, rng: np.random.Generator | None, single: bool
             ) -> np.ndarray:
    sizes = [game.shape[0]] if single else list(game.shape)
    if initial is None:
        if rng is None:
            return np.concatenate([default_start(a) for a in sizes])
        return np.concatenate([rng.dirichlet(np.ones(a)) for a in sizes])
    if single:
        x = np.asarray(initial, dtype=np.float64).reshape(-1)
        if x.shape != (sizes[0],) or not np.all(np.isfinite(x)) or x.min() < 0 \
                or abs(x.sum() - 1) > 1e-9:
            raise InvalidGameError(f"initial: expected {sizes[0]} probabilities >= 0 summing "
                                   f"to 1, found {np.asarray(initial).tolist()}")
        return x
    return np.concatenate([np.asarray(s, dtype=np.float64) for s in game.strategies(initial)])


def _offsets(sizes: list[int]) -> np.ndarray:
    return np.concatenate([[0], np.cumsum(sizes)]).astype(np.intp)


def _values(P: np.ndarray, x: np.ndarray, off: np.ndarray) -> np.ndarray:
    """u_i(a, x_{-i}) for all players and actions, concatenated."""
    n = P.shape[0]
    s = [x[off[i]:off[i + 1]] for i in range(n)]
    out = []
    for i in range(n):
        arr = P[i]
        for j in reversed(range(n)):
            if j != i:
                arr = np.tensordot(arr, s[j], axes=([j], [0]))
        out.append(arr)
    return np.concatenate(out)


def _renormalise(x: np.ndarray, off: np.ndarray) -> np.ndarray:
    x = np.maximum(x, 0.0)
    for i in range(len(off) - 1):
        sl = slice(off[i], off[i + 1])
        total = x[sl].sum()
        x[sl] = x[sl] / total if total > 0 else 1.0 / (off[i + 1] - off[i])
    return x


def _mutations(game: Game, mutation: Any, sizes: list[int]) -> list[np.ndarray] | None:
    if mutation is None:
        return None
    if isinstance(mutation, (int, float)) and not isinstance(mutation, bool):
        mu = _positive(mutation, "mutation", allow_zero=True)
        if mu > 1:
            raise InvalidArgumentError(f"mutation: expected a rate in [0, 1], found {mutation!r}")
        return [(1 - mu) * np.eye(a) + mu / a * np.ones((a, a)) for a in sizes]
    if isinstance(mutation, (bool, np.bool_, str, bytes)):
        raise InvalidArgumentError(f"mutation: expected a rate in [0, 1] or row-stochastic "
                                   f"matrices, found {mutation!r}")
    arr = mutation
    try:
        mats = [np.asarray(arr, dtype=np.float64)] * len(sizes) \
            if np.ndim(arr) == 2 else [np.asarray(m, dtype=np.float64) for m in arr]
    except (TypeError, ValueError):
        raise InvalidArgumentError(f"mutation: expected a rate in [0, 1] or row-stochastic "
                                   f"matrices, found {mutation!r}") from None
    if len(mats) != len(sizes):
        raise InvalidArgumentError(f"mutation: expected one matrix per population "
                               f"({len(sizes)}), found {len(mats)}")
    for k, (Q, a) in enumerate(zip(mats, sizes)):
        if Q.shape != (a, a) or not np.all(np.isfinite(Q)) or Q.min() < 0 \
                or not np.allclose(Q.sum(axis=1), 1.0):
            raise InvalidArgumentError(f"mutation[{k}]: expected a {a}x{a} row-stochastic matrix "
                                   f"(Q[a, b] = probability that a offspring of a plays b), "
                                   f"found {Q.tolist()}")
    return mats


# ---------------------------------------------------------------------------------------
# Continuous dynamics


def replicator_field(game: Game, strategies: Any, mutation: Any = None,
                     population: str = "multi") -> tuple[np.ndarray, ...]:
    r"""The replicator vector field at a profile.

    Multi-population: :math:`\dot x_{ia} = x_{ia} (u_i(a, x_{-i}) - u_i(x))`. With a
    mutation matrix :math:`Q` (row-stochastic): the replicator-mutator
    :math:`\dot x_{ia} = \sum_b x_{ib} u_i(b, x_{-i}) Q_{ba} - x_{ia} u_i(x)`.
    ``population="single"``: one population of a symmetric two-player game with payoff
    matrix :math:`A`, :math:`\dot x_a = x_a ((Ax)_a - x^\top A x)`.

    Parameters
    ----------
    strategies : profile (one vector per player), or one vector for a single population
    mutation : float, matrix or list of matrices, optional
        A rate :math:`\mu` (uniform mutation :math:`Q = (1-\mu) I + \mu/a`) or matrices.

    Returns
    -------
    tuple of ndarray
        The time derivative of each population's state (each sums to 0).

    Examples
    --------
    >>> import games
    >>> g = games.catalog.rock_paper_scissors()
    >>> [d.tolist() for d in replicator_field(g, [1/3, 1/3, 1/3], population="single")]
    [[0.0, 0.0, 0.0]]
    """
    game = _game(game)
    single = _population(population)
    sizes = [game.shape[0]] if single else list(game.shape)
    off = _offsets(sizes)
    x = _initial(game, strategies, None, single)
    Q = _mutations(game, mutation, sizes)
    f = _field_function(game, single, Q, off)
    dx = f(x)
    return tuple(dx[off[i]:off[i + 1]] for i in range(len(sizes)))


def _population(population: str) -> bool:
    if population not in ("multi", "single"):
        raise InvalidArgumentError(
            f"population: expected 'multi' or 'single', found {population!r}")
    return population == "single"


def _field_function(game: Game, single: bool, Q: list[np.ndarray] | None, off: np.ndarray):
    if single:
        A = _symmetric_matrix(game)

        def fitness(x: np.ndarray) -> np.ndarray:
            return A @ x
    else:
        P = game.float_payoffs

        def fitness(x: np.ndarray) -> np.ndarray:
            return _values(P, x, off)

    k = len(off) - 1

    def f(x: np.ndarray) -> np.ndarray:
        u = fitness(x)
        out = np.empty_like(x)
        for i in range(k):
            sl = slice(off[i], off[i + 1])
            mean = x[sl] @ u[sl]
            if Q is None:
                out[sl] = x[sl] * (u[sl] - mean)
            else:
                out[sl] = (x[sl] * u[sl]) @ Q[i] - x[sl] * mean
        return out

    return f


def _integrate(f, x0: np.ndarray, off: np.ndarray, t_max: float, steps: int, record: int
               ) -> tuple[np.ndarray, np.ndarray]:
    h = t_max / steps
    every = max(1, steps // record)
    times = [0.0]
    states = [x0.copy()]
    x = x0.copy()
    for k in range(1, steps + 1):
        k1 = f(x)
        k2 = f(x + 0.5 * h * k1)
        k3 = f(x + 0.5 * h * k2)
        k4 = f(x + h * k3)
        x = _renormalise(x + h / 6.0 * (k1 + 2 * k2 + 2 * k3 + k4), off)
        if k % every == 0 or k == steps:
            times.append(k * h)
            states.append(x.copy())
    return np.array(times), np.array(states)


def replicator(game: Game, initial: Any = None, t_max: float = 50.0, steps: int = 5000, *,
               mutation: Any = None, population: str = "multi", seed: Any = None,
               record: int = 1000) -> Trajectory:
    r"""Integrate the replicator (or replicator-mutator) dynamics.

    See :func:`replicator_field` for the equations. Fixed-step RK4; states are clipped
    at 0 and renormalised after every step, so they stay on the simplex.

    Parameters
    ----------
    initial : profile, optional
        Start (default the off-centre interior point :func:`default_start` for every
        player, not a rest point of the usual symmetric games; a random interior point
        when ``seed`` is given).
    t_max, steps : float, int
        Horizon and number of integration steps (step ``t_max / steps``).
    mutation : float, matrix or list of matrices, optional
        Mutation (replicator-mutator dynamics).
    population : {"multi", "single"}
        One population per player, or one population of a symmetric two-player game.
    seed : int, optional
        Seed of the random start.
    record : int
        Number of states kept (evenly spaced).

    Returns
    -------
    Trajectory

    References
    ----------
    Taylor, P. D. & Jonker, L. B. (1978). Evolutionary stable strategies and game
    dynamics. Hofbauer, J. & Sigmund, K. (1998). *Evolutionary Games and Population
    Dynamics*.

    Examples
    --------
    >>> import games
    >>> tr = replicator(games.catalog.prisoners_dilemma(), [[0.9, 0.1], [0.9, 0.1]], t_max=30)
    >>> [round(float(p), 3) for p in tr.final[0]]    # defection takes over
    [0.0, 1.0]
    """
    game = _game(game)
    single = _population(population)
    t_max = _positive(t_max, "t_max")
    steps = _positive_int(steps, "steps")
    record = _positive_int(record, "record")
    sizes = [game.shape[0]] if single else list(game.shape)
    off = _offsets(sizes)
    rng = _rng(seed) if seed is not None else None
    x0 = _initial(game, initial, rng, single)
    Q = _mutations(game, mutation, sizes)
    f = _field_function(game, single, Q, off)
    times, states = _integrate(f, x0, off, t_max, steps, record)
    return Trajectory("replicator" if Q is None else "replicator_mutator", times, states, game,
                      parameters={"t_max": t_max, "steps": steps, "seed": seed,
                                  "population": population,
                                  "mutation": None if mutation is None else
                                  (mutation if np.ndim(mutation) == 0 else "matrix")},
                      single_population=single)


def logit_dynamics(game: Game, rationality: float, initial: Any = None, t_max: float = 50.0,
                   steps: int = 5000, *, seed: Any = None, record: int = 1000) -> Trajectory:
    r"""Logit (smoothed best-response) dynamics
    :math:`\dot x_i = \mathrm{logit}_\lambda(u_i(\cdot, x_{-i})) - x_i`, whose rest points
    are the logit quantal response equilibria at :math:`\lambda`.

    Parameters
    ----------
    rationality : float
        :math:`\lambda \ge 0`.

    Returns
    -------
    Trajectory

    References
    ----------
    Fudenberg, D. & Levine, D. K. (1998). *The Theory of Learning in Games*, ch. 4.
    """
    game = _game(game)
    lam = _positive(rationality, "rationality", allow_zero=True)
    t_max = _positive(t_max, "t_max")
    steps = _positive_int(steps, "steps")
    record = _positive_int(record, "record")
    sizes = list(game.shape)
    off = _offsets(sizes)
    rng = _rng(seed) if seed is not None else None
    x0 = _initial(game, initial, rng, False)
    P = game.float_payoffs

    def f(x: np.ndarray) -> np.ndarray:
        u = _values(P, x, off)
        out = np.empty_like(x)
        for i in range(len(sizes)):
            sl = slice(off[i], off[i + 1])
            e = np.exp(lam * (u[sl] - u[sl].max()))
            out[sl] = e / e.sum() - x[sl]
        return out

    times, states = _integrate(f, x0, off, t_max, steps, record)
    return Trajectory("logit_dynamics", times, states, game,
                      parameters={"rationality": lam, "t_max": t_max, "steps": steps,
                                  "seed": seed})


# ---------------------------------------------------------------------------------------
# Discrete dynamics


def best_response_dynamics(game: Game, initial: Any = None, steps: int = 100, *,
                           order: str = "sequential", seed: Any = None) -> Trajectory:
    """Discrete best-response dynamics on pure profiles.

    ``order="sequential"``: at each step one player (in turn) switches to a best response
    (keeping its action when it already is one; lowest index on other ties);
    ``"simultaneous"``: every player best-responds to the previous profile; ``"random"``:
    a random player (seeded) revises. Stops early at a pure Nash equilibrium.

    Returns
    -------
    Trajectory
        States are one-hot profiles; ``parameters["converged"]`` says whether a pure
        equilibrium was reached.
    """
    game = _game(game)
    steps = _positive_int(steps, "steps")
    if order not in ("sequential", "simultaneous", "random"):
        raise InvalidArgumentError(f"order: expected 'sequential', 'simultaneous' or 'random', "
                               f"found {order!r}")
    rng = _rng(seed)
    n = game.n_players
    P = game.float_payoffs
    if initial is None:
        profile = [int(rng.integers(a)) for a in game.shape]
    else:
        profile = [int(np.argmax(np.asarray(s, dtype=float)))
                   for s in game.strategies(initial)]
    tol = BEST_RESPONSE_TOLERANCE * payoff_range(P)

    def best(i: int, prof: list[int]) -> int:
        idx = tuple(slice(None) if j == i else prof[j] for j in range(n))
        row = P[i][idx]
        if row[prof[i]] >= row.max() - tol:
            return prof[i]
        return int(np.argmax(row))

    history = [list(profile)]
    converged = False
    for step in range(steps):
        if all(best(i, profile) == profile[i] for i in range(n)):
            converged = True
            break
        if order == "simultaneous":
            profile = [best(i, profile) for i in range(n)]
        else:
            i = step % n if order == "sequential" else int(rng.integers(n))
            profile[i] = best(i, profile)
        history.append(list(profile))
    else:
        converged = all(best(i, profile) == profile[i] for i in range(n))
    off = _offsets(list(game.shape))
    states = np.zeros((len(history), off[-1]))
    for k, prof in enumerate(history):
        states[k, off[:-1] + np.asarray(prof)] = 1.0
    return Trajectory("best_response", np.arange(len(history), dtype=float), states, game,
                      parameters={"order": order, "seed": seed, "steps": steps,
                                  "converged": converged})


def fictitious_play(game: Game, steps: int = 1000, *, smoothing: float | None = None,
                    initial: Any = None, seed: Any = None, record: int = 1000) -> Trajectory:
    r"""(Stochastic) fictitious play.

    Each player best-responds to the empirical frequencies of the others' past actions
    (lowest index on ties); with ``smoothing`` :math:`\lambda`, it samples its action from
    the logit response :math:`\propto \exp(\lambda\, u_i(a, \bar x_{-i}))` (stochastic
    fictitious play, whose frequencies approach a logit QRE).

    Returns
    -------
    Trajectory
        States are the empirical frequencies after each step; ``joint`` is the empirical
        joint distribution of the profiles played.

    References
    ----------
    Brown, G. W. (1951). Iterative solution of games by fictitious play. Fudenberg &
    Levine (1998), ch. 2 and 4.
    """
    game = _game(game)
    steps = _positive_int(steps, "steps")
    record = _positive_int(record, "record")
    lam = None if smoothing is None else _positive(smoothing, "smoothing")
    rng = _rng(seed)
    n = game.n_players
    P = game.float_payoffs
    sizes = list(game.shape)
    off = _offsets(sizes)
    counts = np.zeros(off[-1])
    if initial is None:
        first = [int(rng.integers(a)) for a in sizes]
    else:
        first = [int(np.argmax(np.asarray(s, dtype=float))) for s in game.strategies(initial)]
    joint = np.zeros(game.shape)
    counts[off[:-1] + np.asarray(first)] += 1
    joint[tuple(first)] += 1
    every = max(1, steps // record)
    times, states = [1.0], [counts / 1.0]
    for t in range(2, steps + 1):
        freq = counts / (t - 1)
        u = _values(P, freq, off)
        profile = []
        for i in range(n):
            ui = u[off[i]:off[i + 1]]
            if lam is None:
                profile.append(int(np.argmax(ui)))
            else:
                e = np.exp(lam * (ui - ui.max()))
                profile.append(int(rng.choice(len(ui), p=e / e.sum())))
        counts[off[:-1] + np.asarray(profile)] += 1
        joint[tuple(profile)] += 1
        if t % every == 0 or t == steps:
            times.append(float(t))
            states.append(counts / t)
    return Trajectory("fictitious_play" if lam is None else "stochastic_fictitious_play",
                      np.array(times), np.array(states), game, joint=joint / joint.sum(),
                      parameters={"steps": steps, "smoothing": lam, "seed": seed})


def regret_matching(game: Game, steps: int = 10000, *, conditional: bool = False,
                    inertia: float | None = None, seed: Any = None, record: int = 100
                    ) -> Trajectory:
    r"""Regret matching (Hart & Mas-Colell 2000).

    Unconditional (default): each player plays each action with probability proportional
    to its positive cumulative regret :math:`R_i(b) = \sum_s u_i(b, a^s_{-i}) - u_i(a^s)`
    (uniform when none is positive). The empirical joint distribution of play converges
    to the set of coarse correlated equilibria: its CCE certificate is
    :math:`\max_{i,b} R_i(b)/T = O(1/\sqrt{T})`.
    Conditional (``conditional=True``): the original procedure, switching from the last
    action :math:`j` to :math:`k` with probability :math:`R_i(j \to k)^+ / (\mu T)`;
    the empirical distribution converges to the correlated equilibria.

    Parameters
    ----------
    inertia : float, optional
        :math:`\mu` of the conditional procedure (default: larger than the largest
        possible regret step, ``2 * payoff range * max actions``).
    record : int
        Number of recorded checkpoints (states are empirical frequencies; ``regrets``
        holds the CCE certificate at each checkpoint).

    Returns
    -------
    Trajectory
        With ``joint`` (empirical joint distribution) and ``regrets``.

    References
    ----------
    Hart, S. & Mas-Colell, A. (2000). A simple adaptive procedure leading to correlated
    equilibrium. *Econometrica* 68, 1127-1150.

    Examples
    --------
    >>> import games
    >>> tr = regret_matching(games.catalog.rock_paper_scissors(), steps=20000, seed=1)
    >>> tr.coarse_correlated_regret() < 0.05
    True
    """
    game = _game(game)
    steps = _positive_int(steps, "steps")
    record = _positive_int(record, "record")
    conditional = check_flag(conditional, "conditional")
    rng = _rng(seed)
    n = game.n_players
    shape = np.array(game.shape, dtype=np.int64)
    P = np.ascontiguousarray(game.float_payoffs.reshape(n, -1))
    strides = np.ones(n, dtype=np.int64)
    for i in range(n - 2, -1, -1):
        strides[i] = strides[i + 1] * shape[i + 1]
    span = payoff_range(P)
    if conditional:
        if inertia is not None:
            mu = _positive(inertia, "inertia")
        else:
            # Any mu works when every payoff is equal (all regrets stay 0).
            mu = 2.0 * span * int(shape.max()) if span > 0 else 1.0
    else:
        mu = 0.0
    uniforms = rng.random((steps, n))
    checkpoints = np.unique(np.linspace(1, steps, min(record, steps)).astype(np.int64))
    amax = int(shape.max())
    counts = np.zeros(P.shape[1])
    marg = np.zeros((len(checkpoints), n, amax))
    cert = np.zeros(len(checkpoints))
    regret_matching_kernel(P, shape, strides, uniforms, bool(conditional), mu,
                           checkpoints, counts, marg, cert)
    states = np.concatenate([marg[:, i, :game.shape[i]] for i in range(n)], axis=1)
    joint = (counts / steps).reshape(game.shape)
    return Trajectory("conditional_regret_matching" if conditional else "regret_matching",
                      checkpoints.astype(float), states, game, joint=joint,
                      parameters={"steps": steps, "conditional": conditional,
                                  "inertia": mu if conditional else None, "seed": seed},
                      regrets=cert)


def coarse_correlated_regret(game: Game, distribution: Any) -> float:
    r"""CCE certificate of a joint distribution :math:`\mu` (vectorised):
    :math:`\max_{i, b} \sum_a \mu(a) (u_i(b, a_{-i}) - u_i(a))`, clipped at 0.

    Examples
    --------
    >>> import games, numpy as np
    >>> g = games.catalog.matching_pennies()
    >>> coarse_correlated_regret(g, np.full((2, 2), 0.25))
    0.0
    """
    game = _game(game)
    mu = np.asarray(distribution, dtype=np.float64)
    if mu.shape != game.shape or not np.all(np.isfinite(mu)) or mu.min() < -1e-12 \
            or abs(mu.sum() - 1) > 1e-9:
        raise InvalidGameError(f"distribution: expected probabilities >= 0 summing to 1 of the "
                               f"game's shape {game.shape}, found shape {mu.shape}")
    P = game.float_payoffs
    worst = 0.0
    for i in range(game.n_players):
        expected = float((mu * P[i]).sum())
        others = mu.sum(axis=i)                      # marginal of the others, axes without i
        Pi = np.moveaxis(P[i], i, 0)
        dev = np.tensordot(Pi, others, axes=(list(range(1, game.n_players)),
                                             list(range(game.n_players - 1))))
        worst = max(worst, float(dev.max()) - expected)
    return max(0.0, worst)


# ---------------------------------------------------------------------------------------
# Opinion dynamics


@dataclass(frozen=True, eq=False)
class OpinionTrajectory:
    """The path of an opinion dynamic (no game: the states are the agents' opinions).

    Attributes
    ----------
    kind : str
        The dynamic (``"friedkin_johnsen"``).
    times : ndarray, shape (m,)
        The step of each state.
    states : ndarray, shape (m, n)
        The agents' opinions at each step.
    limit : ndarray or None
        The closed-form limit of the dynamic, when it exists.
    parameters : dict
        The arguments that produced it.
    """

    kind: str
    times: np.ndarray
    states: np.ndarray
    limit: np.ndarray | None = None
    parameters: dict = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.times)

    @property
    def final(self) -> np.ndarray:
        """The opinions at the last step."""
        return self.states[-1].copy()

    def __repr__(self) -> str:
        last = ", ".join(f"{x:.4g}" for x in self.states[-1])
        return f"OpinionTrajectory({self.kind}, {len(self)} steps, final [{last}])"

    def to_dict(self) -> dict[str, Any]:
        """JSON-able: times, states, the limit (None when it does not exist), parameters."""
        return {"kind": self.kind, "times": self.times.tolist(), "states": self.states.tolist(),
                "limit": None if self.limit is None else self.limit.tolist(),
                "parameters": {key: value.tolist() if isinstance(value, np.ndarray) else value
                               for key, value in self.parameters.items()}}

    def _repr_html_(self) -> str:
        rows = "".join(
            f"<tr><td>agent {i + 1}</td><td>{self.states[0, i]:.4g}</td>"
            f"<td>{self.states[-1, i]:.4g}</td><td>"
            f"{'' if self.limit is None else format(self.limit[i], '.4g')}</td></tr>"
            for i in range(self.states.shape[1]))
        return (f"<table><caption>{html.escape(repr(self))}</caption><tr><th>agent</th>"
                f"<th>start</th><th>end</th><th>limit</th></tr>{rows}</table>")

    def plot(self, ax: Any = None) -> Any:
        """Each agent's opinion against the step (dotted: its limit). Returns the axes."""
        import matplotlib.pyplot as plt

        if ax is None:
            _, ax = plt.subplots()
        for i in range(self.states.shape[1]):
            ax.plot(self.times, self.states[:, i], color=colour(i), label=f"agent {i + 1}")
            if self.limit is not None:
                ax.axhline(self.limit[i], color=colour(i), ls=":", lw=0.8)
        ax.set_xlabel("step")
        ax.set_ylabel("opinion")
        ax.set_title(self.kind.replace("_", " "))
        ax.legend(fontsize="small")
        return ax


def friedkin_johnsen(influence: Any, stubbornness: Any, initial: Any,
                     steps: int = 100) -> OpinionTrajectory:
    r"""Friedkin-Johnsen opinion dynamics: agents average their neighbours' opinions but
    stay anchored to their initial ones.

    .. math:: x(t + 1) = \Lambda W x(t) + (I - \Lambda)\, x(0),
              \qquad \Lambda = \mathrm{diag}(1 - s_i),

    with W the row-stochastic ``influence`` matrix (``W[i, j]``: the weight agent i gives
    to agent j's opinion) and :math:`s_i` agent i's ``stubbornness`` (its weight on its
    initial opinion; :math:`1 - s_i` is its susceptibility). When
    :math:`I - \Lambda W` is invertible and the spectral radius of :math:`\Lambda W` is
    below 1 the opinions converge to

    .. math:: x^* = (I - \Lambda W)^{-1} (I - \Lambda)\, x(0),

    reported as :attr:`OpinionTrajectory.limit` (None otherwise, e.g. DeGroot's model,
    nobody stubborn). A fully stubborn agent everybody listens to pulls the group to its
    own opinion.

    Parameters
    ----------
    influence : array (n, n)
        Non-negative, each row summing to 1.
    stubbornness : number or array (n,)
        Each agent's weight on its initial opinion, in [0, 1].
    initial : array (n,)
        The initial opinions.
    steps : int
        Number of steps (>= 1).

    References
    ----------
    Friedkin, N. E. & Johnsen, E. C. (1990). Social influence and opinions. *Journal of
    Mathematical Sociology* 15(3-4).
    """
    steps = check_integer(steps, "steps", minimum=1)
    try:
        W = np.array(influence, dtype=float)
    except (TypeError, ValueError):
        raise InvalidArgumentError(f"influence: expected a square matrix of numbers, found "
                                   f"{influence!r}") from None
    if W.ndim != 2 or W.shape[0] != W.shape[1] or W.shape[0] < 1:
        raise InvalidArgumentError(f"influence: expected a square matrix, found shape {W.shape}")
    n = W.shape[0]
    if not np.all(np.isfinite(W)) or np.any(W < 0) or not np.allclose(W.sum(axis=1), 1.0,
                                                                        rtol=0, atol=1e-12):
        raise InvalidArgumentError(f"influence: expected non-negative rows summing to 1, "
                                   f"found row sums {W.sum(axis=1).tolist()}")
    try:
        s = np.broadcast_to(np.array(stubbornness, dtype=float), (n,)).copy()
        x0 = np.array(initial, dtype=float)
    except (TypeError, ValueError):
        raise InvalidArgumentError(f"stubbornness, initial: expected numbers (one per agent), "
                                   f"found {stubbornness!r}, {initial!r}") from None
    if not np.all(np.isfinite(s)) or np.any(s < 0) or np.any(s > 1):
        raise InvalidArgumentError(f"stubbornness: expected numbers in [0, 1], found {s.tolist()}")
    if x0.shape != (n,) or not np.all(np.isfinite(x0)):
        raise InvalidArgumentError(f"initial: expected {n} finite opinions, found {initial!r}")
    A = (1.0 - s)[:, np.newaxis] * W
    anchor = s * x0
    states = np.empty((steps + 1, n))
    states[0] = x0
    for t in range(steps):
        states[t + 1] = A @ states[t] + anchor
    limit = None
    if np.max(np.abs(np.linalg.eigvals(A))) < 1 - 1e-12:
        limit = np.linalg.solve(np.eye(n) - A, anchor)
    return OpinionTrajectory("friedkin_johnsen", np.arange(steps + 1, dtype=float), states,
                             limit, {"influence": W, "stubbornness": s, "initial": x0,
                                     "steps": steps})
