"""Rules that span records: the briefing's paragraphs and what they name, successions, same-kind
overlaps, drivers.

These run after every record is resolved (they need all ties at once):

* **paragraphs** (``paragraphs:`` in ``briefing.yaml``): each briefing paragraph lists the actors it names and
  the items it names, each item with a verbatim ``quote`` and the ``records`` that represent it, or the
  ``reason`` it is not represented. ``docs/coverage.md`` is generated from them.
* **no same-kind overlap**: two ties of one kind between the same pair (same direction for directed kinds)
  never hold on the same day, in either view. A programme upgrade is an ended tie and its successor, or a phase.
* **successions meet**: a tie's ``successor`` starts on the tie's ``end`` day (ends are the first day a tie no
  longer holds: a tie holds over ``[start, end)``).
* **drivers**: every tie names its drivers or gives ``drivers_reason``, why none is stated.
* **briefing views cite a line that names the pair**: a tie's briefing view (a ``briefing:`` override or
  ``views: [briefing]``) cites at least one paragraph whose ``names`` include both of its ends.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from .. import schema as S
from ..errors import UnknownReference, ValidationError

__all__ = ["check_rules", "resolve_paragraphs", "exclusive_end"]

_PARAGRAPH_FIELDS = {"id", "names", "items", "note"}
_ITEM_FIELDS = {"item", "quote", "records", "reason"}


def exclusive_end(end: S.FuzzyDate | None) -> dt.date | None:
    """The first day a tie no longer holds: a day-precision end is that day; a partial end (``2014-05``,
    ``2014``, ``~2014``) holds to the end of its period, so the day after it. ``None`` while open."""
    if end is None:
        return None
    if end.precision == "day":
        return end.lo
    return end.hi + dt.timedelta(days=1)


def _err(col: Any, msg: str, rec: dict[str, Any], fld: str | None, *, expected: str | None = None,
         got: Any = None, cls: type[ValidationError] = ValidationError, record: str | None = None,
         line: int | None = None) -> None:
    col.add(cls(msg, file=rec.get("file"), line=line or rec.get("line"), record=record or rec.get("id"),
                field=fld, expected=expected, got=got))


# ------------------------------------------------------------------------------------------- paragraphs


def resolve_paragraphs(raws: list[Any], kb: Any, col: Any) -> None:
    """Check and store the briefing's paragraphs (``kb.paragraphs``)."""
    from .validate import _line

    if not raws:
        return
    record_ids = {t["id"] for t in kb.ties} | {e["id"] for e in kb.events} | set(kb.actors)
    briefing = kb.sources.get("briefing")
    allowed = briefing.get("locators") if briefing else None
    seen: set[str] = set()
    for raw in raws:
        rec = raw.data
        pid = rec.get("id")
        where = {"file": raw.file, "line": rec.line, "id": str(pid)}
        for key in rec:
            if key not in _PARAGRAPH_FIELDS:
                _err(col, f"unknown field {key!r}", where, str(key), line=_line(rec, key),
                     expected="one of " + ", ".join(sorted(_PARAGRAPH_FIELDS)))
        if not isinstance(pid, str) or not pid.startswith("L") or (allowed is not None and pid not in allowed):
            _err(col, "a paragraph's id is its briefing locator", where, "id", got=pid,
                 expected="L<n>, one of the briefing source's locators")
            continue
        if pid in seen:
            _err(col, "duplicate paragraph", where, "id")
            continue
        seen.add(pid)
        names: list[str] = []
        quoted: dict[str, str] = {}
        for entry in rec.get("names") or []:
            actor = entry.get("actor") if isinstance(entry, dict) else entry
            if isinstance(entry, dict) and set(entry) - {"actor", "as"}:
                _err(col, "a name is an actor id or {actor: ID, as: 'words in the paragraph'}", where, "names",
                     line=_line(rec, "names"), got=entry)
            if not isinstance(actor, str) or actor not in kb.actors:
                _err(col, f"names unknown actor {actor!r}", where, "names", line=_line(rec, "names"),
                     cls=UnknownReference, got=actor, expected="the id of a record in actors:")
                continue
            names.append(actor)
            if isinstance(entry, dict) and entry.get("as"):
                quoted[actor] = str(entry["as"])
        items_raw = rec.get("items")
        if not isinstance(items_raw, list):
            _err(col, "a paragraph lists the items it names", where, "items", expected="- {item: ..., quote: ...}")
            items_raw = []
        items: list[dict[str, Any]] = []
        for i, it in enumerate(items_raw, 1):
            iwhere = {"file": raw.file, "line": getattr(it, "line", rec.line), "id": f"{pid} item {i}"}
            if not isinstance(it, dict):
                _err(col, "an item is a mapping", iwhere, "items")
                continue
            for key in it:
                if key not in _ITEM_FIELDS:
                    _err(col, f"unknown field {key!r}", iwhere, str(key),
                         expected="one of " + ", ".join(sorted(_ITEM_FIELDS)))
            for key in ("item", "quote"):
                if not isinstance(it.get(key), str) or not it[key].strip():
                    _err(col, "required field is missing", iwhere, key)
            records = it.get("records") or []
            if isinstance(records, str):
                records = [records]
            for r in records:
                if r not in record_ids:
                    _err(col, f"record {r!r} is not defined", iwhere, "records", cls=UnknownReference, got=r,
                         expected="the id of a tie, event or actor")
            reason = it.get("reason")
            if not records and not (isinstance(reason, str) and reason.strip()):
                _err(col, "an item is represented by records or says why it is not", iwhere, "records",
                     expected="records: [ids] or reason: '...'")
            items.append({"item": it.get("item"), "quote": it.get("quote"), "records": list(records),
                          "reason": reason})
        kb.paragraphs.append({"id": pid, "names": names, "quoted": quoted, "items": items,
                              "note": rec.get("note"), "file": raw.file, "line": rec.line})
    kb.paragraphs.sort(key=lambda p: int(p["id"][1:]))


# ------------------------------------------------------------------------------------------------ rules


def check_rules(kb: Any, col: Any) -> None:
    """The cross-record rules (module docstring); each breach is a located :class:`ValidationError`."""
    _check_overlaps(kb, col)
    _check_successions(kb, col)
    _check_drivers(kb, col)
    _check_briefing_names(kb, col)


def _check_overlaps(kb: Any, col: Any) -> None:
    # Sort and sweep: the ties of one (view, kind, pair) in order of start; each tie is compared with the ties
    # after it until the first that starts once it has ended (every later one starts later still).
    groups: dict[tuple[str, ...], list[dict[str, Any]]] = {}
    for t in kb.ties:
        src, tgt = t["source"], t["target"]
        if t["start"] is not None and isinstance(src, str) and isinstance(tgt, str):
            if not t["directed"] and tgt < src:  # an undirected pair, in sorted order
                src, tgt = tgt, src
            groups.setdefault((t["view"], t["kind"], src, tgt), []).append(t)
    for (view, kind, _src, _tgt), ties in groups.items():
        if len(ties) < 2:
            continue
        ties.sort(key=lambda t: (t["start"].lo, t["id"]))
        for i, a in enumerate(ties):
            a_end = exclusive_end(a["end"])
            for b in ties[i + 1:]:
                # Strict: a partial end holds to the end of its period, so equal partial dates still overlap.
                if a_end is not None and b["start"].lo >= a_end:
                    break
                _err(col, f"{kind} tie overlaps {a['id']} ({a['start'].text} to "
                          f"{a['end'].text if a['end'] else 'open'}) in the {view} view", b, "start",
                     expected=f"a start on or after {a_end.isoformat() if a_end else 'its end'} (the first day "
                              f"{a['id']} no longer holds); model an upgrade as a phase, or end the first tie with "
                              "a successor",
                     got=b["start"].text)


def _check_successions(kb: Any, col: Any) -> None:
    with_successor = [t for t in kb.ties if t["successor"] is not None]
    if not with_successor:
        return
    by_view = {(t["id"], t["view"]): t for t in kb.ties}
    ids = {t["id"] for t in kb.ties}
    for t in with_successor:
        succ_id = t["successor"]
        if succ_id not in ids:
            _err(col, f"successor {succ_id!r} is not defined", t, "successor", cls=UnknownReference,
                 expected="the id of a tie")
            continue
        if t["end"] is None:
            if t["view"] != "record":  # the briefing view may reopen a tie (no succession in that view)
                continue
            _err(col, "a tie with a successor must end", t, "end", expected="the day the successor starts")
            continue
        succ = by_view.get((succ_id, t["view"])) or by_view.get((succ_id, "record"))
        if succ is None or succ["start"] is None:
            continue
        if (succ["start"].lo, succ["start"].hi) != (t["end"].lo, t["end"].hi):
            _err(col, f"succession does not meet: {t['id']} ends {t['end'].text} but its successor {succ_id} "
                      f"starts {succ['start'].text} ({t['view']} view)", t, "end",
                 expected=f"end: {succ['start'].text} (an end is the first day the tie no longer holds)",
                 got=t["end"].text)


def _check_drivers(kb: Any, col: Any) -> None:
    record_ids: set[str] | None = None  # built on the first tie that breaks the rule in some view
    for t in kb.ties:
        if bool(t["drivers"]) is not bool(t["drivers_reason"]):
            continue
        if record_ids is None:
            record_ids = {x["id"] for x in kb.ties if x["view"] == "record"}
        if t["view"] == "record" or t["id"] not in record_ids:
            if not t["drivers"] and not t["drivers_reason"]:
                _err(col, "names no drivers", t, "drivers",
                     expected="drivers: [" + ", ".join(sorted(S.DRIVERS)) + "], or drivers_reason: why none is "
                              "stated")
            elif t["drivers"] and t["drivers_reason"]:
                _err(col, "drivers_reason is for a tie with no drivers", t, "drivers_reason",
                     expected="drivers or drivers_reason, not both")


def _briefing_view_ties(kb: Any) -> list[dict[str, Any]]:
    record_ids = {t["id"] for t in kb.ties if t["view"] == "record"}
    return [t for t in kb.ties if t["view"] == "briefing" and (t["disputed"] or t["id"] not in record_ids)]


def _check_briefing_names(kb: Any, col: Any) -> None:
    if not kb.paragraphs:
        return
    names = {p["id"]: set(p["names"]) for p in kb.paragraphs}
    for t in _briefing_view_ties(kb):
        if not (isinstance(t["source"], str) and isinstance(t["target"], str)):
            continue  # a malformed end is reported where it is read
        lines = [c.split("@", 1)[1] for c in t["sources"] if c.startswith("briefing@L")]
        if not lines:
            _err(col, "the briefing view cites no briefing paragraph", t, "sources",
                 record=f"{t['id']} (briefing view)", expected="a 'briefing@L<n>' citation")
            continue
        if not any({t["source"], t["target"]} <= names.get(ln, set()) for ln in lines):
            _err(col, f"no cited paragraph ({', '.join(lines)}) names both {t['source']} and {t['target']}", t,
                 "sources", record=f"{t['id']} (briefing view)",
                 expected="a briefing paragraph whose names (briefing.yaml) include both ends of the tie")
