"""Ohtsuki, Hauert, Lieberman & Nowak (2006): b/c > k on random regular graphs."""

import math

import pytest

import papers
from games.errors import InvalidArgumentError
from papers.ohtsuki2006_networks import DEGREES, pair_approximation_threshold

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


@pytest.mark.slow
def test_full_run_crossings_are_within_the_published_tolerances():
    result = papers.run(NAME, full=True, seed=0)
    assert all(r["within"] for r in result["comparison"] if r["kind"] != "ours"), \
        result["comparison"]
