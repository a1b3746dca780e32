"""*Đọc biển số*: on a still picture (a paused playback frame, a snapshot, an alert's picture) the officer drags a
box around a plate, or asks for the whole picture; the reading runs on the plate service's worker (a busy bar, the
dialog stays usable), the plate comes back normalised in a field the officer corrects, beside its crop, and is
saved with the crop to the alert and/or an incident (on a worker too)."""

from __future__ import annotations

import concurrent.futures
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt
from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from console.incidents.messages import IncidentError
from console.officers.guard import ActionRefusedError
from console.plates.formats import normalise
from console.plates.keeper import KeptPlate, PlateKeeper, PlateSource
from console.plates.reader import Box, Candidate
from console.plates.service import PlateService, Reading, crop_box
from console.ui.plates.picture import PlatePicture, rgb_pixels
from console.ui.shell.i18n import ui_lang
from console.ui.widgets.background import BackgroundCall

CROP_VIEW = (320, 90)
OK_STYLE = "QLabel#plateHint { color: #2b8a3e; }"
WARN_STYLE = "QLabel#plateHint { color: #c92a2a; }"


class _Relay(QObject):
    """Carries a read's future from the worker (its done-callback) to the GUI thread (a queued signal). Not the
    dialog's child: a read finishing after the dialog is gone emits into nothing."""

    done = Signal(object)


class PlateDialog(QDialog):
    kept = Signal(object)  # KeptPlate, once saved

    def __init__(self, image: QImage, source: PlateSource, service: PlateService, keeper: PlateKeeper,
                 incidents: Sequence[tuple[int, str]] = (), parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("plateDialog")
        self.setWindowTitle(self.tr("Read plate"))
        self.source, self.service, self.keeper = source, service, keeper
        self.pixels: npt.NDArray[np.uint8] = rgb_pixels(image)
        self.reading: Reading | None = None
        self.chosen: Candidate | None = None
        self._asked = 0  # the newest read: an older one's answer is dropped
        self._saving = False
        self._relay = _Relay()
        self._relay.done.connect(self._answered)
        self._save_call = BackgroundCall(self)
        self._save_call.done.connect(self._saved)
        self.picture = PlatePicture(image, self)
        self.picture.box_changed.connect(self._update)
        self.read_box = self._button(self.tr("Read the plate in the box"), "plateReadBox", self.read_in_box)
        self.read_all = self._button(self.tr("Read the whole picture"), "plateReadAll", self.read_whole)
        self.progress = QProgressBar(self)
        self.progress.setObjectName("plateProgress")
        self.progress.setRange(0, 0)  # busy: a read's length is not known
        self.progress.setTextVisible(False)
        self.progress.hide()
        self.status = QLabel(self.tr("Drag a box around the plate on the picture, or read the whole picture."), self)
        self.status.setObjectName("plateStatus")
        self.status.setWordWrap(True)
        self.candidates = QListWidget(self)
        self.candidates.setObjectName("plateCandidates")
        self.candidates.currentRowChanged.connect(self._candidate_chosen)
        self.candidates.hide()
        self.crop = QLabel(self)
        self.crop.setObjectName("plateCrop")
        self.crop.setFixedSize(*CROP_VIEW)
        self.crop.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.crop.setStyleSheet("QLabel#plateCrop { background: #202020; color: #e0e0e0; }")
        self.text = QLineEdit(self)
        self.text.setObjectName("plateText")
        self.text.setPlaceholderText(self.tr("Plate, e.g. 29A-123.45 or 59-B1 234.56"))
        self.text.textChanged.connect(self._update)
        self.hint = QLabel(self)
        self.hint.setObjectName("plateHint")
        self.hint.setWordWrap(True)
        self.to_alert = QCheckBox(self.tr("Keep with alert no. {number}").format(number=source.alert_id), self)
        self.to_alert.setObjectName("plateToAlert")
        self.to_alert.setChecked(source.alert_id is not None)
        self.to_alert.setVisible(source.alert_id is not None)
        self.to_alert.toggled.connect(self._update)
        self.incident = QComboBox(self)
        self.incident.setObjectName("plateIncident")
        self.incident.addItem(self.tr("No incident"), None)
        for number, title in incidents:
            self.incident.addItem(self.tr("No. {number}: {title}").format(number=number, title=title), number)
        if source.incident_id is not None:
            self.incident.setCurrentIndex(max(0, self.incident.findData(source.incident_id)))
        self.incident.setEnabled(keeper.incidents is not None)
        self.incident.currentIndexChanged.connect(self._update)
        self.save_button = self._button(self.tr("Save"), "plateSave", self.save)
        self.close_button = self._button(self.tr("Close"), "plateClose", self.reject)
        self._lay_out()
        self._update()
        self.resize(1100, 560)
        if not service.loaded:
            service.warm_up()  # the engine loads while the officer draws the box

    def _button(self, text: str, name: str, slot: object) -> QPushButton:
        button = QPushButton(text, self)
        button.setObjectName(name)
        button.clicked.connect(slot)
        return button

    def _lay_out(self) -> None:
        reads = QHBoxLayout()
        reads.addWidget(self.read_box)
        reads.addWidget(self.read_all)
        form = QFormLayout()
        form.addRow(self.tr("Plate"), self.text)
        form.addRow("", self.hint)
        form.addRow(self.tr("Add to incident"), self.incident)
        form.addRow("", self.to_alert)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.close_button)
        side = QVBoxLayout()
        side.addLayout(reads)
        side.addWidget(self.progress)
        side.addWidget(self.status)
        side.addWidget(self.candidates)
        side.addWidget(self.crop, 0, Qt.AlignmentFlag.AlignHCenter)
        side.addLayout(form)
        side.addStretch(1)
        side.addLayout(buttons)
        layout = QHBoxLayout(self)
        layout.addWidget(self.picture, 3)
        layout.addLayout(side, 2)

    # --- reading ----------------------------------------------------------------------------------------

    @property
    def busy(self) -> bool:
        """A read is running."""
        return self.progress.isVisibleTo(self)

    def read_in_box(self) -> None:
        if self.picture.box is not None:
            self._read(self.picture.box)

    def read_whole(self) -> None:
        self.picture.set_box(None)
        self._read(None)

    def _read(self, box: Box | None) -> None:
        self._asked += 1
        token = self._asked
        self.status.setText(self.tr("Reading…") if self.service.loaded else
                            self.tr("Loading the plate reader (the first time takes a few seconds)…"))
        self.progress.show()
        self.picture.show_found([])
        self.chosen = None
        future = self.service.read(self.pixels, box)
        relay = self._relay
        future.add_done_callback(lambda done: relay.done.emit((token, done)))
        self._update()

    def _answered(self, outcome: object) -> None:
        token, future = outcome if isinstance(outcome, tuple) else (0, None)
        if token != self._asked or not isinstance(future, concurrent.futures.Future):
            return  # an earlier read's answer, after the officer asked again
        self.progress.hide()
        self._update()
        if future.cancelled() or future.exception() is not None:
            self.status.setText(self.tr("The plate could not be read. Try again; if it fails again, tell the "
                                        "administrator."))
            return
        reading: Reading = future.result()
        self.reading = reading
        self.candidates.blockSignals(True)
        self.candidates.clear()
        for candidate in reading.candidates:
            item = QListWidgetItem(self.tr("{plate} ({percent}%)").format(plate=candidate.text,
                                                                          percent=round(candidate.confidence * 100)))
            self.candidates.addItem(item)
        self.candidates.blockSignals(False)
        self.candidates.setVisible(len(reading.candidates) > 1)
        self.picture.show_found([c.box for c in reading.candidates if c.plate is not None])
        milliseconds = round(reading.elapsed_s * 1000)
        if reading.best is None:
            self.status.setText(self.tr("No text could be read there: draw the box closer around the plate, or "
                                        "type the plate."))
            self._show_crop()
        elif reading.best.plate is None:
            self.status.setText(self.tr("The text read is not a Vietnamese plate: correct it before saving."))
        elif len(reading.candidates) > 1:
            self.status.setText(self.tr("{count} plates found in {ms} ms: choose one.").format(
                count=len(reading.candidates), ms=milliseconds))
        else:
            self.status.setText(self.tr("Read in {ms} ms: check it against the picture.").format(ms=milliseconds))
        if reading.best is not None:
            self.candidates.blockSignals(True)
            self.candidates.setCurrentRow(0)
            self.candidates.blockSignals(False)
            self._candidate_chosen(0)

    def _candidate_chosen(self, row: int) -> None:
        if self.reading is None or not 0 <= row < len(self.reading.candidates):
            return
        self.chosen = self.reading.candidates[row]
        self.text.setText(self.chosen.text)
        self._show_crop()

    def crop_box(self) -> Box:
        """What is saved as the plate's picture: the box drawn, else the plate chosen (with a margin), else all."""
        height, width = self.pixels.shape[:2]
        return crop_box(self.picture.box, self.chosen, width, height)

    def _show_crop(self) -> None:
        x0, y0, x1, y1 = self.crop_box()
        part = np.ascontiguousarray(self.pixels[y0:y1, x0:x1])
        if part.size == 0:
            self.crop.clear()
            return
        image = QImage(part.data, part.shape[1], part.shape[0], part.shape[1] * 3, QImage.Format.Format_RGB888)
        self.crop.setPixmap(QPixmap.fromImage(image.copy()).scaled(
            *CROP_VIEW, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation))

    # --- saving -----------------------------------------------------------------------------------------

    def save(self) -> None:
        typed = self.text.text().strip()
        if not typed or self._saving:
            return
        box = self.crop_box()
        chosen = self.chosen
        keeper, pixels, source = self.keeper, self.pixels, self.source
        to_alert = self.to_alert.isChecked() and source.alert_id is not None
        incident_id = self.incident.currentData()
        read_text = " ".join(chosen.lines) if chosen is not None else ""
        confidence = chosen.confidence if chosen is not None else None
        self._saving = True
        self.status.setText(self.tr("Saving…"))
        self._update()
        self._save_call.start(lambda: keeper.save(typed, pixels, box, source, to_alert=to_alert,
                                                  incident_id=incident_id, read_text=read_text,
                                                  confidence=confidence), "plate-save")

    def _saved(self, outcome: object) -> None:
        self._saving = False
        self._update()
        if isinstance(outcome, ActionRefusedError | IncidentError):
            self.status.setText(outcome.message(ui_lang()))
            return
        if not isinstance(outcome, KeptPlate):
            self.status.setText(self.tr("The plate could not be saved. Try again; if it fails again, tell the "
                                        "administrator."))
            return
        places = []
        if outcome.alert_plate_id is not None:
            places.append(self.tr("alert no. {number}").format(number=self.source.alert_id))
        if outcome.incident_id is not None:
            places.append(self.tr("incident no. {number}").format(number=outcome.incident_id))
        self.status.setText(self.tr("Plate {plate} saved with {places}.").format(plate=outcome.text,
                                                                                places=", ".join(places)))
        self.text.setText(outcome.text)
        self.kept.emit(outcome)

    def _update(self) -> None:
        typed = self.text.text().strip()
        plate = normalise(typed) if typed else None
        if not typed:
            self.hint.setText("")
        elif plate is not None:
            self.hint.setText(self.tr("Vietnamese plate: {plate}").format(plate=plate.text))
            self.hint.setStyleSheet(OK_STYLE)
        else:
            self.hint.setText(self.tr("Not a Vietnamese plate's layout: it is saved as typed."))
            self.hint.setStyleSheet(WARN_STYLE)
        somewhere = (self.to_alert.isChecked() and self.source.alert_id is not None) \
            or self.incident.currentData() is not None
        self.save_button.setEnabled(bool(typed) and somewhere and not self._saving)
        self.read_box.setEnabled(self.picture.box is not None and not self.busy)
        self.read_all.setEnabled(not self.busy)
