"""Ohtsuki, Hauert, Lieberman & Nowak (2006): b/c > k on graphs.

One cooperator on a random k-regular graph of defectors (death-birth updating, fitness
1 - w + w P): the pair approximation predicts that selection favours cooperation (the
cooperator's fixation probability exceeds the neutral 1/N) when b/c > k, or, for a
finite graph of N nodes, b/c > (N - 2)/(N/k - 2). We estimate the fixation probability
against b/c by simulation for k = 4, 6, 8 and locate the crossing of 1/N.

Reference: Ohtsuki, H., Hauert, C., Lieberman, E. & Nowak, M. A. (2006). A simple rule for
the evolution of cooperation on graphs and social networks. Nature 441, 502-505.
"""

from __future__ import annotations

import os
import time
from typing import Any

import numpy as np

from games.catalog import prisoners_dilemma as PD
from games.errors import InvalidArgumentError
from games.evolution import simulate_graph_fixation
from games.palette import colour
from games.parallel import run_tasks
from papers.common import finish, log_axis_with_zero, new_figure, save_figure

__all__ = ["run", "pair_approximation_threshold", "figure", "plot", "NAME"]

NAME = "ohtsuki2006_networks"
DEGREES = (4, 6, 8)
SIZE = 100
#: b/c as multiples of k.
MULTIPLES_FULL = (0.5, 0.75, 1.0, 1.25, 1.5, 2.0)
MULTIPLES_REDUCED = (0.5, 1.0, 1.5, 2.0)
#: (runs per point, selection intensity w; None: w = 0.8 / k^2, so that w times the
#: payoff scale k b stays about 0.8 at b/c = k whatever k).
FULL = (200_000, 0.01)
REDUCED: tuple[int, float | None] = (3_000, None)


def intensity(degree: int, full: bool) -> float:
    """The selection intensity of a run: 0.01 at full size (Ohtsuki et al.'s weak
    selection), 0.8 / k^2 at reduced size (stronger, so 3,000 runs resolve the crossing)."""
    w = (FULL if full else REDUCED)[1]
    return float(w) if w is not None else 0.8 / degree ** 2


def pair_approximation_threshold(degree: int, size: int | None = None) -> float:
    """b/c above which cooperation is favoured: k (N -> infinity), or
    (N - 2) / (N/k - 2) on a finite graph (death-birth, weak selection).

    Examples
    --------
    >>> pair_approximation_threshold(4), round(pair_approximation_threshold(4, 100), 4)
    (4.0, 4.2609)
    """
    if degree < 2 or (size is not None and size <= 2 * degree):
        raise InvalidArgumentError(f"degree, size: expected 2 <= k and N > 2k, found k={degree}, "
                               f"N={size}")
    return float(degree) if size is None else (size - 2) / (size / degree - 2)


def _task(task: tuple[int, float, int, float, int], seed: Any) -> float:
    import networkx as nx

    degree, ratio, runs, w, graph_seed = task
    graph = nx.random_regular_graph(degree, SIZE, seed=graph_seed)
    return simulate_graph_fixation(PD(b=float(ratio), c=1.0), graph, w, rule="death-birth",
                                   resident=1, mutant=0, runs=runs, seed=seed).probability


def _crossing(xs: np.ndarray, ys: np.ndarray) -> float:
    for k in range(len(xs) - 1):
        if ys[k] <= 0 < ys[k + 1]:
            return float(xs[k] + (xs[k + 1] - xs[k]) * (-ys[k]) / (ys[k + 1] - ys[k]))
    return float(xs[0]) if ys[0] > 0 else float("nan")


def run(full: bool = False, seed: int = 0, executor: Any = None,
        out: str | os.PathLike[str] | None = None) -> dict[str, Any]:
    """Fixation of one cooperator against b/c on random k-regular graphs (N = 100).

    Reduced: 3,000 runs per point at w = 0.8/k^2 on b/c = k x (0.5, 1, 1.5, 2) (about
    20 s on 2 cores); full: 200,000 runs at weak selection w = 0.01 on six points per k."""
    started = time.perf_counter()
    runs = (FULL if full else REDUCED)[0]
    multiples = MULTIPLES_FULL if full else MULTIPLES_REDUCED
    w = {k: intensity(k, full) for k in DEGREES}
    tasks = [(k, k * m, runs, w[k], 1000 + k) for k in DEGREES for m in multiples]
    probs = np.array(run_tasks(_task, tasks, seed=seed, executor=executor,
                               description="Ohtsuki et al.: graph fixation")
                     ).reshape(len(DEGREES), len(multiples))
    quantities: dict[str, Any] = {}
    curves = {}
    for row, k in zip(probs, DEGREES):
        ratios = np.array(multiples) * k
        crossing = _crossing(ratios, row * SIZE - 1)
        quantities[f"crossing b/c, k = {k}"] = crossing
        quantities[f"finite-N prediction, k = {k}"] = pair_approximation_threshold(k, SIZE)
        curves[k] = {"ratios": ratios.tolist(), "rho": row.tolist(),
                     "n_rho": (row * SIZE).tolist()}
    lines = [f"N = {SIZE}, death-birth, w = " + ", ".join(f"{w[k]:.4g} (k = {k})" for k in DEGREES)
             + f", {runs} runs per point",
             "k   b/c > k   finite N   simulated crossing   N rho at b/c = " +
             ", ".join(f"{m:g}k" for m in multiples)]
    for k in DEGREES:
        lines.append(f"{k:<3} {k:<9} {pair_approximation_threshold(k, SIZE):<10.3f} "
                     f"{quantities[f'crossing b/c, k = {k}']:<20.3f} "
                     + ", ".join(f"{x:.3f}" for x in curves[k]["n_rho"]))
    details = {"summary": "\n".join(lines), "curves": curves, "runs": runs,
               "selection": {str(k): v for k, v in w.items()}, "size": SIZE}
    figures = []
    if out is not None:
        figures.append(plot(curves, w, os.path.join(os.fspath(out), f"{NAME}.png")))
    return finish(NAME, quantities, details, full=full, seed=seed, started=started,
                  figures=figures)


def figure(curves: dict[int, Any], w: dict[int, float]) -> Any:
    """N rho_C (N times the cooperator's fixation probability: 1 is neutral drift) against
    b/c for each degree k, on a log axis that keeps 0 (the estimates span orders of
    magnitude, down to no fixation at all), with b/c = k (dashed) and the finite-N
    threshold (N - 2)/(N/k - 2) (dotted) in the degree's colour. ``curves`` and ``w`` are
    keyed by degree. Returns the matplotlib Figure."""
    fig, ax = new_figure(figsize=(8, 5.5), layout="constrained")
    values = []
    for c, (k, curve) in enumerate(curves.items()):
        ax.plot(curve["ratios"], curve["n_rho"], "o-", color=colour(c),
                label=f"k = {k} (simulation, w = {w[k]:.3g})")
        ax.axvline(k, color=colour(c), ls="--", lw=1)
        ax.axvline(pair_approximation_threshold(k, SIZE), color=colour(c), ls=":", lw=1.5)
        values += list(curve["n_rho"])
    ax.axhline(1, color="k", lw=0.8, label="neutral (N rho = 1)")
    ax.plot([], [], color="0.3", ls="--", lw=1, label="b/c = k (pair approximation)")
    ax.plot([], [], color="0.3", ls=":", lw=1.5, label="b/c = (N - 2)/(N/k - 2) (finite N)")
    log_axis_with_zero(ax, values)
    ax.set(xlabel="benefit-to-cost ratio b/c", ylabel="N x cooperator fixation probability",
           title=f"Random regular graphs, N = {SIZE}, death-birth updating")
    ax.legend(fontsize=8, ncol=2, loc="upper center", bbox_to_anchor=(0.5, -0.12),
              frameon=False)
    return fig


def plot(curves: dict[int, Any], w: dict[int, float], path: str) -> str:
    """:func:`figure`, saved atomically at ``path``; returns the path."""
    return save_figure(figure(curves, w), path)
