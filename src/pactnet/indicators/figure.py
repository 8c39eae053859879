"""A figure of one indicator's time series for chosen partners (matplotlib, the ``viz`` extra)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import polars as pl

from ..errors import InputError
from .core import INDICATORS
from .network_measures import NETWORK_COLUMNS

__all__ = ["plot_indicator"]


def plot_indicator(frame: pl.DataFrame, indicator: str, actors: Sequence[str], path: str | Path) -> Path:
    """Draw ``indicator`` over time for each of ``actors`` from a :func:`~pactnet.indicators.compute` frame
    and save it to ``path`` (format from the suffix: .png, .svg, .pdf).

    Raises
    ------
    InputError
        An unknown indicator, an actor without rows, or matplotlib missing.
    """
    if indicator not in INDICATORS and indicator not in NETWORK_COLUMNS:
        raise InputError(f"indicator: unknown indicator {indicator!r}; expected one of "
                         f"{', '.join([*INDICATORS, *NETWORK_COLUMNS])}")
    if not actors:
        raise InputError("actors: name at least one partner to draw")
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ModuleNotFoundError:
        raise InputError("the figure needs matplotlib: pip install 'pactnet[viz]'") from None
    fig, ax = plt.subplots(figsize=(8, 4.5))
    for actor in actors:
        rows = frame.filter(pl.col("actor") == actor).sort("date")
        if rows.is_empty():
            plt.close(fig)
            raise InputError(f"actors: {actor!r} is not a partner of the patron in any year of the frame")
        ax.plot(rows["date"].to_list(), rows[indicator].to_list(), marker=".", label=actor)
    ax.set_ylabel(indicator.replace("_", " "))
    ax.set_xlabel("year (end of year)")
    patron = frame["patron"][0] if frame.height else ""
    ax.set_title(f"{indicator.replace('_', ' ')}: partners of {patron}")
    ax.grid(alpha=0.3)
    ax.legend()
    fig.tight_layout()
    out = Path(path)
    fig.savefig(out, dpi=120)
    plt.close(fig)
    return out
