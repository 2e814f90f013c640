r"""Every Nash equilibrium of a small n-player game by support enumeration with polynomial
systems (as Gambit's ``enumpoly``).

For each support profile :math:`(S_1, \dots, S_n)` the equilibria whose supports are
exactly these solve the indifference system

.. math:: u_i(a, p_{-i}) = u_i(r_i, p_{-i}) \quad (a \in S_i \setminus \{r_i\}),
          \qquad \textstyle\sum_{a \in S_i} p_i(a) = 1,

a square multilinear system in the free probabilities. All its isolated complex roots are
found by a linear-product homotopy (one linear factor per other player in every
equation, the multihomogeneous structure of the system) with a random complex
:math:`\gamma` (the "gamma trick", Morgan & Sommese 1987): with probability one every
isolated root is the end of one of the tracked paths. Real roots with non-negative
probabilities whose off-support actions do not pay more are polished by Newton's method
and certified.

The result is marked ``complete`` only when every support system was solved with every
path ending at a regular root or diverging (none singular or lost) and no support's
system was underdetermined (a sign of a continuum of equilibria): completeness then holds
with probability one (over the random start system).
"""

from __future__ import annotations

import itertools
import math
import string

import numpy as np

from games.arguments import check_integer, check_seed
from games.errors import InvalidGameError
from games.model import Game
from games.results import Equilibrium, EquilibriumSet
from games.solvers.multilinear import Multilinear, certify, newton_on_support

__all__ = ["enumpoly_equilibria"]

#: Default limit on the number of support profiles (the method is for small games).
MAX_SUPPORT_PROFILES = 200_000


def enumpoly_equilibria(game: Game, *, seed: int = 0, max_support: int | None = None,
                        max_profiles: int = MAX_SUPPORT_PROFILES) -> EquilibriumSet:
    r"""Every Nash equilibrium of a small n-player game, by support enumeration and a
    polynomial homotopy on each support's indifference system.

    Parameters
    ----------
    game : Game
    seed : int
        Seed of the random start systems (results are reproducible).
    max_support : int, optional
        Only supports with at most this many actions per player (the result is then
        marked incomplete unless no larger support exists).
    max_profiles : int
        Refuse games with more support profiles than this.

    Returns
    -------
    EquilibriumSet
        ``method="enumpoly"``, ``complete`` as explained in the module docstring,
        ``degenerate`` True when some support had a singular or underdetermined system.
        ``parameters`` records the numbers of supports solved, paths tracked, and paths
        that ended singular.

    Raises
    ------
    InvalidGameError
        A game with too many support profiles.

    References
    ----------
    McKelvey, R. D. & McLennan, A. (1997). The maximal number of regular totally mixed
    Nash equilibria. *J. Economic Theory* 72, 411-425. Morgan, A. & Sommese, A. (1987).
    A homotopy for solving general polynomial systems that respects m-homogeneous
    structures. *Applied Mathematics and Computation* 24, 101-113.

    Examples
    --------
    >>> import games
    >>> eqs = enumpoly_equilibria(games.catalog.matching_pennies())
    >>> len(eqs), eqs.complete
    (1, True)
    """
    if not isinstance(game, Game):
        raise InvalidGameError(f"game: expected a Game, found {type(game).__name__}")
    check_seed(seed)
    if max_support is not None:
        check_integer(max_support, "max_support", minimum=1)
    check_integer(max_profiles, "max_profiles", minimum=1)
    shape = game.shape
    limit = [a if max_support is None else min(a, max_support) for a in shape]
    count = math.prod(sum(math.comb(a, k) for k in range(1, lim + 1))
                      for a, lim in zip(shape, limit))
    if count > max_profiles:
        raise InvalidGameError(
            f"game: {count} support profiles for a {'x'.join(map(str, shape))} game, expected "
            f"at most {max_profiles} (enumpoly is for small games; use method='logit' or "
            f"'mclennan_tourky', or raise max_profiles)")
    ml = Multilinear(game)
    rng = np.random.default_rng(seed)
    per_player = [[S for k in range(1, lim + 1) for S in itertools.combinations(range(a), k)]
                  for a, lim in zip(shape, limit)]
    stats = {"supports": 0, "solved": 0, "paths": 0, "singular": 0, "underdetermined": 0}
    found: list[np.ndarray] = []
    for supports in itertools.product(*per_player):
        stats["supports"] += 1
        if _dominated(ml, supports):
            continue
        stats["solved"] += 1
        for x in _solve_support(ml, supports, rng, stats):
            if not any(float(np.abs(x - y).max()) < 1e-7 for y in found):
                found.append(x)
    complete = (max_support is None or all(lim == a for lim, a in zip(limit, shape))) \
        and stats["singular"] == 0 and stats["underdetermined"] == 0
    equilibria: list[Equilibrium] = [certify(game, x, "enumpoly", ml) for x in found]
    unique: list[Equilibrium] = []
    for eq in equilibria:
        if not any(all(np.allclose(np.asarray(a, float), np.asarray(b, float), atol=1e-9)
                       for a, b in zip(eq.strategies, other.strategies)) for other in unique):
            unique.append(eq)
    return EquilibriumSet(unique, method="enumpoly", complete=complete,
                          parameters={"seed": seed, "max_support": max_support, **stats},
                          degenerate=bool(stats["singular"] or stats["underdetermined"]) or None,
                          game=game)


def _dominated(ml: Multilinear, supports: tuple[tuple[int, ...], ...]) -> bool:
    """Whether some support action is strictly dominated by another action of its player
    when the others play within their supports (no equilibrium has this support)."""
    for i, S in enumerate(supports):
        if len(S) == 1 and ml.shape[i] == 1:
            continue
        index = [np.asarray(s) for s in supports]
        index[i] = np.arange(ml.shape[i])
        T = np.moveaxis(ml.payoffs[i][np.ix_(*index)], i, 0).reshape(ml.shape[i], -1)
        for a in S:
            if np.any(np.all(T > T[a][None, :], axis=1)):
                return True
    return False


def _solve_support(ml: Multilinear, supports: tuple[tuple[int, ...], ...],
                   rng: np.random.Generator, stats: dict[str, int]) -> list[np.ndarray]:
    """Equilibria with exactly these supports (concatenated full profiles)."""
    n = ml.n
    k = [len(S) for S in supports]
    m = sum(k) - n
    # payoffs in units of the payoff range: the roots do not change, and the residual and
    # conditioning thresholds of the homotopy are dimensionless
    T = [np.ascontiguousarray(ml.payoffs[i][np.ix_(*[np.asarray(s) for s in supports])]
                              / ml.scale) for i in range(n)]
    if m == 0:
        roots = np.zeros((1, 0))
    else:
        factors = [[j for j in range(n) if j != i and k[j] > 1] for i in range(n)]
        for i in range(n):
            if k[i] > 1 and not factors[i]:
                # the others are pure: player i's indifference is a constant condition
                diff = T[i].reshape(k[i]) - T[i].reshape(k[i])[0]
                if np.any(np.abs(diff) > ml.tol / ml.scale):
                    return []
                stats["underdetermined"] += 1
                return []
        system = _System(T, k, factors, rng)
        roots, singular = system.solve()
        stats["paths"] += system.n_paths
        stats["singular"] += singular
    out = []
    for r in roots:
        x = np.zeros(ml.size)
        pos = 0
        for i, S in enumerate(supports):
            free = r[pos:pos + k[i] - 1]
            pos += k[i] - 1
            x[ml.offsets[i] + S[0]] = 1.0 - free.sum()
            x[ml.offsets[i] + np.asarray(S[1:], dtype=np.intp)] = free
        if x.min() < -1e-7:
            continue
        mask = np.zeros(ml.size, dtype=bool)
        for i, S in enumerate(supports):
            mask[ml.offsets[i] + np.asarray(S)] = True
        y = newton_on_support(ml, np.maximum(x, 0.0), mask)
        if y is None or float(np.abs(y - x).max()) > 1e-5:
            continue
        if ml.regret(y) <= ml.tol:
            out.append(y)
    return out


class _System:
    """The indifference system of one support and its linear-product homotopy."""

    def __init__(self, T: list[np.ndarray], k: list[int], factors: list[list[int]],
                 rng: np.random.Generator) -> None:
        self.T = T
        self.k = k
        self.n = len(k)
        self.factors = factors
        self.m = sum(k) - self.n
        self.var_off = np.concatenate([[0], np.cumsum([kk - 1 for kk in k])]).astype(int)
        self.eq_player = np.repeat(np.arange(self.n), [kk - 1 for kk in k])
        letters = string.ascii_letters[:self.n]
        self.letters = letters
        # random linear forms c[e][j] . x_j - 1 for each equation e and factor player j
        self.coef = [{j: (rng.normal(size=k[j] - 1) + 1j * rng.normal(size=k[j] - 1))
                      for j in factors[self.eq_player[e]]} for e in range(self.m)]
        angle = rng.uniform(0, 2 * np.pi)
        self.gamma = np.exp(1j * angle)
        self.n_paths = 0

    # -- the target system F --------------------------------------------------------------

    def _sigma(self, x: np.ndarray) -> list[np.ndarray]:
        out = []
        for j in range(self.n):
            free = x[:, self.var_off[j]:self.var_off[j + 1]]
            out.append(np.concatenate([1.0 - free.sum(axis=1, keepdims=True), free], axis=1))
        return out

    def _contract(self, i: int, sigma: list[np.ndarray], keep: tuple[int, ...]) -> np.ndarray:
        L = self.letters
        ops = [self.T[i]]
        subs = [L]
        for j in range(self.n):
            if j not in keep:
                ops.append(sigma[j])
                subs.append("z" + L[j])
        out = "z" + "".join(L[j] for j in keep)
        if len(ops) == 1:           # two players: nothing to contract
            arr = np.einsum(L + "->" + out[1:], self.T[i])
            return np.broadcast_to(arr, (sigma[0].shape[0], *arr.shape))
        return np.einsum(",".join(subs) + "->" + out, *ops, optimize=False)

    def F(self, x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        P = x.shape[0]
        sigma = self._sigma(x)
        Fv = np.empty((P, self.m), dtype=complex)
        J = np.zeros((P, self.m, self.m), dtype=complex)
        for i in range(self.n):
            if self.k[i] == 1:
                continue
            rows = slice(self.var_off[i], self.var_off[i + 1])
            for j in self.factors[i]:
                W = self._contract(i, sigma, (i, j) if i < j else (j, i))
                if i > j:
                    W = np.swapaxes(W, 1, 2)
                dW = W[:, :, 1:] - W[:, :, :1]
                J[:, rows, self.var_off[j]:self.var_off[j + 1]] = dW[:, 1:, :] - dW[:, :1, :]
            V = self._contract(i, sigma, (i,))
            Fv[:, rows] = V[:, 1:] - V[:, :1]
        return Fv, J

    # -- the start system G ----------------------------------------------------------------

    def G(self, x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        P = x.shape[0]
        Gv = np.ones((P, self.m), dtype=complex)
        J = np.zeros((P, self.m, self.m), dtype=complex)
        for e in range(self.m):
            forms = {j: x[:, self.var_off[j]:self.var_off[j + 1]] @ c - 1.0
                     for j, c in self.coef[e].items()}
            for j in forms:
                Gv[:, e] *= forms[j]
            for j, c in self.coef[e].items():
                rest = np.ones(P, dtype=complex)
                for jj in forms:
                    if jj != j:
                        rest *= forms[jj]
                J[:, e, self.var_off[j]:self.var_off[j + 1]] = rest[:, None] * c[None, :]
        return Gv, J

    def start_solutions(self) -> np.ndarray:
        """Roots of G: one per assignment of equations to factor players that gives every
        player j exactly k_j - 1 equations."""
        need = [kk - 1 for kk in self.k]
        sols = []

        def assign(e: int, counts: list[int], chosen: list[int]) -> None:
            if e == self.m:
                if counts == need:
                    x = np.zeros(self.m, dtype=complex)
                    for j in range(self.n):
                        if need[j] == 0:
                            continue
                        eqs = [q for q in range(self.m) if chosen[q] == j]
                        A = np.array([self.coef[q][j] for q in eqs])
                        x[self.var_off[j]:self.var_off[j + 1]] = np.linalg.solve(
                            A, np.ones(len(eqs)))
                    sols.append(x)
                return
            remaining = self.m - e
            if sum(need) - sum(counts) != remaining:
                return
            for j in self.coef[e]:
                if counts[j] < need[j]:
                    counts[j] += 1
                    chosen.append(j)
                    assign(e + 1, counts, chosen)
                    chosen.pop()
                    counts[j] -= 1

        assign(0, [0] * self.n, [])
        return np.array(sols).reshape(-1, self.m)

    # -- path tracking -----------------------------------------------------------------------

    def H(self, x: np.ndarray, t: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        Fv, FJ = self.F(x)
        Gv, GJ = self.G(x)
        tt = t[:, None]
        Hv = (1 - tt) * self.gamma * Gv + tt * Fv
        HJ = (1 - tt)[:, :, None] * self.gamma * GJ + tt[:, :, None] * FJ
        Ht = Fv - self.gamma * Gv
        return Hv, HJ, Ht

    def solve(self) -> tuple[np.ndarray, int]:
        """Track every path; returns the real roots (free probabilities) and the number
        of paths that ended singular or were lost."""
        x = self.start_solutions()
        P = len(x)
        self.n_paths = P
        if P == 0:
            return np.zeros((0, self.m)), 0
        t = np.zeros(P)
        h = np.full(P, 0.1)
        done = np.zeros(P, dtype=bool)
        lost = np.zeros(P, dtype=bool)
        for _ in range(4000):
            act = np.flatnonzero(~done & ~lost)
            if len(act) == 0:
                break
            xa, ta, ha = x[act], t[act], h[act]
            ha = np.minimum(ha, 1.0 - ta)
            # Euler predictor
            _, HJ, Ht = self.H(xa, ta)
            try:
                dx = -np.linalg.solve(HJ, Ht[:, :, None])[:, :, 0]
            except np.linalg.LinAlgError:
                dx = -np.stack([np.linalg.lstsq(A, b, rcond=None)[0] for A, b in zip(HJ, Ht)])
            t1 = ta + ha
            x1 = xa + ha[:, None] * dx
            ok = np.ones(len(act), dtype=bool)
            for it in range(3):
                Hv, HJ, _ = self.H(x1, t1)
                try:
                    step = np.linalg.solve(HJ, Hv[:, :, None])[:, :, 0]
                except np.linalg.LinAlgError:
                    step = np.stack([np.linalg.lstsq(A, b, rcond=None)[0]
                                     for A, b in zip(HJ, Hv)])
                x1 = x1 - step
                size = np.abs(step).max(axis=1) / (1.0 + np.abs(x1).max(axis=1))
                if it == 0:
                    first = size
            ok = np.isfinite(size) & (size < 1e-9 + 1e-3 * np.minimum(first, 1.0)) \
                & (first < 0.1)
            big = np.abs(x1).max(axis=1) > 1e8
            acc = act[ok]
            x[acc] = x1[ok]
            t[acc] = t1[ok]
            h[acc] = np.minimum(ha[ok] * 2.0, 0.25)
            h[act[~ok]] = ha[~ok] * 0.5
            lost[act[~ok & (ha < 1e-11)]] = True
            lost[act[ok & big]] = True          # diverging: a root at infinity
            done[acc[t1[ok] >= 1.0]] = True
        infinite = lost.copy()
        # end game: Newton on F at t = 1
        good = np.flatnonzero(done)
        singular = int((~done & ~lost).sum())
        roots = []
        if len(good):
            xs = x[good]
            for _ in range(8):
                Fv, FJ = self.F(xs)
                try:
                    xs = xs - np.linalg.solve(FJ, Fv[:, :, None])[:, :, 0]
                except np.linalg.LinAlgError:
                    break
            Fv, FJ = self.F(xs)
            cond = np.array([np.linalg.cond(A) for A in FJ])
            for r, res, c in zip(xs, np.abs(Fv).max(axis=1), cond):
                if not np.isfinite(res) or np.abs(r).max() > 1e7:
                    continue
                if res > 1e-8 or c > 1e10:
                    singular += 1
                    continue
                if np.abs(r.imag).max() < 1e-8:
                    roots.append(r.real)
        # paths lost with a small step that did not diverge may hide a singular root
        singular += int(sum(1 for p in np.flatnonzero(infinite)
                            if np.abs(x[p]).max() < 1e6))
        return np.array(roots).reshape(-1, self.m), singular
