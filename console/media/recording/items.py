"""What travels from the taps to the writer thread: a stream's session, packets, and cuts."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction

import av
from av.video.stream import VideoStream

from console.core.recording import RecordFailure
from console.media.ingest import StreamInfo

DEFAULT_FRAME_TICKS = 3600  # 1/25 s at 90 kHz, until a stream shows its own frame interval
FailureCallback = Callable[[RecordFailure | None, str], None]  # None: recording works again


@dataclass
class Session:
    """One connection's stream as the muxer needs it: codec parameters held by a template stream."""

    camera_id: str
    info: StreamInfo
    template: VideoStream
    holder: av.container.OutputContainer  # keeps the template's parameters alive
    time_base: Fraction


@dataclass(frozen=True)
class RecPacket:
    data: bytes
    pts: int
    dts: int
    key: bool
    wall_ms: int


@dataclass(frozen=True)
class Cut:
    """End the camera's open segment here (stream closed, post-roll over, packets dropped)."""


Item = Session | RecPacket | Cut | None
