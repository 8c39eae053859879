"""The briefing's concepts as measured indicators, per partner and date (docs/indicators.md).

``compute(patron, at=... | start=..., end=...)`` returns one row per partner and date with
``deterrence_credibility, exit_ease, leverage, entrapment_risk, halfway_house_exposure, hedging, rival_pull``
and the network measures. Each indicator family has its own module; weights are :class:`Weights`.

The names below are imported on first use, so that the command line can register ``pactnet indicators``
without importing polars and numpy.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    from ._frame import Inputs, load_inputs
    from .core import INDICATORS, compute
    from .judgements import JUDGEMENTS, Judgement, check_judgements
    from .sensitivity_analysis import sensitivity, summarise_judgements
    from .validity import convergent_validity
    from .weights import DEFAULT_WEIGHTS, Weights

__all__ = [
    "compute",
    "INDICATORS",
    "Weights",
    "DEFAULT_WEIGHTS",
    "Inputs",
    "load_inputs",
    "JUDGEMENTS",
    "Judgement",
    "check_judgements",
    "sensitivity",
    "summarise_judgements",
    "convergent_validity",
]

_HOME = {
    "compute": "core", "INDICATORS": "core", "Weights": "weights", "DEFAULT_WEIGHTS": "weights",
    "Inputs": "_frame", "load_inputs": "_frame", "JUDGEMENTS": "judgements", "Judgement": "judgements",
    "check_judgements": "judgements", "sensitivity": "sensitivity_analysis",
    "summarise_judgements": "sensitivity_analysis",
    "convergent_validity": "validity",
}


def __getattr__(name: str) -> Any:
    if name in _HOME:
        value = getattr(importlib.import_module(f"{__name__}.{_HOME[name]}"), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
