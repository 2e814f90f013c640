"""The analysis of one game as a report: setting, equilibria with certificates and their
scores on every evaluation layer, the dominance reduction and the alignment report."""

from __future__ import annotations

import dataclasses
import html
from dataclasses import dataclass, field
from typing import Any

import numpy as np

import games
import pareto
from masalign.equilibria import EquilibriumSearch, find_equilibria
from masalign.progress import Status
from masalign.text import number_text, payoff_table, table_is_small
from pareto.metrics import OutcomeAlignment

__all__ = ["Analysis", "analyze", "layer_scores", "elimination_text", "EXACT_MAX_PROFILES",
           "MIXED_DOMINANCE_MAX_PROFILES", "SHOWN_EQUILIBRIA"]

#: Exact games with more profiles are analysed in floating point (exact arithmetic on
#: them takes minutes); ``analyze(..., exact=True)`` insists.
EXACT_MAX_PROFILES = 10_000
#: Domination by mixed strategies (one LP an action) is tested up to this many profiles;
#: beyond, by pure strategies only.
MIXED_DOMINANCE_MAX_PROFILES = 2_500
#: Equilibria listed in the text (all of them are in the JSON).
SHOWN_EQUILIBRIA = 10


@dataclass(frozen=True)
class Analysis:
    """What ``masalign analyze`` reports about a game."""

    game: games.Game
    setting: games.Setting
    equilibria: games.EquilibriumSet
    reduction: Any
    alignment: Any = None
    search: EquilibriumSearch | None = None
    notes: tuple[str, ...] = field(default=())

    @property
    def values_measured(self) -> bool:
        """Whether the game has a value layer (else holistic alignment is not judged)."""
        if self.alignment is None:
            return "value" in self.game.layers
        return self.alignment.values_measured

    def to_dict(self) -> dict[str, Any]:
        out = {
            "game": self.game.to_dict(),
            "setting": self.setting.to_dict(),
            "pure_equilibria": self.equilibria.to_dict(),
            "layer_scores": [layer_scores(self.game, e.profile) for e in self.equilibria],
            "equilibria": None if self.search is None else self.search.to_dict(),
            "dominance": self.reduction.to_dict(),
            "alignment": None,
            "values_measured": self.values_measured,
            "verdict": self.verdict(),
            "notes": list(self.notes),
        }
        if self.alignment is not None:
            alignment = self.alignment.to_dict()
            alignment["verdict"] = self.verdict()
            alignment["equilibria_method"] = None if self.search is None else self.search.method
            out["alignment"] = alignment
        return out

    def _repr_html_(self) -> str:
        """A heading with the verdict and the text report (the page of
        :func:`masalign.game_report` has the figures)."""
        title = html.escape(self.game.title or "game")
        return (f"<h4>Analysis of {title}</h4><p>{html.escape(self.verdict())}</p>"
                f"<pre>{html.escape(self.to_text())}</pre>")

    # -- text ---------------------------------------------------------------------------

    def to_text(self, table: bool | None = None) -> str:
        """The report as text; ``table`` forces (True) or hides (False) the payoff table,
        shown by default only when it is small."""
        g = self.game
        lines = [g.title or repr(g)]
        if table or (table is None and table_is_small(g)):
            lines = [g.title or repr(g), payoff_table(g)]
        else:
            lines.append(f"({' x '.join(map(str, g.shape))} game, {g.n_profiles} profiles: "
                         f"payoff table not shown; --table prints it)")
        lines += [f"Note: {n}" for n in self.notes]
        lines.append("")
        lines.append(f"Setting: {self.setting.kind} (payoff correlation index "
                     f"{self.setting.index:+.3f})")
        lines += [f"  - {reason}" for reason in self.setting.reasons]
        lines.append("")
        complete = "complete" if self.equilibria.complete else "not guaranteed complete"
        lines.append(f"Pure Nash equilibria: {len(self.equilibria)} ({complete})")
        for e in list(self.equilibria)[:SHOWN_EQUILIBRIA]:
            names = ", ".join(e.action_names)
            pays = ", ".join(number_text(p) for p in e.payoffs)
            kind = "strict" if e.strict else "weak"
            lines.append(f"  ({names})  payoffs ({pays})  regret {number_text(e.regret)}  {kind}")
            for layer, scores in layer_scores(g, e.profile, text=True).items():
                text = ", ".join(f"{k} {v}" for k, v in scores.items())
                lines.append(f"      {layer}: {text}")
        if len(self.equilibria) > SHOWN_EQUILIBRIA:
            lines.append(f"  ... {len(self.equilibria) - SHOWN_EQUILIBRIA} more (--json lists "
                         f"them all)")
        if not self.equilibria:
            lines.append("  none: every equilibrium of this game is mixed" if
                         self.equilibria.complete else "  none found")
        lines.append("")
        r = self.reduction
        dims = " x ".join(map(str, r.original.shape))
        left = " x ".join(map(str, r.game.shape))
        how = "" if r.mixed else " (by pure strategies only: the mixed-strategy test is slow " \
                                 "on a game this large)"
        lines.append(f"Iterated elimination of strictly dominated strategies{how}: {dims} -> "
                     f"{left}{' (dominance solvable)' if r.solved else ''}")
        lines += [f"  {elimination_text(e, r.original)}" for e in r.order[:40]]
        if len(r.order) > 40:
            lines.append(f"  ... {len(r.order) - 40} more eliminations")
        if self.alignment is not None:
            lines += [""] + self._alignment_text()
        else:
            lines += ["", "Verdict: " + self.verdict()]
        return "\n".join(lines)

    def _alignment_text(self) -> list[str]:
        a, search = self.alignment, self.search
        t = a.table
        measured = self.values_measured
        lines = [f"Alignment report: {self.game.title or repr(self.game)}"]
        lines.append("Axes (all maximised): " + ", ".join(
            f"{x} [{t.values[:, k].min():.4g}, {t.values[:, k].max():.4g}]"
            for k, x in enumerate(a.axes)))
        lines.append("Scores of a layer's criteria: " + ", ".join(
            f"{k}: {v}" for k, v in t.rules.items()))
        if a.thresholds:
            lines.append("Value thresholds: " + ", ".join(
                f"{k} >= {v:.4g}" for k, v in a.thresholds.items()))
        if not measured:
            lines.append("Values: not measured (no value layer)")
        lines.append(f"Pareto frontier: {int(a.outcome_frontier.sum())} of "
                     f"{len(a.outcome_frontier)} outcomes")
        lines.append("")
        if search is not None:
            lines.append(f"Equilibria ({len(search)} by {search.method}; "
                         f"{search.completeness}), each with its certificate (regret):")
            lines += [f"  note: {n}" for n in search.notes]
        else:
            lines.append(f"Equilibria ({len(a.equilibria)}):")
        for e in a.equilibria[:SHOWN_EQUILIBRIA]:
            lines.append("  " + OutcomeAlignment.text(e))   # payoffs and regret follow
            pays = ", ".join(f"{p:.4g}" for p in e.payoffs)
            lines.append(f"      payoffs ({pays}), regret {number_text(e.regret)}")
            if e.players is not None and len(self.game.players) > 1:
                lines.append(f"      disparity between players: {e.players.text()}")
            if e.principals is not None:
                lines.append(f"      disparity between principals: {e.principals.text()}")
        if len(a.equilibria) > SHOWN_EQUILIBRIA:
            lines.append(f"  ... {len(a.equilibria) - SHOWN_EQUILIBRIA} more (--json lists "
                         f"them all)")
        lines.append("")
        lines.append(self._price_text())
        if a.highlights:
            lines += ["", "Reference outcomes:"]
            lines += [f"  {name}: " + o.text()
                      for name, o in a.highlights.items()]
        lines.append("")
        if measured:
            lines.append(f"Holistically aligned outcomes: {len(a.holistic_outcomes)}")
            lines += ["  " + o.text() for o in a.holistic_outcomes[:10]]
        else:
            lines.append("Holistically aligned outcomes: values not measured (no value layer)")
        lines += ["", "Verdict: " + self.verdict()]
        return lines

    def _price_text(self) -> str:
        a = self.alignment
        found = "" if self.search is None or self.search.complete else \
            f" (over the {len(a.equilibria)} equilibria found)"
        if a.price is not None:
            p = a.price
            return (f"Price of anarchy {p.anarchy:.4g}, price of stability {p.stability:.4g}"
                    f"{found} ({p.measure}: optimum {p.optimum:.4g} at ({p.optimal_outcome}), "
                    f"equilibria {p.worst:.4g} to {p.best:.4g})")
        if not a.equilibria:
            return "Price of anarchy: not computed (it needs an equilibrium's welfare)"
        welfare = np.asarray(self.game.float_payoffs, dtype=np.float64).sum(axis=0)
        at_eq = min(sum(e.payoffs) for e in a.equilibria)
        low = min(float(welfare.min()), at_eq)
        return (f"Price of anarchy: not defined for this game: it is a ratio of welfares "
                f"(sum of payoffs) and needs them positive, and the welfare here goes down "
                f"to {low:.4g}")

    def verdict(self) -> str:
        """One paragraph: whether an equilibrium found is holistically aligned (or, without
        a value layer, that values were not measured): the alignment report's verdict."""
        if self.alignment is None:
            return "Not assessed: no alignment report."
        return self.alignment.verdict()


def elimination_text(e: Any, game: games.Game) -> str:
    """A dominance round in words, the player named and numbers as decimals."""
    who = e.player_name or game.players[e.player]
    by = ", ".join(f"{k}: {number_text(v)}" for k, v in e.dominated_by.items())
    return (f"round {e.round}: {who} drops {e.action!r}, dominated by {{{by}}} "
            f"(margin {number_text(e.margin)})")


def layer_scores(game: games.Game, profile: tuple[int, ...],
                 text: bool = False) -> dict[str, dict[str, Any]]:
    """Each explicit layer's criteria at a pure profile, as numbers fit for JSON (or,
    with ``text``, as text; the default objective layer is the payoffs, shown already)."""
    out = {}
    for name, values in game.explicit_layers.items():
        criteria = game.criteria[name]
        convert = number_text if text else _json
        out[name] = {c: convert(values[(k, *profile)]) for k, c in enumerate(criteria)}
    return out


def _json(x: Any) -> Any:
    text = games.model.format_number(x)
    try:
        return int(text)
    except ValueError:
        return text if "/" in text else float(x)


def analyze(game: games.Game, status: Status | None = None,
            exact: bool | None = None) -> Analysis:
    """Classify the game, find its equilibria (pure ones completely, mixed ones as far
    as :func:`masalign.equilibria.find_equilibria` reaches), reduce it by dominance and
    assess the alignment of the equilibria found.

    Parameters
    ----------
    game : Game
    status : Status, optional
        Progress reporting.
    exact : bool, optional
        Keep exact arithmetic on an exact game of more than ``EXACT_MAX_PROFILES``
        profiles (default: analyse it in floating point, and say so).
    """
    status = Status(enabled=False) if status is None else status
    notes = []
    work = game
    if game.exact and game.n_profiles > EXACT_MAX_PROFILES and not exact:
        work = game.to_float()
        notes.append(f"the exact payoffs are analysed in floating point ({game.n_profiles} "
                     f"profiles: exact arithmetic would take minutes; --exact insists)")
    status.set("classifying the game")
    setting = games.classify(work)
    status.set("eliminating dominated strategies")
    mixed = work.n_profiles <= MIXED_DOMINANCE_MAX_PROFILES
    reduction = games.eliminate_dominated(work, mixed=mixed)
    search = find_equilibria(work, reduction, status)
    status.set("assessing alignment")
    alignment = pareto.alignment_report(work, equilibria=list(search.equilibria))
    alignment = dataclasses.replace(alignment, equilibria_complete=search.complete)
    pure = games.EquilibriumSet([e for e in search.equilibria if e.is_pure], method="pure",
                                complete=True, game=work)
    return Analysis(game=game, setting=setting, equilibria=pure, reduction=reduction,
                    alignment=alignment, search=search, notes=tuple(notes))
