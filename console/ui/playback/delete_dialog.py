"""*Xóa ghi hình* (admins): a camera, a time range and a reason; what would go is shown before anything is
deleted (counted on a worker), and the deletion itself runs on a worker too. The rules — whole segments inside
the range only, evidence and open alerts kept, the role checked, one audit row — are the service's
(console/officers/recording_deletion.py); this dialog only asks and tells."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from console.core.config import SiteConfig
from console.core.recording import TimeRange
from console.officers.guard import ActionRefusedError
from console.officers.recording_deletion import DeletionPlan, RecordingDeletion
from console.ui.shell.i18n import ui_lang
from console.ui.widgets.background import BackgroundCall
from console.ui.widgets.time_edit import VnTimeEdit

MB = 1024 * 1024


class RecordingDeleteDialog(QDialog):
    def __init__(self, config: SiteConfig, deletion: RecordingDeletion, camera_id: str, span: TimeRange,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("recordingDeleteDialog")
        self.setWindowTitle(self.tr("Delete recordings"))
        self.setMinimumWidth(560)
        self.deletion = deletion
        self.plan: DeletionPlan | None = None
        self.deleted: DeletionPlan | None = None
        self.camera = QComboBox(self)
        self.camera.setObjectName("deleteCamera")
        for camera in config.cameras:
            self.camera.addItem(f"{camera.id} — {camera.name}", camera.id)
        self.camera.setCurrentIndex(max(0, self.camera.findData(camera_id)))
        self.start = VnTimeEdit(span.start_ms, self)
        self.start.setObjectName("deleteFrom")
        self.end = VnTimeEdit(span.end_ms, self)
        self.end.setObjectName("deleteTo")
        self.reason = QLineEdit(self)
        self.reason.setObjectName("deleteReason")
        self.reason.setPlaceholderText(self.tr("Why these recordings are deleted (kept in the audit trail)"))
        self.summary = QLabel(self)
        self.summary.setObjectName("deleteSummary")
        self.summary.setWordWrap(True)
        form = QFormLayout()
        form.addRow(self.tr("Camera"), self.camera)
        form.addRow(self.tr("From"), self.start)
        form.addRow(self.tr("To"), self.end)
        form.addRow(self.tr("Reason"), self.reason)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.delete_button = QPushButton(self.tr("Delete"), self)
        self.delete_button.setObjectName("deleteButton")
        self.delete_button.setEnabled(False)
        buttons.addButton(self.delete_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        self.delete_button.clicked.connect(self.confirm)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.summary)
        layout.addWidget(buttons)
        self._planner, self._deleter = BackgroundCall(self), BackgroundCall(self)
        self._planner.done.connect(self._planned)
        self._deleter.done.connect(self._done)
        self._asked = 0
        self._answered = 0
        self._deleting = False
        self.camera.currentIndexChanged.connect(self.refresh)
        self.start.dateTimeChanged.connect(self.refresh)
        self.end.dateTimeChanged.connect(self.refresh)
        self.refresh()

    def span(self) -> TimeRange:
        return TimeRange(self.start.ms(), self.end.ms())

    def camera_id(self) -> str:
        return str(self.camera.currentData())

    def busy(self) -> bool:
        return self._answered != self._asked or self._deleting

    def refresh(self) -> None:
        """Count what the range would delete (a worker reads the index)."""
        self.plan = None
        self.delete_button.setEnabled(False)
        span, camera_id, deletion = self.span(), self.camera_id(), self.deletion
        if span.start_ms >= span.end_ms:
            self.summary.setText(self.tr("“From” must be before “To”."))
            return
        self._asked += 1
        asked = self._asked
        self.summary.setText(self.tr("Counting…"))

        def plan() -> tuple[int, DeletionPlan | Exception]:
            try:
                return asked, deletion.plan(camera_id, span)
            except Exception as exc:  # said below; the same refusal or failure as the deletion would meet
                return asked, exc

        self._planner.start(plan, "deletion plan")

    def _planned(self, answer: object) -> None:
        if not isinstance(answer, tuple):  # a bug: its trace is in the log
            self._answered = self._asked
            self.summary.setText(self.tr("The recordings could not be read: {reason}").format(reason=str(answer)))
            return
        asked, outcome = answer
        self._answered = max(self._answered, asked)  # each ask has its own thread: answers may come out of order
        if asked != self._asked:  # the range changed since: its own answer follows
            return
        if isinstance(outcome, ActionRefusedError):
            self.summary.setText(outcome.message(ui_lang()))
            return
        if not isinstance(outcome, DeletionPlan):
            self.summary.setText(self.tr("The recordings could not be read: {reason}").format(reason=str(outcome)))
            return
        plan = outcome
        self.plan = plan
        self.summary.setText(self._describe(plan))
        self.delete_button.setEnabled(bool(plan.segments))

    def _describe(self, plan: DeletionPlan) -> str:
        text = self.tr("{files} recording files ({size:.1f} MB) will be deleted.").format(
            files=len(plan.segments), size=plan.bytes / MB) if plan.segments else self.tr(
            "Nothing in this range can be deleted.")
        kept = []
        if plan.kept_held:
            kept.append(self.tr("{count} kept: they hold an unacknowledged alert, an export being written or a "
                                "clip of an incident").format(count=plan.kept_held))
        if plan.kept_edges:
            kept.append(self.tr("{count} kept: they reach outside the range").format(count=plan.kept_edges))
        if plan.kept_open:
            kept.append(self.tr("{count} kept: still being recorded").format(count=plan.kept_open))
        return "\n".join([text, *kept])

    def confirm(self) -> None:
        plan = self.plan
        if plan is None or not plan.segments:
            return
        reason = self.reason.text().strip()
        if not reason:
            self.summary.setText(self.tr("Write the reason for deleting these recordings."))
            return
        answer = QMessageBox.question(self, self.tr("Delete recordings"), self.tr(
            "Delete {files} recording files of {camera}? This cannot be undone.").format(
            files=len(plan.segments), camera=plan.camera_id))
        if answer == QMessageBox.StandardButton.Yes:
            self.delete_now(reason)

    def delete_now(self, reason: str) -> None:
        """Carry out the deletion of the range shown (a worker); the dialog stays to tell what went."""
        span, camera_id, deletion = self.span(), self.camera_id(), self.deletion
        self.delete_button.setEnabled(False)
        self._deleting = True
        self.summary.setText(self.tr("Deleting…"))
        self._deleter.start(lambda: deletion.delete(camera_id, span, reason), "recording deletion")

    def _done(self, outcome: object) -> None:
        self._deleting = False
        if isinstance(outcome, DeletionPlan):
            self.deleted = outcome
            self.summary.setText(self.tr("{files} recording files ({size:.1f} MB) deleted.").format(
                files=len(outcome.segments), size=outcome.bytes / MB))
        elif isinstance(outcome, ActionRefusedError):
            self.summary.setText(outcome.message(ui_lang()))
        else:
            self.summary.setText(self.tr("The recordings could not be deleted: {reason}").format(
                reason=str(outcome)))
