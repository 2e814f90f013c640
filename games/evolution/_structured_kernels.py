"""The compiled simulation behind
:func:`games.evolution.structured.simulate_graph_fixation`: runs of a two-strategy game on
a graph from one mutant until fixation or extinction, with the payoffs of the neighbours
updated after each change. The kernel seeds numba's own generator from the seed it is
given, so a seed replays the same runs. Compiled through :func:`games._jit.jit` on its
first call.
"""

from __future__ import annotations

import numpy as np

from games._jit import jit

__all__ = ["graph_runs"]


@jit
def graph_runs(indptr: np.ndarray, indices: np.ndarray, a: np.ndarray, w: float, rule: int,
               runs: int, max_steps: int, seed: int) -> int:
    """How many of ``runs`` runs from one mutant (strategy 1 among residents 0, payoffs
    ``a``) on the graph in CSR form ``indptr, indices`` end with the mutants fixed, under
    the rule of index ``rule`` in :data:`games.evolution.structured.GRAPH_RULES`; a run
    stops unfixed after ``max_steps`` steps."""
    np.random.seed(seed)
    n = indptr.shape[0] - 1
    strategy = np.zeros(n, dtype=np.int64)
    payoff = np.zeros(n)
    fixations = 0
    for _ in range(runs):
        strategy[:] = 0
        start = np.random.randint(n)
        strategy[start] = 1
        for u in range(n):
            total = 0.0
            for e in range(indptr[u], indptr[u + 1]):
                total += a[strategy[u], strategy[indices[e]]]
            payoff[u] = total
        mutants = 1
        steps = 0
        while 0 < mutants < n and steps < max_steps:
            steps += 1
            target = -1
            new = 0
            if rule == 0:  # death-birth
                target = np.random.randint(n)
                total = 0.0
                for e in range(indptr[target], indptr[target + 1]):
                    total += 1.0 - w + w * payoff[indices[e]]
                draw = np.random.random() * total
                for e in range(indptr[target], indptr[target + 1]):
                    draw -= 1.0 - w + w * payoff[indices[e]]
                    if draw <= 0.0 or e == indptr[target + 1] - 1:
                        new = strategy[indices[e]]
                        break
            elif rule == 1:  # birth-death
                total = 0.0
                for u in range(n):
                    total += 1.0 - w + w * payoff[u]
                draw = np.random.random() * total
                parent = n - 1
                for u in range(n):
                    draw -= 1.0 - w + w * payoff[u]
                    if draw <= 0.0:
                        parent = u
                        break
                degree = indptr[parent + 1] - indptr[parent]
                target = indices[indptr[parent] + np.random.randint(degree)]
                new = strategy[parent]
            elif rule == 2:  # imitation, the focal individual included
                target = np.random.randint(n)
                total = 1.0 - w + w * payoff[target]
                for e in range(indptr[target], indptr[target + 1]):
                    total += 1.0 - w + w * payoff[indices[e]]
                draw = np.random.random() * total - (1.0 - w + w * payoff[target])
                new = strategy[target]
                if draw > 0.0:
                    for e in range(indptr[target], indptr[target + 1]):
                        draw -= 1.0 - w + w * payoff[indices[e]]
                        if draw <= 0.0 or e == indptr[target + 1] - 1:
                            new = strategy[indices[e]]
                            break
            else:  # pairwise comparison with a random neighbour
                target = np.random.randint(n)
                degree = indptr[target + 1] - indptr[target]
                model = indices[indptr[target] + np.random.randint(degree)]
                new = strategy[target]
                if strategy[model] != new:
                    gap = payoff[model] - payoff[target]
                    if np.random.random() < 1.0 / (1.0 + np.exp(-w * gap)):
                        new = strategy[model]
            old = strategy[target]
            if new == old:
                continue
            strategy[target] = new
            mutants += 1 if new == 1 else -1
            total = 0.0
            for e in range(indptr[target], indptr[target + 1]):
                v = indices[e]
                total += a[new, strategy[v]]
                payoff[v] += a[strategy[v], new] - a[strategy[v], old]
            payoff[target] = total
        if mutants == n:
            fixations += 1
    return fixations
