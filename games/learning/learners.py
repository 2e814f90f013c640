"""The learners of :mod:`games.learning`: small frozen objects that describe a learning rule.

Each learner is encoded for the compiled kernel as one integer kind code and a float
parameter vector (:meth:`Learner.encode`), so one kernel can mix learners in one session;
its state lives in a float block of :meth:`Learner.state_size` numbers per agent.

References
----------
Watkins, C. J. C. H. & Dayan, P. (1992). Q-learning. *Machine Learning* 8, 279-292.
Calvano, E., Calzolari, G., Denicolo, V. & Pastorello, S. (2020). Artificial intelligence,
algorithmic pricing, and collusion. *American Economic Review* 110, 3267-3297.
Brown, G. W. (1951). Iterative solution of games by fictitious play. Robinson, J. (1951).
An iterative method of solving a game. *Annals of Mathematics* 54, 296-301.
Fudenberg, D. & Kreps, D. (1993). Learning mixed equilibria (smooth fictitious play).
Hart, S. & Mas-Colell, A. (2000). A simple adaptive procedure leading to correlated
equilibrium. *Econometrica* 68, 1127-1150.
Freund, Y. & Schapire, R. E. (1997). A decision-theoretic generalization of on-line
learning (Hedge). Auer, P., Cesa-Bianchi, N., Freund, Y. & Schapire, R. E. (2002). The
nonstochastic multiarmed bandit problem (Exp3). *SIAM J. Computing* 32, 48-77.
Börgers, T. & Sarin, R. (1997). Learning through reinforcement and replicator dynamics.
*Journal of Economic Theory* 77, 1-14.
Szabó, G. & Tőke, C. (1998). Evolutionary prisoner's dilemma game on a square lattice
(the Fermi pairwise-comparison rule). *Physical Review E* 58, 69-73.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from typing import Any, ClassVar

import numpy as np

from games.errors import InvalidArgumentError

__all__ = ["Learner", "QLearning", "FictitiousPlay", "RegretMatching", "Hedge", "Exp3",
           "CrossLearning", "Imitation", "N_PARAMETERS", "KIND_Q", "KIND_FICTITIOUS",
           "KIND_REGRET", "KIND_HEDGE", "KIND_EXP3", "KIND_CROSS", "KIND_IMITATION"]

#: Length of every learner's parameter vector in the kernel.
N_PARAMETERS = 8

KIND_Q, KIND_FICTITIOUS, KIND_REGRET, KIND_HEDGE, KIND_EXP3, KIND_CROSS, KIND_IMITATION = \
    range(7)


def _number(value: Any, name: str, low: float | None = None, high: float | None = None, *,
            low_open: bool = False, high_open: bool = False) -> float:
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, float, np.integer,
                                                                     np.floating)):
        raise InvalidArgumentError(f"{name}: expected a number, found "
                                   f"{type(value).__name__} {value!r}")
    x = float(value)
    bad = not math.isfinite(x)
    if low is not None:
        bad = bad or (x <= low if low_open else x < low)
    if high is not None:
        bad = bad or (x >= high if high_open else x > high)
    if bad:
        lo = "" if low is None else ("(" if low_open else "[") + f"{low}"
        hi = "" if high is None else f"{high}" + (")" if high_open else "]")
        expected = f"a finite number in {lo or '(-inf'}, {hi or 'inf)'}"
        raise InvalidArgumentError(f"{name}: expected {expected}, found {value!r}")
    return x


@dataclass(frozen=True)
class Learner:
    """Base class: a learning rule for one agent (see the subclasses)."""

    kind: ClassVar[int] = -1

    def encode(self, n_actions: int, periods: int) -> np.ndarray:
        """The kernel's parameter vector (length :data:`N_PARAMETERS`) for an agent with
        ``n_actions`` actions in a run of ``periods`` periods."""
        raise NotImplementedError

    def state_size(self, n_actions: int, n_states: int, all_actions: int) -> int:
        """Floats of learner state per agent (``all_actions``: sum of every player's
        action count)."""
        raise NotImplementedError

    def to_dict(self) -> dict[str, Any]:
        """JSON-able form: the learner's name and parameters."""
        return {"learner": type(self).__name__, **asdict(self)}


@dataclass(frozen=True)
class QLearning(Learner):
    r"""Tabular Q-learning (Watkins 1989) over the session's state (the last ``memory``
    joint actions, and the Markov state in a Markov game).

    Update :math:`Q(s, a) \leftarrow (1 - \alpha) Q(s, a) + \alpha (r + \delta \max_b
    Q(s', b))`. Exploration ``"epsilon-greedy"`` plays a uniformly random action with
    probability :math:`\varepsilon_t = \varepsilon_0 e^{-\beta t}` (Calvano et al. 2020),
    else the greedy one (the first maximum); ``"boltzmann"`` plays the logit choice with
    temperature :math:`\tau_t = \tau_0 e^{-\beta t}`.

    Parameters
    ----------
    alpha : float
        Learning rate in (0, 1].
    discount : float
        Discount factor in [0, 1).
    exploration : {"epsilon-greedy", "boltzmann"}
    beta : float
        Decay rate (>= 0) of epsilon or of the temperature, per period.
    epsilon : float
        Initial exploration probability in [0, 1].
    temperature : float
        Initial Boltzmann temperature (> 0).
    initial : {"zeros", "uniform"} or float
        Initial Q-values: zeros, Calvano et al.'s eq. (8) (the payoff of each action
        against uniformly random opponents, divided by ``1 - discount``), or a constant.
    """

    alpha: float = 0.15
    discount: float = 0.95
    exploration: str = "epsilon-greedy"
    beta: float = 4e-6
    epsilon: float = 1.0
    temperature: float = 1.0
    initial: Any = "zeros"
    kind: ClassVar[int] = KIND_Q

    def __post_init__(self) -> None:
        _number(self.alpha, "alpha", 0.0, 1.0, low_open=True)
        _number(self.discount, "discount", 0.0, 1.0, high_open=True)
        if self.exploration not in ("epsilon-greedy", "boltzmann"):
            raise InvalidArgumentError(f"exploration: expected 'epsilon-greedy' or "
                                       f"'boltzmann', found {self.exploration!r}")
        _number(self.beta, "beta", 0.0)
        _number(self.epsilon, "epsilon", 0.0, 1.0)
        _number(self.temperature, "temperature", 0.0, low_open=True)
        if not (self.initial in ("zeros", "uniform") if isinstance(self.initial, str)
                else True):
            raise InvalidArgumentError(f"initial: expected 'zeros', 'uniform' or a number, "
                                       f"found {self.initial!r}")
        if not isinstance(self.initial, str):
            _number(self.initial, "initial")

    def encode(self, n_actions: int, periods: int) -> np.ndarray:
        v = np.zeros(N_PARAMETERS)
        v[:6] = [self.alpha, self.discount, float(self.exploration == "boltzmann"),
                 self.epsilon, self.beta, self.temperature]
        return v

    def state_size(self, n_actions: int, n_states: int, all_actions: int) -> int:
        return n_states * n_actions


@dataclass(frozen=True)
class FictitiousPlay(Learner):
    r"""Fictitious play (Brown 1951): a best response to the empirical frequencies of each
    opponent's actions (product beliefs), myopic to the current stage game.

    With ``smoothing`` (a temperature > 0) it is smooth fictitious play: the logit
    response :math:`p(a) \propto \exp(u(a) / \text{smoothing})`. Plain play breaks ties
    by the first best action; the first period (no observations yet) is uniformly random.
    """

    smoothing: float | None = None
    kind: ClassVar[int] = KIND_FICTITIOUS

    def __post_init__(self) -> None:
        if self.smoothing is not None:
            _number(self.smoothing, "smoothing", 0.0, low_open=True)

    def encode(self, n_actions: int, periods: int) -> np.ndarray:
        v = np.zeros(N_PARAMETERS)
        v[0] = float(self.smoothing is not None)
        v[1] = 1.0 if self.smoothing is None else self.smoothing
        return v

    def state_size(self, n_actions: int, n_states: int, all_actions: int) -> int:
        return all_actions


@dataclass(frozen=True)
class RegretMatching(Learner):
    r"""Regret matching (Hart & Mas-Colell 2000), full-information.

    Unconditional: play each action with probability proportional to its positive
    cumulative regret (uniform when none is positive); the empirical joint distribution
    approaches the coarse correlated equilibria at rate :math:`O(T^{-1/2})`.
    Conditional: switch from the last action j to k with probability
    :math:`R(j \to k)^+ / (\mu t)`; the empirical distribution approaches the correlated
    equilibria. ``inertia`` is :math:`\mu` (default ``2 * payoff range * actions``).
    """

    conditional: bool = False
    inertia: float | None = None
    kind: ClassVar[int] = KIND_REGRET

    def __post_init__(self) -> None:
        if not isinstance(self.conditional, (bool, np.bool_)):
            raise InvalidArgumentError(f"conditional: expected True or False, found "
                                       f"{self.conditional!r}")
        if self.inertia is not None:
            _number(self.inertia, "inertia", 0.0, low_open=True)

    def encode(self, n_actions: int, periods: int) -> np.ndarray:
        v = np.zeros(N_PARAMETERS)
        v[0] = float(self.conditional)
        v[1] = 0.0 if self.inertia is None else self.inertia   # 0: engine sets the default
        return v

    def state_size(self, n_actions: int, n_states: int, all_actions: int) -> int:
        return n_actions * n_actions if self.conditional else n_actions


@dataclass(frozen=True)
class Hedge(Learner):
    r"""Hedge (multiplicative weights, Freund & Schapire 1997), full information.

    Plays :math:`p(a) \propto \exp(\eta \sum_s \tilde u(a, a^s_{-i}))` with payoffs
    rescaled to [0, 1] by the player's payoff range; default learning rate
    :math:`\eta = \sqrt{8 \ln a / T}` for a run of T periods (regret
    :math:`\le \sqrt{T \ln a / 2}`).
    """

    learning_rate: float | None = None
    kind: ClassVar[int] = KIND_HEDGE

    def __post_init__(self) -> None:
        if self.learning_rate is not None:
            _number(self.learning_rate, "learning_rate", 0.0, low_open=True)

    def encode(self, n_actions: int, periods: int) -> np.ndarray:
        v = np.zeros(N_PARAMETERS)
        v[0] = (math.sqrt(8.0 * math.log(max(n_actions, 2)) / periods)
                if self.learning_rate is None else self.learning_rate)
        return v

    def state_size(self, n_actions: int, n_states: int, all_actions: int) -> int:
        return n_actions


@dataclass(frozen=True)
class Exp3(Learner):
    r"""Exp3 (Auer et al. 2002) for bandit feedback: only the realised payoff is seen.

    Plays :math:`p = (1 - \gamma) w / \sum w + \gamma / K`; after playing a with payoff
    x (rescaled to [0, 1]) it multiplies :math:`w_a` by :math:`\exp(\eta x / p_a)`.
    Defaults: :math:`\gamma = \min(1, \sqrt{K \ln K / ((e - 1) T)})` and
    :math:`\eta = \gamma / K`.
    """

    learning_rate: float | None = None
    exploration: float | None = None
    kind: ClassVar[int] = KIND_EXP3

    def __post_init__(self) -> None:
        if self.learning_rate is not None:
            _number(self.learning_rate, "learning_rate", 0.0, low_open=True)
        if self.exploration is not None:
            _number(self.exploration, "exploration", 0.0, 1.0, low_open=True)

    def encode(self, n_actions: int, periods: int) -> np.ndarray:
        k = max(n_actions, 2)
        gamma = (min(1.0, math.sqrt(k * math.log(k) / ((math.e - 1.0) * periods)))
                 if self.exploration is None else self.exploration)
        eta = gamma / k if self.learning_rate is None else self.learning_rate
        v = np.zeros(N_PARAMETERS)
        v[:2] = [eta, gamma]
        return v

    def state_size(self, n_actions: int, n_states: int, all_actions: int) -> int:
        return n_actions


@dataclass(frozen=True)
class CrossLearning(Learner):
    r"""Cross learning (Cross 1973; Börgers & Sarin 1997): after playing a with payoff r
    rescaled to [0, 1] by the player's payoff range, :math:`x \leftarrow x + \lambda r
    (e_a - x)`. Its expected motion is the replicator dynamics with time step
    :math:`\lambda` (in rescaled payoffs).

    Parameters
    ----------
    step : float
        :math:`\lambda` in (0, 1].
    initial : sequence of float, optional
        Initial mixed strategy (default uniform; ``simulate(initial=...)`` overrides).
    """

    step: float = 0.01
    initial: tuple[float, ...] | None = None
    kind: ClassVar[int] = KIND_CROSS

    def __post_init__(self) -> None:
        _number(self.step, "step", 0.0, 1.0, low_open=True)
        if self.initial is not None:
            x = np.asarray(self.initial, dtype=float)
            if x.ndim != 1 or not np.all(np.isfinite(x)) or x.min() < 0 \
                    or abs(x.sum() - 1) > 1e-9:
                raise InvalidArgumentError(f"initial: expected a probability vector, found "
                                           f"{self.initial!r}")
            object.__setattr__(self, "initial", tuple(float(p) for p in x))

    def encode(self, n_actions: int, periods: int) -> np.ndarray:
        v = np.zeros(N_PARAMETERS)
        v[0] = self.step
        return v

    def state_size(self, n_actions: int, n_states: int, all_actions: int) -> int:
        return n_actions


@dataclass(frozen=True)
class Imitation(Learner):
    r"""Pairwise-comparison imitation in a population (the Fermi rule, Szabó & Tőke 1998).

    Each period the agent picks another agent j uniformly at random and copies j's last
    action with probability :math:`1 / (1 + \exp(-s (\pi_j - \pi_i)))` (``s`` the
    ``intensity``, :math:`\pi` last period's payoffs), else repeats its own; then with
    probability ``mutation`` it plays a uniformly random action. Needs a symmetric game.
    """

    intensity: float = 1.0
    mutation: float = 0.0
    kind: ClassVar[int] = KIND_IMITATION

    def __post_init__(self) -> None:
        _number(self.intensity, "intensity", 0.0)
        _number(self.mutation, "mutation", 0.0, 1.0)

    def encode(self, n_actions: int, periods: int) -> np.ndarray:
        v = np.zeros(N_PARAMETERS)
        v[:2] = [self.intensity, self.mutation]
        return v

    def state_size(self, n_actions: int, n_states: int, all_actions: int) -> int:
        return 0
