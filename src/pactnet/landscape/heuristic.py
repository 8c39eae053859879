"""Heuristic solvers for landscapes too large to enumerate (about 50-300 actors), and lower bounds.

Both solvers end every run at a local minimum of the myopic dynamics and report how often each
distinct minimum was reached; :func:`lower_bound` says how far the best one can be from optimal.
"""

from __future__ import annotations

import numpy as np

from pactnet.errors import InputError
from pactnet.landscape.model import MOVE_ORDERS, Landscape, _tol, canonical, energy
from pactnet.landscape.results import LandscapeResult, Minimum, wilson_interval
from pactnet.seeding import seed_sequence

__all__ = ["multistart", "anneal", "lower_bound"]


def _random_starts(land: Landscape, k: int, runs: int, rng: np.random.Generator) -> np.ndarray:
    starts = rng.integers(0, k, size=(runs, land.n), dtype=np.int8)
    for lab, side in land.pinned.items():
        starts[:, land.index(lab)] = side
    return starts


def _tally(land: Landscape, ends: np.ndarray) -> list[Minimum]:
    pinned = bool(land.pinned)
    canon = np.array([canonical(x, pinned) for x in ends], dtype=np.int8)
    uniq, counts = np.unique(canon, axis=0, return_counts=True)
    out = [Minimum(config=u.copy(), energy=energy(land, u), hits=int(c)) for u, c in zip(uniq, counts, strict=True)]
    out.sort(key=lambda m: (m.energy, -m.hits))
    return out


def multistart(land: Landscape, k: int = 2, *, runs: int = 1000, order: str = "lowest_index",
               seed=None, max_seconds: float | None = None, progress=None) -> LandscapeResult:
    """Multi-start local search: the myopic dynamics from ``runs`` uniformly random starts.

    With a deterministic ``order`` the share of runs ending at a minimum estimates its basin, so
    ``basin`` and a 95% Wilson ``basin_ci`` are filled in next to ``hits``.

    Parameters
    ----------
    land : Landscape
    k : int
        Number of coalitions.
    runs : int
        Number of random starts.
    order : {"lowest_index", "steepest", "random"}
        Move order of the dynamics (see :func:`pactnet.landscape.model.descend`).
    seed : int or numpy.random.SeedSequence, optional
        Seeds the starts and the random order (independent streams via ``SeedSequence.spawn``).
        The global NumPy RNG is never used. The same seed gives the same starts whatever the time budget:
        a budget only cuts the list short.
    max_seconds : float, optional
        Time budget in seconds: runs stop (after the batch in progress) once it is spent, and the result
        says how many of the ``runs`` were made.
    progress : callable, optional
        ``progress(done, runs)`` after every batch of starts.

    Returns
    -------
    LandscapeResult
        Distinct minima reached, lowest energy first, with ``hits``; ``lower_bound`` filled in.
    """
    import time

    from pactnet.landscape import _kernels as K

    if order not in MOVE_ORDERS:
        raise InputError(f"order must be one of {', '.join(MOVE_ORDERS)}, got {order!r}")
    if runs < 1:
        raise InputError(f"runs must be at least 1, got {runs}")
    if max_seconds is not None and not max_seconds > 0:
        raise InputError(f"max_seconds must be positive, got {max_seconds}")
    t0 = time.perf_counter()
    s_start, s_dyn = seed_sequence(seed).spawn(2)
    starts = _random_starts(land, k, runs, np.random.default_rng(s_start))
    dyn_seeds = s_dyn.generate_state(runs, dtype=np.uint64)
    weights = np.ascontiguousarray(land.weights)
    done = 0
    while done < runs:
        stop = min(runs, done + BATCH)
        batch = starts[done:stop]  # a view: the kernel descends it in place
        K.descend_many(weights, land.sizes, batch, k, land.movable, K.ORDER_CODES[order], _tol(land),
                       dyn_seeds[done:stop])
        done = stop
        if progress is not None:
            progress(done, runs)
        if max_seconds is not None and time.perf_counter() - t0 > max_seconds:
            break
    minima = _tally(land, starts[:done])
    for m in minima:
        m.basin = m.hits / done
        m.basin_ci = wilson_interval(m.hits, done)
    notes = [] if done == runs else [f"time budget of {max_seconds:g} s spent after {done} of {runs} runs"]
    return LandscapeResult(
        landscape=land, k=k, minima=minima, method="multistart", order=order,
        basin_method="sampled", samples=done, runs=done, lower_bound=lower_bound(land, k),
        seed=seed if isinstance(seed, int) else None, notes=notes,
    )


def anneal(land: Landscape, k: int = 2, *, runs: int = 64, sweeps: int = 200,
           t_start: float | None = None, t_end: float | None = None, seed=None) -> LandscapeResult:
    """Simulated annealing: Metropolis single-actor moves with geometric cooling, then a quench.

    Each run starts from a uniformly random configuration. A proposal moves one random free actor
    to a random other coalition and is accepted with probability ``min(1, exp(-dE/T))``; ``T`` falls
    geometrically from ``t_start`` to ``t_end`` over ``sweeps * n`` proposals. The run ends with the
    lowest-index dynamics, so it stops at a local minimum.

    Parameters
    ----------
    t_start, t_end : float, optional
        Temperatures in energy units (ordered-pair convention). By default ``t_start`` is the mean
        absolute energy change of single moves from random configurations and ``t_end`` is 1/1000
        of it.
    seed : int or numpy.random.SeedSequence, optional
        Seeds starts and proposals (one stream per run). The global NumPy RNG is never used.

    Returns
    -------
    LandscapeResult
        Distinct minima reached with ``hits`` (how many runs ended there); ``basin`` is not set,
        because annealing does not sample the dynamics' basins.
    """
    from pactnet.landscape import _kernels as K

    if runs < 1 or sweeps < 1:
        raise InputError("runs and sweeps must be at least 1")
    s_start, s_run, s_temp = seed_sequence(seed).spawn(3)
    rng = np.random.default_rng(s_start)
    starts = _random_starts(land, k, runs, rng)
    if t_start is None:
        t_start = _typical_delta(land, k, np.random.default_rng(s_temp))
    if t_end is None:
        t_end = t_start * 1e-3
    if not (t_start > 0 and t_end > 0):
        raise InputError(f"temperatures must be > 0, got t_start={t_start}, t_end={t_end}")
    K.anneal_many(np.ascontiguousarray(land.weights), land.sizes, starts, k, land.movable,
                  float(t_start), float(t_end), int(sweeps), _tol(land),
                  s_run.generate_state(runs, dtype=np.uint64))
    minima = _tally(land, starts)
    return LandscapeResult(
        landscape=land, k=k, minima=minima, method="anneal", order="lowest_index",
        basin_method="none", runs=runs, lower_bound=lower_bound(land, k),
        seed=seed if isinstance(seed, int) else None,
        notes=[f"annealing: {sweeps} sweeps, T {t_start:.4g} -> {t_end:.4g}, quench lowest_index"],
    )


def _typical_delta(land: Landscape, k: int, rng: np.random.Generator, samples: int = 32) -> float:
    W = land.weights
    vals = []
    for _ in range(samples):
        x = rng.integers(0, k, size=land.n)
        onehot = np.zeros((land.n, k))
        onehot[np.arange(land.n), x] = 1.0
        G = W.T @ onehot
        alt = (x + 1) % k
        vals.append(np.abs(2.0 * land.sizes * (G[np.arange(land.n), x] - G[np.arange(land.n), alt])))
    t = float(np.mean(vals))
    return t if t > 0 else 1.0


#: Above this many actors the spectral bound is computed once (u = 0) rather than tightened by iteration.
SPECTRAL_ITERATION_MAX_N = 300
#: Random starts descended per call of the compiled kernel (between time-budget checks and progress updates).
BATCH = 64


def lower_bound(land: Landscape, k: int = 2, *, iterations: int = 40) -> dict:
    r"""A lower bound on the energy of every configuration (ordered-pair convention).

    * ``trivial``: :math:`\sum_{i \ne j} \min(0, s_i s_j p_{ij})`, reached only if every
      negative pair is apart and every positive pair together.
    * ``spectral`` (two coalitions, no pinned actors): with :math:`J_{ij} = s_i s_j p_{ij}`,
      :math:`E = \tfrac12\sum_{i\ne j} J_{ij} - \tfrac12 \sigma^\top J \sigma` and
      :math:`\sigma^\top J\sigma = \sigma^\top (J + \mathrm{diag}\,u)\sigma \le n\,\lambda_{\max}(J +
      \mathrm{diag}\,u)` for any shift :math:`u` with :math:`\sum_i u_i = 0`. Starting from
      :math:`u = 0`, projected subgradient steps on :math:`u` tighten the bound (this is the dual of
      the max-cut SDP relaxation; every iterate is a valid bound, the best is kept).

    Returns
    -------
    dict
        ``value`` (the best bound), ``method`` and the individual bounds.
    """
    J = land.sizes[:, None] * land.sizes[None, :] * land.propensity
    trivial = float(np.minimum(J, 0.0).sum())
    out = {"value": trivial, "method": "trivial", "trivial": trivial}
    if k != 2 or land.pinned:
        return out
    n = land.n
    if n > SPECTRAL_ITERATION_MAX_N:  # one dense eigendecomposition is O(n^3): keep a single one beyond this size
        iterations = 1
    total = float(J.sum())
    u = np.zeros(n)
    best = -np.inf
    step = float(np.abs(J).sum(axis=1).max()) / n or 1.0
    for it in range(max(1, iterations)):
        w, v = np.linalg.eigh(J + np.diag(u))
        bound = 0.5 * total - 0.5 * n * float(w[-1])
        best = max(best, bound)
        g = v[:, -1] ** 2 - 1.0 / n
        u -= step / np.sqrt(it + 1.0) * g * n
    out["spectral"] = best
    if best > trivial:
        out["value"], out["method"] = best, "spectral"
    return out
