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
from games.palette import colour
from games.parallel import run_tasks
from games.repeated import expected_payoffs
from games.repeated import strategies as S
from papers.common import finish, log_axis_with_zero, new_figure, save_figure

__all__ = ["run", "zd_residuals", "figure", "plot", "NAME"]

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


def _number(x: Any) -> float:
    """A payoff given as a number, a Fraction or its string ("41/11"), as a float."""
    return float(Fraction(str(x)))


def _wrap_names(names: list[str], width: int) -> str:
    """``names`` joined by commas, on lines of at most ``width`` characters where that is
    possible, never breaking a name."""
    lines = [names[0]]
    for name in names[1:]:
        if len(lines[-1]) + 2 + len(name) <= width:
            lines[-1] += ", " + name
        else:
            lines[-1] += ","
            lines.append(name)
    return "\n".join(lines)


def _clusters(points: list[tuple[float, float, str]], gap: float) -> list[list[Any]]:
    """Points sorted by x, grouped while consecutive x differ by less than ``gap``."""
    groups: list[list[Any]] = []
    for p in sorted(points):
        if groups and p[0] - groups[-1][-1][0] < gap:
            groups[-1].append(p)
        else:
            groups.append([p])
    return groups


def figure(catalogue: list[dict[str, Any]], random_rows: list[dict[str, Any]],
           evo: dict[str, Any]) -> Any:
    """The enforced line s_X - P = 3 (s_Y - P) with every opponent on it (catalogue
    strategies named, those at one point in one label), and the stationary abundances
    against population size, both on log axes (N from 2 to hundreds, abundances over
    orders of magnitude). Payoffs are per round, in the stage game's units (R, S, T, P) =
    (3, 0, 5, 1). ``catalogue`` and ``random_rows`` are rows of :func:`zd_residuals`
    (payoffs as numbers, fractions or their strings). Returns the matplotlib Figure."""
    fig, (ax, bx) = new_figure(1, 2, figsize=(13, 5.4), layout="constrained")

    if random_rows:
        ax.scatter([_number(r["s_Y"]) for r in random_rows],
                   [_number(r["s_X"]) for r in random_rows], s=6, c="0.6",
                   label=f"random memory-one opponents ({len(random_rows)})")
    points = [(_number(r["s_Y"]), _number(r["s_X"]), r["opponent"]) for r in catalogue]
    ax.scatter([p[0] for p in points], [p[1] for p in points], s=40, c=colour(0), zorder=3,
               label="catalogue strategies (exact)")
    xs = [p[0] for p in points] + [_number(r["s_Y"]) for r in random_rows]
    low, high = min(xs, default=1.0), max(xs, default=21 / 11)
    middle = (low + high) / 2
    for group in _clusters(points, gap=0.03 * max(high - low, 1e-9)):
        x, y = group[0][0], group[0][1]
        text = _wrap_names([p[2] for p in group], 40)
        # below and right of the line at its lower half, above and left at its upper half
        right = x < middle
        ax.annotate(text, (x, y), xytext=(8, -6) if right else (-8, 6),
                    textcoords="offset points", fontsize=7,
                    ha="left" if right else "right", va="top" if right else "bottom")
    line = np.linspace(1, 21 / 11, 10)
    ax.plot(line, 1 + CHI * (line - 1), "k--", lw=1, label="$s_X - P = 3 (s_Y - P)$")
    ax.margins(0.08)
    bottom, top = ax.get_ylim()
    ax.set_ylim(bottom - 0.1 * (top - bottom), top)   # room for the names below (1, 1)
    ax.set(xlabel="opponent's payoff $s_Y$ (per round)",
           ylabel="extortioner's payoff $s_X$ (per round)",
           title="Press & Dyson: the enforced linear relation")
    ax.legend(fontsize=8, loc="upper left")

    ns = sorted(evo["shares"], key=int)
    shares = np.array([evo["shares"][n] for n in ns])
    sizes = [int(n) for n in ns]
    for k, name in enumerate(evo["strategies"]):
        bx.plot(sizes, shares[:, k], "o-", ms=4, color=colour(k), label=name,
                lw=2.2 if name == "ZD-Extortion" else 1.4)
    from matplotlib.ticker import FuncFormatter, LogLocator, NullFormatter

    bx.set_xscale("log")
    bx.xaxis.set_major_locator(LogLocator(subs=(1.0, 2.0, 5.0)))
    bx.xaxis.set_major_formatter(FuncFormatter(lambda x, _: f"{x:g}"))
    bx.xaxis.set_minor_formatter(NullFormatter())
    log_axis_with_zero(bx, shares)
    bx.set(xlabel="population size N (individuals, log scale)",
           ylabel="stationary abundance (fraction of the population)",
           title="Hilbe, Nowak & Sigmund: extortion fades as N grows")
    bx.legend(fontsize=8, ncol=3, loc="upper center", bbox_to_anchor=(0.5, -0.12),
              frameon=False)
    return fig


def plot(catalogue: list[dict[str, Any]], random_rows: list[dict[str, Any]],
         evo: dict[str, Any], path: str) -> str:
    """:func:`figure`, saved atomically at ``path``; returns the path."""
    return save_figure(figure(catalogue, random_rows, evo), path)
