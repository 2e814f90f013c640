"""Regression tests for the pareto side of issue 16: honest reports without a value layer,
named argument errors, no private names across modules, one dominance test in the
kernels, and one result protocol."""

import ast
import json
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

import games
import pareto
from games import InvalidArgumentError, InvalidGameError
from pareto import _dominance_kernels as kernels
from pareto import (
    alignment_report,
    disparity,
    dominates,
    frontier,
    gini,
    hypervolume,
    nondominated,
    price_of_anarchy,
    score_table,
    select,
)
from pareto.metrics import EquilibriumAlignment, OutcomeAlignment
from tests.strategies import game_objects

ROOT = Path(__file__).resolve().parents[1]


# ---------------------------------------------------------------------------------------
# Item 4: no value layer, no holistic verdict; no disparity of a player with itself


def test_matching_pennies_is_not_called_holistically_aligned():
    """Matching pennies has only payoffs (an objective layer): its unique equilibrium,
    (1/2, 1/2) for both (von Neumann 1928), is Pareto-optimal on the objective, but
    without a value layer holistic alignment cannot be judged."""
    r = alignment_report(games.catalog.matching_pennies())
    assert r.values_measured is False
    (e,) = r.equilibria
    assert e.pareto_optimal and e.holistic is None and e.meets_values is None
    assert all(o.holistic is None for o in r.highlights.values())
    assert r.aligned_equilibria == [] and r.holistic_outcomes == []
    verdict = r.verdict()
    assert verdict.startswith("Pareto-optimal on objective: ({Heads: 1/2, Tails: 1/2}")
    assert "Values not measured (no value layer)" in verdict
    text = r.to_text()
    assert "HOLISTICALLY ALIGNED" not in text and "Holistically aligned equilibrium" not in text
    assert "Holistically aligned outcomes: not judged (no value layer)" in text
    d = json.loads(json.dumps(r.to_dict()))
    assert d["values_measured"] is False and d["equilibria"][0]["holistic"] is None
    assert d["holistic_outcomes"] == []
    assert "not measured" in r._repr_html_()


def test_dominated_equilibrium_without_values_is_named_as_dominated():
    """The prisoner's dilemma's (D, D) is dominated by (C, C) on the objective."""
    r = alignment_report(games.catalog.prisoners_dilemma())
    assert not r.values_measured
    assert r.verdict().startswith("None of the 1 equilibria is Pareto-optimal on objective")
    assert "Values not measured" in r.verdict()


def test_game_with_a_value_layer_is_still_judged():
    r = alignment_report(games.catalog.aid_delivery(), thresholds=None)
    assert r.values_measured
    assert all(isinstance(o.holistic, bool) for o in r.holistic_outcomes + r.equilibria)


@settings(max_examples=30, deadline=None)
@given(game_objects(max_players=3, max_actions=3), st.booleans(), st.integers(0, 2**31))
def test_holistic_is_pareto_optimal_and_within_values_exactly_when_values_exist(g, with_values,
                                                                                 seed):
    if g.n_players < 2:
        return
    if with_values:
        rng = np.random.default_rng(seed)
        g = g.replace(layers={"value": rng.integers(0, 4, size=(2, *g.shape))})
    r = alignment_report(g, equilibria=games.pure_equilibria(g))
    assert r.values_measured == with_values
    for o in r.equilibria + list(r.highlights.values()) + r.holistic_outcomes:
        if with_values:
            assert o.holistic == (o.pareto_optimal and not o.violations)
        else:
            assert o.holistic is None
    if not with_values:
        assert r.aligned_equilibria == [] and r.holistic_outcomes == []
        assert "Values not measured" in r.verdict()


def test_disparity_of_equal_values_names_no_winner():
    d = disparity([0, 0], ["Matcher", "Mismatcher"])
    assert d.winner is None and d.loser is None and d.gap == 0
    assert d.text() == "none: all 2 equal at 0"
    r = alignment_report(games.catalog.matching_pennies())
    assert " vs " not in r.to_text() and "disparity between players: none" in r.to_text()


def test_disparity_of_a_single_criterion_says_so():
    d = disparity([5], ["NGO"])
    assert d.text() == "n/a: only NGO (5)" and d.winner is None


# ---------------------------------------------------------------------------------------
# Item 6: bad arguments raise InvalidArgumentError naming the problem


def test_hypervolume_reference_errors_name_the_index_and_the_shape():
    with pytest.raises(InvalidArgumentError,
                       match=r"reference: expected finite numbers, found nan at index 1$"):
        hypervolume([[1, 2]], [0, np.nan])
    with pytest.raises(InvalidArgumentError, match=r"reference: expected 2 finite numbers "
                       r"\(one per column of points\), found shape \(1, 2\)"):
        hypervolume([[1, 2]], [[0, 0]])
    with pytest.raises(InvalidArgumentError, match=r"found shape \(3,\)"):
        hypervolume([[1, 2]], [0, 0, 0])


BAD_POINTS = [
    ([[1.0, np.nan]], "found nan at row 0, column 1"),
    ([[1.0, -np.inf]], "found -inf at row 0, column 1"),
    ([["1", "2"]], "found strings ('1')"),
    ("12", "found the string '12'"),
    ([[True, False]], "found booleans"),
    ([[1 + 2j, 0]], "found complex numbers"),
    ([[1, 2], [3]], "found rows of different lengths"),
    (np.zeros((2, 2, 2)), "found shape (2, 2, 2)"),
    (np.zeros((3, 0)), "expected at least one column, found shape (3, 0)"),
    ([[1, None]], "found NoneType None"),
    ([[10**400, 0]], "points: expected an (N, d) array"),
]


@pytest.mark.parametrize("bad, message", BAD_POINTS)
@pytest.mark.parametrize("call", [
    lambda p: nondominated(p),
    lambda p: hypervolume(p, [0, 0]),
    lambda p: select(p),
])
def test_every_point_input_rejects_bad_points(call, bad, message):
    with pytest.raises(InvalidArgumentError) as err:
        call(bad)
    assert message in str(err.value) and not isinstance(err.value, InvalidGameError)


@pytest.mark.parametrize("call, message", [
    (lambda: dominates([1, 2], [1, 2, 3]), "b: expected 2 finite numbers (as many as a)"),
    (lambda: dominates([], [1]), "a: expected at least one finite numbers, found shape (0,)"),
    (lambda: dominates([1, np.inf], [0, 0]), "a: expected finite numbers, found inf at index 1"),
    (lambda: dominates([1], [0], strict="yes"), "strict: expected True or False"),
    (lambda: nondominated([[1, 2]], maximize=1), "maximize: expected True, False or 2 booleans"),
    (lambda: nondominated([[1, 2]], maximize="max"), "maximize: expected True, False"),
    (lambda: nondominated([[1, 2]], strict=None), "strict: expected True or False"),
    (lambda: nondominated([[1, 2]], keep_duplicates=0), "keep_duplicates: expected True or"),
    (lambda: hypervolume([[1, 2]], "00"), "reference: expected 2 finite numbers"),
    (lambda: hypervolume([[1, 2]], [0, 0], maximize=[True]), "maximize: expected"),
    (lambda: select([[1, 2]], rule=["nash"]), "rule: expected one of"),
    (lambda: select([], "utilitarian"), "points: expected at least one point, found none"),
    (lambda: select([[1, 2]], "nash", disagreement=[0]), "disagreement: expected 2 finite"),
    (lambda: select([[1, 2]], "nash", disagreement=[0, np.nan]), "found nan at index 1"),
    (lambda: select([[1, 2]], "weighted", weights=[1, "a"]), "weights: expected 2 finite"),
    (lambda: select([[1, 2]], "weighted", weights=[-1, 1]), "non-negative weights"),
    (lambda: select([[1, 2]], "values-first", thresholds=["a", None]),
     "thresholds[0]: expected 1 finite numbers"),
    (lambda: select([[1, 2]], "values-first", thresholds=[np.inf, None]),
     "thresholds[0]: expected finite numbers, found inf"),
    (lambda: select([[1, 2]], "values-first", thresholds=5), "thresholds: expected 2 entries"),
    (lambda: select([[1, 2]], "values-first", thresholds=[None, None], then="values-first"),
     "then: expected another rule"),
    (lambda: gini([]), "values: expected at least one finite numbers, found shape (0,)"),
    (lambda: gini([1, np.nan]), "values: expected finite numbers, found nan at index 1"),
    (lambda: disparity([1, 2], ["a"]), "names: expected 2 strings"),
])
def test_every_argument_is_checked_with_the_problem_named(call, message):
    with pytest.raises(InvalidArgumentError) as err:
        call()
    assert message in str(err.value) and not isinstance(err.value, InvalidGameError)


AID = games.catalog.aid_delivery()


@pytest.mark.parametrize("call, message", [
    (lambda: score_table(AID, ["honesty"]), "dimensions: expected layer names"),
    (lambda: score_table(AID, []), "dimensions: expected at least one layer name"),
    (lambda: score_table(AID, 3), "dimensions: expected layer names"),
    (lambda: score_table(AID, aggregate="median"), "aggregate['objective']: expected 'sum'"),
    (lambda: score_table(AID, aggregate={"honesty": "sum"}), "aggregate: expected rules for"),
    (lambda: score_table(AID, ["value"], aggregate=[1, 1, 1, np.nan]), "found nan at index 3"),
    (lambda: frontier(AID, over="everything"), "over: expected one of"),
    (lambda: frontier(AID, over="correlated", coarse="yes"), "coarse: expected True or False"),
    (lambda: frontier(AID, over="correlated", max_lps=0), "max_lps: expected a positive"),
    (lambda: frontier(AID, over="correlated", aggregate="each"), "supports 1 to 3 axes"),
    (lambda: frontier(AID, over="equilibria", equilibria=3), "equilibria: expected an iterable"),
    (lambda: alignment_report(AID, thresholds="most"), "thresholds: expected 'half'"),
    (lambda: alignment_report(AID, thresholds={"protect life": "a"}),
     "thresholds['protect life']: expected 1 finite numbers"),
    (lambda: alignment_report(games.catalog.matching_pennies(), thresholds={"x": 1}),
     "thresholds: given, but the game has no 'value' layer"),
    (lambda: price_of_anarchy(AID, welfare="honesty"), "welfare: expected a layer name"),
    (lambda: price_of_anarchy(AID, equilibria=[]), "equilibria: expected at least one"),
    (lambda: price_of_anarchy(AID, cost="no"), "cost: expected True or False"),
])
def test_game_functions_raise_argument_errors_for_arguments(call, message):
    with pytest.raises(InvalidArgumentError) as err:
        call()
    assert message in str(err.value) and not isinstance(err.value, InvalidGameError)


def test_things_that_are_not_games_are_refused_as_games():
    with pytest.raises(InvalidGameError, match="game: expected a Game, found list"):
        alignment_report([[1, 2], [3, 4]])


# ---------------------------------------------------------------------------------------
# Item 13: public helpers, real types


def _imported_private_names(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [(node.lineno, f"{node.module}.{alias.name}") for node in ast.walk(tree)
            if isinstance(node, ast.ImportFrom) and node.module != "__future__"
            for alias in node.names if alias.name.startswith("_")]


def test_no_module_imports_the_old_private_pareto_helpers():
    offenders = [f"{p.relative_to(ROOT)}:{line} {name}"
                 for p in ROOT.rglob("*.py") if ".git" not in p.parts
                 for line, name in _imported_private_names(p)
                 if name.endswith(("._as_points", "._equilibrium_label"))]
    assert offenders == []


def test_a_bare_profile_gets_its_own_label_and_computed_regret():
    """(C, C) in the prisoner's dilemma with T = 5, R = 3: each player gains T - R = 2 by
    defecting, so its certificate is 2, not 0."""
    pd = games.catalog.prisoners_dilemma()
    r = alignment_report(pd, equilibria=[("C", "C"), pd.strategies(("D", "D"))])
    cc, dd = r.equilibria
    assert (cc.label, cc.regret) == ("C, C", 2.0)
    assert (dd.label, dd.regret) == ("D, D", 0.0)
    assert pareto.frontier(pd, over="equilibria", equilibria=[("C", "D")]).labels == ["C, D"]


def test_scores_within_the_tolerance_are_relative_to_each_axis_range():
    """The aid-delivery report is invariant under rescaling its layers by 1e-12: a
    tolerance with an absolute floor would merge every distinct score."""
    base = alignment_report(AID)
    tiny = AID.replace(layers={k: np.asarray(v, dtype=float) * 1e-12
                               for k, v in AID.layers.items()})
    small = alignment_report(tiny)

    def flags(r):
        return ([(o.label, o.pareto_optimal, o.holistic, sorted(o.violations))
                 for o in r.equilibria + list(r.highlights.values())],
                [o.label for o in r.holistic_outcomes])

    assert flags(small) == flags(base)
    assert len(base.holistic_outcomes) >= 1 and not base.equilibria[0].pareto_optimal


# ---------------------------------------------------------------------------------------
# Item 14: one compiled dominance test


@settings(max_examples=200, deadline=None)
@given(st.integers(1, 5).flatmap(lambda d: arrays(np.float64, (2, d),
                                                  elements=st.sampled_from([0.0, 1.0, 2.0]))),
       st.booleans())
def test_the_one_dominance_test_matches_the_definition(rows, strict):
    a, b = rows
    expected = bool(np.all(a > b)) if strict else bool(np.all(a >= b) and np.any(a > b))
    assert kernels.row_dominates.py_func(rows, 0, rows, 1, strict) == expected
    assert kernels.row_dominates(rows, 0, rows, 1, strict) == expected
    assert dominates(a, b, strict=strict) == expected


def test_the_public_module_holds_no_kernels():
    tree = ast.parse((ROOT / "pareto" / "dominance.py").read_text(encoding="utf-8"))
    decorated = [f.name for f in ast.walk(tree) if isinstance(f, ast.FunctionDef)
                 and f.decorator_list]
    assert decorated == []


# ---------------------------------------------------------------------------------------
# Item 15: one result protocol, typed fields


def _results():
    f = frontier(AID)
    r = alignment_report(AID)
    return [f, f.table, select(f, "utilitarian"), r.price, r.equilibria[0].players, r,
            r.equilibria[0], r.objective_optimal]


@pytest.mark.parametrize("index", range(8))
def test_every_result_has_to_dict_and_an_html_table(index):
    result = _results()[index]
    json.dumps(result.to_dict())
    assert "<table>" in result._repr_html_()


def test_reference_outcomes_are_typed_fields():
    r = alignment_report(AID)
    assert isinstance(r.objective_optimal, OutcomeAlignment)
    assert isinstance(r.equilibria[0], EquilibriumAlignment)
    assert r.highlights == {"objective-optimal": r.objective_optimal,
                            "preference compromise": r.preference_compromise,
                            "value-optimal": r.value_optimal}
    assert r.objective_optimal.scores["objective"] == 10
    assert r.preference_compromise.scores["preference"] == 11
    assert r.value_optimal.scores["value"] == 20
    mp = alignment_report(games.catalog.matching_pennies())
    assert mp.preference_compromise is None and mp.value_optimal is None


def test_plots_draw_the_values_they_report():
    pytest.importorskip("matplotlib")
    import matplotlib
    matplotlib.use("Agg")
    r = alignment_report(AID)
    ax = r.price.plot()
    assert [p.get_height() for p in ax.patches] == [r.price.optimum, r.price.best,
                                                    r.price.worst] == [46, 34, 34]
    d = r.equilibria[0].principals
    ax = d.plot()
    assert [p.get_height() for p in ax.patches] == list(d.values) == [0, 3, 3, 3]
    assert [t.get_text() for t in ax.get_xticklabels()] == list(d.names)
    ax = r.table.plot(axes=(0, 2))
    offsets = ax.collections[0].get_offsets()
    assert np.array_equal(np.asarray(offsets), r.table.values[:, [0, 2]])
    with pytest.raises(InvalidArgumentError, match="axes: expected two column indices"):
        r.table.plot(axes=(0, 5))


@pytest.mark.parametrize("scale", [1e-12, 1.0, 1e12])
def test_correlated_frontier_is_the_same_polytope_at_every_score_scale(scale):
    """Chicken (T, R, S, P) = (7, 6, 2, 0): the correlated-equilibrium payoff polytope's
    Pareto frontier runs from (7, 2) through the Aumann-style vertex (5.25, 5.25) to (2, 7)
    (Aumann 1974; with these payoffs the welfare-maximising CE puts 1/2 on (C, C) and 1/4
    on each pure equilibrium).  Scaling every layer by c scales every vertex by c: the
    tolerance has no absolute floor."""
    base = np.array([[[6, 2], [7, 0]], [[6, 7], [2, 0]]], dtype=float)
    g = games.Game(base, layers={"objective": base * scale})
    f = pareto.frontier(g, dimensions=["objective"], aggregate="each", over="correlated")
    got = sorted(tuple(np.round(np.asarray(p, dtype=float) / scale, 9))
                 for p in np.asarray(f.points)[np.asarray(f.optimal)])
    assert got == [(2.0, 7.0), (5.25, 5.25), (7.0, 2.0)]
