"""Benchmark: every indicator for every US partner and year 1945-2024, and the ``pactnet indicators`` command.

Run ``python benchmarks/indicators.py [--repeat N]``. It builds a private store from the shipped knowledge
base (in a temporary folder), then reports

* in-process: ``compute("USA", inputs=...)`` over 1945-2024 with the inputs already loaded (the
  computation the goal is about: all partners, all years, all indicators and the network measures), best
  and median of ``--repeat`` runs, also without the network measures; and the one-off load of the inputs
  (ties, actors, attributes) from the store;
* command: ``python -m pactnet indicators --patron USA --at 2021-12-31 --format json`` as a whole process
  (interpreter start, imports, store, knowledge-base attributes, computation, output), best and median of
  ``--repeat`` runs after one warm-up run (which writes the attribute cache beside the store).

Goals: under 200 ms in-process, under 1 s as a command. The machine's load and the CPU seconds used are
printed with the wall times: on a shared, loaded machine wall times grow with the load, CPU time much less.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _times(fn, repeat: int) -> tuple[float, float, float]:
    """Best and median wall seconds, and the median CPU seconds (this process's threads and its children's)."""
    ts, cpu = [], []
    for _ in range(repeat):
        r0, c0 = resource.getrusage(resource.RUSAGE_CHILDREN), time.process_time()
        t0 = time.perf_counter()
        fn()
        ts.append(time.perf_counter() - t0)
        r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu.append(time.process_time() - c0 + (r1.ru_utime - r0.ru_utime) + (r1.ru_stime - r0.ru_stime))
    return min(ts), statistics.median(ts), statistics.median(cpu)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=7)
    args = ap.parse_args()
    sys.path.insert(0, str(ROOT / "src"))
    from pactnet.indicators import compute, load_inputs
    from pactnet.store import Store

    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.duckdb"
        store = Store(db)
        store.build()
        t0 = time.perf_counter()
        inputs = load_inputs(db=store)
        load = time.perf_counter() - t0
        frame = compute("USA", inputs=inputs)  # warm-up
        best, med, cpu = _times(lambda: compute("USA", inputs=inputs), args.repeat)
        best_nn, med_nn, cpu_nn = _times(lambda: compute("USA", inputs=inputs, network=False), args.repeat)
        years = frame["date"].dt.year()
        print(f"load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")
        print(f"rows: {frame.height:,} partner-years, {frame['actor'].n_unique()} partners, "
              f"{years.min()}-{years.max()}, {frame.width} columns")
        print(f"in-process compute, all indicators + network: best {best * 1e3:.0f} ms, median {med * 1e3:.0f} ms "
              f"(goal < 200 ms); CPU {cpu * 1e3:.0f} ms")
        print(f"in-process compute, without network measures: best {best_nn * 1e3:.0f} ms, "
              f"median {med_nn * 1e3:.0f} ms; CPU {cpu_nn * 1e3:.0f} ms")
        print(f"loading the inputs from the store (once per call without inputs=): {load * 1e3:.0f} ms")
        # As installed: bytecode cached (pip compiles on install; the warm-up run writes it here, where
        # PYTHONDONTWRITEBYTECODE would otherwise make every run compile pactnet's sources again).
        env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        env |= {"PYTHONPATH": str(ROOT / "src"), "PACTNET_DB": str(db)}
        cmd = [sys.executable, "-m", "pactnet", "indicators", "--patron", "USA", "--at", "2021-12-31",
               "--format", "json"]
        subprocess.run(cmd, env=env, check=True, capture_output=True)  # warm-up: attribute cache, bytecode

        def run() -> None:
            subprocess.run(cmd, env=env, check=True, capture_output=True)

        best_c, med_c, cpu_c = _times(run, args.repeat)
        print(f"command {' '.join(cmd[2:])}: best {best_c:.2f} s, median {med_c:.2f} s (goal < 1 s); "
              f"CPU {cpu_c:.2f} s")
        print(f"load average {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
