"""Temporal queries over the store: ties at a date, snapshots, portfolios, change between dates,
an actor's history, events and sources.

Every function takes ``view="record"`` (the public record, the default) or ``view="briefing"`` (the
briefing's own dates and levels where the two disagree) and ``db`` (a path or :class:`~pactnet.store.Store`).
Dates may be full (``2021-12-31``) or partial (``2021``, ``2021-08``): see docs/data-model.md.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from collections.abc import Iterable
from itertools import combinations
from typing import TYPE_CHECKING, Any

from . import schema as S
from .errors import InputError
from .store import Store

if TYPE_CHECKING:  # pragma: no cover
    import networkx as nx
    import polars as pl

__all__ = [
    "ties",
    "tie_table",
    "actors",
    "snapshot",
    "portfolio",
    "diff",
    "history",
    "events",
    "sources",
    "disagreements",
]

_TIE_COLS = (
    "id, view, origin, source, target, source_ccode, target_ccode, directed, kind, level, rank, drivers, "
    "contents, flows, start_lo, start_hi, start_precision, start_text, end_lo, end_hi, end_precision, "
    "end_text, end_reason, status, vital, agent, via, note, disputed, sources, record_sources, "
    "briefing_note, attrs"
)

_PORTFOLIO_BY = ("level", "driver", "region", "kind")


def _store(db: Any) -> Store:
    return db if isinstance(db, Store) else Store(db)


def _view(view: str) -> str:
    if view not in S.VIEWS:
        raise InputError(f"unknown view {view!r}; expected 'record' or 'briefing'")
    return view


def _date(value: Any, name: str, *, end: bool = False) -> dt.date | None:
    if value is None:
        return None
    try:
        return S.parse_query_date(value, end_of_period=end)
    except ValueError:
        raise InputError(f"{name}: not a date: {value!r} (expected YYYY-MM-DD, YYYY-MM or YYYY)") from None


def _min_rank(min_level: str | int | None) -> int | None:
    if min_level is None:
        return None
    if isinstance(min_level, int):
        return min_level
    try:
        return S.level_rank(min_level)
    except ValueError as exc:
        raise InputError(f"min_level: {exc}") from None


# ------------------------------------------------------------------------------------------- loading


def _load(store: Store, view: str, origins: tuple[str, ...] = ("kb",)) -> tuple[list[dict], dict, dict]:
    """All ties of a view (as stored), their phases, and the actors."""
    con = store.connect()
    try:
        marks = ", ".join("?" for _ in origins)
        cur = con.execute(f"SELECT {_TIE_COLS} FROM ties WHERE view = ? AND origin IN ({marks})",
                          [view, *origins])
        cols = [c[0] for c in cur.description]
        rows = [dict(zip(cols, r, strict=True)) for r in cur.fetchall()]
        cur = con.execute("SELECT tie_id, name, start_lo, end_hi, level, rank, contents, status, note, sources, "
                          "start_text, end_text FROM tie_phases WHERE view = ? ORDER BY tie_id, seq", [view])
        phases: dict[str, list[dict]] = defaultdict(list)
        pcols = [c[0] for c in cur.description]
        for r in cur.fetchall():
            p = dict(zip(pcols, r, strict=True))
            phases[p.pop("tie_id")].append(p)
        cur = con.execute("SELECT id, name, kind, ccode, iso3, region, aliases, parent, members FROM actors")
        acols = [c[0] for c in cur.description]
        acts = {r[0]: dict(zip(acols, r, strict=True)) for r in cur.fetchall()}
    finally:
        con.close()
    return rows, phases, acts


def _active(t: dict, lo: dt.date, hi: dt.date) -> bool:
    """Whether a tie (or phase) overlaps the closed interval [lo, hi]."""
    return t["start_lo"] <= hi and (t["end_hi"] is None or t["end_hi"] >= lo)


def _at_phase(t: dict, phases: list[dict], lo: dt.date, hi: dt.date) -> dict:
    """The tie as it stands over [lo, hi]: the strongest phase overlapping it replaces level/contents/status."""
    active = [p for p in phases if _active(p, lo, hi)]
    if not active:
        return t
    p = max(active, key=lambda p: (p["rank"], p["start_lo"]))
    out = dict(t)
    out.update(level=p["level"], rank=p["rank"], phase=p["name"] or p["start_text"])
    if p["contents"] is not None:
        out["contents"] = p["contents"]
    if p["status"] is not None:
        out["status"] = p["status"]
    return out


def _derive_via(rows: list[dict], acts: dict[str, dict], lo: dt.date | None, hi: dt.date | None,
                actor_filter: set[str] | None) -> list[dict]:
    """State-to-state ties held through a common alliance organisation (both members at once)."""
    members: dict[str, list[dict]] = defaultdict(list)
    for t in rows:
        if t["kind"] != "alliance_membership":
            continue
        org = acts.get(t["target"])
        if org is None or org["kind"] not in S.ALLIANCE_ORG_KINDS:
            continue
        if lo is not None and not _active(t, lo, hi):
            continue
        members[t["target"]].append(t)
    out = []
    for org, ms in members.items():
        for a, b in combinations(sorted(ms, key=lambda m: m["source"]), 2):
            if a["source"] == b["source"]:
                continue
            if actor_filter is not None and a["source"] not in actor_filter and b["source"] not in actor_filter:
                continue
            start = max(a["start_lo"], b["start_lo"])
            ends = [e for e in (a["end_hi"], b["end_hi"]) if e is not None]
            end = min(ends) if ends else None
            if end is not None and end < start:
                continue
            first = a if a["start_lo"] >= b["start_lo"] else b
            rank = min(a["rank"], b["rank"])
            out.append({
                "id": f"via:{org}:{a['source']}-{b['source']}", "view": a["view"], "origin": "kb",
                "source": a["source"], "target": b["source"], "source_ccode": a["source_ccode"],
                "target_ccode": b["source_ccode"], "directed": False, "kind": "alliance_membership",
                "level": a["level"] if a["rank"] == rank else b["level"], "rank": rank,
                "drivers": list(first["drivers"] or []),
                "contents": ["defense_guarantee"], "flows": "{}",
                "start_lo": start, "start_hi": first["start_hi"], "start_precision": first["start_precision"],
                "start_text": first["start_text"],
                "end_lo": end, "end_hi": end, "end_precision": "day" if end else "open",
                "end_text": end.isoformat() if end else None,
                "end_reason": None, "status": None, "vital": bool(a["vital"] or b["vital"]), "agent": None,
                "via": org, "note": f"held through {org}: both are members",
                "disputed": bool(a["disputed"] or b["disputed"]),
                "sources": list(dict.fromkeys((a["sources"] or []) + (b["sources"] or []))),
                "record_sources": None, "briefing_note": None, "attrs": None,
                "derived_from": [a["id"], b["id"]],
            })
    return out


def _is_org_membership(t: dict, acts: dict[str, dict]) -> bool:
    org = acts.get(t["target"])
    return t["kind"] == "alliance_membership" and org is not None and org["kind"] in S.ALLIANCE_ORG_KINDS


def _public(t: dict) -> dict[str, Any]:
    """The JSON contract of a tie: ISO dates, ``end`` null while open."""
    out = {
        "id": t["id"], "source": t["source"], "target": t["target"], "directed": t["directed"],
        "kind": t["kind"], "level": t["level"], "rank": int(t["rank"]),
        "drivers": list(t["drivers"] or []), "contents": list(t["contents"] or []),
        "flows": json.loads(t["flows"]) if t.get("flows") else {},
        "start": t["start_lo"].isoformat(), "start_precision": t["start_precision"],
        "end": t["end_lo"].isoformat() if t["end_lo"] is not None else None,
        "end_precision": t["end_precision"], "end_reason": t["end_reason"], "status": t["status"],
        "via": t["via"], "vital": bool(t["vital"]), "agent": t["agent"], "note": t["note"],
        "disputed": bool(t["disputed"]), "view": t["view"], "origin": t.get("origin", "kb"),
        "sources": list(t["sources"] or []),
    }
    if t.get("phase"):
        out["phase"] = t["phase"]
    if t.get("derived_from"):
        out["derived_from"] = t["derived_from"]
    if t.get("attrs"):
        out["attrs"] = json.loads(t["attrs"])
    return out


def _touches(t: dict, actor: str) -> bool:
    return t["source"] == actor or t["target"] == actor


def _select(rows: Iterable[dict], *, patron: str | None, partner: str | None, kind: str | None,
            min_rank: int | None, driver: str | None) -> list[dict]:
    out = []
    for t in rows:
        if patron is not None and not _touches(t, patron):
            continue
        if partner is not None:
            if patron is not None:
                other = t["target"] if t["source"] == patron else t["source"]
                if other != partner:
                    continue
            elif not _touches(t, partner):
                continue
        if kind is not None and t["kind"] != kind:
            continue
        if min_rank is not None and t["rank"] < min_rank:
            continue
        if driver is not None and driver not in (t["drivers"] or []):
            continue
        out.append(t)
    return out


def _and(params: list[Any], *clauses: tuple[str, Any]) -> str:
    """`` AND``-joined SQL for the clauses whose value is given; their values are appended to ``params``."""
    sql = ""
    for clause, value in clauses:
        if value is not None:
            sql += f" AND {clause}"
            params.append(value)
    return sql


def _known(store: Store, table: str, value: str, label: str, hint: str) -> None:
    if not store.query(f"SELECT 1 FROM {table} WHERE id = ? LIMIT 1", [value]):
        raise InputError(f"{label}: unknown {label} {value!r} ({hint})")


def _check_datasets(store: Store, datasets: tuple[str, ...]) -> None:
    for name in datasets:
        if name == "kb":
            continue
        if not store.query("SELECT 1 FROM ties WHERE origin = ? LIMIT 1", [name]):
            raise InputError(f"dataset: no ties of dataset {name!r} in {store.path} "
                             f"(import it first: 'pactnet import {name} PATH')")


def _check_vocab(kind: str | None, driver: str | None, actor_ids: dict, *named: tuple[str, str | None]) -> None:
    if kind is not None and kind not in S.TIE_KINDS:
        raise InputError(f"kind: unknown tie kind {kind!r}; expected one of {', '.join(sorted(S.TIE_KINDS))}")
    if driver is not None and driver not in S.DRIVERS:
        raise InputError(f"driver: unknown driver {driver!r}; expected one of {', '.join(sorted(S.DRIVERS))}")
    for label, actor in named:
        if actor is not None and actor not in actor_ids:
            raise InputError(f"{label}: unknown actor {actor!r} (see 'pactnet actors')")


def _ties_at(store: Store, view: str, lo: dt.date | None, hi: dt.date | None, *, patron: str | None = None,
             partner: str | None = None, kind: str | None = None, min_rank: int | None = None,
             driver: str | None = None, via: bool = True, origins: tuple[str, ...] = ("kb",),
             patron_label: str = "patron") -> tuple[list[dict], dict]:
    rows, phases, acts = _load(store, view, origins)
    _check_datasets(store, tuple(o for o in origins if o != "kb"))
    _check_vocab(kind, driver, acts, (patron_label, patron), ("partner", partner))
    base = rows
    if lo is not None:
        base = [_at_phase(t, phases.get(t["id"], []), lo, hi) for t in rows if _active(t, lo, hi)]
    derived = []
    if via:
        focus = {a for a in (patron, partner) if a is not None} or None
        derived = _derive_via(rows, acts, lo, hi, focus)
    sel = _select(base + derived, patron=patron, partner=partner, kind=kind, min_rank=min_rank, driver=driver)
    sel.sort(key=lambda t: (-t["rank"], t["start_lo"], t["id"]))
    return sel, acts


# ------------------------------------------------------------------------------------------- public API


def ties(at: Any = None, *, patron: str | None = None, partner: str | None = None, kind: str | None = None,
         min_level: str | int | None = None, driver: str | None = None, view: str = "record",
         via: bool = True, datasets: Iterable[str] = (), db: Any = None) -> list[dict[str, Any]]:
    """Ties, optionally those active at a date, as dictionaries (the JSON contract).

    Parameters
    ----------
    at : date, optional
        Keep ties active on that day (a partial date means any day of that period). Phased ties report
        the level and contents of the phase active then.
    patron, partner : actor id, optional
        ``patron`` keeps ties with that actor at either end; ``partner`` then names the other end.
    kind : tie kind, optional
    min_level : commitment level or rank, optional
        ``"structured"`` keeps ranks 3 and up (never hostile ties).
    driver : driver, optional
    view : ``"record"`` (default) or ``"briefing"``
    via : bool
        Include state-to-state ties held through a common alliance organisation (``via: NATO``).
    datasets : names of imported datasets whose ties to include besides the knowledge base (``"atop"``).

    Returns
    -------
    list of dict
        Keys ``id, source, target, kind, level, rank, drivers, contents, start, end, sources`` and more;
        dates are ISO 8601, ``end`` is ``None`` while the tie is open.
    """
    view = _view(view)
    lo = _date(at, "at")
    hi = _date(at, "at", end=True)
    sel, _ = _ties_at(_store(db), view, lo, hi, patron=patron, partner=partner, kind=kind,
                      min_rank=_min_rank(min_level), driver=driver, via=via, origins=("kb", *datasets))
    return [_public(t) for t in sel]


def tie_table(view: str = "record", *, via: bool = True, datasets: Iterable[str] = (), db: Any = None
              ) -> pl.DataFrame:
    """Every tie of a view as a polars DataFrame in the store's layout (``source_ccode``, ``start_lo``,
    ``end_hi`` ...), with the ties derived through alliance organisations. Phases are not applied."""
    import polars as pl

    view = _view(view)
    rows, _, acts = _load(_store(db), view, ("kb", *datasets))
    derived = _derive_via(rows, acts, None, None, None) if via else []
    records = [{k: v for k, v in t.items() if k != "derived_from"} for t in rows + derived]
    schema = {"source_ccode": pl.Int32, "target_ccode": pl.Int32, "rank": pl.Int8,
              "drivers": pl.List(pl.Utf8), "contents": pl.List(pl.Utf8), "sources": pl.List(pl.Utf8),
              "record_sources": pl.List(pl.Utf8), "start_lo": pl.Date, "start_hi": pl.Date,
              "end_lo": pl.Date, "end_hi": pl.Date}
    return pl.DataFrame(records, schema_overrides=schema, infer_schema_length=None)


def actors(kind: str | None = None, *, db: Any = None) -> list[dict[str, Any]]:
    """Actors (states, organisations, armed groups ...) with ``id, name, kind, ccode, iso3, region``."""
    sql = "SELECT id, name, kind, ccode, iso3, region, aliases, parent, members, note, sources FROM actors"
    params: list[Any] = []
    if kind is not None:
        if kind not in S.ACTOR_KINDS:
            raise InputError(f"kind: unknown actor kind {kind!r}; expected one of {', '.join(sorted(S.ACTOR_KINDS))}")
        sql += " WHERE kind = ?"
        params.append(kind)
    return _store(db).query(sql + " ORDER BY id", params)


def snapshot(at: Any, *, view: str = "record", patron: str | None = None, min_level: str | int | None = None,
             via: bool = True, db: Any = None) -> nx.MultiDiGraph:
    """The network at a date as a networkx ``MultiDiGraph``.

    Nodes are actors with ``name, kind, ccode, iso3, region``; each active tie is one edge from
    ``source`` to ``target`` keyed by tie id, with ``kind, level, rank, directed, drivers, contents,
    start, end, via`` (symmetric ties have ``directed=False``).
    """
    import networkx as nx

    view = _view(view)
    lo, hi = _date(at, "at"), _date(at, "at", end=True)
    if lo is None:
        raise InputError("at: a date is required for a snapshot")
    sel, acts = _ties_at(_store(db), view, lo, hi, patron=patron, min_rank=_min_rank(min_level), via=via)
    g = nx.MultiDiGraph(date=lo.isoformat(), view=view)
    for t in sel:
        for a in (t["source"], t["target"]):
            if a not in g:
                info = acts.get(a, {})
                g.add_node(a, **{k: info.get(k) for k in ("name", "kind", "ccode", "iso3", "region")})
        pub = _public(t)
        g.add_edge(t["source"], t["target"], key=t["id"],
                   **{k: pub[k] for k in ("kind", "level", "rank", "directed", "drivers", "contents", "start",
                                          "end", "via", "sources")})
    return g


def portfolio(patron: str, start: Any = 1990, end: Any = 2024, *, by: str = "level", view: str = "record",
              via: bool = True, db: Any = None) -> pl.DataFrame:
    """A patron's ties per year, counted by commitment level, driver, partner region or kind.

    A tie counts in every year it is active on at least one day, at the strongest level it holds that
    year. With ``by="driver"`` a tie with two drivers counts under each. With ``via`` (the default) the
    patron's own memberships of alliance organisations are not counted: the ties it holds through them
    with each fellow member are (the US in NATO counts once per ally, not once more for NATO).

    Returns
    -------
    polars.DataFrame
        Columns ``year``, ``<by>``, ``ties`` (count), one row per year and group; zero counts included for
        levels.
    """
    import polars as pl

    if by not in _PORTFOLIO_BY:
        raise InputError(f"by: expected one of {', '.join(_PORTFOLIO_BY)}, got {by!r}")
    view = _view(view)
    y0 = _date(start, "start").year
    y1 = _date(end, "end", end=True).year
    if y1 < y0:
        raise InputError(f"end ({y1}) is before start ({y0})")
    store = _store(db)
    rows, phases, acts = _load(store, view)
    _check_vocab(None, None, acts, ("patron", patron))
    pool = _select(rows + _derive_via(rows, acts, None, None, {patron}) if via else rows, patron=patron,
                   partner=None, kind=None, min_rank=None, driver=None)
    if via:  # the ties held through an alliance organisation stand for the membership itself
        pool = [t for t in pool if not _is_org_membership(t, acts)]
    counts: dict[tuple[int, str], int] = defaultdict(int)
    for year in range(y0, y1 + 1):
        lo, hi = dt.date(year, 1, 1), dt.date(year, 12, 31)
        for t in pool:
            if not _active(t, lo, hi):
                continue
            t = _at_phase(t, phases.get(t["id"], []), lo, hi)
            if by == "level":
                keys = [t["level"]]
            elif by == "driver":
                keys = list(t["drivers"] or []) or ["unspecified"]
            elif by == "kind":
                keys = [t["kind"]]
            else:
                other = t["target"] if t["source"] == patron else t["source"]
                keys = [acts.get(other, {}).get("region") or "unspecified"]
            for k in keys:
                counts[(year, k)] += 1
    groups = list(S.LEVELS) if by == "level" else sorted({k for _, k in counts})
    data = [{"year": y, by: g, "ties": counts.get((y, g), 0)} for y in range(y0, y1 + 1) for g in groups]
    return pl.DataFrame(data, schema={"year": pl.Int32, by: pl.Utf8, "ties": pl.Int32})


def diff(start: Any, end: Any, *, patron: str | None = None, view: str = "record", via: bool = True,
         min_level: str | int | None = None, db: Any = None) -> dict[str, list[dict[str, Any]]]:
    """What changed between two dates: ties ``added``, ``ended``, ``upgraded``, ``downgraded`` and
    ``transient``.

    A tie is *added* if active at ``end`` but not at ``start``, *ended* if the reverse; a tie active at
    both whose phase level rose (fell) is *upgraded* (*downgraded*). Upgraded and downgraded entries carry
    ``level_before`` and ``rank_before``. *Transient* ties began after ``start`` and ended before ``end``
    (quick to form, quick to exit), so neither date sees them.
    """
    view = _view(view)
    d0, d1 = _date(start, "start"), _date(end, "end", end=True)
    if d1 < d0:
        raise InputError(f"end ({d1}) is before start ({d0})")
    store = _store(db)
    mr = _min_rank(min_level)
    a, _ = _ties_at(store, view, d0, d0, patron=patron, via=via, min_rank=mr)
    b, _ = _ties_at(store, view, d1, d1, patron=patron, via=via, min_rank=mr)
    before = {t["id"]: t for t in a}
    after = {t["id"]: t for t in b}
    out: dict[str, list[dict[str, Any]]] = {"added": [], "ended": [], "upgraded": [], "downgraded": [],
                                            "transient": []}
    span, _ = _ties_at(store, view, None, None, patron=patron, via=via, min_rank=mr)
    out["transient"] = [_public(t) for t in span
                        if t["start_lo"] > d0 and t["end_hi"] is not None and t["end_hi"] < d1]
    for tid, t in after.items():
        if tid not in before:
            out["added"].append(_public(t))
        elif t["rank"] != before[tid]["rank"]:
            rec = _public(t)
            rec.update(level_before=before[tid]["level"], rank_before=int(before[tid]["rank"]))
            out["upgraded" if t["rank"] > before[tid]["rank"] else "downgraded"].append(rec)
    for tid, t in before.items():
        if tid not in after:
            out["ended"].append(_public(t))
    for lst in out.values():
        lst.sort(key=lambda t: (t["start"], t["id"]))
    return out


def events(start: Any = None, end: Any = None, *, actor: str | None = None, kind: str | None = None,
           tie: str | None = None, view: str = "record", db: Any = None) -> list[dict[str, Any]]:
    """Events between two dates (inclusive), optionally involving an actor or a tie, oldest first.

    Each has ``id, date, date_precision, kind, actors, ties, sources, description``.
    """
    view = _view(view)
    if kind is not None and kind not in S.EVENT_KINDS:
        raise InputError(f"kind: unknown event kind {kind!r}; expected one of {', '.join(sorted(S.EVENT_KINDS))}")
    store = _store(db)
    if actor is not None:
        _known(store, "actors", actor, "actor", "see 'pactnet actors'")
    if tie is not None:
        _known(store, "ties", tie, "tie", "see 'pactnet ties'")
    sql = ("SELECT id, date_lo, date_precision, date_text, kind, actors, ties, description, note, disputed, "
           "sources FROM events WHERE view = ?")
    params: list[Any] = [view]
    sql += _and(params, ("date_hi >= ?", _date(start, "start")), ("date_lo <= ?", _date(end, "end", end=True)),
                ("list_contains(actors, ?)", actor), ("kind = ?", kind), ("list_contains(ties, ?)", tie))
    rows = store.query(sql + " ORDER BY date_lo, id", params)
    return [{
        "id": r["id"], "date": r["date_lo"].isoformat(), "date_precision": r["date_precision"],
        "kind": r["kind"], "actors": list(r["actors"] or []), "ties": list(r["ties"] or []),
        "description": r["description"], "note": r["note"], "disputed": bool(r["disputed"]),
        "sources": list(r["sources"] or []),
    } for r in rows]


def history(actor: str, *, view: str = "record", via: bool = True, db: Any = None) -> dict[str, Any]:
    """An actor's ties (all periods, oldest first) and the events that involve it."""
    view = _view(view)
    store = _store(db)
    sel, acts = _ties_at(store, view, None, None, patron=actor, via=via, patron_label="actor")
    sel.sort(key=lambda t: (t["start_lo"], t["id"]))
    return {"actor": acts[actor], "ties": [_public(t) for t in sel],
            "events": events(actor=actor, view=view, db=store)}


def sources(record: str | None = None, *, source: str | None = None, db: Any = None) -> list[dict[str, Any]]:
    """Sources with the records citing them; ``record`` keeps the citations of one record,
    ``source`` the uses of one source."""
    uses = ("SELECT record, type, view, source, locator FROM citations UNION ALL "
            "SELECT id, 'tie', view, split_part(c, '@', 1), split_part(c, '@', 2) "
            "FROM (SELECT id, view, unnest(sources) AS c FROM ties WHERE origin <> 'kb')")
    sql = ("SELECT s.id, s.kind, s.citation, s.address, c.record, c.type, c.view, c.locator "
           f"FROM sources s LEFT JOIN ({uses}) c ON c.source = s.id WHERE 1=1")
    params: list[Any] = []
    sql += _and(params, ("c.record = ?", record), ("s.id = ?", source))
    store = _store(db)
    rows = store.query(sql + " ORDER BY s.id, c.record, c.view, c.locator", params)
    if not rows and record is not None:
        raise InputError(f"record: no record {record!r} cites a source (unknown id?)")
    if not rows and source is not None:
        raise InputError(f"source: unknown source {source!r} (see 'pactnet sources')")
    return rows


def disagreements(*, db: Any = None) -> list[dict[str, Any]]:
    """Records whose briefing view differs from the public record, with both versions side by side."""
    store = _store(db)
    rows = store.query(
        "SELECT r.id, r.kind AS record_kind, b.kind AS briefing_kind, r.level AS record_level, "
        "b.level AS briefing_level, r.start_text AS record_start, b.start_text AS briefing_start, "
        "r.end_text AS record_end, b.end_text AS briefing_end, r.sources AS record_sources, "
        "b.sources AS briefing_sources, b.briefing_note AS note, "
        "CASE WHEN r.id IS NULL THEN 'briefing only' WHEN b.id IS NULL THEN 'record only' END AS only "
        "FROM (SELECT * FROM ties WHERE view='record' AND origin='kb') r "
        "FULL JOIN (SELECT * FROM ties WHERE view='briefing' AND origin='kb') b USING (id) "
        "WHERE r.disputed OR b.disputed OR r.id IS NULL OR b.id IS NULL ORDER BY id")
    ev = store.query(
        "SELECT r.id, r.date_text AS record_start, b.date_text AS briefing_start, r.sources AS record_sources, "
        "b.sources AS briefing_sources FROM (SELECT * FROM events WHERE view='record') r "
        "FULL JOIN (SELECT * FROM events WHERE view='briefing') b USING (id) WHERE r.disputed OR b.disputed")
    return [{"type": "tie", **r} for r in rows] + [{"type": "event", **e} for e in ev]
