"""Attributes of actors over time: sourced context records the indicators need beyond ties.

A record (in a knowledge-base file, under the top-level key ``attributes:``) says that an actor has an
attribute with a value over a period, on the authority of cited sources::

    attributes:
      - {actor: UKR, attribute: contiguity, other: RUS, value: 1, start: "1991-12-27", end: open,
         sources: ["cow-contdir-3.2@369-365 1991-12"]}

The vocabulary is :data:`ATTRIBUTES`. Records are checked when the knowledge base is loaded
(:func:`pactnet.kb.load_kb` calls :func:`resolve_attributes`), so a bad record fails ``pactnet validate``
with its file, line, record and field. :func:`attributes` returns them as a polars frame.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from .. import schema as S
from ..errors import UnknownReference, ValidationError
from .yamlio import LineDict

if TYPE_CHECKING:  # pragma: no cover
    import polars as pl

    from .validate import KnowledgeBase

__all__ = ["ATTRIBUTES", "attributes", "attribute_columns", "resolve_attributes"]

#: Attribute name -> (type of ``value``, whether ``other`` names a second actor, allowed values or None).
ATTRIBUTES: dict[str, tuple[type, bool, tuple[Any, ...] | None]] = {
    "revisionist": (bool, False, (True,)),
    "nuclear_weapons": (bool, False, (True,)),
    "contiguity": (int, True, (1, 2, 3, 4, 5)),
}

_FIELDS = {"actor", "attribute", "value", "other", "start", "end", "sources", "note"}


def _err(add: Callable[[ValidationError], None], rec: Any, file: str, rid: str, msg: str, fld: str | None,
         cls: type[ValidationError] = ValidationError, **kw: Any) -> None:
    line = rec.key_lines.get(fld, rec.line) if isinstance(rec, LineDict) and fld else getattr(rec, "line", None)
    add(cls(msg, file=file, line=line, record=rid, field=fld, **kw))


def resolve_attributes(items: Any, file: str, line: int | None, kb: KnowledgeBase,
                       add: Callable[[ValidationError], None]) -> list[dict[str, Any]]:
    """Check the ``attributes:`` list of one file against the knowledge base; report problems with ``add``.

    Returns the valid records as dicts (``actor, attribute, other, value, start, end, sources, file, line``),
    dates as :class:`~pactnet.schema.FuzzyDate`.
    """
    from .validate import _citations, _Ctx, _Raw  # the validator's own citation check

    if not isinstance(items, list):
        add(ValidationError("attributes must be a list of records", file=file, line=line,
                            expected="a YAML list ('- {actor: ..., attribute: ...}')"))
        return []
    out = []
    for i, rec in enumerate(items):
        if not isinstance(rec, LineDict):
            add(ValidationError("each attribute must be a mapping", file=file, line=line,
                                record=f"attribute {i + 1}", got=rec))
            continue
        rid = f"{rec.get('actor')}.{rec.get('attribute')}" + (f"/{rec['other']}" if rec.get("other") else "")
        ok = True
        for key in rec:
            if key not in _FIELDS:
                _err(add, rec, file, rid, f"unknown field {key!r}", str(key),
                     expected="one of " + ", ".join(sorted(_FIELDS)))
                ok = False
        for key in ("actor", "attribute", "start"):
            if rec.get(key) in (None, ""):
                _err(add, rec, file, rid, "required field is missing", key)
                ok = False
        name = rec.get("attribute")
        if name is not None and name not in ATTRIBUTES:
            _err(add, rec, file, rid, f"unknown attribute {name!r}", "attribute",
                 expected="one of " + ", ".join(sorted(ATTRIBUTES)), got=name)
            continue
        for key in ("actor", "other"):
            val = rec.get(key)
            if val is not None and (not isinstance(val, str) or val not in kb.actors):
                _err(add, rec, file, rid, f"actor {val!r} is not defined", key, UnknownReference,
                     expected="the id of a record in actors:", got=val)
                ok = False
        if name is None:
            continue
        vtype, needs_other, allowed = ATTRIBUTES[name]
        if needs_other and rec.get("other") is None:
            _err(add, rec, file, rid, f"{name} needs the second actor", "other", expected="an actor id")
            ok = False
        if not needs_other and rec.get("other") is not None:
            _err(add, rec, file, rid, f"{name} takes no second actor", "other", got=rec.get("other"))
            ok = False
        value = rec.get("value", True if vtype is bool else None)
        if not isinstance(value, vtype) or (vtype is int and isinstance(value, bool)) or (
                allowed is not None and value not in allowed):
            _err(add, rec, file, rid, f"invalid value for {name}", "value",
                 expected=" or ".join(map(str, allowed)) if allowed else vtype.__name__, got=value)
            ok = False
        dates = {}
        for key in ("start", "end"):
            val = rec.get(key)
            if val is None or (key == "end" and val == "open"):
                dates[key] = None
                continue
            try:
                dates[key] = S.parse_date(val)
            except ValueError:
                _err(add, rec, file, rid, "not a date", key, expected="YYYY-MM-DD, YYYY-MM, YYYY or open", got=val)
                ok = False
                dates[key] = None
        if dates.get("start") and dates.get("end") and dates["end"].hi < dates["start"].lo:
            _err(add, rec, file, rid, f"ends ({dates['end'].text}) before it starts ({dates['start'].text})", "end")
            ok = False
        errors: list[ValidationError] = []  # citations follow the validator's rules (source, locator)
        cites = _citations(_Ctx(_Sink(errors), _Raw("attribute", rec, file), rid), rec, kb.sources)
        for e in errors:
            add(e)
        ok = ok and not errors
        if ok:
            out.append({"actor": rec["actor"], "attribute": name, "other": rec.get("other"), "value": value,
                        "start": dates["start"], "end": dates["end"], "sources": cites, "note": rec.get("note"),
                        "file": file, "line": rec.line})
    return out


class _Sink:
    """Stands in for the validator's error collector."""

    def __init__(self, errors: list[ValidationError]) -> None:
        self.errors = errors

    def add(self, err: ValidationError) -> None:
        self.errors.append(err)


def attributes(attribute: str | None = None, *, kb: Any = None) -> pl.DataFrame:
    """The knowledge base's attribute records as a polars frame.

    Parameters
    ----------
    attribute : str, optional
        Keep one attribute (``"revisionist"``, ``"nuclear_weapons"``, ``"contiguity"``).
    kb : KnowledgeBase, path or None
        A loaded knowledge base, a knowledge-base folder, or None for the shipped one.

    Returns
    -------
    polars.DataFrame
        Columns ``actor, attribute, other, value`` (Int32: 1 for true), ``start`` (Date, first day),
        ``end`` (Date, last day; null while open), ``sources`` (List[str]).
    """
    import polars as pl

    from .validate import KnowledgeBase, load_files

    if attribute is not None and attribute not in ATTRIBUTES:
        from ..errors import InputError

        raise InputError(f"attribute: unknown attribute {attribute!r}; expected one of {', '.join(sorted(ATTRIBUTES))}")
    loaded = kb if isinstance(kb, KnowledgeBase) else load_files(kb)
    rows = [r for r in loaded.attributes if attribute is None or r["attribute"] == attribute]
    return pl.from_arrow(S.arrow_table(attribute_columns(rows), S.ATTRIBUTE_LAYOUT)).drop("note")


def attribute_columns(records: list[dict[str, Any]]) -> dict[str, list[Any]]:
    """Resolved attribute records as the columns of :data:`pactnet.schema.ATTRIBUTE_LAYOUT` (plus ``file``
    and ``line``): ``value`` an integer (1 for true), ``start`` the first day, ``end`` the last (null while open)."""
    return {
        "actor": [r["actor"] for r in records],
        "attribute": [r["attribute"] for r in records],
        "other": [r["other"] for r in records],
        "value": [int(r["value"]) for r in records],
        "start": [r["start"].lo for r in records],
        "end": [r["end"].hi if r["end"] is not None else None for r in records],
        "sources": [r["sources"] for r in records],
        "note": [r["note"] for r in records],
        "file": [r["file"] for r in records],
        "line": [r["line"] for r in records],
    }
