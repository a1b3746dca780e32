"""Table model of the alarm list: one row per alert, newest first, unacknowledged on top."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QSize, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QPixmap

from console.core.alerts import AlertState, Priority
from console.core.config import SiteConfig
from console.core.vntime import format_vn_ms, now_ms
from console.store.alerts import AlertRow
from console.ui.alerts.text import end_text, kind_text, priority_text, state_text
from console.ui.widgets.picture_cache import PictureCache
from console.ui.widgets.rows_model import Index, RowsModel

# Small enough that the list shows 6 alerts in its dock at 1920×1080; the acknowledge dialog shows the picture big.
THUMB = QSize(64, 36)
ROW_HEIGHT_PX = THUMB.height() + 6
THUMB_CACHE = 300
NEW_BACKGROUND = QColor("#fde8e6")
HIGH_COLOR = QColor("#b3261e")


class AlertTableModel(RowsModel[AlertRow]):
    COLUMNS = ("thumbnail", "time", "end", "kind", "camera", "site", "priority", "state", "note")

    def __init__(self, config: SiteConfig, snapshots: Path) -> None:
        super().__init__()
        self._cameras = {c.id: c for c in config.cameras}
        self._sites = {s.id: s.name for s in config.sites}
        self._snapshots = snapshots
        self._thumbs = PictureCache(THUMB_CACHE)

    def tick(self) -> None:
        """Every second: the running length of the episodes still going on is repainted (no query)."""
        going = [i for i, r in enumerate(self._rows) if r.ended_ms is None]
        if going:
            column = self.COLUMNS.index("end")
            self.dataChanged.emit(self.index(going[0], column), self.index(going[-1], column),
                                  [Qt.ItemDataRole.DisplayRole])

    def headers(self) -> list[str]:
        return [QCoreApplication.translate("Alerts", "Picture"), QCoreApplication.translate("Alerts", "Time"),
                QCoreApplication.translate("Alerts", "End"), QCoreApplication.translate("Alerts", "Alert"),
                QCoreApplication.translate("Alerts", "Camera"), QCoreApplication.translate("Alerts", "Site"),
                QCoreApplication.translate("Alerts", "Priority"), QCoreApplication.translate("Alerts", "State"),
                QCoreApplication.translate("Alerts", "Note")]

    def camera_label(self, row: AlertRow) -> str:
        camera = self._cameras.get(row.camera_id or "")
        return camera.label if camera else (row.camera_id or "—")

    def site_label(self, row: AlertRow) -> str:
        return self._sites.get(row.site_id or "", row.site_id or "—")

    def text(self, row: AlertRow, column: str) -> str:
        if column == "time":
            return format_vn_ms(row.started_ms)
        if column == "end":
            return end_text(row, now_ms())
        if column == "kind":
            return kind_text(row.kind)
        if column == "camera":
            return self.camera_label(row)
        if column == "site":
            return self.site_label(row)
        if column == "priority":
            return priority_text(row.priority)
        if column == "state":
            return state_text(row.state)
        if column == "note":
            return row.note.replace("\n", " · ")
        return ""

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        row = self.row_at(index.row())
        if row is None:
            return None
        column = self.COLUMNS[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self.text(row, column)
        if role == Qt.ItemDataRole.DecorationRole and column == "thumbnail":
            return self._thumbnail(row)
        if role == Qt.ItemDataRole.SizeHintRole and column == "thumbnail":
            return THUMB
        if role == Qt.ItemDataRole.BackgroundRole and row.state is AlertState.NEW:
            return QBrush(NEW_BACKGROUND)
        if role == Qt.ItemDataRole.ForegroundRole and column == "priority" and row.priority is Priority.HIGH:
            return QBrush(HIGH_COLOR)
        if role == Qt.ItemDataRole.FontRole and row.state is AlertState.NEW:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.UserRole:
            return row.id
        return None

    def _thumbnail(self, row: AlertRow) -> QPixmap | None:
        return self._thumbs.get(self._snapshots / row.snapshot, THUMB) if row.snapshot else None
