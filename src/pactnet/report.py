"""Briefing-style text summaries computed from the store."""

from __future__ import annotations

from typing import Any

from . import network
from .schema import LEVELS

__all__ = ["portfolio_summary"]


def portfolio_summary(patron: str = "USA", start: int = 1990, end: int = 2024, *,
                      change: tuple[Any, Any] = (2006, 2022), view: str = "record", db: Any = None) -> str:
    """A short text summary: the patron's portfolio by commitment level per year, and the ties added
    and ended between the two years of ``change`` (start of the first, end of the second)."""
    frame = network.portfolio(patron, start, end, by="level", view=view, db=db)
    counts = {(r["year"], r["level"]): r["ties"] for r in frame.to_dicts()}
    years = list(range(start, end + 1))
    lines = [f"{patron} security ties by commitment level, {start}-{end} (view: {view})", ""]
    header = f"{'year':>6} " + " ".join(f"{lv:>13}" for lv in LEVELS) + f" {'total':>6}"
    lines += [header, "-" * len(header)]
    for y in years:
        row = [counts.get((y, lv), 0) for lv in LEVELS]
        lines.append(f"{y:>6} " + " ".join(f"{n:>13}" for n in row) + f" {sum(row):>6}")
    d = network.diff(f"{change[0]}-01-01", f"{change[1]}-12-31", patron=patron, view=view, db=db)
    lines += ["", f"Change in {patron}'s ties from {change[0]}-01-01 to {change[1]}-12-31: "
              f"{len(d['added'])} added, {len(d['ended'])} ended, {len(d['upgraded'])} upgraded, "
              f"{len(d['downgraded'])} downgraded, {len(d['transient'])} formed and ended in between."]
    for label in ("ended", "added", "transient"):
        direct = [t for t in d[label] if not t.get("derived_from")]
        via = [t for t in d[label] if t.get("derived_from")]
        title = "Formed and ended in between" if label == "transient" else label.capitalize()
        lines += ["", f"{title} ({len(direct)} direct"
                  + (f", {len(via)} through alliance organisations" if via else "") + "):"]
        for t in direct:
            other = t["target"] if t["source"] == patron else t["source"]
            span = f"{t['start'][:7]} to {t['end'][:7] if t['end'] else 'open'}"
            why = f", {t['end_reason'].replace('_', ' ')}" if label != "added" and t["end_reason"] else ""
            lines.append(f"  {other:<10} {t['kind']:<24} {t['level']:<13} {span}{why}  [{t['id']}]")
        if via:
            orgs = sorted({t["via"] for t in via})
            names = sorted({t["target"] if t["source"] == patron else t["source"] for t in via})
            lines.append(f"  through {', '.join(orgs)}: {', '.join(names)}")
    return "\n".join(lines)
