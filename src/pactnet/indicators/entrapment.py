"""Entrapment risk: the patron's dependence on a partner for a priority campaign against the partner's
divergent interests (briefing L37, L39)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import polars as pl

from ._frame import ADVERSARY_KINDS, CAMPAIGN_DRIVERS, DEPENDENCE_CONTENTS, Inputs, others_of, saturate
from .commitment import patron_ties, tie_value
from .weights import Weights

__all__ = ["entrapment_risk"]


def entrapment_risk(d: pl.DataFrame, patron: str, inputs: Inputs, dates: Sequence[dt.date],
                    w: Weights) -> pl.DataFrame:
    r"""Entrapment risk: dependence on the partner for a campaign, times the partner's divergence.

    .. math::

        D(p, y) &= \sigma\Bigl(\sum_{t \in T_c(P, p, y)} s(t)\,
                   |\operatorname{contents}(t) \cap \{\text{basing, transit, overflight, intel\_sharing}\}|\Bigr)\\
        V(p, y) &= \sigma\Bigl(\sum_{t \in T(A, p, y)} v(t) + k \cdot |C(p, A, y)|\Bigr)\\
        \operatorname{ENT}(p, y) &= D \cdot V, \qquad \sigma(x) = x / (1 + x)

    :math:`T_c` are the partner's cooperative ties with the patron that serve a campaign (a driver among
    GWOT, War on Drugs, counter-piracy, stabilisation); :math:`A` are the patron's adversaries then (the
    other ends of its ``rivalry``, ``armed_conflict`` and ``military_threat`` ties); :math:`T(A, p, y)` the
    partner's cooperative ties with them; :math:`C(p, A, y)` its ``covert_support`` ties to them (an agency
    such as the ISI counts for its state), weighted :math:`k` = ``w.covert``.

    Parameters
    ----------
    d, patron, inputs, dates, w
        As for :func:`~pactnet.indicators.commitment.deterrence_credibility`.

    Returns
    -------
    polars.DataFrame
        ``date, actor, entrapment_risk`` in [0, 1).

    Notes
    -----
    Zero when either side is absent: a host of US bases with no ties to US adversaries carries no recorded
    entrapment risk. Divergence is only what the knowledge base records; unrecorded ties (a partner hosting a
    rival's base) are missing, not zero in fact.

    References
    ----------
    .. [1] FIIA Briefing (2022), L25, L37 (Pakistan's duplicity), L39 ("entrapped").
    """
    ties = patron_ties(d, patron, inputs, w)
    drivers = pl.col("drivers").fill_null(pl.lit([], dtype=pl.List(pl.Utf8)))
    contents = pl.col("contents").fill_null(pl.lit([], dtype=pl.List(pl.Utf8)))
    campaign = drivers.list.eval(pl.element().is_in(list(CAMPAIGN_DRIVERS))).list.any()
    dep = contents.list.eval(pl.element().is_in(list(DEPENDENCE_CONTENTS))).list.sum().cast(pl.Float64)
    dependence = (ties.filter(campaign).with_columns((dep * pl.col("share")).alias("_d"))
                  .group_by("date", "actor").agg(saturate(pl.col("_d").sum()).alias("_dep")))
    adversaries = others_of(d, patron, ADVERSARY_KINDS)
    with_adv = d.join(adversaries, left_on=["date", "b"], right_on=["date", "other"], how="inner")
    divergence = (with_adv.filter((pl.col("rank") > 0) | ((pl.col("kind") == "covert_support") & pl.col("out")))
                  .with_columns(pl.when(pl.col("kind") == "covert_support").then(pl.lit(w.covert))
                                .otherwise(tie_value(w)).alias("_x"))
                  .group_by("date", pl.col("a").alias("actor")).agg(saturate(pl.col("_x").sum()).alias("_div")))
    return dependence.join(divergence, on=["date", "actor"], how="left").select(
        "date", "actor", (pl.col("_dep") * pl.col("_div").fill_null(0.0)).alias("entrapment_risk"))
