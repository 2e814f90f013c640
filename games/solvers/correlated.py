"""Correlated and coarse correlated equilibria by linear programming.

A correlated equilibrium (Aumann 1974) is a joint distribution :math:`x` over pure
profiles such that no player gains by deviating from a recommended action:

.. math:: \\sum_{a_{-i}} x(a_i, a_{-i}) \\,[u_i(b_i, a_{-i}) - u_i(a_i, a_{-i})] \\le 0
          \\quad \\text{for all } i,\\ a_i,\\ b_i \\ne a_i.

A coarse correlated equilibrium (Hannan; Moulin & Vial 1978) only asks that no player
gains by committing in advance to one action ``b_i`` whatever is recommended:
:math:`\\sum_a x(a) [u_i(b_i, a_{-i}) - u_i(a)] \\le 0`. Both sets are polytopes; the
constraints are built as one sparse matrix, vectorised over profiles.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

import numpy as np

from games.arguments import check_flag
from games.errors import InvalidArgumentError, InvalidGameError, SolverError
from games.model import Game, format_number
from games.solvers.common import rounded_point, vertex_from_active_constraints
from games.tolerance import float_tolerance, payoff_scale

__all__ = ["correlated_equilibrium", "CorrelatedEquilibrium", "correlated_constraints",
           "deviation_gains", "objective_vector", "solve_lp"]


@dataclass(frozen=True, eq=False)
class CorrelatedEquilibrium:
    """A (coarse) correlated equilibrium: a joint distribution with its certificate.

    Attributes
    ----------
    distribution : ndarray
        Probabilities of the pure profiles, an array of the game's shape (Fractions when
        exact).
    payoffs : ndarray
        Expected payoff of each player.
    regret : float or Fraction
        The certificate: the largest expected gain of any player from a deviation
        (from one recommended action for a CE, from the recommendation as a whole for a
        coarse CE); 0 at an exact equilibrium, at most
        :func:`games.tolerance.float_tolerance` for a float one.
    exact : bool
        Whether the distribution was rationalised and verified in exact arithmetic.
    coarse : bool
        True for a coarse correlated equilibrium.
    objective : str
        What the LP maximised (``"none"``, ``"welfare"``, a layer name or ``"weights"``).
    value : float or Fraction or None
        The maximised objective at the solution.
    method : str
    game : Game
    """

    distribution: np.ndarray
    payoffs: np.ndarray
    regret: Any
    exact: bool
    coarse: bool
    objective: str
    value: Any
    method: str
    game: Game | None = field(default=None, repr=False)

    @property
    def support(self) -> list[tuple[int, ...]]:
        """The pure profiles with positive probability, in lexicographic order."""
        return [tuple(int(i) for i in p) for p in np.argwhere(self.distribution != 0)]

    def marginals(self) -> tuple[np.ndarray, ...]:
        """Each player's marginal distribution over its actions."""
        axes = range(self.distribution.ndim)
        return tuple(self.distribution.sum(axis=tuple(j for j in axes if j != i))
                     for i in axes)

    def _profile_text(self, profile: tuple[int, ...]) -> str:
        if self.game is None:
            return str(profile)
        return "(" + ", ".join(self.game.actions[i][a] for i, a in enumerate(profile)) + ")"

    def __repr__(self) -> str:
        kind = "CoarseCorrelatedEquilibrium" if self.coarse else "CorrelatedEquilibrium"
        parts = [f"{self._profile_text(p)}: {format_number(self.distribution[p])}"
                 for p in self.support[:8]]
        more = f", ... {len(self.support) - 8} more" if len(self.support) > 8 else ""
        pays = ", ".join(format_number(p) for p in self.payoffs)
        return (f"{kind}({{{', '.join(parts)}{more}}}, payoffs ({pays}), "
                f"regret {format_number(self.regret)})")

    def _repr_html_(self) -> str:
        esc = html.escape
        rows = "".join(f"<tr><td>{esc(self._profile_text(p))}</td>"
                       f"<td>{esc(format_number(self.distribution[p]))}</td></tr>"
                       for p in self.support[:100])
        return (f"<table><caption>{esc(repr(self))}</caption><tr><th>profile</th>"
                f"<th>probability</th></tr>{rows}</table>")

    def to_dict(self) -> dict[str, Any]:
        def num(x: Any) -> Any:
            if isinstance(x, Fraction):
                return x.numerator if x.denominator == 1 else f"{x.numerator}/{x.denominator}"
            return float(x)
        return {
            "kind": "coarse correlated" if self.coarse else "correlated",
            "support": [list(p) for p in self.support],
            "probabilities": [num(self.distribution[p]) for p in self.support],
            "payoffs": [num(p) for p in self.payoffs],
            "regret": num(self.regret),
            "exact": self.exact,
            "objective": self.objective,
            "value": None if self.value is None else num(self.value),
            "method": self.method,
        }


# ---------------------------------------------------------------------------------------
# Constraints


def correlated_constraints(game: Game, coarse: bool = False, exact: bool = False):
    r"""The incentive constraints ``A @ x <= 0`` of the (coarse) correlated equilibria of
    ``game``, ``x`` the joint distribution flattened in C order.

    One row per (player, recommended action, deviation) for a CE: the row of
    :math:`(i, a_i, b_i)` has :math:`u_i(b_i, a_{-i}) - u_i(a_i, a_{-i})` at the
    profiles :math:`(a_i, a_{-i})` and zeros elsewhere (a sparse matrix with
    :math:`\sum_i (m_i - 1) P` non-zeros, P the number of profiles). One dense row per
    (player, deviation) for a coarse CE. Built with array operations only.

    Parameters
    ----------
    exact : bool
        Return an object array of Fractions (dense) for exact verification instead of a
        scipy CSR matrix of floats.

    Returns
    -------
    matrix, labels
        The constraint matrix and, per row, ``(player, recommended or None, deviation)``.
    """
    payoffs = game.payoffs if exact else game.float_payoffs
    shape = game.shape
    n_profiles = game.n_profiles
    index = np.arange(n_profiles).reshape(shape)
    blocks_rows, blocks_cols, blocks_data, labels = [], [], [], []
    row0 = 0
    for i in range(game.n_players):
        m = shape[i]
        u = np.moveaxis(payoffs[i], i, 0).reshape(m, -1)          # (m_i, rest)
        cols = np.moveaxis(index, i, 0).reshape(m, -1)
        if coarse:
            # row b: sum over all profiles a of u_i(b, a_-i) - u_i(a)
            gains = u[:, np.newaxis, :] - u[np.newaxis, :, :]     # (b, a_i, rest)
            data = gains.reshape(m, -1)
            c = np.broadcast_to(cols.reshape(1, -1), data.shape)
            r = np.broadcast_to(np.arange(m)[:, None], data.shape) + row0
            labels += [(i, None, b) for b in range(m)]
            row0 += m
        else:
            a, b = np.nonzero(~np.eye(m, dtype=bool))             # pairs a != b
            data = u[b] - u[a]                                    # (pairs, rest)
            c = cols[a]
            r = np.broadcast_to(np.arange(len(a))[:, None], data.shape) + row0
            labels += [(i, int(x), int(y)) for x, y in zip(a, b)]
            row0 += len(a)
        blocks_rows.append(np.ravel(r))
        blocks_cols.append(np.ravel(c))
        blocks_data.append(np.ravel(data))
    rows = np.concatenate(blocks_rows) if blocks_rows else np.zeros(0, dtype=np.intp)
    cols = np.concatenate(blocks_cols) if blocks_cols else np.zeros(0, dtype=np.intp)
    data = np.concatenate(blocks_data) if blocks_data else np.zeros(0)
    if exact:
        dense = np.empty((row0, n_profiles), dtype=object)
        dense[:] = Fraction(0)
        dense[rows, cols] = data          # each (row, col) appears once
        return dense, labels
    from scipy import sparse
    matrix = sparse.csr_matrix((data.astype(np.float64), (rows, cols)),
                               shape=(row0, n_profiles))
    return matrix, labels


def deviation_gains(game: Game, distribution: Any, coarse: bool = False) -> np.ndarray:
    """Each incentive constraint's gain ``A @ x`` at a joint distribution (the rows of
    :func:`correlated_constraints`); exact when the game and the distribution are."""
    check_flag(coarse, "coarse")
    dist = np.asarray(distribution)
    if dist.shape != game.shape:
        raise InvalidGameError(
            f"distribution: expected an array of the game's shape {game.shape}, found {dist.shape}")
    exact = game.exact and dist.dtype == object
    matrix, _ = correlated_constraints(game, coarse=coarse, exact=exact)
    flat = dist.reshape(-1)
    if exact:
        return matrix.dot(flat)
    return matrix @ flat.astype(np.float64)


# ---------------------------------------------------------------------------------------
# Objectives


def objective_vector(game: Game, objective: Any, exact: bool = False) -> tuple[np.ndarray, str]:
    """The linear objective over joint distributions (flattened), and its name.

    ``None``: zero (any equilibrium); ``"welfare"``: the sum of the players' payoffs;
    a layer name: the sum of that layer's criteria; a sequence of one weight per player:
    the weighted sum of payoffs; an array of the game's shape: that score per profile.
    """
    def as_float(arr: np.ndarray) -> np.ndarray:
        return arr if exact else np.asarray(arr, dtype=np.float64)

    if objective is None:
        return np.zeros(game.n_profiles), "none"
    if isinstance(objective, str):
        if objective == "welfare":
            return as_float(game.payoffs).sum(axis=0).reshape(-1), "welfare"
        if objective in game.layers:
            return as_float(game.layers[objective]).sum(axis=0).reshape(-1), objective
        raise InvalidArgumentError(
            f"objective: expected None, 'welfare', a layer name {tuple(game.layers)} or "
            f"weights, found {objective!r}")
    arr = np.asarray(objective, dtype=object if exact else np.float64)
    if arr.shape == (game.n_players,):
        weights = arr
        if not exact and not np.all(np.isfinite(weights)):
            raise InvalidArgumentError(f"objective: expected finite weights, found {objective!r}")
        return np.tensordot(weights, as_float(game.payoffs), axes=1).reshape(-1), "weights"
    if arr.shape == game.shape:
        return arr.reshape(-1), "scores"
    raise InvalidArgumentError(
        f"objective: expected {game.n_players} weights (one per player) or an array of the "
        f"game's shape {game.shape}, found shape {arr.shape}")


# ---------------------------------------------------------------------------------------
# The solver


def correlated_equilibrium(game: Game, objective: Any = None, coarse: bool = False,
                           maximize: bool = True) -> CorrelatedEquilibrium:
    r"""A correlated (or coarse correlated) equilibrium optimising a linear objective.

    Solves the linear program

    .. math:: \max_x\ c^\top x \quad \text{s.t.}\quad A x \le 0,\ \ \mathbf 1^\top x = 1,
              \ \ x \ge 0

    with the incentive constraints ``A`` of :func:`correlated_constraints` and scipy's
    HiGHS dual simplex (a vertex of the polytope). The answer is cleaned (tiny negatives
    set to 0, renormalised) and verified: its certificate, the largest gain of any
    deviation constraint, must be at most :func:`games.tolerance.float_tolerance`
    (relative to the payoff range). On an exact game the probabilities are made exact:
    rationalised (continued fractions), or else recomputed as the exact solution of the
    vertex's active constraints, and kept when they satisfy every constraint exactly;
    if neither works the float answer is returned, verified with the float tolerance
    and marked ``exact=False``. Every game has a correlated equilibrium (a Nash
    equilibrium is one), so the LP is always feasible.

    Parameters
    ----------
    game : Game
        Any number of players (the LP has one variable per pure profile).
    objective : None, "welfare", str, sequence or array
        None: any equilibrium; "welfare": the sum of payoffs; a layer name: the sum of
        its criteria; one weight per player; or a score per profile (the game's shape).
    coarse : bool
        Coarse correlated equilibrium (deviations committed before the recommendation).
    maximize : bool
        Maximise (default) or minimise the objective.

    Returns
    -------
    CorrelatedEquilibrium

    Raises
    ------
    InvalidGameError
        A malformed objective.
    SolverError
        The LP failed or its answer did not pass verification.

    References
    ----------
    Aumann, R. J. (1974). Subjectivity and correlation in randomized strategies. Journal
    of Mathematical Economics 1(1), 67-96.
    Moulin, H. & Vial, J.-P. (1978). Strategically zero-sum games. International Journal
    of Game Theory 7(3-4), 201-221.

    Examples
    --------
    >>> import games
    >>> g = games.catalog.chicken(T=7, R=6, S=2, P=0)
    >>> ce = correlated_equilibrium(g, objective="welfare")
    >>> [str(p) for p in ce.distribution.ravel()], str(ce.value)
    (['1/2', '1/4', '1/4', '0'], '21/2')
    """
    check_flag(coarse, "coarse")
    check_flag(maximize, "maximize")
    c, name = objective_vector(game, objective)
    matrix, _ = correlated_constraints(game, coarse=coarse)
    x = solve_lp(game, matrix, c if maximize else -c)
    return _finish(game, x, coarse, name, c, objective)


def solve_lp(game: Game, matrix: Any, c: np.ndarray) -> np.ndarray:
    """A vertex of ``{x >= 0 : matrix @ x <= 0, sum x = 1}`` maximising ``c @ x`` (HiGHS dual
    simplex), ``matrix`` the float constraints of :func:`correlated_constraints`.

    The constraints are divided by the payoff range and the objective by its largest
    entry, so that HiGHS's absolute tolerances mean the same at every payoff scale.

    Raises
    ------
    SolverError
        When the LP fails.
    """
    from scipy.optimize import linprog
    n = game.n_profiles
    c_scale = float(np.abs(c).max()) if c.size else 0.0
    rows = matrix.shape[0]
    unit = 1.0 / (payoff_scale(game.float_payoffs) or 1.0)
    res = linprog(-c / (c_scale or 1.0), A_ub=matrix * unit if rows else None,
                  b_ub=np.zeros(rows) if rows else None,
                  A_eq=np.ones((1, n)), b_eq=[1.0], bounds=(0, None), method="highs-ds")
    if res.status != 0 or res.x is None:
        raise SolverError(f"correlated_equilibrium: the LP failed ({res.message})")
    return res.x


def _finish(game: Game, x: np.ndarray, coarse: bool, name: str, c: np.ndarray,
            objective: Any) -> CorrelatedEquilibrium:
    x = np.where(x < 0, 0.0, x)
    x = x / x.sum()
    method = "coarse correlated LP (HiGHS)" if coarse else "correlated LP (HiGHS)"
    if game.exact:
        exact_x, how = _exact_distribution(game, x, coarse)
        if exact_x is not None:
            c_exact, _ = objective_vector(game, objective, exact=True)
            dist = exact_x.reshape(game.shape)
            gains = deviation_gains(game, dist, coarse)
            regret = max([Fraction(0), *gains])
            payoffs = np.array([(game.payoffs[i].reshape(-1) * exact_x).sum()
                                for i in range(game.n_players)], dtype=object)
            value = None if name == "none" else (c_exact * exact_x).sum()
            return _result(dist, payoffs, regret, True, coarse, name, value,
                           f"{method}, {how}", game)
        # no exact distribution found: the float answer, held to the float tolerance
        method += ", float (not rationalised)"
    dist = x.reshape(game.shape)
    gains = deviation_gains(game, dist, coarse)
    regret = max(0.0, float(gains.max())) if gains.size else 0.0
    limit = float_tolerance(game.float_payoffs)
    if regret > limit:
        raise SolverError(
            f"correlated_equilibrium: the LP solution is not an equilibrium: a deviation "
            f"gains {regret:.3g} (expected at most {limit:.3g})")
    payoffs = game.float_payoffs.reshape(game.n_players, -1) @ x
    value = None if name == "none" else float(c @ x)
    return _result(dist, payoffs, regret, False, coarse, name, value, method, game)


def _exact_distribution(game: Game, x: np.ndarray, coarse: bool
                        ) -> tuple[np.ndarray | None, str]:
    """Exact probabilities near the LP vertex ``x`` that satisfy every constraint exactly,
    and how they were found ("rationalised" or "exact vertex"); ``(None, "")`` when
    neither works."""
    def feasible(q: np.ndarray) -> bool:
        gains = deviation_gains(game, q.reshape(game.shape), coarse)
        return len(gains) == 0 or max(gains) <= 0

    q = rounded_point(x, feasible)
    if q is not None:
        return q, "rationalised"
    exact_matrix, _ = correlated_constraints(game, coarse=coarse, exact=True)
    q = vertex_from_active_constraints(exact_matrix, x, payoff_scale(game.float_payoffs))
    if q is not None:
        return q, "exact vertex"
    return None, ""


def _result(dist, payoffs, regret, exact, coarse, name, value, method, game):
    dist = np.asarray(dist)
    dist.flags.writeable = False
    payoffs = np.asarray(payoffs)
    payoffs.flags.writeable = False
    return CorrelatedEquilibrium(distribution=dist, payoffs=payoffs, regret=regret,
                                 exact=exact, coarse=coarse, objective=name, value=value,
                                 method=method, game=game)
