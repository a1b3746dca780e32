"""One blocking call (writing a form's PDF: 50–600 ms) on its own thread, its outcome back on the GUI thread."""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QObject, QThread, Signal

log = logging.getLogger(__name__)


class _Worker(QThread):
    """A QThread, not a Python thread: QTextDocument starts timers while it lays out, and only a QThread has
    the event dispatcher they need (in a plain thread Qt warns and the timers are lost)."""

    done = Signal(object)

    def __init__(self, call: Callable[[], object], name: str) -> None:
        super().__init__(QCoreApplication.instance())  # outlives whoever asked, until it has finished
        self.setObjectName(name)
        self._call = call
        self.finished.connect(self.deleteLater)

    def run(self) -> None:
        try:
            outcome = self._call()
        except Exception as exc:  # handed to the GUI, which says so in a sentence; the trace goes to the log
            log.exception("%s failed", self.objectName())
            outcome = exc
        self.done.emit(outcome)


class BackgroundCall(QObject):
    """`done` carries the call's return value, or the exception it raised, to the thread this object lives in
    (a queued signal). QTextDocument, QPdfWriter and QImage may be used off the GUI thread; widgets may not."""

    done = Signal(object)

    def start(self, call: Callable[[], object], name: str) -> None:
        worker = _Worker(call, name)
        worker.done.connect(self._relay)  # queued: this object lives in the GUI thread; gone with it if deleted
        worker.start()

    def _relay(self, outcome: object) -> None:
        self.done.emit(outcome)
