"""Domain types and vocabularies: actors, ties, events, sources, the commitment ladder and dates.

Everything here is plain data. The meaning of each field is documented in ``docs/data-model.md``;
this module is its executable form.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

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

    def iso(self) -> str:
        """The first day of the period, ISO 8601."""
        return self.lo.isoformat()


def parse_date(value: Any) -> FuzzyDate:
    """Parse ``YYYY-MM-DD``, ``YYYY-MM``, ``YYYY`` or ``~``-prefixed forms into a :class:`FuzzyDate`.

    Raises ``ValueError`` with the expected forms when the value is not a date.
    """
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


@dataclass(slots=True)
class Record:
    """A validated record with where it came from (file and line) for error messages."""

    type: str
    id: str
    data: dict[str, Any]
    file: str
    line: int
    field_lines: dict[str, int] = field(default_factory=dict)
