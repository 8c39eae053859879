"""``pactnet indicators``: a thin shell over :func:`pactnet.indicators.compute` (and the sensitivity
analysis and the figure)."""

from __future__ import annotations

from typing import Any

import click

from pactnet.cli import Command
from pactnet.cli.params import ACTOR, DATE, YEAR, Setting, output_options, store_options, view_option

__all__ = ["indicators"]

_TABLE = ("actor", "name", "date", "deterrence_credibility", "exit_ease", "leverage", "entrapment_risk",
          "halfway_house_exposure", "hedging", "rival_pull")


@click.command("indicators", cls=Command)
@click.option("--patron", type=ACTOR, default="USA", show_default=True, help="The patron whose partners are measured.")
@click.option("--at", type=DATE, default=None, help="One date (YYYY-MM-DD, YYYY-MM or YYYY): all partners, ranked.")
@click.option("--actor", "actors", type=ACTOR, multiple=True, help="Only this partner (repeatable).")
@click.option("--from", "start", type=YEAR, default=None, help="First year of a yearly series (default 1945).")
@click.option("--to", "end", type=YEAR, default=None, help="Last year of a yearly series (default 2024).")
@click.option("--sort", "sort_by", default="deterrence_credibility", show_default=True,
              help="Indicator to rank by (descending).")
@click.option("--weight", "weight", type=Setting(), multiple=True, metavar="NAME=NUMBER",
              help="Set a weight (repeatable), e.g. --weight covert=1.5; see docs/indicators.md.")
@click.option("--network/--no-network", default=True, show_default=True,
              help="Add degree by level, betweenness and effective size.")
@click.option("--sensitivity", is_flag=True,
              help="Move each weight by -50%/+50%: rank correlations at --at and the judgements that survive.")
@click.option("--figure", type=click.Path(dir_okay=False), default=None,
              help="Draw --plot's time series for the --actor partners to this file (.png, .svg, .pdf).")
@click.option("--plot", "plot", default="halfway_house_exposure", show_default=True,
              help="The indicator --figure draws.")
@view_option
@output_options
@store_options
def indicators(patron: str, at: str | None, actors: tuple[str, ...], start: int | None, end: int | None,
               sort_by: str, weight: tuple[tuple[str, float], ...], network: bool, sensitivity: bool,
               figure: str | None, plot: str, view: str, fmt: str, out: str | None, store: Any) -> None:
    """The briefing's concepts as indicators per partner: all partners at one date (--at), or a yearly series
    (--actor PAK --from 2000 --to 2024). See docs/indicators.md for every formula."""
    from pactnet.errors import InputError
    from pactnet.indicators.core import INDICATORS, compute
    from pactnet.output import emit

    weights = dict(weight)
    if sensitivity:
        _sensitivity(patron, at or "2021-12-31", weights, view, store, fmt, out)
        return
    if sort_by not in INDICATORS:
        raise InputError(f"unknown indicator {sort_by!r}; expected one of {', '.join(INDICATORS)}", param="sort_by")
    frame = compute(patron, at=at, start=start, end=end, actor=list(actors) or None, view=view,
                    weights=weights, network=network, db=store)
    if figure:
        from pactnet.indicators.figure import plot_indicator

        path = plot_indicator(frame, plot, list(actors), figure)
        click.echo(f"Wrote {path}", err=True)
        return
    frame = frame.sort(["date", sort_by, "actor"], descending=[False, True, False])
    if fmt == "table":
        import polars as pl

        frame = frame.with_columns(pl.col(c).round(3) for c in INDICATORS)
    emit(frame, fmt, columns=_TABLE, out=out, title=f"Indicators of {patron}'s partners" + (f" at {at}" if at else ""))


def _sensitivity(patron: str, at: str, weights: dict[str, float], view: str, store: Any, fmt: str,
                 out: str | None) -> None:
    import json

    from pactnet.indicators.sensitivity_analysis import sensitivity, summarise_judgements
    from pactnet.output import atomic_write, emit

    rankings, judgements = sensitivity(patron, at=at, weights=weights or None, view=view, db=store)
    summary = summarise_judgements(judgements)
    if fmt == "json":
        text = json.dumps({"rankings": rankings.to_dicts(), "judgements": judgements.to_dicts(),
                           "summary": summary.to_dicts()}, indent=2, default=str)
        if out:
            with atomic_write(out) as fh:
                fh.write(text + "\n")
        else:
            click.echo(text)
        return
    if fmt in ("csv", "parquet"):
        emit(judgements, fmt, out=out)
        return
    import polars as pl

    cell = (pl.col("moved").cast(pl.Utf8) + " (" + pl.col("spearman").round(4).cast(pl.Utf8) + ", top "
            + pl.col("top") + ")")
    pivot = rankings.with_columns(cell.alias("cell")).pivot(on="indicator", index=["weight", "factor"], values="cell")
    n = rankings["partners"].max()
    emit(pivot, "table", out=None,
         title=f"Partners of {patron} (of {n}) whose rank changes at {at} (Spearman with the defaults, top partner)")
    emit(summary, "table", out=out, title="Judgements under +/-50% of each weight")

