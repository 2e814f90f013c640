"""games.MarkovGame: validation, exact transitions, serialisation, stationary play, and the
catalogue's Markov games (the commons fishery and the capability contest)."""

import doctest
import json
import pickle
from fractions import Fraction

import numpy as np
import pytest

import games
from games import Game, InvalidArgumentError, InvalidGameError, MarkovGame, markov
from games.catalog import matching_pennies, prisoners_dilemma
from mechanisms import ContestIntensity


def _pd_feud():
    """Two states: calm and feud. From calm, any defection starts a feud; a feud ends
    after mutual cooperation with probability 1/2."""
    pd = prisoners_dilemma()
    half = Fraction(1, 2)
    calm = [[[1, 0], [0, 1]], [[0, 1], [0, 1]]]
    feud = [[[half, half], [0, 1]], [[0, 1], [0, 1]]]
    return MarkovGame([pd, pd], [calm, feud], states=["calm", "feud"], title="PD with feuds")


def test_valid_markov_game_exposes_the_contract_fields():
    m = _pd_feud()
    assert m.n_states == 2 and m.n_players == 2 and m.shape == (2, 2)
    assert m.players == ("Player 1", "Player 2") and m.states == ("calm", "feud")
    assert m.transitions.dtype == np.float64 and m.transitions.shape == (2, 2, 2, 2)
    assert m.initial.tolist() == [1.0, 0.0]
    assert m.transitions[1, 0, 0].tolist() == [0.5, 0.5]
    with pytest.raises(ValueError):
        m.transitions[0, 0, 0, 0] = 0.5
    with pytest.raises(ValueError):
        m.initial[0] = 0.0
    with pytest.raises(AttributeError):
        m.title = "other"
    assert m.stage_payoffs().shape == (2, 2, 2, 2)
    assert np.array_equal(m.stage_payoffs()[0], prisoners_dilemma().float_payoffs)
    # objective defaults to the payoffs, as in a Game
    assert np.array_equal(m.stage_layer("objective"), m.stage_payoffs())
    assert "MarkovGame('PD with feuds', 2 states, 2 players" in repr(m)
    assert "<table>" in m._repr_html_() and "feud" in m._repr_html_()


def test_row_not_summing_to_one_names_state_profile_and_sum():
    pd = prisoners_dilemma()
    t = np.full((2, 2, 2, 2), 0.5)
    t[1, 0, 1] = [0.5, 0.4]
    with pytest.raises(InvalidGameError, match=r"row sum 0\.9 for state 1 \('state 1'\) at "
                                               r"profile \(0, 1\)"):
        MarkovGame([pd, pd], t)


def test_exact_row_sum_is_checked_exactly():
    pd = prisoners_dilemma()
    t = np.empty((1, 2, 2, 1), dtype=object)
    t[...] = Fraction(1)
    t[0, 1, 1, 0] = Fraction(999999999999, 1000000000000)  # a float check would let it pass
    with pytest.raises(InvalidGameError, match=r"row sum 999999999999/1000000000000 for "
                                               r"state 0 \('state 0'\) at profile \(1, 1\)"):
        MarkovGame([pd], t)


def test_negative_and_non_finite_transitions_are_refused():
    pd = prisoners_dilemma()
    t = np.zeros((2, 2, 2, 2))
    t[..., 0] = 1.0
    bad = t.copy()
    bad[0, 1, 0] = [1.5, -0.5]
    with pytest.raises(InvalidGameError, match=r">= 0, found -0.5 for the next state 1 from "
                                               r"state 0 .* profile \(1, 0\)"):
        MarkovGame([pd, pd], bad)
    bad = t.copy()
    bad[1, 1, 1, 0] = np.nan
    with pytest.raises(InvalidGameError, match="finite"):
        MarkovGame([pd, pd], bad)


def test_wrong_shapes_and_mismatched_stages_are_refused():
    pd = prisoners_dilemma()
    t = np.zeros((2, 2, 2, 2))
    t[..., 0] = 1.0
    with pytest.raises(InvalidGameError, match=r"transitions: expected shape \(2, 2, 2, 2\)"):
        MarkovGame([pd, pd], t[:, :, :, :1])
    renamed = pd.replace(players=("A", "B"))
    with pytest.raises(InvalidGameError, match=r"stages\[1\]: expected the players"):
        MarkovGame([pd, renamed], t)
    three = games.catalog.rock_paper_scissors()
    with pytest.raises(InvalidGameError, match=r"stages\[1\]: expected the shape \(2, 2\)"):
        MarkovGame([pd, three], t)
    layered = pd.replace(layers={"value": np.ones((2, 2))})
    with pytest.raises(InvalidGameError, match="layer 'value'"):
        MarkovGame([layered, pd], t)
    with pytest.raises(InvalidGameError, match="stages: expected at least one"):
        MarkovGame([], t)
    with pytest.raises(InvalidGameError, match=r"stages\[0\]: expected a Game"):
        MarkovGame([pd.payoffs, pd], t)
    with pytest.raises(InvalidGameError, match="states: expected distinct names"):
        MarkovGame([pd, pd], t, states=["x", "x"])
    with pytest.raises(InvalidGameError, match="initial: expected probabilities"):
        MarkovGame([pd, pd], t, initial=[Fraction(1, 2), Fraction(1, 3)])
    with pytest.raises(InvalidArgumentError, match="state: expected one of"):
        MarkovGame([pd, pd], t, initial="nowhere")


def test_to_dict_round_trips_through_json_and_pickle():
    m = _pd_feud()
    data = json.loads(json.dumps(m.to_dict()))
    assert data["transitions"][1][0][0] == ["1/2", "1/2"]
    back = MarkovGame.from_dict(data)
    assert back == m and hash(back) == hash(m)
    assert back.to_dict() == m.to_dict()
    again = pickle.loads(pickle.dumps(m))
    assert again == m and again.to_dict() == m.to_dict()
    float_game = MarkovGame(m.stages, m.transitions, initial=[0.25, 0.75])
    assert MarkovGame.from_dict(json.loads(json.dumps(float_game.to_dict()))) == float_game
    with pytest.raises(InvalidGameError, match="format"):
        MarkovGame.from_dict({"format": "masalign.game"})


def test_stationary_distribution_of_a_two_state_chain_in_closed_form():
    """Under mutual cooperation in the feud game the chain is calm -> calm and
    feud -> calm w.p. 1/2: everything ends in calm. Under 'cooperate in calm, defect in
    feud', feuds last forever once started; starting calm, calm is absorbing."""
    m = _pd_feud()
    cooperate = [("C", "C"), ("C", "C")]
    P = m.transition_matrix(cooperate)
    assert P.tolist() == [[1.0, 0.0], [0.5, 0.5]]
    assert np.allclose(m.stationary_distribution(cooperate), [1, 0])
    assert np.allclose(m.stationary_distribution(cooperate, start="feud"), [1, 0])
    # mixing in the calm state: a feud starts w.p. 1 - q^2 and ends w.p. 1/2
    q = 0.6
    mixed = [([q, 1 - q], [q, 1 - q]), ("C", "C")]
    start_feud = 1 - q * q
    expected = np.array([0.5, start_feud]) / (0.5 + start_feud)
    assert np.allclose(m.stationary_distribution(mixed), expected, rtol=1e-12)
    # long-run payoffs: stage expected payoffs weighted by the state shares
    pd = prisoners_dilemma()
    stage0 = pd.expected_payoffs([[q, 1 - q], [q, 1 - q]]).astype(float)
    stage1 = pd.expected_payoffs([[1, 0], [1, 0]]).astype(float)
    assert np.allclose(m.long_run_scores(mixed, "payoffs"),
                       expected[0] * stage0 + expected[1] * stage1, rtol=1e-12)


def test_stationary_distribution_with_two_closed_classes_weights_absorption():
    """Three states: 0 is transient and moves to the absorbing 1 or 2 with probability
    p and 1 - p; the long-run distribution from 0 is (0, p, 1 - p)."""
    g = matching_pennies()
    p = 0.3
    t = np.zeros((3, 2, 2, 3))
    t[0, ..., 1], t[0, ..., 2] = p, 1 - p
    t[1, ..., 1] = 1
    t[2, ..., 2] = 1
    m = MarkovGame([g, g, g], t)
    uniform = [([0.5, 0.5], [0.5, 0.5])] * 3
    assert np.allclose(m.stationary_distribution(uniform), [0, p, 1 - p], rtol=1e-12)
    # a periodic chain: 0 <-> 1 spends half the time in each
    t = np.zeros((2, 2, 2, 2))
    t[0, ..., 1] = 1
    t[1, ..., 0] = 1
    m = MarkovGame([g, g], t)
    assert np.allclose(m.stationary_distribution([(0, 0), (0, 0)]), [0.5, 0.5])


def test_transition_matrix_rows_are_distributions_for_random_profiles():
    rng = np.random.default_rng(1)
    g = Game(rng.random((3, 2, 3, 2)))
    t = rng.random((4, 2, 3, 2, 4))
    t /= t.sum(axis=-1, keepdims=True)
    m = MarkovGame([g] * 4, t)
    for _ in range(20):
        profile = [[rng.dirichlet(np.ones(a)) for a in g.shape] for _ in range(4)]
        P = m.transition_matrix(profile)
        assert np.allclose(P.sum(axis=1), 1.0, rtol=0, atol=1e-12) and P.min() >= 0
        pi = m.stationary_distribution(profile)
        assert np.allclose(pi @ P, pi, atol=1e-12)


def test_module_doctests_pass():
    assert doctest.testmod(markov).failed == 0


# ---------------------------------------------------------------------------------------
# The catalogue's Markov games

from games.catalog import capability_contest, commons_fishery  # noqa: E402


@pytest.mark.parametrize("game", [commons_fishery(), commons_fishery(3, 4),
                                  commons_fishery(efforts=(0, 0.2, 0.5), growth=0.5,
                                                  recovery=0.1),
                                  commons_fishery(quota=Fraction(1, 5)),
                                  capability_contest(), capability_contest((0, 1, 2), max_gap=3),
                                  capability_contest(advantage=1.5, decisiveness=2)],
                         ids=repr)
def test_catalogue_markov_games_have_stochastic_transitions_and_the_three_layers(game):
    t = game.transitions
    assert t.min() >= 0 and np.allclose(t.sum(axis=-1), 1.0, rtol=0, atol=1e-12)
    for name in ("objective", "value", "preference"):
        assert game.stage_layer(name).shape[0] == game.n_states
    assert np.array_equal(game.stage_layer("preference"), game.stage_payoffs())
    assert MarkovGame.from_dict(json.loads(json.dumps(game.to_dict()))) == game


def test_contest_intensity_compresses_every_stage_as_in_a_one_shot_contest():
    """The ``prize`` layer holds each contestant's expected prize, as in ``contest``, so
    compressing it to lambda P_i + (1 - lambda) P_mean (mechanisms.ContestIntensity)
    turns a two-player Tullock contest for V into one for lambda V plus a sure
    (1 - lambda) V / 2 each, in the one-shot contest and in every stage of the capability
    contest alike. With lambda = 1/4 the stage's prize is 3: high effort then adds at most
    3 x 1/6 = 1/2 < 1 to the expected prize (Tullock 1980: effort falls with the prize),
    so the stage's prisoner's dilemma is gone and (low, low) is its only equilibrium."""
    compress = ContestIntensity(Fraction(1, 4))
    one_shot = games.catalog.contest()                      # V = 8
    assert np.array_equal(compress.apply(one_shot).payoffs,
                          games.catalog.contest(prize=2).payoffs + 3)
    c, smaller = capability_contest(), capability_contest(prize=3)
    effort = np.array([1, 2])
    for stage, scaled in zip(c.stages, smaller.stages):
        prizes = stage.layers["prize"]
        assert stage.criteria["prize"] == stage.players
        assert np.all(prizes.sum(axis=0) == 12)
        assert np.array_equal(prizes[0] - effort[:, None], stage.payoffs[0])
        assert np.array_equal(prizes[1] - effort[None, :], stage.payoffs[1])
        after = compress.apply(stage)
        assert after.exact and np.array_equal(after.payoffs, scaled.payoffs + Fraction(9, 2))
        assert [e.profile for e in games.pure_equilibria(after)] == [(0, 0)]


def test_fishery_transitions_in_closed_form():
    """GovSim's rule (Piatti et al. 2024): the stock left after the harvest doubles, up to
    the capacity K = 5, rounded stochastically. Efforts 1/5 and 2/5 of the stock each."""
    f = commons_fishery()
    low, high = 0, 1
    assert f.exact_transitions is not None
    T = f.exact_transitions
    # both low: E = 2/5, left r = 3s/5, next mean min(5, 6s/5)
    assert T[4, low, low, 5] == Fraction(4, 5) and T[4, low, low, 4] == Fraction(1, 5)
    assert T[1, low, low, 2] == Fraction(1, 5) and T[1, low, low, 1] == Fraction(4, 5)
    assert T[5, low, low, 5] == 1
    # both high: E = 4/5, r = s/5, next mean 2s/5
    assert T[5, high, high, 2] == 1
    assert T[2, high, high, 0] == Fraction(1, 5) and T[2, high, high, 1] == Fraction(4, 5)
    assert T[1, high, high, 0] == Fraction(3, 5)
    # one greedy fisher: E = 3/5, next mean 4s/5
    assert T[5, low, high, 4] == 1 and T[5, high, low, 4] == 1
    # the empty stock is absorbing
    assert all(T[(0, *p, 0)] == 1 for p in np.ndindex(2, 2))
    # payoffs are the catches s * e_i; the stage is a commons (high dominates)
    stage = f.stages[5]
    assert stage.payoffs[:, high, low].tolist() == [2, 1]
    assert [e.profile for e in games.pure_equilibria(stage)] == [(high, high)]
    assert stage.layers["value"][0].tolist() == [[3, 2], [2, 1]]
    assert stage.layers["objective"][0].tolist() == [[2, 3], [3, 4]]


def test_fishery_collapses_under_greed_and_regrows_under_restraint():
    """All-high play empties the stock for good from full capacity; all-low play regrows
    it to capacity from any positive stock (the growth factor (1 + g)(1 - E) is 2/5
    against 6/5)."""
    f = commons_fishery()
    greedy = [("high", "high")] * f.n_states
    restrained = [("low", "low")] * f.n_states
    assert np.allclose(f.stationary_distribution(greedy), np.eye(6)[0], atol=1e-12)
    for start in range(1, 6):
        assert np.allclose(f.stationary_distribution(restrained, start=start), np.eye(6)[5],
                           atol=1e-12)
    # long run: restraint keeps the total catch at 2 per period, greed ends with none
    assert np.allclose(f.long_run_scores(restrained, "objective"), [2.0])
    assert np.allclose(f.long_run_scores(greedy, "objective"), [0.0], atol=1e-12)
    # recovery makes collapse temporary: the chain returns to positive stocks
    slow = commons_fishery(recovery=Fraction(1, 10))
    assert slow.stationary_distribution(greedy)[0] < 1


def test_quota_keeps_the_stock_alive_under_greedy_play():
    """An enforced quota at the low effort caps every fisher's effort: all-high play then
    moves the stock exactly as all-low play does, and the stock never collapses."""
    f = commons_fishery(quota=Fraction(1, 5))
    greedy = [("high", "high")] * f.n_states
    assert np.array_equal(f.transitions[:, 1, 1], f.transitions[:, 0, 0])
    assert np.allclose(f.stationary_distribution(greedy), np.eye(6)[5], atol=1e-12)
    assert f.stages[5].payoffs[:, 1, 1].tolist() == [1, 1]
    assert "quota=1/5" in f.title
    with pytest.raises(InvalidArgumentError, match="quota"):
        commons_fishery(quota=2)


def test_capability_contest_transitions_follow_tullock_win_probabilities():
    """p_1 = rho^d x_1 / (rho^d x_1 + x_2) (Tullock 1980) with rho = 2: at gap +1 with
    efforts (2, 1), p_1 = 4/5; the winner's capability grows by one step."""
    c = capability_contest()
    T = c.exact_transitions
    assert T[3, 1, 0, 4] == Fraction(4, 5) and T[3, 1, 0, 2] == Fraction(1, 5)
    assert T[2, 0, 0, 3] == Fraction(1, 2) and T[2, 0, 0, 1] == Fraction(1, 2)
    assert T[4, 0, 0, 4] == Fraction(4, 5)  # gap capped at +2
    # gap -2, efforts (2, 1): p_1 = (2 / 4) / (2 / 4 + 1) = 1/3
    assert T[0, 1, 0, 1] == Fraction(1, 3) and T[0, 1, 0, 0] == Fraction(2, 3)
    # stage at even gap: a prisoner's dilemma (high dominant, (low, low) better for both)
    u = c.stages[2].payoffs
    assert u[0, 1, 0] > u[0, 0, 0] and u[0, 1, 1] > u[0, 0, 1] and u[0, 0, 0] > u[0, 1, 1]
    # balance of power: from an even gap any period opens a gap of one
    assert c.stages[2].layers["value"][0].tolist() == [[1, 1], [1, 1]]
    # restraint by both: a birth-death chain where the leader wins w.p. rho^|d| / (rho^|d|
    # + 1); detailed balance gives pi_1 / pi_0 = (1/2) / (1/3) and pi_2 / pi_1 = (2/3) /
    # (1/5): power concentrates, pi = (5, 3/2, 1, 3/2, 5) / 14
    calm = [("low", "low")] * c.n_states
    expected = np.array([5, 1.5, 1, 1.5, 5]) / 14
    assert np.allclose(c.stationary_distribution(calm), expected, rtol=1e-12)
