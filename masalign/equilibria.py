"""The equilibria ``masalign analyze`` reports: every one where they can all be found,
otherwise as many as a few seconds of search certify, saying which method ran and
whether the set is complete. Every finite game has a Nash equilibrium (Nash 1951), so
the search never reports a finite game as having none."""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field
from typing import Any

import numpy as np

import games
from games.results import Equilibrium, EquilibriumSet
from masalign.progress import Status

__all__ = ["EquilibriumSearch", "find_equilibria", "ENUMERATION_MAX_ACTIONS",
           "ENUMPOLY_MAX_SUPPORTS", "LEMKE_HOWSON_SECONDS", "LEMKE_HOWSON_MAX_PIVOTS"]

#: Two-player games where some player has at most this many actions are enumerated
#: completely (vertex enumeration is exponential in the smaller number of actions).
ENUMERATION_MAX_ACTIONS = 10
#: n-player games with at most this many support profiles are solved by support
#: enumeration (``enumpoly``, complete for nondegenerate games); larger ones by one
#: globally convergent method.
ENUMPOLY_MAX_SUPPORTS = 50
#: Lemke-Howson starts no new label after this many seconds once it has an equilibrium.
LEMKE_HOWSON_SECONDS = 3.0
#: Pivots allowed on one Lemke-Howson path while another label may be quicker.
LEMKE_HOWSON_MAX_PIVOTS = 100_000


@dataclass(frozen=True)
class EquilibriumSearch:
    """The equilibria found, how, and whether they are all of them.

    Attributes
    ----------
    equilibria : EquilibriumSet
        Pure and mixed equilibria, each verified (its ``regret`` is the certificate).
    method : str
        The methods that ran, e.g. ``"pure enumeration + vertex enumeration"``.
    complete : bool
        True when every equilibrium (every extreme one, for two players) is in the set.
    notes : tuple of str
        Limits of the search: effort caps, arithmetic, why it is not complete.
    """

    equilibria: EquilibriumSet
    method: str
    complete: bool
    notes: tuple[str, ...] = field(default=())

    def __len__(self) -> int:
        return len(self.equilibria)

    @property
    def completeness(self) -> str:
        return "complete" if self.complete else "not guaranteed complete"

    def to_dict(self) -> dict[str, Any]:
        out = self.equilibria.to_dict()
        out.update({"method": self.method, "complete": self.complete,
                    "notes": list(self.notes)})
        return out

    def _repr_html_(self) -> str:
        return self.equilibria._repr_html_()


def _merge(game: games.Game, found: list[Equilibrium]) -> list[Equilibrium]:
    """Equilibria without repeats (pure ones by profile, mixed ones to 9 decimals)."""
    seen: set[Any] = set()
    out = []
    for e in found:
        if e.profile is not None:
            key: Any = e.profile
        else:
            key = tuple(tuple(np.round(np.asarray(s, dtype=np.float64), 9).tolist())
                        for s in e.strategies)
        if key not in seen:
            seen.add(key)
            out.append(e)
    return out


def _support_profiles(game: games.Game) -> int:
    return math.prod(2**k - 1 for k in game.shape)


def _lemke_howson(game: games.Game, status: Status) -> tuple[list[Equilibrium], str, list[str]]:
    """Lemke-Howson from every label, in floating point, within a time budget."""
    fgame = game.to_float() if game.exact else game
    m, n = fgame.shape
    labels = m + n
    found: list[Equilibrium] = []
    tried, capped = 0, 0
    start = time.monotonic()
    for k in range(labels):
        if found and time.monotonic() - start > LEMKE_HOWSON_SECONDS:
            break
        status.update(f"label {k + 1} of {labels}, {len(found)} found")
        tried += 1
        try:
            found.append(games.lemke_howson(fgame, initial_label=k,
                                            max_pivots=LEMKE_HOWSON_MAX_PIVOTS))
        except games.SolverError:
            capped += 1
    notes = []
    if not found:   # every path ends (Lemke & Howson 1964): follow one to its end
        status.update("following label 1 to its end")
        found.append(games.lemke_howson(fgame, initial_label=0))
        notes.append("every path was long: label 1 was followed to its end")
    method = "Lemke-Howson from every label" if tried == labels and not capped else \
        f"Lemke-Howson from {tried - capped} of {labels} labels"
    if tried < labels:
        notes.append(f"Lemke-Howson stopped after {LEMKE_HOWSON_SECONDS:g} s "
                     f"({tried} of {labels} labels tried)")
    if capped:
        notes.append(f"{capped} label(s) abandoned after {LEMKE_HOWSON_MAX_PIVOTS} pivots")
    if game.exact:
        notes.append("Lemke-Howson ran in floating point (certificates are float regrets)")
    return found, method, notes


def find_equilibria(game: games.Game, reduction: Any = None,
                    status: Status | None = None) -> EquilibriumSearch:
    """Pure equilibria (complete), and mixed ones by the strongest method that runs in
    seconds: every extreme equilibrium for two players when a player has at most
    ``ENUMERATION_MAX_ACTIONS`` actions (:func:`games.all_equilibria`); else
    Lemke-Howson from every label within ``LEMKE_HOWSON_SECONDS``; for three or more
    players support enumeration (``enumpoly``) on small games, else
    :func:`games.mixed_equilibria`. A dominance-solvable game's surviving profile is its
    only equilibrium.

    Parameters
    ----------
    game : Game
    reduction : Reduction, optional
        The game's iterated elimination of strictly dominated strategies, if known.
    status : Status, optional
        Where to report progress.

    Returns
    -------
    EquilibriumSearch
        At least one verified equilibrium.

    Examples
    --------
    >>> import games
    >>> s = find_equilibria(games.random_game((2, 2, 2, 2, 2), seed=3))
    >>> len(s) >= 1, all(e.regret <= 1e-9 for e in s.equilibria)
    (True, True)
    """
    status = Status(enabled=False) if status is None else status
    status.set("finding the pure equilibria")
    pure = games.pure_equilibria(game)
    found = list(pure)
    methods = ["pure enumeration"]
    notes: list[str] = []
    complete = game.n_players == 1
    if not complete and reduction is not None and reduction.solved:
        complete = True   # the surviving profile is the unique equilibrium
        methods.append("iterated strict dominance")
    elif not complete and game.n_players == 2:
        if min(game.shape) <= ENUMERATION_MAX_ACTIONS:
            status.set("enumerating every extreme equilibrium (vertex enumeration)")
            try:
                every = games.all_equilibria(game)
                found += list(every)
                complete = every.complete
                methods.append("vertex enumeration")
            except games.GameError as err:
                notes.append(f"vertex enumeration failed ({err}); Lemke-Howson instead")
        if not complete:
            status.set("Lemke-Howson from every label")
            lh, method, lh_notes = _lemke_howson(game, status)
            found += lh
            methods.append(method)
            notes += lh_notes
            notes.append("Lemke-Howson finds some equilibria, not necessarily all")
    elif not complete:
        if _support_profiles(game) <= ENUMPOLY_MAX_SUPPORTS:
            status.set("support enumeration (enumpoly)")
            try:
                every = games.mixed_equilibria(game, method="enumpoly")
                found += list(every)
                complete = every.complete
                methods.append("support enumeration (enumpoly)")
                if not complete:
                    notes.append("support enumeration met singular or underdetermined "
                                 "systems (a continuum or degeneracy): not guaranteed "
                                 "complete")
            except games.GameError as err:
                notes.append(f"support enumeration failed ({err})")
        if not complete and len(_merge(game, found)) <= len(pure):
            status.set("searching for a mixed equilibrium (mixed_equilibria)")
            try:
                one = games.mixed_equilibria(game)
                found += list(one)
                methods.append(f"mixed_equilibria ({one.method})")
            except games.GameError as err:
                notes.append(f"the mixed search stopped without a certified equilibrium: {err}")
        if not complete:
            notes.append("for three or more players the methods run find some equilibria, "
                         "not necessarily all")
    merged = _merge(game, found)
    result = EquilibriumSet(merged, method=" + ".join(methods), complete=complete, game=game)
    return EquilibriumSearch(result, " + ".join(methods), complete, tuple(notes))
