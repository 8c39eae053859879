"""The inputs every indicator shares: the tie frame (through one adapter), the actors, the context
attributes and the active dyad-date frame built from them.

Only :func:`_tie_frame` and :func:`_actor_frame` know the store's API; when the core API changes
(``network.ties()`` returning a polars frame with ``start``/``end``), they are the one place to change.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import polars as pl

from .. import schema as S
from ..errors import InputError

__all__: list[str] = []  # private module

#: Drivers of a campaign (a time-bound task), against standing drivers (cold war, great-power competition ...).
CAMPAIGN_DRIVERS = ("gwot", "war_on_drugs", "counter_piracy", "stabilisation")
#: Contents through which a patron depends on a partner for a campaign.
DEPENDENCE_CONTENTS = ("basing", "transit", "overflight", "intel_sharing")
#: Tie kinds that make the other end an adversary of the patron.
ADVERSARY_KINDS = ("rivalry", "armed_conflict", "military_threat")
#: Hostile tie kinds through which a power threatens a state.
THREAT_KINDS = ("rivalry", "armed_conflict", "sanctions_threat", "military_threat")
#: Actor kinds that can be a rival power (the other end of a rivalry tie; a regime or armed group is not).
RIVAL_KINDS = ("state", "former_state")
#: Actor kinds that count as partners (rows of the indicator frame).
PARTNER_KINDS = ("state",)
#: Organisations through which a partner's ties count toward its ties with a member patron.
ORG_KINDS = tuple(sorted(S.ALLIANCE_ORG_KINDS))
#: Contents that make up the breadth of a tie are counted up to this many.
BREADTH_CAP = 5

_TIE_COLUMNS = ("id", "source", "target", "kind", "rank", "drivers", "contents", "vital", "start", "end")


# ------------------------------------------------------------------------------------------- adapter


def _tie_frame(view: str, db: Any, kb: Any) -> pl.DataFrame:
    """Every tie of a view, all periods, with the ties held through alliance organisations (the adapter).

    ``network.ties()`` gives ``end`` as the day a tie no longer holds (a partial end: its period's first
    day, the tie holding to the period's end); the indicators use ``end`` as the last day it holds.
    """
    from .. import network

    t = network.ties(view=view, db=db, kb=kb)
    end, precision = pl.col("end"), pl.col("end_precision")
    approx_year = (end.dt.month() == 1) & (end.dt.day() == 1)
    until = (pl.when(precision == "day").then(end)
             .when((precision == "year") | ((precision == "approximate") & approx_year)).then(end.dt.offset_by("1y"))
             .when((precision == "month") | ((precision == "approximate") & (end.dt.day() == 1)))
             .then(end.dt.offset_by("1mo"))
             .otherwise(end))
    return t.with_columns((until - pl.duration(days=1)).alias("end")).select(_TIE_COLUMNS)


def _actor_frame(db: Any, kb: Any) -> pl.DataFrame:
    """Actors with ``id, name, kind, ccode, parent, members`` (the adapter's second half)."""
    from .. import network

    return network.actors(db=db, kb=kb).select("id", "name", "kind", pl.col("ccode").cast(pl.Int64), "parent",
                                                "members")


def _attribute_frame(db: Any, kb: Any) -> pl.DataFrame:
    """The knowledge base's context attributes (``actor, attribute, other, value, start, end, sources``): the
    store's ``attributes`` table, or those of a :class:`~pactnet.kb.validate.KnowledgeBase` given as ``kb``."""
    from .. import network
    from ..kb.attributes import attributes
    from ..kb.validate import KnowledgeBase

    if isinstance(kb, KnowledgeBase):
        return attributes(kb=kb)
    return network.attributes(db=db, kb=kb).select("actor", "attribute", "other", "value", "start", "end", "sources")


# ------------------------------------------------------------------------------------------- dates


def dates_for(at: Any = None, start: Any = None, end: Any = None) -> list[dt.date]:
    """The dates to compute: ``at`` alone, or the last day of every year from ``start`` to ``end``
    (1945 to 2024 by default)."""
    if at is not None:
        if start is not None or end is not None:
            raise InputError("at: give either at or start/end, not both")
        try:
            return [S.parse_query_date(at, end_of_period=True)]
        except ValueError:
            raise InputError(f"at: not a date: {at!r} (expected YYYY-MM-DD, YYYY-MM or YYYY)") from None
    years = []
    for name, value, default in (("start", start, 1945), ("end", end, 2024)):
        try:
            years.append(S.parse_query_date(value if value is not None else default).year)
        except ValueError:
            raise InputError(f"{name}: not a year or date: {value!r}") from None
    if years[1] < years[0]:
        raise InputError(f"end ({years[1]}) is before start ({years[0]})")
    return [dt.date(y, 12, 31) for y in range(years[0], years[1] + 1)]


# ------------------------------------------------------------------------------------------- inputs


@dataclass(frozen=True)
class Inputs:
    """The frames the indicators read, loaded once per :func:`~pactnet.indicators.compute` call."""

    ties: pl.DataFrame
    actors: pl.DataFrame
    attributes: pl.DataFrame


def load_inputs(*, view: str = "record", db: Any = None, kb: Any = None) -> Inputs:
    """Read ties, actors and attributes (the only I/O of the package)."""
    return Inputs(_tie_frame(view, db, kb), _actor_frame(db, kb), _attribute_frame(db, kb))


def _normalise(ties: pl.DataFrame, actors: pl.DataFrame) -> pl.DataFrame:
    """Ties between the actors that hold them: an agency stands for its parent state (ISI for Pakistan),
    an actor set for each of its members (the Gulf alliances for Saudi Arabia ...)."""
    parents = actors.filter(pl.col("kind") == "state_agency", pl.col("parent").is_not_null()).select(
        pl.col("id").alias("_a"), pl.col("parent").alias("_p"))
    sets = actors.filter(pl.col("kind") == "actor_set").select(pl.col("id").alias("_s"), pl.col("members")) \
        .explode("members").drop_nulls()
    out = ties
    for end in ("source", "target"):
        out = (out.join(parents, left_on=end, right_on="_a", how="left")
               .with_columns(pl.coalesce("_p", end).alias(end)).drop("_p"))
        out = (out.join(sets, left_on=end, right_on="_s", how="left")
               .with_columns(pl.coalesce("members", end).alias(end)).drop("members"))
    return out.filter(pl.col("source") != pl.col("target"))


def dyads(inputs: Inputs, dates: Sequence[dt.date]) -> pl.DataFrame:
    """Every tie active on each date, once from each end.

    Columns: ``date, a, b, out`` (``a`` is the tie's source), ``kind, rank, drivers, contents, vital, id``.
    A tie is active on ``date`` when it starts on or before it and has not ended before it (open ties run on).
    """
    ties = _normalise(inputs.ties, inputs.actors)
    days = pl.DataFrame({"date": list(dates)}, schema={"date": pl.Date})
    active = ties.join(days, how="cross").filter(
        pl.col("start") <= pl.col("date"), pl.col("end").is_null() | (pl.col("end") >= pl.col("date")))
    keep = ["date", "kind", "rank", "drivers", "contents", "vital", "id"]
    fwd = active.select(pl.col("source").alias("a"), pl.col("target").alias("b"), pl.lit(True).alias("out"), *keep)
    rev = active.select(pl.col("target").alias("a"), pl.col("source").alias("b"), pl.lit(False).alias("out"), *keep)
    return pl.concat([fwd, rev])


def attribute_at(inputs: Inputs, name: str, dates: Sequence[dt.date]) -> pl.DataFrame:
    """Attribute records in force on each date: ``date, actor, other, value``."""
    days = pl.DataFrame({"date": list(dates)}, schema={"date": pl.Date})
    recs = inputs.attributes.filter(pl.col("attribute") == name)
    return recs.join(days, how="cross").filter(
        pl.col("start") <= pl.col("date"), pl.col("end").is_null() | (pl.col("end") >= pl.col("date"))
    ).select("date", "actor", "other", "value")


def partners(d: pl.DataFrame, patron: str, actors: pl.DataFrame) -> pl.DataFrame:
    """The patron's partners on each date: states holding a non-hostile tie with it, or with an alliance
    organisation it belongs to then. Columns ``date, actor``."""
    states = actors.filter(pl.col("kind").is_in(PARTNER_KINDS)).select(pl.col("id").alias("actor"))
    direct = d.filter(pl.col("a") == patron, pl.col("rank") > 0).select("date", pl.col("b").alias("actor"))
    via_org = org_ties(d, patron, actors).select("date", "actor")
    return (pl.concat([direct, via_org]).unique().join(states, on="actor", how="semi")
            .filter(pl.col("actor") != patron))


def org_ties(d: pl.DataFrame, patron: str, actors: pl.DataFrame) -> pl.DataFrame:
    """A partner's ties with an alliance organisation the patron belongs to on that date (Ukraine's NATO
    partnership), memberships excepted (those are the patron's own ties through the organisation).
    Columns of :func:`dyads` with ``actor`` (the partner) and ``org``."""
    orgs = actors.filter(pl.col("kind").is_in(ORG_KINDS)).select(pl.col("id").alias("org"))
    member = (d.filter(pl.col("a") == patron, pl.col("kind") == "alliance_membership")
              .select("date", pl.col("b").alias("org")).join(orgs, on="org", how="semi").unique())
    return (d.filter(pl.col("kind") != "alliance_membership", pl.col("rank") > 0)
            .join(member, left_on=["date", "b"], right_on=["date", "org"], how="inner")
            .with_columns(pl.col("a").alias("actor"), pl.col("b").alias("org")))


def others_of(d: pl.DataFrame, patron: str, kinds: Iterable[str]) -> pl.DataFrame:
    """Actors holding a tie of one of ``kinds`` with the patron on each date: ``date, other``."""
    return (d.filter(pl.col("a") == patron, pl.col("kind").is_in(list(kinds)))
            .select("date", pl.col("b").alias("other")).unique())


def rivals_of(d: pl.DataFrame, patron: str, actors: pl.DataFrame) -> pl.DataFrame:
    """The patron's rival powers on each date: states (or former states) holding a ``rivalry`` tie with it.
    Columns ``date, rival``."""
    powers = actors.filter(pl.col("kind").is_in(RIVAL_KINDS)).select(pl.col("id").alias("other"))
    return others_of(d, patron, ("rivalry",)).join(powers, on="other", how="semi").rename({"other": "rival"})


def saturate(x: pl.Expr) -> pl.Expr:
    """:math:`x / (1 + x)`: maps a non-negative sum into [0, 1), 0.5 at one unit."""
    return x / (1.0 + x)


def on_grid(grid: pl.DataFrame, values: pl.DataFrame, name: str, fill: float = 0.0) -> pl.DataFrame:
    """Left-join one indicator (``date, actor, <name>``) onto the partner grid, filling absent values."""
    return grid.join(values, on=["date", "actor"], how="left").with_columns(pl.col(name).fill_null(fill))
