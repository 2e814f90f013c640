"""Benchmark: ``pareto.nondominated`` against moocore's ``is_nondominated``, paretoset's
``paretoset`` (numba) and pymoo's ``NonDominatedSorting``, in one process run.

Cases: N = 1e5 and 1e6 points in d = 2, 3, 5, every column maximised, on two kinds of
data: ``uniform`` (U[0, 1)^d: small fronts) and ``sphere`` (directions on the positive
unit sphere, radius 1 + N(0, 0.01): fronts of thousands of points and more). Every side
keeps duplicates of non-dominated points (moocore ``keep_weakly=True``, paretoset
``distinct=False``); pymoo minimises, so it gets the negated points. Every side must
return the same mask (checked by the count and, where both finish, the mask itself).

Each measurement runs in a forked child process (the points and the compiled kernels are
inherited, compiled in the parent first), so a side that exceeds ``--timeout`` seconds
is stopped and reported as such, and the child's peak resident memory above its
starting point is the side's peak memory. Median of ``--repeat`` runs (a single run when
the first takes more than 5 s). Ratios are anchor time / our time (> 1: we are faster).

Run in the anchors environment::

    ~/.anchors-venv/bin/python benchmarks/pareto.py            # all 12 cases
    ~/.anchors-venv/bin/python benchmarks/pareto.py --quick    # N = 1e5 only
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import os
import platform
import resource
import statistics
import sys
import time
from collections.abc import Callable
from typing import Any

import numpy as np

# This script is named like the package it measures: keep its own folder off the path so
# that ``import pareto`` finds the package.
_HERE = os.path.dirname(os.path.abspath(__file__))
from _common import optional  # noqa: E402  (before this folder leaves sys.path)

sys.path[:] = [p for p in sys.path if os.path.abspath(p or os.curdir) != _HERE]


def make_points(kind: str, n: int, d: int, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    if kind == "uniform":
        return rng.random((n, d))
    v = np.abs(rng.standard_normal((n, d)))
    v /= np.linalg.norm(v, axis=1, keepdims=True)
    return v * (1 + 0.01 * rng.standard_normal((n, 1)))


def sides() -> dict[str, Callable[[np.ndarray], np.ndarray]]:
    import pareto
    out: dict[str, Callable[[np.ndarray], np.ndarray]] = {
        "pareto": lambda x: pareto.nondominated(x)}
    moocore = optional("moocore")
    if moocore is not None:
        out["moocore"] = lambda x: np.asarray(
            moocore.is_nondominated(x, maximise=True, keep_weakly=True))
    paretoset = optional("paretoset")
    if paretoset is not None:
        out["paretoset"] = lambda x: np.asarray(
            paretoset.paretoset(x, sense=["max"] * x.shape[1], distinct=False))
    nds = optional("pymoo.util.nds.non_dominated_sorting")
    if nds is not None:
        def pymoo_side(x: np.ndarray) -> np.ndarray:
            idx = nds.NonDominatedSorting().do(-x, only_non_dominated_front=True)
            mask = np.zeros(len(x), dtype=bool)
            mask[np.asarray(idx, dtype=np.intp)] = True
            return mask
        out["pymoo"] = pymoo_side
    return out


def _child(fn: Callable, x: np.ndarray, repeat: int, conn: Any) -> None:
    try:
        start_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        times = []
        mask = None
        for _ in range(repeat):
            t0 = time.perf_counter()
            mask = fn(x)
            times.append(time.perf_counter() - t0)
            if times[0] > 5:
                break
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - start_rss
        conn.send(("ok", statistics.median(times), peak * 1024, np.packbits(mask)))
    except BaseException as err:  # noqa: BLE001 - report whatever the anchor raised
        conn.send(("error", repr(err)[:200], 0, None))
    finally:
        conn.close()


def measure(fn: Callable, x: np.ndarray, repeat: int,
            timeout: float) -> tuple[str, Any, float, Any]:
    ctx = mp.get_context("fork")
    parent, child = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_child, args=(fn, x, repeat, child))
    proc.start()
    child.close()
    if parent.poll(timeout):
        status, value, peak, packed = parent.recv()
        proc.join()
        mask = None if packed is None else np.unpackbits(packed, count=len(x)).astype(bool)
        return status, value, peak, mask
    proc.kill()
    proc.join()
    return "timeout", timeout, 0.0, None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="N = 1e5 only")
    parser.add_argument("--sizes", default="100000,1000000")
    parser.add_argument("--dims", default="2,3,5")
    parser.add_argument("--kinds", default="uniform,sphere")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--timeout", type=float, default=60.0,
                        help="seconds allowed to one side on one case")
    parser.add_argument("--seed", type=int, default=20250601)
    args = parser.parse_args()
    sizes = [100_000] if args.quick else [int(float(s)) for s in args.sizes.split(",")]
    dims = [int(d) for d in args.dims.split(",")]
    kinds = args.kinds.split(",")
    print(f"python {platform.python_version()}, numpy {np.__version__}, "
          f"{platform.machine()}, timeout {args.timeout:g} s per side and case")
    fns = sides()
    # compile every numba kernel in the parent, once, on small inputs of every path
    for d in dims:
        for kind in kinds:
            warm = make_points(kind, 20_000, d, 1)
            for name, fn in fns.items():
                if name != "pymoo":
                    fn(warm)
    names = list(fns)
    header = f"{'data':8} {'N':>8} {'d':>2} {'front':>7}  " + "  ".join(
        f"{n + ' s':>12} {'peak MiB':>8}" for n in names) + "  " + "  ".join(
        f"{n + '/ours':>14}" for n in names if n != "pareto")
    print(header)
    gave_up: set[tuple[str, str, int]] = set()
    for kind in kinds:
        for d in dims:
            for n in sizes:
                x = make_points(kind, n, d, args.seed)
                results = {}
                reference = None
                for name in names:
                    if (name, kind, d) in gave_up:
                        results[name] = ("skipped", None, 0.0, None)
                        continue
                    status, value, peak, mask = measure(fns[name], x, args.repeat, args.timeout)
                    results[name] = (status, value, peak, mask)
                    if status == "timeout":
                        gave_up.add((name, kind, d))
                    elif reference is None:
                        reference = mask
                    elif not np.array_equal(mask, reference):
                        print(f"  MISMATCH: {name} finds {int(mask.sum())} non-dominated points, "
                              f"pareto {int(reference.sum())}")
                front = "?" if reference is None else str(int(reference.sum()))
                cells = []
                for name in names:
                    status, value, peak, _ = results[name]
                    if status == "ok":
                        cells.append(f"{value:12.4f} {peak / 2**20:8.1f}")
                    elif status == "timeout":
                        cells.append(f"{'>' + format(args.timeout, 'g'):>12} {'':>8}")
                    elif status == "skipped":
                        cells.append(f"{'skipped':>12} {'':>8}")
                    else:
                        cells.append(f"{'error':>12} {'':>8}")
                ours = results["pareto"]
                ratios = []
                for name in names:
                    if name == "pareto":
                        continue
                    status, value, _, _ = results[name]
                    if ours[0] == "ok" and status == "ok":
                        ratios.append(f"{value / ours[1]:14.2f}")
                    elif ours[0] == "ok" and status in ("timeout", "skipped"):
                        ratios.append(f"{'>' + format(args.timeout / ours[1], '.1f'):>14}")
                    else:
                        ratios.append(f"{'n/a':>14}")
                print(f"{kind:8} {n:8d} {d:2d} {front:>7}  " + "  ".join(cells) + "  "
                      + "  ".join(ratios), flush=True)
                for name in names:
                    if results[name][0] == "error":
                        print(f"  {name}: {results[name][1]}")
    print("skipped: a side that timed out on a smaller N of the same data and d is not run "
          "on the larger one; its ratio is then a lower bound from the timeout.")


if __name__ == "__main__":
    main()
