"""One video intake on a worker thread: the core's progress (called on that thread) comes back by a queued
signal, the cancel flag is the core's `threading.Event`, and the outcome is one of three signals on the GUI
thread."""

from __future__ import annotations

import contextlib
import threading

from PySide6.QtCore import QObject, Qt, Signal

from console.incidents.intake import IntakeRequest, receive_video
from console.incidents.messages import IncidentError, IntakeCancelledError
from console.incidents.progress import IntakeProgress
from console.incidents.service import Incidents
from console.incidents.video_record import IntakeRecord
from console.officers.guard import ActionRefusedError
from console.ui.shell.i18n import ui_lang
from console.ui.widgets.background import BackgroundCall


class _ProgressBridge(QObject):
    """Lives on the GUI thread; the worker emits, Qt queues."""

    reported = Signal(object)


class IntakeRun(QObject):
    progressed = Signal(object)  # IntakeProgress
    received = Signal(object)  # IntakeRecord: stored, linked, audited
    refused = Signal(str)  # why not, naming the file: nothing of it was kept
    cancelled = Signal(str)  # the officer cancelled: nothing was kept

    def __init__(self, incidents: Incidents, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._incidents = incidents
        self._bridge = _ProgressBridge(self)
        self._bridge.reported.connect(self._progress, Qt.ConnectionType.QueuedConnection)
        self._call = BackgroundCall(self)
        self._call.done.connect(self._done)
        self._cancel: threading.Event | None = None
        self._name = ""

    @property
    def running(self) -> bool:
        return self._cancel is not None

    def start(self, request: IntakeRequest) -> None:
        if self._cancel is not None:
            raise RuntimeError("one intake at a time per sheet")
        cancel = self._cancel = threading.Event()
        self._name = request.source.name
        incidents, bridge = self._incidents, self._bridge

        def report(progress: IntakeProgress) -> None:
            with contextlib.suppress(RuntimeError):  # the sheet was deleted under a running intake: unseen
                bridge.reported.emit(progress)

        def receive() -> object:
            try:
                return receive_video(incidents, request, report, cancel)
            except (IncidentError, ActionRefusedError) as exc:  # a refusal is an answer, not a failure to log
                return exc

        self._call.start(receive, "video intake")

    def cancel(self) -> None:
        if self._cancel is not None:
            self._cancel.set()

    def _progress(self, progress: object) -> None:
        if self._cancel is not None and isinstance(progress, IntakeProgress):
            self.progressed.emit(progress)

    def _done(self, outcome: object) -> None:
        self._cancel = None
        if isinstance(outcome, IntakeRecord):
            self.received.emit(outcome)
        elif isinstance(outcome, IntakeCancelledError):
            self.cancelled.emit(outcome.message(ui_lang()))
        elif isinstance(outcome, (IncidentError, ActionRefusedError)):
            self.refused.emit(outcome.message(ui_lang()))
        else:  # logged with its trace by the worker
            self.refused.emit(self.tr("The file {name} could not be received ({reason}): nothing of it was kept.")
                              .format(name=self._name, reason=type(outcome).__name__))

