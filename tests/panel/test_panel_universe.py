"""The dyad-year universe against peacesciencer's cow_ddy, and its invariants."""

from __future__ import annotations

import datetime as dt

import numpy as np
import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pactnet.imports import states
from pactnet.panel import dyad_years, state_years
from pactnet.panel.universe import dyad_segments, dyad_year_arrays, spans

KEY = ["ccode1", "ccode2", "year"]


def test_directed_cow_universe_equals_peacesciencer(shared):
    cow = states.read_cow(shared / "state_systems" / "cow_states.csv").tables["states"]
    ref = pl.read_csv(shared / "reference_outputs" / "cow_directed_dyad_years_1816_2024.csv.gz",
                      schema_overrides={k: pl.Int32 for k in KEY})
    panel = dyad_years(cow, end=2024, carry_forward=True)
    assert panel.height == 2_214_930
    assert panel.frame.select(KEY).equals(ref)  # row for row, same order


def test_false_dyads_absent_and_undirected_half(shared):
    cow = states.read_cow(shared / "state_systems" / "cow_states.csv").tables["states"]
    false = pl.read_csv(shared / "state_systems" / "false_cow_dyads.csv").select(pl.col(KEY).cast(pl.Int32))
    d = dyad_years(cow, end=2024, carry_forward=True).frame
    assert d.join(false, on=KEY).height == 0
    u = dyad_years(cow, end=2024, carry_forward=True, directed=False).frame
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


def test_year_only_states_warn_and_false_dyad_list(shared, tmp_path):
    from click.testing import CliRunner

    from pactnet.cli.panel import panel as panel_cmd

    system = shared / "cow_system2016" / "system2016.csv"
    out = tmp_path / "p.parquet"
    args = ["dyad-year", "--to", "2024", "--carry-forward", "--states", str(system), "--out", str(out),
            "--db", str(tmp_path / "no.duckdb")]
    r = CliRunner().invoke(panel_cmd, args)
    assert r.exit_code == 0, r.output
    assert "2,214,990 dyad-years" in r.stdout  # years only: the 60 false dyads cannot be told apart
    warning = r.stderr.strip()
    assert warning.startswith("Warning: ") and "\n" not in warning
    assert str(system) in warning and "cow_states.csv" in warning and "false_cow_dyads.csv" in warning
    r = CliRunner().invoke(panel_cmd, [*args, "--false-dyads", str(shared / "state_systems" / "false_cow_dyads.csv")])
    assert r.exit_code == 0, r.output
    assert r.stderr == ""
    ref = pl.read_csv(shared / "reference_outputs" / "cow_directed_dyad_years_1816_2024.csv.gz",
                      schema_overrides={k: pl.Int32 for k in KEY})
    assert pl.read_parquet(out).equals(ref)


def test_year_only_states_in_store_warn(shared, db):
    import pytest

    from pactnet.imports import import_dataset
    from pactnet.panel import build_dyad_years
    from pactnet.panel.sources import PanelWarning

    import_dataset("cow-states", shared / "cow_system2016" / "system2016.csv", db=db)
    with pytest.warns(PanelWarning, match="table cow_states has years but no entry/exit days"):
        p = build_dyad_years(end=2024, carry_forward=True, db=db)
    assert p.height == 2_214_990
    false = pl.read_csv(shared / "state_systems" / "false_cow_dyads.csv")
    u = dyad_years(states.read_cow(shared / "cow_system2016" / "system2016.csv").tables["states"], end=2024,
                   carry_forward=True, directed=False, exclude=false)
    assert u.height * 2 == 2_214_930


@settings(max_examples=80, deadline=None)
@given(st.lists(st.tuples(st.integers(1, 6), st.integers(0, 4000), st.integers(0, 2500)), min_size=1, max_size=10),
       st.booleans(),
       st.lists(st.tuples(st.integers(-1, 8), st.integers(0, 8), st.integers(1965, 1985)), max_size=30))
def test_segments_locate_equals_key_lookup(raw, directed, queries):
    # Several spells per code, possibly overlapping in years (not in days): one row per dyad-year still.
    raw = sorted(raw)
    code = np.array([r[0] for r in raw], dtype=np.int64)
    st_ = np.array([r[1] for r in raw], dtype=np.int64)
    en = st_ + np.array([r[2] for r in raw], dtype=np.int64)
    seg = dyad_segments(code, st_, en, 1970, 1980, directed)
    c1, c2, y = seg.arrays()
    key = (c1.astype(np.int64) * 1000 + c2) * 10000 + y
    assert (np.diff(key) > 0).all()
    q = np.array(queries + [(int(a), int(b), int(c)) for a, b, c in zip(c1[:5], c2[:5], y[:5], strict=True)],
                 dtype=np.int64).reshape(-1, 3)
    pos, hit = seg.locate(q[:, 0], q[:, 1], q[:, 2])
    qkey = (q[:, 0] * 1000 + q[:, 1]) * 10000 + q[:, 2]
    assert (hit == np.isin(qkey, key)).all()
    assert (key[pos[hit]] == qkey[hit]).all()


@pytest.mark.parametrize("kw, message", [
    ({"start": 2000, "end": 1990}, "^end: 1990 is before start 2000"),
    ({"end": 2024}, "^end: the state data ends in 2016; a panel to 2024 needs carry_forward=True"),
    ({"end": 99999, "carry_forward": True}, "^end: 99999 is more than 30 years after the state data's last year"),
])
def test_years_are_checked_where_they_enter(kw, message):
    import pytest

    from pactnet.errors import InputError

    cow = pl.DataFrame({"code": [2, 20], "start": [dt.date(1816, 1, 1), dt.date(1920, 1, 10)],
                        "end": [dt.date(2016, 12, 31)] * 2})

    with pytest.raises(InputError, match=message):
        dyad_years(cow, **kw)
    with pytest.raises(InputError, match=message):
        state_years(cow, **kw)
