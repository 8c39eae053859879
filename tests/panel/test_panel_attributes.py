"""Attributes: coverage (null outside, 0 inside), undirected maxima, the knowledge base, the dropped rows."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest
from click.testing import CliRunner

from pactnet.cli.panel import panel as panel_cmd
from pactnet.imports import atop, covariates, states
from pactnet.panel import dyad_years, kb_dyad_years, state_years


@pytest.fixture(scope="module")
def cow(shared):
    return states.read_cow(shared / "state_systems" / "cow_states.csv").tables["states"]


@pytest.fixture(scope="module")
def atop_dy(shared):
    m, _ = atop.read_members(shared / "atop5_1")
    return atop.atop_dyad_years(m)


def kb_frame():
    return pl.DataFrame({
        "id": ["usa-jpn", "usa-can-x", "gbr-usa", "usa-irn"],
        "source_ccode": [2, 2, 200, 2], "target_ccode": [740, 20, 2, 630],
        "directed": [False, True, False, False], "rank": [5, 3, 4, -1],
        "kind": ["mutual_defense_treaty", "designation", "security_assurance", "rivalry"],
        "drivers": [["cold_war"], [], ["great_power_competition"], ["regional_rivalry"]],
        "start_lo": [dt.date(1951, 9, 8), dt.date(1990, 1, 1), dt.date(2000, 5, 1), dt.date(1979, 11, 4)],
        "end_hi": [None, dt.date(1999, 12, 31), None, None],
    }, schema_overrides={"rank": pl.Int8})


def row(frame, a, b, y):
    return frame.filter((pl.col("ccode1") == a) & (pl.col("ccode2") == b) & (pl.col("year") == y)).row(0, named=True)


def test_atop_null_outside_coverage_zero_inside(cow, atop_dy):
    p = dyad_years(cow, end=2024, carry_forward=True, atop=atop_dy)
    f = p.frame
    assert row(f, 2, 740, 1960)["atop_defense"] == 1
    assert row(f, 2, 740, 1940)["atop_defense"] == 0  # inside 1815-2018, no alliance
    assert row(f, 2, 740, 2020)["atop_defense"] is None  # outside coverage
    assert f.filter(pl.col("year") > 2018)["atop_defense"].null_count() == f.filter(pl.col("year") > 2018).height
    assert p.dropped_counts() == {"atop": 5_894}


def test_undirected_takes_max_of_both_directions(cow, atop_dy):
    u = dyad_years(cow, end=2018, carry_forward=True, directed=False, atop=atop_dy).frame
    # Belgium-France 1832: only France owes defence (peacesciencer's example).
    d = atop_dy.filter(pl.col("year") == 1832)
    fr_be = d.filter((pl.col("ccode1") == 220) & (pl.col("ccode2") == 211))["atop_defense"].to_list()
    be_fr = d.filter((pl.col("ccode1") == 211) & (pl.col("ccode2") == 220))["atop_defense"].to_list()
    assert fr_be == [1] and be_fr == [0]
    assert row(u, 211, 220, 1832)["atop_defense"] == 1


def test_kb_highest_level_kind_driver(cow):
    k = kb_frame()
    f = dyad_years(cow, end=2024, carry_forward=True, kb=k).frame
    r = row(f, 2, 740, 1960)
    assert (r["kb_rank"], r["kb_level"], r["kb_kind"], r["kb_driver"]) == (
        5, "guarantee", "mutual_defense_treaty", "cold_war")
    assert row(f, 740, 2, 1960)["kb_rank"] == 5  # undirected tie counts both ways
    assert row(f, 2, 20, 1995)["kb_level"] == "structured"
    assert row(f, 20, 2, 1995)["kb_rank"] is None  # directed designation: one way only
    assert row(f, 2, 20, 2001)["kb_rank"] is None  # ended 1999
    assert row(f, 2, 630, 2000)["kb_rank"] == -1
    kd = kb_dyad_years(k, 1816, 2024, directed=False)
    assert row(kd, 2, 200, 2010)["kb_rank"] == 4


def test_covariates_join(cow, shared):
    cov = shared / "covariates"
    nmc = covariates.read_nmc(cov / "cow_nmc_v7.csv.gz").tables["capabilities"]
    con = covariates.read_contiguity(cov).tables["contdir"]
    riv = covariates.read_rivalries(cov).tables["td"]
    f = dyad_years(cow, end=2024, carry_forward=True, nmc=nmc, contiguity=con, rivalry=riv).frame
    r = row(f, 2, 20, 1950)
    assert r["conttype"] == 1 and r["td_rival"] == 0 and r["cinc1"] > r["cinc2"] > 0
    assert row(f, 2, 365, 1960)["td_rival"] == 1
    assert row(f, 2, 20, 2020)["conttype"] is None and row(f, 2, 20, 2020)["td_rival"] is None
    assert row(f, 2, 20, 2024)["cinc1"] is None


def test_state_years_with_atop_kb(cow, shared):
    m, _ = atop.read_members(shared / "atop5_1")
    s = state_years(cow, end=2024, carry_forward=True, atop=atop.atop_state_years(m), kb=kb_frame()).frame
    usa = s.filter(pl.col("ccode") == 2)
    assert usa.filter(pl.col("year") == 2018)["atop_number"].item() > 0
    assert usa.filter(pl.col("year") == 2020)["atop_defense"].item() is None
    assert usa.filter(pl.col("year") == 1820)["atop_defense"].item() == 0
    assert usa.filter(pl.col("year") == 2010)["kb_rank"].item() == 5


def test_gw_panel_with_crosswalk(shared):
    gw = states.read_gw(shared / "state_systems" / "gw_system.csv").tables["states"]
    cow = states.read_cow(shared / "state_systems" / "cow_states.csv").tables["states"]
    cw = states.cow_gw_crosswalk(cow, gw, 1816, 2020)
    p = dyad_years(gw, end=2020, carry_forward=True, system="gw", kb=kb_frame(), crosswalk=cw)
    f = p.frame
    assert f.columns[:3] == ["gwcode1", "gwcode2", "year"]
    usa_jpn = (pl.col("gwcode1") == 2) & (pl.col("gwcode2") == 740) & (pl.col("year") == 1960)
    assert f.filter(usa_jpn)["kb_rank"].item() == 5


def test_cli_with_files_and_report(shared, tmp_path):
    out, rep = tmp_path / "p.parquet", tmp_path / "dropped.csv"
    r = CliRunner().invoke(panel_cmd, [
        "dyad-year", "--system", "cow", "--directed", "--to", "2024", "--carry-forward", "--with", "atop",
        "--out", str(out),
        "--states", str(shared / "state_systems" / "cow_states.csv"), "--atop", str(shared / "atop5_1"),
        "--report-dropped", str(rep), "--db", str(tmp_path / "none.duckdb")])
    assert r.exit_code == 0, r.output
    assert "2,214,930 dyad-years" in r.output and "atop 5,894" in r.output
    assert pl.read_parquet(out).height == 2_214_930
    assert pl.read_csv(rep).height == 5_894


def test_cli_bad_input_exit_2(tmp_path):
    r = CliRunner().invoke(panel_cmd, ["dyad-year", "--with", "atop,bogus", "--out", str(tmp_path / "x.parquet"),
                                       "--db", str(tmp_path / "s.duckdb")])
    assert r.exit_code == 2
    assert "unknown attribute 'bogus'" in r.output
    r = CliRunner().invoke(panel_cmd, ["dyad-year", "--out", str(tmp_path / "x.parquet"),
                                       "--db", str(tmp_path / "s.duckdb")])
    assert r.exit_code == 2 and "pactnet import cow-states PATH" in r.output
