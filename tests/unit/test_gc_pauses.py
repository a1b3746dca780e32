"""Freezing the long-lived objects takes them out of the garbage collector's full walks: a full collection over
half a million live container objects gets at least five times shorter once they are frozen (the same run, the
same objects), and freezing itself is no collection."""

from __future__ import annotations

import gc
import time
from collections.abc import Iterator

import pytest

from console.core.gc_pauses import freeze_long_lived


@pytest.fixture()
def unfrozen_after() -> Iterator[None]:
    yield
    gc.unfreeze()  # the suite's own process goes on as it was


def _full_collection_ms() -> float:
    started = time.perf_counter()
    gc.collect()
    return (time.perf_counter() - started) * 1000


def test_a_full_collection_skips_what_was_frozen(unfrozen_after: None) -> None:
    gc.unfreeze()
    kept = [[n] for n in range(500_000)]  # like a parsed schema: many small containers, alive for the run
    walked = min(_full_collection_ms() for _ in range(3))
    started = time.perf_counter()
    frozen = freeze_long_lived()
    freezing_ms = (time.perf_counter() - started) * 1000
    assert frozen >= len(kept)
    skipped = min(_full_collection_ms() for _ in range(3))
    assert skipped * 5 < walked, (skipped, walked)
    assert freezing_ms < walked  # a splice of the generations' lists, not a walk
    assert len(kept) == 500_000
