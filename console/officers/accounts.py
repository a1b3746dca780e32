"""Logins checked and users managed, over the console's database (issue 19, points 1 and 3).

Passwords stay PBKDF2-SHA256 (600,000 iterations, `console.core.users`): the standard library has it, every
seed's hashes keep working, and OWASP's current guidance for PBKDF2 is met; argon2 would add a native package to
the Windows and Debian bundles for no gain the growing delay does not already give. Each call opens its own short
SQLite connection, so the UI runs it off the GUI thread (a hash takes ~0.15 s). Nothing here logs a password.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from functools import cache
from pathlib import Path

from console.audit.actions import AuditAction, AuditEntry
from console.core.users import LOGIN_PATTERN, Role, User, hash_password, verify_password
from console.core.vntime import now_ms
from console.officers.guard import Guard
from console.officers.roles import Permission
from console.store import logins

MIN_PASSWORD_CHARS = 8
FREE_ATTEMPTS = 3  # wrong passwords in a row before the delay starts
FIRST_DELAY_S = 2.0
MAX_DELAY_S = 300.0
BUSY_TIMEOUT_S = 10.0


@cache
def _dummy_hash() -> str:
    """Compared against when the login does not exist, so a wrong login costs what a wrong password costs."""
    return hash_password("-", salt=b"\0" * 16)


def delay_after(failures: int) -> float:
    """Seconds the next attempt must wait after `failures` wrong passwords in a row: 0, 0, 0, 2, 4, 8 … 300."""
    if failures < FREE_ATTEMPTS:
        return 0.0
    return min(MAX_DELAY_S, FIRST_DELAY_S * 2.0 ** (failures - FREE_ATTEMPTS))


class Outcome(StrEnum):
    OK = "ok"
    WRONG = "wrong"  # unknown login or wrong password: the officer is not told which
    DISABLED = "disabled"
    NO_PASSWORD = "no_password"  # seeded without a hash: an admin sets one
    WAIT = "wait"  # too many wrong passwords: try again in `wait_s`


@dataclass(frozen=True)
class LoginResult:
    outcome: Outcome
    user: User | None = None
    wait_s: float = 0.0  # WAIT: how long still; WRONG: the delay the next attempt will have

    def message(self, lang: str = "vi") -> str:
        wait = f"{self.wait_s:.0f}"
        texts = {
            Outcome.OK: ("", ""),
            Outcome.WRONG: ("Tên đăng nhập hoặc mật khẩu không đúng.", "Wrong user name or password."),
            Outcome.DISABLED: ("Tài khoản đã bị khóa. Liên hệ quản trị viên.",
                               "This account is disabled. Ask an administrator."),
            Outcome.NO_PASSWORD: ("Tài khoản chưa có mật khẩu. Nhờ quản trị viên đặt mật khẩu.",
                                  "This account has no password yet. Ask an administrator to set one."),
            Outcome.WAIT: (f"Nhập sai nhiều lần. Thử lại sau {wait} giây.",
                           f"Too many wrong passwords. Try again in {wait} s."),
        }
        vi, en = texts[self.outcome]
        if self.outcome is Outcome.WRONG and self.wait_s > 0:
            vi += f" Lần thử tiếp theo phải chờ {wait} giây."
            en += f" The next attempt must wait {wait} s."
        return en if lang == "en" else vi


class AccountError(Exception):
    """A user change that cannot be made; `message` names the field or the rule."""

    def __init__(self, vi: str, en: str) -> None:
        self.vi, self.en = vi, en
        super().__init__(en)

    def message(self, lang: str = "vi") -> str:
        return self.en if lang == "en" else self.vi


@dataclass(frozen=True)
class Account:
    """A user as the users editor shows it (never the hash)."""

    login: str
    full_name: str
    role: Role
    disabled: bool
    has_password: bool
    source: str


def _now_text() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class Accounts:
    def __init__(self, db_path: Path, audit: Callable[[AuditEntry], None] | None = None,
                 clock_ms: Callable[[], int] = now_ms) -> None:
        self.db_path = db_path
        self._audit = audit or (lambda _entry: None)
        self._clock_ms = clock_ms

    @contextmanager
    def _conn(self) -> Iterator[sqlite3.Connection]:
        conn = sqlite3.connect(self.db_path, timeout=BUSY_TIMEOUT_S)
        try:
            yield conn
        finally:
            conn.close()

    # Logins ------------------------------------------------------------------------------------------------

    def authenticate(self, login: str, password: str, *, workstation: str = "") -> LoginResult:
        """Check a login; every failure is audited (never the password) and slows the next attempt."""
        login = login.strip().lower()
        now = self._clock_ms()
        with self._conn() as conn:
            count, last_ms = logins.failures(conn, login)
            wait_s = delay_after(count) - (now - last_ms) / 1000
            if wait_s > 0:
                self._failed(login, "wait", {"wait_s": round(wait_s, 1)})
                return LoginResult(Outcome.WAIT, wait_s=wait_s)
            row = conn.execute("SELECT full_name, role, password_hash, disabled FROM users WHERE login = ?",
                               [login]).fetchone()
            stored = row[2] if row and row[2] else None
            good = verify_password(password, stored or _dummy_hash()) and stored is not None
            if row is not None and bool(row[3]):
                self._failed(login, "disabled", {})
                return LoginResult(Outcome.DISABLED)
            if row is not None and stored is None:
                self._failed(login, "no_password", {})
                return LoginResult(Outcome.NO_PASSWORD)
            if row is None or not good:
                count = logins.record_failure(conn, login, now)
                self._failed(login, "wrong", {"failures": count, "delay_s": delay_after(count)})
                return LoginResult(Outcome.WRONG, wait_s=delay_after(count))
            logins.clear_failures(conn, login)
        user = User(login, row[0], Role(row[1]))
        return LoginResult(Outcome.OK, user)

    def _failed(self, login: str, reason: str, details: dict[str, object]) -> None:
        self._audit(AuditEntry(AuditAction.LOGIN_FAILED, login or "-", details={"reason": reason, **details}))

    # Reading -----------------------------------------------------------------------------------------------

    def accounts(self) -> list[Account]:
        with self._conn() as conn:
            rows = conn.execute("SELECT login, full_name, role, disabled, password_hash IS NOT NULL AND "
                                "password_hash != '', COALESCE(source, '') FROM users ORDER BY login").fetchall()
        return [Account(r[0], r[1], Role(r[2]), bool(r[3]), bool(r[4]), r[5]) for r in rows]

    def active_users(self) -> list[User]:
        return [User(a.login, a.full_name, a.role) for a in self.accounts() if not a.disabled]

    def has_admin(self) -> bool:
        """An enabled admin who can log in: else the first start asks the technician to create one."""
        return any(a.role is Role.ADMIN and not a.disabled and a.has_password for a in self.accounts())

    # Changes -----------------------------------------------------------------------------------------------

    def create_first_admin(self, login: str, full_name: str, password: str) -> User:
        """The installation's first admin (no guard: there is nobody to ask); refused once one exists."""
        if self.has_admin():
            raise AccountError("Đã có quản trị viên: đăng nhập bằng tài khoản đó.",
                               "An administrator exists already: log in with that account.")
        user = self._insert(login, full_name, Role.ADMIN, password, source="first-start")
        self._changed("-", user.login, "first_admin", None, {"role": Role.ADMIN.value, "full_name": full_name})
        return user

    def add(self, guard: Guard, login: str, full_name: str, role: Role, password: str) -> User:
        actor = guard.require(Permission.MANAGE_USERS, target=login)
        user = self._insert(login, full_name, role, password, source="console")
        self._changed(actor.login, user.login, "added", None, {"role": role.value, "full_name": user.full_name})
        return user

    def set_disabled(self, guard: Guard, login: str, disabled: bool) -> None:
        actor = guard.require(Permission.MANAGE_USERS, target=login)
        account = self._account(login)
        if disabled and login == actor.login:
            raise AccountError("Không thể tự khóa tài khoản đang đăng nhập.", "You cannot disable your own account.")
        if disabled and account.role is Role.ADMIN:
            self._keep_an_admin(login)
        self._update(login, "disabled", int(disabled))
        self._changed(actor.login, login, "disabled" if disabled else "enabled", {"disabled": account.disabled},
                      {"disabled": disabled})

    def set_role(self, guard: Guard, login: str, role: Role) -> None:
        actor = guard.require(Permission.MANAGE_USERS, target=login)
        account = self._account(login)
        if account.role is Role.ADMIN and role is not Role.ADMIN:
            self._keep_an_admin(login)
        self._update(login, "role", role.value)
        self._changed(actor.login, login, "role", {"role": account.role.value}, {"role": role.value})

    def set_full_name(self, guard: Guard, login: str, full_name: str) -> None:
        actor = guard.require(Permission.MANAGE_USERS, target=login)
        account = self._account(login)
        name = _full_name(full_name)
        self._update(login, "full_name", name)
        self._changed(actor.login, login, "full_name", {"full_name": account.full_name}, {"full_name": name})

    def reset_password(self, guard: Guard, login: str, password: str) -> None:
        actor = guard.require(Permission.MANAGE_USERS, target=login)
        self._account(login)
        self._update(login, "password_hash", hash_password(_strong(password)))
        with self._conn() as conn:
            logins.clear_failures(conn, login)
        self._changed(actor.login, login, "password_reset", None, None)

    def change_own_password(self, user: User, old: str, new: str) -> None:
        """Any user, for themselves: the old password is asked again (the desk may have changed hands)."""
        with self._conn() as conn:
            row = conn.execute("SELECT password_hash FROM users WHERE login = ?", [user.login]).fetchone()
        if row is None or not row[0] or not verify_password(old, row[0]):
            raise AccountError("Mật khẩu hiện tại không đúng.", "The current password is wrong.")
        self._update(user.login, "password_hash", hash_password(_strong(new)))
        self._changed(user.login, user.login, "own_password", None, None)

    def _insert(self, login: str, full_name: str, role: Role, password: str, *, source: str) -> User:
        login = login.strip().lower()
        if not LOGIN_PATTERN.match(login):
            raise AccountError("Tên đăng nhập: 2–32 ký tự a-z, 0-9, dấu chấm, gạch dưới, gạch ngang.",
                               "User name: 2–32 of a-z, 0-9, dot, underscore, hyphen.")
        name = _full_name(full_name)
        digest = hash_password(_strong(password))
        with self._conn() as conn, conn:
            try:
                conn.execute("INSERT INTO users (login, full_name, role, password_hash, source, created_utc, disabled)"
                             " VALUES (?, ?, ?, ?, ?, ?, 0)", [login, name, role.value, digest, source, _now_text()])
            except sqlite3.IntegrityError:
                raise AccountError(f"Tên đăng nhập {login} đã có.", f"The user name {login} exists already.") from None
        return User(login, name, role)

    def _account(self, login: str) -> Account:
        for account in self.accounts():
            if account.login == login:
                return account
        raise AccountError(f"Không có tài khoản {login}.", f"No user {login}.")

    def _keep_an_admin(self, login: str) -> None:
        others = [a for a in self.accounts() if a.role is Role.ADMIN and not a.disabled and a.login != login]
        if not others:
            raise AccountError("Phải còn ít nhất một quản trị viên đang hoạt động.",
                               "At least one enabled administrator must remain.")

    def _update(self, login: str, column: str, value: object) -> None:
        assert column in {"disabled", "role", "full_name", "password_hash"}
        with self._conn() as conn, conn:
            conn.execute(f"UPDATE users SET {column} = ? WHERE login = ?", [value, login])

    def _changed(self, actor: str, login: str, change: str, before: dict[str, object] | None,
                 after: dict[str, object] | None) -> None:
        details: dict[str, object] = {"change": change}
        if before is not None:
            details["before"] = before
        if after is not None:
            details["after"] = after
        self._audit(AuditEntry(AuditAction.USER_CHANGED, actor, target=login, details=details))


def _full_name(text: str) -> str:
    name = " ".join(text.split())
    if not name:
        raise AccountError("Họ và tên: bắt buộc.", "Full name: required.")
    return name


def _strong(password: str) -> str:
    if len(password) < MIN_PASSWORD_CHARS:
        raise AccountError(f"Mật khẩu phải có ít nhất {MIN_PASSWORD_CHARS} ký tự.",
                           f"A password needs at least {MIN_PASSWORD_CHARS} characters.")
    return password
