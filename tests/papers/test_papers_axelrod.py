"""Axelrod (1984): the ecological tournament."""

import numpy as np
import pytest

import papers
from games.errors import InvalidGameError
from papers.axelrod1984_ecology import NICE, ecological_dynamics

NAME = "axelrod1984_ecology"


@pytest.fixture(scope="module")
def result():
    return papers.run(NAME, seed=3)


def test_reciprocators_take_over_with_a_long_shadow_and_defectors_with_a_short_one(result):
    assert all(r["within"] for r in result["comparison"] if r["kind"] != "ours"), \
        result["comparison"]
    assert result["quantities"]["long shadow: reciprocators' final share"] > 0.8


def test_shares_stay_on_the_simplex_and_extinct_rules_stay_extinct(result):
    for run in result["details"]["runs"].values():
        h = np.array(run["history"])
        assert np.allclose(h.sum(axis=1), 1) and h.min() >= 0
        assert all(v < 1e-3 for k, v in run["final"].items()
                   if k not in NICE and run["continuation"] > 0.9)


def test_ecological_dynamics_is_the_discrete_replicator_map():
    m = np.array([[3.0, 0.0], [5.0, 1.0]])
    h = ecological_dynamics(m, generations=1, start=[0.5, 0.5])
    f = m @ [0.5, 0.5]
    assert h[1] == pytest.approx(np.array([0.5, 0.5]) * f / (0.5 * f.sum()))


def test_a_non_square_payoff_matrix_is_rejected():
    with pytest.raises(InvalidGameError, match="payoff_matrix"):
        ecological_dynamics([[1, 2, 3]])


@pytest.mark.slow
def test_full_run_reaches_the_same_ecology():
    result = papers.run(NAME, full=True, seed=0)
    assert all(r["within"] for r in result["comparison"] if r["kind"] != "ours")
    assert result["details"]["repetitions"] == 200
