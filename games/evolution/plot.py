"""Figures of evolutionary dynamics (matplotlib, imported when a figure is drawn).

:func:`plot_simplex` draws the replicator flow of a 3-strategy game; :class:`SmallMutationAnalysis`
(from :func:`small_mutation_analysis`) draws the stationary distribution as bars and the
fixation graph: strategies as nodes, an arrow r -> m where a single m mutant fixes in an r
population more often than a neutral one (``F[r, m] > 1/Z``).
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from typing import Any

import numpy as np

from games.arguments import check_integer
from games.errors import InvalidGameError
from games.evolution.finite import fixation_probabilities, population_game, stationary_distribution
from games.evolution.infinite import rest_points
from games.palette import SEQUENTIAL_MAP, colour

__all__ = ["plot_simplex", "small_mutation_analysis", "SmallMutationAnalysis"]

_CORNERS = np.array([[0.0, 0.0], [1.0, 0.0], [0.5, np.sqrt(3) / 2]])


def _to_plane(x: np.ndarray) -> np.ndarray:
    return np.asarray(x, dtype=np.float64) @ _CORNERS


def plot_simplex(game: Any, resolution: int = 16, ax: Any = None) -> Any:
    r"""The replicator flow of a 3-strategy symmetric game on the simplex: arrows of the
    vector field :math:`\dot x_a = x_a ((Ax)_a - x^\top A x)` (coloured by speed), rest
    points (filled: asymptotically stable; open: otherwise).

    Returns
    -------
    matplotlib.figure.Figure
    """
    import matplotlib.pyplot as plt

    pop = population_game(game)
    if pop.n_strategies != 3 or pop.matrix is None:
        raise InvalidGameError(f"game: the simplex plot needs a two-player symmetric game with 3 "
                               f"strategies, found {pop.n_strategies}")
    check_integer(resolution, "resolution", minimum=1)
    if ax is None:
        fig, ax = plt.subplots(figsize=(5, 4.6))
    else:
        fig = ax.figure
    grid = np.array([[i, j, resolution - i - j] for i in range(resolution + 1)
                     for j in range(resolution + 1 - i)], dtype=float) / resolution
    states = grid[(grid == 0).sum(axis=1) < 2]          # corners are rest points
    fitness = states @ pop.matrix.T
    velocity = states * (fitness - (states * fitness).sum(axis=1, keepdims=True))
    points = _to_plane(states)
    arrows = _to_plane(states + velocity) - points
    speed = np.linalg.norm(arrows, axis=1)
    scale = np.where(speed > 0, speed, 1)
    quiver = ax.quiver(points[:, 0], points[:, 1], arrows[:, 0] / scale, arrows[:, 1] / scale,
                       speed, cmap=SEQUENTIAL_MAP, angles="xy", pivot="mid", width=0.004)
    fig.colorbar(quiver, ax=ax, label="speed", shrink=0.7)
    ax.plot(*np.vstack([_CORNERS, _CORNERS[:1]]).T, color="black", linewidth=1)
    for point in rest_points(pop):
        xy = _to_plane(point.state)
        stable = point.stability == "asymptotically stable"
        ax.plot(xy[0], xy[1], "o", markersize=9, markeredgecolor="black",
                markerfacecolor="black" if stable else "white", zorder=3)
    for corner, name in zip(_CORNERS, pop.strategies):
        ax.annotate(name, corner, textcoords="offset points",
                    xytext=(0, -14 if corner[1] == 0 else 6), ha="center")
    ax.set_aspect("equal")
    ax.axis("off")
    ax.set_title(f"Replicator dynamics of {', '.join(pop.strategies)}")
    return fig


@dataclass(frozen=True)
class SmallMutationAnalysis:
    """Fixation probabilities and the small-mutation stationary distribution of a
    population, with a figure.

    Attributes
    ----------
    fixation : ndarray
        ``fixation[r, m]``: one m mutant takes over an r population.
    stationary : ndarray
        Long-run share of time spent in each monomorphic state.
    strategies : tuple of str
    population_size : int
    intensity : float
    """

    fixation: np.ndarray
    stationary: np.ndarray
    strategies: tuple[str, ...]
    population_size: int
    intensity: float

    def __repr__(self) -> str:
        top = np.argsort(-self.stationary)[:3]
        shares = ", ".join(f"{self.strategies[k]}: {self.stationary[k]:.3f}" for k in top)
        return (f"SmallMutationAnalysis(Z={self.population_size}, beta={self.intensity}, "
                f"stationary {{{shares}{', ...' if len(self.strategies) > 3 else ''}}})")

    def _repr_html_(self) -> str:
        rows = "".join(f"<tr><td>{html.escape(s)}</td><td>{p:.4f}</td></tr>"
                       for s, p in zip(self.strategies, self.stationary))
        return (f"<table><caption>{html.escape(repr(self))}</caption><tr><th>strategy</th>"
                f"<th>stationary share</th></tr>{rows}</table>")

    def to_dict(self) -> dict[str, Any]:
        return {"strategies": list(self.strategies), "population_size": self.population_size,
                "intensity": self.intensity, "fixation": self.fixation.tolist(),
                "stationary": self.stationary.tolist()}

    def plot(self) -> Any:
        """Stationary distribution bars beside the fixation graph.

        Returns
        -------
        matplotlib.figure.Figure
        """
        import matplotlib.pyplot as plt

        fig, (bars, graph) = plt.subplots(1, 2, figsize=(10, 4.5))
        s = len(self.strategies)
        bars.bar(range(s), self.stationary, color=colour(0))
        bars.set_xticks(range(s), self.strategies, rotation=45, ha="right")
        bars.set_xlabel("strategy")
        bars.set_ylabel("stationary share")
        bars.set_title("Small-mutation stationary distribution")
        angles = np.pi / 2 - 2 * np.pi * np.arange(s) / s
        xy = np.c_[np.cos(angles), np.sin(angles)]
        neutral = 1 / self.population_size
        for r in range(s):
            for m in range(s):
                if r != m and self.fixation[r, m] > neutral:
                    width = 0.5 + 2.5 * min(1.0, self.fixation[r, m] / (10 * neutral))
                    graph.annotate("", xy=xy[m] * 0.88, xytext=xy[r] * 0.88,
                                   arrowprops=dict(arrowstyle="-|>", lw=width, color="0.35",
                                                   shrinkA=12, shrinkB=12))
        sizes = 300 + 2500 * self.stationary / max(self.stationary.max(), 1e-300)
        graph.scatter(xy[:, 0], xy[:, 1], s=sizes, c=self.stationary, cmap=SEQUENTIAL_MAP,
                      edgecolors="black", zorder=3)
        for (x, y), name in zip(xy, self.strategies):
            graph.annotate(name, (x * 1.18, y * 1.18), ha="center", va="center")
        graph.set_xlim(-1.4, 1.4)
        graph.set_ylim(-1.4, 1.4)
        graph.set_aspect("equal")
        graph.axis("off")
        graph.set_title(f"Fixation graph (arrows: F[r, m] > 1/Z, Z = {self.population_size})")
        fig.tight_layout()
        return fig


def small_mutation_analysis(game: Any, population_size: int, intensity: float,
                            rule: str = "pairwise-comparison") -> SmallMutationAnalysis:
    """Fixation probabilities and the small-mutation stationary distribution in one
    object with a ``plot()``."""
    pop = population_game(game)
    return SmallMutationAnalysis(
        fixation=fixation_probabilities(pop, population_size, intensity, rule),
        stationary=stationary_distribution(pop, population_size, intensity, rule=rule),
        strategies=pop.strategies, population_size=int(population_size),
        intensity=float(intensity))
