"""Fixtures of the simulation tests: shipped scenarios compiled once from the shipped knowledge base."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="session")
def compiled(kb_store):
    """A function: scenario name -> (Scenario, Compiled), cached for the session."""
    from pactnet.sim.ensemble import prepare

    cache: dict = {}

    def get(name: str):
        if name not in cache:
            cache[name] = prepare(name, db=kb_store)
        return cache[name]

    return get
