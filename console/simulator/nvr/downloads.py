"""A recording range as a download: the vendor's container (Hikvision's IMKH program stream, Dahua's DHAV with the
bytes some firmware sends before it), its exact length known before the first byte (for Content-Length), then its
bytes as fast as the socket takes them."""

from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterator, Sequence
from typing import Protocol

from console.simulator.nvr import dhav, program_stream
from console.simulator.nvr.device_time import DeviceClock
from console.simulator.nvr.recording_media import LoopFrames, RecordedFrame
from console.simulator.nvr.schedule import RecordingSchedule
from console.simulator.rtp import Codec

CHUNK_BYTES = 512 * 1024
DHAV_MAGIC = b"DHAV"


class Container(Protocol):
    def header(self) -> bytes: ...

    def pieces(self, frame: RecordedFrame) -> Sequence[bytes]: ...


class HikvisionFile:
    """IMKH + program stream; PTS from the device-local midnight of the range's start."""

    def __init__(self, clock: DeviceClock, codec: Codec, fps: int, start_ms: int) -> None:
        self._codec, self._fps = codec, fps
        local = clock.local_parts(start_ms)
        self._midnight_ms = clock.from_local_parts(local.replace(hour=0, minute=0, second=0, microsecond=0,
                                                                 tzinfo=None))

    def header(self) -> bytes:
        return program_stream.file_header(self._codec)

    def pieces(self, frame: RecordedFrame) -> Sequence[bytes]:
        pts = frame.number * program_stream.PTS_HZ // self._fps - self._midnight_ms * program_stream.PTS_HZ // 1000
        return program_stream.frame_pieces(frame.annexb, key=frame.key, pts=pts, codec=self._codec)


class DahuaFile:
    """DHAV frames dated in the device's local time."""

    def __init__(self, clock: DeviceClock, codec: Codec, channel: int, fps: int, width: int, height: int) -> None:
        self._clock, self._codec, self._channel = clock, codec, channel
        self._fps, self._width, self._height = fps, width, height

    def header(self) -> bytes:
        return b""

    def pieces(self, frame: RecordedFrame) -> Sequence[bytes]:
        return dhav.frame_pieces(frame.annexb, key=frame.key, number=frame.number,
                                 local=self._clock.local_parts(frame.at_ms), channel=self._channel - 1,
                                 codec=self._codec, fps=self._fps, width=self._width, height=self._height)


def preamble(max_bytes: int) -> bytes:
    """Random bytes of random length (1 … max) that hold no `DHAV`: what some Dahua firmware sends first."""
    if max_bytes <= 0:
        return b""
    size = 1 + int.from_bytes(os.urandom(4), "big") % max_bytes
    return os.urandom(size).replace(DHAV_MAGIC, b"dHAV")


class DownloadBody:
    def __init__(self, frames: LoopFrames, schedule: RecordingSchedule, start_ms: int, end_ms: int, now_ms: int,
                 container: Container, lead: bytes = b"") -> None:
        self._frames, self._schedule = frames, schedule
        self._window = (start_ms, end_ms, now_ms)
        self._container = container
        self._lead = lead + container.header()
        self.frame_count = 0
        sizes: dict[int, int] = {}
        total = len(self._lead)
        for number in frames.numbers(schedule, *self._window):
            index = frames.index(number)
            size = sizes.get(index)
            if size is None:  # a container's framing depends on the frame's bytes, never on its time
                size = sizes[index] = sum(len(p) for p in container.pieces(frames.frame(number)))
            total += size
            self.frame_count += 1
        self.length = total

    @property
    def empty(self) -> bool:
        return self.frame_count == 0

    async def chunks(self) -> AsyncIterator[bytes]:
        batch: list[bytes] = [self._lead]
        size = len(self._lead)
        for number in self._frames.numbers(self._schedule, *self._window):
            for piece in self._container.pieces(self._frames.frame(number)):
                batch.append(piece)
                size += len(piece)
            if size >= CHUNK_BYTES:
                yield b"".join(batch)
                batch, size = [], 0
                await asyncio.sleep(0)  # other clients of the recorder get their turn
        if batch:
            yield b"".join(batch)
