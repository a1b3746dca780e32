"""*Vụ việc mới* / *Sửa thông tin vụ việc*: title, kind, place (camera, words, a point), time range, officers and a
first note; kept open with the reason when the incidents refuse it."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QWidget,
)

from console.core.vntime import now_ms
from console.incidents.model import Incident, IncidentKind, Place, Point
from console.ui.incidents.words import IncidentWords
from console.ui.widgets.time_edit import VnTimeEdit

_POINT = re.compile(r"^\s*(-?\d+(?:[.,]\d+)?)\s*[;, ]\s*(-?\d+(?:[.,]\d+)?)\s*$")
_LOGINS = re.compile(r"[\s,;]+")
DEFAULT_SPAN_MS = 3600 * 1000  # a new incident's time range, when ticked: the last hour


@dataclass(frozen=True)
class IncidentDraft:
    title: str
    kind: IncidentKind
    place: Place
    start_ms: int | None
    end_ms: int | None
    officers: tuple[str, ...]
    note: str = ""


Save = Callable[[IncidentDraft], str | None]  # None: stored; else why not, in a sentence


class IncidentForm(QDialog):
    def __init__(self, parent: QWidget | None, words: IncidentWords, cameras: Sequence[str],
                 camera_sites: Mapping[str, str], save: Save, incident: Incident | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("incidentForm")
        self.setWindowTitle(self.tr("New incident") if incident is None else self.tr("Edit the incident"))
        self.setMinimumWidth(520)
        self._save = save
        self._sites = camera_sites
        self.editing = incident
        self.title_edit = QLineEdit(self)
        self.title_edit.setObjectName("titleEdit")
        self.title_edit.setPlaceholderText(self.tr("What happened, where (required)"))
        self.kind = QComboBox(self)
        self.kind.setObjectName("kindCombo")
        for kind in IncidentKind:
            self.kind.addItem(words.kind(kind), kind.value)
        self.camera = QComboBox(self)
        self.camera.setObjectName("cameraCombo")
        self.camera.addItem(self.tr("No camera"), None)
        for camera in cameras:
            self.camera.addItem(camera, camera)
        self.place_text = QLineEdit(self)
        self.place_text.setObjectName("placeEdit")
        self.place_text.setPlaceholderText(self.tr("e.g. in front of the market gate"))
        self.point = QLineEdit(self)
        self.point.setObjectName("pointEdit")
        self.point.setPlaceholderText(self.tr("latitude, longitude (optional), e.g. 21.0285, 105.8542"))
        self.timed = QCheckBox(self.tr("Known"), self)
        self.timed.setObjectName("timeKnown")
        now = now_ms()
        self.start = VnTimeEdit(now - DEFAULT_SPAN_MS, self)
        self.start.setObjectName("startEdit")
        self.end = VnTimeEdit(now, self)
        self.end.setObjectName("endEdit")
        self.timed.toggled.connect(self._time_ticked)
        self.officers = QLineEdit(self)
        self.officers.setObjectName("officersEdit")
        self.officers.setPlaceholderText(self.tr("User names, separated by commas"))
        self.note = QPlainTextEdit(self)
        self.note.setObjectName("firstNoteEdit")
        self.note.setPlaceholderText(self.tr("A first note (optional)"))
        self.note.setFixedHeight(70)
        self.error = QLabel(self)
        self.error.setObjectName("formError")
        self.error.setWordWrap(True)
        self.error.setStyleSheet("QLabel#formError { color: #c92a2a; }")
        self.error.hide()
        self.buttons = QDialogButtonBox(self)
        self.ok = QPushButton(self.tr("Save"), self)
        self.ok.setObjectName("okButton")
        self.ok.setDefault(True)
        self.buttons.addButton(self.ok, QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton(QPushButton(self.tr("Cancel"), self), QDialogButtonBox.ButtonRole.RejectRole)
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        self.title_edit.textChanged.connect(self._typed)
        self._lay_out()
        if incident is not None:
            self._fill(incident)
        self._time_ticked()
        self._typed()

    def _lay_out(self) -> None:
        form = QFormLayout(self)
        form.addRow(self.tr("Title"), self.title_edit)
        form.addRow(self.tr("Kind"), self.kind)
        form.addRow(self.tr("Camera"), self.camera)
        form.addRow(self.tr("Place"), self.place_text)
        form.addRow(self.tr("Point on the map"), self.point)
        times = QHBoxLayout()
        times.addWidget(self.timed)
        times.addWidget(self.start, 1)
        times.addWidget(QLabel(self.tr("to"), self))
        times.addWidget(self.end, 1)
        form.addRow(self.tr("Time"), times)
        form.addRow(self.tr("Officers"), self.officers)
        if self.editing is None:
            form.addRow(self.tr("Note"), self.note)
        else:
            self.note.hide()
        form.addRow(self.error)
        form.addRow(self.buttons)

    def _fill(self, incident: Incident) -> None:
        self.title_edit.setText(incident.title)
        self.kind.setCurrentIndex(max(0, self.kind.findData(incident.kind.value)))
        self.camera.setCurrentIndex(max(0, self.camera.findData(incident.place.camera_id)))
        self.place_text.setText(incident.place.text)
        if incident.place.point is not None:
            self.point.setText(f"{incident.place.point.lat:.6f}, {incident.place.point.lon:.6f}")
        if incident.start_ms is not None or incident.end_ms is not None:
            self.timed.setChecked(True)
            start = incident.start_ms if incident.start_ms is not None else incident.end_ms
            end = incident.end_ms if incident.end_ms is not None else incident.start_ms
            assert start is not None and end is not None
            self.start.set_ms(start)
            self.end.set_ms(end)
        self.officers.setText(", ".join(incident.officers))

    def _time_ticked(self) -> None:
        self.start.setEnabled(self.timed.isChecked())
        self.end.setEnabled(self.timed.isChecked())

    def _typed(self) -> None:
        self.ok.setEnabled(bool(self.title_edit.text().strip()))

    def draft(self) -> IncidentDraft | str:
        """What the form says, or why it cannot be read (a point that is not two numbers)."""
        point: Point | None = None
        if self.point.text().strip():
            found = _POINT.match(self.point.text())
            if found is None:
                return self.tr("Write the point as latitude, longitude, e.g. 21.0285, 105.8542")
            point = Point(float(found.group(1).replace(",", ".")), float(found.group(2).replace(",", ".")))
        camera = self.camera.currentData()
        site = self._sites.get(camera) if camera else None
        if self.editing is not None and camera == self.editing.place.camera_id:
            site = self.editing.place.site_id  # unchanged camera: the incident's site stays
        place = Place(site, camera, point, self.place_text.text().strip())
        timed = self.timed.isChecked()
        officers = tuple(login for login in _LOGINS.split(self.officers.text()) if login)
        return IncidentDraft(self.title_edit.text().strip(), IncidentKind(self.kind.currentData()), place,
                             self.start.ms() if timed else None, self.end.ms() if timed else None, officers,
                             self.note.toPlainText().strip())

    def submit(self) -> None:
        draft = self.draft()
        problem = draft if isinstance(draft, str) else self._save(draft)
        if problem is None:
            self.accept()
            return
        self.error.setText(problem)
        self.error.show()
