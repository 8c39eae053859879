"""Commands over the knowledge base: validate, build and the temporal queries (thin shells over
:mod:`pactnet.network`)."""

from __future__ import annotations

import sys
from typing import Any

import click

from pactnet.cli import Command
from pactnet.cli.params import ACTOR, DATE, YEAR, kb_option, output_options, store_options, via_option, view_option

__all__ = ["validate", "build", "ties", "allies", "snapshot", "portfolio", "diff", "history", "events", "sources",
           "actors", "attributes", "summary"]

#: The columns a tie table shows (every format but the table carries all of them).
TIE_COLUMNS = ("id", "source", "target", "kind", "level", "drivers", "start", "end", "via")
LEVEL_HELP = "Lowest commitment level: guarantee, assurance, structured, ad_hoc, transactional."


def _spinner(text: str) -> Any:
    from rich.progress import Progress, SpinnerColumn, TextColumn

    progress = Progress(SpinnerColumn(), TextColumn("{task.description}"), transient=True,
                        disable=not sys.stderr.isatty())
    progress.add_task(text, total=None)
    return progress


@click.command(cls=Command)
@kb_option
def validate(kb: str | None) -> None:
    """Check the knowledge-base files: fields, vocabularies, references, dates, phases, sources."""
    from pactnet.kb import load_kb

    counts = load_kb(kb).counts()
    main = ("actors", "ties", "events", "sources")
    text = ", ".join(f"{counts[k]} {k}" for k in main)
    text += f", {counts['disagreements']} records with a briefing view that differs from the record"
    rest = {k: v for k, v in counts.items() if k not in (*main, "disagreements")}
    if rest:
        text += "; " + ", ".join(f"{k.replace('_', ' ')}: {v}" for k, v in rest.items())
    click.echo(f"ok: {text}")


@click.command(cls=Command)
@store_options
@click.option("--force", is_flag=True, help="Rebuild even if up to date; replace an unreadable store file.")
def build(store: Any, force: bool) -> None:
    """Build (or refresh) the store from the knowledge base, keeping imported datasets."""
    if not force and store.path.exists() and store.is_current():
        click.echo(f"{store.path}: up to date")
        return
    with _spinner("validating and writing the knowledge base"):
        kb = store.build(force=force)
    c = kb.counts()
    click.echo(f"{store.path}: {c['actors']} actors, {c['ties']} ties, {c['events']} events, {c['sources']} sources")


@click.command(name="ties", cls=Command)
@click.option("--at", type=DATE, default=None, help="Ties active at this date (a bare year: its last day).")
@click.option("--from", "start", type=DATE, default=None, help="With --to: ties active some time in the range.")
@click.option("--to", "end", type=DATE, default=None, help="End of the range.")
@click.option("--patron", type=ACTOR, default=None, help="Whose ties (e.g. USA, 2, 'United States').")
@click.option("--partner", type=ACTOR, default=None, help="The actor at the other end (e.g. FIN).")
@click.option("--kind", default=None, help="Tie kind (e.g. security_assurance).")
@click.option("--min-level", default=None, help=LEVEL_HELP)
@click.option("--driver", default=None, help="Driver (e.g. gwot).")
@click.option("--dataset", "datasets", multiple=True, help="Also include ties of an imported dataset (e.g. atop).")
@view_option
@via_option
@output_options
@store_options
def ties(store: Any, fmt: str, out: str | None, **kw: Any) -> None:
    """Ties, filtered by date, patron, partner, kind, level and driver."""
    from pactnet import network
    from pactnet.output import emit

    frame = network.ties(db=store, **kw)
    columns = TIE_COLUMNS if kw.get("patron") is None else ("id", "partner", "partner_name", *TIE_COLUMNS[3:])
    emit(frame, fmt, columns=columns, out=out)


@click.command(cls=Command)
@click.option("--patron", type=ACTOR, required=True, help="Whose allies and partners (e.g. USA).")
@click.option("--at", type=DATE, required=True, help="The date (a bare year: its last day).")
@click.option("--min-level", default=None, help=LEVEL_HELP)
@view_option
@output_options
@store_options
def allies(store: Any, fmt: str, out: str | None, patron: str, **kw: Any) -> None:
    """One row per ally or partner at a date: its highest level, the kinds of tie, the organisations."""
    from pactnet import network
    from pactnet.output import emit

    emit(network.allies(patron, db=store, **kw), fmt, out=out,
         columns=("partner", "partner_name", "partner_ccode", "level", "kinds", "via"))


@click.command(cls=Command)
@click.option("--at", type=DATE, required=True, help="Date of the snapshot.")
@click.option("--patron", type=ACTOR, default=None, help="Keep only the ego network of this actor.")
@click.option("--min-level", default=None, help=LEVEL_HELP)
@click.option("--out", "-o", type=click.Path(dir_okay=False), default=None,
              help="Write the graph to FILE (.graphml or .gexf); without it, print a summary.")
@view_option
@via_option
@store_options
def snapshot(store: Any, out: str | None, **kw: Any) -> None:
    """The network at a date; export GraphML or GEXF for Gephi."""
    from pactnet import network
    from pactnet.graphio import write_graph

    g = network.snapshot(db=store, **kw)
    if out:
        write_graph(g, out)
        click.echo(f"{out}: {g.number_of_nodes()} actors, {g.number_of_edges()} ties at {g.graph['date']}")
    else:
        click.echo(f"{g.number_of_nodes()} actors, {g.number_of_edges()} ties at {g.graph['date']} "
                   f"(view: {g.graph['view']}); use --out FILE.graphml|.gexf to export")


@click.command(cls=Command)
@click.option("--patron", type=ACTOR, required=True, help="Whose portfolio to count (e.g. USA).")
@click.option("--from", "start", type=YEAR, default=1990, show_default=True, help="First year.")
@click.option("--to", "end", type=YEAR, default=2024, show_default=True, help="Last year.")
@click.option("--by", type=click.Choice(["level", "driver", "region", "kind"]), default="level", show_default=True)
@click.option("--wide/--long", default=True, show_default=True, help="One row per year (wide) or per year and group.")
@view_option
@via_option
@output_options
@store_options
def portfolio(store: Any, fmt: str, out: str | None, wide: bool, by: str, patron: str, **kw: Any) -> None:
    """A patron's ties per year by commitment level, driver, region or kind."""
    from pactnet import network
    from pactnet.output import emit

    frame = network.portfolio(patron, db=store, by=by, **kw)
    if wide:
        frame = frame.pivot(on=by, index="year", values="ties", maintain_order=True)
    emit(frame, fmt, out=out)


@click.command(name="diff", cls=Command)
@click.option("--from", "start", type=DATE, required=True, help="Earlier date (a bare year: its first day).")
@click.option("--to", "end", type=DATE, required=True, help="Later date (a bare year: its last day).")
@click.option("--patron", type=ACTOR, default=None, help="Only ties of this actor.")
@click.option("--min-level", default=None, help=LEVEL_HELP)
@view_option
@via_option
@output_options
@store_options
def diff(store: Any, fmt: str, out: str | None, start: str, end: str, **kw: Any) -> None:
    """Ties added, ended, upgraded, downgraded and transient between two dates."""
    from pactnet import network
    from pactnet.output import emit

    emit(network.diff(start, end, db=store, **kw), fmt, columns=("change", *TIE_COLUMNS), out=out)


@click.command(cls=Command)
@click.argument("actor", type=ACTOR)
@view_option
@via_option
@output_options
@store_options
def history(store: Any, actor: str, fmt: str, out: str | None, **kw: Any) -> None:
    """An actor's ties and events over time."""
    from pactnet import network
    from pactnet.output import emit

    frame = network.history(actor, db=store, **kw)
    emit(frame, fmt, columns=("date", "type", "kind", "level", "with", "end", "id"), out=out,
         title=network.resolve_actor(actor, db=store))


@click.command(name="events", cls=Command)
@click.option("--from", "start", type=DATE, default=None, help="Earliest date.")
@click.option("--to", "end", type=DATE, default=None, help="Latest date.")
@click.option("--actor", type=ACTOR, default=None, help="Events involving this actor.")
@click.option("--kind", default=None, help="Event kind (accession, designation, invasion ...).")
@click.option("--tie", default=None, help="Events affecting this tie.")
@view_option
@output_options
@store_options
def events(store: Any, fmt: str, out: str | None, **kw: Any) -> None:
    """Dated events: formations, accessions, designations, invasions, withdrawals ..."""
    from pactnet import network
    from pactnet.output import emit

    emit(network.events(db=store, **kw), fmt, columns=("date", "kind", "actors", "description", "id"), out=out)


@click.command(name="sources", cls=Command)
@click.option("--record", default=None, help="Citations of one record (tie, event or actor id).")
@click.option("--source", default=None, help="Uses of one source.")
@click.option("--disagreements", is_flag=True, help="Records where the briefing and the public record differ.")
@output_options
@store_options
def sources(store: Any, fmt: str, out: str | None, record: str | None, source: str | None,
            disagreements: bool) -> None:
    """Sources and where each record cites them; or the briefing-versus-record disagreements."""
    from pactnet import network
    from pactnet.output import emit

    if disagreements:
        emit(network.disagreements(db=store), fmt, out=out,
             columns=("type", "id", "record_start", "briefing_start", "record_end", "briefing_end", "record_level",
                      "briefing_level", "note"))
        return
    emit(network.sources(record, source=source, db=store), fmt, out=out,
         columns=("id", "record", "view", "locator", "citation"))


@click.command(name="actors", cls=Command)
@click.option("--kind", default=None, help="Actor kind (state, alliance_organisation, nsag ...).")
@output_options
@store_options
def actors(store: Any, fmt: str, out: str | None, kind: str | None) -> None:
    """Actors with their COW and ISO3 codes."""
    from pactnet import network
    from pactnet.output import emit

    emit(network.actors(kind, db=store), fmt, columns=("id", "name", "kind", "ccode", "iso3", "region"), out=out)


@click.command(name="attributes", cls=Command)
@click.argument("attribute", required=False)
@click.option("--actor", type=ACTOR, default=None, help="Attributes of this actor (or naming it as the other).")
@click.option("--at", type=DATE, default=None, help="Keep those holding on this date (a bare year: its last day).")
@output_options
@store_options
def attributes(store: Any, fmt: str, out: str | None, **kw: Any) -> None:
    """Context attributes of actors (revisionist, nuclear_weapons, contiguity) with their dates and sources."""
    from pactnet import network
    from pactnet.output import emit

    emit(network.attributes(db=store, **kw), fmt, out=out,
         columns=("actor", "attribute", "other", "value", "start", "end", "sources"))


@click.command(cls=Command)
@click.option("--patron", type=ACTOR, default="USA", show_default=True)
@click.option("--from", "start", type=YEAR, default=1990, show_default=True)
@click.option("--to", "end", type=YEAR, default=2024, show_default=True)
@click.option("--change", nargs=2, type=YEAR, default=(2006, 2022), show_default=True,
              help="Two years: list the ties added and ended between them.")
@view_option
@store_options
def summary(store: Any, patron: str, start: int, end: int, change: tuple[int, int], view: str) -> None:
    """A briefing-style summary: the portfolio by commitment level and the ties added and ended."""
    from pactnet.report import portfolio_summary

    click.echo(portfolio_summary(patron, start=start, end=end, change=change, view=view, db=store))
