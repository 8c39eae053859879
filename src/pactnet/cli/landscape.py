"""``pactnet landscape``: solve, from-kb, from-data and shock. Thin shells over :mod:`pactnet.landscape`.

Only click is imported at module level; NumPy, numba and matplotlib load inside the commands.
"""

from __future__ import annotations

import json
from collections.abc import Callable

import click

from pactnet.cli import Group
from pactnet.cli.params import (
    DATE,
    POSITIVE,
    SEED,
    Bloc,
    CommaList,
    PairSetting,
    Setting,
        store_options,
    view_option,
)
from pactnet.errors import InputError

__all__ = ["landscape"]


@click.group(cls=Group)
def landscape() -> None:
    """Alignment prediction with Axelrod & Bennett's landscape theory (docs/landscape.md)."""


def _solve_options(f: Callable) -> Callable:
    opts = [
        click.option("--k", "k", type=click.IntRange(2, 8), default=2, show_default=True,
                     help="Number of coalitions."),
        click.option("--method", type=click.Choice(["auto", "exact", "multistart", "anneal"]),
                     default="auto", show_default=True,
                     help="auto: exact up to 40 actors, multi-start local search beyond."),
        click.option("--order", type=click.Choice(["lowest_index", "steepest", "random"]),
                     default="lowest_index", show_default=True,
                     help="Move order of the dynamics, which defines the basins."),
        click.option("--basins", "basin_method", type=click.Choice(["auto", "exact", "sample", "none"]),
                     default="auto", show_default=True),
        click.option("--samples", type=POSITIVE, default=10_000, show_default=True,
                     help="Random starts for sampled basins."),
        click.option("--runs", type=POSITIVE, default=None, help="Runs of the heuristic solvers."),
        click.option("--max-seconds", type=click.FloatRange(0, min_open=True), default=None,
                     help="Time budget of the heuristic solvers (the best found so far is reported)."),
        click.option("--seed", type=SEED, default=None, help="Seed for every random choice."),
        click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table",
                     show_default=True),
        click.option("--figure", type=click.Path(dir_okay=False), default=None,
                     help="Draw the lowest minimum to this .png or .svg file."),
        click.option("--out", "-o", type=click.Path(dir_okay=False), default=None,
                     help="Write the output to this file instead of standard output."),
    ]
    for opt in reversed(opts):
        f = opt(f)
    return f


def _emit(text: str, out: str | None) -> None:
    if out:
        from pactnet.output import atomic_write

        with atomic_write(out) as fh:
            fh.write(text if text.endswith("\n") else text + "\n")
    else:
        click.echo(text)


def _run_and_report(land, *, k, method, order, basin_method, samples, runs, max_seconds, seed, fmt, figure, out,
                    extra: dict | None = None) -> None:
    import sys

    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from pactnet.landscape.report import plot_alignment, result_table
    from pactnet.landscape.solver import solve

    with Progress(TextColumn("solving"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), transient=True,
                  disable=not sys.stderr.isatty()) as bar:
        task = bar.add_task("solve", total=None)
        res = solve(land, k, method=method, order=order, basin_method=basin_method, samples=samples,
                    runs=runs, seed=seed, max_seconds=max_seconds,
                    progress=lambda done, total: bar.update(task, completed=done, total=total))
    if figure:
        best = res.global_minimum
        plot_alignment(land, best.config, figure,
                       title=f"Lowest minimum found (E = {best.energy:.4g}, ordered pairs)")
    if fmt == "json":
        data = res.to_dict()
        if extra:
            data.update(extra)
        _emit(json.dumps(data, indent=2), out)
        return
    from rich.console import Console

    if out:
        from pactnet.output import atomic_write

        with atomic_write(out) as fh:
            Console(file=fh, width=160).print(result_table(res))
    else:
        Console(width=160).print(result_table(res))


@landscape.command("solve")
@click.option("--propensity", "-p", required=True, type=click.Path(dir_okay=False),
              help="Labelled propensity matrix (.csv) or a JSON file with labels, sizes, propensity.")
@click.option("--sizes", "-s", type=click.Path(dir_okay=False), default=None,
              help="CSV with columns label,size (required with a CSV matrix).")
@_solve_options
def solve_cmd(propensity, sizes, **kw) -> None:
    """Every local minimum (or the best found), with energies, basins and frustrations."""
    from pactnet.landscape.data import load_landscape

    _run_and_report(load_landscape(propensity, sizes), **kw)


def _kb_landscape(at, actors, capabilities, sizes, view, combine, sets, db):
    from pactnet.landscape.data import landscape_from_kb

    land = landscape_from_kb(at, list(actors), capabilities=capabilities, sizes=sizes, view=view,
                             combine=combine, db=db)
    if sets:
        P = land.propensity.copy()
        for (a, b), v in sets:
            i, j = land.index(a), land.index(b)
            P[i, j] = P[j, i] = v
        land = land.with_propensity(P, provenance={**land.provenance,
                                                   "overrides": {f"{a}-{b}": v for (a, b), v in sets}})
    return land


def _kb_options(f: Callable) -> Callable:
    opts = [
        click.option("--at", type=DATE, required=True, help="Date of the ties (YYYY, YYYY-MM or YYYY-MM-DD)."),
        click.option("--actors", type=CommaList(), required=True, help="Comma-separated actor ids, e.g. USA,CHN,IDN."),
        click.option("--capabilities", type=click.Path(dir_okay=False), default=None,
                     help="COW NMC CSV (ccode,year,...,cinc) for sizes; default: the store's COW capabilities "
                     "(pactnet import nmc)."),
        click.option("--sizes", type=click.Path(dir_okay=False), default=None,
                     help="CSV label,size overriding CINC."),
        view_option,
        click.option("--combine", type=click.Choice(["strongest", "sum"]), default="strongest",
                     show_default=True, help="How several ties between a pair combine."),
        click.option("--set", "sets", type=PairSetting(), multiple=True,
                     help="Override one propensity, A:B=VALUE (repeatable)."),
        store_options,
    ]
    for opt in reversed(opts):
        f = opt(f)
    return f


@landscape.command("from-kb")
@_kb_options
@click.option("--write-matrix", type=click.Path(dir_okay=False), default=None,
              help="Also write the derived propensities (CSV) and sizes (next to it, .sizes.csv).")
@_solve_options
def from_kb_cmd(at, actors, capabilities, sizes, view, combine, sets, store, write_matrix, **kw) -> None:
    """Solve the landscape of ACTORS at a date, with propensities from the knowledge base's ties."""
    land = _kb_landscape(at, actors, capabilities, sizes, view, combine, sets, store)
    if write_matrix:
        from pathlib import Path

        from pactnet.landscape.data import write_propensity_csv

        write_propensity_csv(write_matrix, land.labels, land.propensity)
        sp = Path(write_matrix).with_suffix(".sizes.csv")
        sp.write_text("label,size\n" + "".join(f"{a},{s:.6g}\n" for a, s in zip(land.labels, land.sizes, strict=True)))
    _run_and_report(land, extra={"provenance": land.provenance}, **kw)


def _explain_table(rows, components):
    from rich.table import Table

    t = Table(title="Propensities by component (weighted value, share of |p|)")
    t.add_column("pair")
    t.add_column("p", justify="right")
    for c in components:
        t.add_column(c, justify="right")
    for r in rows:
        cells = [f"{r[c]:+.3f} ({100 * r[c + '_share']:.0f}%)" if r[c] else "-" for c in components]
        t.add_row(f"{r['a']}-{r['b']}", f"{r['p']:+.3f}", *cells)
    t.caption = "share: |w_c x_c| / sum over components; pairs with p = 0 and no component are left out"
    return t


@landscape.command("from-data")
@click.option("--at", type=DATE, required=True, help="Date of the data (YYYY, YYYY-MM or YYYY-MM-DD).")
@click.option("--actors", type=CommaList(), required=True,
              help="Comma-separated states: ids (USA, GFR), COW<code> or COW codes.")
@click.option("--atop", type=click.Path(), default=None, help="ATOP member file (atop5_1m.csv); default: the store's.")
@click.option("--rivalries", type=click.Path(), default=None, help="Thompson & Dreyer rivalries (td_rivalries.csv).")
@click.option("--contiguity", type=click.Path(), default=None, help="COW direct contiguity (contdir.csv).")
@click.option("--capabilities", type=click.Path(), default=None, help="COW NMC CSV (cinc); default: the store's.")
@click.option("--capitals", type=click.Path(dir_okay=False), default=None,
              help="Capitals CSV ccode,capital,stdate,enddate,lat,lng (for the distance component).")
@click.option("--sizes", type=click.Path(dir_okay=False), default=None, help="CSV label,size overriding CINC.")
@click.option("--weight", "weights", type=Setting(), multiple=True,
              help="Component weight NAME=VALUE (repeatable): alliance, rivalry, contiguity, distance, kb, "
                   "rival_ties, parity.")
@click.option("--exclude-alliance", "exclude", type=int, multiple=True, help="ATOP id to leave out (repeatable).")
@click.option("--no-kb", is_flag=True, help="Leave the knowledge base's ties out.")
@click.option("--explain", is_flag=True, help="Show each component's share of every propensity.")
@store_options
@_solve_options
def from_data_cmd(at, actors, atop, rivalries, contiguity, capabilities, capitals, sizes, weights, exclude, no_kb,
                  explain, store, **kw) -> None:
    """Solve the landscape of ACTORS with propensities from the field's data (docs/landscape.md)."""
    from pactnet.landscape.fielddata import load_field_data
    from pactnet.landscape.propensity import COMPONENTS, landscape_from_data
    from pactnet.landscape.propensity import explain as explain_rows

    db = store
    data = load_field_data(db, atop=atop, rivalries=rivalries, contiguity=contiguity, capabilities=capabilities,
                           capitals=capitals)
    land = landscape_from_data(at, list(actors), data, weights=dict(weights), sizes=sizes,
                               ties=[] if no_kb else None, db=db, exclude_alliances=exclude)
    prov = {k: v for k, v in land.provenance.items() if k != "components"}
    extra = {"provenance": prov}
    if explain:
        rows = explain_rows(land)
        if kw["fmt"] == "json":
            extra["explain"] = rows
        else:
            from rich.console import Console

            Console(width=200).print(_explain_table(rows, COMPONENTS))
            for note in land.provenance.get("notes", []):
                click.echo(f"note: {note}")
    _run_and_report(land, extra=extra, **kw)


@landscape.command("shock")
@click.option("--propensity", "-p", type=click.Path(dir_okay=False), default=None,
              help="Propensity file (instead of --at/--actors from the knowledge base).")
@click.option("--sizes", "-s", "sizes_file", type=click.Path(dir_okay=False), default=None)
@click.option("--at", type=DATE, default=None, help="Knowledge-base date (with --actors).")
@click.option("--actors", type=CommaList(), default=None, help="Comma-separated actor ids (with --at).")
@click.option("--capabilities", type=click.Path(dir_okay=False), default=None)
@store_options
@click.option("--set", "sets", type=PairSetting(), multiple=True, help="Override one propensity, A:B=VALUE.")
@click.option("--source", required=True, help="The actor whose propensities change (the invader).")
@click.option("--targets", type=CommaList(), required=True, help="Comma-separated actors it turns on.")
@click.option("--to", "to", type=float, default=None, help="New propensity (e.g. -1).")
@click.option("--by", "by", type=float, default=None, help="Change in propensity (e.g. -0.5).")
@click.option("--bloc", "blocs", type=Bloc(), multiple=True, help="NAME=SIDE:A,B,C (repeatable), e.g. NATO=0:USA,GBR.")
@click.option("--order", type=click.Choice(["lowest_index", "steepest", "random"]),
              default="lowest_index", show_default=True)
@click.option("--seed", type=SEED, default=None)
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@click.option("--figure", type=click.Path(dir_okay=False), default=None,
              help="Draw the post-shock alignment to this .png or .svg file.")
def shock_cmd(propensity, sizes_file, at, actors, capabilities, store, sets, source, targets, to, by,
              blocs, order, seed, fmt, figure) -> None:
    """What a shock to SOURCE's propensities does to the others (before/after alignments)."""
    from pactnet.landscape.blocs import shock
    from pactnet.landscape.data import load_landscape

    if propensity:
        land = load_landscape(propensity, sizes_file)
    elif at and actors:
        land = _kb_landscape(at, actors, capabilities, sizes_file, "record", "strongest", sets, store)
    else:
        raise InputError("give --propensity (and --sizes), or --at and --actors")
    from pactnet.landscape.blocs import Bloc as Coalition

    bl = [Coalition(name, members, side) for name, side, members in blocs]
    res = shock(land, source, list(targets), to=to, by=by, blocs=bl, order=order, seed=seed)
    if figure:
        from pactnet.landscape.report import plot_alignment

        plot_alignment(res.landscape_after, res.config_after, figure,
                       classes={a: v["class"] for a, v in res.after.items()},
                       title=f"After the shock ({', '.join(res.changes)})")
    if fmt == "json":
        click.echo(json.dumps(res.to_dict(), indent=2))
        return
    from rich.console import Console
    from rich.table import Table

    t = Table(title=f"Shock: {', '.join(f'{k}={v:g}' for k, v in res.changes.items())}")
    for col in ("actor", "side before", "class before", "margin before", "side after",
                "class after", "margin after"):
        t.add_column(col)
    for lab in land.labels:
        b, a = res.before[lab], res.after[lab]
        mark = " *" if lab in res.changed() else ""
        t.add_row(lab + mark, str(b["side"]), b["class"], f"{b['margin']:.3g}", str(a["side"]),
                  a["class"], f"{a['margin']:.3g}")
    t.caption = "margin: frustration an actor would add by switching sides (small = exposed); * changed"
    Console(width=160).print(t)
