"""One place for compiled kernels: :func:`jit` compiles a function with numba on its first
call (``cache=True``), so ``import games`` never pays for compilation.

A kernel may call another kernel of the same module: when the caller is compiled, the
kernels it names are compiled first and the caller sees their compiled forms.

Set ``MASALIGN_DISABLE_JIT=1`` to run kernels as plain Python (debugging, coverage); the
same happens when numba is not installed.
"""

from __future__ import annotations

import functools
import os
import types
from collections.abc import Callable
from typing import Any

__all__ = ["jit"]


def jit(func: Callable[..., Any] | None = None, *, nogil: bool = False) -> Any:
    """Decorate a kernel that takes and returns plain numbers and numpy arrays.

    The kernel is compiled in nopython mode at its first call; ``wrapper.py_func`` is the
    uncompiled function and ``wrapper.compiled()`` the compiled one. ``@jit(nogil=True)``
    releases the GIL while the kernel runs, so threads can run it in parallel (call
    ``compiled()`` once before starting them).
    """
    if func is None:
        return functools.partial(jit, nogil=nogil)
    compiled: Callable[..., Any] | None = None

    def get_compiled() -> Callable[..., Any]:
        nonlocal compiled
        if compiled is None:
            compiled = _compile(func, nogil)
        return compiled

    @functools.wraps(func)
    def wrapper(*args: Any) -> Any:
        return (compiled or get_compiled())(*args)

    wrapper.py_func = func  # type: ignore[attr-defined]
    wrapper.compiled = get_compiled  # type: ignore[attr-defined]
    return wrapper


def _compile(func: Callable[..., Any], nogil: bool = False) -> Callable[..., Any]:
    if os.environ.get("MASALIGN_DISABLE_JIT", "") not in ("", "0"):
        return func
    try:
        import numba
    except ImportError:
        return func
    func = _with_compiled_callees(func)
    try:
        return numba.njit(cache=True, nogil=nogil)(func)
    except RuntimeError:  # no place to cache (e.g. defined interactively)
        return numba.njit(nogil=nogil)(func)


def _with_compiled_callees(func: Callable[..., Any]) -> Callable[..., Any]:
    """``func`` seeing the compiled form of every kernel among the globals it names."""
    namespace = func.__globals__
    callees = {name: namespace[name] for name in func.__code__.co_names
               if callable(getattr(namespace.get(name), "compiled", None))
               and hasattr(namespace.get(name), "py_func")}
    if not callees:
        return func
    scope = dict(namespace)
    scope.update({name: kernel.compiled() for name, kernel in callees.items()})
    linked = types.FunctionType(func.__code__, scope, func.__name__, func.__defaults__,
                                func.__closure__)
    linked.__qualname__ = func.__qualname__
    linked.__module__ = func.__module__
    return linked
