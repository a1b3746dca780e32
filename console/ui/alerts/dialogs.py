"""The two dialogs of the alert workflow: acknowledge with a note (Ghi chú), seeing the alert's picture, a clip
around it and the live picture; record a manual incident."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt, QTimer
from PySide6.QtGui import QImage, QImageReader, QPixmap
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from console.core.alerts import Priority
from console.core.config import SiteConfig
from console.ui.alerts.clip import CLIP_SIZE, ClipView
from console.ui.alerts.text import priority_text
from console.ui.widgets.background import BackgroundCall

LIVE_REFRESH_MS = 500


@dataclass(frozen=True)
class AlertPictures:
    """What the acknowledge dialog shows of an alert's camera; each part may be missing."""

    snapshot: Path | None = None  # the picture saved with the alert
    live: Callable[[], QImage | None] | None = None  # the camera's picture on the wall now
    clip: Callable[[], list[QImage]] | None = None  # blocking (decodes the recording): run on a worker


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


def _pane(title: str, view: QLabel, parent: QWidget) -> QVBoxLayout:
    column = QVBoxLayout()
    caption = QLabel(title, parent)
    caption.setStyleSheet("font-weight: bold;")
    column.addWidget(caption)
    column.addWidget(view)
    column.addStretch(1)
    return column


def _picture_label(name: str, parent: QWidget) -> QLabel:
    label = QLabel(parent)
    label.setObjectName(name)
    label.setFixedSize(*CLIP_SIZE)
    label.setAlignment(Qt.AlignmentFlag.AlignCenter)
    label.setWordWrap(True)
    label.setStyleSheet(f"QLabel#{name} {{ background: #202020; color: #e0e0e0; }}")
    return label


def _fitted(image: QImage) -> QPixmap:
    return QPixmap.fromImage(image.scaled(*CLIP_SIZE, Qt.AspectRatioMode.KeepAspectRatio,
                                          Qt.TransformationMode.SmoothTransformation))


class AcknowledgeDialog(_NoteDialog):
    """Xác nhận: the alert's picture, a short clip around it from the recording and the live picture beside the
    note, so the officer judges what happened and what is there now without opening playback."""

    def __init__(self, summary: str, parent: QWidget | None = None, pictures: AlertPictures | None = None) -> None:
        super().__init__(parent, self.tr("Acknowledge alert"), self.tr("Acknowledge"))
        label = QLabel(summary, self)
        label.setWordWrap(True)
        self.form.addRow(label)
        self.snapshot = _picture_label("alertSnapshot", self)
        self.clip = ClipView(self.tr("Reading the recording…"), self)
        self.live = _picture_label("alertLive", self)
        self._live_source = pictures.live if pictures else None
        self._clip_call = BackgroundCall(self)
        self._clip_call.done.connect(self._clip_ready)
        self._live_timer = QTimer(self)
        self._live_timer.setInterval(LIVE_REFRESH_MS)
        self._live_timer.timeout.connect(self._refresh_live)
        if pictures is not None:
            self._show_pictures(pictures)
        self.finish()

    def _show_pictures(self, pictures: AlertPictures) -> None:
        row = QHBoxLayout()
        row.addLayout(_pane(self.tr("Alert picture"), self.snapshot, self))
        row.addLayout(_pane(self.tr("Recording around the alert"), self.clip, self))
        row.addLayout(_pane(self.tr("Live now"), self.live, self))
        self.form.addRow(row)
        image = QImageReader(str(pictures.snapshot)).read() if pictures.snapshot else QImage()
        if image.isNull():
            self.snapshot.setText(self.tr("No picture was kept with this alert."))
        else:
            self.snapshot.setPixmap(_fitted(image))
        if pictures.clip is None:
            self.clip.play([], self.tr("This camera is not recorded."))
        else:
            self._clip_call.start(pictures.clip, "alert clip")
        self._refresh_live()
        self._live_timer.start()

    def _clip_ready(self, outcome: object) -> None:
        frames = [f for f in outcome if isinstance(f, QImage)] if isinstance(outcome, list) else []
        self.clip.play(frames, self.tr("No recording of this moment."))

    def _refresh_live(self) -> None:
        picture = self._live_source() if self._live_source is not None else None
        if picture is None or picture.isNull():
            self.live.setText(self.tr("No live picture of this camera on the wall."))
        else:
            self.live.setPixmap(_fitted(picture))


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
