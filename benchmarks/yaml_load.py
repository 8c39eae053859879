"""Speed of reading the knowledge base's YAML: the exact reader (:func:`pactnet.kb.yamlio.load_yaml`) against
the fast one (:func:`pactnet.kb.yamlio.load_yaml_fast`), in the same process, on the shipped knowledge base and
on synthetic knowledge bases (``benchmarks/queries.py``'s ``synthetic_kb``), summed over each one's files.

Goal (issue 7): a 100,000-tie knowledge base's files read in at most 2 s (the store built in under 10 s).

    python benchmarks/yaml_load.py [--sizes 10000,100000] [--runs 3] [--kb DIR ...]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from queries import synthetic_kb  # noqa: E402

from pactnet.kb.validate import DATA_DIR, kb_files  # noqa: E402
from pactnet.kb.yamlio import load_yaml, load_yaml_fast  # noqa: E402


def _best(fn: Callable[[], object], runs: int) -> float:
    best = float("inf")
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best


def compare(label: str, folder: Path, runs: int) -> None:
    """Print the best-of-``runs`` seconds of both readers over ``folder``'s files, their ratio and how many
    files the fast reader read itself."""
    files = kb_files(folder)
    fast_files = sum(load_yaml_fast(p)[1] for p in files)
    exact = _best(lambda: [load_yaml(p) for p in files], runs)
    fast = _best(lambda: [load_yaml_fast(p) for p in files], runs)
    size = sum(p.stat().st_size for p in files) / 2**20
    print(f"{label:>10}  {len(files):3d} files {size:6.1f} MiB  exact {exact:7.3f} s  fast {fast:7.3f} s  "
          f"x{exact / fast:5.1f}  ({fast_files}/{len(files)} files on the fast path)", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000", help="synthetic knowledge bases, in ties")
    parser.add_argument("--runs", type=int, default=3, help="best of this many runs")
    parser.add_argument("--kb", action="append", default=[], help="also time this knowledge-base folder")
    args = parser.parse_args()
    compare("shipped", DATA_DIR, args.runs)
    for folder in args.kb:
        compare(Path(folder).name, Path(folder), args.runs)
    for n in [int(s) for s in args.sizes.split(",") if s]:
        with tempfile.TemporaryDirectory() as tmp:
            synthetic_kb(Path(tmp), n)
            compare(str(n), Path(tmp), args.runs)


if __name__ == "__main__":
    main()
