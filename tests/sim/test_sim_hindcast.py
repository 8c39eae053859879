"""Hindcast scoring: transition coding, the Brier score and its baselines, the share reproduced."""

from __future__ import annotations

import numpy as np
import pytest

from pactnet.sim.hindcast import OUTCOMES, brier, calibrate, hindcast, share_reproduced, transitions


def test_transitions_are_typed():
    levels = np.array([[0, 2, 3, 5, 2], [2, 3, 2, 0, 2]])
    assert transitions(levels).tolist() == [[1, 2, 3, 4, 0]]


def test_brier_of_a_perfect_and_of_the_persistence_forecast():
    obs = np.array([[0, 1, 0, 4]])
    perfect = np.eye(len(OUTCOMES))[obs]
    assert brier(perfect, obs) == 0.0
    persist = np.zeros(obs.shape + (5,))
    persist[..., 0] = 1
    assert brier(persist, obs) == pytest.approx(2 * 2 / 4)      # 2 per transition


def test_share_reproduced_counts_a_window_of_two_years():
    observed = np.zeros((6, 1), dtype=np.int8)
    observed[3, 0] = 1
    codes = np.zeros((6, 4, 1), dtype=np.int8)
    codes[1, 0, 0] = 1          # two years early: counts
    codes[5, 1, 0] = 1          # two years late: counts
    codes[0, 2, 0] = 1          # three years early: does not
    codes[3, 3, 0] = 4          # right year, wrong type: does not
    assert share_reproduced(codes, observed) == (0.5, 1)


def test_the_hindcast_scores_model_and_baselines_in_and_out_of_sample(kb_store):
    res = hindcast(replicas=60, seed=2, calibrate_params=False, db=kb_store)
    periods = {r["period"]: r for r in res.rows}
    assert set(periods) == {"in_sample", "out_of_sample"}
    assert periods["in_sample"]["years"] == "2001-2014" and periods["out_of_sample"]["years"] == "2015-2024"
    for row in periods.values():
        assert row["transitions"] > 5
        # persistence puts probability 1 on no change: 2 per observed transition
        assert row["brier_persistence"] == pytest.approx(2 * row["transitions"] / row["partner_years"])
        for key in ("brier_model", "brier_base_rate", "share_reproduced"):
            assert 0 <= row[key] <= 2
        for base in ("persistence", "base_rate"):
            lo, hi = row[f"model_minus_{base}_95"]
            assert lo <= hi
            assert row[f"skill_vs_{base}"] == pytest.approx(1 - row["brier_model"] / row[f"brier_{base}"])
    # the Finnish and Swedish upgrades of 2022-2024 are among the out-of-sample transitions the model reproduces
    upgrades = [r for r in res.by_type if r["period"] == "out_of_sample" and r["type"] == "upgrade"][0]
    assert upgrades["observed"] >= 4 and upgrades["share_reproduced"] > 0.1
    assert set(res.to_dict()) >= {"periods", "by_transition", "calibrated", "priors", "seed"}
    # every observed transition is listed once; Finland's 2022 step is structured -> assurance in the record
    assert len(res.by_transition) == sum(r["transitions"] for r in res.rows)
    fin = [t for t in res.by_transition if t["partner"] == "FIN" and t["year"] == 2022]
    assert fin and fin[0]["from"] == "structured" and fin[0]["to"] == "assurance"


def test_calibration_uses_only_the_in_sample_years(compiled):
    from pactnet.sim.initial import observed_levels

    sc, comp = compiled("historical-2000")
    obs = observed_levels(2000, 2024, comp.partners)
    a, _ = calibrate(comp, obs, last=14, replicas=40, names=("form_base",), step=1.0, passes=1)
    changed = obs.copy()
    changed[15:] = 0            # the out-of-sample years cannot move the calibration
    b, _ = calibrate(comp, changed, last=14, replicas=40, names=("form_base",), step=1.0, passes=1)
    assert a == b
