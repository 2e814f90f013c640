"""The colour-blind-safe palette of every figure: Okabe & Ito's eight colours.

Reference: Okabe, M., Ito, K. (2008). Color universal design (CUD): how to make figures
and presentations that are friendly to colorblind people. https://jfly.uni-koeln.de/color/
"""

from __future__ import annotations

__all__ = ["COLOURS", "colour", "SEQUENTIAL_MAP"]

#: Blue, orange, bluish green, vermillion, reddish purple, sky blue, yellow, black.
COLOURS = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442",
           "#000000")

#: A perceptually uniform colour map readable with every colour-vision deficiency.
SEQUENTIAL_MAP = "cividis"


def colour(k: int) -> str:
    """The ``k``-th colour of :data:`COLOURS` (cycling)."""
    return COLOURS[k % len(COLOURS)]
