"""Panel verbs, one step each, as peacesciencer's pipe: ``create_dyad_years() -> add_atop() -> add_nmc() ...``.

Every verb takes a :class:`~pactnet.panel.frame.Panel` and returns a new one with its columns added. Its data
come from ``data=`` (a polars frame in the importer's layout), ``path=`` (the official file, folder or zip,
read by the importer) or, by default, the store the panel was created on (``pactnet import ...`` first).
Each verb checks the panel's unit and system and keeps its columns missing (null) outside its dataset's
coverage (the constants next to each importer); inside the coverage, "nothing recorded" is 0 for indicators.
Attribute rows that find no panel row are kept in ``Panel.dropped[name]`` with a ``reason``.
"""

from __future__ import annotations

import warnings
from typing import TYPE_CHECKING, Any

from pactnet.imports import atop as _atop
from pactnet.imports import capitals as _capitals
from pactnet.imports import covariates as _cov
from pactnet.imports import cow_alliances as _cowa
from pactnet.imports import dcad as _dcad
from pactnet.panel._place import (
    _need,
    _place_dyadic,
    _place_state,
    _positions,
    _read,
    _side_rows,
    _state_year_lookup,
    _store_table,
    _to_gw,
    _with_reason,
)
from pactnet.panel.create import create_dyad_years, create_state_years
from pactnet.panel.frame import Panel
from pactnet.panel.sources import PanelWarning

if TYPE_CHECKING:
    from pathlib import Path

    import polars as pl

__all__ = [
    "create_dyad_years", "create_state_years", "add_atop", "add_cow_alliances", "add_dcad", "add_kb", "add_nmc",
    "add_contiguity", "add_capital_distance", "add_major_powers", "add_rivalries", "COVERAGE", "LADDER",
]

#: Years each dataset covers (inclusive), from its importer; outside them the verb's columns are null.
COVERAGE: dict[str, tuple[int, int] | None] = {
    "atop": (_atop.FIRST_YEAR, _atop.LAST_YEAR),
    "cow": (_cowa.FIRST_YEAR, _cowa.LAST_YEAR),
    "dcad": (_dcad.FIRST_YEAR, _dcad.LAST_YEAR),
    "contiguity": _cov.CONTIGUITY_COVERAGE,
    "rivalry": _cov.RIVALRY_COVERAGE,
    "nmc": _cov.NMC_COVERAGE,
    "capitals": (_capitals.FIRST_YEAR, _capitals.LAST_YEAR),
    "majors": None,  # majors alive at the data's end are carried on, as states are
    "kb": None,
}
#: The commitment ladder from lowest to highest: the categories of the ordered ``kb_level`` column.
LADDER = ("hostile", "transactional", "ad_hoc", "structured", "assurance", "guarantee")
_LEVEL_OF_RANK = {5: "guarantee", 4: "assurance", 3: "structured", 2: "ad_hoc", 1: "transactional", -1: "hostile"}
_ATOP = tuple(f"atop_{o}" for o in _atop.OBLIGATIONS)
_COW = ("cow_defense", "cow_neutral", "cow_nonagg", "cow_entente")
_NMC = _cov.NMC_COMPONENTS
#: Earth radius of the great-circle distance, metres (geosphere's ``distVincentySphere`` default, as
#: peacesciencer's ``add_capital_distance``).
EARTH_RADIUS_KM = 6378.137


# -- the verbs ---------------------------------------------------------------------------------------------
def add_atop(panel: Panel, *, data: pl.DataFrame | None = None, path: str | Path | None = None) -> Panel:
    """ATOP 5.1 obligations (Leeds et al. 2002): ``atop_defense, atop_offense, atop_neutral, atop_nonagg,
    atop_consul`` (``ccode1`` owes ``ccode2``), 0 inside 1815-2018 without an alliance, null outside.

    Dyad-years come from ATOP's own directed dyad-year file when the imported release holds it (store table
    ``atop_ddyr``, or ``atop5_1ddyr.csv`` in ``path``): every cell then equals ATOP's coding. Otherwise they are
    derived from the member file, and a :class:`PanelWarning` names the asymmetric alliances whose cells may
    differ. Undirected panels take the maximum of both directions (peacesciencer's ``ndir = TRUE``).
    State-year panels get ``atop_alliance, atop_defense .. atop_consul, atop_number`` (``atop5_1sy``).
    """
    _need(panel, "add_atop")
    if panel.kind == "state_year":
        sy = _read(panel, "add_atop", data, path, "atop_state_years", "atop",
                   reader=lambda x: _atop.atop_state_years(_atop.read_members(x)[0]))
        a = sy.select(
            "year", _col_as(sy, ("state", "ccode"), "ccode"),
            *[_col_as(sy, (c,), f"atop_{c}", int8=True) for c in ("atopally", *_atop.OBLIGATIONS)],
            _col_as(sy, ("number",), "atop_number"),
        ).rename({"atop_atopally": "atop_alliance"})
        return _place_state(panel, "atop", a, [c for c in a.columns if c.startswith("atop_")], zero=True,
                            cov=COVERAGE["atop"])
    members = None
    if data is not None or path is not None:
        df = data if data is not None else None
        if df is None:
            df, members = _atop.read_dyad_years(path)
        if members is not None:
            _warn_derived(members)
    else:
        from pactnet.panel.sources import store_has_table

        if store_has_table(panel.db, "atop_ddyr"):
            df = _store_table(panel, "atop_ddyr", "atop", "add_atop")
        else:
            df = _store_table(panel, "atop_dyad_years", "atop", "add_atop")
            _warn_derived(_store_table(panel, "atop_members", "atop", "add_atop")
                          if store_has_table(panel.db, "atop_members") else None)
    return _place_dyadic(panel, "atop", df.select("ccode1", "ccode2", "year", *_ATOP), list(_ATOP),
                         cov=COVERAGE["atop"])


def _col_as(df: pl.DataFrame, names: tuple[str, ...], alias: str, int8: bool = False) -> pl.Expr:
    import polars as pl

    name = next((n for n in names if n in df.columns), names[0])
    e = pl.col(name)
    return (e.cast(pl.Int8) if int8 else e).alias(alias)


def _warn_derived(members: pl.DataFrame | None) -> None:
    ids = _atop.asymmetric_alliances(members) if members is not None else []
    which = (f"{len(ids)} alliances ATOP codes as asymmetric with obligations that differ between members "
             f"(ATOPIDs {', '.join(map(str, ids))})") if ids else "alliances ATOP codes as asymmetric (asymm = 1)"
    warnings.warn(
        "add_atop(): ATOP's directed dyad-year file (atop5_1ddyr.csv) is not imported, so the obligations are "
        f"derived from the member file; in {which} a cell may differ from ATOP's own coding (in ATOP 5.1, 421 "
        "cells do; see docs/datasets.md). Import the release zip that holds atop5_1ddyr.csv for exact cells.",
        PanelWarning, stacklevel=3)


def add_cow_alliances(panel: Panel, *, data: pl.DataFrame | None = None, path: str | Path | None = None) -> Panel:
    """COW Formal Alliances v4.1: ``cow_defense, cow_neutral, cow_nonagg, cow_entente`` (1816-2012)."""
    _need(panel, "add_cow_alliances", "dyad_year")
    df = _read(panel, "add_cow_alliances", data, path, "cow_alliances_dyad_years", "cow-alliances")
    return _place_dyadic(panel, "cow", df.select("ccode1", "ccode2", "year", *_COW), list(_COW), cov=COVERAGE["cow"])


def add_dcad(panel: Panel, *, data: pl.DataFrame | None = None, path: str | Path | None = None) -> Panel:
    """DCAD v1.0 defence cooperation agreements (Kinne 2020): ``dcad_general_v1 .. dcad_any_v2`` (1980-2010)."""
    _need(panel, "add_dcad", "dyad_year")
    df = _read(panel, "add_dcad", data, path, "dcad_dyad_years", "dcad")
    vals = [c for c in df.columns if c.startswith("dcad_")]
    return _place_dyadic(panel, "dcad", df.select("ccode1", "ccode2", "year", *vals), vals, cov=COVERAGE["dcad"])


def add_contiguity(panel: Panel, *, data: pl.DataFrame | None = None, path: str | Path | None = None) -> Panel:
    """COW Direct Contiguity v3.2: ``conttype`` (1 land, 2-5 separated by <= 12, 24, 150, 400 miles of water;
    0 not contiguous), the closest type recorded in the year; null outside 1816-2016."""
    import polars as pl

    from pactnet.panel.build import _expand_spans

    _need(panel, "add_contiguity", "dyad_year")
    ct = _read(panel, "add_contiguity", data, path, "contiguity_contdir", "contiguity")
    if "start" in ct.columns:
        ct = ct.with_columns(pl.col("start").dt.year().alias("y0"), pl.col("end").dt.year().alias("y1"))
    ex = _expand_spans(ct, "y0", "y1", ["conttype"]).group_by("ccode1", "ccode2", "year").agg(
        pl.col("conttype").replace(0, 9).min().replace(9, 0).cast(pl.Int8))
    return _place_dyadic(panel, "contiguity", ex, ["conttype"], agg="min", cov=COVERAGE["contiguity"])


def add_rivalries(panel: Panel, *, data: pl.DataFrame | None = None, path: str | Path | None = None) -> Panel:
    """Thompson & Dreyer (2011) strategic rivalries: ``td_rival`` (1 in a rivalry year; null outside 1494-2010)."""
    import polars as pl

    from pactnet.panel.build import _expand_spans

    _need(panel, "add_rivalries", "dyad_year")
    riv = _read(panel, "add_rivalries", data, path, "rivalries_td", "rivalries")
    rv = _expand_spans(riv, "styear", "endyear", ["rivalryno"])
    rv = pl.concat([rv, rv.select(pl.col("ccode2").alias("ccode1"), pl.col("ccode1").alias("ccode2"), "rivalryno",
                                  "year")])
    rv = rv.group_by("ccode1", "ccode2", "year").agg(pl.lit(1, dtype=pl.Int8).alias("td_rival"))
    return _place_dyadic(panel, "rivalry", rv, ["td_rival"], cov=COVERAGE["rivalry"])


def add_nmc(panel: Panel, *, data: pl.DataFrame | None = None, path: str | Path | None = None) -> Panel:
    """COW National Material Capabilities v7.0: ``milex, milper, irst, pec, tpop, upop, cinc`` for each side
    (``milex1 .. cinc1, milex2 .. cinc2``; state-year panels: without suffix); null where NMC has no value
    (outside 1816-2022 or missing in the data)."""
    _need(panel, "add_nmc")
    nmc = _read(panel, "add_nmc", data, path, "nmc_capabilities", "nmc")
    vals = tuple(v for v in _NMC if v in nmc.columns)
    if panel.kind == "state_year":
        return _place_state(panel, "nmc", nmc.select("ccode", "year", *vals), list(vals), zero=False,
                            cov=COVERAGE["nmc"])
    return _state_year_lookup(panel, nmc, vals, ("1", "2"), "nmc")


def _spell_years(spells: pl.DataFrame, first: int, last: int, carry_to: int | None) -> pl.DataFrame:
    """``ccode, year`` of every year a spell (``ccode, start, end`` dates) touches; spells reaching the data's last
    day are carried on to ``carry_to``."""
    import polars as pl

    data_end = spells["end"].max()
    y1 = pl.col("end").dt.year()
    if carry_to is not None:
        y1 = pl.when(pl.col("end") == data_end).then(pl.max_horizontal(y1, pl.lit(carry_to))).otherwise(y1)
    return spells.select(pl.col("ccode").cast(pl.Int32), pl.int_ranges(
        pl.col("start").dt.year().clip(first, None), y1.clip(None, last) + 1, dtype=pl.Int32).alias("year")
    ).explode("year").drop_nulls("year").unique(maintain_order=True)


def add_major_powers(panel: Panel, *, data: pl.DataFrame | None = None, path: str | Path | None = None) -> Panel:
    """COW major powers: ``cowmaj1, cowmaj2`` (``cowmaj`` for state-years), 1 in a year of major-power status
    (any day), else 0. Majors at the data's end (2016) are carried on to the panel's end, as states are."""
    import polars as pl

    _need(panel, "add_major_powers")
    sp = _read(panel, "add_major_powers", data, path, "majors_spells", "majors")
    years = _spell_years(sp, panel.start, panel.end, panel.end).with_columns(pl.lit(1, dtype=pl.Int8).alias("cowmaj"))
    if panel.kind == "state_year":
        return _place_state(panel, "majors", years, ["cowmaj"], zero=True, cov=None)
    import numpy as np

    sy, rows = _side_rows(panel, years, "majors")
    table = np.append(np.ones(sy.height, dtype=np.int8), np.int8(0))
    return panel._with_columns(panel.frame.with_columns(pl.Series(f"cowmaj{i}", table[r]) for i, r in
                                                        ((1, rows[0]), (2, rows[1]))))


def add_capital_distance(panel: Panel, *, data: pl.DataFrame | None = None, path: str | Path | None = None
                         ) -> Panel:
    """Great-circle distance between the two states' capitals, km: ``capdist`` (Float64), on a sphere of radius
    6378.137 km (peacesciencer's ``add_capital_distance``: geosphere's ``distVincentySphere``). A state that moved
    its capital in a year counts the one it had on 1 January; null where a capital is unknown (outside
    1816-2024 or a state the capitals table lacks)."""
    import numpy as np
    import polars as pl

    _need(panel, "add_capital_distance", "dyad_year")
    caps = _read(panel, "add_capital_distance", data, path, "capitals_spells", "capitals")
    caps = caps.sort("ccode", "start").with_row_index("cap")
    lo, hi = COVERAGE["capitals"]
    cy = caps.select("cap", "ccode", pl.int_ranges(pl.col("start").dt.year().clip(max(lo, panel.start), None),
                                                   pl.col("end").dt.year().clip(None, min(hi, panel.end)) + 1,
                                                   dtype=pl.Int32).alias("year")).explode("year").drop_nulls("year")
    cy = cy.unique(["ccode", "year"], keep="first", maintain_order=True)  # the Jan 1 capital: the earlier spell
    lat, lng = np.radians(caps["lat"].to_numpy()), np.radians(caps["lng"].to_numpy())
    k = len(lat)
    # Every pair of capitals once (a few hundred squared), then one gather per row.
    p1, l1 = lat[:, None], lng[:, None]
    p2, l2 = lat[None, :], lng[None, :]
    dl = l2 - l1
    num = np.hypot(np.cos(p2) * np.sin(dl), np.cos(p1) * np.sin(p2) - np.sin(p1) * np.cos(p2) * np.cos(dl))
    den = np.sin(p1) * np.sin(p2) + np.cos(p1) * np.cos(p2) * np.cos(dl)
    dist = np.full((k + 1, k + 1), np.nan)  # the last row and column: capital unknown
    dist[:k, :k] = np.arctan2(num, den) * EARTH_RADIUS_KM
    sy, rows = _side_rows(panel, cy.select("ccode", "year", pl.col("cap").cast(pl.Int32)), "capitals")
    cap = np.append(sy["cap"].to_numpy().astype(np.intp), k)
    idx = cap[rows[0]]
    idx *= k + 1
    idx += cap[rows[1]]
    return panel._with_columns(panel.frame.with_columns(pl.Series("capdist", dist.ravel()[idx], nan_to_null=True)))


def add_kb(panel: Panel, *, view: str = "record", data: pl.DataFrame | None = None, kb: Any = None) -> Panel:
    """The knowledge base's highest commitment per dyad-year: ``kb_rank`` (Int8), ``kb_level`` (ordered: an Enum
    of :data:`LADDER`, lowest to highest), ``kb_kind`` and ``kb_driver`` (first driver) of the winning tie;
    null where the knowledge base records no tie (it is not exhaustive: no 0 rung). State-year panels get
    ``kb_rank, kb_level`` (the state's highest tie that year) and ``kb_partners``.

    ``view``: ``"record"`` or ``"briefing"``. ``data``: a tie table instead of the knowledge base; ``kb``: a
    knowledge-base folder (default: the shipped one).
    """
    import polars as pl

    from pactnet.panel._kb import kb_ties

    _need(panel, "add_kb")
    ties = data if data is not None else kb_ties(view, db=panel.db, kb=kb)
    if panel.kind == "state_year":
        from pactnet.panel.build import kb_dyad_years

        k = kb_dyad_years(ties, panel.start, panel.end, True)
        k = k.group_by(pl.col("ccode1").alias("ccode"), "year").agg(
            pl.col("kb_rank").max(), pl.col("ccode2").n_unique().cast(pl.Int32).alias("kb_partners")
        ).with_columns(_level(pl.col("kb_rank")).alias("kb_level")).select("ccode", "year", "kb_rank", "kb_level",
                                                                          "kb_partners")
        return _place_state(panel, "kb", k, ["kb_rank", "kb_level", "kb_partners"], zero=False, cov=None)
    return _place_kb(panel, ties)


def _level(rank: pl.Expr) -> pl.Expr:
    import polars as pl

    return rank.replace_strict(_LEVEL_OF_RANK, default=None, return_dtype=pl.String).cast(pl.Enum(LADDER))


def _place_kb(p: Panel, ties: pl.DataFrame) -> Panel:
    import numpy as np
    import polars as pl

    from pactnet.panel.build import _kb_frame, _kb_ties, _kb_years

    t = _kb_ties(ties, p.start, p.end)
    kc1, kc2, ky, tie = _kb_years(t, p.directed)
    lost = None
    if p.system == "gw":
        k, lost = _to_gw(p, _kb_frame(t, kc1, kc2, ky, tie).with_columns(pl.Series("__tie", tie)),
                         ("ccode1", "ccode2"), "kb")
        k = k.sort("__tie", maintain_order=True).group_by("ccode1", "ccode2", "year", maintain_order=True).first()
        k = k.sort("ccode1", "ccode2", "year")
        kc1, kc2, ky, tie = (k[c].to_numpy() for c in ("ccode1", "ccode2", "year", "__tie"))
    pos, hit, reason = _positions(p, kc1, kc2, ky)
    dropped = dict(p.dropped)
    if not hit.all() or (lost is not None and lost.height):
        miss = ~hit
        parts = [_with_reason(_kb_frame(t, kc1[miss], kc2[miss], ky[miss], tie[miss]), reason)]
        if lost is not None and lost.height:
            parts.append(lost.drop("__tie"))
        dropped["kb"] = pl.concat(parts, how="diagonal_relaxed")
    at, won = pos[hit].astype(np.uint32), tie[hit]
    used = t[np.unique(tie)]
    n = p.height
    cols = []
    for name, values, present in (("kb_rank", t["rank"], None), ("kb_level", None, None),
                                  ("kb_kind", t["kind"], used["kind"]), ("kb_driver", t["driver"], used["driver"])):
        if name == "kb_level":
            values = pl.select(_level(pl.lit(t["rank"]))).to_series()
        elif present is not None:
            values = values.cast(pl.String).cast(pl.Enum(sorted(present.drop_nulls().unique().to_list())),
                                                 strict=False)
        # null where no tie; the few dyad-years with one are set in place
        cols.append(pl.repeat(None, n, dtype=values.dtype, eager=True).scatter(at, values.gather(won)).alias(name))
    return p._with_columns(p.frame.with_columns(cols), dropped=dropped)
