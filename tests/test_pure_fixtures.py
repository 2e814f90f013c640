"""games.pure_equilibria against the anchors' answers recorded in
tests/fixtures/pure_equilibria.json (made by tests/fixtures/make_pure_fixtures.py with
pygambit's enumpure_solve and QuantEcon's pure_nash_brute, which agreed on every game).
"""

import json
from pathlib import Path

import numpy as np
import pytest

import games

FIXTURES = Path(__file__).parent / "fixtures" / "pure_equilibria.json"
pure_equilibria = getattr(games, "pure_equilibria", None)


def load_cases():
    data = json.loads(FIXTURES.read_text())
    assert data["format"] == "masalign.fixtures.pure-equilibria" and data["version"] == 1
    return data["cases"]


CASES = load_cases() if FIXTURES.exists() else []


def game_of(case):
    payoffs = np.array(case["payoffs"], dtype=np.int64 if case["kind"] == "int" else np.float64)
    return games.Game(payoffs, title=case["name"])


def test_fixture_file_covers_every_kind_of_game():
    if not FIXTURES.exists():
        pytest.skip("tests/fixtures/pure_equilibria.json not generated yet")
    shapes = {tuple(c["shape"]) for c in CASES}
    assert {(2, 2), (6, 6), (3, 3, 3), (2, 2, 2, 3)} <= shapes
    assert {c["kind"] for c in CASES} == {"int", "float"}
    counts = [len(c["pure_equilibria"]) for c in CASES]
    assert 0 in counts and any(k >= 2 for k in counts)     # none, one and several


@pytest.mark.skipif(pure_equilibria is None, reason="games.pure_equilibria not available yet")
@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_pure_equilibria_match_pygambit_and_quantecon(case):
    game = game_of(case)
    assert list(game.shape) == case["shape"]
    assert game.exact == (case["kind"] == "int")
    result = pure_equilibria(game)
    found = sorted(e.profile for e in result)
    assert found == sorted(tuple(p) for p in case["pure_equilibria"])
    assert result.complete
