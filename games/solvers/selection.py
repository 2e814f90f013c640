"""Equilibrium selection: payoff dominance, risk dominance (2x2), welfare over a set of
equilibria, and the best Nash equilibrium of a two-player game for an objective, by
enumeration or by a mixed-integer program where enumeration is too large.
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction
from typing import Any

import numpy as np

from games.arguments import check_flag, check_integer, check_reals
from games.errors import InvalidArgumentError, InvalidGameError, SolverError
from games.model import Game, format_number
from games.results import Equilibrium, make_equilibrium, tolerance
from games.solvers.common import check_two_players, exact_solve
from games.solvers.pure import pure_equilibria
from games.solvers.vertex_enumeration import all_equilibria
from games.tolerance import payoff_scale

__all__ = ["expected_layer", "welfare", "welfare_maximising", "payoff_dominant",
           "risk_dominant", "best_equilibrium"]


def expected_layer(game: Game, profile: Any, layer: str = "objective") -> np.ndarray:
    r"""Expected value of each criterion of an evaluation layer under a mixed profile,
    :math:`\sum_a \prod_i s_i(a_i)\, L_k(a)` (exact when the game and profile are).

    Examples
    --------
    >>> import games
    >>> pd = games.catalog.prisoners_dilemma()
    >>> [str(v) for v in expected_layer(pd, [0, 0])]
    ['3', '3']
    """
    if layer not in game.layers:
        raise InvalidArgumentError(f"layer: expected one of {sorted(game.layers)}, found {layer!r}")
    strategies = game.strategies(profile)
    exact = strategies[0].dtype == object and game.layers[layer].dtype == object
    arr = game.layers[layer]
    if not exact:
        arr = np.asarray(arr, dtype=np.float64)
        strategies = tuple(np.asarray(s, dtype=np.float64) for s in strategies)
    out = arr
    for s in reversed(strategies):
        out = np.tensordot(out, s, axes=([out.ndim - 1], [0]))
    return out


def welfare(equilibrium: Equilibrium, layer: str = "objective",
            weights: Sequence[Any] | None = None, game: Game | None = None) -> Any:
    """Weighted sum of the expected criteria of ``layer`` at an equilibrium (default: the
    utilitarian welfare, the sum of the players' payoffs)."""
    game = game if game is not None else equilibrium.game
    if game is None:
        raise InvalidGameError("equilibrium: expected an equilibrium that knows its game")
    values = expected_layer(game, equilibrium.strategies, layer)
    if weights is None:
        return sum(values.tolist())
    weights = check_reals(weights, "weights")
    if len(weights) != len(values):
        raise InvalidArgumentError(f"weights: expected {len(values)} weights for layer {layer!r}, "
                                   f"found {len(weights)}")
    return sum(w * v for w, v in zip(weights, values.tolist()))


def _equilibria(source: Any) -> Sequence[Equilibrium]:
    if isinstance(source, Game):
        if source.n_players == 2:
            return all_equilibria(source)
        return pure_equilibria(source)
    items = list(source)
    if not items:
        raise InvalidGameError("equilibria: expected at least one equilibrium, found none")
    return items


def welfare_maximising(equilibria: Any, layer: str = "objective",
                       weights: Sequence[Any] | None = None) -> Equilibrium:
    """The equilibrium of a set with the largest :func:`welfare` (first in the set's order
    on ties). A Game is replaced by its equilibria (every extreme one for two players,
    the pure ones otherwise).

    Examples
    --------
    >>> import games
    >>> e = welfare_maximising(games.catalog.stag_hunt())
    >>> e.action_names
    ('Stag', 'Stag')
    """
    items = _equilibria(equilibria)
    scores = [welfare(e, layer, weights) for e in items]
    best = max(range(len(items)), key=lambda k: (scores[k], -k))
    return items[best]


def payoff_dominant(equilibria: Any, strict: bool = True) -> Equilibrium | None:
    """The equilibrium that payoff-dominates every other one (Harsanyi & Selten 1988):
    every player gets strictly more (``strict=True``) or at least as much and someone
    more (``strict=False``) than at any equilibrium with another payoff vector. None when
    no equilibrium does.

    Examples
    --------
    >>> import games
    >>> payoff_dominant(games.catalog.stag_hunt()).action_names
    ('Stag', 'Stag')
    """
    check_flag(strict, "strict")
    items = _equilibria(equilibria)
    pays = [tuple(e.payoffs.tolist()) for e in items]
    for k, p in enumerate(pays):
        ok = True
        for q in pays:
            if q == p:
                continue
            better = all(a > b for a, b in zip(p, q)) if strict else \
                all(a >= b for a, b in zip(p, q)) and any(a > b for a, b in zip(p, q))
            if not better:
                ok = False
                break
        if ok:
            return items[k]
    return None


def risk_dominant(game: Game) -> Equilibrium | None:
    r"""The risk-dominant equilibrium of a 2x2 game with two strict pure equilibria
    (Harsanyi & Selten 1988): :math:`(a_1, a_2)` risk-dominates :math:`(b_1, b_2)` when
    the product of the deviation losses is larger,
    :math:`(u_1(a) - u_1(b_1, a_2))(u_2(a) - u_2(a_1, b_2)) >
    (u_1(b) - u_1(a_1, b_2))(u_2(b) - u_2(b_1, a_2))`. None when the products are equal.

    Raises
    ------
    InvalidGameError
        When the game is not 2x2 or does not have exactly two strict pure equilibria.

    Examples
    --------
    >>> import games
    >>> risk_dominant(games.catalog.stag_hunt()).action_names
    ('Hare', 'Hare')
    """
    if not isinstance(game, Game) or game.shape != (2, 2):
        shape = game.shape if isinstance(game, Game) else type(game).__name__
        raise InvalidGameError(f"risk_dominant: expected a 2x2 game, found {shape}")
    pure = [e for e in pure_equilibria(game) if e.strict]
    if len(pure) != 2:
        raise InvalidGameError(
            f"risk_dominant: expected a 2x2 game with exactly two strict pure equilibria, "
            f"found {len(pure)}")
    u = game.payoffs
    (a1, a2), (b1, b2) = pure[0].profile, pure[1].profile
    loss_a = (u[0, a1, a2] - u[0, b1, a2]) * (u[1, a1, a2] - u[1, a1, b2])
    loss_b = (u[0, b1, b2] - u[0, a1, b2]) * (u[1, b1, b2] - u[1, b1, a2])
    if loss_a > loss_b:
        return pure[0]
    if loss_b > loss_a:
        return pure[1]
    return None


def best_equilibrium(game: Game, objective: Any = "welfare", weights: Sequence[Any] | None = None,
                     method: str = "auto", max_enumeration: int = 12) -> Equilibrium:
    r"""The Nash equilibrium of a two-player game that maximises an objective.

    Objectives: ``"welfare"`` (sum of payoffs, or ``weights`` per player),
    ``"egalitarian"`` (the smaller payoff), a player (index or name: that player's
    payoff), or the name of an evaluation layer (the ``weights``-weighted sum of its
    criteria). The expected objective is bilinear in :math:`(x, y)`, so on every maximal
    Nash subset its maximum is at an extreme equilibrium: enumeration
    (:func:`games.all_equilibria`) is exact. Where that is too large, the payoff
    objectives are solved as the mixed-integer program of Sandholm, Gilpin & Conitzer
    (2005): binary :math:`s_i` says action :math:`i` is unused,
    :math:`x_i \le 1 - s_i`, :math:`u - (Ay)_i \le U s_i`, :math:`u \ge (Ay)_i`, and the
    same for player 2; at an equilibrium :math:`u, v` are the payoffs, so the objective
    is linear. The MILP answer is polished on its supports and verified.

    Parameters
    ----------
    game : Game
        Two players.
    objective : str or int
        See above.
    weights : sequence, optional
        Player weights for ``"welfare"``, criterion weights for a layer.
    method : {"auto", "enumeration", "milp"}
        ``"auto"`` enumerates when both players have at most ``max_enumeration`` actions.
    max_enumeration : int
        Size limit of ``"auto"``'s enumeration.

    Returns
    -------
    Equilibrium
        A verified equilibrium attaining the maximum.

    References
    ----------
    Sandholm, T., Gilpin, A. & Conitzer, V. (2005). Mixed-integer programming methods for
    finding Nash equilibria. AAAI, 495-501.

    Examples
    --------
    >>> import games
    >>> bos = games.Game.from_bimatrix([[3, 0], [0, 2]], [[2, 0], [0, 3]])
    >>> best_equilibrium(bos, objective=0).profile, best_equilibrium(bos, objective=1).profile
    ((0, 0), (1, 1))
    """
    if weights is not None:
        weights = check_reals(weights, "weights")
    check_integer(max_enumeration, "max_enumeration", minimum=0)
    check_two_players(game, "best_equilibrium")
    if method not in ("auto", "enumeration", "milp"):
        raise InvalidArgumentError(
            f"method: expected 'auto', 'enumeration' or 'milp', found {method!r}")
    kind, player = _objective_kind(game, objective)
    if kind == "layer" and method == "milp":
        raise InvalidArgumentError(
            f"objective: a layer ({objective!r}) is bilinear in the strategies and has no "
            f"linear MILP form; use method='enumeration'")
    if method == "auto":
        method = "enumeration" if max(game.shape) <= max_enumeration or kind == "layer" \
            else "milp"
    if method == "enumeration":
        return _by_enumeration(game, kind, player, weights)
    try:
        return _milp(game, kind, player, weights)
    except SolverError:
        if game.exact and max(game.shape) <= 20:   # a continuum the MILP point sits inside
            return _by_enumeration(game, kind, player, weights)
        raise


def _by_enumeration(game: Game, kind: str, arg: Any, weights: Any) -> Equilibrium:
    items = all_equilibria(game)
    scores = [_score(game, e, kind, arg, weights) for e in items]
    best = max(range(len(items)), key=lambda k: (scores[k], -k))
    return items[best]


def _objective_kind(game: Game, objective: Any) -> tuple[str, Any]:
    """The kind of objective and its argument (a player index or a layer name)."""
    if isinstance(objective, str):
        if objective in ("welfare", "egalitarian"):
            return objective, None
        if objective in game.players:
            return "player", game.players.index(objective)
        if objective in game.layers:
            return "layer", objective
    elif isinstance(objective, (int, np.integer)) and not isinstance(objective, bool) \
            and 0 <= int(objective) < 2:
        return "player", int(objective)
    raise InvalidArgumentError(
        f"objective: expected 'welfare', 'egalitarian', a player (0, 1 or one of "
        f"{list(game.players)}) or a layer (one of {sorted(game.layers)}), found {objective!r}")


def _score(game: Game, e: Equilibrium, kind: str, player: Any, weights: Any) -> Any:
    if kind == "layer":
        return welfare(e, player, weights, game)
    pays = e.payoffs.tolist()
    if kind == "player":
        return pays[player]
    if kind == "egalitarian":
        return min(pays)
    if weights is None:
        return sum(pays)
    if len(weights) != 2:
        raise InvalidArgumentError(f"weights: expected 2 player weights, found {len(weights)}")
    return sum(w * p for w, p in zip(weights, pays))


def _milp(game: Game, kind: str, player: int | None, weights: Any) -> Equilibrium:
    from scipy.optimize import LinearConstraint, milp

    # each player's payoffs shifted to start at 0 and both divided by the payoff range:
    # the same equilibria, objectives changed by a positive factor and a constant (the
    # egalitarian one keeps the shifts as offsets), and HiGHS's absolute tolerances mean
    # the same at every payoff scale
    A, B, offsets = _unit_bimatrix(game)
    m, n = A.shape
    U1 = float(A.max())
    U2 = float(B.max())
    # variables: x (m), y (n), u, v, s (m), t (n), w
    nv = m + n + 2 + m + n + 1
    X, Y, Uc, Vc, S, T, W = 0, m, m + n, m + n + 1, m + n + 2, 2 * m + n + 2, 2 * m + 2 * n + 2
    rows, lo, hi = [], [], []

    def add(coefs: dict[int, float] | np.ndarray, lb: float, ub: float) -> None:
        row = np.zeros(nv)
        if isinstance(coefs, dict):
            for k, c in coefs.items():
                row[k] += c
        else:
            row += coefs
        rows.append(row)
        lo.append(lb)
        hi.append(ub)

    row = np.zeros(nv)
    row[X:X + m] = 1
    add(row, 1, 1)
    row = np.zeros(nv)
    row[Y:Y + n] = 1
    add(row, 1, 1)
    for i in range(m):
        row = np.zeros(nv)
        row[Uc] = 1
        row[Y:Y + n] = -A[i]
        add(row, 0, np.inf)
        row2 = row.copy()
        row2[S + i] = -U1
        add(row2, -np.inf, 0)
        add({X + i: 1, S + i: 1}, -np.inf, 1)
    for j in range(n):
        row = np.zeros(nv)
        row[Vc] = 1
        row[X:X + m] = -B[:, j]
        add(row, 0, np.inf)
        row2 = row.copy()
        row2[T + j] = -U2
        add(row2, -np.inf, 0)
        add({Y + j: 1, T + j: 1}, -np.inf, 1)
    c = np.zeros(nv)
    if kind == "player":
        c[Uc if player == 0 else Vc] = -1
    elif kind == "egalitarian":
        c[W] = -1
        add({W: 1, Uc: -1}, -np.inf, offsets[0])
        add({W: 1, Vc: -1}, -np.inf, offsets[1])
    else:
        w = [1.0, 1.0] if weights is None else [float(v) for v in weights]
        if len(w) != 2:
            raise InvalidArgumentError(f"weights: expected 2 player weights, found {len(w)}")
        c[Uc], c[Vc] = -w[0], -w[1]
    lb = np.zeros(nv)
    ub = np.ones(nv)
    lb[[Uc, Vc, W]] = [0.0, 0.0, min(offsets)]
    ub[[Uc, Vc, W]] = [U1, U2, max(U1 + offsets[0], U2 + offsets[1])]
    integrality = np.zeros(nv)
    integrality[S:S + m + n] = 1
    from scipy.optimize import Bounds

    res = milp(c, constraints=LinearConstraint(np.array(rows), lo, hi), bounds=Bounds(lb, ub),
               integrality=integrality, options={"mip_rel_gap": 0.0})
    if res.status != 0 or res.x is None:
        raise SolverError(f"best_equilibrium: the MILP failed: {res.message}")
    x = np.clip(res.x[X:X + m], 0, None)
    y = np.clip(res.x[Y:Y + n], 0, None)
    s = res.x[S:S + m] > 0.5
    t = res.x[T:T + n] > 0.5
    x[s] = 0
    y[t] = 0
    return _polish(game, x / x.sum(), y / y.sum(), ~s, ~t)


def _polish(game: Game, x: np.ndarray, y: np.ndarray, rows: np.ndarray, cols: np.ndarray
            ) -> Equilibrium:
    """Recompute an equilibrium from its supports and best-response sets (exactly on
    exact games), then verify it."""
    A, B = game.payoffs[0], game.payoffs[1]
    Is = [i for i in range(len(x)) if x[i] > 1e-12]
    J = [j for j in range(len(y)) if y[j] > 1e-12]
    R = [i for i in range(len(x)) if rows[i]] or Is
    C = [j for j in range(len(y)) if cols[j]] or J
    if game.exact:
        ysol = _exact_side(A, J, R)
        xsol = _exact_side(B.T, Is, C)
        candidates = [(xsol, ysol)] if ysol is not None and xsol is not None else []
        for digits in (2, 3, 4, 6, 8, 10, 12):      # a continuum: rationalise the float point
            bound = 10 ** digits
            candidates.append(tuple(_rational(v, bound) for v in (x, y)))
        for cand in candidates:
            try:
                return make_equilibrium(game, cand, "best_equilibrium_milp")
            except (SolverError, InvalidGameError):
                continue
        raise SolverError("best_equilibrium: could not make the MILP solution exact; use "
                          "method='enumeration'")
    Af, Bf, _ = _unit_bimatrix(game)
    yp = _float_side(Af, J, R, y)
    xp = _float_side(Bf.T, Is, C, x)
    for cand in ((xp, yp), (x, y)):
        try:
            return make_equilibrium(game, cand, "best_equilibrium_milp")
        except (SolverError, InvalidGameError):
            continue
    raise SolverError(f"best_equilibrium: the MILP solution has regret "
                      f"{format_number(game.regret((x, y)))} > {tolerance(game)}")


def _unit_bimatrix(game: Game) -> tuple[np.ndarray, np.ndarray, tuple[float, float]]:
    """Float ``(A - min A) / scale``, ``(B - min B) / scale`` with ``scale`` the payoff
    range (1 for a constant game), and the shifts ``(min A / scale, min B / scale)``."""
    A = np.asarray(game.float_payoffs[0], dtype=np.float64)
    B = np.asarray(game.float_payoffs[1], dtype=np.float64)
    unit = 1.0 / (payoff_scale(game.float_payoffs) or 1.0)
    low_a, low_b = float(A.min()), float(B.min())
    return (A - low_a) * unit, (B - low_b) * unit, (low_a * unit, low_b * unit)


def _rational(v: np.ndarray, bound: int) -> np.ndarray:
    """A probability vector of fractions with denominators at most ``bound`` near ``v``."""
    q = [Fraction(float(p)).limit_denominator(bound) for p in v]
    total = sum(q)
    if total == 0:
        return np.array(q, dtype=object)
    return np.array([p / total for p in q], dtype=object)


def _float_side(A: np.ndarray, J: list[int], R: list[int], fallback: np.ndarray) -> np.ndarray:
    k = len(J)
    M = np.zeros((len(R) + 1, k + 1))
    M[:len(R), :k] = A[np.ix_(R, J)]
    M[:len(R), k] = -1
    M[len(R), :k] = 1
    rhs = np.zeros(len(R) + 1)
    rhs[-1] = 1
    sol = np.linalg.lstsq(M, rhs, rcond=None)[0]
    if (sol[:k] < -1e-12).any():
        return fallback
    out = np.zeros(A.shape[1])
    out[J] = np.clip(sol[:k], 0, None)
    return out / out.sum()


def _exact_side(A: np.ndarray, J: list[int], R: list[int]) -> np.ndarray | None:
    k = len(J)
    rows = [[Fraction(A[i, j]) for j in J] + [Fraction(-1)] for i in R]
    rows.append([Fraction(1)] * k + [Fraction(0)])
    sol = exact_solve(rows, [Fraction(0)] * len(R) + [Fraction(1)])
    if sol is None or min(sol[:k]) < 0:
        return None
    out = np.array([Fraction(0)] * A.shape[1], dtype=object)
    for t, j in enumerate(J):
        out[j] = sol[t]
    return out
