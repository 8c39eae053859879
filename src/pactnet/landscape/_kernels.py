"""Compiled numba kernels of the landscape model (private).

Conventions shared by every kernel
----------------------------------
``A[k, j] = s_k * p_kj``: row ``k`` is what actor ``k`` contributes to the fields of the others, so
the local field of actor ``j`` in a two-coalition configuration is ``h_j = sum_k A[k, j] * sigma_k``
and, for ``k`` coalitions, the pull of coalition ``a`` on ``j`` is ``G[j, a] = sum_{k in a} A[k, j]``.
A two-coalition configuration is coded as an integer whose bit ``i`` is 1 when actor ``i`` is on
side 1 (``sigma_i = -1``). A ``k``-coalition configuration is an ``int8`` label array.

Moves: an actor moves only if its frustration falls by more than ``tol`` (``gain > tol``). Orders:
0 = lowest index first, 1 = steepest (largest energy drop, ties to the lowest index), 2 = uniformly
random among the actors that can improve (a private splitmix64 stream per start, never the global RNG).

This module is imported only by the solver modules, never by ``pactnet.landscape`` itself, so that
``import pactnet`` and the CLI stay light.
"""

from __future__ import annotations

import numpy as np
from numba import njit, prange

__all__: list[str] = []

ORDER_CODES = {"lowest_index": 0, "steepest": 1, "random": 2}


# ----------------------------------------------------------------------------------------------
# A tiny counter-based PRNG (splitmix64), so that compiled code never touches a global RNG state.
# ----------------------------------------------------------------------------------------------
@njit(cache=True, inline="always")
def _splitmix(state):
    state = (state + np.uint64(0x9E3779B97F4A7C15)) & np.uint64(0xFFFFFFFFFFFFFFFF)
    z = state
    z = ((z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)) & np.uint64(0xFFFFFFFFFFFFFFFF)
    z = ((z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)) & np.uint64(0xFFFFFFFFFFFFFFFF)
    z = z ^ (z >> np.uint64(31))
    return state, z


@njit(cache=True, inline="always")
def _uniform(state):
    state, z = _splitmix(state)
    return state, (z >> np.uint64(11)) * (1.0 / 9007199254740992.0)


@njit(cache=True, inline="always")
def _randint(state, m):
    state, u = _uniform(state)
    r = int(u * m)
    if r >= m:
        r = m - 1
    return state, r


# ----------------------------------------------------------------------------------------------
# Exhaustive enumeration of two-coalition configurations along a Gray code.
# ----------------------------------------------------------------------------------------------
@njit(cache=True, inline="always")
def _is_min(sg, h, check, allmov, tol):
    """Short-circuit test that no movable actor has ``sigma_i h_i < -tol``."""
    n = h.shape[0]
    if allmov:
        for j in range(n):
            if sg[j] * h[j] < -tol:
                return False
    else:
        for j in range(n):
            if check[j] > 0.0 and sg[j] * h[j] < -tol:
                return False
    return True


@njit(cache=True, inline="always")
def _flip(a, sg, h, s, A, n):
    """Move actor ``a`` to the other side: update its spin and every local field in place.

    Returns the change of the (ordered-pair) energy and the factor ``c`` by which row ``a`` of ``A``
    was added to the fields, so that callers keeping other fields can apply it too.
    """
    old = sg[a]
    de = 2.0 * s[a] * old * h[a]
    sg[a] = -old
    c = -2.0 * old
    for j in range(n):
        h[j] += c * A[a, j]
    return de, c


@njit(cache=True, parallel=True, fastmath=True)
def gray_minima(A, s, base_sigma, enum_idx, check, block_bits, tol, cap, L):
    """Every configuration whose movable actors all have ``sigma_i h_i >= -tol``.

    The ``m = len(enum_idx)`` enumerated actors are split into ``2**block_bits`` prefix blocks (the
    top bits); each block walks its ``2**(m - block_bits)`` configurations along a reflected Gray
    code, updating the energy in O(1) and the local fields in O(n) per step. Blocks run in parallel.
    ``check[i]`` is 1.0 for actors that may move (0.0 for pinned actors). Returns per-block counts,
    codes and energies (ordered-pair convention); a count above ``cap`` means the buffers overflowed.
    """
    n = A.shape[0]
    m = enum_idx.shape[0]
    nb = 1 << block_bits
    low = m - block_bits
    counts = np.zeros(nb, np.int64)
    codes = np.zeros((nb, cap), np.int64)
    energies = np.zeros((nb, cap), np.float64)
    allmov = True
    for i in range(n):
        if check[i] <= 0.0:
            allmov = False
    # branch and bound over the L innermost Gray bits: R_j bounds what they can add to sigma_j h_j
    if L > m - block_bits:
        L = m - block_bits
    inner = np.zeros(n, np.bool_)
    for q in range(L):
        inner[enum_idx[q]] = True
    R = np.zeros(n, np.float64)
    outer_check = np.zeros(n, np.bool_)
    for j in range(n):
        outer_check[j] = (not inner[j]) and check[j] > 0.0
        for q in range(L):
            R[j] += abs(A[enum_idx[q], j])
    base_code = np.int64(0)
    for i in range(n):
        if base_sigma[i] < 0:
            base_code |= np.int64(1) << i
    for b in prange(nb):
        sg = base_sigma.copy()
        code = base_code
        for t in range(block_bits):
            if (b >> t) & 1:
                a = enum_idx[low + t]
                sg[a] = -sg[a]
                code ^= np.int64(1) << a
        h = np.zeros(n, np.float64)
        for k in range(n):
            sk = sg[k]
            for j in range(n):
                h[j] += A[k, j] * sk
        e = 0.0
        for i in range(n):
            tot = 0.0
            for j in range(n):
                tot += A[j, i]
            e += s[i] * (tot - sg[i] * h[i])
        e *= 0.5  # E = sum_i s_i F_i with F_i = (T_i - sigma_i h_i) / 2 (ordered pairs)
        # outer fields C_j: contributions of every actor outside the L innermost Gray bits
        C = np.zeros(n, np.float64)
        for k in range(n):
            if not inner[k]:
                sk = sg[k]
                for j in range(n):
                    C[j] += A[k, j] * sk
        cnt = 0
        mid = np.int64(1) << (low - L)
        inner_total = np.int64(1) << L
        top = enum_idx[L - 1] if L > 0 else -1
        for q in range(mid):
            if q > 0:
                # a middle bit flips: the actor of the lowest set bit of q, shifted by L
                k = 0
                while ((q >> k) & 1) == 0:
                    k += 1
                a = enum_idx[k + L]
                de, c = _flip(a, sg, h, s, A, n)
                e += de
                code ^= np.int64(1) << a
                if L > 0:
                    for j in range(n):
                        C[j] += c * A[a, j]
            # bound: an outer actor that is unstable whatever the inner actors do rules out the block
            prune = False
            if L > 0:
                for j in range(n):
                    if outer_check[j] and sg[j] * C[j] + R[j] < -tol:
                        prune = True
                        break
            if prune:
                # walking the block would flip each inner bit an even number of times except the
                # top one: apply that net flip and move on
                a = top
                de, c = _flip(a, sg, h, s, A, n)
                e += de
                code ^= np.int64(1) << a
                continue
            if L == 0:
                if _is_min(sg, h, check, allmov, tol):
                    if cnt < cap:
                        codes[b, cnt] = code
                        energies[b, cnt] = e
                    cnt += 1
                continue
            for r in range(inner_total):
                if r > 0:
                    k = 0
                    while ((r >> k) & 1) == 0:
                        k += 1
                    a = enum_idx[k]
                    de, c = _flip(a, sg, h, s, A, n)
                    e += de
                    code ^= np.int64(1) << a
                if _is_min(sg, h, check, allmov, tol):
                    if cnt < cap:
                        codes[b, cnt] = code
                        energies[b, cnt] = e
                    cnt += 1
        counts[b] = cnt
    return counts, codes, energies


@njit(cache=True)
def energies_and_gains(A, s, codes, check):
    """Energy (ordered pairs) and the smallest ``sigma_i h_i`` over movable actors, from scratch."""
    n = A.shape[0]
    out_e = np.empty(codes.shape[0])
    out_g = np.empty(codes.shape[0])
    tot = np.zeros(n)
    for i in range(n):
        for j in range(n):
            tot[i] += A[j, i]
    sg = np.empty(n)
    for r in range(codes.shape[0]):
        for i in range(n):
            sg[i] = -1.0 if (codes[r] >> i) & 1 else 1.0
        e = 0.0
        g = np.inf
        for i in range(n):
            h = 0.0
            for k in range(n):
                h += A[k, i] * sg[k]
            e += s[i] * (tot[i] - sg[i] * h) * 0.5
            if check[i] > 0.0:
                g = min(g, sg[i] * h)
        out_e[r] = e
        out_g[r] = g
    return out_e, out_g


# ----------------------------------------------------------------------------------------------
# Myopic dynamics for k coalitions (k = 2 included).
# ----------------------------------------------------------------------------------------------
@njit(cache=True, inline="always")
def _pulls(A, conf, k, G):
    n = A.shape[0]
    G[:, :] = 0.0
    for j in range(n):
        cj = conf[j]
        for i in range(n):
            G[i, cj] += A[j, i]


@njit(cache=True, inline="always")
def _best(G, conf, i, k):
    """Best coalition for actor i (lowest label on ties) and its gain over staying."""
    cur = G[i, conf[i]]
    best = conf[i]
    bv = cur
    for a in range(k):
        if G[i, a] > bv:
            bv = G[i, a]
            best = a
    return best, bv - cur


@njit(cache=True)
def _descend(A, s, conf, k, movable, order, tol, state, G, cand):
    """Run the dynamics in place from ``conf``; returns (moves, rng state)."""
    n = A.shape[0]
    _pulls(A, conf, k, G)
    moves = 0
    while True:
        chosen = -1
        dest = -1
        if order == 0:
            for i in range(n):
                if movable[i]:
                    b, g = _best(G, conf, i, k)
                    if g > tol:
                        chosen = i
                        dest = b
                        break
        elif order == 1:
            bestdrop = 0.0
            for i in range(n):
                if movable[i]:
                    b, g = _best(G, conf, i, k)
                    if g > tol and s[i] * g > bestdrop:
                        bestdrop = s[i] * g
                        chosen = i
                        dest = b
        else:
            nc = 0
            for i in range(n):
                if movable[i]:
                    b, g = _best(G, conf, i, k)
                    if g > tol:
                        cand[nc] = i
                        nc += 1
            if nc > 0:
                state, r = _randint(state, nc)
                chosen = cand[r]
                dest, g = _best(G, conf, chosen, k)
        if chosen < 0:
            return moves, state
        old = conf[chosen]
        for j in range(n):
            w = A[chosen, j]
            G[j, old] -= w
            G[j, dest] += w
        conf[chosen] = dest
        moves += 1


@njit(cache=True, parallel=True)
def descend_many(A, s, starts, k, movable, order, tol, seeds):
    """Run the dynamics from each row of ``starts`` (in place); returns the number of moves."""
    n = A.shape[0]
    r = starts.shape[0]
    nmoves = np.zeros(r, np.int64)
    for q in prange(r):
        G = np.zeros((n, k))
        cand = np.zeros(n, np.int64)
        conf = starts[q]
        mv, _ = _descend(A, s, conf, k, movable, order, tol, seeds[q], G, cand)
        nmoves[q] = mv
    return nmoves


@njit(cache=True, parallel=True)
def descend_all_binary(A, s, enum_idx, base, movable, order, tol, seed):
    """Run the dynamics from every two-coalition start ``base`` with the enumerated actors set freely.

    Start ``t`` sets actor ``enum_idx[b]`` to side 1 when bit ``b`` of ``t`` is 1. ``seed`` serves the
    random order (start ``t`` gets its own stream). Returns the end configuration code of each
    start, not canonicalised (the caller maps a code and its complement to the same minimum).
    """
    n = A.shape[0]
    m = enum_idx.shape[0]
    total = np.int64(1) << m
    out = np.empty(total, np.int64)
    nchunk = 64
    per = (total + nchunk - 1) // nchunk
    for c in prange(nchunk):
        G = np.zeros((n, 2))
        cand = np.zeros(n, np.int64)
        conf = np.zeros(n, np.int8)
        lo = c * per
        hi = min(total, lo + per)
        for t in range(lo, hi):
            code = base
            for b in range(m):
                if (t >> b) & 1:
                    code ^= np.int64(1) << enum_idx[b]
            for i in range(n):
                conf[i] = (code >> i) & 1
            st = np.uint64(seed) + np.uint64(t) * np.uint64(0x9E3779B97F4A7C15)
            _descend(A, s, conf, 2, movable, order, tol, st, G, cand)
            e = np.int64(0)
            for i in range(n):
                if conf[i]:
                    e |= np.int64(1) << i
            out[t] = e
    return out


@njit(cache=True)
def absorption_binary(A, s, n, movable, tol, min_codes):
    """Exact absorption probabilities of the random-order chain for every canonical state.

    The chain moves from a state to one of its improving neighbours chosen uniformly (waiting steps
    are self-loops and do not change where it is absorbed). Energy falls along every move, so the
    chain is acyclic: one pass over the states in increasing order of energy solves it exactly.
    States are coded with actor 0 on side 0 (the flip-symmetric twin has the same probabilities).
    Returns the matrix P[state, minimum] and the energy of every state.
    """
    half = np.int64(1) << (n - 1)
    nm = min_codes.shape[0]
    tot = np.zeros(n)
    for i in range(n):
        for j in range(n):
            tot[i] += A[j, i]
    E = np.empty(half)
    sg = np.empty(n)
    for t in range(half):
        code = t << 1
        for i in range(n):
            sg[i] = -1.0 if (code >> i) & 1 else 1.0
        e = 0.0
        for i in range(n):
            h = 0.0
            for k2 in range(n):
                h += A[k2, i] * sg[k2]
            e += s[i] * (tot[i] - sg[i] * h) * 0.5
        E[t] = e
    order = np.argsort(E)
    P = np.zeros((half, nm))
    min_keys = np.sort(min_codes >> 1)
    min_pos = np.argsort(min_codes >> 1)
    nbr = np.empty(n, np.int64)
    for r in range(half):
        t = order[r]
        code = t << 1
        for i in range(n):
            sg[i] = -1.0 if (code >> i) & 1 else 1.0
        nn = 0
        for i in range(n):
            if not movable[i]:
                continue
            h = 0.0
            for k2 in range(n):
                h += A[k2, i] * sg[k2]
            if sg[i] * h < -tol:
                y = code ^ (np.int64(1) << i)
                if y & 1:
                    y = ~y & ((np.int64(1) << n) - 1)
                nbr[nn] = y >> 1
                nn += 1
        if nn == 0:
            p = np.searchsorted(min_keys, t)
            if p < nm and min_keys[p] == t:
                P[t, min_pos[p]] = 1.0
        else:
            for q in range(nn):
                for mi in range(nm):
                    P[t, mi] += P[nbr[q], mi]
            for mi in range(nm):
                P[t, mi] /= nn
    return P, E


# ----------------------------------------------------------------------------------------------
# Exhaustive enumeration for k > 2 coalitions (restricted-growth strings).
# ----------------------------------------------------------------------------------------------
@njit(cache=True, parallel=True)
def kway_minima(A, s, n, k, tol, cap):
    """Every canonical k-coalition configuration that is a local minimum (any n, k**(n-1) small)."""
    total = np.int64(1)
    for _ in range(n - 1):
        total *= k
    nchunk = 64
    per = (total + nchunk - 1) // nchunk
    counts = np.zeros(nchunk, np.int64)
    confs = np.zeros((nchunk, cap, n), np.int8)
    energies = np.zeros((nchunk, cap))
    tot = np.zeros(n)
    for i in range(n):
        for j in range(n):
            tot[i] += A[j, i]
    for c in prange(nchunk):
        conf = np.zeros(n, np.int8)
        G = np.zeros((n, k))
        lo = c * per
        hi = min(total, lo + per)
        cnt = 0
        for t in range(lo, hi):
            x = t
            mx = 0
            ok = True
            for i in range(1, n):
                d = x % k
                x //= k
                if d > mx + 1:
                    ok = False
                    break
                if d > mx:
                    mx = d
                conf[i] = d
            if not ok:
                continue
            conf[0] = 0
            _pulls(A, conf, k, G)
            isloc = True
            for i in range(n):
                b, g = _best(G, conf, i, k)
                if g > tol:
                    isloc = False
                    break
            if isloc:
                e = 0.0
                for i in range(n):
                    e += s[i] * (tot[i] - G[i, conf[i]])
                if cnt < cap:
                    confs[c, cnt, :] = conf
                    energies[c, cnt] = e
                cnt += 1
        counts[c] = cnt
    return counts, confs, energies


# ----------------------------------------------------------------------------------------------
# Simulated annealing (k coalitions), one independent stream per run.
# ----------------------------------------------------------------------------------------------
@njit(cache=True, parallel=True)
def anneal_many(A, s, starts, k, movable, t0, t1, sweeps, tol, seeds):
    """Metropolis single-actor moves with geometric cooling from ``t0`` to ``t1``, then a quench.

    A proposal moves a random movable actor to a random other coalition; it is accepted with
    probability ``min(1, exp(-dE / T))``. After the last sweep the lowest-index dynamics run to a
    local minimum, so every run ends at a configuration the myopic dynamics would keep.
    """
    n = A.shape[0]
    r = starts.shape[0]
    nmov = 0
    for i in range(n):
        if movable[i]:
            nmov += 1
    midx = np.empty(nmov, np.int64)
    q = 0
    for i in range(n):
        if movable[i]:
            midx[q] = i
            q += 1
    steps = sweeps * nmov
    for run in prange(r):
        state = seeds[run]
        conf = starts[run]
        G = np.zeros((n, k))
        cand = np.zeros(n, np.int64)
        _pulls(A, conf, k, G)
        if steps > 1:
            ratio = (t1 / t0) ** (1.0 / (steps - 1))
        else:
            ratio = 1.0
        T = t0
        for _ in range(steps):
            state, r1 = _randint(state, nmov)
            i = midx[r1]
            state, r2 = _randint(state, k - 1)
            old = conf[i]
            dest = r2 if r2 < old else r2 + 1
            dE = 2.0 * s[i] * (G[i, old] - G[i, dest])
            accept = dE <= 0.0
            if not accept:
                state, u = _uniform(state)
                accept = u < np.exp(-dE / T)
            if accept:
                for j in range(n):
                    w = A[i, j]
                    G[j, old] -= w
                    G[j, dest] += w
                conf[i] = dest
            T *= ratio
        _descend(A, s, conf, k, movable, 0, tol, state, G, cand)
    return starts
