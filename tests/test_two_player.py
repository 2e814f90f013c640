"""Properties of the two-player solvers: certificates, invariances, zero-sum values,
degenerate games and continua, selection helpers, and errors."""

from __future__ import annotations

import itertools
import warnings
from collections import Counter
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import games
from games.solvers._vertex_enumeration_kernels import walk, zobrist_keys
from games.solvers.common import exact_solve
from games.solvers.vertex_enumeration import MAX_BASES
from tests.strategies import game_objects

SETTINGS = settings(max_examples=40, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])
two_player = game_objects(min_players=2, max_players=2, max_actions=4)
GAMBIT = Path(__file__).parent / "data" / "games"     # tests/data/make_test_games.py


def _profiles(result) -> set:
    return {tuple(tuple(s.tolist()) for s in e.strategies) for e in result}


# --- certificates ---------------------------------------------------------------------


@SETTINGS
@given(two_player)
def test_every_extreme_equilibrium_has_certificate_zero_or_within_tolerance(g):
    result = games.all_equilibria(g)
    assert result.complete and len(result) >= 1            # Nash: one always exists
    limit = 0 if g.exact else 1e-9 * max(1.0, float(np.abs(g.float_payoffs).max()))
    for e in result:
        assert e.regret <= limit
        assert g.regret(e) <= limit                          # recomputed independently
        assert e.exact == g.exact


@SETTINGS
@given(two_player)
def test_pure_equilibria_are_extreme_equilibria(g):
    pure = {e.profile for e in games.pure_equilibria(g)}
    found = {e.profile for e in games.all_equilibria(g) if e.is_pure}
    assert pure == found


@SETTINGS
@given(game_objects(exact=True, min_players=2, max_players=2, max_actions=4))
def test_float_path_finds_the_exact_equilibria_of_exact_games(g):
    exact = games.all_equilibria(g)
    approx = games.all_equilibria(g, exact=False)
    assert len(exact) == len(approx)
    assert exact.degenerate == approx.degenerate
    for e in approx:
        assert any(all(np.allclose(np.array(s, dtype=float), t, atol=1e-9)
                       for s, t in zip(f.strategies, e.strategies)) for f in exact)
    assert len(exact.components) == len(approx.components)


@SETTINGS
@given(two_player)
def test_components_are_maximal_bicliques_of_compatible_extreme_equilibria(g):
    result = games.all_equilibria(g)
    subsets = games.maximal_nash_subsets(result)
    xs = list(dict.fromkeys(tuple(e.strategies[0].tolist()) for e in result))
    ys = list(dict.fromkeys(tuple(e.strategies[1].tolist()) for e in result))
    extreme = {(tuple(e.strategies[0].tolist()), tuple(e.strategies[1].tolist()))
               for e in result}
    assert len(subsets) == len(result.components)
    for comp, (rows, cols) in zip(result.components, subsets):
        assert len(comp) == len(rows) * len(cols)            # every row with every column
        mid_x = sum(np.asarray(result[k].strategies[0], dtype=object) for k in comp)
        mid_y = sum(np.asarray(result[k].strategies[1], dtype=object) for k in comp)
        if g.exact:                                           # mixtures stay equilibria
            mix = (mid_x / len(comp), mid_y / len(comp))
            assert g.regret(mix) == 0
    # every distinct extreme strategy of either player lies in a clique, and each row of a
    # clique makes an extreme equilibrium with each of its columns
    assert sorted({i for rows, _ in subsets for i in rows}) == list(range(len(xs)))
    assert sorted({j for _, cols in subsets for j in cols}) == list(range(len(ys)))
    for rows, cols in subsets:
        assert {(xs[i], ys[j]) for i in rows for j in cols} <= extreme
    for a in subsets:                                          # maximal: no inclusion
        for b in subsets:
            if a != b:
                assert not (set(a[0]) <= set(b[0]) and set(a[1]) <= set(b[1]))


# --- invariances ----------------------------------------------------------------------


@SETTINGS
@given(game_objects(exact=True, min_players=2, max_players=2, max_actions=4),
       st.integers(1, 5), st.integers(-5, 5), st.fractions(Fraction(1, 3), 4), st.integers(-3, 3))
def test_equilibria_invariant_under_positive_affine_maps(g, a, b, c, d):
    A, B = g.payoffs
    h = games.Game.from_bimatrix(A * a + b, B * c + d)
    assert _profiles(games.all_equilibria(g)) == _profiles(games.all_equilibria(h))
    assert games.all_equilibria(g).degenerate == games.all_equilibria(h).degenerate


@SETTINGS
@given(game_objects(exact=True, min_players=2, max_players=2, max_actions=4), st.randoms())
def test_equilibria_follow_a_relabelling_of_actions(g, rnd):
    m, n = g.shape
    rows = list(range(m))
    cols = list(range(n))
    rnd.shuffle(rows)
    rnd.shuffle(cols)
    A, B = g.payoffs
    h = games.Game.from_bimatrix(A[np.ix_(rows, cols)], B[np.ix_(rows, cols)])
    mapped = {(tuple(x[rows].tolist()), tuple(y[cols].tolist()))
              for x, y in (e.strategies for e in games.all_equilibria(g))}
    assert mapped == _profiles(games.all_equilibria(h))
    swapped = games.Game.from_bimatrix(B.T, A.T)                # exchange the players
    assert {(y, x) for x, y in _profiles(games.all_equilibria(g))} == \
        _profiles(games.all_equilibria(swapped))


# --- Lemke-Howson -----------------------------------------------------------------------


@SETTINGS
@given(two_player)
def test_lemke_howson_from_every_label_reaches_extreme_equilibria(g):
    extreme = games.all_equilibria(g)
    found = games.lemke_howson(g)
    assert not found.complete
    if g.exact:
        assert _profiles(found) <= _profiles(extreme)
    for e in found:
        assert any(all(np.allclose(np.array(s, dtype=float), np.array(t, dtype=float), atol=1e-8)
                       for s, t in zip(e.strategies, f.strategies)) for f in extreme)


def test_lemke_howson_on_a_large_random_game_gives_a_verified_equilibrium():
    g = games.random_game((60, 60), seed=3)
    e = games.lemke_howson(g, initial_label=0)
    assert e.regret <= 1e-9 and g.regret(e) <= 1e-9


def test_lemke_howson_rejects_labels_out_of_range():
    g = games.catalog.matching_pennies()
    for label in (-1, 4, 1.5, True, "0"):
        with pytest.raises(games.InvalidArgumentError,
                           match="initial_label: expected an integer in 0..3"):
            games.lemke_howson(g, initial_label=label)


# --- zero-sum games -----------------------------------------------------------------------


@SETTINGS
@given(st.integers(1, 5), st.integers(1, 5), st.data())
def test_zero_sum_value_agrees_with_the_lp_and_every_equilibrium_attains_it(m, n, data):
    A = np.array(data.draw(st.lists(st.integers(-4, 4), min_size=m * n, max_size=m * n))
                 ).reshape(m, n)
    g = games.Game.from_bimatrix(A)
    solution = games.solve_zero_sum(g)
    assert solution.exact and solution.gap == 0 and solution.regret == 0
    for e in games.all_equilibria(g):
        assert e.payoffs[0] == solution.value
    approx = games.solve_zero_sum(g.to_float())
    assert abs(approx.value - float(solution.value)) <= 1e-9
    # the LP's value is the row player's security level
    assert games.security_strategies(g).values[0] == solution.value


def test_zero_sum_value_of_classic_games():
    """Rock-paper-scissors has value 0 with uniform play; Morra-like 2x2 [[2, -1], [-1, 1]]
    has value 1/5 with x = (2/5, 3/5)."""
    rps = games.solve_zero_sum(games.catalog.rock_paper_scissors())
    assert rps.value == 0 and all(p == Fraction(1, 3) for s in rps.strategies for p in s)
    s = games.solve_zero_sum(games.Game.from_bimatrix([[2, -1], [-1, 1]]))
    assert s.value == Fraction(1, 5) and list(s.strategies[0]) == [Fraction(2, 5), Fraction(3, 5)]
    assert s.to_dict()["value"] == "1/5"


def test_constant_sum_games_are_solved_and_report_their_constant():
    g = games.Game.from_bimatrix([[3, 1], [0, 2]], [[2, 4], [5, 3]])
    s = games.solve_zero_sum(g)
    assert s.constant == 5 and s.value == s.equilibrium.payoffs[0]
    assert s.equilibrium.payoffs[0] + s.equilibrium.payoffs[1] == 5


def test_solve_zero_sum_rejects_a_game_that_is_not_constant_sum():
    with pytest.raises(games.InvalidGameError, match="expected a constant-sum game"):
        games.solve_zero_sum(games.catalog.prisoners_dilemma())


def test_security_levels_hold_against_every_pure_profile_of_the_others():
    g = games.catalog.public_goods(n=3)
    sec = games.security_strategies(g)
    for i in range(3):
        M = np.moveaxis(g.payoffs[i], i, 0).reshape(g.shape[i], -1)
        assert min(sec.strategies[i] @ M) == sec.values[i]          # guaranteed
        assert max(M @ sec.punishments[i]) == sec.values[i]         # and no more


# --- degenerate games and continua ------------------------------------------------------------


def test_a_continuum_is_reported_as_one_maximal_nash_subset():
    """Row 1 dominates; the column player is indifferent against it, so every (e1, y) is
    an equilibrium: two extreme equilibria forming one maximal Nash subset."""
    g = games.Game.from_bimatrix([[2, 2], [0, 0]], [[1, 1], [0, 3]])
    result = games.all_equilibria(g)
    assert result.degenerate is True and result.complete
    assert len(result) == 2 and result.components == ((0, 1),)
    assert games.maximal_nash_subsets(result) == [((0,), (0, 1))]


def test_duplicate_strategies_give_complete_degenerate_answers():
    A = np.array([[3, 0, 3], [0, 2, 0]])
    B = np.array([[2, 0, 2], [0, 3, 0]])
    result = games.all_equilibria(games.Game.from_bimatrix(A, B))
    assert result.degenerate and result.complete
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(games.DegenerateGameWarning, match="degenerate"):
            games.support_enumeration(games.Game.from_bimatrix(A, B))


def test_support_enumeration_is_complete_on_nondegenerate_games():
    g = games.random_game((5, 5), seed=11)
    found = games.support_enumeration(g)
    assert found.complete and found.degenerate is False
    assert len(found) == len(games.all_equilibria(g))


def test_is_degenerate_matches_the_definition_on_small_cases():
    assert games.is_degenerate(games.Game.from_bimatrix([[1, 1], [0, 2]], [[1, 1], [0, 1]]))
    assert not games.is_degenerate(games.catalog.matching_pennies())


def test_von_stengel_75_equilibria_read_from_the_gambit_file():
    """von Stengel (1999), "New maximal numbers of equilibria in bimatrix games", Discrete
    Comput. Geom. 21, 557-568: this 6x6 game has 75 equilibria, more than the 2^6 - 1 = 63
    of the diagonal coordination game (the conjectured maximum it refuted)."""
    g = games.read_nfg(GAMBIT / "catalog__journals__dcg__vonstengel1999__6x6_game_with_75_eq.nfg")
    assert len(games.all_equilibria(g)) == 75


def test_exact_true_on_a_float_game_rationalises_and_verifies():
    g = games.Game.from_bimatrix([[0.5, 0.0], [0.0, 0.25]], [[0.25, 0.0], [0.0, 0.5]])
    result = games.all_equilibria(g, exact=True)
    assert result.game.exact and all(e.exact and e.regret == 0 for e in result)
    assert [list(e.strategies[0]) for e in result][1] == [Fraction(2, 3), Fraction(1, 3)]


def test_all_equilibria_rejects_games_without_two_players():
    g = games.Game(np.zeros((3, 2, 2, 2)))
    for solver in (games.all_equilibria, games.lemke_howson, games.support_enumeration,
                   games.solve_zero_sum, games.best_equilibrium):
        with pytest.raises(games.InvalidGameError, match="expected a two-player game, found 3"):
            solver(g)


def test_results_serialise_with_components():
    result = games.all_equilibria(games.catalog.battle_of_the_sexes())
    d = result.to_dict()
    assert d["complete"] is True and d["components"] == [[0], [1], [2]]
    assert d["equilibria"][1]["strategies"][0] == ["2/3", "1/3"]


# --- the float vertex walk ------------------------------------------------------------------


def _brute_force_vertices(M: np.ndarray) -> dict:
    """Every vertex of ``{z >= 0 : M z <= 1}`` for a positive integer matrix, exactly: each
    choice of ``d`` tight constraints with a unique feasible solution; label set -> point."""
    r, d = M.shape
    rows_of_M = [[Fraction(int(v)) for v in row] for row in M]
    found = {}
    for tight in itertools.combinations(range(d + r), d):
        rows = [[Fraction(int(k == t)) for k in range(d)] if t < d else rows_of_M[t - d]
                for t in tight]
        z = exact_solve(rows, [Fraction(int(t >= d)) for t in tight])
        if z is None or min(z) < 0:
            continue
        slack = [1 - sum(a * b for a, b in zip(row, z)) for row in rows_of_M]
        if min(slack) < 0:
            continue
        labels = frozenset([j for j in range(d) if z[j] == 0]
                           + [d + i for i in range(r) if slack[i] == 0])
        found[labels] = tuple(z)
    return found


def _walk_vertices(M: np.ndarray) -> tuple[np.ndarray, list, np.ndarray]:
    r, d = M.shape
    zob = zobrist_keys(d + r)
    n_words = (d + r + 63) // 64
    coords, words, counts, overflow = walk(np.ascontiguousarray(M, dtype=np.float64), 1e-9,
                                            zob, MAX_BASES, 0, d, n_words)
    assert not overflow
    labels = [frozenset(k for k in range(d + r) if int(row[k // 64]) >> (k % 64) & 1)
              for row in words]
    return coords, labels, counts


def _brute_force_vertices_float(M: np.ndarray) -> list:
    r, d = M.shape
    system = np.vstack([np.eye(d), M])
    rhs = np.concatenate([np.zeros(d), np.ones(r)])
    points = []
    for tight in itertools.combinations(range(d + r), d):
        S = list(tight)
        if abs(np.linalg.det(system[S])) < 1e-12:
            continue
        z = np.linalg.solve(system[S], rhs[S])
        if (z >= -1e-12).all() and (M @ z <= 1 + 1e-12).all():
            points.append(z)
    return points


def _lexicographic_bases(M: np.ndarray) -> Counter:
    """Label sets of the lexicographically feasible bases of ``M z + s = 1`` (each row of
    ``[B^-1 1, B^-1]`` lexicographically positive), by trying every basis, exactly."""
    r, d = M.shape
    columns = [[Fraction(int(M[i, j])) for i in range(r)] for j in range(d)]
    columns += [[Fraction(int(i == k)) for i in range(r)] for k in range(r)]
    found: Counter = Counter()
    for basic in itertools.combinations(range(d + r), r):
        rows = [[columns[v][i] for v in basic] for i in range(r)]
        # B^-1 column by column (B^-1 e_k solves B y = e_k), then x_B = B^-1 1
        inverse_columns = [exact_solve(rows, [Fraction(int(i == k)) for i in range(r)])
                           for k in range(r)]
        if inverse_columns[0] is None:
            continue
        lex_positive = True
        for i in range(r):
            row = [sum(inverse_columns[k][i] for k in range(r))]
            row += [inverse_columns[k][i] for k in range(r)]
            first = next(v for v in row if v != 0)
            lex_positive &= first > 0
        if lex_positive:
            x = [sum(inverse_columns[k][i] for k in range(r)) for i in range(r)]
            found[frozenset([v for v in range(d + r) if v not in basic]
                            + [v for i, v in enumerate(basic) if x[i] == 0])] += 1
    return found


@SETTINGS
@given(st.integers(1, 4), st.integers(1, 4), st.data())
def test_float_walk_reaches_every_vertex_of_a_degenerate_polytope(r, d, data):
    """Small positive integers make ties in the ratio test common (the lexicographic
    fallback) and many vertices with more than d labels; duplicate rows and columns too."""
    M = np.array(data.draw(st.lists(st.integers(1, 3), min_size=r * d, max_size=r * d)),
                 dtype=np.int64).reshape(r, d)
    if data.draw(st.booleans()) and r > 1:
        M[-1] = M[0]
    if data.draw(st.booleans()) and d > 1:
        M[:, -1] = M[:, 0]
    expected = _brute_force_vertices(M)
    coords, labels, counts = _walk_vertices(M)
    assert set(labels) == set(expected)
    for z, lab, k in zip(coords, labels, counts):
        assert k == len(lab)
        assert np.allclose(z, [float(v) for v in expected[lab]], atol=1e-9, rtol=0)
    # one row per basis: exactly the lexicographically feasible bases (the perturbation)
    assert Counter(labels) == _lexicographic_bases(M)


def test_float_walk_on_a_random_polytope_visits_each_vertex_once():
    M = 1.0 + np.random.default_rng(4).random((5, 4))
    coords, labels, counts = _walk_vertices(M)
    assert len(set(labels)) == len(labels) and (counts == 4).all()   # simple polytope
    assert (coords >= 0).all() and (M @ coords.T <= 1 + 1e-12).all()
    assert len(labels) == len(_brute_force_vertices_float(M))


@pytest.mark.parametrize("M", [
    np.array([[1.0, 2.0, 1.5], [2.0, 1.0, 1.25], [1.5, 1.5, 2.0]]),
    np.array([[1.0, 2.0, 1.0], [2.0, 1.0, 2.0], [1.0, 2.0, 1.0]]),     # duplicates, ties
    np.ones((3, 2)),
])
def test_compiled_and_plain_python_walks_agree_exactly(M):
    r, d = M.shape
    args = (M, 1e-9, zobrist_keys(d + r), MAX_BASES, 0, d, 1)
    compiled, plain = walk(*args), walk.py_func(*args)
    for a, b in zip(compiled[:3], plain[:3]):
        assert np.array_equal(a, b)


@SETTINGS
@given(game_objects(exact=False, min_players=2, max_players=2, max_actions=4))
def test_float_equilibria_are_in_sort_key_order_and_read_only(g):
    result = games.all_equilibria(g)
    keys = [e.sort_key() for e in result]
    assert keys == sorted(keys)
    for e in result:
        assert not any(s.flags.writeable for s in e.strategies)
        assert not e.payoffs.flags.writeable


# --- selection ---------------------------------------------------------------------------------


def test_stag_hunt_payoff_dominance_and_risk_dominance_disagree():
    """Harsanyi & Selten (1988): in the stag hunt (4, 3, 3, 0), (Stag, Stag) is
    payoff-dominant and (Hare, Hare) risk-dominant."""
    g = games.catalog.stag_hunt()
    assert games.payoff_dominant(g).action_names == ("Stag", "Stag")
    assert games.risk_dominant(g).action_names == ("Hare", "Hare")
    assert games.welfare_maximising(g).action_names == ("Stag", "Stag")


def test_risk_dominance_needs_a_2x2_game_with_two_strict_equilibria():
    with pytest.raises(games.InvalidGameError, match="exactly two strict pure equilibria"):
        games.risk_dominant(games.catalog.prisoners_dilemma())
    with pytest.raises(games.InvalidGameError, match="expected a 2x2 game"):
        games.risk_dominant(games.catalog.rock_paper_scissors())


def test_no_payoff_dominant_equilibrium_in_battle_of_the_sexes():
    assert games.payoff_dominant(games.catalog.battle_of_the_sexes()) is None


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("objective", ["welfare", "egalitarian", 0, 1])
def test_best_equilibrium_milp_matches_enumeration(seed, objective):
    g = games.random_game((4, 5), seed=seed)
    by_enum = games.best_equilibrium(g, objective, method="enumeration")
    by_milp = games.best_equilibrium(g, objective, method="milp")
    assert g.regret(by_milp) <= 1e-9

    def score(e):
        u = e.payoffs
        return {"welfare": u[0] + u[1], "egalitarian": min(u), 0: u[0], 1: u[1]}[objective]
    assert score(by_milp) == pytest.approx(score(by_enum), abs=1e-7)


def test_best_equilibrium_over_an_evaluation_layer():
    payoffs = np.array([[[2, 0], [0, 1]], [[1, 0], [0, 2]]])
    value = np.array([[[0, 0], [0, 5]]])                     # a social score that likes (2, 2)
    g = games.Game(payoffs, layers={"value": value})
    assert games.best_equilibrium(g, "value").profile == (1, 1)
    assert games.best_equilibrium(g, "welfare").profile in {(0, 0), (1, 1)}
    with pytest.raises(games.InvalidArgumentError, match="no linear MILP form"):
        games.best_equilibrium(g, "value", method="milp")
    with pytest.raises(games.InvalidArgumentError, match="objective: expected"):
        games.best_equilibrium(g, "nonsense")


def test_lemke_howson_float_path_matches_the_exact_path_on_a_long_path():
    # 1,153 pivots from label 0 (found by search): the float path crosses many rank-one
    # updates and refactorisations of the basis inverse and must still end where the
    # integer pivoting ends
    rng = np.random.default_rng([7, 40, 259])
    A, B = rng.integers(0, 1000, (40, 40)), rng.integers(0, 1000, (40, 40))
    exact = games.lemke_howson(games.Game.from_bimatrix(A, B), initial_label=0)
    approx = games.lemke_howson(games.Game.from_bimatrix(A / 7, B / 7), initial_label=0)
    assert exact.exact and exact.regret == 0
    for s, t in zip(exact.strategies, approx.strategies):
        assert np.abs(np.array(s, dtype=float) - t).max() <= 1e-12
    assert sum(1 for p in exact.strategies[0] if p > 0) == 15
