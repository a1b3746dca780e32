"""Reconnects keep nothing: no demuxer, decoder or picture survives its session, and the memory freed when a
camera server goes away is handed back to the system (once per outage, not once per stream)."""

from __future__ import annotations

import gc
from collections import Counter

import pytest

from console.core.config import StreamKind
from console.media import heap
from console.media.display import FrameView
from console.media.pool import StreamPool
from console.simulator.server import Simulator
from tests.support.waiting import wait_until

CAMERAS = ("C01", "C02", "C03", "C04")
OUTAGES = 4
HELD = ("InputContainer", "VideoCodecContext", "VideoFrame", "VideoImage", "VideoReformatter")


def held() -> Counter[str]:
    gc.collect()
    return Counter(name for obj in gc.get_objects() if (name := type(obj).__name__) in HELD)


def test_after_every_outage_freed_memory_is_handed_back_and_no_session_object_is_kept(
    simulator: Simulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    trims: list[int] = []
    release = heap.HeapRelease(delay_s=0.3, trim=lambda: trims.append(1))
    monkeypatch.setattr(heap, "HEAP", release)
    pool = StreamPool(simulator.config)
    try:
        views = {}
        for camera_id in CAMERAS:
            views[camera_id] = view = FrameView(lambda: None)
            view.set_box(640, 360)
            pool.watch(camera_id, StreamKind.SUB, view)
        wait_until(lambda: all(v.delivered >= 5 for v in views.values()), 15)
        counts: list[Counter[str]] = []
        for _outage in range(OUTAGES):
            before, released = {c: v.delivered for c, v in views.items()}, len(trims)
            for camera_id in CAMERAS:  # the server cuts every connection at once
                simulator.drop(camera_id)
            wait_until(lambda b=before: all(v.delivered >= b[c] + 5 for c, v in views.items()), 20)
            wait_until(lambda n=released: len(trims) > n, 5)
            counts.append(held())
        # One release per outage (four sessions ended together), never one per stream.
        assert OUTAGES <= len(trims) <= 2 * OUTAGES
        # What the sessions held is gone with them: as many containers and decoders after the fourth outage
        # as after the first (frames in flight may differ by a few).
        first, last = counts[0], counts[-1]
        assert last["InputContainer"] <= first["InputContainer"]
        assert last["VideoCodecContext"] <= first["VideoCodecContext"]
        assert last["VideoFrame"] + last["VideoImage"] <= first["VideoFrame"] + first["VideoImage"] + len(CAMERAS)
    finally:
        pool.close()
