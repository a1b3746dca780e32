"""The cameras' ONVIF news (clock readings, event channel health, PTZ found) from the network loop's thread to
the GUI thread as queued Qt signals, and what the camera tree's tooltip says about them. No widget."""

from __future__ import annotations

import concurrent.futures
import tempfile
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QObject, Qt, Signal
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QWidget

from console.audit.actions import AuditAction
from console.core.camera_events import ChannelState
from console.core.vntime import clock_offset_text_en, clock_offset_text_vi
from console.officers.guard import ActionRefusedError, Officers
from console.officers.roles import Permission
from console.onvif.camera_services import CameraServices
from console.onvif.clock_watch import ClockReading
from console.onvif.errors import OnvifError
from console.onvif.events import ChannelHealth
from console.onvif.ptz import PtzController
from console.ui.live.camera_tree import CameraTree
from console.ui.live.ptz_joystick import PtzJoystick
from console.ui.live.ptz_presets import PRESETS_FOLDER, PresetsPanel
from console.ui.live.tile import VideoTile
from console.ui.shell.i18n import ui_lang

SAY_MS = 10_000


def clock_text(reading: ClockReading) -> str:
    """"Lệch giờ +3 phút 12 giây", or why the clock could not be read."""
    if reading.offset_s is None:
        reason = reading.error_vi if ui_lang() == "vi" and reading.error_vi else (reading.error_kind or "-")
        return QCoreApplication.translate("Onvif", "Camera clock not read: {reason}").format(reason=reason)
    return clock_offset_text_vi(reading.offset_s) if ui_lang() == "vi" else clock_offset_text_en(reading.offset_s)


def channel_text(health: ChannelHealth) -> str:
    words = {
        ChannelState.STARTING: QCoreApplication.translate("Onvif", "Camera events: subscribing"),
        ChannelState.LIVE: QCoreApplication.translate("Onvif", "Camera events: receiving"),
        ChannelState.STALE: QCoreApplication.translate("Onvif", "Camera events: slow, retrying"),
        ChannelState.LOST: QCoreApplication.translate("Onvif", "Camera events: lost"),
        ChannelState.HALTED: QCoreApplication.translate("Onvif", "Camera events: login refused, retries stopped"),
        ChannelState.CLOSED: QCoreApplication.translate("Onvif", "Camera events: off"),
    }[health.state]
    if health.state is ChannelState.LIVE or not health.error_kind:
        return words
    detail = health.error_vi if ui_lang() == "vi" and health.error_vi else (health.error_en or health.error_kind)
    return f"{words} — {detail}"


class OnvifBridge(QObject):
    """A `CameraServicesListener` whose calls arrive on the GUI thread as signals."""

    clock_changed = Signal(str, object)  # camera id, ClockReading
    events_changed = Signal(str, object)  # camera id, ChannelHealth
    ptz_changed = Signal(str, object, object)  # camera id, PtzController or None, why not (Vietnamese) or None

    def clock_read(self, reading: ClockReading) -> None:
        self.clock_changed.emit(reading.camera_id, reading)

    def events_health(self, health: ChannelHealth) -> None:
        self.events_changed.emit(health.camera_id, health)

    def ptz_ready(self, camera_id: str, controller: PtzController | None, reason_vi: str | None) -> None:
        self.ptz_changed.emit(camera_id, controller, reason_vi)


class OnvifView(QObject):
    """The cameras' ONVIF side in the window: tree tooltip lines for clock and events, and the tile menu's
    *Đồng bộ giờ* (run on the network loop; its outcome in the status bar)."""

    synced = Signal(str, str)  # camera id, what to say

    def __init__(self, services: CameraServices, tree: CameraTree, say: Callable[[str, int], None],
                 parent: QObject | None = None, officers: Officers | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.officers = officers
        self.presets_folder: Path | None = None  # the preset thumbnails (the data folder's), None: not kept
        self.picture_of: Callable[[str], QImage | None] = lambda _camera: None  # the wall's picture of a camera
        self.presets: PresetsPanel | None = None  # the last presets panel opened
        self.bridge = OnvifBridge(self)
        self.bridge.clock_changed.connect(lambda camera, r: tree.set_camera_line(camera, "clock", clock_text(r)))
        self.bridge.events_changed.connect(lambda camera, h: tree.set_camera_line(camera, "events", channel_text(h)))
        self.synced.connect(lambda _camera, text: say(text, SAY_MS))
        self.joystick = PtzJoystick(services, self, officers)
        self.bridge.ptz_changed.connect(lambda camera, controller, _why: self.joystick.set_available(camera,
                                                                                                      controller))
        self.joystick.failed.connect(lambda camera, why: say(QCoreApplication.translate(
            "Onvif", "Camera {camera}: PTZ command failed: {reason}").format(camera=camera, reason=why), SAY_MS))
        services.add_listener(self.bridge)

    def actions(self, camera_id: str, tile: VideoTile | None = None) -> list[tuple[str, object]]:
        if camera_id not in self.services.cameras:
            return []
        actions: list[tuple[str, object]] = []
        if tile is not None and self.joystick.available(camera_id):
            text = QCoreApplication.translate("Onvif", "End PTZ control") if tile.ptz_mode else \
                QCoreApplication.translate("Onvif", "PTZ control")
            actions.append((text, lambda: tile.set_ptz_mode(not tile.ptz_mode)))
            actions.append((QCoreApplication.translate("Onvif", "Presets…"), lambda: self.open_presets(camera_id)))
        actions.append((QCoreApplication.translate("Onvif", "Sync the camera's clock"),
                        lambda: self.sync_clock(camera_id)))
        return actions

    def clock_offset_s(self, camera_id: str) -> float | None:
        """The camera clock's offset last read (seconds ahead of the station), None when unknown."""
        reading = self.services.clock(camera_id)
        return reading.offset_s if reading is not None else None

    def turn_to(self, camera_id: str, target_deg: float, camera_bearing_deg: float) -> None:
        """*Quay camera về đây*: the PTZ camera pans toward a compass bearing (a PTZ gesture: checked, audited)."""
        controller = self.services.ptz(camera_id)
        if controller is None or not self.joystick.allowed(camera_id):
            return
        self.joystick.run(camera_id, controller.turn_to_bearing(target_deg, camera_bearing_deg))

    def open_presets(self, camera_id: str, parent: QWidget | None = None) -> PresetsPanel:
        folder = self.presets_folder or Path(tempfile.gettempdir()) / PRESETS_FOLDER
        panel = PresetsPanel(self.services, camera_id, camera_id, folder, lambda: self.picture_of(camera_id),
                             self.officers, parent)
        panel.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.presets = panel
        panel.show()
        return panel

    def sync_clock(self, camera_id: str) -> None:
        """*Đồng bộ giờ camera* (admins: it changes the camera); the refusal is said like the outcome."""
        if self.officers is not None:
            try:
                self.officers.require(Permission.EDIT_SITE, camera=camera_id, target="clock")
            except ActionRefusedError as exc:
                self.synced.emit(camera_id, exc.message(ui_lang()))
                return
        before = self.services.clock(camera_id)
        future = self.services.sync_clock(camera_id)
        officers = self.officers

        def done(result: concurrent.futures.Future[ClockReading]) -> None:  # on the network loop
            error = result.exception()
            if error is None and officers is not None:  # it changed the camera: a settings change of the trail
                officers.record(AuditAction.SETTINGS_CHANGED, camera=camera_id, target="clock", details={
                    "before": {"offset_s": before.offset_s if before is not None else None},
                    "after": {"offset_s": result.result().offset_s}})
            if error is None:
                text = QCoreApplication.translate("Onvif", "Camera {camera}: clock set ({offset})").format(
                    camera=camera_id, offset=clock_text(result.result()))
            else:
                reason = error.message_vi if isinstance(error, OnvifError) and ui_lang() == "vi" else \
                    (error.message_en if isinstance(error, OnvifError) else type(error).__name__)
                text = QCoreApplication.translate("Onvif", "Camera {camera}: the clock could not be set: {reason}") \
                    .format(camera=camera_id, reason=reason)
            self.synced.emit(camera_id, text)

        future.add_done_callback(done)
