"""State-system membership: Correlates of War (v2016 and later) and Gleditsch-Ward, with entry and exit dates.

Accepted files
--------------
COW (``pactnet import cow-states PATH``), first match wins:

* ``states2016.csv`` / ``statelist2024.csv`` / ``cow_states.csv`` - the COW state list
  (``stateabb,ccode,statenme,styear,stmonth,stday,endyear,endmonth,endday,version``), one row per spell;
* ``cw_system.csv`` - the same spells with ISO dates (``ccode,cw_abb,cw_name,start,end``; isard/peacesciencer);
* ``system2016.csv`` - state-years only (``stateabb,ccode,year,version``): spans are then whole years
  (Jan 1 - Dec 31) and pairs that share a year but not a day cannot be told apart (see docs/panels.md).

Gleditsch-Ward (``pactnet import gw-states PATH``):

* ``iisystem.dat`` (+ ``microstatessystem.dat``) - the official tab-separated files
  (``gwcode, abb, name, start dd:mm:yyyy, end dd:mm:yyyy``, no header);
* ``gw_system.csv`` (``gwcode,gw_abb,gw_name,microstate,start,end``) or ``gw_states.csv``
  (``gwcode,stateabb,statename,startdate,enddate``);
* optionally ``cw_gw_panel.csv`` (year-specific COW <-> G-W crosswalk, ``stateabb,year,gwcode,ccode,...``)
  in the same folder or zip, stored as ``gw_crosswalk``.

Tables: ``cow_states`` / ``gw_states`` with ``code, abb, name, start, end, microstate, source_row``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from pactnet.errors import DatasetError
from pactnet.imports._io import Col, Imported, SourceFile, check_rows, find_file, read_csv_checked

if TYPE_CHECKING:
    from pathlib import Path

    import polars as pl

__all__ = ["read_cow", "read_gw", "read_crosswalk", "cow_gw_crosswalk"]

_CODE = dict(nullable=False, check=lambda e: (e >= 1) & (e <= 999), expected="a country code 1-999")


def _finish(df: pl.DataFrame, file: str) -> pl.DataFrame:
    import polars as pl

    check_rows(df, df["end"] < df["start"], file, column="end", expected="an exit date on or after the entry date",
               found=[f"{e} before entry {s}" for s, e in zip(df["start"], df["end"], strict=True)])
    df = df.sort("code", "start")
    prev_end = pl.col("end").shift(1).over("code")
    overlap = df.select((pl.col("start") <= prev_end).fill_null(False)).to_series()
    check_rows(df, overlap, file, column="start", expected="spells of one state that do not overlap")
    return df.with_columns(pl.col("code").cast(pl.Int32), pl.col("microstate").cast(pl.Int8))


def _ymd(y: str, m: str, d: str):
    import polars as pl

    return pl.date(pl.col(y), pl.col(m), pl.col(d))


def read_cow(path: str | Path) -> Imported:
    """Read the COW state list at ``path`` into the ``cow_states`` table."""
    import polars as pl

    src = find_file(
        path,
        ["states20*.csv", "statelist20*.csv", "cow_states.csv", "cw_system.csv", "system20*.csv"],
        what="a COW state list (states2016.csv, statelist2024.csv or system2016.csv)",
    )
    head = src.data.split(b"\n", 1)[0].decode("utf-8", "replace").lower()
    if "styear" in head:
        df = read_csv_checked(src, [
            Col("stateabb", "str", nullable=False), Col("ccode", **_CODE), Col("statenme", "str"),
            Col("styear", nullable=False), Col("stmonth", nullable=False, check=lambda e: (e >= 1) & (e <= 12),
                                                 expected="a month 1-12"),
            Col("stday", nullable=False, check=lambda e: (e >= 1) & (e <= 31), expected="a day 1-31"),
            Col("endyear", nullable=False), Col("endmonth", nullable=False, check=lambda e: (e >= 1) & (e <= 12),
                                                   expected="a month 1-12"),
            Col("endday", nullable=False, check=lambda e: (e >= 1) & (e <= 31), expected="a day 1-31"),
        ])
        df = df.select(
            pl.col("ccode").alias("code"), pl.col("stateabb").alias("abb"), pl.col("statenme").alias("name"),
            _ymd("styear", "stmonth", "stday").alias("start"), _ymd("endyear", "endmonth", "endday").alias("end"),
            pl.lit(0).alias("microstate"), "source_row",
        )
        level = "day"
    elif "cw_abb" in head:
        df = read_csv_checked(src, [Col("ccode", **_CODE), Col("cw_abb", "str"), Col("cw_name", "str"),
                                    Col("start", "date", nullable=False), Col("end", "date", nullable=False)])
        df = df.select(pl.col("ccode").alias("code"), pl.col("cw_abb").alias("abb"), pl.col("cw_name").alias("name"),
                       "start", "end", pl.lit(0).alias("microstate"), "source_row")
        level = "day"
    else:
        df = read_csv_checked(src, [Col("stateabb", "str", nullable=False), Col("ccode", **_CODE),
                                    Col("year", nullable=False, check=lambda e: (e >= 1800) & (e <= 2100),
                                        expected="a year")])
        df = _years_to_spells(df)
        level = "year"
    df = _finish(df, src.name)
    meta = {"dataset": "cow", "version": _version(src), "files": [src.name], "date_level": level,
            "last_date": str(df["end"].max()), "rows": df.height}
    return Imported("cow", {"states": df}, None, meta)


def _version(src: SourceFile) -> str:
    import re

    m = re.search(r"(20\d\d)", src.name)
    return m.group(1) if m else "unknown"


def _years_to_spells(df: pl.DataFrame) -> pl.DataFrame:
    """State-years -> spells of consecutive years (Jan 1 of the first to Dec 31 of the last)."""
    import polars as pl

    df = df.sort("ccode", "year")
    brk = (pl.col("year") - pl.col("year").shift(1).over("ccode")).fill_null(2) != 1
    g = df.with_columns(spell=brk.cum_sum()).group_by("ccode", "spell").agg(
        pl.col("stateabb").first(), pl.col("year").min().alias("y0"), pl.col("year").max().alias("y1"),
        pl.col("source_row").min(),
    )
    return g.select(
        pl.col("ccode").alias("code"), pl.col("stateabb").alias("abb"), pl.lit(None, dtype=pl.String).alias("name"),
        pl.date(pl.col("y0"), 1, 1).alias("start"), pl.date(pl.col("y1"), 12, 31).alias("end"),
        pl.lit(0).alias("microstate"), "source_row",
    )


def _read_dat(src: SourceFile, microstate: int) -> pl.DataFrame:
    """The official G-W ``.dat`` files: tab-separated ``code, abb, name, dd:mm:yyyy, dd:mm:yyyy``."""
    import datetime as dt

    import polars as pl

    rows = []
    try:
        text = src.data.decode("utf-8")
    except UnicodeDecodeError:  # the official files are Latin-1 (Württemberg, Côte d'Ivoire)
        text = src.data.decode("latin-1")
    for i, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        parts = [p.strip() for p in line.split("\t")]
        if len(parts) != 5:
            raise DatasetError(
                file=src.name, line=i, expected="5 tab-separated fields (code, abb, name, start, end)",
                found=f"{len(parts)} fields"
            )
        if not parts[0].isdigit():
            raise DatasetError(
                file=src.name, line=i, column="gwcode", column_no=1, expected="an integer", found=parts[0]
            )
        dates = []
        for col, no, v in (("start", 4, parts[3]), ("end", 5, parts[4])):
            try:
                d, m, y = (int(x) for x in v.split(":"))
                dates.append(dt.date(y, m, d))
            except ValueError:
                raise DatasetError(
                    file=src.name, line=i, column=col, column_no=no, expected="a date dd:mm:yyyy", found=v
                ) from None
        rows.append((int(parts[0]), parts[1], parts[2], dates[0], dates[1], microstate, i))
    return pl.DataFrame(rows, schema=["code", "abb", "name", "start", "end", "microstate", "source_row"], orient="row")


def read_gw(path: str | Path) -> Imported:
    """Read the Gleditsch-Ward state list at ``path`` into ``gw_states`` (+ ``gw_crosswalk`` if found)."""
    import polars as pl

    src = find_file(path, ["iisystem*.dat", "gw_system.csv", "gw_states.csv", "ksgmdw*.txt"],
                    what="a Gleditsch-Ward state list (iisystem.dat, gw_system.csv or gw_states.csv)")
    files = [src.name]
    if src.name.endswith((".dat", ".txt")):
        df = _read_dat(src, 0)
        micro = find_file(path, ["microstatessystem*.dat", "microstates*.txt"], what="microstates", required=False)
        if micro is not None and micro.name != src.name:
            files.append(micro.name)
            df = pl.concat([df, _read_dat(micro, 1).with_columns(pl.col("source_row") + 100000)])
    elif "microstate" in src.data.split(b"\n", 1)[0].decode("utf-8", "replace"):
        df = read_csv_checked(src, [Col("gwcode", **_CODE), Col("gw_abb", "str"), Col("gw_name", "str"),
                                    Col("microstate", allowed=frozenset({0, 1})),
                                    Col("start", "date", nullable=False), Col("end", "date", nullable=False)])
        df = df.select(pl.col("gwcode").alias("code"), pl.col("gw_abb").alias("abb"), pl.col("gw_name").alias("name"),
                       "start", "end", pl.col("microstate").fill_null(0), "source_row")
    else:
        df = read_csv_checked(src, [Col("gwcode", **_CODE), Col("stateabb", "str"), Col("statename", "str"),
                                    Col("startdate", "date", nullable=False), Col("enddate", "date", nullable=False)])
        df = df.select(pl.col("gwcode").alias("code"), pl.col("stateabb").alias("abb"),
                       pl.col("statename").alias("name"), pl.col("startdate").alias("start"),
                       pl.col("enddate").alias("end"), pl.lit(0).alias("microstate"), "source_row")
    df = _finish(df, src.name)
    tables = {"states": df}
    cw = find_file(path, ["cw_gw_panel.csv", "gw_cw_panel.csv"], what="crosswalk", required=False)
    if cw is not None and cw.name != src.name:
        tables["crosswalk"] = read_crosswalk(cw)
        files.append(cw.name)
    meta = {"dataset": "gw", "version": None, "files": files, "date_level": "day",
            "last_date": str(df["end"].max()), "rows": df.height}
    return Imported("gw", tables, None, meta)


def read_crosswalk(src: SourceFile) -> pl.DataFrame:
    """A year-specific COW <-> G-W crosswalk (``year, gwcode, ccode``; either code may be missing)."""
    return read_csv_checked(src, [Col("year", nullable=False), Col("gwcode"), Col("ccode")]).select(
        "year", "gwcode", "ccode", "source_row"
    )


#: Where the COW and G-W codes of the same state differ (COW code, G-W code, first year).
_CW_GW_RENAMES = ((255, 260, 1990), (345, 340, 2006), (679, 678, 1990), (946, 970, 1999), (947, 973, 2000),
                  (955, 972, 1999), (970, 971, 1999))


def cow_gw_crosswalk(cow: pl.DataFrame, gw: pl.DataFrame, start: int = 1816, end: int | None = None) -> pl.DataFrame:
    """A year-specific COW <-> G-W crosswalk derived from the two state lists.

    A COW state-year maps to the G-W state-year with the same code, except where the systems number
    the same state differently (Germany 255 <-> 260 from 1990, Serbia 345 <-> 340 from 2006, Yemen
    679 <-> 678 from 1990, and four Pacific microstates). Columns ``year, ccode, gwcode`` (a side is
    null when the other system has no counterpart that year).
    """
    import polars as pl

    def years(df: pl.DataFrame, name: str) -> pl.DataFrame:
        e = end or 2100
        return (
            df.select(pl.col("code").alias(name), pl.int_ranges(pl.col("start").dt.year().clip(start, e),
                                                              pl.col("end").dt.year().clip(start, e) + 1).alias("year"))
            .explode("year").drop_nulls().unique()
        )

    c, g = years(cow, "ccode"), years(gw, "gwcode")
    ren = pl.DataFrame(_CW_GW_RENAMES, schema=["ccode", "gw_alt", "from_year"], orient="row")
    c = c.join(ren, on="ccode", how="left").with_columns(
        key=pl.when(pl.col("year") >= pl.col("from_year")).then(pl.col("gw_alt")).otherwise(pl.col("ccode"))
    )
    out = c.join(g.with_columns(key=pl.col("gwcode")), on=["key", "year"], how="full", coalesce=False)
    return out.select(pl.coalesce("year", "year_right").cast(pl.Int32).alias("year"),
                      pl.col("ccode").cast(pl.Int32), pl.col("gwcode").cast(pl.Int32)).sort("year", "ccode", "gwcode")
