"""Báo cáo giao ca: the officer chooses the shift, who hands over and who takes over, the report's number and
file; the report lists the alerts of that shift (not the alarm list's filter)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from console.core.config import SiteConfig
from console.core.vntime import VN_TZ
from console.store.alerts import AlertQuery, AlertRow, AlertStore, now_ms
from console.ui.alerts.reports import Handover, write_handover_pdf
from console.ui.widgets.background import BackgroundCall
from console.ui.widgets.time_edit import VnTimeEdit

SHIFT_MS = 8 * 3600 * 1000  # one duty shift, as the bell's "silence for this shift" (alerts/center.BELL_SHIFT_S)
MINUTE_MS = 60_000
REPORT_LIMIT = 1_000_000  # every alert of the shift, however busy


def current_shift(at_ms: int) -> tuple[int, int]:
    """The 8 hours ending at the whole minute `at_ms` falls in: the shift being handed over now."""
    end = at_ms - at_ms % MINUTE_MS
    return end - SHIFT_MS, end


def shift_rows(store: AlertStore, start_ms: int, end_ms: int) -> list[AlertRow]:
    """The alerts that started in the shift, newest first, whatever their state."""
    return store.query(AlertQuery(since_ms=start_ms, until_ms=end_ms, new_first=False, limit=REPORT_LIMIT))


def _officer_combo(name: str, officers: Sequence[str], current: str, parent: QWidget) -> QComboBox:
    combo = QComboBox(parent)
    combo.setObjectName(name)
    combo.setEditable(True)  # an officer not (yet) in the users list is typed in
    combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
    combo.addItems(list(officers))
    combo.setCurrentIndex(-1)
    combo.setEditText(current)
    return combo


class HandoverDialog(QDialog):
    def __init__(self, config: SiteConfig, store: AlertStore, snapshots: Path, officers: Sequence[str],
                 handing_over: str = "", parent: QWidget | None = None, bell: str = "", *,
                 shift: tuple[int, int] | None = None, taking_over: str = "") -> None:
        """`shift` (start, end) and `taking_over` come from the login record after *Giao ca*: the names and
        the period are then the logins', not chosen (issue 19, point 6)."""
        super().__init__(parent)
        self.bell = bell
        self.setObjectName("handoverDialog")
        self.setWindowTitle(self.tr("Shift handover report"))
        self.setMinimumWidth(520)
        self.config, self.store, self.snapshots = config, store, snapshots
        self.saved: Path | None = None
        self._writing: Path | None = None
        self._writer = BackgroundCall(self)
        self._writer.done.connect(self._written)
        start, end = shift if shift is not None else current_shift(now_ms())
        self.start = VnTimeEdit(start, self)
        self.start.setObjectName("shiftStart")
        self.end = VnTimeEdit(end, self)
        self.end.setObjectName("shiftEnd")
        self.handing_over = _officer_combo("handingOver", officers, handing_over, self)
        self.taking_over = _officer_combo("takingOver", officers, taking_over, self)
        if shift is not None:  # from the logins: not for editing (nobody has taken over yet: typed, or left blank)
            for bound in (self.handing_over, self.start, self.end, *((self.taking_over,) if taking_over else ())):
                bound.setEnabled(False)
        self.number = QLineEdit(self)
        self.number.setObjectName("reportNumber")
        self.number.setPlaceholderText(self.tr("Empty: left to fill in by hand"))
        stamp = datetime.now(VN_TZ).strftime("%Y-%m-%d_%H%M")
        self.target = QLineEdit(str(Path.home() / f"bao-cao-giao-ca_{stamp}.pdf"), self)
        self.target.setObjectName("reportTarget")
        browse = QPushButton(self.tr("Choose…"), self)
        browse.clicked.connect(self._browse)
        target_row = QHBoxLayout()
        target_row.addWidget(self.target, 1)
        target_row.addWidget(browse)
        form = QFormLayout()
        form.addRow(self.tr("Shift start (UTC+7)"), self.start)
        form.addRow(self.tr("Shift end (UTC+7)"), self.end)
        form.addRow(self.tr("Officer handing over"), self.handing_over)
        form.addRow(self.tr("Officer taking over"), self.taking_over)
        form.addRow(self.tr("Report number"), self.number)
        form.addRow(self.tr("File"), target_row)
        self.message = QLabel(self)
        self.message.setObjectName("handoverMessage")
        self.message.setWordWrap(True)
        buttons = QDialogButtonBox(self)
        self.save_button = buttons.addButton(self.tr("Save report"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.save_button.setObjectName("saveReport")
        buttons.addButton(self.tr("Cancel"), QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(buttons)

    def _browse(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Shift handover report"), self.target.text(),
                                              self.tr("PDF (*.pdf)"))
        if path:
            self.target.setText(path if path.lower().endswith(".pdf") else path + ".pdf")

    def handover(self) -> Handover:
        return Handover(self.start.ms(), self.end.ms(), self.handing_over.currentText().strip(),
                        self.taking_over.currentText().strip(), self.number.text().strip(), self.bell)

    def problem(self, handover: Handover) -> str:
        """What keeps the report from being written, as a sentence; "" when nothing."""
        if handover.end_ms <= handover.start_ms:
            return self.tr("The end of the shift must be after its start.")
        if not handover.handing_over:
            return self.tr("Write the name of the officer handing over.")
        if not handover.taking_over:
            return self.tr("Write the name of the officer taking over.")
        if not self.target.text().strip():
            return self.tr("Choose the file for the report.")
        return ""

    def save(self) -> None:
        """Write the report off the GUI thread (a busy shift is 100s of ms of PDF); close when it is written."""
        handover = self.handover()
        problem = self.problem(handover)
        if problem or self._writing is not None:
            self.message.setText(problem or self.message.text())
            return
        target = Path(self.target.text().strip())
        rows = shift_rows(self.store, handover.start_ms, handover.end_ms)  # indexed: ~1 ms for 300 alerts

        def write() -> int:
            target.parent.mkdir(parents=True, exist_ok=True)
            return write_handover_pdf(target, rows, self.config, handover, self.snapshots)

        self._writing = target
        self.save_button.setEnabled(False)
        self.message.setText(self.tr("Writing the report…"))
        self._writer.start(write, "handover report")

    def _written(self, outcome: object) -> None:
        target, self._writing = self._writing, None
        self.save_button.setEnabled(True)
        if isinstance(outcome, Exception) or target is None:
            self.message.setText(self.tr("The report could not be written to {path}: choose another folder.").format(
                path=str(target)))
            return
        self.saved = target
        self.accept()
