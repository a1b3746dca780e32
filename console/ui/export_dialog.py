"""Evidence export dialog: a range of one camera to MP4 with progress and cancel, then its hash and the
evidence sheet ("Biên bản trích xuất dữ liệu") as HTML and PDF next to the file."""

from __future__ import annotations

import html
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QObject, Qt, Signal
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

from console.core.config import SiteConfig
from console.core.recording import TimeRange
from console.core.vntime import VN_TZ, format_vn, from_epoch_ms
from console.media.export import EvidenceExport, ExportResult, ExportState
from console.ui.alert_reports import write_pdf
from console.ui.vn_time_edit import VnTimeEdit

EXPORTS_FOLDER = "exports"
PROGRESS_STEPS = 1000


def _vn(ms: int) -> str:
    return format_vn(from_epoch_ms(ms))


def evidence_html(config: SiteConfig, camera_id: str, span: TimeRange, result: ExportResult, actor: str,
                  exported_ms: int) -> str:
    camera = config.camera(camera_id)
    site = config.site(camera.site_id)
    commune = config.commune
    size = f"{result.size:,}".replace(",", ".")
    rows = [
        (QCoreApplication.translate("Evidence", "Commune"), f"{commune.name}, {commune.district}, {commune.province}"),
        (QCoreApplication.translate("Evidence", "Camera"), camera.label),
        (QCoreApplication.translate("Evidence", "Site"), site.name),
        (QCoreApplication.translate("Evidence", "Range asked for (UTC+7)"),
         f"{_vn(span.start_ms)} – {_vn(span.end_ms)}"),
        (QCoreApplication.translate("Evidence", "First picture in the file (UTC+7)"), _vn(result.first_ms)),
        (QCoreApplication.translate("Evidence", "File"), result.path.name),
        (QCoreApplication.translate("Evidence", "Size"),
         QCoreApplication.translate("Evidence", "{size} bytes").format(size=size)),
        (QCoreApplication.translate("Evidence", "SHA-256"), result.sha256 or ""),
        (QCoreApplication.translate("Evidence", "Exported by"), actor),
        (QCoreApplication.translate("Evidence", "Exported at (UTC+7)"), _vn(exported_ms)),
    ]
    body = "".join(f"<tr><th align='left'>{html.escape(key)}</th><td>{html.escape(value)}</td></tr>"
                   for key, value in rows)
    title = QCoreApplication.translate("Evidence", "Video evidence export record")
    note = QCoreApplication.translate(
        "Evidence", "The video is copied from the recording without re-encoding. Anyone can check that the file "
                    "is unchanged: its SHA-256 must equal the value above (also in the .sha256 file).")
    return (f"<html><head><meta charset='utf-8'><title>{html.escape(title)}</title></head><body>"
            f"<h2>{html.escape(title)}</h2><table border='1' cellspacing='0' cellpadding='4'>{body}</table>"
            f"<p>{html.escape(note)}</p></body></html>")


def write_evidence_sheet(target: Path, config: SiteConfig, camera_id: str, span: TimeRange, result: ExportResult,
                         actor: str, exported_ms: int) -> tuple[Path, Path]:
    """`<file>.html` and `<file>.pdf` beside the exported video."""
    text = evidence_html(config, camera_id, span, result, actor, exported_ms)
    html_path = target.with_suffix(".html")
    html_path.write_text(text, encoding="utf-8")
    pdf_path = target.with_suffix(".pdf")
    write_pdf(pdf_path, QCoreApplication.translate("Evidence", "Video evidence export record"), lambda _doc: text)
    return html_path, pdf_path


class _Bridge(QObject):
    progressed = Signal(float)
    finished = Signal(object)


class ExportDialog(QDialog):
    def __init__(self, config: SiteConfig, camera_id: str, span: TimeRange, recordings: Path, db_path: Path,
                 actor: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("exportDialog")
        self.setWindowTitle(self.tr("Export evidence"))
        self.config, self.camera_id, self.recordings, self.db_path = config, camera_id, recordings, db_path
        self.job: EvidenceExport | None = None
        self.outcome: ExportResult | None = None
        self.sheet: tuple[Path, Path] | None = None
        self.start = VnTimeEdit(span.start_ms, self)
        self.end = VnTimeEdit(span.end_ms, self)
        self.actor = QLineEdit(actor, self)
        self.actor.setObjectName("exportActor")
        start = datetime.fromtimestamp(span.start_ms / 1000, VN_TZ)
        default = db_path.parent / EXPORTS_FOLDER / f"{camera_id}_{start:%Y%m%d_%H%M%S}.mp4"
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

    def _browse(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Export evidence"), self.target.text(),
                                              self.tr("MP4 video (*.mp4)"))
        if path:
            self.target.setText(path if path.endswith(".mp4") else path + ".mp4")

    def span(self) -> TimeRange:
        return TimeRange(self.start.ms(), self.end.ms())

    def begin(self) -> None:
        span = self.span()
        actor = self.actor.text().strip()
        if span.end_ms <= span.start_ms:
            self.message.setText(self.tr("The end must be after the start."))
            return
        if not actor:
            self.message.setText(self.tr("Write who exports the evidence."))
            return
        target = Path(self.target.text())
        if target.exists():
            self.message.setText(self.tr("{path} already exists: choose another file.").format(path=str(target)))
            return
        self.export_button.setEnabled(False)
        self.message.setText(self.tr("Exporting…"))
        self.job = EvidenceExport(self.recordings, self.db_path, self.camera_id, span, target, actor,
                                  progress=self._bridge.progressed.emit, finished=self._bridge.finished.emit)
        self.job.start()

    def _cancel_or_close(self) -> None:
        if self.job is not None and self.outcome is None:
            self.job.cancel()
        else:
            self.reject()

    def _finished(self, result: ExportResult) -> None:
        self.outcome = result
        self.job = None
        self.export_button.setEnabled(True)
        self.cancel_button.setText(self.tr("Close"))
        if result.state is ExportState.DONE:
            span = self.span()
            self.sheet = write_evidence_sheet(result.path, self.config, self.camera_id, span, result,
                                              self.actor.text().strip(), int(datetime.now(VN_TZ).timestamp() * 1000))
            self.message.setText(self.tr("Exported {path} ({seconds:.1f} s). SHA-256: {hash}").format(
                path=str(result.path), seconds=result.seconds, hash=result.sha256))
        elif result.state is ExportState.CANCELLED:
            self.progress.setValue(0)
            self.message.setText(self.tr("Export cancelled; no file was left behind."))
        else:
            self.message.setText(self.tr("Export failed: {reason}").format(reason=result.detail))
