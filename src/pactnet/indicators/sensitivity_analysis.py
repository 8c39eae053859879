"""Sensitivity of the indicators to their weights: rank movements and the judgements that survive."""

from __future__ import annotations

from typing import Any

import polars as pl

from ._frame import dates_for, load_inputs
from .core import INDICATORS, compute
from .judgements import YEARS, check_judgements
from .weights import Weights

__all__ = ["sensitivity"]


def sensitivity(patron: str = "USA", *, at: Any = "2021-12-31", factors: tuple[float, ...] = (0.5, 1.5),
                weights: Any = None, view: str = "record", db: Any = None, kb: Any = None
                ) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Move each weight by each factor (default -50% and +50%) and report what changes.

    Parameters
    ----------
    patron : actor id
    at : date
        The date whose partner rankings are compared.
    factors : tuple of float
        Multipliers applied to one weight at a time.
    weights : Weights or mapping, optional
        The baseline (default: :data:`~pactnet.indicators.DEFAULT_WEIGHTS`).
    view, db, kb
        As for :func:`~pactnet.indicators.compute`.

    Returns
    -------
    (rankings, judgements) : tuple of polars.DataFrame
        ``rankings``: ``weight, factor, indicator, spearman`` (rank correlation of the partners' values at
        ``at`` with the baseline's), ``moved`` (how many of the ``partners`` change rank) and ``top`` (the
        top-ranked partner under the variation). ``judgements``: ``weight, factor,
        judgement, holds`` for every judgement of :data:`~pactnet.indicators.JUDGEMENTS` (the baseline has
        weight ``"baseline"``), only meaningful for ``patron="USA"``.
    """
    base_w = Weights.coerce(weights)
    inputs = load_inputs(view=view, db=db, kb=kb)
    day = dates_for(at)[0]
    cols = list(INDICATORS)

    def run(w: Weights) -> pl.DataFrame:
        """The judgements' years (year ends) and, when it is not one of them, the ranking date."""
        first, last = min(YEARS[0], day.year), max(YEARS[1], day.year)
        frame = compute(patron, start=first, end=last, weights=w, network=False, inputs=inputs, view=view)
        if frame.filter(pl.col("date") == day).is_empty():
            frame = pl.concat([frame, compute(patron, at=day, weights=w, network=False, inputs=inputs, view=view)])
        return frame

    base = run(base_w)
    base_at = base.filter(pl.col("date") == day).select("actor", *cols)
    rank_rows, judge_rows = [], []
    for row in check_judgements(base, inputs).iter_rows(named=True):
        judge_rows.append({"weight": "baseline", "factor": 1.0, "judgement": row["judgement"], "holds": row["holds"]})
    for name in Weights.names():
        for factor in factors:
            variant = run(base_w.scaled(name, factor))
            v_at = variant.filter(pl.col("date") == day).select("actor", *cols)
            both = base_at.join(v_at, on="actor", suffix="_v")
            for c in cols:
                rho = both.select(pl.corr(c, f"{c}_v", method="spearman")).item()
                top = v_at.sort(c, descending=True)["actor"][0] if v_at.height else None
                moved = both.select((pl.col(c).rank("min", descending=True)
                                     != pl.col(f"{c}_v").rank("min", descending=True)).sum()).item()
                rank_rows.append({"weight": name, "factor": factor, "indicator": c,
                                  "spearman": None if rho is None or rho != rho else float(rho),
                                  "moved": int(moved), "partners": both.height, "top": top})
            for row in check_judgements(variant, inputs).iter_rows(named=True):
                judge_rows.append({"weight": name, "factor": factor, "judgement": row["judgement"],
                                   "holds": row["holds"]})
    return pl.DataFrame(rank_rows), pl.DataFrame(judge_rows)


def summarise_judgements(judgements: pl.DataFrame) -> pl.DataFrame:
    """One row per judgement: whether it holds with the default weights, under how many of the variations,
    and which variations break it (``"covert x0.5"``)."""
    base = judgements.filter(pl.col("weight") == "baseline").select("judgement", pl.col("holds").alias("baseline"))
    var = judgements.filter(pl.col("weight") != "baseline").with_columns(
        (pl.col("weight") + " x" + pl.col("factor").round(2).cast(pl.Utf8)).alias("variation"))
    agg = var.group_by("judgement", maintain_order=True).agg(
        pl.col("holds").sum().cast(pl.Int32).alias("holds_in"), pl.len().cast(pl.Int32).alias("variations"),
        pl.col("variation").filter(~pl.col("holds")).alias("fails_under"))
    return base.join(agg, on="judgement", how="left", maintain_order="left")
