"""Reading and exporting the audit trail for the user on duty (issue 19, points 2 and 4).

Each query asks for `view_audit` and each export for `export_audit` when it is made, here rather than when the
*Nhật ký thao tác* window opened: an admin's window left open across a shift change does not serve the officer who
took over. Each export is itself one `audit.exported` row, naming the file and how many rows it holds.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from console.audit.actions import AuditAction, AuditEntry
from console.audit.chain import ChainedRow
from console.audit.csv_export import write_csv
from console.officers.guard import Officers
from console.officers.roles import Permission


class AuditAccess:
    def __init__(self, officers: Officers) -> None:
        self.officers = officers

    def check_view(self) -> None:
        """Raises ActionRefusedError (audited) unless the user on duty may read the trail."""
        self.officers.require(Permission.VIEW_AUDIT)

    def export(self, rows: Sequence[ChainedRow], path: Path, lang: str = "vi") -> int:
        """Write `rows` as CSV to `path` (any thread) and record it; how many rows were written."""
        user = self.officers.require(Permission.EXPORT_AUDIT, target=str(path))
        count = write_csv(rows, path, lang)
        if self.officers.audit is not None:
            self.officers.audit(AuditEntry(AuditAction.AUDIT_EXPORTED, user.login, user.role.value, target=str(path),
                                           details={"rows": count}))
        return count
