"""The model as published: validation, frustration, energy conventions, dynamics (with properties)."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from landscape_helpers import random_landscape

from pactnet.errors import InputError, PactnetError
from pactnet.landscape.model import (
    Landscape,
    descend,
    energy,
    frustration,
    gains,
    is_local_minimum,
    local_fields,
)


@pytest.mark.parametrize(
    "labels, sizes, P, message",
    [
        (["A", "B"], [1, 1], [[0, 1, 0], [1, 0, 0]], "square"),
        (["A", "B", "C"], [1, 1], np.zeros((3, 3)), "expected 3 sizes"),
        (["A", "B"], [1, 1], [[0, 1], [0.5, 0]], "not symmetric: row A, column B is 1 but row B, column A is 0.5"),
        (["A", "B"], [1, 0], [[0, 1], [1, 0]], "size of B is 0"),
        (["A", "B"], [1, -2], [[0, 1], [1, 0]], "size of B is -2"),
        (["A", "B"], [1, float("nan")], [[0, 1], [1, 0]], "size of B is nan"),
        (["A", "B"], [1, 1], [[0, float("nan")], [1, 0]], "row A, column B is nan"),
        (["A", "B"], [1, 1], [[1, 1], [1, 0]], "row A, column A is 1"),
        (["A", "A"], [1, 1], [[0, 1], [1, 0]], "appears twice"),
        (["A", "B", "C"], [1, 1, 1], np.zeros((2, 2)), "2x2 but there are 3 labels"),
    ],
)
def test_bad_input_names_row_and_column(labels, sizes, P, message):
    with pytest.raises(InputError, match=message.replace("(", r"\(")):
        Landscape(labels, sizes, P)
    assert issubclass(InputError, PactnetError)


def test_frustration_and_energy_by_hand(small):
    x = [0, 0, 1, 1]
    # F_A = s_C p_AC + s_D p_AD = 1.5*-1 + 0.5*0.5
    assert frustration(small, x)[0] == pytest.approx(-1.25)
    e = sum(small.sizes[i] * small.sizes[j] * small.propensity[i, j]
            for i in range(4) for j in range(4) if i != j and x[i] != x[j])
    assert energy(small, x) == pytest.approx(e)
    assert energy(small, x, pairs="unordered") == pytest.approx(e / 2)
    assert energy(small, x) == pytest.approx(float(small.sizes @ frustration(small, x)))
    with pytest.raises(InputError):
        energy(small, x, pairs="both")


def test_switch_changes_frustration_by_local_field(small):
    x = np.array([0, 1, 1, 0])
    h = local_fields(small, x)
    sigma = 1 - 2 * x
    for i in range(4):
        y = x.copy()
        y[i] = 1 - y[i]
        assert frustration(small, y)[i] - frustration(small, x)[i] == pytest.approx(sigma[i] * h[i])
        assert energy(small, y) - energy(small, x) == pytest.approx(2 * small.sizes[i] * sigma[i] * h[i])


sym = st.integers(min_value=3, max_value=8).flatmap(
    lambda n: st.tuples(st.just(n), st.integers(0, 10**6), st.booleans()))


@settings(max_examples=60, deadline=None)
@given(sym, st.sampled_from(["lowest_index", "steepest", "random"]), st.integers(2, 3))
def test_every_move_lowers_energy_and_ends_at_a_minimum(params, order, k):
    n, seed, integer = params
    land = random_landscape(n, seed, integer=integer)
    x0 = np.random.default_rng(seed).integers(0, k, size=n)
    x, moves = descend(land, x0, k=k, order=order, seed=seed, record=True)
    e_prev = energy(land, x0)
    cur = x0.copy()
    for label, _old, new, e_after in moves:
        i = land.labels.index(label)
        f_before = frustration(land, cur)[i]
        cur[i] = new
        assert frustration(land, cur)[i] < f_before  # the mover's own frustration falls
        assert energy(land, cur) < e_prev  # ... and so does the energy
        assert energy(land, cur) == pytest.approx(e_after)
        e_prev = energy(land, cur)
    assert is_local_minimum(land, x, k)
    assert (gains(land, x, k) <= 1e-9).all()


@settings(max_examples=40, deadline=None)
@given(sym)
def test_positive_pair_never_pays_for_being_together(params):
    n, seed, integer = params
    land = random_landscape(n, seed, integer=integer)
    P = land.propensity
    for x in itertools.product([0, 1], repeat=n):
        x = np.array(x)
        d = x[:, None] != x[None, :]
        contrib = land.sizes[None, :] * P * d  # what j costs i
        together = ~d & (P > 0)
        assert (contrib[together] == 0).all()
        # the frustration is exactly the apart terms
        assert np.allclose(frustration(land, x), contrib.sum(axis=1))
        if n > 5:
            break


@settings(max_examples=40, deadline=None)
@given(sym)
def test_relabelling_and_flipping_change_nothing(params):
    n, seed, integer = params
    land = random_landscape(n, seed, integer=integer)
    rng = np.random.default_rng(seed)
    x = rng.integers(0, 2, size=n)
    perm = rng.permutation(n)
    other = Landscape([land.labels[i] for i in perm], land.sizes[perm],
                      land.propensity[np.ix_(perm, perm)])
    assert energy(other, x[perm]) == pytest.approx(energy(land, x))
    assert np.allclose(frustration(other, x[perm]), frustration(land, x)[perm])
    assert energy(land, 1 - x) == pytest.approx(energy(land, x))
    assert is_local_minimum(land, x) == is_local_minimum(land, 1 - x)


def test_descend_orders_and_seed(small):
    with pytest.raises(InputError, match="order must be"):
        descend(small, [0, 0, 0, 0], order="alphabetical")
    a = descend(small, [0, 1, 0, 1], order="random", seed=5)
    b = descend(small, [0, 1, 0, 1], order="random", seed=5)
    assert (a == b).all()


def test_config_from_mapping(small):
    x = small.config({"C": 1, "D": 1})
    assert x.tolist() == [0, 0, 1, 1]
    with pytest.raises(InputError, match="unknown actor 'Z'"):
        small.config({"Z": 1})
