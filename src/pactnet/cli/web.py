"""``pactnet serve``, ``pactnet report`` and ``pactnet figure``: thin shells over :mod:`pactnet.web.app`,
:func:`pactnet.viz.html_report.write_report` and :func:`pactnet.viz.export.write_figures`.

Only click is imported here at module level; Starlette, uvicorn and plotly load inside the commands.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import click

from pactnet.cli import Command
from pactnet.cli.params import ACTOR, DATE, store_options, view_option

__all__ = ["serve", "report", "figure", "COMMANDS"]

_PATRON = click.option("--patron", type=ACTOR, default="USA", show_default=True,
                       help="The patron whose ties are shown.")


@click.command(cls=Command)
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Interface to listen on. Anything but loopback exposes the dashboard to the network.")
@click.option("--port", default=8050, show_default=True, type=click.IntRange(1, 65535))
@click.option("--sim-dir", type=click.Path(file_okay=False, exists=True), default=None, envvar="PACTNET_SIM_DIR",
              help="Folder of simulation ensembles (*.parquet) for the simulation view.")
@store_options
def serve(host: str, port: int, sim_dir: str | None, store: Any) -> None:
    """Start the local dashboard (network, map, portfolio, actors, indicators, landscape, simulation)."""
    from pactnet.web.app import serve as run

    if host not in ("127.0.0.1", "localhost", "::1"):
        click.echo(f"Warning: listening on {host}: anyone who can reach this machine can read the dashboard.",
                   err=True)
    click.echo(f"pactnet dashboard on http://{'[' + host + ']' if ':' in host else host}:{port}/ (Ctrl+C stops it)")
    run(store, host=host, port=port, sim_dir=sim_dir)


@click.command(cls=Command)
@click.option("--out", "-o", type=click.Path(dir_okay=False), default="report.html", show_default=True,
              help="The HTML file to write.")
@click.option("--pdf", type=click.Path(dir_okay=False), default=None, help="Also print it to this PDF (Chromium).")
@_PATRON
@view_option
@store_options
def report(out: str, pdf: str | None, patron: str, view: str, store: Any) -> None:
    """Write one self-contained HTML report that retells the briefing's argument from the data."""
    from pactnet.viz.html_report import write_report

    path = write_report(out, patron=patron, view=view, pdf=pdf, db=store)
    click.echo(f"{path}: {path.stat().st_size / 1e6:.1f} MB" + (f"; {pdf}" if pdf else ""))


_KINDS = ("network", "map", "portfolio", "changes")


@click.command(cls=Command)
@click.argument("kind", type=click.Choice(_KINDS))
@click.option("--out", "-o", type=click.Path(dir_okay=False), required=True,
              help="The image to write: .png, .svg or .pdf.")
@click.option("--at", type=DATE, default=None, help="Date of a network or map (default: the end of 2022).")
@click.option("--from", "start", type=click.IntRange(1945, 2100), default=None,
              help="First year (portfolio: 1945; changes: 2006).")
@click.option("--to", "end", type=click.IntRange(1945, 2100), default=None,
              help="Last year (portfolio: the data's last; changes: 2022).")
@click.option("--by", type=click.Choice(["level", "driver"]), default="level", show_default=True,
              help="Portfolio stacked by level or driver.")
@click.option("--all-actors", is_flag=True, help="Network: every tie, not only the patron's.")
@click.option("--width", type=click.IntRange(200, 6000), default=1100, show_default=True)
@click.option("--height", type=click.IntRange(200, 6000), default=650, show_default=True)
@_PATRON
@view_option
@store_options
def figure(kind: str, out: str, at: str | None, start: int | None, end: int | None, by: str, all_actors: bool,
           width: int, height: int, patron: str, view: str, store: Any) -> None:
    """Write one figure (network, map, portfolio, changes) as PNG, SVG or PDF for papers."""
    from pactnet.viz import figures, views
    from pactnet.viz._data import latest_year
    from pactnet.viz.export import write_figures

    db = store
    if kind == "network":
        data = views.network_view(at or "2022", patron=None if all_actors else patron, view=view, db=db)
        fig = figures.network_figure(data)
    elif kind == "map":
        fig = figures.map_figure(views.map_view(at or "2022", patron=patron, view=view, db=db))
    elif kind == "portfolio":
        last = end or min(latest_year(db=db), dt.date.today().year)
        fig = figures.portfolio_figure(views.portfolio_view(patron, start or 1945, last, by=by, view=view, db=db))
    else:
        fig = figures.changes_figure(views.changes_view(patron, start or 2006, end or 2022, view=view, db=db))
    (path,) = write_figures([(fig, out)], width=width, height=height)
    click.echo(f"{path}: {kind}")


#: The commands to register in the ``pactnet`` group.
COMMANDS = (serve, report, figure)
