"""The setting classifier: collaborative, mixed-motive, competitive."""

from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import games
from games import Game
from tests.strategies import game_objects

G = Game.from_bimatrix


@pytest.mark.parametrize("game, kind", [
    (G([[3, 0], [5, 1]], [[3, 5], [0, 1]]), "mixed-motive"),      # prisoner's dilemma
    (G([[4, 0], [3, 3]], [[4, 3], [0, 3]]), "mixed-motive"),      # stag hunt
    (G([[0, -1], [1, -10]], [[0, 1], [-1, -10]]), "mixed-motive"),  # chicken
    (G([[2, 0], [0, 1]], [[1, 0], [0, 2]]), "mixed-motive"),      # battle of the sexes
    (G([[1, 0], [0, 1]], [[1, 0], [0, 1]]), "collaborative"),     # pure coordination
    (G([[1, 0], [0, 1]], [[3, 1], [1, 3]]), "collaborative"),     # the same up to 2u + 1
    (G([[1, -1], [-1, 1]]), "competitive"),                        # matching pennies
    (G([[0, -1, 1], [1, 0, -1], [-1, 1, 0]]), "competitive"),     # rock-paper-scissors
    (G([[5, 1], [1, 5]], [[1, 5], [5, 1]]), "competitive"),       # constant-sum 6
    (G([[2, 0], [0, 2]], [[0, 1], [1, 0]]), "competitive"),       # B = 1 - A / 2
])
def test_classic_games_are_classified_as_the_literature_does(game, kind):
    assert games.classify(game).kind == kind


def test_index_is_plus_one_for_common_interest_and_minus_one_for_zero_sum():
    assert games.classify(G([[1, 0], [0, 1]], [[1, 0], [0, 1]])).index == pytest.approx(1)
    assert games.classify(G([[1, 2], [3, 4]])).index == pytest.approx(-1)


def test_three_player_weighted_constant_sum_is_competitive_with_index_reported():
    rng = np.random.default_rng(0)
    u = rng.integers(-5, 6, size=(3, 2, 3, 2)).astype(object)
    u[2] = -(2 * u[0] + u[1])        # 2 u0 + u1 + u2 = 0
    s = games.classify(Game(u))
    assert s.kind == "competitive" and s.strategically_constant_sum and not s.constant_sum
    zero = Game(np.stack([u[0], u[1], -(u[0] + u[1])]))
    z = games.classify(zero)
    assert z.zero_sum and z.kind == "competitive"


def test_prisoners_dilemma_facts_social_dilemma_and_potential():
    s = games.classify(G([[3, 0], [5, 1]], [[3, 5], [0, 1]]))
    assert s.social_dilemma and s.dilemma == ((1, 1), (0, 0))
    assert s.potential and not s.constant_sum and not s.common_interest
    assert any("Pareto-dominated" in r for r in s.reasons)


def test_matching_pennies_is_not_a_potential_game_and_has_no_dilemma():
    s = games.classify(G([[1, -1], [-1, 1]]))
    assert not s.potential and not s.social_dilemma and s.dilemma is None


def test_a_game_where_nobody_cares_is_collaborative():
    s = games.classify(Game(np.zeros((2, 2, 2), dtype=int)))
    assert s.kind == "collaborative" and s.index == 1


def test_index_is_mean_pairwise_correlation():
    rng = np.random.default_rng(5)
    u = rng.random((4, 3, 3, 2, 2))
    flat = u.reshape(4, -1)
    c = np.corrcoef(flat)
    expected = (c.sum() - 4) / 12
    assert games.classify(Game(u)).index == pytest.approx(expected)


@settings(max_examples=80, deadline=None)
@given(game_objects(min_players=2, max_players=3), st.data())
def test_kind_is_invariant_under_positive_affine_maps(g, data):
    u = g.payoffs.copy()
    for i in range(g.n_players):
        scale = data.draw(st.sampled_from([Fraction(1, 2), 1, 3]))
        shift = data.draw(st.sampled_from([-2, 0, 5]))
        u[i] = u[i] * scale + shift
    h = Game(u, exact=g.exact)
    a, b = games.classify(g), games.classify(h)
    assert a.kind == b.kind
    assert a.index == pytest.approx(b.index, abs=1e-9)
    shifted = games.classify(Game(g.payoffs * 2 + 1, exact=g.exact))
    assert shifted.potential == a.potential      # one common positive affine map


def test_setting_reports_itself():
    s = games.classify(G([[1, -1], [-1, 1]]))
    assert "competitive" in repr(s) and "<b>competitive</b>" in s._repr_html_()
    assert s.to_dict()["zero_sum"] is True
