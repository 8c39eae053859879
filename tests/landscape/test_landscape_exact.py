"""Exhaustive solver, basins and random-order absorption against brute force; the 1936 case."""

from __future__ import annotations

import itertools
import os
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from landscape_helpers import random_landscape

from pactnet.errors import ModelError
from pactnet.landscape import (
    EUROPE_1936,
    Landscape,
    agreement,
    basins,
    canonical,
    chance_within,
    descend,
    energy,
    europe_1936,
    is_local_minimum,
    local_minima,
    random_order_basins,
    solve,
)


def brute_force(land, k=2):
    out = []
    for rest in itertools.product(range(k), repeat=land.n - 1):
        x = np.array((0,) + rest)
        if tuple(canonical(x)) != tuple(x):
            continue
        if is_local_minimum(land, x, k):
            out.append((round(energy(land, x), 9), tuple(x)))
    return sorted(out)


@settings(max_examples=25, deadline=None)
@given(st.integers(2, 11), st.integers(0, 10**6), st.booleans())
def test_exhaustive_equals_brute_force(n, seed, integer):
    land = random_landscape(n, seed, integer=integer)
    got = sorted((round(m.energy, 9), tuple(m.config.tolist())) for m in local_minima(land))
    assert got == brute_force(land)


@settings(max_examples=10, deadline=None)
@given(st.integers(3, 7), st.integers(0, 10**6), st.booleans())
def test_three_coalitions_equal_brute_force(n, seed, integer):
    land = random_landscape(n, seed, integer=integer)
    got = sorted((round(m.energy, 9), tuple(m.config.tolist())) for m in local_minima(land, 3))
    assert got == brute_force(land, 3)


@settings(max_examples=15, deadline=None)
@given(st.integers(3, 9), st.integers(0, 10**6))
def test_relabelling_actors_changes_nothing(n, seed):
    land = random_landscape(n, seed)
    perm = np.random.default_rng(seed).permutation(n)
    other = Landscape([land.labels[i] for i in perm], land.sizes[perm],
                      land.propensity[np.ix_(perm, perm)])
    a = sorted(round(m.energy, 9) for m in local_minima(land))
    b = sorted(round(m.energy, 9) for m in local_minima(other))
    assert a == b
    sides_a = {frozenset(frozenset(land.labels[i] for i in np.flatnonzero(m.config == c))
                         for c in (0, 1)) for m in local_minima(land)}
    sides_b = {frozenset(frozenset(other.labels[i] for i in np.flatnonzero(m.config == c))
                         for c in (0, 1)) for m in local_minima(other)}
    assert sides_a == sides_b


@pytest.mark.parametrize("order", ["lowest_index", "steepest"])
def test_exact_basins_equal_python_dynamics(order):
    land = random_landscape(9, 11)
    minima = local_minima(land)
    assert basins(land, minima, order=order, method="exact") == "exact"
    counts = {tuple(m.config.tolist()): 0 for m in minima}
    for rest in itertools.product([0, 1], repeat=land.n - 1):
        end = canonical(descend(land, np.array((0,) + rest), order=order))
        counts[tuple(end.tolist())] += 1
    for m in minima:
        assert m.basin == pytest.approx(counts[tuple(m.config.tolist())] / 2 ** (land.n - 1))
    assert sum(m.basin for m in minima) == pytest.approx(1.0)


def test_sampled_basins_cover_exact_within_ci():
    land = random_landscape(12, 3)
    exact = local_minima(land)
    basins(land, exact, method="exact")
    sampled = local_minima(land)
    assert basins(land, sampled, method="sample", samples=20_000, seed=7) == "sampled"
    misses = 0
    for e, s in zip(exact, sampled, strict=True):
        lo, hi = s.basin_ci
        misses += not (lo - 1e-9 <= e.basin <= hi + 1e-9)
    assert misses <= 1


def test_three_coalition_basins_sum_to_one():
    land = random_landscape(6, 2)
    minima = local_minima(land, 3)
    basins(land, minima, k=3, method="exact")
    assert sum(m.basin for m in minima) == pytest.approx(1.0)


def test_random_order_exact_matches_monte_carlo():
    land = random_landscape(10, 5)
    exact = local_minima(land)
    assert random_order_basins(land, exact, method="exact") == "exact"
    assert sum(m.basin_random for m in exact) == pytest.approx(1.0)
    mc = local_minima(land)
    random_order_basins(land, mc, method="sample", samples=20_000, seed=1)
    misses = sum(not (m.basin_random_ci[0] - 1e-9 <= e.basin_random <= m.basin_random_ci[1] + 1e-9)
                 for e, m in zip(exact, mc, strict=True))
    assert misses <= 1


def test_random_order_by_hand():
    # Three actors, all pairs hostile except none: check against an explicit chain computation.
    land = random_landscape(4, 9, integer=True)
    minima = local_minima(land)
    random_order_basins(land, minima, method="exact")
    index = {tuple(m.config.tolist()): q for q, m in enumerate(minima)}

    def absorb(x):
        x = np.asarray(x)
        sig = 1 - 2 * x
        from pactnet.landscape import local_fields
        h = local_fields(land, x)
        movers = [i for i in range(land.n) if sig[i] * h[i] < -1e-9]
        if not movers:
            p = np.zeros(len(minima))
            p[index[tuple(canonical(x).tolist())]] = 1
            return p
        tot = 0
        for i in movers:
            y = x.copy()
            y[i] = 1 - y[i]
            tot = tot + absorb(y)
        return tot / len(movers)

    starts = [np.array((0,) + r) for r in itertools.product([0, 1], repeat=land.n - 1)]
    want = sum(absorb(x) for x in starts) / len(starts)
    assert np.allclose([m.basin_random for m in minima], want)


def test_pinned_actors_never_move_and_anchor_sides():
    land = random_landscape(8, 4)
    pinned = Landscape(land.labels, land.sizes, land.propensity, pinned={"a0": 0, "a1": 1})
    minima = local_minima(pinned)
    assert all(m.config[0] == 0 and m.config[1] == 1 for m in minima)
    brute = []
    for rest in itertools.product([0, 1], repeat=6):
        x = np.array((0, 1) + rest)
        if is_local_minimum(pinned, x):
            brute.append(round(energy(pinned, x), 9))
    assert sorted(round(m.energy, 9) for m in minima) == sorted(brute)
    basins(pinned, minima, method="exact")
    assert sum(m.basin for m in minima) == pytest.approx(1.0)


def test_too_large_is_a_model_error():
    with pytest.raises(ModelError, match="41 actors is too many"):
        local_minima(random_landscape(41, 0))
    with pytest.raises(ModelError, match="31 actors is too many"):
        local_minima(random_landscape(31, 0), algorithm="walk")
    with pytest.raises(ModelError, match="too many"):
        local_minima(random_landscape(25, 0), 3)


def test_solve_auto_reports_everything():
    land = random_landscape(10, 1)
    res = solve(land, seed=3)
    d = res.to_dict()
    assert d["method"] == "exhaustive" and d["basin_method"] == "exact"
    assert d["minima"][0]["global"] is True
    assert sum(m["basin"] for m in d["minima"]) == pytest.approx(1.0)
    assert sum(m["basin_random"] for m in d["minima"]) == pytest.approx(1.0)
    assert d["lower_bound"]["value"] <= d["minima"][0]["energy"] + 1e-9
    for m in d["minima"]:
        assert m["energy_unordered"] == pytest.approx(m["energy"] / 2)
        assert set(m["frustration"]) == set(land.labels)


# ------------------------------------------------------------------------------ Europe 1936
def test_1936_published_prediction_scores_15_of_17():
    land_labels = EUROPE_1936["labels"]
    pred = np.array([1 if x in EUROPE_1936["published"]["Axis"] else 0 for x in land_labels])
    act = np.array([1 if x in EUROPE_1936["actual"]["Axis"] else 0 for x in land_labels])
    assert agreement(pred, act) == 15
    assert agreement(pred, 1 - act) == 15  # side names do not matter
    assert chance_within(17, 2) == pytest.approx(154 / 65536)
    assert round(chance_within(17, 2), 4) == 0.0023
    assert len(land_labels) == 17 and sum(EUROPE_1936["sizes"].values()) < 1


MATRIX_1936 = os.environ.get("PACTNET_EUROPE1936_MATRIX",
                             str(Path(__file__).with_name("data") / "europe1936_propensity.csv"))


@pytest.mark.skipif(not Path(MATRIX_1936).exists(),
                    reason="the paper's 1936 propensity matrix is not in the project's references "
                           "(BJPS 23(2), Axelrod 1997 ch. 4); set PACTNET_EUROPE1936_MATRIX to a "
                           "labelled CSV of it to run this test")
def test_1936_reproduces_the_published_minima():
    land, published, actual = europe_1936(MATRIX_1936)
    res = solve(land, seed=1)
    assert len(res.minima) == 2  # the main minimum and the metastable one
    main = res.minima[0].config
    assert agreement(main, published) == 17
    assert agreement(main, actual) == 15
    meta = res.minima[1].config
    ussr = land.labels.index("Soviet Union")
    against = [lab for i, lab in enumerate(land.labels) if meta[i] != meta[ussr]]
    assert len(against) >= 12  # "most of Europe unites against the Soviet Union"


@pytest.mark.parametrize("seed", [0, 1])
def test_walk_block_bound_equals_full_walk(seed):
    land = random_landscape(20, seed)
    a = local_minima(land, algorithm="walk")
    b = local_minima(land, algorithm="walk", prune_bits=0)
    assert [m.config.tolist() for m in a] == [m.config.tolist() for m in b]
    assert np.allclose([m.energy for m in a], [m.energy for m in b])
    pinned = Landscape(land.labels, land.sizes, land.propensity, pinned={"a3": 1, "a7": 0})
    c = local_minima(pinned, algorithm="walk")
    d = local_minima(pinned, algorithm="walk", prune_bits=0)
    assert [m.config.tolist() for m in c] == [m.config.tolist() for m in d]
