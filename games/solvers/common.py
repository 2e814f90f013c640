"""Helpers shared by the two-player solvers: argument checks and exact linear algebra."""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import numpy as np

from games.errors import InvalidGameError
from games.model import Game

__all__ = ["check_two_players", "exact_solve", "positive_ints"]


def check_two_players(game: Any, name: str) -> None:
    """Raise :class:`InvalidGameError` unless ``game`` is a two-player Game.

    ``name`` is the calling function, named in the message.
    """
    if not isinstance(game, Game):
        raise InvalidGameError(f"game: expected a games.Game, found {type(game).__name__}")
    if game.n_players != 2:
        raise InvalidGameError(
            f"{name}: expected a two-player game, found {game.n_players} players (shape "
            f"{game.shape}); use games.mixed_equilibria for n players")


def exact_solve(rows: list[list[Fraction]], rhs: list[Fraction]) -> list[Fraction] | None:
    """The unique solution of a (possibly overdetermined) exact linear system, or None when
    it has none or infinitely many (Gauss-Jordan elimination on Fractions)."""
    n_unknowns = len(rows[0])
    M = [list(r) + [b] for r, b in zip(rows, rhs)]
    row = 0
    for col in range(n_unknowns):
        p = next((i for i in range(row, len(M)) if M[i][col] != 0), None)
        if p is None:
            return None
        M[row], M[p] = M[p], M[row]
        pv = M[row][col]
        M[row] = [v / pv for v in M[row]]
        for i in range(len(M)):
            if i != row and M[i][col] != 0:
                f = M[i][col]
                M[i] = [a - f * b for a, b in zip(M[i], M[row])]
        row += 1
    if any(M[i][-1] != 0 for i in range(row, len(M))):
        return None
    return [M[i][-1] for i in range(n_unknowns)]


def positive_ints(M: np.ndarray) -> np.ndarray:
    """An integer matrix shifted so every entry is >= 1 (object array of Python ints)."""
    M = np.array([[int(v) for v in row] for row in M], dtype=object)
    shift = 1 - min(M.flat)
    return M + shift
