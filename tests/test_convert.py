"""Conversions to and from nashpy, QuantEcon, pygambit and plain arrays (games.convert).

nashpy is a runtime dependency, so its round trips always run; QuantEcon and pygambit are
optional and their tests skip cleanly when the library is missing.
"""

import itertools
import sys
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from games import Game, InvalidArgumentError, InvalidGameError, convert
from games.convert import (
    MissingDependencyError,
    from_arrays,
    from_gambit,
    from_nashpy,
    from_quantecon,
    to_gambit,
    to_nashpy,
    to_payoff_profile_array,
    to_quantecon,
)

F = Fraction


def asymmetric_three_player_game(exact=True):
    """A 2 x 3 x 4 game whose payoffs encode (player, profile): every entry is distinct,
    so any axis mix-up changes some value."""
    payoffs = np.empty((3, 2, 3, 4), dtype=object)
    for i, a in itertools.product(range(3), itertools.product(range(2), range(3), range(4))):
        payoffs[(i, *a)] = F(1000 * (i + 1) + 100 * a[0] + 10 * a[1] + a[2], 7)
    if not exact:
        payoffs = payoffs.astype(float)
    return Game(payoffs, players=["Ann", "Bob", "Cy"],
                actions=[["U", "D"], ["L", "C", "R"], ["w", "x", "y", "z"]], title="asym")


PD = Game.from_bimatrix([[3, 0], [5, 1]], [[3, 5], [0, 1]], players=["Row", "Col"],
                        actions=[["C", "D"], ["C", "D"]], title="Prisoner's dilemma")


# ---------------------------------------------------------------------------------------
# Plain arrays


def test_from_arrays_profile_last_and_players_first_give_the_same_game():
    profiles = [[(3, 3), (0, 5)], [(5, 0), (1, 1)]]
    per_player = [[[3, 0], [5, 1]], [[3, 5], [0, 1]]]
    a = from_arrays(profiles, layout="profile-last")
    b = from_arrays(per_player, layout="players-first")
    assert a == b == Game.from_bimatrix([[3, 0], [5, 1]], [[3, 5], [0, 1]])
    assert a.exact


def test_from_arrays_two_dimensional_data_is_a_zero_sum_matrix():
    g = from_arrays(np.array([[1.5, -1.0, 0.0], [-1.0, 1.0, 2.0]]))
    assert g.shape == (2, 3)
    assert not g.exact
    np.testing.assert_array_equal(g.payoffs[1], -g.payoffs[0])


def test_from_arrays_infers_the_layout_when_only_one_fits():
    rng = np.random.default_rng(1)
    players_first = rng.random((3, 2, 3, 4))
    g = from_arrays(players_first)
    np.testing.assert_array_equal(g.payoffs, players_first)
    profile_last = rng.random((2, 3, 4, 3))
    h = from_arrays(profile_last)
    np.testing.assert_array_equal(h.payoffs, np.moveaxis(profile_last, -1, 0))


def test_from_arrays_refuses_an_ambiguous_shape_and_asks_for_layout():
    with pytest.raises(InvalidGameError, match="ambiguous.*layout="):
        from_arrays(np.zeros((2, 2, 2)))


def test_from_arrays_names_the_expected_shapes_when_none_fits():
    with pytest.raises(InvalidGameError, match=r"found shape \(3, 3, 4\)"):
        from_arrays(np.zeros((3, 3, 4)))
    with pytest.raises(InvalidGameError, match="players-first"):
        from_arrays(np.zeros((2, 3, 4, 3)), layout="players-first")
    with pytest.raises(InvalidArgumentError, match="layout: expected one of"):
        from_arrays(np.zeros((2, 2)), layout="rows")
    with pytest.raises(InvalidGameError, match="at least 2 dimensions"):
        from_arrays([1, 2, 3])


def test_from_arrays_builds_one_player_games_with_an_explicit_layout():
    assert from_arrays([[1, 2, 3]], layout="players-first").shape == (3,)
    assert from_arrays([[1], [2], [3]], layout="profile-last").shape == (3,)


def test_from_arrays_keeps_fractions_exact_and_passes_names():
    g = from_arrays([[F(1, 3), 0], [0, F(2, 3)]], players=["A", "B"], title="t")
    assert g.exact and g.payoffs[0, 0, 0] == F(1, 3) and g.payoffs[1, 0, 0] == F(-1, 3)
    assert g.players == ("A", "B") and g.title == "t"


@settings(max_examples=40, deadline=None)
@given(hnp.array_shapes(min_dims=1, max_dims=4, min_side=1, max_side=3).flatmap(
    lambda shape: hnp.arrays(np.int64, (*shape, len(shape)),
                             elements=st.integers(-50, 50))))
def test_payoff_profile_array_round_trips_through_from_arrays(profiles):
    g = from_arrays(profiles, layout="profile-last")
    back = to_payoff_profile_array(g)
    assert back.shape == profiles.shape
    assert np.array_equal(back, profiles)
    assert from_arrays(back, layout="profile-last") == g


def test_payoff_profile_array_lists_each_players_payoff_last():
    g = asymmetric_three_player_game()
    arr = to_payoff_profile_array(g)
    assert arr.shape == (2, 3, 4, 3)
    for a in np.ndindex(*g.shape):
        assert list(arr[a]) == [g.payoffs[(i, *a)] for i in range(3)]
    arr[0, 0, 0, 0] = 99                      # a copy: the game stays unchanged
    assert g.payoffs[0, 0, 0, 0] != 99


# ---------------------------------------------------------------------------------------
# nashpy (a runtime dependency: always run)


@pytest.fixture
def nashpy():
    return pytest.importorskip("nashpy")


def test_nashpy_round_trip_keeps_an_integer_game_exact(nashpy):
    ng = to_nashpy(PD)
    A, B = ng.payoff_matrices
    assert A.dtype == np.int64 and A.tolist() == [[3, 0], [5, 1]] and B.tolist() == [[3, 5], [0, 1]]
    back = from_nashpy(ng, players=PD.players, actions=PD.actions, title=PD.title)
    assert back == PD


def test_nashpy_round_trip_of_a_float_game_is_identical(nashpy):
    rng = np.random.default_rng(7)
    g = Game(rng.random((2, 3, 5)))
    assert from_nashpy(to_nashpy(g)) == g


def test_nashpy_keeps_fractions_with_object_dtype_and_floats_them_by_default(nashpy):
    g = Game.from_bimatrix([[F(1, 3), 1], [0, F(1, 2)]])
    assert to_nashpy(g).payoff_matrices[0].dtype == np.float64
    exact = to_nashpy(g, dtype=object)
    assert exact.payoff_matrices[0][0, 0] == F(1, 3)
    assert from_nashpy(exact) == g


def test_from_nashpy_reads_a_zero_sum_nashpy_game(nashpy):
    g = from_nashpy(nashpy.Game([[1, -1], [-1, 1]]))
    assert g.payoffs.tolist() == [[[1, -1], [-1, 1]], [[-1, 1], [1, -1]]]


def test_nashpy_equilibria_of_the_converted_game_are_ours(nashpy):
    """Matching pennies: the unique equilibrium is (1/2, 1/2) for both players."""
    g = Game.from_bimatrix([[1, -1], [-1, 1]])
    eqs = list(to_nashpy(g).support_enumeration())
    assert len(eqs) == 1
    assert g.regret([list(eqs[0][0]), list(eqs[0][1])]) < 1e-12


def test_to_nashpy_refuses_games_without_two_players(nashpy):
    with pytest.raises(InvalidGameError, match="two-player games only, found 3 players"):
        to_nashpy(asymmetric_three_player_game())


def test_from_nashpy_refuses_other_objects():
    with pytest.raises(InvalidGameError, match="nashpy_game"):
        from_nashpy(object())


def test_missing_library_raises_an_import_error_naming_the_package(monkeypatch):
    monkeypatch.setitem(sys.modules, "quantecon.game_theory", None)
    monkeypatch.setitem(sys.modules, "pygambit", None)
    with pytest.raises(ImportError, match="pip install quantecon"):
        to_quantecon(PD)
    with pytest.raises(MissingDependencyError, match="pip install pygambit"):
        to_gambit(PD)


# ---------------------------------------------------------------------------------------
# QuantEcon (optional)


def test_quantecon_players_hold_own_action_first_then_opponents_cyclically():
    """QuantEcon's convention: player i's payoff_array[a_i, a_{i+1}, ..., a_{i-1}]."""
    gt = pytest.importorskip("quantecon.game_theory")
    g = asymmetric_three_player_game()
    nfg = to_quantecon(g)
    assert isinstance(nfg, gt.NormalFormGame)
    assert nfg.nums_actions == (2, 3, 4)
    assert [p.payoff_array.shape for p in nfg.players] == [(2, 3, 4), (3, 4, 2), (4, 2, 3)]
    for a in np.ndindex(*g.shape):
        for i in range(3):
            own_first = tuple(a[(i + k) % 3] for k in range(3))
            assert nfg.players[i].payoff_array[own_first] == pytest.approx(
                float(g.payoffs[(i, *a)]))
        # QuantEcon's own profile indexing agrees with ours
        assert list(nfg[a]) == pytest.approx([float(g.payoffs[(i, *a)]) for i in range(3)])
    np.testing.assert_allclose(nfg.payoff_profile_array,
                               to_payoff_profile_array(g).astype(float))


def test_quantecon_round_trip_of_an_asymmetric_three_player_game():
    pytest.importorskip("quantecon.game_theory")
    g = asymmetric_three_player_game(exact=False)
    back = from_quantecon(to_quantecon(g), players=g.players, actions=g.actions, title="asym")
    assert back == g


def test_quantecon_round_trip_keeps_integer_games_exact():
    gt = pytest.importorskip("quantecon.game_theory")
    nfg = to_quantecon(PD)
    assert nfg.players[0].payoff_array.dtype == np.int64
    assert from_quantecon(nfg, players=PD.players, actions=PD.actions, title=PD.title) == PD
    # and a game built in QuantEcon from payoff profiles reads back to the same profiles
    profiles = np.arange(2 * 3 * 2 * 3).reshape(2, 3, 2, 3)
    assert from_quantecon(gt.NormalFormGame(profiles)) == from_arrays(profiles)


def test_quantecon_pure_equilibria_of_the_converted_game_are_pure_equilibria():
    gt = pytest.importorskip("quantecon.game_theory")
    rng = np.random.default_rng(3)
    g = Game(rng.integers(0, 5, size=(3, 3, 2, 4)))
    found = gt.pure_nash_brute(to_quantecon(g))
    brute = [a for a in np.ndindex(*g.shape) if g.regret(list(a)) == 0]
    assert sorted(found) == brute


def test_quantecon_one_player_game_round_trips():
    pytest.importorskip("quantecon.game_theory")
    g = Game([[1.0, 3.0, 2.0]])
    assert from_quantecon(to_quantecon(g)) == g


# ---------------------------------------------------------------------------------------
# pygambit (optional)


def test_gambit_round_trip_keeps_rationals_names_and_title():
    pytest.importorskip("pygambit")
    g = Game.from_bimatrix([[F(1, 3), -2], [F(5, 7), 0]], [[1, F(-1, 2)], [0, 4]],
                           players=["Alice", "Bob"], actions=[["Up", "Down"], ["Left", "Right"]],
                           title="rational test")
    gg = to_gambit(g)
    assert [p.label for p in gg.players] == ["Alice", "Bob"]
    assert gg.title == "rational test"
    assert gg[(0, 0)][list(gg.players)[0]] == F(1, 3)
    back = from_gambit(gg)
    assert back == g and back.exact


def test_gambit_profiles_match_ours_in_an_asymmetric_three_player_game():
    pytest.importorskip("pygambit")
    g = asymmetric_three_player_game()
    gg = to_gambit(g)
    players = list(gg.players)
    assert [len(p.strategies) for p in players] == [2, 3, 4]
    assert [[s.label for s in p.strategies] for p in players] == [list(a) for a in g.actions]
    for a in np.ndindex(*g.shape):
        assert [gg[a][p] for p in players] == [g.payoffs[(i, *a)] for i in range(3)]
    assert from_gambit(gg) == g


def test_gambit_agrees_with_its_own_from_arrays():
    gbt = pytest.importorskip("pygambit")
    g = asymmetric_three_player_game()
    reference = gbt.Game.from_arrays(*[g.payoffs[i] for i in range(3)], title="asym")
    ours = from_gambit(reference)
    np.testing.assert_array_equal(ours.payoffs, g.payoffs)


def test_gambit_round_trip_of_a_float_game_gives_back_the_same_floats():
    pytest.importorskip("pygambit")
    rng = np.random.default_rng(11)
    g = Game(rng.random((3, 2, 2, 3)) * 10 - 5, title="floats")
    back = from_gambit(to_gambit(g))
    assert not back.exact
    assert back == g
    assert from_gambit(to_gambit(g), exact=True) == g.to_exact()


def test_gambit_enumpure_on_the_converted_game_finds_our_pure_equilibria():
    gbt = pytest.importorskip("pygambit")
    g = Game.from_bimatrix([[2, 0], [0, 1]], [[1, 0], [0, 2]])    # battle of the sexes
    result = gbt.nash.enumpure_solve(to_gambit(g))
    profiles = sorted(tuple(int(np.argmax([eq[s] for s in p.strategies]))
                            for p in result.game.players) for eq in result.equilibria)
    assert profiles == [(0, 0), (1, 1)]


def test_to_gambit_refuses_names_gambit_cannot_label():
    pytest.importorskip("pygambit")
    g = PD.replace(players=["Joueur à gauche", "Col"])
    with pytest.raises(InvalidGameError, match=r"players\[0\].*Gambit label"):
        to_gambit(g)


def test_from_gambit_refuses_other_objects():
    with pytest.raises(InvalidGameError, match="gambit_game"):
        from_gambit(object())


def test_importing_convert_loads_no_third_party_game_library():
    import subprocess
    code = ("import sys, games.convert; "
            "print(sorted(m for m in ('nashpy', 'quantecon', 'pygambit') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout.strip()
    assert out == "[]"
    assert convert.__all__
