"""The playback window: one camera's recording at a chosen moment, with the timeline, speeds, frame steps,
snapshot, previous/next alert, evidence export and bookmarks (*Đánh dấu*). For a camera on a recorder channel the
station's recorder fills the gaps of the console's own recording: its ranges drawn in another colour, played over
its RTSP playback (labelled *Đầu ghi*) at the speeds the recorder plays, sought and paused in the same session,
downloaded for the same evidence export (`recorder_side`); an export of a range partly the console's and partly
only the recorder's takes both, stitched (`mixed_export`)."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import sqlite_utils
from PySide6.QtCore import QByteArray, QDate, QSettings, Qt, QTimer
from PySide6.QtGui import QBrush, QCloseEvent, QColor, QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QMenu,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
    QWidgetAction,
)

from console.audit.actions import AuditAction, AuditEntry
from console.bookmarks.service import Bookmarks
from console.core.config import RecordingMode, SiteConfig
from console.core.recording import ALERT_LEAD_MS, TimeRange, merged
from console.core.users import User
from console.core.vntime import format_vn_ms, from_epoch_ms, now_ms, vn_moment
from console.incidents.model import Incident
from console.media.export import ExportResult
from console.media.player import RATES, PlayerUnavailableError, RecordingPlayer
from console.media.vlc_input import KeyframeFinder
from console.nvr.playback_source import RecorderAccess, device_speeds
from console.nvr_export.evidence_download import RecorderDownload
from console.nvr_export.mixed_export import MixedExport
from console.officers.guard import ActionRefusedError, Officers
from console.officers.roles import Permission
from console.plates.keeper import PlateSource
from console.store.recordings import RecordingIndex, index_opener
from console.ui.bookmarks.playback import PlaybackBookmarks
from console.ui.incidents.dock import IncidentsDock
from console.ui.live.camera_tree import status_icon
from console.ui.plates.desk import PlateDesk
from console.ui.plates.dialog import PlateDialog
from console.ui.playback.days_calendar import RecordingCalendar, day_of
from console.ui.playback.export_dialog import ExportDialog
from console.ui.playback.mixed_export_dialog import MixedExportDialog
from console.ui.playback.motion_search import MotionSearchDialog
from console.ui.playback.picture_view import PictureView
from console.ui.playback.recorder_side import RecorderLink, RecorderSide
from console.ui.playback.speeds import speed_label
from console.ui.playback.sync import MAX_COMPANIONS, CompanionView
from console.ui.playback.timeline import Timeline
from console.ui.shell.i18n import ui_lang
from console.ui.widgets.main_window_part import main_window_part
from console.ui.widgets.overrides import qt_override
from console.ui.widgets.time_edit import VnTimeEdit

log = logging.getLogger(__name__)


TICK_MS = 40
DATA_REFRESH_S = 5.0
SNAPSHOT_FOLDER = "snapshots"
SETTINGS_FILE = "window.ini"  # the main window's file: where the playback window was left is kept beside
VN_OFFSET_MS = 7 * 3600_000
DAY_MS = 86_400_000
RECORDING_DOT = "#e03131"
RECORDER_LABEL_STYLE = "background: #1c7ed6; color: white; padding: 2px 6px; border-radius: 3px;"
UNRECORDED_TEXT = "#868e96"


class PlaybackWindow(QWidget):
    def __init__(self, config: SiteConfig, db: sqlite_utils.Database, recordings: Path, data: Path,
                 actor: str = "", parent: QWidget | None = None, officers: Officers | None = None,
                 bookmarks: Bookmarks | None = None, recorders: RecorderAccess | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.officers = officers
        self._bookmark_service = bookmarks  # None: no *Đánh dấu* here (a window built alone, in tools or tests)
        self._motion_marks: tuple[str, list[tuple[int, int]]] = ("", [])  # the last motion search: camera, moments
        # (camera, from ms, who opened it) shown since it was opened: one audit row, in the name of who opened it
        self._viewing: tuple[str, int, User | None] | None = None
        self._snapshot_files: set[Path] = set()  # named already (libVLC writes each file later)
        self.setObjectName("playbackWindow")
        self.config = config
        # The camera's clock offset as last read over ONVIF (seconds ahead of the station), for the evidence
        # manifest; None: not an ONVIF camera, or not read.
        self.clock_offset: Callable[[str], float | None] | None = None
        self.index = RecordingIndex(db)
        self.recordings = recordings
        self.db_path = data / "console.db"
        self.snapshots = data / SNAPSHOT_FOLDER
        self.actor = actor
        self.keyframes = KeyframeFinder(recordings, self.index.keyframes)
        self.companions: list[CompanionView] = []
        self.setWindowTitle(self.tr("Playback"))
        self.resize(1100, 760)
        self._settings = QSettings(str(data / SETTINGS_FILE), QSettings.Format.IniFormat)
        self._placed = False
        self._when_second = -1
        try:
            self.player: RecordingPlayer | None = RecordingPlayer(recordings, self.index.at, self.keyframes)
        except PlayerUnavailableError as exc:
            log.error("playback unavailable: %s", exc)
            self.player = None
        self._data_at = 0.0
        # The station's recorders (handed in, else the main window's): None when the site has none.
        if recorders is None:
            link = RecorderLink.of(self) if parent is not None else None
            recorders = link.recorders if link is not None else None
        self.recorder = RecorderSide(recorders, self._camera_label, self) if recorders is not None else None
        self.from_recorder = False  # the picture is the recorder's playback
        self._wanted: tuple[str, int] | None = None  # a moment to play from the recorder once its day is searched
        self._build()
        if self.recorder is not None:
            self.recorder.ranges_changed.connect(self._recorder_searched)
            self.recorder.refused.connect(self.status.setText)
            self.recorder.days_found.connect(self.calendar.mark_recorder)
        self._timer = QTimer(self)
        self._timer.timeout.connect(self._tick)
        self._timer.start(TICK_MS)
        if self.player is None:
            self.picture.show_image(None, self.tr("Playback needs libVLC, which could not be loaded."))

    # -- layout -----------------------------------------------------------------------------------------
    def _build(self) -> None:
        self.camera = QComboBox(self)
        self.camera.setObjectName("playbackCamera")
        recording = status_icon(RECORDING_DOT)
        for camera in self.config.cameras:  # the cameras that record are marked; the others say so
            if camera.recording is RecordingMode.OFF:
                self.camera.addItem(self.tr("{camera} (not recorded)").format(camera=camera.label), camera.id)
                self.camera.setItemData(self.camera.count() - 1, QBrush(QColor(UNRECORDED_TEXT)),
                                        Qt.ItemDataRole.ForegroundRole)
            else:
                self.camera.addItem(recording, camera.label, camera.id)
        self.camera.activated.connect(lambda _i: self.open_camera(self.camera_id(), self._moment()))
        self.when = VnTimeEdit(now_ms(), self)
        self.when.setObjectName("playbackWhen")
        self.calendar = RecordingCalendar(self)
        self.calendar.day_chosen.connect(self.open_day)
        self.calendar_button = QToolButton(self)
        self.calendar_button.setObjectName("playbackCalendar")
        self.calendar_button.setText(self.tr("Days recorded…"))
        self.calendar_button.setToolTip(self.tr("Days with recording of this camera are marked"))
        self.calendar_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        calendar_menu = QMenu(self.calendar_button)
        holder = QWidgetAction(calendar_menu)
        holder.setDefaultWidget(self.calendar)
        calendar_menu.addAction(holder)
        calendar_menu.aboutToShow.connect(self._mark_days)
        self.calendar.day_chosen.connect(lambda _day: calendar_menu.close())
        self.calendar_button.setMenu(calendar_menu)
        self.go = QPushButton(self.tr("Go"), self)
        self.go.clicked.connect(lambda: self.open_camera(self.camera_id(), self.when.ms()))
        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("Camera"), self))
        top.addWidget(self.camera, 2)
        top.addWidget(QLabel(self.tr("Time (UTC+7)"), self))
        top.addWidget(self.when)
        top.addWidget(self.calendar_button)
        top.addWidget(self.go)
        self.add_sync = self._button(self.tr("Add camera (synchronized)"), lambda _checked=False: self.add_companion())
        self.add_sync.setToolTip(self.tr("Play up to {count} more cameras on this clock").format(count=MAX_COMPANIONS))
        top.addWidget(self.add_sync)
        self.picture = PictureView(self)
        self.source_label = QLabel(self.tr("Recorder"), self.picture)
        self.source_label.setObjectName("playbackSourceRecorder")
        self.source_label.setStyleSheet(RECORDER_LABEL_STYLE)
        self.source_label.setToolTip(self.tr("This picture is the station's recorder's playback, not the console's "
                                             "own recording"))
        self.source_label.move(8, 8)
        self.source_label.hide()
        self.pictures = QGridLayout()
        self.pictures.addWidget(self.picture, 0, 0)
        self.timeline = Timeline(self)
        self.timeline.seek_requested.connect(self.seek)
        self.timeline.view_changed.connect(lambda *_: self._refresh_data(force=True))
        self.clock = QLabel(self)
        self.clock.setObjectName("playbackClock")
        controls = QHBoxLayout()
        self.previous_alert = self._button(self.tr("◀◀ Previous alert"), lambda: self.jump_alert(False))
        self.step_back = self._button(self.tr("◀| Frame back"), self._step_back)
        self.play_button = self._button(self.tr("Pause"), self.toggle_play)
        self.step_forward = self._button(self.tr("|▶ Frame forward"), self._step_forward)
        self.next_alert = self._button(self.tr("Next alert ▶▶"), lambda: self.jump_alert(True))
        self.rate = QComboBox(self)
        self.rate.setObjectName("playbackRate")
        self._offer_rates(RATES, 1.0)
        self.rate.currentIndexChanged.connect(lambda _i: self.set_rate(float(self.rate.currentData())))
        self.snapshot_button = self._button(self.tr("Snapshot"), self.take_snapshot)
        self.export_button = self._button(self.tr("Export evidence…"), self.export_evidence)
        self.download_button = self._button(self.tr("Download from recorder…"), self.download_from_recorder)
        self.download_button.setObjectName("playbackDownloadRecorder")
        self.download_button.setToolTip(self.tr("Two minutes around the moment shown, by the recorder's own file "
                                                "download, exported as evidence"))
        self.download_button.setVisible(self.recorder is not None)
        self.motion_button = self._button(self.tr("Find motion…"), self.find_motion)
        self.motion_button.setObjectName("playbackFindMotion")
        self.plate_button = self._button(self.tr("Read plate…"), self.read_plate)
        self.plate_button.setObjectName("playbackReadPlate")
        self.plate_button.setVisible(PlateDesk.of(self) is not None)  # the main window's: none in a window alone
        self.incident_button = self._button(self.tr("New incident here"), self.open_incident)
        self.incident_button.setObjectName("playbackNewIncident")
        self.incident_button.setToolTip(self.tr("Open an incident on this camera at the moment shown, with a minute "
                                                "of recording either side"))
        self.incident_button.setVisible(self._incidents_dock() is not None)
        for widget in (self.previous_alert, self.step_back, self.play_button, self.step_forward, self.next_alert):
            controls.addWidget(widget)
        controls.addWidget(QLabel(self.tr("Speed"), self))
        controls.addWidget(self.rate)
        controls.addStretch(1)
        controls.addWidget(self.clock)
        controls.addWidget(self.snapshot_button)
        controls.addWidget(self.motion_button)
        controls.addWidget(self.plate_button)
        controls.addWidget(self.incident_button)
        controls.addWidget(self.export_button)
        controls.addWidget(self.download_button)
        self.bookmarks = self._build_bookmarks()
        pictures = QHBoxLayout()  # the bookmarks' list, when shown, beside the pictures
        pictures.addLayout(self.pictures, 1)
        if self.bookmarks is not None:
            controls.addWidget(self.bookmarks.add_button)
            controls.addWidget(self.bookmarks.list_button)
            pictures.addWidget(self.bookmarks.panel)
        self.status = QLabel(self)
        self.status.setObjectName("playbackStatus")
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(pictures, 1)
        layout.addWidget(self.timeline)
        layout.addLayout(controls)
        layout.addWidget(self.status)
        QShortcut(QKeySequence(Qt.Key.Key_Space), self, self.toggle_play)
        QShortcut(QKeySequence(Qt.Key.Key_Right), self, self._step_forward)
        QShortcut(QKeySequence(Qt.Key.Key_Left), self, self._step_back)

    def _build_bookmarks(self) -> PlaybackBookmarks | None:
        if self._bookmark_service is None:
            return None
        bookmarks = PlaybackBookmarks(self, self._bookmark_service, {c.id: c.label for c in self.config.cameras},
                                      lambda: (self.camera_id(), self._moment()), self.open_camera, self.export_range)
        bookmarks.panel.changed.connect(lambda: self._refresh_data(force=True))
        return bookmarks

    def _button(self, text: str, slot: object) -> QPushButton:
        button = QPushButton(text, self)
        button.clicked.connect(slot)
        return button

    # -- what is shown ----------------------------------------------------------------------------------
    def camera_id(self) -> str:
        return str(self.camera.currentData())

    def _camera_label(self, camera_id: str) -> str:
        camera = next((c for c in self.config.cameras if c.id == camera_id), None)
        return camera.label if camera is not None else camera_id

    def _moment(self) -> int:
        """The moment shown, else the one typed in."""
        if self.from_recorder and self.recorder is not None:
            shown = self.recorder.player.time_ms()
            return shown or self.when.ms()
        shown = self.player.time_ms() if self.player is not None else None
        return shown or self.when.ms()

    def viewed(self) -> None:
        """*Xem lại ghi hình*: the camera and the stretch of time shown since it was opened, as one audit row in the
        name of the officer who opened it (also when it ends after their logout, a shift change, or at exit)."""
        viewing, self._viewing = self._viewing, None
        if viewing is None or self.officers is None or self.officers.audit is None:
            return
        camera_id, start_ms, viewer = viewing
        end_ms = self._moment()
        self.officers.audit(AuditEntry(AuditAction.PLAYBACK_VIEWED, viewer.login if viewer else "-",
                                       viewer.role.value if viewer else None, camera=camera_id,
                                       details={"start_ms": min(start_ms, end_ms), "end_ms": max(start_ms, end_ms)}))

    def open_camera(self, camera_id: str, at_ms: int) -> None:
        """Show this camera from this moment (the first recording after it if nothing is recorded then)."""
        viewer: User | None = None
        if self.officers is not None:
            try:
                viewer = self.officers.require(Permission.VIEW_PLAYBACK, camera=camera_id)
            except ActionRefusedError as exc:
                self.status.setText(exc.message(ui_lang()))
                return
        self.viewed()
        self._viewing = (camera_id, at_ms, viewer)
        self.camera.setCurrentIndex(max(0, self.camera.findData(camera_id)))
        self.when.set_ms(at_ms)
        self.timeline.set_view(at_ms - self.timeline.span_ms // 4, self.timeline.span_ms)
        if self.recorder is not None:
            self.recorder.ask_view(camera_id, self.timeline.start_ms, self.timeline.end_ms, again=True)
        self._refresh_data(force=True)
        self.timeline.set_cursor(at_ms)
        if self._play_recorder(camera_id, at_ms, fresh=True):
            return
        self._leave_recorder()
        if self.player is None:
            return
        # With companions every camera starts at the moment itself, so they start together.
        segment = self.player.open(camera_id, at_ms, play=not self.player.paused, exact=bool(self.companions))
        self._sync(at_ms)
        if segment is None:
            self.picture.show_image(None, self.tr("Nothing recorded from camera {camera} at or after {time}.")
                                    .format(camera=self.camera.currentText(), time=format_vn_ms(at_ms)))
        else:
            self.picture.message = ""
            if segment.start_ms > at_ms:
                self.status.setText(self.tr("Nothing recorded at {asked}: showing the next recording, from {start}.")
                                    .format(asked=format_vn_ms(at_ms), start=format_vn_ms(segment.start_ms)))
            else:
                self.status.setText("")
        self._update_play_button()

    def _mark_days(self) -> None:
        self.calendar.mark({day_of(n) for n in self.index.recorded_days(self.camera_id(), VN_OFFSET_MS)})
        shown = from_epoch_ms(self._moment())
        self.calendar.setSelectedDate(QDate(shown.year, shown.month, shown.day))
        if self.recorder is not None:  # one calendar request of the recorder; its days tinted when it answers
            self.calendar.mark_recorder(set())
            self.recorder.ask_month(self.camera_id(), shown.year, shown.month)

    def open_day(self, day: QDate) -> None:
        """A day picked in the calendar: its first recording (or its midnight, when there is none)."""
        start = (day.toJulianDay() - QDate(1970, 1, 1).toJulianDay()) * DAY_MS - VN_OFFSET_MS
        first = self.index.at(self.camera_id(), start)
        begin = max(start, first.start_ms) if first is not None and first.start_ms < start + DAY_MS else start
        self.open_camera(self.camera_id(), begin)

    # -- the station's recorder ------------------------------------------------------------------------------
    def _own_at(self, camera_id: str, at_ms: int) -> bool:
        segment = self.index.at(camera_id, at_ms)
        return segment is not None and segment.start_ms <= at_ms

    def _play_recorder(self, camera_id: str, at_ms: int, fresh: bool = False) -> bool:
        """Play the recorder at this moment if the console recorded nothing then and the recorder did (its day
        not searched yet: remembered, played when the search comes back); already on the recorder (and not
        `fresh`), in the same session when it covers the moment."""
        side = self.recorder
        self._wanted = None
        if side is None or not side.available(camera_id) or self._own_at(camera_id, at_ms):
            return False
        if not side.known(camera_id, at_ms):
            self._wanted = (camera_id, at_ms)
            return False
        if not side.covers(camera_id, at_ms):
            return False
        if self.player is not None and not self.player.paused:
            self.player.pause()
        staying = self.from_recorder and not fresh
        self.from_recorder = True
        self.source_label.show()
        self.source_label.raise_()
        self.picture.message = ""
        self._recorder_controls(True, camera_id)
        if staying:
            side.seek(camera_id, at_ms)
        else:
            side.play(camera_id, at_ms)
        self.status.setText(self.tr("Playing from recorder {recorder}.").format(recorder=side.recorder_of(camera_id)))
        self._update_play_button()
        return True

    def _leave_recorder(self) -> None:
        if not self.from_recorder or self.recorder is None:
            return
        self.from_recorder = False
        self.recorder.stop()
        self.source_label.hide()
        self._recorder_controls(False)

    def _recorder_controls(self, on: bool, camera_id: str = "") -> None:
        """On the recorder: the speeds its vendor plays offered (the speed chosen kept when it is one of them, else
        1×), no frame steps; back on the console's own recording, its speeds, the speed chosen kept."""
        for widget in (self.step_back, self.step_forward, self.snapshot_button, self.motion_button):
            widget.setEnabled(not on)
        wanted = self._rate()
        if on and self.recorder is not None:
            recorder_id = self.recorder.recorder_of(camera_id)
            speeds = device_speeds(self.config.recorder(recorder_id).vendor.value)
            self._offer_rates(speeds, wanted)
            self.recorder.set_scale(self._rate())
            self.rate.setToolTip(self.tr("The speeds recorder {recorder} plays back at").format(
                recorder=recorder_id))
            self.rate.setEnabled(len(speeds) > 1)
            return
        self._offer_rates(RATES, wanted)
        self.rate.setToolTip("")
        self.rate.setEnabled(True)
        self.set_rate(self._rate())

    def _offer_rates(self, rates: tuple[float, ...], wanted: float) -> None:
        """The speed box filled with `rates` ("0,5×", "2×"), `wanted` chosen if offered."""
        if self._offered() != rates:
            blocked = self.rate.blockSignals(True)
            self.rate.clear()
            for rate in rates:
                self.rate.addItem(speed_label(rate), rate)
            self.rate.blockSignals(blocked)
        blocked = self.rate.blockSignals(True)
        self.rate.setCurrentIndex(max(0, self.rate.findData(wanted if wanted in rates else 1.0)))
        self.rate.blockSignals(blocked)

    def _recorder_searched(self) -> None:
        self._refresh_data(force=True)
        wanted = self._wanted
        if wanted is not None and wanted[0] == self.camera_id() and self.recorder is not None \
                and self.recorder.known(*wanted):
            self.seek(wanted[1])

    def download_from_recorder(self) -> ExportDialog | None:
        """*Tải từ đầu ghi*: two minutes around the moment shown, downloaded from the recorder, as evidence."""
        moment = self._moment()
        return self._export_from_recorder(self.camera_id(), TimeRange(moment - 60_000, moment + 60_000))

    def _export_from_recorder(self, camera_id: str, span: TimeRange) -> ExportDialog | None:
        side = self.recorder
        if side is None or not side.available(camera_id):
            self.status.setText(self.tr("Camera {camera} is on no recorder.").format(
                camera=self._camera_label(camera_id)))
            return None
        opener = index_opener(self.db_path)

        def make_job(span: TimeRange, target: Path, actor: str, progress: Callable[[float], None],
                     finished: Callable[[ExportResult], None]) -> RecorderDownload:
            return RecorderDownload(side.source, opener, camera_id, span, target, actor,
                                    lambda error: side.describe(camera_id, error), progress, finished)

        dialog = ExportDialog(self.config, camera_id, span, self.recordings, self.db_path, self.actor, self,
                              self.officers, make_job=make_job)
        dialog.setWindowTitle(self.tr("Download from recorder"))
        dialog.clock_offset_s = side.source.clock_offset_s(camera_id)
        dialog.show()
        return dialog

    def _export_mixed(self, camera_id: str, span: TimeRange, side: RecorderSide) -> MixedExportDialog:
        opener = index_opener(self.db_path)

        def make_job(span: TimeRange, target: Path, actor: str, progress: Callable[[float], None],
                     finished: Callable[[ExportResult], None]) -> MixedExport:
            return MixedExport(side.source, opener, self.recordings, camera_id, span, target, actor,
                               lambda error: side.describe(camera_id, error), progress, finished)

        dialog = MixedExportDialog(self.config, camera_id, span, self.recordings, self.db_path, self.actor, make_job,
                                   self, self.officers)
        own_offset = self.clock_offset(camera_id) if self.clock_offset is not None else None
        dialog.clock_offset_s = own_offset if own_offset is not None else side.source.clock_offset_s(camera_id)
        dialog.show()
        return dialog

    def seek(self, at_ms: int) -> None:
        if self._play_recorder(self.camera_id(), at_ms):  # a recorder's range: PLAY with Range in its session
            self.timeline.set_cursor(at_ms)
            return
        if self.player is None:
            return
        if self.player.camera_id != self.camera_id() and not self.from_recorder:
            self.open_camera(self.camera_id(), at_ms)
            return
        if self.from_recorder:
            self._leave_recorder()
            self.player.open(self.camera_id(), at_ms, play=True, exact=bool(self.companions))
            self._update_play_button()
            self.timeline.set_cursor(at_ms)
            self._sync(at_ms)
            return
        if self.player.seek(at_ms, exact=bool(self.companions)) is None:
            self.status.setText(self.tr("Nothing recorded after {time}.").format(time=format_vn_ms(at_ms)))
        self.timeline.set_cursor(at_ms)
        self._sync(at_ms)

    # -- controls -------------------------------------------------------------------------------------
    def toggle_play(self) -> None:
        if self.from_recorder and self.recorder is not None:
            if self.recorder.player.paused:  # PLAY on the same session, from the paused picture
                self.recorder.resume(self.camera_id())
            else:
                self.recorder.pause()  # PAUSE: the session stays
            self._update_play_button()
            return
        if self.player is None:
            return
        if self.player.paused:
            at = self._moment()  # the still's moment: libVLC's clock restarts at its keyframe
            self.player.play()
        else:
            self.player.pause()
            at = self._moment()  # the frame it paused on
        self._update_play_button()
        self._sync(at)

    def _update_play_button(self) -> None:
        if self.from_recorder and self.recorder is not None:
            paused = self.recorder.player.paused
        else:
            paused = self.player is None or self.player.paused
        self.play_button.setText(self.tr("Play") if paused else self.tr("Pause"))

    def set_rate(self, rate: float) -> None:
        if self.from_recorder and self.recorder is not None:
            self.recorder.set_scale(rate)  # PLAY with Scale on the recorder's session
            return
        if self.player is not None:
            self.player.set_rate(rate)
        for companion in self.companions:
            if companion.player is not None:
                companion.player.set_rate(rate)

    def _step_forward(self) -> None:
        if self.player is not None:
            self.player.step_forward()
            self._update_play_button()
            self._sync()

    def _step_back(self) -> None:
        if self.player is not None:
            self.player.step_back()
            self._update_play_button()
            self._sync()

    def jump_alert(self, forward: bool) -> None:
        at_ms = self.index.neighbour_alert(self.camera_id(), self._moment() + (1000 if forward else -1000), forward)
        if at_ms is None:
            self.status.setText(self.tr("No later alert on this camera.") if forward
                                else self.tr("No earlier alert on this camera."))
            return
        self.seek(at_ms - ALERT_LEAD_MS)

    def take_snapshot(self) -> Path | None:
        if self.player is None or self.player.segment is None:
            return None
        if self.officers is not None:
            try:
                self.officers.require(Permission.SNAPSHOT, camera=self.camera_id())
            except ActionRefusedError as exc:
                self.status.setText(exc.message(ui_lang()))
                return None
        path = self._snapshot_file(vn_moment(self.player.time_ms() or 0))
        if self.player.snapshot(path):
            if self.officers is not None:
                self.officers.record(AuditAction.SNAPSHOT, camera=self.camera_id(), target=str(path),
                                     details={"at_ms": self.player.time_ms() or 0, "playback": True})
            self.status.setText(self.tr("Snapshot saved: {path}").format(path=str(path)))
            return path
        self.status.setText(self.tr("Could not take a snapshot."))
        return None

    def _snapshot_file(self, moment: datetime) -> Path:
        """A file no snapshot has had: two of one second (paused, or quick clicks) are two files, not one
        overwritten; the names handed out are kept because libVLC writes each file a moment later."""
        stem = f"{self.camera_id()}_{moment:%Y%m%d_%H%M%S}_playback"
        path, number = self.snapshots / f"{stem}.png", 1
        while path in self._snapshot_files or path.exists():
            number += 1
            path = self.snapshots / f"{stem}_{number}.png"
        self._snapshot_files.add(path)
        return path

    def export_evidence(self) -> None:
        moment = self._moment()
        self.export_range(self.camera_id(), TimeRange(moment - 60_000, moment + 60_000))

    def export_range(self, camera_id: str, span: TimeRange) -> ExportDialog:
        """The evidence export of a camera's range (two minutes around the moment shown, or a bookmark's): from
        the recorder when the console recorded nothing of it and the recorder did; both, stitched in time order,
        when the console recorded part of it and the recorder holds some of the rest."""
        side = self.recorder
        if side is not None and side.available(camera_id):
            own = merged(TimeRange(s.start_ms, s.end_ms)
                         for s in self.index.segments(camera_id, span.start_ms, span.end_ms))
            if not own and side.covers(camera_id, (span.start_ms + span.end_ms) // 2):
                recorded = self._export_from_recorder(camera_id, span)
                if recorded is not None:
                    return recorded
            elif own and side.ranges(camera_id, own, span.start_ms, span.end_ms):
                return self._export_mixed(camera_id, span, side)
        dialog = ExportDialog(self.config, camera_id, span, self.recordings, self.db_path, self.actor, self,
                              self.officers)
        dialog.clock_offset_s = self.clock_offset(camera_id) if self.clock_offset is not None else None
        dialog.show()
        return dialog

    def find_motion(self) -> MotionSearchDialog:
        """*Tìm chuyển động* on the picture shown; a moment chosen there plays here."""
        dialog = MotionSearchDialog(self.db_path, self.camera_id(), self.camera.currentText(), self._moment(),
                                    self.picture.image, self, recordings=self.recordings)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.play_requested.connect(self.open_camera)
        dialog.found.connect(self.mark_motion)
        dialog.show()
        return dialog

    def mark_motion(self, camera_id: str, moments: list[tuple[int, int]]) -> None:
        """A motion search's moments on the timeline while its camera is shown (another camera's clear them)."""
        self._motion_marks = (camera_id, moments)
        self.timeline.set_motion(moments if camera_id == self.camera_id() else [])

    def _incidents_dock(self) -> IncidentsDock | None:
        """The main window's *Vụ việc* dock (a playback window is the main window's child); None alone."""
        return main_window_part(self, IncidentsDock, "incidentsDock")

    def open_incident(self) -> Incident | None:
        """*Vụ việc mới* on the camera at the moment shown (the dock's own: its refusals are said there)."""
        dock = self._incidents_dock()
        if dock is None:
            return None
        incident = dock.create_from_playback(self.camera_id(), self._moment())
        if incident is not None:
            self.status.setText(self.tr("Incident no. {number} opened in the Incidents panel.").format(
                number=incident.id))
        return incident

    def read_plate(self) -> PlateDialog | None:
        """*Đọc biển số* on the picture shown, paused first (the officer reads a still)."""
        desk = PlateDesk.of(self)
        if desk is None or self.player is None or self.picture.image is None:
            return None
        if not self.player.paused:
            self.toggle_play()
        return desk.open(self, self.picture.image.copy(), PlateSource(self.camera_id(), self._moment()))

    # -- synchronized playback ---------------------------------------------------------------------------
    def add_companion(self, camera_id: str | None = None) -> CompanionView | None:
        """One more camera on this clock (by default the one after the main camera in the list)."""
        if len(self.companions) >= MAX_COMPANIONS:
            self.status.setText(self.tr("At most {count} more cameras play in sync.").format(count=MAX_COMPANIONS))
            return None
        if camera_id is None:
            ids = [c.id for c in self.config.cameras]
            taken = {self.camera_id(), *(c.camera_id() for c in self.companions)}
            start = ids.index(self.camera_id()) if self.camera_id() in ids else 0
            camera_id = next((ids[(start + n) % len(ids)] for n in range(1, len(ids) + 1)
                              if ids[(start + n) % len(ids)] not in taken), ids[0])
        companion = CompanionView(self.config, self.index, self.recordings, self.keyframes, camera_id, self)
        companion.remove_requested.connect(self.remove_companion)
        companion.camera.activated.connect(lambda _i, c=companion: self._follow(c))
        self.companions.append(companion)
        self._place_pictures()
        self._follow(companion)
        return companion

    def remove_companion(self, companion: CompanionView) -> None:
        if companion in self.companions:
            self.companions.remove(companion)
            companion.close_player()
            companion.setParent(None)
            companion.deleteLater()
            self._place_pictures()

    def _place_pictures(self) -> None:
        """One picture alone; two side by side; three or four in a 2×2 grid."""
        views: list[QWidget] = [self.picture, *self.companions]
        columns = 1 if len(views) == 1 else 2
        for number, view in enumerate(views):
            self.pictures.addWidget(view, number // columns, number % columns)
        self.add_sync.setEnabled(len(self.companions) < MAX_COMPANIONS)

    def _rate(self) -> float:
        return float(self.rate.currentData())

    def _follow(self, companion: CompanionView, at_ms: int | None = None) -> None:
        if self.player is None:
            return
        companion.follow(at_ms if at_ms is not None else self._moment(), not self.player.paused, self._rate())

    def _sync(self, at_ms: int | None = None) -> None:
        """Every companion to the main camera's moment, playing or paused like it."""
        for companion in self.companions:
            self._follow(companion, at_ms)

    # -- the tick ---------------------------------------------------------------------------------------
    def _tick(self) -> None:
        if self.from_recorder and self.recorder is not None:
            self._tick_recorder(self.recorder)
            return
        player = self.player
        if player is None:
            return
        player.poll()
        self.picture.show_new(player.picture)
        moment = player.time_ms()
        if moment is not None:
            self.clock.setText(format_vn_ms(moment))
            self.timeline.set_cursor(moment)
            if moment // 1000 != self._when_second and not self.when.hasFocus():  # not while the officer types
                self._when_second = moment // 1000
                self.when.set_ms(moment)
        for companion in self.companions:
            companion.tick(moment, not player.paused, self._rate())
        self._refresh_data()

    def _tick_recorder(self, side: RecorderSide) -> None:
        self.picture.show_new(side.player.picture)
        moment = side.player.time_ms()
        if moment is not None:
            self.clock.setText(format_vn_ms(moment))
            self.timeline.set_cursor(moment)
            if moment // 1000 != self._when_second and not self.when.hasFocus():
                self._when_second = moment // 1000
                self.when.set_ms(moment)
        said = side.failure_to_say(self.camera_id()) or side.refusal_to_say(self.camera_id())
        if said is not None:
            self.status.setText(said)
        offered = self._offered()
        if side.player.scale != self._rate() and side.player.scale in offered:  # a speed the recorder refused
            self._offer_rates(offered, side.player.scale)
        self._refresh_data()

    def _offered(self) -> tuple[float, ...]:
        return tuple(float(self.rate.itemData(n)) for n in range(self.rate.count()))

    def _refresh_data(self, force: bool = False) -> None:
        now = time.monotonic()
        if not force and now - self._data_at < DATA_REFRESH_S:
            return
        self._data_at = now
        camera_id = self.camera_id()
        start, end = self.timeline.start_ms, self.timeline.end_ms
        ranges = merged(self.index.ranges(camera_id, start, end))
        self.timeline.set_data(ranges, self.index.alert_marks(camera_id, start, end))
        if self.recorder is not None:
            self.recorder.ask_view(camera_id, start, end)
            self.timeline.set_recorder_ranges(self.recorder.ranges(camera_id, ranges, start, end))
        if self.bookmarks is not None:
            self.timeline.set_bookmarks(self.bookmarks.marks(camera_id, start, end))
        marked, moments = self._motion_marks
        self.timeline.set_motion(moments if marked == camera_id else [])

    @qt_override
    def showEvent(self, event: QShowEvent) -> None:
        """Where it was left, else centred on the main window's screen."""
        if not self._placed:
            self._placed = True
            saved = self._settings.value("playback/geometry")
            if not (isinstance(saved, QByteArray) and self.restoreGeometry(saved)):
                screen = (self.parentWidget() or self).screen().availableGeometry()
                frame = self.frameGeometry()
                frame.moveCenter(screen.center())
                self.move(frame.topLeft())
        super().showEvent(event)

    @qt_override
    def closeEvent(self, event: QCloseEvent) -> None:
        self.viewed()
        self._settings.setValue("playback/geometry", self.saveGeometry())
        self._settings.sync()
        self._timer.stop()
        for companion in self.companions:
            companion.close_player()
        if self.player is not None:
            self.player.close()
            self.player = None
        if self.recorder is not None:
            self.recorder.close()
        super().closeEvent(event)
