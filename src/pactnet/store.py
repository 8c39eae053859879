"""The embedded DuckDB store that every query reads.

One database file holds the curated knowledge base (rebuilt automatically when its YAML files change)
and the tables of imported datasets. Every write is atomic: the file is copied, the copy is written and
then renamed over the original, so a failed build or import leaves the previous database as it was.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import hashlib
import json
import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import StoreError

if TYPE_CHECKING:  # pragma: no cover
    import duckdb
    import polars as pl

    from .kb import KnowledgeBase

__all__ = ["Store", "default_db_path", "SCHEMA_VERSION"]

#: Bumped whenever the table layout changes; a store with another version is rebuilt.
SCHEMA_VERSION = "4"

_TIES_DDL = """
CREATE TABLE IF NOT EXISTS ties (
    id VARCHAR NOT NULL, view VARCHAR NOT NULL, origin VARCHAR NOT NULL,
    source VARCHAR, target VARCHAR, source_ccode INTEGER, target_ccode INTEGER,
    directed BOOLEAN, kind VARCHAR, level VARCHAR, rank TINYINT,
    drivers VARCHAR[], contents VARCHAR[], flows VARCHAR,
    start_lo DATE, start_hi DATE, start_precision VARCHAR, start_text VARCHAR,
    end_lo DATE, end_hi DATE, end_precision VARCHAR, end_text VARCHAR,
    end_reason VARCHAR, status VARCHAR, vital BOOLEAN, agent VARCHAR, via VARCHAR,
    note VARCHAR, disputed BOOLEAN, sources VARCHAR[], record_sources VARCHAR[], briefing_note VARCHAR,
    attrs VARCHAR, file VARCHAR, line INTEGER
)"""

_KB_DDL = [
    "CREATE TABLE meta (key VARCHAR PRIMARY KEY, value VARCHAR)",
    """CREATE TABLE actors (id VARCHAR PRIMARY KEY, name VARCHAR, kind VARCHAR, ccode INTEGER,
        iso3 VARCHAR, region VARCHAR, aliases VARCHAR[], parent VARCHAR, members VARCHAR[], note VARCHAR,
        sources VARCHAR[], file VARCHAR, line INTEGER)""",
    """CREATE TABLE tie_phases (tie_id VARCHAR, view VARCHAR, seq INTEGER, name VARCHAR, start_lo DATE,
        start_precision VARCHAR, start_text VARCHAR, end_hi DATE, end_lo DATE, end_precision VARCHAR,
        end_text VARCHAR, level VARCHAR, rank TINYINT, contents VARCHAR[], status VARCHAR, note VARCHAR,
        sources VARCHAR[])""",
    """CREATE TABLE events (id VARCHAR, view VARCHAR, date_lo DATE, date_hi DATE, date_precision VARCHAR,
        date_text VARCHAR, kind VARCHAR, actors VARCHAR[], ties VARCHAR[], description VARCHAR,
        note VARCHAR, disputed BOOLEAN, sources VARCHAR[], file VARCHAR, line INTEGER)""",
    """CREATE TABLE citations (record VARCHAR, type VARCHAR, view VARCHAR, source VARCHAR,
        locator VARCHAR)""",
]
_KB_TABLES = ("meta", "actors", "tie_phases", "events", "citations")
_SOURCES_DDL = """CREATE TABLE IF NOT EXISTS sources (id VARCHAR PRIMARY KEY, citation VARCHAR, address VARCHAR,
    kind VARCHAR, note VARCHAR, origin VARCHAR, file VARCHAR, line INTEGER)"""


def default_db_path() -> Path:
    """Where the store lives unless ``--db`` or ``PACTNET_DB`` says otherwise.

    ``$XDG_DATA_HOME/pactnet/pactnet.duckdb``, by default ``~/.local/share/pactnet/pactnet.duckdb``.
    """
    env = os.environ.get("PACTNET_DB")
    if env:
        return Path(env).expanduser()
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "pactnet" / "pactnet.duckdb"


def _fingerprint(files: list[Path]) -> str:
    h = hashlib.sha256(SCHEMA_VERSION.encode())
    for f in files:
        h.update(f.name.encode() + b"\0")
        h.update(f.read_bytes())
    return h.hexdigest()[:32]


class Store:
    """A pactnet database file.

    Parameters
    ----------
    db : path, optional
        The DuckDB file. Default: :func:`default_db_path`.
    kb_dir : path, optional
        The knowledge-base folder to build from. Default: the shipped knowledge base.
    """

    def __init__(self, db: str | Path | None = None, kb_dir: str | Path | None = None) -> None:
        self.path = Path(db).expanduser() if db is not None else default_db_path()
        self.kb_dir = Path(kb_dir) if kb_dir is not None else None

    def __repr__(self) -> str:
        return f"Store({str(self.path)!r})"

    # ----------------------------------------------------------------------------------- state

    def kb_fingerprint(self) -> str:
        """A hash of the knowledge-base files and the table layout; changes when a file changes."""
        from .kb import kb_files

        return _fingerprint(kb_files(self.kb_dir))

    def built_fingerprint(self) -> str | None:
        """The fingerprint the database file was built from, or ``None`` if there is no usable file."""
        if not self.path.exists():
            return None
        import duckdb

        try:
            con = duckdb.connect(str(self.path), read_only=True)
        except duckdb.Error:
            return None
        try:
            return _meta(con, "kb_fingerprint")
        finally:
            con.close()

    def is_current(self) -> bool:
        """Whether the database reflects the knowledge-base files as they are now."""
        return self.built_fingerprint() == self.kb_fingerprint()

    def ensure_built(self) -> None:
        """Build the database if it is missing or older than the knowledge-base files."""
        if not self.is_current():
            self.build()

    # ----------------------------------------------------------------------------------- writing

    @contextlib.contextmanager
    def _lock(self) -> Iterator[None]:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fh = open(self.path.with_name(self.path.name + ".lock"), "w")  # noqa: SIM115
        except OSError as exc:
            raise StoreError(f"{self.path}: cannot write here: {exc.strerror}") from None
        with fh:
            fcntl.flock(fh, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(fh, fcntl.LOCK_UN)

    @contextlib.contextmanager
    def transaction(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """A connection to a copy of the database that replaces the original only if the block succeeds."""
        import duckdb

        with self._lock():
            tmp = self.path.with_name(f".{self.path.name}.{os.getpid()}.tmp")
            for stale in (tmp, Path(str(tmp) + ".wal")):
                stale.unlink(missing_ok=True)
            if self.path.exists():
                try:
                    shutil.copy2(self.path, tmp)
                except OSError as exc:
                    raise StoreError(f"{self.path}: cannot copy the database for writing: {exc}") from None
            con = None
            try:
                try:
                    con = duckdb.connect(str(tmp))
                except duckdb.Error:
                    # The previous file is unreadable (not a database): start from an empty one.
                    tmp.unlink(missing_ok=True)
                    con = duckdb.connect(str(tmp))
                con.execute(_TIES_DDL)
                con.execute(_SOURCES_DDL)
                yield con
                con.execute("CHECKPOINT")
                con.close()
                con = None
                os.replace(tmp, self.path)
            finally:
                if con is not None:
                    con.close()
                tmp.unlink(missing_ok=True)
                Path(str(tmp) + ".wal").unlink(missing_ok=True)

    def build(self, kb: KnowledgeBase | None = None) -> KnowledgeBase:
        """Validate the knowledge base and (re)write its tables, keeping imported datasets.

        Raises :class:`~pactnet.errors.ValidationError` before touching the file if the knowledge base
        is invalid.
        """
        from .kb import kb_files, load_files

        files = kb_files(self.kb_dir)
        if kb is None:
            kb = load_files(self.kb_dir)
        fingerprint = _fingerprint(files)
        with self.transaction() as con:
            _write_kb(con, kb, fingerprint)
        return kb

    def replace_dataset(self, dataset: str, tables: dict[str, Any], ties: Any = None,
                        meta: dict[str, Any] | None = None) -> None:
        """Atomically replace an imported dataset: its tables ``<dataset>_<name>`` and its ties.

        ``tables`` maps a short name to a polars or pandas DataFrame or an Arrow table. ``ties`` (same
        kinds of frame) holds the dataset's ties in the store's ``ties`` layout (see docs/data-model.md).
        """
        prefix = dataset.replace("-", "_")
        with self.transaction() as con:
            con.execute("CREATE TABLE IF NOT EXISTS datasets (dataset VARCHAR PRIMARY KEY, meta VARCHAR,"
                        " imported_at TIMESTAMP)")
            for name, frame in tables.items():
                table = f"{prefix}_{name}"
                con.register("_incoming", frame)
                con.execute(f'CREATE OR REPLACE TABLE "{table}" AS SELECT * FROM _incoming')
                con.unregister("_incoming")
            con.execute("DELETE FROM ties WHERE origin = ?", [dataset])
            con.execute("DELETE FROM sources WHERE origin = ?", [dataset])
            if ties is not None:
                con.register("_incoming", ties)
                con.execute(f"INSERT INTO ties BY NAME SELECT *, '{dataset}' AS origin FROM _incoming")
                con.unregister("_incoming")
                # The dataset itself becomes a source, so that its ties' citations resolve.
                info = meta or {}
                files = ", ".join(map(str, info.get("files") or []))
                citation = info.get("citation") or (
                    f"{dataset} dataset, version {info.get('version', 'unknown')}" + (f" ({files})" if files else ""))
                con.execute(
                    "INSERT OR REPLACE INTO sources SELECT DISTINCT split_part(c, '@', 1), ?, ?, 'dataset', ?, ?, "
                    "NULL, NULL FROM (SELECT unnest(sources) AS c FROM ties WHERE origin = ?)",
                    [citation, info.get("address"), "imported by pactnet import", dataset, dataset])
            con.execute("INSERT OR REPLACE INTO datasets VALUES (?, ?, ?)",
                        [dataset, json.dumps(meta or {}, default=str), dt.datetime.now()])

    # ----------------------------------------------------------------------------------- reading

    def connect(self, *, build: bool = True) -> duckdb.DuckDBPyConnection:
        """A read-only connection, building the knowledge base first if it is missing or stale."""

        if not self.path.exists():
            if not build:
                raise StoreError(f"{self.path}: no database yet (run 'pactnet build')")
            self.build()
        con = self._open()
        if build and _meta(con, "kb_fingerprint") != self.kb_fingerprint():
            con.close()
            self.build()
            con = self._open()
        return con

    def _open(self) -> duckdb.DuckDBPyConnection:
        import duckdb

        try:
            return duckdb.connect(str(self.path), read_only=True)
        except duckdb.Error as exc:
            if not self.path.exists():
                raise StoreError(f"{self.path}: no database yet (run 'pactnet build')") from None
            raise StoreError(f"{self.path}: cannot open the database ({exc}); rebuild it with "
                             f"'pactnet build --force' or remove the file") from None

    def query(self, sql: str, params: list[Any] | None = None) -> list[dict[str, Any]]:
        """Run a read-only SQL query and return its rows as dictionaries."""
        con = self.connect()
        try:
            cur = con.execute(sql, params or [])
            cols = [d[0] for d in cur.description]
            return [dict(zip(cols, row, strict=True)) for row in cur.fetchall()]
        finally:
            con.close()

    def has_table(self, name: str) -> bool:
        """Whether the database holds a table of that name."""
        if not self.path.exists():
            return False
        con = self.connect(build=False)
        try:
            row = con.execute("SELECT count(*) FROM information_schema.tables WHERE table_name = ?",
                              [name]).fetchone()
            return bool(row and row[0])
        finally:
            con.close()

    def table(self, name: str) -> pl.DataFrame:
        """A whole table as a polars DataFrame; a missing dataset table says which import brings it."""
        if not self.has_table(name):
            dataset = name.split("_", 1)[0]
            raise StoreError(f"{self.path}: table {name!r} is missing (import it first: "
                             f"'pactnet import {dataset} PATH')")
        import polars as pl

        con = self.connect(build=False)
        try:
            return pl.DataFrame(con.sql(f'SELECT * FROM "{name}"'))  # Arrow C stream: no pyarrow import
        finally:
            con.close()


def _meta(con: duckdb.DuckDBPyConnection, key: str) -> str | None:
    """A value of the ``meta`` table, or ``None`` where the file has none (not built by pactnet)."""
    import duckdb

    try:
        row = con.execute("SELECT value FROM meta WHERE key = ?", [key]).fetchone()
    except duckdb.Error:
        return None
    return row[0] if row else None


def _write_kb(con: duckdb.DuckDBPyConnection, kb: KnowledgeBase, fingerprint: str) -> None:
    import polars as pl

    for table in _KB_TABLES:
        con.execute(f"DROP TABLE IF EXISTS {table}")
    for ddl in _KB_DDL:
        con.execute(ddl)
    con.execute("DELETE FROM ties WHERE origin = 'kb'")
    con.execute("DELETE FROM sources WHERE origin = 'kb'")
    meta = {"kb_fingerprint": fingerprint, "schema_version": SCHEMA_VERSION,
            "built_at": dt.datetime.now().isoformat(timespec="seconds")}
    con.executemany("INSERT INTO meta VALUES (?, ?)", list(meta.items()))
    con.executemany(
        "INSERT INTO sources VALUES (?, ?, ?, ?, ?, 'kb', ?, ?)",
        [(s["id"], s["citation"], s["address"], s["kind"], s["note"], s["file"], s["line"])
         for s in kb.sources.values()],
    )
    actor_rows = [
        {k: a[k] for k in ("id", "name", "kind", "ccode", "iso3", "region", "aliases", "parent", "members",
                           "note", "sources", "file", "line")}
        for a in kb.actors.values()
    ]
    _insert(con, "actors", pl.DataFrame(actor_rows, schema_overrides={"ccode": pl.Int32}, infer_schema_length=None))
    ccode = {a["id"]: a["ccode"] for a in kb.actors.values()}

    def d(x: Any, attr: str) -> Any:
        return getattr(x, attr) if x is not None else None

    tie_rows, phase_rows = [], []
    for t in kb.ties:
        tie_rows.append({
            "id": t["id"], "view": t["view"], "origin": "kb", "source": t["source"], "target": t["target"],
            "source_ccode": ccode.get(t["source"]), "target_ccode": ccode.get(t["target"]),
            "directed": t["directed"], "kind": t["kind"], "level": t["level"], "rank": t["rank"],
            "drivers": t["drivers"], "contents": t["contents"], "flows": json.dumps(t["flows"]),
            "start_lo": t["start"].lo, "start_hi": t["start"].hi, "start_precision": t["start"].precision,
            "start_text": t["start"].text,
            "end_lo": d(t["end"], "lo"), "end_hi": d(t["end"], "hi"),
            "end_precision": d(t["end"], "precision") or "open", "end_text": d(t["end"], "text"),
            "end_reason": t["end_reason"], "status": t["status"], "vital": t["vital"], "agent": t["agent"],
            "via": t["via"], "note": t["note"], "disputed": t["disputed"], "sources": t["sources"],
            "record_sources": t.get("record_sources"), "briefing_note": t.get("briefing_note"),
            "attrs": None, "file": t["file"], "line": t["line"],
        })
        for i, p in enumerate(t["phases"]):
            phase_rows.append({
                "tie_id": t["id"], "view": t["view"], "seq": i, "name": p["name"],
                "start_lo": p["start"].lo, "start_precision": p["start"].precision, "start_text": p["start"].text,
                "end_hi": d(p["end"], "hi"), "end_lo": d(p["end"], "lo"),
                "end_precision": d(p["end"], "precision") or "open", "end_text": d(p["end"], "text"),
                "level": p["level"], "rank": p["rank"], "contents": p["contents"], "status": p["status"],
                "note": p["note"], "sources": p["sources"],
            })
    if tie_rows:
        _insert(con, "ties", pl.DataFrame(tie_rows, infer_schema_length=None))
    if phase_rows:
        _insert(con, "tie_phases", pl.DataFrame(phase_rows, infer_schema_length=None))
    event_rows = [{
        "id": e["id"], "view": e["view"], "date_lo": e["date"].lo, "date_hi": e["date"].hi,
        "date_precision": e["date"].precision, "date_text": e["date"].text, "kind": e["kind"],
        "actors": e["actors"], "ties": e["ties"], "description": e["description"], "note": e["note"],
        "disputed": e["disputed"], "sources": e["sources"], "file": e["file"], "line": e["line"],
    } for e in kb.events]
    if event_rows:
        _insert(con, "events", pl.DataFrame(event_rows, infer_schema_length=None))
    if kb.citations:
        _insert(con, "citations", pl.DataFrame(kb.citations, infer_schema_length=None))


def _insert(con: duckdb.DuckDBPyConnection, table: str, frame: Any) -> None:
    con.register("_rows", frame)
    try:
        con.execute(f"INSERT INTO {table} BY NAME SELECT * FROM _rows")
    finally:
        con.unregister("_rows")
