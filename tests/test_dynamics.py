"""Learning and evolutionary dynamics."""

from __future__ import annotations

import numpy as np
import pytest

import games
from games import dynamics
from games.errors import InvalidArgumentError, InvalidGameError


def _on_simplex(states, sizes):
    off = np.concatenate([[0], np.cumsum(sizes)])
    ok = states.min() >= 0
    for i in range(len(sizes)):
        ok &= np.allclose(states[:, off[i]:off[i + 1]].sum(axis=1), 1.0, atol=1e-12)
    return bool(ok)


@pytest.mark.parametrize("shape,seed", [((3, 3), 0), ((2, 3, 4), 1), ((2, 2, 2, 2), 2)])
def test_replicator_conserves_the_simplex(shape, seed):
    g = games.random_game(shape, seed=seed, low=-5, high=5)
    tr = dynamics.replicator(g, seed=seed, t_max=40, steps=400)
    assert _on_simplex(tr.states, shape)
    tr = dynamics.replicator(g, seed=seed, t_max=40, steps=400, mutation=0.1)
    assert _on_simplex(tr.states, shape)


def test_replicator_field_sums_to_zero_per_player_and_vanishes_at_equilibria():
    g = games.random_game((3, 3, 3), seed=3)
    rng = np.random.default_rng(0)
    x = [rng.dirichlet(np.ones(3)) for _ in range(3)]
    for d in dynamics.replicator_field(g, x):
        assert abs(d.sum()) < 1e-12
    eq = games.mixed_equilibria(g)[0] if hasattr(games, "mixed_equilibria") else None
    if eq is None:
        from games.solvers.mixed import mixed_equilibria
        eq = mixed_equilibria(g)[0]
    field = dynamics.replicator_field(g, [np.asarray(s, float) for s in eq.strategies])
    assert max(np.abs(d).max() for d in field) < 1e-9


def test_rock_paper_scissors_replicator_conserves_the_product_invariant():
    """For zero-sum RPS, x1 x2 x3 is a constant of motion of the single-population
    replicator (Hofbauer & Sigmund 1998, 7.7): orbits are closed cycles."""
    g = games.catalog.rock_paper_scissors()
    tr = dynamics.replicator(g, [0.5, 0.3, 0.2], population="single", t_max=10, steps=4000)
    product = tr.states.prod(axis=1)
    assert np.abs(product - product[0]).max() < 1e-6
    assert _on_simplex(tr.states, [3])


def test_replicator_mutator_with_uniform_mutation_has_an_interior_rest_point():
    g = games.catalog.prisoners_dilemma()
    tr = dynamics.replicator(g, [[0.5, 0.5], [0.5, 0.5]], t_max=100, steps=1000, mutation=0.2)
    assert tr.kind == "replicator_mutator"
    assert all(s.min() > 0.01 for s in tr.final)
    field = dynamics.replicator_field(g, tr.final, mutation=0.2)
    assert max(np.abs(d).max() for d in field) < 1e-8


def test_prisoners_dilemma_replicator_goes_to_defection():
    tr = dynamics.replicator(games.catalog.prisoners_dilemma(), [[0.9, 0.1], [0.9, 0.1]],
                             t_max=60, steps=1000)
    assert tr.final[0][1] > 0.99 and tr.final[1][1] > 0.99


def test_logit_dynamics_rest_point_is_the_logit_qre():
    from games.solvers.quantal import quantal_response

    g = games.random_game((2, 2), seed=7)
    lam = 1.5
    tr = dynamics.logit_dynamics(g, lam, t_max=60, steps=3000)
    q = quantal_response(g, lam)
    assert np.allclose(np.concatenate(tr.final), np.concatenate(q.strategies), atol=1e-8)
    assert _on_simplex(tr.states, [2, 2])


def test_best_response_dynamics_stops_at_a_pure_equilibrium():
    g = games.catalog.prisoners_dilemma()
    tr = dynamics.best_response_dynamics(g, [0, 0])
    assert tr.parameters["converged"]
    final = tuple(int(np.argmax(s)) for s in tr.final)
    assert final in [e.profile for e in games.pure_equilibria(g)]


def test_best_response_dynamics_cycles_in_matching_pennies():
    tr = dynamics.best_response_dynamics(games.catalog.matching_pennies(), [0, 0], steps=20)
    assert not tr.parameters["converged"]
    assert len(tr) == 21


def test_fictitious_play_frequencies_approach_the_rps_equilibrium():
    """Fictitious play converges in zero-sum games (Robinson 1951)."""
    tr = dynamics.fictitious_play(games.catalog.rock_paper_scissors(), 5000, seed=0)
    assert np.abs(np.concatenate(tr.final) - 1 / 3).max() < 0.03
    assert abs(tr.joint.sum() - 1) < 1e-12


def test_dynamics_are_reproducible_with_a_seed():
    g = games.random_game((3, 3), seed=1)
    for f in (lambda s: dynamics.fictitious_play(g, 300, smoothing=2.0, seed=s),
              lambda s: dynamics.regret_matching(g, 300, seed=s),
              lambda s: dynamics.replicator(g, seed=s, steps=100)):
        assert np.array_equal(f(5).states, f(5).states)
        assert not np.array_equal(f(5).states, f(6).states)


@pytest.mark.parametrize("game", [games.catalog.rock_paper_scissors(),
                                  games.catalog.matching_pennies(),
                                  games.random_game((3, 3, 2), seed=8)])
def test_regret_matching_cce_certificate_falls_like_one_over_sqrt_t(game):
    """Hart & Mas-Colell (2000): with regret matching, max_b R_T(b) / T <=
    range * sqrt(a / T) in expectation; we allow a factor 2 for sampling noise."""
    span = float(game.float_payoffs.max() - game.float_payoffs.min())
    amax = max(game.shape)
    for T in (1000, 10000, 100000):
        tr = dynamics.regret_matching(game, T, seed=2)
        cert = tr.coarse_correlated_regret()
        assert cert <= 2 * span * np.sqrt(amax / T)
        assert abs(cert - max(0.0, tr.regrets[-1])) < 1e-9


def test_regret_matching_certificate_agrees_with_the_correlated_module():
    corr = pytest.importorskip("games.solvers.correlated")
    g = games.random_game((3, 2, 2), seed=3)
    tr = dynamics.regret_matching(g, 5000, seed=0)
    gains = corr.deviation_gains(g, tr.joint, coarse=True)
    assert abs(max(0.0, float(gains.max())) - tr.coarse_correlated_regret()) < 1e-12


def test_conditional_regret_matching_approaches_correlated_equilibria():
    g = games.catalog.chicken()
    tr = dynamics.regret_matching(g, 50000, conditional=True, seed=1)
    assert tr.correlated_regret() < 0.1


def test_coarse_correlated_regret_of_a_nash_product_is_zero():
    g = games.catalog.matching_pennies()
    assert dynamics.coarse_correlated_regret(g, np.full((2, 2), 0.25)) == 0.0
    assert dynamics.coarse_correlated_regret(g, np.array([[1.0, 0], [0, 0]])) > 0


def test_bad_arguments_are_rejected_with_their_names():
    g = games.catalog.rock_paper_scissors()
    with pytest.raises(InvalidArgumentError, match="steps"):
        dynamics.replicator(g, steps=0)
    with pytest.raises(InvalidArgumentError, match="population"):
        dynamics.replicator(games.random_game((2, 3), seed=0), population="single")
    with pytest.raises(InvalidArgumentError, match="mutation"):
        dynamics.replicator(g, mutation=np.ones((3, 3)))
    with pytest.raises(InvalidArgumentError, match="seed"):
        dynamics.regret_matching(g, 10, seed="x")
    with pytest.raises(InvalidArgumentError, match="order"):
        dynamics.best_response_dynamics(g, order="chaotic")
    with pytest.raises(InvalidGameError, match="initial"):
        dynamics.replicator(g, [0.5, 0.5], population="single")


def test_plots_draw_on_the_simplex_for_three_actions():
    pytest.importorskip("matplotlib")
    import matplotlib
    matplotlib.use("Agg")
    g = games.catalog.rock_paper_scissors()
    ax = dynamics.replicator(g, [0.5, 0.3, 0.2], population="single", steps=200).plot()
    assert ax.get_aspect() == 1.0
    ax = dynamics.fictitious_play(games.random_game((2, 2), seed=0), 50, seed=0).plot()
    assert len(ax.get_lines()) == 4
