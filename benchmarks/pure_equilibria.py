"""Benchmark: ``games.pure_equilibria`` against QuantEcon's ``pure_nash_brute`` and
pygambit's ``enumpure_solve``, in one process run, on seeded random n-player games.

Sizes are "players x actions each": 3x30, 4x15, 5x10 and 6x8 (27,000 to 262,144 pure
profiles), payoffs U[0, 1) floats. For every size it prints the median time per game of
each side, the ratios (anchor time / our time: how many times faster we are), pygambit's
game construction apart from its solve step, and the number of pure equilibria each side
found on every game (all sides must find the same profiles). It also times
``python -c "import games"`` in a fresh interpreter.

QuantEcon's brute force loops over profiles in Python (about 28 s per 6x8 game), so it
runs on fewer games (``--anchor-games``) than the others. A missing anchor is skipped
with a note. Run it in the anchors environment::

    ~/.anchors-venv/bin/python benchmarks/pure_equilibria.py            # ~3-5 minutes
    ~/.anchors-venv/bin/python benchmarks/pure_equilibria.py --quick    # < 1 minute
"""

from __future__ import annotations

import argparse
import importlib
import platform
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from typing import Any

import numpy as np
from _common import optional

SIZES = [(3, 30), (4, 15), (5, 10), (6, 8)]


def parse_sizes(text: str) -> list[tuple[int, int]]:
    out = []
    for part in text.split(","):
        n, a = part.lower().split("x")
        out.append((int(n), int(a)))
    return out


def timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    value = fn()
    return time.perf_counter() - start, value


def import_time(module: str, runs: int = 5) -> tuple[float, float]:
    """Median wall time of ``python -c "import <module>"`` and of ``python -c "pass"``."""
    def run(code: str) -> float:
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", code], check=True)
        return time.perf_counter() - start
    base = statistics.median(run("pass") for _ in range(runs))
    full = statistics.median(run(f"import {module}") for _ in range(runs))
    return full, base


# -- the three sides ----------------------------------------------------------------------

def ours_solve(games_mod: Any, game: Any) -> list[tuple[int, ...]]:
    return sorted(e.profile for e in games_mod.pure_equilibria(game))


def quantecon_build(gt: Any, payoffs: np.ndarray) -> Any:
    return gt.NormalFormGame(np.moveaxis(payoffs, 0, -1))     # (a_1, ..., a_n, n)


def quantecon_solve(gt: Any, nfg: Any) -> list[tuple[int, ...]]:
    return sorted(tuple(int(a) for a in ne) for ne in gt.pure_nash_brute(nfg))


def gambit_build(gbt: Any, payoffs: np.ndarray) -> Any:
    return gbt.Game.from_arrays(*[payoffs[i] for i in range(payoffs.shape[0])])


def gambit_solve(gbt: Any, game: Any) -> list[tuple[int, ...]]:
    result = gbt.nash.enumpure_solve(game)
    players = list(game.players)
    found = []
    for eq in result.equilibria:
        found.append(tuple(next(k for k, s in enumerate(p.strategies) if eq[s] == 1)
                           for p in players))
    return sorted(found)


# -- main ---------------------------------------------------------------------------------

def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=parse_sizes, default=SIZES,
                        help="comma-separated 'players x actions', e.g. 3x30,4x15")
    parser.add_argument("--games", type=int, default=3, help="random games per size")
    parser.add_argument("--repeat", type=int, default=5,
                        help="timed repetitions of our solver on each game")
    parser.add_argument("--anchor-games", type=int, default=1,
                        help="games per size given to QuantEcon's slow brute force")
    parser.add_argument("--quick", action="store_true",
                        help="1 game per size, 3 repetitions, QuantEcon on 3x30 and 4x15 only")
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args(argv)
    if args.quick:
        args.games, args.repeat, args.anchor_games = 1, 3, 1
    quantecon_sizes = ([(n, a) for n, a in args.sizes if a ** n <= 60_000]
                       if args.quick else args.sizes)

    import games
    if getattr(games, "pure_equilibria", None) is None:
        print("games.pure_equilibria is not available: nothing to benchmark")
        return 1
    gt = optional("quantecon.game_theory")
    gbt = optional("pygambit")

    print(f"python {platform.python_version()} on {platform.machine()}, numpy {np.__version__}"
          + (f", quantecon {importlib.import_module('quantecon').__version__}" if gt else "")
          + (f", pygambit {gbt.__version__}" if gbt else ""))
    print(f"games per size: {args.games} (QuantEcon: {args.anchor_games}), "
          f"our repetitions per game: {args.repeat}, seed {args.seed}, payoffs U[0,1)")

    # warm up every side (numba compilation in QuantEcon, first-call costs) on a tiny game
    warm = np.random.default_rng(0).random((3, 3, 3, 3))
    ours_solve(games, games.Game(warm))
    if gt:
        quantecon_solve(gt, quantecon_build(gt, warm))
    if gbt:
        gambit_solve(gbt, gambit_build(gbt, warm))

    rng = np.random.default_rng(args.seed)
    rows = []
    all_agree = True
    for n, a in args.sizes:
        ours_t, ours_build_t, qe_t, qe_build_t, gb_build_t, gb_solve_t = [], [], [], [], [], []
        counts = []
        for k in range(args.games):
            payoffs = rng.random((n, *([a] * n)))
            t, game = timed(lambda: games.Game(payoffs))
            ours_build_t.append(t)
            reference = None
            for _ in range(args.repeat):
                t, reference = timed(lambda: ours_solve(games, game))
                ours_t.append(t)
            line = {"ours": len(reference)}
            if gbt:
                t, gg = timed(lambda: gambit_build(gbt, payoffs))
                gb_build_t.append(t)
                t, found = timed(lambda: gambit_solve(gbt, gg))
                gb_solve_t.append(t)
                line["pygambit"] = len(found)
                if found != reference:
                    all_agree = False
                    print(f"  MISMATCH {n}x{a} game {k}: pygambit {found} != ours {reference}")
            if gt and k < args.anchor_games and (n, a) in quantecon_sizes:
                t, nfg = timed(lambda: quantecon_build(gt, payoffs))
                qe_build_t.append(t)
                t, found = timed(lambda: quantecon_solve(gt, nfg))
                qe_t.append(t)
                line["quantecon"] = len(found)
                if found != reference:
                    all_agree = False
                    print(f"  MISMATCH {n}x{a} game {k}: quantecon {found} != ours {reference}")
            counts.append(line)
            print(f"  {n}x{a} game {k}: pure equilibria found " +
                  ", ".join(f"{side} {c}" for side, c in line.items()), flush=True)
        rows.append(((n, a), ours_t, ours_build_t, qe_t, qe_build_t, gb_build_t, gb_solve_t))

    def med(xs: list[float]) -> float | None:
        return statistics.median(xs) if xs else None

    def fmt(x: float | None) -> str:
        if x is None:
            return "-"
        return f"{x * 1e3:.2f} ms" if x < 1 else f"{x:.2f} s"

    def ratio(anchor: float | None, ours: float | None) -> str:
        return "-" if anchor is None or not ours else f"{anchor / ours:,.0f}x"

    print()
    print("median time per game (ratio = anchor / ours: how many times faster ours is)")
    header = ["size", "profiles", "ours solve", "ours build", "QuantEcon", "ratio",
              "gambit build", "gambit solve", "ratio(solve)", "ratio(build+solve)"]
    table = [header]
    for (n, a), ours_t, ours_build_t, qe_t, qe_build_t, gb_build_t, gb_solve_t in rows:
        ours = med(ours_t)
        gb_total = (med([b + s for b, s in zip(gb_build_t, gb_solve_t)])
                    if gb_build_t else None)
        table.append([f"{n}x{a}", f"{a ** n:,}", fmt(ours), fmt(med(ours_build_t)),
                      fmt(med(qe_t)), ratio(med(qe_t), ours),
                      fmt(med(gb_build_t)), fmt(med(gb_solve_t)),
                      ratio(med(gb_solve_t), ours), ratio(gb_total, ours)])
    widths = [max(len(row[c]) for row in table) for c in range(len(header))]
    for row in table:
        print("  ".join(cell.rjust(w) for cell, w in zip(row, widths)))
    print()
    print("all sides found the same pure equilibria on every game" if all_agree
          else "SOME SIDES DISAGREE (see MISMATCH lines above)")

    full, base = import_time("games")
    print(f'python -c "import games": {full * 1e3:.0f} ms '
          f'(bare interpreter {base * 1e3:.0f} ms, import games adds {(full - base) * 1e3:.0f} ms)')
    return 0 if all_agree else 2


if __name__ == "__main__":
    sys.exit(main())
