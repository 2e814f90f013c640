"""Mechanisms that change payoffs directly: disparity reduction, penalties, subsidies,
contracts, monitoring and third-party judges.

References
----------
Piest & Schreck (2021), as cited by Carichon et al. (2025): reducing competition
intensity and reward disparities lowers incentives for sabotage and cheating.
Becker (1968). Crime and punishment: an economic approach. J. Political Economy 76(2).
Kartik (2009). Strategic communication with lying costs. Review of Economic Studies 76(4).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, ClassVar

import numpy as np

from games import Game, InvalidArgumentError, InvalidGameError
from games.bayesian import BayesianGame
from games.signalling import SignallingGame, public_state
from mechanisms.base import (
    Mechanism,
    check_flag,
    check_name,
    check_number,
    check_target,
    exact_number,
    profile_index,
    target_mask,
)

__all__ = ["Redistribution", "RewardCap", "ContestIntensity", "Penalty", "Subsidy",
           "Contract", "Monitoring", "Audit", "ThirdPartyJudge"]


def _payoffs(game: Game, *parameters: Any) -> np.ndarray:
    """The payoffs in exact arithmetic when the game and every parameter are exact."""
    if game.exact and all(exact_number(p) for p in parameters):
        return game.payoffs.copy()
    return game.float_payoffs.copy()


def _scalar(x: Any, payoffs: np.ndarray) -> Any:
    return Fraction(x) if payoffs.dtype == object else float(x)


def _outcome(value: Any, field: str = "outcome") -> tuple:
    """An agreed outcome parameter as a tuple (checked against the game on apply)."""
    if isinstance(value, np.ndarray):
        value = value.tolist()
    if isinstance(value, (str, bytes)) or not isinstance(value, Sequence) or not value:
        raise InvalidArgumentError(f"{field}: expected one action (index or name) per player, "
                                   f"found {value!r}")
    return tuple(value)


@dataclass(frozen=True, repr=False)
class Redistribution(Mechanism):
    r"""Share a fraction ``rate`` of every payoff equally:
    :math:`u_i \to (1 - t)\, u_i + t\, \bar u` with :math:`\bar u` the players' mean at
    that outcome. Budget-balanced (the total is unchanged); ``rate = 1`` is equal split."""

    rate: Any

    name: ClassVar[str] = "disparity reduction: redistribution"
    reference: ClassVar[str] = "Piest & Schreck (2021); Carichon et al. (2025)"

    def __post_init__(self) -> None:
        object.__setattr__(self, "rate", check_number(self.rate, "rate", 0, 1))

    def transform(self, game: Game) -> tuple[np.ndarray, None]:
        u = _payoffs(game, self.rate)
        t = _scalar(self.rate, u)
        mean = u.sum(axis=0) / game.n_players
        return (1 - t) * u + t * mean[np.newaxis], None


@dataclass(frozen=True, repr=False)
class RewardCap(Mechanism):
    r"""Cap the gap between the best- and worst-paid players at every outcome: where
    :math:`\max_i u_i - \min_i u_i > g`, payoffs shrink towards their mean by the factor
    :math:`g / (\max - \min)`. Budget-balanced; the order of players is kept."""

    max_gap: Any

    name: ClassVar[str] = "disparity reduction: reward cap"
    reference: ClassVar[str] = "Piest & Schreck (2021); Carichon et al. (2025)"

    def __post_init__(self) -> None:
        object.__setattr__(self, "max_gap", check_number(self.max_gap, "max_gap", 0))

    def transform(self, game: Game) -> tuple[np.ndarray, None]:
        u = _payoffs(game, self.max_gap)
        gap = _scalar(self.max_gap, u)
        mean = u.sum(axis=0) / game.n_players
        spread = u.max(axis=0) - u.min(axis=0)
        over = spread > gap
        factor = np.full(spread.shape, _scalar(1, u), dtype=u.dtype)
        if over.any():
            factor[over] = gap / spread[over]
        return mean[np.newaxis] + (u - mean[np.newaxis]) * factor[np.newaxis], None


@dataclass(frozen=True, repr=False)
class ContestIntensity(Mechanism):
    r"""Lower a contest's winner-takes-all intensity: each player's prize :math:`P_i` (the
    game's ``prize`` layer, e.g. from :func:`games.catalog.contest`) is replaced by
    :math:`\lambda P_i + (1 - \lambda) \bar P`. ``intensity = 1`` changes nothing;
    ``0`` splits every prize equally, so effort no longer pays. For a Tullock contest this
    scales the effective prize :math:`V (ns - 1)/(n - 1)` by :math:`\lambda`.
    Budget-balanced."""

    intensity: Any
    prize: str = "prize"

    name: ClassVar[str] = "disparity reduction: contest intensity"
    reference: ClassVar[str] = "Tullock (1980); Piest & Schreck (2021)"

    def __post_init__(self) -> None:
        object.__setattr__(self, "intensity", check_number(self.intensity, "intensity", 0, 1))
        check_name(self.prize, "prize")

    def transform(self, game: Game) -> tuple[np.ndarray, None]:
        if self.prize not in game.explicit_layers:
            raise InvalidGameError(
                f"prize: expected a layer {self.prize!r} with each player's prize (see "
                f"games.catalog.contest), found layers {tuple(game.explicit_layers)}")
        prizes = game.explicit_layers[self.prize]
        if prizes.shape[0] != game.n_players:
            raise InvalidGameError(f"layers[{self.prize!r}]: expected one criterion per player, "
                                   f"found {prizes.shape[0]}")
        u = _payoffs(game, self.intensity)
        if u.dtype != object:
            prizes = np.asarray(prizes, dtype=np.float64)
        lam = _scalar(self.intensity, u)
        mean = prizes.sum(axis=0) / game.n_players
        return u - prizes + lam * prizes + (1 - lam) * mean[np.newaxis], None


@dataclass(frozen=True, repr=False)
class Penalty(Mechanism):
    r"""Fine the targeted players: :math:`u_i \to u_i - p\,F` when player i takes a
    targeted action (or the outcome is targeted), with detection probability p. The
    operator collects the expected fines (a negative cost). Regulation, warranty
    penalties (Becker 1968).

    ``on``: ``{player: action or [actions]}``, or a list of outcomes (every player is
    fined there), or a boolean array of the payoffs' shape.
    """

    fine: Any
    on: Any
    detection: Any = 1

    name: ClassVar[str] = "penalty"
    reference: ClassVar[str] = "Becker (1968); Carichon et al. (2025)"

    def __post_init__(self) -> None:
        object.__setattr__(self, "fine", check_number(self.fine, "fine", 0))
        object.__setattr__(self, "detection", check_number(self.detection, "detection", 0, 1))
        check_target(self.on)

    def transform(self, game: Game) -> tuple[np.ndarray, np.ndarray]:
        u = _payoffs(game, self.fine, self.detection)
        charge = _scalar(self.fine, u) * _scalar(self.detection, u)
        mask = target_mask(game, self.on)
        u = u - charge * mask
        return u, -(charge * mask).sum(axis=0)


@dataclass(frozen=True, repr=False)
class Subsidy(Mechanism):
    """Pay the targeted players ``amount`` (targets as in :class:`Penalty`); the operator
    pays it (a positive cost)."""

    amount: Any
    on: Any

    name: ClassVar[str] = "subsidy"
    reference: ClassVar[str] = "Carichon et al. (2025)"

    def __post_init__(self) -> None:
        object.__setattr__(self, "amount", check_number(self.amount, "amount"))
        check_target(self.on)

    def transform(self, game: Game) -> tuple[np.ndarray, np.ndarray]:
        u = _payoffs(game, self.amount)
        pay = _scalar(self.amount, u)
        mask = target_mask(game, self.on)
        return u + pay * mask, (pay * mask).sum(axis=0)


def _deviators(game: Game, outcome: Any) -> np.ndarray:
    """deviates[i, a] = player i's action at a differs from the agreed outcome."""
    agreed = profile_index(game, outcome, "outcome")
    deviates = np.zeros(game.payoffs.shape, dtype=bool)
    for i, k in enumerate(agreed):
        shape = [1] * game.n_players
        shape[i] = game.shape[i]
        deviates[i] = np.broadcast_to((np.arange(game.shape[i]) != k).reshape(shape), game.shape)
    return deviates


@dataclass(frozen=True, repr=False)
class Contract(Mechanism):
    r"""A binding agreement on ``outcome``: a player who deviates from its agreed action
    pays ``damages`` with enforcement probability p. With ``compensate`` the damages go in
    equal parts to the players who kept the agreement (the operator keeps them when
    nobody did); otherwise the operator keeps them."""

    outcome: tuple
    damages: Any
    enforcement: Any = 1
    compensate: bool = True

    name: ClassVar[str] = "contract"
    reference: ClassVar[str] = "Carichon et al. (2025): contractual and warranty penalties"

    def __post_init__(self) -> None:
        object.__setattr__(self, "outcome", _outcome(self.outcome))
        object.__setattr__(self, "damages", check_number(self.damages, "damages", 0))
        object.__setattr__(self, "enforcement", check_number(self.enforcement, "enforcement", 0, 1))
        check_flag(self.compensate, "compensate")

    def transform(self, game: Game) -> tuple[np.ndarray, np.ndarray]:
        u = _payoffs(game, self.damages, self.enforcement)
        charge = _scalar(self.damages, u) * _scalar(self.enforcement, u)
        deviates = _deviators(game, self.outcome)
        paid = charge * deviates
        total = paid.sum(axis=0)
        u = u - paid
        if not self.compensate:
            return u, -total
        keepers = (~deviates).sum(axis=0)
        share = np.where(keepers > 0, 1, 0) * total
        if u.dtype == object:
            per_keeper = np.array([s / k if k else Fraction(0)
                                   for s, k in zip(share.flat, keepers.flat)],
                                  dtype=object).reshape(keepers.shape)
        else:
            per_keeper = np.divide(share, keepers, out=np.zeros(keepers.shape), where=keepers > 0)
        u = u + (~deviates) * per_keeper[np.newaxis]
        return u, -(total * (keepers == 0))


@dataclass(frozen=True, repr=False)
class Monitoring(Mechanism):
    r"""Monitoring of hidden actions: a deviation from the recommended ``outcome`` is
    seen with probability p and fined ``fine`` (expected fine :math:`pF`); the operator
    collects the fines and pays ``cost`` per period for watching. More transparency
    (larger p) makes deviations less attractive: the recommended outcome is an equilibrium
    once :math:`pF` exceeds every deviation gain."""

    probability: Any
    fine: Any
    outcome: tuple
    cost: Any = 0

    name: ClassVar[str] = "information symmetry: monitoring"
    reference: ClassVar[str] = "Carichon et al. (2025): open feedback and monitoring channels"

    def __post_init__(self) -> None:
        object.__setattr__(self, "outcome", _outcome(self.outcome))
        object.__setattr__(self, "probability", check_number(self.probability, "probability", 0, 1))
        object.__setattr__(self, "fine", check_number(self.fine, "fine", 0))
        object.__setattr__(self, "cost", check_number(self.cost, "cost", 0))

    def transform(self, game: Game) -> tuple[np.ndarray, np.ndarray]:
        u = _payoffs(game, self.probability, self.fine, self.cost)
        charge = _scalar(self.probability, u) * _scalar(self.fine, u)
        paid = charge * _deviators(game, self.outcome)
        return u - paid, _scalar(self.cost, u) - paid.sum(axis=0)


@dataclass(frozen=True, repr=False)
class Audit(Mechanism):
    r"""An audit of one player's reports: each report is checked against the truth with
    probability p and a false one is fined F. With :math:`t(a)` the probability that the
    report is true at outcome a (the evaluation criterion ``criterion`` of ``layer``, a
    number in [0, 1], e.g. the ``"truthfulness"`` of :func:`games.catalog.cheap_talk`'s
    strategic form, where it is the share of states the sender's strategy reports
    truly), the audited player pays the expected fine :math:`u \to u - pF\,(1 - t(a))`:
    :math:`pF` per lie, not per strategy. The operator collects the fines.

    A cost of lying makes communication more truthful (Kartik 2009); once :math:`pF`
    exceeds the sender's largest gain from a lie to a credulous receiver, telling the
    truth is its best reply to one (in cheap talk with bias b on a grid of step h,
    :math:`h^2 - (h - b)^2` for :math:`b \le h`)."""

    probability: Any
    fine: Any
    player: Any
    criterion: str = "truthfulness"
    layer: str = "value"

    name: ClassVar[str] = "information symmetry: audit of reports"
    reference: ClassVar[str] = "Kartik (2009); Becker (1968)"
    per_outcome: ClassVar[bool] = False  # reads an evaluation layer

    def __post_init__(self) -> None:
        object.__setattr__(self, "probability", check_number(self.probability, "probability", 0, 1))
        object.__setattr__(self, "fine", check_number(self.fine, "fine", 0))
        if isinstance(self.player, bool) or not isinstance(self.player, (str, int)):
            raise InvalidArgumentError(f"player: expected the audited player's name or index, "
                                       f"found {self.player!r}")
        check_name(self.criterion, "criterion")
        check_name(self.layer, "layer")

    def transform(self, game: Game) -> tuple[np.ndarray, np.ndarray]:
        if self.layer not in game.layers or self.criterion not in game.criteria[self.layer]:
            raise InvalidGameError(
                f"criterion: expected a criterion {self.criterion!r} of layer {self.layer!r} "
                f"(the probability that the report is true), found layers "
                f"{ {k: tuple(v) for k, v in game.criteria.items()} }")
        try:
            i = game.player_index(self.player)
        except InvalidGameError as error:
            raise InvalidArgumentError(f"player: {error}") from None
        u = _payoffs(game, self.probability, self.fine)
        truth = game.layers[self.layer][game.criteria[self.layer].index(self.criterion)]
        if u.dtype != object:
            truth = np.asarray(truth, dtype=np.float64)
        low, high = float(np.min(truth)), float(np.max(truth))
        if low < 0 or high > 1:
            raise InvalidGameError(f"layers[{self.layer!r}][{self.criterion!r}]: expected the "
                                   f"probability that the report is true, in [0, 1], found "
                                   f"values in [{low}, {high}]")
        fined = _scalar(self.probability, u) * _scalar(self.fine, u) * (1 - truth)
        u[i] = u[i] - fined
        return u, -fined


@dataclass(frozen=True, repr=False)
class ThirdPartyJudge(Mechanism):
    r"""An unbiased judge rewards each player with ``weight`` times an independent score
    of the outcome, taken from an evaluation layer (default ``"value"``), instead of the
    player's own assessment: :math:`u_i \to u_i + w\, s_i`, where :math:`s_i` is the
    layer's criterion named after player i when there is one, else the sum of the
    layer's criteria (or the criterion named ``criterion``). The operator pays the
    rewards."""

    weight: Any
    layer: str = "value"
    criterion: str | None = None

    name: ClassVar[str] = "information symmetry: third-party judge"
    reference: ClassVar[str] = "Carichon et al. (2025): third-party judges"
    per_outcome: ClassVar[bool] = False  # needs the evaluation layer of the whole game

    def __post_init__(self) -> None:
        object.__setattr__(self, "weight", check_number(self.weight, "weight", 0))
        check_name(self.layer, "layer")
        if self.criterion is not None:
            check_name(self.criterion, "criterion")

    def transform(self, game: Game) -> tuple[np.ndarray, np.ndarray]:
        if self.layer not in game.layers:
            raise InvalidGameError(f"layer: expected one of the game's layers "
                                   f"{tuple(game.layers)}, found {self.layer!r}")
        values = game.layers[self.layer]
        names = game.criteria[self.layer]
        u = _payoffs(game, self.weight)
        if u.dtype != object:
            values = np.asarray(values, dtype=np.float64)
        if self.criterion is not None:
            if self.criterion not in names:
                raise InvalidArgumentError(f"criterion: expected one of {names}, found "
                                           f"{self.criterion!r}")
            scores = np.broadcast_to(values[names.index(self.criterion)], u.shape)
        elif set(game.players) <= set(names):
            scores = np.stack([values[names.index(p)] for p in game.players])
        else:
            scores = np.broadcast_to(values.sum(axis=0), u.shape)
        reward = _scalar(self.weight, u) * scores
        return u + reward, reward.sum(axis=0)


@dataclass(frozen=True, repr=False)
class Transparency(Mechanism):
    r"""Information symmetry: the private types of a :class:`games.bayesian.BayesianGame`
    become public, so that each agent's strategy can respond to everyone's type. The
    result is the strategic form with public types (``observe="all"``); compare it with
    the private-types form ``bayesian_game.normal_form()`` (which :func:`mechanisms.evaluate`
    uses as the "before" side). Manipulation and deception under information asymmetry
    (Carichon et al. 2025) are the gap between the two.

    For a :class:`games.signalling.SignallingGame` the state is disclosed to the receiver
    (:func:`games.signalling.public_state`): the receiver's strategy is an action per
    state, its message-contingent plans, never sequentially rational once the state is
    known, left out; the strategic form keeps the signalling game's shape."""

    name: ClassVar[str] = "information symmetry: transparency"
    reference: ClassVar[str] = "Harsanyi (1967-68); Carichon et al. (2025)"
    changes: ClassVar[str] = "model: private types -> public types"
    per_outcome: ClassVar[bool] = False

    def apply(self, game: BayesianGame) -> Game:  # type: ignore[override]
        if not isinstance(game, BayesianGame):
            raise InvalidGameError(f"game: transparency needs a games.bayesian.BayesianGame "
                                   f"(private types), found {type(game).__name__}")
        if isinstance(game, SignallingGame):
            return public_state(game).normal_form()
        return game.normal_form(observe="all")
