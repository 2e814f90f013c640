"""Evolutionary dynamics of symmetric games in finite, infinite and structured populations.

Finite well-mixed populations (:mod:`games.evolution.finite`): fixation probabilities in log
space, stationary distributions, the gradient of selection and Monte-Carlo checks. Infinite
populations: rest points and evolutionary stability here, the replicator dynamics in
:mod:`games.dynamics` (``population="single"``). Structured populations: graphs and groups.
"""

from games.evolution.finite import (
                                    FixationEstimate,
                                    MoranRun,
                                    PopulationGame,
                                    fixation_probabilities,
                                    gradient_of_selection,
                                    log_fixation_probabilities,
                                    moran_process,
                                    population_game,
                                    population_stationary_distribution,
                                    simulate_fixation,
                                    stationary_distribution,
)
from games.evolution.groups import (
                                    group_selection_threshold,
                                    hamilton_threshold,
                                    relatedness_weighted,
                                    simulate_group_fixation,
)
from games.evolution.infinite import RestPoint, is_evolutionarily_stable, rest_points
from games.evolution.plot import SmallMutationAnalysis, plot_simplex, small_mutation_analysis
from games.evolution.structured import GRAPH_RULES, network_threshold, simulate_graph_fixation

__all__ = [
    "plot_simplex", "small_mutation_analysis", "SmallMutationAnalysis",
    "moran_process", "MoranRun",
    "relatedness_weighted", "hamilton_threshold", "group_selection_threshold",
    "simulate_group_fixation",
    "simulate_graph_fixation", "network_threshold", "GRAPH_RULES",
    "rest_points",
    "RestPoint", "is_evolutionarily_stable",
    "fixation_probabilities", "log_fixation_probabilities", "stationary_distribution",
    "population_stationary_distribution", "gradient_of_selection", "simulate_fixation",
    "FixationEstimate", "PopulationGame", "population_game",
]
