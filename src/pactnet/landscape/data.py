"""Landscapes from files and from the knowledge base: propensities from ties, sizes from CINC.

File formats
------------
* Propensity CSV: a labelled square matrix. The first row holds the column labels (its first cell
  is ignored), each further row a row label and n numbers.
* Sizes CSV: a header ``label,size`` and one row per actor.
* JSON: ``{"labels": [...], "sizes": [...], "propensity": [[...], ...]}`` (optionally ``"pinned"``).
* COW National Material Capabilities CSV (optionally gzipped): columns ``ccode, year, ..., cinc``.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from pactnet.errors import DatasetError, InputError
from pactnet.landscape.model import Landscape

__all__ = [
    "TIE_WEIGHTS",
    "read_propensity_csv",
    "read_sizes_csv",
    "read_landscape_json",
    "load_landscape",
    "write_propensity_csv",
    "propensity_from_ties",
    "sizes_from_nmc",
    "sizes_from_store",
    "landscape_from_kb",
]

#: Propensity contributed by one tie, by commitment level (documented in docs/landscape.md).
TIE_WEIGHTS: dict[str, float] = {
    "guarantee": 1.0,
    "assurance": 0.8,
    "structured": 0.6,
    "ad_hoc": 0.4,
    "transactional": 0.2,
    "hostile": -1.0,
}


def _open_text(path: Path):
    """The text of a user's file through pactnet's reading layer (regular files only, size and gzip limits,
    encodings checked), as a file object for the csv module."""
    from pactnet.files import decode_text, read_limited

    name = str(path)
    text = decode_text(read_limited(path, name=name), name=name)
    return io.StringIO(text.removeprefix("\ufeff"), newline="")


def _float(cell: str, where: str) -> float:
    try:
        v = float(cell)
    except (TypeError, ValueError):
        raise InputError(f"{where}: {cell!r} is not a number") from None
    if math.isnan(v):
        raise InputError(f"{where}: value is NaN (expected a number)")
    return v


def read_propensity_csv(path: str | Path) -> tuple[list[str], np.ndarray]:
    """Read a labelled square propensity matrix from CSV.

    Columns may be in another order than rows; they are matched by label. Returns the row labels
    and the matrix in row order. Symmetry and the diagonal are checked by :class:`Landscape`.

    Raises
    ------
    InputError
        Naming the file, row and column of a non-numeric or NaN cell, a short row, or labels that do
        not match between rows and columns.
    """
    path = Path(path)
    if not path.exists():
        raise InputError(f"{path}: no such file")
    with _open_text(path) as fh:
        rows = [r for r in csv.reader(fh) if any(c.strip() for c in r)]
    if len(rows) < 2:
        raise InputError(f"{path}: expected a header row of labels and one row per actor")
    cols = [c.strip() for c in rows[0][1:]]
    labels = [r[0].strip() for r in rows[1:]]
    if len(cols) != len(labels):
        raise InputError(
            f"{path}: matrix is not square ({len(labels)} rows, {len(cols)} columns)"
        )
    for what, names in (("column", cols), ("row", labels)):
        seen: set[str] = set()
        for c in names:
            if c in seen:
                raise InputError(f"{path}: {what} label {c!r} appears more than once")
            seen.add(c)
    colpos = {c: j for j, c in enumerate(cols)}
    if colpos.keys() != set(labels):
        missing = [c for c in labels if c not in colpos]
        rowset = set(labels)
        extra = [c for c in cols if c not in rowset]
        raise InputError(
            f"{path}: row and column labels do not match (rows only: {', '.join(missing) or '-'};"
            f" columns only: {', '.join(extra) or '-'})"
        )
    n = len(labels)
    # column q of the file holds row label perm[q]: one dict lookup per label, not per cell
    rowpos = {lab: i for i, lab in enumerate(labels)}
    perm = np.array([rowpos[c] for c in cols], dtype=np.int64)
    P = np.zeros((n, n))
    for i, r in enumerate(rows[1:]):
        if len(r) - 1 != n:
            raise InputError(f"{path}: row {labels[i]} has {len(r) - 1} values, expected {n}")
        try:
            vals = np.array([float(c) for c in r[1:]])
        except ValueError:
            vals = None
        if vals is None or np.isnan(vals).any():
            for q, cell in enumerate(r[1:]):  # find and name the bad cell
                where = f"{path}: row {labels[i]}, column {cols[q]}"
                if cell.strip() == "":
                    raise InputError(f"{where}: empty cell (expected a number)")
                _float(cell.strip(), where)
        P[i, perm] = vals
    return labels, P


def write_propensity_csv(path: str | Path, labels: Sequence[str], propensity: np.ndarray) -> None:
    """Write a labelled propensity matrix in the format :func:`read_propensity_csv` reads."""
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["", *labels])
        for lab, row in zip(labels, np.asarray(propensity), strict=True):
            w.writerow([lab, *[f"{v:.6g}" for v in row]])


def read_sizes_csv(path: str | Path) -> dict[str, float]:
    """Read sizes from a CSV with columns ``label,size``; errors name the line."""
    path = Path(path)
    if not path.exists():
        raise InputError(f"{path}: no such file")
    with _open_text(path) as fh:
        reader = csv.DictReader(fh)
        if reader.fieldnames is None or not {"label", "size"} <= {f.strip() for f in reader.fieldnames}:
            raise InputError(f"{path}: expected columns label,size, got {reader.fieldnames}")
        out: dict[str, float] = {}
        for line, row in enumerate(reader, start=2):
            row = {k.strip(): (v or "").strip() for k, v in row.items() if k}
            lab = row["label"]
            if lab in out:
                raise InputError(f"{path}:{line}: label {lab!r} appears twice")
            out[lab] = _float(row["size"], f"{path}:{line}: size of {lab}")
    return out


def read_landscape_json(path: str | Path) -> Landscape:
    """Read ``{"labels", "sizes", "propensity"}`` (optional ``"pinned"``) from a JSON file."""
    path = Path(path)
    if not path.exists():
        raise InputError(f"{path}: no such file")
    from pactnet.files import decode_text, read_limited

    try:
        data = json.loads(decode_text(read_limited(path, name=str(path)), name=str(path)))
    except json.JSONDecodeError as exc:
        raise InputError(f"{path}: not valid JSON ({exc})") from None
    if not isinstance(data, dict):
        raise InputError(f"{path}: expected an object with labels, sizes and propensity")
    for key in ("labels", "sizes", "propensity"):
        if key not in data:
            raise InputError(f"{path}: missing key {key!r}")
    labels = [str(x) for x in data["labels"]]
    P = data["propensity"]
    if not isinstance(P, list) or any(not isinstance(r, list) for r in P):
        raise InputError(f"{path}: propensity must be a list of rows")
    n = len(labels)
    if len(P) != n:
        raise InputError(f"{path}: propensity has {len(P)} rows but there are {n} labels")
    M = np.zeros((n, n))
    for i, r in enumerate(P):
        if len(r) != n:
            raise InputError(f"{path}: propensity row {labels[i]} has {len(r)} values, expected {n}")
        for j, v in enumerate(r):
            if v is None or isinstance(v, (str, bool)):
                raise InputError(f"{path}: propensity at row {labels[i]}, column {labels[j]} is {v!r}"
                                 " (expected a number)")
            M[i, j] = float(v)
    sizes = data["sizes"]
    if isinstance(sizes, Mapping):
        sizes = _sizes_in_order(sizes, labels, str(path))
    return Landscape(labels, np.asarray(sizes, dtype=float), M, pinned=data.get("pinned") or {},
                     provenance={"propensity": str(path), "sizes": str(path)})


def _sizes_in_order(sizes: Mapping[str, float], labels: Sequence[str], where: str) -> np.ndarray:
    missing = [x for x in labels if x not in sizes]
    extra = [x for x in sizes if x not in labels]
    if missing or extra:
        raise InputError(
            f"{where}: size labels do not match the matrix (no size for: {', '.join(missing) or '-'};"
            f" size but not in the matrix: {', '.join(extra) or '-'})"
        )
    return np.array([float(sizes[x]) for x in labels])


def load_landscape(propensity: str | Path, sizes: str | Path | Mapping[str, float] | None = None,
                   ) -> Landscape:
    """A landscape from a propensity file (CSV or JSON) and, for CSV, a sizes CSV or mapping."""
    p = Path(propensity)
    if p.suffix.lower() == ".json":
        land = read_landscape_json(p)
        if sizes is None:
            return land
        sz = read_sizes_csv(sizes) if not isinstance(sizes, Mapping) else sizes
        return Landscape(land.labels, _sizes_in_order(sz, land.labels, str(sizes)), land.propensity,
                         pinned=land.pinned, provenance={**land.provenance, "sizes": str(sizes)})
    labels, P = read_propensity_csv(p)
    if sizes is None:
        raise InputError(f"{p}: a propensity CSV needs sizes (a CSV with columns label,size)")
    sz = sizes if isinstance(sizes, Mapping) else read_sizes_csv(sizes)
    where = "sizes" if isinstance(sizes, Mapping) else str(sizes)
    return Landscape(labels, _sizes_in_order(sz, labels, where), P,
                     provenance={"propensity": str(p), "sizes": where})


# --------------------------------------------------------------------------------------- from ties
def propensity_from_ties(
    ties: Iterable[Mapping[str, Any]],
    labels: Sequence[str],
    *,
    weights: Mapping[str, float] | None = None,
    combine: str = "strongest",
) -> tuple[np.ndarray, dict[tuple[str, str], list[str]]]:
    """Propensities between ``labels`` from knowledge-base ties.

    Each tie between two listed actors contributes the weight of its commitment level
    (:data:`TIE_WEIGHTS`: guarantee +1.0, assurance +0.8, structured +0.6, ad_hoc +0.4,
    transactional +0.2, hostile -1.0). Direction is ignored: a tie either way counts for the pair.
    Ties to actors not in ``labels`` (organisations, other states) are dropped; membership of a
    common alliance reaches the pair as the derived state-to-state tie (``via``).

    Parameters
    ----------
    combine : {"strongest", "sum"}
        How several ties between one pair combine. ``"strongest"`` (default): the strongest
        cooperative weight plus the strongest hostile weight, ``max(pos, 0) + min(neg, 0)``, so a
        treaty ally that also buys arms stays at +1.0 while cooperation with a rival is offset by
        the rivalry. ``"sum"``: all weights added and clipped to [-1, 1].

    Returns
    -------
    (numpy.ndarray, dict)
        The symmetric matrix (zero diagonal) and, for each pair with ties, the ids of the ties used.
    """
    w = dict(TIE_WEIGHTS if weights is None else weights)
    if combine not in ("strongest", "sum"):
        raise InputError(f"combine must be 'strongest' or 'sum', got {combine!r}")
    pos = {lab: i for i, lab in enumerate(labels)}
    n = len(labels)
    best_pos = np.zeros((n, n))
    best_neg = np.zeros((n, n))
    total = np.zeros((n, n))
    used: dict[tuple[str, str], list[str]] = {}
    for t in ties:
        a, b = t.get("source"), t.get("target")
        if a not in pos or b not in pos or a == b:
            continue
        level = t.get("level")
        if level not in w:
            raise InputError(f"tie {t.get('id')!r}: level {level!r} has no weight "
                             f"(known: {', '.join(w)})")
        i, j = sorted((pos[a], pos[b]))
        v = float(w[level])
        best_pos[i, j] = max(best_pos[i, j], v)
        best_neg[i, j] = min(best_neg[i, j], v)
        total[i, j] += v
        used.setdefault((labels[i], labels[j]), []).append(str(t.get("id")))
    P = best_pos + best_neg if combine == "strongest" else np.clip(total, -1.0, 1.0)
    P = np.triu(P, 1)
    return P + P.T, used


# --------------------------------------------------------------------------------------- sizes
def sizes_from_nmc(path: str | Path, ccodes: Mapping[str, int], year: int,
                   ) -> tuple[dict[str, float], dict[str, int]]:
    """CINC scores of the given actors in ``year`` from a COW NMC CSV (plain or gzipped).

    An actor without a row for ``year`` takes its latest earlier year; the year used is returned
    per actor so it can be reported.

    Returns
    -------
    (dict, dict)
        label -> CINC, and label -> the year it comes from.

    Raises
    ------
    DatasetError
        If the file lacks the ``ccode``, ``year`` or ``cinc`` columns.
    InputError
        If an actor has no CINC row at or before ``year``, or a CINC that is not positive.
    """
    path = Path(path)
    if not path.exists():
        raise InputError(f"{path}: no such file")
    wanted = {int(c): lab for lab, c in ccodes.items()}
    found: dict[int, tuple[int, float]] = {}
    with _open_text(path) as fh:
        reader = csv.DictReader(fh)
        cols = set(reader.fieldnames or [])
        if not {"ccode", "year", "cinc"} <= cols:
            raise DatasetError(f"{path}: expected COW NMC columns ccode, year, cinc; got "
                               f"{', '.join(sorted(cols)) or 'none'}")
        for line, row in enumerate(reader, start=2):
            try:
                c = int(float(row["ccode"]))
            except ValueError:
                raise DatasetError(f"{path}:{line}: ccode {row['ccode']!r} is not a number") from None
            if c not in wanted:
                continue
            y = int(float(row["year"]))
            if y > year or row["cinc"] in ("", "NA", "-9"):
                continue
            if c not in found or y > found[c][0]:
                found[c] = (y, float(row["cinc"]))
    return _finish_sizes(wanted, found, f"{path}", year)


def _finish_sizes(wanted, found, where, year):
    sizes, years = {}, {}
    for c, lab in wanted.items():
        if c not in found:
            raise InputError(f"{where}: no CINC for {lab} (ccode {c}) in or before {year}")
        y, v = found[c]
        if not v > 0:
            raise InputError(f"{where}: CINC of {lab} (ccode {c}) in {y} is {v} (expected > 0)")
        sizes[lab], years[lab] = v, y
    return sizes, years


#: The store table that ``pactnet import nmc`` writes.
NMC_TABLE = "nmc_capabilities"


def sizes_from_store(ccodes: Mapping[str, int], year: int, db: Any = None,
                     ) -> tuple[dict[str, float], dict[str, int]]:
    """CINC scores from the store's ``nmc_capabilities`` table (imported with ``pactnet import nmc``)."""
    from pactnet.store import Store

    store = db if isinstance(db, Store) else Store(db)
    if not store.has_table(NMC_TABLE):
        raise InputError("the store has no COW capabilities (run 'pactnet import nmc PATH'), or give "
                         "--capabilities PATH (a COW NMC CSV) or --sizes PATH")
    codes = sorted({int(c) for c in ccodes.values()})
    marks = ",".join("?" for _ in codes)
    rows = store.query(
        f"SELECT ccode, year, cinc FROM {NMC_TABLE} WHERE ccode IN ({marks}) AND year <= ? AND cinc > 0",
        [*codes, int(year)],
    )
    found: dict[int, tuple[int, float]] = {}
    for r in rows:
        c, y = int(r["ccode"]), int(r["year"])
        if c not in found or y > found[c][0]:
            found[c] = (y, float(r["cinc"]))
    return _finish_sizes({int(c): lab for lab, c in ccodes.items()}, found, f"store table {NMC_TABLE}", year)


# --------------------------------------------------------------------------------------- the KB
_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


def landscape_from_kb(
    at: str,
    actors: Sequence[str],
    *,
    capabilities: str | Path | None = None,
    sizes: str | Path | Mapping[str, float] | None = None,
    view: str = "record",
    weights: Mapping[str, float] | None = None,
    combine: str = "strongest",
    db: Any = None,
    ties: Sequence[Mapping[str, Any]] | None = None,
    actor_records: Sequence[Mapping[str, Any]] | None = None,
) -> Landscape:
    """A landscape of ``actors`` at date ``at``: propensities from the KB's ties, sizes from CINC.

    Parameters
    ----------
    at : str
        ISO date (``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``); ties active that day are used and CINC
        comes from its year (or the latest earlier year with data).
    actors : sequence of str
        Actor ids (or ISO3 codes) of states in the knowledge base.
    capabilities : path, optional
        A COW NMC CSV (``ccode,year,...,cinc``). Without it and without ``sizes`` the store's
        ``nmc_capabilities`` table (``pactnet import nmc``) is used.
    sizes : path or mapping, optional
        User sizes (``label,size`` CSV or a dict), overriding CINC.
    ties, actor_records : optional
        Use these instead of querying the knowledge base (tests, offline use).

    Returns
    -------
    Landscape
        With ``provenance`` listing the date, the ties used per pair and where the sizes came from.
    """
    if isinstance(at, int | dt.date) and not isinstance(at, bool):
        at = str(at) if isinstance(at, int) else at.isoformat()
    if not isinstance(at, str) or not _DATE.match(at.strip()):
        raise InputError(f"date {at!r} is not an ISO date (YYYY, YYYY-MM or YYYY-MM-DD)")
    at = at.strip()
    year = int(at[:4])
    if actor_records is None or ties is None:
        from pactnet import network

        if actor_records is None:
            actor_records = network.actors(db=db).to_dicts()
        if ties is None:
            from pactnet.landscape.fielddata import kb_ties

            ties = kb_ties(at, view=view, db=db)
    by_id = {a["id"]: a for a in actor_records}
    by_iso = {str(a.get("iso3") or "").upper(): a for a in actor_records if a.get("iso3")}
    labels: list[str] = []
    records = []
    for x in actors:
        x = x.strip()
        rec = by_id.get(x) or by_iso.get(x.upper())
        if rec is None:
            raise InputError(f"unknown actor {x!r} (not an actor id or ISO3 code in the knowledge base)")
        if rec["id"] in labels:
            raise InputError(f"actor {x!r} is listed twice")
        labels.append(rec["id"])
        records.append(rec)
    if len(labels) < 2:
        raise InputError("give at least two actors")
    P, used = propensity_from_ties(ties, labels, weights=weights, combine=combine)
    prov: dict[str, Any] = {
        "source": "pactnet knowledge base", "at": at, "view": view, "combine": combine,
        "weights": dict(TIE_WEIGHTS if weights is None else weights),
        "ties": {f"{a}-{b}": ids for (a, b), ids in sorted(used.items())},
    }
    if sizes is not None:
        sz = sizes if isinstance(sizes, Mapping) else read_sizes_csv(sizes)
        prov["sizes"] = "user mapping" if isinstance(sizes, Mapping) else str(sizes)
        vec = _sizes_in_order(sz, labels, prov["sizes"])
    else:
        ccodes = {}
        for rec in records:
            if rec.get("ccode") is None:
                raise InputError(f"actor {rec['id']} has no COW code, so it has no CINC; give --sizes")
            ccodes[rec["id"]] = int(rec["ccode"])
        if capabilities is not None:
            cinc, years = sizes_from_nmc(capabilities, ccodes, year)
            prov["sizes"] = f"COW NMC CINC from {Path(capabilities).name}"
        else:
            cinc, years = sizes_from_store(ccodes, year, db=db)
            prov["sizes"] = f"COW NMC CINC from the store table {NMC_TABLE}"
        prov["cinc_year"] = years
        vec = np.array([cinc[x] for x in labels])
    return Landscape(labels, vec, P, provenance=prov)
