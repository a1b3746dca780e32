"""Site file edits as the officers' layer sees them: only a role allowed to (admins) writes, and every write is
one *Thay đổi cài đặt* row in the audit trail with the lines before and after (the site file holds no
passwords: those are in the credentials store, which this never reads)."""

from __future__ import annotations

import difflib
from collections.abc import Callable
from pathlib import Path

from console.audit.actions import AuditAction, AuditEntry
from console.core.config_edit import SiteFileEditor
from console.officers.guard import Guard
from console.officers.roles import Permission

MAX_DIFF_LINES = 200


def changed_lines(before: str, after: str) -> dict[str, object]:
    """The lines that differ (a unified diff without context), capped: what the audit row keeps."""
    diff = [line for line in difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=0)
            if not line.startswith(("---", "+++", "@@"))]
    removed = [line[1:] for line in diff if line.startswith("-")]
    added = [line[1:] for line in diff if line.startswith("+")]
    return {"before": removed[:MAX_DIFF_LINES], "after": added[:MAX_DIFF_LINES],
            "truncated": len(removed) > MAX_DIFF_LINES or len(added) > MAX_DIFF_LINES}


def guarded_editor(path: Path, guard: Guard, audit: Callable[[AuditEntry], None] | None,
                   permission: Permission = Permission.EDIT_SITE) -> SiteFileEditor:
    """A SiteFileEditor that asks `guard` for `permission` before each write and audits what it wrote."""

    def authorize() -> None:
        guard.require(permission, target=str(path))

    def changed(before: str, after: str) -> None:
        user = guard.user()
        if audit is not None:
            audit(AuditEntry(AuditAction.SETTINGS_CHANGED, user.login if user else "-",
                             user.role.value if user else None, target=f"site:{path.name}",
                             details={"permission": permission.value, **changed_lines(before, after)}))

    return SiteFileEditor(path, authorize=authorize, changed=changed)
