"""The field's data that propensities are built from: ATOP, rivalries, contiguity, capitals, capabilities.

:class:`FieldData` holds polars frames in the layouts of pactnet's importers (``pactnet import atop |
rivalries | contiguity | nmc``), read either from the store (:func:`field_data_from_store`) or straight
from the release files (:func:`read_field_data`). Capital coordinates have no importer yet:
:func:`read_capitals` reads a ``ccode,capital,stdate,enddate,lat,lng`` CSV (COW capitals as shipped
with peacesciencer). The knowledge base is read through :func:`kb_ties`, the one adapter to
:mod:`pactnet.network`.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pactnet.errors import InputError

if TYPE_CHECKING:
    import polars as pl

__all__ = [
    "FieldData",
    "read_field_data",
    "field_data_from_store",
    "load_field_data",
    "read_capitals",
    "kb_ties",
    "parse_at",
    "resolve_actors",
    "COVERAGE_END",
]

#: Last day each dataset codes. Beyond it, what was in force at its end is taken to continue (and the
#: provenance says so): ATOP 5.1 codes alliances to 2018, COW contiguity to 2016, Thompson & Dreyer
#: rivalries to 2010.
COVERAGE_END = {"atop": dt.date(2018, 12, 31), "contiguity": dt.date(2016, 12, 1),
                "rivalries": dt.date(2010, 12, 31)}

_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


def parse_at(at: str | int | dt.date) -> dt.date:
    """A date from ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` (a year means its last day, a month its last)."""
    if isinstance(at, dt.date):
        return at
    m = _DATE.match(str(at).strip())
    if not m:
        raise InputError(f"at: {at!r} is not an ISO date (YYYY, YYYY-MM or YYYY-MM-DD)")
    y = int(m.group(1))
    mo = int(m.group(2) or 12)
    if not 1 <= mo <= 12:
        raise InputError(f"at: {at!r} has month {mo} (expected 01-12)")
    last = calendar.monthrange(y, mo)[1]
    d = int(m.group(3) or last)
    if not 1 <= d <= last:
        raise InputError(f"at: {at!r} has day {d} (expected 01-{last})")
    return dt.date(y, mo, d)


@dataclass(frozen=True, eq=False)
class FieldData:
    """Frames the propensity components read; any may be ``None`` (its components are then 0).

    Attributes
    ----------
    atop : polars.DataFrame
        ATOP member-level rows: ``atopid, phase, member, entry, exit, yrexit, defense, offense,
        neutral, nonagg, consul`` (``pactnet.imports.atop.read_members``; store table ``atop_members``).
    rivalries : polars.DataFrame
        Thompson & Dreyer strategic rivalries: ``ccode1, ccode2, styear, endyear, rivalryname``.
    contiguity : polars.DataFrame
        COW direct contiguity: ``ccode1, ccode2, conttype, start, end``.
    capabilities : polars.DataFrame
        COW NMC: ``ccode, year, cinc``.
    capitals : polars.DataFrame
        ``ccode, capital, stdate, enddate, lat, lng`` (:func:`read_capitals`).
    sources : dict
        What each frame was read from (carried into provenance).
    """

    atop: pl.DataFrame | None = None
    rivalries: pl.DataFrame | None = None
    contiguity: pl.DataFrame | None = None
    capabilities: pl.DataFrame | None = None
    capitals: pl.DataFrame | None = None
    sources: Mapping[str, str] | None = None


def read_capitals(path: str | Path) -> pl.DataFrame:
    """Capitals with coordinates from a CSV ``ccode,capital,stdate,enddate,lat,lng`` (dates ISO 8601).

    A stop-gap until pactnet imports capitals: errors name the file, line and column.
    """
    import polars as pl

    path = Path(path)
    if not path.exists():
        raise InputError(f"{path}: no such file")
    want = ["ccode", "capital", "stdate", "enddate", "lat", "lng"]
    df = pl.read_csv(path, infer_schema_length=0)
    missing = [c for c in want if c not in df.columns]
    if missing:
        raise InputError(f"{path}: expected columns {','.join(want)}; missing {', '.join(missing)}")
    out = df.select(
        pl.col("ccode").cast(pl.Int32, strict=False), "capital",
        pl.col("stdate").str.to_date(strict=False), pl.col("enddate").str.to_date(strict=False),
        pl.col("lat").cast(pl.Float64, strict=False), pl.col("lng").cast(pl.Float64, strict=False),
    )
    for col, expected in (("ccode", "a COW code"), ("stdate", "a date YYYY-MM-DD"),
                          ("enddate", "a date YYYY-MM-DD"), ("lat", "a latitude"), ("lng", "a longitude")):
        bad = out[col].is_null() | (df[col].is_null() if col in df.columns else False)
        if bad.any():
            row = int(bad.arg_true()[0])
            raise InputError(f"{path}:{row + 2}: column {col} is {df[col][row]!r} (expected {expected})")
    if ((out["lat"].abs() > 90) | (out["lng"].abs() > 180)).any():
        row = int(((out["lat"].abs() > 90) | (out["lng"].abs() > 180)).arg_true()[0])
        raise InputError(f"{path}:{row + 2}: coordinates {out['lat'][row]}, {out['lng'][row]} out of range")
    return out


def read_field_data(*, atop: str | Path | None = None, rivalries: str | Path | None = None,
                    contiguity: str | Path | None = None, capabilities: str | Path | None = None,
                    capitals: str | Path | None = None) -> FieldData:
    """Read the release files with pactnet's importers (checked as on import), without a store.

    Each argument is a file, folder or zip the matching importer accepts (``atop5_1m.csv``,
    ``td_rivalries.csv``, ``contdir.csv`` / ``cow_contdir.csv``, an NMC CSV) or, for ``capitals``, a CSV
    for :func:`read_capitals`.
    """
    from pactnet.imports import read_dataset

    sources: dict[str, str] = {}
    frames: dict[str, Any] = {}
    if atop is not None:
        from pactnet.imports.atop import read_members

        frames["atop"], sources["atop"] = read_members(atop)
    for key, name, table, path in (("rivalries", "rivalries", "td", rivalries),
                                   ("contiguity", "contiguity", "contdir", contiguity),
                                   ("capabilities", "nmc", "capabilities", capabilities)):
        if path is not None:
            imp = read_dataset(name, path)
            frames[key] = imp.tables[table]
            sources[key] = ", ".join(imp.meta.get("files", [])) or str(path)
    if capitals is not None:
        frames["capitals"] = read_capitals(capitals)
        sources["capitals"] = Path(capitals).name
    return FieldData(**frames, sources=sources)


#: Store tables written by ``pactnet import <dataset>``, by FieldData attribute.
STORE_TABLES = {"atop": "atop_members", "rivalries": "rivalries_td", "contiguity": "contiguity_contdir",
                "capabilities": "nmc_capabilities"}


def field_data_from_store(db: Any = None, *, capitals: str | Path | None = None) -> FieldData:
    """The imported datasets found in the store (missing ones are ``None``), plus a capitals CSV."""
    from pactnet.store import Store

    store = db if isinstance(db, Store) else Store(db)
    frames: dict[str, Any] = {}
    sources: dict[str, str] = {}
    for key, table in STORE_TABLES.items():
        if store.has_table(table):
            frames[key] = store.table(table)
            sources[key] = f"store table {table}"
    if capitals is not None:
        frames["capitals"] = read_capitals(capitals)
        sources["capitals"] = Path(capitals).name
    return FieldData(**frames, sources=sources)


def load_field_data(db: Any = None, *, atop: str | Path | None = None, rivalries: str | Path | None = None,
                    contiguity: str | Path | None = None, capabilities: str | Path | None = None,
                    capitals: str | Path | None = None, use_store: bool = True) -> FieldData:
    """Files where given (:func:`read_field_data`), the store's imported tables for the rest."""
    files = read_field_data(atop=atop, rivalries=rivalries, contiguity=contiguity, capabilities=capabilities,
                            capitals=capitals)
    if not use_store:
        return files
    stored = field_data_from_store(db)
    frames = {k: getattr(files, k) if getattr(files, k) is not None else getattr(stored, k)
              for k in ("atop", "rivalries", "contiguity", "capabilities", "capitals")}
    sources = {**dict(stored.sources or {}), **dict(files.sources or {})}
    return FieldData(**frames, sources=sources)


def kb_ties(at: dt.date | str, *, view: str = "record", db: Any = None) -> list[dict[str, Any]]:
    """Knowledge-base ties active on ``at`` (state-to-state ties through alliances included).

    The one place the landscape package reads the knowledge base's ties: each row has ``id``,
    ``source``, ``target`` and ``level``. A partial date (``"2022"``) means its period's last day, as in
    :func:`pactnet.network.ties`.
    """
    from pactnet import network

    return network.ties(at, view=view, db=db).select("id", "source", "target", "level").to_dicts()


def resolve_actors(actors: Sequence[str | int]) -> tuple[list[str], list[int]]:
    """Actor ids and COW codes from ids (ISO3 as in the knowledge base, ``GFR``, ``DDR``), ``COW<code>``
    or bare COW codes; the ids returned are the knowledge base's (``COW<code>`` for states without one).
    """
    from pactnet.imports._codes import COW_ABB, actor_id

    by_id = {actor_id(c): c for c in COW_ABB}
    labels: list[str] = []
    codes: list[int] = []
    for raw in actors:
        x = str(raw).strip()
        up = x.upper()
        if up in by_id:
            code = by_id[up]
        elif up.startswith("COW") and up[3:].isdigit() and int(up[3:]) in COW_ABB:
            code = int(up[3:])
        elif up.isdigit() and int(up) in COW_ABB:
            code = int(up)
        else:
            raise InputError(f"actors: unknown actor {x!r} (expected a state id such as USA or GFR, "
                             "COW<code> such as COW315, or a COW code)")
        lab = actor_id(code)
        if lab in labels:
            raise InputError(f"actors: {x!r} is listed twice (as {lab})")
        labels.append(lab)
        codes.append(code)
    if len(labels) < 2:
        raise InputError("actors: give at least two actors")
    return labels, codes
