"""The five rules for the evolution of cooperation (Nowak 2006) as mechanisms: kin
selection, direct reciprocity, indirect reciprocity (reputation), network reciprocity and
group selection.

Each maps a symmetric two-player stage game to the game that selection effectively acts
on, whose equilibria and stability say whether cooperation is favoured. On the donation
game (``games.catalog.prisoners_dilemma(b=..., c=...)``) the conditions are kin r > c/b,
direct w > c/b, indirect q > c/b, network b/c > k and group b/c > 1 + n/m.

References
----------
Nowak (2006). Five rules for the evolution of cooperation. Science 314, 1560-1563.
Hamilton (1964); Axelrod & Hamilton (1981); Nowak & Sigmund (1998); Ohtsuki & Nowak
(2006), The replicator equation on graphs, J. Theor. Biol. 243, 86-97; Traulsen & Nowak
(2006), PNAS 103, 10952-10955.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import TYPE_CHECKING, Any, ClassVar

import numpy as np

from games import Game, InvalidArgumentError, InvalidGameError
from games.evolution import relatedness_weighted
from games.palette import colour
from games.repeated import expected_payoffs
from games.repeated import strategies as catalogue
from mechanisms._reciprocity_kernels import reputation_kernel
from mechanisms.base import (
    FigurePath,
    Mechanism,
    check_flag,
    check_name,
    check_number,
    exact_number,
    freeze_yardstick,
    jsonable,
)
from pareto.plot import save_figure

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = ["Kinship", "Repetition", "Reputation", "Network", "Groups", "NORMS",
           "network_matrix", "group_matrix",
           "simulate_reputation", "ReputationOutcome"]


def _symmetric_pair(game: Game, what: str) -> None:
    if game.n_players != 2 or game.shape[0] != game.shape[1] \
            or not np.array_equal(game.payoffs[1], game.payoffs[0].T):
        raise InvalidGameError(f"game: {what} needs a symmetric two-player game, found "
                               f"{game.n_players} players with shape {game.shape}")


@dataclass(frozen=True, repr=False)
class Kinship(Mechanism):
    r"""Kin selection: each agent values the others' payoffs with relatedness r,
    :math:`u_i \to u_i + r \sum_{j \ne i} u_j` (Hamilton 1964). On the donation game
    cooperation becomes dominant exactly when :math:`r > c/b`."""

    relatedness: Any

    name: ClassVar[str] = "kin selection"
    reference: ClassVar[str] = "Hamilton (1964); Nowak (2006)"

    def __post_init__(self) -> None:
        object.__setattr__(self, "relatedness", check_number(self.relatedness, "relatedness", 0, 1))

    def transform(self, game: Game) -> tuple[np.ndarray, None]:
        return relatedness_weighted(game, self.relatedness).payoffs, None


def _meta_game(stage: Game, names: list[str], outcome_weights: Any, title: str) -> Game:
    """A symmetric meta-game whose entry (i, j) is the expectation of the stage game's
    payoffs and layers under the distribution ``outcome_weights(i, j)`` over stage
    outcomes (an array of the stage game's shape)."""
    k = len(names)
    exact = True
    weights = {}
    for i in range(k):
        for j in range(k):
            w = np.asarray(outcome_weights(i, j))
            exact = exact and w.dtype == object
            weights[i, j] = w

    def expect(values: np.ndarray) -> Any:
        v = values if exact else np.asarray(values, dtype=np.float64)
        return np.array([[(v * weights[i, j]).sum() for j in range(k)] for i in range(k)],
                        dtype=object if exact else np.float64)

    payoffs = np.stack([expect(stage.payoffs[0]), expect(stage.payoffs[1])])
    layers = {name: np.stack([expect(c) for c in values])
              for name, values in stage.explicit_layers.items()}
    criteria = {name: stage.criteria[name] for name in layers}
    return Game(payoffs, players=stage.players, actions=[names, names], layers=layers,
                criteria=criteria, title=title, exact=exact and stage.exact)


@dataclass(frozen=True, repr=False)
class Repetition(Mechanism):
    r"""Direct reciprocity: the stage game is repeated with continuation probability w
    and the agents choose among repeated-game ``strategies`` (default: tit-for-tat and
    always defect). The result is the symmetric meta-game whose entries are the
    normalised expected payoffs :math:`(1 - w) \sum_t w^t u_t` (per-round averages, so
    they compare with the stage game), with every layer averaged the same way. On the
    donation game, tit-for-tat against itself is an equilibrium iff :math:`w \ge c/b`."""

    continuation: Any
    strategies: tuple = field(default=None)  # type: ignore[assignment]
    noise: Any = 0

    name: ClassVar[str] = "direct reciprocity"
    reference: ClassVar[str] = "Axelrod & Hamilton (1981); Nowak (2006)"
    per_outcome: ClassVar[bool] = False
    changes: ClassVar[str] = "model: stage game -> repeated-game meta-game"

    def __post_init__(self) -> None:
        object.__setattr__(self, "continuation",
                           check_number(self.continuation, "continuation", 0, 1, high_open=True))
        object.__setattr__(self, "noise", check_number(self.noise, "noise", 0, Fraction(1, 2)))
        if self.strategies is None:
            object.__setattr__(self, "strategies", (catalogue.TitForTat(), catalogue.Defector()))
        elif isinstance(self.strategies, (str, bytes)) or not isinstance(self.strategies, Sequence):
            raise InvalidArgumentError(f"strategies: expected a sequence of repeated-game "
                                       f"strategies, found {self.strategies!r}")
        else:
            object.__setattr__(self, "strategies", tuple(self.strategies))
        if len(self.strategies) < 1:
            raise InvalidArgumentError("strategies: expected at least one repeated-game strategy, "
                                       "found none")

    def apply(self, game: Game) -> Game:
        if not isinstance(game, Game):
            raise InvalidGameError(f"game: expected a games.Game, found {type(game).__name__}")
        if game.n_players != 2:
            raise InvalidGameError(f"game: direct reciprocity needs a two-player stage game, "
                                   f"found {game.n_players} players")
        stage = freeze_yardstick(game)
        names = [getattr(s, "name", repr(s)) for s in self.strategies]
        if len(set(names)) != len(names):
            names = [f"{n} ({k + 1})" for k, n in enumerate(names)]
        w, noise = self.continuation, self.noise

        def value(s1: Any, s2: Any, values: np.ndarray, player: int) -> Any:
            scored = stage.replace(payoffs=np.stack([values, values]), layers={}, criteria={},
                                   exact=stage.exact and exact_number(w) and exact_number(noise))
            return expected_payoffs(s1, s2, scored, continuation=w, noise=noise)[player]

        k = len(self.strategies)
        pairs = [(i, j) for i in range(k) for j in range(k)]
        exact = stage.exact and exact_number(w) and exact_number(noise)
        dtype = object if exact else np.float64

        def table(values: np.ndarray, player: int) -> np.ndarray:
            out = np.empty((k, k), dtype=dtype)
            for i, j in pairs:
                out[i, j] = value(self.strategies[i], self.strategies[j], values, player)
            return out

        payoffs = np.stack([table(stage.payoffs[0], 0), table(stage.payoffs[1], 1)])
        layers = {name: np.stack([table(c, 0) for c in values])
                  for name, values in stage.explicit_layers.items()}
        criteria = {name: stage.criteria[name] for name in layers}
        return Game(payoffs, players=stage.players, actions=[names, names], layers=layers,
                    criteria=criteria, exact=exact,
                    title=f"{stage.title or 'game'} | {self!r}")

    def __repr__(self) -> str:
        names = ", ".join(getattr(s, "name", repr(s)) for s in self.strategies)
        noise = f", noise={self.noise}" if self.noise else ""
        return f"Repetition(continuation={self.continuation}, strategies=({names}){noise})"


#: Second-order assessment norms: the new reputation of a donor (1 good, 0 bad) after it
#: cooperated (row 0) or defected (row 1) with a recipient of bad (column 0) or good
#: (column 1) reputation.
NORMS = {
    "image-scoring": ((1, 1), (0, 0)),
    "standing": ((1, 1), (1, 0)),
    "stern-judging": ((0, 1), (1, 0)),
    "shunning": ((0, 1), (0, 0)),
}


@dataclass(frozen=True, repr=False)
class Reputation(Mechanism):
    r"""Indirect reciprocity: discriminators help those of good reputation and know a
    partner's reputation with probability q (``observability``); otherwise they help.

    ``apply`` gives the meta-game among discriminators, defectors (and, with
    ``cooperators=True``, unconditional cooperators) of a symmetric 2x2 stage game whose
    first action cooperates: discriminator vs defector earns :math:`q P + (1 - q) S`, the
    defector :math:`q P + (1 - q) T`. On the donation game discrimination is stable iff
    :math:`q > c/b` (Nowak & Sigmund 1998; Nowak 2006). Layers are averaged over the same
    outcome distributions. For norms other than image scoring, with errors, see
    :func:`simulate_reputation`.
    """

    observability: Any
    norm: str = "image-scoring"
    cooperators: bool = False

    name: ClassVar[str] = "indirect reciprocity"
    reference: ClassVar[str] = "Nowak & Sigmund (1998); Nowak (2006)"
    per_outcome: ClassVar[bool] = False
    changes: ClassVar[str] = "model: stage game -> reputation meta-game"

    def __post_init__(self) -> None:
        object.__setattr__(self, "observability",
                           check_number(self.observability, "observability", 0, 1))
        check_name(self.norm, "norm", tuple(NORMS))
        check_flag(self.cooperators, "cooperators")

    def apply(self, game: Game) -> Game:
        if not isinstance(game, Game):
            raise InvalidGameError(f"game: expected a games.Game, found {type(game).__name__}")
        _symmetric_pair(game, "indirect reciprocity")
        if game.shape != (2, 2):
            raise InvalidGameError(f"game: indirect reciprocity needs a 2x2 stage game "
                                   f"(cooperate, defect), found shape {game.shape}")
        stage = freeze_yardstick(game)
        exact = stage.exact and exact_number(self.observability)
        q = Fraction(self.observability) if exact else float(self.observability)
        one = Fraction(1) if exact else 1.0
        # Each strategy's action against a partner: "C", "D", or "q" (defect if known bad).
        kinds = (["Cooperator"] if self.cooperators else []) + ["Discriminator", "Defector"]

        def action_probability(me: str, partner: str) -> Any:
            """Probability that ``me`` cooperates with ``partner`` (defectors are known bad;
            cooperators and discriminators keep a good image in equilibrium)."""
            if me == "Cooperator":
                return one
            if me == "Defector":
                return 0 * one
            return one - q if partner == "Defector" else one

        def weights(i: int, j: int) -> np.ndarray:
            p1 = action_probability(kinds[i], kinds[j])
            p2 = action_probability(kinds[j], kinds[i])
            w = np.array([[p1 * p2, p1 * (1 - p2)], [(1 - p1) * p2, (1 - p1) * (1 - p2)]],
                         dtype=object if exact else np.float64)
            return w

        return _meta_game(stage, kinds, weights, f"{stage.title or 'game'} | {self!r}")


@dataclass(frozen=True, eq=False)
class ReputationOutcome:
    """What :func:`simulate_reputation` measured.

    Attributes
    ----------
    strategies : tuple of str
        ``("Cooperator", "Defector", "Discriminator")``.
    counts : tuple of int
        How many individuals play each strategy.
    mean_payoffs : ndarray
        Mean payoff per individual and round of each strategy.
    cooperation : float
        The share of rounds in which the donor helped.
    good_reputation : ndarray
        The share of each strategy's individuals in good standing at the end (NaN for a
        strategy nobody plays).
    """

    strategies: tuple[str, ...]
    counts: tuple[int, ...]
    mean_payoffs: np.ndarray
    cooperation: float
    good_reputation: np.ndarray

    def __repr__(self) -> str:
        pays = ", ".join(f"{s}: {p:.3f}" for s, p in zip(self.strategies, self.mean_payoffs))
        return f"ReputationOutcome(cooperation {self.cooperation:.3f}, payoffs {{{pays}}})"

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON data (a reputation share is None for a strategy nobody plays)."""
        return {"strategies": list(self.strategies), "counts": list(self.counts),
                "mean_payoffs": jsonable(self.mean_payoffs),
                "cooperation": float(self.cooperation),
                "good_reputation": jsonable(self.good_reputation)}

    def _repr_html_(self) -> str:
        rows = "".join(
            f"<tr><td>{html.escape(s)}</td><td>{n}</td><td>{p:.4g}</td><td>{g:.3g}</td></tr>"
            for s, n, p, g in zip(self.strategies, self.counts, self.mean_payoffs,
                                  self.good_reputation))
        return (f"<table><caption>{html.escape(repr(self))}</caption><tr><th>strategy</th>"
                f"<th>count</th><th>mean payoff</th><th>good reputation</th></tr>{rows}</table>")

    def plot(self, path: FigurePath = None) -> Figure:
        """Bars of each strategy's mean payoff and share of good reputations. Returns the
        matplotlib Figure (saved atomically when ``path`` is given)."""
        import matplotlib.pyplot as plt

        fig, (pay, rep) = plt.subplots(1, 2, figsize=(8, 3.2))
        x = np.arange(len(self.strategies))
        pay.bar(x, self.mean_payoffs, color=colour(0))
        pay.set_xticks(x, self.strategies)
        pay.set_xlabel("strategy")
        pay.set_ylabel("mean payoff per round")
        rep.bar(x, np.nan_to_num(self.good_reputation), color=colour(1))
        rep.set_xticks(x, self.strategies)
        rep.set_xlabel("strategy")
        rep.set_ylim(0, 1)
        rep.set_ylabel("share in good standing")
        fig.suptitle(f"Indirect reciprocity: cooperation {self.cooperation:.3f}", fontsize=9)
        fig.tight_layout()
        if path is not None:
            save_figure(fig, path)
        return fig


def simulate_reputation(benefit: float, cost: float, counts: tuple[int, int, int],
                        norm: str = "image-scoring", observability: float = 1.0,
                        execution_error: float = 0.0, assessment_error: float = 0.0,
                        rounds: int = 100_000, seed: Any = None) -> ReputationOutcome:
    """Simulate indirect reciprocity in a population of unconditional cooperators,
    defectors and discriminators (``counts`` in that order) with public reputations.

    Each round a random donor meets a random recipient; a discriminator helps a recipient
    of good reputation (and, when it does not observe the reputation, with probability
    ``1 - observability``, helps anyway). An intended help fails with probability
    ``execution_error``. Observers then assess the donor by ``norm`` (a second-order
    norm from :data:`NORMS`: image scoring, standing, stern judging, shunning), wrongly
    with probability ``assessment_error``. Helping costs the donor ``cost`` and gives the
    recipient ``benefit``.

    Returns
    -------
    ReputationOutcome
        Mean payoff per round of each strategy, the cooperation rate and the share of
        good reputations of each strategy.

    Raises
    ------
    InvalidArgumentError
        For a negative or non-numeric benefit or cost, counts that are not three
        non-negative integers totalling at least 2, probabilities outside [0, 1], an
        unknown norm, fewer than one round or a bad seed.
    """
    check_number(benefit, "benefit", 0)
    check_number(cost, "cost", 0)
    check_name(norm, "norm", tuple(NORMS))
    if isinstance(counts, (str, bytes)) or not isinstance(counts, Sequence) or len(counts) != 3 \
            or any(isinstance(c, (bool, np.bool_)) or not isinstance(c, (int, np.integer))
                   for c in counts) \
            or min(counts) < 0 or sum(counts) < 2:
        raise InvalidArgumentError(f"counts: expected 3 non-negative integer counts (cooperators, "
                                   f"defectors, discriminators) totalling at least 2, "
                                   f"found {counts!r}")
    counts = tuple(int(c) for c in counts)
    for name, p in (("observability", observability), ("execution_error", execution_error),
                    ("assessment_error", assessment_error)):
        check_number(p, name, 0, 1)
    if isinstance(rounds, (bool, np.bool_)) or not isinstance(rounds, (int, np.integer)) \
            or rounds < 1:
        raise InvalidArgumentError(f"rounds: expected an integer >= 1, found {rounds!r}")
    try:
        rng = np.random.default_rng(seed)
    except (TypeError, ValueError) as error:
        raise InvalidArgumentError(f"seed: expected None, an integer >= 0 or a numpy "
                                   f"Generator, found {seed!r} ({error})") from None
    strategy = np.repeat(np.arange(3), counts)
    table = np.array(NORMS[norm], dtype=np.int64)
    totals, helps, good = reputation_kernel(strategy, table, float(benefit), float(cost),
                                            float(observability), float(execution_error),
                                            float(assessment_error), int(rounds),
                                            int(rng.integers(2**62)))
    n = len(strategy)
    per_strategy = np.array([totals[strategy == s].sum() / max(1, counts[s]) for s in range(3)])
    # Per individual and round of giving and receiving: each is donor (and recipient) in
    # rounds / n rounds on average.
    mean_payoffs = per_strategy * n / rounds
    reputation = np.array([good[strategy == s].mean() if counts[s] else np.nan for s in range(3)])
    return ReputationOutcome(("Cooperator", "Defector", "Discriminator"), counts, mean_payoffs,
                             helps / rounds, reputation)


@dataclass(frozen=True, repr=False)
class Network(Mechanism):
    r"""Network reciprocity: the game that the replicator dynamics on a regular graph of
    degree k > 2 follows under weak selection (Ohtsuki & Nowak 2006),
    :math:`A' = A + B` with, for death-birth updating,
    :math:`b_{ij} = \frac{(k+1) a_{ii} + a_{ij} - a_{ji} - (k+1) a_{jj}}{(k+1)(k-2)}`
    (imitation: k+3 and 3 in place of k+1 and 1; birth-death: 1 and 1 over k - 2). On the
    donation game cooperation dominates iff :math:`b/c > k` under death-birth updating.
    """

    degree: Any
    rule: str = "death-birth"

    name: ClassVar[str] = "network reciprocity"
    reference: ClassVar[str] = "Ohtsuki, Hauert, Lieberman & Nowak (2006); Ohtsuki & Nowak (2006)"
    per_outcome: ClassVar[bool] = False

    def __post_init__(self) -> None:
        object.__setattr__(self, "degree", check_number(self.degree, "degree", 2, low_open=True))
        check_name(self.rule, "rule", ("death-birth", "imitation", "birth-death"))

    def transform(self, game: Game) -> tuple[np.ndarray, None]:
        _symmetric_pair(game, "network reciprocity")
        exact = game.exact and exact_number(self.degree)
        a = game.payoffs[0] if exact else game.float_payoffs[0]
        k = Fraction(self.degree) if exact else float(self.degree)
        effective = network_matrix(a, k, self.rule)
        return np.stack([effective, effective.T]), None


def network_matrix(a: np.ndarray, k: Any, rule: str = "death-birth") -> np.ndarray:
    """Ohtsuki & Nowak's (2006) effective matrix :math:`A + B` of a game on a regular
    graph of degree k; plain arithmetic, so it also works on sympy expressions."""
    own, cross = {"death-birth": (k + 1, 1), "imitation": (k + 3, 3), "birth-death": (1, 1)}[rule]
    diagonal = np.diag(a)
    b = (own * diagonal[:, None] + cross * a - cross * a.T - own * diagonal[None, :]) \
        / (own * (k - 2))
    return a + b


@dataclass(frozen=True, repr=False)
class Groups(Mechanism):
    r"""Group (multilevel) selection with m groups of at most n individuals (Traulsen &
    Nowak 2006): the effective game :math:`a'_{ij} = n\, a_{ij} + m\, a_{ii}` (within-group
    competition weighted by n, competition between homogeneous groups by m; Nowak 2006's
    matrix for the donation game). Cooperation dominates iff :math:`b/c > 1 + n/m`."""

    groups: Any
    group_size: Any

    name: ClassVar[str] = "group selection"
    reference: ClassVar[str] = "Traulsen & Nowak (2006); Nowak (2006)"
    per_outcome: ClassVar[bool] = False

    def __post_init__(self) -> None:
        object.__setattr__(self, "groups", check_number(self.groups, "groups", 0, low_open=True))
        object.__setattr__(self, "group_size", check_number(self.group_size, "group_size", 0,
                                                            low_open=True))

    def transform(self, game: Game) -> tuple[np.ndarray, None]:
        _symmetric_pair(game, "group selection")
        exact = game.exact and exact_number(self.groups) and exact_number(self.group_size)
        a = game.payoffs[0] if exact else game.float_payoffs[0]
        m = Fraction(self.groups) if exact else float(self.groups)
        n = Fraction(self.group_size) if exact else float(self.group_size)
        effective = group_matrix(a, m, n)
        return np.stack([effective, effective.T]), None


def group_matrix(a: np.ndarray, groups: Any, group_size: Any) -> np.ndarray:
    """Nowak's (2006) group-selection matrix :math:`n a_{ij} + m a_{ii}`; plain
    arithmetic, so it also works on sympy expressions."""
    return group_size * a + groups * np.diag(a)[:, None]
