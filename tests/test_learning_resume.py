"""games.learning long runs: a run killed with SIGKILL resumes from its checkpoint with
identical results, also in the middle of a batch (one long session), and the kernels give
the same numbers as plain Python."""

from __future__ import annotations

import multiprocessing
import os
import pickle
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

import games
import games.learning.engine as engine
from games.errors import InvalidArgumentError
from games.learning import (
    Convergence,
    CrossLearning,
    Exp3,
    FictitiousPlay,
    Hedge,
    Imitation,
    QLearning,
    RegretMatching,
    simulate,
)

ROOT = Path(__file__).resolve().parents[1]

SCRIPT = """
import sys, numpy as np, games
from games.learning import simulate, QLearning
run = simulate(games.catalog.prisoners_dilemma(), QLearning(beta=1e-5), periods=400_000,
               sessions=64, seed=12, memory=1, checkpoint=sys.argv[1], executor="serial",
               progress=False)
np.save(sys.argv[2], run.frequencies)
print(run.resumed_sessions)
"""


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT)}


@pytest.mark.slow
def test_a_run_killed_midway_resumes_without_redoing_sessions(tmp_path):
    """SIGKILL a checkpointed run after some batches, rerun it with the same arguments:
    it loads the finished batches, plays the rest, and matches an uninterrupted run."""
    script = tmp_path / "run.py"
    script.write_text(SCRIPT)
    ckpt = tmp_path / "run.ckpt"
    proc = subprocess.Popen([sys.executable, str(script), str(ckpt), str(tmp_path / "a.npy")],
                            env=_env(), cwd=tmp_path)
    deadline = time.time() + 300
    while not ckpt.exists() and time.time() < deadline and proc.poll() is None:
        time.sleep(0.05)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert proc.returncode == -signal.SIGKILL, "the run finished before it could be killed"
    with open(ckpt, "rb") as fh:
        saved = len(pickle.load(fh)["chunks"])
    assert 0 < saved < 32
    out = subprocess.run([sys.executable, str(script), str(ckpt), str(tmp_path / "b.npy")],
                         env=_env(), cwd=tmp_path, check=True, capture_output=True, text=True)
    assert int(out.stdout.strip()) >= 2 * saved             # batches of two sessions
    fresh = tmp_path / "fresh.ckpt"
    subprocess.run([sys.executable, str(script), str(fresh), str(tmp_path / "c.npy")],
                   env=_env(), cwd=tmp_path, check=True, capture_output=True)
    assert np.array_equal(np.load(tmp_path / "b.npy"), np.load(tmp_path / "c.npy"))


LEARNERS = [QLearning(beta=1e-3), QLearning(exploration="boltzmann", beta=1e-3),
            FictitiousPlay(), FictitiousPlay(smoothing=0.2), RegretMatching(),
            RegretMatching(conditional=True), Hedge(), Exp3(), CrossLearning(step=0.1),
            Imitation(mutation=0.05)]

PLAIN = """
import pickle, sys, games
from games.learning import simulate
learners = pickle.loads(bytes.fromhex(sys.argv[1]))
observe = sys.argv[2] if len(sys.argv) > 2 else "joint"
run = simulate(games.catalog.rock_paper_scissors(), learners, periods=300, sessions=2,
               seed=5, memory=1, window=50, observe=observe)
sys.stdout.write(pickle.dumps((run.frequencies, run.final_policies)).hex())
"""


@pytest.mark.parametrize("learner", LEARNERS, ids=lambda lr: repr(lr)[:40])
def test_the_compiled_kernel_matches_plain_python(learner):
    """Every learner gives the same numbers with the kernel compiled and as plain Python
    (MASALIGN_DISABLE_JIT=1), so the fallback is a faithful reference."""
    learners = (learner, learner)
    compiled = simulate(games.catalog.rock_paper_scissors(), learners, periods=300,
                        sessions=2, seed=5, memory=1, window=50)
    env = {**_env(), "MASALIGN_DISABLE_JIT": "1"}
    out = subprocess.run([sys.executable, "-c", PLAIN, pickle.dumps(learners).hex()],
                         env=env, check=True, capture_output=True, text=True)
    freq, policies = pickle.loads(bytes.fromhex(out.stdout))
    np.testing.assert_allclose(freq, compiled.frequencies, rtol=0, atol=1e-12)
    np.testing.assert_allclose(policies, compiled.final_policies, rtol=1e-9, atol=1e-12)


@pytest.mark.parametrize("learner", LEARNERS[:2] + LEARNERS[4:5],
                         ids=lambda lr: repr(lr)[:40])
def test_the_compiled_kernel_matches_plain_python_with_own_observation(learner):
    """observe="own" (each learner's own memory) gives the same numbers compiled and as
    plain Python too."""
    learners = (learner, learner)
    compiled = simulate(games.catalog.rock_paper_scissors(), learners, periods=300,
                        sessions=2, seed=5, memory=1, window=50, observe="own")
    env = {**_env(), "MASALIGN_DISABLE_JIT": "1"}
    out = subprocess.run([sys.executable, "-c", PLAIN, pickle.dumps(learners).hex(), "own"],
                         env=env, check=True, capture_output=True, text=True)
    freq, policies = pickle.loads(bytes.fromhex(out.stdout))
    np.testing.assert_allclose(freq, compiled.frequencies, rtol=0, atol=1e-12)
    np.testing.assert_allclose(policies, compiled.final_policies, rtol=1e-9, atol=1e-12)


# ---------------------------------------------------------------------------------------
# Resuming in the middle of a batch

DD = {"Player 1": "D", "Player 2": "D"}


def _valued_pd() -> games.Game:
    """The PD with a value layer scoring mutual cooperation 1 (what a Regulator reads)."""
    pd = games.catalog.prisoners_dilemma()
    return games.Game(pd.payoffs, players=pd.players, actions=pd.actions,
                      layers={"value": np.array([[[1, 0], [0, 0]]])},
                      criteria={"value": ("cooperation",)})


def _case(name: str) -> dict:
    """simulate's arguments (1 session, 30 windows of 100 periods) for one kind of run."""
    import mechanisms as M

    pd = games.catalog.prisoners_dilemma()
    q = QLearning(alpha=0.2, beta=2e-3)
    common = {"periods": 3000, "window": 100, "seed": 11, "executor": "serial",
              "progress": False}
    cases = {
        "stateless": {"game": games.catalog.rock_paper_scissors(), "learners": Hedge()},
        # imitators read the last period's rewards; with seed 3 the rewards at the cut
        # differ, so a resumed run that lost them would copy differently
        "imitation": {"game": games.catalog.rock_paper_scissors(), "seed": 3,
                      "learners": Imitation(intensity=5.0, mutation=0.5)},
        "memory-1": {"game": pd, "learners": q, "memory": 1,
                     "convergence": Convergence(regret=0.01)},
        "own-memory": {"game": games.catalog.rock_paper_scissors(), "learners": q,
                       "memory": 1, "observe": "own"},
        "markov": {"game": games.catalog.commons_fishery(capacity=3), "learners": q,
                   "memory": 1},
        "penalty-switched-on": {"game": pd, "learners": q, "memory": 1,
                                "schedule": M.schedule(M.Penalty(3, on=DD), start=1000)},
        "regulator": {"game": _valued_pd(), "learners": q,
                      "schedule": M.Regulator(on=DD, target=0.9, gain=0.2, max_fine=10)},
    }
    return {**common, **cases[name]}


def _interrupt(monkeypatch, period: int, occurrence: int = 1) -> list[int]:
    """Make the kernel fail (as a kill would) the ``occurrence``-th time it is asked to
    play the window starting at ``period``, and only then; return the first periods of
    the windows it was asked to play."""
    kernel = engine.run_window
    calls: list[int] = []
    seen = [0]

    def run_window(*args):
        t0 = int(args[14])
        calls.append(t0)
        if t0 == period:
            seen[0] += 1
            if seen[0] == occurrence:
                raise RuntimeError(f"interrupted at period {period}")
        return kernel(*args)

    monkeypatch.setattr(engine, "run_window", run_window)
    return calls


def _assert_same_run(a, b) -> None:
    for field in ("frequencies", "mean_rewards", "final_policies", "final_greedy",
                  "final_state", "converged", "convergence_period", "state_frequencies",
                  "window_ends"):
        x, y = getattr(a, field), getattr(b, field)
        assert (x is None and y is None) or np.array_equal(x, y), field
    if a.schedule_log is None:
        assert b.schedule_log is None
    else:
        assert len(a.schedule_log) == len(b.schedule_log)
        for x, y in zip(a.schedule_log, b.schedule_log):
            assert x == y if isinstance(x, dict) else np.array_equal(x, y)


@pytest.mark.parametrize("name", ["stateless", "imitation", "memory-1", "own-memory",
                                  "markov", "penalty-switched-on", "regulator"])
def test_a_session_interrupted_mid_batch_resumes_from_its_last_saved_window(
        name, tmp_path, monkeypatch):
    """One session killed at period 1500 of 3000 (window 15): the rerun loads the state
    the batch saved after window 14, plays from window 15 on only, and gives bit-identical
    frequencies, rewards, policies and statuses to an uninterrupted run (every random
    draw comes from the session's own xoshiro stream, saved with the learners' state and
    the schedule's). No batch file remains once the run is complete."""
    args = _case(name)
    fresh = simulate(**args)
    monkeypatch.setattr(engine, "PARTIAL_INTERVAL", 0.0)
    ckpt = tmp_path / "run.ckpt"
    calls = _interrupt(monkeypatch, 1500)
    with pytest.raises(RuntimeError, match="interrupted"):
        simulate(**args, checkpoint=ckpt)
    assert not ckpt.exists()                         # no batch finished
    assert engine.partial_path(ckpt, 0).exists()
    calls.clear()
    resumed = simulate(**args, checkpoint=ckpt)
    assert calls == list(range(1500, 1500 + 100 * len(calls), 100))   # the rest only
    _assert_same_run(resumed, fresh)
    assert resumed.resumed_sessions == 0
    assert [f.name for f in tmp_path.iterdir()] == ["run.ckpt"]


def test_the_cases_are_not_trivial():
    """The memory-1 case converges (regret criterion) mid-run and the regulator moves its
    fine, so their saved statuses and schedule states matter."""
    run = simulate(**_case("memory-1"))
    assert run.converged.all() and 1500 < run.convergence_period[0] < 3000
    fines = np.array(simulate(**_case("regulator")).schedule_log).ravel()
    assert len(set(fines[:15].tolist())) > 1 and len(set(fines[15:].tolist())) > 1


def test_a_batch_file_written_with_other_arguments_is_refused(tmp_path, monkeypatch):
    """A batch in progress saved by a run with seed 11 is not used by a run with seed 12:
    that run is refused before playing (and the file is kept), as a checkpoint of other
    arguments is; the run with seed 11 then resumes from it."""
    args = _case("memory-1")
    monkeypatch.setattr(engine, "PARTIAL_INTERVAL", 0.0)
    ckpt = tmp_path / "run.ckpt"
    calls = _interrupt(monkeypatch, 1500)
    with pytest.raises(RuntimeError, match="interrupted"):
        simulate(**args, checkpoint=ckpt)
    saved = engine.partial_path(ckpt, 0).read_bytes()
    calls.clear()
    with pytest.raises(InvalidArgumentError, match="different arguments"):
        simulate(**{**args, "seed": 12}, checkpoint=ckpt)
    assert calls == [] and engine.partial_path(ckpt, 0).read_bytes() == saved
    _assert_same_run(simulate(**args, checkpoint=ckpt), simulate(**args))
    assert calls[0] == 1500


def test_batches_saved_slowly_write_no_batch_file(tmp_path):
    """With the default interval (tens of seconds) a short batch never writes its state,
    and a complete run leaves only its checkpoint."""
    args = _case("stateless")
    assert engine.PARTIAL_INTERVAL >= 10
    run = simulate(**{**args, "sessions": 3}, checkpoint=tmp_path / "run.ckpt")
    assert [f.name for f in tmp_path.iterdir()] == ["run.ckpt"]
    assert run.frequencies.shape == (3, 30, 9)


@pytest.mark.skipif(multiprocessing.get_start_method() != "fork",
                    reason="the interruption is patched into the parent before the fork")
def test_every_batch_of_a_process_pool_keeps_its_own_file(tmp_path, monkeypatch):
    """Four batches on a process pool, all interrupted at period 1500: each worker saved
    its own batch's file; the rerun on a pool continues every batch from it and matches
    a serial uninterrupted run."""
    args = {**_case("memory-1"), "sessions": 4}
    fresh = simulate(**args)
    monkeypatch.setattr(engine, "PARTIAL_INTERVAL", 0.0)
    ckpt = tmp_path / "run.ckpt"
    _interrupt(monkeypatch, 1500)
    with pytest.raises(RuntimeError, match="interrupted"):
        simulate(**{**args, "executor": "processes"}, checkpoint=ckpt)
    assert all(engine.partial_path(ckpt, start).exists() for start in range(4))
    monkeypatch.undo()
    resumed = simulate(**{**args, "executor": "processes"}, checkpoint=ckpt)
    _assert_same_run(resumed, fresh)
    assert [f.name for f in tmp_path.iterdir()] == ["run.ckpt"]


def test_a_finished_batch_keeps_no_file_when_a_later_one_is_interrupted(
        tmp_path, monkeypatch):
    """Two serial batches, the second interrupted: the first is in the checkpoint (its
    file is deleted on resume), the second resumes from its own file."""
    args = {**_case("penalty-switched-on"), "sessions": 2}
    fresh = simulate(**args)
    monkeypatch.setattr(engine, "PARTIAL_INTERVAL", 0.0)
    ckpt = tmp_path / "run.ckpt"
    calls = _interrupt(monkeypatch, 1500, occurrence=2)
    with pytest.raises(RuntimeError, match="interrupted"):
        simulate(**args, checkpoint=ckpt)
    assert ckpt.exists() and engine.partial_path(ckpt, 1).exists()
    calls.clear()
    resumed = simulate(**args, checkpoint=ckpt)
    assert calls == list(range(1500, 3000, 100)) and resumed.resumed_sessions == 1
    _assert_same_run(resumed, fresh)
    assert [f.name for f in tmp_path.iterdir()] == ["run.ckpt"]


LONG_SESSION = """
import pickle, sys, numpy as np, games
import games.learning.engine as engine
from games.learning import simulate, QLearning
engine.PARTIAL_INTERVAL = 0.2
kernel = engine.run_window
first = []
def run_window(*args):
    if not first:
        first.append(int(args[14]))
    return kernel(*args)
engine.run_window = run_window
run = simulate(games.catalog.prisoners_dilemma(), QLearning(beta=1e-7), periods=100_000_000,
               sessions=1, seed=3, memory=1, window=20_000, checkpoint=sys.argv[1],
               executor="serial", progress=False)
with open(sys.argv[2], "wb") as fh:
    pickle.dump((run.frequencies, run.mean_rewards, run.final_policies, run.final_state,
                 run.converged, run.convergence_period), fh)
print(first[0])
"""


@pytest.mark.slow
def test_one_long_session_killed_midway_resumes_from_its_batch_file(tmp_path):
    """SIGKILL one long session (10^8 periods) once it has saved its state: the rerun
    continues from the saved window (not period 0) and matches an uninterrupted run."""
    script = tmp_path / "long.py"
    script.write_text(LONG_SESSION)
    ckpt = tmp_path / "run.ckpt"
    partial = engine.partial_path(ckpt, 0)
    proc = subprocess.Popen([sys.executable, str(script), str(ckpt), str(tmp_path / "a.pkl")],
                            env=_env(), cwd=tmp_path)
    deadline = time.time() + 300
    while not partial.exists() and time.time() < deadline and proc.poll() is None:
        time.sleep(0.05)
    time.sleep(0.5)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert proc.returncode == -signal.SIGKILL, "the run finished before it could be killed"
    assert partial.exists() and not ckpt.exists()
    out = subprocess.run([sys.executable, str(script), str(ckpt), str(tmp_path / "b.pkl")],
                         env=_env(), cwd=tmp_path, check=True, capture_output=True, text=True)
    assert int(out.stdout.strip()) > 0                    # resumed mid-session
    assert not partial.exists()
    fresh = tmp_path / "fresh.ckpt"
    out = subprocess.run([sys.executable, str(script), str(fresh), str(tmp_path / "c.pkl")],
                         env=_env(), cwd=tmp_path, check=True, capture_output=True, text=True)
    assert int(out.stdout.strip()) == 0
    resumed = pickle.loads((tmp_path / "b.pkl").read_bytes())
    uninterrupted = pickle.loads((tmp_path / "c.pkl").read_bytes())
    for x, y in zip(resumed, uninterrupted):
        assert np.array_equal(x, y)
