"""Danh sách cảnh báo: filters, the list, and the duty officer's actions (acknowledge, close, record an
incident, bookmark an alert's recording). Reads through its own SQLite connection; every write goes to the alert
writer's thread."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QDateTime, QItemSelectionModel, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QImageReader, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateTimeEdit,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from console.audit.actions import AuditAction
from console.core.alerts import AlertEvent, AlertKind, AlertState, Priority, TransitionError
from console.core.config import SiteConfig
from console.core.users import User
from console.core.vntime import VN_TZ
from console.officers.alert_actions import AlertActions
from console.officers.guard import ActionRefusedError, Officers, open_officers
from console.officers.roles import Permission
from console.plates.keeper import PlateSource
from console.store.alerts import AlertQuery, AlertRow, AlertStore, AlertWriter, now_ms
from console.ui.alerts.csv_export import CsvExport, progress_dialog
from console.ui.alerts.dialogs import AcknowledgeDialog, AlertPictures, IncidentDialog
from console.ui.alerts.handover_dialog import HandoverDialog
from console.ui.alerts.model import ROW_HEIGHT_PX, THUMB, AlertTableModel
from console.ui.alerts.text import kind_text, priority_text, state_text
from console.ui.plates.desk import PlateDesk
from console.ui.plates.dialog import PlateDialog
from console.ui.shell.i18n import ui_lang

log = logging.getLogger(__name__)

REFRESH_COALESCE_MS = 250
THUMB_WIDTH = THUMB.width() + 8
PERIODS_H = (1, 24, 24 * 7, 24 * 30, 0)  # 0: everything
CUSTOM_PERIOD = -1
EXPORT_LIMIT = 1_000_000
TICK_MS = 1000  # the running length of episodes going on
SUMMARY_LINES = 5  # alerts named in a multi-selection's dialog; the rest are counted


class CommitBridge(QObject):
    """The writer thread's "committed" callback as a queued Qt signal (the GUI is never called directly)."""

    committed = Signal(list)


class AlertPanel(QWidget):
    show_camera = Signal(str, object)  # camera id, alert start in ms (int: beyond a C int): a maximized tile
    count_changed = Signal(int)  # unacknowledged alerts
    alerting_changed = Signal(set)  # cameras with a new (unacknowledged) alert: tiles and tree flash
    exported = Signal(str)  # a message for the status bar
    camera_selected = Signal(str)  # an alert chosen in the list: the map centres on its camera
    bookmark_requested = Signal(object)  # an AlertRow: *Đánh dấu* of its recording (console/ui/bookmarks)
    incident_requested = Signal(object)  # an AlertRow: *Tạo vụ việc từ cảnh báo* (console/ui/alerts/incident_menu)
    add_to_incident_requested = Signal(object)  # an AlertRow: *Thêm vào vụ việc…*

    def __init__(self, config: SiteConfig, store: AlertStore, writer: AlertWriter, bridge: CommitBridge,
                 snapshots: Path, users: list[User], parent: QWidget | None = None, *,
                 officers: Officers | None = None) -> None:
        super().__init__(parent)
        self.officers = officers or open_officers()
        self.alert_actions = AlertActions(self.officers, writer.submit)  # checks the role, audits each gesture
        self._shift: tuple[User, int] | None = None  # with logins: who is on duty and since when
        self.setObjectName("alarmPanel")
        self.config = config
        self.store = store
        self.writer = writer
        self.model = AlertTableModel(config, snapshots)
        self._snapshots = snapshots
        # The camera's current picture as JPEG for a manual incident (set by the window, which has the tiles).
        self.snapshot_for: Callable[[str], bytes | None] = lambda _camera: None
        # What the acknowledge dialog shows of an alert (the alert centre adds the live picture and the clip).
        self.pictures_for: Callable[[AlertRow], AlertPictures] = self.saved_picture
        # The bell's state for the handover report ("" when the window has no bell).
        self.bell_text: Callable[[], str] = lambda: ""
        self.incidents_offered = False  # the console has the *Vụ việc* dock: the menu offers incidents
        self._refresh_timer = QTimer(self)
        self._refresh_timer.setSingleShot(True)
        self._refresh_timer.setInterval(REFRESH_COALESCE_MS)
        self._refresh_timer.timeout.connect(self.refresh)
        # A bound method, not a lambda: Qt drops the connection with the panel, so a commit still queued when the
        # window goes (the cameras' episodes ended at exit or at a rebuild of the wall) finds no deleted timer.
        bridge.committed.connect(self._committed)
        self._answer = _Answer(self)
        self._answer.answered.connect(self._answered)
        self._build_filters()
        self.table = QTableView(self)
        self.table.setObjectName("alarmTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(ROW_HEIGHT_PX)
        for key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):  # Enter = Xác nhận, on the list
            QShortcut(QKeySequence(key), self.table, self.acknowledge_selected,
                      context=Qt.ShortcutContext.WidgetShortcut)
        # Fixed widths (set once from the texts' widths): sizing columns to their contents on every refresh
        # measured every cell's text and blocked the GUI for 100s of ms under a burst.
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        metrics = self.fontMetrics()
        for column, sample in enumerate(("", "24/11/2026 23:59:59", "Đang diễn ra 12:34, hoạt động cuối lúc 23:59:59",
                                         "Mất kết nối toàn điểm", "C00 · " + "M" * 22, "M" * 20, "Trung bình",
                                         "Đã xác nhận")):
            header.resizeSection(column, max(THUMB_WIDTH, metrics.horizontalAdvance(sample) + 24))
        self.table.doubleClicked.connect(self._open_selected)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.customContextMenuRequested.connect(lambda pos: self.row_menu().exec(
            self.table.viewport().mapToGlobal(pos)))
        QShortcut(QKeySequence("Ctrl+B"), self.table, self.bookmark_selected,
                  context=Qt.ShortcutContext.WidgetShortcut)
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
        self.ack_ended_button = QPushButton(self.tr("Acknowledge ended connection alerts"), self)
        self.ack_ended_button.setObjectName("ackEndedButton")
        self.ack_ended_button.setToolTip(self.tr("Every new camera, site or network alert that has already ended, "
                                                 "with one note"))
        self.ack_ended_button.clicked.connect(self.acknowledge_ended_health)
        self.incident_button = QPushButton(self.tr("Record incident (F9)"), self)
        self.incident_button.setObjectName("incidentButton")
        self.incident_button.clicked.connect(lambda: self.record_incident(None))
        self.csv_button = QPushButton(self.tr("Export CSV"), self)
        self.csv_button.setObjectName("csvButton")
        self.csv_button.clicked.connect(self.export_csv)
        self.report_button = QPushButton(self.tr("Shift handover report (PDF)"), self)
        self.report_button.setObjectName("handoverButton")
        self.report_button.clicked.connect(self.handover_report)
        self.plate_button = QPushButton(self.tr("Read plate…"), self)
        self.plate_button.setObjectName("readPlateButton")
        self.plate_button.setToolTip(self.tr("Read a plate on the alert's picture and keep it with the alert"))
        self.plate_button.clicked.connect(self.read_plate_selected)
        actions = QHBoxLayout()
        actions.addWidget(QLabel(self.tr("Duty officer"), self))
        actions.addWidget(self.officer)
        actions.addStretch(1)
        for button in (self.csv_button, self.report_button, self.plate_button, self.ack_ended_button, self.ack_button,
                       self.close_button, self.incident_button):
            actions.addWidget(button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(self.filters)
        layout.addWidget(self.table, 1)
        layout.addLayout(actions)
        self._tick = QTimer(self)
        self._tick.timeout.connect(self.model.tick)
        self._tick.start(TICK_MS)
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
        self.plate_search = QLineEdit(self)
        self.plate_search.setObjectName("plateSearch")
        self.plate_search.setPlaceholderText(self.tr("Plate, e.g. 29A12345"))
        self.plate_search.setToolTip(self.tr("Alerts with a plate read on their picture (part of it is enough)"))
        self.plate_search.setClearButtonEnabled(True)
        self.plate_search.textChanged.connect(lambda _t: self._refresh_timer.start())
        self.filters = QHBoxLayout()
        for widget in (self.period, self.since, self.until, self.camera, self.site, self.kind, self.state,
                       self.priority, self.search, self.plate_search):
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
                          text=self.search.text() or None, plate=self.plate_search.text().strip() or None)

    # -- list ----------------------------------------------------------------------------------------
    def _committed(self, _ids: list[int]) -> None:
        self._refresh_timer.start()

    def refresh(self) -> None:
        selected = {r.id for r in self.selected_rows()}
        current = self.selected()
        self.model.set_rows(self.store.query(self.query()))
        selection = self.table.selectionModel()
        flags = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
        for row, alert in enumerate(self.model.rows()):
            if alert.id in selected:
                index = self.model.index(row, 0)
                if current is not None and alert.id == current.id:
                    selection.setCurrentIndex(index, flags)
                else:
                    selection.select(index, flags)
        self._update_buttons()
        self.count_changed.emit(self.store.count_new())
        self.alerting_changed.emit(self.store.new_cameras())

    def stop(self) -> None:
        """No more refreshing (the window and its database are going away)."""
        self._refresh_timer.stop()
        self._tick.stop()
        self._refresh_timer.timeout.disconnect(self.refresh)

    def selected_rows(self) -> list[AlertRow]:
        """The alerts chosen in the list, in the list's order."""
        model = self.table.selectionModel()
        indexes = sorted(i.row() for i in model.selectedRows()) if model else []
        return [row for i in indexes if (row := self.model.row_at(i)) is not None]

    def selected(self) -> AlertRow | None:
        """The alert the officer is on: the current row when it is selected, else the first selected."""
        model = self.table.selectionModel()
        rows = self.selected_rows()
        if model is not None and model.currentIndex().isValid():
            current = self.model.row_at(model.currentIndex().row())
            if current is not None and current in rows:
                return current
        return rows[0] if rows else None

    def _row_clicked(self) -> None:
        """The officer chose an alert (not a refresh re-selecting it): the map centres on its camera."""
        row = self.selected()
        if row is not None and row.camera_id:
            self.camera_selected.emit(row.camera_id)

    def _update_buttons(self) -> None:
        states = {r.state for r in self.selected_rows()}
        self.ack_button.setEnabled(AlertState.NEW in states)
        self.close_button.setEnabled(bool(states & {AlertState.NEW, AlertState.ACKNOWLEDGED}))
        chosen = self.selected()
        self.plate_button.setEnabled(chosen is not None and chosen.snapshot is not None
                                     and PlateDesk.of(self) is not None)

    def _open_selected(self) -> None:
        row = self.selected()
        if row is not None and row.camera_id:
            self.show_camera.emit(row.camera_id, row.started_ms)

    # -- actions -------------------------------------------------------------------------------------
    def row_menu(self) -> QMenu:
        """The list's right click: the buttons' actions on the alerts selected, *Đánh dấu…* of the current one's
        recording (an alert of a camera only), and — with the *Vụ việc* dock — an incident opened from the current
        alert or the alert added to one already open."""
        menu = QMenu(self)
        self._update_buttons()
        for button in (self.ack_button, self.close_button):
            action = menu.addAction(button.text())
            action.setEnabled(button.isEnabled())
            action.triggered.connect(button.click)
        menu.addSeparator()
        row = self.selected()
        bookmark = menu.addAction(self.tr("Bookmark the recording… (Ctrl+B)"))
        bookmark.setObjectName("bookmarkAlertAction")
        bookmark.setEnabled(row is not None and row.camera_id is not None)
        bookmark.triggered.connect(self.bookmark_selected)
        if self.incidents_offered:
            menu.addSeparator()
            create = menu.addAction(self.tr("Open an incident from the alert"))
            create.setObjectName("incidentFromAlertAction")
            create.setEnabled(row is not None)
            create.triggered.connect(lambda: self.incident_requested.emit(row))
            add = menu.addAction(self.tr("Add to an incident…"))
            add.setObjectName("addAlertToIncidentAction")
            add.setEnabled(row is not None)
            add.triggered.connect(lambda: self.add_to_incident_requested.emit(row))
        return menu

    def bookmark_selected(self) -> None:
        row = self.selected()
        if row is not None and row.camera_id is not None:
            self.bookmark_requested.emit(row)

    def read_plate_selected(self) -> PlateDialog | None:
        """*Đọc biển số* on the chosen alert's picture; the plate is kept with the alert (and an incident, if asked)."""
        row = self.selected()
        desk = PlateDesk.of(self)
        picture = self.saved_picture(row).snapshot if row is not None else None
        if row is None or desk is None or picture is None:
            return None
        image = QImageReader(str(picture)).read()
        if image.isNull():
            self.exported.emit(self.tr("The picture of alert no. {number} could not be read.").format(number=row.id))
            return None
        return desk.open(self, image, PlateSource(row.camera_id, row.started_ms, alert_id=row.id))

    def show_on_duty(self, user: User | None, shift_started_ms: int | None = None) -> None:
        """With logins the officer on duty acts (the login record names them, not a list): the one name shown;
        `shift_started_ms` (their login or take-over) starts the period of a handover report asked for now."""
        self._shift = (user, shift_started_ms) if user is not None and shift_started_ms is not None else None
        self.officer.clear()
        self.officer.setEditable(False)
        if user is not None:
            self.officer.addItem(user.full_name, user.login)
        self.officer.setEnabled(False)

    def actor(self) -> str:
        login = self.officer.currentData()
        return str(login) if login is not None else self.officer.currentText().strip()

    def summary(self, row: AlertRow) -> str:
        return f"{kind_text(row.kind)} — {self.model.camera_label(row)}\n{self.model.site_label(row)}, " \
               f"{self.model.text(row, 'time')}"

    def _many_summary(self, rows: list[AlertRow]) -> str:
        if len(rows) == 1:
            return self.summary(rows[0])
        lines = [f"{self.model.text(r, 'time')} — {kind_text(r.kind)} — {self.model.camera_label(r)}"
                 for r in rows[:SUMMARY_LINES]]
        if len(rows) > SUMMARY_LINES:
            lines.append(self.tr("… and {count} more").format(count=len(rows) - SUMMARY_LINES))
        return "\n".join([self.tr("{count} alerts, one note for all:").format(count=len(rows)), *lines])

    def saved_picture(self, row: AlertRow) -> AlertPictures:
        return AlertPictures(self._snapshots / row.snapshot if row.snapshot else None)

    def _ask_note(self, rows: list[AlertRow], first: AlertRow) -> str | None:
        """The acknowledge dialog for these alerts (pictures of `first`); the note, or None when cancelled."""
        dialog = AcknowledgeDialog(self._many_summary(rows), self, self.pictures_for(first))
        return dialog.text() if dialog.exec() == AcknowledgeDialog.DialogCode.Accepted else None

    def acknowledge_selected(self) -> None:
        """Xác nhận (button or Enter): every new alert selected, with one note."""
        rows = [r for r in self.selected_rows() if r.state is AlertState.NEW]
        if not rows or not self._named():
            return
        current = self.selected()
        note = self._ask_note(rows, current if current in rows and current is not None else rows[0])
        if note is not None:
            self._transition(rows, AlertState.ACKNOWLEDGED, note)

    def close_selected(self) -> None:
        """Đóng: every selected alert that is not closed yet; new ones are acknowledged first, with one note."""
        rows = [r for r in self.selected_rows() if r.state is not AlertState.CLOSED]
        new = [r for r in rows if r.state is AlertState.NEW]
        if not rows or not self._named():
            return
        note = self._ask_note(new, new[0]) if new else ""
        if note is not None:
            self._transition(rows, AlertState.CLOSED, note)

    def acknowledge_ended_health(self) -> None:
        """Every new connection alert that has ended (a night of a flapping link), acknowledged with one note."""
        ids = set(self.store.ended_health())
        if not ids:
            self.exported.emit(self.tr("No ended connection alert is waiting."))
            return
        if not self._named():
            return
        shown = [r for r in self.model.rows() if r.id in ids]
        first = shown[0] if shown else self.store.get(next(iter(ids)))
        if first is None:
            return
        summary = self.tr("{count} camera, site or network alerts that have already ended.").format(count=len(ids))
        dialog = AcknowledgeDialog(summary, self, self.pictures_for(first))
        if dialog.exec() == AcknowledgeDialog.DialogCode.Accepted:
            self._submit(sorted(ids), AlertState.ACKNOWLEDGED, dialog.text())

    def _named(self) -> bool:
        """Every action names its officer: without users installed, the name typed beside the buttons."""
        if self.actor():
            return True
        QMessageBox.warning(self, self.tr("Duty officer"), self.tr("Write the duty officer's name first."))
        return False

    def _transition(self, rows: list[AlertRow], target: AlertState, note: str) -> None:
        """One job for all (the writer's thread changes them in one transaction, a burst never waits here)."""
        self._submit([r.id for r in rows], target, note)

    def _submit(self, ids: list[int], target: AlertState, note: str) -> None:
        """One gesture (any number of alerts, one note): the service checks the role, the writer changes them and
        one audit row names those that changed once it has answered."""
        try:
            self.alert_actions.change(ids, target, note, self.actor(), self._answer.answered.emit)
        except ActionRefusedError as exc:
            QMessageBox.warning(self, self.tr("Alert not changed"), exc.message(ui_lang()))

    def _answered(self, outcome: object) -> None:
        errors = [e for e in outcome.values() if e is not None] if isinstance(outcome, dict) else [outcome]
        refused = [e for e in errors if isinstance(e, TransitionError)]
        for error in errors:
            if error is not None and not isinstance(error, TransitionError):
                log.error("alert change failed: %s", error)
        if any(e.reason == "note_required" for e in refused):
            QMessageBox.warning(self, self.tr("Alert not changed"),
                                self.tr("A note is required to acknowledge an alert."))
        elif len(refused) == 1:
            QMessageBox.warning(self, self.tr("Alert not changed"),
                                self.tr("This alert was already handled by someone else."))
        elif refused:
            QMessageBox.warning(self, self.tr("Alert not changed"),
                                self.tr("{count} of these alerts were already handled by someone else.").format(
                                    count=len(refused)))
        self.refresh()

    def record_incident(self, camera_id: str | None) -> None:
        if not self._named():
            return
        try:
            self.officers.require(Permission.MANUAL_INCIDENT, camera=camera_id)
        except ActionRefusedError as exc:
            QMessageBox.warning(self, self.tr("Manual incident"), exc.message(ui_lang()))
            return
        dialog = IncidentDialog(self.config, camera_id, self)
        if dialog.exec() != IncidentDialog.DialogCode.Accepted:
            return
        camera = next(c for c in self.config.cameras if c.id == dialog.camera_id())
        alert_id = self.writer.next_id()
        self.officers.record(AuditAction.INCIDENT_MANUAL, camera=camera.id, target=f"alert:{alert_id}",
                             details={"note": dialog.text(), "priority": str(dialog.chosen_priority())})
        self.writer.submit(AlertEvent(alert_id, camera.id, camera.site_id, AlertKind.MANUAL, now_ms(), 1.0,
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
        """Without logins the officer chooses the shift and both officers; with logins the period runs from the
        login of the officer on duty to now and names them (the one taking over is written in by hand). The
        list's filter plays no part."""
        try:
            self.officers.require(Permission.HANDOVER_REPORT)
        except ActionRefusedError as exc:
            QMessageBox.warning(self, self.tr("Shift handover report"), exc.message(ui_lang()))
            return
        if self._shift is not None:
            user, started = self._shift
            dialog = HandoverDialog(self.config, self.store, self._snapshots, [user.full_name], user.full_name, self,
                                    self.bell_text(), shift=(started, now_ms()))
        else:
            dialog = HandoverDialog(self.config, self.store, self._snapshots, self._officers,
                                    self.officer.currentText().strip(), self, self.bell_text())
        if dialog.exec() == HandoverDialog.DialogCode.Accepted:
            self._handover_saved(dialog)


    def offer_handover(self, shift: tuple[int, int], handing_over: str, taking_over: str) -> HandoverDialog:
        """After *Giao ca*: the report of the shift that ended, its officers and period from the logins."""
        dialog = HandoverDialog(self.config, self.store, self._snapshots, [handing_over], handing_over, self,
                                self.bell_text(), shift=shift, taking_over=taking_over)
        dialog.finished.connect(lambda _code: self._handover_saved(dialog))
        dialog.open()
        return dialog

    def _handover_saved(self, dialog: HandoverDialog) -> None:
        if dialog.saved is not None:
            self.exported.emit(self.tr("Report saved: {path}").format(path=str(dialog.saved)))


class _Answer(QObject):
    """Carries a transition's outcome from the writer thread back to the GUI thread."""

    answered = Signal(object)

