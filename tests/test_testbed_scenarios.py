"""Each testbed scenario shows the misalignment it claims under its quick dynamics, and
the mechanisms that realign it are named exactly (issue 18, "Done when").

A scenario is *misaligned* when most sessions end with its value criterion below its
threshold (``TestbedRow.share_misaligned > 1/2``); a mechanism *realigns* it when most
sessions end with the criterion at or above the threshold (``share_misaligned < 1/2``).
The learners are seeded, so each expectation is deterministic.
"""

import pytest

import mechanisms.testbed as T
from mechanisms.testbed.runner import measure


def rows(name):
    """The scenario's rows under its quick dynamics, by mechanism label."""
    return {label: measure(name, label, quick=True) for label in T.scenario(name).labels()}


def realigning(table):
    return {label for label, r in table.items()
            if label != T.NO_MECHANISM and r.share_misaligned < 0.5}


def not_realigning(table):
    return {label for label in table if label != T.NO_MECHANISM} - realigning(table)


def test_aid_delivery_selfish_routing_and_the_mechanisms_that_bind():
    """Carichon et al. (2025), running example and Section 6: each principal's preference
    (visibility, citizens first, cost) makes selfish routing the learners' outcome, so
    "protect life" ends below its threshold. A contract with damages above the gain of
    deviating, monitoring with a fine to match, or a judge paying for values make the
    aligned routing the best reply (Holmstrom 1979 for contracts and monitoring). Sharing
    half the payoffs (redistribution, kinship) and a fine on the selfish actions alone
    do not make the aligned profile the learners' outcome: protect life stays below."""
    table = rows("aid_delivery")
    assert table[T.NO_MECHANISM].share_misaligned > 0.5
    assert realigning(table) == {"contract", "monitoring", "judge"}
    assert not_realigning(table) == {"redistribution", "kinship", "penalty"}


def test_commons_overharvest_and_a_fine_on_high_effort():
    """Gordon (1954); Hardin (1968): with open access each fisher takes the high effort
    (its private catch exceeds its share of the stock lost), so the stock kept falls to
    its minimum. A fine on the high effort larger than the catch it adds makes the low
    effort dominant, and the stock is kept."""
    table = rows("commons")
    assert table[T.NO_MECHANISM].share_misaligned > 0.5
    assert realigning(table) == {"penalty on high effort"}
    assert not_realigning(table) == set()


@pytest.mark.xfail(strict=True, reason=(
    "Calvano et al. (2020) find collusion after about 10^6 periods; the quick sessions "
    "(20,000 periods) are too short for Q-learners to settle on supra-competitive prices "
    "in most sessions (1 of 4 does), and a run of Calvano's length exceeds a test's "
    "budget; the full dynamics (200,000 periods) are not checked here"))
def test_collusion_prices_above_the_competitive_level():
    """Calvano, Calzolari, Denicolo & Pastorello (2020): Q-learning firms with one period
    of memory learn reward-punishment strategies and price above the one-shot Nash level,
    so consumer surplus falls below its threshold in most sessions; a fine on prices at
    or above the grid's middle (a price cap enforced by fines) restores it."""
    table = rows("collusion")
    assert table[T.NO_MECHANISM].share_misaligned > 0.5
    assert realigning(table) == {"fine on high prices"}


def test_deception_the_biased_sender_and_a_judge_paying_for_truthfulness():
    """Crawford & Sobel (1982): with a bias of 1/3 on three states the sender cannot
    credibly reveal the state (only babbling or coarse partitions are equilibria), so
    truthfulness ends below 1/2. A judge paying for the value layer (truthfulness and the
    receiver's welfare) makes the truthful report worth more than the bias gains."""
    table = rows("deception")
    assert table[T.NO_MECHANISM].share_misaligned > 0.5
    assert realigning(table) == {"judge"}
    assert not_realigning(table) == set()


def test_power_asymmetry_weak_agents_drop_out():
    """Tullock (1980); Baik (1994); Stein (2002): in a contest with abilities (3, 1, 1) the
    weak agents' chance of winning at effort 1 (1/4, worth 3/4) is below its cost (1), so
    they drop out and only the strong agent works: participation 1/3 < 1/2. Sharing or
    capping the rewards does not make entry pay; a judge paying for participation does."""
    table = rows("power_asymmetry")
    assert table[T.NO_MECHANISM].share_misaligned > 0.5
    assert realigning(table) == {"judge"}
    assert not_realigning(table) == {"redistribution", "reward cap"}


def test_groupthink_everyone_copies_the_dominant_agent():
    """Asch (1951); Janis (1972): with a payoff for conforming (2) above the payoff of the
    principal's own option (1), every agent copies the dominant one and the plurality of
    options adopted falls to 0, below half the principals' own plurality (5/16). A judge
    paying 6 x plurality makes dissent pay (6 x 3/8 + 1 > 2; at the principals' options
    leaving one's own costs 6 x 1/4 + 1 > 2); sharing or capping payoffs does not."""
    table = rows("groupthink")
    assert table[T.NO_MECHANISM].share_misaligned > 0.5
    assert realigning(table) == {"judge on plurality"}
    assert not_realigning(table) == {"redistribution", "reward cap"}


@pytest.mark.xfail(strict=True, reason=(
    "the misalignment is the leader's commitment (von Stackelberg 1934; Conitzer & "
    "Sandholm 2006), which simultaneous learners cannot make: they reach the Nash outcome "
    "(Up, Left) with parity -1, above the threshold; the scenario shows it statically "
    "(games.stackelberg), not under its dynamics"))
def test_hierarchy_the_leaders_commitment_leaves_the_follower_behind():
    """von Stengel & Zamir (2010): committing to (1/2, 1/2) gives the leader 7/2 and the
    follower 1/2 (parity -3), against (2, 1) at the Nash equilibrium."""
    table = rows("hierarchy")
    assert table[T.NO_MECHANISM].share_misaligned > 0.5


@pytest.mark.xfail(strict=True, reason=(
    "Lazear & Rosen (1981): the disparity is set by the prize spread, not by the "
    "learners' effort; the expected Gini of the prizes barely moves with effort, so the "
    "equality criterion does not fall below its threshold in most sessions, and payoff "
    "mechanisms do not change the prizes measured"))
def test_hierarchy_tournament_stratified_rewards():
    """Lazear & Rosen (1981): prizes (6, 3, 0) stratify the rewards between tiers."""
    table = rows("hierarchy_tournament")
    assert table[T.NO_MECHANISM].share_misaligned > 0.5


def test_disparity_sabotage_a_fine_on_sabotage_and_the_mechanisms_that_do_not():
    """Konrad (2000): in a contest sabotage lowers the rival's odds, so contestants spend
    on it; Lazear (1989): compressing the pay spread (redistribution, a cap on rewards)
    should weaken that motive. In ``sabotage_contest`` Q-learners keep sabotaging in every
    quick session ("no sabotage" below 0.9), and neither sharing half the payoffs nor
    capping rewards at 1 removes it (sabotage still changes the odds of the prize that
    is left); a fine of 3 on sabotage (three times its cost) makes it dominated, and it
    stops. No static verdict is given for a Markov scenario."""
    table = rows("disparity_sabotage")
    assert table[T.NO_MECHANISM].share_misaligned > 0.5
    assert realigning(table) == {"penalty on sabotage"}
    assert not_realigning(table) == {"redistribution", "reward cap"}
    assert all(r.static_holistic is None and r.shares == () for r in table.values())
    # the fine is collected, not paid
    assert table["penalty on sabotage"].cost_per_period < 0
