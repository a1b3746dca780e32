"""Camera credentials kept apart from the site configuration, in a file only its owner can read.

The store is TOML, one table per reference a camera names in the site file (`credentials = "cam-c01"`):

    [cam-c01]
    username = "admin"
    password = "…"

How the password reaches the camera depends on the stream address in the site file:
- a plain address, `rtsp://192.168.1.64:554/Streaming/Channels/101`: user and password go into its
  userinfo (`rtsp://admin:…@192.168.1.64:554/…`), percent-encoded;
- an address with placeholders, for DVRs that want them in the query or the path:
  `rtsp://192.168.1.70:554/user={user}&password={password}&channel=1&stream=0.sdp` or
  `rtsp://192.168.1.70/live?user={user}&pwd={password}`: `{user}` and `{password}` are replaced by the
  stored values (percent-encoded, so a `&` in a password cannot end the parameter) and nothing is added to
  the userinfo. The site file itself never holds a password; its validation refuses one in either place.
"""

from __future__ import annotations

import os
import stat
import sys
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, urlsplit, urlunsplit

from console.core import toml_file
from console.core.config_messages import Param, Problem, render
from console.core.redact import MASK

USER_PLACEHOLDER = "{user}"
PASSWORD_PLACEHOLDER = "{password}"


@dataclass(frozen=True)
class Credentials:
    username: str
    password: str

    def __repr__(self) -> str:  # never let a password reach a log through repr()
        return f"Credentials(username={self.username!r}, password={MASK!r})"

    __str__ = __repr__


class CredentialStoreError(Exception):
    """The credentials file cannot be used; the message is safe to show (it holds no password)."""

    def __init__(self, problem: Problem, **params: Param) -> None:
        self.problem = problem
        self.params = params
        super().__init__(render(problem, "en", params))

    def message(self, lang: str = "vi") -> str:
        return render(self.problem, lang, self.params)


def _check_private(path: Path) -> None:
    if sys.platform == "win32":  # NTFS ACLs of the user's profile folder protect it there
        return
    mode = stat.S_IMODE(path.stat().st_mode)
    if mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise CredentialStoreError(Problem.CREDENTIALS_PERMISSIONS, store=str(path), mode=f"{mode:o}")


class CredentialStore:
    """Reads `[ref] username = … password = …` tables from a 0600 TOML file."""

    def __init__(self, entries: dict[str, Credentials], path: Path | None = None) -> None:
        self._entries = dict(entries)
        self.path = path

    @classmethod
    def load(cls, path: Path) -> CredentialStore:
        if not path.exists():
            return cls({}, path)
        _check_private(path)
        return cls.read(path)

    @classmethod
    def read(cls, path: Path) -> CredentialStore:
        """Parse a store without the owner-only check: for a technician's file brought on a USB stick
        (FAT has no permissions) that `merge` copies into the private store."""
        data = toml_file.read(path)
        if isinstance(data, toml_file.TomlFault):  # its reason is our words: the parser's could quote a password
            raise CredentialStoreError(data.store_problem(), store=str(path), **data.store_params())
        entries: dict[str, Credentials] = {}
        for ref, table in data.items():
            if isinstance(table, dict) and isinstance(table.get("username"), str):
                entries[ref] = Credentials(table["username"], str(table.get("password", "")))
        return cls(entries, path)

    def refs(self) -> set[str]:
        return set(self._entries)

    def get(self, ref: str | None) -> Credentials | None:
        return self._entries.get(ref) if ref else None

    def save(self, path: Path | None = None) -> Path:
        """Write the store with mode 0600 from the first byte (never readable by others, even briefly)."""
        target = path or self.path
        if target is None:
            raise ValueError("no path for the credentials store")
        target.parent.mkdir(parents=True, exist_ok=True)
        lines = []
        for ref, cred in sorted(self._entries.items()):
            lines.append(f"[{_toml_key(ref)}]\nusername = {_toml_str(cred.username)}\n"
                         f"password = {_toml_str(cred.password)}\n")
        tmp = target.with_suffix(".tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write("\n".join(lines))
        os.replace(tmp, target)
        self.path = target
        return target

    def put(self, ref: str, credentials: Credentials) -> None:
        self._entries[ref] = credentials

    def merge(self, other: CredentialStore) -> list[str]:
        """Take every entry of `other` (replacing same-named ones); return the references taken."""
        self._entries.update(other._entries)
        return sorted(other._entries)


def _toml_str(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _toml_key(value: str) -> str:
    return value if value.replace("-", "").replace("_", "").isalnum() else _toml_str(value)


def has_placeholders(url: str) -> bool:
    return USER_PLACEHOLDER in url or PASSWORD_PLACEHOLDER in url


def with_credentials(url: str, credentials: Credentials | None) -> str:
    """The URL a media client opens: the stream address with user and password filled in (its placeholders,
    else its userinfo)."""
    if credentials is None:
        return url
    if has_placeholders(url):
        return url.replace(USER_PLACEHOLDER, quote(credentials.username, safe="")).replace(
            PASSWORD_PLACEHOLDER, quote(credentials.password, safe=""))
    parts = urlsplit(url)
    host = parts.hostname or ""
    if ":" in host:
        host = f"[{host}]"
    netloc = f"{quote(credentials.username, safe='')}:{quote(credentials.password, safe='')}@{host}"
    if parts.port is not None:
        netloc += f":{parts.port}"
    return urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))
