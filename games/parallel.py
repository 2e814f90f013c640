"""One helper for long-running work: :func:`run_tasks`.

Tournaments, evolutionary sweeps and mechanism parameter sweeps all run through it. It
takes any :class:`concurrent.futures.Executor` (a local process pool, a thread pool, or a
Dask cluster's ``Client.get_executor()``, unchanged), shows a tqdm progress bar on long
runs, and is reproducible: with a ``seed``, task ``k`` receives the ``k``-th child of
``numpy.random.SeedSequence(seed).spawn(n_tasks)`` whatever executor, number of workers
or chunking runs it, so the same seed gives the same numbers on one core or many.

Examples
--------
>>> import numpy as np
>>> def mean_draw(size, seed):
...     return float(np.random.default_rng(seed).random(size).mean())
>>> a = run_tasks(mean_draw, [10, 20, 30], seed=7, executor="serial")
>>> b = run_tasks(mean_draw, [10, 20, 30], seed=7, executor="threads", chunksize=2)
>>> a == b
True
"""

from __future__ import annotations

import hashlib
import os
import pickle
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Executor, ProcessPoolExecutor, ThreadPoolExecutor, as_completed
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np

from games.arguments import check_integer
from games.errors import InvalidArgumentError
from games.io import atomic_output

__all__ = ["run_tasks", "child_seeds", "load_checkpoint", "save_checkpoint", "executor_for"]

#: Seconds before the progress bar appears (short runs never show one).
PROGRESS_DELAY = 2.0

#: Format version of the checkpoint files written by :func:`run_tasks`.
CHECKPOINT_VERSION = 1


def child_seeds(seed: Any, n: int) -> list[np.random.SeedSequence]:
    """``n`` independent child seeds of ``seed`` (an int >= 0, a SeedSequence or None for
    fresh entropy), by :meth:`numpy.random.SeedSequence.spawn`.

    Raises
    ------
    InvalidArgumentError
        Any other seed (a Generator, a negative or non-integer number, a bool), or ``n``
        not an integer >= 0.
    """
    if isinstance(seed, np.random.Generator):
        raise InvalidArgumentError(
            "seed: expected an int or a numpy SeedSequence (a Generator cannot be split "
            "reproducibly across processes), found a Generator")
    if isinstance(n, (bool, np.bool_)) or not isinstance(n, (int, np.integer)) or n < 0:
        raise InvalidArgumentError(f"n: expected an integer >= 0, found {n!r}")
    if isinstance(seed, np.random.SeedSequence):
        return seed.spawn(int(n))
    if seed is not None and (isinstance(seed, (bool, np.bool_))
                             or not isinstance(seed, (int, np.integer)) or seed < 0):
        raise InvalidArgumentError(f"seed: expected None, an integer >= 0 or a numpy "
                                   f"SeedSequence, found {type(seed).__name__} {seed!r}")
    return np.random.SeedSequence(None if seed is None else int(seed)).spawn(int(n))


def _run_chunk(function: Callable[..., Any], items: Sequence[tuple[Any, Any]],
               seeded: bool) -> list[Any]:
    if seeded:
        return [function(task, seed) for task, seed in items]
    return [function(task) for task, _ in items]


@contextmanager
def executor_for(workers: int | None = None,
                 scheduler: str | None = None) -> Iterator[Executor | str | None]:
    """The executor a command line asks for, closed on exit: ``scheduler`` (the address
    of a Dask scheduler, e.g. ``"tcp://10.0.0.5:8786"``; needs ``masalign[cluster]``)
    gives its client's executor; ``workers = 1`` runs serially, ``workers = n`` on a
    local pool of n processes; neither leaves the choice to :func:`run_tasks` (one
    process per core). The numbers do not depend on the choice.

    Raises
    ------
    InvalidArgumentError
        ``workers`` below 1, both options given, or dask missing.
    """
    if workers is not None:
        workers = check_integer(workers, "--workers", minimum=1)
    if scheduler is not None:
        if workers is not None:
            raise InvalidArgumentError("--workers and --scheduler: expected one of them, "
                                       "found both (the cluster's workers are set where it "
                                       "runs)")
        if not isinstance(scheduler, str) or not scheduler.strip():
            raise InvalidArgumentError(f"--scheduler: expected a scheduler's address such as "
                                       f"'tcp://10.0.0.5:8786', found {scheduler!r}")
        try:
            from dask.distributed import Client
        except ImportError:
            raise InvalidArgumentError("--scheduler: a Dask cluster needs dask.distributed: "
                                       "pip install 'masalign[cluster]'") from None
        with Client(scheduler) as client:
            yield client.get_executor()
        return
    if workers is None or workers == 1:
        yield None if workers is None else "serial"
        return
    with ProcessPoolExecutor(max_workers=workers) as pool:
        yield pool


def run_tasks(function: Callable[..., Any], tasks: Iterable[Any], *, seed: Any = None,
              seeded: bool | None = None, executor: Executor | str | None = None,
              max_workers: int | None = None, chunksize: int | None = None,
              progress: bool | None = None, description: str | None = None,
              checkpoint: str | os.PathLike | None = None, fingerprint: str | None = None,
              weights: Sequence[int] | None = None, unit: str = "task") -> list[Any]:
    """Run ``function`` on every task and return the results in the order of ``tasks``.

    With ``checkpoint``, the results of every finished chunk are saved (atomically) to
    that file; a rerun with the same arguments and path loads them and runs only the
    chunks that are missing, so a run killed halfway (even by SIGKILL) resumes where it
    stopped and returns exactly what an uninterrupted run would (each task keeps its own
    child seed).

    Parameters
    ----------
    function : callable
        ``function(task)``, or ``function(task, seed)`` when seeded, where ``seed`` is a
        :class:`numpy.random.SeedSequence` (pass it to ``numpy.random.default_rng``).
        It must be picklable (a module-level function) for a process pool.
    tasks : iterable
        The tasks (picklable for a process pool).
    seed : int or SeedSequence, optional
        Root seed of the per-task child seeds; giving it makes the run seeded.
    seeded : bool, optional
        Pass a child seed to ``function`` (default: whether ``seed`` was given; with
        ``seeded=True`` and no seed the children come from fresh entropy).
    executor : Executor, "serial", "processes" or "threads", optional
        Where to run: any :class:`concurrent.futures.Executor` (a Dask
        ``Client.get_executor()`` works unchanged; it is not shut down here), or a name.
        Default: serial for one chunk of work, else a local process pool.
    max_workers : int, optional
        Workers of a pool created here (default ``os.cpu_count()``).
    chunksize : int, optional
        Tasks per submitted job (default: about four jobs per worker).
    progress : bool, optional
        Show a tqdm progress bar (default: yes, appearing only after
        :data:`PROGRESS_DELAY` seconds, so short runs stay quiet; no bar when tqdm is
        not installed).
    description : str, optional
        Label of the progress bar.
    checkpoint : path, optional
        File that keeps the finished chunks' results (a pickle: load only your own).
    fingerprint : str, optional
        What identifies the run in its checkpoint (default: a hash of the function's
        name, the pickled tasks, the seed and the chunking); a checkpoint written by a run
        with another fingerprint is refused.
    weights : sequence of int, optional
        Progress units per task (e.g. sessions per batch); default 1.
    unit : str
        Name of the progress unit.

    Returns
    -------
    list
        ``[function(task, ...) for task in tasks]``.

    Raises
    ------
    InvalidArgumentError
        A function that is not callable, tasks that are not iterable, a bad seed, an
        unknown executor name or bad sizes; a checkpoint written by another run.
    """
    if not callable(function):
        raise InvalidArgumentError(f"function: expected a callable, found "
                                   f"{type(function).__name__} {function!r}")
    if not isinstance(tasks, Iterable):
        raise InvalidArgumentError(f"tasks: expected an iterable of tasks, found "
                                   f"{type(tasks).__name__} {tasks!r}")
    tasks = list(tasks)
    n = len(tasks)
    if seeded is None:
        seeded = seed is not None
    seeds = child_seeds(seed, n) if seeded else [None] * n
    items = list(zip(tasks, seeds))
    if n == 0:
        return []
    workers = (os.cpu_count() or 1) if max_workers is None else max_workers
    if isinstance(workers, bool) or not isinstance(workers, (int, np.integer)) or workers < 1:
        raise InvalidArgumentError(f"max_workers: expected a positive integer, "
                                   f"found {max_workers!r}")
    workers = int(workers)
    if chunksize is None:
        chunksize = max(1, -(-n // (4 * workers)))
    if isinstance(chunksize, bool) or not isinstance(chunksize, (int, np.integer)) \
            or chunksize < 1:
        raise InvalidArgumentError(f"chunksize: expected a positive integer, found {chunksize!r}")
    chunksize = int(chunksize)
    chunks = [items[k:k + chunksize] for k in range(0, n, chunksize)]
    if weights is None:
        weights = [1] * n
    elif len(weights) != n:
        raise InvalidArgumentError(f"weights: expected one per task ({n}), found {len(weights)}")
    chunk_weights = [sum(weights[k:k + chunksize]) for k in range(0, n, chunksize)]
    path = None if checkpoint is None else _checkpoint_path(checkpoint)
    if path is not None and fingerprint is None:
        fingerprint = _fingerprint(function, tasks, seed, seeded, chunksize)
    done = {} if path is None else load_checkpoint(path, fingerprint)
    if any(k >= len(chunks) for k in done):
        raise InvalidArgumentError(f"checkpoint: {str(path)!r} holds more chunks than this "
                                   f"run has")
    missing = [k for k in range(len(chunks)) if k not in done]

    own_pool = None
    if executor is None:
        executor = "serial" if len(missing) <= 1 or workers == 1 else "processes"
    if isinstance(executor, str):
        if executor == "serial":
            pass
        elif executor == "processes":
            own_pool = executor = ProcessPoolExecutor(max_workers=workers)
        elif executor == "threads":
            own_pool = executor = ThreadPoolExecutor(max_workers=workers)
        else:
            raise InvalidArgumentError(
                f"executor: expected an Executor or one of 'serial', 'processes', 'threads', "
                f"found {executor!r}")
    elif not isinstance(executor, Executor) and not hasattr(executor, "submit"):
        raise InvalidArgumentError(
            f"executor: expected a concurrent.futures.Executor, found {type(executor).__name__}")
    results = dict(done)
    bar = _progress_bar(sum(weights), progress, description,
                        initial=sum(chunk_weights[k] for k in done), unit=unit)

    def finished(k: int, chunk_results: list[Any]) -> None:
        results[k] = chunk_results
        if path is not None:
            save_checkpoint(path, fingerprint, results)
        if bar is not None:
            bar.update(chunk_weights[k])

    try:
        if executor == "serial":
            for k in missing:
                finished(k, _run_chunk(function, chunks[k], seeded))
        elif missing:
            futures = {executor.submit(_run_chunk, function, chunks[k], seeded): k
                       for k in missing}
            for fut in as_completed(futures):
                finished(futures[fut], fut.result())
        return [r for k in range(len(chunks)) for r in results[k]]
    finally:
        if bar is not None:
            bar.close()
        if own_pool is not None:
            own_pool.shutdown()


def _checkpoint_path(checkpoint: Any) -> Path:
    if not isinstance(checkpoint, (str, os.PathLike)):
        raise InvalidArgumentError(f"checkpoint: expected a file path, found "
                                   f"{type(checkpoint).__name__} {checkpoint!r}")
    return Path(os.fspath(checkpoint))


def _fingerprint(function: Callable[..., Any], tasks: list[Any], seed: Any, seeded: bool,
                 chunksize: int) -> str:
    if seeded and seed is None:
        raise InvalidArgumentError("seed: a checkpointed seeded run needs an explicit seed "
                                   "(a resumed run must draw the same numbers)")
    name = f"{getattr(function, '__module__', '')}.{getattr(function, '__qualname__', '')}"
    try:
        payload = pickle.dumps((name, tasks, repr(seed), seeded, chunksize),
                               protocol=pickle.HIGHEST_PROTOCOL)
    except Exception as exc:  # noqa: BLE001 - unpicklable tasks cannot be checkpointed
        raise InvalidArgumentError(f"checkpoint: the tasks must be picklable to be "
                                   f"checkpointed ({type(exc).__name__}: {exc})") from exc
    return hashlib.sha256(payload).hexdigest()


def load_checkpoint(path: str | os.PathLike, fingerprint: str) -> dict[int, Any]:
    """The finished chunks saved at ``path`` by a run with this ``fingerprint`` (empty
    when the file does not exist).

    Raises
    ------
    InvalidArgumentError
        An unreadable file, or one written by a run with another fingerprint.
    """
    path = Path(os.fspath(path))
    if not path.exists():
        return {}
    try:
        with open(path, "rb") as fh:
            data = pickle.load(fh)
        version, stored, chunks = data["version"], data["fingerprint"], data["chunks"]
    except Exception as exc:  # noqa: BLE001 - any unreadable file is refused the same way
        raise InvalidArgumentError(f"checkpoint: expected a checkpoint file, found an "
                                   f"unreadable file {str(path)!r} ({type(exc).__name__})"
                                   ) from exc
    if version != CHECKPOINT_VERSION or stored != fingerprint:
        raise InvalidArgumentError(
            f"checkpoint: {str(path)!r} was written by a run with different arguments "
            f"(fingerprint {str(stored)[:12]}, expected {fingerprint[:12]}); pass the same "
            f"arguments, or another checkpoint path")
    return dict(chunks)


def save_checkpoint(path: str | os.PathLike, fingerprint: str, chunks: dict[int, Any]) -> None:
    """Write the finished chunks atomically (the old file stays whole until the new one
    replaces it)."""
    with atomic_output(path) as tmp, open(tmp, "wb") as fh:
        pickle.dump({"version": CHECKPOINT_VERSION, "fingerprint": fingerprint,
                     "chunks": chunks}, fh, protocol=pickle.HIGHEST_PROTOCOL)


def _progress_bar(total: int, progress: bool | None, description: str | None,
                  initial: int = 0, unit: str = "task") -> Any:
    if progress is False:
        return None
    try:
        from tqdm.auto import tqdm
    except ImportError:
        return None
    return tqdm(total=total, initial=initial, desc=description, unit=unit,
                delay=0 if progress else PROGRESS_DELAY, leave=bool(progress))
