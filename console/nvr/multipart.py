"""The parts of a multipart HTTP body that never ends (a recorder's event stream), each handed over as soon as it is
whole: by its Content-Length when it has one (no waiting for the next boundary, which may be a heartbeat away), else
at the next boundary.

Hand-written: aiohttp's MultipartReader expects a body that ends and reads a part without a length only once the
next boundary arrives; recorders send `multipart/mixed` (Hikvision) or `multipart/x-mixed-replace` (Dahua), with
blank lines before a boundary or none, the closing `--` never.
"""

from __future__ import annotations

from dataclasses import dataclass

MAX_PART_BYTES = 1 << 20  # a picture part of an event can be large; anything longer is not read


class MultipartError(ValueError):
    """The stream is not multipart as announced (no boundary where one must be, a part too long)."""


@dataclass(frozen=True)
class Part:
    headers: dict[str, str]  # names lower-cased
    body: bytes

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "").split(";", 1)[0].strip().lower()


def boundary_of(content_type: str) -> str | None:
    for field in content_type.split(";")[1:]:
        name, _, value = field.strip().partition("=")
        if name.strip().lower() == "boundary" and value.strip():
            return value.strip().strip('"')
    return None


class MultipartStream:
    def __init__(self, boundary: str) -> None:
        self._token = boundary.lstrip("-").encode("latin-1")  # some firmware announce the dashes with it
        self._buffer = bytearray()
        self._headers: dict[str, str] | None = None
        self._length: int | None = None

    def feed(self, data: bytes) -> list[Part]:
        self._buffer += data
        parts: list[Part] = []
        while True:
            part = self._next()
            if part is None:
                break
            parts.append(part)
        if len(self._buffer) > MAX_PART_BYTES + 4096:
            raise MultipartError(f"no part end within {len(self._buffer)} bytes")
        return parts

    def _next(self) -> Part | None:
        if self._headers is None and not self._read_headers():
            return None
        assert self._headers is not None
        if self._length is not None:
            if len(self._buffer) < self._length:
                return None
            body = bytes(self._buffer[: self._length])
            del self._buffer[: self._length]
        else:
            end = self._buffer.find(self._token)
            if end < 0:
                return None
            body = bytes(self._buffer[:end]).rstrip(b"-").rstrip(b"\r\n")
            del self._buffer[: len(bytes(self._buffer[:end]).rstrip(b"-"))]
        part = Part(self._headers, body)
        self._headers, self._length = None, None
        return part

    def _read_headers(self) -> bool:
        """Read past a boundary line and the part's headers; False until they are all there."""
        skip = 0
        while skip < len(self._buffer) and self._buffer[skip] in b"\r\n \t":
            skip += 1
        del self._buffer[:skip]
        dashes = 0
        while dashes < len(self._buffer) and self._buffer[dashes] == 0x2D:
            dashes += 1
        rest = bytes(self._buffer[dashes: dashes + len(self._token)])
        if len(rest) < len(self._token):
            if not self._token.startswith(rest):
                raise MultipartError("data where a boundary must be")
            return False
        if rest != self._token or dashes == 0:
            raise MultipartError("data where a boundary must be")
        end = self._buffer.find(b"\r\n\r\n", dashes + len(self._token))
        if end < 0:
            return False
        lines = bytes(self._buffer[dashes + len(self._token): end]).decode("latin-1").split("\r\n")
        del self._buffer[: end + 4]
        headers: dict[str, str] = {}
        for line in lines[1:]:
            name, colon, value = line.partition(":")
            if colon:
                headers[name.strip().lower()] = value.strip()
        self._headers = headers
        length = headers.get("content-length", "").strip()
        self._length = int(length) if length.isdigit() else None
        if self._length is not None and self._length > MAX_PART_BYTES:
            raise MultipartError(f"a part of {self._length} bytes")
        return True
