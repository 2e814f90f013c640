"""Bad input is refused before work starts, with a message that names the problem.

Each case gives malformed input (a file, or arguments to the Game model) and checks the
exception type *and* that the message names the file / line / field and the bad value.
Never a bare IndexError, ValueError, MemoryError or UnicodeDecodeError.
"""

from __future__ import annotations

import math
from fractions import Fraction as F

import numpy as np
import pytest

from games import FormatError, Game, GameTooLargeError, InvalidGameError, check_game_size
from games.io import read_game, read_json, read_nfg

PD_HEADER = 'NFG 1 R "PD" { "Row" "Column" } { 2 2 }\n'
OUTCOME_HEADER = 'NFG 1 R "PD" { "Row" "Column" }\n{ { "C" "D" } { "C" "D" } }\n'
GOOD_JSON = ('{"format": "masalign.game", "version": 1, "players": ["A", "B"],\n'
             ' "actions": [["x", "y"], ["x", "y"]], "payoffs": %s%s}')
GOOD_PAYOFFS = "[[[1, 2], [3, 4]], [[4, 3], [2, 1]]]"

# (id, file name, content (str or bytes), substrings the message must contain)
FILE_CASES = [
    ("truncated_payoffs", "pd.nfg", PD_HEADER + "3 3 0 5\n5 0 1",
     ["pd.nfg line 3", "expected 8 payoffs for a 2x2 game with 2 players, found 7"]),
    ("too_many_payoffs", "pd.nfg", PD_HEADER + "3 3 0 5 5 0 1 1 9",
     ["pd.nfg line 2", "expected 8 payoffs", "found 9"]),
    ("bad_token_in_payoffs", "pd.nfg", PD_HEADER + "3 3 0 five 5 0 1 1",
     ["pd.nfg line 2", "expected a payoff", "'five'"]),
    ("sign_garbage", "pd.nfg", PD_HEADER + "3 3 0 --5 5 0 1 1", ["line 2", "'--5'"]),
    ("double_comma", "pd.nfg", PD_HEADER + "3, 3,, 0 5 5 0 1 1", ["line 2", "found ','"]),
    ("version_2_header", "v2.nfg", 'NFG 2 R "x" { "A" "B" } { 2 2 } 1 1 1 1 1 1 1 1',
     ["v2.nfg line 1", "version 1", "'2'"]),
    ("bad_number_type", "q.nfg", 'NFG 1 Q "x" { "A" } { 1 } 1', ["line 1", "'D' or 'R'", "'Q'"]),
    ("extensive_form_file", "tree.nfg", 'EFG 2 R "a tree" { "A" "B" }',
     ["tree.nfg line 1", "'NFG'", "extensive-form"]),
    ("empty_file", "empty.nfg", "", ["empty.nfg line 1", "'NFG'", "end of file"]),
    ("binary_junk", "junk.nfg", b"\x89PNG\r\n\x1a\n\x00\x00\xff\xfe",
     ["junk.nfg line 1", "UTF-8", "0x89"]),
    ("latin1_name_on_line_2", "latin.nfg",
     'NFG 1 R "x" { "A" }\n{ { "Jos\xe9" } }\n1'.encode("latin-1"),
     ["latin.nfg line 2", "UTF-8", "0xe9"]),
    ("nul_bytes_as_token", "nul.nfg", PD_HEADER + "1 2 3 \x00\x00 5 6 7 8",
     ["nul.nfg line 2", "expected a payoff", "\\x00"]),
    ("huge_declared_size", "big.nfg",
     'NFG 1 R "big" { "A" "B" "C" } { 100000 100000 100000 }\n1 2 3',
     ["big.nfg line 1", "100000 x 100000 x 100000", "GiB"]),
    ("large_declared_size_few_payoffs", "big.nfg",
     'NFG 1 R "big" { "A" "B" } { 3000 3000 }\n1 2 3',
     ["big.nfg line 2", "expected 18000000 payoffs for a 3000x3000 game", "found 3"]),
    ("too_many_players_for_an_array", "many.nfg",
     'NFG 1 R "" { ' + " ".join(f'"{k}"' for k in range(70)) + " } { " + "1 " * 70 + "}",
     ["many.nfg line 1", "fewer players", "70 players"]),
    ("zero_actions", "zero.nfg", 'NFG 1 R "" { "A" "B" } { 2 0 } 1 1',
     ["zero.nfg line 1", "number of actions of player 2", "'0'"]),
    ("counts_for_wrong_player_number", "n.nfg", 'NFG 1 R "" { "A" "B" } { 2 2 2 } 1',
     ["line 1", "2 action counts", "found 3"]),
    ("name_lists_for_wrong_player_number", "n.nfg",
     'NFG 1 R "" { "A" "B" "C" }\n{ { "x" } { "y" } }\n1 1 1',
     ["n.nfg line 2", "3 lists of action names", "found 2"]),
    ("no_players", "nobody.nfg", 'NFG 1 R "" { } { } ', ["line 1", "at least one player"]),
    ("unbalanced_open_brace", "brace.nfg", 'NFG 1 R "" { "A" "B" { 2 2 }\n1 2 3 4 5 6 7 8',
     ["brace.nfg line 1", "player name", "'{'"]),
    ("unbalanced_close_brace", "brace.nfg", PD_HEADER + "3 3 0 5 5 0 1 1 }",
     ["brace.nfg line 2", "expected a payoff", "'}'"]),
    ("unterminated_string", "quote.nfg", 'NFG 1 R "PD"\n{ "A" "B }\n{ 1 1 }\n1 1',
     ["quote.nfg line 2", "closing '\"'"]),
    ("huge_exponent", "exp.nfg", PD_HEADER + "1e999999999 0 0 0 0 0 0 0",
     ["exp.nfg line 2", "exponent"]),
    ("outcome_index_out_of_range", "out.nfg",
     OUTCOME_HEADER + '{ { "a" 1, 1 } { "b" 0, 2 } }\n1 2\n5 1',
     ["out.nfg line 5", "outcome index from 0 to 2", "found 5"]),
    ("outcome_with_too_few_payoffs", "out.nfg",
     OUTCOME_HEADER + '{ { "a" 1, 1 }\n{ "b" 0 } }\n1 2 2 1',
     ["out.nfg line 4", "expected 2 payoffs (one per player) in outcome 2, found 1"]),
    ("too_few_outcome_indices", "out.nfg", OUTCOME_HEADER + '{ { "a" 1, 1 } }\n1 1 1',
     ["out.nfg line 4", "expected 4 outcome indices", "found 3"]),
    ("negative_outcome_index", "out.nfg", OUTCOME_HEADER + '{ { "a" 1, 1 } }\n1 -1 1 1',
     ["out.nfg line 4", "outcome index", "'-1'"]),
    ("outcome_list_not_closed", "out.nfg", OUTCOME_HEADER + '{ { "a" 1, 1 }\n1 1 1 1',
     ["out.nfg line 4", "'{' opening an outcome", "'1'"]),
    ("json_syntax_error", "g.json", '{"format": "masalign.game",\n "version": 1,,}',
     ["g.json line 2 column", "expected valid JSON"]),
    ("json_nan_payoff", "nan.json", GOOD_JSON % ("[[[NaN, 2], [3, 4]], [[4, 3], [2, 1]]]", ""),
     ["nan.json", "finite", "NaN"]),
    ("json_wrong_format_field", "f.json", GOOD_JSON.replace("masalign.game", "gambit")
     % (GOOD_PAYOFFS, ""), ["f.json", "format", "'gambit'"]),
    ("json_ragged_payoffs", "r.json", GOOD_JSON % ("[[[1, 2], [3]], [[4, 3], [2, 1]]]", ""),
     ["r.json", "payoffs", "ragged"]),
    ("json_string_payoff", "s.json", GOOD_JSON % ('[[[1, "lots"], [3, 4]], [[4, 3], [2, 1]]]', ""),
     ["s.json", "payoffs", "'lots'"]),
    ("json_layer_of_wrong_shape", "l.json",
     GOOD_JSON % (GOOD_PAYOFFS, ', "layers": {"value": {"values": [[1, 2, 3]]}}'),
     ["l.json", "layers['value']", "(1, 3)"]),
    ("json_not_an_object", "list.json", "[1, 2, 3]", ["list.json", "JSON object", "list"]),
    ("json_non_utf8", "bad.json", b'{"title": "\xff"}', ["bad.json line 1", "UTF-8", "0xff"]),
    ("json_duplicate_players", "d.json",
     GOOD_JSON.replace('["A", "B"]', '["A", "A"]') % (GOOD_PAYOFFS, ""),
     ["d.json", "players", "distinct", "'A'"]),
]


@pytest.mark.parametrize("name,content,fragments",
                         [pytest.param(*case[1:], id=case[0]) for case in FILE_CASES])
def test_malformed_file_raises_format_error_naming_file_line_and_problem(tmp_path, name,
                                                                        content, fragments):
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    with pytest.raises(FormatError) as info:
        read_game(path)
    message = str(info.value)
    for fragment in fragments:
        assert fragment in message, f"{fragment!r} not in {message!r}"


@pytest.mark.parametrize("reader", [read_nfg, read_json, read_game])
def test_missing_file_raises_format_error_naming_the_path(tmp_path, reader):
    path = tmp_path / "no_such_game.nfg"
    with pytest.raises(FormatError, match="no_such_game.nfg.*expected a readable file"):
        reader(path)


def test_unknown_suffix_raises_format_error_naming_it(tmp_path):
    path = tmp_path / "game.gbt"
    path.write_text(PD_HEADER + "1 1 1 1 1 1 1 1")
    with pytest.raises(FormatError, match=r"game\.gbt.*\.nfg or \.json.*'\.gbt'"):
        read_game(path)


# ---------------------------------------------------------------------------------------
# Arrays and arguments to the model

PD = Game.from_bimatrix([[3, 0], [5, 1]], [[3, 5], [0, 1]])


def _nan_payoffs():
    p = np.ones((2, 2, 2))
    p[1, 1, 0] = np.nan
    return Game(p)


MODEL_CASES = [
    ("nan_payoff", _nan_payoffs, InvalidGameError,
     ["payoffs", "finite", "nan", "player 1", "profile (1, 0)"]),
    ("inf_payoff", lambda: Game.from_bimatrix([[1.0, math.inf], [0.0, 0.0]]), InvalidGameError,
     ["payoffs", "finite", "inf"]),
    ("ragged_lists", lambda: Game([[[1, 2], [3]], [[1, 2], [3, 4]]]), InvalidGameError,
     ["payoffs", "ragged"]),
    ("wrong_shape", lambda: Game(np.zeros((3, 2, 2))), InvalidGameError,
     ["payoffs", "2 players", "(3, 2, 2)"]),
    ("one_dimensional", lambda: Game([1, 2, 3]), InvalidGameError, ["payoffs", "shape (3,)"]),
    ("zero_actions", lambda: Game(np.zeros((2, 2, 0))), InvalidGameError,
     ["actions", "at least one action", "player 1"]),
    ("wrong_player_name_count", lambda: PD.replace(players=["only one"]), InvalidGameError,
     ["players", "expected 2 names", "found 1"]),
    ("wrong_action_name_count", lambda: PD.replace(actions=[["a", "b", "c"], ["x", "y"]]),
     InvalidGameError, ["actions of player 0", "expected 2 names", "found 3"]),
    ("duplicate_action_names", lambda: PD.replace(actions=[["a", "a"], ["x", "y"]]),
     InvalidGameError, ["actions of player 0", "distinct", "'a'"]),
    ("non_string_names", lambda: PD.replace(players=["A", 7]), InvalidGameError,
     ["players", "strings", "int 7"]),
    ("layer_of_wrong_shape", lambda: PD.replace(layers={"value": np.zeros((2, 3))}),
     InvalidGameError, ["layers['value']", "(2, 3)"]),
    ("strings_as_payoffs", lambda: Game.from_bimatrix([["3", "0"], ["5", "1"]]),
     InvalidGameError, ["A", "expected numbers", "'3'"]),
    ("complex_payoffs", lambda: Game.from_bimatrix([[1j, 0], [0, 1]]), InvalidGameError,
     ["A", "complex"]),
    ("bimatrix_shapes_differ", lambda: Game.from_bimatrix([[1, 2]], [[1], [2]]),
     InvalidGameError, ["B", "(1, 2)", "(2, 1)"]),
    ("too_large_game", lambda: check_game_size((100000, 100000, 100000), 3), GameTooLargeError,
     ["payoffs", "100000 x 100000 x 100000", "GiB"]),
    ("too_large_game_via_constructor",
     lambda: Game(np.broadcast_to(np.float64(0), (2, 10**5, 10**5))), GameTooLargeError,
     ["payoffs", "GiB"]),
    ("probabilities_not_summing_to_1", lambda: PD.strategies([[F(1, 2), F(1, 3)], [1, 0]]),
     InvalidGameError, ["profile[0]", "summing to 1", "1/3"]),
    ("negative_probability", lambda: PD.strategies([[1.5, -0.5], [1, 0]]), InvalidGameError,
     ["profile[0]", ">= 0", "-0.5"]),
    ("profile_with_wrong_length", lambda: PD.strategies([[1, 0, 0], [1, 0]]),
     InvalidGameError, ["profile[0]", "2 probabilities", "(3,)"]),
    ("restrict_unknown_action", lambda: PD.restrict([["9"], None]), InvalidGameError,
     ["action of player 0", "'9'"]),
    ("restrict_to_no_action", lambda: PD.restrict([[], None]), InvalidGameError,
     ["player 0", "at least one action"]),
    ("restrict_wrong_entry_count", lambda: PD.restrict([None]), InvalidGameError,
     ["actions", "2 entries", "found 1"]),
]


@pytest.mark.parametrize("build,error,fragments",
                         [pytest.param(*case[1:], id=case[0]) for case in MODEL_CASES])
def test_malformed_model_input_raises_an_error_naming_the_problem(build, error, fragments):
    with pytest.raises(error) as info:
        build()
    message = str(info.value)
    for fragment in fragments:
        assert fragment in message, f"{fragment!r} not in {message!r}"


def test_errors_are_never_bare_builtins():
    """Every error above is of the GameError family (also a ValueError for old callers)."""
    assert issubclass(FormatError, ValueError)
    assert issubclass(GameTooLargeError, InvalidGameError)
    assert issubclass(GameTooLargeError, MemoryError)


def test_text_stream_that_fails_to_decode_raises_format_error(tmp_path):
    path = tmp_path / "latin.nfg"
    path.write_bytes('NFG 1 R "Jos\xe9" { "A" } { 1 } 1'.encode("latin-1"))
    with open(path, encoding="utf-8") as handle:
        with pytest.raises(FormatError, match=r"latin\.nfg.*0xe9"):
            read_nfg(handle)
