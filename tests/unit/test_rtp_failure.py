"""What a failed RTP session is called: the officer's failure kinds, or None where FFmpeg's demuxer takes over."""

from __future__ import annotations

from aiortsp.rtsp.errors import RTSPConnectionError, RTSPResponseError, RTSPTimeoutError

from console.core.health import Failure
from console.media.rtp.ingest import rtp_failure
from console.media.rtp.session import UnsupportedStreamError


class _Response:
    def __init__(self, status: int) -> None:
        self.status, self.status_msg, self.content = status, "x", b""


def wrapped(cause: BaseException, message: str = "Unable to connect to 127.0.0.1:554") -> RTSPConnectionError:
    error = RTSPConnectionError(message)
    error.__cause__ = cause
    return error


def test_refusals_and_silences_keep_their_names() -> None:
    assert rtp_failure(RTSPResponseError("x", _Response(401)))[0] is Failure.AUTH  # type: ignore[index]
    assert rtp_failure(RTSPResponseError("x", _Response(403)))[0] is Failure.AUTH  # type: ignore[index]
    assert rtp_failure(RTSPResponseError("x", _Response(404)))[0] is Failure.NOT_FOUND  # type: ignore[index]
    assert rtp_failure(wrapped(ConnectionRefusedError(111, "refused")))[0] is Failure.REFUSED  # type: ignore[index]
    assert rtp_failure(wrapped(TimeoutError()))[0] is Failure.TIMEOUT  # type: ignore[index]
    assert rtp_failure(RTSPTimeoutError("no answer"))[0] is Failure.TIMEOUT  # type: ignore[index]
    garbage = wrapped(ValueError("bad"), "invalid data received from RTSP connection")
    assert rtp_failure(garbage)[0] is Failure.BAD_DATA  # type: ignore[index]
    assert rtp_failure(RTSPConnectionError("connection closed"))[0] is Failure.CLOSED  # type: ignore[index]


def test_what_the_rtp_path_cannot_play_goes_to_ffmpeg() -> None:
    assert rtp_failure(UnsupportedStreamError("payload JPEG not handled by the RTP path")) is None
    assert rtp_failure(RTSPResponseError("x", _Response(461))) is None  # unsupported transport
    assert rtp_failure(KeyError("rtpmap")) is None  # an SDP aiortsp cannot read
