"""The Game model: construction, names, layers, profiles, certificates, identity."""

import pickle
import subprocess
import sys
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings

from games import Game, InvalidGameError
from tests.strategies import game_objects


def prisoners_dilemma() -> Game:
    return Game.from_bimatrix([[3, 0], [5, 1]], [[3, 5], [0, 1]],
                              players=("Row", "Column"), actions=[("C", "D"), ("C", "D")])


def test_integer_payoffs_make_an_exact_game_and_floats_a_float_game():
    assert prisoners_dilemma().exact
    assert prisoners_dilemma().payoffs.dtype == object
    g = Game.from_bimatrix([[0.5, 1.0], [0.0, 2.0]])
    assert not g.exact and g.payoffs.dtype == np.float64


def test_exact_true_turns_floats_into_their_decimal_fractions():
    g = Game.from_bimatrix([[0.1, 0.2], [0.3, 0.4]], exact=True)
    assert g.payoffs[0, 0, 0] == Fraction(1, 10)
    assert g.to_float().to_exact() == g


def test_from_bimatrix_without_b_is_zero_sum():
    g = Game.from_bimatrix([[1, -2], [3, 0]])
    assert np.array_equal(g.payoffs[1], -g.payoffs[0])


def test_default_names_follow_gambit():
    g = Game(np.zeros((3, 2, 1, 3)))
    assert g.players == ("Player 1", "Player 2", "Player 3")
    assert g.actions == (("1", "2"), ("1",), ("1", "2", "3"))
    assert g.shape == (2, 1, 3) and g.n_players == 3 and g.n_profiles == 6


def test_game_is_immutable_and_its_arrays_read_only():
    g = prisoners_dilemma()
    with pytest.raises(AttributeError):
        g.title = "x"
    with pytest.raises(ValueError):
        g.payoffs[0, 0, 0] = 7


def test_input_array_is_copied_so_later_changes_do_not_leak():
    data = np.array([[[1.0, 2.0]], [[3.0, 4.0]]])
    g = Game(data)
    data[0, 0, 0] = 99
    assert g.payoffs[0, 0, 0] == 1.0


def test_regret_is_zero_exactly_at_the_equilibrium_and_the_best_gain_elsewhere():
    g = prisoners_dilemma()
    assert g.regret(["D", "D"]) == 0
    assert g.regret(["C", "C"]) == 2          # defecting from (C, C) gains 5 - 3
    assert g.regret(["C", "D"]) == 1          # the row player gains 1 - 0
    assert isinstance(g.regret([0, 0]), Fraction)


def test_regret_of_a_mixed_profile_in_matching_pennies():
    g = Game.from_bimatrix([[1, -1], [-1, 1]])
    half = [Fraction(1, 2)] * 2
    assert g.regret([half, half]) == 0
    assert g.regret([[1, 0], half]) == 1      # the column player switches to tails
    assert g.regret([[1, 0], [1, 0]]) == 2
    assert g.expected_payoffs([half, [1, 0]]).tolist() == [0, 0]


def test_per_player_regret_and_action_payoffs():
    g = prisoners_dilemma()
    assert g.regret(["C", "D"], per_player=True).tolist() == [1, 0]
    row, column = g.action_payoffs([[Fraction(1, 2)] * 2, "C"])
    assert row.tolist() == [3, 5] and column.tolist() == [Fraction(3, 2), 3]


def test_regret_matches_a_direct_computation_on_a_three_player_game():
    rng = np.random.default_rng(1)
    g = Game(rng.random((3, 2, 3, 2)))
    s = [rng.dirichlet(np.ones(a)) for a in g.shape]
    joint = np.einsum("a,b,c->abc", *s)
    values = (g.payoffs * joint).sum(axis=(1, 2, 3))
    assert np.allclose(g.expected_payoffs(s), values)
    gains = []
    for i in range(3):
        best = max(g.expected_payoffs(s[:i] + [np.eye(g.shape[i])[b]] + s[i + 1:])[i]
                   for b in range(g.shape[i]))
        gains.append(best - values[i])
    assert g.regret(s) == pytest.approx(max(gains))


def test_restrict_keeps_the_named_actions_in_order_with_layers():
    layers = {"value": np.arange(4).reshape(1, 2, 2)}
    g = prisoners_dilemma().replace(layers=layers)
    h = g.restrict([["D", "C"], ["D"]])
    assert h.actions == (("D", "C"), ("D",))
    assert h.payoffs[:, 0, 0].tolist() == [1, 1]
    assert h.layers["value"][0, :, 0].tolist() == [3, 1]
    assert g.restrict({"Column": ["C"]}).shape == (2, 1)


def test_layers_defaults_and_criteria_names():
    g = prisoners_dilemma()
    assert set(g.layers) == {"objective"}
    assert np.array_equal(g.layers["objective"], g.payoffs)
    assert g.criteria["objective"] == ("Row", "Column")
    h = g.replace(layers={"value": {"life": [[1, 0], [0, 0]], "law": [[1, 1], [0, 0]]},
                          "preference": np.ones((2, 2, 2))})
    assert h.criteria["value"] == ("life", "law")
    assert h.layers["value"].shape == (2, 2, 2)
    assert h.criteria["preference"] == ("Row", "Column")
    assert tuple(h.layers) == ("objective", "value", "preference")


def test_equal_games_have_equal_hashes_and_digests_across_processes():
    a, b = prisoners_dilemma(), prisoners_dilemma()
    assert a == b and hash(a) == hash(b) and a.digest == b.digest
    assert a != a.replace(title="other") and a != a.to_float()
    code = ("from games import Game; print(Game.from_bimatrix([[3, 0], [5, 1]], [[3, 5], [0, 1]],"
            " players=('Row', 'Column'), actions=[('C', 'D'), ('C', 'D')]).digest)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == a.digest


def test_negative_zero_and_zero_hash_alike():
    assert Game(np.array([[0.0]])) == Game(np.array([[-0.0]]))
    assert Game(np.array([[0.0]])).digest == Game(np.array([[-0.0]])).digest


@settings(max_examples=60, deadline=None)
@given(game_objects())
def test_to_dict_from_dict_is_the_identity(g):
    assert Game.from_dict(g.to_dict()) == g


@settings(max_examples=30, deadline=None)
@given(game_objects())
def test_games_pickle(g):
    assert pickle.loads(pickle.dumps(g)) == g


def test_integer_payoffs_rescale_each_player_exactly():
    g = Game.from_bimatrix([[Fraction(1, 2), Fraction(1, 3)], [1, 0]],
                           [[Fraction(1, 4), 2], [0, 1]])
    ints, scales = g.integer_payoffs()
    assert scales == (6, 4)
    for i in range(2):
        assert all(ints[i].flat[k] == g.payoffs[i].flat[k] * scales[i] for k in range(4))
    with pytest.raises(InvalidGameError, match="exact"):
        g.to_float().integer_payoffs()


def test_repr_text_and_html_show_names_and_payoffs():
    g = prisoners_dilemma().replace(title="PD")
    assert "PD" in repr(g) and "2 x 2" in repr(g)
    text = str(g)
    assert "Row \\ Column" in text and "5, 0" in text
    html = g._repr_html_()
    assert "<table>" in html and "5, 0" in html
    three = Game(np.zeros((3, 2, 2, 2), dtype=int))
    assert "Player 3" in str(three) and "<table>" in three._repr_html_()


def test_import_games_is_fast_and_light():
    code = ("import time, sys; t = time.perf_counter(); import games, pareto, mechanisms; "
            "print(time.perf_counter() - t); "
            "print(any(m in sys.modules for m in "
            "('scipy.optimize', 'scipy.sparse', 'scipy.special', 'matplotlib', 'numba', "
            "'cvxpy', 'mechanisms.testbed')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    heavy = out.stdout.split()[1]
    assert heavy == "False", "import games pulled in a heavy module"


def test_with_arithmetic_converts_only_when_asked():
    g = prisoners_dilemma()
    assert g.with_arithmetic(None) is g and g.with_arithmetic(True) is g
    assert not g.with_arithmetic(False).exact
    assert g.with_arithmetic(False).with_arithmetic(True) == g
