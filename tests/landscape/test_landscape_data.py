"""Landscapes from files and from the knowledge base."""

from __future__ import annotations

import json

import numpy as np
import pytest
from tests.conftest import SHARED_DATA

from pactnet.errors import InputError
from pactnet.landscape import (
    TIE_WEIGHTS,
    landscape_from_kb,
    load_landscape,
    propensity_from_ties,
    sizes_from_nmc,
)

NMC = SHARED_DATA / "covariates" / "cow_nmc_v7.csv.gz"
needs_nmc = pytest.mark.skipif(not NMC.exists(), reason=f"shared research data not found at {SHARED_DATA}")


def write(tmp_path, name, text):
    p = tmp_path / name
    p.write_text(text)
    return p


def test_csv_round_trip_with_reordered_columns(tmp_path):
    p = write(tmp_path, "P.csv", ",B,A\nA,0.5,0\nB,0,0.5\n")
    s = write(tmp_path, "S.csv", "label,size\nB,2\nA,1\n")
    land = load_landscape(p, s)
    assert land.labels == ("A", "B")
    assert land.sizes.tolist() == [1.0, 2.0]
    assert land.propensity[0, 1] == 0.5


@pytest.mark.parametrize(
    "matrix, sizes, message",
    [
        (",A,B\nA,0,1\nB,0.5,0\n", "label,size\nA,1\nB,1\n", "row A, column B is 1 but row B, column A is 0.5"),
        (",A,B\nA,0,x\nB,1,0\n", "label,size\nA,1\nB,1\n", "row A, column B: 'x' is not a number"),
        (",A,B\nA,0,nan\nB,1,0\n", "label,size\nA,1\nB,1\n", "row A, column B: value is NaN"),
        (",A,B\nA,0,\nB,1,0\n", "label,size\nA,1\nB,1\n", "row A, column B: empty cell"),
        (",A,B,C\nA,0,1,0\nB,1,0,0\n", "label,size\nA,1\nB,1\n", "not square"),
        (",A,C\nA,0,1\nB,1,0\n", "label,size\nA,1\nB,1\n", "rows only: B; columns only: C"),
        (",A,B\nA,0,1\nB,1,0\n", "label,size\nA,1\nC,1\n", "no size for: B; size but not in the matrix: C"),
        (",A,B\nA,0,1\nB,1,0\n", "label,size\nA,1\nB,0\n", "size of B is 0"),
        (",A,B\nA,0,1\nB,1,0\n", "name,weight\nA,1\n", "expected columns label,size"),
    ],
)
def test_bad_files(tmp_path, matrix, sizes, message):
    p = write(tmp_path, "P.csv", matrix)
    s = write(tmp_path, "S.csv", sizes)
    with pytest.raises(InputError, match=message.replace("(", r"\(")):
        load_landscape(p, s)


def test_json(tmp_path):
    p = write(tmp_path, "L.json", json.dumps({"labels": ["A", "B", "C"], "sizes": [1, 2, 3],
                                              "propensity": [[0, 1, -1], [1, 0, 0], [-1, 0, 0]]}))
    land = load_landscape(p)
    assert land.n == 3
    bad = write(tmp_path, "B.json", json.dumps({"labels": ["A", "B"], "sizes": [1, 1],
                                                "propensity": [[0, "x"], [1, 0]]}))
    with pytest.raises(InputError, match="row A, column B is 'x'"):
        load_landscape(bad)
    with pytest.raises(InputError, match="needs sizes"):
        load_landscape(write(tmp_path, "P.csv", ",A,B\nA,0,1\nB,1,0\n"))


def tie(i, a, b, level):
    return {"id": i, "source": a, "target": b, "kind": "x", "level": level, "rank": 0, "via": None}


HAND_TIES = [
    tie("t1", "USA", "PHL", "guarantee"),
    tie("t2", "USA", "PHL", "structured"),  # MNNA on top of the treaty: still +1.0
    tie("t3", "USA", "CHN", "hostile"),
    tie("t4", "IDN", "USA", "structured"),  # direction does not matter
    tie("t5", "CHN", "IDN", "transactional"),
    tie("t6", "CHN", "IDN", "hostile"),  # cooperation offset by rivalry: 0.2 - 1.0
    tie("t7", "USA", "NATO", "guarantee"),  # organisation end: dropped
]


def test_propensity_from_hand_made_ties():
    labels = ["USA", "CHN", "IDN", "PHL"]
    P, used = propensity_from_ties(HAND_TIES, labels)
    assert (P == P.T).all() and (np.diag(P) == 0).all()
    assert P[0, 3] == 1.0
    assert P[0, 1] == -1.0
    assert P[0, 2] == 0.6
    assert P[1, 2] == pytest.approx(0.2 - 1.0)
    assert P[2, 3] == 0.0
    assert used[("USA", "PHL")] == ["t1", "t2"]
    S, _ = propensity_from_ties(HAND_TIES, labels, combine="sum")
    assert S[0, 3] == 1.0  # 1.6 clipped
    assert TIE_WEIGHTS["ad_hoc"] == 0.4 and TIE_WEIGHTS["hostile"] == -1.0
    with pytest.raises(InputError, match="level 'bogus'"):
        propensity_from_ties([tie("t9", "USA", "CHN", "bogus")], labels)


ACTORS = [{"id": "USA", "ccode": 2, "iso3": "USA"}, {"id": "CHN", "ccode": 710, "iso3": "CHN"},
          {"id": "IDN", "ccode": 850, "iso3": "IDN"}, {"id": "PHL", "ccode": 840, "iso3": "PHL"},
          {"id": "NATO", "ccode": None, "iso3": None}]


def test_from_kb_with_hand_made_ties_and_user_sizes():
    land = landscape_from_kb("2022-12-31", ["USA", "CHN", "idn", "PHL"], ties=HAND_TIES,
                             actor_records=ACTORS, sizes={"USA": 0.13, "CHN": 0.23, "IDN": 0.016,
                                                          "PHL": 0.006})
    assert land.labels == ("USA", "CHN", "IDN", "PHL")
    assert land.provenance["ties"]["USA-PHL"] == ["t1", "t2"]
    with pytest.raises(InputError, match="unknown actor 'XXX'"):
        landscape_from_kb("2022", ["USA", "XXX"], ties=HAND_TIES, actor_records=ACTORS, sizes={})
    with pytest.raises(InputError, match="not an ISO date"):
        landscape_from_kb("31/12/2022", ["USA", "CHN"], ties=HAND_TIES, actor_records=ACTORS)
    with pytest.raises(InputError, match="NATO has no COW code"):
        landscape_from_kb("2022", ["USA", "NATO"], ties=HAND_TIES, actor_records=ACTORS,
                          capabilities="x.csv")


def test_nmc_file_format(tmp_path):
    p = write(tmp_path, "nmc.csv", "ccode,year,milex,cinc\n2,2015,1,0.14\n2,2016,1,0.13\n710,2014,1,0.2\n")
    sizes, years = sizes_from_nmc(p, {"USA": 2, "CHN": 710}, 2016)
    assert sizes == {"USA": 0.13, "CHN": 0.2} and years == {"USA": 2016, "CHN": 2014}
    with pytest.raises(InputError, match="no CINC for IDN"):
        sizes_from_nmc(p, {"IDN": 850}, 2016)
    from pactnet.errors import DatasetError
    with pytest.raises(DatasetError, match="ccode, year, cinc"):
        sizes_from_nmc(write(tmp_path, "bad.csv", "a,b\n1,2\n"), {"USA": 2}, 2016)


@needs_nmc
def test_real_nmc_cinc_2022():
    sizes, years = sizes_from_nmc(NMC, {"USA": 2, "CHN": 710, "IDN": 850}, 2022)
    assert years == {"USA": 2022, "CHN": 2022, "IDN": 2022}
    assert sizes["CHN"] > sizes["USA"] > sizes["IDN"] > 0


@needs_nmc
def test_from_real_kb():
    land = landscape_from_kb("2022-12-31", ["USA", "CHN", "PHL", "THA", "IDN"], capabilities=NMC)
    i = land.labels
    assert land.propensity[i.index("USA"), i.index("CHN")] < 0
    assert land.propensity[i.index("USA"), i.index("PHL")] == 1.0
    assert land.provenance["cinc_year"]["USA"] == 2022


@needs_nmc
def test_sizes_from_the_imported_capabilities(tmp_path):
    """`pactnet import nmc` feeds the model's sizes when no file is given."""
    from pactnet.imports import import_dataset
    from pactnet.landscape import landscape_from_kb

    db = tmp_path / "store.duckdb"
    import_dataset("nmc", NMC, db=db)
    from_store = landscape_from_kb("2010-12-31", ["USA", "CHN", "IND"], db=db)
    from_file = landscape_from_kb("2010-12-31", ["USA", "CHN", "IND"], capabilities=NMC, db=db)
    assert np.allclose(from_store.sizes, from_file.sizes)
