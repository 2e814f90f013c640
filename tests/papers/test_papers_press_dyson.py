"""Press & Dyson (2012): zero-determinant extortion; Hilbe, Nowak & Sigmund (2013)."""

from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import papers
from games.repeated import strategies as S
from papers import press_dyson2012_zd as zd
from tests.plotstyle import check_colours_unique, check_style

NAME = "press_dyson2012_zd"


@pytest.fixture(scope="module")
def result():
    return papers.run(NAME, seed=2)


def test_every_reduced_quantity_is_within_its_tolerance(result):
    assert all(r["within"] for r in result["comparison"] if r["kind"] != "ours"), \
        result["comparison"]


def test_the_relation_holds_exactly_against_every_catalogue_strategy():
    """Press & Dyson (2012): s_X - P = chi (s_Y - P) whatever the opponent does."""
    rows = zd.zd_residuals([f() for f in S.CATALOGUE.values()])
    assert len(rows) == len(S.CATALOGUE)
    assert all(r["residual"] == 0 and isinstance(r["s_X"], Fraction) for r in rows)
    allc = next(r for r in rows if r["opponent"] == "Cooperator")
    assert (allc["s_X"], allc["s_Y"]) == (Fraction(41, 11), Fraction(21, 11))


@settings(max_examples=25, deadline=None)
@given(st.lists(st.fractions(0, 1), min_size=4, max_size=4), st.fractions(0, 1))
def test_the_relation_holds_exactly_against_any_memory_one_opponent(p, initial):
    (row,) = zd.zd_residuals([S.MemoryOne(p, initial)])
    assert row["residual"] == 0


def test_extortion_fades_as_the_population_grows(result):
    """Hilbe, Nowak & Sigmund (2013): extortioners do not prevail in large populations."""
    evo = result["details"]["evolution"]
    k = evo["strategies"].index("ZD-Extortion")
    shares = [evo["shares"][n][k] for n in sorted(evo["shares"])]
    assert shares[0] > 10 * shares[-1]
    assert all(abs(sum(s) - 1) < 1e-9 for s in evo["shares"].values())


def test_figure_names_every_opponent_and_puts_abundance_on_log_axes(result):
    """The catalogue's opponents on the enforced line, each named once (the seven that
    meet at mutual defection in one label); the abundances against N on log axes, one
    palette colour per strategy. Random opponents: a few memory-one strategies."""
    pytest.importorskip("matplotlib").use("Agg")
    import matplotlib.pyplot as plt

    catalogue = result["details"]["catalogue"]              # payoffs as fraction strings
    random_rows = zd.zd_residuals([S.MemoryOne([0.9, 0.1, 0.5, 0.2], 0.5),
                                   S.MemoryOne([0.3, 0.7, 0.2, 0.8], 1)])
    fig = zd.figure(catalogue, random_rows, result["details"]["evolution"])
    try:
        check_style(fig, NAME)
        check_colours_unique(fig, NAME)
        line, abundance = fig.axes
        named = " ".join(t.get_text() for t in line.texts).replace("\n", " ")
        assert all(r["opponent"] in named for r in catalogue)
        assert len(line.texts) < len(catalogue)             # coinciding points share a label
        assert "per round" in line.get_xlabel() and "per round" in line.get_ylabel()
        assert abundance.get_xscale() == "log"
        assert abundance.get_yscale() in ("log", "symlog")
        strategies = result["details"]["evolution"]["strategies"]
        assert [x.get_label() for x in abundance.get_lines()] == strategies
    finally:
        plt.close(fig)


@pytest.mark.slow
def test_full_run_is_within_the_published_tolerances():
    result = papers.run(NAME, full=True, seed=0)
    assert all(r["within"] for r in result["comparison"] if r["kind"] != "ours")
    assert result["details"]["random_opponents"] == 5000
