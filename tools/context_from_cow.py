"""Transcribe the contiguity and major-power records of ``src/pactnet/kb/data/context.yaml`` from the COW files.

Run: ``python tools/context_from_cow.py /path/to/shared/data > records.yaml`` and paste the output under
``attributes:``. Each record cites the COW row it comes from (the locator), so a reviewer can check it. Only
the states that count as revisionist powers in context.yaml are transcribed (their neighbours that are actors of
the knowledge base); COW 365 is the Soviet Union (SUN) up to 1991-12-26 and Russia (RUS) after.
"""

from __future__ import annotations

import csv
import datetime as dt
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from pactnet.kb import load_kb  # noqa: E402

REVISIONIST_CCODES = (365, 710, 630)  # North Korea (731) is no actor of the knowledge base
SUN_END = dt.date(1991, 12, 26)
COW_HORIZON = "2016-12-01"  # the last month COW Direct Contiguity v3.2 covers: such rows are open-ended


def _ids(kb) -> dict[int, list[tuple[str, str]]]:
    out: dict[int, list[tuple[str, str]]] = {}
    for a in kb.actors.values():
        if a["ccode"] and a["kind"] in ("state", "former_state"):
            out.setdefault(a["ccode"], []).append((a["id"], a["kind"]))
    return out


def _split(ccode: int, start: dt.date, end: dt.date | None, ids) -> list[tuple[str, dt.date, dt.date | None]]:
    """The KB actor(s) holding a COW code over [start, end]: 365 is split at the end of the Soviet Union."""
    if ccode == 365:
        out = []
        if start <= SUN_END:
            out.append(("SUN", start, min(end, SUN_END) if end else SUN_END))
        if end is None or end > SUN_END:
            out.append(("RUS", max(start, SUN_END + dt.timedelta(days=1)), end))
        return out
    states = [h for h, k in ids.get(ccode, []) if k == "state"]
    return [(states[0], start, end)] if states else []


def _q(d: dt.date | None) -> str:
    return "open" if d is None else '"' + d.isoformat() + '"'


def main(data: Path) -> None:
    kb = load_kb()
    ids = _ids(kb)
    rows = list(csv.DictReader((data / "covariates" / "cow_contdir.csv").open()))
    seen: set[tuple] = set()
    for r in rows:
        c1, c2, ctype = int(r["ccode1"]), int(r["ccode2"]), int(r["conttype"])
        if c1 not in REVISIONIST_CCODES and c2 in REVISIONIST_CCODES:
            c1, c2 = c2, c1  # the file lists a pair in one or both directions: the power first
        key = (c1, c2, ctype, r["stdate"])
        if c1 not in REVISIONIST_CCODES or ctype == 0 or key in seen:
            continue
        seen.add(key)
        start = dt.date.fromisoformat(r["stdate"])
        end = None if r["enddate"] == COW_HORIZON else dt.date.fromisoformat(r["enddate"])
        if end is not None and end.year < 1945:
            continue
        start = max(start, dt.date(1945, 1, 1))
        neighbours = _split(c2, start, end, ids)
        if not neighbours:
            continue
        locator = f"{r['ccode1']}-{r['ccode2']} {r['stdate'][:7]}"
        for power, lo, hi in _split(c1, start, end, ids):
            for other, lo2, hi2 in neighbours:
                a, b = max(lo, lo2), min((x for x in (hi, hi2) if x is not None), default=None)
                if b is not None and b < a:
                    continue
                print(f"  - {{actor: {other}, attribute: contiguity, other: {power}, value: {ctype}, "
                      f"start: {_q(a)}, end: {_q(b)}, sources: [\"cow-contdir-3.2@{locator}\"]}}")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
