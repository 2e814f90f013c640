"""Strategies of a repeated game as finite automata (Moore machines).

An :class:`Automaton` has states ``0 .. n_states - 1``, a (possibly mixed) action per
state, an initial state, and a transition ``transitions[state, own, opponent]`` on the
realised action profile of the last round: the strategy's own action and the opponent's
action (for more than one opponent, the index of their profile in C order). Memory-one
strategies (a mixed action for each last profile, and an initial mixed action) are the
special case built by :meth:`Automaton.memory_one`.
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction
from typing import Any

import numpy as np

from games.arguments import check_probability
from games.errors import InvalidArgumentError, InvalidGameError
from games.model import format_number, parse_number

__all__ = ["Automaton"]


def _probabilities(rows: Any, field: str) -> tuple[np.ndarray, np.ndarray | None]:
    """Rows of probabilities as float64 and, when every entry is exact, as Fractions."""
    arr = np.array(rows, dtype=object)
    if arr.ndim != 2 or arr.shape[0] == 0 or arr.shape[1] == 0:
        raise InvalidGameError(
            f"{field}: expected one probability vector per state (a non-empty 2-D array), "
            f"found shape {arr.shape}")
    exact = all(isinstance(x, (int, Fraction, np.integer)) and not isinstance(x, bool)
                for x in arr.flat)
    try:
        floats = np.array(arr, dtype=np.float64)
    except (TypeError, ValueError):
        raise InvalidGameError(f"{field}: expected numbers, found {arr.flat[0]!r}") from None
    if not np.all(np.isfinite(floats)) or floats.min() < 0:
        raise InvalidGameError(f"{field}: expected probabilities >= 0, found {floats.tolist()}")
    exact_arr = None
    if exact:
        exact_arr = np.array([[Fraction(x) for x in row] for row in arr], dtype=object)
        sums = [sum(row) for row in exact_arr]
        bad = [s for s, total in enumerate(sums) if total != 1]
        if bad:
            raise InvalidGameError(
                f"{field}: expected the probabilities of state {bad[0]} to sum to 1, found "
                f"{format_number(sums[bad[0]])}")
    else:
        sums = floats.sum(axis=1)
        bad = np.flatnonzero(np.abs(sums - 1) > 1e-9)
        if bad.size:
            raise InvalidGameError(
                f"{field}: expected the probabilities of state {int(bad[0])} to sum to 1, "
                f"found {sums[bad[0]]!r}")
    return floats, exact_arr


class Automaton:
    r"""A finite-state strategy of a repeated game.

    Parameters
    ----------
    actions : sequence of int, or 2-D array_like (n_states, n_actions)
        The action played in each state (an index), or a mixed action per state (rows
        of probabilities; ints and Fractions keep them exact).
    transitions : array_like of int
        Next state, of shape ``(n_states, n_opponent_actions)`` (on the opponent's last
        action only) or ``(n_states, n_actions, n_opponent_actions)`` (on the last
        profile: own action, then the opponent's).
    initial : int
        The state of the first round.
    n_actions : int, optional
        Number of own actions when ``actions`` are indices (default: as many as the
        transitions show, else ``max(actions) + 1``).

    Raises
    ------
    InvalidGameError
        Mis-shaped arrays, probabilities that are negative or do not sum to one,
        transitions to states that do not exist, a bad initial state.

    Examples
    --------
    Tit for tat in the prisoner's dilemma (action 0 cooperates): state ``s`` plays ``s``
    and the next state is the opponent's last action.

    >>> tft = Automaton([0, 1], [[0, 1], [0, 1]])
    >>> tft.n_states, tft.n_actions, tft.is_deterministic
    (2, 2, True)
    """

    __slots__ = ("_policy", "_exact_policy", "_transitions", "_initial", "_pure")

    def __init__(self, actions: Any, transitions: Any, initial: int = 0,
                 n_actions: int | None = None) -> None:
        trans = np.asarray(transitions)
        if trans.dtype.kind not in "iu" and not (trans.dtype.kind == "f" and trans.size
                                                 and np.all(trans == np.round(trans))):
            raise InvalidGameError(
                f"transitions: expected integer state indices, found {trans.dtype.name} "
                f"values")
        trans = trans.astype(np.int64)
        if trans.ndim not in (2, 3) or 0 in trans.shape:
            raise InvalidGameError(
                "transitions: expected shape (n_states, n_opponent_actions) or (n_states, "
                f"n_actions, n_opponent_actions), found shape {trans.shape}")
        act = np.array(actions, dtype=object)
        if act.ndim == 1:
            if act.size == 0:
                raise InvalidGameError("actions: expected one action per state, found none")
            try:
                pure = np.array([int(x) for x in act], dtype=np.int64)
            except (TypeError, ValueError):
                raise InvalidGameError(
                    f"actions: expected action indices, found {list(actions)!r}") from None
            if np.any(pure != np.array(list(act), dtype=float)) or pure.min() < 0:
                raise InvalidGameError(
                    f"actions: expected action indices >= 0, found {list(actions)!r}")
            k = n_actions
            if k is None:
                k = trans.shape[1] if trans.ndim == 3 else int(pure.max()) + 1
            if pure.max() >= k:
                raise InvalidGameError(
                    f"actions: expected indices below n_actions = {k}, found {int(pure.max())}")
            rows = np.zeros((pure.size, k), dtype=object)
            rows[:] = 0
            rows[np.arange(pure.size), pure] = 1
            policy, exact_policy = _probabilities(rows.tolist(), "actions")
        elif act.ndim == 2:
            policy, exact_policy = _probabilities(act, "actions")
            if n_actions is not None and n_actions != policy.shape[1]:
                raise InvalidGameError(
                    f"n_actions: expected {policy.shape[1]} (the width of actions), found "
                    f"{n_actions}")
        else:
            raise InvalidGameError(
                f"actions: expected a sequence of indices or a 2-D array of probabilities, "
                f"found shape {act.shape}")
        n_states, k = policy.shape
        if trans.ndim == 2:
            trans = np.repeat(trans[:, None, :], k, axis=1)
        if trans.shape[:2] != (n_states, k):
            raise InvalidGameError(
                f"transitions: expected shape ({n_states}, {k}, n_opponent_actions) for "
                f"{n_states} states and {k} actions, found shape {trans.shape}")
        if trans.min() < 0 or trans.max() >= n_states:
            bad = trans[(trans < 0) | (trans >= n_states)].flat[0]
            raise InvalidGameError(
                f"transitions: expected states 0..{n_states - 1}, found {int(bad)}")
        if isinstance(initial, bool) or not isinstance(initial, (int, np.integer)) \
                or not 0 <= initial < n_states:
            raise InvalidGameError(
                f"initial: expected a state index in 0..{n_states - 1}, found {initial!r}")
        for arr in (policy, trans):
            arr.flags.writeable = False
        if exact_policy is not None:
            exact_policy.flags.writeable = False
        is_pure = np.all((policy == 0) | (policy == 1))
        pure = np.argmax(policy, axis=1) if is_pure else None
        if pure is not None:
            pure.flags.writeable = False
        object.__setattr__(self, "_policy", policy)
        object.__setattr__(self, "_exact_policy", exact_policy)
        object.__setattr__(self, "_transitions", trans)
        object.__setattr__(self, "_initial", int(initial))
        object.__setattr__(self, "_pure", pure)

    # -- constructors -----------------------------------------------------------------

    @classmethod
    def memory_one(cls, p: Any, initial: Any, n_opponent_actions: int | None = None
                   ) -> "Automaton":
        r"""A memory-one strategy: a mixed action for each last profile, and a first one.

        For two actions, ``p = (p_CC, p_CD, p_DC, p_DD)`` are the probabilities of
        playing action 0 (cooperate) after each last profile (own action first) and
        ``initial`` the probability of action 0 in the first round. In general ``p`` has
        shape ``(n_actions, n_opponent_actions, n_actions)`` (a mixed action after each
        last profile) and ``initial`` is a mixed action.

        The automaton has ``1 + n_actions * n_opponent_actions`` states: 0 is the first
        round, ``1 + a * m + b`` the state after the profile ``(a, b)``.

        Examples
        --------
        >>> from fractions import Fraction as F
        >>> zd = Automaton.memory_one([F(11, 13), F(1, 2), F(7, 26), 0], 1)
        >>> zd.n_states, zd.memory_one_probabilities()[0, 1].tolist()
        (5, [Fraction(1, 2), Fraction(1, 2)])
        """
        arr = np.array(p, dtype=object)
        if arr.ndim == 1:
            if arr.size != 4:
                raise InvalidArgumentError(
                    f"p: expected 4 probabilities of cooperating (after CC, CD, DC, DD), "
                    f"found {arr.size}")
            for index, x in enumerate(arr):
                check_probability(x, f"p[{index}]")
            coop = arr.reshape(2, 2)
            arr = np.empty((2, 2, 2), dtype=object)
            for a in range(2):
                for b in range(2):
                    x = coop[a, b]
                    arr[a, b] = [x, (1 - x) if _is_exact(x) else 1.0 - float(x)]
            init = np.array(initial, dtype=object)
            if init.ndim == 0:
                x = check_probability(init.item(), "initial")
                initial = [x, (1 - x) if _is_exact(x) else 1.0 - float(x)]
        if arr.ndim != 3 or arr.shape[0] != arr.shape[2]:
            raise InvalidArgumentError(
                f"p: expected shape (n_actions, n_opponent_actions, n_actions), found {arr.shape}")
        k, m = arr.shape[0], arr.shape[1]
        if n_opponent_actions is not None and n_opponent_actions != m:
            raise InvalidArgumentError(
                f"n_opponent_actions: expected {m} (from p), found {n_opponent_actions}")
        rows = [list(initial)] + [list(arr[a, b]) for a in range(k) for b in range(m)]
        if len(rows[0]) != k:
            raise InvalidArgumentError(
                f"initial: expected a mixed action over {k} actions, found {list(initial)!r}")
        trans = np.empty((1 + k * m, k, m), dtype=np.int64)
        trans[:] = 1 + np.arange(k)[:, None] * m + np.arange(m)[None, :]
        return cls(rows, trans)

    # -- properties -------------------------------------------------------------------

    @property
    def policy(self) -> np.ndarray:
        """Mixed action of each state, float64 of shape ``(n_states, n_actions)``."""
        return self._policy

    @property
    def exact_policy(self) -> np.ndarray | None:
        """The policy as Fractions when it was given exactly, else None."""
        return self._exact_policy

    @property
    def transitions(self) -> np.ndarray:
        """``transitions[state, own, opponent]``: the next state."""
        return self._transitions

    @property
    def initial(self) -> int:
        return self._initial

    @property
    def n_states(self) -> int:
        return self._policy.shape[0]

    @property
    def n_actions(self) -> int:
        return self._policy.shape[1]

    @property
    def n_opponent_actions(self) -> int:
        return self._transitions.shape[2]

    @property
    def is_deterministic(self) -> bool:
        """Whether every state plays a pure action."""
        return self._pure is not None

    @property
    def pure_actions(self) -> np.ndarray | None:
        """The action of each state when deterministic, else None."""
        return self._pure

    def probabilities(self, exact: bool = False) -> np.ndarray:
        """The policy as Fractions (``exact=True``; floats become their shortest decimal
        fraction) or floats."""
        if not exact:
            return self._policy
        if self._exact_policy is not None:
            return self._exact_policy
        return np.array([[Fraction(repr(float(x))) for x in row] for row in self._policy],
                        dtype=object)

    def reachable_states(self) -> np.ndarray:
        """States reachable from the initial state under any action profiles (sorted)."""
        seen = np.zeros(self.n_states, dtype=bool)
        seen[self._initial] = True
        frontier = [self._initial]
        while frontier:
            nxt = np.unique(self._transitions[frontier].ravel())
            new = nxt[~seen[nxt]]
            seen[new] = True
            frontier = new.tolist()
        return np.flatnonzero(seen)

    def memory_one_probabilities(self) -> np.ndarray | None:
        """``q[a, b]``: the mixed action after the last profile ``(a, b)`` when the
        strategy is memory-one (the next state depends on the last profile only, over
        the states that can play ``a``), else None. Profiles no state can produce get
        the action of the state the transition table names."""
        k, m = self.n_actions, self.n_opponent_actions
        exact = self._exact_policy is not None
        pol = self._exact_policy if exact else self._policy
        out = np.empty((k, m, k), dtype=object if exact else np.float64)
        for a in range(k):
            states = np.flatnonzero(self._policy[:, a] > 0)
            if states.size == 0:
                states = np.arange(self.n_states)
            for b in range(m):
                nxt = self._transitions[states, a, b]
                rows = pol[nxt]
                if not all(np.array_equal(rows[0], r) for r in rows[1:]):
                    return None
                out[a, b] = rows[0]
        return out

    # -- identity and display ---------------------------------------------------------

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError("Automaton is immutable")

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Automaton):
            return NotImplemented
        return (self._initial == other._initial
                and np.array_equal(self._policy, other._policy)
                and np.array_equal(self._transitions, other._transitions))

    def __hash__(self) -> int:
        return hash((self._initial, self._policy.tobytes(), self._transitions.tobytes()))

    def __reduce__(self) -> tuple:
        actions = self._exact_policy if self._exact_policy is not None else self._policy
        return (Automaton, (actions.tolist(), self._transitions, self._initial))

    def __repr__(self) -> str:
        kind = "deterministic" if self.is_deterministic else "mixed"
        return (f"Automaton({self.n_states} states, {self.n_actions} actions, "
                f"{self.n_opponent_actions} opponent actions, {kind}, initial {self._initial})")

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready description (exact probabilities as ``"p/q"`` strings)."""
        pol = self._exact_policy if self._exact_policy is not None else self._policy
        return {
            "policy": [[(format_number(x) if x.denominator != 1 else int(x))
                        if isinstance(x, Fraction) else float(x) for x in row] for row in pol],
            "transitions": self._transitions.tolist(),
            "initial": self._initial,
        }

    @classmethod
    def from_dict(cls, data: Any) -> "Automaton":
        """Inverse of :meth:`to_dict` (``"p/q"`` strings are parsed, never evaluated).

        Raises
        ------
        InvalidGameError
            A missing or malformed field.
        """
        if not isinstance(data, dict):
            raise InvalidGameError(f"automaton: expected an object, found {type(data).__name__}")
        for key in ("policy", "transitions"):
            if key not in data:
                raise InvalidGameError(f"{key}: expected the field, found none")
        rows = []
        for k, row in enumerate(data["policy"]):
            parsed = []
            for x in row:
                if isinstance(x, str):
                    try:
                        x = parse_number(x)
                    except ValueError:
                        raise InvalidGameError(
                            f"policy[{k}]: expected a probability, found {x!r}") from None
                parsed.append(x)
            rows.append(parsed)
        return cls(rows, data["transitions"], initial=data.get("initial", 0))


def _is_exact(x: Any) -> bool:
    return isinstance(x, (int, Fraction, np.integer)) and not isinstance(x, bool)


def as_automaton(strategy: Any, field: str = "strategy") -> Automaton:
    """An :class:`Automaton` from an automaton or an object with ``.automaton``."""
    if isinstance(strategy, Automaton):
        return strategy
    automaton = getattr(strategy, "automaton", None)
    if isinstance(automaton, Automaton):
        return automaton
    raise InvalidGameError(
        f"{field}: expected an Automaton or a Strategy, found {type(strategy).__name__} "
        f"{strategy!r}")


def check_sequence(values: Sequence[Any], field: str) -> list[Any]:
    if isinstance(values, (str, bytes)) or not isinstance(values, Sequence):
        raise InvalidGameError(f"{field}: expected a sequence, found {values!r}")
    return list(values)
