"""Where a panel's inputs come from: files given explicitly, else the store's imported tables.

=============  ======================  ==========================================
input          store table              file option (``paths`` key)
=============  ======================  ==========================================
states (COW)   ``cow_states``           ``states`` (``pactnet import cow-states``)
states (G-W)   ``gw_states``            ``states`` (``pactnet import gw-states``)
atop           ``atop_dyad_years``      ``atop`` (atop5_1m.csv, its folder or zip)
cow            ``cow_alliances_dyad_years``  ``cow``
dcad           ``dcad_dyad_years``      ``dcad``
contiguity     ``contiguity_contdir``   ``contiguity``
rivalry        ``rivalries_td``         ``rivalry``
nmc            ``nmc_capabilities``     ``nmc``
kb             ``pactnet.network.tie_table`` (the knowledge base, built on demand)
crosswalk      ``gw_crosswalk`` or derived from ``cow_states`` + ``gw_states``
false_dyads    -                        ``false_dyads`` (``ccode1, ccode2, year``; dyad-years to leave out)
=============  ======================  ==========================================

Store tables are read over one read-only connection, straight into polars (Arrow C stream, no pyarrow).
A state list with years but no days (COW ``system2016.csv``) cannot tell apart pairs that share a year
but no day: :class:`PanelWarning` says so unless a list of false dyads is given.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pactnet.errors import InputError

if TYPE_CHECKING:
    import polars as pl

    from pactnet.panel.build import Panel

__all__ = ["load_inputs", "build_dyad_years", "build_state_years", "PanelWarning"]


class PanelWarning(UserWarning):
    """A panel can be built but may differ from peacesciencer's (the command prints it on stderr)."""

_TABLES = {
    "atop": ("atop_dyad_years", "atop"),
    "atop_sy": ("atop_state_years", "atop"),
    "cow": ("cow_alliances_dyad_years", "cow-alliances"),
    "dcad": ("dcad_dyad_years", "dcad"),
    "contiguity": ("contiguity_contdir", "contiguity"),
    "rivalry": ("rivalries_td", "rivalries"),
    "nmc": ("nmc_capabilities", "nmc"),
}


def _from_file(name: str, path: str) -> pl.DataFrame:
    if name in ("atop", "atop_sy"):
        from pactnet.imports.atop import atop_dyad_years, atop_state_years, read_members

        members, _ = read_members(path)
        return atop_dyad_years(members) if name == "atop" else atop_state_years(members)
    from pactnet.imports import read_dataset

    dataset = _TABLES[name][1]
    imp = read_dataset(dataset, path)
    key = _TABLES[name][0][len(imp.dataset) + 1:]
    return imp.tables[key]


class _Lazy:
    """The store, opened on first use: one read-only connection for every table read, closed by :meth:`close`."""

    def __init__(self, db: Any) -> None:
        self.db, self._store, self._con, self._tables = db, None, None, None

    @property
    def store(self):
        if self._store is None:
            from pactnet.store import Store

            self._store = self.db if isinstance(self.db, Store) else Store(self.db)
        return self._store

    def has_table(self, name: str) -> bool:
        if self._tables is None:
            if not self.store.path.exists():
                self._tables = set()
            else:
                # A private read-only connection with DuckDB's default settings (as the store's own), closed after
                # use: it neither builds the knowledge base nor leaves the store's shared connection unbuilt.
                import duckdb

                self._con = duckdb.connect(str(self.store.path), read_only=True)
                self._tables = {r[0] for r in self._con.execute("SELECT table_name FROM information_schema.tables")
                                .fetchall()}
        return name in self._tables

    def table(self, name: str, hint: str) -> pl.DataFrame:
        import polars as pl

        if not self.has_table(name):
            raise InputError(f"{self.store.path}: no table {name!r}: run 'pactnet import {hint} PATH' first, "
                             f"or pass the file to the panel command")
        return pl.DataFrame(self._con.sql(f'SELECT * FROM "{name}"'))

    def close(self) -> None:
        if self._con is not None:
            self._con.close()
            self._con = None


#: Tables read from a store, per store file version (path, size, modification time): the verbs of one pipeline
#: (and later pipelines on the unchanged store) read each table once. Only the latest version is kept.
_CACHE: dict[tuple, dict[str, Any]] = {}


#: The store tables panels read: read together, over one connection, the first time a verb needs one.
PANEL_TABLES = ("cow_states", "gw_states", "gw_crosswalk", "atop_dyad_years", "atop_ddyr", "atop_members",
                "atop_state_years", "cow_alliances_dyad_years", "dcad_dyad_years", "contiguity_contdir",
                "rivalries_td", "nmc_capabilities", "majors_spells", "capitals_spells")


def store_table(db: Any, name: str, hint: str, verb: str) -> pl.DataFrame:
    """Table ``name`` of the store ``db``, read once per version of the store file (with the other
    :data:`PANEL_TABLES`, over one read-only connection); a clear error naming ``pactnet import <hint>`` when the
    store lacks it."""
    from pactnet.store import Store

    path = (db if isinstance(db, Store) else Store(db)).path
    try:
        st = path.stat()
        key = (str(path.resolve()), st.st_size, st.st_mtime_ns)
    except OSError:
        key = None
    cached = _CACHE.get(key) if key is not None else None
    if cached is None:
        lazy = _Lazy(db)
        try:
            lazy.has_table("-")
            cached = {"": lazy._tables or set()}
            for t in PANEL_TABLES:
                if t in cached[""]:
                    cached[t] = lazy.table(t, "")
        finally:
            lazy.close()
        _CACHE.clear()
        if key is not None:
            _CACHE[key] = cached
    if name not in cached[""]:
        raise InputError(f"{verb}(): {path} has no table {name!r}: import {hint} first ('pactnet import {hint} "
                         f"PATH'), or pass data= or path=")
    if name not in cached:
        lazy = _Lazy(db)
        try:
            cached[name] = lazy.table(name, hint)
        finally:
            lazy.close()
    return cached[name]


def store_has_table(db: Any, name: str) -> bool:
    try:
        store_table(db, "\0", "", "")
    except InputError:
        pass
    return any(name in v[""] for v in _CACHE.values())


def _whole_years(states: pl.DataFrame) -> bool:
    """Whether every spell runs from Jan 1 to Dec 31 (a state list with years but no days)."""
    import polars as pl

    return states.height > 0 and bool(states.select(
        ((pl.col("start").dt.month() == 1) & (pl.col("start").dt.day() == 1) & (pl.col("end").dt.month() == 12)
         & (pl.col("end").dt.day() == 31)).all()).item())


def _read_pairs(path: str) -> pl.DataFrame:
    """Dyad-years to leave out (``ccode1, ccode2, year`` or ``gwcode1, gwcode2, year``), every cell checked."""
    import polars as pl

    from pactnet.imports._io import Col, _parse_polars, find_file, read_csv_checked

    src = find_file(path, ["false_*dyads*.csv", "*.csv"], what="a list of false dyads (ccode1, ccode2, year)")
    head = _parse_polars(src.data, src.name).columns
    names = next((c for c in (("ccode1", "ccode2"), ("gwcode1", "gwcode2")) if set(c) <= set(head)), None)
    if names is None or "year" not in head:
        raise InputError(f"{src.name}: a list of false dyads needs columns ccode1, ccode2, year "
                         f"(or gwcode1, gwcode2, year); found {', '.join(head) or 'no header'}")
    df = read_csv_checked(src, [Col(names[0], nullable=False), Col(names[1], nullable=False),
                                Col("year", nullable=False)], header="ordered")
    return df.select(pl.col(names[0]).cast(pl.Int32).alias("ccode1"), pl.col(names[1]).cast(pl.Int32).alias("ccode2"),
                     pl.col("year").cast(pl.Int32))


def load_inputs(
    attributes: tuple[str, ...], *, system: str = "cow", db: Any = None, paths: dict[str, str] | None = None,
    kb: pl.DataFrame | None = None, state_year: bool = False,
) -> dict[str, Any]:
    """Collect the frames a panel needs: ``states`` plus one per attribute (and ``crosswalk`` for G-W)."""
    from pactnet.panel.build import ATTRIBUTES

    paths = {k: v for k, v in (paths or {}).items() if v is not None and not (isinstance(v, str) and not v)}
    unknown = [a for a in attributes if a not in ATTRIBUTES]
    if unknown:
        raise InputError(f"unknown attribute {unknown[0]!r}; expected some of {', '.join(ATTRIBUTES)}",
                         param="attributes")
    if system not in ("cow", "gw"):
        raise InputError(f"expected 'cow' or 'gw', got {system!r}", param="system")
    lazy = _Lazy(db)
    if "kb" in attributes and kb is None:
        # Refresh the knowledge base before any connection is open: a rebuild replaces the file.
        lazy.store.ensure_built()
    try:
        return _load(lazy, attributes, system, paths, kb, state_year)
    finally:
        lazy.close()


def _load(lazy: _Lazy, attributes: tuple[str, ...], system: str, paths: dict[str, str], kb: pl.DataFrame | None,
          state_year: bool) -> dict[str, Any]:
    import warnings

    out: dict[str, Any] = {}
    if "states" in paths:
        from pactnet.imports.states import read_cow, read_gw

        imp = (read_cow if system == "cow" else read_gw)(paths["states"])
        out["states"] = imp.tables["states"]
        whole_years = imp.meta.get("date_level") == "year"
        files = ", ".join(imp.meta.get("files") or [])
        where = str(paths["states"]) if not files or str(paths["states"]).endswith(files) \
            else f"{paths['states']} ({files})"
    else:
        out["states"] = store_table(lazy.db, f"{system}_states", f"{system}-states", "create_dyad_years")
        whole_years = _whole_years(out["states"])
        where = f"{lazy.store.path}: table {system}_states"
    if not state_year:
        if "false_dyads" in paths:
            fd = paths["false_dyads"]
            out["exclude"] = fd if hasattr(fd, "columns") else _read_pairs(fd)
        elif whole_years:
            example = "false_cow_dyads.csv" if system == "cow" else "false_gw_dyads.csv"
            dated = "state_systems/cow_states.csv" if system == "cow" else "gw_states.csv"
            warnings.warn(
                f"{where} has years but no entry/exit days, so pairs alive in the same year but never on the same "
                f"day (peacesciencer's false dyads) stay in the panel; use a state list with dates (COW "
                f"states2016.csv-style styear, stmonth, stday, endyear, endmonth, endday, or {dated}) or give the "
                f"false dyads ({example})", PanelWarning, stacklevel=3)
    for a in attributes:
        if a == "kb":
            continue
        name = "atop_sy" if (a == "atop" and state_year) else a
        if state_year and a not in ("atop", "nmc"):
            raise InputError(f"{a}: state-year panels take atop, nmc and kb", param="attributes")
        out[a] = _from_file(name, paths[a]) if a in paths else lazy.table(*_TABLES[name])
    if system == "gw" and attributes:
        if "crosswalk" in paths:
            from pactnet.imports._io import find_file
            from pactnet.imports.states import read_crosswalk

            out["crosswalk"] = read_crosswalk(find_file(paths["crosswalk"], ["*.csv"], what="crosswalk"))
        elif lazy.has_table("gw_crosswalk"):
            out["crosswalk"] = lazy.table("gw_crosswalk", "gw-states")
        else:
            from pactnet.imports.states import cow_gw_crosswalk

            out["crosswalk"] = cow_gw_crosswalk(lazy.table("cow_states", "cow-states"), out["states"])
    if "kb" in attributes:
        if kb is None:
            from pactnet.panel._kb import kb_ties

            kb = kb_ties("record", db=lazy.store)
        out["kb"] = kb
    return out


def _build(create, *, system: str, attributes: tuple[str, ...], db: Any, paths: dict[str, Any] | None,
           kb: pl.DataFrame | None, **create_kw: Any) -> Panel:
    """``create(...)`` then one verb per attribute, in the order given (files in ``paths`` first, else the store)."""
    from pactnet.panel.build import ATTRIBUTES, verbs

    paths = {k: v for k, v in (paths or {}).items() if v is not None and not (isinstance(v, str) and not v)}
    unknown = [a for a in attributes if a not in ATTRIBUTES]
    if unknown:
        raise InputError(f"attributes: unknown attribute {unknown[0]!r}; expected some of {', '.join(ATTRIBUTES)}")
    if system not in ("cow", "gw"):
        raise InputError(f"system: expected 'cow' or 'gw', got {system!r}")
    p = create(system=system, states=paths.get("states"), db=db, **create_kw)
    if system == "gw" and attributes and "crosswalk" in paths:
        from pactnet.imports._io import find_file
        from pactnet.imports.states import read_crosswalk

        p = p.replace(crosswalk=read_crosswalk(find_file(paths["crosswalk"], ["*.csv"], what="crosswalk")))
    table = verbs()
    for a in attributes:
        if a == "kb":
            p = table[a](p, data=kb) if kb is not None else table[a](p)
        else:
            p = table[a](p, path=paths[a]) if a in paths else table[a](p)
    return p


def build_dyad_years(
    *, system: str = "cow", directed: bool = True, start: int = 1816, end: int | None = None,
    carry_forward: bool = False, attributes: tuple[str, ...] = (), db: Any = None, paths: dict[str, Any] | None = None,
    kb: pl.DataFrame | None = None,
) -> Panel:
    """:func:`~pactnet.panel.create_dyad_years` then the verb of each of ``attributes`` in that order (the CLI's
    ``--with``); ``paths`` maps ``states``, ``false_dyads``, ``crosswalk`` or an attribute to a file."""
    from pactnet.panel.verbs import create_dyad_years

    exclude = (paths or {}).get("false_dyads") or None
    return _build(create_dyad_years, system=system, attributes=attributes, db=db, paths=paths, kb=kb,
                  directed=directed, start=start, end=end, exclude=exclude, carry_forward=carry_forward)


def build_state_years(
    *, system: str = "cow", start: int = 1816, end: int | None = None, carry_forward: bool = False,
    attributes: tuple[str, ...] = (), db: Any = None, paths: dict[str, Any] | None = None,
    kb: pl.DataFrame | None = None,
) -> Panel:
    """:func:`~pactnet.panel.create_state_years` then the verb of each of ``attributes`` in that order."""
    from pactnet.panel.verbs import create_state_years

    return _build(create_state_years, system=system, attributes=attributes, db=db, paths=paths, kb=kb,
                  start=start, end=end, carry_forward=carry_forward)
