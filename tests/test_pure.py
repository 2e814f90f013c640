"""Pure Nash equilibria: brute force, nashpy, the Gambit files and invariances."""

import warnings
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import games
from games import Game
from tests.strategies import brute_force_pure_equilibria, game_objects

GAMBIT_GAMES = Path(__file__).parent / "data" / "games"     # tests/data/make_test_games.py
GAMBIT_FILES = sorted(GAMBIT_GAMES.glob("*.nfg"))


def profiles(result) -> list[tuple[int, ...]]:
    return [e.profile for e in result]


def test_prisoners_dilemma_has_the_single_strict_equilibrium_defect_defect():
    """Defection is strictly dominant in the prisoner's dilemma (Rapoport & Chammah 1965)."""
    g = Game.from_bimatrix([[3, 0], [5, 1]], [[3, 5], [0, 1]])
    (e,) = games.pure_equilibria(g)
    assert e.profile == (1, 1) and e.strict and e.regret == 0 and e.exact
    assert e.payoffs.tolist() == [1, 1]


def test_stag_hunt_has_two_strict_equilibria_and_matching_pennies_none():
    stag = Game.from_bimatrix([[4, 0], [3, 3]], [[4, 3], [0, 3]])
    assert profiles(games.pure_equilibria(stag)) == [(0, 0), (1, 1)]
    assert all(e.strict for e in games.pure_equilibria(stag))
    pennies = games.pure_equilibria(Game.from_bimatrix([[1, -1], [-1, 1]]))
    assert len(pennies) == 0 and pennies.complete


def test_ties_give_weak_equilibria():
    g = Game.from_bimatrix([[1, 1], [0, 1]], [[1, 1], [1, 1]])
    result = games.pure_equilibria(g)
    assert profiles(result) == [(0, 0), (0, 1), (1, 1)]
    assert [e.strict for e in result] == [False, False, False]


def test_constant_game_makes_every_profile_a_weak_equilibrium():
    g = Game(np.zeros((3, 2, 3, 2)))
    result = games.pure_equilibria(g)
    assert len(result) == 12 and not any(e.strict for e in result)


def test_mcKelvey_mcLennan_2x2x2_pure_equilibria():
    """Gambit's 2x2x2.nfg (McKelvey & McLennan): payoffs listed with player 1 fastest."""
    outcomes = {(0, 0, 0): (9, 8, 12), (1, 1, 0): (9, 8, 2), (1, 0, 1): (3, 4, 6),
                (0, 1, 1): (3, 4, 6)}
    u = np.zeros((3, 2, 2, 2), dtype=int)
    for profile, pay in outcomes.items():
        u[(slice(None), *profile)] = pay
    g = Game(u)
    assert profiles(games.pure_equilibria(g)) == brute_force_pure_equilibria(g)


@settings(max_examples=150, deadline=None)
@given(game_objects())
def test_pure_equilibria_equal_brute_force(g):
    result = games.pure_equilibria(g)
    assert profiles(result) == brute_force_pure_equilibria(g)
    assert result.complete
    for e in result:
        assert e.regret == 0 if g.exact else e.regret <= 1e-12
        unique = all(
            all(g.payoffs[(i, *e.profile)] > g.payoffs[(i, *e.profile[:i], b, *e.profile[i + 1:])]
                for b in range(g.shape[i]) if b != e.profile[i])
            for i in range(g.n_players))
        assert e.strict == unique


@settings(max_examples=80, deadline=None)
@given(game_objects(min_players=2), st.data())
def test_positive_affine_maps_change_no_pure_equilibrium(g, data):
    u = g.payoffs.copy()
    for i in range(g.n_players):
        scale = data.draw(st.sampled_from([Fraction(1, 3), 2, 7]))
        shift = data.draw(st.sampled_from([-5, 0, Fraction(3, 2)]))
        u[i] = u[i] * scale + shift
    h = Game(u, exact=g.exact)
    assert profiles(games.pure_equilibria(h)) == profiles(games.pure_equilibria(g))
    assert ([e.strict for e in games.pure_equilibria(h)]
            == [e.strict for e in games.pure_equilibria(g)])


@settings(max_examples=80, deadline=None)
@given(game_objects(min_players=2), st.randoms(use_true_random=False))
def test_relabelling_actions_permutes_the_equilibria(g, random):
    orders = [random.sample(range(a), a) for a in g.shape]
    h = g.restrict(orders)
    inverse = [{old: new for new, old in enumerate(order)} for order in orders]
    mapped = sorted(tuple(inverse[i][a] for i, a in enumerate(p))
                    for p in profiles(games.pure_equilibria(g)))
    assert profiles(games.pure_equilibria(h)) == mapped


def test_pure_equilibria_agree_with_nashpy_on_random_two_player_games():
    """nashpy's support enumeration lists the pure equilibria of nondegenerate games."""
    nash = pytest.importorskip("nashpy")
    rng = np.random.default_rng(7)
    for _ in range(25):
        rows, cols = rng.integers(2, 5, size=2)
        A, B = rng.random((rows, cols)), rng.random((rows, cols))
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            theirs = sorted(
                (int(np.argmax(s1)), int(np.argmax(s2)))
                for s1, s2 in nash.Game(A, B).support_enumeration()
                if np.count_nonzero(s1 > 1e-12) == 1 and np.count_nonzero(s2 > 1e-12) == 1)
        assert profiles(games.pure_equilibria(Game.from_bimatrix(A, B))) == theirs


def test_float_and_exact_versions_of_an_integer_game_agree():
    rng = np.random.default_rng(3)
    u = rng.integers(-3, 4, size=(3, 3, 4, 2))
    exact, approximate = Game(u), Game(u.astype(float))
    assert profiles(games.pure_equilibria(exact)) == profiles(games.pure_equilibria(approximate))


def test_large_exact_payoffs_beyond_int64_are_compared_exactly():
    big = 10**30
    g = Game.from_bimatrix([[big + 1, big], [big, big + 1]], [[1, 0], [0, 1]])
    assert profiles(games.pure_equilibria(g)) == [(0, 0), (1, 1)]
    tiny = Fraction(1, 10**40)
    h = Game.from_bimatrix([[tiny, 0], [0, 0]], [[1, 1], [1, 1]])
    assert profiles(games.pure_equilibria(h)) == [(0, 0), (0, 1), (1, 1)]


def test_result_set_reports_itself():
    g = Game.from_bimatrix([[4, 0], [3, 3]], [[4, 3], [0, 3]], actions=[("S", "H"), ("S", "H")])
    result = games.pure_equilibria(g)
    assert "2 equilibria" in repr(result) and "complete" in repr(result)
    assert "('S', 'S')" in repr(result[0])
    d = result.to_dict()
    assert d["complete"] and d["equilibria"][0]["actions"] == ["S", "S"]
    assert "<table>" in result._repr_html_()


@pytest.mark.parametrize("path", GAMBIT_FILES, ids=lambda p: p.stem)
def test_gambit_files_pure_equilibria_match_brute_force(path):
    g = games.read_nfg(path)
    assert profiles(games.pure_equilibria(g)) == brute_force_pure_equilibria(g)
