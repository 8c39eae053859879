"""Dyad-year and state-year panels matching peacesciencer, built from the store or from files.

>>> from pactnet.panel import build_dyad_years
>>> panel = build_dyad_years(system="cow", directed=True, end=2024, attributes=("atop", "kb"))  # doctest: +SKIP
>>> panel.frame.height, panel.dropped_counts()  # doctest: +SKIP
"""

from __future__ import annotations

from pactnet.panel.build import ATTRIBUTES, COVERAGE, Panel, dyad_years, kb_dyad_years, state_years
from pactnet.panel.sources import build_dyad_years, build_state_years, load_inputs

__all__ = [
    "Panel",
    "dyad_years",
    "state_years",
    "build_dyad_years",
    "build_state_years",
    "load_inputs",
    "kb_dyad_years",
    "COVERAGE",
    "ATTRIBUTES",
]
