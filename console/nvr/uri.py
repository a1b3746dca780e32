"""Playback URIs the console can reach: a recorder's own URI is preferred (it carries what the recorder needs to
find the file: Hikvision's `name=` and `size=`), with its host and port replaced by the address the console reaches
the recorder at.

The recorder writes the address it knows itself by: its LAN address behind a NAT or a port forward, `0.0.0.0`, a
second network card. The console already talks HTTP to the address in the site file, so that address is the one
known to work; nothing is probed (a probe to a foreign address from a police station's network is a connection
nobody asked for).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from urllib.parse import parse_qsl, quote, urlsplit, urlunsplit

from console.nvr.models import RecorderAddress

log = logging.getLogger(__name__)


def reachable(uri: str, address: RecorderAddress) -> str:
    """`uri` with the recorder's host and RTSP port as the console reaches it (userinfo dropped)."""
    parts = urlsplit(uri.strip())
    host = f"[{address.host}]" if ":" in address.host else address.host
    netloc = f"{host}:{address.rtsp_port}"
    if parts.hostname != address.host or parts.port != address.rtsp_port:
        log.debug("playback URI of %s:%s rewritten to %s", parts.hostname, parts.port, netloc)
    return urlunsplit((parts.scheme or "rtsp", netloc, parts.path, parts.query, ""))


def with_query(uri: str, changes: Mapping[str, str]) -> str:
    """`uri` with these query parameters set (the others kept, in their order)."""
    parts = urlsplit(uri)
    params = dict(parse_qsl(parts.query, keep_blank_values=True))
    params.update(changes)
    query = "&".join(f"{quote(k, safe='')}={quote(v, safe='')}" for k, v in params.items())
    return urlunsplit((parts.scheme, parts.netloc, parts.path, query, parts.fragment))
