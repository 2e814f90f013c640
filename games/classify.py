"""Which interaction setting a game is: collaborative, mixed-motive or competitive."""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from fractions import Fraction
from itertools import combinations
from typing import Any

import numpy as np

from games.model import Game, format_number
from games.solvers.pure import pure_equilibria
from games.tolerance import ROUNDING, float_tolerance

__all__ = ["classify", "Setting", "payoff_correlation"]

COLLABORATIVE = "collaborative"
MIXED_MOTIVE = "mixed-motive"
COMPETITIVE = "competitive"


@dataclass(frozen=True)
class Setting:
    """The interaction setting of a game and the facts behind the verdict.

    Attributes
    ----------
    kind : str
        ``"collaborative"`` (common interest: every player's payoffs are the same function
        up to a positive affine map), ``"competitive"`` (constant-sum up to positive affine
        maps of each player's payoffs) or ``"mixed-motive"`` (everything between).
    index : float
        Mean pairwise Pearson correlation of the players' payoffs across outcomes: +1 for
        common interest, -1/(n-1) for strategically constant-sum games.
    constant_sum, zero_sum : bool
        Whether the payoffs sum to the same constant (to 0) at every outcome.
    strategically_constant_sum : bool
        Whether positive weights make the weighted sum of payoffs constant.
    identical_interests : bool
        Whether all players have literally the same payoffs.
    common_interest : bool
        Whether the payoffs are identical after positive affine maps.
    potential : bool
        Whether the game is an exact potential game (Monderer & Shapley 1996).
    social_dilemma : bool
        Whether some pure equilibrium is Pareto-dominated by another outcome.
    dilemma : tuple or None
        A witness: (equilibrium profile, a profile that Pareto-dominates it).
    reasons : tuple of str
        The verdict in words.
    """

    kind: str
    index: float
    constant_sum: bool
    zero_sum: bool
    strategically_constant_sum: bool
    identical_interests: bool
    common_interest: bool
    potential: bool
    social_dilemma: bool
    dilemma: tuple[tuple[int, ...], tuple[int, ...]] | None
    reasons: tuple[str, ...] = field(default=())

    def __repr__(self) -> str:
        return f"Setting({self.kind!r}, index={self.index:+.3f})"

    def _repr_html_(self) -> str:
        facts = "".join(f"<tr><td>{html.escape(r)}</td></tr>" for r in self.reasons)
        return (f"<table><caption><b>{html.escape(self.kind)}</b> (payoff correlation index "
                f"{self.index:+.3f})</caption><tr><th>why</th></tr>{facts}</table>")

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind, "index": self.index, "constant_sum": self.constant_sum,
            "zero_sum": self.zero_sum,
            "strategically_constant_sum": self.strategically_constant_sum,
            "identical_interests": self.identical_interests,
            "common_interest": self.common_interest, "potential": self.potential,
            "social_dilemma": self.social_dilemma,
            "dilemma": None if self.dilemma is None else [list(p) for p in self.dilemma],
            "reasons": list(self.reasons),
        }


def classify(game: Game) -> Setting:
    r"""The interaction setting of ``game`` (Carichon et al. 2025): collaborative,
    mixed-motive or competitive, with a continuous index and the facts behind it.

    Collaborative: common interest (:math:`u_i = \alpha_i v + \beta_i`, :math:`\alpha_i > 0`).
    Competitive: strategically constant-sum (:math:`\sum_i w_i u_i` constant for some
    :math:`w > 0`). Otherwise mixed-motive. The index is the mean pairwise correlation
    of payoffs across outcomes (players with constant payoffs are left out of it).
    The verdict is exact on exact games; the index is a float.

    Examples
    --------
    >>> import games
    >>> classify(games.Game.from_bimatrix([[1, -1], [-1, 1]])).kind
    'competitive'
    >>> classify(games.Game.from_bimatrix([[3, 0], [5, 1]], [[3, 5], [0, 1]])).kind
    'mixed-motive'
    """
    n = game.n_players
    payoffs = game.payoffs
    flat = payoffs.reshape(n, -1)
    totals = flat.sum(axis=0)
    constant_sum = bool(_all_equal(totals, game))
    zero_sum = constant_sum and bool(_is_zero(totals[0], game))
    identical = all(_all_equal(flat[i] - flat[0], game, constant_only=False) for i in range(1, n))
    normalised = _normalise(flat, game)
    varying = [i for i in range(n) if normalised[i] is not None]
    common = all(np.array_equal(normalised[i], normalised[varying[0]]) if game.exact
                 else np.allclose(normalised[i], normalised[varying[0]], atol=1e-9)
                 for i in varying[1:]) if varying else True
    strategic_constant = constant_sum or _strategically_constant_sum(game, flat)
    potential = _is_potential(game)
    index = payoff_correlation(game)
    dilemma = _social_dilemma(game)

    reasons = []
    if not varying:
        reasons.append("every player's payoff is the same at every outcome")
    if identical:
        reasons.append("all players have identical payoffs")
    elif common:
        reasons.append("payoffs are identical up to positive affine maps (common interest)")
    if zero_sum:
        reasons.append("payoffs sum to 0 at every outcome (zero-sum)")
    elif constant_sum:
        reasons.append(f"payoffs sum to {format_number(totals[0])} at every outcome (constant-sum)")
    elif strategic_constant:
        reasons.append("payoffs are constant-sum after positive affine maps")
    if potential:
        reasons.append("an exact potential game (Monderer & Shapley 1996)")
    if dilemma is not None:
        eq, better = dilemma
        reasons.append(f"social dilemma: the pure equilibrium {_names(game, eq)} is "
                       f"Pareto-dominated by {_names(game, better)}")
    if common:
        kind = COLLABORATIVE
    elif strategic_constant and n > 1:
        kind = COMPETITIVE
    else:
        kind = MIXED_MOTIVE
        reasons.append("neither common interest nor constant-sum: interests partly conflict")
    return Setting(kind=kind, index=index, constant_sum=constant_sum, zero_sum=zero_sum,
                   strategically_constant_sum=bool(strategic_constant),
                   identical_interests=bool(identical), common_interest=bool(common),
                   potential=bool(potential), social_dilemma=dilemma is not None,
                   dilemma=dilemma, reasons=tuple(reasons))


def payoff_correlation(game: Game) -> float:
    """Mean pairwise Pearson correlation of the players' payoffs across outcomes.

    +1 when interests coincide, -1/(n-1) when they are strategically constant-sum.
    Players whose payoffs never vary are left out; with fewer than two varying players
    the index is 1 (nobody's interest conflicts with anybody's).
    """
    flat = game.float_payoffs.reshape(game.n_players, -1)
    centred = flat - flat.mean(axis=1, keepdims=True)
    norms = np.sqrt((centred**2).sum(axis=1))
    varying = [i for i in range(game.n_players) if not _is_constant(flat[i])]
    if len(varying) < 2:
        return 1.0
    z = centred[varying] / norms[varying, None]
    corr = z @ z.T
    m = len(varying)
    value = (corr.sum() - np.trace(corr)) / (m * (m - 1))
    return float(np.clip(value, -1.0, 1.0))


def _is_zero(x: Any, game: Game) -> bool:
    return x == 0 if game.exact else abs(float(x)) <= _tolerance(game)


def _tolerance(game: Game) -> float:
    """Float comparisons of payoffs: relative to the payoff range, no absolute floor."""
    return float_tolerance(game.float_payoffs)


def _is_constant(row: np.ndarray) -> bool:
    """Whether one player's float payoffs never vary (beyond float rounding)."""
    row = np.asarray(row, dtype=float)
    return float(np.ptp(row)) <= ROUNDING * float(np.abs(row).max())


def _all_equal(values: np.ndarray, game: Game, constant_only: bool = True) -> bool:
    """Whether every entry equals the first (constant_only) or is zero (otherwise)."""
    reference = values[0] if constant_only else 0
    if game.exact:
        return all(v == reference for v in values)
    return bool(np.all(np.abs(np.asarray(values, dtype=float) - float(reference))
                       <= _tolerance(game)))


def _normalise(flat: np.ndarray, game: Game) -> list[np.ndarray | None]:
    """Each player's payoffs mapped affinely onto [0, 1] (None for a constant player)."""
    out = []
    for row in flat:
        low, high = row.min(), row.max()
        if game.exact:
            out.append(None if low == high else (row - low) / (high - low))
        else:
            row = np.asarray(row, dtype=float)
            span = float(high - low)
            out.append(None if _is_constant(row) else (row - float(low)) / span)
    return out


def _strategically_constant_sum(game: Game, flat: np.ndarray) -> bool:
    """Is there w > 0 with sum_i w_i u_i constant? An LP on the centred payoffs, whose
    answer is re-verified exactly (rationalised) on exact games."""
    n = game.n_players
    if n < 2:
        return False
    values = np.asarray(flat, dtype=float)
    centred = values - values.mean(axis=1, keepdims=True)
    scale = float(np.abs(centred).max()) or 1.0     # the LP sees payoffs of order 1
    if n == 2:
        normalised = _normalise(flat, game)
        if normalised[0] is None or normalised[1] is None:
            return True
        if game.exact:
            return bool(np.array_equal(normalised[0], 1 - normalised[1]))
        return bool(np.allclose(normalised[0], 1 - normalised[1], atol=1e-9))
    from scipy.optimize import linprog

    # maximise t subject to centred.T w = 0, w_i >= t, sum w = 1.
    cost = np.zeros(n + 1)
    cost[-1] = -1.0
    a_eq = np.vstack([np.hstack([centred.T / scale, np.zeros((centred.shape[1], 1))]),
                      np.hstack([np.ones((1, n)), np.zeros((1, 1))])])
    b_eq = np.zeros(a_eq.shape[0])
    b_eq[-1] = 1.0
    a_ub = np.hstack([-np.eye(n), np.ones((n, 1))])
    result = linprog(cost, A_ub=a_ub, b_ub=np.zeros(n), A_eq=a_eq, b_eq=b_eq,
                     bounds=[(0, None)] * n + [(None, None)], method="highs")
    if result.status != 0 or result.x[-1] <= 1e-9:
        return False
    weights = result.x[:n]
    if game.exact:
        for max_denominator in (10**4, 10**8, 10**12):
            w = [Fraction(float(x)).limit_denominator(max_denominator) for x in weights]
            if all(x > 0 for x in w):
                total = sum(wi * flat[i] for i, wi in enumerate(w))
                if all(v == total[0] for v in total):
                    return True
        return False
    total = weights @ values
    return bool(np.ptp(total) <= float_tolerance(values))


def _is_potential(game: Game) -> bool:
    r"""Exact potential game test (Monderer & Shapley 1996, Theorem 2.8): for every pair of
    players, :math:`\Delta_j \Delta_i u_i = \Delta_i \Delta_j u_j` where :math:`\Delta_i`
    is the difference to player i's first action."""
    payoffs = game.payoffs
    tol = 0.0 if game.exact else _tolerance(game)
    for i, j in combinations(range(game.n_players), 2):
        mixed = []
        for u in (payoffs[i], payoffs[j]):
            first_i = np.take(u, [0], axis=i)
            d = u - first_i
            first_j = np.take(d, [0], axis=j)
            mixed.append(d - first_j)
        diff = mixed[0] - mixed[1]
        if game.exact:
            if any(x != 0 for x in diff.flat):
                return False
        elif np.abs(diff).max() > tol:
            return False
    return True


def _social_dilemma(game: Game) -> tuple[tuple[int, ...], tuple[int, ...]] | None:
    """A pure equilibrium and an outcome that Pareto-dominates it (weakly better for all
    players, strictly for one), or None."""
    payoffs = game.integer_payoffs()[0] if game.exact else game.float_payoffs
    flat = payoffs.reshape(game.n_players, -1)
    for eq in pure_equilibria(game):
        value = payoffs[(slice(None), *eq.profile)][:, None]
        better = (flat >= value).all(axis=0) & (flat > value).any(axis=0)
        hits = np.flatnonzero(better)
        if len(hits):
            # The witness: the dominating outcome with the largest total payoff.
            welfare = game.float_payoffs.reshape(game.n_players, -1)[:, hits].sum(axis=0)
            best = hits[np.argmax(welfare)]
            return eq.profile, tuple(int(k) for k in np.unravel_index(best, game.shape))
    return None


def _names(game: Game, profile: tuple[int, ...]) -> str:
    return "(" + ", ".join(game.actions[i][a] for i, a in enumerate(profile)) + ")"
