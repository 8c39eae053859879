"""Verbs that reshape a panel rather than join a dataset: politically relevant dyads and event spells."""

from __future__ import annotations

from typing import TYPE_CHECKING

from pactnet.errors import InputError
from pactnet.panel._place import _need
from pactnet.panel.frame import Panel

if TYPE_CHECKING:
    import polars as pl

__all__ = ["filter_prd", "add_spells", "spells"]


def filter_prd(panel: Panel) -> Panel:
    """Keep the politically relevant dyad-years (Weede 1976; Lemke & Reed 2001): contiguous (``conttype`` 1-5:
    land or up to 400 miles of water) or one side a major power (``cowmaj1`` or ``cowmaj2``), as peacesciencer's
    ``filter_prd``. Needs :func:`add_contiguity` and :func:`add_major_powers` first. Where ``conttype`` is null
    (outside the contiguity data's coverage) only major-power status counts.
    """
    import numpy as np
    import polars as pl

    _need(panel, "filter_prd", "dyad_year")
    missing = [c for c in ("conttype", "cowmaj1", "cowmaj2") if c not in panel.frame.columns]
    if missing:
        raise InputError(f"filter_prd(): the panel has no column {missing[0]!r}: run add_contiguity() and "
                         f"add_major_powers() first")
    keep = ((pl.col("conttype").fill_null(0) >= 1) & (pl.col("conttype").fill_null(0) <= 5)
            | (pl.col("cowmaj1") == 1) | (pl.col("cowmaj2") == 1)).fill_null(False)
    mask = panel.frame.select(keep).to_series().to_numpy()
    rows = None
    if panel.seg is not None:  # where each universe row went (-1: filtered out)
        old = panel.rows if panel.rows is not None else np.arange(panel.seg.n, dtype=np.int64)
        newpos = np.where(mask, np.cumsum(mask) - 1, -1)
        rows = np.where(old >= 0, newpos[np.where(old >= 0, old, 0)], -1)
    return panel.replace(frame=panel.frame.filter(pl.Series(mask)), rows=rows, cache={},
                         notes=(*panel.notes, "politically relevant dyads only (filter_prd)"))


def spells(event: pl.Series, unit: pl.Series, year: pl.Series, *, ongoing: bool = False) -> pl.Series:
    """Peace spells (stevemisc's ``ps_spells``, from spduration's ``add_duration``): for each row, the number
    of earlier rows of its unit since the last event (0 right after an event or at the unit's first row).

    With ``ongoing=True``, consecutive 1s after the first are one ongoing event: their spell is null.
    """
    import numpy as np
    import polars as pl

    n = len(event)
    order = np.lexsort((year.to_numpy(), unit.to_numpy()))
    ev = event.to_numpy()[order].astype(np.int8)
    un = unit.to_numpy()[order]
    last = np.ones(n, dtype=bool)  # the unit's last row
    last[:-1] = un[1:] != un[:-1]
    first = np.ones(n, dtype=bool)
    first[1:] = un[1:] != un[:-1]
    if ongoing:
        prev = np.concatenate(([0], ev[:-1]))
        prev[first] = 0
        going = (ev == 1) & (prev == 1)
        failure = (ev == 1) & ~going
    else:
        going = np.zeros(n, dtype=bool)
        failure = ev == 1
    end = last | failure  # a spell ends at a failure or at the unit's last row
    sid = np.cumsum(end[::-1])[::-1]  # spell id (reverse cumulative count of ends)
    counted = ~going
    # duration within spell over the rows that count: cumsum of counted, restarted at each spell start
    csum = np.cumsum(counted)
    start_new = np.ones(n, dtype=bool)
    start_new[1:] = sid[1:] != sid[:-1]
    base = np.maximum.accumulate(np.where(start_new, csum - counted, 0))
    spell = (csum - base - 1).astype(np.float64)
    spell[going] = np.nan
    out = np.empty(n, dtype=np.float64)
    out[order] = spell
    return pl.Series("spell", out, nan_to_null=True).cast(pl.Int32)


def add_spells(panel: Panel, event_col: str, *, ongoing: bool = False, cubic: bool = True,
               name: str | None = None) -> Panel:
    """Add the peace spell of ``event_col`` (a 0/1 column) per dyad (state): ``<name>`` (default
    ``<event_col>_spell``, years since the last event), and with ``cubic`` its square and cube
    (``<name>2``, ``<name>3``: Carter & Signorino 2010). Beck, Katz & Tucker's splines: fit a spline basis on
    ``<name>`` in the model.

    ``ongoing``: as peacesciencer's ``ongo`` (successive 1s are one ongoing event; spells null inside it).
    Null events are refused, as in peacesciencer: restrict the panel to the event data's years first.
    """
    import polars as pl

    _need(panel, "add_spells")
    if event_col not in panel.frame.columns:
        raise InputError(f"add_spells(): event_col {event_col!r} is not a column of the panel; columns: "
                         f"{', '.join(panel.frame.columns)}")
    ev = panel.frame[event_col]
    if ev.null_count():
        y = panel.frame.filter(ev.is_null())["year"]
        raise InputError(f"add_spells(): event_col {event_col!r} is null in {ev.null_count():,} rows (years "
                         f"{y.min()}-{y.max()}): keep only the years the event data cover, e.g. "
                         f"panel.replace(frame=panel.pl.filter(pl.col('year') <= ...))")
    bad = ev.cast(pl.Int64, strict=False)
    if not bad.is_in([0, 1]).all():
        raise InputError(f"add_spells(): event_col {event_col!r} must be 0 or 1; found "
                         f"{sorted(set(ev.unique().to_list()) - {0, 1})[:5]}")
    if not (bad == 1).any():
        raise InputError(f"add_spells(): event_col {event_col!r} has no event (no 1): no spell ends")
    keys = panel.keys
    if len(keys) == 3:
        unit = panel.frame.select(pl.col(keys[0]).cast(pl.Int64) * 1000 + pl.col(keys[1]).cast(pl.Int64)).to_series()
    else:
        unit = panel.frame[keys[0]]
    name = name or f"{event_col}_spell"
    sp = spells(bad, unit, panel.frame["year"], ongoing=ongoing).alias(name)
    cols = [sp]
    if cubic:
        cols += [(sp.cast(pl.Int64) ** 2).cast(pl.Int64).alias(f"{name}2"),
                 (sp.cast(pl.Int64) ** 3).cast(pl.Int64).alias(f"{name}3")]
    return panel._with_columns(panel.frame.with_columns(cols))
