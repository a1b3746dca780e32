"""HTTP to one recorder: one aiohttp session (a few kept-alive connections: recorders take few clients), Digest
auth by aiohttp's own `DigestAuthMiddleware` (RFC 7616, MD5 and qop=auth, as both vendors challenge; aiohttp ≥ 3.12
ships it, so no hand-written Digest here), every call under a timeout, and every failure an `NvrError` whose text
holds no password.

Query strings are encoded here, not by aiohttp: Dahua's CGI takes `codes=[All]` and `condition.StartTime=2021-8-18
00:00:00` with the brackets as they are, and the Digest `uri` must be exactly what goes on the wire.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass
from urllib.parse import quote

import aiohttp
from yarl import URL

from console.core.credentials import Credentials
from console.core.redact import redact_secret
from console.nvr.errors import NvrError, NvrErrorKind
from console.nvr.messages import Operation
from console.nvr.models import RecorderAddress

log = logging.getLogger(__name__)

CALL_TIMEOUT_S = 10.0
CONNECT_TIMEOUT_S = 5.0
CONNECTIONS_PER_RECORDER = 4
MAX_DETAIL_CHARS = 300
_STATUS_KINDS = {401: NvrErrorKind.AUTH, 403: NvrErrorKind.FORBIDDEN, 404: NvrErrorKind.NOT_FOUND}


@dataclass(frozen=True)
class HttpAnswer:
    status: int
    body: bytes
    content_type: str


def encode_query(params: Mapping[str, str | int], safe: str = "") -> str:
    return "&".join(f"{quote(str(k), safe=safe)}={quote(str(v), safe=safe)}" for k, v in params.items())


class RecorderHttp:
    def __init__(self, address: RecorderAddress, credentials: Credentials | None, vendor: str, *,
                 timeout_s: float = CALL_TIMEOUT_S) -> None:
        self.address = address
        self.vendor = vendor
        self.timeout_s = timeout_s
        self._credentials = credentials
        self._session: aiohttp.ClientSession | None = None

    def _open(self) -> aiohttp.ClientSession:
        if self._session is None or self._session.closed:
            middlewares: tuple[aiohttp.DigestAuthMiddleware, ...] = ()
            if self._credentials is not None:
                middlewares = (aiohttp.DigestAuthMiddleware(self._credentials.username, self._credentials.password),)
            self._session = aiohttp.ClientSession(
                connector=aiohttp.TCPConnector(limit=CONNECTIONS_PER_RECORDER), middlewares=middlewares,
                timeout=aiohttp.ClientTimeout(total=self.timeout_s, sock_connect=CONNECT_TIMEOUT_S),
                trust_env=False)
        return self._session

    def url(self, path: str, query: Mapping[str, str | int] | None = None, safe: str = "") -> URL:
        text = self.address.base_url + path
        if query:
            text += "?" + encode_query(query, safe)
        return URL(text, encoded=True)

    def error(self, kind: NvrErrorKind, operation: Operation, *, status: int | None = None,
              seconds: float | None = None, detail: str = "") -> NvrError:
        secret = self._credentials.password if self._credentials else ""
        clean = redact_secret(detail, secret)[:MAX_DETAIL_CHARS] if secret else detail[:MAX_DETAIL_CHARS]
        return NvrError(kind, self.address.http, operation, vendor=self.vendor, status=status, seconds=seconds,
                        detail=clean)

    def check(self, operation: Operation, status: int, body: bytes = b"") -> None:
        if status < 400:
            return
        kind = _STATUS_KINDS.get(status, NvrErrorKind.DEVICE)
        raise self.error(kind, operation, status=status, detail=body[:200].decode("utf-8", "replace"))

    def failure(self, exc: BaseException, operation: Operation, seconds: float) -> NvrError:
        """The `NvrError` for what aiohttp or the socket raised."""
        if isinstance(exc, NvrError):
            return exc
        if isinstance(exc, TimeoutError):  # asyncio's and aiohttp's timeouts are this class too
            return self.error(NvrErrorKind.TIMEOUT, operation, seconds=seconds, detail=str(exc) or "timeout")
        if isinstance(exc, aiohttp.ServerDisconnectedError | aiohttp.ClientResponseError):
            # It took the connection and then closed it, or answered something that is not HTTP: not this API.
            return self.error(NvrErrorKind.NOT_FOUND, operation, detail=f"{type(exc).__name__}: {exc}")
        if isinstance(exc, aiohttp.ClientPayloadError):
            return self.error(NvrErrorKind.MALFORMED, operation, detail=f"{type(exc).__name__}: {exc}")
        if isinstance(exc, aiohttp.ClientError | OSError):
            return self.error(NvrErrorKind.UNREACHABLE, operation, detail=f"{type(exc).__name__}: {exc}")
        log.warning("%s: unexpected failure during %s: %s", self.address.http, operation.value, type(exc).__name__)
        return self.error(NvrErrorKind.MALFORMED, operation, detail=f"{type(exc).__name__}: {exc}")

    async def call(self, method: str, url: URL, operation: Operation, *, data: bytes | None = None,
                   timeout_s: float | None = None, content_type: str = "application/xml") -> HttpAnswer:
        """One request, its whole answer read; an HTTP error status raises."""
        limit = timeout_s or self.timeout_s
        headers = {"Content-Type": content_type} if data is not None else None
        try:
            async with asyncio.timeout(limit):
                async with self._open().request(method, url, data=data, headers=headers) as response:
                    body = await response.read()
                    answer = HttpAnswer(response.status, body, response.headers.get("Content-Type", ""))
        except Exception as exc:
            raise self.failure(exc, operation, limit) from None
        self.check(operation, answer.status, answer.body)
        return answer

    @asynccontextmanager
    async def stream(self, method: str, url: URL, operation: Operation, *, data: bytes | None = None,
                     read_timeout_s: float | None = None) -> AsyncIterator[aiohttp.ClientResponse]:
        """A request whose answer is read as it comes (a download, an event stream): the time to the answer's head
        is limited by the call timeout, each later read by `read_timeout_s` (None: the caller limits it)."""
        timeout = aiohttp.ClientTimeout(total=None, sock_connect=CONNECT_TIMEOUT_S, sock_read=read_timeout_s)
        headers = {"Content-Type": "application/xml"} if data is not None else None
        try:
            async with asyncio.timeout(self.timeout_s):
                response = await self._open().request(method, url, data=data, headers=headers, timeout=timeout)
        except Exception as exc:
            raise self.failure(exc, operation, self.timeout_s) from None
        try:
            if response.status >= 400:
                body = await response.content.read(4096)
                self.check(operation, response.status, body)
            yield response
        finally:
            response.release()

    async def close(self) -> None:
        if self._session is not None and not self._session.closed:
            await self._session.close()
        self._session = None
