"""The one exception family of the toolkit.

Every message names the offending field, the value found and what was expected, e.g.
``payoffs: expected finite numbers, found nan for player 2 at profile (1, 0)``.
"""


class GameError(Exception):
    """Base class of every error raised by masalign."""


class InvalidGameError(GameError, ValueError):
    """A game, profile or argument is malformed (wrong shape, NaN, bad names, ...)."""


class InvalidArgumentError(GameError, ValueError):
    """An argument that is not a game is malformed: points, a reference, a parameter, a rule."""


class GameTooLargeError(InvalidGameError, MemoryError):
    """The dense payoff array of a game would not fit in the memory allowed."""


class FormatError(GameError, ValueError):
    """A file is not in the expected format (with its line number where known)."""


class SolverError(GameError, RuntimeError):
    """A solver failed, or its answer did not pass verification."""
