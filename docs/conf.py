"""Sphinx configuration: the API reference comes from the numpydoc docstrings
(autodoc, autosummary and napoleon), the example notebooks are executed by myst-nb."""

import os
import sys
from pathlib import Path

from sphinx.errors import PycodeError
from sphinx.pycode import ModuleAnalyzer

ROOT = Path(__file__).resolve().parents[1]
# Build from a source checkout as well as from an installed copy: Sphinx imports the
# packages from the repository, and so do the notebook kernels (they inherit PYTHONPATH).
sys.path.insert(0, str(ROOT))
os.environ["PYTHONPATH"] = os.pathsep.join(
    p for p in (str(ROOT), os.environ.get("PYTHONPATH", "")) if p)
# The kernels draw figures inline (their default); a backend set outside would hide them.
os.environ.pop("MPLBACKEND", None)

import games  # noqa: E402

project = "masalign"
author = "The masalign developers"
copyright = "2025, The masalign developers"
release = games.__version__
version = release

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "sphinx.ext.napoleon",
    "sphinx.ext.mathjax",
    "sphinx.ext.viewcode",
    "myst_nb",
]

source_suffix = {".rst": "restructuredtext", ".ipynb": "myst-nb", ".md": "myst-nb"}
exclude_patterns = ["_build", "jupyter_execute", "README.md", "**.ipynb_checkpoints"]
templates_path = ["_templates"]

# API reference: one page per public name, listed from each package's __all__.
autosummary_generate = True
autosummary_ignore_module_all = False
autosummary_imported_members = True
autodoc_default_options = {"member-order": "bysource"}
autodoc_typehints = "none"            # the numpydoc Parameters section gives the types
autoclass_content = "class"
napoleon_google_docstring = False
napoleon_numpy_docstring = True
napoleon_use_rtype = False
napoleon_preprocess_types = False
# Types such as "ndarray, shape (m,)" make the Python domain look up an object named
# "shape", which several result classes have: such type words are not references.
suppress_warnings = ["ref.python"]

# Notebooks are stored without outputs and executed at every build; an error fails it.
nb_execution_mode = "auto"
nb_execution_timeout = 180
nb_execution_raise_on_error = True
nb_execution_show_tb = True
nb_merge_streams = True

html_theme = "alabaster"
html_title = f"masalign {release}"
html_theme_options = {
    "description": "Game theory for multi-agent (mis)alignment",
    "fixed_sidebar": True,
    "page_width": "1100px",
    "sidebar_width": "230px",
}
html_static_path: list[str] = []


def constant_docstring(app, what, name, obj, options, lines):
    """A constant re-exported by a package is documented by its ``#:`` comment where it is
    defined, not by the docstring of its type (``str``, ``tuple``, ``dict``)."""
    if what != "data" or getattr(obj, "__doc__", None) != type(obj).__doc__:
        return
    package, attribute = name.rsplit(".", 1)
    lines[:] = []
    for module_name, module in sorted(sys.modules.items()):
        if module_name != package and not module_name.startswith(package + "."):
            continue
        if getattr(module, attribute, None) is not obj:
            continue
        try:
            comments = ModuleAnalyzer.for_module(module_name).find_attr_docs()
        except PycodeError:
            continue
        if ("", attribute) in comments:
            lines[:] = list(comments[("", attribute)])
            return


def setup(app):
    app.connect("autodoc-process-docstring", constant_docstring)
