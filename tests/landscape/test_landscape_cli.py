"""``pactnet landscape`` commands through click's CliRunner."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from tests.conftest import SHARED_DATA

from pactnet.cli.landscape import landscape

NMC = SHARED_DATA / "covariates" / "cow_nmc_v7.csv.gz"


@pytest.fixture
def files(tmp_path):
    p = tmp_path / "P.csv"
    p.write_text(",A,B,C,D\nA,0,1,-1,0.5\nB,1,0,-0.5,0\nC,-1,-0.5,0,1\nD,0.5,0,1,0\n")
    s = tmp_path / "S.csv"
    s.write_text("label,size\nA,1\nB,2\nC,1.5\nD,0.5\n")
    return p, s


def test_solve_json(files, tmp_path):
    p, s = files
    fig = tmp_path / "fig.png"
    r = CliRunner().invoke(landscape, ["solve", "--propensity", str(p), "--sizes", str(s),
                                       "--format", "json", "--figure", str(fig), "--seed", "1"])
    assert r.exit_code == 0, r.output
    d = json.loads(r.output)
    assert d["n_minima"] == 1
    m = d["minima"][0]
    assert m["sides"] == [["A", "B"], ["C", "D"]]
    assert m["energy"] == pytest.approx(-5.5) and m["basin"] == 1.0
    assert set(m["frustration"]) == {"A", "B", "C", "D"}
    assert fig.stat().st_size > 1000


def test_solve_table(files):
    p, s = files
    r = CliRunner().invoke(landscape, ["solve", "-p", str(p), "-s", str(s)])
    assert r.exit_code == 0, r.output
    assert "energy" in r.output and "A (" in r.output


def test_bad_matrix_is_one_line_error_exit_2(tmp_path, files):
    _, s = files
    p = tmp_path / "bad.csv"
    p.write_text(",A,B,C,D\nA,0,1,-1,0.5\nB,0.9,0,-0.5,0\nC,-1,-0.5,0,1\nD,0.5,0,1,0\n")
    r = CliRunner().invoke(landscape, ["solve", "-p", str(p), "-s", str(s)])
    assert r.exit_code == 2
    assert r.output.strip() == (
        "Error: propensity matrix is not symmetric: row A, column B is 1 but row B, column A is 0.9")


def test_shock_json(files):
    p, s = files
    r = CliRunner().invoke(landscape, ["shock", "-p", str(p), "-s", str(s), "--source", "C",
                                       "--targets", "D", "--to", "-1", "--format", "json",
                                       "--bloc", "West=0:A,B"])
    assert r.exit_code == 0, r.output
    d = json.loads(r.output)
    assert d["changes"] == {"C-D": -1.0}
    assert set(d["before"]) == {"A", "B", "C", "D"}


def test_bad_bloc_spec(files):
    p, s = files
    r = CliRunner().invoke(landscape, ["shock", "-p", str(p), "-s", str(s), "--source", "C",
                                       "--targets", "D", "--to", "-1", "--bloc", "West:A"])
    assert r.exit_code == 2 and "expected NAME=SIDE:A,B,C" in r.output


@pytest.mark.skipif(not NMC.exists(), reason=f"shared research data not found at {SHARED_DATA}")
def test_from_kb(tmp_path):
    out = tmp_path / "m.csv"
    r = CliRunner().invoke(landscape, ["from-kb", "--at", "2022-12-31", "--actors",
                                       "USA,CHN,PHL,THA,IDN", "--capabilities", str(NMC),
                                       "--format", "json", "--write-matrix", str(out)])
    assert r.exit_code == 0, r.output
    d = json.loads(r.output)
    assert d["provenance"]["at"] == "2022-12-31"
    best = d["minima"][0]["sides"]
    assert any("USA" in side and "PHL" in side for side in best)
    assert all(not ("USA" in side and "CHN" in side) for side in best)
    assert out.exists() and out.with_suffix(".sizes.csv").exists()
