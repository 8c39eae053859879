"""The one reading layer for every file a user gives pactnet (dataset CSVs and archives, knowledge-base YAML,
matrices, scenario files).

Every reader goes through these functions, so every file gets the same guards:

- **regular files only**: a folder, a device (``/dev/zero``), a named pipe or a socket is refused before it is
  opened, so nothing reads forever or blocks;
- **bounded size**: a file, a gzip stream or a zip member larger than :func:`max_bytes` (64 MiB by default,
  ``$PACTNET_MAX_INPUT_MB`` to change it) is refused, and decompression stops at the limit, so a small archive
  that expands to gigabytes costs no more memory than the limit;
- **text**: UTF-8 (with or without a byte-order mark) is read as is, printable Windows-1252 (Latin-1) text is
  detected and decoded, anything else is refused with the byte offset, line and column of the first byte that
  is not text; line endings (``\\r\\n``, ``\\r``) are normalised to ``\\n``.

Errors are :class:`~pactnet.errors.DatasetError` naming the file and, where there is one, the line and column.
"""

from __future__ import annotations

import os
import stat
import zipfile
import zlib
from pathlib import Path

from pactnet.errors import DatasetError

__all__ = ["max_bytes", "check_regular", "read_limited", "gunzip_limited", "read_zip_member", "decode_text"]

#: Default limit on the size of one input file (after decompression), in MiB.
DEFAULT_MAX_MB = 64
_CHUNK = 1 << 20


def max_bytes() -> int:
    """The largest input (after decompression) pactnet reads: ``$PACTNET_MAX_INPUT_MB`` MiB, default 64."""
    raw = os.environ.get("PACTNET_MAX_INPUT_MB")
    try:
        mb = float(raw) if raw else DEFAULT_MAX_MB
    except ValueError:
        mb = DEFAULT_MAX_MB
    return int(max(mb, 0.001) * (1 << 20))


def _mb(n: int) -> str:
    return f"{n / (1 << 20):.1f} MiB" if n >= 1 << 20 else f"{n:,} bytes"


def _too_big(file: str, limit: int, what: str = "file") -> DatasetError:
    return DatasetError(f"{what} is larger than the input limit of {_mb(limit)} (set PACTNET_MAX_INPUT_MB to "
                        f"read larger files)", file=file)


def check_regular(path: str | Path, *, name: str | None = None) -> os.stat_result:
    """Stat ``path`` and refuse anything but a regular file (a folder, device, pipe or socket)."""
    p = Path(path)
    name = name or str(p)
    try:
        st = p.stat()
    except FileNotFoundError:
        raise DatasetError("no such file", file=name) from None
    except OSError as exc:
        raise DatasetError(f"cannot read the file ({exc.strerror or exc})", file=name) from None
    if stat.S_ISDIR(st.st_mode):
        raise DatasetError("is a folder; expected a file", file=name)
    if not stat.S_ISREG(st.st_mode):
        kind = ("a named pipe" if stat.S_ISFIFO(st.st_mode) else "a device" if stat.S_ISCHR(st.st_mode)
                or stat.S_ISBLK(st.st_mode) else "a socket" if stat.S_ISSOCK(st.st_mode) else "not a regular file")
        raise DatasetError(f"is {kind}, not a regular file; pactnet reads regular files only", file=name)
    return st


def read_limited(path: str | Path, *, name: str | None = None, limit: int | None = None,
                 decompress: bool = True) -> bytes:
    """The bytes of the regular file ``path`` (gunzipped when its name ends in ``.gz``), at most ``limit``."""
    p = Path(path)
    name = name or str(p)
    limit = max_bytes() if limit is None else limit
    st = check_regular(p, name=name)
    if st.st_size > limit:
        raise _too_big(name, limit)
    try:
        with open(p, "rb") as fh:
            data = fh.read(limit + 1)
    except OSError as exc:
        raise DatasetError(f"cannot read the file ({exc.strerror or exc})", file=name) from None
    if len(data) > limit:  # the file grew while we read it
        raise _too_big(name, limit)
    if decompress and p.name.lower().endswith(".gz"):
        data = gunzip_limited(data, name=name, limit=limit)
    return data


def gunzip_limited(data: bytes, *, name: str, limit: int | None = None) -> bytes:
    """Decompress gzip ``data`` (every member), refusing output beyond ``limit`` bytes."""
    limit = max_bytes() if limit is None else limit
    out: list[bytes] = []
    size = 0
    rest = data
    try:
        while rest:
            d = zlib.decompressobj(16 + zlib.MAX_WBITS)
            buf = rest
            while buf:
                chunk = d.decompress(buf, _CHUNK)
                size += len(chunk)
                if size > limit:
                    raise _too_big(name, limit, "decompressed gzip stream")
                out.append(chunk)
                buf = d.unconsumed_tail
                if d.eof:
                    break
            if not d.eof:
                while True:  # flush what is buffered
                    chunk = d.decompress(b"", _CHUNK)
                    if not chunk:
                        break
                    size += len(chunk)
                    if size > limit:
                        raise _too_big(name, limit, "decompressed gzip stream")
                    out.append(chunk)
                raise DatasetError("truncated gzip file (the stream ends early); download it again", file=name)
            rest = d.unused_data.lstrip(b"\0")
    except zlib.error as exc:
        raise DatasetError(f"not a readable gzip file ({exc})", file=name) from None
    return b"".join(out)


def read_zip_member(zf: zipfile.ZipFile, member: str, *, name: str, limit: int | None = None) -> bytes:
    """One member of an open zip archive, refusing one that expands beyond ``limit`` (declared or actual)."""
    limit = max_bytes() if limit is None else limit
    info = zf.getinfo(member)
    label = f"{name}/{member}"
    if info.file_size > limit:
        raise DatasetError(f"expands to {_mb(info.file_size)} from {_mb(info.compress_size)}, beyond the input "
                           f"limit of {_mb(limit)} (set PACTNET_MAX_INPUT_MB to read larger files)", file=label)
    out: list[bytes] = []
    size = 0
    with zf.open(info) as fh:
        while True:
            chunk = fh.read(_CHUNK)
            if not chunk:
                break
            size += len(chunk)
            if size > limit:
                raise _too_big(label, limit, "zip member")
            out.append(chunk)
    data = b"".join(out)
    if member.lower().endswith(".gz"):
        data = gunzip_limited(data, name=label, limit=limit)
    return data


def _where(data: bytes, offset: int) -> tuple[int, int]:
    """1-based line and column (in characters, approximately) of byte ``offset``."""
    line = data.count(b"\n", 0, offset) + 1
    start = data.rfind(b"\n", 0, offset) + 1
    return line, offset - start + 1


#: Control characters that never occur in a text file (all of C0 but tab, line feed, form feed, carriage return).
_CONTROL = bytes(b for b in range(32) if b not in (9, 10, 12, 13)) + b"\x7f"


def decode_text(data: bytes, *, name: str, fallback: str | None = "cp1252") -> str:
    """``data`` as text, line endings normalised to ``\\n``.

    UTF-8 is read as is (a byte-order mark is dropped), UTF-16 with a byte-order mark is decoded. Text that
    is not UTF-8 is decoded as ``fallback`` (Windows-1252, a superset of Latin-1 for printable text, as in
    Gleditsch and Ward's ``.dat`` files) when every byte is a printable character of it; otherwise it is
    refused with the byte offset, line and column of the first offending byte. Binary data (a NUL or another
    control byte) is refused the same way.
    """
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise DatasetError(f"not valid UTF-16 text (byte offset {exc.start})", file=name) from None
    else:
        if data.startswith(b"\xef\xbb\xbf"):
            data = data[3:]
        bad = _first_control(data)
        if bad is not None:
            line, col = _where(data, bad)
            raise DatasetError(f"binary data (byte 0x{data[bad]:02x} at byte offset {bad}), not a text file",
                               file=name, line=line, column_no=col)
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            text = _fallback(data, exc, name, fallback)
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text


def _first_control(data: bytes) -> int | None:
    if len(data.translate(None, _CONTROL)) == len(data):
        return None
    return min(i for i in (data.find(bytes([b])) for b in _CONTROL) if i >= 0)


def _fallback(data: bytes, exc: UnicodeDecodeError, name: str, fallback: str | None) -> str:
    if fallback is not None:
        try:
            return data.decode(fallback)
        except UnicodeDecodeError:
            pass
    line, col = _where(data, exc.start)
    raise DatasetError(f"not UTF-8 text: byte 0x{data[exc.start]:02x} at byte offset {exc.start} (save the file "
                       f"as UTF-8)", file=name, line=line, column_no=col) from None
