"""Readable output of landscape results: a rich table and a matplotlib figure of an alignment."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np

from pactnet.errors import InputError
from pactnet.landscape.model import Landscape, frustration
from pactnet.landscape.results import LandscapeResult

__all__ = ["result_table", "plot_alignment"]


def _fmt(v, digits=4):
    return "-" if v is None else f"{v:.{digits}g}"


def result_table(result: LandscapeResult, *, max_minima: int = 20):
    """A :class:`rich.table.Table` with one row per minimum: energy, basin and the sides."""
    from rich.table import Table

    land = result.landscape
    title = (f"Landscape: {land.n} actors, {result.k} coalitions, {result.method}; "
             f"{len(result.minima)} minima; basins: {result.basin_method} ({result.order})")
    t = Table(title=title, show_lines=True)
    t.add_column("#", justify="right")
    t.add_column("energy", justify="right")
    t.add_column("basin", justify="right")
    t.add_column("random order", justify="right")
    for c in range(result.k):
        t.add_column(f"side {c}")
    for r, m in enumerate(result.minima[:max_minima]):
        basin = _fmt(m.basin, 3)
        if m.basin_ci:
            basin += f" [{m.basin_ci[0]:.3f}, {m.basin_ci[1]:.3f}]"
        if m.hits is not None and m.basin is None:
            basin = f"{m.hits} runs"
        rnd = _fmt(m.basin_random, 3)
        fr = frustration(land, m.config)
        cells = []
        for c in range(result.k):
            idx = np.flatnonzero(m.config == c)
            cells.append(", ".join(f"{land.labels[i]} ({fr[i]:.2g})" for i in idx) or "-")
        t.add_row(str(r + 1), f"{m.energy:.6g}", basin, rnd, *cells)
    if result.lower_bound:
        lb = result.lower_bound
        t.caption = (f"lower bound {lb['value']:.6g} ({lb['method']}); gap "
                     f"{result.minima[0].energy - lb['value']:.4g}. Frustration in parentheses; energy"
                     " over ordered pairs (halve for unordered).")
    else:
        t.caption = "Frustration in parentheses; energy over ordered pairs (halve for unordered)."
    return t


def plot_alignment(land: Landscape, x, path: str | Path | None = None, *, title: str | None = None,
                   side_names: Sequence[str] | None = None, classes: dict[str, str] | None = None):
    """Draw an alignment: one column per coalition, actors sized by ``s_i``, ties as lines.

    Green lines join pairs with positive propensity, red dashed lines pairs with negative
    propensity; line width follows ``|s_i s_j p_ij|``. ``classes`` (e.g. from
    :func:`pactnet.landscape.blocs.classify_alignment`) is printed under each actor's label.
    Writes PNG or SVG (by suffix) when ``path`` is given and returns the figure.
    """
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.patches import FancyArrowPatch

    x = np.asarray(x)
    k = max(2, int(x.max()) + 1)
    fr = frustration(land, x)
    cols: dict[int, list[int]] = {c: [int(i) for i in np.flatnonzero(x == c)] for c in range(k)}
    for c in cols:
        cols[c].sort(key=lambda i: -land.sizes[i])
    rows = max(len(v) for v in cols.values()) or 1
    pos = {}
    for c, idx in cols.items():
        for r, i in enumerate(idx):
            pos[i] = (c * 3.0, -(r - (len(idx) - 1) / 2.0))
    fig, ax = plt.subplots(figsize=(3.2 * k + 1.5, 0.55 * rows + 2.0))
    J = np.abs(land.sizes[:, None] * land.sizes[None, :] * land.propensity)
    jmax = J.max() if J.max() > 0 else 1.0
    for i in range(land.n):
        for j in range(i + 1, land.n):
            p = land.propensity[i, j]
            if p == 0:
                continue
            (x0, y0), (x1, y1) = pos[i], pos[j]
            style = dict(color="tab:green" if p > 0 else "tab:red", ls="-" if p > 0 else "--",
                         lw=0.4 + 3.0 * J[i, j] / jmax, alpha=0.55, zorder=1)
            if x0 == x1:  # same column: an arc on the inner side, so lines do not overlap
                rad = -0.5 if (x[i] == 0) == (y0 > y1) else 0.5
                ax.add_patch(FancyArrowPatch((x0, y0), (x1, y1), arrowstyle="-",
                                             connectionstyle=f"arc3,rad={rad}", **style))
            else:
                ax.plot([x0, x1], [y0, y1], **style)
    smax = land.sizes.max()
    for i, (px, py) in pos.items():
        ax.scatter([px], [py], s=60 + 900 * land.sizes[i] / smax, color=f"C{x[i]}", zorder=2,
                   edgecolor="black", linewidth=0.5)
        text = f"{land.labels[i]}  F={fr[i]:.2g}"
        if classes and land.labels[i] in classes:
            text += f"\n{classes[land.labels[i]]}"
        ha = "right" if x[i] == 0 and k == 2 else "left"
        dx = -0.35 if ha == "right" else 0.35
        ax.text(px + dx, py, text, ha=ha, va="center", fontsize=8, zorder=3)
    for c in range(k):
        name = side_names[c] if side_names and c < len(side_names) else f"side {c}"
        ax.text(c * 3.0, (rows - 1) / 2.0 + 1.0, name, ha="center", fontsize=11, weight="bold")
    ax.set_xlim(-3.0, 3.0 * (k - 1) + 3.0)
    ax.set_ylim(-(rows - 1) / 2.0 - 1.0, (rows - 1) / 2.0 + 1.6)
    ax.axis("off")
    if title:
        ax.set_title(title, fontsize=10)
    fig.tight_layout()
    if path is not None:
        path = Path(path)
        if path.suffix.lower() not in (".png", ".svg", ".pdf"):
            raise InputError(f"{path} must end in .png, .svg or .pdf", param="figure")
        from pactnet.output import atomic_write

        with atomic_write(path, binary=True, param="figure") as fh:  # never half a file, never over a store
            fig.savefig(fh, dpi=150, format=path.suffix.lower().lstrip("."))
        plt.close(fig)
    return fig
