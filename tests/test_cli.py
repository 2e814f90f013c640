"""The masalign command line."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

import games
from masalign.cli import main

DATA = Path(__file__).parent / "data"


def test_analyze_without_argument_analyses_the_bundled_aid_delivery_game(capsys):
    assert main(["analyze"]) == 0
    out = capsys.readouterr().out
    assert "Aid delivery" in out and "Setting: mixed-motive" in out
    assert "Pure Nash equilibria: 1 (complete)" in out
    assert "regret 0" in out and "value:" in out
    assert "dominance solvable" in out


def test_analyze_a_gambit_file_and_a_catalogue_game(capsys):
    assert main(["analyze", str(DATA / "pd_payoff.nfg")]) == 0
    assert "Pure Nash equilibria: 1" in capsys.readouterr().out
    assert main(["analyze", "--catalog", "matching_pennies"]) == 0
    out = capsys.readouterr().out
    assert "Setting: competitive" in out and "Pure Nash equilibria: 0" in out


def test_json_output_carries_the_equilibria_with_certificates(capsys, tmp_path):
    path = tmp_path / "stag.json"
    games.write_json(games.catalog.stag_hunt(), path)
    assert main(["analyze", str(path), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["setting"]["kind"] == "mixed-motive"
    equilibria = report["pure_equilibria"]["equilibria"]
    assert len(equilibria) == 2 and all(e["regret"] == 0 for e in equilibria)
    assert games.Game.from_dict(report["game"]) == games.catalog.stag_hunt()


@pytest.mark.parametrize("args, message", [
    (["analyze", "missing.nfg"], "missing.nfg"),
    (["analyze", "--catalog", "no_such_game"], "no_such_game"),
    (["analyze", str(DATA)], "data"),
])
def test_errors_print_one_line_and_exit_2(args, message, capsys):
    assert main(args) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("masalign: error:") and message in err and "\n" not in err


def test_a_malformed_file_exits_2_with_the_line(tmp_path, capsys):
    bad = tmp_path / "bad.nfg"
    bad.write_text('NFG 1 R "x" { "A" "B" } { 2 2 }\n1 2 3\n')
    assert main(["analyze", str(bad)]) == 2
    assert "bad.nfg" in capsys.readouterr().err


def test_the_module_runs_as_a_program():
    out = subprocess.run([sys.executable, "-m", "masalign", "analyze", "--catalog",
                          "prisoners_dilemma"], capture_output=True, text=True)
    assert out.returncode == 0 and "Pure Nash equilibria: 1" in out.stdout
    usage = subprocess.run([sys.executable, "-m", "masalign"], capture_output=True, text=True)
    assert usage.returncode == 2


def test_analyze_reports_holistic_alignment_and_writes_the_plot(capsys, tmp_path):
    pytest.importorskip("matplotlib")
    path = tmp_path / "aid.png"
    assert main(["analyze", "--plot", str(path)]) == 0
    out = capsys.readouterr().out
    assert "Alignment report" in out and "Price of anarchy" in out
    assert "Verdict: Misaligned" in out and "HOLISTICALLY ALIGNED" in out
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".masalign-")]


def test_json_output_carries_the_alignment_report(capsys):
    assert main(["analyze", "--catalog", "prisoners_dilemma", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)["alignment"]
    assert report["price_of_anarchy"]["price_of_anarchy"] == 3.0
    assert report["equilibria"][0]["pareto_optimal"] is False


# ---------------------------------------------------------------------------------------
# masalign reproduce


def test_reproduce_list_names_every_reproduction(capsys):
    import papers

    assert main(["reproduce", "--list"]) == 0
    out = capsys.readouterr().out
    assert len(papers.available()) == 6
    assert all(name in out for name in papers.available())


def test_reproduce_json_gives_the_papers_value_next_to_ours(capsys, tmp_path):
    assert main(["reproduce", "carichon2025_aid_delivery", "--json", "--out",
                 str(tmp_path)]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["name"] == "carichon2025_aid_delivery" and data["full"] is False
    row = next(r for r in data["comparison"]
               if r["quantity"] == "objective optimum violates a value")
    assert (row["paper"], row["ours"], row["within"]) == (True, True, True)
    assert (tmp_path / "carichon2025_aid_delivery.png").is_file()


@pytest.mark.parametrize("args, message", [
    (["reproduce", "no_such_paper"], "no_such_paper"),
    (["reproduce"], "--list"),
    (["reproduce", "press_dyson2012_zd", "--workers", "0"], "--workers"),
    (["reproduce", "press_dyson2012_zd", "--seed", "-1"], "--seed"),
])
def test_reproduce_errors_print_one_line_and_exit_2(args, message, capsys):
    assert main(args) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("masalign: error:") and message in err and "\n" not in err
