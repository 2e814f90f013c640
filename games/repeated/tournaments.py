"""Round-robin tournaments of automaton strategies (Axelrod 1984) and their meta-game."""

from __future__ import annotations

import html
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from games.arguments import check_flag
from games.errors import InvalidArgumentError, InvalidGameError
from games.model import Game
from games.palette import colour
from games.parallel import run_tasks
from games.repeated.automaton import as_automaton
from games.repeated.matches import (
    DEFAULT_TURNS,
    check_pair,
    check_probability,
    check_stage,
    check_turns,
    deterministic_totals,
    draw_lengths,
    simulate,
)
from games.results import json_number

if TYPE_CHECKING:
    from concurrent.futures import Executor

__all__ = ["tournament", "TournamentResult"]

#: Simulated turns (repetitions x turns x stochastic pairs) above which the default
#: executor becomes a local process pool instead of a serial loop.
PARALLEL_WORK = 20_000_000


def _play_pair(task: tuple, seed: np.random.SeedSequence) -> tuple[np.ndarray, ...]:
    """All repetitions of one pair: totals (reps, 2), cooperations (reps, 2), lengths."""
    a1, a2, payoffs, turns, repetitions, noise, continuation = task
    rng = np.random.default_rng(seed)
    lengths = draw_lengths(rng, continuation, turns, repetitions)
    if a1.is_deterministic and a2.is_deterministic and noise == 0:
        if continuation is None:
            totals, coop = deterministic_totals(a1, a2, payoffs, int(lengths[0]))
            return (np.tile(totals, (repetitions, 1)), np.tile(coop, (repetitions, 1)),
                    lengths)
        out = [deterministic_totals(a1, a2, payoffs, int(t)) for t in lengths]
        return (np.array([o[0] for o in out], dtype=float),
                np.array([o[1] for o in out]), lengths)
    actions = simulate(a1, a2, lengths, noise, rng).astype(np.int64)
    valid = actions[:, :, 0] >= 0
    a, b = np.where(valid, actions[:, :, 0], 0), np.where(valid, actions[:, :, 1], 0)
    totals = np.stack([(payoffs[0][a, b] * valid).sum(axis=1),
                       (payoffs[1][a, b] * valid).sum(axis=1)], axis=1)
    coop = np.stack([((a == 0) & valid).sum(axis=1), ((b == 0) & valid).sum(axis=1)], axis=1)
    return totals, coop, lengths


@dataclass(frozen=True, eq=False)
class TournamentResult:
    """The outcome of a round robin.

    Attributes
    ----------
    names : tuple of str
        The strategies' names, in the order given.
    payoffs : ndarray, shape (repetitions, n, n)
        ``payoffs[r, i, j]``: mean per-turn payoff of ``i`` against ``j`` in repetition
        ``r`` (NaN on the diagonal without self-play).
    payoff_matrix : ndarray, shape (n, n)
        Mean over repetitions of ``payoffs``: the meta-game's payoffs.
    scores : ndarray, shape (n,)
        Mean per-turn score of each strategy against the others (self-play excluded, as
        Axelrod's normalised scores), averaged over repetitions.
    normalised_scores : ndarray, shape (repetitions, n)
        The same, per repetition.
    ranking : tuple of int
        Strategy indices, best first (by median normalised score, then mean, then the
        given order).
    ranks : ndarray of int, shape (n,)
        Each strategy's place in the ranking (0 = first).
    wins : ndarray of int, shape (n,)
        Matches won (strictly higher total score) over all repetitions, self-play
        excluded.
    cooperation : ndarray, shape (n, n)
        Fraction of turns ``i`` played action 0 (cooperate) against ``j``.
    cooperation_rates : ndarray, shape (n,)
        Fraction of all turns against the others in which each strategy cooperated.
    """

    names: tuple[str, ...]
    payoffs: np.ndarray
    payoff_matrix: np.ndarray
    scores: np.ndarray
    normalised_scores: np.ndarray
    ranking: tuple[int, ...]
    ranks: np.ndarray
    wins: np.ndarray
    win_matrix: np.ndarray
    cooperation: np.ndarray
    cooperation_rates: np.ndarray
    turns: int | None
    repetitions: int
    noise: float
    continuation: float | None
    self_play: bool
    seed: Any = None
    strategies: tuple[Any, ...] = field(default=(), repr=False)
    stage: Game | None = field(default=None, repr=False)

    @property
    def ranked_names(self) -> tuple[str, ...]:
        return tuple(self.names[i] for i in self.ranking)

    def meta_game(self) -> Game:
        """The symmetric empirical game whose entries are the mean per-turn payoffs:
        row strategy ``i`` against column strategy ``j`` earns ``payoff_matrix[i, j]``.

        Raises
        ------
        InvalidArgumentError
            Without self-play the diagonal is unknown.
        """
        if not self.self_play:
            raise InvalidArgumentError(
                "self_play: expected a tournament with self-play to build the meta-game "
                "(its diagonal is each strategy against itself), found self_play=False")
        names = _distinct(self.names)
        M = self.payoff_matrix
        return Game(np.stack([M, M.T]), actions=[names, names],
                    title=f"Tournament meta-game ({len(names)} strategies)")

    def summary(self) -> str:
        """A plain-text table: rank, name, score, wins, cooperation rate."""
        width = max(len(n) for n in self.names)
        lines = [f"{'rank':>4}  {'strategy':<{width}}  {'score':>8}  {'wins':>5}  {'coop':>6}"]
        for place, i in enumerate(self.ranking):
            lines.append(f"{place + 1:>4}  {self.names[i]:<{width}}  {self.scores[i]:>8.4f}  "
                         f"{int(self.wins[i]):>5}  {self.cooperation_rates[i]:>6.3f}")
        return "\n".join(lines)

    def __repr__(self) -> str:
        top = ", ".join(self.ranked_names[:3])
        return (f"TournamentResult({len(self.names)} strategies, turns={self.turns}, "
                f"repetitions={self.repetitions}, noise={self.noise}, best: {top})")

    def _repr_html_(self) -> str:
        esc = html.escape
        rows = "".join(
            f"<tr><td>{place + 1}</td><td>{esc(self.names[i])}</td>"
            f"<td>{self.scores[i]:.4f}</td><td>{int(self.wins[i])}</td>"
            f"<td>{self.cooperation_rates[i]:.3f}</td></tr>"
            for place, i in enumerate(self.ranking))
        return (f"<table><caption>{esc(repr(self))}</caption><tr><th>rank</th>"
                f"<th>strategy</th><th>score</th><th>wins</th><th>cooperation</th></tr>"
                f"{rows}</table>")

    def to_dict(self) -> dict[str, Any]:
        return {"names": list(self.names), "turns": self.turns,
                "repetitions": self.repetitions, "noise": json_number(self.noise),
                "continuation": None if self.continuation is None
                else json_number(self.continuation),
                "self_play": self.self_play,
                "payoff_matrix": np.where(np.isnan(self.payoff_matrix), None,
                                          self.payoff_matrix).tolist(),
                "scores": self.scores.tolist(), "ranked_names": list(self.ranked_names),
                "wins": self.wins.tolist(), "cooperation_rates": self.cooperation_rates.tolist()}

    def plot(self, ax: Any = None) -> Any:
        """Each strategy's mean score as a horizontal bar, best first; returns the axes
        (bar ``k`` is strategy ``ranking[k]``)."""
        import matplotlib.pyplot as plt

        if ax is None:
            _, ax = plt.subplots(figsize=(6, 0.35 * len(self.names) + 1.5))
        names = [self.names[i] for i in self.ranking]
        ax.barh(range(len(names)), self.scores[list(self.ranking)], color=colour(0))
        ax.set_yticks(range(len(names)), names)
        ax.invert_yaxis()
        ax.set_xlabel("mean payoff per turn against the others")
        ax.set_ylabel("strategy")
        ax.set_title(f"Tournament of {len(names)} strategies ({self.repetitions} repetitions)")
        return ax


def _distinct(names: Sequence[str]) -> tuple[str, ...]:
    out, seen = [], {}
    for name in names:
        seen[name] = seen.get(name, 0) + 1
    count: dict[str, int] = {}
    for name in names:
        if seen[name] > 1:
            count[name] = count.get(name, 0) + 1
            out.append(f"{name} ({count[name]})")
        else:
            out.append(name)
    return tuple(out)


def tournament(strategies: Sequence[Any], stage: Game, turns: int | None = DEFAULT_TURNS,
               repetitions: int = 10, noise: Any = 0, seed: Any = None,
               executor: Executor | str | None = None, continuation: Any = None,
               self_play: bool = True, progress: bool | None = None,
               checkpoint: str | os.PathLike | None = None) -> TournamentResult:
    r"""A round-robin tournament: every pair of strategies plays ``repetitions`` matches.

    Deterministic pairs without noise are solved once in closed form (every repetition
    is the same match); stochastic pairs are simulated in a compiled loop. The work runs
    through :func:`games.parallel.run_tasks` (one task per pair; any
    ``concurrent.futures.Executor``), and pair ``k`` draws its random numbers from the
    ``k``-th child of ``SeedSequence(seed)``, so the same seed gives the same numbers
    serially or on many processes.

    Parameters
    ----------
    strategies : sequence of Strategy or Automaton
        At least two.
    stage : Game
        A symmetric two-player stage game (``payoffs[1] == payoffs[0].T``).
    turns : int
        Rounds per match (the cap on the length with ``continuation``; None: no cap).
    repetitions : int
        Matches per pair.
    noise : number in [0, 1]
        Probability that each action is flipped.
    seed : int or SeedSequence, optional
        Root seed.
    executor : Executor, "serial", "processes" or "threads", optional
        Default: serial for small tournaments, a local process pool for big ones.
    continuation : number in [0, 1), optional
        Probability of another round (geometric match lengths).
    self_play : bool
        Whether each strategy also plays a copy of itself (as in Axelrod's library).
    progress : bool, optional
        Progress bar (default: shown only when the run lasts more than 2 s).
    checkpoint : path, optional
        Save finished pairs there; rerun with the same arguments to resume a killed
        tournament (:func:`games.parallel.run_tasks`; needs a ``seed``).

    Returns
    -------
    TournamentResult

    Examples
    --------
    >>> from games.catalog import prisoners_dilemma
    >>> from games.repeated import strategies as s
    >>> result = tournament([s.TitForTat(), s.Defector(), s.Cooperator()],
    ...                     prisoners_dilemma(), turns=10, repetitions=1)
    >>> result.ranked_names
    ('Defector', 'Tit For Tat', 'Cooperator')
    >>> result.meta_game().shape
    (3, 3)
    """
    stage = check_stage(stage)
    if isinstance(strategies, (str, bytes)) or not isinstance(strategies, Sequence):
        raise InvalidArgumentError(
            f"strategies: expected a sequence of strategies, found {strategies!r}")
    strategies = tuple(strategies)
    if len(strategies) < 2:
        raise InvalidArgumentError(
            f"strategies: expected at least two strategies, found {len(strategies)}")
    k1, k2 = stage.shape
    P = stage.float_payoffs
    if k1 != k2 or not np.array_equal(P[1], P[0].T):
        raise InvalidGameError(
            "stage: expected a symmetric stage game (payoffs[1] equal to payoffs[0] "
            f"transposed) for a round robin, found a {k1}x{k2} game that is not")
    automata = [as_automaton(s, f"strategies[{k}]") for k, s in enumerate(strategies)]
    for k, a in enumerate(automata):
        check_pair(a, a, stage)
    names = tuple(getattr(s, "name", f"Strategy {k + 1}") for k, s in enumerate(strategies))
    if isinstance(repetitions, bool) or not isinstance(repetitions, (int, np.integer)) \
            or repetitions < 1:
        raise InvalidArgumentError(
            f"repetitions: expected a positive integer, found {repetitions!r}")
    repetitions = int(repetitions)
    noise = float(check_probability(noise, "noise"))
    if continuation is not None:
        continuation = float(check_probability(continuation, "continuation", upper_open=True))
        turns = None if turns is None else check_turns(turns)
    else:
        turns = check_turns(turns)
    self_play = check_flag(self_play, "self_play")
    if progress is not None:
        check_flag(progress, "progress")
    n = len(automata)
    pairs = [(i, j) for i in range(n) for j in range(i if self_play else i + 1, n)]
    tasks = [(automata[i], automata[j], P, turns, repetitions, noise, continuation)
             for i, j in pairs]
    if executor is None:
        mean_length = turns if continuation is None else min(turns or 10**9, 1 / (1 - continuation))
        work = sum(repetitions * mean_length for a1, a2, *_ in tasks
                   if noise or not (a1.is_deterministic and a2.is_deterministic))
        executor = "serial" if work < PARALLEL_WORK else None
    results = run_tasks(_play_pair, tasks, seed=seed, seeded=True, executor=executor,
                        progress=progress, description="tournament", checkpoint=checkpoint)
    totals = np.full((repetitions, n, n), np.nan)
    coops = np.full((repetitions, n, n), np.nan)
    lengths = np.full((repetitions, n, n), np.nan)
    for (i, j), (tot, coop, length) in zip(pairs, results):
        totals[:, i, j], totals[:, j, i] = tot[:, 0], tot[:, 1]
        coops[:, i, j], coops[:, j, i] = coop[:, 0], coop[:, 1]
        lengths[:, i, j] = lengths[:, j, i] = length
    means = totals / lengths
    offdiag = ~np.eye(n, dtype=bool)
    normalised = np.where(offdiag, means, 0.0).sum(axis=2) / (n - 1)
    scores = normalised.mean(axis=0)
    medians = np.median(normalised, axis=0)
    ranking = tuple(sorted(range(n), key=lambda i: (-medians[i], -scores[i], i)))
    ranks = np.empty(n, dtype=np.int64)
    ranks[list(ranking)] = np.arange(n)
    win_matrix = np.where(offdiag, (totals > np.transpose(totals, (0, 2, 1))).sum(axis=0), 0)
    wins = win_matrix.sum(axis=1)
    cooperation = coops.sum(axis=0) / lengths.sum(axis=0)
    off_turns = np.where(offdiag, lengths, 0).sum(axis=(0, 2))
    cooperation_rates = np.where(offdiag, coops, 0).sum(axis=(0, 2)) / off_turns
    payoff_matrix = means.mean(axis=0)
    arrays = (means, payoff_matrix, scores, normalised, ranks, wins, win_matrix, cooperation,
              cooperation_rates)
    for arr in arrays:
        arr.flags.writeable = False
    return TournamentResult(
        names=names, payoffs=means, payoff_matrix=payoff_matrix, scores=scores,
        normalised_scores=normalised, ranking=ranking, ranks=ranks, wins=wins,
        win_matrix=win_matrix, cooperation=cooperation, cooperation_rates=cooperation_rates,
        turns=turns, repetitions=repetitions, noise=noise, continuation=continuation,
        self_play=self_play, seed=seed, strategies=strategies, stage=stage)
