"""Finds and removes camera passwords in anything that could be printed, logged or shown.

Two places hold a password in a stream address:
- the userinfo, `rtsp://user:password@host/…`. A password may hold `/`, `#`, `?`, `@` or a space, which
  no URL parser reads right (`rtsp://alice:s3cret/x@host` parses as host "alice", port "s3cret"), so the
  masking never parses: everything between `//` and the last `@` that is followed by a host is masked
  (the user name is kept when it is plain). Masking a path that held an `@` is the price; leaking is not.
- a query or path parameter, as cheap DVRs want it: `?user=alice&password=…` or
  `/user=alice&password=…&channel=1&stream=0.sdp`; the values of `password=`, `passwd=`, `pwd=` and
  `pass=` are masked up to the next `&`.
"""

from __future__ import annotations

import logging
import re
from urllib.parse import urlsplit

MASK = "***"
SECRET_PARAMS = ("password", "passwd", "pwd", "pass")

_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://")
# After the userinfo's '@': a host name, an IPv4 or a bracketed IPv6, then a port, path, query or the end.
_HOST_AFTER = re.compile(r"(?:\[[0-9A-Fa-f:.%]+\]|[A-Za-z0-9._~%-]+)(?=$|[:/?#\s'\"<>()\[\],;])")
_PLAIN_USER = re.compile(r"[^:@/\s]*")
_SECRET_PARAM = re.compile(r"(?i)(?<![A-Za-z0-9_])(" + "|".join(SECRET_PARAMS) + r")=([^&\s#;'\"<>]*)")


def _userinfo_end(segment: str) -> int:
    """Index of the '@' that ends the userinfo in `segment` (the text after `//`), or -1."""
    first_space = next((i for i, ch in enumerate(segment) if ch.isspace()), len(segment))
    candidates = [i for i, ch in enumerate(segment) if ch == "@" and _HOST_AFTER.match(segment, i + 1)]
    if not candidates:
        return -1
    # Prefer the '@' before the first space; a password with a space reaches further.
    before_space = [i for i in candidates if i < first_space]
    return (before_space or candidates)[-1]


def _mask_userinfo(segment: str) -> str:
    at = _userinfo_end(segment)
    if at < 0:
        return segment
    userinfo = segment[:at]
    user, colon, _ = userinfo.partition(":")
    if not colon:
        return segment if _PLAIN_USER.fullmatch(userinfo) else f"{MASK}{segment[at:]}"
    kept = f"{user}:" if _PLAIN_USER.fullmatch(user) else ""
    return f"{kept}{MASK}{segment[at:]}"


def _redact_line(line: str) -> str:
    schemes = list(_SCHEME.finditer(line))
    if not schemes:
        return line
    out = [line[:schemes[0].start()]]
    for index, scheme in enumerate(schemes):
        end = schemes[index + 1].start() if index + 1 < len(schemes) else len(line)
        out += [scheme[0], _mask_userinfo(line[scheme.end():end])]
    return "".join(out)


def redact(text: str) -> str:
    """Text with every userinfo password and every password parameter replaced by `***`."""
    lines = text.split("\n")
    cleaned = "\n".join(_redact_line(line) for line in lines)
    return _SECRET_PARAM.sub(lambda m: f"{m[1]}={MASK}" if m[2] else m[0], cleaned)


def redact_url(url: str) -> str:
    """One address, possibly without a scheme (`alice:pw@host/x`): its passwords masked."""
    if _SCHEME.search(url) is None and "@" in url:
        url = _mask_userinfo(url)
    return redact(url)


def redact_secret(text: str, secret: str) -> str:
    """Also mask a known secret that appears outside a URL (for example in an FFmpeg message)."""
    out = redact(text)
    return out.replace(secret, MASK) if secret else out


def has_userinfo_password(url: str) -> bool:
    """Whether `rtsp://user:password@host` carries a password, even one no URL parser reads right."""
    rest = url.split("://", 1)[1] if "://" in url else url
    at = rest.rfind("@")
    if at < 0 or ":" not in rest[:at]:
        return False
    try:
        parts = urlsplit(url)
        _ = parts.port
    except ValueError:
        return True
    # An '@' in the path of an address whose host and port parse cleanly is not a userinfo.
    return parts.password is not None or "@" in parts.netloc


def secret_params(url: str) -> list[tuple[str, str]]:
    """The `password=`-like parameters of an address with their values (empty values left out)."""
    return [(m[1], m[2]) for m in _SECRET_PARAM.finditer(url) if m[2]]


class RedactingFilter(logging.Filter):
    """Logging filter that rewrites the final message of every record through `redact`."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact(message)
        if record.exc_info and record.exc_info[1] is not None:
            record.exc_text = redact(logging.Formatter().formatException(record.exc_info))
            record.exc_info = None
        elif record.exc_text:
            record.exc_text = redact(record.exc_text)
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        if cleaned != message or record.args:
            record.msg, record.args = cleaned, None
        return True
