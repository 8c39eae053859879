"""The store: built from the knowledge base, rebuilt when files change, written atomically."""

from __future__ import annotations

import duckdb
import polars as pl
import pytest

from pactnet import network
from pactnet.errors import StoreError, ValidationError
from pactnet.store import Store, default_db_path


def _count(path, sql="SELECT count(DISTINCT id) FROM ties WHERE origin='kb'"):
    con = duckdb.connect(str(path), read_only=True)
    try:
        return con.execute(sql).fetchone()[0]
    finally:
        con.close()


def test_build_writes_every_record(tiny_store):
    assert _count(tiny_store.path) == 5
    assert _count(tiny_store.path, "SELECT count(*) FROM actors") == 4
    assert _count(tiny_store.path, "SELECT count(*) FROM ties WHERE view='briefing'") == 5
    assert tiny_store.is_current()


def test_rebuilt_automatically_when_a_file_changes(tiny_store, tiny_kb):
    path = tiny_kb / "ties.yaml"
    path.write_text(path.read_text().replace("end: 2023-04-04\n", "end: 2023-04-05\n"))
    assert not tiny_store.is_current()
    t = network.ties(patron="USA", partner="FIN", kind="security_assurance", db=tiny_store)
    assert t[0]["end"] == "2023-04-05"
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
    assert len(network.ties(db=tiny_store, via=False)) == 5


def test_crash_during_write_leaves_previous_database(tiny_store, monkeypatch):
    import pactnet.store as store_mod

    before = tiny_store.path.read_bytes()

    def boom(con, kb, fingerprint):
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
                         "kind": ["defense_cooperation"], "level": ["structured"], "rank": [3]})
    tiny_store.replace_dataset("demo", {"caps": frame}, ties, {"version": "1"})
    assert tiny_store.table("demo_caps").shape == (2, 2)
    assert _count(tiny_store.path, "SELECT count(*) FROM ties WHERE origin='demo'") == 1
    before = tiny_store.path.read_bytes()
    with pytest.raises(duckdb.Error):
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
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    assert default_db_path() == tmp_path / "pactnet" / "pactnet.duckdb"


def test_unreadable_database_file_is_replaced_on_build(tmp_path, tiny_kb):
    path = tmp_path / "junk.duckdb"
    path.write_bytes(b"not a database")
    Store(path, tiny_kb).build()
    assert _count(path) == 5


def test_imported_dataset_is_a_source_of_its_ties(tiny_store):
    from pactnet import network

    ties = pl.DataFrame({"id": ["demo:1"], "view": ["record"], "source": ["USA"], "target": ["FIN"],
                         "kind": ["defense_cooperation"], "level": ["structured"], "rank": [3],
                         "sources": [["demo-1.0@demo.csv row 7"]]})
    tiny_store.replace_dataset("demo", {}, ties, {"version": "1.0", "files": ["demo.csv"]})
    rows = network.sources(source="demo-1.0", db=tiny_store)
    assert [(r["record"], r["locator"], r["kind"]) for r in rows] == [("demo:1", "demo.csv row 7", "dataset")]
    assert "demo dataset, version 1.0 (demo.csv)" == rows[0]["citation"]
    tiny_store.build()  # a knowledge-base rebuild keeps the dataset's source
    assert len(network.sources(source="demo-1.0", db=tiny_store)) == 1
    assert network.sources(source="briefing", db=tiny_store)
