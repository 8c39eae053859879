"""Alignment prediction with Axelrod & Bennett's landscape theory (1993) and Galam's bloc fields.

Import names from here; heavy modules (NumPy, numba, matplotlib) load on first use so that the CLI
stays fast. See ``docs/landscape.md``.
"""

from __future__ import annotations

import importlib

__all__ = [
    # model
    "Landscape", "MOVE_ORDERS", "frustration", "energy", "local_fields", "gains",
    "is_local_minimum", "descend", "canonical", "sides",
    # solvers
    "solve", "local_minima", "basins", "random_order_basins", "solve_exact",
    "multistart", "anneal", "lower_bound",
    "Minimum", "LandscapeResult", "wilson_interval",
    # data
    "TIE_WEIGHTS", "read_propensity_csv", "read_sizes_csv", "read_landscape_json",
    "load_landscape", "write_propensity_csv", "propensity_from_ties", "sizes_from_nmc",
    "sizes_from_store", "landscape_from_kb",
    # propensities from the field's data
    "FieldData", "read_field_data", "field_data_from_store", "load_field_data", "read_capitals",
    "COMPONENTS", "DEFAULT_WEIGHTS", "ATOP_OBLIGATION_WEIGHTS", "propensity_components",
    "landscape_from_data", "explain", "HistoryCase", "HISTORY_CASES", "score_case",
    # Galam blocs
    "Bloc", "ALIGNMENT_CLASSES", "bloc_fields", "with_bloc_coupling", "classify_alignment",
    "orient", "ShockResult", "shock",
    # output and cases
    "result_table", "plot_alignment", "EUROPE_1936", "europe_1936", "agreement", "chance_within",
]

_WHERE = {
    "model": ("Landscape", "MOVE_ORDERS", "frustration", "energy", "local_fields", "gains",
              "is_local_minimum", "descend", "canonical", "sides"),
    "solver": ("solve",),
    "exact": ("local_minima", "basins", "random_order_basins", "solve_exact"),
    "heuristic": ("multistart", "anneal", "lower_bound"),
    "results": ("Minimum", "LandscapeResult", "wilson_interval"),
    "data": ("TIE_WEIGHTS", "read_propensity_csv", "read_sizes_csv", "read_landscape_json",
             "load_landscape", "write_propensity_csv", "propensity_from_ties", "sizes_from_nmc",
             "sizes_from_store", "landscape_from_kb"),
    "fielddata": ("FieldData", "read_field_data", "field_data_from_store", "load_field_data",
                  "read_capitals"),
    "propensity": ("COMPONENTS", "DEFAULT_WEIGHTS", "ATOP_OBLIGATION_WEIGHTS", "propensity_components",
                   "landscape_from_data", "explain"),
    "history": ("HistoryCase", "HISTORY_CASES", "score_case"),
    "blocs": ("Bloc", "ALIGNMENT_CLASSES", "bloc_fields", "with_bloc_coupling",
              "classify_alignment", "orient", "ShockResult", "shock"),
    "report": ("result_table", "plot_alignment"),
    "cases": ("EUROPE_1936", "europe_1936", "agreement", "chance_within"),
}
_MODULE_OF = {name: mod for mod, names in _WHERE.items() for name in names}


def __getattr__(name: str):
    mod = _MODULE_OF.get(name)
    if mod is None:
        raise AttributeError(f"module 'pactnet.landscape' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"pactnet.landscape.{mod}"), name)
    globals()[name] = value
    return value


def __dir__():
    return sorted(set(globals()) | set(__all__))
