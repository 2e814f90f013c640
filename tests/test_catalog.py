"""The catalogue: known facts about classic games, the paper's aid-delivery scenario and
the random game generators."""

from __future__ import annotations

import doctest
import itertools
import math
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import games
from games import GameTooLargeError, InvalidArgumentError, catalog
from games.catalog import (
    aid_delivery,
    battle_of_the_sexes,
    bertrand,
    bertrand_benchmarks,
    by_name,
    chicken,
    commons,
    contest,
    coordination,
    cournot,
    covariance_game,
    hawk_dove,
    matching_pennies,
    prisoners_dilemma,
    public_goods,
    random_game,
    rock_paper_scissors,
    stag_hunt,
)

# ---------------------------------------------------------------------------------------
# Brute-force helpers (small games only)


def pure_equilibria(game: games.Game, tol: float = 1e-12) -> list[tuple[int, ...]]:
    """Every pure Nash equilibrium by checking each unilateral deviation of each profile."""
    u = game.payoffs
    slack = 0 if game.exact else tol
    found = []
    for profile in np.ndindex(*game.shape):
        if all(max(u[(i, *profile[:i], b, *profile[i + 1:])] for b in range(game.shape[i]))
               <= u[(i, *profile)] + slack for i in range(game.n_players)):
            found.append(tuple(int(a) for a in profile))
    return found


def payoff_vector(game: games.Game, profile: tuple[int, ...]) -> tuple:
    return tuple(game.payoffs[(i, *profile)] for i in range(game.n_players))


def pareto_dominates(x, y) -> bool:
    return all(a >= b for a, b in zip(x, y)) and any(a > b for a, b in zip(x, y))


def strictly_dominant(game: games.Game, player: int, action: int) -> bool:
    """``action`` is strictly better for ``player`` than every other action against every
    profile of the others."""
    u = np.moveaxis(game.payoffs[player], player, 0)
    return all(np.all(u[action] > u[b]) for b in range(game.shape[player]) if b != action)


# ---------------------------------------------------------------------------------------
# Prisoner's dilemma and the donation game


@pytest.mark.parametrize("game", [
    prisoners_dilemma(),
    prisoners_dilemma(b=3, c=1),
    prisoners_dilemma(T=Fraction(7, 2), R=3, P=-1, S=-2),
    prisoners_dilemma(T=5.5, R=3.0, P=1.0, S=0.0),
], ids=["classic", "donation", "fractions", "floats"])
def test_prisoners_dilemma_defection_is_the_unique_equilibrium_pareto_dominated_by_cooperation(
        game):
    """(D, D) is the unique pure equilibrium and (C, C) Pareto-dominates it (Rapoport &
    Chammah 1965); cooperation is action 0."""
    assert game.actions == (("C", "D"), ("C", "D"))
    assert pure_equilibria(game) == [(1, 1)]
    assert all(strictly_dominant(game, i, 1) for i in range(2))
    assert pareto_dominates(payoff_vector(game, (0, 0)), payoff_vector(game, (1, 1)))


def test_classic_prisoners_dilemma_has_axelrods_payoffs():
    g = prisoners_dilemma()
    assert g.exact
    assert g.payoffs[0].tolist() == [[3, 0], [5, 1]]
    assert g.payoffs[1].tolist() == [[3, 5], [0, 1]]


@given(st.fractions(min_value=0, max_value=20).filter(lambda c: c > 0),
       st.fractions(min_value=0, max_value=20).filter(lambda d: d > 0))
@settings(max_examples=40, deadline=None)
def test_donation_game_pays_b_minus_c_when_both_give_and_keeps_exact_fractions(c, extra):
    """Nowak (2006): R = b - c, S = -c, T = b, P = 0 for any b > c > 0."""
    b = c + extra
    g = prisoners_dilemma(b=b, c=c)
    assert g.exact
    assert g.payoffs[0].tolist() == [[b - c, -c], [b, 0]]
    assert np.array_equal(g.payoffs[1], g.payoffs[0].T)
    assert pure_equilibria(g) == [(1, 1)]


def test_donation_game_with_a_float_is_a_float_game():
    g = prisoners_dilemma(b=2.5, c=1)
    assert not g.exact and g.payoffs[0].tolist() == [[1.5, -1.0], [2.5, 0.0]]


@pytest.mark.parametrize("kwargs, message", [
    (dict(b=1, c=2), "b: expected b > c > 0 for a donation game, found b=1, c=2"),
    (dict(b=2, c=0), "c: expected b > c > 0 for a donation game, found b=2, c=0"),
    (dict(b=2), "c: expected both b and c"),
    (dict(b=2, c=1, T=5), "either the donation game's (b, c) or (T, R, P, S)"),
    (dict(T=5, R=3), "P: expected all of T, R, P, S"),
    (dict(T=3, R=5, P=1, S=0), "T: expected T > R > P > S for a prisoner's dilemma, found "
                               "T=3, R=5, P=1, S=0"),
    (dict(T=5, R=3, P=1, S=1), "P: expected T > R > P > S"),
    (dict(b="2", c=1), "b: expected a number for a donation game, found str '2'"),
    (dict(b=float("inf"), c=1), "b: expected a finite number"),
    (dict(b=True, c=0.5), "b: expected a number"),
])
def test_prisoners_dilemma_rejects_bad_parameters_naming_them(kwargs, message):
    with pytest.raises(InvalidArgumentError) as err:
        prisoners_dilemma(**kwargs)
    assert message in str(err.value)


def test_donation_game_shortcut_equals_the_parametrised_prisoners_dilemma():
    assert catalog.donation_game(3, 1) == prisoners_dilemma(b=3, c=1)


# ---------------------------------------------------------------------------------------
# Other 2x2 classics


@pytest.mark.parametrize("game", [prisoners_dilemma(), stag_hunt(), chicken(), hawk_dove(),
                                  rock_paper_scissors(), coordination(3)])
def test_symmetric_classics_are_symmetric(game):
    assert game.actions[0] == game.actions[1]
    assert np.array_equal(game.payoffs[1], game.payoffs[0].T)


def test_stag_hunt_has_two_strict_pure_equilibria_stag_payoff_dominant():
    """Both (Stag, Stag) and (Hare, Hare) are equilibria; the first is payoff-dominant
    (Harsanyi & Selten 1988)."""
    g = stag_hunt()
    assert g.actions[0] == ("Stag", "Hare")
    assert pure_equilibria(g) == [(0, 0), (1, 1)]
    assert pareto_dominates(payoff_vector(g, (0, 0)), payoff_vector(g, (1, 1)))
    assert pure_equilibria(stag_hunt(R=5, T=4, P=2, S=1)) == [(0, 0), (1, 1)]
    with pytest.raises(InvalidArgumentError, match="T: expected R > T >= P > S"):
        stag_hunt(R=4, T=1, P=3, S=0)
    with pytest.raises(InvalidArgumentError, match="R: expected R > T >= P > S"):
        stag_hunt(R=3, T=3, P=2, S=0)


def test_chicken_has_exactly_the_two_asymmetric_pure_equilibria():
    g = chicken()
    assert pure_equilibria(g) == [(0, 1), (1, 0)]
    assert pure_equilibria(chicken(T=4, R=3, S=2, P=1)) == [(0, 1), (1, 0)]
    with pytest.raises(InvalidArgumentError, match="S: expected T > R > S > P"):
        chicken(T=4, R=3, S=1, P=2)


def test_chicken_mixed_equilibrium_makes_both_actions_equally_good():
    """The symmetric mixed equilibrium plays Straight with probability
    (T - R) / ((T - R) + (S - P)) = 1/10 by default."""
    g = chicken()
    q = Fraction(1, 10)
    mixed = [[1 - q, q], [1 - q, q]]
    assert g.regret(mixed) == 0
    assert g.action_payoffs(mixed)[0].tolist() == [-q, (1 - q) * 1 + q * -10]


def test_hawk_dove_is_chicken_when_cost_exceeds_value_with_ess_hawk_share_v_over_c():
    """Maynard Smith & Price (1973): for C > V the mixed ESS plays Hawk with probability
    V/C; both asymmetric profiles are the pure equilibria."""
    g = hawk_dove(V=2, C=6)
    assert g.actions[0] == ("Dove", "Hawk")
    assert pure_equilibria(g) == [(0, 1), (1, 0)]
    h = Fraction(2, 6)
    assert g.regret([[1 - h, h], [1 - h, h]]) == 0
    assert g.payoffs[0, 1, 1] == Fraction(2 - 6, 2)


def test_hawk_dove_with_cost_below_value_is_a_dilemma_where_hawk_dominates():
    g = hawk_dove(V=4, C=2)
    assert pure_equilibria(g) == [(1, 1)]
    assert pareto_dominates(payoff_vector(g, (0, 0)), payoff_vector(g, (1, 1)))
    with pytest.raises(InvalidArgumentError, match="C: expected V > 0 and C > 0 for hawk-dove"):
        hawk_dove(V=1, C=0)


def test_hawk_dove_halves_odd_values_exactly():
    g = hawk_dove(V=3, C=5)
    assert g.exact and g.payoffs[0, 0, 0] == Fraction(3, 2) and g.payoffs[0, 1, 1] == -1


def test_battle_of_the_sexes_has_two_pure_equilibria_each_favouring_one_player():
    g = battle_of_the_sexes()
    assert pure_equilibria(g) == [(0, 0), (1, 1)]
    opera, football = payoff_vector(g, (0, 0)), payoff_vector(g, (1, 1))
    assert opera[0] > opera[1] and football[1] > football[0]
    with pytest.raises(InvalidArgumentError, match="low: expected high > low > miss"):
        battle_of_the_sexes(high=2, low=0, miss=0)


@pytest.mark.parametrize("n_actions, n_players", [(2, 2), (3, 2), (2, 3), (3, 4)])
def test_pure_coordination_pays_one_exactly_on_the_diagonal_to_everybody(n_actions, n_players):
    g = coordination(n_actions, n_players)
    assert g.shape == (n_actions,) * n_players and g.exact
    for profile in np.ndindex(*g.shape):
        expected = 1 if len(set(profile)) == 1 else 0
        assert [g.payoffs[(i, *profile)] for i in range(n_players)] == [expected] * n_players
    diagonal = [(k,) * n_players for k in range(n_actions)]
    found = pure_equilibria(g)
    assert all(d in found for d in diagonal)
    if n_players == 2:
        assert found == diagonal


def test_coordination_rejects_fewer_than_two_options_or_players():
    with pytest.raises(InvalidArgumentError, match="n_actions: expected an integer >= 2"):
        coordination(1)
    with pytest.raises(InvalidArgumentError, match="n_players: expected an integer >= 2"):
        coordination(2, 1)


@pytest.mark.parametrize("game", [matching_pennies(), matching_pennies(Fraction(5, 2)),
                                  rock_paper_scissors(), rock_paper_scissors(2, -2, 0)])
def test_matching_pennies_and_rock_paper_scissors_are_zero_sum_without_pure_equilibria(game):
    """Zero-sum with a uniform equilibrium of value 0 (von Neumann 1928)."""
    assert game.exact
    assert np.all(game.payoffs.sum(axis=0) == 0)
    assert pure_equilibria(game) == []
    uniform = [[Fraction(1, k)] * k for k in game.shape]
    assert game.regret(uniform) == 0
    assert game.expected_payoffs(uniform).tolist() == [0, 0]


def test_rock_paper_scissors_paper_beats_rock_and_general_payoffs_keep_no_pure_equilibrium():
    g = rock_paper_scissors()
    assert g.payoffs[0, g.action_index(0, "Paper"), g.action_index(1, "Rock")] == 1
    assert g.payoffs[0, g.action_index(0, "Rock"), g.action_index(1, "Scissors")] == 1
    assert g.payoffs[0, g.action_index(0, "Scissors"), g.action_index(1, "Paper")] == 1
    h = rock_paper_scissors(win=2, lose=-1, tie=0)
    assert not np.all(h.payoffs.sum(axis=0) == 0)
    assert pure_equilibria(h) == []
    with pytest.raises(InvalidArgumentError, match="tie: expected win > tie > lose"):
        rock_paper_scissors(win=1, lose=1, tie=0)


# ---------------------------------------------------------------------------------------
# Public goods and the commons


@pytest.mark.parametrize("n, r", [(2, Fraction(3, 2)), (3, 2), (4, 2), (5, 3), (6, 5.5)])
def test_public_goods_with_1_lt_r_lt_n_defect_dominates_and_full_contribution_is_better(n, r):
    """Ledyard (1995): for 1 < r < n free riding strictly dominates, yet everybody
    contributing Pareto-dominates nobody contributing."""
    g = public_goods(n=n, r=r, c=1)
    assert g.actions[0] == ("Contribute", "Defect")
    assert all(strictly_dominant(g, i, 1) for i in range(n))
    assert pure_equilibria(g) == [(1,) * n]
    assert pareto_dominates(payoff_vector(g, (0,) * n), payoff_vector(g, (1,) * n))


def test_public_goods_with_r_above_n_makes_contributing_dominant():
    g = public_goods(n=3, r=4)
    assert all(strictly_dominant(g, i, 0) for i in range(3))
    assert pure_equilibria(g) == [(0, 0, 0)]


@given(st.integers(2, 5), st.fractions(min_value=0, max_value=8).filter(lambda r: r > 0),
       st.fractions(min_value=0, max_value=3).filter(lambda c: c > 0))
@settings(max_examples=30, deadline=None)
def test_public_goods_payoffs_follow_the_linear_formula_exactly(n, r, c):
    """u_i = r c k / n - c [i contributes], k the number of contributors."""
    g = public_goods(n=n, r=r, c=c)
    assert g.exact
    for profile in np.ndindex(*g.shape):
        k = profile.count(0)
        for i in range(n):
            assert g.payoffs[(i, *profile)] == r * c * k / n - c * (profile[i] == 0)


def test_public_goods_rejects_bad_parameters():
    with pytest.raises(InvalidArgumentError, match="n: expected an integer >= 2"):
        public_goods(n=1)
    with pytest.raises(InvalidArgumentError, match="r: expected r > 0 and c > 0 .* found r=0, c=1"):
        public_goods(n=3, r=0)
    with pytest.raises(InvalidArgumentError, match="c: expected r > 0 and c > 0"):
        public_goods(n=3, r=2, c=-1)


def test_public_goods_refuses_a_huge_game_before_allocating():
    with pytest.raises(GameTooLargeError):
        public_goods(n=60)


def test_commons_default_has_a_unique_overharvesting_equilibrium_pareto_dominated():
    """Hardin (1968): at (3, 3, 3) each earns 9, while the welfare-maximising (2, 2, 2)
    gives each 12."""
    g = commons()
    assert g.exact and g.shape == (3, 3, 3)
    assert pure_equilibria(g) == [(2, 2, 2)]
    welfare = g.payoffs.sum(axis=0)
    assert welfare[1, 1, 1] == welfare.max()
    assert pareto_dominates(payoff_vector(g, (1, 1, 1)), payoff_vector(g, (2, 2, 2)))


def test_commons_payoff_is_harvest_times_remaining_capacity_even_below_zero():
    g = commons(n=2, levels=(0, 5, 9), capacity=10)
    for profile in np.ndindex(*g.shape):
        x = [(0, 5, 9)[a] for a in profile]
        assert payoff_vector(g, profile) == tuple(xi * (10 - sum(x)) for xi in x)
    assert g.payoffs[0, 2, 2] < 0
    with pytest.raises(InvalidArgumentError, match="levels: expected values >= 0"):
        commons(levels=(-1, 2))
    with pytest.raises(InvalidArgumentError, match="capacity: expected capacity > 0"):
        commons(capacity=0)


# ---------------------------------------------------------------------------------------
# Markets


def test_bertrand_benchmarks_reproduce_calvano_et_al_baseline():
    """Calvano et al. (2020): p^N = 1.47293, p^M = 1.92498; profits 0.22293 and 0.33749;
    grid from about 1.4277 to 1.9702 in steps of about 0.03875."""
    bm = bertrand_benchmarks()
    assert np.allclose(bm.nash_prices, 1.47293, atol=5e-6)
    assert np.allclose(bm.monopoly_prices, 1.92498, atol=5e-6)
    assert np.allclose(bm.nash_profits, 0.22293, atol=5e-6)
    assert np.allclose(bm.monopoly_profits, 0.33749, atol=5e-6)
    assert len(bm.grid) == 15
    assert bm.grid[0] == pytest.approx(1.4277, abs=1e-4)
    assert bm.grid[-1] == pytest.approx(1.9702, abs=1e-4)
    assert np.allclose(np.diff(bm.grid), 0.03875, atol=1e-5)


def _profit(p, i, cost=1.0, quality=2.0, outside=0.0, mu=0.25):
    e = np.exp((quality - np.asarray(p)) / mu)
    return (p[i] - cost) * e[i] / (e.sum() + math.exp(outside / mu))


@pytest.mark.parametrize("n_firms", [2, 3])
def test_bertrand_nash_prices_are_mutual_best_responses_and_monopoly_maximises_joint_profit(
        n_firms):
    bm = bertrand_benchmarks(n_firms)
    nash, monopoly = bm.nash_prices, bm.monopoly_prices
    for i in range(n_firms):
        for step in (-1e-3, 1e-3):
            moved = nash.copy()
            moved[i] += step
            assert _profit(moved, i) < _profit(nash, i)
    joint = sum(_profit(monopoly, i) for i in range(n_firms))
    for step in (-1e-3, 1e-3):
        assert sum(_profit(monopoly + step, i) for i in range(n_firms)) < joint


def test_bertrand_game_payoffs_are_logit_profits_on_the_grid():
    g = bertrand()
    grid = bertrand_benchmarks().grid
    assert not g.exact and g.shape == (15, 15) and g.players == ("Firm 1", "Firm 2")
    assert np.allclose(g.payoffs[1], g.payoffs[0].T, rtol=1e-13, atol=0)
    for a, b in [(0, 0), (3, 11), (14, 2)]:
        p = np.array([grid[a], grid[b]])
        assert g.payoffs[0, a, b] == pytest.approx(_profit(p, 0), rel=1e-12)
        assert g.payoffs[1, a, b] == pytest.approx(_profit(p, 1), rel=1e-12)


def test_bertrand_grid_equilibria_lie_next_to_the_nash_price_below_the_collusive_profit():
    """On the grid the one-shot equilibria sit at the grid points around p^N, far from
    the joint-profit maximum near p^M (the collusion gap)."""
    g = bertrand()
    grid = bertrand_benchmarks().grid
    found = pure_equilibria(g)
    assert found and all(abs(grid[a] - 1.47293) < 0.04 for e in found for a in e)
    welfare = g.payoffs.sum(axis=0)
    best = np.unravel_index(np.argmax(welfare), g.shape)
    assert all(abs(grid[a] - 1.92498) < 0.04 for a in best)
    assert all(welfare[best] > welfare[e] for e in found)


def test_bertrand_consumer_surplus_falls_when_prices_rise():
    g = bertrand()
    surplus = g.layers["value"][0]
    assert g.criteria["value"] == ("consumer surplus",)
    assert np.all(np.diff(surplus, axis=0) < 0) and np.all(np.diff(surplus, axis=1) < 0)


def test_bertrand_accepts_an_explicit_grid_and_asymmetric_firms():
    g = bertrand(prices=[1.5, 1.75, 2.0], cost=[1, 1.2], quality=[2, 2.5])
    assert g.shape == (3, 3) and g.actions[0] == ("p=1.5", "p=1.75", "p=2")
    p = np.array([1.75, 2.0])
    e = np.exp((np.array([2, 2.5]) - p) / 0.25)
    assert g.payoffs[1, 1, 2] == pytest.approx((2.0 - 1.2) * e[1] / (e.sum() + 1))


def test_bertrand_rejects_bad_parameters():
    with pytest.raises(InvalidArgumentError, match="mu: expected mu > 0"):
        bertrand(mu=0)
    with pytest.raises(InvalidArgumentError, match="cost: expected one number or 2"):
        bertrand(cost=[1, 1, 1])
    with pytest.raises(InvalidArgumentError, match="prices: expected distinct values"):
        bertrand(prices=[1.5, 1.5])
    with pytest.raises(InvalidArgumentError, match="m: expected an integer >= 1"):
        bertrand(m=0)
    with pytest.raises(GameTooLargeError):
        bertrand(n_firms=12)


def test_cournot_default_equilibrium_is_3_3_while_2_2_is_more_profitable():
    """Linear Cournot: q_i = (a - c)/(b (n + 1)) = 19/6 with continuous quantities;
    collusion splits (a - c)/(2b) = 19/4."""
    g = cournot()
    assert g.exact and pure_equilibria(g) == [(3, 3)]
    assert pareto_dominates(payoff_vector(g, (2, 2)), payoff_vector(g, (3, 3)))
    assert g.layers["value"][0, 3, 3] > g.layers["value"][0, 2, 2]
    assert g.payoffs[0, 6, 6] == -12  # price floored at zero, cost still paid


# ---------------------------------------------------------------------------------------
# Contests


def test_tullock_contest_default_equilibrium_is_effort_two():
    """Tullock (1980): the symmetric equilibrium effort is V (n - 1)/n^2 = 2 for V = 8."""
    g = contest()
    assert g.exact and pure_equilibria(g) == [(2, 2)]


@given(st.integers(2, 3), st.fractions(min_value=0, max_value=1))
@settings(max_examples=30, deadline=None)
def test_contest_distributes_the_whole_prize_at_every_profile(n, t):
    """sum_i (u_i + cost x_i) = V: the prize is always fully paid out, whatever share."""
    share = Fraction(1, n) + t * (1 - Fraction(1, n))
    levels = (0, 1, 3)
    g = contest(n=n, levels=levels, prize=6, cost=Fraction(1, 2), share=share)
    for profile in np.ndindex(*g.shape):
        spent = sum(Fraction(1, 2) * levels[a] for a in profile)
        assert sum(payoff_vector(g, profile)) + spent == 6


def test_lower_winner_share_lowers_equilibrium_effort_down_to_zero_at_one_over_n():
    """Contest-intensity reduction: the effective prize V (n s - 1)/(n - 1) falls with
    the winner's share s; at s = 1/n zero effort strictly dominates."""
    efforts = {}
    for share in (1, Fraction(3, 4), Fraction(1, 2)):
        found = pure_equilibria(contest(share=share))
        assert len(found) == 1 and found[0][0] == found[0][1]
        efforts[share] = found[0][0]
    assert efforts[1] > efforts[Fraction(3, 4)] > efforts[Fraction(1, 2)] == 0
    flat = contest(n=3, levels=(0, 1, 2), share=Fraction(1, 3))
    assert all(strictly_dominant(flat, i, 0) for i in range(3))


def test_contest_with_no_effort_splits_the_prize_equally_and_validates_share():
    g = contest(n=3, levels=(0, 2), prize=9)
    assert payoff_vector(g, (0, 0, 0)) == (3, 3, 3)
    assert payoff_vector(g, (1, 0, 0)) == (9 - 2, 0, 0)
    with pytest.raises(InvalidArgumentError, match=r"share: expected 1/3 <= share <= 1"):
        contest(n=3, share=Fraction(1, 4))
    with pytest.raises(InvalidArgumentError, match="share: expected 1/2 <= share <= 1"):
        contest(share=1.5)
    assert not contest(share=0.75).exact


# ---------------------------------------------------------------------------------------
# The paper's aid-delivery game


AID = aid_delivery()
ALIGNED = (0, 0, 0, 0)
OBJECTIVE_OPTIMAL = (1, 0, 0, 1)
COMPROMISE = (0, 1, 1, 1)
SELFISH = (1, 1, 1, 1)


def _layer(name: str, profile: tuple[int, ...]) -> tuple:
    return tuple(AID.layers[name][(slice(None), *profile)])


def _respected(profile: tuple[int, ...]) -> list[bool]:
    """A value is respected when its score reaches half the criterion's maximum."""
    values = AID.layers["value"]
    return [values[(k, *profile)] * 2 >= values[k].max() for k in range(values.shape[0])]


def test_aid_delivery_models_the_papers_agents_with_exact_layers():
    g = AID
    assert g.players == ("NGO", "Government A", "Government B", "Logistics")
    assert g.shape == (2, 2, 2, 2) and g.exact
    assert g.actions[0] == ("need-based", "visibility")
    assert g.actions[1] == g.actions[2] == ("open airspace", "citizens first")
    assert g.actions[3] == ("priority-to-need", "cost-efficient")
    assert g.criteria["objective"] == ("aid delivered",)
    assert g.criteria["value"] == ("protect life", "transparency", "international law",
                                   "no bias")
    assert g.criteria["preference"] == g.players
    for arr in g.explicit_layers.values():
        assert all(isinstance(x, Fraction) and x.denominator == 1 for x in arr.flat)


def test_aid_delivery_unique_equilibrium_is_the_selfish_profile_in_dominant_strategies():
    assert pure_equilibria(AID) == [SELFISH]
    assert all(strictly_dominant(AID, i, 1) for i in range(4))


def test_aid_delivery_equilibrium_is_objective_reasonable_but_respects_no_value():
    aid = AID.layers["objective"][0]
    assert aid[SELFISH] >= np.median(aid.astype(float))
    assert aid[SELFISH] > aid[COMPROMISE]
    assert not any(_respected(SELFISH))


def test_aid_delivery_is_a_social_dilemma_equilibrium_payoffs_pareto_dominated():
    assert pareto_dominates(payoff_vector(AID, OBJECTIVE_OPTIMAL), payoff_vector(AID, SELFISH))
    # mixed motive: payoffs neither identical nor constant-sum
    flat = AID.float_payoffs.reshape(4, -1)
    assert not np.all(flat == flat[0]) and np.ptp(flat.sum(axis=0)) > 0


def test_aid_delivery_objective_optimum_violates_values():
    """Focusing only on the task (Carichon et al. 2025, Table 1) violates human values."""
    aid = AID.layers["objective"][0]
    maxima = [p for p in np.ndindex(*AID.shape) if aid[p] == aid.max()]
    assert maxima == [OBJECTIVE_OPTIMAL]
    assert sum(not r for r in _respected(OBJECTIVE_OPTIMAL)) >= 2
    assert OBJECTIVE_OPTIMAL not in pure_equilibria(AID)


def test_aid_delivery_preference_compromise_violates_values():
    """Focusing only on resolving preference conflicts violates human values too: the
    egalitarian and the utilitarian compromise between the principals agree."""
    prefs = AID.layers["preference"]
    least = prefs.min(axis=0)
    total = prefs.sum(axis=0)
    egalitarian = [p for p in np.ndindex(*AID.shape) if least[p] == least.max()]
    utilitarian = [p for p in np.ndindex(*AID.shape) if total[p] == total.max()]
    assert egalitarian == utilitarian == [COMPROMISE]
    assert sum(not r for r in _respected(COMPROMISE)) >= 2


def test_aid_delivery_holistic_outcome_is_good_on_all_three_but_not_an_equilibrium():
    values = AID.layers["value"]
    assert all(values[(k, *ALIGNED)] == values[k].max() for k in range(values.shape[0]))
    aid = AID.layers["objective"][0]
    assert aid[ALIGNED] > aid[SELFISH] and aid[ALIGNED] >= np.median(aid.astype(float))
    assert min(_layer("preference", ALIGNED)) > 0
    assert min(_layer("preference", ALIGNED)) > min(_layer("preference", SELFISH))
    assert AID.regret(ALIGNED) > 0
    gains = AID.regret(ALIGNED, per_player=True)
    assert all(g > 0 for g in gains)  # every agent is tempted: it needs a mechanism


def test_aid_delivery_holistic_outcome_is_pareto_optimal_across_all_criteria():
    def criteria(p):
        return sum((_layer(name, p) for name in ("objective", "value", "preference")), ())
    target = criteria(ALIGNED)
    assert not any(pareto_dominates(criteria(p), target) for p in np.ndindex(*AID.shape))


def test_aid_delivery_docstring_table_matches_the_game():
    """Every row of the documented outcome table is the game's numbers."""
    doc = aid_delivery.__doc__
    for profile in itertools.product((0, 1), repeat=4):
        key = "".join(map(str, profile))
        line = next(ln for ln in doc.splitlines() if ln.strip().startswith(key + " "))
        numbers = [int(x) for x in
                   line.replace("(", " ").replace(")", " ").replace(",", " ").split()[1:]
                   if x.lstrip("-").isdigit()]
        expected = ([_layer("objective", profile)[0]] + list(payoff_vector(AID, profile))
                    + list(_layer("value", profile)) + list(_layer("preference", profile)))
        assert numbers == expected, key


# ---------------------------------------------------------------------------------------
# Random games


def test_random_game_is_reproducible_from_a_seed_and_differs_across_seeds():
    a = random_game((3, 4, 2), seed=7)
    assert a == random_game((3, 4, 2), seed=7)
    assert a != random_game((3, 4, 2), seed=8)
    assert np.array_equal(a.payoffs, random_game((3, 4, 2), seed=np.random.default_rng(7)).payoffs)
    assert not a.exact and a.shape == (3, 4, 2) and a.n_players == 3


def test_random_game_floats_lie_in_the_half_open_range():
    g = random_game((30, 30), seed=1, low=-2, high=3)
    assert g.payoffs.min() >= -2 and g.payoffs.max() < 3
    assert g.payoffs.min() < -1.9 and g.payoffs.max() > 2.9


def test_random_integer_game_is_exact_and_reaches_both_endpoints():
    g = random_game((20, 20), seed=3, low=-1, high=2, integer=True)
    assert g.exact
    assert set(int(x) for x in g.payoffs.flat) == {-1, 0, 1, 2}


@pytest.mark.parametrize("call, message", [
    (lambda: random_game((2, 0)), "shape[1]: expected an integer >= 1"),
    (lambda: random_game("22"), "shape: expected a sequence"),
    (lambda: random_game((2, 2), low=1, high=1), "high: expected low < high"),
    (lambda: random_game((2, 2), low=0.5, high=3, integer=True), "low: expected an integer"),
    (lambda: random_game((2, 2), low=3, high=1, integer=True), "high: expected low <= high"),
    (lambda: random_game((2, 2), seed="abc"), "seed: expected None, an integer"),
    (lambda: covariance_game((2, 2), rho=-1.5), "rho: expected -1/1 <= rho <= 1"),
    (lambda: covariance_game((2, 2, 2), rho=-0.6), "rho: expected -1/2 <= rho <= 1"),
    (lambda: covariance_game((2, 2), rho=1.01), "rho: expected"),
    (lambda: covariance_game((4,), rho=0), "shape: expected at least 2 players"),
])
def test_random_generators_reject_bad_parameters(call, message):
    with pytest.raises(InvalidArgumentError) as err:
        call()
    assert message in str(err.value)


@pytest.mark.parametrize("make", [
    lambda: random_game((10**5,) * 3, seed=0),
    lambda: random_game((10**4,) * 3, integer=True),
    lambda: covariance_game((10**5,) * 3, rho=0.5),
])
def test_random_generators_refuse_huge_games_before_allocating(make):
    with pytest.raises(GameTooLargeError):
        make()


@pytest.mark.parametrize("n, rho", [(2, 0.5), (2, -0.7), (3, 0.25), (3, -0.3), (4, 0.0)])
def test_covariance_game_payoff_correlation_is_close_to_rho(n, rho):
    """Rinott & Scarsini (2000): unit-variance normal payoffs with pairwise correlation
    rho across players at each profile."""
    side = {2: 300, 3: 45, 4: 15}[n]
    g = covariance_game((side,) * n, rho=rho, seed=11)
    flat = g.payoffs.reshape(n, -1)
    corr = np.corrcoef(flat)
    off = corr[~np.eye(n, dtype=bool)]
    assert np.all(np.abs(off - rho) < 0.02)
    assert np.all(np.abs(flat.std(axis=1) - 1) < 0.02)
    assert np.all(np.abs(flat.mean(axis=1)) < 0.02)


@pytest.mark.parametrize("n", [2, 3, 5])
def test_covariance_game_boundaries_give_constant_sum_and_identical_payoffs(n):
    """rho = -1/(n-1) makes payoffs sum to zero at every profile; rho = 1 makes them equal."""
    shape = (4,) * n
    low = covariance_game(shape, rho=Fraction(-1, n - 1), seed=2)
    assert np.abs(low.payoffs.sum(axis=0)).max() < 1e-12
    assert np.all(np.abs(low.payoffs.reshape(n, -1).std(axis=1) - 1) < 0.5)
    also_low = covariance_game(shape, rho=-1 / (n - 1), seed=2)
    assert np.abs(also_low.payoffs.sum(axis=0)).max() < 1e-12
    high = covariance_game(shape, rho=1, seed=2)
    assert np.allclose(high.payoffs, high.payoffs[0])
    assert covariance_game(shape, rho=0.3, seed=5) == covariance_game(shape, rho=0.3, seed=5)


# ---------------------------------------------------------------------------------------
# The catalogue's names


REQUIRED = ("prisoners_dilemma", "stag_hunt", "chicken", "hawk_dove", "battle_of_the_sexes",
            "coordination", "matching_pennies", "rock_paper_scissors", "public_goods",
            "commons", "bertrand", "contest", "aid_delivery")


@pytest.mark.parametrize("name", sorted(catalog.CATALOG))
def test_every_catalogue_entry_builds_a_titled_game_with_named_actions(name):
    g = catalog.CATALOG[name]()
    assert isinstance(g, games.Game) and g.title
    assert g == by_name(name)
    assert all(not a.isdigit() for acts in g.actions for a in acts)
    assert games.Game.from_dict(g.to_dict()) == g


def test_catalogue_has_the_required_names_and_by_name_forgives_spelling():
    assert set(REQUIRED) <= set(catalog.names())
    assert list(catalog.names()) == sorted(catalog.CATALOG)
    assert by_name("Prisoners-Dilemma") == prisoners_dilemma()


def test_by_name_rejects_an_unknown_name_listing_the_known_ones():
    with pytest.raises(InvalidArgumentError) as err:
        by_name("tragedy")
    text = str(err.value)
    assert "'tragedy'" in text and all(name in text for name in REQUIRED)


def test_catalogue_docstring_examples_run():
    result = doctest.testmod(catalog, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 20 and result.failed == 0
