"""Render query results for people (a table) or programs (CSV, JSON, Parquet)."""

from __future__ import annotations

import contextlib
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from .errors import InputError

__all__ = ["FORMATS", "emit"]

FORMATS = ("table", "csv", "json", "parquet")


def _cell(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, list | tuple):
        return ", ".join(str(x) for x in v)
    if isinstance(v, dict):
        return "; ".join(f"{k}: {', '.join(map(str, x)) if isinstance(x, list) else x}" for k, x in v.items())
    return str(v)


def _rows(data: Any) -> list[dict[str, Any]]:
    if hasattr(data, "to_dicts"):
        return data.to_dicts()
    return list(data)


def emit(data: Any, fmt: str = "table", *, columns: Sequence[str] | None = None, out: str | None = None,
         title: str | None = None) -> None:
    """Write ``data`` (a list of dicts or a polars DataFrame) to ``out`` (default stdout) in ``fmt``.

    The table shows ``columns`` only; CSV, JSON and Parquet carry every field. Parquet needs ``out``.
    """
    if fmt not in FORMATS:
        raise InputError(f"--format: expected one of {', '.join(FORMATS)}, got {fmt!r}")
    rows = _rows(data)
    if fmt == "json":
        text = json.dumps(rows, indent=2, default=str, ensure_ascii=False)
        _write(text + "\n", out)
    elif fmt == "csv":
        import csv
        import io

        buf = io.StringIO()
        cols = list(dict.fromkeys(k for r in rows for k in r)) if rows else list(columns or [])
        w = csv.DictWriter(buf, fieldnames=cols, lineterminator="\n")
        w.writeheader()
        for r in rows:
            w.writerow({k: (";".join(map(str, v)) if isinstance(v, list | tuple) else
                            json.dumps(v) if isinstance(v, dict) else v) for k, v in r.items()})
        _write(buf.getvalue(), out)
    elif fmt == "parquet":
        if not out:
            raise InputError("--format parquet needs --out FILE")
        import polars as pl

        frame = data if hasattr(data, "write_parquet") else pl.DataFrame(
            [{k: (json.dumps(v) if isinstance(v, dict) else v) for k, v in r.items()} for r in rows],
            infer_schema_length=None)
        frame.write_parquet(out)
    else:
        from rich.console import Console
        from rich.table import Table

        cols = list(columns or (list(rows[0]) if rows else []))
        table = Table(title=title, show_lines=False, header_style="bold")
        for c in cols:
            if c == "id":  # ids are what people copy into the next command: never broken across lines
                table.add_column(c, no_wrap=True, min_width=max((len(str(r.get(c) or "")) for r in rows), default=2))
            else:
                table.add_column(c, overflow="fold")
        for r in rows:
            table.add_row(*(_cell(r.get(c)) for c in cols))
        with contextlib.ExitStack() as stack:
            stream = stack.enter_context(open(out, "w", encoding="utf-8")) if out else sys.stdout
            # A terminal sets the width; a pipe or a file gets room for a whole row.
            console = Console(file=stream, width=None if stream.isatty() else 220)
            console.print(table)
            if not rows:
                console.print("(no rows)")


def _write(text: str, out: str | None) -> None:
    if out:
        Path(out).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
