"""Multilevel (group) selection and kin selection.

References
----------
Traulsen & Nowak (2006). Evolution of cooperation by multilevel selection. PNAS 103,
10952-10955.
Hamilton (1964). The genetical evolution of social behaviour. Journal of Theoretical
Biology 7, 1-16.
Nowak (2006). Five rules for the evolution of cooperation. Science 314, 1560-1563.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import numpy as np

from games.arguments import check_choice, check_integer, check_probability, check_real, check_seed
from games.errors import InvalidArgumentError, InvalidGameError
from games.evolution._groups_kernels import group_runs
from games.evolution.finite import FixationEstimate, wilson_interval
from games.model import Game

__all__ = ["relatedness_weighted", "hamilton_threshold", "group_selection_threshold",
           "simulate_group_fixation"]


def relatedness_weighted(game: Game, relatedness: Any) -> Game:
    r"""The game as kin see it: :math:`u_i + r \sum_{j \ne i} u_j` (inclusive fitness with
    relatedness r; Hamilton 1964). On the donation game cooperation becomes dominant
    exactly when :math:`r b > c`.

    Exact when the game is exact and ``relatedness`` an int or Fraction. Layers are kept
    (the yardstick does not change).
    """
    if not isinstance(game, Game):
        raise InvalidGameError(f"game: expected a Game, found {type(game).__name__}")
    check_probability(relatedness, "relatedness")
    if isinstance(relatedness, np.integer):
        relatedness = int(relatedness)
    elif isinstance(relatedness, np.floating):
        relatedness = float(relatedness)
    exact = game.exact and not isinstance(relatedness, float)
    u = game.payoffs if exact else game.float_payoffs
    r = Fraction(relatedness) if exact else float(relatedness)
    total = u.sum(axis=0)
    weighted = np.stack([u[i] + r * (total - u[i]) for i in range(game.n_players)])
    return game.replace(payoffs=weighted, exact=exact,
                        title=f"{game.title or 'game'} with relatedness {relatedness}")


def hamilton_threshold(benefit: float, cost: float) -> float:
    """Hamilton's rule: kin selection favours cooperation when relatedness r > c / b."""
    check_real(benefit, "benefit", low=0, low_open=True)
    check_real(cost, "cost", low=0)
    return cost / benefit


def group_selection_threshold(group_size: int, groups: int) -> float:
    """Traulsen & Nowak (2006): with ``groups`` groups of at most ``group_size``
    individuals, weak selection and rare splitting, cooperators are favoured when
    b / c > 1 + n / m."""
    check_integer(group_size, "group_size", minimum=1)
    check_integer(groups, "groups", minimum=1)
    return 1 + group_size / groups


def simulate_group_fixation(benefit: float, cost: float, groups: int, group_size: int,
                            split: float = 0.05, intensity: float = 0.1,
                            mutant: str = "cooperator", runs: int = 1000,
                            seed: Any = None, max_steps: int = 10**8) -> FixationEstimate:
    """Estimate the fixation probability of one mutant in the multilevel-selection model
    of Traulsen & Nowak (2006).

    ``groups`` groups start with ``group_size // 2`` (at least 1) individuals each, all
    of the resident type but one mutant in a random group. Within a group, a cooperator
    pays ``cost`` for each other member to receive ``benefit``; fitness is
    ``1 - w + w * payoff``. Each step one individual, chosen in proportion to fitness in
    the whole population, reproduces into its own group. A group that exceeds
    ``group_size`` splits with probability ``split`` (members go to either daughter with
    probability 1/2, and a random other group dies), otherwise one of its members, chosen
    at random, dies.

    Compare ``mutant="cooperator"`` with ``mutant="defector"``: cooperation is favoured
    when cooperators fix more often than defectors, predicted for b/c > 1 + n/m.
    """
    check_real(benefit, "benefit")
    check_real(cost, "cost")
    check_choice(mutant, "mutant", ("cooperator", "defector"))
    check_integer(groups, "groups", minimum=2)
    check_integer(group_size, "group_size", minimum=2)
    check_probability(split, "split")
    w = float(check_probability(intensity, "intensity"))
    lowest = 1 - w + w * min(-cost * (group_size - 1), 0.0)
    if lowest <= 0:
        raise InvalidArgumentError(f"intensity: fitness 1 - w + w * payoff must stay positive, "
                                   f"found w={intensity!r}")
    check_integer(runs, "runs", minimum=1)
    check_integer(max_steps, "max_steps", minimum=1)
    rng = np.random.default_rng(check_seed(seed))
    fixations = group_runs(float(benefit), float(cost), int(groups), int(group_size),
                           float(split), w, mutant == "cooperator", int(runs), int(max_steps),
                           int(rng.integers(2**62)))
    low, high = wilson_interval(int(fixations), int(runs))
    return FixationEstimate(int(fixations), int(runs), low, high)
