"""Bounded resources and crash safety, measured on real subprocesses.

- Memory: an alias bomb, a zip bomb and ``/dev/zero`` each end with a clear error under 200 MB peak (the peak
  resident set of the command, read with ``getrusage(RUSAGE_CHILDREN)`` in a wrapper process of its own).
- Fault injection: ``import`` and ``build`` are killed (SIGKILL) at random points 20 times; after each kill the
  store opens and holds the previous data, and after the next command no temporary file remains.
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from tests.conftest import REPO, SHARED_DATA, write_kb
from tests.faults.conftest import cow_csv, table_checksums

ENV = {**os.environ, "PYTHONPATH": str(REPO / "src") + os.pathsep + os.environ.get("PYTHONPATH", "")}
ENV.pop("PACTNET_KB", None)

_PEAK = """
import resource, subprocess, sys, json
r = subprocess.run([sys.executable, "-m", "pactnet", *sys.argv[1:]], capture_output=True, text=True)
peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * (1 if sys.platform == "darwin" else 1024)
print(json.dumps({"rc": r.returncode, "stderr": r.stderr, "peak": peak}))
"""


def peak_run(*args: str, env: dict[str, str]) -> dict:
    out = subprocess.run([sys.executable, "-c", _PEAK, *map(str, args)], capture_output=True, text=True, env=env,
                         timeout=120)
    return json.loads(out.stdout)


def zip_bomb(path: Path, mib: int) -> Path:
    """A zip whose one member (a CSV of zeros) expands to ``mib`` MiB from a few hundred KB."""
    zero = b"0" * (1 << 20)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        with zf.open("cow_states.csv", "w", force_zip64=True) as fh:
            for _ in range(mib):
                fh.write(zero)
    return path


ALIAS_BOMB = "a: &a [" + ",".join(["lol"] * 9) + "]\n" + "".join(
    f"{c}: &{c} [" + ",".join([f"*{p}"] * 9) + "]\n" for p, c in zip("abcdefgh", "bcdefghi", strict=True)
) + "ties:\n  - id: x\n    note: *i\n"


@pytest.mark.parametrize("case", ["alias-bomb", "zip-bomb", "dev-zero"])
def test_bombs_end_with_a_clear_error_under_200_mb(tmp_path: Path, case: str) -> None:
    env = {**ENV, "PACTNET_DB": str(tmp_path / "p.duckdb")}
    if case == "alias-bomb":
        kb = tmp_path / "kb"
        kb.mkdir()
        (kb / "bomb.yaml").write_text(ALIAS_BOMB)  # 1 KB that expands to 387 million nodes
        assert (kb / "bomb.yaml").stat().st_size < 1500
        args, needle = ("validate", "--kb", kb), "bomb.yaml:1: YAML aliases expand"
    elif case == "zip-bomb":
        bomb = zip_bomb(tmp_path / "bomb.zip", 300)  # 300 KB expanding to 300 MiB
        assert bomb.stat().st_size < 400_000
        args, needle = ("import", "cow-states", bomb), "bomb.zip/cow_states.csv: expands to 300.0 MiB"
    else:
        args, needle = ("import", "cow-states", "/dev/zero"), "/dev/zero: is a device"
    t0 = time.monotonic()
    r = peak_run(*args, env=env)
    elapsed = time.monotonic() - t0
    assert r["rc"] == 2, r
    lines = r["stderr"].strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: ") and needle in lines[0], r["stderr"]
    assert r["peak"] < 200 * 2**20, f"{case}: peak {r['peak'] / 2**20:.0f} MB"
    assert elapsed < 30, f"{case}: {elapsed:.0f} s"
    assert not (tmp_path / "p.duckdb").exists()


# ------------------------------------------------------------------------------------------ SIGKILL


def _stable(path: Path) -> dict[str, str]:
    """The checksums of the tables a repeated import or build rewrites with identical contents (``meta`` and
    ``datasets`` carry the time of the write)."""
    return {k: v for k, v in table_checksums(path).items() if k not in ("meta", "datasets")}


def _temps(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if ".tmp" in p.name)


def test_sigkill_during_import_and_build_loses_nothing(tmp_path: Path) -> None:
    store_dir = tmp_path / "store"
    store_dir.mkdir()
    db = store_dir / "p.duckdb"
    kb = write_kb(tmp_path / "kb")
    if (SHARED_DATA / "atop5_1" / "atop5_1m.csv").exists():
        dataset, source = "atop", SHARED_DATA / "atop5_1"  # a write of a few seconds: kills land inside it
    else:
        dataset, source = "cow-states", tmp_path / "states.csv"
        source.write_text(cow_csv())
    env = {**ENV, "PACTNET_DB": str(db)}
    subprocess.run([sys.executable, "-m", "pactnet", "build", "--kb", kb], env=env, check=True, capture_output=True,
                   timeout=120)
    subprocess.run([sys.executable, "-m", "pactnet", "import", dataset, source], env=env, check=True,
                   capture_output=True, timeout=120)
    baseline = _stable(db)
    commands = [["import", dataset, source], ["build", "--force", "--kb", kb]]
    rng = random.Random(8)
    mid_write = 0
    for i in range(20):
        cmd = commands[i % 2]
        proc = subprocess.Popen([sys.executable, "-m", "pactnet", *map(str, cmd)], env=env,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        delay = rng.uniform(0.4, 2.0)
        end = time.monotonic() + delay
        while time.monotonic() < end and proc.poll() is None:
            time.sleep(0.02)
        mid_write += bool(_temps(store_dir))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        # The store opens and holds the data it held before (or the identical result of a finished write).
        assert _stable(db) == baseline, f"run {i} ({' '.join(map(str, cmd))}, killed after {delay:.2f} s)"
    # The next write removes what the killed writers left.
    r = subprocess.run([sys.executable, "-m", "pactnet", "import", dataset, source], env=env, capture_output=True,
                       text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    assert _temps(store_dir) == []
    assert _stable(db) == baseline
    print(f"{mid_write} of 20 kills landed while a temporary copy existed")
    assert mid_write >= 1, "no kill landed while a write was in progress: lengthen the delays"
