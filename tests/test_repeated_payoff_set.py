"""The pure-strategy SPE payoff set (Abreu & Sannikov 2014) and the feasible,
individually rational set."""

from __future__ import annotations

import doctest
import json
import pathlib

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import games
from games import InvalidArgumentError, InvalidGameError
from games.catalog import matching_pennies, prisoners_dilemma
from games.repeated import (
    EquilibriumPayoffSet,
    PayoffPolygon,
    equilibrium_payoffs,
    feasible_payoffs,
    minmax_values,
)
from games.repeated import payoff_set as payoff_set_module
from games.repeated.payoff_set import convex_hull

FIXTURE = pathlib.Path(__file__).parent / "fixtures" / "repeated_payoff_set_quantecon.json"
AS_GAME = [[(16, 9), (3, 13), (0, 3)], [(21, 1), (10, 4), (-1, 0)], [(9, 0), (5, -4), (-5, -15)]]


def bimatrix(cells) -> games.Game:
    arr = np.array(cells)
    return games.Game(np.moveaxis(arr, -1, 0))


def same_polygon(ours: np.ndarray, reference: np.ndarray, tol: float) -> bool:
    """Equal vertex lists up to the starting vertex."""
    reference = np.asarray(reference, dtype=float)
    if ours.shape != reference.shape:
        return False
    start = int(np.argmin(np.linalg.norm(reference - ours[0], axis=1)))
    return bool(np.abs(np.roll(reference, -start, axis=0) - ours).max() <= tol)


def test_doctests_pass():
    assert doctest.testmod(payoff_set_module).failed == 0


def test_prisoners_dilemma_set_at_0_9_matches_quantecon_within_1e_8():
    """QuantEcon 0.11.4 RepeatedGame.equilibrium_payoffs on [[(9,9),(1,10)],[(10,1),(3,3)]]
    at delta = 0.9 (tests/fixtures/make_repeated_payoff_set.py)."""
    data = json.loads(FIXTURE.read_text())
    case = next(c for c in data["cases"]
                if c["name"] == "prisoners_dilemma" and c["discount"] == 0.9)
    result = equilibrium_payoffs(bimatrix(case["payoffs"]), 0.9)
    assert same_polygon(result.vertices, case["vertices"], 1e-8)
    assert result.area == pytest.approx(case["area"], abs=1e-8)


def test_every_quantecon_case_is_the_same_polygon_within_1e_8():
    """Every vertex of ours is a QuantEcon vertex and every QuantEcon vertex lies on our
    polygon, within 1e-8 (QuantEcon occasionally keeps a collinear boundary point)."""
    data = json.loads(FIXTURE.read_text())
    assert len(data["cases"]) >= 20
    exact_lists = 0
    for case in data["cases"]:
        result = equilibrium_payoffs(bimatrix(case["payoffs"]), case["discount"])
        reference = np.array(case["vertices"])
        for v in result.vertices:
            assert np.min(np.abs(reference - v).max(axis=1)) <= 1e-8, case["name"]
        for v in reference:
            assert result.contains(v, tol=1e-8), case["name"]
        assert result.area == pytest.approx(case["area"], abs=1e-7)
        exact_lists += same_polygon(result.vertices, reference, 1e-8)
    assert exact_lists >= len(data["cases"]) - 2


def test_abreu_sannikov_three_by_three_example_at_0_3():
    """Abreu & Sannikov (2014), Theoretical Economics 9: the listed vertices at delta = 0.3."""
    expected = [(7.33770, 10.98263), (1.12568, 2.8), (7.33770, 0), (7.86309, 0),
                (19.79180, 2.8), (15.56309, 9.1)]
    result = equilibrium_payoffs(bimatrix(AS_GAME), 0.3)
    assert len(result.vertices) == 6
    for point in expected:
        assert np.min(np.abs(result.vertices - point).max(axis=1)) < 6e-6, point
    assert len(result.vertices) <= 3 * 9  # at most 3|A| extreme points


def test_vertices_are_counter_clockwise_and_area_is_positive():
    result = equilibrium_payoffs(bimatrix(AS_GAME), 0.5)
    v = result.vertices
    edges = np.roll(v, -1, axis=0) - v
    nxt = np.roll(edges, -1, axis=0)
    assert np.all(edges[:, 0] * nxt[:, 1] - edges[:, 1] * nxt[:, 0] > 0)
    assert result.area > 0


def test_low_discount_prisoners_dilemma_set_is_the_stage_equilibrium_point():
    result = equilibrium_payoffs(prisoners_dilemma(), 0.1)
    assert result.vertices.tolist() == [[1.0, 1.0]] and result.area == 0
    assert "a point" in repr(result)


def test_no_pure_spe_gives_an_empty_set():
    result = equilibrium_payoffs(matching_pennies(), 0.9)
    assert result.is_empty and result.area == 0 and not result.contains((0, 0))


def test_high_discount_set_fills_the_pure_folk_theorem_region():
    """Folk theorem (Fudenberg & Maskin 1986): as delta -> 1 the set approaches the
    feasible payoffs above the pure minmax values."""
    game = prisoners_dilemma()
    result = equilibrium_payoffs(game, 0.95)
    region = feasible_payoffs(game)
    assert result.area == pytest.approx(region.area, rel=1e-9)
    assert result.punishment.tolist() == [1.0, 1.0]


@pytest.mark.parametrize("low, high", [(0.6, 0.9), (0.3, 0.5), (0.5, 0.8)])
def test_the_set_grows_with_the_discount(low, high):
    """With public randomisation the equilibrium set is monotone in delta (Abreu, Pearce
    & Stacchetti 1990)."""
    game = bimatrix(AS_GAME)
    small, large = equilibrium_payoffs(game, low), equilibrium_payoffs(game, high)
    assert all(large.contains(v, tol=1e-7) for v in small.vertices)
    assert large.area >= small.area


@settings(max_examples=25, deadline=None)
@given(st.lists(st.integers(-5, 9), min_size=8, max_size=8),
       st.sampled_from([0.3, 0.5, 0.75, 0.9]))
def test_equilibrium_payoffs_are_feasible_and_individually_rational(values, delta):
    game = games.Game(np.array(values).reshape(2, 2, 2))
    result = equilibrium_payoffs(game, delta)
    region = feasible_payoffs(game)
    for v in result.vertices:
        assert region.contains(v, tol=1e-7)
    # every pure stage Nash equilibrium repeated forever is an SPE
    for eq in games.pure_equilibria(game):
        point = [float(x) for x in eq.payoffs]
        assert result.contains(point, tol=1e-7)


def test_feasible_set_and_minmax_values():
    game = prisoners_dilemma()
    assert minmax_values(game).tolist() == [1.0, 1.0]
    assert np.allclose(minmax_values(matching_pennies(), mixed=True), [0.0, 0.0], atol=1e-9)
    assert minmax_values(matching_pennies()).tolist() == [1.0, 1.0]
    full = feasible_payoffs(game, individually_rational=False)
    assert full.area == pytest.approx(10.0)  # the quadrilateral (1,1), (5,0), (3,3), (0,5)
    assert feasible_payoffs(matching_pennies()).is_empty
    assert feasible_payoffs(matching_pennies(), minmax="mixed").vertices.tolist() == [[0.0, 0.0]]
    with pytest.raises(InvalidArgumentError, match="minmax"):
        feasible_payoffs(game, minmax="correlated")


def test_convex_hull_handles_degenerate_inputs():
    assert convex_hull([]).shape == (0, 2)
    assert convex_hull([(1, 1), (1, 1)]).tolist() == [[1.0, 1.0]]
    assert convex_hull([(0, 0), (1, 1), (2, 2)]).tolist() == [[0.0, 0.0], [2.0, 2.0]]
    square = convex_hull([(0, 0), (1, 0), (1, 1), (0, 1), (0.5, 0.5), (0.5, 0)])
    assert square.tolist() == [[0, 0], [1, 0], [1, 1], [0, 1]]


def test_plot_draws_both_sets(tmp_path):
    """The prisoner's dilemma (T, R, P, S) = (5, 3, 1, 0): the feasible, individually
    rational set has vertices (1, 1), (13/3, 1), (3, 3), (1, 13/3) (the segment from
    (5, 0) to (3, 3) meets the minmax line y = 1 at x = 13/3). The plot draws it and the
    equilibrium set as closed polygons with exactly the result's vertices. At discount
    0.1, far below the 1/2 that grim trigger needs (3 >= 5 (1 - d) + d), the set shrinks
    to the stage equilibrium's payoffs (1, 1), drawn as one point."""
    matplotlib = pytest.importorskip("matplotlib")
    matplotlib.use("Agg")
    from matplotlib.image import imread
    result = equilibrium_payoffs(prisoners_dilemma(), 0.6)
    ir = [[1, 1], [13 / 3, 1], [3, 3], [1, 13 / 3]]
    assert np.allclose(result.feasible.vertices, ir, atol=1e-12)
    ax = result.plot()
    feasible, spe = ax.patches
    assert np.array_equal(feasible.get_xy(), np.vstack([result.feasible.vertices, ir[:1]]))
    assert np.array_equal(spe.get_xy(), np.vstack([result.vertices, result.vertices[:1]]))
    assert (ax.get_xlabel(), ax.get_ylabel()) == ("payoff of player 1", "payoff of player 2")
    assert [t.get_text() for t in ax.get_legend().get_texts()] == [
        "feasible and individually rational", "SPE payoffs, discount 0.6"]
    ax.figure.savefig(tmp_path / "set.png")
    width, height = ax.figure.get_size_inches() * ax.figure.dpi
    assert imread(tmp_path / "set.png").shape == (round(height), round(width), 4)
    low = equilibrium_payoffs(prisoners_dilemma(), 0.1)
    assert np.allclose(low.vertices, [[1, 1]])
    ax2 = low.plot(feasible=False)
    assert len(ax2.patches) == 0 and len(ax2.lines) == 1
    assert ax2.lines[0].get_marker() == "o"
    assert np.array_equal(ax2.lines[0].get_xydata(), low.vertices)


def test_results_serialise():
    result = equilibrium_payoffs(prisoners_dilemma(), 0.6)
    data = json.loads(json.dumps(result.to_dict()))
    assert data["discount"] == 0.6 and len(data["vertices"]) == len(result.vertices)
    assert isinstance(result, EquilibriumPayoffSet) and isinstance(result, PayoffPolygon)
    assert result.residual < 1e-9 and result.iterations >= 1
    assert result._repr_html_().count("<tr>") == len(result.vertices) + 1


@pytest.mark.parametrize("discount", [0, 1, 1.5, -0.2, float("nan"), "0.5", True])
def test_discounts_outside_the_open_unit_interval_are_rejected(discount):
    with pytest.raises(InvalidArgumentError, match="discount"):
        equilibrium_payoffs(prisoners_dilemma(), discount)


def test_non_two_player_games_are_rejected():
    with pytest.raises(InvalidGameError, match="two-player"):
        equilibrium_payoffs(games.Game(np.zeros((3, 2, 2, 2))), 0.5)
