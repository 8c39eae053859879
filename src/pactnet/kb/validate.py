"""Validate knowledge-base files and turn them into resolved records, one per view.

The checks: file structure, required and unknown fields, vocabularies, id formats and uniqueness,
referential integrity (actors, ties, sources), date order, phases inside their tie and not
overlapping, and a citation with a locator on every record; then the cross-record rules of
:mod:`pactnet.kb.rules` (same-kind overlaps, successions, drivers, briefing paragraphs). Every problem is a
:class:`~pactnet.errors.ValidationError` that names the file, line, record and field.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import schema as S
from .._gc import paused
from ..errors import MissingSource, UnknownReference, ValidationError
from .yamlio import LineDict, load_yaml, load_yaml_fast

__all__ = ["KnowledgeBase", "load_files", "DATA_DIR", "kb_files"]

DATA_DIR = Path(__file__).with_name("data")

_ACTOR_ID = re.compile(r"^[A-Z][A-Z0-9_]*$")
_SLUG = re.compile(r"^[a-z0-9][a-z0-9._:-]*$")

_SOURCE_FIELDS = {"id", "citation", "address", "kind", "note", "accessed", "locators"}
_ACTOR_FIELDS = {"id", "name", "kind", "ccode", "iso3", "region", "aliases", "parent", "members", "sources", "note"}
_TIE_FIELDS = {
    "id", "source", "target", "directed", "kind", "level", "drivers", "contents", "flows", "start", "end",
    "end_reason", "status", "vital", "phases", "agent", "note", "sources", "briefing", "views", "via",
    "programme", "successor", "drivers_reason",
}
_OVERRIDABLE_TIE = _TIE_FIELDS - {"id", "briefing", "views", "phases", "via"}
_TOP_LEVEL = {"sources": "source", "actors": "actor", "ties": "tie", "events": "event", "paragraphs": "paragraph"}
_PHASE_FIELDS = {"start", "end", "level", "contents", "status", "note", "sources", "name"}
_EVENT_FIELDS = {"id", "date", "kind", "actors", "ties", "description", "sources", "briefing", "views", "note"}
_OVERRIDABLE_EVENT = _EVENT_FIELDS - {"id", "briefing", "views"}


def kb_files(kb_dir: str | Path | None = None) -> list[Path]:
    """The knowledge base's YAML files, in a stable order."""
    root = Path(kb_dir) if kb_dir is not None else DATA_DIR
    if root.is_file():
        return [root]
    files = sorted(p for p in root.glob("*.y*ml") if p.suffix in (".yaml", ".yml"))
    for p in files:  # a named pipe or a device would block or never end: refuse it before anything reads it
        if not p.is_file():
            raise ValidationError("not a regular file", file=str(p), expected="a YAML file")
    return files


@dataclass
class KnowledgeBase:
    """Validated, resolved records. Ties and events hold one entry per view they exist in."""

    sources: dict[str, dict[str, Any]] = field(default_factory=dict)
    actors: dict[str, dict[str, Any]] = field(default_factory=dict)
    ties: list[dict[str, Any]] = field(default_factory=list)
    events: list[dict[str, Any]] = field(default_factory=list)
    citations: list[dict[str, Any]] = field(default_factory=list)
    paragraphs: list[dict[str, Any]] = field(default_factory=list)
    files: list[Path] = field(default_factory=list)
    attributes: list[dict[str, Any]] = field(default_factory=list)  # checked by kb/attributes.py

    def counts(self) -> dict[str, int]:
        """How many records of each type (ties and events counted once, whatever their views), and how
        completely the ties are coded and the briefing covered."""
        record_ids = {t["id"] for t in self.ties if t["view"] == "record"}
        record = [t for t in self.ties if t["view"] == "record" or t["id"] not in record_ids]  # one entry per tie
        items = [i for p in self.paragraphs for i in p["items"]]
        return {
            "sources": len(self.sources),
            "actors": len(self.actors),
            "ties": len({t["id"] for t in self.ties}),
            "events": len({e["id"] for e in self.events}),
            "disagreements": len({t["id"] for t in self.ties if t["disputed"]}
                                 | {e["id"] for e in self.events if e["disputed"]}),
            "ties_with_drivers": sum(1 for t in record if t["drivers"]),
            "ties_without_drivers_reasoned": sum(1 for t in record if not t["drivers"] and t["drivers_reason"]),
            "programme_ties": sum(1 for t in record if t["programme"]),
            "successions": sum(1 for t in record if t["successor"]),
            "briefing_paragraphs": len(self.paragraphs),
            "briefing_items": len(items),
            "briefing_items_represented": sum(1 for i in items if i["records"]),
            "briefing_items_not_represented": sum(1 for i in items if not i["records"]),
        }


class _Collector:
    def __init__(self) -> None:
        self.errors: list[ValidationError] = []

    def add(self, err: ValidationError) -> None:
        self.errors.append(err)


@dataclass(slots=True)
class _Raw:
    type: str
    data: LineDict
    file: str


def _line(rec: Any, key: str | None = None) -> int | None:
    if isinstance(rec, LineDict):
        if key is not None and key in rec.key_lines:
            return rec.key_lines[key]
        return rec.line
    return None


def _display(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def load_files(kb_dir: str | Path | None = None, *, files: list[Path] | None = None) -> KnowledgeBase:
    """Read, validate and resolve the knowledge base.

    Raises the first :class:`ValidationError` found, with every other problem attached as
    ``exc.all_errors`` (the CLI prints them all, one line each).

    Files are read by :func:`~pactnet.kb.yamlio.load_yaml_fast`, whose documents know their records' lines but
    not every key's; when anything is wrong, the files are read and checked again by the exact
    :func:`~pactnet.kb.yamlio.load_yaml`, so every error names the line of the key at fault.
    """
    try:
        return _load_files(kb_dir, files, fast=True)
    except _ReadFast:
        return _load_files(kb_dir, files, fast=False)


class _ReadFast(Exception):
    """Validation failed on documents read by the fast reader: read them again exactly."""


def _load_files(kb_dir: str | Path | None, files: list[Path] | None, *, fast: bool) -> KnowledgeBase:
    paths = files if files is not None else kb_files(kb_dir)
    read_fast = False
    col = _Collector()
    raws: list[_Raw] = []
    attribute_lists: list[tuple[Any, str, int | None]] = []
    if not paths:
        raise ValidationError("no knowledge-base files found", file=str(kb_dir or DATA_DIR),
                              expected="one or more *.yaml files")
    for path in paths:
        name = _display(path)
        try:
            if fast:
                doc, was_fast = load_yaml_fast(path, name)
                read_fast = read_fast or was_fast
            else:
                doc = load_yaml(path, name)
        except ValidationError as exc:
            col.add(exc)
            continue
        if doc is None:
            continue
        if not isinstance(doc, dict):
            col.add(ValidationError("top level must be a mapping of lists", file=name, line=1,
                                    expected="keys sources, actors, ties, events"))
            continue
        for key, items in doc.items():
            if key == "attributes":  # context records (kb/attributes.py), checked once actors are known
                attribute_lists.append((items, name, _line(doc, key)))
                continue
            if key not in _TOP_LEVEL:
                col.add(ValidationError(f"unknown top-level key {key!r}", file=name, line=_line(doc, key),
                                        expected="sources, actors, ties, events or paragraphs"))
                continue
            if items is None:
                continue
            if not isinstance(items, list):
                col.add(ValidationError(f"{key} must be a list of records", file=name, line=_line(doc, key),
                                        expected="a YAML list ('- id: ...')"))
                continue
            for item in items:
                if not isinstance(item, LineDict):
                    col.add(ValidationError(f"each entry of {key} must be a mapping", file=name,
                                            line=_line(doc, key), expected="'- id: ...' with fields",
                                            got=item))
                    continue
                raws.append(_Raw(_TOP_LEVEL[key], item, name))
    if not raws and not col.errors:
        raise ValidationError("the knowledge base holds no records (every file is empty)",
                              file=str(kb_dir or DATA_DIR), expected="actors, ties, events or sources in *.yaml")
    parse_failed = bool(col.errors)
    kb = _resolve(raws, col)
    kb.files = list(paths)
    if attribute_lists:
        from .attributes import resolve_attributes

        for items, name, line in attribute_lists:
            kb.attributes += resolve_attributes(items, name, line, kb, col.add)
    if parse_failed:  # records in the unreadable file are missing: references to them are not news
        col.errors = [e for e in col.errors if not isinstance(e, UnknownReference)]
    seen_msgs: set[str] = set()
    col.errors = [e for e in col.errors if not (str(e) in seen_msgs or seen_msgs.add(str(e)))]
    if col.errors:
        if read_fast:
            raise _ReadFast
        first = col.errors[0]
        first.all_errors = col.errors  # type: ignore[attr-defined]
        raise first
    return kb


# ------------------------------------------------------------------------------------------ resolution


class _Ctx:
    """Where the record being checked lives, to build errors."""

    __slots__ = ("col", "raw", "rid")

    def __init__(self, col: _Collector, raw: _Raw, rid: str | None) -> None:
        self.col, self.raw, self.rid = col, raw, rid

    def err(self, msg: str, fld: str | None = None, *, expected: str | None = None, got: Any = None,
            cls: type[ValidationError] = ValidationError, node: Any = None) -> None:
        line = _line(node if node is not None else self.raw.data, fld) if fld else _line(node or self.raw.data)
        self.col.add(cls(msg, file=self.raw.file, line=line, record=self.rid, field=fld,
                         expected=expected, got=got))


def _check_fields(ctx: _Ctx, rec: LineDict, allowed: set[str], required: tuple[str, ...]) -> None:
    if not allowed.issuperset(rec):
        for key in rec:
            if key not in allowed:
                ctx.err(f"unknown field {key!r}", str(key), expected="one of " + ", ".join(sorted(allowed)),
                        node=rec)
    for key in required:
        val = rec.get(key)
        if not val and val in (None, "", []):  # a YAML value equal to one of these is falsy: test that first
            ctx.err("required field is missing", key, node=rec)


_is_text = str.__instancecheck__  # isinstance(v, str), callable by map()


def _str_list(ctx: _Ctx, rec: LineDict, key: str, vocab: frozenset[str] | None = None) -> list[str]:
    val = rec.get(key)
    if val is None:
        return []
    if isinstance(val, str):
        val = [val]
    if not isinstance(val, list) or not all(map(_is_text, val)):
        ctx.err("must be a list of words", key, expected="[a, b, ...]", got=val, node=rec)
        return []
    if vocab is not None and not vocab.issuperset(val):
        for v in val:
            if v not in vocab:
                ctx.err(f"unknown value {v!r}", key, expected="one of " + ", ".join(sorted(vocab)), got=v,
                        node=rec)
    return list(val) if len(val) < 2 else list(dict.fromkeys(val))  # a copy, without repeats


def _plain(ctx: _Ctx, rec: LineDict, key: str) -> str | None:
    """A free-text field: text or absent (a mapping, list, number or date there is refused)."""
    val = rec.get(key)
    if val is None or isinstance(val, str):
        return val
    what = ("a mapping" if isinstance(val, dict) else "a list" if isinstance(val, list)
            else "true/false" if isinstance(val, bool) else "a number" if isinstance(val, int | float)
            else type(val).__name__)
    ctx.err(f"must be text, not {what}", key, expected="text (quote it if it looks like a number)", got=val,
            node=rec)
    return None


def _vocab(ctx: _Ctx, rec: LineDict, key: str, vocab: Any, *, required: bool = False) -> str | None:
    val = rec.get(key)
    if val is None:
        if required:
            ctx.err("required field is missing", key, node=rec)
        return None
    if not isinstance(val, str) or val not in vocab:
        ctx.err(f"unknown value {val!r}", key, expected="one of " + ", ".join(sorted(vocab)), got=val, node=rec)
        return None
    return val


def _date(ctx: _Ctx, rec: LineDict, key: str, *, required: bool) -> S.FuzzyDate | None:
    val = rec.get(key)
    if val is None or (key == "end" and val == "open"):
        if required:
            ctx.err("required date is missing", key, expected="YYYY-MM-DD, YYYY-MM, YYYY or ~YYYY", node=rec)
        return None
    try:
        return S.parse_date(val)
    except ValueError:
        ctx.err("not a date", key, expected="YYYY-MM-DD, YYYY-MM, YYYY or ~YYYY", got=val, node=rec)
        return None


#: Well-formed citation texts -> (source, locator, "source@locator"), as :func:`pactnet.schema.parse_citation`
#: reads them (records cite the same few texts again and again); emptied when it reaches ``_CITATIONS_MAX``.
_CITATIONS: dict[str, tuple[str, str, str]] = {}
_CITATIONS_MAX = 1 << 16


def _locator_order(locator: str) -> tuple[str, int]:
    """Locators in reading order: L2 before L10 (a trailing number counts as a number), words by their text."""
    stem = locator.rstrip("0123456789")
    return stem, int(locator[len(stem):] or 0)


def _citations(ctx: _Ctx, rec: LineDict, sources: dict[str, Any], *, required: bool = True) -> list[str]:
    val = rec.get("sources")
    if val in (None, [], ""):
        if required:
            ctx.err("cites no source", "sources", expected="a list of 'source@locator' citations",
                    cls=MissingSource, node=rec)
        return []
    if not isinstance(val, list):
        val = [val]
    out: list[str] = []
    for item in val:
        cit = _CITATIONS.get(item) if item.__class__ is str else None
        if cit is None:
            try:
                parsed = S.parse_citation(item)
            except ValueError as exc:
                ctx.err(str(exc), "sources", expected="'source@locator'", cls=MissingSource, node=rec)
                continue
            cit = (parsed.source, parsed.locator, str(parsed))
            if item.__class__ is str:
                if len(_CITATIONS) >= _CITATIONS_MAX:
                    _CITATIONS.clear()
                _CITATIONS[item] = cit
        source, locator, text = cit
        if source not in sources:
            ctx.err(f"cites unknown source {source!r}", "sources", expected="the id of a record in sources:",
                    got=source, cls=UnknownReference, node=rec)
            continue
        allowed = sources[source].get("locators")
        if allowed is not None and locator not in allowed:
            sample = sorted(allowed, key=_locator_order)
            ctx.err(f"{source} has no locator {locator!r}", "sources",
                    expected=f"one of {', '.join(sample[:4])} ... {sample[-1]} ({len(sample)} in all)",
                    got=text, cls=MissingSource, node=rec)
            continue
        out.append(text)
    return out


def _resolve(raws: list[_Raw], col: _Collector) -> KnowledgeBase:
    # The records make millions of small objects and no reference cycles: the cyclic GC would otherwise walk
    # the growing heap again and again (about 40% of the time at 100,000 ties).
    with paused():
        return _resolve_records(raws, col)


def _resolve_records(raws: list[_Raw], col: _Collector) -> KnowledgeBase:
    kb = KnowledgeBase()
    seen: dict[str, _Raw] = {}  # id -> the record that defined it first

    source_seen: dict[str, _Raw] = {}

    def claim(ctx: _Ctx, rid: Any, pattern: re.Pattern[str], what: str) -> bool:
        ids = source_seen if what == "source" else seen
        if not isinstance(rid, str) or not pattern.match(rid):
            ctx.err(f"invalid {what} id", "id", expected=(
                "upper-case letters, digits and _ (ISO3 for states)" if pattern is _ACTOR_ID
                else "a lower-case slug (a-z, 0-9, -, ., :)"), got=rid)
            return False
        first = ids.get(rid)
        if first is not None:
            ctx.err(f"duplicate {what} id (first defined at {first.file}:{_line(first.data)})", "id")
            return False
        ids[rid] = ctx.raw
        return True

    # Sources first: every other record cites them.
    for raw in (r for r in raws if r.type == "source"):
        rec, rid = raw.data, raw.data.get("id")
        ctx = _Ctx(col, raw, str(rid))
        _check_fields(ctx, rec, _SOURCE_FIELDS, ("id", "citation"))
        if not claim(ctx, rid, _SLUG, "source"):
            continue
        _vocab(ctx, rec, "kind", S.SOURCE_KINDS)
        locators = rec.get("locators")
        if locators is not None and (not isinstance(locators, list) or not all(isinstance(x, str) for x in locators)):
            ctx.err("locators must be a list of the locators this source has", "locators",
                    expected="[L1, L3, EN1, ...]", got=locators)
            locators = None
        kb.sources[rid] = {"id": rid, "citation": _plain(ctx, rec, "citation"), "address": _plain(ctx, rec, "address"),
                           "kind": rec.get("kind"), "note": _plain(ctx, rec, "note"), "file": raw.file,
                           "line": rec.line, "locators": frozenset(locators) if locators else None}

    actor_raws = [r for r in raws if r.type == "actor"]
    ccodes: dict[int, list[tuple[str, str]]] = {}
    for raw in actor_raws:
        rec, rid = raw.data, raw.data.get("id")
        ctx = _Ctx(col, raw, str(rid))
        _check_fields(ctx, rec, _ACTOR_FIELDS, ("id", "name", "kind"))
        if not claim(ctx, rid, _ACTOR_ID, "actor"):
            continue
        kind = _vocab(ctx, rec, "kind", S.ACTOR_KINDS, required=True)
        ccode = rec.get("ccode")
        if ccode is not None and (not isinstance(ccode, int) or isinstance(ccode, bool) or not 1 <= ccode <= 999):
            ctx.err("COW country code must be an integer 1-999", "ccode", expected="an integer like 2 or 365",
                    got=ccode)
            ccode = None
        if kind == "state" and ccode is None and rec.get("ccode") is None:
            ctx.err("a state needs its COW country code", "ccode", expected="an integer like 2 (USA)")
        iso3 = rec.get("iso3")
        if iso3 is not None and (not isinstance(iso3, str) or not re.fullmatch(r"[A-Z]{3}", iso3)):
            ctx.err("ISO3 code must be three upper-case letters", "iso3", expected="e.g. FIN", got=iso3)
        if kind == "state" and iso3 is None:
            ctx.err("a state needs its ISO 3166-1 alpha-3 code", "iso3", expected="e.g. FIN")
        _vocab(ctx, rec, "region", S.REGIONS)
        if ccode is not None and kind:
            ccodes.setdefault(ccode, []).append((rid, kind))
        kb.actors[rid] = {
            "id": rid, "name": _plain(ctx, rec, "name"), "kind": kind, "ccode": ccode, "iso3": iso3,
            "region": rec.get("region"), "aliases": _str_list(ctx, rec, "aliases"),
            "parent": rec.get("parent"), "members": _str_list(ctx, rec, "members"),
            "note": _plain(ctx, rec, "note"), "sources": _citations(ctx, rec, kb.sources), "file": raw.file,
            "line": rec.line,
        }
    for ccode, holders in ccodes.items():
        states = [h for h in holders if h[1] == "state"]
        if len(states) > 1:
            rid = states[1][0]
            raw = next(r for r in actor_raws if r.data.get("id") == rid)
            _Ctx(col, raw, rid).err(f"COW code {ccode} is also used by {states[0][0]}", "ccode",
                                    expected="one state per COW code (a former_state may share it)")
    for raw in actor_raws:
        rid = raw.data.get("id")
        if not isinstance(rid, str) or rid not in kb.actors:
            continue
        ctx = _Ctx(col, raw, rid)
        a = kb.actors[rid]
        if a["parent"] is not None and (not isinstance(a["parent"], str) or a["parent"] not in kb.actors):
            ctx.err(f"parent {a['parent']!r} is not an actor", "parent", cls=UnknownReference)
        for m in a["members"]:
            if m not in kb.actors:
                ctx.err(f"member {m!r} is not an actor", "members", cls=UnknownReference)

    for raw in (r for r in raws if r.type == "tie"):
        _resolve_tie(raw, kb, col, claim)
    event_raws = [r for r in raws if r.type == "event"]
    if event_raws:
        tie_ids: set[str] = {r.data.get("id") for r in raws if r.type == "tie" and isinstance(r.data.get("id"), str)}
        for raw in event_raws:
            _resolve_event(raw, kb, col, claim, tie_ids)
    from .rules import check_rules, resolve_paragraphs

    resolve_paragraphs([r for r in raws if r.type == "paragraph"], kb, col)
    check_rules(kb, col)
    for a in kb.actors.values():
        for c in a["sources"]:
            src, _, loc = c.partition("@")
            kb.citations.append({"record": a["id"], "type": "actor", "view": None, "source": src,
                                 "locator": loc})
    return kb


def _views(ctx: _Ctx, rec: LineDict) -> tuple[str, ...]:
    views = rec.get("views")
    if views is None:
        return S.VIEWS
    if isinstance(views, str):
        views = [views]
    if not isinstance(views, list) or not views or any(v not in S.VIEWS for v in views):
        ctx.err("invalid views", "views", expected="[record], [briefing] or both", got=views)
        return S.VIEWS
    return tuple(v for v in S.VIEWS if v in views)


def _resolve_tie(raw: _Raw, kb: KnowledgeBase, col: _Collector, claim: Any) -> None:
    rec, rid = raw.data, raw.data.get("id")
    ctx = _Ctx(col, raw, str(rid))
    _check_fields(ctx, rec, _TIE_FIELDS, ("id", "source", "target", "kind"))
    if not claim(ctx, rid, _SLUG, "tie"):
        return
    override = rec.get("briefing")
    if override is not None and not isinstance(override, LineDict):
        ctx.err("briefing override must be a mapping of fields", "briefing", expected="field: value")
        override = None
    views = _views(ctx, rec) if "views" in rec else S.VIEWS
    base = _tie_fields(ctx, rec, kb, rid)
    if base is None:
        return
    base.update(id=rid, file=raw.file, line=rec.line, disputed=override is not None,
                phases=_phases(ctx, rec, base, kb) if "phases" in rec else [])
    for view in views:
        t = dict(base)
        t["view"] = view
        if view == "briefing" and override is not None:
            octx = _Ctx(col, raw, f"{rid} (briefing view)")
            for key in override:
                if key not in _OVERRIDABLE_TIE:
                    octx.err(f"field {key!r} cannot be overridden", str(key),
                             expected="one of " + ", ".join(sorted(_OVERRIDABLE_TIE)), node=override)
            if not override.get("sources"):
                octx.err("the briefing view cites no source", "sources", cls=MissingSource, node=override)
            merged = LineDict({**rec, **override})
            merged.line, merged.key_lines = override.line, {**rec.key_lines, **override.key_lines}
            over = _tie_fields(octx, merged, kb, rid)
            if over is None:
                continue
            t.update(over)
            t["record_sources"] = base["sources"]
            t["briefing_note"] = _plain(octx, override, "note")
        kb.ties.append(t)
        for c in t["sources"]:
            src, _, loc = c.partition("@")
            kb.citations.append({"record": rid, "type": "tie", "view": view, "source": src, "locator": loc})


def _tie_fields(ctx: _Ctx, rec: LineDict, kb: KnowledgeBase, rid: str) -> dict[str, Any] | None:
    src, tgt = rec.get("source"), rec.get("target")
    for key, val in (("source", src), ("target", tgt)):
        if val is not None and (not isinstance(val, str) or val not in kb.actors):
            ctx.err(f"actor {val!r} is not defined", key, expected="the id of a record in actors:",
                    got=val, cls=UnknownReference)
    if src is not None and src == tgt:
        ctx.err("a tie joins two different actors", "target", got=tgt)
    kind = _vocab(ctx, rec, "kind", S.TIE_KINDS, required=True)
    if kind is None:
        return None
    directed_default, level_default = S.TIE_KINDS[kind]
    level = rec.get("level", level_default)
    if not isinstance(level, str) or level not in S.LEVEL_RANK:
        ctx.err(f"unknown commitment level {level!r}", "level", expected="one of " + ", ".join(S.LEVELS),
                got=level)
        return None
    directed = rec.get("directed", directed_default)
    if not isinstance(directed, bool):
        ctx.err("must be true or false", "directed", got=directed)
        directed = directed_default
    # An optional field that is absent skips its check, which would return the same default (None or []).
    start = _date(ctx, rec, "start", required=True)
    end = _date(ctx, rec, "end", required=False) if "end" in rec else None
    if start and end and end.hi < start.lo:
        ctx.err(f"ends ({end.text}) before it starts ({start.text})", "end",
                expected=f"a date on or after {start.text}")
    flows = rec.get("flows") or {}
    contents = _str_list(ctx, rec, "contents", S.CONTENTS) if "contents" in rec else []
    flow_out: dict[str, list[str]] = {}
    if flows:
        if not isinstance(flows, dict):
            ctx.err("flows must map a receiving actor to contents", "flows", expected="{ACTOR: [content, ...]}")
        else:
            for who, items in flows.items():
                if not isinstance(who, str) or who not in (src, tgt):
                    ctx.err(f"flows names {who!r}, which is not an end of the tie", "flows",
                            expected=f"{src} or {tgt}", got=who)
                    continue
                sub = LineDict({"flows": items})
                sub.line, sub.key_lines = _line(rec, "flows") or 0, {"flows": _line(rec, "flows") or 0}
                flow_out[who] = _str_list(ctx, sub, "flows", S.CONTENTS)
                contents += [c for c in flow_out[who] if c not in contents]
    vital = rec.get("vital", False)
    if not isinstance(vital, bool):
        ctx.err("must be true or false", "vital", got=vital)
        vital = False
    agent = rec.get("agent")
    if agent is not None and (not isinstance(agent, str) or agent not in kb.actors):
        ctx.err(f"agent {agent!r} is not defined", "agent", cls=UnknownReference)
    return {
        "source": src, "target": tgt, "directed": directed, "kind": kind, "level": level,
        "rank": S.LEVEL_RANK[level],
        "drivers": _str_list(ctx, rec, "drivers", S.DRIVERS) if "drivers" in rec else [], "contents": contents,
        "flows": flow_out, "start": start, "end": end,
        "end_reason": _vocab(ctx, rec, "end_reason", S.END_REASONS) if "end_reason" in rec else None,
        "status": _vocab(ctx, rec, "status", S.STATUSES) if "status" in rec else None, "vital": vital,
        "agent": agent, "note": _plain(ctx, rec, "note") if "note" in rec else None,
        "via": _via(ctx, rec, kb) if "via" in rec else None,
        "programme": _vocab(ctx, rec, "programme", S.PROGRAMMES) if "programme" in rec else None,
        "successor": _successor(ctx, rec) if "successor" in rec else None,
        "drivers_reason": _text(ctx, rec, "drivers_reason") if "drivers_reason" in rec else None,
        "sources": _citations(ctx, rec, kb.sources),
    }


def _successor(ctx: _Ctx, rec: LineDict) -> str | None:
    val = rec.get("successor")
    if val is not None and (not isinstance(val, str) or not _SLUG.match(val)):
        ctx.err("successor must be the id of the tie that takes over on this tie's end day", "successor",
                expected="a tie id", got=val)
        return None
    return val


def _text(ctx: _Ctx, rec: LineDict, key: str) -> str | None:
    val = rec.get(key)
    if val is not None and (not isinstance(val, str) or not val.strip()):
        ctx.err("must be a sentence of text", key, got=val)
        return None
    return val


def _via(ctx: _Ctx, rec: LineDict, kb: KnowledgeBase) -> str | None:
    via = rec.get("via")
    if via is not None and (not isinstance(via, str) or via not in kb.actors):
        ctx.err(f"via {via!r} is not an actor", "via", expected="the organisation the tie is held through",
                cls=UnknownReference)
        return None
    return via


def _phases(ctx: _Ctx, rec: LineDict, tie: dict[str, Any], kb: KnowledgeBase) -> list[dict[str, Any]]:
    raw = rec.get("phases")
    if raw is None:
        return []
    if not isinstance(raw, list):
        ctx.err("phases must be a list", "phases", expected="- {start: ..., level: ...}")
        return []
    out: list[dict[str, Any]] = []
    for i, ph in enumerate(raw):
        if not isinstance(ph, LineDict):
            ctx.err(f"phase {i + 1} must be a mapping", "phases")
            continue
        pctx = _Ctx(ctx.col, ctx.raw, f"{ctx.rid} phase {i + 1}")
        _check_fields(pctx, ph, _PHASE_FIELDS, ("start",))
        start = _date(pctx, ph, "start", required=True)
        end = _date(pctx, ph, "end", required=False)
        level = ph.get("level", tie["level"])
        if not isinstance(level, str) or level not in S.LEVEL_RANK:
            pctx.err(f"unknown commitment level {level!r}", "level", expected="one of " + ", ".join(S.LEVELS),
                     got=level, node=ph)
            level = tie["level"]
        if start and end and end.hi < start.lo:
            pctx.err(f"ends ({end.text}) before it starts ({start.text})", "end", node=ph)
        if start and tie["start"] and start.hi < tie["start"].lo:
            pctx.err(f"starts ({start.text}) before its tie ({tie['start'].text})", "start", node=ph,
                     expected=f"on or after {tie['start'].text}")
        if tie["end"] is not None and ((end is None) or end.lo > tie["end"].hi):
            pctx.err("runs past the end of its tie", "end", node=ph,
                     expected=f"an end on or before {tie['end'].text}", got=end.text if end else "open")
        contents = _str_list(pctx, ph, "contents", S.CONTENTS) if "contents" in ph else None
        out.append({"start": start, "end": end, "level": level, "rank": S.LEVEL_RANK[level],
                    "contents": contents, "status": _vocab(pctx, ph, "status", S.STATUSES),
                    "name": _plain(pctx, ph, "name"), "note": _plain(pctx, ph, "note"),
                    "sources": _citations(pctx, ph, kb.sources), "line": ph.line})
    dated = [p for p in out if p["start"] is not None]
    dated.sort(key=lambda p: p["start"].lo)
    for prev, nxt in zip(dated, dated[1:], strict=False):
        if prev["end"] is None or nxt["start"].lo < prev["end"].lo:
            line_ctx = _Ctx(ctx.col, ctx.raw, ctx.rid)
            line_ctx.col.add(ValidationError(
                f"phase starting {nxt['start'].text} overlaps the phase starting {prev['start'].text}",
                file=ctx.raw.file, line=nxt["line"], record=ctx.rid, field="phases",
                expected=f"a start on or after {prev['end'].text if prev['end'] else 'the previous phase end'}"))
    return dated


def _resolve_event(raw: _Raw, kb: KnowledgeBase, col: _Collector, claim: Any, tie_ids: set[str]) -> None:
    rec, rid = raw.data, raw.data.get("id")
    ctx = _Ctx(col, raw, str(rid))
    _check_fields(ctx, rec, _EVENT_FIELDS, ("id", "kind", "actors"))
    if not claim(ctx, rid, _SLUG, "event"):
        return
    override = rec.get("briefing")
    if override is not None and not isinstance(override, LineDict):
        ctx.err("briefing override must be a mapping of fields", "briefing")
        override = None
    for view in _views(ctx, rec):
        src = rec
        vctx = ctx
        if view == "briefing" and override is not None:
            vctx = _Ctx(col, raw, f"{rid} (briefing view)")
            for key in override:
                if key not in _OVERRIDABLE_EVENT:
                    vctx.err(f"field {key!r} cannot be overridden", str(key), node=override)
            if not override.get("sources"):
                vctx.err("the briefing view cites no source", "sources", cls=MissingSource, node=override)
            src = LineDict({**rec, **override})
            src.line, src.key_lines = override.line, {**rec.key_lines, **override.key_lines}
        date = _date(vctx, src, "date", required=True)
        kind = _vocab(vctx, src, "kind", S.EVENT_KINDS, required=True)
        actors = _str_list(vctx, src, "actors")
        for a in actors:
            if a not in kb.actors:
                vctx.err(f"actor {a!r} is not defined", "actors", cls=UnknownReference, got=a)
        ties = _str_list(vctx, src, "ties")
        for t in ties:
            if t not in tie_ids:
                vctx.err(f"tie {t!r} is not defined", "ties", cls=UnknownReference, got=t)
        cites = _citations(vctx, src, kb.sources)
        if date is None or kind is None:
            continue
        kb.events.append({
            "id": rid, "view": view, "date": date, "kind": kind, "actors": actors, "ties": ties,
            "description": _plain(vctx, src, "description"), "note": _plain(vctx, src, "note"), "sources": cites,
            "disputed": override is not None, "file": raw.file, "line": rec.line,
        })
        for c in cites:
            s, _, loc = c.partition("@")
            kb.citations.append({"record": rid, "type": "event", "view": view, "source": s, "locator": loc})
