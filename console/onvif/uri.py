"""Stream addresses as cameras give them (GetStreamUri), made fit for the site file: no credentials inside.

Some firmwares answer `rtsp://admin:12345@192.168.1.64:554/…` (the login of the ONVIF request copied into
the URI), cheap DVRs `…?user=admin&password=12345&channel=1`. The userinfo is dropped (the console adds the
stored credentials when it opens the stream, `console.core.credentials.with_credentials`), and query or path
parameters carrying a login become the `{user}` / `{password}` placeholders that the same function fills.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from console.core.credentials import PASSWORD_PLACEHOLDER, USER_PLACEHOLDER
from console.core.redact import SECRET_PARAMS

USER_PARAMS = ("user", "username", "usr", "loginuse")
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*://)(.*)$", re.DOTALL)
# What follows a userinfo's '@': a host name, an IPv4 or a bracketed IPv6, then a port, path, query or the end.
_HOST_AFTER = re.compile(r"(?:\[[0-9A-Fa-f:.%]+\]|[A-Za-z0-9._~%-]+)(?=$|[:/?#])")
_PASSWORD_PARAM = re.compile(r"(?i)(?<![A-Za-z0-9_])(" + "|".join(SECRET_PARAMS) + r")=([^&#;/]*)")
_USER_PARAM = re.compile(r"(?i)(?<![A-Za-z0-9_])(" + "|".join(USER_PARAMS) + r")=([^&#;/]*)")


def _parses_without_userinfo(uri: str) -> bool:
    try:
        parts = urlsplit(uri)
        _ = parts.port
    except ValueError:
        return False
    return "@" not in parts.netloc and bool(parts.hostname)


def _without_userinfo(rest: str) -> str:
    """`rest` (what follows `scheme://`) without `user:password@`. A password may hold '/', '?' or '@', so
    the userinfo ends at the last '@' that is followed by something shaped like a host."""
    ends = [i for i, ch in enumerate(rest) if ch == "@" and _HOST_AFTER.match(rest, i + 1)]
    return rest[ends[-1] + 1:] if ends else rest


def strip_credentials(uri: str) -> str:
    """`uri` with its userinfo removed and login parameters turned into placeholders."""
    uri = uri.strip()
    match = _SCHEME.match(uri)
    if match is not None and not _parses_without_userinfo(uri):  # an '@' in a path is no userinfo
        uri = match[1] + _without_userinfo(match[2])
    if _PASSWORD_PARAM.search(uri) is None:
        return uri
    uri = _PASSWORD_PARAM.sub(lambda m: f"{m[1]}={PASSWORD_PLACEHOLDER}", uri)
    return _USER_PARAM.sub(lambda m: f"{m[1]}={USER_PLACEHOLDER}", uri)
