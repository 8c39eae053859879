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
                self._con = self.store.connect(build=False)
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


def _whole_years(states: pl.DataFrame) -> bool:
    """Whether every spell runs from Jan 1 to Dec 31 (a state list with years but no days)."""
    import polars as pl

    return states.height > 0 and bool(states.select(
        ((pl.col("start").dt.month() == 1) & (pl.col("start").dt.day() == 1) & (pl.col("end").dt.month() == 12)
         & (pl.col("end").dt.day() == 31)).all()).item())


def _read_pairs(path: str) -> pl.DataFrame:
    import polars as pl

    from pactnet.imports._io import find_file

    src = find_file(path, ["false_*dyads*.csv", "*.csv"], what="a list of false dyads (ccode1, ccode2, year)")
    df = pl.read_csv(src.data)
    names = next((c for c in (("ccode1", "ccode2"), ("gwcode1", "gwcode2")) if set(c) <= set(df.columns)), None)
    if names is None or "year" not in df.columns:
        raise InputError(f"{src.name}: a list of false dyads needs columns ccode1, ccode2, year "
                         f"(or gwcode1, gwcode2, year); found {', '.join(df.columns)}")
    return df.select(pl.col(names[0]).cast(pl.Int32).alias("ccode1"), pl.col(names[1]).cast(pl.Int32).alias("ccode2"),
                     pl.col("year").cast(pl.Int32))


def load_inputs(
    attributes: tuple[str, ...], *, system: str = "cow", db: Any = None, paths: dict[str, str] | None = None,
    kb: pl.DataFrame | None = None, state_year: bool = False,
) -> dict[str, Any]:
    """Collect the frames a panel needs: ``states`` plus one per attribute (and ``crosswalk`` for G-W)."""
    from pactnet.panel.build import ATTRIBUTES

    paths = {k: v for k, v in (paths or {}).items() if v}
    unknown = [a for a in attributes if a not in ATTRIBUTES]
    if unknown:
        raise InputError(f"--with: unknown attribute {unknown[0]!r}; expected some of {', '.join(ATTRIBUTES)}")
    if system not in ("cow", "gw"):
        raise InputError(f"--system: expected 'cow' or 'gw', got {system!r}")
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
        out["states"] = lazy.table(f"{system}_states", f"{system}-states")
        whole_years = _whole_years(out["states"])
        where = f"{lazy.store.path}: table {system}_states"
    if not state_year:
        if "false_dyads" in paths:
            out["exclude"] = _read_pairs(paths["false_dyads"])
        elif whole_years:
            example = "false_cow_dyads.csv" if system == "cow" else "false_gw_dyads.csv"
            dated = "state_systems/cow_states.csv" if system == "cow" else "gw_states.csv"
            warnings.warn(
                f"{where} has years but no entry/exit days, so pairs alive in the same year but never on the same "
                f"day (peacesciencer's false dyads) stay in the panel; use a state list with dates (COW "
                f"states2016.csv-style styear, stmonth, stday, endyear, endmonth, endday, or {dated}) or pass "
                f"--false-dyads {example}", PanelWarning, stacklevel=3)
    for a in attributes:
        if a == "kb":
            continue
        name = "atop_sy" if (a == "atop" and state_year) else a
        if state_year and a not in ("atop", "nmc"):
            raise InputError(f"--with {a}: state-year panels take atop, nmc and kb")
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
            kb = _kb_ties(lazy.store)
        out["kb"] = kb
    return out


def _kb_ties(store: Any) -> pl.DataFrame:
    """Every knowledge-base tie (record view, derived ``via`` ties included) with ``start_lo`` (first day) and
    ``end_hi`` (last day it holds; null while open), the shape :func:`pactnet.panel.build.dyad_years` reads."""
    import polars as pl

    from pactnet.network import ties

    frame = ties(view="record", db=store)
    last_day = (pl.when(pl.col("end_precision") == "day").then(pl.col("end") - pl.duration(days=1))
                .when(pl.col("end_precision") == "month").then(pl.col("end").dt.month_end())
                .otherwise(pl.date(pl.col("end").dt.year(), 12, 31)))
    return frame.with_columns(pl.col("start").alias("start_lo"),
                              pl.when(pl.col("end").is_null()).then(None).otherwise(last_day).alias("end_hi"))


def build_dyad_years(
    *, system: str = "cow", directed: bool = True, start: int = 1816, end: int | None = None,
    attributes: tuple[str, ...] = (), db: Any = None, paths: dict[str, str] | None = None,
    kb: pl.DataFrame | None = None,
) -> Panel:
    """Load the inputs (files in ``paths`` first, else the store ``db``) and build the dyad-year panel."""
    from pactnet.panel.build import dyad_years

    inp = load_inputs(attributes, system=system, db=db, paths=paths, kb=kb)
    states = inp.pop("states")
    return dyad_years(states, start=start, end=end, directed=directed, system=system, **inp)


def build_state_years(
    *, system: str = "cow", start: int = 1816, end: int | None = None, attributes: tuple[str, ...] = (),
    db: Any = None, paths: dict[str, str] | None = None, kb: pl.DataFrame | None = None,
) -> Panel:
    """Load the inputs and build the state-year panel."""
    from pactnet.panel.build import state_years

    inp = load_inputs(attributes, system=system, db=db, paths=paths, kb=kb, state_year=True)
    states = inp.pop("states")
    return state_years(states, start=start, end=end, system=system, **inp)
