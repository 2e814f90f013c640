"""Issue 16, the command line: honest answers on every game (item 1), readable numbers and
progress (item 7), the edges of the command line (item 8), file permissions (item 9) and
the CLI side of item 4."""

import json
import os
import stat
import subprocess
import sys
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest

import games
from games.io import atomic_output, atomic_write_bytes
from games.tolerance import float_tolerance, payoff_scale
from masalign import progress
from masalign.cli import main
from masalign.equilibria import find_equilibria
from masalign.text import number_text


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


# ---------------------------------------------------------------------------------------
# Item 9: files the toolkit writes get the user's umask, not mkstemp's 0600


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
@pytest.mark.parametrize("mask", [0o022, 0o077, 0o002])
def test_atomic_output_gives_a_new_file_the_umask_mode_whatever_the_writer_left(tmp_path,
                                                                                  mask):
    old = os.umask(mask)
    try:
        with atomic_output(tmp_path / "fig.png") as tmp:
            tmp.write_bytes(b"x")
            os.chmod(tmp, 0o600)          # what tempfile.mkstemp would leave
        atomic_write_bytes(tmp_path / "data.bin", b"y")
    finally:
        os.umask(old)
    for name in ("fig.png", "data.bin"):
        assert stat.S_IMODE(os.stat(tmp_path / name).st_mode) == 0o666 & ~mask
    assert sorted(os.listdir(tmp_path)) == ["data.bin", "fig.png"]


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_saved_figures_get_the_umask_mode(tmp_path):
    pytest.importorskip("matplotlib")
    import games
    import pareto
    from papers.common import new_figure, save_figure

    mask = _umask()
    report = pareto.alignment_report(games.catalog.prisoners_dilemma())
    report.plot(tmp_path / "report.png")
    fig, ax = new_figure()
    ax.plot([0, 1], [1, 0])
    save_figure(fig, tmp_path / "paper.png")
    for name in ("report.png", "paper.png"):
        assert stat.S_IMODE(os.stat(tmp_path / name).st_mode) == 0o666 & ~mask, name
        assert (tmp_path / name).read_bytes()[:4] == b"\x89PNG"
    assert sorted(os.listdir(tmp_path)) == ["paper.png", "report.png"]


def test_atomic_output_into_a_missing_directory_names_the_directory(tmp_path):
    with pytest.raises(FileNotFoundError) as info:
        with atomic_output(tmp_path / "missing" / "x.png"):
            pass
    assert str(tmp_path / "missing") in str(info.value) and ".tmp" not in str(info.value)
    assert os.listdir(tmp_path) == []


def test_a_failed_writer_leaves_the_old_file_and_no_temporary(tmp_path):
    target = tmp_path / "f.png"
    target.write_bytes(b"old")
    with pytest.raises(RuntimeError):
        with atomic_output(target) as tmp:
            tmp.write_bytes(b"half")
            raise RuntimeError("writer failed")
    assert target.read_bytes() == b"old" and os.listdir(tmp_path) == ["f.png"]


# ---------------------------------------------------------------------------------------
# Item 1: every finite game has an equilibrium (Nash 1951); analyze finds and certifies one


def _max_regret(game, strategies):
    """Largest gain from a unilateral deviation, by brute force over pure deviations."""
    payoffs = np.asarray(game.float_payoffs, dtype=np.float64)
    worst = 0.0
    for i in range(game.n_players):
        u = payoffs[i]
        for j in reversed(range(game.n_players)):   # contract the other players
            if j != i:
                u = np.tensordot(u, np.asarray(strategies[j], dtype=np.float64), axes=([j], [0]))
        u = np.asarray(u).reshape(-1)
        worst = max(worst, float(u.max() - u @ np.asarray(strategies[i], dtype=np.float64)))
    return worst


@pytest.mark.parametrize("game", [
    games.random_game((5, 4, 3), seed=1),
    games.random_game((2, 2, 2, 2, 2), seed=2),
    games.random_game((3, 3, 3), seed=3, low=-3, high=3, integer=True),
    games.random_game((40, 40), seed=4),
], ids=["5x4x3", "2x2x2x2x2", "3x3x3-integer", "40x40"])
def test_the_search_certifies_an_equilibrium_of_every_game(game):
    """Nash (1951): every finite game has an equilibrium. The search returns one, and a
    brute-force regret agrees with its certificate."""
    search = find_equilibria(game)
    assert len(search) >= 1 and search.method.startswith("pure enumeration + ")
    span = float(np.ptp(np.asarray(game.float_payoffs, dtype=np.float64)))
    for e in search.equilibria:
        assert _max_regret(game, e.strategies) <= 1e-9 * span
        assert float(e.regret) <= 1e-9 * span


def test_a_large_bimatrix_game_is_solved_by_lemke_howson_and_said_not_complete():
    game = games.random_game((200, 200), seed=5)
    search = find_equilibria(game)
    assert "Lemke-Howson" in search.method and not search.complete and len(search) >= 1
    for e in search.equilibria[:3]:
        assert _max_regret(game, e.strategies) <= 1e-9


def test_small_two_player_games_get_every_equilibrium():
    """Battle of the sexes has exactly three equilibria: two pure and (2/3, 1/3)."""
    search = find_equilibria(games.catalog.battle_of_the_sexes())
    assert search.complete and len(search) == 3 and "vertex enumeration" in search.method


@pytest.mark.parametrize("shape, seed", [((5, 4, 3), 1), ((2, 2, 2, 2, 2), 2)])
def test_analyze_reports_an_equilibrium_with_method_and_never_none(shape, seed, tmp_path,
                                                                    capsys):
    path = tmp_path / "g.nfg"
    games.write_nfg(games.random_game(shape, seed=seed, low=-5, high=5, integer=True), path)
    assert main(["analyze", str(path)]) == 0
    out = capsys.readouterr().out
    assert "no equilibrium" not in out.lower()
    header = next(line for line in out.splitlines() if line.startswith("Equilibria ("))
    assert "Equilibria (0" not in header and "by pure enumeration + " in header
    assert "complete" in header and "regret" in out
    assert "Price of anarchy: not defined (" not in out
    assert main(["analyze", str(path), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert len(data["equilibria"]["equilibria"]) >= 1
    assert data["equilibria"]["method"].startswith("pure enumeration + ")
    assert isinstance(data["equilibria"]["complete"], bool)
    assert all("regret" in e for e in data["equilibria"]["equilibria"])


def test_matching_pennies_reports_its_mixed_equilibrium_and_no_internal_error(capsys):
    assert main(["analyze", "--catalog", "matching_pennies"]) == 0
    out = capsys.readouterr().out
    assert "Equilibria (1 by pure enumeration + vertex enumeration; complete)" in out
    assert "({Heads: 1/2, Tails: 1/2}, {Heads: 1/2, Tails: 1/2})" in out
    price = next(line for line in out.splitlines() if line.startswith("Price of anarchy"))
    assert "not defined for this game" in price and "cost=True" not in price


# ---------------------------------------------------------------------------------------
# Item 4 (CLI side): without a value layer, values are not measured


def test_a_game_without_a_value_layer_is_not_called_holistically_aligned(capsys):
    assert main(["analyze", "--catalog", "matching_pennies"]) == 0
    out = capsys.readouterr().out
    verdict = next(line for line in out.splitlines() if line.startswith("Verdict:"))
    assert "Holistically aligned" not in verdict and "values not measured" in verdict.lower()
    assert "HOLISTICALLY ALIGNED" not in out and "values not measured (no value layer)" in out
    assert main(["analyze", "--catalog", "matching_pennies", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["values_measured"] is False and "not measured" in data["verdict"]
    assert data["alignment"]["verdict"] == data["verdict"]


def test_dominance_rounds_name_the_player(capsys):
    assert main(["analyze", "--catalog", "prisoners_dilemma"]) == 0
    out = capsys.readouterr().out
    assert "round 1: Player 1 drops 'C'" in out and "player 0 drops" not in out
    reduction = games.eliminate_dominated(games.catalog.aid_delivery())
    assert str(reduction.order[0]).startswith("round 1: NGO drops")
    assert reduction.order[0].to_dict()["player_name"] == "NGO"


# ---------------------------------------------------------------------------------------
# Item 7: decimals, small tables, progress


@pytest.mark.parametrize("x, text", [
    (Fraction(778299834508757, 1250000000000000), "0.6226398676070056"),
    (Fraction(1, 2), "0.5"), (Fraction(-3, 40), "-0.075"), (Fraction(5), "5"),
    (Fraction(1, 3), "1/3"), (Fraction(-2, 7), "-2/7"), (7, "7"),
])
def test_exact_numbers_show_as_decimals_when_they_are_decimals(x, text):
    assert number_text(x) == text


def test_decimal_payoffs_print_as_decimals_and_big_tables_only_on_request(tmp_path, capsys):
    rng = np.random.default_rng(6)
    values = np.round(rng.random((2, 12, 12)), 6).tolist()
    path = tmp_path / "dec.nfg"
    cells = " ".join(f"{values[0][r][c]!r} {values[1][r][c]!r}"
                     for c in range(12) for r in range(12))
    path.write_text(f'NFG 1 R "decimals" {{ "A" "B" }} {{ 12 12 }}\n{cells}\n')
    assert main(["analyze", str(path)]) == 0
    out = capsys.readouterr().out
    assert "payoff table not shown; --table prints it" in out
    assert max(len(line) for line in out.splitlines()) < 400
    assert "/1000000" not in out and "/500000" not in out
    assert main(["analyze", str(path), "--table"]) == 0
    out = capsys.readouterr().out
    assert f" {values[0][0][0]!r}, {values[1][0][0]!r} " in out and "/1000000" not in out


def test_progress_is_shown_on_request_for_slow_steps(monkeypatch, tmp_path, capsys):
    monkeypatch.setattr(progress, "PROGRESS_DELAY", 0.0)
    path = tmp_path / "g.nfg"
    games.write_nfg(games.random_game((3, 3, 3), seed=7, low=0, high=9, integer=True), path)
    assert main(["analyze", str(path), "--progress"]) == 0
    err = capsys.readouterr().err
    assert "masalign: classifying the game..." in err and "masalign: assessing alignment" in err
    assert main(["analyze", str(path), "--no-progress"]) == 0
    assert capsys.readouterr().err == ""


# ---------------------------------------------------------------------------------------
# Item 8: the edges of the command line


def test_plot_with_an_unknown_extension_names_the_supported_ones(tmp_path, capsys):
    pytest.importorskip("matplotlib")
    assert main(["analyze", "--plot", str(tmp_path / "out.xyz")]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("masalign: error: --plot:") and ".png" in err and ".svg" in err
    assert "\n" not in err and "Traceback" not in err
    assert list(tmp_path.iterdir()) == []


def test_plot_into_a_missing_directory_says_so(tmp_path, capsys):
    pytest.importorskip("matplotlib")
    target = tmp_path / "missing" / "dir" / "x.png"
    assert main(["analyze", "--plot", str(target)]) == 2
    err = capsys.readouterr().err.strip()
    assert "does not exist" in err and str(target.parent) in err
    assert ".tmp" not in err and ".masalign-" not in err


def test_a_saved_plot_says_where_it_went(tmp_path, capsys):
    pytest.importorskip("matplotlib")
    target = tmp_path / "aid.svg"
    assert main(["analyze", "--plot", str(target)]) == 0
    assert f"plot saved to {target}" in capsys.readouterr().err
    assert target.read_text().lstrip().startswith("<?xml")


def test_a_closed_pipe_ends_the_output_quietly():
    proc = subprocess.Popen([sys.executable, "-m", "masalign", "analyze", "--table"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    first = proc.stdout.readline()
    proc.stdout.close()
    err = proc.stderr.read()
    proc.stderr.close()
    assert proc.wait() == 0
    assert first.startswith(b"Aid delivery") and err == b""


def test_the_json_that_analyze_writes_is_accepted_back(tmp_path, capsys):
    assert main(["analyze", "--catalog", "stag_hunt", "--json"]) == 0
    path = tmp_path / "stag_analysis.json"
    path.write_text(capsys.readouterr().out)
    assert main(["analyze", str(path)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Stag hunt") and "Pure Nash equilibria: 2 (complete)" in out


def test_version_and_catalogue_listing(capsys):
    with pytest.raises(SystemExit) as info:
        main(["--version"])
    assert info.value.code == 0
    out = capsys.readouterr().out.strip()
    assert out.startswith("masalign ") and out.split()[1][0].isdigit()
    assert main(["catalog"]) == 0
    listing = capsys.readouterr().out.splitlines()
    assert len(listing) == len(games.catalog.names())
    line = next(x for x in listing if x.startswith("stag_hunt "))
    assert "stag hunt" in line.lower() and "``" not in line
    assert main(["analyze", "--list"]) == 0
    assert capsys.readouterr().out.splitlines() == listing


DATA_GAMES = sorted((Path(__file__).resolve().parent / "data" / "games").glob("*.nfg"))


@pytest.mark.parametrize("path", DATA_GAMES, ids=lambda p: p.stem)
def test_analyze_finds_a_certified_equilibrium_of_every_test_data_game(path, capsys):
    """Every finite game has an equilibrium (Nash 1951): ``masalign analyze`` reports at
    least one, with the method that found it and a certificate within the game's float
    tolerance, and never says there is none."""
    assert main(["analyze", str(path), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    found = report["equilibria"]
    assert found["method"] and found["equilibria"]
    game = games.read_nfg(path)
    for eq in found["equilibria"]:
        profile = [np.array([float(Fraction(p)) for p in s]) for s in eq["strategies"]]
        assert float(Fraction(str(eq["regret"]))) <= float_tolerance(game)
        assert game.regret(profile) <= 1e-6 * payoff_scale(game)
    assert main(["analyze", str(path)]) == 0
    assert "no equilibrium" not in capsys.readouterr().out.lower()
