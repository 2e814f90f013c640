"""Row labels of a mechanism comparison: ``M.compare(game, {label: mechanism})`` names
each row by its label in the text, the HTML table, ``to_dict`` and the plot, in the
mapping's order; a list keeps its old call, each row named by the mechanism's title, or
by its repr where two mechanisms share a title."""

from __future__ import annotations

import json

import pytest

import games
import masalign
import mechanisms as M
from games import InvalidArgumentError
from games.learning import QLearning
from mechanisms.base import mechanism_title

html5lib = pytest.importorskip("html5lib")

PD = games.catalog.prisoners_dilemma
DD = {"Player 1": "D", "Player 2": "D"}


def chosen() -> dict[str, M.Mechanism]:
    """Labels deliberately not in alphabetical order, two mechanisms of one class."""
    return {"none": M.Penalty(0, on=DD), "fine above the temptation": M.Penalty(3, on=DD),
            "kin": M.Kinship(0.5)}


@pytest.fixture(scope="module")
def labelled() -> M.Comparison:
    return M.compare(PD(), chosen())


@pytest.fixture(scope="module")
def listed() -> M.Comparison:
    return M.compare(PD(), list(chosen().values()))


def table_cells(markup: str) -> list[list[str]]:
    """The cells of the first table in ``markup``, row by row (header row first)."""
    document = html5lib.parse(markup, namespaceHTMLElements=False)
    table = document.find(".//table")
    return [["".join(cell.itertext()) for cell in row] for row in table.iter("tr")]


def tick_labels(comparison: M.Comparison) -> list[str]:
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig = comparison.plot()
    names = [t.get_text().replace("\n", " ") for t in fig.axes[0].get_yticklabels()]
    plt.close(fig)
    return names


def test_a_mapping_keeps_its_order_and_its_mechanisms(labelled):
    mapping = chosen()
    assert labelled.labels == tuple(mapping)
    assert [r.label for r in labelled.entries] == list(mapping)
    assert [repr(r.mechanism) for r in labelled.entries] == [repr(m) for m in mapping.values()]


def test_labels_do_not_change_the_verdicts(labelled, listed):
    """The same mechanisms, named or not, get the same rows apart from their names."""
    def verdict(data: dict) -> dict:
        return {k: v for k, v in data.items() if k != "label"}

    assert [verdict(r.to_dict()) for r in labelled.entries] == \
        [verdict(r.to_dict()) for r in listed.entries]


def test_labels_name_the_rows_of_the_text(labelled):
    lines = labelled.to_text().splitlines()
    assert lines[0].startswith("mechanism")
    start = lines[0].index("holistic")       # the name column is as wide as the labels
    assert [line[:start].rstrip() for line in lines[1:4]] == list(chosen())


def test_labels_name_the_rows_of_the_html_table_next_to_the_definitions(labelled):
    header, *rows = table_cells(labelled._repr_html_())
    assert header[:2] == ["mechanism", "definition"]
    assert [row[0] for row in rows] == list(chosen())
    assert [row[1] for row in rows] == [repr(m) for m in chosen().values()]
    caption = "".join(html5lib.parse(labelled.entries[1]._repr_html_(),
                                     namespaceHTMLElements=False)
                      .find(".//caption").itertext())
    assert caption == "Comparison row: fine above the temptation"


def test_to_dict_gives_the_label_and_keeps_the_repr(labelled):
    data = json.loads(json.dumps(labelled.to_dict()))
    assert [m["label"] for m in data["mechanisms"]] == list(chosen())
    assert [m["mechanism"] for m in data["mechanisms"]] == [repr(m) for m in chosen().values()]
    assert [r["label"] for r in labelled.rows()] == list(chosen())


def test_labels_name_the_bars_of_the_plot(labelled):
    pytest.importorskip("matplotlib")
    assert tick_labels(labelled) == list(chosen())


def test_a_list_is_named_by_titles_and_by_reprs_where_a_title_is_shared(listed):
    """Two penalties share the title "Penalty": each is named by its repr (their fines
    tell them apart); the kinship, alone of its class, by its title."""
    fine0, fine3, kin = chosen().values()
    assert listed.labels == (repr(fine0), repr(fine3), mechanism_title(kin))
    assert len(set(listed.labels)) == 3
    data = listed.to_dict()["mechanisms"]
    assert [m["mechanism"] for m in data] == [repr(m) for m in (fine0, fine3, kin)]
    pytest.importorskip("matplotlib")
    names = tick_labels(listed)
    assert len(set(names)) == 3 and "fine=0" in names[0] and "fine=3" in names[1]


def test_a_list_may_hold_the_same_mechanism_twice():
    """A list names its rows itself, so it never fails on labels: equal mechanisms (same
    repr) are numbered in their order, as the list always allowed them."""
    fine = M.Penalty(3, on=DD)
    comparison = M.compare(PD(), [fine, M.Penalty(3, on=DD), M.Kinship(1)])
    assert comparison.labels == (repr(fine), f"{fine!r} (2)", mechanism_title(M.Kinship(1)))
    first, second, _ = comparison.entries
    assert (first.holistic, first.cost) == (second.holistic, second.cost)


def test_a_comparison_built_from_evaluations_gets_the_same_default_labels(listed):
    rebuilt = M.Comparison(listed.evaluations)
    assert rebuilt.labels == listed.labels
    named = M.Comparison(listed.evaluations, ["a", "b", "c"])
    assert named.labels == ("a", "b", "c")


@pytest.mark.parametrize("mechanisms, named", [
    ({"": M.Kinship(1)}, "''"),
    ({"   ": M.Kinship(1)}, "'   '"),
    ({3: M.Kinship(1)}, "3"),
    ({"kin": M.Kinship(1), "fine": "Penalty"}, "mechanisms['fine']"),
    ([M.Kinship(1), "Penalty"], "mechanisms[1]"),
    ("Kinship", "'Kinship'"),
    (M.Kinship(1), "Kinship(relatedness=1)"),
], ids=["empty", "blank", "not a string", "value not a mechanism", "list item not a mechanism",
        "a string", "one mechanism"])
def test_bad_labels_and_values_are_refused_by_name(mechanisms, named):
    with pytest.raises(InvalidArgumentError) as err:
        M.compare(PD(), mechanisms)
    assert named in str(err.value)


def test_duplicate_or_missing_labels_are_refused(listed):
    with pytest.raises(InvalidArgumentError, match="'a' twice"):
        M.Comparison(listed.evaluations, ["a", "b", "a"])
    with pytest.raises(InvalidArgumentError, match="one per evaluation"):
        M.Comparison(listed.evaluations, ["a", "b"])


@pytest.mark.parametrize("empty", [{}, []], ids=["mapping", "list"])
def test_an_empty_comparison_is_empty(empty):
    comparison = M.compare(PD(), empty)
    assert comparison.labels == () and comparison.entries == []
    assert comparison.to_text() == "no mechanisms"
    assert comparison.to_dict() == {"mechanisms": []}


def test_labels_name_the_rows_of_the_dynamic_verdicts():
    """Each label heads its dynamic lines, in full (the column is as wide as the longest
    label, up to the static table's 58 characters)."""
    d = M.Dynamics(QLearning(alpha=0.1, discount=0.0, beta=5e-3), periods=400, sessions=1,
                   seed=0, switch_on=200, name="Q")
    comparison = M.compare(PD(), {"no fine at all": M.Penalty(0, on=DD),
                                  "fine": M.Penalty(3, on=DD)}, dynamics=d)
    lines = comparison.to_text().splitlines()
    start = lines.index(next(line for line in lines if line.startswith("Dynamic verdicts")))
    header, first, second = lines[start + 1:start + 4]
    assert header.split()[:2] == ["mechanism", "dynamics"]
    assert first.startswith("no fine at all  Q") and second.startswith("fine            Q")
    header, *rows = table_cells(comparison._repr_html_().split("</table>", 1)[1])
    assert [row[0] for row in rows] == ["no fine at all", "fine"]


def test_a_report_names_the_comparison_by_its_labels():
    """game_report's comparison (table, figure, results) uses the labels it was given."""
    report = masalign.game_report(PD(), dynamics=None,
                                  mechanisms_to_compare={"none": M.Penalty(0, on=DD),
                                                         "fine": M.Penalty(3, on=DD)})
    assert {k: v["label"] for k, v in report.results["mechanisms"].items()} == \
        {"none": "none", "fine": "fine"}
    section = next(s for s in report.sections if s.id == "mechanisms")
    figure = next(b for b in section.blocks if type(b).__name__ == "Figure")
    assert "(none, fine)" in figure.alt


def test_a_report_names_the_disagreements_by_their_labels():
    """Cross-learning lets the aligned actions decay before a late contract (Börgers &
    Sarin 1997), so some session ends misaligned although the contract's outcome is the
    unique equilibrium: the report's list of disagreements names the row by its label,
    as the comparison's text does, not by the class ("Contract")."""
    from games.learning import CrossLearning
    aligned = ("need-based", "open airspace", "open airspace", "priority-to-need")
    d = M.Dynamics(CrossLearning(step=0.01), periods=2000, sessions=2, seed=1,
                   switch_on=1000, name="cross-learning")
    chosen = {"contract with damages": M.Contract(aligned, damages=6)}
    report = masalign.game_report(games.catalog.aid_delivery(), chosen, dynamics=d)
    items = [b for b in report.section("mechanisms").blocks if type(b).__name__ == "Items"]
    assert items and items[0].items
    assert all(item.startswith("contract with damages: ") for item in items[0].items)
