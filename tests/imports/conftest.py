from __future__ import annotations

import os
from pathlib import Path

import pytest


def shared_data() -> Path:
    env = os.environ.get("PACTNET_SHARED_DATA")
    return Path(env) if env else Path(__file__).resolve().parents[3] / "shared" / "data"


@pytest.fixture(scope="session")
def shared() -> Path:
    d = shared_data()
    if not (d / "atop5_1" / "atop5_1m.csv").exists():
        pytest.skip(f"shared research data not found at {d} (set PACTNET_SHARED_DATA)")
    return d


@pytest.fixture()
def db(tmp_path: Path) -> Path:
    return tmp_path / "store.duckdb"
