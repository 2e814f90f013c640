"""The dynamic verdict on a mechanism (mechanisms.Dynamics, evaluate(dynamics=...))."""

import json
import re
from pathlib import Path

import numpy as np
import pytest

import games
import mechanisms as M
from games.learning import CrossLearning, QLearning
from mechanisms.dynamic import markov_costs

README = Path(__file__).resolve().parents[1] / "README.md"
ALIGNED = ("need-based", "open airspace", "open airspace", "priority-to-need")
DD = {"Player 1": "D", "Player 2": "D"}


def _cross(switch_on=50_000, **kwargs):
    return M.Dynamics(CrossLearning(step=0.01), periods=100_000, sessions=6, seed=1,
                      switch_on=switch_on, name="cross-learning", **kwargs)


def test_a_contract_does_not_revive_aligned_actions_cross_learning_let_die():
    """Börgers & Sarin (1997): cross-learning's mean motion is the replicator, under which
    an action that does worse decays geometrically. After 50,000 selfish periods the
    aligned actions have probability below 1e-120, so the contract (statically: the aligned
    outcome is the unique equilibrium) changes nothing; switched on from the start it
    realigns every session. The static and dynamic verdicts disagree only in the first
    case."""
    g = games.catalog.aid_delivery()
    contract = M.Contract(ALIGNED, damages=6)
    late = M.evaluate(g, contract, dynamics=_cross())
    assert late.after.holistic is True
    v = late.dynamic
    assert v.share_aligned == 0.0 and v.time_to_realign is None and not v.realigns
    assert (v.realign_periods == -1).all()
    assert v.top_outcomes(1)[0][0] == "visibility, citizens first, citizens first, cost-efficient"
    first = v.run.final_profile()[0][:, 0]          # the NGO's need-based probability
    assert (first < 1e-100).all()
    assert v.cost_per_period < 0                     # the operator collects the damages
    assert late.disagrees is True and len(late.disagreements) == 1
    assert "Contract" in late.disagreements[0] and "0 of 6 sessions" in late.disagreements[0]
    assert "Disagreement: Contract" in late.to_text()

    early = M.evaluate(g, contract, dynamics=_cross(switch_on=0))
    assert early.dynamic.share_aligned == 1.0 and early.dynamic.time_to_realign is not None
    assert early.disagrees is False and early.disagreements == ()


def test_started_near_the_selfish_profile_cross_learning_does_not_realign():
    """Started with aligned probability 1e-6 (the selfish state, not learned), a contract
    switched on from the start still realigns no session within 100,000 periods."""
    g = games.catalog.aid_delivery()
    d = _cross(switch_on=0, initial=[[1e-6, 1 - 1e-6]] * 4)
    v = M.dynamic_verdict(g, M.Contract(ALIGNED, damages=6), d)
    assert v.share_aligned == 0.0


def test_a_penalty_switched_on_mid_run_makes_q_learners_cooperate():
    """Q-learners in the PD defect (Q-learning ends at (D, D)); a fine of 3 on defection
    makes cooperation dominant, and once it is switched on the learners cooperate."""
    pd = games.catalog.prisoners_dilemma()
    d = M.Dynamics(QLearning(alpha=0.1, discount=0.0, beta=5e-5), periods=60_000,
                   sessions=6, seed=3, switch_on=30_000, window=1000)
    v = M.dynamic_verdict(pd, M.Penalty(3, on=DD), d)
    cc = v.run.frequencies[:, :, 0]                  # (C, C) share per window
    assert cc[:, 25:30].mean() < 0.1 < 0.9 < cc[:, -5:].mean()
    assert v.share_aligned is None and not v.values_measured    # no value layer
    assert v.aligned_by == "thresholds" and v.share_above_thresholds == 1.0
    assert v.time_to_realign is not None and 0 <= v.time_to_realign < 30_000
    assert v.realigns
    e = M.evaluate(pd, M.Penalty(3, on=DD), dynamics=d)
    assert e.disagrees is None and e.disagreements == ()       # nothing to compare
    assert "values not measured" in e.dynamic.text()


def test_the_verdict_protocol():
    pd = games.catalog.prisoners_dilemma()
    d = M.Dynamics(QLearning(alpha=0.1, discount=0.0, beta=5e-4), periods=4000, sessions=2,
                   seed=0, switch_on=2000, name="Q")
    e = M.evaluate(pd, M.Penalty(3, on=DD), dynamics=[d, d])
    assert len(e.dynamic_verdicts) == 2 and e.dynamic is e.dynamic_verdicts[0]
    v = e.dynamic
    data = json.loads(json.dumps(e.to_dict()))
    assert data["dynamic"][0]["dynamics"]["switch_on"] == 2000
    assert data["dynamic"][0]["share_aligned"] is None
    assert set(json.loads(json.dumps(v.to_dict()))["final_distribution"]) == \
        {"C, C", "C, D", "D, C", "D, D"}
    assert abs(sum(v.to_dict()["final_distribution"].values()) - 1) < 1e-9
    assert "<table>" in v._repr_html_() and "<table>" in e._repr_html_()
    assert "Dynamic verdict: Q" in e.to_text() and "Q ending aligned" in repr(e)
    c = M.compare(pd, [M.Penalty(3, on=DD)], dynamics=d)
    assert "Dynamic verdicts" in c.to_text() and c.entries[0].dynamic[0].dynamics == d
    assert json.loads(json.dumps(c.to_dict()))["mechanisms"][0]["dynamic"][0]["dynamics"] == "Q"
    assert "<th>dynamics</th>" in c._repr_html_()
    pytest.importorskip("matplotlib")
    import matplotlib.pyplot as plt
    plt.close(v.plot())


def test_a_whole_game_mechanism_is_switched_on_too():
    """A third-party judge reads the value layer (not per outcome) but keeps the actions:
    it is switched on like any other mechanism, and pays at the aligned outcome."""
    g = games.catalog.aid_delivery()
    d = M.Dynamics(QLearning(alpha=0.1, discount=0.0, beta=5e-5), periods=20_000,
                   sessions=2, seed=0, switch_on=0)
    v = M.dynamic_verdict(g, M.ThirdPartyJudge(1), d)
    assert v.cost_per_period > 0


def test_opacity_changes_what_learners_observe_not_what_they_are_paid():
    """Green & Porter (1984) in its extreme form: Opacity keeps every payoff (exact games
    stay exact) and costs nothing; the dynamics it implies give each learner its own last
    actions as state, which the dynamic verdict's run carries."""
    pd = games.catalog.prisoners_dilemma()
    opaque = M.Opacity().apply(pd)
    assert np.array_equal(opaque.payoffs, pd.payoffs) and opaque.exact == pd.exact
    assert M.COST_LAYER not in opaque.layers                 # no payment recorded
    assert M.Opacity.changes == "information"
    d = M.Dynamics(QLearning(beta=1e-3), periods=2000, sessions=2, seed=0, memory=1)
    assert d.observe == "joint" and d.to_dict()["observe"] == "joint"
    hidden = M.Opacity().dynamics_under(d)
    assert hidden.observe == "own" and hidden.memory == 1 and hidden.periods == 2000
    v = M.dynamic_verdict(pd, M.Opacity(), d)        # the verdict applies the hook itself
    assert v.dynamics == hidden
    assert v.run.observe == "own" and v.run.final_greedy.shape == (2, 2, 2)
    assert v.cost_per_period == 0
    # through evaluate, and inside a composition, as well
    assert M.evaluate(pd, M.Opacity(), dynamics=d).dynamic.run.observe == "own"
    both = M.Opacity() | M.Penalty(3, on=DD)
    assert both.dynamics_under(d) == hidden
    assert M.dynamic_verdict(pd, both, d).run.observe == "own"
    # a mechanism on payoffs leaves the learning scenario as it is
    assert M.Penalty(3, on=DD).dynamics_under(d) is d


def test_malformed_dynamics_are_refused():
    q = QLearning()
    with pytest.raises(games.InvalidArgumentError, match="learners"):
        M.Dynamics("q-learning", periods=10)
    with pytest.raises(games.InvalidArgumentError, match="periods"):
        M.Dynamics(q, periods=0)
    with pytest.raises(games.InvalidArgumentError, match="switch_on"):
        M.Dynamics(q, periods=10, switch_on=10)
    with pytest.raises(games.InvalidArgumentError, match="window"):
        M.Dynamics(q, periods=10, window=11)
    with pytest.raises(games.InvalidArgumentError, match="sessions"):
        M.Dynamics(q, periods=10, sessions=0)
    with pytest.raises(games.InvalidArgumentError, match="observe"):
        M.Dynamics(q, periods=10, observe="rivals")
    with pytest.raises(games.InvalidArgumentError, match="dynamics"):
        M.Opacity().dynamics_under("Q-learning")
    pd = games.catalog.prisoners_dilemma()
    with pytest.raises(games.InvalidArgumentError, match="dynamics"):
        M.evaluate(pd, M.Penalty(3, on=DD), dynamics="Q-learning")
    with pytest.raises(games.InvalidArgumentError, match="dynamics"):
        M.compare(pd, [M.Penalty(3, on=DD)], dynamics=[])
    with pytest.raises(games.InvalidArgumentError, match="players or actions"):
        M.evaluate(pd, M.Repetition(0.9), dynamics=M.Dynamics(q, periods=10))
    with pytest.raises(games.InvalidArgumentError, match="dynamics"):
        M.dynamic_verdict(pd, M.Penalty(3, on=DD), "Q")


def test_the_readme_dynamic_table_is_what_the_code_prints():
    """The README's dynamic-verdict table is produced by the code shown above it (the
    doctest in tests/test_readme.py runs it); here its disagreements are checked to be the
    ones the text names."""
    text = README.read_text(encoding="utf-8")
    section = text[text.index("## Alignment over time"):]
    named = re.findall(r"^- (\w+): some equilibrium is holistically aligned", section, re.M)
    assert {"contract", "monitoring", "penalty"} <= set(named)


def test_a_markov_game_is_judged_dynamically_and_its_fines_priced_by_state():
    """A fine of 3 on each sabotage in ``sabotage_contest`` (a MarkovGame) collects 3
    per sabotage: the cost of each window after the switch-on is -3 x the expected
    number of saboteurs, which the value criterion "no sabotage" ((2 - s1 - s2) / 2)
    measures independently from the same (state, joint action) frequencies."""
    g = games.catalog.sabotage_contest()
    sabotage = ["low + sabotage", "high + sabotage"]
    fine = M.Penalty(3, on={"Contestant 1": sabotage, "Contestant 2": sabotage})
    d = M.Dynamics(QLearning(alpha=0.1, discount=0.0, beta=5e-4), periods=4_000,
                   sessions=2, seed=3, switch_on=2_000)
    v = M.dynamic_verdict(g, fine, d)
    k = g.stages[0].criteria["value"].index("no sabotage")
    no_sabotage = np.stack([np.asarray(s.layers["value"][k], dtype=float).ravel()
                            for s in g.stages])
    score = np.einsum("swka,ka->sw", v.run.joint_state_frequencies, no_sabotage)
    on = np.array([e["on"] for e in v.run.schedule_log])
    costs = markov_costs(M.schedule(fine, start=d.switch_on), g, v.run)
    assert np.allclose(costs[:, on], -3 * 2 * (1 - score[:, on]))
    assert np.all(costs[:, ~on] == 0)
    assert v.cost_per_period < 0
    with pytest.raises(games.InvalidArgumentError, match="MarkovGame"):
        markov_costs(M.schedule(fine), games.catalog.prisoners_dilemma(), v.run)


def test_information_mechanisms_share_one_base_and_pay_nothing():
    """Opacity and Verification change what is observed, never the payoffs, and refuse a
    learning scenario that is not a Dynamics."""
    pd = games.catalog.prisoners_dilemma()
    d = M.Dynamics(QLearning(beta=1e-3), periods=100, sessions=1, memory=1)
    for m in (M.Opacity(), M.Verification(2)):
        assert isinstance(m, M.InformationMechanism) and m.changes == "information"
        assert np.array_equal(m.apply(pd).payoffs, pd.payoffs)
        with pytest.raises(games.InvalidArgumentError, match="dynamics"):
            m.dynamics_under("Q-learning")
    assert M.Opacity().dynamics_under(d).observe == "own"
    seen = M.Verification(2).dynamics_under(d)
    assert seen.observe == "joint" and seen.memory == 2
