"""The compiled simulation behind :func:`mechanisms.reciprocity.simulate_reputation`:
indirect reciprocity in a well-mixed population under a second-order norm. Compiled
through :func:`games._jit.jit` on its first call.
"""

from __future__ import annotations

import numpy as np

from games._jit import jit

__all__ = ["reputation_kernel"]


@jit
def reputation_kernel(strategy: np.ndarray, table: np.ndarray, b: float, c: float, q: float,
                      e1: float, e2: float, rounds: int, seed: int
                      ) -> tuple[np.ndarray, int, np.ndarray]:
    """``rounds`` rounds of the donation game with reputations (Nowak & Sigmund 1998):
    each round a random donor (``strategy`` 0 cooperates, 1 defects, 2 discriminates,
    seeing the recipient's reputation with probability ``q``) may help a random recipient
    (benefit ``b``, cost ``c``; the help fails with probability ``e1``), and the norm
    ``table`` (row 0 when the donor helped, 1 when not; column the recipient's reputation)
    gives the donor's new reputation (misassigned with probability ``e2``). Returns each
    individual's total payoff, the number of helps and the final reputations."""
    # numba compiles only numpy's legacy global generator, seeded from the caller's
    # np.random.Generator, so the draws are reproducible.
    np.random.seed(seed)
    n = strategy.shape[0]
    reputation = np.ones(n, dtype=np.int64)
    totals = np.zeros(n)
    helps = 0
    for _ in range(rounds):
        donor = np.random.randint(n)
        recipient = np.random.randint(n - 1)
        if recipient >= donor:
            recipient += 1
        kind = strategy[donor]
        if kind == 0:
            intend = True
        elif kind == 1:
            intend = False
        else:
            intend = True if np.random.random() >= q else reputation[recipient] == 1
        helped = intend and np.random.random() >= e1
        if helped:
            totals[donor] -= c
            totals[recipient] += b
            helps += 1
        new = table[0 if helped else 1, reputation[recipient]]
        if np.random.random() < e2:
            new = 1 - new
        reputation[donor] = new
    return totals, helps, reputation
