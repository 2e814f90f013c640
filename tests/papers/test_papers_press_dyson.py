"""Press & Dyson (2012): zero-determinant extortion; Hilbe, Nowak & Sigmund (2013)."""

from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import papers
from games.repeated import strategies as S
from papers import press_dyson2012_zd as zd

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


@pytest.mark.slow
def test_full_run_is_within_the_published_tolerances():
    result = papers.run(NAME, full=True, seed=0)
    assert all(r["within"] for r in result["comparison"] if r["kind"] != "ours")
    assert result["details"]["random_opponents"] == 5000
