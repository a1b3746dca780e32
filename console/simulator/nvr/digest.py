"""HTTP Digest authentication as the recorders ask for it (RFC 7616 with MD5 and qop=auth; Hikvision's challenge
also carries `stale`), checked against the recorder's users.

A nonce lives `NONCE_TTL_S`: clients reuse one for many requests (aiohttp's middleware answers every later request
with it, the nonce count going up); after that the recorder says `stale=TRUE` and the client signs again without
asking the officer for the password.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import time
from dataclasses import dataclass

NONCE_TTL_S = 600.0
_FIELD = re.compile(r'(\w+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^,\s]+))')


@dataclass(frozen=True)
class RecorderUser:
    username: str
    password: str
    playback: bool = True  # may search, play back and download recordings (an operator without it gets 403)


def _md5(text: str) -> str:
    return hashlib.md5(text.encode("utf-8")).hexdigest()


def parse_fields(header: str) -> dict[str, str]:
    """The name=value pairs after `Digest `."""
    return {m.group(1).lower(): (m.group(2) if m.group(2) is not None else m.group(3))
            for m in _FIELD.finditer(header)}


class DigestGuard:
    """Challenges and checks one recorder's requests."""

    def __init__(self, realm: str, users: tuple[RecorderUser, ...]) -> None:
        self.realm = realm
        self._users = {user.username: user for user in users}
        self._nonces: dict[str, float] = {}

    def challenge(self, stale: bool = False) -> str:
        now = time.monotonic()
        for nonce, born in tuple(self._nonces.items()):
            if now - born > NONCE_TTL_S:
                del self._nonces[nonce]
        nonce = secrets.token_hex(16)
        self._nonces[nonce] = now
        return (f'Digest realm="{self.realm}", qop="auth", nonce="{nonce}", algorithm=MD5, '
                f'stale="{"TRUE" if stale else "FALSE"}"')

    def check(self, method: str, target: str, header: str) -> tuple[RecorderUser | None, bool]:
        """(the user whose signature this is, None: refused; whether only the nonce was too old)."""
        if not header.lower().startswith("digest "):
            return None, False
        fields = parse_fields(header[7:])
        user = self._users.get(fields.get("username", ""))
        nonce = fields.get("nonce", "")
        if user is None or fields.get("uri") != target or fields.get("realm") != self.realm:
            return None, False
        ha1 = _md5(f"{user.username}:{self.realm}:{user.password}")
        ha2 = _md5(f"{method}:{target}")
        if fields.get("qop") == "auth":
            expected = _md5(f"{ha1}:{nonce}:{fields.get('nc', '')}:{fields.get('cnonce', '')}:auth:{ha2}")
        else:
            expected = _md5(f"{ha1}:{nonce}:{ha2}")
        if not hmac.compare_digest(expected, fields.get("response", "")):
            return None, False
        born = self._nonces.get(nonce)
        if born is None or time.monotonic() - born > NONCE_TTL_S:
            return None, True  # a right password with a nonce we no longer know: sign again
        return user, False
