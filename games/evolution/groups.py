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

from games._jit import jit
from games.arguments import check_choice, check_integer, check_probability, check_real, check_seed
from games.errors import InvalidArgumentError, InvalidGameError
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
    fixations = _group_runs(float(benefit), float(cost), int(groups), int(group_size),
                            float(split), w, mutant == "cooperator", int(runs), int(max_steps),
                            int(rng.integers(2**62)))
    low, high = wilson_interval(int(fixations), int(runs))
    return FixationEstimate(int(fixations), int(runs), low, high)


@jit
def _group_runs(b: float, c: float, m: int, n: int, q: float, w: float,
                mutant_cooperates: bool, runs: int, max_steps: int, seed: int) -> int:
    np.random.seed(seed)
    coop = np.zeros(m, dtype=np.int64)
    defect = np.zeros(m, dtype=np.int64)
    start = max(1, n // 2)
    fixations = 0
    for _ in range(runs):
        for g in range(m):
            coop[g] = 0 if mutant_cooperates else start
            defect[g] = start if mutant_cooperates else 0
        first = np.random.randint(m)
        if mutant_cooperates:
            coop[first] += 1
            defect[first] -= 1
        else:
            defect[first] += 1
            coop[first] -= 1
        steps = 0
        while steps < max_steps:
            steps += 1
            total_c = 0
            total_d = 0
            for g in range(m):
                total_c += coop[g]
                total_d += defect[g]
            mutants = total_c if mutant_cooperates else total_d
            if mutants == 0 or mutants == total_c + total_d:
                break
            # Choose the parent in proportion to fitness.
            weight = 0.0
            for g in range(m):
                size = coop[g] + defect[g]
                weight += coop[g] * (1 - w + w * (b * (coop[g] - 1) - c * (size - 1)))
                weight += defect[g] * (1 - w + w * b * coop[g])
            draw = np.random.random() * weight
            group = m - 1
            child_cooperates = False
            for g in range(m):
                size = coop[g] + defect[g]
                part = coop[g] * (1 - w + w * (b * (coop[g] - 1) - c * (size - 1)))
                if draw < part:
                    group = g
                    child_cooperates = True
                    break
                draw -= part
                part = defect[g] * (1 - w + w * b * coop[g])
                if draw < part:
                    group = g
                    child_cooperates = False
                    break
                draw -= part
            if child_cooperates:
                coop[group] += 1
            else:
                defect[group] += 1
            size = coop[group] + defect[group]
            if size <= n:
                continue
            if np.random.random() < q:
                # Split: each member joins daughter 1 or 2; a random other group dies.
                while True:
                    c1 = 0
                    d1 = 0
                    for _k in range(coop[group]):
                        if np.random.random() < 0.5:
                            c1 += 1
                    for _k in range(defect[group]):
                        if np.random.random() < 0.5:
                            d1 += 1
                    if 0 < c1 + d1 < size:
                        break
                victim = np.random.randint(m - 1)
                if victim >= group:
                    victim += 1
                coop[victim] = coop[group] - c1
                defect[victim] = defect[group] - d1
                coop[group] = c1
                defect[group] = d1
            else:
                if np.random.random() * size < coop[group]:
                    coop[group] -= 1
                else:
                    defect[group] -= 1
        total_c = 0
        total_d = 0
        for g in range(m):
            total_c += coop[g]
            total_d += defect[g]
        if (mutant_cooperates and total_d == 0) or (not mutant_cooperates and total_c == 0):
            fixations += 1
    return fixations
