"""The house style of a figure, read from its artists (STYLE.md, DESIGN.md).

Every axes labelled on x and y (axes drawn with their axis turned off, such as a simplex
or a graph, are the exception), titles from names (no repr: no ``<`` and no
``object at 0x``), colours from the colour-blind-safe palette :mod:`games.palette` (or
greys, for references) and no two series of one axes drawn in the same colour and line
style. Shared by tests/test_display.py (every library ``plot()``) and tests/papers/ (the
reproductions' figures).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from games.palette import COLOURS

__all__ = ["PALETTE", "figure_of", "hex_colour", "neutral", "series", "series_colours",
           "check_style", "check_colours_unique"]

#: The palette's colours as upper-case hex strings.
PALETTE = {c.upper() for c in COLOURS}


def figure_of(drawn: Any) -> Any:
    """The Figure behind what ``plot()`` returned (a Figure, an Axes or an array of them)."""
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    if isinstance(drawn, Figure):
        return drawn
    if isinstance(drawn, Axes):
        return drawn.figure
    first = np.ravel(np.asarray(drawn, dtype=object))[0]
    return first if isinstance(first, Figure) else first.figure


def hex_colour(c: Any) -> str:
    """A matplotlib colour as an upper-case ``#RRGGBB`` string (alpha dropped)."""
    from matplotlib.colors import to_hex

    return to_hex(c).upper()


def neutral(c: str) -> bool:
    """A grey (black and white included): references and backgrounds, not series."""
    return c[1:3] == c[3:5] == c[5:7]


def series(ax: Any) -> list[tuple[str, str, tuple[str, ...]]]:
    """The labelled series of an axes (the ones a legend names): label, line style and
    colours (one for a line, the distinct face colours of a collection)."""
    out = []
    for line in ax.get_lines():
        if not line.get_label().startswith("_"):
            out.append((line.get_label(), str(line.get_linestyle()),
                        (hex_colour(line.get_color()),)))
    for coll in ax.collections:
        if coll.get_label().startswith("_") or coll.get_array() is not None:
            continue                                      # colour-mapped: a scale, not a series
        faces = coll.get_facecolor()
        colours = tuple(sorted({hex_colour(c) for c in faces})) if len(faces) else \
            tuple(sorted({hex_colour(c) for c in coll.get_edgecolor()}))
        out.append((coll.get_label(), "collection", colours))
    return out


def series_colours(ax: Any) -> list[str]:
    """The palette colours (greys left out) of an axes' labelled series, one entry per
    series and colour: a colour listed twice is a colour reused."""
    return [c for (_, _, colours) in series(ax) for c in colours if not neutral(c)]


def check_style(fig: Any, name: str) -> None:
    """The house style of one figure (see the module's docstring)."""
    titles = [fig._suptitle.get_text()] if fig._suptitle is not None else []
    for ax in fig.axes:
        titles += [ax.get_title(loc) for loc in ("left", "center", "right")]
        if not ax.axison or ax.get_label() == "<colorbar>":
            continue                                      # simplex, graph or colour bar
        shared_y = [o for o in ax.get_shared_y_axes().get_siblings(ax) if o is not ax]
        assert ax.get_xlabel(), f"{name}: an axes without an x label"
        assert ax.get_ylabel() or any(o.get_ylabel() for o in shared_y), \
            f"{name}: an axes without a y label"
        seen: dict[Any, str] = {}
        for (label, style, colours) in series(ax):
            for c in colours:
                assert c in PALETTE or neutral(c), f"{name}: {label!r} in {c}, off the palette"
            key = (style, colours)
            assert key not in seen or seen[key] == label, \
                f"{name}: {seen.get(key)!r} and {label!r} share colour {colours} and style"
            seen[key] = label
    for t in titles:
        assert "<" not in t and "object at 0x" not in t, f"{name}: title {t!r} is a repr"


def check_colours_unique(fig: Any, name: str) -> None:
    """No palette colour names two labelled series of one axes (greys, for references,
    left out): the stricter rule of a figure with at most eight series per axes."""
    for ax in fig.axes:
        colours = series_colours(ax)
        assert len(colours) == len(set(colours)), \
            f"{name}: {ax.get_title()!r} reuses a colour: {colours}"
