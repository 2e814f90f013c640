"""Malformed input raises the GameError family with a message naming the field or line,
the value found and what was expected (issue 16, item 6, the games/ part).

Games and profiles that are malformed raise InvalidGameError (files: FormatError);
arguments that are not games (catalogue parameters, seeds, executors, flags) raise
InvalidArgumentError. Each case here failed before: a numpy dtype name in the message, a
nonexistent player, a builtin exception, or a bad value silently accepted.
"""

from __future__ import annotations

import json
import math
from decimal import Decimal
from fractions import Fraction as F

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from games import (
    FormatError,
    Game,
    GameError,
    InvalidArgumentError,
    InvalidGameError,
    SolverError,
    catalog,
)
from games.io import read_json_string, read_nfg_string, write_json_string, write_nfg_string

PD_TEXT = 'NFG 1 R "PD" { "Row" "Column" } { 2 2 }\n3 3 0 5 5 0 1 1\n'
NAMES_TEXT = ('NFG 1 R "PD" { "Row" "Column" }\n{ { "C" "D" } { "C" "D" } }\n'
              '3 3 0 5 5 0 1 1\n')
JSON_TEXT = ('{"format": "masalign.game", "version": 1, "players": ["A", "B"], '
             '"actions": [["x", "y"], ["x", "y"]], "payoffs": %s}')


def _message(error, call):
    with pytest.raises(error) as info:
        call()
    return str(info.value)


# ---------------------------------------------------------------------------------------
# Payoff arrays: the first offending value, as written, and where it is


def test_a_string_payoff_is_named_with_its_player_and_profile_not_numpys_dtype():
    """Was: "payoffs: expected numbers, found str672 values such as np.str_('1')"."""
    text = _message(InvalidGameError,
                    lambda: Game([[[1, 2], [3, 4]], [[5, "abc"], [7, 8]]]))
    assert text == "payoffs: expected numbers, found a string 'abc' for player 1 at profile (0, 1)"
    assert "str" + "672" not in text and "np.str_" not in text


@pytest.mark.parametrize("payoffs, fragments", [
    pytest.param([[[True, 0], [0, 1]], [[1, 0], [0, 1]]],
                 ["payoffs", "the boolean True", "player 0 at profile (0, 0)"], id="bool-mixed"),
    pytest.param(np.ones((2, 2, 2), dtype=bool),
                 ["payoffs", "expected numbers", "the boolean True"], id="bool-array"),
    pytest.param([[[F(1), np.bool_(False)], [0, 1]], [[1, 0], [0, 1]]],
                 ["the boolean False", "player 0 at profile (0, 1)"], id="bool-object"),
    pytest.param([[[1, 2], [3, 4]], [[1, 2 + 1j], [3, 4]]],
                 ["expected real numbers", "complex number (2+1j)",
                  "player 1 at profile (0, 1)"], id="complex"),
    pytest.param([[[F(1), None], [0, 1]], [[1, 0], [0, 1]]],
                 ["expected numbers, found None", "player 0 at profile (0, 1)"], id="none"),
    pytest.param([[[1.0, math.nan], [0, 1]], [[1, 0], [0, 1]]],
                 ["expected finite numbers", "nan", "player 0 at profile (0, 1)"], id="nan"),
    pytest.param([[[1.0, 0], [0, 1]], [[1, 0], [-math.inf, 1]]],
                 ["expected finite numbers", "-inf", "player 1 at profile (1, 0)"], id="inf"),
    pytest.param([[[Decimal("NaN"), 0], [0, 1]], [[1, 0], [0, 1]]],
                 ["expected finite numbers", "nan", "player 0 at profile (0, 0)"],
                 id="decimal-nan"),
    pytest.param([[[1, [2]], [3, 4]], [[1, 2], [3, 4]]], ["payoffs", "ragged"], id="nested"),
    pytest.param("abc", ["payoffs", "a string 'abc'", "a single value"], id="scalar-string"),
    pytest.param({"a": 1}, ["payoffs", "dict"], id="dict"),
    pytest.param([[]], ["actions", "at least one action", "player 0"], id="empty-actions"),
])
def test_malformed_payoffs_raise_invalid_game_error_naming_value_and_place(payoffs, fragments):
    text = _message(InvalidGameError, lambda: Game(payoffs))
    for fragment in fragments:
        assert fragment in text, (fragment, text)


def test_strings_in_a_bimatrix_and_in_a_layer_are_named_with_their_index():
    assert "A: expected numbers, found a string '3' at (0, 0)" in _message(
        InvalidGameError, lambda: Game.from_bimatrix([["3", "0"], ["5", "1"]]))
    assert "layers['v']: expected numbers, found a string 'x' at (0, 1)" in _message(
        InvalidGameError, lambda: Game([[1, 2]], layers={"v": [[1, "x"]]}))


def test_the_exact_flag_accepts_only_true_false_or_none():
    assert "exact: expected True, False or None, found str 'yes'" in _message(
        InvalidArgumentError, lambda: Game([[1, 2]], exact="yes"))
    assert Game([[1, 2]], exact=np.bool_(False)).exact is False


@pytest.mark.parametrize("profile, fragments", [
    ([[math.nan, 1], [1, 0]], ["profile[0]", "finite", "nan"]),
    ([[True, False], [1, 0]], ["profile[0]", "the boolean True"]),
    ([["a", 1], [1, 0]], ["profile[0]", "a string 'a'"]),
    ([[1j, 1], [1, 0]], ["profile[0]", "complex number 1j"]),
])
def test_malformed_mixed_profiles_name_the_player_and_value(profile, fragments):
    pd = catalog.prisoners_dilemma()
    text = _message(InvalidGameError, lambda: pd.strategies(profile))
    for fragment in fragments:
        assert fragment in text, (fragment, text)


# ---------------------------------------------------------------------------------------
# .nfg files


def test_a_missing_brace_after_the_action_counts_is_reported_with_its_line():
    """Was: 'expected the number of actions of player 11 ... found end of file': the
    payoffs were read as the action counts of players that do not exist."""
    text = PD_TEXT.replace("{ 2 2 }", "{ 2 2")
    message = _message(FormatError, lambda: read_nfg_string(text, name="pd.nfg"))
    assert message == ("pd.nfg line 2: expected '}' closing the list of action counts opened "
                       "on line 1 after 2 counts (one per player), found '3'")
    assert "player 3" not in message


def test_a_missing_brace_before_an_outcome_list_is_reported_with_its_line():
    text = 'NFG 1 R "" { "A" "B" } { 1 1\n{ { "" 1, 2 } }\n1\n'
    assert _message(FormatError, lambda: read_nfg_string(text, name="o.nfg")).startswith(
        "o.nfg line 2: expected '}' closing the list of action counts opened on line 1")


def test_a_missing_brace_after_the_action_names_is_reported_with_its_line():
    text = NAMES_TEXT.replace('{ "C" "D" } }', '{ "C" "D" }')
    assert _message(FormatError, lambda: read_nfg_string(text, name="n.nfg")) == (
        "n.nfg line 3: expected '}' closing the list of action names opened on line 2 "
        "(2 lists read, one per player), found '3'")


def test_a_list_of_action_names_for_a_third_player_of_two_is_a_missing_brace():
    """Found by the property below: an extra '{' was read as player 3's action names."""
    text = NAMES_TEXT.replace('{ "C" "D" } }', '{ "C" "D" } { }')
    assert _message(FormatError, lambda: read_nfg_string(text, name="n.nfg")) == (
        "n.nfg line 2: expected '}' closing the list of action names opened on line 2 "
        "(2 lists read, one per player), found '{'")


def test_too_many_counts_closed_by_a_brace_still_say_how_many():
    text = 'NFG 1 R "" { "A" "B" } { 2 2 2 }\n1 1 1 1 1 1 1 1'
    assert "expected 2 action counts (one per player), found 3" in _message(
        FormatError, lambda: read_nfg_string(text))


@pytest.mark.parametrize("token", ["nan", "inf", "-inf", "1/0", "1j", "true", "0x10", "1e401"])
def test_non_numbers_in_a_payoff_list_are_named_with_their_line(token):
    text = PD_TEXT.replace("0 5 5", f"0 {token} 5")
    message = _message(FormatError, lambda: read_nfg_string(text, name="pd.nfg"))
    assert message.startswith("pd.nfg line 2: expected a payoff") and repr(token) in message


# ---------------------------------------------------------------------------------------
# JSON files


@pytest.mark.parametrize("payoffs, fragments", [
    ("[[[true, 2], [3, 4]], [[4, 3], [2, 1]]]", ["payoffs", "the boolean True",
                                                 "player 0 at profile (0, 0)"]),
    ("[[[null, 2], [3, 4]], [[4, 3], [2, 1]]]", ["payoffs", "found None"]),
    ('[[[1, 2], [3, 4]], [[4, 3], [2, "abc"]]]', ["payoffs", "a string 'abc'",
                                                  "player 1 at profile (1, 1)"]),
    ('[[[1, 2], [3, 4]], [[4, 3], [2, "1/0"]]]', ["payoffs", "'1/0'"]),
    ("[[[1e999, 2], [3, 4]], [[4, 3], [2, 1]]]", ["payoffs", "finite", "inf"]),
    ("[[[[1], 2], [3, 4]], [[4, 3], [2, 1]]]", ["payoffs", "ragged"]),
    ("[[[%s, 2], [3, 4]], [[4, 3], [2, 1]]]" % ("9" * 5000), ["numbers of at most",
                                                             "digits"]),
])
def test_malformed_json_payoffs_raise_format_error_naming_value_and_place(payoffs, fragments):
    message = _message(FormatError, lambda: read_json_string(JSON_TEXT % payoffs, "g.json"))
    assert message.startswith("g.json: ")
    assert "set_int_max_str_digits" not in message
    for fragment in fragments:
        assert fragment in message, (fragment, message)


def test_json_version_true_is_not_version_1():
    text = (JSON_TEXT % "[[[1, 2], [3, 4]], [[4, 3], [2, 1]]]").replace('"version": 1',
                                                                          '"version": true')
    assert "version: expected 1, found True" in _message(FormatError,
                                                         lambda: read_json_string(text))


def test_json_nested_beyond_the_recursion_limit_is_a_format_error():
    message = _message(FormatError, lambda: read_json_string("[" * 100000 + "]" * 100000))
    assert "nested" in message and "recursion" in message


# ---------------------------------------------------------------------------------------
# Arguments that are not games


@pytest.mark.parametrize("call, fragment", [
    (lambda: catalog.prisoners_dilemma(b="2", c=1), "b: expected a number"),
    (lambda: catalog.prisoners_dilemma(b=math.nan, c=1), "b: expected a finite number"),
    (lambda: catalog.hawk_dove(V=True), "V: expected a number"),
    (lambda: catalog.stag_hunt(R=1j), "R: expected a number"),
    (lambda: catalog.coordination(n_actions=1), "n_actions: expected an integer >= 2"),
    (lambda: catalog.public_goods(n=2.5), "n: expected an integer >= 2"),
    (lambda: catalog.commons(levels=[]), "levels: expected at least one value"),
    (lambda: catalog.commons(levels=[1, 1]), "levels: expected distinct values"),
    (lambda: catalog.cournot(quantities=[[0, 1]]), "quantities"),
    (lambda: catalog.random_game((2, 2), seed="abc"), "seed: expected None, an integer"),
    (lambda: catalog.random_game((2, 0), seed=1), "shape"),
    (lambda: catalog.random_game((2, 2), low=1, high=0), "high: expected low < high"),
    (lambda: catalog.covariance_game((2, 2), rho=math.nan), "rho"),
    (lambda: catalog.by_name("tragedy"), "name: expected one of"),
    (lambda: catalog.by_name(7), "name: expected a catalogue name"),
])
def test_bad_catalogue_parameters_raise_invalid_argument_error(call, fragment):
    """Parameters are arguments, not games: InvalidArgumentError (a GameError and a
    ValueError), not InvalidGameError."""
    with pytest.raises(InvalidArgumentError) as info:
        call()
    assert fragment in str(info.value)
    assert not isinstance(info.value, InvalidGameError)
    assert isinstance(info.value, GameError) and isinstance(info.value, ValueError)


# ---------------------------------------------------------------------------------------
# Properties: damaged files never escape the family


def _damaged(text: str):
    """Truncations, deletions, duplications and substitutions of a valid file."""
    cut = st.integers(0, len(text))
    junk = st.sampled_from(["{", "}", '"', ",", "-", "nan", "1/0", "\x00", "\n", "9" * 30,
                            "\xff", "{ {", "", " 1e999 "])
    return st.one_of(
        cut.map(lambda k: text[:k]),
        st.tuples(cut, cut).map(lambda ab: text[:min(ab)] + text[max(ab):]),
        st.tuples(cut, junk).map(lambda kj: text[:kj[0]] + kj[1] + text[kj[0]:]),
        st.tuples(cut, cut, junk).map(
            lambda abj: text[:min(abj[:2])] + abj[2] + text[max(abj[:2]):]),
    )


GAME = Game([[[3, F(1, 3)], [5, 1]], [[3, 5], [0, F(-7, 2)]]], players=["Row", "Column"],
            actions=[["C", "D"], ["C", "D"]], title="PD", layers={"value": [[1, 2], [3, 4]]})


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(_damaged(write_nfg_string(GAME, drop_layers=True)),
                 _damaged(write_nfg_string(GAME, version="outcome", drop_layers=True))))
def test_damaged_nfg_files_give_a_game_or_a_format_error_with_a_line(text):
    try:
        game = read_nfg_string(text, name="d.nfg")
    except FormatError as err:
        assert str(err).startswith("d.nfg")
        assert "player 3" not in str(err)   # no player beyond the two declared
    else:
        assert isinstance(game, Game) and game.n_players >= 1


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_damaged(write_json_string(GAME)))
def test_damaged_json_files_give_a_game_or_a_format_error(text):
    try:
        game = read_json_string(text, name="d.json")
    except FormatError as err:
        assert str(err).startswith("d.json")
    else:
        assert isinstance(game, Game)


json_values = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(-10**6, 10**6), st.floats(),
              st.text(max_size=5)),
    lambda inner: st.lists(inner, max_size=3), max_leaves=12)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(json_values)
def test_any_json_payoff_value_gives_a_game_or_a_named_error(payoffs):
    document = {"format": "masalign.game", "version": 1, "payoffs": payoffs}
    try:
        Game.from_dict(json.loads(json.dumps(document)))
    except InvalidGameError as err:
        assert str(err).split(":")[0] in ("payoffs", "actions", "players")


# ---------------------------------------------------------------------------------------
# A method that cannot answer for a valid input raises SolverError, naming what failed and
# what to do (these raised InvalidGameError, blaming a game that was well formed)


@pytest.mark.parametrize("exact", [True, False])
def test_a_singular_markov_chain_system_is_a_solver_error(exact):
    """The systems of a match's joint chain (I - wP with w < 1, stationary equations,
    absorption) are never singular for valid strategies: a singular one is the solver's
    failure."""
    from games.repeated.matches import solve_linear

    one = F(1) if exact else 1.0
    singular = np.array([[one, 2 * one], [2 * one, 4 * one]], dtype=object if exact else float)
    rhs = np.array([one, one], dtype=object if exact else float)
    with pytest.raises(SolverError, match="solve_linear: the 2x2 linear system .* singular") \
            as info:
        solve_linear(singular, rhs, exact)
    assert not isinstance(info.value, InvalidGameError)
    assert ("please report" in str(info.value)) is exact
    assert "further from 1" in str(info.value) or exact


def test_an_overflowing_intensity_of_selection_is_a_solver_error():
    """For a finite intensity every fixation probability is positive (the chain between
    monomorphic states is irreducible); at intensity 1e308 exp(-beta * gain) overflows and
    the chain falls apart numerically. The prisoner's dilemma is a valid game."""
    from games.evolution import stationary_distribution

    matrix = np.array([[3, 0], [5, 1]])
    assert stationary_distribution(matrix, 10, 1.0).sum() == pytest.approx(1)
    with np.errstate(over="ignore", invalid="ignore"), \
            pytest.raises(SolverError, match="numerically reducible.*lower the intensity") \
            as info:
        stationary_distribution(matrix, 10, 1e308)
    assert not isinstance(info.value, InvalidGameError)


def test_a_singular_population_chain_is_a_solver_error(monkeypatch):
    """With mutation the population chain is irreducible, so its stationary equations have
    one solution; if the sparse solve still fails (NaN), that is the solver's failure,
    named as such instead of a NaN distribution."""
    import scipy.sparse.linalg

    from games.evolution.finite import population_stationary_distribution

    matrix = np.array([[3.0, 0.0], [5.0, 1.0]])
    states, pi = population_stationary_distribution(matrix, 10, 1.0, 1e-3)
    assert pi.sum() == pytest.approx(1) and np.all(pi > 0)
    monkeypatch.setattr(scipy.sparse.linalg, "spsolve",
                        lambda a, b: np.full(b.shape, np.nan))
    with pytest.raises(SolverError, match="singular to float precision.*mutation=None"):
        population_stationary_distribution(matrix, 10, 1.0, 1e-3)


def test_an_overflowing_imitation_rate_gives_no_warning():
    """At a huge intensity the Fermi rate 1/(1 + exp(-beta gain)) is 0 or 1 (exp
    overflows to inf): the distribution is still computed, with no overflow warning."""
    import warnings

    from games.evolution.finite import population_stationary_distribution

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        _, pi = population_stationary_distribution(np.array([[3.0, 0.0], [5.0, 1.0]]),
                                                   10, 1e300, 1e-3)
    assert pi.sum() == pytest.approx(1) and pi[0] > 0.9      # all-defectors dominates
