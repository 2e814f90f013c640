r"""Logit quantal response equilibria (QRE) and the principal branch to a Nash equilibrium.

At rationality :math:`\lambda \ge 0` a logit QRE is a profile with
:math:`p_i(a) \propto \exp(\lambda\, u_i(a, p_{-i}))` for every player and action. The
principal branch starts at the centroid (:math:`\lambda = 0`) and, for generic games,
converges to a Nash equilibrium as :math:`\lambda \to \infty` (McKelvey & Palfrey 1995).
It is traced by predictor-corrector path following in :math:`(\lambda, \log p)`
coordinates, parameterised by arc length so that the branch may turn back in
:math:`\lambda` (Turocy 2005).
"""

from __future__ import annotations

import html
import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from games.arguments import check_real
from games.errors import InvalidArgumentError, InvalidGameError, SolverError
from games.model import Game, format_number, html_table
from games.palette import line_styles
from games.results import Equilibrium
from games.solvers.multilinear import Multilinear, polish

__all__ = ["QuantalResponse", "QuantalResponsePath", "QuantalResponseFit", "quantal_response",
           "quantal_response_path", "fit_quantal_response", "logit_equilibrium"]


@dataclass(frozen=True, eq=False)
class QuantalResponse:
    r"""A logit quantal response equilibrium at one rationality.

    Attributes
    ----------
    strategies : tuple of ndarray
        One probability vector per player.
    rationality : float
        :math:`\lambda`.
    payoffs : ndarray
        Expected payoff of each player.
    residual : float
        The certificate: :math:`\max_{i,a} |p_i(a) - \mathrm{logit}_\lambda(u_i(\cdot,
        p_{-i}))(a)|`.
    """

    strategies: tuple[np.ndarray, ...]
    rationality: float
    payoffs: np.ndarray
    residual: float
    game: Game | None = field(default=None, repr=False)

    def __repr__(self) -> str:
        probs = ", ".join("[" + ", ".join(f"{p:.4g}" for p in s) + "]" for s in self.strategies)
        return (f"QuantalResponse(rationality {self.rationality:.6g}, strategies ({probs}), "
                f"residual {self.residual:.2g})")

    def to_dict(self) -> dict[str, Any]:
        return {"rationality": self.rationality,
                "strategies": [s.tolist() for s in self.strategies],
                "payoffs": self.payoffs.tolist(), "residual": self.residual}

    def _repr_html_(self) -> str:
        return _strategies_table(repr(self), self.strategies, self.payoffs, self.game)


@dataclass(frozen=True, eq=False)
class QuantalResponsePath:
    r"""The traced principal branch of the logit QRE correspondence.

    Attributes
    ----------
    rationalities : ndarray, shape (m,)
        :math:`\lambda` at each traced point (not necessarily increasing: the branch may
        turn back).
    profiles : ndarray, shape (m, a_1 + ... + a_n)
        The concatenated strategies at each point.
    equilibrium : Equilibrium or None
        The certified Nash equilibrium the branch leads to (None when the trace stopped
        at ``max_rationality`` first).
    """

    rationalities: np.ndarray
    profiles: np.ndarray
    equilibrium: Equilibrium | None
    game: Game = field(repr=False)

    def __len__(self) -> int:
        return len(self.rationalities)

    def strategies(self, k: int) -> tuple[np.ndarray, ...]:
        """The strategies of point ``k``."""
        off = np.concatenate([[0], np.cumsum(self.game.shape)])
        return tuple(self.profiles[k, off[i]:off[i + 1]] for i in range(self.game.n_players))

    def __repr__(self) -> str:
        end = repr(self.equilibrium) if self.equilibrium is not None else "none reached"
        return (f"QuantalResponsePath({len(self)} points, rationality up to "
                f"{self.rationalities.max():.4g}, equilibrium {end})")

    def to_dict(self) -> dict[str, Any]:
        return {"rationalities": self.rationalities.tolist(),
                "profiles": self.profiles.tolist(),
                "equilibrium": None if self.equilibrium is None else self.equilibrium.to_dict()}

    def _repr_html_(self) -> str:
        reached = "none" if self.equilibrium is None else "below"
        table = html_table(repr(self), [
            ("points", len(self)),
            ("rationality", f"{self.rationalities.min():.4g} to {self.rationalities.max():.4g}"),
            ("equilibrium reached", reached)])
        end = "" if self.equilibrium is None else self.equilibrium._repr_html_()
        return table + end

    def plot(self, ax: Any = None, log: bool = True) -> Any:
        """Plot every action's probability against the rationality (matplotlib)."""
        import matplotlib.pyplot as plt

        if ax is None:
            _, ax = plt.subplots()
        lam = self.rationalities
        x = np.log1p(lam) if log else lam
        off = np.concatenate([[0], np.cumsum(self.game.shape)])
        styles = line_styles(int(off[-1]))
        for i in range(self.game.n_players):
            for a in range(self.game.shape[i]):
                ax.plot(x, self.profiles[:, off[i] + a], markevery=0.1, markersize=4,
                        label=f"{self.game.players[i]}: {self.game.actions[i][a]}",
                        **styles[off[i] + a])
        ax.set_xlabel("log(1 + rationality)" if log else "rationality")
        ax.set_ylabel("probability")
        ax.set_title(self.game.title or "logit QRE branch")
        ax.legend(fontsize="small")
        return ax


@dataclass(frozen=True, eq=False)
class QuantalResponseFit:
    """Maximum-likelihood logit rationality for observed play.

    Attributes
    ----------
    rationality : float
        The estimate.
    log_likelihood : float
        Log-likelihood of the counts at the estimate.
    response : QuantalResponse
        The QRE on the principal branch at the estimate.
    """

    rationality: float
    log_likelihood: float
    response: QuantalResponse

    def __repr__(self) -> str:
        return (f"QuantalResponseFit(rationality {self.rationality:.6g}, log-likelihood "
                f"{self.log_likelihood:.6g})")

    def to_dict(self) -> dict[str, Any]:
        return {"rationality": float(self.rationality),
                "log_likelihood": float(self.log_likelihood),
                "response": self.response.to_dict()}

    def _repr_html_(self) -> str:
        r = self.response
        return _strategies_table(repr(self), r.strategies, r.payoffs, r.game)


def _strategies_table(caption: str, strategies: tuple[np.ndarray, ...], payoffs: np.ndarray,
                      game: Game | None) -> str:
    """A small HTML table: one row per player with its strategy and expected payoff."""
    esc = html.escape
    n = len(strategies)
    players = game.players if game is not None else tuple(f"Player {i + 1}" for i in range(n))
    rows = []
    for i, s in enumerate(strategies):
        names = game.actions[i] if game is not None else [str(k) for k in range(len(s))]
        text = ", ".join(f"{names[k]}: {float(p):.4g}" for k, p in enumerate(s))
        rows.append(f"<tr><td>{esc(players[i])}</td><td>{esc(text)}</td>"
                    f"<td>{float(payoffs[i]):.6g}</td></tr>")
    return (f"<table><caption>{esc(caption)}</caption><tr><th>player</th><th>strategy</th>"
            f"<th>payoff</th></tr>{''.join(rows)}</table>")


# ---------------------------------------------------------------------------------------
# The homotopy


class _Homotopy:
    r"""H(y, lambda) = 0 in log-probabilities y: for each player i,
    sum_a exp(y_ia) = 1 and y_ia - y_i0 = lambda (u_i(a) - u_i(0)) for a >= 1."""

    def __init__(self, ml: Multilinear) -> None:
        self.ml = ml
        N = ml.size
        self.first = ml.offsets[:-1]
        self.ref = np.repeat(ml.offsets[:-1], ml.shape)      # reference row of each entry
        self.is_first = np.zeros(N, dtype=bool)
        self.is_first[self.first] = True
        self.rows = np.flatnonzero(~self.is_first)

    def residual(self, y: np.ndarray, lam: float) -> np.ndarray:
        ml = self.ml
        p = np.exp(y)
        u = ml.values(p)
        H = np.empty(ml.size)
        H[self.first] = np.add.reduceat(p, ml.offsets[:-1]) - 1.0
        r, ref = self.rows, self.ref[self.rows]
        H[r] = y[r] - y[ref] - lam * (u[r] - u[ref])
        return H

    def jacobian(self, y: np.ndarray, lam: float) -> tuple[np.ndarray, np.ndarray]:
        """(H, dH/d(y, lambda)) of shape (N,), (N, N + 1)."""
        ml = self.ml
        N = ml.size
        p = np.exp(y)
        u, D = ml.values_and_jacobian(p)
        H = np.empty(N)
        J = np.zeros((N, N + 1))
        H[self.first] = np.add.reduceat(p, ml.offsets[:-1]) - 1.0
        for i in range(ml.n):
            sl = slice(ml.offsets[i], ml.offsets[i + 1])
            J[ml.offsets[i], sl] = p[sl]
        r, ref = self.rows, self.ref[self.rows]
        H[r] = y[r] - y[ref] - lam * (u[r] - u[ref])
        J[r, :N] = -lam * (D[r] - D[ref]) * p[None, :]
        J[r, r] += 1.0
        J[r, ref] -= 1.0
        J[r, N] = -(u[r] - u[ref])
        return H, J


def _tangent(J: np.ndarray) -> np.ndarray:
    q, _ = np.linalg.qr(J.T, mode="complete")
    t = q[:, -1]
    return t / np.linalg.norm(t)


def _correct(h: _Homotopy, z: np.ndarray, tol: float, max_steps: int = 6,
             fixed_lambda: bool = False) -> tuple[np.ndarray, bool, int]:
    """Newton corrector: minimum-norm steps (or steps at fixed lambda)."""
    z, ok, k, _ = _correct_with_jacobian(h, z, tol, max_steps, fixed_lambda)
    return z, ok, k


def _correct_with_jacobian(h: _Homotopy, z: np.ndarray, tol: float, max_steps: int = 6,
                           fixed_lambda: bool = False
                           ) -> tuple[np.ndarray, bool, int, np.ndarray | None]:
    """:func:`_correct`, also returning the Jacobian at the converged point (or None)."""
    N = h.ml.size
    last = np.inf
    for k in range(max_steps):
        H, J = h.jacobian(z[:N], z[N])
        res = float(np.abs(H).max())
        if res < tol:
            return z, True, k, J
        if res > 0.5 * last and k >= 2 or not np.isfinite(res):
            return z, False, k, None
        last = res
        if fixed_lambda:
            try:
                dz = np.linalg.solve(J[:, :N], H)
            except np.linalg.LinAlgError:
                return z, False, k, None
            z = z.copy()
            z[:N] -= dz
        else:
            try:
                dz = J.T @ np.linalg.solve(J @ J.T, H)
            except np.linalg.LinAlgError:
                dz = np.linalg.lstsq(J, H, rcond=None)[0]
            z = z - dz
        if np.any(z[:N] > 1e-9):
            z[:N] = np.minimum(z[:N], 0.0)
    H = h.residual(z[:h.ml.size], z[h.ml.size])
    return z, bool(np.abs(H).max() < tol), max_steps, None


def _trace(game: Game, *, max_rationality: float | None = None, stop_at: float | None = None,
           find_equilibrium: bool = True, first_step: float = 0.03, max_steps: int = 20000,
           payoffs: np.ndarray | None = None, record: bool = True
           ) -> tuple[list[float], list[np.ndarray], Equilibrium | None, Multilinear]:
    """Trace the principal branch; returns lambdas, profiles, the NE (if asked).

    The branch is traced in the payoffs divided by their range, where the rationality
    ``lambda * span`` is dimensionless (the same path at every payoff scale); the
    lambdas returned are in the game's own units. With ``stop_at``, the last two points
    ``(z_old, z)`` are returned in the scaled units (see :func:`_unit_homotopy`)."""
    ml = Multilinear(game, payoffs)
    span = _span(ml)
    N = ml.size
    y = np.concatenate([np.full(a, -math.log(a)) for a in game.shape])
    z = np.concatenate([y, [0.0]])
    lams: list[float] = [0.0]
    profiles: list[np.ndarray] = [np.exp(y)]
    if span == 0.0:      # every profile is an equilibrium (and every QRE is the centroid)
        eq = polish(game, ml.split(np.exp(y)), "logit", ml=ml) if find_equilibrium else None
        return lams, profiles, eq, ml
    h = _unit_homotopy(game, ml, span)
    lam_max = max_rationality * span if max_rationality is not None else 1e9
    stop = None if stop_at is None else stop_at * span
    _, J = h.jacobian(z[:N], 0.0)
    t = _tangent(J)
    if t[N] < 0:
        t = -t
    step = first_step * max(1.0, math.sqrt(N))
    next_polish = 10.0
    tol = 1e-10
    eq = None
    for _ in range(max_steps):
        accepted = False
        for _attempt in range(30):
            z_pred = z + step * t
            z_pred[:N] = np.minimum(z_pred[:N], 0.0)
            z_new, ok, iters, Jn = _correct_with_jacobian(h, z_pred, tol)
            if ok:
                if Jn is None:
                    _, Jn = h.jacobian(z_new[:N], z_new[N])
                t_new = _tangent(Jn)
                if t_new @ t < 0:
                    t_new = -t_new
                cos = float(t_new @ t)
                if cos > 0.9 or step < 1e-8:
                    accepted = True
                    break
            step *= 0.5
        if not accepted:
            raise SolverError(f"logit: path following stalled at rationality {z[N] / span:.4g}")
        z_old, z, t = z, z_new, t_new
        if iters <= 2 and cos > 0.995:
            step *= 2.0
        elif iters >= 4:
            step *= 0.7
        lam = float(z[N])
        if record:
            lams.append(lam / span)
            profiles.append(np.exp(z[:N]))
        if stop is not None and lam >= stop:
            return lams, profiles, (z_old, z), ml  # type: ignore[return-value]
        if lam < -1e-9:
            raise SolverError("logit: the branch turned back through rationality 0 "
                              "(numerical failure)")
        if find_equilibrium and lam >= next_polish:
            next_polish = lam * 2.0
            p = np.exp(z[:N])
            try:
                eq = polish(game, ml.split(p), "logit", ml=ml, max_distance=0.05)
                return lams, profiles, eq, ml
            except SolverError:
                pass
        if lam >= lam_max:
            break
    if find_equilibrium:
        p = np.exp(z[:N])
        eq = polish(game, ml.split(p), "logit", ml=ml)
    return lams, profiles, eq, ml


def logit_equilibrium(game: Game, **options: Any) -> Equilibrium:
    """The Nash equilibrium at the end of the principal logit branch, polished and
    certified (the ``"logit"`` method of :func:`games.mixed_equilibria`).

    Raises
    ------
    SolverError
        When path following fails or the end point does not polish to a certified
        equilibrium.
    """
    allowed = {"max_steps", "first_step"}
    bad = set(options) - allowed
    if bad:
        raise InvalidArgumentError(f"options: unknown option(s) {sorted(bad)} for method 'logit' "
                                   f"(expected some of {sorted(allowed)})")
    _, _, eq, _ = _trace(game, record=False, **options)
    return eq


def quantal_response_path(game: Game, max_rationality: float | None = None) -> QuantalResponsePath:
    r"""The principal branch of the logit QRE correspondence, from the centroid to the Nash
    equilibrium it selects (the logit tracing procedure).

    Parameters
    ----------
    game : Game
    max_rationality : float, optional
        Stop at this :math:`\lambda` (in the game's payoff units). By default the trace
        runs until the branch is certified close to a Nash equilibrium.

    Returns
    -------
    QuantalResponsePath

    References
    ----------
    McKelvey, R. D. & Palfrey, T. R. (1995). Quantal response equilibria for normal form
    games. *Games and Economic Behavior* 10, 6-38. Turocy (2005).

    Examples
    --------
    >>> import games
    >>> path = quantal_response_path(games.catalog.matching_pennies())
    >>> float(path.rationalities[0]), path.equilibrium.regret
    (0.0, Fraction(0, 1))
    """
    if max_rationality is not None:
        check_real(max_rationality, "max_rationality", low=0, low_open=True)
    _check_game(game)
    lams, profiles, eq, _ = _trace(game, max_rationality=max_rationality,
                                   find_equilibrium=max_rationality is None)
    return QuantalResponsePath(np.array(lams), np.array(profiles), eq, game)


def quantal_response(game: Game, rationality: float) -> QuantalResponse:
    r"""The logit quantal response equilibrium at ``rationality`` on the principal branch.

    :math:`p_i(a) = \exp(\lambda u_i(a, p_{-i})) / \sum_b \exp(\lambda u_i(b, p_{-i}))`.
    Where the correspondence has several QRE at one :math:`\lambda`, the first point of
    the principal branch (traced from :math:`\lambda = 0`) is returned.

    Parameters
    ----------
    rationality : float
        :math:`\lambda \ge 0`, in the game's payoff units (0: uniform play).

    Returns
    -------
    QuantalResponse
        With its residual (the largest violation of the logit equations, ~1e-12).

    Raises
    ------
    InvalidGameError
        A negative or non-finite rationality.

    Examples
    --------
    >>> import games
    >>> q = quantal_response(games.catalog.prisoners_dilemma(), 0.0)
    >>> [s.tolist() for s in q.strategies]
    [[0.5, 0.5], [0.5, 0.5]]
    """
    _check_game(game)
    lam = _check_rationality(rationality)
    ml = Multilinear(game)
    N = ml.size
    span = _span(ml)
    if lam == 0.0 or span == 0.0:
        z = np.concatenate([np.concatenate([np.full(a, -math.log(a)) for a in game.shape]),
                            [lam]])
    else:
        h = _unit_homotopy(game, ml, span)
        target = lam * span
        _, _, (z_old, z_new), _ = _trace(game, stop_at=lam, find_equilibrium=False,
                                         record=False)
        w = (target - z_old[N]) / (z_new[N] - z_old[N]) if z_new[N] != z_old[N] else 1.0
        z = z_old + w * (z_new - z_old)
        z[N] = target
        z, ok, _ = _correct(h, z, 1e-13, max_steps=20, fixed_lambda=True)
        if not ok:
            raise SolverError(f"quantal_response: Newton's method did not converge at "
                              f"rationality {lam}")
    return _response(game, ml, z[:N], lam)


def _response(game: Game, ml: Multilinear, y: np.ndarray, lam: float) -> QuantalResponse:
    p = np.exp(y)
    for i in range(ml.n):
        sl = slice(ml.offsets[i], ml.offsets[i + 1])
        p[sl] /= p[sl].sum()
    u = ml.values(p)
    residual = 0.0
    for i in range(ml.n):
        sl = slice(ml.offsets[i], ml.offsets[i + 1])
        e = np.exp(lam * (u[sl] - u[sl].max()))
        residual = max(residual, float(np.abs(p[sl] - e / e.sum()).max()))
    strategies = ml.split(p)
    payoffs = np.array([u[ml.offsets[i]:ml.offsets[i + 1]] @ strategies[i]
                        for i in range(ml.n)])
    for s in strategies:
        s.flags.writeable = False
    payoffs.flags.writeable = False
    return QuantalResponse(strategies, lam, payoffs, residual, game)


def fit_quantal_response(game: Game, counts: Any, max_rationality: float | None = None
                         ) -> QuantalResponseFit:
    r"""The rationality that maximises the likelihood of observed play on the principal
    logit branch: :math:`\max_\lambda \sum_{i,a} n_i(a) \log p_i(a; \lambda)`.

    Parameters
    ----------
    counts : sequence of array_like
        One vector of non-negative action counts (or frequencies) per player.
    max_rationality : float, optional
        Upper end of the search (default: where the branch gets within certification
        distance of its Nash equilibrium, at least ``1000 / payoff range``).

    Returns
    -------
    QuantalResponseFit

    Raises
    ------
    InvalidGameError
        Counts of the wrong shape, negative, non-finite or all zero.

    Examples
    --------
    >>> import games
    >>> g = games.catalog.matching_pennies()
    >>> fit = fit_quantal_response(g, [[30, 30], [10, 50]])
    >>> round(fit.rationality, 3) >= 0
    True
    """
    if max_rationality is not None:
        check_real(max_rationality, "max_rationality", low=0, low_open=True)
    _check_game(game)
    c = _check_counts(game, counts)
    ml = Multilinear(game)
    span = _span(ml)
    if span == 0.0:
        q = quantal_response(game, 0.0)
        return QuantalResponseFit(0.0, _loglik(c, np.concatenate(q.strategies)), q)
    lam_max = max_rationality if max_rationality is not None else 1e3 / span
    lams, profiles, _, _ = _trace(game, max_rationality=lam_max, find_equilibrium=False)
    lams_a = np.array(lams)
    ll = np.array([_loglik(c, p) for p in profiles])
    k = int(np.argmax(np.where(lams_a <= lam_max * (1 + 1e-12), ll, -np.inf)))
    lo = lams_a[max(k - 1, 0)]
    hi = lams_a[min(k + 1, len(lams_a) - 1)]
    from scipy.optimize import minimize_scalar

    h = _unit_homotopy(game, ml, span)
    N = ml.size

    def neg(lam: float) -> float:
        j = int(np.argmin(np.abs(lams_a - lam)))
        z = np.concatenate([np.log(np.maximum(profiles[j], 1e-300)), [lam * span]])
        z, ok, _ = _correct(h, z, 1e-12, max_steps=20, fixed_lambda=True)
        return -_loglik(c, np.exp(z[:N])) if ok else -ll[j]

    if hi > lo:
        best = minimize_scalar(neg, bounds=(lo, hi), method="bounded",
                               options={"xatol": 1e-10 * hi})
        candidates = [(-best.fun, float(best.x)), (ll[k], float(lams_a[k])),
                      (-neg(lo), float(lo)), (-neg(hi), float(hi))]
        lam = max(candidates)[1]
    else:
        lam = float(lams_a[k])
    j = int(np.argmin(np.abs(lams_a - lam)))
    z = np.concatenate([np.log(np.maximum(profiles[j], 1e-300)), [lam * span]])
    z, ok, _ = _correct(h, z, 1e-13, max_steps=20, fixed_lambda=True)
    response = _response(game, ml, z[:N], lam)
    return QuantalResponseFit(lam, _loglik(c, np.concatenate(response.strategies)), response)


def _span(ml: Multilinear) -> float:
    """The overall payoff range (0 when every payoff is the same)."""
    return float(ml.payoffs.max() - ml.payoffs.min()) if ml.payoffs.size else 0.0


def _unit_homotopy(game: Game, ml: Multilinear, span: float) -> _Homotopy:
    """The homotopy on the payoffs divided by their range ``span > 0``: its rationality
    is ``lambda * span``, the same at every payoff scale."""
    return _Homotopy(Multilinear(game, ml.payoffs / span))


def _loglik(c: np.ndarray, p: np.ndarray) -> float:
    mask = c > 0
    return float(c[mask] @ np.log(np.maximum(p[mask], 1e-300)))


def _check_game(game: Any) -> None:
    if not isinstance(game, Game):
        raise InvalidGameError(f"game: expected a Game, found {type(game).__name__}")


def _check_rationality(rationality: Any) -> float:
    if isinstance(rationality, bool) or not isinstance(rationality, (int, float, np.integer,
                                                                     np.floating)):
        raise InvalidArgumentError(
            f"rationality: expected a number >= 0, found {rationality!r}")
    lam = float(rationality)
    if not math.isfinite(lam) or lam < 0:
        raise InvalidArgumentError(f"rationality: expected a finite number >= 0, found "
                                   f"{format_number(lam) if math.isfinite(lam) else lam}")
    return lam


def _check_counts(game: Game, counts: Any) -> np.ndarray:
    if isinstance(counts, (str, bytes)) or not hasattr(counts, "__len__"):
        raise InvalidArgumentError(f"counts: expected one vector of counts per player, found "
                                   f"{counts!r}")
    if len(counts) != game.n_players:
        raise InvalidArgumentError(f"counts: expected {game.n_players} vectors (one per player), "
                                   f"found {len(counts)}")
    out = []
    for i, c in enumerate(counts):
        arr = np.asarray(c, dtype=np.float64)
        if arr.shape != (game.shape[i],):
            raise InvalidArgumentError(f"counts[{i}]: expected {game.shape[i]} counts for player "
                                       f"{i} ({game.players[i]!r}), found shape {arr.shape}")
        if not np.all(np.isfinite(arr)) or arr.min() < 0:
            raise InvalidArgumentError(f"counts[{i}]: expected finite counts >= 0, found "
                                       f"{arr.tolist()}")
        out.append(arr)
    c = np.concatenate(out)
    if c.sum() == 0:
        raise InvalidArgumentError("counts: expected at least one observation, found all zeros")
    return c
