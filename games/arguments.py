"""Checks of arguments that are not games: counts, rates, probabilities, names, seeds.

Each check raises :class:`~games.errors.InvalidArgumentError` with a message naming the
field, the value found and what was expected, e.g.
``population_size: expected an integer >= 2, found 1.5``. Bools are never numbers here.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from fractions import Fraction
from typing import Any

import numpy as np

from games.errors import InvalidArgumentError

__all__ = ["check_integer", "check_real", "check_probability", "check_choice", "check_flag",
           "check_reals",
           "check_seed"]


def check_integer(value: Any, field: str, minimum: int | None = None,
                  maximum: int | None = None) -> int:
    """An integer (not a bool, not a float) in ``[minimum, maximum]``, returned as ``int``."""
    expected = "an integer"
    if minimum is not None and maximum is not None:
        expected = f"an integer in [{minimum}, {maximum}]"
    elif minimum is not None:
        expected = f"an integer >= {minimum}"
    elif maximum is not None:
        expected = f"an integer <= {maximum}"
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)) \
            or (minimum is not None and value < minimum) \
            or (maximum is not None and value > maximum):
        raise InvalidArgumentError(f"{field}: expected {expected}, found {value!r}")
    return int(value)


def check_real(value: Any, field: str, low: float | None = None, high: float | None = None,
               low_open: bool = False, high_open: bool = False) -> Any:
    """A finite real number (int, float, Fraction or numpy scalar; not a bool or a string)
    in the interval from ``low`` to ``high`` (ends excluded with ``low_open``,
    ``high_open``). Returned unchanged, so exact numbers stay exact."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(
            value, (int, float, Fraction, np.integer, np.floating)):
        raise InvalidArgumentError(f"{field}: expected a number, found {value!r}")
    if isinstance(value, (float, np.floating)) and not math.isfinite(value):
        raise InvalidArgumentError(f"{field}: expected a finite number, found {value!r}")
    if (low is not None and (value < low or (low_open and value == low))) \
            or (high is not None and (value > high or (high_open and value == high))):
        left = "" if low is None else (f"> {low}" if low_open else f">= {low}")
        right = "" if high is None else (f"< {high}" if high_open else f"<= {high}")
        bounds = " and ".join(part for part in (left, right) if part)
        raise InvalidArgumentError(f"{field}: expected a number {bounds}, found {value!r}")
    return value


def check_reals(values: Any, field: str) -> list:
    """A sequence of finite real numbers (e.g. weights), returned as a list."""
    if isinstance(values, (str, bytes)) or not isinstance(values, (Sequence, np.ndarray)) \
            or np.ndim(values) != 1:
        raise InvalidArgumentError(f"{field}: expected a sequence of numbers, found {values!r}")
    return [check_real(v, f"{field}[{k}]") for k, v in enumerate(values)]


def check_probability(value: Any, field: str, low_open: bool = False,
                      high_open: bool = False) -> Any:
    """A probability in [0, 1] (ends excluded with ``low_open``, ``high_open``)."""
    return check_real(value, field, 0, 1, low_open, high_open)


def check_choice(value: Any, field: str, allowed: Sequence[str]) -> str:
    """One of the names ``allowed``."""
    if not isinstance(value, str) or value not in allowed:
        raise InvalidArgumentError(f"{field}: expected one of {tuple(allowed)}, found {value!r}")
    return value


def check_flag(value: Any, field: str, optional: bool = False) -> bool | None:
    """A yes/no switch: True or False (not a number or a string); also None when
    ``optional`` (e.g. ``exact=None``: decided by the game)."""
    if optional and value is None:
        return None
    if not isinstance(value, (bool, np.bool_)):
        expected = "True, False or None" if optional else "True or False"
        raise InvalidArgumentError(f"{field}: expected {expected}, found {value!r}")
    return bool(value)


def check_seed(seed: Any, field: str = "seed") -> Any:
    """None, an integer >= 0, or a numpy Generator, BitGenerator or SeedSequence (what
    ``numpy.random.default_rng`` accepts)."""
    if seed is None or isinstance(seed, (np.random.Generator, np.random.BitGenerator,
                                         np.random.SeedSequence)):
        return seed
    if isinstance(seed, (bool, np.bool_)) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise InvalidArgumentError(f"{field}: expected None, an integer >= 0 or a numpy "
                                   f"Generator, found {seed!r}")
    return seed
