"""Repeated games: automaton strategies, matches, tournaments, subgame perfection and the
equilibrium payoff set.

- :class:`Automaton`: a strategy as a finite automaton; :mod:`games.repeated.strategies`
  the classic catalogue (``TitForTat()``, ``WinStayLoseShift()``, ``ZDExtortion()``, ...).
- :func:`match` (closed form for deterministic pairs, a compiled loop otherwise) and
  :func:`expected_payoffs` (exact Markov-chain payoffs, finite, discounted or long-run).
- :func:`tournament`: round robin with a symmetric :meth:`~TournamentResult.meta_game`.
- :func:`is_subgame_perfect`, :func:`subgame_perfect_check`, :func:`critical_discount`.
- :func:`equilibrium_payoffs` (Abreu & Sannikov 2014) and :func:`feasible_payoffs`.
"""

from games.repeated import strategies
from games.repeated.automaton import Automaton
from games.repeated.matches import MatchResult, expected_payoffs, match
from games.repeated.payoff_set import (
                                       EquilibriumPayoffSet,
                                       PayoffPolygon,
                                       equilibrium_payoffs,
                                       feasible_payoffs,
                                       minmax_values,
)
from games.repeated.strategies import Strategy
from games.repeated.subgame_perfect import (
                                       SubgamePerfectCheck,
                                       critical_discount,
                                       is_subgame_perfect,
                                       subgame_perfect_check,
)
from games.repeated.tournaments import TournamentResult, tournament

__all__ = [
    "Automaton", "Strategy", "strategies",
    "match", "MatchResult", "expected_payoffs",
    "tournament", "TournamentResult",
    "is_subgame_perfect", "subgame_perfect_check", "SubgamePerfectCheck", "critical_discount",
    "equilibrium_payoffs", "feasible_payoffs", "minmax_values", "EquilibriumPayoffSet",
    "PayoffPolygon",
]
