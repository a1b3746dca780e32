"""PTZ from the tile (no widget): a press-and-hold drag on a PTZ camera's tile is a joystick, the wheel zooms,
arrow keys and +/- nudge. Every gesture goes to the camera's `PtzController` on the network loop.

A move always ends: release, focus loss, a tile given another camera or closed, and exit all stop it (the
controller sends Stop, or `ContinuousMove(0,0,0)` when the camera refuses Stop); while held, a timer renews the
controller's lease and the controller repeats the move with a 1 s Timeout, so a console that dies leaves the
camera turning for one second at most.
"""

from __future__ import annotations

import concurrent.futures
import logging
import math
from collections.abc import Callable, Coroutine
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal

from console.officers.guard import ActionRefusedError, Officers
from console.officers.roles import Permission
from console.onvif.camera_services import CameraServices
from console.onvif.ptz import PtzController, PtzVector
from console.ui.shell.i18n import ui_lang

log = logging.getLogger(__name__)

KEEP_EVERY_MS = 300  # under the controller's 2 s lease, several times: a busy GUI thread never lapses it
DEAD_ZONE = 0.08  # a drag this short (share of the tile's half size) is no move: the hand shakes
NUDGE_MS = 300  # an arrow key or a wheel step moves for this long
NUDGE_SPEED = 0.5
WHEEL_ZOOM_SPEED = 0.6


def joystick_vector(dx: float, dy: float, half_width: float, half_height: float) -> PtzVector:
    """The drag from the press point as a speed: direction and length (a full half-tile is full speed); screen y
    grows downwards, tilt up is positive."""
    x = dx / max(1.0, half_width)
    y = -dy / max(1.0, half_height)
    length = math.hypot(x, y)
    if length < DEAD_ZONE:
        return PtzVector()
    scale = min(1.0, length) / length
    return PtzVector(x * scale, y * scale).clamped()


class PtzJoystick(QObject):
    """The wall's one PTZ hand: at most one camera moves from this console at a time."""

    available_changed = Signal(str, bool)  # camera id, PTZ offered
    failed = Signal(str, str)  # camera id, why (Vietnamese when known)

    def __init__(self, services: CameraServices, parent: QObject | None = None,
                 officers: Officers | None = None) -> None:
        super().__init__(parent)
        self.officers = officers
        self._services = services
        self._available: set[str] = set()
        self._camera: str | None = None  # the camera held now
        self._keep = QTimer(self)
        self._keep.setInterval(KEEP_EVERY_MS)
        self._keep.timeout.connect(self._renew)
        self._nudge_end = QTimer(self)
        self._nudge_end.setSingleShot(True)
        self._nudge_end.timeout.connect(self.release)
        self.commands = 0

    # -- which cameras -------------------------------------------------------------------------------------
    def set_available(self, camera_id: str, controller: object | None) -> None:
        offered = controller is not None
        if offered != (camera_id in self._available):
            (self._available.add if offered else self._available.discard)(camera_id)
            self.available_changed.emit(camera_id, offered)

    def available(self, camera_id: str | None) -> bool:
        return camera_id is not None and camera_id in self._available

    @property
    def holding(self) -> str | None:
        return self._camera

    # -- gestures ------------------------------------------------------------------------------------------
    def press(self, camera_id: str, vector: PtzVector) -> None:
        """Start (or steer) the held move of `camera_id`; another camera's move is stopped first."""
        controller = self._controller(camera_id)
        if controller is None or (self._camera != camera_id and not self.allowed(camera_id)):
            return
        if self._camera is not None and self._camera != camera_id:
            self.release()
        self._camera = camera_id
        self._keep.start()
        self.run(camera_id, controller.steer(vector))

    def release(self) -> None:
        """The hand let go: the move ends and the camera is told to stop."""
        self._end(PtzController.release)

    def stop_all(self) -> None:
        """Focus lost, tile closed or given another camera, exit: end whatever this console moves."""
        self._end(PtzController.stop_all)

    def _end(self, how: Callable[[PtzController], Coroutine[Any, Any, Any]]) -> None:
        camera_id, self._camera = self._camera, None
        self._keep.stop()
        self._nudge_end.stop()
        controller = self._controller(camera_id) if camera_id is not None else None
        if camera_id is not None and controller is not None:
            self.run(camera_id, how(controller))

    def nudge(self, camera_id: str, vector: PtzVector, duration_ms: int = NUDGE_MS) -> None:
        """An arrow key, +/- or a wheel step: a short held move."""
        self.press(camera_id, vector)
        self._nudge_end.start(duration_ms)

    def centre(self, camera_id: str, x: float, y: float) -> None:
        """Click-to-centre: picture point (x, y) (0..1 from the top left) turned to the middle of the picture —
        RelativeMove in the camera's FOV space, else a computed AbsoluteMove, else the reason why not."""
        controller = self._controller(camera_id)
        if controller is None or not self.allowed(camera_id):
            return
        support = controller.centre_support()
        if support.error is not None:
            self.failed.emit(camera_id, support.reason_vi)
            return
        self.run(camera_id, controller.centre_on(x, y))

    def zoom_steps(self, camera_id: str, steps: float) -> None:
        if steps:
            self.nudge(camera_id, PtzVector(zoom=WHEEL_ZOOM_SPEED if steps > 0 else -WHEEL_ZOOM_SPEED),
                       int(NUDGE_MS * min(3.0, abs(steps))))

    # -- plumbing ------------------------------------------------------------------------------------------
    def allowed(self, camera_id: str) -> bool:
        """A gesture starts only for a role that may turn cameras (the refusal is audited and said)."""
        if self.officers is None:
            return True
        try:
            self.officers.require(Permission.PTZ, camera=camera_id)
        except ActionRefusedError as exc:
            self.failed.emit(camera_id, exc.message(ui_lang()))
            return False
        return True

    def _controller(self, camera_id: str) -> PtzController | None:
        return self._services.ptz(camera_id) if camera_id in self._available else None

    def _renew(self) -> None:
        controller = self._controller(self._camera) if self._camera is not None else None
        if controller is not None:
            self._services.call_soon(controller.keep)

    def run(self, camera_id: str, command: Coroutine[Any, Any, Any]) -> None:
        self.commands += 1
        future = self._services.run(command)

        def done(result: concurrent.futures.Future[Any]) -> None:  # on the network loop
            error = result.exception()
            if error is not None:
                log.warning("%s: PTZ command failed: %s", camera_id, type(error).__name__)
                self.failed.emit(camera_id, str(getattr(error, "message_vi", "")) or type(error).__name__)

        future.add_done_callback(done)
