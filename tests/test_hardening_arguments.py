"""Arguments that are not games (parameters, seeds, counts, probabilities, rates, flags,
methods, tolerances) raise InvalidArgumentError naming the field, in every public function
of the evolution, repeated-game, dynamics, solver and conversion modules (issue 16, item 6).

Before the fix these raised InvalidGameError, or a bare TypeError, or nothing at all (a
bool taken as 1, a NaN or an infinite tolerance accepted, a negative strategy index
wrapped around)."""

from fractions import Fraction

import numpy as np
import pytest

import games
import games.evolution as ev
from games import InvalidArgumentError, InvalidGameError, convert, dynamics
from games.arguments import check_integer, check_probability, check_real, check_seed
from games.repeated import (
    equilibrium_payoffs,
    expected_payoffs,
    feasible_payoffs,
    is_subgame_perfect,
    match,
    minmax_values,
    subgame_perfect_check,
    tournament,
)
from games.repeated import strategies as S
from games.repeated.automaton import Automaton
from games.repeated.payoff_set import convex_hull
from games.solvers import correlated, dominance, enumpoly, quantal, selection, zero_sum
from games.solvers.lemke_howson import lemke_howson
from games.solvers.mixed import mclennan_tourky, mixed_equilibria
from games.solvers.support_enumeration import support_enumeration
from games.solvers.vertex_enumeration import all_equilibria, maximal_nash_subsets

PD = games.catalog.prisoners_dilemma()
RPS = games.catalog.rock_paper_scissors()
MP = games.catalog.matching_pennies()
G3 = games.random_game((2, 2, 2), seed=0)
HAWK_DOVE = np.array([[-1.0, 4.0], [0.0, 2.0]])
TFT = S.TitForTat()
NAN = float("nan")

CASES = [
    # games.evolution
    ("fixation_probabilities", lambda: ev.fixation_probabilities(HAWK_DOVE, True, 1.0),
     "population_size"),
    ("fixation_probabilities", lambda: ev.fixation_probabilities(HAWK_DOVE, 10, 1.0, exact="y"),
     "exact"),
    ("log_fixation_probabilities",
     lambda: ev.log_fixation_probabilities(HAWK_DOVE, 10, NAN), "intensity"),
    ("log_fixation_probabilities",
     lambda: ev.log_fixation_probabilities(HAWK_DOVE, 10, "1.0"), "intensity"),
    ("stationary_distribution",
     lambda: ev.stationary_distribution(HAWK_DOVE, 10, 1.0, mutation=NAN), "mutation"),
    ("population_stationary_distribution",
     lambda: ev.population_stationary_distribution(HAWK_DOVE, 10, 1.0, 0), "mutation"),
    ("gradient_of_selection",
     lambda: ev.gradient_of_selection(HAWK_DOVE, 10, 1.0, resident=-1), "resident"),
    ("simulate_fixation",
     lambda: ev.simulate_fixation(HAWK_DOVE, 10, 1.0, mutant=2, runs=10), "mutant"),
    ("simulate_fixation", lambda: ev.simulate_fixation(HAWK_DOVE, 10, 1.0, runs=True), "runs"),
    ("simulate_fixation",
     lambda: ev.simulate_fixation(HAWK_DOVE, 10, 1.0, runs=10, seed="x"), "seed"),
    ("small_mutation_analysis",
     lambda: ev.small_mutation_analysis(HAWK_DOVE, 10, 1.0, rule="voter"), "rule"),
    ("moran_process", lambda: ev.moran_process(HAWK_DOVE, [5, 5], intensity=2), "intensity"),
    ("moran_process", lambda: ev.moran_process(HAWK_DOVE, [5, -5]), "counts"),
    ("moran_process", lambda: ev.moran_process(HAWK_DOVE, [5, 5], intensity=0.1, max_steps=0),
     "max_steps"),
    ("relatedness_weighted", lambda: ev.relatedness_weighted(PD, True), "relatedness"),
    ("relatedness_weighted", lambda: ev.relatedness_weighted(PD, NAN), "relatedness"),
    ("hamilton_threshold", lambda: ev.hamilton_threshold(0, 1), "benefit"),
    ("hamilton_threshold", lambda: ev.hamilton_threshold(2, NAN), "cost"),
    ("group_selection_threshold", lambda: ev.group_selection_threshold(10, 0), "groups"),
    ("group_selection_threshold", lambda: ev.group_selection_threshold(2.5, 3), "group_size"),
    ("simulate_group_fixation",
     lambda: ev.simulate_group_fixation(3, 1, 4, 4, split=1.5), "split"),
    ("simulate_group_fixation",
     lambda: ev.simulate_group_fixation(3, 1, 4, 4, mutant="kin"), "mutant"),
    ("simulate_group_fixation",
     lambda: ev.simulate_group_fixation(NAN, 1, 4, 4, runs=1), "benefit"),
    ("network_threshold", lambda: ev.network_threshold(-2), "degree"),
    ("network_threshold", lambda: ev.network_threshold(4, rule="voter"), "rule"),
    ("simulate_graph_fixation",
     lambda: ev.simulate_graph_fixation(HAWK_DOVE, np.ones((1, 1)), 0.1), "graph"),
    ("simulate_graph_fixation",
     lambda: ev.simulate_graph_fixation(HAWK_DOVE, 1 - np.eye(4), 0.1, resident=True), "resident"),
    ("simulate_graph_fixation",
     lambda: ev.simulate_graph_fixation(HAWK_DOVE, 1 - np.eye(4), 2.0), "intensity"),
    ("plot_simplex", lambda: ev.plot_simplex(RPS, resolution=0), "resolution"),
    # games.dynamics
    ("replicator", lambda: dynamics.replicator(RPS, t_max=float("inf")), "t_max"),
    ("replicator", lambda: dynamics.replicator(RPS, mutation="0.1"), "mutation"),
    ("replicator", lambda: dynamics.replicator(RPS, population="both"), "population"),
    ("replicator_field", lambda: dynamics.replicator_field(RPS, [[1 / 3] * 3] * 2, mutation=2),
     "mutation"),
    ("logit_dynamics", lambda: dynamics.logit_dynamics(RPS, -1.0), "rationality"),
    ("best_response_dynamics", lambda: dynamics.best_response_dynamics(RPS, steps=True), "steps"),
    ("fictitious_play", lambda: dynamics.fictitious_play(RPS, 10, smoothing=0), "smoothing"),
    ("regret_matching", lambda: dynamics.regret_matching(RPS, 10, seed=-1), "seed"),
    ("regret_matching", lambda: dynamics.regret_matching(RPS, 10, conditional="yes"),
     "conditional"),
    ("regret_matching",
     lambda: dynamics.regret_matching(RPS, 10, conditional=True, inertia=NAN), "inertia"),
    # games.repeated
    ("match", lambda: match(TFT, TFT, PD, turns=0), "turns"),
    ("match", lambda: match(TFT, TFT, PD, noise=NAN), "noise"),
    ("expected_payoffs", lambda: expected_payoffs(TFT, TFT, PD, continuation=1), "continuation"),
    ("expected_payoffs", lambda: expected_payoffs(TFT, TFT, PD, turns=5, continuation=0.5),
     "turns, continuation"),
    ("tournament", lambda: tournament([TFT, S.Defector()], PD, repetitions=True), "repetitions"),
    ("tournament", lambda: tournament([TFT, S.Defector()], PD, self_play="no"), "self_play"),
    ("tournament", lambda: tournament([TFT], PD), "strategies"),
    ("equilibrium_payoffs", lambda: equilibrium_payoffs(PD, 0.9, tol=NAN), "tol"),
    ("equilibrium_payoffs", lambda: equilibrium_payoffs(PD, 0.9, max_iter=0), "max_iter"),
    ("feasible_payoffs", lambda: feasible_payoffs(PD, minmax="none"), "minmax"),
    ("feasible_payoffs", lambda: feasible_payoffs(PD, individually_rational="yes"),
     "individually_rational"),
    ("minmax_values", lambda: minmax_values(PD, mixed=1), "mixed"),
    ("convex_hull", lambda: convex_hull([[0, 0], [1, NAN]]), "points"),
    ("convex_hull", lambda: convex_hull([[0, 0], [1, 1]], tol=-1), "tol"),
    ("is_subgame_perfect", lambda: is_subgame_perfect((TFT, TFT), PD, 1.5), "discount"),
    ("subgame_perfect_check",
     lambda: subgame_perfect_check((TFT, TFT), PD, Fraction(1, 2), tol=-1.0), "tol"),
    ("GenerousTitForTat", lambda: S.GenerousTitForTat(True), "generosity"),
    ("Random", lambda: S.Random(2), "p"),
    ("MemoryOne", lambda: S.MemoryOne([1, 0, 1, 1.5]), r"p\[3\]"),
    ("ZDExtortion", lambda: S.ZDExtortion(chi=float("inf")), "chi"),
    ("Automaton.memory_one", lambda: Automaton.memory_one([1, 0, 1, 0], NAN), "initial"),
    # games.solvers
    ("correlated_equilibrium", lambda: correlated.correlated_equilibrium(PD, coarse="yes"),
     "coarse"),
    ("correlated_equilibrium", lambda: correlated.correlated_equilibrium(PD, objective=[NAN, 1]),
     "objective"),
    ("deviation_gains", lambda: correlated.deviation_gains(PD, np.full((2, 2), 0.25), coarse=1),
     "coarse"),
    ("eliminate_dominated", lambda: dominance.eliminate_dominated(PD, mixed="x"), "mixed"),
    ("enumpoly_equilibria", lambda: enumpoly.enumpoly_equilibria(G3, seed="x"), "seed"),
    ("enumpoly_equilibria", lambda: enumpoly.enumpoly_equilibria(G3, max_support=True),
     "max_support"),
    ("lemke_howson", lambda: lemke_howson(PD, max_pivots="many"), "max_pivots"),
    ("lemke_howson", lambda: lemke_howson(PD, initial_label=7), "initial_label"),
    ("lemke_howson", lambda: lemke_howson(PD, exact="yes"), "exact"),
    ("mixed_equilibria", lambda: mixed_equilibria(G3, method="newton"), "method"),
    ("mixed_equilibria", lambda: mixed_equilibria(G3, method="logit", bogus=1), "options"),
    ("mclennan_tourky", lambda: mclennan_tourky(G3, epsilon=float("inf")), "epsilon"),
    ("mclennan_tourky", lambda: mclennan_tourky(G3, max_iter=True), "max_iter"),
    ("logit_equilibrium", lambda: quantal.logit_equilibrium(PD, bogus=1), "options"),
    ("quantal_response", lambda: quantal.quantal_response(PD, True), "rationality"),
    ("quantal_response_path", lambda: quantal.quantal_response_path(PD, NAN), "max_rationality"),
    ("fit_quantal_response", lambda: quantal.fit_quantal_response(PD, [[1, 2], [3, -1]]),
     r"counts\[1\]"),
    ("fit_quantal_response",
     lambda: quantal.fit_quantal_response(PD, [[1, 2], [3, 1]], max_rationality=-1),
     "max_rationality"),
    ("expected_layer", lambda: selection.expected_layer(PD, [0, 0], "wellbeing"), "layer"),
    ("welfare", lambda: selection.welfare(games.pure_equilibria(PD)[0], weights="ab"),
     "weights"),
    ("welfare_maximising",
     lambda: selection.welfare_maximising(games.pure_equilibria(PD), weights=[NAN, 1]),
     r"weights\[0\]"),
    ("payoff_dominant", lambda: selection.payoff_dominant(games.pure_equilibria(PD), strict=0),
     "strict"),
    ("best_equilibrium", lambda: selection.best_equilibrium(PD, method="simplex"), "method"),
    ("best_equilibrium", lambda: selection.best_equilibrium(PD, weights=[1, "a"]),
     r"weights\[1\]"),
    ("best_equilibrium", lambda: selection.best_equilibrium(PD, max_enumeration=-1),
     "max_enumeration"),
    ("support_enumeration", lambda: support_enumeration(PD, exact="x"), "exact"),
    ("all_equilibria", lambda: all_equilibria(PD, exact=1), "exact"),
    ("maximal_nash_subsets",
     lambda: maximal_nash_subsets(support_enumeration(PD)), "equilibria"),
    ("solve_zero_sum", lambda: zero_sum.solve_zero_sum(MP, exact="x"), "exact"),
    ("security_strategies", lambda: zero_sum.security_strategies(MP, exact="x"), "exact"),
    # games.convert
    ("from_arrays", lambda: convert.from_arrays(np.zeros((2, 2, 2)), layout="rows"), "layout"),
    ("to_nashpy", lambda: convert.to_nashpy(PD, dtype="no such dtype"), "dtype"),
    ("to_quantecon", lambda: convert.to_quantecon(PD, dtype="no such dtype"), "dtype"),
    ("from_gambit", lambda: convert.from_gambit(object(), exact="x"), "exact"),
]


@pytest.mark.parametrize("name, call, field", CASES, ids=[f"{c[0]}-{c[2]}" for c in CASES])
def test_bad_argument_raises_invalid_argument_error_naming_the_field(name, call, field):
    with pytest.raises(InvalidArgumentError, match=rf"^{field}:") as caught:
        call()
    assert not isinstance(caught.value, InvalidGameError)
    assert isinstance(caught.value, (games.GameError, ValueError))


@pytest.mark.parametrize("call", [
    lambda: ev.fixation_probabilities(np.ones((2, 3)), 10, 1.0),
    lambda: ev.simulate_graph_fixation(games.random_game((2, 2, 2), seed=1), 1 - np.eye(3), 0.1),
    lambda: dynamics.replicator("not a game"),
    lambda: match(TFT, TFT, games.random_game((2, 2, 2), seed=1)),
    lambda: tournament([TFT, S.Defector()], games.Game.from_bimatrix([[1, 2], [3, 4]],
                                                                     [[0, 0], [0, 0]])),
    lambda: lemke_howson(G3),
    lambda: zero_sum.solve_zero_sum(PD),
])
def test_malformed_games_still_raise_invalid_game_error(call):
    with pytest.raises(InvalidGameError):
        call()


@pytest.mark.parametrize("value", [True, 1.0, "3", None, -1, np.float64(2.0)])
def test_check_integer_refuses_everything_but_integers_in_range(value):
    with pytest.raises(InvalidArgumentError, match="^count: expected an integer >= 0"):
        check_integer(value, "count", minimum=0)


@pytest.mark.parametrize("value", [True, "0.5", None, NAN, float("inf"), -0.1, 1.1, [0.5]])
def test_check_probability_refuses_non_probabilities(value):
    with pytest.raises(InvalidArgumentError, match="^p: expected"):
        check_probability(value, "p")


@pytest.mark.parametrize("value", [0, 1, Fraction(1, 3), np.float64(0.5), np.int64(1)])
def test_check_probability_keeps_exact_values_exact(value):
    assert check_probability(value, "p") is value


def test_check_real_names_open_and_closed_bounds():
    with pytest.raises(InvalidArgumentError, match=r"expected a number > 0 and <= 1, found 0"):
        check_real(0, "w", 0, 1, low_open=True)
    assert check_real(1, "w", 0, 1, low_open=True) == 1


@pytest.mark.parametrize("seed", [None, 0, 7, np.random.default_rng(1),
                                  np.random.SeedSequence(3)])
def test_check_seed_accepts_what_default_rng_accepts(seed):
    assert check_seed(seed) is seed


@pytest.mark.parametrize("seed", [-1, 1.5, "x", True])
def test_check_seed_refuses_the_rest(seed):
    with pytest.raises(InvalidArgumentError, match="^seed"):
        check_seed(seed)
