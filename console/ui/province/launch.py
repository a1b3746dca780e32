"""The Qt side of `camera-console --province FILE`: the application (ours, or the one given), the officer told
in a dialog when the province file or store cannot be used, and the province window run until it is closed."""

from __future__ import annotations

import getpass
import signal
import sys

from PySide6.QtCore import QCoreApplication, QEvent, QTimer, QTranslator
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QMessageBox

from console.core.paths import APPLICATION_NAME, resources_dir
from console.province.config import ProvinceConfig
from console.province.receiver import ProvinceReceiver
from console.ui.province.snapshot_request import SnapshotDesk
from console.ui.province.window import ProvinceWindow
from console.ui.shell.event_loop import run_event_loop
from console.ui.shell.fonts import install_fonts
from console.ui.shell.i18n import install_translator
from console.ui.shell.qtlog import route_qt_messages

SIGNAL_POLL_MS = 250  # Python's signal handlers run between Qt's events


def province_application(lang: str, given: object | None = None) -> tuple[QApplication, QTranslator | None]:
    """The application with the console's fonts and translation (`given` when it is one: a test's)."""
    app = given if isinstance(given, QApplication) else None
    if app is None:
        found = QApplication.instance()
        app = found if isinstance(found, QApplication) else QApplication(sys.argv[:1])
        route_qt_messages()
        app.setApplicationName(APPLICATION_NAME)
        app.setWindowIcon(QIcon(str(resources_dir() / "icons" / "camera-console.svg")))
        install_fonts(app)
    return app, install_translator(app, lang)


class ProvinceProblem(QMessageBox):
    """Why the province window cannot open (the province file, its store), in the interface language."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.setObjectName("provinceProblem")
        self.setIcon(QMessageBox.Icon.Critical)
        self.setWindowTitle(self.tr("The province window cannot open"))
        self.setText(text)
        self.addButton(self.tr("Close"), QMessageBox.ButtonRole.AcceptRole)


def store_problem_text(path: str, reason: str) -> str:
    return QCoreApplication.translate("ProvinceProblem", "The province's database {file} cannot be opened: "
                                                         "{reason}").format(file=path, reason=reason)


def show_province_problem(text: str) -> None:
    ProvinceProblem(text).exec()


def show_province_window(app: QApplication, config: ProvinceConfig, receiver: ProvinceReceiver) -> int:
    """The window over the receiver's store until it is closed (or SIGTERM/SIGINT); Qt's exit code."""
    officer = getpass.getuser()  # the province window has no login of its own: the desktop account asks
    desk = SnapshotDesk(lambda commune, camera: receiver.request_snapshot(commune, camera, officer),
                        receiver.requests.get)
    window = ProvinceWindow(config, receiver.status, receiver.queries, snapshots=desk)
    window.showMaximized()
    previous = {number: signal.signal(number, lambda *_: app.quit()) for number in (signal.SIGTERM, signal.SIGINT)}
    wakeup = QTimer(app)
    wakeup.timeout.connect(lambda: None)
    wakeup.start(SIGNAL_POLL_MS)
    try:
        return run_event_loop(app)
    finally:
        wakeup.stop()
        for number, handler in previous.items():
            signal.signal(number, handler)
        window.close()  # its reader stops before the receiver closes the store
        window.deleteLater()
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete.value)
