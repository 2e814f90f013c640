"""Symbolic games: safe parsing, equilibrium conditions and exact thresholds."""

from fractions import Fraction

import numpy as np
import pytest
import sympy

import games
import mechanisms as M
from games import InvalidGameError
from games.symbolic import SymbolicGame, equilibrium_conditions, parse_expression, solve_threshold
from mechanisms.reciprocity import group_matrix, network_matrix

CD = [("C", "D"), ("C", "D")]


def symmetric(matrix, parameters: str, actions=CD) -> SymbolicGame:
    a = np.array(matrix, dtype=object)
    return SymbolicGame(np.stack([a, a.T]), parameters, actions=actions)


def donation(extra: str = "") -> tuple[SymbolicGame, dict]:
    g = symmetric([["b - c", "-c"], ["b", "0"]], "b c " + extra)
    return g, g.symbols


def test_kinship_condition_is_hamiltons_rule():
    """(C, C) in the donation game with kinship r is an equilibrium iff r >= c/b."""
    g = symmetric([["(b - c)*(1 + r)", "-c + b*r"], ["b - r*c", "0"]], "b c r")
    assert equilibrium_conditions(g, ("C", "C")) == [sympy.GreaterThan(g.symbols["b"] * g.symbols["r"] - g.symbols["c"], 0)] * 2
    t = M.threshold(g, None, "r", profile=("C", "C"))
    b, c, r = (g.symbols[k] for k in "bcr")
    assert t.exact and t.value == sympy.GreaterThan(r, c / b)


def test_grim_trigger_sustains_cooperation_iff_delta_at_least_t_minus_r_over_t_minus_p():
    g = symmetric([["R", "(1 - d)*S + d*P"], ["(1 - d)*T + d*P", "P"]], "T R P S d",
                  actions=[("Grim", "ALLD"), ("Grim", "ALLD")])
    relation = solve_threshold(g, "d", ("Grim", "Grim"), positive=["T - P"])
    T, R, P, d = (g.symbols[k] for k in "TRPd")
    assert isinstance(relation, sympy.GreaterThan) and relation.lhs == d
    assert sympy.simplify(relation.rhs - (T - R) / (T - P)) == 0


def test_the_five_rules_come_out_as_nowaks_expressions():
    """Nowak (2006), Science 314: kin r > c/b, direct w > c/b, indirect q > c/b,
    network b/c > k, group b/c > 1 + n/m (strict: cooperation strictly better)."""
    # Kin, from the Kinship formula u + r (total - u) applied to symbolic payoffs.
    base, symbols = donation("r w q k n m")
    b, c, r, w, q, k, n, m = (symbols[s] for s in "bcrwqknm")
    u = base.payoffs
    kin = SymbolicGame(u + r * (u.sum(axis=0) - u), "b c r w q k n m", actions=CD)
    # Direct: tit-for-tat against always-defect, per-round averages with continuation w.
    direct = symmetric([["b - c", "-(1 - w)*c"], ["(1 - w)*b", "0"]], "b c r w q k n m")
    # Indirect: discriminators that know a reputation with probability q.
    indirect = symmetric([["b - c", "-c*(1 - q)"], ["b*(1 - q)", "0"]], "b c r w q k n m")
    a = u[0]
    network = SymbolicGame(np.stack([network_matrix(a, k), network_matrix(a, k).T]), "b c r w q k n m", actions=CD)
    group = SymbolicGame(np.stack([group_matrix(a, m, n), group_matrix(a, m, n).T]), "b c r w q k n m", actions=CD)
    assert solve_threshold(kin, "r", ("C", "C"), strict=True) == sympy.StrictGreaterThan(r, c / b)
    assert solve_threshold(direct, "w", ("C", "C"), strict=True) == sympy.StrictGreaterThan(w, c / b)
    assert solve_threshold(indirect, "q", ("C", "C"), strict=True) == sympy.StrictGreaterThan(q, c / b)
    # Network and group: solve for b (cooperation dominant: both cells of the C row beat D).
    for game, expected in ((network, c * k), (group, c * (1 + n / m))):
        conditions = equilibrium_conditions(game, ("C", "C"), strict=True)
        dominant = [sympy.StrictGreaterThan(sympy.simplify(game.payoffs[0][0, 1] - game.payoffs[0][1, 1]), 0)]
        solved = sympy.reduce_inequalities(conditions + dominant, [b])
        # The binding bound is b > expected (k > 2 on graphs).
        at = {k: 5, n: 7, m: 3, c: 2}
        bound = sympy.simplify(expected.subs(at))
        assert solved.subs(at).subs(b, bound + sympy.Rational(1, 100)) is sympy.true
        assert solved.subs(at).subs(b, bound - sympy.Rational(1, 100)) is sympy.false


def test_substitute_gives_an_exact_game_and_lambdify_a_fast_function():
    g, _ = donation()
    exact = g.substitute(b=3, c=1)
    assert exact == games.catalog.prisoners_dilemma(b=3, c=1).replace(
        players=exact.players, title=exact.title)
    partial = g.substitute(b=Fraction(5, 2))
    assert isinstance(partial, SymbolicGame) and tuple(partial.symbols) == ("c",)
    f = g.lambdify()
    values = f(b=np.array([2.0, 3.0]), c=1.0)
    assert values.shape == (2, 2, 2, 2) and values[0, 0, 0].tolist() == [1.0, 2.0]


@pytest.mark.parametrize("text, message", [
    ("__import__('os')", "not allowed"),
    ("b.real", "not allowed"),
    ("x + 1", "not declared"),
    ("b ** c", "integer powers"),
    ("b <", "not a valid expression"),
    ("b if c else 1", "not allowed"),
    ("[b]", "not allowed"),
])
def test_unsafe_or_undeclared_expressions_are_rejected(text, message):
    symbols = {"b": sympy.Symbol("b", positive=True), "c": sympy.Symbol("c", positive=True)}
    with pytest.raises(InvalidGameError, match=message):
        parse_expression(text, symbols)


def test_bad_games_and_parameters_are_rejected():
    with pytest.raises(InvalidGameError, match="not declared"):
        SymbolicGame([["x"]], "b")
    with pytest.raises(InvalidGameError, match="identifiers"):
        SymbolicGame([["1"]], "b 2c")
    g, _ = donation()
    with pytest.raises(InvalidGameError, match="parameter"):
        solve_threshold(g, "w", ("C", "C"))
    with pytest.raises(InvalidGameError, match="not parameters"):
        g.substitute(z=1)
