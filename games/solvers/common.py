"""Helpers shared by the two-player solvers: argument checks and exact linear algebra."""

from __future__ import annotations

from collections.abc import Callable
from fractions import Fraction
from typing import Any

import numpy as np

from games.errors import InvalidGameError
from games.model import Game

__all__ = ["check_two_players", "exact_solve", "positive_ints", "rounded_point",
           "vertex_from_active_constraints"]


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


def rounded_point(x: np.ndarray, feasible: Callable[[np.ndarray], bool],
                  limits: tuple[int, ...] = (10**3, 10**6), distance: float = 1e-7
                  ) -> np.ndarray | None:
    """Exact probabilities near the float probabilities ``x``: each rounded to the closest
    fraction with denominator at most ``limit`` (continued fractions), renormalised, kept
    when within ``distance`` of ``x`` and ``feasible``; None when no limit works."""
    for limit in limits:
        q = np.array([Fraction(float(v)).limit_denominator(limit) for v in x], dtype=object)
        total = sum(q)
        if total == 0:
            continue
        q = q / total
        if np.abs(q.astype(np.float64) - x).max() <= distance and feasible(q):
            return q
    return None


def vertex_from_active_constraints(G: np.ndarray, x: np.ndarray, scale: float
                                   ) -> np.ndarray | None:
    """The vertex of ``{q >= 0 : sum q = 1, G q <= 0}`` (``G`` exact) that the float point
    ``x`` approximates: the unique solution of its active constraints (the rows of ``G``
    within a threshold of tight, relative to ``scale``, and the coordinates of ``x`` within
    it of 0), solved and verified in exact arithmetic; several thresholds are tried, and
    None is returned when none gives a unique feasible solution."""
    gains = G.astype(np.float64) @ x if len(G) else np.zeros(0)
    tried = set()
    for threshold in (1e-9, 1e-7, 1e-11, 1e-5):
        support = np.flatnonzero(x > threshold)
        tight = np.flatnonzero(gains >= -threshold * scale)
        key = (tuple(support), tuple(tight))
        if key in tried or not len(support):
            continue
        tried.add(key)
        rows = [list(G[r, support]) for r in tight] + [[Fraction(1)] * len(support)]
        solution = exact_solve(rows, [Fraction(0)] * len(tight) + [Fraction(1)])
        if solution is None or min(solution) < 0:
            continue
        q = np.empty(len(x), dtype=object)
        q[:] = Fraction(0)
        q[support] = solution
        if len(G) == 0 or max(G.dot(q)) <= 0:
            return q
    return None
