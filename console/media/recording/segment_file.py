"""One open segment: the MPEG-TS file PyAV writes through, and what the writer knows of it so far."""

from __future__ import annotations

import contextlib
import io
import os
import time
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import BinaryIO

import av
from av.video.stream import VideoStream

from console.media.recording.items import DEFAULT_FRAME_TICKS
from console.media.ts_keyframes import WRITE_BATCH, KeyframeScanner, pack

DEFAULT_GOP_MS = 2000  # until a segment shows its own keyframe interval


class SegmentFile(io.RawIOBase):
    """The segment file PyAV writes through: remembers the OSError (errno) a failing write raised, and where
    each keyframe starts (saved with the segment, so the player starts reading there)."""

    def __init__(self, path: Path) -> None:
        super().__init__()
        self.file: BinaryIO = open(path, "wb")  # noqa: SIM115 - closed by close()
        self.error: OSError | None = None
        self.size = 0
        self.keyframes = KeyframeScanner()

    def writable(self) -> bool:
        return True

    def write(self, data: bytes) -> int:  # type: ignore[override]
        try:
            written = self.file.write(data)
        except OSError as exc:
            self.error = exc
            raise
        self.size += written
        self.keyframes.feed(data[:written], WRITE_BATCH)
        return written

    def flushed_size(self) -> int:
        """The bytes written so far, every one handed to the OS first: what the index may say the file holds
        (Python's buffer would be lost to a kill -9, and a player reading the open segment would seek past the
        end of the file to a keyframe it was told of)."""
        try:
            self.file.flush()
        except OSError as exc:
            self.error = exc
            raise
        return self.size

    def sync(self) -> None:
        self.file.flush()
        os.fsync(self.file.fileno())

    def keyframe_list(self) -> bytes:
        """Every keyframe written so far, packed for the index."""
        self.keyframes.feed(b"")
        return pack(self.keyframes.keyframes)

    def close(self) -> None:
        with contextlib.suppress(OSError):
            self.file.close()
        super().close()


@dataclass
class OpenSegment:
    segment_id: int
    path: Path
    sink: SegmentFile
    container: av.container.OutputContainer
    stream: VideoStream
    start_ms: int
    first_dts: int
    time_base: Fraction
    last_pts: int
    last_dts: int
    packets: int = 0
    frame_ticks: int = DEFAULT_FRAME_TICKS
    last_key_dts: int = 0
    gop_ticks: int = 0
    indexed_at: float = field(default_factory=time.monotonic)
    synced_at: float = field(default_factory=time.monotonic)

    def gop_ms(self) -> int:
        return int(self.gop_ticks * self.time_base * 1000) if self.gop_ticks else DEFAULT_GOP_MS

    def end_ms(self) -> int:
        ticks = self.last_pts - self.first_dts + self.frame_ticks
        return self.start_ms + int(ticks * self.time_base * 1000)
