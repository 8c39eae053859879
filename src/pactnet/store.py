"""The embedded DuckDB store that every query reads.

One database file holds the curated knowledge base (rebuilt automatically when its YAML files change) and
the tables of imported datasets. The store records which knowledge-base folder built it, and marks itself
as pactnet's: pactnet never writes to, drops tables in or replaces a file that lacks that mark.

Every write is atomic: the file is copied, the copy is written and then renamed over the original, so a
failed build or import leaves the previous database as it was. Writers take a file lock beside the store.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import os
import re
import shutil
import warnings
import weakref
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import schema as S
from ._gc import paused
from .errors import DatasetError, StoreError

if TYPE_CHECKING:  # pragma: no cover
    import duckdb
    import polars as pl

    from .kb import KnowledgeBase

__all__ = ["Store", "default_db_path", "open_store", "check_ties", "SCHEMA_VERSION"]

#: Bumped whenever the table layout changes; a store with another version has its knowledge base rebuilt
#: and imported datasets of the old layout dropped (with a warning to import them again).
SCHEMA_VERSION = "5"
#: The ``meta`` entry that marks a DuckDB file as a pactnet store.
MARKER = ("pactnet", "store")
#: The name ``meta.kb_dir`` gives the knowledge base shipped with pactnet.
SHIPPED = "shipped"

#: Store-only columns of the ``ties`` table beside :data:`pactnet.schema.TIE_LAYOUT`.
_TIE_STORE_EXTRA = (
    S.Column("until", "date", "First day the tie no longer holds (end for a day, the day after a partial end's "
             "period); null while open. Queries test start <= d < until."),
    S.Column("start_text", "str", "The start date as written."),
    S.Column("end_text", "str", "The end date as written."),
    S.Column("record_sources", "list", "In the briefing view, the record view's citations."),
    S.Column("briefing_note", "str", "In the briefing view, its note."),
    S.Column("attrs", "str", "JSON object of dataset-specific attributes (ATOP obligations ...)."),
    S.Column("file", "str", "Knowledge-base file of the record."),
    S.Column("line", "int32", "Its line."),
)
TIE_TABLE = S.TIE_LAYOUT + _TIE_STORE_EXTRA

_PHASE_TABLE = (
    S.Column("tie_id", "str", ""), S.Column("view", "str", ""), S.Column("seq", "int32", ""),
    S.Column("name", "str", ""), S.Column("start", "date", ""), S.Column("until", "date", ""),
    S.Column("start_text", "str", ""), S.Column("end_text", "str", ""), S.Column("level", "str", ""),
    S.Column("rank", "int8", ""), S.Column("contents", "list", ""), S.Column("status", "str", ""),
    S.Column("note", "str", ""), S.Column("sources", "list", ""),
)
_ACTOR_TABLE = S.ACTOR_LAYOUT + (S.Column("file", "str", ""), S.Column("line", "int32", ""))
_EVENT_TABLE = S.EVENT_LAYOUT + (S.Column("date_hi", "date", "Last day of the date's period."),
                                 S.Column("date_text", "str", "The date as written."),
                                 S.Column("file", "str", ""), S.Column("line", "int32", ""))
_CITATION_TABLE = (S.Column("record", "str", ""), S.Column("type", "str", ""), S.Column("view", "str", ""),
                   S.Column("source", "str", ""), S.Column("locator", "str", ""))
_SOURCE_TABLE = (S.Column("id", "str", ""), S.Column("citation", "str", ""), S.Column("address", "str", ""),
                 S.Column("kind", "str", ""), S.Column("note", "str", ""), S.Column("origin", "str", ""),
                 S.Column("file", "str", ""), S.Column("line", "int32", ""))

_ATTRIBUTE_TABLE = S.ATTRIBUTE_LAYOUT + (S.Column("file", "str", ""), S.Column("line", "int32", ""))

_KB_TABLES = {"actors": _ACTOR_TABLE, "tie_phases": _PHASE_TABLE, "events": _EVENT_TABLE,
              "citations": _CITATION_TABLE, "attributes": _ATTRIBUTE_TABLE}
_SHARED_DDL = (
    "CREATE TABLE IF NOT EXISTS meta (key VARCHAR PRIMARY KEY, value VARCHAR)",
    f"CREATE TABLE IF NOT EXISTS ties ({S.sql_columns(TIE_TABLE)})",
    f"CREATE TABLE IF NOT EXISTS sources ({S.sql_columns(_SOURCE_TABLE)}, PRIMARY KEY (id))",
    "CREATE TABLE IF NOT EXISTS datasets (dataset VARCHAR PRIMARY KEY, meta VARCHAR, imported_at TIMESTAMP)",
)
_DUCKDB_MAGIC = b"DUCK"
#: Never download a DuckDB extension at run time (the writer's settings).
_CONFIG = {"autoinstall_known_extensions": False, "autoload_known_extensions": False}
_TMP = re.compile(r"^\.(?P<name>.+)\.(?P<pid>\d+)\.tmp(\.wal)?$")


def default_db_path() -> Path:
    """Where the store lives unless ``db=`` (``--db``) or ``PACTNET_DB`` says otherwise: ``pactnet.duckdb`` in
    the user data folder of this platform (``~/.local/share/pactnet`` on Linux)."""
    env = os.environ.get("PACTNET_DB")
    if env:
        return Path(env).expanduser()
    import platformdirs

    return Path(platformdirs.user_data_dir("pactnet", appauthor=False)) / "pactnet.duckdb"


def _is_default_location(path: Path) -> bool:
    """Whether ``path`` is the store in the user data folder (which pactnet creates when it is missing)."""
    import platformdirs

    return path.absolute() == (Path(platformdirs.user_data_dir("pactnet", appauthor=False)) / "pactnet.duckdb")


def _kb_key(kb_dir: Path | None) -> str:
    """How ``meta.kb_dir`` names a knowledge-base folder: ``shipped`` or its absolute path."""
    from .kb import DATA_DIR

    if kb_dir is None or kb_dir.resolve() == DATA_DIR.resolve():
        return SHIPPED
    return str(kb_dir.resolve())


def _fingerprint(files: list[Path]) -> str:
    """The knowledge-base files' hash, with the layout of the tables built from them (a new knowledge-base
    table or column makes a store stale: its knowledge-base tables are rebuilt, its datasets kept)."""
    layouts = "".join(f"{table}({S.sql_columns(layout)})" for table, layout in _KB_TABLES.items())
    h = hashlib.sha256(SCHEMA_VERSION.encode() + layouts.encode())
    for f in files:
        h.update(f.name.encode() + b"\0")
        h.update(f.read_bytes())
    return h.hexdigest()[:32]


def _stat_entry(entry: os.DirEntry[str]) -> tuple[int, int, bool]:
    try:
        st = entry.stat()
    except OSError:
        return (0, 0, False)
    return (st.st_mtime_ns, st.st_size, entry.is_file())


def _stat(path: Path) -> tuple[int, int, int] | None:
    try:
        st = path.stat()
    except OSError:
        return None
    return (st.st_ino, st.st_mtime_ns, st.st_size)


_OPEN: dict[tuple[str, str | None], Store] = {}
#: Every Store of this process: DuckDB keeps one database instance per path while any connection to it is
#: open, so a store replaced on disk is reopened only once every connection to the old file is closed.
_LIVE: weakref.WeakSet[Store] = weakref.WeakSet()


def _close_all(path: Path) -> None:
    for store in list(_LIVE):
        if store.path == path:
            store.close()


def open_store(db: str | Path | Store | None = None, kb: str | Path | None = None) -> Store:
    """The :class:`Store` for ``db`` (a path, a Store, or ``None`` for the default) and ``kb``.

    Stores are kept per (path, knowledge base) for the life of the process, so repeated queries reuse
    one read connection and one freshness check.
    """
    if isinstance(db, Store):
        if kb is not None and db.kb_dir != Path(kb):
            return open_store(db.path, kb)
        return db
    path = Path(db).expanduser() if db is not None else default_db_path()
    key = (str(path.absolute()), str(Path(kb).absolute()) if kb is not None else os.environ.get("PACTNET_KB"))
    store = _OPEN.get(key)
    if store is None:
        store = _OPEN[key] = Store(path, kb)
    return store


class Store:
    """A pactnet database file.

    Parameters
    ----------
    db : path, optional
        The DuckDB file. Default: :func:`default_db_path`.
    kb : path, optional
        The knowledge-base folder to build from. Default: ``$PACTNET_KB``, else the folder recorded in the
        store by the build that made it, else the shipped knowledge base. A query naming another folder than
        the recorded one is refused (build from it explicitly to switch).
    """

    def __init__(self, db: str | Path | None = None, kb: str | Path | None = None) -> None:
        self.path = Path(db).expanduser() if db is not None else default_db_path()
        env = os.environ.get("PACTNET_KB")
        self._kb_given = Path(kb) if kb is not None else (Path(env) if env else None)
        self._con: duckdb.DuckDBPyConnection | None = None
        self._seen: tuple[Any, ...] | None = None
        self._fp_cache: tuple[Any, str] | None = None
        self._recorded: str | None = None
        self._cache: dict[str, Any] = {}
        self._meta_cache: tuple[Any, dict[str, str]] | None = None
        self._checked = False
        _LIVE.add(self)

    def __repr__(self) -> str:
        return f"Store({str(self.path)!r})"

    # ----------------------------------------------------------------------------------- the knowledge base

    @property
    def kb_dir(self) -> Path | None:
        """The knowledge-base folder in effect: the one given, else the store's recorded one, else ``None``
        (the shipped knowledge base)."""
        if self._kb_given is not None:
            return self._kb_given
        recorded = self._recorded if self._con is not None else self.recorded_kb()
        return Path(recorded) if recorded not in (None, SHIPPED) else None

    def recorded_kb(self) -> str | None:
        """The knowledge base the store was built from (``"shipped"`` or a folder), ``None`` if not built."""
        return self._read_meta("kb_dir")

    def _kb_files(self) -> list[Path]:
        from .kb import kb_files

        return kb_files(self.kb_dir)

    def kb_fingerprint(self) -> str:
        """A hash of the knowledge-base files and the table layout; changes when a file changes."""
        files = self._kb_files()
        stamp = tuple((str(f), _stat(f)) for f in files)
        if self._fp_cache is None or self._fp_cache[0] != stamp:
            self._fp_cache = (stamp, _fingerprint(files))
        return self._fp_cache[1]

    def built_fingerprint(self) -> str | None:
        """The fingerprint the database file was built from, or ``None`` if there is no usable file."""
        return self._read_meta("kb_fingerprint")

    def is_current(self) -> bool:
        """Whether the database reflects the knowledge base in effect as its files are now."""
        return (self.built_fingerprint() == self.kb_fingerprint()
                and self.recorded_kb() == _kb_key(self.kb_dir))

    def ensure_built(self) -> None:
        """Build the database if it is missing or older than the knowledge-base files."""
        self.connect()

    def _read_meta(self, key: str) -> str | None:
        """A ``meta`` value of the file as it is now (read once per state of the file)."""
        stamp = _stat(self.path)
        if stamp is None or not self.path.is_file():
            return None
        if self._meta_cache is None or self._meta_cache[0] != stamp:
            import duckdb

            try:
                con = _connect_ro(self.path)
            except duckdb.Error:
                return None
            try:
                rows = dict(con.execute("SELECT key, value FROM meta").fetchall())
            except duckdb.Error:
                rows = {}
            finally:
                con.close()
            self._meta_cache = (stamp, rows)
        return self._meta_cache[1].get(key)

    # ----------------------------------------------------------------------------------- ownership

    def check_owned(self, *, force: bool = False) -> None:
        """Refuse to write to a file pactnet did not create.

        A new path is fine. An existing file must be a DuckDB database marked as a pactnet store; with
        ``force``, a DuckDB file that cannot be opened (a truncated store) may be replaced too.
        """
        if not self.path.exists():
            return
        if not self.path.is_file():
            raise StoreError(f"{self.path}: not a regular file; pactnet stores are DuckDB files")
        import duckdb

        try:
            con = _connect_ro(self.path)
        except duckdb.Error as exc:
            if force and _looks_like_duckdb(self.path):
                return
            hint = (" Remove it or rebuild with 'build(force=True)'." if _looks_like_duckdb(self.path)
                    else " It is not a DuckDB file: pactnet will not overwrite it; choose another path.")
            raise StoreError(f"{self.path}: cannot open the database ({_first_line(exc)}).{hint}") from None
        try:
            marked = _meta(con, MARKER[0]) == MARKER[1] or _meta(con, "kb_fingerprint") is not None
        finally:
            con.close()
        if not marked:
            raise StoreError(f"{self.path}: a DuckDB file that pactnet did not create (no pactnet mark in a "
                             f"'meta' table); pactnet will not write to it: choose another path")

    # ----------------------------------------------------------------------------------- writing

    @contextlib.contextmanager
    def _lock(self) -> Iterator[None]:
        from filelock import FileLock, Timeout

        parent = self.path.parent
        if not parent.is_dir():
            if not _is_default_location(self.path):  # a folder the user named: never created behind their back
                raise StoreError(f"{self.path}: the folder {parent} does not exist")
            try:
                parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise StoreError(f"{self.path}: cannot create {parent}: {exc.strerror}") from None
        lock = FileLock(str(self.path.with_name(self.path.name + ".lock")), timeout=120)
        try:
            with lock:
                yield
        except Timeout:
            raise StoreError(f"{self.path}: another pactnet process has been writing for 2 minutes") from None
        except PermissionError as exc:
            raise StoreError(f"{self.path}: cannot write here: {exc.strerror}") from None

    def _clean_stale(self) -> None:
        """Remove temporary copies left by writers that were killed (their process is gone)."""
        for p in self.path.parent.glob(f".{self.path.name}.*.tmp*"):
            m = _TMP.match(p.name)
            if m and m["name"] == self.path.name and not _alive(int(m["pid"])):
                p.unlink(missing_ok=True)

    @contextlib.contextmanager
    def transaction(self, *, force: bool = False) -> Iterator[duckdb.DuckDBPyConnection]:
        """A connection to a copy of the database that replaces the original only if the block succeeds."""
        import duckdb

        self.check_owned(force=force)
        with self._lock():
            self._clean_stale()
            tmp = self.path.with_name(f".{self.path.name}.{os.getpid()}.tmp")
            for stale in (tmp, Path(str(tmp) + ".wal")):
                stale.unlink(missing_ok=True)
            fresh = True
            if self.path.exists():
                try:
                    _connect_ro(self.path).close()
                    shutil.copy2(self.path, tmp)
                    fresh = False
                except duckdb.Error:
                    pass  # an unreadable store, replaced only under force (checked above)
                except OSError as exc:
                    raise StoreError(f"{self.path}: cannot copy the database for writing: {exc}") from None
            con = None
            try:
                try:
                    con = duckdb.connect(str(tmp), config=_CONFIG)
                except duckdb.Error as exc:
                    raise StoreError(f"{self.path}: cannot write the database: {_first_line(exc)}") from None
                _migrate(con, fresh)
                yield con
                con.execute("CHECKPOINT")
                con.close()
                con = None
                _close_all(self.path)
                os.replace(tmp, self.path)
            except OSError as exc:
                raise StoreError(f"{self.path}: cannot write the database: {exc.strerror or exc}") from None
            finally:
                if con is not None:
                    con.close()
                tmp.unlink(missing_ok=True)
                Path(str(tmp) + ".wal").unlink(missing_ok=True)

    def build(self, kb: KnowledgeBase | None = None, *, force: bool = False) -> KnowledgeBase:
        """Validate the knowledge base in effect and (re)write its tables, keeping imported datasets.

        Raises :class:`~pactnet.errors.ValidationError` before touching the file if the knowledge base
        is invalid. Building from another folder than the recorded one switches the store to it.
        """
        from .kb import load_files

        files = self._kb_files()
        with paused():  # millions of small records, no cycles
            if kb is None:
                kb = load_files(self.kb_dir)
            fingerprint = _fingerprint(files)
            with self.transaction(force=force) as con:
                _write_kb(con, kb, fingerprint, _kb_key(self.kb_dir))
        return kb

    def replace_dataset(self, dataset: str, tables: dict[str, Any], ties: Any = None,
                        meta: dict[str, Any] | None = None) -> None:
        """Atomically replace an imported dataset: all its tables ``<dataset>_*`` and its ties.

        ``tables`` maps a short name to a polars or pandas DataFrame or an Arrow table. ``ties`` holds the
        dataset's ties in :data:`pactnet.schema.TIE_LAYOUT` (without ``origin``).
        """
        prefix = dataset.replace("-", "_")
        with self.transaction() as con:
            # Another dataset's tables may share the prefix ('cow_' of COW states, 'cow_alliances_' of COW
            # alliances): they stay.
            others = [d.replace("-", "_") + "_" for (d,) in con.execute("SELECT dataset FROM datasets").fetchall()
                      if d.replace("-", "_") != prefix and d.replace("-", "_").startswith(prefix + "_")]
            old = [r[0] for r in con.execute(
                "SELECT table_name FROM information_schema.tables WHERE starts_with(table_name, ?)",
                [prefix + "_"]).fetchall() if not r[0].startswith(tuple(others))]
            for table in old:
                con.execute(f'DROP TABLE "{table}"')
            for name, frame in tables.items():
                con.register("_incoming", frame)
                con.execute(f'CREATE TABLE "{prefix}_{name}" AS SELECT * FROM _incoming')
                con.unregister("_incoming")
            con.execute("DELETE FROM ties WHERE origin = ?", [dataset])
            con.execute("DELETE FROM sources WHERE origin = ?", [dataset])
            if ties is not None:
                _insert_ties(con, check_ties(ties, dataset), dataset)
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
        """The store's read-only connection, building the knowledge base first if it is missing or stale.

        The connection is shared by the queries of this process; do not close it (see :meth:`close`).
        """
        if self._con is not None and (self._checked or not build) and self._state() == self._seen:
            return self._con
        _close_all(self.path)
        if not self.path.exists():
            if not build:
                raise StoreError(f"{self.path}: no database yet (run 'pactnet build')")
            self.build()
        else:
            self._check_kb_matches()
            if build and not self.is_current():
                self.build()
        self._recorded = self.recorded_kb()
        self._con = self._open()
        self._seen = self._state()
        self._checked = build  # whether the knowledge base was checked (and built if stale) for this connection
        return self._con

    def _check_kb_matches(self) -> None:
        recorded = self.recorded_kb()
        if self._kb_given is None or recorded is None:
            return
        wanted = _kb_key(self._kb_given)
        if recorded != wanted:
            built = "the shipped knowledge base" if recorded == SHIPPED else recorded
            raise StoreError(f"{self.path}: built from {built}, not from {wanted}; build it from the new "
                             f"knowledge base explicitly ('pactnet build --kb ...') or use another store")

    def _state(self) -> tuple[Any, ...]:
        """What a cached connection depends on: the database file and the knowledge-base files (read with one
        directory scan: every query checks it)."""
        from .kb import DATA_DIR

        root = self.kb_dir or DATA_DIR
        try:
            with os.scandir(root) as entries:
                files = tuple(sorted((e.name, e.inode(), *_stat_entry(e)) for e in entries
                                     if e.name.endswith((".yaml", ".yml"))))
        except NotADirectoryError:  # a knowledge base of one file
            files = (_stat(root),)
        except OSError:
            files = ()
        return (_stat(self.path), files, self._kb_given)

    def _open(self) -> duckdb.DuckDBPyConnection:
        import duckdb

        try:
            return _connect_ro(self.path)
        except duckdb.Error as exc:
            if not self.path.exists():
                raise StoreError(f"{self.path}: no database yet (run 'pactnet build')") from None
            raise StoreError(f"{self.path}: cannot open the database ({_first_line(exc)}); rebuild it with "
                             f"'pactnet build --force' or remove the file") from None

    def close(self) -> None:
        """Close the shared read connection (the next query opens it again)."""
        if self._con is not None:
            self._con.close()
            self._con = None
            self._seen = None
        self._cache.clear()

    def cached(self, key: str, compute: Any) -> Any:
        """A value derived from the store's contents (an actor index ...), computed once per state of the
        database and knowledge-base files."""
        self.connect()
        if key not in self._cache:
            self._cache[key] = compute()
        return self._cache[key]

    def memo(self, key: str, compute: Any) -> Any:
        """Like :meth:`cached`, without checking the files again: for the steps of a query that has just
        checked them (with :meth:`connect` or :meth:`cached`)."""
        if self._con is None:
            return self.cached(key, compute)
        if key not in self._cache:
            self._cache[key] = compute()
        return self._cache[key]

    def frame(self, sql: str, params: list[Any] | None = None) -> pl.DataFrame:
        """Run a read-only SQL query and return a polars DataFrame."""
        cur = self.connect().cursor()  # one cursor per query: safe from several threads (a web server)
        try:
            return cur.sql(sql, params=params or None).pl()
        finally:
            cur.close()

    def query(self, sql: str, params: list[Any] | None = None) -> list[dict[str, Any]]:
        """Run a read-only SQL query and return its rows as dictionaries."""
        cur = self.connect().cursor()
        try:
            cur.execute(sql, params or [])
            cols = [d[0] for d in cur.description]
            return [dict(zip(cols, row, strict=True)) for row in cur.fetchall()]
        finally:
            cur.close()

    def has_table(self, name: str) -> bool:
        """Whether the database holds a table of that name."""
        if not self.path.exists():
            return False
        self.connect(build=False)
        return bool(self.query("SELECT 1 FROM information_schema.tables WHERE table_name = ?", [name]))

    def table(self, name: str) -> pl.DataFrame:
        """A whole table as a polars DataFrame; a missing dataset table says which import brings it."""
        if not self.has_table(name):
            dataset = name.split("_", 1)[0]
            raise StoreError(f"{self.path}: table {name!r} is missing (import it first: "
                             f"'pactnet import {dataset} PATH')")
        return self.frame(f'SELECT * FROM "{name}"')


def _connect_ro(path: Path) -> duckdb.DuckDBPyConnection:
    """A read-only connection with DuckDB's default settings: DuckDB shares one instance per file in a process,
    so a user's own ``duckdb.connect(path, read_only=True)`` beside pactnet's must not differ in settings."""
    import duckdb

    return duckdb.connect(str(path), read_only=True)


def _first_line(exc: BaseException) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__


def _looks_like_duckdb(path: Path) -> bool:
    try:
        with open(path, "rb") as fh:
            head = fh.read(16)
    except OSError:
        return False
    return head[8:12] == _DUCKDB_MAGIC


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):
        return True
    return True


def _meta(con: duckdb.DuckDBPyConnection, key: str) -> str | None:
    """A value of the ``meta`` table, or ``None`` where the file has none (not built by pactnet)."""
    import duckdb

    try:
        row = con.execute("SELECT value FROM meta WHERE key = ?", [key]).fetchone()
    except duckdb.Error:
        return None
    return row[0] if row else None


def _migrate(con: duckdb.DuckDBPyConnection, fresh: bool) -> None:
    """Create the shared tables; a store of an older layout loses its dataset ties (with a warning)."""
    version = None if fresh else _meta(con, "schema_version")
    if version is not None and version != SCHEMA_VERSION:
        datasets = []
        with contextlib.suppress(Exception):
            datasets = [r[0] for r in con.execute("SELECT dataset FROM datasets").fetchall()]
        for table in ("ties", "sources", "datasets", *_KB_TABLES):
            con.execute(f"DROP TABLE IF EXISTS {table}")
        if datasets:
            warnings.warn(f"the store's layout changed (version {version} -> {SCHEMA_VERSION}): import "
                          f"{', '.join(datasets)} again", stacklevel=4)
    for ddl in _SHARED_DDL:
        con.execute(ddl)
    con.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", list(MARKER))
    con.execute("INSERT OR REPLACE INTO meta VALUES ('schema_version', ?)", [SCHEMA_VERSION])


def _until(end: Any) -> dt.date | None:
    """The first day a tie no longer holds: its end day, or the day after a partial end date's period."""
    if end is None:
        return None
    return end.lo if end.precision == "day" else end.hi + dt.timedelta(days=1)


def _columns(rows: list[tuple[Any, ...]], names: tuple[str, ...]) -> dict[str, list[Any]]:
    """Row tuples as one list per column."""
    cols = list(zip(*rows, strict=True)) if rows else [() for _ in names]
    return {name: list(col) for name, col in zip(names, cols, strict=True)}


_TIE_ROW = ("id", "view", "source", "target", "source_ccode", "target_ccode", "directed", "kind", "level", "rank",
            "drivers", "contents", "flows", "programme", "successor", "drivers_reason", "start", "start_precision",
            "end", "end_precision", "until", "end_reason", "status", "vital", "agent", "via", "note", "disputed",
            "sources", "start_text", "end_text", "record_sources", "briefing_note", "file", "line")
_PHASE_ROW = ("tie_id", "view", "seq", "name", "start", "until", "start_text", "end_text", "level", "rank",
              "contents", "status", "note", "sources")


def _tie_rows(kb: KnowledgeBase) -> tuple[dict[str, list[Any]], dict[str, list[Any]]]:
    """The knowledge base's ties and their phases as columns of the ``ties`` and ``tie_phases`` tables."""
    ccode = {a["id"]: a["ccode"] for a in kb.actors.values()}
    ties, phases = [], []
    for t in kb.ties:
        start, end = t["start"], t["end"]
        ties.append((
            t["id"], t["view"], t["source"], t["target"], ccode.get(t["source"]), ccode.get(t["target"]),
            t["directed"], t["kind"], t["level"], t["rank"], t["drivers"], t["contents"],
            json.dumps(t["flows"]) if t["flows"] else "{}", t.get("programme"), t.get("successor"),
            t.get("drivers_reason"), start.lo, start.precision, end.lo if end else None,
            end.precision if end else None, _until(end), t["end_reason"], t["status"], t["vital"], t["agent"],
            t["via"], t["note"], t["disputed"], t["sources"], start.text, end.text if end else None,
            t.get("record_sources"), t.get("briefing_note"), t["file"], t["line"]))
        for i, p in enumerate(t["phases"]):
            phases.append((
                t["id"], t["view"], i, p["name"] or p["start"].text, p["start"].lo, _until(p["end"]),
                p["start"].text, p["end"].text if p["end"] else None, p["level"], p["rank"], p["contents"],
                p["status"], p["note"], p["sources"]))
    columns = _columns(ties, _TIE_ROW)
    columns["origin"] = ["kb"] * len(ties)
    return columns, _columns(phases, _PHASE_ROW)


#: The state-to-state ties held through a common alliance organisation: both members at once. The lower
#: of the two levels; the drivers and start precision of the later member; the end of the earlier leaver.
_DERIVE_VIA = """
WITH m AS (
    SELECT t.* FROM ties t JOIN actors o ON o.id = t.target
    WHERE t.origin = 'kb' AND t.kind = 'alliance_membership' AND o.kind = 'alliance_organisation'
), pairs AS (
    SELECT a.target AS org, a.view, a.source AS s, b.source AS t, a.source_ccode AS sc, b.source_ccode AS tc,
           greatest(a.start, b.start) AS start,
           CASE WHEN a.start >= b.start THEN a.start_precision ELSE b.start_precision END AS start_precision,
           CASE WHEN a.start >= b.start THEN a.drivers ELSE b.drivers END AS drivers,
           CASE WHEN a.start >= b.start THEN a.start_text ELSE b.start_text END AS start_text,
           CASE WHEN a.until IS NULL THEN b.until WHEN b.until IS NULL THEN a.until
                ELSE least(a.until, b.until) END AS until,
           CASE WHEN b.until IS NULL OR (a.until IS NOT NULL AND a.until <= b.until) THEN a.id ELSE b.id END AS ender,
           least(a.rank, b.rank) AS rank,
           CASE WHEN a.rank <= b.rank THEN a.level ELSE b.level END AS level,
           a.vital OR b.vital AS vital, a.disputed OR b.disputed AS disputed,
           list_distinct(list_concat(a.sources, b.sources)) AS sources, [a.id, b.id] AS derived_from
    FROM m a JOIN m b ON a.target = b.target AND a.view = b.view AND a.source < b.source
)
INSERT INTO ties BY NAME
SELECT 'via:' || p.org || ':' || p.s || '-' || p.t AS id, p.view, 'kb' AS origin, p.s AS source, p.t AS target,
       p.sc AS source_ccode, p.tc AS target_ccode, false AS directed, 'alliance_membership' AS kind, p.level,
       p.rank, p.drivers, ['defense_guarantee'] AS contents, '{}' AS flows, p.start, p.start_precision,
       CASE WHEN p.until IS NULL THEN NULL ELSE e."end" END AS "end",
       CASE WHEN p.until IS NULL THEN NULL ELSE e.end_precision END AS end_precision,
       p.until, p.vital, p.org AS via, 'held through ' || p.org || ': both are members' AS note, p.disputed,
       list_sort(p.sources) AS sources, p.derived_from, p.start_text,
       CASE WHEN p.until IS NULL THEN NULL ELSE e.end_text END AS end_text
FROM pairs p JOIN ties e ON e.id = p.ender AND e.view = p.view AND e.origin = 'kb'
WHERE p.until IS NULL OR p.until > p.start
ORDER BY p.view, id
"""


def _write_kb(con: duckdb.DuckDBPyConnection, kb: KnowledgeBase, fingerprint: str, kb_key: str) -> None:
    from .kb.attributes import attribute_columns

    for table, layout in _KB_TABLES.items():
        con.execute(f"DROP TABLE IF EXISTS {table}")
        con.execute(f"CREATE TABLE {table} ({S.sql_columns(layout)})")
    con.execute("DELETE FROM ties WHERE origin = 'kb'")
    con.execute("DELETE FROM sources WHERE origin = 'kb'")
    meta = {"kb_fingerprint": fingerprint, "kb_dir": kb_key,
            "built_at": dt.datetime.now().isoformat(timespec="seconds")}
    con.executemany("INSERT OR REPLACE INTO meta VALUES (?, ?)", list(meta.items()))
    con.executemany(
        "INSERT INTO sources VALUES (?, ?, ?, ?, ?, 'kb', ?, ?)",
        [(s["id"], s["citation"], s["address"], s["kind"], s["note"], s["file"], s["line"])
         for s in kb.sources.values()],
    )
    actor_cols = S.column_names(_ACTOR_TABLE)
    actors = _columns([tuple(a.get(k) for k in actor_cols) for a in kb.actors.values()], actor_cols)
    _insert(con, "actors", S.arrow_table(actors, _ACTOR_TABLE))
    ties, phases = _tie_rows(kb)
    _insert(con, "ties", S.arrow_table(ties, TIE_TABLE))
    _insert(con, "tie_phases", S.arrow_table(phases, _PHASE_TABLE))
    con.execute(_DERIVE_VIA)
    event_cols = ("id", "view", "date", "date_hi", "date_precision", "date_text", "kind", "actors", "ties",
                  "description", "note", "disputed", "sources", "file", "line")
    events = [(e["id"], e["view"], e["date"].lo, e["date"].hi, e["date"].precision, e["date"].text, e["kind"],
               e["actors"], e["ties"], e["description"], e["note"], e["disputed"], e["sources"], e["file"], e["line"])
              for e in kb.events]
    _insert(con, "events", S.arrow_table(_columns(events, event_cols), _EVENT_TABLE))
    _insert(con, "attributes", S.arrow_table(attribute_columns(kb.attributes), _ATTRIBUTE_TABLE))
    citation_cols = S.column_names(_CITATION_TABLE)
    citations = [tuple(c[k] for k in citation_cols) for c in kb.citations]
    _insert(con, "citations", S.arrow_table(_columns(citations, citation_cols), _CITATION_TABLE))


def check_ties(ties: pl.DataFrame, dataset: str) -> pl.DataFrame:
    """Check an importer's ties and return them in the tie layout (absent optional columns null, ``origin``
    the dataset).

    Raises :class:`DatasetError` naming the dataset and the first offending tie id.
    """
    import polars as pl

    schema = S.polars_schema(S.TIE_LAYOUT)
    required = ("id", "view", "source", "target", "kind", "start", "start_precision", "sources")
    missing = [c for c in required if c not in ties.columns]
    if missing:
        raise DatasetError(f"{dataset}: ties lack columns {missing}")
    if "level" not in ties.columns:  # the kind's default rung of the ladder (schema.TIE_KINDS)
        defaults = {kind: level for kind, (_, level) in S.TIE_KINDS.items() if level is not None}
        ties = ties.with_columns(level=pl.col("kind").replace_strict(defaults, default=None, return_dtype=pl.String))
    if "rank" not in ties.columns:
        ties = ties.with_columns(rank=pl.col("level").replace_strict(S.LEVEL_RANK, default=None,
                                                                     return_dtype=pl.Int8))
    defaults = {"origin": pl.lit(dataset), "flows": pl.lit("{}"), "drivers": pl.lit([], dtype=pl.List(pl.String)),
                "contents": pl.lit([], dtype=pl.List(pl.String)), "directed": pl.lit(False),
                "vital": pl.lit(False), "disputed": pl.lit(False)}
    ties = ties.select([
        (pl.col(c) if c in ties.columns else defaults.get(c, pl.lit(None))).cast(t).alias(c)
        for c, t in schema.items()
    ] + ([pl.col("attrs").cast(pl.String)] if "attrs" in ties.columns else []))

    def fail(mask: pl.Series, what: str) -> None:
        if mask.any():
            i = int(mask.arg_true()[0])
            raise DatasetError(f"{dataset}: tie {ties['id'][i]!r}: {what}")

    fail(ties["id"].is_duplicated(), "duplicate tie id")
    fail(ties["id"].is_null() | ties["source"].is_null() | ties["target"].is_null(), "missing id, source or target")
    fail(ties["source"] == ties["target"], "a tie from an actor to itself")
    fail(~ties["level"].is_in(list(S.LEVEL_RANK)), f"level not on the ladder {list(S.LEVEL_RANK)}")
    want_rank = ties["level"].replace_strict(S.LEVEL_RANK, default=None, return_dtype=pl.Int8)
    fail(want_rank != ties["rank"], "rank does not match level")
    fail(ties["start"].is_null(), "no start date")
    fail(ties["end"].is_not_null() & (ties["end"] < ties["start"]), "ends before it starts")
    fail(ties["end"].is_not_null() & ties["end_precision"].is_null(), "an end date without its precision")
    fail(ties["sources"].list.len().fill_null(0) == 0, "no source citation")
    return ties


def _insert_ties(con: duckdb.DuckDBPyConnection, ties: Any, origin: str) -> None:
    """Insert a dataset's ties (in :data:`TIE_LAYOUT`, ``origin`` set here), computing ``until``."""
    con.register("_incoming", ties)
    try:
        con.execute(
            "INSERT INTO ties BY NAME SELECT * EXCLUDE (origin), ? AS origin, CAST(CASE WHEN \"end\" IS NULL THEN NULL "
            "WHEN end_precision = 'day' THEN \"end\" WHEN end_precision = 'month' THEN \"end\" + INTERVAL 1 MONTH "
            "ELSE \"end\" + INTERVAL 1 YEAR END AS DATE) AS until FROM _incoming", [origin])
    finally:
        con.unregister("_incoming")


def _insert(con: duckdb.DuckDBPyConnection, table: str, frame: Any) -> None:
    con.register("_rows", frame)
    try:
        con.execute(f"INSERT INTO {table} BY NAME SELECT * FROM _rows")
    finally:
        con.unregister("_rows")
