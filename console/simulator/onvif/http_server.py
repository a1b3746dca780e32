"""A small HTTP/1.1 server on asyncio streams for the SOAP services: POST with Content-Length, keep-alive.

Hand-written because the simulator needs only this much and must run on its own asyncio loop with its own
faults: the Python ONVIF libraries are clients (onvif-zeep-async, onveef), and the one device-side project
found (ipycam) is a whole virtual camera with its own streaming and web UI, not a service layer to put in
front of this simulator's RTSP cameras. Anything else (other methods, chunked bodies, oversized headers or
bodies) is answered 400/405/413 and the connection closed.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from email.utils import formatdate
from http import HTTPStatus

log = logging.getLogger(__name__)

MAX_BODY_BYTES = 256 * 1024  # the largest ONVIF request we take is a few kB; a bigger body is refused, unread
MAX_HEADER_BYTES = 16 * 1024
MAX_HEADER_LINES = 64
IDLE_TIMEOUT_S = 30.0  # a kept-alive connection with no new request is closed after this
READ_TIMEOUT_S = 10.0  # for the rest of a request once its first line has arrived
SERVER_NAME = "camera-console-simulator"


@dataclass(frozen=True)
class HttpRequest:
    method: str
    path: str
    headers: dict[str, str]  # names lower-cased
    body: bytes


@dataclass(frozen=True)
class HttpResponse:
    status: int
    body: bytes = b""
    content_type: str = "text/plain; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)


Handler = Callable[[HttpRequest], Awaitable[HttpResponse]]


class BadRequestError(Exception):
    """The request cannot be served; answered with `status` and the connection closed."""

    def __init__(self, status: HTTPStatus, reason: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(reason)
        self.status, self.headers = status, headers or {}


class HttpServer:
    """Serves `handler` for POSTs on one host:port; `close()` also cuts the open connections."""

    def __init__(self, handler: Handler, max_body_bytes: int = MAX_BODY_BYTES) -> None:
        self._handler = handler
        self._max_body = max_body_bytes
        self._server: asyncio.Server | None = None
        self._writers: set[asyncio.StreamWriter] = set()

    async def listen(self, host: str, port: int) -> None:
        self._server = await asyncio.start_server(self._serve, host, port, reuse_address=True,
                                                  limit=MAX_HEADER_BYTES)

    async def close(self) -> None:
        if self._server is not None:
            self._server.close()
            self._server = None
        for writer in tuple(self._writers):
            writer.transport.abort()
        self._writers.clear()

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self._writers.add(writer)
        try:
            while await self._one(reader, writer):
                pass
        except (ConnectionError, asyncio.IncompleteReadError, TimeoutError):
            pass  # the client went away or stalled: nothing to answer
        finally:
            self._writers.discard(writer)
            writer.close()

    async def _one(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> bool:
        """Serve one request; False when the connection is to be closed."""
        try:
            line = await asyncio.wait_for(reader.readline(), IDLE_TIMEOUT_S)
        except ValueError:  # a request line longer than the stream limit
            await _write(writer, _error(BadRequestError(HTTPStatus.BAD_REQUEST, "request line too long")), False)
            return False
        if not line:
            return False
        try:
            request, keep_alive = await asyncio.wait_for(self._read(line, reader, writer), READ_TIMEOUT_S)
        except BadRequestError as exc:
            log.debug("onvif http: %s %s", exc.status.value, exc)
            await _write(writer, _error(exc), False)
            return False
        try:
            response = await self._handler(request)
        except Exception:  # a bug of ours is a 500 for this request, not a dead connection task
            log.exception("onvif http: handler failed for %s", request.path)
            response, keep_alive = HttpResponse(HTTPStatus.INTERNAL_SERVER_ERROR.value, b"internal error\n"), False
        await _write(writer, response, keep_alive)
        return keep_alive

    async def _read(self, line: bytes, reader: asyncio.StreamReader,
                    writer: asyncio.StreamWriter) -> tuple[HttpRequest, bool]:
        method, path, version = _request_line(line)
        headers = await _headers(reader)
        if method != "POST":
            raise BadRequestError(HTTPStatus.METHOD_NOT_ALLOWED, f"{method} not allowed", {"Allow": "POST"})
        if "transfer-encoding" in headers:
            raise BadRequestError(HTTPStatus.BAD_REQUEST, "only Content-Length bodies are accepted")
        length = _content_length(headers)
        if length > self._max_body:
            raise BadRequestError(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, f"body of {length} bytes")
        if headers.get("expect", "").lower() == "100-continue":
            writer.write(b"HTTP/1.1 100 Continue\r\n\r\n")
        body = await reader.readexactly(length)
        connection = headers.get("connection", "").lower()
        keep_alive = connection != "close" if version == "HTTP/1.1" else connection == "keep-alive"
        return HttpRequest(method, path, headers, body), keep_alive


def _request_line(line: bytes) -> tuple[str, str, str]:
    parts = line.decode("latin-1").split()
    if len(parts) != 3 or parts[2] not in ("HTTP/1.0", "HTTP/1.1"):
        raise BadRequestError(HTTPStatus.BAD_REQUEST, "malformed request line")
    return parts[0], parts[1].partition("?")[0], parts[2]


async def _headers(reader: asyncio.StreamReader) -> dict[str, str]:
    headers: dict[str, str] = {}
    for _ in range(MAX_HEADER_LINES):
        try:
            line = await reader.readline()
        except ValueError:
            raise BadRequestError(HTTPStatus.BAD_REQUEST, "header line too long") from None
        if line in (b"\r\n", b"\n"):
            return headers
        if not line:
            raise asyncio.IncompleteReadError(line, None)
        name, colon, value = line.decode("latin-1").partition(":")
        if not colon or not name.strip() or name != name.strip():
            raise BadRequestError(HTTPStatus.BAD_REQUEST, "malformed header line")
        headers[name.lower()] = value.strip()
    raise BadRequestError(HTTPStatus.BAD_REQUEST, "too many header lines")


def _content_length(headers: dict[str, str]) -> int:
    value = headers.get("content-length")
    if value is None or not value.isdigit():
        raise BadRequestError(HTTPStatus.BAD_REQUEST, "a Content-Length is required")
    return int(value)


def _error(exc: BadRequestError) -> HttpResponse:
    return HttpResponse(exc.status.value, f"{exc.status.phrase}: {exc}\n".encode(), headers=exc.headers)


async def _write(writer: asyncio.StreamWriter, response: HttpResponse, keep_alive: bool) -> None:
    phrase = HTTPStatus(response.status).phrase
    lines = [f"HTTP/1.1 {response.status} {phrase}", f"Server: {SERVER_NAME}",
             f"Date: {formatdate(usegmt=True)}", f"Content-Type: {response.content_type}",
             f"Content-Length: {len(response.body)}", f"Connection: {'keep-alive' if keep_alive else 'close'}",
             *(f"{name}: {value}" for name, value in response.headers.items())]
    writer.write(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + response.body)
    await writer.drain()
