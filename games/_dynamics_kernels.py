"""The compiled loop behind :func:`games.dynamics.regret_matching` (Hart & Mas-Colell
2000), unconditional and conditional, with the empirical marginals and the coarse
correlated-equilibrium certificate at each checkpoint. Compiled through
:func:`games._jit.jit` on its first call.
"""

from __future__ import annotations

import numpy as np

from games._jit import jit

__all__ = ["regret_matching_kernel"]


@jit
def regret_matching_kernel(P, shape, strides, uniforms, conditional, mu, checkpoints,
                           counts, marg, cert):
    """Regret matching for ``T = len(uniforms)`` rounds on the flat payoffs ``P`` (one
    row per player, C-order profiles with ``strides``), each player drawing with its own
    column of ``uniforms``; ``conditional`` switches from the last action with inertia
    ``mu``. Fills ``counts`` (plays of each profile) and, at each of ``checkpoints``, the
    empirical marginals ``marg`` and the CCE certificate ``cert``."""
    n = shape.shape[0]
    T = uniforms.shape[0]
    amax = 0
    for i in range(n):
        if shape[i] > amax:
            amax = shape[i]
    R = np.zeros((n, amax))               # unconditional regrets
    C = np.zeros((n, amax, amax))          # conditional regrets R(j -> k)
    freq = np.zeros((n, amax))
    last = np.zeros(n, dtype=np.int64)
    profile = np.zeros(n, dtype=np.int64)
    probs = np.zeros(amax)
    cp = 0
    for t in range(T):
        for i in range(n):
            a = shape[i]
            if conditional:
                j = last[i]
                total = 0.0
                for k in range(a):
                    if k != j:
                        v = C[i, j, k] / (mu * max(t, 1))
                        probs[k] = v if v > 0 else 0.0
                        total += probs[k]
                probs[j] = 1.0 - total if t > 0 else 0.0
                if t == 0:
                    for k in range(a):
                        probs[k] = 1.0 / a
            else:
                total = 0.0
                for k in range(a):
                    probs[k] = R[i, k] if R[i, k] > 0 else 0.0
                    total += probs[k]
                for k in range(a):
                    probs[k] = probs[k] / total if total > 0 else 1.0 / a
            u = uniforms[t, i]
            acc = 0.0
            choice = a - 1
            for k in range(a):
                acc += probs[k]
                if u < acc:
                    choice = k
                    break
            profile[i] = choice
        idx = 0
        for i in range(n):
            idx += profile[i] * strides[i]
        counts[idx] += 1.0
        for i in range(n):
            a = shape[i]
            own = profile[i]
            base = idx - own * strides[i]
            now = P[i, idx]
            for b in range(a):
                gain = P[i, base + b * strides[i]] - now
                R[i, b] += gain
                C[i, own, b] += gain
            freq[i, own] += 1.0
            last[i] = own
        if cp < checkpoints.shape[0] and t + 1 == checkpoints[cp]:
            worst = 0.0
            for i in range(n):
                for b in range(shape[i]):
                    if R[i, b] / (t + 1) > worst:
                        worst = R[i, b] / (t + 1)
                    marg[cp, i, b] = freq[i, b] / (t + 1)
            cert[cp] = worst
            cp += 1
