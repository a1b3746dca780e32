"""*Kiểm tra*: open one stream as the wall would and tell what it is: codec, picture size, frame rate, bit rate
and how long the first picture took. Blocking (PyAV); `check_stream` runs it on a worker thread under a
timeout, and every FFmpeg step has its own."""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass

import av
import av.error

from console.core.config import Transport
from console.core.credentials import Credentials, with_credentials
from console.core.health import Failure
from console.core.redact import redact
from console.media.ingest import IngestSettings, classify
from console.onboarding.limits import DEFAULT_LIMITS, OnboardingLimits


@dataclass(frozen=True)
class StreamCheck:
    codec: str  # as FFmpeg names it from the stream itself ("h264", "hevc"), not what ONVIF claims
    width: int
    height: int
    fps: float | None
    bitrate_kbps: float | None
    first_frame_ms: float


class StreamCheckError(Exception):
    """The stream could not be shown; `failure` says why in the tile's own words."""

    def __init__(self, failure: Failure, detail: str = "") -> None:
        self.failure = failure
        self.detail = detail
        super().__init__(f"{failure.value}: {detail}")


def _fps(stream: av.video.stream.VideoStream, frames: int, span_s: float) -> float | None:
    rate = stream.average_rate or stream.guessed_rate or stream.base_rate
    if rate and 0 < float(rate) <= 240:
        return round(float(rate), 2)
    return round(frames / span_s, 2) if frames > 1 and span_s > 0 else None


def test_stream(uri: str, credentials: Credentials | None,
                limits: OnboardingLimits = DEFAULT_LIMITS) -> StreamCheck:
    """Open `uri` with `credentials`, decode its first picture and count packets for `stream_measure_s`.
    Raises StreamCheckError."""
    settings = IngestSettings(open_timeout_s=limits.stream_open_timeout_s, read_timeout_s=limits.stream_read_timeout_s)
    started = time.monotonic()
    try:
        container = av.open(with_credentials(uri, credentials), options=settings.options(Transport.TCP),
                            timeout=(settings.open_timeout_s, settings.read_timeout_s))
    except Exception as exc:
        raise StreamCheckError(classify(exc), redact(str(exc))) from None
    try:
        return _measure(container, started, limits)
    except StreamCheckError:
        raise
    except Exception as exc:
        raise StreamCheckError(classify(exc), redact(str(exc))) from None
    finally:
        container.close()


def _measure(container: av.container.InputContainer, started: float, limits: OnboardingLimits) -> StreamCheck:
    if not container.streams.video:
        raise StreamCheckError(Failure.NO_VIDEO)
    stream = container.streams.video[0]
    stream.thread_count = 1
    first_frame_at: float | None = None
    size = (0, 0)
    frames = payload = 0
    for packet in container.demux(stream):
        now = time.monotonic()
        if first_frame_at is None:
            if now - started > limits.stream_first_frame_s + limits.stream_open_timeout_s:
                raise StreamCheckError(Failure.TIMEOUT, "no picture")
            try:
                pictures = packet.decode()
            except av.error.InvalidDataError:  # what precedes the first keyframe of a session joined midway
                continue
            for frame in pictures:
                first_frame_at, size = now, (frame.width, frame.height)
                break
            continue
        frames += 1
        payload += packet.size
        if now - first_frame_at >= limits.stream_measure_s:
            break
    if first_frame_at is None:
        raise StreamCheckError(Failure.CLOSED, "the stream ended before its first picture")
    span = time.monotonic() - first_frame_at
    bitrate = payload * 8 / span / 1000 if span > 0 and payload else None
    return StreamCheck(stream.codec_context.name, size[0], size[1], _fps(stream, frames, span),
                       round(bitrate, 1) if bitrate else None, round((first_frame_at - started) * 1000, 1))


async def check_stream(uri: str, credentials: Credentials | None,
                       limits: OnboardingLimits = DEFAULT_LIMITS) -> StreamCheck:
    """`test_stream` on a worker thread, under the whole test's time limit."""
    try:
        async with asyncio.timeout(limits.stream_test_s):
            return await asyncio.to_thread(test_stream, uri, credentials, limits)
    except TimeoutError:
        raise StreamCheckError(Failure.TIMEOUT, f"no result within {limits.stream_test_s:g} s") from None
