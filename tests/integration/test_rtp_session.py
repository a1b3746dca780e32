"""The RTP path's RTSP session (aiortsp + our depacketizer) against both servers: the simulator with Digest auth
(access units byte-equal to FFmpeg's for the same stream) and GStreamer's server (an independent packetizer)."""

from __future__ import annotations

import asyncio
import itertools
import logging

import av
import pytest
from av.video.codeccontext import VideoCodecContext

from console.core.config import StreamKind
from console.core.credentials import Credentials, with_credentials
from console.media.rtp.depacketize import H264, AccessUnit
from console.media.rtp.session import RtpSetup, UnsupportedStreamError, read_setup, receive, split_credentials
from console.simulator.server import Simulator
from tests.support.clients import OPEN_OPTIONS
from tests.support.ports import free_ports
from tests.support.processes import gst_server

SECONDS = 3.0


def play(url: str, seconds: float = SECONDS) -> tuple[list[RtpSetup], list[AccessUnit]]:
    setups: list[RtpSetup] = []
    units: list[AccessUnit] = []

    async def run() -> None:
        stop = asyncio.Event()
        asyncio.get_running_loop().call_later(seconds, stop.set)
        await receive(url, setups.append, lambda unit, _received: units.append(unit), stop=stop)

    asyncio.run(asyncio.wait_for(run(), seconds + 10))
    return setups, units


def decode(setup: RtpSetup, units: list[AccessUnit]) -> list[tuple[int, int]]:
    context = av.CodecContext.create(setup.codec, "r")
    assert isinstance(context, VideoCodecContext)
    if setup.extradata:
        context.extradata = setup.extradata
    return [(f.width, f.height) for u in units for f in context.decode(av.Packet(u.data))]


def test_digest_camera_byte_equal_to_ffmpeg(auth_simulator: Simulator, demo_password: Credentials) -> None:
    url = with_credentials(auth_simulator.config.camera("C01").url(StreamKind.SUB), demo_password)
    [setup], units = play(url)
    assert setup.codec == H264 and setup.extradata and setup.clock_rate == 90_000
    assert len(units) >= 15 * (SECONDS - 1.0) - 2 and units[0].key
    reference: set[bytes] = set()
    with av.open(url, options={**OPEN_OPTIONS, "rtsp_transport": "tcp"}, timeout=5.0) as container:
        for packet in itertools.islice(container.demux(video=0), 100):
            reference.add(bytes(packet))
    assert [u.timestamp for u in units if u.data not in reference] == []
    assert set(decode(setup, units)) == {(640, 360)}


def test_a_wrong_password_ends_the_session_with_the_cameras_401(auth_simulator: Simulator) -> None:
    wrong = Credentials("admin", "Sai-Mat-Khau")
    url = with_credentials(auth_simulator.config.camera("C01").url(StreamKind.SUB), wrong)
    with pytest.raises(Exception, match=r"401|[Uu]nauthori"):
        play(url, 1.0)


def test_gstreamers_server_plays_through_the_rtp_path() -> None:
    (port,) = free_ports(1)
    with gst_server(port, mounts=1):
        [setup], units = play(f"rtsp://127.0.0.1:{port}/cam1")
    assert len(units) >= 15 * (SECONDS - 1.0) - 2 and units[0].key
    assert {b.timestamp - a.timestamp for a, b in itertools.pairwise(units)} == {6000}
    assert set(decode(setup, units)) == {(640, 360)}
    assert len(decode(setup, units)) >= len(units) - 1


def test_credentials_leave_the_url_for_the_connection() -> None:
    assert split_credentials("rtsp://admin:Gi%40%20D:2026@127.0.0.1:8554/Streaming/Channels/102?x=1") == (
        "rtsp://127.0.0.1:8554/Streaming/Channels/102?x=1", "admin", "Gi@ D:2026")


def test_an_unsupported_payload_is_said_so_for_the_ffmpeg_fallback() -> None:
    sdp = {"medias": [{"type": "video", "attributes": {"rtpmap": {"pt": 26, "encoding": "JPEG", "clockRate": 90000}}}]}
    with pytest.raises(UnsupportedStreamError, match="JPEG"):
        read_setup(sdp)


def test_the_sessions_log_never_holds_the_login_even_at_debug(auth_simulator: Simulator, demo_password: Credentials,
                                                              caplog: pytest.LogCaptureFixture) -> None:
    url = with_credentials(auth_simulator.config.camera("C01").url(StreamKind.SUB), demo_password)
    with caplog.at_level(logging.DEBUG):
        play(url, 1.0)
    text = "\n".join(r.getMessage() for r in caplog.records)
    assert "RTSP" in text or "session" in text  # it did log (at INFO)
    assert "Authorization" not in text and demo_password.password not in text and "response=" not in text
