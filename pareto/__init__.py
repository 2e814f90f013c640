"""Pareto frontiers between alignment dimensions, selection rules and alignment metrics.

Builds on :mod:`games`: the frontier of objective, value and preference scores over the
outcomes or equilibria of a :class:`games.Game`, and the rules that choose among them.
Importing this package is cheap: scipy and matplotlib are imported on call, and compiled
kernels are compiled on their first call.
"""

from games import __version__ as __version__  # one version for the distribution
from pareto.attribution import (
                                 Attribution,
                                 IncentiveAttribution,
                                 attribution,
                                 incentive_attribution,
)
from pareto.dominance import dominates, hypervolume, nondominated
from pareto.frontier import Frontier, ScoreTable, frontier, score_table
from pareto.metrics import (
                            AlignmentReport,
                            Disparity,
                            PriceOfAnarchy,
                            alignment_report,
                            disparity,
                            gini,
                            price_of_anarchy,
)
from pareto.selection import RULES, Selection, select
from pareto.trajectory import AlignmentTrajectory, DriftEvent, alignment_trajectory

__all__ = [
    "nondominated", "hypervolume", "dominates",
    "frontier", "Frontier", "score_table", "ScoreTable",
    "select", "Selection", "RULES",
    "alignment_report", "AlignmentReport", "price_of_anarchy", "PriceOfAnarchy",
    "disparity", "Disparity", "gini",
    "alignment_trajectory", "AlignmentTrajectory", "DriftEvent",
    "attribution", "Attribution", "incentive_attribution", "IncentiveAttribution",
]
