"""Nowak (2006): the five rules, exactly and in evolving populations."""

from fractions import Fraction

import pytest

import papers
from papers import nowak2006_five_rules as nowak
from tests.plotstyle import check_colours_unique, check_style

NAME = "nowak2006_five_rules"


@pytest.fixture(scope="module")
def reduced():
    return papers.run(NAME, seed=1)


def test_the_five_analytic_thresholds_are_nowaks_exactly():
    """Nowak (2006), Fig. 1: r > c/b, w > c/b, q > c/b, b/c > k, b/c > 1 + n/m."""
    table = nowak.analytic_thresholds(benefit=5, cost=2)
    assert [table[r]["ours"] for r in ("kin selection", "direct reciprocity",
                                       "indirect reciprocity")] == [Fraction(2, 5)] * 3
    assert table["network reciprocity"]["ours"] == nowak.DEGREE
    assert table["group selection"]["ours"] == 1 + Fraction(nowak.GROUP_SIZE, nowak.GROUPS)
    assert all(row["exact"] for row in table.values())


def test_kin_crossing_is_the_finite_population_hamilton_rule(reduced):
    """Without self-interaction the cooperator's edge is rb - c - (b - rc)/(N - 1), so
    N rho_C = 1 exactly at r = (c + b/(N-1)) / (b + c/(N-1))."""
    n, b, c = nowak.POPULATION, nowak.BENEFIT, nowak.COST
    exact = (c + b / (n - 1)) / (b + c / (n - 1))
    assert reduced["quantities"]["simulated: kin selection"] == pytest.approx(exact, abs=1e-5)


def test_reciprocity_crossings_follow_the_one_third_rule(reduced):
    q = reduced["quantities"]
    assert q["simulated: direct reciprocity"] == pytest.approx(0.6, abs=0.05)
    assert q["simulated: indirect reciprocity"] == pytest.approx(0.6, abs=0.05)
    assert q["simulated: direct reciprocity"] > q["threshold: direct reciprocity"]


def test_cooperation_is_favoured_only_above_the_network_and_group_thresholds(reduced):
    net = reduced["details"]["network"]
    for ratio, rho in zip(net["ratios"], net["rho"]):
        if ratio <= 3:
            assert rho * net["size"] < 1
        if ratio >= 6:
            assert rho * net["size"] > 1
    grp = reduced["details"]["groups"]
    first, last = 0, len(grp["ratios"]) - 1
    assert grp["rho_cooperator"][first] < grp["rho_defector"][first]
    assert grp["rho_cooperator"][last] > grp["rho_defector"][last]


def test_every_reduced_quantity_is_within_its_tolerance(reduced):
    assert all(row["within"] for row in reduced["comparison"]), reduced["comparison"]


def test_the_figure_is_written_where_asked(tmp_path, monkeypatch):
    pytest.importorskip("matplotlib")
    details = {"moran": {"grid": [0.1, 0.5], "n_rho": {r: [0.9, 1.1] for r in (
        "kin selection", "direct reciprocity", "indirect reciprocity")}, "one_third_rule": 0.6},
        "network": {"ratios": [2, 8], "rho": [0.001, 0.1], "size": 100},
        "groups": {"ratios": [1.1, 2.5], "rho_cooperator": [0.02, 0.1],
                   "rho_defector": [0.05, 0.01]}}
    drawn = []
    original = nowak.save_figure

    def keep(fig, where):
        drawn.append(fig)
        return original(fig, where)

    monkeypatch.setattr(nowak, "save_figure", keep)
    path = nowak.plot(details, str(tmp_path / "five.png"))
    assert (tmp_path / "five.png").stat().st_size > 1000 and path.endswith("five.png")
    assert [p.name for p in tmp_path.iterdir()] == ["five.png"]
    kin, direct, indirect, network, groups = drawn[0].axes
    # each panel plots the details it was given, with Nowak's threshold marked
    assert kin.lines[0].get_xydata().tolist() == [[0.1, 0.9], [0.5, 1.1]]
    assert kin.lines[1].get_xdata()[0] == nowak.COST / nowak.BENEFIT
    assert direct.lines[2].get_xdata()[0] == 0.6             # the one-third rule
    assert network.lines[0].get_xydata().tolist() == [[2, 0.1], [8, 10.0]]
    assert network.lines[1].get_xdata()[0] == nowak.DEGREE   # b/c > k (Ohtsuki 2006)
    assert groups.lines[0].get_xydata().tolist() == [[1.1, 2.0], [2.5, 10.0]]
    assert groups.lines[1].get_xydata().tolist() == [[1.1, 5.0], [2.5, 1.0]]
    assert groups.lines[2].get_xdata()[0] == 1 + nowak.GROUP_SIZE / nowak.GROUPS
    assert [ax.get_title().split("\n")[0] for ax in (kin, direct, indirect)] == [
        "Kin selection", "Direct reciprocity", "Indirect reciprocity"]


def test_figure_keeps_the_house_style_with_log_axes_for_the_simulations(reduced):
    """Every axes labelled with palette colours used once, titles from names; the network
    and group estimates (spanning orders of magnitude, down to 0) on log axes."""
    matplotlib = pytest.importorskip("matplotlib")
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig = nowak.figure(reduced["details"])
    try:
        check_style(fig, NAME)
        check_colours_unique(fig, NAME)
        kin, direct, indirect, network, groups = fig.axes
        assert [ax.get_yscale() for ax in fig.axes][:3] == ["linear"] * 3
        assert network.get_yscale() in ("log", "symlog") and groups.get_yscale() in (
            "log", "symlog")
        assert "probability" in direct.get_xlabel() and "b/c" in network.get_xlabel()
        assert "%" in groups.get_ylabel()
        # the zero estimates are drawn (a plain log axis would drop them)
        n_rho = network.lines[0].get_ydata()
        assert len(n_rho) == len(reduced["details"]["network"]["ratios"])
        assert network.get_ylim()[0] <= min(n_rho)
    finally:
        plt.close(fig)


@pytest.mark.slow
def test_full_run_is_within_the_published_tolerances():
    result = papers.run(NAME, full=True, seed=0)
    assert all(row["within"] for row in result["comparison"]), result["comparison"]
