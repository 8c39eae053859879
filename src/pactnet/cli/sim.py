"""``pactnet sim``: run, hindcast, compare and fan. Thin shells over :mod:`pactnet.sim`.

Only click is imported at module level; NumPy, polars, Dask and matplotlib load inside the commands.
"""

from __future__ import annotations

import json
from typing import Any

import click

from pactnet.cli import Group
from pactnet.cli.params import POSITIVE, SEED, YEAR, store_options
from pactnet.errors import InputError

__all__ = ["sim"]


def _params(items: tuple[str, ...]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for item in items:
        name, sep, value = item.partition("=")
        if not sep:
            raise InputError(f"--set: expected NAME=VALUE, got {item!r}")
        try:
            parsed = json.loads(value)
        except json.JSONDecodeError:
            raise InputError(f"--set {name}: expected a number or a JSON list of numbers, got {value!r}") from None
        out[name.strip()] = parsed
    return out


def _emit(text: str, out: str | None) -> None:
    if out:
        with open(out, "w", encoding="utf-8") as fh:
            fh.write(text if text.endswith("\n") else text + "\n")
    else:
        click.echo(text)


def _frame_text(frame: Any, fmt: str) -> str:
    if fmt == "json":
        return json.dumps(frame.to_dicts(), indent=2, default=float)
    if fmt == "csv":
        return frame.write_csv()
    import polars as pl

    with pl.Config(tbl_rows=-1, tbl_cols=-1, tbl_hide_dataframe_shape=True, float_precision=3):
        return str(frame)


@click.group(cls=Group)
def sim() -> None:
    """Simulate the partnership system: scenarios, ensembles, hindcast (docs/model.md)."""


@sim.command("run")
@click.argument("scenario")
@click.option("--replicas", "-n", type=POSITIVE, default=1000, show_default=True, help="Number of replicas.")
@click.option("--seed", type=SEED, default=None, help="Seed of the root SeedSequence (recorded in the output).")
@click.option("--out", "-o", type=click.Path(dir_okay=False), required=True, help="Output .parquet file.")
@click.option("--dask", default=None, metavar="local|tcp://HOST:PORT",
              help="Run on Dask: 'local' starts a LocalCluster on 127.0.0.1, or give a scheduler address.")
@click.option("--batch-size", type=POSITIVE, default=1000, show_default=True, help="Replicas per batch.")
@click.option("--workers", type=POSITIVE, default=None, help="Processes (default: all cores).")
@click.option("--set", "sets", multiple=True, metavar="NAME=VALUE", help="Override a model parameter.")
@click.option("--progress/--no-progress", default=True, show_default=True)
@store_options
def run_cmd(scenario: str, replicas: int, seed: int | None, out: str, dask: str | None, batch_size: int,
            workers: int | None, sets: tuple[str, ...], progress: bool, store: Any) -> None:
    """Run an ensemble of SCENARIO (a shipped name or a YAML file) and write it to --out.

    An interrupted run resumes: rerun the same command and finished batches are kept."""
    from pactnet.sim.ensemble import read_ensemble, run_ensemble

    path = run_ensemble(scenario, replicas, seed=seed, out=out, batch_size=batch_size, dask=dask, workers=workers,
                        progress=progress, db=store, params=_params(sets))
    meta = read_ensemble(path).meta
    click.echo(f"{path}: {meta['replicas']:,} replicas of {meta['scenario']} {meta['years'][0]}-{meta['years'][1]}, "
               f"seed {meta['seed']}, scenario hash {meta['scenario_hash'][:12]}", err=True)


@sim.command("hindcast")
@click.option("--replicas", "-n", type=POSITIVE, default=2000, show_default=True)
@click.option("--seed", type=SEED, default=1, show_default=True)
@click.option("--calibrate-replicas", type=POSITIVE, default=400, show_default=True)
@click.option("--no-calibrate", is_flag=True, help="Score the default parameters only.")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@click.option("--out", "-o", type=click.Path(dir_okay=False), default=None)
@store_options
def hindcast_cmd(replicas: int, seed: int, calibrate_replicas: int, no_calibrate: bool, fmt: str, out: str | None,
                 store: Any) -> None:
    """Score historical-2000 on the knowledge base's transitions 2001-2024 (calibrated on 2001-2014)."""
    from pactnet.sim.hindcast import hindcast

    res = hindcast(replicas=replicas, seed=seed, calibrate_replicas=calibrate_replicas,
                   calibrate_params=not no_calibrate, db=store)
    if fmt == "json":
        _emit(json.dumps(res.to_dict(), indent=2), out)
        return
    import polars as pl

    _emit(_hindcast_text(res, pl), out)


def _hindcast_text(res: Any, pl: Any) -> str:
    def num(v: Any) -> str:
        if isinstance(v, list):
            return f"[{v[0]:+.4f}, {v[1]:+.4f}]"
        return f"{v:.4f}" if isinstance(v, float) else str(v)

    labels = [("partner_years", "partner-years"), ("transitions", "observed transitions"),
              ("brier_model", "Brier: model (calibrated)"), ("brier_model_uncalibrated", "Brier: model at the priors"),
              ("brier_persistence", "Brier: persistence"), ("brier_base_rate", "Brier: base rate"),
              ("skill_vs_persistence", "skill vs persistence"), ("skill_vs_base_rate", "skill vs base rate"),
              ("model_minus_persistence_95", "model - persistence, 95%"),
              ("model_minus_base_rate_95", "model - base rate, 95%"),
              ("share_reproduced", "share reproduced within 2 years"),
              ("share_reproduced_uncalibrated", "share reproduced (priors)")]
    head = [f"{r['period'].replace('_', ' ')} {r['years']}" for r in res.rows]
    width = max(len(lab) for _, lab in labels)
    lines = [" " * width + "".join(f"  {h:>26s}" for h in head)]
    for key, lab in labels:
        lines.append(f"{lab:<{width}s}" + "".join(f"  {num(r[key]):>26s}" for r in res.rows))
    lines += ["", "by type of transition:", _frame_text(pl.DataFrame(res.by_type), "table"), "",
              "portfolio by level, knowledge base vs model (mean, 5-95%):",
              _frame_text(pl.DataFrame(res.portfolio), "table"), "",
              "calibrated on the in-sample years: "
              + ", ".join(f"{k}={v:g} (prior {res.priors[k]:g})" for k, v in res.calibrated.items()),
              f"{res.replicas} replicas, seed {res.seed}"]
    return "\n".join(lines)


@sim.command("fan")
@click.argument("ensemble", type=click.Path(exists=True, dir_okay=False))
@click.option("--figure", type=click.Path(dir_okay=False), default=None, help="Draw the fan chart (.png/.svg).")
@click.option("--partners", "by_partner", is_flag=True,
              help="Print each partner's yearly probabilities of upgrade and exit instead.")
@click.option("--partner", "only", multiple=True, help="Keep these partners (with --partners).")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table", show_default=True)
@click.option("--out", "-o", type=click.Path(dir_okay=False), default=None)
def fan_cmd(ensemble: str, figure: str | None, by_partner: bool, only: tuple[str, ...], fmt: str,
            out: str | None) -> None:
    """The portfolio by level over time (quantiles across replicas), or per-partner probabilities."""
    from pactnet.sim.ensemble import read_ensemble
    from pactnet.sim.outputs import fan_table, partner_probabilities, plot_fan

    ens = read_ensemble(ensemble)
    if by_partner:
        frame = partner_probabilities(ens)
        if only:
            unknown = sorted(set(only) - set(ens.partners))
            if unknown:
                raise InputError(f"--partner: not a partner of this ensemble: {', '.join(unknown)}")
            frame = frame.filter(frame["partner"].is_in(list(only)))
        frame = frame.select("partner", "year", "p_upgrade", "p_exit", "p_formation", "p_downgrade", "p_tie")
    else:
        frame = fan_table(ens)
    if figure:
        plot_fan(ens, figure)
        click.echo(f"wrote {figure}", err=True)
    _emit(_frame_text(frame, fmt), out)


@sim.command("compare")
@click.argument("a", type=click.Path(exists=True, dir_okay=False))
@click.argument("b", type=click.Path(exists=True, dir_okay=False))
@click.option("--year", type=YEAR, default=None, help="Only this year (default: every year).")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table", show_default=True)
@click.option("--out", "-o", type=click.Path(dir_okay=False), default=None)
def compare_cmd(a: str, b: str, year: int | None, fmt: str, out: str | None) -> None:
    """Ensemble B minus ensemble A: mean ties by level and year with 95% intervals."""
    from pactnet.sim.ensemble import read_ensemble
    from pactnet.sim.outputs import compare_ensembles

    frame = compare_ensembles(read_ensemble(a), read_ensemble(b))
    if year is not None:
        frame = frame.filter(frame["year"] == year)
        if frame.is_empty():
            raise InputError(f"--year: {year} is outside the ensembles' years")
    _emit(_frame_text(frame, fmt), out)
