"""``pactnet panel dyad-year|state-year``: thin shells over :func:`pactnet.panel.build_dyad_years`, which runs
:func:`~pactnet.panel.create_dyad_years` and then one verb per ``--with`` name, in the order given."""

from __future__ import annotations

import time

import click

from pactnet.cli import Group
from pactnet.cli.params import YEAR, CommaList, store_options


def _common(f):
    opts = [
        click.option("--system", type=click.Choice(["cow", "gw"]), default="cow", show_default=True),
        click.option("--from", "start", type=YEAR, default=1816, show_default=True, help="First year."),
        click.option("--to", "end", type=YEAR, default=None,
                     help="Last year (default: the state data's last year; later years need --carry-forward)."),
        click.option("--carry-forward", is_flag=True,
                     help="Carry the states alive at the state data's end on to --to (peacesciencer's default), "
                          "at most 30 years."),
        click.option("--with", "with_", type=CommaList(), default="",
                     help="Verbs to apply, in this order: atop,cow,dcad,contiguity,rivalry,nmc,kb,majors,capitals "
                          "(add_atop, add_cow_alliances, add_dcad, add_contiguity, add_rivalries, add_nmc, add_kb, "
                          "add_major_powers, add_capital_distance)."),
        click.option("--out", type=click.Path(dir_okay=False), required=True, help="Output .parquet or .csv."),
        store_options,
        click.option("--states", type=click.Path(), default=None, help="State list file (else the store's)."),
        click.option("--atop", type=click.Path(), default=None,
                     help="ATOP member file, folder or zip (else the store's)."),
        click.option("--nmc", type=click.Path(), default=None, help="NMC file (else the store's)."),
        click.option("--majors", type=click.Path(), default=None, help="COW major powers file (else the store's)."),
        click.option("--report-dropped", type=click.Path(dir_okay=False), default=None,
                     help="Write the attribute rows that found no panel row to this CSV."),
    ]
    for o in reversed(opts):
        f = o(f)
    return f


def _run(build, out: str, report_dropped: str | None) -> None:
    import sys
    import warnings

    from rich.progress import Progress, SpinnerColumn, TextColumn

    from pactnet.panel.sources import PanelWarning

    t0 = time.perf_counter()
    with Progress(SpinnerColumn(), TextColumn("{task.description}"), transient=True,
                  disable=not sys.stderr.isatty()) as prog, warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", PanelWarning)
        prog.add_task("building the panel", total=None)
        panel = build()
        panel.write(out)
        if report_dropped:
            panel.write_dropped(report_dropped)
    for w in caught:
        if issubclass(w.category, PanelWarning):
            click.echo(f"Warning: {w.message}", err=True)
        else:
            warnings.showwarning(w.message, w.category, w.filename, w.lineno)
    msg = f"Wrote {panel.height:,} {panel.kind.replace('_', '-')}s to {out} in {time.perf_counter() - t0:.2f} s"
    dropped = panel.dropped_counts()
    if dropped:
        why = {"outside_years": f"outside {panel.start}-{panel.end}", "outside_system": "outside the state system",
               "filtered": "filtered out", "no_counterpart": "without a G-W code"}
        parts = []
        for k, v in dropped.items():
            by = panel.dropped_by_reason().get(k, {})
            parts.append(f"{k} {v:,} (" + ", ".join(f"{n:,} {why.get(r, r)}" for r, n in by.items()) + ")")
        msg += "; rows outside the panel: " + ", ".join(parts)
        if not report_dropped:
            msg += " (list them with --report-dropped PATH)"
    click.echo(msg)


@click.group("panel", cls=Group)
def panel() -> None:
    """Build dyad-year and state-year panels (peacesciencer semantics)."""


@panel.command("dyad-year")
@_common
@click.option("--directed/--undirected", default=True, show_default=True)
@click.option("--cow-alliances", "cow", type=click.Path(), default=None, help="COW alliance files (else the store's).")
@click.option("--dcad", type=click.Path(), default=None)
@click.option("--contiguity", type=click.Path(), default=None)
@click.option("--rivalries", "rivalry", type=click.Path(), default=None)
@click.option("--capitals", type=click.Path(), default=None, help="Capitals file (else the store's).")
@click.option("--false-dyads", type=click.Path(), default=None,
              help="CSV of dyad-years to leave out (ccode1, ccode2, year; e.g. false_cow_dyads.csv): needed only with "
                   "a state list without days (system2016.csv).")
def dyad_year(system, start, end, carry_forward, with_, out, store, states, atop, nmc, majors, report_dropped,
              directed, cow, dcad, contiguity, rivalry, capitals, false_dyads) -> None:
    """Every pair of system members alive in the same year, with attributes joined on ccode1, ccode2, year."""
    from pactnet.panel.sources import build_dyad_years

    paths = {"states": states, "atop": atop, "nmc": nmc, "majors": majors, "cow": cow, "dcad": dcad,
             "contiguity": contiguity, "rivalry": rivalry, "capitals": capitals, "false_dyads": false_dyads}
    _run(lambda: build_dyad_years(system=system, directed=directed, start=start, end=end,
                                  carry_forward=carry_forward, attributes=with_, db=store, paths=paths),
         out, report_dropped)


@panel.command("state-year")
@_common
def state_year(system, start, end, carry_forward, with_, out, store, states, atop, nmc, majors,
               report_dropped) -> None:
    """Every state-year of system membership, with ATOP counts, capabilities, major powers and the KB's highest
    level (--with atop,nmc,kb,majors)."""
    from pactnet.panel.sources import build_state_years

    paths = {"states": states, "atop": atop, "nmc": nmc, "majors": majors}
    _run(lambda: build_state_years(system=system, start=start, end=end, carry_forward=carry_forward,
                                   attributes=with_, db=store, paths=paths), out, report_dropped)
