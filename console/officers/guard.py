"""The check every guarded action makes where it is performed: who is on duty, may their role do it; a refusal
is recorded in the audit trail and explained in Vietnamese (issue 19, point 2)."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from console.audit.actions import AuditAction, AuditEntry
from console.core.login_settings import DEFAULT_LOGIN, LoginSettings
from console.core.users import Role, User
from console.officers.roles import ACTION_NAMES, Permission, allowed, needed_role


class ActionRefusedError(Exception):
    """The user on duty (or nobody, at the lock screen) may not do this; `message` says so to the officer."""

    def __init__(self, permission: Permission, user: User | None, needs: Role) -> None:
        self.permission = permission
        self.user = user
        self.needs = needs
        super().__init__(f"{permission.value} refused to {user.login if user else '(nobody logged in)'}")

    def message(self, lang: str = "vi") -> str:
        vi, en = ACTION_NAMES[self.permission]
        if self.user is None:
            return (f"Cần đăng nhập để {vi}." if lang != "en" else f"Log in to {en}.")
        if self.needs is Role.ADMIN:
            return (f"Chỉ quản trị viên được {vi}. Tài khoản {self.user.login} là cán bộ trực ban."
                    if lang != "en" else f"Only an administrator may {en}. {self.user.login} is a duty officer.")
        return f"Tài khoản {self.user.login} không được {vi}." if lang != "en" else f"{self.user.login} may not {en}."


class Guard:
    """Asks `on_duty()` who acts now (None while the screen is locked or nobody logged in)."""

    def __init__(self, on_duty: Callable[[], User | None], settings: LoginSettings = DEFAULT_LOGIN,
                 audit: Callable[[AuditEntry], None] | None = None) -> None:
        self._on_duty = on_duty
        self.settings = settings
        self._audit = audit

    def user(self) -> User | None:
        return self._on_duty()

    def may(self, permission: Permission) -> bool:
        user = self._on_duty()
        return user is not None and allowed(user.role, permission, self.settings)

    def require(self, permission: Permission, *, camera: str | None = None, target: str | None = None) -> User:
        """The user on duty if their role allows `permission`; else the refusal is audited and raised."""
        user = self._on_duty()
        if user is not None and allowed(user.role, permission, self.settings):
            return user
        needs = needed_role(permission, self.settings)
        if self._audit is not None:
            self._audit(AuditEntry(AuditAction.ACTION_REFUSED, user.login if user else "-",
                                   user.role.value if user else None, camera=camera, target=target,
                                   details={"action": permission.value, "needs_role": needs.value}))
        raise ActionRefusedError(permission, user, needs)


def open_guard() -> Guard:
    """No logins (tools, tests of one widget): an admin acts. The console itself always builds a real one."""
    admin = User("-", "-", Role.ADMIN)
    return Guard(lambda: admin)


class Officers:
    """What a guarded service is handed: the guard that says who may, and where their actions are recorded."""

    def __init__(self, guard: Guard, audit: Callable[[AuditEntry], None] | None = None) -> None:
        self.guard = guard
        self.audit = audit

    def require(self, permission: Permission, *, camera: str | None = None, target: str | None = None) -> User:
        return self.guard.require(permission, camera=camera, target=target)

    def may(self, permission: Permission) -> bool:
        return self.guard.may(permission)

    def user(self) -> User | None:
        return self.guard.user()

    def record(self, action: AuditAction, *, camera: str | None = None, target: str | None = None,
               details: Mapping[str, object] | None = None) -> None:
        """One audit row for the user on duty ("-" when nobody is: a system action)."""
        if self.audit is None:
            return
        user = self.guard.user()
        self.audit(AuditEntry(action, user.login if user else "-", user.role.value if user else None,
                              camera=camera, target=target, details=dict(details or {})))


def open_officers() -> Officers:
    """For a window built without logins (tests of one widget, tools): an admin acts, nothing is recorded."""
    return Officers(open_guard())
