"""Exact solution of the landscape model: every local minimum, the global one, and their basins.

Two coalitions: a depth-first branch and bound over partial assignments (the default, exact to 40
actors and beyond in seconds; :mod:`pactnet.landscape._bnb` states why nothing is skipped wrongly),
or a walk over all ``2**(n-1)`` configurations (flip symmetry: actor 0 stays on side 0) along a Gray
code in compiled, parallel code, with the energy updated in O(1) and the local fields in O(n) per
step, kept as the cross-check. More coalitions: all restricted-growth strings (configurations up to the
names of the coalitions). Basins are exact (dynamics run from every start) for small n and sampled
with Wilson intervals otherwise.
"""

from __future__ import annotations

import numpy as np

from pactnet.errors import InputError, ModelError
from pactnet.landscape.model import MOVE_ORDERS, Landscape, _tol, canonical
from pactnet.landscape.results import LandscapeResult, Minimum, wilson_interval
from pactnet.seeding import seed_sequence

__all__ = [
    "EXACT_MAX_N",
    "WALK_MAX_N",
    "ALGORITHMS",
    "local_minima",
    "auto_prune_bits",
    "branch_order",
    "basins",
    "random_order_basins",
    "solve_exact",
]

#: Largest n the exact two-coalition solver (branch and bound) accepts by default.
EXACT_MAX_N = 40
#: Largest n the walk over every configuration accepts by default.
WALK_MAX_N = 30
#: Exact two-coalition algorithms: ``"branch"`` (branch and bound) and ``"walk"`` (Gray-code walk).
ALGORITHMS = ("branch", "walk")
#: Largest number of local minima the branch and bound reports before giving up.
MAX_MINIMA = 1_000_000
#: Actors whose values are set by the task number of the parallel branch and bound.
BRANCH_PREFIX = 6
#: Largest number of free actors for which basins are computed from every start.
EXACT_BASIN_MAX = 20
#: Largest n for which random-order absorption probabilities are solved exactly.
ABSORPTION_MAX_N = 16
#: Innermost Gray-code bits bounded as one block (branch and bound; 0 disables pruning).
PRUNE_BITS = 8
#: Largest number of configurations the k > 2 enumeration walks.
KWAY_MAX_CONFIGS = 30_000_000


def _k():
    from pactnet.landscape import _kernels  # numba is imported only when a solver runs

    return _kernels


def _setup_binary(land: Landscape):
    """Base code, enumerated actors and movable mask for the two-coalition kernels."""
    n = land.n
    movable = land.movable
    base = np.ones(n)
    for lab, side in land.pinned.items():
        if side > 1:
            raise InputError(f"pinned actor {lab!r} is on coalition {side} but k = 2")
        base[land.index(lab)] = 1.0 - 2.0 * side
    if land.pinned:
        enum_idx = np.flatnonzero(movable).astype(np.int64)
    else:
        enum_idx = np.arange(1, n, dtype=np.int64)  # actor 0 fixed on side 0 (flip symmetry)
    base_code = int(sum(1 << i for i in range(n) if base[i] < 0))
    return base, base_code, enum_idx, movable


def _code_to_config(code: int, n: int) -> np.ndarray:
    return np.array([(code >> i) & 1 for i in range(n)], dtype=np.int8)


def _config_to_code(x) -> int:
    return int(sum(1 << i for i, v in enumerate(np.asarray(x).tolist()) if v))


def local_minima(land: Landscape, k: int = 2, *, max_n: int | None = None,
                 algorithm: str = "branch", prune_bits: int | None = None) -> list[Minimum]:
    r"""Every local minimum of the energy, by exhaustive enumeration, lowest energy first.

    A configuration is a local minimum when no actor can lower its own frustration by changing
    coalition (equivalently, for two coalitions, :math:`\sigma_i h_i \ge 0` for every actor).

    Parameters
    ----------
    land : Landscape
    k : int
        Number of coalitions (2 by default; more coalitions use a slower enumeration of
        restricted-growth strings and allow empty coalitions).
    max_n : int, optional
        Refuse larger problems. Default: 40 actors for ``"branch"``, 30 for ``"walk"``.
    algorithm : {"branch", "walk"}
        Two coalitions. ``"branch"`` (default): depth-first branch and bound over partial
        assignments, actors taken in decreasing order of the strength of their fields
        (``sum_j s_i |p_ij|``), with a bound and a forcing rule at every node of the tree (see
        ``docs/landscape.md`` for why it is exact). ``"walk"``: every configuration along a Gray
        code, with the block bound of ``prune_bits``; kept as the cross-check.
    prune_bits : int, optional
        ``algorithm="walk"``: the innermost Gray-code bits are handled as blocks of ``2**prune_bits``
        configurations that are skipped when some other actor would be unstable whatever those
        actors do (``sigma_j C_j + sum_inner |s_k p_kj| < 0``); 0 walks every configuration. Default:
        :func:`auto_prune_bits` of ``n`` (smaller blocks pay off on smaller problems).

    Returns
    -------
    list of Minimum
        Configurations are canonical: actor 0 in coalition 0, then labels in order of first
        appearance. With pinned actors the labels are kept. ``basin`` is not filled in.

    Raises
    ------
    ModelError
        If the problem is too large for enumeration (use :func:`pactnet.landscape.heuristic.multistart`),
        or has more than a million local minima (as when many actors have no propensities at all).

    Notes
    -----
    Floating-point fields drift along the Gray code, so the kernel keeps every configuration whose
    smallest ``sigma_i h_i`` is above ``-1e-7`` times the largest total field; each candidate is then
    re-checked from scratch with the tolerance ``1e-9`` used by the dynamics.
    """
    if k < 2:
        raise InputError(f"k must be at least 2, got {k}")
    if algorithm not in ALGORITHMS:
        raise InputError(f"algorithm must be one of {', '.join(ALGORITHMS)}, got {algorithm!r}")
    if k == 2 and algorithm == "branch":
        if prune_bits is not None:
            raise InputError("prune_bits applies to algorithm='walk' only (the branch and bound bounds every level)")
        return _branch_minima(land, EXACT_MAX_N if max_n is None else max_n)
    if k == 2:
        return _binary_minima(land, WALK_MAX_N if max_n is None else max_n, prune_bits)
    return _kway_minima(land, k)


def auto_prune_bits(n: int) -> int:
    """The default block size (in Gray-code bits) of the pruned enumeration for ``n`` actors.

    Measured on random dense landscapes: 4 bits is fastest up to about 22 actors, 6 up to 27, then 8.
    """
    return 4 if n <= 22 else 6 if n <= 27 else PRUNE_BITS


def _too_large(n: int, max_n: int) -> None:
    if n > max_n:
        raise ModelError(
            f"{n} actors is too many for exhaustive enumeration (limit max_n={max_n});"
            " use a heuristic solver (method='multistart' or 'anneal', or 'auto'), or raise max_n"
        )


def branch_order(land: Landscape, enum_idx: np.ndarray) -> np.ndarray:
    """The branching order: free actors by decreasing strength of their fields, ``sum_j s_i |p_ij|``.

    Strong actors first shrink the unassigned remainders ``R_j`` fastest, so the bound and the
    forcing rule bite near the root (ties keep label order).
    """
    strength = np.abs(land.weights).sum(axis=1)
    return enum_idx[np.argsort(-strength[enum_idx], kind="stable")].astype(np.int64)


def _branch_minima(land: Landscape, max_n: int, max_minima: int = MAX_MINIMA) -> list[Minimum]:
    n = land.n
    _too_large(n, max_n)
    from pactnet.landscape import _bnb

    A = np.ascontiguousarray(land.weights)
    base, _, enum_idx, movable = _setup_binary(land)
    free = set(enum_idx.tolist())
    fixed = np.array([i for i in range(n) if i not in free], dtype=np.int64)
    order = branch_order(land, enum_idx)
    prefix = min(BRANCH_PREFIX, order.size)
    tol = _tol(land)
    cap = 256
    while True:
        counts, codes, energies, _ = _bnb.bnb_minima(A, land.sizes, base, fixed, order, prefix,
                                                     movable.astype(np.float64), 100.0 * tol, cap,
                                                     max_minima)
        if counts.sum() > max_minima:
            raise ModelError(
                f"more than {max_minima:,} local minima: actors with (nearly) no propensities are "
                "indifferent and each doubles the count; drop them or give them propensities"
            )
        if counts.max(initial=0) <= cap:
            break
        cap = int(counts.max())
    return _checked(land, np.concatenate([codes[b, : counts[b]] for b in range(counts.size)]))


def _checked(land: Landscape, cand: np.ndarray) -> list[Minimum]:
    """Re-check candidate codes from scratch with the dynamics' tolerance; sort by energy, then code."""
    K = _k()
    e, g = K.energies_and_gains(np.ascontiguousarray(land.weights), land.sizes, cand,
                                land.movable.astype(np.float64))
    keep = g >= -_tol(land)
    order = np.lexsort((cand[keep], e[keep]))
    cand, e = cand[keep][order], e[keep][order]
    return [Minimum(config=_code_to_config(int(c), land.n), energy=float(v))
            for c, v in zip(cand, e, strict=True)]


def _binary_minima(land: Landscape, max_n: int, prune_bits: int | None) -> list[Minimum]:
    n = land.n
    if prune_bits is None:
        prune_bits = auto_prune_bits(n)
    _too_large(n, max_n)
    K = _k()
    A = np.ascontiguousarray(land.weights)
    s = np.ascontiguousarray(land.sizes)
    base, _, enum_idx, movable = _setup_binary(land)
    check = movable.astype(np.float64)
    m = enum_idx.size
    block_bits = min(m, 8)
    tol = _tol(land)
    loose = 100.0 * tol
    cap = 256
    while True:
        counts, codes, energies = K.gray_minima(A, s, base, enum_idx, check, block_bits, loose, cap,
                                                  int(prune_bits))
        if counts.max(initial=0) <= cap:
            break
        cap = int(counts.max())
    return _checked(land, np.concatenate([codes[b, : counts[b]] for b in range(counts.size)]))


def _kway_minima(land: Landscape, k: int) -> list[Minimum]:
    n = land.n
    if land.pinned:
        raise ModelError("pinned actors are supported with two coalitions only")
    total = k ** (n - 1)
    if total > KWAY_MAX_CONFIGS:
        raise ModelError(
            f"{k}^{n - 1} = {total:,} configurations is too many for exhaustive enumeration"
            f" (limit {KWAY_MAX_CONFIGS:,}); use the heuristic solver"
        )
    K = _k()
    A = np.ascontiguousarray(land.weights)
    tol = _tol(land)
    cap = 256
    while True:
        counts, confs, energies = K.kway_minima(A, land.sizes, n, k, tol, cap)
        if counts.max(initial=0) <= cap:
            break
        cap = int(counts.max())
    xs = np.concatenate([confs[c, : counts[c]] for c in range(counts.size)])
    es = np.concatenate([energies[c, : counts[c]] for c in range(counts.size)])
    order = np.lexsort(tuple(xs.T[::-1]) + (es,)) if len(es) else np.array([], int)
    return [Minimum(config=xs[i].copy(), energy=float(es[i])) for i in order]


def _seeds(seed, count: int) -> np.ndarray:
    return seed_sequence(seed).generate_state(count, dtype=np.uint64)


def basins(
    land: Landscape,
    minima: list[Minimum],
    *,
    k: int = 2,
    order: str = "lowest_index",
    method: str = "auto",
    samples: int = 10_000,
    seed=None,
) -> str:
    """Fill in ``basin`` (and ``basin_ci`` when sampled) of each minimum, in place.

    The basin of a minimum is the share of starting configurations from which the dynamics with
    move ``order`` end there. ``"lowest_index"`` and ``"steepest"`` are deterministic, so each start
    belongs to exactly one basin; with ``"random"`` the basin is a probability (the same as
    :func:`random_order_basins`, which this then delegates to).

    Parameters
    ----------
    method : {"auto", "exact", "sample"}
        ``"exact"`` runs the dynamics from every start (two coalitions: ``2**(n-1)`` starts up to the
        global flip; k coalitions: all ``k**n`` labelled starts); ``"auto"`` does so up to 20 free
        actors and samples otherwise.
    samples : int
        Number of uniformly random starts when sampling.
    seed : int or numpy.random.SeedSequence, optional
        Seeds the sampled starts and the random order. Never touches the global RNG.

    Returns
    -------
    str
        The method used: ``"exact"`` or ``"sampled"``.
    """
    if order not in MOVE_ORDERS:
        raise InputError(f"order must be one of {', '.join(MOVE_ORDERS)}, got {order!r}")
    if order == "random":
        return random_order_basins(land, minima, k=k, method=method, samples=samples, seed=seed,
                                   _into_basin=True)
    free = int(land.movable.sum())
    if method == "auto":
        exact = (free <= EXACT_BASIN_MAX) if k == 2 else (k ** land.n <= 2**20)
        method = "exact" if exact else "sample"
    if method not in ("exact", "sample"):
        raise InputError(f"method must be auto, exact or sample, got {method!r}")
    K = _k()
    code = K.ORDER_CODES[order]
    if method == "exact":
        ends, weights = _exact_ends(land, k, code, seed)
    else:
        ends = _sampled_ends(land, k, code, samples, seed)
        weights = None
    counts = _match(land, minima, ends, k)
    total = counts.sum() if weights is None else weights
    for m, c in zip(minima, counts, strict=True):
        m.basin = float(c / total)
        m.basin_ci = None if method == "exact" else wilson_interval(int(c), int(total))
    return "exact" if method == "exact" else "sampled"


def _exact_ends(land, k, code, seed):
    K = _k()
    A = np.ascontiguousarray(land.weights)
    tol = _tol(land)
    if k == 2:
        _, base_code, enum_idx, movable = _setup_binary(land)
        ends = K.descend_all_binary(A, land.sizes, enum_idx, base_code, movable, code, tol,
                                    _seeds(seed, 1)[0])
        return ends, ends.size
    starts = np.indices((k,) * land.n, dtype=np.int8).reshape(land.n, -1).T.copy()
    K.descend_many(A, land.sizes, starts, k, land.movable, code, tol,
                   _seeds(seed, starts.shape[0]))
    return starts, starts.shape[0]


def _sampled_ends(land, k, code, samples, seed):
    K = _k()
    s_start, s_dyn = seed_sequence(seed).spawn(2)
    rng = np.random.default_rng(s_start)
    starts = rng.integers(0, k, size=(samples, land.n), dtype=np.int8)
    for lab, side in land.pinned.items():
        starts[:, land.index(lab)] = side
    K.descend_many(np.ascontiguousarray(land.weights), land.sizes, starts, k, land.movable, code,
                   _tol(land), _seeds(s_dyn, samples))
    return starts


def _match(land: Landscape, minima: list[Minimum], ends, k: int) -> np.ndarray:
    """Count how many end configurations fall on each minimum."""
    n = land.n
    pinned = bool(land.pinned)
    counts = np.zeros(len(minima), dtype=np.int64)
    if k == 2 and ends.ndim == 1:
        mask = (1 << n) - 1
        if not pinned:
            ends = np.where(ends & 1, ends ^ mask, ends)
        uniq, cnt = np.unique(ends, return_counts=True)
        index = {_config_to_code(m.config): q for q, m in enumerate(minima)}
        for u, c in zip(uniq.tolist(), cnt.tolist(), strict=True):
            if u not in index:
                raise ModelError(f"dynamics ended outside the known minima (code {u}); report this")
            counts[index[u]] += c
        return counts
    index = {canonical(m.config, pinned).astype(np.int8).tobytes(): q for q, m in enumerate(minima)}
    uniq, cnt = np.unique(ends, axis=0, return_counts=True)
    for u, c in zip(uniq, cnt.tolist(), strict=True):
        key = canonical(u, pinned).astype(np.int8).tobytes()
        if key not in index:
            raise ModelError("dynamics ended outside the known minima; report this")
        counts[index[key]] += c
    return counts


def random_order_basins(
    land: Landscape,
    minima: list[Minimum],
    *,
    k: int = 2,
    method: str = "auto",
    samples: int = 10_000,
    seed=None,
    _into_basin: bool = False,
) -> str:
    r"""Probability of ending in each minimum when the moving actor is chosen at random.

    Izquierdo et al. (2009) read the model as an absorbing Markov chain whose absorbing states are
    the local minima. From a uniformly random start, one actor among those that can lower their
    frustration is picked uniformly at each step (an actor picked with no improving move just
    waits, which does not change where the chain is absorbed). Fills in ``basin_random`` (and
    ``basin_random_ci`` when estimated), in place.

    Parameters
    ----------
    method : {"auto", "exact", "sample"}
        ``"exact"`` solves the chain: the energy falls along every move, so the chain is acyclic and
        one pass over the states in increasing energy gives every absorption probability exactly
        (two coalitions, no pinned actors, n <= 16 by default). ``"sample"`` runs the random dynamics
        from ``samples`` random starts and reports Wilson 95% intervals.
    seed : int or numpy.random.SeedSequence, optional

    Returns
    -------
    str
        ``"exact"`` or ``"sampled"``.

    References
    ----------
    .. [1] Izquierdo, L. R., Izquierdo, S. S., Galán, J. M. & Santos, J. I. (2009). Techniques to
       understand computer simulations: Markov chain analysis. JASSS 12(1) 6, appendix B.
    """
    can_exact = k == 2 and not land.pinned and land.n <= ABSORPTION_MAX_N and minima
    if method == "auto":
        method = "exact" if can_exact else "sample"
    if method == "exact" and not can_exact:
        raise ModelError(
            f"exact absorption probabilities need two coalitions, no pinned actors and n <= "
            f"{ABSORPTION_MAX_N}; use method='sample'"
        )
    if method not in ("exact", "sample"):
        raise InputError(f"method must be auto, exact or sample, got {method!r}")
    K = _k()
    if method == "exact":
        codes = np.array([_config_to_code(m.config) for m in minima], dtype=np.int64)
        P, _ = K.absorption_binary(np.ascontiguousarray(land.weights), land.sizes, land.n,
                                   land.movable, _tol(land), codes)
        probs = P.mean(axis=0)
        cis = [None] * len(minima)
    else:
        ends = _sampled_ends(land, k, K.ORDER_CODES["random"], samples, seed)
        counts = _match(land, minima, ends, k)
        probs = counts / samples
        cis = [wilson_interval(int(c), samples) for c in counts]
    for m, p, ci in zip(minima, probs, cis, strict=True):
        if _into_basin:
            m.basin, m.basin_ci = float(p), ci
        else:
            m.basin_random, m.basin_random_ci = float(p), ci
    return "exact" if method == "exact" else "sampled"


def solve_exact(
    land: Landscape,
    k: int = 2,
    *,
    order: str = "lowest_index",
    basin_method: str = "auto",
    samples: int = 10_000,
    random_order: bool = True,
    seed=None,
    max_n: int | None = None,
    algorithm: str = "branch",
) -> LandscapeResult:
    """All local minima with their basins (deterministic ``order``) and random-order probabilities.

    Parameters
    ----------
    basin_method : {"auto", "exact", "sample", "none"}
    max_n, algorithm
        As for :func:`local_minima`.
    random_order : bool
        Also compute :func:`random_order_basins` (exact when small, sampled otherwise).
    seed : int or numpy.random.SeedSequence, optional
        Seeds sampled basins and the random order; independent streams are spawned for each.

    Returns
    -------
    LandscapeResult
    """
    s_basin, s_random = seed_sequence(seed).spawn(2)
    minima = local_minima(land, k, max_n=max_n, algorithm=algorithm)
    bm = "none"
    if basin_method != "none":
        bm = basins(land, minima, k=k, order=order, method=basin_method, samples=samples,
                    seed=s_basin)
    notes = []
    if k == 2:
        notes.append("minima: " + ("branch and bound" if algorithm == "branch" else "Gray-code walk")
                     + " (exact: every local minimum)")
    if random_order and order != "random":
        how = random_order_basins(land, minima, k=k, samples=samples, seed=s_random)
        notes.append(f"basin_random: {how} (random move order, Izquierdo et al. 2009)")
    configs = 2 ** int(land.movable.sum() - (0 if land.pinned else 1)) if k == 2 else k ** (land.n - 1)
    return LandscapeResult(
        landscape=land, k=k, minima=minima, method="exhaustive", order=order, basin_method=bm,
        configurations=int(configs), samples=samples if "sampled" in (bm,) else None,
        seed=seed if isinstance(seed, int) else None, notes=notes,
    )
