"""Support enumeration for two-player games: the textbook algorithm, complete for
nondegenerate games, with degeneracy detected and reported.

In a nondegenerate game every equilibrium has supports of equal size ``k``; for each pair
of supports ``(I, J)`` the indifference conditions are a square linear system, and its
solution is an equilibrium when it is a probability vector against which no action
outside the support does better.
"""

from __future__ import annotations

import itertools
import warnings
from fractions import Fraction
from typing import Any

import numpy as np

from games.model import Game
from games.results import EquilibriumSet, make_equilibrium
from games.solvers.vertex_enumeration import (_check_two_players, _exact_solve,
                                              is_degenerate, make_float_equilibria)

__all__ = ["support_enumeration", "DegenerateGameWarning"]

METHOD = "support_enumeration"


class DegenerateGameWarning(UserWarning):
    """A method that is complete only for nondegenerate games met a degenerate one."""


def support_enumeration(game: Game, exact: bool | None = None) -> EquilibriumSet:
    r"""Equilibria of a two-player game by enumerating pairs of equal-size supports.

    For supports :math:`I, J` with :math:`|I| = |J| = k`, solve
    :math:`\sum_{j \in J} a_{ij} y_j = u` (:math:`i \in I`), :math:`\sum_J y_j = 1` and
    :math:`\sum_{i \in I} x_i b_{ij} = v` (:math:`j \in J`), :math:`\sum_I x_i = 1`;
    keep the solutions that are positive on the supports and against which no other
    action pays more. In a nondegenerate game this finds every equilibrium. In a
    degenerate game (some strategy with ``k`` actions in its support has more than ``k``
    best responses) equilibria with unequal supports, and continua, are missed: the
    degeneracy is detected and reported (``degenerate=True``, ``complete=False`` and a
    :class:`DegenerateGameWarning`); :func:`games.all_equilibria` is complete there.

    Parameters
    ----------
    game : Game
        A two-player game.
    exact : bool, optional
        Exact rational arithmetic (default: the game's own).

    Returns
    -------
    EquilibriumSet
        ``complete`` is True exactly when the game is nondegenerate.

    References
    ----------
    Nisan, N., Roughgarden, T., Tardos, E. & Vazirani, V. (2007). Algorithmic Game
    Theory, section 3.4; von Stengel (2002), Handbook of Game Theory 3, ch. 45.

    Examples
    --------
    >>> import games
    >>> eqs = games.support_enumeration(games.catalog.matching_pennies())
    >>> len(eqs), eqs.complete
    (1, True)
    """
    _check_two_players(game, "support_enumeration")
    if exact is None:
        exact = game.exact
    if exact and not game.exact:
        game = game.to_exact()
    elif not exact and game.exact:
        game = game.to_float()
    degenerate = is_degenerate(game)
    if exact:
        equilibria = _exact_supports(game)
    else:
        equilibria = _float_supports(game)
    parameters: dict[str, Any] = {"exact": exact}
    if degenerate:
        note = ("the game is degenerate: support enumeration can miss equilibria with "
                "supports of unequal size and continua; use games.all_equilibria for every "
                "extreme equilibrium")
        parameters["note"] = note
        warnings.warn(f"support_enumeration: {note}", DegenerateGameWarning, stacklevel=2)
    return EquilibriumSet(equilibria, method=METHOD, complete=not degenerate,
                          parameters=parameters, degenerate=degenerate, game=game)


def _float_supports(game: Game) -> list:
    A = np.asarray(game.float_payoffs[0], dtype=np.float64)
    B = np.asarray(game.float_payoffs[1], dtype=np.float64)
    m, n = A.shape
    scale = max(1.0, float(np.abs(game.float_payoffs).max()))
    tol = 1e-9 * scale
    xs, ys = [], []
    for k in range(1, min(m, n) + 1):
        cols = np.array(list(itertools.combinations(range(n), k)), dtype=np.intp)
        rows_all = list(itertools.combinations(range(m), k))
        for I in rows_all:
            I = np.array(I, dtype=np.intp)
            # y on each J: [A_IJ  -1; 1 0] [y; u] = [0; 1]
            My = np.zeros((len(cols), k + 1, k + 1))
            My[:, :k, :k] = A[I][:, cols].transpose(1, 0, 2)
            My[:, :k, k] = -1.0
            My[:, k, :k] = 1.0
            Mx = np.zeros((len(cols), k + 1, k + 1))
            Mx[:, :k, :k] = B[I][:, cols].transpose(1, 2, 0)    # rows j, columns i
            Mx[:, :k, k] = -1.0
            Mx[:, k, :k] = 1.0
            rhs = np.zeros(k + 1)
            rhs[k] = 1.0
            ok = (np.abs(np.linalg.det(My)) > 1e-12) & (np.abs(np.linalg.det(Mx)) > 1e-12)
            if not ok.any():
                continue
            idx = np.flatnonzero(ok)
            sy = np.linalg.solve(My[idx], np.broadcast_to(rhs, (len(idx), k + 1))[..., None])[..., 0]
            sx = np.linalg.solve(Mx[idx], np.broadcast_to(rhs, (len(idx), k + 1))[..., None])[..., 0]
            good = (sy[:, :k] > tol).all(axis=1) & (sx[:, :k] > tol).all(axis=1)
            for t in np.flatnonzero(good):
                J = cols[idx[t]]
                y = np.zeros(n)
                y[J] = sy[t, :k]
                x = np.zeros(m)
                x[I] = sx[t, :k]
                if (A @ y).max() <= sy[t, k] + tol and (x @ B).max() <= sx[t, k] + tol:
                    xs.append(x)
                    ys.append(y)
    if not xs:
        return []
    return make_float_equilibria(game, np.array(xs), np.array(ys),
                                 [(k, k) for k in range(len(xs))], METHOD)


def _exact_supports(game: Game) -> list:
    A, B = game.payoffs[0], game.payoffs[1]
    m, n = A.shape
    out = []
    for k in range(1, min(m, n) + 1):
        for I in itertools.combinations(range(m), k):
            for J in itertools.combinations(range(n), k):
                y = _indifferent(A, I, J)
                if y is None:
                    continue
                x = _indifferent(B.T, J, I)
                if x is None:
                    continue
                u = max(A[i, :] @ y for i in I)
                v = max(x @ B[:, j] for j in J)
                if max(A @ y) <= u and max(x @ B) <= v:
                    out.append(make_equilibrium(game, (x, y), METHOD))
    return out


def _indifferent(A: np.ndarray, I: tuple, J: tuple) -> np.ndarray | None:
    """Strategy on ``J``, positive there, making every row of ``I`` equally good."""
    k = len(J)
    rows = [[Fraction(A[i, j]) for j in J] + [Fraction(-1)] for i in I]
    rows.append([Fraction(1)] * k + [Fraction(0)])
    sol = _exact_solve(rows, [Fraction(0)] * len(I) + [Fraction(1)])
    if sol is None or min(sol[:k]) <= 0:
        return None
    y = np.array([Fraction(0)] * A.shape[1], dtype=object)
    for t, j in enumerate(J):
        y[j] = sol[t]
    return y
