"""Logit quantal response equilibria, the principal branch and the ML fit."""

from __future__ import annotations

import math

import numpy as np
import pytest

import games
from games.errors import InvalidArgumentError
from games.solvers.quantal import fit_quantal_response, quantal_response, quantal_response_path


def _logit_residual(game, strategies, lam):
    u = game.to_float().action_payoffs([np.asarray(s, float) for s in strategies])
    worst = 0.0
    for s, ui in zip(strategies, u):
        e = np.exp(lam * (ui - ui.max()))
        worst = max(worst, float(np.abs(np.asarray(s) - e / e.sum()).max()))
    return worst


@pytest.mark.parametrize("lam", [0.0, 0.3, 1.0, 4.0, 25.0])
@pytest.mark.parametrize("shape,seed", [((2, 2), 0), ((3, 3, 3), 1), ((2, 2, 2, 2), 2)])
def test_quantal_response_satisfies_the_logit_equations(shape, seed, lam):
    g = games.random_game(shape, seed=seed)
    q = quantal_response(g, lam)
    assert q.residual < 1e-10
    assert _logit_residual(g, q.strategies, lam) < 1e-10
    assert all(abs(s.sum() - 1) < 1e-12 and s.min() > 0 for s in q.strategies)


def test_quantal_response_at_zero_rationality_is_uniform():
    q = quantal_response(games.random_game((2, 3, 4), seed=3), 0)
    assert [s.tolist() for s in q.strategies] == [[1 / 2] * 2, [1 / 3] * 3, [1 / 4] * 4]


def test_matching_pennies_qre_is_the_centre_at_every_rationality():
    """By symmetry the logit QRE of matching pennies is (1/2, 1/2) for every lambda."""
    g = games.catalog.matching_pennies()
    for lam in (0.5, 3.0, 50.0):
        q = quantal_response(g, lam)
        assert np.allclose(np.concatenate(q.strategies), 0.5, atol=1e-10)


def test_donation_game_qre_has_the_closed_form():
    """In the donation game defection gains the cost d = c against both actions, so the
    logit QRE is p(defect) = 1 / (1 + exp(-lambda d)) (McKelvey & Palfrey 1995)."""
    g = games.catalog.donation_game(b=3, c=1)
    A = g.float_payoffs[0]
    d = A[1, 0] - A[0, 0]
    assert d == A[1, 1] - A[0, 1]
    lam = 0.7
    q = quantal_response(g, lam)
    expected = 1 / (1 + math.exp(-lam * d))
    assert abs(q.strategies[0][1] - expected) < 1e-12


def test_the_branch_ends_at_a_certified_nash_equilibrium():
    g = games.random_game((3, 3, 3), seed=5)
    path = quantal_response_path(g)
    assert path.rationalities[0] == 0 and len(path) > 5
    assert path.equilibrium is not None
    assert g.regret([np.asarray(s, float) for s in path.equilibrium.strategies]) <= 1e-9
    last = np.concatenate([np.asarray(s, float) for s in path.strategies(-1)])
    ne = np.concatenate([np.asarray(s, float) for s in path.equilibrium.strategies])
    assert np.abs(last - ne).max() < 0.05
    assert np.allclose(path.profiles.sum(axis=1), g.n_players)


def test_path_with_max_rationality_stops_there():
    g = games.random_game((2, 3), seed=1)
    path = quantal_response_path(g, max_rationality=2.0)
    assert path.equilibrium is None
    assert path.rationalities.max() >= 2.0


def test_fit_recovers_the_rationality_of_exact_qre_frequencies():
    g = games.random_game((3, 3), seed=2)
    true = 2.5
    q = quantal_response(g, true)
    counts = [1000 * s for s in q.strategies]
    fit = fit_quantal_response(g, counts)
    assert abs(fit.rationality - true) < 1e-4
    assert fit.log_likelihood <= 0


def test_fit_is_at_least_as_likely_as_every_point_of_a_grid():
    g = games.random_game((2, 2, 2), seed=4)
    counts = [[7, 3], [2, 8], [5, 5]]
    fit = fit_quantal_response(g, counts)
    c = np.concatenate([np.asarray(x, float) for x in counts])
    for lam in np.linspace(0, 40, 41):
        p = np.concatenate(quantal_response(g, float(lam)).strategies)
        assert fit.log_likelihood >= float(c @ np.log(p)) - 1e-9


@pytest.mark.parametrize("bad", [-1.0, float("nan"), float("inf"), "3", True])
def test_bad_rationality_is_rejected(bad):
    with pytest.raises(InvalidArgumentError, match="rationality"):
        quantal_response(games.catalog.matching_pennies(), bad)


def test_bad_counts_are_rejected_with_the_player():
    g = games.catalog.matching_pennies()
    with pytest.raises(InvalidArgumentError, match=r"counts\[1\]"):
        fit_quantal_response(g, [[1, 2], [1, 2, 3]])
    with pytest.raises(InvalidArgumentError, match="all zeros"):
        fit_quantal_response(g, [[0, 0], [0, 0]])
    with pytest.raises(InvalidArgumentError, match=r"counts\[0\]"):
        fit_quantal_response(g, [[-1, 2], [1, 2]])


def test_path_plot_draws_one_line_per_action():
    pytest.importorskip("matplotlib")
    import matplotlib
    matplotlib.use("Agg")
    g = games.random_game((2, 3), seed=0)
    ax = quantal_response_path(g).plot()
    assert len(ax.get_lines()) == 5
