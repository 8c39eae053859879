"""Capitals with coordinates and COW major powers: the shared files, and located errors."""

from __future__ import annotations

import datetime as dt

import pytest

from pactnet.errors import DatasetError
from pactnet.imports import capitals, covariates, read_dataset

HEAD = "ccode,statenme,capital,stdate,enddate,lat,lng\n"


def test_capitals_shared_file(shared):
    imp = read_dataset("capitals", shared / "covariates" / "cow_capitals.csv")
    df = imp.tables["spells"]
    assert df.height == 242 and df.columns[:6] == ["ccode", "capital", "start", "end", "lat", "lng"]
    bonn = df.filter(df["ccode"] == 260).row(0, named=True)
    assert bonn["capital"] == "Bonn" and bonn["start"] == dt.date(1949, 1, 1)
    assert imp.meta["coverage"] == [capitals.FIRST_YEAR, capitals.LAST_YEAR]


@pytest.mark.parametrize("line, needle", [
    ("2,USA,Washington,1816-01-01,2024-12-31,98.9,-77.0",
     "cow_capitals.csv, line 2, column 6 (lat): expected a latitude -90..90, found '98.9'"),
    ("2,USA,Washington,1816-01-01,1815-12-31,38.9,-77.0",
     "cow_capitals.csv, line 2, column enddate: expected an end on or after stdate"),
    ("999,XXX,Nowhere,1816-01-01,2024-12-31,0,0",
     "cow_capitals.csv, line 2, column 1 (ccode): expected a COW country code, found '999'"),
])
def test_capitals_bad_cells(tmp_path, line, needle):
    p = tmp_path / "cow_capitals.csv"
    p.write_text(HEAD + line + "\n")
    with pytest.raises(DatasetError) as e:
        capitals.read(p)
    assert needle in str(e.value)


def test_majors_both_layouts(shared, tmp_path):
    a = covariates.read_majors(shared / "cow_system2016" / "majors2016.csv").tables["spells"]
    b = covariates.read_majors(shared / "state_systems" / "cow_majors.csv").tables["spells"]
    assert a.select("ccode", "start", "end").equals(b.select("ccode", "start", "end"))
    usa = a.filter(a["ccode"] == 2).row(0, named=True)
    assert usa["start"] == dt.date(1898, 8, 13) and usa["end"] == dt.date(2016, 12, 31)
    bad = tmp_path / "majors2016.csv"
    bad.write_text("stateabb,ccode,styear,stmonth,stday,endyear,endmonth,endday,version\n"
                   "USA,2,1898,8,13,1890,12,31,2016\n")
    with pytest.raises(DatasetError, match="majors2016.csv, line 2, column endyear: expected an end on or after"):
        covariates.read_majors(bad)
