"""The one place the panels read the knowledge base (the core API is changing: switch here only)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import polars as pl

__all__ = ["kb_ties"]

#: The last tie table read, per (store file, size, modification time, view): the store is rebuilt (a new file)
#: whenever the knowledge base changes, so an unchanged file means unchanged ties.
_LAST: dict[tuple, pl.DataFrame] = {}


def kb_ties(view: str = "record", *, db: Any = None, kb: Any = None) -> pl.DataFrame:
    """Every tie of ``view`` with ``id, source_ccode, target_ccode, directed, rank, kind, drivers, start, end``
    (dates; ``end`` the last day held, null while open), ties derived through alliance organisations included,
    phases not applied.

    ``db``: a ``Store``, a path or None (the default store); ``kb``: a knowledge-base folder for that store. The
    store is rebuilt first when the knowledge base changed.
    """
    import polars as pl

    from pactnet.network import ties
    from pactnet.store import Store

    store = db if isinstance(db, Store) else Store(db, kb)
    store.ensure_built()
    st = store.path.stat()
    key = (str(store.path.resolve()), st.st_size, st.st_mtime_ns, str(store.kb_dir), view)
    if key in _LAST:
        return _LAST[key]
    frame = ties(view=view, db=store)  # every tie, all periods, phases not applied (issue 7's API)
    # ``end`` is the day a tie ends at its precision: its last day held is the day before (day precision), the
    # month's or the year's last day.
    last_day = (pl.when(pl.col("end_precision") == "day").then(pl.col("end") - pl.duration(days=1))
                .when(pl.col("end_precision") == "month").then(pl.col("end").dt.month_end())
                .otherwise(pl.date(pl.col("end").dt.year(), 12, 31)))
    _LAST.clear()
    _LAST[key] = frame.select("id", "source_ccode", "target_ccode", "directed", "rank", "kind", "drivers",
                              pl.col("start"), pl.when(pl.col("end").is_null()).then(None).otherwise(last_day)
                              .alias("end"))
    return _LAST[key]
