"""games.learning.env.GameEnv: a PettingZoo ParallelEnv over a repeated Game or a
MarkovGame, checked with PettingZoo's own API test, and mechanisms on live play through
mechanisms.MechanismRewards."""

import doctest
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from games import InvalidArgumentError
from games.catalog import capability_contest, commons_fishery, prisoners_dilemma, public_goods

pettingzoo = pytest.importorskip("pettingzoo")
from pettingzoo.test import parallel_api_test  # noqa: E402

from games.learning import env as env_module  # noqa: E402
from games.learning.env import GameEnv, agent_ids  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize("make", [
    lambda: GameEnv(prisoners_dilemma(), periods=25, seed=1),
    lambda: GameEnv(prisoners_dilemma(), periods=25, memory=2, seed=1),
    lambda: GameEnv(public_goods(3), periods=10, memory=1, observation="index"),
    lambda: GameEnv(commons_fishery(), periods=40, memory=1, seed=3),
    lambda: GameEnv(capability_contest(), periods=30, seed=4, observation="index"),
], ids=["pd", "pd-memory-2", "public-goods-index", "fishery", "contest-index"])
def test_parallel_api_test_passes(make):
    env = make()
    parallel_api_test(env, num_cycles=60)
    assert isinstance(env, pettingzoo.ParallelEnv) and isinstance(env, GameEnv)


def test_rewards_are_stage_payoffs_and_episode_truncates_after_periods():
    game = prisoners_dilemma()
    env = GameEnv(game, periods=3, memory=1)
    obs, infos = env.reset(seed=0)
    assert env.agents == ["player_1", "player_2"]
    assert obs["player_1"].tolist() == [2, 2]  # no play yet: code a_i = 2
    plays = [(0, 0), (0, 1), (1, 1)]
    for t, (a, b) in enumerate(plays, start=1):
        obs, rewards, terminations, truncations, infos = env.step(
            {"player_1": a, "player_2": b})
        expected = game.float_payoffs[:, a, b]
        assert [rewards["player_1"], rewards["player_2"]] == expected.tolist()
        assert obs["player_2"].tolist() == [a, b]
        assert infos["player_1"]["joint_action"] == (a, b) and infos["player_1"]["period"] == t
        assert not any(terminations.values())
        assert all(truncations.values()) == (t == 3)
    assert env.agents == []
    with pytest.raises(InvalidArgumentError, match="reset"):
        env.step({"player_1": 0, "player_2": 0})


def test_markov_env_follows_the_fishery_and_observes_the_stock():
    """From full stock (5), two greedy fishers leave 1 and the stock doubles to 2 with
    certainty (GovSim's rule); the reward is each fisher's catch, 2."""
    fishery = commons_fishery()
    env = GameEnv(fishery, periods=10, seed=0)
    obs, infos = env.reset()
    assert obs["fisher_1"].tolist() == [5] and infos["fisher_1"]["state_name"] == "stock 5"
    obs, rewards, *_, infos = env.step({"fisher_1": 1, "fisher_2": 1})
    assert obs["fisher_1"].tolist() == [2] and rewards == {"fisher_1": 2.0, "fisher_2": 2.0}
    assert infos["fisher_2"]["previous_state"] == 5 and infos["fisher_2"]["state"] == 2
    assert env.observation_space("fisher_1").contains(obs["fisher_1"])
    # greedy play ends at the collapsed, absorbing stock; restraint keeps it full
    for _ in range(8):
        obs, rewards, *_ = env.step({"fisher_1": 1, "fisher_2": 1})
    assert obs["fisher_1"].tolist() == [0] and rewards == {"fisher_1": 0.0, "fisher_2": 0.0}
    env.reset()
    for _ in range(10):
        obs, rewards, *_ = env.step({"fisher_1": 0, "fisher_2": 0})
    assert obs["fisher_1"].tolist() == [5] and rewards["fisher_1"] == 1.0


def test_reset_with_a_seed_replays_the_same_episode():
    env = GameEnv(capability_contest(), periods=50, memory=1, seed=7)

    def episode(seed):
        obs, _ = env.reset(seed=seed)
        trace = [obs["contestant_1"].tolist()]
        while env.agents:
            actions = {a: env.action_space(a).sample() for a in env.agents}
            obs, rewards, *_ = env.step(actions)
            if obs:
                trace.append((obs["contestant_1"].tolist(), rewards["contestant_2"]))
        return trace

    first, second, other = episode(11), episode(11), episode(12)
    assert first == second and first != other


def test_index_observations_are_the_flat_index_of_the_vector():
    env = GameEnv(commons_fishery(), periods=5, memory=1, seed=0, observation="index")
    obs, _ = env.reset()
    space = env.observation_space("fisher_1")
    assert space.n == 6 * 3 * 3
    assert obs["fisher_1"] == np.ravel_multi_index((5, 2, 2), (6, 3, 3))
    obs, *_ = env.step({"fisher_1": 0, "fisher_2": 1})
    assert obs["fisher_1"] == np.ravel_multi_index((4, 0, 1), (6, 3, 3))


def test_bad_arguments_and_actions_are_refused():
    with pytest.raises(InvalidArgumentError, match="game: expected a Game or a MarkovGame"):
        GameEnv([[1, 2]], periods=3)
    with pytest.raises(InvalidArgumentError, match="periods"):
        GameEnv(prisoners_dilemma(), periods=0)
    with pytest.raises(InvalidArgumentError, match="memory"):
        GameEnv(prisoners_dilemma(), memory=-1)
    env = GameEnv(prisoners_dilemma(), periods=3)
    env.reset()
    with pytest.raises(InvalidArgumentError, match=r"actions\['player_2'\]: expected an integer "
                                                   r"in 0..1, found 2"):
        env.step({"player_1": 0, "player_2": 2})
    with pytest.raises(InvalidArgumentError, match="found none for"):
        env.step({"player_1": 0})
    assert agent_ids(("Fisher 1", "fisher-1", "")) == ("fisher_1", "fisher_1_2", "player_3")


def test_render_ansi_describes_the_last_period():
    env = GameEnv(prisoners_dilemma(), periods=2, render_mode="ansi")
    env.reset(seed=0)
    env.step({"player_1": 1, "player_2": 0})
    game = prisoners_dilemma()
    expected = [float(x) for x in game.float_payoffs[:, 1, 0]]
    assert env.render() == f"period 1: state stage, actions (D, C), rewards {expected}"


def test_mechanism_rewards_reshapes_the_env_rewards():
    """mechanisms.MechanismRewards around the PD env: a Penalty (Becker 1968) of 3 on
    defection lowers a defector's reward by 3 and records the fine as the operator's
    (negative) cost; rewards at mutual cooperation are unchanged."""
    mechanisms = pytest.importorskip("mechanisms")
    game = prisoners_dilemma()
    env = GameEnv(game, periods=4, memory=1, seed=0)
    penalty = mechanisms.Penalty(fine=3, on={"player_1": "D", "player_2": "D"})
    wrapped = mechanisms.MechanismRewards(env, penalty, actions=env.action_names)
    wrapped.reset(seed=0)
    _, rewards, _, _, infos = wrapped.step({"player_1": 1, "player_2": 0})
    raw = game.float_payoffs[:, 1, 0]
    assert rewards == {"player_1": raw[0] - 3, "player_2": raw[1]}
    assert infos["player_1"]["raw_reward"] == raw[0]
    assert infos["player_1"]["mechanism_cost"] == -3.0
    _, rewards, *_ = wrapped.step({"player_1": 0, "player_2": 0})
    assert [rewards["player_1"], rewards["player_2"]] == game.float_payoffs[:, 0, 0].tolist()
    _, rewards, *_ = wrapped.step({"player_1": 1, "player_2": 1})
    assert [rewards["player_1"], rewards["player_2"]] == (game.float_payoffs[:, 1, 1] - 3).tolist()
    assert wrapped.total_cost == -9.0
    # a fishery quota-by-penalty on the live env: fines on the high effort
    fishery = GameEnv(commons_fishery(), periods=3, seed=0)
    fined = mechanisms.MechanismRewards(
        fishery, mechanisms.Penalty(fine=1, on={"fisher_1": "high", "fisher_2": "high"}),
        actions=fishery.action_names)
    fined.reset(seed=0)
    _, rewards, *_ = fined.step({"fisher_1": 1, "fisher_2": 1})
    assert rewards == {"fisher_1": 1.0, "fisher_2": 1.0}  # catches of 2, minus the fine


def test_without_pettingzoo_construction_raises_import_error_with_the_pip_command():
    code = ("import sys; sys.modules['pettingzoo'] = None\n"
            "from games.catalog import prisoners_dilemma\n"
            "from games.learning.env import GameEnv\n"
            "try:\n    GameEnv(prisoners_dilemma())\n"
            "except ImportError as e:\n    print('IMPORT-ERROR', e)\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, cwd=ROOT).stdout
    assert "IMPORT-ERROR" in out and "pip install" in out and "pettingzoo" in out


def test_module_doctests_pass():
    assert doctest.testmod(env_module).failed == 0
