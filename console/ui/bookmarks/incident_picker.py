"""*Thêm vào vụ việc*: the officer picks one incident that is not closed (words without diacritics narrow the list)."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from console.core.vntime import format_vn_ms
from console.incidents.model import Incident

TYPING_PAUSE_MS = 250


class IncidentPicker(QDialog):
    def __init__(self, parent: QWidget | None, find: Callable[[str], Sequence[Incident]], what: str) -> None:
        super().__init__(parent)
        self.setObjectName("bookmarkIncidentPicker")
        self.setWindowTitle(self.tr("Add to an incident"))
        self.setMinimumSize(520, 360)
        self._find = find
        self.text = QLineEdit(self)
        self.text.setObjectName("incidentPickerText")
        self.text.setPlaceholderText(self.tr("Search (no diacritics needed): title, place, notes…"))
        self.text.setClearButtonEnabled(True)
        self.list = QListWidget(self)
        self.list.setObjectName("incidentPickerList")
        self.list.itemDoubleClicked.connect(lambda _item: self.accept())
        self.list.currentItemChanged.connect(lambda *_: self._enable())
        self.empty = QLabel(self.tr("No open incident found. Open one in the Incidents panel first."), self)
        self.empty.setWordWrap(True)
        buttons = QDialogButtonBox(self)
        self.add_button = buttons.addButton(self.tr("Add"), QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(self.tr("Cancel"), QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(what, self))
        layout.addWidget(self.text)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.empty)
        layout.addWidget(buttons)
        self._pause = QTimer(self)
        self._pause.setSingleShot(True)
        self._pause.setInterval(TYPING_PAUSE_MS)
        self._pause.timeout.connect(self.refresh)
        self.text.textChanged.connect(self._pause.start)
        self.finished.connect(lambda _code: self._pause.stop())  # closed: no search any more
        self.refresh()

    def refresh(self) -> None:
        self.list.clear()
        for incident in self._find(self.text.text().strip()):
            item = QListWidgetItem(self.tr("No. {number}: {title} (opened {time})").format(
                number=incident.id, title=incident.title, time=format_vn_ms(incident.created_ms)))
            item.setData(Qt.ItemDataRole.UserRole, incident.id)
            self.list.addItem(item)
        if self.list.count():
            self.list.setCurrentRow(0)
        self.empty.setVisible(self.list.count() == 0)
        self._enable()

    def _enable(self) -> None:
        self.add_button.setEnabled(self.list.currentItem() is not None)

    def chosen(self) -> int | None:
        item = self.list.currentItem()
        return int(item.data(Qt.ItemDataRole.UserRole)) if item is not None else None

    def choose(self, incident_id: int) -> None:
        for row in range(self.list.count()):
            item = self.list.item(row)
            if item is not None and item.data(Qt.ItemDataRole.UserRole) == incident_id:
                self.list.setCurrentRow(row)
