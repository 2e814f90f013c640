"""Learners in the fishery commons (games.catalog.commons_fishery): the tragedy of the
commons (Gordon 1954; Hardin 1968) and its cure by a quota, as in GovSim (Piatti et al.
2024), where most societies of agents deplete the shared fish stock unless harvests are
limited."""

from fractions import Fraction

import numpy as np

from games.catalog import commons_fishery
from games.learning import QLearning, simulate

LEARNER = QLearning(alpha=0.1, discount=0.9, beta=1e-4)
RUN = dict(periods=50_000, sessions=20, seed=0, window=1000, progress=False)


def test_q_learners_collapse_the_fishery_without_a_quota():
    """Over-harvesting is each fisher's best reply at every stock level, and the empty
    stock is absorbing: in most sessions the last window is spent at stock 0."""
    run = simulate(commons_fishery(), LEARNER, **RUN)
    collapsed = run.state_frequencies[:, -1, 0] > 0.9
    assert collapsed.mean() >= 0.8


def test_an_enforced_quota_keeps_the_fishery_alive():
    """With every catch capped at the sustainable effort 1/5, the stock regrows to the
    capacity whatever the fishers try: no session collapses, and most end at full stock."""
    run = simulate(commons_fishery(quota=Fraction(1, 5)), LEARNER, **RUN)
    last = run.state_frequencies[:, -1]
    assert (last[:, 0] == 0).all()
    assert (last[:, -1] > 0.9).mean() >= 0.8


def test_with_recovery_the_stock_is_depleted_but_not_lost():
    """A stock that recovers from 0 (recovery 0.2) is run down by the same learners, to
    below its capacity on average, but rarely sits at 0."""
    run = simulate(commons_fishery(recovery=0.2), LEARNER, **RUN)
    last = run.state_frequencies[:, -1]
    mean_stock = last @ np.arange(last.shape[1])
    assert mean_stock.mean() < 4 and last[:, 0].mean() < 0.1
