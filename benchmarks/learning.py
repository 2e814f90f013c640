"""Learning agents, side by side in one process run.

(a) Independent tabular Q-learning, 2 agents, repeated prisoner's dilemma with no state
    (epsilon-greedy, alpha = 0.15, discount 0.95): microseconds per period of
    ``games.learning.simulate`` (one session, and a batch of 1000 sessions) against
    OpenSpiel's ``tabular_qlearner.QLearner`` stepping through ``rl_environment`` on the
    same game (a one-state, long-horizon matrix game). Target: ours at least 500x faster
    per period.

(Part (b), Calvano's baseline against the ``papers/`` kernel, is added with the Calvano
port.)

Run: ~/.anchors-venv/bin/python benchmarks/learning.py [--quick]
"""

from __future__ import annotations

import argparse
import time

from _common import optional

import games
from games.learning import QLearning, simulate

PD = games.catalog.prisoners_dilemma()


def ours(sessions: int, periods: int) -> float:
    """Microseconds per period (session-period) of games.learning, compiled kernel warm."""
    learner = QLearning(alpha=0.15, discount=0.95, beta=1e-5)
    simulate(PD, learner, periods=1000, sessions=1, seed=0, progress=False)      # compile
    start = time.perf_counter()
    simulate(PD, learner, periods=periods, sessions=sessions, seed=1, window=periods // 10,
             executor="serial", progress=False)
    return (time.perf_counter() - start) / (sessions * periods) * 1e6


def openspiel(periods: int) -> float | None:
    """Microseconds per period of two OpenSpiel tabular Q-learners in the repeated PD."""
    pyspiel = optional("pyspiel")
    if pyspiel is None:
        return None
    from open_spiel.python import rl_environment
    from open_spiel.python.algorithms import tabular_qlearner

    payoffs = PD.float_payoffs
    matrix = pyspiel.create_matrix_game("pd", "prisoners dilemma", ["C", "D"], ["C", "D"],
                                        payoffs[0].tolist(), payoffs[1].tolist())
    game = pyspiel.create_repeated_game(matrix, {"num_repetitions": periods + 1})
    env = rl_environment.Environment(game)
    n_actions = env.action_spec()["num_actions"]
    agents = [tabular_qlearner.QLearner(player_id=i, num_actions=n_actions, step_size=0.15,
                                        discount_factor=0.95) for i in range(2)]
    step = env.reset()
    start = time.perf_counter()
    done = 0
    while not step.last() and done < periods:
        outputs = [agent.step(step) for agent in agents]
        step = env.step([out.action for out in outputs])
        done += 1
    return (time.perf_counter() - start) / done * 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer periods")
    args = parser.parse_args()
    scale = 10 if args.quick else 1
    print("== (a) tabular Q-learning, 2 agents, repeated prisoner's dilemma, no state ==")
    theirs = openspiel(20_000 // scale)
    one = ours(1, 20_000_000 // scale)
    batch = ours(1000, 200_000 // scale)
    print(f"games.learning, 1 session     : {one:8.4f} us per period")
    print(f"games.learning, 1000 sessions : {batch:8.4f} us per session-period")
    if theirs is None:
        print("OpenSpiel                     : skipped (open_spiel not installed)")
        return
    print(f"OpenSpiel tabular_qlearner    : {theirs:8.2f} us per period")
    for label, value in (("1 session", one), ("1000 sessions", batch)):
        print(f"speed-up, {label:13s}       : {theirs / value:8.0f}x  (target >= 500x)")


if __name__ == "__main__":
    main()
