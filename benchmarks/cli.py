"""How instant the CLI feels: whole-process wall time of `pactnet --help` and of a ties query on a
built store, against `python -c pass` (the interpreter's own start-up) run in the same session.

Goals (issue 2): `pactnet --help` under 0.5 s, `pactnet ties --patron USA --at 2021-12-31` under 1 s.

    python benchmarks/cli.py [--runs 7]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BIN = Path(sys.executable).parent


def timeit(cmd: list[str], runs: int, env: dict[str, str]) -> list[float]:
    out = []
    for _ in range(runs):
        t0 = time.perf_counter()
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
        out.append(time.perf_counter() - t0)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=7)
    args = ap.parse_args()
    pactnet = str(BIN / "pactnet")
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "PACTNET_DB": str(Path(tmp) / "bench.duckdb"), "COLUMNS": "200"}
        t0 = time.perf_counter()
        subprocess.run([pactnet, "build"], check=True, stdout=subprocess.DEVNULL, env=env)
        build = time.perf_counter() - t0
        cases = [
            ("python -c pass (baseline)", [sys.executable, "-c", "pass"], None),
            ("pactnet --help", [pactnet, "--help"], 0.5),
            ("pactnet ties --patron USA --at 2021-12-31",
             [pactnet, "ties", "--patron", "USA", "--at", "2021-12-31"], 1.0),
            ("pactnet ties ... --format json", [pactnet, "ties", "--patron", "USA", "--at", "2021-12-31", "--format",
                                                "json"], 1.0),
            ("pactnet portfolio --patron USA", [pactnet, "portfolio", "--patron", "USA"], None),
        ]
        print(f"store build from the knowledge base (first run): {build:.3f} s")
        print(f"{'command':<45} {'min':>7} {'median':>7} {'max':>7}  {'goal':>6}  ratio to baseline")
        base = None
        for label, cmd, goal in cases:
            ts = timeit(cmd, args.runs, env)
            med = statistics.median(ts)
            base = base or med
            verdict = "" if goal is None else (f"{goal:>5.1f}s {'ok' if med < goal else 'MISSED'}")
            print(f"{label:<45} {min(ts):7.3f} {med:7.3f} {max(ts):7.3f}  {verdict:>9}  {med / base:5.1f}x")


if __name__ == "__main__":
    main()
