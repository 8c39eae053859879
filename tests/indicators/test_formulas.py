"""Indicator values on a small knowledge base, worked out by hand from the formulas in docs/indicators.md
(default weights: ambiguity 0.5, org_share 0.5, breadth 0.5, campaign 0.5, vital 0.5, nuclear 1, covert 2,
hostility 0.5, threat 1)."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from pactnet.errors import InputError
from pactnet.indicators import Weights, compute


def _row(frame: pl.DataFrame, actor: str, year: int) -> dict:
    rows = frame.filter(pl.col("actor") == actor, pl.col("date") == dt.date(year, 12, 31))
    assert rows.height == 1, f"{actor} {year}: {rows.height} rows"
    return rows.row(0, named=True)


@pytest.fixture
def mini(mini_store):
    return compute("USA", start=2000, end=2024, db=mini_store, kb=mini_store.kb_dir)


# (actor, year, indicator, expected value, how)
CASES = [
    ("UKR", 2021, "deterrence_credibility", 0.4, "ad hoc: rank 2 / 5"),
    ("UKR", 2021, "exit_ease", 0.6, "1 - 0.4, standing driver"),
    ("UKR", 2021, "leverage", 1.0, "no rival ties, no nuclear weapons"),
    ("UKR", 2021, "halfway_house_exposure", 0.7 / 1.7, "threat (1 + 0.5) / 1.5, coop s(0.4 + 0.5 * 3/5)"),
    ("UKR", 2021, "rival_pull", 0.5, "one threat from Russia: s(1)"),
    ("UKR", 2021, "hedging", 0.0, "no cooperative tie with Russia"),
    ("FIN", 2021, "deterrence_credibility", 0.6, "structured; the NATO partnership counts 0.6 * 0.5"),
    ("FIN", 2021, "exit_ease", 0.4, "1 - 0.6"),
    ("FIN", 2021, "halfway_house_exposure", (1 / 1.5) * (1.2 / 2.2), "threat 1/1.5; coop s(0.8 + 0.5 * 0.8)"),
    ("FIN", 2023, "deterrence_credibility", 1.0, "a guarantee through NATO"),
    ("FIN", 2023, "exit_ease", 0.0, "guarantee for standing reasons"),
    ("FIN", 2023, "halfway_house_exposure", 0.0, "guaranteed"),
    ("PAK", 2010, "exit_ease", 0.8, "1 - 0.4 * (1 - 0.5): a campaign tie"),
    ("PAK", 2010, "entrapment_risk", 4 / 9, "dependence s(2) * divergence s(2: covert support via the ISI)"),
    ("PAK", 2010, "leverage", 0.7 / 1.7, "loss 0.7 against its nuclear weapons (1)"),
    ("PAK", 2010, "hedging", 0.0, "Russia is no rival before 2014"),
    ("PAK", 2016, "hedging", 0.3, "Russian arms 0.3 against 0.7 with the US"),
    ("PAK", 2016, "rival_pull", 0.3 / 1.3, "s(0.3)"),
    ("PAK", 2016, "leverage", 0.7 / 2.0, "0.7 / (0.7 + 0.3 + 1)"),
    ("PAK", 2016, "entrapment_risk", (2 / 3) * (2.3 / 3.3), "divergence s(2 + 0.3): Russia is now an adversary"),
    ("PAK", 2016, "halfway_house_exposure", 0.0, "not contiguous with Russia"),
]


@pytest.mark.parametrize(("actor", "year", "indicator", "expected", "how"), CASES)
def test_hand_computed_values(mini, actor, year, indicator, expected, how):
    assert _row(mini, actor, year)[indicator] == pytest.approx(expected), how


def test_partners_come_and_go_with_their_ties(mini):
    years = {a: sorted(d.year for d in mini.filter(pl.col("actor") == a)["date"]) for a in ("PAK", "UKR", "FIN")}
    assert years["PAK"] == list(range(2001, 2018))  # the only tie ends on 2018-01-04
    assert years["UKR"][0] == 2014
    assert years["FIN"][0] == 2000  # through NATO's partnership before the direct tie (2016)
    assert "RUS" not in mini["actor"].to_list()  # a rival, not a partner
    assert mini.columns[:4] == ["patron", "actor", "name", "date"]


def test_weights_move_the_values_they_name(mini_store):
    base = compute("USA", at=2010, actor="PAK", db=mini_store, kb=mini_store.kb_dir, network=False)
    more = compute("USA", at=2010, actor="PAK", db=mini_store, kb=mini_store.kb_dir, network=False,
                   weights={"covert": 4.0, "nuclear": 0.5})
    assert more["entrapment_risk"][0] == pytest.approx((2 / 3) * (4 / 5))
    assert more["leverage"][0] == pytest.approx(0.7 / 1.2)
    assert more["deterrence_credibility"][0] == base["deterrence_credibility"][0]


def test_one_date_and_a_series_agree(mini_store, mini):
    one = compute("USA", at="2021-12-31", db=mini_store, kb=mini_store.kb_dir)
    same = mini.filter(pl.col("date") == dt.date(2021, 12, 31))
    assert one.equals(same)


@pytest.mark.parametrize(("kwargs", "words"), [
    ({"patron": "USX"}, "patron: unknown actor 'USX'"),
    ({"actor": "ZZZ"}, "actor: unknown actor 'ZZZ'"),
    ({"at": "2021-13"}, "at: not a date"),
    ({"start": 2020, "end": 2010}, "end (2010) is before start (2020)"),
    ({"view": "press"}, "view: unknown view 'press'"),
    ({"weights": {"covert": -1}}, "weights: covert must be a non-negative number"),
    ({"weights": {"colour": 1}}, "weights: unknown weight 'colour'"),
    ({"weights": {"campaign": 2}}, "weights: campaign is a share and must be at most 1"),
])
def test_bad_arguments_name_the_parameter(mini_store, kwargs, words):
    kwargs = {"patron": "USA", **kwargs}
    with pytest.raises(InputError) as exc:
        compute(kwargs.pop("patron"), db=mini_store, kb=mini_store.kb_dir, **kwargs)
    assert words in str(exc.value)


def test_weights_scaled_caps_shares():
    w = Weights().scaled("campaign", 3.0)
    assert w.campaign == 1.0 and Weights().scaled("covert", 1.5).covert == 3.0
    with pytest.raises(InputError, match="unknown weight 'x'"):
        Weights().scaled("x", 2)
