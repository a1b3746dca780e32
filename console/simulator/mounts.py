"""What an RTSP path serves: a pre-encoded loop paced by the wall clock, or the shared live-stamped stream."""

from __future__ import annotations

import asyncio
import logging
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future
from datetime import datetime
from typing import Protocol

from console.core.stamp import draw_stamp, strip_rows
from console.core.vntime import VN_TZ
from console.simulator.encoding import EncodedFrame, FrameEncoder, StreamProfile
from console.simulator.loops import EncodedLoop
from console.simulator.rtp import CLOCK_RATE, parameter_sets
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


class LiveHub:
    """One encoder whose frames carry the capture time as blocks; shared by every live mount.

    The encoder thread runs only while some mount has a receiver. A new receiver asks for a keyframe,
    as real cameras give one on a new session, so it starts without waiting a whole GOP.
    """

    def __init__(self, profile: StreamProfile) -> None:
        self.profile = profile
        self._mounts: set[LiveMount] = set()
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._stop = threading.Event()
        self._want_key = threading.Event()
        self._params: Future[dict[str, bytes]] = Future()
        self._loop: asyncio.AbstractEventLoop | None = None
        self.frames_encoded = 0

    async def params(self) -> dict[str, bytes]:
        self._ensure_running(asyncio.get_running_loop())
        return await asyncio.wrap_future(self._params)

    def attach(self, mount: LiveMount) -> None:
        with self._lock:
            self._mounts.add(mount)
        self._want_key.set()
        self._ensure_running(asyncio.get_running_loop())

    def detach(self, mount: LiveMount) -> None:
        with self._lock:
            self._mounts.discard(mount)

    def _ensure_running(self, loop: asyncio.AbstractEventLoop) -> None:
        self._loop = loop
        if self._thread is None or not self._thread.is_alive():
            self._stop.clear()
            self._thread = threading.Thread(target=self._run, name="sim-live-encoder", daemon=True)
            self._thread.start()

    def close(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def _run(self) -> None:
        profile = self.profile
        renderer = SceneRenderer(LIVE_TITLE, "Giờ Việt Nam (UTC+7)", profile.width, profile.height,
                                 profile.fps, 8.0)
        encoder = FrameEncoder(profile, threads=1)
        idle_since = time.monotonic()
        n = int(time.time() * profile.fps)
        while not self._stop.is_set():
            n = max(n + 1, int(time.time() * profile.fps))
            delay = n / profile.fps - time.time()
            if delay > 0:
                time.sleep(delay)
            with self._lock:
                mounts = tuple(self._mounts)
            if not mounts and self._params.done():
                if time.monotonic() - idle_since > 5:
                    return  # nobody watches: stop spending CPU; the next attach restarts us
                continue
            idle_since = time.monotonic()
            capture = time.time()
            y, u, v = renderer.frame(n, clock=_vn_clock(capture))
            draw_stamp(y, int(capture * 1000))
            top, bottom = strip_rows(profile.height)
            u[top // 2: bottom // 2 + 1] = 128
            v[top // 2: bottom // 2 + 1] = 128
            force = self._want_key.is_set()
            self._want_key.clear()
            for frame in encoder.encode(y, u, v, force_key=force):
                self.frames_encoded += 1
                if not self._params.done() and frame.key:
                    self._params.set_result(parameter_sets(profile.codec, list(frame.nals)))
                timestamp = int(capture * CLOCK_RATE) & 0xFFFFFFFF
                if self._loop is not None and mounts:
                    self._loop.call_soon_threadsafe(_dispatch, mounts, frame, timestamp)


def _vn_clock(epoch_s: float) -> str:
    return datetime.fromtimestamp(epoch_s, VN_TZ).strftime("%H:%M:%S")


def _dispatch(mounts: tuple[LiveMount, ...], frame: EncodedFrame, timestamp: int) -> None:
    for mount in mounts:
        mount.deliver(frame, timestamp)


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
