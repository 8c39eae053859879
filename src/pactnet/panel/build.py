"""Dyad-year and state-year panels with attributes joined on ``ccode1, ccode2, year`` (or ``ccode, year``).

Attribute values are missing (null) outside a dataset's coverage and 0 inside it where the dataset
records nothing (no alliance, no contiguity, no rivalry). Non-directed panels take the maximum over
both directions (minimum for contiguity type, where lower is closer). Attribute rows that find no
dyad-year of the panel are kept in :attr:`Panel.dropped` (peacesciencer drops them silently).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from pactnet.panel.frame import Panel
from pactnet.panel.universe import PAIR_BASE, Segments, dyad_key

if TYPE_CHECKING:
    import numpy as np
    import polars as pl

__all__ = ["Panel", "dyad_years", "state_years", "ATTRIBUTES", "kb_dyad_years", "verbs"]

#: The attributes ``dyad_years``/``--with`` know, in the order ``dyad_years`` adds them.
ATTRIBUTES = ("atop", "cow", "dcad", "contiguity", "rivalry", "nmc", "kb", "majors", "capitals")
_LEVEL_OF_RANK = {5: "guarantee", 4: "assurance", 3: "structured", 2: "ad_hoc", 1: "transactional", -1: "hostile"}


def __getattr__(name: str):
    if name == "COVERAGE":  # defined with the verbs, from the importers' constants
        from pactnet.panel.verbs import COVERAGE

        return COVERAGE
    raise AttributeError(name)


def _undirect(df: pl.DataFrame, values: list[str], agg: str = "max") -> pl.DataFrame:
    import polars as pl

    lo = pl.min_horizontal("ccode1", "ccode2").alias("ccode1")
    hi = pl.max_horizontal("ccode1", "ccode2").alias("ccode2")
    f = (lambda c: pl.col(c).max()) if agg == "max" else (lambda c: pl.col(c).min())
    return df.select(lo, hi, "year", *values).group_by("ccode1", "ccode2", "year").agg(f(c) for c in values)


def _exclude(seg: Segments, exclude: pl.DataFrame, directed: bool) -> Segments:
    """``seg`` without the dyad-years listed in ``exclude`` (``ccode1, ccode2, year`` or ``gwcode1, gwcode2, year``;
    undirected universes drop a pair listed in either order)."""
    import numpy as np
    import polars as pl

    from pactnet.errors import InputError

    names = [c for c in (("ccode1", "ccode2"), ("gwcode1", "gwcode2")) if set(c) <= set(exclude.columns)]
    if not names or "year" not in exclude.columns:
        raise InputError("the list of false dyads needs columns ccode1, ccode2, year (or gwcode1, gwcode2, year)")
    a = exclude[names[0][0]].cast(pl.Int32).to_numpy()
    b = exclude[names[0][1]].cast(pl.Int32).to_numpy()
    y = exclude["year"].cast(pl.Int32).to_numpy()
    if not directed:
        a, b = np.minimum(a, b), np.maximum(a, b)
    pos, hit = seg.locate(a, b, y)
    if not hit.any():
        return seg
    c1, c2, year = seg.arrays()
    keep = np.ones(seg.n, dtype=bool)
    keep[pos[hit]] = False
    c1, c2, year = c1[keep], c2[keep], year[keep]
    new = np.ones(len(year), dtype=bool)  # a segment starts where the pair changes or a year is skipped
    new[1:] = (c1[1:] != c1[:-1]) | (c2[1:] != c2[:-1]) | (year[1:] != year[:-1] + 1)
    starts = np.flatnonzero(new)
    ends = np.append(starts[1:], len(year)) - 1
    return Segments.of(c1[starts], c2[starts], year[starts], year[ends])


def _kb_ties(ties: pl.DataFrame, start: int, end: int) -> pl.DataFrame:
    """The usable ties: both ends coded and different, ``y0 <= y1`` inside ``start .. end``; sorted by priority
    (highest rank first, then id: the order in which ties win a dyad-year)."""
    import polars as pl

    return ties.filter(
        pl.col("source_ccode").is_not_null() & pl.col("target_ccode").is_not_null()
        & (pl.col("source_ccode") != pl.col("target_ccode"))
    ).select(
        pl.col("id"), pl.col("source_ccode").cast(pl.Int32).alias("a"),
        pl.col("target_ccode").cast(pl.Int32).alias("b"),
        pl.col("directed").fill_null(False), pl.col("rank").cast(pl.Int8), pl.col("kind"),
        pl.col("drivers").list.first().alias("driver"),
        pl.col("start_lo" if "start_lo" in ties.columns else "start").dt.year().clip(start, None).cast(pl.Int32)
        .alias("y0"),
        pl.col("end_hi" if "end_hi" in ties.columns else "end").dt.year().fill_null(end).clip(None, end)
        .cast(pl.Int32).alias("y1"),
    ).filter(pl.col("y0") <= pl.col("y1")).sort(["rank", "id"], descending=[True, False], maintain_order=True)


def _kb_years(t: pl.DataFrame, directed: bool) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """``(ccode1, ccode2, year, tie)``: the winning tie (row of ``t``) of each dyad-year, sorted by dyad-year."""
    import numpy as np

    a, b = t["a"].to_numpy(), t["b"].to_numpy()
    y0, y1 = t["y0"].to_numpy(), t["y1"].to_numpy()
    und = np.flatnonzero(~t["directed"].to_numpy())  # undirected ties count both ways
    tie = np.concatenate([np.arange(t.height, dtype=np.int32), und.astype(np.int32)])
    c1, c2 = np.concatenate([a, b[und]]), np.concatenate([b, a[und]])
    if not directed:
        c1, c2 = np.minimum(c1, c2), np.maximum(c1, c2)
    cnt = (y1[tie] - y0[tie] + 1).astype(np.int64)
    offs = np.cumsum(cnt) - cnt
    tie = np.repeat(tie, cnt)
    year = (np.arange(len(tie), dtype=np.int64) - np.repeat(offs, cnt) + y0[tie]).astype(np.int32)
    c1, c2 = np.repeat(c1, cnt), np.repeat(c2, cnt)
    if len(tie) and (c1.min() >= 0) & (c1.max() < PAIR_BASE) & (c2.min() >= 0) & (c2.max() < PAIR_BASE):
        order = np.lexsort((tie, dyad_key(c1, c2, year)))  # ties are numbered in priority order
    else:
        order = np.lexsort((tie, year, c2, c1))
    c1, c2, year, tie = c1[order], c2[order], year[order], tie[order]
    first = np.ones(len(tie), dtype=bool)
    first[1:] = (c1[1:] != c1[:-1]) | (c2[1:] != c2[:-1]) | (year[1:] != year[:-1])
    return c1[first], c2[first], year[first], tie[first]


def _kb_frame(t: pl.DataFrame, c1: np.ndarray, c2: np.ndarray, year: np.ndarray, tie: np.ndarray) -> pl.DataFrame:
    import polars as pl

    k = t.select("rank", "kind", "driver")[tie]
    return pl.DataFrame({"ccode1": c1, "ccode2": c2, "year": year}).with_columns(
        k["rank"].alias("kb_rank"),
        k["rank"].replace_strict(_LEVEL_OF_RANK, default=None, return_dtype=pl.String)
        .cast(pl.Enum(("hostile", "transactional", "ad_hoc", "structured", "assurance", "guarantee")))
        .alias("kb_level"),
        k["kind"].alias("kb_kind"), k["driver"].alias("kb_driver"),
    )


def kb_dyad_years(ties: pl.DataFrame, start: int, end: int, directed: bool = True) -> pl.DataFrame:
    """The knowledge base's highest commitment per dyad-year: ``ccode1, ccode2, year, kb_rank, kb_level, kb_kind,
    kb_driver``.

    ``ties`` is the shape of :func:`pactnet.panel._kb.kb_ties` (``source_ccode``, ``target_ccode``,
    ``directed``, ``rank``, ``kind``, ``drivers``, ``start`` and ``end``, the last day held; or ``start_lo`` and
    ``end_hi``). A tie counts in every year from its start year to its end year (open ties to ``end``);
    undirected ties count both ways.
    Ties of equal rank are ordered by id; the first one's kind and first driver are reported.
    """
    t = _kb_ties(ties, start, end)
    return _kb_frame(t, *_kb_years(t, directed))


def _expand_spans(df: pl.DataFrame, y0: str, y1: str, values: list[str]) -> pl.DataFrame:
    import polars as pl

    return df.select(
        pl.col("ccode1").cast(pl.Int32), pl.col("ccode2").cast(pl.Int32), *values,
        pl.int_ranges(pl.col(y0), pl.col(y1) + 1, dtype=pl.Int32).alias("year"),
    ).explode("year").drop_nulls("year")


def _to_gw(df: pl.DataFrame, crosswalk: pl.DataFrame, cols: tuple[str, ...]) -> pl.DataFrame:
    """Translate COW-coded ``cols`` to G-W codes for the same year (rows without a counterpart are dropped)."""
    import polars as pl

    cw = crosswalk.drop_nulls(["ccode", "gwcode"]).select(
        pl.col("year").cast(pl.Int32), pl.col("ccode").cast(pl.Int32), pl.col("gwcode").cast(pl.Int32)
    ).unique(["year", "ccode"])
    for c in cols:
        df = df.with_columns(pl.col(c).cast(pl.Int32), pl.col("year").cast(pl.Int32)).join(
            cw.rename({"ccode": c}), on=[c, "year"], how="inner"
        ).drop(c).rename({"gwcode": c})
    return df


def dyad_years(
    states: pl.DataFrame,
    *,
    start: int = 1816,
    end: int | None = None,
    carry_forward: bool = False,
    directed: bool = True,
    system: str = "cow",
    atop: pl.DataFrame | None = None,
    cow: pl.DataFrame | None = None,
    dcad: pl.DataFrame | None = None,
    contiguity: pl.DataFrame | None = None,
    rivalry: pl.DataFrame | None = None,
    nmc: pl.DataFrame | None = None,
    kb: pl.DataFrame | None = None,
    crosswalk: pl.DataFrame | None = None,
    exclude: pl.DataFrame | None = None,
) -> Panel:
    """Build the dyad-year panel of ``states`` (a state-spell table) from ``start`` to ``end``.

    Parameters
    ----------
    states : ``code, start, end`` spells (``cow_states`` / ``gw_states`` tables).
    end : last year; states alive on the data's last day are carried on to it. Default: the last year
        of the state data.
    directed : directed panel (both orders) or undirected (``ccode2 > ccode1``).
    atop : ATOP directed dyad-years (``atop_dyad_years`` table). ``cow``: COW alliance directed
        dyad-years. ``dcad``: DCAD dyad-years. ``contiguity``: COW direct contiguity spells
        (``ccode1, ccode2, conttype, start, end``). ``rivalry``: Thompson & Dreyer rivalries
        (``ccode1, ccode2, styear, endyear``). ``nmc``: NMC state-years. ``kb``: a tie table.
    crosswalk : for ``system="gw"``, the year-specific ``year, ccode, gwcode`` table used to move the
        COW-coded attributes onto G-W codes.
    exclude : dyad-years to leave out (``ccode1, ccode2, year`` or ``gwcode1, gwcode2, year``), e.g.
        peacesciencer's ``false_cow_dyads.csv``. Needed only when ``states`` has years but no days
        (``system2016.csv``): with real dates, pairs that never share a day are absent anyway.

    Returns
    -------
    Panel with ``frame`` columns ``ccode1, ccode2, year`` (``gwcode1, gwcode2, year`` for G-W) and the
    attributes asked for.
    """
    from pactnet.errors import InputError
    from pactnet.panel import create as V

    given = {"atop": atop, "cow": cow, "dcad": dcad, "contiguity": contiguity, "rivalry": rivalry, "nmc": nmc,
             "kb": kb}
    if system == "gw" and any(x is not None for x in given.values()) and crosswalk is None:
        raise InputError("a G-W panel with attributes needs the COW <-> G-W crosswalk (import gw-states with "
                         "cw_gw_panel.csv, or import both cow-states and gw-states)")
    p = V._dyad_universe(states, system=system, directed=directed, start=start, end=end, exclude=exclude,
                         carry_forward=carry_forward)
    p = p.replace(crosswalk=crosswalk)
    table = verbs()
    for name, data in given.items():
        if data is not None:
            p = table[name](p, data=data)
    return p


def verbs() -> dict:
    """``--with`` name -> verb (:mod:`pactnet.panel.verbs`), for every name of :data:`ATTRIBUTES`."""
    from pactnet.panel import verbs as V

    return {"atop": V.add_atop, "cow": V.add_cow_alliances, "dcad": V.add_dcad, "contiguity": V.add_contiguity,
            "rivalry": V.add_rivalries, "nmc": V.add_nmc, "kb": V.add_kb, "majors": V.add_major_powers,
            "capitals": V.add_capital_distance}


def state_years(
    states: pl.DataFrame,
    *,
    start: int = 1816,
    end: int | None = None,
    carry_forward: bool = False,
    system: str = "cow",
    atop: pl.DataFrame | None = None,
    nmc: pl.DataFrame | None = None,
    kb: pl.DataFrame | None = None,
    crosswalk: pl.DataFrame | None = None,
) -> Panel:
    """Build the state-year panel: every state-year with at least one day of system membership.

    ``atop`` is the ATOP state-year table (``state, year, atopally, defense .. consul, number``):
    columns ``atop_alliance``, ``atop_defense`` .. ``atop_consul``, ``atop_number`` (0 inside 1815-2018
    when the state has no alliance). ``nmc``: ``cinc, milex, milper, milex`` etc. ``kb``: the highest
    commitment the state holds that year with any state (``kb_rank``, ``kb_level``) and the number of
    partners at that level or any (``kb_partners``).
    """
    from pactnet.errors import InputError
    from pactnet.panel import create as V

    given = {"atop": atop, "nmc": nmc, "kb": kb}
    if system == "gw" and any(x is not None for x in given.values()) and crosswalk is None:
        raise InputError("a G-W panel with attributes needs the COW <-> G-W crosswalk")
    p = V._state_universe(states, system=system, start=start, end=end, carry_forward=carry_forward).replace(
        crosswalk=crosswalk)
    table = verbs()
    for name, data in given.items():
        if data is not None:
            p = table[name](p, data=data)
    return p
