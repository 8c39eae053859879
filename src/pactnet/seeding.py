"""Seeds: every stochastic function takes ``seed`` (an int, a ``numpy.random.SeedSequence`` or ``None``) and
derives independent streams with ``SeedSequence.spawn``; the global NumPy generator is never used."""

from __future__ import annotations

from typing import Any

from .errors import InputError

__all__ = ["seed_sequence"]


def seed_sequence(seed: Any, *, param: str = "seed") -> Any:
    """``seed`` as a ``numpy.random.SeedSequence``: an existing one is returned as it is, an integer >= 0 seeds a
    new one, ``None`` draws fresh entropy (recorded in the sequence's ``entropy``).

    >>> seed_sequence(7).entropy
    7
    """
    import numpy as np

    if isinstance(seed, np.random.SeedSequence):
        return seed
    if seed is not None and (isinstance(seed, bool) or not isinstance(seed, int | np.integer) or seed < 0):
        raise InputError(f"expected a non-negative integer or a numpy SeedSequence, got {seed!r}", param=param)
    return np.random.SeedSequence(None if seed is None else int(seed))
