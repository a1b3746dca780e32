"""One RTSP session over aiortsp (RTP/RTCP, TCP interleaved or UDP, Basic/Digest, keep-alive): the adapter that
feeds the depacketizer. aiortsp does the RTSP and RTP/RTCP plumbing and sends the receiver reports; what it
lacks (H.264/H.265 depacketization) is ours, in `depacketize.py`.

aiortsp logs its RTSP exchanges at DEBUG (an `Authorization: Basic …` header among them): its loggers are
kept at INFO and above, and the URL handed to it never carries credentials (they go to the connection)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import socket
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote, urlsplit, urlunsplit

from aiortsp.rtcp.parser import BYE, RTCP
from aiortsp.rtsp.connection import RTSPConnection
from aiortsp.rtsp.session import RTSPMediaSession
from aiortsp.transport.tcp import TCPTransport
from aiortsp.transport.udp import UDPTransport
from dpkt.rtp import RTP

from console.core.config import Transport
from console.media.rtp.depacketize import H264, HEVC, AccessUnit, Depacketizer, sdp_extradata
from console.media.rtp.reorder import Reorder

log = logging.getLogger(__name__)
# What aiortsp says goes through this logger, never below INFO: at DEBUG it logs whole requests.
rtsp_log = log.getChild("rtsp")
rtsp_log.setLevel(logging.INFO)
logging.getLogger("aiortsp").setLevel(logging.INFO)
logging.getLogger("rtp.session").setLevel(logging.INFO)

MAX_LOGGED_CHARS = 300


class _Bounded(logging.Filter):
    """aiortsp logs what a camera sent when it cannot parse it (a hostile camera's bytes, kilobytes of them):
    the record keeps its message, its arguments are shortened."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple):
            record.args = tuple(a[:MAX_LOGGED_CHARS] if isinstance(a, bytes | str) else a for a in record.args)
        return True


rtsp_log.addFilter(_Bounded())

CODECS = {"H264": H264, "H265": HEVC}
KEEPALIVE_CHECK_S = 1.0


class UnsupportedStreamError(Exception):
    """The camera's video track is not one the RTP path can depacketize (the FFmpeg path takes it)."""


@dataclass(frozen=True)
class RtpSetup:
    codec: str  # FFmpeg's name: h264, hevc
    extradata: bytes | None  # the SDP's parameter sets, Annex B
    clock_rate: int


def split_credentials(url: str) -> tuple[str, str | None, str | None]:
    """The URL without userinfo, and the user name and password it carried."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    netloc = f"{host}:{parts.port}" if parts.port else host
    user = unquote(parts.username) if parts.username is not None else None
    password = unquote(parts.password) if parts.password is not None else None
    return urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment)), user, password


def read_setup(sdp: dict[str, Any]) -> RtpSetup:
    """Codec, parameter sets and clock of the SDP's first video track (aiortsp's parsed SDP)."""
    medias = [m for m in sdp.get("medias", []) if isinstance(m, dict) and m.get("type") == "video"]
    if not medias:
        raise UnsupportedStreamError("no video track")
    attributes = medias[0].get("attributes", {})
    rtpmap = attributes.get("rtpmap", {})
    name = str(rtpmap.get("encoding", "")).upper()
    codec = CODECS.get(name)
    if codec is None:
        raise UnsupportedStreamError(f"payload {name or '?'} not handled by the RTP path")
    fmtp = {str(k): str(v) for k, v in attributes.get("fmtp", {}).items()}
    return RtpSetup(codec, sdp_extradata(codec, fmtp), int(rtpmap.get("clockRate") or 90_000))


class CameraLeftError(Exception):
    """The camera said the stream is over (RTCP BYE from its video sender)."""


class _LocalUDPTransport(UDPTransport):  # type: ignore[misc]  # aiortsp has no types
    """aiortsp's UDP transport with its RTP/RTCP ports bound to the address the RTSP connection itself uses (the
    interface facing the camera; 127.0.0.1 for a camera on this machine), not to every interface."""

    def get_socket_pair(self, bind_address: str | None = None, retry: int = 10) -> tuple[socket.socket, socket.socket]:
        sockname = _local_address(self.connection)
        pair: tuple[socket.socket, socket.socket] = super().get_socket_pair(bind_address or sockname, retry)
        return pair


def _local_address(connection: RTSPConnection) -> str | None:
    """The local IP address of the connection's socket (aiortsp keeps its transport private)."""
    transport = getattr(connection, "_transport", None)
    sockname = transport.get_extra_info("sockname") if isinstance(transport, asyncio.Transport) else None
    return str(sockname[0]) if sockname else None


class _Receiver:
    """aiortsp's transport client: RTP packets of the video payload into the depacketizer."""

    def __init__(self, depacketizer: Depacketizer, payload_type: int | None,
                 on_unit: Callable[[AccessUnit, float], None]) -> None:
        self._depacketizer = depacketizer
        self._payload_type = payload_type
        self._on_unit = on_unit
        self._ssrc: int | None = None
        self.bye = asyncio.Event()  # the sender of the video left (RTCP BYE): the session is over
        self.reorder: Reorder[RTP] = Reorder()

    def handle_rtp(self, rtp: RTP) -> None:
        if self._payload_type is not None and rtp.pt != self._payload_type:
            return
        if self._ssrc is not None and rtp.ssrc != self._ssrc:  # a new sender: a camera that restarted its stream
            self._depacketizer.reset()
            self.reorder.reset()
        self._ssrc = rtp.ssrc
        received = time.monotonic()
        for packet in self.reorder.push(rtp.seq, rtp):
            for unit in self._depacketizer.push(packet.seq, packet.ts, bool(packet.m), bytes(packet.data), received):
                self._on_unit(unit, received)

    def handle_rtcp(self, rtcp: RTCP) -> None:
        for packet in rtcp.packets:
            if isinstance(packet, BYE) and (self._ssrc is None or self._ssrc in packet.ssrcs):
                self.bye.set()

    def handle_closed(self, error: Exception | None) -> None:
        pass


async def receive(url: str, on_setup: Callable[[RtpSetup], None], on_unit: Callable[[AccessUnit, float], None],
                  depacketizer_for: Callable[[str], Depacketizer] = Depacketizer,
                  transport: Transport = Transport.TCP, timeout_s: float = 5.0,
                  stop: asyncio.Event | None = None, dead: asyncio.Event | None = None) -> None:
    """Play `url` until the connection ends (raises why) or `stop` is set. `on_unit` gets every access unit and
    the time its last packet arrived (time.monotonic()), on the loop's thread. Stopped with `dead` set (the link
    is known dead), the socket is dropped at once instead of asking the camera for a TEARDOWN it cannot answer."""
    address, user, password = split_credentials(url)
    parts = urlsplit(address)
    kind = TCPTransport if transport is Transport.TCP else _LocalUDPTransport
    async with RTSPConnection(parts.hostname, parts.port or 554, user, password, accept_auth=["digest", "basic"],
                              logger=rtsp_log, timeout=timeout_s) as connection, \
            kind(connection, logger=rtsp_log, timeout=timeout_s) as rtp_transport, \
            RTSPMediaSession(connection, address, transport=rtp_transport, logger=rtsp_log) as session:
        setup = read_setup(session.sdp)
        on_setup(setup)
        receiver = _Receiver(depacketizer_for(setup.codec), session.sdp.media_payload_type(), on_unit)
        rtp_transport.subscribe(receiver)
        await session.play()
        kept_alive = time.monotonic()
        stopping = stop or asyncio.Event()
        while connection.running and rtp_transport.running and not stopping.is_set() and not receiver.bye.is_set():
            if time.monotonic() - kept_alive > session.session_keepalive:
                await session.keep_alive()
                kept_alive = time.monotonic()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stopping.wait(), KEEPALIVE_CHECK_S)
        error = rtp_transport.result.exception() if rtp_transport.result.done() else None
        if error is not None and not stopping.is_set():
            raise error
        if receiver.bye.is_set() and not stopping.is_set():
            raise CameraLeftError("the camera ended the stream (RTCP BYE)")
        if dead is not None and dead.is_set():
            _drop(connection)
            await asyncio.sleep(0)  # the connection sees its socket gone: the session's TEARDOWN is skipped


def _drop(connection: RTSPConnection) -> None:
    """Abort the connection's socket (no flush of what the dead peer never read). aiortsp has no public call for
    it: its `close()` flushes first, and its session's exit then waits for a TEARDOWN answer."""
    transport = getattr(connection, "_transport", None)
    if isinstance(transport, asyncio.Transport):
        transport.abort()
