"""COW alliances v4.1 with its known defects, from small synthetic files (the real files are never shipped)."""

from __future__ import annotations

import polars as pl

from pactnet.imports import cow_alliances

HEAD = ("version4id,ccode1,state_name1,ccode2,state_name2,dyad_st_day,dyad_st_month,dyad_st_year,dyad_end_day,"
        "dyad_end_month,dyad_end_year,left_censor,right_censor,defense,neutrality,nonaggression,entente,version")


def write(tmp_path):
    folder = tmp_path / "version4.1_csv"
    folder.mkdir()
    yearly = [HEAD + ",year"]
    # USA-Japan only in one order ("directed" file not directed); a duplicate dyad-year from a second alliance.
    for y in (1952, 1953):
        yearly.append(f"1,2,USA,740,JPN,8,9,1951,-9,-9,,0,1,1,0,0,1,4.1,{y}")
    yearly.append("2,2,USA,740,JPN,1,1,1953,,,,0,1,0,0,1,-9,4.1,1953")
    yearly.append("3,651,EGY,666,ISR,26,3,1979,,,,0,1,0,0,1,0,4.1,0")  # the year == 0 defect
    yearly.append("3,651,EGY,666,ISR,26,3,1979,,,,0,1,0,0,1,0,4.1,1980")
    (folder / "alliance_v4.1_by_dyad_yearly.csv").write_text("\n".join(yearly) + "\n")
    dyad = [HEAD, "1,2,USA,740,JPN,8,9,1951,-9,-9,,0,1,1,0,0,1,4.1", "3,651,EGY,666,ISR,26,3,1979,,,,0,1,0,0,1,0,4.1"]
    (folder / "alliance_v4.1_by_dyad.csv").write_text("\n".join(dyad) + "\n")
    return tmp_path


def test_defects_handled(tmp_path):
    imp = cow_alliances.read(write(tmp_path))
    dy = imp.tables["dyad_years"]
    assert imp.meta["dropped_year_zero"] == 1 and imp.meta["duplicate_dyad_years"] == 2
    assert 0 not in dy["year"].to_list()
    jp = dy.filter((pl.col("ccode1") == 740) & (pl.col("ccode2") == 2))  # mirrored
    assert jp["year"].to_list() == [1952, 1953]
    r = dy.filter((pl.col("ccode1") == 2) & (pl.col("ccode2") == 740) & (pl.col("year") == 1953)).row(0, named=True)
    assert (r["cow_defense"], r["cow_nonagg"], r["cow_entente"]) == (1, 1, 1)  # max over duplicates; -9 -> missing
    ties = imp.ties
    assert ties.height == 2
    usa = ties.filter(pl.col("id") == "cow_alliances:1:2-740").row(0, named=True)
    assert usa["level"] == "guarantee" and usa["end"] is None
    assert usa["sources"] == ["cow-alliances-4.1@alliance_v4.1_by_dyad.csv row 1"]


def test_panel_join_cow(tmp_path, shared):
    from pactnet.imports import states
    from pactnet.panel import dyad_years

    dy = cow_alliances.read(write(tmp_path)).tables["dyad_years"]
    cow = states.read_cow(shared / "state_systems" / "cow_states.csv").tables["states"]
    f = dyad_years(cow, start=2000, end=2016, cow=dy).frame
    assert f["cow_defense"].null_count() == f.filter(pl.col("year") > 2012).height
