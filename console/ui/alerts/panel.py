"""Danh sách cảnh báo: filters, the list, and the duty officer's actions (acknowledge, close, record an
incident). Reads through its own SQLite connection; every write goes to the alert writer's thread."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QDateTime, QObject, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateTimeEdit,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from console.core.alerts import AlertEvent, AlertKind, AlertState, Priority, TransitionError
from console.core.config import SiteConfig
from console.core.users import User
from console.core.vntime import VN_TZ
from console.store.alerts import AlertQuery, AlertRow, AlertStore, AlertWriter, Transition, now_ms
from console.ui.alerts.csv_export import CsvExport, progress_dialog
from console.ui.alerts.dialogs import AcknowledgeDialog, IncidentDialog
from console.ui.alerts.handover_dialog import HandoverDialog
from console.ui.alerts.model import THUMB, AlertTableModel
from console.ui.alerts.text import kind_text, priority_text, state_text

log = logging.getLogger(__name__)

REFRESH_COALESCE_MS = 250
THUMB_WIDTH = THUMB.width() + 8
PERIODS_H = (1, 24, 24 * 7, 24 * 30, 0)  # 0: everything
CUSTOM_PERIOD = -1
EXPORT_LIMIT = 1_000_000


class CommitBridge(QObject):
    """The writer thread's "committed" callback as a queued Qt signal (the GUI is never called directly)."""

    committed = Signal(list)


class AlertPanel(QWidget):
    show_camera = Signal(str, object)  # camera id, alert start in ms (int: beyond a C int): a maximized tile
    count_changed = Signal(int)  # unacknowledged alerts
    alerting_changed = Signal(set)  # cameras with a new (unacknowledged) alert: tiles and tree flash
    exported = Signal(str)  # a message for the status bar
    camera_selected = Signal(str)  # an alert chosen in the list: the map centres on its camera

    def __init__(self, config: SiteConfig, store: AlertStore, writer: AlertWriter, bridge: CommitBridge,
                 snapshots: Path, users: list[User], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("alarmPanel")
        self.config = config
        self.store = store
        self.writer = writer
        self.model = AlertTableModel(config, snapshots)
        self._snapshots = snapshots
        # The camera's current picture as JPEG for a manual incident (set by the window, which has the tiles).
        self.snapshot_for: Callable[[str], bytes | None] = lambda _camera: None
        self._refresh_timer = QTimer(self)
        self._refresh_timer.setSingleShot(True)
        self._refresh_timer.setInterval(REFRESH_COALESCE_MS)
        self._refresh_timer.timeout.connect(self.refresh)
        bridge.committed.connect(lambda _ids: self._refresh_timer.start())
        self._answer = _Answer(self)
        self._answer.answered.connect(self._answered)
        self._build_filters()
        self.table = QTableView(self)
        self.table.setObjectName("alarmTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(58)
        # Fixed widths (set once from the texts' widths): sizing columns to their contents on every refresh
        # measured every cell's text and blocked the GUI for 100s of ms under a burst.
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        metrics = self.fontMetrics()
        for column, sample in enumerate(("", "24/11/2026 23:59:59", "Mất kết nối toàn điểm", "C00 · " + "M" * 22,
                                         "M" * 20, "Trung bình", "Đã xác nhận")):
            header.resizeSection(column, max(THUMB_WIDTH, metrics.horizontalAdvance(sample) + 24))
        self.table.doubleClicked.connect(self._open_selected)
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)
        self.table.clicked.connect(self._row_clicked)
        self.officer = QComboBox(self)
        self.officer.setObjectName("dutyOfficer")
        for user in users:
            self.officer.addItem(user.full_name, user.login)
        if not users:  # no users installed: the officer writes their name (never the computer's account)
            self.officer.setEditable(True)
            if (line := self.officer.lineEdit()) is not None:
                line.setPlaceholderText(self.tr("Write your name"))
        self._officers = [u.full_name for u in users]
        self.ack_button = QPushButton(self.tr("Acknowledge"), self)
        self.ack_button.setObjectName("ackButton")
        self.ack_button.clicked.connect(self.acknowledge_selected)
        self.close_button = QPushButton(self.tr("Close alert"), self)
        self.close_button.setObjectName("closeAlertButton")
        self.close_button.clicked.connect(self.close_selected)
        self.incident_button = QPushButton(self.tr("Record incident (F9)"), self)
        self.incident_button.setObjectName("incidentButton")
        self.incident_button.clicked.connect(lambda: self.record_incident(None))
        self.csv_button = QPushButton(self.tr("Export CSV"), self)
        self.csv_button.setObjectName("csvButton")
        self.csv_button.clicked.connect(self.export_csv)
        self.report_button = QPushButton(self.tr("Shift handover report (PDF)"), self)
        self.report_button.setObjectName("handoverButton")
        self.report_button.clicked.connect(self.handover_report)
        actions = QHBoxLayout()
        actions.addWidget(QLabel(self.tr("Duty officer"), self))
        actions.addWidget(self.officer)
        actions.addStretch(1)
        for button in (self.csv_button, self.report_button, self.ack_button, self.close_button, self.incident_button):
            actions.addWidget(button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(self.filters)
        layout.addWidget(self.table, 1)
        layout.addLayout(actions)
        self.refresh()

    # -- filters -------------------------------------------------------------------------------------
    def _combo(self, name: str, everything: str, items: list[tuple[str, object]]) -> QComboBox:
        combo = QComboBox(self)
        combo.setObjectName(name)
        combo.addItem(everything, None)
        for text, value in items:
            combo.addItem(text, value)
        combo.currentIndexChanged.connect(self.refresh)
        return combo

    def _build_filters(self) -> None:
        self.period = QComboBox(self)
        self.period.setObjectName("periodFilter")
        for hours, text in zip(PERIODS_H, (self.tr("Last hour"), self.tr("Last 24 hours"), self.tr("Last 7 days"),
                                           self.tr("Last 30 days"), self.tr("All time")), strict=True):
            self.period.addItem(text, hours)
        self.period.addItem(self.tr("From … to …"), CUSTOM_PERIOD)
        self.period.setCurrentIndex(1)
        self.period.currentIndexChanged.connect(self._period_changed)
        now = QDateTime.currentDateTime()
        self.since = QDateTimeEdit(now.addDays(-1), self)
        self.until = QDateTimeEdit(now, self)
        for edit in (self.since, self.until):
            edit.setDisplayFormat("dd/MM/yyyy HH:mm")
            edit.setCalendarPopup(True)
            edit.setVisible(False)
            edit.dateTimeChanged.connect(self.refresh)
        self.camera = self._combo("cameraFilter", self.tr("All cameras"),
                                  [(c.label, c.id) for c in self.config.cameras])
        self.site = self._combo("siteFilter", self.tr("All sites"), [(s.name, s.id) for s in self.config.sites])
        self.kind = self._combo("kindFilter", self.tr("All alerts"), [(kind_text(k), k) for k in AlertKind])
        self.state = self._combo("stateFilter", self.tr("All states"), [(state_text(s), s) for s in AlertState])
        self.priority = self._combo("priorityFilter", self.tr("All priorities"),
                                    [(priority_text(p), p) for p in reversed(Priority)])
        self.search = QLineEdit(self)
        self.search.setObjectName("noteSearch")
        self.search.setPlaceholderText(self.tr("Search in notes"))
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(lambda _t: self._refresh_timer.start())
        self.filters = QHBoxLayout()
        for widget in (self.period, self.since, self.until, self.camera, self.site, self.kind, self.state,
                       self.priority, self.search):
            self.filters.addWidget(widget)

    def _period_changed(self) -> None:
        custom = self.period.currentData() == CUSTOM_PERIOD
        self.since.setVisible(custom)
        self.until.setVisible(custom)
        self.refresh()

    def query(self) -> AlertQuery:
        hours = int(self.period.currentData())
        since = until = None
        if hours == CUSTOM_PERIOD:
            since = self.since.dateTime().toMSecsSinceEpoch()
            until = self.until.dateTime().toMSecsSinceEpoch()
        elif hours:
            since = now_ms() - hours * 3600 * 1000
        return AlertQuery(since_ms=since, until_ms=until, camera_id=self.camera.currentData(),
                          site_id=self.site.currentData(), kind=self.kind.currentData(),
                          state=self.state.currentData(), priority=self.priority.currentData(),
                          text=self.search.text() or None)

    # -- list ----------------------------------------------------------------------------------------
    def refresh(self) -> None:
        selected = self.selected()
        self.model.set_rows(self.store.query(self.query()))
        if selected is not None:
            for row, alert in enumerate(self.model.rows()):
                if alert.id == selected.id:
                    self.table.selectRow(row)
                    break
        self._update_buttons()
        self.count_changed.emit(self.store.count_new())
        self.alerting_changed.emit(self.store.new_cameras())

    def selected(self) -> AlertRow | None:
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        return self.model.row_at(rows[0].row()) if rows else None

    def _row_clicked(self) -> None:
        """The officer chose an alert (not a refresh re-selecting it): the map centres on its camera."""
        row = self.selected()
        if row is not None and row.camera_id:
            self.camera_selected.emit(row.camera_id)

    def _update_buttons(self) -> None:
        row = self.selected()
        self.ack_button.setEnabled(row is not None and row.state is AlertState.NEW)
        self.close_button.setEnabled(row is not None and row.state is AlertState.ACKNOWLEDGED)

    def _open_selected(self) -> None:
        row = self.selected()
        if row is not None and row.camera_id:
            self.show_camera.emit(row.camera_id, row.started_ms)

    # -- actions -------------------------------------------------------------------------------------
    def actor(self) -> str:
        login = self.officer.currentData()
        return str(login) if login is not None else self.officer.currentText().strip()

    def summary(self, row: AlertRow) -> str:
        return f"{kind_text(row.kind)} — {self.model.camera_label(row)}\n{self.model.site_label(row)}, " \
               f"{self.model.text(row, 'time')}"

    def acknowledge_selected(self) -> None:
        row = self.selected()
        if row is None or row.state is not AlertState.NEW:
            return
        dialog = AcknowledgeDialog(self.summary(row), self)
        if dialog.exec() == AcknowledgeDialog.DialogCode.Accepted:
            self._transition(row, AlertState.ACKNOWLEDGED, dialog.text())

    def close_selected(self) -> None:
        row = self.selected()
        if row is not None and row.state is AlertState.ACKNOWLEDGED:
            self._transition(row, AlertState.CLOSED, "")

    def _named(self) -> bool:
        """Every action names its officer: without users installed, the name typed beside the buttons."""
        if self.actor():
            return True
        QMessageBox.warning(self, self.tr("Duty officer"), self.tr("Write the duty officer's name first."))
        return False

    def _transition(self, row: AlertRow, target: AlertState, note: str) -> None:
        if not self._named():
            return
        self.writer.submit(Transition(row.id, target, self.actor(), note, self._answer.answered.emit))

    def _answered(self, error: object) -> None:
        if isinstance(error, TransitionError):
            text = self.tr("A note is required to acknowledge an alert.") if error.reason == "note_required" \
                else self.tr("This alert was already handled by someone else.")
            QMessageBox.warning(self, self.tr("Alert not changed"), text)
        elif error is not None:
            log.error("alert change failed: %s", error)
        self.refresh()

    def record_incident(self, camera_id: str | None) -> None:
        if not self._named():
            return
        dialog = IncidentDialog(self.config, camera_id, self)
        if dialog.exec() != IncidentDialog.DialogCode.Accepted:
            return
        camera = next(c for c in self.config.cameras if c.id == dialog.camera_id())
        self.writer.submit(AlertEvent(self.writer.next_id(), camera.id, camera.site_id, AlertKind.MANUAL, now_ms(), 1.0,
                                      "start", snapshot=self.snapshot_for(camera.id), note=dialog.text(),
                                      priority=dialog.chosen_priority(), actor=self.actor()))


    def export_rows(self) -> list[AlertRow]:
        """Everything the filters select (not only the rows the list shows)."""
        return self.store.query(replace(self.query(), limit=EXPORT_LIMIT))

    def export_csv(self) -> None:
        stamp = datetime.now(VN_TZ).strftime("%Y-%m-%d_%H%M")
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Export CSV"), str(Path.home() / f"canh-bao_{stamp}.csv"),
                                              self.tr("CSV (*.csv)"))
        if path:
            self.start_csv_export(Path(path))

    def start_csv_export(self, target: Path) -> CsvExport:
        """Everything the filters select, written on a worker; the list stays usable meanwhile."""
        export = CsvExport(self.store.file(), self.query(), EXPORT_LIMIT, target, self.config, self)
        self._csv_dialog = progress_dialog(self, export)
        export.finished.connect(lambda outcome: self._csv_done(target, outcome))
        self.csv_export = export
        export.start()
        return export

    def _csv_done(self, target: Path, outcome: object) -> None:
        if isinstance(outcome, int):
            self.exported.emit(self.tr("{count} alerts exported to {path}").format(count=outcome, path=str(target)))
        elif outcome is None:
            self.exported.emit(self.tr("Export cancelled; no file was left behind."))
        else:
            self.exported.emit(self.tr("The alerts could not be exported to {path}: {reason}").format(
                path=str(target), reason=str(outcome)))

    def handover_report(self) -> None:
        """The officer chooses the shift and both officers in a dialog; the list's filter plays no part."""
        dialog = HandoverDialog(self.config, self.store, self._snapshots, self._officers,
                                self.officer.currentText().strip(), self)
        if dialog.exec() == HandoverDialog.DialogCode.Accepted and dialog.saved is not None:
            self.exported.emit(self.tr("Report saved: {path}").format(path=str(dialog.saved)))


class _Answer(QObject):
    """Carries a transition's outcome from the writer thread back to the GUI thread."""

    answered = Signal(object)

