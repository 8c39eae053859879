"""Propensities from the field's data: documented components, weighted and explained.

.. math:: p_{ij} = \\sum_c w_c \\, x^c_{ij}

Each component ``x^c`` is a symmetric matrix with a zero diagonal built from one dataset (see
``docs/landscape.md`` for the reasons behind each sign and scale):

========== =====================================================================================
alliance   ATOP obligations shared in an alliance in force on the date, strongest alliance of the
           pair: defence 1.0, offence 1.0, neutrality 0.5, consultation 0.4, non-aggression 0.3
           (:data:`ATOP_OBLIGATION_WEIGHTS`); obligations either member holds count.
rivalry    -1 for a Thompson & Dreyer strategic rivalry active in the date's year.
contiguity -1 land border or river/sea up to 12 miles, -0.5 up to 24 miles, -0.25 up to 400 miles
           (COW direct contiguity; neighbours dispute territory).
distance   ``exp(-d / 1000 km)`` for the great-circle distance ``d`` between capitals: the ring of
           near states beyond the border is a natural friend (with ``contiguity``, Kautilya's mandala).
kb         The knowledge base's ties on the commitment ladder (:func:`propensity_from_ties`).
rival_ties ``-(a + b) / 2`` with ``a`` the strongest tie of i to a rival of j (a tie on the ladder,
           KB or ATOP, times a KB hostile tie or a strategic rivalry) and ``b`` the same for j; the
           third actor may be any state or KB organisation, among the actors or not.
parity     ``-(min/max) * (min/top)`` of the CINC scores, ``top`` the largest among the actors:
           great powers of comparable capability balance each other; small states barely register.
========== =====================================================================================
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from pactnet.errors import InputError
from pactnet.landscape.data import TIE_WEIGHTS, _sizes_in_order, propensity_from_ties, read_sizes_csv
from pactnet.landscape.fielddata import (
    COVERAGE_END,
    FieldData,
    kb_ties,
    parse_at,
    resolve_actors,
)
from pactnet.landscape.model import Landscape

__all__ = [
    "COMPONENTS",
    "DEFAULT_WEIGHTS",
    "ATOP_OBLIGATION_WEIGHTS",
    "Components",
    "propensity_components",
    "landscape_from_data",
    "explain",
]

#: The components, in the order they are reported.
COMPONENTS = ("alliance", "rivalry", "contiguity", "distance", "kb", "rival_ties", "parity")

#: Default weights w_c (documented in docs/landscape.md).
DEFAULT_WEIGHTS: dict[str, float] = {
    "alliance": 1.0, "rivalry": 1.0, "contiguity": 0.3, "distance": 0.2, "kb": 1.0,
    "rival_ties": 0.5, "parity": 0.5,
}

#: Value of an ATOP alliance to a pair, by the strongest obligation in it.
ATOP_OBLIGATION_WEIGHTS: dict[str, float] = {
    "defense": 1.0, "offense": 1.0, "neutral": 0.5, "consul": 0.4, "nonagg": 0.3,
}

#: Contiguity component by COW contiguity type (1 land .. 5 sea up to 400 miles; 0 none).
CONTIGUITY_VALUES = {1: -1.0, 2: -1.0, 3: -0.5, 4: -0.25, 5: -0.25}

#: Distance scale of the distance component, in km.
DISTANCE_SCALE_KM = 1000.0


@dataclass
class Components:
    """The raw components (before weights) of a set of actors on a date, with their evidence."""

    labels: list[str]
    ccodes: list[int]
    at: dt.date
    matrices: dict[str, np.ndarray]
    evidence: dict[str, dict[str, list[str]]]
    notes: list[str]
    capitals: dict[str, list] = field(default_factory=dict)

    def weighted(self, weights: Mapping[str, float]) -> dict[str, np.ndarray]:
        return {c: float(weights.get(c, 0.0)) * m for c, m in self.matrices.items()}


def _pairkey(a: str, b: str) -> str:
    return f"{a}-{b}" if a < b else f"{b}-{a}"


def _enemy_columns(book: Mapping[str, float], col: Mapping[str, int]) -> list[tuple[int, float]]:
    """(column, hostility) for the enemies of one actor that are among the third states."""
    return [(col[k], h) for k, h in book.items() if k in col]


def _empty(n: int) -> np.ndarray:
    return np.zeros((n, n))


def _sym_set(M: np.ndarray, i: int, j: int, v: float) -> None:
    M[i, j] = M[j, i] = v


# ------------------------------------------------------------------------------------------ ATOP
def _atop_in_force(data: FieldData, at: dt.date, exclude: Sequence[int]):
    """ATOP memberships in force on ``at``; beyond ATOP's coverage, those open at its end."""
    import polars as pl

    m = data.atop
    end = COVERAGE_END["atop"]
    day = min(at, end)
    f = (pl.col("entry") <= day) & (pl.col("exit") >= day)
    if at > end:
        f = f & (pl.col("yrexit") == 0)
    m = m.filter(f)
    if exclude:
        m = m.filter(~pl.col("atopid").is_in([int(x) for x in exclude]))
    return m


def _atop_pairs(data: FieldData, at: dt.date, exclude: Sequence[int],
                weights: Mapping[str, float]) -> dict[tuple[int, int], tuple[float, int]]:
    """Strongest alliance value of every pair of members in force: (ccode_a, ccode_b) -> (value, atopid)."""
    m = _atop_in_force(data, at, exclude)
    groups: dict[tuple[int, int], list[tuple[int, float]]] = {}
    for r in m.iter_rows(named=True):
        v = max((w for o, w in weights.items() if r.get(o)), default=0.0)
        groups.setdefault((int(r["atopid"]), int(r["phase"])), []).append((int(r["member"]), v))
    out: dict[tuple[int, int], tuple[float, int]] = {}
    for (aid, _), mem in groups.items():
        for x in range(len(mem)):
            for y in range(x + 1, len(mem)):
                a, va = mem[x]
                b, vb = mem[y]
                if a == b:
                    continue
                v = max(va, vb)
                key = (min(a, b), max(a, b))
                if v > out.get(key, (0.0, 0))[0]:
                    out[key] = (v, aid)
    return out


# ------------------------------------------------------------------------------------- rivalries
def _rivals(data: FieldData, at: dt.date) -> dict[tuple[int, int], str]:
    import polars as pl

    y = at.year
    r = data.rivalries
    end = COVERAGE_END["rivalries"].year
    active = (pl.col("styear") <= y) & ((pl.col("endyear") >= y) | ((pl.col("endyear") >= end) & (y > end)))
    out = {}
    for row in r.filter(active).iter_rows(named=True):
        a, b = int(row["ccode1"]), int(row["ccode2"])
        out[(min(a, b), max(a, b))] = str(row.get("rivalryname") or "rivalry")
    return out


# ------------------------------------------------------------------------------------ geography
def _contiguity(data: FieldData, at: dt.date) -> dict[tuple[int, int], int]:
    import polars as pl

    c = data.contiguity
    end = COVERAGE_END["contiguity"]
    day = min(at, end)
    f = (pl.col("start") <= day) & (pl.col("end") >= day)
    if at > end:
        f = f & (pl.col("end") >= end)
    out: dict[tuple[int, int], int] = {}
    for row in c.filter(f & (pl.col("conttype") > 0)).iter_rows(named=True):
        a, b = int(row["ccode1"]), int(row["ccode2"])
        key = (min(a, b), max(a, b))
        out[key] = min(out.get(key, 9), int(row["conttype"]))
    return out


def _capital_coords(data: FieldData, codes: Sequence[int], at: dt.date) -> dict[int, tuple[float, float, str]]:
    import polars as pl

    caps = data.capitals
    day = min(at, caps["enddate"].max())
    sel = caps.filter(pl.col("ccode").is_in(list(codes)) & (pl.col("stdate") <= day) & (pl.col("enddate") >= day))
    return {int(r["ccode"]): (float(r["lat"]), float(r["lng"]), str(r["capital"])) for r in sel.iter_rows(named=True)}


#: Mean Earth radius (IUGG), for great-circle distances.
EARTH_RADIUS_KM = 6371.0088


def _km(a: Sequence[float], b: Sequence[float]) -> float:
    """Great-circle distance in km between two (latitude, longitude) points in degrees."""
    lat1, lon1, lat2, lon2 = map(math.radians, (a[0], a[1], b[0], b[1]))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


# ---------------------------------------------------------------------------------- capabilities
def _cinc(data: FieldData, codes: Sequence[int], year: int) -> dict[int, tuple[float, int]]:
    import polars as pl

    c = data.capabilities
    sel = c.filter(pl.col("ccode").is_in(list(codes)) & (pl.col("year") <= year) & (pl.col("cinc") > 0))
    sel = sel.sort("year").group_by("ccode").agg(pl.col("year").last(), pl.col("cinc").last())
    return {int(r["ccode"]): (float(r["cinc"]), int(r["year"])) for r in sel.iter_rows(named=True)}


# ------------------------------------------------------------------------------------ components
def propensity_components(
    at: str | dt.date,
    actors: Sequence[str | int],
    data: FieldData,
    *,
    ties: Sequence[Mapping[str, Any]] | None = None,
    db: Any = None,
    exclude_alliances: Sequence[int] = (),
    obligation_weights: Mapping[str, float] | None = None,
) -> Components:
    """Every component (unweighted) for ``actors`` on date ``at``.

    Parameters
    ----------
    at : str or datetime.date
        ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` (a year means its last day).
    actors : sequence
        State ids (``USA``, ``GFR``), ``COW<code>`` or COW codes.
    data : FieldData
        The datasets; a missing frame leaves its components at 0 (noted).
    ties : sequence of dict, optional
        Knowledge-base ties active on ``at`` (``id, source, target, level``); by default read from
        the store through :func:`pactnet.landscape.fielddata.kb_ties`. ``[]`` leaves the KB out.
    exclude_alliances : sequence of int
        ATOP ids to leave out (e.g. the alliances whose formation is the outcome being predicted).
    obligation_weights : mapping, optional
        Replaces :data:`ATOP_OBLIGATION_WEIGHTS`.
    """
    day = parse_at(at)
    labels, codes = resolve_actors(actors)
    n = len(labels)
    pos = {c: i for i, c in enumerate(codes)}
    M = {c: _empty(n) for c in COMPONENTS}
    ev: dict[str, dict[str, list[str]]] = {c: {} for c in COMPONENTS}
    notes: list[str] = []
    ow = dict(ATOP_OBLIGATION_WEIGHTS if obligation_weights is None else obligation_weights)
    unknown = set(ow) - set(ATOP_OBLIGATION_WEIGHTS)
    if unknown:
        raise InputError(f"obligation_weights: unknown obligation {sorted(unknown)[0]!r} "
                         f"(expected {', '.join(ATOP_OBLIGATION_WEIGHTS)})")

    def note_missing(what: str, comps: str) -> None:
        notes.append(f"no {what} data: {comps} left at 0")

    # positive ties over the whole universe, for rival_ties: id -> {id: weight}
    from pactnet.imports._codes import actor_id

    friends: dict[str, dict[str, float]] = {}
    enemies: dict[str, dict[str, float]] = {}

    def link(book: dict, a: str, b: str, v: float) -> None:
        for x, y in ((a, b), (b, a)):
            d = book.setdefault(x, {})
            d[y] = max(d.get(y, 0.0), v)

    if data.atop is not None:
        if day > COVERAGE_END["atop"]:
            notes.append(f"ATOP codes alliances to {COVERAGE_END['atop']}: those open then are taken as in force")
        pairs = _atop_pairs(data, day, exclude_alliances, ow)
        for (a, b), (v, aid) in pairs.items():
            link(friends, actor_id(a), actor_id(b), v)
            if a in pos and b in pos:
                i, j = pos[a], pos[b]
                _sym_set(M["alliance"], i, j, v)
                ev["alliance"][_pairkey(labels[i], labels[j])] = [f"atop:{aid}"]
        if exclude_alliances:
            notes.append(f"ATOP alliances left out: {', '.join(str(x) for x in exclude_alliances)}")
    else:
        note_missing("ATOP", "alliance")
    if data.rivalries is not None:
        if day.year > COVERAGE_END["rivalries"].year:
            notes.append("Thompson & Dreyer code rivalries to 2010: those active then are taken as ongoing")
        for (a, b), name in _rivals(data, day).items():
            link(enemies, actor_id(a), actor_id(b), 1.0)
            if a in pos and b in pos:
                i, j = pos[a], pos[b]
                _sym_set(M["rivalry"], i, j, -1.0)
                ev["rivalry"][_pairkey(labels[i], labels[j])] = [name]
    else:
        note_missing("rivalry", "rivalry")
    if data.contiguity is not None:
        if day > COVERAGE_END["contiguity"]:
            notes.append(f"COW contiguity ends {COVERAGE_END['contiguity']}: borders then are taken as current")
        for (a, b), t in _contiguity(data, day).items():
            if a in pos and b in pos:
                i, j = pos[a], pos[b]
                _sym_set(M["contiguity"], i, j, CONTIGUITY_VALUES[t])
                ev["contiguity"][_pairkey(labels[i], labels[j])] = [f"conttype {t}"]
    else:
        note_missing("contiguity", "contiguity")
    capitals: dict[str, list] = {}
    if data.capitals is not None:
        caps = _capital_coords(data, codes, day)
        lost = [labels[pos[c]] for c in codes if c not in caps]
        if lost:
            notes.append(f"no capital on {day} for {', '.join(lost)}: distance left at 0 for them")
        have = np.array([c in caps for c in codes])
        lat = np.radians([caps[c][0] if c in caps else 0.0 for c in codes])
        lon = np.radians([caps[c][1] if c in caps else 0.0 for c in codes])
        h = (np.sin((lat[:, None] - lat[None, :]) / 2) ** 2
             + np.cos(lat)[:, None] * np.cos(lat)[None, :] * np.sin((lon[:, None] - lon[None, :]) / 2) ** 2)
        km = 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(h, 0.0, 1.0)))
        both = have[:, None] & have[None, :]
        Dm = np.where(both, np.exp(-km / DISTANCE_SCALE_KM), 0.0)
        np.fill_diagonal(Dm, 0.0)
        M["distance"] = Dm
        capitals = {labels[pos[c]]: list(caps[c][2:]) + list(caps[c][:2]) for c in codes if c in caps}
    else:
        note_missing("capitals", "distance")
    if ties is None:
        ties = kb_ties(day, db=db)
    P, used = propensity_from_ties(ties, labels)
    M["kb"] = P
    ev["kb"] = {_pairkey(a, b): ids for (a, b), ids in used.items()}
    for t in ties:
        w = TIE_WEIGHTS.get(t.get("level"), 0.0)
        a, b = t.get("source"), t.get("target")
        if not a or not b or a == b:
            continue
        link(friends if w > 0 else enemies, a, b, abs(w))
    # rival ties: i's strongest tie to a rival of j, and j's to a rival of i (vectorised over third states)
    third = sorted({k for lab in labels for k in friends.get(lab, {})})
    if third:
        col = {k: q for q, k in enumerate(third)}
        F = np.zeros((n, len(third)))
        H = np.zeros((len(third), n))
        for i, lab in enumerate(labels):
            for k, w in friends.get(lab, {}).items():
                F[i, col[k]] = w
            for k, h in _enemy_columns(enemies.get(lab, {}), col):
                H[k, i] = h
        best = np.zeros((n, n))
        arg = np.zeros((n, n), dtype=np.int64)
        for i in range(n):
            prod = F[i][:, None] * H  # (third, n): i's tie to k times k's hostility to j
            arg[i] = prod.argmax(axis=0)
            best[i] = prod[arg[i], np.arange(n)]
        np.fill_diagonal(best, 0.0)
        R = -(best + best.T) / 2.0
        M["rival_ties"] = R
        for i, j in zip(*np.nonzero(np.triu(R, 1)), strict=True):
            why = [f"{labels[x]}~{third[arg[x, y]]} x {third[arg[x, y]]}/{labels[y]}"
                   for x, y in ((i, j), (j, i)) if best[x, y] > 0]
            ev["rival_ties"][_pairkey(labels[i], labels[j])] = why
    if data.capabilities is not None:
        cinc = _cinc(data, codes, day.year)
        have = [c for c in codes if c in cinc]
        if len(have) < n:
            notes.append("no CINC for " + ", ".join(labels[pos[c]] for c in codes if c not in cinc)
                         + ": parity left at 0 for them")
        v = np.array([cinc[c][0] if c in cinc else 0.0 for c in codes])
        top = float(v.max(initial=0.0))
        if top > 0:
            lo = np.minimum(v[:, None], v[None, :])
            hi = np.maximum(v[:, None], v[None, :])
            with np.errstate(divide="ignore", invalid="ignore"):
                Pm = np.where(lo > 0, -(lo / hi) * (lo / top), 0.0)
            np.fill_diagonal(Pm, 0.0)
            M["parity"] = Pm
    else:
        note_missing("capabilities", "parity")
    return Components(labels, codes, day, M, ev, notes, capitals)


def _check_weights(weights: Mapping[str, float] | None) -> dict[str, float]:
    w = dict(DEFAULT_WEIGHTS)
    for k, v in (weights or {}).items():
        if k not in COMPONENTS:
            raise InputError(f"weights: unknown component {k!r} (expected {', '.join(COMPONENTS)})")
        try:
            w[k] = float(v)
        except (TypeError, ValueError):
            raise InputError(f"weights: {k} is {v!r} (expected a number)") from None
        if not math.isfinite(w[k]):
            raise InputError(f"weights: {k} is {v!r} (expected a finite number)")
    return w


def landscape_from_data(
    at: str | dt.date,
    actors: Sequence[str | int],
    data: FieldData | None = None,
    *,
    weights: Mapping[str, float] | None = None,
    sizes: str | Path | Mapping[str, float] | None = None,
    ties: Sequence[Mapping[str, Any]] | None = None,
    db: Any = None,
    exclude_alliances: Sequence[int] = (),
    obligation_weights: Mapping[str, float] | None = None,
) -> Landscape:
    """A landscape of ``actors`` on ``at`` with ``p_ij = sum_c w_c x^c_ij`` and CINC sizes.

    Parameters
    ----------
    data : FieldData, optional
        The datasets; by default those imported in the store ``db``
        (:func:`pactnet.landscape.fielddata.load_field_data`).
    weights : mapping, optional
        Component weights; unnamed components keep :data:`DEFAULT_WEIGHTS` (give 0 to drop one).
    sizes : path or mapping, optional
        ``label,size`` CSV or a dict overriding CINC.
    ties, db, exclude_alliances, obligation_weights
        As for :func:`propensity_components`.

    Returns
    -------
    Landscape
        ``provenance`` holds the date, weights, the weighted components (``components``: name ->
        array; JSON output turns them into nested lists), the evidence per pair, the capitals used,
        the data sources and notes.

    Raises
    ------
    InputError
        On an unknown actor or component, a bad weight, or an actor without CINC (give ``sizes``).
    """
    w = _check_weights(weights)
    if data is None:
        from pactnet.landscape.fielddata import load_field_data

        data = load_field_data(db)
    comp = propensity_components(at, actors, data, ties=ties, db=db, exclude_alliances=exclude_alliances,
                                 obligation_weights=obligation_weights)
    parts = comp.weighted(w)
    P = sum(parts.values())
    labels = comp.labels
    prov: dict[str, Any] = {
        "source": "pactnet landscape from-data", "at": comp.at.isoformat(), "weights": w,
        "obligation_weights": dict(ATOP_OBLIGATION_WEIGHTS if obligation_weights is None else obligation_weights),
        "components": parts,
        "evidence": comp.evidence, "capitals": comp.capitals, "data": dict(data.sources or {}),
        "notes": list(comp.notes),
        "ccodes": dict(zip(labels, comp.ccodes, strict=True)),
    }
    if sizes is not None:
        sz = sizes if isinstance(sizes, Mapping) else read_sizes_csv(sizes)
        prov["sizes"] = "user mapping" if isinstance(sizes, Mapping) else str(sizes)
        vec = _sizes_in_order(sz, labels, prov["sizes"])
    else:
        if data.capabilities is None:
            raise InputError("sizes: no capabilities data (import nmc, pass capabilities, or give sizes)")
        cinc = _cinc(data, comp.ccodes, comp.at.year)
        missing = [lab for lab, c in zip(labels, comp.ccodes, strict=True) if c not in cinc]
        if missing:
            raise InputError(f"sizes: no CINC in or before {comp.at.year} for {', '.join(missing)}; give sizes")
        vec = np.array([cinc[c][0] for c in comp.ccodes])
        prov["sizes"] = "COW NMC CINC"
        prov["cinc_year"] = {lab: cinc[c][1] for lab, c in zip(labels, comp.ccodes, strict=True)}
    return Landscape(labels, vec, P, provenance=prov)


def explain(land: Landscape) -> list[dict[str, Any]]:
    """Each component's contribution to, and share of, every non-zero ``p_ij`` of a from-data landscape.

    The share of component c is ``|w_c x^c_ij| / sum_c' |w_c' x^c'_ij|`` (shares add to 1 per pair).

    Returns
    -------
    list of dict
        One row per pair (``a``, ``b``, ``p``, and per component its weighted value ``<c>`` and share
        ``<c>_share``, plus ``evidence``), largest ``|p|`` first.
    """
    comps = land.provenance.get("components")
    if not comps:
        raise InputError("explain: the landscape has no components (build it with landscape_from_data)")
    mats = {c: np.asarray(m) for c, m in comps.items()}
    evidence = land.provenance.get("evidence", {})
    caps = land.provenance.get("capitals", {})
    rows = []
    for i in range(land.n):
        for j in range(i + 1, land.n):
            vals = {c: float(m[i, j]) for c, m in mats.items()}
            tot = sum(abs(v) for v in vals.values())
            if tot == 0:
                continue
            a, b = land.labels[i], land.labels[j]
            row: dict[str, Any] = {"a": a, "b": b, "p": float(land.propensity[i, j])}
            for c, v in vals.items():
                row[c] = v
                row[f"{c}_share"] = abs(v) / tot
            key = _pairkey(a, b)
            row["evidence"] = {c: evidence[c][key] for c in mats if key in evidence.get(c, {}) and vals[c]}
            if vals.get("distance") and a in caps and b in caps:
                row["evidence"]["distance"] = [f"{caps[a][0]}-{caps[b][0]} {_km(caps[a][1:], caps[b][1:]):,.0f} km"]
            rows.append(row)
    rows.sort(key=lambda r: (-abs(r["p"]), r["a"], r["b"]))
    return rows
