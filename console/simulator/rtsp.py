"""The RTSP/1.0 control connection of one simulated camera: describe, setup, play, digest auth, delivery."""

from __future__ import annotations

import asyncio
import hashlib
import logging
import os
import re
import secrets
import struct
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol
from urllib.parse import unquote, urlsplit

from console.core.credentials import Credentials
from console.simulator.encoding import EncodedFrame
from console.simulator.mounts import Mount
from console.simulator.rtp import PacketLoss, RtpState, sdp

log = logging.getLogger(__name__)

SERVER_NAME = "camera-console-simulator"
SESSION_TIMEOUT_S = 60
MAX_REQUEST_BYTES = 64 * 1024
# A receiver that cannot keep up loses frames up to the next keyframe instead of growing our memory.
MAX_PENDING_BYTES = 4 * 1024 * 1024
REALM = "IP Camera (simulator)"
_AUTH_FIELD = re.compile(r'(\w+)\s*=\s*(?:"([^"]*)"|([^,\s]+))')


@dataclass
class Request:
    method: str
    url: str
    headers: dict[str, str]
    body: bytes = b""

    @property
    def cseq(self) -> str:
        return self.headers.get("cseq", "0")


class EndpointView(Protocol):
    """What a connection needs from its camera: paths, password, faults and UDP sockets."""

    credentials: Credentials | None
    garbage: bool
    loss: PacketLoss | None
    udp: UdpSockets | None

    def mount(self, path: str) -> Mount | None: ...

    def forget(self, connection: RtspConnection) -> None: ...


@dataclass
class UdpSockets:
    """The simulator's shared RTP/RTCP sockets for UDP delivery, with the ports they are bound to."""

    rtp: asyncio.DatagramTransport
    rtcp: asyncio.DatagramTransport
    rtp_port: int
    rtcp_port: int


@dataclass(eq=False)
class MediaSession:
    """One SETUP track and how its packets travel: interleaved on this connection or UDP to the client."""

    id: str
    mount: Mount
    rtp: RtpState
    send: Callable[[list[bytes]], bool]
    waiting_key: bool = True
    playing: bool = False
    frames_sent: int = 0
    frames_dropped: int = 0
    stats: dict[str, int] = field(default_factory=dict)
    loss: Callable[[], PacketLoss | None] = lambda: None  # the camera's `loss` fault, read per frame

    def send_frame(self, frame: EncodedFrame, timestamp: int) -> None:
        if self.waiting_key and not frame.key:
            return
        packets = self.rtp.packets(list(frame.chunks), timestamp)
        loss = self.loss()
        if loss is not None:  # numbered, then lost on the way: the receiver sees the gap
            packets = loss.keep(packets)
        if self.send(packets):
            self.waiting_key = False
            self.frames_sent += 1
        else:
            self.waiting_key = True
            self.frames_dropped += 1


def digest_response(method: str, uri: str, nonce: str, credentials: Credentials, realm: str = REALM) -> str:
    def md5(text: str) -> str:
        return hashlib.md5(text.encode()).hexdigest()

    ha1 = md5(f"{credentials.username}:{realm}:{credentials.password}")
    return md5(f"{ha1}:{nonce}:{md5(f'{method}:{uri}')}")


class RtspConnection(asyncio.Protocol):
    """One client's TCP connection: requests are handled in order, media may be interleaved on it."""

    def __init__(self, endpoint: EndpointView) -> None:
        self._endpoint = endpoint
        self._buffer = bytearray()
        self._queue: asyncio.Queue[Request | None] = asyncio.Queue()
        self._transport: asyncio.Transport | None = None
        self._peer: tuple[str, int] = ("", 0)
        self._nonce = secrets.token_hex(16)
        self._session: MediaSession | None = None
        self._worker: asyncio.Task[None] | None = None

    # -- asyncio.Protocol ---------------------------------------------------------------------------
    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self._transport = transport
        self._peer = transport.get_extra_info("peername") or ("", 0)
        self._worker = asyncio.get_running_loop().create_task(self._serve())

    def connection_lost(self, exc: Exception | None) -> None:
        self._stop_media()
        self._queue.put_nowait(None)
        self._endpoint.forget(self)

    def data_received(self, data: bytes) -> None:
        self._buffer += data
        while self._buffer:
            if self._buffer[0] == 0x24:  # '$': interleaved RTCP from the client; read past it
                if len(self._buffer) < 4:
                    return
                (size,) = struct.unpack_from("!H", self._buffer, 2)
                if len(self._buffer) < 4 + size:
                    return
                del self._buffer[: 4 + size]
                continue
            end = self._buffer.find(b"\r\n\r\n")
            if end < 0:
                if len(self._buffer) > MAX_REQUEST_BYTES:
                    self.close()
                return
            head = bytes(self._buffer[:end]).decode("utf-8", "replace")
            request = _parse_head(head)
            if request is None:
                self._write(b"RTSP/1.0 400 Bad Request\r\n\r\n")
                self.close()
                return
            length = int(request.headers.get("content-length", "0") or 0)
            if len(self._buffer) < end + 4 + length:
                return
            request.body = bytes(self._buffer[end + 4: end + 4 + length])
            del self._buffer[: end + 4 + length]
            self._queue.put_nowait(request)

    # -- requests -----------------------------------------------------------------------------------
    async def _serve(self) -> None:
        while (request := await self._queue.get()) is not None:
            if self._endpoint.garbage:
                self._write(os.urandom(512) + b"\r\n\r\n" + os.urandom(256))
                self.close()
                return
            try:
                await self._handle(request)
            except Exception:
                log.exception("simulator: error answering %s", request.method)
                self._reply(request, 500, "Internal Server Error")

    async def _handle(self, request: Request) -> None:
        method = request.method
        if method == "OPTIONS":
            self._reply(request, 200, "OK",
                        {"Public": "OPTIONS, DESCRIBE, SETUP, PLAY, PAUSE, TEARDOWN, GET_PARAMETER, SET_PARAMETER"})
            return
        if method in ("GET_PARAMETER", "SET_PARAMETER"):
            self._reply(request, 200, "OK", self._session_header())
            return
        if not self._authorized(request):
            self._reply(request, 401, "Unauthorized",
                        {"WWW-Authenticate": f'Digest realm="{REALM}", nonce="{self._nonce}", algorithm="MD5"'})
            return
        handler = {"DESCRIBE": self._describe, "SETUP": self._setup, "PLAY": self._play,
                   "PAUSE": self._pause, "TEARDOWN": self._teardown}.get(method)
        if handler is None:
            self._reply(request, 405, "Method Not Allowed")
            return
        await handler(request)

    def _authorized(self, request: Request) -> bool:
        credentials = self._endpoint.credentials
        if credentials is None:
            return True
        header = request.headers.get("authorization", "")
        if not header.lower().startswith("digest "):
            return False
        fields = {m.group(1).lower(): m.group(2) if m.group(2) is not None else m.group(3)
                  for m in _AUTH_FIELD.finditer(header[7:])}
        if fields.get("username") != credentials.username or fields.get("nonce") != self._nonce:
            return False
        expected = digest_response(request.method, fields.get("uri", ""), self._nonce, credentials,
                                   fields.get("realm", REALM))
        return secrets.compare_digest(expected, fields.get("response", ""))

    def _find_mount(self, url: str) -> tuple[str, Mount] | None:
        path = unquote(urlsplit(url).path).rstrip("/")
        for candidate in (path, path.rsplit("/", 1)[0]):
            mount = self._endpoint.mount(candidate)
            if mount is not None:
                return candidate, mount
        return None

    async def _describe(self, request: Request) -> None:
        found = self._find_mount(request.url)
        if found is None:
            self._reply(request, 404, "Stream Not Found")
            return
        _, mount = found
        params = await mount.ready()
        profile = mount.profile
        body = sdp(profile.codec, params, profile.fps, profile.width, profile.height, mount.title,
                   secrets.randbelow(1 << 31)).encode("utf-8")
        base = request.url.rstrip("/") + "/"
        self._reply(request, 200, "OK", {"Content-Base": base, "Content-Type": "application/sdp"}, body)

    async def _setup(self, request: Request) -> None:
        found = self._find_mount(request.url)
        if found is None:
            self._reply(request, 404, "Stream Not Found")
            return
        if self._session is not None:
            self._reply(request, 459, "Aggregate Operation Not Allowed")
            return
        transport = request.headers.get("transport", "")
        rtp = RtpState(secrets.randbits(32), secrets.randbits(16), secrets.randbits(32))
        session_id = secrets.token_hex(8)
        if "interleaved=" in transport or "/TCP" in transport.upper():
            match = re.search(r"interleaved=(\d+)(?:-(\d+))?", transport)
            channel = int(match.group(1)) if match else 0
            send = self._interleaved_sender(channel)
            reply_transport = f"RTP/AVP/TCP;unicast;interleaved={channel}-{channel + 1};ssrc={rtp.ssrc:08X}"
        else:
            udp = self._endpoint.udp
            match = re.search(r"client_port=(\d+)(?:-(\d+))?", transport)
            if udp is None or match is None:
                self._reply(request, 461, "Unsupported Transport")
                return
            client_port = int(match.group(1))
            send = _udp_sender(udp, (self._peer[0], client_port))
            reply_transport = (f"RTP/AVP;unicast;client_port={client_port}-{client_port + 1};"
                               f"server_port={udp.rtp_port}-{udp.rtcp_port};ssrc={rtp.ssrc:08X}")
        endpoint = self._endpoint
        self._session = MediaSession(session_id, found[1], rtp, send, loss=lambda: endpoint.loss)
        self._reply(request, 200, "OK", {"Transport": reply_transport, **self._session_header()})

    async def _play(self, request: Request) -> None:
        session = self._session
        if session is None:
            self._reply(request, 455, "Method Not Valid In This State")
            return
        info = f"url={request.url.rstrip('/')}/trackID=1;seq={session.rtp.seq};rtptime={session.rtp.ts_base}"
        self._reply(request, 200, "OK", {"Range": "npt=now-", "RTP-Info": info, **self._session_header()})
        if not session.playing:
            session.playing = True
            session.waiting_key = True
            session.mount.add(session)

    async def _pause(self, request: Request) -> None:
        if self._session is not None and self._session.playing:
            self._session.playing = False
            self._session.mount.remove(self._session)
        self._reply(request, 200, "OK", self._session_header())

    async def _teardown(self, request: Request) -> None:
        headers = self._session_header()
        self._stop_media()
        self._reply(request, 200, "OK", headers)

    # -- helpers ------------------------------------------------------------------------------------
    def _stop_media(self) -> None:
        if self._session is not None:
            self._session.mount.remove(self._session)
            self._session = None

    def _session_header(self) -> dict[str, str]:
        if self._session is None:
            return {}
        return {"Session": f"{self._session.id};timeout={SESSION_TIMEOUT_S}"}

    def _interleaved_sender(self, channel: int) -> Callable[[list[bytes]], bool]:
        def send(packets: list[bytes]) -> bool:
            transport = self._transport
            if transport is None or transport.is_closing():
                return False
            if transport.get_write_buffer_size() > MAX_PENDING_BYTES:
                return False
            transport.write(b"".join(struct.pack("!cBH", b"$", channel, len(p)) + p for p in packets))
            return True

        return send

    def _reply(self, request: Request, code: int, reason: str, headers: dict[str, str] | None = None,
               body: bytes = b"") -> None:
        lines = [f"RTSP/1.0 {code} {reason}", f"CSeq: {request.cseq}", f"Server: {SERVER_NAME}"]
        lines += [f"{k}: {v}" for k, v in (headers or {}).items()]
        if body:
            lines.append(f"Content-Length: {len(body)}")
        self._write(("\r\n".join(lines) + "\r\n\r\n").encode("utf-8") + body)

    def _write(self, data: bytes) -> None:
        if self._transport is not None and not self._transport.is_closing():
            self._transport.write(data)

    def close(self) -> None:
        if self._transport is not None:
            self._transport.close()

    def abort(self) -> None:
        if self._transport is not None:
            self._transport.abort()


def _udp_sender(udp: UdpSockets, address: tuple[str, int]) -> Callable[[list[bytes]], bool]:
    def send(packets: list[bytes]) -> bool:
        for packet in packets:
            udp.rtp.sendto(packet, address)
        return True

    return send


def _parse_head(head: str) -> Request | None:
    lines = head.split("\r\n")
    parts = lines[0].split(" ")
    if len(parts) != 3 or not parts[2].startswith("RTSP/"):
        return None
    headers: dict[str, str] = {}
    for line in lines[1:]:
        name, sep, value = line.partition(":")
        if sep:
            headers[name.strip().lower()] = value.strip()
    return Request(parts[0].upper(), parts[1], headers)
