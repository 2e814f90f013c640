"""Markov (stochastic) games: one stage :class:`~games.Game` per state and transition
probabilities that depend on the state and the joint action (Shapley 1953).

A :class:`MarkovGame` is immutable, like a :class:`~games.Game`. Its stages share the
players and the number of actions of every player; the evaluation layers of each stage
(objective, value, preference, ...) are read per state with :meth:`MarkovGame.stage_layer`.

References
----------
Shapley, L. S. (1953). Stochastic games. PNAS 39(10), 1095-1100.
"""

from __future__ import annotations

import hashlib
import html
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from fractions import Fraction
from typing import Any

import numpy as np

from games.errors import InvalidArgumentError, InvalidGameError
from games.model import Game, format_number, json_array, to_array

__all__ = ["MarkovGame"]

#: Largest accepted deviation of a transition row's sum from 1 (probabilities are on the
#: scale 1, so this is relative to it).
ROW_SUM_TOLERANCE = 1e-9
#: Negative float entries down to this are rounding noise and read as 0.
NEGATIVE_NOISE = 1e-12


def _is_exact(x: Any) -> bool:
    return isinstance(x, (int, np.integer, Fraction, Decimal)) and not isinstance(x, bool)


def _read_only(arr: np.ndarray) -> np.ndarray:
    arr.flags.writeable = False
    return arr


def _profile_text(profile: tuple[int, ...]) -> str:
    return "(" + ", ".join(str(int(a)) for a in profile) + ")"


class MarkovGame:
    r"""An immutable Markov (stochastic) game.

    In state :math:`s` the players play the stage game ``stages[s]``; after the joint
    action :math:`a` the next state is :math:`s'` with probability
    ``transitions[s, a_1, ..., a_n, s']``.

    Parameters
    ----------
    stages : sequence of Game
        One stage game per state; all with the same players and the same number of
        actions per player, and the same evaluation layers (names and criterion counts).
    transitions : array_like, shape (n_states, a_1, ..., a_n, n_states)
        Next-state probabilities; each row (last axis) sums to 1. Exact numbers
        (ints, Fractions) are accepted, checked exactly and kept for :meth:`to_dict`;
        computation uses float64.
    initial : array_like or int or str, optional
        The initial distribution over states (a probability vector), or one state (index
        or name). Default: all mass on state 0.
    states : sequence of str, optional
        State names (default ``"state 0"``, ``"state 1"``, ...).
    title : str
        A free-text title.

    Raises
    ------
    InvalidGameError
        Stages that are not Games or differ in players, shape or layers; transitions of
        the wrong shape, negative, non-finite or with a row that does not sum to 1 (the
        message names the state, the profile and the row sum); a bad initial
        distribution; bad state names.

    Examples
    --------
    >>> from games.catalog import prisoners_dilemma
    >>> pd = prisoners_dilemma()
    >>> stay = [[[[1, 0], [1, 0]], [[1, 0], [0, 1]]], [[[0, 1], [0, 1]], [[0, 1], [0, 1]]]]
    >>> m = MarkovGame([pd, pd], stay, states=["calm", "feud"])
    >>> m.n_states, m.shape, m.transitions[0, 1, 1].tolist()
    (2, (2, 2), [0.0, 1.0])
    """

    __slots__ = ("_stages", "_transitions", "_exact_transitions", "_initial", "_states",
                 "_title", "_digest")

    def __init__(self, stages: Sequence[Game], transitions: Any, *, initial: Any = None,
                 states: Sequence[str] | None = None, title: str = "") -> None:
        if isinstance(stages, Game) or not isinstance(stages, Iterable):
            raise InvalidGameError(f"stages: expected a sequence of Games (one per state), "
                                   f"found {type(stages).__name__}")
        stages = tuple(stages)
        if not stages:
            raise InvalidGameError("stages: expected at least one stage Game, found none")
        for s, stage in enumerate(stages):
            if not isinstance(stage, Game):
                raise InvalidGameError(f"stages[{s}]: expected a Game, found "
                                       f"{type(stage).__name__}")
        first = stages[0]
        for s, stage in enumerate(stages[1:], start=1):
            if stage.players != first.players:
                raise InvalidGameError(f"stages[{s}]: expected the players {first.players} of "
                                       f"stage 0, found {stage.players}")
            if stage.shape != first.shape:
                raise InvalidGameError(f"stages[{s}]: expected the shape {first.shape} of "
                                       f"stage 0 (actions per player), found {stage.shape}")
            for name, arr in first.layers.items():
                if name not in stage.layers:
                    raise InvalidGameError(f"stages[{s}]: expected the layer {name!r} of "
                                           f"stage 0, found layers {tuple(stage.layers)}")
                if stage.layers[name].shape[0] != arr.shape[0]:
                    raise InvalidGameError(
                        f"stages[{s}]: layer {name!r} has {stage.layers[name].shape[0]} "
                        f"criteria, expected {arr.shape[0]} as in stage 0")
            extra = set(stage.layers) - set(first.layers)
            if extra:
                raise InvalidGameError(f"stages[{s}]: layers {sorted(extra)} are not in "
                                       f"stage 0, expected the same layers in every stage")
        self._stages = stages
        n_states = len(stages)
        if states is None:
            states = tuple(f"state {k}" for k in range(n_states))
        self._states = self._check_state_names(states, n_states)
        if not isinstance(title, str):
            raise InvalidGameError(f"title: expected a string, found {type(title).__name__}")
        self._title = title
        self._transitions, self._exact_transitions = self._check_transitions(transitions)
        self._initial = self._check_initial(initial)
        self._digest = None

    @staticmethod
    def _check_state_names(states: Any, count: int) -> tuple[str, ...]:
        if isinstance(states, str) or not isinstance(states, Iterable):
            raise InvalidGameError(f"states: expected {count} names, found {states!r}")
        states = tuple(states)
        if len(states) != count:
            raise InvalidGameError(f"states: expected {count} names (one per stage), found "
                                   f"{len(states)}")
        for name in states:
            if not isinstance(name, str):
                raise InvalidGameError(f"states: expected names as strings, found "
                                       f"{type(name).__name__} {name!r}")
        if len(set(states)) != count:
            repeated = next(n for n in states if states.count(n) > 1)
            raise InvalidGameError(f"states: expected distinct names, found {repeated!r} twice")
        return states

    def _check_transitions(self, transitions: Any) -> tuple[np.ndarray, np.ndarray | None]:
        if isinstance(transitions, np.ndarray) and transitions.dtype.kind in "iuf":
            arr = transitions
        else:
            arr = to_array(transitions, "transitions")
        expected = (self.n_states, *self.shape, self.n_states)
        if arr.shape != expected:
            raise InvalidGameError(
                f"transitions: expected shape {expected} (state, one axis per player, next "
                f"state), found {arr.shape}")
        exact = None
        if arr.dtype == object and all(_is_exact(x) for x in arr.flat):
            exact = np.empty(arr.shape, dtype=object)
            for index, x in np.ndenumerate(arr):
                exact[index] = Fraction(x)
            numbers = exact
        else:
            numbers = np.asarray(arr, dtype=np.float64)
        for index in np.ndindex(*expected[:-1]):
            row = numbers[index]
            where = (f"state {index[0]} ({self._states[index[0]]!r}) at profile "
                     f"{_profile_text(index[1:])}")
            if exact is None:
                if not np.all(np.isfinite(row)):
                    raise InvalidGameError(f"transitions: expected finite probabilities, "
                                           f"found {row.tolist()} for {where}")
                low = int(np.argmin(row))
                if row[low] < -NEGATIVE_NOISE:
                    raise InvalidGameError(
                        f"transitions: expected probabilities >= 0, found {row[low]} for the "
                        f"next state {low} from {where}")
                total = float(row.sum())
                ok = abs(total - 1.0) <= ROW_SUM_TOLERANCE
            else:
                negative = [k for k, p in enumerate(row) if p < 0]
                if negative:
                    raise InvalidGameError(
                        f"transitions: expected probabilities >= 0, found "
                        f"{format_number(row[negative[0]])} for the next state {negative[0]} "
                        f"from {where}")
                total = sum(row, Fraction(0))
                ok = total == 1
            if not ok:
                raise InvalidGameError(
                    f"transitions: expected each row to sum to 1, found the row sum "
                    f"{format_number(total)} for {where}")
        floats = np.maximum(np.asarray(numbers, dtype=np.float64), 0.0)
        if exact is not None:
            exact = _read_only(exact)
        return _read_only(floats), exact

    def _check_initial(self, initial: Any) -> np.ndarray:
        n = self.n_states
        if initial is None:
            initial = 0
        if isinstance(initial, (str, int, np.integer)) and not isinstance(initial, bool):
            vec = np.zeros(n)
            vec[self.state_index(initial)] = 1.0
            return _read_only(vec)
        arr = to_array(initial, "initial")
        if arr.shape != (n,):
            raise InvalidGameError(f"initial: expected {n} probabilities (one per state), "
                                   f"found shape {arr.shape}")
        if arr.dtype == object and all(_is_exact(x) for x in arr.flat):
            if any(x < 0 for x in arr) or sum(Fraction(x) for x in arr) != 1:
                raise InvalidGameError(f"initial: expected probabilities >= 0 summing to 1, "
                                       f"found {[format_number(Fraction(x)) for x in arr]}")
        vec = np.asarray(arr, dtype=np.float64)
        if (not np.all(np.isfinite(vec)) or vec.min() < -NEGATIVE_NOISE
                or abs(vec.sum() - 1.0) > ROW_SUM_TOLERANCE):
            raise InvalidGameError(f"initial: expected finite probabilities >= 0 summing to "
                                   f"1, found {vec.tolist()}")
        return _read_only(np.maximum(vec, 0.0))

    # -- attributes ---------------------------------------------------------------------

    @property
    def stages(self) -> tuple[Game, ...]:
        return self._stages

    @property
    def states(self) -> tuple[str, ...]:
        return self._states

    @property
    def title(self) -> str:
        return self._title

    @property
    def transitions(self) -> np.ndarray:
        """float64, read-only, shape ``(n_states, a_1, ..., a_n, n_states)``."""
        return self._transitions

    @property
    def exact_transitions(self) -> np.ndarray | None:
        """The transitions as given when exact (read-only object array of Fractions),
        else None."""
        return self._exact_transitions

    @property
    def initial(self) -> np.ndarray:
        """float64, read-only, shape ``(n_states,)``."""
        return self._initial

    @property
    def n_states(self) -> int:
        return len(self._stages)

    @property
    def players(self) -> tuple[str, ...]:
        return self._stages[0].players

    @property
    def actions(self) -> tuple[tuple[str, ...], ...]:
        """Action names per player (those of stage 0)."""
        return self._stages[0].actions

    @property
    def n_players(self) -> int:
        return self._stages[0].n_players

    @property
    def shape(self) -> tuple[int, ...]:
        return self._stages[0].shape

    @property
    def layer_names(self) -> tuple[str, ...]:
        """The evaluation layers of every stage (``objective`` included)."""
        return tuple(self._stages[0].layers)

    def criteria(self, name: str) -> tuple[str, ...]:
        """The criterion names of layer ``name`` (those of stage 0)."""
        self._check_layer_name(name)
        return self._stages[0].criteria[name]

    def state_index(self, state: int | str) -> int:
        """The index of a state given by index or name.

        Raises
        ------
        InvalidArgumentError
            An unknown state.
        """
        if isinstance(state, str):
            if state not in self._states:
                raise InvalidArgumentError(f"state: expected one of {self._states}, "
                                           f"found {state!r}")
            return self._states.index(state)
        if isinstance(state, (int, np.integer)) and not isinstance(state, bool):
            if not 0 <= int(state) < self.n_states:
                raise InvalidArgumentError(f"state: expected an index in 0..{self.n_states - 1}"
                                           f", found {int(state)}")
            return int(state)
        raise InvalidArgumentError(f"state: expected an index or a name, found {state!r}")

    def __setattr__(self, name: str, value: Any) -> None:
        if name in MarkovGame.__slots__ and not hasattr(self, "_digest"):
            object.__setattr__(self, name, value)
            return
        raise AttributeError("MarkovGame is immutable")

    def __delattr__(self, name: str) -> None:
        raise AttributeError("MarkovGame is immutable")

    def __reduce__(self) -> tuple:
        transitions = self._exact_transitions if self._exact_transitions is not None \
            else self._transitions
        return (_rebuild, (self._stages, transitions, self._initial, self._states, self._title))

    # -- per-state arrays ---------------------------------------------------------------

    def stage_payoffs(self) -> np.ndarray:
        """Payoffs of every stage, float64 of shape ``(n_states, n_players, a_1, ..., a_n)``."""
        return _read_only(np.stack([g.float_payoffs for g in self._stages]))

    def _check_layer_name(self, name: str) -> None:
        if name not in self._stages[0].layers:
            raise InvalidArgumentError(f"name: expected a layer among {self.layer_names}, "
                                       f"found {name!r}")

    def stage_layer(self, name: str) -> np.ndarray:
        """Layer ``name`` of every stage, float64 of shape ``(n_states, k, a_1, ..., a_n)``
        (``objective`` defaults to the payoffs, as in :class:`~games.Game`).

        Raises
        ------
        InvalidArgumentError
            A layer the stages do not have.
        """
        self._check_layer_name(name)
        return _read_only(np.stack([np.asarray(g.layers[name], dtype=np.float64)
                                    for g in self._stages]))

    # -- stationary play ----------------------------------------------------------------

    def _joint(self, strategies: Any) -> np.ndarray:
        """Per-state joint action distributions, shape (n_states, a_1, ..., a_n)."""
        if isinstance(strategies, (str, bytes)) or not isinstance(strategies, Iterable):
            raise InvalidArgumentError(f"strategies: expected one profile per state, found "
                                       f"{strategies!r}")
        strategies = list(strategies)
        if len(strategies) != self.n_states:
            raise InvalidArgumentError(f"strategies: expected {self.n_states} profiles (one per "
                                       f"state), found {len(strategies)}")
        joint = np.empty((self.n_states, *self.shape))
        for s, profile in enumerate(strategies):
            vectors = self._stages[s].strategies(profile)
            dist = np.ones(())
            for vec in vectors:
                dist = np.multiply.outer(dist, np.asarray(vec, dtype=np.float64))
            joint[s] = dist
        return joint

    def transition_matrix(self, strategies: Any) -> np.ndarray:
        r"""The state chain under a stationary profile:
        :math:`P[s, s'] = \sum_a \prod_i x^s_i(a_i)\, T[s, a, s']`.

        Parameters
        ----------
        strategies : sequence
            One profile per state (anything :meth:`Game.strategies` accepts: action
            indices or names, or probability vectors).

        Returns
        -------
        ndarray, shape (n_states, n_states)
        """
        joint = self._joint(strategies)
        return np.stack([np.tensordot(joint[s], self._transitions[s], axes=self.n_players)
                         for s in range(self.n_states)])

    def stationary_distribution(self, strategies: Any, start: Any = None) -> np.ndarray:
        r"""The long-run share of periods spent in each state under a stationary profile,
        starting from ``start`` (default :attr:`initial`): the Cesàro limit
        :math:`\lim_T \frac1T \sum_{t<T} \mu_0 P^t`.

        It is the chain's unique stationary distribution when the chain has one closed
        class; otherwise the mixture of the closed classes' stationary distributions
        weighted by the probabilities of being absorbed in each from ``start``.

        Examples
        --------
        >>> from games.catalog import commons_fishery
        >>> f = commons_fishery()
        >>> greedy = [("high", "high")] * f.n_states
        >>> f.stationary_distribution(greedy).round(12).tolist()[0]   # collapse
        1.0
        """
        P = self.transition_matrix(strategies)
        mu = self._initial if start is None else self._check_initial(start)
        n = self.n_states
        reach = (P > 0) | np.eye(n, dtype=bool)
        for _ in range(max(1, int(np.ceil(np.log2(n))) + 1)):
            reach = reach | ((reach.astype(np.int64) @ reach.astype(np.int64)) > 0)
        closed = [s for s in range(n) if np.all(reach[reach[s]][:, s])]
        classes: list[list[int]] = []
        for s in closed:
            if not any(s in c for c in classes):
                classes.append([t for t in range(n) if reach[s, t]])
        in_class = sorted(t for c in classes for t in c)
        transient = [t for t in range(n) if t not in in_class]
        out = np.zeros(n)
        if transient:
            Q = P[np.ix_(transient, transient)]
            fundamental = np.linalg.solve(np.eye(len(transient)) - Q.T, mu[transient])
        for cls in classes:
            mass = mu[cls].sum()
            if transient:
                mass += fundamental @ P[np.ix_(transient, cls)].sum(axis=1)
            sub = P[np.ix_(cls, cls)]
            k = len(cls)
            system = np.vstack([sub.T - np.eye(k), np.ones((1, k))])
            rhs = np.zeros(k + 1)
            rhs[-1] = 1.0
            pi = np.linalg.lstsq(system, rhs, rcond=None)[0]
            out[cls] += mass * np.maximum(pi, 0.0) / np.maximum(pi, 0.0).sum()
        return out / out.sum()

    def long_run_scores(self, strategies: Any, layer: str = "objective") -> np.ndarray:
        """The long-run average per period of every criterion of ``layer`` (``"payoffs"``
        for the payoffs) under a stationary profile: the stage scores weighted by
        :meth:`stationary_distribution`.

        Returns
        -------
        ndarray, shape (k,)
        """
        joint = self._joint(strategies)
        values = self.stage_payoffs() if layer == "payoffs" else self.stage_layer(layer)
        shares = self.stationary_distribution(strategies)
        axes = tuple(range(1, self.n_players + 1))
        per_state = np.stack([(values[s] * joint[s]).sum(axis=axes) for s in range(self.n_states)])
        return shares @ per_state

    # -- identity and files -------------------------------------------------------------

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, MarkovGame):
            return NotImplemented
        return (self is other or (self._states == other._states and self._title == other._title
                                  and self._stages == other._stages
                                  and np.array_equal(self._transitions, other._transitions)
                                  and np.array_equal(self._initial, other._initial)))

    def __hash__(self) -> int:
        return int(self.digest[:16], 16)

    @property
    def digest(self) -> str:
        """A stable SHA-256 of the Markov game (stages, names, transitions, initial)."""
        if self._digest is None:
            h = hashlib.sha256()
            h.update(repr((1, self._title, self._states)).encode())
            for stage in self._stages:
                h.update(stage.digest.encode())
            h.update(np.ascontiguousarray(self._transitions).tobytes())
            h.update(np.ascontiguousarray(self._initial).tobytes())
            object.__setattr__(self, "_digest", h.hexdigest())
        return self._digest

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready description; exact transitions are written as ints or ``"p/q"``."""
        transitions = self._exact_transitions if self._exact_transitions is not None \
            else self._transitions
        return {
            "format": "masalign.markov_game",
            "version": 1,
            "title": self._title,
            "states": list(self._states),
            "stages": [g.to_dict() for g in self._stages],
            "transitions": json_array(transitions),
            "initial": self._initial.tolist(),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "MarkovGame":
        """Inverse of :meth:`to_dict`.

        Raises
        ------
        InvalidGameError
            A missing or malformed field, named in the message.
        """
        if not isinstance(data, Mapping):
            raise InvalidGameError(f"markov game: expected a JSON object, found "
                                   f"{type(data).__name__}")
        if data.get("format") != "masalign.markov_game":
            raise InvalidGameError(f"format: expected 'masalign.markov_game', found "
                                   f"{data.get('format')!r}")
        if data.get("version") != 1 or isinstance(data.get("version"), bool):
            raise InvalidGameError(f"version: expected 1, found {data.get('version')!r}")
        for key in ("stages", "transitions"):
            if key not in data:
                raise InvalidGameError(f"{key}: expected the field, found no {key!r}")
        stages = data["stages"]
        if isinstance(stages, (str, Mapping)) or not isinstance(stages, Sequence):
            raise InvalidGameError(f"stages: expected a list of games, found "
                                   f"{type(stages).__name__}")
        transitions = np.array(data["transitions"], dtype=object)
        for index, x in np.ndenumerate(transitions):
            if isinstance(x, str):
                try:
                    num, _, den = x.partition("/")
                    transitions[index] = Fraction(int(num), int(den or 1))
                except (ValueError, ZeroDivisionError):
                    raise InvalidGameError(f"transitions: expected a number or 'p/q', found "
                                           f"{x!r} at {index}") from None
        return cls([Game.from_dict(g) for g in stages], transitions,
                   initial=data.get("initial"), states=data.get("states"),
                   title=data.get("title", ""))

    # -- display ------------------------------------------------------------------------

    def __repr__(self) -> str:
        dims = " x ".join(str(a) for a in self.shape)
        title = f"{self._title!r}, " if self._title else ""
        return (f"MarkovGame({title}{self.n_states} states, {self.n_players} players "
                f"{self.players}, {dims})")

    def _repr_html_(self, max_rows: int = 30) -> str:
        esc = html.escape
        rows = []
        for s, (name, stage) in enumerate(zip(self._states, self._stages)):
            if s == max_rows:
                rows.append(f"<tr><td colspan='4'>... {self.n_states - max_rows} more "
                            f"states</td></tr>")
                break
            payoffs = stage.float_payoffs
            nxt = np.flatnonzero(self._transitions[s].reshape(-1, self.n_states).max(axis=0) > 0)
            reach = ", ".join(self._states[t] for t in nxt[:8]) + (" ..." if len(nxt) > 8 else "")
            rows.append(f"<tr><td>{esc(name)}</td><td>{self._initial[s]:.3g}</td>"
                        f"<td>{payoffs.min():.4g} .. {payoffs.max():.4g}</td>"
                        f"<td>{esc(reach)}</td></tr>")
        head = ("<tr><th>state</th><th>initial</th><th>payoff range</th>"
                "<th>possible next states</th></tr>")
        return f"<table><caption>{esc(repr(self))}</caption>{head}{''.join(rows)}</table>"


def _rebuild(stages, transitions, initial, states, title) -> MarkovGame:
    """Unpickle a :class:`MarkovGame`."""
    return MarkovGame(stages, transitions, initial=initial, states=states, title=title)
