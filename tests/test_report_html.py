"""``masalign report``: one self-contained HTML page, validated with a strict HTML parser
(html5lib, the WHATWG parsing algorithm): it parses without a single error, fetches
nothing, every figure has alt text and an image that decodes, every table a header row,
and its JSON carries the same tables."""

import base64
import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

import games
import masalign
import mechanisms as M
import mechanisms.testbed as T
from games.learning import QLearning
from masalign.cli import main
from masalign.document import SHOWN_ROWS, game_report

html5lib = pytest.importorskip("html5lib")

GAME_SECTIONS = ("game", "setting", "equilibria", "pareto", "alignment", "mechanisms")
SCENARIO_SECTIONS = ("scenario", *GAME_SECTIONS[:-1], "testbed", "mechanisms", "trajectories",
                     "attribution")
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def parse(text):
    """The page's tree; html5lib's strict mode raises on the first parse error."""
    parser = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False)
    return parser.parse(text)


def text_of(element):
    return "".join(element.itertext()).strip()


def decode_image(src):
    """The bytes of a ``data:`` URI and its media type."""
    assert src.startswith("data:"), src[:40]
    head, _, data = src.partition(",")
    media = head[len("data:"):].split(";")[0]
    assert head.endswith(";base64"), head
    return media, base64.b64decode(data, validate=True)


def check_page(text, sections):
    """Every property a self-contained, accessible page must have; returns the tree."""
    assert text.startswith("<!DOCTYPE html>")
    tree = parse(text)
    assert tree.find("head/meta[@charset]") is not None
    viewport = tree.find("head/meta[@name='viewport']")
    assert viewport is not None and "width=device-width" in viewport.get("content")
    assert text_of(tree.find("head/title"))
    # nothing fetched: no script, no external style sheet, no URL to another host
    assert tree.findall(".//script") == [] and tree.findall(".//link") == []
    assert tree.findall(".//iframe") == [] and tree.findall(".//object") == []
    for element in tree.iter():
        for name, value in element.attrib.items():
            if name in ("src", "href", "srcset", "action", "data", "poster"):
                assert not value.lower().startswith(("http:", "https:", "//", "ftp:")), value
            assert not value.lower().startswith("javascript:")
    for style in tree.findall(".//style"):
        css = style.text or ""
        assert "@import" not in css and "url(" not in css
    # the sections, each with a heading, linked from the table of contents
    found = [s.get("id") for s in tree.iter("section")]
    assert found == list(sections)
    nav = tree.find(".//nav")
    assert nav is not None
    assert [a.get("href") for a in nav.iter("a")] == [f"#{s}" for s in sections]
    for s in tree.iter("section"):
        assert s.find("h2") is not None and text_of(s.find("h2"))
    ids = [e.get("id") for e in tree.iter() if e.get("id")]
    assert len(ids) == len(set(ids))  # anchors are unique
    # figures: alt text, a caption, an image that decodes
    images = tree.findall(".//img")
    for img in images:
        assert (img.get("alt") or "").strip(), "an image without alt text"
        media, data = decode_image(img.get("src"))
        if media == "image/svg+xml":
            root = ET.fromstring(data)
            assert root.tag.endswith("svg") and float(root.get("width").rstrip("pt")) > 0
            assert len(list(root.iter())) > 20      # something is drawn
        else:
            assert media == "image/png" and data.startswith(PNG_SIGNATURE)
    for figure in tree.iter("figure"):
        assert figure.find("img") is not None and text_of(figure.find("figcaption"))
    # tables: a caption, a header row of column headers, rows as wide as the header
    for table in tree.iter("table"):
        assert text_of(table.find("caption"))
        head = table.findall("thead/tr/th")
        assert head and all(th.get("scope") == "col" and text_of(th) for th in head)
        for row in table.findall("tbody/tr"):
            assert len(list(row)) == len(head)
            for th in row.findall("th"):
                assert th.get("scope") == "row"
        wrapper = [p for p in tree.iter() if table in list(p)][0]
        assert "table-wrap" in wrapper.get("class", "")  # scrolls sideways on a phone
    return tree


def check_json_matches_page(data, tree):
    """The JSON holds the page's content: the same sections, titles and tables."""
    assert json.loads(json.dumps(data, allow_nan=False)) == data
    sections = {s.get("id"): s for s in tree.iter("section")}
    assert [s["id"] for s in data["sections"]] == list(sections)
    for s in data["sections"]:
        element = sections[s["id"]]
        assert text_of(element.find("h2")) == s["title"]
        tables = {text_of(t.find("caption")): t for t in element.iter("table")}
        for block in s["blocks"]:
            if block["type"] == "table":
                table = tables[block["caption"]]
                assert [text_of(th) for th in table.findall("thead/tr/th")] == block["columns"]
                rows = [[text_of(c) for c in tr] for tr in table.findall("tbody/tr")]
                assert rows == block["rows"][:SHOWN_ROWS]
            elif block["type"] == "figure":
                alts = [img.get("alt") for img in element.iter("img")]
                assert block["alt"] in alts


def test_catalog_report_is_a_valid_self_contained_page(tmp_path, capsys):
    """The acceptance case: masalign report --catalog aid_delivery -o r.html (--json)."""
    aid_page = tmp_path / "r.html"
    assert main(["report", "--catalog", "aid_delivery", "-o", str(aid_page), "--json",
                 "--no-progress"]) == 0
    out = capsys.readouterr()
    assert str(aid_page) in out.err
    data = json.loads(out.out)
    text = aid_page.read_text(encoding="utf-8")
    tree = check_page(text, GAME_SECTIONS)
    check_json_matches_page(data, tree)
    assert list(aid_page.parent.iterdir()) == [aid_page]  # no temporary file left
    # the aid-delivery game (Carichon et al. 2025) is dominance solvable: its one
    # equilibrium is the selfish profile, certified with regret 0
    eq = [t for t in tree.iter("table") if "certificates" in text_of(t.find("caption"))][0]
    rows = eq.findall("tbody/tr")
    assert len(rows) == 1
    cells = [text_of(c) for c in rows[0]]
    assert cells[1] == "visibility, citizens first, citizens first, cost-efficient"
    assert cells[4] == "0"
    # one figure of the Pareto frontiers, one of the static comparison, and one of the
    # trajectories with a line for every mechanism's dynamic verdict (one learning run)
    mechanisms = data["results"]["mechanisms"]
    dynamic = sum(len(m["dynamic"]) for m in mechanisms.values())
    assert dynamic == len(mechanisms) >= 3
    assert len(tree.findall(".//img")) == 3
    # the verdict under the title is the alignment report's
    assert data["summary"] == data["results"]["analysis"]["verdict"]
    assert text_of(tree.find(".//header/p[@class='verdict']")) == data["summary"]


def test_every_text_is_escaped():
    """Names that look like markup are shown as text, never parsed as elements."""
    evil = '<script>alert("x")</script>'
    g = games.Game.from_bimatrix([[3, 0], [5, 1]], [[3, 5], [0, 1]]).replace(
        players=(evil, "B & <i>C</i>"), actions=(("'C'", '"D"'), ("<b>", "</table>")),
        title=f"A {evil} game")
    report = game_report(g, dynamics=None)
    text = report.to_html()
    tree = check_page(text, GAME_SECTIONS)
    assert tree.findall(".//b") == [] and tree.findall(".//i") == []
    assert text_of(tree.find(".//h1")) == f"Alignment report: A {evil} game"
    players = [t for t in tree.iter("table") if text_of(t.find("caption")) ==
               "Players and their actions"][0]
    assert [text_of(r[0]) for r in players.findall("tbody/tr")] == [evil, "B & <i>C</i>"]
    check_json_matches_page(report.to_dict(), tree)


def test_report_html_api_and_notebook_display(tmp_path):
    pd = games.catalog.prisoners_dilemma()
    page = masalign.report_html(pd, dynamics=None)
    check_page(page, GAME_SECTIONS)
    report = masalign.game_report(pd, dynamics=None)
    body = report._repr_html_()
    assert "<html" not in body and body.startswith('<div class="masalign-report">')
    assert ".masalign-report" in body   # the style is scoped to the report
    saved = report.save(tmp_path / "pd.html")
    assert saved.read_text(encoding="utf-8") == report.to_html()
    assert report.section("equilibria").title == "Equilibria and certificates"
    with pytest.raises(games.InvalidArgumentError, match="expected one of"):
        report.section("nope")


@pytest.fixture
def tiny_dilemma():
    """A short testbed scenario: the prisoner's dilemma with joint welfare as its value,
    and a fine on defection (Rapoport & Chammah 1965)."""
    quick = M.Dynamics(QLearning(alpha=0.1, discount=0, beta=5e-4), periods=4000,
                       sessions=4, seed=3, switch_on=2000)
    T.register(T.Scenario(
        name="report_dilemma", game=welfare_dilemma,
        mechanisms={"fine on D": M.Penalty(3, on={"Player 1": "D", "Player 2": "D"})},
        misalignment="mutual defection", criterion="joint welfare", reference=("C", "C"),
        dynamics=quick, quick=quick, source="Rapoport & Chammah (1965)"))
    yield "report_dilemma"
    T.unregister("report_dilemma")


def welfare_dilemma():
    pd = games.catalog.prisoners_dilemma()
    return pd.replace(layers={"value": pd.payoffs.sum(axis=0)[None]},
                      criteria={"value": ("joint welfare",)})


def test_scenario_report_has_rows_trajectories_and_attribution(tiny_dilemma, tmp_path,
                                                                capsys):
    path = tmp_path / "scenario.html"
    assert main(["report", "--scenario", tiny_dilemma, "-o", str(path), "--json",
                 "--no-progress"]) == 0
    data = json.loads(capsys.readouterr().out)
    tree = check_page(path.read_text(encoding="utf-8"), SCENARIO_SECTIONS)
    check_json_matches_page(data, tree)
    rows = data["results"]["testbed"]["rows"]
    assert [r["mechanism"] for r in rows] == ["none", "fine on D"]
    # one figure of the trajectories, a line per mechanism (one learning scenario)
    trajectories = {s.get("id"): s for s in tree.iter("section")}["trajectories"]
    assert len(trajectories.findall(".//img")) == 1
    # Shapley shares sum to the loss (efficiency, Shapley 1953), as the page shows them
    attribution = {s.get("id"): s for s in tree.iter("section")}["attribution"]
    table = attribution.find(".//table")
    for (label, split), row in zip(data["results"]["attribution"].items(),
                                   table.findall("tbody/tr")):
        shares = [float(s) for s in split["shares"]]
        assert sum(shares) == pytest.approx(float(split["loss"]), abs=1e-9)
        assert text_of(row[0]) == label
        assert [float(text_of(c)) for c in row[2:4]] == pytest.approx(shares, rel=1e-3)


def test_scenario_report_rows_are_the_testbeds_and_its_verdicts_those_rows_read(
        tiny_dilemma):
    """The report learns once per mechanism: its testbed rows are exactly those of
    mechanisms.testbed.run for the scenario, and the dynamic verdicts it shows are the
    ones the rows were read from (same shares, same realignment time, same cost)."""
    report = masalign.scenario_report(tiny_dilemma)
    run = T.run(tiny_dilemma, quick=True, executor="serial", progress=False)
    assert report.results["testbed"] == run.to_dict()
    for row in run.rows:
        verdict = report.results["mechanisms"][row.mechanism]["dynamic"][0]
        assert verdict["share_aligned"] == row.share_aligned
        assert verdict["time_to_realign"] == row.time_to_realign
        assert verdict["cost_per_period"] == pytest.approx(row.cost_per_period, abs=0)
        assert report.results["mechanisms"][row.mechanism]["holistic"] == \
            row.static_holistic
    # the attribution is the rows' (Shapley shares on the same run and yardstick)
    for row in run.rows:
        split = report.results["attribution"][row.mechanism]
        assert float(split["loss"]) == row.loss
        assert [float(x) for x in split["shares"]] == list(row.shares)


def test_markov_scenario_report_reuses_the_rows_runs(tmp_path):
    """A Markov scenario (the commons fishery: the stock moves with the harvest) has no
    static verdict; its page still shows exactly the testbed's rows, and the dynamic
    verdicts those rows were read from."""
    quick = M.Dynamics(QLearning(alpha=0.1, discount=0.9, beta=5e-4), periods=2000,
                       sessions=2, seed=3, switch_on=1000)
    T.register(T.Scenario(
        name="report_fishery", game=games.catalog.commons_fishery,
        mechanisms={"penalty": M.Penalty(1, on={"Fisher 1": "high", "Fisher 2": "high"})},
        misalignment="over-fishing", criterion="stock kept", dynamics=quick, quick=quick))
    try:
        report = masalign.scenario_report("report_fishery")
        run = T.run("report_fishery", executor="serial", progress=False)
    finally:
        T.unregister("report_fishery")
    assert report.section_ids == ("scenario", "game", "testbed", "mechanisms",
                                  "trajectories", "attribution")
    assert report.results["testbed"] == run.to_dict()
    for row in run.rows:
        verdict = report.results["dynamic"][row.mechanism]
        assert row.static_holistic is None
        assert verdict["share_aligned"] == row.share_aligned
        assert verdict["cost_per_period"] == row.cost_per_period
    check_page(report.to_html(), report.section_ids)


def test_trajectories_figure_gives_each_mechanism_its_own_line_in_every_panel():
    """One figure for several verdicts: in each panel one line per mechanism, no two
    sharing a (colour, line style) pair, every axes labelled, the title from names."""
    pytest.importorskip("matplotlib")
    import matplotlib.pyplot as plt

    from masalign.document import trajectories_plot

    pd = welfare_dilemma()
    quick = M.Dynamics(QLearning(alpha=0.1, discount=0, beta=5e-4), periods=2000,
                       sessions=2, seed=3, switch_on=1000, name="Q-learning")
    chosen = {"none": M.Redistribution(0), "fine on D":
              M.Penalty(3, on={"Player 1": "D", "Player 2": "D"}),
              "kinship": M.Kinship(1)}
    verdicts = [(label, M.dynamic_verdict(pd, m, quick)) for label, m in chosen.items()]
    fig = trajectories_plot(verdicts)
    try:
        assert "<" not in fig._suptitle.get_text() and "Q-learning" in fig._suptitle.get_text()
        dimensions = verdicts[0][1].trajectory.dimensions
        assert len(fig.axes) == len(dimensions) + 1  # and the holistic share
        for ax in fig.axes:
            assert ax.get_xlabel() == "period" and ax.get_ylabel()
            lines = [ln for ln in ax.get_lines() if ln.get_label() in chosen]
            assert sorted(ln.get_label() for ln in lines) == sorted(chosen)
            styles = {(ln.get_color(), ln.get_linestyle()) for ln in lines}
            assert len(styles) == len(lines)
            switch = [ln for ln in ax.get_lines() if ln.get_label() == "mechanism on"]
            assert list(switch[0].get_xdata()) == [1000, 1000]
    finally:
        plt.close(fig)


def test_testbed_html_is_the_same_kind_of_page(tiny_dilemma, tmp_path, capsys):
    path = tmp_path / "testbed.html"
    assert main(["testbed", "--scenario", tiny_dilemma, "--html", str(path), "--json",
                 "--no-progress"]) == 0
    rows = json.loads(capsys.readouterr().out)["rows"]
    tree = check_page(path.read_text(encoding="utf-8"), ("testbed", "scenarios"))
    table = tree.find(".//section[@id='testbed']//table")
    body = [[text_of(c) for c in r] for r in table.findall("tbody/tr")]
    # the page's rows are the run's rows
    assert [row[:2] for row in body] == [[r["scenario"], r["mechanism"]] for r in rows]
    assert [row[-1] for row in body] == [r["responsible"] or "-" for r in rows]
    assert [row[4] for row in body] == [f"{r['share_misaligned']:.2f}" for r in rows]


@pytest.mark.parametrize("argv, message", [
    (["report", "--catalog", "no_such_game", "--json"], "prisoners_dilemma"),
    (["report", "--scenario", "no_such_scenario", "--json"], "aid_delivery"),
    (["report", "--catalog", "stag_hunt"], "expected -o FILE.html"),
    (["report", "--catalog", "stag_hunt", "-o", "{tmp}/missing/r.html"], "does not exist"),
    (["report", "--catalog", "stag_hunt", "-o", "{tmp}"], "is a directory"),
    (["testbed", "--scenario", "aid_delivery", "--html", "{tmp}/missing/t.html"],
     "does not exist"),
])
def test_bad_inputs_are_refused_with_a_clear_message(argv, message, tmp_path, capsys):
    argv = [a.replace("{tmp}", str(tmp_path)) for a in argv]
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.startswith("masalign: error:") and message in err
    assert list(tmp_path.iterdir()) == []  # nothing written


@pytest.mark.parametrize("argv", [
    ["report", "game.nfg", "--catalog", "stag_hunt"],
    ["report", "--catalog", "stag_hunt", "--scenario", "commons"],
    ["report", "--quick", "--full"],
])
def test_conflicting_sources_are_refused(argv, capsys):
    with pytest.raises(SystemExit) as info:
        main(argv)
    assert info.value.code == 2
    assert "not allowed with" in capsys.readouterr().err


def test_a_game_file_is_reported(tmp_path):
    path = tmp_path / "stag.nfg"
    games.write_nfg(games.catalog.stag_hunt(), path)
    out = tmp_path / "stag.html"
    assert main(["report", str(path), "-o", str(out), "--no-dynamics", "--no-progress"]) == 0
    tree = check_page(out.read_text(encoding="utf-8"), GAME_SECTIONS)
    # the stag hunt has two strict pure equilibria and one mixed one (Skyrms 2004)
    eq = [t for t in tree.iter("table") if "certificates" in text_of(t.find("caption"))][0]
    kinds = sorted(text_of(r[2]) for r in eq.findall("tbody/tr"))
    assert kinds == ["mixed", "pure, strict", "pure, strict"]
    assert not Path(tmp_path / "stag.html.tmp").exists()


def test_measure_details_is_a_flag():
    with pytest.raises(games.InvalidArgumentError, match="details: expected True or False"):
        T.measure("aid_delivery", "none", details="yes")


@pytest.mark.parametrize("options, field", [
    ({"mechanisms_to_compare": [M.Kinship(1)]}, "mechanisms_to_compare"),
    ({"mechanisms_to_compare": {"kin": "Kinship"}}, "mechanisms_to_compare"),
    ({"mechanisms_to_compare": {"": M.Kinship(1)}}, "mechanisms_to_compare"),
    ({"dynamics": 5}, "dynamics"),
    ({"dynamics": []}, "dynamics"),
    ({"title": 5}, "title"),
], ids=["a list", "a value not a mechanism", "an empty label", "a number as dynamics",
        "no dynamics in a list", "a title not a string"])
def test_game_report_refuses_malformed_options_by_name(options, field):
    """A bad option is the caller's error, refused up front: it is not turned into a
    note that every mechanism was left out, nor a TypeError from deep inside."""
    with pytest.raises(games.InvalidArgumentError, match=field):
        game_report(games.catalog.prisoners_dilemma(), **{"dynamics": None, **options})


def test_report_html_of_a_testbed_result_takes_no_options(tiny_dilemma):
    result = T.run(tiny_dilemma, executor="serial", progress=False)
    assert "<table" in masalign.report_html(result)
    with pytest.raises(games.InvalidArgumentError, match="takes none, found \\['dynamics'\\]"):
        masalign.report_html(result, dynamics=None)
