"""Strong Stackelberg equilibria (optimal commitment) by multiple LPs."""

from __future__ import annotations

import json
from fractions import Fraction
from itertools import combinations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import games
from games import Game
from games.errors import InvalidArgumentError, InvalidGameError
from games.solvers.common import exact_solve
from tests.strategies import game_objects

#: Conitzer & Sandholm (2006, Section 2) and von Stengel & Zamir (2010, Figure 1): the
#: leader's Up strictly dominates Down, so the only Nash equilibrium is (Up, Left) with
#: leader payoff 2; committing to (1/2, 1/2) makes the follower (indifferent, breaking the
#: tie for the leader) play Right, and the leader gets 7/2.
A = [[2, 4], [1, 3]]
B = [[1, 0], [0, 1]]


def textbook() -> Game:
    return Game.from_bimatrix(A, B)


def test_textbook_commitment_is_one_half_each_worth_seven_halves():
    s = games.stackelberg(textbook())
    assert s.exact
    assert list(s.commitment) == [Fraction(1, 2), Fraction(1, 2)]
    assert all(isinstance(p, Fraction) for p in s.commitment)
    assert s.follower_action == 1
    assert s.leader_value == Fraction(7, 2) and isinstance(s.leader_value, Fraction)
    assert s.follower_value == Fraction(1, 2)
    assert s.nash_value == 2
    assert s.commitment_gain == Fraction(3, 2)
    assert s.best_response_gap == 0
    assert s.recomputed_leader_value == Fraction(7, 2)


def test_leader_one_on_the_transposed_game_gives_the_same():
    g = textbook()
    transposed = Game(np.stack([g.payoffs[1].T, g.payoffs[0].T]), players=("F", "L"))
    for leader in (1, "L"):
        s = games.stackelberg(transposed, leader=leader)
        assert s.leader == 1 and s.follower == 0
        assert list(s.commitment) == [Fraction(1, 2), Fraction(1, 2)]
        assert s.follower_action == 1
        assert s.leader_value == Fraction(7, 2) and s.nash_value == 2


def test_float_game_agrees_and_to_dict_is_json():
    s = games.stackelberg(textbook().to_float())
    assert not s.exact
    np.testing.assert_allclose(s.commitment.astype(float), [0.5, 0.5], atol=1e-9)
    assert abs(s.leader_value - 3.5) < 1e-9 and abs(s.nash_value - 2) < 1e-9
    d = json.loads(json.dumps(games.stackelberg(textbook()).to_dict()))
    assert d["commitment"] == ["1/2", "1/2"] and d["leader_value"] == "7/2"
    assert "\n" not in repr(s) and "<table>" in s._repr_html_()


@pytest.mark.parametrize("scale", [1e-12, 1.0, 1e12])
def test_payoff_scale_scales_the_answer(scale):
    g = Game(textbook().float_payoffs * scale)
    s = games.stackelberg(g)
    np.testing.assert_allclose(s.commitment.astype(float), [0.5, 0.5], atol=1e-9)
    assert abs(s.leader_value - 3.5 * scale) <= 1e-9 * scale
    assert abs(s.nash_value - 2 * scale) <= 1e-9 * scale
    assert s.best_response_gap <= games.tolerance.float_tolerance(g)


def test_degenerate_game_all_payoffs_equal():
    for g in (Game(np.full((2, 3, 2), 5)), Game(np.full((2, 3, 2), 5.0))):
        s = games.stackelberg(g)
        assert s.leader_value == 5 and s.nash_value == 5 and s.commitment_gain == 0
        assert s.best_response_gap == 0
        assert sum(s.commitment) == 1


def test_validation():
    with pytest.raises(InvalidGameError):
        games.stackelberg(Game(np.zeros((3, 2, 2, 2))))
    for bad in (2, -1, "nobody", True, 0.5, None):
        with pytest.raises(InvalidArgumentError):
            games.stackelberg(textbook(), leader=bad)


def brute_force_value(game: Game) -> Fraction:
    """The strong Stackelberg value of a leader (player 0) with two actions, exactly: the
    leader's value is piecewise linear in p = P(first action), with breakpoints where the
    follower is indifferent between two actions, so its supremum (attained, thanks to the
    favourable tie-breaking) is at p in {0, 1} or at a breakpoint."""
    a, b = game.payoffs
    candidates = {Fraction(0), Fraction(1)}
    for k, h in combinations(range(b.shape[1]), 2):
        # p b[0,k] + (1-p) b[1,k] = p b[0,h] + (1-p) b[1,h]
        slope = (b[0, k] - b[1, k]) - (b[0, h] - b[1, h])
        if slope != 0:
            p = Fraction(b[1, h] - b[1, k]) / slope
            if 0 <= p <= 1:
                candidates.add(p)
    best = None
    for p in candidates:
        x = np.array([p, 1 - p], dtype=object)
        follower = x.dot(b)
        top = max(follower)
        value = max(x.dot(a[:, j]) for j in range(b.shape[1]) if follower[j] == top)
        best = value if best is None else max(best, value)
    return best


@settings(max_examples=60, deadline=None)
@given(game_objects(exact=True, min_players=2, max_players=2, max_actions=4),
       st.sampled_from([0, 1]))
def test_random_exact_games(game, leader):
    """Exact answers, zero gap, and commitment never below the best Nash payoff (von
    Stengel & Zamir 2010)."""
    s = games.stackelberg(game, leader=leader)
    assert s.exact
    assert all(isinstance(p, Fraction) for p in s.commitment)
    assert sum(s.commitment) == 1 and min(s.commitment) >= 0
    assert s.best_response_gap == 0
    assert s.leader_value == s.recomputed_leader_value
    best_nash = max(e.payoffs[leader] for e in games.all_equilibria(game))
    assert s.nash_value == best_nash
    assert s.leader_value >= best_nash and s.commitment_gain >= 0
    # float and exact agree
    f = games.stackelberg(game.to_float(), leader=leader)
    tol = 1e-7 * (games.tolerance.payoff_scale(game) or 1)
    assert abs(f.leader_value - float(s.leader_value)) <= tol
    assert f.leader_value >= f.nash_value - tol


@settings(max_examples=60, deadline=None)
@given(st.integers(1, 4).flatmap(lambda n: st.lists(
    st.integers(-5, 5), min_size=4 * n, max_size=4 * n).map(
    lambda v: Game(np.array(v, dtype=object).reshape(2, 2, n)))))
def test_two_action_leader_matches_brute_force(game):
    s = games.stackelberg(game)
    assert s.leader_value == brute_force_value(game)


def vertex_enumeration_value(game: Game) -> Fraction:
    """The strong Stackelberg value of player 0 by enumerating, for every follower action
    j, every vertex of the region where j is a best response (m - 1 active constraints
    among the incentive constraints and x_i = 0, plus sum x = 1), exactly."""
    a, b = game.payoffs
    m, n = b.shape
    best = None
    for j in range(n):
        rows = [[b[i, k] - b[i, j] for i in range(m)] for k in range(n) if k != j]
        rows += [[Fraction(int(i == r)) for i in range(m)] for r in range(m)]
        for active in combinations(range(len(rows)), m - 1):
            system = [rows[r] for r in active] + [[Fraction(1)] * m]
            x = exact_solve(system, [Fraction(0)] * (m - 1) + [Fraction(1)])
            if x is None or min(x) < 0:
                continue
            x = np.array(x, dtype=object)
            if max(x.dot(b)) != x.dot(b[:, j]):
                continue
            value = x.dot(a[:, j])
            best = value if best is None else max(best, value)
    return best


@settings(max_examples=60, deadline=None)
@given(game_objects(exact=True, min_players=2, max_players=2, max_actions=4),
       st.booleans())
def test_random_games_match_vertex_enumeration(game, ties):
    """A vertex of a region is the unique solution of some m - 1 linearly independent
    active constraints, so the enumeration is exact with ties too."""
    if not ties:
        game = Game(game.payoffs * 1000 + np.arange(game.payoffs.size).reshape(
            game.payoffs.shape) % 7)
    s = games.stackelberg(game)
    assert s.exact
    assert s.leader_value == vertex_enumeration_value(game)


def test_plot_two_action_leader():
    matplotlib = pytest.importorskip("matplotlib")
    matplotlib.use("Agg")
    ax = games.stackelberg(textbook()).plot()
    assert ax.get_lines()
    matplotlib.pyplot.close("all")


def test_near_tied_rows_are_told_apart():
    """Regression: HiGHS's default tolerances (1e-7) picked the row worth 0 over the one
    worth 1e-7 when the payoff range is 50, and the exact game read from those floats got
    a feasible but suboptimal vertex; now each exact vertex is proved optimal by an exact
    dual solution."""
    g = Game(np.array([[[0.0], [1e-7], [-50.0]], [[0.0], [0.0], [0.0]]]))
    s = games.stackelberg(g)
    assert s.leader_value == 1e-7 and s.commitment_gain >= 0
    e = games.stackelberg(g.to_exact())
    assert e.exact and e.leader_value == Fraction(1, 10**7)
    near = Game(np.array([[[Fraction(9999999999999999, 10**14)], [100], [0]],
                          [[0], [0], [0]]], dtype=object))
    s = games.stackelberg(near)
    # HiGHS cannot tell 100 - 1e-14 from 100: the answer is exact and right, or marked
    # float and within tolerance; never exact and wrong
    assert abs(float(s.leader_value) - 100) <= games.tolerance.float_tolerance(near)
    assert not s.exact or (s.leader_value == 100 and list(s.commitment) == [0, 1, 0])


def test_a_near_tie_gets_its_nash_value_from_the_complete_enumeration():
    """Regression: games.all_equilibria used to reject its own vertex of this game (a
    gain of 1e-7 against a tolerance of 6e-8, the walk's ties being looser than the
    certificate's); the Nash value now comes from the complete enumeration."""
    g = Game(np.array([[[0.0], [1e-7], [-60.0]], [[0.0], [0.0], [0.0]]]))
    s = games.stackelberg(g)
    assert s.nash_method == "all extreme equilibria" and s.nash_value == 1e-7
    assert s.leader_value == 1e-7 and s.commitment_gain >= 0
    x, y = s.strategies
    assert list(x) == [0.0, 1.0, 0.0] and list(y) == [1.0]
    assert games.stackelberg(textbook()).strategies[1].tolist() == [0, 1]
