"""*Vụ việc*: the dock that finds incidents (words without diacritics, plate, camera, time, status), shows the one
chosen with its notes and linked items, and takes the officer's actions on it — a new incident, an edit, a note,
a status, a citizen's video (chosen or dropped on the dock), the export of the case file (*Xuất hồ sơ*). Every
change goes through `Incidents` (the export through `CaseExport`), which checks the officer on duty and audits it; a
refusal is shown in the dock's own line (the export's in its sheet), never in a modal box."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt, Signal
from PySide6.QtGui import QAction, QDragEnterEvent, QDragMoveEvent, QDropEvent, QImageReader
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDockWidget,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMenu,
    QPushButton,
    QSplitter,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from console.core.vntime import now_ms
from console.incidents.case_export import CaseExportResult
from console.incidents.case_folder import case_folder_name
from console.incidents.messages import IncidentError, Say
from console.incidents.model import Incident, IncidentStatus, VideoLink
from console.incidents.service import AlertLike, CaseFile, Incidents
from console.incidents.video_record import IntakeRecord
from console.plates.keeper import PlateSource
from console.ui.incidents.attempt import Refused, attempt
from console.ui.incidents.case_export_dialog import CaseExportDialog, CaseExportSetup
from console.ui.incidents.case_items import AlertMoment, CaseItem, PictureFolders, case_items
from console.ui.incidents.case_view import CaseView
from console.ui.incidents.dropped import dropped_files
from console.ui.incidents.incident_form import IncidentDraft, IncidentForm
from console.ui.incidents.intake_dialog import VideoIntakeDialog
from console.ui.incidents.models import IncidentListModel
from console.ui.incidents.search_bar import IncidentSearchBar
from console.ui.incidents.words import IncidentWords
from console.ui.plates.desk import PlateDesk
from console.ui.plates.dialog import PlateDialog
from console.ui.shell.i18n import ui_lang
from console.ui.widgets.overrides import qt_override
from console.ui.widgets.picture_cache import PictureCache

ERROR_STYLE = "QLabel#incidentsMessage { color: #c92a2a; }"
LIST_WIDTH_PX = 560
SHORT_COLUMN_PX = 110  # the place: long words, the title keeps the room
CELL_PADDING_PX = 16


class IncidentsDock(QDockWidget):
    show_camera = Signal(str, object)  # camera id, a moment in ms (object: beyond a C int): playback there
    show_on_map = Signal(float, float)  # latitude, longitude: the map centres there
    incidents_changed = Signal()  # created, edited, noted, status, a video received: for the map's layer

    def __init__(self, incidents: Incidents, cameras: Sequence[str], parent: QWidget | None = None, *,
                 camera_sites: Mapping[str, str] | None = None, snapshots: Path | None = None,
                 exports: CaseExportSetup | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Incidents"))
        self.setObjectName("incidentsDock")
        self.setFeatures(QDockWidget.DockWidgetFeature.DockWidgetMovable)
        self.setAcceptDrops(True)
        self.incidents = incidents
        self.cameras = list(cameras)
        self.camera_sites = dict(camera_sites or {})
        self.folders = PictureFolders(incidents.data, snapshots)
        self.alert_moment: AlertMoment | None = None  # the window may set it: an alert's camera and time
        self.words = IncidentWords(self)
        self.pictures = PictureCache()
        self.form: IncidentForm | None = None
        self.intake_sheet: VideoIntakeDialog | None = None
        self.exports = exports  # None: the console gave no recordings or database; the export is not offered
        self.export_sheet: CaseExportDialog | None = None
        self._refreshing = False
        self.search_bar = IncidentSearchBar(self.cameras, self.words)
        self.list_model = IncidentListModel(self.words)
        self.table = self._incident_table()
        self.case_view = CaseView(self.words, self.pictures)
        self._build_actions()
        self.message = QLabel()
        self.message.setObjectName("incidentsMessage")
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.message.hide()
        self._lay_out()
        self.search_bar.changed.connect(self.refresh)
        self.table.selectionModel().currentRowChanged.connect(self._chosen)
        self.case_view.note_written.connect(self.add_note)
        self.case_view.item_activated.connect(self._item_activated)
        self.case_view.offer_plates = lambda: PlateDesk.of(self) is not None
        self.case_view.read_plate_requested.connect(self.read_plate)
        self.refresh()

    # --- building ---------------------------------------------------------------------------------------

    def _incident_table(self) -> QTableView:
        table = QTableView()
        table.setObjectName("incidentList")
        table.setModel(self.list_model)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setWordWrap(False)
        table.verticalHeader().hide()
        header = table.horizontalHeader()
        # Widths from the font, not ResizeToContents: that reads every row's text (500 rows: 65 ms of the GUI
        # thread per search, measured); this way only the rows on screen are ever read.
        metrics = table.fontMetrics()
        widths = {"id": metrics.horizontalAdvance("00000"), "place": SHORT_COLUMN_PX,
                  "status": max(metrics.horizontalAdvance(self.words.status(s)) for s in IncidentStatus),
                  "time": metrics.horizontalAdvance("00/00/0000 00:00:00")}
        for column, name in enumerate(IncidentListModel.COLUMNS):
            if name == "title":
                header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
            else:
                header.resizeSection(column, widths[name] + CELL_PADDING_PX)
        return table

    def _build_actions(self) -> None:
        self.new_button = _button(self.tr("New incident"), "newIncidentButton", self.new_incident)
        self.edit_button = _button(self.tr("Edit…"), "editIncidentButton", self.edit_incident)
        self.status_button = QToolButton()
        self.status_button.setObjectName("statusButton")
        self.status_button.setText(self.tr("Change status"))
        self.status_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.status_menu = QMenu(self.status_button)
        self.status_actions: dict[IncidentStatus, QAction] = {}
        for status in IncidentStatus:
            action = self.status_menu.addAction(self.words.status(status))
            action.triggered.connect(lambda _checked=False, s=status: self.set_status(s))
            self.status_actions[status] = action
        self.status_button.setMenu(self.status_menu)
        self.intake_button = _button(self.tr("Receive a video from citizens…"), "intakeButton",
                                     self._intake_clicked)
        self.intake_button.setToolTip(self.tr("Or drop the video file from the USB stick onto this panel"))
        self.map_button = _button(self.tr("Show on the map"), "mapButton", self._show_place_on_map)
        self.export_button = _button(self.tr("Export case file…"), "exportCaseButton", self._export_clicked)
        self.export_button.setToolTip(self.tr("One signed folder with the clips, the citizens' originals, the "
                                              "pictures, the notes and the case report"))
        self.export_button.setVisible(self.exports is not None)

    def _lay_out(self) -> None:
        actions = QHBoxLayout()
        for button in (self.new_button, self.edit_button, self.status_button, self.intake_button, self.map_button,
                       self.export_button):
            actions.addWidget(button)
        actions.addStretch(1)
        left = QWidget()
        left_column = QVBoxLayout(left)
        left_column.setContentsMargins(0, 0, 0, 0)
        left_column.addWidget(self.search_bar)
        left_column.addWidget(self.table, 1)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.setChildrenCollapsible(False)
        split.addWidget(left)
        split.addWidget(self.case_view)
        split.setSizes([LIST_WIDTH_PX, LIST_WIDTH_PX * 2])
        content = QWidget()
        column = QVBoxLayout(content)
        column.setContentsMargins(4, 4, 4, 4)
        column.addLayout(actions)
        column.addWidget(self.message)
        column.addWidget(split, 1)
        self.setWidget(content)

    # --- finding and showing ----------------------------------------------------------------------------

    def refresh(self, select: int | None = None) -> None:
        """Search again with the bar's query; `select` (else the incident chosen now) stays chosen if found."""
        wanted = select if select is not None else self.selected_id()
        found = attempt(lambda: self.incidents.search(self.search_bar.query()))
        if isinstance(found, Refused):
            self.say(found.message, error=True)
            found = []
        row = None
        self._refreshing = True  # the row chosen again below is shown once, not once per signal
        try:
            self.list_model.set_rows(found)
            row = self.list_model.row_of(wanted) if wanted is not None else None
            current = self.list_model.index(row, 0) if row is not None else QModelIndex()
            self.table.selectionModel().setCurrentIndex(
                current, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows)
        finally:
            self._refreshing = False
        self._show(wanted if row is not None else None)

    def selected_id(self) -> int | None:
        incident = self.list_model.row_at(self.table.currentIndex().row())
        return incident.id if incident is not None else None

    def selected(self) -> Incident | None:
        return self.list_model.row_at(self.table.currentIndex().row())

    def select(self, incident_id: int) -> None:
        """Choose an incident; when the search hides it, the search is cleared so it shows."""
        if self.list_model.row_of(incident_id) is None:
            self.search_bar.blockSignals(True)
            self.search_bar.clear()
            self.search_bar.blockSignals(False)
        self.refresh(select=incident_id)

    def _chosen(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if self._refreshing:
            return
        incident = self.list_model.row_at(current.row())
        self._show(incident.id if incident is not None else None)

    def _show(self, incident_id: int | None) -> None:
        case: CaseFile | Refused | None = None
        if incident_id is not None:
            case = attempt(lambda: self.incidents.case_file(incident_id))
        if isinstance(case, Refused):
            self.say(case.message, error=True)
            case = None
        items = case_items(case, self.words, self.folders, self.alert_moment) if case is not None else []
        self.case_view.show_case(case, items)
        self._enable(case.incident if case is not None else None)

    def _enable(self, incident: Incident | None) -> None:
        chosen = incident is not None
        open_ = chosen and incident is not None and incident.status is not IncidentStatus.CLOSED
        self.edit_button.setEnabled(open_)
        self.status_button.setEnabled(chosen)
        self.intake_button.setEnabled(open_)
        self.case_view.note_edit.setEnabled(open_)
        self.case_view.add_note.setEnabled(open_ and bool(self.case_view.note_edit.toPlainText().strip()))
        self.map_button.setEnabled(self._place_point() is not None)
        self.export_button.setEnabled(chosen and self.exports is not None)
        for status, action in self.status_actions.items():
            action.setEnabled(chosen and incident is not None and incident.status is not status)
        closed = self.tr("The incident is closed: reopen it (Change status) to add to it")
        self.intake_button.setToolTip(closed if chosen and not open_ else
                                      self.tr("Or drop the video file from the USB stick onto this panel"))

    def say(self, text: str, error: bool = False) -> None:
        """The dock's line: what was done, or why not."""
        self.message.setText(text)
        self.message.setStyleSheet(ERROR_STYLE if error else "")
        self.message.setVisible(bool(text))

    # --- the officer's actions --------------------------------------------------------------------------

    def new_incident(self) -> IncidentForm:
        return self._open_form(None)

    def edit_incident(self) -> IncidentForm | None:
        incident = self.selected()
        return self._open_form(incident) if incident is not None else None

    def _open_form(self, incident: Incident | None) -> IncidentForm:
        if self.form is not None:
            self.form.close()
        form = IncidentForm(self, self.words, self.cameras, self.camera_sites,
                            lambda draft: self._save_draft(draft, incident), incident)
        form.finished.connect(form.deleteLater)
        form.destroyed.connect(lambda: self._form_gone(form))
        self.form = form
        form.open()
        return form

    def _form_gone(self, form: IncidentForm) -> None:
        if self.form is form:
            self.form = None

    def _save_draft(self, draft: IncidentDraft, editing: Incident | None) -> str | None:
        if editing is None:
            done = attempt(lambda: self.incidents.create(draft.title, draft.kind, draft.place, draft.start_ms,
                                                         draft.end_ms, draft.officers, draft.note))
        else:
            done = attempt(lambda: self.incidents.edit(replace(
                editing, title=draft.title, kind=draft.kind, place=draft.place, start_ms=draft.start_ms,
                end_ms=draft.end_ms, officers=draft.officers)))
        if isinstance(done, Refused):
            return done.message
        self._changed(done.id, self.tr("Incident no. {number} saved").format(number=done.id))
        return None

    def add_note(self, text: str) -> None:
        incident_id = self.selected_id()
        if incident_id is None:
            return
        done = attempt(lambda: self.incidents.add_note(incident_id, text))
        if isinstance(done, Refused):
            self.say(done.message, error=True)
            return
        self.case_view.note_kept()
        self._changed(incident_id, self.tr("Note added to incident no. {number}").format(number=incident_id))

    def set_status(self, status: IncidentStatus) -> None:
        incident_id = self.selected_id()
        if incident_id is None:
            return
        done = attempt(lambda: self.incidents.set_status(incident_id, status))
        if isinstance(done, Refused):
            self.say(done.message, error=True)
            return
        self._changed(incident_id, self.tr("Incident no. {number} is now: {status}").format(
            number=incident_id, status=self.words.status(status)))

    def create_from_alert(self, alert: AlertLike) -> Incident | None:
        """The alarm list's *Tạo vụ việc*: an incident on the alert (its camera, time, picture and recordings).
        An alert already in an incident is not given a second one: that incident is shown."""
        self._bring_forward()
        known = attempt(lambda: self.incidents.with_alert(alert.id))
        if not isinstance(known, Refused) and known:
            existing = self.incidents.get(known[0])
            self.select(known[0])
            self.say(self.tr("Alert no. {alert} is already in incident no. {number}").format(
                alert=alert.id, number=known[0]))
            return existing
        return self._opened(attempt(lambda: self.incidents.create_from_alert(alert)))

    def create_from_playback(self, camera_id: str, at_ms: int) -> Incident | None:
        """Playback's *Tạo vụ việc tại thời điểm này*: an incident on the camera's minute either side."""
        self._bring_forward()
        site = self.camera_sites.get(camera_id)
        return self._opened(attempt(lambda: self.incidents.create_from_playback(camera_id, at_ms, site)))

    def _opened(self, done: Incident | Refused) -> Incident | None:
        if isinstance(done, Refused):
            self.say(done.message, error=True)
            return None
        self._changed(done.id, self.tr("Incident no. {number} opened: {title}").format(number=done.id,
                                                                                        title=done.title))
        return done

    def _changed(self, incident_id: int, told: str) -> None:
        self.select(incident_id)
        self.say(told)
        self.incidents_changed.emit()

    def _bring_forward(self) -> None:
        self.show()
        self.raise_()

    # --- citizens' videos -------------------------------------------------------------------------------

    def receive_video(self, source: Path | None = None) -> VideoIntakeDialog | None:
        """The intake sheet for the incident chosen (one sheet at a time), with `source` when dropped."""
        incident = self.selected()
        if incident is None:
            self.say(self.tr("Choose the incident the video belongs to first (or open a new one)"), error=True)
            return None
        if incident.status is IncidentStatus.CLOSED:  # a drop reaches here with the button disabled
            self.say(IncidentError(Say.INCIDENT_CLOSED, incident=incident.id).message(ui_lang()), error=True)
            return None
        sheet = self.intake_sheet
        if sheet is not None and sheet.run.running:
            self.say(self.tr("A video is being received for incident no. {number}: wait for it or cancel it").format(
                number=sheet.incident.id), error=True)
            sheet.raise_()
            return sheet
        if sheet is not None and sheet.incident.id == incident.id:
            if source is not None:
                sheet.set_source(source)
            sheet.show()
            sheet.raise_()
            return sheet
        if sheet is not None:
            sheet.close()
        sheet = VideoIntakeDialog(self, self.incidents, incident, self.words, source)
        sheet.received.connect(self._video_received)
        sheet.finished.connect(sheet.deleteLater)
        sheet.destroyed.connect(lambda: self._sheet_gone(sheet))
        self.intake_sheet = sheet
        sheet.show()
        return sheet

    @property
    def intake_running(self) -> bool:
        return self.intake_sheet is not None and self.intake_sheet.run.running

    def cancel_intake(self) -> None:
        """At exit: the running intake (if any) is cancelled and its sheet closes once nothing of it is left."""
        if self.intake_sheet is not None:
            self.intake_sheet.reject()

    def _intake_clicked(self) -> None:
        self.receive_video()  # not connected directly: `clicked` would hand its bool in as the source

    def _sheet_gone(self, sheet: VideoIntakeDialog) -> None:
        if self.intake_sheet is sheet:
            self.intake_sheet = None

    def _video_received(self, record: IntakeRecord) -> None:
        self._changed(record.incident_id, self.tr("Video {file} received into incident no. {number}").format(
            file=record.file_name, number=record.incident_id))
        case = self.case_view.case
        if case is not None:
            link = next((lk for lk in case.links if lk.target == VideoLink(record.id)), None)
            self.case_view.choose_item(link.id if link is not None else None)

    # --- the case file ----------------------------------------------------------------------------------

    def export_case(self, folder: Path | None = None) -> CaseExportDialog | None:
        """*Xuất hồ sơ…*: the folder picked (or `folder`), then the export's sheet, running (one at a time)."""
        incident = self.selected()
        setup = self.exports
        if incident is None or setup is None:
            self.say(self.tr("Choose the incident to export first"), error=True)
            return None
        sheet = self.export_sheet
        if sheet is not None and sheet.running:
            self.say(self.tr("The case file of incident no. {number} is being exported: wait for it or cancel it")
                     .format(number=sheet.incident.id), error=True)
            sheet.raise_()
            return sheet
        if folder is None:
            start = setup.start_folder or self.incidents.data
            chosen = QFileDialog.getExistingDirectory(self, self.tr("Choose where to put the case file"), str(start))
            if not chosen:
                return None
            folder = Path(chosen)
        if sheet is not None:
            sheet.close()
        target = folder / case_folder_name(incident.id, now_ms())
        sheet = CaseExportDialog(self, self.incidents, incident, setup, target, self.folders.snapshot)
        sheet.exported.connect(self._case_exported)
        sheet.finished.connect(sheet.deleteLater)
        sheet.destroyed.connect(lambda: self._export_gone(sheet))
        self.export_sheet = sheet
        sheet.show()
        sheet.start()
        return sheet

    @property
    def export_running(self) -> bool:
        return self.export_sheet is not None and self.export_sheet.running

    def cancel_export(self) -> None:
        """At exit: the running export (if any) is cancelled and its sheet closes once its folder is removed."""
        if self.export_sheet is not None:
            self.export_sheet.reject()

    def _export_clicked(self) -> None:
        self.export_case()  # not connected directly: `clicked` would hand its bool in as the folder

    def _export_gone(self, sheet: CaseExportDialog) -> None:
        if self.export_sheet is sheet:
            self.export_sheet = None

    def _case_exported(self, result: CaseExportResult) -> None:
        self.say(self.tr("The case file was exported to {folder}").format(folder=str(result.folder)))

    @qt_override
    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if dropped_files(event.mimeData()):
            event.acceptProposedAction()
        else:
            event.ignore()

    @qt_override
    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        if dropped_files(event.mimeData()):
            event.acceptProposedAction()
        else:
            event.ignore()

    @qt_override
    def dropEvent(self, event: QDropEvent) -> None:
        files = dropped_files(event.mimeData())
        if not files:
            event.ignore()
            return
        event.acceptProposedAction()
        sheet = self.receive_video()
        if sheet is not None and not sheet.run.running:
            sheet.take_dropped(files)

    # --- plates -----------------------------------------------------------------------------------------

    def read_plate(self, item: CaseItem) -> PlateDialog | None:
        """*Đọc biển số* on a linked snapshot: the plate goes into the incident shown (the dialog offers others)."""
        desk = PlateDesk.of(self)
        incident_id = self.selected_id()
        if desk is None or not item.pictures:
            return None
        image = QImageReader(str(item.pictures[0])).read()
        if image.isNull():
            self.say(self.tr("The picture {path} could not be read.").format(path=str(item.pictures[0])), error=True)
            return None
        return desk.open(self, image, PlateSource(item.camera_id, item.at_ms, incident_id=incident_id))

    # --- where items lead -------------------------------------------------------------------------------

    def _item_activated(self, item: CaseItem) -> None:
        if item.camera_id is not None and item.at_ms is not None:
            self.show_camera.emit(item.camera_id, item.at_ms)
        elif item.point is not None:
            self.show_on_map.emit(item.point.lat, item.point.lon)

    def _place_point(self) -> tuple[float, float] | None:
        """The incident's point, else the first place a linked video gives (the phone's, else the person's)."""
        case = self.case_view.case
        if case is None:
            return None
        if case.incident.place.point is not None:
            return case.incident.place.point.lat, case.incident.place.point.lon
        item = next((i for i in self.case_view.items_model.rows() if i.point is not None), None)
        return (item.point.lat, item.point.lon) if item is not None and item.point is not None else None

    def _show_place_on_map(self) -> None:
        point = self._place_point()
        if point is not None:
            self.show_on_map.emit(*point)


def _button(text: str, name: str, slot: Callable[[], object]) -> QPushButton:
    button = QPushButton(text)
    button.setObjectName(name)
    button.clicked.connect(slot)
    return button
