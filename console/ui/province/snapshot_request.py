"""*Yêu cầu ảnh chụp*: the province officer picks a commune and one of its cameras (the ones its health messages
named) and asks for a live picture; the commune's answer is shown with the time it was taken, or its refusal,
or that none came in time.

The request goes out through the receiver's connection (`ask` returns at once); a timer polls its state (plain
data, no I/O) and the JPEG is decoded on a worker thread before it is shown.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication, Qt, QTimer, Signal
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from console.core.vntime import format_vn_ms, now_ms
from console.province.config import ProvinceCommune
from console.province.queries import CameraState
from console.province.snapshot_requests import RequestState, SnapshotRequest
from console.ui.province.words import kind_words
from console.ui.widgets.background import BackgroundCall
from console.uplink.schema import CommandRefusal

POLL_MS = 250
PICTURE_WIDTH_PX = 640
CAMERA_ROLE = Qt.ItemDataRole.UserRole
HEALTHY = "ok"


@dataclass(frozen=True)
class SnapshotDesk:
    """What the pane needs of the receiver: ask (commune, camera) → request id; look (id, now ms) → its state."""

    ask: Callable[[str, str], str]
    look: Callable[[str, int], SnapshotRequest | None]


def refusal_words(reason: str | None) -> str:
    """Why a commune did not send the picture, as the officer reads it."""
    words = {
        CommandRefusal.UNKNOWN_CAMERA.value: QCoreApplication.translate(
            "SnapshotRequestPane", "the commune has no such camera."),
        CommandRefusal.CAMERA_OFFLINE.value: QCoreApplication.translate(
            "SnapshotRequestPane", "the camera is offline at the commune."),
        CommandRefusal.NO_PICTURE.value: QCoreApplication.translate(
            "SnapshotRequestPane", "the commune has no live picture of this camera right now."),
        CommandRefusal.NOT_ALLOWED.value: QCoreApplication.translate(
            "SnapshotRequestPane", "the commune does not allow this request."),
        CommandRefusal.RATE_LIMITED.value: QCoreApplication.translate(
            "SnapshotRequestPane", "asked too often: wait a few seconds and ask again."),
        CommandRefusal.MALFORMED.value: QCoreApplication.translate(
            "SnapshotRequestPane", "the commune could not read the request."),
        CommandRefusal.UNAVAILABLE.value: QCoreApplication.translate(
            "SnapshotRequestPane", "the commune's console does not answer snapshot requests."),
    }
    return words.get(reason or "") or QCoreApplication.translate(
        "SnapshotRequestPane", "refused ({reason}).").format(reason=reason or "?")


class SnapshotRequestPane(QWidget):
    answer_shown = Signal(object)  # the SnapshotRequest once its outcome is on screen (tests)

    def __init__(self, communes: Sequence[ProvinceCommune], desk: SnapshotDesk | None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("provinceSnapshotRequests")
        self._desk = desk
        self._cameras: tuple[CameraState, ...] = ()
        self._pending: str | None = None
        self._decoding: SnapshotRequest | None = None
        self._decoder = BackgroundCall(self)
        self._decoder.done.connect(self._decoded)
        self.commune = QComboBox(self)
        self.commune.setObjectName("provinceSnapshotCommune")
        for commune in communes:
            self.commune.addItem(commune.name, commune.id)
        self.commune.currentIndexChanged.connect(lambda _index: self._fill_cameras())
        self.camera_list = QListWidget(self)
        self.camera_list.setObjectName("provinceSnapshotCameras")
        self.camera_list.currentItemChanged.connect(lambda _now, _before: self._enable())
        self.ask_button = QPushButton(self.tr("Request a snapshot"), self)
        self.ask_button.setObjectName("provinceSnapshotAsk")
        self.ask_button.clicked.connect(self.request)
        self.answer = QLabel(self.tr("Choose a commune's camera and request a snapshot.") if desk else
                             self.tr("Snapshot requests are not available here."), self)
        self.answer.setObjectName("provinceSnapshotAnswer")
        self.answer.setWordWrap(True)
        self.picture = QLabel(self)
        self.picture.setObjectName("provinceSnapshotPicture")
        self.picture.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.picture.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Ignored)
        left = QVBoxLayout()
        left.addWidget(QLabel(self.tr("Commune"), self))
        left.addWidget(self.commune)
        left.addWidget(QLabel(self.tr("Cameras"), self))
        left.addWidget(self.camera_list, 1)
        left.addWidget(self.ask_button)
        right = QVBoxLayout()
        right.addWidget(self.answer)
        right.addWidget(self.picture, 1)
        row = QHBoxLayout(self)
        row.addLayout(left, 1)
        row.addLayout(right, 3)
        self._timer = QTimer(self)
        self._timer.setInterval(POLL_MS)
        self._timer.timeout.connect(self._poll)
        self._enable()

    # -- the cameras -----------------------------------------------------------------------------------------
    def show_cameras(self, cameras: tuple[CameraState, ...]) -> None:
        """The cameras the communes' health messages named (each new overview)."""
        if cameras != self._cameras:
            self._cameras = cameras
            self._fill_cameras()

    def show_commune(self, commune: str) -> None:
        index = self.commune.findData(commune)
        if index >= 0:
            self.commune.setCurrentIndex(index)

    def _fill_cameras(self) -> None:
        commune = self.commune.currentData()
        chosen = self.chosen_camera()
        self.camera_list.clear()
        for camera in (c for c in self._cameras if c.commune == commune):
            state = self.tr("working") if camera.state == HEALTHY else kind_words(camera.state)
            item = QListWidgetItem(self.tr("{camera} — {state}").format(camera=camera.camera, state=state))
            item.setData(CAMERA_ROLE, camera.camera)
            self.camera_list.addItem(item)
            if camera.camera == chosen:
                self.camera_list.setCurrentItem(item)
        self._enable()

    def choose_camera(self, commune: str, camera: str) -> bool:
        """Pick a camera as the officer would (False when the communes' health has not named it)."""
        self.show_commune(commune)
        for row in range(self.camera_list.count()):
            item = self.camera_list.item(row)
            if item.data(CAMERA_ROLE) == camera:
                self.camera_list.setCurrentItem(item)
                return True
        return False

    def chosen_camera(self) -> str | None:
        item = self.camera_list.currentItem()
        value = item.data(CAMERA_ROLE) if item is not None else None
        return value if isinstance(value, str) else None

    def _enable(self) -> None:
        self.ask_button.setEnabled(self._desk is not None and self._pending is None and
                                   self.chosen_camera() is not None)

    # -- asking ----------------------------------------------------------------------------------------------
    def request(self) -> str | None:
        """Ask the chosen camera's commune for a live picture; the request id (None when nothing is chosen)."""
        commune, camera = self.commune.currentData(), self.chosen_camera()
        if self._desk is None or not isinstance(commune, str) or camera is None or self._pending is not None:
            return None
        self._pending = self._desk.ask(commune, camera)
        self.answer.setText(self.tr("Asking {commune} for a picture of camera {camera}…").format(
            commune=self.commune.currentText(), camera=camera))
        self.picture.clear()
        self._enable()
        self._timer.start()
        return self._pending

    def _poll(self) -> None:
        if self._desk is None or self._pending is None:
            self._timer.stop()
            return
        found = self._desk.look(self._pending, now_ms())
        if found is None or not found.done:
            return
        self._timer.stop()
        if found.state is RequestState.ANSWERED and found.jpeg is not None:
            jpeg = found.jpeg
            self._decoding = found
            self._decoder.start(lambda: _decode(jpeg), "province snapshot")
            return
        self._finish(found, None)

    def _decoded(self, outcome: object) -> None:
        """The picture decoded (or the exception that stopped it: said as a picture that could not be read)."""
        request, self._decoding = self._decoding, None
        if request is not None:
            self._finish(request, outcome if isinstance(outcome, QImage) and not outcome.isNull() else None)

    def _finish(self, request: SnapshotRequest, image: QImage | None) -> None:
        self._pending = None
        self.answer.setText(self._outcome_text(request, image))
        if image is not None:
            self.picture.setPixmap(QPixmap.fromImage(image))
        self._enable()
        self.answer_shown.emit(request)

    def _outcome_text(self, request: SnapshotRequest, image: QImage | None) -> str:
        where = {"camera": request.camera, "commune": self.commune.itemText(max(0, self.commune.findData(
            request.commune))) or request.commune}
        if request.state is RequestState.ANSWERED:
            if image is None:
                return self.tr("The picture of camera {camera} ({commune}) could not be read.").format(**where)
            return self.tr("Camera {camera} ({commune}), taken at {time}").format(
                time=format_vn_ms(request.taken_ms or 0), **where)
        if request.state is RequestState.REFUSED:
            return self.tr("{commune} did not send a picture of camera {camera}: {reason}").format(
                reason=refusal_words(request.refused), **where)
        if request.state is RequestState.NOT_SENT:
            return self.tr("The request for camera {camera} ({commune}) was not sent: the province is not "
                           "connected to its broker.").format(**where)
        return self.tr("{commune} did not answer the request for camera {camera} in time. Ask again later.").format(
            **where)


def _decode(jpeg: bytes) -> QImage:
    """On a worker thread (QImage needs no GUI thread): the picture at most PICTURE_WIDTH_PX wide."""
    image = QImage.fromData(jpeg)
    if not image.isNull() and image.width() > PICTURE_WIDTH_PX:
        image = image.scaledToWidth(PICTURE_WIDTH_PX, Qt.TransformationMode.SmoothTransformation)
    return image
