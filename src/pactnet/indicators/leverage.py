"""Leverage: the patron's influence over a partner, from what the partner would lose against its outside
options (briefing L33, L35, L57)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import polars as pl

from ._frame import Inputs, attribute_at, rivals_of
from .commitment import patron_ties, tie_value
from .weights import Weights

__all__ = ["leverage", "rival_ties"]


def rival_ties(d: pl.DataFrame, patron: str, actors: pl.DataFrame) -> pl.DataFrame:
    """The partner's cooperative ties with the patron's rival powers (states at the other end of its
    ``rivalry`` ties) on each date: the dyad frame with ``actor`` (the partner) and ``rival``."""
    rivals = rivals_of(d, patron, actors)
    return (d.filter(pl.col("rank") > 0).join(rivals, left_on=["date", "b"], right_on=["date", "rival"], how="inner")
            .with_columns(pl.col("a").alias("actor"), pl.col("b").alias("rival")))


def leverage(d: pl.DataFrame, patron: str, inputs: Inputs, dates: Sequence[dt.date], w: Weights) -> pl.DataFrame:
    r"""Leverage: what the partner would lose by defying the patron, against its outside options.

    .. math::

        L(p, y) &= \sum_{t \in T(P, p, y)} s(t)\,v(t), \qquad
        O(p, y) = \sum_{t \in T(R, p, y)} v(t) + n\,\operatorname{nuclear}(p, y)\\
        \operatorname{LEV}(p, y) &= \frac{L}{L + O} \quad (0 \text{ when } L = 0)

    :math:`v(t)` is a tie's value (depth plus breadth, :func:`~pactnet.indicators.commitment.tie_value`),
    :math:`T(P, p, y)` the partner's cooperative ties with the patron (organisation ties at share
    ``w.org_share``), :math:`T(R, p, y)` its cooperative ties with the patron's rivals (the states holding a
    ``rivalry`` tie with the patron then), and :math:`\operatorname{nuclear}(p, y)` is 1 when the partner
    has nuclear weapons (a knowledge-base attribute), weighted :math:`n` = ``w.nuclear``.

    Parameters
    ----------
    d, patron, inputs, dates, w
        As for :func:`~pactnet.indicators.commitment.deterrence_credibility`.

    Returns
    -------
    polars.DataFrame
        ``date, actor, leverage`` in [0, 1].

    Notes
    -----
    Static guarantees weigh more than ad hoc ties because value grows with depth: the briefing's argument
    that guarantees give leverage and ad hoc partnerships little (L35). Economic dependence outside the
    recorded ties (trade, aid volumes) is not in the data.

    References
    ----------
    .. [1] FIIA Briefing (2022), L33, L35, L57.
    """
    own = (patron_ties(d, patron, inputs, w).with_columns((tie_value(w) * pl.col("share")).alias("_v"))
           .group_by("date", "actor").agg(pl.col("_v").sum().alias("_loss")))
    outside = rival_ties(d, patron, inputs.actors).with_columns(tie_value(w).alias("_v")).group_by("date", "actor").agg(
        pl.col("_v").sum().alias("_out"))
    nuclear = attribute_at(inputs, "nuclear_weapons", dates).select(
        "date", pl.col("actor"), (pl.col("value").cast(pl.Float64) * w.nuclear).alias("_nuc")).unique(["date", "actor"])
    return (own.join(outside, on=["date", "actor"], how="left").join(nuclear, on=["date", "actor"], how="left")
            .with_columns(pl.col("_out").fill_null(0.0) + pl.col("_nuc").fill_null(0.0))
            .select("date", "actor", pl.when(pl.col("_loss") > 0)
                    .then(pl.col("_loss") / (pl.col("_loss") + pl.col("_out"))).otherwise(0.0).alias("leverage")))
