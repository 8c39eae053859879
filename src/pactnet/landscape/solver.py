"""One entry point for the landscape solvers: exhaustive when it fits, heuristic otherwise."""

from __future__ import annotations

from pactnet.errors import InputError
from pactnet.landscape.exact import EXACT_MAX_N, KWAY_MAX_CONFIGS, solve_exact
from pactnet.landscape.heuristic import anneal, lower_bound, multistart
from pactnet.landscape.model import Landscape
from pactnet.landscape.results import LandscapeResult

__all__ = ["SOLVE_METHODS", "solve", "default_runs"]

SOLVE_METHODS = ("auto", "exact", "multistart", "anneal")
#: Default multi-start runs: 1,000 up to this many actors, then fewer (each descent costs O(n^2)).
FULL_RUNS_MAX_N = 200


def default_runs(n: int) -> int:
    """Random starts of the multi-start solver when none are asked for: 1,000 up to 200 actors, then
    200,000 / n (100 for 2,000 actors), never fewer than 50.

    >>> default_runs(30), default_runs(2000)
    (1000, 100)
    """
    return 1000 if n <= FULL_RUNS_MAX_N else max(50, 200_000 // n)


def solve(
    land: Landscape,
    k: int = 2,
    *,
    method: str = "auto",
    order: str = "lowest_index",
    basin_method: str = "auto",
    samples: int = 10_000,
    runs: int | None = None,
    seed=None,
    max_seconds: float | None = None,
    progress=None,
) -> LandscapeResult:
    """Local minima of a landscape, their basins, and a lower bound.

    Parameters
    ----------
    land : Landscape
    k : int
        Number of coalitions (2 by default).
    method : {"auto", "exact", "multistart", "anneal"}
        ``"auto"`` solves exactly up to 40 actors (two coalitions, branch and bound) or 30 million
        configurations (k > 2) and runs :func:`~pactnet.landscape.heuristic.multistart` beyond.
    order : {"lowest_index", "steepest", "random"}
        Move order that defines basins (see :func:`~pactnet.landscape.model.descend`).
    basin_method : {"auto", "exact", "sample", "none"}
        For the exhaustive solver (see :func:`~pactnet.landscape.exact.basins`).
    samples, runs : int
        Random starts for sampled basins; runs of the heuristic solvers.
    seed : int or numpy.random.SeedSequence, optional
        Seeds every random choice; the global NumPy RNG is never used.
    max_seconds, progress
        Time budget and ``progress(done, total)`` callback of the multi-start solver.

    Returns
    -------
    LandscapeResult
    """
    if method not in SOLVE_METHODS:
        raise InputError(f"method must be one of {', '.join(SOLVE_METHODS)}, got {method!r}")
    if method == "auto":
        fits = land.n <= EXACT_MAX_N if k == 2 else k ** (land.n - 1) <= KWAY_MAX_CONFIGS
        method = "exact" if fits else "multistart"
    if method == "exact":
        res = solve_exact(land, k, order=order, basin_method=basin_method, samples=samples, seed=seed)
        res.lower_bound = lower_bound(land, k)
        return res
    if method == "multistart":
        return multistart(land, k, runs=runs or default_runs(land.n), order=order, seed=seed, max_seconds=max_seconds,
                          progress=progress)
    return anneal(land, k, runs=runs or 64, seed=seed)
