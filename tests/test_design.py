"""Optimal realignment: minimum-cost transfers (k-implementation) and robustness."""

import itertools
from fractions import Fraction

import numpy as np
import pytest

import games
import mechanisms as M
from games import InvalidArgumentError

PD = games.catalog.prisoners_dilemma
ALIGNED = ("need-based", "open airspace", "open airspace", "priority-to-need")


def test_cheapest_transfers_make_cooperation_an_equilibrium_of_the_pd():
    design = M.implement(PD(), ("C", "C"))
    assert design.cost == 4 and design.exact                # each player's gain from defecting is 2
    assert [e.profile for e in games.pure_equilibria(design.game)].count((0, 0)) == 1
    assert design.game.regret([0, 0]) == 0
    assert design.game.layers["cost"][0, 0, 0] == 4 and design.game.layers["cost"][0, 1, 1] == 0


def test_no_cheaper_payment_at_the_target_exists_on_a_grid():
    """Brute force over payments at the target in steps of 1/2: nothing below 4 works."""
    game = PD()
    grid = [Fraction(k, 2) for k in range(0, 9)]
    feasible = []
    for v1, v2 in itertools.product(grid, grid):
        transfers = np.zeros(game.payoffs.shape, dtype=object)
        transfers[...] = Fraction(0)
        transfers[0, 0, 0], transfers[1, 0, 0] = v1, v2
        if game.replace(payoffs=game.payoffs + transfers).regret([0, 0]) == 0:
            feasible.append(v1 + v2)
    assert min(feasible) == M.implement(game, ("C", "C")).cost


@pytest.mark.parametrize("make", [
    lambda: (PD(), ("C", "C")),
    lambda: (games.catalog.public_goods(n=3, r=2), ("Contribute",) * 3),
    lambda: (games.catalog.aid_delivery(), ALIGNED),
])
@pytest.mark.parametrize("condition", ["strict-equilibrium", "dominant", "unique"])
def test_linear_designs_are_verified_and_exact(make, condition):
    game, target = make()
    design = M.implement(game, target, condition=condition, cap=50)
    t = design.target
    equilibria = [e.profile for e in games.pure_equilibria(design.game)]
    assert t in equilibria and design.game.regret(list(t)) == 0
    assert design.margin > 0 and design.exact
    if condition in ("unique", "dominant"):
        assert equilibria == [t]
    # Paying only at the target, the cheapest strict design pays each deviation gain plus
    # the margin (Monderer & Tennenholtz 2004): the LP may not beat the closed form.
    plain = M.implement(game, target)
    assert design.paid >= plain.cost


def test_costs_promised_fines_budget_balance_and_convex():
    game = PD()
    promised = M.implement(game, ("C", "C"), cost="promised", condition="dominant")
    with_fines = M.implement(game, ("C", "C"), cost="paid", condition="dominant", fines=True)
    assert with_fines.paid == 0 <= promised.paid                # threats off the path are free
    balanced = M.implement(game, ("C", "C"), condition="dominant", fines=True, budget_balanced=True)
    assert all(total == 0 for total in balanced.transfers.sum(axis=0).flat)
    cp = pytest.importorskip("cvxpy")
    smooth = M.implement(game.to_float(), ("C", "C"), cost=lambda V: cp.sum_squares(V),
                         condition="strict-equilibrium", fines=True)
    assert smooth.game.regret([0, 0]) == 0 and smooth.cost > 0


def test_robustness_margin_is_half_the_smallest_deviation_loss():
    assert M.robustness_margin(PD(), ("D", "D")) == Fraction(1, 2)
    assert M.robustness_margin(PD(), ("C", "C")) == -1       # not an equilibrium


@pytest.mark.parametrize("call, message", [
    (lambda: M.implement(PD(), ("C", "C"), cap=1), "cap"),
    (lambda: M.implement(PD(), ("C",)), "target"),
    (lambda: M.implement(PD(), ("C", "X")), "action"),
    (lambda: M.implement(PD(), ("C", "C"), condition="nice"), "condition"),
    (lambda: M.implement(PD(), ("C", "C"), budget_balanced=True), "fines"),
    (lambda: M.implement(PD(), ("C", "C"), condition="unique"), "cap"),
    (lambda: M.implement(PD(), ("C", "C"), cost="cheap"), "cost"),
])
def test_infeasible_or_malformed_designs_name_the_problem(call, message):
    with pytest.raises(InvalidArgumentError, match=message):
        call()


def test_cheapest_monitoring_probability_is_the_exact_critical_value():
    """Monitoring with fine F on deviations from (C, C): needs p F >= 2 (the gain).

    At p = 2/5, F = 5 a deviation costs 2 in expectation: player 1's payoffs become
    C: (3, 0), D: (5 - 2, 1 - 2) = (3, -1), so C weakly dominates D and is a strict best
    reply unless the other plays C for sure. The equilibria are C x (any mix) and
    (any mix) x C, with extreme points (C, C), (C, D) and (D, C), paying (3, 3), (0, 3)
    and (3, 0); before, the prisoner's dilemma has only (D, D), paying (1, 1)."""
    result = M.cheapest(PD(), M.Monitoring, {"probability": (0, 1)}, ("C", "C"),
                        fixed={"fine": 5, "outcome": ("C", "C")},
                        cost=lambda p, g: 3 * float(p["probability"]))
    assert result.parameters == {"probability": Fraction(2, 5)}
    assert result.cost == pytest.approx(6 / 5)
    assert result.sensitivity["probability"] == pytest.approx(3)
    assert (0, 0) in [e.profile for e in games.pure_equilibria(result.game)]
    assert result.game.payoffs[0].tolist() == [[3, 0], [3, -1]]
    before, after = result.reports(PD())
    assert [(e.label, e.payoffs) for e in before.equilibria] == [("D, D", (1.0, 1.0))]
    assert [(e.label, e.payoffs) for e in after.equilibria] == [
        ("C, C", (3.0, 3.0)), ("C, D", (0.0, 3.0)), ("D, C", (3.0, 0.0))]
    assert all(e.regret == 0 for e in after.equilibria)
    assert [e.dominated_by for e in after.equilibria] == [None, "C, C", "C, C"]


def test_cheapest_combination_of_fine_and_detection():
    """Expected fine p F must reach the gain 2; cost 10 p + F is smallest at F = 4, p = 1/2."""
    result = M.cheapest(PD(), M.Penalty, {"fine": [1, 2, 4, 8], "detection": (0, 1)}, ("C", "C"),
                        fixed={"on": {0: "D", 1: "D"}},
                        cost=lambda p, g: 10 * float(p["detection"]) + float(p["fine"]))
    assert result.parameters == {"fine": 4, "detection": Fraction(1, 2)}
    assert sorted(c for _, c in result.candidates) == [9.0, 10.5, 12.0]   # fine 1 cannot reach 2
    with pytest.raises(InvalidArgumentError, match="parameters"):
        M.cheapest(PD(), M.Penalty, {"fine": [1], "detection": (0, 1)}, ("C", "C"),
                   fixed={"on": {0: "D", 1: "D"}})


def test_designed_aid_delivery_is_holistically_aligned_beside_the_original():
    game = games.catalog.aid_delivery()
    design = M.implement(game, ALIGNED, condition="unique", cap=20)
    before, after = design.reports(game)
    assert not before.aligned_equilibria and after.aligned_equilibria
    assert [e.label for e in after.aligned_equilibria] == [", ".join(ALIGNED)]
