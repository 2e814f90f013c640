"""A self-contained HTML report: one page holding a game, its setting and its certified
equilibria, the Pareto frontiers between the objective, value and preference layers, the
alignment report and the mechanism comparison (static, and dynamic under a short learning
run); for a testbed scenario also the testbed rows, the alignment trajectories and the
Shapley attribution of what misalignment remains.

Nothing on the page is fetched: figures are SVG (text drawn as paths, so no font is
needed) in ``data:`` URIs, the style sheet is inline, and there is no script. Every table
has a header row (``<th scope="col">``), every figure an ``alt`` text, and the page has a
table of contents (``<nav>``) linking sections by id. The same content is data:
:meth:`Report.to_dict` (figures as their alt text and caption).
"""

from __future__ import annotations

import base64
import html
import io
import math
import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Any

import numpy as np

import games
import mechanisms
import pareto
from games.errors import GameError, InvalidArgumentError
from games.io import atomic_write_bytes
from games.learning import QLearning
from games.palette import line_styles
from masalign.progress import Status
from masalign.report import Analysis, analyze, elimination_text
from masalign.text import number_text, table_is_small
from mechanisms.base import jsonable
from mechanisms.evaluation import check_dynamics, disagreement, disagrees
from pareto.frontier import outcome_labels

__all__ = ["Report", "Block", "Section", "Paragraph", "Heading", "Items", "Table", "Figure",
           "game_report", "scenario_report", "testbed_report", "report_html",
           "default_mechanisms", "default_dynamics", "check_output_path", "trajectories_plot",
           "STYLE",
           "SHOWN_ROWS"]

#: Rows of a long table shown on the page (the JSON has them all).
SHOWN_ROWS = 40

#: The page's style sheet, every rule scoped to ``.masalign-report`` so that the same
#: markup can sit inside a notebook without restyling it. Tables scroll sideways in their
#: wrapper and images shrink to the column on a narrow (phone-width) screen.
STYLE = """
.masalign-report{font-family:system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",
Arial,sans-serif;line-height:1.5;color:#1a1a1a;background:#fff;max-width:72rem;
margin:0 auto;padding:1rem 1.5rem 3rem;overflow-wrap:break-word}
.masalign-report h1{font-size:1.6rem;line-height:1.25;margin:.5rem 0}
.masalign-report h2{font-size:1.3rem;border-bottom:2px solid #0072B2;padding-bottom:.2rem;
margin-top:2.2rem}
.masalign-report h3{font-size:1.05rem;margin-top:1.4rem}
.masalign-report nav{background:#f3f6f9;border:1px solid #d5dde5;border-radius:6px;
padding:.6rem 1rem}
.masalign-report nav h2{font-size:1rem;border:0;margin:0 0 .3rem}
.masalign-report nav ol{margin:0;padding-left:1.4rem;columns:2 16rem}
.masalign-report a{color:#005a8c}
.masalign-report .table-wrap{overflow-x:auto;max-width:100%;margin:.8rem 0;
-webkit-overflow-scrolling:touch}
.masalign-report table{border-collapse:collapse;font-size:.9rem;
font-variant-numeric:tabular-nums;min-width:min(100%,28rem)}
.masalign-report caption{text-align:left;font-weight:600;padding:.3rem 0;caption-side:top}
.masalign-report th,.masalign-report td{border:1px solid #d0d7de;padding:.25rem .5rem;
text-align:left;vertical-align:top}
.masalign-report thead th{background:#eef2f6}
.masalign-report tbody th{font-weight:500;background:#f8fafc}
.masalign-report figure{margin:1rem 0}
.masalign-report img{max-width:100%;height:auto;display:block}
.masalign-report figcaption{font-size:.88rem;color:#444;margin-top:.3rem}
.masalign-report .verdict{border-left:4px solid #009E73;background:#f1faf6;
padding:.4rem .8rem}
.masalign-report .note{color:#555;font-size:.9rem}
.masalign-report .meta{color:#555}
@media (max-width:40rem){
.masalign-report{padding:.6rem .7rem 2rem;font-size:.95rem}
.masalign-report h1{font-size:1.3rem}
.masalign-report nav ol{columns:1}
.masalign-report table{font-size:.82rem}
}
"""

esc = html.escape


# ---------------------------------------------------------------------------------------
# The blocks of a page


class Block:
    """A part of a page: shown in a notebook as it is on the page."""

    def to_html(self) -> str:
        raise NotImplementedError

    def _repr_html_(self) -> str:
        return self.to_html()


@dataclass(frozen=True)
class Paragraph(Block):
    """A paragraph of text; ``kind`` is ``"text"``, ``"verdict"`` or ``"note"``."""

    text: str
    kind: str = "text"

    def to_dict(self) -> dict[str, Any]:
        return {"type": "paragraph", "kind": self.kind, "text": self.text}

    def to_html(self) -> str:
        css = "" if self.kind == "text" else f' class="{esc(self.kind)}"'
        return f"<p{css}>{esc(self.text)}</p>"


@dataclass(frozen=True)
class Heading(Block):
    """A sub-heading inside a section."""

    text: str

    def to_dict(self) -> dict[str, Any]:
        return {"type": "heading", "text": self.text}

    def to_html(self) -> str:
        return f"<h3>{esc(self.text)}</h3>"


@dataclass(frozen=True)
class Items(Block):
    """A bulleted list."""

    items: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"type": "list", "items": list(self.items)}

    def to_html(self) -> str:
        return "<ul>" + "".join(f"<li>{esc(i)}</li>" for i in self.items) + "</ul>"


@dataclass(frozen=True)
class Table(Block):
    """A table with a header row; with ``row_headers`` the first cell of each row
    names the row (``<th scope="row">``). At most ``SHOWN_ROWS`` rows are drawn on the
    page; :meth:`to_dict` keeps them all."""

    caption: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    row_headers: bool = True

    def __post_init__(self) -> None:
        for row in self.rows:
            if len(row) != len(self.columns):
                raise InvalidArgumentError(f"rows: expected {len(self.columns)} cells a row "
                                           f"(columns {self.columns}), found {row!r}")

    def to_dict(self) -> dict[str, Any]:
        return {"type": "table", "caption": self.caption, "columns": list(self.columns),
                "rows": [list(r) for r in self.rows]}

    def to_html(self) -> str:
        head = "".join(f'<th scope="col">{esc(c)}</th>' for c in self.columns)
        body = []
        for row in self.rows[:SHOWN_ROWS]:
            cells = []
            for k, cell in enumerate(row):
                if k == 0 and self.row_headers:
                    cells.append(f'<th scope="row">{esc(cell)}</th>')
                else:
                    cells.append(f"<td>{esc(cell)}</td>")
            body.append("<tr>" + "".join(cells) + "</tr>")
        more = ""
        if len(self.rows) > SHOWN_ROWS:
            more = (f'<p class="note">{len(self.rows) - SHOWN_ROWS} more rows are in the '
                    f"JSON (--json).</p>")
        return (f'<div class="table-wrap" role="region" aria-label="{esc(self.caption)}" '
                f'tabindex="0"><table><caption>{esc(self.caption)}</caption><thead><tr>'
                f"{head}</tr></thead><tbody>{''.join(body)}</tbody></table></div>{more}")


@dataclass(frozen=True)
class Figure(Block):
    """A figure drawn as SVG, shown as an ``<img>`` with a ``data:`` URI and alt text."""

    alt: str
    caption: str
    svg: bytes = field(repr=False)

    def to_dict(self) -> dict[str, Any]:
        return {"type": "figure", "alt": self.alt, "caption": self.caption}

    def to_html(self) -> str:
        data = base64.b64encode(self.svg).decode("ascii")
        return (f'<figure><img src="data:image/svg+xml;base64,{data}" alt="{esc(self.alt)}" '
                f'loading="eager"><figcaption>{esc(self.caption)}</figcaption></figure>')



def draw(plot: Callable[[], Any], alt: str, caption: str) -> Block:
    """A :class:`Figure` from ``plot()`` (returning a matplotlib Figure or Axes), saved
    as SVG with its text as paths (no fonts to fetch); without matplotlib, a note."""
    try:
        import matplotlib
        import matplotlib.pyplot as plt
    except ImportError:  # pragma: no cover - depends on the environment
        return Paragraph(f"Figure not drawn ({alt}): plotting needs matplotlib: pip install "
                         f"'masalign[plot]'", kind="note")
    with matplotlib.rc_context({"svg.fonttype": "path", "svg.hashsalt": "masalign"}):
        drawn = plot()
        fig = drawn if hasattr(drawn, "savefig") else drawn.figure
        buffer = io.BytesIO()
        try:
            fig.savefig(buffer, format="svg", bbox_inches="tight", metadata={"Date": None})
        finally:
            plt.close(fig)
    return Figure(alt, caption, buffer.getvalue())


@dataclass(frozen=True)
class Section(Block):
    """A titled part of the page (``id`` is its anchor)."""

    id: str
    title: str
    blocks: tuple[Block, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "title": self.title,
                "blocks": [b.to_dict() for b in self.blocks]}

    def to_html(self) -> str:
        body = "".join(b.to_html() for b in self.blocks)
        return (f'<section id="{esc(self.id)}" aria-labelledby="{esc(self.id)}-title">'
                f'<h2 id="{esc(self.id)}-title">{esc(self.title)}</h2>{body}</section>')


@dataclass(frozen=True, eq=False)
class Report:
    """A report page: sections of text, tables and figures, and the results behind them.

    Attributes
    ----------
    title : str
    summary : str
        One paragraph under the title (the verdict).
    sections : tuple of Section
    results : dict
        The results shown, as their ``to_dict()`` (JSON-able).
    """

    title: str
    summary: str
    sections: tuple[Section, ...]
    results: dict[str, Any] = field(default_factory=dict, repr=False)

    @property
    def section_ids(self) -> tuple[str, ...]:
        return tuple(s.id for s in self.sections)

    def section(self, id: str) -> Section:
        """The section with anchor ``id``."""
        for s in self.sections:
            if s.id == id:
                return s
        raise InvalidArgumentError(f"id: expected one of {self.section_ids}, found {id!r}")

    def to_dict(self) -> dict[str, Any]:
        return {"title": self.title, "summary": self.summary,
                "generator": f"masalign {games.__version__}",
                "sections": [s.to_dict() for s in self.sections],
                "results": jsonable(self.results)}

    def body_html(self) -> str:
        """The page's content with its style sheet, in one ``<div>`` (what a notebook
        shows)."""
        toc = "".join(f'<li><a href="#{esc(s.id)}">{esc(s.title)}</a></li>'
                      for s in self.sections)
        sections = "".join(s.to_html() for s in self.sections)
        return (f'<div class="masalign-report"><style>{STYLE}</style><header><h1>'
                f'{esc(self.title)}</h1><p class="meta">Written by masalign '
                f"{esc(games.__version__)}.</p><p class=\"verdict\">{esc(self.summary)}</p>"
                f'</header><nav aria-label="Contents"><h2>Contents</h2><ol>{toc}</ol></nav>'
                f"<main>{sections}</main></div>")

    def to_html(self) -> str:
        """The whole page: one self-contained HTML document (UTF-8)."""
        return ("<!DOCTYPE html>\n"
                '<html lang="en"><head><meta charset="utf-8">'
                '<meta name="viewport" content="width=device-width, initial-scale=1">'
                f'<meta name="generator" content="masalign {esc(games.__version__)}">'
                f"<title>{esc(self.title)}</title></head><body>{self.body_html()}</body>"
                "</html>\n")

    def _repr_html_(self) -> str:
        return self.body_html()

    def __repr__(self) -> str:
        return f"Report({self.title!r}, sections {list(self.section_ids)})"

    def save(self, path: str | os.PathLike) -> Path:
        """Write the page to ``path`` atomically (:func:`games.io.atomic_write_bytes`);
        returns the path."""
        check_output_path(path)
        atomic_write_bytes(path, self.to_html().encode("utf-8"))
        return Path(path)


def check_output_path(path: Any, option: str = "path") -> Path:
    """Refuse a target the page cannot be written to, before any work: a directory, a
    missing or unwritable directory."""
    if not isinstance(path, (str, os.PathLike)) or not str(path):
        raise InvalidArgumentError(f"{option}: expected a file name, found {path!r}")
    target = Path(path)
    if target.is_dir():
        raise InvalidArgumentError(f"{option}: {str(target)!r} is a directory; expected a "
                                   f"file name such as report.html")
    folder = target.parent
    if not folder.is_dir():
        raise InvalidArgumentError(f"{option}: the directory {str(folder)!r} does not exist "
                                   f"(for {str(target)!r})")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise InvalidArgumentError(f"{option}: the directory {str(folder)!r} is not writable "
                                   f"(for {str(target)!r})")
    return target


# ---------------------------------------------------------------------------------------
# Numbers and names


def show(x: Any) -> str:
    """A cell: numbers as :func:`masalign.text.number_text` (floats to 4 digits), None as
    "-", booleans as yes/no, lists joined."""
    if x is None:
        return "-"
    if isinstance(x, (bool, np.bool_)):
        return "yes" if x else "no"
    if isinstance(x, (float, np.floating)):
        return f"{float(x):.4g}"
    if isinstance(x, (int, np.integer, Fraction)):
        return number_text(x)
    if isinstance(x, (list, tuple)):
        return "; ".join(show(v) for v in x) if x else "-"
    return str(x)


def _holistic(flag: bool | None) -> str:
    return "n/a (no value layer)" if flag is None else "yes" if flag else "no"


def _title(game: Any) -> str:
    return getattr(game, "title", "") or "game"


def _joined(names: Sequence[str]) -> str:
    names = list(names)
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


# ---------------------------------------------------------------------------------------
# The sections of a game


def _game_section(analysis: Analysis) -> Section:
    g = analysis.game
    blocks: list[Block] = [
        Paragraph(f"{g.n_players} players, {' x '.join(map(str, g.shape))} actions "
                  f"({g.n_profiles} outcomes); payoffs "
                  f"{'exact (fractions)' if g.exact else 'in floating point'}."),
        Table("Players and their actions", ("player", "actions"),
              tuple((p, ", ".join(a)) for p, a in zip(g.players, g.actions)))]
    if table_is_small(g):
        blocks.append(_payoff_table(g))
    else:
        blocks.append(Paragraph(f"The payoff table ({g.n_profiles} outcomes) is in the JSON "
                                f"(--json).", kind="note"))
    layers = [(name, ", ".join(g.criteria[name])) for name in g.explicit_layers]
    if layers:
        blocks.append(Table("Evaluation layers (alignment is measured on them; agents "
                            "respond to the payoffs)", ("layer", "criteria"), tuple(layers)))
    else:
        blocks.append(Paragraph("No evaluation layer: the objective is the payoffs, and "
                                "values are not measured.", kind="note"))
    blocks += [Paragraph(f"Note: {n}", kind="note") for n in analysis.notes]
    return Section("game", "The game", tuple(blocks))


def _payoff_table(g: games.Game) -> Table:
    def cell(profile: tuple[int, ...]) -> str:
        return ", ".join(number_text(g.payoffs[(i, *profile)]) for i in range(g.n_players))

    if g.n_players == 2:
        rows = tuple((g.actions[0][r], *(cell((r, c)) for c in range(g.shape[1])))
                     for r in range(g.shape[0]))
        return Table(f"Payoffs ({g.players[0]}, {g.players[1]}): rows {g.players[0]}, "
                     f"columns {g.players[1]}",
                     (f"{g.players[0]} \\ {g.players[1]}", *g.actions[1]), rows)
    rows = tuple((", ".join(g.actions[i][a] for i, a in enumerate(p)), cell(p))
                 for p in np.ndindex(*g.shape))
    return Table(f"Payoffs ({', '.join(g.players)})", ("outcome", "payoffs"), rows)


def _setting_section(analysis: Analysis) -> Section:
    s, r = analysis.setting, analysis.reduction
    dims = " x ".join(map(str, r.original.shape))
    left = " x ".join(map(str, r.game.shape))
    how = "" if r.mixed else " (by pure strategies only: the game is large)"
    blocks: list[Block] = [
        Paragraph(f"Setting: {s.kind} (payoff correlation index {s.index:+.3f})."),
        Items(tuple(s.reasons)),
        Heading("Iterated elimination of strictly dominated strategies"),
        Paragraph(f"{dims} -> {left}{how}"
                  f"{': dominance solvable' if r.solved else ''}.")]
    if r.order:
        blocks.append(Items(tuple(elimination_text(e, r.original) for e in r.order)))
    return Section("setting", "Setting and dominance", tuple(blocks))


def _equilibria_section(analysis: Analysis) -> Section:
    a, search = analysis.alignment, analysis.search
    axes = a.axes
    rows = []
    assessed = a.sources or list(search.equilibria)   # in the order of a.equilibria
    for k, (e, q) in enumerate(zip(assessed, a.equilibria)):
        kind = ("pure, strict" if e.strict else "pure, weak") if e.is_pure else "mixed"
        rows.append((str(k + 1), q.label, kind, ", ".join(f"{float(p):.4g}" for p in q.payoffs),
                     number_text(e.regret), *(f"{q.scores[x]:.4g}" for x in axes)))
    blocks: list[Block] = [
        Paragraph(f"{len(search)} equilibri{'um' if len(search) == 1 else 'a'} by "
                  f"{search.method} ({search.completeness}). Each carries its certificate, "
                  f"the regret: the largest gain any player gets by deviating alone, "
                  f"recomputed from the payoffs (0 for an exact equilibrium)."),
        Table("Equilibria with their certificates and their scores on each layer",
              ("#", "strategies", "kind", "payoffs", "regret (certificate)",
               *(f"{x} score" for x in axes)), tuple(rows))]
    blocks += [Paragraph(f"Note: {n}", kind="note") for n in search.notes]
    return Section("equilibria", "Equilibria and certificates", tuple(blocks))


def _pareto_section(analysis: Analysis) -> Section:
    a = analysis.alignment
    axes = a.axes
    labels = outcome_labels(analysis.game)
    values = a.table.values
    front = np.flatnonzero(a.outcome_frontier)
    alt = (f"Scatter plots of the {len(labels)} outcomes of {_title(analysis.game)} on each "
           f"pair of the axes {_joined(axes)}: the {len(front)} Pareto-optimal outcomes "
           f"highlighted, {len(a.equilibria)} equilibri"
           f"{'um' if len(a.equilibria) == 1 else 'a'} marked with stars and "
           f"{len(a.holistic_outcomes)} holistically aligned outcome(s) ringed.")
    blocks: list[Block] = [
        Paragraph(f"Every outcome scored on {_joined(axes)} (all maximised; a layer's "
                  f"criteria scored by "
                  f"{', '.join(f'{k}: {v}' for k, v in a.table.rules.items())}). "
                  f"{len(front)} of {len(labels)} outcomes are Pareto-optimal across all "
                  f"axes."),
        draw(lambda: a.plot(kind="pairs"), alt,
             "Pareto frontiers between the layers: outcomes, the frontier across all axes, "
             "the equilibria and the holistically aligned outcomes."),
        Table("Pareto-optimal outcomes", ("outcome", *axes),
              tuple((labels[i], *(f"{values[i, k]:.4g}" for k in range(len(axes))))
                    for i in front))]
    return Section("pareto", "Pareto frontiers between the layers", tuple(blocks))


def _alignment_section(analysis: Analysis) -> Section:
    a = analysis.alignment
    t = a.table
    blocks: list[Block] = [Paragraph(analysis.verdict(), kind="verdict"),
                           Table("Range of each axis over the outcomes", ("axis", "min", "max"),
                                 tuple((x, f"{t.values[:, k].min():.4g}",
                                        f"{t.values[:, k].max():.4g}")
                                       for k, x in enumerate(a.axes)))]
    if a.thresholds:
        blocks.append(Table("Value thresholds (a holistically aligned outcome meets each)",
                            ("criterion", "threshold"),
                            tuple((k, f"{v:.4g}") for k, v in a.thresholds.items())))
    if not a.values_measured:
        blocks.append(Paragraph("Values not measured (no value layer): holistic alignment "
                                "is not judged.", kind="note"))
    word = {True: "yes", False: "no", None: "n/a"}
    rows = []
    for name, o in [*(("equilibrium", e) for e in a.equilibria), *a.highlights.items()]:
        violations = ", ".join(o.violations) or ("none" if a.values_measured else "n/a")
        rows.append((name, o.label, *(f"{o.scores[x]:.4g}" for x in a.axes),
                     word[o.pareto_optimal], violations, word[o.holistic]))
    blocks.append(Table("Equilibria and reference outcomes on every axis",
                        ("kind", "outcome", *a.axes, "Pareto-optimal", "value violations",
                         "holistically aligned"), tuple(rows)))
    if a.price is not None:
        p = a.price
        blocks.append(Paragraph(
            f"Price of anarchy {p.anarchy:.4g}, price of stability {p.stability:.4g} "
            f"({p.measure}: optimum {p.optimum:.4g} at ({p.optimal_outcome}), equilibria "
            f"{p.worst:.4g} to {p.best:.4g})."))
    elif a.price_note:
        blocks.append(Paragraph(f"Price of anarchy not defined: {a.price_note}", kind="note"))
    if a.values_measured:
        holistic = a.holistic_outcomes
        blocks.append(Paragraph(f"Holistically aligned outcomes (Pareto-optimal and within "
                                f"every value threshold): {len(holistic)}."))
        if holistic:
            blocks.append(Items(tuple(o.label for o in holistic)))
    return Section("alignment", "Alignment report", tuple(blocks))


# ---------------------------------------------------------------------------------------
# Mechanisms


def default_dynamics() -> mechanisms.Dynamics:
    """A short learning scenario for the dynamic verdict: Q-learners (Watkins 1989) play
    10,000 periods without the mechanism, then 10,000 with it; 4 sessions, seeded."""
    return mechanisms.Dynamics(QLearning(alpha=0.1, discount=0, beta=2e-4), periods=20_000,
                               sessions=4, seed=1, switch_on=10_000, name="Q-learning")


def default_mechanisms(game: games.Game, alignment: Any = None) -> dict[str, Any]:
    """Mechanisms that apply to any game, by label: redistribution and kinship (half the
    payoffs shared or weighed), with a value layer a third-party judge, and a contract on
    the best holistically aligned (else value-optimal) outcome whose damages exceed every
    deviation gain, which makes that outcome a strict equilibrium."""
    if game.n_players < 2:
        return {}
    out: dict[str, Any] = {"redistribution": mechanisms.Redistribution(Fraction(1, 2)),
                           "kinship": mechanisms.Kinship(Fraction(1, 2))}
    if "value" in game.layers:
        out["judge"] = mechanisms.ThirdPartyJudge(1)
    alignment = pareto.alignment_report(game) if alignment is None else alignment
    candidates = [*alignment.holistic_outcomes[:1], alignment.value_optimal,
                  alignment.objective_optimal]
    target = next((o for o in candidates if o is not None), None)
    if target is not None:
        labels = outcome_labels(game)
        profile = np.unravel_index(labels.index(target.label), game.shape)
        outcome = tuple(game.actions[i][a] for i, a in enumerate(profile))
        u = np.asarray(game.float_payoffs, dtype=np.float64)
        damages = int(math.floor(float(u.max() - u.min()))) + 1
        out["contract"] = mechanisms.Contract(outcome, damages=damages)
    return out


def _comparison(game: games.Game, chosen: Mapping[str, Any], dynamics: Any,
                status: Status) -> tuple[Any, list[str], list[str]]:
    """The comparison of the mechanisms that apply (each evaluated on its own, so that one
    that does not apply is named and left out), their labels, and the notes."""
    evaluations, labels, notes = [], [], []
    for label, m in chosen.items():
        status.set(f"evaluating the mechanism {label}")
        try:
            evaluations.append(mechanisms.evaluate(game, m, dynamics=dynamics))
            labels.append(label)
        except GameError as err:
            notes.append(f"{label} ({m!r}) left out: {err}")
    return mechanisms.Comparison(evaluations, tuple(labels)), labels, notes


def _mechanism_blocks(comparison: Any, labels: Sequence[str], notes: Sequence[str],
                      dynamic: bool) -> list[Block]:
    entries = comparison.entries
    blocks: list[Block] = [Heading("Static verdict (equilibria of the game with the "
                                   "mechanism)")]
    blocks.append(Table(
        "Mechanisms compared: is some equilibrium holistically aligned, and at what cost",
        ("mechanism", "definition", "holistically aligned equilibrium", "equilibria",
         "best value score", "cooperation", "operator's cost at equilibrium"),
        tuple((label, repr(r.mechanism), _holistic(r.holistic), str(r.equilibria),
               show(r.best_value), show(r.cooperation), show(r.cost))
              for label, r in zip(labels, entries))))
    blocks += [Paragraph(n, kind="note") for n in notes]
    if entries:
        blocks.append(draw(
            comparison.plot,
            f"Horizontal bar charts of the cooperation level and the best value score at an "
            f"equilibrium under each mechanism ({', '.join(comparison.labels)}); green bars "
            f"where some equilibrium is holistically aligned.",
            "Static comparison of the mechanisms."))
    if dynamic and any(r.dynamic for r in entries):
        blocks.append(Heading("Dynamic verdict (learners, mechanism switched on mid-run)"))
        rows = []
        for label, r in zip(labels, entries):
            for v in r.dynamic:
                rows.append((label, v.dynamics.label,
                             f"{v.dynamics.sessions} x {v.dynamics.periods}",
                             str(v.dynamics.switch_on), _holistic(r.holistic),
                             show(v.share_aligned), show(v.share_above_thresholds),
                             "never" if v.time_to_realign is None else str(v.time_to_realign),
                             f"{v.cost_per_period:.4g}",
                             "yes" if disagrees(r.holistic, v) else "no"))
        blocks.append(Table(
            "What learners do once each mechanism is switched on",
            ("mechanism", "dynamics", "sessions x periods", "switched on at period",
             "static verdict", "share ending holistically aligned",
             "share ending above every threshold", "periods to realign (median)",
             "operator's cost per period", "disagrees with the static verdict"),
            tuple(rows)))
        disagreeing = [disagreement(r.holistic, v, label) for label, r in zip(labels, entries)
                       for v in r.dynamic if disagrees(r.holistic, v)]
        if disagreeing:
            blocks.append(Paragraph("Where the static and dynamic verdicts disagree:"))
            blocks.append(Items(tuple(disagreeing)))
        else:
            blocks.append(Paragraph("The static and dynamic verdicts agree."))
    return blocks


def trajectories_plot(verdicts: Sequence[tuple[str, Any]]) -> Any:
    """One figure for several dynamic verdicts run under the same learning scenario: a
    panel per dimension (objective, value, preference...) with one line per mechanism,
    the mean score across sessions over periods, and a last panel with the share of
    sessions holistically aligned; thresholds dashed, the switch-on marked. Each
    mechanism keeps its colour and line style in every panel
    (:func:`games.palette.line_styles`). The session bands are in each verdict's own
    :meth:`mechanisms.DynamicVerdict.plot`. Returns the matplotlib Figure."""
    import matplotlib.pyplot as plt

    if not verdicts:
        raise InvalidArgumentError("verdicts: expected at least one (label, verdict) pair")
    first = verdicts[0][1]
    dimensions = list(dict.fromkeys(d for _, v in verdicts for d in v.trajectory.dimensions))
    holistic = any(v.trajectory.holistic_share is not None for _, v in verdicts)
    panels = len(dimensions) + holistic
    fig, axs = plt.subplots(1, panels, figsize=(3.6 * panels, 3.3), squeeze=False)
    axes = list(axs[0])
    styles = line_styles(len(verdicts))
    span = [np.inf, 0.0]
    for (label, v), style in zip(verdicts, styles):
        t = v.trajectory
        x = np.asarray(t.window_ends, dtype=np.float64)
        span = [min(span[0], x[0]), max(span[1], x[-1])]
        for k, d in enumerate(t.dimensions):
            axes[dimensions.index(d)].plot(x, t.mean[:, k], label=label, markevery=0.1,
                                           **style)
        if t.holistic_share is not None:
            axes[-1].plot(x, t.holistic_share, label=label, markevery=0.1, **style)
    thresholds = {(d, float(value)) for _, v in verdicts
                  for d, value in v.trajectory.thresholds.items()}
    for d, value in sorted(thresholds):
        axes[dimensions.index(d)].axhline(value, color="0.35", linestyle="--", linewidth=1,
                                          label="threshold")
    for d, ax in zip(dimensions, axes):
        ax.set_title(d, fontsize="medium")
        ax.set_ylabel(f"{d} score (mean over sessions)")
    if holistic:
        axes[-1].set_ylim(-0.02, 1.02)
        axes[-1].set_title("holistic alignment", fontsize="medium")
        axes[-1].set_ylabel("share of sessions")
    switch_on = max(first.dynamics.switch_on, 1)
    for ax in axes:
        ax.axvline(switch_on, color="0.2", linewidth=1, label="mechanism on")
        ax.set_xlabel("period")
        if span[1] / span[0] > 100:
            ax.set_xscale("log")
    handles, names = axes[-1].get_legend_handles_labels()
    for ax in axes[:-1]:  # a threshold drawn only in another panel
        for h, n in zip(*ax.get_legend_handles_labels()):
            if n not in names:
                handles.append(h)
                names.append(n)
    fig.suptitle(f"{first.trajectory.title or 'Alignment trajectories'}: "
                 f"{first.dynamics.label}", fontsize="medium")
    fig.tight_layout()
    fig.legend(handles, names, loc="upper center", bbox_to_anchor=(0.5, 0.0),
               ncol=min(len(names), 5), fontsize="small", frameon=False)
    return fig


def _trajectory_blocks(verdicts: Sequence[tuple[str, Any]]) -> list[Block]:
    """One figure per learning scenario with every mechanism's alignment trajectory
    (:func:`trajectories_plot`) and a table of the lasting threshold crossings."""
    blocks: list[Block] = []
    groups: list[list[tuple[str, Any]]] = []   # by learning scenario, in order
    for label, v in verdicts:
        group = next((g for g in groups if g[0][1].dynamics == v.dynamics), None)
        if group is None:
            groups.append([(label, v)])
        else:
            group.append((label, v))
    for group in groups:
        d = group[0][1].dynamics
        names = [label for label, _ in group]
        dims = list(dict.fromkeys(x for _, v in group for x in v.trajectory.dimensions))
        share = "" if all(v.trajectory.holistic_share is None for _, v in group) else \
            ", and a last panel with the share of sessions holistically aligned"
        blocks.append(draw(
            lambda group=group: trajectories_plot(group),
            f"Line charts over periods, one panel for each of {_joined(dims)}: the mean "
            f"score across {d.sessions} learning sessions under each of the "
            f"{len(group)} mechanisms ({_joined(names)}), one line style each, with the "
            f"thresholds dashed and the switch-on at period {d.switch_on} marked{share}.",
            f"Alignment trajectories under {d.label} ({d.sessions} sessions x {d.periods} "
            f"periods, mechanism switched on at period {d.switch_on}); each mechanism's "
            f"session bands are in its verdict's plot()."))
    drift = [(label, e.text()) for label, v in verdicts for e in v.trajectory.drift]
    if drift:
        blocks.append(Table("Lasting threshold crossings (drift events)",
                            ("mechanism", "event"), tuple(drift)))
    elif verdicts:
        blocks.append(Paragraph("No dimension crosses its threshold for good in these runs."))
    return blocks


# ---------------------------------------------------------------------------------------
# Reports


def _analysis_sections(analysis: Analysis) -> list[Section]:
    return [_game_section(analysis), _setting_section(analysis),
            _equilibria_section(analysis), _pareto_section(analysis),
            _alignment_section(analysis)]


def game_report(game: games.Game, mechanisms_to_compare: Mapping[str, Any] | None = None,
                dynamics: Any = "default", title: str | None = None,
                status: Status | None = None) -> Report:
    """The report of one game: its setting and certified equilibria
    (:func:`masalign.report.analyze`), the Pareto frontiers between its layers, the
    alignment report (:func:`pareto.alignment_report`) and the comparison of mechanisms
    (:func:`mechanisms.compare`), static and under a learning run.

    Parameters
    ----------
    game : Game
    mechanisms_to_compare : mapping label -> Mechanism, optional
        Default :func:`default_mechanisms`.
    dynamics : Dynamics, list of Dynamics, "default" or None
        The learning runs of the dynamic verdict (default :func:`default_dynamics`;
        None: static only).
    title : str, optional
    status : Status, optional
        Progress reporting.

    Examples
    --------
    >>> import games
    >>> r = game_report(games.catalog.prisoners_dilemma(), dynamics=None)
    >>> r.section_ids
    ('game', 'setting', 'equilibria', 'pareto', 'alignment', 'mechanisms')
    """
    if not isinstance(game, games.Game):
        raise InvalidArgumentError(f"game: expected a games.Game, found "
                                   f"{type(game).__name__}")
    if mechanisms_to_compare is not None:
        if not isinstance(mechanisms_to_compare, Mapping):
            raise InvalidArgumentError(f"mechanisms_to_compare: expected a mapping label -> "
                                       f"Mechanism, found {type(mechanisms_to_compare).__name__}")
        for label, m in mechanisms_to_compare.items():
            if not isinstance(label, str) or not label.strip() \
                    or not isinstance(m, mechanisms.Mechanism):
                raise InvalidArgumentError(f"mechanisms_to_compare[{label!r}]: expected a "
                                           f"non-empty label and a Mechanism, found {m!r}")
    if isinstance(dynamics, str) and dynamics == "default":
        dynamics = default_dynamics()
    check_dynamics(dynamics)
    if title is not None and not isinstance(title, str):
        raise InvalidArgumentError(f"title: expected a string or None, found {title!r}")
    status = Status(enabled=False) if status is None else status
    analysis = analyze(game, status=status)
    sections = _analysis_sections(analysis)
    chosen = default_mechanisms(game, analysis.alignment) if mechanisms_to_compare is None \
        else dict(mechanisms_to_compare)
    results: dict[str, Any] = {"analysis": analysis.to_dict()}
    if chosen:
        comparison, labels, notes = _comparison(game, chosen, dynamics, status)
        status.set("drawing the figures")
        blocks = _mechanism_blocks(comparison, labels, notes, dynamics is not None)
        if dynamics is not None:
            verdicts = [(label, v) for label, e in zip(labels, comparison.evaluations)
                        for v in e.dynamic_verdicts]
            if verdicts:
                blocks += [Heading("Alignment trajectories")] + _trajectory_blocks(verdicts)
        sections.append(Section("mechanisms", "Mechanism comparison", tuple(blocks)))
        results["mechanisms"] = dict(zip(labels, comparison.to_dict()["mechanisms"]))
    title = title or f"Alignment report: {_title(game)}"
    return Report(title, analysis.verdict(), tuple(sections), results)


def scenario_report(name: str, quick: bool = True, status: Status | None = None) -> Report:
    """The report of a testbed scenario (:mod:`mechanisms.testbed`): its game analysed as
    in :func:`game_report`, the testbed rows, the mechanisms compared statically and
    under the scenario's learning run (``quick``: its reduced one), the alignment
    trajectories and the Shapley attribution (:func:`pareto.attribution`) of the value
    loss left at the end of each run."""
    testbed = mechanisms.testbed
    s = testbed.scenario(name)
    status = Status(enabled=False) if status is None else status
    game = s.build()
    dynamics = s.quick if quick else s.dynamics
    markov = isinstance(game, games.MarkovGame)
    stage = game.stages[0] if markov else game
    criterion = s.value_criterion(game)
    about = [("misalignment", s.misalignment), ("value criterion", criterion),
             ("threshold", f"{s.value_threshold(game):.4g}"),
             ("aligned reference", "best outcome on the criterion" if s.reference is None
              else ", ".join(map(str, s.reference))),
             ("learning run", f"{dynamics.label}: {dynamics.sessions} sessions x "
                              f"{dynamics.periods} periods, mechanism on at period "
                              f"{dynamics.switch_on} ({'quick' if quick else 'full'} mode)"),
             ("mechanisms", ", ".join(s.labels())), ("source", s.source or "-")]
    blocks: list[Block] = [Table(f"Scenario {name}", ("field", "value"), tuple(about))]
    if s.notes:
        blocks.append(Paragraph(f"Note: {s.notes}", kind="note"))
    sections = [Section("scenario", f"Scenario: {name}", tuple(blocks))]
    results: dict[str, Any] = {"scenario": s.to_dict()}
    if markov:
        summary = (f"{s.misalignment}. A Markov game: the dynamic verdict only (the stage "
                   f"game of one state is not the game the learners play).")
        sections.append(Section("game", "The game", (
            Paragraph(f"A Markov game with {len(game.stages)} states; each stage is a "
                      f"{' x '.join(map(str, stage.shape))} game between "
                      f"{_joined(stage.players)}."),
            Paragraph("No static analysis: the equilibria of one state's stage game are not "
                      "those of the game the learners play, whose state moves with their "
                      "play.", kind="note"))))
    else:
        analysis = analyze(game, status=status)
        sections += _analysis_sections(analysis)
        summary = f"{s.misalignment}. {analysis.verdict()}"
        results["analysis"] = analysis.to_dict()

    # each mechanism learnt once: the testbed row and the verdicts shown are one run's
    rows, measured = [], []
    for label in s.labels():
        status.set(f"learning under {label} (testbed scenario {name})")
        row, found = testbed.measure(name, label, quick=quick, details=True)
        rows.append(row)
        measured.append(found)
    result = testbed.TestbedResult(tuple(rows), quick)
    results["testbed"] = result.to_dict()
    sections.append(Section("testbed", "Testbed rows", tuple(_testbed_blocks(result))))

    labels = s.labels()
    if markov:
        verdicts = list(zip(labels, measured))
        mech_blocks: list[Block] = [Table(
            "What learners do once each mechanism is switched on (no static verdict for a "
            "Markov game)",
            ("mechanism", "share ending holistically aligned",
             "share ending above every threshold", "periods to realign (median)",
             "operator's cost per period"),
            tuple((label, show(v.share_aligned), show(v.share_above_thresholds),
                   "never" if v.time_to_realign is None else str(v.time_to_realign),
                   f"{v.cost_per_period:.4g}") for label, v in verdicts))]
        results["dynamic"] = {label: v.to_dict() for label, v in verdicts}
    else:
        # the testbed's evaluations: on the scenario's yardstick, with its threshold
        comparison = mechanisms.Comparison(measured, tuple(labels))
        mech_blocks = [Paragraph(
            f"Each mechanism is judged as in the testbed rows: holistic alignment asks "
            f"Pareto optimality and {criterion} at or above its threshold "
            f"{s.value_threshold(game):.4g}, measured on the scenario's yardstick.",
            kind="note"), *_mechanism_blocks(comparison, labels, [], True)]
        verdicts = [(label, e.dynamic) for label, e in zip(labels, measured)]
        results["mechanisms"] = dict(zip(labels, comparison.to_dict()["mechanisms"]))
    sections.append(Section("mechanisms", "Mechanism comparison", tuple(mech_blocks)))
    status.set("drawing the figures")
    sections.append(Section("trajectories", "Alignment trajectories",
                            tuple(_trajectory_blocks(verdicts))))
    yardsticks = None if markov else [e.before.game for e in measured]
    sections.append(_attribution_section(s, game, verdicts, results, yardsticks))
    return Report(f"Testbed scenario: {name}", summary, tuple(sections), results)


def _attribution_section(s: Any, game: Any, verdicts: Sequence[tuple[str, Any]],
                         results: dict[str, Any],
                         yardsticks: Sequence[Any] | None = None) -> Section:
    """Who is responsible for the value loss left at each run's end (Shapley shares of
    the loss against the aligned reference, Shapley 1953), each run measured on its
    yardstick (the scenario's game as measured under that mechanism; default ``game``)."""
    if isinstance(game, games.MarkovGame):
        return Section("attribution", "Attribution", (Paragraph(
            "Not computed for a Markov game: the Shapley attribution reads one normal-form "
            "game.", kind="note"),))
    criterion = s.value_criterion(game)
    yardsticks = [game] * len(verdicts) if yardsticks is None else yardsticks
    references = [s.aligned_reference(y) for y in yardsticks]
    splits = [(label, pareto.attribution(y, v.run, r, layer="value", criterion=criterion))
              for (label, v), y, r in zip(verdicts, yardsticks, references)]
    results["attribution"] = {label: a.to_dict() for label, a in splits}
    if len(set(references)) == 1:
        actions = ", ".join(game.actions[i][a] for i, a in enumerate(references[0]))
        ref = f"the aligned reference ({actions})"
    else:
        ref = "the aligned reference of each mechanism's yardstick"
    blocks: list[Block] = [
        Paragraph(f"The loss on value: {criterion} at {ref} minus its "
                  f"score at the learners' last window, split between the players by their "
                  f"Shapley values (the shares sum to the loss)."),
        Table("Shapley shares of the value loss at the end of each run",
              ("mechanism", "loss", *game.players, "most responsible"),
              tuple((label, show(float(a.loss)), *(show(float(x)) for x in a.shares),
                     ", ".join(a.most_responsible()) or "-") for label, a in splits)),
        Items(tuple(f"{label}: {a.text()}" for label, a in splits))]
    worst = max(splits, key=lambda item: float(item[1].loss), default=None)
    if worst is not None and float(worst[1].loss) != 0:
        label, a = worst
        blocks.append(draw(
            a.plot,
            f"Bar chart of each player's Shapley share of the loss of {float(a.loss):.4g} "
            f"on {a.score_name} under {label}; "
            f"{', '.join(a.most_responsible()) or 'nobody'} the most responsible.",
            f"Attribution of the largest remaining loss (under {label})."))
    return Section("attribution", "Attribution of the remaining misalignment", tuple(blocks))


def _testbed_blocks(result: Any) -> list[Block]:
    blocks: list[Block] = [
        Table(f"Testbed ({'quick' if result.quick else 'full'} mode): one row per scenario "
              f"and mechanism", tuple(mechanisms.testbed.runner.COLUMNS), tuple(result.cells())),
        Paragraph("static: some equilibrium with the mechanism holistically aligned (n/a for "
                  "a Markov scenario); dyn. aligned: share of sessions ending holistically "
                  "aligned; misaligned: share ending with the value criterion below its "
                  "threshold; realign: median periods after the switch-on; value: the "
                  "criterion at the last window; cost/period: the operator's net payment "
                  "(negative: fines collected); most responsible: the largest Shapley share "
                  "of the value loss.", kind="note")]
    if result.rows:
        realigned = sum(r.realigns for r in result.rows)
        blocks.append(draw(
            result.plot,
            f"Horizontal bar chart of the share of sessions ending holistically aligned for "
            f"each of the {len(result.rows)} scenario and mechanism rows; {realigned} rows "
            f"realign (green).",
            "Share of sessions ending holistically aligned, per row."))
    disagreements = [f"{r.scenario}, {r.mechanism}: {d}" for r in result.rows
                     for d in r.disagreements]
    if disagreements:
        blocks += [Paragraph("Where the dynamic verdict contradicts the static one:"),
                   Items(tuple(disagreements))]
    return blocks


def testbed_report(result: Any) -> Report:
    """The testbed's table (:func:`mechanisms.testbed.run`) as a report page."""
    testbed = mechanisms.testbed
    if not isinstance(result, testbed.TestbedResult):
        raise InvalidArgumentError(f"result: expected a mechanisms.testbed.TestbedResult, "
                                   f"found {type(result).__name__}")
    names = list(dict.fromkeys(r.scenario for r in result.rows))
    about = []
    for n in names:
        try:
            s = testbed.scenario(n)
            about.append((n, s.misalignment, s.source or "-"))
        except InvalidArgumentError:  # unregistered since the run
            about.append((n, "-", "-"))
    realigned = sum(r.realigns for r in result.rows)
    summary = (f"{len(names)} scenario(s), {len(result.rows)} rows; {realigned} rows end "
               f"with most sessions holistically aligned.")
    sections = (Section("testbed", "Testbed rows", tuple(_testbed_blocks(result))),
                Section("scenarios", "Scenarios", (Table(
                    "The scenarios and the misalignment each shows",
                    ("scenario", "misalignment", "source"), tuple(about)),)))
    return Report("Misalignment testbed", summary, sections, {"testbed": result.to_dict()})


def report_html(source: Any, **options: Any) -> str:
    """The report page of ``source`` as HTML: a :class:`games.Game`, a testbed result, or
    the name of a testbed scenario (``scenario_report``); ``options`` go to the builder."""
    if isinstance(source, games.Game):
        return game_report(source, **options).to_html()
    if isinstance(source, str):
        return scenario_report(source, **options).to_html()
    if options:
        raise InvalidArgumentError(f"options: a testbed result's page takes none, found "
                                   f"{sorted(options)}")
    return testbed_report(source).to_html()
