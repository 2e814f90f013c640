"""Carichon et al. (2025): the aid-delivery case study (Table 1 / Figure 1) computed."""

import json

import pytest

import papers
from games.palette import colour
from papers.carichon2025_aid_delivery import MechanismOutcome, figure
from papers.common import to_json
from tests.plotstyle import check_colours_unique, check_style, hex_colour

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


def test_figure_marks_each_category_in_its_own_colour_and_labels_its_axes(result):
    """Figure 1's categories each ringed in their own palette colour, the scores'
    units on the axes, and the mechanism bars coloured by whether they realign."""
    pytest.importorskip("matplotlib").use("Agg")
    import matplotlib.pyplot as plt

    outcomes = [MechanismOutcome("Redistribution", False, 10.0),
                MechanismOutcome("Contract", True, 20.0)]
    fig = figure(result["details"]["outcomes"], outcomes)
    try:
        check_style(fig, NAME)
        check_colours_unique(fig, NAME)
        scatter, bars = [ax for ax in fig.axes if ax.get_label() != "<colorbar>"]
        assert "tonnes/day" in scatter.get_xlabel() and "points" in scatter.get_ylabel()
        assert "points" in bars.get_xlabel() and bars.get_ylabel() == "mechanism"
        assert [t.get_text() for t in bars.get_yticklabels()] == ["Redistribution",
                                                                  "Contract"]
        assert [hex_colour(p.get_facecolor()) for p in bars.patches] == [
            "#999999", colour(2).upper()]
        assert bars.get_xlim()[0] < 0                        # the line at 0 is visible
        assert all("<" not in ax.get_title() for ax in fig.axes)
    finally:
        plt.close(fig)
