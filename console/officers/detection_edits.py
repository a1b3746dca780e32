"""Changing a camera's detection zones and sensitivity (issue 19, point 2: admins only): the role is checked here,
where the change is kept and applied, not only by the dialog that offers it; each change is one *Thay đổi cài đặt*
row with the settings before and after."""

from __future__ import annotations

from console.audit.actions import AuditAction
from console.core.analytics import AnalyticsSettings
from console.media.analytics import AnalyticsWorker
from console.officers.guard import Officers
from console.officers.roles import Permission
from console.store.analytics_settings import AnalyticsSettingsStore


class DetectionEdits:
    def __init__(self, officers: Officers, worker: AnalyticsWorker, store: AnalyticsSettingsStore | None) -> None:
        self.officers = officers
        self._worker = worker
        self._store = store

    def check(self, camera_id: str) -> None:
        """Raises ActionRefusedError (audited) unless the user on duty may change this camera's detection."""
        self.officers.require(Permission.EDIT_ANALYTICS, camera=camera_id)

    def save(self, camera_id: str, chosen: AnalyticsSettings) -> None:
        """Keep `chosen` in the database and apply it at once; refused (and nothing changed) for an officer."""
        self.check(camera_id)
        before = self._worker.settings(camera_id)
        self.officers.record(AuditAction.SETTINGS_CHANGED, camera=camera_id, target="analytics",
                             details={"before": repr(before), "after": repr(chosen)})
        if self._store is not None:
            self._store.save(camera_id, chosen)
        self._worker.update_settings(camera_id, chosen)
