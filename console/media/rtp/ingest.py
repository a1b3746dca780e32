"""The RTP live path: a `StreamIngest` whose sessions play over aiortsp and hand each access unit to the sinks
the moment its last packet (marker bit) arrives, one frame sooner than FFmpeg's demuxer.

Everything around a session is the FFmpeg path's: the thread, the backoff, the health and its budgets, the
sinks and what they are told. Every session runs on the one network loop (`network.py`: the Python work per RTP
packet in one thread) and hands what it received to the camera's hand-off lane (`handoff.py`: one thread per
core feeds the sinks, so decoders run in parallel); the ingest's own thread waits for the session. Its access
units become PyAV packets on a stream template of the codec (time base 1/90 000, the RTP clock, counted from the
session's first picture), so the display decoders, the recorder's stream copy and the analytics take them as
they take FFmpeg's.

When the RTP path cannot set a camera up (a payload it does not depacketize, an RTSP answer other than a
refusal, B-frames whose decode order the RTP timestamps do not give), the FFmpeg path takes that camera over
for the rest of the run, logged and shown in the camera's status (`path`, `fallback`).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import time
from fractions import Fraction

import av
from aiortsp.rtsp.errors import RTSPConnectionError, RTSPResponseError, RTSPTimeoutError
from av.packet import Packet
from av.video.codeccontext import VideoCodecContext
from av.video.stream import VideoStream

from console.core.config import Transport
from console.core.health import ContentClock, Failure
from console.core.redact import redact
from console.media import heap
from console.media.ingest import IngestSettings, StreamInfo, StreamIngest
from console.media.rtp import handoff
from console.media.rtp.depacketize import AccessUnit, Depacketizer, has_parameter_sets
from console.media.rtp.network import submit
from console.media.rtp.session import CameraLeftError, RtpSetup, UnsupportedStreamError, receive

log = logging.getLogger(__name__)

TIME_BASE = Fraction(1, 90_000)
DRAIN_S = 5.0  # a session's end waits this long at most for its packets to reach the sinks
WATCH_EVERY_S = 0.2  # how often a session checks for a stop, a stall or a camera that never sends a picture
TEARDOWN_S = 1.0  # the longest a session waits for the camera to answer its TEARDOWN
_AUTH = frozenset({401, 403})


class _CannotPlayError(Exception):
    """The RTP path cannot play this camera: the FFmpeg path takes it over."""


def rtp_failure(exc: BaseException) -> tuple[Failure, str] | None:
    """The failure the officer is told about for what a session raised; None when the camera answered in a way
    the RTP path cannot take (the FFmpeg path is tried instead)."""
    if isinstance(exc, UnsupportedStreamError):
        return None
    if isinstance(exc, CameraLeftError):
        return Failure.CLOSED, str(exc)
    if isinstance(exc, RTSPResponseError):
        status = exc.response.status if exc.response is not None else None
        if status in _AUTH:
            return Failure.AUTH, f"RTSP {status}"
        if status == 404:
            return Failure.NOT_FOUND, "RTSP 404"
        return None
    if isinstance(exc, RTSPConnectionError):  # aiortsp's wrapper of what the socket or its parser raised
        cause = exc.__cause__
        if "invalid data" in str(exc):
            return Failure.BAD_DATA, redact(str(exc))
        if isinstance(cause, OSError | TimeoutError):
            return rtp_failure(cause) or (Failure.CLOSED, redact(str(exc)))
        return Failure.CLOSED, redact(str(exc))
    if isinstance(exc, ConnectionRefusedError):
        return Failure.REFUSED, redact(str(exc))
    if isinstance(exc, TimeoutError | RTSPTimeoutError):
        return Failure.TIMEOUT, redact(str(exc)) or "no answer"
    if isinstance(exc, EOFError | ConnectionResetError | BrokenPipeError | ConnectionAbortedError |
                  asyncio.IncompleteReadError):
        return Failure.CLOSED, redact(str(exc))
    if isinstance(exc, OSError):
        return Failure.OTHER, redact(str(exc))
    return None


class RtpIngest(StreamIngest):
    """One stream kept connected over the RTP path, the FFmpeg path behind it."""

    def __init__(self, label: str, url: str, transport: Transport = Transport.TCP,
                 settings: IngestSettings | None = None) -> None:
        super().__init__(label, url, transport, settings)
        self._fallback = ""  # why the FFmpeg path plays this stream (for good); empty while the RTP path does
        self._set(path="rtp")
        self._setup: RtpSetup | None = None
        self._session_info: StreamInfo | None = None
        self._holder: av.container.OutputContainer | None = None
        self._template: VideoStream | None = None
        self._depacketizer: Depacketizer | None = None
        self._clock = ContentClock()
        self._first_ts: int | None = None
        self._last_ts: int | None = None
        self._opened_at = 0.0
        self._ended: tuple[Failure, str] | None = None  # why the session is being ended from our side
        self._cannot = ""  # what the RTP path met that it cannot play
        self._dropped = self._dropped_before = 0  # pictures a lost packet cost: in all, before this session
        self._lane = handoff.lane()  # where the network loop hands this camera's packets to the sinks

    def _session(self) -> tuple[Failure, str, bool]:
        if self._fallback:
            return super()._session()
        with self._lock:
            url = self._url
        self._live = False
        self._ended = None
        self._cannot = ""
        self._first_ts = self._last_ts = None
        self._clock = ContentClock()
        self._opened_at = time.monotonic()
        try:
            submit(self._play(url)).result()
            failure, detail = self._ended or (Failure.CLOSED, "end of stream")
        except _CannotPlayError as exc:
            return self._fall_back(str(exc))
        except Exception as exc:
            known = rtp_failure(exc)
            if known is None and self._setup is None:  # it never got as far as playing
                return self._fall_back(redact(str(exc).splitlines()[0] if str(exc) else type(exc).__name__))
            failure, detail = known or (Failure.OTHER, redact(str(exc)))
        finally:
            if not handoff.drain(self._lane, DRAIN_S):  # the sinks have every packet before they hear of the end
                log.warning("%s: the sinks are %.0f s behind the network", self.label, DRAIN_S)
            self._end_session()
        return failure, detail, self._live

    def _fall_back(self, reason: str) -> tuple[Failure, str, bool]:
        self._fallback = reason or "setup failed"
        self._set(path="ffmpeg", fallback=self._fallback)
        log.warning("%s: the RTP path cannot play this stream (%s); FFmpeg's demuxer takes it over", self.label,
                    self._fallback)
        return super()._session()

    async def _play(self, url: str) -> None:
        """One session; returns when it ends (why in `_ended`), raises what the connection raised."""
        stop, dead = asyncio.Event(), asyncio.Event()
        session = asyncio.create_task(receive(url, self._on_setup, self._on_unit, self._new_depacketizer,
                                              self._transport, self._settings.open_timeout_s, stop, dead))
        watch = asyncio.create_task(self._watch())
        await asyncio.wait((session, watch), return_when=asyncio.FIRST_COMPLETED)
        watch.cancel()
        if not session.done():  # a teardown the camera does not answer is not waited for
            if self._ended is not None and self._ended[0] is Failure.TIMEOUT:
                dead.set()  # a silent or trickling link is not asked for a TEARDOWN
            stop.set()
            with contextlib.suppress(TimeoutError, asyncio.CancelledError):
                await asyncio.wait_for(asyncio.shield(session), TEARDOWN_S)
            session.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await session
        if self._cannot:
            raise _CannotPlayError(self._cannot)
        if self._ended is None:
            session.result()  # why the connection ended

    async def _watch(self) -> None:
        """Returns when the session was ended (by `_on_unit`, while this slept), the ingest is stopped or pictures
        stop coming. The FFmpeg path's budgets, as it applies them: a session with no packet for the read timeout
        is over (a silent camera shows its frozen picture until then), and one whose packets still come is over
        when its newest picture is too old (a trickle)."""
        heard, heard_at = self._packets_in(), time.monotonic()
        while not self._session_ended():
            await asyncio.sleep(WATCH_EVERY_S)
            if self._session_ended():  # by `_on_unit` while this slept: never overwrite why
                return
            now, packets = time.monotonic(), self._packets_in()
            came = packets != heard
            if came:
                heard, heard_at = packets, now
            if self._stop.is_set():
                self._ended = (Failure.CLOSED, "")
            elif self._setup is not None and now - heard_at >= self._settings.read_timeout_s:
                self._ended = (Failure.TIMEOUT, "no data")
            elif self._setup is not None and (came or not self._live):
                self._ended = self._overdue(now, self._opened_at)  # playing: the picture budgets run

    def _packets_in(self) -> int:
        """RTP packets of this session so far (pictures or not)."""
        return self._depacketizer.stats.packets if self._depacketizer is not None else 0

    def _session_ended(self) -> bool:
        return self._ended is not None

    def _new_depacketizer(self, codec: str) -> Depacketizer:
        self._depacketizer = Depacketizer(codec)
        return self._depacketizer

    def _on_setup(self, setup: RtpSetup) -> None:
        self._setup = setup
        self._opened_at = time.monotonic()
        self._holder = av.open(os.devnull, "w", format="mpegts")
        template = self._holder.add_stream(setup.codec)
        assert isinstance(template, VideoStream)
        self._template = template

    def _on_unit(self, unit: AccessUnit, received: float) -> None:
        setup, template = self._setup, self._template
        if setup is None or template is None or self._ended is not None:
            return
        if self._last_ts is not None and unit.timestamp < self._last_ts and not unit.key:
            # Pictures sent out of display order (B-frames): their decode order is not in the RTP timestamps.
            self._cannot = "B-frames (pictures out of display order)"
            self._ended = (Failure.OTHER, self._cannot)
            return
        self._last_ts = unit.timestamp
        data = unit.data
        if unit.key and setup.extradata and not has_parameter_sets(setup.codec, data):
            data = setup.extradata + data  # every keyframe decodable (and recorded) on its own
        info = self._session_info
        if info is None:
            info = self._session_info = self._describe(setup, data)
            self._lane.put(lambda: self._opened(info))  # the sinks hear of the stream before its first packet
            log.info("%s: connected over RTP (%s %dx%d)", self.label, info.codec, info.width, info.height)
        if self._first_ts is None:
            self._first_ts = unit.timestamp
        packet: Packet[VideoStream] = av.Packet(data)  # type: ignore[assignment]  # its stream is set below
        packet.pts = packet.dts = unit.timestamp - self._first_ts
        packet.time_base = TIME_BASE
        packet.is_keyframe = unit.key
        packet.stream = template
        # Taken no later than its first packet arrived: a link that trickles a picture in over seconds does not
        # make it new (arrival of the last packet would).
        captured = self._clock.captured(float(packet.pts * TIME_BASE), unit.began or received)
        self._lane.put(lambda: self._hand_over(packet, received, captured, info))
        dropped = self._dropped_before + (self._depacketizer.stats.lost_units if self._depacketizer else 0)
        if dropped != self._dropped:
            self._dropped = dropped
            self._set(dropped=dropped)

    def _describe(self, setup: RtpSetup, keyframe: bytes) -> StreamInfo:
        """The stream as the sinks know it, its size read by decoding the session's first keyframe."""
        codec = av.CodecContext.create(setup.codec, "r")
        assert isinstance(codec, VideoCodecContext)
        if setup.extradata:
            codec.extradata = setup.extradata
        with contextlib.suppress(av.error.FFmpegError):
            codec.decode(av.Packet(keyframe))
        width, height = codec.width, codec.height
        if self._template is not None:
            context = self._template.codec_context
            context.width, context.height = width or 16, height or 16
        return StreamInfo(setup.codec, width, height, setup.extradata)

    def _end_session(self) -> None:
        self._dropped_before = self._dropped
        if self._session_info is not None:
            self._closed()
        self._session_info = None
        self._setup = self._template = self._depacketizer = None
        if self._holder is not None:
            with contextlib.suppress(Exception):
                self._holder.close()
            self._holder = None
        heap.freed()
