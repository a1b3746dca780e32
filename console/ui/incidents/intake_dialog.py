"""*Tiếp nhận video từ người dân*: the file (chosen or dropped), who brought it, how, what they say it shows and a
note; *Tiếp nhận* runs the intake off the GUI thread with its progress, *Hủy* cancels it (nothing is kept), and
a refusal is shown as the core words it, naming the file."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtGui import QCloseEvent, QDragEnterEvent, QDragMoveEvent, QDropEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from console.core.vntime import now_ms
from console.incidents.intake import IntakeRequest
from console.incidents.model import Incident
from console.incidents.progress import IntakeProgress
from console.incidents.service import Incidents
from console.incidents.video_record import Bringer, Channel, Claim, IntakeRecord, original_preferred_notice
from console.ui.incidents.dropped import dropped_files
from console.ui.incidents.intake_run import IntakeRun
from console.ui.incidents.words import IncidentWords
from console.ui.shell.i18n import ui_lang
from console.ui.widgets.overrides import qt_override
from console.ui.widgets.progress_lines import progress_lines
from console.ui.widgets.time_edit import VnTimeEdit

PROGRESS_STEPS = 1000
ERROR_STYLE = "color: #c92a2a;"
NOTICE_STYLE = "background: #fff4e5; color: #8a4b00; padding: 6px; border: 1px solid #f0c36d;"


class VideoIntakeDialog(QDialog):
    received = Signal(object)  # IntakeRecord, stored and linked to the incident

    def __init__(self, parent: QWidget | None, incidents: Incidents, incident: Incident, words: IncidentWords,
                 source: Path | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("videoIntakeDialog")
        self.setWindowTitle(self.tr("Receive a video from citizens"))
        self.setMinimumWidth(620)
        self.setAcceptDrops(True)
        self.incident = incident
        self.run = IntakeRun(incidents, self)
        self.run.progressed.connect(self._progressed)
        self.run.received.connect(self._received)
        self.run.refused.connect(self._refused)
        self.run.cancelled.connect(self._cancelled)
        self._close_when_done = False
        self._build(words)
        self._lay_out()
        self._connect()
        if source is not None:
            self.set_source(source)
        self._channel_chosen()
        self._refresh()

    # --- building ---------------------------------------------------------------------------------------

    def _build(self, words: IncidentWords) -> None:
        self.heading = QLabel(self.tr("For incident no. {number}: {title}").format(
            number=self.incident.id, title=self.incident.title), self)
        self.heading.setWordWrap(True)
        self.file_edit = QLineEdit(self)
        self.file_edit.setObjectName("fileEdit")
        self.file_edit.setPlaceholderText(self.tr("Choose the video file, or drop it here"))
        self.browse = QPushButton(self.tr("Choose a file…"), self)
        self.browse.setObjectName("browseButton")
        self.name = QLineEdit(self)
        self.name.setObjectName("bringerName")
        self.name.setPlaceholderText(self.tr("Full name (required)"))
        self.phone = QLineEdit(self)
        self.phone.setObjectName("bringerPhone")
        self.id_number = QLineEdit(self)
        self.id_number.setObjectName("bringerIdNumber")
        self.id_number.setPlaceholderText(self.tr("Optional"))
        self.channel = QComboBox(self)
        self.channel.setObjectName("channelCombo")
        for channel in Channel:
            self.channel.addItem(words.channel(channel), channel.value)
        self.notice = QLabel(self)
        self.notice.setObjectName("channelNotice")
        self.notice.setWordWrap(True)
        self.notice.setStyleSheet(NOTICE_STYLE)
        self.claim_timed = QCheckBox(self.tr("Known"), self)
        self.claim_timed.setObjectName("claimTimeKnown")
        self.claim_time = VnTimeEdit(now_ms(), self)
        self.claim_time.setObjectName("claimTime")
        self.claim_place = QLineEdit(self)
        self.claim_place.setObjectName("claimPlace")
        self.claim_place.setPlaceholderText(self.tr("Where they say it was filmed"))
        self.note = QPlainTextEdit(self)
        self.note.setObjectName("intakeNote")
        self.note.setFixedHeight(60)
        self.progress, self.progress_line, self.outcome = progress_lines(self, "intake", PROGRESS_STEPS)
        self.receive = QPushButton(self.tr("Receive"), self)
        self.receive.setObjectName("receiveButton")
        self.receive.setDefault(True)
        self.cancel = QPushButton(self.tr("Cancel"), self)
        self.cancel.setObjectName("cancelButton")
        self.progress.hide()
        self.progress_line.hide()
        self.outcome.hide()

    def _lay_out(self) -> None:
        file_row = QHBoxLayout()
        file_row.addWidget(self.file_edit, 1)
        file_row.addWidget(self.browse)
        claim_row = QHBoxLayout()
        claim_row.addWidget(self.claim_timed)
        claim_row.addWidget(self.claim_time, 1)
        form = QFormLayout()
        form.addRow(self.tr("Video file"), file_row)
        form.addRow(self.tr("Provided by"), self.name)
        form.addRow(self.tr("Phone number"), self.phone)
        form.addRow(self.tr("ID card number"), self.id_number)
        form.addRow(self.tr("How it came"), self.channel)
        form.addRow(self.notice)
        form.addRow(self.tr("Claimed time"), claim_row)
        form.addRow(self.tr("Claimed place"), self.claim_place)
        form.addRow(self.tr("Note"), self.note)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.receive)
        buttons.addWidget(self.cancel)
        column = QVBoxLayout(self)
        column.addWidget(self.heading)
        column.addLayout(form)
        column.addWidget(self.progress)
        column.addWidget(self.progress_line)
        column.addWidget(self.outcome)
        column.addLayout(buttons)

    def _connect(self) -> None:
        self.browse.clicked.connect(self.choose_file)
        self.file_edit.textChanged.connect(self._refresh)
        self.name.textChanged.connect(self._refresh)
        self.channel.currentIndexChanged.connect(self._channel_chosen)
        self.claim_timed.toggled.connect(self._refresh)
        self.receive.clicked.connect(self.start)
        self.cancel.clicked.connect(self._cancel_clicked)

    # --- the sheet --------------------------------------------------------------------------------------

    def set_source(self, path: Path) -> None:
        self.file_edit.setText(str(path))

    def source(self) -> Path | None:
        text = self.file_edit.text().strip()
        return Path(text) if text else None

    def choose_file(self) -> None:
        source = self.source()
        start = str(source.parent) if source is not None else ""
        name, _filter = QFileDialog.getOpenFileName(
            self, self.tr("Choose the citizen's video"), start,
            self.tr("Videos (*.mp4 *.mov *.3gp *.mkv *.webm *.avi *.ts *.m2ts *.mts *.mpg *.flv *.wmv *.ogv);;"
                    "All files (*)"))
        if name:
            self.set_source(Path(name))

    def channel_value(self) -> Channel:
        return Channel(self.channel.currentData())

    def request(self) -> IntakeRequest | None:
        source = self.source()
        if source is None:
            return None
        claim = Claim(self.claim_time.ms() if self.claim_timed.isChecked() else None, self.claim_place.text().strip())
        bringer = Bringer(self.name.text().strip(), self.phone.text().strip(), self.id_number.text().strip())
        return IntakeRequest(source, self.incident.id, bringer, self.channel_value(), claim,
                             self.note.toPlainText().strip())

    def start(self) -> None:
        request = self.request()
        if request is None or self.run.running or not request.bringer.name:
            return
        self.outcome.hide()
        self.progress.setValue(0)
        self.progress.show()
        self.progress_line.setText(self.tr("Starting to receive {file}").format(file=request.source.name))
        self.progress_line.show()
        self.run.start(request)
        self._refresh()

    # --- what the run says ------------------------------------------------------------------------------

    def _progressed(self, progress: IntakeProgress) -> None:
        self.progress.setValue(round(progress.overall * PROGRESS_STEPS))
        self.progress_line.setText(progress.message(ui_lang()))

    def _received(self, record: IntakeRecord) -> None:
        self.progress.setValue(PROGRESS_STEPS)
        self.progress_line.hide()
        self._say(self.tr("Received {file} into incident no. {number}. SHA-256: {sha256}").format(
            file=record.file_name, number=record.incident_id, sha256=record.sha256), error=False)
        self.file_edit.clear()  # the same person may have brought another file: the sheet stays filled in
        self.cancel.setText(self.tr("Close"))
        self.received.emit(record)
        self._ended()

    def _refused(self, message: str) -> None:
        self._stopped(message)

    def _cancelled(self, message: str) -> None:
        self._stopped(message)

    def _stopped(self, message: str) -> None:
        self.progress.hide()
        self.progress_line.hide()
        self._say(message, error=True)
        self._ended()

    def _ended(self) -> None:
        self.cancel.setEnabled(True)
        self._refresh()
        if self._close_when_done:
            self.done(QDialog.DialogCode.Rejected)

    def _say(self, text: str, error: bool) -> None:
        self.outcome.setText(text)
        self.outcome.setStyleSheet(ERROR_STYLE if error else "")
        self.outcome.show()

    def _channel_chosen(self) -> None:
        notice = original_preferred_notice(self.channel_value(), ui_lang())
        self.notice.setText(notice or "")
        self.notice.setVisible(notice is not None)

    def _refresh(self) -> None:
        running = self.run.running
        for widget in (self.file_edit, self.browse, self.name, self.phone, self.id_number, self.channel,
                       self.claim_timed, self.claim_place, self.note):
            widget.setEnabled(not running)
        self.claim_time.setEnabled(not running and self.claim_timed.isChecked())
        self.receive.setEnabled(not running and self.source() is not None and bool(self.name.text().strip()))

    # --- cancelling and closing -------------------------------------------------------------------------

    def _cancel_clicked(self) -> None:
        if self.run.running:
            self._cancel_run()
        else:
            self.reject()

    def _cancel_run(self) -> None:
        self.run.cancel()
        self.cancel.setEnabled(False)
        self.progress_line.setText(self.tr("Cancelling: removing what was copied…"))

    @qt_override
    def reject(self) -> None:
        """Esc, the title bar's close, *Hủy* when idle: while an intake runs it is cancelled first, and the sheet
        closes once the intake has removed what it wrote."""
        if self.run.running:
            self._close_when_done = True
            self._cancel_run()
            return
        super().reject()

    @qt_override
    def closeEvent(self, event: QCloseEvent) -> None:
        if self.run.running:
            event.ignore()
            self.reject()
            return
        super().closeEvent(event)

    # --- a file dropped from the file manager -----------------------------------------------------------

    @qt_override
    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if not self.run.running and dropped_files(event.mimeData()):
            event.acceptProposedAction()
        else:
            event.ignore()

    @qt_override
    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        if not self.run.running and dropped_files(event.mimeData()):
            event.acceptProposedAction()
        else:
            event.ignore()

    @qt_override
    def dropEvent(self, event: QDropEvent) -> None:
        files = dropped_files(event.mimeData())
        if self.run.running or not files:
            event.ignore()
            return
        event.acceptProposedAction()
        self.take_dropped(files)

    def take_dropped(self, files: list[Path]) -> None:
        self.set_source(files[0])
        if len(files) > 1:
            self._say(self.tr("One file at a time: {file} is chosen; receive the others after it.").format(
                file=files[0].name), error=False)
