"""The panel universe: every pair (or state) of system members alive in the same year, as peacesciencer builds it.

Built from state spells with integer arithmetic: for every pair of spells of two different states, the
days both are alive form one interval ``[max(start), min(end)]``; the dyad exists in every calendar
year that interval touches. Pairs alive in the same year but never on the same day (peacesciencer's
"false dyads", e.g. Suriname from 1975-11-25 and the Republic of Vietnam until 1975-04-30) therefore
never appear, without a list. States alive on the system data's last day are carried on to ``end``.

The universe is kept as *segments* (one row per pair and run of consecutive years, sorted by
``(ccode1, ccode2, first year)``): row ``offs[s] + year - y0[s]`` of the expanded panel is year ``year``
of segment ``s``, so attribute rows are placed by looking up their pair's segment, without keys over
the ~2 million panel rows.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np
    import polars as pl

__all__ = ["spans", "dyad_year_arrays", "dyad_segments", "Segments", "state_year_arrays", "dyad_key",
           "YEAR_BASE", "PAIR_BASE"]

#: Dyad-year keys: ``(ccode1 * PAIR_BASE + ccode2) * YEAR_BASE + year`` (int64, order = (ccode1, ccode2, year)).
PAIR_BASE = 1000
YEAR_BASE = 10000


def dyad_key(c1, c2, year):
    """The int64 dyad-year key of numpy arrays (or ints)."""
    import numpy as np

    pair = np.asarray(c1, dtype=np.int64) * PAIR_BASE + np.asarray(c2, dtype=np.int64)
    return pair * YEAR_BASE + np.asarray(year, dtype=np.int64)


def _year_of(days: np.ndarray) -> np.ndarray:
    """Calendar years (int64) of day numbers since 1970-01-01."""
    import numpy as np

    if not len(days):
        return np.zeros(0, dtype=np.int64)
    lo, hi = np.asarray([days.min(), days.max()]).astype("datetime64[D]").astype("datetime64[Y]").astype(np.int64)
    jan1 = np.arange(lo, hi + 1).astype("datetime64[Y]").astype("datetime64[D]").astype(np.int64)
    return np.searchsorted(jan1, days, side="right") + (int(lo) + 1969)


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


@dataclass
class Segments:
    """The dyad-year universe as runs of consecutive years per pair, sorted by ``(c1, c2, y0)``.

    ``c1, c2, y0, y1`` (int32) per segment; ``offs`` (int64, one longer): segment ``s`` holds panel rows
    ``offs[s] .. offs[s + 1] - 1``, for years ``y0[s] .. y1[s]``.
    """

    c1: np.ndarray
    c2: np.ndarray
    y0: np.ndarray
    y1: np.ndarray
    offs: np.ndarray
    _ix: tuple | None = field(default=None, repr=False, compare=False)

    @classmethod
    def of(cls, c1: np.ndarray, c2: np.ndarray, y0: np.ndarray, y1: np.ndarray) -> Segments:
        import numpy as np

        cnt = (y1.astype(np.int64) - y0) + 1
        offs = np.zeros(len(cnt) + 1, dtype=np.int64)
        np.cumsum(cnt, out=offs[1:])
        return cls(c1.astype(np.int32), c2.astype(np.int32), y0.astype(np.int32), y1.astype(np.int32), offs)

    def _index(self) -> tuple[np.ndarray, int, np.ndarray, np.ndarray]:
        """Dense numbers of the codes present (``cix[code]``), of each segment's pair, and each pair's first segment."""
        import numpy as np

        if self._ix is None:
            codes = np.union1d(self.c1, self.c2)
            cix = np.full(PAIR_BASE, -1, dtype=np.int32)
            cix[codes] = np.arange(len(codes), dtype=np.int32)
            w = len(codes)
            pair = cix[self.c1] * w + cix[self.c2]
            new = np.empty(len(pair), dtype=bool)
            new[:1] = True
            np.not_equal(pair[1:], pair[:-1], out=new[1:])
            first = np.full(w * w + 1, -1, dtype=np.int32)  # the last entry: pairs with an absent code
            starts = np.flatnonzero(new).astype(np.int32)
            first[pair[starts]] = starts
            self._ix = (cix, w, pair, first)
        return self._ix

    @property
    def n(self) -> int:
        return int(self.offs[-1])

    def arrays(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The expanded ``(ccode1, ccode2, year)`` int32 arrays, sorted by (ccode1, ccode2, year)."""
        import numpy as np

        n, k = self.n, len(self.y0)
        cnt = np.diff(self.offs)
        c1 = np.repeat(self.c1, cnt)
        c2 = np.repeat(self.c2, cnt)
        year = np.ones(n, dtype=np.int32)  # year steps: +1 inside a segment, jump at each segment start
        if k:
            year[self.offs[1:-1]] = self.y0[1:] - self.y1[:-1]
            year[0] = self.y0[0]
            np.cumsum(year, out=year)
        return c1, c2, year

    def locate(self, c1, c2, year) -> tuple[np.ndarray, np.ndarray]:
        """Panel rows of the dyad-years ``(c1, c2, year)`` and whether each is in the universe.

        ``pos`` is meaningful only where ``hit``. Codes outside ``0 .. PAIR_BASE - 1`` never hit.
        """
        import numpy as np

        c1 = np.asarray(c1)
        c2 = np.asarray(c2)
        year = np.asarray(year).astype(np.int32, copy=False)
        m = len(c1)
        if not len(self.y0) or not m:
            return np.zeros(m, dtype=np.int64), np.zeros(m, dtype=bool)
        cix, w, pair, first = self._index()
        if min(c1.min(), c2.min()) < 0 or max(c1.max(), c2.max()) >= PAIR_BASE:
            bad = (c1 < 0) | (c1 >= PAIR_BASE) | (c2 < 0) | (c2 >= PAIR_BASE)
            c1, c2 = np.where(bad, 0, c1), np.where(bad, 0, c2)
        else:
            bad = None
        i, j = cix[c1], cix[c2]
        ap = i * w + j
        absent = (i < 0) | (j < 0)
        if bad is not None:
            absent |= bad
        ap[absent] = w * w
        s = first[ap]
        del i, j, ap
        found = s >= 0
        s[~found] = 0
        # pairs with several segments: step on while the year is past the segment and the pair goes on
        last = len(pair) - 1
        cand = np.flatnonzero(found & (year > self.y1[s]))
        while len(cand):
            cur = s[cand]
            nxt = np.minimum(cur + 1, last)
            go = (cur < last) & (pair[nxt] == pair[cur])
            cand, nxt = cand[go], nxt[go]
            s[cand] = nxt
            cand = cand[year[cand] > self.y1[nxt]]
        y0 = self.y0[s]
        hit = found & (year >= y0) & (year <= self.y1[s])
        y0 -= year
        pos = self.offs[s]
        pos -= y0  # offs + (year - y0)
        return pos, hit


def dyad_segments(
    code: np.ndarray, st: np.ndarray, en: np.ndarray, start: int, end: int, directed: bool = True
) -> Segments:
    """The dyad-year universe as :class:`Segments` (undirected universes keep ``ccode2 > ccode1``)."""
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
    c1, c2 = code[a], code[b]
    pair = c1 * PAIR_BASE + c2
    order = np.argsort(pair * YEAR_BASE + y0, kind="stable")  # nearly sorted already: a quick merge sort
    c1, c2, y0, y1, pair = c1[order], c2[order], y0[order], y1[order], pair[order]
    if len(y0) > 1:
        # Several spells of one state can give a pair overlapping (or touching) year runs: merge them.
        same = pair[1:] == pair[:-1]
        if same.any():
            big = end - start + 2 if end >= start else 1
            rank = np.concatenate(([0], np.cumsum(~same)))  # pair number, increasing
            reach = np.maximum.accumulate(rank * big + (y1 - start)) - rank * big + start  # running max of y1
            new = np.concatenate(([True], ~same | (y0[1:] > reach[:-1] + 1)))
            if not new.all():
                idx = np.flatnonzero(new)
                c1, c2, y0, y1 = c1[idx], c2[idx], y0[idx], np.maximum.reduceat(y1, idx)
    return Segments.of(c1, c2, y0, y1)


def dyad_year_arrays(
    code: np.ndarray, st: np.ndarray, en: np.ndarray, start: int, end: int, directed: bool = True
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``(ccode1, ccode2, year)`` int32 arrays of the dyad-year universe, sorted by (ccode1, ccode2, year).

    Undirected universes keep ``ccode2 > ccode1``.
    """
    return dyad_segments(code, st, en, start, end, directed).arrays()


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
