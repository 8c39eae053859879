"""The initial state from the knowledge base, and the observed yearly levels the hindcast scores against.

The knowledge base is read through ONE adapter, :func:`_kb_year`, so that the move to the new core API
(issue 7: ``network.ties`` returning a polars frame) is a change in one place.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import numpy as np

from .model import CAMPAIGNS

__all__ = ["KBState", "kb_state", "observed_levels", "rival_pull_from_ties"]


def _kb_year(year: int, patrons: tuple[str, ...], db: Any = None) -> tuple[list[dict], dict[str, dict]]:
    """The adapter: each patron's non-hostile ties active on 31 December of ``year`` as rows
    ``{patron, partner, rank, driver}``, and the actors by id ``{kind, region}``."""
    from pactnet import network

    at = dt.date(year, 12, 31)
    acts = {a["id"]: {"kind": a["kind"], "region": a["region"]}
            for a in network.actors(db=db).select("id", "kind", "region").to_dicts()}
    rows = []
    for patron in patrons:
        frame = network.ties(at, patron=patron, db=db).select("partner", "rank", "drivers")
        for t in frame.to_dicts():
            if t["rank"] is None or t["rank"] < 1 or t["partner"] is None:
                continue
            drivers = t["drivers"] or []
            rows.append({"patron": patron, "partner": t["partner"], "rank": int(t["rank"]),
                         "driver": drivers[0] if drivers else "other"})
    return rows, acts


@dataclass(frozen=True)
class KBState:
    """Partners (every state in the knowledge base but the patron), their regions, and at the start date
    the patron's level with each, the driving campaign, and each partner's rival pull."""

    year: int
    patron: str
    partners: tuple[str, ...]
    regions: tuple[str, ...]
    level: np.ndarray
    driver: np.ndarray
    rival_pull: np.ndarray


def _campaign(driver: str) -> int:
    return CAMPAIGNS.index(driver) if driver in CAMPAIGNS else CAMPAIGNS.index("other")


def rival_pull_from_ties(rows: list[dict], partners: tuple[str, ...], rivals: tuple[str, ...]) -> np.ndarray:
    """Rival pull R_i: the highest rank of i's ties with any rival, divided by 5 (0 without such a tie).

    A placeholder for an indicator of rival influence (issue 10) computed from ties alone.
    """
    index = {p: k for k, p in enumerate(partners)}
    out = np.zeros(len(partners))
    for r in rows:
        if r["patron"] in rivals and r["partner"] in index:
            k = index[r["partner"]]
            out[k] = max(out[k], min(r["rank"], 5) / 5.0)
    return out


def kb_state(year: int, *, patron: str = "USA", rivals: tuple[str, ...] = ("CHN", "RUS"), db: Any = None) -> KBState:
    """The model's state on 31 December of ``year`` read from the knowledge base."""
    rows, acts = _kb_year(year, (patron, *rivals), db)
    partners = tuple(sorted(a for a, v in acts.items() if v["kind"] == "state" and a != patron))
    index = {p: k for k, p in enumerate(partners)}
    level = np.zeros(len(partners), dtype=np.int8)
    driver = np.full(len(partners), CAMPAIGNS.index("other"), dtype=np.int8)
    for r in sorted((r for r in rows if r["patron"] == patron), key=lambda r: r["rank"]):
        k = index.get(r["partner"])
        if k is not None and r["rank"] >= level[k]:
            level[k] = min(r["rank"], 5)
            driver[k] = _campaign(r["driver"])
    return KBState(year, patron, partners, tuple(acts[p]["region"] or "" for p in partners), level, driver,
                   rival_pull_from_ties(rows, partners, rivals))


def observed_levels(start: int, end: int, partners: tuple[str, ...], *, patron: str = "USA",
                    db: Any = None) -> np.ndarray:
    """The patron's level with each partner on 31 December of each year ``start..end``: (years, partners)."""
    index = {p: k for k, p in enumerate(partners)}
    out = np.zeros((end - start + 1, len(partners)), dtype=np.int8)
    for y in range(start, end + 1):
        rows, _ = _kb_year(y, (patron,), db)
        for r in rows:
            k = index.get(r["partner"])
            if k is not None:
                out[y - start, k] = max(out[y - start, k], min(r["rank"], 5))
    return out
