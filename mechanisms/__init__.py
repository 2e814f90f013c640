"""Realignment mechanisms: interventions that change a game's incentives, measured
before and after on every alignment dimension (builds on :mod:`games` and :mod:`pareto`).

Every mechanism is a small immutable object with ``apply(game) -> Game`` that changes the
payoffs (incentives) or builds the model selection acts on (a repeated-game or reputation
meta-game, the effective game of a network or of groups), keeps the evaluation layers,
and records the operator's net payments in the ``"cost"`` layer. Mechanisms compose:
``Penalty(...) | Redistribution(0.3)``.
"""

from games import __version__ as __version__  # one version for the distribution
from mechanisms import design
from mechanisms.base import COST_LAYER, Composite, Mechanism, compose
from mechanisms.design import (
    CheapestMechanism,
    Implementation,
    cheapest,
    implement,
    paid_at_target,
    robustness_margin,
)
from mechanisms.dynamic import Dynamics, DynamicVerdict, dynamic_verdict
from mechanisms.evaluation import (
    CONDITIONS,
    Comparison,
    ComparisonRow,
    Evaluation,
    Snapshot,
    SweepPoint,
    SweepResult,
    Threshold,
    compare,
    evaluate,
    sweep,
    threshold,
)
from mechanisms.incentives import (
    Audit,
    ContestIntensity,
    Contract,
    Monitoring,
    Penalty,
    Redistribution,
    RewardCap,
    Subsidy,
    ThirdPartyJudge,
    Transparency,
)
from mechanisms.information import InformationMechanism, Opacity, Verification
from mechanisms.online import Regulator, Scheduled, schedule
from mechanisms.reciprocity import (
    NORMS,
    Groups,
    Kinship,
    Network,
    Repetition,
    Reputation,
    ReputationOutcome,
    simulate_reputation,
)
from mechanisms.simulators import MechanismRewards, reward_transform

__all__ = [
    "Mechanism", "Composite", "compose", "COST_LAYER", "schedule", "Scheduled", "Regulator",
    "Redistribution", "RewardCap", "ContestIntensity", "Penalty", "Subsidy", "Contract",
    "Monitoring", "Audit", "ThirdPartyJudge", "Transparency", "Opacity", "Verification",
    "InformationMechanism",
    "Kinship", "Repetition", "Reputation", "Network", "Groups", "NORMS",
    "simulate_reputation", "ReputationOutcome",
    "evaluate", "Evaluation", "compare", "Comparison", "ComparisonRow", "Snapshot",
    "Dynamics", "DynamicVerdict", "dynamic_verdict",
    "threshold", "Threshold", "CONDITIONS",
    "design", "testbed", "implement", "Implementation", "robustness_margin", "cheapest",
    "CheapestMechanism", "paid_at_target",
    "sweep", "SweepResult", "SweepPoint", "MechanismRewards", "reward_transform",
]


def __getattr__(name: str):
    """``mechanisms.testbed`` loads on first use (its scenarios import the repeated-game
    and evolution packages), so that ``import mechanisms`` stays fast."""
    if name == "testbed":
        import importlib

        module = importlib.import_module("mechanisms.testbed")
        globals()[name] = module
        return module
    raise AttributeError(f"module 'mechanisms' has no attribute {name!r}")
