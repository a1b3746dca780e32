"""The *Camera* menu of the main window: *Thêm camera…*, *Thêm điểm…*, and a camera's *Sửa camera…* (tile menu).

A saved change is in the site file at once (validated, atomic, a backup kept); the live wall, the recorder,
analytics and the ONVIF services are built from the site file at start, so the officer is offered to restart
the console's live part now (a few seconds without pictures or recording) or to let the change wait for the next
start. The demo's site file is the shipped one: it is not edited (the menu says so).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QMainWindow, QMenu, QMessageBox

from console.core.config import SiteConfig
from console.core.config_edit import SiteFileEditor
from console.core.credentials import CredentialStore
from console.officers.guard import ActionRefusedError, Officers, open_officers
from console.officers.roles import Permission
from console.officers.site_edits import guarded_editor
from console.ui.onboarding.camera_dialog import open_camera_dialog
from console.ui.onboarding.site_dialog import open_site_dialog
from console.ui.onboarding.wizard import open_add_camera_wizard
from console.ui.shell.i18n import ui_lang

SAY_MS = 15_000


class CameraSetup(QObject):
    """Opens the onboarding dialogs over the window's site file; `restart` asks for the wall to be rebuilt from it.
    It keeps no Python reference to its window (its Qt parent): no cycle for the garbage collector to break."""

    restart = Signal()

    def __init__(self, window: QMainWindow, config: SiteConfig, store: CredentialStore | None, *,
                 editable: bool, officers: Officers | None = None) -> None:
        super().__init__(window)
        self.officers = officers or open_officers()
        self.config = config
        self._store = store
        self.editable = editable and config.source is not None and store is not None
        self.last_dialog: QObject | None = None

    @property
    def _window(self) -> QMainWindow:
        window = self.parent()
        assert isinstance(window, QMainWindow)
        return window

    def _editor(self) -> SiteFileEditor:
        assert isinstance(self.config.source, Path)
        return guarded_editor(self.config.source, self.officers.guard, self.officers.audit)

    def build_menu(self, menu: QMenu) -> None:
        for text, slot in ((self.tr("Add cameras…"), self.add_cameras), (self.tr("Add a site…"), self.add_site)):
            action = menu.addAction(text)
            action.triggered.connect(slot)
            action.setEnabled(self.editable)
            if not self.editable:
                action.setToolTip(self.tr("The demo's site file is not edited: install a commune's site file first."))
        menu.setToolTipsVisible(True)

    def camera_actions(self, camera_id: str) -> list[tuple[str, object]]:
        if not self.editable:
            return []
        return [(self.tr("Edit camera…"), lambda: self.edit_camera(camera_id))]

    def _allowed(self) -> bool:
        """Only admins open the wizard and the dialogs (their save asks again: the desk may change hands)."""
        try:
            self.officers.require(Permission.EDIT_SITE)
        except ActionRefusedError as exc:
            self._window.statusBar().showMessage(exc.message(ui_lang()), SAY_MS)
            return False
        return True

    def add_cameras(self) -> None:
        if not self._allowed():
            return
        assert self._store is not None
        dialog = open_add_camera_wizard(self._window, self.config, self._editor(), self._store)
        dialog.saved.connect(self._saved)
        self.last_dialog = dialog

    def add_site(self) -> None:
        if not self._allowed():
            return
        assert self._store is not None
        dialog = open_site_dialog(self._window, self.config, self._editor(), self._store)
        dialog.saved.connect(self._saved)
        self.last_dialog = dialog

    def edit_camera(self, camera_id: str) -> None:
        if not self._allowed():
            return
        assert self._store is not None
        assert isinstance(self.config.source, Path)
        recording = guarded_editor(self.config.source, self.officers.guard, self.officers.audit,
                                   Permission.EDIT_RECORDING)
        dialog = open_camera_dialog(self._window, self.config, self._editor(), self._store, camera_id,
                                    recording_editor=recording)
        dialog.saved.connect(self._saved)
        self.last_dialog = dialog

    def _saved(self, config: SiteConfig) -> None:
        self.config = config
        box = QMessageBox(
            QMessageBox.Icon.Question,
            self.tr("Site file saved"),
            self.tr(
                "The site file is saved. Restart the live view now to show the change? Pictures "
                "and recording stop for a few seconds."
            ),
            parent=self._window,
        )
        now = box.addButton(self.tr("Restart the live view now"), QMessageBox.ButtonRole.AcceptRole)
        box.addButton(self.tr("At the next start"), QMessageBox.ButtonRole.RejectRole)
        box.setObjectName("restartQuestion")
        box.finished.connect(lambda _code: self._answered(box.clickedButton() is now))
        box.open()

    def _answered(self, restart: bool) -> None:
        if restart:
            self.restart.emit()
        else:
            self._window.statusBar().showMessage(
                self.tr("The change is in the site file; it shows at the next start."), SAY_MS
            )
