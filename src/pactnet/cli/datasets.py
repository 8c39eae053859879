"""``pactnet import DATASET PATH`` and ``pactnet fetch DATASET``: thin shells over :mod:`pactnet.imports`."""

from __future__ import annotations

import sys
from contextlib import contextmanager
from typing import TYPE_CHECKING

import click

from pactnet.cli import Command
from pactnet.cli.params import store_options
from pactnet.imports import DATASETS

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

__all__ = ["import_cmd", "fetch"]


def _console():
    from rich.console import Console

    return Console(stderr=True)


def _spinner(text: str):
    from rich.progress import Progress, SpinnerColumn, TextColumn

    prog = Progress(SpinnerColumn(), TextColumn("{task.description}"), transient=True, console=_console(),
                    disable=not sys.stderr.isatty())
    prog.add_task(text, total=None)
    return prog


@contextmanager
def _download_bar(description: str) -> Iterator[Callable[[int, int | None], None]]:
    """A rich progress bar (bytes, total, speed, time left) and the ``progress(done, total)`` callback driving it."""
    from rich.progress import (
        BarColumn,
        DownloadColumn,
        Progress,
        TextColumn,
        TimeRemainingColumn,
        TransferSpeedColumn,
    )

    with Progress(TextColumn("{task.description}"), BarColumn(), DownloadColumn(), TransferSpeedColumn(),
                  TimeRemainingColumn(), transient=True, console=_console(),
                  disable=not sys.stderr.isatty()) as prog:
        task = prog.add_task(description, total=None)

        def update(done: int, total: int | None) -> None:
            prog.update(task, completed=done, total=total)

        yield update


def _report(imp) -> None:
    tables = ", ".join(f"{imp.dataset}_{k} ({v.height:,} rows)" for k, v in imp.tables.items())
    ties = f"; {imp.ties.height:,} ties" if imp.ties is not None else ""
    version = imp.meta.get("version")
    label = imp.dataset + (f" (version {version})" if version and version != "unknown" else "")
    for note in imp.meta.get("release", []):
        warn = note.startswith("warning: ")
        click.echo("Warning: " + note.removeprefix("warning: ") if warn else note, err=warn)
    click.echo(f"Imported {label} from {', '.join(imp.meta.get('files', []))}: {tables}{ties}")


@contextmanager
def _quiet_release_warnings() -> Iterator[None]:
    """The release checks are printed by :func:`_report`; do not repeat them as Python warnings."""
    import warnings

    from pactnet.imports.releases import DatasetWarning

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DatasetWarning)
        yield


@click.command("import", cls=Command)
@click.argument("dataset", type=click.Choice(list(DATASETS)))
@click.argument("path", type=click.Path())
@store_options
def import_cmd(store, dataset: str, path: str) -> None:
    """Import DATASET from PATH (the official zip, its folder or the file) into the store."""
    from pactnet.imports import import_dataset

    with _quiet_release_warnings(), _spinner(f"importing {dataset} from {path}"):
        imp = import_dataset(dataset, path, db=store)
    _report(imp)


@click.command("fetch", cls=Command)
@click.argument("dataset", type=click.Choice(list(DATASETS)))
@store_options
@click.option("--base-url", default=None, envvar="PACTNET_FETCH_BASE",
              help="Fetch the official file name from this base URL instead (mirror or local server).")
@click.option("--dest", type=click.Path(file_okay=False), default=None, help="Download folder (default: user cache).")
def fetch(store, dataset: str, base_url: str | None, dest: str | None) -> None:
    """Download DATASET from its official address, check it and import it."""
    from pactnet.imports import import_dataset
    from pactnet.imports.fetch import fetch as download

    with _download_bar(f"fetching {dataset}") as progress:
        path = download(dataset, base_url=base_url, dest=dest, progress=progress)
    with _quiet_release_warnings(), _spinner(f"importing {dataset}"):
        imp = import_dataset(dataset, path, db=store)
    _report(imp)
