"""Checked conversion of the arguments pareto works on: point sets, vectors and flags.

The one place where user input becomes float64 arrays. Integers, floats and exact
fractions are accepted (compared as float64); strings, booleans, complex numbers, NaN,
infinities, ragged rows and wrong shapes are refused with an
:class:`games.InvalidArgumentError` that names the field, the value found and what was
expected.
"""

from __future__ import annotations

import numbers
from collections.abc import Sequence
from typing import Any

import numpy as np

from games.errors import InvalidArgumentError

__all__ = ["as_points", "as_vector", "column_signs", "oriented"]


def _real_array(values: Any, field: str, expected: str) -> np.ndarray:
    """``values`` as a float64 array of any shape, every entry a real number."""
    if isinstance(values, (str, bytes)):
        raise InvalidArgumentError(f"{field}: expected {expected}, found the string {values!r}")
    try:
        raw = np.asarray(values)
    except ValueError:
        raise InvalidArgumentError(
            f"{field}: expected {expected}, found rows of different lengths") from None
    kind = raw.dtype.kind
    if kind == "O":
        for v in raw.flat:
            if isinstance(v, (bool, np.bool_)) or not isinstance(v, numbers.Real):
                raise InvalidArgumentError(
                    f"{field}: expected {expected}, found {type(v).__name__} {v!r}")
    elif kind not in "iuf":
        found = {"U": "strings", "S": "bytes", "b": "booleans",
                 "c": "complex numbers"}.get(kind, f"values of type {raw.dtype}")
        example = f" ({raw.reshape(-1)[0].item()!r})" if raw.size else ""
        raise InvalidArgumentError(f"{field}: expected {expected}, found {found}{example}")
    try:
        return raw.astype(np.float64)
    except (OverflowError, TypeError, ValueError) as err:  # e.g. a 400-digit integer
        raise InvalidArgumentError(f"{field}: expected {expected}, found {err}") from None


def as_points(points: Any, field: str = "points") -> np.ndarray:
    """``points`` as a C-contiguous float64 ``(N, d)`` array, one row per point.

    A flat sequence is N points of one coordinate; an empty sequence is ``(0, 0)``.

    Raises
    ------
    InvalidArgumentError
        Not numbers, NaN or infinite values, ragged rows, a shape that is not (N, d).

    Examples
    --------
    >>> as_points([[1, 2], [3, 4]]).shape, as_points([1, 2, 3]).shape
    ((2, 2), (3, 1))
    """
    expected = "an (N, d) array of finite numbers (one row per point)"
    arr = _real_array(points, field, expected)
    if arr.ndim == 1:
        arr = arr[:, np.newaxis] if arr.size else arr.reshape(0, 0)
    if arr.ndim != 2:
        raise InvalidArgumentError(f"{field}: expected {expected}, found shape {arr.shape}")
    if arr.shape[1] == 0 and arr.shape[0] > 0:
        raise InvalidArgumentError(
            f"{field}: expected at least one column, found shape {arr.shape}")
    bad = ~np.isfinite(arr)
    if bad.any():
        row, col = (int(i) for i in np.argwhere(bad)[0])
        raise InvalidArgumentError(
            f"{field}: expected finite numbers, found {arr[row, col]} at row {row}, column {col}")
    return np.ascontiguousarray(arr)


def as_vector(values: Any, field: str, length: int | None = None,
              what: str = "") -> np.ndarray:
    """``values`` as a float64 vector of finite numbers (of ``length`` entries when given;
    ``what`` says what the entries are, for the message). A single number is a vector of
    one entry.

    Examples
    --------
    >>> as_vector([0, 1], "reference", 2).tolist()
    [0.0, 1.0]
    """
    count = "at least one" if length is None else str(length)
    expected = f"{count} finite numbers{what}"
    arr = _real_array(values, field, expected)
    if arr.ndim == 0:
        arr = arr.reshape(1)
    if arr.ndim != 1 or arr.size == 0 or (length is not None and arr.shape != (length,)):
        raise InvalidArgumentError(f"{field}: expected {expected}, found shape {arr.shape}")
    bad = np.flatnonzero(~np.isfinite(arr))
    if len(bad):
        raise InvalidArgumentError(
            f"{field}: expected finite numbers, found {arr[bad[0]]} at index {int(bad[0])}")
    return np.ascontiguousarray(arr)


def column_signs(maximize: bool | Sequence[bool], d: int) -> np.ndarray:
    """+1 for a maximised column, -1 for a minimised one: ``maximize`` is one bool for
    every column or one bool per column."""
    if isinstance(maximize, (bool, np.bool_)):
        return np.full(d, 1.0 if maximize else -1.0)
    message = (f"maximize: expected True, False or {d} booleans (one per column), "
               f"found {maximize!r}")
    if isinstance(maximize, (str, bytes)):
        raise InvalidArgumentError(message)
    try:
        flags = list(maximize)
    except TypeError:
        raise InvalidArgumentError(message) from None
    if len(flags) != d or not all(isinstance(f, (bool, np.bool_)) for f in flags):
        raise InvalidArgumentError(message)
    return np.where(np.array(flags, dtype=bool), 1.0, -1.0)


def oriented(points: Any, maximize: bool | Sequence[bool]) -> np.ndarray:
    """Checked points with every column turned into one to maximise (negation is exact)."""
    arr = as_points(points)
    signs = column_signs(maximize, arr.shape[1])
    if np.all(signs > 0):
        return arr
    return np.ascontiguousarray(arr * signs)
