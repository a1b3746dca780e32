"""A month calendar that marks the days holding a camera's recording (the playback window's day picker)."""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import QDate, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QTextCharFormat
from PySide6.QtWidgets import QCalendarWidget, QWidget

EPOCH = date(1970, 1, 1)
RECORDED_BACKGROUND = "#c3fae8"


def day_of(number: int) -> date:
    """Day number `number` counted from 1970-01-01 (as RecordingIndex.recorded_days gives them)."""
    return EPOCH + timedelta(days=number)


class RecordingCalendar(QCalendarWidget):
    day_chosen = Signal(QDate)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("recordingCalendar")
        self.setGridVisible(True)
        self.marked: set[date] = set()
        self.clicked.connect(self.day_chosen.emit)
        self.activated.connect(self.day_chosen.emit)

    def mark(self, days: set[date]) -> None:
        """Bold on a tinted background: these days have recording; the others stay plain."""
        for old in self.marked - days:
            self.setDateTextFormat(QDate(old.year, old.month, old.day), QTextCharFormat())
        recorded = QTextCharFormat()
        recorded.setFontWeight(QFont.Weight.Bold)
        recorded.setBackground(QBrush(QColor(RECORDED_BACKGROUND)))
        for day in days:
            self.setDateTextFormat(QDate(day.year, day.month, day.day), recorded)
        self.marked = set(days)
