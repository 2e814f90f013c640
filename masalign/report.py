"""The analysis of one game as a report: setting, pure equilibria with certificates and
their scores on every evaluation layer, and the dominance reduction."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import games
from games.model import format_number


@dataclass(frozen=True)
class Analysis:
    """What ``masalign analyze`` reports about a game."""

    game: games.Game
    setting: games.Setting
    equilibria: games.EquilibriumSet
    reduction: Any
    alignment: Any = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "game": self.game.to_dict(),
            "setting": self.setting.to_dict(),
            "pure_equilibria": self.equilibria.to_dict(),
            "layer_scores": [layer_scores(self.game, e.profile) for e in self.equilibria],
            "dominance": self.reduction.to_dict(),
            "alignment": None if self.alignment is None else self.alignment.to_dict(),
        }

    def to_text(self) -> str:
        g = self.game
        lines = [g.to_text(), ""]
        lines.append(f"Setting: {self.setting.kind} (payoff correlation index "
                     f"{self.setting.index:+.3f})")
        lines += [f"  - {reason}" for reason in self.setting.reasons]
        lines.append("")
        complete = "complete" if self.equilibria.complete else "not guaranteed complete"
        lines.append(f"Pure Nash equilibria: {len(self.equilibria)} ({complete})")
        for e in self.equilibria:
            names = ", ".join(e.action_names)
            pays = ", ".join(format_number(p) for p in e.payoffs)
            kind = "strict" if e.strict else "weak"
            lines.append(f"  ({names})  payoffs ({pays})  regret {format_number(e.regret)}  {kind}")
            for layer, scores in layer_scores(g, e.profile).items():
                text = ", ".join(f"{k} {v}" for k, v in scores.items())
                lines.append(f"      {layer}: {text}")
        if not self.equilibria:
            lines.append("  none: every equilibrium of this game is mixed")
        lines.append("")
        r = self.reduction
        dims = " x ".join(map(str, r.original.shape))
        left = " x ".join(map(str, r.game.shape))
        lines.append(f"Iterated elimination of strictly dominated strategies: {dims} -> {left}"
                     f"{' (dominance solvable)' if r.solved else ''}")
        lines += [f"  {e}" for e in r.order]
        if self.alignment is not None:
            lines += ["", self.alignment.to_text()]
        return "\n".join(lines)


def layer_scores(game: games.Game, profile: tuple[int, ...]) -> dict[str, dict[str, Any]]:
    """Each explicit layer's criteria at a pure profile, as numbers fit for text and JSON
    (the default objective layer is the payoffs, shown already)."""
    out = {}
    for name, values in game.explicit_layers.items():
        criteria = game.criteria[name]
        out[name] = {c: _json(values[(k, *profile)]) for k, c in enumerate(criteria)}
    return out


def _json(x: Any) -> Any:
    text = format_number(x)
    try:
        return int(text)
    except ValueError:
        return text if "/" in text else float(x)


def analyze(game: games.Game) -> Analysis:
    """Classify the game, find its pure equilibria and reduce it by dominance."""
    import pareto
    return Analysis(game=game, setting=games.classify(game),
                    equilibria=games.pure_equilibria(game),
                    reduction=games.eliminate_dominated(game),
                    alignment=pareto.alignment_report(game))
