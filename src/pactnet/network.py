"""Temporal queries over the store: ties at a date, allies, snapshots, portfolios, change between dates,
an actor's history, events and sources.

Every query returns a polars DataFrame whose columns are those of a layout in :mod:`pactnet.schema`
(``TIE_LAYOUT`` ...), empty or not. Events, sources and attributes are read with SQL from the DuckDB store; the
ties are read once per state of the store into polars frames (split at their phases' boundaries, see
docs/data-model.md) that the tie queries filter and aggregate. The parameters mean the same in every function
(docs/api.md):

- ``at``: a date (``datetime.date``, ``"2021-12-31"``) or a partial one (``"2021-08"``, ``"2021"``, ``2021``);
  a partial date stands for the **last day** of its period.
- ``start``, ``end``: a range; a partial ``start`` is its period's first day, a partial ``end`` its last.
- ``patron``: whose ties (the patron is at one end); ``partner``: the actor at the other end.
- ``view``: ``"record"`` (the public record, default) or ``"briefing"`` (the briefing's account).
- ``db``, ``kb``: the store (a path or :class:`~pactnet.store.Store`) and the knowledge-base folder.

Actors are found by id or ISO3 in any case, COW code (``2``, ``"2"``), name or alias (``"United States"``).
A tie is active on day ``d`` when ``start <= d`` and ``d`` is before its ``end`` (the day it ended; a partial
end holds through its period).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import difflib
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from . import schema as S
from ._gc import paused
from .errors import InputError
from .schema import Date, View
from .store import Store, open_store

if TYPE_CHECKING:  # pragma: no cover
    import networkx as nx
    import polars as pl

__all__ = [
    "ties",
    "allies",
    "actors",
    "resolve_actor",
    "snapshot",
    "portfolio",
    "diff",
    "history",
    "events",
    "sources",
    "disagreements",
    "attributes",
    "Date",
    "View",
    "PARAMETERS",
]

#: The parameters every query shares: one name, one type, one meaning (docs/api.md is generated from this).
PARAMETERS: dict[str, tuple[str, str]] = {
    "at": ("Date", "A day: `datetime.date`, `'2021-12-31'`, or a partial date (`'2021-08'`, `'2021'`, `2021`) that "
                   "stands for the **last day** of its period. Ties active that day, phases applied."),
    "start, end": ("Date", "A range, both ends inclusive: a partial `start` is its period's first day, a partial "
                           "`end` its last. Ties active on at least one day of it (no phase applied)."),
    "patron": ("actor", "Whose ties: the patron is at one end; the frame gains `partner`, `partner_name`, "
                        "`partner_ccode` for the other end."),
    "partner": ("actor", "The actor at the other end from the patron (at either end when no patron is given)."),
    "actor": ("actor", "The actor an event or history is about."),
    "view": ('View = Literal["record", "briefing"]', "The public record (default) or the briefing's account where "
                                                      "the two disagree."),
    "min_level": ("level or rank", "Lowest rung of the commitment ladder kept (`'structured'` keeps 3 and up; never "
                                   "hostile ties)."),
    "kind, driver": ("str", "Vocabulary words of docs/data-model.md; an unknown word is an error listing the known."),
    "via": ("bool", "Include ties derived through a common alliance organisation (`via:NATO:FIN-USA`)."),
    "datasets": ("Iterable[str]", "Imported datasets whose ties join the knowledge base's (`['atop']`)."),
    "db": ("path or Store, keyword-only", "The store; default `$PACTNET_DB`, else the user data folder."),
    "kb": ("path, keyword-only", "The knowledge-base folder; default `$PACTNET_KB`, else the one the store was built "
                                 "from, else the shipped one. A store is never switched silently."),
}
#: An actor may be named by its id or ISO3 code in any case, its COW code (``2`` or ``"2"``), its name or an alias.
ACTOR_FORMS = "id or ISO3 code in any case, COW code (`2`, `'2'`), name or alias (`'United States'`)"

PORTFOLIO_BY = ("level", "driver", "region", "kind")
#: The kinds of change between two dates (:func:`diff`), in the order rows are listed.
CHANGES = ("added", "ended", "upgraded", "downgraded", "transient")
#: Actor kinds that are organisations or operations rather than partners (never an ``allies`` row).
ORGANISATION_KINDS = frozenset({"igo", "alliance_organisation", "minilateral", "mission", "coalition"})


# ------------------------------------------------------------------------------------------- arguments


def _store(db: Any, kb: Any = None) -> Store:
    """The store, checked once for this query (built if missing or stale); its steps then use ``memo``."""
    store = open_store(db, kb)
    store.connect()
    return store


def _view(view: str) -> str:
    if view not in S.VIEWS:
        raise InputError(f"unknown view {view!r}; expected 'record' or 'briefing'", param="view")
    return view


def _date(value: Any, param: str, *, last: bool) -> dt.date:
    """A query date: partial dates stand for their period's last day (``last``) or first day."""
    try:
        return S.parse_query_date(value, end_of_period=last)
    except ValueError:
        raise InputError(f"not a date: {value!r} (expected YYYY-MM-DD, YYYY-MM or YYYY)", param=param) from None


def _at(at: Any) -> dt.date:
    return _date(at, "at", last=True)


def _range(start: Any, end: Any) -> tuple[dt.date | None, dt.date | None]:
    lo = _date(start, "start", last=False) if start is not None else None
    hi = _date(end, "end", last=True) if end is not None else None
    if lo is not None and hi is not None and hi < lo:
        raise InputError(f"{end!r} is before start {start!r}", param="end")
    return lo, hi


def _rank(min_level: str | int | None) -> int | None:
    if min_level is None or isinstance(min_level, int):
        return min_level
    try:
        return S.level_rank(min_level)
    except ValueError as exc:
        raise InputError(str(exc), param="min_level") from None


def _vocab(value: str | None, vocab: Iterable[str], param: str, what: str) -> str | None:
    if value is not None and value not in vocab:
        raise InputError(f"unknown {what} {value!r}; expected one of {', '.join(sorted(vocab))}", param=param)
    return value


# ------------------------------------------------------------------------------------------- actors


def _actor_index(store: Store) -> dict[str, list[str]]:
    """Lower-case id, ISO3, COW code, name and alias -> actor ids (cached per store state)."""

    def build() -> dict[str, list[str]]:
        index: dict[str, list[str]] = {}
        rows = store.query("SELECT id, name, kind, ccode, iso3, aliases FROM actors ORDER BY kind <> 'state', id")
        for aid, name, _kind, ccode, iso3, aliases in (tuple(r.values()) for r in rows):
            keys = {aid.lower(), (name or "").lower(), (iso3 or "").lower(), *(a.lower() for a in aliases or [])}
            if ccode is not None:
                keys.add(str(ccode))
            for key in keys - {""}:
                index.setdefault(key, [])
                if aid not in index[key]:
                    index[key].append(aid)
        return index

    return store.memo("actor_index", build)


def resolve_actor(value: Any, *, param: str = "actor", db: Any = None, kb: Any = None) -> str:
    """The actor id that ``value`` names: an id or ISO3 code in any case, a COW code, a name or an alias.

    Where a COW code or name fits several actors, the state is preferred; an unknown or still ambiguous
    value raises :class:`~pactnet.errors.InputError` listing the nearest matches.

    >>> resolve_actor("united states"), resolve_actor(2), resolve_actor("fin")
    ('USA', 'USA', 'FIN')
    """
    return _resolve(_store(db, kb), value, param)


def _resolve(store: Store, value: Any, param: str) -> str:
    if value is None or isinstance(value, bool) or not isinstance(value, str | int):
        raise InputError(f"expected an actor id, ISO3 code, COW code or name, got {value!r}", param=param)
    key = str(value).strip().lower()
    index = _actor_index(store)
    found = index.get(key, [])
    if len(found) == 1:
        return found[0]
    if len(found) > 1:
        states = store.memo("states", lambda: {r["id"] for r in store.query(
            "SELECT id FROM actors WHERE kind = 'state'")})
        preferred = [a for a in found if a in states]
        if len(preferred) == 1:
            return preferred[0]
        raise InputError(f"{value!r} is ambiguous: it names {', '.join(found)}", param=param)
    if store.query("SELECT 1 FROM ties WHERE source = ? OR target = ? LIMIT 1", [str(value), str(value)]):
        return str(value)  # an actor of an imported dataset only (COW700 ...)
    near = difflib.get_close_matches(key, list(index), n=5, cutoff=0.6)
    names = list(dict.fromkeys(a for k in near for a in index[k]))
    hint = f"; did you mean {', '.join(names)}?" if names else " (see 'actors()')"
    raise InputError(f"unknown actor {value!r}{hint}", param=param)


def actors(kind: str | None = None, *, db: Any = None, kb: Any = None) -> pl.DataFrame:
    """Actors (states, organisations, armed groups ...) in :data:`~pactnet.schema.ACTOR_LAYOUT`.

    >>> actors("alliance_organisation").filter(id="NATO").select("id", "name").rows()
    [('NATO', 'North Atlantic Treaty Organization')]
    """
    _vocab(kind, S.ACTOR_KINDS, "kind", "actor kind")
    cols = ", ".join(S.column_names(S.ACTOR_LAYOUT))
    sql = f"SELECT {cols} FROM actors" + (" WHERE kind = ?" if kind else "") + " ORDER BY id"
    return _typed(_store(db, kb).frame(sql, [kind] if kind else []), S.ACTOR_LAYOUT)


# ------------------------------------------------------------------------------------------- ties


def _typed(frame: pl.DataFrame, layout: tuple[S.Column, ...], extra: dict[str, pl.Expr] | None = None
           ) -> pl.DataFrame:
    """``frame`` with exactly the layout's columns and types, in order, as a :class:`~pactnet.schema.Frame`;
    ``extra`` gives expressions for columns the frame does not hold (the partner columns)."""
    import polars as pl

    have, want, extra = frame.schema, S.polars_schema(layout), extra or {}
    if list(have.items()) != list(want.items()):
        frame = frame.select([
            extra[c].cast(t).alias(c) if c in extra else
            (pl.col(c) if have[c] == t else pl.col(c).cast(t)) if c in have else pl.lit(None, dtype=t).alias(c)
            for c, t in want.items()])
    return S.frame_class()._from_pydf(frame._df)


def _in_query_order(frame: pl.DataFrame) -> pl.DataFrame:
    """The order of every tie query: strongest first, then oldest, then by id."""
    return frame.sort(["rank", "start", "id"], descending=[True, False, False])


def _tables(store: Store) -> dict[str, pl.DataFrame]:
    """The store's ties (in query order, with ``until`` and both ends' names), phases and actors as polars
    frames, read once per state of the store."""

    def load() -> dict[str, pl.DataFrame]:
        tie_cols = ", ".join(f't."{c}"' for c in S.column_names(S.TIE_LAYOUT))
        actors = store.frame("SELECT id, name, kind, ccode, iso3, region FROM actors")
        ties = _in_query_order(
            store.frame(f"SELECT {tie_cols}, t.until FROM ties t")
            .join(actors.select(source="id", source_name="name", source_iso3="iso3"), on="source", how="left")
            .join(actors.select(target="id", target_name="name", target_iso3="iso3"), on="target", how="left"))
        return {
            "ties": ties,
            "phases": store.frame("SELECT tie_id, view, seq, name, start, until, level, rank, contents, status "
                                  "FROM tie_phases"),
            "actors": actors,
        }

    return store.memo("tables", load)


def _spans(store: Store) -> pl.DataFrame:
    """Every tie split where its phases begin and end: one row per tie, view and stretch of days (``_from``
    inclusive to ``_to`` exclusive, null while open) in which the same phase, or none, is in force, with that
    phase's level, rank, contents and status (the strongest phase when several hold; ``phase`` names it).

    A tie without phases is one span. Rows are in query order, so a filter at a date needs no sort.
    """

    def compute() -> pl.DataFrame:
        import polars as pl

        tables = _tables(store)
        t, ph = tables["ties"], tables["phases"]
        plain = t.with_columns(_from=pl.col("start"), _to=pl.col("until"))
        if ph.is_empty():
            return plain
        key = ["id", "view"]
        life = t.filter(origin="kb").join(ph.select(pl.col("tie_id").alias("id"), "view").unique(), on=key)
        cut = ph.rename({"tie_id": "id"}).join(life.select(*key, _s=pl.col("start"), _u=pl.col("until")), on=key)
        inside = (pl.col("_b") > pl.col("_s")) & (pl.col("_u").is_null() | (pl.col("_b") < pl.col("_u")))
        bounds = pl.concat([
            life.select(*key, _b=pl.col("start")),
            life.select(*key, _b=pl.col("until")),
            cut.select(*key, "_s", "_u", _b=pl.col("start")).filter(inside).select(*key, "_b"),
            cut.select(*key, "_s", "_u", _b=pl.col("until")).filter(inside).select(*key, "_b"),
        ]).unique().sort(*key, "_b", nulls_last=True)
        stretches = (bounds.with_columns(_to=pl.col("_b").shift(-1).over(key)).rename({"_b": "_from"})
                     .join(life.select(*key, "until"), on=key)
                     .filter(pl.col("_from").is_not_null() & (pl.col("until").is_null()
                                                              | (pl.col("_from") < pl.col("until"))))
                     .drop("until"))
        whole_stretch = (pl.col("start") <= pl.col("_from")) & (
            pl.col("until").is_null() | (pl.col("_to").is_not_null() & (pl.col("until") >= pl.col("_to"))))
        held = (stretches.join(ph.rename({"tie_id": "id"}), on=key).filter(whole_stretch)
                .sort("rank", "start", "seq").group_by(*key, "_from").last()
                .select(*key, "_from", _phase=pl.col("name"), _level=pl.col("level"), _rank=pl.col("rank"),
                        _contents=pl.col("contents"), _status=pl.col("status")))
        phased = (life.join(stretches, on=key).join(held, on=[*key, "_from"], how="left")
                  .with_columns(level=pl.coalesce("_level", "level"), rank=pl.coalesce("_rank", "rank"),
                                contents=pl.coalesce("_contents", "contents"),
                                status=pl.coalesce("_status", "status"), phase=pl.col("_phase"))
                  .drop("_phase", "_level", "_rank", "_contents", "_status"))
        rest = plain.join(life.select(*key), on=key, how="anti")
        return _in_query_order(pl.concat([rest, phased.select(rest.columns)]))

    return store.memo("spans", compute)


def _active(lo: dt.date | None, hi: dt.date | None, start: str = "start", until: str = "until") -> pl.Expr:
    """Records in force on at least one day of [lo, hi] (either bound open)."""
    import polars as pl

    expr = pl.lit(True)
    if hi is not None:
        expr &= pl.col(start) <= hi
    if lo is not None:
        expr &= pl.col(until).is_null() | (pl.col(until) > lo)
    return expr


def _rows(store: Store, which: str, view: str, origins: tuple[str, ...]) -> pl.DataFrame:
    """The ``"spans"`` (:func:`_spans`) or ``"ties"`` (as recorded) of a view and origins, in query order:
    both are kept split by view and origin, so a query on the knowledge base never scans imported datasets."""
    import polars as pl

    def split() -> dict[tuple[str, str], pl.DataFrame]:
        frame = _spans(store) if which == "spans" else _tables(store)["ties"]
        return {"": frame.clear(), **frame.partition_by("view", "origin", as_dict=True, maintain_order=True)}

    parts = store.memo(f"{which}_by_view", split)
    frames = [parts[(view, o)] for o in origins if (view, o) in parts]
    if len(frames) > 1:
        return _in_query_order(pl.concat(frames))
    return frames[0] if frames else parts[""]


def _filters(*, patron: str | None, partner: str | None, kind: str | None = None, driver: str | None = None,
             via: bool = True, rank: int | None = None) -> pl.Expr:
    """The condition on ties that matches the filters (not the dates)."""
    import polars as pl

    cond = pl.lit(True)
    if not via:
        cond &= pl.col("derived_from").is_null()
    if patron is not None:
        cond &= (pl.col("source") == patron) | (pl.col("target") == patron)
        if partner is not None:
            cond &= pl.when(pl.col("source") == patron).then(pl.col("target")).otherwise(pl.col("source")) == partner
    elif partner is not None:
        cond &= (pl.col("source") == partner) | (pl.col("target") == partner)
    if kind is not None:
        cond &= pl.col("kind") == kind
    if driver is not None:
        cond &= pl.col("drivers").list.contains(driver)
    if rank is not None:
        cond &= pl.col("rank") >= rank
    return cond


def _partner(patron: str) -> dict[str, pl.Expr]:
    """The partner columns of a patron-centred frame: the other end's id, name, COW code and ISO3 code."""
    import polars as pl

    is_source = pl.col("source") == patron

    def other(col: str) -> pl.Expr:
        return pl.when(is_source).then(pl.col(f"target{col}")).otherwise(pl.col(f"source{col}"))

    return {name: other(col).alias(name) for name, col in
            (("partner", ""), ("partner_name", "_name"), ("partner_ccode", "_ccode"), ("partner_iso3", "_iso3"))}


def _origins(store: Store, datasets: Iterable[str]) -> tuple[str, ...]:
    names = tuple(dict.fromkeys(d for d in datasets if d != "kb"))
    known = store.memo("origins", lambda: set(_tables(store)["ties"]["origin"].unique().to_list()))
    for name in names:
        if name not in known:
            raise InputError(f"no ties of dataset {name!r} in {store.path} (import it first: "
                             f"'pactnet import {name} PATH')", param="datasets")
    return ("kb", *names)


def ties(at: Date | None = None, *, start: Date | None = None, end: Date | None = None,
         patron: Any = None, partner: Any = None, kind: str | None = None, min_level: str | int | None = None,
         driver: str | None = None, view: View = "record", via: bool = True, datasets: Iterable[str] = (),
         db: Any = None, kb: Any = None) -> pl.DataFrame:
    """Ties, in :data:`~pactnet.schema.TIE_LAYOUT`: those active at a date, or some time in a range, or all.

    Parameters
    ----------
    at : date, optional
        Keep the ties active on that day (a partial date: its period's last day). Phased ties report the
        level, contents and status of the phase in force that day (``phase`` names it).
    start, end : date, optional
        Instead of ``at``, keep the ties active on at least one day of the range; phases are not applied.
    patron, partner : actor, optional
        ``patron``: the patron's ties (the patron at either end), with ``partner``, ``partner_name`` and
        ``partner_ccode`` naming the other end. ``partner``: only ties with that actor at the other end (at
        either end when no patron is given).
    kind, driver : str, optional
        Vocabulary words (docs/data-model.md).
    min_level : level or rank, optional
        ``"structured"`` keeps ranks 3 and up (never hostile ties).
    view : ``"record"`` (default) or ``"briefing"``
    via : bool
        Include state-to-state ties held through a common alliance organisation (``via: NATO``).
    datasets : names of imported datasets whose ties to include besides the knowledge base (``"atop"``).

    Returns
    -------
    polars.DataFrame
        Strongest first, then oldest, then by id.

    Examples
    --------
    >>> fin = ties(patron="USA", partner="Finland", at="2024-01-01")
    >>> fin.select("id", "level", "via", "start").rows()  # doctest: +NORMALIZE_WHITESPACE
    [('via:NATO:FIN-USA', 'guarantee', 'NATO', datetime.date(2023, 4, 4)),
     ('usa-fin-defense-cooperation', 'structured', None, datetime.date(2016, 10, 7))]
    >>> ties(patron="USA", partner="FIN", at="2022-12-31", kind="security_assurance")["level"].to_list()
    ['assurance']
    """
    view = _view(view)
    if at is not None and (start is not None or end is not None):
        raise InputError("give either a date or a range (start, end), not both", param="at")
    day = _at(at) if at is not None else None
    lo, hi = _range(start, end)
    store = _store(db, kb)
    pat = _resolve(store, patron, "patron") if patron is not None else None
    par = _resolve(store, partner, "partner") if partner is not None else None
    origins = _origins(store, datasets)
    cond = _filters(patron=pat, partner=par,
                    kind=_vocab(kind, S.TIE_KINDS, "kind", "tie kind"),
                    driver=_vocab(driver, S.DRIVERS, "driver", "driver"), via=via, rank=_rank(min_level))
    if day is not None:  # the span of each tie in force that day carries its phase
        frame = _rows(store, "spans", view, origins).filter(cond & _active(day, day, "_from", "_to"))
    else:
        frame = _rows(store, "ties", view, origins).filter(cond & _active(lo, hi))
    if pat is None:
        return _typed(frame, S.TIE_LAYOUT)
    return _typed(frame, S.TIE_LAYOUT + S.PARTNER_LAYOUT, _partner(pat))


def allies(patron: Any, *, at: Date, min_level: str | int | None = None, view: View = "record",
           db: Any = None, kb: Any = None) -> pl.DataFrame:
    """The patron's allies and partners at a date, one row per partner (:data:`~pactnet.schema.ALLY_LAYOUT`):
    its highest commitment level, the kinds of tie it holds, the organisations it holds them through.

    Organisations and operations (NATO, ISAF ...) are not partners, and hostile ties are left out.

    >>> a = allies("USA", at="2021-12-31")
    >>> a.filter(partner="JPN").select("partner_name", "level", "partner_ccode").rows()
    [('Japan', 'guarantee', 740)]
    >>> "NATO" in a["partner"].to_list()
    False
    """
    import polars as pl

    view, day = _view(view), _at(at)
    store = _store(db, kb)
    pat = _resolve(store, patron, "patron")
    orgs = store.memo("organisations", lambda: _tables(store)["actors"].filter(
        pl.col("kind").is_in(list(ORGANISATION_KINDS)))["id"].implode())
    partner = _partner(pat)
    held = _rows(store, "spans", view, ("kb",)).filter(_filters(patron=pat, partner=None, rank=_rank(min_level))
                                & _active(day, day, "_from", "_to") & (pl.col("rank") > 0)
                                & ~partner["partner"].is_in(orgs))
    out = (held.group_by(partner["partner"], maintain_order=True)
           .agg(*(e.first().alias(c) for c, e in partner.items() if c != "partner"),
                pl.col("level").first(), pl.col("rank").max(), pl.col("kind").unique().sort().alias("kinds"),
                pl.col("via").drop_nulls().unique().sort(), pl.col("id").alias("ties"))
           .sort(["rank", "partner"], descending=[True, False]))
    return _typed(out, S.ALLY_LAYOUT)


def snapshot(at: Date, *, patron: Any = None, min_level: str | int | None = None, view: View = "record",
             via: bool = True, db: Any = None, kb: Any = None) -> nx.MultiDiGraph:
    """The network at a date as a networkx ``MultiDiGraph``.

    Nodes are actors with ``name, kind, ccode, iso3, region``; each active tie is one edge from ``source``
    to ``target`` keyed by tie id, with ``kind, level, rank, directed, drivers, contents, start, end, via,
    sources`` (dates as ISO text; symmetric ties have ``directed=False``). With ``patron``, the patron's
    ego network.

    >>> g = snapshot("2022-06-30")
    >>> g.graph["date"], g.has_edge("USA", "FIN") or g.has_edge("FIN", "USA")
    ('2022-06-30', True)
    """
    import networkx as nx
    import polars as pl

    view, day = _view(view), _at(at)
    store = _store(db, kb)
    pat = _resolve(store, patron, "patron") if patron is not None else None
    edges = _rows(store, "spans", view, ("kb",)).filter(
        _filters(patron=pat, partner=None, via=via, rank=_rank(min_level))
        & _active(day, day, "_from", "_to")).select(
        "source", "target", "id", *(pl.col(c).dt.to_string() if c in ("start", "end") else c for c in _EDGE_ATTRS))
    info = store.memo("node_info", lambda: {r.pop("id"): r for r in _tables(store)["actors"].to_dicts()})
    g = nx.MultiDiGraph(date=day.isoformat(), view=view)
    blank = dict.fromkeys(("name", "kind", "ccode", "iso3", "region"))
    # A large graph is tens of thousands of new dicts and lists, none in a cycle: the collector is paused
    # (for a small one the pause would only defer a collection).
    with paused() if edges.height > 10_000 else contextlib.nullcontext():
        columns = [c.to_list() for c in edges.get_columns()]
        g.add_nodes_from((a, info.get(a, blank)) for a in dict.fromkeys(columns[0] + columns[1]))
        _add_edges(g, *columns)
    return g


#: The attributes of a snapshot's edges.
_EDGE_ATTRS = ("kind", "level", "rank", "directed", "drivers", "contents", "start", "end", "via", "sources")


def _add_edges(g: nx.MultiDiGraph, sources: list[str], targets: list[str], keys: list[str],
               *attrs: list[Any]) -> None:
    """Add keyed edges with the :data:`_EDGE_ATTRS` to ``g``, whose nodes exist: what
    ``g.add_edges_from((u, v, key, data) ...)`` does, writing the adjacency dicts directly (networkx's
    per-edge bookkeeping was nine tenths of a snapshot's time at 100,000 ties). ``tests/test_network.py``
    checks the result is the same graph, attributes included."""
    succ, pred = g._succ, g._pred
    for u, v, key, values in zip(sources, targets, keys, zip(*attrs, strict=True), strict=True):
        keydict = succ[u].get(v)
        if keydict is None:
            keydict = succ[u][v] = pred[v][u] = {}
        keydict[key] = dict(zip(_EDGE_ATTRS, values, strict=True))
    getattr(g, "__networkx_cache__", {}).clear()


# ------------------------------------------------------------------------------------------- over time


def portfolio(patron: Any, *, start: Date = 1990, end: Date = 2024, by: str = "level", view: View = "record",
              via: bool = True, db: Any = None, kb: Any = None) -> pl.DataFrame:
    """A patron's ties per year, counted by commitment level, driver, partner region or kind.

    A tie counts in every year it is active on at least one day, at the strongest level it holds that year.
    With ``by="driver"`` a tie with two drivers counts under each (``unspecified`` when it has none). With
    ``via`` (the default) the patron's own memberships of alliance organisations are not counted: the ties
    it holds through them with each fellow member are (the US in NATO counts once per ally).

    Returns
    -------
    polars.DataFrame
        Columns ``year`` (Int32), ``<by>`` (String), ``ties`` (Int32): one row per year and group, zero
        counts included; levels in ladder order, other groups alphabetically.

    >>> p = portfolio("USA", start=2022, end=2022)
    >>> p.filter(level="guarantee")["ties"].item() > 30
    True
    """
    import polars as pl

    if by not in PORTFOLIO_BY:
        raise InputError(f"expected one of {', '.join(PORTFOLIO_BY)}, got {by!r}", param="by")
    view = _view(view)
    lo, hi = _range(start, end)
    if lo is None or hi is None:
        raise InputError("a portfolio needs a start and an end year", param="start" if lo is None else "end")
    store = _store(db, kb)
    pat = _resolve(store, patron, "patron")
    tables = _tables(store)
    partner = _partner(pat)["partner"]
    cond = _filters(patron=pat, partner=None, via=via) & _active(lo, hi, "_from", "_to")
    if via:  # the ties held through an alliance organisation stand for the membership itself
        alliance_orgs = store.memo("alliance_organisations", lambda: tables["actors"].filter(
            kind="alliance_organisation")["id"].implode())
        cond &= ~((pl.col("kind") == "alliance_membership") & pl.col("derived_from").is_null()
                  & partner.is_in(alliance_orgs))
    if by == "region":
        regions = store.memo("regions", lambda: dict(tables["actors"].select("id", "region").drop_nulls().iter_rows()))
        group = partner.replace_strict(regions, default="unspecified", return_dtype=pl.String)
    elif by == "driver":
        group = pl.when(pl.col("drivers").list.len() > 0).then(pl.col("drivers")).otherwise(pl.lit(["unspecified"]))
    else:
        group = pl.col(by)
    y0 = pl.max_horizontal(pl.col("_from").dt.year(), pl.lit(lo.year)).cast(pl.Int32)
    y1 = pl.min_horizontal((pl.col("_to") - pl.duration(days=1)).dt.year().fill_null(hi.year), pl.lit(hi.year))
    runs = (_rows(store, "spans", view, ("kb",)).filter(cond)
            .select("id", "rank", _group=group, y0=y0, y1=y1.cast(pl.Int32), _n=pl.len().over("id")))
    if by == "driver":  # a tie with two drivers counts under each
        runs = runs.explode("_group")
    # A tie counts once a year, at the strongest level it holds that year: ties whose phases change within
    # the window count year by year (runs of one year); the others over their whole run of years.
    single = runs.filter(pl.col("_n") == 1)
    multi = (runs.filter(pl.col("_n") > 1).with_columns(y0=pl.int_ranges("y0", pl.col("y1") + 1, dtype=pl.Int32))
             .explode("y0"))
    multi = (multi.sort("rank").unique(["id", "y0"], keep="last", maintain_order=True) if by == "level"
             else multi.unique(["id", "_group", "y0"]))
    groups = list(S.LEVELS) if by == "level" else sorted(set(runs["_group"].unique().to_list()))
    return _year_counts([single, multi.with_columns(y1=pl.col("y0"))], by, groups, lo.year, hi.year)


def _year_counts(runs: list[pl.DataFrame], by: str, groups: list[str], first: int, last: int) -> pl.DataFrame:
    """How many runs hold in each year of [first, last] and group (a run of group ``_group`` holds from year
    ``y0`` to ``y1``, both inclusive): the running sum of the runs that begin minus those that have ended,
    one row per year and group (groups in the order given), zero counts included."""
    import numpy as np
    import polars as pl

    years = last - first + 1
    steps = np.zeros((years + 1, len(groups)), dtype=np.int64)
    code = {g: i for i, g in enumerate(groups)}
    for frame in runs:
        g = frame["_group"].replace_strict(code, return_dtype=pl.Int32).to_numpy()
        np.add.at(steps, (frame["y0"].to_numpy() - first, g), 1)
        np.add.at(steps, (frame["y1"].to_numpy() - first + 1, g), -1)
    counts = steps.cumsum(axis=0)[:years]
    return pl.DataFrame({"year": np.repeat(np.arange(first, last + 1, dtype=np.int32), len(groups)),
                         by: groups * years, "ties": counts.ravel().astype(np.int32)},
                        schema={"year": pl.Int32, by: pl.String, "ties": pl.Int32})


def diff(start: Date, end: Date, *, patron: Any = None, min_level: str | int | None = None,
         view: View = "record", via: bool = True, db: Any = None, kb: Any = None) -> pl.DataFrame:
    """What changed between two dates (:data:`~pactnet.schema.DIFF_LAYOUT`; with ``patron``, also the partner
    columns). ``change`` is one of:

    - ``added``: active at ``end`` but not at ``start``; ``ended``: the reverse;
    - ``upgraded`` / ``downgraded``: active at both, with a higher (lower) level at ``end``; ``level_before``
      and ``rank_before`` give the level at ``start``;
    - ``transient``: began after ``start`` and ended before ``end`` (quick to form, quick to exit), so
      neither date sees it.

    A partial ``start`` is its period's first day and a partial ``end`` its last.

    >>> d = diff(2006, 2022, patron="USA")  # the GWOT's Central Asian footprint faded
    >>> d.filter(partner="KGZ").select("change", "id").rows()
    [('ended', 'usa-kgz-ct'), ('ended', 'kgz-usa-manas')]
    """
    import polars as pl

    view = _view(view)
    d0, d1 = _range(start, end)
    if d0 is None or d1 is None:
        raise InputError("a date is required", param="start" if d0 is None else "end")
    store = _store(db, kb)
    pat = _resolve(store, patron, "patron") if patron is not None else None
    cond = _filters(patron=pat, partner=None, via=via, rank=_rank(min_level))
    spans = _rows(store, "spans", view, ("kb",)).filter(cond & _active(d0, d1, "_from", "_to"))
    before = spans.filter(_active(d0, d0, "_from", "_to"))
    after = spans.filter(_active(d1, d1, "_from", "_to"))
    rank_before = pl.col("rank_before")
    parts = [  # numbered as in CHANGES
        after.join(before.select("id", level_before=pl.col("level"), rank_before=pl.col("rank")), on="id", how="left")
        .with_columns(_change=pl.when(rank_before.is_null()).then(0).when(pl.col("rank") > rank_before).then(2)
                      .when(pl.col("rank") < rank_before).then(3).cast(pl.Int8)),
        before.filter(~pl.col("id").is_in(after["id"].implode())).with_columns(_change=pl.lit(1, pl.Int8)),
        _rows(store, "ties", view, ("kb",)).filter(
            cond & (pl.col("start") > d0) & pl.col("until").is_not_null() & (pl.col("until") <= d1))
        .with_columns(_change=pl.lit(4, pl.Int8)),
    ]
    out = (pl.concat(parts, how="diagonal_relaxed").filter(pl.col("_change").is_not_null())
           .sort("_change", "start", "id"))
    extra = {"change": pl.col("_change").replace_strict(dict(enumerate(CHANGES)), return_dtype=pl.String)}
    if pat is None:
        return _typed(out, S.DIFF_LAYOUT, extra)
    return _typed(out, S.DIFF_LAYOUT + S.PARTNER_LAYOUT, extra | _partner(pat))


def events(start: Date | None = None, end: Date | None = None, *, actor: Any = None, kind: str | None = None,
           tie: str | None = None, view: View = "record", db: Any = None, kb: Any = None) -> pl.DataFrame:
    """Events between two dates (inclusive), optionally involving an actor or a tie, oldest first, in
    :data:`~pactnet.schema.EVENT_LAYOUT`.

    >>> events(actor="FIN", kind="accession")["date"].to_list()  # the EU, then NATO
    [datetime.date(1995, 1, 1), datetime.date(2023, 4, 4)]
    """
    view = _view(view)
    _vocab(kind, S.EVENT_KINDS, "kind", "event kind")
    lo, hi = _range(start, end)
    store = _store(db, kb)
    who = _resolve(store, actor, "actor") if actor is not None else None
    if tie is not None and not store.query("SELECT 1 FROM ties WHERE id = ? LIMIT 1", [tie]):
        raise InputError(f"unknown tie {tie!r} (see 'ties()')", param="tie")
    clauses, params = ["view = ?"], [view]
    for clause, value in (("date_hi >= ?", lo), ("date <= ?", hi), ("list_contains(actors, ?)", who),
                          ("kind = ?", kind), ("list_contains(ties, ?)", tie)):
        if value is not None:
            clauses.append(clause)
            params.append(value)
    cols = ", ".join(S.column_names(S.EVENT_LAYOUT))
    sql = f"SELECT {cols} FROM events WHERE {' AND '.join(clauses)} ORDER BY date, id"
    return _typed(store.frame(sql, params), S.EVENT_LAYOUT)


def history(actor: Any, *, view: View = "record", via: bool = True, db: Any = None, kb: Any = None
            ) -> pl.DataFrame:
    """An actor's timeline: its ties (all periods) and the events that involve it, oldest first
    (:data:`~pactnet.schema.HISTORY_LAYOUT`).

    >>> h = history("FIN")
    >>> h.filter(type="event", kind="accession").select("date", "with").rows()
    [(datetime.date(1995, 1, 1), ['SWE', 'EU']), (datetime.date(2023, 4, 4), ['NATO'])]
    """
    import polars as pl

    store = _store(db, kb)
    who = _resolve(store, actor, "actor")
    t = ties(patron=who, view=view, via=via, db=store)
    e = events(actor=who, view=view, db=store)
    rows = pl.concat([
        _typed(t.select(pl.col("start").alias("date"), pl.col("start_precision").alias("date_precision"),
                        pl.lit("tie").alias("type"), "id", "kind", "level", pl.concat_list("partner").alias("with"),
                        "end", "end_precision", pl.col("note").alias("description"), "sources"),
               S.HISTORY_LAYOUT),
        _typed(e.select("date", "date_precision", pl.lit("event").alias("type"), "id", "kind",
                        pl.col("actors").list.filter(pl.element() != who).alias("with"), "description", "sources"),
               S.HISTORY_LAYOUT),
    ])
    return rows.sort("date", "type", "id")


def attributes(attribute: str | None = None, *, actor: Any = None, at: Date | None = None,
               db: Any = None, kb: Any = None) -> pl.DataFrame:
    """Context attributes of actors (:data:`~pactnet.schema.ATTRIBUTE_LAYOUT`): whether a state is a
    revisionist power or holds nuclear weapons, which states are contiguous ... (``kb/data/context.yaml``),
    each over the days it holds, with its sources. ``at`` keeps those holding that day; ``actor`` those
    describing it (or naming it as the other actor of a relational attribute).

    >>> attributes("nuclear_weapons", actor="PAK", at=2022).select("value", "start").rows()
    [(1, datetime.date(1998, 5, 28))]
    """
    from .kb.attributes import ATTRIBUTES

    _vocab(attribute, ATTRIBUTES, "attribute", "attribute")
    store = _store(db, kb)
    who = _resolve(store, actor, "actor") if actor is not None else None
    day = _at(at) if at is not None else None
    clauses, params = ["1=1"], []
    for clause, value in (("attribute = ?", attribute), ("(actor = ? OR other = ?)", who),
                          ('start <= ? AND ("end" IS NULL OR "end" >= ?)', day)):
        if value is not None:
            clauses.append(clause)
            params += [value] * clause.count("?")
    cols = ", ".join(f'"{c}"' for c in S.column_names(S.ATTRIBUTE_LAYOUT))
    sql = f"SELECT {cols} FROM attributes WHERE {' AND '.join(clauses)} ORDER BY attribute, actor, other, start"
    return _typed(store.frame(sql, params), S.ATTRIBUTE_LAYOUT)


# ------------------------------------------------------------------------------------------- provenance


def sources(record: str | None = None, *, source: str | None = None, db: Any = None, kb: Any = None
            ) -> pl.DataFrame:
    """Sources with the records citing them (:data:`~pactnet.schema.SOURCE_LAYOUT`); ``record`` keeps the
    citations of one record, ``source`` the uses of one source.

    >>> sources("usa-pak-gwot").filter(id="briefing")["locator"].to_list()[:1]
    ['L25']
    """
    uses = ("SELECT record, type, view, source, locator FROM citations UNION ALL "
            "SELECT id, 'tie', view, split_part(c, '@', 1), split_part(c, '@', 2) "
            "FROM (SELECT id, view, unnest(sources) AS c FROM ties WHERE origin <> 'kb')")
    clauses, params = ["1=1"], []
    if record is not None:
        clauses.append("c.record = ?")
        params.append(record)
    if source is not None:
        clauses.append("s.id = ?")
        params.append(source)
    sql = ("SELECT s.id, s.kind, s.citation, s.address, c.record, c.type, c.view, c.locator "
           f"FROM sources s LEFT JOIN ({uses}) c ON c.source = s.id WHERE {' AND '.join(clauses)} "
           "ORDER BY s.id, c.record, c.view, c.locator")
    frame = _store(db, kb).frame(sql, params)
    if frame.is_empty() and record is not None:
        raise InputError(f"no record {record!r} cites a source (unknown id?)", param="record")
    if frame.is_empty() and source is not None:
        raise InputError(f"unknown source {source!r} (see 'sources()')", param="source")
    return _typed(frame, S.SOURCE_LAYOUT)


def disagreements(*, db: Any = None, kb: Any = None) -> pl.DataFrame:
    """Records whose briefing view differs from the public record, both versions side by side
    (:data:`~pactnet.schema.DISAGREEMENT_LAYOUT`).

    >>> d = disagreements()
    >>> d.filter(id="dji-usa-camp-lemonnier").select("record_start", "briefing_start").rows()
    [('2002', '2008')]
    """
    import polars as pl

    store = _store(db, kb)
    t = store.frame(
        "SELECT 'tie' AS type, id, r.kind AS record_kind, b.kind AS briefing_kind, r.level AS record_level, "
        "b.level AS briefing_level, r.start_text AS record_start, b.start_text AS briefing_start, "
        "r.end_text AS record_end, b.end_text AS briefing_end, r.sources AS record_sources, "
        "b.sources AS briefing_sources, b.briefing_note AS note, "
        "CASE WHEN r.id IS NULL THEN 'briefing only' WHEN b.id IS NULL THEN 'record only' END AS only "
        "FROM (SELECT * FROM ties WHERE view='record' AND origin='kb' AND derived_from IS NULL) r "
        "FULL JOIN (SELECT * FROM ties WHERE view='briefing' AND origin='kb' AND derived_from IS NULL) b USING (id) "
        "WHERE r.disputed OR b.disputed OR r.id IS NULL OR b.id IS NULL ORDER BY id")
    e = store.frame(
        "SELECT 'event' AS type, id, r.date_text AS record_start, b.date_text AS briefing_start, "
        "r.sources AS record_sources, b.sources AS briefing_sources, b.note "
        "FROM (SELECT * FROM events WHERE view='record') r "
        "FULL JOIN (SELECT * FROM events WHERE view='briefing') b USING (id) WHERE r.disputed OR b.disputed "
        "ORDER BY id")
    return pl.concat([_typed(t, S.DISAGREEMENT_LAYOUT), _typed(e, S.DISAGREEMENT_LAYOUT)])
