"""One place for compiled kernels: :func:`jit` compiles a function with numba on its first
call (``cache=True``), so ``import games`` never pays for compilation.

Set ``MASALIGN_DISABLE_JIT=1`` to run kernels as plain Python (debugging, coverage); the
same happens when numba is not installed.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable
from typing import Any

__all__ = ["jit"]


def jit(func: Callable[..., Any]) -> Callable[..., Any]:
    """Decorate a kernel that takes and returns plain numbers and numpy arrays.

    The kernel is compiled in nopython mode at its first call; ``wrapper.py_func`` is the
    uncompiled function.
    """
    compiled: Callable[..., Any] | None = None

    @functools.wraps(func)
    def wrapper(*args: Any) -> Any:
        nonlocal compiled
        if compiled is None:
            compiled = _compile(func)
        return compiled(*args)

    wrapper.py_func = func  # type: ignore[attr-defined]
    return wrapper


def _compile(func: Callable[..., Any]) -> Callable[..., Any]:
    if os.environ.get("MASALIGN_DISABLE_JIT", "") not in ("", "0"):
        return func
    try:
        import numba
    except ImportError:
        return func
    try:
        return numba.njit(cache=True)(func)
    except RuntimeError:  # no place to cache (e.g. defined interactively)
        return numba.njit(func)
