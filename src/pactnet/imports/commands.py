"""``pactnet import DATASET PATH`` and ``pactnet fetch DATASET``: thin shells over :mod:`pactnet.imports`."""

from __future__ import annotations

import click

_NAMES = ["atop", "cow-alliances", "cow-states", "gw-states", "dcad", "nmc", "contiguity", "rivalries"]


def _fail(exc: Exception) -> None:
    from pactnet.errors import PactnetError

    if isinstance(exc, PactnetError):
        click.echo(f"Error: {exc}", err=True)
        raise SystemExit(exc.exit_code)
    raise exc


def _report(imp) -> None:
    tables = ", ".join(f"{imp.dataset}_{k} ({v.height:,} rows)" for k, v in imp.tables.items())
    ties = f"; {imp.ties.height:,} ties" if imp.ties is not None else ""
    click.echo(f"Imported {imp.dataset} {imp.meta.get('version', '')} from {', '.join(imp.meta.get('files', []))}: "
               f"{tables}{ties}")


@click.command("import")
@click.argument("dataset", type=click.Choice(_NAMES))
@click.argument("path", type=click.Path())
@click.option("--db", type=click.Path(dir_okay=False), default=None,
              help="Store file (default: PACTNET_DB or per-user).")
def import_cmd(dataset: str, path: str, db: str | None) -> None:
    """Import DATASET from PATH (the official zip, its folder or the file) into the store."""
    from rich.progress import Progress, SpinnerColumn, TextColumn

    from pactnet.imports import import_dataset

    try:
        with Progress(SpinnerColumn(), TextColumn("{task.description}"), transient=True) as prog:
            prog.add_task(f"importing {dataset} from {path}", total=None)
            imp = import_dataset(dataset, path, db)
    except Exception as exc:  # noqa: BLE001 - translated in one place
        _fail(exc)
    _report(imp)


@click.command("fetch")
@click.argument("dataset", type=click.Choice(_NAMES))
@click.option("--db", type=click.Path(dir_okay=False), default=None)
@click.option("--base-url", default=None, envvar="PACTNET_FETCH_BASE",
              help="Fetch the official file name from this base URL instead (mirror or local server).")
@click.option("--dest", type=click.Path(file_okay=False), default=None, help="Download folder (default: user cache).")
def fetch(dataset: str, db: str | None, base_url: str | None, dest: str | None) -> None:
    """Download DATASET from its official address, check it and import it."""
    from rich.progress import Progress, SpinnerColumn, TextColumn

    from pactnet.imports import fetch_dataset

    try:
        with Progress(SpinnerColumn(), TextColumn("{task.description}"), transient=True) as prog:
            prog.add_task(f"fetching {dataset}", total=None)
            imp = fetch_dataset(dataset, db, base_url=base_url, dest=dest)
    except Exception as exc:  # noqa: BLE001
        _fail(exc)
    _report(imp)
