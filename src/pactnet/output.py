"""Render query frames for people (a table) or programs (CSV, JSON, Parquet), and write files safely.

- JSON: a list of objects; lists stay arrays, missing values are ``null``, dates ISO 8601.
- CSV: one header row; list cells are joined with ``;``; missing values are empty.
- Parquet: the frame with its types (an empty result keeps its schema).
- Table: the chosen columns, dates shown at their precision (``2002``, ``1973-11``, ``~1950``).

Every file is written atomically (a temporary file beside it, then renamed), never over a pactnet store.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import json
import os
import sys
import tempfile
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from .errors import InputError

if TYPE_CHECKING:  # pragma: no cover
    import polars as pl

__all__ = ["FORMATS", "emit", "atomic_write", "show_date"]

FORMATS = ("table", "csv", "json", "parquet")
#: Separator of list cells in CSV output.
LIST_SEPARATOR = ";"


def show_date(value: dt.date | None, precision: str | None) -> str:
    """A date at its precision: ``2002``, ``1973-11``, ``2023-04-04``, ``~1950``; empty when missing."""
    if value is None:
        return ""
    if precision == "year":
        return f"{value.year}"
    if precision == "month":
        return f"{value.year}-{value.month:02d}"
    if precision == "approximate":
        return f"~{value.year}"
    return value.isoformat()


def _is_store(path: Path) -> bool:
    """Whether ``path`` is a pactnet store (or its lock, WAL or temporary file)."""
    from .store import default_db_path

    stores = {default_db_path().resolve()}
    env = os.environ.get("PACTNET_DB")
    if env:
        stores.add(Path(env).expanduser().resolve())
    target = path.resolve()
    for store in stores:
        same = target.parent == store.parent and (
            target.name == store.name or target.name.startswith((store.name + ".", "." + store.name + ".")))
        if same:
            return True
    try:
        with open(target, "rb") as fh:
            head = fh.read(16)
    except OSError:
        return False
    return head[8:12] == b"DUCK"


@contextlib.contextmanager
def atomic_write(path: str | Path, *, binary: bool = False, param: str = "out") -> Iterator[IO[Any]]:
    """Open a temporary file beside ``path`` that replaces it only when the block succeeds.

    Refuses a path that is a DuckDB database (a pactnet store above all), a folder, or not writable, with an
    :class:`~pactnet.errors.InputError` naming ``param``.
    """
    target = Path(path)
    if target.is_dir():
        raise InputError(f"{target} is a folder; expected a file name", param=param)
    if target.exists() and _is_store(target):
        raise InputError(f"{target} is a database; pactnet will not write output over it", param=param)
    parent = target.parent if str(target.parent) else Path(".")
    if not parent.is_dir():
        raise InputError(f"{target}: the folder {parent} does not exist", param=param)
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=parent)
    except OSError as exc:
        raise InputError(f"{target}: cannot write here ({exc.strerror})", param=param) from None
    try:
        with os.fdopen(fd, "wb" if binary else "w", **({} if binary else {"encoding": "utf-8", "newline": ""})) as fh:
            yield fh
        os.replace(tmp, target)
    except OSError as exc:
        raise InputError(f"{target}: cannot write ({exc.strerror or exc})", param=param) from None
    finally:
        with contextlib.suppress(OSError):
            os.unlink(tmp)


def _frame(data: Any) -> pl.DataFrame:
    import polars as pl

    if isinstance(data, pl.DataFrame):
        return data
    return pl.DataFrame(list(data), infer_schema_length=None)


def _json(frame: pl.DataFrame) -> str:
    def default(v: Any) -> Any:
        if isinstance(v, dt.date | dt.datetime):
            return v.isoformat()
        return str(v)

    return json.dumps(frame.to_dicts(), indent=2, default=default, ensure_ascii=False) + "\n"


def _csv(frame: pl.DataFrame) -> str:
    import polars as pl

    flat = frame.with_columns(
        [pl.col(c).list.join(LIST_SEPARATOR) for c, t in frame.schema.items() if isinstance(t, pl.List)]
        + [pl.col(c).struct.json_encode() for c, t in frame.schema.items() if isinstance(t, pl.Struct)])
    buf = io.StringIO()
    flat.write_csv(buf)
    return buf.getvalue()


def _cells(frame: pl.DataFrame, columns: Sequence[str]) -> list[list[str]]:
    rows = frame.to_dicts()
    out = []
    for r in rows:
        cells = []
        for c in columns:
            v = r.get(c)
            if isinstance(v, dt.date) and not isinstance(v, dt.datetime):
                cells.append(show_date(v, r.get(f"{c}_precision", "day")))
            elif v is None:
                cells.append("")
            elif isinstance(v, list | tuple):
                cells.append(", ".join(map(str, v)))
            else:
                cells.append(str(v))
        out.append(cells)
    return out


def _table(frame: pl.DataFrame, columns: Sequence[str] | None, title: str | None, stream: IO[str]) -> None:
    from rich.console import Console
    from rich.table import Table

    cols = [c for c in (columns or frame.columns) if c in frame.columns]
    rows = _cells(frame, cols)
    table = Table(title=title, show_lines=False, header_style="bold")
    for i, c in enumerate(cols):
        if c == "id":  # ids are what people copy into the next command: never broken across lines
            table.add_column(c, no_wrap=True, min_width=max((len(r[i]) for r in rows), default=2))
        else:
            table.add_column(c, overflow="fold")
    for r in rows:
        table.add_row(*r)
    # A terminal sets the width; a pipe or a file gets room for a whole row.
    console = Console(file=stream, width=None if stream.isatty() else 220)
    console.print(table)
    if not rows:
        console.print("(no rows)")


def emit(data: Any, fmt: str = "table", *, columns: Sequence[str] | None = None, out: str | Path | None = None,
         title: str | None = None) -> None:
    """Write ``data`` (a polars DataFrame, or a list of dicts) to ``out`` (default stdout) in ``fmt``.

    The table shows ``columns`` only; CSV, JSON and Parquet carry every column. Parquet needs ``out``.
    """
    if fmt not in FORMATS:
        raise InputError(f"expected one of {', '.join(FORMATS)}, got {fmt!r}", param="format")
    frame = _frame(data)
    if fmt == "parquet":
        if not out:
            raise InputError("the parquet format needs an output file", param="out")
        with atomic_write(out, binary=True) as fh:
            frame.write_parquet(fh)
        return
    render: Callable[[IO[str]], None]
    if fmt == "json":
        text = _json(frame)
        render = lambda fh: fh.write(text)  # noqa: E731
    elif fmt == "csv":
        text = _csv(frame)
        render = lambda fh: fh.write(text)  # noqa: E731
    else:
        render = lambda fh: _table(frame, columns, title, fh)  # noqa: E731
    if out:
        with atomic_write(out) as fh:
            render(fh)
    else:
        render(sys.stdout)
