"""The catalogue: classic games, market and contest games, the paper's scenario and random
game generators.

Every constructor returns a :class:`games.Game` with named players and actions and a title.
Payoffs are exact (:class:`~fractions.Fraction`) when every parameter is exact (an int,
Fraction or Decimal) and float64 as soon as one parameter is a float; the logit Bertrand
game and the random covariance game are always float.

Conventions
-----------
- In every social dilemma the *cooperative* (prosocial) action comes first, index 0:
  ``("C", "D")``, ``("Stag", "Hare")``, ``("Swerve", "Straight")``, ``("Dove", "Hawk")``,
  ``("Contribute", "Defect")``; in :func:`aid_delivery` the value-aligned action of every
  agent is index 0. Other modules rely on this.
- 2x2 symmetric games are parametrised by the row player's payoffs in the usual letters:
  R (reward, both cooperate), S (sucker), T (temptation), P (punishment, both defect).
- The scenario games of the misalignment testbed (power contest, conformity,
  leader-follower, rank-order tournament, sabotage contest, aid delivery under a
  deadline) live in :mod:`games.scenario_games` and are re-exported here.
- :data:`CATALOG` maps a name to a zero-argument constructor (for ``--catalog NAME``);
  :func:`by_name` looks a name up.
- A bad parameter (a non-number, NaN, a count below its minimum, an order the game's
  definition needs violated, an unknown name or seed) raises
  :class:`games.InvalidArgumentError` naming the parameter, the value found and what
  was expected; a game too large for memory raises :class:`games.GameTooLargeError`.
"""

from __future__ import annotations

import importlib
import math
from collections.abc import Callable, Sequence
from decimal import Decimal
from fractions import Fraction
from types import MappingProxyType
from typing import Any, NamedTuple

import numpy as np

from games.errors import InvalidArgumentError, SolverError
from games.markov import MarkovGame
from games.model import Game, check_game_size, format_number, html_table
from games.scenario_games import (
    aid_delivery_deadline,
    aid_delivery_extended,
    aid_delivery_model,
    conformity_game,
    leader_follower,
    power_contest,
    rank_order_tournament,
    sabotage_contest,
)

__all__ = [
    "CATALOG",
    "by_name",
    "names",
    "prisoners_dilemma",
    "donation_game",
    "stag_hunt",
    "chicken",
    "hawk_dove",
    "battle_of_the_sexes",
    "coordination",
    "matching_pennies",
    "rock_paper_scissors",
    "public_goods",
    "commons",
    "bertrand",
    "bertrand_benchmarks",
    "BertrandBenchmarks",
    "cournot",
    "contest",
    "aid_delivery",
    "commons_fishery",
    "capability_contest",
    "cheap_talk",
    "power_contest",
    "conformity_game",
    "leader_follower",
    "rank_order_tournament",
    "sabotage_contest",
    "aid_delivery_deadline",
    "random_game",
    "covariance_game",
]

Number = Fraction | float


# ---------------------------------------------------------------------------------------
# Parameter checks


def _number(value: Any, name: str, what: str) -> Number:
    """``value`` as a Fraction (exact inputs) or a finite float."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(
            value, (int, float, Fraction, Decimal, np.integer, np.floating)):
        raise InvalidArgumentError(
            f"{name}: expected a number for {what}, found {type(value).__name__} {value!r}")
    if isinstance(value, (int, np.integer)):
        return Fraction(int(value))
    if isinstance(value, Fraction):
        return value
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise InvalidArgumentError(
                f"{name}: expected a finite number for {what}, found {name}={value}")
        return Fraction(value)
    v = float(value)
    if not math.isfinite(v):
        raise InvalidArgumentError(f"{name}: expected a finite number for {what}, found {name}={v}")
    return v


def _numbers(values: dict[str, Any], what: str) -> dict[str, Number]:
    """Check several parameters; all become floats as soon as one of them is a float."""
    out = {k: _number(v, k, what) for k, v in values.items()}
    if any(isinstance(v, float) for v in out.values()):
        out = {k: float(v) for k, v in out.items()}
    return out


def _count(value: Any, name: str, what: str, minimum: int) -> int:
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)):
        raise InvalidArgumentError(
            f"{name}: expected an integer >= {minimum} for {what}, found "
            f"{type(value).__name__} {value!r}")
    if value < minimum:
        raise InvalidArgumentError(
            f"{name}: expected an integer >= {minimum} for {what}, found {name}={int(value)}")
    return int(value)


def _fmt(values: dict[str, Number]) -> str:
    return ", ".join(f"{k}={format_number(v)}" for k, v in values.items())


def _grid(values: Any, name: str, what: str, minimum: Number | None = None) -> list[Number]:
    """A non-empty sequence of distinct numbers (all floats if one is a float)."""
    if isinstance(values, (str, bytes)) or not isinstance(values, (Sequence, np.ndarray, range)):
        raise InvalidArgumentError(
            f"{name}: expected a sequence of numbers for {what}, found {values!r}")
    if isinstance(values, np.ndarray) and values.ndim != 1:
        raise InvalidArgumentError(
            f"{name}: expected a one-dimensional sequence of numbers for {what}, found an "
            f"array of shape {values.shape}")
    values = list(values)
    if not values:
        raise InvalidArgumentError(f"{name}: expected at least one value for {what}, found none")
    out = [_number(v, f"{name}[{k}]", what) for k, v in enumerate(values)]
    if any(isinstance(v, float) for v in out):
        out = [float(v) for v in out]
    if len(set(out)) != len(out):
        raise InvalidArgumentError(
            f"{name}: expected distinct values for {what}, found "
            f"[{', '.join(format_number(v) for v in out)}]")
    if minimum is not None:
        for k, v in enumerate(out):
            if v < minimum:
                raise InvalidArgumentError(
                    f"{name}: expected values >= {format_number(minimum)} for {what}, found "
                    f"{name}[{k}]={format_number(v)}")
    return out


def _labels(prefix: str, values: Sequence[Number]) -> tuple[str, ...]:
    """Distinct action names ``prefix + number`` (more digits when short forms collide)."""
    names = tuple(f"{prefix}{format_number(v)}" for v in values)
    if len(set(names)) == len(names):
        return names
    return tuple(f"{prefix}{float(v)!r}" if isinstance(v, float) else f"{prefix}{v}"
                 for v in values)


def _along(values: Sequence[Number], axis: int, n: int) -> np.ndarray:
    """``values`` as an array lying along ``axis`` of an ``n``-dimensional grid."""
    if any(isinstance(v, Fraction) for v in values):
        arr = np.empty(len(values), dtype=object)
        arr[:] = list(values)
    else:
        arr = np.asarray(values, dtype=np.float64)
    shape = [1] * n
    shape[axis] = len(values)
    return arr.reshape(shape)


def _indicator(size: int, index: int, axis: int, n: int) -> np.ndarray:
    """1 where player ``axis`` plays action ``index`` (an int array broadcast along axis)."""
    shape = [1] * n
    shape[axis] = size
    return (np.arange(size) == index).astype(np.int64).reshape(shape)


def _full(arrays: Sequence[np.ndarray], shape: tuple[int, ...]) -> np.ndarray:
    """Stack per-player arrays broadcast to the game's shape (object if any is object)."""
    dtype = object if any(np.asarray(a).dtype == object for a in arrays) else np.float64
    if dtype is object:
        return np.stack([np.broadcast_to(np.asarray(a, dtype=object), shape) for a in arrays])
    return np.stack([np.broadcast_to(np.asarray(a, dtype=np.float64), shape) for a in arrays])


def _matrix(rows: Sequence[Sequence[Number]]) -> np.ndarray:
    arr = np.empty((len(rows), len(rows[0])), dtype=object)
    for i, row in enumerate(rows):
        for j, x in enumerate(row):
            arr[i, j] = x
    return arr


def _symmetric_2x2(R: Number, S: Number, T: Number, P: Number, actions: tuple[str, str],
                   title: str) -> Game:
    A = _matrix([[R, S], [T, P]])
    return Game.from_bimatrix(A, A.T.copy(), players=("Player 1", "Player 2"),
                              actions=(actions, actions), title=title)


def _players(prefix: str, n: int) -> tuple[str, ...]:
    return tuple(f"{prefix} {i + 1}" for i in range(n))


# ---------------------------------------------------------------------------------------
# Two-player classics


def prisoners_dilemma(b: Any = None, c: Any = None, *, T: Any = None, R: Any = None,
                      P: Any = None, S: Any = None) -> Game:
    r"""The prisoner's dilemma, classic or as the donation game.

    Row player's payoffs (the game is symmetric, the column player's are the transpose)::

                C   D
            C   R   S
            D   T   P       with T > R > P > S

    Defection strictly dominates; (D, D) is the unique Nash equilibrium and is
    Pareto-dominated by (C, C). By default (T, R, P, S) = (5, 3, 1, 0) (Axelrod 1984).
    Given ``b`` and ``c`` it is the donation game: a cooperator pays ``c`` for the partner
    to receive ``b`` (b > c > 0), so R = b - c, S = -c, T = b, P = 0 (Nowak 2006).
    In a repeated game one usually also asks 2R > T + S, so that alternating C and D does
    not beat steady cooperation; it is documented here, not required (the donation game
    always satisfies it).

    Parameters
    ----------
    b, c : number, optional
        Benefit and cost of the donation game (both or neither).
    T, R, P, S : number, optional, keyword-only
        Temptation, reward, punishment, sucker's payoffs (all four or none).

    Raises
    ------
    InvalidArgumentError
        Both parametrisations mixed, one of a pair missing, or the order violated.

    References
    ----------
    Axelrod, R. (1984). *The Evolution of Cooperation*. Basic Books.
    Nowak, M. A. (2006). Five rules for the evolution of cooperation. *Science* 314.

    Examples
    --------
    >>> g = prisoners_dilemma()
    >>> print(g)
    Prisoner's dilemma (T, R, P, S) = (5, 3, 1, 0)
    Player 1 \ Player 2     C     D
                      C  3, 3  0, 5
                      D  5, 0  1, 1
    >>> [str(x) for x in prisoners_dilemma(b=3, c=1).payoffs[:, 0, 1]]
    ['-1', '3']
    """
    trps = {"T": T, "R": R, "P": P, "S": S}
    given = [k for k, v in trps.items() if v is not None]
    if b is not None or c is not None:
        if given:
            raise InvalidArgumentError(
                f"{given[0]}: expected either the donation game's (b, c) or (T, R, P, S), "
                f"found both b={b!r}, c={c!r} and {given[0]}={trps[given[0]]!r}")
        if b is None or c is None:
            missing = "b" if b is None else "c"
            raise InvalidArgumentError(
                f"{missing}: expected both b and c for a donation game, found "
                f"{'c' if missing == 'b' else 'b'}={c if missing == 'b' else b!r} and no "
                f"{missing}")
        v = _numbers({"b": b, "c": c}, "a donation game")
        if not v["c"] > 0:
            raise InvalidArgumentError(
                f"c: expected b > c > 0 for a donation game, found {_fmt(v)}")
        if not v["b"] > v["c"]:
            raise InvalidArgumentError(
                f"b: expected b > c > 0 for a donation game, found {_fmt(v)}")
        bb, cc = v["b"], v["c"]
        return _symmetric_2x2(bb - cc, -cc, bb, 0 * cc, ("C", "D"),
                              f"Donation game (b={format_number(bb)}, c={format_number(cc)})")
    if given and len(given) < 4:
        missing = [k for k in trps if trps[k] is None]
        raise InvalidArgumentError(
            f"{missing[0]}: expected all of T, R, P, S for a prisoner's dilemma, found "
            f"{', '.join(f'{k}={trps[k]!r}' for k in given)} and no {', '.join(missing)}")
    if not given:
        trps = {"T": 5, "R": 3, "P": 1, "S": 0}
    v = _numbers(trps, "a prisoner's dilemma")
    for hi, lo in (("T", "R"), ("R", "P"), ("P", "S")):
        if not v[hi] > v[lo]:
            raise InvalidArgumentError(
                f"{hi}: expected T > R > P > S for a prisoner's dilemma, found {_fmt(v)}")
    values = ", ".join(format_number(v[k]) for k in "TRPS")
    return _symmetric_2x2(v["R"], v["S"], v["T"], v["P"], ("C", "D"),
                          f"Prisoner's dilemma (T, R, P, S) = ({values})")


def donation_game(b: Any = 2, c: Any = 1) -> Game:
    """The donation game: :func:`prisoners_dilemma` with benefit ``b`` and cost ``c``.

    Payoffs (row player): CC = b - c, CD = -c, DC = b, DD = 0, with b > c > 0
    (Nowak 2006, *Science* 314).

    Examples
    --------
    >>> donation_game().title
    'Donation game (b=2, c=1)'
    """
    return prisoners_dilemma(b, c)


def stag_hunt(*, R: Any = 4, T: Any = 3, P: Any = 3, S: Any = 0) -> Game:
    r"""The stag hunt: a coordination game between a safe and a rewarding equilibrium.

    Row player's payoffs (symmetric game)::

                   Stag  Hare
            Stag    R     S
            Hare    T     P        with R > T >= P > S

    Both (Stag, Stag) (payoff-dominant) and (Hare, Hare) (risk-dominant when
    P - S > R - T) are strict Nash equilibria. The default (R, T, P, S) = (4, 3, 3, 0)
    makes hunting hare worth 3 whatever the other does.

    References
    ----------
    Skyrms, B. (2004). *The Stag Hunt and the Evolution of Social Structure*. CUP.

    Examples
    --------
    >>> print(stag_hunt())
    Stag hunt (R, T, P, S) = (4, 3, 3, 0)
    Player 1 \ Player 2  Stag  Hare
                   Stag  4, 4  0, 3
                   Hare  3, 0  3, 3
    """
    v = _numbers({"R": R, "T": T, "P": P, "S": S}, "a stag hunt")
    for hi, lo, rel in (("R", "T", ">"), ("T", "P", ">="), ("P", "S", ">")):
        if not (v[hi] > v[lo] if rel == ">" else v[hi] >= v[lo]):
            raise InvalidArgumentError(
                f"{hi}: expected R > T >= P > S for a stag hunt, found {_fmt(v)}")
    values = ", ".join(format_number(v[k]) for k in "RTPS")
    return _symmetric_2x2(v["R"], v["S"], v["T"], v["P"], ("Stag", "Hare"),
                          f"Stag hunt (R, T, P, S) = ({values})")


def chicken(*, T: Any = 1, R: Any = 0, S: Any = -1, P: Any = -10) -> Game:
    r"""Chicken (snowdrift): anti-coordination with two asymmetric equilibria.

    Row player's payoffs (symmetric game)::

                       Swerve  Straight
            Swerve       R        S
            Straight     T        P        with T > R > S > P

    The pure equilibria are (Swerve, Straight) and (Straight, Swerve); the symmetric
    mixed equilibrium plays Straight with probability (T - R) / ((T - R) + (S - P))
    (V/C in :func:`hawk_dove`'s form). Default (T, R, S, P) = (1, 0, -1, -10): a crash
    costs far more than losing face, and Straight is played with probability 1/10.

    References
    ----------
    Rapoport, A. & Chammah, A. M. (1966). The game of chicken. *American Behavioral
    Scientist* 10(3).

    Examples
    --------
    >>> print(chicken())
    Chicken (T, R, S, P) = (1, 0, -1, -10)
    Player 1 \ Player 2  Swerve  Straight
                 Swerve    0, 0     -1, 1
               Straight   1, -1  -10, -10
    """
    v = _numbers({"T": T, "R": R, "S": S, "P": P}, "chicken")
    for hi, lo in (("T", "R"), ("R", "S"), ("S", "P")):
        if not v[hi] > v[lo]:
            raise InvalidArgumentError(f"{hi}: expected T > R > S > P for chicken, found {_fmt(v)}")
    values = ", ".join(format_number(v[k]) for k in "TRSP")
    return _symmetric_2x2(v["R"], v["S"], v["T"], v["P"], ("Swerve", "Straight"),
                          f"Chicken (T, R, S, P) = ({values})")


def hawk_dove(V: Any = 2, C: Any = 4) -> Game:
    r"""Hawk-dove: a contest over a resource of value ``V`` with injury cost ``C``.

    Row player's payoffs (symmetric game; Dove first, the cooperative action)::

                   Dove   Hawk
            Dove   V/2     0
            Hawk    V    (V - C)/2

    With C > V it is a game of chicken: two asymmetric pure equilibria and the mixed
    evolutionarily stable strategy playing Hawk with probability V/C. With C < V, Hawk
    strictly dominates and the game is a prisoner's dilemma; C = V is the boundary.

    References
    ----------
    Maynard Smith, J. & Price, G. R. (1973). The logic of animal conflict. *Nature* 246.

    Examples
    --------
    >>> print(hawk_dove())
    Hawk-dove (V=2, C=4)
    Player 1 \ Player 2  Dove    Hawk
                   Dove  1, 1    0, 2
                   Hawk  2, 0  -1, -1
    """
    v = _numbers({"V": V, "C": C}, "hawk-dove")
    for name in ("V", "C"):
        if not v[name] > 0:
            raise InvalidArgumentError(
                f"{name}: expected V > 0 and C > 0 for hawk-dove, found {_fmt(v)}")
    VV, CC = v["V"], v["C"]
    return _symmetric_2x2(VV / 2, 0 * VV, VV, (VV - CC) / 2, ("Dove", "Hawk"),
                          f"Hawk-dove ({_fmt(v)})")


def battle_of_the_sexes(high: Any = 2, low: Any = 1, miss: Any = 0) -> Game:
    r"""Battle of the sexes: coordination with conflicting preferences over equilibria.

    Payoffs (player 1, player 2); player 1 prefers the opera, player 2 football::

                       Opera         Football
            Opera    (high, low)    (miss, miss)
            Football (miss, miss)   (low, high)      with high > low > miss

    Two strict pure equilibria, each favouring one player, and one mixed equilibrium.

    References
    ----------
    Luce, R. D. & Raiffa, H. (1957). *Games and Decisions*. Wiley.

    Examples
    --------
    >>> print(battle_of_the_sexes())
    Battle of the sexes (high=2, low=1, miss=0)
    Player 1 \ Player 2  Opera  Football
                  Opera   2, 1      0, 0
               Football   0, 0      1, 2
    """
    v = _numbers({"high": high, "low": low, "miss": miss}, "a battle of the sexes")
    for hi, lo in (("high", "low"), ("low", "miss")):
        if not v[hi] > v[lo]:
            raise InvalidArgumentError(
                f"{hi}: expected high > low > miss for a battle of the sexes, found {_fmt(v)}")
    h, lo_, m = v["high"], v["low"], v["miss"]
    A = _matrix([[h, m], [m, lo_]])
    B = _matrix([[lo_, m], [m, h]])
    actions = ("Opera", "Football")
    return Game.from_bimatrix(A, B, players=("Player 1", "Player 2"),
                              actions=(actions, actions),
                              title=f"Battle of the sexes ({_fmt(v)})")


def coordination(n_actions: int = 2, n_players: int = 2) -> Game:
    r"""Pure coordination: every player gets 1 when all choose the same option, else 0.

    :math:`u_i(a) = 1` if :math:`a_1 = \dots = a_n`, else 0. Identical interests (a
    collaborative game): the ``n_actions`` diagonal profiles are the pure equilibria that
    maximise everybody's payoff, and any profile where no single player can complete a
    match is a (weak) equilibrium too when n_players >= 3.

    References
    ----------
    Schelling, T. C. (1960). *The Strategy of Conflict*. Harvard University Press.

    Examples
    --------
    >>> g = coordination(3)
    >>> g.actions[0]
    ('Option 1', 'Option 2', 'Option 3')
    >>> [str(x) for x in g.payoffs[:, 2, 2]], [str(x) for x in g.payoffs[:, 0, 1]]
    (['1', '1'], ['0', '0'])
    """
    what = "a coordination game"
    m = _count(n_actions, "n_actions", what, 2)
    n = _count(n_players, "n_players", what, 2)
    shape = (m,) * n
    check_game_size(shape, n, exact=True)
    first = np.arange(m).reshape([m] + [1] * (n - 1))
    match = np.ones(shape, dtype=bool)
    for i in range(1, n):
        match &= first == np.arange(m).reshape([1] * i + [m] + [1] * (n - 1 - i))
    payoffs = np.broadcast_to(match.astype(np.int64), (n, *shape))
    options = tuple(f"Option {k + 1}" for k in range(m))
    return Game(payoffs, players=_players("Player", n), actions=(options,) * n,
                title=f"Pure coordination ({n} players, {m} options)")


def matching_pennies(stake: Any = 1) -> Game:
    r"""Matching pennies: the matcher wins ``stake`` on a match, the mismatcher otherwise.

    Matcher's payoffs (zero-sum, the mismatcher gets the negative)::

                    Heads   Tails
            Heads   stake  -stake
            Tails  -stake   stake

    No pure equilibrium; the unique equilibrium mixes 1/2-1/2 and the value is 0.

    References
    ----------
    von Neumann, J. & Morgenstern, O. (1944). *Theory of Games and Economic Behavior*.

    Examples
    --------
    >>> print(matching_pennies())
    Matching pennies (stake=1)
    Matcher \ Mismatcher  Heads  Tails
                   Heads  1, -1  -1, 1
                   Tails  -1, 1  1, -1
    """
    v = _numbers({"stake": stake}, "matching pennies")
    if not v["stake"] > 0:
        raise InvalidArgumentError(
            f"stake: expected stake > 0 for matching pennies, found {_fmt(v)}")
    s = v["stake"]
    A = _matrix([[s, -s], [-s, s]])
    actions = ("Heads", "Tails")
    return Game.from_bimatrix(A, players=("Matcher", "Mismatcher"), actions=(actions, actions),
                              title=f"Matching pennies ({_fmt(v)})")


def rock_paper_scissors(win: Any = 1, lose: Any = -1, tie: Any = 0) -> Game:
    r"""Rock-paper-scissors: paper beats rock, scissors beat paper, rock beats scissors.

    Row player's payoff: ``win`` when action i beats j (i - j = 1 mod 3), ``lose`` when
    beaten, ``tie`` on the diagonal; symmetric. Requires win > tie > lose. Zero-sum
    exactly when win = -lose and tie = 0 (the default); the unique equilibrium is then
    uniform, and no pure profile is an equilibrium for any valid parameters.

    Examples
    --------
    >>> print(rock_paper_scissors())
    Rock-paper-scissors (win=1, lose=-1, tie=0)
    Player 1 \ Player 2   Rock  Paper  Scissors
                   Rock   0, 0  -1, 1     1, -1
                  Paper  1, -1   0, 0     -1, 1
               Scissors  -1, 1  1, -1      0, 0
    """
    v = _numbers({"win": win, "lose": lose, "tie": tie}, "rock-paper-scissors")
    for hi, lo in (("win", "tie"), ("tie", "lose")):
        if not v[hi] > v[lo]:
            raise InvalidArgumentError(
                f"{hi}: expected win > tie > lose for rock-paper-scissors, found {_fmt(v)}")
    result = {0: v["tie"], 1: v["win"], 2: v["lose"]}
    A = _matrix([[result[(i - j) % 3] for j in range(3)] for i in range(3)])
    actions = ("Rock", "Paper", "Scissors")
    return Game.from_bimatrix(A, A.T.copy(), players=("Player 1", "Player 2"),
                              actions=(actions, actions),
                              title=f"Rock-paper-scissors ({_fmt(v)})")


# ---------------------------------------------------------------------------------------
# n-player social dilemmas


def public_goods(n: int = 4, r: Any = 2, c: Any = 1) -> Game:
    r"""The linear public goods game with ``n`` players.

    Each player contributes ``c`` or nothing; the pot is multiplied by ``r`` and shared
    equally among all ``n`` players:

    .. math:: u_i = \frac{r c k}{n} - c\,[i \text{ contributes}],

    k the number of contributors. Contributing changes one's own payoff by
    c (r/n - 1) and everybody's total by c (r - 1), so for **1 < r < n** (a social
    dilemma) defecting strictly dominates while full contribution Pareto-dominates full
    defection. r >= n makes contributing (weakly, at r = n) dominant; r <= 1 makes
    contributing socially wasteful. Any r > 0 is accepted.

    References
    ----------
    Ledyard, J. O. (1995). Public goods: a survey of experimental research. In *Handbook
    of Experimental Economics*, Princeton University Press.

    Examples
    --------
    >>> g = public_goods(n=4, r=2, c=1)
    >>> g.shape, g.actions[0]
    ((2, 2, 2, 2), ('Contribute', 'Defect'))
    >>> [str(x) for x in g.payoffs[:, 0, 0, 0, 1]]
    ['1/2', '1/2', '1/2', '3/2']
    """
    what = "a public goods game"
    n = _count(n, "n", what, 2)
    v = _numbers({"r": r, "c": c}, what)
    for name in ("r", "c"):
        if not v[name] > 0:
            raise InvalidArgumentError(f"{name}: expected r > 0 and c > 0 for {what}, "
                                       f"found {_fmt(v)}")
    shape = (2,) * n
    check_game_size(shape, n, exact=not isinstance(v["r"], float))
    contributes = [_indicator(2, 0, i, n) for i in range(n)]
    k = sum(contributes)  # number of contributors, broadcast to the full shape
    share = v["r"] * v["c"] / n
    payoffs = _full([k * share - v["c"] * x for x in contributes], shape)
    return Game(payoffs, players=_players("Player", n), actions=(("Contribute", "Defect"),) * n,
                title=f"Public goods (n={n}, {_fmt(v)})")


def commons(n: int = 3, levels: Sequence[Any] = (1, 2, 3), capacity: Any = 12) -> Game:
    r"""A tragedy of the commons: ``n`` harvesters share a resource of capacity K.

    Each player chooses a harvest x_i from ``levels``; the return per unit falls with the
    total harvest X (overuse erodes the resource):

    .. math:: u_i = x_i \, (K - X), \qquad X = \sum_j x_j.

    The return is negative when X > K (the resource collapses and harvesting costs more
    than it yields). With continuous harvests the Nash equilibrium is x_i = K/(n+1)
    while the joint optimum is x_i = K/(2n): each harvester ignores the cost it imposes
    on the others (Hardin 1968; Gordon 1954). The default (n = 3, levels 1, 2, 3, K = 12)
    has the unique pure equilibrium (3, 3, 3) with payoff 9 each, Pareto-dominated by
    (2, 2, 2) with 12 each, a welfare-maximising profile.

    References
    ----------
    Hardin, G. (1968). The tragedy of the commons. *Science* 162.

    Examples
    --------
    >>> g = commons()
    >>> g.actions[0]
    ('harvest 1', 'harvest 2', 'harvest 3')
    >>> [str(x) for x in g.payoffs[:, 2, 2, 2]], [str(x) for x in g.payoffs[:, 1, 1, 1]]
    (['9', '9', '9'], ['12', '12', '12'])
    """
    what = "a commons game"
    n = _count(n, "n", what, 2)
    grid = _grid(levels, "levels", what, minimum=0)
    K = _number(capacity, "capacity", what)
    if not K > 0:
        raise InvalidArgumentError(f"capacity: expected capacity > 0 for {what}, found "
                               f"capacity={format_number(K)}")
    if isinstance(K, float) or isinstance(grid[0], float):
        K, grid = float(K), [float(x) for x in grid]
    shape = (len(grid),) * n
    check_game_size(shape, n, exact=not isinstance(K, float))
    harvest = [_along(grid, i, n) for i in range(n)]
    remaining = K - sum(harvest)
    payoffs = _full([x * remaining for x in harvest], shape)
    return Game(payoffs, players=_players("Harvester", n),
                actions=(_labels("harvest ", grid),) * n,
                title=f"Commons (n={n}, capacity={format_number(K)})")


# ---------------------------------------------------------------------------------------
# Markets


class BertrandBenchmarks(NamedTuple):
    """Benchmarks of the logit Bertrand game (float arrays, one entry per firm)."""

    nash_prices: np.ndarray
    """One-shot Bertrand-Nash prices p^N."""
    monopoly_prices: np.ndarray
    """Joint-profit-maximising prices p^M."""
    nash_profits: np.ndarray
    """Profits at p^N."""
    monopoly_profits: np.ndarray
    """Profits at p^M."""
    grid: np.ndarray
    """The price grid (the actions of :func:`bertrand`)."""

    def __repr__(self) -> str:
        parts = ", ".join(f"{k}={np.round(v, 5).tolist()}" for k, v in zip(self._fields, self)
                          if k != "grid")
        return f"BertrandBenchmarks({parts}, grid=<{len(self.grid)} prices>)"

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON data: one list of floats per field."""
        return {k: np.asarray(v, dtype=float).tolist() for k, v in zip(self._fields, self)}

    def _repr_html_(self) -> str:
        rows = [(k.replace("_", " "), np.round(np.asarray(v, dtype=float), 5).tolist())
                for k, v in zip(self._fields, self) if k != "grid"]
        rows.append(("price grid", f"{len(self.grid)} prices from {self.grid[0]:.4g} to "
                                   f"{self.grid[-1]:.4g}"))
        return html_table("Logit Bertrand benchmarks (one entry per firm)", rows)


def _per_firm(value: Any, name: str, n: int, what: str) -> np.ndarray:
    if isinstance(value, (Sequence, np.ndarray)) and not isinstance(value, (str, bytes)):
        values = list(value)
        if len(values) != n:
            raise InvalidArgumentError(
                f"{name}: expected one number or {n} (one per firm) for {what}, found "
                f"{len(values)}")
    else:
        values = [value] * n
    return np.array([float(_number(x, name, what)) for x in values])


def _logit_demand(prices: np.ndarray, quality: np.ndarray, outside: float,
                  mu: float) -> tuple[np.ndarray, np.ndarray]:
    """Quantities and outside share at price vectors ``prices`` (last axis: firms)."""
    z = (quality - prices) / mu
    top = np.maximum(z.max(axis=-1, keepdims=True), outside / mu)
    e = np.exp(z - top)
    e0 = np.exp(outside / mu - top[..., 0])
    total = e.sum(axis=-1) + e0
    return e / total[..., None], e0 / total


def _logit_market(n_firms: Any, cost: Any, quality: Any, outside_quality: Any, mu: Any,
                  what: str) -> tuple[int, np.ndarray, np.ndarray, float, float]:
    """The checked parameters of a logit Bertrand market: firms, costs, qualities,
    outside quality and the horizontal differentiation mu > 0."""
    n = _count(n_firms, "n_firms", what, 1)
    c = _per_firm(cost, "cost", n, what)
    a = _per_firm(quality, "quality", n, what)
    a0 = float(_number(outside_quality, "outside_quality", what))
    mu_ = float(_number(mu, "mu", what))
    if not mu_ > 0:
        raise InvalidArgumentError(f"mu: expected mu > 0 for {what}, found mu={format_number(mu_)}")
    return n, c, a, a0, mu_


def bertrand_benchmarks(n_firms: int = 2, *, cost: Any = 1, quality: Any = 2,
                        outside_quality: Any = 0, mu: Any = 0.25, m: int = 15,
                        xi: Any = 0.1) -> BertrandBenchmarks:
    r"""Nash and monopoly prices of the logit Bertrand game and Calvano et al.'s grid.

    The one-shot Nash prices solve p_i - c_i = mu / (1 - q_i(p)) (fixed-point iteration);
    the joint-profit-maximising prices share one markup m with m q_0(c + m) = mu, q_0 the
    outside good's share (bisection). The grid has ``m`` equally spaced prices on
    [min p^N - xi (max p^M - min p^N), max p^M + xi (max p^M - min p^N)].

    Raises
    ------
    SolverError
        The Nash fixed-point iteration did not converge (extreme asymmetric parameters).

    Examples
    --------
    >>> bm = bertrand_benchmarks()
    >>> round(float(bm.nash_prices[0]), 5), round(float(bm.monopoly_prices[0]), 5)
    (1.47293, 1.92498)
    >>> round(float(bm.nash_profits[0]), 5), round(float(bm.monopoly_profits[0]), 5)
    (0.22293, 0.33749)
    """
    what = "a logit Bertrand game"
    n, c, a, a0, mu_ = _logit_market(n_firms, cost, quality, outside_quality, mu, what)
    m = _count(m, "m", what, 1)
    xi_ = float(_number(xi, "xi", what))
    if not xi_ >= 0:
        raise InvalidArgumentError(f"xi: expected xi >= 0 for {what}, "
                                   f"found xi={format_number(xi_)}")
    # Nash: p = c + mu / (1 - q(p)), a contraction for the logit model.
    p = c + mu_
    for _ in range(100_000):
        q, _q0 = _logit_demand(p, a, a0, mu_)
        new = c + mu_ / (1.0 - q)
        if np.max(np.abs(new - p)) <= 1e-14 * max(1.0, float(np.max(np.abs(p)))):
            p = new
            break
        p = new
    else:
        raise SolverError(f"bertrand_benchmarks: the Nash price iteration did not converge "
                          f"for cost={c.tolist()}, quality={a.tolist()}, mu={mu_}")
    nash = p
    # Monopoly: common markup k with k * q0(c + k) = mu (increasing in k).
    lo, hi = 0.0, mu_
    while hi * _logit_demand(c + hi, a, a0, mu_)[1] < mu_:
        hi *= 2.0
    for _ in range(200):
        mid = (lo + hi) / 2
        if mid * _logit_demand(c + mid, a, a0, mu_)[1] < mu_:
            lo = mid
        else:
            hi = mid
    monopoly = c + (lo + hi) / 2
    nash_profit = (nash - c) * _logit_demand(nash, a, a0, mu_)[0]
    monopoly_profit = (monopoly - c) * _logit_demand(monopoly, a, a0, mu_)[0]
    low, high = float(nash.min()), float(monopoly.max())
    grid = np.linspace(low - xi_ * (high - low), high + xi_ * (high - low), m)
    return BertrandBenchmarks(nash, monopoly, nash_profit, monopoly_profit, grid)


def bertrand(n_firms: int = 2, *, prices: Sequence[Any] | None = None, m: int = 15,
             xi: Any = 0.1, cost: Any = 1, quality: Any = 2, outside_quality: Any = 0,
             mu: Any = 0.25) -> Game:
    r"""Bertrand price competition with logit demand on a price grid (Calvano et al. 2020).

    Firm i's demand and profit at prices p:

    .. math:: q_i = \frac{e^{(a_i - p_i)/\mu}}{\sum_j e^{(a_j - p_j)/\mu} + e^{a_0/\mu}},
              \qquad \pi_i = (p_i - c_i)\, q_i.

    Baseline (the defaults): two firms, c_i = 1, a_i = 2, a_0 = 0, mu = 1/4 and
    ``m = 15`` prices equally spaced on [p^N - xi (p^M - p^N), p^M + xi (p^M - p^N)],
    xi = 0.1, where p^N = 1.47293 is the one-shot Bertrand-Nash price and
    p^M = 1.92498 the joint-profit-maximising price (both computed from the
    parameters by :func:`bertrand_benchmarks`). The collusion setting: firms that
    learn to price near p^M harm their customers. Always a float game.

    The game also carries a ``"value"`` layer with one criterion, ``"consumer surplus"``:
    mu log(sum_j e^{(a_j - p_j)/mu} + e^{a_0/mu}), the expected surplus of a logit
    consumer (up to a constant).

    Parameters
    ----------
    n_firms : int
        Number of firms (players).
    prices : sequence of numbers, optional
        The price grid, shared by all firms; overrides ``m`` and ``xi``.
    m, xi : int, number
        Grid size and how far the grid extends beyond [p^N, p^M].
    cost, quality : number or sequence of numbers (one per firm)
        Marginal costs c_i and quality indices a_i.
    outside_quality : number
        a_0, the outside good's index.
    mu : number
        Horizontal differentiation (mu > 0).

    References
    ----------
    Calvano, E., Calzolari, G., Denicolò, V. & Pastorello, S. (2020). Artificial
    intelligence, algorithmic pricing, and collusion. *American Economic Review* 110(10).

    Examples
    --------
    >>> g = bertrand()
    >>> g.shape, g.players, g.exact
    ((15, 15), ('Firm 1', 'Firm 2'), False)
    >>> g.actions[0][0], g.actions[0][-1]
    ('p=1.42772', 'p=1.97019')
    >>> [round(float(x), 4) for x in g.payoffs[:, 1, 1]]  # both at the second price
    [0.2202, 0.2202]
    """
    what = "a logit Bertrand game"
    n, c, a, a0, mu_ = _logit_market(n_firms, cost, quality, outside_quality, mu, what)
    if prices is None:
        grid = bertrand_benchmarks(n, cost=c.tolist(), quality=a.tolist(),
                                   outside_quality=a0, mu=mu_, m=m, xi=xi).grid
    else:
        grid = np.array([float(x) for x in _grid(prices, "prices", what)])
    shape = (len(grid),) * n
    check_game_size(shape, n + 1)
    z = [(a[i] - _along(grid.tolist(), i, n)) / mu_ for i in range(n)]
    log_total = np.broadcast_to(np.float64(a0 / mu_), shape)
    for zi in z:
        log_total = np.logaddexp(log_total, zi)
    profits = [(_along(grid.tolist(), i, n) - c[i]) * np.exp(z[i] - log_total)
               for i in range(n)]
    payoffs = _full(profits, shape)
    surplus = mu_ * log_total
    return Game(payoffs, players=_players("Firm", n),
                actions=(_labels("p=", [float(x) for x in grid]),) * n,
                layers={"value": {"consumer surplus": surplus}},
                title=f"Bertrand, logit demand (Calvano et al. 2020), {n} firms, "
                      f"{len(grid)} prices")


def cournot(n_firms: int = 2, quantities: Sequence[Any] = range(7), *, intercept: Any = 21,
            slope: Any = 2, cost: Any = 2) -> Game:
    r"""Cournot quantity competition with linear inverse demand on a quantity grid.

    .. math:: P(Q) = \max(\alpha - \beta Q, 0), \qquad \pi_i = q_i\,(P(Q) - c),
              \qquad Q = \sum_j q_j.

    With continuous quantities the Nash equilibrium is q_i = (alpha - c)/(beta (n+1))
    and the collusive (joint monopoly) total is (alpha - c)/(2 beta). The default
    (alpha, beta, c) = (21, 2, 2) on quantities 0..6 (continuous equilibrium 19/6 each,
    collusive total 19/4; chosen so that no best response ties on the integer grid)
    has the unique pure equilibrium (3, 3) with profit 21 each, while (2, 2) gives 22
    each. A ``"value"`` layer holds the consumer surplus beta Q'^2 / 2 with
    Q' = min(Q, alpha/beta).

    References
    ----------
    Cournot, A. A. (1838). *Recherches sur les principes mathématiques de la théorie des
    richesses*.

    Examples
    --------
    >>> g = cournot()
    >>> [str(x) for x in g.payoffs[:, 3, 3]], [str(x) for x in g.payoffs[:, 2, 2]]
    (['21', '21'], ['22', '22'])
    """
    what = "a Cournot game"
    n = _count(n_firms, "n_firms", what, 1)
    grid = _grid(quantities, "quantities", what, minimum=0)
    v = _numbers({"intercept": intercept, "slope": slope, "cost": cost}, what)
    if isinstance(grid[0], float) or isinstance(v["slope"], float):
        grid = [float(x) for x in grid]
        v = {k: float(x) for k, x in v.items()}
    for name in ("intercept", "slope"):
        if not v[name] > 0:
            raise InvalidArgumentError(
                f"{name}: expected intercept > 0 and slope > 0 for {what}, found {_fmt(v)}")
    if not v["cost"] >= 0:
        raise InvalidArgumentError(f"cost: expected cost >= 0 for {what}, found {_fmt(v)}")
    shape = (len(grid),) * n
    check_game_size(shape, n + 1, exact=not isinstance(v["slope"], float))
    q = [_along(grid, i, n) for i in range(n)]
    total = np.broadcast_to(sum(q), shape)
    price = v["intercept"] - v["slope"] * total
    price = np.where(price > 0, price, 0 * v["slope"])
    payoffs = _full([qi * (price - v["cost"]) for qi in q], shape)
    served = np.where(v["slope"] * total < v["intercept"], total, v["intercept"] / v["slope"])
    surplus = v["slope"] * served * served / 2
    return Game(payoffs, players=_players("Firm", n), actions=(_labels("q=", grid),) * n,
                layers={"value": {"consumer surplus": surplus}},
                title=f"Cournot, linear demand ({n} firms, {_fmt(v)})")


# ---------------------------------------------------------------------------------------
# Contests


def contest(n: int = 2, levels: Sequence[Any] = (0, 1, 2, 3, 4), prize: Any = 8,
            cost: Any = 1, share: Any = 1) -> Game:
    r"""A Tullock contest on an effort grid, with an adjustable winner's share.

    Each contestant chooses an effort x_i from ``levels`` at unit ``cost``; contestant
    i wins with probability x_i / X (X the total effort; 1/n each when X = 0). The
    winner receives ``share`` of the prize V and the other n - 1 split the rest
    equally:

    .. math:: u_i = p_i\, s V + (1 - p_i)\,\frac{(1 - s) V}{n - 1} - \text{cost}\; x_i,
              \qquad p_i = x_i / X.

    The layer ``"prize"`` holds each contestant's expected prize (what
    :class:`mechanisms.ContestIntensity` reshares). ``share = 1`` is winner-takes-all;
    ``share = 1/n`` gives everybody V/n whatever the efforts, so zero effort strictly
    dominates. In between the contest acts like a
    winner-takes-all one with prize V (n s - 1)/(n - 1): lowering ``share`` lowers the
    contest's intensity, equilibrium effort and rent dissipation (the
    "contest-intensity reduction" mechanism). With continuous efforts the symmetric
    equilibrium effort is V' (n - 1) / (n^2 cost) for that effective prize V'. The
    default (n = 2, V = 8, efforts 0..4) has the unique pure equilibrium (2, 2).

    References
    ----------
    Tullock, G. (1980). Efficient rent seeking. In *Toward a Theory of the Rent-Seeking
    Society*, Texas A&M University Press.

    Examples
    --------
    >>> g = contest()
    >>> [str(x) for x in g.payoffs[:, 2, 2]], [str(x) for x in g.payoffs[:, 2, 1]]
    (['2', '2'], ['10/3', '5/3'])
    >>> [str(x) for x in contest(share=Fraction(1, 2)).payoffs[:, 2, 1]]
    ['2', '3']
    """
    what = "a contest"
    n = _count(n, "n", what, 2)
    grid = _grid(levels, "levels", what, minimum=0)
    v = _numbers({"prize": prize, "cost": cost, "share": share}, what)
    if isinstance(grid[0], float):
        v = {k: float(x) for k, x in v.items()}
    if isinstance(v["prize"], float):
        grid = [float(x) for x in grid]
    if not v["prize"] > 0:
        raise InvalidArgumentError(f"prize: expected prize > 0 for {what}, found {_fmt(v)}")
    if not v["cost"] >= 0:
        raise InvalidArgumentError(f"cost: expected cost >= 0 for {what}, found {_fmt(v)}")
    if not Fraction(1, n) <= v["share"] <= 1:
        raise InvalidArgumentError(
            f"share: expected 1/{n} <= share <= 1 (the winner's fraction of the prize) for "
            f"{what} with n={n}, found share={format_number(v['share'])}")
    shape = (len(grid),) * n
    exact = not isinstance(v["prize"], float)
    check_game_size(shape, n, exact=exact)
    effort = [_along(grid, i, n) for i in range(n)]
    total = np.broadcast_to(sum(effort), shape)
    nobody = total == 0
    safe = np.where(nobody, 1, total)
    even = Fraction(1, n) if exact else 1.0 / n
    win_first, win_rest = v["share"] * v["prize"], (1 - v["share"]) * v["prize"] / (n - 1)
    payoffs, prizes = [], []
    for x in effort:
        p = np.where(nobody, even, x / safe)
        prizes.append(p * win_first + (1 - p) * win_rest)
        payoffs.append(prizes[-1] - v["cost"] * x)
    players = _players("Contestant", n)
    return Game(_full(payoffs, shape), players=players,
                actions=(_labels("effort ", grid),) * n,
                layers={"prize": _full(prizes, shape)}, criteria={"prize": players},
                title=f"Tullock contest (n={n}, {_fmt(v)})")


# ---------------------------------------------------------------------------------------
# The paper's running example


def aid_delivery(simple: bool = True) -> Game:
    r"""Earthquake relief: the running example of Carichon et al. (2025), as a 4-player game.

    ``simple=False`` gives the richer version with three actions per agent (routing and
    allocation compromises), :func:`games.scenario_games.aid_delivery_extended`; the
    default below is the two-action game.

    After an earthquake in the border region of two countries, AI agents acting for a
    humanitarian NGO, the two national governments and a commercial logistics provider
    must deliver medical aid together. Each agent has a value-aligned action (index 0)
    and a self-serving one (index 1):

    ============  =====================================  ===================================
    player        0: aligned                             1: self-serving
    ============  =====================================  ===================================
    NGO           ``need-based``: triage by need,        ``visibility``: go where the
                  published needs assessment             cameras are (publicity, donations)
    Government A  ``open airspace``: humanitarian        ``citizens first``: priority slots
                  corridor, shared flight data           for own citizens (political
                                                         leverage)
    Government B  (same as A)                            (same as A)
    Logistics     ``priority-to-need``: surge to the     ``cost-efficient``: consolidated
                  remote hardest-hit villages            loads on trunk routes (profit)
    ============  =====================================  ===================================

    Write n, a, b, p for the indicators of the aligned actions (1 = aligned) and
    n' = 1 - n, p' = 1 - p. Every number is an integer; the formulas below generate the
    tables, and the reason for each coefficient follows it.

    **Objective layer** (criterion ``"aid delivered"``, the task: tonnes of aid per
    day, an operational proxy that counts volume, not who receives it)::

        D = 1 + 2a + 2b + ab + n' + 2p' + n'p'

    1: what arrives whatever the agents do (local stocks, road convoys). 2a, 2b: each
    open airspace adds a corridor. ab: with both open the direct cross-border route
    opens too (the whole exceeds the parts). n': deliveries to accessible, media-covered
    urban sites unload faster. 2p': consolidated trunk loads carry more tonnes per
    flight than small helicopter runs to remote villages. n'p': the NGO's visible
    urban sites are exactly the logistics hubs, so the two compound.

    **Incentives** (payoffs: each agent's private reward = the shared task reward D plus
    its secondary objective)::

        NGO:  D + 3 n'   (publicity and donations from visible sites)
        Gov:  D + 4 a'   (political leverage at home; a' = 1 - a, likewise for B)
        Log:  D + 3 p'   (profit margin of cost-efficient routing)

    4 is chosen between a government's own loss from restricting (2 + ab <= 3) and
    the joint loss when both restrict (2 + 2 + 1 = 5): citizens first strictly
    dominates, yet both governments gain from mutual opening (a prisoner's dilemma
    between them). Visibility and cost-efficiency raise D themselves, so 3 only sets
    the size of the temptation.

    **Value layer** (criteria ``"protect life"``, ``"transparency"``,
    ``"international law"``, ``"no bias"``)::

        protect life       = 2n + 2p + a + b   (0..6)  need-based triage (2) and the surge
                             to remote villages (2) put aid where lives are at stake;
                             each open corridor (1) shortens the time to the injured
        transparency       = 2n + a + b + p    (0..5)  a published needs assessment (2);
                             governments sharing flight and manifest data (1 each);
                             routes reported to the humanitarian logistics cluster (1)
        international law  = 2a + 2b           (0..4)  states must allow rapid, unimpeded
                             passage of impartial relief, and airspace opened by the
                             state's own consent respects its sovereignty (2 each);
                             nationality-based priority breaches impartiality
        no bias            = 2n + p + a + b    (0..5)  need-based allocation (2, visibility
                             favours media-covered areas); remote, often minority
                             villages served (1); no nationality priority (1 each)

    An outcome *respects* a value when it scores at least half the criterion's maximum.

    **Preference layer** (one criterion per principal)::

        NGO           = 2n + 2p       need-based, equitable aid: its own allocation (2)
                                      and the remote villages served (2)
        Government A  = 3a' + b       its citizens first (3), more aid reaching its side
                                      when B opens (1)
        Government B  = 3b' + a       (symmetric)
        Logistics     = 3p' + ab      cost efficiency: consolidated loads (3), shorter
                                      routes through the cross-border corridor (1)

    **The 16 outcomes** (actions 0 = aligned, 1 = self-serving, in the order NGO, A, B,
    Logistics)::

        profile  aid  payoffs          values (life, transp., law, bias)  preferences
        0000      6   ( 6,  6,  6,  6)  (6, 5, 4, 5)  holistic            (4, 1, 1, 1)
        0001      8   ( 8,  8,  8, 11)  (4, 4, 4, 4)                      (2, 1, 1, 4)
        0010      3   ( 3,  3,  7,  3)  (5, 4, 2, 4)                      (4, 0, 4, 0)
        0011      5   ( 5,  5,  9,  8)  (3, 3, 2, 3)                      (2, 0, 4, 3)
        0100      3   ( 3,  7,  3,  3)  (5, 4, 2, 4)                      (4, 4, 0, 0)
        0101      5   ( 5,  9,  5,  8)  (3, 3, 2, 3)                      (2, 4, 0, 3)
        0110      1   ( 1,  5,  5,  1)  (4, 3, 0, 3)                      (4, 3, 3, 0)
        0111      3   ( 3,  7,  7,  6)  (2, 2, 0, 2)  preference comp.    (2, 3, 3, 3)
        1000      7   (10,  7,  7,  7)  (4, 3, 4, 3)                      (2, 1, 1, 1)
        1001     10   (13, 10, 10, 13)  (2, 2, 4, 2)  objective-optimal   (0, 1, 1, 4)
        1010      4   ( 7,  4,  8,  4)  (3, 2, 2, 2)                      (2, 0, 4, 0)
        1011      7   (10,  7, 11, 10)  (1, 1, 2, 1)                      (0, 0, 4, 3)
        1100      4   ( 7,  8,  4,  4)  (3, 2, 2, 2)                      (2, 4, 0, 0)
        1101      7   (10, 11,  7, 10)  (1, 1, 2, 1)                      (0, 4, 0, 3)
        1110      2   ( 5,  6,  6,  2)  (2, 1, 0, 1)                      (2, 3, 3, 0)
        1111      5   ( 8,  9,  9,  8)  (0, 0, 0, 0)  Nash equilibrium    (0, 3, 3, 3)

    What the numbers produce:

    - **Nash equilibrium** (1111, unique, in dominant strategies): visibility, citizens
      first twice, cost-efficient. Objective-reasonable (aid 5, the median of the 16
      outcomes) but it respects no value (all four scores 0). A social dilemma: its
      payoffs (8, 9, 9, 8) are Pareto-dominated by 1001's (13, 10, 10, 13).
    - **Objective-optimal** (1001, aid 10, the unique maximum): task focus alone opens
      the airspace but sends the aid where it is easy and visible; it violates protect
      life, transparency and no bias.
    - **Preference compromise** (0111): need-based NGO, both governments' citizens first,
      cost-efficient logistics, the unique maximiser of both the least-satisfied
      principal's score (2) and the sum (11); it respects no value (law 0) and delivers
      only 3.
    - **Holistically aligned** (0000): every value at its maximum, aid 6 (above the
      equilibrium's 5), every principal's preference above zero. Not an equilibrium:
      every agent gains by deviating (NGO +4, each government +1, logistics +5), so
      it needs a mechanism.

    References
    ----------
    Carichon, F., Khandelwal, A., Fauchard, M. & Farnadi, G. (2025). The coming crisis
    of multi-agent misalignment: AI alignment must be a dynamic and social process.
    arXiv:2506.01080 (Table 1, the running example).

    Examples
    --------
    >>> g = aid_delivery()
    >>> g.players
    ('NGO', 'Government A', 'Government B', 'Logistics')
    >>> g.criteria["value"]
    ('protect life', 'transparency', 'international law', 'no bias')
    >>> ne = ("visibility", "citizens first", "citizens first", "cost-efficient")
    >>> g.regret(ne), g.regret((0, 0, 0, 0))
    (Fraction(0, 1), Fraction(5, 1))
    """
    if not isinstance(simple, (bool, np.bool_)):
        raise InvalidArgumentError(f"simple: expected True or False, found {simple!r}")
    if not simple:
        return aid_delivery_extended()
    actions = (("need-based", "visibility"), ("open airspace", "citizens first"),
               ("open airspace", "citizens first"), ("priority-to-need", "cost-efficient"))
    return aid_delivery_model((1, 0), actions,
                              title="Aid delivery after an earthquake (Carichon et al. 2025)")


# ---------------------------------------------------------------------------------------
# Random games


def _shape(shape: Any, what: str, min_players: int) -> tuple[int, ...]:
    if isinstance(shape, (str, bytes)) or not isinstance(shape, (Sequence, np.ndarray)):
        raise InvalidArgumentError(
            f"shape: expected a sequence with the number of actions of each player for "
            f"{what}, found {shape!r}")
    shape = list(shape)
    if len(shape) < min_players:
        raise InvalidArgumentError(
            f"shape: expected at least {min_players} players for {what}, found {len(shape)}")
    for i, s in enumerate(shape):
        _count(s, f"shape[{i}]", what, 1)
    return tuple(int(s) for s in shape)


def _rng(seed: Any) -> np.random.Generator:
    if isinstance(seed, (bool, np.bool_)):
        raise InvalidArgumentError(f"seed: expected None, an integer or a numpy Generator, "
                               f"found {seed!r}")
    try:
        return np.random.default_rng(seed)
    except (TypeError, ValueError) as err:
        raise InvalidArgumentError(f"seed: expected None, an integer >= 0 or a numpy Generator, "
                               f"found {seed!r} ({err})") from None


def _seed_text(seed: Any) -> str:
    return f", seed={int(seed)}" if isinstance(seed, (int, np.integer)) else ""


def random_game(shape: Sequence[int], seed: Any = None, low: Any = 0, high: Any = 1,
                integer: bool = False) -> Game:
    r"""A game with independent uniform payoffs.

    Every payoff is drawn independently: uniform on [low, high) (a float game), or with
    ``integer=True`` a uniform integer in [low, high] (an exact game).

    Parameters
    ----------
    shape : sequence of int
        Number of actions of each player (its length is the number of players).
    seed : None, int or numpy.random.Generator
        Seed for reproducibility (a Generator is used as is and advanced).
    low, high : number
        Range of the payoffs (integers when ``integer``).

    Examples
    --------
    >>> g = random_game((2, 3), seed=1, low=0, high=9, integer=True)
    >>> g.shape, g.exact, g == random_game((2, 3), seed=1, low=0, high=9, integer=True)
    ((2, 3), True, True)
    """
    what = "a random game"
    dims = _shape(shape, what, 1)
    rng = _rng(seed)
    n = len(dims)
    if integer:
        for name, x in (("low", low), ("high", high)):
            if isinstance(x, (bool, np.bool_)) or not isinstance(x, (int, np.integer)):
                raise InvalidArgumentError(
                    f"{name}: expected an integer for {what} with integer=True, found {x!r}")
        if not low <= high:
            raise InvalidArgumentError(
                f"high: expected low <= high for {what}, found low={low}, high={high}")
        check_game_size(dims, n, exact=True)
        try:
            payoffs = rng.integers(int(low), int(high), size=(n, *dims), endpoint=True)
        except ValueError as err:
            raise InvalidArgumentError(
                f"high: expected integers within int64 for {what}, found low={low}, "
                f"high={high} ({err})") from None
    else:
        v = {k: float(_number(x, k, what)) for k, x in (("low", low), ("high", high))}
        if not v["low"] < v["high"]:
            raise InvalidArgumentError(f"high: expected low < high for {what}, found {_fmt(v)}")
        check_game_size(dims, n)
        payoffs = rng.uniform(v["low"], v["high"], size=(n, *dims))
    size = "x".join(map(str, dims))
    return Game(payoffs, title=f"Random game {size} (uniform on [{format_number(low)}, "
                               f"{format_number(high)}{']' if integer else ')'}"
                               f"{_seed_text(seed)})")


def covariance_game(shape: Sequence[int], rho: Any, seed: Any = None) -> Game:
    r"""A random game whose players' payoffs are correlated with coefficient ``rho``.

    At every profile the payoff vector is multivariate normal with unit variances and
    pairwise correlation rho, independently across profiles (Rinott & Scarsini 2000;
    GAMUT's CovariantGame). rho = 1 gives identical interests, rho = 0 independent
    payoffs, and rho = -1/(n - 1), the smallest valid value, constant-sum payoffs
    (zero-sum for two players). The covariance Sigma = (1 - rho) I + rho 11^T has the
    closed-form symmetric square root

    .. math:: \Sigma^{1/2} = \sqrt{1 - \rho}\,(I - \tfrac{1}{n} 11^T)
              + \sqrt{1 + (n - 1)\rho}\;\tfrac{1}{n} 11^T

    (its eigen-decomposition), so X = Sigma^{1/2} Z for standard normal Z is exact at
    both boundaries, where Sigma is singular and a Cholesky factorisation fails.

    Parameters
    ----------
    shape : sequence of int
        Number of actions of each player (at least two players).
    rho : number
        Correlation, -1/(n - 1) <= rho <= 1.
    seed : None, int or numpy.random.Generator

    References
    ----------
    Rinott, Y. & Scarsini, M. (2000). On the number of pure strategy Nash equilibria in
    random games. *Games and Economic Behavior* 33.

    Examples
    --------
    >>> g = covariance_game((2, 2), rho=-1, seed=0)
    >>> bool(abs(g.payoffs.sum(axis=0)).max() < 1e-12)
    True
    """
    what = "a covariance game"
    dims = _shape(shape, what, 2)
    n = len(dims)
    r = _number(rho, "rho", what)
    lower = Fraction(-1, n - 1)
    if not (lower - 1e-12 <= r <= 1):
        raise InvalidArgumentError(
            f"rho: expected -1/{n - 1} <= rho <= 1 for {what} with {n} players, found "
            f"rho={format_number(r)}")
    r = min(max(float(r), float(lower)), 1.0)
    rng = _rng(seed)
    check_game_size(dims, 2 * n)
    z = rng.standard_normal(size=(n, *dims))
    mean = z.mean(axis=0)
    common = math.sqrt(max(0.0, 1.0 + (n - 1) * r))
    spread = math.sqrt(max(0.0, 1.0 - r))
    z -= mean
    z *= spread
    z += common * mean
    size = "x".join(map(str, dims))
    return Game(z, title=f"Covariance game {size} (rho={format_number(rho)}{_seed_text(seed)})")


# ---------------------------------------------------------------------------------------
# Names


CATALOG: MappingProxyType[str, Callable[[], Game]] = MappingProxyType({
    "prisoners_dilemma": prisoners_dilemma,
    "donation_game": donation_game,
    "stag_hunt": stag_hunt,
    "chicken": chicken,
    "hawk_dove": hawk_dove,
    "battle_of_the_sexes": battle_of_the_sexes,
    "coordination": coordination,
    "matching_pennies": matching_pennies,
    "rock_paper_scissors": rock_paper_scissors,
    "public_goods": public_goods,
    "commons": commons,
    "bertrand": bertrand,
    "cournot": cournot,
    "contest": contest,
    "aid_delivery": aid_delivery,
    "power_contest": power_contest,
    "conformity_game": conformity_game,
    "leader_follower": leader_follower,
    "rank_order_tournament": rank_order_tournament,
})
"""Catalogue name -> zero-argument constructor (each game with its default parameters)."""


def names() -> tuple[str, ...]:
    """The catalogue's names, sorted.

    Examples
    --------
    >>> "aid_delivery" in names()
    True
    """
    return tuple(sorted(CATALOG))


def by_name(name: str) -> Game:
    """The catalogue game called ``name`` with its default parameters.

    Case, spaces and hyphens are forgiven (``"Prisoners-Dilemma"`` works).

    Raises
    ------
    InvalidArgumentError
        An unknown name; the message lists the known ones.

    Examples
    --------
    >>> by_name("stag-hunt").title
    'Stag hunt (R, T, P, S) = (4, 3, 3, 0)'
    """
    if not isinstance(name, str):
        raise InvalidArgumentError(f"name: expected a catalogue name (str), found {name!r}")
    key = name.strip().lower().replace("-", "_").replace(" ", "_").replace("'", "")
    if key not in CATALOG:
        raise InvalidArgumentError(
            f"name: expected one of {', '.join(names())}, found {name!r}")
    return CATALOG[key]()


# ---------------------------------------------------------------------------------------
# Markov games (states that carry the consequences of play forward)


def _level_names(values: Sequence[Number]) -> tuple[str, ...]:
    """``low``/``high`` (or ``low``/``medium``/``high``) for two or three levels."""
    if len(values) == 2:
        return ("low", "high")
    if len(values) == 3:
        return ("low", "medium", "high")
    return _labels("effort ", values)


def _object_array(shape: tuple[int, ...], exact: bool) -> np.ndarray:
    if exact:
        arr = np.empty(shape, dtype=object)
        arr[...] = Fraction(0)
        return arr
    return np.zeros(shape)


def _stochastic_rounding(x: Number) -> tuple[int, Number]:
    """``x`` rounded down (with probability 1 - frac) or up (with probability frac), so that
    the expected result is ``x``: returns (floor, frac)."""
    low = math.floor(x)
    return int(low), x - low


def commons_fishery(n: int = 2, capacity: int = 5, efforts: Sequence[Any] | None = None, *,
                    growth: Any = 1, recovery: Any = 0, quota: Any = None) -> MarkovGame:
    r"""A fishery commons as a Markov game: ``n`` fishers harvest a stock that regrows,
    and over-harvesting collapses it.

    The state is the stock :math:`s \in \{0, 1, \dots, K\}` (``capacity`` K). Each fisher
    chooses an effort :math:`e_i` from ``efforts``: the share of the stock it tries to
    take. With total effort :math:`E = \sum_j e_j`, fisher i catches
    :math:`c_i = s\, e_i \min(1, 1/E)` (the stock is shared in proportion to effort when
    demand exceeds it); its payoff is its catch. The remaining stock
    :math:`r = s\,(1 - \min(E, 1))` regrows as in GovSim's fishery (Piatti et al. 2024),
    multiplied by :math:`1 + g` (``growth``; GovSim doubles it) up to the capacity:
    :math:`x = \min(K, (1 + g)\, r)`. The next stock is :math:`\lfloor x \rfloor + 1` with
    probability :math:`x - \lfloor x \rfloor` and :math:`\lfloor x \rfloor` otherwise (so
    its mean is x). The empty stock 0 is absorbing (the collapse), unless ``recovery``
    gives it a probability of regrowing to 1 each period.

    Each stage is a tragedy of the commons (Gordon 1954; Hardin 1968): the catch rises with
    one's own effort, so the highest effort dominates in every stage, while the growth
    factor :math:`(1 + g)(1 - E)` decides whether the stock grows (> 1) or shrinks to
    collapse (< 1). The default (n = 2, K = 5, efforts 1/5 and 2/5 of the stock, g = 1)
    gives the factor 6/5 when both fish low (the stock regrows to capacity and stays) and
    2/5 when both fish high (the stock collapses within a few periods); one greedy fisher
    suffices for the factor 4/5 and a slow collapse. The default efforts for n fishers
    are 2/(5n) and 4/(5n), so that the totals stay the same.

    A ``quota`` q is an enforced individual quota: every fisher's effective effort is
    :math:`\min(e_i, q)`. The actions stay the same (learners and environments see the
    same choices), but efforts above the quota take only the quota, in the payoffs and in
    the stock dynamics alike. With ``quota`` at the low effort, even all-greedy play keeps
    the stock alive. (A :class:`mechanisms.Penalty` on the high actions is the incentive
    alternative: it changes the payoffs, not the dynamics, so whether the stock survives
    then depends on what the agents learn.)

    Layers of every stage: ``objective`` = the total catch (one criterion), ``value`` =
    the stock kept after the harvest, r (sustainability), ``preference`` = each fisher's
    catch.

    Parameters
    ----------
    n : int
        Number of fishers (>= 2).
    capacity : int
        Largest stock K (>= 1); the states are the stocks 0..K.
    efforts : sequence of numbers in [0, 1], optional
        Effort levels (share of the stock each fisher tries to take), lowest (the
        sustainable one) first.
    growth : number >= 0
        The regrowth rate g.
    recovery : number in [0, 1]
        Probability that a collapsed stock regrows to 1 in a period (0: absorbing).
    quota : number in [0, 1], optional
        The largest effective effort of each fisher (None: no quota).

    Returns
    -------
    MarkovGame
        Exact (Fraction) payoffs and transitions when every parameter is exact; starts at
        full stock.

    References
    ----------
    Gordon, H. S. (1954). The economic theory of a common-property resource: the fishery.
    *Journal of Political Economy* 62(2).
    Hardin, G. (1968). The tragedy of the commons. *Science* 162.
    Piatti, G., Jin, Z., Kleiman-Weiner, M., Schölkopf, B., Sachan, M. and Mihalcea, R.
    (2024). Cooperate or collapse: emergence of sustainable cooperation in a society of
    LLM agents (GovSim). *NeurIPS 2024*.

    Examples
    --------
    >>> f = commons_fishery()
    >>> f.states[-1], f.actions[0], f.initial.tolist()[-1]
    ('stock 5', ('low', 'high'), 1.0)
    >>> f.transitions[5, 1, 1].tolist()          # both greedy at full stock: 5 -> 2
    [0.0, 0.0, 1.0, 0.0, 0.0, 0.0]
    >>> f.transitions[2, 1, 1].round(12).tolist()[:2]   # 2 -> 0 w.p. 1/5 (collapse)
    [0.2, 0.8]
    """
    what = "a commons fishery"
    n = _count(n, "n", what, 2)
    K = _count(capacity, "capacity", what, 1)
    if efforts is None:
        efforts = (Fraction(2, 5 * n), Fraction(4, 5 * n))
    grid = _grid(efforts, "efforts", what, minimum=0)
    for k, e in enumerate(grid):
        if e > 1:
            raise InvalidArgumentError(f"efforts: expected shares of the stock in [0, 1] for "
                                       f"{what}, found efforts[{k}]={format_number(e)}")
    v = _numbers({"growth": growth, "recovery": recovery}, what)
    if not v["growth"] >= 0:
        raise InvalidArgumentError(f"growth: expected growth >= 0 for {what}, found "
                                   f"growth={format_number(v['growth'])}")
    if not 0 <= v["recovery"] <= 1:
        raise InvalidArgumentError(f"recovery: expected a probability in [0, 1] for {what}, "
                                   f"found recovery={format_number(v['recovery'])}")
    q = None
    if quota is not None:
        q = _number(quota, "quota", what)
        if not 0 <= q <= 1:
            raise InvalidArgumentError(f"quota: expected a share of the stock in [0, 1] for "
                                       f"{what}, found quota={format_number(q)}")
    numbers = [*grid, *v.values()] + ([q] if q is not None else [])
    exact = not any(isinstance(x, float) for x in numbers)
    if not exact:
        grid = [float(e) for e in grid]
        v = {k: float(x) for k, x in v.items()}
        q = None if q is None else float(q)
    shape = (len(grid),) * n
    check_game_size((K + 1, *shape, K + 1), 1, exact=exact, field="transitions")
    one = Fraction(1) if exact else 1.0
    effective = [e if q is None else min(e, q) for e in grid]
    players = _players("Fisher", n)
    actions = (_level_names(grid),) * n
    transitions = _object_array((K + 1, *shape, K + 1), exact)
    stages = []
    for s in range(K + 1):
        catches = _object_array((n, *shape), exact)
        kept = _object_array(shape, exact)
        for profile in np.ndindex(*shape):
            e = [effective[a] for a in profile]
            total = sum(e, 0 * one)
            taken = min(total, one)
            for i in range(n):
                catches[(i, *profile)] = s * e[i] / total * taken if total > 0 else 0 * one
            remaining = s * (one - taken)
            kept[profile] = remaining
            row = transitions[(s, *profile)]
            if s == 0:
                row[0] += one - v["recovery"]
                row[min(1, K)] += v["recovery"]
                continue
            low, frac = _stochastic_rounding(min(K * one, (1 + v["growth"]) * remaining))
            row[low] += one - frac
            if frac:
                row[low + 1] += frac
        total_catch = catches.sum(axis=0)
        stages.append(Game(catches, players=players, actions=actions,
                           layers={"objective": total_catch[np.newaxis],
                                   "value": kept[np.newaxis], "preference": catches},
                           criteria={"objective": ("total harvest",),
                                     "value": ("stock kept",), "preference": players},
                           title=f"Fishery stage at stock {s}", exact=exact))
    quota_text = "" if q is None else f", quota={format_number(q)}"
    title = (f"Commons fishery (n={n}, capacity={K}, efforts "
             f"{', '.join(format_number(e) for e in grid)}, growth="
             f"{format_number(v['growth'])}{quota_text})")
    return MarkovGame(stages, transitions, initial=K,
                      states=tuple(f"stock {s}" for s in range(K + 1)), title=title)


def capability_contest(levels: Sequence[Any] = (1, 2), *, prize: Any = 12, cost: Any = 1,
                       advantage: Any = 2, max_gap: int = 2, decisiveness: int = 1
                       ) -> MarkovGame:
    r"""A repeated two-player Tullock contest in which every win adds to the winner's
    capability, as a Markov game (a race in which winners grow stronger).

    The state is the capability gap :math:`d \in \{-D, \dots, D\}` of contestant 1 over
    contestant 2 (``max_gap`` D). Each period both choose an effort :math:`x_i` from
    ``levels`` at unit ``cost``; contestant 1 wins the ``prize`` V with the Tullock
    (1980) probability

    .. math:: p_1 = \frac{\rho^d x_1^r}{\rho^d x_1^r + x_2^r}

    (:math:`\rho` = ``advantage``, the weight of one step of capability; r =
    ``decisiveness``; :math:`\rho^d / (\rho^d + 1)` when both efforts are 0). The
    winner gains one step: d moves to min(D, d + 1) with probability :math:`p_1` and to
    max(-D, d - 1) otherwise. Stage payoffs are expected: :math:`u_1 = V p_1 - c\,x_1`,
    :math:`u_2 = V (1 - p_1) - c\,x_2`.

    With the defaults (efforts 1 and 2, V = 12, c = 1, :math:`\rho` = 2, D = 2) every
    stage is a prisoner's dilemma: high effort dominates for both, yet both gain from
    mutual restraint (5 each against 4 at an even gap). The effort race dissipates the
    prize, and every win tilts the next contests toward the winner (the "success breeds
    success" dynamic of capability races).

    Layers of every stage: ``objective`` = welfare, the sum of the payoffs (the prize
    minus the efforts spent); ``value`` = balance of power, D minus the expected absolute
    gap after the period; ``preference`` = each contestant's payoff; ``prize`` = each
    contestant's expected prize (:math:`V p_1` and :math:`V (1 - p_1)`, the convention of
    :func:`contest`), which :class:`mechanisms.ContestIntensity` reshares in every stage.

    Parameters
    ----------
    levels : sequence of numbers >= 0
        Effort levels, lowest (restraint) first.
    prize, cost : numbers
        The prize V > 0 each period and the cost c >= 0 per unit of effort.
    advantage : number > 0
        The weight ratio :math:`\rho` per step of capability gap (1: capability does not
        matter).
    max_gap : int
        The largest gap D >= 1 (states -D..D, 2D + 1 of them; starts at 0).
    decisiveness : int
        The Tullock exponent r >= 1.

    References
    ----------
    Tullock, G. (1980). Efficient rent seeking. In *Toward a Theory of the Rent-Seeking
    Society*, Texas A&M University Press.
    Konrad, K. A. (2009). *Strategy and Dynamics in Contests*, ch. 8 (dynamic contests).

    Examples
    --------
    >>> c = capability_contest()
    >>> c.states
    ('gap -2', 'gap -1', 'gap +0', 'gap +1', 'gap +2')
    >>> [str(x) for x in c.stages[2].payoffs[:, 0, 0]], c.transitions[3, 1, 0].tolist()
    (['5', '5'], [0.0, 0.0, 0.2, 0.0, 0.8])
    """
    what = "a capability contest"
    grid = _grid(levels, "levels", what, minimum=0)
    D = _count(max_gap, "max_gap", what, 1)
    r = _count(decisiveness, "decisiveness", what, 1)
    v = _numbers({"prize": prize, "cost": cost, "advantage": advantage}, what)
    if not v["prize"] > 0:
        raise InvalidArgumentError(f"prize: expected prize > 0 for {what}, found {_fmt(v)}")
    if not v["cost"] >= 0:
        raise InvalidArgumentError(f"cost: expected cost >= 0 for {what}, found {_fmt(v)}")
    if not v["advantage"] > 0:
        raise InvalidArgumentError(f"advantage: expected advantage > 0 for {what}, found "
                                   f"{_fmt(v)}")
    exact = not isinstance(v["prize"], float) and not isinstance(grid[0], float)
    if not exact:
        grid = [float(x) for x in grid]
        v = {k: float(x) for k, x in v.items()}
    one = Fraction(1) if exact else 1.0
    shape = (len(grid), len(grid))
    players = _players("Contestant", 2)
    actions = (_level_names(grid),) * 2
    n_states = 2 * D + 1
    transitions = _object_array((n_states, *shape, n_states), exact)
    stages = []
    for s in range(n_states):
        d = s - D
        weight = (one * v["advantage"]) ** d
        payoffs = _object_array((2, *shape), exact)
        prizes = _object_array((2, *shape), exact)
        balance = _object_array(shape, exact)
        for a1, a2 in np.ndindex(*shape):
            x1, x2 = grid[a1] ** r, grid[a2] ** r
            total = weight * x1 + x2
            p1 = weight * x1 / total if total > 0 else weight / (weight + 1)
            prizes[0, a1, a2], prizes[1, a1, a2] = v["prize"] * p1, v["prize"] * (one - p1)
            payoffs[0, a1, a2] = prizes[0, a1, a2] - v["cost"] * grid[a1]
            payoffs[1, a1, a2] = prizes[1, a1, a2] - v["cost"] * grid[a2]
            up, down = min(D, d + 1), max(-D, d - 1)
            transitions[s, a1, a2, up + D] += p1
            transitions[s, a1, a2, down + D] += one - p1
            balance[a1, a2] = D - (p1 * abs(up) + (one - p1) * abs(down))
        stages.append(Game(payoffs, players=players, actions=actions,
                           layers={"objective": payoffs.sum(axis=0)[np.newaxis],
                                   "value": balance[np.newaxis], "preference": payoffs,
                                   "prize": prizes},
                           criteria={"objective": ("welfare",), "value": ("balance",),
                                     "preference": players, "prize": players},
                           title=f"Contest stage at gap {d:+d}", exact=exact))
    title = (f"Capability contest (efforts {', '.join(format_number(x) for x in grid)}, "
             f"{_fmt(v)}, max_gap={D})")
    return MarkovGame(stages, transitions, initial=D,
                      states=tuple(f"gap {s - D:+d}" for s in range(n_states)), title=title)


# ---------------------------------------------------------------------------------------
# Signalling


def cheap_talk(states: int = 3, messages: int | None = None, bias: Any = Fraction(1, 3), *,
               actions: int | None = None) -> Any:
    r"""A discretised cheap-talk game (Crawford & Sobel 1982): the sender knows the state,
    the receiver acts, and talk is free.

    The state :math:`\theta` is uniform on the grid :math:`\{0, 1/(s-1), \dots, 1\}` of
    ``states`` points and known only to the sender, who sends one of ``messages``
    messages (default: one per state, ``"say k/(s-1)"``, so that *lying* is reporting
    another state). The receiver sees the message and picks an action :math:`a` on the
    grid of ``actions`` points of [0, 1] (default: the state grid). Losses are
    quadratic: the receiver gets :math:`-(a - \theta)^2` and the sender, whose ideal
    action is shifted by its ``bias`` b, :math:`-(a - \theta - b)^2`.

    Layers (expected under the prior in the strategic form):

    - ``value``: ``"truthfulness"`` (1 when the message reports the true state; only when
      there is one message per state) and ``"receiver welfare"`` (the receiver
      principal's :math:`-(a - \theta)^2`);
    - ``preference``: one criterion per principal, ``"sender principal"`` and
      ``"receiver principal"`` (their quadratic utilities, never summed).

    Every grid action in [0, 1] is the receiver's best reply to some belief (the one
    whose mean is that action), so each Nash equilibrium of the strategic form is a
    perfect Bayesian equilibrium. Solve it with :func:`games.signalling.signalling_equilibria`.

    Parameters
    ----------
    states : int, >= 2
    messages : int, >= 1, optional
    bias : number
        The sender's bias b (exact payoffs when exact).
    actions : int, >= 2, optional

    Returns
    -------
    games.signalling.SignallingGame
        A :class:`games.bayesian.BayesianGame` whose receiver actions are plans (one action
        per message): its size grows as ``actions ** messages``.
    """
    n_states = _count(states, "states", "the number of states", 2)
    n_messages = n_states if messages is None else _count(
        messages, "messages", "the number of messages", 1)
    n_actions = n_states if actions is None else _count(
        actions, "actions", "the number of receiver actions", 2)
    b = _number(bias, "bias", "the sender's bias")
    exact = isinstance(b, Fraction)
    theta = [Fraction(k, n_states - 1) for k in range(n_states)]
    grid = [Fraction(k, n_actions - 1) for k in range(n_actions)]
    if not exact:
        theta, grid = [float(x) for x in theta], [float(x) for x in grid]
    dtype = object if exact else np.float64
    shape = (n_states, n_messages, n_actions)
    sender = np.empty(shape, dtype=dtype)
    receiver = np.empty(shape, dtype=dtype)
    truth = np.empty(shape, dtype=dtype)
    for k, m, a in np.ndindex(*shape):
        sender[k, m, a] = -(grid[a] - theta[k] - b) ** 2
        receiver[k, m, a] = -(grid[a] - theta[k]) ** 2
        truth[k, m, a] = (1 if exact else 1.0) * (m == k)
    truthful = tuple(range(n_states)) if n_messages == n_states else None
    value = [truth, receiver] if truthful is not None else [receiver]
    value_names = ("truthfulness", "receiver welfare") if truthful is not None else \
        ("receiver welfare",)
    state_names = _labels("theta=", theta)
    message_names = tuple(f"say {format_number(x)}" for x in theta) if truthful is not None \
        else tuple(f"m{j + 1}" for j in range(n_messages))
    signalling = importlib.import_module("games.signalling")  # lazy, like games.bayesian
    return signalling.SignallingGame(
        [Fraction(1, n_states) if exact else 1.0 / n_states] * n_states, sender, receiver,
        states=state_names, messages=message_names, actions=_labels("a=", grid),
        state_values=theta, action_values=grid, truthful=truthful,
        layers={"value": np.stack(value), "preference": np.stack([sender, receiver])},
        criteria={"value": value_names,
                  "preference": ("sender principal", "receiver principal")},
        title=f"Cheap talk ({n_states} states, {n_messages} messages, {n_actions} actions, "
              f"bias={format_number(b)})")
