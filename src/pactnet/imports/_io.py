"""Reading dataset files: locate a file in a zip, folder or path, parse its CSV and check every cell.

Every importer goes through :func:`read_csv_checked`, so every dataset gets the same validation and the
same error messages: file, line, column, what was expected and what was found.
"""

from __future__ import annotations

import fnmatch
import hashlib
import io
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pactnet.errors import DatasetError
from pactnet.files import check_regular, decode_text, read_limited, read_zip_member

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Sequence

    import polars as pl

__all__ = ["Col", "SourceFile", "find_file", "read_csv_checked"]


@dataclass(frozen=True)
class SourceFile:
    """One dataset file's text (UTF-8 bytes, ``\\n`` line endings) and its name (``name`` is what citations use).

    ``sha256`` is the checksum of that text (so a copy whose line endings were converted keeps it):
    :mod:`pactnet.imports.releases` recognises official files by it.
    """

    name: str
    data: bytes
    origin: str  # the path the user gave (zip, folder or file)
    sha256: str = ""


def _source(name: str, raw: bytes, origin: str) -> SourceFile:
    """A checked source file: decoded as UTF-8 (else refused, located) and normalised."""
    data = decode_text(raw, name=name).encode("utf-8")
    return SourceFile(name, data, origin, hashlib.sha256(data).hexdigest())


def _matches(name: str, patterns: Sequence[str]) -> bool:
    base = name.rsplit("/", 1)[-1].lower()
    return any(fnmatch.fnmatch(base, p.lower()) for p in patterns)


def find_file(path: str | Path, patterns: Sequence[str], *, what: str, required: bool = True) -> SourceFile | None:
    """Locate the file matching one of ``patterns`` (glob on the base name) in a zip, a folder or a path.

    A single file is taken as is, whatever its name, when it is the only candidate the user gave. Every file
    is read through :mod:`pactnet.files`: regular files only, bounded size and expansion, UTF-8 text.
    """
    p = Path(path)
    if not p.exists():
        raise DatasetError(f"no such file or folder (expected {what})", file=str(p))
    if p.is_dir():
        hits = sorted(q for q in p.rglob("*") if q.is_file() and _matches(q.name, patterns))
        # Prefer the first pattern (e.g. the plain file over a variant).
        for pat in patterns:
            for q in hits:
                if _matches(q.name, [pat]):
                    return _source(q.name, read_limited(q, name=q.name), str(p))
        if required:
            raise DatasetError(f"folder has no {what} (looked for {', '.join(patterns)})", file=str(p))
        return None
    check_regular(p, name=str(p))
    if zipfile.is_zipfile(p) or p.suffix.lower() == ".zip":
        try:
            with zipfile.ZipFile(p) as zf:
                names = [n for n in zf.namelist() if not n.endswith("/") and not n.startswith("__MACOSX")]
                for pat in patterns:
                    for n in names:
                        if _matches(n, [pat]):
                            data = read_zip_member(zf, n, name=p.name)
                            return _source(n.rsplit("/", 1)[-1], data, str(p))
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError) as exc:
            raise DatasetError(
                f"not a readable zip archive (truncated or corrupt: {exc}); download it again", file=p.name
            ) from exc
        if required:
            raise DatasetError(f"zip archive has no {what} (looked for {', '.join(patterns)})", file=p.name)
        return None
    if required or _matches(p.name, patterns):
        return _source(p.name, read_limited(p, name=p.name), str(p))
    return None


@dataclass(frozen=True)
class Col:
    """A column a file must have: its name, type and checks.

    ``kind`` is ``int``, ``float``, ``str`` or ``date`` (ISO ``YYYY-MM-DD``). ``null`` lists the cell texts
    read as missing (besides the empty cell); ``nullable=False`` rejects missing cells. ``allowed`` (a
    set) and ``check`` (a vectorised predicate on the typed column, with ``expected`` its description)
    reject bad values.
    """

    name: str
    kind: str = "int"
    nullable: bool = True
    null: tuple[str, ...] = ()
    allowed: frozenset[Any] | None = None
    check: Callable[[pl.Expr], pl.Expr] | None = None
    expected: str | None = None
    rename: str | None = None


_EXPECT = {"int": "an integer", "float": "a number", "date": "a date YYYY-MM-DD", "str": "text"}


def _parse_polars(data: bytes, file: str) -> pl.DataFrame:
    import polars as pl

    if not data.strip():
        raise DatasetError("file is empty", file=file, line=1, expected="a CSV header line", found="")
    if data[:3] == b"\xef\xbb\xbf":
        data = data[3:]
    # Count every row's fields first: polars pads a short row with nulls (a file cut off mid-row reads as
    # valid), and this locates what polars cannot parse.
    _check_field_counts(data, file)
    try:
        return pl.read_csv(io.BytesIO(data), infer_schema=False)
    except pl.exceptions.PolarsError as exc:
        raise DatasetError(f"cannot parse CSV ({_first_line(exc)})", file=file) from None


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0][:200] if text else type(exc).__name__


#: The longest cell a dataset file may have (Python's csv default).
MAX_CELL = 131072


def _check_field_counts(data: bytes, file: str) -> None:
    """Raise at the first row whose number of fields differs from the header's, or that CSV cannot read."""
    import csv

    reader = csv.reader(io.StringIO(data.decode("utf-8", errors="replace"), newline=""))
    start = 1  # the line the row being read starts on
    try:
        header = next(reader, [])
        while True:
            start = reader.line_num + 1
            row = next(reader, None)
            if row is None:
                break
            if row and len(row) != len(header):
                raise DatasetError(
                    "wrong number of fields", file=file, line=start,
                    expected=f"{len(header)} fields as in the header", found=f"{len(row)} fields"
                )
    except csv.Error as exc:
        text = str(exc)
        if "field limit" in text:
            text = f"a cell longer than {MAX_CELL:,} characters (an unclosed quote?)"
        raise DatasetError(f"cannot parse CSV: {text}", file=file, line=start) from None


def read_csv_checked(
    src: SourceFile,
    columns: Sequence[Col],
    *,
    header: str = "ordered",
    exact_header: Sequence[str] | None = None,
    keep_all: bool = False,
) -> pl.DataFrame:
    """Parse ``src`` as CSV, check header and cells, return typed columns plus ``source_row`` (1-based).

    ``header="exact"`` requires ``exact_header`` (default: the column names) in that order;
    ``"ordered"`` requires the named columns to appear in this relative order (extra columns allowed).
    Line numbers in errors count the header as line 1.
    """
    import polars as pl

    file = src.name
    raw = _parse_polars(src.data, file)
    got = raw.columns
    want = [c.name for c in columns]
    if header == "exact":
        expect = list(exact_header or want)
        for i, name in enumerate(expect):
            found = got[i] if i < len(got) else "(end of header)"
            if found.strip().lower() != name.lower():
                raise DatasetError(
                    "wrong header", file=file, line=1, column=name, column_no=i + 1, expected=repr(name), found=found
                )
        if len(got) > len(expect):
            raise DatasetError(
                "wrong header", file=file, line=1, column=got[len(expect)], column_no=len(expect) + 1,
                expected="end of header", found=got[len(expect)]
            )
    lower = {c.strip().lower(): i for i, c in enumerate(got)}
    missing = [c.name for c in columns if c.name.lower() not in lower]
    if missing:
        raise DatasetError(
            "wrong header", file=file, line=1, column=missing[0],
            expected=f"a column {missing[0]!r} (header must have {', '.join(want)})", found=", ".join(got)
        )
    last = -1
    for c in columns:
        pos = lower[c.name.lower()]
        if pos < last:
            before = want[want.index(c.name) - 1]
            raise DatasetError(
                "reordered header", file=file, line=1, column=c.name, column_no=pos + 1,
                expected=f"column {c.name!r} after {before!r} (header must have {', '.join(want)} in this order)",
                found=", ".join(got)
            )
        last = pos
    n = raw.height
    if n == 0:
        raise DatasetError(
            "no data rows", file=file, line=2, expected="data rows after the header", found="end of file"
        )
    out: dict[str, pl.Series] = {}
    for c in columns:
        pos = lower[c.name.lower()]
        s = raw.get_column(got[pos]).str.strip_chars()
        is_null = s.is_null() | (s == "")
        if c.null:
            is_null = is_null | s.is_in(list(c.null))
        s = pl.select(pl.when(is_null).then(None).otherwise(s).alias(c.name)).to_series()
        if c.kind == "int":
            typed = s.cast(pl.Int64, strict=False)
            bad = typed.is_null() & s.is_not_null()
            if bad.any():  # accept "12.0"
                f = s.cast(pl.Float64, strict=False)
                ok = f.is_not_null() & (f == f.floor())
                typed = pl.select(pl.when(bad & ok).then(f.cast(pl.Int64, strict=False)).otherwise(typed)).to_series()
                bad = typed.is_null() & s.is_not_null()
        elif c.kind == "float":
            typed = s.cast(pl.Float64, strict=False)
            bad = typed.is_null() & s.is_not_null()
        elif c.kind == "date":
            typed = s.str.to_date("%Y-%m-%d", strict=False)
            bad = typed.is_null() & s.is_not_null()
        else:
            typed = s
            bad = pl.Series([False] * n)
        if bad.any():
            i = int(bad.arg_true()[0])
            raise DatasetError(
                file=file, line=i + 2, column=c.name, column_no=pos + 1, expected=_EXPECT[c.kind], found=s[i]
            )
        if not c.nullable and typed.null_count():
            i = int(typed.is_null().arg_true()[0])
            raise DatasetError(
                file=file, line=i + 2, column=c.name, column_no=pos + 1, expected=c.expected or _EXPECT[c.kind],
                found=raw.get_column(got[pos])[i] or ""
            )
        if c.allowed is not None:
            badv = typed.is_not_null() & ~typed.is_in(list(c.allowed))
            if badv.any():
                i = int(badv.arg_true()[0])
                raise DatasetError(
                    file=file, line=i + 2, column=c.name, column_no=pos + 1,
                    expected=c.expected or f"one of {sorted(c.allowed)[:12]}", found=s[i]
                )
        if c.check is not None:
            badv = pl.select(typed.is_not_null() & ~c.check(pl.lit(typed))).to_series()
            if badv.any():
                i = int(badv.arg_true()[0])
                raise DatasetError(
                    file=file, line=i + 2, column=c.name, column_no=pos + 1, expected=c.expected or "a valid value",
                    found=s[i]
                )
        out[c.rename or c.name] = typed.alias(c.rename or c.name)
    df = pl.DataFrame(list(out.values()))
    if keep_all:
        named = {c.name.lower() for c in columns}
        extra = [raw.get_column(g).alias(g) for g in got if g.strip().lower() not in named]
        df = df.with_columns(extra)
    from pactnet.imports.releases import check_release

    check_release(src, n)
    return df.with_columns(pl.int_range(1, n + 1, dtype=pl.Int32).alias("source_row"))


def first_bad_row(mask: pl.Series) -> int | None:
    """Index of the first True in ``mask`` or None."""
    if not mask.any():
        return None
    return int(mask.arg_true()[0])


def check_rows(
    df: pl.DataFrame, mask: pl.Series, file: str, *, column: str, expected: str, found: Iterable[Any] | None = None
) -> None:
    """Raise a located :class:`DatasetError` at the first row where ``mask`` is True."""
    i = first_bad_row(mask)
    if i is None:
        return
    row = int(df["source_row"][i])
    value = list(found)[i] if found is not None else df[column][i]
    raise DatasetError(file=file, line=row + 1, column=column, expected=expected, found=value)


@dataclass
class Imported:
    """What an importer produces: tables for the store, ties for the shared table, metadata."""

    dataset: str
    tables: dict[str, Any]
    ties: Any = None
    meta: dict[str, Any] = field(default_factory=dict)
