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
=============  ======================  ==========================================
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pactnet.errors import InputError

if TYPE_CHECKING:
    import polars as pl

    from pactnet.panel.build import Panel

__all__ = ["load_inputs", "build_dyad_years", "build_state_years"]

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
    def __init__(self, db: Any) -> None:
        self.db, self._store = db, None

    @property
    def store(self):
        if self._store is None:
            from pactnet.store import Store

            self._store = self.db if isinstance(self.db, Store) else Store(self.db)
        return self._store

    def table(self, name: str, hint: str) -> pl.DataFrame:
        if not self.store.has_table(name):
            raise InputError(f"{self.store.path}: no table {name!r}: run 'pactnet import {hint} PATH' first, "
                             f"or pass the file to the panel command")
        return self.store.table(name)


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
    out: dict[str, Any] = {}
    if "states" in paths:
        from pactnet.imports.states import read_cow, read_gw

        out["states"] = (read_cow if system == "cow" else read_gw)(paths["states"]).tables["states"]
    else:
        out["states"] = lazy.table(f"{system}_states", f"{system}-states")
    for a in attributes:
        if a == "kb":
            if kb is not None:
                out["kb"] = kb
            else:
                from pactnet.network import tie_table

                out["kb"] = tie_table("record", db=lazy.store)
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
        elif lazy.store.has_table("gw_crosswalk"):
            out["crosswalk"] = lazy.store.table("gw_crosswalk")
        else:
            from pactnet.imports.states import cow_gw_crosswalk

            out["crosswalk"] = cow_gw_crosswalk(lazy.table("cow_states", "cow-states"), out["states"])
    return out


def build_dyad_years(
    *, system: str = "cow", directed: bool = True, start: int = 1816, end: int | None = None,
    attributes: tuple[str, ...] = (), db: Any = None, paths: dict[str, str] | None = None, kb: pl.DataFrame | None = None,
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
