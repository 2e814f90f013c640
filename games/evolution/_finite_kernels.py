"""The compiled simulations behind :mod:`games.evolution.finite`: runs from one mutant
to fixation or extinction (pairwise comparison or Moran), and one Moran process on
strategy counts. Each kernel seeds numba's own generator from the seed it is given, so a
seed replays the same run. Kernels are compiled through :func:`games._jit.jit` on their
first call.
"""

from __future__ import annotations

import numpy as np

from games._jit import jit

__all__ = ["simulate_runs", "moran_kernel"]


@jit
def simulate_runs(mutant_payoff: np.ndarray, resident_payoff: np.ndarray, z: int, beta: float,
                  moran: bool, runs: int, seed: int) -> int:
    """How many of ``runs`` runs from one mutant in a population of ``z`` end with the
    mutants fixed; ``mutant_payoff[k - 1]`` and ``resident_payoff[k - 1]`` are the payoffs
    with ``k`` mutants."""
    np.random.seed(seed)  # noqa: NPY002
    fixations = 0
    for _ in range(runs):
        k = 1
        while 0 < k < z:
            f_m = mutant_payoff[k - 1]
            f_r = resident_payoff[k - 1]
            if moran:
                phi_m = 1.0 - beta + beta * f_m
                phi_r = 1.0 - beta + beta * f_r
                parent_is_mutant = np.random.random() * (k * phi_m + (z - k) * phi_r) < k * phi_m  # noqa: NPY002
                # The offspring replaces one of the other z - 1 individuals at random.
                other_mutants = k - 1 if parent_is_mutant else k
                dies_mutant = np.random.random() * (z - 1) < other_mutants  # noqa: NPY002
                if parent_is_mutant and not dies_mutant:
                    k += 1
                elif dies_mutant and not parent_is_mutant:
                    k -= 1
            else:
                focal_is_mutant = np.random.random() * z < k  # noqa: NPY002
                other_mutants = k - 1 if focal_is_mutant else k
                model_is_mutant = np.random.random() * (z - 1) < other_mutants  # noqa: NPY002
                if focal_is_mutant != model_is_mutant:
                    gain = f_r - f_m if focal_is_mutant else f_m - f_r
                    if np.random.random() < 1.0 / (1.0 + np.exp(-beta * gain)):  # noqa: NPY002
                        k += -1 if focal_is_mutant else 1
        if k == z:
            fixations += 1
    return fixations


@jit
def moran_kernel(a: np.ndarray, counts: np.ndarray, w: float, max_steps: int,
                 trajectory: np.ndarray, seed: int) -> tuple[int, int]:
    """One Moran process from ``counts``: the steps taken and the strategy that took over
    (-1 when ``max_steps`` ran out first); the counts after each step are written to
    ``trajectory`` while it has room."""
    np.random.seed(seed)  # noqa: NPY002
    s = counts.shape[0]
    n = counts.sum()
    state = counts.copy()
    fitness = np.zeros(s)
    trajectory[0, :] = state
    step = 0
    capacity = trajectory.shape[0] - 1
    while step < max_steps:
        alive = 0
        for i in range(s):
            if state[i] > 0:
                alive += 1
        if alive == 1:
            break
        total = 0.0
        for i in range(s):
            payoff = 0.0
            for j in range(s):
                payoff += a[i, j] * (state[j] - (1 if i == j else 0))
            fitness[i] = 1.0 - w + w * payoff / (n - 1)
            total += state[i] * fitness[i]
        parent = s - 1
        if total > 0.0:
            draw = np.random.random() * total  # noqa: NPY002
            for i in range(s):
                draw -= state[i] * fitness[i]
                if draw < 0.0:
                    parent = i
                    break
        else:  # nobody has positive fitness: every individual is equally likely
            draw = np.random.random() * n  # noqa: NPY002
            for i in range(s):
                draw -= state[i]
                if draw < 0.0:
                    parent = i
                    break
        draw = np.random.random() * n  # noqa: NPY002
        dead = s - 1
        for i in range(s):
            draw -= state[i]
            if draw < 0.0:
                dead = i
                break
        state[parent] += 1
        state[dead] -= 1
        step += 1
        if step <= capacity:
            trajectory[step, :] = state
    winner = -1
    for i in range(s):
        if state[i] == n:
            winner = i
    return step, winner
