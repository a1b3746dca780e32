"""The console's users (duty officers, administrators): the seed's `users.toml` and password hashes.

```toml
[[users]]
login = "trucban1"
full_name = "Nguyễn Văn An"
role = "officer"                      # officer | admin
password_hash = "pbkdf2_sha256$600000$…$…"   # optional: made by `packaging/build.py hash-password`
```
Plain passwords are refused: the seed ships inside an installer every user of the machine can read.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets
import tomllib
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

HASH_SCHEME = "pbkdf2_sha256"
HASH_ITERATIONS = 600_000
LOGIN_PATTERN = re.compile(r"^[a-z0-9._-]{2,32}$")


class Role(StrEnum):
    OFFICER = "officer"
    ADMIN = "admin"


@dataclass(frozen=True)
class User:
    login: str
    full_name: str
    role: Role
    password_hash: str | None = None

    def __repr__(self) -> str:  # a hash is not a password, but it has no business in a log either
        return f"User(login={self.login!r}, full_name={self.full_name!r}, role={self.role.value!r})"


class UsersFileError(Exception):
    """users.toml cannot be used; every problem names the entry and the field."""

    def __init__(self, path: Path, problems: list[str]) -> None:
        self.path = path
        self.problems = problems
        super().__init__(f"{path}: " + "; ".join(problems))


def _b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode("ascii").rstrip("=")


def hash_password(password: str, *, iterations: int = HASH_ITERATIONS, salt: bytes | None = None) -> str:
    salt = salt or secrets.token_bytes(16)
    digest = hashlib.pbkdf2_hmac("sha256", password.encode("utf-8"), salt, iterations)
    return f"{HASH_SCHEME}${iterations}${_b64(salt)}${_b64(digest)}"


def _unb64(text: str) -> bytes:
    return base64.b64decode(text + "=" * (-len(text) % 4))


def is_password_hash(text: str) -> bool:
    parts = text.split("$")
    if len(parts) != 4 or parts[0] != HASH_SCHEME or not parts[1].isdigit():
        return False
    try:
        return len(_unb64(parts[2])) >= 8 and len(_unb64(parts[3])) == 32
    except ValueError:
        return False


def verify_password(password: str, stored: str) -> bool:
    if not is_password_hash(stored):
        return False
    _, iterations, salt, digest = stored.split("$")
    candidate = hashlib.pbkdf2_hmac("sha256", password.encode("utf-8"), _unb64(salt), int(iterations))
    return hmac.compare_digest(candidate, _unb64(digest))


def _user(index: int, entry: object, problems: list[str]) -> User | None:
    where = f"users[{index}]"
    if not isinstance(entry, dict):
        problems.append(f"{where}: expected a table")
        return None
    login, name, role = entry.get("login"), entry.get("full_name"), entry.get("role", Role.OFFICER.value)
    password, password_hash = entry.get("password"), entry.get("password_hash")
    before = len(problems)
    if not isinstance(login, str) or not LOGIN_PATTERN.match(login):
        problems.append(f"{where}.login: expected 2–32 of a-z 0-9 . _ -, got {login!r}")
    if not isinstance(name, str) or not name.strip():
        problems.append(f"{where}.full_name: required")
    if role not in {r.value for r in Role}:
        problems.append(f"{where}.role: expected officer or admin, got {role!r}")
    if password is not None:
        problems.append(f"{where}.password: plain passwords are not allowed; give password_hash "
                        "(packaging/build.py hash-password)")
    if password_hash is not None and not (isinstance(password_hash, str) and is_password_hash(password_hash)):
        problems.append(f"{where}.password_hash: not a {HASH_SCHEME} hash")
    unknown = set(entry) - {"login", "full_name", "role", "password", "password_hash"}
    if unknown:
        problems.append(f"{where}: unknown field(s) {', '.join(sorted(unknown))}")
    if len(problems) > before:
        return None
    assert isinstance(login, str) and isinstance(name, str)
    return User(login, name.strip(), Role(role), password_hash if isinstance(password_hash, str) else None)


def load_users(path: Path) -> list[User]:
    """Parse and validate a users file; raise UsersFileError listing every problem."""
    try:
        data = tomllib.loads(path.read_text("utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise UsersFileError(path, [str(exc)]) from None
    problems: list[str] = []
    entries = data.get("users", [])
    if not isinstance(entries, list):
        raise UsersFileError(path, ["users: expected [[users]] tables"])
    users = [u for i, e in enumerate(entries) if (u := _user(i, e, problems)) is not None]
    seen: set[str] = set()
    for user in users:
        if user.login in seen:
            problems.append(f"login {user.login!r} appears twice")
        seen.add(user.login)
    if problems:
        raise UsersFileError(path, problems)
    return users
