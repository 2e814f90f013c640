"""Games whose payoffs are expressions in named parameters (b, c, w, r, a fine f, ...),
and the exact conditions under which a profile is an equilibrium.

Expressions are built safely: strings are parsed with Python's ``ast`` module into sympy
expressions from a whitelist (numbers, declared parameters, ``+ - * /``, integer powers,
parentheses); nothing is evaluated, and ``sympify`` is never called on user text.

Examples
--------
>>> g = SymbolicGame([[["b - c", "-c"], ["b", "0"]], [["b - c", "b"], ["-c", "0"]]],
...                  parameters="b c", actions=[("C", "D"), ("C", "D")])
>>> equilibrium_conditions(g, ("C", "C"))   # never: c > 0, defecting saves it
[False]
>>> equilibrium_conditions(g, ("D", "D"))   # always
[]
"""

from __future__ import annotations

import ast
import math
from collections.abc import Iterable, Mapping, Sequence
from fractions import Fraction
from typing import Any

import numpy as np

from games.errors import InvalidArgumentError, InvalidGameError
from games.model import Game, parse_number

__all__ = ["SymbolicGame", "parse_expression", "equilibrium_conditions", "solve_threshold"]

_BINARY = {ast.Add: "add", ast.Sub: "sub", ast.Mult: "mul", ast.Div: "div", ast.Pow: "pow"}

#: Longest expression text accepted (payoff formulas are a few dozen characters).
MAX_EXPRESSION_CHARS = 1000
#: Deepest nesting of operations (a sum of n terms nests n - 1 deep).
MAX_EXPRESSION_DEPTH = 100
#: Largest numerator or denominator of any number in an expression, in bits (about 1,200
#: decimal digits): checked on every intermediate result, before a power is computed.
MAX_NUMBER_BITS = 4096
#: Largest total degree of an expression in its parameters (``b**64 * c**64`` is 128).
MAX_DEGREE = 128
#: Largest integer exponent of a power.
MAX_POWER = 64


def parse_expression(text: str, symbols: Mapping[str, Any]) -> Any:
    """Parse ``text`` into a sympy expression over the declared ``symbols``.

    The text is parsed with :func:`ast.parse` and rebuilt from a whitelist: numbers,
    declared parameters, ``+ - * /``, integer powers up to :data:`MAX_POWER` and
    parentheses; nothing is evaluated and ``sympify`` is never called on it. Decimal
    literals are read exactly from their text (``0.1`` is 1/10, ``1e-400`` is
    10**-400, never rounded to a float). The size of the work is bounded: at most
    :data:`MAX_EXPRESSION_CHARS` characters and :data:`MAX_EXPRESSION_DEPTH` nested
    operations, every number of every intermediate result at most
    :data:`MAX_NUMBER_BITS` bits (a power is refused from its estimated size before it
    is computed), and a total degree at most :data:`MAX_DEGREE`.

    Raises
    ------
    InvalidGameError
        An undeclared name, an operation outside the whitelist (calls, attributes,
        comparisons, non-integer powers, ...), a division by zero (``1/0``, ``b/0``,
        ``0**-1``) or any infinite or undefined result, a number literal out of range,
        or an expression beyond the size limits, with the offending part named.

    Examples
    --------
    >>> import sympy
    >>> b = sympy.Symbol("b", positive=True)
    >>> parse_expression("(b - 1/2)**2 + 1e-3", {"b": b})
    (b - 1/2)**2 + 1/1000
    """
    import sympy

    if not isinstance(text, str):
        raise InvalidGameError(f"expression: expected a string, found {type(text).__name__}")
    if len(text) > MAX_EXPRESSION_CHARS:
        raise InvalidGameError(f"expression {_short(text)}: expected at most "
                               f"{MAX_EXPRESSION_CHARS} characters, found {len(text)}")
    source = text.strip()
    try:
        tree = ast.parse(source, mode="eval")
    except SyntaxError as err:
        raise InvalidGameError(f"expression {text!r}: not a valid expression ({err.msg})") from None
    except (ValueError, RecursionError, MemoryError) as err:  # null bytes; parser limits
        raise InvalidGameError(f"expression {_short(text)}: not a valid expression "
                               f"({str(err) or 'nested too deeply'})") from None
    depth = _depth(tree)
    if depth > MAX_EXPRESSION_DEPTH:
        raise InvalidGameError(f"expression {_short(text)}: expected at most "
                               f"{MAX_EXPRESSION_DEPTH} nested operations, found {depth}")
    undefined = (sympy.zoo, sympy.nan, sympy.oo, -sympy.oo)

    shown = _short(text, 80)

    def fail(node: ast.AST, problem: str) -> InvalidGameError:
        return InvalidGameError(f"expression {shown}: {problem} in {_short(ast.unparse(node))}")

    def checked(node: ast.AST, expr: Any) -> Any:
        if any(expr.has(u) for u in undefined):
            raise fail(node, f"expected a finite value, found {expr}")
        bits = _bits(expr)
        if bits > MAX_NUMBER_BITS:
            raise fail(node, f"expected numbers of at most {MAX_NUMBER_BITS} bits, found "
                             f"{bits} bits")
        return expr

    def number(node: ast.Constant) -> Any:
        if isinstance(node.value, int):
            if node.value.bit_length() > MAX_NUMBER_BITS:
                raise fail(node, f"expected numbers of at most {MAX_NUMBER_BITS} bits, "
                                 f"found {node.value.bit_length()} bits")
            return sympy.Integer(node.value)
        literal = (ast.get_source_segment(source, node) or repr(node.value)).replace("_", "")
        try:
            value = parse_number(literal)
        except ValueError as err:
            raise InvalidGameError(f"expression {shown}: expected a decimal number, found "
                                   f"{_short(literal)} ({err})") from None
        return checked(node, sympy.Rational(value.numerator, value.denominator))

    def build(node: ast.AST) -> tuple[Any, int]:
        """The expression of ``node`` and an upper bound on its degree."""
        if isinstance(node, ast.Expression):
            return build(node.body)
        if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)) \
                and not isinstance(node.value, bool):
            return number(node), 0
        if isinstance(node, ast.Name):
            if node.id not in symbols:
                raise InvalidGameError(f"expression {shown}: the symbol {node.id!r} is not "
                                       f"declared (parameters: {', '.join(symbols) or 'none'})")
            return symbols[node.id], 1
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
            inner, degree = build(node.operand)
            return (-inner if isinstance(node.op, ast.USub) else inner), degree
        if isinstance(node, ast.BinOp) and type(node.op) in _BINARY:
            (left, left_degree), (right, right_degree) = build(node.left), build(node.right)
            op = _BINARY[type(node.op)]
            if op == "pow":
                if not (right.is_Integer and abs(int(right)) <= MAX_POWER):
                    raise InvalidGameError(f"expression {shown}: only integer powers up to "
                                           f"{MAX_POWER} are allowed, found "
                                           f"{ast.unparse(node.right)!r}")
                exponent = abs(int(right))
                if left.is_zero and int(right) < 0:
                    raise fail(node, "division by zero")
                if exponent * _bits(left) > MAX_NUMBER_BITS:
                    raise fail(node, f"expected numbers of at most {MAX_NUMBER_BITS} bits, "
                                     f"found a power of about {exponent * _bits(left)} bits")
                degree = exponent * left_degree
                if degree > MAX_DEGREE:
                    raise fail(node, f"expected a degree of at most {MAX_DEGREE}, found {degree}")
                return checked(node, left ** right), degree
            if op == "div" and right.is_zero:
                raise fail(node, "division by zero")
            degree = max(left_degree, right_degree) if op in ("add", "sub") \
                else left_degree + right_degree
            if degree > MAX_DEGREE:
                raise fail(node, f"expected a degree of at most {MAX_DEGREE}, found {degree}")
            if op == "add":
                value = left + right
            elif op == "sub":
                value = left - right
            elif op == "mul":
                value = left * right
            else:
                value = left / right
            return checked(node, value), degree
        raise InvalidGameError(f"expression {shown}: the operation {_short(ast.unparse(node))} "
                               f"is not allowed (only numbers, parameters, + - * / and integer "
                               f"powers)")

    return build(tree)[0]


def _short(text: str, limit: int = 40) -> str:
    return repr(text if len(text) <= limit else text[:limit] + "...")


def _depth(tree: ast.AST) -> int:
    """The depth of an ast tree, counted without recursion."""
    deepest = 0
    stack = [(tree, 0)]
    while stack:
        node, depth = stack.pop()
        deepest = max(deepest, depth)
        stack.extend((child, depth + 1) for child in ast.iter_child_nodes(node)
                     if not isinstance(child, (ast.expr_context, ast.operator, ast.unaryop)))
    return deepest


def _bits(expr: Any) -> int:
    """The largest bit length of a numerator or denominator of a number in ``expr``."""
    import sympy

    return max((max(int(a.p).bit_length(), int(a.q).bit_length())
                for a in expr.atoms(sympy.Rational)), default=0)


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

    def __init__(self, payoffs: Any, parameters: str | Sequence[str],
                 players: Sequence[str] | None = None,
                 actions: Sequence[Sequence[str]] | None = None, title: str = "",
                 positive: bool = True) -> None:
        import sympy

        if isinstance(parameters, str):
            names = parameters.split()
        elif isinstance(parameters, Iterable):
            names = list(parameters)
        else:
            raise InvalidGameError(f"parameters: expected names as a string or a sequence, "
                                   f"found {type(parameters).__name__} {parameters!r}")
        for name in names:
            if not isinstance(name, str) or not name.isidentifier():
                raise InvalidGameError(f"parameters: expected identifiers, found {name!r}")
        if len(set(names)) != len(names):
            raise InvalidGameError(f"parameters: expected distinct names, found {names}")
        assumptions = {"positive": True} if positive else {"real": True}
        self.symbols = {name: sympy.Symbol(name, **assumptions) for name in names}
        try:
            raw = np.array(payoffs, dtype=object)
        except ValueError as err:
            raise InvalidGameError(f"payoffs: expected a rectangular array, found ragged nesting "
                                   f"({err})") from None
        if raw.ndim < 2 or raw.ndim != raw.shape[0] + 1:
            raise InvalidGameError(f"payoffs: expected shape (n_players, a_1, ..., a_n), "
                                   f"found {raw.shape}")
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
                    raise InvalidGameError(f"payoffs{index}: symbols {sorted(map(str, unknown))} "
                                           f"are not declared parameters")
                if any(x.has(u) for u in (sympy.zoo, sympy.nan, sympy.oo, -sympy.oo)) \
                        or x.is_real is False:
                    raise InvalidGameError(f"payoffs{index}: expected a finite real expression, "
                                           f"found {x}")
                expr = x
            else:
                raise InvalidGameError(f"payoffs{index}: expected a number, an expression string "
                                       f"or a sympy expression, found {x!r}")
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
        """The sympy symbol of the parameter ``name``."""
        if not isinstance(name, str) or name not in self.symbols:
            raise InvalidArgumentError(f"parameter: expected one of {tuple(self.symbols)}, "
                                       f"found {name!r}")
        return self.symbols[name]

    def substitute(self, **values: Any) -> "Game | SymbolicGame":
        """Give parameters values: a :class:`games.Game` (exact when every value is an int or
        a Fraction) once every parameter has one, else a symbolic game in the rest.

        Raises
        ------
        InvalidArgumentError
            A name that is not a parameter, a value that is not a finite real number (or
            is not positive for a positive parameter), or values at which a payoff is
            undefined (``c/b`` at ``b=0``).
        """
        import sympy

        unknown = set(values) - set(self.symbols)
        if unknown:
            raise InvalidArgumentError(f"values: {sorted(unknown)} are not parameters of this "
                                       f"game (parameters: {tuple(self.symbols)})")
        for name, v in values.items():
            if isinstance(v, (bool, np.bool_)) or not isinstance(v, (int, Fraction, float,
                                                                     np.integer, np.floating)):
                raise InvalidArgumentError(f"values: expected a real number for {name}, found "
                                           f"{type(v).__name__} {v!r}")
            if not math.isfinite(v):
                raise InvalidArgumentError(f"values: expected a finite number for {name}, "
                                           f"found {v}")
            if self.symbols[name].is_positive and not v > 0:
                raise InvalidArgumentError(f"values: expected a positive value for {name} "
                                           f"(declared positive), found {v}")
        mapping = {self.symbols[k]: sympy.Rational(Fraction(int(v)) if isinstance(v, np.integer)
                                                   else Fraction(v))
                   if isinstance(v, (int, Fraction, np.integer)) else sympy.Float(float(v))
                   for k, v in values.items()}
        replaced = np.vectorize(lambda e: e.subs(mapping), otypes=[object])(self.payoffs)
        for index, e in np.ndenumerate(replaced):
            if any(e.has(u) for u in (sympy.zoo, sympy.nan, sympy.oo, -sympy.oo)):
                raise InvalidArgumentError(
                    f"values: expected values at which every payoff is defined, found "
                    f"payoffs{index} = {self.payoffs[index]} undefined at {values}")
        rest = [k for k in self.symbols if k not in values]
        if rest:
            return SymbolicGame(replaced, rest, self.players, self.actions, self.title)
        exact = all(isinstance(v, (int, Fraction, np.integer)) for v in values.values())
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
                raise InvalidArgumentError(f"values: expected a value for every parameter, "
                                           f"found none for {missing}")
            out = function(*[values[k] for k in order])
            arrays = np.broadcast_arrays(*[np.asarray(x, dtype=float) for x in out])
            return np.array(arrays).reshape(shape + np.shape(np.asarray(out[0])))

        return evaluate


def equilibrium_conditions(game: SymbolicGame, profile: Sequence[Any],
                           strict: bool = False) -> list[Any]:
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

    Raises
    ------
    InvalidGameError
        ``game`` is not a :class:`SymbolicGame`, or ``profile`` is malformed.
    InvalidArgumentError
        ``parameter`` is not a parameter of the game, an entry of ``positive`` is not a
        valid expression, or the conditions cannot be solved exactly.
    """
    import sympy

    if not isinstance(game, SymbolicGame):
        raise InvalidGameError(f"game: expected a SymbolicGame, found {type(game).__name__}")
    symbol = game.symbol(parameter)
    if isinstance(positive, str):
        positive = [positive]
    known = []
    for k, text in enumerate(positive):
        try:
            known.append(parse_expression(text, game.symbols))
        except InvalidGameError as err:
            raise InvalidArgumentError(f"positive[{k}]: {err}") from None
    conditions = equilibrium_conditions(game, profile, strict)
    if conditions == [sympy.false]:
        return sympy.false
    if not conditions:
        return sympy.true
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
            raise InvalidArgumentError(f"parameter {parameter!r}: the conditions {rest} cannot be "
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
