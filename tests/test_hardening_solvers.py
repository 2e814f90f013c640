"""Hardening of the solvers (issue 16): tolerances relative to the payoff range at every
scale, exact correlated equilibria of every exact game, and one result protocol."""

import json
from fractions import Fraction

import numpy as np
import pytest

import games
from games.solvers.correlated import correlated_equilibrium, deviation_gains
from games.solvers.mixed import METHODS, mixed_equilibria
from games.tolerance import float_tolerance, payoff_scale

SCALES = (1e-12, 1.0, 1e12)


def jordan(scale: float = 1.0) -> games.Game:
    """Jordan's three-player matching pennies (Jordan 1993): player 1 wants to match
    player 2, player 2 to match player 3, player 3 to mismatch player 1. Its unique Nash
    equilibrium is (1/2, 1/2, 1/2)."""
    P = np.zeros((3, 2, 2, 2))
    for a, b, c in np.ndindex(2, 2, 2):
        P[0, a, b, c] = float(a == b)
        P[1, a, b, c] = float(b == c)
        P[2, a, b, c] = float(c != a)
    return games.Game(P * scale)


def bimatrix(scale: float = 1.0) -> games.Game:
    """The 3x2 example of von Stengel (2002, fig. 2.2): three equilibria, two pure-mixed."""
    A = np.array([[3, 3], [2, 5], [0, 6]], dtype=float)
    B = np.array([[3, 2], [2, 6], [3, 1]], dtype=float)
    return games.Game.from_bimatrix(A * scale, B * scale)


def mixed_dominance(scale: float = 1.0) -> games.Game:
    """Player 1's middle row (1, 1) is dominated by the mixture 1/2 (3, 0) + 1/2 (0, 3)
    but by neither pure row; player 2's payoffs are all 0."""
    A = np.array([[3, 0], [1, 1], [0, 3]], dtype=float)
    return games.Game.from_bimatrix(A * scale, np.zeros_like(A))


def floats(strategies):
    return [np.asarray(s, dtype=float) for s in strategies]


def same_profile(a, b, atol=1e-8):
    return all(np.allclose(x, y, atol=atol) for x, y in zip(floats(a), floats(b)))


# ---------------------------------------------------------------------------------------
# The tolerance helpers


def test_float_tolerance_scales_with_the_payoffs_and_has_no_floor():
    g = jordan()
    base = float_tolerance(g)
    assert payoff_scale(g) == 1.0
    for scale in SCALES:
        assert float_tolerance(jordan(scale)) == pytest.approx(base * scale, rel=1e-12)
    # a constant game: only float rounding of the payoffs is tolerated, 0 for all zeros
    assert float_tolerance(np.zeros((2, 2, 2))) == 0.0
    assert 0 < float_tolerance(np.full((2, 2, 2), 5.0)) < 1e-10


def test_payoff_scale_is_the_largest_range_of_one_player():
    P = np.array([[[0.0, 3.0], [1.0, 2.0]], [[10.0, 10.0], [10.0, 11.0]]])
    assert payoff_scale(P) == 3.0
    assert payoff_scale(games.Game(P)) == 3.0


# ---------------------------------------------------------------------------------------
# Issue 16 item 2: every solver at payoff scales 1e-12, 1 and 1e12


@pytest.mark.parametrize("scale", SCALES)
@pytest.mark.parametrize("method", [m for m in METHODS])
def test_jordan_game_has_only_the_centroid_at_every_scale(scale, method):
    """Before the fix, at scale 1e-12 the tolerance 1e-9 * max(1, |payoff|) accepted a
    pure profile with regret 1e-12 as an equilibrium."""
    g = jordan(scale)
    found = mixed_equilibria(g, method=method)
    assert len(found) >= 1
    for eq in found:
        assert same_profile(eq.strategies, [[0.5, 0.5]] * 3)
        assert float(eq.regret) <= 1e-9 * scale
        assert float(g.regret(eq)) <= 1e-9 * scale
        assert np.allclose(np.asarray(eq.payoffs, float), 0.5 * scale, rtol=1e-9)


@pytest.mark.parametrize("scale", SCALES)
def test_pure_and_correlated_on_jordan_at_every_scale(scale):
    g = jordan(scale)
    assert len(games.pure_equilibria(g)) == 0
    ce = correlated_equilibrium(g, objective="welfare")
    assert ce.regret <= float_tolerance(g)
    reference = correlated_equilibrium(jordan(), objective="welfare")
    assert float(ce.value) == pytest.approx(float(reference.value) * scale, rel=1e-7)
    gains = deviation_gains(g, ce.distribution.astype(float))
    assert gains.max() <= float_tolerance(g)


@pytest.mark.parametrize("scale", SCALES)
def test_quantal_response_is_the_same_at_every_scale(scale):
    """The logit QRE depends on lambda * payoff only."""
    g, base = jordan(scale), jordan()
    q = games.quantal_response(g, 2.0 / scale)
    ref = games.quantal_response(base, 2.0)
    assert same_profile(q.strategies, ref.strategies, atol=1e-9)
    assert q.residual <= 1e-9
    path = games.quantal_response_path(g)
    assert same_profile(path.equilibrium.strategies, [[0.5, 0.5]] * 3)
    fit = games.fit_quantal_response(bimatrix(scale), [[5, 3, 2], [4, 6]])
    ref_fit = games.fit_quantal_response(bimatrix(), [[5, 3, 2], [4, 6]])
    assert fit.rationality * scale == pytest.approx(ref_fit.rationality, rel=1e-4)
    assert fit.log_likelihood == pytest.approx(ref_fit.log_likelihood, rel=1e-8)


@pytest.mark.parametrize("scale", SCALES)
def test_two_player_solvers_agree_at_every_scale(scale):
    g, base = bimatrix(scale), bimatrix()
    expected = games.all_equilibria(base.to_exact())
    limit = 1e-9 * scale * payoff_scale(base)
    for found in (games.all_equilibria(g), games.support_enumeration(g)):
        assert len(found) == len(expected) == 3
        for eq, ref in zip(found, expected):
            assert same_profile(eq.strategies, ref.strategies)
            assert float(eq.regret) <= limit
            assert np.allclose(np.asarray(eq.payoffs, float),
                               np.asarray(ref.payoffs, float) * scale, rtol=1e-9)
    reached = games.lemke_howson(g)
    assert len(reached) == len(games.lemke_howson(base)) == 2
    for eq in reached:
        assert float(eq.regret) <= limit
        assert any(same_profile(eq.strategies, ref.strategies) for ref in expected)
    for k in range(5):
        eq = games.lemke_howson(g, initial_label=k)
        ref = games.lemke_howson(base, initial_label=k)
        assert same_profile(eq.strategies, ref.strategies)
        assert float(eq.regret) <= limit
    for method in ("enumeration", "milp"):
        for objective in (0, 1, "welfare", "egalitarian"):
            eq = games.best_equilibrium(g, objective, method=method)
            ref = games.best_equilibrium(base, objective, method="enumeration")
            assert float(eq.regret) <= limit
            assert same_profile(eq.strategies, ref.strategies, atol=1e-7)
    pure = games.pure_equilibria(g)
    assert [e.profile for e in pure] == [e.profile for e in games.pure_equilibria(base)]


@pytest.mark.parametrize("scale", SCALES)
def test_zero_sum_and_security_levels_scale_with_the_payoffs(scale):
    A = np.array([[2.0, -1.0], [-1.0, 1.0]])        # value 1/5, x = (2/5, 3/5)
    g = games.Game.from_bimatrix(A * scale)
    s = games.solve_zero_sum(g)
    assert s.value == pytest.approx(0.2 * scale, rel=1e-9)
    assert same_profile(s.strategies, [[0.4, 0.6], [0.4, 0.6]])
    assert abs(s.gap) <= 1e-9 * scale * 3 and s.regret <= 1e-9 * scale * 3
    sec = games.security_strategies(bimatrix(scale))
    ref = games.security_strategies(bimatrix().to_exact())
    for v, r in zip(sec.values, ref.values):
        assert v == pytest.approx(float(r) * scale, rel=1e-9)
    assert same_profile(sec.strategies, ref.strategies)


@pytest.mark.parametrize("scale", SCALES)
def test_dominance_and_classification_do_not_depend_on_the_scale(scale):
    g = mixed_dominance(scale)
    reduction = games.eliminate_dominated(g)
    assert [(e.player, e.action) for e in reduction.order] == [(0, g.actions[0][1])]
    (e,) = reduction.order
    assert e.by_mixed
    assert float(e.margin) == pytest.approx(0.5 * scale, rel=1e-6)
    assert games.eliminate_dominated(g, mixed=False).order == ()
    for make in (jordan, bimatrix, mixed_dominance):
        a, b = games.classify(make(scale)), games.classify(make())
        assert (a.kind, a.constant_sum, a.zero_sum, a.common_interest, a.potential,
                a.strategically_constant_sum) == (b.kind, b.constant_sum, b.zero_sum,
                                                  b.common_interest, b.potential,
                                                  b.strategically_constant_sum)
        assert a.index == pytest.approx(b.index, abs=1e-9)
    zero_sum = games.Game.from_bimatrix(np.array([[1.0, -1.0], [-1.0, 1.0]]) * scale)
    assert games.classify(zero_sum).zero_sum
    nearly = games.Game.from_bimatrix(np.array([[1.0, -1.0], [-1.0, 1.0]]) * scale,
                                      np.array([[-1.0, 1.0], [1.0, -1.001]]) * scale)
    assert not games.classify(nearly).constant_sum


def test_a_constant_game_has_every_profile_as_an_equilibrium():
    for value in (0.0, 3.0, 1e-12):
        g = games.Game(np.full((3, 2, 2, 2), value))
        assert len(games.pure_equilibria(g)) == 8
        for method in ("logit", "mclennan_tourky"):
            (eq,) = mixed_equilibria(g, method=method)
            assert float(eq.regret) <= float_tolerance(g)
        assert correlated_equilibrium(g).regret == 0
        assert games.classify(g).kind == "collaborative"


# ---------------------------------------------------------------------------------------
# Issue 16 item 3: correlated equilibria of exact games are exact


def random_exact_game(seed: int) -> games.Game:
    P = np.random.default_rng(seed).integers(-3, 4, size=(3, 3, 3, 3))
    return games.Game(P.tolist())


# seeds whose LP solution did not rationalise and raised SolverError before the fix
FAILED_BEFORE = (3, 8, 9, 11, 13, 16, 17, 23, 73, 86, 93)
VARIANTS = ({}, {"coarse": True}, {"objective": "welfare"},
            {"objective": "welfare", "maximize": False},
            {"objective": "welfare", "coarse": True, "maximize": False},
            {"objective": [1, 2, 3]})


@pytest.mark.parametrize("variant", VARIANTS, ids=str)
def test_correlated_equilibrium_of_every_random_exact_game_is_exact(variant):
    """150 random 3x3x3 games with integer payoffs -3..3 (16 raised SolverError with the
    default objective or coarse=True before the fix, more when minimising welfare)."""
    for seed in range(150):
        g = random_exact_game(seed)
        ce = correlated_equilibrium(g, **variant)
        assert ce.exact, (seed, ce.method)
        dist = ce.distribution
        assert all(isinstance(p, Fraction) and p >= 0 for p in dist.flat)
        assert sum(dist.flat) == 1
        gains = deviation_gains(g, dist, coarse=variant.get("coarse", False))
        assert max(gains) <= 0 and ce.regret == 0


@pytest.mark.parametrize("seed", FAILED_BEFORE)
def test_exact_ce_is_optimal_like_the_float_lp(seed):
    """The exact vertex has the float LP's optimal value (up to the LP's accuracy)."""
    g = random_exact_game(seed)
    for maximize in (True, False):
        exact = correlated_equilibrium(g, objective="welfare", maximize=maximize)
        loose = correlated_equilibrium(g.to_float(), objective="welfare", maximize=maximize)
        assert exact.exact and not loose.exact
        assert float(exact.value) == pytest.approx(loose.value, abs=1e-7)


# ---------------------------------------------------------------------------------------
# Issue 16 item 15: one result protocol


def test_every_solver_result_has_to_dict_and_html():
    g = bimatrix()
    results = [
        games.fit_quantal_response(g, [[5, 3, 2], [4, 6]]),
        games.quantal_response(g, 1.0),
        games.quantal_response_path(g),
        games.security_strategies(g),
        games.solve_zero_sum(games.catalog.matching_pennies()),
        correlated_equilibrium(g),
        games.eliminate_dominated(mixed_dominance()),
        games.eliminate_dominated(mixed_dominance()).order[0],
        games.all_equilibria(g),
        games.all_equilibria(g)[0],
    ]
    for r in results:
        data = r.to_dict()
        assert json.loads(json.dumps(data)) == data
        assert r._repr_html_().startswith(("<table", "<p>"))
    fit = results[0]
    assert fit.to_dict()["rationality"] == fit.rationality
    assert fit.to_dict()["response"]["strategies"] == [s.tolist() for s in
                                                       fit.response.strategies]


@pytest.mark.parametrize("gap", [1e-9, 3e-8, 1e-7, 1e-6])
def test_vertex_enumeration_never_rejects_its_own_answer_on_near_ties(gap):
    """Row payoffs (0, gap, -60) against one column: the row player's best reply is the
    row worth ``gap`` (or either of the first two when the gap is within the tolerance).
    The walk's ties must be tighter than the verification tolerance, so the enumeration
    returns an equilibrium instead of failing its own check."""
    g = games.Game.from_bimatrix(np.array([[0.0], [gap], [-60.0]]), np.zeros((3, 1)))
    found = games.all_equilibria(g)
    assert found and all(e.regret <= float_tolerance(g) for e in found)
    assert any(e.strategies[0][1] == 1.0 for e in found)
