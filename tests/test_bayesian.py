"""Bayesian games, their strategic forms, and transparency."""

from fractions import Fraction

import numpy as np
import pytest

import games
import mechanisms as M
from games import InvalidArgumentError, InvalidGameError
from games.bayesian import BayesianGame


def matching_under_uncertainty() -> BayesianGame:
    """An advisor knows the state (type 'north' or 'south', equally likely); a responder
    earns 1 for both when it goes where the state is. Only the advisor knows the state."""
    # axes: players, advisor types, responder types, advisor actions, responder actions
    u = np.zeros((2, 2, 1, 1, 2), dtype=int)
    for state in (0, 1):
        u[:, state, 0, 0, state] = 1
    return BayesianGame([[Fraction(1, 2)], [Fraction(1, 2)]], u, players=("advisor", "responder"),
                        types=(("north", "south"), ("-",)),
                        actions=(("wait",), ("go north", "go south")))


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
    (lambda: M.Transparency().apply(games.catalog.prisoners_dilemma()), "BayesianGame"),
])
def test_bad_bayesian_input_is_rejected(make, message):
    with pytest.raises(InvalidGameError, match=message):
        make()


@pytest.mark.parametrize("prior, message", [
    ([[0.5, float("nan")]], r"prior: expected finite probabilities >= 0, found nan at type "
                            r"profile \(0, 1\)"),
    ([[0.5, "x"]], "prior: expected probabilities .numbers., found str 'x'"),
    ([[True, False]], "found bool True"),
    ([[0.5, 0.5j]], "found complex 0.5j"),
    ([[1.5, -0.5]], "found -0.5"),
    ([], "shape"),
])
def test_malformed_priors_name_the_entry(prior, message):
    """NaN passed the old check (nan < 0 and |nan - 1| > tol are both False); strings and
    complex numbers escaped as ValueError and TypeError."""
    with pytest.raises(InvalidGameError, match=message):
        BayesianGame(prior, np.zeros((2, 1, 2, 2, 2)))


def test_a_string_payoff_names_its_type_profile():
    u = np.zeros((2, 1, 2, 2, 2), dtype=object)
    u[1, 0, 1, 0, 1] = "abc"
    with pytest.raises(InvalidGameError, match=r"type profile \(0, 1\): payoffs: expected "
                                               r"numbers, found a string 'abc' for player 1 "
                                               r"at profile \(0, 1\)"):
        BayesianGame([[0.5, 0.5]], u)


def test_an_unknown_observation_mode_is_an_argument_error():
    with pytest.raises(InvalidArgumentError, match="observe: expected 'own' or 'all'"):
        matching_under_uncertainty().normal_form("some")
