"""games.learning long runs: a run killed with SIGKILL resumes from its checkpoint with
identical results, and the kernels give the same numbers as plain Python."""

from __future__ import annotations

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
from games.learning import (
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
