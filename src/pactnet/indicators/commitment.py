"""Commitment depth and deterrence credibility: how far up the commitment ladder a patron's ties with a
partner reach (briefing L11, L35, L61)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import polars as pl

from ._frame import BREADTH_CAP, Inputs, org_ties
from .weights import Weights

__all__ = ["tie_depth", "tie_value", "deterrence_credibility"]

_ASSURANCE, _GUARANTEE = 0.8, 1.0


def tie_depth(w: Weights) -> pl.Expr:
    r"""The depth of a tie on the commitment ladder, in [0, 1], as a polars expression.

    .. math::

        \operatorname{depth}(t) = \begin{cases}
            0.8 + a\,(1 - 0.8) & \text{if } t \text{ is a statutory commitment (strategic ambiguity)}\\
            \operatorname{rank}(t) / 5 & \text{if } \operatorname{rank}(t) > 0\\
            0 & \text{for hostile ties}
        \end{cases}

    with the ladder's ranks (guarantee 5, assurance 4, structured 3, ad hoc 2, transactional 1) and
    :math:`a` = ``w.ambiguity``.

    Parameters
    ----------
    w : Weights

    Returns
    -------
    polars.Expr
        Reads the columns ``kind`` and ``rank`` of a tie or dyad frame.
    """
    return (pl.when(pl.col("kind") == "statutory_commitment")
            .then(pl.lit(_ASSURANCE + w.ambiguity * (_GUARANTEE - _ASSURANCE)))
            .when(pl.col("rank") > 0).then(pl.col("rank").cast(pl.Float64) / 5.0)
            .otherwise(0.0))


def tie_value(w: Weights) -> pl.Expr:
    r"""What a tie is worth to the partner: its depth plus its breadth.

    .. math::

        v(t) = \operatorname{depth}(t) + b \cdot \min(|\operatorname{contents}(t)|, 5) / 5

    with :math:`b` = ``w.breadth``. Hostile ties are worth 0.
    """
    breadth = pl.col("contents").list.len().fill_null(0).clip(upper_bound=BREADTH_CAP).cast(pl.Float64) / BREADTH_CAP
    return pl.when(pl.col("rank") > 0).then(tie_depth(w) + w.breadth * breadth).otherwise(0.0)


def patron_ties(d: pl.DataFrame, patron: str, inputs: Inputs, w: Weights) -> pl.DataFrame:
    """A partner's cooperative ties with the patron on each date, and (weighted ``w.org_share``) with the
    alliance organisations the patron belongs to: ``date, actor, id, kind, rank, drivers, contents, vital,
    share`` (1 for direct ties)."""
    direct = (d.filter(pl.col("a") == patron, pl.col("rank") > 0)
              .with_columns(pl.col("b").alias("actor"), pl.lit(1.0).alias("share")))
    via_org = org_ties(d, patron, inputs.actors).with_columns(pl.lit(w.org_share).alias("share"))
    cols = ["date", "actor", "id", "kind", "rank", "drivers", "contents", "vital", "share"]
    return pl.concat([direct.select(cols), via_org.select(cols)])


def deterrence_credibility(d: pl.DataFrame, patron: str, inputs: Inputs, dates: Sequence[dt.date],
                           w: Weights) -> pl.DataFrame:
    r"""Deterrence credibility: the deepest commitment the patron holds toward the partner.

    .. math::

        \operatorname{DC}(p, y) = \max_{t \in T(P, p, y)} s(t)\,\operatorname{depth}(t)

    where :math:`T(P, p, y)` are the cooperative ties between the patron :math:`P` and the partner
    :math:`p` active at date :math:`y` (direct, held through a common alliance organisation, or
    the partner's ties with an alliance organisation of the patron, whose share :math:`s(t)` is
    ``w.org_share``; 1 otherwise). A guarantee gives 1, an assurance 0.8, strategic ambiguity (a statutory
    commitment: the Taiwan Relations Act) :math:`0.8 + 0.2\,a`, structured 0.6, ad hoc 0.4, transactional 0.2.

    Parameters
    ----------
    d : polars.DataFrame
        Active dyads (:func:`pactnet.indicators._frame.dyads`).
    patron : str
    inputs : Inputs
    dates : sequence of date
    w : Weights

    Returns
    -------
    polars.DataFrame
        ``date, actor, deterrence_credibility`` in [0, 1].

    Notes
    -----
    The ladder is ordinal; reading its ranks as equally spaced is an assumption (docs/indicators.md).
    The status of a tie (strained, faded) does not lower it.

    References
    ----------
    .. [1] FIIA Briefing (2022), L11 (guarantee-based alliances), L61 (the Taiwan Relations Act).
    """
    ties = patron_ties(d, patron, inputs, w)
    return (ties.with_columns((tie_depth(w) * pl.col("share")).alias("deterrence_credibility"))
            .group_by("date", "actor").agg(pl.col("deterrence_credibility").max()))
