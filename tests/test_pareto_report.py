"""Frontiers, selection rules, the price of anarchy and the holistic alignment report."""

import json
import subprocess
import sys
from fractions import Fraction

import numpy as np
import pytest

import games
import pareto
from pareto import alignment_report, frontier, price_of_anarchy, score_table, select

NE = "visibility, citizens first, citizens first, cost-efficient"
OBJECTIVE_OPTIMAL = "visibility, open airspace, open airspace, cost-efficient"
COMPROMISE = "need-based, citizens first, citizens first, cost-efficient"
HOLISTIC = "need-based, open airspace, open airspace, priority-to-need"


def braess(n: int = 4) -> games.Game:
    """Atomic Braess network: routes s-v-t (cost n_sv + 4), s-w-t (4 + n_wt) and the
    zero-cost bridge s-v-w-t (n_sv + n_wt); payoffs are minus the latency."""
    grid = np.stack(np.meshgrid(*[np.arange(3)] * n, indexing="ij"))
    up, down, zig = ((grid == k).sum(axis=0) for k in range(3))
    n_sv, n_wt = up + zig, down + zig
    costs = [n_sv + 4, 4 + n_wt, n_sv + n_wt]
    payoffs = np.stack([-np.choose(grid[i], costs) for i in range(n)])
    return games.Game(payoffs, actions=[("s-v-t", "s-w-t", "s-v-w-t")] * n, title="Braess")


# ---------------------------------------------------------------------------------------
# The paper's Figure 1 claim on the aid-delivery game


def test_aid_delivery_report_shows_the_papers_figure_1_claim():
    """Carichon et al. (2025), Figure 1: the objective-only optimum and the preference
    compromise each violate the value layer, while a holistically aligned outcome lies
    on the frontier; the unique equilibrium is not aligned."""
    r = alignment_report(games.catalog.aid_delivery())
    objective = r.highlights["objective-optimal"]
    compromise = r.highlights["preference compromise"]
    assert objective.label == OBJECTIVE_OPTIMAL and objective.scores["objective"] == 10
    assert objective.pareto_optimal and not objective.holistic
    assert set(objective.violations) == {"protect life", "transparency", "no bias"}
    assert objective.violations["protect life"] == (2.0, 3.0)
    assert compromise.label == COMPROMISE and compromise.scores["preference"] == 11
    assert compromise.pareto_optimal and not compromise.holistic
    assert compromise.violations["international law"] == (0.0, 2.0)
    holistic = [o.label for o in r.holistic_outcomes]
    assert HOLISTIC in holistic
    best = next(o for o in r.holistic_outcomes if o.label == HOLISTIC)
    assert best.scores == {"objective": 6.0, "value": 20.0, "preference": 7.0}
    # the equilibrium: dominated, violates every value, not aligned
    (eq,) = r.equilibria
    assert eq.label == NE and r.equilibria_complete
    assert not eq.pareto_optimal and not eq.holistic and len(eq.violations) == 4
    assert eq.gaps["value"] == 1.0 and eq.payoffs == (8.0, 9.0, 9.0, 8.0)
    assert eq.players.gap == 1.0 and eq.principals.gap == 3.0
    assert r.verdict().startswith("Misaligned") and HOLISTIC in r.verdict()
    # PoA of the payoffs: 46 (objective optimum) over 34 (the equilibrium)
    assert r.price.anarchy == pytest.approx(46 / 34)
    text = r.to_text()
    assert "protect life (2 < 3)" in text and "HOLISTICALLY ALIGNED" in text
    json.dumps(r.to_dict())
    assert "<table>" in r._repr_html_()


def test_report_without_value_thresholds_calls_the_frontier_outcomes_aligned():
    r = alignment_report(games.catalog.aid_delivery(), thresholds=None)
    assert r.highlights["objective-optimal"].holistic
    assert len(r.holistic_outcomes) == int(r.outcome_frontier.sum()) == 7


def test_report_with_explicit_thresholds_and_min_aggregate():
    g = games.catalog.aid_delivery()
    r = alignment_report(g, aggregate={"value": "min"}, thresholds={"international law": 4})
    assert r.thresholds == {"international law": 4.0}
    # with the least-satisfied value as the score, (aligned, open, open, cost-efficient)
    # scores (8, 4, 8) and dominates the all-aligned outcome's (6, 4, 7); only the law
    # threshold applies, which the objective optimum meets
    assert [o.label for o in r.holistic_outcomes] == [
        "need-based, open airspace, open airspace, cost-efficient", OBJECTIVE_OPTIMAL]
    assert r.highlights["objective-optimal"].holistic
    with pytest.raises(games.InvalidArgumentError, match="value criteria"):
        alignment_report(g, thresholds={"honesty": 1})


def test_report_plot_is_written_atomically(tmp_path):
    pytest.importorskip("matplotlib")
    r = alignment_report(games.catalog.aid_delivery())
    path = tmp_path / "report.png"
    fig = r.plot(path)
    assert path.stat().st_size > 1000 and len(fig.axes) == 3
    # The first panel draws objective against value: every one of the 16 outcomes once
    # (grey or on the frontier), and the one pure equilibrium as a star.
    ax = fig.axes[0]
    assert (ax.get_xlabel(), ax.get_ylabel()) == r.axes[:2]
    drawn = np.vstack([c.get_offsets() for c in ax.collections[:2]])
    values = np.asarray(r.table.values, dtype=float)[:, :2]
    assert sorted(map(tuple, drawn.tolist())) == sorted(map(tuple, values.tolist()))
    front = np.asarray(ax.collections[1].get_offsets())
    assert len(front) == int(np.asarray(r.outcome_frontier).sum())
    star = np.asarray(ax.collections[-1].get_offsets())
    assert star.tolist() == [[float(r.equilibria[0].scores[a]) for a in r.axes[:2]]]
    r.plot(tmp_path / "report3d.png", kind="3d")
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".masalign-")]


# ---------------------------------------------------------------------------------------
# Price of anarchy and of stability


def test_prisoners_dilemma_price_of_anarchy():
    """PD with (T, R, P, S) = (5, 3, 1, 0): optimum 6 at (C, C), the unique equilibrium
    (D, D) gives 2: PoA = PoS = 3."""
    p = price_of_anarchy(games.catalog.prisoners_dilemma())
    assert (p.anarchy, p.stability, p.optimum, p.worst) == (3.0, 3.0, 6.0, 2.0)


def test_zero_welfare_equilibrium_has_no_price_of_anarchy():
    """The donation game (b=2, c=1): (D, D) gives welfare 0, the ratio is undefined."""
    g = games.catalog.prisoners_dilemma(b=2, c=1)
    with pytest.raises(games.InvalidArgumentError, match="positive welfare"):
        price_of_anarchy(g)
    r = alignment_report(g)
    assert r.price is None and "positive welfare" in r.price_note


def test_braess_routing_price_of_anarchy_is_four_thirds():
    """Braess's paradox with 4 drivers: splitting 2/2 costs 6 each (total 24); with the
    bridge everyone on s-v-w-t costs 8 each (32), an equilibrium: PoA = 4/3, the ratio
    of Braess's original example (Roughgarden & Tardos 2002). The best equilibrium
    (one on each outer route, two on the bridge) costs 26: PoS = 13/12."""
    p = price_of_anarchy(braess(), cost=True)
    assert p.optimum == 24 and p.worst == 32 and p.best == 26
    assert p.anarchy == pytest.approx(4 / 3) and p.stability == pytest.approx(13 / 12)
    with pytest.raises(games.InvalidArgumentError, match="cost=True"):
        price_of_anarchy(braess())


def test_cournot_duopoly_price_of_anarchy_is_nine_eighths():
    """Cournot duopoly, P = 14 - Q, c = 2: equilibrium profits 16 + 16 (q = 4 each; the
    grid's weak equilibria (3, 5), (5, 3) also total 32), joint monopoly 36 at Q = 6:
    PoA = PoS = 9/8, the textbook ratio for linear Cournot duopoly."""
    g = games.catalog.cournot(quantities=range(9), intercept=14, slope=1, cost=2)
    p = price_of_anarchy(g, equilibria=games.pure_equilibria(g))
    assert p.optimum == 36 and p.anarchy == pytest.approx(9 / 8)
    assert p.stability == pytest.approx(9 / 8)


def test_price_of_anarchy_over_mixed_equilibria_of_chicken():
    g = games.catalog.chicken(T=7, R=6, S=2, P=0)
    eqs = pareto.frontier(g, over="equilibria", dimensions=["objective"]).sources
    p = price_of_anarchy(g, eqs)
    # optimum 12 at (C, C); the pure equilibria give 9; the mixed one, (2/3, 1/3) each,
    # gives 14/3 each, 28/3 in total (when the two-player enumeration is available)
    assert p.optimum == 12 and p.worst == 9 and p.anarchy == pytest.approx(4 / 3)
    if len(eqs) == 3:
        assert p.best == pytest.approx(28 / 3) and p.stability == pytest.approx(9 / 7)


# ---------------------------------------------------------------------------------------
# Frontiers


def test_outcome_frontier_labels_every_point():
    f = frontier(games.catalog.aid_delivery())
    assert len(f) == 7 and f.axes == ("objective", "value", "preference")
    assert {OBJECTIVE_OPTIMAL, COMPROMISE, HOLISTIC} <= set(f.front_labels)
    assert NE not in f.front_labels
    d = f.to_dict()
    assert sum(p["optimal"] for p in d["points"]) == 7


def test_each_criterion_as_its_own_axis():
    t = score_table(games.catalog.aid_delivery(), ["preference"], aggregate="each")
    assert t.axes == ("preference: NGO", "preference: Government A", "preference: Government B",
                      "preference: Logistics")
    with pytest.raises(games.InvalidArgumentError, match=r"4 finite numbers \(weights"):
        score_table(games.catalog.aid_delivery(), ["value"], aggregate=[1, 2])
    with pytest.raises(games.InvalidArgumentError, match="layer names"):
        frontier(games.catalog.aid_delivery(), dimensions=["honesty"])
    with pytest.raises(games.InvalidArgumentError, match="over"):
        frontier(games.catalog.aid_delivery(), over="everything")


def test_correlated_frontier_of_chicken_is_exact():
    """The CE payoff polytope of Aumann's chicken has the Pareto-optimal vertices (7, 2),
    (2, 7) and (21/4, 21/4), joined by two frontier edges."""
    g = games.catalog.chicken(T=7, R=6, S=2, P=0)
    f = frontier(g, dimensions=["objective"], aggregate="each", over="correlated")
    front = sorted(map(tuple, np.round(f.front, 9).tolist()))
    assert front == [(2.0, 7.0), (5.25, 5.25), (7.0, 2.0)]
    assert len(f.faces) == 2 and f.complete
    for dist in f.sources:  # every vertex is a correlated equilibrium
        gains = games.solvers.correlated.deviation_gains(g.to_float(), dist)
        assert gains.max() <= 1e-9


def test_correlated_frontier_contains_every_nash_point_below_it():
    g = games.catalog.battle_of_the_sexes()
    f = frontier(g, dimensions=["objective"], aggregate="each", over="correlated")
    e = frontier(g, dimensions=["objective"], aggregate="each", over="equilibria")
    for p in e.points:  # no equilibrium beats the CE frontier
        assert not np.any(np.all(p > f.front + 1e-9, axis=1))


def test_three_axis_correlated_frontier_on_a_layered_game():
    g = games.catalog.aid_delivery()
    f = frontier(g, over="correlated")
    assert f.front.tolist() == [[5.0, 0.0, 9.0]]   # dominance solvable: one CE


# ---------------------------------------------------------------------------------------
# Selection rules


POINTS = np.array([[4.0, 1.0], [3.0, 3.0], [1.0, 4.0], [2.0, 2.0], [0.0, 5.0]])


@pytest.mark.parametrize("rule, kwargs, expected", [
    ("utilitarian", {}, 1),
    ("egalitarian", {}, 1),
    ("leximin", {}, 1),
    ("nash", {"disagreement": [0, 0]}, 1),
    ("kalai-smorodinsky", {}, 1),
    ("weighted", {"weights": [1, 0]}, 0),
    ("weighted", {"weights": [0, 1]}, 4),
    ("values-first", {"thresholds": [None, 3.5]}, 2),
])
def test_selection_rules_choose_the_textbook_point(rule, kwargs, expected):
    assert select(POINTS, rule, **kwargs).index == expected


def test_leximin_breaks_egalitarian_ties_by_the_next_worst():
    pts = [[1, 5, 2], [1, 3, 3], [1, 4, 4]]
    assert select(pts, "leximin").index == 2
    assert select(pts, "egalitarian").index == 2


def test_nash_bargaining_is_invariant_to_rescaling_an_axis():
    scaled = POINTS * [10.0, 1.0]
    assert select(scaled, "nash", disagreement=[0, 0]).index == \
        select(POINTS, "nash", disagreement=[0, 0]).index


def test_selection_errors_name_the_problem():
    with pytest.raises(games.InvalidArgumentError, match="rule"):
        select(POINTS, "dictatorship")
    with pytest.raises(games.InvalidArgumentError, match="weights"):
        select(POINTS, "weighted")
    with pytest.raises(games.SolverError, match="no point meets the thresholds"):
        select(POINTS, "values-first", thresholds=[5, 5])
    with pytest.raises(games.SolverError, match="disagreement"):
        select(POINTS, "nash", disagreement=[10, 10])


def test_select_from_a_frontier_returns_its_label():
    f = frontier(games.catalog.aid_delivery())
    s = select(f, "values-first", thresholds=[None, 20, None])
    assert s.label == HOLISTIC


def test_import_pareto_is_cheap():
    code = ("import sys, pareto; bad = [m for m in ('scipy', 'matplotlib', 'numba') "
            "if m in sys.modules]; print(bad)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.stdout.strip() == "[]"


def test_exact_games_are_scored_in_float():
    t = score_table(games.catalog.prisoners_dilemma(), aggregate="sum")
    assert t.values.dtype == np.float64 and t.values[:, 0].tolist() == [6, 5, 5, 2]
    assert Fraction(6) == t.values[0, 0]


def test_report_accepts_correlated_equilibria():
    g = games.catalog.chicken(T=7, R=6, S=2, P=0)
    ce = games.correlated_equilibrium(g, objective="welfare")
    r = alignment_report(g, equilibria=[ce])
    (e,) = r.equilibria
    assert e.label == "correlated" and e.scores["objective"] == pytest.approx(10.5)
    # 21/2 is the best welfare of any CE, but the outcome (Swerve, Swerve) gives 12
    assert not e.pareto_optimal and e.dominated_by == "Swerve, Swerve"
    assert e.regret == 0 and r.price.stability == pytest.approx(12 / 10.5)


@pytest.mark.parametrize("seed", range(6))
def test_correlated_frontier_supports_every_positive_direction(seed):
    """Exactness of the CE frontier: for any strictly positive weights w, the best
    w-weighted score over the whole CE polytope (one LP) is attained at a Pareto-optimal
    vertex that the frontier lists."""
    shape = (3, 3) if seed % 2 else (2, 2, 2)
    g = games.catalog.random_game(shape, seed=seed)
    dims = ["objective"]
    f = frontier(g, dimensions=dims, aggregate="each" if len(shape) == 2 else "sum",
                 over="correlated")
    if len(shape) == 3:  # three axes: objective sum + two more layers of random scores
        rng = np.random.default_rng(seed)
        layers = {"value": rng.random(shape), "preference": rng.random(shape)}
        g = g.replace(layers=layers)
        f = frontier(g, over="correlated")
    assert f.complete
    rng = np.random.default_rng(100 + seed)
    table = f.table.values
    for _ in range(5):
        w = rng.random(len(f.axes)) + 0.05
        ce = games.correlated_equilibrium(g, objective=(table @ w).reshape(g.shape))
        best = float(np.asarray(ce.distribution, dtype=float).reshape(-1) @ table @ w)
        assert float(np.max(f.front @ w)) == pytest.approx(best, rel=1e-7, abs=1e-9)
