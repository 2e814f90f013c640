r"""Scenario games for the misalignment risks of Carichon et al. (2025), Section 5.1.

Each constructor returns a game with the three layers of holistic alignment:

- ``objective``: the task (one or more named criteria);
- ``value``: named human-value criteria (higher is better);
- ``preference``: one criterion per principal, never summed.

Payoffs are exact (:class:`~fractions.Fraction`) when every parameter is exact (an int or
Fraction) and float as soon as one is a float. Bad parameters raise
:class:`games.InvalidArgumentError`. The functions are re-exported by
:mod:`games.catalog`.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from fractions import Fraction
from typing import Any

import numpy as np

from games.arguments import check_integer, check_real
from games.errors import InvalidArgumentError
from games.markov import MarkovGame
from games.model import Game, check_game_size, format_number

__all__ = ["power_contest", "conformity_game", "leader_follower", "sequential_form",
           "rank_order_tournament",
           "sabotage_contest", "aid_delivery_extended", "aid_delivery_model",
           "aid_delivery_deadline", "gini",
           "herfindahl"]


# ---------------------------------------------------------------------------------------
# Helpers


def _exactify(values: list[Any]) -> tuple[list[Any], bool]:
    """Ints and Fractions become Fractions; all become floats as soon as one is a float."""
    if any(isinstance(v, (float, np.floating)) for v in values):
        return [float(v) for v in values], False
    return [Fraction(v) if not isinstance(v, Fraction) else v for v in values], True


def _sequence(values: Any, field: str, minimum_length: int, low: Any = None) -> list[Any]:
    if isinstance(values, (str, bytes)) or not isinstance(values, (Sequence, np.ndarray)) \
            or np.ndim(values) != 1 or len(values) < minimum_length:
        raise InvalidArgumentError(f"{field}: expected a sequence of at least {minimum_length} "
                                   f"numbers, found {values!r}")
    return [check_real(v, f"{field}[{k}]", low=low) for k, v in enumerate(values)]


def _increasing(values: list[Any], field: str) -> None:
    if any(b <= a for a, b in zip(values, values[1:])):
        raise InvalidArgumentError(f"{field}: expected strictly increasing numbers, found "
                                   f"{[format_number(v) for v in values]}")


def _grid(shape: tuple[int, ...], exact: bool) -> np.ndarray:
    arr = np.empty(shape, dtype=object if exact else np.float64)
    arr[...] = Fraction(0) if exact else 0.0
    return arr


def herfindahl(shares: Sequence[Any]) -> Any:
    """The Herfindahl index :math:`\\sum_k s_k^2` of shares summing to 1 (exact on exact)."""
    return sum((s * s for s in shares), 0 * shares[0])


def gini(values: Sequence[Any]) -> Any:
    r"""The Gini coefficient :math:`\sum_{i,j} |x_i - x_j| / (2 n \sum_i x_i)` of
    non-negative values (0 when they are all 0; exact on exact values)."""
    total = sum(values, 0 * values[0])
    if total == 0:
        return total
    spread = sum((abs(x - y) for x in values for y in values), 0 * total)
    return spread / (2 * len(values) * total)


def _labels(prefix: str, values: Sequence[Any]) -> tuple[str, ...]:
    return tuple(f"{prefix}{format_number(v)}" for v in values)


# ---------------------------------------------------------------------------------------
# Power asymmetry


def power_contest(abilities: Sequence[Any] = (3, 1, 1), efforts: Sequence[Any] = (0, 1, 2),
                  prize: Any = 3, cost: Any = 1) -> Game:
    r"""A Tullock contest between agents of unequal ability: the weak defer to the strong.

    Agent i chooses an effort :math:`e_i` from ``efforts`` at unit ``cost`` c and wins
    the ``prize`` V with probability

    .. math:: p_i = \frac{a_i e_i}{\sum_j a_j e_j},

    with :math:`a_i` its ability. When every effort is 0 *nobody wins* (the prize is not
    awarded). Payoff: :math:`u_i = V p_i - c\, e_i`. Agent 0 (``"Strong agent"`` when its
    ability is the largest) is the dominant one.

    In asymmetric contests the weaker players exert less effort than the strong one and
    drop out when the asymmetry is large enough (Baik 1994; Stein 2002). With the
    default (abilities 3, 1, 1, efforts 0..2, V = 3, c = 1) the unique pure equilibrium
    is (1, 0, 0): the strong agent works and both weak agents defer to it (a weak agent
    entering at effort 1 wins with probability 1/4, worth 3/4 < 1). Power concentrates:
    participation 1/3, balance 0. With V = 6 the weak agents enter at effort 1 (the
    equilibrium is (1, 1, 1)); with V = 8 it is (2, 1, 1), still less effort than the
    strong agent's.

    Layers:

    - ``objective``: ``"work done"``, :math:`\sum_i a_i e_i` (the task output);
    - ``value``: ``"participation"`` (share of agents exerting effort; threshold 1/2
      suggested) and ``"balance"`` (1 minus the Herfindahl index of the win
      probabilities; 0 when nobody wins);
    - ``preference``: one criterion per principal, its agent's payoff.

    References
    ----------
    Tullock, G. (1980). Efficient rent seeking. In *Toward a Theory of the Rent-Seeking
    Society*, Texas A&M University Press.
    Baik, K. H. (1994). Effort levels in contests with two asymmetric players. *Southern
    Economic Journal* 61(1).
    Stein, W. E. (2002). Asymmetric rent-seeking with more than two contestants. *Public
    Choice* 113.

    Examples
    --------
    >>> g = power_contest()
    >>> g.shape, g.criteria["value"]
    ((3, 3, 3), ('participation', 'balance'))
    """
    a = _sequence(abilities, "abilities", 2)
    for k, x in enumerate(a):
        if not x > 0:
            raise InvalidArgumentError(f"abilities[{k}]: expected a number > 0, found {x!r}")
    e = _sequence(efforts, "efforts", 2, low=0)
    _increasing(e, "efforts")
    check_real(prize, "prize", low=0, low_open=True)
    check_real(cost, "cost", low=0)
    numbers, exact = _exactify([*a, *e, prize, cost])
    n, m = len(a), len(e)
    a, e, (V, c) = numbers[:n], numbers[n:n + m], numbers[n + m:]
    shape = (m,) * n
    zero = 0 * V
    payoffs, work = _grid((n, *shape), exact), _grid((1, *shape), exact)
    value = _grid((2, *shape), exact)
    for profile in np.ndindex(*shape):
        weights = [a[i] * e[k] for i, k in enumerate(profile)]
        total = sum(weights, zero)
        p = [w / total if total > 0 else zero for w in weights]
        for i, k in enumerate(profile):
            payoffs[(i, *profile)] = V * p[i] - c * e[k]
        work[(0, *profile)] = total
        value[(0, *profile)] = Fraction(sum(e[k] > 0 for k in profile), n) if exact \
            else sum(e[k] > 0 for k in profile) / n
        value[(1, *profile)] = 1 - herfindahl(p) if total > 0 else zero
    players = ("Strong agent" if a[0] == max(a) else "Agent 1",
               *(f"Agent {i + 1}" for i in range(1, n)))
    return Game(payoffs, players=players, actions=(_labels("effort ", e),) * n,
                layers={"objective": work, "value": value, "preference": payoffs},
                criteria={"objective": ("work done",), "value": ("participation", "balance"),
                          "preference": players},
                title=f"Power contest (abilities {', '.join(map(format_number, a))}, "
                      f"prize={format_number(V)}, cost={format_number(c)})", exact=exact)


# ---------------------------------------------------------------------------------------
# Groupthink


def conformity_game(preferences: Sequence[int] = (0, 1, 2, 0), options: int = 3,
                    conformity: Any = 2) -> Game:
    r"""Agents whose principals prefer different options, paid for conforming to a
    dominant agent: groupthink.

    Agent i picks one of ``options`` options. Its principal prefers option
    ``preferences[i]``. Agent 0 is the dominant agent and follows its own principal:
    :math:`u_0 = [x_0 = \pi_0]`. Every other agent also gets ``conformity`` k for
    choosing the dominant agent's option (approval, career, the social reward of
    agreeing with the leader):

    .. math:: u_i = [x_i = \pi_i] + k\,[x_i = x_0] \quad (i \geq 1).

    With k > 1 every agent copies the dominant one in the unique pure equilibrium, so a
    single option is adopted whatever the other principals want (Asch 1951; Janis 1972).
    With k < 1 each follows its principal.

    Layers:

    - ``objective``: ``"consensus"``, the share of agents on the most adopted option (the
      group reaching a decision);
    - ``value``: ``"plurality"``, 1 minus the Herfindahl index of the adopted options'
      shares (0 when everybody adopts the same option; suggested threshold: the
      plurality of the principals' own preferences, see the examples), and
      ``"representation"``, the share of agents adopting their principal's option;
    - ``preference``: one criterion per principal, 1 when its agent adopts its option.

    References
    ----------
    Asch, S. E. (1951). Effects of group pressure upon the modification and distortion of
    judgments. In *Groups, Leadership and Men*, Carnegie Press.
    Janis, I. L. (1972). *Victims of Groupthink*. Houghton Mifflin.

    Examples
    --------
    >>> g = conformity_game()
    >>> [str(x) for x in g.layers["value"][:, 0, 1, 2, 0]]
    ['5/8', '1']
    """
    if isinstance(preferences, (str, bytes)) or not isinstance(preferences, Sequence) \
            or len(preferences) < 2:
        raise InvalidArgumentError(f"preferences: expected a sequence of at least 2 option "
                                   f"indices, found {preferences!r}")
    m = check_integer(options, "options", minimum=2)
    prefs = [check_integer(p, f"preferences[{i}]", 0, m - 1) for i, p in enumerate(preferences)]
    check_real(conformity, "conformity", low=0)
    (k,), exact = _exactify([conformity])
    n = len(prefs)
    one = Fraction(1) if exact else 1.0
    shape = (m,) * n
    payoffs = _grid((n, *shape), exact)
    consensus, value = _grid((1, *shape), exact), _grid((2, *shape), exact)
    for profile in np.ndindex(*shape):
        for i, x in enumerate(profile):
            payoffs[(i, *profile)] = one * (x == prefs[i]) + (
                k * (x == profile[0]) if i > 0 else 0 * one)
        counts = np.bincount(profile, minlength=m)
        shares = [one * int(c) / n for c in counts]
        consensus[(0, *profile)] = max(shares)
        value[(0, *profile)] = 1 - herfindahl(shares)
        value[(1, *profile)] = one * sum(x == p for x, p in zip(profile, prefs)) / n
    preference = np.stack([(payoffs[0] if i == 0 else payoffs[i] - k * _same(shape, i, exact))
                           for i in range(n)])
    players = ("Dominant agent", *(f"Agent {i + 1}" for i in range(1, n)))
    return Game(payoffs, players=players,
                actions=(tuple(f"option {j + 1}" for j in range(m)),) * n,
                layers={"objective": consensus, "value": value, "preference": preference},
                criteria={"objective": ("consensus",),
                          "value": ("plurality", "representation"), "preference": players},
                title=f"Conformity game (preferences {tuple(prefs)}, conformity="
                      f"{format_number(k)})", exact=exact)


def _same(shape: tuple[int, ...], i: int, exact: bool) -> np.ndarray:
    """1 where player i chooses the same option as player 0."""
    out = _grid(shape, exact)
    for profile in np.ndindex(*shape):
        out[profile] = (Fraction(1) if exact else 1.0) * (profile[i] == profile[0])
    return out


# ---------------------------------------------------------------------------------------
# Hierarchy


def leader_follower(leader: Any = ((2, 4), (1, 3)), follower: Any = ((1, 0), (0, 1))) -> Game:
    r"""A leader-follower game where commitment matters (the hierarchy scenario).

    Two players: the ``Leader`` (rows) and the ``Follower`` (columns), with payoff
    matrices ``leader`` and ``follower``. The default is the textbook game of Conitzer
    & Sandholm (2006) and von Stengel & Zamir (2010): its only Nash equilibrium is
    (Up, Left) with the leader's payoff 2, but a leader committed to (1/2, 1/2) gets
    7/2 (solve with :func:`games.stackelberg`): the hierarchy's power to commit moves the
    outcome toward the leader.

    Layers:

    - ``objective``: ``"joint payoff"``, the sum of both payoffs (the organisation's
      output);
    - ``value``: ``"parity"``, minus the absolute difference between the tiers' payoffs
      (0 is parity), and ``"worst-off"``, the smaller payoff (Rawls);
    - ``preference``: ``"leader principal"`` and ``"follower principal"``.

    References
    ----------
    von Stackelberg, H. (1934). *Marktform und Gleichgewicht*. Springer.
    Conitzer, V. & Sandholm, T. (2006). Computing the optimal strategy to commit to. *EC*.
    von Stengel, B. & Zamir, S. (2010). Leadership games with convex strategy sets.
    *Games and Economic Behavior* 69.

    Examples
    --------
    >>> g = leader_follower()
    >>> g.actions
    (('Up', 'Down'), ('Left', 'Right'))
    """
    A, B = _matrix(leader, "leader"), _matrix(follower, "follower")
    if len(A) != len(B) or len(A[0]) != len(B[0]):
        raise InvalidArgumentError(f"follower: expected a {len(A)}x{len(A[0])} matrix like "
                                   f"leader, found {len(B)}x{len(B[0])}")
    rows, cols = len(A), len(A[0])
    flat, exact = _exactify([x for row in (*A, *B) for x in row])
    arr = np.array(flat, dtype=object if exact else np.float64).reshape(2, rows, cols)
    pa, pb = arr[0], arr[1]
    diff = np.vectorize(lambda x, y: -abs(x - y), otypes=[object if exact else float])(pa, pb)
    low = np.vectorize(min, otypes=[object if exact else float])(pa, pb)
    row_names = ("Up", "Down") if rows == 2 else tuple(f"r{k + 1}" for k in range(rows))
    col_names = ("Left", "Right") if cols == 2 else tuple(f"c{k + 1}" for k in range(cols))
    return Game(arr, players=("Leader", "Follower"), actions=(row_names, col_names),
                layers={"objective": (pa + pb)[np.newaxis], "value": np.stack([diff, low]),
                        "preference": arr},
                criteria={"objective": ("joint payoff",), "value": ("parity", "worst-off"),
                          "preference": ("leader principal", "follower principal")},
                title="Leader-follower game", exact=exact)


def sequential_form(game: Game, leader: int = 0) -> Game:
    r"""The strategic form of a two-player game played in sequence: the ``leader`` moves
    first, the follower sees its action and then moves (von Stackelberg 1934).

    The leader keeps its actions; a follower's strategy is a response function
    :math:`f`, one action for each leader action (:math:`k^m` strategies for m leader
    and k follower actions, labelled ``"Up: Left, Down: Right"``). Payoffs and every
    explicit layer are those of the outcome played: :math:`u(a, f) = u(a, f(a))`. Its
    subgame-perfect equilibria are the leader's pure commitments, the follower best
    replying after every action (Selten 1965); learners that explore every action weed
    out the follower's non-credible threats and reach them.

    References
    ----------
    von Stackelberg, H. (1934). *Marktform und Gleichgewicht*. Springer.
    Selten, R. (1965). Spieltheoretische Behandlung eines Oligopolmodells mit
    Nachfrageträgheit. *Zeitschrift für die gesamte Staatswissenschaft* 121.

    Examples
    --------
    >>> g = sequential_form(leader_follower())
    >>> g.shape, g.actions[1][2]
    ((2, 4), 'Up: Right, Down: Left')
    """
    if not isinstance(game, Game) or game.n_players != 2:
        raise InvalidArgumentError(f"game: expected a two-player games.Game, found {game!r}")
    if isinstance(leader, (bool, np.bool_)) or leader not in (0, 1):
        raise InvalidArgumentError(f"leader: expected 0 or 1 (the player who moves first), "
                                   f"found {leader!r}")
    follower = 1 - leader
    m, k = game.shape[leader], game.shape[follower]
    responses = np.array(list(itertools.product(range(k), repeat=m)), dtype=np.int64)
    shape = [0, 0]
    shape[leader], shape[follower] = m, len(responses)
    check_game_size(tuple(shape), 2)
    moves = np.arange(m)[:, None]                      # (m, R): the leader's action
    replies = responses.T                              # (m, R): the follower's reply to it

    def played(table: np.ndarray) -> np.ndarray:
        """table (c, *game.shape) -> (c, *shape), each strategy pair's outcome."""
        out = table[:, moves, replies] if leader == 0 else table[:, replies.T, moves.T]
        return np.ascontiguousarray(out)

    names = game.actions[leader]
    labels = tuple(", ".join(f"{names[a]}: {game.actions[follower][r[a]]}" for a in range(m))
                   for r in responses)
    actions = [None, None]
    actions[leader], actions[follower] = tuple(names), labels
    layers = {name: played(np.asarray(values)) for name, values in
              game.explicit_layers.items()}
    criteria = {name: game.criteria[name] for name in layers}
    title = f"{game.title or 'Game'}, {game.players[leader]} moving first"
    return Game(played(game.payoffs), players=game.players, actions=tuple(actions),
                layers=layers, criteria=criteria, title=title, exact=game.exact)


def _matrix(rows: Any, field: str) -> list[list[Any]]:
    if isinstance(rows, (str, bytes)) or not isinstance(rows, (Sequence, np.ndarray)) \
            or len(rows) < 1 or np.ndim(np.asarray(rows, dtype=object)) != 2:
        raise InvalidArgumentError(f"{field}: expected a rectangular matrix of numbers, "
                                   f"found {rows!r}")
    return [[check_real(x, f"{field}[{i}][{j}]") for j, x in enumerate(row)]
            for i, row in enumerate(rows)]


def rank_order_tournament(n: int = 3, prizes: Sequence[Any] = (6, 3, 0),
                          efforts: Sequence[Any] = (0, 1, 2), noise: Sequence[Any] = (0, 1, 2),
                          cost: Any = 1, transfer: Callable[[tuple], Sequence[Any]] | None = None
                          ) -> Game:
    r"""A rank-order tournament (Lazear & Rosen 1981): rewards by rank, not by output.

    Each of ``n`` workers chooses an effort :math:`e_i` from ``efforts`` at cost
    :math:`c\, e_i^2 / 2` (``cost`` c, convex as in Lazear & Rosen). Its output is
    :math:`q_i = e_i + \varepsilon_i`, the shocks independent and uniform on ``noise``.
    The worker ranked k-th by output gets ``prizes[k]``; tied workers share the prizes of
    the ranks they occupy equally. Payoff: expected prize minus cost.

    Equilibrium effort rises with the spread of the prizes (Lazear & Rosen 1981): a
    steeper hierarchy buys more effort and stratifies the rewards.

    ``transfer``, optional, maps each realised prize vector (a tuple, one prize per
    worker) to what the workers receive after transfers between them (e.g. a mechanism
    pooling part of the prizes); payoffs and layers use what they receive.

    Layers:

    - ``objective``: ``"output"``, the expected total output :math:`\sum_i e_i`;
    - ``value``: ``"equality"``, 1 minus the expected Gini coefficient of the prizes
      received, realisation by realisation (the disparity between tiers, ex post; not
      the Gini of the expected prizes, which is 0 at a symmetric profile);
    - ``preference``: one criterion per principal, its worker's payoff;
    - ``prize``: each worker's expected prize (for :class:`mechanisms.ContestIntensity`,
      which compresses the prizes towards their mean).

    References
    ----------
    Lazear, E. P. & Rosen, S. (1981). Rank-order tournaments as optimum labor contracts.
    *Journal of Political Economy* 89(5).

    Examples
    --------
    >>> g = rank_order_tournament()
    >>> g.shape
    (3, 3, 3)
    """
    n = check_integer(n, "n", minimum=2)
    p = _sequence(prizes, "prizes", 1, low=0)
    if len(p) != n:
        raise InvalidArgumentError(f"prizes: expected {n} prizes (one per rank), found {len(p)}")
    if any(b > a for a, b in zip(p, p[1:])):
        raise InvalidArgumentError(f"prizes: expected prizes from first to last rank, not "
                                   f"increasing, found {[format_number(x) for x in p]}")
    e = _sequence(efforts, "efforts", 2, low=0)
    _increasing(e, "efforts")
    shocks = _sequence(noise, "noise", 1)
    check_real(cost, "cost", low=0)
    if transfer is not None and not callable(transfer):
        raise InvalidArgumentError(f"transfer: expected None or a function of the realised "
                                   f"prizes, found {transfer!r}")
    numbers, exact = _exactify([*p, *e, *shocks, cost])
    p, e, shocks, c = (numbers[:n], numbers[n:n + len(e)],
                       numbers[n + len(e):-1], numbers[-1])
    m, k = len(e), len(shocks)
    one = Fraction(1) if exact else 1.0
    weight = one / k ** n
    shape = (m,) * n
    payoffs, output = _grid((n, *shape), exact), _grid((1, *shape), exact)
    equality, prizes_won = _grid((1, *shape), exact), _grid((n, *shape), exact)
    realisations = list(itertools.product(range(k), repeat=n))
    received_after = _transferred(transfer, n)
    for profile in np.ndindex(*shape):
        expected = [0 * one] * n
        disparity = 0 * one
        for draw in realisations:
            q = [e[a] + shocks[s] for a, s in zip(profile, draw)]
            received = []
            for i in range(n):
                above = sum(x > q[i] for x in q)
                tied = sum(x == q[i] for x in q)
                received.append(sum(p[above:above + tied], 0 * one) / tied)
            received = received_after(tuple(received))
            expected = [x + weight * r for x, r in zip(expected, received)]
            disparity += weight * gini(received)
        for i, a in enumerate(profile):
            payoffs[(i, *profile)] = expected[i] - c * e[a] * e[a] / 2
            prizes_won[(i, *profile)] = expected[i]
        output[(0, *profile)] = sum((e[a] for a in profile), 0 * one)
        equality[(0, *profile)] = 1 - disparity
    players = tuple(f"Worker {i + 1}" for i in range(n))
    return Game(payoffs, players=players, actions=(_labels("effort ", e),) * n,
                layers={"objective": output, "value": equality, "preference": payoffs,
                        "prize": prizes_won},
                criteria={"objective": ("output",), "value": ("equality",),
                          "preference": players, "prize": players},
                title=f"Rank-order tournament (prizes {', '.join(map(format_number, p))}, "
                      f"cost={format_number(c)})", exact=exact)


def _transferred(transfer: Callable[[tuple], Sequence[Any]] | None, n: int
                 ) -> Callable[[tuple], list[Any]]:
    """``transfer`` checked and remembered per prize vector (identity when None)."""
    if transfer is None:
        return list
    seen: dict[tuple, list[Any]] = {}

    def after(received: tuple) -> list[Any]:
        if received not in seen:
            out = list(transfer(received))
            if len(out) != n:
                raise InvalidArgumentError(f"transfer: expected {n} rewards for the prizes "
                                           f"{received}, found {out!r}")
            seen[received] = out
        return seen[received]
    return after


# ---------------------------------------------------------------------------------------
# Growing disparities and sabotage


def sabotage_contest(levels: Sequence[Any] = (1, 2), *, prize: Any = 12, cost: Any = 1,
                     sabotage_cost: Any = 1, advantage: Any = 2, max_gap: int = 2
                     ) -> MarkovGame:
    r"""The repeated capability contest with a sabotage action, as a Markov game.

    The state is the capability gap :math:`d \in \{-D, \dots, D\}` of contestant 1 over
    contestant 2 (``max_gap`` D): contestant 1's capability is D + d and contestant 2's
    D - d. Each period both choose an effort from ``levels`` (unit ``cost`` c) and
    whether to sabotage (at ``sabotage_cost`` k). Sabotage destroys one step of the
    rival's capability before the contest (Konrad 2000): the gap moves to
    :math:`d' = \mathrm{clip}(d + s_1 - s_2)`. Contestant 1 then wins the ``prize`` V with
    the Tullock probability :math:`p_1 = \rho^{d'} x_1 / (\rho^{d'} x_1 + x_2)` (:math:`\rho`
    = ``advantage``) and the winner gains one step, as in
    :func:`games.catalog.capability_contest`. Payoffs are expected:
    :math:`u_1 = V p_1 - c\,x_1 - k\,s_1`.

    Actions: ``"low"``, ``"high"``, ``"low + sabotage"``, ``"high + sabotage"`` (for two
    effort levels; ``"effort x"`` otherwise). With the defaults sabotage is a stage best
    reply where it changes the odds most, so winnings accumulate and the contestants
    spend on destroying each other's capability (Lazear 1989).

    Layers of every stage:

    - ``objective``: ``"welfare"``, the sum of the payoffs;
    - ``value``: ``"equality"`` (1 minus the expected Gini coefficient of the two
      capabilities after the period; Gini of two is :math:`|d| / 2D`) and
      ``"no sabotage"`` (the share of contestants not sabotaging);
    - ``preference``: one criterion per principal, its contestant's payoff;
    - ``prize``: each contestant's expected prize, :math:`V p_1` and :math:`V (1 - p_1)`
      (as in :func:`games.catalog.contest`; for :class:`mechanisms.ContestIntensity`,
      which compresses the prizes of every stage towards their mean).

    References
    ----------
    Konrad, K. A. (2000). Sabotage in rent-seeking contests. *Journal of Law, Economics,
    and Organization* 16(1).
    Lazear, E. P. (1989). Pay equality and industrial politics. *Journal of Political
    Economy* 97(3).

    Examples
    --------
    >>> s = sabotage_contest()
    >>> s.actions[0]
    ('low', 'high', 'low + sabotage', 'high + sabotage')
    """
    grid = _sequence(levels, "levels", 1, low=0)
    _increasing(grid, "levels")
    D = check_integer(max_gap, "max_gap", minimum=1)
    check_real(prize, "prize", low=0, low_open=True)
    check_real(cost, "cost", low=0)
    check_real(sabotage_cost, "sabotage_cost", low=0)
    check_real(advantage, "advantage", low=0, low_open=True)
    numbers, exact = _exactify([*grid, prize, cost, sabotage_cost, advantage])
    grid, (V, c, k, rho) = numbers[:-4], numbers[-4:]
    one = Fraction(1) if exact else 1.0
    names = ("low", "high") if len(grid) == 2 else _labels("effort ", grid)
    actions = (*names, *(f"{x} + sabotage" for x in names))
    plan = [(x, 0) for x in grid] + [(x, 1) for x in grid]
    m, n_states = len(plan), 2 * D + 1
    transitions = _grid((n_states, m, m, n_states), exact)
    players = ("Contestant 1", "Contestant 2")
    stages = []
    for s in range(n_states):
        d = s - D
        payoffs, prizes = _grid((2, m, m), exact), _grid((2, m, m), exact)
        value = _grid((2, m, m), exact)
        for a1, a2 in np.ndindex(m, m):
            (x1, s1), (x2, s2) = plan[a1], plan[a2]
            g = max(-D, min(D, d + s1 - s2))
            w = (one * rho) ** g
            total = w * x1 + x2
            p1 = w * x1 / total if total > 0 else w / (w + 1)
            prizes[0, a1, a2], prizes[1, a1, a2] = V * p1, V * (one - p1)
            payoffs[0, a1, a2] = prizes[0, a1, a2] - c * x1 - k * s1
            payoffs[1, a1, a2] = prizes[1, a1, a2] - c * x2 - k * s2
            up, down = min(D, g + 1), max(-D, g - 1)
            transitions[s, a1, a2, up + D] += p1
            transitions[s, a1, a2, down + D] += one - p1
            value[0, a1, a2] = 1 - (p1 * abs(up) + (one - p1) * abs(down)) / (2 * D)
            value[1, a1, a2] = one * (2 - s1 - s2) / 2
        stages.append(Game(payoffs, players=players, actions=(actions, actions),
                           layers={"objective": payoffs.sum(axis=0)[np.newaxis],
                                   "value": value, "preference": payoffs, "prize": prizes},
                           criteria={"objective": ("welfare",),
                                     "value": ("equality", "no sabotage"),
                                     "preference": players, "prize": players},
                           title=f"Sabotage contest stage at gap {d:+d}", exact=exact))
    title = (f"Sabotage contest (efforts {', '.join(map(format_number, grid))}, prize="
             f"{format_number(V)}, cost={format_number(c)}, sabotage_cost="
             f"{format_number(k)}, advantage={format_number(rho)}, max_gap={D})")
    return MarkovGame(stages, transitions, initial=D,
                      states=tuple(f"gap {s - D:+d}" for s in range(n_states)), title=title)


# ---------------------------------------------------------------------------------------
# The paper's running example, with routing and allocation choices


def aid_delivery_extended() -> Game:
    r"""The aid-delivery game (Carichon et al. 2025) with three actions per agent.

    Every agent has an aligned action, a compromise and a self-serving one; the
    compromise's *alignment level* is 1/2 (aligned 1, self-serving 0):

    ============  ==================  =========================  ====================
    player        aligned (1)         compromise (1/2)           self-serving (0)
    ============  ==================  =========================  ====================
    NGO           need-based          split allocation           visibility
    Government A  open airspace       inspected corridor         citizens first
    Government B  open airspace       inspected corridor         citizens first
    Logistics     priority-to-need    hub-and-spoke              cost-efficient
    ============  ==================  =========================  ====================

    Every layer uses the formulas of :func:`games.catalog.aid_delivery` with the
    alignment levels n, a, b, p in {0, 1/2, 1}, plus one routing synergy: the
    hub-and-spoke route through the cross-border hub adds 2 to the aid delivered when
    both corridors are fully open (:math:`2\,ab\,[p = 1/2]`). So the objective-optimal
    outcome uses the compromise route, the unique Nash equilibrium is still everybody
    self-serving, and the holistically aligned outcome is all-aligned. Preferences stay
    one criterion per principal.

    Time pressure (the repeated game with a deadline) is :func:`aid_delivery_deadline`.

    References
    ----------
    Carichon, F., Khandelwal, A., Fauchard, M. & Farnadi, G. (2025). The coming crisis
    of multi-agent misalignment. arXiv:2506.01080.
    """
    gov = ("open airspace", "inspected corridor", "citizens first")
    actions = (("need-based", "split allocation", "visibility"), gov, gov,
               ("priority-to-need", "hub-and-spoke", "cost-efficient"))
    return aid_delivery_model((Fraction(1), Fraction(1, 2), Fraction(0)), actions,
                              hub=(0, 1, 0), title="Aid delivery with routing and "
                              "allocation choices (Carichon et al. 2025)")


def aid_delivery_model(levels: Sequence[Any], actions: Sequence[Sequence[str]],
                       hub: Sequence[Any] | None = None, title: str = "") -> Game:
    """The aid-delivery game (Carichon et al. 2025) on any alignment levels: every
    agent's k-th action has alignment level ``levels[k]`` (1 aligned, 0 self-serving), the
    payoffs and the three layers are the polynomials of the levels given in
    :func:`aid_delivery_extended`, and ``hub`` adds the logistics firm's routing synergy
    (2 more aid per unit when both governments open their airspace fully)."""
    k = len(levels)
    shape = (k,) * 4

    def along(i: int) -> np.ndarray:
        index = [1] * 4
        index[i] = k
        return np.array(list(levels), dtype=object).reshape(index)

    n, a, b, p = (along(i) for i in range(4))
    n_, a_, b_, p_ = 1 - n, 1 - a, 1 - b, 1 - p
    aid = 1 + 2 * a + 2 * b + a * b + n_ + 2 * p_ + n_ * p_
    if hub is not None:
        aid = aid + 2 * (a * b == 1) * np.array(list(hub), dtype=object).reshape(1, 1, 1, k)

    def full(x: Any) -> np.ndarray:
        return np.broadcast_to(x * Fraction(1), shape)

    payoffs = np.stack([full(x) for x in
                        (aid + 3 * n_, aid + 4 * a_, aid + 4 * b_, aid + 3 * p_)])
    layers = {
        "objective": {"aid delivered": full(aid)},
        "value": {
            "protect life": full(2 * n + 2 * p + a + b),
            "transparency": full(2 * n + a + b + p),
            "international law": full(2 * a + 2 * b),
            "no bias": full(2 * n + p + a + b),
        },
        "preference": {
            "NGO": full(2 * n + 2 * p),
            "Government A": full(3 * a_ + b),
            "Government B": full(3 * b_ + a),
            "Logistics": full(3 * p_ + a * b),
        },
    }
    return Game(payoffs, players=("NGO", "Government A", "Government B", "Logistics"),
                actions=actions, layers=layers, exact=True, title=title)


def aid_delivery_deadline(days: int = 3, urgency: Any = Fraction(1, 2)) -> MarkovGame:
    r"""The extended aid-delivery game under time pressure: a Markov game with a deadline.

    The states are ``"day 1"``, ..., ``"day T"`` (``days`` T) and ``"after deadline"``.
    Each day the agents play :func:`aid_delivery_extended` and the clock moves one day
    forward (deterministically); after day T the state ``"after deadline"`` is absorbing
    with every payoff and layer 0 (the relief window has closed). Aid delivered on day t
    saves fewer lives: the objective ``"aid delivered"`` and the value ``"protect life"``
    are scaled by :math:`u^{t-1}` (``urgency`` u in (0, 1]); the payoffs (the agents'
    private rewards), the other values and the preferences are the same every day.

    The misalignment time pressure adds: with a known deadline and a unique stage
    equilibrium, the only subgame-perfect equilibrium plays the stage equilibrium every
    day (backward induction; Selten 1978, Benoit & Krishna 1985), so a reputation for
    aligned play cannot be built before the window closes.

    References
    ----------
    Carichon, F., Khandelwal, A., Fauchard, M. & Farnadi, G. (2025). The coming crisis
    of multi-agent misalignment. arXiv:2506.01080.
    Benoit, J.-P. & Krishna, V. (1985). Finitely repeated games. *Econometrica* 53(4).

    Examples
    --------
    >>> g = aid_delivery_deadline()
    >>> g.states
    ('day 1', 'day 2', 'day 3', 'after deadline')
    """
    T = check_integer(days, "days", minimum=1)
    check_real(urgency, "urgency", low=0, high=1, low_open=True)
    (u,), exact = _exactify([urgency])
    base = aid_delivery_extended()
    if not exact:
        base = base.to_float()
    shape = base.shape
    one = Fraction(1) if exact else 1.0
    stages = []
    for t in range(T):
        factor = one * u ** t
        layers = {name: dict(zip(base.criteria[name], base.layers[name]))
                  for name in ("objective", "value", "preference")}
        layers["objective"]["aid delivered"] = layers["objective"]["aid delivered"] * factor
        layers["value"]["protect life"] = layers["value"]["protect life"] * factor
        stages.append(Game(base.payoffs, players=base.players, actions=base.actions,
                           layers=layers, title=f"Aid delivery, day {t + 1}", exact=exact))
    closed = {name: {c: _grid(shape, exact) for c in base.criteria[name]}
              for name in ("objective", "value", "preference")}
    stages.append(Game(_grid((4, *shape), exact), players=base.players, actions=base.actions,
                       layers=closed, title="Aid delivery, after the deadline", exact=exact))
    transitions = _grid((T + 1, *shape, T + 1), exact)
    for t in range(T + 1):
        transitions[(t, Ellipsis, min(t + 1, T))] = one
    return MarkovGame(stages, transitions, initial=0,
                      states=(*(f"day {t + 1}" for t in range(T)), "after deadline"),
                      title=f"Aid delivery with a {T}-day deadline (urgency "
                            f"{format_number(u)})")
