"""A bare RTSP client over TCP for tests: OPTIONS, DESCRIBE, SETUP (interleaved), PLAY, then RTP packets as they
arrive. No auth, no RTCP: it shows what a camera (the simulator) puts on the wire, packet by packet."""

from __future__ import annotations

import re
import socket
import struct
import time
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import urlsplit


@dataclass(frozen=True)
class RtpPacket:
    seq: int
    timestamp: int
    marker: bool
    payload: bytes


class RawRtsp:
    def __init__(self, url: str, timeout_s: float = 5.0) -> None:
        parts = urlsplit(url)
        self.url = url
        self._sock = socket.create_connection((parts.hostname or "127.0.0.1", parts.port or 554), timeout_s)
        self._buffer = b""
        self._cseq = 0
        self.sdp = ""

    def __enter__(self) -> RawRtsp:
        return self

    def __exit__(self, *_: object) -> None:
        self._sock.close()

    def play(self) -> None:
        self._request("OPTIONS", self.url)
        self.sdp = self._request("DESCRIBE", self.url, {"Accept": "application/sdp"})[1]
        control = re.findall(r"a=control:(\S+)", self.sdp)[-1]
        track = control if control.startswith("rtsp://") else f"{self.url.rstrip('/')}/{control}"
        headers, _ = self._request("SETUP", track, {"Transport": "RTP/AVP/TCP;unicast;interleaved=0-1"})
        session = headers["session"].split(";")[0]
        self._request("PLAY", self.url, {"Session": session, "Range": "npt=0.000-"})

    def fmtp(self) -> dict[str, str]:
        line = re.search(r"a=fmtp:\d+ (.*)", self.sdp)
        assert line is not None, self.sdp
        return dict(item.strip().split("=", 1) for item in line.group(1).split(";") if "=" in item)

    def packets(self, seconds: float) -> Iterator[RtpPacket]:
        """RTP packets of channel 0 for `seconds`."""
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            head = self._read(4)
            if head[:1] != b"$":
                raise AssertionError(f"not interleaved data: {head!r}")
            channel, size = head[1], struct.unpack("!H", head[2:])[0]
            data = self._read(size)
            if channel == 0:
                _, second, seq, ts = struct.unpack_from("!BBHI", data)
                yield RtpPacket(seq, ts, bool(second & 0x80), data[12 + 4 * (data[0] & 0x0F):])

    # -- inside ----------------------------------------------------------------------------------------
    def _request(self, method: str, url: str, headers: dict[str, str] | None = None) -> tuple[dict[str, str], str]:
        self._cseq += 1
        lines = [f"{method} {url} RTSP/1.0", f"CSeq: {self._cseq}", *(f"{k}: {v}" for k, v in (headers or {}).items())]
        self._sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode())
        while b"\r\n\r\n" not in self._buffer:
            self._fill()
        head, self._buffer = self._buffer.split(b"\r\n\r\n", 1)
        status, *rest = head.decode().split("\r\n")
        assert " 200 " in status, f"{method}: {status}"
        reply = {k.strip().lower(): v.strip() for k, v in (line.split(":", 1) for line in rest)}
        body = self._read(int(reply.get("content-length", "0"))).decode()
        return reply, body

    def _read(self, size: int) -> bytes:
        while len(self._buffer) < size:
            self._fill()
        data, self._buffer = self._buffer[:size], self._buffer[size:]
        return data

    def _fill(self) -> None:
        chunk = self._sock.recv(65536)
        if not chunk:
            raise EOFError("the camera closed the connection")
        self._buffer += chunk
