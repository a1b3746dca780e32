"""A date-time editor that shows and takes Vietnam time (UTC+7) whatever the computer's own zone."""

from __future__ import annotations

from PySide6.QtCore import QDateTime, QTimeZone
from PySide6.QtWidgets import QDateTimeEdit, QWidget

VN_QT_ZONE = QTimeZone(7 * 3600)


class VnTimeEdit(QDateTimeEdit):
    def __init__(self, at_ms: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTimeZone(VN_QT_ZONE)
        self.setDisplayFormat("dd/MM/yyyy HH:mm:ss")
        self.set_ms(at_ms)

    def set_ms(self, at_ms: int) -> None:
        self.setDateTime(QDateTime.fromMSecsSinceEpoch(at_ms, VN_QT_ZONE))

    def ms(self) -> int:
        return self.dateTime().toMSecsSinceEpoch()
