"""The deception scenario's mechanisms: an audit of lies (Kartik 2009), the state
disclosed to the receiver (Transparency on a signalling game) and ex-post verification
(Sobel 1985)."""

import itertools
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import games
import mechanisms as M
from games import InvalidArgumentError, InvalidGameError
from games.learning import QLearning

#: The truthful sender strategy and the credulous receiver plan of cheap_talk()'s strategic
#: form (both (0, 1, 2) in itertools.product order over three states / messages).
TRUTHFUL = CREDULOUS = list(itertools.product(range(3), repeat=3)).index((0, 1, 2))


def cheap_talk_form():
    return games.catalog.cheap_talk().normal_form()


def truthfulness(game):
    return game.layers["value"][game.criteria["value"].index("truthfulness")]


def test_the_audit_fines_each_lie_and_the_operator_collects():
    """u_sender -> u_sender - pF (1 - t): a strategy lying in k of the three states pays
    pF k/3 in expectation; the receiver's payoffs and every evaluation layer are kept, and
    the operator's cost is minus the fines (exact arithmetic kept)."""
    g = cheap_talk_form()
    audited = M.Audit(Fraction(1, 2), Fraction(1, 2), "Sender").apply(g)
    t = truthfulness(g)
    assert audited.exact
    assert np.array_equal(audited.payoffs[1], g.payoffs[1])
    assert np.array_equal(g.payoffs[0] - audited.payoffs[0], Fraction(1, 4) * (1 - t))
    assert np.array_equal(audited.layers[M.COST_LAYER][0], -Fraction(1, 4) * (1 - t))
    assert np.array_equal(audited.layers["value"], g.layers["value"])
    # lying in every state (say 1/2, 1, 0) is fined 1/4; lying in one state a third of it
    always = list(itertools.product(range(3), repeat=3)).index((1, 2, 0))
    once = list(itertools.product(range(3), repeat=3)).index((1, 1, 2))
    assert g.payoffs[0, always, 0] - audited.payoffs[0, always, 0] == Fraction(1, 4)
    assert g.payoffs[0, once, 0] - audited.payoffs[0, once, 0] == Fraction(1, 12)


@settings(max_examples=30, deadline=None)
@given(p=st.fractions(0, 1), fine=st.fractions(0, 2))
def test_truth_telling_is_a_best_reply_to_a_credulous_receiver_iff_the_audit_beats_the_gain(
        p, fine):
    """Kartik (2009): with a lying cost, truthful talk survives a bias. Against a credulous
    receiver, the sender with bias 1/3 gains b^2 - (1/2 - b)^2 = 1/12 by reporting one
    state up (in the lowest and middle states); the audit costs pF per lie. Truth-telling
    with a credulous receiver is a Nash equilibrium of the strategic form exactly when
    pF >= 1/12 (the receiver's credulity is its strict best reply to the truth)."""
    g = M.Audit(p, fine, "Sender").apply(cheap_talk_form())
    sender = g.payoffs[0][:, CREDULOUS]
    receiver = g.payoffs[1][TRUTHFUL]
    assert receiver[CREDULOUS] == receiver.max() == 0
    assert (sender[TRUTHFUL] == sender.max()) == (p * fine >= Fraction(1, 12))


def test_the_audit_refuses_what_it_cannot_read():
    g = cheap_talk_form()
    with pytest.raises(InvalidArgumentError, match="player"):
        M.Audit(1, 1, "Auditor").apply(g)
    with pytest.raises(InvalidArgumentError, match="player"):
        M.Audit(1, 1, True)
    with pytest.raises(InvalidGameError, match="criterion"):
        M.Audit(1, 1, "Sender", criterion="honesty").apply(g)
    with pytest.raises(InvalidGameError, match=r"\[0, 1\]"):
        M.Audit(1, 1, "Sender", criterion="receiver welfare").apply(
            games.catalog.cheap_talk(bias=Fraction(1, 3)).normal_form().replace(
                layers={"value": -4 + np.zeros((1, 27, 27), dtype=object)},
                criteria={"value": ("receiver welfare",)}))
    with pytest.raises(InvalidArgumentError, match="probability"):
        M.Audit(2, 1, "Sender")
    with pytest.raises(InvalidArgumentError, match="fine"):
        M.Audit(1, -1, "Sender")


def test_transparency_discloses_the_state_to_the_receiver_of_a_signalling_game():
    """With the state public the receiver's strict best reply is its action equal to the
    state, whatever the sender says, so every Nash equilibrium gives it its best welfare
    (0) and the sender's payoff does not depend on its messages: talk is payoff-irrelevant
    to both players (the shape of the private form is kept)."""
    talk = games.catalog.cheap_talk()
    public = M.Transparency().apply(talk)
    assert public.shape == talk.normal_form().shape == (27, 27) and public.exact
    # the sender's payoff is constant across its strategies, for every receiver strategy
    assert all(len(set(column)) == 1 for column in public.payoffs[0].T)
    # the receiver's strict best reply to every sender strategy: action = state
    matching = list(itertools.product(range(3), repeat=3)).index((0, 1, 2))
    assert all(int(np.argmax(row)) == matching and sorted(row)[-2] < row[matching] == 0
               for row in public.payoffs[1])
    welfare = public.criteria["value"].index("receiver welfare")
    for e in games.pure_equilibria(public):
        assert e.payoffs[1] == 0
        assert public.layers["value"][welfare][e.profile] == 0
    # truthfulness depends on the sender's strategy alone, as in the private form
    assert np.array_equal(truthfulness(public), truthfulness(talk.normal_form()))


def test_verification_remembers_the_last_period_and_pays_nothing():
    """Ex-post verification changes what learners remember, not what they are paid:
    payoffs kept, no cost, memory at least 1 with everyone's actions observed, the
    learners' discount untouched."""
    pd = games.catalog.prisoners_dilemma()
    verified = M.Verification().apply(pd)
    assert np.array_equal(verified.payoffs, pd.payoffs) and verified.exact == pd.exact
    assert M.COST_LAYER not in verified.layers
    assert M.Verification.changes == "information"
    d = M.Dynamics(QLearning(beta=1e-3, discount=0.0), periods=2000, sessions=2, seed=0)
    remembered = M.Verification().dynamics_under(d)
    assert remembered.memory == 1 and remembered.observe == "joint"
    assert remembered.learners == d.learners
    longer = M.Verification(memory=2).dynamics_under(M.Opacity().dynamics_under(
        M.Dynamics(QLearning(), periods=10, memory=3)))
    assert longer.memory == 3 and longer.observe == "joint"
    v = M.dynamic_verdict(pd, M.Verification(), d)
    assert v.run.memory == 1 and v.cost_per_period == 0
    with pytest.raises(InvalidArgumentError, match="memory"):
        M.Verification(memory=0)
    with pytest.raises(InvalidArgumentError, match="dynamics"):
        M.Verification().dynamics_under("Q-learning")
