"""The dyad-year universe against peacesciencer's cow_ddy, and its invariants."""

from __future__ import annotations

import datetime as dt

import numpy as np
import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st

from pactnet.imports import states
from pactnet.panel import dyad_years, state_years
from pactnet.panel.universe import dyad_year_arrays, spans

KEY = ["ccode1", "ccode2", "year"]


def test_directed_cow_universe_equals_peacesciencer(shared):
    cow = states.read_cow(shared / "state_systems" / "cow_states.csv").tables["states"]
    ref = pl.read_csv(shared / "reference_outputs" / "cow_directed_dyad_years_1816_2024.csv.gz",
                      schema_overrides={k: pl.Int32 for k in KEY})
    panel = dyad_years(cow, end=2024)
    assert panel.height == 2_214_930
    assert panel.frame.select(KEY).equals(ref)  # row for row, same order


def test_false_dyads_absent_and_undirected_half(shared):
    cow = states.read_cow(shared / "state_systems" / "cow_states.csv").tables["states"]
    false = pl.read_csv(shared / "state_systems" / "false_cow_dyads.csv").select(pl.col(KEY).cast(pl.Int32))
    d = dyad_years(cow, end=2024).frame
    assert d.join(false, on=KEY).height == 0
    u = dyad_years(cow, end=2024, directed=False).frame
    assert u.height * 2 == d.height
    assert (u["ccode2"] > u["ccode1"]).all()


def test_state_years_cover_system2016(shared):
    cow = states.read_cow(shared / "state_systems" / "cow_states.csv").tables["states"]
    ref = pl.read_csv(shared / "cow_system2016" / "system2016.csv").select(
        pl.col("ccode").cast(pl.Int32), pl.col("year").cast(pl.Int32)).sort("ccode", "year")
    got = state_years(cow).frame
    assert got.select("ccode", "year").equals(ref)


spell = st.tuples(st.integers(1, 30), st.dates(dt.date(1816, 1, 1), dt.date(1830, 12, 31)), st.integers(0, 3000))


@settings(max_examples=60, deadline=None)
@given(st.lists(spell, min_size=1, max_size=12))
def test_each_dyad_once_per_year_and_alive_same_day(raw):
    # One spell per code (overlapping spells of a code are invalid input).
    seen, rows = set(), []
    for code, start, length in raw:
        if code not in seen:
            seen.add(code)
            rows.append((code, start, start + dt.timedelta(days=length)))
    df = pl.DataFrame(rows, schema=["code", "start", "end"], orient="row")
    code, s, e = spans(df)
    c1, c2, y = dyad_year_arrays(code, s, e, 1816, 1840)
    key = (c1.astype(np.int64) * 1000 + c2) * 10000 + y
    assert len(np.unique(key)) == len(key)
    by = {r[0]: (r[1], r[2]) for r in rows}
    for a, b, year in zip(c1.tolist(), c2.tolist(), y.tolist(), strict=True):
        lo = max(by[a][0], by[b][0], dt.date(year, 1, 1))
        hi = min(by[a][1], by[b][1], dt.date(year, 12, 31))
        assert lo <= hi  # a common day in that year
    # and every year with a common day is there
    expected = 0
    for a in by:
        for b in by:
            if a != b:
                lo, hi = max(by[a][0], by[b][0]), min(by[a][1], by[b][1])
                if lo <= hi:
                    expected += min(hi.year, 1840) - lo.year + 1 if lo.year <= 1840 else 0
    assert len(key) == expected
