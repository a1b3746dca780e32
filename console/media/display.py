"""Display decoding: one decoder per stream, frames scaled by swscale straight to each tile's pixel size.

A tile owns a `FrameView`: the box it wants pictures fitted into and a one-frame slot. The decoder runs
on the ingest thread, overwrites the slot with every new picture and calls the view's `notify` only when
the slot was empty, so the GUI is woken at most once per frame it has not taken yet: an old frame is
dropped, never queued and shown late.

While no tile watches a stream (every camera's sub stream stays connected for its health), the decoder does
not decode; it always keeps the packets since the last keyframe (one GOP, bounded). A tile that starts watching
gets the *current* picture at once: the kept GOP is decoded up to now and only its newest picture is
shown, instead of waiting up to a GOP for the next keyframe.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

import av
import av.error
import numpy as np
import numpy.typing as npt
from av.packet import Packet
from av.video.codeccontext import VideoCodecContext
from av.video.reformatter import Interpolation, VideoReformatter
from av.video.stream import VideoStream

from console.core.health import ContentClock
from console.media.ingest import StreamInfo

WARM_S = 1.5  # keep decoding this long after the last view leaves: a swap or a page flip back is instant
GOP_PACKETS_MAX = 150  # packets kept since the last keyframe (10 s at 15 fps); a longer GOP is not kept
GOP_BYTES_MAX = 4 * 1024 * 1024
PIXEL_FORMAT = "bgra"  # = QImage.Format_RGB32 on little-endian machines: painted without conversion


def open_decoder(info: StreamInfo) -> VideoCodecContext:
    """A low-delay, single-threaded decoder for one stream (frame threads add ~2 frames of latency)."""
    codec = av.CodecContext.create(info.codec, "r")
    assert isinstance(codec, VideoCodecContext)
    if info.extradata:
        codec.extradata = info.extradata
    codec.thread_count = 1
    codec.flags |= av.codec.context.Flags.low_delay
    return codec


@dataclass(frozen=True, slots=True)
class VideoImage:
    """One decoded picture, already at the tile's size (BGRA rows, no padding)."""

    pixels: npt.NDArray[np.uint8]  # flat, `stride` bytes per row (swscale may pad rows)
    width: int
    height: int
    stride: int
    source_width: int
    source_height: int
    received: float  # time.monotonic() when its packet arrived
    decoded: float
    captured: float  # when the camera took it, on the same clock (ContentClock): the picture's age
    keyframe: bool


def fit(box_w: int, box_h: int, src_w: int, src_h: int) -> tuple[int, int]:
    """The largest even size with the source's aspect ratio that fits the box (never above the source)."""
    if box_w <= 0 or box_h <= 0 or src_w <= 0 or src_h <= 0:
        return 0, 0
    scale = min(box_w / src_w, box_h / src_h, 1.0)
    return max(2, int(src_w * scale) & ~1), max(2, int(src_h * scale) & ~1)


def _ignore() -> None:
    pass


class FrameView:
    """A tile's window on a stream: box size in, latest picture out (thread-safe)."""

    def __init__(self, notify: Callable[[], None]) -> None:
        self._notify = notify
        self._lock = threading.Lock()
        self._latest: VideoImage | None = None
        self._box = (0, 0)
        self.delivered = 0

    @property
    def box(self) -> tuple[int, int]:
        return self._box

    def set_box(self, width: int, height: int) -> None:
        self._box = (width, height)

    def put(self, image: VideoImage) -> None:
        with self._lock:
            wake = self._latest is None
            self._latest = image
            self.delivered += 1
            # The wake-up runs under the lock: once `close` returns, no thread is inside it. Called after the
            # lock, a decoder thread could emit the signal of a tile's feed that Qt had already deleted (a
            # segfault seen while a window closed). A queued signal only posts an event: nothing waits here.
            if wake:
                self._notify()

    def close(self) -> None:
        """No more wake-ups: after this returns, no decoder thread is inside or will enter the wake-up."""
        with self._lock:
            self._notify = _ignore
            self._latest = None

    def take(self) -> VideoImage | None:
        with self._lock:
            image, self._latest = self._latest, None
        return image


class DisplayDecoder:
    """Decodes a stream for the views attached to it; idle (no decoding at all) while it has none."""

    def __init__(self, label: str) -> None:
        self.label = label
        self._lock = threading.Lock()
        self._views: tuple[FrameView, ...] = ()
        self._scalers: dict[int, VideoReformatter] = {}
        self._codec: VideoCodecContext | None = None
        self._need_key = True
        self._clock = ContentClock()
        self._idle_since: float | None = time.monotonic()
        self._gop: list[tuple[Packet[VideoStream], float, float]] = []  # since the last keyframe, while idle
        self._gop_bytes = 0
        self.decoded = 0
        self.caught_up = 0  # views given the current picture from the kept GOP

    def add_view(self, view: FrameView) -> None:
        with self._lock:
            self._views = (*self._views, view)
            self._idle_since = None

    def remove_view(self, view: FrameView) -> bool:
        """False when `view` was not attached here."""
        with self._lock:
            if view not in self._views:
                return False
            self._views = tuple(v for v in self._views if v is not view)
            self._scalers.pop(id(view), None)
            if not self._views:
                self._idle_since = time.monotonic()
            return True

    @property
    def views(self) -> int:
        return len(self._views)

    # PacketSink -------------------------------------------------------------------------------------
    def stream_opened(self, info: StreamInfo) -> None:
        self._codec = open_decoder(info)
        self._need_key = True
        self._clock = ContentClock()
        self._forget_gop()

    def stream_closed(self) -> None:
        self._codec = None
        self._forget_gop()

    def packet(self, packet: Packet[VideoStream], received: float) -> None:
        views = self._views
        codec = self._codec
        idle_since = self._idle_since
        ts = packet.dts if packet.dts is not None else packet.pts
        base = packet.time_base
        captured = self._clock.captured(None if ts is None or base is None else float(ts * base), received)
        if codec is None:
            return
        if not views and (idle_since is None or received - idle_since > WARM_S):
            self._need_key = True  # references go stale while nobody watches: the GOP is kept instead
            self._keep(packet, received, captured)
            return
        if self._need_key and self._gop and not packet.is_keyframe:
            self._catch_up(codec, views)
        self._keep(packet, received, captured)  # kept while watched too: a tile that comes later has it whole
        if self._need_key:
            if not packet.is_keyframe:
                return
            self._need_key = False
        try:
            frames = codec.decode(packet)
        except av.error.FFmpegError:
            self._need_key = True
            return
        for frame in frames:
            self.decoded += 1
            self._deliver(frame, views, received, captured)

    def _keep(self, packet: Packet[VideoStream], received: float, captured: float) -> None:
        if packet.is_keyframe:
            self._forget_gop()
        elif not self._gop:
            return  # the GOP's keyframe was not seen
        self._gop.append((packet, received, captured))
        self._gop_bytes += packet.size
        if len(self._gop) > GOP_PACKETS_MAX or self._gop_bytes > GOP_BYTES_MAX:
            self._forget_gop()

    def _forget_gop(self) -> None:
        self._gop = []
        self._gop_bytes = 0

    def _catch_up(self, codec: VideoCodecContext, views: tuple[FrameView, ...]) -> None:
        """A view came: decode the kept GOP up to now and show its newest picture only (the GOP stays kept)."""
        newest: tuple[av.VideoFrame, float, float] | None = None
        try:
            for packet, received, captured in self._gop:
                for frame in codec.decode(packet):
                    self.decoded += 1
                    newest = frame, received, captured
        except av.error.FFmpegError:
            self._forget_gop()  # the next keyframe starts a clean one
            return
        self._need_key = False
        if newest is not None:
            self.caught_up += 1
            self._deliver(newest[0], views, newest[1], newest[2])

    def _deliver(self, frame: av.VideoFrame, views: tuple[FrameView, ...], received: float,
                 captured: float) -> None:
        for view in views:
            width, height = fit(*view.box, frame.width, frame.height)
            if not width:
                continue
            scaler = self._scalers.get(id(view))
            if scaler is None:
                scaler = self._scalers.setdefault(id(view), VideoReformatter())
            scaled = scaler.reformat(frame, width, height, PIXEL_FORMAT,
                                     interpolation=Interpolation.BILINEAR, threads=1)
            plane = scaled.planes[0]  # no copy: the array keeps the scaled frame alive
            pixels = np.frombuffer(memoryview(plane), np.uint8)
            view.put(VideoImage(pixels, width, height, plane.line_size, frame.width, frame.height,
                                received, time.monotonic(), captured, bool(frame.key_frame)))
