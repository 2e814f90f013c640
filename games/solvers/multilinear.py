"""Multilinear payoffs of n-player games on concatenated strategy vectors, Newton's method
on the indifference equations of a support, and certification of approximate equilibria.

Shared by :mod:`games.solvers.mixed` (McLennan-Tourky), :mod:`games.solvers.quantal` (the
logit branch) and :mod:`games.solvers.enumpoly` (polynomial support enumeration).
"""

from __future__ import annotations

import importlib.util
import os
from fractions import Fraction
from typing import Any

import numpy as np

from games._jit import jit
from games.errors import SolverError
from games.model import Game
from games.results import Equilibrium, make_equilibrium
from games.tolerance import float_tolerance, payoff_scale

__all__ = ["Multilinear", "newton_on_support", "polish", "certify"]


# ---------------------------------------------------------------------------------------
# Multilinear payoffs on concatenated strategy vectors


class Multilinear:
    """Float payoffs of a game with helpers on concatenated strategy vectors.

    A profile is one vector ``x`` of length ``N = a_1 + ... + a_n``; player ``i``'s block
    is ``x[offsets[i]:offsets[i + 1]]``.
    """

    def __init__(self, game: Game, payoffs: np.ndarray | None = None) -> None:
        self.game = game
        self.payoffs = np.ascontiguousarray(game.float_payoffs if payoffs is None else payoffs,
                                            dtype=np.float64)
        self.shape = game.shape
        self.n = game.n_players
        self.offsets = np.concatenate([[0], np.cumsum(self.shape)]).astype(np.intp)
        self.size = int(self.offsets[-1])
        self.owner = np.repeat(np.arange(self.n), self.shape)
        #: the payoff range (1 for a game whose payoffs never vary: every profile is then
        #: an equilibrium, and the scale only sets the units of Newton's residuals)
        self.scale = payoff_scale(self.payoffs) or 1.0
        #: the largest regret certified (relative to the payoff range, no floor)
        self.tol = float_tolerance(self.payoffs)

    def blocks(self, x: np.ndarray) -> list[np.ndarray]:
        return [x[self.offsets[i]:self.offsets[i + 1]] for i in range(self.n)]

    def _matrices(self) -> bool:
        """Precompute, once, each player's payoffs as a matrix (a_i, prod others) and
        each pair's as (a_i * a_j, prod rest), so contractions are matrix-vector products
        with Kronecker products of the other strategies (fast for small games)."""
        if hasattr(self, "_own"):
            return self._own is not None
        total = self.payoffs[0].size
        if self.n < 2 or total * self.n * self.n * 8 > 64 * 2**20:
            self._own = None
            return False
        n = self.n
        self._own = []
        self._pairs = {}
        for i in range(n):
            rest = [k for k in range(n) if k != i]
            self._own.append(np.ascontiguousarray(
                np.transpose(self.payoffs[i], [i] + rest).reshape(self.shape[i], -1)))
            for j in range(n):
                if j != i:
                    rest2 = [k for k in range(n) if k != i and k != j]
                    self._pairs[i, j] = (rest2, np.ascontiguousarray(
                        np.transpose(self.payoffs[i], [i, j] + rest2)
                        .reshape(self.shape[i] * self.shape[j], -1)))
        return True

    @staticmethod
    def _kron(vectors: list[np.ndarray]) -> np.ndarray:
        out = np.ones(1)
        for v in vectors:
            out = np.outer(out, v).ravel()
        return out

    def _kernel_arrays(self) -> bool:
        if not hasattr(self, "_flat"):
            ok = self.n >= 2 and _use_kernels()
            self._flat = np.ascontiguousarray(self.payoffs.reshape(self.n, -1)) if ok else None
            shape = np.array(self.shape, dtype=np.int64)
            strides = np.ones(self.n, dtype=np.int64)
            for i in range(self.n - 2, -1, -1):
                strides[i] = strides[i + 1] * shape[i + 1]
            self._kshape, self._kstrides = shape, strides
            self._koff = self.offsets.astype(np.int64)
        return self._flat is not None

    def values(self, x: np.ndarray) -> np.ndarray:
        """``out[offsets[i] + a] = u_i(a, x_{-i})`` (concatenated)."""
        if self._kernel_arrays():
            out = np.empty(self.size)
            _values_kernel(self._flat, self._kstrides, self._kshape, self._koff,
                           np.ascontiguousarray(x, dtype=np.float64), out)
            return out
        s = self.blocks(x)
        if self._matrices():
            return np.concatenate([
                self._own[i] @ self._kron([s[k] for k in range(self.n) if k != i])
                for i in range(self.n)])
        out = []
        for i in range(self.n):
            arr = self.payoffs[i]
            for j in reversed(range(self.n)):
                if j != i:
                    arr = np.tensordot(arr, s[j], axes=([j], [0]))
            out.append(arr)
        return np.concatenate(out)

    def values_and_jacobian(self, x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Action values and ``J[offsets[i] + a, offsets[j] + b] = d u_i(a, x_{-i}) /
        d x_j(b)`` (zero blocks on the diagonal)."""
        s = self.blocks(x)
        n, off = self.n, self.offsets
        J = np.zeros((self.size, self.size))
        vals = np.empty(self.size)
        if self._kernel_arrays():
            _jacobian_kernel(self._flat, self._kstrides, self._kshape, self._koff,
                             np.ascontiguousarray(x, dtype=np.float64), J)
            for i in range(n):
                j = 0 if i != 0 else 1
                vals[off[i]:off[i + 1]] = J[off[i]:off[i + 1], off[j]:off[j + 1]] @ s[j]
            return vals, J
        fast = self._matrices()
        for i in range(n):
            for j in range(n):
                if j == i:
                    continue
                if fast:
                    rest, M = self._pairs[i, j]
                    block = (M @ self._kron([s[k] for k in rest])).reshape(
                        self.shape[i], self.shape[j])
                else:
                    arr = self.payoffs[i]
                    for k in reversed(range(n)):
                        if k != i and k != j:
                            arr = np.tensordot(arr, s[k], axes=([k], [0]))
                    block = arr if i < j else arr.T
                J[off[i]:off[i + 1], off[j]:off[j + 1]] = block
            if n == 1:
                vals[off[0]:off[1]] = self.payoffs[0]
            else:
                j = 0 if i != 0 else 1
                vals[off[i]:off[i + 1]] = J[off[i]:off[i + 1], off[j]:off[j + 1]] @ s[j]
        return vals, J

    def regret(self, x: np.ndarray) -> float:
        v = self.values(x)
        worst = 0.0
        for i in range(self.n):
            sl = slice(self.offsets[i], self.offsets[i + 1])
            worst = max(worst, float(v[sl].max() - v[sl] @ x[sl]))
        return worst

    def best_response(self, x: np.ndarray) -> np.ndarray:
        """A pure best-response profile (lowest index on ties) as a concatenated vector."""
        v = self.values(x)
        out = np.zeros(self.size)
        for i in range(self.n):
            sl = slice(self.offsets[i], self.offsets[i + 1])
            out[self.offsets[i] + int(np.argmax(v[sl]))] = 1.0
        return out

    def split(self, x: np.ndarray) -> tuple[np.ndarray, ...]:
        return tuple(np.array(b) for b in self.blocks(x))


# ---------------------------------------------------------------------------------------
# Polishing and certification


def newton_on_support(ml: Multilinear, x0: np.ndarray, support: np.ndarray,
                       max_iter: int = 30) -> np.ndarray | None:
    """Newton's method on the indifference system of ``support`` (a boolean mask):
    ``u_i(a, x_{-i}) = v_i`` for ``a`` in player ``i``'s support, ``sum x_i = 1``.
    Returns the solution, or None when Newton does not converge."""
    n, off = ml.n, ml.offsets
    idx = np.flatnonzero(support)
    if any(not support[off[i]:off[i + 1]].any() for i in range(n)):
        return None
    x = np.where(support, np.maximum(x0, 0.0), 0.0)
    for i in range(n):
        sl = slice(off[i], off[i + 1])
        x[sl] /= x[sl].sum()
    owner = ml.owner[idx]
    k = len(idx)
    # payoff equations in units of the payoff range, so that every residual and threshold
    # below is dimensionless (the same Newton steps at every payoff scale)
    unit = 1.0 / ml.scale
    v = np.zeros(n)
    vals = ml.values(x) * unit
    for i in range(n):
        v[i] = vals[idx[owner == i]] @ x[idx[owner == i]]
    last = np.inf
    for it in range(max_iter):
        vals, J = ml.values_and_jacobian(x)
        F = np.empty(k + n)
        F[:k] = vals[idx] * unit - v[owner]
        for i in range(n):
            F[k + i] = x[idx[owner == i]].sum() - 1.0
        res = float(np.abs(F).max())
        if res < 1e-15:
            break
        if res > 1e3 * last and res > 1e-6:
            return None
        if it >= 8 and res > 1e-8:      # not converging quadratically
            return None
        last = res
        M = np.zeros((k + n, k + n))
        M[:k, :k] = J[np.ix_(idx, idx)] * unit
        M[np.arange(k), k + owner] = -1.0
        M[k + owner, np.arange(k)] = 1.0
        try:
            step = np.linalg.solve(M, F)
        except np.linalg.LinAlgError:
            step = np.linalg.lstsq(M, F, rcond=None)[0]
        if not np.all(np.isfinite(step)):
            return None
        x[idx] -= step[:k]
        v -= step[k:]
        if res < 1e-13 and float(np.abs(step).max()) < 1e-15:
            break
    if not np.all(np.isfinite(x)) or x.min() < -1e-9:
        return None
    x = np.maximum(x, 0.0)
    for i in range(n):
        sl = slice(off[i], off[i + 1])
        x[sl] /= x[sl].sum()
    return x


def _candidate_supports(ml: Multilinear, x: np.ndarray) -> list[np.ndarray]:
    """Plausible supports of the equilibrium near ``x``: actions with probability above a
    threshold, and best responses within a payoff gap."""
    vals = ml.values(x)
    gaps = np.empty(ml.size)
    for i in range(ml.n):
        sl = slice(ml.offsets[i], ml.offsets[i + 1])
        gaps[sl] = vals[sl].max() - vals[sl]
    out: list[np.ndarray] = []
    for threshold in (1e-3, 1e-6, 1e-9, 1e-2, 3e-2):
        out.append(x > threshold)
    for gap in (1e-6, 1e-3, 1e-2):
        out.append((gaps <= gap * ml.scale) & (x > 1e-12))
    unique: list[np.ndarray] = []
    for mask in out:
        if not any(np.array_equal(mask, m) for m in unique):
            unique.append(mask)
    return unique


def polish(game: Game, strategies: Any, method: str, *, ml: Multilinear | None = None,
           max_distance: float = np.inf) -> Equilibrium:
    """Polish an approximate equilibrium by Newton's method on the indifference equations
    of its (guessed) support and certify it.

    Exact games get an exact equilibrium when the polished profile rationalises (with
    denominators up to 10^6) to a profile of exact regret 0; otherwise a float
    equilibrium whose certificate is at most :func:`games.tolerance.float_tolerance`
    (relative to the payoff range).

    Raises
    ------
    SolverError
        When no guessed support gives a certified equilibrium within ``max_distance``
        (max norm) of the input.
    """
    ml = ml or Multilinear(game)
    x0 = np.concatenate([np.asarray(s, dtype=np.float64) for s in strategies])
    for support in _candidate_supports(ml, x0):
        x = newton_on_support(ml, x0, support)
        if x is None or float(np.abs(x - x0).max()) > max_distance:
            continue
        if ml.regret(x) <= ml.tol:
            return certify(game, x, method, ml)
    if ml.regret(x0) <= ml.tol:
        return certify(game, x0, method, ml)
    raise SolverError(f"{method}: could not polish the approximate equilibrium "
                      f"{[list(np.round(s, 6)) for s in ml.split(x0)]} to a certified one "
                      f"(regret {ml.regret(x0):.3g})")


def certify(game: Game, x: np.ndarray, method: str, ml: Multilinear | None = None) -> Equilibrium:
    """:func:`make_equilibrium` for a concatenated float profile, exact when possible."""
    ml = ml or Multilinear(game)
    blocks = ml.split(x)
    if game.exact:
        exact = _rationalise(blocks)
        if exact is not None and game.regret(exact) == 0:
            return make_equilibrium(game, exact, method)
    return make_equilibrium(game, blocks, method, tol=ml.tol)


def _rationalise(blocks: tuple[np.ndarray, ...], max_denominator: int = 10**6
                 ) -> list[np.ndarray] | None:
    out = []
    for b in blocks:
        q = [Fraction(float(p)).limit_denominator(max_denominator) for p in b]
        if any(abs(float(a) - float(p)) > 1e-10 for a, p in zip(q, b)):
            return None
        total = sum(q)
        if total != 1:
            return None
        out.append(np.array(q, dtype=object))
    return out


# ---------------------------------------------------------------------------------------
# Compiled contractions (one pass over the profiles)


def _use_kernels() -> bool:
    if os.environ.get("MASALIGN_DISABLE_JIT", "") not in ("", "0"):
        return False
    return importlib.util.find_spec("numba") is not None


@jit
def _decode(idx, strides, a):
    """The action profile ``a`` of flat (C-order) index ``idx``."""
    rem = idx
    for i in range(a.shape[0]):
        a[i] = rem // strides[i]
        rem = rem % strides[i]


@jit
def _values_kernel(P, strides, shape, offsets, x, out):
    n = shape.shape[0]
    K = P.shape[1]
    a = np.zeros(n, dtype=np.int64)
    out[:] = 0.0
    for idx in range(K):
        _decode(idx, strides, a)
        for i in range(n):
            w = P[i, idx]
            for k in range(n):
                if k != i:
                    w *= x[offsets[k] + a[k]]
            out[offsets[i] + a[i]] += w


@jit
def _jacobian_kernel(P, strides, shape, offsets, x, J):
    n = shape.shape[0]
    K = P.shape[1]
    a = np.zeros(n, dtype=np.int64)
    J[:, :] = 0.0
    for idx in range(K):
        _decode(idx, strides, a)
        for i in range(n):
            p = P[i, idx]
            if p == 0.0:
                continue
            for j in range(n):
                if j == i:
                    continue
                w = p
                for k in range(n):
                    if k != i and k != j:
                        w *= x[offsets[k] + a[k]]
                J[offsets[i] + a[i], offsets[j] + a[j]] += w
