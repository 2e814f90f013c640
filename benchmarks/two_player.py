"""Two-player equilibria side by side with the anchors, in one process run.

1. Every equilibrium of seeded random n x n games (U[0, 1) payoffs, n = 4, 6, 8, 10, 12):
   ``games.all_equilibria`` against nashpy ``support_enumeration`` and
   ``vertex_enumeration``, pygambit ``enummixed_solve`` and QuantEcon
   ``support_enumeration`` and ``vertex_enumeration``.
2. Lemke-Howson from label 0 at n = 50, 100, 200, 400: ``games.lemke_howson`` against
   nashpy ``lemke_howson``, QuantEcon ``lemke_howson`` and pygambit ``lcp_solve``.

Prints, per size and library, the median time per game, its ratio to ours, the slowest
game and the number of equilibria found (summed over the games). Our Lemke-Howson follows
every path to its end (at n = 400 some take millions of pivots); the anchors stop at
``--max-iter`` pivots. pygambit runs in floating point
(``rational=False``): its default exact mode takes seconds per game on float payoffs
(2 s at n = 6 and 35 s at n = 8 on this machine). Each library builds its games with its own
constructor outside the timed region. An anchor that is not installed is skipped with a
note; a slow anchor gets a time budget per size (``--budget``): once spent, its remaining
games at that size are skipped and the row says how many ran.

    ~/.anchors-venv/bin/python benchmarks/two_player.py            # several minutes
    ~/.anchors-venv/bin/python benchmarks/two_player.py --quick    # about a minute
"""

from __future__ import annotations

import argparse
import importlib
import signal
import statistics
import sys
import time
import warnings
from typing import Any, Callable

import numpy as np

import games


def _have(module: str) -> bool:
    try:
        importlib.import_module(module)
        return True
    except ImportError:
        return False


def _bimatrices(n: int, count: int, seed: int) -> list[tuple[np.ndarray, np.ndarray]]:
    rng = np.random.default_rng([seed, n])
    return [(rng.random((n, n)), rng.random((n, n))) for _ in range(count)]


# -- all equilibria ------------------------------------------------------------------------


def all_equilibria_sides() -> dict[str, tuple[Callable, Callable]]:
    """name -> (build(A, B), solve(built) -> number of equilibria)."""
    sides: dict[str, tuple[Callable, Callable]] = {
        "masalign all_equilibria": (lambda A, B: games.Game.from_bimatrix(A, B),
                                    lambda g: len(games.all_equilibria(g))),
    }
    if _have("quantecon"):
        import quantecon.game_theory as gt

        build = lambda A, B: gt.NormalFormGame((gt.Player(A), gt.Player(B.T)))  # noqa: E731
        sides["QuantEcon vertex_enumeration"] = (build, lambda g: len(gt.vertex_enumeration(g)))
        sides["QuantEcon support_enumeration"] = (build, lambda g: len(gt.support_enumeration(g)))
    if _have("pygambit"):
        import pygambit as gbt

        sides["pygambit enummixed_solve"] = (
            lambda A, B: gbt.Game.from_arrays(A.tolist(), B.tolist()),
            lambda g: len(gbt.nash.enummixed_solve(g, rational=False).equilibria))
    if _have("nashpy"):
        import nashpy

        sides["nashpy vertex_enumeration"] = (lambda A, B: nashpy.Game(A, B),
                                              lambda g: sum(1 for _ in g.vertex_enumeration()))
        sides["nashpy support_enumeration"] = (lambda A, B: nashpy.Game(A, B),
                                               lambda g: sum(1 for _ in g.support_enumeration()))
    return sides


# -- Lemke-Howson -------------------------------------------------------------------------------


def lemke_howson_sides(max_iter: int) -> dict[str, tuple[Callable, Callable]]:
    def ours(g):    # no pivot limit that matters: every path is followed to its end
        return int(games.lemke_howson(g, initial_label=0, max_pivots=10**8) is not None)
    sides: dict[str, tuple[Callable, Callable]] = {
        "masalign lemke_howson": (lambda A, B: games.Game.from_bimatrix(A, B), ours),
    }
    if _have("quantecon"):
        import quantecon.game_theory as gt

        def qe(g):
            _, res = gt.lemke_howson(g, init_pivot=0, max_iter=max_iter, full_output=True)
            return int(res.converged)
        sides["QuantEcon lemke_howson"] = (
            lambda A, B: gt.NormalFormGame((gt.Player(A), gt.Player(B.T))), qe)
    if _have("pygambit"):
        import pygambit as gbt

        sides["pygambit lcp_solve"] = (
            lambda A, B: gbt.Game.from_arrays(A.tolist(), B.tolist()),
            lambda g: len(gbt.nash.lcp_solve(g, rational=False, stop_after=1).equilibria))
    if _have("nashpy"):
        import nashpy

        sides["nashpy lemke_howson"] = (lambda A, B: nashpy.Game(A, B),
                                        lambda g: int(g.lemke_howson(initial_dropped_label=0)
                                                      is not None))
    return sides


class _Timeout(Exception):
    pass


def _alarm(signum: int, frame: Any) -> None:
    raise _Timeout


def run(title: str, sides: dict[str, tuple[Callable, Callable]], sizes: list[int], count: int,
        seed: int, budget: float, limits: dict[str, int], call_timeout: float = 60.0) -> None:
    """Time each side; a call still running after ``call_timeout`` seconds is stopped
    where the library allows it (Python code; compiled loops stop at their own limits)."""
    signal.signal(signal.SIGALRM, _alarm)
    print(f"\n== {title} ({count} games per size, seed {seed}) ==")
    missing = [m for m in ("nashpy", "quantecon", "pygambit") if not _have(m)]
    for m in missing:
        print(f"  note: {m} is not installed; skipped")
    print(f"  {'n':>4}  {'library':<32}{'median':>12}{'ratio':>10}{'slowest':>12}"
          f"{'equilibria':>12}  games")
    for n in sizes:
        pairs = _bimatrices(n, count, seed)
        ours = None
        for name, (build, solve) in sides.items():
            if n > limits.get(name, 10**9):
                print(f"  {n:>4}  {name:<32}{'skipped':>12}{'':>10}{'':>12}  "
                      f"(n > {limits[name]}: too slow for this run)")
                continue
            built = [build(A, B) for A, B in pairs]
            solve(build(*_bimatrices(min(n, 3), 1, seed)[0]))   # compile / warm up
            times, found, spent = [], 0, 0.0
            timeouts = 0
            for g in built:
                t0 = time.perf_counter()
                signal.setitimer(signal.ITIMER_REAL, call_timeout)
                try:
                    found += solve(g)
                except _Timeout:
                    timeouts += 1
                finally:
                    signal.setitimer(signal.ITIMER_REAL, 0)
                dt = time.perf_counter() - t0
                times.append(dt)
                spent += dt
                if spent > budget and ours is not None:     # anchors only
                    break
            med = statistics.median(times)
            if ours is None:
                ours = med
            ratio = med / ours if ours else float("nan")
            late = f", {timeouts} stopped at {call_timeout:.0f} s" if timeouts else ""
            print(f"  {n:>4}  {name:<32}{_fmt(med):>12}{ratio:>9.1f}x{_fmt(max(times)):>12}"
                  f"{found:>12}  {len(times)}/{count}{late}")
            sys.stdout.flush()


def _fmt(seconds: float) -> str:
    if seconds < 1e-3:
        return f"{seconds * 1e6:.0f} us"
    if seconds < 1:
        return f"{seconds * 1e3:.2f} ms"
    return f"{seconds:.2f} s"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer games and sizes")
    parser.add_argument("--games", type=int, default=None, help="games per size")
    parser.add_argument("--sizes", default=None, help="all-equilibria sizes, e.g. 4,6,8")
    parser.add_argument("--lh-sizes", default=None, help="Lemke-Howson sizes, e.g. 50,100")
    parser.add_argument("--seed", type=int, default=20261122)
    parser.add_argument("--no-enumeration", action="store_true", help="skip part 1")
    parser.add_argument("--no-lemke-howson", action="store_true", help="skip part 2")
    parser.add_argument("--budget", type=float, default=30.0,
                        help="seconds per library and size before its remaining games are skipped")
    parser.add_argument("--call-timeout", type=float, default=60.0,
                        help="seconds before one call is stopped (interruptible libraries)")
    parser.add_argument("--max-iter", type=int, default=10**6,
                        help="pivot limit of the anchors' Lemke-Howson (QuantEcon's default); "
                             "ours follows every path to its end")
    args = parser.parse_args(argv)
    warnings.simplefilter("ignore", RuntimeWarning)     # nashpy's tableau divides by zero
    count = args.games or (3 if args.quick else 10)
    sizes = [int(s) for s in args.sizes.split(",")] if args.sizes else \
        ([4, 6, 8, 10] if args.quick else [4, 6, 8, 10, 12])
    lh_sizes = [int(s) for s in args.lh_sizes.split(",")] if args.lh_sizes else \
        ([50, 100] if args.quick else [50, 100, 200, 400])
    t0 = time.perf_counter()
    import games as _g  # noqa: F401  (already imported; the line documents the import cost)
    print(f"masalign {getattr(_g, '__version__', '')} | numpy {np.__version__} | "
          f"python {sys.version.split()[0]}")
    if not args.no_enumeration:
        run("all equilibria of random n x n games", all_equilibria_sides(), sizes, count,
            args.seed, args.budget,
            limits={"nashpy support_enumeration": 8, "nashpy vertex_enumeration": 8,
                    "QuantEcon support_enumeration": 12}, call_timeout=args.call_timeout)
    if not args.no_lemke_howson:
        run("Lemke-Howson from label 0", lemke_howson_sides(args.max_iter), lh_sizes, count,
            args.seed, args.budget,
            limits={"nashpy lemke_howson": 100, "pygambit lcp_solve": 50},
            call_timeout=args.call_timeout)
    print(f"\ntotal {time.perf_counter() - t0:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
