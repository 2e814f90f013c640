"""Normal-form and repeated games: the model, file formats, the catalogue and solvers.

The one data model is :class:`Game`; every solver returns result objects that carry their
certificate (the largest gain from a unilateral deviation) and were verified before they
were returned.
"""

from games.errors import (FormatError, GameError, GameTooLargeError, InvalidGameError,
                          SolverError)
from games.model import STANDARD_LAYERS, Game, check_game_size
from games.results import Equilibrium, EquilibriumSet

__all__ = [
    "Game", "Equilibrium", "EquilibriumSet", "STANDARD_LAYERS", "check_game_size",
    "GameError", "InvalidGameError", "GameTooLargeError", "FormatError", "SolverError",
]
