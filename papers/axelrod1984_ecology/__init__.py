"""Axelrod (1984): the ecological tournament.

A round robin of the catalogue strategies gives the meta-game; the discrete replicator
("ecological") dynamics then let each rule's share grow in proportion to its score
against the current population: x_i <- x_i f_i / sum_j x_j f_j, f_i = sum_j M_ij x_j.
With a long shadow of the future the nice reciprocators (Tit For Tat and its kin) take
over and the exploiters die out; with a short one, defectors take over.

Reference: Axelrod, R. (1984). The Evolution of Cooperation, ch. 3. Basic Books.
"""

from __future__ import annotations

import os
import time
from typing import Any

import numpy as np

from games.catalog import prisoners_dilemma
from games.errors import InvalidGameError
from games.palette import line_styles
from games.repeated import strategies as S
from games.repeated import tournament
from papers.common import finish, new_figure, save_figure

__all__ = ["run", "ecological_dynamics", "figure", "plot", "NAME", "recorded_generations"]

NAME = "axelrod1984_ecology"

#: Continuation probabilities: Axelrod's second tournament (w = 0.99654) and a short one.
LONG_SHADOW, SHORT_SHADOW = 0.99654, 0.2
GENERATIONS = 1000
#: Rules that are never the first to defect (Axelrod's "nice" rules) in the catalogue.
NICE = {"Cooperator", "Tit For Tat", "Tit For 2 Tats", "Grudger", "Grim Trigger",
        "Win-Stay Lose-Shift", "GTFT"}
RECIPROCATORS = NICE - {"Cooperator"}
DEFECTORS = {"Defector", "Suspicious Tit For Tat"}


def ecological_dynamics(payoff_matrix: Any, generations: int = GENERATIONS,
                        start: Any = None) -> np.ndarray:
    """Shares over generations, shape (generations + 1, n): Axelrod's discrete replicator
    dynamics x_i <- x_i f_i / (x . f) with f = M x (payoffs shifted to be positive).

    Examples
    --------
    >>> h = ecological_dynamics([[3, 0], [5, 1]], generations=50)
    >>> h.shape, bool(h[-1, 1] > 0.99)
    ((51, 2), True)
    """
    m = np.asarray(payoff_matrix, dtype=float)
    if m.ndim != 2 or m.shape[0] != m.shape[1] or m.shape[0] == 0:
        raise InvalidGameError(f"payoff_matrix: expected a square matrix, found shape {m.shape}")
    m = m - min(0.0, float(m.min())) + 1e-12
    x = np.full(len(m), 1.0 / len(m)) if start is None else np.asarray(start, dtype=float)
    history = [x]
    for _ in range(generations):
        f = m @ x
        x = x * f / (x @ f)
        history.append(x)
    return np.array(history)


def recorded_generations(generations: int = GENERATIONS, points: int = 100) -> np.ndarray:
    """The generations kept for the figure: 0, then about ``points`` generations spaced
    evenly on a log scale up to ``generations`` (the dynamics move in the first tens of
    generations and settle over the next hundreds).

    Examples
    --------
    >>> g = recorded_generations(1000)
    >>> int(g[0]), int(g[1]), int(g[-1]), bool(all(g[1:] > g[:-1]))
    (0, 1, 1000, True)
    """
    spaced = np.unique(np.geomspace(1, generations, points).round().astype(int))
    return np.concatenate([[0], spaced])


def _tournament(continuation: float, repetitions: int, seed: Any, executor: Any) -> Any:
    strategies = [f() for f in S.CATALOGUE.values()]
    return tournament(strategies, prisoners_dilemma(), turns=None, continuation=continuation,
                      repetitions=repetitions, seed=seed, executor=executor)


def run(full: bool = False, seed: int = 0, executor: Any = None,
        out: str | os.PathLike[str] | None = None) -> dict[str, Any]:
    """Round robins (10 repetitions reduced, 200 full) at a long and a short shadow of
    the future, and the ecological dynamics on each meta-game."""
    started = time.perf_counter()
    reps = 200 if full else 10
    seeds = np.random.SeedSequence(seed).spawn(2)
    runs = {}
    for label, w, s in (("long", LONG_SHADOW, seeds[0]), ("short", SHORT_SHADOW, seeds[1])):
        t = _tournament(w, reps, s, executor)
        history = ecological_dynamics(t.payoff_matrix)
        final = dict(zip(t.names, history[-1].tolist()))
        peaks = {n: int(np.argmax(history[:, k])) for k, n in enumerate(t.names)}
        kept = recorded_generations(GENERATIONS)
        runs[label] = {"continuation": w, "names": list(t.names),
                       "ranking": list(t.ranked_names), "final": final, "peaks": peaks,
                       "generations": kept.tolist(), "history": history[kept].tolist(),
                       "payoff_matrix": np.asarray(t.payoff_matrix).tolist()}
    long, short = runs["long"]["final"], runs["short"]["final"]
    winner_long = max(long, key=long.get)
    winner_short = max(short, key=short.get)
    quantities = {
        "long shadow: most abundant rule is a reciprocator": winner_long in RECIPROCATORS,
        "long shadow: only nice rules survive": all(v < 1e-3 for k, v in long.items()
                                                    if k not in NICE),
        "long shadow: reciprocators' final share": sum(long[k] for k in RECIPROCATORS),
        "short shadow: defectors take over": sum(short[k] for k in DEFECTORS) > 0.99,
        "long shadow: most abundant rule": winner_long,
        "short shadow: most abundant rule": winner_short,
        "long shadow: tournament winner": runs["long"]["ranking"][0],
    }
    lines = []
    for label, r in runs.items():
        lines.append(f"{label} shadow (w = {r['continuation']}): final shares after "
                     f"{GENERATIONS} generations")
        lines += [f"  {n:<24} {r['final'][n]:.4f}  (peak at generation {r['peaks'][n]})"
                  for n in sorted(r["final"], key=r["final"].get, reverse=True)]
    details = {"summary": "\n".join(lines), "runs": runs, "repetitions": reps,
               "generations": GENERATIONS}
    figures = []
    if out is not None:
        figures.append(plot(runs, os.path.join(os.fspath(out), f"{NAME}.png")))
    return finish(NAME, quantities, details, full=full, seed=seed, started=started,
                  figures=figures)


def figure(runs: dict[str, Any]) -> Any:
    """Shares against generations (log scale: the dynamics move in the first tens of
    generations and settle over the next hundreds), long and short shadow; one colour and
    line style per rule (:func:`games.palette.line_styles`), the same in both panels.
    Returns the matplotlib Figure."""
    fig, axes = new_figure(1, 2, figsize=(13, 4.5), sharey=True)
    names = list(dict.fromkeys(n for r in runs.values() for n in r["names"]))
    styles = dict(zip(names, line_styles(len(names))))
    for ax, (label, r) in zip(axes, runs.items()):
        h = np.array(r["history"])
        gens = np.asarray(r.get("generations", np.arange(len(h)) * 10), dtype=float)
        shown = gens >= 1                      # generation 0 (equal shares) has no log
        for k, name in enumerate(r["names"]):
            ax.plot(gens[shown], h[shown, k], label=name, markevery=0.1, markersize=4,
                    lw=1.8 if name in RECIPROCATORS else 1.1, **styles[name])
        ax.set_xscale("log")
        ax.set_xlim(1, gens.max())
        ax.set_ylim(0, 1)
        ax.set(xlabel="generation (log scale)",
               title=f"{label} shadow of the future (w = {r['continuation']})")
    axes[0].set_ylabel("population share (fraction of 1)")
    axes[1].legend(fontsize=7, loc="upper left", ncol=2)
    return fig


def plot(runs: dict[str, Any], path: str) -> str:
    """:func:`figure`, saved atomically at ``path``; returns the path."""
    return save_figure(figure(runs), path)
