"""The start-up heap of a serving process is frozen: a full collection no longer walks it."""

from __future__ import annotations

import gc

from runtime.collector import freeze_startup_heap


def test_the_startup_heap_is_frozen_and_what_comes_after_is_collected() -> None:
    kept = [[n] for n in range(1000)]  # built "at start-up"
    try:
        frozen = freeze_startup_heap()
        assert frozen >= len(kept) and gc.get_freeze_count() == frozen
        tracked = {id(o) for o in gc.get_objects()}
        assert id(kept[0]) not in tracked  # out of the collector's sight

        class Cycle:
            pass

        garbage = Cycle()
        garbage.me = garbage  # type: ignore[attr-defined]
        del garbage
        assert gc.collect() >= 1  # a cycle made afterwards is still collected
    finally:
        gc.unfreeze()
