"""The briefing's concepts as measured indicators, per partner and date (docs/indicators.md).

``compute(patron, at=... | start=..., end=...)`` returns one row per partner and date with
``deterrence_credibility, exit_ease, leverage, entrapment_risk, halfway_house_exposure, hedging, rival_pull``
and the network measures. Each indicator family has its own module; weights are :class:`Weights`.
"""

from __future__ import annotations

from ._frame import Inputs, load_inputs
from .compute import INDICATORS, compute
from .judgements import JUDGEMENTS, Judgement, check_judgements
from .sensitivity import sensitivity
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
]
