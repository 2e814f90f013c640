"""games.learning: known answers of the learning rules, reproducibility, checkpoints and
argument checks."""

from __future__ import annotations

import json
import pickle

import numpy as np
import pytest

import games
from games.dynamics import coarse_correlated_regret, replicator
from games.errors import InvalidArgumentError, InvalidGameError
from games.learning import (
    Convergence,
    CrossLearning,
    Exp3,
    FictitiousPlay,
    Hedge,
    Imitation,
    LearningRun,
    QLearning,
    RegretMatching,
    RewardSchedule,
    simulate,
)

PD = games.catalog.prisoners_dilemma()


def _average_joint(run: LearningRun, upto: int | None = None) -> np.ndarray:
    """Time-averaged joint distribution of each session over the first ``upto`` windows."""
    lengths = np.diff(np.concatenate([[0], run.window_ends]))[:upto]
    f = run.frequencies[:, :upto]
    return (f * lengths[None, :, None]).sum(axis=1) / lengths.sum()


def test_q_learning_in_the_prisoners_dilemma_ends_in_mutual_defection():
    """Stateless independent Q-learners defect: D strictly dominates C, so once
    exploration has shown it, D's Q-value is larger whatever the opponent does
    (Sandholm & Crites 1996, memoryless agents)."""
    run = simulate(PD, QLearning(alpha=0.1, discount=0.5, beta=2e-4), periods=40_000,
                   sessions=40, seed=5)
    final = run.final_profile()
    defect = (final[0][:, 1] == 1) & (final[1][:, 1] == 1)
    assert defect.mean() >= 0.9
    assert run.frequencies[:, -1, 3].mean() >= 0.9          # (D, D) is joint action 3


def test_q_learners_in_a_coordination_game_end_at_a_pure_equilibrium():
    """Independent Q-learners in a pure coordination game settle on one of its pure
    equilibria (Claus & Boutilier 1998)."""
    game = games.catalog.coordination(3)
    run = simulate(game, QLearning(alpha=0.1, discount=0.0, beta=3e-4), periods=30_000,
                   sessions=20, seed=2)
    final = run.final_profile()
    for s in range(run.sessions):
        profile = (final[0][s], final[1][s])
        assert game.regret(profile) == 0
    assert (run.frequencies[:, -1].max(axis=1) >= 0.99).all()


def test_fictitious_play_frequencies_converge_to_the_mixed_equilibrium_of_matching_pennies():
    """Robinson (1951): in zero-sum games the empirical frequencies of fictitious play
    converge to the equilibrium, (1/2, 1/2) in matching pennies."""
    run = simulate(games.catalog.matching_pennies(), FictitiousPlay(), periods=20_000,
                   sessions=4, seed=1, window=1000)
    joint = _average_joint(run).reshape(-1, 2, 2)
    for marginal in (joint.sum(axis=2), joint.sum(axis=1)):
        assert np.abs(marginal - 0.5).max() < 0.03


def test_regret_matching_regret_falls_like_one_over_root_t():
    """Hart & Mas-Colell (2000): under (unconditional) regret matching the time-averaged
    joint distribution's coarse correlated regret is O(T^-1/2). Measured at T = 500,
    4000 and 32000 on a random 3x3 game, averaged over sessions: it falls by roughly
    sqrt(8) for each eightfold horizon (asserted: by at least 2, and T^1/2 regret stays
    within a factor 3)."""
    game = games.random_game((3, 3), seed=4)
    run = simulate(game, RegretMatching(), periods=32_000, sessions=12, seed=9, window=500)
    regrets = []
    for horizon in (500, 4000, 32000):
        windows = horizon // 500
        joint = _average_joint(run, windows)
        regrets.append(np.mean([coarse_correlated_regret(game, j.reshape(3, 3))
                                for j in joint]))
    regrets = np.array(regrets)
    assert regrets[1] < regrets[0] / 2 and regrets[2] < regrets[1] / 2
    scaled = regrets * np.sqrt([500, 4000, 32000])
    assert scaled.max() / scaled.min() < 3


def test_conditional_regret_matching_approaches_the_correlated_equilibria():
    """Hart & Mas-Colell (2000), conditional procedure: the correlated-equilibrium
    certificate of the empirical distribution is small after many periods."""
    from games.dynamics import Trajectory

    game = games.catalog.chicken()
    run = simulate(game, RegretMatching(conditional=True), periods=40_000, sessions=2,
                   seed=3)
    for joint in _average_joint(run):
        tr = Trajectory("test", np.zeros(1), np.zeros((1, 4)), game,
                        joint=joint.reshape(2, 2))
        assert tr.correlated_regret() < 0.05 * 11


def test_cross_learning_mean_path_follows_the_replicator_dynamics():
    """Börgers & Sarin (1997): the expected motion of cross learning with step lambda is
    the replicator dynamics (payoffs rescaled to [0, 1]) with time lambda per period.
    The mean over 300 sessions stays within 0.03 of the ODE (noise ~0.01, O(lambda)
    bias)."""
    A = np.array([[3.0, 0.0], [1.0, 2.0]])          # a coordination game, span 3 each
    game = games.Game.from_bimatrix(A, A.T)
    start = [[0.3, 0.7], [0.45, 0.55]]
    step, periods = 0.01, 1500
    run = simulate(game, CrossLearning(step=step), periods=periods, sessions=300, seed=11,
                   window=50, initial=start)
    marg = run.marginals()
    unit = games.Game((game.float_payoffs - 0.0) / 3.0)
    ode = replicator(unit, start, t_max=step * periods, steps=3000, record=3001)
    for w, end in enumerate(run.window_ends):
        k = int(round(step * (end - run.window / 2) / (step * periods) * 3000))
        expected = ode.states[k]
        observed = np.concatenate([marg[0][:, w].mean(axis=0), marg[1][:, w].mean(axis=0)])
        assert np.abs(observed - expected).max() < 0.03, (w, observed, expected)


def test_hedge_time_averages_approach_the_value_of_a_zero_sum_game():
    """Freund & Schapire (1999): Hedge against Hedge in a zero-sum game, the time-averaged
    strategies are approximate minimax strategies (exploitability O(T^-1/2))."""
    A = np.array([[3.0, -1.0, 0.0], [-2.0, 1.0, 1.0], [0.0, 0.0, -1.0]])
    game = games.Game.from_bimatrix(A, -A)
    value = float(games.solve_zero_sum(game).value)
    run = simulate(game, Hedge(), periods=20_000, sessions=4, seed=2)
    for joint in _average_joint(run).reshape(-1, 3, 3):
        x, y = joint.sum(axis=1), joint.sum(axis=0)
        assert (x @ A).min() > value - 0.05 * 5
        assert (A @ y).max() < value + 0.05 * 5


def test_exp3_learns_the_dominant_action_from_bandit_feedback():
    """Auer et al. (2002): Exp3 has sublinear regret, so against any opponent it plays a
    strictly dominant action most of the time in the long run."""
    run = simulate(PD, Exp3(), periods=20_000, sessions=4, seed=7)
    assert run.marginals()[0][:, -10:, 1].mean() > 0.85


def test_imitation_spreads_defection_in_the_prisoners_dilemma():
    """Pairwise comparison (Fermi rule): the cooperator of a (C, D) pair earns less and
    copies the defector, the defector keeps D. With rare mutations a mutant defector
    invades (C, C) and a mutant cooperator is copied by no one."""
    run = simulate(PD, Imitation(intensity=2.0, mutation=0.005), periods=5000, sessions=20,
                   seed=4)
    assert run.frequencies[:, -1, 3].mean() > 0.9


def test_imitation_needs_a_symmetric_game():
    game = games.Game.from_bimatrix([[1, 0], [0, 2]], [[3, 0], [0, 1]])
    with pytest.raises(InvalidGameError, match="symmetric"):
        simulate(game, Imitation(), periods=10)


def test_learners_can_differ_across_players():
    """Mixed learners run together; each window's frequencies are distributions and the
    final policies are probability vectors."""
    game = games.catalog.rock_paper_scissors()
    for pair in [(QLearning(), FictitiousPlay(smoothing=0.1)),
                 (RegretMatching(conditional=True), Hedge()),
                 (Exp3(), CrossLearning(step=0.05))]:
        run = simulate(game, pair, periods=3000, sessions=3, seed=1, memory=1)
        assert np.allclose(run.frequencies.sum(axis=2), 1.0)
        for p in run.final_profile():
            assert np.allclose(p.sum(axis=1), 1.0) and (p >= 0).all()


def test_session_results_do_not_depend_on_the_number_of_sessions_or_batching():
    """Session s draws from the s-th child seed only: a 40-session run (batches of two)
    starts with the 3-session run's sessions, bit for bit."""
    learners = (QLearning(beta=1e-3), RegretMatching())
    small = simulate(PD, learners, periods=2000, sessions=3, seed=8, memory=1)
    large = simulate(PD, learners, periods=2000, sessions=40, seed=8, memory=1)
    assert np.array_equal(small.frequencies, large.frequencies[:3])
    assert np.array_equal(small.final_policies, large.final_policies[:3])


def test_the_same_seed_gives_the_same_numbers_serially_and_on_a_process_pool():
    kwargs = dict(periods=3000, sessions=6, seed=21, memory=1)
    learners = (QLearning(beta=1e-3), Hedge())
    serial = simulate(PD, learners, executor="serial", **kwargs)
    pooled = simulate(PD, learners, executor="processes", **kwargs)
    assert np.array_equal(serial.frequencies, pooled.frequencies)
    assert np.array_equal(serial.mean_rewards, pooled.mean_rewards)
    other = simulate(PD, learners, executor="serial", **{**kwargs, "seed": 22})
    assert not np.array_equal(serial.frequencies, other.frequencies)


@pytest.mark.slow
def test_the_same_seed_gives_the_same_numbers_on_a_dask_cluster():
    distributed = pytest.importorskip("dask.distributed")
    kwargs = dict(periods=3000, sessions=6, seed=21)
    serial = simulate(PD, QLearning(beta=1e-3), executor="serial", **kwargs)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1,
                                  processes=True) as cluster, \
            distributed.Client(cluster) as client:
        remote = simulate(PD, QLearning(beta=1e-3), executor=client.get_executor(), **kwargs)
    assert np.array_equal(serial.frequencies, remote.frequencies)


def test_a_checkpoint_resumes_only_the_missing_batches_with_identical_results(tmp_path):
    path = tmp_path / "run.ckpt"
    kwargs = dict(periods=2000, sessions=10, seed=3, memory=1)
    full = simulate(PD, QLearning(beta=1e-3), **kwargs)
    first = simulate(PD, QLearning(beta=1e-3), checkpoint=path, **kwargs)
    assert first.resumed_sessions == 0
    with open(path, "rb") as fh:
        data = pickle.load(fh)
    data["chunks"] = {k: v for k, v in data["chunks"].items() if k < 4}   # interrupted
    with open(path, "wb") as fh:
        pickle.dump(data, fh)
    resumed = simulate(PD, QLearning(beta=1e-3), checkpoint=path, **kwargs)
    assert resumed.resumed_sessions == 4
    assert np.array_equal(resumed.frequencies, full.frequencies)
    assert np.array_equal(resumed.final_policies, full.final_policies)
    with pytest.raises(InvalidArgumentError, match="different arguments"):
        simulate(PD, QLearning(beta=2e-3), checkpoint=path, **kwargs)
    path.write_bytes(b"not a checkpoint")
    with pytest.raises(InvalidArgumentError, match="unreadable"):
        simulate(PD, QLearning(beta=1e-3), checkpoint=path, **kwargs)


def test_stable_policy_convergence_stops_sessions_and_blanks_later_windows():
    """Calvano et al. (2020)'s rule: a session stops once every greedy policy has been
    unchanged for W periods."""
    run = simulate(PD, QLearning(beta=1e-3), periods=50_000, sessions=5, seed=1,
                   convergence=Convergence(stable_periods=2000), window=500)
    assert run.converged.all()
    for s in range(run.sessions):
        stop = run.convergence_period[s]
        assert 2000 <= stop < 50_000
        after = run.window_ends > stop + run.window
        assert (run.frequencies[s, after] == 0).all()
        assert np.allclose(run.frequencies[s, ~after].sum(axis=1), 1.0)
    # windows after the last session stopped are not stored at all (a 1e9-period cap
    # must not allocate them): the run ends with the window holding the last stop
    last = run.convergence_period.max()
    assert run.window_ends[-1] - run.window <= last < run.window_ends[-1]
    assert run.frequencies.shape[1] == len(run.window_ends) < 50_000 // 500


def test_regret_convergence_and_the_period_cap():
    game = games.catalog.matching_pennies()
    run = simulate(game, RegretMatching(), periods=20_000, sessions=3, seed=1,
                   convergence=Convergence(regret=0.05), window=1000)
    assert run.converged.all() and (run.convergence_period % 1000 == 0).all()
    capped = simulate(game, RegretMatching(), periods=5000, sessions=2, seed=1,
                      convergence=Convergence(max_periods=1200), window=500)
    assert not capped.converged.any()
    # the cap at 1200 stops every session in the third window: later ones are not stored
    assert capped.window_ends.tolist() == [500, 1000, 1500]
    assert (capped.frequencies[:, 3:] == 0).all()
    assert np.allclose(capped.frequencies[:, 2].sum(axis=1), 1.0)
    assert np.allclose(capped.frequencies.sum(axis=2), 1.0)


class _FineOnDefection(RewardSchedule):
    """From window 10 on, defecting costs 3: cooperation becomes dominant."""

    def start(self, game, sessions):
        return {"payoffs": game.float_payoffs, "fine": 0.0}

    def rewards(self, state, window, period, last_frequencies):
        fine = 3.0 if window >= 10 else 0.0
        payoffs = state["payoffs"].copy()
        payoffs[0, 1, :] -= fine
        payoffs[1, :, 1] -= fine
        return payoffs, {**state, "fine": fine}

    def record(self, state):
        return state["fine"]


def test_a_reward_schedule_switched_on_mid_run_changes_what_is_learned():
    learner = QLearning(alpha=0.1, discount=0.0, beta=0.0, epsilon=0.1)
    run = simulate(PD, learner, periods=4000, sessions=5, seed=2,
                   schedule=_FineOnDefection(), window=200)
    assert run.schedule_log[:10] == [0.0] * 10 and run.schedule_log[10:] == [3.0] * 10
    assert run.frequencies[:, 9, 3].mean() > 0.8          # defection before
    assert run.frequencies[:, -1, 0].mean() > 0.8         # cooperation after


RNG = np.random.default_rng(0)
#: A 2 x 3 game with generic payoffs: every joint action is a distinct state.
GENERIC = games.Game(RNG.integers(-5, 6, size=(2, 2, 3)))


def test_own_observation_sizes_each_learners_table_by_its_own_actions():
    """observe="own": learner i's memories are its own last k actions, a_i ** k of them
    (2 and 3 here, 4 and 9 with k = 2), instead of the n_joint ** k = 6 ** k joint
    memories every learner shares under perfect monitoring."""
    for memory in (1, 2):
        joint = simulate(GENERIC, QLearning(beta=1e-3), periods=2000, sessions=3, seed=4,
                         memory=memory)
        own = simulate(GENERIC, QLearning(beta=1e-3), periods=2000, sessions=3, seed=4,
                       memory=memory, observe="own")
        assert joint.final_greedy.shape == (3, 2, 6 ** memory)
        assert own.final_greedy.shape == (3, 2, 3 ** memory)
        assert own.final_state.shape == (3, 2) and own.observe == "own"
        assert (own.final_state < [2 ** memory, 3 ** memory]).all()
        assert not own.final_greedy[:, 0, 2 ** memory:].any()     # past player 0's states
        assert np.allclose(own.frequencies.sum(axis=2), 1.0)


def test_own_observation_without_memory_keeps_the_per_player_state_shape():
    """observe="own" with memory=0: each learner's state is the (single) Markov state, so
    final_state is still one state per player, (sessions, n_players), as documented for
    observe="own"; the numbers are those of the joint run (nothing is remembered)."""
    joint = simulate(GENERIC, QLearning(beta=1e-3), periods=300, sessions=3, seed=4)
    own = simulate(GENERIC, QLearning(beta=1e-3), periods=300, sessions=3, seed=4,
                   observe="own")
    assert own.observe == "own" and own.final_state.shape == (3, 2)
    assert (own.final_state == joint.final_state[:, None]).all()
    assert np.array_equal(own.frequencies, joint.frequencies)


@pytest.mark.parametrize("observe", ["joint", "own"])
def test_a_learners_policy_reads_its_state_and_nothing_else(observe):
    """With one-period windows the last window is the last joint action. Under "own" each
    learner's final state is its own last action (whatever the rival played) and its
    final policy is its greedy action there; under "joint" the shared state is the last
    joint action."""
    run = simulate(GENERIC, QLearning(beta=1e-3), periods=500, sessions=8, seed=9,
                   memory=1, window=1, observe=observe)
    last = run.frequencies[:, -1].argmax(axis=1)
    actions = np.array(np.unravel_index(last, GENERIC.shape)).T           # (sessions, 2)
    for s in range(run.sessions):
        for i in range(2):
            state = run.final_state[s, i] if observe == "own" else run.final_state[s]
            assert state == (actions[s, i] if observe == "own" else last[s])
            greedy = run.final_greedy[s, i, state]
            assert run.final_policies[s, i, greedy] == 1.0


@pytest.mark.parametrize("memory", [1, 2])
@pytest.mark.parametrize("shape", [(3, 1), (1, 3)])
def test_against_a_rival_with_one_action_own_and_joint_observation_coincide(shape, memory):
    """When the rival has a single action, the joint action is one's own action: both
    observations give the same states and, seeded alike, the same numbers bit for bit
    (the rival's greedy action is 0 in every state either way)."""
    game = games.Game(np.random.default_rng(1).normal(size=(2, *shape)))
    kwargs = dict(periods=3000, sessions=4, seed=6, memory=memory, window=100)
    joint = simulate(game, QLearning(beta=1e-3), **kwargs)
    own = simulate(game, QLearning(beta=1e-3), observe="own", **kwargs)
    i = 0 if shape[0] == 3 else 1
    assert np.array_equal(joint.frequencies, own.frequencies)
    assert np.array_equal(joint.final_greedy[:, i], own.final_greedy[:, i])
    assert np.array_equal(joint.final_state, own.final_state[:, i])


def test_without_memory_observation_changes_nothing():
    kwargs = dict(periods=3000, sessions=4, seed=2, memory=0)
    learners = (QLearning(beta=1e-3), Hedge())
    joint = simulate(GENERIC, learners, **kwargs)
    own = simulate(GENERIC, learners, observe="own", **kwargs)
    assert np.array_equal(joint.frequencies, own.frequencies)
    assert np.array_equal(joint.final_policies, own.final_policies)


def test_own_observation_is_reproducible_on_a_pool_and_from_a_checkpoint(tmp_path):
    """The own memories are drawn from each session's seed: the same numbers serially,
    on a process pool and after resuming an interrupted checkpoint; a checkpoint of the
    joint run is refused."""
    kwargs = dict(periods=2000, sessions=10, seed=3, memory=1, observe="own")
    learners = (QLearning(beta=1e-3), RegretMatching())
    serial = simulate(GENERIC, learners, executor="serial", **kwargs)
    pooled = simulate(GENERIC, learners, executor="processes", **kwargs)
    assert np.array_equal(serial.frequencies, pooled.frequencies)
    assert np.array_equal(serial.final_greedy, pooled.final_greedy)
    path = tmp_path / "own.ckpt"
    simulate(GENERIC, learners, checkpoint=path, **kwargs)
    with open(path, "rb") as fh:
        data = pickle.load(fh)
    data["chunks"] = {k: v for k, v in data["chunks"].items() if k < 4}
    with open(path, "wb") as fh:
        pickle.dump(data, fh)
    resumed = simulate(GENERIC, learners, checkpoint=path, **kwargs)
    assert resumed.resumed_sessions == 4
    assert np.array_equal(resumed.frequencies, serial.frequencies)
    assert np.array_equal(resumed.final_state, serial.final_state)
    with pytest.raises(InvalidArgumentError, match="different arguments"):
        simulate(GENERIC, learners, checkpoint=path, **{**kwargs, "observe": "joint"})


def test_markov_games_report_state_frequencies():
    stay = np.zeros((2, 2, 2, 2))
    stay[0, ..., 0] = 1.0
    stay[1, ..., 1] = 1.0
    stay[0, 1, 1] = [0.0, 1.0]                            # mutual defection: move to state 1
    calm = PD
    feud = games.Game(PD.float_payoffs - 1.0)
    game = games.MarkovGame([calm, feud], stay, states=["calm", "feud"])
    run = simulate(game, QLearning(beta=1e-3), periods=5000, sessions=4, seed=1)
    assert run.state_frequencies.shape == (4, 100, 2)
    assert np.allclose(run.joint_state_frequencies.sum(axis=(2, 3)), 1.0)
    assert np.allclose(run.joint_state_frequencies.sum(axis=2), run.frequencies)
    # once (D, D) is played, state 1 is absorbing
    assert (run.state_frequencies[:, -1, 1] == 1.0).all()


def test_run_outputs_are_json_html_and_a_figure():
    pytest.importorskip("matplotlib")
    import matplotlib

    matplotlib.use("Agg")
    run = simulate(PD, (QLearning(), Hedge()), periods=500, sessions=2, seed=1)
    data = json.loads(json.dumps(run.to_dict()))
    assert data["learners"][1] == {"learner": "Hedge", "learning_rate": None}
    assert len(data["frequencies"]) == 2 and "<table>" in run._repr_html_()
    axes = run.plot()
    assert len(axes) == 2 and len(axes[0].lines) == 2


@pytest.mark.parametrize("kwargs, match", [
    (dict(periods=0), "periods"),
    (dict(periods=10, sessions=-1), "sessions"),
    (dict(periods=10, memory=-1), "memory"),
    (dict(periods=10, window=11), "window"),
    (dict(periods=10, initial=[[0.5, 0.5]]), "initial"),
    (dict(periods=10, initial=[[0.2, 0.2], 0]), r"initial\[0\]"),
    (dict(periods=10, convergence="calvano"), "convergence"),
    (dict(periods=10, checkpoint="x.ckpt"), "seed"),
    (dict(periods=10, seed=-1), "seed"),
    (dict(periods=10, schedule=object()), "schedule"),
    (dict(periods=10, memory=1, observe="rivals"), "observe"),
    (dict(periods=10, observe=None), "observe"),
])
def test_bad_arguments_are_named(kwargs, match):
    with pytest.raises(InvalidArgumentError, match=match):
        simulate(PD, QLearning(), **kwargs)


def test_bad_learners_and_games_are_refused():
    with pytest.raises(InvalidArgumentError, match="learners"):
        simulate(PD, [QLearning()], periods=10)
    with pytest.raises(InvalidArgumentError, match=r"learners\[1\]"):
        simulate(PD, [QLearning(), "hedge"], periods=10)
    with pytest.raises(InvalidGameError, match="game"):
        simulate([[1, 2], [3, 4]], QLearning(), periods=10)
    with pytest.raises(InvalidArgumentError, match="alpha"):
        QLearning(alpha=0)
    with pytest.raises(InvalidArgumentError, match="exploration"):
        QLearning(exploration="greedy")
    with pytest.raises(InvalidArgumentError, match="step"):
        CrossLearning(step=2)
    with pytest.raises(InvalidArgumentError, match="stable_periods"):
        Convergence(stable_periods=0)


def test_module_doctests_pass():
    import doctest

    import games.learning.engine as engine

    assert doctest.testmod(engine).failed == 0
