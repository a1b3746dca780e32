"""The *Xem lại* menu's *Xóa ghi hình…* entry: shown to those who may delete recordings (admins), the dialog on
the selected camera's last hour. The service checks the role again for every plan and deletion."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu, QWidget

from console.core.config import SiteConfig
from console.core.recording import TimeRange
from console.core.vntime import now_ms
from console.officers.guard import Officers
from console.officers.recording_deletion import RecordingDeletion
from console.officers.roles import Permission
from console.store.recordings import index_opener
from console.ui.playback.delete_dialog import RecordingDeleteDialog

HOUR_MS = 3_600_000


class DeletionMenu:
    def __init__(self, window: QWidget, menu: QMenu, config: SiteConfig, officers: Officers, recordings: Path,
                 database: Path, selected: Callable[[], str | None]) -> None:
        self._window, self._config, self._selected = window, config, selected
        self.deletion = RecordingDeletion(officers, recordings, index_opener(database))
        self.dialog: RecordingDeleteDialog | None = None
        self.action = QAction(QCoreApplication.translate("DeletionMenu", "Delete recordings…"), window)
        self.action.setObjectName("deleteRecordingsAction")
        self.action.triggered.connect(self.open)
        menu.addAction(self.action)
        menu.aboutToShow.connect(lambda: self.action.setVisible(officers.may(Permission.DELETE_RECORDINGS)))
        self.action.setVisible(officers.may(Permission.DELETE_RECORDINGS))

    def open(self) -> RecordingDeleteDialog | None:
        camera_id = self._selected() or (self._config.cameras[0].id if self._config.cameras else None)
        if camera_id is None:
            return None
        now = now_ms()
        self.dialog = RecordingDeleteDialog(self._config, self.deletion, camera_id, TimeRange(now - HOUR_MS, now),
                                            self._window)
        self.dialog.open()
        return self.dialog
