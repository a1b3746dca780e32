"""A camera's main and sub stream addresses from its Media1 profiles, fit for the site file.

GetStreamUri's answer is taken as the camera gives it (its own RTSP port included), without credentials
(console.onvif.uri). Two fixes, from cameras met in the field: a camera behind port forwarding or with a
wrong network setting names a host the station cannot reach (0.0.0.0, its own LAN address while it was
reached at another): the host it was reached at replaces an unusable one; and the technician may name the
RTSP port when the forwarding maps it elsewhere.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import SplitResult, unquote, urlsplit, urlunsplit

from console.core.config import DEFAULT_RTSP_PORTS, check_stream_url
from console.core.credentials import Credentials
from console.onvif.media import MediaProfile
from console.onvif.uri import strip_credentials

_UNUSABLE_HOSTS = ("0.0.0.0", "::", "")


@dataclass(frozen=True)
class StreamChoice:
    main: MediaProfile
    sub: MediaProfile | None


def _pixels(profile: MediaProfile) -> int:
    return (profile.width or 0) * (profile.height or 0)


def choose_streams(profiles: Sequence[MediaProfile]) -> StreamChoice | None:
    """The largest picture is the main stream, the smallest other one the sub stream (None: no stream)."""
    usable = [p for p in profiles if p.stream_uri]
    if not usable:
        return None
    main = max(usable, key=_pixels)  # max keeps the first of equals: the camera's own first profile
    others = [p for p in usable if p is not main and p.stream_uri != main.stream_uri]
    return StreamChoice(main, min(others, key=_pixels) if others else None)


def _netloc(host: str, port: int | None) -> str:
    shown = f"[{host}]" if ":" in host else host
    return shown if port is None else f"{shown}:{port}"


def _reachable(parts: SplitResult, device_host: str) -> str:
    host = parts.hostname or ""
    if host in _UNUSABLE_HOSTS:
        return device_host
    try:
        loopback = ipaddress.ip_address(host).is_loopback
        device_loopback = ipaddress.ip_address(device_host).is_loopback
    except ValueError:
        return host
    return device_host if loopback and not device_loopback else host


def stream_address(uri: str, device_host: str, rtsp_port: int | None = None) -> str:
    """`uri` without credentials, its host made one the station can reach, its port `rtsp_port` if given."""
    clean = strip_credentials(uri)
    parts = urlsplit(clean)
    port = rtsp_port if rtsp_port is not None else parts.port
    netloc = _netloc(_reachable(parts, device_host), port)
    return urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))


@dataclass(frozen=True)
class TypedStream:
    """An RTSP address typed for a camera without ONVIF: the address for the file, and the login it held."""

    url: str
    credentials: Credentials | None


def typed_stream(text: str) -> TypedStream:
    """A pasted `rtsp://admin:…@192.168.1.70:554/…` becomes the address without its login, and the login.
    ValueError (with our words) when it is not an RTSP address."""
    text = text.strip()
    try:
        parts = urlsplit(text)
        user, password = parts.username, parts.password
    except ValueError:
        raise ValueError("not an address") from None
    credentials = Credentials(unquote(user), unquote(password or "")) if user else None
    url = strip_credentials(text)
    if urlsplit(url).scheme.lower() not in DEFAULT_RTSP_PORTS or check_stream_url(url) is not None:
        raise ValueError("not an RTSP address")
    return TypedStream(url, credentials)
