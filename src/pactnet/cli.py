"""The ``pactnet`` command line: each command parses its options, calls one library function and
prints the result. Errors a user can cause are printed as one ``Error: ...`` line with exit status 2.

Heavy libraries are imported inside the commands, so ``pactnet --help`` stays fast.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from typing import Any

import click

from .errors import PactnetError

__all__ = ["main"]

TIE_COLUMNS = ("id", "source", "target", "kind", "level", "drivers", "start", "end", "via")


class _Group(click.Group):
    """Turns PactnetError into one line per problem on stderr and exit status 2."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except PactnetError as exc:
            errors = getattr(exc, "all_errors", None) or [exc]
            for err in errors:
                click.echo(f"Error: {err}", err=True)
            if len(errors) > 1:
                click.echo(f"{len(errors)} errors", err=True)
            ctx.exit(exc.exit_code)


def _db_option(f: Callable) -> Callable:
    return click.option("--db", type=click.Path(dir_okay=False), default=None, envvar="PACTNET_DB",
                        help="The DuckDB store (default: ~/.local/share/pactnet/pactnet.duckdb, or $PACTNET_DB).")(f)


def _output_options(f: Callable) -> Callable:
    f = click.option("--out", "-o", type=click.Path(dir_okay=False), default=None,
                     help="Write to this file instead of standard output.")(f)
    return click.option("--format", "fmt", type=click.Choice(["table", "csv", "json", "parquet"]),
                        default="table", show_default=True, help="Output format.")(f)


def _view_option(f: Callable) -> Callable:
    return click.option("--view", type=click.Choice(["record", "briefing"]), default="record", show_default=True,
                        help="The public record, or the briefing's own dates and levels where they differ.")(f)


def _via_option(f: Callable) -> Callable:
    return click.option("--via/--no-via", default=True, show_default=True,
                        help="Include ties held through a common alliance organisation (via NATO ...).")(f)


def _kb_option(f: Callable) -> Callable:
    return click.option("--kb", "kb_dir", type=click.Path(exists=True), default=None, envvar="PACTNET_KB",
                        help="Knowledge-base folder (default: the shipped one).")(f)


def _store(db: str | None, kb_dir: str | None = None) -> Any:
    from .store import Store

    return Store(db, kb_dir)


def _with_store(f: Callable) -> Callable:
    """Give the command a ``store`` built from ``--db`` and ``--kb``."""

    @_db_option
    @_kb_option
    @functools.wraps(f)
    def wrapper(db: str | None, kb_dir: str | None, **kw: Any) -> Any:
        return f(store=_store(db, kb_dir), **kw)

    return wrapper


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="pactnet")
def main() -> None:
    """pactnet: US alliances and security partnerships as sourced, time-stamped data.

    Start with 'pactnet build', then 'pactnet ties --patron USA --at 2021-12-31'.
    """


@main.command()
@_kb_option
def validate(kb_dir: str | None) -> None:
    """Check the knowledge-base files: fields, vocabularies, references, dates, phases, sources."""
    from .kb import load_kb

    kb = load_kb(kb_dir)
    c = kb.counts()
    click.echo(f"ok: {c['actors']} actors, {c['ties']} ties, {c['events']} events, {c['sources']} sources, "
               f"{c['disagreements']} records with a briefing view that differs from the record")


@main.command()
@_with_store
@click.option("--force", is_flag=True, help="Rebuild even if the store is up to date.")
def build(store: Any, force: bool) -> None:
    """Build (or refresh) the store from the knowledge base, keeping imported datasets."""
    if not force and store.is_current():
        click.echo(f"{store.path}: up to date")
        return
    from rich.progress import Progress, SpinnerColumn, TextColumn

    with Progress(SpinnerColumn(), TextColumn("{task.description}"), transient=True,
                  disable=not sys.stderr.isatty()) as progress:
        progress.add_task("validating and writing the knowledge base", total=None)
        kb = store.build()
    c = kb.counts()
    click.echo(f"{store.path}: {c['actors']} actors, {c['ties']} ties, {c['events']} events, {c['sources']} sources")


@main.command(name="ties")
@click.option("--at", default=None, help="Keep ties active at this date (YYYY-MM-DD, YYYY-MM or YYYY).")
@click.option("--patron", default=None, help="Actor id at one end (e.g. USA).")
@click.option("--partner", default=None, help="Actor id at the other end (e.g. FIN).")
@click.option("--kind", default=None, help="Tie kind (e.g. security_assurance).")
@click.option("--min-level", default=None,
              help="Lowest commitment level: guarantee, assurance, structured, ad_hoc, transactional.")
@click.option("--driver", default=None, help="Driver (e.g. gwot).")
@click.option("--dataset", "datasets", multiple=True, help="Also include ties of an imported dataset (e.g. atop).")
@_view_option
@_via_option
@_output_options
@_with_store
def ties_cmd(store: Any, fmt: str, out: str | None, datasets: tuple[str, ...], **kw: Any) -> None:
    """Ties, filtered by date, patron, partner, kind, level and driver."""
    from . import network
    from .output import emit

    rows = network.ties(db=store, datasets=datasets, **kw)
    emit(rows, fmt, columns=TIE_COLUMNS, out=out)


@main.command()
@click.option("--at", required=True, help="Date of the snapshot.")
@click.option("--patron", default=None, help="Keep only the ego network of this actor.")
@click.option("--min-level", default=None, help="Lowest commitment level.")
@click.option("--out", "-o", type=click.Path(dir_okay=False), default=None,
              help="Write the graph to FILE (.graphml or .gexf); without it, print a summary.")
@_view_option
@_via_option
@_with_store
def snapshot(store: Any, out: str | None, **kw: Any) -> None:
    """The network at a date; export GraphML or GEXF for Gephi."""
    from . import network
    from .graphio import write_graph

    g = network.snapshot(db=store, **kw)
    if out:
        write_graph(g, out)
        click.echo(f"{out}: {g.number_of_nodes()} actors, {g.number_of_edges()} ties at {g.graph['date']}")
    else:
        click.echo(f"{g.number_of_nodes()} actors, {g.number_of_edges()} ties at {g.graph['date']} "
                   f"(view: {g.graph['view']}); use --out FILE.graphml|.gexf to export")


@main.command()
@click.option("--patron", required=True, help="Actor whose portfolio to count (e.g. USA).")
@click.option("--from", "start", default="1990", show_default=True, help="First year.")
@click.option("--to", "end", default="2024", show_default=True, help="Last year.")
@click.option("--by", type=click.Choice(["level", "driver", "region", "kind"]), default="level", show_default=True)
@click.option("--wide/--long", default=True, show_default=True, help="One row per year (wide) or per year and group.")
@_view_option
@_via_option
@_output_options
@_with_store
def portfolio(store: Any, fmt: str, out: str | None, wide: bool, by: str, **kw: Any) -> None:
    """A patron's ties per year by commitment level, driver, region or kind."""
    from . import network
    from .output import emit

    frame = network.portfolio(db=store, by=by, **kw)
    if wide:
        frame = frame.pivot(on=by, index="year", values="ties", maintain_order=True)
    emit(frame, fmt, out=out)


@main.command(name="diff")
@click.option("--from", "start", required=True, help="Earlier date.")
@click.option("--to", "end", required=True, help="Later date.")
@click.option("--patron", default=None, help="Only ties of this actor.")
@click.option("--min-level", default=None, help="Lowest commitment level.")
@_view_option
@_via_option
@_output_options
@_with_store
def diff_cmd(store: Any, fmt: str, out: str | None, **kw: Any) -> None:
    """Ties added, ended, upgraded and downgraded between two dates."""
    from . import network
    from .output import emit

    d = network.diff(db=store, **kw)
    rows = [{"change": change, **t} for change, lst in d.items() for t in lst]
    emit(rows, fmt, columns=("change", *TIE_COLUMNS), out=out)


@main.command()
@click.argument("actor")
@_view_option
@_via_option
@_output_options
@_with_store
def history(store: Any, actor: str, fmt: str, out: str | None, **kw: Any) -> None:
    """An actor's ties and events over time."""
    from . import network
    from .output import emit

    h = network.history(actor, db=store, **kw)
    if fmt == "json":
        emit([h], fmt, out=out)
        return
    rows = [{"date": t["start"], "type": "tie", "what": f"{t['kind']} ({t['level']})",
             "with": t["target"] if t["source"] == actor else t["source"], "until": t["end"], "id": t["id"]}
            for t in h["ties"]]
    rows += [{"date": e["date"], "type": "event", "what": e["kind"],
              "with": ", ".join(a for a in e["actors"] if a != actor), "until": None, "id": e["id"]}
             for e in h["events"]]
    rows.sort(key=lambda r: (r["date"], r["type"]))
    emit(rows, fmt, columns=("date", "type", "what", "with", "until", "id"), out=out, title=h["actor"]["name"])


@main.command(name="events")
@click.option("--from", "start", default=None, help="Earliest date.")
@click.option("--to", "end", default=None, help="Latest date.")
@click.option("--actor", default=None, help="Events involving this actor.")
@click.option("--kind", default=None, help="Event kind (accession, designation, invasion ...).")
@click.option("--tie", default=None, help="Events affecting this tie.")
@_view_option
@_output_options
@_with_store
def events_cmd(store: Any, fmt: str, out: str | None, **kw: Any) -> None:
    """Dated events: formations, accessions, designations, invasions, withdrawals ..."""
    from . import network
    from .output import emit

    emit(network.events(db=store, **kw), fmt, columns=("date", "kind", "actors", "description", "id"), out=out)


@main.command(name="sources")
@click.option("--record", default=None, help="Citations of one record (tie, event or actor id).")
@click.option("--source", default=None, help="Uses of one source.")
@click.option("--disagreements", is_flag=True, help="Records where the briefing and the public record differ.")
@_output_options
@_with_store
def sources_cmd(store: Any, fmt: str, out: str | None, record: str | None, source: str | None,
                disagreements: bool) -> None:
    """Sources and where each record cites them; or the briefing-versus-record disagreements."""
    from . import network
    from .output import emit

    if disagreements:
        rows = network.disagreements(db=store)
        emit(rows, fmt, out=out, columns=("type", "id", "record_start", "briefing_start", "record_end",
                                           "briefing_end", "record_level", "briefing_level", "note"))
        return
    emit(network.sources(record, source=source, db=store), fmt, out=out,
         columns=("id", "record", "view", "locator", "citation"))


@main.command(name="actors")
@click.option("--kind", default=None, help="Actor kind (state, alliance_organisation, nsag ...).")
@_output_options
@_with_store
def actors_cmd(store: Any, fmt: str, out: str | None, kind: str | None) -> None:
    """Actors with their COW and ISO3 codes."""
    from . import network
    from .output import emit

    emit(network.actors(kind, db=store), fmt, columns=("id", "name", "kind", "ccode", "iso3", "region"), out=out)


@main.command()
@click.option("--patron", default="USA", show_default=True)
@click.option("--from", "start", default=1990, show_default=True, type=int)
@click.option("--to", "end", default=2024, show_default=True, type=int)
@click.option("--change", nargs=2, type=int, default=(2006, 2022), show_default=True,
              help="Two years: list the ties added and ended between them.")
@_view_option
@_with_store
def summary(store: Any, patron: str, start: int, end: int, change: tuple[int, int], view: str) -> None:
    """A briefing-style summary: the portfolio by commitment level and the ties added and ended."""
    from .report import portfolio_summary

    click.echo(portfolio_summary(patron, start, end, change=change, view=view, db=store))


def _register_optional() -> None:
    """Commands of the importer, panel and model packages (their heavy imports stay lazy)."""
    for module, names in (("pactnet.imports.commands", ("import_cmd", "fetch")),
                          ("pactnet.panel.commands", ("panel",)),
                          ("pactnet.landscape.commands", ("landscape",)),
                          ("pactnet.web.commands", ("serve", "report", "figure"))):
        try:
            mod = __import__(module, fromlist=list(names))
        except ModuleNotFoundError as exc:
            if exc.name and exc.name.startswith("pactnet"):
                continue
            raise
        for name in names:
            cmd = getattr(mod, name, None)
            if isinstance(cmd, click.Command):
                main.add_command(cmd)


_register_optional()

if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
