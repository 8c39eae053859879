"""Exit ease: how cheaply the patron can leave a partnership (briefing L3, L33)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import polars as pl

from ._frame import CAMPAIGN_DRIVERS, Inputs
from .commitment import patron_ties, tie_depth
from .weights import Weights

__all__ = ["exit_ease"]


def exit_ease(d: pl.DataFrame, patron: str, inputs: Inputs, dates: Sequence[dt.date], w: Weights) -> pl.DataFrame:
    r"""Exit ease: how cheaply the patron could leave the partnership, set by its most binding tie.

    .. math::

        e(t) &= \bigl(1 - \operatorname{depth}(t)\,(1 - c\,\kappa(t))\bigr)\,(1 - v\,\operatorname{vital}(t))\\
        \operatorname{EE}(p, y) &= \min_{t \in T_d(P, p, y)} e(t)

    where :math:`\kappa(t)` is the share of the tie's drivers that are campaigns (GWOT, War on Drugs,
    counter-piracy, stabilisation), :math:`c` = ``w.campaign``, :math:`v` = ``w.vital``, and
    :math:`T_d` the patron's own cooperative ties with the partner (direct or through a common alliance
    organisation; a partner's ties with the organisation alone do not bind the patron).

    Parameters
    ----------
    d, patron, inputs, dates, w
        As for :func:`~pactnet.indicators.commitment.deterrence_credibility`.

    Returns
    -------
    polars.DataFrame
        ``date, actor, exit_ease`` in [0, 1]: 0 for a treaty guarantee held for standing reasons, high for
        ad hoc, campaign-bound ties. Partners tied to the patron only through an organisation get 1.

    Notes
    -----
    A tie without drivers counts as standing (:math:`\kappa = 0`): the knowledge base records no campaign
    for it. The measure is structural; the cost of leaving in a given crisis is not in the data.

    References
    ----------
    .. [1] FIIA Briefing (2022), L3 ("exit options"), L33 (the US exit from Afghanistan).
    """
    ties = patron_ties(d, patron, inputs, w).filter(pl.col("share") == 1.0)
    drivers = pl.col("drivers").fill_null(pl.lit([], dtype=pl.List(pl.Utf8)))
    n = drivers.list.len()
    campaign = pl.when(n > 0).then(
        drivers.list.eval(pl.element().is_in(list(CAMPAIGN_DRIVERS))).list.sum() / n).otherwise(0.0)
    vital = pl.col("vital").fill_null(False).cast(pl.Float64)
    e = (1.0 - tie_depth(w) * (1.0 - w.campaign * campaign)) * (1.0 - w.vital * vital)
    return ties.with_columns(e.alias("exit_ease")).group_by("date", "actor").agg(pl.col("exit_ease").min())
