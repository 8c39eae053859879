"""Benchmark: the full directed COW dyad-year panel 1816-2024 with ATOP obligations and knowledge-base levels,
and the verb pipeline ``create_dyad_years() -> add_atop() -> add_nmc() -> add_contiguity() ->
add_capital_distance() -> add_kb()`` (goals: in-process under 0.5 s and under 600 MB peak).

Run ``python benchmarks/panels.py [--data DIR] [--repeat N]``. Prints, for pactnet in-process, a plain
pandas baseline of the same join, and the whole ``pactnet panel`` command: wall seconds, rows per
second and peak memory (max RSS). Reference: R peacesciencer 1.2.9 needs 1.50 s in-process and 3.49 s
as a whole Rscript process (1.2 GB peak) for 2,252,760 rows. Goals: in-process >= 20x faster than R,
the command >= 3x faster than R's process, peak memory < 400 MB for both.

Every figure comes from a fresh process, so none is mixed with another's memory:

* in-process: a helper process loads the inputs from the store (``load_inputs``), then times
  ``dyad_years(...)`` on them (best and median of ``--repeat``), and the whole load + build
  (``build_dyad_years``); its peak RSS (``RUSAGE_SELF``) covers Python, the libraries, the inputs
  and the panels (``VmHWM``).
* command: a small helper process (no imports) runs ``python -m pactnet panel dyad-year ...`` and reads
  ``RUSAGE_CHILDREN``: the command's own peak RSS. Linux carries the spawning process's high-water mark
  into a child's ``ru_maxrss`` over ``exec``: read from this big benchmark process, the command's (or the
  in-process helper's own ``RUSAGE_SELF``) figure would include this process's memory.
"""

from __future__ import annotations

import argparse
import atexit
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

R_IN_PROCESS, R_PROCESS, R_PEAK_MB = 1.50, 3.49, 1200


def pandas_baseline(states_pl, atop_pl, kb_pl, end: int):
    """The same panel written plainly in pandas: cross join per year, span filter, false dyads, merges."""
    import pandas as pd

    from pactnet.panel.build import kb_dyad_years

    s = states_pl.to_pandas()
    s["start"], s["end"] = pd.to_datetime(s["start"]), pd.to_datetime(s["end"])
    last = s["end"].max()
    s["end"] = s["end"].where(s["end"] != last, pd.Timestamp(f"{end}-12-31"))
    rows = []
    for _, r in s.iterrows():
        for y in range(max(r["start"].year, 1816), min(r["end"].year, end) + 1):
            rows.append((r["code"], y, r["start"], r["end"]))
    sy = pd.DataFrame(rows, columns=["ccode", "year", "start", "end"])
    d = sy.merge(sy, on="year", suffixes=("1", "2"))
    d = d[d["ccode1"] != d["ccode2"]]
    d = d[(d[["start1", "start2"]].max(axis=1) <= d[["end1", "end2"]].min(axis=1))]
    d = d[["ccode1", "ccode2", "year"]].drop_duplicates()
    d = d.merge(atop_pl.to_pandas(), on=["ccode1", "ccode2", "year"], how="left")
    cols = ["atop_defense", "atop_offense", "atop_neutral", "atop_nonagg", "atop_consul"]
    inside = d["year"].between(1815, 2018)
    d.loc[inside, cols] = d.loc[inside, cols].fillna(0)
    k = kb_dyad_years(kb_pl, 1816, end).to_pandas()
    d = d.merge(k, on=["ccode1", "ccode2", "year"], how="left")
    return d.sort_values(["ccode1", "ccode2", "year"])


def _peak_rss_mb() -> float:
    """This process's peak RSS: ``VmHWM`` (per address space, so it starts afresh at ``exec``; ``ru_maxrss`` does
    not: it keeps the high-water mark of the process that spawned this one)."""
    import resource

    try:
        with open("/proc/self/status") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _in_process(db: str, repeat: int) -> None:
    """Helper process: time the build on loaded inputs and with loading; print JSON."""
    from pactnet.panel import build_dyad_years, dyad_years, load_inputs

    t = time.perf_counter()
    inp = load_inputs(("atop", "kb"), db=db)
    load = time.perf_counter() - t
    states = inp.pop("states")
    times, p = [], None
    for _ in range(repeat):
        t = time.perf_counter()
        p = dyad_years(states, end=2024, carry_forward=True, **inp)
        times.append(time.perf_counter() - t)
    rows, dropped = p.height, p.dropped_counts()
    rss_build = _peak_rss_mb()
    del p, inp, states
    whole = []
    for _ in range(repeat):
        t = time.perf_counter()
        q = build_dyad_years(end=2024, carry_forward=True, attributes=("atop", "kb"), db=db)
        whole.append(time.perf_counter() - t)
        del q
    print(json.dumps({"times": times, "load": load, "whole": whole, "rows": rows, "dropped": dropped,
                      "rss_build": rss_build, "rss": _peak_rss_mb()}))


PIPELINE = ("create_dyad_years(end=2024, carry_forward=True) -> add_atop() -> add_nmc() -> add_contiguity() "
            "-> add_capital_distance() -> add_kb()")


def _verbs(db: str, repeat: int) -> None:
    """Helper process: the verb pipeline, first on a cold process (reads every table from the store), then again
    (the store's tables are read once per store version); peak RSS after the first pipeline and after all."""
    import warnings

    from pactnet.panel import create_dyad_years
    from pactnet.store import Store

    store = Store(db)

    def run():
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return (create_dyad_years(end=2024, carry_forward=True, db=store).add_atop().add_nmc().add_contiguity()
                    .add_capital_distance().add_kb())

    t = time.perf_counter()
    p = run()
    cold = time.perf_counter() - t
    rss_first = _peak_rss_mb()
    rows, cols = p.height, p.pl.width
    del p
    times, cpu = [], []
    for _ in range(repeat):
        t, c = time.perf_counter(), time.process_time()
        p = run()
        times.append(time.perf_counter() - t)
        cpu.append(time.process_time() - c)
        del p
    print(json.dumps({"cold": cold, "times": times, "cpu": cpu, "rows": rows, "cols": cols,
                      "rss_first": rss_first, "rss": _peak_rss_mb(), "load": os.getloadavg()[0]}))


_RUN_COMMAND = """
import json, resource, subprocess, sys, time
t = time.perf_counter()
r = subprocess.run(sys.argv[1:], capture_output=True, text=True)
wall = time.perf_counter() - t
print(json.dumps({"wall": wall, "rc": r.returncode, "stdout": r.stdout, "stderr": r.stderr,
                  "rss": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024}))
"""


def _helper(args: list[str]) -> dict:
    r = subprocess.run([sys.executable, *args], capture_output=True, text=True)
    if r.returncode:
        raise SystemExit(f"benchmark helper failed: {r.stderr.strip()}")
    return json.loads(r.stdout.strip().splitlines()[-1])


def _goal(ok: bool) -> str:
    return "met" if ok else "NOT met"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", default=os.environ.get("PACTNET_SHARED_DATA",
                                                     str(Path(__file__).resolve().parents[2] / "shared" / "data")))
    ap.add_argument("--repeat", type=int, default=7)
    ap.add_argument("--no-pandas", action="store_true")
    ap.add_argument("--child-in-process", metavar="DB", help=argparse.SUPPRESS)
    ap.add_argument("--child-verbs", metavar="DB", help=argparse.SUPPRESS)
    ap.add_argument("--verbs-only", action="store_true", help="Only the verb pipeline's figures.")
    a = ap.parse_args()
    if a.child_in_process:
        _in_process(a.child_in_process, a.repeat)
        return
    if a.child_verbs:
        _verbs(a.child_verbs, a.repeat)
        return
    data = Path(a.data)
    from pactnet.imports import import_dataset

    tmp = Path(tempfile.mkdtemp(prefix="pactnet-bench-"))
    atexit.register(shutil.rmtree, tmp, True)  # the scratch store goes when the benchmark ends
    db = tmp / "bench.duckdb"
    import_dataset("cow-states", data / "state_systems" / "cow_states.csv", db=db)
    import_dataset("atop", data / "atop5_1", db=db)
    from pactnet.panel._kb import kb_ties

    kb = kb_ties("record", db=db)  # builds the knowledge base into the store once, as a first command would
    cov = data / "covariates"
    import_dataset("nmc", cov / "cow_nmc_v7.csv.gz", db=db)
    import_dataset("contiguity", cov / "cow_contdir.csv", db=db)
    import_dataset("capitals", cov / "cow_capitals.csv", db=db)

    v = _helper([__file__, "--child-verbs", str(db), "--repeat", str(a.repeat)])
    vt = sorted(v["times"])
    print(f"verb pipeline      : {PIPELINE}: {v['rows']:,} rows x {v['cols']} columns")
    print(f"  in-process       : {vt[0]:.3f} s best of {a.repeat} (median {vt[len(vt) // 2]:.3f} s; goal < 0.5 s: "
          f"{_goal(vt[0] < 0.5)}); the first pipeline of a fresh process, reading every table from the store: "
          f"{v['cold']:.3f} s")
    print(f"  CPU time         : {min(v['cpu']):.3f} s best of {a.repeat} (all threads; the machine's load average was "
          f"{v['load']:.1f} on {os.cpu_count()} cores: wall times grow with it)")
    print(f"  peak RSS         : {v['rss_first']:.0f} MB after the first pipeline (fresh process: Python, libraries, "
          f"inputs, the panel; goal < 600 MB: {_goal(v['rss_first'] < 600)}), {v['rss']:.0f} MB after all "
          f"(two panels alive at a time)")
    if a.verbs_only:
        return

    r = _helper([__file__, "--child-in-process", str(db), "--repeat", str(a.repeat)])
    times = sorted(r["times"])
    best, med = times[0], times[len(times) // 2]
    whole = sorted(r["whole"])
    rows = r["rows"]
    print(f"inputs (from the store): {kb.height} knowledge-base ties; loading states, ATOP dyad-years and the "
          f"knowledge base took {r['load']:.3f} s in a fresh process")
    print(f"pactnet in-process : {best:.3f} s best of {a.repeat} (median {med:.3f} s) for dyad_years(...) on loaded "
          f"inputs, {rows:,} rows, {rows / best / 1e6:.1f} M rows/s; {R_IN_PROCESS / best:.1f}x faster than R "
          f"in-process ({R_IN_PROCESS} s; goal >= 20x: {_goal(R_IN_PROCESS / best >= 20)}); dropped {r['dropped']}")
    print(f"  with loading     : {whole[0]:.3f} s best of {a.repeat} (median {whole[len(whole) // 2]:.3f} s) for "
          f"build_dyad_years(...) from the store; {R_IN_PROCESS / whole[0]:.1f}x faster than R in-process")
    print(f"  peak RSS         : {r['rss_build']:.0f} MB after the timed builds (the whole helper process: Python, "
          f"libraries, inputs, two panels alive at a time; goal < 400 MB: {_goal(r['rss_build'] < 400)}), "
          f"{r['rss']:.0f} MB after the builds with loading")

    if not a.no_pandas:
        from pactnet.panel import load_inputs

        inp = load_inputs(("atop", "kb"), db=db)
        t = time.perf_counter()
        pdf = pandas_baseline(inp["states"], inp["atop"], inp["kb"], 2024)
        tp = time.perf_counter() - t
        print(f"pandas baseline    : {tp:.3f} s, {len(pdf):,} rows, {len(pdf) / tp / 1e6:.2f} M rows/s; "
              f"pactnet in-process is {tp / best:.1f}x faster")

    out = tmp / "panel.parquet"
    cmd = [sys.executable, "-m", "pactnet", "panel", "dyad-year", "--system", "cow", "--directed", "--to", "2024",
           "--carry-forward", "--with", "atop,kb", "--out", str(out), "--db", str(db)]
    runs = []
    for _ in range(3):
        c = _helper(["-c", _RUN_COMMAND, *cmd])
        if c["rc"]:
            print("command failed:", c["stderr"].strip())
            return
        runs.append(c)
    w = min(c["wall"] for c in runs)
    rss = max(c["rss"] for c in runs)
    print(f"pactnet command    : {w:.3f} s best of {len(runs)} ({' '.join(cmd[2:7])} ... --with atop,kb), peak RSS "
          f"{rss:.0f} MB (max of the runs, the command process alone); {R_PROCESS / w:.1f}x faster than the whole R "
          f"process ({R_PROCESS} s, {R_PEAK_MB} MB; goal >= 3x: {_goal(R_PROCESS / w >= 3)}, "
          f"< 400 MB: {_goal(rss < 400)})")
    print(f"  output: {runs[-1]['stdout'].strip()}")


if __name__ == "__main__":
    main()
