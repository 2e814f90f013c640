"""Ohtsuki, Hauert, Lieberman & Nowak (2006): b/c > k on random regular graphs."""

import math

import pytest

import papers
from games.errors import InvalidArgumentError
from papers.ohtsuki2006_networks import DEGREES, figure, pair_approximation_threshold
from tests.plotstyle import check_colours_unique, check_style

NAME = "ohtsuki2006_networks"


@pytest.fixture(scope="module")
def result():
    return papers.run(NAME, seed=4)


def test_simulated_crossings_are_within_the_reduced_tolerance_of_k(result):
    assert all(r["within"] for r in result["comparison"] if r["kind"] != "ours"), \
        result["comparison"]


def test_crossings_grow_with_the_degree(result):
    c = [result["quantities"][f"crossing b/c, k = {k}"] for k in DEGREES]
    assert all(math.isfinite(x) for x in c) and c == sorted(c)


def test_cooperation_is_disfavoured_below_and_favoured_well_above_k(result):
    for k, curve in result["details"]["curves"].items():
        assert curve["n_rho"][0] < 1 < curve["n_rho"][-1], (k, curve)


def test_finite_population_threshold_tends_to_k():
    assert pair_approximation_threshold(4) == 4
    assert pair_approximation_threshold(4, 100) == pytest.approx(98 / 23)
    assert pair_approximation_threshold(4, 10**7) == pytest.approx(4, rel=1e-5)
    with pytest.raises(InvalidArgumentError, match="degree"):
        pair_approximation_threshold(8, 16)


def test_figure_gives_each_degree_its_colour_on_a_log_axis_keeping_zeros(result):
    """One palette colour per degree k, used for its curve and its two thresholds
    (b/c = k and (N-2)/(N/k-2)); N rho_C spans orders of magnitude, down to no
    fixation: a log axis that keeps 0."""
    pytest.importorskip("matplotlib").use("Agg")
    import matplotlib.pyplot as plt

    details = result["details"]
    fig = figure(details["curves"], {int(k): w for k, w in details["selection"].items()})
    try:
        check_style(fig, NAME)
        check_colours_unique(fig, NAME)
        (ax,) = fig.axes
        assert ax.get_yscale() in ("log", "symlog") and "b/c" in ax.get_xlabel()
        assert "fixation probability" in ax.get_ylabel()
        curves = [line for line in ax.get_lines() if line.get_label().startswith("k = ")]
        assert len(curves) == len(DEGREES)
        for k, line in zip(DEGREES, curves):
            marks = [other.get_xdata()[0] for other in ax.get_lines()
                     if other.get_color() == line.get_color() and other is not line]
            assert marks == pytest.approx([k, pair_approximation_threshold(k, 100)])
        bottom = min(min(c["n_rho"]) for c in details["curves"].values())
        assert ax.get_ylim()[0] <= bottom                  # zero estimates drawn
        assert "object at 0x" not in ax.get_title() and str(100) in ax.get_title()
    finally:
        plt.close(fig)


@pytest.mark.slow
def test_full_run_crossings_are_within_the_published_tolerances():
    result = papers.run(NAME, full=True, seed=0)
    assert all(r["within"] for r in result["comparison"] if r["kind"] != "ours"), \
        result["comparison"]
