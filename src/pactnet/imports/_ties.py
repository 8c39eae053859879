"""Helpers for the ties every importer produces (checked by :func:`pactnet.store.check_ties`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import polars as pl

__all__ = ["period_start"]


def period_start(day: pl.Expr, precision: pl.Expr) -> pl.Expr:
    """The first day of the period a date stands for (``day`` any day in it, ``precision`` day/month/year)."""
    import polars as pl

    return (pl.when(precision == "month").then(day.dt.truncate("1mo"))
            .when(precision.is_in(["year", "approximate"])).then(day.dt.truncate("1y"))
            .otherwise(day))
