"""Sender-receiver games: the discretised cheap-talk game of Crawford & Sobel (1982) and
its equilibria through the Bayesian strategic form."""

import itertools
import json
import math
from fractions import Fraction

import numpy as np
import pytest

from games import InvalidArgumentError
from games.bayesian import BayesianGame
from games.catalog import cheap_talk, prisoners_dilemma
from games.signalling import (
    SignallingResult,
    mutual_information,
    public_state,
    signalling_equilibria,
)

BIASES = [Fraction(0), Fraction(1, 10), Fraction(1, 4), Fraction(1, 3), Fraction(1, 2),
          Fraction(1)]


def test_cheap_talk_is_a_bayesian_game_with_quadratic_losses_and_layers():
    g = cheap_talk(3, bias=Fraction(1, 4))
    assert isinstance(g, BayesianGame)
    assert g.type_shape == (3, 1) and g.action_shape == (3, 27)
    # state 1/2, message 0, plan (1, 2, 0): message 0 -> action index 1 = 1/2
    plan = g.plans.index((1, 2, 0))
    assert g.payoffs[1][1, 0, 0, plan] == 0
    assert g.payoffs[0][1, 0, 0, plan] == -Fraction(1, 16)
    normal = g.normal_form()
    assert normal.criteria["value"] == ("truthfulness", "receiver welfare")
    # the truthful sender with the receiver who believes it: truthfulness 1, no loss
    truthful = list(itertools.product(range(3), repeat=3)).index((0, 1, 2))
    believer = g.plans.index((0, 1, 2))
    assert normal.layers["value"][0][truthful, believer] == 1
    assert normal.layers["value"][1][truthful, believer] == 0
    assert np.array_equal(normal.layers["preference"][1], normal.payoffs[1])


def test_zero_bias_has_a_fully_separating_and_a_babbling_equilibrium():
    """Crawford & Sobel (1982): with aligned interests full revelation is an equilibrium;
    the babbling equilibrium exists for every bias."""
    result = signalling_equilibria(cheap_talk(3, bias=0), method="pure")
    separating = result.of_kind("separating")
    assert separating and all(math.isclose(e.information, math.log2(3)) for e in separating)
    truthful = [e for e in separating if e.truthfulness == 1]
    assert truthful and truthful[0].receiver_utility == 0 and truthful[0].action_error == 0
    assert all(e.information == 0 and e.information_used == 0
               for e in result.of_kind("pooling"))
    assert result.of_kind("pooling")
    assert all(e.equilibrium.regret == 0 and e.perfect_bayesian for e in result)


@pytest.mark.parametrize("bias", BIASES)
def test_babbling_always_exists(bias):
    assert signalling_equilibria(cheap_talk(3, bias=bias), method="pure").of_kind("pooling")


def test_two_state_threshold_and_large_bias_leaves_only_babbling():
    """On the grid {0, 1} type 0 separates iff b^2 <= (1 - b)^2, i.e. b <= 1/2 (the
    analogue of the continuous model's b < 1/4); above it every equilibrium, mixed
    included, transmits 0 bits."""
    assert signalling_equilibria(cheap_talk(2, bias=Fraction(1, 2)), method="all") \
        .of_kind("separating")
    result = signalling_equilibria(cheap_talk(2, bias=Fraction(3, 5)), method="all")
    assert len(result) > 0 and result.method == "all"
    assert all(e.information == 0 and e.kind == "pooling" for e in result)


def test_large_bias_leaves_no_information_the_receiver_acts_on():
    result = signalling_equilibria(cheap_talk(3, bias=1), method="pure")
    assert len(result) > 0 and result.max_information_used == 0
    assert not result.of_kind("separating")


def test_information_is_non_increasing_in_the_bias():
    """Crawford & Sobel (1982): the most informative equilibrium transmits less as the
    bias grows."""
    best = [signalling_equilibria(cheap_talk(3, bias=b), method="pure") for b in BIASES]
    info = [r.max_information for r in best]
    used = [r.max_information_used for r in best]
    assert all(x >= y - 1e-12 for x, y in zip(info, info[1:]))
    assert all(x >= y - 1e-12 for x, y in zip(used, used[1:]))
    assert info[0] > info[-1]


def test_equilibria_survive_a_brute_force_check_on_the_primitives():
    """Each pure equilibrium: no sender type gains by another message, and on the path
    the receiver's action minimises its expected loss under Bayes' rule."""
    b = Fraction(1, 5)
    theta = [Fraction(0), Fraction(1, 2), Fraction(1)]
    for e in signalling_equilibria(cheap_talk(3, bias=b), method="pure"):
        send = [int(np.flatnonzero(row)[0]) for row in e.message_given_state]
        act = [theta[int(np.flatnonzero(row)[0])] for row in e.action_given_message]
        for k, t in enumerate(theta):
            assert all(-(act[send[k]] - t - b) ** 2 >= -(a - t - b) ** 2 for a in act)
        for m in set(send):
            pool = [t for k, t in enumerate(theta) if send[k] == m]
            loss = [sum((a - t) ** 2 for t in pool) for a in theta]
            assert sum((act[m] - t) ** 2 for t in pool) == min(loss)


def test_float_bias_agrees_with_exact():
    exact = signalling_equilibria(cheap_talk(3, bias=Fraction(1, 10)), method="pure")
    floats = signalling_equilibria(cheap_talk(3, bias=0.1), method="pure")
    assert len(exact) == len(floats)
    assert math.isclose(exact.max_information, floats.max_information)


def test_mutual_information():
    assert mutual_information(np.eye(4) / 4) == pytest.approx(2.0)
    assert mutual_information(np.full((2, 3), 1 / 6)) == 0.0


def test_result_objects_serialise_and_display():
    result = signalling_equilibria(cheap_talk(2, bias=0))
    assert isinstance(result, SignallingResult)
    text = json.dumps(result.to_dict())
    assert "separating" in text
    assert "<table>" in result._repr_html_() and "<table>" in result[0]._repr_html_()
    assert "bits" in repr(result) and "bits" in repr(result[0])
    with pytest.raises(Exception):
        result.method = "pure"


@pytest.mark.parametrize("kwargs", [dict(bias=float("nan")), dict(bias=math.inf),
                                    dict(bias="1/3"), dict(states=1), dict(states=2.5),
                                    dict(messages=0), dict(actions=1)])
def test_cheap_talk_rejects_bad_parameters(kwargs):
    with pytest.raises(InvalidArgumentError):
        cheap_talk(**kwargs)


def test_signalling_equilibria_rejects_bad_arguments():
    with pytest.raises(InvalidArgumentError):
        signalling_equilibria(prisoners_dilemma())
    with pytest.raises(InvalidArgumentError, match="method"):
        signalling_equilibria(cheap_talk(2), method="fast")
    with pytest.raises(InvalidArgumentError, match="kind"):
        signalling_equilibria(cheap_talk(2)).of_kind("lying")


@pytest.mark.parametrize("kwargs", [{}, {"states": 2, "messages": 3, "bias": 0.2},
                                    {"states": 3, "actions": 2, "bias": Fraction(1, 5)}])
def test_public_state_lets_the_receiver_act_on_the_state(kwargs):
    """The state disclosed to the receiver: its strategy is one action per state, and the
    strategic form's expected payoffs are, by direct computation from the primitives,
    U_S(s, r) = sum_theta p(theta) u_S(theta, s(theta), r(theta)) (and U_R likewise),
    whatever the sender says; the receiver's best reply is the action nearest the state
    (Crawford & Sobel's quadratic loss), so the babbling sender's message costs it
    nothing."""
    game = cheap_talk(**kwargs)
    public = public_state(game)
    assert isinstance(public, BayesianGame)
    form = public.normal_form()
    t, m, a = game.type_shape[0], len(game.messages), len(game.receiver_actions)
    assert form.shape == (m ** t, a ** t)
    assert form.exact == game.normal_form().exact
    sender = game.stage_table(game.payoffs[0])
    receiver = game.stage_table(game.payoffs[1])
    prior = game.prior[:, 0]
    for (i, s), (j, r) in itertools.product(
            enumerate(itertools.product(range(m), repeat=t)),
            enumerate(itertools.product(range(a), repeat=t))):
        expected = [sum(prior[k] * table[k, s[k], r[k]] for k in range(t))
                    for table in (sender, receiver)]
        assert [form.payoffs[0, i, j], form.payoffs[1, i, j]] == pytest.approx(expected)
    grid = [Fraction(k, a - 1) for k in range(a)]
    nearest = tuple(min(range(a), key=lambda x: abs(grid[x] - Fraction(k, t - 1)))
                    for k in range(t))
    best = list(itertools.product(range(a), repeat=t)).index(nearest)
    assert all(int(np.argmax(row)) == best for row in np.asarray(form.payoffs[1], dtype=float))


def test_stage_table_inverts_expand():
    game = cheap_talk()
    table = np.arange(27, dtype=object).reshape(3, 3, 3)
    assert np.array_equal(game.stage_table(game.expand(table)), table)


def test_public_state_needs_a_signalling_game():
    with pytest.raises(InvalidArgumentError, match="SignallingGame"):
        public_state(prisoners_dilemma())
