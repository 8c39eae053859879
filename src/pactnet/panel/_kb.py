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
    (dates; ``end`` null while open), ties derived through alliance organisations included, phases not applied.

    ``db``: a ``Store``, a path or None (the default store); ``kb``: a knowledge-base folder for that store. The
    store is rebuilt first when the knowledge base changed.
    """
    import polars as pl

    from pactnet.network import tie_table
    from pactnet.store import Store

    store = db if isinstance(db, Store) else Store(db, kb) if kb is not None else Store(db)
    store.ensure_built()
    st = store.path.stat()
    key = (str(store.path.resolve()), st.st_size, st.st_mtime_ns, view)
    if key in _LAST:
        return _LAST[key]
    t = tie_table(view, db=store)  # today's API: start_lo / end_hi; issue 7: network.ties(view=...) start / end
    _LAST.clear()
    _LAST[key] = t.select("id", "source_ccode", "target_ccode", "directed", "rank", "kind", "drivers",
                    pl.col("start_lo").alias("start"), pl.col("end_hi").alias("end"))
    return _LAST[key]
