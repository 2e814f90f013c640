"""The mechanism protocol: small immutable objects that change a game's incentives and
record what they cost, never the yardstick.

``m.apply(game)`` returns a new :class:`games.Game` whose *payoffs* (what agents respond
to) are changed, whose evaluation layers are kept as they were (the default objective
layer is frozen to the original payoffs first, so it does not move with the incentives),
and whose ``"cost"`` layer holds the net amount the mechanism's operator pays at each
outcome (subsidies minus fines collected), added to any cost already recorded.
"""

from __future__ import annotations

import html
import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, fields
from fractions import Fraction
from typing import Any, ClassVar

import numpy as np

from games import Game, InvalidArgumentError, InvalidGameError
from games.arguments import check_choice, check_flag, check_real

__all__ = ["Mechanism", "Composite", "compose", "COST_LAYER", "freeze_yardstick", "with_cost",
           "Number", "Family", "FigurePath", "exact_number", "check_number", "check_flag",
           "check_name", "check_target", "profile_index", "target_mask", "jsonable",
           "mechanism_title"]

#: The layer in which mechanisms record the operator's net payments.
COST_LAYER = "cost"

#: A mechanism parameter: exact (int, Fraction) or float.
Number = int | float | Fraction


def exact_number(x: Any) -> bool:
    """Whether ``x`` is an exact number (int or Fraction, not bool)."""
    return isinstance(x, (int, Fraction, np.integer)) and not isinstance(x, (bool, np.bool_))


def check_number(value: Any, field: str, low: float | None = None, high: float | None = None,
                 low_open: bool = False, high_open: bool = False) -> Any:
    """:func:`games.arguments.check_real`, with integers made Fractions so that a
    mechanism's parameters keep exact arithmetic exact.

    Raises
    ------
    InvalidArgumentError
        For a value that is not a finite real number (strings, bools, None, NaN,
        infinities) or lies outside ``[low, high]`` (open ends with ``low_open`` and
        ``high_open``).
    """
    value = check_real(value, field, low, high, low_open, high_open)
    return Fraction(value) if isinstance(value, (int, np.integer)) else value


def check_name(value: Any, field: str, allowed: Sequence[str] | None = None) -> str:
    """A name parameter: a string, one of ``allowed`` when given
    (:func:`games.arguments.check_choice`)."""
    if allowed is not None:
        return check_choice(value, field, allowed)
    if not isinstance(value, str):
        raise InvalidArgumentError(f"{field}: expected a name (str), found {value!r}")
    return value


def profile_index(game: Game, profile: Any, field: str) -> tuple[int, ...]:
    """The action indices of a pure ``profile`` (one action index or name per player).

    Raises
    ------
    InvalidArgumentError
        Naming ``field`` when the profile has the wrong length or an unknown action.
    """
    if profile is None or isinstance(profile, (str, bytes)) or not isinstance(profile, Sequence) \
            or len(profile) != game.n_players:
        raise InvalidArgumentError(f"{field}: expected one action per player ({game.n_players}), "
                                   f"found {profile!r}")
    try:
        return tuple(game.action_index(i, a) for i, a in enumerate(profile))
    except InvalidGameError as error:
        raise InvalidArgumentError(f"{field}: {error}") from None


def jsonable(x: Any) -> Any:
    """``x`` as plain JSON data, in the convention of :meth:`games.Equilibrium.to_dict`:
    integers as ints, other fractions as ``"p/q"`` strings, floats as floats (None when
    not finite), arrays and tuples as lists, objects with ``to_dict`` through it, anything
    else (a Game, a sympy relation) as its text."""
    if x is None or isinstance(x, (str, bool)):
        return x
    if isinstance(x, np.bool_):
        return bool(x)
    if isinstance(x, (int, np.integer)):
        return int(x)
    if isinstance(x, Fraction):
        return x.numerator if x.denominator == 1 else f"{x.numerator}/{x.denominator}"
    if isinstance(x, (float, np.floating)):
        return float(x) if np.isfinite(x) else None
    if isinstance(x, Mapping):
        return {str(k): jsonable(v) for k, v in x.items()}
    if isinstance(x, (list, tuple, np.ndarray)):
        return [jsonable(v) for v in x]
    if hasattr(x, "to_dict"):
        return x.to_dict()
    if isinstance(x, Game):
        return x.title or repr(x)
    return str(x)


def freeze_yardstick(game: Game) -> Game:
    """The game with its default objective layer (the payoffs) made explicit, so that a
    change of incentives does not change what alignment is measured on."""
    if "objective" in game.explicit_layers:
        return game
    layers = {"objective": game.payoffs, **game.explicit_layers}
    criteria = {"objective": game.criteria["objective"],
                **{k: game.criteria[k] for k in game.explicit_layers}}
    return Game(game.payoffs, players=game.players, actions=game.actions, layers=layers,
                criteria=criteria, title=game.title, exact=game.exact)


def check_target(on: Any) -> Any:
    """Validate the form of a targeted mechanism's ``on`` (the names are checked against
    the game when the mechanism is applied, by :func:`target_mask`)."""
    if isinstance(on, np.ndarray):
        if on.dtype != bool:
            raise InvalidArgumentError(f"on: expected a boolean array, found dtype {on.dtype}")
        return on
    if isinstance(on, Mapping):
        if not on:
            raise InvalidArgumentError("on: expected at least one player and action, found none")
        return on
    if isinstance(on, Sequence) and not isinstance(on, (str, bytes)) and len(on) > 0:
        for outcome in on:
            if isinstance(outcome, (str, bytes)) or not isinstance(outcome, Sequence):
                raise InvalidArgumentError(f"on: expected outcomes (one action per player), "
                                           f"found {outcome!r}")
        return on
    raise InvalidArgumentError(f"on: expected {{player: actions}}, a list of outcomes or a "
                               f"boolean array, found {on!r}")


def target_mask(game: Game, on: Any) -> np.ndarray:
    """Which (player, outcome) pairs a targeted mechanism touches: a boolean array of the
    payoffs' shape.

    ``on`` is a mapping ``{player: action or [actions]}`` (the player is targeted when it
    plays one of those actions), or a list of outcomes (each a tuple with one action per
    player; every player is targeted at those outcomes), or a boolean array of the
    payoffs' shape.

    Raises
    ------
    InvalidArgumentError
        For a malformed ``on`` or one naming players or actions the game does not have.
    """
    on = check_target(on)
    mask = np.zeros(game.payoffs.shape, dtype=bool)
    if isinstance(on, np.ndarray):
        if on.shape != mask.shape:
            raise InvalidArgumentError(f"on: expected a boolean array of shape {mask.shape}, "
                                       f"found {on.shape}")
        return on.copy()
    if isinstance(on, Mapping):
        for player, actions in on.items():
            try:
                i = game.player_index(player)
            except InvalidGameError as error:
                raise InvalidArgumentError(f"on: {error}") from None
            if isinstance(actions, (str, int, np.integer)):
                actions = [actions]
            if not isinstance(actions, Sequence) or not actions:
                raise InvalidArgumentError(f"on[{player!r}]: expected an action or a list of "
                                           f"actions, found {actions!r}")
            for action in actions:
                try:
                    k = game.action_index(i, action)
                except InvalidGameError as error:
                    raise InvalidArgumentError(f"on: {error}") from None
                index = [slice(None)] * game.n_players
                index[i] = k
                mask[(i, *index)] = True
        return mask
    for outcome in on:
        profile = profile_index(game, outcome, "on")
        mask[(slice(None), *profile)] = True
    return mask


class Mechanism:
    """Base class of realignment mechanisms.

    Subclasses are frozen dataclasses; they set the class attributes ``name``,
    ``reference`` and ``changes`` and implement :meth:`transform`, which returns the new
    payoffs and the operator's net cost per outcome (or None for a budget-balanced
    mechanism). Mechanisms that build another model (a meta-game) override
    :meth:`apply`.
    """

    name: ClassVar[str] = "mechanism"
    reference: ClassVar[str] = ""
    changes: ClassVar[str] = "incentives"
    #: Whether the new payoffs at an outcome depend only on that outcome's payoffs and
    #: actions, so the mechanism can reshape rewards step by step in a simulator.
    per_outcome: ClassVar[bool] = True

    def transform(self, game: Game) -> tuple[np.ndarray, np.ndarray | None]:
        raise NotImplementedError

    def apply(self, game: Game) -> Game:
        """The game under this mechanism: new payoffs, the same evaluation layers, and
        the operator's net payments added to the ``"cost"`` layer."""
        if not isinstance(game, Game):
            raise InvalidGameError(f"game: expected a games.Game, found {type(game).__name__}")
        game = freeze_yardstick(game)
        payoffs, cost = self.transform(game)
        exact = payoffs.dtype == object
        return with_cost(game, payoffs, cost, exact, f"{game.title or 'game'} | {self!r}")

    def dynamics_under(self, dynamics: Any) -> Any:
        """The learning scenario (:class:`mechanisms.Dynamics`) this mechanism implies:
        the same one for a mechanism on payoffs; an information mechanism changes what
        the learners observe (:class:`mechanisms.Opacity`). Applied by
        :func:`mechanisms.dynamic_verdict`."""
        return dynamics

    @property
    def parameters(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in fields(self)}  # type: ignore[arg-type]

    def __repr__(self) -> str:
        def show(x: Any) -> str:
            return str(x) if isinstance(x, Fraction) else repr(x)

        args = ", ".join(f"{k}={show(v)}" for k, v in self.parameters.items())
        return f"{type(self).__name__}({args})"

    def __or__(self, other: "Mechanism") -> "Composite":
        return compose(self, other)

    def _repr_html_(self) -> str:
        return (f"<code>{html.escape(repr(self))}</code> <small>{html.escape(self.name)}; "
                f"{html.escape(self.reference)}</small>")

    def to_dict(self) -> dict[str, Any]:
        """The mechanism's class, name, reference and parameters as plain JSON data."""
        return {"mechanism": type(self).__name__, "name": self.name,
                "reference": self.reference, "parameters": jsonable(self.parameters)}


#: A mechanism family: a Mechanism class (varied through a named parameter) or a callable
#: from a parameter value to a Mechanism or directly to a Game.
Family = type[Mechanism] | Callable[..., "Mechanism | Game"]

#: Where a figure is saved (None: not saved).
FigurePath = str | os.PathLike[str] | None


def with_cost(game: Game, payoffs: np.ndarray, cost: np.ndarray | None, exact: bool,
              title: str) -> Game:
    """``game`` with new payoffs and ``cost`` added to its cost layer."""
    layers = dict(game.explicit_layers)
    criteria = {k: game.criteria[k] for k in layers}
    if cost is not None:
        cost = np.asarray(cost)
        if COST_LAYER in layers:
            previous = layers[COST_LAYER]
            if previous.shape[0] != 1:
                raise InvalidGameError(f"layers['{COST_LAYER}']: expected one criterion to add "
                                       f"the mechanism's cost to, found {previous.shape[0]}")
            cost = previous[0] + cost
        layers[COST_LAYER] = cost[np.newaxis]
        criteria[COST_LAYER] = ("operator",)
    return Game(payoffs, players=game.players, actions=game.actions, layers=layers,
                criteria=criteria, title=title, exact=exact)


@dataclass(frozen=True, repr=False)
class Composite(Mechanism):
    """Mechanisms applied in order (``m1 | m2`` applies m1, then m2)."""

    parts: tuple[Mechanism, ...]

    name: ClassVar[str] = "composition"
    reference: ClassVar[str] = ""

    @property
    def per_outcome(self) -> bool:  # type: ignore[override]
        return all(p.per_outcome for p in self.parts)

    def apply(self, game: Game) -> Game:
        for part in self.parts:
            game = part.apply(game)
        return game

    def dynamics_under(self, dynamics: Any) -> Any:
        for part in self.parts:
            dynamics = part.dynamics_under(dynamics)
        return dynamics

    def __repr__(self) -> str:
        return " | ".join(repr(p) for p in self.parts)


def mechanism_title(mechanism: Mechanism) -> str:
    """A figure title from the mechanism's names, not its repr: the class and what it
    does (``"Redistribution (disparity reduction: redistribution)"``), the parts joined
    by ``" then "`` for a composition."""
    if isinstance(mechanism, Composite):
        return " then ".join(mechanism_title(p) for p in mechanism.parts)
    kind = type(mechanism).__name__
    return kind if kind.lower() == mechanism.name.lower() else f"{kind} ({mechanism.name})"


def compose(*mechanisms: Mechanism) -> Composite:
    """The mechanisms applied one after another, left to right."""
    parts: list[Mechanism] = []
    for m in mechanisms:
        if not isinstance(m, Mechanism):
            raise InvalidArgumentError(f"compose: expected mechanisms, found {type(m).__name__}")
        parts.extend(m.parts if isinstance(m, Composite) else [m])
    if not parts:
        raise InvalidArgumentError("compose: expected at least one mechanism, found none")
    return Composite(tuple(parts))
