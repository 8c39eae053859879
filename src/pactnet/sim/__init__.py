"""Simulation of the partnership system: a documented dynamics model (docs/model.md), scenarios, Monte Carlo
ensembles (local or Dask) streamed to Parquet, a hindcast against the knowledge base, and outputs.

NumPy, polars and pyarrow load with the modules that need them; Dask and matplotlib only when used.
"""

from __future__ import annotations

import importlib
from typing import Any

_API = {
    "PARAMETERS": "pactnet.sim.model",
    "Compiled": "pactnet.sim.model",
    "simulate": "pactnet.sim.model",
    "Scenario": "pactnet.sim.scenario",
    "ScenarioError": "pactnet.sim.scenario",
    "load_scenario": "pactnet.sim.scenario",
    "shipped_scenarios": "pactnet.sim.scenario",
    "compile_scenario": "pactnet.sim.scenario",
    "kb_state": "pactnet.sim.initial",
    "prepare": "pactnet.sim.ensemble",
    "run_ensemble": "pactnet.sim.ensemble",
    "read_ensemble": "pactnet.sim.ensemble",
    "hindcast": "pactnet.sim.hindcast",
    "fan_table": "pactnet.sim.outputs",
    "partner_probabilities": "pactnet.sim.outputs",
    "compare_ensembles": "pactnet.sim.outputs",
    "plot_fan": "pactnet.sim.outputs",
}

__all__ = list(_API)


def __getattr__(name: str) -> Any:
    if name in _API:
        return getattr(importlib.import_module(_API[name]), name)
    raise AttributeError(f"module 'pactnet.sim' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(__all__)
