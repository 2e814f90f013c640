r"""Accountability: who caused a misalignment, by Shapley values over the agents.

Given an outcome ``profile`` (where the agents are) and an aligned ``reference`` (where
they should be), the loss on a layer is ``score(reference) - score(profile)``. For a
coalition :math:`S` of agents, :math:`v(S)` is the score when the agents in :math:`S`
switch from their ``profile`` play to their ``reference`` play, the others keeping
theirs, minus ``score(profile)``. Agent :math:`i`'s share is its Shapley value

.. math:: \phi_i = \sum_{S \not\ni i} \frac{|S|!\,(n-|S|-1)!}{n!}
          \bigl(v(S \cup \{i\}) - v(S)\bigr),

the only split that is efficient (the shares sum to the loss), symmetric, gives 0 to a
null agent and is additive over games (Shapley 1953), hence over criteria.

Mixed profiles are attributed in expectation: in :math:`v(S)` the agents in :math:`S`
play their reference strategy and the others their profile strategy, independently. A
learning run's final window is a joint distribution :math:`P` that need not be a product:
then :math:`v(S)` keeps the others' joint play, the marginal :math:`P_{-S}`, and draws the
switching agents' actions from their reference strategies independently of it, so
correlation among the agents that do not switch is kept (for a product :math:`P` this is
the mixed case above). Sessions are pooled: :math:`v` is linear in :math:`P`, so the
attribution of the sessions' mean distribution is the mean of their attributions.

:func:`incentive_attribution` is the second view: Shapley values over named terms of the
payoffs (a mechanism's cost, an agent's secondary objective), where v(T) is what removing
the terms in T recovers on the layer at the worst pure equilibrium.

Reference: Shapley, L. S. (1953). A value for n-person games. In Kuhn & Tucker (eds.),
Contributions to the Theory of Games II, 307-317.
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from math import factorial
from typing import Any

import numpy as np

from games.errors import InvalidArgumentError, InvalidGameError
from games.model import Game, format_number, json_number, to_array
from games.palette import colour
from games.solvers.pure import pure_equilibria
from pareto.frontier import check_game

__all__ = ["Attribution", "attribution", "MAX_ATTRIBUTION_PLAYERS", "IncentiveAttribution",
           "incentive_attribution", "MAX_INCENTIVE_TERMS"]

#: Most agents :func:`attribution` accepts (it evaluates all 2^n coalitions).
MAX_ATTRIBUTION_PLAYERS = 12

#: Most payoff terms :func:`incentive_attribution` accepts (it solves 2^m games).
MAX_INCENTIVE_TERMS = 10

#: Largest 2^n x (number of outcomes) x criteria array built for a joint distribution.
_MAX_JOINT_CELLS = 50_000_000


@dataclass(frozen=True, eq=False)
class Attribution:
    """Shapley shares of the loss on a layer between a profile and an aligned reference.

    Attributes
    ----------
    players : tuple of str
    shares : ndarray, shape (n_players,)
        Each agent's share of ``loss`` (they sum to it exactly on exact games). With
        several criteria, the shares of their sum.
    loss : Fraction or float
        ``score_reference - score_profile``.
    score_profile, score_reference : Fraction or float
    layer : str
    criterion : str or None
        The criterion attributed; None for the sum of the layer's criteria (also when
        every criterion is attributed, see ``criteria``).
    criteria : tuple of str
        The criteria whose sum is attributed.
    criterion_shares : ndarray, shape (n_criteria, n_players), or None
        With ``criterion="each"``: the shares of each criterion (rows sum to
        ``criterion_losses``; columns sum to ``shares``).
    criterion_losses : ndarray, shape (n_criteria,), or None
    exact : bool
        Whether every number is an exact fraction.
    profile_kind : str
        ``"pure"``, ``"mixed"`` (attributed in expectation) or ``"learning run"`` (the
        sessions' final windows, pooled).
    """

    players: tuple[str, ...]
    shares: np.ndarray
    loss: Any
    score_profile: Any
    score_reference: Any
    layer: str
    criterion: str | None
    criteria: tuple[str, ...]
    exact: bool
    profile_kind: str
    criterion_shares: np.ndarray | None = field(default=None, repr=False)
    criterion_losses: np.ndarray | None = field(default=None, repr=False)

    @property
    def score_name(self) -> str:
        """What is scored: ``"layer"``, or ``"layer: criterion"``."""
        return self.layer if self.criterion is None else f"{self.layer}: {self.criterion}"

    def percent(self) -> list[float | None]:
        """Each share as a percentage of the loss (None when the loss is 0)."""
        if self.loss == 0:
            return [None] * len(self.players)
        return [float(s / self.loss) * 100 for s in self.shares]

    def most_responsible(self) -> tuple[str, ...]:
        """The agents with the largest share in the direction of the loss (all of them when
        tied; none when the loss and every share are 0)."""
        sign = -1 if self.loss < 0 else 1
        signed = [sign * s for s in self.shares]
        top = max(signed)
        if top <= 0 and self.loss == 0:
            return ()
        return tuple(p for p, s in zip(self.players, signed) if s == top)

    def text(self) -> str:
        """One sentence naming the agent most responsible for the loss."""
        if self.loss == 0:
            return (f"No loss on {self.score_name}: the profile scores "
                    f"{format_number(self.score_profile)}, as the reference does.")
        who = self.most_responsible()
        k = self.players.index(who[0])
        pct = self.percent()[k]
        gain = "" if self.loss > 0 else " (the profile scores above the reference)"
        names = " and ".join(repr(w) for w in who)
        verb = "is" if len(who) == 1 else "are each"
        return (f"{names} {verb} the most responsible for the loss of "
                f"{format_number(self.loss)} on {self.score_name}{gain}: a share of "
                f"{format_number(self.shares[k])} ({pct:.3g}% of the loss).")

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "players": list(self.players),
            "shares": [json_number(s) for s in self.shares],
            "loss": json_number(self.loss),
            "score_profile": json_number(self.score_profile),
            "score_reference": json_number(self.score_reference),
            "layer": self.layer,
            "criterion": self.criterion,
            "criteria": list(self.criteria),
            "exact": self.exact,
            "profile_kind": self.profile_kind,
        }
        if self.criterion_shares is not None:
            out["criterion_shares"] = [[json_number(s) for s in row]
                                       for row in self.criterion_shares]
            out["criterion_losses"] = [json_number(x) for x in self.criterion_losses]
        return out

    def __repr__(self) -> str:
        parts = ", ".join(f"{p} {format_number(s)}" for p, s in zip(self.players, self.shares))
        return (f"Attribution(loss {format_number(self.loss)} on {self.score_name} "
                f"({self.profile_kind}): {parts})")

    def _repr_html_(self) -> str:
        esc = html.escape
        each = self.criterion_shares is not None
        head = "<th>player</th><th>share</th><th>% of loss</th>"
        if each:
            head += "".join(f"<th>{esc(c)}</th>" for c in self.criteria)
        rows = []
        for k, (p, s, pct) in enumerate(zip(self.players, self.shares, self.percent())):
            cells = (f"<td>{esc(p)}</td><td>{esc(format_number(s))}</td>"
                     f"<td>{'' if pct is None else f'{pct:.3g}%'}</td>")
            if each:
                cells += "".join(f"<td>{esc(format_number(row[k]))}</td>"
                                 for row in self.criterion_shares)
            rows.append(f"<tr>{cells}</tr>")
        return (f"<table><caption>{esc(self.text())}</caption><tr>{head}</tr>"
                f"{''.join(rows)}</table>")

    def plot(self, ax: Any = None) -> Any:
        """Bar chart of the shares (stacked by criterion with ``criterion="each"``);
        returns the matplotlib Axes."""
        import matplotlib.pyplot as plt

        if ax is None:
            _, ax = plt.subplots(figsize=(1.2 * len(self.players) + 2, 3.5))
        x = np.arange(len(self.players))
        if self.criterion_shares is None:
            ax.bar(x, [float(s) for s in self.shares], color=colour(0), label=self.score_name)
        else:
            rows = np.array(self.criterion_shares, dtype=np.float64)
            up, down = np.zeros(len(x)), np.zeros(len(x))
            for c, (name, row) in enumerate(zip(self.criteria, rows)):
                base = np.where(row >= 0, up, down)
                ax.bar(x, row, bottom=base, color=colour(c), label=name)
                up += np.maximum(row, 0)
                down += np.minimum(row, 0)
            ax.legend(fontsize="small")
        ax.axhline(0, color="black", linewidth=0.8)
        ax.set_xticks(x)
        ax.set_xticklabels(self.players, rotation=20, ha="right")
        ax.set_xlabel("player")
        ax.set_ylabel(f"share of the loss on {self.score_name}")
        ax.set_title(f"Shapley attribution: loss {format_number(self.loss)}")
        return ax


def _criteria(game: Game, layer: Any, criterion: Any) -> tuple[np.ndarray, tuple[str, ...],
                                                                  str | None, bool]:
    """The layer's rows to attribute, their names, the criterion label and whether each
    criterion is attributed separately."""
    if not isinstance(layer, str) or layer not in game.layers:
        raise InvalidArgumentError(
            f"layer: expected a layer of the game {tuple(game.layers)}, found {layer!r}")
    rows = game.layers[layer]
    names = game.criteria[layer]
    if criterion is None:
        return rows, names, None, False
    if isinstance(criterion, str) and criterion in names:
        k = names.index(criterion)
        return rows[k:k + 1], (criterion,), criterion, False
    if isinstance(criterion, str) and criterion == "each":
        return rows, names, None, True
    if isinstance(criterion, (int, np.integer)) and not isinstance(criterion, bool) \
            and 0 <= criterion < len(names):
        k = int(criterion)
        return rows[k:k + 1], (names[k],), names[k], False
    raise InvalidArgumentError(
        f"criterion: expected None (the sum), 'each', or a criterion of the layer "
        f"{layer!r} (a name in {names} or an index below {len(names)}), found {criterion!r}")


def _final_window(game: Game, run: Any) -> np.ndarray:
    """The mean over sessions of each session's last played window (float, game's shape)."""
    freq = np.asarray(run.frequencies, dtype=np.float64)
    if freq.ndim != 3 or freq.shape[2] != game.n_profiles:
        raise InvalidGameError(
            f"profile: expected a learning run's frequencies of shape (sessions, windows, "
            f"{game.n_profiles}) for this game, found shape {freq.shape}")
    if not np.all(np.isfinite(freq)) or freq.min() < 0:
        raise InvalidGameError("profile: expected finite non-negative frequencies in the run")
    totals = freq.sum(axis=2)
    played = totals > 0
    sessions = np.flatnonzero(played.any(axis=1))
    if len(sessions) == 0:
        raise InvalidGameError("profile: the learning run has no played window")
    last = freq.shape[1] - 1 - np.argmax(played[sessions, ::-1], axis=1)
    windows = freq[sessions, last] / totals[sessions, last][:, None]
    return windows.mean(axis=0).reshape(game.shape)


def _product_values(rows: np.ndarray, profile: tuple[np.ndarray, ...],
                    reference: tuple[np.ndarray, ...]) -> np.ndarray:
    """Score of every coalition, ``out[k, b_1, ..., b_n]`` (``b_i = 1``: agent i plays its
    reference strategy), for independent play."""
    table = rows
    for p, r in zip(profile, reference):
        keep = np.flatnonzero((p != 0) | (r != 0))  # only the actions either plays
        table = np.take(table, keep, axis=1)
        switch = np.stack([p[keep], r[keep]])  # (2, support)
        table = np.tensordot(table, switch, axes=([1], [1]))  # coalition axis appended
    return table


def _joint_values(rows: np.ndarray, joint: np.ndarray,
                  reference: tuple[np.ndarray, ...]) -> np.ndarray:
    """Score of every coalition for a joint distribution of the profile: the switching
    agents draw from their reference, the others from the joint's marginal."""
    n = joint.ndim
    k = rows.shape[0]
    cells = 2 ** n * joint.size * k
    if cells > _MAX_JOINT_CELLS:
        raise InvalidArgumentError(
            f"profile: a joint distribution over {joint.size} outcomes of {n} agents needs "
            f"{cells} coalition cells, expected at most {_MAX_JOINT_CELLS}")
    table = np.asarray(rows, dtype=np.float64)
    for i, r in enumerate(reference):
        # The score with agent i's action drawn from r, broadcast back over its axis.
        expected = np.tensordot(table, np.asarray(r, dtype=np.float64), axes=([1 + i], [0]))
        expected = np.broadcast_to(np.expand_dims(expected, 1 + i), table.shape)
        table = np.stack([table, expected], axis=-1)
    # table: (k, a_1..a_n, b_1..b_n); average over the joint's outcomes
    flat = table.reshape(k, joint.size, 2 ** n)
    return np.einsum("o,kob->kb", joint.reshape(-1), flat).reshape((k,) + (2,) * n)


def _shapley(values: np.ndarray, exact: bool) -> np.ndarray:
    """Shapley values ``(k, n)`` from coalition scores ``(k, 2, ..., 2)``."""
    k, n = values.shape[0], values.ndim - 1
    weight = [Fraction(factorial(s) * factorial(n - s - 1), factorial(n)) if exact
              else factorial(s) * factorial(n - s - 1) / factorial(n) for s in range(n)]
    sizes = np.indices((2,) * (n - 1)).sum(axis=0).reshape(-1) if n > 1 else np.zeros(1, int)
    weights = np.array([weight[s] for s in sizes], dtype=object if exact else np.float64)
    out = np.empty((k, n), dtype=object if exact else np.float64)
    for i in range(n):
        gain = np.take(values, 1, axis=1 + i) - np.take(values, 0, axis=1 + i)
        out[:, i] = gain.reshape(k, -1) @ weights
    return out


def _strategies(game: Game, profile: Any, field_name: str) -> tuple[np.ndarray, ...]:
    try:
        return game.strategies(profile)
    except InvalidGameError as error:
        raise InvalidGameError(f"{field_name}: {error}") from None


def attribution(game: Game, profile: Any, reference: Any, layer: str = "value",
                criterion: Any = None) -> Attribution:
    """Split the loss on a layer between the agents by Shapley values.

    Parameters
    ----------
    game : Game
    profile : sequence, equilibrium or learning run
        Where the agents are: one action (name or index) or probability vector per agent,
        an equilibrium, or a learning run (an object with ``.frequencies`` of shape
        (sessions, windows, outcomes): each session's last played window, pooled).
    reference : sequence or equilibrium
        The aligned outcome: one action or probability vector per agent.
    layer : str
        The evaluation layer scored.
    criterion : None, str or int
        None: the sum of the layer's criteria; a criterion's name or index; ``"each"``:
        every criterion, with per-criterion shares (their sum is attributed too).

    Returns
    -------
    Attribution
        Exact on exact games with exact profiles.

    Raises
    ------
    InvalidArgumentError
        Unknown layer or criterion, more than ``MAX_ATTRIBUTION_PLAYERS`` agents.
    InvalidGameError
        Not a game, or a malformed profile or reference.

    Examples
    --------
    >>> import games
    >>> g = games.catalog.aid_delivery()
    >>> a = attribution(g, ("visibility", "citizens first", "citizens first",
    ...                     "cost-efficient"), (0, 0, 0, 0), criterion="protect life")
    >>> a.loss, [str(s) for s in a.shares]
    (Fraction(6, 1), ['2', '1', '1', '2'])
    """
    game = check_game(game)
    if game.n_players > MAX_ATTRIBUTION_PLAYERS:
        raise InvalidArgumentError(
            f"game: attribution evaluates all 2^n coalitions; expected at most "
            f"{MAX_ATTRIBUTION_PLAYERS} agents, found {game.n_players}")
    rows, names, label, each = _criteria(game, layer, criterion)
    reference_strategies = _strategies(game, reference, "reference")
    is_run = hasattr(profile, "frequencies") and not hasattr(profile, "strategies")
    if is_run:
        values = _joint_values(rows, _final_window(game, profile), reference_strategies)
        exact, kind = False, "learning run"
    else:
        profile_strategies = _strategies(game, profile, "profile")
        exact = (rows.dtype == object and profile_strategies[0].dtype == object
                 and reference_strategies[0].dtype == object)
        if not exact:
            rows = np.asarray(rows, dtype=np.float64)
            profile_strategies = tuple(np.asarray(s, dtype=np.float64)
                                       for s in profile_strategies)
            reference_strategies = tuple(np.asarray(s, dtype=np.float64)
                                         for s in reference_strategies)
        values = _product_values(rows, profile_strategies, reference_strategies)
        pure = all(np.count_nonzero(s) == 1
                   for s in profile_strategies + reference_strategies)
        kind = "pure" if pure else "mixed"
    n = game.n_players
    start = values[(slice(None),) + (0,) * n]
    end = values[(slice(None),) + (1,) * n]
    per_criterion = _shapley(values - start.reshape((-1,) + (1,) * n), exact)
    shares = per_criterion.sum(axis=0)
    losses = end - start
    for arr in (shares, per_criterion, losses):
        arr.flags.writeable = False

    def scalar(x: Any) -> Any:
        return x if exact else float(x)

    return Attribution(
        players=game.players, shares=shares, loss=scalar(losses.sum()),
        score_profile=scalar(start.sum()), score_reference=scalar(end.sum()), layer=layer,
        criterion=label, criteria=names, exact=exact, profile_kind=kind,
        criterion_shares=per_criterion if each else None,
        criterion_losses=losses if each else None)


@dataclass(frozen=True, eq=False)
class IncentiveAttribution:
    """Which named payoff terms cause a misalignment at equilibrium, by Shapley values.

    Attributes
    ----------
    terms : tuple of str
    shares : ndarray, shape (n_terms,)
        Each term's Shapley share of ``recovered``: what removing every term brings back
        on the score, split between the terms.
    restores : ndarray of bool, shape (n_terms,)
        Whether removing that term alone lifts the equilibrium score to the reference's.
    recovered : Fraction or float
        Equilibrium score with every term removed, minus the score at equilibrium now.
    loss : Fraction or float
        ``score_reference - score_equilibrium``.
    score_equilibrium, score_reference : Fraction or float
        The equilibrium score is the worst over the pure equilibria (alignment must hold
        at every equilibrium).
    equilibrium : tuple of str
        The worst pure equilibrium of the game as given.
    layer : str
    criterion : str or None
    exact : bool
    """

    terms: tuple[str, ...]
    shares: np.ndarray
    restores: np.ndarray
    recovered: Any
    loss: Any
    score_equilibrium: Any
    score_reference: Any
    equilibrium: tuple[str, ...]
    layer: str
    criterion: str | None
    exact: bool

    @property
    def score_name(self) -> str:
        return self.layer if self.criterion is None else f"{self.layer}: {self.criterion}"

    def text(self) -> str:
        """One sentence naming the term that contributes most, and those that restore."""
        if self.recovered == 0:
            lead = f"Removing the terms recovers nothing on {self.score_name}"
        else:
            sign = -1 if self.recovered < 0 else 1
            signed = [sign * s for s in self.shares]
            top = max(signed)
            k = signed.index(top)
            who = " and ".join(repr(t) for t, s in zip(self.terms, signed) if s == top)
            each = " each" if sum(s == top for s in signed) > 1 else ""
            lead = (f"{who} contribute{'' if each else 's'} most{each}: "
                    f"{format_number(self.shares[k])} of "
                    f"the {format_number(self.recovered)} recovered on {self.score_name} by "
                    f"removing every term (loss {format_number(self.loss)})")
        fixing = [t for t, r in zip(self.terms, self.restores) if r]
        tail = ("; removing " + " or ".join(repr(t) for t in fixing) + " alone restores the "
                "reference score at equilibrium") if fixing else \
            "; no single term's removal restores the reference score at equilibrium"
        return lead + tail + "."

    def to_dict(self) -> dict[str, Any]:
        return {"terms": list(self.terms), "shares": [json_number(s) for s in self.shares],
                "restores": [bool(r) for r in self.restores],
                "recovered": json_number(self.recovered), "loss": json_number(self.loss),
                "score_equilibrium": json_number(self.score_equilibrium),
                "score_reference": json_number(self.score_reference),
                "equilibrium": list(self.equilibrium), "layer": self.layer,
                "criterion": self.criterion, "exact": self.exact}

    def __repr__(self) -> str:
        parts = ", ".join(f"{t} {format_number(s)}{' (restores)' if r else ''}"
                          for t, s, r in zip(self.terms, self.shares, self.restores))
        return (f"IncentiveAttribution(recovered {format_number(self.recovered)} of loss "
                f"{format_number(self.loss)} on {self.score_name}: {parts})")

    def _repr_html_(self) -> str:
        esc = html.escape
        rows = "".join(
            f"<tr><td>{esc(t)}</td><td>{esc(format_number(s))}</td>"
            f"<td>{'yes' if r else 'no'}</td></tr>"
            for t, s, r in zip(self.terms, self.shares, self.restores))
        return (f"<table><caption>{esc(self.text())}</caption><tr><th>term</th>"
                f"<th>share</th><th>removal alone restores</th></tr>{rows}</table>")

    def plot(self, ax: Any = None) -> Any:
        """Bar chart of the terms' shares (hatched: removing it alone restores alignment);
        returns the matplotlib Axes."""
        import matplotlib.pyplot as plt

        if ax is None:
            _, ax = plt.subplots(figsize=(1.2 * len(self.terms) + 2, 3.5))
        x = np.arange(len(self.terms))
        bars = ax.bar(x, [float(s) for s in self.shares], color=colour(1))
        for bar, restores in zip(bars, self.restores):
            if restores:
                bar.set_hatch("//")
        ax.axhline(0, color="black", linewidth=0.8)
        ax.set_xticks(x)
        ax.set_xticklabels(self.terms, rotation=20, ha="right")
        ax.set_xlabel("incentive term")
        ax.set_ylabel(f"share recovered on {self.score_name}")
        ax.set_title(f"Incentive terms: {format_number(self.recovered)} recovered of loss "
                     f"{format_number(self.loss)}")
        return ax


def _terms(game: Game, terms: Any) -> tuple[tuple[str, ...], list[np.ndarray]]:
    if not isinstance(terms, Mapping) or not terms:
        raise InvalidArgumentError(
            f"terms: expected a non-empty mapping from term name to payoff array, found "
            f"{type(terms).__name__}")
    if len(terms) > MAX_INCENTIVE_TERMS:
        raise InvalidArgumentError(
            f"terms: expected at most {MAX_INCENTIVE_TERMS} terms (2^m games are solved), "
            f"found {len(terms)}")
    names, arrays = [], []
    shape = (game.n_players, *game.shape)
    for name, data in terms.items():
        if not isinstance(name, str) or not name:
            raise InvalidArgumentError(f"terms: expected non-empty string names, found {name!r}")
        try:
            arr = to_array(data, f"terms[{name!r}]")
            if arr.shape != shape:
                raise InvalidArgumentError(
                    f"terms[{name!r}]: expected shape {shape} (one payoff array per player), "
                    f"found {arr.shape}")
            arrays.append(Game(arr, exact=game.exact).payoffs)
        except InvalidGameError as error:
            raise InvalidArgumentError(f"terms[{name!r}]: {error}") from None
        names.append(name)
    return tuple(names), arrays


def incentive_attribution(game: Game, terms: Any, reference: Any, layer: str = "value",
                          criterion: Any = None) -> IncentiveAttribution:
    """Attribute a misalignment at equilibrium to named terms of the payoffs.

    Each term (a mechanism's cost, an agent's secondary objective) is an array added into
    ``game.payoffs``. For a set T of terms, the game with T removed is solved for its pure
    equilibria and scored at the worst one (the evaluation layers stay those of ``game``);
    v(T) is that score minus the score at equilibrium now. Shapley values split v(all
    terms) between the terms, and each term is marked when removing it alone lifts the
    equilibrium score to the reference's.

    Parameters
    ----------
    game : Game
    terms : mapping str -> array, shape (n_players, a_1, ..., a_n)
        At most ``MAX_INCENTIVE_TERMS`` terms.
    reference : sequence
        The aligned outcome (one action or probability vector per agent).
    layer, criterion
        As in :func:`attribution` (``"each"`` is not accepted).

    Raises
    ------
    InvalidArgumentError
        Unknown layer or criterion, malformed terms, or a game with some terms removed
        that has no pure equilibrium.
    InvalidGameError
        Not a game, or a malformed reference.

    Examples
    --------
    >>> import games, numpy as np
    >>> g = games.catalog.prisoners_dilemma()
    >>> temptation = np.zeros((2, 2, 2), dtype=int)
    >>> temptation[0, 1, :] = temptation[1, :, 1] = [3, 2]  # what defecting adds
    >>> result = incentive_attribution(g, {"temptation": temptation}, ("C", "C"),
    ...                                layer="objective")
    >>> result.restores.tolist(), result.loss, result.shares.tolist()
    ([True], Fraction(4, 1), [Fraction(4, 1)])
    """
    game = check_game(game)
    rows, _, label, each = _criteria(game, layer, criterion)
    if each:
        raise InvalidArgumentError("criterion: expected None, a name or an index; 'each' is "
                                   "not available for the incentive view")
    names, arrays = _terms(game, terms)
    strategies = _strategies(game, reference, "reference")
    exact = rows.dtype == object and game.exact and strategies[0].dtype == object
    score = rows.sum(axis=0)
    if not exact:
        score = np.asarray(score, dtype=np.float64)
        strategies = tuple(np.asarray(s, dtype=np.float64) for s in strategies)
    reference_score = _product_values(score[None], strategies, strategies)[
        (0,) + (0,) * game.n_players]
    m = len(names)
    values = np.empty((2,) * m, dtype=object if exact else np.float64)
    worst_profiles = {}
    for removed in np.ndindex(*values.shape):
        payoffs = game.payoffs
        for k, flag in enumerate(removed):
            if flag:
                payoffs = payoffs - arrays[k]
        found = pure_equilibria(game.replace(payoffs=payoffs))
        if len(found) == 0:
            gone = [names[k] for k, flag in enumerate(removed) if flag]
            raise InvalidArgumentError(
                f"terms: without {gone} the game has no pure equilibrium; the incentive "
                f"view needs one in every combination")
        scored = [(score[e.profile], e.profile) for e in found]
        values[removed], worst_profiles[removed] = min(scored, key=lambda x: x[0])
    base = values[(0,) * m]
    shares = _shapley((values - base)[None], exact)[0]
    single = [values[tuple(int(j == k) for j in range(m))] for k in range(m)]
    restores = np.array([s >= reference_score for s in single], dtype=bool)
    shares.flags.writeable = False
    restores.flags.writeable = False

    def scalar(x: Any) -> Any:
        return x if exact else float(x)

    profile = worst_profiles[(0,) * m]
    return IncentiveAttribution(
        terms=names, shares=shares, restores=restores,
        recovered=scalar(values[(1,) * m] - base), loss=scalar(reference_score - base),
        score_equilibrium=scalar(base), score_reference=scalar(reference_score),
        equilibrium=tuple(game.actions[i][a] for i, a in enumerate(profile)),
        layer=layer, criterion=label, exact=exact)
