"""Who is on duty at this desk: the login, the lock screen, the shift change (issue 19, points 1 and 6).

The state is plain: `user` (who acts), `locked` (the lock screen is up: nobody acts, the wall and the recorder go
on), `shift_started_ms` (when the officer on duty logged in or took over: the handover report's period starts
there). Every change is one audit row and reaches the listeners (the window, the guard's callers).
"""

from __future__ import annotations

import socket
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from console.audit.actions import AuditAction, AuditEntry
from console.core.users import User
from console.core.vntime import now_ms


class Change(StrEnum):
    LOGIN = "login"
    LOCK = "lock"
    UNLOCK = "unlock"
    SHIFT = "shift"
    LOGOUT = "logout"


@dataclass(frozen=True)
class Shift:
    """One officer's stretch at the desk, from the login record (the handover report's names and period)."""

    user: User
    started_ms: int
    ended_ms: int | None = None


def workstation() -> str:
    try:
        return socket.gethostname()
    except OSError:
        return "-"


class Duty:
    def __init__(self, audit: Callable[[AuditEntry], None] | None = None,
                 clock_ms: Callable[[], int] = now_ms) -> None:
        self.audit: Callable[[AuditEntry], None] = audit or (lambda _entry: None)  # set again when the wall is
        # rebuilt (a new audit writer): the officer on duty stays logged in across it
        self._clock_ms = clock_ms
        self.shift: Shift | None = None
        self.previous: Shift | None = None  # the shift handed over last (its report is written after)
        self.locked = True  # the console opens on the login
        self.listeners: list[Callable[[Change], None]] = []

    @property
    def user(self) -> User | None:
        """Who acts now: None at the login and while the screen is locked."""
        return None if self.locked or self.shift is None else self.shift.user

    @property
    def on_duty(self) -> User | None:
        """Who is on duty, also behind the lock screen (the name the lock screen shows)."""
        return self.shift.user if self.shift is not None else None

    def actor(self) -> str:
        """The login written in the audit for what the desk does now ("-" at the lock screen)."""
        return self.shift.user.login if self.shift is not None else "-"

    def actor_role(self) -> str | None:
        """The role of `actor()` (None when nobody is on duty)."""
        return self.shift.user.role.value if self.shift is not None else None

    def login(self, user: User) -> None:
        """The first login of a session (the console opened on the login, or after a logout)."""
        now = self._clock_ms()
        self.shift = Shift(user, now)
        self.locked = False
        self._record(AuditAction.LOGIN, user, {"workstation": workstation()}, now)
        self._tell(Change.LOGIN)

    def lock(self, *, idle: bool = False) -> None:
        if self.locked or self.shift is None:
            return
        self.locked = True
        self._record(AuditAction.LOCK, self.shift.user, {"idle": True} if idle else {})
        self._tell(Change.LOCK)

    def unlock(self, user: User) -> None:
        """The officer on duty unlocks; another officer unlocking takes over the shift."""
        if self.shift is None:
            self.login(user)
            return
        if user.login != self.shift.user.login:
            self.take_over(user)
            return
        self.locked = False
        self._record(AuditAction.UNLOCK, user, {})
        self._tell(Change.UNLOCK)

    def take_over(self, user: User) -> Shift | None:
        """*Giao ca*: `user` takes over from the officer on duty; returns the shift that ended (for its report)."""
        now = self._clock_ms()
        ended = Shift(self.shift.user, self.shift.started_ms, now) if self.shift is not None else None
        self.previous = ended
        self.shift = Shift(user, now)
        self.locked = False
        handed = {"handed_over_by": ended.user.login, "handed_over_by_name": ended.user.full_name,
                  "shift_started_ms": ended.started_ms} if ended else {}
        self._record(AuditAction.SHIFT_CHANGE, user, handed, now)
        self._tell(Change.SHIFT)
        return ended

    def logout(self) -> None:
        if self.shift is None:
            return
        self._record(AuditAction.LOGOUT, self.shift.user, {})
        self.previous = Shift(self.shift.user, self.shift.started_ms, self._clock_ms())
        self.shift = None
        self.locked = True
        self._tell(Change.LOGOUT)

    def _record(self, action: AuditAction, user: User, details: dict[str, object], at_ms: int | None = None) -> None:
        self.audit(AuditEntry(action, user.login, user.role.value, details=details,
                               at_ms=at_ms if at_ms is not None else self._clock_ms()))

    def _tell(self, change: Change) -> None:
        for listener in list(self.listeners):
            listener(change)
