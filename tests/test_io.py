"""Reading and writing games: Gambit .nfg (payoff and outcome versions), JSON, atomic writes.

The conformance suite reads every file of ``tests/data/games`` (the games of Gambit's example
files, rebuilt and written by ``tests/data/make_test_games.py``) and the small hand-written
files of ``tests/data``.
"""

from __future__ import annotations

import importlib.util
import io
import json
import os
import stat
import sys
from fractions import Fraction as F
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import games.io as gio
from games import FormatError, Game
from games.io import (
    atomic_write_text,
    read_game,
    read_json,
    read_json_string,
    read_nfg,
    read_nfg_string,
    write_game,
    write_json,
    write_json_string,
    write_nfg,
    write_nfg_string,
)

DATA = Path(__file__).resolve().parent / "data"
GAMBIT = DATA / "games"
GAMBIT_FILES = sorted(GAMBIT.glob("*.nfg"))


def gambit_params():
    return [pytest.param(path, id=path.stem) for path in GAMBIT_FILES]


def load_make_test_games():
    """The generator script of tests/data/games, imported from its path."""
    spec = importlib.util.spec_from_file_location("make_test_games",
                                                  DATA / "make_test_games.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module      # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def fractions(rows):
    return np.array([[F(x) for x in row] for row in rows], dtype=object)


# ---------------------------------------------------------------------------------------
# Conformance: every game of tests/data/games


@pytest.mark.parametrize("path", gambit_params())
def test_every_gambit_file_reads_as_an_exact_game(path):
    g = read_nfg(path)
    assert g.exact
    assert 2 <= g.n_players <= 5 and g.payoffs.shape == (g.n_players, *g.shape)
    assert all(len(names) == a for names, a in zip(g.actions, g.shape))
    assert all(isinstance(v, F) for v in g.payoffs.flat)


@pytest.mark.parametrize("version", ["payoff", "outcome"])
@pytest.mark.parametrize("path", gambit_params())
def test_every_gambit_file_round_trips_through_write_and_read(path, version, tmp_path):
    g = read_nfg(path)
    out = tmp_path / "copy.nfg"
    write_nfg(g, out, version=version)
    assert read_nfg(out) == g
    assert read_nfg(out).digest == g.digest


@pytest.mark.parametrize("path", gambit_params())
def test_every_gambit_file_round_trips_through_json(path, tmp_path):
    g = read_nfg(path)
    write_json(g, tmp_path / "copy.json")
    assert read_json(tmp_path / "copy.json") == g


def test_conformance_suite_is_not_silently_empty():
    """tests/data/games holds 61 files: a glob that finds fewer means a broken path."""
    assert len(GAMBIT_FILES) == 61


def test_committed_test_games_are_the_games_of_the_generator(tmp_path):
    """Each committed file reads as the game its script builds, and the script writes
    every one of them again."""
    make = load_make_test_games()
    assert sorted(f"{spec.stem}.nfg" for spec in make.GAMES) == [p.name for p in GAMBIT_FILES]
    for spec in make.GAMES:
        game = spec.game()
        assert read_nfg(GAMBIT / f"{spec.stem}.nfg") == game, spec.stem
        assert read_nfg(make.write(spec, tmp_path)) == game, spec.stem


def test_two_player_test_games_are_the_games_the_anchors_solved():
    """tests/fixtures/two_player_equilibria.json holds the payoffs pygambit read from the
    44 two-player Gambit files: each game of tests/data/games named after one has them."""
    fixture = json.loads((DATA.parent / "fixtures" / "two_player_equilibria.json").read_text())
    assert len(fixture["gambit_files"]) == 44
    for case in fixture["gambit_files"]:
        g = read_nfg(GAMBIT / case["file"])
        assert g.payoffs[0].tolist() == fractions(case["A"]).tolist(), case["file"]
        assert g.payoffs[1].tolist() == fractions(case["B"]).tolist(), case["file"]


def test_test_games_cover_every_form_of_the_format():
    """Payoff and outcome versions, action counts, D headers, named and reordered outcomes,
    escaped names, 2 to 5 players, a player with one action."""
    make = load_make_test_games()
    assert {spec.form for spec in make.GAMES} == set(make.FORMS)
    assert {read_nfg(p).n_players for p in GAMBIT_FILES} == {2, 3, 4, 5}
    assert read_nfg(GAMBIT / "contrib__games__perfect3.nfg").shape == (3, 3, 1)
    texts = {p.stem: p.read_text() for p in GAMBIT_FILES}
    assert texts["contrib__games__e04"].startswith('NFG 1 D "')
    assert "{ 3 2 }" in texts["contrib__games__e04"]
    assert texts["contrib__games__loopback"].rstrip().endswith("1 3 2 4")
    assert '"Bob\\\\Carol"' in texts["escaped_names_outcome"]
    assert read_nfg(GAMBIT / "escaped_names_outcome.nfg").players == ('Ann "the first"',
                                                                       "Bob\\Carol")


def test_gambit_prisoners_dilemma_outcome_version_payoffs():
    """Gambit's contrib/games/pd.nfg, outcome version: outcomes (9,9) (10,0) (0,10) (1,1) at
    profiles 1 2 3 4, player 1's action varying fastest."""
    path = GAMBIT / "contrib__games__pd.nfg"
    assert '{ "" 10, 0 }' in path.read_text()
    g = read_nfg(path)
    assert g.title == "Prisoner's Dilemma"
    assert g.players == ("Player 1", "Player 2")
    assert g.payoffs[0].tolist() == [[9, 0], [10, 1]]
    assert g.payoffs[1].tolist() == [[9, 10], [0, 1]]


def test_gambit_von_stengel_6x6_shape_and_first_payoffs():
    """von Stengel (1999), "New maximal numbers of equilibria in bimatrix games", Discrete
    Comput. Geom. 21: a 6x6 game with 75 equilibria; its first payoffs are 9504 and 72336."""
    g = read_nfg(GAMBIT / "catalog__journals__dcg__vonstengel1999__6x6_game_with_75_eq.nfg")
    assert g.shape == (6, 6)
    assert g.players == ("1", "2")
    assert (g.payoffs[0, 0, 0], g.payoffs[1, 0, 0]) == (9504, 72336)


def test_gambit_five_player_game_keeps_decimals_exact():
    g = read_nfg(GAMBIT / "contrib__games__2x2x2x2x2.nfg")
    assert g.n_players == 5 and g.shape == (2, 2, 2, 2, 2)
    assert g.payoffs[0, 0, 0, 0, 0, 0] == F(7247, 1000)


def test_gambit_payoff_version_with_counts_orders_player_one_fastest():
    """Kreps-Wilson example (3x2), payoff version with counts: 0 0 -1 2 -2 -2 0 0 -1 0 3 -1."""
    path = GAMBIT / "contrib__games__e04.nfg"
    assert path.read_text().split("\n")[2].split() == [
        f"{v}.000000" for v in (0, 0, -1, 2, -2, -2, 0, 0, -1, 0, 3, -1)]
    g = read_nfg(path)
    assert g.shape == (3, 2)
    assert g.actions == (("1", "2", "3"), ("1", "2"))
    assert g.payoffs[0].tolist() == [[0, 0], [-1, -1], [-2, 3]]
    assert g.payoffs[1].tolist() == [[0, 0], [2, 0], [-2, -1]]


def test_gambit_outcome_indices_out_of_order():
    """loopback (McKelvey): indices 1 3 2 4 put outcome 3, "21" = (7.32, 6), at profile
    (1, 0) and outcome 2, "12" = (6, 7), at profile (0, 1)."""
    g = read_nfg(GAMBIT / "contrib__games__loopback.nfg")
    assert g.payoffs[0, 1, 0] == F(732, 100) and g.payoffs[1, 1, 0] == 6
    assert g.payoffs[0, 0, 1] == 6 and g.payoffs[1, 0, 1] == 7


def test_gambit_outcome_and_payoff_versions_of_one_game_agree():
    a = read_nfg(GAMBIT / "tests__test_games__coordination_4x4_outcome.nfg")
    b = read_nfg(GAMBIT / "tests__test_games__coordination_4x4_payoff.nfg")
    assert np.array_equal(a.payoffs, b.payoffs)
    assert np.array_equal(a.payoffs[0], np.eye(4, dtype=int))


def test_gambit_repeated_names_are_made_distinct():
    """Gambit allows repeated names; Game does not: a second "defect" becomes
    "defect (2)" and repeated empty player names become the defaults."""
    g = read_nfg(GAMBIT / "tests__test_games__2x2_bimatrix_all_zero_payoffs.nfg")
    assert g.players == ("Joe", "Dan")
    assert g.actions[1] == ("defect", "defect (2)")
    assert read_nfg(GAMBIT / "contrib__games__sww1.nfg").players == ("Player 1", "Player 2")


def test_gambit_named_actions_are_kept():
    g = read_nfg(GAMBIT / "catalog__journals__ijgt__nau2004__sec3.nfg")
    assert g.title == "Battle of the Sexes"
    assert g.actions == (("Top", "Bottom"), ("Left", "Right"))


# ---------------------------------------------------------------------------------------
# The project's own small files


def test_payoff_and_outcome_versions_of_the_same_game_are_equal():
    a = read_nfg(DATA / "pd_payoff.nfg")
    b = read_nfg(DATA / "pd_outcome.nfg")
    assert a.replace(title="") == b.replace(title="")
    assert a.payoffs[0].tolist() == [[3, 0], [5, 1]]
    assert a.actions == (("cooperate", "defect"), ("cooperate", "defect"))


def test_escaped_quotes_and_backslashes_in_names_are_unescaped():
    g = read_nfg(DATA / "escaped_names.nfg")
    assert g.title == 'A "quoted" title with a back\\slash'
    assert g.players == ('Ann "the first"', "Bob\\Carol")
    assert g.actions == (('say "yes"', "C:\\temp"), ("left", "right", "a name\nover two lines"))
    assert g.payoffs[0, 1, 2] == 7


def test_escaped_names_survive_a_round_trip(tmp_path):
    g = read_nfg(DATA / "escaped_names.nfg")
    write_nfg(g, tmp_path / "e.nfg")
    assert read_nfg(tmp_path / "e.nfg") == g


def test_decimals_exponents_and_rationals_are_read_exactly():
    g = read_nfg(DATA / "exact_numbers.nfg")
    assert g.exact
    assert g.payoffs[0].tolist() == [[F(1, 4), F(-7, 3)], [F(1, 1000), F(1131, 1000)]]
    assert g.payoffs[1].tolist() == [[F(3, 4), F(1, 2)], [F(-250), F(0)]]


def test_read_with_exact_false_gives_correctly_rounded_floats():
    g = read_nfg(DATA / "exact_numbers.nfg", exact=False)
    assert not g.exact
    assert g.payoffs.dtype == np.float64
    assert g.payoffs[0, 0, 1] == -7 / 3
    assert g.payoffs[0, 1, 0] == 0.001


def test_three_player_outcome_version_with_null_outcome():
    g = read_nfg(DATA / "three_players.nfg")
    assert g.shape == (2, 3, 2)
    assert g.players == ("Alice", "Bob", "Carol")
    # profile (0, 0, 0): outcome 1 = (1, 2, 3); (0, 1, 0): outcome 0 = null
    assert g.payoffs[:, 0, 0, 0].tolist() == [1, 2, 3]
    assert g.payoffs[:, 0, 1, 0].tolist() == [0, 0, 0]
    # profile (1, 1, 0) is the 4th profile: outcome 3 = (-1, 0, 1/2)
    assert g.payoffs[:, 1, 1, 0].tolist() == [-1, 0, F(1, 2)]


@pytest.mark.parametrize("name", ["pd_payoff", "pd_outcome", "escaped_names", "exact_numbers",
                                  "three_players"])
@pytest.mark.parametrize("version", ["payoff", "outcome"])
def test_own_files_round_trip(name, version, tmp_path):
    g = read_nfg(DATA / f"{name}.nfg")
    assert read_nfg_string(write_nfg_string(g, version=version)) == g


def test_read_from_text_and_binary_file_objects():
    text = (DATA / "pd_payoff.nfg").read_text()
    expected = read_nfg(DATA / "pd_payoff.nfg")
    assert read_nfg(io.StringIO(text)) == expected
    assert read_nfg(io.BytesIO(text.encode())) == expected
    with open(DATA / "pd_payoff.nfg", "rb") as handle:
        assert read_nfg(handle) == expected


def test_utf8_byte_order_mark_is_ignored():
    text = (DATA / "pd_payoff.nfg").read_text()
    assert read_nfg(io.BytesIO(b"\xef\xbb\xbf" + text.encode())) == read_nfg(DATA / "pd_payoff.nfg")


def test_commas_between_payoffs_are_optional():
    a = read_nfg_string('NFG 1 R "" { "1" "2" } { 2 1 } 1, 2, 3, 4')
    b = read_nfg_string('NFG 1 R "" { "1" "2" } { 2 1 } 1 2 3 4')
    assert a == b
    assert a.payoffs[:, 1, 0].tolist() == [3, 4]


def test_single_player_game_reads():
    g = read_nfg_string('NFG 1 R "solo" { "me" } { 3 } 1 2 3')
    assert g.shape == (3,) and g.payoffs[0].tolist() == [1, 2, 3]


def test_json_file_with_layers_round_trips(tmp_path):
    g = read_json(DATA / "pd_layers.json")
    assert set(g.explicit_layers) == {"value", "preference"}
    assert g.criteria["preference"] == ("safety", "fairness")
    assert g.layers["preference"][1, 0, 1] == F(-1, 3)
    write_json(g, tmp_path / "g.json")
    assert read_json(tmp_path / "g.json") == g
    assert read_json_string(write_json_string(g)) == g


def test_json_is_exactly_to_dict():
    g = read_json(DATA / "pd_layers.json")
    assert json.loads(write_json_string(g)) == g.to_dict()


def test_read_game_dispatches_on_suffix(tmp_path):
    assert read_game(DATA / "pd_payoff.nfg") == read_nfg(DATA / "pd_payoff.nfg")
    assert read_game(DATA / "pd_layers.json") == read_json(DATA / "pd_layers.json")
    g = read_nfg(DATA / "three_players.nfg")
    write_game(g, tmp_path / "G.NFG")
    write_game(g, tmp_path / "g.json")
    assert read_game(tmp_path / "G.NFG") == read_game(tmp_path / "g.json") == g


def test_read_game_refuses_an_unknown_suffix():
    with pytest.raises(FormatError, match=r"\.nfg or \.json.*'\.txt'"):
        read_game("game.txt")


# ---------------------------------------------------------------------------------------
# Writing


def test_writing_a_game_with_layers_needs_drop_layers(tmp_path):
    g = read_json(DATA / "pd_layers.json")
    with pytest.raises(FormatError, match="layers"):
        write_nfg(g, tmp_path / "g.nfg")
    assert not (tmp_path / "g.nfg").exists()
    write_nfg(g, tmp_path / "g.nfg", drop_layers=True)
    assert read_nfg(tmp_path / "g.nfg") == g.replace(layers={})


def test_exact_game_is_written_with_rationals_and_header_r():
    g = Game.from_bimatrix([[F(1, 3), 2], [0, F(-5, 2)]], title="t")
    text = write_nfg_string(g)
    assert text.startswith('NFG 1 R "t"')
    assert "1/3" in text and "-5/2" in text


def test_float_game_is_written_with_header_d_and_shortest_repr():
    g = Game.from_bimatrix([[0.1, 2.0], [1e-300, -3.5]])
    text = write_nfg_string(g)
    assert text.startswith("NFG 1 D")
    assert "0.1 " in text and "1e-300" in text
    assert read_nfg_string(text, exact=False) == g


def test_outcome_version_lists_each_distinct_payoff_vector_once():
    g = Game.from_bimatrix(np.zeros((3, 3), dtype=int) + 1)
    text = write_nfg_string(g, version="outcome")
    assert text.count("{ \"\" ") == 1
    assert read_nfg_string(text) == g


def test_unknown_write_version_is_refused():
    g = Game.from_bimatrix([[1]])
    with pytest.raises(ValueError, match="version"):
        write_nfg_string(g, version="strategic")


# ---------------------------------------------------------------------------------------
# Hypothesis round trips (a local strategy; tests/strategies.py belongs to the lead)

NAME = st.text(alphabet=st.sampled_from('ab "\\\n{}#,é'), max_size=6)


def distinct_names(count):
    return st.lists(NAME, min_size=count, max_size=count, unique=True)


@st.composite
def small_games(draw, exact):
    shape = tuple(draw(st.lists(st.integers(1, 3), min_size=1, max_size=3)))
    n = len(shape)
    size = n * int(np.prod(shape))
    if exact:
        number = st.one_of(st.integers(-10**6, 10**6),
                           st.fractions(max_denominator=1000).filter(lambda q: abs(q) < 10**6))
    else:
        number = st.floats(allow_nan=False, allow_infinity=False, width=64)
    values = draw(st.lists(number, min_size=size, max_size=size))
    if exact:
        payoffs = np.empty(size, dtype=object)
        payoffs[:] = values
    else:
        payoffs = np.array(values, dtype=np.float64)
    players = draw(distinct_names(n))
    actions = [draw(distinct_names(a)) for a in shape]
    return Game(payoffs.reshape((n, *shape)), players=players, actions=actions,
                title=draw(NAME), exact=exact)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(g=small_games(exact=True), version=st.sampled_from(["payoff", "outcome"]))
def test_write_then_read_is_identity_on_exact_games(g, version):
    assert read_nfg_string(write_nfg_string(g, version=version)) == g


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(g=small_games(exact=False), version=st.sampled_from(["payoff", "outcome"]))
def test_write_then_read_is_identity_on_float_games(g, version):
    text = write_nfg_string(g, version=version)
    assert read_nfg_string(text, exact=False) == g
    # read exactly, the floats are the fractions of their shortest text
    assert read_nfg_string(text) == g.to_exact()


@settings(max_examples=40, deadline=None)
@given(g=st.one_of(small_games(exact=True), small_games(exact=False)))
def test_json_write_then_read_is_identity(g):
    assert read_json_string(write_json_string(g)) == g


# ---------------------------------------------------------------------------------------
# Atomic writes


def test_atomic_write_creates_and_replaces(tmp_path):
    target = tmp_path / "f.txt"
    atomic_write_text(target, "one\n")
    atomic_write_text(target, "two\n")
    assert target.read_text() == "two\n"
    assert os.listdir(tmp_path) == ["f.txt"]


@pytest.mark.parametrize("failing", ["fsync", "replace", "write"])
def test_failure_mid_write_keeps_the_old_file_and_leaves_no_temporary(tmp_path, monkeypatch,
                                                                       failing):
    target = tmp_path / "pd.nfg"
    target.write_text("old content\n")
    g = read_nfg(DATA / "pd_payoff.nfg")

    def boom(*args, **kwargs):
        raise OSError("disk full (simulated)")

    if failing == "write":
        real_fdopen = os.fdopen

        class Failing:
            def __init__(self, handle):
                self.handle = handle

            def __enter__(self):
                return self

            def __exit__(self, *exc):
                self.handle.close()

            def write(self, data):
                self.handle.write(data[: len(data) // 2])
                raise OSError("disk full (simulated)")

        monkeypatch.setattr(gio.os, "fdopen", lambda fd, mode: Failing(real_fdopen(fd, mode)))
    else:
        monkeypatch.setattr(gio.os, failing, boom)
    with pytest.raises(OSError, match="simulated"):
        write_nfg(g, target)
    monkeypatch.undo()
    assert target.read_text() == "old content\n"
    assert os.listdir(tmp_path) == ["pd.nfg"]


def test_a_refused_write_leaves_the_old_file_untouched(tmp_path):
    target = tmp_path / "g.nfg"
    target.write_text("old\n")
    with pytest.raises(FormatError):
        write_nfg(read_json(DATA / "pd_layers.json"), target)
    assert target.read_text() == "old\n"
    assert os.listdir(tmp_path) == ["g.nfg"]


def test_atomic_write_into_a_missing_directory_creates_nothing(tmp_path):
    with pytest.raises(FileNotFoundError):
        atomic_write_text(tmp_path / "missing" / "f.txt", "x")
    assert os.listdir(tmp_path) == []


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_atomic_write_keeps_the_permissions_of_a_replaced_file(tmp_path):
    target = tmp_path / "f.txt"
    target.write_text("old")
    os.chmod(target, 0o640)
    atomic_write_text(target, "new")
    assert stat.S_IMODE(os.stat(target).st_mode) == 0o640


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_atomic_write_gives_a_new_file_the_umask_permissions(tmp_path):
    old = os.umask(0o022)
    try:
        atomic_write_text(tmp_path / "f.txt", "x")
    finally:
        os.umask(old)
    assert stat.S_IMODE(os.stat(tmp_path / "f.txt").st_mode) == 0o644
