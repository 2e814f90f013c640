"""Infinite well-mixed populations: the rest points of the replicator dynamics of a
symmetric game with their stability, and evolutionary stability. The dynamics themselves
(replicator, replicator-mutator, trajectories) are :mod:`games.dynamics` with
``population="single"``.

References
----------
Taylor & Jonker (1978). Evolutionary stable strategies and game dynamics. Mathematical
Biosciences 40, 145-156.
Maynard Smith & Price (1973). The logic of animal conflict. Nature 246, 15-18.
Haigh (1975). Game theory and evolution. Advances in Applied Probability 7, 8-11.
Hofbauer & Sigmund (1998). Evolutionary Games and Population Dynamics. Cambridge.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from fractions import Fraction
from itertools import combinations
from typing import Any

import numpy as np

from games.errors import InvalidGameError
from games.evolution.finite import population_game
from games.results import json_number
from games.tolerance import normalised_payoffs

__all__ = ["rest_points", "RestPoint", "is_evolutionarily_stable"]

#: Float tolerances, on payoffs normalised to [0, 1] (so relative to the payoff range):
#: a share counts as positive above SHARE_TOLERANCE, a fitness gap or an eigenvalue as
#: nonzero above PAYOFF_TOLERANCE, and a face's linear system as singular when its
#: condition number exceeds SINGULAR_CONDITION.
SHARE_TOLERANCE = 1e-10
PAYOFF_TOLERANCE = 1e-9
SINGULAR_CONDITION = 1e12


def _matrix(game: Any) -> tuple[np.ndarray, Any, tuple[str, ...]]:
    pop = population_game(game)
    if pop.matrix is None:
        raise InvalidGameError("game: the replicator dynamics here need a two-player "
                               "symmetric game (a square payoff matrix)")
    return pop.matrix, pop.exact_matrix, pop.strategies


@dataclass(frozen=True)
class RestPoint:
    """A rest point of the replicator dynamics.

    Attributes
    ----------
    state : ndarray
        Population shares (Fractions on exact games).
    eigenvalues : ndarray
        Of the Jacobian on the simplex's tangent space.
    stability : str
        ``"asymptotically stable"``, ``"unstable"`` or ``"non-hyperbolic"`` (linearisation
        does not decide).
    nash : bool
        Whether it is a symmetric Nash equilibrium (no unused strategy does better).
    ess : bool or None
        Evolutionary stability (None when undetermined).
    """

    state: np.ndarray
    eigenvalues: np.ndarray
    stability: str
    nash: bool
    ess: bool | None
    strategies: tuple[str, ...] = ()

    def __repr__(self) -> str:
        shares = ", ".join(f"{name}: {_short(p)}"
                           for name, p in zip(self.strategies, self.state) if p != 0)
        ess = {True: ", ESS", False: "", None: ", ESS undetermined"}[self.ess]
        return f"RestPoint({{{shares}}}, {self.stability}{', Nash' if self.nash else ''}{ess})"

    def to_dict(self) -> dict[str, Any]:
        """JSON-able: shares as numbers (exact ones as ``'p/q'``), eigenvalues as
        ``[real, imaginary]`` pairs."""
        return {"state": [json_number(p) for p in self.state],
                "strategies": list(self.strategies),
                "eigenvalues": [[float(e.real), float(e.imag)] for e in self.eigenvalues],
                "stability": self.stability, "nash": self.nash, "ess": self.ess}

    def _repr_html_(self) -> str:
        esc = html.escape
        names = self.strategies or tuple(str(k) for k in range(len(self.state)))
        rows = "".join(f"<tr><td>{esc(name)}</td><td>{esc(_short(p))}</td></tr>"
                       for name, p in zip(names, self.state))
        ess = {True: "yes", False: "no", None: "undetermined"}[self.ess]
        return (f"<table><caption>rest point: {esc(self.stability)}, Nash "
                f"{'yes' if self.nash else 'no'}, ESS {ess}</caption><tr><th>strategy</th>"
                f"<th>share</th></tr>{rows}</table>")


def _short(p: Any) -> str:
    if isinstance(p, Fraction):
        return str(p)
    return f"{float(p):.4g}"


def rest_points(game: Any) -> list[RestPoint]:
    r"""Every isolated rest point of the replicator dynamics, with its stability.

    For each support :math:`T`, the interior rest point of the face solves
    :math:`(A x)_i = c` for :math:`i \in T`, :math:`\sum x = 1`, :math:`x_T > 0` — exactly
    (Fractions) on exact games. Faces whose equations are singular hold a continuum of
    rest points, which is not listed. Stability comes from the eigenvalues of the
    Jacobian restricted to the simplex. Float games are solved on payoffs normalised to
    [0, 1] (rest points and stability do not change under positive affine maps), so the
    answer does not depend on the payoff scale; eigenvalues are reported in the game's
    own units.

    Examples
    --------
    >>> hawk_dove = [[-0.5e-12, 2e-12], [0, 1e-12]]        # V = 2, C = 3, scaled by 1e-12
    >>> [p.state.round(4).tolist() for p in rest_points(hawk_dove) if p.ess]
    [[0.6667, 0.3333]]
    """
    a, exact_a, names = _matrix(game)
    s = a.shape[0]
    if s > 16:
        raise InvalidGameError(
            f"game: rest points enumerate 2^S supports, expected S <= 16, found {s}")
    unit, _, span = normalised_payoffs(a)
    out = []
    for size in range(1, s + 1):
        for support in combinations(range(s), size):
            x = _face_rest_point(unit if exact_a is None else exact_a, support, s,
                                 exact_a is not None)
            if x is None:
                continue
            out.append(_describe(unit, span, exact_a, x, names))
    return out


def _solve_exact(rows: list[list[Fraction]], rhs: list[Fraction]) -> list[Fraction] | None:
    """The solution of a square exact linear system (Gauss-Jordan), None when singular."""
    n = len(rows)
    m = [list(r) + [b] for r, b in zip(rows, rhs)]
    for col in range(n):
        pivot = next((i for i in range(col, n) if m[i][col] != 0), None)
        if pivot is None:
            return None
        m[col], m[pivot] = m[pivot], m[col]
        head = m[col][col]
        m[col] = [v / head for v in m[col]]
        for i in range(n):
            if i != col and m[i][col] != 0:
                factor = m[i][col]
                m[i] = [v - factor * w for v, w in zip(m[i], m[col])]
    return [m[i][n] for i in range(n)]


def _face_rest_point(a: np.ndarray, support: tuple[int, ...], s: int,
                     exact: bool) -> np.ndarray | None:
    k = len(support)
    sub = a[np.ix_(support, support)]
    if exact:
        rows = [[sub[i, j] for j in range(k)] + [Fraction(-1)] for i in range(k)]
        rows.append([Fraction(1)] * k + [Fraction(0)])
        solution = _solve_exact(rows, [Fraction(0)] * k + [Fraction(1)])
        if solution is None or any(v <= 0 for v in solution[:k]):
            return None
        x = np.array([Fraction(0)] * s, dtype=object)
        for idx, v in zip(support, solution[:k]):
            x[idx] = v
        return x
    system = np.zeros((k + 1, k + 1))
    system[:k, :k] = sub
    system[:k, k] = -1
    system[k, :k] = 1
    if np.linalg.cond(system) > SINGULAR_CONDITION:
        return None
    rhs = np.zeros(k + 1)
    rhs[k] = 1
    solution = np.linalg.solve(system, rhs)[:k]
    if (solution <= SHARE_TOLERANCE).any():
        return None
    x = np.zeros(s)
    x[list(support)] = solution
    return x


def _describe(unit: np.ndarray, span: float, exact_a: Any, x: np.ndarray,
              names: tuple[str, ...]) -> RestPoint:
    """Stability, Nash and ESS of the rest point ``x`` of the normalised matrix ``unit``
    (the game's matrix is ``unit * span + low``)."""
    xf = np.asarray(x, dtype=np.float64)
    s = len(xf)
    fitness = unit @ xf
    mean = xf @ fitness
    jacobian = np.diag(fitness - mean) + xf[:, None] * (unit - fitness[None, :]
                                                        - (unit.T @ xf)[None, :])
    # Orthonormal basis of the tangent space {v : sum v = 0}.
    basis = np.linalg.qr(np.eye(s)[:, :-1] - np.eye(s)[:, [-1]])[0] if s > 1 else np.zeros((1, 0))
    eigenvalues = np.linalg.eigvals(basis.T @ jacobian @ basis) if s > 1 else np.zeros(0)
    if s > 1 and (eigenvalues.real < -PAYOFF_TOLERANCE).all():
        stability = "asymptotically stable"
    elif s > 1 and (eigenvalues.real > PAYOFF_TOLERANCE).any():
        stability = "unstable"
    else:
        stability = "non-hyperbolic"
    if exact_a is not None:
        fit_exact = exact_a @ x
        mean_exact = x @ fit_exact
        nash = all(f <= mean_exact for f in fit_exact)
    else:
        nash = bool((fitness <= mean + PAYOFF_TOLERANCE).all())
    ess = is_evolutionarily_stable(exact_a if exact_a is not None else unit, x) if nash else False
    return RestPoint(state=x, eigenvalues=eigenvalues * span, stability=stability, nash=nash,
                     ess=ess, strategies=names)


def is_evolutionarily_stable(game: Any, x: Any) -> bool | None:
    r"""Whether the population state ``x`` is an evolutionarily stable strategy (Maynard
    Smith & Price 1973): a symmetric Nash equilibrium such that every alternative best
    reply ``y`` earns less against itself, :math:`x^\top A y > y^\top A y`.

    Pure states use the exact pairwise conditions; mixed ones Haigh's criterion: the form
    :math:`y^\top A y` is negative for every nonzero ``y`` with :math:`\sum y = 0` on the
    best replies. Returns None in the degenerate case where best replies outside the
    support make that a copositivity question this test does not settle.
    """
    if isinstance(game, np.ndarray) and game.ndim == 2:
        a = game
    else:
        a = _matrix(game)[1]
        if a is None:
            a = _matrix(game)[0]
    exact = a.dtype == object
    x = np.asarray(x, dtype=object if exact else np.float64)
    s = a.shape[0]
    if x.shape != (s,):
        raise InvalidGameError(f"x: expected {s} shares, found shape {x.shape}")
    unit = normalised_payoffs(np.asarray(a, dtype=np.float64))[0]
    if not exact:
        a, x = unit, np.asarray(x, dtype=np.float64)
    fitness = a @ x
    mean = x @ fitness
    tol = 0 if exact else PAYOFF_TOLERANCE
    if any(f > mean + tol for f in fitness):
        return False
    best = [i for i in range(s) if fitness[i] >= mean - tol]
    support = [i for i in range(s) if x[i] != 0]
    if len(support) == 1:
        i = support[0]
        for j in best:
            if j == i:
                continue
            # a_ii = a_ji (j is an alternative best reply): need a_ij > a_jj.
            if not a[i, j] > a[j, j] + tol:
                return False
        return True
    if set(best) != set(support):
        # Extra best replies: negative definiteness on the larger face suffices.
        if _negative_on_tangent(unit, best):
            return True
        return False if not _negative_on_tangent(unit, support) else None
    return _negative_on_tangent(unit, support)


def _negative_on_tangent(unit: np.ndarray, face: list[int]) -> bool:
    """Whether the form y'Ay is negative on {y : sum y = 0} of the face (``unit``: the
    matrix normalised to [0, 1], so the tolerance is relative to the payoff range)."""
    k = len(face)
    if k < 2:
        return True
    sub = unit[np.ix_(face, face)]
    symmetric = (sub + sub.T) / 2
    basis = np.linalg.qr(np.eye(k)[:, :-1] - np.eye(k)[:, [-1]])[0]
    eigenvalues = np.linalg.eigvalsh(basis.T @ symmetric @ basis)
    return bool((eigenvalues < -PAYOFF_TOLERANCE).all())
