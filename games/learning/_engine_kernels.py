"""The compiled inner loop of :mod:`games.learning`: one window of play for a batch of
sessions, with every learner's choice and update rule and a per-session xoshiro256**
random stream (its state is four uint64 words, so a run can be checkpointed and resumed
bit-exactly).

Conventions (all arrays are float64 / int64 / uint64, C-contiguous):

- ``joint_actions[j]`` the actions of joint action ``j`` (C order over the game's shape),
  ``strides[i]`` player i's stride in that order;
- ``pay[p, ms, j, i]`` player i's payoff at joint action j in Markov state ms (``p`` is
  the session when payoffs differ per session, else 0);
- the learner's state index is ``ms * n_mem + mem``, ``mem`` the last k joint actions
  as a base-``n_joint`` number (``observe="joint"``); with ``own`` set (``observe="own"``)
  learner i's state index is ``ms * own_n_mem[i] + own_mem[s, i]``, ``own_mem[s, i]``
  its own last k actions as a base-``n_act[i]`` number, and the joint memory is not kept
  (``n_mem = 1``);
- ``sess[s]`` holds the Markov state, the memory, the last joint action (-1 before the
  first period), the stable-period counter, the status (0 running, 1 converged,
  2 stopped at the period cap) and the convergence period.

References
----------
Blackman, D. & Vigna, S. (2021). Scrambled linear pseudorandom number generators.
*ACM Transactions on Mathematical Software* 47(4), 36 (xoshiro256**).
"""

from __future__ import annotations

import math

import numpy as np

from games._jit import jit

__all__ = ["run_window", "final_policies", "SESSION_FIELDS", "STATUS_RUNNING",
           "STATUS_CONVERGED", "STATUS_CAPPED"]

#: Columns of the per-session integer state.
SESSION_FIELDS = ("markov_state", "memory", "last_joint", "stable", "status",
                  "convergence_period")
STATUS_RUNNING, STATUS_CONVERGED, STATUS_CAPPED = 0, 1, 2

_K5 = np.uint64(5)
_K9 = np.uint64(9)
_S7 = np.uint64(7)
_S57 = np.uint64(57)
_S17 = np.uint64(17)
_S45 = np.uint64(45)
_S19 = np.uint64(19)
_S11 = np.uint64(11)
_TWO_M53 = 1.0 / 9007199254740992.0

_Q, _FP, _RM, _HEDGE, _EXP3, _CROSS, _IMIT = 0, 1, 2, 3, 4, 5, 6


@jit
def _next(s0, s1, s2, s3):
    """xoshiro256** on scalars: the new state and the next float in [0, 1)."""
    x = s1 * _K5
    result = ((x << _S7) | (x >> _S57)) * _K9
    t = s1 << _S17
    s2 ^= s0
    s3 ^= s1
    s1 ^= s2
    s0 ^= s3
    s2 ^= t
    s3 = (s3 << _S45) | (s3 >> _S19)
    return s0, s1, s2, s3, (result >> _S11) * _TWO_M53


@jit
def _uniform(st):
    """Next float in [0, 1) of the xoshiro256** stream whose state is ``st`` (updated)."""
    st[0], st[1], st[2], st[3], u = _next(st[0], st[1], st[2], st[3])
    return u


@jit
def _sample(prob, m, u):
    """Index drawn from ``prob[:m]`` with the uniform ``u``."""
    acc = 0.0
    last = 0
    for a in range(m):
        if prob[a] > 0.0:
            acc += prob[a]
            last = a
            if u < acc:
                return a
    return last


@jit
def _logit(values, m, scale, prob):
    """``prob[:m]`` proportional to ``exp(values / scale)`` (scale > 0)."""
    top = values[0]
    for a in range(1, m):
        if values[a] > top:
            top = values[a]
    total = 0.0
    for a in range(m):
        prob[a] = math.exp((values[a] - top) / scale)
        total += prob[a]
    for a in range(m):
        prob[a] /= total


@jit
def _one_hot(a, m, prob):
    for b in range(m):
        prob[b] = 0.0
    prob[a] = 1.0


@jit
def _argmax(values, start, m):
    best = 0
    for a in range(1, m):
        if values[start + a] > values[start + best]:
            best = a
    return best


@jit
def _belief_payoffs(i, block, pay, p, ms, joint_actions, act_off, n_act, u):
    """``u[:m]``: player i's expected payoff of each action against the product of the
    other players' empirical action frequencies (counts in ``block``); False when no
    period has been observed."""
    n = n_act.shape[0]
    m = n_act[i]
    other = 1 if i == 0 else 0
    total = 0.0
    for a in range(n_act[other]):
        total += block[act_off[other] + a]
    if n == 1 or total <= 0.0:
        return False
    for a in range(m):
        u[a] = 0.0
    for j in range(joint_actions.shape[0]):
        w = 1.0
        for k in range(n):
            if k != i:
                w *= block[act_off[k] + joint_actions[j, k]] / total
                if w == 0.0:
                    break
        if w != 0.0:
            u[joint_actions[j, i]] += w * pay[p, ms, j, i]
    return True


@jit
def _strategy(i, kind, par, m, state, ms, p, last, block, greedy_i, pay, joint_actions,
              act_off, n_act, init_p, t, prob, u):
    """Fill ``prob[:m]`` with agent i's current mixed strategy (for a Q-learner its greedy
    action at ``state``; for an imitator its last action)."""
    if kind == _Q:
        _one_hot(greedy_i[state], m, prob)
    elif kind == _FP:
        if _belief_payoffs(i, block, pay, p, ms, joint_actions, act_off, n_act, u):
            if par[0] > 0.0:
                _logit(u, m, par[1], prob)
            else:
                _one_hot(_argmax(u, 0, m), m, prob)
        else:
            for a in range(m):
                prob[a] = init_p[i, a]
    elif kind == _RM:
        if last < 0:
            for a in range(m):
                prob[a] = init_p[i, a]
        elif par[0] > 0.0:                       # conditional: switch from the last action
            own = joint_actions[last, i]
            stay = 1.0
            for a in range(m):
                prob[a] = 0.0
                if a != own:
                    r = block[own * m + a]
                    if r > 0.0:
                        prob[a] = r / (par[1] * t)
                        stay -= prob[a]
            prob[own] = max(stay, 0.0)
        else:
            total = 0.0
            for a in range(m):
                prob[a] = max(block[a], 0.0)
                total += prob[a]
            if total > 0.0:
                for a in range(m):
                    prob[a] /= total
            else:
                for a in range(m):
                    prob[a] = 1.0 / m
    elif kind == _HEDGE:
        _logit(block, m, 1.0, prob)
    elif kind == _EXP3:
        _logit(block, m, 1.0, prob)
        for a in range(m):
            prob[a] = (1.0 - par[1]) * prob[a] + par[1] / m
    elif kind == _CROSS:
        for a in range(m):
            prob[a] = block[a]
    else:                                        # imitation
        if last < 0:
            for a in range(m):
                prob[a] = init_p[i, a]
        else:
            _one_hot(joint_actions[last, i], m, prob)


@jit
def _choose(i, kind, par, m, state, ms, p, last, block, greedy_i, pay, joint_actions,
            act_off, n_act, init_p, t, explore, last_r, st, prob, u):
    """Agent i's action this period (``explore``: its current epsilon or temperature)."""
    if kind == _Q:
        if par[2] > 0.0:                         # Boltzmann over Q(state, .)
            _logit(block[state * m:(state + 1) * m], m, max(explore, 1e-300), prob)
            return _sample(prob, m, _uniform(st))
        if _uniform(st) < explore:
            return int(_uniform(st) * m)
        return greedy_i[state]
    if kind == _IMIT and last >= 0:
        n = n_act.shape[0]
        own = joint_actions[last, i]
        a = own
        if n > 1:
            other = int(_uniform(st) * (n - 1))
            if other >= i:
                other += 1
            copy = 1.0 / (1.0 + math.exp(-par[0] * (last_r[other] - last_r[i])))
            if _uniform(st) < copy:
                a = joint_actions[last, other]
        if par[1] > 0.0 and _uniform(st) < par[1]:
            a = int(_uniform(st) * m)
        return a
    _strategy(i, kind, par, m, state, ms, p, last, block, greedy_i, pay, joint_actions,
              act_off, n_act, init_p, t, prob, u)
    return _sample(prob, m, _uniform(st))


@jit
def _update(i, kind, par, m, state, state2, ms, p, j, a, r, block, greedy_i, pay,
            joint_actions, strides, act_off, n_act, lo, span, chosen_p):
    """Agent i learns from joint action j (its own action a, reward r); returns whether
    its policy indicator (greedy action for Q) changed."""
    if kind == _Q:
        alpha = par[0]
        row = state * m
        target = r + par[1] * block[state2 * m + greedy_i[state2]]
        block[row + a] = (1.0 - alpha) * block[row + a] + alpha * target
        best = _argmax(block, row, m)
        if best != greedy_i[state]:
            greedy_i[state] = best
            return True
        return False
    if kind == _FP:
        for k in range(n_act.shape[0]):
            block[act_off[k] + joint_actions[j, k]] += 1.0
        return False
    if kind == _RM or kind == _HEDGE:
        base = j - a * strides[i]
        for b in range(m):
            ub = pay[p, ms, base + b * strides[i], i]
            if kind == _HEDGE:
                block[b] += par[0] * (ub - lo) / span
            elif par[0] > 0.0:
                block[a * m + b] += ub - r
            else:
                block[b] += ub - r
        return False
    if kind == _EXP3:
        block[a] += par[0] * ((r - lo) / span) / chosen_p
        return False
    if kind == _CROSS:
        x = par[0] * (r - lo) / span
        for b in range(m):
            block[b] -= x * block[b]
        block[a] += x
        return False
    return False


@jit
def run_window(kinds, params, n_act, strides, act_off, state_off, joint_actions, pay,
               trans, n_mem, own, own_n_mem, own_mem, init_p, t0, t1, stable_w, cap, rng,
               lstate, greedy, sess, last_r, counts, rsum, played):
    """Play periods ``t0 .. t1 - 1`` of every running session of the batch, in place.

    ``counts[s, ms, j]``, ``rsum[s, i]`` and ``played[s]`` accumulate the window's joint
    actions, rewards and periods; with ``own``, ``own_mem[s]`` holds each learner's own
    memory (updated)."""
    n_sessions = rng.shape[0]
    n = kinds.shape[0]
    n_joint = joint_actions.shape[0]
    n_ms = pay.shape[1]
    amax = 1
    for i in range(n):
        if n_act[i] > amax:
            amax = n_act[i]
    prob = np.empty(amax)
    u = np.empty(amax)
    acts = np.zeros(n, dtype=np.int64)
    rew = np.zeros(n)
    lo = np.zeros(n)
    span = np.ones(n)
    explore = np.zeros(n)
    decay = np.ones(n)
    chosen_p = np.ones(n)
    for s in range(n_sessions):
        if sess[s, 4] != 0:
            continue
        p = s if pay.shape[0] > 1 else 0
        for i in range(n):
            low = pay[p, 0, 0, i]
            high = low
            for ms in range(n_ms):
                for j in range(n_joint):
                    v = pay[p, ms, j, i]
                    low = min(low, v)
                    high = max(high, v)
            lo[i] = low
            span[i] = high - low if high > low else 1.0
            if kinds[i] == _Q:
                base = params[i, 5] if params[i, 2] > 0.0 else params[i, 3]
                explore[i] = base * math.exp(-params[i, 4] * t0)
                decay[i] = math.exp(-params[i, 4])
        st = rng[s]
        r0, r1, r2, r3 = st[0], st[1], st[2], st[3]
        ls = lstate[s]
        gr = greedy[s]
        last_rs = last_r[s]
        omem = own_mem[s]
        ms = sess[s, 0]
        mem = sess[s, 1]
        last = sess[s, 2]
        stable = sess[s, 3]
        t = t0
        while t < t1:
            if t >= cap:
                sess[s, 4] = 2
                break
            state = ms * n_mem + mem
            j = 0
            for i in range(n):
                m = n_act[i]
                si = state
                if own:
                    si = ms * own_n_mem[i] + omem[i]
                explore[i] *= decay[i]
                if kinds[i] == _Q and params[i, 2] == 0.0:       # epsilon-greedy, inline
                    r0, r1, r2, r3, x = _next(r0, r1, r2, r3)
                    if x < explore[i]:
                        r0, r1, r2, r3, x = _next(r0, r1, r2, r3)
                        a = int(x * m)
                    else:
                        a = gr[i, si]
                else:
                    st[0], st[1], st[2], st[3] = r0, r1, r2, r3
                    block = ls[state_off[i]:state_off[i + 1]]
                    a = _choose(i, kinds[i], params[i], m, si, ms, p, last, block, gr[i],
                                pay, joint_actions, act_off, n_act, init_p, t, explore[i],
                                last_rs, st, prob, u)
                    r0, r1, r2, r3 = st[0], st[1], st[2], st[3]
                    if kinds[i] == _EXP3:
                        chosen_p[i] = prob[a]
                acts[i] = a
                j += a * strides[i]
            for i in range(n):
                rew[i] = pay[p, ms, j, i]
            ms2 = 0
            if n_ms > 1:
                r0, r1, r2, r3, x = _next(r0, r1, r2, r3)
                ms2 = _sample(trans[ms, j], n_ms, x)
            mem2 = 0
            if n_mem > 1:
                mem2 = (mem * n_joint + j) % n_mem
            state2 = ms2 * n_mem + mem2
            changed = False
            for i in range(n):
                m = n_act[i]
                si = state
                si2 = state2
                if own:
                    si = ms * own_n_mem[i] + omem[i]
                    omem[i] = (omem[i] * m + acts[i]) % own_n_mem[i]
                    si2 = ms2 * own_n_mem[i] + omem[i]
                if kinds[i] == _Q:                               # Q-learning, inline
                    off = state_off[i]
                    row = off + si * m
                    alpha = params[i, 0]
                    target = rew[i] + params[i, 1] * ls[off + si2 * m + gr[i, si2]]
                    ls[row + acts[i]] = (1.0 - alpha) * ls[row + acts[i]] + alpha * target
                    best = 0
                    for b in range(1, m):
                        if ls[row + b] > ls[row + best]:
                            best = b
                    if best != gr[i, si]:
                        gr[i, si] = best
                        changed = True
                    continue
                block = ls[state_off[i]:state_off[i + 1]]
                if _update(i, kinds[i], params[i], m, si, si2, ms, p, j, acts[i],
                           rew[i], block, gr[i], pay, joint_actions, strides, act_off, n_act,
                           lo[i], span[i], chosen_p[i]):
                    changed = True
                elif last >= 0 and acts[i] != joint_actions[last, i]:
                    changed = True
            counts[s, ms, j] += 1.0
            for i in range(n):
                rsum[s, i] += rew[i]
                last_rs[i] = rew[i]
            played[s] += 1
            last = j
            ms = ms2
            mem = mem2
            t += 1
            if stable_w > 0:
                if changed:
                    stable = 0
                else:
                    stable += 1
                    if stable >= stable_w:
                        sess[s, 4] = 1
                        sess[s, 5] = t
                        break
        st[0], st[1], st[2], st[3] = r0, r1, r2, r3
        sess[s, 0] = ms
        sess[s, 1] = mem
        sess[s, 2] = last
        sess[s, 3] = stable


@jit
def final_policies(kinds, params, n_act, state_off, act_off, joint_actions, pay, n_mem,
                   own, own_n_mem, own_mem, init_p, t_end, lstate, greedy, sess, out):
    """``out[s, i, :m]``: agent i's policy at the session's current state (its own state
    with ``own``; greedy one-hot for Q-learners, the last action for imitators, the mixed
    strategy otherwise)."""
    n = kinds.shape[0]
    amax = out.shape[2]
    prob = np.zeros(amax)
    u = np.zeros(amax)
    for s in range(lstate.shape[0]):
        p = s if pay.shape[0] > 1 else 0
        ms = sess[s, 0]
        state = ms * n_mem + sess[s, 1]
        last = sess[s, 2]
        t = max(t_end, 1)
        for i in range(n):
            m = n_act[i]
            si = state
            if own:
                si = ms * own_n_mem[i] + own_mem[s, i]
            block = lstate[s, state_off[i]:state_off[i + 1]]
            _strategy(i, kinds[i], params[i], m, si, ms, p, last, block, greedy[s, i],
                      pay, joint_actions, act_off, n_act, init_p, t, prob, u)
            for a in range(m):
                out[s, i, a] = prob[a]
