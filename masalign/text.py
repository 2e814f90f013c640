"""Text for people: exact numbers as decimals where they are decimals, and payoff tables
that stay small."""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import numpy as np

import games
from games.model import format_number

__all__ = ["number_text", "payoff_table", "TABLE_MAX_PROFILES", "TABLE_MAX_CELLS",
           "table_is_small"]

#: Longest exact text shown as it is; longer values are shown rounded, with a "~".
MAX_EXACT_CHARS = 24
#: A game with more profiles than this has its payoff table shown only on request.
TABLE_MAX_PROFILES = 64
#: A two-player table with more cells (rows x columns) than this is shown only on request.
TABLE_MAX_CELLS = 100


def number_text(x: Any) -> str:
    """A number as a person reads it: integers as they are; exact fractions whose
    denominator is ``2^a 5^b`` as the finite decimal they are (``0.625``), others as
    ``p/q``; floats with 6 significant digits. Exact text longer than
    ``MAX_EXACT_CHARS`` characters is rounded and marked ``~``.

    Examples
    --------
    >>> from fractions import Fraction
    >>> number_text(Fraction(778299834508757, 1250000000000000))
    '0.6226398676070056'
    >>> number_text(Fraction(-5, 8)), number_text(Fraction(1, 3)), number_text(3)
    ('-0.625', '1/3', '3')
    """
    if isinstance(x, (int, np.integer)) and not isinstance(x, bool):
        return str(int(x))
    if not isinstance(x, Fraction):
        return format_number(x)
    if x.denominator == 1:
        text = str(x.numerator)
    else:
        text = _decimal(x) or f"{x.numerator}/{x.denominator}"
    if len(text) > MAX_EXACT_CHARS:
        return f"~{float(x):.10g}"
    return text


def _decimal(x: Fraction) -> str | None:
    """The finite decimal expansion of ``x``, or None when it has none."""
    d, twos, fives = x.denominator, 0, 0
    while d % 2 == 0:
        d, twos = d // 2, twos + 1
    while d % 5 == 0:
        d, fives = d // 5, fives + 1
    if d != 1:
        return None
    places = max(twos, fives)
    if places > 4 * MAX_EXACT_CHARS:    # too long to show anyway
        return None
    scaled = abs(x.numerator) * 10**places // x.denominator
    digits = str(scaled).rjust(places + 1, "0")
    sign = "-" if x < 0 else ""
    return f"{sign}{digits[:-places]}.{digits[-places:]}"


def table_is_small(game: games.Game) -> bool:
    """Whether the payoff table is small enough to print by default."""
    if game.n_players == 2:
        return game.shape[0] * game.shape[1] <= TABLE_MAX_CELLS
    return game.n_profiles <= TABLE_MAX_PROFILES


def _cell(game: games.Game, profile: tuple[int, ...]) -> str:
    return ", ".join(number_text(game.payoffs[(i, *profile)]) for i in range(game.n_players))


def payoff_table(game: games.Game, max_rows: int | None = None) -> str:
    """The payoff table (a bimatrix for two players, else one row a profile), numbers
    by :func:`number_text`; at most ``max_rows`` rows (default: all)."""
    lines = []
    if game.n_players == 2:
        rows, cols = game.shape
        shown = rows if max_rows is None else min(rows, max_rows)
        table = [[f"{game.players[0]} \\ {game.players[1]}", *game.actions[1]]]
        for r in range(shown):
            table.append([game.actions[0][r]] + [_cell(game, (r, c)) for c in range(cols)])
        widths = [max(len(row[k]) for row in table) for k in range(len(table[0]))]
        lines += ["  ".join(cell.rjust(w) for cell, w in zip(row, widths)) for row in table]
        if shown < rows:
            lines.append(f"... {rows - shown} more rows")
        return "\n".join(lines)
    table = [[*game.players, "payoffs"]]
    for k, profile in enumerate(np.ndindex(*game.shape)):
        if max_rows is not None and k == max_rows:
            break
        table.append([game.actions[i][a] for i, a in enumerate(profile)]
                     + [f"({_cell(game, profile)})"])
    widths = [max(len(row[c]) for row in table) for c in range(len(table[0]))]
    lines += ["  ".join(c.ljust(w) for c, w in zip(row, widths)).rstrip() for row in table]
    if len(table) - 1 < game.n_profiles:
        lines.append(f"... {game.n_profiles - len(table) + 1} more profiles")
    return "\n".join(lines)
