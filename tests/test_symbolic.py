"""Symbolic games: safe parsing, equilibrium conditions and exact thresholds."""

import os
import subprocess
import sys
import tracemalloc
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest
import sympy
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import games
import mechanisms as M
from games import GameError, InvalidArgumentError, InvalidGameError
from games.symbolic import (
    MAX_NUMBER_BITS,
    SymbolicGame,
    equilibrium_conditions,
    parse_expression,
    solve_threshold,
)
from mechanisms.reciprocity import group_matrix, network_matrix

CD = [("C", "D"), ("C", "D")]
ROOT = Path(__file__).resolve().parent.parent


def symmetric(matrix, parameters: str, actions=CD) -> SymbolicGame:
    a = np.array(matrix, dtype=object)
    return SymbolicGame(np.stack([a, a.T]), parameters, actions=actions)


def donation(extra: str = "") -> tuple[SymbolicGame, dict]:
    g = symmetric([["b - c", "-c"], ["b", "0"]], "b c " + extra)
    return g, g.symbols


def test_kinship_condition_is_hamiltons_rule():
    """(C, C) in the donation game with kinship r is an equilibrium iff r >= c/b."""
    g = symmetric([["(b - c)*(1 + r)", "-c + b*r"], ["b - r*c", "0"]], "b c r")
    b, c, r = (g.symbols[k] for k in "bcr")
    assert equilibrium_conditions(g, ("C", "C")) == [sympy.GreaterThan(b * r - c, 0)] * 2
    t = M.threshold(g, None, "r", profile=("C", "C"))
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
    network = SymbolicGame(np.stack([network_matrix(a, k), network_matrix(a, k).T]),
                           "b c r w q k n m", actions=CD)
    group = SymbolicGame(np.stack([group_matrix(a, m, n), group_matrix(a, m, n).T]),
                         "b c r w q k n m", actions=CD)
    above = sympy.StrictGreaterThan
    assert solve_threshold(kin, "r", ("C", "C"), strict=True) == above(r, c / b)
    assert solve_threshold(direct, "w", ("C", "C"), strict=True) == above(w, c / b)
    assert solve_threshold(indirect, "q", ("C", "C"), strict=True) == above(q, c / b)
    # Network and group: solve for b (cooperation dominant: both cells of the C row beat D).
    for game, expected in ((network, c * k), (group, c * (1 + n / m))):
        conditions = equilibrium_conditions(game, ("C", "C"), strict=True)
        gain = sympy.simplify(game.payoffs[0][0, 1] - game.payoffs[0][1, 1])
        dominant = [sympy.StrictGreaterThan(gain, 0)]
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



def test_bad_arguments_that_are_not_games_raise_invalid_argument_error():
    g, _ = donation()
    with pytest.raises(InvalidArgumentError, match="parameter: expected one of .* found 'w'"):
        solve_threshold(g, "w", ("C", "C"))
    with pytest.raises(InvalidArgumentError, match="not parameters"):
        g.substitute(z=1)
    with pytest.raises(InvalidArgumentError, match=r"positive\[0\]: .*not declared"):
        solve_threshold(g, "b", ("C", "C"), positive=["T - P"])
    with pytest.raises(InvalidArgumentError, match="values: expected a value for every parameter"):
        g.lambdify()(b=1.0)


# ---------------------------------------------------------------------------------------
# Hardening (issue 16, item 5): bounded work, no infinities, exact decimals

B = sympy.Symbol("b", positive=True)
SYMBOLS = {"b": B}


def test_powers_of_powers_are_refused_before_they_are_computed():
    """Each exponent was limited (<= 64) but not the result: ((2**64)**64)**64 has 262,144
    bits and was accepted; nesting three more levels exhausts memory."""
    for text in ("((2**64)**64)**64", "(3 * 2**64)**64", "(1/(3 * 2**64))**64",
                 "(2**60*b)**64 * (2**63)**16"):
        with pytest.raises(InvalidGameError, match="at most 4096 bits"):
            parse_expression(text, SYMBOLS)
    with pytest.raises(InvalidGameError, match="degree of at most 128"):
        parse_expression("((b + 1)**64)**64", SYMBOLS)
    with pytest.raises(InvalidGameError, match="at most 4096 bits"):
        SymbolicGame([["((2**64)**64)**64", "1"]], "b")
    # The largest allowed sizes still parse, exactly.
    assert parse_expression("(2**63)**64", SYMBOLS) == sympy.Integer(2) ** 4032
    assert parse_expression("b**64 * b**64", SYMBOLS) == B ** 128


def test_the_reported_nested_power_fails_fast_in_bounded_memory():
    """The issue's reproducer, in a child process limited to 1.5 GiB of address space
    (before the fix it needed 2**36 bytes)."""
    resource = pytest.importorskip("resource")
    code = ("import resource; resource.setrlimit(resource.RLIMIT_AS, (3 * 2**29, 3 * 2**29))\n"
            "import sympy\nfrom games import InvalidGameError\n"
            "from games.symbolic import parse_expression\n"
            "try:\n    parse_expression('(((((2**64)**64)**64)**64)**64)**64', {})\n"
            "except InvalidGameError as err:\n    print('refused:', err)\n")
    env = {**os.environ, "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1",
           "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=120, env=env, cwd=ROOT)
    assert resource is not None and done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.startswith("refused:") and "4096 bits" in done.stdout


@pytest.mark.parametrize("text, message", [
    pytest.param("1" + "+1" * 200000, "at most 1000 characters", id="long-sum"),  # RecursionError
    pytest.param("-" * 100000 + "1", "at most 1000 characters", id="long-minus"),  # MemoryError
    pytest.param("1" + "+1" * 150, "at most 100 nested operations", id="deep-sum"),
    pytest.param("-" * 300 + "1", "at most 100 nested operations", id="deep-minus"),
    pytest.param("(" * 300 + "1" + ")" * 300, "not a valid expression", id="parentheses"),
    pytest.param("b" + "**b" * 300, "at most 100 nested operations", id="power-tower"),
])
def test_long_or_deep_expressions_raise_invalid_game_error(text, message):
    with pytest.raises(InvalidGameError, match=message):
        parse_expression(text, SYMBOLS)


@pytest.mark.parametrize("text", ["1/0", "b/0", "0**-1", "b/(b - b)", "(b - b)**-2",
                                  "1/(2 - 2)", "b * (1/0)"])
def test_division_by_zero_is_refused_not_complex_infinity(text):
    with pytest.raises(InvalidGameError, match="division by zero"):
        parse_expression(text, SYMBOLS)


def test_decimal_literals_are_read_exactly_from_their_text():
    """1e-400 underflowed to the float 0 and 1e400 overflowed to inf: both are now exact;
    exponents beyond games.model.MAX_EXPONENT are refused like in .nfg files."""
    assert parse_expression("1e-400", SYMBOLS) == sympy.Rational(1, 10**400)
    assert parse_expression("1e400", SYMBOLS) == sympy.Integer(10**400)
    assert parse_expression("0.1 + 0.2", SYMBOLS) == sympy.Rational(3, 10)
    assert parse_expression("1_000.25", SYMBOLS) == sympy.Rational(4001, 4)
    assert parse_expression("0.1e1 * b", SYMBOLS) == B
    with pytest.raises(InvalidGameError, match="decimal number, found '1e401'"):
        parse_expression("1e401", SYMBOLS)
    with pytest.raises(InvalidGameError, match="not allowed"):
        parse_expression("2j", SYMBOLS)


def test_undefined_symbolic_payoffs_and_substitutions_are_refused():
    with pytest.raises(InvalidGameError, match="finite real expression"):
        SymbolicGame([[sympy.zoo]], "b")
    with pytest.raises(InvalidGameError, match="finite real expression"):
        SymbolicGame([[sympy.I * B]], "b")
    g = SymbolicGame([[["c/b", "1"], ["1", "1"]], [["1", "1"], ["1", "1"]]], "b c",
                     positive=False)
    with pytest.raises(InvalidArgumentError, match="undefined"):
        g.substitute(b=0, c=1)
    positive_game, _ = donation()
    for bad, message in ((-1, "positive"), (float("nan"), "finite"), ("3", "real number"),
                         (True, "real number"), (1 + 2j, "real number")):
        with pytest.raises(InvalidArgumentError, match=message):
            positive_game.substitute(b=bad, c=1)
    with pytest.raises(InvalidGameError, match="ragged|expected shape"):
        SymbolicGame([[["1", "2"], ["3"]], [["1", "2"], ["3", "4"]]], "b")


def _expression_tokens():
    atoms = st.one_of(st.sampled_from(["b", "c", "0", "1", "2", "64", "0.5", "1e-400",
                                       "1e400", "2**64", "10**300", "(b - b)", "1_0", "j"]),
                      st.integers(-10**30, 10**30).map(str))
    ops = st.sampled_from(["+", "-", "*", "/", "**", " ** 64", "**-1", "(", ")", "-", " "])
    return st.lists(st.one_of(atoms, ops), max_size=40).map("".join)


def _size(expr):
    return max((max(abs(int(a.p)).bit_length(), int(a.q).bit_length())
                for a in expr.atoms(sympy.Rational)), default=0)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(_expression_tokens(), st.text(max_size=60)))
def test_random_expression_strings_raise_only_game_errors_in_bounded_memory(text):
    """Whatever the text: a finite sympy expression with numbers of at most
    MAX_NUMBER_BITS bits, or a GameError; never another exception, and the peak memory
    of the parse stays small (a few MB, where one unbounded power needs gigabytes)."""
    symbols = {"b": B, "c": sympy.Symbol("c", positive=True)}
    tracemalloc.start()
    try:
        expr = parse_expression(text, symbols)
    except GameError:
        return
    finally:
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    assert peak < 32 * 2**20
    assert isinstance(expr, sympy.Expr)
    assert not any(expr.has(u) for u in (sympy.zoo, sympy.nan, sympy.oo, -sympy.oo))
    assert _size(expr) <= MAX_NUMBER_BITS
    assert expr.free_symbols <= set(symbols.values())
