"""Doctests run against the shipped knowledge base in a store of their own (never the user's)."""

from __future__ import annotations

import os
import tempfile

import pytest


@pytest.fixture(autouse=True, scope="session")
def _doctest_store() -> None:
    if "PACTNET_DB" not in os.environ:
        os.environ["PACTNET_DB"] = os.path.join(tempfile.mkdtemp(prefix="pactnet-doctest-"), "pactnet.duckdb")
