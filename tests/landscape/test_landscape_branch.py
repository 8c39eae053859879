"""The branch and bound (default exact solver) against the plain walk and the block-bounded walk."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from landscape_helpers import random_landscape

from pactnet.errors import InputError, ModelError
from pactnet.landscape import Landscape, energy, is_local_minimum, local_minima
from pactnet.landscape.exact import _branch_minima, branch_order


def same(a, b):
    assert [m.config.tolist() for m in a] == [m.config.tolist() for m in b]
    assert np.allclose([m.energy for m in a], [m.energy for m in b], rtol=1e-12, atol=1e-12)


def pinned_copy(land, pins):
    return Landscape(land.labels, land.sizes, land.propensity, pinned=pins)


@settings(max_examples=40, deadline=None)
@given(st.integers(2, 16), st.integers(0, 10**6), st.booleans())
def test_branch_equals_plain_walk_small(n, seed, integer):
    # integer landscapes have exact zeros and ties (sigma_i h_i = 0), the edge of both rules
    land = random_landscape(n, seed, integer=integer)
    same(local_minima(land), local_minima(land, algorithm="walk", prune_bits=0))


@settings(max_examples=15, deadline=None)
@given(st.integers(4, 14), st.integers(0, 10**6), st.booleans())
def test_branch_with_pinned_actors_equals_plain_walk(n, seed, integer):
    land = random_landscape(n, seed, integer=integer)
    rng = np.random.default_rng(seed)
    pins = {land.labels[i]: int(rng.integers(0, 2)) for i in rng.choice(n, size=2, replace=False)}
    p = pinned_copy(land, pins)
    got = local_minima(p)
    same(got, local_minima(p, algorithm="walk", prune_bits=0))
    assert all(m.config[land.index(a)] == side for m in got for a, side in pins.items())


@pytest.mark.parametrize("n, seed, integer", [(22, 1, False), (24, 2, True), (26, 3, False), (30, 4, False)])
def test_branch_equals_plain_walk_up_to_30(n, seed, integer):
    land = random_landscape(n, seed, integer=integer)
    same(local_minima(land), local_minima(land, algorithm="walk", prune_bits=0))


def test_branch_equals_block_bounded_walk_at_34():
    land = random_landscape(34, 34)
    same(local_minima(land), local_minima(land, algorithm="walk", max_n=34))


def test_branch_with_pins_equals_block_bounded_walk_at_32():
    land = pinned_copy(random_landscape(32, 5), {"a0": 1, "a9": 0, "a20": 1})
    same(local_minima(land), local_minima(land, algorithm="walk", max_n=32))


def test_branch_solves_40_actors_and_every_result_is_a_minimum():
    land = random_landscape(40, 40)
    minima = local_minima(land)
    assert len(minima) > 1
    energies = [m.energy for m in minima]
    assert energies == sorted(energies)
    for m in minima[:25]:
        assert is_local_minimum(land, m.config)
        assert m.energy == pytest.approx(energy(land, m.config))
        assert m.config[0] == 0


def test_branch_order_puts_strong_fields_first():
    land = random_landscape(6, 0)
    order = branch_order(land, np.arange(1, 6))
    strength = np.abs(land.weights).sum(axis=1)[order]
    assert sorted(order.tolist()) == [1, 2, 3, 4, 5]
    assert list(strength) == sorted(strength, reverse=True)


def test_indifferent_actors_beyond_the_limit_are_a_model_error():
    P = np.zeros((14, 14))
    P[0, 1] = P[1, 0] = 1.0  # twelve actors with no propensities: 2**12 equal minima
    land = Landscape([f"a{i}" for i in range(14)], np.ones(14), P)
    assert len(local_minima(land)) == 2**12
    with pytest.raises(ModelError, match="more than 1,000 local minima"):
        _branch_minima(land, 40, max_minima=1000)


def test_unknown_algorithm_or_walk_option_is_an_input_error():
    with pytest.raises(InputError, match="algorithm must be one of branch, walk"):
        local_minima(random_landscape(5, 0), algorithm="gray")
    with pytest.raises(InputError, match="prune_bits applies to algorithm='walk' only"):
        local_minima(random_landscape(5, 0), prune_bits=0)


def test_branch_by_hand_three_actors():
    # A and B friends, both hostile to C: one minimum {A, B} | {C}
    P = np.array([[0, 1, -1], [1, 0, -1], [-1, -1, 0]], dtype=float)
    land = Landscape(["A", "B", "C"], [1.0, 1.0, 1.0], P)
    minima = local_minima(land)
    assert [m.config.tolist() for m in minima] == [[0, 0, 1]]
    brute = [x for x in itertools.product([0, 1], repeat=3) if x[0] == 0 and is_local_minimum(land, x)]
    assert brute == [(0, 0, 1)]
