"""A tile's PTZ hand: which of the tile's mouse, wheel and key events steer its camera, and the PTZ badge.

The tile stays a picture; this decides (and only this): in PTZ control (the tile menu's *Điều khiển PTZ*, or
Ctrl held) a press-and-hold drag is a joystick, a click brings that point to the centre, the wheel zooms the
camera's lens (not the picture), arrow keys and +/- nudge. Whatever ends the tile's use ends the move: release,
focus loss, another camera, hiding.
"""

from __future__ import annotations

from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtGui import QColor, QKeyEvent, QMouseEvent, QPainter, QWheelEvent
from PySide6.QtWidgets import QWidget

from console.onvif.ptz import PtzVector
from console.ui.live.ptz_joystick import NUDGE_SPEED, PtzJoystick, joystick_vector

BADGE_COLOR = "#ffd43b"
_KEYS = {
    Qt.Key.Key_Left: PtzVector(pan=-NUDGE_SPEED), Qt.Key.Key_Right: PtzVector(pan=NUDGE_SPEED),
    Qt.Key.Key_Up: PtzVector(tilt=NUDGE_SPEED), Qt.Key.Key_Down: PtzVector(tilt=-NUDGE_SPEED),
    Qt.Key.Key_Plus: PtzVector(zoom=NUDGE_SPEED), Qt.Key.Key_Equal: PtzVector(zoom=NUDGE_SPEED),
    Qt.Key.Key_Minus: PtzVector(zoom=-NUDGE_SPEED),
}


class TilePtz:
    def __init__(self, tile: QWidget) -> None:
        self._tile = tile
        self.joystick: PtzJoystick | None = None
        self.mode = False  # PTZ control switched on from the menu
        self.camera_id: str | None = None
        self._press: QPoint | None = None
        self._moved = False  # the press turned into a joystick drag (else its release is a click-to-centre)

    @property
    def offered(self) -> bool:
        return self.joystick is not None and self.joystick.available(self.camera_id)

    def active(self, modifiers: Qt.KeyboardModifier) -> bool:
        return self.offered and (self.mode or bool(modifiers & Qt.KeyboardModifier.ControlModifier))

    def set_camera(self, camera_id: str | None) -> None:
        if camera_id != self.camera_id:
            self.end()
            self.mode = False
        self.camera_id = camera_id

    def set_mode(self, on: bool) -> None:
        self.mode = on and self.offered
        if not self.mode:
            self.end()
        self._tile.setFocusPolicy(Qt.FocusPolicy.ClickFocus if self.mode else Qt.FocusPolicy.NoFocus)
        self._tile.update()

    # -- events: True when PTZ took it -----------------------------------------------------------------
    def press(self, event: QMouseEvent) -> bool:
        if event.button() != Qt.MouseButton.LeftButton or not self.active(event.modifiers()):
            return False
        self._press = event.position().toPoint()
        self._moved = False
        return True

    def move(self, event: QMouseEvent, video: QRect) -> bool:
        if self._press is None or self.joystick is None or self.camera_id is None:
            return False
        delta = event.position().toPoint() - self._press
        vector = joystick_vector(delta.x(), delta.y(), video.width() / 2, video.height() / 2)
        if vector.is_zero and not self._moved:
            return True  # inside the dead zone: still a click
        self._moved = True
        self.joystick.press(self.camera_id, vector)
        return True

    def release(self, event: QMouseEvent, video: QRect) -> bool:
        if self._press is None:
            return False
        self._press = None
        if self.joystick is None or self.camera_id is None:
            return True
        if self._moved:
            if self.joystick.holding == self.camera_id:
                self.joystick.release()
        elif video.contains(event.position().toPoint()):
            point = event.position()
            self.joystick.centre(self.camera_id, (point.x() - video.x()) / max(1, video.width()),
                                 (point.y() - video.y()) / max(1, video.height()))
        return True

    def wheel(self, event: QWheelEvent) -> bool:
        if not self.active(event.modifiers()) or self.joystick is None or self.camera_id is None:
            return False
        self.joystick.zoom_steps(self.camera_id, event.angleDelta().y() / 120)
        return True

    def key(self, event: QKeyEvent) -> bool:
        vector = _KEYS.get(Qt.Key(event.key()))
        if vector is None or not self.mode or self.joystick is None or self.camera_id is None:
            return False
        self.joystick.nudge(self.camera_id, vector)
        return True

    def end(self) -> None:
        """The tile's use of the camera ends: so does any move it started."""
        self._press = None
        if self.joystick is not None and self.camera_id is not None and self.joystick.holding == self.camera_id:
            self.joystick.stop_all()

    # -- badge ------------------------------------------------------------------------------------------
    def paint(self, painter: QPainter, video: QRect) -> None:
        if not self.offered:
            return
        text = "PTZ"
        metrics = painter.fontMetrics()
        box = QRect(0, 0, metrics.horizontalAdvance(text) + 10, metrics.height() + 4)
        box.moveBottomRight(video.bottomRight() - QPoint(6, 6))
        painter.setPen(QColor(BADGE_COLOR))
        if self.mode:
            painter.fillRect(box, QColor(BADGE_COLOR))
            painter.setPen(QColor("#101010"))
            centre = video.center()
            painter.drawLine(centre - QPoint(12, 0), centre + QPoint(12, 0))
            painter.drawLine(centre - QPoint(0, 12), centre + QPoint(0, 12))
        else:
            painter.drawRect(box)
        painter.drawText(box, Qt.AlignmentFlag.AlignCenter, text)
