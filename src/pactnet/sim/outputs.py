"""Outputs of an ensemble: the portfolio by level over time as quantile fans (table and chart), each partner's
yearly probabilities of upgrade and exit, and the difference between two ensembles with its uncertainty."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from ..errors import InputError, MissingExtra
from .ensemble import Ensemble
from .hindcast import OUTCOMES, transitions
from .model import LEVELS

__all__ = ["fan_table", "partner_probabilities", "compare_ensembles", "plot_fan"]

QUANTILES = (0.05, 0.25, 0.5, 0.75, 0.95)


def fan_table(ens: Ensemble) -> Any:
    """Per year and level (1..5): the mean number of ties and the 5/25/50/75/95% quantiles across replicas."""
    import polars as pl

    frames = []
    for k in range(1, len(LEVELS)):
        col = pl.col(f"n_{k}")
        aggs = [col.mean().alias("mean")] + [col.quantile(q, "nearest").alias(f"q{int(q * 100):02d}")
                                             for q in QUANTILES]
        frames.append(ens.frame.group_by("year").agg(aggs).with_columns(
            pl.lit(LEVELS[k]).alias("level"), pl.lit(k, dtype=pl.Int8).alias("rank")))
    return pl.concat(frames).sort(["rank", "year"]).select(
        ["year", "level", "mean", *[f"q{int(q * 100):02d}" for q in QUANTILES]])


def partner_probabilities(ens: Ensemble) -> Any:
    """Per partner and year: the probability (share of replicas) of formation, upgrade, downgrade and exit in
    that year, and of holding each tie at all (``p_tie``) at its end."""
    import polars as pl

    levels = ens.levels()                                  # (T, R, n)
    codes = transitions(levels)                            # (T-1, R, n)
    years = np.arange(ens.meta["years"][0] + 1, ens.meta["years"][1] + 1)
    rows: dict[str, Any] = {
        "partner": np.tile(np.array(ens.partners), len(years)),
        "year": np.repeat(years, len(ens.partners)),
    }
    for k in range(1, len(OUTCOMES)):
        rows[f"p_{OUTCOMES[k]}"] = (codes == k).mean(axis=1).reshape(-1)
    rows["p_tie"] = (levels[1:] > 0).mean(axis=1).reshape(-1)
    return pl.DataFrame(rows).sort(["partner", "year"])


def compare_ensembles(a: Ensemble, b: Ensemble, *, z: float = 1.96) -> Any:
    """Per year and level: mean count in ``b`` minus mean count in ``a``, with a normal ``z`` interval (the
    replicas of the two ensembles are independent)."""
    import polars as pl

    if a.meta["years"] != b.meta["years"]:
        raise InputError(f"b: the ensembles cover different years ({a.meta['years']} and {b.meta['years']})")
    out = []
    for k in range(1, len(LEVELS)):
        col = f"n_{k}"
        sa = a.frame.group_by("year").agg(pl.col(col).mean().alias("ma"), pl.col(col).var().alias("va"),
                                          pl.len().alias("na"))
        sb = b.frame.group_by("year").agg(pl.col(col).mean().alias("mb"), pl.col(col).var().alias("vb"),
                                          pl.len().alias("nb"))
        j = sa.join(sb, on="year").with_columns(pl.lit(LEVELS[k]).alias("level"),
                                                pl.lit(k, dtype=pl.Int8).alias("rank"))
        out.append(j)
    j = pl.concat(out)
    se = ((pl.col("va").fill_null(0) / pl.col("na")) + (pl.col("vb").fill_null(0) / pl.col("nb"))).sqrt()
    return j.sort(["rank", "year"]).select(
        "year", "level", pl.col("ma").alias("mean_a"), pl.col("mb").alias("mean_b"),
        (pl.col("mb") - pl.col("ma")).alias("difference"),
        (pl.col("mb") - pl.col("ma") - z * se).alias("low"), (pl.col("mb") - pl.col("ma") + z * se).alias("high"),
    ).sort(["level", "year"])


def plot_fan(ens: Ensemble, path: str | Path, *, title: str | None = None) -> Path:
    """Draw the fan chart of the portfolio by level (one panel per level) to a .png, .svg or .pdf file."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:  # pragma: no cover - depends on the environment
        raise MissingExtra("viz", "matplotlib", "fan charts") from None
    table = fan_table(ens)
    fig, axes = plt.subplots(1, len(LEVELS) - 1, figsize=(15, 3.2), sharex=True)
    for ax, level in zip(axes, LEVELS[1:], strict=True):
        t = table.filter(table["level"] == level).sort("year")
        x = t["year"].to_numpy()
        ax.fill_between(x, t["q05"].to_numpy(), t["q95"].to_numpy(), color="tab:blue", alpha=0.2, label="5-95%")
        ax.fill_between(x, t["q25"].to_numpy(), t["q75"].to_numpy(), color="tab:blue", alpha=0.4, label="25-75%")
        ax.plot(x, t["q50"].to_numpy(), color="tab:blue", lw=1.5, label="median")
        ax.set_title(level.replace("_", " "))
        ax.set_xlabel("year")
    axes[0].set_ylabel("ties")
    axes[0].legend(fontsize=7, loc="best")
    fig.suptitle(title or f"{ens.meta['scenario']}: {ens.meta['replicas']:,} replicas (seed {ens.meta['seed']})")
    fig.tight_layout()
    path = Path(path)
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path
