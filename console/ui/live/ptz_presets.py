"""*Vị trí đặt sẵn* (PTZ presets) of one camera: the named presets with the picture taken when each was saved,
empty slots hidden (Hikvision lists 300), go to one (officers), save the current view as a new one, rename and
delete (admins). Every call runs on the ONVIF network loop; the answers come back by a queued signal, so a slow
or broken camera never holds the GUI. The thumbnails are small JPEGs in the data folder, one per preset token.
"""

from __future__ import annotations

import concurrent.futures
import logging
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QSize, Qt, Signal
from PySide6.QtGui import QIcon, QImage, QPixmap
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from console.officers.guard import ActionRefusedError, Officers
from console.officers.roles import Permission
from console.onvif.camera_services import CameraServices
from console.onvif.ptz import Preset, PtzController
from console.ui.shell.i18n import ui_lang
from console.ui.widgets.image_bytes import encoded

log = logging.getLogger(__name__)

THUMB_WIDTH = 160
THUMB_QUALITY = 80
PRESETS_FOLDER = "ptz-presets"


def thumbnail_path(folder: Path, camera_id: str, token: str) -> Path:
    safe = "".join(ch if ch.isalnum() or ch in "-_" else "_" for ch in token)
    return folder / camera_id / f"{safe}.jpg"


class _Answers(QObject):
    """From the network loop to the GUI thread: (what was asked, the answer or the exception)."""

    arrived = Signal(str, object)


class PresetsPanel(QDialog):
    """`loaded(list)` after the presets are read; `failed(str)` with the sentence shown."""

    loaded = Signal(list)
    failed = Signal(str)

    def __init__(self, services: CameraServices, camera_id: str, camera_label: str, folder: Path,
                 picture: Callable[[], QImage | None], officers: Officers | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("ptzPresets")
        self.setWindowTitle(self.tr("Presets — {camera}").format(camera=camera_label))
        self.resize(420, 520)
        self._services, self.camera_id, self._folder = services, camera_id, folder
        self._picture, self._officers = picture, officers
        self.presets: list[Preset] = []
        self._pending_picture: QImage | None = None  # the view being saved, kept as its thumbnail
        self._removing = ""  # the token being deleted (its thumbnail goes with it)
        self._answers = _Answers(self)
        self._answers.arrived.connect(self._answered)
        self.list = QListWidget(self)
        self.list.setObjectName("presetList")
        self.list.setIconSize(QSize(THUMB_WIDTH, THUMB_WIDTH * 9 // 16))
        self.list.itemDoubleClicked.connect(lambda _item: self.go())
        self.message = QLabel(self)
        self.message.setObjectName("presetMessage")
        self.message.setWordWrap(True)
        self.go_button = self._button("presetGo", self.tr("Go to"), self.go)
        self.save_button = self._button("presetSave", self.tr("Save the current view…"), self._ask_save)
        self.rename_button = self._button("presetRename", self.tr("Rename…"), self._ask_rename)
        self.remove_button = self._button("presetRemove", self.tr("Delete"), self.remove)
        buttons = QHBoxLayout()
        for button in (self.go_button, self.save_button, self.rename_button, self.remove_button):
            buttons.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.list, 1)
        layout.addLayout(buttons)
        layout.addWidget(self.message)
        manage = officers is None or officers.may(Permission.EDIT_SITE)
        for button in (self.save_button, self.rename_button, self.remove_button):
            button.setVisible(manage)  # hidden for officers; the service refuses them anyway
        self.reload()

    def _button(self, name: str, text: str, slot: Callable[[], None]) -> QPushButton:
        button = QPushButton(text, self)
        button.setObjectName(name)
        button.clicked.connect(slot)
        return button

    # What the officer does ---------------------------------------------------------------------------------

    def selected(self) -> Preset | None:
        row = self.list.currentRow()
        return self.presets[row] if 0 <= row < len(self.presets) else None

    def reload(self) -> None:
        controller = self._controller()
        if controller is not None:
            self.message.setText(self.tr("Reading the presets…"))
            self._ask("list", controller.presets())

    def go(self) -> None:
        preset, controller = self.selected(), self._controller()
        if preset is not None and controller is not None and self._allowed(Permission.PTZ, preset.token):
            self.message.setText(self.tr("Turning to {name}…").format(name=preset.name))
            self._ask("go", controller.goto_preset(preset.token))

    def save_preset(self, name: str) -> None:
        """The camera's current view saved as a new preset `name`; its picture kept as the thumbnail."""
        controller = self._controller()
        if controller is None or not name.strip() or not self._allowed(Permission.EDIT_SITE, name):
            return
        self._pending_picture = self._picture()
        self._ask("save", controller.set_preset(name.strip()))

    def rename(self, name: str) -> None:
        preset, controller = self.selected(), self._controller()
        if preset is None or controller is None or not name.strip() or \
                not self._allowed(Permission.EDIT_SITE, preset.token):
            return
        self.message.setText(self.tr("The camera turns to the preset to save it under its new name…"))
        self._ask("rename", controller.rename_preset(preset.token, name.strip()))

    def remove(self) -> None:
        preset, controller = self.selected(), self._controller()
        if preset is None or controller is None or not self._allowed(Permission.EDIT_SITE, preset.token):
            return
        self._removing = preset.token
        self._ask("remove", controller.remove_preset(preset.token))

    def _ask_save(self) -> None:
        name, ok = QInputDialog.getText(self, self.tr("Save the current view"), self.tr("Preset name"))
        if ok:
            self.save_preset(name)

    def _ask_rename(self) -> None:
        preset = self.selected()
        if preset is None:
            return
        name, ok = QInputDialog.getText(self, self.tr("Rename the preset"), self.tr("Preset name"), text=preset.name)
        if ok:
            self.rename(name)

    # Plumbing ----------------------------------------------------------------------------------------------

    def _controller(self) -> PtzController | None:
        controller = self._services.ptz(self.camera_id)
        if controller is None:
            self.message.setText(self.tr("The camera's PTZ is not connected."))
        return controller

    def _allowed(self, permission: Permission, target: str) -> bool:
        if self._officers is None:
            return True
        try:
            self._officers.require(permission, camera=self.camera_id, target=f"preset:{target}")
        except ActionRefusedError as exc:
            self.message.setText(exc.message(ui_lang()))
            self.failed.emit(exc.message(ui_lang()))
            return False
        return True

    def _ask(self, what: str, command: Coroutine[Any, Any, Any]) -> None:
        future = self._services.run(command)
        arrived = self._answers.arrived

        def done(result: concurrent.futures.Future[Any]) -> None:  # on the network loop
            error = result.exception()
            arrived.emit(what, error if error is not None else result.result())

        future.add_done_callback(done)

    def _answered(self, what: str, outcome: object) -> None:
        if isinstance(outcome, BaseException):
            log.warning("%s: preset %s failed: %s", self.camera_id, what, type(outcome).__name__)
            text = str(getattr(outcome, "message_vi", "")) or self.tr("The camera did not answer.")
            self.message.setText(text)
            self.failed.emit(text)
            return
        if what == "list":
            self._show(outcome if isinstance(outcome, list) else [])
        elif what == "go":
            self.message.setText("")
        elif what == "save":
            self._keep_thumbnail(str(outcome))
            self.reload()
        elif what == "remove":
            thumbnail_path(self._folder, self.camera_id, self._removing).unlink(missing_ok=True)
            self.reload()
        else:
            self.reload()

    def _show(self, presets: list[Preset]) -> None:
        self.presets = presets
        self.list.clear()
        for preset in presets:
            item = QListWidgetItem(preset.name, self.list)
            thumb = thumbnail_path(self._folder, self.camera_id, preset.token)
            if thumb.is_file():
                item.setIcon(QIcon(QPixmap(str(thumb))))
        self.message.setText(self.tr("{count} presets").format(count=len(presets)) if presets else
                             self.tr("This camera has no named preset yet."))
        self.loaded.emit(presets)

    def _keep_thumbnail(self, token: str) -> None:
        picture, self._pending_picture = self._pending_picture, None
        if not token or picture is None or picture.isNull():
            return
        target = thumbnail_path(self._folder, self.camera_id, token)
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            small = picture.scaledToWidth(THUMB_WIDTH, Qt.TransformationMode.SmoothTransformation)
            target.write_bytes(encoded(small, "JPG", THUMB_QUALITY))  # a 160-pixel JPEG: a few ms
        except OSError as exc:
            log.warning("%s: preset thumbnail not kept: %s", self.camera_id, exc)
