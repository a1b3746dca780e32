"""One RTSP connection per stream, demuxed in its own thread, packets fanned out to consumers.

The thread owns the connection for its whole life: it connects, demuxes, and on any failure waits
(exponential backoff with jitter) and connects again until it is stopped. Every blocking FFmpeg call runs
under a timeout, so a dead or hostile camera costs one sleeping thread and nothing else.
"""

from __future__ import annotations

import contextlib
import logging
import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Protocol

import av
import av.error
from av.packet import Packet
from av.video.stream import VideoStream

from console.core.config import Transport
from console.core.health import (
    AUTH_RETRY_S,
    LOST_AFTER_S,
    STALE_AFTER_S,
    ContentClock,
    Failure,
    Phase,
    StreamStatus,
    plan_retry,
)
from console.core.redact import redact
from console.media import heap
from console.media.rtsp_probe import probe

log = logging.getLogger(__name__)

SINK_ERROR_LOG_EVERY_S = 30.0
INGEST_NICE = 5
FIRST_PICTURE_S = 12.0  # after connecting, the first keyframe must come within this (long GOPs included)
PROBE_AFTER_SHARE = 0.9  # a failure after this share of the timeout is a camera that did not answer


@dataclass(frozen=True)
class IngestSettings:
    open_timeout_s: float = 5.0
    read_timeout_s: float = LOST_AFTER_S  # a read this long without a packet ends the session: lost in ≤ 5 s
    probe_timeout_s: float = 2.0
    auth_retry_s: tuple[float, ...] = AUTH_RETRY_S  # waits after wrong credentials (then it stops trying)
    probesize: int = 32768
    analyzeduration_us: int = 100_000

    def options(self, transport: Transport) -> dict[str, str]:
        """FFmpeg demuxer options for the lowest latency (see ARCHITECTURE.md, decision 1).

        No `fflags=nobuffer`: it throws away the packets read while probing, and the first of them is the
        keyframe the camera starts the session with, so every connect (and every main/sub switch) waited
        one more GOP for the next keyframe (measured: first frame 1.9 s instead of 1.0 s at a 1 s GOP).
        After the probe nothing is buffered either way.
        """
        return {
            "rtsp_transport": transport.value,
            "flags": "low_delay",
            "probesize": str(self.probesize),
            "analyzeduration": str(self.analyzeduration_us),
            "timeout": str(int(self.read_timeout_s * 1_000_000)),
            "max_delay": "0",
            "reorder_queue_size": "0" if transport is Transport.TCP else "16",
        }


@dataclass(frozen=True)
class StreamInfo:
    codec: str
    width: int
    height: int
    extradata: bytes | None


class PacketSink(Protocol):
    """A consumer of one stream's packets (display decoder now; recorder and analytics later).

    Called on the ingest thread: keep the work per packet small, never block.
    """

    def stream_opened(self, info: StreamInfo) -> None: ...

    def packet(self, packet: Packet[VideoStream], received: float) -> None: ...

    def stream_closed(self) -> None: ...


def classify(exc: BaseException) -> Failure:
    """The failure kind the officer is told about, from what FFmpeg or the socket raised."""
    if isinstance(exc, av.error.HTTPUnauthorizedError | av.error.HTTPForbiddenError):
        return Failure.AUTH
    if isinstance(exc, av.error.HTTPNotFoundError):
        return Failure.NOT_FOUND
    if isinstance(exc, ConnectionRefusedError):
        return Failure.REFUSED
    if isinstance(exc, TimeoutError | av.error.ExitError):
        return Failure.TIMEOUT
    if isinstance(exc, av.error.InvalidDataError):
        return Failure.BAD_DATA
    if isinstance(exc, EOFError | ConnectionResetError | BrokenPipeError | ConnectionAbortedError):
        return Failure.CLOSED
    text = str(exc)
    if "401" in text or "Unauthorized" in text:
        return Failure.AUTH
    return Failure.OTHER


def lower_priority(nice: int = INGEST_NICE) -> None:
    """Media threads yield the CPU to the GUI thread first (Linux: per-thread nice; elsewhere nothing)."""
    if hasattr(os, "setpriority"):
        with contextlib.suppress(OSError):
            os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), nice)


class _NoVideoError(Exception):
    pass


class StreamIngest:
    """The thread that keeps one stream connected and hands its packets to the attached sinks."""

    def __init__(self, label: str, url: str, transport: Transport = Transport.TCP,
                 settings: IngestSettings | None = None) -> None:
        self.label = label
        self._url = url
        self._transport = transport
        self._settings = settings or IngestSettings()
        self._sinks: tuple[PacketSink, ...] = ()
        self._info: StreamInfo | None = None
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._status = StreamStatus(path="ffmpeg")
        self._wake = threading.Event()
        self._retry_asked = False
        self._live = False
        self._last_frame = 0.0  # capture time of the newest picture of this session
        self._last_io = 0.0
        self._packets = 0
        self._sink_error_logged = 0.0
        self._thread = threading.Thread(target=self._run, name=f"ingest {label}", daemon=True)

    def __repr__(self) -> str:
        return f"StreamIngest({self.label!r})"

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        """Ask the thread to end; returns at once (the thread notices within one read timeout)."""
        self._stop.set()
        self._wake.set()

    def join(self, timeout: float) -> bool:
        self._thread.join(timeout)
        return not self._thread.is_alive()

    @property
    def url(self) -> str:
        with self._lock:
            return self._url

    @property
    def stopping(self) -> bool:
        return self._stop.is_set()

    def attach(self, sink: PacketSink) -> None:
        with self._lock:
            self._sinks = (*self._sinks, sink)
            info = self._info
        if info is not None:
            sink.stream_opened(info)

    def detach(self, sink: PacketSink) -> None:
        with self._lock:
            self._sinks = tuple(s for s in self._sinks if s is not sink)

    def status(self) -> StreamStatus:
        with self._lock:
            status = self._status
        if status.phase is Phase.LIVE:
            return replace(status, last_frame_at=self._last_frame, frames=self._packets)
        return replace(status, frames=self._packets)

    def _set(self, **changes: object) -> None:
        with self._lock:
            self._status = replace(self._status, **changes)  # type: ignore[arg-type]

    def _run(self) -> None:
        lower_priority()
        attempt = auth_failures = 0
        while not self._stop.is_set():
            self._set(phase=Phase.CONNECTING, since=time.monotonic(), retry_at=None, attempts=attempt,
                      auth_failures=auth_failures)
            failure, detail, reached_live = self._session()
            if self._stop.is_set():
                break
            if reached_live:  # a session that showed pictures: the next outage starts the backoff afresh
                attempt = auth_failures = 0
            plan = plan_retry(failure, attempt, auth_failures, auth_steps_s=self._settings.auth_retry_s)
            attempt, auth_failures = plan.attempt, plan.auth_failures
            now = time.monotonic()
            with self._lock:
                lost_at = self._status.lost_at if self._status.lost_at is not None else now
            if plan.delay_s is None:
                self._set(phase=Phase.HALTED, failure=failure, detail=detail, since=now, lost_at=lost_at,
                          retry_at=None, attempts=attempt, auth_failures=auth_failures)
                log.warning("%s: %s (%s) %d times in a row; not retried until asked or the credentials change",
                            self.label, failure.value, detail, auth_failures)
            else:
                self._set(phase=Phase.WAITING, failure=failure, detail=detail, since=now, lost_at=lost_at,
                          retry_at=now + plan.delay_s, attempts=attempt, auth_failures=auth_failures)
                log.warning("%s: %s (%s); retry %d in %.1f s", self.label, failure.value, detail, attempt,
                            plan.delay_s)
            self._wake.wait(plan.delay_s)
            with self._lock:
                self._wake.clear()
                if self._retry_asked:  # the officer said "Thử lại", or the credentials changed
                    self._retry_asked = False
                    attempt = auth_failures = 0
        self._set(phase=Phase.IDLE, retry_at=None)

    def retry_now(self) -> None:
        """Connect again at once, with a fresh backoff (the officer's *Thử lại*, new credentials)."""
        with self._lock:
            self._retry_asked = True
            self._wake.set()

    def set_url(self, url: str) -> None:
        """New address or credentials: used from the next connection; a stream given up on tries again now."""
        with self._lock:
            if url == self._url:
                return
            self._url = url
            waiting = self._status.phase in (Phase.WAITING, Phase.HALTED)
        if waiting:
            self.retry_now()

    def _session(self) -> tuple[Failure, str, bool]:
        """One connection from open to failure; returns why it ended and whether it showed pictures."""
        settings = self._settings
        with self._lock:
            url = self._url
        self._live = False
        started = time.monotonic()
        try:
            container = av.open(url, options=settings.options(self._transport),
                                timeout=(settings.open_timeout_s, settings.read_timeout_s))
        except Exception as exc:
            return (*self._diagnose(exc, url, time.monotonic() - started), False)
        try:
            failure, detail = self._demux(container)
        except _NoVideoError:
            failure, detail = Failure.NO_VIDEO, ""
        except Exception as exc:
            failure, detail = self._diagnose(exc, url, time.monotonic() - self._last_io)
        finally:
            self._close(container)
        return failure, detail, self._live

    def _diagnose(self, exc: BaseException, url: str, waited_s: float) -> tuple[Failure, str]:
        """The failure kind and a redacted detail. FFmpeg's "invalid data" also stands for a camera that
        accepted and never answered (it came after a whole timeout) and for a reset or closed connection
        (asked of the camera itself, see rtsp_probe)."""
        failure, detail = classify(exc), redact(str(exc))
        if failure not in (Failure.BAD_DATA, Failure.OTHER):
            return failure, detail
        if waited_s >= PROBE_AFTER_SHARE * min(self._settings.open_timeout_s, self._settings.read_timeout_s):
            return Failure.TIMEOUT, f"no answer for {waited_s:.1f} s"
        result = probe(url, self._settings.probe_timeout_s)
        if result is None or result.failure is None:
            return failure, detail
        return result.failure, result.detail

    def _demux(self, container: av.container.InputContainer) -> tuple[Failure, str]:
        if not container.streams.video:
            raise _NoVideoError
        stream = container.streams.video[0]
        ctx = stream.codec_context
        info = StreamInfo(ctx.name, ctx.width, ctx.height, ctx.extradata)
        self._opened(info)
        clock = ContentClock()
        time_base = float(stream.time_base) if stream.time_base else 0.0
        opened = self._last_io = time.monotonic()
        log.info("%s: connected (%s %dx%d)", self.label, info.codec, info.width, info.height)
        for packet in container.demux(stream):
            received = self._last_io = time.monotonic()
            if self._stop.is_set():
                return Failure.CLOSED, ""
            if packet.size:
                ts = packet.dts if packet.dts is not None else packet.pts
                captured = clock.captured(None if ts is None or not time_base else ts * time_base, received)
                self._hand_over(packet, received, captured, info)
            # A stalled or trickled link still yields packets now and then (FFmpeg returns a half-received one
            # when its read times out): the picture's age, not the packets, says whether the camera is there.
            ended = self._overdue(received, opened)
            if ended is not None:
                return ended
        return Failure.CLOSED, "end of stream"

    def _opened(self, info: StreamInfo) -> None:
        """A session's stream is known: every sink hears of it (and sinks attached later, from `attach`)."""
        with self._lock:
            self._info = info
            sinks = self._sinks
        for sink in sinks:
            self._call(sink.stream_opened, info)

    def _hand_over(self, packet: Packet[VideoStream], received: float, captured: float, info: StreamInfo) -> None:
        """One packet to every sink; the first keyframe makes the stream live, pictures keep it so."""
        if not self._live and packet.is_keyframe:
            self._went_live(captured, info)
        if self._live:
            self._last_frame = max(self._last_frame, captured)
        self._packets += 1
        for sink in self._sinks:
            self._call(sink.packet, packet, received)

    def _overdue(self, now: float, opened: float) -> tuple[Failure, str] | None:
        """Why the session is to end now for want of pictures, or None while they come."""
        if self._live and now - self._last_frame >= STALE_AFTER_S:
            return Failure.TIMEOUT, f"no new picture for {now - self._last_frame:.1f} s"
        if not self._live and now - opened >= FIRST_PICTURE_S:
            return Failure.TIMEOUT, f"no picture {FIRST_PICTURE_S:.0f} s after connecting"
        return None

    def _went_live(self, captured: float, info: StreamInfo) -> None:
        """The first picture of the session (taken at `captured`) is here."""
        now = time.monotonic()
        self._live = True
        self._last_frame = captured
        self._set(phase=Phase.LIVE, failure=None, detail="", since=now, lost_at=None, retry_at=None, attempts=0,
                  auth_failures=0)
        log.info("%s: live (%s %dx%d)", self.label, info.codec, info.width, info.height)

    def _close(self, container: av.container.InputContainer) -> None:
        self._closed()
        try:
            container.close()
        except Exception:  # a broken connection may fail to close; nothing left to do
            log.debug("%s: close failed", self.label, exc_info=True)
        heap.freed()  # the session's demuxer and the sinks' decoders are gone: give their memory back

    def _closed(self) -> None:
        """The session's stream is gone: every sink hears of it."""
        with self._lock:
            self._info = None
            sinks = self._sinks
        for sink in sinks:
            self._call(sink.stream_closed)

    def _call(self, method: Callable[..., None], *args: object) -> None:
        """Run one sink callback; a failing consumer is logged (rate-limited), never kills the stream."""
        try:
            method(*args)
        except Exception:
            now = time.monotonic()
            if now - self._sink_error_logged > SINK_ERROR_LOG_EVERY_S:
                self._sink_error_logged = now
                log.exception("%s: a consumer failed", self.label)
