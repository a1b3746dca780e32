"""Freed decoder memory is handed back once per burst of stream closes, not once per stream."""

from __future__ import annotations

import threading
import time

from console.media.heap import HeapRelease
from tests.support.waiting import wait_until


def test_a_burst_of_closes_from_many_threads_trims_the_heap_once_after_the_delay() -> None:
    trims: list[float] = []
    release = HeapRelease(delay_s=0.2, trim=lambda: trims.append(time.monotonic()))
    started = time.monotonic()
    threads = [threading.Thread(target=release.freed) for _ in range(25)]  # a server restart: 25 sessions end
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert trims == []  # never on the closing thread itself
    wait_until(lambda: trims, 2)
    time.sleep(0.3)
    assert len(trims) == 1 and trims[0] - started >= 0.2 and release.releases == 1
    release.freed()  # the next outage gets its own release
    wait_until(lambda: len(trims) == 2, 2)


def test_without_malloc_trim_nothing_is_scheduled() -> None:
    release = HeapRelease(delay_s=0.0, trim=None)
    release.freed()
    time.sleep(0.05)
    assert release.releases == 0 and release._timer is None
