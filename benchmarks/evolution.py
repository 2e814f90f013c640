"""Finite-population evolution, side by side in one process run.

1. Fixation matrix + small-mutation stationary distribution of a seeded random
   10-strategy game: games.evolution against EGTtools' C++ ``PairwiseComparison`` and its
   Python ``StochDynamics``, at Z = 100 and Z = 1000 (beta = 1). Also counts the entries
   each side truncates to 0 (ours keeps them in log space).
2. A Moran process until fixation: games.evolution.moran_process against nashpy's
   ``moran_process`` (same game) and axelrod's ``MoranProcess`` (repeated-game players;
   ours computes the meta-game once with games.repeated, then runs the process on counts).

Run: ~/.anchors-venv/bin/python benchmarks/evolution.py [--quick]
"""

from __future__ import annotations

import argparse
import statistics
import time

import numpy as np

import games
import games.evolution as ev


def median_time(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def fixation_section(repeat: int) -> None:
    print("== fixation matrix + stationary distribution, 10 strategies, beta = 1 ==")
    try:
        from egttools.analytical import PairwiseComparison, StochDynamics
        from egttools.games import Matrix2PlayerGameHolder
    except ImportError:
        PairwiseComparison = None
        print("EGTtools missing: anchors skipped")
    a = np.random.default_rng(2026).random((10, 10))
    for z in (100, 1000):
        ev.stationary_distribution(a, z, 1.0)  # warm-up (compiles nothing, imports scipy)

        def ours():
            return ev.fixation_probabilities(a, z, 1.0), ev.stationary_distribution(a, z, 1.0)

        t_ours = median_time(ours, repeat)
        F, pi = ours()
        off = ~np.eye(10, dtype=bool)
        line = f"Z={z:5d}  ours {t_ours * 1e3:8.2f} ms (zeros: {int((F[off] == 0).sum())})"
        if PairwiseComparison is not None:
            holder = Matrix2PlayerGameHolder(10, a)

            def cpp():
                model = PairwiseComparison(z, holder)
                _, fixation = model.calculate_transition_and_fixation_matrix_sml(1.0)
                return fixation

            t_cpp = median_time(cpp, repeat)
            theirs = np.asarray(cpp())
            kept = off & (theirs > 0)
            error = float(np.abs(theirs[kept] - F[kept]).max() / np.abs(F[kept]).max())
            line += (f" | EGTtools C++ {t_cpp * 1e3:8.2f} ms ratio {t_cpp / t_ours:6.1f}x"
                     f" (zeros: {int((theirs[off] == 0).sum())}, max rel. diff {error:.1e})")
            if z <= 100:
                sd = StochDynamics(10, a, z)
                t_py = median_time(lambda: sd.transition_and_fixation_matrix(1.0), 1)
                line += f" | StochDynamics {t_py * 1e3:8.1f} ms ratio {t_py / t_ours:6.1f}x"
        print(line)


def moran_section(runs: int) -> None:
    print("== Moran process until fixation ==")
    a = np.array([[3.0, 0.5], [4.0, 1.0]])
    ev.moran_process(a, [10, 10], seed=0)   # compile
    def ours() -> list:
        return [ev.moran_process(a, [10, 10], seed=s) for s in range(runs)]
    t_ours = median_time(ours, 3) / runs
    line = f"2 strategies, N=20: ours {t_ours * 1e6:8.1f} us/run"
    try:
        import nashpy
        game = nashpy.Game(a, a.T)
        population = np.array([0] * 10 + [1] * 10)

        def nash_runs():
            for s in range(max(1, runs // 20)):
                np.random.seed(s)   # nashpy draws from numpy's global generator
                for _ in game.moran_process(initial_population=population):
                    pass

        t_nash = median_time(nash_runs, 1) / max(1, runs // 20)
        line += f" | nashpy {t_nash * 1e6:10.1f} us/run ratio {t_nash / t_ours:8.1f}x"
    except ImportError:
        line += " | nashpy missing"
    print(line)
    try:
        import axelrod as axl
    except ImportError:
        print("axelrod missing: skipped")
        return
    from games.repeated import strategies as rs
    from games.repeated import tournament

    stage = games.catalog.prisoners_dilemma()
    ours_strategies = [rs.Cooperator(), rs.Defector(), rs.TitForTat(), rs.Grudger()]
    theirs = [axl.Cooperator, axl.Defector, axl.TitForTat, axl.Grudger]
    per_type = 3

    def ours_moran(seed: int):
        meta = tournament(ours_strategies, stage, turns=200, repetitions=1, seed=seed,
                          progress=False).meta_game()
        return ev.moran_process(meta, [per_type] * 4, seed=seed)

    ours_moran(0)
    t_ours = median_time(lambda: ours_moran(1), 5)

    def axl_moran(seed: int):
        players = [cls() for cls in theirs for _ in range(per_type)]
        return axl.MoranProcess(players, turns=200, seed=seed).play()

    t_axl = median_time(lambda: axl_moran(1), 3)
    print(f"4 repeated-game strategies x {per_type}, 200 turns: ours {t_ours * 1e3:8.2f} ms "
          f"(meta-game + process) | axelrod MoranProcess {t_axl * 1e3:9.1f} ms "
          f"ratio {t_axl / t_ours:7.1f}x")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="fewer repetitions")
    args = parser.parse_args()
    repeat = 3 if args.quick else 7
    fixation_section(repeat)
    moran_section(50 if args.quick else 200)


if __name__ == "__main__":
    main()
