"""What each view of the dashboard and the report shows, as JSON-ready dictionaries.

The web app serves these as its JSON endpoints, :mod:`pactnet.viz.figures` draws them, and the report and the
``figure`` command reuse both. Parameters are the library's own (``at``, ``patron``, ``view`` ...); bad values raise
:class:`~pactnet.errors.InputError` naming the parameter.
"""

from __future__ import annotations

import math
from collections import defaultdict
from typing import Any

from .. import schema as S
from ..errors import InputError
from ..store import Store
from . import _data

__all__ = [
    "network_view",
    "map_view",
    "portfolio_view",
    "changes_view",
    "actor_view",
    "source_view",
    "layout_positions",
]

_PORTFOLIO_BY = ("level", "driver")


def _store(db: Any) -> Store:
    return db if isinstance(db, Store) else Store(db)


def _check(name: str, value: str | None, allowed: Any) -> None:
    if value is not None and value not in allowed:
        raise InputError(f"{name}: unknown {name} {value!r}; expected one of {', '.join(sorted(allowed))}")


def _other(t: dict[str, Any], actor: str) -> str:
    return t["target"] if t["source"] == actor else t["source"]


def _pair(t: dict[str, Any]) -> str:
    return "-".join(sorted((t["source"], t["target"])))


_LAYOUTS: dict[tuple, dict[str, tuple[float, float]]] = {}


def layout_positions(view: str = "record", *, db: Any = None) -> dict[str, tuple[float, float]]:
    """Fixed node positions (a seeded spring layout of every tie ever held), so that nodes stay put while the date
    changes. Cached per store file and its modification time."""
    import networkx as nx

    store = _store(db)
    try:
        stamp = store.path.stat().st_mtime_ns
    except OSError:
        stamp = None
    key = (str(store.path), stamp, view)
    if key not in _LAYOUTS:
        g = nx.Graph()
        for t in _data.ties(view=view, via=False, db=store):
            g.add_edge(t["source"], t["target"])
        pos = nx.spring_layout(g, seed=7, k=1.6 / math.sqrt(max(g.number_of_nodes(), 1)), iterations=80)
        _LAYOUTS[key] = {n: (round(float(x), 4), round(float(y), 4)) for n, (x, y) in pos.items()}
    return _LAYOUTS[key]


_RADIUS = {5: 1.0, 4: 1.4, 3: 1.8, 2: 2.2, 1: 2.6, -1: 3.0}


def _radial(patron: str, pairs: dict[str, dict[str, Any]], acts: dict[str, dict[str, Any]]
            ) -> dict[str, tuple[float, float]]:
    """The patron at the centre; each partner at a fixed angle (every actor ordered by region, then id) and at a
    distance set by its strongest tie: guarantees on the inner ring, hostile ties on the outer one."""
    order = sorted((a for a in acts if a != patron), key=lambda a: (acts[a].get("region") or "~", a))
    angle = {a: 2 * math.pi * i / max(len(order), 1) for i, a in enumerate(order)}
    pos = {patron: (0.0, 0.0)}
    for p in pairs.values():
        other = p["b"] if p["a"] == patron else p["a"]
        r = _RADIUS.get(p["rank"], 3.0)
        pos[other] = (round(r * math.cos(angle.get(other, 0.0)), 4), round(r * math.sin(angle.get(other, 0.0)), 4))
    return pos


def network_view(at: Any, *, view: str = "record", patron: str | None = "USA", level: str | None = None,
                 driver: str | None = None, region: str | None = None, via: bool = True,
                 db: Any = None) -> dict[str, Any]:
    """The network at a date: actors with positions, ties, and for each pair of actors its strongest tie.

    With a ``patron`` the layout is radial (the patron in the centre, partners at fixed angles grouped by region,
    nearer the stronger their tie); without one, a fixed spring layout of every tie ever held.

    ``patron`` keeps the ties with that actor (``None`` keeps every tie); ``level`` keeps ties of that commitment
    level, ``driver`` those with that driver, ``region`` those whose other end (either end without a patron) lies in
    that region.
    """
    store = _store(db)
    _check("level", level, S.LEVELS)
    _check("driver", driver, S.DRIVERS)
    acts = _data.actors(db=store)
    _check("region", region, {a["region"] for a in acts.values() if a.get("region")})
    rows = _data.ties(at, patron=patron, view=view, via=via, db=store)
    if level is not None:
        rows = [t for t in rows if t["level"] == level]
    if driver is not None:
        rows = [t for t in rows if driver in (t["drivers"] or [])]
    if region is not None:
        ends = (lambda t: [_other(t, patron)]) if patron else (lambda t: [t["source"], t["target"]])
        rows = [t for t in rows if any(acts.get(a, {}).get("region") == region for a in ends(t))]
    pairs: dict[str, dict[str, Any]] = {}
    for t in rows:
        p = pairs.setdefault(_pair(t), {"pair": _pair(t), "a": min(t["source"], t["target"]),
                                        "b": max(t["source"], t["target"]), "level": t["level"], "rank": t["rank"],
                                        "ties": []})
        p["ties"].append(t["id"])
        if t["rank"] > p["rank"]:
            p["level"], p["rank"] = t["level"], t["rank"]
    ids = sorted({a for t in rows for a in (t["source"], t["target"])})
    pos = _radial(patron, pairs, acts) if patron else layout_positions(view, db=store)
    nodes = []
    for i, a in enumerate(ids):
        info = acts.get(a, {})
        x, y = pos.get(a, (math.cos(i), math.sin(i)))
        nodes.append({"id": a, "name": info.get("name") or a, "kind": info.get("kind"), "region": info.get("region"),
                      "x": x, "y": y})
    keep = ("id", "source", "target", "kind", "level", "rank", "drivers", "start", "end", "via", "phase")
    return {
        "at": str(at), "view": view,
        "filters": {"patron": patron, "level": level, "driver": driver, "region": region, "via": via},
        "nodes": nodes,
        "ties": [{k: t.get(k) for k in keep} for t in rows],
        "pairs": sorted(pairs.values(), key=lambda p: (-p["rank"], p["pair"])),
    }


def map_view(at: Any, *, patron: str = "USA", view: str = "record", db: Any = None) -> dict[str, Any]:
    """The patron's strongest commitment level with each country at a date (ties held through an alliance
    organisation count: NATO members are guarantees). Actors without an ISO-3 code are listed apart."""
    store = _store(db)
    acts = _data.actors(db=store)
    if patron not in acts:
        raise InputError(f"patron: unknown actor {patron!r}")
    best: dict[str, dict[str, Any]] = {}
    for t in _data.ties(at, patron=patron, view=view, via=True, db=store):
        other = _other(t, patron)
        if other == patron:
            continue
        cur = best.get(other)
        if cur is None or t["rank"] > cur["rank"]:
            best[other] = {"level": t["level"], "rank": t["rank"], "ties": [t["id"]]}
        elif t["id"] not in cur["ties"]:
            cur["ties"].append(t["id"])
    countries, elsewhere = [], []
    for a, b in sorted(best.items()):
        info = acts.get(a, {})
        rec = {"actor": a, "name": info.get("name") or a, "iso3": info.get("iso3"), **b}
        (countries if info.get("iso3") else elsewhere).append(rec)
    return {"at": str(at), "view": view, "patron": patron, "patron_iso3": acts[patron].get("iso3"),
            "countries": countries, "not_on_map": elsewhere}


def portfolio_view(patron: str = "USA", start: int = 1945, end: int = 2024, *, by: str = "level",
                   view: str = "record", db: Any = None) -> dict[str, Any]:
    """The patron's ties per year, by commitment level or driver (a tie with two drivers counts under each)."""
    if by not in _PORTFOLIO_BY:
        raise InputError(f"by: expected one of {', '.join(_PORTFOLIO_BY)}, got {by!r}")
    rows = _data.portfolio(patron, start, end, by=by, view=view, db=db)
    groups = list(dict.fromkeys(r[by] for r in rows))
    if by == "level":
        groups = [g for g in S.LEVELS if any(r[by] == g and r["ties"] for r in rows)]
    years = list(range(int(start), int(end) + 1))
    counts = {(r["year"], r[by]): r["ties"] for r in rows}
    series = {g: [counts.get((y, g), 0) for y in years] for g in groups}
    return {"patron": patron, "view": view, "by": by, "years": years, "series": series}


def changes_view(patron: str = "USA", start: Any = 2006, end: Any = 2022, *, view: str = "record",
                 db: Any = None) -> dict[str, Any]:
    """Ties added and ended between the first day of ``start`` and the last day of ``end`` (and those formed and
    ended in between); ties held through an alliance organisation are counted apart."""
    d = _data.changes(f"{start}", f"{end}", patron=patron, view=view, db=db)
    s = str(start) if len(str(start)) > 4 else f"{start}-01-01"
    e = str(end) if len(str(end)) > 4 else f"{end}-12-31"
    out: dict[str, Any] = {"patron": patron, "view": view, "start": s, "end": e}
    for label in ("added", "ended", "upgraded", "downgraded", "transient"):
        out[label] = [{"id": t["id"], "partner": _other(t, patron), "kind": t["kind"], "level": t["level"],
                       "start": t["start"], "end": t["end"], "end_reason": t.get("end_reason"), "via": t.get("via"),
                       "sources": t.get("sources") or []} for t in d.get(label, [])]
    return out


_COMPARED = ("kind", "level", "start", "end", "end_reason", "status")


def actor_view(actor: str, *, db: Any = None) -> dict[str, Any]:
    """An actor's ties and events on one timeline, each with its citations (source, locator, address); where the
    briefing and the public record disagree about a tie, both versions with the fields that differ."""
    store = _store(db)
    acts = _data.actors(db=store)
    if actor not in acts:
        raise InputError(f"actor: unknown actor {actor!r}")
    rec = _data.history(actor, view="record", db=store)
    brief = _data.history(actor, view="briefing", db=store)
    sources = {s["id"]: s for s in _data.citations(db=store) if s.get("id")}

    def cite(refs: list[str]) -> list[dict[str, Any]]:
        out = []
        for ref in refs or []:
            sid, _, loc = ref.partition("@")
            s = sources.get(sid, {})
            out.append({"source": sid, "locator": loc, "citation": s.get("citation"), "address": s.get("address")})
        return out

    b_ties = {t["id"]: t for t in brief["ties"]}
    r_ids = {t["id"] for t in rec["ties"]}
    items = []
    for t in rec["ties"]:
        other = b_ties.get(t["id"])
        item = {"type": "tie", "id": t["id"], "date": t["start"], "end": t["end"], "with": _other(t, actor),
                "kind": t["kind"], "level": t["level"], "via": t.get("via"), "note": t.get("note"),
                "citations": cite(t["sources"]), "briefing": None}
        if t.get("disputed") or (other is not None and any(other.get(k) != t.get(k) for k in _COMPARED)):
            if other is None:
                item["briefing"] = {"absent": True}
            else:
                item["briefing"] = {"differs": [k for k in _COMPARED if other.get(k) != t.get(k)],
                                    **{k: other.get(k) for k in _COMPARED}, "citations": cite(other["sources"])}
        items.append(item)
    for t in brief["ties"]:
        if t["id"] not in r_ids:
            items.append({"type": "tie", "id": t["id"], "date": t["start"], "end": t["end"],
                          "with": _other(t, actor), "kind": t["kind"], "level": t["level"], "via": t.get("via"),
                          "note": t.get("note"), "citations": [], "record_absent": True,
                          "briefing": {"differs": ["only in the briefing"], **{k: t.get(k) for k in _COMPARED},
                                       "citations": cite(t["sources"])}})
    b_events = {e["id"]: e for e in brief["events"]}
    for e in rec["events"]:
        other = b_events.get(e["id"])
        item = {"type": "event", "id": e["id"], "date": e["date"], "end": None, "kind": e["kind"],
                "with": ", ".join(a for a in e["actors"] if a != actor), "description": e["description"],
                "citations": cite(e["sources"]), "briefing": None}
        if other is not None and other["date"] != e["date"]:
            item["briefing"] = {"differs": ["date"], "date": other["date"], "citations": cite(other["sources"])}
        items.append(item)
    items.sort(key=lambda i: (i["date"] or "", i["type"], i["id"]))
    info = rec["actor"]
    try:
        own = [c for c in _data.citations(actor, db=store) if c.get("type") == "actor"]
    except InputError:  # an actor that cites nothing itself
        own = []
    own_refs = list(dict.fromkeys(f"{c['id']}@{c['locator']}" for c in own))
    return {"actor": {k: info.get(k) for k in ("id", "name", "kind", "ccode", "iso3", "region", "note")},
            "citations": cite(own_refs), "timeline": items}


def source_view(source: str, *, db: Any = None) -> dict[str, Any]:
    """A source (citation, address) and every record that cites it, with the locator."""
    rows = _data.citations(source=source, db=db)
    first = rows[0]
    uses = defaultdict(set)
    for r in rows:
        if r.get("record"):
            uses[(r["record"], r.get("type"), r.get("locator"))].add(r.get("view") or "")
    return {"id": first["id"], "kind": first.get("kind"), "citation": first.get("citation"),
            "address": first.get("address"),
            "cited_by": [{"record": rec, "type": typ, "locator": loc, "views": sorted(v for v in views if v)}
                         for (rec, typ, loc), views in sorted(uses.items(), key=lambda kv: tuple(map(str, kv[0])))]}
