"""Compiled kernels sit in a private module beside the public module they serve (issue 16,
item 14): a public module reads validate -> kernel -> result -> verify and imports its
kernels from ``_<module>_kernels.py``."""

import ast
from pathlib import Path

import numpy as np
import pytest

from games.solvers._lemke_howson_kernels import RATIO_TOLERANCE, lh_solve

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("games", "pareto", "mechanisms", "masalign", "papers")
SOURCES = sorted(p for pkg in PACKAGES for p in (ROOT / pkg).rglob("*.py"))

#: Modules that may define kernels without being a kernel module: shared helper modules
#: that are no public API of their own.
HELPERS = {"games/solvers/multilinear.py"}


def _name(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


def _kernels(tree: ast.AST) -> list[str]:
    """Names of the functions decorated with ``jit`` or ``jit(...)``."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef):
            for decorator in node.decorator_list:
                target = decorator.func if isinstance(decorator, ast.Call) else decorator
                if isinstance(target, ast.Name) and target.id == "jit":
                    found.append(node.name)
    return found


@pytest.mark.parametrize("path", SOURCES, ids=_name)
def test_kernels_live_in_kernel_modules(path):
    kernels = _kernels(ast.parse(path.read_text(encoding="utf-8")))
    if not kernels or _name(path) in HELPERS:
        return
    assert path.name.startswith("_") and path.name.endswith("_kernels.py"), \
        f"{_name(path)} defines the compiled kernels {kernels}: move them to a private " \
        f"_<module>_kernels.py beside it"
    public = path.with_name(path.name[1:-len("_kernels.py")] + ".py")
    assert public.exists(), f"{_name(path)} has no public module {public.name} beside it"


@pytest.mark.parametrize("path", [p for p in SOURCES if p.name.endswith("_kernels.py")],
                         ids=_name)
def test_kernel_modules_offer_public_kernels(path):
    """The public module imports its kernels, so they carry public names (no module
    imports another's private names: tests/test_structure.py); helpers that only other
    kernels of the same module call may stay private."""
    kernels = _kernels(ast.parse(path.read_text(encoding="utf-8")))
    assert [k for k in kernels if not k.startswith("_")], \
        f"{_name(path)} defines no public compiled kernel"


def test_moved_lemke_howson_kernel_compiled_and_plain_agree():
    """The kernel behind games.lemke_howson gives the same path compiled and as plain
    Python, and its answer is an equilibrium (regret below the tolerance)."""
    A, B = np.random.default_rng(3).normal(size=(2, 12, 12))
    for label in range(24):
        args = (A, B, label, 100_000, RATIO_TOLERANCE)
        compiled, plain = lh_solve(*args), lh_solve.py_func(*args)
        assert np.array_equal(compiled[0], plain[0]) and np.array_equal(compiled[1], plain[1])
        assert compiled[2] == plain[2] > 0
        assert compiled[5] <= 1e-9
