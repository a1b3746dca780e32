"""A picture encoded live, paced by the wall clock, while someone receives it: the shared live-stamped stream
and each PTZ camera's stream are both one of these.

The encoder thread runs only while the encoder has receivers (it ends after `IDLE_STOP_S` without any; the next
receiver starts it again). A new receiver asks for a keyframe, as real cameras give one on a new session. The
first keyframe's parameter sets answer `params()` (the DESCRIBE waits for them); a picture that cannot be made
fails that wait instead of hanging it. Frames reach the receivers on the asyncio loop that attached them.
"""

from __future__ import annotations

import asyncio
import logging
import threading
import time
from concurrent.futures import Future
from typing import Generic, TypeVar

import numpy as np
import numpy.typing as npt

from console.simulator.encoding import EncodedFrame, FrameEncoder, StreamProfile
from console.simulator.rtp import CLOCK_RATE, parameter_sets

log = logging.getLogger(__name__)

IDLE_STOP_S = 5.0  # nobody receiving for this long: the encoder thread ends

R = TypeVar("R")
Planes = tuple[npt.NDArray[np.uint8], npt.NDArray[np.uint8], npt.NDArray[np.uint8]]


class LiveEncoder(Generic[R]):
    """Subclasses say what the picture is (`picture`) and how a frame reaches a receiver (`deliver_to`)."""

    def __init__(self, profile: StreamProfile, thread_name: str) -> None:
        self.profile = profile
        self._thread_name = thread_name
        self._receivers: set[R] = set()
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._stop = threading.Event()
        self._want_key = threading.Event()
        self._params: Future[dict[str, bytes]] = Future()
        self._loop: asyncio.AbstractEventLoop | None = None
        self.frames_encoded = 0

    # what a subclass provides ------------------------------------------------------------------------
    def picture(self, index: int, capture: float) -> Planes:
        """Frame number `index` (of the wall clock at the profile's rate), taken at `capture` (epoch s)."""
        raise NotImplementedError

    def deliver_to(self, receiver: R, frame: EncodedFrame, timestamp: int) -> None:
        raise NotImplementedError

    # receivers ---------------------------------------------------------------------------------------
    async def params(self) -> dict[str, bytes]:
        self._ensure_running(asyncio.get_running_loop())
        return await asyncio.wrap_future(self._params)

    def attach(self, receiver: R) -> None:
        with self._lock:
            self._receivers.add(receiver)
        self._want_key.set()
        self._ensure_running(asyncio.get_running_loop())

    def detach(self, receiver: R) -> None:
        with self._lock:
            self._receivers.discard(receiver)

    def close(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)

    # the encoder thread ------------------------------------------------------------------------------
    def _ensure_running(self, loop: asyncio.AbstractEventLoop) -> None:
        self._loop = loop
        if self._thread is None or not self._thread.is_alive():
            self._stop.clear()
            self._thread = threading.Thread(target=self._run, name=self._thread_name, daemon=True)
            self._thread.start()

    def _run(self) -> None:
        try:
            self._encode_while_received()
        except Exception as exc:  # a broken picture must not hang the DESCRIBE waiting for parameter sets
            log.exception("live picture %s failed", self._thread_name)
            if not self._params.done():
                self._params.set_exception(exc)

    def _encode_while_received(self) -> None:
        profile = self.profile
        encoder = FrameEncoder(profile, threads=1)
        idle_since = time.monotonic()
        n = int(time.time() * profile.fps)
        while not self._stop.is_set():
            n = max(n + 1, int(time.time() * profile.fps))
            delay = n / profile.fps - time.time()
            if delay > 0:
                time.sleep(delay)
            with self._lock:
                receivers = tuple(self._receivers)
            if not receivers and self._params.done():
                if time.monotonic() - idle_since > IDLE_STOP_S:
                    return
                continue
            idle_since = time.monotonic()
            capture = time.time()
            y, u, v = self.picture(n, capture)
            force = self._want_key.is_set()
            self._want_key.clear()
            for frame in encoder.encode(y, u, v, force_key=force):
                self.frames_encoded += 1
                if not self._params.done() and frame.key:
                    self._params.set_result(parameter_sets(profile.codec, list(frame.nals)))
                if self._loop is not None and receivers:
                    timestamp = int(capture * CLOCK_RATE) & 0xFFFFFFFF
                    self._loop.call_soon_threadsafe(self._dispatch, receivers, frame, timestamp)

    def _dispatch(self, receivers: tuple[R, ...], frame: EncodedFrame, timestamp: int) -> None:
        for receiver in receivers:
            self.deliver_to(receiver, frame, timestamp)
