"""*Trung tâm tỉnh*: the province window. The province map (each commune coloured by its standing), the
cross-commune alert list with its filters and the chosen alert in full with its snapshot, the counts per day,
commune and kind, snapshot requests to a commune's camera (*Yêu cầu ảnh chụp*), the receiver's link in the status
bar, and the daily province report as a PDF.

Nothing here reads SQLite on the GUI thread: a timer polls the receiver's status (no I/O) every POLL_S and asks
the window's reader thread (its own read-only connection) for a new overview when a batch was committed since,
or every IDLE_REFRESH_S; answers come back as a queued signal. The PDF is written on a QThread of its own.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

from PySide6.QtCore import QDate, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDateEdit,
    QFileDialog,
    QHeaderView,
    QLabel,
    QMainWindow,
    QPushButton,
    QSplitter,
    QTableView,
    QTabWidget,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from console.core.vntime import now_ms
from console.province.config import ProvinceConfig
from console.province.overview import POLL_S, Overview, OverviewRequest, ProvinceTotals, RefreshClock, read_overview
from console.province.queries import ProvinceAlert, ProvinceQueries
from console.province.receiver import ReceiverStatus
from console.province.report import build_daily_report, vn_day
from console.province.store_reader import StoreReader
from console.ui.province.details import AlertDetailsPane, ShownDetails, read_details
from console.ui.province.filters import AlertFilterBar
from console.ui.province.map_view import ProvinceMap
from console.ui.province.models import CountsModel, ProvinceAlertModel
from console.ui.province.report_pdf import write_daily_report_pdf
from console.ui.province.snapshot_request import SnapshotDesk, SnapshotRequestPane
from console.ui.shell.i18n import ui_lang
from console.ui.widgets.background import BackgroundCall
from console.ui.widgets.overrides import qt_override
from console.uplink.status import moment_text

log = logging.getLogger(__name__)

SAY_MS = 15_000  # how long a status bar message stays
MAP_SHARE = (5, 6)  # the splitter's map : lists


class _Answers(QObject):
    """The reader thread's answers, queued to the GUI thread: (what was asked, the result or the exception)."""

    arrived = Signal(str, object)


class ProvinceWindow(QMainWindow):
    overview_shown = Signal(object)  # each Overview once shown (tests, benchmarks)
    details_shown = Signal(object)  # each ShownDetails once shown
    report_written = Signal(object)  # (path, pages), or the exception that stopped it

    def __init__(self, config: ProvinceConfig, status: Callable[[], ReceiverStatus],
                 open_queries: Callable[[], ProvinceQueries], parent: QWidget | None = None, *,
                 poll_s: float = POLL_S, snapshots: SnapshotDesk | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("provinceWindow")
        self.setWindowTitle(self.tr("Province centre — security camera monitoring"))
        self.resize(1600, 900)
        self.config = config
        self._status, self._open = status, open_queries
        self._generation = 0
        self._selected: tuple[str, int] | None = None
        self._resetting = False
        self.shown: Overview | None = None
        self.clock = RefreshClock()
        self._answers = _Answers(self)
        self._answers.arrived.connect(self._arrived)
        self.reader = StoreReader(open_queries)
        names = {c.id: c.name for c in config.communes}
        self.map = ProvinceMap(config.communes, self, base_map=config.map)
        self.filters = AlertFilterBar(config.communes, self)
        self.filters.changed.connect(self._filters_changed)
        self.map.commune_clicked.connect(self.filters.show_commune)
        self.alerts = ProvinceAlertModel(names)
        self.counts = CountsModel(names)
        self.details = AlertDetailsPane(self)
        self.snapshots = SnapshotRequestPane(config.communes, snapshots, self)
        self.map.commune_clicked.connect(self.snapshots.show_commune)
        self._build_layout()
        self._build_toolbar()
        self._reporter = BackgroundCall(self)
        self._reporter.done.connect(self._report_done)
        self._timer = QTimer(self)
        self._timer.setInterval(int(poll_s * 1000))
        self._timer.timeout.connect(self.poll)
        self._timer.start()
        self.poll()

    # -- building --------------------------------------------------------------------------------------------
    def _table(self, name: str, model: ProvinceAlertModel | CountsModel) -> QTableView:
        table = QTableView(self)
        table.setObjectName(name)
        table.setModel(model)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.setWordWrap(False)
        table.verticalHeader().hide()
        table.horizontalHeader().setStretchLastSection(True)
        table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        return table

    def _build_layout(self) -> None:
        self.totals = QLabel(self)
        self.totals.setObjectName("provinceTotals")
        self.table = self._table("provinceAlerts", self.alerts)
        for column, width in (("time", 150), ("commune", 130), ("kind", 170), ("camera", 70), ("site", 70),
                              ("priority", 90), ("state", 110)):
            self.table.horizontalHeader().resizeSection(ProvinceAlertModel.COLUMNS.index(column), width)
        self.table.selectionModel().currentRowChanged.connect(lambda _now, _before: self._selection_changed())
        self.counts_table = self._table("provinceCounts", self.counts)
        alerts_page = QWidget(self)
        alerts_split = QSplitter(Qt.Orientation.Vertical, alerts_page)
        alerts_split.addWidget(self.table)
        alerts_split.addWidget(self.details)
        alerts_split.setSizes([500, 400])
        page_column = QVBoxLayout(alerts_page)
        page_column.addWidget(self.filters)
        page_column.addWidget(alerts_split, 1)
        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("provinceTabs")
        self.tabs.addTab(alerts_page, self.tr("Alerts"))
        self.tabs.addTab(self.counts_table, self.tr("Counts per day"))
        self.tabs.addTab(self.snapshots, self.tr("Snapshot requests"))
        right = QWidget(self)
        right_column = QVBoxLayout(right)
        right_column.setContentsMargins(0, 0, 0, 0)
        right_column.addWidget(self.totals)
        right_column.addWidget(self.tabs, 1)
        split = QSplitter(Qt.Orientation.Horizontal, self)
        split.addWidget(self.map)
        split.addWidget(right)
        for index, share in enumerate(MAP_SHARE):
            split.setStretchFactor(index, share)
        self.setCentralWidget(split)
        self.link = QLabel(self)
        self.link.setObjectName("provinceLink")
        self.statusBar().addPermanentWidget(self.link)

    def _build_toolbar(self) -> None:
        bar = QToolBar(self.tr("Report"), self)
        bar.setObjectName("provinceToolbar")
        bar.setMovable(False)
        bar.addWidget(QLabel(self.tr("Report day"), bar))
        today = vn_day(now_ms())
        self.report_day = QDateEdit(QDate(today.year, today.month, today.day), bar)
        self.report_day.setObjectName("provinceReportDay")
        self.report_day.setDisplayFormat("dd/MM/yyyy")
        self.report_day.setCalendarPopup(True)
        bar.addWidget(self.report_day)
        self.report_button = QPushButton(self.tr("Daily report (PDF)…"), bar)
        self.report_button.setObjectName("provinceReport")
        self.report_button.clicked.connect(self.choose_report_path)
        bar.addWidget(self.report_button)
        self.addToolBar(bar)

    # -- reading ---------------------------------------------------------------------------------------------
    def poll(self) -> None:
        """The receiver's link in the status bar; a new overview when the store changed (or it is time anyway)."""
        status = self._status()
        self._show_link(status)
        now = time.monotonic()
        if self.clock.due(status.batches, now):
            self._ask(status.batches, now)

    def _filters_changed(self) -> None:
        self._generation += 1
        self.clock.forget_counts()
        self._ask(self._status().batches, time.monotonic())

    def _ask(self, batches: int, now_s: float) -> None:
        counted = self.clock.counts_due(now_s)
        self.clock.read(batches, now_s, counted)
        request = OverviewRequest(self.filters.alert_filter(), self.filters.span() if counted else None,
                                  self._generation)
        arrived = self._answers.arrived
        self.reader.submit("overview", lambda queries: read_overview(queries, request, now_ms()),
                           lambda outcome: arrived.emit("overview", outcome))

    def _ask_details(self, commune: str, alert_id: int) -> None:
        arrived = self._answers.arrived
        self.reader.submit("details", lambda queries: read_details(queries, commune, alert_id),
                           lambda outcome: arrived.emit("details", outcome))

    def _arrived(self, key: str, outcome: object) -> None:
        if isinstance(outcome, Exception):
            self.statusBar().showMessage(self.tr("The province's store could not be read: {reason}").format(
                reason=str(outcome)), SAY_MS)
        elif key == "overview" and isinstance(outcome, Overview):
            self._show_overview(outcome)
        elif (key == "details" and isinstance(outcome, ShownDetails)
              and self._selected == (outcome.commune, outcome.alert_id)):
            self.details.show_details(outcome, self.alerts.commune_name(outcome.commune))
            self.details_shown.emit(outcome)

    def _show_overview(self, overview: Overview) -> None:
        self.shown = overview
        self.map.show_statuses(overview.communes, overview.read_ms)
        self.snapshots.show_cameras(overview.cameras)
        self.totals.setText(self._totals_text(overview.totals))
        if overview.generation == self._generation:  # else the answer to filters the officer changed since
            if tuple(self.alerts.rows()) != overview.alerts:
                self._show_alerts(overview.alerts)
            counts = None if overview.counts is None else tuple(  # newest day first, communes in order
                sorted(overview.counts, key=lambda count: count.day, reverse=True))
            if counts is not None and tuple(self.counts.rows()) != counts:
                self.counts.set_rows(counts)
        if self._selected is not None and self._details_stale():
            self._ask_details(*self._selected)
        self.overview_shown.emit(overview)

    def _show_alerts(self, rows: tuple[ProvinceAlert, ...]) -> None:
        self._resetting = True  # the reset's selection change is not the officer's
        try:
            self.alerts.set_rows(rows)
            row = self.alerts.find(*self._selected) if self._selected is not None else None
            if row is not None:
                self.table.selectRow(row)
        finally:
            self._resetting = False

    def _details_stale(self) -> bool:
        """The chosen alert changed since its details were read, or its snapshot may have come in since."""
        shown = self.details.shown
        if shown is None or shown.details is None or self._selected is None:
            return True
        row = self.alerts.find(*self._selected)
        current = self.alerts.row_at(row) if row is not None else None
        if current is not None and current != shown.details.alert:
            return True
        return shown.picture is None and shown.details.alert.has_snapshot

    def _selection_changed(self) -> None:
        if self._resetting:
            return
        alert = self.alerts.row_at(self.table.currentIndex().row())
        if alert is None:
            self._selected = None
            self.details.clear()
            return
        key = (alert.commune, alert.alert_id)
        if key != self._selected:
            self._selected = key
            self._ask_details(*key)

    def select_alert(self, commune: str, alert_id: int) -> bool:
        """Choose an alert of the list as the officer would (its details are read and shown)."""
        row = self.alerts.find(commune, alert_id)
        if row is None:
            return False
        self.table.selectRow(row)
        return True

    # -- words -----------------------------------------------------------------------------------------------
    def _totals_text(self, totals: ProvinceTotals) -> str:
        return self.tr("{online} of {count} communes online · {offline} offline · {down} cameras down · "
                       "{waiting} unacknowledged alerts").format(
            online=totals.online, count=totals.communes, offline=totals.offline, down=totals.cameras_down,
            waiting=totals.unacknowledged)

    def _show_link(self, status: ReceiverStatus) -> None:
        since = moment_text(status.since_ms) if status.since_ms is not None else "?"
        if status.connected:
            text = self.tr("Province broker: connected since {time}").format(time=since)
        else:
            problem = status.problem_text(ui_lang())
            text = (self.tr("Province broker: not connected since {time} ({problem})").format(
                time=since, problem=problem) if problem else
                self.tr("Province broker: not connected since {time}").format(time=since))
        if text != self.link.text():
            self.link.setText(text)

    # -- the daily report ------------------------------------------------------------------------------------
    def choose_report_path(self) -> None:
        chosen = self.report_day.date()
        day = date(chosen.year(), chosen.month(), chosen.day())
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Save the daily report"),
                                              str(Path.home() / f"bao-cao-tinh_{day.isoformat()}.pdf"),
                                              self.tr("PDF (*.pdf)"))
        if path:
            self.write_report(Path(path if path.lower().endswith(".pdf") else path + ".pdf"), day)

    def write_report(self, path: Path, day: date) -> None:
        """Read the day from the store and write its PDF on a worker; `report_written` says how it went."""
        open_queries = self._open

        def job() -> object:
            queries = open_queries()
            try:
                report = build_daily_report(queries, day, now_ms())
            finally:
                queries.close()
            return path, write_daily_report_pdf(path, report)

        self.report_button.setEnabled(False)
        self.statusBar().showMessage(self.tr("Writing the daily report…"), SAY_MS)
        self._reporter.start(job, "province report")

    def _report_done(self, outcome: object) -> None:
        self.report_button.setEnabled(True)
        if isinstance(outcome, tuple):
            path, pages = outcome
            self.statusBar().showMessage(self.tr("Report saved: {path} ({pages} pages)").format(
                path=str(path), pages=pages), SAY_MS)
        else:
            self.statusBar().showMessage(self.tr("The daily report could not be written: {reason}").format(
                reason=str(outcome)), SAY_MS)
        self.report_written.emit(outcome)

    # -- closing ---------------------------------------------------------------------------------------------
    def shutdown(self) -> None:
        """No more reads (the receiver and its store may go after this)."""
        self._timer.stop()
        self.reader.close()
        self.map.close_base_map()

    @qt_override
    def closeEvent(self, event: QCloseEvent) -> None:
        self.shutdown()
        super().closeEvent(event)
