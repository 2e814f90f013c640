"""Optimal realignment: minimum-cost transfers (k-implementation) and robustness."""

import itertools
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import games
import mechanisms as M
from games import InvalidArgumentError, SolverError
from tests.strategies import brute_force_pure_equilibria

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


def _deviation_gains(game, target, player):
    """u_i(b, t_-i) - u_i(t) for each action b of the player (brute force)."""
    u = game.payoffs
    return [u[(player, *target[:player], b, *target[player + 1:])] - u[(player, *target)]
            for b in range(game.shape[player])]


def test_fines_make_the_aid_delivery_equilibrium_free_and_never_dearer_than_strict():
    """Regression: ``fines=True`` was ignored by the closed form of the paid equilibrium
    design (it paid 11 while the stricter strict-equilibrium design with fines paid 0).

    With unbounded fines every profitable deviation can be fined away, so nothing is paid
    at the target (Monderer & Tennenholtz 2004); without fines each player is paid its
    largest deviation gain; with fines of at most F, what exceeds F."""
    game = games.catalog.aid_delivery()
    t = M.implement(game, ALIGNED).target
    best_gain = [max(_deviation_gains(game, t, i)) for i in range(game.n_players)]
    strict = M.implement(game, ALIGNED, condition="strict-equilibrium", fines=True)
    with_fines = M.implement(game, ALIGNED, fines=True)
    assert with_fines.cost == 0 <= strict.cost and with_fines.exact
    assert with_fines.game.regret(list(t)) == 0 and min(with_fines.transfers.flat) < 0
    assert M.implement(game, ALIGNED).cost == sum(max(g, 0) for g in best_gain) > 0
    capped = M.implement(game, ALIGNED, fines=True, cap=3)
    assert capped.cost == sum(max(g - 3, 0) for g in best_gain)
    assert max(abs(x) for x in capped.transfers.flat) <= 3
    assert capped.game.regret(list(t)) == 0


# From weakest to strictest, with one margin: a dominant target (by the margin) is the
# unique pure equilibrium, which is a strict equilibrium, which is an equilibrium.
CONDITIONS_BY_STRICTNESS = ("equilibrium", "strict-equilibrium", "unique", "dominant")
MARGIN = Fraction(1, 3)


def _verified_cost(game, target, condition, fines, cap, cost):
    """The design's cost (infinite when infeasible), after checking the design by brute
    force: the target meets the condition with the stated margin in the designed game, the
    transfers respect the instruments, and the cost is what the objective says."""
    try:
        design = M.implement(game, target, cost=cost, condition=condition, fines=fines,
                             cap=cap, margin=MARGIN)
    except InvalidArgumentError as err:
        assert "cap" in str(err) or "no transfers" in str(err), err
        return float("inf")
    V = design.transfers
    t = design.target
    assert design.exact and all(isinstance(x, Fraction) for x in V.flat)
    designed = game.payoffs + V
    assert (design.game.payoffs == designed).all()
    assert all(V[(i, *t)] >= 0 for i in range(game.n_players))    # no fine on the target
    assert fines or min(V.flat) >= 0
    assert cap is None or max(abs(x) for x in V.flat) <= cap
    advantages = []
    for i in range(game.n_players):
        kept = [a for a in np.ndindex(*game.shape) if a[i] == t[i]] if condition == "dominant" \
            else [t]
        advantages += [designed[(i, *a)] - designed[(i, *a[:i], b, *a[i + 1:])]
                       for a in kept for b in range(game.shape[i]) if b != t[i]]
    if advantages:
        assert design.margin == min(advantages)
        assert design.margin >= (0 if condition == "equilibrium" else MARGIN)
    assert design.game.regret(list(t)) == 0                        # the certificate
    equilibria = brute_force_pure_equilibria(design.game)
    assert t in equilibria
    if condition in ("unique", "dominant"):
        assert equilibria == [t]
    paid = sum(V[(i, *t)] for i in range(game.n_players))
    assert design.paid == paid
    assert design.cost == (paid if cost == "paid" else sum(abs(x) for x in V.flat))
    return design.cost


@st.composite
def _small_exact_games(draw):
    shape = draw(st.sampled_from([(2, 2), (2, 3), (3, 2), (3, 3)]))
    values = draw(st.lists(st.integers(-4, 4), min_size=2 * shape[0] * shape[1],
                           max_size=2 * shape[0] * shape[1]))
    return games.Game(np.array(values, dtype=object).reshape((2, *shape)))


@settings(max_examples=25, deadline=None)
@given(_small_exact_games(), st.sampled_from([None, 0, 1, 2, 3, 5, 9]),
       st.sampled_from(["paid", "promised"]))
def test_stricter_conditions_and_fewer_instruments_never_cost_less(game, cap, cost):
    """Every design meeting a stricter condition meets the weaker one with the same
    instruments, and every design without fines is one with fines: so, exactly, the cheapest
    cost can only grow with strictness and shrink with fines (infeasible: infinite)."""
    conditions = [c for c in CONDITIONS_BY_STRICTNESS if cap is not None or c != "unique"]
    for target in np.ndindex(*game.shape):
        costs = {(c, f): _verified_cost(game, target, c, f, cap, cost)
                 for c in conditions for f in (False, True)}
        for f in (False, True):
            for weaker, stricter in itertools.combinations(conditions, 2):
                assert costs[weaker, f] <= costs[stricter, f], (target, weaker, stricter, f)
        for c in conditions:
            assert costs[c, True] <= costs[c, False], (target, c)


def test_a_program_that_stops_without_a_solution_is_a_solver_error(monkeypatch):
    """A limit reached (HiGHS status 1) is the solver's failure on a valid design, not an
    infeasible target (status 2, InvalidArgumentError naming the binding constraint)."""
    import scipy.optimize

    def stopped(*args, **kwargs):
        return scipy.optimize.OptimizeResult(status=1, x=None, message="Time limit reached.")

    monkeypatch.setattr(scipy.optimize, "milp", stopped)
    with pytest.raises(SolverError, match=r"mixed-integer program for 'unique' stopped without "
                                          r"a solution \(Time limit reached\.\); try a"):
        M.implement(PD(), ("C", "C"), condition="unique", cap=10)
    with pytest.raises(SolverError, match="linear program for 'dominant' stopped"):
        M.implement(PD(), ("C", "C"), condition="dominant")


def test_convex_designs_tell_an_unbounded_cost_from_a_solver_failure(monkeypatch):
    cp = pytest.importorskip("cvxpy")
    game = PD().to_float()
    with pytest.raises(InvalidArgumentError, match="cost: the convex cost is unbounded below"):
        M.implement(game, ("C", "C"), cost=lambda V: -cp.sum(V), fines=True)
    with pytest.raises(InvalidArgumentError, match="no transfers make .* convex program is "
                                                   "infeasible"):
        M.implement(game, ("C", "C"), cost=lambda V: cp.sum(V), condition="dominant",
                    fines=True, budget_balanced=True, cap=1.5)
    monkeypatch.setattr(cp.Problem, "solve", lambda self, *a, **k: None)   # no status, no value
    with pytest.raises(SolverError, match="convex program for 'equilibrium' ended None"):
        M.implement(game, ("C", "C"), cost=lambda V: cp.sum_squares(V))
