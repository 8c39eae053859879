"""Halfway-house exposure: partnership with the patron, short of a guarantee, next to a revisionist power
(briefing L43-L49)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import polars as pl

from ._frame import THREAT_KINDS, Inputs, attribute_at, saturate
from .commitment import patron_ties, tie_depth, tie_value
from .weights import Weights

__all__ = ["halfway_house_exposure", "revisionist_threat"]

#: COW contiguity type (1 land ... 5 sea up to 400 miles) -> proximity in (0, 1].
_PROXIMITY = {1: 1.0, 2: 0.8, 3: 0.6, 4: 0.4, 5: 0.2}


def revisionist_threat(d: pl.DataFrame, inputs: Inputs, dates: Sequence[dt.date], w: Weights) -> pl.DataFrame:
    r"""How exposed a state is to a revisionist power: proximity plus hostility, scaled to [0, 1].

    .. math::

        \operatorname{THR}(p, y) = \max_{r \in R(y)} \frac{\pi(p, r, y) + h\,\operatorname{hostile}(r, p, y)}{1 + h}

    :math:`R(y)` are the revisionist powers at :math:`y` (knowledge-base attribute ``revisionist``),
    :math:`\pi` the proximity from COW contiguity (land 1, sea within 12 miles 0.8, 24 miles 0.6, 150 miles
    0.4, 400 miles 0.2; 0 otherwise), ``hostile`` 1 when the power holds a rivalry, armed-conflict or
    sanctions-threat or military-threat tie with the state, and :math:`h` = ``w.hostility``. Columns
    ``date, actor, threat``.
    """
    rev = attribute_at(inputs, "revisionist", dates).select("date", pl.col("actor").alias("power"))
    contig = attribute_at(inputs, "contiguity", dates).select(
        "date", "actor", pl.col("other").alias("power"),
        pl.col("value").replace_strict(_PROXIMITY, default=0.0, return_dtype=pl.Float64).alias("_prox"))
    prox = (contig.join(rev, on=["date", "power"], how="semi")
            .group_by("date", "actor", "power").agg(pl.col("_prox").max()))
    hostile = (d.filter(pl.col("kind").is_in(list(THREAT_KINDS)))
               .select("date", pl.col("a").alias("actor"), pl.col("b").alias("power"))
               .join(rev, on=["date", "power"], how="semi").unique().with_columns(pl.lit(1.0).alias("_host")))
    both = prox.join(hostile, on=["date", "actor", "power"], how="full", coalesce=True)
    return both.select(
        "date", "actor",
        ((pl.col("_prox").fill_null(0.0) + w.hostility * pl.col("_host").fill_null(0.0)) / (1.0 + w.hostility))
        .alias("threat")).group_by("date", "actor").agg(pl.col("threat").max())


def halfway_house_exposure(d: pl.DataFrame, patron: str, inputs: Inputs, dates: Sequence[dt.date],
                           w: Weights) -> pl.DataFrame:
    r"""Halfway-house exposure: threat from a revisionist power, times cooperation with the patron, times
    the absence of a guarantee.

    .. math::

        \operatorname{HHE}(p, y) = \operatorname{THR}(p, y)\;
            \sigma\Bigl(\sum_{t \in T(P, p, y)} s(t)\,v(t)\Bigr)\;
            \bigl(1 - G(p, y)\bigr)

    :math:`\operatorname{THR}` is :func:`revisionist_threat`, the middle factor the partner's cooperation with
    the patron (tie values, organisation ties at ``w.org_share``, :math:`\sigma(x) = x/(1+x)`), and
    :math:`G(p, y)` the deepest guarantee or assurance the partner holds from anyone then (depth of its ties
    at rank 4 or 5 and statutory commitments; 0 without one).

    Parameters
    ----------
    d, patron, inputs, dates, w
        As for :func:`~pactnet.indicators.commitment.deterrence_credibility`.

    Returns
    -------
    polars.DataFrame
        ``date, actor, halfway_house_exposure`` in [0, 1).

    Notes
    -----
    "Deepening" is read as the level of cooperation reached, not its growth. Threat needs a revisionist
    power at that date: the knowledge base dates them from US strategy documents (the Soviet Union from NSC
    68, 1950; Russia, China, Iran and North Korea from the 2015 National Military Strategy), so exposure is
    zero from 1992 to mid-2015 by construction.

    References
    ----------
    .. [1] FIIA Briefing (2022), L43 ("a dangerous 'halfway house'"), L45, L47 (Ukraine), L49 (Finland,
       Sweden), L71.
    """
    threat = revisionist_threat(d, inputs, dates, w)
    coop = (patron_ties(d, patron, inputs, w).with_columns((tie_value(w) * pl.col("share")).alias("_v"))
            .group_by("date", "actor").agg(saturate(pl.col("_v").sum()).alias("_coop")))
    guarantee = (d.filter((pl.col("rank") >= 4) | (pl.col("kind") == "statutory_commitment"))
                 .with_columns(tie_depth(w).alias("_g"))
                 .group_by("date", pl.col("a").alias("actor")).agg(pl.col("_g").max()))
    return (coop.join(threat, on=["date", "actor"], how="inner").join(guarantee, on=["date", "actor"], how="left")
            .select("date", "actor", (pl.col("threat") * pl.col("_coop") * (1.0 - pl.col("_g").fill_null(0.0)))
                    .alias("halfway_house_exposure")))
