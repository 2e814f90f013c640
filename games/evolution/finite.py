"""Finite well-mixed populations: fixation probabilities, stationary distributions and the
gradient of selection under pairwise-comparison (Fermi) imitation and the Moran process.

Every probability is computed in log space, so that fixation probabilities far below the
smallest float (strong selection, large populations) are not truncated to zero.

References
----------
Nowak, Sasaki, Taylor & Fudenberg (2004). Emergence of cooperation and evolutionary
stability in finite populations. Nature 428, 646-650.
Traulsen, Nowak & Pacheco (2006). Stochastic dynamics of invasion and fixation. Physical
Review E 74, 011909.
Fudenberg & Imhof (2006). Imitation processes with small mutations. Journal of Economic
Theory 131, 251-262.
Gokhale & Traulsen (2010). Evolutionary games in the multiverse. PNAS 107, 5500-5504.

The simulations run in compiled kernels (:mod:`games.evolution._finite_kernels`).
"""

from __future__ import annotations

import html
import math
import warnings
from dataclasses import dataclass
from fractions import Fraction
from itertools import combinations
from typing import Any

import numpy as np

from games.arguments import (
    check_choice,
    check_flag,
    check_integer,
    check_probability,
    check_real,
    check_seed,
)
from games.errors import InvalidArgumentError, InvalidGameError, SolverError
from games.evolution._finite_kernels import moran_kernel, simulate_runs
from games.model import Game
from games.palette import colour
from games.tolerance import payoff_range

__all__ = [
    "PopulationGame", "population_game", "fixation_probabilities",
    "log_fixation_probabilities", "stationary_distribution", "population_stationary_distribution",
    "gradient_of_selection", "simulate_fixation", "FixationEstimate", "RULES",
]

#: Update rules: Fermi imitation, and the Moran process with fitness 1 - w + w * payoff.
RULES = ("pairwise-comparison", "moran")

#: Largest number of population states for the full stationary distribution.
MAX_STATES = 2_000_000

#: Payoffs of a float game count as symmetric when they differ by at most this fraction
#: of the payoff range.
SYMMETRY_TOLERANCE = 1e-12

#: :func:`moran_process` first records up to TRAJECTORY_START * N^2 steps (N individuals)
#: and, when the run is longer, replays it from its seed with TRAJECTORY_GROWTH times the
#: room (never more than ``max_steps``).
TRAJECTORY_START = 16
TRAJECTORY_GROWTH = 4


@dataclass(frozen=True)
class PopulationGame:
    """A symmetric game as an evolving population sees it.

    ``payoff(s, j, r, m)`` is the payoff of strategy ``s`` in a group whose other
    ``group_size - 1`` members are ``j`` players of strategy ``m`` and the rest of ``r``.

    Attributes
    ----------
    matrix : ndarray or None
        For a two-player game, ``matrix[i, j]`` is the payoff of ``i`` against ``j``.
    group_payoffs : ndarray or None
        For an n-player game, ``group_payoffs[s, r, m, j]`` as above (float64).
    group_size : int
    strategies : tuple of str
    exact_matrix : ndarray or None
        The matrix as Fractions when the game is exact.
    """

    matrix: np.ndarray | None
    group_payoffs: np.ndarray | None
    group_size: int
    strategies: tuple[str, ...]
    exact_matrix: np.ndarray | None = None

    @property
    def n_strategies(self) -> int:
        return len(self.strategies)


def population_game(game: Any) -> PopulationGame:
    """Accept a symmetric two-player or n-player :class:`~games.Game`, or a square payoff
    matrix, and check that it is symmetric.

    Raises
    ------
    InvalidGameError
        When the game is not symmetric or the matrix not square.
    """
    if isinstance(game, PopulationGame):
        return game
    if not isinstance(game, Game):
        arr = np.asarray(game)
        if arr.ndim != 2 or arr.shape[0] != arr.shape[1] or arr.shape[0] < 1:
            raise InvalidGameError(
                f"game: expected a symmetric Game or a square payoff matrix, found an array "
                f"of shape {arr.shape}")
        game = Game(np.stack([arr, arr.T]))
    n = game.n_players
    if n < 2:
        raise InvalidGameError(f"game: expected at least 2 players, found {n}")
    if len(set(game.shape)) != 1:
        raise InvalidGameError(
            f"game: expected a symmetric game (every player with the same actions), found "
            f"shape {game.shape}")
    u = game.float_payoffs
    exact_u = game.payoffs
    span = payoff_range(u)
    for i in range(n - 1):
        swap = list(range(n))
        swap[i], swap[i + 1] = swap[i + 1], swap[i]
        for k in range(n):
            partner = {i: i + 1, i + 1: i}.get(k, k)
            if not _same(np.transpose(exact_u[k], swap), exact_u[partner], game.exact,
                         span):
                raise InvalidGameError(
                    f"game: expected a symmetric game, but swapping players {i} and {i + 1} "
                    f"changes player {k}'s payoffs")
    strategies = game.actions[0]
    if n == 2:
        exact_matrix = game.payoffs[0] if game.exact else None
        return PopulationGame(matrix=np.array(u[0]), group_payoffs=None, group_size=2,
                              strategies=strategies, exact_matrix=exact_matrix)
    s = game.shape[0]
    group = np.empty((s, s, s, n), dtype=np.float64)
    for own in range(s):
        for r in range(s):
            for m in range(s):
                for j in range(n):
                    others = [m] * j + [r] * (n - 1 - j)
                    group[own, r, m, j] = u[(0, own, *others)]
    return PopulationGame(matrix=None, group_payoffs=group, group_size=n, strategies=strategies)


def _same(a: np.ndarray, b: np.ndarray, exact: bool, span: float) -> bool:
    """Equal payoff arrays: exactly, or within SYMMETRY_TOLERANCE of the payoff range."""
    if exact:
        return bool(np.array_equal(a, b))
    return bool(np.allclose(a, b, rtol=0, atol=SYMMETRY_TOLERANCE * span))


def _check(population_size: Any, intensity: Any, rule: str) -> tuple[int, float]:
    z = check_integer(population_size, "population_size", minimum=2)
    beta = float(check_real(intensity, "intensity", low=0))
    check_choice(rule, "rule", RULES)
    if rule == "moran" and beta > 1:
        raise InvalidArgumentError(
            f"intensity: the Moran rule's fitness 1 - w + w * payoff needs 0 <= w <= 1, "
            f"found {intensity!r}")
    return z, beta


def _check_pair(pop: PopulationGame, resident: Any, mutant: Any) -> None:
    """``resident`` and ``mutant`` are strategy indices of the population game."""
    for name, k in (("resident", resident), ("mutant", mutant)):
        check_integer(k, name, minimum=0, maximum=pop.n_strategies - 1)


def _fitness_pairs(pop: PopulationGame, z: int) -> tuple[np.ndarray, np.ndarray]:
    """Payoffs of mutant and resident with k = 1..Z-1 mutants, for every (resident r,
    mutant m): arrays of shape (S, S, Z-1). Without self-interaction; groups are drawn
    without replacement (hypergeometric) from the other Z - 1 individuals."""
    k = np.arange(1, z, dtype=np.float64)
    if pop.matrix is not None:
        a = pop.matrix
        same = np.diag(a)
        # f_m(k) = ((k-1) a_mm + (Z-k) a_mr) / (Z-1);  f_r(k) = (k a_rm + (Z-k-1) a_rr) / (Z-1)
        mutant = ((k - 1) * same[None, :, None] + (z - k) * a.T[:, :, None]) / (z - 1)
        resident = (k * a[:, :, None] + (z - k - 1) * same[:, None, None]) / (z - 1)
        return mutant, resident
    n = pop.group_size
    g = pop.group_payoffs
    s = pop.n_strategies
    j = np.arange(n)
    # P(j mutants among the n-1 others | k-1 (mutant's view) or k (resident's view) mutants
    # among the Z-1 others): hypergeometric, from log-binomials.
    mutant_weights = _hypergeometric(z - 1, k - 1, n - 1, j)
    resident_weights = _hypergeometric(z - 1, k, n - 1, j)
    idx = np.arange(s)
    mutant_payoff = g[idx[None, :], idx[:, None], idx[None, :], :]    # (r, m, j): own = m
    resident_payoff = g[idx[:, None], idx[:, None], idx[None, :], :]  # (r, m, j): own = r
    mutant = mutant_payoff @ mutant_weights.T
    resident = resident_payoff @ resident_weights.T
    return mutant, resident


def _hypergeometric(total: int, successes: np.ndarray, draws: int, j: np.ndarray) -> np.ndarray:
    """P(j successes in ``draws`` draws without replacement), shape (len(successes), len(j))."""
    K = successes[:, None]
    jj = j[None, :].astype(np.float64)

    def log_choose(a: np.ndarray, b: np.ndarray) -> np.ndarray:
        from scipy.special import gammaln  # heavy: imported on call
        valid = (b >= 0) & (b <= a)
        out = np.full(np.broadcast(a, b).shape, -np.inf)
        a_b, b_b = np.broadcast_arrays(a, b)
        a_v, b_v = a_b[valid], b_b[valid]
        out[valid] = gammaln(a_v + 1) - gammaln(b_v + 1) - gammaln(a_v - b_v + 1)
        return out

    log_p = log_choose(K, jj) + log_choose(total - K, draws - jj) - log_choose(
        np.asarray(float(total)), np.asarray(float(draws)))
    return np.exp(log_p)


def _log_ratios(pop: PopulationGame, z: int, beta: float, rule: str) -> np.ndarray:
    """log(T^-(k) / T^+(k)) for k = 1..Z-1 and every (resident, mutant): (S, S, Z-1)."""
    mutant, resident = _fitness_pairs(pop, z)
    if rule == "pairwise-comparison":
        return -beta * (mutant - resident)
    fit_m = 1 - beta + beta * mutant
    fit_r = 1 - beta + beta * resident
    if (fit_m <= 0).any() or (fit_r <= 0).any():
        raise InvalidArgumentError(
            f"intensity: the Moran fitness 1 - w + w * payoff must stay positive, found "
            f"{min(fit_m.min(), fit_r.min()):.3g} with w = {beta}: lower w or shift the payoffs")
    return np.log(fit_r) - np.log(fit_m)


def log_fixation_probabilities(game: Any, population_size: int, intensity: float,
                               rule: str = "pairwise-comparison") -> np.ndarray:
    r"""Natural logarithms of :func:`fixation_probabilities` (never truncated).

    :math:`\log\rho = -\log\left(1 + \sum_{i=1}^{Z-1}\exp\sum_{j=1}^{i}
    \log\frac{T^-(j)}{T^+(j)}\right)`, evaluated with a log-sum-exp.
    """
    pop = population_game(game)
    from scipy.special import logsumexp  # heavy: imported on call
    z, beta = _check(population_size, intensity, rule)
    log_ratio = _log_ratios(pop, z, beta, rule)
    partial = np.cumsum(log_ratio, axis=2)
    stacked = np.concatenate([np.zeros(partial.shape[:2] + (1,)), partial], axis=2)
    out = -logsumexp(stacked, axis=2)
    np.fill_diagonal(out, -math.log(z))
    return out


def fixation_probabilities(game: Any, population_size: int, intensity: float,
                           rule: str = "pairwise-comparison", exact: bool = False) -> np.ndarray:
    r"""Fixation probabilities of a single mutant, for every resident and mutant strategy.

    ``F[r, m]`` is the probability that one mutant of strategy ``m`` takes over a
    population of ``Z - 1`` residents of strategy ``r`` (``F[r, r] = 1/Z``, the neutral
    value). With ``k`` mutants, payoffs exclude self-interaction,
    :math:`f_m(k) = ((k-1) a_{mm} + (Z-k) a_{mr}) / (Z-1)` and
    :math:`f_r(k) = (k a_{rm} + (Z-k-1) a_{rr}) / (Z-1)` (n-player games: groups drawn
    hypergeometrically), and

    .. math:: \rho = \Big(1 + \sum_{i=1}^{Z-1} \prod_{j=1}^{i} T^-(j)/T^+(j)\Big)^{-1}

    with :math:`T^-/T^+ = e^{-\beta (f_m - f_r)}` for pairwise comparison (Fermi
    imitation) and :math:`\phi_r/\phi_m`, :math:`\phi = 1 - w + w f`, for the Moran
    process (``intensity`` is w).

    Parameters
    ----------
    game : Game or array_like
        A symmetric two-player (or n-player) game, or a square payoff matrix.
    population_size : int
        Z >= 2.
    intensity : float
        Selection intensity beta (Moran: w in [0, 1]).
    rule : {"pairwise-comparison", "moran"}
    exact : bool
        Moran rule on an exact two-player game with a rational w: exact Fractions.

    Returns
    -------
    ndarray, shape (S, S)
        Computed in log space: values below the smallest float are 0 only when they are
        below 1e-308; :func:`log_fixation_probabilities` keeps them.

    Examples
    --------
    >>> import numpy as np
    >>> F = fixation_probabilities(np.zeros((2, 2)), 50, 1.0)   # neutral: 1/Z
    >>> bool(np.allclose(F, 1 / 50))
    True
    """
    if check_flag(exact, "exact"):
        return _exact_moran_fixation(game, population_size, intensity, rule)
    return np.exp(log_fixation_probabilities(game, population_size, intensity, rule))


def _exact_moran_fixation(game: Any, population_size: int, intensity: Any, rule: str) -> np.ndarray:
    pop = population_game(game)
    z, _ = _check(population_size, intensity, rule)
    if rule != "moran" or pop.exact_matrix is None:
        raise InvalidArgumentError(
            "exact: exact fixation probabilities need rule='moran' and an exact two-player game")
    if isinstance(intensity, (float, np.floating)):
        raise InvalidArgumentError(f"intensity: expected an exact number (int or Fraction) with "
                                   f"exact=True, found the float {intensity!r}")
    w = Fraction(intensity)
    a = pop.exact_matrix
    s = pop.n_strategies
    out = np.empty((s, s), dtype=object)
    for r in range(s):
        for m in range(s):
            if r == m:
                out[r, m] = Fraction(1, z)
                continue
            total, product = Fraction(1), Fraction(1)
            for k in range(1, z):
                f_m = ((k - 1) * a[m, m] + (z - k) * a[m, r]) / (z - 1)
                f_r = (k * a[r, m] + (z - k - 1) * a[r, r]) / (z - 1)
                phi_m, phi_r = 1 - w + w * f_m, 1 - w + w * f_r
                if phi_m <= 0 or phi_r <= 0:
                    raise InvalidArgumentError(
                        "intensity: the Moran fitness 1 - w + w * payoff must stay positive")
                product *= phi_r / phi_m
                total += product
            out[r, m] = 1 / total
    return out


def _log_gth(log_p: np.ndarray) -> np.ndarray:
    """Log of the stationary distribution of an irreducible Markov chain whose transition
    probabilities are given as logarithms (diagonal ignored): the Grassmann-Taksar-Heyman
    elimination, which only adds, multiplies and divides non-negative numbers, carried out
    in log space (Grassmann, Taksar & Heyman 1985).

    Every fixation probability is positive for a finite intensity of selection, so the
    chain is irreducible; a transition of log-probability -inf (or NaN) comes from an
    overflow.

    Raises
    ------
    SolverError
        When the chain is numerically reducible.
    """
    p = np.array(log_p, dtype=np.float64)
    from scipy.special import logsumexp  # heavy: imported on call
    s = p.shape[0]
    for n in range(s - 1, 0, -1):
        total = logsumexp(p[n, :n])
        if not total > -np.inf:
            raise SolverError(
                f"stationary_distribution: the chain between monomorphic states is "
                f"numerically reducible (every fixation probability out of state {n} "
                f"overflowed to 0 or NaN), so it has no unique stationary distribution; "
                f"lower the intensity of selection or rescale the payoffs")
        p[:n, n] -= total
        p[:n, :n] = np.logaddexp(p[:n, :n], p[:n, n][:, None] + p[n, :n][None, :])
    log_pi = np.zeros(s)
    for j in range(1, s):
        log_pi[j] = logsumexp(log_pi[:j] + p[:j, j])
    return log_pi - logsumexp(log_pi)


def stationary_distribution(game: Any, population_size: int, intensity: float,
                            mutation: float | None = None,
                            rule: str = "pairwise-comparison") -> np.ndarray:
    r"""Long-run frequency of each strategy.

    ``mutation=None``: the small-mutation limit (Fudenberg & Imhof 2006): the population
    is almost always monomorphic, and a mutant of one of the other ``S - 1`` strategies,
    chosen uniformly, fixes with probability ``F[r, m]``; the result is the stationary
    distribution of that ``S``-state chain, computed in log space.

    ``mutation=mu``: the full chain over population compositions (two-player games): an
    individual chosen at random mutates with probability mu to one of the other
    strategies, else imitates a random other individual with the Fermi probability. The
    result is each strategy's expected frequency; see
    :func:`population_stationary_distribution` for the distribution over compositions.

    Returns
    -------
    ndarray, shape (S,)
    """
    pop = population_game(game)
    if mutation is None:
        s = pop.n_strategies
        if s == 1:
            return np.ones(1)
        log_f = log_fixation_probabilities(pop, population_size, intensity, rule)
        log_p = log_f - math.log(s - 1)
        return np.exp(_log_gth(log_p))
    states, probabilities = population_stationary_distribution(pop, population_size, intensity,
                                                               mutation)
    return probabilities @ states / population_size


def _compositions(z: int, s: int) -> np.ndarray:
    """Every composition of z individuals into s strategies, lexicographic: (M, s)."""
    count = math.comb(z + s - 1, s - 1)
    if count > MAX_STATES:
        raise InvalidArgumentError(
            f"population_size: {count} population states for Z={z} and {s} strategies, "
            f"expected at most {MAX_STATES}: use mutation=None (small-mutation limit)")
    bars = np.array(list(combinations(range(z + s - 1), s - 1)),
                    dtype=np.int64).reshape(count, s - 1)
    edges = np.hstack([np.full((count, 1), -1), bars, np.full((count, 1), z + s - 1)])
    return np.diff(edges, axis=1) - 1


def population_stationary_distribution(game: Any, population_size: int, intensity: float,
                                       mutation: float) -> tuple[np.ndarray, np.ndarray]:
    """Stationary distribution over population compositions with mutation rate ``mutation``
    (pairwise-comparison imitation; two-player games; sparse linear algebra).

    Returns
    -------
    states : ndarray, shape (M, S)
        Every composition (counts of each strategy).
    probabilities : ndarray, shape (M,)
    """
    pop = population_game(game)
    z, beta = _check(population_size, intensity, "pairwise-comparison")
    mu = float(check_probability(mutation, "mutation", low_open=True))
    if pop.matrix is None:
        raise InvalidGameError("game: the full stationary distribution needs a two-player game; "
                               "use mutation=None for n-player games")
    s = pop.n_strategies
    states = _compositions(z, s)
    m = len(states)
    if s == 1:
        return states, np.ones(1)
    a = pop.matrix
    # Payoff of each strategy at each state, without self-interaction.
    fitness = (states @ a.T - np.diag(a)[None, :]) / (z - 1)
    base = z + 1
    codes = states @ (base ** np.arange(s, dtype=np.int64))
    order = np.argsort(codes)
    rows, cols, values = [], [], []
    for i in range(s):
        for j in range(s):
            if i == j:
                continue
            has_i = states[:, i] > 0
            k_i, k_j = states[:, i], states[:, j]
            with np.errstate(over="ignore"):   # exp overflows to inf: imitation 0
                imitate = (k_i / z * k_j / (z - 1)
                           / (1 + np.exp(-beta * (fitness[:, j] - fitness[:, i]))))
            prob = (1 - mu) * imitate + mu * k_i / z / (s - 1)
            source = np.flatnonzero(has_i)
            target_codes = codes[source] - base**i + base**j
            target = order[np.searchsorted(codes, target_codes, sorter=order)]
            rows.append(source)
            cols.append(target)
            values.append(prob[source])
    rows = np.concatenate(rows)
    cols = np.concatenate(cols)
    values = np.concatenate(values)
    out_rate = np.bincount(rows, weights=values, minlength=m)
    # Stationary: pi Q = 0 for the generator Q = P - I; replace one equation by sum(pi) = 1.
    from scipy import sparse  # heavy: imported on call
    from scipy.sparse.linalg import spsolve
    q = sparse.coo_matrix((values, (cols, rows)), shape=(m, m)).tocsr() \
        - sparse.diags(out_rate)
    q = q.tolil()
    q[m - 1, :] = np.ones(m)
    rhs = np.zeros(m)
    rhs[-1] = 1.0
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")      # a singular matrix is reported below
        pi = spsolve(q.tocsc(), rhs)
    pi = np.clip(pi, 0.0, None)
    if not np.all(np.isfinite(pi)) or not pi.sum() > 0:
        raise SolverError(
            f"population_stationary_distribution: the {m}-state chain's stationary equations "
            f"are singular to float precision (mutation={mu!r}, intensity={beta!r}: "
            f"transition rates underflow); use a larger mutation rate, a smaller intensity, "
            f"or mutation=None (the small-mutation limit)")
    return states, pi / pi.sum()


def gradient_of_selection(game: Any, population_size: int, intensity: float,
                          resident: int = 0, mutant: int = 1,
                          rule: str = "pairwise-comparison") -> np.ndarray:
    r"""The gradient of selection :math:`G(k) = T^+(k) - T^-(k)` for ``k = 0..Z`` mutants
    of strategy ``mutant`` among residents of ``resident`` (positive: selection favours the
    mutant at that composition; Traulsen, Nowak & Pacheco 2006)."""
    pop = population_game(game)
    z, beta = _check(population_size, intensity, rule)
    _check_pair(pop, resident, mutant)
    mutant_payoff, resident_payoff = (x[resident, mutant] for x in _fitness_pairs(pop, z))
    k = np.arange(1, z, dtype=np.float64)
    encounter = k / z * (z - k) / z
    if rule == "pairwise-comparison":
        up = encounter / (1 + np.exp(-beta * (mutant_payoff - resident_payoff)))
        down = encounter / (1 + np.exp(beta * (mutant_payoff - resident_payoff)))
    else:
        fit_m = 1 - beta + beta * mutant_payoff
        fit_r = 1 - beta + beta * resident_payoff
        mean = (k * fit_m + (z - k) * fit_r) / z
        up = k * fit_m / (z * mean) * (z - k) / z
        down = (z - k) * fit_r / (z * mean) * k / z
    return np.concatenate([[0.0], up - down, [0.0]])


@dataclass(frozen=True)
class FixationEstimate:
    """A Monte-Carlo estimate of a fixation probability with a 95% Wilson interval.

    Attributes
    ----------
    fixations, runs : int
        Runs that ended in fixation of the mutant, and all runs.
    low, high : float
        The 95% Wilson score interval of the probability.
    """

    fixations: int
    runs: int
    low: float
    high: float

    @property
    def probability(self) -> float:
        return self.fixations / self.runs

    def __repr__(self) -> str:
        return (f"FixationEstimate({self.probability:.4g}, 95% CI [{self.low:.4g}, "
                f"{self.high:.4g}], {self.runs} runs)")

    def to_dict(self) -> dict[str, Any]:
        return {"fixations": self.fixations, "runs": self.runs,
                "probability": self.probability, "low": self.low, "high": self.high}

    def _repr_html_(self) -> str:
        return (f"<table><tr><th>fixations</th><th>runs</th><th>probability</th>"
                f"<th>95% interval</th></tr><tr><td>{self.fixations}</td><td>{self.runs}</td>"
                f"<td>{self.probability:.4g}</td><td>[{self.low:.4g}, {self.high:.4g}]</td>"
                f"</tr></table>")


def wilson_interval(successes: int, runs: int, z: float = 1.959963984540054) -> tuple[float, float]:
    """The Wilson score interval of a binomial proportion."""
    if runs == 0:
        return 0.0, 1.0
    p = successes / runs
    denominator = 1 + z * z / runs
    centre = (p + z * z / (2 * runs)) / denominator
    half = z * math.sqrt(p * (1 - p) / runs + z * z / (4 * runs * runs)) / denominator
    return max(0.0, centre - half), min(1.0, centre + half)


def simulate_fixation(game: Any, population_size: int, intensity: float, resident: int = 0,
                      mutant: int = 1, runs: int = 1000, seed: Any = None,
                      rule: str = "pairwise-comparison") -> FixationEstimate:
    """Estimate ``F[resident, mutant]`` by simulating the individual-level process from one
    mutant until fixation or extinction (a check of the analytical value; compiled loop).

    Each step draws a focal individual and, for pairwise comparison, a model among the
    other ``Z - 1`` individuals (the focal adopts the model's strategy with probability
    ``1 / (1 + exp(-beta (f_model - f_focal)))``); for the Moran rule one individual is
    chosen to reproduce in proportion to fitness and replaces a random other one.
    """
    pop = population_game(game)
    z, beta = _check(population_size, intensity, rule)
    _check_pair(pop, resident, mutant)
    check_integer(runs, "runs", minimum=1)
    mutant_payoff, resident_payoff = (x[resident, mutant] for x in _fitness_pairs(pop, z))
    rng = np.random.default_rng(check_seed(seed))
    fixations = simulate_runs(np.ascontiguousarray(mutant_payoff),
                              np.ascontiguousarray(resident_payoff), z, beta,
                              rule == "moran", int(runs), int(rng.integers(2**62)))
    low, high = wilson_interval(int(fixations), int(runs))
    return FixationEstimate(int(fixations), int(runs), low, high)


@dataclass(frozen=True, eq=False)
class MoranRun:
    """One run of a Moran process.

    Attributes
    ----------
    counts : ndarray, shape (steps + 1, S)
        How many individuals use each strategy after each step.
    winner : int or None
        The strategy that took over, None when ``max_steps`` ran out first.
    strategies : tuple of str
        The strategies' names.
    """

    counts: np.ndarray
    winner: int | None
    strategies: tuple[str, ...] = ()

    @property
    def steps(self) -> int:
        return len(self.counts) - 1

    @property
    def names(self) -> tuple[str, ...]:
        """The strategies' names (their indices when none were given)."""
        return self.strategies or tuple(str(k) for k in range(self.counts.shape[1]))

    def __repr__(self) -> str:
        winner = "none yet" if self.winner is None else repr(self.names[self.winner])
        return f"MoranRun({self.steps} steps, winner {winner})"

    def to_dict(self) -> dict[str, Any]:
        return {"strategies": list(self.names), "counts": self.counts.tolist(),
                "winner": self.winner, "steps": self.steps}

    def _repr_html_(self) -> str:
        rows = "".join(f"<tr><td>{html.escape(name)}</td><td>{int(self.counts[0, k])}</td>"
                       f"<td>{int(self.counts[-1, k])}</td></tr>"
                       for k, name in enumerate(self.names))
        return (f"<table><caption>{html.escape(repr(self))}</caption><tr><th>strategy</th>"
                f"<th>initial count</th><th>final count</th></tr>{rows}</table>")

    def plot(self, ax: Any = None) -> Any:
        """Each strategy's count against the step; returns the axes (one line per
        strategy, in the order of :attr:`strategies`)."""
        import matplotlib.pyplot as plt

        if ax is None:
            _, ax = plt.subplots()
        steps = np.arange(len(self.counts))
        for k, name in enumerate(self.names):
            ax.step(steps, self.counts[:, k], where="post", label=name, color=colour(k))
        ax.set_xlabel("step")
        ax.set_ylabel("individuals")
        winner = "no winner yet" if self.winner is None else f"{self.names[self.winner]} fixes"
        ax.set_title(f"Moran process: {winner} after {self.steps} steps")
        ax.legend(fontsize="small")
        return ax


def moran_process(game: Any, counts: Any, intensity: float = 1.0, seed: Any = None,
                  max_steps: int = 10**7) -> MoranRun:
    """Simulate a Moran process in a well-mixed population until one strategy remains.

    Each step, an individual is chosen to reproduce with probability proportional to its
    fitness ``1 - w + w * payoff`` (payoff: the mean over games against every other
    individual, no self-interaction) and its offspring replaces an individual chosen
    uniformly at random (Moran 1958; as in nashpy's ``moran_process``). Only the counts
    matter in a well-mixed population, so a step costs O(S), not O(N).

    Parameters
    ----------
    counts : sequence of int
        Initial number of individuals of each strategy (total N >= 2).
    intensity : float
        w in [0, 1] (1: fitness is the payoff itself, which must then be positive).
    """
    pop = population_game(game)
    if pop.matrix is None:
        raise InvalidGameError("game: the Moran process needs a two-player symmetric game")
    start = np.asarray(counts)
    if start.shape != (pop.n_strategies,) or start.dtype.kind not in "iu" or (start < 0).any():
        raise InvalidArgumentError(f"counts: expected {pop.n_strategies} non-negative "
                                   f"integers, found {counts!r}")
    if start.sum() < 2:
        raise InvalidArgumentError(
            f"counts: expected a population of at least 2, found {int(start.sum())}")
    w = float(check_probability(intensity, "intensity"))
    if 1 - w + w * float(pop.matrix.min()) < 0:
        raise InvalidArgumentError("intensity: fitness 1 - w + w * payoff must not be negative; "
                                   "lower w or shift the payoffs")
    check_integer(max_steps, "max_steps", minimum=1)
    kernel_seed = int(np.random.default_rng(check_seed(seed)).integers(2**62))
    a = np.ascontiguousarray(pop.matrix, dtype=np.float64)
    n = int(start.sum())
    capacity = min(int(max_steps), TRAJECTORY_START * n * n)
    while True:
        # The same seed replays the same run: grow the record until the run fits in it.
        trajectory = np.empty((capacity + 1, len(start)), dtype=np.int64)
        steps, winner = moran_kernel(a, start.astype(np.int64), w, int(max_steps), trajectory,
                                     kernel_seed)
        if steps <= capacity or capacity >= max_steps:
            break
        capacity = min(int(max_steps), TRAJECTORY_GROWTH * capacity)
    return MoranRun(counts=trajectory[:min(steps, capacity) + 1].copy(),
                    winner=None if winner < 0 else int(winner), strategies=pop.strategies)
