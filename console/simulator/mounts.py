"""What an RTSP path serves: a pre-encoded loop paced by the wall clock, or the shared live-stamped stream."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from concurrent.futures import Future
from datetime import datetime
from typing import Protocol

from console.core.stamp import draw_stamp, strip_rows
from console.core.vntime import VN_TZ
from console.simulator.encoding import EncodedFrame, StreamProfile
from console.simulator.live_encoder import LiveEncoder, Planes
from console.simulator.loops import EncodedLoop
from console.simulator.rtp import CLOCK_RATE
from console.simulator.scene import SceneRenderer

log = logging.getLogger(__name__)


class FrameSink(Protocol):
    """A receiver of frames (an RTSP session in PLAY state)."""

    def send_frame(self, frame: EncodedFrame, timestamp: int) -> None: ...


class Mount(Protocol):
    profile: StreamProfile
    title: str

    async def ready(self) -> dict[str, bytes]:
        """Wait until the stream can be described; returns its parameter sets."""
        ...

    def add(self, sink: FrameSink) -> None: ...

    def remove(self, sink: FrameSink) -> None: ...


class LoopMount:
    """A loop replayed in real time: frame n is the one due at wall-clock n / fps, like a live camera."""

    def __init__(self, title: str, profile: StreamProfile, loop: Future[EncodedLoop],
                 stalled: Callable[[], bool]) -> None:
        self.title, self.profile = title, profile
        self._loop_future = loop
        self._stalled = stalled
        self._sinks: set[FrameSink] = set()
        self._task: asyncio.Task[None] | None = None

    async def ready(self) -> dict[str, bytes]:
        loop = await asyncio.wrap_future(self._loop_future)
        return loop.params

    def add(self, sink: FrameSink) -> None:
        self._sinks.add(sink)
        if self._task is None or self._task.done():
            self._task = asyncio.get_running_loop().create_task(self._pump())

    def remove(self, sink: FrameSink) -> None:
        self._sinks.discard(sink)

    async def _pump(self) -> None:
        loop = await asyncio.wrap_future(self._loop_future)
        fps = self.profile.fps
        while self._sinks:
            n = int(time.time() * fps) + 1
            await asyncio.sleep(max(0.0, n / fps - time.time()))
            if self._stalled():
                continue
            frame = loop.frames[n % loop.frame_count]
            timestamp = (n * CLOCK_RATE // fps) & 0xFFFFFFFF
            for sink in tuple(self._sinks):
                sink.send_frame(frame, timestamp)


LIVE_TITLE = "Đồng hồ trực tiếp · mốc thời gian"


class LiveHub(LiveEncoder["LiveMount"]):
    """One encoder whose frames carry the capture time as blocks; shared by every live mount (it runs only
    while some mount has a receiver)."""

    def __init__(self, profile: StreamProfile) -> None:
        super().__init__(profile, "sim-live-encoder")
        self._renderer: SceneRenderer | None = None

    def picture(self, index: int, capture: float) -> Planes:
        profile = self.profile
        if self._renderer is None:
            self._renderer = SceneRenderer(LIVE_TITLE, "Giờ Việt Nam (UTC+7)", profile.width, profile.height,
                                           profile.fps, 8.0)
        y, u, v = self._renderer.frame(index, clock=_vn_clock(capture))
        draw_stamp(y, int(capture * 1000))
        top, bottom = strip_rows(profile.height)
        u[top // 2: bottom // 2 + 1] = 128
        v[top // 2: bottom // 2 + 1] = 128
        return y, u, v

    def deliver_to(self, receiver: LiveMount, frame: EncodedFrame, timestamp: int) -> None:
        receiver.deliver(frame, timestamp)


def _vn_clock(epoch_s: float) -> str:
    return datetime.fromtimestamp(epoch_s, VN_TZ).strftime("%H:%M:%S")


class LiveMount:
    """A camera path that serves the shared live-stamped stream."""

    def __init__(self, title: str, hub: LiveHub, stalled: Callable[[], bool]) -> None:
        self.title, self.profile = title, hub.profile
        self._hub = hub
        self._stalled = stalled
        self._sinks: set[FrameSink] = set()

    async def ready(self) -> dict[str, bytes]:
        return await self._hub.params()

    def add(self, sink: FrameSink) -> None:
        self._sinks.add(sink)
        self._hub.attach(self)

    def remove(self, sink: FrameSink) -> None:
        self._sinks.discard(sink)
        if not self._sinks:
            self._hub.detach(self)

    def deliver(self, frame: EncodedFrame, timestamp: int) -> None:
        if self._stalled():
            return
        for sink in tuple(self._sinks):
            sink.send_frame(frame, timestamp)
