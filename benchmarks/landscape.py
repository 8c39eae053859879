"""Benchmark: exhaustive landscape enumeration (numba, Gray code, 2 threads) vs a batched NumPy baseline.

Run:  .venv/bin/python benchmarks/landscape.py [--sizes 20 25 30] [--baseline-configs 4194304]

For each n it builds a dense random landscape (seeded), enumerates all 2^(n-1) configurations up to
the global flip with :func:`pactnet.landscape.local_minima`, and prints configurations per second.
The baseline walks blocks of configurations with NumPy (fields by one matrix product per block,
energies and the local-minimum test vectorised); for large n it is timed on a prefix of the
configurations and its rate extrapolated. Numba compile (or cache load) time is reported apart.
Prints figures only; asserts nothing about timings.
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


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[20, 25, 30])
    ap.add_argument("--baseline-configs", type=int, default=1 << 22,
                    help="configurations the NumPy baseline walks per size (rate extrapolated)")
    ap.add_argument("--seed", type=int, default=2024)
    ap.add_argument("--repeat", type=int, default=5, help="runs of the default solver per size (best is shown)")
    args = ap.parse_args()

    import numba

    print(f"python {platform.python_version()}, numpy {np.__version__}, numba {numba.__version__}, "
          f"{os.cpu_count()} CPUs, numba threads {numba.get_num_threads()}")
    from pactnet.landscape import local_minima

    t0 = time.perf_counter()
    local_minima(random_landscape(8, 0))  # compiles, or loads the on-disk cache
    print(f"numba compile / cache load: {time.perf_counter() - t0:.2f} s (not included below)")

    print("numba: Gray code + block bound on the innermost bits (default auto_prune_bits(n); "
          f"best of {args.repeat} runs); 'walk': every configuration visited (prune_bits=0, one run); "
          "ratios against the NumPy baseline")
    print(f"{'n':>3} {'configs':>13} {'minima':>7} {'numba s':>8} {'numba cfg/s':>15} "
          f"{'walk s':>8} {'walk cfg/s':>13} {'numpy cfg/s':>12} {'ratio':>7} {'walk ratio':>10} "
          f"{'numpy est. s':>12}")
    for n in args.sizes:
        land = random_landscape(n, args.seed + n)
        # the baseline runs first: numba's worker threads would otherwise compete with BLAS threads
        t = time.perf_counter()
        walked, found = numpy_baseline(land, args.baseline_configs)
        dtb = time.perf_counter() - t
        brate = walked / dtb
        times = []
        for _ in range(args.repeat):
            t = time.perf_counter()
            minima = local_minima(land)
            times.append(time.perf_counter() - t)
        dt = min(times)
        configs = 1 << (n - 1)
        rate = configs / dt
        t = time.perf_counter()
        walked_minima = local_minima(land, prune_bits=0)
        dtw = time.perf_counter() - t
        assert [m.config.tolist() for m in walked_minima] == [m.config.tolist() for m in minima]
        if walked == configs:  # full baseline run: the two must agree
            assert sorted(c for c, _ in found) == sorted(
                sum(int(v) << i for i, v in enumerate(m.config)) for m in minima)
        print(f"{n:>3} {configs:>13,} {len(minima):>7} {dt:>8.3f} {rate:>15,.0f} {dtw:>8.3f} "
              f"{configs / dtw:>13,.0f} {brate:>12,.0f} {rate / brate:>7.0f} "
              f"{configs / dtw / brate:>10.1f} {configs / brate:>12.1f}")


if __name__ == "__main__":
    main()
