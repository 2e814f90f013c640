"""The one data model: an immutable n-player normal-form game with evaluation layers.

A :class:`Game` holds the *incentives* (``payoffs``, what agents respond to) apart from the
*evaluation layers* (``objective``, ``value``, ``preference`` or any user name: what
alignment is measured on). Payoffs are float64, or exact (an object array of
:class:`fractions.Fraction`) when given as integers or fractions.
"""

from __future__ import annotations

import hashlib
import html
import math
import os
import re
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from fractions import Fraction
from types import MappingProxyType
from typing import Any

import numpy as np

from games.errors import GameTooLargeError, InvalidArgumentError, InvalidGameError

__all__ = [
    "Game",
    "check_game_size",
    "MAX_GAME_BYTES",
    "STANDARD_LAYERS",
    "format_number",
    "html_table",
    "parse_number",
    "json_number",
    "json_array",
    "to_array",
]

#: The three alignment dimensions of the paper; any other layer name is allowed too.
STANDARD_LAYERS = ("objective", "value", "preference")

#: Largest dense game (payoffs plus layers) accepted, in bytes; override with the
#: environment variable ``MASALIGN_MAX_GAME_BYTES``.
MAX_GAME_BYTES = int(os.environ.get("MASALIGN_MAX_GAME_BYTES", 4 * 2**30))

# Estimated bytes per entry: float64, and a pointer plus a small Fraction object.
_FLOAT_ENTRY_BYTES = 8
_EXACT_ENTRY_BYTES = 100
_DIGEST_VERSION = 1
#: Longest number literal accepted, and largest decimal exponent: an exact value with
#: ten thousand digits is a mistake or an attack, never a payoff.
MAX_NUMBER_CHARS = 400
MAX_EXPONENT = 400
_EXPONENT_RE = re.compile(r"[eE]([+-]?\d+)")
_NUMBER_RE = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?(/\d+)?$")


# ---------------------------------------------------------------------------------------
# Numbers


def format_number(x: Any) -> str:
    """Short text of a payoff: ``3``, ``-1/2`` for exact values, ``0.25`` for floats."""
    if isinstance(x, Fraction):
        return str(x.numerator) if x.denominator == 1 else f"{x.numerator}/{x.denominator}"
    if isinstance(x, (int, np.integer)):
        return str(int(x))
    x = float(x)
    if x == int(x) and abs(x) < 1e15:
        return str(int(x))
    return f"{x:.6g}"


def html_table(caption: str, rows: Any) -> str:
    """The rich display of a small result: a two-column table (name, value) under
    ``caption``, every cell escaped; numbers are written by :func:`format_number`, lists
    and tuples of them joined by commas, None as ``-``."""
    def show(v: Any) -> str:
        if v is None:
            return "-"
        if isinstance(v, (bool, np.bool_, str)):
            return str(v)
        if isinstance(v, (int, float, Fraction, np.integer, np.floating)):
            return format_number(v)
        if isinstance(v, dict):
            return "; ".join(f"{k}: {show(x)}" for k, x in v.items())
        if isinstance(v, (list, tuple, np.ndarray)):
            return "(" + ", ".join(show(x) for x in v) + ")"
        return str(v)

    esc = html.escape
    body = "".join(f"<tr><th>{esc(str(k))}</th><td>{esc(show(v))}</td></tr>" for k, v in rows)
    return f"<table><caption>{esc(caption)}</caption>{body}</table>"


def parse_number(text: str) -> Fraction:
    """Parse an integer, decimal or rational literal (``-3``, ``0.25``, ``1e-3``, ``7/2``)
    exactly. Never evaluates code.

    Raises
    ------
    ValueError
        When ``text`` is not such a literal.
    """
    text = text.strip()
    if len(text) > MAX_NUMBER_CHARS:
        raise ValueError(f"number literal of {len(text)} characters, expected at most "
                         f"{MAX_NUMBER_CHARS}")
    if not _NUMBER_RE.match(text):
        raise ValueError(f"not a number: {text!r}")
    exponent = _EXPONENT_RE.search(text)
    if exponent is not None and abs(int(exponent.group(1))) > MAX_EXPONENT:
        raise ValueError(f"exponent {exponent.group(1)} in {text!r}, expected at most "
                         f"{MAX_EXPONENT} in absolute value")
    if "/" in text:
        num, den = text.split("/")
        if int(den) == 0:
            raise ValueError(f"zero denominator in {text!r}")
        return Fraction(num) / int(den)
    return Fraction(text)


def _exact_scalar(x: Any) -> Fraction | None:
    """``x`` as a Fraction when it is an exact number (int, Fraction, Decimal), else None."""
    if isinstance(x, Fraction):
        return x
    if isinstance(x, (bool, np.bool_)):
        return Fraction(int(x))
    if isinstance(x, (int, np.integer)):
        return Fraction(int(x))
    if isinstance(x, Decimal):
        return Fraction(x) if x.is_finite() else None
    return None


def _float_to_fraction(x: float) -> Fraction:
    """A float as the fraction of its shortest decimal text (0.1 -> 1/10)."""
    return Fraction(repr(float(x)))


# ---------------------------------------------------------------------------------------
# Arrays


def check_game_size(shape: Sequence[int], n_arrays: int, exact: bool = False,
                    field: str = "payoffs") -> int:
    """Estimate the bytes of ``n_arrays`` dense arrays of ``shape`` and refuse a game too
    large for memory before anything is allocated.

    Returns
    -------
    int
        The estimated size in bytes.

    Raises
    ------
    GameTooLargeError
        When the estimate exceeds :data:`MAX_GAME_BYTES`.
    """
    entries = n_arrays * math.prod(int(a) for a in shape)
    size = entries * (_EXACT_ENTRY_BYTES if exact else _FLOAT_ENTRY_BYTES)
    if size > MAX_GAME_BYTES:
        dims = " x ".join(str(int(a)) for a in shape)
        raise GameTooLargeError(
            f"{field}: a {dims} game with {n_arrays} payoff arrays needs about "
            f"{size / 2**30:.1f} GiB, expected at most {MAX_GAME_BYTES / 2**30:.1f} GiB "
            f"(set MASALIGN_MAX_GAME_BYTES to raise the limit)")
    return size


def to_array(data: Any, field: str) -> np.ndarray:
    """``data`` as an ndarray, rejecting ragged nesting and non-numbers (strings,
    booleans, complex numbers, None, ...) with the first offending value and its place."""
    if isinstance(data, np.ndarray):
        arr = data
    else:
        try:
            arr = np.array(data)
        except ValueError as err:
            raise InvalidGameError(
                f"{field}: expected a rectangular array of numbers, found ragged nesting "
                f"({err})") from None
    if arr.dtype.kind in "iuf":
        if not isinstance(data, np.ndarray):  # numpy turns [True, 2] into [1, 2]
            index = _find_boolean(data)
            if index is not None:
                raise InvalidGameError(f"{field}: expected numbers, found the boolean "
                                       f"{_item(data, index)} {_position(field, index)}")
        return arr
    if arr.dtype.kind in "bc" and arr.size:
        index = _first_offender(arr)
        real = "real " if arr.dtype.kind == "c" else ""
        raise InvalidGameError(
            f"{field}: expected {real}numbers, found {_describe(arr[index])} "
            f"{_position(field, index)}")
    if arr.dtype.kind != "O":
        if not arr.size:
            raise InvalidGameError(f"{field}: expected numbers, found an empty array of "
                                   f"{_kind_name(arr.dtype)}")
        # numpy turned the numbers beside a string into strings: look at the input itself
        if not isinstance(data, np.ndarray):
            try:
                original = np.array(data, dtype=object)
            except ValueError:
                original = None
            if original is not None and original.shape == arr.shape:
                for index, x in np.ndenumerate(original):
                    if not _is_real_number(x):
                        raise InvalidGameError(f"{field}: expected numbers, found "
                                               f"{_describe(x)} {_position(field, index)}")
        index = (0,) * arr.ndim
        raise InvalidGameError(f"{field}: expected numbers, found {_describe(arr[index])} "
                               f"{_position(field, index)}")
    for index, x in np.ndenumerate(arr):
        if isinstance(x, (list, tuple, np.ndarray)):
            raise InvalidGameError(
                f"{field}: expected a rectangular array of numbers, found ragged nesting "
                f"{_position(field, index)}")
        if not _is_real_number(x):
            raise InvalidGameError(
                f"{field}: expected {'real ' if isinstance(x, complex) else ''}numbers, found "
                f"{_describe(x)} {_position(field, index)}")
    return arr


def _is_real_number(x: Any) -> bool:
    return isinstance(x, (int, float, Fraction, Decimal, np.integer, np.floating)) \
        and not isinstance(x, (bool, np.bool_))


def _find_boolean(data: Any) -> tuple[int, ...] | None:
    """The index of the first boolean in nested lists and tuples, or None."""
    stack = [(data, ())]
    while stack:
        item, index = stack.pop()
        if isinstance(item, (bool, np.bool_)):
            return index
        if isinstance(item, (list, tuple)):
            stack.extend((x, (*index, k)) for k, x in reversed(list(enumerate(item))))
    return None


def _item(data: Any, index: tuple[int, ...]) -> Any:
    for k in index:
        data = data[k]
    return data


def _first_offender(arr: np.ndarray) -> tuple[int, ...]:
    """The first entry of a boolean or complex array that is not a plain real number."""
    if arr.dtype.kind == "c":
        bad = np.argwhere(arr.imag != 0)
        if len(bad):
            return tuple(int(i) for i in bad[0])
    return (0,) * arr.ndim


def _kind_name(dtype: np.dtype) -> str:
    return {"U": "strings", "S": "byte strings", "b": "booleans", "M": "dates",
            "m": "time spans"}.get(dtype.kind, f"{dtype.kind!r}-kind values")


def _describe(x: Any) -> str:
    """A value as the error messages show it: ``a string 'abc'``, ``the boolean True``."""
    if isinstance(x, (str, np.str_)):
        return f"a string {_clip(str(x))}"
    if isinstance(x, (bytes, np.bytes_)):
        return f"bytes {_clip(bytes(x))}"
    if isinstance(x, (bool, np.bool_)):
        return f"the boolean {bool(x)}"
    if isinstance(x, (complex, np.complexfloating)):
        return f"the complex number {complex(x)}"
    if x is None:
        return "None"
    return f"{type(x).__name__} {_clip(x)}"


def _clip(x: Any, limit: int = 40) -> str:
    text = repr(x)
    return text if len(text) <= limit else text[:limit] + "..."


def _position(field: str, index: tuple) -> str:
    """Where an entry is: ``for player 1 at profile (0, 1)`` in the payoffs, else its
    index."""
    index = tuple(int(i) for i in index)
    if not index:
        return "(a single value, not an array)"
    if field == "payoffs" and len(index) >= 2:
        return f"for player {index[0]} at profile {index[1:]}"
    return f"at {index}"


def _is_exact_array(arr: np.ndarray) -> bool:
    if arr.dtype.kind in "biu":
        return True
    if arr.dtype.kind == "f":
        return False
    return all(_exact_scalar(x) is not None for x in arr.flat)


def _convert(arr: np.ndarray, exact: bool, field: str, player_axis_name: str) -> np.ndarray:
    """Convert to float64 or to an object array of Fractions, checking finiteness."""
    if exact:
        out = np.empty(arr.shape, dtype=object)
        flat_in = arr.ravel()
        flat_out = out.ravel()
        for k, x in enumerate(flat_in):
            q = _exact_scalar(x)
            if q is None:
                xf = float(x)
                if not math.isfinite(xf):
                    _raise_not_finite(field, player_axis_name, np.unravel_index(k, arr.shape), xf)
                q = _float_to_fraction(xf)
            flat_out[k] = q
        return out
    try:
        out = np.array(arr, dtype=np.float64)
    except (OverflowError, ValueError, TypeError) as err:
        raise InvalidGameError(f"{field}: expected numbers convertible to float ({err})") from None
    bad = ~np.isfinite(out)
    if bad.any():
        first = tuple(int(i) for i in np.argwhere(bad)[0])
        _raise_not_finite(field, player_axis_name, first, out[first])
    return out


def _raise_not_finite(field: str, axis_name: str, index: tuple, value: Any) -> None:
    raise InvalidGameError(
        f"{field}: expected finite numbers, found {value} for {axis_name} {index[0]} at "
        f"profile {tuple(int(i) for i in index[1:])}")


def _freeze(arr: np.ndarray) -> np.ndarray:
    arr.flags.writeable = False
    return arr


def _check_names(names: Any, count: int, field: str) -> tuple[str, ...]:
    if isinstance(names, str) or not isinstance(names, Iterable):
        raise InvalidGameError(f"{field}: expected a sequence of {count} names, found {names!r}")
    names = tuple(names)
    if len(names) != count:
        raise InvalidGameError(
            f"{field}: expected {count} names, found {len(names)}: {names!r}")
    for name in names:
        if not isinstance(name, str):
            raise InvalidGameError(
                f"{field}: expected names as strings, found {type(name).__name__} {name!r}")
    seen = set()
    for name in names:
        if name in seen:
            raise InvalidGameError(f"{field}: expected distinct names, found {name!r} twice")
        seen.add(name)
    return names


def json_array(arr: np.ndarray) -> Any:
    """An array as nested lists of JSON numbers (exact values as ints or 'p/q' strings)."""
    if arr.dtype == object:
        if not arr.size:
            return arr.tolist()
        return np.vectorize(json_number, otypes=[object])(arr).tolist()
    return arr.tolist()


def json_number(x: Any) -> int | float | str:
    """A number as every ``to_dict`` and JSON file writes it: an integer (or integral
    Fraction) as an int, another Fraction as the string ``'p/q'``, anything else as a float.

    Examples
    --------
    >>> json_number(Fraction(3, 4)), json_number(Fraction(4, 2)), json_number(0.5)
    ('3/4', 2, 0.5)
    """
    if isinstance(x, Fraction):
        return x.numerator if x.denominator == 1 else f"{x.numerator}/{x.denominator}"
    if isinstance(x, (int, np.integer)) and not isinstance(x, (bool, np.bool_)):
        return int(x)
    return float(x)


def _from_json_numbers(data: Any, field: str) -> np.ndarray:
    """Inverse of :func:`json_array`: strings 'p/q' become Fractions (parsed, never evaluated)."""
    try:
        arr = np.array(data, dtype=object)
    except ValueError as err:
        raise InvalidGameError(
            f"{field}: expected a rectangular array of numbers, found ragged nesting ({err})"
        ) from None
    out = np.empty(arr.shape, dtype=object)
    for index, x in np.ndenumerate(arr):
        if isinstance(x, (list, tuple)):
            raise InvalidGameError(
                f"{field}: expected a rectangular array of numbers, found ragged nesting "
                f"{_position(field, index)}")
        if isinstance(x, str):
            try:
                x = parse_number(x)
            except ValueError:
                raise InvalidGameError(
                    f"{field}: expected a number or a fraction 'p/q', found {_describe(x)} "
                    f"{_position(field, index)}") from None
        elif isinstance(x, bool) or not isinstance(x, (int, float)):
            raise InvalidGameError(
                f"{field}: expected a number, found {_describe(x)} {_position(field, index)}")
        out[index] = x
    return out


# ---------------------------------------------------------------------------------------
# The game


class Game:
    r"""An immutable n-player normal-form game with evaluation layers.

    ``payoffs[i][a_1, ..., a_n]`` is player ``i``'s payoff (incentive) at the pure
    profile :math:`(a_1, \dots, a_n)`; ``layers[name][k][a_1, ..., a_n]`` is criterion
    ``k`` of the evaluation layer ``name`` at that profile.

    Parameters
    ----------
    payoffs : array_like, shape (n_players, a_1, ..., a_n)
        Payoffs of each player. Integers, fractions and decimals give an exact game
        (object array of :class:`~fractions.Fraction`); floats a float64 game.
    players : sequence of str, optional
        Player names (default ``"Player 1"``, ...).
    actions : sequence of sequence of str, optional
        Action names per player (default ``"1"``, ``"2"``, ...).
    layers : mapping, optional
        Evaluation layers: name -> array of shape ``(k, a_1, ..., a_n)`` (or of the
        game's shape, k = 1), or name -> {criterion name: array of the game's shape}.
        ``"objective"`` defaults to the payoffs when absent.
    criteria : mapping, optional
        Criterion names of array-form layers: name -> k names. Default: the player
        names when k equals the number of players, else ``"<layer> 1"``, ...
    title : str
        A free-text title.
    exact : bool, optional
        Force exact (True: floats become the fraction of their shortest decimal text) or
        float (False) arithmetic. Default: exact iff every payoff is exact.

    Raises
    ------
    InvalidGameError
        Non-finite values, ragged or mis-shaped arrays, empty action sets, wrong name
        counts, duplicate names, layers of the wrong shape.
    GameTooLargeError
        A game whose dense arrays would not fit in memory.

    Examples
    --------
    >>> g = Game.from_bimatrix([[3, 0], [5, 1]], [[3, 5], [0, 1]])
    >>> g.shape, g.exact
    ((2, 2), True)
    >>> g.regret([(1, 0), (1, 0)])
    Fraction(2, 1)
    """

    __slots__ = ("_payoffs", "_float", "_players", "_actions", "_layers", "_criteria",
                 "_all_layers", "_all_criteria", "_title", "_exact", "_integer", "_digest")

    def __init__(self, payoffs: Any, players: Sequence[str] | None = None,
                 actions: Sequence[Sequence[str]] | None = None,
                 layers: Mapping[str, Any] | None = None,
                 criteria: Mapping[str, Sequence[str]] | None = None,
                 title: str = "", exact: bool | None = None) -> None:
        if isinstance(payoffs, Game):
            raise InvalidGameError("payoffs: expected an array, found a Game (Games are immutable; "
                                   "use the Game itself)")
        arr = to_array(payoffs, "payoffs")
        if arr.ndim < 2:
            raise InvalidGameError(
                f"payoffs: expected an array of shape (n_players, a_1, ..., a_n), found "
                f"shape {arr.shape}")
        n = arr.shape[0]
        if arr.ndim != n + 1:
            raise InvalidGameError(
                f"payoffs: expected {arr.ndim - 1} players for {arr.ndim - 1} action axes "
                f"(shape (n_players, a_1, ..., a_n)), found shape {arr.shape} with "
                f"{n} payoff arrays")
        shape = tuple(int(a) for a in arr.shape[1:])
        for i, a in enumerate(shape):
            if a == 0:
                raise InvalidGameError(
                    f"actions: expected at least one action for every player, found none "
                    f"for player {i} (payoffs shape {arr.shape})")
        if exact is not None and not isinstance(exact, (bool, np.bool_)):
            raise InvalidArgumentError(f"exact: expected True, False or None, found "
                                       f"{type(exact).__name__} {exact!r}")
        if exact is None:
            exact = _is_exact_array(arr)
        exact = bool(exact)
        check_game_size(shape, n, exact)
        self._exact = exact
        self._payoffs = _freeze(_convert(arr, exact, "payoffs", "player"))
        self._float = None
        self._integer = None
        if players is None:
            players = tuple(f"Player {i + 1}" for i in range(n))
        self._players = _check_names(players, n, "players")
        if actions is None:
            actions = [tuple(str(k + 1) for k in range(a)) for a in shape]
        if isinstance(actions, str) or not isinstance(actions, Iterable):
            raise InvalidGameError(f"actions: expected one sequence of names per player, "
                                   f"found {actions!r}")
        actions = tuple(actions)
        if len(actions) != n:
            raise InvalidGameError(
                f"actions: expected {n} sequences of names (one per player), found {len(actions)}")
        self._actions = tuple(
            _check_names(names, a, f"actions of player {i} ({self._players[i]!r})")
            for i, (names, a) in enumerate(zip(actions, shape)))
        if not isinstance(title, str):
            raise InvalidGameError(f"title: expected a string, found {type(title).__name__}")
        self._title = title
        self._layers, self._criteria = self._check_layers(layers or {}, criteria or {})
        all_layers = dict(self._layers)
        all_criteria = dict(self._criteria)
        if "objective" not in all_layers:
            all_layers = {"objective": self._payoffs, **all_layers}
            all_criteria = {"objective": self._players, **all_criteria}
        self._all_layers = MappingProxyType(all_layers)
        self._all_criteria = MappingProxyType(all_criteria)
        self._digest = None

    def _check_layers(self, layers: Mapping[str, Any], criteria: Mapping[str, Sequence[str]]
                      ) -> tuple[MappingProxyType, MappingProxyType]:
        if not isinstance(layers, Mapping):
            raise InvalidGameError(f"layers: expected a mapping from layer name to array, "
                                   f"found {type(layers).__name__}")
        if not isinstance(criteria, Mapping):
            raise InvalidGameError(f"criteria: expected a mapping from layer name to names, "
                                   f"found {type(criteria).__name__}")
        for name in criteria:
            if name not in layers:
                raise InvalidGameError(f"criteria: names given for {name!r}, which is not a layer")
        out, names_out = {}, {}
        shape = self.shape
        for name, data in layers.items():
            if not isinstance(name, str) or not name:
                raise InvalidGameError(f"layers: expected non-empty string names, found {name!r}")
            field = f"layers[{name!r}]"
            if isinstance(data, Mapping):
                if not data:
                    raise InvalidGameError(f"{field}: expected at least one criterion, found none")
                if name in criteria:
                    raise InvalidGameError(
                        f"criteria[{name!r}]: names are already the keys of the layer's mapping")
                names = _check_names(list(data.keys()), len(data), f"{field} criteria")
                parts = [to_array(v, f"{field}[{k!r}]") for k, v in data.items()]
                for k, part in zip(names, parts):
                    if part.shape != shape:
                        raise InvalidGameError(
                            f"{field}[{k!r}]: expected shape {shape} (the game's actions), "
                            f"found {part.shape}")
                if any(p.dtype == object for p in parts):
                    parts = [p.astype(object) for p in parts]
                arr = np.stack(parts)
            else:
                arr = to_array(data, field)
                if arr.shape == shape:
                    arr = arr[np.newaxis]
                if arr.ndim != len(shape) + 1 or arr.shape[1:] != shape:
                    raise InvalidGameError(
                        f"{field}: expected shape (k, {', '.join(map(str, shape))}) or "
                        f"{shape}, found {arr.shape}")
                if arr.shape[0] == 0:
                    raise InvalidGameError(f"{field}: expected at least one criterion, found none")
                k = arr.shape[0]
                if name in criteria:
                    names = _check_names(criteria[name], k, f"criteria[{name!r}]")
                elif k == self.n_players:
                    names = self._players
                elif k == 1:
                    names = (name,)
                else:
                    names = tuple(f"{name} {j + 1}" for j in range(k))
            check_game_size(shape, arr.shape[0], self._exact, field)
            exact = _is_exact_array(arr)
            out[name] = _freeze(_convert(arr, exact, field, "criterion"))
            names_out[name] = names
        return MappingProxyType(out), MappingProxyType(names_out)

    # -- construction ---------------------------------------------------------------

    @classmethod
    def from_bimatrix(cls, A: Any, B: Any = None, **kwargs: Any) -> "Game":
        """A two-player game from the row player's matrix ``A`` and the column player's
        ``B`` (omitted: zero-sum, ``B = -A``).

        Examples
        --------
        >>> Game.from_bimatrix([[1, -1], [-1, 1]]).payoffs[1].tolist()
        [[Fraction(-1, 1), Fraction(1, 1)], [Fraction(1, 1), Fraction(-1, 1)]]
        """
        A = to_array(A, "A")
        if A.ndim != 2:
            raise InvalidGameError(f"A: expected a matrix (2 dimensions), found shape {A.shape}")
        if B is None:
            B = -A
        else:
            B = to_array(B, "B")
            if B.shape != A.shape:
                raise InvalidGameError(f"B: expected shape {A.shape} like A, found {B.shape}")
        if A.dtype == object or B.dtype == object:
            payoffs = np.stack([A.astype(object), B.astype(object)])
        else:
            payoffs = np.stack([A, B])
        return cls(payoffs, **kwargs)

    def replace(self, **changes: Any) -> "Game":
        """A copy with some of ``payoffs``, ``players``, ``actions``, ``layers``,
        ``criteria``, ``title``, ``exact`` replaced."""
        args = dict(payoffs=self._payoffs, players=self._players, actions=self._actions,
                    layers=self._layers, criteria=self._criteria, title=self._title,
                    exact=self._exact)
        unknown = set(changes) - set(args)
        if unknown:
            raise InvalidGameError(f"replace: unknown fields {sorted(unknown)}, expected some of "
                                   f"{sorted(args)}")
        if "layers" in changes and "criteria" not in changes:
            args["criteria"] = {k: v for k, v in self._criteria.items()
                                if k in (changes["layers"] or {})
                                and not isinstance(changes["layers"][k], Mapping)}
        args.update(changes)
        return Game(**args)

    def to_float(self) -> "Game":
        """The same game with float64 payoffs and layers."""
        if not self._exact and all(v.dtype != object for v in self._layers.values()):
            return self
        layers = {k: np.asarray(v, dtype=np.float64) for k, v in self._layers.items()}
        return self.replace(payoffs=self.float_payoffs, layers=layers, exact=False)

    def with_arithmetic(self, exact: bool | None) -> "Game":
        """The game in exact (True) or float (False) arithmetic; None keeps its own."""
        if exact is None or bool(exact) == self._exact:
            return self
        return self.to_exact() if exact else self.to_float()

    def to_exact(self) -> "Game":
        """The same game with exact payoffs (each float becomes the fraction of its
        shortest decimal text: 0.1 -> 1/10)."""
        if self._exact:
            return self
        return self.replace(exact=True)

    # -- properties -------------------------------------------------------------------

    @property
    def payoffs(self) -> np.ndarray:
        """Payoffs, shape ``(n_players, a_1, ..., a_n)`` (read-only)."""
        return self._payoffs

    @property
    def float_payoffs(self) -> np.ndarray:
        """Payoffs as float64 (the same array for a float game)."""
        if not self._exact:
            return self._payoffs
        if self._float is None:
            object.__setattr__(self, "_float", _freeze(self._payoffs.astype(np.float64)))
        return self._float

    def integer_payoffs(self) -> tuple[np.ndarray, tuple[int, ...]]:
        """Exact payoffs scaled to integers: ``payoffs[i] == ints[i] / scale[i]``.

        Each player's payoffs are multiplied by the least common multiple of their
        denominators (a positive scaling, so best responses are unchanged). ``ints`` is
        int64 when every value fits, else an object array of Python ints.

        Raises
        ------
        InvalidGameError
            On a float game.
        """
        if not self._exact:
            raise InvalidGameError("payoffs: integer payoffs need an exact game, found a float "
                                   "game")
        if self._integer is None:
            denominators = np.frompyfunc(lambda x: x.denominator, 1, 1)(self._payoffs)
            scales = tuple(math.lcm(*(int(d) for d in set(denominators[i].flat)))
                           for i in range(self.n_players))
            to_int = np.frompyfunc(lambda x, m: x.numerator * (m // x.denominator), 2, 1)
            ints = np.stack([to_int(self._payoffs[i], scales[i]) for i in range(self.n_players)])
            if ints.size and max(abs(int(ints.max())), abs(int(ints.min()))) < 2**62:
                ints = ints.astype(np.int64)
            object.__setattr__(self, "_integer", (_freeze(ints), scales))
        return self._integer

    @property
    def players(self) -> tuple[str, ...]:
        return self._players

    @property
    def actions(self) -> tuple[tuple[str, ...], ...]:
        return self._actions

    @property
    def layers(self) -> Mapping[str, np.ndarray]:
        """Evaluation layers, name -> array ``(k, a_1, ..., a_n)``; includes
        ``"objective"`` (the payoffs) when no objective layer was given."""
        return self._all_layers

    @property
    def criteria(self) -> Mapping[str, tuple[str, ...]]:
        """Criterion names of each layer in :attr:`layers`."""
        return self._all_criteria

    @property
    def explicit_layers(self) -> Mapping[str, np.ndarray]:
        """The layers given at construction (without the default objective)."""
        return self._layers

    @property
    def title(self) -> str:
        return self._title

    @property
    def exact(self) -> bool:
        """True when payoffs are exact fractions."""
        return self._exact

    @property
    def n_players(self) -> int:
        return self._payoffs.shape[0]

    @property
    def shape(self) -> tuple[int, ...]:
        """Number of actions of each player."""
        return self._payoffs.shape[1:]

    @property
    def n_profiles(self) -> int:
        """Number of pure strategy profiles."""
        return math.prod(self.shape)

    def __reduce__(self) -> tuple:
        return (_rebuild, (self._payoffs, self._players, self._actions, dict(self._layers),
                           dict(self._criteria), self._title, self._exact))

    def __setattr__(self, name: str, value: Any) -> None:
        if hasattr(self, "_digest"):
            raise AttributeError(f"Game is immutable: cannot set {name!r}")
        object.__setattr__(self, name, value)

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"Game is immutable: cannot delete {name!r}")

    # -- indices ------------------------------------------------------------------------

    def player_index(self, player: int | str) -> int:
        """Index of a player given by index or name."""
        if isinstance(player, str):
            try:
                return self._players.index(player)
            except ValueError:
                raise InvalidGameError(
                    f"player: expected one of {self._players}, found {player!r}") from None
        if isinstance(player, (int, np.integer)) and not isinstance(player, bool) \
                and 0 <= player < self.n_players:
            return int(player)
        raise InvalidGameError(
            f"player: expected an index 0..{self.n_players - 1} or a name, found {player!r}")

    def action_index(self, player: int | str, action: int | str) -> int:
        """Index of ``player``'s action given by index or name."""
        i = self.player_index(player)
        names = self._actions[i]
        if isinstance(action, str):
            try:
                return names.index(action)
            except ValueError:
                raise InvalidGameError(
                    f"action of player {i} ({self._players[i]!r}): expected one of {names}, "
                    f"found {action!r}") from None
        if isinstance(action, (int, np.integer)) and not isinstance(action, bool) \
                and 0 <= action < len(names):
            return int(action)
        raise InvalidGameError(
            f"action of player {i} ({self._players[i]!r}): expected an index "
            f"0..{len(names) - 1} or a name, found {action!r}")

    # -- profiles -----------------------------------------------------------------------

    def strategies(self, profile: Any) -> tuple[np.ndarray, ...]:
        """A profile as one probability vector per player.

        ``profile`` is an object with ``.strategies`` (an equilibrium), or a sequence
        with one entry per player: an action (index or name) or a probability vector.
        Vectors are exact (Fractions) when the game and every probability are exact.

        Raises
        ------
        InvalidGameError
            Wrong number of entries, wrong lengths, negative probabilities, or
            probabilities that do not sum to 1.
        """
        if hasattr(profile, "strategies") and not callable(profile.strategies):
            profile = profile.strategies
        if isinstance(profile, (str, bytes)) or not isinstance(profile, Iterable):
            raise InvalidGameError(
                f"profile: expected one action or probability vector per player, found {profile!r}")
        profile = list(profile)
        if len(profile) != self.n_players:
            raise InvalidGameError(
                f"profile: expected {self.n_players} entries (one per player), "
                f"found {len(profile)}")
        exact = self._exact
        raw = []
        for i, entry in enumerate(profile):
            if isinstance(entry, (str, int, np.integer)) and not isinstance(entry, bool):
                vec = np.zeros(self.shape[i], dtype=object)
                vec[:] = Fraction(0)
                vec[self.action_index(i, entry)] = Fraction(1)
                raw.append(vec)
                continue
            arr = to_array(entry, f"profile[{i}]")
            if arr.shape != (self.shape[i],):
                raise InvalidGameError(
                    f"profile[{i}]: expected {self.shape[i]} probabilities for player {i} "
                    f"({self._players[i]!r}), found shape {arr.shape}")
            if exact and not _is_exact_array(arr):
                exact = False
            raw.append(arr)
        out = []
        for i, arr in enumerate(raw):
            if exact:
                vec = np.array([_exact_scalar(x) for x in arr], dtype=object)
                if any(p < 0 for p in vec) or sum(vec) != 1:
                    raise InvalidGameError(
                        f"profile[{i}]: expected probabilities >= 0 summing to 1, found "
                        f"{[format_number(p) for p in vec]}")
            else:
                vec = np.asarray(arr, dtype=np.float64)
                if not np.all(np.isfinite(vec)) or vec.min() < -1e-12 or abs(vec.sum() - 1) > 1e-9:
                    raise InvalidGameError(
                        f"profile[{i}]: expected finite probabilities >= 0 summing to 1, "
                        f"found {vec.tolist()}")
            out.append(vec)
        return tuple(out)

    def action_payoffs(self, profile: Any) -> tuple[np.ndarray, ...]:
        """Payoff of each pure action of each player against the others' strategies:
        ``out[i][a] = u_i(a, s_{-i})``."""
        strategies = self.strategies(profile)
        exact = strategies[0].dtype == object
        payoffs = self._payoffs if exact else self.float_payoffs
        n = self.n_players
        out = []
        for i in range(n):
            arr = payoffs[i]
            for j in reversed(range(n)):
                if j != i:
                    arr = np.tensordot(arr, strategies[j], axes=([j], [0]))
            out.append(arr)
        return tuple(out)

    def expected_payoffs(self, profile: Any) -> np.ndarray:
        r"""Expected payoff of each player, :math:`u_i(s) = \sum_a \prod_j s_j(a_j) u_i(a)`.

        Examples
        --------
        >>> g = Game.from_bimatrix([[1, -1], [-1, 1]])
        >>> g.expected_payoffs([[Fraction(1, 2)] * 2, [1, 0]]).tolist()
        [Fraction(0, 1), Fraction(0, 1)]
        """
        strategies = self.strategies(profile)
        per_action = self.action_payoffs(strategies)
        return np.array([per_action[i] @ strategies[i] for i in range(self.n_players)],
                        dtype=per_action[0].dtype)

    def regret(self, profile: Any, per_player: bool = False) -> Any:
        r"""The certificate of a profile: the largest gain any player gets by a unilateral
        deviation, :math:`\max_i (\max_{a_i} u_i(a_i, s_{-i}) - u_i(s))`. Zero exactly at
        a Nash equilibrium. Exact (a Fraction) when the game and profile are exact.

        Parameters
        ----------
        per_player : bool
            Return each player's gain (an array) instead of the largest.
        """
        strategies = self.strategies(profile)
        per_action = self.action_payoffs(strategies)
        gains = [per_action[i].max() - per_action[i] @ strategies[i] for i in range(self.n_players)]
        if strategies[0].dtype == object:
            gains = [max(Fraction(0), g) for g in gains]
            return np.array(gains, dtype=object) if per_player else max(gains)
        gains = np.maximum(np.array(gains, dtype=np.float64), 0.0)
        return gains if per_player else float(gains.max())

    # -- sub-games ----------------------------------------------------------------------

    def restrict(self, actions: Sequence[Any] | Mapping[Any, Any]) -> "Game":
        """The sub-game keeping, for each player, the given actions in the given order.

        ``actions`` has one entry per player (``None`` keeps all; otherwise indices or
        names), or maps players (index or name) to their kept actions. Layers are
        restricted alike; reordering actions relabels them.
        """
        if isinstance(actions, Mapping):
            kept: list[Any] = [None] * self.n_players
            for player, acts in actions.items():
                kept[self.player_index(player)] = acts
        else:
            if isinstance(actions, str) or not isinstance(actions, Iterable):
                raise InvalidGameError(f"actions: expected one entry per player, found {actions!r}")
            kept = list(actions)
            if len(kept) != self.n_players:
                raise InvalidGameError(
                    f"actions: expected {self.n_players} entries (one per player), "
                    f"found {len(kept)}")
        index = []
        for i, acts in enumerate(kept):
            if acts is None:
                index.append(np.arange(self.shape[i]))
                continue
            if isinstance(acts, (str, int, np.integer)):
                acts = [acts]
            idx = [self.action_index(i, a) for a in acts]
            if not idx:
                raise InvalidGameError(
                    f"actions of player {i} ({self._players[i]!r}): expected at least one "
                    f"action to keep, found none")
            if len(set(idx)) != len(idx):
                raise InvalidGameError(
                    f"actions of player {i} ({self._players[i]!r}): expected distinct "
                    f"actions, found {list(acts)!r}")
            index.append(np.asarray(idx))
        grid = np.ix_(*index)

        def cut(arr: np.ndarray) -> np.ndarray:
            return np.stack([a[grid] for a in arr])

        return Game(cut(self._payoffs),
                    players=self._players,
                    actions=[tuple(self._actions[i][k] for k in idx)
                             for i, idx in enumerate(index)],
                    layers={k: cut(v) for k, v in self._layers.items()},
                    criteria=dict(self._criteria), title=self._title, exact=self._exact)

    # -- identity -----------------------------------------------------------------------

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Game):
            return NotImplemented
        if self is other:
            return True
        return (self._exact == other._exact and self._players == other._players
                and self._actions == other._actions and self._title == other._title
                and self._criteria == other._criteria
                and self._layers.keys() == other._layers.keys()
                and np.array_equal(self._payoffs, other._payoffs)
                and all(np.array_equal(v, other._layers[k]) for k, v in self._layers.items()))

    def __hash__(self) -> int:
        return int(self.digest[:16], 16)

    @property
    def digest(self) -> str:
        """A stable SHA-256 of the game (names, title, payoffs, layers): the same across
        processes and sessions for equal games."""
        if self._digest is None:
            h = hashlib.sha256()
            header = repr((_DIGEST_VERSION, self._exact, self._title, self._players,
                           self._actions, sorted((k, self._criteria[k]) for k in self._layers)))
            h.update(header.encode())
            for arr in [self._payoffs] + [self._layers[k] for k in sorted(self._layers)]:
                h.update(b"|")
                if arr.dtype == object:
                    h.update(",".join(format_number(x) for x in arr.flat).encode())
                else:
                    h.update(np.ascontiguousarray(arr + 0.0).tobytes())
            object.__setattr__(self, "_digest", h.hexdigest())
        return self._digest

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready description (exact values as ints or ``"p/q"`` strings)."""
        return {
            "format": "masalign.game",
            "version": 1,
            "title": self._title,
            "players": list(self._players),
            "actions": [list(a) for a in self._actions],
            "exact": self._exact,
            "payoffs": json_array(self._payoffs),
            "layers": {name: {"criteria": list(self._criteria[name]), "values": json_array(arr)}
                       for name, arr in self._layers.items()},
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "Game":
        """Inverse of :meth:`to_dict`.

        Raises
        ------
        InvalidGameError
            A missing or malformed field, named in the message.
        """
        if not isinstance(data, Mapping):
            raise InvalidGameError(f"game: expected a JSON object, found {type(data).__name__}")
        if data.get("format") != "masalign.game":
            raise InvalidGameError(
                f"format: expected 'masalign.game', found {data.get('format')!r}")
        if data.get("version") != 1 or isinstance(data.get("version"), bool):
            raise InvalidGameError(f"version: expected 1, found {data.get('version')!r}")
        if "payoffs" not in data:
            raise InvalidGameError("payoffs: expected the payoff array, found no 'payoffs' field")
        layers_in = data.get("layers", {}) or {}
        if not isinstance(layers_in, Mapping):
            raise InvalidGameError(f"layers: expected an object, found {type(layers_in).__name__}")
        layers, criteria = {}, {}
        for name, spec in layers_in.items():
            if not isinstance(spec, Mapping) or "values" not in spec:
                raise InvalidGameError(
                    f"layers[{name!r}]: expected an object with 'values' and 'criteria'")
            layers[name] = _from_json_numbers(spec["values"], f"layers[{name!r}]")
            if "criteria" in spec:
                criteria[name] = spec["criteria"]
        exact = data.get("exact")
        if exact is not None and not isinstance(exact, bool):
            raise InvalidGameError(f"exact: expected true or false, found {exact!r}")
        title = data.get("title", "")
        return cls(_from_json_numbers(data["payoffs"], "payoffs"),
                   players=data.get("players"), actions=data.get("actions"),
                   layers=layers, criteria=criteria, title=title, exact=exact)

    # -- display ------------------------------------------------------------------------

    def __repr__(self) -> str:
        dims = " x ".join(str(a) for a in self.shape)
        title = f"{self._title!r}, " if self._title else ""
        layers = f", layers={tuple(self._all_layers)}" if self._layers else ""
        kind = "exact" if self._exact else "float"
        return f"Game({title}{self.n_players} players {self._players}, {dims}, {kind}{layers})"

    def _cell(self, profile: tuple[int, ...]) -> str:
        return ", ".join(format_number(self._payoffs[(i, *profile)]) for i in range(self.n_players))

    def __str__(self) -> str:
        return self.to_text()

    def to_text(self, max_rows: int = 40) -> str:
        """A plain-text payoff table (a bimatrix for two players, else one row a profile)."""
        lines = [self._title or repr(self)]
        if self.n_players == 2:
            rows, cols = self.shape
            header = [f"{self._players[0]} \\ {self._players[1]}"] + list(self._actions[1])
            table = [header]
            for r in range(min(rows, max_rows)):
                table.append([self._actions[0][r]] + [self._cell((r, c)) for c in range(cols)])
            widths = [max(len(row[k]) for row in table) for k in range(len(header))]
            for row in table:
                lines.append("  ".join(cell.rjust(w) for cell, w in zip(row, widths)))
            if rows > max_rows:
                lines.append(f"... {rows - max_rows} more rows")
        else:
            table = [list(self._players) + ["payoffs"]]
            for k, profile in enumerate(np.ndindex(*self.shape)):
                if k == max_rows:
                    break
                table.append([self._actions[i][a] for i, a in enumerate(profile)]
                             + [f"({self._cell(profile)})"])
            widths = [max(len(row[c]) for row in table) for c in range(len(table[0]))]
            for row in table:
                lines.append("  ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip())
            if self.n_profiles > max_rows:
                lines.append(f"... {self.n_profiles - max_rows} more profiles")
        return "\n".join(lines)

    def _repr_html_(self, max_rows: int = 30) -> str:
        esc = html.escape
        caption = f"<caption>{esc(repr(self))}</caption>"
        if self.n_players == 2:
            rows, cols = self.shape
            head = "".join(f"<th>{esc(a)}</th>" for a in self._actions[1][:max_rows])
            body = []
            for r in range(min(rows, max_rows)):
                cells = "".join(f"<td>{esc(self._cell((r, c)))}</td>"
                                for c in range(min(cols, max_rows)))
                body.append(f"<tr><th>{esc(self._actions[0][r])}</th>{cells}</tr>")
            corner = f"{esc(self._players[0])} \\ {esc(self._players[1])}"
            return (f"<table>{caption}<tr><th>{corner}</th>{head}</tr>{''.join(body)}</table>")
        rows = "".join(
            f"<tr><td>{esc(p)}</td><td>{len(a)}</td><td>{esc(', '.join(a[:10]))}"
            f"{' ...' if len(a) > 10 else ''}</td></tr>"
            for p, a in zip(self._players, self._actions))
        head = "<tr><th>player</th><th>actions</th><th>names</th></tr>"
        return f"<table>{caption}{head}{rows}</table>"


def _rebuild(payoffs, players, actions, layers, criteria, title, exact) -> Game:
    """Unpickle a :class:`Game`."""
    return Game(payoffs, players=players, actions=actions, layers=layers, criteria=criteria,
                title=title, exact=exact)
