"""Helpers shared by the landscape tests (a unique module name, unlike conftest)."""

from __future__ import annotations

import numpy as np

from pactnet.landscape.model import Landscape


def random_landscape(n: int, seed: int, *, integer: bool = False) -> Landscape:
    rng = np.random.default_rng(seed)
    if integer:
        P = rng.integers(-2, 3, size=(n, n)).astype(float)
        s = rng.integers(1, 4, size=n).astype(float)
    else:
        P = rng.normal(size=(n, n))
        s = rng.uniform(0.1, 1.0, size=n)
    P = np.triu(P, 1)
    P = P + P.T
    return Landscape([f"a{i}" for i in range(n)], s, P)
