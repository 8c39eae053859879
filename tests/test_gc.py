"""The cyclic collector is paused while pactnet builds many objects, and left as it was found."""

from __future__ import annotations

import gc

import pytest

from pactnet._gc import paused


@pytest.mark.parametrize("promote", [False, True])
@pytest.mark.parametrize("enabled", [True, False])
def test_paused_restores_the_collector_even_on_error(enabled, promote):
    was = gc.isenabled()
    try:
        gc.enable() if enabled else gc.disable()
        with pytest.raises(KeyError), paused(promote=promote):
            assert not gc.isenabled()
            raise KeyError("boom")
        assert gc.isenabled() is enabled
    finally:
        gc.enable() if was else gc.disable()


def test_promoted_objects_leave_the_young_generation_and_nothing_stays_frozen():
    with paused(promote=True):
        made = [[i] for i in range(10_000)]
    assert gc.get_count()[0] < 1_000 and gc.get_freeze_count() == 0
    assert any(x is made for x in gc.get_objects(generation=2))
