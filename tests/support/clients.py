"""Real RTSP clients for tests: PyAV (FFmpeg) with the console's low-delay options."""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import av
import numpy as np

OPEN_OPTIONS = {
    "rtsp_transport": "tcp",
    "fflags": "nobuffer",
    "flags": "low_delay",
    "probesize": "32768",
    "analyzeduration": "500000",
    "timeout": "4000000",  # µs: a dead server makes reads fail instead of hanging the test
}


@dataclass
class ReadResult:
    frames: int = 0
    width: int = 0
    height: int = 0
    codec: str = ""
    keyframes: int = 0
    first_frame_s: float = 0.0
    lumas: list[np.ndarray] = field(default_factory=list)


def read_frames(url: str, count: int, transport: str = "tcp", keep_luma: bool = False,
                deadline_s: float = 20.0) -> ReadResult:
    """Open `url` and decode `count` frames (raises av errors on refusal, bad auth, garbage)."""
    started = time.monotonic()
    result = ReadResult()
    with av.open(url, options={**OPEN_OPTIONS, "rtsp_transport": transport}, timeout=5.0) as container:
        stream = container.streams.video[0]
        stream.thread_count = 1
        result.codec = stream.codec_context.name
        for frame in container.decode(stream):
            if result.frames == 0:
                result.first_frame_s = time.monotonic() - started
            result.frames += 1
            result.width, result.height = frame.width, frame.height
            result.keyframes += 1 if frame.key_frame else 0
            if keep_luma:
                result.lumas.append(frame.to_ndarray(format="gray"))
            if result.frames >= count or time.monotonic() - started > deadline_s:
                break
    return result
