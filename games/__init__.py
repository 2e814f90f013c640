"""Normal-form and repeated games: the model, file formats, the catalogue and solvers.

The one data model is :class:`Game`; every solver returns result objects that carry their
certificate (the largest gain from a unilateral deviation) and were verified before they
were returned.
"""

__version__ = "0.3.0"

from games import catalog, convert  # noqa: E402  (convert imports its libraries on call)
from games.catalog import covariance_game, random_game
from games.classify import Setting, classify
from games.errors import (
    FormatError,
    GameError,
    GameTooLargeError,
    InvalidArgumentError,
    InvalidGameError,
    SolverError,
)
from games.io import read_game, read_json, read_nfg, write_game, write_json, write_nfg
from games.markov import MarkovGame
from games.model import STANDARD_LAYERS, Game, check_game_size
from games.results import Equilibrium, EquilibriumSet
from games.solvers.correlated import CorrelatedEquilibrium, correlated_equilibrium
from games.solvers.dominance import eliminate_dominated
from games.solvers.lemke_howson import lemke_howson
from games.solvers.mixed import mixed_equilibria
from games.solvers.pure import pure_equilibria
from games.solvers.quantal import (
    QuantalResponse,
    QuantalResponseFit,
    QuantalResponsePath,
    fit_quantal_response,
    quantal_response,
    quantal_response_path,
)
from games.solvers.selection import (
    best_equilibrium,
    payoff_dominant,
    risk_dominant,
    welfare_maximising,
)
from games.solvers.stackelberg import StackelbergEquilibrium, stackelberg
from games.solvers.support_enumeration import DegenerateGameWarning, support_enumeration
from games.solvers.vertex_enumeration import all_equilibria, is_degenerate, maximal_nash_subsets
from games.solvers.zero_sum import (
    SecurityStrategies,
    ZeroSumSolution,
    security_strategies,
    solve_zero_sum,
)

__all__ = [
    "Game", "MarkovGame", "Equilibrium", "EquilibriumSet", "STANDARD_LAYERS", "check_game_size",
    "pure_equilibria", "eliminate_dominated", "classify", "Setting",
    "all_equilibria", "is_degenerate", "maximal_nash_subsets", "support_enumeration",
    "DegenerateGameWarning", "lemke_howson", "solve_zero_sum", "security_strategies",
    "ZeroSumSolution", "SecurityStrategies", "best_equilibrium", "payoff_dominant",
    "risk_dominant", "welfare_maximising",
    "correlated_equilibrium", "CorrelatedEquilibrium", "stackelberg", "StackelbergEquilibrium",
    "mixed_equilibria", "quantal_response", "quantal_response_path", "fit_quantal_response",
    "QuantalResponse", "QuantalResponsePath", "QuantalResponseFit", "dynamics",
    "catalog", "convert", "random_game", "covariance_game", "repeated", "evolution",
    "read_nfg", "write_nfg", "read_json", "write_json", "read_game", "write_game",
    "GameError", "InvalidGameError", "InvalidArgumentError", "GameTooLargeError", "FormatError",
    "SolverError",
]

# Larger packages load on first use, so that ``import games`` stays fast.
_LAZY_MODULES = ("repeated", "evolution", "dynamics", "symbolic", "bayesian", "parallel",
                 "learning", "signalling")


def __getattr__(name: str):
    if name in _LAZY_MODULES:
        import importlib

        module = importlib.import_module(f"games.{name}")
        globals()[name] = module
        return module
    raise AttributeError(f"module 'games' has no attribute {name!r}")
