"""Carichon et al. (2025): holistic alignment of a multi-agent system, computed on the
earthquake-relief case study (Table 1 / Figure 1).

Four AI agents (an NGO, two governments, a logistics provider) each choose an aligned or a
self-serving action (:func:`games.catalog.aid_delivery`). The paper's claim: optimising the
objective alone, or compromising between the principals' preferences, lands on outcomes
that violate the values, while a holistically aligned outcome (Pareto-optimal on
objective, value and preference, with every value respected) exists, is not what selfish
agents reach in equilibrium, and mechanisms can make it an equilibrium.

Reference: Carichon, F. et al. (2025). The coming crisis of multi-agent misalignment: AI
alignment must be a dynamic and social process. (The seed paper of this project.)
"""

from __future__ import annotations

import itertools
import os
import time
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import numpy as np

import mechanisms as M
from games.catalog import aid_delivery
from games.palette import SEQUENTIAL_MAP, colour
from papers.common import finish, new_figure, save_figure
from pareto import alignment_report

__all__ = ["run", "mechanisms_tried", "MechanismOutcome", "figure", "plot", "NAME"]

NAME = "carichon2025_aid_delivery"

SELFISH = {"NGO": "visibility", "Government A": "citizens first",
           "Government B": "citizens first", "Logistics": "cost-efficient"}
ALIGNED = ("need-based", "open airspace", "open airspace", "priority-to-need")


@dataclass(frozen=True)
class MechanismOutcome:
    """What one mechanism does to the game's equilibria (one bar of the figure)."""

    name: str
    holistic: bool
    best_value: float

    @classmethod
    def of(cls, evaluation: Any) -> MechanismOutcome:
        """From a :class:`mechanisms.evaluation.Evaluation`: the mechanism's class name,
        whether an equilibrium becomes holistically aligned, and the best value score at
        an equilibrium after the change (0 when there is none)."""
        equilibria = evaluation.after.report.equilibria
        return cls(name=type(evaluation.mechanism).__name__,
                   holistic=bool(evaluation.after.holistic),
                   best_value=max((float(q.scores["value"]) for q in equilibria), default=0.0))


def mechanisms_tried() -> list[Any]:
    """The mechanisms of the before/after table (as in the project README's tour)."""
    return [M.Redistribution(Fraction(1, 2)), M.Kinship(Fraction(1, 2)),
            M.Penalty(5, on=SELFISH), M.Contract(ALIGNED, damages=6),
            M.Monitoring(Fraction(1, 2), 12, ALIGNED), M.ThirdPartyJudge(1)]


def _classify(report: Any) -> list[dict[str, Any]]:
    """The 16 outcomes: scores, frontier membership and the paper's categories."""
    game = report.game
    table = report.table
    holistic = {o.label for o in report.holistic_outcomes}
    highlights = {o.label: name for name, o in report.highlights.items()}
    equilibria = {e.label for e in report.equilibria}
    rows = []
    for k, profile in enumerate(itertools.product(*(range(len(a)) for a in game.actions))):
        label = ", ".join(game.actions[i][a] for i, a in enumerate(profile))
        scores = {axis: float(table.values[k, j]) for j, axis in enumerate(report.axes)}
        kinds = []
        if label in highlights:
            kinds.append(highlights[label])
        if label in holistic:
            kinds.append("holistically aligned")
        if label in equilibria:
            kinds.append("Nash equilibrium")
        rows.append({"profile": "".join(str(a) for a in profile), "label": label,
                     "scores": scores, "frontier": bool(report.outcome_frontier[k]),
                     "categories": kinds})
    return rows


def run(full: bool = False, seed: int = 0, executor: Any = None,
        out: str | os.PathLike[str] | None = None) -> dict[str, Any]:
    """The alignment report, the outcome table, the frontier and the mechanism table.

    Exact and deterministic: ``full``, ``seed`` and ``executor`` change nothing (the
    game has 16 outcomes)."""
    started = time.perf_counter()
    game = aid_delivery()
    report = alignment_report(game)
    rows = _classify(report)
    objective = report.highlights["objective-optimal"]
    compromise = report.highlights["preference compromise"]
    (equilibrium,) = report.equilibria
    comparison = M.compare(game, mechanisms_tried())
    outcomes = [MechanismOutcome.of(e) for e in comparison.evaluations]
    realign = {o.name: o.holistic for o in outcomes}
    quantities: dict[str, Any] = {
        "pure equilibria": len(report.equilibria),
        "equilibrium is the all-selfish profile": equilibrium.label == ", ".join(
            SELFISH.values()),
        "equilibrium holistically aligned": bool(equilibrium.holistic),
        "equilibrium Pareto-optimal": bool(equilibrium.pareto_optimal),
        "objective optimum: aid delivered": objective.scores["objective"],
        "objective optimum violates a value": bool(objective.violations),
        "objective optimum on the frontier": bool(objective.pareto_optimal),
        "preference compromise violates a value": bool(compromise.violations),
        "all-aligned profile holistically aligned":
            ", ".join(ALIGNED) in {o.label for o in report.holistic_outcomes},
        "frontier outcomes": int(report.outcome_frontier.sum()),
        "price of anarchy": float(report.price.anarchy) if report.price else None,
    }
    for name, ok in realign.items():
        quantities[f"realigns: {name}"] = ok
    text = ["profile  aid  value  pref.  frontier  categories"]
    for r in rows:
        s = r["scores"]
        text.append(f"{r['profile']}    {s['objective']:>3g}  {s['value']:>5g}  "
                    f"{s['preference']:>5g}  {'yes' if r['frontier'] else '':8}  "
                    f"{', '.join(r['categories'])}")
    summary = ("\n".join(text) + "\n\nObjective optimum violates: " +
               ", ".join(f"{k} ({v[0]:g} < {v[1]:g})" for k, v in objective.violations.items())
               + "\nPreference compromise violates: " +
               ", ".join(f"{k} ({v[0]:g} < {v[1]:g})" for k, v in compromise.violations.items())
               + "\n\n" + comparison.to_text())
    details = {"summary": summary, "outcomes": rows, "verdict": report.verdict(),
               "report": report.to_dict(), "mechanisms": comparison.to_dict()}
    figures = []
    if out is not None:
        figures.append(plot(rows, outcomes, os.path.join(os.fspath(out), f"{NAME}.png")))
    return finish(NAME, quantities, details, full=full, seed=seed, started=started,
                  figures=figures)


def figure(rows: list[dict[str, Any]], outcomes: list[MechanismOutcome]) -> Any:
    """Figure 1 computed: objective against value with preference as colour, the frontier
    and the categories marked; and the value score of the best equilibrium under each
    mechanism. Scores are points of the catalogue's criteria, summed (value: four
    criteria, at most 20; preference: one criterion per principal). Returns the
    matplotlib Figure."""
    from matplotlib.patches import Patch

    fig, (ax, bx) = new_figure(1, 2, figsize=(13, 5.2), layout="constrained")
    obj = np.array([r["scores"]["objective"] for r in rows])
    val = np.array([r["scores"]["value"] for r in rows])
    pref = np.array([r["scores"]["preference"] for r in rows])
    front = np.array([r["frontier"] for r in rows])
    sc = ax.scatter(obj, val, c=pref, cmap=SEQUENTIAL_MAP, s=np.where(front, 90, 35),
                    edgecolors=np.where(front, "k", "none"), zorder=3)
    fig.colorbar(sc, ax=ax, label="preference score (points, sum over principals)")
    ax.scatter([], [], c="0.6", s=90, edgecolors="k", label="on the Pareto frontier")
    marks = {"objective-optimal": (colour(1), "objective-only"),
             "preference compromise": (colour(4), "preference compromise"),
             "holistically aligned": (colour(2), "holistically aligned"),
             "Nash equilibrium": (colour(3), "Nash equilibrium")}
    for key, (edge, text) in marks.items():
        pts = [(o, v) for o, v, r in zip(obj, val, rows) if key in r["categories"]]
        if pts:
            xs, ys = zip(*pts)
            ax.scatter(xs, ys, facecolors="none", edgecolors=edge, s=260, lw=2, label=text)
    ax.set(xlabel="objective: aid delivered (tonnes/day)",
           ylabel="value score (points, sum of four criteria)",
           title=f"Aid delivery: {len(rows)} outcomes")
    ax.legend(fontsize=8, ncol=3, loc="upper center", bbox_to_anchor=(0.5, -0.13),
              frameon=False)
    names = [o.name for o in outcomes]
    best = [o.best_value for o in outcomes]
    realigned, not_realigned = colour(2), "0.6"
    bx.barh(range(len(names)), best,
            color=[realigned if o.holistic else not_realigned for o in outcomes])
    nash = [v for v, r in zip(val, rows) if "Nash equilibrium" in r["categories"]]
    handles = [Patch(color=realigned, label="an equilibrium becomes holistically aligned"),
               Patch(color=not_realigned, label="no equilibrium holistically aligned")]
    if nash:
        handles.append(bx.axvline(max(nash), color=colour(3), ls="--", lw=1.5,
                                  label="best equilibrium without mechanism"))
    bx.set_xlim(left=-0.03 * max([*best, *val, 1.0]))   # a line at 0 stays visible
    bx.set_yticks(range(len(names)), names)
    bx.invert_yaxis()
    bx.set(xlabel="value score of the best equilibrium (points)", ylabel="mechanism",
           title="Mechanisms: the value score they reach")
    bx.legend(handles=handles, fontsize=8, ncol=2, loc="upper center",
              bbox_to_anchor=(0.5, -0.13), frameon=False)
    return fig


def plot(rows: list[dict[str, Any]], outcomes: list[MechanismOutcome], path: str) -> str:
    """:func:`figure`, saved atomically at ``path``; returns the path."""
    return save_figure(figure(rows, outcomes), path)
