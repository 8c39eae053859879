"""Importers of the field's standard datasets into the pactnet store.

Each dataset has a reader (``read(path) -> Imported``) that parses and checks the official files; the
common :func:`import_dataset` validates and writes the result atomically with
:meth:`pactnet.store.Store.replace_dataset`. ``fetch_dataset`` downloads from the official address first.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pathlib import Path

    from pactnet.imports._io import Imported

__all__ = ["DATASETS", "read_dataset", "import_dataset", "fetch_dataset"]

#: CLI name -> (module, reader function, store dataset key).
DATASETS: dict[str, tuple[str, str, str]] = {
    "atop": ("pactnet.imports.atop", "read", "atop"),
    "cow-alliances": ("pactnet.imports.cow_alliances", "read", "cow_alliances"),
    "cow-states": ("pactnet.imports.states", "read_cow", "cow"),
    "gw-states": ("pactnet.imports.states", "read_gw", "gw"),
    "dcad": ("pactnet.imports.dcad", "read", "dcad"),
    "nmc": ("pactnet.imports.covariates", "read_nmc", "nmc"),
    "contiguity": ("pactnet.imports.covariates", "read_contiguity", "contiguity"),
    "rivalries": ("pactnet.imports.covariates", "read_rivalries", "rivalries"),
    "majors": ("pactnet.imports.covariates", "read_majors", "majors"),
    "capitals": ("pactnet.imports.capitals", "read", "capitals"),
}


def _reader(name: str):
    import importlib

    from pactnet.errors import InputError

    if name not in DATASETS:
        raise InputError(f"unknown dataset {name!r}; expected one of {', '.join(DATASETS)}", param="dataset")
    module, func, _ = DATASETS[name]
    return getattr(importlib.import_module(module), func)


def read_dataset(name: str, path: str | Path) -> Imported:
    """Parse and check dataset ``name`` at ``path`` (zip, folder or file) without touching any store.

    ``meta["release"]`` lists, per file, ``verified: <release file>`` or a warning that the file differs from
    the official release it is named after (rows expected and found); see :mod:`pactnet.imports.releases`.
    """
    from pactnet.imports.releases import collecting

    reader = _reader(name)
    with collecting() as notes:
        imp = reader(path)
    imp.meta["release"] = list(notes)
    return imp


def import_dataset(name: str, path: str | Path, *, db: Any = None) -> Imported:
    """Read dataset ``name`` from ``path`` and replace it in the store ``db`` (a Store, a path or None).

    Nothing is written unless the whole dataset parses and validates; the write itself is atomic.
    """
    from pactnet.store import open_store

    imp = read_dataset(name, path)
    open_store(db).replace_dataset(imp.dataset, imp.tables, imp.ties, imp.meta)
    return imp


def fetch_dataset(name: str, *, db: Any = None, base_url: str | None = None,
                  dest: str | Path | None = None) -> Imported:
    """Download dataset ``name`` from its official address (or ``base_url``), check it, import it."""
    from pactnet.imports.fetch import fetch

    path = fetch(name, base_url=base_url, dest=dest)
    return import_dataset(name, path, db=db)
