"""*Xuất hồ sơ vụ việc*: the sheet that runs one case export off the GUI thread (the core's `CaseExport.run` on a
QThread: its PDF report needs one), shows the core's progress line and bar, cancels on *Hủy* or when closed (the
sheet closes once the export has removed its `.part` folder), and says the outcome as the core words it."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from console.core.config import MapConfig
from console.evidence.messages import EvidenceError
from console.incidents.case_export import CaseExport, CaseExportRequest, CaseExportResult, CaseProgress
from console.incidents.case_report import CaseNames, CaseReport
from console.incidents.messages import CaseExportCancelledError, IncidentError
from console.incidents.model import Incident
from console.incidents.service import Incidents
from console.officers.guard import ActionRefusedError
from console.store.recordings import index_opener
from console.ui.incidents.case_report_pdf import write_case_report_pdf
from console.ui.shell.i18n import ui_lang
from console.ui.widgets.background import BackgroundCall
from console.ui.widgets.form_units import FormUnits
from console.ui.widgets.overrides import qt_override
from console.ui.widgets.progress_lines import progress_lines

PROGRESS_STEPS = 1000
ERROR_STYLE = "color: #c92a2a;"
SHEET_WIDTH_PX = 620


@dataclass(frozen=True)
class CaseExportSetup:
    """What the console hands the *Vụ việc* dock for case exports: the recordings folder, the database holding
    their index, the commune's units for the report's header, how cameras and sites are named (and where they
    are), where the folder picker opens first, and the offline maps the report's map picture is drawn from."""

    recordings: Path
    database: Path
    units: FormUnits
    names: CaseNames = field(default_factory=CaseNames)
    start_folder: Path | None = None
    map: MapConfig | None = None  # the site's offline maps: the report's map picture (None: the report says so)


class _ProgressBridge(QObject):
    """Lives on the GUI thread; the export's threads emit, Qt queues."""

    reported = Signal(object)


class CaseExportDialog(QDialog):
    exported = Signal(object)  # CaseExportResult: the folder is whole, signed and audited
    progressed = Signal(object)  # CaseProgress, once the bar and the line show it

    def __init__(self, parent: QWidget | None, incidents: Incidents, incident: Incident, setup: CaseExportSetup,
                 target: Path, picture: Callable[[str], Path]) -> None:
        super().__init__(parent)
        self.setObjectName("caseExportDialog")
        self.setWindowTitle(self.tr("Export the case file"))
        self.setMinimumWidth(SHEET_WIDTH_PX)
        self.incident = incident
        self.target = target
        self.case_result: CaseExportResult | None = None
        units, maps = setup.units, setup.map

        def write_report(path: Path, report: CaseReport) -> None:
            write_case_report_pdf(path, report, units, maps)

        self.request = CaseExportRequest(incident.id, target, setup.recordings, index_opener(setup.database), picture,
                                         write_report, setup.names, ui_lang())
        self._incidents = incidents
        self._job: CaseExport | None = None
        self._close_when_done = False
        self._bridge = _ProgressBridge(self)
        self._bridge.reported.connect(self._progressed, Qt.ConnectionType.QueuedConnection)
        self._call = BackgroundCall(self)
        self._call.done.connect(self._done)
        self._build()

    def _build(self) -> None:
        heading = QLabel(self.tr("Incident no. {number}: {title}").format(number=self.incident.id,
                                                                          title=self.incident.title), self)
        heading.setWordWrap(True)
        self.folder_line = QLabel(self.tr("Case folder: {folder}").format(folder=str(self.target)), self)
        self.folder_line.setObjectName("caseFolder")
        self.folder_line.setWordWrap(True)
        self.folder_line.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.progress, self.progress_line, self.outcome = progress_lines(self, "caseExport", PROGRESS_STEPS)
        self.outcome.hide()
        self.cancel = QPushButton(self.tr("Cancel"), self)
        self.cancel.setObjectName("caseExportCancel")
        self.cancel.clicked.connect(self._cancel_clicked)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.cancel)
        column = QVBoxLayout(self)
        for widget in (heading, self.folder_line, self.progress, self.progress_line, self.outcome):
            column.addWidget(widget)
        column.addLayout(buttons)

    @property
    def running(self) -> bool:
        return self._job is not None

    def start(self) -> None:
        if self._job is not None:
            return
        bridge = self._bridge

        def report(progress: CaseProgress) -> None:
            with contextlib.suppress(RuntimeError):  # the sheet was deleted under a running export: unseen
                bridge.reported.emit(progress)

        job = self._job = CaseExport(self._incidents, self.request, report)

        def export() -> object:
            try:
                return job.run()
            except (IncidentError, ActionRefusedError, EvidenceError) as exc:  # an answer, not a failure to log
                return exc

        self.progress.setValue(0)
        self.progress_line.setText(self.tr("Starting the export of incident no. {number}").format(
            number=self.incident.id))
        self._call.start(export, "case export")

    def _progressed(self, progress: object) -> None:
        if self._job is not None and isinstance(progress, CaseProgress):
            self.progress.setValue(round(progress.overall * PROGRESS_STEPS))
            self.progress_line.setText(progress.message(ui_lang()))
            self.progressed.emit(progress)

    def _done(self, outcome: object) -> None:
        self._job = None
        self.cancel.setEnabled(True)
        self.cancel.setText(self.tr("Close"))
        self.progress_line.hide()
        if isinstance(outcome, CaseExportResult):
            self.case_result = outcome
            self.progress.setValue(PROGRESS_STEPS)
            self._say(self.tr("The case file was exported and signed: {folder} ({count} files). SHA-256 of the "
                              "manifest: {sha256}").format(folder=str(outcome.folder), count=len(outcome.files),
                                                           sha256=outcome.manifest_sha256), error=False)
            self.exported.emit(outcome)
        elif isinstance(outcome, (IncidentError, ActionRefusedError, EvidenceError)):
            self.progress.hide()
            self._say(outcome.message(ui_lang()), error=not isinstance(outcome, CaseExportCancelledError))
        else:  # logged with its trace by the worker
            self.progress.hide()
            self._say(self.tr("The case file could not be exported ({reason}): nothing of it was left behind.")
                      .format(reason=type(outcome).__name__), error=True)
        if self._close_when_done:
            self.done(QDialog.DialogCode.Rejected)

    def _say(self, text: str, error: bool) -> None:
        self.outcome.setText(text)
        self.outcome.setStyleSheet(ERROR_STYLE if error else "")
        self.outcome.show()

    def _cancel_clicked(self) -> None:
        if self._job is not None:
            self._cancel_run()
        else:
            self.reject()

    def _cancel_run(self) -> None:
        if self._job is not None:
            self._job.cancel()
        self.cancel.setEnabled(False)
        self.progress_line.setText(self.tr("Cancelling: removing what was written…"))

    @qt_override
    def reject(self) -> None:
        """Esc, the title bar's close, *Hủy* when idle: a running export is cancelled first, and the sheet closes
        once it has removed what it wrote."""
        if self._job is not None:
            self._close_when_done = True
            self._cancel_run()
            return
        super().reject()

    @qt_override
    def closeEvent(self, event: QCloseEvent) -> None:
        if self._job is not None:
            event.ignore()
            self.reject()
            return
        super().closeEvent(event)
