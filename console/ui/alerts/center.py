"""Ties the alert log to the main window: the alarm list dock, the count on the window, blinking tiles and
tree items while an alert is new, the alarm bell, health alerts from the wall, F9 for a manual incident."""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QImage, QKeySequence
from PySide6.QtWidgets import QDockWidget, QLabel, QMainWindow

from console.core.alerts import Escalation
from console.core.config import SiteConfig
from console.core.health import Shown
from console.core.health_alerts import HealthAlerts
from console.core.recording import ALERT_LEAD_MS
from console.core.users import User
from console.core.vntime import now_ms
from console.media.analytics import AnalyticsWorker
from console.store.alerts import AlertStore, AlertWriter
from console.store.analytics_settings import AnalyticsSettingsStore
from console.ui.alerts.detection_dialog import AnalyticsDialog
from console.ui.alerts.panel import AlertPanel, CommitBridge
from console.ui.live.camera_tree import CameraTree
from console.ui.live.wall import LiveWall
from console.ui.widgets.image_bytes import encoded

BLINK_MS = 500
ALARM_DOCK_HEIGHT_PX = 240


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


class AlertCenter(QObject):
    blinked = Signal(set)  # cameras to show lit in this blink phase (tiles, tree, map)

    def __init__(self, window: QMainWindow, config: SiteConfig, wall: LiveWall, tree: CameraTree,
                 services: AlertServices, escalation: Escalation | None = None) -> None:
        super().__init__(window)
        self.window = window
        self.wall = wall
        self.services = services
        self.config = config
        self.panel = AlertPanel(config, services.store, services.writer, services.bridge, services.snapshots,
                                services.users, window)
        self.dock = QDockWidget(self.tr("Alerts"), window)
        self.dock.setObjectName("alarmDock")
        self.dock.setWidget(self.panel)
        self.dock.setFeatures(QDockWidget.DockWidgetFeature.DockWidgetMovable)
        window.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.dock)
        window.resizeDocks([self.dock], [ALARM_DOCK_HEIGHT_PX], Qt.Orientation.Vertical)
        self.badge = QLabel(window)
        self.badge.setObjectName("alertBadge")
        self.badge.setStyleSheet("QLabel#alertBadge { color: #c92a2a; font-weight: bold; }")
        window.statusBar().addPermanentWidget(self.badge)
        self.health = HealthAlerts({c.id: c.site_id for c in config.cameras}, services.writer.next_id)
        self.escalation = escalation or Escalation()
        self.alerting: set[str] = set()
        self.open_recording: Callable[[str, int], object] | None = None  # playback at a moment, if recorded
        self.muted_until = 0.0
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
        self.panel.exported.connect(lambda text: window.statusBar().showMessage(text, 10_000))
        incident = QAction(self.tr("Record incident"), window)
        incident.setShortcut(QKeySequence("F9"))
        incident.triggered.connect(lambda: self.panel.record_incident(self.wall.selected_camera()))
        window.addAction(incident)
        self.incident_action = incident
        self._count(self.panel.store.count_new())

    def tile_jpeg(self, camera_id: str) -> bytes | None:
        """The picture a tile shows of this camera, as JPEG (for a manual incident's snapshot)."""
        picture = self.wall.picture_of(camera_id)
        if picture is None:
            return None
        return encoded(picture) or None

    def edit_detection(self, camera_id: str, picture: QImage | None) -> None:
        """The detection settings dialog for one camera; saved to the database and applied at once."""
        worker, store = self.services.analytics, self.services.analytics_store
        if worker is None:
            return
        camera = self.config.camera(camera_id)
        dialog = AnalyticsDialog(camera, worker.settings(camera_id), picture, self.window)
        if dialog.exec() != AnalyticsDialog.DialogCode.Accepted:
            return
        chosen = dialog.settings()
        if store is not None:
            store.save(camera_id, chosen)
        worker.update_settings(camera_id, chosen)

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
        base = self.window.windowTitle().split("] ", 1)[-1]
        self.window.setWindowTitle(f"[{count}] {base}" if count else base)
        if count and self._waiting_since is None:
            self._waiting_since = time.monotonic()
        elif not count:
            self._waiting_since = None

    def mute_for(self, seconds: float) -> None:
        """Silence the bell (a shift's worth at most); blinking and the count go on."""
        self.muted_until = time.monotonic() + seconds

    def _tick(self) -> None:
        self._blink_on = not self._blink_on
        lit = self.alerting if self._blink_on else set()
        self.blinked.emit(lit)
        now = time.monotonic()
        if self._waiting_since is None or self.services.ring is None or now < self.muted_until:
            return
        interval, volume = self.escalation.at(now - self._waiting_since)
        if now - self._last_ring >= interval:
            self._last_ring = now
            self.services.ring(volume)
