"""Downloading datasets from their official addresses, with checks before anything is imported.

The base URL can be overridden (``--base-url`` or ``PACTNET_FETCH_BASE``): the file name of the
official address is then fetched from that base, so mirrors and a local test server work the same way.
"""

from __future__ import annotations

import hashlib
import os
import urllib.error
import urllib.request
from pathlib import Path

from pactnet.errors import DatasetError, InputError

__all__ = ["SOURCES", "fetch", "source_url"]

#: dataset -> (official URL, expected size in bytes or None, sha256 or None, format).
SOURCES: dict[str, tuple[str, int | None, str | None, str]] = {
    "atop": ("https://www.atopdata.org/uploads/6/9/1/3/69134503/atop_5.1__.csv_.zip", None, None, "zip"),
    "cow-alliances": ("https://correlatesofwar.org/wp-content/uploads/version4.1_csv.zip", None, None, "zip"),
    "cow-states": ("https://correlatesofwar.org/wp-content/uploads/states2016.csv", None, None, "csv"),
    "gw-states": ("http://ksgleditsch.com/data/iisystem.dat", None, None, "text"),
    "dcad": ("https://correlatesofwar.org/wp-content/uploads/kinne_dca.zip", None, None, "zip"),
    "nmc": ("https://correlatesofwar.org/wp-content/uploads/NMC_Documentation-6.0.zip", None, None, "zip"),
    "contiguity": ("https://correlatesofwar.org/wp-content/uploads/DirectContiguity320.zip", None, None, "zip"),
    "rivalries": ("", None, None, "csv"),
}


def source_url(name: str, base_url: str | None = None) -> str:
    if name not in SOURCES:
        raise InputError(f"unknown dataset {name!r}; expected one of {', '.join(SOURCES)}")
    url = SOURCES[name][0]
    base = base_url or os.environ.get("PACTNET_FETCH_BASE")
    if not url and not base:
        raise InputError(f"{name}: has no official download address; download it yourself and run "
                         f"'pactnet import {name} PATH'")
    if base:
        return base.rstrip("/") + "/" + (url.rsplit("/", 1)[-1] if url else f"{name}.csv")
    return url


def _check(name: str, path: Path, size: int | None, sha: str | None, fmt: str) -> None:
    data = path.read_bytes()
    if size is not None and len(data) != size:
        raise DatasetError(f"{path.name}: downloaded {len(data)} bytes, expected {size} (incomplete download?)")
    if sha is not None:
        got = hashlib.sha256(data).hexdigest()
        if not got.startswith(sha):
            raise DatasetError(f"{path.name}: sha256 {got[:16]}..., expected {sha[:16]}... (file changed or corrupt)")
    if fmt == "zip":
        import zipfile

        if not zipfile.is_zipfile(path):
            raise DatasetError(f"{path.name}: expected a zip archive, found {data[:20]!r}...")
        try:
            with zipfile.ZipFile(path) as zf:
                bad = zf.testzip()
        except zipfile.BadZipFile as exc:
            raise DatasetError(f"{path.name}: corrupt zip archive ({exc})") from None
        if bad:
            raise DatasetError(f"{path.name}: corrupt member {bad} in the zip archive")
    elif data[:1] == b"<" or b"<html" in data[:512].lower():
        raise DatasetError(f"{path.name}: expected {fmt} data, found an HTML page (address moved?)")


def fetch(name: str, *, base_url: str | None = None, dest: str | Path | None = None, timeout: float = 60) -> Path:
    """Download ``name`` to ``dest`` (default: a per-user cache folder), check it and return its path."""
    url = source_url(name, base_url)
    _, size, sha, fmt = SOURCES[name]
    folder = Path(dest) if dest else Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "pactnet"
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / url.rsplit("/", 1)[-1]
    part = target.with_name(target.name + ".part")
    try:
        with urllib.request.urlopen(url, timeout=timeout) as resp, open(part, "wb") as fh:
            while chunk := resp.read(1 << 20):
                fh.write(chunk)
    except (urllib.error.URLError, OSError, TimeoutError) as exc:
        part.unlink(missing_ok=True)
        raise DatasetError(f"{url}: download failed ({exc}); download it by hand and run "
                           f"'pactnet import {name} PATH'") from None
    try:
        _check(name, part, size, sha, fmt)
    except DatasetError:
        part.unlink(missing_ok=True)
        raise
    os.replace(part, target)
    return target
