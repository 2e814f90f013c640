"""Pure-strategy Nash equilibria of n-player games, fully vectorised."""

from __future__ import annotations

import numpy as np

from games.model import Game
from games.results import EquilibriumSet, make_pure_equilibria

__all__ = ["pure_equilibria", "best_response_masks"]


def pure_equilibria(game: Game) -> EquilibriumSet:
    r"""Every pure-strategy Nash equilibrium of an n-player game.

    A profile :math:`a` is an equilibrium when every player's action is a best response:
    :math:`u_i(a) = \max_{b} u_i(b, a_{-i})` for all :math:`i`. One best-response mask
    per player (a maximum along that player's axis) and their conjunction give every
    equilibrium at once; there is no Python loop over profiles. It is *strict* when each
    action is the unique best response. Exact games are compared in exact (integer-scaled)
    arithmetic, and each result's certificate is recomputed from the payoffs.

    Parameters
    ----------
    game : Game
        Any number of players.

    Returns
    -------
    EquilibriumSet
        Complete (every pure equilibrium), ordered lexicographically by action indices;
        each :class:`~games.Equilibrium` has ``strict`` set.

    References
    ----------
    Nash, J. (1951). Non-cooperative games. Annals of Mathematics 54(2), 286-295.

    Examples
    --------
    >>> import games
    >>> pd = games.Game.from_bimatrix([[3, 0], [5, 1]], [[3, 5], [0, 1]])
    >>> [e.profile for e in games.pure_equilibria(pd)]
    [(1, 1)]
    """
    best, unique = best_response_masks(game)
    is_equilibrium = np.logical_and.reduce(best)
    profiles = np.argwhere(is_equilibrium)
    strict = np.logical_and.reduce([u[tuple(profiles.T)] for u in unique]) if len(profiles) \
        else np.zeros(0, dtype=bool)
    equilibria = make_pure_equilibria(game, profiles, "pure", strict=strict)
    return EquilibriumSet(equilibria, method="pure", complete=True, game=game, sort=False)


def best_response_masks(game: Game) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """For each player ``i``, the boolean array of the game's shape that is True where
    ``a_i`` is a best response to ``a_{-i}``, and the array that is True where it is the
    unique one. Exact games are compared exactly."""
    payoffs = game.integer_payoffs()[0] if game.exact else game.float_payoffs
    best, unique = [], []
    for i in range(game.n_players):
        u = payoffs[i]
        is_best = u == u.max(axis=i, keepdims=True)
        best.append(is_best)
        unique.append(is_best & (is_best.sum(axis=i, keepdims=True) == 1))
    return best, unique
