"""Each testbed scenario shows the misalignment it claims under its quick dynamics, and
the mechanisms that realign it are named exactly (issue 18, "Done when").

A scenario is *misaligned* when most sessions end with its value criterion below its
threshold (``TestbedRow.share_misaligned > 1/2``); a mechanism *realigns* it when most
sessions end with the criterion at or above the threshold (``share_misaligned < 1/2``).
The learners are seeded, so each expectation is deterministic.
"""

import itertools
from fractions import Fraction

import pytest

import mechanisms.testbed as T
from mechanisms import Subsidy, dynamic_verdict
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


def test_collusion_prices_above_the_competitive_level():
    """Calvano, Calzolari, Denicolo & Pastorello (2020): Q-learning firms with one period
    of memory learn reward-punishment strategies and price well above the one-shot Nash
    level (profit gain about 0.85), so consumer surplus ends below its level at the Nash
    prices in most sessions (the quick sessions: a million periods, beta = 1e-5, inside
    the paper's grid of beta). An expected fine above the gain from colluding
    (pi^M - pi^N = 0.115; Becker 1968), switched on halfway, brings prices back down to
    the competitive level, as it does in their Section VI. Calvano's price cap at
    p^N + (p^M - p^N) / 4 does not: the firms all price at the cap (their Delta ceiling
    0.378), a focal point (Knittel & Stango 2003), and the surplus stays below.

    Opacity here is imperfect monitoring in its extreme form: each firm's state is its own
    last price, the rival's never observed. Calvano, Calzolari, Denicolo & Pastorello
    (2021, IJIO 79) find Q-learners still collude under *noisy* monitoring (Green & Porter
    1984), because low observed prices still trigger price wars; that result does not
    carry over. Without observed rival prices no punishment can be conditioned on a
    deviation, so the reward-punishment collusion of Calvano et al. (2020) cannot be
    sustained: with no monitoring a firm's continuation cannot depend on its deviation,
    so every equilibrium of the repeated game plays a stage Nash equilibrium each period
    (a deviation no one observes cannot be deterred; Mailath & Samuelson 2006, Repeated
    Games and Reputations). The firms end at the grid prices next to p^N, consumer
    surplus at or above its competitive level: opacity realigns, and is not named among
    those that do not. (We could not check what Calvano et al. 2020 report for memoryless
    algorithms; those condition on nothing, whereas under Opacity a firm's own last price
    is still its state.)"""
    table = rows("collusion")
    assert table[T.NO_MECHANISM].share_misaligned > 0.5
    assert realigning(table) == {"fine above Nash price", "opacity"}
    assert not_realigning(table) == {"price cap"}
    # the surplus at the cap lies between the collusive and the competitive levels
    cap = table["price cap"].value_score
    assert table[T.NO_MECHANISM].value_score < cap < table["price cap"].threshold
    # opacity: no payment, the surplus back at the competitive level
    assert table["opacity"].cost_per_period == 0
    assert table["opacity"].value_score >= table["opacity"].threshold


@pytest.mark.slow
def test_collusion_under_calvanos_own_learning_constants():
    """The full mode: Calvano et al.'s (2020) beta = 4e-6 and sessions of 2 million
    periods (theirs converge after about 1.9 million): collusion in most sessions, the
    same mechanisms realigning it or not (opacity: see the quick test)."""
    table = {label: measure("collusion", label, quick=False)
             for label in T.scenario("collusion").labels()}
    assert table[T.NO_MECHANISM].share_misaligned > 0.5
    assert realigning(table) == {"fine above Nash price", "opacity"}
    assert not_realigning(table) == {"price cap"}


def test_deception_the_biased_sender_and_the_mechanisms_that_make_it_truthful():
    """Crawford & Sobel (1982): with a bias of 1/3 on three states the sender cannot
    credibly reveal the state (only babbling or coarse partitions are equilibria), so
    truthfulness ends below 1/2. A judge paying for the value layer (truthfulness and the
    receiver's welfare) makes the truthful report worth more than the bias gains.

    Audit of lies (Kartik 2009: a cost of lying makes talk more truthful): against a
    credulous receiver a lie one state up gains the sender b^2 - (1/2 - b)^2 = 1/12 with
    b = 1/3, and the audit costs it 1/2 x 1/2 = 1/4 per lie, so truth-telling is its best
    reply to a credulous receiver and the receiver's best reply to a truthful sender is to
    be credulous: truthful separation is an equilibrium, and it is the one the learners
    reach. The operator collects fines (a cost at most 0).

    Transparency (the state disclosed to the receiver, from the first period): the
    receiver's best reply is its action equal to the state whatever the message, so the
    message changes no one's payoff. Truthfulness is not realigned: nothing rewards the
    truth, and an indifferent sender's message names the state only by chance (1/3 for a
    uniformly drawn message, below 1/2). The receiver principal's welfare is: it ends at
    0, its best, above every other row's. The value the paper cares about is met by
    making the lie harmless, not by making it rare.

    Verification (the last period's play revealed, learners remembering it: a reputation;
    Sobel 1985): a reputation is worth the future periods it protects, and the scenario's
    Q-learners are myopic (discount 0), so the one-shot gain from lying stands and
    truthfulness stays low. (With patience the lie can be deterred: reverting to babbling
    for one period costs the sender 5/18 - 1/9 = 1/6, against a gain of 2 x 1/3 x 1/12 =
    1/18 from its best lie, so truth-telling is a subgame-perfect equilibrium of the
    repeated game at memory 1 for discounts of at least 1/3. But babbling is one too, and
    Q-learners with discount 0.9 and 200,000 periods at memory 1, 729 states, were
    measured ending at truthfulness about 1/3: the reputational equilibrium exists but
    is not the one they learn, so the patient variant is not in the grid.)"""
    table = rows("deception")
    assert table[T.NO_MECHANISM].share_misaligned > 0.5
    assert realigning(table) == {"judge", "audit of lies"}
    assert not_realigning(table) == {"transparency", "verification"}
    assert table["audit of lies"].cost_per_period <= 0
    welfare = T.scenario("deception").build().criteria["value"].index("receiver welfare")
    transparent = table["transparency"].value[welfare]
    assert transparent == pytest.approx(0, abs=0.01)
    assert all(transparent > r.value[welfare] for label, r in table.items()
               if label != "transparency")
    assert table["transparency"].cost_per_period == 0
    assert table["verification"].cost_per_period == 0


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


def test_hierarchy_the_leaders_commitment_leaves_the_follower_behind():
    """von Stackelberg (1934); Selten (1965): when the follower sees the leader's move it
    replies Left to Up and Right to Down (its best reply after each), so the leader
    commits to Down and gets 3 instead of its Nash payoff 2 in the simultaneous game,
    the follower keeping 1: the gap between the tiers widens from 1 to 2, below the
    threshold (-3/2) in most sessions, and the leader is the one accountable. Sharing
    half the payoffs keeps Down the leader's best move (5/2 > 7/4); capping the gap at 1
    makes the follower reply Right to Up as well, widening it. A judge paying 2 x parity
    makes Down cost the leader more than it gains (3 - 4 < 2 - 2): the gap returns to 1.
    """
    table = rows("hierarchy")
    assert table[T.NO_MECHANISM].share_misaligned > 0.5
    assert table[T.NO_MECHANISM].responsible == "Leader"
    assert table[T.NO_MECHANISM].value_score == pytest.approx(-2, abs=0.05)
    assert realigning(table) == {"judge on parity"}
    assert not_realigning(table) == {"redistribution", "reward cap"}


def test_hierarchy_tournament_stratified_rewards():
    """Lazear & Rosen (1981): prizes (6, 3, 0) buy effort 2 from every worker, and the
    prizes received, realisation by realisation, are as unequal as the ranks (expected
    Gini about 0.32), far above the disparity of pay proportional to output, which buys
    the same effort (Gini 0.10, the threshold). Pooling half of every prize halves the
    Gini (still above 0.10); compressing the prizes to 1/4 of their spread (Lazear 1989:
    pay compression) cuts it to a quarter (at most 0.095), below the threshold."""
    table = rows("hierarchy_tournament")
    assert table[T.NO_MECHANISM].share_misaligned > 0.5
    assert realigning(table) == {"prize compression"}
    assert not_realigning(table) == {"redistribution"}
    # the transfers are measured: pooling half the prizes halves the expected Gini
    none, pooled = table[T.NO_MECHANISM], table["redistribution"]
    assert 1 - pooled.value_score == pytest.approx((1 - none.value_score) / 2, rel=0.05)


def test_disparity_sabotage_a_fine_on_sabotage_and_the_mechanisms_that_do_not():
    """Konrad (2000): in a contest sabotage lowers the rival's odds, so contestants spend
    on it; Lazear (1989): compressing the pay spread (redistribution, a cap on rewards)
    should weaken that motive. In ``sabotage_contest`` Q-learners keep sabotaging in every
    quick session ("no sabotage" below 0.9), and neither sharing half the payoffs nor
    capping rewards at 1 removes it (sabotage still changes the odds of the prize that
    is left); a fine of 3 on sabotage (three times its cost) makes it dominated, and it
    stops. No static verdict is given for a Markov scenario.

    Compressing the prizes to a quarter of their spread (ContestIntensity(1/4), Lazear's
    pay compression) also makes sabotage strictly dominated in every stage (it gains at
    most 3 x 1/6 = 1/2 < its cost 1; test_scenario_games), yet it does not realign the
    quick run. It is switched on halfway and, budget-balanced, pays each contestant a
    sure (1 - 1/4) x 12 / 2 = 9/2: every action's value rises by 9/2, the learners'
    estimates of the actions they no longer try become pessimistic, and pessimistic
    estimates keep the greedy action (Sutton & Barto 2018, section 2.6, optimistic
    initial values); with epsilon about 8% at the switch and falling, 5,000 periods are
    too few to correct them. The next test checks this reason."""
    table = rows("disparity_sabotage")
    assert table[T.NO_MECHANISM].share_misaligned > 0.5
    assert realigning(table) == {"penalty on sabotage"}
    assert not_realigning(table) == {"redistribution", "reward cap", "prize compression"}
    assert all(r.static_holistic is None and r.shares == () for r in table.values())
    # the fine is collected, not paid; the compression is budget-balanced
    assert table["penalty on sabotage"].cost_per_period < 0
    assert table["prize compression"].cost_per_period == 0


def test_disparity_sabotage_prize_compression_stops_sabotage_once_learned():
    """The compression's failure in the quick run is the learners', not the incentive's.
    (1) Taking its sure share back (a flat charge of 9/2 at every outcome, which changes
    no best reply) removes the 9/2 by which the action being played rises above the
    stale estimates of the others, and the quick run stops sabotaging in most sessions.
    (2) The full run (five times longer, the same exploration schedule stretched) stops
    sabotaging with the compression as it is, as the stage dominance predicts (Konrad
    2000; Lazear 1989). (3) The gap is not narrowed: the compression changes the prizes,
    not the capability a win adds, so with both at the same effort and no sabotage the
    gap follows the birth-death chain whose stationary distribution is
    (5, 3/2, 1, 3/2, 5) / 14 (test_markov), and the expected equality 1 - E|d'| / 4
    after a period is 1 - 23/56 = 33/56 (E|d'| = 9/5, 4/3, 1, 4/3, 9/5 from gaps -2..2),
    about 0.59: success breeds success (Konrad 2009, ch. 8)."""
    s = T.scenario("disparity_sabotage")
    game = s.build()
    outcomes = list(itertools.product(range(4), repeat=2))
    compress = s.mechanisms["prize compression"]
    without_sure_share = compress | Subsidy(Fraction(-9, 2), on=outcomes)
    verdict = dynamic_verdict(game, without_sure_share, s.quick, {"no sabotage": 0.9})
    assert verdict.share_above_thresholds > 0.5
    full = measure("disparity_sabotage", "prize compression", quick=False)
    assert full.share_misaligned < 0.5
    equality = full.value[game.criteria("value").index("equality")]
    assert equality == pytest.approx(33 / 56, abs=0.02)
