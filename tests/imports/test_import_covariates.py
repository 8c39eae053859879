"""COW Direct Contiguity in its official layout and in peacesciencer's."""

from __future__ import annotations

import datetime as dt

import pytest

from pactnet.errors import DatasetError
from pactnet.imports import covariates

OFFICIAL = (
    "dyad,statelno,statelab,statehno,statehab,conttype,begin,end,version\n"
    "2020,2,USA,20,CAN,1,181601,201612,3.2\n"
    "2070,2,USA,70,MEX,1,181601,201612,3.2\n"
    "2040,2,USA,40,CUB,4,190205,201612,3.2\n"
)


def test_official_contdir_layout(tmp_path):
    path = tmp_path / "contdir.csv"
    path.write_text(OFFICIAL)
    df = covariates.read_contiguity(path).tables["contdir"]
    assert df.select("ccode1", "ccode2", "conttype").rows() == [(2, 20, 1), (2, 70, 1), (2, 40, 4)]
    assert df["start"][2] == dt.date(1902, 5, 1) and df["end"][0] == dt.date(2016, 12, 1)


def test_official_contdir_rejects_unknown_type(tmp_path):
    path = tmp_path / "contdir.csv"
    path.write_text(OFFICIAL.replace(",4,190205", ",7,190205"))
    with pytest.raises(DatasetError, match=r"contdir.csv, line 4, column .*conttype.*expected 1-5, found '7'"):
        covariates.read_contiguity(path)


def test_peacesciencer_layout(shared):
    df = covariates.read_contiguity(shared / "covariates" / "cow_contdir.csv").tables["contdir"]
    assert df.height == 1874 and set(df["conttype"].unique()) <= {0, 1, 2, 3, 4, 5}
