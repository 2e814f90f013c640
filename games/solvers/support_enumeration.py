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

from games.arguments import check_flag
from games.model import Game
from games.results import EquilibriumSet, make_equilibrium
from games.solvers.common import check_two_players, exact_solve
from games.solvers.vertex_enumeration import is_degenerate, make_float_equilibria

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
    check_flag(exact, "exact", optional=True)
    check_two_players(game, "support_enumeration")
    if exact is None:
        exact = game.exact
    game = game.with_arithmetic(exact)
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
    xs, ys = [], []
    A, B = _unit(A), _unit(B)
    tol = 1e-10
    for Is, J, x, y, ill in _candidates(A, B, tol):
        if ill:
            x, y = _solve_pair(A, B, Is, J, tol)
        if x is not None:
            xs.append(x)
            ys.append(y)
    if not xs:
        return []
    return make_float_equilibria(game, np.array(xs), np.array(ys),
                                 [(k, k) for k in range(len(xs))], METHOD)


def _unit(M: np.ndarray) -> np.ndarray:
    """``M`` affinely mapped onto [0, 1] (best responses do not change)."""
    span = float(M.max() - M.min())
    return (M - M.min()) / span if span > 0 else np.zeros_like(M)


def _candidates(A: np.ndarray, B: np.ndarray, tol: float):
    """Support pairs ``(I, J)`` of equal size whose indifference systems have a solution
    that is (within ``tol``) an equilibrium, with that solution; pairs whose systems are
    ill-conditioned are also yielded, with ``x = y = None`` and ``True``."""
    m, n = A.shape
    for k in range(1, min(m, n) + 1):
        cols = np.array(list(itertools.combinations(range(n), k)), dtype=np.intp)
        rhs = np.zeros(k + 1)
        rhs[k] = 1.0
        for Is in itertools.combinations(range(m), k):
            Is = np.array(Is, dtype=np.intp)
            # y on each J: [A_IJ  -1; 1 0] [y; u] = [0; 1], and x likewise with B^T
            My = np.zeros((len(cols), k + 1, k + 1))
            My[:, :k, :k] = A[Is][:, cols].transpose(1, 0, 2)
            My[:, :k, k] = -1.0
            My[:, k, :k] = 1.0
            Mx = np.zeros((len(cols), k + 1, k + 1))
            Mx[:, :k, :k] = B[Is][:, cols].transpose(1, 2, 0)
            Mx[:, :k, k] = -1.0
            Mx[:, k, :k] = 1.0
            # inverse condition numbers (payoffs scaled to [0, 1] by the caller)
            sv_y = np.linalg.svd(My, compute_uv=False)
            sv_x = np.linalg.svd(Mx, compute_uv=False)
            rel = np.minimum(sv_y[:, -1] / sv_y[:, 0], sv_x[:, -1] / sv_x[:, 0])
            # singular systems have no unique solution: an equilibrium of a nondegenerate
            # game never comes from one (its supports would shrink along the solution line)
            singular = rel <= 1e-13
            for t in np.flatnonzero(~singular & (rel <= 1e-8)):
                yield Is, cols[t], None, None, True      # ill-conditioned: decide exactly
            idx = np.flatnonzero(rel > 1e-8)
            if not len(idx):
                continue
            b = np.broadcast_to(rhs, (len(idx), k + 1))[..., None]
            sy = np.linalg.solve(My[idx], b)[..., 0]
            sx = np.linalg.solve(Mx[idx], b)[..., 0]
            good = (sy[:, :k] > tol).all(axis=1) & (sx[:, :k] > tol).all(axis=1)
            for t in np.flatnonzero(good):
                J = cols[idx[t]]
                y = np.zeros(n)
                y[J] = sy[t, :k]
                x = np.zeros(m)
                x[Is] = sx[t, :k]
                if (A @ y).max() <= sy[t, k] + abs(tol) and (x @ B).max() <= sx[t, k] + abs(tol):
                    yield Is, J, x, y, False


def _solve_pair(A: np.ndarray, B: np.ndarray, Is: np.ndarray, J: np.ndarray, tol: float
                ) -> tuple[np.ndarray | None, np.ndarray | None]:
    """The equilibrium on supports ``(I, J)`` from one (ill-conditioned) system, or None."""
    k = len(Is)
    out = []
    for M, rows, cols, size in ((A, Is, J, A.shape[1]), (B.T, J, Is, B.shape[0])):
        S = np.zeros((k + 1, k + 1))
        S[:k, :k] = M[np.ix_(rows, cols)]
        S[:k, k] = -1.0
        S[k, :k] = 1.0
        rhs = np.zeros(k + 1)
        rhs[k] = 1.0
        sol = np.linalg.lstsq(S, rhs, rcond=None)[0]
        if not np.allclose(S @ sol, rhs, atol=tol) or (sol[:k] <= tol).any():
            return None, None
        v = np.zeros(size)
        v[cols] = sol[:k]
        out.append((v, sol[k]))
    (y, u), (x, w) = out
    if (A @ y).max() <= u + tol and (x @ B).max() <= w + tol:
        return x, y
    return None, None


def _exact_supports(game: Game) -> list:
    """Float screening of every support pair (loose tolerance), exact check of the
    survivors and of every numerically singular pair."""
    A, B = game.payoffs[0], game.payoffs[1]
    Af = _unit(np.asarray(A, dtype=np.float64))
    Bf = _unit(np.asarray(B, dtype=np.float64))
    loose = -1e-6
    out = []
    for Is, J, _, _, _ in _candidates(Af, Bf, loose):
        Is, J = tuple(int(i) for i in Is), tuple(int(j) for j in J)
        y = _indifferent(A, Is, J)
        if y is None:
            continue
        x = _indifferent(B.T, J, Is)
        if x is None:
            continue
        u = max(A[i, :] @ y for i in Is)
        v = max(x @ B[:, j] for j in J)
        if max(A @ y) <= u and max(x @ B) <= v:
            out.append(make_equilibrium(game, (x, y), METHOD))
    return out


def _indifferent(A: np.ndarray, Is: tuple, J: tuple) -> np.ndarray | None:
    """Strategy on ``J``, positive there, making every row of ``I`` equally good."""
    k = len(J)
    rows = [[Fraction(A[i, j]) for j in J] + [Fraction(-1)] for i in Is]
    rows.append([Fraction(1)] * k + [Fraction(0)])
    sol = exact_solve(rows, [Fraction(0)] * len(Is) + [Fraction(1)])
    if sol is None or min(sol[:k]) <= 0:
        return None
    y = np.array([Fraction(0)] * A.shape[1], dtype=object)
    for t, j in enumerate(J):
        y[j] = sol[t]
    return y
