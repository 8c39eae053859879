"""The query API as its JSON output reads: rows of plain values (ISO dates, arrays, null).

The briefing-question tests were written against that contract; they read every query through it, so
that what they check is what ``--format json`` prints.
"""

from __future__ import annotations

import json
from typing import Any

from pactnet import network as _network
from pactnet.output import _json


def rows(frame: Any) -> list[dict[str, Any]]:
    """A frame as ``--format json`` prints it (``flows`` decoded, as it is a JSON object in text)."""
    out = json.loads(_json(frame))
    for r in out:
        if isinstance(r.get("flows"), str):
            r["flows"] = json.loads(r["flows"])
    return out


class _JSONAPI:
    def __getattr__(self, name: str) -> Any:
        fn = getattr(_network, name)

        def call(*args: Any, **kw: Any) -> Any:
            result = fn(*args, **kw)
            if name == "diff":
                out: dict[str, list] = {c: [] for c in ("added", "ended", "upgraded", "downgraded", "transient")}
                for r in rows(result):
                    out[r["change"]].append(r)
                return out
            return rows(result) if hasattr(result, "to_dicts") else result

        return call


network = _JSONAPI()
