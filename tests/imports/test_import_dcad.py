from __future__ import annotations

import polars as pl

from pactnet.imports import dcad

HEAD = "ccode1,abbrev1,ccode2,abbrev2,year,dcaGeneralV1,dcaGeneralV2,dcaSectorV1,dcaSectorV2,dcaAnyV1,dcaAnyV2"


def test_dcad_dyadic(tmp_path):
    rows = [HEAD]
    for y in range(1995, 2011):
        rows.append(f"2,USA,366,EST,{y},{int(y >= 1998)},{int(y >= 1997)},0,0,{int(y >= 1998)},{int(y >= 1997)}")
    rows.append("2,USA,800,THI,1985,0,0,1,1,1,1")
    folder = tmp_path / "kinne_dca"
    folder.mkdir()
    (folder / "DCAD-v1.0-dyadic.csv").write_text("\n".join(rows) + "\n")
    imp = dcad.read(tmp_path)
    dy = imp.tables["dyad_years"]
    est_usa = (pl.col("ccode1") == 366) & (pl.col("ccode2") == 2) & (pl.col("year") == 2000)
    assert dy.filter(est_usa)["dcad_any_v1"].item() == 1
    t = imp.ties.sort("id")
    assert t["kind"].unique().to_list() == ["defense_cooperation"] and t["level"].unique().to_list() == ["structured"]
    est = t.filter(pl.col("target") == "EST").row(0, named=True)
    assert est["start"].year == 1998 and est["end"] is None  # runs to 2010: open
    tha = t.filter(pl.col("target") == "THA").row(0, named=True)
    assert tha["end"].year == 1985 and tha["end_precision"] == "year"
    assert est["sources"][0].startswith("dcad-1.0@DCAD-v1.0-dyadic.csv row ")


def test_dcad_outside_coverage_null(tmp_path, shared):
    from pactnet.imports import states
    from pactnet.panel import dyad_years

    (tmp_path / "DCAD-v1.0-dyadic.csv").write_text(HEAD + "\n2,USA,366,EST,2000,1,1,0,0,1,1\n")
    dy = dcad.read(tmp_path / "DCAD-v1.0-dyadic.csv").tables["dyad_years"]
    cow = states.read_cow(shared / "state_systems" / "cow_states.csv").tables["states"]
    f = dyad_years(cow, start=1975, end=2016, directed=False, dcad=dy).frame
    us_est = f.filter((pl.col("ccode1") == 2) & (pl.col("ccode2") == 366))
    assert us_est.filter(pl.col("year") == 2000)["dcad_any_v1"].item() == 1
    assert us_est.filter(pl.col("year") == 2005)["dcad_any_v1"].item() == 0
    assert us_est.filter(pl.col("year") == 2012)["dcad_any_v1"].item() is None
