"""Subgame perfection of automaton profiles and critical discount factors."""

from __future__ import annotations

import doctest
from fractions import Fraction as F

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from games import InvalidArgumentError, InvalidGameError
from games.catalog import prisoners_dilemma
from games.repeated import Automaton, critical_discount, is_subgame_perfect, subgame_perfect_check
from games.repeated import strategies as S
from games.repeated import subgame_perfect as spe_module

# (T, R, P, S) with T > R > P > S
PDS = [(5, 3, 1, 0), (4, 3, 1, 0), (3, 2, 1, 0), (10, 9, 1, 0), (7, 6, 2, 1), (6, 5, 0, -3),
       (F(9, 2), 4, 1, F(-1, 2)), (5, 4, 2, 0)]


def pd(T, R, P, S_):
    return prisoners_dilemma(T=T, R=R, P=P, S=S_)


def grid(n=40):
    return [F(k, n) for k in range(n)]


def test_doctests_pass():
    assert doctest.testmod(spe_module).failed == 0


@pytest.mark.parametrize("T, R, P, S_", PDS)
def test_grim_trigger_is_spe_exactly_from_T_minus_R_over_T_minus_P(T, R, P, S_):
    """Friedman (1971): mutual grim trigger is an SPE iff delta >= (T - R)/(T - P)."""
    game = pd(T, R, P, S_)
    grim = (S.GrimTrigger(), S.GrimTrigger())
    threshold = F(T - R) / (T - P)
    assert critical_discount(grim, game) == threshold
    for d in grid() + [threshold]:
        assert is_subgame_perfect(grim, game, d) == (d >= threshold), d


@pytest.mark.parametrize("T, R, P, S_", PDS)
def test_grudger_that_ignores_its_own_defection_is_never_spe(T, R, P, S_):
    """After its own deviation a Grudger keeps cooperating while the opponent punishes:
    cooperating into a defection (S < P) is a profitable one-shot deviation."""
    game = pd(T, R, P, S_)
    pair = (S.Grudger(), S.Grudger())
    assert critical_discount(pair, game) is None
    assert not any(is_subgame_perfect(pair, game, d) for d in grid())


@pytest.mark.parametrize("T, R, P, S_", PDS)
def test_tit_for_tat_fails_subgame_perfection(T, R, P, S_):
    """One-shot deviations from mutual TFT: on the path, delta >= (T - R)/(R - S); in the
    alternating phase, delta <= (T - R)/(R - S) for the defector and delta >= (P - S)/(T - P)
    for the cooperator; after mutual defection, delta <= (P - S)/(T - P). So TFT is an SPE
    only when (T - R)/(R - S) = (P - S)/(T - P), at that single discount, never on an
    interval (Fudenberg & Tirole 1991, ch. 5)."""
    game = pd(T, R, P, S_)
    pair = (S.TitForTat(), S.TitForTat())
    assert critical_discount(pair, game) is None
    edge = F(T - R) / (R - S_)
    knife = {edge} if edge < 1 and edge == F(P - S_) / (T - P) else set()
    points = set(grid()) | {edge, F(P - S_) / (T - P)}
    assert {d for d in points if d < 1 and is_subgame_perfect(pair, game, d)} == knife


def test_tit_for_tat_is_spe_only_at_the_knife_edge_discount():
    """With (T, R, P, S) = (3, 2, 1, 0) the conditions are delta = (T-R)/(R-S) = 1/2
    and delta = (P-S)/(T-P) = 1/2: an SPE exactly at 1/2 and nowhere else."""
    game = pd(3, 2, 1, 0)
    pair = (S.TitForTat(), S.TitForTat())
    assert is_subgame_perfect(pair, game, F(1, 2))
    assert not is_subgame_perfect(pair, game, F(1, 2) + F(1, 10**9))
    assert not is_subgame_perfect(pair, game, F(1, 2) - F(1, 10**9))
    assert critical_discount(pair, game) is None  # not an SPE for delta near 1


@pytest.mark.parametrize("T, R, P, S_", PDS)
def test_win_stay_lose_shift_needs_delta_at_least_T_minus_R_over_R_minus_P(T, R, P, S_):
    """Pavlov against itself is an SPE iff delta >= (T - R)/(R - P) (needs 2R > T + P)."""
    game = pd(T, R, P, S_)
    pair = (S.WinStayLoseShift(), S.WinStayLoseShift())
    threshold = F(T - R) / (R - P)
    expected = threshold if threshold < 1 else None
    assert critical_discount(pair, game) == expected
    for d in grid():
        assert is_subgame_perfect(pair, game, d) == (d >= threshold), d


def test_always_defect_is_spe_for_every_discount():
    pair = (S.Defector(), S.Defector())
    assert critical_discount(pair, prisoners_dilemma()) == 0
    assert all(is_subgame_perfect(pair, prisoners_dilemma(), d) for d in grid(10))


def test_the_check_carries_its_certificate_and_values():
    check = subgame_perfect_check((S.GrimTrigger(), S.GrimTrigger()), prisoners_dilemma(),
                                  F(2, 5))
    assert not check and check.exact
    # deviating once on the path: (1 - d)(T - R) + d (P - R) = 3/5 * 2 - 2/5 * 2 = 2/5
    assert check.gain == F(2, 5)
    assert check.state == (0, 0) and check.deviation == 1
    assert check.values[(0, 0)] == (3, 3) and check.values[(1, 1)] == (1, 1)
    assert "not subgame perfect" in repr(check)


def test_float_data_gives_float_answers_that_agree():
    exact = critical_discount((S.GrimTrigger(), S.GrimTrigger()), prisoners_dilemma())
    floating = critical_discount((S.GrimTrigger(), S.GrimTrigger()),
                                 prisoners_dilemma().to_float())
    assert isinstance(floating, float) and floating == pytest.approx(float(exact), abs=1e-9)
    assert is_subgame_perfect((S.GrimTrigger(),) * 2, prisoners_dilemma().to_float(), 0.6)


@st.composite
def small_automata(draw):
    n = draw(st.integers(1, 3))
    actions = draw(st.lists(st.integers(0, 1), min_size=n, max_size=n))
    trans = np.array(draw(st.lists(st.integers(0, n - 1), min_size=4 * n,
                                   max_size=4 * n))).reshape(n, 2, 2)
    return Automaton(actions, trans, n_actions=2)


@settings(max_examples=60, deadline=None)
@given(small_automata(), small_automata(), st.sampled_from(PDS))
def test_critical_discount_separates_spe_from_non_spe(a1, a2, params):
    """Above the critical discount the profile is an SPE; just below it, it is not."""
    game = pd(*params)
    crit = critical_discount((a1, a2), game)
    if crit is None:
        assert not is_subgame_perfect((a1, a2), game, F(999_999, 10**6))
        return
    above = [crit + (1 - crit) * F(k, 7) for k in range(7)]
    for d in above:
        assert is_subgame_perfect((a1, a2), game, d, tol=1e-9), d
    if crit > 0:
        # An exact discount below the root (a float root is an irrational one rounded):
        # near delta = 1 the gain just below the root is far smaller than a float
        # tolerance, so the check must be exact to see it.
        below = (crit if isinstance(crit, F) else F(crit)) - F(1, 10**6)
        assert not is_subgame_perfect((a1, a2), game, below)


def test_mixed_profiles_are_checked_but_have_no_polynomial_threshold():
    """Generous tit for tat (forgiving with probability 1/3) against itself at discount 1/2:
    from mutual cooperation, a one-shot defection earns (1 - d) 5 + d V(C, forgiving),
    where V(C, forgiving) = 17/8 solves V01 = 1/2 + d (1/3 * 3 + 2/3 V10) and
    V10 = 1/2 (13/3) + d (1/3 * 3 + 2/3 V01) (normalised values, d = 1/2): a gain of
    5/2 + 17/16 - 3 = 9/16 over cooperating, so the pair is not subgame perfect."""
    pair = (S.GenerousTitForTat(), S.GenerousTitForTat())
    assert is_subgame_perfect(pair, prisoners_dilemma(), F(1, 2)) is False
    check = subgame_perfect_check(pair, prisoners_dilemma(), F(1, 2))
    assert (check.gain, check.state, check.player, check.deviation) == (F(9, 16), (0, 0), 0, 1)
    with pytest.raises(InvalidGameError, match="deterministic"):
        critical_discount(pair, prisoners_dilemma())


@pytest.mark.parametrize("args, error, message", [
    (((S.TitForTat(),), prisoners_dilemma(), F(1, 2)), InvalidGameError, "pair of strategies"),
    (((S.TitForTat(), S.TitForTat()), prisoners_dilemma(), 1), InvalidArgumentError, "discount"),
    (((S.TitForTat(), S.TitForTat()), prisoners_dilemma(), float("nan")), InvalidArgumentError,
     "discount"),
    (((S.TitForTat(), S.TitForTat()), "pd", F(1, 2)), InvalidGameError, "stage"),
])
def test_bad_arguments_are_rejected(args, error, message):
    with pytest.raises(error, match=message):
        is_subgame_perfect(*args)
