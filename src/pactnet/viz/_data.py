"""The one place where viz and web read the library core (``pactnet.network``).

The core returns typed polars frames (docs/api.md); only this module knows their shape, and it hands the rest of
the package plain dictionaries with ISO date strings.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from .. import network
from ..store import Store

__all__ = ["ties", "actors", "portfolio", "changes", "history", "citations", "disagreements", "latest_year"]


def _rows(value: Any) -> list[dict[str, Any]]:
    """Rows as dictionaries with ISO dates, whether the core returned a polars frame or a list of dicts."""
    rows = value.to_dicts() if hasattr(value, "to_dicts") else list(value)
    return [{k: v.isoformat() if isinstance(v, dt.date) else v for k, v in r.items()} for r in rows]


def ties(at: Any = None, *, patron: str | None = None, view: str = "record", via: bool = True,
         db: Any = None) -> list[dict[str, Any]]:
    """Ties active on the day ``at`` (a bare year: its last day; every tie, all periods, without it): id, source,
    target, kind, level, rank, drivers, start, end, via, sources ..."""
    return _rows(network.ties(at, patron=patron, view=view, via=via, db=db))


_ACTORS: dict[tuple, dict[str, dict[str, Any]]] = {}


def actors(*, db: Any = None) -> dict[str, dict[str, Any]]:
    """Actors by id: name, kind, ccode, iso3, region (remembered until the store file changes)."""
    store = db if isinstance(db, Store) else Store(db)
    try:
        key = (str(store.path), store.path.stat().st_mtime_ns)
    except OSError:
        key = None
    if key is None or key not in _ACTORS:
        found = {a["id"]: a for a in _rows(network.actors(db=store))}
        if key is None:
            return found
        _ACTORS.clear()
        _ACTORS[key] = found
    return _ACTORS[key]


def portfolio(patron: str, start: int, end: int, *, by: str, view: str, db: Any = None) -> list[dict[str, Any]]:
    """Rows ``year, <by>, ties``."""
    return _rows(network.portfolio(patron, start=start, end=end, by=by, view=view, db=db))


def changes(start: Any, end: Any, *, patron: str, view: str, db: Any = None) -> dict[str, list[dict[str, Any]]]:
    """Ties added, ended, upgraded, downgraded and transient between two dates, by change."""
    out: dict[str, list[dict[str, Any]]] = {k: [] for k in ("added", "ended", "upgraded", "downgraded",
                                                             "transient")}
    for row in _rows(network.diff(start, end, patron=patron, view=view, db=db)):
        out.setdefault(row["change"], []).append(row)
    return out


def history(actor: str, *, view: str, db: Any = None) -> dict[str, Any]:
    """An actor's record, its ties (all periods) and the events that involve it."""
    return {"actor": actors(db=db)[actor], "ties": _rows(network.ties(patron=actor, view=view, via=True, db=db)),
            "events": _rows(network.events(actor=actor, view=view, db=db))}


def citations(record: str | None = None, *, source: str | None = None, db: Any = None) -> list[dict[str, Any]]:
    """Sources (id, kind, citation, address) with the records citing them (record, view, locator)."""
    return _rows(network.sources(record, source=source, db=db))


def disagreements(*, db: Any = None) -> list[dict[str, Any]]:
    """Records whose briefing view differs from the record, both versions side by side."""
    return _rows(network.disagreements(db=db))


def latest_year(*, db: Any = None) -> int:
    """The last year any tie starts or ends in (at least the current year of the data, never before 2022)."""
    years = [int(d[:4]) for t in ties(db=db) for d in (t["start"], t["end"]) if d]
    return max([2022, *years])
