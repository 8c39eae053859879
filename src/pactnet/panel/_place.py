"""How verbs read their data and place its rows in a panel (by position through the universe index, else by
joining on the key columns), keeping the rows they cannot place with a reason."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pactnet.errors import InputError
from pactnet.panel.frame import Panel

if TYPE_CHECKING:
    import numpy as np
    import polars as pl

__all__: list[str] = []


def _need(p: Panel, verb: str, unit: str | tuple[str, ...] = ("dyad_year", "state_year"),
          columns: tuple[str, ...] = ()) -> None:
    units = (unit,) if isinstance(unit, str) else unit
    if not isinstance(p, Panel):
        raise InputError(f"{verb}(): panel must be a Panel: run create_dyad_years() or create_state_years() first "
                         f"(got {type(p).__name__})")
    if p.kind not in units:
        first = " or ".join(f"create_{u.replace('_year', '')}_years()" for u in units)
        raise InputError(f"{verb}(): needs a {' or '.join(u.replace('_', '-') for u in units)} panel, got a "
                         f"{p.kind.replace('_', '-')} panel: run {first} first")
    missing = [c for c in columns if c not in p.frame.columns]
    if missing:
        raise InputError(f"{verb}(): the panel has no column {missing[0]!r}; expected {', '.join(columns)}")


def _store_table(p: Panel, table: str, hint: str, verb: str) -> pl.DataFrame:
    from pactnet.panel.sources import store_table

    return store_table(p.db, table, hint, verb)


def _read(p: Panel, verb: str, data: Any, path: Any, table: str, hint: str, reader=None) -> pl.DataFrame:
    import polars as pl

    if data is not None:
        if not isinstance(data, pl.DataFrame):
            raise InputError(f"{verb}(): data must be a polars DataFrame, got {type(data).__name__}")
        return data
    if path is not None:
        if reader is not None:
            return reader(path)
        from pactnet.imports import read_dataset

        imp = read_dataset(hint, path)
        return imp.tables[table[len(imp.dataset) + 1:]]
    return _store_table(p, table, hint, verb)


def _crosswalk(p: Panel) -> pl.DataFrame:
    if p.crosswalk is not None:
        return p.crosswalk
    from pactnet.imports.states import cow_gw_crosswalk
    from pactnet.panel.sources import store_has_table, store_table

    if store_has_table(p.db, "gw_crosswalk"):
        return store_table(p.db, "gw_crosswalk", "gw-states", "crosswalk")
    if store_has_table(p.db, "cow_states") and store_has_table(p.db, "gw_states"):
        return cow_gw_crosswalk(store_table(p.db, "cow_states", "cow-states", "crosswalk"),
                                store_table(p.db, "gw_states", "gw-states", "crosswalk"))
    raise InputError("a G-W panel with attributes needs the COW <-> G-W crosswalk (import gw-states with "
                     "cw_gw_panel.csv, or import both cow-states and gw-states)")


def _covered(p: Panel, cov: tuple[int, int] | None) -> pl.Series | None:
    """Boolean Series of the panel rows inside ``cov`` (None when every row is); once per pipeline."""
    import polars as pl

    if cov is None or (cov[0] <= p.start and p.end <= cov[1]):
        return None
    key = ("covered", cov)
    if key not in p.cache:
        year = p.frame["year"].to_numpy()
        p.cache[key] = pl.Series((year >= cov[0]) & (year <= cov[1]))
    return p.cache[key]


def _series(name: str, values: np.ndarray, valid: np.ndarray | pl.Series | None = None) -> pl.Series:
    """A polars Series over ``values`` (not copied) with nulls where ``valid`` is False."""
    import polars as pl

    s = pl.Series(name, values)
    if valid is None:
        return s
    return pl.select(pl.when(valid if isinstance(valid, pl.Series) else pl.Series(valid)).then(s).alias(name)
                     ).to_series()


def _with_reason(df: pl.DataFrame, reason: Any) -> pl.DataFrame:
    import polars as pl

    return df.with_columns(pl.Series("reason", reason, dtype=pl.String) if not isinstance(reason, str)
                           else pl.lit(reason).alias("reason"))


# -- placing dyadic values ---------------------------------------------------------------------------------
def _to_gw(p: Panel, df: pl.DataFrame, cols: tuple[str, ...], name: str) -> tuple[pl.DataFrame, pl.DataFrame]:
    """``df`` with COW codes in ``cols`` moved to G-W codes of the same year, and the rows without a counterpart."""
    import polars as pl

    from pactnet.panel.build import _to_gw as to_gw

    df = df.with_columns(pl.col(*cols, "year").cast(pl.Int32))
    moved = to_gw(df.with_row_index("__row"), _crosswalk(p), cols)
    lost = df.with_row_index("__row").join(moved.select("__row"), on="__row", how="anti").drop("__row")
    return moved.drop("__row"), _with_reason(lost, "no_counterpart")


def _positions(p: Panel, a: np.ndarray, b: np.ndarray | None, y: np.ndarray) -> tuple[np.ndarray, np.ndarray, Any]:
    """Panel rows of the keys, whether each is in the panel, and the reason of each miss (an array as long as
    the misses: ``outside_years``, ``filtered`` or ``outside_system``)."""
    import numpy as np

    def reasons(miss: np.ndarray, filtered: np.ndarray | None) -> np.ndarray:
        ym = y[miss]
        r = np.where((ym < p.start) | (ym > p.end), "outside_years", "outside_system")
        if filtered is not None:
            r = np.where(filtered[miss] & (r == "outside_system"), "filtered", r)
        return r

    if b is not None and p.seg is not None:
        pos, hit = p.seg.locate(a, b, y)
        filtered = None
        if p.rows is not None:
            prow = np.where(hit, p.rows[np.where(hit, pos, 0)], -1)
            filtered = hit & (prow < 0)
            hit &= prow >= 0
            pos = prow
        return pos, hit, reasons(~hit, filtered)
    keys = p.keys
    import polars as pl

    left = pl.DataFrame({k: v for k, v in zip(keys, (a, b, y) if b is not None else (a, y), strict=False)})
    left = left.with_columns(pl.col(k).cast(pl.Int32) for k in keys)
    right = p.frame.select(pl.col(k).cast(pl.Int32) for k in keys).with_row_index("__pos")
    j = left.with_row_index("__left").join(right, on=list(keys), how="left").sort("__left")
    pos = j["__pos"].fill_null(0).cast(pl.Int64).to_numpy()
    hit = j["__pos"].is_not_null().to_numpy()
    return pos, hit, reasons(~hit, None)


def _undirect(df: pl.DataFrame, values: list[str], agg: str) -> pl.DataFrame:
    from pactnet.panel.build import _undirect as undirect

    return undirect(df, values, agg)


def _place_dyadic(p: Panel, name: str, df: pl.DataFrame, values: list[str], *, agg: str = "max", fill: Any = 0,
                  dtype: Any = None, cov: tuple[int, int] | None = None) -> Panel:
    """Add ``values`` of the COW-coded dyad-years ``df`` (``ccode1, ccode2, year``) to the panel."""
    import numpy as np
    import polars as pl

    dtype = dtype or np.int8
    lost = None
    if p.system == "gw":
        df, lost = _to_gw(p, df, ("ccode1", "ccode2"), name)
        df = df.group_by("ccode1", "ccode2", "year").agg(
            (pl.col(v).max() if agg == "max" else pl.col(v).min()) for v in values)
    if not p.directed:
        df = _undirect(df, values, agg)
    a, b, y = (df[c].cast(pl.Int32).to_numpy() for c in ("ccode1", "ccode2", "year"))
    pos, hit, reason = _positions(p, a, b, y)
    dropped = dict(p.dropped)
    miss = ~hit
    parts = []
    if miss.any():
        parts.append(_with_reason(df.filter(pl.Series(miss)), reason))
    if lost is not None and lost.height:
        parts.append(lost.select(*parts[0].columns) if parts else lost)
    if parts:
        out = pl.concat(parts, how="diagonal_relaxed").sort("ccode1", "ccode2", "year", maintain_order=True)
        dropped[name] = out.rename({"ccode1": p.keys[0], "ccode2": p.keys[1]}) if p.system == "gw" else out
    at = pos[hit]
    n = p.height
    mask = _covered(p, cov)
    cols = []
    for v in values:
        arr = np.full(n, fill, dtype=dtype)
        arr[at] = df[v].fill_null(fill).to_numpy()[hit]  # duplicate keys: the last row wins
        cols.append(_series(v, arr, mask))
    return p._with_columns(p.frame.with_columns(cols), dropped=dropped)


def _place_state(p: Panel, name: str, df: pl.DataFrame, values: list[str], *, zero: bool,
                 cov: tuple[int, int] | None) -> Panel:
    """Join the COW-coded state-years ``df`` (``ccode, year``) to a state-year panel."""
    import polars as pl

    lost = None
    df = df.with_columns(pl.col("ccode").cast(pl.Int32), pl.col("year").cast(pl.Int32))
    if p.system == "gw":
        df, lost = _to_gw(p, df, ("ccode",), name)
        df = df.unique(["ccode", "year"], keep="first", maintain_order=True)
    key = p.keys[0]
    df = df.rename({"ccode": key})
    df = df.unique([key, "year"], keep="first", maintain_order=True)
    frame = p.frame.with_row_index("__row").join(df.select(key, "year", *values), on=[key, "year"], how="left"
                                                 ).sort("__row").drop("__row")
    if zero:
        frame = frame.with_columns(pl.col(v).fill_null(0) for v in values)
    if cov is not None:
        frame = frame.with_columns(pl.when(pl.col("year").is_between(*cov)).then(pl.col(v)).alias(v) for v in values)
    miss = df.join(p.frame.select(key, "year"), on=[key, "year"], how="anti")
    dropped = dict(p.dropped)
    if miss.height or (lost is not None and lost.height):
        y = miss["year"]
        miss = _with_reason(miss, pl.select(pl.when((y < p.start) | (y > p.end)).then(pl.lit("outside_years"))
                                            .otherwise(pl.lit("outside_system"))).to_series())
        if lost is not None and lost.height:
            miss = pl.concat([miss, lost.rename({"ccode": key})], how="diagonal_relaxed")
        dropped[name] = miss
    return p._with_columns(frame, dropped=dropped)



def _side_rows(p: Panel, sy: pl.DataFrame, name: str) -> tuple[pl.DataFrame, list[np.ndarray]]:
    """For each side of a dyad-year panel, the row of the state-years ``sy`` (``ccode, year``) of each panel row
    (``sy.height`` where there is none: index a table with one extra "missing" entry at the end)."""
    import numpy as np
    import polars as pl

    from pactnet.panel.universe import PAIR_BASE

    sy = sy.with_columns(pl.col("ccode").cast(pl.Int32), pl.col("year").cast(pl.Int32))
    if p.system == "gw":
        sy, _ = _to_gw(p, sy, ("ccode",), name)
        sy = sy.unique(["ccode", "year"], keep="first", maintain_order=True)
    start, width = p.start, p.end - p.start + 1
    ncc, nyy = sy["ccode"].to_numpy(), sy["year"].to_numpy()
    ok = np.flatnonzero((ncc >= 0) & (ncc < PAIR_BASE) & (nyy >= start) & (nyy <= p.end))[::-1]
    slot = np.full(PAIR_BASE * width, sy.height, dtype=np.intp)  # (code, year) -> row of sy; the first row wins
    slot[ncc[ok].astype(np.intp) * width + (nyy[ok] - start)] = ok
    ck = ("slots", start, width)
    if ck not in p.cache:  # (code, year) slot of each row, per side: computed once per pipeline
        year = p.frame["year"].to_numpy().astype(np.intp) - start
        ats = []
        for key in p.keys[:2]:
            at = p.frame[key].to_numpy().astype(np.intp)
            at *= width
            at += year
            ats.append(at)
        p.cache[ck] = tuple(ats)
    return sy, [slot[at] for at in p.cache[ck]]


def _state_year_lookup(p: Panel, sy: pl.DataFrame, values: tuple[str, ...], suffixes: tuple[str, str],
                       name: str) -> Panel:
    """Add the float ``values`` of the state-years ``sy`` (``ccode, year``) for both sides of a dyad-year panel
    (null where the state-year is absent or its value missing)."""
    import numpy as np
    import polars as pl

    sy, rows = _side_rows(p, sy, name)
    cols = []
    for v in values:
        s = sy[v]
        if _integral(s):  # counts (milex, milper, irst, pec in NMC v7): exact as Int32, with a missing sentinel
            lo = np.iinfo(np.int32).min
            table = np.append(s.cast(pl.Int32).fill_null(lo).to_numpy(), np.int32(lo))
            for side, row in zip(suffixes, rows, strict=True):
                arr = pl.Series(f"{v}{side}", table[row])
                cols.append(pl.select(pl.when(arr != lo).then(arr)).to_series())
        else:
            table = np.append(s.cast(pl.Float64).fill_null(np.nan).to_numpy(), np.nan)
            cols += [pl.Series(f"{v}{side}", table[row], nan_to_null=True) for side, row in zip(suffixes, rows,
                                                                                                  strict=True)]
    order = [f"{v}{side}" for side in suffixes for v in values]
    return p._with_columns(p.frame.with_columns(cols).select(*p.frame.columns, *order))


def _integral(s: pl.Series) -> bool:
    """Whether every value of ``s`` is a whole number that fits Int32 (then stored exactly as Int32)."""
    import polars as pl

    if s.dtype.is_integer():
        return True
    if not s.dtype.is_float():
        return False
    v = s.drop_nulls()
    return bool(v.len() == 0 or ((v == v.floor()).all() and v.abs().max() < 2**31 - 1)) and s.dtype != pl.Float32
