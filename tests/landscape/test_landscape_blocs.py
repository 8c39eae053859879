"""Galam's bloc fields: classification and shocks."""

from __future__ import annotations

import numpy as np
import pytest

from pactnet.errors import InputError
from pactnet.landscape import (
    Bloc,
    Landscape,
    bloc_fields,
    classify_alignment,
    local_minima,
    shock,
    with_bloc_coupling,
)

LABELS = ["USA", "GBR", "FIN", "SWE", "UKR", "RUS", "IDN", "CHN"]
SIZES = [0.13, 0.02, 0.004, 0.005, 0.01, 0.035, 0.016, 0.23]


def europe():
    P = np.zeros((8, 8))

    def put(a, b, v):
        i, j = LABELS.index(a), LABELS.index(b)
        P[i, j] = P[j, i] = v

    put("USA", "GBR", 1.0)
    put("USA", "FIN", 0.6)
    put("USA", "SWE", 0.6)
    put("USA", "UKR", 0.4)
    put("USA", "RUS", -1.0)
    put("RUS", "UKR", -1.0)
    put("USA", "CHN", -1.0)
    put("USA", "IDN", 0.6)
    put("CHN", "IDN", 0.1)
    return Landscape(LABELS, SIZES, P)


BLOCS = [Bloc("NATO", ("USA", "GBR"), 0), Bloc("CHN", ("CHN",), 1), Bloc("RUS", ("RUS",), 1)]


def test_fields_and_classes():
    land = europe()
    phi = bloc_fields(land, BLOCS)
    assert phi[LABELS.index("FIN"), 0] == pytest.approx(0.13 * 0.6)
    cls = {k: v["class"] for k, v in classify_alignment(land, BLOCS).items()}
    assert cls["USA"] == cls["GBR"] == cls["RUS"] == "aligned"
    assert cls["UKR"] == "halfway_house"  # pulled to NATO, next to a hostile Russia
    assert cls["FIN"] == "unaligned"
    assert cls["IDN"] == "unaligned"  # USA 0.078 vs CHN 0.023: ratio 0.29 < hedge_ratio 0.5


def test_hedging_needs_comparable_fields():
    land = europe()
    res = classify_alignment(land, BLOCS, hedge_ratio=0.2)
    assert res["IDN"]["class"] == "hedging"
    res = classify_alignment(land, BLOCS, hedge_ratio=0.9)
    assert res["IDN"]["class"] == "unaligned"


def test_shock_turns_unaligned_states_into_halfway_houses():
    land = europe()
    res = shock(land, "RUS", ["FIN", "SWE"], to=-1.0, blocs=BLOCS)
    for lab in ("FIN", "SWE"):
        assert res.before[lab]["class"] == "unaligned"
        assert res.after[lab]["class"] == "halfway_house"
        assert res.after[lab]["adverse_from"] == "RUS"
        assert res.after[lab]["side"] == res.after["USA"]["side"] == 0  # oriented: NATO side 0
        assert res.after[lab]["margin"] > res.before[lab]["margin"]
    assert set(res.changed()) == {"FIN", "SWE"}
    assert res.landscape_before.propensity[2, 5] == 0  # the input is not modified
    d = res.to_dict()
    assert d["changes"] == {"RUS-FIN": -1.0, "RUS-SWE": -1.0}
    with pytest.raises(InputError, match="exactly one"):
        shock(land, "RUS", ["FIN"])


def test_bloc_coupling_is_galams_pair_term():
    land = europe()
    coupled = with_bloc_coupling(land, BLOCS, strength=0.5)
    i, j, r = LABELS.index("USA"), LABELS.index("GBR"), LABELS.index("RUS")
    assert coupled.propensity[i, j] == 1.5
    assert coupled.propensity[i, r] == -1.5
    assert len(local_minima(coupled)) >= 1
    with pytest.raises(InputError, match="two blocs"):
        bloc_fields(land, [Bloc("A", ("USA",)), Bloc("B", ("USA",), 1)])
