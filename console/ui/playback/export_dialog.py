"""Evidence export dialog: a range of one camera to MP4 with progress and cancel, then its hash and the
record ("Biên bản trích xuất dữ liệu video": case, reason, requesting authority, first picture, signatures)
as an official PDF form, and the same facts as HTML, next to the file."""

from __future__ import annotations

import html
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Protocol

from PySide6.QtCore import QCoreApplication, QObject, Qt, QUrl, Signal
from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from console.audit.actions import AuditAction
from console.core.config import SiteConfig
from console.core.recording import TimeRange
from console.core.vntime import VN_TZ, format_vn_ms, vn_moment
from console.evidence.export_signing import export_taken, sign_export
from console.evidence.keys import load_or_create_station_key
from console.evidence.manifest import Labelled
from console.evidence.messages import EvidenceError
from console.media.export import EvidenceExport, ExportResult, ExportState, sidecar_path
from console.officers.guard import ActionRefusedError, Officers
from console.officers.roles import Permission
from console.store.recordings import index_opener
from console.ui.shell.i18n import ui_lang
from console.ui.widgets.background import BackgroundCall
from console.ui.widgets.form_units import form_units
from console.ui.widgets.official_form import OfficialForm, Signature, write_form_pdf
from console.ui.widgets.time_edit import VnTimeEdit
from console.ui.widgets.video_still import VideoStill, read_still

EXPORTS_FOLDER = "exports"
PROGRESS_STEPS = 1000
NO_STILL = VideoStill(None, None)
STILL_PRINT_PX = 320  # the first picture's width on the record: ~85 mm (QTextDocument sizes images at 96 dpi)


def _duration(ms: int) -> str:
    seconds = round(ms / 1000)
    return f"{seconds // 3600}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"


@dataclass(frozen=True)
class EvidenceRequest:
    """What the officer writes in the export dialog for the record ("Biên bản trích xuất dữ liệu video")."""

    actor: str  # Người trích xuất
    reason: str  # Lý do trích xuất
    requested_by: str  # Cơ quan/người yêu cầu
    case_number: str = ""  # Số hồ sơ/vụ việc
    witness: str = ""  # Người chứng kiến; "" leaves the name to write by hand
    head_of_unit: str = ""  # Thủ trưởng đơn vị
    record_number: str = ""  # Số biên bản; "" leaves dots


def _title() -> str:
    return QCoreApplication.translate("Evidence", "Video data extraction record")


def evidence_rows(config: SiteConfig, camera_id: str, span: TimeRange, result: ExportResult,
                  request: EvidenceRequest, exported_ms: int, still: VideoStill,
                  fingerprint: str = "") -> list[tuple[str, str]]:
    camera = config.camera(camera_id)
    site = config.site(camera.site_id)
    commune = config.commune
    size = f"{result.size:,}".replace(",", ".")
    duration = _duration(still.duration_ms) if still.duration_ms is not None else ""
    return [
        (QCoreApplication.translate("Evidence", "Case number"), request.case_number),
        (QCoreApplication.translate("Evidence", "Reason for extraction"), request.reason),
        (QCoreApplication.translate("Evidence", "Requested by"), request.requested_by),
        (QCoreApplication.translate("Evidence", "Commune"), f"{commune.name}, {commune.district}, {commune.province}"),
        (QCoreApplication.translate("Evidence", "Camera"), camera.label),
        (QCoreApplication.translate("Evidence", "Site"), site.name),
        (QCoreApplication.translate("Evidence", "Range asked for (UTC+7)"),
         f"{format_vn_ms(span.start_ms)} – {format_vn_ms(span.end_ms)}"),
        (QCoreApplication.translate("Evidence", "First picture in the file (UTC+7)"), format_vn_ms(result.first_ms)),
        (QCoreApplication.translate("Evidence", "Duration (h:mm:ss)"), duration),
        (QCoreApplication.translate("Evidence", "File"), result.path.name),
        (QCoreApplication.translate("Evidence", "Size"),
         QCoreApplication.translate("Evidence", "{size} bytes").format(size=size)),
        (QCoreApplication.translate("Evidence", "SHA-256"), result.sha256 or ""),
        (QCoreApplication.translate("Evidence", "Exported by"), request.actor),
        (QCoreApplication.translate("Evidence", "Exported at (UTC+7)"), format_vn_ms(exported_ms)),
        *([(QCoreApplication.translate("Evidence", "Station key fingerprint (signature)"), fingerprint)]
          if fingerprint else []),
    ]


def _note() -> str:
    return QCoreApplication.translate(
        "Evidence", "The video is copied from the recording without re-encoding. Anyone can check that the file "
                    "is unchanged: its SHA-256 must equal the value above (also in the .sha256 file). The folder's "
                    "manifest.json is signed with the station key whose fingerprint is above: "
                    "python -m console.evidence verify <folder> checks every file and the signature.")


def _table(rows: list[tuple[str, str]]) -> str:
    body = "".join(f"<tr><th align='left' width='32%'>{html.escape(key)}</th><td>{html.escape(value)}</td></tr>"
                   for key, value in rows)
    return f"<table class='grid' border='1' cellspacing='0' cellpadding='4' width='100%'>{body}</table>"


def evidence_html(rows: list[tuple[str, str]]) -> str:
    """The sheet as a standalone HTML page (without the picture) beside the video."""
    title = html.escape(_title())
    return (f"<html><head><meta charset='utf-8'><title>{title}</title></head><body>"
            f"<h2>{title}</h2>{_table(rows)}<p>{html.escape(_note())}</p></body></html>")


def _record_body(rows: list[tuple[str, str]], still: VideoStill, document: QTextDocument) -> str:
    picture = ""
    if still.image is not None:
        url = QUrl("still://first")
        document.addResource(QTextDocument.ResourceType.ImageResource, url, still.image)
        caption = html.escape(QCoreApplication.translate("Evidence", "First picture of the video"))
        picture = (f"<p align='center'><img src='{url.toString()}' width='{STILL_PRINT_PX}'/><br/>"
                   f"<i>{caption}</i></p>")
    return f"{_table(rows)}{picture}<p>{html.escape(_note())}</p>"


def evidence_form(config: SiteConfig, rows: list[tuple[str, str]], request: EvidenceRequest, still: VideoStill,
                  dated: datetime) -> OfficialForm:
    return OfficialForm(
        form_units(config.commune), "BB", request.record_number, dated, _title(), "",
        lambda document: _record_body(rows, still, document),
        (Signature(QCoreApplication.translate("Evidence", "Exported by"), request.actor),
         Signature(QCoreApplication.translate("Evidence", "Witness"), request.witness),
         Signature(QCoreApplication.translate("Evidence", "Head of unit"), request.head_of_unit)))


def write_evidence_sheet(target: Path, config: SiteConfig, camera_id: str, span: TimeRange, result: ExportResult,
                         request: EvidenceRequest, exported_ms: int, still: VideoStill,
                         fingerprint: str = "") -> tuple[Path, Path]:
    """`<file>.html` and the record `<file>.pdf` (to be signed by hand) beside the exported video."""
    rows = evidence_rows(config, camera_id, span, result, request, exported_ms, still, fingerprint)
    html_path = target.with_suffix(".html")
    html_path.write_text(evidence_html(rows), encoding="utf-8")
    pdf_path = target.with_suffix(".pdf")
    dated = vn_moment(exported_ms)
    write_form_pdf(pdf_path, evidence_form(config, rows, request, still, dated))
    return html_path, pdf_path


@dataclass(frozen=True)
class _Done:
    """An export's outcome with the file's first picture, decoded on the export's thread (10–25 ms here)."""

    result: ExportResult
    still: VideoStill


class ExportJob(Protocol):
    """What the dialog runs: the export of own recordings (`EvidenceExport`), or a recorder's download then that
    export (`console.nvr_export.evidence_download.RecorderDownload`)."""

    def start(self) -> None: ...

    def cancel(self) -> None: ...


# (range, target, actor, progress, finished) -> the job, not started
ExportJobMaker = Callable[[TimeRange, Path, str, Callable[[float], None], Callable[[ExportResult], None]], ExportJob]


class _Bridge(QObject):
    progressed = Signal(float)
    finished = Signal(object)


class ExportDialog(QDialog):
    def __init__(self, config: SiteConfig, camera_id: str, span: TimeRange, recordings: Path, db_path: Path,
                 actor: str, parent: QWidget | None = None, officers: Officers | None = None,
                 make_job: ExportJobMaker | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("exportDialog")
        self.make_job = make_job  # None: the console's own recording
        self.officers = officers
        self.setWindowTitle(self.tr("Export evidence"))
        self.config, self.camera_id, self.recordings, self.db_path = config, camera_id, recordings, db_path
        self.job: ExportJob | None = None
        self.outcome: ExportResult | None = None
        self.sheet: tuple[Path, Path] | None = None
        self.manifest: Path | None = None  # the signed manifest.json, once written
        # The camera clock's offset read now (ONVIF), if any: the manifest prefers the one noted while the range
        # was recorded (the segments' index), this one for older recordings.
        self.clock_offset_s: float | None = None
        self._request: EvidenceRequest | None = None  # as written when the export began
        self._span = span
        self.start = VnTimeEdit(span.start_ms, self)
        self.end = VnTimeEdit(span.end_ms, self)
        on_duty = officers.user() if officers is not None else None
        self.actor = self._line("exportActor", on_duty.full_name if on_duty is not None else actor)
        if on_duty is not None:  # the login names who exports, not a typed name
            self.actor.setReadOnly(True)
        self.record_number = self._line("recordNumber", "", self.tr("Empty: left to fill in by hand"))
        self.case_number = self._line("caseNumber")
        self.reason = self._line("exportReason")
        self.requested_by = self._line("requestedBy", "", self.tr("The authority or person who asked"))
        self.witness = self._line("witness")
        self.head_of_unit = self._line("headOfUnit", "", self.tr("Optional"))
        start = vn_moment(span.start_ms)
        stem = f"{camera_id}_{start:%Y%m%d_%H%M%S}"
        default = db_path.parent / EXPORTS_FOLDER / stem / f"{stem}.mp4"  # one folder per export (its manifest)
        self.target = QLineEdit(str(default), self)
        self.target.setObjectName("exportTarget")
        browse = QPushButton(self.tr("Choose…"), self)
        browse.clicked.connect(self._browse)
        target_row = QHBoxLayout()
        target_row.addWidget(self.target, 1)
        target_row.addWidget(browse)
        form = QFormLayout()
        form.addRow(self.tr("Camera"), QLabel(config.camera(camera_id).label, self))
        form.addRow(self.tr("From (UTC+7)"), self.start)
        form.addRow(self.tr("To (UTC+7)"), self.end)
        form.addRow(self.tr("Exported by"), self.actor)
        form.addRow(self.tr("Record number"), self.record_number)
        form.addRow(self.tr("Case number"), self.case_number)
        form.addRow(self.tr("Reason for extraction"), self.reason)
        form.addRow(self.tr("Requested by"), self.requested_by)
        form.addRow(self.tr("Witness"), self.witness)
        form.addRow(self.tr("Head of unit"), self.head_of_unit)
        form.addRow(self.tr("File"), target_row)
        self.progress = QProgressBar(self)
        self.progress.setRange(0, PROGRESS_STEPS)
        self.message = QLabel(self)
        self.message.setObjectName("exportMessage")
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.buttons = QDialogButtonBox(self)
        self.export_button = self.buttons.addButton(self.tr("Export"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.cancel_button = self.buttons.addButton(self.tr("Cancel"), QDialogButtonBox.ButtonRole.RejectRole)
        self.export_button.clicked.connect(self.begin)
        self.cancel_button.clicked.connect(self._cancel_or_close)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.progress)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self._bridge = _Bridge(self)
        self._bridge.progressed.connect(lambda value: self.progress.setValue(int(value * PROGRESS_STEPS)))
        self._bridge.finished.connect(self._finished)
        self._sheet_writer = BackgroundCall(self)
        self._sheet_writer.done.connect(self._sheet_written)

    def _line(self, name: str, text: str = "", placeholder: str = "") -> QLineEdit:
        line = QLineEdit(text, self)
        line.setObjectName(name)
        line.setPlaceholderText(placeholder)
        return line

    def request(self) -> EvidenceRequest:
        return EvidenceRequest(self.actor.text().strip(), self.reason.text().strip(),
                               self.requested_by.text().strip(), self.case_number.text().strip(),
                               self.witness.text().strip(), self.head_of_unit.text().strip(),
                               self.record_number.text().strip())

    def _browse(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Export evidence"), self.target.text(),
                                              self.tr("MP4 video (*.mp4)"))
        if path:
            self.target.setText(path if path.endswith(".mp4") else path + ".mp4")

    def span(self) -> TimeRange:
        return TimeRange(self.start.ms(), self.end.ms())

    def begin(self) -> None:
        span = self.span()
        request = self.request()
        if span.end_ms <= span.start_ms:
            self.message.setText(self.tr("The end must be after the start."))
            return
        if not request.actor:
            self.message.setText(self.tr("Write who exports the evidence."))
            return
        if not request.reason:
            self.message.setText(self.tr("Write the reason for the extraction."))
            return
        if not request.requested_by:
            self.message.setText(self.tr("Write the authority or person who asked for the extraction."))
            return
        target = Path(self.target.text())
        if target.exists():
            self.message.setText(self.tr("{path} already exists: choose another file.").format(path=str(target)))
            return
        if export_taken(target):
            self.message.setText(self.tr("{folder} already holds a signed export: choose another folder.").format(
                folder=str(target.parent)))
            return
        officers = self.officers

        def authorize() -> None:  # asked by the export job itself as it starts
            if officers is not None:
                officers.require(Permission.EXPORT_EVIDENCE, camera=self.camera_id, target=str(target))

        self._request = request
        self._span = span
        try:
            if self.make_job is not None:  # a recorder's download: the same check before it is made
                authorize()
                self.job = self.make_job(span, target, request.actor, self._bridge.progressed.emit, self._done)
            else:
                self.job = EvidenceExport(self.recordings, index_opener(self.db_path), self.camera_id, span, target,
                                          request.actor, progress=self._bridge.progressed.emit,
                                          finished=self._done, authorize=authorize)
            self.job.start()
        except ActionRefusedError as exc:
            self.job = None
            self.message.setText(exc.message(ui_lang()))
            return
        self.export_button.setEnabled(False)
        self.message.setText(self.tr("Exporting…"))

    def _cancel_or_close(self) -> None:
        if self.job is not None and self.outcome is None:
            self.job.cancel()
        else:
            self.reject()

    def _done(self, result: ExportResult) -> None:
        """On the export's thread: the first picture is decoded here, never on the GUI thread."""
        done = ExportState.DONE
        self._bridge.finished.emit(_Done(result, read_still(result.path) if result.state is done else NO_STILL))

    def _sheet_written(self, outcome: object) -> None:
        result = self.outcome
        if result is None:
            return
        signed = isinstance(outcome, tuple)
        if self.officers is not None:  # the video has left the station whether or not its record could be signed
            self.officers.record(AuditAction.EVIDENCE_EXPORTED, camera=self.camera_id, target=str(result.path),
                                 details={"start_ms": self._span.start_ms, "end_ms": self._span.end_ms,
                                          "sha256": result.sha256, "signed": signed,
                                          "manifest": str(self.manifest) if signed and self.manifest else None,
                                          **({} if signed else {"problem": "not_signed" if isinstance(
                                              outcome, EvidenceError) else "no_record"})})
        if isinstance(outcome, tuple):
            self.sheet = outcome
            self.message.setText(self.tr("Exported and signed {path} ({seconds:.1f} s). SHA-256: {hash}").format(
                path=str(result.path), seconds=result.seconds, hash=result.sha256))
        elif isinstance(outcome, EvidenceError):
            self.message.setText(self.tr("Exported {path}, but it could not be signed: {reason}").format(
                path=str(result.path), reason=outcome.message(ui_lang())))
        else:
            self.message.setText(self.tr("Exported {path}, but its record (PDF) could not be written beside it.")
                                 .format(path=str(result.path)))

    def _write_signed(self, result: ExportResult, request: EvidenceRequest, exported_ms: int,
                      still: VideoStill) -> tuple[Path, Path]:
        """On the sheet's worker: the record with the key's fingerprint, then the manifest over every file."""
        key = load_or_create_station_key(self.db_path.parent)  # the data folder's; made on first use
        sheet = write_evidence_sheet(result.path, self.config, self.camera_id, self._span, result, request,
                                     exported_ms, still, key.public.fingerprint())
        camera = self.config.camera(self.camera_id)
        site = self.config.site(camera.site_id)
        index = index_opener(self.db_path)()
        try:
            recorded = index.clock_offset(self.camera_id, self._span.start_ms, self._span.end_ms)
        finally:
            index.close()
        offset = recorded if recorded is not None else self.clock_offset_s
        self.manifest = sign_export(key, [result.path, sidecar_path(result.path), *sheet],
                                    Labelled(camera.id, camera.name), Labelled(site.id, site.name), self._span,
                                    request.actor, exported_ms, offset, self._manifest_extra())
        return sheet

    def _manifest_extra(self) -> dict[str, object]:
        """Keys the manifest adds for this kind of export (a stitched export: its parts); none here."""
        return {}

    def _finished(self, done: _Done) -> None:
        result = done.result
        self.outcome = result
        self.job = None
        self.export_button.setEnabled(True)
        self.cancel_button.setText(self.tr("Close"))
        if result.state is ExportState.DONE:
            request = self._request or self.request()
            exported_ms = int(datetime.now(VN_TZ).timestamp() * 1000)
            self.message.setText(self.tr("Writing the record…"))
            self._sheet_writer.start(lambda: self._write_signed(result, request, exported_ms, done.still),
                                     "evidence record")
        elif result.state is ExportState.CANCELLED:
            self.progress.setValue(0)
            self.message.setText(self.tr("Export cancelled; no file was left behind."))
        else:
            self.message.setText(self.tr("Export failed: {reason}").format(reason=result.detail))
