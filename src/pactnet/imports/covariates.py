"""Covariates: COW National Material Capabilities (v7.0), COW Direct Contiguity, Thompson & Dreyer rivalries.

* ``nmc``: ``NMC-60-abridged.csv`` / ``NMC_5_0.csv`` / ``cow_nmc_v7.csv.gz`` (``ccode, year, milex, milper,
  irst, pec, tpop, upop, cinc``; ``-9`` = missing) -> table ``nmc_capabilities``.
* ``contiguity``: ``contdir.csv`` (``state1no, state2no, ..., conttype, begin, end`` with ``YYYYMM``) or
  ``cow_contdir.csv`` (``ccode1, ccode2, conttype, stdate, enddate``) -> ``contiguity_contdir``
  (``ccode1, ccode2, conttype, start, end``).
* ``rivalries``: ``td_rivalries.csv`` (``rivalryno, rivalryname, ccode1, ccode2, styear, endyear, ...``)
  -> ``rivalries_td``.
* ``majors``: COW major powers, ``majors2016.csv`` (``stateabb, ccode, styear, stmonth, stday, endyear, endmonth,
  endday, version``) or peacesciencer's ``cow_majors.csv`` (the same without ``stateabb``) -> ``majors_spells``
  (``ccode, start, end``).

Coverage (inclusive years; the panel verbs leave their columns missing outside): :data:`NMC_COVERAGE`,
:data:`CONTIGUITY_COVERAGE`, :data:`RIVALRY_COVERAGE`, :data:`MAJORS_COVERAGE`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from pactnet.imports._codes import COW_CODES
from pactnet.imports._io import Col, Imported, check_rows, find_file, read_csv_checked

if TYPE_CHECKING:
    from pathlib import Path

__all__ = ["read_nmc", "read_contiguity", "read_rivalries", "read_majors", "NMC_COVERAGE", "CONTIGUITY_COVERAGE",
           "RIVALRY_COVERAGE", "MAJORS_COVERAGE", "NMC_COMPONENTS"]

#: NMC v7.0 state-years.
NMC_COVERAGE = (1816, 2022)
#: The six capability components and the composite index, in the official file's order.
NMC_COMPONENTS = ("milex", "milper", "irst", "pec", "tpop", "upop", "cinc")
#: COW Direct Contiguity v3.2.
CONTIGUITY_COVERAGE = (1816, 2016)
#: Thompson & Dreyer (2011) strategic rivalries.
RIVALRY_COVERAGE = (1494, 2010)
#: COW major powers (State System Membership v2016); majors at the data's end are carried on by the panel.
MAJORS_COVERAGE = (1816, 2016)

_CODE = dict(nullable=False, allowed=COW_CODES, expected="a COW country code")
# Rivalries reach back to 1494 and use codes of states that predate the COW system (e.g. 324).
_ANY = dict(nullable=False, check=lambda e: (e >= 1) & (e <= 999), expected="a country code 1-999")


def read_nmc(path: str | Path) -> Imported:
    import polars as pl

    src = find_file(path, ["NMC*.csv", "cow_nmc*.csv*", "*nmc*.csv*"], what="the COW NMC file (NMC-60-abridged.csv)")
    vals = NMC_COMPONENTS
    df = read_csv_checked(src, [
        Col("ccode", **_CODE),
        Col("year", nullable=False, check=lambda e: (e >= 1816) & (e <= 2100), expected="a year"),
        *[Col(v, "float", null=("-9", "-9.0", "NA")) for v in vals]])
    df = df.with_columns(pl.col("ccode").cast(pl.Int32), pl.col("year").cast(pl.Int32))
    dup = df.select(pl.struct("ccode", "year").is_duplicated()).to_series()
    check_rows(df, dup, src.name, column="year", expected="one row per state-year")
    meta = {"dataset": "nmc", "version": "7.0" if "7" in src.name else "unknown", "files": [src.name],
            "rows": df.height,
            "coverage": [int(df["year"].min()), int(df["year"].max())]}
    return Imported("nmc", {"capabilities": df}, None, meta)


def read_contiguity(path: str | Path) -> Imported:
    import polars as pl

    src = find_file(path, ["contdir.csv", "DirectContiguity*.csv", "cow_contdir.csv", "*contdir*.csv"],
                    what="the COW direct contiguity file (contdir.csv)")
    head = [c.strip() for c in src.data.split(b"\n", 1)[0].decode("utf-8", "replace").lower().split(",")]
    # The official contdir.csv names the lower and higher state "statelno"/"statehno" (letter l, h);
    # some redistributions use "state1no"/"state2no".
    pair = next((p for p in (("statelno", "statehno"), ("state1no", "state2no")) if p[0] in head), None)
    if pair is not None:
        a, b = pair
        df = read_csv_checked(src, [Col(a, **_CODE), Col(b, **_CODE),
                                    Col("conttype", nullable=False, allowed=frozenset({1, 2, 3, 4, 5}), expected="1-5"),
                                    Col("begin", nullable=False), Col("end", nullable=False)])
        df = df.select(pl.col(a).alias("ccode1"), pl.col(b).alias("ccode2"), "conttype",
                       pl.date(pl.col("begin") // 100, (pl.col("begin") % 100).clip(1, 12), 1).alias("start"),
                       pl.date(pl.col("end") // 100, (pl.col("end") % 100).clip(1, 12), 1).alias("end"), "source_row")
    else:
        df = read_csv_checked(src, [Col("ccode1", **_CODE), Col("ccode2", **_CODE),
                                    Col("conttype", nullable=False, allowed=frozenset({0, 1, 2, 3, 4, 5}),
                                        expected="0-5"),
                                    Col("stdate", "date", nullable=False), Col("enddate", "date", nullable=False)])
        df = df.select("ccode1", "ccode2", "conttype", pl.col("stdate").alias("start"), pl.col("enddate").alias("end"),
                       "source_row")
    check_rows(df, df["end"] < df["start"], src.name, column="end", expected="an end on or after the start")
    df = df.with_columns(pl.col("ccode1", "ccode2").cast(pl.Int32), pl.col("conttype").cast(pl.Int8))
    meta = {"dataset": "contiguity", "version": "3.2", "files": [src.name], "rows": df.height,
            "coverage": [1816, int(df["end"].dt.year().max())]}
    return Imported("contiguity", {"contdir": df}, None, meta)


def read_rivalries(path: str | Path) -> Imported:
    import polars as pl

    src = find_file(path, ["td_rivalries.csv", "*rivalr*.csv"], what="the Thompson & Dreyer rivalries file")
    df = read_csv_checked(src, [Col("rivalryno", nullable=False), Col("rivalryname", "str"), Col("ccode1", **_ANY),
                                Col("ccode2", **_ANY), Col("styear", nullable=False), Col("endyear", nullable=False)],
                          keep_all=True)
    check_rows(df, df["endyear"] < df["styear"], src.name, column="endyear", expected="an end year on or after styear")
    df = df.with_columns(pl.col("ccode1", "ccode2").cast(pl.Int32))
    meta = {"dataset": "rivalries", "version": "td-2011", "files": [src.name], "rows": df.height,
            "coverage": list(RIVALRY_COVERAGE)}
    return Imported("rivalries", {"td": df}, None, meta)


def read_majors(path: str | Path) -> Imported:
    """COW major-power spells: ``majors2016.csv`` or ``cow_majors.csv`` -> table ``majors_spells``."""
    import polars as pl

    src = find_file(path, ["majors2016.csv", "cow_majors.csv", "*majors*.csv"],
                    what="the COW major powers file majors2016.csv")
    df = read_csv_checked(src, [Col("ccode", **_CODE),
                                *[Col(c, nullable=False) for c in ("styear", "stmonth", "stday", "endyear",
                                                                      "endmonth", "endday")]])
    df = df.select(pl.col("ccode").cast(pl.Int32), pl.date("styear", "stmonth", "stday").alias("start"),
                   pl.date("endyear", "endmonth", "endday").alias("end"), "source_row")
    check_rows(df, df["end"] < df["start"], src.name, column="endyear", expected="an end on or after the start",
               found=[f"{e} before {s}" for s, e in zip(df["start"], df["end"], strict=True)])
    meta = {"dataset": "majors", "version": "2016", "files": [src.name], "rows": df.height,
            "coverage": [int(df["start"].dt.year().min()), int(df["end"].dt.year().max())]}
    return Imported("majors", {"spells": df}, None, meta)
