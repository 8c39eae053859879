"""Convergent validity against ATOP, Thompson & Dreyer and COW NMC (needs the shared research data)."""

from __future__ import annotations

import polars as pl
import pytest

from pactnet.errors import InputError
from pactnet.indicators import convergent_validity


@pytest.fixture(scope="module")
def validity(kb_store, shared):
    return convergent_validity(shared, db=kb_store)


def test_formal_commitment_tracks_atop_defence_pacts(validity):
    row = validity.filter(pl.col("indicator") == "deterrence_credibility", pl.col("measure") == "atop_defense")
    assert row["spearman"][0] > 0.5 and row["agrees"][0]
    row = validity.filter(pl.col("indicator") == "exit_ease", pl.col("measure") == "atop_defense")
    assert row["spearman"][0] < -0.5


def test_every_measure_is_reported(validity):
    assert validity.height == 10
    assert (validity["n"] > 100).all()
    assert set(validity.columns) >= {"indicator", "measure", "expected", "n", "years", "spearman", "agrees",
                                     "outliers"}


def test_missing_data_is_named(kb_store, tmp_path):
    with pytest.raises(InputError, match="data_dir: .*missing"):
        convergent_validity(tmp_path, db=kb_store)
