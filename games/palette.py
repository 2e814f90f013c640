"""The colour-blind-safe palette of every figure: Okabe & Ito's eight colours.

A figure never reuses a colour for two different things: :func:`line_styles` gives, for
more series than colours, the colours again with another line style and marker, so that
no (colour, line style) pair repeats.

Reference: Okabe, M., Ito, K. (2008). Color universal design (CUD): how to make figures
and presentations that are friendly to colorblind people. https://jfly.uni-koeln.de/color/
"""

from __future__ import annotations

from games.arguments import check_integer
from games.errors import InvalidArgumentError

__all__ = ["COLOURS", "colour", "SEQUENTIAL_MAP", "LINE_STYLES", "MARKERS", "line_styles"]

#: Blue, orange, bluish green, vermillion, reddish purple, sky blue, yellow, black.
COLOURS = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442",
           "#000000")

#: Line styles taken in turn once every colour has been used (solid first).
LINE_STYLES = ("-", "--", ":", "-.")

#: One marker per line style, so that the styles stay apart in black and white too.
MARKERS = ("", "o", "s", "^")

#: A perceptually uniform colour map readable with every colour-vision deficiency.
SEQUENTIAL_MAP = "cividis"


def colour(k: int) -> str:
    """The ``k``-th colour of :data:`COLOURS` (cycling)."""
    return COLOURS[k % len(COLOURS)]


def line_styles(n: int) -> list[dict[str, str]]:
    """``n`` distinct line styles as matplotlib keyword arguments (``color``,
    ``linestyle``, ``marker``): series ``k`` gets colour ``k mod 8`` and line style and
    marker ``k div 8``, so no (colour, line style) pair repeats for up to
    ``8 * 4 = 32`` series.

    Examples
    --------
    >>> [(s["color"], s["linestyle"]) for s in line_styles(9)][7:]
    [('#000000', '-'), ('#0072B2', '--')]
    """
    n = check_integer(n, "n", minimum=0)
    limit = len(COLOURS) * len(LINE_STYLES)
    if n > limit:
        raise InvalidArgumentError(f"n: expected at most {limit} series (distinct colour and "
                                   f"line style pairs), found {n}")
    return [{"color": COLOURS[k % len(COLOURS)],
             "linestyle": LINE_STYLES[k // len(COLOURS)],
             "marker": MARKERS[k // len(COLOURS)]} for k in range(n)]
