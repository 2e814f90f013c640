"""Benchmark: one mixed Nash equilibrium of seeded random 3-player games (4, 6 and 8
actions each, payoffs U[0, 1)) with masalign's ``mixed_equilibria`` (the default "auto", "logit" and
"mclennan_tourky") against pygambit's ``simpdiv_solve``, ``gnm_solve`` and
``logit_solve`` and QuantEcon's ``mclennan_tourky``, in one process run.

For every size it prints the median time per game of each side, the ratio to our default
method (anchor time / our time: how many times faster we are) and the worst certificate
(largest gain from a unilateral deviation, recomputed by masalign for every answer,
ours and the anchors'). Every one of our answers is certified <= 1e-9. A missing anchor
is skipped with a note; an anchor call that does not return within ``--limit`` seconds
is killed (it runs in a forked child), counted as failed and timed at the limit. Run it in the
anchors environment::

    ~/.anchors-venv/bin/python benchmarks/nplayer.py            # a few minutes
    ~/.anchors-venv/bin/python benchmarks/nplayer.py --quick    # < 1 minute
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from typing import Any, Callable

import numpy as np
from _common import optional

SIZES = (4, 6, 8)


def timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    try:
        value = fn()
    except Exception as err:      # an anchor that fails on a game is reported, not fatal
        value = err
    return time.perf_counter() - start, value


def limited(fn: Callable[[], Any], limit: float) -> tuple[float, Any]:
    """Run an anchor call in a forked child (some anchors do not return on some games:
    pygambit's gnm hangs on a 4x4x4 game here); returns (seconds measured in the child,
    profile as nested lists | Exception), or (limit, TimeoutError) when it does not
    finish within ``limit`` seconds."""
    import multiprocessing as mp

    ctx = mp.get_context("fork")
    parent, child = ctx.Pipe(duplex=False)

    def target() -> None:
        t, value = timed(fn)
        if isinstance(value, Exception):
            child.send((t, RuntimeError(repr(value))))
        else:
            child.send((t, value))

    proc = ctx.Process(target=target)
    proc.start()
    if parent.poll(limit):
        out = parent.recv()
        proc.join()
        return out
    proc.kill()
    proc.join()
    return limit, TimeoutError(f"no answer within {limit} s")


def regret(game, strategies) -> float:
    return float(game.regret([np.asarray(s, dtype=float) for s in strategies]))


def gambit_profile(gbt, result, game) -> list | None:
    if not result.equilibria:
        return None
    eq = result.equilibria[0]
    return [[float(eq[s]) for s in p.strategies] for p in game.players]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--games", type=int, default=5, help="games per size")
    parser.add_argument("--quick", action="store_true", help="2 games per size")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--limit", type=float, default=30.0,
                        help="seconds allowed to an anchor per game (then counted as failed "
                             "and timed at the limit)")
    args = parser.parse_args(argv)
    n_games = 2 if args.quick else args.games

    import games
    from games.solvers.mixed import mixed_equilibria

    gbt = optional("pygambit")
    qe = optional("quantecon.game_theory")

    # warm up compiled kernels (numba) so compilation is not timed
    mixed_equilibria(games.random_game((3, 3, 3), seed=0), method="mclennan_tourky")
    mixed_equilibria(games.random_game((3, 3, 3), seed=0), method="logit")

    sides: dict[str, Callable[[Any], Callable[[], Any]]] = {}
    sides["masalign auto"] = lambda g: (lambda: mixed_equilibria(g["ours"]))
    sides["masalign logit"] = lambda g: (lambda: mixed_equilibria(g["ours"], method="logit"))
    sides["masalign mclennan_tourky"] = lambda g: (
        lambda: mixed_equilibria(g["ours"], method="mclennan_tourky"))
    if gbt is not None:
        def gambit(solver: Callable[[Any], Any]) -> Callable[[Any], Callable[[], Any]]:
            return lambda g: (lambda: gambit_profile(gbt, solver(g["gambit"]), g["gambit"]))

        sides["pygambit simpdiv"] = gambit(
            lambda game: gbt.nash.simpdiv_solve(game.mixed_strategy_profile(rational=True)))
        sides["pygambit gnm"] = gambit(gbt.nash.gnm_solve)
        sides["pygambit logit"] = gambit(gbt.nash.logit_solve)
    if qe is not None:
        sides["quantecon mclennan_tourky"] = lambda g: (
            lambda: [list(map(float, s)) for s in qe.mclennan_tourky(g["qe"])])

    print(f"One mixed equilibrium of 3-player games, {n_games} seeded games per size "
          f"(seed {args.seed}); median seconds per game, worst certificate")
    header = f"{'side':28s}" + "".join(f"{f'{a}x{a}x{a}':>24s}" for a in SIZES)
    print(header)
    rows: dict[str, list[str]] = {name: [] for name in sides}
    medians: dict[str, dict[int, float]] = {name: {} for name in sides}
    for a in SIZES:
        rng = np.random.default_rng(args.seed + a)
        cases = []
        for _ in range(n_games):
            payoffs = rng.random((3, a, a, a))
            case = {"ours": games.Game(payoffs)}
            if gbt is not None:
                case["gambit"] = gbt.Game.from_arrays(*[payoffs[i] for i in range(3)])
            if qe is not None:
                case["qe"] = qe.NormalFormGame(np.moveaxis(payoffs, 0, -1))
            cases.append(case)
        for name, make in sides.items():
            times, worst, failures = [], 0.0, 0
            for case in cases:
                if name.startswith("masalign"):
                    t, value = timed(make(case))
                else:
                    t, value = limited(make(case), args.limit)
                times.append(t)
                g = case["ours"]
                if isinstance(value, Exception):
                    failures += 1
                    continue
                if name.startswith("masalign"):
                    r = value[0].regret
                else:
                    r = regret(g, value) if value is not None else np.inf
                worst = max(worst, float(r))
            med = statistics.median(times)
            medians[name][a] = med
            note = f" {failures} failed" if failures else ""
            rows[name].append(f"{med:9.4f}s cert {worst:7.1e}{note}")
    for name in sides:
        print(f"{name:28s}" + "".join(f"{cell:>24s}" for cell in rows[name]))
    print("\nratio anchor time / masalign auto time (our default method), > 1 means we are "
          "faster")
    for name in sides:
        if name.startswith("masalign"):
            continue
        cells = []
        for a in SIZES:
            ours = medians["masalign auto"][a]
            cells.append(f"{medians[name][a] / ours:24.2f}")
        print(f"{name:28s}" + "".join(cells))
    return 0


if __name__ == "__main__":
    sys.exit(main())
