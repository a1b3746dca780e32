"""PTZ gestures into the audit trail: one row per gesture when it ends (a held drag is one row, not one per
repeated ContinuousMove), with what it was, how long, and how the camera was stopped."""

from __future__ import annotations

import getpass
from collections.abc import Callable

from console.audit.actions import AuditAction, AuditEntry
from console.audit.chain import SYSTEM_USER
from console.onvif.ptz import PtzGesture


def workstation_user() -> str:
    """Who acts until logins exist (issue 19): the workstation's account, never a name picked from a list."""
    try:
        return getpass.getuser()
    except (OSError, KeyError):
        return "-"


def ptz_entry(gesture: PtzGesture, user: str, role: str | None = None) -> AuditEntry:
    details: dict[str, object] = {"gesture": gesture.kind.value, "commands": gesture.commands}
    for name in ("duration_s", "stop", "detail", "error_kind"):
        value = getattr(gesture, name)
        if value not in (None, ""):
            details[name] = value
    if gesture.end is not None:
        details["end"] = gesture.end.value
    actor = gesture.actor or user
    # The console's own moves (a home return after idle) are the system's: not under the officer's role either.
    return AuditEntry(AuditAction.PTZ, actor, None if actor == SYSTEM_USER else role, camera=gesture.camera_id,
                      details=details, at_ms=gesture.started_ms)


def audit_ptz(append: Callable[[AuditEntry], None], user: Callable[[], str] = workstation_user,
              role: Callable[[], str | None] = lambda: None) -> Callable[[PtzGesture], None]:
    """The `on_gesture` callback of the PTZ controllers: ended gestures only (the start is reported too); `user`
    and `role` name the officer on duty."""

    def record(gesture: PtzGesture) -> None:
        if gesture.ended_ms is not None:
            append(ptz_entry(gesture, user(), role()))

    return record
