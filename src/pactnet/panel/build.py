"""Dyad-year and state-year panels with attributes joined on ``ccode1, ccode2, year`` (or ``ccode, year``).

Attribute values are missing (null) outside a dataset's coverage and 0 inside it where the dataset
records nothing (no alliance, no contiguity, no rivalry). Non-directed panels take the maximum over
both directions (minimum for contiguity type, where lower is closer). Attribute rows that find no
dyad-year of the panel are kept in :attr:`Panel.dropped` (peacesciencer drops them silently).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from pactnet.panel.universe import (
    PAIR_BASE,
    YEAR_BASE,
    Segments,
    dyad_key,
    dyad_segments,
    spans,
    state_year_arrays,
)

if TYPE_CHECKING:
    from pathlib import Path

    import numpy as np
    import polars as pl

__all__ = ["Panel", "dyad_years", "state_years", "COVERAGE", "ATTRIBUTES", "kb_dyad_years"]

#: Years each dataset covers (inclusive). Outside them its columns are null. ``None``: no fixed coverage.
COVERAGE: dict[str, tuple[int, int] | None] = {
    "atop": (1815, 2018),
    "cow": (1816, 2012),
    "dcad": (1980, 2010),
    "contiguity": (1816, 2016),
    "rivalry": (1494, 2010),
    "nmc": (1816, 2022),
    "kb": None,
}
ATTRIBUTES = tuple(COVERAGE)
_ATOP = ("atop_defense", "atop_offense", "atop_neutral", "atop_nonagg", "atop_consul")
_COW = ("cow_defense", "cow_neutral", "cow_nonagg", "cow_entente")
_LEVEL_OF_RANK = {5: "guarantee", 4: "assurance", 3: "structured", 2: "ad_hoc", 1: "transactional", -1: "hostile"}


@dataclass
class Panel:
    """A built panel: ``frame`` (polars), what it is, and the attribute rows it could not place.

    ``dropped[name]`` holds the rows of attribute ``name`` with no dyad-year (state-year) in the panel:
    years outside the panel, or pairs not both in the system that year (e.g. ATOP dyad-years of 1815,
    before the COW system starts, or of states COW does not count as members then).
    """

    frame: pl.DataFrame
    kind: str
    system: str
    directed: bool
    start: int
    end: int
    dropped: dict[str, pl.DataFrame] = field(default_factory=dict)

    @property
    def height(self) -> int:
        return self.frame.height

    def dropped_counts(self) -> dict[str, int]:
        return {k: v.height for k, v in self.dropped.items()}

    def write(self, path: str | Path) -> None:
        """Write the frame to ``.parquet`` or ``.csv`` (chosen by the suffix)."""
        from pathlib import Path as _P

        from pactnet.errors import InputError

        p = _P(path)
        if p.suffix.lower() == ".parquet":
            self.frame.write_parquet(p, statistics=False)
        elif p.suffix.lower() in (".csv", ".gz") and p.name.lower().endswith((".csv", ".csv.gz")):
            if p.suffix.lower() == ".gz":
                import gzip

                with gzip.open(p, "wb") as fh:
                    self.frame.write_csv(fh)
            else:
                self.frame.write_csv(p)
        else:
            raise InputError(f"{p}: output must end in .parquet or .csv (got {p.suffix or 'no suffix'!r})")

    def write_dropped(self, path: str | Path) -> None:
        """Write every dropped attribute row to one CSV (column ``attribute`` says which dataset)."""
        import polars as pl

        frames = [
            d.select("ccode1", "ccode2", "year").with_columns(pl.lit(k).alias("attribute"))
            if "ccode1" in d.columns
            else d.select(pl.col("ccode").alias("ccode1"), pl.lit(None, dtype=pl.Int32).alias("ccode2"), "year")
            .with_columns(pl.lit(k).alias("attribute"))
            for k, d in self.dropped.items()
        ]
        out = pl.concat([f.with_columns(pl.col("ccode1", "ccode2", "year").cast(pl.Int32)) for f in frames]) if frames \
            else pl.DataFrame(schema={"ccode1": pl.Int32, "ccode2": pl.Int32, "year": pl.Int32, "attribute": pl.String})
        out.write_csv(path)


def _undirect(df: pl.DataFrame, values: list[str], agg: str = "max") -> pl.DataFrame:
    import polars as pl

    lo = pl.min_horizontal("ccode1", "ccode2").alias("ccode1")
    hi = pl.max_horizontal("ccode1", "ccode2").alias("ccode2")
    f = (lambda c: pl.col(c).max()) if agg == "max" else (lambda c: pl.col(c).min())
    return df.select(lo, hi, "year", *values).group_by("ccode1", "ccode2", "year").agg(f(c) for c in values)


def _assemble(cols: dict[str, tuple[np.ndarray, Any]], n: int) -> pl.DataFrame:
    """A polars frame over the numpy arrays (not copied), with nulls where a column's validity mask is False
    (masks shared between columns are evaluated once)."""
    import polars as pl

    masks: dict[int, str] = {}
    data: dict[str, Any] = {}
    exprs = []
    for name, (values, valid) in cols.items():
        data[name] = values
        if valid is not None:
            if id(valid) not in masks:
                masks[id(valid)] = f"__valid{len(masks)}"
                data[masks[id(valid)]] = valid
            exprs.append(pl.when(pl.col(masks[id(valid)])).then(pl.col(name)).alias(name))
    frame = pl.DataFrame(data, height=n)
    return frame.with_columns(exprs).drop(list(masks.values())) if exprs else frame


def _sorted_rows(df: pl.DataFrame) -> pl.DataFrame:
    return df.sort("ccode1", "ccode2", "year", maintain_order=True)


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
        pl.col("start_lo").dt.year().clip(start, None).cast(pl.Int32).alias("y0"),
        pl.col("end_hi").dt.year().fill_null(end).clip(None, end).cast(pl.Int32).alias("y1"),
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
        k["rank"].replace_strict(_LEVEL_OF_RANK, default=None, return_dtype=pl.String).alias("kb_level"),
        k["kind"].alias("kb_kind"), k["driver"].alias("kb_driver"),
    )


def kb_dyad_years(ties: pl.DataFrame, start: int, end: int, directed: bool = True) -> pl.DataFrame:
    """The knowledge base's highest commitment per dyad-year: ``ccode1, ccode2, year, kb_rank, kb_level, kb_kind,
    kb_driver``.

    ``ties`` is the shape of :func:`pactnet.network.tie_table` (``source_ccode``, ``target_ccode``,
    ``directed``, ``rank``, ``kind``, ``drivers``, ``start_lo``, ``end_hi``). A tie counts in every
    year from its start year to its end year (open ties to ``end``); undirected ties count both ways.
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
    import numpy as np
    import polars as pl

    from pactnet.errors import InputError

    code, st, en = spans(states, end)
    if end is None:
        end = int(np.datetime64(int(en.max()), "D").astype("datetime64[Y]").astype(int) + 1970)
    seg = dyad_segments(code, st, en, start, end, directed)
    if exclude is not None:
        seg = _exclude(seg, exclude, directed)
    c1, c2, year = seg.arrays()
    n = seg.n
    # Columns as numpy arrays plus a validity mask (None: no nulls); masks are shared between columns.
    cols: dict[str, tuple[np.ndarray, Any]] = {"ccode1": (c1, None), "ccode2": (c2, None), "year": (year, None)}
    post: list[pl.Expr] = []  # applied to the assembled frame
    kbcols: dict[str, pl.Series] = {}
    dropped: dict[str, pl.DataFrame] = {}
    covers: dict[tuple[int, int], Any] = {}
    gw = system == "gw"
    if gw and any(x is not None for x in (atop, cow, dcad, contiguity, rivalry, nmc, kb)) and crosswalk is None:
        raise InputError("a G-W panel with attributes needs the COW <-> G-W crosswalk (import gw-states with "
                         "cw_gw_panel.csv, or import both cow-states and gw-states)")

    def covered(cov: tuple[int, int] | None) -> Any:
        if cov is None or (cov[0] <= start and end <= cov[1]):
            return None
        if cov not in covers:
            inside = (year >= cov[0]) if cov[0] > start else np.ones(n, dtype=bool)
            if cov[1] < end:
                inside &= year <= cov[1]
            covers[cov] = inside
        return covers[cov]

    def dyadic(name: str, df: pl.DataFrame, values: list[str], agg: str = "max", dtype: Any = np.int8) -> None:
        if gw:
            df = _to_gw(df, crosswalk, ("ccode1", "ccode2"))
            df = df.group_by("ccode1", "ccode2", "year").agg(
                (pl.col(v).max() if agg == "max" else pl.col(v).min()) for v in values)
        if not directed:
            df = _undirect(df, values, agg)
        pos, hit = seg.locate(df["ccode1"].to_numpy(), df["ccode2"].to_numpy(), df["year"].to_numpy())
        if not hit.all():
            dropped[name] = _sorted_rows(df.filter(pl.Series(~hit)))
        at = pos[hit]
        for v in values:
            out = np.zeros(n, dtype=dtype)  # 0 inside the coverage: nothing recorded
            out[at] = df[v].fill_null(0).to_numpy()[hit]  # duplicate dyad-years: the last row wins
            cols[v] = (out, covered(COVERAGE[name]))

    if atop is not None:
        dyadic("atop", atop.select("ccode1", "ccode2", "year", *_ATOP), list(_ATOP))
    if cow is not None:
        dyadic("cow", cow.select("ccode1", "ccode2", "year", *_COW), list(_COW))
    if dcad is not None:
        vals = [c for c in dcad.columns if c.startswith("dcad_")]
        dyadic("dcad", dcad.select("ccode1", "ccode2", "year", *vals), vals)
    if contiguity is not None:
        ct = contiguity.with_columns(
            pl.col("start").dt.year().alias("y0"), pl.col("end").dt.year().alias("y1")
        ) if "start" in contiguity.columns else contiguity
        ex = _expand_spans(ct, "y0", "y1", ["conttype"]).group_by("ccode1", "ccode2", "year").agg(
            pl.col("conttype").replace(0, 9).min().replace(9, 0).cast(pl.Int8))
        # conttype: 1 land .. 5 sea <= 400 miles, 0 = not contiguous (lower is closer; undirected takes min)
        dyadic("contiguity", ex, ["conttype"], agg="min")
    if rivalry is not None:
        rv = _expand_spans(rivalry, "styear", "endyear", ["rivalryno"])
        rv = pl.concat([rv, rv.select(pl.col("ccode2").alias("ccode1"), pl.col("ccode1").alias("ccode2"),
                                      "rivalryno", "year")])
        rv = rv.group_by("ccode1", "ccode2", "year").agg(pl.lit(1, dtype=pl.Int8).alias("td_rival"))
        dyadic("rivalry", rv, ["td_rival"])
    if nmc is not None:
        nm = nmc.select(pl.col("ccode").cast(pl.Int32), pl.col("year").cast(pl.Int32), "cinc", "milex", "milper")
        if gw:
            nm = _to_gw(nm, crosswalk, ("ccode",)).unique(["ccode", "year"])
        width = end - start + 1
        ncc, nyy = nm["ccode"].to_numpy(), nm["year"].to_numpy()
        ok = np.flatnonzero((ncc >= 0) & (ncc < PAIR_BASE) & (nyy >= start) & (nyy <= end))[::-1]
        slot = np.full(PAIR_BASE * width, -1, dtype=np.int32)  # (code, year) -> row of nm; the first row wins
        slot[ncc[ok].astype(np.int64) * width + (nyy[ok] - start)] = ok
        vals = {v: nm[v].cast(pl.Float64).to_numpy() for v in ("cinc", "milex", "milper")}
        for side, cc in (("1", c1), ("2", c2)):
            row = slot[cc.astype(np.int64) * width + (year - start)]
            has = row >= 0
            for v in ("cinc", "milex", "milper"):
                cols[f"{v}{side}"] = (np.where(has, vals[v][row], np.nan), None)
                post.append(pl.col(f"{v}{side}").fill_nan(None))
    if kb is not None:
        t = _kb_ties(kb, start, end)
        kc1, kc2, ky, tie = _kb_years(t, directed)
        if gw:
            k = _to_gw(_kb_frame(t, kc1, kc2, ky, tie).with_columns(pl.Series("__tie", tie)), crosswalk,
                       ("ccode1", "ccode2"))
            k = k.sort("__tie", maintain_order=True).group_by("ccode1", "ccode2", "year", maintain_order=True).first()
            k = k.sort("ccode1", "ccode2", "year")
            kc1, kc2, ky, tie = (k[c].to_numpy() for c in ("ccode1", "ccode2", "year", "__tie"))
        pos, hit = seg.locate(kc1, kc2, ky)
        if not hit.all():
            miss = ~hit
            dropped["kb"] = _kb_frame(t, kc1[miss], kc2[miss], ky[miss], tie[miss])
        at, won = pos[hit].astype(np.uint32), tie[hit]
        used = t[np.unique(tie)]  # Enum categories: the values of the ties that win some dyad-year
        level = t["rank"].replace_strict(_LEVEL_OF_RANK, default=None, return_dtype=pl.String)
        used_level = used["rank"].replace_strict(_LEVEL_OF_RANK, default=None, return_dtype=pl.String)
        for name, values, present in (("kb_rank", t["rank"], None), ("kb_level", level, used_level),
                                      ("kb_kind", t["kind"], used["kind"]), ("kb_driver", t["driver"], used["driver"])):
            if present is not None:
                values = values.cast(pl.String).cast(pl.Enum(sorted(present.drop_nulls().unique().to_list())),
                                                     strict=False)
            # null where no tie; the few dyad-years with one are set in place
            kbcols[name] = pl.repeat(None, n, dtype=values.dtype, eager=True).scatter(at, values.gather(won))

    frame = _assemble(cols, n)
    if post:
        frame = frame.with_columns(post)
    if kbcols:
        frame = frame.with_columns(s.alias(k) for k, s in kbcols.items())
    if gw:
        frame = frame.rename({"ccode1": "gwcode1", "ccode2": "gwcode2"})
    return Panel(frame, "dyad_year", system, directed, start, end, dropped)


def state_years(
    states: pl.DataFrame,
    *,
    start: int = 1816,
    end: int | None = None,
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
    import numpy as np
    import polars as pl

    from pactnet.errors import InputError

    code, st, en = spans(states, end)
    if end is None:
        end = int(np.datetime64(int(en.max()), "D").astype("datetime64[Y]").astype(int) + 1970)
    cc, yy = state_year_arrays(code, st, en, start, end)
    ukey = cc.astype(np.int64) * YEAR_BASE + yy
    frame = pl.DataFrame({"ccode": cc, "year": yy})
    dropped: dict[str, pl.DataFrame] = {}
    gw = system == "gw"
    if gw and any(x is not None for x in (atop, nmc, kb)) and crosswalk is None:
        raise InputError("a G-W panel with attributes needs the COW <-> G-W crosswalk")

    def attach(name: str, df: pl.DataFrame, values: list[str], cov: tuple[int, int] | None, zero: bool) -> None:
        nonlocal frame
        if gw:
            df = _to_gw(df, crosswalk, ("ccode",)).unique(["ccode", "year"])
        df = df.with_columns(pl.col("ccode").cast(pl.Int32), pl.col("year").cast(pl.Int32))
        akey = df["ccode"].cast(pl.Int64).to_numpy() * YEAR_BASE + df["year"].to_numpy()
        hit = np.isin(akey, ukey)
        if not hit.all():
            dropped[name] = df.filter(pl.Series(~hit))
        frame = frame.join(df.select("ccode", "year", *values), on=["ccode", "year"], how="left")
        if zero:
            frame = frame.with_columns(pl.col(v).fill_null(0) for v in values)
        if cov is not None:
            frame = frame.with_columns(
                pl.when(pl.col("year").is_between(*cov)).then(pl.col(v)).otherwise(None).alias(v) for v in values
            )

    if atop is not None:
        a = atop.select(
            pl.col("state").alias("ccode"), "year", pl.col("atopally").cast(pl.Int8).alias("atop_alliance"),
            *[pl.col(o).cast(pl.Int8).alias(f"atop_{o}")
              for o in ("defense", "offense", "neutral", "nonagg", "consul")],
            pl.col("number").cast(pl.Int32).alias("atop_number"),
        )
        attach("atop", a, [c for c in a.columns if c.startswith("atop_")], COVERAGE["atop"], True)
    if nmc is not None:
        vals = [c for c in ("milex", "milper", "irst", "pec", "tpop", "upop", "cinc") if c in nmc.columns]
        attach("nmc", nmc.select("ccode", "year", *vals), vals, COVERAGE["nmc"], False)
    if kb is not None:
        k = kb_dyad_years(kb, start, end, True)
        k = k.group_by(pl.col("ccode1").alias("ccode"), "year").agg(
            pl.col("kb_rank").max(), pl.col("ccode2").n_unique().cast(pl.Int32).alias("kb_partners")
        ).with_columns(
            pl.col("kb_rank").replace_strict(_LEVEL_OF_RANK, default=None, return_dtype=pl.String).alias("kb_level"))
        attach("kb", k, ["kb_rank", "kb_level", "kb_partners"], None, False)
    frame = frame.sort("ccode", "year")
    if gw:
        frame = frame.rename({"ccode": "gwcode"})
    return Panel(frame, "state_year", system, True, start, end, dropped)
