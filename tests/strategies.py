"""Hypothesis strategies for games, shared by the test modules."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
from hypothesis import strategies as st

import games


@st.composite
def shapes(draw, min_players: int = 1, max_players: int = 4, max_actions: int = 4,
           max_profiles: int = 64) -> tuple[int, ...]:
    """Action counts of a small game."""
    n = draw(st.integers(min_players, max_players))
    shape = []
    for _ in range(n):
        room = max(1, max_profiles // max(1, int(np.prod(shape))))
        shape.append(draw(st.integers(1, min(max_actions, room))))
    return tuple(shape)


@st.composite
def game_objects(draw, exact: bool | None = None, min_players: int = 1, max_players: int = 4,
                 max_actions: int = 4, ties: bool = True) -> games.Game:
    """A small game: exact (small integers and halves, so ties are common) or float."""
    shape = draw(shapes(min_players, max_players, max_actions))
    n = len(shape)
    if exact is None:
        exact = draw(st.booleans())
    size = n * int(np.prod(shape))
    if exact:
        values = draw(st.lists(st.integers(-4 if ties else -10**6, 4 if ties else 10**6),
                               min_size=size, max_size=size))
        halves = draw(st.booleans())
        data = [Fraction(v, 2) if halves else v for v in values]
        payoffs = np.array(data, dtype=object).reshape((n, *shape))
    else:
        finite = st.floats(-100, 100, allow_nan=False, allow_infinity=False, width=64)
        data = draw(st.lists(st.integers(-3, 3).map(float) if ties else finite,
                             min_size=size, max_size=size))
        payoffs = np.array(data, dtype=float).reshape((n, *shape))
    return games.Game(payoffs)


def brute_force_pure_equilibria(game: games.Game) -> list[tuple[int, ...]]:
    """Pure equilibria by checking every unilateral deviation of every profile (slow,
    obviously correct; exact on exact games)."""
    u = game.payoffs
    found = []
    for profile in np.ndindex(*game.shape):
        stable = True
        for i in range(game.n_players):
            current = u[(i, *profile)]
            for b in range(game.shape[i]):
                deviation = profile[:i] + (b,) + profile[i + 1:]
                if u[(i, *deviation)] > current:
                    stable = False
                    break
            if not stable:
                break
        if stable:
            found.append(tuple(int(a) for a in profile))
    return found
