"""Reproductions of the published results the toolkit exists to study.

One subpackage per paper, ``papers.<first-author><year>_<topic>``, each with
``run(full=False, seed=0, executor=None, out=None) -> dict``, a README (claim, setting,
parameters, the paper's number and ours) and ``expected.json`` (the paper's numbers and
tolerances). Run one with ``python -m papers.<name>`` or ``masalign reproduce <name>``.

Examples
--------
>>> import papers
>>> "calvano2020_algorithmic_collusion" in papers.available()
True
"""

from __future__ import annotations

from typing import Any

from papers.common import REPRODUCTIONS, load_expected, run_reproduction

__all__ = ["available", "run", "load_expected", "REPRODUCTIONS"]


def available() -> tuple[str, ...]:
    """The names of the reproductions."""
    return REPRODUCTIONS


def run(name: str, *, full: bool = False, seed: int = 0, executor: Any = None,
        out: Any = None) -> dict[str, Any]:
    """Run the reproduction ``name`` (reduced size unless ``full``) and return its numbers,
    with the paper's values side by side in ``result["comparison"]``."""
    return run_reproduction(name, full=full, seed=seed, executor=executor, out=out)
