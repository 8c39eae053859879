"""The coverage table: every briefing paragraph, the items it names, and the records that represent each.

Built from the ``paragraphs:`` records (``kb/data/briefing.yaml``); ``docs/gen_coverage.py`` writes it to
``docs/coverage.md`` and ``tests/kb/test_coverage.py`` keeps the file, the quotes and the names true.
"""

from __future__ import annotations

from typing import Any

__all__ = ["coverage_markdown", "coverage_rows"]


def coverage_rows(kb: Any) -> list[dict[str, Any]]:
    """One row per item: paragraph, item, quote, the representing record ids, and the reason (if any)."""
    return [{"paragraph": p["id"], "item": it["item"], "quote": it["quote"], "records": list(it["records"]),
             "reason": it["reason"]}
            for p in kb.paragraphs for it in p["items"]]


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def coverage_markdown(kb: Any) -> str:
    """The coverage table as Markdown, deterministic (paragraph order, then item order)."""
    rows = coverage_rows(kb)
    kinds = {t["id"]: "tie" for t in kb.ties} | {e["id"]: "event" for e in kb.events}
    kinds |= dict.fromkeys(kb.actors, "actor")
    n_rep = sum(1 for r in rows if r["records"])
    out = [
        "# Coverage of the briefing",
        "",
        "Generated from `src/pactnet/kb/data/briefing.yaml` by `docs/gen_coverage.py`; do not edit by hand "
        "(`tests/kb/test_coverage.py` fails when it is out of date).",
        "",
        "For every paragraph of the briefing (`L<n>` is line *n* of the seed text) the table lists the items the "
        "paragraph names, a verbatim quote that names each (checked against the text by the tests), and the "
        "records (ties, events, actors) that represent it, or the reason it is not represented.",
        "",
        f"{len(kb.paragraphs)} paragraphs, {len(rows)} items: {n_rep} represented by records, "
        f"{len(rows) - n_rep} not represented (each with its reason).",
        "",
    ]
    for p in kb.paragraphs:
        named = ", ".join(f"`{a}`" + (f" (\"{_cell(p['quoted'][a])}\")" if a in p["quoted"] else "")
                          for a in p["names"])
        out += [f"## {p['id']}", "", f"Actors named: {named}.", "",
                "| item | quote | represented by | note |", "|---|---|---|---|"]
        for it in p["items"]:
            recs = ", ".join(f"`{r}` ({kinds.get(r, '?')})" for r in it["records"]) or "not represented"
            out.append(f"| {_cell(it['item'])} | \"{_cell(it['quote'])}\" | {recs} | {_cell(it['reason'] or '')} |")
        out.append("")
    return "\n".join(out)
