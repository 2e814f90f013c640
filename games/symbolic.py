"""Games whose payoffs are expressions in named parameters (b, c, w, r, a fine f, ...),
and the exact conditions under which a profile is an equilibrium.

Expressions are built safely: strings are parsed with Python's ``ast`` module into sympy
expressions from a whitelist (numbers, declared parameters, ``+ - * /``, integer powers,
parentheses); nothing is evaluated, and ``sympify`` is never called on user text.

Examples
--------
>>> g = SymbolicGame([[["b - c", "-c"], ["b", "0"]], [["b - c", "b"], ["-c", "0"]]],
...                  parameters="b c", actions=[("C", "D"), ("C", "D")])
>>> equilibrium_conditions(g, ("C", "C"))
[-c >= 0, -c >= 0]
"""

from __future__ import annotations

import ast
from collections.abc import Mapping, Sequence
from fractions import Fraction
from typing import Any

import numpy as np

from games.errors import InvalidGameError
from games.model import Game

__all__ = ["SymbolicGame", "parse_expression", "equilibrium_conditions", "solve_threshold"]

_BINARY = {ast.Add: "add", ast.Sub: "sub", ast.Mult: "mul", ast.Div: "div", ast.Pow: "pow"}


def parse_expression(text: str, symbols: Mapping[str, Any]) -> Any:
    """Parse ``text`` into a sympy expression over the declared ``symbols``.

    Raises
    ------
    InvalidGameError
        An undeclared name, or an operation outside the whitelist (calls, attributes,
        comparisons, non-integer powers, ...), with the offending part named.
    """
    import sympy

    if not isinstance(text, str):
        raise InvalidGameError(f"expression: expected a string, found {type(text).__name__}")
    try:
        tree = ast.parse(text.strip(), mode="eval")
    except SyntaxError as err:
        raise InvalidGameError(f"expression {text!r}: not a valid expression ({err.msg})") from None

    def build(node: ast.AST) -> Any:
        if isinstance(node, ast.Expression):
            return build(node.body)
        if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)) \
                and not isinstance(node.value, bool):
            value = node.value
            return sympy.Rational(Fraction(repr(value))) if isinstance(value, float) else sympy.Integer(value)
        if isinstance(node, ast.Name):
            if node.id not in symbols:
                raise InvalidGameError(f"expression {text!r}: the symbol {node.id!r} is not "
                                       f"declared (parameters: {', '.join(symbols) or 'none'})")
            return symbols[node.id]
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
            inner = build(node.operand)
            return -inner if isinstance(node.op, ast.USub) else inner
        if isinstance(node, ast.BinOp) and type(node.op) in _BINARY:
            left, right = build(node.left), build(node.right)
            op = _BINARY[type(node.op)]
            if op == "pow":
                if not (right.is_Integer and abs(int(right)) <= 64):
                    raise InvalidGameError(f"expression {text!r}: only integer powers up to 64 "
                                           f"are allowed, found {ast.unparse(node.right)!r}")
                return left ** right
            return {"add": left + right, "sub": left - right, "mul": left * right,
                    "div": left / right}[op]
        raise InvalidGameError(f"expression {text!r}: the operation {ast.unparse(node)!r} is not "
                               f"allowed (only numbers, parameters, + - * / and integer powers)")

    return build(tree)


class SymbolicGame:
    """An n-player normal-form game whose payoffs are expressions in ``parameters``.

    Parameters
    ----------
    payoffs : nested sequences, shape (n_players, a_1, ..., a_n)
        Each entry a number, a sympy expression over the parameters, or a string parsed
        by :func:`parse_expression`.
    parameters : str or sequence of str
        The parameter names ("b c" or ("b", "c")); they are positive real symbols unless
        ``positive=False``.
    players, actions, title :
        As for :class:`games.Game`.
    """

    def __init__(self, payoffs: Any, parameters: str | Sequence[str], players: Sequence[str] | None = None,
                 actions: Sequence[Sequence[str]] | None = None, title: str = "",
                 positive: bool = True) -> None:
        import sympy

        names = parameters.split() if isinstance(parameters, str) else list(parameters)
        for name in names:
            if not isinstance(name, str) or not name.isidentifier():
                raise InvalidGameError(f"parameters: expected identifiers, found {name!r}")
        if len(set(names)) != len(names):
            raise InvalidGameError(f"parameters: expected distinct names, found {names}")
        assumptions = {"positive": True} if positive else {"real": True}
        self.symbols = {name: sympy.Symbol(name, **assumptions) for name in names}
        raw = np.array(payoffs, dtype=object)
        if raw.ndim < 2 or raw.ndim != raw.shape[0] + 1:
            raise InvalidGameError(f"payoffs: expected shape (n_players, a_1, ..., a_n), found {raw.shape}")
        declared = set(self.symbols.values())
        out = np.empty(raw.shape, dtype=object)
        for index, x in np.ndenumerate(raw):
            if isinstance(x, str):
                expr = parse_expression(x, self.symbols)
            elif isinstance(x, (int, Fraction)) and not isinstance(x, bool):
                expr = sympy.Rational(x)
            elif isinstance(x, sympy.Expr):
                unknown = x.free_symbols - declared
                if unknown:
                    raise InvalidGameError(f"payoffs{index}: symbols {sorted(map(str, unknown))} are "
                                           f"not declared parameters")
                expr = x
            else:
                raise InvalidGameError(f"payoffs{index}: expected a number, an expression string or a "
                                       f"sympy expression, found {x!r}")
            out[index] = expr
        self.payoffs = out
        shell = Game(np.zeros(raw.shape, dtype=int), players=players, actions=actions, title=title)
        self.players, self.actions, self.title = shell.players, shell.actions, shell.title
        self._shell = shell

    @property
    def n_players(self) -> int:
        return self.payoffs.shape[0]

    @property
    def shape(self) -> tuple[int, ...]:
        return self.payoffs.shape[1:]

    def __repr__(self) -> str:
        dims = " x ".join(map(str, self.shape))
        return f"SymbolicGame({self.title!r}, {dims}, parameters {tuple(self.symbols)})"

    def symbol(self, name: str) -> Any:
        if name not in self.symbols:
            raise InvalidGameError(f"parameter: expected one of {tuple(self.symbols)}, found {name!r}")
        return self.symbols[name]

    def substitute(self, **values: Any) -> "Game | SymbolicGame":
        """Give parameters values: a :class:`games.Game` (exact when every value is an int or
        a Fraction) once every parameter has one, else a symbolic game in the rest."""
        import sympy

        unknown = set(values) - set(self.symbols)
        if unknown:
            raise InvalidGameError(f"values: {sorted(unknown)} are not parameters of this game "
                                   f"(parameters: {tuple(self.symbols)})")
        mapping = {self.symbols[k]: sympy.Rational(Fraction(v)) if isinstance(v, (int, Fraction))
                   else sympy.Float(v) for k, v in values.items()}
        replaced = np.vectorize(lambda e: e.subs(mapping), otypes=[object])(self.payoffs)
        rest = [k for k in self.symbols if k not in values]
        if rest:
            return SymbolicGame(replaced, rest, self.players, self.actions, self.title)
        exact = all(isinstance(v, (int, Fraction)) for v in values.values())
        numbers = np.vectorize(lambda e: Fraction(int(e.p), int(e.q)) if exact else float(e),
                               otypes=[object])(replaced)
        return Game(numbers if exact else numbers.astype(float), players=self.players,
                    actions=self.actions, title=self.title)

    def lambdify(self) -> Any:
        """A fast numeric function ``f(**parameters) -> ndarray`` of the payoffs (sympy's
        lambdify with numpy), for sweeps over the same expressions."""
        import sympy

        order = list(self.symbols)
        flat = list(self.payoffs.flat)
        function = sympy.lambdify([self.symbols[k] for k in order], flat, modules="numpy")
        shape = self.payoffs.shape

        def evaluate(**values: Any) -> np.ndarray:
            missing = [k for k in order if k not in values]
            if missing:
                raise InvalidGameError(f"values: missing parameters {missing}")
            out = function(*[values[k] for k in order])
            return np.array(np.broadcast_arrays(*[np.asarray(x, dtype=float) for x in out])).reshape(
                shape + np.shape(np.asarray(out[0])))

        return evaluate


def equilibrium_conditions(game: SymbolicGame, profile: Sequence[Any], strict: bool = False) -> list[Any]:
    r"""The inequalities under which the pure ``profile`` is a Nash equilibrium:
    :math:`u_i(t) - u_i(b, t_{-i}) \ge 0` (``> 0`` when ``strict``) for every player i and
    action b, each simplified; trivially true ones are dropped (an empty list means
    always), and ``[False]`` means never.
    """
    import sympy

    if not isinstance(game, SymbolicGame):
        raise InvalidGameError(f"game: expected a SymbolicGame, found {type(game).__name__}")
    t = tuple(game._shell.action_index(i, a) for i, a in enumerate(_checked(game, profile)))
    out = []
    for i in range(game.n_players):
        for b in range(game.shape[i]):
            if b == t[i]:
                continue
            deviation = t[:i] + (b,) + t[i + 1:]
            gain = sympy.simplify(game.payoffs[(i, *t)] - game.payoffs[(i, *deviation)])
            relation = sympy.StrictGreaterThan(gain, 0) if strict else sympy.GreaterThan(gain, 0)
            if relation is sympy.true:
                continue
            if relation is sympy.false:
                return [sympy.false]
            out.append(relation)
    return out


def _checked(game: SymbolicGame, profile: Sequence[Any]) -> Sequence[Any]:
    if profile is None or isinstance(profile, str) or len(profile) != game.n_players:
        raise InvalidGameError(f"profile: expected one action per player ({game.n_players}), "
                               f"found {profile!r}")
    return profile


def solve_threshold(game: SymbolicGame, parameter: str, profile: Sequence[Any],
                    strict: bool = False, positive: Sequence[str] = ()) -> Any:
    """The exact set of ``parameter`` values where ``profile`` is an equilibrium, as a sympy
    relation, e.g. ``r >= c/b``.

    Each condition linear in the parameter, :math:`a x + b \\ge 0`, is solved for x when
    the sign of a is known: from the parameters' positivity, or from ``positive``,
    expressions known to be positive (e.g. ``"T - P"``). Other conditions go to sympy's
    ``reduce_inequalities``.
    """
    import sympy

    symbol = game.symbol(parameter)
    conditions = equilibrium_conditions(game, profile, strict)
    if conditions == [sympy.false]:
        return sympy.false
    if not conditions:
        return sympy.true
    known = [parse_expression(p, game.symbols) for p in positive]
    lower, upper, rest = [], [], []
    for relation in conditions:
        expr = sympy.expand(relation.lhs - relation.rhs)
        polynomial = sympy.Poly(expr, symbol) if expr.has(symbol) else None
        if polynomial is None or polynomial.degree() != 1:
            rest.append(relation)
            continue
        a, b = polynomial.all_coeffs()
        sign = _sign(a, known)
        if sign == 0:
            rest.append(relation)
        elif sign > 0:
            lower.append(sympy.simplify(-b / a))
        else:
            upper.append(sympy.simplify(-b / a))
    make_low = sympy.StrictGreaterThan if strict else sympy.GreaterThan
    make_high = sympy.StrictLessThan if strict else sympy.LessThan
    parts = [make_low(symbol, bound) for bound in dict.fromkeys(lower)]
    parts += [make_high(symbol, bound) for bound in dict.fromkeys(upper)]
    if rest:
        try:
            parts.append(sympy.reduce_inequalities(rest, [symbol]))
        except (NotImplementedError, ValueError) as err:
            raise InvalidGameError(f"parameter {parameter!r}: the conditions {rest} cannot be "
                                   f"solved for it exactly ({err})") from None
    return parts[0] if len(parts) == 1 else sympy.And(*parts)


def _sign(a: Any, known: list[Any]) -> int:
    """+1 or -1 when the sign of ``a`` follows from the assumptions, else 0."""
    import sympy

    if a.is_positive:
        return 1
    if a.is_negative:
        return -1
    for k in known:
        ratio = sympy.simplify(a / k)
        if ratio.is_positive:
            return 1
        if ratio.is_negative:
            return -1
    return 0
