"""Exact frames for a paused player: decoded by PyAV from the keyframe at or before the moment.

libVLC shows a moment from its keyframe, and when paused it cannot be positioned on one given frame (it
re-displays paused pictures and a frame step sometimes repeats one: measured with stamped frames). So a
paused seek and a frame step, forward or back, show a still decoded here: the segment read from the keyframe
(`FromKeyframe`), decoded up to the frame at the moment. The decoder stays open on its GOP, so a step forward
is one more frame; a step back decodes that GOP again (up to a keyframe interval of frames).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import av
import numpy as np
import numpy.typing as npt

from console.core.recording import SegmentRow
from console.media.ts_keyframes import FromKeyframe, Keyframe, at_or_before

log = logging.getLogger(__name__)

DEFAULT_FRAME_MS = 40
KeyframesOf = Callable[[SegmentRow], list[Keyframe]]
Pixels = npt.NDArray[np.uint8]


@dataclass(frozen=True)
class Still:
    segment: SegmentRow
    offset_ms: int  # the frame's moment in its segment
    frame_ms: int  # the stream's frame interval
    pixels: npt.NDArray[np.uint8]  # BGRA at the player's output size
    frame: av.VideoFrame  # at the video's own size (snapshots)

    @property
    def at_ms(self) -> int:
        return self.segment.start_ms + self.offset_ms


@dataclass(frozen=True)
class StillRequest:
    number: int
    segment: SegmentRow
    offset_ms: int


class StillHandOff:
    """The paused player's still, handed between the GUI thread (asks, resumes) and the stills worker (delivers)
    under one lock: a still decoded for a request the GUI has left (resumed, or asked again) is dropped, so a
    late one can never pause a playing player, and libVLC's pictures are shown only while no still is."""

    def __init__(self, show: Callable[[Pixels], None]) -> None:
        self._show = show  # puts pixels on screen; called under the lock, so it must not wait on libVLC
        self._lock = threading.Condition()
        self._number = 0
        self._wanted: StillRequest | None = None
        self._at_ms: int | None = None  # the moment shown (or being decoded) while paused on a still
        self._still: Still | None = None
        self._closed = False

    @property
    def at_ms(self) -> int | None:
        """The still's moment (wall clock ms) while paused on one, else None."""
        with self._lock:
            return self._at_ms

    @property
    def still(self) -> Still | None:
        """The last still delivered (kept after resuming: its frame interval is the camera's)."""
        with self._lock:
            return self._still

    def ask(self, segment: SegmentRow, offset_ms: int) -> bool:
        """Pause on the frame at this moment (decoded by the worker); True if libVLC was showing until now."""
        with self._lock:
            was_live = self._at_ms is None
            self._number += 1
            self._wanted = StillRequest(self._number, segment, offset_ms)
            self._at_ms = segment.start_ms + offset_ms
            self._lock.notify()
            return was_live

    def leave(self) -> int | None:
        """Back to libVLC's pictures: the moment the still showed (None if none); stills decoding are stale."""
        with self._lock:
            at, self._at_ms = self._at_ms, None
            self._number += 1
            self._wanted = None
            return at

    def next_request(self) -> StillRequest | None:
        """For the worker: wait for the newest request; None once closed."""
        with self._lock:
            while self._wanted is None and not self._closed:
                self._lock.wait()
            wanted, self._wanted = self._wanted, None
            return None if self._closed else wanted

    def deliver(self, number: int, still: Still) -> bool:
        """For the worker: show the still decoded for request `number`, unless the GUI has moved on since."""
        at = still.at_ms
        with self._lock:
            if self._closed or number != self._number:
                return False
            self._still, self._at_ms = still, at
            self._show(still.pixels)
            return True

    def show_live(self, pixels: Pixels) -> bool:
        """For libVLC's display callback: show its picture unless paused on a still."""
        with self._lock:
            if self._at_ms is not None:
                return False
            self._show(pixels)
            return True

    def close(self) -> None:
        with self._lock:
            self._closed = True
            self._lock.notify_all()


class _Gop:
    """One open decode of a segment from a keyframe: frames in order, with their moments."""

    def __init__(self, root: Path, segment: SegmentRow, keyframes: list[Keyframe], offset_ms: int) -> None:
        self.segment = segment
        self.source = FromKeyframe(root / segment.path, keyframes, offset_ms)
        self.source.open_file()
        self.container = av.open(self.source, "r", format="mpegts")
        stream = self.container.streams.video[0]
        stream.thread_type = "AUTO"
        self.time_base = Fraction(stream.time_base or Fraction(1, 90000))
        self.frame_ms = _frame_ms(stream)
        self._frames = self._decode(stream)
        self.ahead: tuple[int, av.VideoFrame] | None = None  # the next frame, already decoded
        self.current: tuple[int, av.VideoFrame] | None = None

    def _decode(self, stream: av.video.stream.VideoStream) -> Iterator[tuple[int, av.VideoFrame]]:
        first: int | None = None
        for frame in self.container.decode(stream):
            if frame.pts is None:
                continue
            first = frame.pts if first is None else first
            yield self.source.offset_ms + round((frame.pts - first) * self.time_base * 1000), frame

    def next(self) -> tuple[int, av.VideoFrame] | None:
        if self.ahead is not None:
            item, self.ahead = self.ahead, None
            return item
        try:
            return next(self._frames)
        except (StopIteration, av.error.FFmpegError):
            return None

    def close(self) -> None:
        self.container.close()
        self.source.close()


class StillDecoder:
    """Frames at exact moments; one open GOP at a time. Not thread-safe: one worker thread uses it."""

    def __init__(self, root: Path, keyframes_of: KeyframesOf, size: tuple[int, int]) -> None:
        self.root = root
        self._keyframes_of = keyframes_of
        self.size = size
        self._gop: _Gop | None = None

    def frame_at(self, segment: SegmentRow, offset_ms: int) -> Still | None:
        """The frame at `offset_ms` in the segment: the nearest one, at most half a frame after the moment
        (frames are instants); past the segment's end, its last frame."""
        keyframes = self._keyframes_of(segment)
        gop = self._gop
        start = at_or_before(keyframes, offset_ms)
        reusable = (gop is not None and gop.segment.id == segment.id and gop.current is not None
                    and start is not None and gop.source.offset_ms == start.offset_ms
                    and gop.current[0] <= offset_ms)
        if not reusable:
            self.close()
            try:
                gop = self._gop = _Gop(self.root, segment, keyframes, offset_ms)
            except (OSError, av.error.FFmpegError, IndexError):
                log.warning("no still of %s at %d ms", segment.path, offset_ms, exc_info=True)
                return None
        assert gop is not None
        half = gop.frame_ms // 2
        while True:
            item = gop.next()
            if item is None:
                break
            if item[0] > offset_ms + half and gop.current is not None:
                gop.ahead = item
                break
            gop.current = item
        if gop.current is None:
            return None
        moment, frame = gop.current
        width, height = self.size
        pixels = np.ascontiguousarray(frame.reformat(width, height, "bgra").to_ndarray(), dtype=np.uint8)
        return Still(segment, moment, gop.frame_ms, pixels, frame)

    def close(self) -> None:
        if self._gop is not None:
            self._gop.close()
            self._gop = None


def frame_interval_ms(path: Path) -> int:
    """The stream's frame interval, from the file's header and first packets."""
    try:
        with av.open(str(path)) as container:
            stream = container.streams.video[0]
            return _frame_ms(stream)
    except (OSError, av.error.FFmpegError, IndexError):
        return DEFAULT_FRAME_MS


def _frame_ms(stream: av.video.stream.VideoStream) -> int:
    rate = stream.average_rate or stream.guessed_rate
    return round(1000 / float(rate)) if rate else DEFAULT_FRAME_MS


def save_png(frame: av.VideoFrame, path: Path) -> None:
    """The frame at its own size as PNG (FFmpeg's encoder: no image library needed)."""
    rgb = frame.reformat(format="rgb24")
    codec = av.CodecContext.create("png", "w")
    codec.width, codec.height, codec.pix_fmt = rgb.width, rgb.height, "rgb24"
    data = b"".join(bytes(packet) for packet in [*codec.encode(rgb), *codec.encode(None)])
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
