"""Correlated and coarse correlated equilibria by linear programming."""

from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings

import games
from games.solvers.correlated import correlated_constraints, correlated_equilibrium, deviation_gains
from tests.strategies import game_objects


def aumann_chicken():
    return games.catalog.chicken(T=7, R=6, S=2, P=0)


def test_welfare_maximising_ce_of_chicken_is_aumanns_closed_form():
    """Aumann (1974): in chicken with payoffs (6,6), (2,7), (7,2), (0,0) the
    welfare-maximising correlated equilibrium puts 1/2 on (C, C) and 1/4 on each of
    (C, D), (D, C), giving 21/4 each, more than any Nash equilibrium's 14/3 average."""
    ce = correlated_equilibrium(aumann_chicken(), objective="welfare")
    assert ce.exact and ce.regret == 0
    assert ce.distribution.tolist() == [[Fraction(1, 2), Fraction(1, 4)],
                                        [Fraction(1, 4), Fraction(0)]]
    assert ce.payoffs.tolist() == [Fraction(21, 4)] * 2
    assert ce.value == Fraction(21, 2)


def test_welfare_minimising_ce_of_chicken():
    """The same polytope's worst vertex for welfare: 2/5 on each asymmetric outcome and
    1/5 on (D, D), welfare 36/5."""
    ce = correlated_equilibrium(aumann_chicken(), objective="welfare", maximize=False)
    assert ce.distribution.tolist() == [[0, Fraction(2, 5)], [Fraction(2, 5), Fraction(1, 5)]]


def test_float_games_get_a_certificate_within_1e_9():
    for seed in range(5):
        g = games.catalog.random_game((3, 4, 3), seed=seed)
        for coarse in (False, True):
            ce = correlated_equilibrium(g, objective="welfare", coarse=coarse)
            assert not ce.exact and 0 <= ce.regret <= 1e-9
            assert ce.distribution.shape == g.shape
            assert abs(ce.distribution.sum() - 1) < 1e-12 and ce.distribution.min() >= 0
            assert np.max(deviation_gains(g, ce.distribution, coarse)) <= 1e-9


@settings(max_examples=40, deadline=None)
@given(game_objects(min_players=2, max_players=3, max_actions=3))
def test_every_nash_equilibrium_is_inside_the_ce_polytope(g):
    """Every Nash equilibrium is a correlated equilibrium (its product distribution), so
    the welfare-maximising CE is at least as good as the best pure equilibrium."""
    ce = correlated_equilibrium(g, objective="welfare")
    assert ce.regret <= 1e-9 * max(1.0, float(np.abs(g.float_payoffs).max()))
    welfare = float(np.sum(np.asarray(ce.payoffs, dtype=float)))
    for e in games.pure_equilibria(g):
        product = np.zeros(g.shape)
        product[e.profile] = 1.0
        assert np.max(deviation_gains(g.to_float(), product), initial=0.0) <= 1e-12
        assert welfare >= float(np.sum(np.asarray(e.payoffs, dtype=float))) - 1e-7


def test_coarse_set_contains_the_correlated_set():
    """CE constraints imply CCE constraints: a CE's coarse gains are <= 0, and the best
    CCE welfare is at least the best CE welfare."""
    g = games.catalog.rock_paper_scissors()
    ce = correlated_equilibrium(g, objective=[1, 0])
    assert max(deviation_gains(g, ce.distribution, coarse=True)) <= 0
    g = games.catalog.random_game((3, 3), seed=7)
    assert correlated_equilibrium(g, "welfare", coarse=True).value >= \
        correlated_equilibrium(g, "welfare").value - 1e-9


def test_constraint_rows_follow_the_definition():
    g = aumann_chicken()
    A, labels = correlated_constraints(g, exact=True)
    assert len(labels) == 4 and A.shape == (4, 4)
    # player 0 told C (index 0) deviating to D: u(D, b) - u(C, b) at (C, b)
    row = labels.index((0, 0, 1))
    assert A[row].tolist() == [1, -2, 0, 0]


def test_objectives_by_layer_weights_and_scores():
    g = games.catalog.aid_delivery()
    ce = correlated_equilibrium(g, objective="value")
    assert ce.support == [(1, 1, 1, 1)]          # dominance solvable: one CE
    assert correlated_equilibrium(g, objective=[1, 0, 0, 0]).support == [(1, 1, 1, 1)]
    with pytest.raises(games.InvalidArgumentError, match="layer name"):
        correlated_equilibrium(g, objective="no such layer")
    with pytest.raises(games.InvalidArgumentError, match="4 weights"):
        correlated_equilibrium(g, objective=[1, 2])


def test_result_has_dict_repr_and_html():
    ce = correlated_equilibrium(aumann_chicken(), "welfare")
    d = ce.to_dict()
    assert d["probabilities"] == ["1/2", "1/4", "1/4"] and d["regret"] == 0
    assert "CorrelatedEquilibrium" in repr(ce) and "<table>" in ce._repr_html_()
    assert [m.tolist() for m in ce.marginals()] == [[Fraction(3, 4), Fraction(1, 4)]] * 2
