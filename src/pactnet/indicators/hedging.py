"""Hedging and rival pull: a partner's security ties with the patron's rivals (briefing L55, L57, L63)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import polars as pl

from ._frame import THREAT_KINDS, Inputs, rivals_of, saturate
from .commitment import patron_ties, tie_value
from .leverage import rival_ties
from .weights import Weights

__all__ = ["hedging", "rival_pull"]


def hedging(d: pl.DataFrame, patron: str, inputs: Inputs, dates: Sequence[dt.date], w: Weights) -> pl.DataFrame:
    r"""Hedging: the share of the partner's security ties that run to the patron's rivals.

    .. math::

        \operatorname{HED}(p, y) = \frac{\sum_{t \in T(R, p, y)} v(t)}
                                       {\sum_{t \in T(R, p, y)} v(t) + \sum_{t \in T(P, p, y)} s(t)\,v(t)}

    :math:`T(R, p, y)`: the partner's cooperative ties (arms supply, partnerships, economic ties) with the
    patron's rival powers (the states at the other ends of its ``rivalry`` ties at :math:`y`);
    :math:`T(P, p, y)`: its ties with
    the patron (organisation ties at ``w.org_share``); :math:`v` the tie value.

    Parameters
    ----------
    d, patron, inputs, dates, w
        As for :func:`~pactnet.indicators.commitment.deterrence_credibility`.

    Returns
    -------
    polars.DataFrame
        ``date, actor, hedging`` in [0, 1]: 0 with no tie to a rival, near 1 when the rivals' ties dominate.

    Notes
    -----
    A rival counts only while the patron's rivalry with it is recorded (Russia from 2014, China from
    December 2017, the Soviet Union 1947-1991), so ties with them before those dates are not hedging.

    References
    ----------
    .. [1] FIIA Briefing (2022), L55 (India, the S-400), L57 (Pakistan after its fallout), L63 (ASEAN's
       "balance of influences").
    """
    own = (patron_ties(d, patron, inputs, w).with_columns((tie_value(w) * pl.col("share")).alias("_v"))
           .group_by("date", "actor").agg(pl.col("_v").sum().alias("_own")))
    rival = rival_ties(d, patron, inputs.actors).with_columns(tie_value(w).alias("_v")).group_by("date", "actor").agg(
        pl.col("_v").sum().alias("_riv"))
    return rival.join(own, on=["date", "actor"], how="left").select(
        "date", "actor", (pl.col("_riv") / (pl.col("_riv") + pl.col("_own").fill_null(0.0))).alias("hedging"))


def rival_pull(d: pl.DataFrame, patron: str, inputs: Inputs, dates: Sequence[dt.date], w: Weights) -> pl.DataFrame:
    r"""Rival pull: how much the patron's rivals offer or threaten the partner.

    .. math::

        \operatorname{PULL}(p, y) = \sigma\Bigl(\sum_{t \in T(R, p, y)} v(t)
            + \theta\,\bigl|\{t \in H(R, p, y)\}\bigr|\Bigr), \qquad \sigma(x) = x / (1 + x)

    :math:`T(R, p, y)`: cooperative ties between the partner and the patron's rivals (offers);
    :math:`H(R, p, y)`: their rivalry, armed-conflict and sanctions-threat ties with it (threats), weighted
    :math:`\theta` = ``w.threat``.

    Returns
    -------
    polars.DataFrame
        ``date, actor, rival_pull`` in [0, 1).

    Notes
    -----
    Unlike :func:`hedging`, rival pull does not depend on the partner's ties with the patron: it is what
    is on offer (or at stake), not what the partner has chosen.

    References
    ----------
    .. [1] FIIA Briefing (2022), L5, L39, L57, L63-L65.
    """
    offers = rival_ties(d, patron, inputs.actors).with_columns(tie_value(w).alias("_x"))
    rivals = rivals_of(d, patron, inputs.actors)
    threats = (d.filter(pl.col("kind").is_in(list(THREAT_KINDS)))
               .join(rivals, left_on=["date", "b"], right_on=["date", "rival"], how="inner")
               .with_columns(pl.col("a").alias("actor"), pl.lit(w.threat).alias("_x")))
    cols = ["date", "actor", "_x"]
    return (pl.concat([offers.select(cols), threats.select(cols)])
            .group_by("date", "actor").agg(saturate(pl.col("_x").sum()).alias("rival_pull")))
