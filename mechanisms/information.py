"""Information mechanisms: what the agents observe, not what they are paid.

:class:`Opacity` hides the rivals' actions from learners whose state is their memory of
past play (:func:`games.learning.simulate`'s ``observe="own"``). Payoffs are unchanged,
so its static verdict is the game's own; its effect is on the dynamics, through
:meth:`Opacity.dynamics_under` (which :func:`mechanisms.dynamic_verdict` applies, so
:func:`mechanisms.evaluate`, :func:`mechanisms.compare` and the testbed do too).

References
----------
Green, E. J. & Porter, R. H. (1984). Noncooperative collusion under imperfect price
information. *Econometrica* 52(1), 87-100.
Calvano, E., Calzolari, G., Denicolo, V. & Pastorello, S. (2020). Artificial intelligence,
algorithmic pricing, and collusion. *American Economic Review* 110(10), 3267-3297.
Calvano, E., Calzolari, G., Denicolo, V. & Pastorello, S. (2021). Algorithmic collusion
with imperfect monitoring. *International Journal of Industrial Organization* 79, 102712.
Sobel, J. (1985). A theory of credibility. *Review of Economic Studies* 52(4), 557-573.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import ClassVar

import numpy as np

from games import Game, InvalidArgumentError
from games.arguments import check_integer
from mechanisms.base import Mechanism
from mechanisms.dynamic import Dynamics

__all__ = ["InformationMechanism", "Opacity", "Verification"]


class InformationMechanism(Mechanism):
    """A mechanism on what the learners observe, not on what they are paid: payoffs are
    unchanged and nothing is paid (:meth:`transform`); :meth:`observing` gives the
    learning scenario it implies, which :meth:`dynamics_under` checks and returns."""

    changes: ClassVar[str] = "information"

    def transform(self, game: Game) -> tuple[np.ndarray, None]:
        return (game.payoffs.copy() if game.exact else game.float_payoffs.copy()), None

    def observing(self, dynamics: Dynamics) -> Dynamics:
        raise NotImplementedError

    def dynamics_under(self, dynamics: Dynamics) -> Dynamics:
        if not isinstance(dynamics, Dynamics):
            raise InvalidArgumentError(f"dynamics: expected a mechanisms.Dynamics, found "
                                       f"{type(dynamics).__name__}")
        return self.observing(dynamics)


@dataclass(frozen=True, repr=False)
class Opacity(InformationMechanism):
    r"""The agents do not observe each other's actions (prices not published): each
    learner's memory holds its own last actions only, the extreme form of imperfect
    monitoring (Green & Porter 1984). With perfect monitoring, Q-learning firms sustain
    supra-competitive prices by reward-punishment strategies conditioned on the rival's
    last price (Calvano et al. 2020); without observed rivals no strategy can condition
    on a deviation. Calvano et al. (2021) find collusion survives *noisy* monitoring
    (price wars triggered by low observed prices); here nothing about the rival is seen.

    Payoffs are unchanged (:meth:`transform` returns the game's payoffs and no cost);
    :meth:`dynamics_under` gives the learning scenario it implies. The information
    structure holds from the first period: the learners' state space is fixed before
    play, so a switch-on period only times the (identical) payoff schedule.
    """

    name: ClassVar[str] = "information: opacity (rivals' actions unobserved)"
    reference: ClassVar[str] = ("Green & Porter (1984); Calvano, Calzolari, Denicolo & "
                                "Pastorello (2021)")
    def observing(self, dynamics: Dynamics) -> Dynamics:
        """``dynamics`` with each learner observing only its own past actions
        (``observe="own"``)."""
        return dataclasses.replace(dynamics, observe="own")


@dataclass(frozen=True, repr=False)
class Verification(InformationMechanism):
    r"""Ex-post verification over repeated play: after each period the play is revealed
    (in a signalling game's strategic form, the receiver learns the sender's strategy,
    so a lie is found out), and each learner's state is the last ``memory`` joint
    actions, so that it can condition on a past lie: a sender's truthfulness becomes a
    reputation (Sobel 1985: a sender who values its reputation tells the truth).

    Payoffs are unchanged; :meth:`dynamics_under` gives learners that remember at least
    ``memory`` periods of joint play (``observe="joint"``), from the first period. The
    learners' own discount is kept: a reputation is worth what the future periods are
    worth to them, nothing to myopic learners (discount 0).
    """

    memory: int = 1

    name: ClassVar[str] = "information: ex-post verification (reputation over repeated play)"
    reference: ClassVar[str] = "Sobel (1985)"
    def __post_init__(self) -> None:
        object.__setattr__(self, "memory", check_integer(self.memory, "memory", 1))

    def observing(self, dynamics: Dynamics) -> Dynamics:
        """``dynamics`` with each learner remembering the last ``memory`` (at least)
        joint actions, everyone's (``observe="joint"``)."""
        return dataclasses.replace(dynamics, memory=max(dynamics.memory, self.memory),
                                   observe="joint")
