"""The documentation: notebooks stored clean and listed, the getting-started examples run,
and (slow tier) every notebook executes and the docs build without warnings."""

import doctest
import importlib.util
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
NOTEBOOKS = sorted((DOCS / "notebooks").glob("*.ipynb"))
PAGES = sorted(p for p in DOCS.glob("*.rst") if p.name != "index.rst")


def toctree_entries(text: str) -> set[str]:
    """The documents listed by the ``toctree`` directives of an rst page."""
    entries = set()
    for block in re.findall(r"^\.\. toctree::\n((?:[ \t]+.*\n|\n)*)", text, flags=re.M):
        for line in block.splitlines():
            line = line.strip()
            if line and not line.startswith(":"):
                entries.add(line)
    return entries


def test_there_are_at_least_five_example_notebooks():
    assert len(NOTEBOOKS) >= 5, [p.name for p in NOTEBOOKS]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_is_valid_and_stored_without_outputs(path):
    nbformat = pytest.importorskip("nbformat")
    notebook = nbformat.read(path, as_version=4)
    nbformat.validate(notebook)
    assert notebook.metadata["kernelspec"]["name"] == "python3"
    code = [cell for cell in notebook.cells if cell.cell_type == "code"]
    assert code, "a notebook without code"
    for k, cell in enumerate(code):
        assert cell.outputs == [], f"code cell {k} holds outputs"
        assert cell.execution_count is None, f"code cell {k} has an execution count"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_opens_with_a_title(path):
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    assert cells[0]["cell_type"] == "markdown"
    assert "".join(cells[0]["source"]).startswith("# ")


def test_index_toctree_lists_every_page_and_notebook():
    listed = toctree_entries((DOCS / "index.rst").read_text(encoding="utf-8"))
    expected = {p.stem for p in PAGES} | {f"notebooks/{p.stem}" for p in NOTEBOOKS}
    assert expected <= listed, f"not in the index's toctree: {sorted(expected - listed)}"
    assert listed <= expected, f"listed but missing: {sorted(listed - expected)}"


def test_getting_started_examples_produce_the_output_shown():
    text = (DOCS / "getting-started.rst").read_text(encoding="utf-8")
    test = doctest.DocTestParser().get_doctest(text, {}, "getting-started", None, 0)
    assert test.examples
    runner = doctest.DocTestRunner(optionflags=doctest.NORMALIZE_WHITESPACE)
    runner.run(test)
    assert runner.failures == 0


def test_readme_documentation_section_names_every_notebook_and_the_build():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Documentation", 1)[1].split("\n## ", 1)[0]
    assert "python3 -m sphinx -W" in section
    for path in NOTEBOOKS:
        assert path.name in section, path.name


def kernel_available() -> bool:
    if not all(importlib.util.find_spec(m) for m in ("nbclient", "nbformat", "ipykernel")):
        return False
    from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel
    try:
        KernelSpecManager().get_kernel_spec("python3")
    except NoSuchKernel:
        return False
    return True


@pytest.mark.slow
@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_executes_without_error(path, monkeypatch):
    if not kernel_available():
        pytest.skip("nbclient, nbformat, ipykernel or a python3 kernel is missing")
    import nbformat
    from nbclient import NotebookClient

    # the kernel imports this checkout's packages and draws figures inline
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(
        p for p in (str(ROOT), os.environ.get("PYTHONPATH", "")) if p))
    monkeypatch.delenv("MPLBACKEND", raising=False)
    notebook = nbformat.read(path, as_version=4)
    client = NotebookClient(notebook, timeout=300, kernel_name="python3",
                            resources={"metadata": {"path": str(path.parent)}})
    client.execute()          # raises CellExecutionError on the first failing cell
    code = [cell for cell in notebook.cells if cell.cell_type == "code"]
    assert all(cell.execution_count for cell in code)
    errors = [o for cell in code for o in cell.outputs if o.output_type == "error"]
    assert not errors


@pytest.mark.slow
def test_docs_build_without_warnings(tmp_path):
    if importlib.util.find_spec("sphinx") is None or importlib.util.find_spec("myst_nb") is None:
        pytest.skip("sphinx or myst-nb is missing")
    if not kernel_available():
        pytest.skip("the notebooks need ipykernel and a python3 kernel to execute")
    out = tmp_path / "html"
    result = subprocess.run(
        [sys.executable, "-m", "sphinx", "-W", "--keep-going", "-q", "-b", "html",
         "-d", str(tmp_path / "doctrees"), str(DOCS), str(out)],
        cwd=ROOT, capture_output=True, text=True, timeout=1800)
    assert result.returncode == 0, result.stderr[-4000:]
    assert (out / "index.html").is_file()
    for path in NOTEBOOKS:
        page = (out / "notebooks" / f"{path.stem}.html").read_text(encoding="utf-8")
        assert "cell_output" in page, f"{path.name} rendered without outputs"
    assert (out / "generated" / "games.Game.html").is_file()
