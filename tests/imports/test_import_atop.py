"""ATOP 5.1: the member file against ATOP's own state-year file and peacesciencer's directed dyad-years."""

from __future__ import annotations

import json

import polars as pl
import pytest

from pactnet.imports import atop

KEY = ["ccode1", "ccode2", "year"]
OBL = [f"atop_{o}" for o in atop.OBLIGATIONS]
#: Alliances whose directed obligations ATOP codes dyad by dyad (asymm = 1); see docs/datasets.md.
ASYMMETRIC = {1100, 1110, 1120, 1160, 1205, 1227, 1350, 1355, 2130, 3322}


@pytest.fixture(scope="module")
def members(shared):
    m, _ = atop.read_members(shared / "atop5_1")
    return m


def test_dyad_years_match_peacesciencer_rows(shared, members):
    ref = pl.read_csv(shared / "reference_outputs" / "atop_directed_dyad_years.csv.gz",
                      schema_overrides={k: pl.Int32 for k in KEY}).sort(KEY)
    got = atop.atop_dyad_years(members)
    assert got.height == ref.height == 273_296
    assert got.select(KEY).equals(ref.select(KEY))
    both = got.join(ref, on=KEY, suffix="_ref")
    diff = both.filter(pl.any_horizontal(pl.col(c) != pl.col(f"{c}_ref").cast(pl.Int8) for c in OBL))
    # Every difference: the member file gives 1 where ATOP's dyadic coding of an asymmetric alliance gives 0.
    assert diff.height == 346
    for c in OBL:
        d = diff.filter(pl.col(c) != pl.col(f"{c}_ref"))
        assert (d[c] == 1).all() and (d[f"{c}_ref"] == 0).all()
    counts = {c: int((diff[c] != diff[f"{c}_ref"]).sum()) for c in OBL}
    assert counts == {"atop_defense": 213, "atop_offense": 33, "atop_neutral": 101, "atop_nonagg": 74, "atop_consul": 0}
    m = members.filter(pl.col("asymm") == 1)["atopid"].unique().to_list()
    assert ASYMMETRIC <= set(m)


def test_state_years_equal_atop_sy(shared, members):
    cols = ["state", "year", "atopally", "defense", "offense", "neutral", "nonagg", "consul", "number"]
    ref = pl.read_csv(shared / "atop5_1" / "atop5_1sy.csv", columns=cols, infer_schema_length=0).select(
        pl.col(c).cast(pl.Int64) for c in cols).sort("state", "year")
    got = atop.atop_state_years(members).select(pl.col(c).cast(pl.Int64) for c in cols)
    assert got.height == 11_923
    assert got.equals(ref)


def test_ties_keep_obligations_and_cite_rows(members):
    ties = atop.atop_ties(members)
    nato = ties.filter(pl.col("id") == "atop:3180p2:2-200").row(0, named=True)
    assert (nato["source"], nato["target"], nato["level"], nato["rank"]) == ("USA", "GBR", "guarantee", 5)
    assert nato["kind"] == "mutual_defense_treaty" and nato["end"] is None
    assert all(s.startswith("atop-5.1@atop5_1m.csv row ") for s in nato["sources"])
    attrs = json.loads(nato["attrs"])
    assert attrs["atopid"] == 3180 and attrs["obligations"]["source"]["defense"] == 1
    assert set(ties["level"].unique()) == {"guarantee", "structured"}
    assert ties["id"].is_unique().all()


def test_import_writes_store(shared, db):
    from pactnet.imports import import_dataset
    from pactnet.store import Store

    import_dataset("atop", shared / "atop5_1" / "atop5_1m.csv", db=db)
    s = Store(db)
    assert s.table("atop_dyad_years").height == 273_296
    assert s.table("atop_members").height == 2_510


def test_imported_ties_name_states_as_the_knowledge_base_does():
    """An imported tie and a curated tie about the same state meet on the same actor id."""
    from pactnet.imports._codes import actor_id
    from pactnet.kb import load_kb

    ids_by_code: dict[int, set[str]] = {}
    for a in load_kb().actors.values():
        if a["ccode"] is not None:
            ids_by_code.setdefault(a["ccode"], set()).add(a["id"])
    assert {c: actor_id(c) for c, ids in ids_by_code.items() if actor_id(c) not in ids} == {}
