"""``pactnet indicators``: a thin shell over :func:`pactnet.indicators.compute` (and the sensitivity
analysis and the figure)."""

from __future__ import annotations

from typing import Any

import click

__all__ = ["indicators"]

_TABLE = ("actor", "name", "date", "deterrence_credibility", "exit_ease", "leverage", "entrapment_risk",
          "halfway_house_exposure", "hedging", "rival_pull")


def _weights(values: tuple[str, ...]) -> dict[str, float]:
    out = {}
    for v in values:
        name, sep, num = v.partition("=")
        try:
            out[name.strip()] = float(num)
        except ValueError:
            raise click.BadParameter(f"expected NAME=NUMBER, got {v!r}", param_hint="--weight") from None
        if not sep:
            raise click.BadParameter(f"expected NAME=NUMBER, got {v!r}", param_hint="--weight")
    return out


@click.command("indicators")
@click.option("--patron", default="USA", show_default=True, help="The patron whose partners are measured.")
@click.option("--at", default=None, help="One date (YYYY-MM-DD, YYYY-MM or YYYY): all partners, ranked.")
@click.option("--actor", "actors", multiple=True, help="Only this partner (repeatable).")
@click.option("--from", "start", default=None, help="First year of a yearly series (default 1945).")
@click.option("--to", "end", default=None, help="Last year of a yearly series (default 2024).")
@click.option("--sort", "sort_by", default="deterrence_credibility", show_default=True,
              help="Indicator to rank by (descending).")
@click.option("--weight", "weight", multiple=True, metavar="NAME=NUMBER",
              help="Set a weight (repeatable), e.g. --weight covert=1.5; see docs/indicators.md.")
@click.option("--network/--no-network", default=True, show_default=True,
              help="Add degree by level, betweenness and effective size.")
@click.option("--sensitivity", is_flag=True,
              help="Move each weight by -50%/+50%: rank correlations at --at and the judgements that survive.")
@click.option("--figure", type=click.Path(dir_okay=False), default=None,
              help="Draw --plot's time series for the --actor partners to this file (.png, .svg, .pdf).")
@click.option("--plot", "plot", default="halfway_house_exposure", show_default=True,
              help="The indicator --figure draws.")
@click.option("--view", type=click.Choice(["record", "briefing"]), default="record", show_default=True,
              help="The public record, or the briefing's own dates and levels where they differ.")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json", "parquet"]), default="table",
              show_default=True, help="Output format.")
@click.option("--out", "-o", type=click.Path(dir_okay=False), default=None, help="Write to this file.")
@click.option("--db", type=click.Path(dir_okay=False), default=None, envvar="PACTNET_DB",
              help="The DuckDB store (default: ~/.local/share/pactnet/pactnet.duckdb, or $PACTNET_DB).")
@click.option("--kb", "kb_dir", type=click.Path(exists=True), default=None, envvar="PACTNET_KB",
              help="Knowledge-base folder (default: the shipped one).")
def indicators(patron: str, at: str | None, actors: tuple[str, ...], start: str | None, end: str | None,
               sort_by: str, weight: tuple[str, ...], network: bool, sensitivity: bool, figure: str | None,
               plot: str, view: str, fmt: str, out: str | None, db: str | None, kb_dir: str | None) -> None:
    """The briefing's concepts as indicators per partner: all partners at one date (--at), or a yearly series
    (--actor PAK --from 2000 --to 2024). See docs/indicators.md for every formula."""
    from pactnet.errors import InputError, PactnetError
    from pactnet.output import emit
    from pactnet.store import open_store

    from .core import INDICATORS, compute

    try:
        store = open_store(db, kb_dir)
        weights = _weights(weight)
        if sensitivity:
            _sensitivity(patron, at or "2021-12-31", weights, view, store, kb_dir, fmt, out)
            return
        if sort_by not in INDICATORS:
            raise InputError(f"sort: unknown indicator {sort_by!r}; expected one of {', '.join(INDICATORS)}")
        frame = compute(patron, at=at, start=start, end=end, actor=list(actors) or None, view=view,
                        weights=weights, network=network, db=store, kb=kb_dir)
        if figure:
            from .figure import plot_indicator

            path = plot_indicator(frame, plot, list(actors), figure)
            click.echo(f"Wrote {path}", err=True)
            return
        frame = frame.sort(["date", sort_by, "actor"], descending=[False, True, False])
        if fmt == "table":
            import polars as pl

            frame = frame.with_columns(pl.col(c).round(3) for c in INDICATORS)
        emit(frame, fmt, columns=_TABLE, out=out,
             title=f"Indicators of {patron}'s partners" + (f" at {at}" if at else ""))
    except PactnetError as exc:
        _fail(exc)


def _sensitivity(patron: str, at: str, weights: dict[str, float], view: str, store: Any, kb_dir: str | None,
                 fmt: str, out: str | None) -> None:
    import json

    from pactnet.output import emit

    from .sensitivity_analysis import sensitivity, summarise_judgements

    rankings, judgements = sensitivity(patron, at=at, weights=weights or None, view=view, db=store, kb=kb_dir)
    summary = summarise_judgements(judgements)
    if fmt == "json":
        text = json.dumps({"rankings": rankings.to_dicts(), "judgements": judgements.to_dicts(),
                           "summary": summary.to_dicts()}, indent=2, default=str)
        if out:
            with open(out, "w", encoding="utf-8") as fh:
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


def _fail(exc: Exception) -> None:
    errors = getattr(exc, "all_errors", None) or [exc]
    for err in errors:
        click.echo(f"Error: {err}", err=True)
    raise SystemExit(getattr(exc, "exit_code", 2))
