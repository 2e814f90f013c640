"""Repeated games: automaton strategies, matches, tournaments, subgame perfection and the
equilibrium payoff set.
"""

from games.repeated import strategies
from games.repeated.automaton import Automaton
from games.repeated.match import MatchResult, expected_payoffs, match
from games.repeated.strategies import Strategy

__all__ = ["Automaton", "Strategy", "strategies", "match", "MatchResult", "expected_payoffs"]
