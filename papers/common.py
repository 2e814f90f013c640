"""Shared machinery of the reproductions: the expected numbers, the comparison with
tolerances, the paper-vs-ours table, JSON output, atomic figures and the command line.

Every reproduction ``papers.<name>`` has a ``run(full=False, seed=..., executor=None,
out=None) -> dict`` whose result holds ``"quantities"`` (name -> our number) and
``"details"`` (anything else, JSON-able); ``expected.json`` beside it gives, for each
checked quantity, the paper's value, an absolute tolerance and a description.
"""

from __future__ import annotations

import argparse
import importlib
import json
import math
import os
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from games.errors import FormatError, GameError, InvalidArgumentError
from games.io import atomic_output
from games.palette import COLOURS
from games.parallel import executor_for

__all__ = ["REPRODUCTIONS", "load_expected", "compare", "format_table", "to_json",
           "save_figure", "log_axis_with_zero", "reproduction", "run_reproduction", "main"]

HERE = Path(__file__).resolve().parent

#: The reproductions, in the order of the issue's priorities.
_ORDER: tuple[str, ...] = (
    "calvano2020_algorithmic_collusion",
    "nowak2006_five_rules",
    "carichon2025_aid_delivery",
    "press_dyson2012_zd",
    "axelrod1984_ecology",
    "ohtsuki2006_networks",
)
#: The reproductions present in this installation.
REPRODUCTIONS: tuple[str, ...] = tuple(
    name for name in _ORDER if (HERE / name / "expected.json").is_file())


def reproduction(name: str) -> Any:
    """The module ``papers.<name>``; an unknown name raises InvalidArgumentError listing the
    known ones."""
    if name not in REPRODUCTIONS:
        raise InvalidArgumentError(
            f"reproduction: expected one of {', '.join(REPRODUCTIONS)}, found {name!r}")
    return importlib.import_module(f"papers.{name}")


def load_expected(name: str) -> dict[str, Any]:
    """The parsed ``papers/<name>/expected.json``: ``{"paper": ..., "quantities":
    {quantity: {"paper": value, "tolerance": t, "description": ...}}}``."""
    path = HERE / name / "expected.json"
    with open(path, encoding="utf-8") as handle:
        data = json.load(handle)
    for key, spec in data.get("quantities", {}).items():
        if "paper" not in spec or "tolerance" not in spec:
            raise FormatError(f"{path}: quantity {key!r}: expected 'paper' and "
                              f"'tolerance', found {sorted(spec)}")
    return data


def _number(x: Any) -> float | None:
    if isinstance(x, bool) or x is None:
        return None
    try:
        return float(x)
    except (TypeError, ValueError):
        return None


def compare(expected: dict[str, Any], quantities: dict[str, Any],
            full: bool = True) -> list[dict[str, Any]]:
    """One row per expected quantity: paper, ours, tolerance and whether |ours - paper|
    <= tolerance (``None`` when we did not compute it); a quantity of ``"kind":
    "at_least"`` (``"at_most"``) only needs ours >= paper - tolerance (<= paper +
    tolerance), a boolean one equality. At reduced size a quantity may
    carry a wider ``"reduced_tolerance"``; the row says which one applied."""
    rows = []
    for key, spec in expected.get("quantities", {}).items():
        ours = quantities.get(key)
        paper = spec["paper"]
        tol = spec["tolerance"] if full else spec.get("reduced_tolerance", spec["tolerance"])
        kind = spec.get("kind", "near")
        a, b = _number(ours), _number(paper)
        if ours is None:
            within = None
        elif a is None or b is None or tol is None or isinstance(paper, bool):
            within = ours == paper
        elif not math.isfinite(a):
            within = False
        elif kind == "at_least":
            within = bool(a >= b - float(tol) - 1e-12)
        elif kind == "at_most":
            within = bool(a <= b + float(tol) + 1e-12)
        else:
            within = bool(abs(a - b) <= float(tol) + 1e-12)
        rows.append({"quantity": key, "description": spec.get("description", ""),
                     "paper": paper, "ours": ours, "tolerance": tol, "kind": kind,
                     "within": within})
    for key, ours in quantities.items():       # reported, but no published number
        if key not in expected.get("quantities", {}):
            rows.append({"quantity": key, "description": "no published number (ours only)",
                         "paper": None, "ours": ours, "tolerance": None, "kind": "ours",
                         "within": None})
    return rows


def _show(x: Any) -> str:
    if isinstance(x, bool) or x is None:
        return str(x)
    if isinstance(x, float):
        return f"{x:.4g}" if abs(x) >= 1e-3 or x == 0 else f"{x:.3e}"
    return str(x)


def format_table(rows: Sequence[dict[str, Any]]) -> str:
    """The paper-vs-ours table as aligned text."""
    header = ("quantity", "paper", "ours", "tolerance", "within")
    marks = {"at_least": ">= ", "at_most": "<= "}
    body = [(r["quantity"], "-" if r.get("kind") == "ours"
             else marks.get(r.get("kind", ""), "") + _show(r["paper"]),
             _show(r["ours"]), _show(r["tolerance"]),
             {True: "yes", False: "NO", None: "-"}[r["within"]]) for r in rows]
    widths = [max(len(h), *(len(b[k]) for b in body)) if body else len(h)
              for k, h in enumerate(header)]
    lines = ["  ".join(h.ljust(w) for h, w in zip(header, widths)),
             "  ".join("-" * w for w in widths)]
    lines += ["  ".join(c.ljust(w) for c, w in zip(b, widths)) for b in body]
    return "\n".join(lines)


def _jsonable(x: Any) -> Any:
    if isinstance(x, dict):
        return {str(k): _jsonable(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return [_jsonable(v) for v in x]
    if isinstance(x, np.ndarray):
        return _jsonable(x.tolist())
    if isinstance(x, (np.bool_,)):
        return bool(x)
    if isinstance(x, np.integer):
        return int(x)
    if isinstance(x, (float, np.floating)):
        x = float(x)
        return x if math.isfinite(x) else str(x)
    if isinstance(x, (int, str, bool)) or x is None:
        return x
    return str(x)


def to_json(result: dict[str, Any]) -> str:
    """The result as JSON text (numpy values converted; non-finite floats as strings)."""
    return json.dumps(_jsonable(result), indent=2)


def save_figure(fig: Any, path: str | os.PathLike[str]) -> str:
    """Save a matplotlib figure atomically (:func:`games.io.atomic_output`: a temporary
    file in the same folder, then ``os.replace``; a new file gets ``0o666`` less the
    umask) and close it; returns the path."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        with atomic_output(path) as tmp:
            fig.savefig(tmp, dpi=120, bbox_inches="tight")
    finally:
        import matplotlib.pyplot as plt

        plt.close(fig)
    return str(path)


def new_figure(*args: Any, **kwargs: Any) -> tuple[Any, Any]:
    """``plt.subplots`` on the non-interactive Agg backend (matplotlib imported here),
    every axes cycling through the colour-blind-safe palette :data:`games.palette.COLOURS`."""
    import matplotlib

    matplotlib.use("Agg", force=False)
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(*args, **kwargs)
    for ax in np.ravel(axes):
        ax.set_prop_cycle(color=list(COLOURS))
    return fig, axes


def log_axis_with_zero(ax: Any, values: Any) -> None:
    """Put the y axis of ``ax`` on a log scale that still shows zeros (a fixation
    probability estimated at 0): ``symlog``, linear below the lowest decade of the positive
    ``values``, ticks at 0 and at the decades, labelled as plain numbers (0.1, 1, 10)."""
    from matplotlib.ticker import FixedLocator, FuncFormatter, NullLocator

    v = np.asarray(values, dtype=float)
    positive = v[v > 0]
    low = int(np.floor(np.log10(positive.min()))) if positive.size else -1
    high = int(np.ceil(np.log10(max(positive.max(), 1.0)))) if positive.size else 1
    ticks = [10.0 ** k for k in range(low, high + 1)]
    if (v <= 0).any():
        ax.set_yscale("symlog", linthresh=ticks[0], linscale=0.5)
        ax.set_ylim(bottom=-0.5 * ticks[0])           # markers at 0 drawn whole
        ticks = [0.0, *ticks]
    else:
        ax.set_yscale("log")
    ax.yaxis.set_major_locator(FixedLocator(ticks))
    ax.yaxis.set_major_formatter(FuncFormatter(lambda y, _: f"{y:g}"))
    ax.yaxis.set_minor_locator(NullLocator())


def finish(name: str, quantities: dict[str, Any], details: dict[str, Any], *, full: bool,
           seed: Any, started: float, figures: Sequence[str] = ()) -> dict[str, Any]:
    """The uniform result of a reproduction: its numbers, the comparison with the paper
    (``"comparison"``, one row per quantity of expected.json) and the run's settings."""
    expected = load_expected(name)
    return {"name": name, "paper": expected.get("paper", ""), "full": bool(full),
            "seed": seed, "seconds": round(time.perf_counter() - started, 3),
            "quantities": quantities,
            "comparison": compare(expected, quantities, full=full),
            "details": details, "figures": list(figures)}


def run_reproduction(name: str, *, full: bool = False, seed: int = 0, executor: Any = None,
                     out: str | os.PathLike[str] | None = None) -> dict[str, Any]:
    """Run ``papers.<name>.run(...)``."""
    module = reproduction(name)
    return module.run(full=full, seed=seed, executor=executor, out=out)


def text_report(result: dict[str, Any]) -> str:
    """A short human-readable report: the title, the table and the figures."""
    size = "full (published) size" if result["full"] else "reduced size"
    lines = [f"{result['name']}: {result['paper']}",
             f"{size}, seed {result['seed']}, {result['seconds']:.1f} s", "",
             format_table(result["comparison"])]
    summary = result.get("details", {}).get("summary")
    if summary:
        lines += ["", summary]
    for fig in result.get("figures", []):
        lines.append(f"figure: {fig}")
    return "\n".join(lines)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The options every reproduction takes."""
    parser.add_argument("--full", action="store_true",
                        help="run at the published size (slow; see the README)")
    parser.add_argument("--json", action="store_true",
                        help="print the numbers as JSON (paper's value and ours)")
    parser.add_argument("--seed", type=int, default=0, help="root random seed (default 0)")
    parser.add_argument("--out", metavar="DIR", default=None,
                        help="write figures into DIR (default: no figures)")
    add_executor_arguments(parser)


def add_executor_arguments(parser: argparse.ArgumentParser) -> None:
    """``--workers N`` and ``--scheduler ADDRESS`` (see :func:`games.parallel.executor_for`)."""
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--workers", type=int, default=None,
                       help="local worker processes (default: one per core; 1: serial)")
    where.add_argument("--scheduler", metavar="ADDRESS", default=None,
                       help="a Dask scheduler's address, e.g. tcp://10.0.0.5:8786 (needs "
                            "masalign[cluster]); the numbers are the same as on one core")


def execute(name: str, args: argparse.Namespace, prefix: str | None = None) -> int:
    """Run a reproduction from parsed arguments and print it; 2 on error (one line on
    stderr, starting with ``prefix``)."""
    try:
        if args.seed < 0:
            raise InvalidArgumentError(f"--seed: expected a non-negative integer, found "
                                       f"{args.seed}")
        with executor_for(args.workers, args.scheduler) as executor:
            result = run_reproduction(name, full=args.full, seed=args.seed,
                                      executor=executor, out=args.out)
        print(to_json(result) if args.json else text_report(result))
    except (GameError, OSError, ImportError) as err:
        message = " ".join(str(err).split())
        print(f"{prefix or name + ': error'}: {message}", file=sys.stderr)
        return 2
    return 0


def main(name: str, argv: Sequence[str] | None = None) -> int:
    """``python -m papers.<name> [--full] [--json] [--seed N] [--out DIR]``."""
    parser = argparse.ArgumentParser(prog=f"python -m papers.{name}",
                                     description=reproduction(name).__doc__.splitlines()[0])
    add_arguments(parser)
    return execute(name, parser.parse_args(argv))


def module_main(name: str) -> Callable[[], None]:
    """The body of a reproduction's ``__main__.py``."""
    def _main() -> None:
        sys.exit(main(name))
    return _main
