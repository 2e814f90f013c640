"""The compiled kernels behind :mod:`games.solvers.lemke_howson`: the float
Lemke-Howson path in revised form (only the inverse of the basis block the supports span
is kept, updated by rank-one formulas and recomputed periodically) and its certificate.
Kernels are compiled through :func:`games._jit.jit` on their first call.
"""

from __future__ import annotations

import numpy as np

from games._jit import jit

__all__ = ["lh_solve", "refactor_basis", "RATIO_TOLERANCE"]

#: Ratio-test tolerance of :func:`lh_solve` on the payoffs mapped onto [1, 2].
RATIO_TOLERANCE = 1e-12
#: The basis inverse of a side with support size s is recomputed from scratch every
#: REFACTOR_EVERY + REFACTOR_PER_SUPPORT * s pivots (O(s^3) work every O(s) pivots), which
#: bounds the rounding the rank-one updates accumulate.
REFACTOR_EVERY = 64
REFACTOR_PER_SUPPORT = 3
#: Largest pivot magnitude at which the recomputed basis block counts as singular.
SINGULAR_PIVOT = 1e-300
#: Basic values at or below this (on payoffs mapped onto [1, 2]) are read as zero in the
#: final strategies.
ZERO_VALUE = 1e-11


@jit
def lh_solve(A, B, k0, max_pivots, tol):
    """Lemke-Howson on raw payoffs: affine map onto [1, 2], the path, the normalised
    strategies, and their certificate in the original payoffs.

    Returns ``x, y, pivots, u, v, regret, largest`` where ``u, v`` are the payoffs,
    ``regret`` the largest gain from a deviation and ``largest`` the largest absolute
    payoff. ``tol`` is the ratio-test tolerance on the payoffs mapped onto [1, 2]."""
    m, n = A.shape
    alo, ahi, blo, bhi = A[0, 0], A[0, 0], B[0, 0], B[0, 0]
    largest = 0.0
    for i in range(m):
        for j in range(n):
            a, b = A[i, j], B[i, j]
            alo = min(alo, a)
            ahi = max(ahi, a)
            blo = min(blo, b)
            bhi = max(bhi, b)
            largest = max(largest, abs(a), abs(b))
    sa = ahi - alo
    sb = bhi - blo
    ia = 1.0 / sa if sa > 0 else 0.0
    ib = 1.0 / sb if sb > 0 else 0.0
    GP = np.empty((m, n))          # x_i's coefficient in row j of P: PB[i, j]
    GQ = np.empty((n, m))          # y_j's coefficient in row i of Q: PA[i, j]
    for i in range(m):
        for j in range(n):
            GP[i, j] = (B[i, j] - blo) * ib + 1.0
            GQ[j, i] = (A[i, j] - alo) * ia + 1.0

    # Revised form. A polytope with R rows reads  sum_c G[c, row] v_c + slack_row = 1
    # (P: G = GP, v = x, slacks s = labels m..m+n-1; Q: G = GQ, v = y, slacks r = labels
    # 0..m-1). A basis is a set S of basic structural variables and the set T of rows
    # whose slack is basic; the rows N outside T are as many as S, and the basis matrix
    # is invertible exactly when C = G[S][:, N]^T is. Only C^{-1} (at most min(m, n)
    # square, and as large as the current supports) is kept, updated by rank-one
    # formulas at each pivot and recomputed every REFACTOR_EVERY + REFACTOR_PER_SUPPORT |S|
    # pivots; a pivot costs O(|S|^2 + |S| R) instead of the O(R (m + n)) of a full
    # tableau.
    cap = min(m, n)
    inv_p = np.empty((cap, cap))
    inv_q = np.empty((cap, cap))
    struct_p = np.empty(cap, dtype=np.int64)      # position -> structural variable
    struct_q = np.empty(cap, dtype=np.int64)
    rows_p = np.empty(cap, dtype=np.int64)        # position -> row whose slack is nonbasic
    rows_q = np.empty(cap, dtype=np.int64)
    spos_p = np.full(m, -1, dtype=np.int64)       # structural variable -> position or -1
    spos_q = np.full(n, -1, dtype=np.int64)
    rpos_p = np.full(n, -1, dtype=np.int64)       # row -> position, -1 when its slack is basic
    rpos_q = np.full(m, -1, dtype=np.int64)
    sval_p = np.zeros(cap)                        # values of the basic structural variables
    sval_q = np.zeros(cap)
    tval_p = np.ones(n)                           # values of the basic slacks, per row
    tval_q = np.ones(m)
    size = np.zeros(2, dtype=np.int64)
    since = np.zeros(2, dtype=np.int64)
    zs = np.empty(cap)
    zt = np.empty(max(m, n))
    h = np.empty(cap)
    work = np.empty((cap, 2 * cap))
    entering = k0
    in_p = k0 < m
    pivots = 0
    broken = False
    while True:
        if pivots >= max_pivots:
            pivots = -1
            break
        pivots += 1
        if in_p:
            side = 0
            G = GP
            Cinv = inv_p
            struct = struct_p
            rows_n = rows_p
            spos = spos_p
            rpos = rpos_p
            sval = sval_p
            tval = tval_p
            enter_struct = entering < m
            enter_index = entering if enter_struct else entering - m
        else:
            side = 1
            G = GQ
            Cinv = inv_q
            struct = struct_q
            rows_n = rows_q
            spos = spos_q
            rpos = rpos_q
            sval = sval_q
            tval = tval_q
            enter_struct = entering >= m
            enter_index = entering - m if enter_struct else entering
        R = tval.shape[0]
        s = size[side]
        if since[side] >= REFACTOR_EVERY + REFACTOR_PER_SUPPORT * s:  # O(s^3) every O(s)
            if not refactor_basis(G, Cinv, struct, rows_n, s, sval, tval, work):
                broken = True
                break
            since[side] = 0
        since[side] += 1
        # the entering column in the current basis: zs on S, zt on the rows of T
        if enter_struct:
            ge = G[enter_index]
            for a in range(s):
                h[a] = ge[rows_n[a]]
            for k in range(s):
                acc = 0.0
                for a in range(s):
                    acc += Cinv[k, a] * h[a]
                zs[k] = acc
            for r in range(R):
                zt[r] = G[enter_index, r]
        else:
            a0 = rpos[enter_index]
            for k in range(s):
                zs[k] = Cinv[k, a0]
            for r in range(R):
                zt[r] = 0.0
        k = 0
        while k + 4 <= s:       # four rows of G per pass over zt
            w0 = zs[k]
            w1 = zs[k + 1]
            w2 = zs[k + 2]
            w3 = zs[k + 3]
            g0 = G[struct[k]]
            g1 = G[struct[k + 1]]
            g2 = G[struct[k + 2]]
            g3 = G[struct[k + 3]]
            for r in range(R):
                zt[r] -= w0 * g0[r] + w1 * g1[r] + w2 * g2[r] + w3 * g3[r]
            k += 4
        while k < s:
            w = zs[k]
            gk = G[struct[k]]
            for r in range(R):
                zt[r] -= w * gk[r]
            k += 1
        # lexicographic minimum-ratio test over the basic variables: positions 0..s-1 of
        # S, then the rows of T (encoded cap + row); ties are broken on the slack columns
        # of the tableau, computed when needed
        leave = -1
        al = 0.0
        bl = 0.0
        for q in range(s + R):
            if q < s:
                cand = q
                a = zs[q]
                b = sval[q]
            else:
                r = q - s
                if rpos[r] >= 0:
                    continue
                cand = cap + r
                a = zt[r]
                b = tval[r]
            if a <= tol:
                continue
            if leave < 0:
                leave, al, bl = cand, a, b
                continue
            scale = tol * a * al
            diff = b * al - bl * a
            if diff < -scale:
                leave, al, bl = cand, a, b
            elif diff <= scale:
                for lr in range(R):
                    ei = 0.0
                    el = 0.0
                    if rpos[lr] < 0:
                        ei = 1.0 if cand == cap + lr else 0.0
                        el = 1.0 if leave == cap + lr else 0.0
                    else:
                        ca = rpos[lr]
                        if cand < cap:
                            ei = Cinv[cand, ca]
                        else:
                            for k in range(s):
                                ei -= Cinv[k, ca] * G[struct[k], cand - cap]
                        if leave < cap:
                            el = Cinv[leave, ca]
                        else:
                            for k in range(s):
                                el -= Cinv[k, ca] * G[struct[k], leave - cap]
                    dk = ei * al - el * a
                    if dk < -scale:
                        leave, al, bl = cand, a, b
                        break
                    if dk > scale:
                        break
        if leave < 0:
            pivots = -1
            break
        theta = bl / al
        for k in range(s):
            sval[k] -= theta * zs[k]
        for r in range(R):
            if rpos[r] < 0:
                tval[r] -= theta * zt[r]
        # the basis change, and C^{-1} with it
        if leave < cap:
            b = leave
            gone = struct[b]
            leaving = gone if side == 0 else m + gone
            if enter_struct:        # a structural variable replaces another: column b of C
                piv = zs[b]
                for j in range(s):
                    Cinv[b, j] /= piv
                for k in range(s):
                    f = zs[k]
                    if k != b and f != 0.0:
                        for j in range(s):
                            Cinv[k, j] -= f * Cinv[b, j]
                spos[gone] = -1
                struct[b] = enter_index
                spos[enter_index] = b
                sval[b] = theta
            else:                   # a slack replaces a structural variable: C shrinks
                a0 = rpos[enter_index]
                piv = Cinv[b, a0]
                for j in range(s):
                    h[j] = Cinv[b, j] / piv
                for k in range(s):
                    f = Cinv[k, a0]
                    if k != b and f != 0.0:
                        for j in range(s):
                            Cinv[k, j] -= f * h[j]
                last = s - 1
                for j in range(s):              # row `last` moves to row b
                    Cinv[b, j] = Cinv[last, j]
                for k in range(s):              # column `last` moves to column a0
                    Cinv[k, a0] = Cinv[k, last]
                spos[gone] = -1
                if b != last:
                    struct[b] = struct[last]
                    spos[struct[b]] = b
                    sval[b] = sval[last]
                rpos[enter_index] = -1
                if a0 != last:
                    rows_n[a0] = rows_n[last]
                    rpos[rows_n[a0]] = a0
                tval[enter_index] = theta
                size[side] = s - 1
        else:
            gone_row = leave - cap
            leaving = m + gone_row if side == 0 else gone_row
            for j in range(s):                  # h = G[S, gone_row] C^{-1}
                h[j] = 0.0
            for k in range(s):
                f = G[struct[k], gone_row]
                if f != 0.0:
                    for j in range(s):
                        h[j] += f * Cinv[k, j]
            if enter_struct:        # a structural variable enters, a slack leaves: C grows
                sigma = zt[gone_row]
                for k in range(s):
                    f = zs[k] / sigma
                    if f != 0.0:
                        for j in range(s):
                            Cinv[k, j] += f * h[j]
                    Cinv[k, s] = -zs[k] / sigma
                for j in range(s):
                    Cinv[s, j] = -h[j] / sigma
                Cinv[s, s] = 1.0 / sigma
                struct[s] = enter_index
                spos[enter_index] = s
                rows_n[s] = gone_row
                rpos[gone_row] = s
                sval[s] = theta
                size[side] = s + 1
            else:                   # one slack replaces another: row a0 of C
                a0 = rpos[enter_index]
                ha = h[a0]
                h[a0] -= 1.0
                for k in range(s):
                    f = zs[k] / ha
                    if f != 0.0:
                        for j in range(s):
                            Cinv[k, j] -= f * h[j]
                rpos[enter_index] = -1
                rows_n[a0] = gone_row
                rpos[gone_row] = a0
                tval[enter_index] = theta
        if leaving == k0:
            break
        entering = leaving
        in_p = not in_p
    x = np.zeros(m)
    y = np.zeros(n)
    if pivots > 0 and not broken:
        # final values from a fresh inverse
        if not refactor_basis(GP, inv_p, struct_p, rows_p, size[0], sval_p, tval_p, work) or \
                not refactor_basis(GQ, inv_q, struct_q, rows_q, size[1], sval_q, tval_q, work):
            broken = True
    if broken:
        pivots = -1
    for k in range(size[0]):
        x[struct_p[k]] = sval_p[k] if sval_p[k] > ZERO_VALUE else 0.0
    for k in range(size[1]):
        y[struct_q[k]] = sval_q[k] if sval_q[k] > ZERO_VALUE else 0.0
    sx = x.sum()
    sy = y.sum()
    if pivots < 0 or sx <= 0 or sy <= 0:
        return x, y, -1, 0.0, 0.0, np.inf, largest
    x /= sx
    y /= sy
    # certificate in the original payoffs (plain loops: no BLAS threads on small games)
    Ay = np.empty(m)
    xB = np.zeros(n)
    for i in range(m):
        acc = 0.0
        xi = x[i]
        for j in range(n):
            acc += A[i, j] * y[j]
        Ay[i] = acc
        if xi != 0.0:
            for j in range(n):
                xB[j] += xi * B[i, j]
    u = 0.0
    for i in range(m):
        u += x[i] * Ay[i]
    v = 0.0
    for j in range(n):
        v += xB[j] * y[j]
    regret = max(Ay.max() - u, xB.max() - v)
    return x, y, pivots, u, v, regret, largest


@jit
def refactor_basis(G, Cinv, struct, rows_n, s, sval, tval, work):
    """Recompute ``C^{-1}`` (``C[a, k] = G[struct[k], rows_n[a]]``) by Gauss-Jordan
    elimination with partial pivoting, and the basic values from it: ``sval = C^{-1} 1``,
    ``tval = 1 - G[S]^T sval``. False when ``C`` is numerically singular."""
    for a in range(s):
        for k in range(s):
            work[a, k] = G[struct[k], rows_n[a]]
            work[a, s + k] = 1.0 if a == k else 0.0
    for c in range(s):
        p = c
        best = abs(work[c, c])
        for a in range(c + 1, s):
            if abs(work[a, c]) > best:
                best = abs(work[a, c])
                p = a
        if best < SINGULAR_PIVOT:
            return False
        if p != c:
            for j in range(2 * s):
                tmp = work[c, j]
                work[c, j] = work[p, j]
                work[p, j] = tmp
        inv = 1.0 / work[c, c]
        for j in range(2 * s):
            work[c, j] *= inv
        for a in range(s):
            f = work[a, c]
            if a != c and f != 0.0:
                for j in range(2 * s):
                    work[a, j] -= f * work[c, j]
    for k in range(s):
        acc = 0.0
        for a in range(s):
            v = work[k, s + a]
            Cinv[k, a] = v
            acc += v
        sval[k] = acc
    for r in range(tval.shape[0]):
        tval[r] = 1.0
    for k in range(s):
        w = sval[k]
        gk = G[struct[k]]
        for r in range(tval.shape[0]):
            tval[r] -= w * gk[r]
    return True
