"""Plots of frontiers and alignment reports (matplotlib, imported on call)."""

from __future__ import annotations

from collections.abc import Sequence
from itertools import combinations
from typing import Any

import numpy as np

from games.errors import InvalidArgumentError
from games.io import atomic_output
from games.palette import colour

__all__ = ["plot_frontier", "plot_report", "plot_points", "plot_bars", "save_figure"]


def _pyplot() -> Any:
    try:
        import matplotlib
    except ImportError:  # pragma: no cover - depends on the environment
        raise ImportError("plotting needs matplotlib: pip install 'masalign[plot]'") from None
    del matplotlib  # matplotlib picks a headless backend by itself when there is no display
    import matplotlib.pyplot as plt
    return plt


def save_figure(fig: Any, path: Any) -> None:
    """Save a figure atomically (:func:`games.io.atomic_output`: a temporary file beside
    ``path``, then ``os.replace``; a new file gets ``0o666`` less the umask). The format
    follows the extension."""
    with atomic_output(path) as tmp:
        fig.savefig(tmp, bbox_inches="tight", dpi=120)


def _axis_pair(axes: Sequence[int], d: int) -> tuple[int, int]:
    """Two column indices below ``d`` (both 0 for one column)."""
    if d == 1:
        return 0, 0
    try:
        i, j = (int(a) for a in axes)
    except (TypeError, ValueError):
        raise InvalidArgumentError(
            f"axes: expected two column indices below {d}, found {axes!r}") from None
    if not (0 <= i < d and 0 <= j < d):
        raise InvalidArgumentError(f"axes: expected two column indices below {d}, found {axes!r}")
    return i, j


def plot_points(points: np.ndarray, names: Sequence[str], ax: Any = None,
                axes: Sequence[int] = (0, 1), label: str = "points") -> Any:
    """Scatter of an (N, d) array on two of its columns; returns the Axes."""
    plt = _pyplot()
    if ax is None:
        _, ax = plt.subplots(figsize=(5, 4))
    pts = np.asarray(points, dtype=np.float64)
    i, j = _axis_pair(axes, pts.shape[1])
    ax.scatter(pts[:, i], pts[:, j], color=colour(0), s=18, label=label)
    ax.set_xlabel(names[i])
    ax.set_ylabel(names[j])
    return ax


def plot_bars(values: Sequence[float], names: Sequence[str], ylabel: str,
              title: str = "", ax: Any = None, xlabel: str = "") -> Any:
    """One bar per named value (labelled ``xlabel`` below the names); returns the Axes."""
    plt = _pyplot()
    if ax is None:
        _, ax = plt.subplots(figsize=(max(3.0, 0.8 * len(values) + 1.5), 3.5))
    ax.bar(range(len(values)), values, color=colour(0))
    ax.set_xticks(range(len(values)), list(names), rotation=30, ha="right")
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    if title:
        ax.set_title(title, fontsize="medium")
    return ax


def plot_frontier(front: Any, ax: Any = None, axes: Sequence[int] = (0, 1)) -> Any:
    """Candidates in grey, the Pareto-optimal ones highlighted, on two axes."""
    plt = _pyplot()
    if ax is None:
        _, ax = plt.subplots(figsize=(5, 4))
    pts = np.asarray(front.points)
    i, j = _axis_pair(axes, pts.shape[1])
    ax.scatter(pts[:, i], pts[:, j], c="0.7", s=18, label=front.over)
    opt = front.optimal
    ax.scatter(pts[opt, i], pts[opt, j], color=colour(0), s=30, label="Pareto-optimal")
    for f in front.faces:
        if len(f) == 2:
            ax.plot(pts[list(f), i], pts[list(f), j], color=colour(0))
    ax.set_xlabel(front.axes[i])
    ax.set_ylabel(front.axes[j])
    ax.legend(fontsize="small")
    return ax


def plot_report(report: Any, path: Any = None, kind: str = "pairs") -> Any:
    """Outcomes (grey), the outcome frontier (blue), holistically aligned outcomes
    (bluish-green ring) and the equilibria (vermillion stars) of an alignment report, in
    the colours of :mod:`games.palette`."""
    if kind not in ("pairs", "3d"):
        raise InvalidArgumentError(f"kind: expected 'pairs' or '3d', found {kind!r}")
    plt = _pyplot()
    values = report.table.values
    axes_names = report.axes
    d = len(axes_names)
    eq = np.array([[e.scores[a] for a in axes_names] for e in report.equilibria]).reshape(-1, d)
    holistic = np.array([[o.scores[a] for a in axes_names]
                         for o in report.holistic_outcomes]).reshape(-1, d)
    front = report.outcome_frontier
    title = report.game.title or "alignment"
    if kind == "3d" and d >= 3:
        fig = plt.figure(figsize=(6, 5))
        ax = fig.add_subplot(projection="3d")
        ax.scatter(*values[~front, :3].T, c="0.7", s=15, label="outcomes")
        ax.scatter(*values[front, :3].T, color=colour(0), s=30, label="frontier")
        if len(holistic):
            ax.scatter(*holistic[:, :3].T, facecolors="none", edgecolors=colour(2), s=120,
                       label="holistically aligned")
        if len(eq):
            ax.scatter(*eq[:, :3].T, color=colour(3), marker="*", s=160, label="equilibria")
        ax.set_xlabel(axes_names[0])
        ax.set_ylabel(axes_names[1])
        ax.set_zlabel(axes_names[2])
        ax.legend(fontsize="small")
    else:
        pairs = list(combinations(range(d), 2)) or [(0, 0)]
        fig, axs = plt.subplots(1, len(pairs), figsize=(4.5 * len(pairs), 4), squeeze=False)
        for ax, (i, j) in zip(axs[0], pairs):
            ax.scatter(values[~front, i], values[~front, j], c="0.7", s=15, label="outcomes")
            ax.scatter(values[front, i], values[front, j], color=colour(0), s=30,
                       label="frontier (all axes)")
            if len(holistic):
                ax.scatter(holistic[:, i], holistic[:, j], facecolors="none",
                           edgecolors=colour(2), s=120, label="holistically aligned")
            if len(eq):
                ax.scatter(eq[:, i], eq[:, j], color=colour(3), marker="*", s=160,
                           label="equilibria")
            ax.set_xlabel(axes_names[i])
            ax.set_ylabel(axes_names[j])
        axs[0][0].legend(fontsize="small")
    fig.suptitle(title, fontsize="medium")
    if path is not None:
        save_figure(fig, path)
    return fig
