"""The dock's search: words without diacritics, a plate, a camera, a time range and a status, as an
`IncidentQuery`; `changed` once typing pauses, or at once for a choice from a list."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QCheckBox, QComboBox, QGridLayout, QLabel, QLineEdit, QWidget

from console.core.vntime import now_ms
from console.incidents.model import IncidentQuery, IncidentStatus
from console.ui.incidents.words import IncidentWords
from console.ui.widgets.time_edit import VnTimeEdit

TYPING_PAUSE_MS = 250  # a search per pause in typing, not per key
DEFAULT_PERIOD_MS = 7 * 24 * 3600 * 1000  # the time filter, when ticked, starts on the last week
NOT_CLOSED = frozenset({IncidentStatus.OPEN, IncidentStatus.FORWARDED})
NOT_CLOSED_KEY = "not_closed"


class IncidentSearchBar(QWidget):
    changed = Signal()

    def __init__(self, cameras: Sequence[str], words: IncidentWords, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.text = QLineEdit(self)
        self.text.setObjectName("searchText")
        self.text.setPlaceholderText(self.tr("Search (no diacritics needed): title, place, notes, who provided a "
                                             "video…"))
        self.text.setClearButtonEnabled(True)
        self.plate = QLineEdit(self)
        self.plate.setObjectName("searchPlate")
        self.plate.setPlaceholderText(self.tr("Plate, e.g. 29A12345"))
        self.plate.setClearButtonEnabled(True)
        self.camera = QComboBox(self)
        self.camera.setObjectName("searchCamera")
        self.camera.addItem(self.tr("All cameras"), None)
        for camera in cameras:
            self.camera.addItem(camera, camera)
        self.status = QComboBox(self)
        self.status.setObjectName("searchStatus")
        self.status.addItem(self.tr("All statuses"), "")
        self.status.addItem(self.tr("Not closed"), NOT_CLOSED_KEY)
        for status in IncidentStatus:
            self.status.addItem(words.status(status), status.value)
        self.timed = QCheckBox(self.tr("From"), self)
        self.timed.setObjectName("searchTimed")
        now = now_ms()
        self.since = VnTimeEdit(now - DEFAULT_PERIOD_MS, self)
        self.since.setObjectName("searchSince")
        self.until = VnTimeEdit(now + 3600 * 1000, self)
        self.until.setObjectName("searchUntil")
        self._pause = QTimer(self)
        self._pause.setSingleShot(True)
        self._pause.setInterval(TYPING_PAUSE_MS)
        self._pause.timeout.connect(self.changed)
        self._lay_out()
        self._connect()
        self._time_ticked()

    def _lay_out(self) -> None:
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.addWidget(self.text, 0, 0, 1, 4)
        grid.addWidget(self.plate, 1, 0)
        grid.addWidget(self.camera, 1, 1)
        grid.addWidget(self.status, 1, 2, 1, 2)
        grid.addWidget(self.timed, 2, 0)
        grid.addWidget(self.since, 2, 1)
        grid.addWidget(QLabel(self.tr("to"), self), 2, 2)
        grid.addWidget(self.until, 2, 3)

    def _connect(self) -> None:
        for edit in (self.text, self.plate):
            edit.textChanged.connect(self._pause.start)
            edit.returnPressed.connect(self._now)
        for combo in (self.camera, self.status):
            combo.currentIndexChanged.connect(self._now)
        self.timed.toggled.connect(self._time_ticked)
        self.timed.toggled.connect(self._now)
        for moment in (self.since, self.until):
            moment.editingFinished.connect(self._now)

    def _time_ticked(self) -> None:
        self.since.setEnabled(self.timed.isChecked())
        self.until.setEnabled(self.timed.isChecked())

    def _now(self) -> None:
        self._pause.stop()
        self.changed.emit()

    def clear(self) -> None:
        """Every filter off (signals blocked by the caller when it searches itself)."""
        self.text.clear()
        self.plate.clear()
        self.camera.setCurrentIndex(0)
        self.status.setCurrentIndex(0)
        self.timed.setChecked(False)
        self._pause.stop()

    def query(self) -> IncidentQuery:
        timed = self.timed.isChecked()
        key = str(self.status.currentData() or "")
        statuses = NOT_CLOSED if key == NOT_CLOSED_KEY else frozenset({IncidentStatus(key)}) if key else frozenset()
        return IncidentQuery(text=self.text.text().strip(), plate=self.plate.text().strip(),
                             camera_id=self.camera.currentData(),
                             since_ms=self.since.ms() if timed else None, until_ms=self.until.ms() if timed else None,
                             statuses=statuses)
