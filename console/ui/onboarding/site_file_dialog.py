"""What the camera and site dialogs share: a controller, its tasks on the network loop, the save that runs off
the GUI thread and ends the dialog, and the sentence saying why nothing was saved."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QDialog, QLabel, QWidget

from console.core.config import SiteConfig
from console.onboarding.controller import OnboardingController
from console.onvif.network_loop import NetworkLoop
from console.ui.onboarding.tasks import NetworkTasks
from console.ui.onboarding.texts import save_error_text
from console.ui.widgets.overrides import qt_override


class SiteFileDialog(QDialog):
    saved = Signal(object)  # SiteConfig: the site file as written

    def __init__(self, controller: OnboardingController, network_loop: NetworkLoop | None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.tasks = NetworkTasks(network_loop, self)
        self.error = QLabel(self)
        self.error.setObjectName("saveError")
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #c92a2a;")
        self.saving = False

    def save_with(self, work: Callable[[], SiteConfig]) -> None:
        """`work` (a controller's save) on a worker thread; `saved` and the dialog's end when it is written."""
        if self.saving:
            return
        self.saving = True
        self.error.clear()
        self.tasks.run(asyncio.to_thread(work), self._saved, self._not_saved)

    def _saved(self, config: SiteConfig) -> None:
        self.saving = False
        self.saved.emit(config)
        self.accept()

    def _not_saved(self, error: BaseException) -> None:
        self.saving = False
        self.error.setText(save_error_text(error))

    def done(self, result: int) -> None:
        if self.saving:  # the files are being written: wait for the outcome
            return
        super().done(result)
        self.tasks.close()

    @qt_override
    def closeEvent(self, event: QCloseEvent) -> None:
        if self.saving:
            event.ignore()
            return
        super().closeEvent(event)
