"""Why a camera could not be reached, when FFmpeg does not say.

FFmpeg's RTSP demuxer reports a server that accepts and never answers, a connection reset and a connection
closed before any reply all as "Invalid data found when processing input". The officer must read *Camera
không phản hồi* or *Camera đã ngắt kết nối* there, not "invalid data". After such a failure the ingest asks
this probe what the camera does now: one TCP connection and one `OPTIONS` request (no credentials: OPTIONS
needs none, and no session is set up), bounded by a timeout. Written by hand: it is one request, and no
RTSP library exposes the socket-level outcome it is for.
"""

from __future__ import annotations

import socket
from dataclasses import dataclass
from urllib.parse import urlsplit

from console.core.health import Failure

DEFAULT_PORT = 554


@dataclass(frozen=True)
class ProbeResult:
    failure: Failure | None  # None: the camera answers RTSP (so the data itself was bad)
    detail: str  # for the technician's log and the camera's info: what happened on the socket


def _target(url: str) -> tuple[str, int] | None:
    try:
        parts = urlsplit(url)
        host, port = parts.hostname, parts.port or DEFAULT_PORT
    except ValueError:
        return None
    if parts.scheme.lower() != "rtsp" or not host:
        return None
    return host, port


def probe(url: str, timeout_s: float) -> ProbeResult | None:
    """What the camera at `url` does with an OPTIONS request; None when `url` is not a plain rtsp:// address."""
    target = _target(url)
    if target is None:
        return None
    host, port = target
    try:
        sock = socket.create_connection(target, timeout=timeout_s)
    except ConnectionRefusedError:
        return ProbeResult(Failure.REFUSED, "connection refused")
    except TimeoutError:
        return ProbeResult(Failure.TIMEOUT, "connect timed out")
    except OSError as exc:
        return ProbeResult(Failure.TIMEOUT, f"unreachable ({exc.strerror or type(exc).__name__})")
    with sock:
        bracketed = f"[{host}]" if ":" in host else host
        request = f"OPTIONS rtsp://{bracketed}:{port}/ RTSP/1.0\r\nCSeq: 1\r\nUser-Agent: camera-console\r\n\r\n"
        try:
            sock.sendall(request.encode("ascii"))
            reply = sock.recv(64)
        except TimeoutError:
            return ProbeResult(Failure.TIMEOUT, "no answer after connect")
        except (ConnectionResetError, BrokenPipeError, ConnectionAbortedError):
            return ProbeResult(Failure.CLOSED, "connection reset")
        except OSError as exc:
            return ProbeResult(Failure.CLOSED, f"connection lost ({exc.strerror or type(exc).__name__})")
    if not reply:
        return ProbeResult(Failure.CLOSED, "connection closed without an answer")
    if reply.startswith(b"RTSP/"):
        return ProbeResult(None, "answers RTSP")
    return ProbeResult(Failure.BAD_DATA, "answers, but not in RTSP")
