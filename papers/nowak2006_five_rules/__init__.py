"""Nowak (2006): five rules for the evolution of cooperation, analytically and by evolution.

On the donation game (a cooperator pays c for its partner to get b) cooperation is
favoured when kin selection r > c/b, direct reciprocity w > c/b, indirect reciprocity
q > c/b, network reciprocity b/c > k, group selection b/c > 1 + n/m. The thresholds are
found exactly by :func:`mechanisms.threshold` on the corresponding mechanisms, and the
"favoured" boundary is then located in evolving populations: exact fixation probabilities
of one cooperator (Moran process) for kin, direct and indirect reciprocity, and Monte-Carlo
fixation on a random regular graph and in Traulsen & Nowak's multilevel model.

Reference: Nowak, M. A. (2006). Five rules for the evolution of cooperation. Science 314,
1560-1563.
"""

from __future__ import annotations

import os
import time
from fractions import Fraction
from typing import Any

import numpy as np
from scipy.optimize import brentq

import mechanisms as M
from games.catalog import prisoners_dilemma as PD
from games.evolution import (
    fixation_probabilities,
    relatedness_weighted,
    simulate_graph_fixation,
    simulate_group_fixation,
)
from games.palette import colour
from games.parallel import run_tasks
from papers.common import finish, log_axis_with_zero, new_figure, save_figure

__all__ = ["run", "analytic_thresholds", "figure", "plot", "NAME"]

NAME = "nowak2006_five_rules"

#: The donation game of the three parameterised rules (c/b = 1/3).
BENEFIT, COST = 3, 1
#: Network: degree and graph size; groups: number m and maximum size n.
DEGREE, GRAPH_SIZE = 4, 100
GROUPS, GROUP_SIZE = 10, 5
#: Well-mixed population size and selection intensity of the Moran process.
POPULATION, SELECTION = 100, 0.01


def analytic_thresholds(benefit: int = BENEFIT, cost: int = COST) -> dict[str, dict[str, Any]]:
    """The five thresholds, found exactly by :func:`mechanisms.threshold` (each is the
    mechanism strength from which the cooperative profile is an equilibrium/dominant)."""
    game = PD(b=benefit, c=cost)
    kin = M.threshold(game, M.Kinship, "relatedness", condition="dominant", profile=("C", "C"))
    direct = M.threshold(game, lambda w: M.Repetition(w), condition="equilibrium",
                         profile=("Tit For Tat", "Tit For Tat"))
    indirect = M.threshold(game, lambda q: M.Reputation(q), condition="strict-equilibrium",
                           profile=("Discriminator", "Discriminator"))
    net = M.threshold(None, lambda b: M.Network(DEGREE).apply(PD(b=b, c=1)),
                      condition="dominant", profile=("C", "C"), bounds=(1, 50))
    group = M.threshold(None, lambda b: M.Groups(GROUPS, GROUP_SIZE).apply(PD(b=b, c=1)),
                        condition="dominant", profile=("C", "C"), bounds=(1, 50))
    cb = Fraction(cost, benefit)
    return {
        "kin selection": {"parameter": "relatedness r", "rule": "r > c/b",
                          "paper": cb, "ours": kin.value, "exact": kin.exact},
        "direct reciprocity": {"parameter": "continuation w", "rule": "w > c/b",
                               "paper": cb, "ours": direct.value, "exact": direct.exact},
        "indirect reciprocity": {"parameter": "observability q", "rule": "q > c/b",
                                 "paper": cb, "ours": indirect.value, "exact": indirect.exact},
        "network reciprocity": {"parameter": f"b/c (k = {DEGREE})", "rule": "b/c > k",
                                "paper": Fraction(DEGREE), "ours": net.value,
                                "exact": net.exact},
        "group selection": {"parameter": f"b/c (m = {GROUPS}, n = {GROUP_SIZE})",
                            "rule": "b/c > 1 + n/m",
                            "paper": 1 + Fraction(GROUP_SIZE, GROUPS), "ours": group.value,
                            "exact": group.exact},
    }


def _moran_game(rule: str, x: float) -> Any:
    game = PD(b=float(BENEFIT), c=float(COST))
    if rule == "kin selection":
        return relatedness_weighted(game, float(x))
    if rule == "direct reciprocity":
        return M.Repetition(float(x)).apply(game)
    return M.Reputation(float(x)).apply(game)


def cooperator_advantage(rule: str, x: float) -> float:
    """N rho_C - 1 for one cooperator (TFT, discriminator) among defectors, Moran process
    (N = 100, w = 0.01): positive when selection favours cooperation."""
    f = fixation_probabilities(_moran_game(rule, x), POPULATION, SELECTION, rule="moran")
    return float(f[1, 0] * POPULATION - 1.0)


def _moran_crossing(rule: str) -> float:
    return float(brentq(lambda x: cooperator_advantage(rule, x), 0.05, 0.95, xtol=1e-6))


def _graph_task(task: tuple[float, int, float, int, int], seed: Any) -> float:
    import networkx as nx

    ratio, runs, intensity, graph_seed, size = task
    graph = nx.random_regular_graph(DEGREE, size, seed=graph_seed)
    est = simulate_graph_fixation(PD(b=float(ratio), c=1.0), graph, intensity, resident=1,
                                  mutant=0, runs=runs, seed=seed)
    return est.probability


def _group_task(task: tuple[float, int, float, str], seed: Any) -> float:
    ratio, runs, intensity, mutant = task
    return simulate_group_fixation(float(ratio), 1.0, GROUPS, GROUP_SIZE, intensity=intensity,
                                   mutant=mutant, runs=runs, seed=seed).probability


def _crossing(xs: np.ndarray, ys: np.ndarray) -> float:
    """The first x where the piecewise-linear ys crosses 0 upward (nan if it does not)."""
    for k in range(len(xs) - 1):
        if ys[k] <= 0 < ys[k + 1]:
            return float(xs[k] + (xs[k + 1] - xs[k]) * (-ys[k]) / (ys[k + 1] - ys[k]))
    return float(xs[0]) if ys[0] > 0 else float("nan")


#: Simulation sizes: (graph runs per point, graph intensity, group runs per point,
#: group intensity).
FULL = (200_000, 0.01, 100_000, 0.1)
REDUCED = (3_000, 0.1, 2_000, 0.1)
NETWORK_RATIOS = (2.0, 3.0, 4.0, 5.0, 6.0, 8.0)
GROUP_RATIOS = (1.1, 1.3, 1.5, 1.7, 2.0, 2.5)


def run(full: bool = False, seed: int = 0, executor: Any = None,
        out: str | os.PathLike[str] | None = None) -> dict[str, Any]:
    """Thresholds exactly and in evolving populations; a five-panel figure with ``out``.

    Reduced size: 3,000 graph runs per b/c at selection w = 0.1 and 2,000 group runs per
    b/c; full: 200,000 graph runs at w = 0.01 (weak selection, as in Ohtsuki et al.) and
    100,000 group runs.
    """
    started = time.perf_counter()
    analytic = analytic_thresholds()
    moran = {rule: _moran_crossing(rule) for rule in
             ("kin selection", "direct reciprocity", "indirect reciprocity")}
    grid = np.linspace(0.05, 0.95, 19)
    curves = {rule: [cooperator_advantage(rule, x) + 1 for x in grid] for rule in moran}
    g_runs, g_w, q_runs, q_w = FULL if full else REDUCED
    tasks: list[Any] = [(r, g_runs, g_w, 12345, GRAPH_SIZE) for r in NETWORK_RATIOS]
    tasks += [(r, q_runs, q_w, m) for m in ("cooperator", "defector") for r in GROUP_RATIOS]

    probs = run_tasks(_simulation_task, tasks, seed=seed, executor=executor,
                      description="Nowak (2006): fixation simulations")
    graph_rho = np.array(probs[:len(NETWORK_RATIOS)])
    coop = np.array(probs[len(NETWORK_RATIOS):len(NETWORK_RATIOS) + len(GROUP_RATIOS)])
    defe = np.array(probs[len(NETWORK_RATIOS) + len(GROUP_RATIOS):])
    network_crossing = _crossing(np.array(NETWORK_RATIOS), graph_rho * GRAPH_SIZE - 1)
    group_crossing = _crossing(np.array(GROUP_RATIOS), coop - defe)
    one_third = 3 * COST / (BENEFIT + 2 * COST)            # b/c > (3 - 2w)/w
    quantities: dict[str, Any] = {}
    for rule, spec in analytic.items():
        quantities[f"threshold: {rule}"] = float(spec["ours"])
    quantities["simulated: kin selection"] = moran["kin selection"]
    quantities["simulated: direct reciprocity"] = moran["direct reciprocity"]
    quantities["simulated: indirect reciprocity"] = moran["indirect reciprocity"]
    quantities["simulated: network reciprocity"] = network_crossing
    quantities["simulated: group selection"] = group_crossing
    quantities["all analytic thresholds exact"] = all(s["exact"] for s in analytic.values())
    table = ["rule                  condition       paper    exact (ours)  evolving population",
             "--------------------  --------------  -------  ------------  -------------------"]
    sim = {"kin selection": moran["kin selection"],
           "direct reciprocity": moran["direct reciprocity"],
           "indirect reciprocity": moran["indirect reciprocity"],
           "network reciprocity": network_crossing, "group selection": group_crossing}
    for rule, spec in analytic.items():
        table.append(f"{rule:<20}  {spec['rule']:<14}  {float(spec['paper']):<7.4g}  "
                     f"{str(spec['ours']):<12}  {sim[rule]:.4g}")
    summary = ("\n".join(table) + f"\n(direct/indirect in a finite population: the 1/3 rule "
               f"b/c > (3 - 2w)/w gives w* = {one_third:.4g}; N = {POPULATION}, "
               f"Moran w = {SELECTION})")
    details = {
        "summary": summary,
        "analytic": {k: {**v, "paper": str(v["paper"]), "ours": str(v["ours"])}
                     for k, v in analytic.items()},
        "moran": {"population": POPULATION, "selection": SELECTION, "grid": grid.tolist(),
                  "n_rho": {k: v for k, v in curves.items()}, "crossings": moran,
                  "one_third_rule": one_third},
        "network": {"degree": DEGREE, "size": GRAPH_SIZE, "runs": g_runs, "selection": g_w,
                    "ratios": list(NETWORK_RATIOS), "rho": graph_rho.tolist()},
        "groups": {"groups": GROUPS, "group_size": GROUP_SIZE, "runs": q_runs,
                   "selection": q_w, "ratios": list(GROUP_RATIOS),
                   "rho_cooperator": coop.tolist(), "rho_defector": defe.tolist()},
    }
    figures = []
    if out is not None:
        figures.append(plot(details, os.path.join(os.fspath(out), f"{NAME}.png")))
    return finish(NAME, quantities, details, full=full, seed=seed, started=started,
                  figures=figures)


def _simulation_task(task: tuple, seed: Any) -> float:
    """One simulation point (a graph point has 5 fields, a group point 4)."""
    return _graph_task(task, seed) if len(task) == 5 else _group_task(task, seed)


def figure(details: dict[str, Any]) -> Any:
    """Five panels, one per rule: N rho_C (N times the cooperator's fixation probability:
    1 is neutral drift) against the mechanism's parameter, Nowak's threshold marked
    (dashed) and, for the reciprocities, the finite-population 1/3 rule (dotted); for
    groups, both mutants' fixation probabilities, which cross at b/c = 1 + n/m. The
    network and group estimates span orders of magnitude (down to no fixation at all):
    log axes that keep 0. ``details`` is the ``"details"`` of :func:`run`. Returns the
    matplotlib Figure."""
    fig, axes = new_figure(1, 5, figsize=(21, 4.6), layout="constrained")
    moran = details["moran"]
    neutral = {"color": "k", "lw": 0.8, "label": "neutral (N rho = 1)"}
    for ax, (rule, name) in zip(axes[:3], (("kin selection", "relatedness r"),
                                           ("direct reciprocity", "continuation probability w"),
                                           ("indirect reciprocity", "observability q"))):
        ax.plot(moran["grid"], np.array(moran["n_rho"][rule]), "o-", ms=3, color=colour(0),
                label="exact")
        ax.axvline(COST / BENEFIT, color=colour(3), ls="--", lw=1, label="c/b (Nowak)")
        if rule != "kin selection":
            ax.axvline(moran["one_third_rule"], color=colour(2), ls=":", lw=1.5,
                       label="1/3 rule (finite N)")
        ax.axhline(1, **neutral)
        ax.set(xlabel=f"{name} (probability)", ylabel="N x cooperator fixation probability",
               title=rule.capitalize() + "\n(Moran process)")
        ax.legend(fontsize=7, loc="upper left")
    net = details["network"]
    n_rho = np.array(net["rho"]) * net["size"]
    runs = f" ({net['runs']:,} runs)" if "runs" in net else ""
    axes[3].plot(net["ratios"], n_rho, "o-", ms=4, color=colour(0), label="simulation" + runs)
    axes[3].axvline(DEGREE, color=colour(3), ls="--", lw=1, label="b/c = k")
    axes[3].axhline(1, **neutral)
    log_axis_with_zero(axes[3], n_rho)
    axes[3].set(xlabel="benefit-to-cost ratio b/c", ylabel="N x cooperator fixation probability",
                title=f"Network reciprocity\n(random regular graph, k = {DEGREE}, "
                      f"N = {net['size']})")
    axes[3].legend(fontsize=7, loc="upper left")
    grp = details["groups"]
    coop, defe = np.array(grp["rho_cooperator"]) * 100, np.array(grp["rho_defector"]) * 100
    axes[4].plot(grp["ratios"], coop, "o-", ms=4, color=colour(0), label="cooperator mutant")
    axes[4].plot(grp["ratios"], defe, "s-", ms=4, color=colour(1), label="defector mutant")
    axes[4].axvline(1 + GROUP_SIZE / GROUPS, color=colour(3), ls="--", lw=1,
                    label="b/c = 1 + n/m")
    log_axis_with_zero(axes[4], np.concatenate([coop, defe]))
    axes[4].set(xlabel="benefit-to-cost ratio b/c", ylabel="fixation probability (%)",
                title=f"Group selection\n(m = {GROUPS} groups of at most n = {GROUP_SIZE})")
    axes[4].legend(fontsize=7, loc="lower left")
    return fig


def plot(details: dict[str, Any], path: str) -> str:
    """:func:`figure`, saved atomically at ``path``; returns the path."""
    return save_figure(figure(details), path)
