"""Structured populations: evolution of a symmetric 2-strategy game on a graph, and the
pair-approximation rule b/c > k.

Each individual plays the game with each neighbour and accumulates the payoffs ``P``;
its fitness is ``1 - w + w P`` (Ohtsuki et al. 2006) for the birth/death rules, and
pairwise-comparison imitation uses the Fermi function of the payoff difference.

References
----------
Ohtsuki, Hauert, Lieberman & Nowak (2006). A simple rule for the evolution of cooperation
on graphs and social networks. Nature 441, 502-505.
Lieberman, Hauert & Nowak (2005). Evolutionary dynamics on graphs. Nature 433, 312-316.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from games.arguments import check_choice, check_integer, check_real, check_seed
from games.errors import InvalidArgumentError, InvalidGameError
from games.evolution._structured_kernels import graph_runs
from games.evolution.finite import FixationEstimate, population_game, wilson_interval

__all__ = ["GRAPH_RULES", "simulate_graph_fixation", "network_threshold", "graph_arrays"]

#: Update rules on graphs.
GRAPH_RULES = ("death-birth", "birth-death", "imitation", "pairwise-comparison")


def network_threshold(degree: float, rule: str = "death-birth") -> float:
    """The critical benefit-to-cost ratio of the donation game on a graph of average
    ``degree`` k under weak selection (Ohtsuki et al. 2006, pair approximation):
    death-birth b/c > k, imitation b/c > k + 2, birth-death never (infinity)."""
    check_choice(rule, "rule", GRAPH_RULES)
    check_real(degree, "degree", low=0, low_open=True)
    return {"death-birth": float(degree), "imitation": float(degree) + 2,
            "birth-death": math.inf, "pairwise-comparison": float(degree)}[rule]


def graph_arrays(graph: Any) -> tuple[np.ndarray, np.ndarray]:
    """A networkx graph (or an adjacency matrix) as CSR arrays ``(indptr, indices)`` over
    nodes relabelled 0..N-1.

    Raises
    ------
    InvalidArgumentError
        A graph with fewer than 2 nodes, an isolated node, or a directed graph.
    """
    if hasattr(graph, "nodes") and hasattr(graph, "neighbors"):
        if graph.is_directed():
            raise InvalidArgumentError("graph: expected an undirected graph, found a directed one")
        nodes = list(graph.nodes)
        index = {node: k for k, node in enumerate(nodes)}
        neighbours = [[index[v] for v in graph.neighbors(u) if v != u] for u in nodes]
    else:
        adjacency = np.asarray(graph)
        if adjacency.ndim != 2 or adjacency.shape[0] != adjacency.shape[1]:
            raise InvalidArgumentError(f"graph: expected a networkx graph or a square adjacency "
                                       f"matrix, found shape {adjacency.shape}")
        if not np.array_equal(adjacency != 0, (adjacency != 0).T):
            raise InvalidArgumentError("graph: expected a symmetric adjacency matrix")
        neighbours = [[int(v) for v in np.flatnonzero(row) if v != u]
                      for u, row in enumerate(adjacency)]
    if len(neighbours) < 2:
        raise InvalidArgumentError(f"graph: expected at least 2 nodes, found {len(neighbours)}")
    lonely = [k for k, nb in enumerate(neighbours) if not nb]
    if lonely:
        raise InvalidArgumentError(
            f"graph: expected every node to have a neighbour, node {lonely[0]} has none")
    indptr = np.zeros(len(neighbours) + 1, dtype=np.int64)
    indptr[1:] = np.cumsum([len(nb) for nb in neighbours])
    indices = np.array([v for nb in neighbours for v in nb], dtype=np.int64)
    return indptr, indices


def simulate_graph_fixation(game: Any, graph: Any, intensity: float, rule: str = "death-birth",
                            resident: int = 0, mutant: int = 1, runs: int = 1000,
                            seed: Any = None, max_steps: int = 10**8) -> FixationEstimate:
    """Estimate the probability that one mutant, placed on a random node of a graph of
    residents, takes over the whole graph (compiled, seeded simulation).

    Rules: ``"death-birth"`` (a random individual dies; neighbours compete for the empty
    site in proportion to fitness), ``"birth-death"`` (an individual chosen in proportion
    to fitness replaces a random neighbour), ``"imitation"`` (a random individual keeps
    its strategy or copies a neighbour's in proportion to fitness, itself included) and
    ``"pairwise-comparison"`` (a random individual copies a random neighbour with the Fermi
    probability of the payoff difference, selection intensity ``intensity``).

    Compare the estimate with the neutral value ``1/N``: cooperation is favoured when the
    cooperator's fixation probability exceeds it.

    Returns
    -------
    FixationEstimate
        With a 95% Wilson interval. Runs that reach ``max_steps`` count as no fixation
        (none do in practice; the bound only guards against an endless run).
    """
    pop = population_game(game)
    if pop.matrix is None:
        raise InvalidGameError("game: graph simulations need a two-player symmetric game")
    check_choice(rule, "rule", GRAPH_RULES)
    w = float(check_real(intensity, "intensity", low=0))
    if rule != "pairwise-comparison" and w > 1:
        raise InvalidArgumentError(
            f"intensity: expected 0 <= w <= 1 for fitness 1 - w + w * payoff, found {intensity!r}")
    check_integer(runs, "runs", minimum=1)
    check_integer(max_steps, "max_steps", minimum=1)
    s = pop.n_strategies
    for name, k in (("resident", resident), ("mutant", mutant)):
        check_integer(k, name, minimum=0, maximum=s - 1)
    indptr, indices = graph_arrays(graph)
    a = pop.matrix[np.ix_([resident, mutant], [resident, mutant])].astype(np.float64)
    if rule != "pairwise-comparison":
        degree_max = int(np.diff(indptr).max())
        lowest = 1 - w + w * degree_max * min(0.0, float(a.min()))
        if lowest <= 0:
            raise InvalidArgumentError(
                f"intensity: fitness 1 - w + w * payoff can reach {lowest:.3g} <= 0 on this graph; "
                f"lower w")
    code = GRAPH_RULES.index(rule)
    rng = np.random.default_rng(check_seed(seed))
    fixations = graph_runs(indptr, indices, np.ascontiguousarray(a), w, code, int(runs),
                           int(max_steps), int(rng.integers(2**62)))
    low, high = wilson_interval(int(fixations), int(runs))
    return FixationEstimate(int(fixations), int(runs), low, high)
