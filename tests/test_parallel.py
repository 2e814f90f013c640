"""games.parallel.run_tasks: order, seeding independent of the executor, errors."""

from __future__ import annotations

import ast
import doctest
import os
import pickle
import signal
import subprocess
import sys
import time
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pytest

import games
from games import InvalidArgumentError, parallel
from games.parallel import child_seeds, executor_for, load_checkpoint, run_tasks

ROOT = Path(__file__).resolve().parent.parent


def draw(size: int, seed: np.random.SeedSequence) -> list[float]:
    return np.random.default_rng(seed).random(size).tolist()


def square(x: int) -> int:
    return x * x


def fail_on_three(x: int) -> int:
    if x == 3:
        raise ValueError("three")
    return x


def test_doctests_pass():
    assert doctest.testmod(parallel).failed == 0


def test_results_come_back_in_task_order_on_every_executor():
    tasks = list(range(23))
    expected = [x * x for x in tasks]
    assert run_tasks(square, tasks, executor="serial") == expected
    assert run_tasks(square, tasks, executor="threads", chunksize=3) == expected
    assert run_tasks(square, tasks, executor="processes", max_workers=2) == expected
    with ThreadPoolExecutor(2) as pool:
        assert run_tasks(square, tasks, executor=pool, chunksize=5) == expected


def test_same_seed_same_numbers_whatever_the_executor_and_chunking():
    tasks = [3, 1, 4, 1, 5, 9, 2, 6]
    serial = run_tasks(draw, tasks, seed=42, executor="serial")
    assert run_tasks(draw, tasks, seed=42, executor="threads", chunksize=3) == serial
    assert run_tasks(draw, tasks, seed=42, executor="processes", max_workers=2,
                     chunksize=1) == serial
    assert run_tasks(draw, tasks, seed=43, executor="serial") != serial


def test_child_seeds_are_the_spawned_children_of_the_root():
    ours = [np.random.default_rng(s).random() for s in child_seeds(9, 3)]
    theirs = [np.random.default_rng(s).random() for s in np.random.SeedSequence(9).spawn(3)]
    assert ours == theirs and len(set(ours)) == 3


def test_task_errors_propagate():
    with pytest.raises(ValueError, match="three"):
        run_tasks(fail_on_three, range(5), executor="serial")
    with pytest.raises(ValueError, match="three"):
        run_tasks(fail_on_three, range(5), executor="threads")


def test_empty_task_list_gives_an_empty_result():
    assert run_tasks(square, [], seed=1) == []


def test_progress_bar_counts_every_task(capsys):
    assert run_tasks(square, range(10), executor="serial", progress=True,
                     description="squares") == [x * x for x in range(10)]
    err = capsys.readouterr().err
    assert "squares" in err and "10/10" in err


@pytest.mark.parametrize("kwargs, message", [
    (dict(executor="gpu"), "executor"),
    (dict(executor=object()), "Executor"),
    (dict(chunksize=0), "chunksize"),
    (dict(max_workers=0), "max_workers"),
    (dict(seed=np.random.default_rng(1)), "Generator"),
    (dict(seed=-1), "seed: expected None, an integer >= 0"),
    (dict(seed="abc"), "seed: expected None, an integer >= 0 or a numpy SeedSequence, "
                       "found str 'abc'"),
    (dict(seed=1.5), "found float 1.5"),
    (dict(seed=True), "found bool True"),
    (dict(max_workers=2.0), "max_workers: expected a positive integer, found 2.0"),
])
def test_bad_arguments_are_rejected(kwargs, message):
    """Arguments that are not games raise InvalidArgumentError (seeds used to escape as
    numpy's TypeError or ValueError)."""
    with pytest.raises(InvalidArgumentError, match=message):
        run_tasks(square, range(3), **kwargs)


def test_a_function_or_tasks_of_the_wrong_kind_are_rejected():
    with pytest.raises(InvalidArgumentError, match="function: expected a callable"):
        run_tasks(3, range(3))
    with pytest.raises(InvalidArgumentError, match="tasks: expected an iterable"):
        run_tasks(square, 3)


# ---------------------------------------------------------------------------------------
# Checkpoint and resume


def _noisy_square(x, seed):
    return x * x + float(np.random.default_rng(seed).random())


class _FailAfter:
    """A task function that crashes on one task, as a killed run would stop there."""

    def __init__(self, bad):
        self.bad = bad

    def __call__(self, x, seed):
        if x == self.bad:
            raise RuntimeError("killed")
        return _noisy_square(x, seed)


def test_a_checkpointed_run_resumes_without_redoing_finished_chunks(tmp_path):
    path = tmp_path / "run.ckpt"
    whole = run_tasks(_noisy_square, range(10), seed=5, executor="serial", chunksize=2)
    fingerprint = "squares v1"
    with pytest.raises(RuntimeError, match="killed"):
        run_tasks(_FailAfter(6), range(10), seed=5, executor="serial", chunksize=2,
                  checkpoint=path, fingerprint=fingerprint)
    saved = load_checkpoint(path, fingerprint)
    assert sorted(saved) == [0, 1, 2]                 # tasks 0-5 finished, in three chunks
    # the resumed run must not call the function on a finished task again
    resumed = run_tasks(_FailAfter(0), range(10), seed=5, executor="serial", chunksize=2,
                        checkpoint=path, fingerprint=fingerprint)
    assert resumed == whole
    assert sorted(load_checkpoint(path, fingerprint)) == [0, 1, 2, 3, 4]


def test_a_checkpoint_of_another_run_is_refused(tmp_path):
    path = tmp_path / "run.ckpt"
    run_tasks(_noisy_square, range(4), seed=5, executor="serial", checkpoint=path)
    with pytest.raises(games.InvalidArgumentError, match="different arguments"):
        run_tasks(_noisy_square, range(4), seed=6, executor="serial", checkpoint=path)
    path.write_bytes(b"not a checkpoint")
    with pytest.raises(games.InvalidArgumentError, match="unreadable"):
        run_tasks(_noisy_square, range(4), seed=5, executor="serial", checkpoint=path)
    with pytest.raises(games.InvalidArgumentError, match="explicit seed"):
        run_tasks(_noisy_square, range(4), seeded=True, checkpoint=tmp_path / "x")
    with pytest.raises(games.InvalidArgumentError, match="checkpoint: expected a file path"):
        run_tasks(_noisy_square, range(4), seed=1, checkpoint=3)


KILLED_RUN = """
import sys, time
from games.parallel import run_tasks

def slow(x, seed):
    time.sleep(0.2)
    import numpy as np
    return x + float(np.random.default_rng(seed).random())

if __name__ == "__main__":
    print(run_tasks(slow, range(12), seed=9, executor="serial", chunksize=1,
                    checkpoint=sys.argv[1], progress=False))
"""


def test_a_run_killed_by_sigkill_resumes_to_the_uninterrupted_result(tmp_path):
    """SIGKILL gives the run no chance to clean up: the checkpoint on disk is always
    whole (atomic replace), and the rerun finishes only what is missing."""
    script = tmp_path / "killed_run.py"
    script.write_text(KILLED_RUN)
    path = tmp_path / "run.ckpt"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    child = subprocess.Popen([sys.executable, str(script), str(path)], env=env,
                             stdout=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while not path.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(0.5)
    child.send_signal(signal.SIGKILL)
    child.wait()
    assert child.returncode == -signal.SIGKILL

    with open(path, "rb") as fh:
        finished = len(pickle.load(fh)["chunks"])
    assert 0 < finished < 12                       # killed halfway, the file still whole
    resumed = subprocess.run([sys.executable, str(script), str(path)], env=env,
                             capture_output=True, text=True, check=True).stdout
    fresh = subprocess.run([sys.executable, str(script), str(tmp_path / "fresh.ckpt")],
                           env=env, capture_output=True, text=True, check=True).stdout
    assert resumed == fresh and len(ast.literal_eval(resumed)) == 12


def test_executor_for_gives_what_the_command_line_asks_for():
    with executor_for() as executor:
        assert executor is None                      # run_tasks chooses
    with executor_for(1) as executor:
        assert executor == "serial"
    with executor_for(2) as executor:
        assert isinstance(executor, ProcessPoolExecutor)
        assert run_tasks(square, [1, 2, 3], executor=executor) == [1, 4, 9]
    for bad in (0, -1, 1.5, True):
        with pytest.raises(InvalidArgumentError, match="--workers"):
            with executor_for(bad):
                pass
    with pytest.raises(InvalidArgumentError, match="expected one of them, found both"):
        with executor_for(2, "tcp://127.0.0.1:1"):
            pass


def test_executor_for_refuses_a_scheduler_that_is_not_an_address():
    for bad in (8786, "", "  "):
        with pytest.raises(InvalidArgumentError, match="--scheduler"):
            with executor_for(scheduler=bad):
                pass
