"""The admin's *Nhật ký thao tác* window: filter the audit trail, export what it shows as CSV, verify the chain.
Every read runs on a worker with its own read-only connection: the table may hold a million rows."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from datetime import datetime, time
from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from console.audit.actions import AuditAction, action_label
from console.audit.verdict import TrailVerdict
from console.audit.verify import verify_database
from console.core.vntime import VN_TZ, now_ms
from console.officers.audit_access import AuditAccess
from console.officers.guard import ActionRefusedError, open_officers
from console.store.audit import QUERY_LIMIT, AuditQuery
from console.ui.audit.rows_model import AuditRowsModel, QueryResult, read_rows, read_users
from console.ui.shell.i18n import ui_lang
from console.ui.widgets.background import BackgroundCall
from console.ui.widgets.time_edit import VnTimeEdit

log = logging.getLogger(__name__)

DEFAULT_SPAN_DAYS = 7
SECOND_MS = 1000  # the time editors show whole seconds: "Đến 10:00:00" takes in 10:00:00.999
COLUMN_WIDTHS_PX = {"time": 150, "user": 110, "role": 110, "action": 190, "camera": 110, "target": 170, "row": 70}
INTACT_STYLE = "color: #1b5e20; font-weight: bold;"
BROKEN_STYLE = "color: #b3261e; font-weight: bold;"


def default_span(at_ms: int) -> tuple[int, int]:
    """The last DEFAULT_SPAN_DAYS days, to the end of today (UTC+7): what is done while the window is open shows
    on the next Lọc without touching "Đến"."""
    today = datetime.fromtimestamp(at_ms / 1000, VN_TZ).date()
    end = datetime.combine(today, time(23, 59, 59), VN_TZ)
    return at_ms - DEFAULT_SPAN_DAYS * 24 * 3600 * 1000, int(end.timestamp() * 1000)


def _whole_second(at_ms: int) -> int:
    return at_ms - at_ms % SECOND_MS


class AuditLogWindow(QDialog):
    loaded = Signal(int)  # rows shown after a query
    exported = Signal(object)  # the row count written, or the exception that stopped it
    verified = Signal(object)  # the TrailVerdict, or the exception that stopped the check

    def __init__(self, db_path: Path, cameras: Sequence[str], parent: QWidget | None = None, *,
                 on_exported: Callable[[Path, int], None] | None = None, access: AuditAccess | None = None) -> None:
        """`access` checks the role of the user on duty for each query and export and records the export (an
        admin's window left open across a shift change serves nobody else); none: an admin, nothing recorded."""
        super().__init__(parent)
        self._access = access or AuditAccess(open_officers())
        self.setObjectName("auditLogWindow")
        self.setWindowTitle(self.tr("Audit trail"))
        self.resize(1280, 720)
        self._db_path, self._on_exported, self._lang = db_path, on_exported, ui_lang()
        self._generation = self._shown_generation = 0
        self._exporting: Path | None = None
        self._reader, self._users_reader = BackgroundCall(self), BackgroundCall(self)
        self._writer, self._checker = BackgroundCall(self), BackgroundCall(self)
        self._reader.done.connect(self._shown)
        self._users_reader.done.connect(self._users_found)
        self._writer.done.connect(self._written)
        self._checker.done.connect(self._checked)
        self.model = AuditRowsModel(self._lang)
        self._build_filters(cameras)
        self._build_table()
        self._build_footer()
        layout = QVBoxLayout(self)
        layout.addLayout(self._filters_row)
        layout.addWidget(self.status)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.message)
        layout.addLayout(self._integrity_row)
        layout.addLayout(self._buttons_row)
        self._users_reader.start(lambda: read_users(db_path), "audit users")
        self.refresh()

    def _build_filters(self, cameras: Sequence[str]) -> None:
        self.user_combo = self._combo("auditUser")
        self.action_combo = self._combo("auditAction")
        for action in AuditAction:
            self.action_combo.addItem(action_label(action, self._lang), action.value)
        self.camera_combo = self._combo("auditCamera")
        for camera in cameras:
            self.camera_combo.addItem(camera, camera)
        since, until = default_span(now_ms())
        self.since_edit = VnTimeEdit(since, self)
        self.since_edit.setObjectName("auditSince")
        self.until_edit = VnTimeEdit(until, self)
        self.until_edit.setObjectName("auditUntil")
        for edit in (self.since_edit, self.until_edit):
            edit.setCalendarPopup(True)
        self.filter_button = QPushButton(self.tr("Filter"), self)
        self.filter_button.setObjectName("auditFilter")
        self.filter_button.setDefault(True)  # Enter in any filter runs the query
        self.filter_button.clicked.connect(self.refresh)
        left, right = QFormLayout(), QFormLayout()
        left.addRow(self.tr("User"), self.user_combo)
        left.addRow(self.tr("Action"), self.action_combo)
        left.addRow(self.tr("Camera"), self.camera_combo)
        right.addRow(self.tr("From (UTC+7)"), self.since_edit)
        right.addRow(self.tr("To (UTC+7)"), self.until_edit)
        self._filters_row = QHBoxLayout()
        self._filters_row.addLayout(left, 1)
        self._filters_row.addLayout(right, 1)
        self._filters_row.addWidget(self.filter_button)
        self.status = QLabel(self)
        self.status.setObjectName("auditStatus")

    def _combo(self, name: str) -> QComboBox:
        combo = QComboBox(self)
        combo.setObjectName(name)
        combo.addItem(self.tr("All"), None)
        combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        combo.setMinimumContentsLength(16)
        return combo

    def _build_table(self) -> None:
        self.table = QTableView(self)
        self.table.setObjectName("auditTable")
        self.table.setModel(self.model)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        for column, width in COLUMN_WIDTHS_PX.items():  # fixed widths: sizing to contents reads all 5000 rows
            header.resizeSection(AuditRowsModel.COLUMNS.index(column), width)
        header.setSectionResizeMode(AuditRowsModel.COLUMNS.index("details"), QHeaderView.ResizeMode.Stretch)

    def _build_footer(self) -> None:
        self.message = QLabel(self)
        self.message.setObjectName("auditMessage")
        self.message.setWordWrap(True)
        self.integrity_state = QLabel(self)
        self.integrity_state.setObjectName("auditIntegrityState")
        self.integrity_detail = QLabel(self)
        self.integrity_detail.setObjectName("auditIntegrityDetail")
        self.integrity_detail.setWordWrap(True)
        self._integrity_row = QHBoxLayout()
        self._integrity_row.addWidget(self.integrity_state)
        self._integrity_row.addWidget(self.integrity_detail, 1)
        self.export_button = self._button("auditExport", self.tr("Export CSV…"), self.choose_export_path)
        self.verify_button = self._button("auditVerify", self.tr("Check integrity"), self.verify)
        close = self._button("auditClose", self.tr("Close"), self.reject)
        self._buttons_row = QHBoxLayout()
        self._buttons_row.addWidget(self.export_button)
        self._buttons_row.addWidget(self.verify_button)
        self._buttons_row.addStretch(1)
        self._buttons_row.addWidget(close)

    def _button(self, name: str, text: str, slot: Callable[[], None]) -> QPushButton:
        button = QPushButton(text, self)
        button.setObjectName(name)
        button.setAutoDefault(False)  # Enter stays with Lọc
        button.clicked.connect(slot)
        return button

    # -- the query -----------------------------------------------------------------------------------------

    def filters(self) -> AuditQuery:
        return AuditQuery(since_ms=_whole_second(self.since_edit.ms()),
                          until_ms=_whole_second(self.until_edit.ms()) + SECOND_MS,
                          user=self.user_combo.currentData(), action=self.action_combo.currentData(),
                          camera=self.camera_combo.currentData(), limit=QUERY_LIMIT)

    def refresh(self) -> None:
        """Run the filters on a worker; a later Lọc supersedes one still running."""
        filters = self.filters()
        if (filters.since_ms or 0) >= (filters.until_ms or 0):
            self.status.setText(self.tr("“From” must be before “To”."))
            return
        self._generation += 1
        generation, db_path = self._generation, self._db_path
        self.status.setText(self.tr("Loading…"))
        access = self._access

        def read() -> QueryResult:
            access.check_view()  # on the worker: a refusal comes back as the outcome
            return read_rows(db_path, filters, generation)

        self._reader.start(read, "audit query")

    def loading(self) -> bool:
        return self._shown_generation != self._generation

    def _shown(self, outcome: object) -> None:
        if isinstance(outcome, ActionRefusedError):
            self._shown_generation = self._generation
            self.model.set_rows([])
            self.status.setText(outcome.message(self._lang))
        elif not isinstance(outcome, QueryResult):  # a bug in the reading: its trace is in the log
            self._shown_generation = self._generation
            self.status.setText(self.tr("The audit trail could not be read: {reason}").format(reason=str(outcome)))
        elif outcome.generation == self._generation:  # else the answer to a filter the admin changed since
            self._shown_generation = outcome.generation
            if outcome.error is not None:
                self.status.setText(self.tr("The audit trail could not be read: {reason}").format(
                    reason=outcome.error))
                return
            self.model.set_rows(outcome.rows)
            self.status.setText(self._count_text(len(outcome.rows), outcome.cut))
            self.loaded.emit(len(outcome.rows))

    def _count_text(self, count: int, cut: bool) -> str:
        if cut:
            text = self.tr("More rows match: showing the newest {count} only. Narrow the filters to see the others.")
            return text.format(count=count)
        if count == 1:
            return self.tr("1 row")
        return self.tr("{count} rows").format(count=count)

    def _users_found(self, outcome: object) -> None:
        if not isinstance(outcome, list):
            log.warning("audit users not read: %s", outcome)
            return
        for user in outcome:
            self.user_combo.addItem(str(user), str(user))

    # -- CSV -----------------------------------------------------------------------------------------------

    def choose_export_path(self) -> None:
        stamp = datetime.now(VN_TZ).strftime("%Y-%m-%d_%H%M")
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Export CSV"),
                                              str(Path.home() / f"nhat-ky-thao-tac_{stamp}.csv"),
                                              self.tr("CSV (*.csv)"))
        if path:
            self.export_csv(Path(path if path.lower().endswith(".csv") else path + ".csv"))

    def export_csv(self, path: Path) -> None:
        """Write the rows the table shows to `path` on a worker; `on_exported(path, count)` once it is written."""
        if self._exporting is not None:
            return
        rows, lang, access = self.model.rows(), self._lang, self._access
        self._exporting = path
        self.export_button.setEnabled(False)
        self.message.setText(self.tr("Exporting to {path}…").format(path=str(path)))
        self._writer.start(lambda: access.export(rows, path, lang), "audit csv")  # checked and recorded there

    def _written(self, outcome: object) -> None:
        path, self._exporting = self._exporting, None
        self.export_button.setEnabled(True)
        if path is None:
            return
        if isinstance(outcome, int):
            self.message.setText(self.tr("Exported {count} rows to {path}").format(count=outcome, path=str(path)))
            if self._on_exported is not None:
                self._on_exported(path, outcome)
        elif isinstance(outcome, ActionRefusedError):
            self.message.setText(outcome.message(self._lang))
        else:
            self.message.setText(self.tr("The rows could not be exported to {path}: {reason}").format(
                path=str(path), reason=str(outcome)))
        self.exported.emit(outcome)

    # -- integrity -----------------------------------------------------------------------------------------

    def verify(self) -> None:
        """Check the whole chain and its signatures on a worker (a million rows take seconds)."""
        if not self.verify_button.isEnabled():
            return
        db_path = self._db_path
        self.verify_button.setEnabled(False)
        self.integrity_state.setStyleSheet("")
        self.integrity_state.setText(self.tr("Checking…"))
        self.integrity_detail.clear()
        self._checker.start(lambda: verify_database(db_path), "audit verify")

    def _checked(self, outcome: object) -> None:
        self.verify_button.setEnabled(True)
        if not isinstance(outcome, TrailVerdict):
            self.integrity_state.setStyleSheet(BROKEN_STYLE)
            self.integrity_state.setText(self.tr("Could not be checked"))
            self.integrity_detail.setText(str(outcome))
        elif outcome.ok:
            self.integrity_state.setStyleSheet(INTACT_STYLE)
            self.integrity_state.setText(self.tr("Trail intact"))
            self.integrity_detail.setText(outcome.summary(self._lang))
        else:
            self.integrity_state.setStyleSheet(BROKEN_STYLE)
            self.integrity_state.setText(self.tr("Trail not intact") if outcome.checked
                                         else self.tr("Could not be checked"))
            self.integrity_detail.setText(outcome.reason(self._lang) or "")
        self.verified.emit(outcome)
