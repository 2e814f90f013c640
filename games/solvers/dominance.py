"""Iterated elimination of strictly dominated strategies, by pure and by mixed strategies."""

from __future__ import annotations

import html
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import numpy as np

from games.arguments import check_flag
from games.errors import SolverError
from games.model import Game, format_number, json_number
from games.results import tolerance
from games.solvers.zero_sum import maximin_lp

__all__ = ["eliminate_dominated", "Elimination", "Reduction"]

# Pairwise pure-dominance tests are done in blocks of at most this many entries.
_BLOCK_ENTRIES = 2**24


@dataclass(frozen=True)
class Elimination:
    """One eliminated action and its certificate.

    Attributes
    ----------
    round : int
        The elimination round (1-based); actions of one round were dominated in the same
        reduced game.
    player : int
        Index of the player.
    action : str
        Name of the eliminated action.
    dominated_by : dict
        The dominating strategy: action name -> probability (one entry when pure).
    margin : float or Fraction
        The smallest gain of the dominating strategy over the action, over the remaining
        profiles of the other players (> 0).
    player_name : str
        The player's name (``game.players[player]``; empty when not known).
    """

    round: int
    player: int
    action: str
    dominated_by: dict[str, Any]
    margin: Any
    player_name: str = ""

    @property
    def by_mixed(self) -> bool:
        return len(self.dominated_by) > 1

    def _repr_html_(self) -> str:
        by = ", ".join(f"{k}: {format_number(v)}" for k, v in self.dominated_by.items())
        cells = (self.round, self.player, self.action, by, format_number(self.margin))
        return ("<table><tr><th>round</th><th>player</th><th>action</th><th>dominated by</th>"
                "<th>margin</th></tr><tr>"
                + "".join(f"<td>{html.escape(str(c))}</td>" for c in cells) + "</tr></table>")

    def to_dict(self) -> dict[str, Any]:
        number = json_number
        return {"round": self.round, "player": self.player, "player_name": self.player_name,
                "action": self.action,
                "dominated_by": {k: number(v) for k, v in self.dominated_by.items()},
                "margin": number(self.margin)}

    def __str__(self) -> str:
        by = ", ".join(f"{k}: {format_number(v)}" for k, v in self.dominated_by.items())
        who = self.player_name or f"player {self.player}"
        return (f"round {self.round}: {who} drops {self.action!r}, dominated by "
                f"{{{by}}} (margin {format_number(self.margin)})")


@dataclass(frozen=True)
class Reduction:
    """The result of iterated elimination of strictly dominated strategies.

    Attributes
    ----------
    game : Game
        The reduced game.
    original : Game
        The game before elimination.
    order : tuple of Elimination
        Every elimination, in order.
    kept : tuple of tuple of int
        For each player, the indices (in ``original``) of the surviving actions.
    mixed : bool
        Whether domination by mixed strategies was tested.
    """

    game: Game
    original: Game
    order: tuple[Elimination, ...]
    kept: tuple[tuple[int, ...], ...]
    mixed: bool

    @property
    def solved(self) -> bool:
        """True when one action survives for every player (dominance solvable)."""
        return all(len(k) == 1 for k in self.kept)

    def __repr__(self) -> str:
        dims = " x ".join(str(a) for a in self.original.shape)
        left = " x ".join(str(a) for a in self.game.shape)
        return (f"Reduction({dims} -> {left} after {len(self.order)} eliminations"
                f"{', dominance solvable' if self.solved else ''})")

    def _repr_html_(self) -> str:
        rows = "".join(f"<tr><td>{e.round}</td><td>{html.escape(self.original.players[e.player])}"
                       f"</td><td>{html.escape(e.action)}</td><td>{html.escape(str(e))}</td></tr>"
                       for e in self.order)
        return (f"<table><caption>{html.escape(repr(self))}</caption><tr><th>round</th>"
                f"<th>player</th><th>action</th><th>certificate</th></tr>{rows}</table>")

    def to_dict(self) -> dict[str, Any]:
        return {"kept": {p: [self.original.actions[i][k] for k in self.kept[i]]
                         for i, p in enumerate(self.original.players)},
                "order": [e.to_dict() for e in self.order], "mixed": self.mixed,
                "solved": self.solved}


def eliminate_dominated(game: Game, mixed: bool = True) -> Reduction:
    r"""Iterated elimination of strictly dominated strategies.

    Action :math:`a` of player :math:`i` is strictly dominated by a (mixed) strategy
    :math:`\sigma` when :math:`\sum_b \sigma_b u_i(b, a_{-i}) > u_i(a, a_{-i})` for every
    profile :math:`a_{-i}` of the others. Each round removes every action dominated by a
    pure strategy (vectorised pairwise comparison); when none is, the round tests
    domination by mixed strategies with one linear program per action (maximise the
    smallest margin :math:`\varepsilon`; dominated iff :math:`\varepsilon > 0`). The
    result of strict elimination does not depend on the order (Gilboa, Kalai & Zemel 1990).
    On exact games the comparisons are exact, and the LP's dominating strategy is
    rationalised and re-verified exactly before an action is dropped.

    Parameters
    ----------
    game : Game
    mixed : bool
        Also test domination by mixed strategies (default True).

    Returns
    -------
    Reduction
        The reduced game, the elimination order with certificates, and the kept actions.

    Examples
    --------
    >>> import games
    >>> pd = games.Game.from_bimatrix([[3, 0], [5, 1]], [[3, 5], [0, 1]],
    ...                               actions=[("C", "D"), ("C", "D")])
    >>> eliminate_dominated(pd).game.actions
    (('D',), ('D',))
    """
    check_flag(mixed, "mixed")
    kept = [np.arange(a) for a in game.shape]
    order: list[Elimination] = []
    current = game
    round_number = 0
    while True:
        round_number += 1
        found = _pure_dominated(current, round_number)
        if not found and mixed:
            found = _mixed_dominated(current, round_number)
        if not found:
            break
        drop: dict[int, set[int]] = {}
        for elimination, local in found:
            drop.setdefault(elimination.player, set()).add(local)
            order.append(elimination)
        keep_local = [[k for k in range(current.shape[i]) if k not in drop.get(i, ())]
                      for i in range(current.n_players)]
        kept = [kept[i][keep_local[i]] for i in range(game.n_players)]
        current = current.restrict(keep_local)
    return Reduction(game=current, original=game, order=tuple(order),
                     kept=tuple(tuple(int(k) for k in ks) for ks in kept), mixed=mixed)


def _own_action_rows(game: Game, player: int) -> np.ndarray:
    """Player's payoffs as a matrix: one row per own action, one column per profile of the
    others (exact games as scaled integers)."""
    payoffs = game.integer_payoffs()[0] if game.exact else game.float_payoffs
    u = np.moveaxis(payoffs[player], player, 0)
    return u.reshape(u.shape[0], -1)


def _pure_dominated(game: Game, round_number: int) -> list[tuple[Elimination, int]]:
    found = []
    for i in range(game.n_players):
        rows = _own_action_rows(game, i)
        n_actions, n_columns = rows.shape
        if n_actions < 2:
            continue
        exact_rows = np.moveaxis(game.payoffs[i], i, 0).reshape(n_actions, -1)
        step = max(1, _BLOCK_ENTRIES // max(1, n_actions * n_columns))
        for start in range(0, n_actions, step):
            block = rows[start:start + step]
            # gaps[b, a, s] = u(b, s) - u(a, s) for dominators b in the block.
            gaps = block[:, None, :] - rows[None, :, :]
            dominates = (gaps > 0).all(axis=2)
            for b_local, a in zip(*np.nonzero(dominates)):
                b = start + int(b_local)
                a = int(a)
                if any(local == a and e.player == i for e, local in found):
                    continue
                margin = (exact_rows[b] - exact_rows[a]).min()
                if not margin > 0:
                    raise SolverError(f"dominance: certificate of {b} over {a} is {margin}")
                found.append((Elimination(round_number, i, game.actions[i][a],
                                          {game.actions[i][b]: Fraction(1) if game.exact else 1.0},
                                          margin, game.players[i]), a))
    return found


def _mixed_dominated(game: Game, round_number: int) -> list[tuple[Elimination, int]]:
    found = []
    limit = tolerance(game)
    for i in range(game.n_players):
        rows = np.asarray(_own_action_rows(game, i), dtype=np.float64)
        n_actions = rows.shape[0]
        if n_actions < 3:  # with two actions, mixed domination is pure domination
            continue
        scale = float(np.ptp(rows))     # the player's payoff range
        if scale == 0.0:                # constant payoffs: nothing is strictly dominated
            continue
        for a in range(n_actions):
            others = [b for b in range(n_actions) if b != a]
            # The best mixture of the other actions maximises its smallest margin over a:
            # the maximin LP of the gains u(b, s) - u(a, s).
            weights, margin = maximin_lp((rows[others] - rows[a]) / scale, "dominance")
            if margin * scale <= limit:
                continue
            certificate = _dominating_strategy(game, i, a, others, weights)
            if certificate is not None:
                strategy, margin = certificate
                names = {game.actions[i][b]: p for b, p in strategy.items()}
                found.append((Elimination(round_number, i, game.actions[i][a], names, margin,
                                          game.players[i]), a))
    return found


def _dominating_strategy(game: Game, player: int, action: int, others: list[int],
                         weights: np.ndarray) -> tuple[dict[int, Any], Any] | None:
    """The LP's dominating strategy, checked in the game's own arithmetic (rationalised
    on exact games). None when it does not strictly dominate after all."""
    weights = np.clip(weights, 0.0, None)
    rows = np.moveaxis(game.payoffs[player], player, 0).reshape(game.shape[player], -1)
    if game.exact:
        for max_denominator in (10**6, 10**9, 10**12):
            probs = [Fraction(float(w)).limit_denominator(max_denominator) for w in weights]
            total = sum(probs)
            if total == 0:
                return None
            probs = [p / total for p in probs]
            mix = sum((p * rows[b] for p, b in zip(probs, others) if p), start=0 * rows[0])
            margin = (mix - rows[action]).min()
            if margin > 0:
                return {b: p for p, b in zip(probs, others) if p}, margin
        return None
    weights = weights / weights.sum()
    margin = float((weights @ rows[others] - rows[action]).min())
    if margin <= tolerance(game):
        return None
    return {b: float(w) for w, b in zip(weights, others) if w > 0}, margin
