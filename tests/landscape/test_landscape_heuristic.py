"""Heuristic solvers: seeded, no global RNG, agree with the exact solver, honest lower bounds."""

from __future__ import annotations

import numpy as np
import pytest
from landscape_helpers import random_landscape

from pactnet.errors import InputError
from pactnet.landscape import anneal, is_local_minimum, local_minima, lower_bound, multistart, solve


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_heuristics_find_the_exact_global_minimum(seed):
    land = random_landscape(14, seed)
    best = local_minima(land)[0].energy
    assert multistart(land, runs=500, seed=seed).minima[0].energy == pytest.approx(best)
    assert anneal(land, runs=16, seed=seed).minima[0].energy == pytest.approx(best)


def test_lower_bounds_are_valid():
    for seed in range(5):
        land = random_landscape(12, seed)
        best = local_minima(land)[0].energy
        lb = lower_bound(land)
        assert lb["trivial"] <= best + 1e-9
        assert lb["spectral"] <= best + 1e-9
        assert lb["value"] == max(lb["trivial"], lb["spectral"])
        assert lower_bound(land, 3)["method"] == "trivial"


def test_seeded_reproducible_and_global_rng_untouched():
    land = random_landscape(60, 4)
    np.random.seed(123)
    before = np.random.get_state()[1].copy()
    a = multistart(land, runs=200, seed=9)
    b = multistart(land, runs=200, seed=9)
    c = anneal(land, runs=4, sweeps=20, seed=9)
    d = anneal(land, runs=4, sweeps=20, seed=9)
    after = np.random.get_state()[1]
    assert (before == after).all()
    assert [m.hits for m in a.minima] == [m.hits for m in b.minima]
    assert [m.energy for m in c.minima] == [m.energy for m in d.minima]


def test_multistart_reports_hits_basins_and_gap():
    land = random_landscape(80, 2)
    res = solve(land, seed=1)  # auto -> multistart beyond 30 actors
    assert res.method == "multistart"
    assert sum(m.hits for m in res.minima) == res.runs == 1000
    for m in res.minima[:5]:
        assert is_local_minimum(land, m.config)
        assert m.basin_ci[0] <= m.basin <= m.basin_ci[1]
    d = res.to_dict()
    assert d["lower_bound"]["gap"] >= -1e-9
    assert d["minima"][0]["global"] is False  # not proven


def test_three_coalitions_heuristic():
    land = random_landscape(40, 1)
    res = multistart(land, 3, runs=100, seed=0)
    assert all(is_local_minimum(land, m.config, 3) for m in res.minima)


def test_bad_arguments():
    land = random_landscape(5, 0)
    with pytest.raises(InputError):
        multistart(land, runs=0)
    with pytest.raises(InputError):
        solve(land, method="magic")


def test_default_heuristic_held_to_the_exact_answer_on_30_actors():
    # benchmarks/landscape.py runs the same check on 200 landscapes (docs/landscape.md reports it)
    hits = 0
    for i in range(12):
        land = random_landscape(30, 500 + i)
        best = local_minima(land)[0].energy
        hits += multistart(land, seed=i).minima[0].energy <= best + 1e-9 * max(1.0, abs(best))
    assert hits >= 12 * 0.99
