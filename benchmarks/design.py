"""Minimum-cost implementation (mechanisms.design.implement) on seeded random games of 2 to
4 players up to about 10^5 outcomes: how the time grows with the size.

No anchor library computes k-implementations, so this prints our times only: the closed
form (target a Nash equilibrium, cost paid), the LP for a strict equilibrium with the
total promised cost, and the LP for dominant strategies.

Run: python benchmarks/design.py [--quick]
"""

from __future__ import annotations

import argparse
import time

import games
import mechanisms as M

SIZES = [(2, 10), (2, 100), (2, 316), (3, 10), (3, 46), (4, 5), (4, 17)]


def timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="skip the largest sizes")
    args = parser.parse_args()
    sizes = [s for s in SIZES if not args.quick or s[1] ** s[0] <= 20_000]
    print(f"{'game':>8} {'outcomes':>9} {'closed form':>12} {'strict LP':>10} {'dominant LP':>12}")
    M.implement(games.random_game((3, 3), seed=0), (0, 0), condition="dominant")  # imports
    previous = None
    for n, a in sizes:
        if previous is not None and previous[2] != n:
            previous = None
        game = games.random_game((a,) * n, seed=2026)
        target = (0,) * n
        closed = timed(lambda: M.implement(game, target))
        strict = timed(lambda: M.implement(game, target, condition="strict-equilibrium",
                                           cost="promised"))
        dominant = timed(lambda: M.implement(game, target, condition="dominant"))
        outcomes = a ** n
        growth = "" if previous is None else \
            f"  (x{outcomes / previous[0]:.0f} outcomes: x{dominant / previous[1]:.1f} time)"
        print(f"{n}x{a:<6} {outcomes:9,d} {closed * 1e3:10.1f}ms {strict * 1e3:8.1f}ms "
              f"{dominant * 1e3:10.1f}ms{growth}")
        previous = (outcomes, dominant, n)


if __name__ == "__main__":
    main()
