"""Compiled branch and bound over two-coalition configurations (private; see docs/landscape.md).

Conventions as in :mod:`pactnet.landscape._kernels`: ``A[k, j] = s_k p_kj``, the local field of
actor ``j`` is ``h_j = sum_k A[k, j] sigma_k``, and a configuration is a local minimum when every
movable actor has ``sigma_j h_j >= -tol``.

A node of the search tree is a partial assignment. For every actor ``j`` it keeps the field of the
assigned actors ``C_j = sum_{k assigned} A[k, j] sigma_k`` and the most the unassigned ones can still
add or take away, ``R_j = sum_{k unassigned} |A[k, j]|``. Whatever the completion, ``h_j`` lies in
``[C_j - R_j, C_j + R_j]``. Two rules follow, and both only remove configurations that are not
local minima:

* **bound**: an assigned movable actor with ``sigma_j C_j + R_j < -tol`` is unstable in every
  completion, so the node has no local minimum below it;
* **forcing**: an unassigned actor with ``C_j - R_j > tol`` has ``h_j > tol`` in every completion,
  so in every local minimum below the node it sits on side +1 (and on -1 when ``C_j + R_j < -tol``);
  it is assigned that value without branching, and the rules are applied again until nothing changes.

Branching on an actor splits the node's completions into two disjoint sets, so every configuration
below the root is either visited as a leaf exactly once or removed by one of the two rules. Each
branching level saves ``C`` and ``R`` and restores them on the way back, so the values at any node are
sums of at most ``n`` terms from the root (no rounding drift accumulates along the search).
"""

from __future__ import annotations

import numpy as np
from numba import njit, prange

__all__: list[str] = []


@njit(cache=True, inline="always")
def _assign(a, v, sg, C, R, absA, A, n):
    sg[a] = v
    for j in range(n):
        C[j] += v * A[a, j]
        R[j] -= absA[a, j]


@njit(cache=True)
def _propagate(sg, C, R, absA, A, check, tol, trail, tlen):
    """Apply the bound and forcing rules until nothing changes; returns (ok, new trail length)."""
    n = sg.shape[0]
    changed = True
    while changed:
        changed = False
        for j in range(n):
            if check[j] <= 0.0:
                continue
            v = sg[j]
            if v != 0.0:
                if v * C[j] + R[j] < -tol:
                    return False, tlen
            else:
                lo = C[j] - R[j]
                hi = C[j] + R[j]
                f = 0.0
                if lo > tol:
                    f = 1.0
                elif hi < -tol:
                    f = -1.0
                if f != 0.0:
                    _assign(j, f, sg, C, R, absA, A, n)
                    trail[tlen] = j
                    tlen += 1
                    changed = True
    return True, tlen


@njit(cache=True, inline="always")
def _pick(sg, order):
    """The next actor to branch on: the first unassigned one in ``order`` (-1 when all are assigned)."""
    for q in range(order.shape[0]):
        if sg[order[q]] == 0.0:
            return order[q]
    return -1


@njit(cache=True, parallel=True)
def bnb_minima(A, s, base_sigma, fixed, order, prefix, check, tol, cap, limit):
    """Every configuration whose movable actors all have ``sigma_j h_j >= -tol``, by branch and bound.

    ``fixed`` actors take ``base_sigma`` at the root (actor 0 for the flip symmetry, pinned actors);
    the others are branched on. The first ``prefix`` actors of ``order`` are set by the task number
    (``2**prefix`` tasks run in parallel); below that, actors are taken in ``order``. Returns per-task
    counts, codes and energies (ordered-pair convention) and the number of search nodes; a count
    above ``cap`` means the buffers overflowed, a count above ``limit`` that the task stopped early.
    """
    n = A.shape[0]
    nt = 1 << prefix
    counts = np.zeros(nt, np.int64)
    nodes = np.zeros(nt, np.int64)
    codes = np.zeros((nt, cap), np.int64)
    energies = np.zeros((nt, cap), np.float64)
    absA = np.abs(A)
    T = np.zeros(n)
    for i in range(n):
        for k in range(n):
            T[i] += A[k, i]
    R0 = np.zeros(n)
    for j in range(n):
        for k in range(n):
            R0[j] += absA[k, j]
    for t in prange(nt):
        sg = np.zeros(n)
        C = np.zeros(n)
        R = R0.copy()
        trail = np.zeros(n, np.int64)
        tlen = 0
        ok = True
        for q in range(fixed.shape[0]):
            a = fixed[q]
            _assign(a, base_sigma[a], sg, C, R, absA, A, n)
            trail[tlen] = a
            tlen += 1
        ok, tlen = _propagate(sg, C, R, absA, A, check, tol, trail, tlen)
        for q in range(prefix):
            if not ok:
                break
            a = order[q]
            v = -1.0 if (t >> q) & 1 else 1.0
            if sg[a] != 0.0:  # forced earlier: the task with the other value is empty
                ok = sg[a] == v
                continue
            _assign(a, v, sg, C, R, absA, A, n)
            trail[tlen] = a
            tlen += 1
            ok, tlen = _propagate(sg, C, R, absA, A, check, tol, trail, tlen)
        if not ok:
            continue
        # depth-first search: level d saves C, R and the trail length before its decision
        saveC = np.zeros((n + 1, n))
        saveR = np.zeros((n + 1, n))
        save_t = np.zeros(n + 1, np.int64)
        dec_actor = np.zeros(n + 1, np.int64)
        dec_second = np.zeros(n + 1, np.bool_)
        depth = 0
        cnt = 0
        nn = 0
        descend = True
        while True:
            if descend:
                nn += 1
                a = _pick(sg, order)
                if a < 0:  # a leaf: every actor is assigned and no rule fired
                    code = np.int64(0)
                    e = 0.0
                    for i in range(n):
                        if sg[i] < 0:
                            code |= np.int64(1) << i
                        e += s[i] * (T[i] - sg[i] * C[i])
                    if cnt < cap:
                        codes[t, cnt] = code
                        energies[t, cnt] = 0.5 * e
                    cnt += 1
                    if cnt > limit:
                        break
                    descend = False
                else:
                    saveC[depth, :] = C
                    saveR[depth, :] = R
                    save_t[depth] = tlen
                    dec_actor[depth] = a
                    dec_second[depth] = False
                    v = 1.0 if C[a] >= 0.0 else -1.0  # the side its field favours first
                    _assign(a, v, sg, C, R, absA, A, n)
                    trail[tlen] = a
                    tlen += 1
                    depth += 1
                    ok, tlen = _propagate(sg, C, R, absA, A, check, tol, trail, tlen)
                    descend = ok
                continue
            # backtrack to the deepest level with an untried second value
            while depth > 0 and dec_second[depth - 1]:
                depth -= 1
                for q in range(save_t[depth], tlen):
                    sg[trail[q]] = 0.0
                tlen = save_t[depth]
                C[:] = saveC[depth, :]
                R[:] = saveR[depth, :]
            if depth == 0:
                break
            d = depth - 1
            a = dec_actor[d]
            first = sg[a]
            for q in range(save_t[d], tlen):
                sg[trail[q]] = 0.0
            tlen = save_t[d]
            C[:] = saveC[d, :]
            R[:] = saveR[d, :]
            dec_second[d] = True
            _assign(a, -first, sg, C, R, absA, A, n)
            trail[tlen] = a
            tlen += 1
            ok, tlen = _propagate(sg, C, R, absA, A, check, tol, trail, tlen)
            descend = ok
        counts[t] = cnt
        nodes[t] = nn
    return counts, codes, energies, nodes
