"""The shape of the code base: layers point down, no module reaches into another's
private names, and functions import only heavy or optional libraries lazily."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("games", "pareto", "mechanisms", "masalign", "papers")
SOURCES = sorted(p for pkg in PACKAGES for p in (ROOT / pkg).rglob("*.py"))

#: What a package may import from the others: games <- pareto <- mechanisms <- masalign.
ALLOWED = {"games": {"games"}, "pareto": {"games", "pareto"},
           "mechanisms": {"games", "pareto", "mechanisms"},
           "masalign": set(PACKAGES), "papers": {"games", "pareto", "mechanisms", "papers"}}

#: Libraries a function may import on call: optional extras, or slow to import (a fast
#: ``import games`` is a design goal).
LAZY = ("matplotlib", "mpl_toolkits", "networkx", "dask", "distributed", "pandas", "nashpy",
        "pygambit", "quantecon", "cvxpy", "scipy", "sympy", "numba", "tqdm", "pettingzoo",
        "gymnasium",
        "importlib", "papers")


def _imports(tree: ast.AST):
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node, alias.name, None
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            for alias in node.names:
                yield node, node.module or "", alias.name


def _name(path: Path) -> str:
    return str(path.relative_to(ROOT))


@pytest.mark.parametrize("path", SOURCES, ids=_name)
def test_imports_point_down_and_name_no_private_helper(path):
    package = path.relative_to(ROOT).parts[0]
    for node, module, name in _imports(ast.parse(path.read_text(encoding="utf-8"))):
        top = module.split(".")[0]
        if top in PACKAGES:
            assert top in ALLOWED[package], f"{_name(path)}:{node.lineno} imports {module}"
        private = name is not None and name.startswith("_") and not name.startswith("__")
        assert not private, f"{_name(path)}:{node.lineno} imports the private {module}.{name}"


@pytest.mark.parametrize("path", SOURCES, ids=_name)
def test_functions_import_only_heavy_or_optional_libraries(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for function in ast.walk(tree):
        if not isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef)):
            continue
        for node, module, _ in _imports(function):
            assert module.split(".")[0] in LAZY, \
                f"{_name(path)}:{node.lineno} imports {module} inside {function.name}()"
