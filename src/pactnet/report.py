"""Briefing-style text summaries computed from the store."""

from __future__ import annotations

from typing import Any

from . import network
from .output import show_date
from .schema import LEVELS, Date, View

__all__ = ["portfolio_summary"]


def portfolio_summary(patron: Any = "USA", *, start: int = 1990, end: int = 2024,
                      change: tuple[Date, Date] = (2006, 2022), view: View = "record", db: Any = None,
                      kb: Any = None) -> str:
    """A short text summary: the patron's portfolio by commitment level per year, and the ties added and
    ended between the two dates of ``change`` (a bare year: the first day of the first, the last day of the
    second)."""
    import polars as pl

    patron = network.resolve_actor(patron, param="patron", db=db, kb=kb)
    frame = network.portfolio(patron, start=start, end=end, by="level", view=view, db=db, kb=kb)
    wide = frame.pivot(on="level", index="year", values="ties", maintain_order=True)
    lines = [f"{patron} security ties by commitment level, {start}-{end} (view: {view})", ""]
    header = f"{'year':>6} " + " ".join(f"{lv:>13}" for lv in LEVELS) + f" {'total':>6}"
    lines += [header, "-" * len(header)]
    for row in wide.iter_rows(named=True):
        counts = [row[lv] for lv in LEVELS]
        lines.append(f"{row['year']:>6} " + " ".join(f"{n:>13}" for n in counts) + f" {sum(counts):>6}")
    d = network.diff(change[0], change[1], patron=patron, view=view, db=db, kb=kb)
    n = dict(d.group_by("change").len().iter_rows())
    lines += ["", f"Change in {patron}'s ties from {change[0]} to {change[1]}: "
              f"{n.get('added', 0)} added, {n.get('ended', 0)} ended, {n.get('upgraded', 0)} upgraded, "
              f"{n.get('downgraded', 0)} downgraded, {n.get('transient', 0)} formed and ended in between."]
    for label in ("ended", "added", "transient"):
        part = d.filter(pl.col("change") == label)
        direct = part.filter(pl.col("derived_from").is_null())
        via = part.filter(pl.col("derived_from").is_not_null())
        title = "Formed and ended in between" if label == "transient" else label.capitalize()
        lines += ["", f"{title} ({direct.height} direct"
                  + (f", {via.height} through alliance organisations" if via.height else "") + "):"]
        for t in direct.iter_rows(named=True):
            span = f"{show_date(t['start'], t['start_precision'])} to " + (
                show_date(t["end"], t["end_precision"]) if t["end"] else "open")
            why = f", {t['end_reason'].replace('_', ' ')}" if label != "added" and t["end_reason"] else ""
            lines.append(f"  {t['partner']:<10} {t['kind']:<24} {t['level']:<13} {span}{why}  [{t['id']}]")
        if via.height:
            orgs = ", ".join(sorted(set(via["via"].drop_nulls())))
            names = ", ".join(sorted(set(via["partner"])))
            lines.append(f"  through {orgs}: {names}")
    return "\n".join(lines)
