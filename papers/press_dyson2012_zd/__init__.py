"""Press & Dyson (2012): zero-determinant extortion, and its fate in evolving populations
(Hilbe, Nowak & Sigmund 2013).

An extortionate memory-one strategy X with p = (11/13, 1/2, 7/26, 0) (chi = 3,
phi = 1/26) enforces s_X - P = chi (s_Y - P) on the long-run payoffs against every
opponent Y, whatever Y does; against unconditional cooperation it earns 41/11 per round
and the cooperator 21/11. In an evolving population (pairwise comparison, rare
mutations) extortioners hold their ground only in very small populations.

References: Press, W. H. & Dyson, F. J. (2012). Iterated Prisoner's Dilemma contains
strategies that dominate any evolutionary opponent. PNAS 109(26), 10409-10413.
Hilbe, C., Nowak, M. A. & Sigmund, K. (2013). Evolution of extortion in Iterated
Prisoner's Dilemma games. PNAS 110(17), 6913-6918.
"""

from __future__ import annotations

import os
import time
from fractions import Fraction
from typing import Any

import numpy as np

from games import Game
from games.catalog import prisoners_dilemma
from games.evolution import stationary_distribution
from games.parallel import run_tasks
from games.repeated import expected_payoffs
from games.repeated import strategies as S
from papers.common import finish, new_figure, save_figure

__all__ = ["run", "zd_residuals", "NAME"]

NAME = "press_dyson2012_zd"
CHI, PHI = 3, Fraction(1, 26)
POPULATIONS = (2, 3, 5, 10, 20, 50, 100, 200)
#: Implementation noise of the evolutionary meta-game (makes every pair's chain ergodic).
NOISE = Fraction(1, 100)


def _catalogue() -> list[Any]:
    return [f() for name, f in S.CATALOGUE.items()]


def zd_residuals(opponents: list[Any], stage: Any = None) -> list[dict[str, Any]]:
    """For each opponent Y: s_X, s_Y and the residual (s_X - P) - chi (s_Y - P) of
    Press & Dyson's extortioner X (long-run average payoffs, exact when Y is exact)."""
    stage = stage if stage is not None else prisoners_dilemma()
    zd = S.ZDExtortion(CHI, PHI)
    rows = []
    for y in opponents:
        sx, sy = expected_payoffs(zd, y, stage)
        rows.append({"opponent": y.name, "s_X": sx, "s_Y": sy,
                     "residual": (sx - 1) - CHI * (sy - 1)})
    return rows


def _random_opponent(task: int, seed: Any) -> dict[str, float]:
    rng = np.random.default_rng(seed)
    y = S.MemoryOne(rng.random(4).tolist(), float(rng.random()), name=f"random {task}")
    (row,) = zd_residuals([y])
    return {k: (float(v) if k != "opponent" else v) for k, v in row.items()}


def evolution(populations: tuple[int, ...] = POPULATIONS, intensity: float = 1.0
              ) -> dict[str, Any]:
    """Stationary abundance of ALLC, ALLD, the extortioner, TFT and WSLS under pairwise
    comparison with rare mutations, for each population size (noise 1%)."""
    stage = prisoners_dilemma()
    strs = [S.Cooperator(), S.Defector(), S.ZDExtortion(CHI, PHI), S.TitForTat(),
            S.WinStayLoseShift()]
    m = np.array([[float(expected_payoffs(a, b, stage, noise=NOISE)[0]) for b in strs]
                  for a in strs])
    game = Game.from_bimatrix(m, m.T)
    shares = {int(n): stationary_distribution(game, int(n), intensity).tolist()
              for n in populations}
    return {"strategies": [s.name for s in strs], "payoff_matrix": m.tolist(),
            "intensity": intensity, "shares": shares}


def run(full: bool = False, seed: int = 0, executor: Any = None,
        out: str | os.PathLike[str] | None = None) -> dict[str, Any]:
    """The ZD relation against the catalogue (exact) and random memory-one opponents
    (200 reduced, 5,000 full), and extortion's abundance against population size."""
    started = time.perf_counter()
    catalogue = zd_residuals(_catalogue())
    count = 5000 if full else 200
    random_rows = run_tasks(_random_opponent, range(count), seed=seed, executor=executor,
                            description="Press & Dyson: random opponents")
    vs_allc = expected_payoffs(S.ZDExtortion(CHI, PHI), S.Cooperator(), prisoners_dilemma())
    evo = evolution()
    index = evo["strategies"].index("ZD-Extortion")
    zd_share = {n: s[index] for n, s in evo["shares"].items()}
    small, large = min(zd_share), max(zd_share)
    winner_large = evo["strategies"][int(np.argmax(evo["shares"][large]))]
    quantities: dict[str, Any] = {
        "ZD relation residual, catalogue (exact)": float(max(abs(r["residual"])
                                                            for r in catalogue)),
        "catalogue residuals all exactly zero": all(r["residual"] == 0 for r in catalogue),
        "ZD relation residual, random memory-one opponents": max(abs(r["residual"])
                                                                for r in random_rows),
        "extortioner vs ALLC: s_X": float(vs_allc[0]),
        "extortioner vs ALLC: s_Y": float(vs_allc[1]),
        "extortioner never earns less than its opponent": all(
            r["s_X"] >= r["s_Y"] - 1e-12 for r in catalogue + random_rows),
        f"extortion share, N = {small}": zd_share[small],
        f"extortion share, N = {large}": zd_share[large],
        "extortion share falls from small to large populations": zd_share[large] < zd_share[small],
        f"extortioners most abundant at N = {large}": winner_large == "ZD-Extortion",
    }
    lines = ["opponent               s_X        s_Y        (s_X - P) - 3 (s_Y - P)"]
    lines += [f"{r['opponent']:<22} {str(r['s_X']):<10} {str(r['s_Y']):<10} {r['residual']}"
              for r in catalogue]
    lines.append("\nStationary abundance (pairwise comparison, rare mutations, noise 1%):")
    lines.append("N     " + "  ".join(f"{s[:12]:>12}" for s in evo["strategies"]))
    lines += [f"{n:<5} " + "  ".join(f"{x:12.3f}" for x in shares)
              for n, shares in evo["shares"].items()]
    details = {"summary": "\n".join(lines),
               "catalogue": [{k: str(v) if isinstance(v, Fraction) else v for k, v in r.items()}
                             for r in catalogue],
               "random_opponents": count, "evolution": evo}
    figures = []
    if out is not None:
        figures.append(plot(catalogue, random_rows, evo,
                            os.path.join(os.fspath(out), f"{NAME}.png")))
    return finish(NAME, quantities, details, full=full, seed=seed, started=started,
                  figures=figures)


def plot(catalogue: list[dict[str, Any]], random_rows: list[dict[str, Any]],
         evo: dict[str, Any], path: str) -> str:
    """The enforced line s_X - 1 = 3 (s_Y - 1) with every opponent on it, and the
    stationary abundances against population size."""
    fig, (ax, bx) = new_figure(1, 2, figsize=(12, 4.5))
    ys = np.array([r["s_Y"] for r in random_rows])
    xs = np.array([r["s_X"] for r in random_rows])
    ax.scatter(ys, xs, s=6, c="0.6", label="random memory-one opponents")
    for r in catalogue:
        ax.scatter(float(r["s_Y"]), float(r["s_X"]), s=40)
        ax.annotate(r["opponent"], (float(r["s_Y"]), float(r["s_X"])), fontsize=7)
    line = np.linspace(1, 21 / 11, 10)
    ax.plot(line, 1 + CHI * (line - 1), "k--", lw=1, label="$s_X - P = 3 (s_Y - P)$")
    ax.set(xlabel="opponent's payoff $s_Y$", ylabel="extortioner's payoff $s_X$",
           title="Press & Dyson: the enforced linear relation")
    ax.legend(fontsize=8)
    ns = sorted(evo["shares"])
    shares = np.array([evo["shares"][n] for n in ns])
    for k, name in enumerate(evo["strategies"]):
        bx.plot(ns, shares[:, k], "o-", ms=3, label=name)
    bx.set(xscale="log", xlabel="population size N", ylabel="stationary abundance",
           title="Hilbe, Nowak & Sigmund: extortion fades as N grows")
    bx.legend(fontsize=8)
    return save_figure(fig, path)
