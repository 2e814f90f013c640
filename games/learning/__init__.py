"""Learning agents playing a game again and again: :func:`simulate` runs thousands of
seeded sessions of independent learners (Q-learning, fictitious play, regret matching,
Hedge, Exp3, cross-learning, imitation) in a compiled loop, on a :class:`games.Game`
(stateless, or with the last k joint actions, or each learner's own, as state) or a
:class:`games.MarkovGame`, and returns a :class:`LearningRun` of per-window summaries.

``GameEnv`` (a PettingZoo ``ParallelEnv``) loads on first use.
"""

from games.learning.engine import simulate
from games.learning.learners import (
    CrossLearning,
    Exp3,
    FictitiousPlay,
    Hedge,
    Imitation,
    Learner,
    QLearning,
    RegretMatching,
)
from games.learning.options import Convergence, RewardSchedule
from games.learning.run import LearningRun

__all__ = ["simulate", "LearningRun", "Learner", "QLearning", "FictitiousPlay",
           "RegretMatching", "Hedge", "Exp3", "CrossLearning", "Imitation", "Convergence",
           "RewardSchedule"]


def __getattr__(name: str):
    if name == "GameEnv":
        import importlib

        env = importlib.import_module("games.learning.env").GameEnv
        globals()["GameEnv"] = env
        return env
    raise AttributeError(f"module 'games.learning' has no attribute {name!r}")
