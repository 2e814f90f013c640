"""The float path of :mod:`games.solvers.vertex_enumeration`: the compiled walk over the
lexicographically feasible bases of a best-response polytope, and the matching of vertex
pairs whose labels cover every action. Labels are packed in 64-bit words. Kernels are
compiled through :func:`games._jit.jit` on their first call.

The constants below are starting sizes of buffers that grow as needed; they change how
fast the walk runs, never its answer.
"""

from __future__ import annotations

import numpy as np

from games._jit import jit

__all__ = ["walk", "match_labels", "match_complements", "full_words", "zobrist_keys"]

#: Seed of the fixed random Zobrist keys (one per variable; a basis's key is their xor),
#: and the fewest keys drawn at once.
ZOBRIST_SEED = 0x5EED
ZOBRIST_MIN_KEYS = 256
#: Starting capacities of the walk's stack of bases and of its list of vertices (doubled
#: when full).
STACK_START = 64
VERTICES_START = 64
#: Starting size of the walk's open-addressing table of bases (a power of two), and the
#: factor it grows by when more than half full.
TABLE_START = 1024
TABLE_GROWTH = 4
#: Starting capacity of the list of matched pairs (doubled when full).
PAIRS_START = 16


def full_words(n_labels: int) -> np.ndarray:
    """The packed words of the label set {0, ..., n_labels - 1}."""
    words = np.zeros(max(1, (n_labels + 63) // 64), dtype=np.uint64)
    for w in range(len(words)):
        bits = min(64, n_labels - 64 * w)
        words[w] = np.uint64((1 << bits) - 1)
    return words


def zobrist_keys(size: int) -> np.ndarray:
    """Fixed random 63-bit keys, one per variable (the basis key is their xor)."""
    global _KEYS
    if len(_KEYS) < size:
        _KEYS = np.random.default_rng(ZOBRIST_SEED).integers(
            1, 2**63 - 1, size=max(size, ZOBRIST_MIN_KEYS), dtype=np.int64)
    return _KEYS[:size]


_KEYS = np.zeros(0, dtype=np.int64)


def match_complements(pw: np.ndarray, qw: np.ndarray, full: np.ndarray
                       ) -> tuple[np.ndarray, np.ndarray]:
    """Pairs whose label sets are complements (nondegenerate games), by sorting."""
    if len(pw) == 0 or len(qw) == 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    want = full[None, :] & ~pw
    if pw.shape[1] == 1:
        keys_q = qw[:, 0]
        keys_p = want[:, 0]
    else:
        dtype = np.dtype([(f"w{k}", np.uint64) for k in range(pw.shape[1])])
        keys_q = np.ascontiguousarray(qw).view(dtype)[:, 0]
        keys_p = np.ascontiguousarray(want).view(dtype)[:, 0]
    order = np.argsort(keys_q, kind="stable")
    sorted_q = keys_q[order]
    pos = np.searchsorted(sorted_q, keys_p)
    pos_c = np.minimum(pos, len(sorted_q) - 1)
    hit = sorted_q[pos_c] == keys_p
    pi = np.flatnonzero(hit)
    return pi, order[pos_c[hit]]


@jit
def walk(M, tol, zob, max_bases, zero_offset, tight_offset, n_words):
    """Vertices of ``{z >= 0 : M z <= 1}`` (``M`` positive, ``r x d``), one per
    lexicographically feasible basis reached from the basis of slacks.

    A depth-first walk keeps each basis on its stack as a dictionary (the ``r x (d + 1)``
    tableau columns of the nonbasic variables and the right-hand side): row ``i`` reads
    ``z_basis[i] + sum_c D[i, c] z_nonbasis[c] = D[i, d]``. Ties in the ratio test are
    broken lexicographically on the columns of the slacks (the inverse basis), which is
    the perturbation ``M z <= 1 + (eps, eps^2, ...)``; the ratio test runs without
    branches on the data and falls back to the lexicographic rule only when two ratios
    are within ``tol``. Bases are keyed by the xor of one Zobrist key per basic variable
    in an open-addressing table that also records each basis's stack slot. Lexicographic
    pivots are reversible, so an edge is tested from one end only: a new basis skips the
    column that leads back to its parent, and an edge found from a basis to one still on
    the stack is marked skipped in that entry (a bit per entering variable).

    Returns the coordinates (k, d); the labels packed in ``n_words`` 64-bit words
    (``z_j = 0`` is label ``zero_offset + j``, a tight constraint ``i`` is label
    ``tight_offset + i``); the number of labels of each; and an overflow flag.
    """
    r, d = M.shape
    nvar = d + r
    w = d + 1
    sw = (nvar + 63) >> 6
    cap = STACK_START
    st_D = np.empty((cap, r, w))
    st_B = np.empty((cap, r), dtype=np.int64)
    st_N = np.empty((cap, d), dtype=np.int64)
    st_S = np.zeros((cap, sw), dtype=np.uint64)
    st_key = np.empty(cap, dtype=np.int64)
    for i in range(r):
        for c in range(d):
            st_D[0, i, c] = M[i, c]
        st_D[0, i, d] = 1.0
    key0 = np.int64(0)
    for i in range(r):
        st_B[0, i] = d + i
        key0 ^= zob[d + i]
    for c in range(d):
        st_N[0, c] = c
    st_key[0] = key0
    top = 1
    hcap = TABLE_START
    table = np.zeros(hcap, dtype=np.int64)
    tslot = np.zeros(hcap, dtype=np.int64)
    table[key0 & (hcap - 1)] = key0
    count = 1
    vcap = VERTICES_START
    verts = np.empty((vcap, d))
    vwords = np.zeros((vcap, n_words), dtype=np.uint64)
    vcount = np.zeros(vcap, dtype=np.int64)
    nv = 0
    one = np.uint64(1)
    inf = np.inf
    big = np.finfo(np.float64).max
    D = np.empty((r, w))
    basis = np.empty(r, dtype=np.int64)
    nonbasis = np.empty(d, dtype=np.int64)
    skip = np.zeros(sw, dtype=np.uint64)
    pos = np.empty(nvar, dtype=np.int64)      # row of a basic variable, -1 - column otherwise
    newrow = np.empty(w)
    overflow = False
    while top > 0:
        top -= 1
        src = st_D[top]
        for i in range(r):
            for j in range(w):
                D[i, j] = src[i, j]
        for i in range(r):
            basis[i] = st_B[top, i]
            pos[basis[i]] = i
        for c in range(d):
            nonbasis[c] = st_N[top, c]
            pos[nonbasis[c]] = -1 - c
        for t in range(sw):
            skip[t] = st_S[top, t]
        key = st_key[top]
        if nv == vcap:
            vcap *= 2
            nverts = np.empty((vcap, d))
            nw = np.zeros((vcap, n_words), dtype=np.uint64)
            nc = np.zeros(vcap, dtype=np.int64)
            for t in range(nv):
                for j in range(d):
                    nverts[t, j] = verts[t, j]
                for j in range(n_words):
                    nw[t, j] = vwords[t, j]
                nc[t] = vcount[t]
            verts = nverts
            vwords = nw
            vcount = nc
        cnt = 0
        for j in range(d):
            verts[nv, j] = 0.0
        for c in range(d):
            v = nonbasis[c]
            lab = zero_offset + v if v < d else tight_offset + v - d
            vwords[nv, lab >> 6] |= one << np.uint64(lab & 63)
            cnt += 1
        for i in range(r):
            v = basis[i]
            val = D[i, d]
            if v < d:
                verts[nv, v] = val
            if val <= tol:
                lab = zero_offset + v if v < d else tight_offset + v - d
                vwords[nv, lab >> 6] |= one << np.uint64(lab & 63)
                cnt += 1
        vcount[nv] = cnt
        nv += 1
        for c in range(d):
            e = nonbasis[c]
            if (skip[e >> 6] >> np.uint64(e & 63)) & one:
                continue
            # ratio test without data-dependent branches: a row with entry <= tol has ratio
            # inf, the first finite ratio beats ``big``; two ratios within tol (a tie) send
            # the column to the scalar lexicographic rule below
            leave = -1
            best = big
            near = False
            for i in range(r):
                a = D[i, c]
                rhs = D[i, d]
                num = rhs if a > tol else inf
                ratio = num / max(a, tol)
                diff = ratio - best
                near = near | ((diff >= -tol) & (diff <= tol))
                take = diff < -tol
                leave = i if take else leave
                best = ratio if take else best
            if near:
                leave = -1
                best = 0.0
                for i in range(r):
                    a = D[i, c]
                    if a <= tol:
                        continue
                    ratio = D[i, d] / a
                    if leave < 0:
                        leave = i
                        best = ratio
                        continue
                    diff = ratio - best
                    if diff < -tol:
                        leave = i
                        best = ratio
                    elif diff <= tol:
                        al = D[leave, c]
                        for k in range(r):
                            p = pos[d + k]
                            if p >= 0:
                                vi = 1.0 if p == i else 0.0
                                vl = 1.0 if p == leave else 0.0
                            else:
                                vi = D[i, -1 - p]
                                vl = D[leave, -1 - p]
                            dk = vi / a - vl / al
                            if dk < -tol:
                                leave = i
                                best = ratio
                                break
                            if dk > tol:
                                break
            if leave < 0:
                continue
            b = basis[leave]
            nkey = key ^ zob[e] ^ zob[b]
            h = nkey & (hcap - 1)
            found = False
            while table[h] != 0:
                if table[h] == nkey:
                    found = True
                    break
                h = (h + 1) & (hcap - 1)
            if found:
                s = tslot[h]
                if s < top and st_key[s] == nkey:   # still on the stack: b entering leads back here
                    st_S[s, b >> 6] |= one << np.uint64(b & 63)
                continue
            table[h] = nkey
            tslot[h] = top
            count += 1
            if count > max_bases:
                overflow = True
                top = 0
                break
            if 2 * count > hcap:            # load factor above one half
                ncap = hcap * TABLE_GROWTH
                ntable = np.zeros(ncap, dtype=np.int64)
                nslot = np.zeros(ncap, dtype=np.int64)
                for t in range(hcap):
                    kk = table[t]
                    if kk != 0:
                        hh = kk & (ncap - 1)
                        while ntable[hh] != 0:
                            hh = (hh + 1) & (ncap - 1)
                        ntable[hh] = kk
                        nslot[hh] = tslot[t]
                table = ntable
                tslot = nslot
                hcap = ncap
            if top == cap:
                cap *= 2
                nD = np.empty((cap, r, w))
                nB = np.empty((cap, r), dtype=np.int64)
                nN = np.empty((cap, d), dtype=np.int64)
                nS = np.zeros((cap, sw), dtype=np.uint64)
                nk = np.empty(cap, dtype=np.int64)
                for t in range(top):
                    for i in range(r):
                        for j in range(w):
                            nD[t, i, j] = st_D[t, i, j]
                        nB[t, i] = st_B[t, i]
                    for j in range(d):
                        nN[t, j] = st_N[t, j]
                    for j in range(sw):
                        nS[t, j] = st_S[t, j]
                    nk[t] = st_key[t]
                st_D = nD
                st_B = nB
                st_N = nN
                st_S = nS
                st_key = nk
            # dictionary pivot on (leave, c) into the next stack slot
            dst = st_D[top]
            inv = 1.0 / D[leave, c]
            for j in range(w):
                newrow[j] = D[leave, j] * inv
            newrow[c] = inv
            for i in range(r):
                if i == leave:
                    for j in range(w):
                        dst[i, j] = newrow[j]
                    continue
                f = D[i, c]
                if f == 0.0:
                    for j in range(w):
                        dst[i, j] = D[i, j]
                else:
                    for j in range(w):
                        dst[i, j] = D[i, j] - f * newrow[j]
                    dst[i, c] = -f * inv
            for i in range(r):
                st_B[top, i] = basis[i]
            st_B[top, leave] = e
            for k in range(d):
                st_N[top, k] = nonbasis[k]
            st_N[top, c] = b
            for t in range(sw):
                st_S[top, t] = 0
            st_S[top, b >> 6] = one << np.uint64(b & 63)
            st_key[top] = nkey
            top += 1
    return verts[:nv].copy(), vwords[:nv].copy(), vcount[:nv].copy(), overflow


@jit
def match_labels(pw, qw, full):
    """Index pairs (i, j) whose label words together cover ``full``."""
    p, W = pw.shape
    q = qw.shape[0]
    cap = PAIRS_START
    out_i = np.empty(cap, dtype=np.int64)
    out_j = np.empty(cap, dtype=np.int64)
    k = 0
    for i in range(p):
        for j in range(q):
            ok = True
            for w in range(W):
                if (pw[i, w] | qw[j, w]) != full[w]:
                    ok = False
                    break
            if ok:
                if k == cap:
                    cap *= 2
                    ni = np.empty(cap, dtype=np.int64)
                    ni[:k] = out_i[:k]
                    out_i = ni
                    nj = np.empty(cap, dtype=np.int64)
                    nj[:k] = out_j[:k]
                    out_j = nj
                out_i[k] = i
                out_j[k] = j
                k += 1
    return out_i[:k].copy(), out_j[:k].copy()
