"""The store's guards, checked directly: one transaction per dataset import (never a mix of two imports, never
another dataset's tables), stale temporary files removed by the next write, an unreadable store replaced only
with ``force``, and the known-release checks of the importers."""

from __future__ import annotations

import os

import duckdb
import polars as pl
import pytest
from click.testing import CliRunner

from pactnet.cli import main
from pactnet.errors import StoreError
from pactnet.imports import import_dataset, read_dataset
from pactnet.imports.releases import DatasetWarning
from pactnet.store import Store
from tests.faults.conftest import cow_csv


def tables(path, like: str = "%") -> list[str]:
    con = duckdb.connect(str(path), read_only=True)
    try:
        return [r[0] for r in con.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_name LIKE ? ORDER BY 1", [like]).fetchall()]
    finally:
        con.close()


def test_a_dataset_import_keeps_datasets_that_share_its_prefix(tiny_store):
    tiny_store.replace_dataset("cow_alliances", {"yearly": pl.DataFrame({"a": [1]})})
    tiny_store.replace_dataset("cow", {"states": pl.DataFrame({"a": [1]}), "extra": pl.DataFrame({"b": [2]})})
    tiny_store.replace_dataset("cow", {"states": pl.DataFrame({"a": [2]})})
    assert tables(tiny_store.path, "cow%") == ["cow_alliances_yearly", "cow_states"]


def test_atop_from_the_member_file_alone_drops_the_previous_alliance_table(shared, tmp_path):
    db = tmp_path / "p.duckdb"
    with pytest.warns(DatasetWarning):  # a cut-down member file is not the release: it says so
        import_dataset("atop", shared / "atop5_1", db=db)
        assert tables(db, "atop%") == ["atop_alliances", "atop_dyad_years", "atop_members", "atop_state_years"]
        cut = tmp_path / "atop5_1m.csv"
        cut.write_text("".join((shared / "atop5_1" / "atop5_1m.csv").read_text().splitlines(True)[:1001]))
        imp = import_dataset("atop", cut, db=db)
    assert tables(db, "atop%") == ["atop_dyad_years", "atop_members", "atop_state_years"]
    assert imp.meta["release"] == [
        "warning: atop5_1m.csv differs from the ATOP 5.1 member file (expected 2,510 rows, found 1,000; cut off?)"]


def test_release_files_are_verified_by_checksum(shared, tmp_path):
    imp = read_dataset("atop", shared / "atop5_1")
    assert imp.meta["release"] == ["verified: ATOP 5.1 member file (atop5_1m.csv)",
                                   "verified: ATOP 5.1 alliance file (atop5_1a.csv)"]
    # The same text with Windows line endings is the same release.
    crlf = tmp_path / "atop5_1m.csv"
    crlf.write_bytes((shared / "atop5_1" / "atop5_1m.csv").read_bytes().replace(b"\r\n", b"\n").replace(b"\n", b"\r\n"))
    assert read_dataset("atop", crlf).meta["release"] == ["verified: ATOP 5.1 member file (atop5_1m.csv)"]


def test_cli_reports_verified_and_cut_files(shared, tmp_path):
    db = tmp_path / "p.duckdb"
    r = CliRunner().invoke(main, ["import", "cow-states", str(shared / "state_systems" / "cow_states.csv"), "--db",
                                  str(db)])
    assert r.exit_code == 0, r.output
    assert "verified: COW state list (peacesciencer 1.2.9 cow_states) (cow_states.csv)" in r.output
    cut = tmp_path / "cow_states.csv"
    cut.write_text("".join((shared / "state_systems" / "cow_states.csv").read_text().splitlines(True)[:101]))
    r = CliRunner().invoke(main, ["import", "cow-states", str(cut), "--db", str(db)])
    assert r.exit_code == 0, r.output
    assert ("Warning: cow_states.csv differs from the COW state list (peacesciencer 1.2.9 cow_states) (expected 243 "
            "rows, found 100; cut off?)") in r.output


def test_next_write_removes_temporary_files_of_dead_writers(tiny_store):
    folder = tiny_store.path.parent
    dead = 2**22 + 12345  # beyond pid_max on most systems: no such process
    stale = [folder / f".{tiny_store.path.name}.{dead}.tmp", folder / f".{tiny_store.path.name}.{dead}.tmp.wal"]
    live = folder / f".{tiny_store.path.name}.{os.getppid()}.tmp"  # a writer still running: kept
    for p in (*stale, live):
        p.write_bytes(b"x" * 1000)
    tiny_store.replace_dataset("cow", {"states": pl.DataFrame({"a": [1]})})
    assert not any(p.exists() for p in stale)
    assert live.exists()


def test_unreadable_store_is_replaced_only_with_force(tiny_store, tiny_kb, tmp_path):
    cut = tmp_path / "cut.duckdb"
    cut.write_bytes(tiny_store.path.read_bytes()[:30000])
    store = Store(cut, tiny_kb)
    with pytest.raises(StoreError, match=r"cut\.duckdb: cannot open the database .*force=True"):
        store.build()
    store.build(force=True)
    assert "ties" in tables(cut)


def test_no_lock_or_folder_beside_files_pactnet_does_not_own(tmp_path, tiny_kb):
    csv = tmp_path / "important.csv"
    csv.write_text(cow_csv())
    before = csv.read_bytes()
    with pytest.raises(StoreError, match="not a DuckDB file"):
        Store(csv, tiny_kb).build()
    assert csv.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["important.csv", "kb"]
    with pytest.raises(StoreError, match="does not exist"):
        Store(tmp_path / "missing" / "p.duckdb", tiny_kb).build()
    assert not (tmp_path / "missing").exists()
