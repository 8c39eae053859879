"""The panel universe: every pair (or state) of system members alive in the same year, as peacesciencer builds it.

Built from state spells with integer arithmetic: for every pair of spells of two different states, the
days both are alive form one interval ``[max(start), min(end)]``; the dyad exists in every calendar
year that interval touches. Pairs alive in the same year but never on the same day (peacesciencer's
"false dyads", e.g. Suriname from 1975-11-25 and the Republic of Vietnam until 1975-04-30) therefore
never appear, without a list. States alive on the system data's last day are carried on to ``end``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np
    import polars as pl

__all__ = ["spans", "dyad_year_arrays", "state_year_arrays", "dyad_key", "YEAR_BASE", "PAIR_BASE"]

#: Dyad-year keys: ``(ccode1 * PAIR_BASE + ccode2) * YEAR_BASE + year`` (int64, order = (ccode1, ccode2, year)).
PAIR_BASE = 1000
YEAR_BASE = 10000


def dyad_key(c1, c2, year):
    """The int64 dyad-year key of numpy arrays (or ints)."""
    import numpy as np

    return (np.asarray(c1, dtype=np.int64) * PAIR_BASE + np.asarray(c2, dtype=np.int64)) * YEAR_BASE + np.asarray(
        year, dtype=np.int64
    )


def _year_of(days: np.ndarray) -> np.ndarray:
    import numpy as np

    return days.astype("datetime64[D]").astype("datetime64[Y]").astype(np.int64) + 1970


def spans(states: pl.DataFrame, end: int | None = None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``(code, first_day, last_day)`` arrays (days since 1970-01-01) of each spell, sorted by code and start.

    ``states`` has ``code`` (or ``ccode``/``gwcode``), ``start`` and ``end`` (dates). Spells alive on the
    data's last date are extended to Dec 31 of ``end`` when ``end`` is later.
    """
    import numpy as np

    code_col = next(c for c in ("code", "ccode", "gwcode") if c in states.columns)
    s = states.select(code_col, "start", "end").sort(code_col, "start")
    code = s[code_col].to_numpy().astype(np.int64)
    st = s["start"].to_physical().to_numpy().astype(np.int64)
    en = s["end"].to_physical().to_numpy().astype(np.int64)
    last = en.max()
    if end is not None:
        carry = np.datetime64(f"{end:04d}-12-31").astype("datetime64[D]").astype(np.int64)
        if carry > last:
            en = np.where(en == last, carry, en)
    return code, st, en


def dyad_year_arrays(
    code: np.ndarray, st: np.ndarray, en: np.ndarray, start: int, end: int, directed: bool = True
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``(ccode1, ccode2, year)`` int arrays of the dyad-year universe, sorted by (ccode1, ccode2, year).

    Undirected universes keep ``ccode2 > ccode1``.
    """
    import numpy as np

    n = len(code)
    a = np.repeat(np.arange(n), n)
    b = np.tile(np.arange(n), n)
    keep = code[a] < code[b] if not directed else code[a] != code[b]
    a, b = a[keep], b[keep]
    lo = np.maximum(st[a], st[b])
    hi = np.minimum(en[a], en[b])
    ok = lo <= hi  # at least one common day
    a, b = a[ok], b[ok]
    y0 = np.maximum(_year_of(lo[ok]), start)
    y1 = np.minimum(_year_of(hi[ok]), end)
    ok = y0 <= y1
    a, b, y0, y1 = a[ok], b[ok], y0[ok], y1[ok]
    order = np.lexsort((y0, code[b], code[a]))
    a, b, y0, y1 = a[order], b[order], y0[order], y1[order]
    cnt = y1 - y0 + 1
    c1 = np.repeat(code[a].astype(np.int32), cnt)
    c2 = np.repeat(code[b].astype(np.int32), cnt)
    offs = np.cumsum(cnt) - cnt
    year = (np.arange(int(cnt.sum()), dtype=np.int64) - np.repeat(offs - y0, cnt)).astype(np.int32)
    key = dyad_key(c1, c2, year)
    if len(key) > 1 and not (np.diff(key) > 0).all():  # overlapping spells of one state: deduplicate
        _, first = np.unique(key, return_index=True)
        c1, c2, year = c1[first], c2[first], year[first]
    return c1, c2, year


def state_year_arrays(
    code: np.ndarray, st: np.ndarray, en: np.ndarray, start: int, end: int
) -> tuple[np.ndarray, np.ndarray]:
    """``(code, year)`` arrays of every state-year with at least one day of membership, sorted."""
    import numpy as np

    y0 = np.maximum(_year_of(st), start)
    y1 = np.minimum(_year_of(en), end)
    ok = y0 <= y1
    c, y0, y1 = code[ok], y0[ok], y1[ok]
    cnt = y1 - y0 + 1
    offs = np.cumsum(cnt) - cnt
    cc = np.repeat(c, cnt)
    yy = np.arange(int(cnt.sum()), dtype=np.int64) - np.repeat(offs - y0, cnt)
    key = cc * YEAR_BASE + yy
    _, first = np.unique(key, return_index=True)
    return cc[first].astype(np.int32), yy[first].astype(np.int32)
