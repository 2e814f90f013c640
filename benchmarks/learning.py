"""Learning agents, side by side in one process run.

(a) Independent tabular Q-learning, 2 agents, repeated prisoner's dilemma with no state
    (epsilon-greedy, alpha = 0.15, discount 0.95): microseconds per period of
    ``games.learning.simulate`` (one session, and a batch of 1000 sessions) against
    OpenSpiel's ``tabular_qlearner.QLearner`` stepping through ``rl_environment`` on the
    same game (a one-state, long-horizon matrix game). Target: ours at least 500x faster
    per period.

(b) Calvano et al.'s (2020) baseline (2 firms, 15 prices, memory one, alpha = 0.15,
    beta = 4e-6, delta = 0.95, until greedy strategies are stable for 100,000 periods):
    nanoseconds per period of ``games.learning.simulate`` on ``games.catalog.bertrand``
    (as ``papers/calvano2020_algorithmic_collusion`` runs it) against the reference: the
    compiled single-purpose kernel the reproduction used before it moved onto the engine,
    kept below verbatim. Same sessions count on each side, serial, one core; both learn to
    the same stopping rule, so periods per session differ by seed only. Target: the engine
    at least as fast.

Run: ~/.anchors-venv/bin/python benchmarks/learning.py [--quick]
"""

from __future__ import annotations

import argparse
import math
import time

import numpy as np
from _common import optional

import games
from games._jit import jit
from games.learning import Convergence, QLearning, simulate

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


# -- (b) the reference: the former papers/calvano2020_algorithmic_collusion kernel -------


@jit
def reference_learn(profits, states, n_states, m, n, alpha, beta, delta, window, max_periods,
                    detection, fines, q, seed):
    """Q-learning until every greedy action is unchanged for ``window`` periods.

    q (n, n_states, m) is updated in place; returns (periods, converged, last joint
    action)."""
    np.random.seed(seed)
    greedy = np.zeros((n, n_states), dtype=np.int64)
    for i in range(n):
        for s in range(n_states):
            best = 0
            for a in range(1, m):
                if q[i, s, a] > q[i, s, best]:
                    best = a
            greedy[i, s] = best
    n_joint = profits.shape[0]
    joint = np.random.randint(0, n_joint)
    action = np.zeros(n, dtype=np.int64)
    decay = math.exp(-beta)
    eps = 1.0
    stable = 0
    t = 0
    while t < max_periods:
        t += 1
        eps *= decay
        new_joint = 0
        for i in range(n):
            s = states[i, joint]
            if np.random.random() < eps:
                a = np.random.randint(0, m)
            else:
                a = greedy[i, s]
            action[i] = a
            new_joint = new_joint * m + a
        changed = False
        for i in range(n):
            s = states[i, joint]
            a = action[i]
            reward = profits[new_joint, i]
            if detection > 0.0 and fines[new_joint, i] > 0.0:
                if np.random.random() < detection:
                    reward -= fines[new_joint, i]
            s_next = states[i, new_joint]
            target = reward + delta * q[i, s_next, greedy[i, s_next]]
            q[i, s, a] = (1.0 - alpha) * q[i, s, a] + alpha * target
            best = 0
            for b in range(1, m):
                if q[i, s, b] > q[i, s, best]:
                    best = b
            if best != greedy[i, s]:
                greedy[i, s] = best
                changed = True
        joint = new_joint
        if changed:
            stable = 0
        else:
            stable += 1
            if stable >= window:
                return t, True, joint
    return t, False, joint


BERTRAND = games.catalog.bertrand()
CALVANO = dict(alpha=0.15, beta=4e-6, delta=0.95, window=100_000, cap=1_000_000_000)


def reference(sessions: int) -> tuple[float, float]:
    """The reference kernel: nanoseconds per period and mean Delta-free check value (mean
    periods per session)."""
    n, m = 2, 15
    profits = np.ascontiguousarray(BERTRAND.float_payoffs.reshape(n, -1).T)
    states = np.tile(np.arange(m * m), (n, 1)).astype(np.int64)
    fines = np.zeros_like(profits)

    def q0() -> np.ndarray:
        table = profits[:, 0].reshape(m, m).mean(axis=1) / (1 - CALVANO["delta"])
        return np.tile(table, (n, m * m, 1))

    c = CALVANO
    reference_learn(profits, states, m * m, m, n, c["alpha"], 0.01, c["delta"], 100, 10_000,
                    0.0, fines, q0(), 0)                                     # compile
    periods = 0
    start = time.perf_counter()
    for seed in range(sessions):
        t, _, _ = reference_learn(profits, states, m * m, m, n, c["alpha"], c["beta"],
                                  c["delta"], c["window"], c["cap"], 0.0, fines, q0(), seed)
        periods += t
    return (time.perf_counter() - start) / periods * 1e9, periods / sessions


def engine(sessions: int) -> tuple[float, float]:
    """games.learning: nanoseconds per period and mean periods per session."""
    c = CALVANO
    learner = QLearning(alpha=c["alpha"], discount=c["delta"], beta=c["beta"],
                        initial="uniform")
    simulate(BERTRAND, learner, periods=10_000, seed=0, memory=1, progress=False)  # compile
    start = time.perf_counter()
    run = simulate(BERTRAND, learner, periods=c["cap"], sessions=sessions, seed=1, memory=1,
                   window=250_000, executor="serial", progress=False,
                   convergence=Convergence(stable_periods=c["window"]))
    seconds = time.perf_counter() - start
    periods = float(run.convergence_period.sum())
    return seconds / periods * 1e9, periods / sessions


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer periods")
    parser.add_argument("--part", choices=("a", "b", "both"), default="both")
    args = parser.parse_args()
    scale = 10 if args.quick else 1
    if args.part in ("b", "both"):
        calvano(4 if args.quick else 40)
    if args.part == "b":
        return
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


def calvano(sessions: int) -> None:
    print(f"== (b) Calvano et al. baseline, 2 firms x 15 prices, memory one, {sessions} "
          f"sessions to convergence ==")
    theirs, their_periods = reference(sessions)
    ours_ns, our_periods = engine(sessions)
    print(f"reference kernel (former papers/): {theirs:7.1f} ns per period "
          f"({their_periods / 1e6:.2f} M periods per session)")
    print(f"games.learning.simulate         : {ours_ns:7.1f} ns per period "
          f"({our_periods / 1e6:.2f} M periods per session)")
    print(f"speed-up                        : {theirs / ours_ns:7.2f}x  (target >= 1x)")


if __name__ == "__main__":
    main()
