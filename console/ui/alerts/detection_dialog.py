"""Cài đặt phát hiện: one camera's detection zones, sensitivity, minimum area, schedule, cooldown, tamper."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTime
from PySide6.QtGui import QImage
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSlider,
    QSpinBox,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from console.core.analytics import AnalyticsSettings
from console.core.config import Camera
from console.core.motion import MotionSettings, Schedule
from console.core.tamper import TamperSettings
from console.ui.alerts.zone_editor import ZoneEditor


class AnalyticsDialog(QDialog):
    def __init__(self, camera: Camera, settings: AnalyticsSettings, picture: QImage | None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("analyticsDialog")
        self.setWindowTitle(self.tr("Detection settings — {camera}").format(camera=camera.label))
        motion = settings.motion
        self.editor = ZoneEditor(picture, motion.zones, self)
        hint = QLabel(self.tr("Click to add corners of a detection zone, double-click to close it; right-click "
                              "a zone to delete it. No zone: no motion alerts for this camera."), self)
        hint.setWordWrap(True)
        clear = QPushButton(self.tr("Delete all zones"), self)
        clear.clicked.connect(self.editor.clear)
        self.sensitivity = QSlider(Qt.Orientation.Horizontal, self)
        self.sensitivity.setObjectName("sensitivity")
        self.sensitivity.setRange(1, 100)
        self.sensitivity.setValue(motion.sensitivity)
        self.min_area = QDoubleSpinBox(self)
        self.min_area.setObjectName("minArea")
        self.min_area.setRange(0.1, 50.0)
        self.min_area.setDecimals(1)
        self.min_area.setSuffix(" %")
        self.min_area.setValue(motion.min_area * 100)
        self.scheduled = QCheckBox(self.tr("Only between"), self)
        self.scheduled.setObjectName("scheduled")
        self.start = QTimeEdit(QTime(motion.schedule.start.hour, motion.schedule.start.minute), self)
        self.end = QTimeEdit(QTime(motion.schedule.end.hour, motion.schedule.end.minute), self)
        for edit in (self.start, self.end):
            edit.setDisplayFormat("HH:mm")
        always = motion.schedule.start == motion.schedule.end
        self.scheduled.setChecked(not always)
        if always:
            self.start.setTime(QTime(22, 0))
            self.end.setTime(QTime(5, 0))
        self.scheduled.toggled.connect(self._schedule_enabled)
        self._schedule_enabled(not always)
        self.cooldown = QSpinBox(self)
        self.cooldown.setObjectName("cooldown")
        self.cooldown.setRange(0, 3600)
        self.cooldown.setSuffix(self.tr(" s"))
        self.cooldown.setValue(motion.cooldown_s)
        self.tamper = QCheckBox(self.tr("Alert when the camera is covered, out of focus or moved"), self)
        self.tamper.setObjectName("tamper")
        self.tamper.setChecked(settings.tamper.enabled)
        schedule = QHBoxLayout()
        for widget in (self.scheduled, self.start, QLabel("–", self), self.end):
            schedule.addWidget(widget)
        schedule.addStretch(1)
        form = QFormLayout()
        form.addRow(self.tr("Sensitivity"), self.sensitivity)
        form.addRow(self.tr("Minimum area of the zone"), self.min_area)
        form.addRow(self.tr("Schedule"), schedule)
        form.addRow(self.tr("Cooldown (same alert continues)"), self.cooldown)
        form.addRow(self.tamper)
        buttons = QDialogButtonBox(self)
        save = buttons.addButton(self.tr("Save"), QDialogButtonBox.ButtonRole.AcceptRole)
        save.setObjectName("saveButton")
        buttons.addButton(self.tr("Cancel"), QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.editor, 1)
        row = QHBoxLayout()
        row.addWidget(hint, 1)
        row.addWidget(clear)
        layout.addLayout(row)
        layout.addLayout(form)
        layout.addWidget(buttons)
        self._base = settings

    def _schedule_enabled(self, on: bool) -> None:
        self.start.setEnabled(on)
        self.end.setEnabled(on)

    def settings(self) -> AnalyticsSettings:
        schedule = Schedule()
        if self.scheduled.isChecked():
            schedule = Schedule(self.start.time().toPython(), self.end.time().toPython())  # type: ignore[arg-type]
        motion = MotionSettings(zones=self.editor.result(), sensitivity=self.sensitivity.value(),
                                min_area=self.min_area.value() / 100, schedule=schedule,
                                cooldown_s=self.cooldown.value(), end_after_s=self._base.motion.end_after_s)
        tamper = TamperSettings(enabled=self.tamper.isChecked())
        return AnalyticsSettings(motion, tamper)
