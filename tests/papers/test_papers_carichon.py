"""Carichon et al. (2025): the aid-delivery case study (Table 1 / Figure 1) computed."""

import json

import pytest

import papers
from papers.common import to_json

NAME = "carichon2025_aid_delivery"


@pytest.fixture(scope="module")
def result():
    return papers.run(NAME)


def test_every_claim_of_figure_1_holds(result):
    """Objective-only and preference-compromise outcomes violate values; the all-aligned
    outcome is holistically aligned; the selfish equilibrium is not."""
    assert [r["within"] for r in result["comparison"] if r["kind"] != "ours"] == [True] * 4


def test_outcome_table_has_the_sixteen_profiles_with_their_categories(result):
    rows = result["details"]["outcomes"]
    assert len(rows) == 16 and len({r["profile"] for r in rows}) == 16
    by = {r["profile"]: r for r in rows}
    assert "objective-optimal" in by["1001"]["categories"]
    assert "preference compromise" in by["0111"]["categories"]
    assert "holistically aligned" in by["0000"]["categories"]
    assert by["1111"]["categories"] == ["Nash equilibrium"] and not by["1111"]["frontier"]
    assert by["1001"]["scores"]["objective"] == max(r["scores"]["objective"] for r in rows)


def test_holistic_outcomes_are_on_the_frontier(result):
    for row in result["details"]["outcomes"]:
        if "holistically aligned" in row["categories"]:
            assert row["frontier"]


def test_sharing_rewards_does_not_realign_but_contracts_and_monitoring_do(result):
    q = result["quantities"]
    assert not q["realigns: Redistribution"] and not q["realigns: Kinship"]
    assert q["realigns: Contract"] and q["realigns: Monitoring"] and q["realigns: Penalty"]


def test_json_carries_the_papers_value_next_to_ours(result):
    data = json.loads(to_json(result))
    row = next(r for r in data["comparison"]
               if r["quantity"] == "objective optimum violates a value")
    assert row["paper"] is True and row["ours"] is True and row["within"] is True
    extra = next(r for r in data["comparison"] if r["quantity"] == "pure equilibria")
    assert extra["paper"] is None and extra["ours"] == 1


def test_figure_is_saved_atomically_into_the_folder_given(tmp_path):
    pytest.importorskip("matplotlib")
    out = papers.run(NAME, out=tmp_path)
    assert out["figures"] == [str(tmp_path / f"{NAME}.png")]
    assert [p.name for p in tmp_path.iterdir()] == [f"{NAME}.png"]
