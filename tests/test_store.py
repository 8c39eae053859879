"""The store: built from the knowledge base, rebuilt when files change, written atomically."""

from __future__ import annotations

import datetime as dt

import duckdb
import polars as pl
import pytest

from pactnet import network
from pactnet.errors import DatasetError, StoreError, ValidationError
from pactnet.store import Store, default_db_path


def _count(path, sql="SELECT count(DISTINCT id) FROM ties WHERE origin='kb' AND derived_from IS NULL"):
    con = duckdb.connect(str(path), read_only=True)
    try:
        return con.execute(sql).fetchone()[0]
    finally:
        con.close()


def test_build_writes_every_record(tiny_store):
    assert _count(tiny_store.path) == 5
    assert _count(tiny_store.path, "SELECT count(*) FROM actors") == 4
    assert _count(tiny_store.path, "SELECT count(*) FROM ties WHERE view='briefing' AND derived_from IS NULL") == 5
    # The tie Finland and the US hold through NATO is derived when the store is built.
    assert _count(tiny_store.path, "SELECT count(*) FROM ties WHERE id='via:NATO:FIN-USA'") == 2
    assert tiny_store.is_current()


def test_rebuilt_automatically_when_a_file_changes(tiny_store, tiny_kb):
    path = tiny_kb / "ties.yaml"
    path.write_text(path.read_text().replace("end: 2023-04-04\n", "end: 2023-04-05\n"))
    assert not tiny_store.is_current()
    t = network.ties(patron="USA", partner="FIN", kind="security_assurance", db=tiny_store)
    assert t["end"].to_list() == [dt.date(2023, 4, 5)]
    assert tiny_store.is_current()


def test_failed_build_leaves_previous_database_readable(tiny_store, tiny_kb):
    before = tiny_store.path.read_bytes()
    (tiny_kb / "broken.yaml").write_text("ties:\n  - id: x\n    source: [\n")
    with pytest.raises(ValidationError):
        tiny_store.build()
    assert tiny_store.path.read_bytes() == before
    assert _count(tiny_store.path) == 5
    # Queries through the API refuse to serve a knowledge base that no longer validates ...
    with pytest.raises(ValidationError):
        network.ties(db=tiny_store)
    # ... and once the file is fixed the store is rebuilt.
    (tiny_kb / "broken.yaml").unlink()
    assert network.ties(db=tiny_store, via=False).height == 5


def test_crash_during_write_leaves_previous_database(tiny_store, monkeypatch):
    import pactnet.store as store_mod

    before = tiny_store.path.read_bytes()

    def boom(con, kb, fingerprint, kb_key):
        con.execute("DELETE FROM ties")
        raise RuntimeError("disk full")

    monkeypatch.setattr(store_mod, "_write_kb", boom)
    with pytest.raises(RuntimeError):
        tiny_store.build()
    assert tiny_store.path.read_bytes() == before
    assert _count(tiny_store.path) == 5
    assert not list(tiny_store.path.parent.glob(".*.tmp*"))


def test_replace_dataset_is_atomic_and_keeps_kb(tiny_store):
    frame = pl.DataFrame({"ccode": [2, 375], "cinc": [0.14, 0.001]})
    ties = pl.DataFrame({"id": ["x:1"], "view": ["record"], "source": ["USA"], "target": ["FIN"],
                         "kind": ["defense_cooperation"], "level": ["structured"], "rank": [3],
                         "start": [dt.date(2016, 1, 1)], "start_precision": ["year"], "sources": [["x@1"]]})
    tiny_store.replace_dataset("demo", {"caps": frame}, ties, {"version": "1"})
    assert tiny_store.table("demo_caps").shape == (2, 2)
    assert _count(tiny_store.path, "SELECT count(*) FROM ties WHERE origin='demo'") == 1
    before = tiny_store.path.read_bytes()
    with pytest.raises(DatasetError, match="demo: ties lack columns"):
        tiny_store.replace_dataset("demo", {"caps": frame}, pl.DataFrame({"nonexistent_column": [1]}))
    assert tiny_store.path.read_bytes() == before
    tiny_store.build()  # a knowledge-base rebuild keeps imported datasets
    assert tiny_store.table("demo_caps").shape == (2, 2)
    assert _count(tiny_store.path, "SELECT count(*) FROM ties WHERE origin='demo'") == 1


def test_missing_table_names_the_import(tiny_store):
    with pytest.raises(StoreError, match="pactnet import atop"):
        tiny_store.table("atop_members")


def test_default_path_honours_env(monkeypatch, tmp_path):
    monkeypatch.setenv("PACTNET_DB", str(tmp_path / "x.duckdb"))
    assert default_db_path() == tmp_path / "x.duckdb"
    monkeypatch.delenv("PACTNET_DB")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))  # platformdirs follows the XDG variables on Linux
    assert default_db_path() == tmp_path / "pactnet" / "pactnet.duckdb"


def test_a_file_pactnet_did_not_create_is_never_written(tmp_path, tiny_kb):
    csv = tmp_path / "important.csv"
    csv.write_text("a,b\n1,2\n")
    for force in (False, True):
        with pytest.raises(StoreError, match="not a DuckDB file: pactnet will not overwrite it"):
            Store(csv, tiny_kb).build(force=force)
    assert csv.read_text() == "a,b\n1,2\n"
    assert not (tmp_path / "important.csv.lock").exists()
    theirs = tmp_path / "theirs.duckdb"
    con = duckdb.connect(str(theirs))
    con.execute("CREATE TABLE events (x INTEGER)")
    con.close()
    with pytest.raises(StoreError, match="did not create"):
        network.ties(db=str(theirs))
    assert _count(theirs, "SELECT count(*) FROM events") == 0  # its table is still there


def test_unreadable_store_is_replaced_only_with_force(tmp_path, tiny_kb):
    path = tmp_path / "cut.duckdb"
    Store(path, tiny_kb).build()
    path.write_bytes(path.read_bytes()[:20000])  # a truncated store keeps its DuckDB header
    with pytest.raises(StoreError, match="cannot open the database"):
        Store(path, tiny_kb).build()
    Store(path, tiny_kb).build(force=True)
    assert _count(path) == 5


def test_imported_dataset_is_a_source_of_its_ties(tiny_store):
    from pactnet import network

    ties = pl.DataFrame({"id": ["demo:1"], "view": ["record"], "source": ["USA"], "target": ["FIN"],
                         "kind": ["defense_cooperation"], "level": ["structured"], "rank": [3],
                         "start": [dt.date(2016, 1, 1)], "start_precision": ["year"],
                         "sources": [["demo-1.0@demo.csv row 7"]]})
    tiny_store.replace_dataset("demo", {}, ties, {"version": "1.0", "files": ["demo.csv"]})
    rows = network.sources(source="demo-1.0", db=tiny_store).to_dicts()
    assert [(r["record"], r["locator"], r["kind"]) for r in rows] == [("demo:1", "demo.csv row 7", "dataset")]
    assert "demo dataset, version 1.0 (demo.csv)" == rows[0]["citation"]
    tiny_store.build()  # a knowledge-base rebuild keeps the dataset's source
    assert network.sources(source="demo-1.0", db=tiny_store).height == 1
    assert not network.sources(source="briefing", db=tiny_store).is_empty()


def test_a_connection_opened_without_building_is_not_served_as_built(tmp_path, tiny_kb):
    store = Store(tmp_path / "s.duckdb", tiny_kb)
    store.build()
    (tiny_kb / "ties.yaml").write_text((tiny_kb / "ties.yaml").read_text().replace("end: 2023-04-04\n",
                                                                                     "end: 2023-04-05\n"))
    store.connect(build=False)  # reads the stale store as it is
    assert not store.is_current()
    store.connect()  # a query's connection: rebuilt first
    assert store.is_current()


def test_the_default_folder_is_created_but_a_named_one_is_not(tmp_path, tiny_kb, monkeypatch):
    monkeypatch.delenv("PACTNET_DB", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    Store(None, tiny_kb).build()
    assert (tmp_path / "xdg" / "pactnet" / "pactnet.duckdb").is_file()
    with pytest.raises(StoreError, match="the folder .*missing does not exist"):
        Store(tmp_path / "missing" / "s.duckdb", tiny_kb).build()
    assert not (tmp_path / "missing").exists()
