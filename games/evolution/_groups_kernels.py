"""The compiled simulation behind :func:`games.evolution.groups.simulate_group_fixation`:
runs of the multilevel-selection model of Traulsen & Nowak (2006) from one mutant until
fixation or extinction. The kernel seeds numba's own generator from the seed it is given,
so a seed replays the same runs. Compiled through :func:`games._jit.jit` on its first
call.
"""

from __future__ import annotations

import numpy as np

from games._jit import jit

__all__ = ["group_runs"]


@jit
def group_runs(b: float, c: float, m: int, n: int, q: float, w: float,
               mutant_cooperates: bool, runs: int, max_steps: int, seed: int) -> int:
    """How many of ``runs`` runs of the Traulsen-Nowak model (``m`` groups of at most
    ``n``, benefit ``b``, cost ``c``, splitting probability ``q``, intensity ``w``) end with
    the mutant type fixed; a run stops unfixed after ``max_steps`` steps."""
    np.random.seed(seed)
    coop = np.zeros(m, dtype=np.int64)
    defect = np.zeros(m, dtype=np.int64)
    start = max(1, n // 2)
    fixations = 0
    for _ in range(runs):
        for g in range(m):
            coop[g] = 0 if mutant_cooperates else start
            defect[g] = start if mutant_cooperates else 0
        first = np.random.randint(m)
        if mutant_cooperates:
            coop[first] += 1
            defect[first] -= 1
        else:
            defect[first] += 1
            coop[first] -= 1
        steps = 0
        while steps < max_steps:
            steps += 1
            total_c = 0
            total_d = 0
            for g in range(m):
                total_c += coop[g]
                total_d += defect[g]
            mutants = total_c if mutant_cooperates else total_d
            if mutants == 0 or mutants == total_c + total_d:
                break
            # Choose the parent in proportion to fitness.
            weight = 0.0
            for g in range(m):
                size = coop[g] + defect[g]
                weight += coop[g] * (1 - w + w * (b * (coop[g] - 1) - c * (size - 1)))
                weight += defect[g] * (1 - w + w * b * coop[g])
            draw = np.random.random() * weight
            group = m - 1
            child_cooperates = False
            for g in range(m):
                size = coop[g] + defect[g]
                part = coop[g] * (1 - w + w * (b * (coop[g] - 1) - c * (size - 1)))
                if draw < part:
                    group = g
                    child_cooperates = True
                    break
                draw -= part
                part = defect[g] * (1 - w + w * b * coop[g])
                if draw < part:
                    group = g
                    child_cooperates = False
                    break
                draw -= part
            if child_cooperates:
                coop[group] += 1
            else:
                defect[group] += 1
            size = coop[group] + defect[group]
            if size <= n:
                continue
            if np.random.random() < q:
                # Split: each member joins daughter 1 or 2; a random other group dies.
                while True:
                    c1 = 0
                    d1 = 0
                    for _k in range(coop[group]):
                        if np.random.random() < 0.5:
                            c1 += 1
                    for _k in range(defect[group]):
                        if np.random.random() < 0.5:
                            d1 += 1
                    if 0 < c1 + d1 < size:
                        break
                victim = np.random.randint(m - 1)
                if victim >= group:
                    victim += 1
                coop[victim] = coop[group] - c1
                defect[victim] = defect[group] - d1
                coop[group] = c1
                defect[group] = d1
            else:
                if np.random.random() * size < coop[group]:
                    coop[group] -= 1
                else:
                    defect[group] -= 1
        total_c = 0
        total_d = 0
        for g in range(m):
            total_c += coop[g]
            total_d += defect[g]
        if (mutant_cooperates and total_d == 0) or (not mutant_cooperates and total_c == 0):
            fixations += 1
    return fixations
