"""A small HTTP/1.1 server on asyncio streams for the recorder faces: GET, POST and PUT with Content-Length bodies (a
GET may carry one: ISAPI's download does), keep-alive, and streamed answers (downloads, event streams).

Hand-written for the same reasons as the ONVIF face's (`console.simulator.onvif.http_server`), which takes POSTs
only: the faces must run on the simulator's own loop with their own faults, and they need what that one refuses —
other methods, query strings and answers that last (a multipart event stream stays open for hours; a download is
written as fast as the socket takes it). A streamed answer without a known length ends by closing the connection,
as the recorders do.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from email.utils import formatdate
from http import HTTPStatus
from urllib.parse import parse_qsl, urlsplit

log = logging.getLogger(__name__)

MAX_BODY_BYTES = 256 * 1024
MAX_HEADER_BYTES = 16 * 1024
MAX_HEADER_LINES = 64
IDLE_TIMEOUT_S = 30.0
READ_TIMEOUT_S = 10.0
METHODS = frozenset({"GET", "POST", "PUT"})


@dataclass(frozen=True)
class HttpRequest:
    method: str
    target: str  # as sent: path and query, what a Digest `uri` signs
    headers: dict[str, str]  # names lower-cased
    body: bytes

    @property
    def path(self) -> str:
        return urlsplit(self.target).path

    @property
    def query(self) -> dict[str, str]:
        """The query's parameters (a repeated one: its last value), percent-decoded."""
        return dict(parse_qsl(urlsplit(self.target).query, keep_blank_values=True))


@dataclass(frozen=True)
class HttpResponse:
    status: int
    body: bytes = b""
    content_type: str = "text/plain; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class StreamedResponse:
    """An answer written as it is made: `length` bytes (then the connection stays open), or until the chunks end
    (then it is closed)."""

    status: int
    content_type: str
    chunks: AsyncIterator[bytes]
    length: int | None = None
    headers: dict[str, str] = field(default_factory=dict)


Answer = HttpResponse | StreamedResponse
Handler = Callable[[HttpRequest], Awaitable[Answer]]


class BadRequestError(Exception):
    def __init__(self, status: HTTPStatus, reason: str) -> None:
        super().__init__(reason)
        self.status = status


class HttpServer:
    """Serves `handler` on one host:port; `close()` also cuts the connections open (an event stream's too)."""

    def __init__(self, handler: Handler, server_name: str) -> None:
        self._handler = handler
        self._server_name = server_name
        self._server: asyncio.Server | None = None
        self._writers: set[asyncio.StreamWriter] = set()

    async def listen(self, host: str, port: int) -> int:
        """Listen; the port bound (a free one when `port` is 0)."""
        self._server = await asyncio.start_server(self._serve, host, port, reuse_address=True,
                                                  limit=MAX_HEADER_BYTES)
        return int(self._server.sockets[0].getsockname()[1])

    async def close(self) -> None:
        if self._server is not None:
            self._server.close()
            self._server = None
        for writer in tuple(self._writers):
            writer.transport.abort()
        self._writers.clear()

    @property
    def connections(self) -> int:
        return len(self._writers)

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self._writers.add(writer)
        try:
            while await self._one(reader, writer):
                pass
        except (ConnectionError, asyncio.IncompleteReadError, TimeoutError):
            pass  # the client went away or stalled
        finally:
            self._writers.discard(writer)
            writer.close()

    async def _one(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> bool:
        try:
            line = await asyncio.wait_for(reader.readline(), IDLE_TIMEOUT_S)
        except ValueError:
            await self._write(writer, _error(HTTPStatus.BAD_REQUEST, "request line too long"), False)
            return False
        if not line:
            return False
        try:
            request, keep_alive = await asyncio.wait_for(_read(line, reader), READ_TIMEOUT_S)
        except BadRequestError as exc:
            await self._write(writer, _error(exc.status, str(exc)), False)
            return False
        try:
            answer = await self._handler(request)
        except Exception:
            log.exception("recorder http: handler failed for %s %s", request.method, request.path)
            answer, keep_alive = _error(HTTPStatus.INTERNAL_SERVER_ERROR, "internal error"), False
        if isinstance(answer, StreamedResponse):
            return await self._stream(reader, writer, answer, keep_alive)
        await self._write(writer, answer, keep_alive)
        return keep_alive

    def _head(self, status: int, content_type: str, length: int | None, keep_alive: bool,
              extra: dict[str, str]) -> bytes:
        lines = [f"HTTP/1.1 {status} {HTTPStatus(status).phrase}", f"Server: {self._server_name}",
                 f"Date: {formatdate(usegmt=True)}", f"Content-Type: {content_type}",
                 f"Connection: {'keep-alive' if keep_alive else 'close'}",
                 *(f"{name}: {value}" for name, value in extra.items())]
        if length is not None:
            lines.append(f"Content-Length: {length}")
        return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")

    async def _write(self, writer: asyncio.StreamWriter, response: HttpResponse, keep_alive: bool) -> None:
        writer.write(self._head(response.status, response.content_type, len(response.body), keep_alive,
                                response.headers) + response.body)
        await writer.drain()

    async def _stream(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, answer: StreamedResponse,
                      keep_alive: bool) -> bool:
        keep = keep_alive and answer.length is not None
        writer.write(self._head(answer.status, answer.content_type, answer.length, keep, answer.headers))
        sending = asyncio.ensure_future(self._send(writer, answer))
        if answer.length is None:
            # An answer that lasts until closed (an event stream, silent or not) ends when the client hangs up.
            hung_up = asyncio.ensure_future(reader.read(1))
            await asyncio.wait((sending, hung_up), return_when=asyncio.FIRST_COMPLETED)
            for task in (sending, hung_up):
                task.cancel()
            await asyncio.gather(sending, hung_up, return_exceptions=True)
            return False
        sent = await sending
        if sent != answer.length:
            log.error("recorder http: streamed %d bytes of %d announced", sent, answer.length)
            return False
        return keep

    @staticmethod
    async def _send(writer: asyncio.StreamWriter, answer: StreamedResponse) -> int:
        sent = 0
        try:
            async for chunk in answer.chunks:
                writer.write(chunk)
                sent += len(chunk)
                await writer.drain()
        finally:
            close = getattr(answer.chunks, "aclose", None)
            if close is not None:
                await close()
        return sent


async def _read(line: bytes, reader: asyncio.StreamReader) -> tuple[HttpRequest, bool]:
    parts = line.decode("latin-1").split()
    if len(parts) != 3 or parts[2] not in ("HTTP/1.0", "HTTP/1.1"):
        raise BadRequestError(HTTPStatus.BAD_REQUEST, "malformed request line")
    method, target, version = parts
    headers = await _headers(reader)
    if method not in METHODS:
        raise BadRequestError(HTTPStatus.METHOD_NOT_ALLOWED, f"{method} not allowed")
    if "transfer-encoding" in headers:
        raise BadRequestError(HTTPStatus.BAD_REQUEST, "only Content-Length bodies are accepted")
    text = headers.get("content-length", "0")
    if not text.isdigit():
        raise BadRequestError(HTTPStatus.BAD_REQUEST, "a bad Content-Length")
    if int(text) > MAX_BODY_BYTES:
        raise BadRequestError(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, f"body of {text} bytes")
    body = await reader.readexactly(int(text))
    connection = headers.get("connection", "").lower()
    keep_alive = connection != "close" if version == "HTTP/1.1" else connection == "keep-alive"
    return HttpRequest(method, target, headers, body), keep_alive


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
        if not colon or not name.strip():
            raise BadRequestError(HTTPStatus.BAD_REQUEST, "malformed header line")
        headers[name.strip().lower()] = value.strip()
    raise BadRequestError(HTTPStatus.BAD_REQUEST, "too many header lines")


def _error(status: HTTPStatus, reason: str) -> HttpResponse:
    return HttpResponse(status.value, f"{status.phrase}: {reason}\n".encode())
