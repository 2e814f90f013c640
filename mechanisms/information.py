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
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import ClassVar

import numpy as np

from games import Game, InvalidArgumentError
from mechanisms.base import Mechanism
from mechanisms.dynamic import Dynamics

__all__ = ["Opacity"]


@dataclass(frozen=True, repr=False)
class Opacity(Mechanism):
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
    changes: ClassVar[str] = "information"

    def transform(self, game: Game) -> tuple[np.ndarray, None]:
        return (game.payoffs.copy() if game.exact else game.float_payoffs.copy()), None

    def dynamics_under(self, dynamics: Dynamics) -> Dynamics:
        """``dynamics`` with each learner observing only its own past actions
        (``observe="own"``)."""
        if not isinstance(dynamics, Dynamics):
            raise InvalidArgumentError(f"dynamics: expected a mechanisms.Dynamics, found "
                                       f"{type(dynamics).__name__}")
        return dataclasses.replace(dynamics, observe="own")
