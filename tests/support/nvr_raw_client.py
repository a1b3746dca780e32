"""A second, independent client for the recorder simulator: `http.client` with a Digest of its own (RFC 7616, MD5,
qop=auth), and a bare RTSP client with the RTSP Digest (RFC 2069 form, as the cameras use it) that shows what PLAY
answers and the first RTP packet. Nothing here comes from `console.nvr` or aiohttp: when both this and the adapters
agree with the simulator, neither agrees with it by sharing its mistakes."""

from __future__ import annotations

import hashlib
import http.client
import os
import re
import socket
import struct
from dataclasses import dataclass
from urllib.parse import urlsplit

_FIELD = re.compile(r'(\w+)\s*=\s*(?:"([^"]*)"|([^,\s]+))')


def _md5(text: str) -> str:
    return hashlib.md5(text.encode("utf-8")).hexdigest()


def challenge_fields(header: str) -> dict[str, str]:
    assert header.lower().startswith("digest "), header
    return {m.group(1).lower(): m.group(2) if m.group(2) is not None else m.group(3)
            for m in _FIELD.finditer(header[7:])}


def digest_header(method: str, uri: str, user: str, password: str, challenge: dict[str, str], nc: int = 1) -> str:
    realm, nonce = challenge["realm"], challenge["nonce"]
    ha1, ha2 = _md5(f"{user}:{realm}:{password}"), _md5(f"{method}:{uri}")
    if "auth" in challenge.get("qop", "").split(","):
        cnonce = os.urandom(8).hex()
        response = _md5(f"{ha1}:{nonce}:{nc:08x}:{cnonce}:auth:{ha2}")
        return (f'Digest username="{user}", realm="{realm}", nonce="{nonce}", uri="{uri}", algorithm=MD5, '
                f'response="{response}", qop=auth, nc={nc:08x}, cnonce="{cnonce}"')
    response = _md5(f"{ha1}:{nonce}:{ha2}")
    return f'Digest username="{user}", realm="{realm}", nonce="{nonce}", uri="{uri}", response="{response}"'


@dataclass(frozen=True)
class RawAnswer:
    status: int
    headers: dict[str, str]
    body: bytes


class RawDigestHttp:
    def __init__(self, host: str, port: int, user: str, password: str, timeout_s: float = 10.0) -> None:
        self.host, self.port, self.user, self.password, self.timeout_s = host, port, user, password, timeout_s

    def open(self, method: str, target: str, body: bytes | None = None) -> http.client.HTTPResponse:
        """The response, its body unread (a download, an event stream); signed after the 401 challenge."""
        headers = {"Content-Type": "application/xml"} if body is not None else {}
        connection = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout_s)
        connection.request(method, target, body=body, headers=headers)
        first = connection.getresponse()
        if first.status != 401:
            return first
        challenge = challenge_fields(first.getheader("WWW-Authenticate", ""))
        first.read()
        connection.close()
        connection = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout_s)
        signed = {**headers, "Authorization": digest_header(method, target, self.user, self.password, challenge)}
        connection.request(method, target, body=body, headers=signed)
        return connection.getresponse()

    def request(self, method: str, target: str, body: bytes | None = None) -> RawAnswer:
        response = self.open(method, target, body)
        try:
            return RawAnswer(response.status, {k.lower(): v for k, v in response.getheaders()}, response.read())
        finally:
            response.close()


class RawRtspPlayback:
    """DESCRIBE (signed after the challenge), SETUP interleaved, PLAY; then the first RTP packet."""

    def __init__(self, url: str, user: str, password: str, timeout_s: float = 5.0) -> None:
        parts = urlsplit(url)
        self.url, self.user, self.password = url, user, password
        self._sock = socket.create_connection((parts.hostname or "127.0.0.1", parts.port or 554), timeout_s)
        self._buffer = b""
        self._cseq = 0
        self._challenge: dict[str, str] | None = None

    def __enter__(self) -> RawRtspPlayback:
        return self

    def __exit__(self, *_: object) -> None:
        self._sock.close()

    def _read(self, size: int) -> bytes:
        while len(self._buffer) < size:
            data = self._sock.recv(65536)
            if not data:
                raise ConnectionError("closed")
            self._buffer += data
        out, self._buffer = self._buffer[:size], self._buffer[size:]
        return out

    def _request(self, method: str, url: str, headers: dict[str, str] | None = None) -> tuple[int, dict[str, str]]:
        for _ in range(2):
            self._cseq += 1
            lines = [f"{method} {url} RTSP/1.0", f"CSeq: {self._cseq}",
                     *(f"{k}: {v}" for k, v in (headers or {}).items())]
            if self._challenge is not None:
                lines.append("Authorization: " + digest_header(method, url, self.user, self.password, self._challenge))
            self._sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode())
            while b"\r\n\r\n" not in self._buffer:
                self._buffer += self._sock.recv(65536)
            head, self._buffer = self._buffer.split(b"\r\n\r\n", 1)
            status_line, *rest = head.decode().split("\r\n")
            reply = {k.strip().lower(): v.strip() for k, _, v in (line.partition(":") for line in rest)}
            if "content-length" in reply:
                self._read(int(reply["content-length"]))
            status = int(status_line.split()[1])
            if status == 401 and self._challenge is None:
                self._challenge = challenge_fields(reply["www-authenticate"])
                continue
            return status, reply
        return 401, {}

    def play(self) -> tuple[int, dict[str, str]]:
        status, _ = self._request("DESCRIBE", self.url, {"Accept": "application/sdp"})
        if status != 200:
            return status, {}
        base = self.url.rstrip("/") + "/"
        status, reply = self._request("SETUP", base + "trackID=1", {"Transport": "RTP/AVP/TCP;unicast;interleaved=0-1"})
        if status != 200:
            return status, {}
        return self._request("PLAY", self.url, {"Session": reply["session"].split(";")[0], "Range": "npt=0.000-"})

    def first_rtp_timestamp(self) -> int:
        while True:
            head = self._read(4)
            assert head[:1] == b"$", head
            data = self._read(struct.unpack("!H", head[2:])[0])
            if head[1] == 0:
                return int(struct.unpack_from("!I", data, 4)[0])
