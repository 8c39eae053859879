"""DCAD, the Defense Cooperation Agreement Dataset v1.0 (Kinne 2020), dyadic file, 1980-2010.

``DCAD-v1.0-dyadic.csv``: ``ccode1, abbrev1, ccode2, abbrev2, year, dcaGeneralV1, dcaGeneralV2,
dcaSectorV1, dcaSectorV2, dcaAnyV1, dcaAnyV2``. Stored as dyad-years in both orders (an agreement binds
both parties) with columns ``dcad_general_v1 .. dcad_any_v2``; outside 1980-2010 they are missing.
Ties: one undirected ``defense_cooperation`` tie (level ``structured``) per run of consecutive years
with ``dcaAnyV1 == 1``, dated by year (start Jan 1, end Dec 31 of the last year in force; a run
reaching 2010 is right-censored and left open).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from pactnet.imports._codes import COW_CODES, actor_expr
from pactnet.imports._io import Col, Imported, find_file, read_csv_checked
from pactnet.store import check_ties

if TYPE_CHECKING:
    from pathlib import Path

    import polars as pl

__all__ = ["NAME", "VERSION", "read"]

NAME = "dcad"
VERSION = "1.0"
URL = "https://correlatesofwar.org/wp-content/uploads/kinne_dca.zip"
FIRST_YEAR, LAST_YEAR = 1980, 2010
_V = ("dcaGeneralV1", "dcaGeneralV2", "dcaSectorV1", "dcaSectorV2", "dcaAnyV1", "dcaAnyV2")
_OUT = ("dcad_general_v1", "dcad_general_v2", "dcad_sector_v1", "dcad_sector_v2", "dcad_any_v1", "dcad_any_v2")


def read(path: str | Path) -> Imported:
    """Read ``DCAD-v1.0-dyadic.csv`` at ``path`` (zip, folder or file)."""
    import polars as pl

    src = find_file(path, ["DCAD-v1.0-dyadic.csv", "DCAD*dyadic*.csv"], what="DCAD-v1.0-dyadic.csv")
    code = dict(nullable=False, allowed=COW_CODES, expected="a COW country code")
    df = read_csv_checked(src, [
        Col("ccode1", **code), Col("abbrev1", "str"), Col("ccode2", **code), Col("abbrev2", "str"),
        Col("year", nullable=False, check=lambda e: (e >= FIRST_YEAR) & (e <= LAST_YEAR), expected="a year 1980-2010"),
        *[Col(v, allowed=frozenset({0, 1}), expected="0 or 1") for v in _V],
    ], header="exact", exact_header=["ccode1", "abbrev1", "ccode2", "abbrev2", "year", *_V])
    both = pl.concat([
        df.select(pl.col("ccode1").alias("a"), pl.col("ccode2").alias("b"), "year", *_V),
        df.select(pl.col("ccode2").alias("a"), pl.col("ccode1").alias("b"), "year", *_V),
    ]).filter(pl.col("a") != pl.col("b"))
    dy = both.group_by("a", "b", "year").agg(
        pl.col(v).max().fill_null(0).cast(pl.Int8).alias(o) for v, o in zip(_V, _OUT, strict=True))
    dy = dy.select(pl.col("a").cast(pl.Int32).alias("ccode1"), pl.col("b").cast(pl.Int32).alias("ccode2"),
                   pl.col("year").cast(pl.Int32), *_OUT).sort("ccode1", "ccode2", "year")
    ties = _ties(df, src.name)
    meta = {"dataset": NAME, "version": VERSION, "files": [src.name], "rows": df.height,
            "coverage": [FIRST_YEAR, LAST_YEAR]}
    return Imported(NAME, {"dyad_years": dy}, ties, meta)


def _ties(df: pl.DataFrame, file: str) -> pl.DataFrame:
    import polars as pl

    a = df.filter(pl.col("dcaAnyV1") == 1).select(
        pl.min_horizontal("ccode1", "ccode2").alias("c1"), pl.max_horizontal("ccode1", "ccode2").alias("c2"),
        "year", "source_row", "dcaGeneralV1", "dcaSectorV1",
    ).group_by("c1", "c2", "year").agg(
        pl.col("source_row").min(), pl.col("dcaGeneralV1").max(), pl.col("dcaSectorV1").max())
    a = a.sort("c1", "c2", "year").with_columns(
        run=((pl.col("year") - pl.col("year").shift(1).over("c1", "c2")).fill_null(2) != 1).cum_sum())
    runs = a.group_by("c1", "c2", "run").agg(
        pl.col("year").min().alias("y0"), pl.col("year").max().alias("y1"), pl.col("source_row").min(),
        pl.col("dcaGeneralV1").max().alias("general"), pl.col("dcaSectorV1").max().alias("sector"))
    ties = runs.select(
        pl.format("dcad:{}-{}:{}", "c1", "c2", "y0").alias("id"), pl.lit("record").alias("view"),
        actor_expr("c1").alias("source"), actor_expr("c2").alias("target"),
        pl.col("c1").cast(pl.Int32).alias("source_ccode"), pl.col("c2").cast(pl.Int32).alias("target_ccode"),
        pl.lit(False).alias("directed"), pl.lit("defense_cooperation").alias("kind"),
        pl.lit([], dtype=pl.List(pl.String)).alias("drivers"),
        pl.lit([], dtype=pl.List(pl.String)).alias("contents"),
        pl.date(pl.col("y0"), 1, 1).alias("start"), pl.lit("year").alias("start_precision"),
        pl.when(pl.col("y1") >= LAST_YEAR).then(None).otherwise(pl.date(pl.col("y1"), 1, 1)).alias("end"),
        pl.when(pl.col("y1") >= LAST_YEAR).then(None).otherwise(pl.lit("year")).alias("end_precision"),
        pl.lit(None, dtype=pl.String).alias("end_reason"), pl.lit(None, dtype=pl.String).alias("via"),
        pl.concat_list(pl.format("{}@{} row {}", pl.lit(f"dcad-{VERSION}"), pl.lit(file), "source_row"))
        .alias("sources"),
        pl.struct(pl.lit(NAME).alias("dataset"), pl.lit(VERSION).alias("version"), "general", "sector",
                  pl.col("y0").alias("first_year"), pl.col("y1").alias("last_year"))
        .struct.json_encode().alias("attrs"),
    )
    return check_ties(ties.sort("id"), NAME)
