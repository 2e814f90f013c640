"""Mechanisms: what they change, what they keep, the five rules, evaluation and sweeps."""

from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import games
import games.palette
import mechanisms as M
from games import InvalidArgumentError, InvalidGameError
from tests.strategies import game_objects

PD = games.catalog.prisoners_dilemma
AID = games.catalog.aid_delivery
SELFISH = {"NGO": "visibility", "Government A": "citizens first",
           "Government B": "citizens first", "Logistics": "cost-efficient"}
ALIGNED = ("need-based", "open airspace", "open airspace", "priority-to-need")


def profiles(game):
    return [e.action_names for e in games.pure_equilibria(game)]


@settings(max_examples=40, deadline=None)
@given(game_objects(min_players=2, max_players=3, exact=True),
       st.fractions(0, 1), st.fractions(0, 5))
def test_budget_balanced_mechanisms_keep_totals_and_never_move_the_yardstick(g, rate, gap):
    for m in (M.Redistribution(rate), M.RewardCap(gap)):
        h = m.apply(g)
        assert np.array_equal(h.payoffs.sum(axis=0), g.payoffs.sum(axis=0))
        assert np.array_equal(h.layers["objective"], g.payoffs)    # frozen, not the new payoffs
        assert "cost" not in h.layers and h.exact


def test_redistribution_at_rate_one_gives_everyone_the_mean():
    h = M.Redistribution(1).apply(PD())
    assert np.array_equal(h.payoffs[0], h.payoffs[1])
    assert h.payoffs[0, 0, 1] == Fraction(5, 2)


def test_reward_cap_limits_the_gap_and_keeps_the_order():
    h = M.RewardCap(2).apply(PD())              # (0, 5) has gap 5 -> (1.5, 3.5)
    assert h.payoffs[:, 0, 1].tolist() == [Fraction(3, 2), Fraction(7, 2)]
    assert h.payoffs[:, 0, 0].tolist() == [3, 3]


def test_penalty_and_subsidy_record_their_cost_and_compose():
    fine = M.Penalty(4, on={0: "D", 1: "D"}, detection=Fraction(1, 2))
    h = fine.apply(PD())
    assert h.payoffs[:, 1, 1].tolist() == [-1, -1]
    assert h.layers["cost"][0, 1, 1] == -4 and h.layers["cost"][0, 0, 0] == 0
    both = fine | M.Subsidy(1, on=[("C", "C")])
    k = both.apply(PD())
    assert k.layers["cost"][0, 0, 0] == 2 and k.layers["cost"][0, 1, 1] == -4
    assert isinstance(both, M.Composite) and len(both.parts) == 2
    assert "Penalty(fine=4" in repr(both)


def test_contract_compensates_the_players_who_kept_it():
    h = M.Contract(("C", "C"), damages=3).apply(PD())
    # (D, C): the row player broke it, pays 3 to the column player.
    assert h.payoffs[:, 1, 0].tolist() == [2, 3]
    assert profiles(h) == [("C", "C")]
    # Nobody kept it: the operator collects.
    assert h.layers["cost"][0].tolist() == [[0, 0], [0, -6]]


def test_monitoring_makes_the_recommended_outcome_an_equilibrium_once_pf_beats_the_gain():
    game = PD()                                   # the gain from defecting is 2
    assert ("C", "C") not in profiles(M.Monitoring(Fraction(1, 5), 5, ("C", "C")).apply(game))
    assert ("C", "C") in profiles(M.Monitoring(Fraction(2, 5), 5, ("C", "C")).apply(game))


def test_contest_intensity_lowers_equilibrium_effort():
    contest = games.catalog.contest()
    efforts = [profiles(M.ContestIntensity(x).apply(contest))[0][0] for x in (1, Fraction(1, 2), 0)]
    assert efforts == ["effort 2", "effort 1", "effort 0"]
    with pytest.raises(InvalidGameError, match="prize"):
        M.ContestIntensity(0).apply(PD())


def test_nowak_five_rules_are_recovered_exactly_by_threshold():
    """Nowak (2006): kin r > c/b, direct w > c/b, indirect q > c/b, network b/c > k,
    group b/c > 1 + n/m, on the donation game."""
    b, c = 5, 2
    game = PD(b=b, c=c)
    kin = M.threshold(game, M.Kinship, "relatedness", condition="dominant", profile=("C", "C"))
    direct = M.threshold(game, lambda w: M.Repetition(w), condition="equilibrium",
                         profile=("Tit For Tat", "Tit For Tat"))
    indirect = M.threshold(game, lambda q: M.Reputation(q), condition="strict-equilibrium",
                           profile=("Discriminator", "Discriminator"))
    assert kin.value == direct.value == indirect.value == Fraction(c, b)
    assert kin.exact and direct.exact and indirect.exact and not indirect.holds_at_value
    for k in (3, 4, 7):
        net = M.threshold(None, lambda benefit: M.Network(k).apply(PD(b=benefit, c=1)),
                          condition="dominant", profile=("C", "C"), bounds=(1, 50))
        assert net.value == k
    for m, n in ((5, 10), (10, 4)):
        group = M.threshold(None, lambda benefit: M.Groups(m, n).apply(PD(b=benefit, c=1)),
                            condition="dominant", profile=("C", "C"), bounds=(1, 50))
        assert group.value == 1 + Fraction(n, m)


def test_threshold_bisects_a_nonlinear_condition_with_a_certified_bracket():
    game = PD(b=4, c=1)
    only_cooperation = lambda g: profiles(g) == [("C", "C")]      # noqa: E731
    t = M.threshold(game, M.Kinship, "relatedness", condition=only_cooperation)
    low, high = t.bracket
    assert not t.exact and low <= 0.25 < high and high - low < 1e-8
    assert only_cooperation(M.Kinship(high).apply(game))
    assert not only_cooperation(M.Kinship(low).apply(game))


def test_repetition_meta_game_matches_the_closed_form_and_carries_layers():
    game = PD(b=3, c=1).replace(layers={"value": np.array([[2, 0], [0, 0]])})
    meta = M.Repetition(Fraction(1, 2)).apply(game)
    assert meta.actions[0] == ("Tit For Tat", "Defector")
    # TFT vs ALLD: -c in round one, then mutual defection: (1 - w)(-c) = -1/2.
    assert meta.payoffs[:, 0, 1].tolist() == [Fraction(-1, 2), Fraction(3, 2)]
    assert meta.layers["value"][0, 0, 0] == 2 and meta.layers["value"][0, 0, 1] == 0


def test_reputation_meta_game_is_nowaks_matrix():
    b, c, q = 3, 1, Fraction(1, 3)
    meta = M.Reputation(q).apply(PD(b=b, c=c))
    expected = [[b - c, -c * (1 - q)], [b * (1 - q), 0]]
    assert meta.payoffs[0].tolist() == expected


def test_reputation_simulation_cooperates_among_discriminators_under_image_scoring():
    out = M.simulate_reputation(3, 1, (0, 5, 45), observability=1.0, rounds=100_000, seed=2)
    assert out.mean_payoffs[2] > out.mean_payoffs[1]
    again = M.simulate_reputation(3, 1, (0, 5, 45), observability=1.0, rounds=100_000, seed=2)
    assert np.array_equal(out.mean_payoffs, again.mean_payoffs)
    all_discriminators = M.simulate_reputation(3, 1, (0, 0, 50), rounds=50_000, seed=1)
    assert all_discriminators.cooperation == 1.0
    assert all_discriminators.mean_payoffs[2] == pytest.approx(2, rel=0.05)


def test_network_rule_matches_ohtsuki_nowak_for_the_donation_game():
    b, c, k = 6, 1, 4
    h = M.Network(k).apply(PD(b=b, c=c))
    big_h = Fraction((b - c) * k - 2 * c, (k + 1) * (k - 2))
    assert h.payoffs[0].tolist() == [[b - c, big_h - c], [b - big_h, 0]]


def test_evaluate_on_the_aid_delivery_game_shows_which_mechanisms_restore_alignment():
    game = AID()
    assert not M.evaluate(game, M.Redistribution(1)).after.holistic
    fine = M.evaluate(game, M.Penalty(5, on=SELFISH))
    assert fine.restores_alignment and min(fine.cost) < 0        # fines are collected
    contract = M.evaluate(game, M.Contract(ALIGNED, damages=6))
    assert contract.restores_alignment
    assert [e.label for e in contract.after.report.equilibria] == [", ".join(ALIGNED)]
    assert contract.after.cooperation == 1.0 and contract.before.cooperation == 0.0
    text = contract.to_text()
    assert "restores holistic alignment" in text and "price of anarchy" in text
    assert contract.to_dict()["restores_alignment"] is True
    assert "<table>" in contract._repr_html_()


def test_sweep_is_seeded_and_identical_serially_and_on_threads():
    grid = [Fraction(k, 10) for k in range(11)]
    serial = M.sweep(PD(b=4, c=1), M.Kinship, grid, parameter="relatedness", executor="serial")
    threads = M.sweep(PD(b=4, c=1), M.Kinship, grid, parameter="relatedness", executor="threads")
    assert serial.values == threads.values
    for r, value in zip(grid, serial.values):          # Hamilton: cooperate iff r > c/b = 1/4
        assert value.cooperation == (1.0 if r > Fraction(1, 4) else 0.0)


def test_a_checkpointed_sweep_resumes_to_the_uninterrupted_result(tmp_path):
    """Hamilton's rule on the donation game (b = 4, c = 1): cooperation iff r > 1/4. A
    sweep whose checkpoint lost its last points (as if killed) recomputes only those."""
    import pickle

    grid = [Fraction(k, 10) for k in range(11)]
    path = tmp_path / "sweep.ckpt"
    args = (PD(b=4, c=1), M.Kinship, grid)
    whole = M.sweep(*args, parameter="relatedness", executor="serial", checkpoint=path)
    with open(path, "rb") as fh:
        data = pickle.load(fh)
    kept = {k: v for k, v in data["chunks"].items() if k < len(data["chunks"]) // 2}
    with open(path, "wb") as fh:
        pickle.dump({**data, "chunks": kept}, fh)
    resumed = M.sweep(*args, parameter="relatedness", executor="serial", checkpoint=path)
    assert resumed.values == whole.values
    assert [v.cooperation for v in resumed.values] == [float(r > Fraction(1, 4)) for r in grid]


@pytest.mark.parametrize("make, error, message", [
    (lambda: M.Redistribution(2), InvalidArgumentError, "rate"),
    (lambda: M.Penalty(-1, on={0: "D"}), InvalidArgumentError, "fine"),
    (lambda: M.Penalty(1, on="D").apply(PD()), InvalidArgumentError, "on"),
    (lambda: M.Penalty(1, on={0: "Z"}).apply(PD()), InvalidArgumentError, "action"),
    (lambda: M.Repetition(1), InvalidArgumentError, "continuation"),
    (lambda: M.Reputation(Fraction(1, 2), norm="gossip"), InvalidArgumentError, "norm"),
    (lambda: M.Network(2), InvalidArgumentError, "degree"),
    (lambda: M.Network(4).apply(games.catalog.battle_of_the_sexes()), InvalidGameError,
     "symmetric"),
    (lambda: M.Contract(("C",), damages=1).apply(PD()), InvalidArgumentError, "outcome"),
    (lambda: M.compose(), InvalidArgumentError, "compose"),
    (lambda: M.threshold(PD(), M.Kinship, "relatedness", condition="nice"),
     InvalidArgumentError, "condition"),
    (lambda: M.evaluate(PD(), "penalty"), InvalidArgumentError, "mechanism"),
])
def test_bad_parameters_are_rejected_with_a_message_naming_them(make, error, message):
    """Bad mechanism arguments raise InvalidArgumentError; a game the mechanism cannot act
    on raises InvalidGameError."""
    with pytest.raises(error, match=message):
        make()


class RepeatedPrisonersDilemma:
    """A tiny ParallelEnv-style environment (PettingZoo's interface, no dependency): two
    agents play the prisoner's dilemma for ``rounds`` steps."""

    class Space:
        n = 2

    possible_agents = ["alice", "bob"]
    payoff = {(0, 0): (3, 3), (0, 1): (0, 5), (1, 0): (5, 0), (1, 1): (1, 1)}

    def __init__(self, rounds: int = 5) -> None:
        self.rounds = rounds
        self.agents = list(self.possible_agents)
        self.metadata = {"name": "pd_v0"}

    def action_space(self, agent):
        return self.Space()

    def reset(self, seed=None, options=None):
        self.t = 0
        self.agents = list(self.possible_agents)
        return {a: 0 for a in self.agents}, {a: {} for a in self.agents}

    def step(self, actions):
        self.t += 1
        r = self.payoff[(actions["alice"], actions["bob"])]
        done = self.t >= self.rounds
        obs = {"alice": actions["bob"], "bob": actions["alice"]}
        rewards = {"alice": float(r[0]), "bob": float(r[1])}
        flags = {a: done for a in self.possible_agents}
        truncations = {a: False for a in self.possible_agents}
        return obs, rewards, flags, truncations, {a: {} for a in self.possible_agents}


def test_mechanism_reshapes_live_rewards_in_a_parallel_env():
    names = {"alice": ("C", "D"), "bob": ("C", "D")}
    env = M.MechanismRewards(RepeatedPrisonersDilemma(),
                             M.Penalty(3, on={"alice": "D", "bob": "D"}), actions=names)
    env.reset(seed=0)
    _, rewards, _, _, infos = env.step({"alice": 1, "bob": 0})
    assert rewards == {"alice": 2.0, "bob": 0.0}
    assert infos["alice"]["raw_reward"] == 5.0 and infos["alice"]["mechanism_cost"] == -3.0
    env.step({"alice": 1, "bob": 1})
    assert env.total_cost == -9.0
    assert env.metadata["name"] == "pd_v0"           # everything else passes through
    shared = M.MechanismRewards(RepeatedPrisonersDilemma(), M.Redistribution(1))
    shared.reset()
    assert shared.step({"alice": 1, "bob": 0})[1] == {"alice": 2.5, "bob": 2.5}


def test_whole_game_mechanisms_refuse_to_act_step_by_step():
    with pytest.raises(InvalidArgumentError, match="per-step"):
        M.MechanismRewards(RepeatedPrisonersDilemma(), M.Repetition(Fraction(1, 2)))
    with pytest.raises(InvalidArgumentError, match="per-step"):
        M.MechanismRewards(RepeatedPrisonersDilemma(), M.Redistribution(1) | M.Network(4))


@pytest.mark.slow
def test_a_thousand_point_sweep_on_a_local_dask_cluster_matches_the_serial_run():
    distributed = pytest.importorskip("dask.distributed")
    grid = [Fraction(k, 999) for k in range(1000)]
    game = PD(b=4, c=1)
    serial = M.sweep(game, M.Kinship, grid, parameter="relatedness", executor="serial", seed=11)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster, \
            distributed.Client(cluster) as client:
        on_cluster = M.sweep(game, M.Kinship, grid, parameter="relatedness",
                             executor=client.get_executor(), seed=11)
    assert on_cluster.values == serial.values
    assert (sum(v.cooperation == 1.0 for v in serial.values)
            == sum(r > Fraction(1, 4) for r in grid))


def test_evaluation_plot_is_saved_atomically(tmp_path):
    """The contract with damages 6 moves the unique equilibrium of the aid game from
    (visibility, citizens first, citizens first, cost-efficient) to the aligned profile:
    the bars are each layer's total at those two profiles, read from the game's layers."""
    pytest.importorskip("matplotlib")
    import matplotlib
    import matplotlib.colors
    import matplotlib.image
    matplotlib.use("Agg")
    game = AID()
    evaluation = M.evaluate(game, M.Contract(ALIGNED, damages=6))
    assert [e.label for e in evaluation.before.report.equilibria] == [
        "visibility, citizens first, citizens first, cost-efficient"]
    assert [e.label for e in evaluation.after.report.equilibria] == [", ".join(ALIGNED)]
    fig = evaluation.plot(tmp_path / "contract.png")
    assert [p.name for p in tmp_path.iterdir()] == ["contract.png"]
    ax = fig.axes[0]
    layers = ["objective", "value", "preference"]
    totals = [[sum(game.layers[k][(slice(None), *profile)]) for k in layers]
              for profile in [(1, 1, 1, 1), (0, 0, 0, 0)]]
    assert totals == [[5, 0, 9], [6, 20, 7]]
    assert [p.get_height() for p in ax.patches] == totals[0] + totals[1]
    assert np.allclose([p.get_x() + p.get_width() / 2 for p in ax.patches],
                       [-0.2, 0.8, 1.8, 0.2, 1.2, 2.2])
    assert [t.get_text() for t in ax.get_xticklabels()] == layers
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["before", "after"]
    # titled from the mechanism's name (not its repr), scores labelled with their units
    assert ax.get_title() == "Contract: before and after"
    assert "payoff units" in ax.get_ylabel() and ax.get_xlabel() == "alignment axis"
    # written at 120 dpi with a tight box: at least most of the 6 x 3.5 inch figure, with
    # both bar colours (the palette's first two) on it
    image = matplotlib.image.imread(tmp_path / "contract.png")
    assert image.shape[0] >= 0.8 * 3.5 * 120 and image.shape[1] >= 0.8 * 6 * 120
    for colour in games.palette.COLOURS[:2]:
        rgb = np.array(matplotlib.colors.to_rgb(colour))
        assert (np.abs(image[..., :3] - rgb).max(axis=-1) < 0.02).sum() > 100, colour
