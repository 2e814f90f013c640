"""Alignment scores of a game's outcomes and equilibria, and their Pareto frontier.

A *score* turns one evaluation layer of a :class:`games.Game` (``objective``, ``value``,
``preference`` or any other) into one or more axes. A layer with several criteria (one
per principal, one per value) becomes an axis by an explicit rule: ``"sum"``, ``"min"``
(the least-satisfied criterion), a weight per criterion, or ``"each"`` (every criterion
its own axis). Scores of a lottery over outcomes (a mixed or correlated equilibrium) are
expectations of the per-outcome scores, so they are linear in the joint distribution.
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

import games
from games.arguments import check_flag
from games.errors import GameError, InvalidArgumentError, InvalidGameError
from games.model import STANDARD_LAYERS, Game, format_number
from games.results import Equilibrium
from games.solvers.correlated import CorrelatedEquilibrium, correlated_constraints, solve_lp
from games.tolerance import RELATIVE_TOLERANCE, normalised_payoffs
from pareto.dominance import nondominated
from pareto.plot import plot_frontier, plot_points
from pareto.points import as_vector

__all__ = ["ScoreTable", "score_table", "Frontier", "frontier", "outcome_labels",
           "equilibrium_label", "expected_scores", "joint_distribution", "game_equilibria",
           "check_game", "MAX_ENUMERATION_ACTIONS"]

_OVER = ("outcomes", "equilibria", "correlated")

#: Largest smaller-side action count for which the default equilibria of a two-player
#: game include the mixed ones (vertex enumeration is exponential in it).
MAX_ENUMERATION_ACTIONS = 10


@dataclass(frozen=True, eq=False)
class ScoreTable:
    """The score of every pure outcome on every axis.

    Attributes
    ----------
    axes : tuple of str
        Axis names: the layer name, or ``"layer: criterion"`` for ``"each"``.
    dimensions : tuple of str
        The layer each axis comes from.
    values : ndarray, shape (n_profiles, n_axes)
        Float scores, profiles in C order (the game's shape flattened).
    rules : dict
        How each layer was aggregated.
    """

    axes: tuple[str, ...]
    dimensions: tuple[str, ...]
    values: np.ndarray
    rules: dict[str, Any]

    def at(self, distribution: np.ndarray) -> np.ndarray:
        """Expected scores under a joint distribution (an array of the game's shape)."""
        return np.asarray(distribution, dtype=np.float64).reshape(-1) @ self.values

    def to_dict(self) -> dict[str, Any]:
        return {"axes": list(self.axes), "dimensions": list(self.dimensions),
                "rules": self.rules, "values": self.values.tolist()}

    def __repr__(self) -> str:
        return (f"ScoreTable({len(self.values)} outcomes, axes {self.axes}, "
                f"rules {self.rules})")

    def _repr_html_(self) -> str:
        esc = html.escape
        head = "".join(f"<th>{esc(a)}</th>" for a in self.axes)
        rows = "".join("<tr><td>" + str(k) + "</td>"
                       + "".join(f"<td>{v:.6g}</td>" for v in row) + "</tr>"
                       for k, row in enumerate(self.values[:200]))
        return (f"<table><caption>{esc(repr(self))}</caption><tr><th>outcome</th>{head}</tr>"
                f"{rows}</table>")

    def plot(self, ax: Any = None, axes: Sequence[int] = (0, 1)) -> Any:
        """Scatter of the outcomes' scores on two axes; returns the matplotlib Axes."""
        return plot_points(self.values, self.axes, ax=ax, axes=axes, label="outcomes")


def check_game(game: Any) -> Game:
    """``game`` itself when it is a :class:`games.Game`."""
    if not isinstance(game, Game):
        raise InvalidGameError(f"game: expected a Game, found {type(game).__name__}")
    return game


def _dimensions(game: Game, dimensions: Any) -> tuple[str, ...]:
    if dimensions is None:
        return tuple(d for d in STANDARD_LAYERS if d in game.layers)
    if isinstance(dimensions, str):
        dimensions = (dimensions,)
    try:
        dims = tuple(dimensions)
    except TypeError:
        raise InvalidArgumentError(
            f"dimensions: expected layer names of the game {tuple(game.layers)}, "
            f"found {dimensions!r}") from None
    if not dims:
        raise InvalidArgumentError("dimensions: expected at least one layer name, found none")
    for d in dims:
        if not isinstance(d, str) or d not in game.layers:
            raise InvalidArgumentError(
                f"dimensions: expected layer names of the game {tuple(game.layers)}, found {d!r}")
    if len(set(dims)) != len(dims):
        raise InvalidArgumentError(f"dimensions: expected distinct layer names, found {dims!r}")
    return dims


def score_table(game: Game, dimensions: Any = None, aggregate: Any = "sum") -> ScoreTable:
    """Scores of every pure outcome of ``game`` on the given dimensions.

    Parameters
    ----------
    game : Game
    dimensions : sequence of str, optional
        Layer names (default: the standard layers the game has, among objective, value
        and preference).
    aggregate : "sum", "min", "mean", "each", sequence of weights, or mapping
        How a layer's criteria become scores; a mapping gives a rule per layer (layers
        it omits are summed). Weights (one per criterion, finite) give a weighted sum.

    Raises
    ------
    InvalidArgumentError
        Unknown layers, unknown rules, weights of the wrong length or not finite.

    Examples
    --------
    >>> import games
    >>> t = score_table(games.catalog.aid_delivery(), aggregate={"value": "min"})
    >>> t.axes, t.values[0].tolist()
    (('objective', 'value', 'preference'), [6.0, 4.0, 7.0])
    """
    dims = _dimensions(check_game(game), dimensions)
    if isinstance(aggregate, Mapping):
        unknown = [k for k in aggregate if k not in dims]
        if unknown:
            raise InvalidArgumentError(
                f"aggregate: expected rules for the scored layers {dims}, found {unknown[0]!r}")
    axes, sources, columns, rules = [], [], [], {}
    for d in dims:
        rule = aggregate.get(d, "sum") if isinstance(aggregate, Mapping) else aggregate
        layer = np.asarray(game.layers[d], dtype=np.float64).reshape(game.layers[d].shape[0], -1)
        names = game.criteria[d]
        if isinstance(rule, str):
            if rule == "sum":
                cols = [layer.sum(axis=0)]
            elif rule == "min":
                cols = [layer.min(axis=0)]
            elif rule == "mean":
                cols = [layer.mean(axis=0)]
            elif rule == "each":
                cols = list(layer)
            else:
                raise InvalidArgumentError(
                    f"aggregate[{d!r}]: expected 'sum', 'min', 'mean', 'each' or weights, "
                    f"found {rule!r}")
            rules[d] = rule
        else:
            w = as_vector(rule, f"aggregate[{d!r}]", len(names),
                          f" (weights, one per criterion {names})")
            cols = [w @ layer]
            rules[d] = w.tolist()
        if rules[d] == "each":
            axes += [f"{d}: {c}" for c in names]
            sources += [d] * len(names)
        else:
            axes.append(d)
            sources.append(d)
        columns += cols
    values = np.ascontiguousarray(np.stack(columns, axis=1))
    values.flags.writeable = False
    return ScoreTable(axes=tuple(axes), dimensions=tuple(sources), values=values, rules=rules)


def outcome_labels(game: Game) -> list[str]:
    """One label per pure profile (C order): the action names joined by ', '."""
    grids = np.meshgrid(*[np.asarray(a, dtype=object) for a in game.actions], indexing="ij")
    flat = [g.reshape(-1) for g in grids]
    return [", ".join(parts) for parts in zip(*flat)]


def joint_distribution(game: Game, profile: Any) -> np.ndarray:
    """The joint distribution (game's shape, float) of an equilibrium, a correlated
    equilibrium, a pure profile or one probability vector per player."""
    if isinstance(profile, CorrelatedEquilibrium):
        dist = np.asarray(profile.distribution, dtype=np.float64)
        if dist.shape != game.shape:
            raise InvalidGameError(
                f"profile: expected a correlated equilibrium of a {game.shape} game, found "
                f"a distribution of shape {dist.shape}")
        return dist
    strategies = [np.asarray(s, dtype=np.float64) for s in game.strategies(profile)]
    out = strategies[0]
    for s in strategies[1:]:
        out = np.multiply.outer(out, s)
    return out.reshape(game.shape)


def expected_scores(game: Game, table: ScoreTable, profile: Any) -> np.ndarray:
    """Expected scores of an equilibrium or profile (see :func:`joint_distribution`)."""
    return table.at(joint_distribution(game, profile))


def game_equilibria(game: Game) -> tuple[list[Any], bool, str]:
    """The equilibria the frontier and the report use: every pure equilibrium, and for two
    players every extreme mixed one when :func:`games.all_equilibria` is available.

    Returns the list, whether it is complete (every extreme equilibrium), and the method.
    The mixed enumeration is exponential in the smaller number of actions, so it runs
    only when a player has at most ``MAX_ENUMERATION_ACTIONS`` actions; beyond that the
    list holds the pure equilibria and says it is not complete.
    """
    pure = list(games.pure_equilibria(game))
    if game.n_players == 2 and min(game.shape) > MAX_ENUMERATION_ACTIONS:
        return pure, False, "pure (too many actions for the mixed enumeration)"
    if game.n_players == 2:
        try:
            found = games.all_equilibria(game)
        except GameError:
            return pure, False, "pure (the mixed enumeration failed)"
        seen = {e.profile for e in pure if e.profile is not None}
        extra = [e for e in found if e.profile is None or e.profile not in seen]
        return pure + extra, found.complete, "pure + all_equilibria"
    complete = game.n_players == 1
    if not complete and len(pure) == 1:
        try:  # dominance solvable: the surviving profile is the only equilibrium
            complete = bool(games.eliminate_dominated(game).solved)
        except GameError:
            complete = False
    return pure, complete, "pure"


def equilibrium_label(game: Game, equilibrium: Any) -> str:
    """A label for an equilibrium or profile: the action names of a pure one, each
    player's mixture ``{action: probability}`` of a mixed one, ``"correlated"`` for a
    correlated equilibrium.

    Examples
    --------
    >>> import games
    >>> g = games.catalog.matching_pennies()
    >>> equilibrium_label(g, ("Heads", "Tails"))
    'Heads, Tails'
    """
    if isinstance(equilibrium, CorrelatedEquilibrium):
        return "correlated"
    if isinstance(equilibrium, Equilibrium) and equilibrium.profile is not None:
        return ", ".join(game.actions[i][a] for i, a in enumerate(equilibrium.profile))
    strategies = game.strategies(equilibrium)
    if all(np.count_nonzero(s) == 1 for s in strategies):
        return ", ".join(game.actions[i][int(np.flatnonzero(s)[0])]
                         for i, s in enumerate(strategies))
    parts = []
    for i, s in enumerate(strategies):
        parts.append("{" + ", ".join(f"{game.actions[i][k]}: {format_number(s[k])}"
                                     for k in np.flatnonzero(np.asarray(s) != 0)) + "}")
    return ", ".join(parts)


def equilibrium_regret(game: Game, equilibrium: Any) -> float:
    """The certificate of an equilibrium (its own), or of a profile (computed)."""
    if isinstance(equilibrium, (Equilibrium, CorrelatedEquilibrium)):
        return float(equilibrium.regret)
    return float(game.regret(equilibrium))


def as_equilibria(equilibria: Any) -> list[Any]:
    """The list of equilibria or profiles given by the caller."""
    if isinstance(equilibria, (str, bytes)):
        raise InvalidArgumentError(
            f"equilibria: expected equilibria or profiles, found {equilibria!r}")
    try:
        return list(equilibria)
    except TypeError:
        raise InvalidArgumentError(
            f"equilibria: expected an iterable of equilibria or profiles, found "
            f"{type(equilibria).__name__}") from None


@dataclass(frozen=True, eq=False)
class Frontier:
    """Candidate points with their Pareto-optimal subset.

    Attributes
    ----------
    axes : tuple of str
    points : ndarray, shape (M, n_axes)
        Every candidate: the outcomes, the equilibria, or the vertices of the image of the
        correlated-equilibrium polytope.
    optimal : ndarray of bool, shape (M,)
        The Pareto-optimal candidates (all maximised).
    labels : list of str
        What attains each point (an outcome's actions, an equilibrium, a CE vertex).
    over : str
    sources : list
        The equilibrium or profile behind each point (None for outcomes, the joint
        distribution, an array of the game's shape, for a CE vertex).
    faces : tuple of tuple of int
        For ``over="correlated"``: index sets of the polytope's faces whose points are
        all Pareto-optimal (edges in 2-D, facets in 3-D); the frontier is their union
        with the optimal vertices.
    complete : bool
        Whether every candidate of its kind was found.
    table : ScoreTable
    """

    axes: tuple[str, ...]
    points: np.ndarray
    optimal: np.ndarray
    labels: list[str]
    over: str
    sources: list[Equilibrium | CorrelatedEquilibrium | np.ndarray | Any | None] = \
        field(repr=False)
    faces: tuple[tuple[int, ...], ...] = ()
    complete: bool = True
    table: ScoreTable | None = field(default=None, repr=False)
    game: Game | None = field(default=None, repr=False)

    @property
    def front(self) -> np.ndarray:
        """The Pareto-optimal points."""
        return self.points[self.optimal]

    @property
    def front_labels(self) -> list[str]:
        return [lab for lab, ok in zip(self.labels, self.optimal) if ok]

    def __len__(self) -> int:
        return int(self.optimal.sum())

    def __repr__(self) -> str:
        lines = [f"Frontier({len(self)} Pareto-optimal of {len(self.points)} {self.over}, "
                 f"axes {self.axes}{'' if self.complete else ', not guaranteed complete'})"]
        for lab, p in list(zip(self.front_labels, self.front))[:20]:
            lines.append(f"  ({lab})  "
                         + ", ".join(f"{a} {p[k]:.6g}" for k, a in enumerate(self.axes)))
        if len(self) > 20:
            lines.append(f"  ... {len(self) - 20} more")
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        esc = html.escape
        head = "".join(f"<th>{esc(a)}</th>" for a in self.axes)
        rows = "".join(
            f"<tr><td>{esc(lab)}</td>"
            + "".join(f"<td>{p[k]:.6g}</td>" for k in range(len(self.axes)))
            + f"<td>{'yes' if ok else ''}</td></tr>"
            for lab, p, ok in list(zip(self.labels, self.points, self.optimal))[:200])
        return (f"<table><caption>{esc(repr(self).splitlines()[0])}</caption><tr><th>point</th>"
                f"{head}<th>Pareto-optimal</th></tr>{rows}</table>")

    def to_dict(self) -> dict[str, Any]:
        return {
            "axes": list(self.axes),
            "over": self.over,
            "complete": self.complete,
            "points": [{"label": lab, "scores": [float(v) for v in p], "optimal": bool(ok)}
                       for lab, p, ok in zip(self.labels, self.points, self.optimal)],
            "faces": [list(f) for f in self.faces],
        }

    def plot(self, ax: Any = None, axes: Sequence[int] = (0, 1)) -> Any:
        """Scatter of the candidates (grey) and the frontier (highlighted) on two axes;
        returns the matplotlib Axes."""
        return plot_frontier(self, ax=ax, axes=axes)


def frontier(game: Game, dimensions: Any = None, over: str = "outcomes",
             aggregate: Any = "sum", equilibria: Any = None, coarse: bool = False,
             max_lps: int = 500) -> Frontier:
    """The Pareto frontier of alignment scores over outcomes, equilibria or the
    correlated-equilibrium polytope; every point labelled by what attains it.

    ``over="outcomes"``: every pure profile. ``over="equilibria"``: every pure Nash
    equilibrium and, for two players, every extreme mixed one (``equilibria`` overrides
    the list). ``over="correlated"``: the image of the (coarse, with ``coarse=True``)
    correlated-equilibrium polytope under the linear score map, a convex polytope whose
    frontier is computed exactly for 1 to 3 axes: its vertices are found by LPs in the
    outward normals of the current inner hull until every facet is confirmed (the
    sandwich / outer-approximation scheme, as in Benson's algorithm), then the
    Pareto-optimal vertices and faces are kept.

    Parameters
    ----------
    game : Game
    dimensions : sequence of str, optional
        Layers (default: those of objective, value, preference the game has).
    over : "outcomes", "equilibria" or "correlated"
    aggregate : see :func:`score_table`
    equilibria : iterable, optional
        Equilibria (or correlated equilibria) to use for ``over="equilibria"``.
    coarse : bool
        Coarse correlated equilibria for ``over="correlated"``.
    max_lps : int
        Budget of LPs for ``over="correlated"``; the result says when it ran out.

    Returns
    -------
    Frontier

    Raises
    ------
    InvalidArgumentError
        Unknown layers or rules, an unknown ``over``, more than 3 axes for "correlated",
        a bad ``coarse`` or ``max_lps``.
    InvalidGameError
        Not a game, or a malformed equilibrium profile.

    Examples
    --------
    >>> import games
    >>> f = frontier(games.catalog.prisoners_dilemma(), dimensions=["objective"],
    ...              aggregate="each")
    >>> sorted(f.front_labels)
    ['C, C', 'C, D', 'D, C']
    """
    if not isinstance(over, str) or over not in _OVER:
        raise InvalidArgumentError(f"over: expected one of {_OVER}, found {over!r}")
    coarse = check_flag(coarse, "coarse")
    if isinstance(max_lps, (bool, np.bool_)) or not isinstance(max_lps, (int, np.integer)) \
            or max_lps < 1:
        raise InvalidArgumentError(f"max_lps: expected a positive integer, found {max_lps!r}")
    table = score_table(game, dimensions, aggregate)
    if over == "outcomes":
        points = table.values
        labels = outcome_labels(game)
        sources: list[Any] = [None] * len(labels)
        complete = True
        faces: tuple = ()
    elif over == "equilibria":
        if equilibria is None:
            found, complete, _ = game_equilibria(game)
        else:
            found, complete = as_equilibria(equilibria), False
        points = np.array([expected_scores(game, table, e) for e in found]).reshape(
            len(found), len(table.axes))
        labels = [equilibrium_label(game, e) for e in found]
        sources = found
        faces = ()
    else:
        if len(table.axes) > 3:
            raise InvalidArgumentError(
                f"dimensions: the exact frontier over correlated equilibria supports 1 to 3 "
                f"axes, found {len(table.axes)} ({table.axes}); choose fewer layers or a "
                f"coarser aggregate")
        points, sources, faces, complete = _correlated_frontier(game, table, coarse, max_lps)
        labels = [f"CE vertex {k + 1}" for k in range(len(points))]
    optimal = nondominated(points) if len(points) else np.zeros(0, dtype=bool)
    if over == "correlated" and len(points):
        optimal &= _optimal_in_hull(points)
        faces = tuple(f for f in faces if all(optimal[k] for k in f))
    return Frontier(axes=table.axes, points=np.asarray(points, dtype=np.float64),
                    optimal=optimal, labels=labels, over=over, sources=list(sources),
                    faces=faces, complete=complete, table=table, game=game)


# ---------------------------------------------------------------------------------------
# The correlated-equilibrium polytope


def _correlated_frontier(game: Game, table: ScoreTable, coarse: bool, max_lps: int):
    d = len(table.axes)
    matrix, _ = correlated_constraints(game, coarse=coarse)
    # The LPs and the hull run on the scores mapped to [0, 2) (a common shift and a power
    # of two: Pareto optimality and the CE polytope's shape do not change), so the
    # tolerance is relative to the scores' range with no floor, at any scale.
    S, _, _ = normalised_payoffs(table.values)
    tol = RELATIVE_TOLERANCE
    points: list[np.ndarray] = []
    dists: list[np.ndarray] = []
    n_lps = 0

    def solve(w: np.ndarray) -> np.ndarray:
        nonlocal n_lps
        n_lps += 1
        x = solve_lp(game, matrix, S @ w)
        x = np.where(x < 0, 0.0, x)
        x = x / x.sum()
        return x

    def add(x: np.ndarray) -> bool:
        p = x @ S
        for q in points:
            if np.abs(q - p).max() <= tol:
                return False
        points.append(p)
        dists.append(x.reshape(game.shape))
        return True

    # initial directions: each axis both ways and the diagonal
    for j in range(d):
        for sign in (1.0, -1.0):
            w = np.zeros(d)
            w[j] = sign
            add(solve(w))
    add(solve(np.ones(d)))
    complete = True
    faces: list[tuple[int, ...]] = []
    while True:
        if n_lps >= max_lps:
            complete = False
            break
        P = np.array(points)
        hull_facets = _hull_facets(P, tol)
        # also probe the directions orthogonal to the affine hull of the points found
        new = False
        faces = []
        for normal, offset, members in hull_facets:
            if n_lps >= max_lps:
                complete = False
                break
            x = solve(normal)
            if float(x @ S @ normal) > offset + tol * max(1.0, float(np.abs(normal).sum())):
                new |= add(x)
            elif all(normal > 1e-12):
                faces.append(tuple(sorted(members)))
        if not new:
            break
    values = np.asarray(table.values, dtype=np.float64)
    exact_points = np.array([x.ravel() @ values for x in dists])
    return exact_points, dists, tuple(sorted(set(faces))), complete


def _hull_facets(P: np.ndarray, tol: float) -> list[tuple[np.ndarray, float, list[int]]]:
    """Outward unit normals, offsets and member points of the facets of conv(P), in the
    affine hull of P, plus the two directions along each axis orthogonal to it."""
    centre = P.mean(axis=0)
    Q = P - centre
    _, sing, vt = np.linalg.svd(Q, full_matrices=True)
    rank = int(np.sum(sing > tol * 10))
    basis, null = vt[:rank], vt[rank:]
    out: list[tuple[np.ndarray, float, list[int]]] = []
    for v in null:  # directions the points do not span yet: probe both ways
        for s in (1.0, -1.0):
            n = s * v
            out.append((n, float(np.max(P @ n)), []))
    if rank == 0:
        return out
    coords = Q @ basis.T
    if rank == 1:
        c = coords[:, 0]
        for s, k in ((1.0, int(np.argmax(c))), (-1.0, int(np.argmin(c)))):
            n = s * basis[0]
            out.append((n, float(P[k] @ n), [i for i in range(len(P)) if abs(c[i] - c[k]) <= tol]))
        return out
    from scipy.spatial import ConvexHull
    hull = ConvexHull(coords)
    seen = []
    for eq in hull.equations:
        n_red = eq[:-1]
        n = n_red @ basis
        norm = np.linalg.norm(n)
        n = n / norm
        if any(np.abs(n - m).max() < 1e-9 for m in seen):
            continue
        seen.append(n)
        values = P @ n
        offset = float(values.max())
        members = [int(i) for i in np.flatnonzero(values >= offset - tol * 10)]
        out.append((n, offset, members))
    return out


def _optimal_in_hull(points: np.ndarray) -> np.ndarray:
    """Which vertices are Pareto-optimal in the convex hull of all the points: v is
    optimal iff no convex combination is >= v with a positive total improvement (an LP
    over the combination weights)."""
    from scipy.optimize import linprog
    m, d = points.shape
    out = np.ones(m, dtype=bool)
    points, _, scale = normalised_payoffs(points)     # [0, 2): no floor, any scale
    if scale == 0:
        return out
    for k in range(m):
        # variables: lambda (m), slack t (d) >= 0: sum lambda p - t = v, maximise sum t
        A_eq = np.zeros((d + 1, m + d))
        A_eq[:d, :m] = points.T
        A_eq[:d, m:] = -np.eye(d)
        A_eq[d, :m] = 1.0
        b_eq = np.append(points[k], 1.0)
        c = np.append(np.zeros(m), -np.ones(d))
        res = linprog(c, A_eq=A_eq, b_eq=b_eq, bounds=(0, None), method="highs")
        if res.status == 0 and -res.fun > RELATIVE_TOLERANCE:
            out[k] = False
    return out
