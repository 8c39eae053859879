"""Benchmark: the exact landscape solvers (branch and bound; Gray-code walk), the default heuristic held to
the exact answer, and a batched NumPy enumeration as the baseline.

Run:  .venv/bin/python benchmarks/landscape.py [--sizes 30 34 36 38 40] [--heuristic-landscapes 200]

1. Exact solver times: for each n a dense random landscape (seeded; the same landscapes as before the
   branch and bound) is solved with :func:`pactnet.landscape.local_minima` (best of ``--repeat`` runs)
   and printed beside the figures of the previous solver (the block-bounded Gray-code walk) measured on
   this machine when issue 14 was filed. The walk is re-run up to ``--walk-max`` actors and must agree.
   Then :func:`pactnet.landscape.solve` on the largest size (minima, sampled basins, lower bound) is timed.
2. Heuristic: on ``--heuristic-landscapes`` random 30-actor landscapes, how often the default heuristic
   (:func:`pactnet.landscape.multistart`, 1000 runs) finds the exact global minimum.
3. Baseline: configurations per second of a batched NumPy enumeration (timed on a prefix, extrapolated).

Numba compile (or cache load) time is reported apart. Prints figures only; asserts agreement, not timings.
"""

from __future__ import annotations

import argparse
import os
import platform
import time

import numpy as np


def random_landscape(n: int, seed: int):
    from pactnet.landscape import Landscape

    rng = np.random.default_rng(seed)
    P = np.triu(rng.normal(size=(n, n)), 1)
    return Landscape([f"a{i}" for i in range(n)], rng.uniform(0.1, 1.0, n), P + P.T)


def numpy_baseline(land, max_configs: int, block: int = 1 << 16):
    """Local minima among the first ``max_configs`` configurations (actor 0 on side 0), batched."""
    n = land.n
    A = land.weights
    T = A.sum(axis=0)
    s = land.sizes
    tol = 1e-9 * max(1.0, float(np.abs(A).sum(axis=0).max()))
    total = min(1 << (n - 1), max_configs)
    lowbits = min(n - 1, block.bit_length() - 1)
    block = 1 << lowbits
    # the low bits of a block never change: build their +-1 columns once
    low = np.arange(block, dtype=np.int64)
    sigma = np.ones((block, n))
    sigma[:, 1 : 1 + lowbits] = 1.0 - 2.0 * ((low[:, None] >> np.arange(lowbits)) & 1)
    found = []
    done = 0
    while done < total:
        hi = done >> lowbits
        sigma[:, 1 + lowbits :] = 1.0 - 2.0 * ((hi >> np.arange(n - 1 - lowbits)) & 1)
        H = sigma @ A  # h_i = sum_k sigma_k A[k, i]
        g = sigma * H
        is_min = (g >= -tol).all(axis=1)
        if is_min.any():
            E = 0.5 * ((T[None, :] - g[is_min]) * s[None, :]).sum(axis=1)
            codes = done + low[is_min]
            found.extend(zip((codes << 1).tolist(), E.tolist(), strict=True))
        done += block
    return total, found


#: The exact solver's times before the branch and bound (block-bounded Gray-code walk; issue 14), in seconds.
PREVIOUS_SECONDS = {30: 0.1, 32: 1.5, 34: 1.5, 36: 41.0, 38: 102.0}


def heuristic_hit_rate(landscapes: int, n: int = 30, seed: int = 10_000) -> tuple[int, int, list[int]]:
    """How many of ``landscapes`` random n-actor landscapes the default heuristic solves exactly."""
    from pactnet.landscape import local_minima, multistart

    hits, misses = 0, []
    for i in range(landscapes):
        land = random_landscape(n, seed + i)
        best = local_minima(land)[0].energy
        found = multistart(land, seed=i).minima[0].energy
        if found <= best + 1e-9 * max(1.0, abs(best)):
            hits += 1
        else:
            misses.append(seed + i)
    return hits, landscapes, misses


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[30, 34, 36, 38, 40])
    ap.add_argument("--walk-max", type=int, default=34, help="re-run the Gray-code walk up to this n")
    ap.add_argument("--heuristic-landscapes", type=int, default=200)
    ap.add_argument("--baseline-sizes", type=int, nargs="*", default=[30])
    ap.add_argument("--baseline-configs", type=int, default=1 << 22,
                    help="configurations the NumPy baseline walks per size (rate extrapolated)")
    ap.add_argument("--seed", type=int, default=2024)
    ap.add_argument("--repeat", type=int, default=3, help="runs of the exact solver per size (best is shown)")
    ap.add_argument("--large", type=int, default=2000, help="actors of the large heuristic case (0: skip)")
    args = ap.parse_args()

    import numba

    print(f"python {platform.python_version()}, numpy {np.__version__}, numba {numba.__version__}, "
          f"{os.cpu_count()} CPUs, numba threads {numba.get_num_threads()}")
    from pactnet.landscape import local_minima

    t0 = time.perf_counter()
    local_minima(random_landscape(8, 0))  # compiles, or loads the on-disk cache
    local_minima(random_landscape(8, 0), algorithm="walk")
    print(f"numba compile / cache load: {time.perf_counter() - t0:.2f} s (not included below)")

    print(f"\n1. Exact solver: branch and bound (best of {args.repeat}) beside the previous solver "
          "(block-bounded Gray-code walk)")
    print(f"{'n':>3} {'configs':>19} {'minima':>7} {'branch s':>9} {'previous s':>11} {'walk now s':>11}")
    for n in args.sizes:
        land = random_landscape(n, args.seed + n)
        times = []
        for _ in range(args.repeat):
            t = time.perf_counter()
            minima = local_minima(land)
            times.append(time.perf_counter() - t)
        walk = "-"
        if n <= args.walk_max:
            t = time.perf_counter()
            walked = local_minima(land, algorithm="walk", max_n=n)
            walk = f"{time.perf_counter() - t:.2f}"
            assert [m.config.tolist() for m in walked] == [m.config.tolist() for m in minima]
        prev = PREVIOUS_SECONDS.get(n)
        print(f"{n:>3} {1 << (n - 1):>19,} {len(minima):>7} {min(times):>9.3f} "
              f"{'-' if prev is None else f'{prev:g}':>11} {walk:>11}")

    from pactnet.landscape import solve

    n = max(args.sizes)
    t = time.perf_counter()
    res = solve(random_landscape(n, args.seed + n), seed=1)
    print(f"solve() at n = {n}: every minimum, basins sampled from {res.samples:,} starts, random-order "
          f"probabilities, lower bound: {time.perf_counter() - t:.2f} s")

    if args.heuristic_landscapes:
        t = time.perf_counter()
        hits, total, misses = heuristic_hit_rate(args.heuristic_landscapes)
        print(f"\n2. Default heuristic (multistart, 1000 runs) finds the exact global minimum on {hits} of "
              f"{total} random 30-actor landscapes ({100.0 * hits / total:.1f}%; {time.perf_counter() - t:.0f} s)"
              + (f"; missed seeds {misses}" if misses else ""))

    if args.baseline_sizes:
        print("\n3. Baseline: batched NumPy enumeration (rate on a prefix, extrapolated)")
        print(f"{'n':>3} {'numpy cfg/s':>12} {'numpy est. s':>13} {'branch s':>9} {'ratio':>9}")
    for n in args.baseline_sizes:
        land = random_landscape(n, args.seed + n)
        t = time.perf_counter()
        walked, _ = numpy_baseline(land, args.baseline_configs)
        brate = walked / (time.perf_counter() - t)
        t = time.perf_counter()
        local_minima(land)
        dt = time.perf_counter() - t
        est = (1 << (n - 1)) / brate
        print(f"{n:>3} {brate:>12,.0f} {est:>13.1f} {dt:>9.3f} {est / dt:>9.0f}")

    if args.large:
        large(args.large, args.seed)


def large(n: int, seed: int) -> None:
    """Issue 8's goals: a 2,000-actor matrix read in under 2 s, solved with default settings in under 60 s."""
    import tempfile
    from pathlib import Path

    from pactnet.landscape import solve
    from pactnet.landscape.data import read_propensity_csv, write_propensity_csv

    land = random_landscape(n, seed + n)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "p.csv"
        write_propensity_csv(path, land.labels, land.propensity)
        t = time.perf_counter()
        read_propensity_csv(path)
        read = time.perf_counter() - t
        size = path.stat().st_size / 1e6
    t = time.perf_counter()
    res = solve(land, seed=1)
    print(f"\n4. {n} actors: matrix ({size:.0f} MB CSV) read in {read:.2f} s (goal < 2 s); default solve "
          f"({res.method}, {res.runs} runs) {time.perf_counter() - t:.1f} s (goal < 60 s), "
          f"{len(res.minima)} distinct minima")


if __name__ == "__main__":
    main()
