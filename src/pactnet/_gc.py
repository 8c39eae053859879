"""Pausing Python's cyclic garbage collector while pactnet builds many small objects at once."""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator

__all__ = ["paused"]


@contextlib.contextmanager
def paused(*, promote: bool = False) -> Iterator[None]:
    """The cyclic garbage collector paused, then resumed if it was on.

    Reading a knowledge base, building a store or a large snapshot makes hundreds of thousands of small
    objects and no reference cycles; each collection their allocations trigger walks all of them again (at
    100,000 ties that doubled a build's time). With ``promote``, the objects made meanwhile move to the oldest
    generation on the way out, unwalked (:func:`gc.freeze` then :func:`gc.unfreeze`; skipped if the program
    froze objects itself), so the first young collections afterwards do not walk them either.
    """
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            if promote and not gc.get_freeze_count():
                gc.freeze()
                gc.unfreeze()
            gc.enable()
