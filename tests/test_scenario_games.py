"""The scenario games of issue 18: shapes, layers, and the misalignment each is built to
show, as the cited literature predicts it."""

import doctest
from fractions import Fraction

import numpy as np
import pytest

import games
from games import InvalidArgumentError, catalog, mixed_equilibria, pure_equilibria, scenario_games
from games.dynamics import OpinionTrajectory, friedkin_johnsen
from games.scenario_games import gini, herfindahl
from mechanisms import ContestIntensity

NEW = ("power_contest", "conformity_game", "leader_follower", "rank_order_tournament",
       "sabotage_contest")


def value(game, criterion, profile):
    k = game.criteria["value"].index(criterion)
    return game.layers["value"][(k, *profile)]


def test_catalog_re_exports_the_scenario_games():
    for name in NEW:
        assert name in catalog.__all__ and callable(getattr(catalog, name))
    assert {"power_contest", "conformity_game", "leader_follower",
            "rank_order_tournament"} <= set(catalog.names())


def test_gini_and_herfindahl_exact():
    assert gini([Fraction(0), Fraction(0), Fraction(6)]) == Fraction(2, 3)
    assert gini([Fraction(3)] * 3) == 0 and gini([Fraction(0)] * 2) == 0
    assert herfindahl([Fraction(1, 2), Fraction(1, 2)]) == Fraction(1, 2)


# ---------------------------------------------------------------------------------------
# Power asymmetry


def test_power_contest_layers_and_the_nobody_wins_convention():
    g = games.catalog.power_contest()
    assert g.shape == (3, 3, 3) and g.exact and g.players[0] == "Strong agent"
    assert g.criteria["value"] == ("participation", "balance")
    assert g.criteria["preference"] == g.players
    assert all(g.payoffs[(i, 0, 0, 0)] == 0 for i in range(3))     # prize not awarded
    assert value(g, "balance", (0, 0, 0)) == 0
    # strong 1, weak 1 and 0: p = (3/4, 1/4, 0), balance 1 - 10/16
    assert value(g, "balance", (1, 1, 0)) == Fraction(3, 8)
    assert g.payoffs[(1, 1, 1, 0)] == Fraction(3, 4) - 1


def test_power_contest_weak_agents_defer_to_the_strong_one():
    """Asymmetric Tullock contests (Baik 1994; Stein 2002): weaker contestants exert no
    more effort than the strong one, and drop out when the prize is small."""
    g = games.catalog.power_contest()
    eqs = pure_equilibria(g)
    assert eqs.profiles == [(1, 0, 0)]
    assert value(g, "participation", (1, 0, 0)) == Fraction(1, 3)
    assert value(g, "balance", (1, 0, 0)) == 0
    for prize in range(2, 13):
        for profile in pure_equilibria(games.catalog.power_contest(prize=prize)).profiles:
            assert profile[1] <= profile[0] and profile[2] <= profile[0], (prize, profile)


def test_power_contest_bad_arguments():
    for kwargs in ({"abilities": (3, 0, 1)}, {"abilities": (3,)}, {"efforts": (1, 0)},
                   {"prize": 0}, {"cost": -1}, {"abilities": "abc"}):
        with pytest.raises(InvalidArgumentError):
            games.catalog.power_contest(**kwargs)
    assert not games.catalog.power_contest(prize=3.0).exact


# ---------------------------------------------------------------------------------------
# Groupthink


def test_conformity_game_layers():
    g = games.catalog.conformity_game()
    assert g.shape == (3, 3, 3, 3) and g.players[0] == "Dominant agent"
    assert g.criteria["value"] == ("plurality", "representation")
    assert len(g.criteria["preference"]) == 4
    # everyone on its principal's option: shares (1/2, 1/4, 1/4)
    assert value(g, "plurality", (0, 1, 2, 0)) == Fraction(5, 8)
    assert value(g, "representation", (0, 1, 2, 0)) == 1
    pref = g.layers["preference"]
    assert [pref[(i, 0, 0, 0, 0)] for i in range(4)] == [1, 0, 0, 1]   # never summed


def test_conformity_game_groupthink_at_equilibrium():
    """With a conformity reward above the value of one's own preference every agent copies
    the dominant agent (Asch 1951; Janis 1972): one option, plurality 0."""
    g = games.catalog.conformity_game(conformity=2)
    eqs = pure_equilibria(g)
    assert eqs.profiles == [(0, 0, 0, 0)]
    assert value(g, "plurality", (0, 0, 0, 0)) == 0
    assert value(g, "representation", (0, 0, 0, 0)) == Fraction(1, 2)
    weak = games.catalog.conformity_game(conformity=Fraction(1, 2))
    assert pure_equilibria(weak).profiles == [(0, 1, 2, 0)]


def test_conformity_game_bad_arguments():
    for kwargs in ({"preferences": (0, 3)}, {"preferences": (0,)}, {"options": 1},
                   {"conformity": -1}, {"preferences": (0, 1.5)}):
        with pytest.raises(InvalidArgumentError):
            games.catalog.conformity_game(**kwargs)


def test_friedkin_johnsen_matches_its_closed_form():
    W = np.array([[1, 0, 0], [0.8, 0.2, 0], [0.5, 0.25, 0.25]])
    s = np.array([1.0, 0.1, 0.3])
    x0 = np.array([1.0, 0.0, -1.0])
    t = friedkin_johnsen(W, s, x0, steps=300)
    assert isinstance(t, OpinionTrajectory) and len(t) == 301
    A = np.diag(1 - s) @ W
    expected = np.linalg.solve(np.eye(3) - A, np.diag(s) @ x0)
    np.testing.assert_allclose(t.limit, expected, rtol=1e-12)
    np.testing.assert_allclose(t.final, expected, rtol=1e-9)
    assert t.to_dict()["limit"] == pytest.approx(expected.tolist())


def test_friedkin_johnsen_a_stubborn_influential_agent_pulls_everyone():
    """A fully stubborn agent that everybody weighs heavily: opinions converge near its
    own (Friedkin & Johnsen 1990)."""
    n = 5
    W = np.full((n, n), 0.05)
    W[:, 0] = 0.8
    W[0] = np.eye(n)[0]
    x0 = np.array([1.0, 0.0, 0.0, -1.0, 0.5])
    t = friedkin_johnsen(W, [1.0] + [0.05] * (n - 1), x0, steps=500)
    assert t.limit[0] == 1.0
    assert np.all(t.limit[1:] > 0.75)
    assert np.max(np.abs(t.final - 1.0)) < 0.25


def test_friedkin_johnsen_without_stubbornness_has_no_closed_form_and_bad_arguments():
    W = [[0.5, 0.5], [0.5, 0.5]]
    assert friedkin_johnsen(W, 0.0, [0.0, 1.0], steps=10).limit is None
    for args in (([[0.5, 0.6], [0.5, 0.5]], 0.5, [0, 1]), ([[1, 0]], 0.5, [0, 1]),
                 (W, 1.5, [0, 1]), (W, 0.5, [0, 1, 2]), (W, 0.5, "ab")):
        with pytest.raises(InvalidArgumentError):
            friedkin_johnsen(*args)
    with pytest.raises(InvalidArgumentError):
        friedkin_johnsen(W, 0.5, [0, 1], steps=0)


# ---------------------------------------------------------------------------------------
# Hierarchy


def test_leader_follower_commitment_moves_the_outcome_to_the_leader():
    """Conitzer & Sandholm (2006), von Stengel & Zamir (2010): commitment (1/2, 1/2) gives
    the leader 7/2 against its Nash payoff 2; the tiers' gap widens."""
    g = games.catalog.leader_follower()
    assert g.criteria["preference"] == ("leader principal", "follower principal")
    assert g.criteria["value"] == ("parity", "worst-off")
    eqs = mixed_equilibria(g)
    assert [e.profile for e in eqs] == [(0, 0)]
    se = games.stackelberg(g)
    assert se.leader_value == Fraction(7, 2) and se.nash_value == 2
    assert value(g, "parity", (0, 0)) == -1 and value(g, "worst-off", (0, 0)) == 1
    with pytest.raises(InvalidArgumentError):
        games.catalog.leader_follower(((1, 2),), ((1, 2), (3, 4)))
    with pytest.raises(InvalidArgumentError):
        games.catalog.leader_follower("ab")


def test_sequential_form_subgame_perfection_gives_the_leader_its_pure_commitment():
    """Selten (1965): in the sequential game the follower replies Left to Up and Right to
    Down, so the leader commits to Down and gets 3 (more than its Nash payoff 2 of the
    simultaneous game, less than its mixed commitment 7/2); the follower's threat of Left
    after Down gives a second, non-credible, equilibrium with the Nash outcome."""
    g = games.catalog.leader_follower()
    s = scenario_games.sequential_form(g)
    assert s.shape == (2, 4) and s.exact and s.criteria == g.criteria
    assert s.actions[1] == ("Up: Left, Down: Left", "Up: Left, Down: Right",
                            "Up: Right, Down: Left", "Up: Right, Down: Right")
    assert pure_equilibria(s).profiles == [(0, 0), (1, 1)]
    assert [tuple(s.payoffs[:, 1, 1])] == [(3, 1)] and s.payoffs[0, 0, 0] == 2
    assert value(s, "parity", (1, 1)) == -2 and value(s, "parity", (0, 1)) == -1
    # the follower's dominant responses are exactly its best replies after each move
    dominant = [f for f in range(4) if all(
        s.payoffs[1, a, f] >= s.payoffs[1, a, h] for a in range(2) for h in range(4))]
    assert dominant == [1]


def test_sequential_form_matches_the_outcome_played_for_either_leader():
    g = games.catalog.random_game((2, 3), seed=4)
    for leader in (0, 1):
        s = scenario_games.sequential_form(g, leader=leader)
        follower = 1 - leader
        assert s.shape[leader] == g.shape[leader]
        assert s.shape[follower] == g.shape[follower] ** g.shape[leader]
        for profile in np.ndindex(*s.shape):
            a = profile[leader]
            label = s.actions[follower][profile[follower]].split(", ")[a]
            reply = g.actions[follower].index(label.split(": ")[1])
            outcome = [0, 0]
            outcome[leader], outcome[follower] = a, reply
            assert np.array_equal(s.payoffs[(slice(None), *profile)],
                                  g.payoffs[(slice(None), *outcome)])
    with pytest.raises(InvalidArgumentError, match="leader"):
        scenario_games.sequential_form(g, leader=2)
    with pytest.raises(InvalidArgumentError, match="two-player"):
        scenario_games.sequential_form(games.catalog.public_goods(3))


def test_rank_order_tournament_transfers_are_measured_realisation_by_realisation():
    """A transfer pooling a share t of every realised prize vector scales each
    realisation's Gini by 1 - t (the Gini is scale-free and the total is kept), so the
    expected Gini of what is received scales by 1 - t; the expected prizes shrink to
    their mean the same way (the ``prize`` layer)."""
    t = Fraction(1, 2)

    def pool(prizes):
        mean = sum(prizes) / len(prizes)
        return [(1 - t) * x + t * mean for x in prizes]

    g = games.catalog.rank_order_tournament()
    h = games.catalog.rank_order_tournament(transfer=pool)
    assert g.criteria["prize"] == g.players
    assert np.all(1 - h.layers["value"] == (1 - t) * (1 - g.layers["value"]))
    assert np.all(h.layers["prize"] == (1 - t) * g.layers["prize"]
                  + t * g.layers["prize"].sum(axis=0) / 3)
    # at a symmetric profile everyone expects the mean prize, yet prizes are unequal ex post
    assert g.layers["prize"][(0, 2, 2, 2)] == 3 and g.layers["value"][(0, 2, 2, 2)] < 1
    with pytest.raises(InvalidArgumentError, match="transfer"):
        games.catalog.rank_order_tournament(transfer=3)
    with pytest.raises(InvalidArgumentError, match="transfer"):
        games.catalog.rank_order_tournament(transfer=lambda prizes: prizes[:2])


def test_rank_order_tournament_effort_rises_with_the_prize_spread():
    """Lazear & Rosen (1981): a larger spread between the prizes (same total) raises
    equilibrium effort; equal prizes buy none, and the tiers' disparity grows."""
    steep = games.catalog.rank_order_tournament(prizes=(6, 3, 0))
    flat = games.catalog.rank_order_tournament(prizes=(4, 3, 2))
    equal = games.catalog.rank_order_tournament(prizes=(3, 3, 3))
    assert steep.shape == (3, 3, 3) and steep.criteria["value"] == ("equality",)
    effort = {name: pure_equilibria(g).profiles for name, g in
              (("steep", steep), ("flat", flat), ("equal", equal))}
    assert effort == {"steep": [(2, 2, 2)], "flat": [(1, 1, 1)], "equal": [(0, 0, 0)]}
    assert value(steep, "equality", (2, 2, 2)) < value(flat, "equality", (1, 1, 1)) \
        < value(equal, "equality", (0, 0, 0)) == 1
    # symmetric profile: each worker expects the average prize
    assert steep.payoffs[(0, 2, 2, 2)] == 3 - 2


def test_rank_order_tournament_bad_arguments():
    for kwargs in ({"prizes": (0, 3, 6)}, {"prizes": (6, 3)}, {"n": 1}, {"cost": -1},
                   {"efforts": (1, 1)}, {"noise": ()}):
        with pytest.raises(InvalidArgumentError):
            games.catalog.rank_order_tournament(**kwargs)


# ---------------------------------------------------------------------------------------
# Disparity and sabotage


def test_sabotage_contest_shape_and_transitions():
    s = games.catalog.sabotage_contest()
    assert isinstance(s, games.MarkovGame)
    assert s.states == ("gap -2", "gap -1", "gap +0", "gap +1", "gap +2")
    assert s.stages[0].criteria["value"] == ("equality", "no sabotage")
    T = np.array(s.transitions, dtype=object)
    assert all(x == 1 for x in T.sum(axis=-1).ravel())
    # both low at an even gap: p1 = 1/2, the gap moves to +-1: equality 1 - 1/4
    assert value(s.stages[2], "equality", (0, 0)) == Fraction(3, 4)


def test_sabotage_is_a_best_reply_for_the_trailing_player():
    """Konrad (2000): sabotage pays when it changes the odds; the trailing contestant
    sabotages in equilibrium at gap -1, and an expensive enough sabotage disappears."""
    s = games.catalog.sabotage_contest()
    trailing = s.stages[1]                                  # contestant 1 behind by one
    sabotage = {2, 3}
    profiles = pure_equilibria(trailing).profiles
    assert profiles and all(p[0] in sabotage for p in profiles)
    assert all(value(trailing, "no sabotage", p) < 1 for p in profiles)
    costly = games.catalog.sabotage_contest(sabotage_cost=20)
    for stage in costly.stages:
        assert all(p[0] not in sabotage and p[1] not in sabotage
                   for p in pure_equilibria(stage).profiles)
    with pytest.raises(InvalidArgumentError):
        games.catalog.sabotage_contest(sabotage_cost=-1)


def test_compressed_prizes_make_sabotage_and_high_effort_dominated_in_every_stage():
    """Konrad (2000); Lazear (1989): sabotage pays through the rival's lost odds times the
    prize spread, so compressing the prizes removes it. One step of capability moves the
    Tullock odds 2^g x_1 / (2^g x_1 + x_2) by r / ((2r + 1)(r + 1)) for r = 2^g x_1 / x_2,
    at most 1/6 on the default grid (r = 1/2 or 1). With the prize 12 sabotage gains up to
    2 > its cost 1; with the prizes compressed to a quarter of their spread
    (mechanisms.ContestIntensity(1/4)) it gains at most 3/6 = 1/2 < 1, so in every stage
    each sabotage action is strictly dominated by the same effort without sabotage, and
    high effort by low effort (the same bound): (low, low) is the only equilibrium."""
    s = games.catalog.sabotage_contest()
    compress = ContestIntensity(Fraction(1, 4))
    low, high, low_s, high_s = range(4)
    spend = np.array([1, 2, 2, 3])                          # effort cost + sabotage cost
    largest_gain = Fraction(0)
    for stage in s.stages:
        prizes = stage.layers["prize"]
        assert stage.criteria["prize"] == stage.players and np.all(prizes.sum(axis=0) == 12)
        assert np.array_equal(prizes[0] - spend[:, None], stage.payoffs[0])
        assert np.array_equal(prizes[1] - spend[None, :], stage.payoffs[1])
        largest_gain = max(largest_gain, (prizes[0, low_s] - prizes[0, low]).max(),
                           (prizes[1][:, low_s] - prizes[1][:, low]).max())
        u = compress.apply(stage).payoffs
        for worse, better in ((low_s, low), (high_s, high), (high, low), (high_s, low_s)):
            assert (u[0, better] - u[0, worse]).min() >= Fraction(1, 2)
            assert (u[1][:, better] - u[1][:, worse]).min() >= Fraction(1, 2)
        assert pure_equilibria(compress.apply(stage)).profiles == [(low, low)]
    assert largest_gain == 2                                # 12 x 1/6


# ---------------------------------------------------------------------------------------
# Aid delivery


def test_aid_delivery_simple_is_unchanged_and_the_extended_game_keeps_the_dilemma():
    assert games.catalog.aid_delivery() == games.catalog.aid_delivery(simple=True)
    assert games.catalog.aid_delivery().shape == (2, 2, 2, 2)
    g = games.catalog.aid_delivery(simple=False)
    assert g.shape == (3, 3, 3, 3) and g.exact
    assert g.criteria["preference"] == g.players
    assert pure_equilibria(g).profiles == [(2, 2, 2, 2)]
    values = g.layers["value"]
    assert all(values[(k, 0, 0, 0, 0)] == values[k].max() for k in range(4))
    assert all(values[(k, 2, 2, 2, 2)] == 0 for k in range(4))
    aid = g.layers["objective"][0]
    best = np.unravel_index(np.argmax(aid.astype(float)), aid.shape)
    assert g.actions[3][best[3]] == "hub-and-spoke"
    with pytest.raises(InvalidArgumentError):
        games.catalog.aid_delivery(simple="no")


def test_scenario_games_docstring_examples_run():
    result = doctest.testmod(scenario_games, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted >= 6 and result.failed == 0


def test_aid_delivery_deadline_scales_the_urgent_criteria_and_closes_the_window():
    g = games.catalog.aid_delivery_deadline(days=2, urgency=Fraction(1, 2))
    assert g.states == ("day 1", "day 2", "after deadline")
    T = g.transitions
    assert np.all(T[0, ..., 1] == 1) and np.all(T[1, ..., 2] == 1) and np.all(T[2, ..., 2] == 1)
    base = games.catalog.aid_delivery(simple=False)
    day1, day2, closed = g.stages
    assert day2.payoffs[(0, 2, 2, 2, 2)] == base.payoffs[(0, 2, 2, 2, 2)]
    life = base.criteria["value"].index("protect life")
    assert day2.layers["value"][(life, 0, 0, 0, 0)] == base.layers["value"][
        (life, 0, 0, 0, 0)] / 2
    assert day1.layers["value"][(life, 0, 0, 0, 0)] == base.layers["value"][(life, 0, 0, 0, 0)]
    assert pure_equilibria(day2).profiles == [(2, 2, 2, 2)]
    assert not np.any(closed.float_payoffs)
    for kwargs in ({"days": 0}, {"urgency": 0}, {"urgency": 2}):
        with pytest.raises(InvalidArgumentError):
            games.catalog.aid_delivery_deadline(**kwargs)
