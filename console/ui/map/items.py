"""What the map draws over its base: sites with their Vietnamese names, cameras coloured by state with their
field-of-view wedges. Markers keep their size on screen at every zoom; wedges are in metres and scale."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QDrag, QFont, QFontMetrics, QPainter, QPainterPath, QPen, QPolygonF
from PySide6.QtWidgets import (
    QApplication,
    QGraphicsItem,
    QGraphicsPathItem,
    QGraphicsSceneContextMenuEvent,
    QGraphicsSceneHoverEvent,
    QGraphicsSceneMouseEvent,
    QStyleOptionGraphicsItem,
    QWidget,
)

from console.core.config import Camera, Site
from console.core.geo import GeoPoint, wedge
from console.core.health import Shown
from console.ui.map.layers import scene_point
from console.ui.widgets.drag_drop import camera_mime
from console.ui.widgets.overrides import qt_override

if TYPE_CHECKING:
    from console.ui.map.view import MapView

CAMERA_RADIUS_PX = 9
FAN_RADIUS_PX = 16
ALERT_RING_PX = 5  # the unacknowledged-alert ring, this far outside the icon
ALERT_COLOR = "#e03131"
LOST_CROSS = "#e03131"
# On the map red means one thing only, an alert nobody has acknowledged: a lost camera is grey with a red
# cross (the tiles' red for "lost" would read as an alert here).
MAP_COLORS = {
    Shown.OFF: "#adb5bd",
    Shown.CONNECTING: "#f0b400",
    Shown.LIVE: "#2fb344",
    Shown.STALLED: "#f08c00",
    Shown.LOST: "#868e96",
}


def state_color(shown: Shown, alert: bool) -> QColor:
    """A wedge's colour: red under an unacknowledged alert, else the camera's state."""
    return QColor(ALERT_COLOR if alert else MAP_COLORS[shown])


def paint_marker(painter: QPainter, centre: QPointF, shown: Shown, alert: bool, lit: bool, text: str = "") -> None:
    """A camera icon as the map and its legend draw it: filled by state, a red cross when lost, a red ring
    while an alert is unacknowledged (thick in the blink's lit phase, thin in the other: it pulses)."""
    r = CAMERA_RADIUS_PX
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    if alert:
        painter.setPen(QPen(QColor(ALERT_COLOR), 4 if lit else 2))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawEllipse(centre, r + ALERT_RING_PX, r + ALERT_RING_PX)
    painter.setPen(QPen(QColor("#ffffff"), 1.5))
    painter.setBrush(QColor(MAP_COLORS[shown]))
    painter.drawEllipse(centre, r, r)
    if text:
        font = QFont("Noto Sans", 7)
        font.setBold(True)
        painter.setFont(font)
        painter.setPen(QColor("#ffffff"))
        painter.drawText(QRectF(centre.x() - r, centre.y() - r, 2 * r, 2 * r), Qt.AlignmentFlag.AlignCenter, text)
    if shown is Shown.LOST:
        arm = r * 0.75
        painter.setPen(QPen(QColor(LOST_CROSS), 2.5, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap))
        painter.drawLine(QPointF(centre.x() - arm, centre.y() - arm), QPointF(centre.x() + arm, centre.y() + arm))
        painter.drawLine(QPointF(centre.x() - arm, centre.y() + arm), QPointF(centre.x() + arm, centre.y() - arm))


class SiteItem(QGraphicsItem):
    """The site's Vietnamese name in a white box, placed above its cameras, or below, right or left of them
    when that is where it overlaps nothing (the map's declutter chooses)."""

    def __init__(self, site: Site) -> None:
        super().__init__()
        self.site = site
        self.setPos(*scene_point(site.position))
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIgnoresTransformations)
        self.setZValue(2)
        self._font = QFont("Noto Sans", 9)
        self._font.setBold(True)
        self._width = QFontMetrics(self._font).horizontalAdvance(site.name) + 10
        self.placement = 0

    def placements(self) -> list[QRectF]:
        w, h, gap = self._width, 20.0, FAN_RADIUS_PX + CAMERA_RADIUS_PX + 9
        return [QRectF(-w / 2, -gap - h, w, h), QRectF(-w / 2, gap, w, h), QRectF(gap, -h / 2, w, h),
                QRectF(-gap - w, -h / 2, w, h)]

    def place(self, index: int) -> None:
        if index != self.placement:
            self.prepareGeometryChange()
            self.placement = index

    def boundingRect(self) -> QRectF:
        return self.placements()[self.placement]

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None) -> None:
        rect = self.boundingRect()
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(255, 255, 255, 225))
        painter.drawRoundedRect(rect, 4, 4)
        painter.setFont(self._font)
        painter.setPen(QColor("#1b2430"))
        painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, self.site.name)


class WedgeItem(QGraphicsPathItem):
    """The camera's field of view in scene units: bearing, angle and range from the config."""

    def __init__(self, camera: Camera) -> None:
        super().__init__()
        self.camera = camera
        self.setZValue(1)
        self.update_shape(camera.bearing_deg, camera.fov_deg, camera.range_m)

    def update_shape(self, bearing: float, fov: float, range_m: float, apex: GeoPoint | None = None) -> None:
        apex = apex or self.camera.position
        points = wedge(apex, bearing, fov, range_m)
        path = QPainterPath()
        path.addPolygon(QPolygonF([QPointF(*scene_point(p)) for p in points]))
        path.closeSubpath()
        self.setPath(path)

    def set_state(self, shown: Shown, alert: bool) -> None:
        color = state_color(shown, alert)
        fill = QColor(color)
        fill.setAlpha(70)
        self.setBrush(QBrush(fill))
        edge = QColor(color)
        edge.setAlpha(180)
        pen = QPen(edge, 1.5)
        pen.setCosmetic(True)
        self.setPen(pen)


class CameraItem(QGraphicsItem):
    """A camera icon: click shows it in the selected tile, drag it onto a tile, right-click for its menu."""

    def __init__(self, camera: Camera, fan_index: int, fan_count: int, view: MapView) -> None:
        super().__init__()
        self.camera = camera
        self.view = view
        self.setPos(*scene_point(camera.position))
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIgnoresTransformations)
        self.setAcceptHoverEvents(True)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setZValue(3)
        angle = 2 * math.pi * fan_index / fan_count - math.pi / 2
        # Cameras of one site share its position: fanned out on screen so each stays clickable at any zoom.
        self.offset = QPointF(FAN_RADIUS_PX * math.cos(angle), FAN_RADIUS_PX * math.sin(angle)) \
            if fan_count > 1 else QPointF(0, 0)
        self.shown = Shown.OFF
        self.alert = False
        self.lit = False
        self.highlight = False
        self._press: QPointF | None = None

    def boundingRect(self) -> QRectF:
        r = CAMERA_RADIUS_PX + ALERT_RING_PX + 2
        return QRectF(self.offset.x() - r, self.offset.y() - r, 2 * r, 2 * r)

    def shape(self) -> QPainterPath:
        path = QPainterPath()
        r = CAMERA_RADIUS_PX + 2
        path.addEllipse(self.offset, r, r)
        return path

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None) -> None:
        if self.highlight:
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            painter.setPen(QPen(QColor("#1c7ed6"), 3))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawEllipse(self.offset, CAMERA_RADIUS_PX + 3, CAMERA_RADIUS_PX + 3)
        paint_marker(painter, self.offset, self.shown, self.alert or self.lit, self.lit, self.camera.id.lstrip("C")[:3])

    def set_state(self, shown: Shown, alert: bool) -> None:
        if (shown, alert) != (self.shown, self.alert):
            self.shown, self.alert = shown, alert
            self.update()

    def set_lit(self, lit: bool) -> None:
        if lit != self.lit:
            self.lit = lit
            self.update()

    def set_highlight(self, on: bool) -> None:
        if on != self.highlight:
            self.highlight = on
            self.update()

    @qt_override
    def hoverEnterEvent(self, event: QGraphicsSceneHoverEvent) -> None:
        self.setToolTip(self.view.tooltip(self.camera.id))
        super().hoverEnterEvent(event)

    @qt_override
    def mousePressEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self._press = event.screenPos().toPointF()
            event.accept()
        else:
            super().mousePressEvent(event)

    @qt_override
    def mouseMoveEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        if self._press is None:
            return
        if self.view.editing:  # admin mode: the camera moves with the mouse
            self.view.move_camera(self.camera.id, event.scenePos() - self.view.icon_offset(self), done=False)
            return
        if (event.screenPos().toPointF() - self._press).manhattanLength() >= QApplication.startDragDistance():
            self._press = None
            self.view.start_drag(self.camera.id)

    @qt_override
    def mouseReleaseEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        if self._press is not None and event.button() == Qt.MouseButton.LeftButton:
            if self.view.editing:
                moved = (event.screenPos().toPointF() - self._press).manhattanLength() >= 2
                if moved:
                    self.view.move_camera(self.camera.id, event.scenePos() - self.view.icon_offset(self), done=True)
            else:
                self.view.camera_clicked.emit(self.camera.id)
        self._press = None

    @qt_override
    def contextMenuEvent(self, event: QGraphicsSceneContextMenuEvent) -> None:
        self.view.camera_menu.emit(self.camera.id, event.screenPos())
        event.accept()


def camera_drag(source: QWidget, camera_id: str) -> QDrag:
    drag = QDrag(source)
    drag.setMimeData(camera_mime(camera_id))
    return drag


class HandleItem(QGraphicsItem):
    """Admin mode: a square on the wedge — at the middle of the arc it turns the camera (bearing and range),
    at the edge it widens or narrows the angle of view. Dragging it reshapes the wedge live."""

    SIZE_PX = 10

    def __init__(self, camera_id: str, kind: str, view: MapView) -> None:
        super().__init__()
        self.camera_id = camera_id
        self.kind = kind  # "bearing" or "angle"
        self.view = view
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIgnoresTransformations)
        self.setZValue(4)
        self.setCursor(Qt.CursorShape.SizeAllCursor if kind == "bearing" else Qt.CursorShape.SizeHorCursor)

    def boundingRect(self) -> QRectF:
        half = self.SIZE_PX / 2 + 1
        return QRectF(-half, -half, 2 * half, 2 * half)

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None) -> None:
        half = self.SIZE_PX / 2
        painter.setPen(QPen(QColor("#1c7ed6"), 2))
        painter.setBrush(QColor("#ffffff"))
        painter.drawRect(QRectF(-half, -half, 2 * half, 2 * half))

    @qt_override
    def mousePressEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        event.accept()

    @qt_override
    def mouseMoveEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        self.view.drag_handle(self, event.scenePos(), done=False)

    @qt_override
    def mouseReleaseEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        self.view.drag_handle(self, event.scenePos(), done=True)
