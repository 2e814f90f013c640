"""Conversions between :class:`~games.Game` and the game objects of other libraries.

Every third-party library is imported lazily, inside the function that needs it, so
``import games`` never pays for it; a missing library raises :class:`MissingDependencyError`
(an :class:`ImportError`) that says what to install.

=============================  =====================================================
``from_nashpy``/``to_nashpy``  ``nashpy.Game`` (two players, ``payoff_matrices``)
``from_quantecon``/...         ``quantecon.game_theory.NormalFormGame`` (n players)
``from_gambit``/``to_gambit``  ``pygambit.Game`` (n players, exact rationals)
``from_arrays``                plain nested lists or numpy arrays (documented layouts)
``to_payoff_profile_array``    QuantEcon's ``(a_1, ..., a_n, n)`` layout
=============================  =====================================================

Evaluation layers have no counterpart in these libraries: the ``to_*`` functions convert
the payoffs (incentives), player and action names and the title only.
"""

from __future__ import annotations

import importlib
import itertools
from collections.abc import Sequence
from decimal import Decimal
from fractions import Fraction
from typing import Any

import numpy as np

from games.arguments import check_flag
from games.errors import GameError, InvalidArgumentError, InvalidGameError
from games.model import Game, to_array

__all__ = [
    "MissingDependencyError",
    "LAYOUTS",
    "from_arrays",
    "to_payoff_profile_array",
    "from_nashpy",
    "to_nashpy",
    "from_quantecon",
    "to_quantecon",
    "from_gambit",
    "to_gambit",
]

#: The array layouts understood by :func:`from_arrays`.
LAYOUTS = ("players-first", "profile-last", "matrix")

_INT64_MAX = 2**63 - 1


class MissingDependencyError(GameError, ImportError):
    """An optional library needed for a conversion is not installed."""


def _require(module: str, package: str, purpose: str) -> Any:
    """Import ``module`` or raise :class:`MissingDependencyError` naming the package."""
    try:
        return importlib.import_module(module)
    except ImportError as err:
        raise MissingDependencyError(
            f"{purpose} needs the optional library {package!r}, which is not installed "
            f"({err}); install it with `pip install {package}`") from err


# ---------------------------------------------------------------------------------------
# Plain arrays


def from_arrays(data: Any, players: Sequence[str] | None = None,
                actions: Sequence[Sequence[str]] | None = None, *,
                layout: str | None = None, title: str = "") -> Game:
    """A game from plain nested lists or numpy arrays.

    Three layouts are understood (``layout=`` names one explicitly):

    ``"players-first"``
        shape ``(n, a_1, ..., a_n)``: one payoff array per player, each of the game's
        shape (a list of per-player arrays; the layout of :attr:`Game.payoffs`).
    ``"profile-last"``
        shape ``(a_1, ..., a_n, n)``: one payoff profile per pure profile
        (QuantEcon's ``payoff_profile_array``; ``data[a_1, ..., a_n][i]`` is player
        ``i``'s payoff).
    ``"matrix"``
        shape ``(a_1, a_2)``: the row player's payoffs of a two-player zero-sum game
        (the column player gets ``-data``).

    Without ``layout=`` the rules are: a 2-D array is a ``"matrix"``; an array with
    ``d >= 3`` dimensions is ``"players-first"`` when its first axis has length
    ``d - 1``, ``"profile-last"`` when its last axis has length ``d - 1``, and
    ambiguous when both hold (every two-player 2 x 2 game, for instance), which raises
    an error asking for ``layout=``. One-player games need an explicit ``layout=``.

    Parameters
    ----------
    data : array_like
        Payoffs; integers and fractions give an exact game, floats a float game.
    players, actions : optional
        Names, as in :class:`Game`.
    layout : {"players-first", "profile-last", "matrix"}, optional
        The layout of ``data`` (default: inferred by the rules above).
    title : str
        The game's title.

    Returns
    -------
    Game

    Raises
    ------
    InvalidGameError
        An unknown layout, a shape that fits no layout (or the one named), or an
        ambiguous shape without ``layout=``.

    Examples
    --------
    >>> g = from_arrays([[(3, 3), (0, 5)], [(5, 0), (1, 1)]], layout="profile-last")
    >>> g.payoffs[1].tolist()
    [[Fraction(3, 1), Fraction(5, 1)], [Fraction(0, 1), Fraction(1, 1)]]
    >>> from_arrays([[1, -1], [-1, 1]]).shape
    (2, 2)
    >>> from_arrays(np.zeros((3, 2, 2, 2))).shape     # 3 players, players first
    (2, 2, 2)
    """
    if layout is not None and layout not in LAYOUTS:
        raise InvalidArgumentError(f"layout: expected one of {LAYOUTS}, found {layout!r}")
    arr = to_array(data, "data")
    shape = arr.shape
    if arr.ndim < 2:
        raise InvalidGameError(
            f"data: expected at least 2 dimensions ((n, a_1, ..., a_n), (a_1, ..., a_n, n) "
            f"or a matrix), found shape {shape}")
    if layout is None:
        layout = _infer_layout(shape)
    if layout == "matrix":
        if arr.ndim != 2:
            raise InvalidGameError(
                f"data: layout 'matrix' expects a 2-D array (the row player's payoffs of a "
                f"zero-sum game), found shape {shape}")
        return Game.from_bimatrix(arr, players=players, actions=actions, title=title)
    n = arr.ndim - 1
    if layout == "players-first":
        if shape[0] != n:
            raise InvalidGameError(
                f"data: layout 'players-first' expects shape (n, a_1, ..., a_n) with n = "
                f"{n} payoff arrays for {n} action axes, found shape {shape}")
        payoffs = arr
    else:
        if shape[-1] != n:
            raise InvalidGameError(
                f"data: layout 'profile-last' expects shape (a_1, ..., a_n, n) with n = "
                f"{n} payoffs per profile for {n} action axes, found shape {shape}")
        payoffs = np.moveaxis(arr, -1, 0)
    return Game(payoffs, players=players, actions=actions, title=title)


def _infer_layout(shape: tuple[int, ...]) -> str:
    if len(shape) == 2:
        return "matrix"
    n = len(shape) - 1
    first, last = shape[0] == n, shape[-1] == n
    if first and last:
        raise InvalidGameError(
            f"data: shape {shape} is ambiguous: it reads both as {n} per-player arrays "
            f"(layout='players-first') and as payoff profiles of length {n} "
            f"(layout='profile-last'); pass layout= to say which")
    if first:
        return "players-first"
    if last:
        return "profile-last"
    raise InvalidGameError(
        f"data: expected shape (n, a_1, ..., a_n) or (a_1, ..., a_n, n) with n = {n} for "
        f"{len(shape)} dimensions, or a 2-D matrix, found shape {shape}")


def to_payoff_profile_array(game: Game) -> np.ndarray:
    """The payoffs in QuantEcon's layout: shape ``(a_1, ..., a_n, n)``, ``out[a][i]`` is
    player ``i``'s payoff at profile ``a`` (a new writable array; an object array of
    Fractions when the game is exact).

    Examples
    --------
    >>> g = Game.from_bimatrix([[3, 0], [5, 1]], [[3, 5], [0, 1]])
    >>> to_payoff_profile_array(g)[1, 0].tolist()
    [Fraction(5, 1), Fraction(0, 1)]
    """
    _check_game(game)
    return np.moveaxis(game.payoffs, 0, -1).copy()


# ---------------------------------------------------------------------------------------
# Helpers


def _check_game(game: Any) -> None:
    if not isinstance(game, Game):
        raise InvalidGameError(f"game: expected a games.Game, found {type(game).__name__}")


def _numeric(game: Game, dtype: Any) -> np.ndarray:
    """The payoffs as a plain numeric array for libraries that compute in numpy.

    ``dtype=None``: int64 when the game is exact and every payoff is an integer that
    fits, else float64. Any other dtype (``object`` keeps the Fractions) is used as given.
    """
    payoffs = game.payoffs
    if dtype is not None:
        try:
            dtype = np.dtype(dtype)
        except TypeError:
            raise InvalidArgumentError(f"dtype: expected a numpy dtype, found {dtype!r}") from None
        return np.array(payoffs, dtype=dtype)
    if game.exact and all(x.denominator == 1 and abs(x.numerator) <= _INT64_MAX
                          for x in payoffs.flat):
        return np.array([int(x) for x in payoffs.flat], dtype=np.int64).reshape(payoffs.shape)
    return np.array(game.float_payoffs, dtype=np.float64)


def _from_numeric(arrays: list[np.ndarray], players: Any, actions: Any, title: str,
                  source: str) -> Game:
    """A Game from per-player arrays given by another library (validated by Game)."""
    try:
        payoffs = np.stack([np.asarray(a) for a in arrays])
    except ValueError as err:
        raise InvalidGameError(
            f"{source}: expected payoff arrays of one shape, found shapes "
            f"{[np.shape(a) for a in arrays]} ({err})") from None
    return Game(payoffs, players=players, actions=actions, title=title)


# ---------------------------------------------------------------------------------------
# nashpy


def from_nashpy(nashpy_game: Any, players: Sequence[str] | None = None,
                actions: Sequence[Sequence[str]] | None = None, title: str = "") -> Game:
    """A two-player :class:`Game` from a ``nashpy.Game`` (its ``payoff_matrices``).

    Integer (or Fraction) matrices give an exact game, float matrices a float game.

    Raises
    ------
    InvalidGameError
        When the object has no two ``payoff_matrices`` of one shape.

    Examples
    --------
    >>> import nashpy
    >>> from_nashpy(nashpy.Game([[1, -1], [-1, 1]])).payoffs[1, 0, 0]
    Fraction(-1, 1)
    """
    matrices = getattr(nashpy_game, "payoff_matrices", None)
    if matrices is None or len(matrices) != 2:
        raise InvalidGameError(
            f"nashpy_game: expected a nashpy.Game with two payoff_matrices, found "
            f"{type(nashpy_game).__name__}")
    return _from_numeric(list(matrices), players, actions, title, "nashpy_game")


def to_nashpy(game: Game, dtype: Any = None) -> Any:
    """A ``nashpy.Game`` with the game's two payoff matrices.

    Parameters
    ----------
    game : Game
        A two-player game.
    dtype : numpy dtype, optional
        Default: int64 when the game is exact with integer payoffs, else float64
        (nashpy's solvers compute in floating point). ``object`` keeps exact Fractions.

    Raises
    ------
    InvalidGameError
        When the game does not have exactly two players.
    MissingDependencyError
        When nashpy is not installed.
    """
    _check_game(game)
    if game.n_players != 2:
        raise InvalidGameError(
            f"game: nashpy handles two-player games only, found {game.n_players} players "
            f"{game.players}")
    A, B = _numeric(game, dtype)
    nashpy = _require("nashpy", "nashpy", "to_nashpy")
    return nashpy.Game(A, B)


# ---------------------------------------------------------------------------------------
# QuantEcon


def _cyclic_axes(i: int, n: int) -> list[int]:
    """QuantEcon's axis order of player ``i``'s payoff array: own action first, then the
    opponents in cyclic order i+1, ..., n-1, 0, ..., i-1."""
    return [(i + k) % n for k in range(n)]


def from_quantecon(nfg: Any, players: Sequence[str] | None = None,
                   actions: Sequence[Sequence[str]] | None = None, title: str = "") -> Game:
    r"""A :class:`Game` from a ``quantecon.game_theory.NormalFormGame``.

    QuantEcon stores player :math:`i`'s payoffs with its own action first and the
    opponents in cyclic order, ``payoff_array[a_i, a_{i+1}, ..., a_{i-1}]``; here every
    player's array is indexed ``[a_1, ..., a_n]``.

    Integer payoff arrays give an exact game, float arrays a float game.

    References
    ----------
    QuantEcon.py, ``quantecon.game_theory.normal_form_game`` (``Player.payoff_array``).
    """
    qe_players = getattr(nfg, "players", None)
    if qe_players is None or not all(hasattr(p, "payoff_array") for p in qe_players):
        raise InvalidGameError(
            f"nfg: expected a quantecon NormalFormGame (players with payoff_array), found "
            f"{type(nfg).__name__}")
    n = len(qe_players)
    arrays = []
    for i, player in enumerate(qe_players):
        arr = np.asarray(player.payoff_array)
        if n == 1 and arr.ndim == 1:
            arrays.append(arr)
            continue
        arrays.append(np.transpose(arr, np.argsort(_cyclic_axes(i, n))))
    return _from_numeric(arrays, players, actions, title, "nfg")


def to_quantecon(game: Game, dtype: Any = None) -> Any:
    """A ``quantecon.game_theory.NormalFormGame`` with the game's payoffs.

    Parameters
    ----------
    dtype : numpy dtype, optional
        Default: int64 when the game is exact with integer payoffs, else float64.

    Raises
    ------
    MissingDependencyError
        When QuantEcon is not installed.

    Examples
    --------
    >>> g = to_quantecon(Game.from_bimatrix([[3, 0], [5, 1]], [[3, 5], [0, 1]]))  # doctest: +SKIP
    >>> g.players[1].payoff_array.tolist()                                         # doctest: +SKIP
    [[3, 0], [5, 1]]
    """
    _check_game(game)
    payoffs = _numeric(game, dtype)
    gt = _require("quantecon.game_theory", "quantecon", "to_quantecon")
    n = game.n_players
    players = [gt.Player(np.ascontiguousarray(np.transpose(payoffs[i], _cyclic_axes(i, n))))
               for i in range(n)]
    return gt.NormalFormGame(players)


# ---------------------------------------------------------------------------------------
# Gambit


def _gambit_number(x: Any, exact: bool) -> str:
    """Payoff text for Gambit: ``p/q`` for exact values, a plain decimal with a point
    for floats (Gambit reads text with a point back as a Decimal)."""
    if exact:
        return str(x.numerator) if x.denominator == 1 else f"{x.numerator}/{x.denominator}"
    text = format(Decimal(repr(float(x))), "f")
    return text if "." in text else text + ".0"


def to_gambit(game: Game) -> Any:
    """A ``pygambit.Game`` (strategic form) with the game's payoffs, names and title.

    Exact payoffs stay exact (Gambit rationals); float payoffs are written as the
    decimals of their shortest text (``0.1`` stays ``0.1``).

    Raises
    ------
    InvalidGameError
        When a player or action name is not a valid Gambit label (Gambit 16.7 accepts
        nonempty printable ASCII without leading, trailing or doubled spaces).
    MissingDependencyError
        When pygambit is not installed.
    """
    _check_game(game)
    gbt = _require("pygambit", "pygambit", "to_gambit")
    strategic = getattr(gbt, "StrategicGame", None)     # pygambit >= 17
    title = game.title
    if strategic is not None:
        g = strategic(list(game.shape), title=title)
    else:
        g = gbt.Game.new_table(list(game.shape), title=title)
    g_players = list(g.players)
    for i, player in enumerate(g_players):
        _set_label(player, game.players[i], f"players[{i}]")
        for k, strategy in enumerate(player.strategies):
            _set_label(strategy, game.actions[i][k], f"actions[{i}][{k}]")
    exact = game.exact
    payoffs = game.payoffs
    for profile in itertools.product(*(range(a) for a in game.shape)):
        outcome = g[profile]
        for i, player in enumerate(g_players):
            outcome[player] = _gambit_number(payoffs[(i, *profile)], exact)
    return g


def _set_label(obj: Any, label: str, field: str) -> None:
    try:
        obj.label = label
    except (ValueError, UnicodeError) as err:
        raise InvalidGameError(
            f"{field}: expected a Gambit label (nonempty printable ASCII, no leading, "
            f"trailing or doubled spaces), found {label!r} ({err})") from None


def from_gambit(gambit_game: Any, exact: bool | None = None) -> Game:
    """A :class:`Game` from a ``pygambit.Game`` (its strategic form; a tree game gives its
    reduced strategic form), with the players', strategies' labels and the title.

    Parameters
    ----------
    exact : bool, optional
        Default: exact when every payoff is a Gambit rational (written without a
        decimal point), float when some payoff is a decimal. True keeps decimals exact.

    Labels that are empty or repeated are replaced by the default names.
    """
    check_flag(exact, "exact", optional=True)
    players = getattr(gambit_game, "players", None)
    if players is None or not hasattr(gambit_game, "title"):
        raise InvalidGameError(
            f"gambit_game: expected a pygambit.Game, found {type(gambit_game).__name__}")
    players = list(players)
    if not players:
        raise InvalidGameError("gambit_game: expected at least one player, found none")
    strategies = [list(p.strategies) for p in players]
    shape = tuple(len(s) for s in strategies)
    payoffs = np.empty((len(players), *shape), dtype=object)
    has_decimal = False
    for profile in itertools.product(*(range(a) for a in shape)):
        outcome = gambit_game[profile]
        for i, player in enumerate(players):
            if outcome is None:     # a null outcome: every payoff is 0
                value: Any = Fraction(0)
            else:
                value = outcome[player]
                if isinstance(value, Decimal):
                    has_decimal = True
                else:
                    value = Fraction(value)
            payoffs[(i, *profile)] = value
    if exact is None:
        exact = not has_decimal
    player_names = _labels([p.label for p in players])
    actions = [_labels([x.label for x in s]) or [str(k + 1) for k in range(len(s))]
               for s in strategies]
    if exact:
        payoffs = np.vectorize(Fraction, otypes=[object])(payoffs)
    else:
        payoffs = payoffs.astype(np.float64)
    return Game(payoffs, players=player_names, actions=actions,
                title=str(gambit_game.title or ""), exact=exact)


def _labels(labels: list[Any]) -> list[str] | None:
    """Labels as names, or None when some label is empty or repeated."""
    labels = [str(x) if x is not None else "" for x in labels]
    if any(not x for x in labels) or len(set(labels)) != len(labels):
        return None
    return labels
