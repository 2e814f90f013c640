"""Float tolerances relative to a game's payoff scale, with no absolute floor.

A float certificate (a regret, a deviation gain, a dominance margin) is accepted when it
is at most :func:`float_tolerance`: ``RELATIVE_TOLERANCE`` times the payoff range plus a
few thousand units in the last place of the largest payoff (float rounding, which grows
with the payoffs' magnitude, not their range). Multiplying every payoff by ``c > 0``
multiplies the tolerance by ``c``: there is no floor such as ``max(1, |payoff|)``, so games
with tiny payoffs are held to the same relative standard as games with huge ones.

A game whose payoffs never vary (range 0) has every profile as an equilibrium; its
tolerance is the rounding term alone (0 when every payoff is 0), so float noise in an
expected payoff is not mistaken for a gain.

An algorithm that is invariant under positive affine maps of the payoffs (rest points,
subgame perfection, payoff sets) can instead run on :func:`normalised_payoffs`: payoffs
shifted to start at 0 and divided by a power of two near their range.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

__all__ = ["RELATIVE_TOLERANCE", "ROUNDING", "payoff_scale", "payoff_magnitude",
           "float_tolerance", "payoff_range", "normalised_payoffs"]

#: A float certificate may be this fraction of the payoff range.
RELATIVE_TOLERANCE = 1e-9

#: Float rounding allowed, relative to the largest absolute payoff (2**-40, about 4096
#: units in the last place): what summing and multiplying payoffs by probabilities costs.
ROUNDING = 2.0**-40


def _as_float(payoffs: Any) -> np.ndarray:
    if hasattr(payoffs, "float_payoffs"):       # a Game
        payoffs = payoffs.float_payoffs
    return np.asarray(payoffs, dtype=np.float64)


def payoff_scale(payoffs: Any) -> float:
    """The payoff range: the largest, over players, of ``max - min`` of that player's
    payoffs.

    Parameters
    ----------
    payoffs : array_like or Game
        An array of shape ``(n_players, ...)`` (one block per player), or a Game.

    Returns
    -------
    float
        0 when no player's payoffs vary.

    Examples
    --------
    >>> payoff_scale([[[0, 3], [1, 2]], [[10, 10], [10, 11]]])
    3.0
    """
    arr = _as_float(payoffs)
    if arr.size == 0:
        return 0.0
    if arr.ndim < 2:
        return float(np.ptp(arr))
    flat = arr.reshape(arr.shape[0], -1)
    return float((flat.max(axis=1) - flat.min(axis=1)).max())


def payoff_magnitude(payoffs: Any) -> float:
    """The largest absolute payoff (0 for an empty array)."""
    arr = _as_float(payoffs)
    return float(np.abs(arr).max()) if arr.size else 0.0


def float_tolerance(payoffs: Any, relative: float = RELATIVE_TOLERANCE) -> float:
    """The largest float certificate accepted for a game with these payoffs:
    ``relative * payoff_scale + ROUNDING * payoff_magnitude``.

    Parameters
    ----------
    payoffs : array_like or Game
        As for :func:`payoff_scale`.
    relative : float
        The fraction of the payoff range allowed.

    Examples
    --------
    >>> t1 = float_tolerance([[1.0, 0.0], [0.0, 1.0]])
    >>> t2 = float_tolerance([[1e-12, 0.0], [0.0, 1e-12]])
    >>> abs(t2 / t1 - 1e-12) < 1e-24
    True
    >>> float_tolerance([[0.0, 0.0], [0.0, 0.0]])
    0.0
    """
    arr = _as_float(payoffs)
    return relative * payoff_scale(arr) + ROUNDING * payoff_magnitude(arr)


def payoff_range(payoffs: Any) -> float:
    """Largest minus smallest of ``payoffs`` (any array-like of numbers; 0 when empty or
    constant).

    Examples
    --------
    >>> payoff_range([[3, 0], [5, 1]]), payoff_range([[2, 2], [2, 2]])
    (5.0, 0.0)
    """
    values = np.asarray(payoffs, dtype=np.float64)
    if values.size == 0:
        return 0.0
    return float(values.max() - values.min())


def normalised_payoffs(payoffs: Any) -> tuple[np.ndarray, float, float]:
    """``(payoffs - low) / scale`` with ``low`` the smallest payoff and ``scale`` the power
    of two with ``scale <= payoff_range < 2 * scale``, so the result lies in [0, 2) and
    dividing by ``scale`` loses no precision; a constant array maps to zeros with
    ``scale = 0``.

    Map a result back with ``x * scale + low`` (payoff levels) or ``x * scale`` (payoff
    differences, gains, eigenvalues).

    Examples
    --------
    >>> unit, low, scale = normalised_payoffs([[3, 0], [5, 1]])
    >>> unit.tolist(), low, scale
    ([[0.75, 0.0], [1.25, 0.25]], 0.0, 4.0)
    """
    values = np.asarray(payoffs, dtype=np.float64)
    span = payoff_range(values)
    if span == 0:
        low = float(values.min()) if values.size else 0.0
        return np.zeros_like(values), low, 0.0
    low = float(values.min())
    scale = 2.0 ** math.floor(math.log2(span))
    return (values - low) / scale, low, scale
