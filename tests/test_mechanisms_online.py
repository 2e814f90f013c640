"""Mechanisms switched on mid-run: the reward-schedule protocol of mechanisms.online,
checked window by window against payoffs and costs computed by hand."""

from dataclasses import dataclass

import numpy as np
import pytest

import games
import mechanisms as M
from games.catalog import prisoners_dilemma

DD = {"Player 1": "D", "Player 2": "D"}


@dataclass(frozen=True)
class Run:
    """The two fields of a LearningRun that costs and fines read."""

    frequencies: np.ndarray
    schedule_log: list


def play(sched, game, windows, window=10, sessions=1, frequencies=None):
    """Drive a schedule as the engine does: start, then rewards before each window."""
    state = sched.start(game, sessions)
    payoffs, log = [], []
    for w in range(windows):
        last = None if w == 0 or frequencies is None else frequencies[:, w - 1]
        p, state = sched.rewards(state, w, w * window, last)
        payoffs.append(p)
        log.append(sched.record(state))
    return payoffs, log


def test_a_scheduled_penalty_changes_the_rewards_only_while_it_is_on():
    """PD (T, R, P, S) = (5, 3, 1, 0) with a fine of 3 on defection: while on, (D, D) pays
    1 - 3 = -2 to each and (D, C) pays 5 - 3 = 2 to the defector."""
    pd = prisoners_dilemma()
    sched = M.schedule(M.Penalty(3, on=DD), start=20, stop=40)
    payoffs, log = play(sched, pd, windows=5)
    assert [entry["on"] for entry in log] == [False, False, True, True, False]
    assert payoffs[0].tolist() == pd.float_payoffs.tolist()
    assert payoffs[2][:, 1, 1].tolist() == [-2.0, -2.0]
    assert payoffs[2][:, 1, 0].tolist() == [2.0, 0.0]
    assert payoffs[4].tolist() == pd.float_payoffs.tolist()


def test_the_operator_collects_the_fines_only_in_windows_under_the_mechanism():
    """All play at (D, D): each window under the fine collects 3 from each player, a cost
    of -6 to the operator; half the time at (C, C) halves it."""
    pd = prisoners_dilemma()
    sched = M.schedule(M.Penalty(3, on=DD), start=10)
    _, log = play(sched, pd, windows=3)
    freq = np.zeros((2, 3, 4))
    freq[0, :, 3] = 1.0
    freq[1, :, [0, 3]] = 0.5
    costs = sched.costs(pd, Run(freq, log))
    assert costs.tolist() == [[0.0, -6.0, -6.0], [0.0, -3.0, -3.0]]


def test_a_schedule_refuses_what_cannot_reshape_rewards():
    with pytest.raises(games.InvalidArgumentError, match="players or actions"):
        M.schedule(M.Repetition(0.9)).start(prisoners_dilemma(), 1)
    with pytest.raises(games.InvalidArgumentError, match="stop: expected a period after"):
        M.schedule(M.Penalty(1, on=DD), start=10, stop=10)
    with pytest.raises(games.InvalidArgumentError, match="start"):
        M.schedule(M.Penalty(1, on=DD), start=-1)
    with pytest.raises(games.InvalidArgumentError, match="mechanism"):
        M.schedule("penalty")


def _valued_pd():
    """The PD with a value layer that scores mutual cooperation 1 and anything else 0."""
    pd = prisoners_dilemma()
    value = np.array([[[1, 0], [0, 0]]])
    return games.Game(pd.payoffs, players=pd.players, actions=pd.actions,
                      layers={"value": value}, criteria={"value": ("cooperation",)})


def test_the_regulator_raises_the_fine_by_the_gain_times_the_shortfall_up_to_its_cap():
    """F_{w+1} = min(F_max, max(0, F_w + k (v* - v_w))) with k = 2, v* = 1, F_max = 5:
    a session stuck at (D, D) (v = 0) is fined 0, 2, 4, 5, 5; one at (C, C) (v = 1) keeps
    its fine at 0."""
    g = _valued_pd()
    reg = M.Regulator(on=DD, target=1, gain=2, max_fine=5)
    freq = np.zeros((2, 5, 4))
    freq[0, :, 3] = 1.0
    freq[1, :, 0] = 1.0
    payoffs, log = play(reg, g, windows=5, sessions=2, frequencies=freq)
    fines = reg.fines(Run(freq, log))
    assert fines.tolist() == [[0, 2, 4, 5, 5], [0, 0, 0, 0, 0]]
    assert payoffs[2].shape == (2, 2, 2, 2)
    assert payoffs[2][0, :, 1, 1].tolist() == [1 - 4, 1 - 4]
    assert payoffs[2][1].tolist() == g.float_payoffs.tolist()
    # the operator collects the fine from both defectors
    assert reg.costs(g, Run(freq, log))[0].tolist() == [0, -4, -8, -10, -10]


def test_the_regulator_lowers_the_fine_once_values_are_above_target():
    g = _valued_pd()
    reg = M.Regulator(on=DD, target=0.5, gain=1, max_fine=10, initial_fine=3)
    freq = np.zeros((1, 3, 4))
    freq[0, :, 0] = 1.0                      # v = 1 > 0.5: the fine falls by 0.5 a window
    _, log = play(reg, g, windows=3, frequencies=freq)
    assert reg.fines(Run(freq, log)).tolist() == [[3, 2.5, 2]]


def test_a_stopped_session_keeps_its_fine():
    g = _valued_pd()
    reg = M.Regulator(on=DD, target=1, gain=1, max_fine=10, initial_fine=1)
    freq = np.zeros((1, 3, 4))                # no play recorded: a converged session
    _, log = play(reg, g, windows=3, frequencies=freq)
    assert reg.fines(Run(freq, log)).tolist() == [[1, 1, 1]]


@pytest.mark.parametrize("kwargs, field", [
    ({"target": "high"}, "target"), ({"gain": 0}, "gain"), ({"gain": float("nan")}, "gain"),
    ({"max_fine": -1}, "max_fine"), ({"initial_fine": 6}, "initial_fine"),
    ({"layer": 3}, "layer"), ({"criterion": 0}, "criterion"),
])
def test_regulator_arguments_are_checked(kwargs, field):
    args = {"on": DD, "target": 1, "gain": 1, "max_fine": 5, **kwargs}
    with pytest.raises(games.InvalidArgumentError, match=field):
        M.Regulator(**args)


def test_the_regulator_needs_the_layer_it_measures():
    reg = M.Regulator(on=DD, target=1, gain=1, max_fine=5)
    with pytest.raises(games.InvalidArgumentError, match="layer: expected one of"):
        reg.start(prisoners_dilemma(), 1)
    with pytest.raises(games.InvalidArgumentError, match="criterion"):
        M.Regulator(on=DD, target=1, gain=1, max_fine=5, criterion="honesty").start(
            _valued_pd(), 1)


def test_schedules_and_regulators_describe_themselves():
    sched = M.schedule(M.Penalty(3, on=DD), start=5, stop=9)
    assert sched.to_dict()["start"] == 5 and sched.to_dict()["stop"] == 9
    assert "start=5, stop=9" in repr(sched) and "<code>" in sched._repr_html_()
    reg = M.Regulator(on=DD, target=1, gain=2, max_fine=5)
    assert reg.to_dict()["gain"] == 2.0 and "Regulator" in reg._repr_html_()
