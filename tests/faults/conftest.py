"""Fixtures of the fault suite: a small store (the tiny knowledge base and a three-state COW list), a way to
run the command line against a copy of it, and checksums of every table to prove a failed command changed
nothing."""

from __future__ import annotations

import hashlib
import shutil
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest
from click.testing import CliRunner

from tests.conftest import write_kb

#: A COW state list small enough to type: the importer's columns, three states.
COW_HEAD = "stateabb,ccode,statenme,styear,stmonth,stday,endyear,endmonth,endday,version"
COW_ROWS = ["USA,2,United States of America,1816,1,1,2016,12,31,2016",
            "FIN,375,Finland,1917,12,6,2016,12,31,2016",
            "PAK,770,Pakistan,1947,8,14,2016,12,31,2016"]


def cow_csv(rows: list[str] | None = None, sep: str = "\n") -> str:
    return sep.join([COW_HEAD, *(COW_ROWS if rows is None else rows)]) + sep


def table_checksums(path: Path) -> dict[str, str]:
    """A checksum of every table, keyed by table name: its columns, row count and the sum of its rows' hashes
    (independent of row order), computed inside DuckDB."""
    con = duckdb.connect(str(path), read_only=True)
    try:
        out = {}
        for (name,) in con.execute("SELECT table_name FROM information_schema.tables ORDER BY 1").fetchall():
            cols = con.execute(f'DESCRIBE "{name}"').fetchall()
            count, total = con.execute(f'SELECT count(*), sum(hash(t::VARCHAR)::HUGEINT) FROM "{name}" t').fetchone()
            out[name] = hashlib.sha256(f"{cols}|{count}|{total}".encode()).hexdigest()
        return out
    finally:
        con.close()


def litter(folder: Path) -> list[str]:
    """Temporary files and locks a writer left behind."""
    return sorted(p.name for p in folder.iterdir() if p.name.endswith((".tmp", ".tmp.wal", ".part", ".lock"))
                  or ".tmp" in p.name)


@pytest.fixture(scope="session")
def base_store(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A store built from the tiny knowledge base with a COW state list imported: (store file, kb folder)."""
    from pactnet.imports import import_dataset
    from pactnet.store import Store

    root = tmp_path_factory.mktemp("faults-base")
    kb = write_kb(root / "kb")
    db = root / "base.duckdb"
    Store(db, kb).build()
    (root / "tiny_states.csv").write_text(cow_csv())
    import_dataset("cow-states", root / "tiny_states.csv", db=db)
    return db, kb


@dataclass
class Sandbox:
    """A private copy of the base store in its own folder, and the command line run against it."""

    root: Path
    db: Path
    kb: Path

    def run(self, *args: str, env: dict[str, str] | None = None):
        from pactnet.cli import main

        full = {"PACTNET_DB": str(self.db), "PACTNET_KB": None, **(env or {})}
        return CliRunner().invoke(main, [str(a) for a in args], env=full, catch_exceptions=True)


@pytest.fixture
def sandbox(tmp_path: Path, base_store: tuple[Path, Path]) -> Sandbox:
    db, kb = base_store
    store = tmp_path / "store"
    store.mkdir()
    shutil.copy2(db, store / "pactnet.duckdb")
    return Sandbox(tmp_path, store / "pactnet.duckdb", kb)
