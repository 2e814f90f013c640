"""The distribution's metadata: one version everywhere, a licence, a citation and a changelog."""

import re
from pathlib import Path

import games
import masalign
import mechanisms
import pareto

ROOT = Path(__file__).resolve().parent.parent


def test_every_package_reports_the_same_version():
    assert re.fullmatch(r"\d+\.\d+\.\d+", games.__version__)
    assert pareto.__version__ == mechanisms.__version__ == masalign.__version__ \
        == games.__version__


def test_citation_and_changelog_name_the_current_version():
    citation = (ROOT / "CITATION.cff").read_text()
    assert re.search(rf'^version: "{re.escape(games.__version__)}"$', citation, re.M)
    changelog = (ROOT / "CHANGELOG.md").read_text()
    first = re.search(r"^## (\d+\.\d+\.\d+)", changelog, re.M)
    assert first is not None and first.group(1) == games.__version__


def test_licence_file_matches_the_declared_licence():
    pyproject = (ROOT / "pyproject.toml").read_text()
    assert 'license = { text = "MIT" }' in pyproject
    assert (ROOT / "LICENSE").read_text().startswith("MIT License")
