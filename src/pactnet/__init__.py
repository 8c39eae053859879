"""pactnet: US alliances and security partnerships as sourced, time-stamped data.

The query API is reachable from the package itself (``pactnet.ties(...)`` is
:func:`pactnet.network.ties`); modules are imported on first use so that ``import pactnet`` and the
CLI stay fast.
"""

from __future__ import annotations

import importlib
from typing import Any

__version__ = "0.1.0"

_API = {
    "ties": "pactnet.network",
    "allies": "pactnet.network",
    "resolve_actor": "pactnet.network",
    "actors": "pactnet.network",
    "snapshot": "pactnet.network",
    "portfolio": "pactnet.network",
    "diff": "pactnet.network",
    "history": "pactnet.network",
    "events": "pactnet.network",
    "sources": "pactnet.network",
    "disagreements": "pactnet.network",
    "Store": "pactnet.store",
    "load_kb": "pactnet.kb",
    "PactnetError": "pactnet.errors",
}

__all__ = ["__version__", *_API]


def __getattr__(name: str) -> Any:
    if name in _API:
        return getattr(importlib.import_module(_API[name]), name)
    raise AttributeError(f"module 'pactnet' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(__all__)
