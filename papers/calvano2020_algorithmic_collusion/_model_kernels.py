"""The compiled learning loop behind
:func:`papers.calvano2020_algorithmic_collusion.model.session`: epsilon-greedy Q-learning of
all firms at once until every greedy action is stable. The kernel seeds numba's own
generator from the seed it is given, so a seed replays the same session. Compiled through
:func:`games._jit.jit` on its first call.
"""

from __future__ import annotations

import math

import numpy as np

from games._jit import jit

__all__ = ["learn"]


@jit
def learn(profits, states, n_states, m, n, alpha, beta, delta, window, max_periods,
          detection, fines, q, seed):
    """Q-learning until every greedy action is unchanged for ``window`` periods.

    q (n, n_states, m) is updated in place; returns (periods, converged, last joint
    action)."""
    np.random.seed(seed)
    greedy = np.zeros((n, n_states), dtype=np.int64)
    for i in range(n):
        for s in range(n_states):
            best = 0
            for a in range(1, m):
                if q[i, s, a] > q[i, s, best]:
                    best = a
            greedy[i, s] = best
    n_joint = profits.shape[0]
    joint = np.random.randint(0, n_joint)
    action = np.zeros(n, dtype=np.int64)
    decay = math.exp(-beta)
    eps = 1.0
    stable = 0
    t = 0
    while t < max_periods:
        t += 1
        eps *= decay
        new_joint = 0
        for i in range(n):
            s = states[i, joint]
            if np.random.random() < eps:
                a = np.random.randint(0, m)
            else:
                a = greedy[i, s]
            action[i] = a
            new_joint = new_joint * m + a
        changed = False
        for i in range(n):
            s = states[i, joint]
            a = action[i]
            reward = profits[new_joint, i]
            if detection > 0.0 and fines[new_joint, i] > 0.0:
                if np.random.random() < detection:
                    reward -= fines[new_joint, i]
            s_next = states[i, new_joint]
            target = reward + delta * q[i, s_next, greedy[i, s_next]]
            q[i, s, a] = (1.0 - alpha) * q[i, s, a] + alpha * target
            best = 0
            for b in range(1, m):
                if q[i, s, b] > q[i, s, best]:
                    best = b
            if best != greedy[i, s]:
                greedy[i, s] = best
                changed = True
        joint = new_joint
        if changed:
            stable = 0
        else:
            stable += 1
            if stable >= window:
                return t, True, joint
    return t, False, joint
