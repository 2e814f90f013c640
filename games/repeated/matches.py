"""Matches between two automaton strategies, and their expected payoffs in closed form.

Deterministic pairs without noise are solved exactly: the joint automaton (the pair of
states) follows a path that enters a cycle after at most ``n_states_1 * n_states_2``
rounds, so any number of turns is a prefix plus whole cycles plus a partial cycle.
Stochastic pairs (mixed actions or noise) are simulated in a compiled loop fed with
uniform numbers drawn by a seeded :class:`numpy.random.Generator`. Expected payoffs of
any pair (memory-one strategies are the usual case) come from the Markov chain on joint
states: the finite-horizon sum, the discounted sum with continuation probability ``w``,
or the long-run average (stationary distributions of the closed classes).
"""

from __future__ import annotations

import html
import math
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

import numpy as np

from games.errors import InvalidArgumentError, InvalidGameError, SolverError
from games.model import Game, format_number
from games.palette import colour
from games.repeated._matches_kernels import simulate_kernel
from games.repeated.automaton import Automaton, as_automaton
from games.results import json_number
from games.tolerance import RELATIVE_TOLERANCE

__all__ = ["match", "MatchResult", "expected_payoffs"]

DEFAULT_TURNS = 200


# ---------------------------------------------------------------------------------------
# Validation


def check_stage(stage: Any) -> Game:
    if not isinstance(stage, Game):
        raise InvalidGameError(f"stage: expected a games.Game, found {type(stage).__name__}")
    if stage.n_players != 2:
        raise InvalidGameError(
            f"stage: expected a two-player stage game, found {stage.n_players} players")
    return stage


def check_pair(s1: Any, s2: Any, stage: Game) -> tuple[Automaton, Automaton]:
    a1 = as_automaton(s1, "s1")
    a2 = as_automaton(s2, "s2")
    k1, k2 = stage.shape
    for label, auto, own, opp in (("s1", a1, k1, k2), ("s2", a2, k2, k1)):
        if auto.n_actions != own or auto.n_opponent_actions != opp:
            raise InvalidGameError(
                f"{label}: expected an automaton with {own} actions observing {opp} opponent "
                f"actions for the {k1}x{k2} stage game, found {auto.n_actions} actions "
                f"observing {auto.n_opponent_actions}")
    return a1, a2


def check_probability(x: Any, field: str, upper_open: bool = False) -> Any:
    if isinstance(x, bool) or not isinstance(x, (int, float, Fraction, np.integer, np.floating)):
        raise InvalidArgumentError(f"{field}: expected a number in [0, 1], found {x!r}")
    if isinstance(x, (float, np.floating)) and not math.isfinite(x):
        raise InvalidArgumentError(f"{field}: expected a number in [0, 1], found {x!r}")
    if x < 0 or x > 1 or (upper_open and x == 1):
        bound = "[0, 1)" if upper_open else "[0, 1]"
        raise InvalidArgumentError(f"{field}: expected a number in {bound}, found {x!r}")
    if isinstance(x, (int, np.integer)):
        return Fraction(int(x))
    return x


def check_turns(turns: Any, field: str = "turns") -> int:
    if isinstance(turns, bool) or not isinstance(turns, (int, np.integer)) or turns < 1:
        raise InvalidArgumentError(f"{field}: expected a positive integer, found {turns!r}")
    return int(turns)


def _is_exact_number(x: Any) -> bool:
    return isinstance(x, (int, Fraction, np.integer)) and not isinstance(x, bool)


# ---------------------------------------------------------------------------------------
# Deterministic play: cycle detection on the joint automaton


def joint_successors(a1: Automaton, a2: Automaton) -> np.ndarray:
    """Next joint state ``s1 * n2 + s2`` of every joint state of two deterministic
    automata (vectorised over the ``n1 x n2`` grid)."""
    p1, p2 = a1.pure_actions, a2.pure_actions
    s1 = np.repeat(np.arange(a1.n_states), a2.n_states)
    s2 = np.tile(np.arange(a2.n_states), a1.n_states)
    x, y = p1[s1], p2[s2]
    return a1.transitions[s1, x, y] * a2.n_states + a2.transitions[s2, y, x]


def deterministic_path(a1: Automaton, a2: Automaton) -> tuple[np.ndarray, int]:
    """The joint states visited from the start until the first repeat, and the index
    where the cycle starts: ``path[:start]`` is the prefix, ``path[start:]`` the cycle.

    The loop runs at most ``n1 * n2`` times (once per joint state), whatever the number
    of turns.
    """
    succ = joint_successors(a1, a2).tolist()
    seen: dict[int, int] = {}
    state = a1.initial * a2.n_states + a2.initial
    path = []
    while state not in seen:
        seen[state] = len(path)
        path.append(state)
        state = succ[state]
    return np.asarray(path, dtype=np.int64), seen[state]


def path_indices(length: int, start: int, turns: int) -> np.ndarray:
    """Positions in the path of turns ``0 .. turns - 1`` (prefix, then the cycle)."""
    t = np.arange(turns)
    cycle = length - start
    return np.where(t < start, t, start + (t - start) % cycle)


def deterministic_actions(a1: Automaton, a2: Automaton, turns: int) -> np.ndarray:
    """The ``turns x 2`` action array of a deterministic pair, in closed form."""
    path, start = deterministic_path(a1, a2)
    joint = path[path_indices(len(path), start, turns)]
    n2 = a2.n_states
    return np.stack([a1.pure_actions[joint // n2], a2.pure_actions[joint % n2]], axis=1)


def deterministic_totals(a1: Automaton, a2: Automaton, payoffs: np.ndarray, turns: int
                         ) -> tuple[np.ndarray, np.ndarray]:
    """Total payoffs and numbers of cooperations (action 0) of both players over
    ``turns`` rounds, from the prefix/cycle decomposition (no loop over turns)."""
    path, start = deterministic_path(a1, a2)
    n2 = a2.n_states
    x = a1.pure_actions[path // n2]
    y = a2.pure_actions[path % n2]
    rewards = payoffs[:, x, y].T  # (len, 2)
    coop = np.stack([x == 0, y == 0], axis=1).astype(np.int64)
    length = len(path)
    cycle = length - start
    if turns <= start:
        return rewards[:turns].sum(axis=0), coop[:turns].sum(axis=0)
    full, rest = divmod(turns - start, cycle)
    totals = (rewards[:start].sum(axis=0) + full * rewards[start:].sum(axis=0)
              + rewards[start:start + rest].sum(axis=0))
    coops = (coop[:start].sum(axis=0) + full * coop[start:].sum(axis=0)
             + coop[start:start + rest].sum(axis=0))
    return totals, coops


# ---------------------------------------------------------------------------------------
# Stochastic play: a compiled loop (games.repeated._matches_kernels)


def simulate(a1: Automaton, a2: Automaton, lengths: np.ndarray, noise: float,
             rng: np.random.Generator) -> np.ndarray:
    """Simulate ``len(lengths)`` matches of the given lengths; returns an int8 array of
    shape ``(repetitions, max(lengths), 2)``, -1 after the end of each match."""
    lengths = np.asarray(lengths, dtype=np.int64)
    turns = int(lengths.max())
    uniforms = rng.random((len(lengths), turns, 4))
    out = np.full((len(lengths), turns, 2), -1, dtype=np.int8)
    simulate_kernel(np.cumsum(a1.policy, axis=1), a1.transitions, a1.initial,
                    np.cumsum(a2.policy, axis=1), a2.transitions, a2.initial,
                    uniforms, lengths, float(noise), out)
    return out


def draw_lengths(rng: np.random.Generator, continuation: Any, turns: int | None,
                 size: int) -> np.ndarray:
    """Match lengths: ``turns`` each, or geometric with continuation probability ``w``
    (P(length = t) = w^(t-1) (1 - w)), capped at ``turns`` when given."""
    if continuation is None:
        return np.full(size, turns, dtype=np.int64)
    w = float(continuation)
    lengths = rng.geometric(1.0 - w, size=size).astype(np.int64)
    if turns is not None:
        lengths = np.minimum(lengths, turns)
    return lengths


# ---------------------------------------------------------------------------------------
# The public match


@dataclass(frozen=True, eq=False)
class MatchResult:
    """The play of one match.

    Attributes
    ----------
    actions : ndarray of int, shape (turns, 2)
        Indices into the stage game's actions (in the PD, 0 cooperates).
    payoffs : ndarray, shape (turns, 2)
        Each player's stage payoff in each turn (Fractions when exact).
    mean_payoffs : ndarray, shape (2,)
        Mean per-turn payoff of each player (exact for a deterministic match of an exact
        stage game).
    scores : ndarray, shape (2,)
        Total payoff of each player.
    cooperation : ndarray, shape (2,)
        Fraction of turns each player played action 0.
    deterministic : bool
        Whether the match was computed in closed form (no randomness).
    cycle : tuple of int or None
        For a deterministic match, the lengths of the prefix and of the cycle that
        repeats after it.
    names : tuple of str
        The two strategies' names.
    """

    actions: np.ndarray
    payoffs: np.ndarray
    mean_payoffs: np.ndarray
    scores: np.ndarray
    cooperation: np.ndarray
    deterministic: bool
    cycle: tuple[int, int] | None = None
    names: tuple[str, str] = ("Player 1", "Player 2")
    stage: Game | None = field(default=None, repr=False)

    @property
    def turns(self) -> int:
        return int(self.actions.shape[0])

    @property
    def winner(self) -> int | None:
        """0 or 1: the player with the higher total score; None for a tie."""
        if self.scores[0] == self.scores[1]:
            return None
        return 0 if self.scores[0] > self.scores[1] else 1

    def action_names(self) -> list[tuple[str, str]]:
        """The actions as names of the stage game's actions."""
        names = self.stage.actions if self.stage is not None else (("C", "D"), ("C", "D"))
        return [(names[0][a], names[1][b]) for a, b in self.actions.tolist()]

    def __repr__(self) -> str:
        means = ", ".join(format_number(x) for x in self.mean_payoffs)
        kind = "deterministic" if self.deterministic else "simulated"
        return (f"MatchResult({self.names[0]!r} vs {self.names[1]!r}, {self.turns} turns, "
                f"{kind}, mean payoffs ({means}))")

    def _repr_html_(self) -> str:
        rows = "".join(
            f"<tr><td>{html.escape(name)}</td><td>{format_number(mean)}</td>"
            f"<td>{format_number(score)}</td><td>{coop:.3f}</td></tr>"
            for name, mean, score, coop in zip(self.names, self.mean_payoffs, self.scores,
                                               self.cooperation))
        return (f"<table><caption>{html.escape(repr(self))}</caption><tr><th>player</th>"
                f"<th>mean payoff</th><th>score</th><th>cooperation</th></tr>{rows}</table>")

    def to_dict(self) -> dict[str, Any]:
        return {"names": list(self.names), "actions": self.actions.tolist(),
                "mean_payoffs": [json_number(x) for x in self.mean_payoffs],
                "scores": [json_number(x) for x in self.scores],
                "cooperation": [float(x) for x in self.cooperation],
                "deterministic": self.deterministic,
                "cycle": list(self.cycle) if self.cycle else None}

    def plot(self, ax: Any = None) -> Any:
        """Each player's running mean payoff against the turn; returns the axes (one line
        per player, whose last point is :attr:`mean_payoffs`)."""
        import matplotlib.pyplot as plt

        if ax is None:
            _, ax = plt.subplots()
        turns = np.arange(1, self.turns + 1)
        running = np.cumsum(np.asarray(self.payoffs, dtype=np.float64), axis=0) / turns[:, None]
        for k, name in enumerate(self.names):
            ax.plot(turns, running[:, k], label=name, color=colour(k))
        ax.set_xlabel("turn")
        ax.set_ylabel("mean payoff so far")
        ax.set_title(f"{self.names[0]} vs {self.names[1]}")
        ax.legend(fontsize="small")
        return ax


def _name(strategy: Any, default: str) -> str:
    return getattr(strategy, "name", default)


def match(s1: Any, s2: Any, stage: Game, turns: int | None = None,
          continuation: Any = None, noise: Any = 0, seed: Any = None) -> MatchResult:
    r"""Play one match of the repeated ``stage`` game between two strategies.

    Deterministic pairs without noise are computed in closed form from the cycle of the
    joint automaton; otherwise a compiled loop simulates the match with uniform numbers
    from ``numpy.random.default_rng(seed)``: each player's action is drawn from its
    state's mixed action, then with probability ``noise`` replaced by another action
    (uniformly among the others; both players observe the realised actions).

    Parameters
    ----------
    s1, s2 : Strategy or Automaton
        Row and column player's strategies.
    stage : Game
        A two-player stage game.
    turns : int, optional
        Number of rounds (default 200). With ``continuation``, the cap on the length.
    continuation : number in [0, 1), optional
        The probability ``w`` that another round follows each round: the length is
        geometric with mean ``1 / (1 - w)``, drawn from the seeded generator.
    noise : number in [0, 1]
        Probability that an action is flipped.
    seed : int, SeedSequence or Generator, optional
        Seed of the random numbers (ignored by a deterministic match).

    Returns
    -------
    MatchResult

    Examples
    --------
    >>> from games.catalog import prisoners_dilemma
    >>> from games.repeated import strategies
    >>> m = match(strategies.TitForTat(), strategies.Alternator(), prisoners_dilemma(), turns=5)
    >>> m.actions.tolist(), m.scores.tolist()
    ([[0, 0], [0, 1], [1, 0], [0, 1], [1, 0]], [Fraction(13, 1), Fraction(13, 1)])
    """
    stage = check_stage(stage)
    a1, a2 = check_pair(s1, s2, stage)
    noise = check_probability(noise, "noise")
    if continuation is not None:
        continuation = check_probability(continuation, "continuation", upper_open=True)
        if turns is not None:
            turns = check_turns(turns)
    else:
        turns = DEFAULT_TURNS if turns is None else check_turns(turns)
    names = (_name(s1, "Player 1"), _name(s2, "Player 2"))
    rng = np.random.default_rng(seed)
    length = int(draw_lengths(rng, continuation, turns, 1)[0])
    deterministic = a1.is_deterministic and a2.is_deterministic and noise == 0
    exact = stage.exact
    payoff_arr = stage.payoffs if exact else stage.float_payoffs
    if deterministic:
        actions = deterministic_actions(a1, a2, length)
        path, start = deterministic_path(a1, a2)
        cycle = (int(start), int(len(path) - start))
    else:
        actions = simulate(a1, a2, np.array([length]), float(noise), rng)[0].astype(np.int64)
        cycle = None
        exact = False
        payoff_arr = stage.float_payoffs
    per_turn = payoff_arr[:, actions[:, 0], actions[:, 1]].T
    scores = per_turn.sum(axis=0)
    if exact:
        means = np.array([Fraction(x) / length for x in scores], dtype=object)
        scores = np.array([Fraction(x) for x in scores], dtype=object)
    else:
        means = scores / length
    coop = (actions == 0).mean(axis=0)
    for arr in (actions, per_turn, means, scores, coop):
        arr.flags.writeable = False
    return MatchResult(actions=actions, payoffs=per_turn, mean_payoffs=means, scores=scores,
                       cooperation=coop, deterministic=deterministic, cycle=cycle,
                       names=names, stage=stage)


# ---------------------------------------------------------------------------------------
# Closed-form expected payoffs: the Markov chain on joint states


def _noisy(policy: np.ndarray, noise: Any) -> np.ndarray:
    """Mixed actions after noise: x' = (1 - e) x + e (1 - x) / (k - 1)."""
    k = policy.shape[1]
    if k == 1 or noise == 0:
        return policy
    return policy * (1 - noise) + (1 - policy) * (noise / (k - 1))


def joint_chain(a1: Automaton, a2: Automaton, payoffs: np.ndarray, noise: Any,
                exact: bool) -> tuple[np.ndarray, np.ndarray, int, np.ndarray]:
    """The Markov chain of the pair on its reachable joint states.

    Returns ``(P, r, start, states)``: the transition matrix, the expected stage payoffs
    of both players in each state (shape ``(n, 2)``), the index of the initial state and
    the joint state ids ``s1 * n2 + s2`` kept.
    """
    x1 = _noisy(a1.probabilities(exact), noise)
    x2 = _noisy(a2.probabilities(exact), noise)
    n1, n2 = a1.n_states, a2.n_states
    k1, k2 = a1.n_actions, a2.n_actions
    # next joint state for every (s1, s2, a, b)
    t1 = a1.transitions  # (n1, k1, k2)
    t2 = a2.transitions  # (n2, k2, k1)
    nxt = (t1[:, None, :, :] * n2 + np.transpose(t2, (0, 2, 1))[None, :, :, :])  # (n1,n2,k1,k2)
    support = (a1.policy[:, None, :, None] > 0) | (noise != 0)
    support = support & ((a2.policy[None, :, None, :] > 0) | (noise != 0))
    # reachable joint states
    start = a1.initial * n2 + a2.initial
    seen = np.zeros(n1 * n2, dtype=bool)
    seen[start] = True
    frontier = [start]
    nxt_flat = nxt.reshape(n1 * n2, k1, k2)
    sup_flat = np.broadcast_to(support, (n1, n2, k1, k2)).reshape(n1 * n2, k1, k2)
    while frontier:
        targets = np.unique(nxt_flat[frontier][sup_flat[frontier]])
        new = targets[~seen[targets]]
        seen[new] = True
        frontier = new.tolist()
    states = np.flatnonzero(seen)
    index = -np.ones(n1 * n2, dtype=np.int64)
    index[states] = np.arange(states.size)
    n = states.size
    s1, s2 = states // n2, states % n2
    if exact:
        P = np.empty((n, n), dtype=object)
        P[:] = Fraction(0)
        r = np.empty((n, 2), dtype=object)
        r[:] = Fraction(0)
        for row, (i, j) in enumerate(zip(s1.tolist(), s2.tolist())):
            for a in range(k1):
                if x1[i, a] == 0:
                    continue
                for b in range(k2):
                    p = x1[i, a] * x2[j, b]
                    if p == 0:
                        continue
                    P[row, index[nxt[i, j, a, b]]] += p
                    r[row, 0] += p * payoffs[0, a, b]
                    r[row, 1] += p * payoffs[1, a, b]
    else:
        prob = x1[s1][:, :, None] * x2[s2][:, None, :]  # (n, k1, k2)
        target = index[nxt[s1, s2]]  # (n, k1, k2)
        P = np.zeros((n, n))
        rows = np.broadcast_to(np.arange(n)[:, None, None], target.shape)
        mask = prob > 0
        np.add.at(P, (rows[mask], target[mask]), prob[mask])
        r = np.einsum("nab,pab->np", prob, payoffs)
    return P, r, int(index[start]), states


def solve_linear(A: np.ndarray, b: np.ndarray, exact: bool) -> np.ndarray:
    """Solve ``A x = b`` (b may be 2-D); Gaussian elimination on Fractions when exact.

    The systems of a joint Markov chain (:math:`I - wP` with w < 1, a closed class's
    stationary equations, absorption from the transient states) are never singular in
    exact arithmetic, so a singular one is a numerical failure, not a malformed input.

    Raises
    ------
    SolverError
        When the system is singular (exactly, or to working precision).
    """
    if not exact:
        try:
            return np.linalg.solve(np.asarray(A, dtype=float), np.asarray(b, dtype=float))
        except np.linalg.LinAlgError:
            raise SolverError(
                f"solve_linear: the {A.shape[0]}x{A.shape[0]} linear system of the match's "
                f"Markov chain is singular to float precision; use an exact stage game and "
                f"exact probabilities, or a continuation probability further from 1") from None
    n = A.shape[0]
    M = [list(A[i]) + (list(b[i]) if b.ndim == 2 else [b[i]]) for i in range(n)]
    for col in range(n):
        pivot = next((r for r in range(col, n) if M[r][col] != 0), None)
        if pivot is None:
            raise SolverError(
                f"solve_linear: the {n}x{n} linear system of the match's Markov chain is "
                f"singular (no pivot in column {col}), which valid strategies never give: "
                f"please report it; games.repeated.match simulates the match meanwhile")
        M[col], M[pivot] = M[pivot], M[col]
        inv = 1 / M[col][col]
        M[col] = [v * inv for v in M[col]]
        for r in range(n):
            if r != col and M[r][col] != 0:
                f = M[r][col]
                M[r] = [v - f * w for v, w in zip(M[r], M[col])]
    out = np.array([row[n:] for row in M], dtype=object)
    return out if b.ndim == 2 else out[:, 0]


def _closed_classes(P: np.ndarray) -> list[np.ndarray]:
    """The closed communicating classes of a chain (boolean transitive closure)."""
    n = P.shape[0]
    reach = (np.asarray(P != 0, dtype=bool)) | np.eye(n, dtype=bool)
    while True:
        nxt = (reach.astype(np.int64) @ reach.astype(np.int64)) > 0
        if np.array_equal(nxt, reach):
            break
        reach = nxt
    mutual = reach & reach.T
    classes, assigned = [], np.zeros(n, dtype=bool)
    for i in range(n):
        if assigned[i]:
            continue
        members = np.flatnonzero(mutual[i])
        assigned[members] = True
        outside = np.ones(n, dtype=bool)
        outside[members] = False
        if not reach[np.ix_(members, np.flatnonzero(outside))].any():
            classes.append(members)
    return classes


def long_run_average(P: np.ndarray, r: np.ndarray, start: int, exact: bool) -> np.ndarray:
    """Cesaro limit of the mean payoff from ``start``: the stationary payoff of each
    closed class weighted by the probability of being absorbed in it."""
    n = P.shape[0]
    classes = _closed_classes(P)
    in_class = np.zeros(n, dtype=bool)
    for c in classes:
        in_class[c] = True
    transient = np.flatnonzero(~in_class)
    one = Fraction(1) if exact else 1.0
    total = np.array([0 * one, 0 * one], dtype=object if exact else float)
    for c in classes:
        m = c.size
        Q = P[np.ix_(c, c)]
        A = (Q.T - np.eye(m, dtype=int) * one)
        A = A.astype(object) if exact else A.astype(float)
        A[-1, :] = one
        rhs = np.zeros(m, dtype=object if exact else float)
        rhs[:] = 0 * one
        rhs[-1] = one
        pi = solve_linear(A, rhs, exact)
        value = pi @ r[c]
        if start in c:
            weight = one
        elif start in transient and transient.size:
            # absorption probability: h = (I - P_TT)^{-1} P_TC 1
            PTT = P[np.ix_(transient, transient)]
            PTC = P[np.ix_(transient, c)].sum(axis=1)
            identity = np.eye(transient.size, dtype=int) * one
            h = solve_linear((identity - PTT).astype(object) if exact else (identity - PTT),
                             PTC, exact)
            weight = h[int(np.flatnonzero(transient == start)[0])]
        else:
            weight = 0 * one
        total = total + weight * value
    return total


def expected_payoffs(s1: Any, s2: Any, stage: Game, turns: int | None = None,
                     continuation: Any = None, noise: Any = 0) -> np.ndarray:
    r"""Expected mean per-turn payoffs of two strategies, in closed form.

    The pair's joint states form a Markov chain with transition matrix :math:`P` and
    expected stage payoffs :math:`r`. With ``turns`` the result is
    :math:`\frac1T \sum_{t<T} \mu_0 P^t r`; with continuation probability ``w`` it is
    the normalised discounted sum :math:`(1 - w)\, \mu_0 (I - wP)^{-1} r`; with neither,
    the long-run average :math:`\lim_T \frac1T \sum_{t<T} \mu_0 P^t r` (the stationary
    distribution when the chain, e.g. with noise, is ergodic). Exact (Fractions) when the
    stage game, the strategies' probabilities, ``noise`` and ``w`` are exact.

    For memory-one strategies this is the classical computation of Nowak & Sigmund
    (1990) and Press & Dyson (2012).

    Examples
    --------
    Press & Dyson's extortioner (chi = 3) against unconditional cooperation:

    >>> from games.catalog import prisoners_dilemma
    >>> from games.repeated import strategies
    >>> expected_payoffs(strategies.ZDExtortion(), strategies.Cooperator(),
    ...                  prisoners_dilemma()).tolist()
    [Fraction(41, 11), Fraction(21, 11)]
    """
    stage = check_stage(stage)
    a1, a2 = check_pair(s1, s2, stage)
    noise = check_probability(noise, "noise")
    if turns is not None and continuation is not None:
        raise InvalidArgumentError(
            "turns, continuation: expected at most one of a finite horizon and a "
            f"continuation probability, found turns={turns!r} and continuation={continuation!r}")
    if turns is not None:
        turns = check_turns(turns)
    if continuation is not None:
        continuation = check_probability(continuation, "continuation", upper_open=True)
    exact = (stage.exact and a1.exact_policy is not None and a2.exact_policy is not None
             and _is_exact_number(noise)
             and (continuation is None or _is_exact_number(continuation)))
    if exact:
        noise = Fraction(noise)
        payoffs = stage.payoffs
    else:
        noise = float(noise)
        payoffs = stage.float_payoffs
        continuation = None if continuation is None else float(continuation)
    if a1.is_deterministic and a2.is_deterministic and noise == 0 and turns is not None:
        totals, _ = deterministic_totals(a1, a2, payoffs, turns)
        out = np.array([Fraction(t) / turns for t in totals], dtype=object) if exact \
            else totals / turns
        return out
    P, r, start, _ = joint_chain(a1, a2, payoffs, noise, exact)
    n = P.shape[0]
    if turns is not None:
        mu = np.zeros(n, dtype=object if exact else float)
        mu[:] = Fraction(0) if exact else 0.0
        mu[start] = Fraction(1) if exact else 1.0
        total = mu @ r
        for _ in range(turns - 1):
            mu = mu @ P
            total = total + mu @ r
        out = np.array([t / turns for t in total], dtype=object if exact else float)
    elif continuation is not None:
        w = continuation
        one = Fraction(1) if exact else 1.0
        A = np.eye(n, dtype=int) * one - w * P
        if not exact and np.linalg.cond(A.astype(float)) * np.finfo(float).eps \
                > RELATIVE_TOLERANCE:
            # I - wP has a singular value near 1 - w: for w near 1 a float solve loses
            # every digit, and so does the rounding of P's rows (their sums miss 1 by as
            # much as 1 - w). The floats are solved exactly instead (each is a rational),
            # with each row of P rescaled to sum to exactly 1, as the chain's rows do.
            rational = np.vectorize(Fraction, otypes=[object])
            Q = rational(P)
            Q = Q / Q.sum(axis=1, keepdims=True)
            A = np.eye(n, dtype=int) * Fraction(1) - Fraction(w) * Q
            v = solve_linear(A, rational(r), True).astype(float)
            out = (1 - w) * v[start]
        else:
            v = solve_linear(A.astype(object) if exact else A.astype(float), r, exact)
            out = (1 - w) * v[start]
    else:
        out = long_run_average(P, r, start, exact)
    if exact:
        return np.array([Fraction(x) for x in out], dtype=object)
    return np.asarray(out, dtype=float)
