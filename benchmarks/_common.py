"""Pieces shared by the benchmark scripts (run as ``python benchmarks/NAME.py``, so this
folder is on ``sys.path``)."""

from __future__ import annotations

import importlib
from typing import Any


def optional(module: str) -> Any:
    """Import an anchor library, or print that its column is skipped and return None."""
    try:
        return importlib.import_module(module)
    except ImportError as err:
        print(f"note: {module} is not installed ({err}); its column is skipped")
        return None
