"""Automaton strategies, the catalogue, matches and closed-form expected payoffs."""

from __future__ import annotations

import doctest
import json
import math
import pathlib
import pickle
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import games
from games import InvalidArgumentError, InvalidGameError
from games.catalog import prisoners_dilemma, rock_paper_scissors
from games.repeated import Automaton, Strategy, expected_payoffs, match
from games.repeated import _matches_kernels as match_kernels
from games.repeated import automaton as automaton_module
from games.repeated import matches as match_module
from games.repeated import strategies as S
from games.repeated import strategies as strategies_module

FIXTURE = pathlib.Path(__file__).parent / "fixtures" / "repeated_axelrod.json"
PD = prisoners_dilemma()  # (T, R, P, S) = (5, 3, 1, 0)
DETERMINISTIC = ["Cooperator", "Defector", "TitForTat", "SuspiciousTitForTat", "TitForTwoTats",
                 "Grudger", "WinStayLoseShift", "Alternator"]


def reference_play(a1: Automaton, a2: Automaton, turns: int) -> np.ndarray:
    """A per-turn loop over two deterministic automata: the slow, obvious reference."""
    s1, s2, out = a1.initial, a2.initial, []
    for _ in range(turns):
        x, y = int(a1.pure_actions[s1]), int(a2.pure_actions[s2])
        out.append((x, y))
        s1, s2 = int(a1.transitions[s1, x, y]), int(a2.transitions[s2, y, x])
    return np.array(out, dtype=np.int64).reshape(-1, 2)


@st.composite
def deterministic_automata(draw, k: int = 2, m: int = 2, max_states: int = 4) -> Automaton:
    n = draw(st.integers(1, max_states))
    actions = draw(st.lists(st.integers(0, k - 1), min_size=n, max_size=n))
    trans = np.array(draw(st.lists(st.integers(0, n - 1), min_size=n * k * m,
                                   max_size=n * k * m))).reshape(n, k, m)
    return Automaton(actions, trans, initial=draw(st.integers(0, n - 1)), n_actions=k)


@st.composite
def mixed_automata(draw, max_states: int = 3) -> Automaton:
    n = draw(st.integers(1, max_states))
    probs = draw(st.lists(st.sampled_from([0, Fraction(1, 4), Fraction(1, 2), Fraction(3, 4), 1]),
                          min_size=n, max_size=n))
    trans = np.array(draw(st.lists(st.integers(0, n - 1), min_size=n * 4,
                                   max_size=n * 4))).reshape(n, 2, 2)
    return Automaton([[p, 1 - p] for p in probs], trans)


# ---------------------------------------------------------------------------------------
# Automata and the catalogue


def test_doctests_of_the_repeated_modules_pass():
    for module in (automaton_module, strategies_module, match_module):
        result = doctest.testmod(module)
        assert result.failed == 0 and result.attempted > 0


def test_catalogue_has_the_issue_constructors_with_metadata():
    names = ["Cooperator", "Defector", "TitForTat", "SuspiciousTitForTat", "TitForTwoTats",
             "Grudger", "WinStayLoseShift", "Alternator", "GenerousTitForTat", "Random",
             "ZDExtortion"]
    for name in names:
        strategy = getattr(S, name)()
        assert isinstance(strategy, Strategy)
        assert isinstance(strategy.automaton, Automaton)
        assert strategy.name and strategy.reference
        assert strategy.classifier["stochastic"] == (name in {"GenerousTitForTat", "Random",
                                                              "ZDExtortion"})
        assert "memory_depth" in strategy.classifier


def test_memory_depth_matches_the_automata_for_memory_one_strategies():
    """Cooperation probabilities after CC, CD, DC, DD (own action first): tit for tat and
    its suspicious variant copy the opponent, (1, 0, 1, 0) (Axelrod 1980); win-stay
    lose-shift is (1, 0, 0, 1) (Nowak & Sigmund 1993); generous tit for tat forgives with
    probability 1/3 for (T, R, P, S) = (5, 3, 1, 0) (Nowak & Sigmund 1992); extortion
    with chi = 3, phi = 1/26 is (11/13, 1/2, 7/26, 0) (Press & Dyson 2012). Each row is a
    mixed action: defection gets the complement."""
    expected = {"TitForTat": [1, 0, 1, 0], "SuspiciousTitForTat": [1, 0, 1, 0],
                "WinStayLoseShift": [1, 0, 0, 1],
                "GenerousTitForTat": [1, Fraction(1, 3), 1, Fraction(1, 3)],
                "ZDExtortion": [Fraction(11, 13), Fraction(1, 2), Fraction(7, 26), 0]}
    for name, cooperate in expected.items():
        q = getattr(S, name)().automaton.memory_one_probabilities()
        assert q is not None, name
        assert [q[a, b][0] for a in range(2) for b in range(2)] == cooperate, name
        assert [q[a, b][1] for a in range(2) for b in range(2)] == [1 - c for c in cooperate]
    # tit for two tats remembers two rounds, so it is not memory-one
    assert S.TitForTwoTats().automaton.memory_one_probabilities() is None
    # grudger is memory-one in disguise: it defects after any round with a defection
    # (its own defections only ever follow the opponent's), p = (1, 0, 0, 0)
    q = S.Grudger().automaton.memory_one_probabilities()
    assert [q[a, b][0] for a in range(2) for b in range(2)] == [1, 0, 0, 0]


def test_memory_one_probabilities_of_win_stay_lose_shift_are_pavlov():
    q = S.WinStayLoseShift().automaton.memory_one_probabilities()
    assert [q[a, b][0] for a in range(2) for b in range(2)] == [1, 0, 0, 1]


def test_zd_extortion_has_the_press_dyson_probabilities():
    """Press & Dyson (2012): chi = 3, phi = 1/26 gives p = (11/13, 1/2, 7/26, 0)."""
    q = S.ZDExtortion(chi=3, phi=Fraction(1, 26)).automaton.memory_one_probabilities()
    assert [q[a, b][0] for a in range(2) for b in range(2)] == [
        Fraction(11, 13), Fraction(1, 2), Fraction(7, 26), 0]


def test_automata_round_trip_through_json_exactly():
    for make in S.CATALOGUE.values():
        automaton = make().automaton
        clone = Automaton.from_dict(json.loads(json.dumps(automaton.to_dict())))
        assert clone == automaton
        assert (clone.exact_policy is None) == (automaton.exact_policy is None)
    with pytest.raises(InvalidGameError, match="policy"):
        Automaton.from_dict({"policy": [["1/0", 1]], "transitions": [[0, 0]]})
    with pytest.raises(InvalidGameError, match="transitions"):
        Automaton.from_dict({"policy": [[1, 0]]})


def test_strategies_and_automata_survive_pickling():
    for make in S.CATALOGUE.values():
        strategy = make()
        clone = pickle.loads(pickle.dumps(strategy))
        assert clone == strategy and clone.automaton == strategy.automaton
        assert clone.classifier == strategy.classifier


@pytest.mark.parametrize("args, message", [
    (([0, 1], [[0, 2], [0, 1]]), "expected states 0..1, found 2"),
    (([0, 2], [[0, 1], [0, 1]], 0, 2), "below n_actions = 2"),
    (([[Fraction(1, 2), Fraction(1, 3)]], [[0, 0]]), "sum to 1"),
    (([[-0.5, 1.5]], [[0, 0]]), "probabilities >= 0"),
    (([0], [[0.5, 0]]), "integer state indices"),
    (([0, 1], [[0, 1]]), "expected shape (2, 2, n_opponent_actions)"),
])
def test_malformed_automata_are_rejected_with_the_field_named(args, message):
    with pytest.raises(InvalidGameError, match=message.replace("(", r"\(").replace(")", r"\)")):
        Automaton(*args)


def test_bad_initial_state_and_bad_parameters_are_rejected():
    with pytest.raises(InvalidGameError, match="initial"):
        Automaton([0, 1], [[0, 1], [0, 1]], initial=2)
    with pytest.raises(InvalidArgumentError, match="generosity"):
        S.GenerousTitForTat(1.5)
    with pytest.raises(InvalidArgumentError, match="p: expected a probability"):
        S.Random(float("nan"))
    with pytest.raises(InvalidArgumentError, match="phi"):
        S.ZDExtortion(chi=3, phi=Fraction(1, 2))
    with pytest.raises(InvalidArgumentError, match="chi"):
        S.ZDExtortion(chi=Fraction(1, 2))


def test_automata_work_for_stage_games_with_more_actions():
    """A 3-action 'copy the opponent' strategy in rock-paper-scissors."""
    copy = Automaton([0, 1, 2], np.array([[[0, 1, 2]] * 3] * 3))
    beat = Automaton([1, 2, 0], np.array([[[0, 1, 2]] * 3] * 3))  # plays what beats the last move
    rps = rock_paper_scissors()
    m = match(copy, beat, rps, turns=9)
    assert np.array_equal(m.actions, reference_play(copy, beat, 9))
    assert m.actions.max() == 2


def test_a_strategy_for_the_wrong_stage_game_is_rejected():
    with pytest.raises(InvalidGameError, match="expected an automaton with 3 actions"):
        match(S.TitForTat(), S.TitForTat(), rock_paper_scissors())
    with pytest.raises(InvalidGameError, match="two-player"):
        match(S.TitForTat(), S.TitForTat(), games.Game(np.zeros((3, 2, 2, 2))))
    with pytest.raises(InvalidGameError, match="s1: expected an Automaton or a Strategy"):
        match("TitForTat", S.TitForTat(), PD)
    with pytest.raises(InvalidArgumentError, match="noise"):
        match(S.TitForTat(), S.TitForTat(), PD, noise=1.5)
    with pytest.raises(InvalidArgumentError, match="turns"):
        match(S.TitForTat(), S.TitForTat(), PD, turns=0)
    with pytest.raises(InvalidArgumentError, match="continuation"):
        match(S.TitForTat(), S.TitForTat(), PD, continuation=1)


# ---------------------------------------------------------------------------------------
# Matches against Axelrod's library


def test_deterministic_matches_equal_axelrods_action_sequences_and_scores():
    """Fixture from axelrod 4.14 (tests/fixtures/make_repeated_axelrod.py): 200-turn
    matches of the 8 deterministic strategies both libraries have, every ordered pair."""
    data = json.loads(FIXTURE.read_text())
    assert len(data["matches"]) == 64
    for record in data["matches"]:
        first, second = (getattr(S, name)() for name in record["players"])
        m = match(first, second, PD, turns=data["turns"])
        sequences = ["".join("CD"[a] for a in m.actions[:, k]) for k in range(2)]
        assert sequences == record["actions"], record["players"]
        assert [int(x) for x in m.scores] == record["scores"], record["players"]
        assert m.deterministic


def test_catalogue_names_are_axelrods_names():
    data = json.loads(FIXTURE.read_text())
    assert [getattr(S, n)().name for n in data["strategies"]] == data["axelrod_names"]


@settings(max_examples=60, deadline=None)
@given(deterministic_automata(), deterministic_automata(), st.integers(1, 60))
def test_closed_form_play_equals_the_per_turn_reference_loop(a1, a2, turns):
    m = match(a1, a2, PD, turns=turns)
    assert np.array_equal(m.actions, reference_play(a1, a2, turns))
    expected = PD.payoffs[:, m.actions[:, 0], m.actions[:, 1]].sum(axis=1)
    assert list(m.scores) == list(expected)
    assert m.mean_payoffs.tolist() == [Fraction(x) / turns for x in expected]


@settings(max_examples=40, deadline=None)
@given(deterministic_automata(), deterministic_automata(), st.integers(1, 40))
def test_closed_form_expected_payoffs_equal_the_played_means_for_deterministic_pairs(a1, a2, turns):
    m = match(a1, a2, PD, turns=turns)
    assert expected_payoffs(a1, a2, PD, turns=turns).tolist() == m.mean_payoffs.tolist()


def test_match_result_reports_the_cycle_and_winner():
    m = match(S.SuspiciousTitForTat(), S.TitForTat(), PD, turns=10)
    assert m.cycle == (0, 2)  # (D, C), (C, D), (D, C), ...
    assert m.winner is None and m.scores.tolist() == [25, 25]
    m = match(S.Defector(), S.Cooperator(), PD, turns=3)
    assert m.winner == 0 and m.action_names()[0] == ("D", "C")
    assert m.to_dict()["mean_payoffs"] == [5, 0]
    assert "Defector" in m._repr_html_() and "MatchResult" in repr(m)


# ---------------------------------------------------------------------------------------
# Stochastic matches


def test_same_seed_same_match_and_different_seed_different_match():
    a = match(S.GenerousTitForTat(), S.Random(), PD, turns=300, noise=0.05, seed=11)
    b = match(S.GenerousTitForTat(), S.Random(), PD, turns=300, noise=0.05, seed=11)
    c = match(S.GenerousTitForTat(), S.Random(), PD, turns=300, noise=0.05, seed=12)
    assert np.array_equal(a.actions, b.actions)
    assert not np.array_equal(a.actions, c.actions)
    assert not a.deterministic


def test_compiled_and_plain_python_kernels_play_identically():
    a1, a2 = S.GenerousTitForTat().automaton, S.ZDExtortion().automaton
    rng = np.random.default_rng(5)
    uniforms = rng.random((3, 50, 4))
    lengths = np.array([50, 20, 1])
    out_c = np.full((3, 50, 2), -1, dtype=np.int8)
    out_p = out_c.copy()
    args = (np.cumsum(a1.policy, axis=1), a1.transitions, a1.initial,
            np.cumsum(a2.policy, axis=1), a2.transitions, a2.initial, uniforms, lengths, 0.1)
    match_kernels.simulate_kernel(*args, out_c)
    match_kernels.simulate_kernel.py_func(*args, out_p)
    assert np.array_equal(out_c, out_p)
    assert (out_c[1, 20:] == -1).all() and (out_c[2, 1:] == -1).all()


def test_noise_flips_actions_at_its_rate():
    m = match(S.Cooperator(), S.Defector(), PD, turns=20000, noise=0.1, seed=3)
    rates = (m.actions == np.array([1, 0])).mean(axis=0)  # flipped actions
    assert np.all(np.abs(rates - 0.1) < 5 * math.sqrt(0.1 * 0.9 / 20000))


def test_noise_in_a_three_action_game_moves_to_each_other_action_equally():
    stay = Automaton([0], np.zeros((1, 3, 3), dtype=int))
    m = match(stay, stay, rock_paper_scissors(), turns=30000, noise=0.3, seed=1)
    counts = np.bincount(m.actions[:, 0], minlength=3) / 30000
    assert np.all(np.abs(counts - [0.7, 0.15, 0.15]) < 0.015)


def test_continuation_draws_geometric_lengths_with_the_right_mean():
    lengths = [match(S.TitForTat(), S.TitForTat(), PD, continuation=0.9, seed=k).turns
               for k in range(400)]
    assert abs(np.mean(lengths) - 10) < 5 * math.sqrt(90 / 400)
    capped = match(S.TitForTat(), S.TitForTat(), PD, continuation=0.99, turns=5, seed=1)
    assert capped.turns <= 5


# ---------------------------------------------------------------------------------------
# Closed-form expected payoffs


def test_zd_extortion_against_unconditional_cooperation_is_41_11_and_21_11():
    """Press & Dyson (2012), chi = 3, phi = 1/26: X earns 41/11, ALLC 21/11 (exact)."""
    value = expected_payoffs(S.ZDExtortion(), S.Cooperator(), PD)
    assert value.tolist() == [Fraction(41, 11), Fraction(21, 11)]


@pytest.mark.parametrize("opponent", ["Cooperator", "Defector", "TitForTat", "Grudger",
                                      "WinStayLoseShift", "Alternator", "GenerousTitForTat",
                                      "Random", "TitForTwoTats", "SuspiciousTitForTat"])
def test_zd_extortion_enforces_its_linear_relation_against_every_opponent(opponent):
    """s_X - P = chi (s_Y - P) for every opponent (Press & Dyson 2012), exactly."""
    for chi, phi in [(3, Fraction(1, 26)), (2, Fraction(1, 10)), (5, Fraction(1, 30))]:
        sx, sy = expected_payoffs(S.ZDExtortion(chi=chi, phi=phi), getattr(S, opponent)(), PD)
        assert sx - 1 == chi * (sy - 1)


@settings(max_examples=30, deadline=None)
@given(mixed_automata(), st.sampled_from([(3, Fraction(1, 26)), (2, Fraction(1, 10))]))
def test_zd_relation_holds_against_random_automata(opponent, parameters):
    """Any opponent, even one with longer memory, cannot escape the relation."""
    chi, phi = parameters
    sx, sy = expected_payoffs(S.ZDExtortion(chi=chi, phi=phi), opponent, PD)
    assert sx - 1 == chi * (sy - 1)


def test_memory_one_stationary_payoffs_agree_with_a_long_simulation():
    """Law of large numbers: the simulated mean is within 5 standard errors (batch
    means) of the closed-form stationary payoff, with noise."""
    pairs = [(S.GenerousTitForTat(), S.WinStayLoseShift()), (S.ZDExtortion(), S.TitForTat()),
             (S.Random(), S.GenerousTitForTat())]
    for s1, s2 in pairs:
        exact = expected_payoffs(s1, s2, PD, noise=Fraction(1, 20)).astype(float)
        m = match(s1, s2, PD, turns=200_000, noise=0.05, seed=1)
        batches = m.payoffs.astype(float).reshape(100, -1, 2).mean(axis=1)
        se = batches.std(axis=0, ddof=1) / 10
        assert np.all(np.abs(batches.mean(axis=0) - exact) < 5 * se + 1e-12), (s1, s2)


def test_discounted_payoffs_agree_with_simulated_geometric_matches():
    s1, s2 = S.GenerousTitForTat(), S.Alternator()
    closed = expected_payoffs(s1, s2, PD, continuation=Fraction(4, 5)).astype(float)
    # the mean per-turn payoff over random lengths weights turns as the discounted sum:
    # E[total] / E[length] = (1 - w) sum_t w^t E[r_t]
    totals, lengths = np.zeros(2), 0
    for seed in range(4000):
        m = match(s1, s2, PD, continuation=0.8, seed=seed)
        totals += m.scores.astype(float)
        lengths += m.turns
    assert np.all(np.abs(totals / lengths - closed) < 0.05)


def test_finite_horizon_expected_payoffs_agree_with_simulated_means():
    s1, s2 = S.GenerousTitForTat(), S.Random(Fraction(1, 3))
    closed = expected_payoffs(s1, s2, PD, turns=10).astype(float)
    sims = np.array([match(s1, s2, PD, turns=10, seed=k).mean_payoffs for k in range(3000)],
                    dtype=float)
    se = sims.std(axis=0, ddof=1) / math.sqrt(len(sims))
    assert np.all(np.abs(sims.mean(axis=0) - closed) < 5 * se)


def test_long_run_average_of_deterministic_pairs_is_the_cycle_mean():
    assert expected_payoffs(S.TitForTat(), S.SuspiciousTitForTat(), PD).tolist() == [
        Fraction(5, 2), Fraction(5, 2)]
    assert expected_payoffs(S.WinStayLoseShift(), S.Defector(), PD).tolist() == [
        Fraction(1, 2), Fraction(3, 1)]


def test_discounted_value_of_deterministic_pairs_matches_the_geometric_sum():
    w = Fraction(9, 10)
    # TFT vs STFT alternate (C, D), (D, C), ... from the start: player 1 gets S, T, S, ...
    value = expected_payoffs(S.TitForTat(), S.SuspiciousTitForTat(), PD, continuation=w)
    assert value[0] == (1 - w) * (0 + w * 5) / (1 - w ** 2)


def test_long_run_average_weights_each_absorbing_class_by_its_probability():
    """Random(1/2) against a strategy that locks into C or D forever after round 1."""
    lock = Automaton([0, 0, 1], [[1, 2], [1, 1], [2, 2]])
    value = expected_payoffs(S.Random(), lock, PD)
    # half the time both end in (random, C), half in (random, D)
    assert value.tolist() == [Fraction(1, 2) * 4 + Fraction(1, 2) * Fraction(1, 2),
                              Fraction(1, 2) * Fraction(3, 2) + Fraction(1, 2) * 3]


def test_expected_payoffs_are_float_on_float_data_and_agree_with_exact():
    exact = expected_payoffs(S.GenerousTitForTat(), S.WinStayLoseShift(), PD,
                             noise=Fraction(1, 10))
    floating = expected_payoffs(S.GenerousTitForTat(), S.WinStayLoseShift(), PD, noise=0.1)
    assert floating.dtype == np.float64
    assert np.allclose(floating, exact.astype(float), atol=1e-12)


def test_expected_payoffs_rejects_both_horizons():
    with pytest.raises(InvalidArgumentError, match="at most one"):
        expected_payoffs(S.TitForTat(), S.TitForTat(), PD, turns=3, continuation=0.5)


@pytest.mark.parametrize("gap", [1e-6, 1e-9, 1e-12, 1.1e-16])
def test_continuation_near_one_float_agrees_with_exact(gap):
    """(1 - w)(I - wP)^-1 r tends to the long-run average as w -> 1 (the Abel limit);
    in floats I - wP is singular to working precision near w = 1, yet the answer on float
    data must agree with the exact one at the same (rational) w. TFT vs TFT with noise
    1/8 has mean payoff 9/4 in the long run in the (5, 3, 1, 0) prisoner's dilemma
    (Nowak & Sigmund 1990: the noisy chain visits CC, CD, DC, DD equally often)."""
    w = 1 - gap
    floating = expected_payoffs(S.TitForTat(), S.TitForTat(), prisoners_dilemma().to_float(),
                                continuation=w, noise=0.125)
    exact = expected_payoffs(S.TitForTat(), S.TitForTat(), prisoners_dilemma(),
                             continuation=Fraction(w), noise=Fraction(1, 8))
    assert floating == pytest.approx([float(x) for x in exact], rel=1e-9)
    if gap < 1e-9:
        assert floating == pytest.approx([2.25, 2.25], rel=1e-6)
