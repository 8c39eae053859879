"""Shared fixtures of the landscape tests."""

from __future__ import annotations

import numpy as np
import pytest

from pactnet.landscape.model import Landscape


@pytest.fixture
def small():
    """Four actors with one clear split: {A, B} against {C, D}."""
    P = np.array([[0, 1, -1, 0.5], [1, 0, -0.5, 0], [-1, -0.5, 0, 1], [0.5, 0, 1, 0]], dtype=float)
    return Landscape(["A", "B", "C", "D"], [1.0, 2.0, 1.5, 0.5], P)
