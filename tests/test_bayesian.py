"""Bayesian games, their strategic forms, and transparency."""

from fractions import Fraction

import numpy as np
import pytest

import games
import mechanisms as M
from games import InvalidGameError
from games.bayesian import BayesianGame


def matching_under_uncertainty() -> BayesianGame:
    """An advisor knows the state (type 'north' or 'south', equally likely); a responder
    earns 1 for both when it goes where the state is. Only the advisor knows the state."""
    u = np.zeros((2, 2, 1, 1, 2), dtype=int)       # (players, advisor types, responder types, actions...)
    for state in (0, 1):
        u[:, state, 0, 0, state] = 1
    return BayesianGame([[Fraction(1, 2)], [Fraction(1, 2)]], u, players=("advisor", "responder"),
                        types=(("north", "south"), ("-",)), actions=(("wait",), ("go north", "go south")))


def test_bayesian_normal_form_takes_expectations_under_the_prior():
    g = matching_under_uncertainty().normal_form()
    assert g.shape == (1, 2)                         # the responder cannot condition on the state
    assert g.payoffs[:, 0, 0].tolist() == [Fraction(1, 2), Fraction(1, 2)]
    assert g.exact


def test_transparency_lets_strategies_respond_to_types_and_raises_welfare():
    game = matching_under_uncertainty()
    public = M.Transparency().apply(game)
    assert public.shape == (1, 4)                    # responder: one action per state
    best = max(float(e.payoffs.sum()) for e in games.pure_equilibria(public))
    assert best == 2.0
    evaluation = M.evaluate(game, M.Transparency())
    assert max(sum(e.scores.values()) for e in evaluation.before.report.equilibria) < \
        max(sum(e.scores.values()) for e in evaluation.after.report.equilibria)


def test_normal_form_matches_a_direct_expectation_on_a_random_game():
    rng = np.random.default_rng(3)
    prior = rng.random((2, 3))
    prior /= prior.sum()
    u = rng.random((2, 2, 3, 2, 2))
    bg = BayesianGame(prior, u)
    g = bg.normal_form()
    # Strategy index encodes the action at each own type (first type slowest).
    s1, s2 = 2, 5                                   # (1, 0) for player 1; (1, 0, 1) for player 2
    a1, a2 = (1, 0), (1, 0, 1)
    direct = sum(prior[t1, t2] * u[:, t1, t2, a1[t1], a2[t2]] for t1 in range(2) for t2 in range(3))
    assert np.allclose(g.payoffs[:, s1, s2], direct)


@pytest.mark.parametrize("make, message", [
    (lambda: BayesianGame([[0.5, 0.6]], np.zeros((2, 1, 2, 2, 2))), "prior"),
    (lambda: BayesianGame([[0.5, 0.5]], np.zeros((2, 1, 2, 2))), "payoffs"),
    (lambda: BayesianGame([[0.5, 0.5]], np.full((2, 1, 2, 2, 2), np.nan)), "finite"),
    (lambda: matching_under_uncertainty().normal_form("some"), "observe"),
    (lambda: M.Transparency().apply(games.catalog.prisoners_dilemma()), "BayesianGame"),
])
def test_bad_bayesian_input_is_rejected(make, message):
    with pytest.raises(InvalidGameError, match=message):
        make()
