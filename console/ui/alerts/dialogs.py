"""The two dialogs of the alert workflow: acknowledge with a note (Ghi chú), record a manual incident."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QWidget,
)

from console.core.alerts import Priority
from console.core.config import SiteConfig
from console.ui.alerts.text import priority_text


class _NoteDialog(QDialog):
    """A form whose OK stays disabled until the note has text: nothing is acknowledged without one.
    (Its own texts use the "NoteDialog" context: `self.tr` would look them up under each subclass's name.)"""

    def __init__(self, parent: QWidget | None, title: str, ok_text: str) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumWidth(460)
        self.form = QFormLayout(self)
        self.note = QPlainTextEdit(self)
        self.note.setObjectName("noteEdit")
        self.note.setPlaceholderText(QCoreApplication.translate("NoteDialog",
                                                               "What was seen and what was done (required)"))
        self.note.setMinimumHeight(90)
        self.buttons = QDialogButtonBox(self)
        self.ok = QPushButton(ok_text, self)
        self.ok.setObjectName("okButton")
        self.buttons.addButton(self.ok, QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton(QCoreApplication.translate("NoteDialog", "Cancel"),
                               QDialogButtonBox.ButtonRole.RejectRole)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.note.textChanged.connect(self._update)

    def finish(self) -> None:
        self.form.addRow(QCoreApplication.translate("NoteDialog", "Note"), self.note)
        self.form.addRow(self.buttons)
        self._update()

    def _update(self) -> None:
        self.ok.setEnabled(bool(self.note.toPlainText().strip()))

    def text(self) -> str:
        return self.note.toPlainText().strip()


class AcknowledgeDialog(_NoteDialog):
    def __init__(self, summary: str, parent: QWidget | None = None) -> None:
        super().__init__(parent, self.tr("Acknowledge alert"), self.tr("Acknowledge"))
        label = QLabel(summary, self)
        label.setWordWrap(True)
        self.form.addRow(label)
        self.finish()


class IncidentDialog(_NoteDialog):
    """Ghi nhận vụ việc: the officer picks a camera and writes what happened."""

    def __init__(self, config: SiteConfig, camera_id: str | None, parent: QWidget | None = None) -> None:
        super().__init__(parent, self.tr("Record an incident"), self.tr("Record"))
        self.camera = QComboBox(self)
        self.camera.setObjectName("incidentCamera")
        for camera in config.cameras:
            self.camera.addItem(camera.label, camera.id)
        if camera_id is not None:
            self.camera.setCurrentIndex(max(0, self.camera.findData(camera_id)))
        self.priority = QComboBox(self)
        for priority in (Priority.HIGH, Priority.MEDIUM, Priority.LOW):
            self.priority.addItem(priority_text(priority), int(priority))
        self.form.addRow(self.tr("Camera"), self.camera)
        self.form.addRow(self.tr("Priority"), self.priority)
        self.finish()

    def camera_id(self) -> str:
        return str(self.camera.currentData())

    def chosen_priority(self) -> Priority:
        return Priority(int(self.priority.currentData()))
