"""Turns what aiohttp, zeep and the ONVIF library raise into our `OnvifError` with its kind.

The library wraps some errors in its own `ONVIFError` and lets others through raw (zeep's Fault, aiohttp's
connection errors), so the whole cause chain is read and its most telling link decides. zeep and the library
are looked up in `sys.modules` only: mapping an error never imports them.
"""

from __future__ import annotations

import logging
import sys
from typing import Any

from console.core.redact import redact_secret
from console.onvif.errors import OnvifError, OnvifErrorKind
from console.onvif.soap import BadReplyError, check_reply

log = logging.getLogger(__name__)

MAX_DETAIL_CHARS = 300
_AUTH_HTTP_STATUSES = (401, 403)


def _chain(exc: BaseException) -> list[BaseException]:
    links: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and current not in links and len(links) < 8:
        links.append(current)
        current = current.__cause__ or current.__context__
    return links


def _module(name: str) -> Any:
    return sys.modules.get(name)


def _zeep_kind(exc: BaseException) -> tuple[OnvifErrorKind, str] | None:
    zeep = _module("zeep.exceptions")
    if zeep is None:
        return None
    if isinstance(exc, zeep.Fault):
        subcodes = getattr(exc, "subcodes", None) or []
        texts = [getattr(code, "text", None) or str(code) for code in subcodes]
        message = str(getattr(exc, "message", "") or "")
        if any("NotAuthorized" in text for text in texts) or "auth" in message.lower():
            return OnvifErrorKind.AUTH, message
        return OnvifErrorKind.FAULT, message
    if isinstance(exc, zeep.TransportError):
        if exc.status_code in _AUTH_HTTP_STATUSES:
            return OnvifErrorKind.AUTH, f"HTTP {exc.status_code}"
        content = exc.content if isinstance(exc.content, bytes) else b""
        try:
            check_reply(content)
        except BadReplyError as problem:
            return problem.kind, f"HTTP {exc.status_code}: {problem.detail}"
        return OnvifErrorKind.NOT_ONVIF, f"HTTP {exc.status_code}"
    if isinstance(exc, zeep.XMLSyntaxError):
        text = str(getattr(exc, "message", "") or exc)
        kind = OnvifErrorKind.NOT_ONVIF if "Envelope" in text else OnvifErrorKind.MALFORMED
        return kind, text
    if isinstance(exc, zeep.Error):  # XMLParseError, ValidationError, UnexpectedElementError …
        return OnvifErrorKind.MALFORMED, f"{type(exc).__name__}: {getattr(exc, 'message', '') or exc}"
    return None


def _library_kind(exc: BaseException) -> OnvifErrorKind | None:
    library = _module("onvif.exceptions")
    if library is None:
        return None
    if isinstance(exc, library.ONVIFTimeoutError):
        return OnvifErrorKind.TIMEOUT
    if isinstance(exc, library.ONVIFAuthError):
        return OnvifErrorKind.AUTH
    return None


def _http_kind(exc: BaseException) -> OnvifErrorKind | None:
    aiohttp = _module("aiohttp")
    if aiohttp is not None:
        if isinstance(exc, aiohttp.ServerDisconnectedError):
            # Took the connection, then closed it without an HTTP answer: a service, but not a web server.
            return OnvifErrorKind.NOT_ONVIF
        if isinstance(exc, aiohttp.ClientResponseError):  # no HTTP status line: an RTSP port, a telnet banner
            return OnvifErrorKind.NOT_ONVIF
        if isinstance(exc, aiohttp.ClientPayloadError):
            return OnvifErrorKind.MALFORMED
        if isinstance(exc, aiohttp.ClientError):
            return OnvifErrorKind.UNREACHABLE
    if isinstance(exc, OSError):  # ConnectionRefusedError, no route to host …
        return OnvifErrorKind.UNREACHABLE
    return None


def _kind_of(exc: BaseException) -> tuple[OnvifErrorKind, str] | None:
    if isinstance(exc, BadReplyError):
        return exc.kind, exc.detail
    if isinstance(exc, TimeoutError):  # asyncio's and aiohttp's timeouts are this class too
        return OnvifErrorKind.TIMEOUT, str(exc) or "timeout"
    zeep_kind = _zeep_kind(exc)
    if zeep_kind is not None:
        return zeep_kind
    for kind in (_library_kind(exc), _http_kind(exc)):
        if kind is not None:
            return kind, f"{type(exc).__name__}: {exc}"
    return None


def to_onvif_error(exc: BaseException, address: str, *, password: str = "", timeout_s: float | None = None,
                   operation: str = "") -> OnvifError:
    """The `OnvifError` for `exc` raised while talking to `address`; its detail never holds the password."""
    for link in _chain(exc):
        if isinstance(link, OnvifError):
            return link
        found = _kind_of(link)
        if found is not None:
            kind, detail = found
            return _made(kind, address, detail, password, timeout_s, operation)
    log.warning("unexpected error from %s during %s: %s", address, operation or "ONVIF",
                redact_secret(f"{type(exc).__name__}: {exc}", password))
    return _made(OnvifErrorKind.MALFORMED, address, f"{type(exc).__name__}: {exc}", password, timeout_s, operation)


def _made(kind: OnvifErrorKind, address: str, detail: str, password: str, timeout_s: float | None,
          operation: str) -> OnvifError:
    clean = redact_secret(detail, password)[:MAX_DETAIL_CHARS]
    reason = clean if kind is OnvifErrorKind.FAULT else ""
    return OnvifError(kind, address, detail=clean, seconds=timeout_s, operation=operation or "ONVIF",
                      reason=reason)
