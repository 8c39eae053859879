"""The sensitivity analysis: +/-50% of each weight, rank correlations and the judgements that survive."""

from __future__ import annotations

import polars as pl
import pytest

from pactnet.indicators import JUDGEMENTS, Weights, sensitivity, summarise_judgements


@pytest.fixture(scope="module")
def result(kb_store):
    return sensitivity("USA", at="2021-12-31", db=kb_store)


def test_every_weight_and_factor_is_tried(result):
    rankings, judgements = result
    assert set(rankings["weight"]) == set(Weights.names())
    assert set(rankings["factor"]) == {0.5, 1.5}
    assert judgements.height == len(JUDGEMENTS) * (1 + 2 * len(Weights.names()))
    baseline = judgements.filter(pl.col("weight") == "baseline")
    assert baseline["holds"].sum() == len(JUDGEMENTS) - 2  # docs/indicators.md: two are not supported


def test_weights_that_an_indicator_does_not_read_leave_its_ranking_alone(result):
    rankings, _ = result
    # deterrence credibility reads only ambiguity and org_share
    dc = rankings.filter(pl.col("indicator") == "deterrence_credibility", ~pl.col("weight").is_in(
        ["ambiguity", "org_share"]))
    assert dc["spearman"].min() == pytest.approx(1.0)
    # leverage reads the nuclear weight: halving it changes some ranks, but not the order of most partners
    lev = rankings.filter(pl.col("indicator") == "leverage", pl.col("weight") == "nuclear")
    assert lev["spearman"].min() > 0.5


def test_summary(result):
    summary = summarise_judgements(result[1])
    assert summary.columns == ["judgement", "baseline", "holds_in", "variations", "fails_under"]
    assert (summary["variations"] == 2 * len(Weights.names())).all()
    row = summary.filter(pl.col("judgement") == "deterrence_taiwan_above_ukraine_2021").row(0, named=True)
    assert row["holds_in"] == row["variations"] and row["fails_under"] == []
