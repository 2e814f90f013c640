"""Evolutionary dynamics: finite, infinite, structured and group-structured populations."""

import json
import math
from fractions import Fraction
from pathlib import Path

import mpmath
import numpy as np
import pytest

import games
import games.evolution as ev
from games import InvalidArgumentError, InvalidGameError

FIXTURES = Path(__file__).parent / "fixtures" / "evolution_egttools.json"


def reference_fixation(a: np.ndarray, z: int, beta: float, r: int, m: int) -> mpmath.mpf:
    """rho = 1 / (1 + sum_i prod_{j<=i} exp(-beta (f_m(j) - f_r(j)))) in 60-digit
    arithmetic, straight from the definition (Traulsen, Nowak & Pacheco 2006)."""
    mpmath.mp.dps = 60
    total, product = mpmath.mpf(1), mpmath.mpf(1)
    for k in range(1, z):
        f_m = (mpmath.mpf(k - 1) * a[m, m] + (z - k) * mpmath.mpf(a[m, r])) / (z - 1)
        f_r = (mpmath.mpf(k) * a[r, m] + (z - k - 1) * mpmath.mpf(a[r, r])) / (z - 1)
        product *= mpmath.exp(-beta * (f_m - f_r))
        total += product
    return 1 / total


def test_neutral_fixation_is_one_over_z():
    for z in (2, 7, 100, 5000):
        F = ev.fixation_probabilities(np.ones((3, 3)), z, 2.0)
        assert np.allclose(F, 1 / z, rtol=1e-12, atol=0)


def test_constant_fitness_moran_matches_the_closed_form_exactly():
    """A mutant of relative fitness r fixes with probability (1 - 1/r) / (1 - 1/r^Z)
    (Moran 1958; Nowak 2006, Evolutionary Dynamics, ch. 6)."""
    a = np.array([[1, 1], [2, 2]], dtype=object)    # strategy 1 always earns 2, strategy 0 earns 1
    game = games.Game(np.stack([a, a.T]))
    w, z = Fraction(1, 2), 12
    F = ev.fixation_probabilities(game, z, w, rule="moran", exact=True)
    r = (1 - w + w * 2) / (1 - w + w * 1)            # relative fitness 3/2
    assert F[0, 1] == (1 - 1 / r) / (1 - 1 / r**z)
    assert F[1, 0] == (1 - r) / (1 - r**z)
    floats = ev.fixation_probabilities(game, z, 0.5, rule="moran")
    assert floats[0, 1] == pytest.approx(float(F[0, 1]), rel=1e-13)


def test_fixation_matches_a_high_precision_reference_including_tiny_values():
    a = np.random.default_rng(4).random((4, 4)) * 10
    z, beta = 400, 3.0
    log_f = ev.log_fixation_probabilities(a, z, beta)
    for r in range(4):
        for m in range(4):
            if r != m:
                expected = float(mpmath.log(reference_fixation(a, z, beta, r, m)))
                assert log_f[r, m] == pytest.approx(expected, rel=1e-11)
    assert log_f.min() < -745        # below the smallest double: kept in log space


@pytest.mark.skipif(not FIXTURES.exists(), reason="EGTtools fixture absent")
def test_ten_strategy_fixation_and_stationary_match_egttools_where_it_does_not_truncate():
    data = json.loads(FIXTURES.read_text())
    for case in data["cases"]:
        a = np.array(case["payoffs"])
        z, beta = case["population_size"], case["intensity"]
        ours = ev.fixation_probabilities(a, z, beta)
        theirs = np.array(case["fixation"])
        off = ~np.eye(len(a), dtype=bool)
        kept = off & (theirs > 0)
        assert np.allclose(ours[kept], theirs[kept], rtol=1e-9, atol=0)
        # Where EGTtools reports 0 the true value is positive; check it against 60 digits.
        for r, m in list(zip(*np.nonzero(off & (theirs == 0))))[:4]:
            assert ours[r, m] > 0
            reference = float(reference_fixation(a, z, beta, r, m))
            assert ours[r, m] == pytest.approx(reference, rel=1e-9)
        stationary = ev.stationary_distribution(a, z, beta)
        assert stationary.sum() == pytest.approx(1)
        if not (off & (theirs == 0)).any():
            assert np.allclose(stationary, case["stationary"], atol=1e-9)


def test_stationary_distribution_in_the_small_mutation_limit_by_hand():
    """Two strategies: pi_B / pi_A = rho_AB / rho_BA."""
    a = np.array([[3.0, 0.0], [5.0, 1.0]])
    F = ev.fixation_probabilities(a, 30, 0.5)
    pi = ev.stationary_distribution(a, 30, 0.5)
    assert pi[1] / pi[0] == pytest.approx(F[0, 1] / F[1, 0])


def test_stationary_distribution_survives_probabilities_below_the_smallest_double():
    a = np.array([[1.0, 0.0, 0.0], [0.0, 2.0, 0.0], [0.0, 0.0, 3.0]])
    pi = ev.stationary_distribution(a, 2000, 10.0)
    assert np.all(np.isfinite(pi)) and pi.sum() == pytest.approx(1)
    assert pi.argmax() == 2


def test_full_chain_with_mutation_approaches_the_small_mutation_limit():
    a = np.array([[3.0, 0.0, 1.0], [5.0, 1.0, 0.0], [2.0, 2.0, 2.0]])
    limit = ev.stationary_distribution(a, 20, 1.0)
    tiny = ev.stationary_distribution(a, 20, 1.0, mutation=1e-7)
    assert np.allclose(tiny, limit, atol=1e-4)
    states, probabilities = ev.population_stationary_distribution(a, 20, 1.0, 0.05)
    assert states.shape == (math.comb(22, 2), 3) and (states.sum(axis=1) == 20).all()
    assert probabilities.sum() == pytest.approx(1) and (probabilities >= 0).all()


def test_full_chain_with_two_strategies_is_a_birth_death_chain():
    """Detailed balance: pi(k+1) T^-(k+1) = pi(k) T^+(k) for the mutation-perturbed chain."""
    a = np.array([[2.0, 0.0], [3.0, 1.0]])
    z, beta, mu = 15, 0.7, 0.01
    states, pi = ev.population_stationary_distribution(a, z, beta, mu)
    order = np.argsort(states[:, 1])
    pi = pi[order]
    k = np.arange(z + 1)
    f1 = ((k - 1) * a[1, 1] + (z - k) * a[1, 0]) / (z - 1)
    f0 = (k * a[0, 1] + (z - k - 1) * a[0, 0]) / (z - 1)
    fermi = 1 / (1 + np.exp(-beta * (f1 - f0)))
    up = (1 - mu) * (z - k) / z * k / (z - 1) * fermi + mu * (z - k) / z
    down = (1 - mu) * k / z * (z - k) / (z - 1) * (1 - fermi) + mu * k / z
    assert np.allclose(pi[1:] * down[1:], pi[:-1] * up[:-1], rtol=1e-8)


def test_group_payoffs_of_two_player_games_reduce_to_the_matrix_formula():
    a = np.random.default_rng(0).random((3, 3))
    as_game = games.Game(np.stack([a, a.T]))
    assert np.allclose(ev.fixation_probabilities(as_game, 40, 0.8),
                       ev.fixation_probabilities(a, 40, 0.8))


def test_public_goods_defectors_invade_contributors_when_r_is_below_n():
    pg = games.catalog.public_goods(n=4, r=3)
    F = ev.fixation_probabilities(pg, 50, 1.0)
    contribute, defect = 0, 1
    assert F[contribute, defect] > 1 / 50 > F[defect, contribute]


def test_simulation_agrees_with_the_analytical_fixation_probability():
    a = np.array([[1.0, 0.2], [1.4, 0.5]])
    for rule, beta in (("pairwise-comparison", 1.0), ("moran", 0.4)):
        exact = ev.fixation_probabilities(a, 20, beta, rule=rule)[0, 1]
        estimate = ev.simulate_fixation(a, 20, beta, runs=4000, seed=3, rule=rule)
        assert estimate.low <= exact <= estimate.high
        again = ev.simulate_fixation(a, 20, beta, runs=4000, seed=3, rule=rule)
        assert again == estimate


def test_gradient_of_selection_sign_follows_the_payoff_advantage():
    a = np.array([[1.0, 1.0], [2.0, 2.0]])       # strategy 1 always earns more
    gradient = ev.gradient_of_selection(a, 30, 1.0, resident=0, mutant=1)
    assert gradient[0] == gradient[-1] == 0
    assert (gradient[1:-1] > 0).all()


def test_hawk_dove_rest_points_and_the_mixed_ess():
    """Hawk-dove with V < C: the mixed state with V/C hawks is the ESS (Maynard Smith 1982)."""
    hd = games.catalog.hawk_dove(V=2, C=6)
    points = ev.rest_points(hd)
    interior = [p for p in points if all(x > 0 for x in p.state)]
    (mixed,) = interior
    hawk = hd.actions[0].index("Hawk")
    assert mixed.state[hawk] == Fraction(1, 3)
    assert mixed.ess and mixed.nash and mixed.stability == "asymptotically stable"
    assert all(p.stability == "unstable" for p in points if p is not mixed)


def test_prisoners_dilemma_defection_is_the_only_stable_rest_point_and_an_ess():
    pd = games.catalog.prisoners_dilemma()
    stable = [p for p in ev.rest_points(pd) if p.stability == "asymptotically stable"]
    assert len(stable) == 1 and stable[0].state[1] == 1 and stable[0].ess
    assert ev.is_evolutionarily_stable(pd, [1, 0]) is False


def test_rock_paper_scissors_centre_is_neutral_and_not_an_ess():
    rps = games.catalog.rock_paper_scissors()
    (centre,) = [p for p in ev.rest_points(rps) if all(x > 0 for x in p.state)]
    assert centre.stability == "non-hyperbolic" and centre.nash and centre.ess is False
    assert np.allclose(np.real(centre.eigenvalues), 0, atol=1e-9)


def test_rest_points_are_zeros_of_the_dynamics_modules_replicator_field():
    from games.dynamics import replicator_field

    a = np.array([[3.0, 0.0, 1.0], [5.0, 1.0, 0.0], [2.0, 2.0, 2.0]])
    points = ev.rest_points(a)
    assert len(points) >= 3
    symmetric = games.Game(np.stack([a, a.T]))
    for p in points:
        velocity = replicator_field(symmetric, np.asarray(p.state, dtype=float),
                                    population="single")[0]
        assert np.allclose(velocity, 0, atol=1e-12)


def test_kin_selection_makes_cooperation_dominant_exactly_when_rb_exceeds_c():
    pd = games.catalog.prisoners_dilemma(b=3, c=1)
    assert ev.hamilton_threshold(3, 1) == pytest.approx(1 / 3)
    for r, cooperate in ((Fraction(1, 4), False), (Fraction(1, 3), None), (Fraction(1, 2), True)):
        kin = ev.relatedness_weighted(pd, r)
        profiles = [e.profile for e in games.pure_equilibria(kin)]
        if cooperate is None:       # at r = c/b both actions are best responses
            assert (0, 0) in profiles and (1, 1) in profiles
        else:
            assert profiles == ([(0, 0)] if cooperate else [(1, 1)])


def test_thresholds_of_the_structured_rules():
    assert ev.network_threshold(4) == 4
    assert ev.network_threshold(4, "imitation") == 6
    assert ev.network_threshold(4, "birth-death") == math.inf
    assert ev.group_selection_threshold(10, 5) == 3


def test_graph_simulation_is_seeded_and_neutral_fixation_is_one_over_n():
    nx = pytest.importorskip("networkx")
    graph = nx.cycle_graph(12)
    neutral = np.zeros((2, 2))
    estimate = ev.simulate_graph_fixation(neutral, graph, 0.1, runs=6000, seed=5)
    assert estimate.low <= 1 / 12 <= estimate.high
    assert ev.simulate_graph_fixation(neutral, graph, 0.1, runs=300, seed=9) == \
        ev.simulate_graph_fixation(neutral, graph, 0.1, runs=300, seed=9)


@pytest.mark.slow
def test_network_reciprocity_threshold_b_over_c_greater_than_k():
    """Ohtsuki et al. (2006): on a random regular graph of degree k under death-birth
    updating, a cooperator fixes with probability above 1/N when b/c > k, below when
    b/c < k."""
    nx = pytest.importorskip("networkx")
    n, k = 50, 3
    graph = nx.random_regular_graph(k, n, seed=1)
    below = ev.simulate_graph_fixation(games.catalog.prisoners_dilemma(b=2.0, c=1.0), graph, 0.05,
                                       resident=1, mutant=0, runs=40000, seed=2)
    above = ev.simulate_graph_fixation(games.catalog.prisoners_dilemma(b=5.0, c=1.0), graph, 0.05,
                                       resident=1, mutant=0, runs=40000, seed=2)
    assert below.high < 1 / n < above.low


@pytest.mark.slow
def test_group_selection_favours_cooperators_above_one_plus_n_over_m():
    groups, size = 10, 10          # threshold b/c > 2
    def fix(b, mutant):
        return ev.simulate_group_fixation(b, 1.0, groups, size, split=0.01, intensity=0.05,
                                          mutant=mutant, runs=3000, seed=1)
    assert fix(6.0, "cooperator").low > fix(6.0, "defector").high
    assert fix(1.3, "cooperator").high < fix(1.3, "defector").low


@pytest.mark.parametrize("call, error, message", [
    (lambda: ev.fixation_probabilities(np.ones((2, 3)), 10, 1.0), InvalidGameError, "square"),
    (lambda: ev.fixation_probabilities(games.catalog.battle_of_the_sexes(), 10, 1.0),
     InvalidGameError, "symmetric"),
    (lambda: ev.fixation_probabilities(np.ones((2, 2)), 1, 1.0),
     InvalidArgumentError, "population_size"),
    (lambda: ev.fixation_probabilities(np.ones((2, 2)), 10, -1.0),
     InvalidArgumentError, "intensity"),
    (lambda: ev.fixation_probabilities(np.ones((2, 2)), 10, 1.0, rule="voter"),
     InvalidArgumentError, "rule"),
    (lambda: ev.fixation_probabilities(np.array([[-5.0, 0], [0, 0]]), 10, 1.0, rule="moran"),
     InvalidArgumentError, "positive"),
    (lambda: ev.stationary_distribution(np.ones((2, 2)), 10, 1.0, mutation=2),
     InvalidArgumentError, "mutation"),
    (lambda: ev.stationary_distribution(np.ones((30, 30)), 200, 1.0, mutation=0.1),
     InvalidArgumentError, "states"),
    (lambda: ev.relatedness_weighted(games.catalog.prisoners_dilemma(), 2),
     InvalidArgumentError, "relatedness"),
])
def test_bad_input_is_rejected_with_a_message_naming_it(call, error, message):
    with pytest.raises(error, match=message):
        call()


def test_moran_process_runs_to_fixation_at_the_analytical_rate():
    a = np.array([[3.0, 0.5], [4.0, 1.0]])
    expected = ev.fixation_probabilities(a, 20, 0.5, rule="moran")[0, 1]
    runs = [ev.moran_process(a, [19, 1], intensity=0.5, seed=s) for s in range(1500)]
    wins = sum(r.winner == 1 for r in runs)
    low, high = ev.finite.wilson_interval(wins, len(runs))
    assert low <= expected <= high
    run = runs[0]
    assert (run.counts.sum(axis=1) == 20).all() and run.counts[-1].max() == 20
    assert (np.abs(np.diff(run.counts, axis=0)).sum(axis=1) <= 2).all()


def test_plots_draw_the_flow_the_rest_points_and_the_fixation_graph(tmp_path):
    """Rock-paper-scissors under the replicator dynamics has four rest points, the three
    vertices (saddles) and the barycentre (a centre, neutrally stable: Zeeman 1980), none
    asymptotically stable, so all four are drawn open. In the prisoner's dilemma a
    defector fixes in a cooperating population more often than a neutral mutant and a
    cooperator in a defecting one less: the fixation graph has the single arrow C -> D."""
    pytest.importorskip("matplotlib")
    import matplotlib
    import matplotlib.image
    matplotlib.use("Agg")
    fig = ev.plot_simplex(games.catalog.rock_paper_scissors())
    ax = fig.axes[0]
    corners = [[0.0, 0.0], [1.0, 0.0], [0.5, math.sqrt(3) / 2]]
    triangle, *rest = ax.lines
    assert np.allclose(triangle.get_xydata(), corners + corners[:1])
    assert np.allclose([line.get_xydata()[0] for line in rest],
                       corners + [[0.5, math.sqrt(3) / 6]])
    assert [line.get_markerfacecolor() for line in rest] == ["white"] * 4
    assert ax.collections[0].N == 150             # a 16-step grid, corners left out
    assert [t.get_text() for t in ax.texts] == ["Rock", "Paper", "Scissors"]
    assert ax.get_title() == "Replicator dynamics of Rock, Paper, Scissors"

    analysis = ev.small_mutation_analysis(games.catalog.prisoners_dilemma(), 50, 1.0)
    f = analysis.fixation
    assert f[0, 1] > 1 / 50 > f[1, 0]             # D invades C; C does not invade D
    # two monomorphic states: pi_C f[C, D] = pi_D f[D, C]
    expected = np.array([f[1, 0], f[0, 1]]) / (f[1, 0] + f[0, 1])
    assert analysis.stationary == pytest.approx(expected)
    assert analysis.stationary.argmax() == 1      # defection dominates the long run
    fig = analysis.plot()
    bars, graph = fig.axes
    assert [p.get_height() for p in bars.patches] == analysis.stationary.tolist()
    assert [t.get_text() for t in bars.get_xticklabels()] == ["C", "D"]
    assert bars.get_ylabel() == "stationary share"
    arrows = [t for t in graph.texts if t.arrow_patch is not None]
    assert len(arrows) == 1                       # from C (top) to D (bottom)
    assert np.allclose(arrows[0].xyann, (0, 0.88)) and np.allclose(arrows[0].xy, (0, -0.88))
    assert [t.get_text() for t in graph.texts if t.arrow_patch is None] == ["C", "D"]
    assert np.allclose(graph.collections[0].get_offsets(), [[0, 1], [0, -1]])
    fig.savefig(tmp_path / "analysis.png")
    width, height = fig.get_size_inches() * fig.dpi
    image = matplotlib.image.imread(tmp_path / "analysis.png")
    assert image.shape == (round(height), round(width), 4)
    assert image[..., :3].min() < 0.5             # something dark was drawn, not a blank page
    assert "stationary" in repr(analysis) and "<table>" in analysis._repr_html_()
    with pytest.raises(InvalidGameError, match="3 strategies"):
        ev.plot_simplex(games.catalog.prisoners_dilemma())


@pytest.mark.skipif(not FIXTURES.exists(), reason="EGTtools fixture absent")
def test_meta_game_stationary_distribution_matches_a_60_digit_reference():
    """The 10-strategy repeated-game meta-game (Z = 100, beta = 1): EGTtools truncates
    some fixation probabilities to 0; the stationary distribution computed from the
    60-digit fixation matrix agrees with ours."""
    case = next(c for c in json.loads(FIXTURES.read_text())["cases"] if c["seed"] == "meta-game")
    a = np.array(case["payoffs"])
    z, beta = case["population_size"], case["intensity"]
    s = len(a)
    mpmath.mp.dps = 60
    transition = mpmath.matrix(s, s)
    for r in range(s):
        for m in range(s):
            if r != m:
                transition[r, m] = reference_fixation(a, z, beta, r, m) / (s - 1)
        transition[r, r] = 1 - sum(transition[r, m] for m in range(s) if m != r)
    # pi (P - I) = 0 with sum(pi) = 1: replace the last equation by the normalisation.
    system = (transition - mpmath.eye(s)).T
    for m in range(s):
        system[s - 1, m] = 1
    rhs = mpmath.matrix([0] * (s - 1) + [1])
    reference = np.array([float(x) for x in mpmath.lu_solve(system, rhs)])
    assert np.allclose(ev.stationary_distribution(a, z, beta), reference, rtol=1e-9, atol=1e-300)
