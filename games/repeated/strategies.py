"""The catalogue of classic repeated-game strategies, each a finite automaton.

Action 0 cooperates and action 1 defects (the order of :func:`games.catalog.prisoners_dilemma`).
Each constructor returns a :class:`Strategy`: a name, its :class:`Automaton`, a short
reference, its parameters and classifier metadata (memory depth, stochastic or not),
after the classifiers of Axelrod's library.

Examples
--------
>>> from games.repeated import strategies
>>> tft = strategies.TitForTat()
>>> tft.name, tft.classifier["memory_depth"], tft.automaton.n_states
('Tit For Tat', 1, 2)
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from fractions import Fraction
from types import MappingProxyType
from typing import Any, Mapping

import numpy as np

from games.errors import InvalidArgumentError, InvalidGameError
from games.model import format_number
from games.repeated.automaton import Automaton

__all__ = ["Strategy", "Cooperator", "Defector", "TitForTat", "SuspiciousTitForTat",
           "TitForTwoTats", "Grudger", "GrimTrigger", "WinStayLoseShift", "Alternator",
           "GenerousTitForTat", "Random", "ZDExtortion", "MemoryOne", "CATALOGUE"]

C, D = 0, 1


@dataclass(frozen=True, eq=False)
class Strategy:
    """A named repeated-game strategy.

    Attributes
    ----------
    name : str
        Display name (Axelrod's library's name where it has the strategy).
    automaton : Automaton
        The strategy as a finite automaton.
    reference : str
        Where it comes from.
    parameters : mapping
        Its parameters (shown in the repr).
    classifier : mapping
        ``memory_depth`` (int or ``math.inf``), ``stochastic`` (bool) and
        ``n_states``.
    """

    name: str
    automaton: Automaton
    reference: str = ""
    parameters: Mapping[str, Any] = field(default_factory=dict)
    classifier: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not isinstance(self.automaton, Automaton):
            raise InvalidGameError(
                f"automaton: expected an Automaton, found {type(self.automaton).__name__}")
        classifier = {"memory_depth": math.inf,
                      "stochastic": not self.automaton.is_deterministic,
                      "n_states": self.automaton.n_states, **dict(self.classifier)}
        object.__setattr__(self, "classifier", MappingProxyType(classifier))
        object.__setattr__(self, "parameters", MappingProxyType(dict(self.parameters)))

    @property
    def is_stochastic(self) -> bool:
        return bool(self.classifier["stochastic"])

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Strategy):
            return NotImplemented
        return self.name == other.name and self.automaton == other.automaton

    def __hash__(self) -> int:
        return hash((self.name, self.automaton))

    def __reduce__(self) -> tuple:
        return (_rebuild, (self.name, self.automaton, self.reference, dict(self.parameters),
                           dict(self.classifier)))

    def __repr__(self) -> str:
        params = ", ".join(f"{k}={_fmt(v)}" for k, v in self.parameters.items())
        return f"Strategy({self.name!r}{', ' + params if params else ''})"

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "reference": self.reference,
                "parameters": {k: _fmt(v) for k, v in self.parameters.items()},
                "classifier": {k: (None if v == math.inf else v)
                               for k, v in self.classifier.items()},
                "automaton": self.automaton.to_dict()}


def _fmt(x: Any) -> str:
    return x if isinstance(x, str) else format_number(x)


def _rebuild(name, automaton, reference, parameters, classifier) -> Strategy:
    return Strategy(name, automaton, reference, parameters, classifier)


def _probability(p: Any, field: str) -> Any:
    if isinstance(p, bool) or not isinstance(p, (int, float, Fraction, np.integer, np.floating)):
        raise InvalidArgumentError(f"{field}: expected a probability, found {p!r}")
    if not (0 <= p <= 1) or (isinstance(p, float) and math.isnan(p)):
        raise InvalidArgumentError(f"{field}: expected a probability in [0, 1], found {p!r}")
    return Fraction(p) if isinstance(p, (int, np.integer)) else p


def _complement(p: Any) -> Any:
    return 1 - p if isinstance(p, Fraction) else 1.0 - float(p)


_AXELROD = "Axelrod, R. (1984). The Evolution of Cooperation. Basic Books."


def Cooperator() -> Strategy:
    """Always cooperates (ALLC)."""
    return Strategy("Cooperator", Automaton([C], [[0, 0]], n_actions=2), _AXELROD,
                    classifier={"memory_depth": 0})


def Defector() -> Strategy:
    """Always defects (ALLD)."""
    return Strategy("Defector", Automaton([D], [[0, 0]], n_actions=2), _AXELROD,
                    classifier={"memory_depth": 0})


def TitForTat() -> Strategy:
    """Cooperates first, then plays the opponent's last action (Rapoport; Axelrod 1980)."""
    return Strategy("Tit For Tat", Automaton([C, D], [[0, 1], [0, 1]]),
                    "Axelrod, R. (1980). Effective choice in the prisoner's dilemma. "
                    "J. Conflict Resolution 24(1).", classifier={"memory_depth": 1})


def SuspiciousTitForTat() -> Strategy:
    """Defects first, then plays the opponent's last action (Beaufils et al. 1997)."""
    return Strategy("Suspicious Tit For Tat", Automaton([C, D], [[0, 1], [0, 1]], initial=1),
                    "Beaufils, B., Delahaye, J.-P., Mathieu, P. (1997). Our meeting with "
                    "gradual. Artificial Life V.", classifier={"memory_depth": 1})


def TitForTwoTats() -> Strategy:
    """Defects only after two consecutive defections of the opponent (Axelrod 1984).

    States: 0 (opponent's last action C), 1 (one D), 2 (two or more Ds in a row).
    """
    return Strategy("Tit For 2 Tats", Automaton([C, C, D], [[0, 1], [0, 2], [0, 2]]),
                    _AXELROD, classifier={"memory_depth": 2})


def Grudger() -> Strategy:
    """Cooperates until the opponent defects once, then defects forever (Friedman 1971).

    As a behaviour it is memory-one, p = (1, 0, 0, 0): it defects after any round with a
    defection (its own defections only ever follow the opponent's). It reacts to the
    opponent's defections only, like Axelrod's ``Grudger``; see
    :func:`GrimTrigger` for the version that also punishes after its own defection
    (the textbook grim-trigger equilibrium).
    """
    return Strategy("Grudger", Automaton([C, D], [[0, 1], [1, 1]]),
                    "Friedman, J. W. (1971). A non-cooperative equilibrium for supergames. "
                    "Rev. Econ. Stud. 38(1).", classifier={"memory_depth": 1})


def GrimTrigger() -> Strategy:
    """Cooperates as long as both players always cooperated, then defects forever.

    Identical to :func:`Grudger` on the path of play; off the path (after its own
    defection) it punishes too, which makes (GrimTrigger, GrimTrigger) a subgame-perfect
    equilibrium of the prisoner's dilemma for discounts at least (T - R) / (T - P).
    """
    trans = np.array([[[0, 1], [1, 1]], [[1, 1], [1, 1]]])
    return Strategy("Grim Trigger", Automaton([C, D], trans),
                    "Friedman, J. W. (1971). A non-cooperative equilibrium for supergames. "
                    "Rev. Econ. Stud. 38(1).", classifier={"memory_depth": 1})


def WinStayLoseShift() -> Strategy:
    """Pavlov: cooperates first, then cooperates iff both players played the same action
    in the last round (Nowak & Sigmund 1993)."""
    # state = the action to play; next action C iff own == opponent's
    trans = np.array([[[0, 1], [1, 0]]] * 2)
    return Strategy("Win-Stay Lose-Shift", Automaton([C, D], trans),
                    "Nowak, M., Sigmund, K. (1993). A strategy of win-stay, lose-shift that "
                    "outperforms tit-for-tat in the Prisoner's Dilemma game. Nature 364.",
                    classifier={"memory_depth": 1})


def Alternator() -> Strategy:
    """Cooperates, defects, cooperates, ... whatever the opponent does."""
    return Strategy("Alternator", Automaton([C, D], [[1, 1], [0, 0]]), _AXELROD,
                    classifier={"memory_depth": 1})


def GenerousTitForTat(generosity: Any = Fraction(1, 3)) -> Strategy:
    """Tit for tat that forgives a defection with probability ``generosity``.

    Nowak & Sigmund (1992) set it to min(1 - (T - R)/(R - S), (R - P)/(T - P)); with
    (T, R, P, S) = (5, 3, 1, 0) this is 1/3, the default (and Axelrod's ``GTFT``).
    """
    g = _probability(generosity, "generosity")
    policy = [[1, 0], [g, _complement(g)]]
    return Strategy("GTFT", Automaton(policy, [[0, 1], [0, 1]]),
                    "Nowak, M., Sigmund, K. (1992). Tit for tat in heterogeneous "
                    "populations. Nature 355.", parameters={"generosity": g},
                    classifier={"memory_depth": 1})


def Random(p: Any = Fraction(1, 2)) -> Strategy:
    """Cooperates with probability ``p`` every round, whatever happened."""
    p = _probability(p, "p")
    return Strategy("Random", Automaton([[p, _complement(p)]], [[0, 0]]), _AXELROD,
                    parameters={"p": p}, classifier={"memory_depth": 0})


def MemoryOne(p: Any, initial: Any = 1, name: str = "Memory One") -> Strategy:
    """A memory-one strategy: ``p = (p_CC, p_CD, p_DC, p_DD)``, the probabilities of
    cooperating after each last profile (own action first), and ``initial`` the
    probability of cooperating first (Nowak & Sigmund 1990)."""
    flat = np.ravel(np.array(p, dtype=object))
    probs = tuple(_probability(x, f"p[{k}]") for k, x in enumerate(flat))
    initial = _probability(initial, "initial")
    return Strategy(name, Automaton.memory_one(probs, initial),
                    "Nowak, M., Sigmund, K. (1990). The evolution of stochastic strategies "
                    "in the prisoner's dilemma. Acta Appl. Math. 20.",
                    parameters={"p": "(" + ", ".join(format_number(x) for x in probs) + ")",
                                "initial": initial},
                    classifier={"memory_depth": 1})


def ZDExtortion(chi: Any = 3, phi: Any = Fraction(1, 26), R: Any = 3, S: Any = 0,
                T: Any = 5, P: Any = 1) -> Strategy:
    r"""An extortionate zero-determinant strategy (Press & Dyson 2012).

    Against any opponent it enforces :math:`s_X - P = \chi (s_Y - P)` on the long-run
    payoffs. With (R, S, T, P) = (3, 0, 5, 1) its cooperation probabilities after CC,
    CD, DC, DD are ``(1 - 2 phi (chi - 1), 1 - phi (4 chi + 1), phi (chi + 4), 0)``; in
    general ``p = (1 - phi (chi - 1)(R - P), 1 - phi (chi (T - P) + (P - S)),
    phi ((T - P) + chi (P - S)), 0)``, valid for ``0 < phi <= phi_max``. It cooperates
    first. ``chi = 3, phi = 1/26`` is Axelrod's ``ZDExtort3``, with p = (11/13, 1/2,
    7/26, 0).

    Raises
    ------
    InvalidArgumentError
        ``chi < 1`` or ``phi`` outside the range that keeps ``p`` a probability.
    """
    vals = {"chi": chi, "phi": phi, "R": R, "S": S, "T": T, "P": P}
    for k, v in vals.items():
        number_types = (int, float, Fraction, np.integer, np.floating)
        if isinstance(v, bool) or not isinstance(v, number_types):
            raise InvalidArgumentError(f"{k}: expected a number, found {v!r}")
        if isinstance(v, (float, np.floating)) and not math.isfinite(v):
            raise InvalidArgumentError(f"{k}: expected a finite number, found {v!r}")
    exact = all(isinstance(v, (int, Fraction, np.integer)) for v in vals.values())
    cv = {k: (Fraction(v) if exact else float(v)) for k, v in vals.items()}
    chi, phi, R, S, T, P = (cv[k] for k in ("chi", "phi", "R", "S", "T", "P"))
    if chi < 1:
        raise InvalidArgumentError(f"chi: expected an extortion factor >= 1, found {chi}")
    p = (1 - phi * (chi - 1) * (R - P), 1 - phi * (chi * (T - P) + (P - S)),
         phi * ((T - P) + chi * (P - S)), 0 * phi)
    if phi <= 0 or any(x < 0 or x > 1 for x in p):
        raise InvalidArgumentError(
            f"phi: expected 0 < phi small enough that p = {[format_number(x) for x in p]} "
            f"are probabilities, found {format_number(phi)}")
    auto = Automaton.memory_one(list(p), Fraction(1) if exact else 1.0)
    return Strategy("ZD-Extortion", auto,
                    "Press, W. H., Dyson, F. J. (2012). Iterated Prisoner's Dilemma contains "
                    "strategies that dominate any evolutionary opponent. PNAS 109(26).",
                    parameters={"chi": chi, "phi": phi}, classifier={"memory_depth": 1})


#: Constructors of the catalogue, by name.
CATALOGUE = {f.__name__: f for f in (Cooperator, Defector, TitForTat, SuspiciousTitForTat,
                                     TitForTwoTats, Grudger, GrimTrigger, WinStayLoseShift,
                                     Alternator, GenerousTitForTat, Random, ZDExtortion)}
