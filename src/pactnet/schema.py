"""Domain types and vocabularies: actors, ties, events, sources, the commitment ladder and dates.

Everything here is plain data. The meaning of each field is documented in ``docs/data-model.md``;
this module is its executable form.
"""

from __future__ import annotations

import calendar
import datetime as dt
import functools
import itertools
import re
from dataclasses import dataclass
from typing import Any, Literal

__all__ = [
    "LEVELS",
    "LEVEL_RANK",
    "TIE_KINDS",
    "ACTOR_KINDS",
    "EVENT_KINDS",
    "DRIVERS",
    "PROGRAMMES",
    "CONTENTS",
    "REGIONS",
    "END_REASONS",
    "STATUSES",
    "SOURCE_KINDS",
    "VIEWS",
    "ALLIANCE_ORG_KINDS",
    "FuzzyDate",
    "parse_date",
    "parse_query_date",
    "level_rank",
    "Citation",
    "parse_citation",
]

#: The commitment ladder: level name -> ordinal rank (higher is a stronger commitment; hostile is -1).
LEVEL_RANK: dict[str, int] = {
    "guarantee": 5,
    "assurance": 4,
    "structured": 3,
    "ad_hoc": 2,
    "transactional": 1,
    "hostile": -1,
}
LEVELS: tuple[str, ...] = tuple(LEVEL_RANK)

#: Tie kind -> (directed, default level). ``None`` as default level means the record must give one.
TIE_KINDS: dict[str, tuple[bool, str | None]] = {
    "mutual_defense_treaty": (False, "guarantee"),
    "alliance_membership": (True, "guarantee"),
    "security_assurance": (True, "assurance"),
    "statutory_commitment": (True, "assurance"),
    "membership_application": (True, "structured"),
    "partner_status": (True, "structured"),
    "designation": (True, "structured"),
    "minilateral_pact": (False, "structured"),
    "neutrality_pact": (False, "structured"),
    "nonaggression_pact": (False, "structured"),
    "consultation_pact": (False, "structured"),
    "organisation_membership": (True, "structured"),
    "defense_cooperation": (False, "structured"),
    "basing_access": (True, "structured"),
    "transit": (True, "transactional"),
    "capacity_building": (True, "ad_hoc"),
    "counter_narcotics": (False, "ad_hoc"),
    "counter_terrorism": (False, "ad_hoc"),
    "counter_piracy": (False, "ad_hoc"),
    "stabilisation": (False, "ad_hoc"),
    "coalition": (True, "ad_hoc"),
    "intelligence_sharing": (False, "ad_hoc"),
    "arms_supply": (True, "transactional"),
    "economic": (False, "transactional"),
    "covert_support": (True, "hostile"),
    "sanctions_threat": (True, "hostile"),
    "military_threat": (True, "hostile"),
    "rivalry": (False, "hostile"),
    "armed_conflict": (True, "hostile"),
}

ACTOR_KINDS: frozenset[str] = frozenset(
    {
        "state",
        "former_state",
        "igo",
        "alliance_organisation",
        "minilateral",
        "mission",
        "coalition",
        "nsag",
        "state_agency",
        "regime",
        "facility",
        "logistics_network",
        "actor_set",
        "category",
    }
)
#: Actor kinds through whose membership ties state-to-state guarantees are derived.
ALLIANCE_ORG_KINDS: frozenset[str] = frozenset({"alliance_organisation"})

EVENT_KINDS: frozenset[str] = frozenset(
    {
        "formation",
        "upgrade",
        "downgrade",
        "termination",
        "application",
        "accession",
        "designation",
        "revocation",
        "invasion",
        "attack",
        "crisis",
        "policy",
        "withdrawal",
        "deployment",
        "agreement",
        "purchase",
        "sanction",
    }
)

DRIVERS: frozenset[str] = frozenset(
    {
        "cold_war",
        "war_on_drugs",
        "gwot",
        "counter_piracy",
        "stabilisation",
        "great_power_competition",
        "regional_rivalry",
        "economic",
        "post_cold_war_enlargement",
        "arab_israeli_peace",
        "peacekeeping",
    }
)

#: Named programmes or statuses a tie belongs to (queryable: ``programme = 'mnna'``).
PROGRAMMES: frozenset[str] = frozenset(
    {
        "mnna",
        "pfp",
        "eop",
        "major_defense_partner",
        "plan_colombia",
        "merida_initiative",
    }
)

CONTENTS: frozenset[str] = frozenset(
    {
        "defense_guarantee",
        "intel_sharing",
        "info_sharing",
        "overflight",
        "weapons",
        "training",
        "exercises",
        "pme",
        "sof_deployment",
        "air_support",
        "basing",
        "transit",
        "interoperability",
        "tech_access",
        "regional_defense_coord",
        "capacity_building",
        "mil_to_mil",
        "procurement",
        "naval",
        "cyber",
        "ai",
        "economic_assistance",
        "energy_trade",
        "civilian_assets",
        "nuclear",
    }
)

REGIONS: frozenset[str] = frozenset(
    {
        "north_america",
        "latin_america",
        "europe",
        "middle_east",
        "africa",
        "south_asia",
        "central_asia",
        "east_asia",
        "southeast_asia",
        "oceania",
        "global",
    }
)

END_REASONS: frozenset[str] = frozenset(
    {
        "driver_lost_salience",
        "breakdown",
        "upgraded",
        "superseded",
        "withdrawal",
        "revocation",
        "termination",
        "suspension",
        "expired",
        "dissolution",
        "accession",
    }
)

STATUSES: frozenset[str] = frozenset(
    {"active", "strained", "faded", "ended", "broken_down", "transitioning", "hostile"}
)

SOURCE_KINDS: frozenset[str] = frozenset(
    {"briefing", "endnote", "treaty", "statute", "official", "news", "dataset", "scholarly", "reference"}
)

VIEWS: tuple[str, ...] = ("record", "briefing")


def level_rank(level: str) -> int:
    """The ordinal rank of a commitment level (``guarantee`` 5 ... ``transactional`` 1, ``hostile`` -1)."""
    try:
        return LEVEL_RANK[level]
    except KeyError:
        raise ValueError(f"unknown commitment level {level!r}; expected one of {', '.join(LEVELS)}") from None


# ---------------------------------------------------------------------------------------------- dates

_DATE_RE = re.compile(r"^(~)?(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


@dataclass(frozen=True, slots=True)
class FuzzyDate:
    """A date known to a precision: ``day``, ``month``, ``year``, or ``approximate`` (a ``~`` date).

    ``lo`` and ``hi`` are the first and last day of the period the date stands for.
    """

    lo: dt.date
    hi: dt.date
    precision: str
    text: str


#: Parsed date texts (a knowledge base repeats its dates); emptied when it reaches ``_DATE_CACHE_MAX`` entries.
_DATE_CACHE: dict[str, FuzzyDate] = {}
_DATE_CACHE_MAX = 1 << 16


def parse_date(value: Any) -> FuzzyDate:
    """Parse ``YYYY-MM-DD``, ``YYYY-MM``, ``YYYY`` or ``~``-prefixed forms into a :class:`FuzzyDate`.

    Raises ``ValueError`` with the expected forms when the value is not a date.
    """
    if value.__class__ is str:  # FuzzyDate is immutable: one instance per text serves every record
        fd = _DATE_CACHE.get(value)
        if fd is None:
            fd = _parse_date(value)
            if len(_DATE_CACHE) >= _DATE_CACHE_MAX:
                _DATE_CACHE.clear()
            _DATE_CACHE[value] = fd
        return fd
    return _parse_date(value)


def _parse_date(value: Any) -> FuzzyDate:
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return FuzzyDate(value, value, "day", value.isoformat())
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str):
        raise ValueError(f"not a date: {value!r}")
    text = value.strip()
    m = _DATE_RE.match(text)
    if not m:
        raise ValueError(f"not a date: {value!r}")
    approx, y, mo, d = m.groups()
    year = int(y)
    try:
        if d is not None:
            day = dt.date(year, int(mo), int(d))
            lo = hi = day
            precision = "day"
        elif mo is not None:
            month = int(mo)
            lo = dt.date(year, month, 1)
            hi = dt.date(year, month, calendar.monthrange(year, month)[1])
            precision = "month"
        else:
            lo, hi = dt.date(year, 1, 1), dt.date(year, 12, 31)
            precision = "year"
    except ValueError:
        raise ValueError(f"not a calendar date: {value!r}") from None
    if approx:
        precision = "approximate"
    return FuzzyDate(lo, hi, precision, text)


def parse_query_date(value: Any, *, end_of_period: bool = False) -> dt.date:
    """A query's date (``at``, ``from``, ``to``): a full or partial date; partial dates take the
    period's first day, or its last day when ``end_of_period`` is true."""
    if value is None:
        raise ValueError("a date is required")
    fd = parse_date(value)
    return fd.hi if end_of_period else fd.lo


# ---------------------------------------------------------------------------------------------- citations


@dataclass(frozen=True, slots=True)
class Citation:
    """A use of a source: the source's id and where in it the claim is (paragraph, endnote, page)."""

    source: str
    locator: str

    def __str__(self) -> str:
        return f"{self.source}@{self.locator}"


def parse_citation(value: Any) -> Citation:
    """Parse ``"source@locator"`` or ``{source: ..., locator: ...}``; ``ValueError`` says what is missing."""
    if isinstance(value, dict):
        src, loc = value.get("source"), value.get("locator")
    elif isinstance(value, str):
        src, sep, loc = value.partition("@")
        if not sep:
            loc = None
    else:
        raise ValueError(f"a citation is a 'source@locator' string, got {value!r}")
    src = (src or "").strip() if isinstance(src, str) else src
    loc = (str(loc).strip() if loc is not None else "")
    if not src or not isinstance(src, str):
        raise ValueError(f"citation {value!r} names no source")
    if not loc:
        raise ValueError(f"citation {value!r} has no locator (write '{src}@<paragraph, page or section>')")
    return Citation(src, loc)


# ---------------------------------------------------------------------------------------------- query types

#: Which account of a disputed record to read: the public record (default) or the briefing's own.
View = Literal["record", "briefing"]
#: A query date: ``datetime.date``, ``"YYYY-MM-DD"``, ``"YYYY-MM"``, ``"YYYY"`` or a year as ``int``. A partial
#: date given as ``at`` stands for the last day of its period (``at=2022`` is 2022-12-31).
Date = dt.date | str | int


# ---------------------------------------------------------------------------------------------- record layouts


@dataclass(frozen=True, slots=True)
class Column:
    """One column of a record layout: its name, type and meaning.

    ``type`` is one of ``str``, ``int8``, ``int32``, ``bool``, ``date`` and ``list`` (a list of strings).
    """

    name: str
    type: str
    doc: str


_SQL_TYPES = {"str": "VARCHAR", "int8": "TINYINT", "int32": "INTEGER", "bool": "BOOLEAN", "date": "DATE",
              "list": "VARCHAR[]"}


def _c(name: str, type_: str, doc: str) -> Column:
    return Column(name, type_, doc)


#: A tie as every query returns it (and as the store, the importers and the derived ``via`` ties hold it).
TIE_LAYOUT: tuple[Column, ...] = (
    _c("id", "str", "The tie's id: a slug for curated ties, 'via:ORG:A-B' for derived ones, '<dataset>:...' for "
       "imported ones."),
    _c("view", "str", "'record' (the public record) or 'briefing' (the briefing's account where it differs)."),
    _c("origin", "str", "'kb' for the curated knowledge base, else the imported dataset's name ('atop', ...)."),
    _c("source", "str", "The actor at the tie's first end (the giver of a directed tie: assurer, supplier ...)."),
    _c("target", "str", "The actor at the other end (the receiver of a directed tie)."),
    _c("source_ccode", "int32", "COW country code of ``source`` (null for non-states)."),
    _c("target_ccode", "int32", "COW country code of ``target`` (null for non-states)."),
    _c("directed", "bool", "Whether the tie runs from source to target (an assurance) or both ways (a treaty)."),
    _c("kind", "str", "What the tie is (mutual_defense_treaty, designation, arms_supply, ...): docs/data-model.md."),
    _c("level", "str", "Its rung on the commitment ladder (guarantee ... transactional, hostile), phase applied."),
    _c("rank", "int8", "The level's rank: guarantee 5, assurance 4, structured 3, ad_hoc 2, transactional 1, "
       "hostile -1."),
    _c("drivers", "list", "Why the tie was formed (cold_war, gwot, ...)."),
    _c("drivers_reason", "str", "Where a tie has no drivers: why none is stated."),
    _c("contents", "list", "What flows through it (intel_sharing, weapons, basing, ...), phase applied."),
    _c("flows", "str", "JSON object: receiving actor -> contents it receives (empty object when not recorded)."),
    _c("programme", "str", "The programme a designation or status belongs to (mnna, pfp, eop, ...), if any."),
    _c("start", "date", "First day of the period the start date stands for."),
    _c("start_precision", "str", "day, month, year or approximate."),
    _c("end", "date", "The day the tie ended (it no longer holds on that day); null while it holds. A partial end "
       "date is its period's first day, and the tie holds until that period's last day."),
    _c("end_precision", "str", "day, month, year or approximate; null while the tie holds."),
    _c("end_reason", "str", "Why it ended (accession, breakdown, withdrawal, ...)."),
    _c("successor", "str", "The tie that took its place on its end day (an upgrade, a new treaty), if any."),
    _c("status", "str", "active, strained, faded, broken_down, ... (phase applied)."),
    _c("phase", "str", "The name (or start) of the phase in force at the query date, if the tie is phased."),
    _c("vital", "bool", "Whether the record calls the tie vital to the patron."),
    _c("agent", "str", "An actor acting for one end (an agency such as ISI), if any."),
    _c("via", "str", "The alliance organisation a derived tie is held through (NATO ...), or that a tie names."),
    _c("note", "str", "Free-text note of the record."),
    _c("disputed", "bool", "Whether the briefing and the public record disagree on this tie."),
    _c("sources", "list", "Citations 'source@locator' supporting this view of the tie."),
    _c("derived_from", "list", "For a derived 'via' tie, the two membership ties it comes from."),
)

#: Columns added to the ties of patron-centred queries (``patron=`` given): the other end, named.
PARTNER_LAYOUT: tuple[Column, ...] = (
    _c("partner", "str", "The actor at the other end from the patron."),
    _c("partner_name", "str", "The partner's name."),
    _c("partner_ccode", "int32", "The partner's COW country code (null for non-states)."),
)

#: One row per partner of :func:`pactnet.network.allies`.
ALLY_LAYOUT: tuple[Column, ...] = (
    _c("partner", "str", "The ally or partner (a state or other actor, never an organisation)."),
    _c("partner_name", "str", "Its name."),
    _c("partner_ccode", "int32", "Its COW country code."),
    _c("partner_iso3", "str", "Its ISO 3166-1 alpha-3 code."),
    _c("level", "str", "The highest commitment level of its ties with the patron at the date."),
    _c("rank", "int8", "That level's rank."),
    _c("kinds", "list", "The kinds of tie it holds with the patron at the date."),
    _c("via", "list", "The alliance organisations it holds a tie through."),
    _c("ties", "list", "The ids of those ties."),
)

ACTOR_LAYOUT: tuple[Column, ...] = (
    _c("id", "str", "Actor id: ISO3 for states (GFR, DDR, SUN for former states), an upper-case slug otherwise."),
    _c("name", "str", "Name in English."),
    _c("kind", "str", "state, former_state, alliance_organisation, nsag, ...: docs/data-model.md."),
    _c("ccode", "int32", "COW country code (states)."),
    _c("iso3", "str", "ISO 3166-1 alpha-3 code (states)."),
    _c("region", "str", "Region (europe, south_asia, ...)."),
    _c("aliases", "list", "Other names it is known by."),
    _c("parent", "str", "The actor it belongs to (an agency's state), if any."),
    _c("members", "list", "For an actor set, its members."),
    _c("note", "str", "Free-text note."),
    _c("sources", "list", "Citations 'source@locator'."),
)

EVENT_LAYOUT: tuple[Column, ...] = (
    _c("id", "str", "Event id (a slug)."),
    _c("view", "str", "'record' or 'briefing'."),
    _c("date", "date", "First day of the period the date stands for."),
    _c("date_precision", "str", "day, month, year or approximate."),
    _c("kind", "str", "accession, designation, invasion, withdrawal, ...: docs/data-model.md."),
    _c("actors", "list", "Actors involved."),
    _c("ties", "list", "Ties the event forms, changes or ends."),
    _c("description", "str", "What happened."),
    _c("note", "str", "Free-text note."),
    _c("disputed", "bool", "Whether the briefing and the record disagree on this event."),
    _c("sources", "list", "Citations 'source@locator'."),
)

#: One row per context attribute of :func:`pactnet.network.attributes` (the store's ``attributes`` table).
ATTRIBUTE_LAYOUT: tuple[Column, ...] = (
    _c("actor", "str", "The actor the attribute describes."),
    _c("attribute", "str", "revisionist, nuclear_weapons, contiguity ...: pactnet.kb.attributes.ATTRIBUTES."),
    _c("other", "str", "The other actor of a relational attribute (contiguity), else null."),
    _c("value", "int32", "The value: 1 for true, 0 for false, else the number recorded."),
    _c("start", "date", "First day it holds."),
    _c("end", "date", "Last day it holds; null while open."),
    _c("sources", "list", "Citations 'source@locator'."),
    _c("note", "str", "Free-text note."),
)

SOURCE_LAYOUT: tuple[Column, ...] = (
    _c("id", "str", "Source id."),
    _c("kind", "str", "briefing, endnote, treaty, statute, official, news, dataset, scholarly, reference."),
    _c("citation", "str", "Full citation."),
    _c("address", "str", "Public address (URL), if any."),
    _c("record", "str", "A record that cites it (null for an uncited source)."),
    _c("type", "str", "That record's type: actor, tie or event."),
    _c("view", "str", "The view of the record that cites it."),
    _c("locator", "str", "Where in the source: paragraph, endnote, page, section or dataset row."),
)

DISAGREEMENT_LAYOUT: tuple[Column, ...] = (
    _c("type", "str", "tie or event."),
    _c("id", "str", "The record's id."),
    _c("record_kind", "str", "Kind in the public record (ties)."),
    _c("briefing_kind", "str", "Kind in the briefing's view (ties)."),
    _c("record_level", "str", "Level in the public record (ties)."),
    _c("briefing_level", "str", "Level in the briefing's view (ties)."),
    _c("record_start", "str", "Start (date of an event) as the record gives it."),
    _c("briefing_start", "str", "Start as the briefing gives it."),
    _c("record_end", "str", "End as the record gives it."),
    _c("briefing_end", "str", "End as the briefing gives it."),
    _c("record_sources", "list", "Citations of the record view."),
    _c("briefing_sources", "list", "Citations of the briefing view."),
    _c("note", "str", "The briefing view's note on the disagreement."),
    _c("only", "str", "'briefing only' or 'record only' where one view lacks the record."),
)

HISTORY_LAYOUT: tuple[Column, ...] = (
    _c("date", "date", "A tie's start, or an event's date (first day of its period)."),
    _c("date_precision", "str", "day, month, year or approximate."),
    _c("type", "str", "tie or event."),
    _c("id", "str", "The tie's or event's id."),
    _c("kind", "str", "The tie's or event's kind."),
    _c("level", "str", "The tie's commitment level (null for events)."),
    _c("with", "list", "The other end of the tie, or the event's other actors."),
    _c("end", "date", "The day the tie ended (null while it holds, and for events)."),
    _c("end_precision", "str", "Its precision."),
    _c("description", "str", "The event's description, or the tie's note."),
    _c("sources", "list", "Citations 'source@locator'."),
)

DIFF_LAYOUT: tuple[Column, ...] = (
    _c("change", "str", "added, ended, upgraded, downgraded or transient."),
    *TIE_LAYOUT,
    _c("level_before", "str", "For upgraded and downgraded ties, the level at the earlier date."),
    _c("rank_before", "int8", "Its rank."),
)


@functools.lru_cache(maxsize=64)
def polars_schema(layout: tuple[Column, ...]) -> Any:
    """The ``polars.Schema`` of a layout (``list`` columns are ``List(String)``)."""
    import polars as pl

    types = {"str": pl.String, "int8": pl.Int8, "int32": pl.Int32, "bool": pl.Boolean, "date": pl.Date,
             "list": pl.List(pl.String)}
    return pl.Schema({c.name: types[c.type] for c in layout})


def arrow_table(columns: dict[str, list[Any]], layout: tuple[Column, ...]) -> Any:
    """A ``pyarrow.Table`` of a layout from one Python list per column (absent columns null).

    The store's writers use it: building columns in C (lists from their flattened values and offsets) is
    tens of times faster than a frame made from one dict per row.
    """
    import pyarrow as pa

    n = len(next(iter(columns.values()))) if columns else 0
    arrays = []
    for col in layout:
        values = columns.get(col.name)
        if values is None:
            arrays.append(pa.nulls(n, _arrow_type(col.type)))
        elif col.type == "list":
            offsets = [0, *itertools.accumulate(0 if v is None else len(v) for v in values)]
            flat = [x for v in values if v for x in v]
            mask = pa.array([v is None for v in values]) if None in values else None
            arrays.append(pa.ListArray.from_arrays(pa.array(offsets, pa.int32()), pa.array(flat, pa.string()),
                                                   mask=mask))
        else:
            arrays.append(pa.array(values, _arrow_type(col.type)))
    return pa.Table.from_arrays(arrays, names=[c.name for c in layout])


@functools.cache
def _arrow_type(kind: str) -> Any:
    import pyarrow as pa

    return {"str": pa.string(), "int8": pa.int8(), "int32": pa.int32(), "bool": pa.bool_(), "date": pa.date32(),
            "list": pa.list_(pa.string())}[kind]


@functools.cache
def frame_class() -> type:
    """The polars DataFrame subclass queries return: a DataFrame in every way, whose ``to_pandas()`` gives
    pandas' nullable dtypes (``Int32``, ``boolean``, ``string``) so that missing values stay missing, not NaN.

    Operations on it return plain polars DataFrames.
    """
    import polars as pl

    class Frame(pl.DataFrame):
        __doc__ = frame_class.__doc__

        def to_pandas(self, *args: Any, **kwargs: Any) -> Any:
            if args or kwargs:
                return super().to_pandas(*args, **kwargs)
            import pandas as pd
            import pyarrow as pa

            nullable = {pa.int8(): pd.Int8Dtype(), pa.int16(): pd.Int16Dtype(), pa.int32(): pd.Int32Dtype(),
                        pa.int64(): pd.Int64Dtype(), pa.uint32(): pd.UInt32Dtype(), pa.bool_(): pd.BooleanDtype(),
                        pa.string(): pd.StringDtype(), pa.large_string(): pd.StringDtype(),
                        pa.float64(): pd.Float64Dtype()}
            if hasattr(pa, "string_view"):  # pyarrow 16 and later
                nullable[pa.string_view()] = pd.StringDtype()
            return self.to_arrow().to_pandas(types_mapper=nullable.get)

    Frame.__name__ = Frame.__qualname__ = "Frame"
    Frame.__module__ = __name__
    return Frame


def sql_columns(layout: tuple[Column, ...]) -> str:
    """``name TYPE, ...`` for a DuckDB ``CREATE TABLE`` of a layout."""
    return ", ".join(f'"{c.name}" {_SQL_TYPES[c.type]}' for c in layout)


def column_names(layout: tuple[Column, ...]) -> tuple[str, ...]:
    """The names of a layout's columns, in order."""
    return tuple(c.name for c in layout)
