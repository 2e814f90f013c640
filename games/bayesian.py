"""Games of incomplete information: private types drawn from a common prior (Harsanyi
1967-68), and their strategic (Bayesian normal) form.

References
----------
Harsanyi (1967-68). Games with incomplete information played by "Bayesian" players,
I-III. Management Science 14.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping, Sequence
from fractions import Fraction
from typing import Any

import numpy as np

from games.errors import InvalidArgumentError, InvalidGameError
from games.model import Game, check_game_size

__all__ = ["BayesianGame"]


def _prior_array(prior: Any) -> np.ndarray:
    """``prior`` as an object array of real numbers (one axis per player)."""
    try:
        arr = np.asarray(prior, dtype=object)
    except ValueError as err:
        raise InvalidGameError(f"prior: expected a rectangular array of probabilities, found "
                               f"ragged nesting ({err})") from None
    if arr.ndim < 1 or arr.size == 0:
        raise InvalidGameError(f"prior: expected an array of probabilities with one axis per "
                               f"player and at least one type each, found shape {arr.shape}")
    for index, p in np.ndenumerate(arr):
        if isinstance(p, (bool, np.bool_)) or not isinstance(
                p, (int, float, Fraction, np.integer, np.floating)):
            raise InvalidGameError(f"prior: expected probabilities (numbers), found "
                                   f"{type(p).__name__} {p!r} at type profile "
                                   f"{tuple(int(k) for k in index)}")
    return arr


class BayesianGame:
    """Players with private types drawn from a common ``prior``, whose payoffs depend on the
    type profile and the action profile.

    Parameters
    ----------
    prior : array_like, shape (t_1, ..., t_n)
        Probability of each type profile (non-negative, summing to 1).
    payoffs : array_like, shape (n, t_1, ..., t_n, a_1, ..., a_n)
        ``payoffs[i][t][a]``: player i's payoff at type profile t and action profile a.
    players, types, actions : sequences of names, optional
    layers : mapping, optional
        Evaluation layers, name -> array ``(k, t_1, ..., t_n, a_1, ..., a_n)``.
    criteria : mapping, optional
        Criterion names of the layers.
    title : str
    """

    def __init__(self, prior: Any, payoffs: Any, players: Sequence[str] | None = None,
                 types: Sequence[Sequence[str]] | None = None,
                 actions: Sequence[Sequence[str]] | None = None,
                 layers: Mapping[str, Any] | None = None,
                 criteria: Mapping[str, Sequence[str]] | None = None, title: str = "") -> None:
        prior_arr = _prior_array(prior)
        n = prior_arr.ndim
        exact = all(isinstance(p, (int, Fraction, np.integer)) for p in prior_arr.flat)
        if exact:
            flat = [Fraction(int(p)) if isinstance(p, np.integer) else Fraction(p)
                    for p in prior_arr.flat]
        else:
            flat = [float(p) for p in prior_arr.flat]
        values = np.array(flat, dtype=object if exact else np.float64).reshape(prior_arr.shape)
        for index, p in np.ndenumerate(values):
            if not (p >= 0 and math.isfinite(p)):
                raise InvalidGameError(f"prior: expected finite probabilities >= 0, found {p} "
                                       f"at type profile {tuple(int(k) for k in index)}")
        if abs(values.sum() - 1) > (0 if exact else 1e-9):
            raise InvalidGameError(f"prior: expected non-negative probabilities summing to 1, "
                                   f"found a total of {values.sum()}")
        self.prior = values
        self.type_shape = tuple(int(t) for t in prior_arr.shape)
        u = np.asarray(payoffs)
        if u.ndim != 2 * n + 1 or u.shape[0] != n or u.shape[1:n + 1] != self.type_shape:
            raise InvalidGameError(
                f"payoffs: expected shape ({n}, {', '.join(map(str, self.type_shape))}, a_1, ..., "
                f"a_{n}), found {u.shape}")
        self.action_shape = tuple(int(a) for a in u.shape[n + 1:])
        self.payoffs = u
        self.n_players = n
        self.players = tuple(players) if players is not None else \
            tuple(f"Player {i + 1}" for i in range(n))
        self.types = tuple(tuple(t) for t in types) if types is not None else \
            tuple(tuple(f"type {k + 1}" for k in range(t)) for t in self.type_shape)
        self.actions = tuple(tuple(a) for a in actions) if actions is not None else \
            tuple(tuple(str(k + 1) for k in range(a)) for a in self.action_shape)
        for field, names, sizes in (("types", self.types, self.type_shape),
                                    ("actions", self.actions, self.action_shape)):
            if tuple(len(x) for x in names) != sizes:
                raise InvalidGameError(f"{field}: expected {sizes} names per player, found "
                                       f"{tuple(len(x) for x in names)}")
        self.layers = dict(layers or {})
        self.criteria = dict(criteria or {})
        self.title = title
        for t in itertools.product(*(range(k) for k in self.type_shape)):
            self._type_game(t)  # validates every type profile's payoffs and layers

    def __repr__(self) -> str:
        return (f"BayesianGame({self.title!r}, {self.n_players} players, types {self.type_shape}, "
                f"actions {self.action_shape})")

    def _type_game(self, t: tuple[int, ...]) -> Game:
        """The complete-information game at type profile t (payoffs and layers)."""
        index = (slice(None), *t)
        layers = {k: np.asarray(v)[index] for k, v in self.layers.items()}
        try:
            return Game(self.payoffs[index], players=self.players, actions=self.actions,
                        layers=layers, criteria=self.criteria)
        except InvalidGameError as err:
            raise type(err)(f"type profile {t}: {err}") from None

    def normal_form(self, observe: str = "own") -> Game:
        r"""The strategic form: a strategy maps what a player observes to an action, and
        payoffs (and layers) are expectations under the prior,
        :math:`U_i(s) = \sum_t p(t)\, u_i(t, s_1(\cdot), \dots, s_n(\cdot))`.

        ``observe="own"``: each player sees its own type (the Bayesian normal form);
        ``observe="all"``: every type is public (full transparency), so strategies map
        type profiles to actions.
        """
        if not isinstance(observe, str) or observe not in ("own", "all"):
            raise InvalidArgumentError(f"observe: expected 'own' or 'all', found {observe!r}")
        n = self.n_players
        profiles = list(itertools.product(*(range(t) for t in self.type_shape)))
        if observe == "own":
            views = [[(t[i],) for t in profiles] for i in range(n)]
            view_sets = [[(k,) for k in range(self.type_shape[i])] for i in range(n)]
        else:
            views = [[t for t in profiles] for _ in range(n)]
            view_sets = [profiles for _ in range(n)]
        counts = [self.action_shape[i] ** len(view_sets[i]) for i in range(n)]
        check_game_size(counts, n + sum(np.asarray(v).shape[0] for v in self.layers.values()),
                        field="strategies")
        if math.prod(counts) * len(profiles) > 50_000_000:
            raise InvalidGameError(f"strategies: {counts} strategies per player over "
                                   f"{len(profiles)} type profiles is too large to build")
        # strategy_actions[i][s, v]: the action strategy s of player i takes at view v.
        strategy_actions = [np.array(list(itertools.product(range(self.action_shape[i]),
                                                            repeat=len(view_sets[i]))),
                                     dtype=np.intp).reshape(counts[i], len(view_sets[i]))
                            for i in range(n)]
        view_index = [{v: k for k, v in enumerate(view_sets[i])} for i in range(n)]
        exact = self.prior.dtype == object and all(
            np.asarray(x).dtype == object or np.asarray(x).dtype.kind in "iu"
            for x in [self.payoffs, *self.layers.values()])

        def expected(values: np.ndarray) -> np.ndarray:
            """values: (k, t..., a...) -> (k, S_1, ..., S_n)."""
            k = values.shape[0]
            total = np.zeros((k, *counts), dtype=object if exact else np.float64)
            for position, t in enumerate(profiles):
                weight = self.prior[t]
                if weight == 0:
                    continue
                chosen = np.ix_(*[strategy_actions[i][:, view_index[i][views[i][position]]]
                                  for i in range(n)])
                at_t = values[(slice(None), *t)]
                part = np.stack([at_t[c][chosen] for c in range(k)])
                total = total + (part if exact else np.asarray(part, dtype=np.float64)) * weight
            return total

        payoffs = expected(np.asarray(self.payoffs, dtype=object if exact else np.float64))
        layers = {name: expected(np.asarray(v, dtype=object if exact else np.float64))
                  for name, v in self.layers.items()}

        def label(i: int, s: int) -> str:
            parts = []
            for v, a in zip(view_sets[i], strategy_actions[i][s]):
                seen = ",".join(self.types[j][x] for j, x in enumerate(v)) if observe == "all" \
                    else self.types[i][v[0]]
                parts.append(f"{seen}->{self.actions[i][a]}")
            return "; ".join(parts)

        names = [[label(i, s) for s in range(counts[i])] for i in range(n)]
        visibility = "types public" if observe == "all" else "types private"
        title = f"{self.title or 'Bayesian game'} ({visibility})"
        return Game(payoffs, players=self.players, actions=names, layers=layers,
                    criteria={k: v for k, v in self.criteria.items() if k in layers},
                    title=title, exact=exact or None)
