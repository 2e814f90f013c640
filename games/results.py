"""Result objects shared by every solver: an :class:`Equilibrium` with its certificate, and
an :class:`EquilibriumSet` that says how it was found and whether it is complete.
"""

from __future__ import annotations

import html
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

import numpy as np

from games.errors import SolverError
from games.model import Game, format_number, json_number
from games.tolerance import RELATIVE_TOLERANCE, float_tolerance

__all__ = ["Equilibrium", "EquilibriumSet", "make_equilibrium", "make_pure_equilibria",
           "pure_regrets", "tolerance", "json_number", "RELATIVE_TOLERANCE"]


def tolerance(game: Game) -> float:
    """The largest regret accepted for an equilibrium of ``game``: 0 when exact, else
    :func:`games.tolerance.float_tolerance` (relative to the payoff range, no floor)."""
    if game.exact:
        return 0.0
    return float_tolerance(game.float_payoffs)


@dataclass(frozen=True, eq=False)
class Equilibrium:
    """One equilibrium strategy profile with its certificate.

    Attributes
    ----------
    strategies : tuple of ndarray
        One probability vector per player (one-hot for a pure equilibrium).
    payoffs : ndarray
        Expected payoff of each player.
    regret : float or Fraction
        The certificate: the largest gain any player gets by deviating (0 when exact).
    exact : bool
        Whether probabilities, payoffs and regret are exact fractions.
    method : str
        The solver that produced it.
    strict : bool or None
        For a pure equilibrium, whether every player's action is its unique best
        response; None when not determined.
    game : Game
        The game it belongs to (not part of equality).
    """

    strategies: tuple[np.ndarray, ...]
    payoffs: np.ndarray
    regret: Any
    exact: bool
    method: str
    strict: bool | None = None
    game: Game | None = field(default=None, repr=False)

    @property
    def support(self) -> tuple[tuple[int, ...], ...]:
        """Indices of the actions each player plays with positive probability."""
        return tuple(tuple(int(k) for k in np.flatnonzero(s != 0)) for s in self.strategies)

    @property
    def is_pure(self) -> bool:
        return all(len(s) == 1 for s in self.support)

    @property
    def profile(self) -> tuple[int, ...] | None:
        """The action indices of a pure equilibrium, None for a mixed one."""
        return tuple(s[0] for s in self.support) if self.is_pure else None

    @property
    def action_names(self) -> tuple[str, ...] | None:
        """The action names of a pure equilibrium (None for a mixed one or no game)."""
        if self.game is None or not self.is_pure:
            return None
        return tuple(self.game.actions[i][a] for i, a in enumerate(self.profile))

    def sort_key(self) -> tuple[float, ...]:
        """Lexicographic order on the profile (pure profiles by their action indices)."""
        return tuple(-float(p) for s in self.strategies for p in s)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Equilibrium):
            return NotImplemented
        return (len(self.strategies) == len(other.strategies)
                and all(np.array_equal(a, b) for a, b in zip(self.strategies, other.strategies))
                and np.array_equal(self.payoffs, other.payoffs))

    def __hash__(self) -> int:
        return hash(tuple(tuple(format_number(p) for p in s) for s in self.strategies))

    def _describe_profile(self) -> str:
        if self.action_names is not None:
            return "(" + ", ".join(repr(a) for a in self.action_names) + ")"
        if self.is_pure:
            return str(self.profile)
        parts = []
        for i, s in enumerate(self.strategies):
            names = self.game.actions[i] if self.game is not None else \
                [str(k) for k in range(len(s))]
            parts.append("{" + ", ".join(f"{names[k]}: {format_number(s[k])}"
                                         for k in np.flatnonzero(s != 0)) + "}")
        return "(" + ", ".join(parts) + ")"

    def __repr__(self) -> str:
        kind = "pure" if self.is_pure else "mixed"
        pays = ", ".join(format_number(p) for p in self.payoffs)
        strict = {True: ", strict", False: ", weak", None: ""}[self.strict]
        return (f"Equilibrium({kind} {self._describe_profile()}, payoffs ({pays}), "
                f"regret {format_number(self.regret)}{strict})")

    def _repr_html_(self) -> str:
        esc = html.escape
        players = self.game.players if self.game is not None else \
            tuple(f"Player {i + 1}" for i in range(len(self.strategies)))
        rows = "".join(
            f"<tr><td>{esc(p)}</td><td>{esc(self._strategy_text(i))}</td>"
            f"<td>{esc(format_number(self.payoffs[i]))}</td></tr>"
            for i, p in enumerate(players))
        return (f"<table><caption>{esc(repr(self))}</caption><tr><th>player</th>"
                f"<th>strategy</th><th>payoff</th></tr>{rows}</table>")

    def _strategy_text(self, i: int) -> str:
        s = self.strategies[i]
        names = self.game.actions[i] if self.game is not None else [str(k) for k in range(len(s))]
        return ", ".join(f"{names[k]}: {format_number(s[k])}" for k in np.flatnonzero(s != 0))

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "strategies": [[json_number(p) for p in s] for s in self.strategies],
            "payoffs": [json_number(p) for p in self.payoffs],
            "support": [list(s) for s in self.support],
            "regret": json_number(self.regret),
            "exact": self.exact,
            "method": self.method,
        }
        if self.strict is not None:
            out["strict"] = self.strict
        if self.action_names is not None:
            out["actions"] = list(self.action_names)
        return out


def make_equilibrium(game: Game, strategies: Any, method: str, strict: bool | None = None,
                     tol: float | None = None) -> Equilibrium:
    """Build an :class:`Equilibrium` and verify it: its regret must be 0 (exact) or at most
    ``tol`` (default :func:`tolerance`).

    Raises
    ------
    SolverError
        When the profile is not an equilibrium within the tolerance.
    """
    strategies = game.strategies(strategies)
    exact = strategies[0].dtype == object
    per_action = game.action_payoffs(strategies)
    payoffs = np.array([per_action[i] @ strategies[i] for i in range(game.n_players)],
                       dtype=per_action[0].dtype)
    gains = [per_action[i].max() - payoffs[i] for i in range(game.n_players)]
    if exact:
        regret = max(Fraction(0), *gains)
        limit = 0
    else:
        regret = max(0.0, float(max(gains)))
        limit = tolerance(game) if tol is None else tol
    if regret > limit:
        raise SolverError(
            f"{method}: the profile {[list(map(format_number, s)) for s in strategies]} is not "
            f"an equilibrium: a player gains {format_number(regret)} by deviating "
            f"(expected at most {limit})")
    for s in strategies:
        s.flags.writeable = False
    payoffs.flags.writeable = False
    return Equilibrium(strategies=strategies, payoffs=payoffs, regret=regret, exact=exact,
                       method=method, strict=strict, game=game)


def pure_regrets(game: Game, profiles: np.ndarray) -> np.ndarray:
    """Regret of many pure profiles at once, in the game's own arithmetic.

    ``out[m, i] = max_b u_i(b, a_{-i}) - u_i(a)`` for ``a = profiles[m]``: one row of
    player ``i``'s payoffs per profile, never the whole game per profile.
    """
    profiles = np.asarray(profiles, dtype=np.intp).reshape(-1, game.n_players)
    payoffs = game.payoffs
    out = np.empty(profiles.shape, dtype=payoffs.dtype)
    columns = tuple(profiles.T)
    for i in range(game.n_players):
        own_axis_last = np.moveaxis(payoffs[i], i, -1)
        others = columns[:i] + columns[i + 1:]
        rows = own_axis_last[others] if others else \
            np.broadcast_to(own_axis_last, (len(profiles), game.shape[i]))
        out[:, i] = rows.max(axis=1) - payoffs[(i, *columns)]
    return out


def make_pure_equilibria(game: Game, profiles: np.ndarray, method: str,
                         strict: np.ndarray | None = None) -> list[Equilibrium]:
    """Build and verify pure equilibria for many profiles at once (vectorised certificate).

    Raises
    ------
    SolverError
        When a profile is not an equilibrium.
    """
    profiles = np.asarray(profiles, dtype=np.intp).reshape(-1, game.n_players)
    regrets = pure_regrets(game, profiles)
    exact = game.exact
    limit = tolerance(game)
    worst = regrets.max(axis=1) if len(profiles) else regrets[:, 0]
    bad = np.flatnonzero(worst > limit)
    if len(bad):
        k = bad[0]
        raise SolverError(
            f"{method}: the pure profile {tuple(int(a) for a in profiles[k])} is not an "
            f"equilibrium: a player gains {format_number(worst[k])} by deviating")
    payoffs = game.payoffs[(slice(None), *profiles.T)].T if len(profiles) else \
        np.empty((0, game.n_players))
    dtype = object if exact else np.float64
    # Row a of a read-only identity matrix is the one-hot strategy of action a (a view).
    identities = []
    for a in game.shape:
        eye = np.eye(a, dtype=np.float64)
        if exact:
            eye = np.vectorize(Fraction, otypes=[object])(eye.astype(int))
        eye.flags.writeable = False
        identities.append(eye)
    out = []
    for k, profile in enumerate(profiles.tolist()):
        strategies = tuple(identities[i][a] for i, a in enumerate(profile))
        pay = np.array(payoffs[k], dtype=dtype)
        pay.flags.writeable = False
        regret = max(Fraction(0), *regrets[k]) if exact else max(0.0, float(worst[k]))
        out.append(Equilibrium(strategies=strategies, payoffs=pay, regret=regret,
                               exact=exact, method=method,
                               strict=None if strict is None else bool(strict[k]), game=game))
    return out


class EquilibriumSet(Sequence):
    """A deterministically ordered, tuple-like collection of equilibria that says how it
    was found and whether it is complete.

    Attributes
    ----------
    method : str
        The solver, e.g. ``"pure"``.
    parameters : Mapping
        The solver's parameters.
    complete : bool
        True when the method guarantees every equilibrium of its kind was found.
    degenerate : bool or None
        Whether the game is degenerate, where known.
    components : tuple or None
        Index sets of equilibria forming connected components (continua), where known.
    """

    __slots__ = ("_items", "method", "parameters", "complete", "degenerate", "components", "game")

    def __init__(self, equilibria: Sequence[Equilibrium], method: str, complete: bool,
                 parameters: Mapping[str, Any] | None = None, degenerate: bool | None = None,
                 components: Sequence[Sequence[int]] | None = None, game: Game | None = None,
                 sort: bool = True) -> None:
        items = tuple(equilibria)
        self._items = tuple(sorted(items, key=Equilibrium.sort_key)) if sort else items
        self.method = method
        self.parameters = dict(parameters or {})
        self.complete = bool(complete)
        self.degenerate = degenerate
        self.components = None if components is None else tuple(tuple(c) for c in components)
        self.game = game

    def __getitem__(self, index: Any) -> Any:
        return self._items[index]

    def __len__(self) -> int:
        return len(self._items)

    def __iter__(self) -> Iterator[Equilibrium]:
        return iter(self._items)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, EquilibriumSet):
            return self._items == other._items
        if isinstance(other, tuple):
            return self._items == other
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self._items)

    @property
    def profiles(self) -> list[tuple[int, ...] | None]:
        """The action indices of each equilibrium (None for a mixed one)."""
        return [e.profile for e in self._items]

    def __repr__(self) -> str:
        status = "complete" if self.complete else "not guaranteed complete"
        lines = [f"EquilibriumSet({len(self)} equilibria by {self.method!r}, {status})"]
        lines += [f"  {e!r}" for e in self._items[:20]]
        if len(self) > 20:
            lines.append(f"  ... {len(self) - 20} more")
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        esc = html.escape
        status = "complete" if self.complete else "not guaranteed complete"
        rows = "".join(
            f"<tr><td>{k}</td><td>{esc(e._describe_profile())}</td>"
            f"<td>{esc(', '.join(format_number(p) for p in e.payoffs))}</td>"
            f"<td>{esc(format_number(e.regret))}</td></tr>"
            for k, e in enumerate(self._items[:100]))
        return (f"<table><caption>{len(self)} equilibria by {esc(self.method)} ({status})"
                f"</caption><tr><th>#</th><th>profile</th><th>payoffs</th><th>regret</th></tr>"
                f"{rows}</table>")

    def to_dict(self) -> dict[str, Any]:
        return {
            "method": self.method,
            "parameters": self.parameters,
            "complete": self.complete,
            "degenerate": self.degenerate,
            "components": None if self.components is None else [list(c) for c in self.components],
            "equilibria": [e.to_dict() for e in self._items],
        }
