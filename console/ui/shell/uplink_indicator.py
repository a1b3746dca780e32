"""*Kết nối tỉnh* in the status bar: the province uplink's state and how many messages wait, read every second
from the publisher's snapshot (plain data, no I/O on the GUI thread); its tooltip says what is wrong."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QTimer, Signal
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QLabel, QWidget

from console.ui.shell.i18n import ui_lang
from console.ui.widgets.overrides import qt_override
from console.uplink.status import Connection, UplinkStatus

REFRESH_MS = 1000
COLORS = {Connection.CONNECTED: "#2b8a3e", Connection.CONNECTING: "#e67700", Connection.DISCONNECTED: "#c92a2a",
          Connection.OFF: "#868e96"}


class UplinkIndicator(QLabel):
    """`clicked`: the admin's page of the backlog is asked for."""

    clicked = Signal()

    def __init__(self, status: Callable[[], UplinkStatus], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("uplinkIndicator")
        self._status = status
        self._timer = QTimer(self)
        self._timer.timeout.connect(self.refresh)
        self._timer.start(REFRESH_MS)
        self.refresh()

    def refresh(self) -> None:
        status = self._status()
        lang = ui_lang()
        self.setText(status.line(lang))
        self.setStyleSheet(f"color: {COLORS.get(status.connection, '#000000')};")
        self.setToolTip(status.problem_text(lang) or "")

    @qt_override
    def mousePressEvent(self, event: QMouseEvent) -> None:
        del event
        self.clicked.emit()
