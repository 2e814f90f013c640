"""games.parallel.run_tasks: order, seeding independent of the executor, errors."""

from __future__ import annotations

import doctest
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest

from games import InvalidArgumentError, parallel
from games.parallel import child_seeds, run_tasks


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
