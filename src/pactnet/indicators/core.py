"""One call for every indicator of every partner and date: :func:`compute`."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import polars as pl

from .. import schema as S
from ..errors import InputError
from ._frame import Inputs, dates_for, dyads, load_inputs, on_grid, partners
from .commitment import deterrence_credibility
from .entrapment import entrapment_risk
from .exit import exit_ease
from .exposure import halfway_house_exposure
from .hedging import hedging, rival_pull
from .leverage import leverage
from .network_measures import NETWORK_COLUMNS, brokerage, degree_by_level
from .weights import Weights

__all__ = ["compute", "INDICATORS"]

#: Indicator column -> (function, value for a partner the function returns no row for).
INDICATORS: dict[str, tuple[Any, float]] = {
    "deterrence_credibility": (deterrence_credibility, 0.0),
    "exit_ease": (exit_ease, 1.0),
    "leverage": (leverage, 0.0),
    "entrapment_risk": (entrapment_risk, 0.0),
    "halfway_house_exposure": (halfway_house_exposure, 0.0),
    "hedging": (hedging, 0.0),
    "rival_pull": (rival_pull, 0.0),
}


def compute(patron: str = "USA", *, at: Any = None, start: Any = None, end: Any = None,
            actor: str | Sequence[str] | None = None, view: str = "record", weights: Any = None, network: bool = True,
            db: Any = None, kb: Any = None, inputs: Inputs | None = None) -> pl.DataFrame:
    """Every indicator for every partner of a patron, on one date or at the end of every year.

    Parameters
    ----------
    patron : actor id
        The patron whose partners are measured (``"USA"``).
    at : date or year, optional
        One date (a bare year means its last day). Without it, the last day of every year from ``start`` to
        ``end`` (default 1945 to 2024).
    start, end : year or date, optional
    actor : actor id or ids, optional
        Keep only these partners' rows (the computation is the same: all partners at once).
    view : ``"record"`` (default) or ``"briefing"``
    weights : Weights or mapping, optional
        Weights of the indicators (:class:`~pactnet.indicators.Weights`; defaults documented there).
    network : bool
        Add the network measures (degree by level, betweenness, effective size). Default True.
    db, kb : store and knowledge base (paths or objects); defaults as for :mod:`pactnet.network`.
    inputs : Inputs, optional
        Frames already loaded with :func:`pactnet.indicators.load_inputs` (to compute many variants).

    Returns
    -------
    polars.DataFrame
        One row per partner and date: ``patron, actor, name, date``, then ``deterrence_credibility,
        exit_ease, leverage, entrapment_risk, halfway_house_exposure, hedging, rival_pull`` (Float64) and,
        with ``network``, ``degree_<level>`` (Int32), ``betweenness`` and ``effective_size``. Sorted by date,
        then by actor. A partner is a state holding a cooperative tie with the patron on that date, or with
        an alliance organisation the patron belongs to.

    Raises
    ------
    InputError
        An unknown patron, actor or view, a bad date, or bad weights.

    Examples
    --------
    >>> import polars as pl
    >>> frame = compute("USA", at="2021-12-31")
    >>> frame.filter(actor="TWN").select(pl.col("deterrence_credibility", "exit_ease").round(3)).rows()
    [(0.9, 0.1)]
    >>> compute("USA", start=2002, end=2004, actor="PAK")["entrapment_risk"].round(3).to_list()
    [0.444, 0.444, 0.444]
    """
    if view not in S.VIEWS:
        raise InputError(f"view: unknown view {view!r}; expected 'record' or 'briefing'")
    w = Weights.coerce(weights)
    dates = dates_for(at, start, end)
    inputs = inputs if inputs is not None else load_inputs(view=view, db=db, kb=kb)
    known = set(inputs.actors["id"].to_list())
    wanted = [actor] if isinstance(actor, str) else list(actor or [])
    for label, value in (("patron", patron), *(("actor", a) for a in wanted)):
        if value not in known:
            raise InputError(f"{label}: unknown actor {value!r} (see 'pactnet actors')")
    d = dyads(inputs, dates)
    grid = partners(d, patron, inputs.actors)
    if wanted:
        grid = grid.filter(pl.col("actor").is_in(wanted))
    out = grid
    for name, (fn, fill) in INDICATORS.items():
        out = on_grid(out, fn(d, patron, inputs, dates, w), name, fill)
    if network:
        out = out.join(degree_by_level(d, patron, inputs, dates, w), on=["date", "actor"], how="left")
        out = out.join(brokerage(d, patron, inputs, dates, w), on=["date", "actor"], how="left")
        out = out.with_columns(pl.col(c).fill_null(0) for c in NETWORK_COLUMNS)
    names = inputs.actors.select(pl.col("id").alias("actor"), pl.col("name"))
    head = [pl.lit(patron).alias("patron"), "actor", "name", "date"]
    return (out.join(names, on="actor", how="left")
            .select(*head, *INDICATORS, *(NETWORK_COLUMNS if network else ()))
            .sort("date", "actor"))
