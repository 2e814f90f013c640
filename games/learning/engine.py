"""The simulation driver of :mod:`games.learning`: :func:`simulate`.

Sessions are split into batches run through :func:`games.parallel.run_tasks`; within a
batch, Python loops over windows only and the compiled kernel
(:func:`games.learning._engine_kernels.run_window`) plays every period. Each session draws its
random numbers from its own xoshiro256** stream seeded by the session's child of
``numpy.random.SeedSequence(seed)``, so the numbers do not depend on batching, executor or
interruptions.

With a checkpoint, finished batches are kept by :func:`games.parallel.run_tasks`, and a
batch still playing saves its state at window boundaries (every
:data:`PARTIAL_INTERVAL` seconds at most) to its own file beside the checkpoint
(:func:`partial_path`), so even a single long session killed halfway resumes from its last
saved window.
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
import re
import time
from collections.abc import Sequence
from concurrent.futures import Executor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from games.errors import InvalidArgumentError, InvalidGameError
from games.io import atomic_output
from games.learning._engine_kernels import STATUS_CONVERGED, final_policies, run_window
from games.learning.learners import (
    KIND_IMITATION,
    KIND_Q,
    KIND_REGRET,
    CrossLearning,
    Exp3,
    Hedge,
    Learner,
    QLearning,
)
from games.learning.options import Convergence
from games.learning.run import LearningRun
from games.markov import MarkovGame
from games.model import Game
from games.parallel import child_seeds, load_checkpoint, run_tasks

__all__ = ["simulate", "is_markov_game", "game_payoffs", "partial_path", "RESULT_FORMAT",
           "OBSERVATIONS", "PARTIAL_INTERVAL"]

#: What a learner's memory holds (``simulate``'s ``observe``): ``"joint"`` the last
#: ``memory`` joint actions (perfect monitoring, everyone's prices seen), ``"own"`` its own
#: last ``memory`` actions only (the rivals' actions unobserved).
OBSERVATIONS = ("joint", "own")

#: Version of the per-batch results a checkpoint keeps (part of the run's fingerprint, so
#: a checkpoint of an older engine is refused).
RESULT_FORMAT = 2

#: Most batches a run is split into (the batch size depends on ``sessions`` only, so a
#: resumed run splits the same way).
MAX_BATCHES = 32

#: Session-periods below which the default executor is serial (a process pool costs more
#: than it saves).
SERIAL_WORK = 50_000_000

#: Largest learner state (floats per session) accepted, against memory blow-ups from
#: long memories.
MAX_STATE_FLOATS = 50_000_000

#: Seconds between two saves of a batch in progress (a checkpointed run saves a batch's
#: state at the first window boundary at least this long after its previous save; a
#: batch shorter than this never writes one).
PARTIAL_INTERVAL = 30.0

#: Format version of the files of batches in progress.
PARTIAL_FORMAT = 1


def is_markov_game(game: Any) -> bool:
    """Whether ``game`` is a Markov game (has stages and transitions)."""
    return isinstance(game, MarkovGame)


def game_payoffs(game: Any) -> np.ndarray:
    """Float payoffs as the kernel reads them: ``(n_states, n_joint, n_players)``
    (one state for a :class:`Game`)."""
    n = game.n_players
    if is_markov_game(game):
        stages = np.asarray(game.stage_payoffs(), dtype=np.float64)
        return np.ascontiguousarray(stages.reshape(stages.shape[0], n, -1).transpose(0, 2, 1))
    return np.ascontiguousarray(game.float_payoffs.reshape(n, -1).T[None])


def _positive_int(value: Any, name: str, low: int = 1) -> int:
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)) \
            or value < low:
        raise InvalidArgumentError(f"{name}: expected an integer >= {low}, found {value!r}")
    return int(value)


def _check_game(game: Any) -> None:
    if isinstance(game, Game) or is_markov_game(game):
        if game.n_players < 1 or min(game.shape) < 1:
            raise InvalidGameError(f"game: expected at least one player and one action each, "
                                   f"found shape {tuple(game.shape)}")
        return
    raise InvalidGameError(f"game: expected a games.Game or a games.MarkovGame, found "
                           f"{type(game).__name__}")


def _check_learners(learners: Any, n: int) -> tuple[Learner, ...]:
    if isinstance(learners, Learner):
        return (learners,) * n
    if isinstance(learners, (str, bytes)) or not isinstance(learners, Sequence):
        raise InvalidArgumentError(f"learners: expected a learner or a sequence of {n} "
                                   f"learners, found {type(learners).__name__} {learners!r}")
    learners = tuple(learners)
    if len(learners) != n:
        raise InvalidArgumentError(f"learners: expected one learner per player ({n}), found "
                                   f"{len(learners)}")
    for k, lr in enumerate(learners):
        if not isinstance(lr, Learner):
            raise InvalidArgumentError(f"learners[{k}]: expected a learner (QLearning, "
                                       f"FictitiousPlay, ...), found {type(lr).__name__} "
                                       f"{lr!r}")
    return learners


def _is_symmetric(payoffs: np.ndarray) -> bool:
    """Every transposition of players 0 and j maps each player's payoffs to the swapped
    player's (payoffs: (n, *shape))."""
    n = payoffs.shape[0]
    if len(set(payoffs.shape[1:])) > 1:
        return False
    tol = 1e-12 * max(1.0, float(np.abs(payoffs).max()))
    for j in range(1, n):
        for k in range(n):
            target = j if k == 0 else 0 if k == j else k
            if not np.allclose(np.swapaxes(payoffs[k], 0, j), payoffs[target], rtol=0, atol=tol):
                return False
    return True


def _check_initial(initial: Any, shape: tuple[int, ...]) -> np.ndarray | None:
    if initial is None:
        return None
    n = len(shape)
    if isinstance(initial, (str, bytes)) or not isinstance(initial, Sequence) \
            or len(initial) != n:
        raise InvalidArgumentError(f"initial: expected one probability vector or action index "
                                   f"per player ({n}), found {initial!r}")
    out = np.zeros((n, max(shape)))
    for i, x in enumerate(initial):
        if isinstance(x, (int, np.integer)) and not isinstance(x, (bool, np.bool_)):
            if not 0 <= x < shape[i]:
                raise InvalidArgumentError(f"initial[{i}]: expected an action index in "
                                           f"0..{shape[i] - 1}, found {x}")
            out[i, int(x)] = 1.0
            continue
        try:
            v = np.asarray(x, dtype=np.float64)
        except (TypeError, ValueError):
            v = np.zeros(0)
        if v.shape != (shape[i],) or not np.all(np.isfinite(v)) or v.min() < 0 \
                or abs(v.sum() - 1) > 1e-9:
            raise InvalidArgumentError(f"initial[{i}]: expected {shape[i]} probabilities "
                                       f"summing to 1, found {x!r}")
        out[i, :shape[i]] = v / v.sum()
    return out


def _seed_key(seed: Any) -> Any:
    if isinstance(seed, np.random.SeedSequence):
        return {"entropy": str(seed.entropy), "spawn_key": list(seed.spawn_key)}
    return seed


def _describe(obj: Any) -> str:
    text = repr(obj)
    return type(obj).__qualname__ if " at 0x" in text else text


@dataclass(frozen=True)
class _Plan:
    """Everything a batch needs (picklable)."""

    game: Any
    kinds: np.ndarray
    params: np.ndarray
    n_act: np.ndarray
    strides: np.ndarray
    act_off: np.ndarray
    state_off: np.ndarray
    joint_actions: np.ndarray
    pay: np.ndarray
    trans: np.ndarray
    initial_markov: np.ndarray
    n_mem: int
    memory: int
    own: bool                   # observe="own": each learner's state is its own actions
    own_n_mem: np.ndarray       # per learner, own memories (n_act[i] ** memory; 1 if joint)
    init_p: np.ndarray
    initial_state: np.ndarray   # learner state of one session before play
    initial_greedy: np.ndarray
    window_ends: np.ndarray
    stable_w: int
    cap: int
    regret: float | None
    span: float
    schedule: Any


def _learner_setup(game: Any, learners: tuple[Learner, ...], pay: np.ndarray, memory: int,
                   periods: int, init_p: np.ndarray | None, own: bool = False
                   ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray, int,
                              np.ndarray]:
    """Learner parameters and initial state. Learner i's states: Markov states x its
    memories, ``n_joint ** memory`` of them shared by everyone (joint observation) or
    ``n_act[i] ** memory`` of its own (``own``)."""
    shape = tuple(game.shape)
    n = len(shape)
    n_ms, n_joint = pay.shape[0], pay.shape[1]
    if own:
        n_mem = 1
        own_n_mem = np.array([a ** memory for a in shape], dtype=np.int64)
    else:
        n_mem = n_joint ** memory
        own_n_mem = np.ones(n, dtype=np.int64)
    mems = [int(own_n_mem[i]) if own else n_mem for i in range(n)]
    n_states = [n_ms * k for k in mems]
    all_actions = sum(shape)
    sizes = [lr.state_size(shape[i], n_states[i], all_actions)
             for i, lr in enumerate(learners)]
    if sum(sizes) + n * max(n_states) > MAX_STATE_FLOATS:
        raise InvalidArgumentError(
            f"memory: expected a memory whose state table fits ({MAX_STATE_FLOATS} numbers "
            f"per session), found memory={memory} needing {sum(sizes) + n * max(n_states)}")
    state_off = np.concatenate([[0], np.cumsum(sizes)]).astype(np.int64)
    params = np.stack([lr.encode(shape[i], periods) for i, lr in enumerate(learners)])
    kinds = np.array([lr.kind for lr in learners], dtype=np.int64)
    state = np.zeros(int(state_off[-1]))
    greedy = np.zeros((n, max(n_states)), dtype=np.int64)
    joint_actions = np.array(np.unravel_index(np.arange(n_joint), shape)).T
    for i, lr in enumerate(learners):
        block = state[state_off[i]:state_off[i + 1]]
        m = shape[i]
        span = float(pay[:, :, i].max() - pay[:, :, i].min())
        if lr.kind == KIND_Q:
            assert isinstance(lr, QLearning)
            table = np.zeros((n_ms, m))
            if lr.initial == "uniform":
                for ms in range(n_ms):
                    own = joint_actions[:, i]
                    table[ms] = np.bincount(own, weights=pay[ms, :, i], minlength=m) \
                        / (n_joint // m) / (1.0 - lr.discount)
            elif not isinstance(lr.initial, str):
                table[:] = float(lr.initial)
            q = np.repeat(table, mems[i], axis=0)           # state = ms * memories + mem
            block[:] = q.reshape(-1)
            greedy[i, :n_states[i]] = np.argmax(q, axis=1)
        elif lr.kind == KIND_REGRET and params[i, 0] > 0 and params[i, 1] == 0:
            params[i, 1] = 2.0 * span * m if span > 0 else 1.0
        own = lr.initial if isinstance(lr, CrossLearning) else None
        if init_p is not None:
            start = init_p[i, :m]
        elif own is not None:
            start = np.asarray(own, dtype=np.float64)
            if len(start) != m:
                raise InvalidArgumentError(f"learners[{i}].initial: expected {m} "
                                           f"probabilities, found {len(start)}")
        else:
            start = np.full(m, 1.0 / m)
        if isinstance(lr, CrossLearning):
            block[:] = start
        elif isinstance(lr, (Hedge, Exp3)):
            with np.errstate(divide="ignore"):
                block[:] = np.log(start)
    return kinds, params, state_off, state, greedy, n_mem, own_n_mem


def _batch_sizes(sessions: int) -> list[int]:
    size = max(1, -(-sessions // MAX_BATCHES))
    return [min(size, sessions - k) for k in range(0, sessions, size)]


def _coarse_regret(freq: np.ndarray, pay: np.ndarray, joint_actions: np.ndarray,
                   strides: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
    """CCE regret of each session's window distribution ``freq`` (b, n_ms, n_joint)."""
    b = freq.shape[0]
    worst = np.zeros(b)
    n = len(shape)
    for i in range(n):
        u = pay[..., i]                                          # (p, n_ms, n_joint)
        expected = (freq * u).sum(axis=(1, 2))
        base = np.arange(u.shape[-1]) - joint_actions[:, i] * strides[i]
        for a in range(shape[i]):
            dev = (freq * u[..., base + a * strides[i]]).sum(axis=(1, 2))
            worst = np.maximum(worst, dev - expected)
    return worst


def _schedule_payoffs(raw: Any, plan: _Plan, batch: int) -> np.ndarray:
    """The schedule's payoffs in the kernel's layout (p, n_ms, n_joint, n)."""
    n = len(plan.n_act)
    markov = is_markov_game(plan.game)
    arr = np.asarray(raw, dtype=np.float64)
    base = ((plan.pay.shape[0],) if markov else ()) + (n,) + tuple(int(a) for a in plan.n_act)
    if arr.shape == base:
        arr = arr[None]
    elif arr.shape != (batch,) + base:
        raise InvalidArgumentError(f"schedule: expected payoffs of shape {base} or "
                                   f"{(batch,) + base}, found {arr.shape}")
    if not np.all(np.isfinite(arr)):
        raise InvalidArgumentError("schedule: expected finite payoffs, found nan or inf")
    if not markov:
        arr = arr[:, None]
    p = arr.shape[0]
    return np.ascontiguousarray(arr.reshape(p, arr.shape[1], n, -1).transpose(0, 1, 3, 2))


def partial_path(checkpoint: str | os.PathLike, start: int) -> Path:
    """The file where the batch whose first session is ``start`` keeps its state while it
    plays, beside ``checkpoint``: ``f"{checkpoint}.batch{start}.partial"``."""
    return Path(f"{os.fspath(checkpoint)}.batch{int(start)}.partial")


def _partial_files(checkpoint: str | os.PathLike) -> list[Path]:
    """Every file of a batch in progress beside ``checkpoint``, whatever run wrote it."""
    target = Path(os.fspath(checkpoint))
    pattern = re.compile(re.escape(target.name) + r"\.batch\d+\.partial")
    if not target.parent.is_dir():
        return []
    return sorted(f for f in target.parent.iterdir() if pattern.fullmatch(f.name))


def _read_partial(path: Path, fingerprint: str, state: bool = True) -> dict[str, Any] | None:
    """The saved state of a batch in progress (None: no file; only its header when not
    ``state``).

    Raises
    ------
    InvalidArgumentError
        An unreadable file, or one written by a run with another fingerprint.
    """
    try:
        with open(path, "rb") as fh:
            header = pickle.load(fh)
            version, stored = header["format"], header["fingerprint"]
            if version == PARTIAL_FORMAT and stored == fingerprint and state:
                return pickle.load(fh)
    except FileNotFoundError:
        return None
    except Exception as exc:  # noqa: BLE001 - any unreadable file is refused the same way
        raise InvalidArgumentError(f"checkpoint: expected the file of a batch in progress, "
                                   f"found an unreadable file {str(path)!r} "
                                   f"({type(exc).__name__})") from exc
    if version != PARTIAL_FORMAT or stored != fingerprint:
        raise InvalidArgumentError(
            f"checkpoint: {str(path)!r} (a batch in progress) was written by a run with "
            f"different arguments (fingerprint {str(stored)[:12]}, expected "
            f"{fingerprint[:12]}); pass the same arguments, another checkpoint path, or "
            f"delete the file")
    return header


def _save_partial(path: Path, fingerprint: str, state: dict[str, Any]) -> None:
    """Write a batch's state in progress atomically: a small header (format and run
    fingerprint, readable alone) followed by the state."""
    with atomic_output(path) as tmp, open(tmp, "wb") as fh:
        pickle.dump({"format": PARTIAL_FORMAT, "fingerprint": fingerprint}, fh,
                    protocol=pickle.HIGHEST_PROTOCOL)
        pickle.dump(state, fh, protocol=pickle.HIGHEST_PROTOCOL)


def _run_batch(plan: _Plan, task: tuple[int, np.ndarray, np.ndarray],
               partial: tuple[Path, str] | None = None) -> dict[str, Any]:
    """Play one batch of sessions through every window.

    With ``partial = (path, fingerprint)``, the batch starts from the state saved at
    ``path`` (when there is one) and saves its state there at window boundaries, every
    :data:`PARTIAL_INTERVAL` seconds at most; the numbers are those of an uninterrupted
    batch, since everything a window changes lives in the arrays saved.
    """
    start, rng_states, first_states = task
    b = len(rng_states)
    n = len(plan.n_act)
    n_ms, n_joint = plan.pay.shape[0], plan.pay.shape[1]
    n_windows = len(plan.window_ends)
    rng = np.ascontiguousarray(rng_states, dtype=np.uint64).copy()
    own_mem = np.ascontiguousarray(first_states[:, 2:], dtype=np.int64).copy()
    lstate = np.tile(plan.initial_state, (b, 1))
    greedy = np.tile(plan.initial_greedy, (b, 1, 1))
    sess = np.zeros((b, 6), dtype=np.int64)
    sess[:, 0] = first_states[:, 0]
    sess[:, 1] = first_states[:, 1]
    sess[:, 2] = -1
    sess[:, 5] = -1
    last_r = np.zeros((b, n))
    # Grown window by window: when every session stops early (convergence) the windows
    # after the last one played are never allocated.
    freq = np.zeros((b, min(n_windows, 16), n_ms, n_joint))
    mean_rewards = np.zeros((b, freq.shape[1], n))
    schedule = plan.schedule
    sched_state = schedule.start(plan.game, b) if schedule is not None else None
    log = []
    pay = plan.pay[None]
    previous = None
    t0 = 0
    first_window = 0
    saved = None if partial is None else _read_partial(*partial)
    if saved is not None:
        first_window, t0 = saved["window"], saved["t0"]
        rng, own_mem, lstate, greedy = (saved["rng"], saved["own_mem"], saved["lstate"],
                                        saved["greedy"])
        sess, last_r, freq, mean_rewards = (saved["sess"], saved["last_r"], saved["freq"],
                                            saved["mean_rewards"])
        sched_state, log, previous = saved["sched_state"], saved["log"], saved["previous"]
    last_save = time.monotonic()
    for w in range(first_window, n_windows):
        t1 = int(plan.window_ends[w])
        if schedule is not None:
            raw, sched_state = schedule.rewards(sched_state, w, t0, previous)
            pay = plan.pay[None] if raw is None else _schedule_payoffs(raw, plan, b)
        counts = np.zeros((b, n_ms, n_joint))
        rsum = np.zeros((b, n))
        played = np.zeros(b, dtype=np.int64)
        with np.errstate(over="ignore"):          # uint64 arithmetic wraps by design
            run_window(plan.kinds, plan.params, plan.n_act, plan.strides, plan.act_off,
                       plan.state_off, plan.joint_actions, pay, plan.trans, plan.n_mem,
                       plan.own, plan.own_n_mem, own_mem, plan.init_p, t0, t1, plan.stable_w,
                       plan.cap, rng, lstate, greedy, sess, last_r, counts, rsum, played)
        rows = np.maximum(played, 1)
        if w == freq.shape[1]:
            grown = min(n_windows, 2 * w)
            freq = np.concatenate([freq, np.zeros((b, grown - w, n_ms, n_joint))], axis=1)
            mean_rewards = np.concatenate([mean_rewards, np.zeros((b, grown - w, n))], axis=1)
        freq[:, w] = counts / rows[:, None, None]
        mean_rewards[:, w] = rsum / rows[:, None]
        if schedule is not None:
            log.append(schedule.record(sched_state))
        if plan.regret is not None:
            running = (sess[:, 4] == 0) & (played > 0)
            if running.any():
                regret = _coarse_regret(freq[:, w], pay, plan.joint_actions, plan.strides,
                                        tuple(int(a) for a in plan.n_act))
                hit = running & (regret <= plan.regret * plan.span)
                sess[hit, 4] = STATUS_CONVERGED
                sess[hit, 5] = t1
        previous = freq[:, w].sum(axis=1)
        t0 = t1
        if not (sess[:, 4] == 0).any() and schedule is None:
            break
        if partial is not None and w + 1 < n_windows \
                and time.monotonic() - last_save >= PARTIAL_INTERVAL:
            _save_partial(partial[0], partial[1], {
                "window": w + 1, "t0": t0, "rng": rng, "own_mem": own_mem, "lstate": lstate,
                "greedy": greedy, "sess": sess, "last_r": last_r, "freq": freq[:, :w + 1],
                "mean_rewards": mean_rewards[:, :w + 1], "sched_state": sched_state,
                "log": log, "previous": previous})
            last_save = time.monotonic()
    played_windows = w + 1
    freq, mean_rewards = freq[:, :played_windows], mean_rewards[:, :played_windows]
    policies = np.zeros((b, n, int(plan.n_act.max())))
    final_policies(plan.kinds, plan.params, plan.n_act, plan.state_off, plan.act_off,
                   plan.joint_actions, pay, plan.n_mem, plan.own, plan.own_n_mem, own_mem,
                   plan.init_p, t0, lstate, greedy, sess, policies)
    if plan.own:
        final_state = sess[:, :1] * plan.own_n_mem[None] + own_mem
    else:
        final_state = sess[:, 0] * plan.n_mem + sess[:, 1]
    return {"start": start, "frequencies": freq, "mean_rewards": mean_rewards,
            "status": sess[:, 4].copy(), "convergence_period": sess[:, 5].copy(),
            "final_policies": policies, "schedule_log": log,
            "final_greedy": greedy.astype(np.int16 if plan.n_act.max() < 2 ** 15 else np.int64),
            "final_state": final_state}


def simulate(game: Any, learners: Any, *, periods: int, sessions: int = 1, seed: Any = None,
             memory: int = 0, observe: str = "joint", window: int | None = None,
             executor: Executor | str | None = None,
             checkpoint: str | os.PathLike | None = None, progress: bool | None = None,
             convergence: Convergence | None = None, schedule: Any = None,
             initial: Any = None) -> LearningRun:
    """Simulate learning agents playing ``game`` again and again, in many sessions.

    Parameters
    ----------
    game : Game or MarkovGame
    learners : learner or sequence of learners
        One learner used by every player, or one per player (they may differ).
    periods : int
        Periods per session.
    sessions : int
        Independent sessions; session s draws from the s-th child of
        ``SeedSequence(seed)`` (:func:`games.parallel.child_seeds`).
    seed : int or SeedSequence, optional
        Root seed (None: fresh entropy; needed with ``checkpoint``).
    memory : int
        The learners' state is the last ``memory`` joint actions (0: stateless), and the
        Markov state in a Markov game. The initial memory is drawn at random.
    observe : {"joint", "own"}
        What a learner's memory holds. ``"joint"`` (default): the last ``memory`` joint
        actions, the same state for every learner (perfect monitoring, as in Calvano,
        Calzolari, Denicolo & Pastorello 2020). ``"own"``: learner i's own last ``memory``
        actions only, ``a_i ** memory`` memories (times the Markov states): the rivals'
        actions are never observed, the extreme form of imperfect monitoring (Green &
        Porter 1984; Calvano, Calzolari, Denicolo & Pastorello 2021, IJIO 79). No strategy
        can then condition on a rival's deviation. Irrelevant when ``memory=0``.
    window : int, optional
        Periods per summary window (default ``periods // 100``, at least 1).
    executor : Executor, "serial", "processes" or "threads", optional
        Where the batches of sessions run (:func:`games.parallel.run_tasks`); the numbers
        are the same everywhere.
    checkpoint : path, optional
        File where finished batches are saved (atomically) as they finish; rerunning with
        the same arguments and path runs only the missing batches. A batch still playing
        also saves its state (atomically, at a window boundary, every
        :data:`PARTIAL_INTERVAL` seconds at most) to its own file beside it,
        ``f"{checkpoint}.batch{first_session}.partial"`` (:func:`partial_path`), so a
        rerun continues that batch from its last saved window, even within one long
        session; the numbers are those of an uninterrupted run. These files are deleted
        once the run completes. A checkpoint, or a batch file beside it, written by a run
        with other arguments (another fingerprint: game, learners, periods, sessions,
        seed, window, schedule, ...) is refused before anything runs: pass the same
        arguments, another path, or delete the files. Only load checkpoints you wrote
        (pickle).
    progress : bool, optional
        tqdm bar over sessions (default: shown after a few seconds on long runs).
    convergence : Convergence, optional
        When sessions stop early (default: every session plays all periods).
    schedule : RewardSchedule, optional
        Payoffs changed between windows (e.g. a mechanism switched on mid-run). Its state
        (what ``start`` and ``rewards`` return) and its records must be picklable, as
        :func:`mechanisms.schedule` and :class:`mechanisms.Regulator` states are (dicts
        of arrays): a process pool ships them, and a checkpointed batch saves them with
        its progress. Its ``rewards`` must depend only on its arguments (no hidden state
        on the schedule object), so a resumed batch draws the same payoffs.
    initial : sequence, optional
        Per player a probability vector or an action index: the first period's play of
        fictitious players, regret matchers and imitators, and the starting strategy of
        Hedge, Exp3 and cross-learners (Q-learners explore on their own).

    Returns
    -------
    LearningRun

    Raises
    ------
    InvalidGameError
        ``game`` is not a Game or MarkovGame; imitation in an asymmetric game.
    InvalidArgumentError
        Any other malformed argument, or a checkpoint written with other arguments.

    Examples
    --------
    >>> import games
    >>> from games.learning import simulate, QLearning
    >>> run = simulate(games.catalog.prisoners_dilemma(),
    ...                QLearning(alpha=0.1, discount=0.5, beta=2e-4),
    ...                periods=40_000, sessions=4, seed=5)
    >>> [int(p[:, 1].sum()) for p in run.final_profile()]      # everyone defects
    [4, 4]
    """
    _check_game(game)
    shape = tuple(int(a) for a in game.shape)
    n = len(shape)
    learners = _check_learners(learners, n)
    periods = _positive_int(periods, "periods")
    sessions = _positive_int(sessions, "sessions")
    memory = _positive_int(memory, "memory", 0)
    if not isinstance(observe, str) or observe not in OBSERVATIONS:
        raise InvalidArgumentError(f"observe: expected one of {', '.join(map(repr, OBSERVATIONS))}"
                                   f", found {observe!r}")
    own = observe == "own" and memory > 0
    window = max(1, periods // 100) if window is None else _positive_int(window, "window")
    if window > periods:
        raise InvalidArgumentError(f"window: expected at most periods ({periods}), "
                                   f"found {window}")
    if convergence is not None and not isinstance(convergence, Convergence):
        raise InvalidArgumentError(f"convergence: expected None or a games.learning."
                                   f"Convergence, found {type(convergence).__name__} "
                                   f"{convergence!r}")
    if schedule is not None and not all(callable(getattr(schedule, name, None))
                                        for name in ("start", "rewards", "record")):
        raise InvalidArgumentError(f"schedule: expected a RewardSchedule (with start, rewards "
                                   f"and record), found {type(schedule).__name__}")
    if progress is not None and not isinstance(progress, (bool, np.bool_)):
        raise InvalidArgumentError(f"progress: expected None, True or False, found "
                                   f"{progress!r}")
    if checkpoint is not None:
        if not isinstance(checkpoint, (str, os.PathLike)):
            raise InvalidArgumentError(f"checkpoint: expected a file path, found "
                                       f"{type(checkpoint).__name__} {checkpoint!r}")
        if seed is None:
            raise InvalidArgumentError("seed: expected an integer or SeedSequence with a "
                                       "checkpoint (a resumed run must draw the same numbers), "
                                       "found None")
    seeds = child_seeds(seed, sessions)
    init_p = _check_initial(initial, shape)
    markov = is_markov_game(game)
    if markov:
        trans = np.ascontiguousarray(np.asarray(game.transitions, dtype=np.float64)
                                     .reshape(game.n_states, -1, game.n_states))
        initial_markov = np.asarray(game.initial, dtype=np.float64)
    else:
        trans = np.ones((1, 1, 1))
        initial_markov = np.ones(1)
    pay = game_payoffs(game)
    if any(lr.kind == KIND_IMITATION for lr in learners):
        stages = pay.transpose(0, 2, 1).reshape((pay.shape[0], n) + shape)
        if not all(_is_symmetric(stage) for stage in stages):
            raise InvalidGameError("game: Imitation needs a symmetric game (players with the "
                                   "same actions and payoffs that permute with them), found "
                                   "an asymmetric one")
    kinds, params, state_off, state0, greedy0, n_mem, own_n_mem = _learner_setup(
        game, learners, pay, memory, periods, init_p, own)
    strides = np.array([int(np.prod(shape[i + 1:])) for i in range(n)], dtype=np.int64)
    window_ends = np.arange(window, periods + window, window, dtype=np.int64)
    window_ends[-1] = periods
    cap = periods
    stable_w = 0
    regret = None
    if convergence is not None:
        cap = min(periods, convergence.max_periods or periods)
        stable_w = convergence.stable_periods or 0
        regret = None if convergence.regret is None else float(convergence.regret)
    plan = _Plan(game, kinds, params, np.array(shape, dtype=np.int64), strides,
                 np.concatenate([[0], np.cumsum(shape)]).astype(np.int64), state_off,
                 np.ascontiguousarray(np.array(np.unravel_index(np.arange(pay.shape[1]), shape))
                                      .T.astype(np.int64)),
                 pay, trans, initial_markov, n_mem, memory, own, own_n_mem,
                 init_p if init_p is not None else _uniform_initial(shape),
                 state0, greedy0, window_ends, stable_w, cap, regret,
                 float(pay.max() - pay.min()), schedule)
    tasks = _tasks(seeds, plan)
    fingerprint = hashlib.sha256(json.dumps({
        "game": game.digest if isinstance(game, Game) else game.to_dict(),
        "learners": [lr.to_dict() for lr in learners], "periods": periods,
        "sessions": sessions, "seed": _seed_key(seed), "memory": memory, "window": window,
        "convergence": None if convergence is None else convergence.to_dict(),
        "schedule": None if schedule is None else _describe(schedule),
        "initial": None if init_p is None else init_p.tolist(),
        "batches": [len(t[1]) for t in tasks], "format": RESULT_FORMAT,
        **({"observe": "own"} if own else {})},
        sort_keys=True, default=str).encode()
    ).hexdigest()
    done = {} if checkpoint is None else load_checkpoint(checkpoint, fingerprint)
    if checkpoint is not None:
        for path in _partial_files(checkpoint):         # refuse another run's files
            _read_partial(path, fingerprint, state=False)
        for k in done:                                  # finished, saved, no longer needed
            partial_path(checkpoint, tasks[k][0]).unlink(missing_ok=True)
    resumed = sum(len(tasks[k][1]) for k in done)
    if executor is None:
        work = sum(len(t[1]) for k, t in enumerate(tasks) if k not in done) \
            * int(plan.window_ends[-1])
        executor = "serial" if len(tasks) - len(done) <= 1 or (os.cpu_count() or 1) == 1 \
            or work < SERIAL_WORK else "processes"
    results = run_tasks(_BatchRunner(plan, checkpoint, fingerprint), tasks, executor=executor,
                        chunksize=1, checkpoint=checkpoint, fingerprint=fingerprint,
                        weights=[len(t[1]) for t in tasks], unit="session",
                        description="sessions", progress=progress)
    if checkpoint is not None:                          # every batch is in the checkpoint
        for task in tasks:
            partial_path(checkpoint, task[0]).unlink(missing_ok=True)
    return _assemble(game, learners, plan, results, periods, window, sessions, seed, memory,
                     observe, markov, schedule is not None, resumed)


def _uniform_initial(shape: tuple[int, ...]) -> np.ndarray:
    out = np.zeros((len(shape), max(shape)))
    for i, a in enumerate(shape):
        out[i, :a] = 1.0 / a
    return out


def _tasks(seeds: list[np.random.SeedSequence], plan: _Plan
           ) -> list[tuple[int, np.ndarray, np.ndarray]]:
    """Per batch: first session, xoshiro states, and (Markov state, joint memory, each
    learner's own memory) to start from, all drawn from each session's own seed (the own
    memories after the joint one, so a joint run draws as it always did)."""
    states = []
    firsts = []
    for sq in seeds:
        words = sq.generate_state(6, np.uint64)
        rng_state = words[:4].copy()
        if not rng_state.any():
            rng_state[0] = 1
        states.append(rng_state)
        start_rng = np.random.default_rng(int(words[4]) ^ (int(words[5]) << 64))
        ms = int(start_rng.choice(len(plan.initial_markov), p=plan.initial_markov)) \
            if len(plan.initial_markov) > 1 else 0
        mem = int(start_rng.integers(0, plan.n_mem)) if plan.n_mem > 1 else 0
        own = [int(start_rng.integers(0, k)) if plan.own and k > 1 else 0
               for k in plan.own_n_mem]
        firsts.append((ms, mem, *own))
    tasks = []
    start = 0
    for size in _batch_sizes(len(seeds)):
        tasks.append((start, np.array(states[start:start + size], dtype=np.uint64),
                      np.array(firsts[start:start + size], dtype=np.int64)))
        start += size
    return tasks


class _BatchRunner:
    """A picklable callable running one batch of a plan (saving its progress beside
    ``checkpoint``, tagged with ``fingerprint``, when a checkpoint is given)."""

    def __init__(self, plan: _Plan, checkpoint: str | os.PathLike | None = None,
                 fingerprint: str | None = None) -> None:
        self.plan = plan
        self.checkpoint = None if checkpoint is None else os.fspath(checkpoint)
        self.fingerprint = fingerprint

    def __call__(self, task: tuple[int, np.ndarray, np.ndarray]) -> dict[str, Any]:
        partial = None
        if self.checkpoint is not None and self.fingerprint is not None:
            partial = (partial_path(self.checkpoint, task[0]), self.fingerprint)
        return _run_batch(self.plan, task, partial)


def _concatenate_records(records: list[Any]) -> Any:
    """One window's schedule records across batches: arrays with a sessions axis and lists
    are concatenated (so the log does not depend on batching); equal records are kept
    once; anything else stays a list with one record per batch."""
    if len(records) == 1:
        return records[0]
    if all(isinstance(r, np.ndarray) and r.ndim >= 1 for r in records):
        return np.concatenate(records)
    if all(isinstance(r, list) for r in records):
        return [x for r in records for x in r]
    first = records[0]
    try:
        if all(bool(np.all(r == first)) for r in records[1:]):
            return first
    except (TypeError, ValueError):
        pass
    return records


def _padded(arrays: list[np.ndarray], length: int) -> np.ndarray:
    """Concatenate per-batch (b, windows, ...) arrays over sessions, padding each with
    all-zero windows (not played) to ``length`` windows."""
    return np.concatenate([np.concatenate(
        [a, np.zeros((a.shape[0], length - a.shape[1]) + a.shape[2:])], axis=1)
        if a.shape[1] < length else a for a in arrays])


def _assemble(game: Any, learners: tuple, plan: _Plan, batches: list[dict[str, Any]],
              periods: int, window: int, sessions: int, seed: Any, memory: int, observe: str,
              markov: bool, scheduled: bool, resumed: int) -> LearningRun:
    # Windows after every session stopped were not played and are left out.
    n_windows = max(b["frequencies"].shape[1] for b in batches)
    joint_state = _padded([b["frequencies"] for b in batches], n_windows)
    status = np.concatenate([b["status"] for b in batches])
    log = None
    if scheduled:
        log = [_concatenate_records([b["schedule_log"][w] if w < len(b["schedule_log"])
                                     else None for b in batches]) for w in range(n_windows)]
    final_state = np.concatenate([b["final_state"] for b in batches])
    if observe == "own" and final_state.ndim == 1:
        # memory 0: each player's own state is the Markov state, one per player
        final_state = np.repeat(final_state[:, None], len(plan.n_act), axis=1)
    return LearningRun(
        game=game, learners=learners, periods=periods, window=window, sessions=sessions,
        seed=seed, memory=memory, observe=observe, window_ends=plan.window_ends[:n_windows].copy(),
        frequencies=joint_state.sum(axis=2),
        mean_rewards=_padded([b["mean_rewards"] for b in batches], n_windows),
        converged=status == STATUS_CONVERGED,
        convergence_period=np.concatenate([b["convergence_period"] for b in batches]),
        final_policies=np.concatenate([b["final_policies"] for b in batches]),
        final_greedy=np.concatenate([b["final_greedy"] for b in batches]),
        final_state=final_state,
        state_frequencies=joint_state.sum(axis=3) if markov else None,
        joint_state_frequencies=joint_state if markov else None,
        schedule_log=log, resumed_sessions=resumed)

