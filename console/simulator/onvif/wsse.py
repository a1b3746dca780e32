"""WS-Security UsernameToken with PasswordDigest, checked as a camera does: against its own clock, once per nonce.

Window: a Created more than `CREATED_WINDOW_S` from the camera's clock is refused. Cameras differ (WS-Security
suggests minutes, and some firmware takes them); Hikvision-class cameras and the clones in the communes refuse
a few seconds off (a camera 20 s off was refused in onvif-rs#121, one past 5 s in home-assistant#121952), and
that strict side is the one the console must cope with, so the simulator is strict too.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import time
import xml.etree.ElementTree as ET
from collections import OrderedDict
from dataclasses import dataclass
from datetime import UTC, datetime

from console.core.credentials import Credentials
from console.simulator.onvif.soap import WSSE, WSU, not_authorized, tag, text_of

CREATED_WINDOW_S = 5.0
NONCE_MEMORY = 4096  # nonces remembered per camera, oldest forgotten first
NONCE_TTL_S = 600.0  # longer than any window, so a clock set back cannot revive a recorded request
PASSWORD_DIGEST = ("http://docs.oasis-open.org/wss/2004/01/"
                   "oasis-200401-wss-username-token-profile-1.0#PasswordDigest")


def password_digest(nonce: bytes, created: str, password: str) -> str:
    """Base64(SHA-1(nonce + created + password)), the UsernameToken profile's PasswordDigest."""
    return base64.b64encode(hashlib.sha1(nonce + created.encode() + password.encode()).digest()).decode()


@dataclass(frozen=True)
class UsernameToken:
    username: str
    digest: str
    nonce: bytes
    created: str  # as sent: the digest covers these exact characters

    @classmethod
    def from_header(cls, header: ET.Element | None) -> UsernameToken | None:
        """The token of a SOAP Header, None without one; a token that cannot be a digest token is refused."""
        token = None if header is None else header.find(f"{tag(WSSE, 'Security')}/{tag(WSSE, 'UsernameToken')}")
        if token is None:
            return None
        password = token.find(tag(WSSE, "Password"))
        username = text_of(token, (WSSE, "Username"))
        nonce = text_of(token, (WSSE, "Nonce"))
        created = text_of(token, (WSU, "Created"))
        if password is None or password.get("Type") != PASSWORD_DIGEST:
            # PasswordText (also what a missing Type means) would put the password on the wire: refused
            raise not_authorized()
        if not (username and nonce and created):
            raise not_authorized()
        try:
            raw_nonce = base64.b64decode(nonce, validate=True)
        except binascii.Error:
            raise not_authorized() from None
        return cls(username, (password.text or "").strip(), raw_nonce, created)


def _created_at(created: str) -> datetime:
    try:
        value = datetime.fromisoformat(created)
    except ValueError:
        raise not_authorized() from None
    return value if value.tzinfo else value.replace(tzinfo=UTC)


class NonceGuard:
    """Refuses a nonce seen before within the window (a replayed request)."""

    def __init__(self, memory: int = NONCE_MEMORY) -> None:
        self._seen: OrderedDict[bytes, float] = OrderedDict()
        self._memory = memory

    def accept(self, nonce: bytes) -> bool:
        now = time.monotonic()
        while self._seen and (len(self._seen) >= self._memory
                              or now - next(iter(self._seen.values())) > NONCE_TTL_S):
            self._seen.popitem(last=False)
        if nonce in self._seen:
            return False
        self._seen[nonce] = now
        return True


def check(token: UsernameToken | None, credentials: Credentials | None, camera_now: datetime,
          nonces: NonceGuard) -> None:
    """Raise ter:NotAuthorized unless `token` proves `credentials` at `camera_now`; no credentials: anyone."""
    if credentials is None:
        return
    if token is None or token.username != credentials.username:
        raise not_authorized()
    expected = password_digest(token.nonce, token.created, credentials.password)
    if not hmac.compare_digest(expected.encode(), token.digest.encode()):
        raise not_authorized()
    if abs((_created_at(token.created) - camera_now).total_seconds()) > CREATED_WINDOW_S:
        raise not_authorized()
    if not nonces.accept(token.nonce):
        raise not_authorized()
