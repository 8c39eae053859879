"""Dyad-year and state-year panels as a pipe of one-step verbs, as peacesciencer's, from the store or from files.

>>> from pactnet.panel import create_dyad_years
>>> p = (create_dyad_years(system="cow", end=2024)  # doctest: +SKIP
...      .add_atop().add_nmc().add_contiguity().add_capital_distance().add_kb())
>>> p.to_pandas()  # doctest: +SKIP

``dyad_years(states, atop=..., nmc=..., ...)`` and ``build_dyad_years(attributes=...)`` (the CLI's) are thin
shells over the same verbs.
"""

from __future__ import annotations

from pactnet.panel.build import ATTRIBUTES, dyad_years, kb_dyad_years, state_years
from pactnet.panel.frame import Panel
from pactnet.panel.sources import PanelWarning, build_dyad_years, build_state_years, load_inputs
from pactnet.panel.spells import add_spells, filter_prd
from pactnet.panel.verbs import (
    COVERAGE,
    LADDER,
    add_atop,
    add_capital_distance,
    add_contiguity,
    add_cow_alliances,
    add_dcad,
    add_kb,
    add_major_powers,
    add_nmc,
    add_rivalries,
    create_dyad_years,
    create_state_years,
)

__all__ = [
    "Panel",
    "create_dyad_years",
    "create_state_years",
    "add_atop",
    "add_cow_alliances",
    "add_dcad",
    "add_kb",
    "add_nmc",
    "add_contiguity",
    "add_capital_distance",
    "add_major_powers",
    "add_rivalries",
    "filter_prd",
    "add_spells",
    "PanelWarning",
    "dyad_years",
    "state_years",
    "build_dyad_years",
    "build_state_years",
    "load_inputs",
    "kb_dyad_years",
    "COVERAGE",
    "LADDER",
    "ATTRIBUTES",
]
