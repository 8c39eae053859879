"""Capitals with coordinates (COW codes), as peacesciencer's ``capitals`` data: ``cow_capitals.csv``.

``ccode, statenme, capital, stdate, enddate, lat, lng``: one row per capital spell (a state that moved
its capital has several rows, e.g. Bonn then Berlin; dates ISO ``YYYY-MM-DD``), latitude and longitude
in decimal degrees (WGS 84). Stored as table ``capitals_spells`` (``ccode, capital, start, end, lat,
lng``). :data:`FIRST_YEAR`/:data:`LAST_YEAR`: the years the shipped file covers; the panel verb
:func:`pactnet.panel.add_capital_distance` leaves distances missing outside them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from pactnet.imports._codes import COW_CODES
from pactnet.imports._io import Col, Imported, check_rows, find_file, read_csv_checked

if TYPE_CHECKING:
    from pathlib import Path

__all__ = ["NAME", "FIRST_YEAR", "LAST_YEAR", "read"]

NAME = "capitals"
#: Coverage of peacesciencer's capitals table (capitals in force at its end run to 2024-12-31).
FIRST_YEAR, LAST_YEAR = 1816, 2024


def read(path: str | Path) -> Imported:
    """Read the capitals file at ``path`` (zip, folder or file) and check every cell."""
    import polars as pl

    src = find_file(path, ["cow_capitals.csv", "capitals.csv", "*capital*.csv"],
                    what="the capitals file cow_capitals.csv")
    df = read_csv_checked(src, [
        Col("ccode", nullable=False, allowed=COW_CODES, expected="a COW country code"),
        Col("capital", "str", nullable=False, expected="a capital's name"),
        Col("stdate", "date", nullable=False),
        Col("enddate", "date", nullable=False),
        Col("lat", "float", nullable=False, check=lambda e: (e >= -90) & (e <= 90), expected="a latitude -90..90"),
        Col("lng", "float", nullable=False, check=lambda e: (e >= -180) & (e <= 180),
            expected="a longitude -180..180"),
    ])
    check_rows(df, df["enddate"] < df["stdate"], src.name, column="enddate", expected="an end on or after stdate")
    df = df.select(pl.col("ccode").cast(pl.Int32), "capital", pl.col("stdate").alias("start"),
                   pl.col("enddate").alias("end"), "lat", "lng", "source_row").sort("ccode", "start")
    meta = {"dataset": NAME, "version": "peacesciencer", "files": [src.name], "rows": df.height,
            "coverage": [int(df["start"].dt.year().min()), int(df["end"].dt.year().max())]}
    return Imported(NAME, {"spells": df}, None, meta)
