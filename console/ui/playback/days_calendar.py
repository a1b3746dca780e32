"""A month calendar that marks the days holding a camera's recording, the console's own and, in another colour, the
station's recorder's (the playback window's day picker)."""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import QDate, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QTextCharFormat
from PySide6.QtWidgets import QCalendarWidget, QWidget

EPOCH = date(1970, 1, 1)
RECORDED_BACKGROUND = "#c3fae8"
ON_RECORDER_BACKGROUND = "#d0ebff"  # only the station's recorder holds that day (the timeline's colour, lighter)


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
        self.recorder_days: set[date] = set()  # days the recorder said it holds
        self.on_recorder: set[date] = set()  # of those, the days only the recorder holds (tinted)
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
        self.mark_recorder(self.recorder_days)

    def mark_recorder(self, days: set[date]) -> None:
        """Days the station's recorder holds: tinted in its colour where the console itself recorded nothing."""
        for old in self.on_recorder - days - self.marked:
            self.setDateTextFormat(QDate(old.year, old.month, old.day), QTextCharFormat())
        tinted = QTextCharFormat()
        tinted.setFontWeight(QFont.Weight.Bold)
        tinted.setBackground(QBrush(QColor(ON_RECORDER_BACKGROUND)))
        tinted.setToolTip(self.tr("On the recorder"))
        self.recorder_days = set(days)
        self.on_recorder = set(days) - self.marked
        for day in self.on_recorder:
            self.setDateTextFormat(QDate(day.year, day.month, day.day), tinted)
