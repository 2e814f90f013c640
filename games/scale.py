"""The payoff scale that float tolerances are relative to.

A tolerance written as ``1e-9 * max(1, max |payoff|)`` has an absolute floor: on payoffs
of order 1e-12 it accepts anything. Tolerances here are relative to the payoff *range*
(largest minus smallest payoff), with no floor, and an algorithm that is invariant under
positive affine maps of the payoffs can simply run on :func:`normalised_payoffs`
(payoffs shifted to start at 0 and divided by a power of two near their range).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

__all__ = ["payoff_range", "normalised_payoffs"]


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
