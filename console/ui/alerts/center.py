"""Ties the alert log to the main window: the alarm list dock, the count on the window (and on the wall while
the list is out of sight), blinking tiles and tree items while an alert is new, the alarm bell and its mute,
health alerts from the wall, F9 for a manual incident."""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QImage, QKeySequence
from PySide6.QtWidgets import QDockWidget, QLabel, QMainWindow

from console.audit.actions import AuditAction
from console.core.alerts import Escalation
from console.core.config import RecordingMode, SiteConfig
from console.core.health import Shown
from console.core.health_alerts import HealthAlerts
from console.core.recording import ALERT_LEAD_MS
from console.core.users import User
from console.core.vntime import format_vn_ms, now_ms
from console.media.alarm_bell import AlarmBell
from console.media.analytics import AnalyticsWorker
from console.officers.detection_edits import DetectionEdits
from console.officers.guard import ActionRefusedError, Officers, open_officers
from console.officers.roles import Permission
from console.store.alerts import AlertRow, AlertStore, AlertWriter
from console.store.analytics_settings import AnalyticsSettingsStore
from console.ui.alerts.clip import ClipSource, clip_frames
from console.ui.alerts.detection_dialog import AnalyticsDialog
from console.ui.alerts.dialogs import AlertPictures
from console.ui.alerts.model import ROW_HEIGHT_PX
from console.ui.alerts.panel import AlertPanel, CommitBridge
from console.ui.live.camera_tree import CameraTree
from console.ui.live.wall import LiveWall
from console.ui.shell.i18n import ui_lang
from console.ui.widgets.image_bytes import encoded

BLINK_MS = 500
ALARM_ROWS_SHOWN = 6  # at 1920×1080 the list shows at least this many alerts without scrolling
DOCK_CHROME_PX = 40  # the dock's title bar and the panel's margins
DOCK_SCREEN_SHARE = 0.4  # on a small screen (1366×768) the wall keeps the larger part
BELL_SHIFT_S = 8 * 3600  # "silence for this shift"

REFUSAL_MS = 10_000


@dataclass(frozen=True)
class AlertServices:
    store: AlertStore  # the GUI thread's read connection
    writer: AlertWriter
    bridge: CommitBridge
    snapshots: Path
    users: list[User]
    ring: Callable[[int], None] | None = None  # plays the alarm bell at a volume 0–100
    analytics: AnalyticsWorker | None = None
    analytics_store: AnalyticsSettingsStore | None = None
    bell: AlarmBell | None = None  # tells when it cannot sound
    recordings: Path | None = None  # the recordings folder: the acknowledge dialog's clip
    officers: Officers = field(default_factory=open_officers)  # who may act, where it is recorded


class AlertCenter(QObject):
    blinked = Signal(set)  # cameras to show lit in this blink phase (tiles, tree, map)
    bell_failed = Signal(str)  # from libVLC's threads: the bell cannot sound

    def __init__(self, window: QMainWindow, config: SiteConfig, wall: LiveWall, tree: CameraTree,
                 services: AlertServices, escalation: Escalation | None = None) -> None:
        super().__init__(window)
        self.window = window
        self.wall = wall
        self.services = services
        self.config = config
        self.panel = AlertPanel(config, services.store, services.writer, services.bridge, services.snapshots,
                                services.users, window, officers=services.officers)
        self.dock = QDockWidget(self.tr("Alerts"), window)
        self.dock.setObjectName("alarmDock")
        self.dock.setWidget(self.panel)
        self.dock.setFeatures(QDockWidget.DockWidgetFeature.DockWidgetMovable)
        window.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.dock)
        window.resizeDocks([self.dock], [self.dock_height()], Qt.Orientation.Vertical)
        self.badge = QLabel(window)
        self.badge.setObjectName("alertBadge")
        self.badge.setStyleSheet("QLabel#alertBadge { color: #c92a2a; font-weight: bold; }")
        self.badge.setToolTip(self.tr("Alerts nobody has acknowledged yet; the window title shows the same count."))
        self.bell_label = QLabel(window)
        self.bell_label.setObjectName("bellBadge")
        self.bell_label.setStyleSheet("QLabel#bellBadge { color: #b26a00; font-weight: bold; }")
        self.bell_label.hide()
        self.bell_trouble = QLabel(window)
        self.bell_trouble.setObjectName("bellTrouble")
        self.bell_trouble.setStyleSheet("QLabel#bellTrouble { color: #c92a2a; }")
        self.bell_trouble.hide()
        for label in (self.bell_trouble, self.bell_label, self.badge):
            window.statusBar().addPermanentWidget(label)
        self.health = HealthAlerts({c.id: c.site_id for c in config.cameras}, services.writer.next_id)
        self.escalation = escalation or Escalation()
        self.alerting: set[str] = set()
        self.open_recording: Callable[[str, int], object] | None = None  # playback at a moment, if recorded
        self.muted_until = 0.0
        self.muted_ms: tuple[int, int] | None = None  # the last silence: from, until (wall clock ms)
        self._title_prefix = ""
        self._new_count = 0
        self._waiting_since: float | None = None
        self._last_ring = 0.0
        self._blink_on = False
        self.blinked.connect(wall.light_alerts)
        self.blinked.connect(tree.light_alerts)
        self._blink = QTimer(self)
        self._blink.timeout.connect(self._tick)
        self._blink.start(BLINK_MS)
        self.panel.alerting_changed.connect(self._alerting)
        self.panel.count_changed.connect(self._count)
        self.panel.show_camera.connect(self.show_camera)
        self.panel.snapshot_for = self.tile_jpeg
        self.panel.pictures_for = self.pictures
        self.panel.bell_text = self.bell_text
        self.panel.exported.connect(lambda text: window.statusBar().showMessage(text, 10_000))
        incident = QAction(self.tr("Record incident"), window)
        incident.setShortcut(QKeySequence("F9"))
        incident.triggered.connect(lambda: self.panel.record_incident(self.wall.selected_camera()))
        window.addAction(incident)
        self.incident_action = incident
        self.mute_action = QAction(self.tr("Silence the bell for this shift (8 h)"), window)
        self.mute_action.setObjectName("muteBell")
        self.mute_action.setCheckable(True)
        self.mute_action.toggled.connect(self._mute_toggled)
        self.bell_failed.connect(self._bell_failed)
        if services.bell is not None:
            services.bell.on_failure = self.bell_failed.emit  # queued: libVLC's threads never touch a widget
        self.dock.visibilityChanged.connect(lambda _shown: self._update_overlay())
        self._count(self.panel.store.count_new())

    def dock_height(self) -> int:
        """The alarm dock's first height: `ALARM_ROWS_SHOWN` rows under the filters, above the buttons."""
        panel = self.panel
        table = panel.table
        rows = ALARM_ROWS_SHOWN * ROW_HEIGHT_PX + table.horizontalHeader().sizeHint().height() \
            + 2 * table.frameWidth() + table.horizontalScrollBar().sizeHint().height()
        layout = panel.layout()
        chrome = layout.sizeHint().height() - table.sizeHint().height() if layout is not None else 0
        wanted = rows + max(0, chrome) + DOCK_CHROME_PX
        screen = self.window.screen()
        return min(wanted, int(screen.availableGeometry().height() * DOCK_SCREEN_SHARE)) if screen else wanted

    def pictures(self, row: AlertRow) -> AlertPictures:
        """The acknowledge dialog's pictures: the alert's own, the recording around it, the camera live."""
        saved = self.panel.saved_picture(row)
        camera = row.camera_id
        if camera is None:
            return saved
        recordings = self.services.recordings
        recorded = any(c.id == camera and c.recording is not RecordingMode.OFF for c in self.config.cameras)
        clip = None
        if recordings is not None and recorded:
            source = ClipSource(recordings, self.services.store.file())
            clip = lambda: clip_frames(source, camera, row.started_ms)  # noqa: E731 - run by the dialog's worker
        return AlertPictures(saved.snapshot, lambda: self.wall.picture_of(camera), clip)

    def tile_jpeg(self, camera_id: str) -> bytes | None:
        """The picture a tile shows of this camera, as JPEG (for a manual incident's snapshot)."""
        picture = self.wall.picture_of(camera_id)
        if picture is None:
            return None
        return encoded(picture) or None

    def edit_detection(self, camera_id: str, picture: QImage | None) -> None:
        """The detection settings dialog for one camera; saved to the database and applied at once."""
        worker = self.services.analytics
        if worker is None:
            return
        edits = DetectionEdits(self.services.officers, worker, self.services.analytics_store)
        try:
            edits.check(camera_id)
        except ActionRefusedError as exc:
            self.refused(exc)
            return
        camera = self.config.camera(camera_id)
        dialog = AnalyticsDialog(camera, worker.settings(camera_id), picture, self.window)
        if dialog.exec() != AnalyticsDialog.DialogCode.Accepted:
            return
        try:
            edits.save(camera_id, dialog.settings())  # checked again there: the desk may have changed meanwhile
        except ActionRefusedError as exc:
            self.refused(exc)

    def feed_health(self, shown: Mapping[str, Shown]) -> None:
        for event in self.health.update(now_ms(), shown):
            # The last picture seen (frozen: the frozen one) when a tile shows the camera.
            picture = self.tile_jpeg(event.camera_id) if event.phase == "start" and event.camera_id else None
            self.services.writer.submit(replace(event, snapshot=picture) if picture else event)

    def show_camera(self, camera_id: str, started_ms: int = 0) -> None:
        """An alert opened from the list: its recording when there is playback, else its live tile maximized."""
        if self.open_recording is not None:
            self.open_recording(camera_id, int(started_ms) - ALERT_LEAD_MS)
        else:
            self.wall.show_maximized(camera_id)

    def show_alerts_of(self, camera_id: str) -> None:
        """The alarm list filtered to one camera (from the map's menu)."""
        self.dock.show()
        combo = self.panel.camera
        combo.setCurrentIndex(max(0, combo.findData(camera_id)))

    def _alerting(self, cameras: set[str]) -> None:
        self.alerting = cameras

    def _count(self, count: int) -> None:
        title = self.tr("Alerts") if not count else self.tr("Alerts ({count} new)").format(count=count)
        self.dock.setWindowTitle(title)
        self.badge.setText(self.tr("{count} new alerts").format(count=count) if count else "")
        title = self.window.windowTitle()
        base = title[len(self._title_prefix):] if self._title_prefix and title.startswith(self._title_prefix) \
            else title
        self._title_prefix = self.tr("[{count} new alerts]").format(count=count) + " " if count else ""
        self.window.setWindowTitle(self._title_prefix + base)
        if count and self._waiting_since is None:
            self._waiting_since = time.monotonic()
        elif not count:
            self._waiting_since = None
        self._new_count = count
        self._update_overlay()

    def _update_overlay(self) -> None:
        """While the alarm list is out of sight (full screen hides every dock) the wall says what is new."""
        count = self._new_count
        if not count or self.dock.isVisible():
            self.wall.alert_overlay.show_text("")
            return
        newest = self.panel.store.newest_new()
        where = self.panel.model.camera_label(newest) if newest is not None and newest.camera_id else \
            self.panel.model.site_label(newest) if newest is not None and newest.site_id else ""
        text = self.tr("{count} new alerts — newest: {camera}").format(count=count, camera=where) if where \
            else self.tr("{count} new alerts").format(count=count)
        self.wall.alert_overlay.show_text(text)

    def _mute_toggled(self, on: bool) -> None:
        try:
            self.mute_for(BELL_SHIFT_S if on else 0)
        except ActionRefusedError as exc:
            blocked = self.mute_action.blockSignals(True)
            self.mute_action.setChecked(False)
            self.mute_action.blockSignals(blocked)
            self.refused(exc)

    def refused(self, exc: ActionRefusedError) -> None:
        """A refused action said where the officer looks (the guard has audited it)."""
        self.window.statusBar().showMessage(exc.message(ui_lang()), REFUSAL_MS)

    def mute_for(self, seconds: float) -> None:
        """Silence the bell (a shift's worth at most); blinking and the count go on. 0: the bell on again.
        Refused (ActionRefusedError) to a role that may not; each silencing is one audit row."""
        if seconds > 0:
            self.services.officers.require(Permission.MUTE_BELL)
            self.services.officers.record(AuditAction.BELL_MUTED, details={"seconds": seconds})
        self.muted_until = time.monotonic() + seconds
        if seconds > 0:
            start = now_ms()
            self.muted_ms = (start, start + int(seconds * 1000))
        elif self.muted_ms is not None and self.muted_ms[1] > now_ms():
            self.muted_ms = (self.muted_ms[0], now_ms())
        self._show_mute()

    def muted(self) -> bool:
        return time.monotonic() < self.muted_until

    def _show_mute(self) -> None:
        muted = self.muted()
        if self.mute_action.isChecked() != muted:
            self.mute_action.blockSignals(True)
            self.mute_action.setChecked(muted)
            self.mute_action.blockSignals(False)
        if muted and self.muted_ms is not None:
            self.bell_label.setText(self.tr("Bell silenced until {time}").format(time=format_vn_ms(self.muted_ms[1])))
        self.bell_label.setVisible(muted)

    def bell_text(self) -> str:
        """The bell's state for the handover report, as a sentence."""
        if self.muted() and self.muted_ms is not None:
            return self.tr("The alarm bell was silenced at {start} until {end}.").format(
                start=format_vn_ms(self.muted_ms[0]), end=format_vn_ms(self.muted_ms[1]))
        if self.muted_ms is not None:
            return self.tr("The alarm bell is on; it was silenced from {start} to {end}.").format(
                start=format_vn_ms(self.muted_ms[0]), end=format_vn_ms(self.muted_ms[1]))
        return self.tr("The alarm bell is on.")

    def _bell_failed(self, reason: str) -> None:
        """Said once (the bell reports its failure once): the reason itself is in the log, in English."""
        del reason
        self.bell_trouble.setText(self.tr("The alarm bell cannot sound on this computer; alerts still blink and "
                                          "are counted. The details are in the log."))
        self.bell_trouble.show()

    def _tick(self) -> None:
        self._blink_on = not self._blink_on
        lit = self.alerting if self._blink_on else set()
        self.blinked.emit(lit)
        now = time.monotonic()
        if not self.bell_label.isHidden() and not self.muted():
            self._show_mute()  # the silence ran out
        if self._waiting_since is None or self.services.ring is None or now < self.muted_until:
            return
        interval, volume = self.escalation.at(now - self._waiting_since)
        if now - self._last_ring >= interval:
            self._last_ring = now
            self.services.ring(volume)
