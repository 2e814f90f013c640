"""Sender-receiver (signalling) games and their equilibria: separating, pooling and
partially pooling, with the information each transmits.

A signalling game is a two-player :class:`~games.bayesian.BayesianGame`: the sender
privately knows a state (its type) and sends a message; the receiver, who has a single
type, sees the message and acts. The receiver's actions in the Bayesian game are its
*plans*, one action per message (enumerated in :func:`itertools.product` order), so that
the Bayesian game's strategic form is the signalling game's normal form.

References
----------
Crawford, V. P. & Sobel, J. (1982). Strategic information transmission. Econometrica 50.
Cover, T. M. & Thomas, J. A. (2006). Elements of Information Theory, 2nd ed. (mutual
information).
"""

from __future__ import annotations

import html
import itertools
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

import numpy as np

from games.bayesian import BayesianGame
from games.errors import InvalidArgumentError, InvalidGameError
from games.model import Game, format_number, json_number
from games.results import Equilibrium, EquilibriumSet, tolerance
from games.solvers.pure import pure_equilibria
from games.solvers.vertex_enumeration import all_equilibria

__all__ = ["SignallingGame", "SignallingEquilibrium", "SignallingResult",
           "signalling_equilibria", "public_state"]

#: ``method="auto"`` enumerates mixed equilibria when the normal form has at most this many
#: strategy profiles, and pure ones only above.
MIXED_LIMIT = 100


class SignallingGame(BayesianGame):
    """A sender-receiver game as a :class:`~games.bayesian.BayesianGame`.

    Parameters
    ----------
    prior : array_like, shape (t,)
        Probability of each state (the sender's type).
    sender_payoffs, receiver_payoffs : array_like, shape (t, m, a)
        Payoff at state, message and receiver action.
    states, messages, actions : sequences of str
        Names of the states, messages and receiver actions.
    state_values, action_values : sequences of numbers, optional
        Positions of the states and actions on a line, for the receiver's action error.
    truthful : sequence of int, optional
        The message that tells the truth in each state.
    layers : mapping, optional
        Evaluation layers, name -> array ``(k, t, m, a)``; criteria names in ``criteria``.
    """

    def __init__(self, prior: Any, sender_payoffs: Any, receiver_payoffs: Any,
                 states: Sequence[str], messages: Sequence[str], actions: Sequence[str], *,
                 state_values: Sequence[Any] | None = None,
                 action_values: Sequence[Any] | None = None,
                 truthful: Sequence[int] | None = None,
                 layers: Mapping[str, Any] | None = None,
                 criteria: Mapping[str, Sequence[str]] | None = None,
                 players: Sequence[str] = ("Sender", "Receiver"), title: str = "") -> None:
        shape = (len(states), len(messages), len(actions))
        tables = {"sender_payoffs": np.asarray(sender_payoffs),
                  "receiver_payoffs": np.asarray(receiver_payoffs)}
        for name, table in tables.items():
            if table.shape != shape:
                raise InvalidGameError(f"{name}: expected shape (states, messages, actions) = "
                                       f"{shape}, found {table.shape}")
        self.plans = tuple(itertools.product(range(shape[2]), repeat=shape[1]))
        self.messages = tuple(messages)
        self.receiver_actions = tuple(actions)
        self.state_values = None if state_values is None else tuple(state_values)
        self.action_values = None if action_values is None else tuple(action_values)
        for name, values, size in (("state_values", self.state_values, shape[0]),
                                   ("action_values", self.action_values, shape[2])):
            if values is not None and len(values) != size:
                raise InvalidGameError(f"{name}: expected {size} numbers, found {len(values)}")
        self.truthful = None if truthful is None else tuple(int(m) for m in truthful)
        if self.truthful is not None and (len(self.truthful) != shape[0] or any(
                not 0 <= m < shape[1] for m in self.truthful)):
            raise InvalidGameError(f"truthful: expected one message index in [0, {shape[1]}) "
                                   f"per state ({shape[0]}), found {list(self.truthful)}")
        plan_names = tuple("; ".join(f"{m}->{actions[a]}" for m, a in zip(messages, plan))
                           for plan in self.plans)
        payoffs = np.stack([self.expand(tables["sender_payoffs"]),
                            self.expand(tables["receiver_payoffs"])])
        expanded = {}
        for name, values in (layers or {}).items():
            arr = np.asarray(values)
            if arr.ndim != 4 or arr.shape[1:] != shape:
                raise InvalidGameError(f"layers[{name!r}]: expected shape (k, {shape[0]}, "
                                       f"{shape[1]}, {shape[2]}), found {arr.shape}")
            expanded[name] = np.stack([self.expand(c) for c in arr])
        prior_arr = np.asarray(prior, dtype=object if np.asarray(prior).dtype == object
                               else None).reshape(-1, 1)
        super().__init__(prior_arr, payoffs, players=players,
                         types=(tuple(states), ("receiver",)),
                         actions=(tuple(messages), plan_names), layers=expanded,
                         criteria=criteria, title=title)

    def expand(self, table: np.ndarray) -> np.ndarray:
        """A (state, message, action) table as (state, 1, message, plan)."""
        plans = np.asarray(self.plans, dtype=np.intp).reshape(len(self.plans), -1)
        m = table.shape[1]
        out = np.stack([table[:, k, plans[:, k]] for k in range(m)], axis=1)  # (t, m, plan)
        return out[:, None, :, :]

    def stage_table(self, expanded: np.ndarray) -> np.ndarray:
        """The inverse of :meth:`expand`: a (state, 1, message, plan) table as (state,
        message, action), read at the plans that take one action after every message."""
        constant = [self.plans.index((a,) * len(self.messages))
                    for a in range(len(self.receiver_actions))]
        return np.asarray(expanded)[:, 0][:, :, constant]

    def __repr__(self) -> str:
        return (f"SignallingGame({self.title!r}, {self.type_shape[0]} states, "
                f"{len(self.messages)} messages, {len(self.receiver_actions)} actions)")


@dataclass(frozen=True, eq=False)
class SignallingEquilibrium:
    """One equilibrium of a signalling game, read in the game's own terms.

    Attributes
    ----------
    equilibrium : Equilibrium
        The Nash equilibrium of the strategic form, with its regret certificate.
    kind : str
        ``"separating"`` (the message reveals the state: the message distributions of
        different states have disjoint supports), ``"pooling"`` (every state sends the
        same message distribution: nothing is revealed) or ``"partially pooling"``.
    information : float
        Mutual information I(state; message) in bits: what the messages reveal.
    information_used : float
        Mutual information I(state; action) in bits: what the receiver's action reflects
        (at most ``information``; smaller when the receiver ignores a distinction, as in
        a pooling of non-adjacent states on a grid).
    sender_utility, receiver_utility : number
        Expected utilities (exact on exact games).
    message_given_state : ndarray, shape (t, m)
        The sender's behaviour strategy.
    action_given_message : ndarray, shape (m, a)
        The receiver's behaviour strategy.
    action_error : float or None
        Expected |action - state| when the game places states and actions on a line.
    truthfulness : number or None
        Probability that the message is the truthful one, when the game names it.
    perfect_bayesian : bool
        Whether every off-path action is a best response to some belief (on-path actions
        and the sender's choices are sequentially rational since every state has positive
        prior probability), so that the Nash equilibrium is a perfect Bayesian one.
    """

    equilibrium: Equilibrium
    kind: str
    information: float
    information_used: float
    sender_utility: Any
    receiver_utility: Any
    message_given_state: np.ndarray = field(repr=False)
    action_given_message: np.ndarray = field(repr=False)
    action_error: float | None
    truthfulness: Any
    perfect_bayesian: bool

    def __repr__(self) -> str:
        extra = "" if self.truthfulness is None else \
            f", truthfulness {format_number(self.truthfulness)}"
        return (f"SignallingEquilibrium({self.kind}, {self.information:.4g} bits, sender "
                f"{format_number(self.sender_utility)}, receiver "
                f"{format_number(self.receiver_utility)}{extra})")

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "information_bits": float(self.information),
            "information_used_bits": float(self.information_used),
            "sender_utility": json_number(self.sender_utility),
            "receiver_utility": json_number(self.receiver_utility),
            "message_given_state": [[json_number(p) for p in row]
                                    for row in self.message_given_state],
            "action_given_message": [[json_number(p) for p in row]
                                     for row in self.action_given_message],
            "action_error": None if self.action_error is None else float(self.action_error),
            "truthfulness": None if self.truthfulness is None else
            json_number(self.truthfulness),
            "perfect_bayesian": self.perfect_bayesian,
            "equilibrium": self.equilibrium.to_dict(),
        }

    def _repr_html_(self) -> str:
        return f"<table><caption>{html.escape(repr(self))}</caption>{_row_html(self)}</table>"


def _row_html(e: SignallingEquilibrium) -> str:
    cells = (e.kind, f"{e.information:.4g}", format_number(e.sender_utility),
             format_number(e.receiver_utility),
             "" if e.action_error is None else f"{e.action_error:.4g}",
             "" if e.truthfulness is None else format_number(e.truthfulness),
             "yes" if e.perfect_bayesian else "no")
    return "<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in cells) + "</tr>"


@dataclass(frozen=True, eq=False)
class SignallingResult:
    """The equilibria of a signalling game found through its strategic form.

    Attributes
    ----------
    equilibria : tuple of SignallingEquilibrium
    method : str
        ``"pure"`` (pure equilibria of the strategic form) or ``"all"`` (every extreme
        equilibrium, mixed included, by vertex enumeration).
    title : str
    """

    equilibria: tuple[SignallingEquilibrium, ...]
    method: str
    title: str = ""

    def __len__(self) -> int:
        return len(self.equilibria)

    def __iter__(self):
        return iter(self.equilibria)

    def __getitem__(self, k: int) -> SignallingEquilibrium:
        return self.equilibria[k]

    @property
    def max_information_used(self) -> float:
        """The most information (bits) the receiver's action reflects in any equilibrium."""
        return max((e.information_used for e in self.equilibria), default=0.0)

    @property
    def max_information(self) -> float:
        """The most information (bits) any equilibrium found transmits."""
        return max((e.information for e in self.equilibria), default=0.0)

    def of_kind(self, kind: str) -> tuple[SignallingEquilibrium, ...]:
        """The equilibria of one kind (``"separating"``, ``"pooling"``,
        ``"partially pooling"``)."""
        if kind not in KINDS:
            raise InvalidArgumentError(f"kind: expected one of {KINDS}, found {kind!r}")
        return tuple(e for e in self.equilibria if e.kind == kind)

    def __repr__(self) -> str:
        counts = ", ".join(f"{len(self.of_kind(k))} {k}" for k in KINDS)
        return (f"SignallingResult({self.title!r}, {len(self)} equilibria ({self.method}): "
                f"{counts}; max information {self.max_information:.4g} bits)")

    def to_dict(self) -> dict[str, Any]:
        return {"title": self.title, "method": self.method,
                "max_information_bits": float(self.max_information),
                "equilibria": [e.to_dict() for e in self.equilibria]}

    def _repr_html_(self) -> str:
        head = "".join(f"<th>{h}</th>" for h in (
            "kind", "information (bits)", "sender", "receiver", "action error",
            "truthfulness", "PBE"))
        rows = "".join(_row_html(e) for e in self.equilibria)
        return (f"<table><caption>{html.escape(repr(self))}</caption><tr>{head}</tr>"
                f"{rows}</table>")

    def plot(self, ax: Any = None) -> Any:
        """Bar chart of the information each equilibrium transmits, coloured by kind."""
        import matplotlib.pyplot as plt

        if ax is None:
            _, ax = plt.subplots()
        colours = {"separating": "tab:green", "partially pooling": "tab:orange",
                   "pooling": "tab:grey"}
        ax.bar(range(len(self)), [e.information for e in self.equilibria],
               color=[colours[e.kind] for e in self.equilibria])
        ax.set_xlabel("equilibrium")
        ax.set_ylabel("I(state; message) (bits)")
        ax.set_title(self.title or "signalling equilibria")
        return ax


KINDS = ("separating", "partially pooling", "pooling")


def mutual_information(joint: np.ndarray) -> float:
    """Mutual information in bits of a joint distribution given as a 2-D array."""
    p = np.asarray(joint, dtype=np.float64)
    rows, cols = p.sum(axis=1, keepdims=True), p.sum(axis=0, keepdims=True)
    mask = p > 0
    return max(0.0, float(np.sum(p[mask] * np.log2(p[mask] / (rows * cols)[mask]))))


def _kind(message_given_state: np.ndarray) -> str:
    rows = message_given_state
    if all(np.array_equal(rows[0], r) for r in rows[1:]):
        return "pooling"
    support = rows != 0
    if not np.any(support.sum(axis=0) > 1):
        return "separating"
    return "partially pooling"


def _rationalisable(game: SignallingGame, message: int, actions: np.ndarray,
                    scale: float) -> bool:
    """Whether some belief over states makes every action in ``actions`` a best reply to
    ``message`` (a linear feasibility problem)."""
    from scipy.optimize import linprog

    u = np.asarray(game.payoffs[1][:, 0, message, :], dtype=np.float64)  # (t, plan)
    # u at (state, action) for this message: take the plan columns' actions at message.
    per_action = np.empty((u.shape[0], len(game.receiver_actions)))
    for p, plan in enumerate(game.plans):
        per_action[:, plan[message]] = u[:, p]
    t = per_action.shape[0]
    rows = [per_action[:, b] - per_action[:, a] for a in actions
            for b in range(per_action.shape[1])]
    result = linprog(np.zeros(t), A_ub=np.array(rows), b_ub=np.full(len(rows), scale),
                     A_eq=np.ones((1, t)), b_eq=[1.0], bounds=[(0, None)] * t, method="highs")
    return result.status == 0


def _describe(game: SignallingGame, normal: Game, eq: Equilibrium) -> SignallingEquilibrium:
    t, m, a = game.type_shape[0], len(game.messages), len(game.receiver_actions)
    prior = game.prior[:, 0]
    exact = eq.exact
    zero = 0 if exact else 0.0
    sender_rows = np.array(list(itertools.product(range(m), repeat=t)),
                           dtype=np.intp).reshape(-1, t)
    message_given_state = np.full((t, m), zero, dtype=object if exact else np.float64)
    for s in np.flatnonzero(eq.strategies[0] != 0):
        for k in range(t):
            message_given_state[k, sender_rows[s, k]] += eq.strategies[0][s]
    action_given_message = np.full((m, a), zero, dtype=object if exact else np.float64)
    for p in np.flatnonzero(eq.strategies[1] != 0):
        for k in range(m):
            action_given_message[k, game.plans[p][k]] += eq.strategies[1][p]
    joint = np.array([[prior[k] * message_given_state[k, j] for j in range(m)]
                      for k in range(t)], dtype=object if exact else np.float64)
    information = mutual_information(joint.astype(np.float64))
    flow = joint.astype(np.float64) @ action_given_message.astype(np.float64)  # (t, a)
    action_error = None
    if game.state_values is not None and game.action_values is not None:
        sv = np.asarray(game.state_values, dtype=np.float64)
        av = np.asarray(game.action_values, dtype=np.float64)
        action_error = float(np.sum(flow * np.abs(av[None, :] - sv[:, None])))
    truthfulness = None
    if game.truthful is not None:
        truthfulness = sum((joint[k, game.truthful[k]] for k in range(t)), zero)
    scale = max(tolerance(normal), 1e-9 * max(1.0, float(np.ptp(normal.float_payoffs))))
    on_path = joint.sum(axis=0)
    perfect = all(_rationalisable(game, j, np.flatnonzero(action_given_message[j] != 0), scale)
                  for j in range(m) if on_path[j] == 0)
    return SignallingEquilibrium(
        equilibrium=eq, kind=_kind(message_given_state), information=information,
        information_used=mutual_information(flow),
        sender_utility=eq.payoffs[0], receiver_utility=eq.payoffs[1],
        message_given_state=message_given_state, action_given_message=action_given_message,
        action_error=action_error, truthfulness=truthfulness, perfect_bayesian=perfect)


def signalling_equilibria(game: SignallingGame, method: str = "auto") -> SignallingResult:
    """Equilibria of a sender-receiver game through its strategic form, classified as
    separating, pooling or partially pooling, with the information each transmits.

    Parameters
    ----------
    game : SignallingGame
        For example :func:`games.catalog.cheap_talk`.
    method : {"auto", "pure", "all"}
        ``"pure"``: the pure equilibria of the strategic form
        (:func:`games.pure_equilibria`); ``"all"``: every extreme equilibrium, mixed
        ones included (:func:`games.all_equilibria`); ``"auto"``: ``"all"`` when the
        strategic form has at most :data:`MIXED_LIMIT` profiles, else ``"pure"``.

    Returns
    -------
    SignallingResult
        Every equilibrium carries its regret certificate; ``perfect_bayesian`` says
        whether off-path actions are best replies to some belief.

    Notes
    -----
    The babbling (pooling) equilibrium always exists (Crawford & Sobel 1982); with
    aligned interests (zero bias) a separating one exists too, and the most informative
    equilibrium transmits less as the bias grows (Crawford & Sobel 1982, Theorems 1-5).
    """
    if not isinstance(game, SignallingGame):
        raise InvalidArgumentError(f"game: expected a SignallingGame (for example "
                                   f"games.catalog.cheap_talk()), found "
                                   f"{type(game).__name__}")
    if not isinstance(method, str) or method not in ("auto", "pure", "all"):
        raise InvalidArgumentError(f"method: expected 'auto', 'pure' or 'all', found {method!r}")
    normal = game.normal_form()
    if method == "auto":
        method = "all" if math.prod(normal.shape) <= MIXED_LIMIT else "pure"
    found: EquilibriumSet = pure_equilibria(normal) if method == "pure" else \
        all_equilibria(normal)
    described = tuple(_describe(game, normal, eq) for eq in found)
    return SignallingResult(equilibria=described, method=method, title=normal.title)


def public_state(game: SignallingGame) -> BayesianGame:
    r"""The signalling game with the state disclosed to the receiver: a
    :class:`~games.bayesian.BayesianGame` in which the receiver's type is the state
    (perfectly correlated, prior :math:`p(\theta, \theta') = p(\theta)\,
    [\theta = \theta']`), so that its strategy is one action per state. The sender's
    strategies (a message per state), payoffs and layers are the game's own.

    With the state known, the receiver's payoff at every (state, message) depends on the
    state and its action only, so its sequentially rational action ignores the message;
    the strategies that condition on the message as well (those of the full public-types
    form, ``game.normal_form(observe="all")``, an action per (state, message): 3^9 on three
    states) are left out, and every perfect Bayesian equilibrium of that form is kept.
    Talk is then payoff-irrelevant to both players.

    Parameters
    ----------
    game : SignallingGame

    Returns
    -------
    BayesianGame
        Its strategic form (``normal_form()``) has the shape of the signalling game's
        when there are as many states as messages.
    """
    if not isinstance(game, SignallingGame):
        raise InvalidArgumentError(f"game: expected a SignallingGame (for example "
                                   f"games.catalog.cheap_talk()), found "
                                   f"{type(game).__name__}")
    t = game.type_shape[0]

    def correlated(expanded: np.ndarray) -> np.ndarray:
        """(state, 1, message, plan) -> (state, receiver's view, message, action)."""
        table = game.stage_table(expanded)
        return np.repeat(table[:, None], t, axis=1)

    exact = game.prior.dtype == object
    zero = Fraction(0) if exact else 0.0
    prior = np.full((t, t), zero, dtype=object if exact else np.float64)
    for k in range(t):
        prior[k, k] = game.prior[k, 0]
    payoffs = np.stack([correlated(game.payoffs[i]) for i in range(2)])
    layers = {name: np.stack([correlated(c) for c in values])
              for name, values in game.layers.items()}
    states = game.types[0]
    return BayesianGame(prior, payoffs, players=game.players,
                        types=(states, tuple(f"sees {s}" for s in states)),
                        actions=(game.messages, game.receiver_actions), layers=layers,
                        criteria=game.criteria,
                        title=f"{game.title or 'signalling game'}, state disclosed to the "
                              f"receiver")
