"""COW Formal Alliances v4.1 (Gibler 2009) from the user's own download (never shipped with pactnet).

Reads ``alliance_v4.1_by_dyad_yearly.csv`` (required; the panel's source) and
``alliance_v4.1_by_dyad.csv`` (optional; one tie per alliance dyad) from the official zip, its folder
or the file itself. Known defects, handled:

* ``-9`` means unknown (dates, indicators): read as missing;
* the "directed" files are not directed (peacesciencer issue #13), so the undirected yearly file is
  used and mirrored into both directions;
* duplicate dyad-years (one row per alliance) are collapsed with the maximum of each indicator;
* two rows with ``year == 0`` (2-666 entente, 651-666 non-aggression) are dropped; their dyads'
  other rows cover those alliances' years (``meta['dropped_year_zero']`` counts them).

Ladder: ``defense`` -> guarantee (``mutual_defense_treaty``), otherwise structured: ``neutrality_pact``,
``nonaggression_pact`` or, for an entente, ``consultation_pact``, as for ATOP.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from pactnet.errors import DatasetError
from pactnet.imports._codes import COW_CODES, actor_expr
from pactnet.imports._io import Col, Imported, find_file, read_csv_checked
from pactnet.imports._ties import period_start
from pactnet.store import check_ties

if TYPE_CHECKING:
    from pathlib import Path

    import polars as pl

__all__ = ["NAME", "VERSION", "read", "cow_dyad_years"]

NAME = "cow_alliances"
VERSION = "4.1"
#: Years the v4.1 yearly dyad file covers; panels leave the alliance columns missing outside them.
FIRST_YEAR, LAST_YEAR = 1816, 2012
URL = "https://correlatesofwar.org/wp-content/uploads/version4.1_csv.zip"
_IND = ("defense", "neutrality", "nonaggression", "entente")
_B9 = frozenset({0, 1})
_CODE = dict(nullable=False, allowed=COW_CODES, expected="a COW country code")


def _yearly_columns() -> list[Col]:
    return [
        Col("version4id", nullable=False), Col("ccode1", **_CODE), Col("ccode2", **_CODE),
        *[Col(c, null=("-9",), allowed=_B9, expected="0, 1 or -9") for c in _IND],
        Col("year", nullable=False, check=lambda e: (e == 0) | ((e >= 1816) & (e <= 2012)),
            expected="a year 1816-2012"),
    ]


def cow_dyad_years(yearly: pl.DataFrame) -> pl.DataFrame:
    """Directed COW alliance dyad-years (both orders): ``ccode1, ccode2, year, cow_defense .. cow_entente``."""
    import polars as pl

    y = yearly.filter(pl.col("year") != 0)
    both = pl.concat([
        y.select(pl.col("ccode1").alias("a"), pl.col("ccode2").alias("b"), "year", *_IND),
        y.select(pl.col("ccode2").alias("a"), pl.col("ccode1").alias("b"), "year", *_IND),
    ]).filter(pl.col("a") != pl.col("b"))
    out = both.group_by("a", "b", "year").agg(pl.col(c).max().fill_null(0).cast(pl.Int8) for c in _IND)
    return out.select(
        pl.col("a").cast(pl.Int32).alias("ccode1"), pl.col("b").cast(pl.Int32).alias("ccode2"),
        pl.col("year").cast(pl.Int32),
        pl.col("defense").alias("cow_defense"), pl.col("neutrality").alias("cow_neutral"),
        pl.col("nonaggression").alias("cow_nonagg"), pl.col("entente").alias("cow_entente"),
    ).sort("ccode1", "ccode2", "year")


def _ties(dyad: pl.DataFrame, file: str) -> pl.DataFrame:
    import polars as pl

    def date(p: str) -> pl.Expr:
        y, m, d = pl.col(f"{p}_year"), pl.col(f"{p}_month"), pl.col(f"{p}_day")
        return pl.date(y, m.fill_null(1), d.fill_null(1))

    def prec(p: str) -> pl.Expr:
        return (pl.when(pl.col(f"{p}_month").is_null()).then(pl.lit("year"))
                .when(pl.col(f"{p}_day").is_null()).then(pl.lit("month")).otherwise(pl.lit("day")))

    d = dyad.filter(pl.col("ccode1") != pl.col("ccode2")).with_columns(
        pl.min_horizontal("ccode1", "ccode2").alias("c1"), pl.max_horizontal("ccode1", "ccode2").alias("c2"))
    guar = pl.col("defense") == 1
    end_open = pl.col("dyad_end_year").is_null()
    ties = d.select(
        pl.format("cow_alliances:{}:{}-{}", "version4id", "c1", "c2").alias("id"), pl.lit("record").alias("view"),
        actor_expr("c1").alias("source"), actor_expr("c2").alias("target"),
        pl.col("c1").cast(pl.Int32).alias("source_ccode"), pl.col("c2").cast(pl.Int32).alias("target_ccode"),
        pl.lit(False).alias("directed"),
        pl.when(guar).then(pl.lit("mutual_defense_treaty"))
        .when(pl.col("neutrality") == 1).then(pl.lit("neutrality_pact"))
        .when(pl.col("nonaggression") == 1).then(pl.lit("nonaggression_pact"))
        .otherwise(pl.lit("consultation_pact")).alias("kind"),
        pl.lit([], dtype=pl.List(pl.String)).alias("drivers"),
        pl.when(guar).then(pl.lit(["defense_guarantee"])).otherwise(pl.lit([], dtype=pl.List(pl.String)))
        .alias("contents"),
        date("dyad_st").alias("start"), prec("dyad_st").alias("start_precision"),
        pl.when(end_open).then(None).otherwise(date("dyad_end")).alias("end"),
        pl.when(end_open).then(None).otherwise(prec("dyad_end")).alias("end_precision"),
        pl.lit(None, dtype=pl.String).alias("end_reason"), pl.lit(None, dtype=pl.String).alias("via"),
        pl.concat_list(pl.format("{}@{} row {}", pl.lit(f"cow-alliances-{VERSION}"), pl.lit(file), "source_row"))
        .alias("sources"),
        pl.struct(pl.lit(NAME).alias("dataset"), pl.lit(VERSION).alias("version"), "version4id",
                  pl.struct(*_IND).alias("obligations"), "left_censor", "right_censor")
        .struct.json_encode().alias("attrs"),
    ).filter(pl.col("start").is_not_null())
    n = pl.int_range(pl.len()).over("id")
    ties = ties.with_columns(pl.when(n > 0).then(pl.format("{}#{}", "id", n + 1)).otherwise("id").alias("id"),
                             period_start(pl.col("end"), pl.col("end_precision")).alias("end"))
    return check_ties(ties.sort("id"), NAME)


def read(path: str | Path) -> Imported:
    """Read the COW alliance files at ``path``; see the module docstring for the defects handled."""
    import polars as pl

    src = find_file(path, ["alliance_v4.1_by_dyad_yearly.csv", "*by_dyad_yearly*.csv"],
                    what="alliance_v4.1_by_dyad_yearly.csv")
    yearly = read_csv_checked(src, _yearly_columns())
    zero = int((yearly["year"] == 0).sum())
    dup = int(yearly.select(pl.struct("ccode1", "ccode2", "year").is_duplicated().sum()).item())
    tables = {"dyad_years": cow_dyad_years(yearly), "yearly": yearly}
    files, ties = [src.name], None
    dy = find_file(path, ["alliance_v4.1_by_dyad.csv"], what="alliance_v4.1_by_dyad.csv", required=False)
    if dy is not None and dy.name != src.name:
        def part(p: str, lo: int, hi: int) -> Col:
            return Col(p, null=("-9",), check=lambda e: (e >= lo) & (e <= hi), expected=f"{lo}-{hi} or -9")
        cols = [Col("version4id", nullable=False), Col("ccode1", **_CODE), Col("ccode2", **_CODE),
                part("dyad_st_day", 1, 31), part("dyad_st_month", 1, 12), part("dyad_st_year", 1648, 2012),
                part("dyad_end_day", 1, 31), part("dyad_end_month", 1, 12), part("dyad_end_year", 1648, 2012),
                Col("left_censor", null=("-9",)), Col("right_censor", null=("-9",)),
                *[Col(c, null=("-9",), allowed=_B9) for c in _IND]]
        dyad = read_csv_checked(dy, cols)
        st = pl.date(pl.col("dyad_st_year"), pl.col("dyad_st_month").fill_null(1), pl.col("dyad_st_day").fill_null(1))
        en = pl.date(pl.col("dyad_end_year"), pl.col("dyad_end_month").fill_null(12),
                     pl.col("dyad_end_day").fill_null(28))
        bad = dyad.select((en < st).fill_null(False)).to_series()
        if bad.any():
            i = int(bad.arg_true()[0])
            raise DatasetError(
                file=dy.name, line=int(dyad["source_row"][i]) + 1, column="dyad_end_year",
                expected="an end date on or after the start date", found=int(dyad["dyad_end_year"][i])
            )
        tables["dyads"] = dyad
        ties = _ties(dyad, dy.name)
        files.append(dy.name)
    meta = {"dataset": NAME, "version": VERSION, "files": files, "dropped_year_zero": zero,
            "duplicate_dyad_years": dup, "rows": yearly.height}
    return Imported(NAME, tables, ties, meta)
