"""The compiled loop behind :func:`games.repeated.matches.simulate`: stochastic play of
two automata (mixed actions, noise) fed with pre-drawn uniform numbers. Kernels are
compiled through :func:`games._jit.jit` on their first call.
"""

from __future__ import annotations

from games._jit import jit

__all__ = ["noisy_action", "simulate_kernel"]


@jit
def noisy_action(cum, u_choice, u_noise, noise):  # pragma: no cover - compiled
    """The action drawn from the cumulative distribution ``cum`` with uniform
    ``u_choice``; with probability ``noise`` (uniform ``u_noise``) replaced by one of the
    other actions, uniformly."""
    k = cum.shape[0]
    a = 0
    while a < k - 1 and u_choice >= cum[a]:
        a += 1
    if u_noise < noise and k > 1:
        j = int(u_noise / noise * (k - 1))
        if j >= k - 1:
            j = k - 2
        if j >= a:
            j += 1
        a = j
    return a


@jit
def simulate_kernel(cum1, trans1, init1, cum2, trans2, init2, uniforms, lengths, noise,
                     out):  # pragma: no cover - compiled
    repetitions = uniforms.shape[0]
    for r in range(repetitions):
        s1 = init1
        s2 = init2
        for t in range(lengths[r]):
            a = noisy_action(cum1[s1], uniforms[r, t, 0], uniforms[r, t, 1], noise)
            b = noisy_action(cum2[s2], uniforms[r, t, 2], uniforms[r, t, 3], noise)
            out[r, t, 0] = a
            out[r, t, 1] = b
            s1 = trans1[s1, a, b]
            s2 = trans2[s2, b, a]
