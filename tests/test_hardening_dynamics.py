"""Hardening of games.repeated, games.evolution, games.dynamics and papers (issue 16):
answers that do not depend on the payoff scale, the result protocol (``to_dict``,
``_repr_html_``, ``plot``) and imports at module top."""

from __future__ import annotations

import json
import pathlib
import subprocess
import sys
from fractions import Fraction

import numpy as np
import pytest

import games
import games.dynamics as dynamics
import games.evolution as ev
from games import InvalidGameError
from games.catalog import prisoners_dilemma, rock_paper_scissors
from games.repeated import (
    critical_discount,
    equilibrium_payoffs,
    feasible_payoffs,
    match,
    subgame_perfect_check,
    tournament,
)
from games.repeated import strategies as S
from games.tolerance import normalised_payoffs, payoff_range

ROOT = pathlib.Path(__file__).resolve().parent.parent
SCALES = (1e-12, 1.0, 1e12)

#: Hawk-dove with value V = 2 and cost C = 3: the mixed ESS plays hawk with V/C = 2/3
#: (Maynard Smith & Price 1973).
V, C = 2.0, 3.0
HAWK_DOVE = np.array([[(V - C) / 2, V], [0.0, V / 2]])


def scaled(game: games.Game, c: float) -> games.Game:
    return games.Game(game.float_payoffs * c, players=game.players, actions=game.actions)


@pytest.fixture(scope="module")
def pyplot():
    matplotlib = pytest.importorskip("matplotlib")
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    yield plt
    plt.close("all")


# ---------------------------------------------------------------------------------------
# The payoff scale


def test_payoff_range_and_normalisation_handle_a_constant_game():
    assert payoff_range([[2, 2], [2, 2]]) == 0.0
    unit, low, scale = normalised_payoffs([[2e-12, 2e-12]])
    assert unit.tolist() == [[0.0, 0.0]] and low == 2e-12 and scale == 0.0
    unit, low, scale = normalised_payoffs(np.array([1.0, 3.0, 7.0]) * 1e12)
    assert np.array_equal(unit * scale + low, np.array([1.0, 3.0, 7.0]) * 1e12)
    assert 1 <= unit.max() < 2


@pytest.mark.parametrize("c", SCALES)
def test_hawk_dove_mixed_ess_is_v_over_c_at_every_payoff_scale(c):
    """Scaled by 1e-12 the tolerance floor used to call every rest point non-hyperbolic
    and deny the ESS; scaled by 1e12 the determinant test dropped the mixed rest point."""
    points = ev.rest_points(HAWK_DOVE * c)
    assert len(points) == 3
    ess = [p for p in points if p.ess]
    assert len(ess) == 1
    assert ess[0].state == pytest.approx([V / C, 1 - V / C], rel=1e-12)
    assert ess[0].stability == "asymptotically stable"
    assert [p.stability for p in points if not p.ess] == ["unstable", "unstable"]
    reference = ev.rest_points(HAWK_DOVE)[2].eigenvalues
    assert ess[0].eigenvalues.real == pytest.approx(reference.real * c, rel=1e-9)
    assert ev.is_evolutionarily_stable(HAWK_DOVE * c, [V / C, 1 - V / C]) is True
    assert ev.is_evolutionarily_stable(HAWK_DOVE * c, [1.0, 0.0]) is False


@pytest.mark.parametrize("c", SCALES)
def test_prisoners_dilemma_defection_is_the_only_ess_at_every_scale(c):
    pd = np.array([[3.0, 0.0], [5.0, 1.0]]) * c
    assert [p.state.tolist() for p in ev.rest_points(pd) if p.ess] == [[0.0, 1.0]]


def test_constant_game_has_neutral_rest_points_and_no_ess():
    """Every state of a constant game is at rest: the vertices are isolated solutions of
    their faces, none is stable or an ESS (every mutant is a neutral best reply)."""
    points = ev.rest_points(np.full((3, 3), 1e-12))
    assert len(points) == 3
    assert all(p.nash and p.ess is False and p.stability == "non-hyperbolic" for p in points)


def test_symmetry_check_is_relative_to_the_payoff_range():
    """An asymmetry of a tenth of the payoff range is not float noise, even at 1e-12."""
    a = np.array([[1.0, 2.0], [3.0, 4.0]]) * 1e-12
    b = a.T.copy()
    b[0, 1] += 1e-13
    with pytest.raises(InvalidGameError, match="symmetric"):
        ev.population_game(games.Game(np.stack([a, b])))


@pytest.mark.parametrize("c", SCALES)
def test_fixation_and_stationary_distribution_depend_on_intensity_times_payoffs(c):
    """Pairwise comparison depends on beta * payoff differences only (Traulsen, Nowak &
    Pacheco 2006): payoffs times c with intensity over c give the same numbers."""
    a = rock_paper_scissors().float_payoffs[0] + np.array([[0, 0.5, 0], [0, 0, 0.2],
                                                            [0.1, 0, 0]])
    reference = ev.fixation_probabilities(a, 30, 1.0)
    assert ev.fixation_probabilities(a * c, 30, 1.0 / c) == pytest.approx(reference, rel=1e-9)
    stationary = ev.stationary_distribution(a, 30, 1.0)
    assert ev.stationary_distribution(a * c, 30, 1.0 / c) == pytest.approx(stationary,
                                                                          rel=1e-9)
    full = ev.stationary_distribution(a, 8, 1.0, mutation=0.01)
    assert ev.stationary_distribution(a * c, 8, 1.0 / c, mutation=0.01) == \
        pytest.approx(full, rel=1e-8)


@pytest.mark.parametrize("c", SCALES)
def test_subgame_perfection_verdicts_do_not_depend_on_the_payoff_scale(c):
    """Grim trigger is an SPE of the PD exactly from delta = (T - R)/(T - P) = 1/2; tit
    for tat is not at 0.9 (Fudenberg & Tirole 1991). At 1e-12 the absolute tolerance
    floor used to accept every profile."""
    pd = scaled(prisoners_dilemma(), c)
    grim = (S.GrimTrigger(), S.GrimTrigger())
    assert subgame_perfect_check(grim, pd, 0.6).is_subgame_perfect
    below = subgame_perfect_check(grim, pd, 0.45)
    assert not below.is_subgame_perfect
    reference = subgame_perfect_check(grim, prisoners_dilemma().to_float(), 0.45)
    assert below.gain == pytest.approx(reference.gain * c, rel=1e-9)
    assert below.values[(0, 0)] == pytest.approx(tuple(np.array((3.0, 3.0)) * c), rel=1e-9)
    assert not subgame_perfect_check((S.TitForTat(), S.TitForTat()), pd, 0.9)
    assert critical_discount(grim, pd) == pytest.approx(0.5, rel=1e-9)


def test_every_profile_is_subgame_perfect_in_a_constant_game():
    flat = games.Game(np.full((2, 2, 2), 7e-12))
    for profile in ((S.TitForTat(), S.Defector()), (S.Alternator(), S.GrimTrigger())):
        check = subgame_perfect_check(profile, flat, 0.9)
        assert check.is_subgame_perfect and check.gain == 0
        assert all(v == pytest.approx((7e-12, 7e-12), rel=1e-12)
                   for v in check.values.values())


@pytest.mark.parametrize("c", SCALES)
def test_equilibrium_payoff_set_scales_with_the_payoffs(c):
    """V(c g) = c V(g): at 1e-12 the set used to collapse to a segment of area 0."""
    pd = prisoners_dilemma().to_float()
    reference = equilibrium_payoffs(pd, 0.9)
    result = equilibrium_payoffs(scaled(pd, c), 0.9)
    assert result.vertices / c == pytest.approx(reference.vertices, rel=1e-9, abs=1e-9)
    assert result.area / c**2 == pytest.approx(20 / 3, rel=1e-9)
    assert result.punishment / c == pytest.approx([1.0, 1.0], rel=1e-9)
    assert result.residual <= 1e-9 * c


def test_equilibrium_payoff_set_of_a_constant_game_is_its_one_payoff():
    result = equilibrium_payoffs(games.Game(np.full((2, 3, 2), -4.0)), 0.5)
    assert result.vertices.tolist() == [[-4.0, -4.0]] and result.punishment.tolist() == [-4, -4]


def test_polygon_membership_tolerance_is_relative_to_the_payoff_range():
    """The feasible, individually rational set of the PD scaled by 1e-12 starts at the
    minmax payoffs (1e-12, 1e-12): (0.5e-12, 0.5e-12) is outside, which an absolute 1e-9
    tolerance could not see."""
    region = feasible_payoffs(scaled(prisoners_dilemma(), 1e-12))
    assert region.payoff_scale == pytest.approx(5e-12)
    assert region.contains((1.5e-12, 1.5e-12))
    assert not region.contains((0.5e-12, 0.5e-12))


@pytest.mark.parametrize("c", SCALES)
def test_dynamics_give_the_same_paths_up_to_the_time_scale(c):
    """Payoffs times c run the replicator c times faster and the logit response with
    rationality over c is unchanged."""
    g = games.random_game((3, 3), seed=3)
    start = [[0.2, 0.3, 0.5], [0.6, 0.2, 0.2]]
    reference = dynamics.replicator(g, start, t_max=5.0, steps=500).final
    path = dynamics.replicator(scaled(g, c), start, t_max=5.0 / c, steps=500).final
    assert all(np.allclose(p, q, atol=1e-9) for p, q in zip(path, reference))
    reference = dynamics.logit_dynamics(g, 2.0, start, t_max=5.0, steps=500).final
    path = dynamics.logit_dynamics(scaled(g, c), 2.0 / c, start, t_max=5.0, steps=500).final
    assert all(np.allclose(p, q, atol=1e-9) for p, q in zip(path, reference))


@pytest.mark.parametrize("c", SCALES)
def test_best_response_dynamics_leaves_cooperation_in_a_tiny_prisoners_dilemma(c):
    """At 1e-12 the best-response tolerance floor used to call (C, C) an equilibrium."""
    trajectory = dynamics.best_response_dynamics(scaled(prisoners_dilemma(), c),
                                                 [[1, 0], [1, 0]], steps=10)
    assert trajectory.parameters["converged"]
    assert [s.tolist() for s in trajectory.final] == [[0.0, 1.0], [0.0, 1.0]]


def test_conditional_regret_matching_runs_on_a_constant_game():
    trajectory = dynamics.regret_matching(games.Game(np.zeros((2, 2, 2))), 200,
                                          conditional=True, seed=0)
    assert trajectory.parameters["inertia"] > 0 and trajectory.regrets.max() == 0


# ---------------------------------------------------------------------------------------
# The result protocol


def round_trip(result) -> dict:
    data = result.to_dict()
    assert json.loads(json.dumps(data)) == data
    return data


def test_rest_point_serialises_exactly_and_shows_its_shares():
    exact = games.Game.from_bimatrix([[-1, 4], [0, 2]], [[-1, 0], [4, 2]])
    ess = next(p for p in ev.rest_points(exact) if p.ess)
    data = round_trip(ess)
    assert data["state"] == ["2/3", "1/3"] and data["ess"] is True and data["nash"] is True
    assert data["stability"] == "asymptotically stable" and len(data["eigenvalues"]) == 1
    page = ess._repr_html_()
    assert "2/3" in page and "1/3" in page and "asymptotically stable" in page


def test_fixation_estimate_serialises_and_shows_its_interval():
    estimate = ev.simulate_fixation(HAWK_DOVE, 10, 1.0, runs=200, seed=1)
    data = round_trip(estimate)
    assert data["fixations"] == estimate.fixations and data["runs"] == 200
    assert data["low"] <= data["probability"] <= data["high"]
    assert f"{estimate.probability:.4g}" in estimate._repr_html_()


def test_moran_run_serialises_and_plots_its_counts(pyplot):
    run = ev.moran_process(prisoners_dilemma(), [5, 5], intensity=0.5, seed=2)
    data = round_trip(run)
    assert data["counts"] == run.counts.tolist() and data["winner"] == run.winner
    assert data["strategies"] == ["C", "D"] and data["steps"] == run.steps
    assert run.strategies[run.winner] in run._repr_html_()
    ax = run.plot()
    for k, line in enumerate(ax.get_lines()):
        assert np.array_equal(line.get_ydata(), run.counts[:, k])
    assert ax.get_xlabel() == "step" and ax.get_ylabel() == "individuals"
    assert "Moran" in ax.get_title()


def test_small_mutation_analysis_plots_its_stationary_distribution(pyplot):
    analysis = ev.small_mutation_analysis(prisoners_dilemma(), 50, 1.0)
    round_trip(analysis)
    bars = analysis.plot().axes[0]
    heights = [patch.get_height() for patch in bars.patches]
    assert heights == pytest.approx(analysis.stationary.tolist())


def test_subgame_perfect_check_serialises_exact_values():
    check = subgame_perfect_check((S.GrimTrigger(), S.GrimTrigger()), prisoners_dilemma(),
                                  Fraction(9, 20))
    data = round_trip(check)
    assert data["is_subgame_perfect"] is False and data["exact"] is True
    assert data["discount"] == "9/20" and data["gain"] == str(check.gain)
    assert {"state": [0, 0], "values": [3, 3]} in data["values"]
    assert str(check.gain) in check._repr_html_()


def test_match_result_plots_the_running_mean_payoff(pyplot):
    result = match(S.TitForTat(), S.Alternator(), prisoners_dilemma(), turns=20)
    round_trip(result)
    ax = result.plot()
    lines = ax.get_lines()
    assert [line.get_label() for line in lines] == list(result.names)
    for k, line in enumerate(lines):
        assert line.get_ydata()[-1] == pytest.approx(float(result.mean_payoffs[k]))
    assert ax.get_xlabel() == "turn"


def test_tournament_result_serialises_and_plots_its_scores(pyplot):
    result = tournament([S.TitForTat(), S.Defector(), S.Cooperator()], prisoners_dilemma(),
                        turns=10, repetitions=2, noise=Fraction(1, 10), seed=0)
    data = round_trip(result)
    assert data["noise"] == 0.1 and data["names"] == list(result.names)
    ax = result.plot()
    widths = [patch.get_width() for patch in ax.patches]
    assert widths == pytest.approx(result.scores[list(result.ranking)].tolist())
    assert [t.get_text() for t in ax.get_yticklabels()] == list(result.ranked_names)


def test_trajectory_serialises_any_seed_and_plots_its_states(pyplot):
    g = games.random_game((2, 3), seed=0)
    trajectory = dynamics.fictitious_play(g, 50, seed=np.random.default_rng(0))
    data = round_trip(trajectory)
    assert data["labels"] == trajectory.labels and len(data["labels"]) == 5
    assert data["states"] == trajectory.states.tolist()
    page = trajectory._repr_html_()
    assert all(label in page for label in trajectory.labels)
    ax = trajectory.plot()
    for k, line in enumerate(ax.get_lines()):
        assert np.array_equal(line.get_ydata(), trajectory.states[:, k])
        assert line.get_label() == trajectory.labels[k]
    assert ax.get_xlabel() == "step" and ax.get_ylabel() == "probability"


def test_payoff_set_plot_draws_its_vertices_with_a_title(pyplot):
    result = equilibrium_payoffs(prisoners_dilemma(), 0.6)
    data = round_trip(result)
    assert data["payoff_scale"] == 5.0
    ax = result.plot()
    drawn = ax.patches[-1].get_xy()[:-1]
    assert np.allclose(drawn, result.vertices)
    assert "0.6" in ax.get_title() and ax.get_xlabel() == "payoff of player 1"


def test_figures_use_the_colour_blind_safe_palette(pyplot):
    from games.palette import COLOURS

    ax = match(S.TitForTat(), S.Defector(), prisoners_dilemma(), turns=5).plot()
    colours = {pyplot.matplotlib.colors.to_hex(line.get_color()).upper()
               for line in ax.get_lines()}
    assert colours <= set(COLOURS)


# ---------------------------------------------------------------------------------------
# Imports

@pytest.mark.parametrize("module", ["games.dynamics", "games.evolution", "games.repeated",
                                    "papers.carichon2025_aid_delivery"])
def test_each_module_imports_first_in_a_fresh_interpreter(module):
    """games.dynamics and games.evolution import each other's names at module top: each
    must load on its own, whichever comes first."""
    done = subprocess.run([sys.executable, "-c", f"import {module}"], cwd=ROOT,
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
