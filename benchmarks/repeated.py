"""Benchmark: ``games.repeated`` against Axelrod's library and QuantEcon, in one process run.

1. A 10-strategy round robin (Cooperator, Defector, TitForTat, Grudger, WinStayLoseShift,
   Alternator, SuspiciousTitForTat, TitForTwoTats, GTFT, Random), 200 turns, 10 and 50
   repetitions, self-play included: ``games.repeated.tournament`` (serial) against
   ``axelrod.Tournament(...).play(processes=1)``. Our first call (which compiles the
   simulation kernel, or loads it from numba's cache) is reported apart from the warm
   median. The deterministic part of the payoff matrix must agree exactly.
2. The pure-strategy SPE payoff set of the PD [[(9,9),(1,10)],[(10,1),(3,3)]] at
   discount 0.9 and of Abreu & Sannikov's 3x3 example at 0.3:
   ``games.repeated.equilibrium_payoffs`` against QuantEcon's
   ``RepeatedGame.equilibrium_payoffs`` (first call, which for QuantEcon compiles its
   numba kernels, and the warm median), with the largest vertex difference.

Ratios are anchor time / our time (how many times faster we are). A missing anchor is
skipped with a note. Run it in the anchors environment::

    ~/.anchors-venv/bin/python benchmarks/repeated.py            # ~3 minutes (axelrod is slow)
    ~/.anchors-venv/bin/python benchmarks/repeated.py --quick    # 10 repetitions only
"""

from __future__ import annotations

import argparse
import platform
import statistics
import time
from collections.abc import Callable
from typing import Any

import numpy as np
from _common import optional

PD_PAYOFFS = [[(9, 9), (1, 10)], [(10, 1), (3, 3)]]
AS_PAYOFFS = [[(16, 9), (3, 13), (0, 3)], [(21, 1), (10, 4), (-1, 0)],
              [(9, 0), (5, -4), (-5, -15)]]


def timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    value = fn()
    return time.perf_counter() - start, value


def median_time(fn: Callable[[], Any], runs: int) -> float:
    return statistics.median(timed(fn)[0] for _ in range(runs))


def ours_strategies() -> list:
    from games.repeated import strategies as s

    return [s.Cooperator(), s.Defector(), s.TitForTat(), s.Grudger(), s.WinStayLoseShift(),
            s.Alternator(), s.SuspiciousTitForTat(), s.TitForTwoTats(),
            s.GenerousTitForTat(), s.Random()]


def axelrod_players(axl: Any) -> list:
    return [axl.Cooperator(), axl.Defector(), axl.TitForTat(), axl.Grudger(),
            axl.WinStayLoseShift(), axl.Alternator(), axl.SuspiciousTitForTat(),
            axl.TitFor2Tats(), axl.GTFT(), axl.Random()]


def bench_tournament(repetitions_list: list[int], runs: int) -> None:
    import games
    from games.repeated import tournament

    axl = optional("axelrod")
    pd = games.catalog.prisoners_dilemma()
    print("\n== Round robin: 10 strategies, 200 turns, self-play, serial ==")
    first, result = timed(lambda: tournament(ours_strategies(), pd, turns=200, repetitions=10,
                                             seed=1, executor="serial"))
    print(f"ours first call (kernel compile or cache load included): {first * 1e3:.1f} ms")
    header = f"{'repetitions':>11}  {'ours (ms)':>10}  {'axelrod (s)':>11}  {'ratio':>8}"
    print(header)
    for reps in repetitions_list:
        ours = median_time(lambda: tournament(ours_strategies(), pd, turns=200,
                                              repetitions=reps, seed=1, executor="serial"), runs)
        if axl is None:
            print(f"{reps:>11}  {ours * 1e3:>10.2f}  {'-':>11}  {'-':>8}")
            continue
        t = axl.Tournament(axelrod_players(axl), turns=200, repetitions=reps, seed=1)
        anchor, results = timed(lambda: t.play(processes=1, progress_bar=False))
        print(f"{reps:>11}  {ours * 1e3:>10.2f}  {anchor:>11.2f}  {anchor / ours:>8.0f}x")
        if reps == repetitions_list[0]:
            ref = np.array(results.payoff_matrix)
            det = [k for k, s in enumerate(ours_strategies()) if not s.is_stochastic]
            diff = np.abs(result.payoff_matrix[np.ix_(det, det)] - ref[np.ix_(det, det)]).max()
            print(f"{'':>11}  deterministic pairs: largest payoff difference {diff:.2e}")


def bench_payoff_set(runs: int) -> None:
    import games
    from games.repeated import equilibrium_payoffs

    qe = optional("quantecon")
    print("\n== Pure-strategy SPE payoff set (Abreu-Sannikov) ==")
    cases = [("PD [[(9,9),(1,10)],[(10,1),(3,3)]]", PD_PAYOFFS, 0.9),
             ("Abreu-Sannikov 3x3", AS_PAYOFFS, 0.3)]
    print(f"{'game':<36} {'side':<10} {'first (ms)':>11} {'warm (ms)':>10} {'vertices':>8}")
    for name, cells, delta in cases:
        arr = np.array(cells, dtype=float)
        game = games.Game(np.moveaxis(arr, -1, 0))
        first, ours = timed(lambda: equilibrium_payoffs(game, delta))
        warm = median_time(lambda: equilibrium_payoffs(game, delta), runs)
        print(f"{name + f' d={delta}':<36} {'ours':<10} {first * 1e3:>11.1f} {warm * 1e3:>10.2f} "
              f"{len(ours.vertices):>8}")
        if qe is None:
            continue
        from quantecon.game_theory import NormalFormGame, RepeatedGame

        rpg = RepeatedGame(NormalFormGame(arr), delta)
        options = {"u_init": np.array([arr[..., 0].min(), arr[..., 1].min()])}
        qfirst, hull = timed(lambda: rpg.equilibrium_payoffs(options=options))
        qwarm = median_time(lambda: rpg.equilibrium_payoffs(options=options), runs)
        ref = hull.points[hull.vertices]
        start = int(np.argmin(np.linalg.norm(ref - ours.vertices[0], axis=1)))
        same = len(ref) == len(ours.vertices)
        diff = np.abs(np.roll(ref, -start, axis=0) - ours.vertices).max() if same else np.inf
        print(f"{'':<36} {'quantecon':<10} {qfirst * 1e3:>11.1f} {qwarm * 1e3:>10.2f} "
              f"{len(ref):>8}")
        print(f"{'':<36} ratio (quantecon/ours): first {qfirst / first:.0f}x, warm "
              f"{qwarm / warm:.1f}x; largest vertex difference {diff:.2e}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="10 repetitions only")
    parser.add_argument("--runs", type=int, default=7, help="timed runs of our side")
    args = parser.parse_args()
    print(f"python {platform.python_version()} on {platform.machine()}, "
          f"numpy {np.__version__}")
    # payoff sets first: their 'first call' is the first call in this process
    bench_payoff_set(args.runs)
    bench_tournament([10] if args.quick else [10, 50], args.runs)


if __name__ == "__main__":
    main()
