"""Vùng phát hiện drawn with the mouse on the camera's picture: click to add corners, double-click (or click
the first corner) to close a zone, right-click inside a zone to delete it. Coordinates are kept as 0..1 of
the picture, so a zone fits the main and the sub stream alike."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QImage, QMouseEvent, QPainter, QPaintEvent, QPen, QPolygonF
from PySide6.QtWidgets import QWidget

from console.core.motion import Point
from console.ui.widgets.overrides import qt_override

CLOSE_RADIUS_PX = 10
ZONE_FILL = QColor(255, 193, 7, 70)
ZONE_EDGE = QColor("#ffc107")


class ZoneEditor(QWidget):
    changed = Signal()

    def __init__(self, picture: QImage | None, zones: tuple[tuple[Point, ...], ...],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("zoneEditor")
        self.setMinimumSize(480, 270)
        self.setMouseTracking(True)
        self._picture = picture
        self.zones: list[list[Point]] = [list(z) for z in zones]
        self.drawing: list[Point] = []

    def picture_rect(self) -> QRectF:
        """Where the picture is drawn (16:9 when there is none), letterboxed in the widget."""
        ratio = self._picture.width() / self._picture.height() if self._picture and self._picture.height() else 16 / 9
        width = min(self.width(), self.height() * ratio)
        height = width / ratio
        return QRectF((self.width() - width) / 2, (self.height() - height) / 2, width, height)

    def to_point(self, pos: QPointF) -> Point:
        rect = self.picture_rect()
        x = min(1.0, max(0.0, (pos.x() - rect.x()) / rect.width()))
        y = min(1.0, max(0.0, (pos.y() - rect.y()) / rect.height()))
        return (round(x, 4), round(y, 4))

    def to_screen(self, point: Point) -> QPointF:
        rect = self.picture_rect()
        return QPointF(rect.x() + point[0] * rect.width(), rect.y() + point[1] * rect.height())

    def result(self) -> tuple[tuple[Point, ...], ...]:
        return tuple(tuple(zone) for zone in self.zones if len(zone) >= 3)

    def clear(self) -> None:
        self.zones, self.drawing = [], []
        self.changed.emit()
        self.update()

    def _close_drawing(self) -> None:
        if len(self.drawing) >= 3:
            self.zones.append(self.drawing)
            self.changed.emit()
        self.drawing = []
        self.update()

    @qt_override
    def mousePressEvent(self, event: QMouseEvent) -> None:
        pos = event.position()
        if event.button() == Qt.MouseButton.RightButton:
            for zone in reversed(self.zones):
                if QPolygonF([self.to_screen(p) for p in zone]).containsPoint(pos, Qt.FillRule.OddEvenFill):
                    self.zones.remove(zone)
                    self.changed.emit()
                    break
            self.drawing = []
            self.update()
            return
        if event.button() != Qt.MouseButton.LeftButton or not self.picture_rect().contains(pos):
            return
        if len(self.drawing) >= 3:
            first = self.to_screen(self.drawing[0])
            if (first - pos).manhattanLength() <= CLOSE_RADIUS_PX:
                self._close_drawing()
                return
        self.drawing.append(self.to_point(pos))
        self.update()

    @qt_override
    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self._close_drawing()

    @qt_override
    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor("#202020"))
        rect = self.picture_rect()
        if self._picture is not None and not self._picture.isNull():
            painter.drawImage(rect, self._picture)
        else:
            painter.fillRect(rect, QColor("#3a3a3a"))
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(QPen(ZONE_EDGE, 2))
        painter.setBrush(ZONE_FILL)
        for zone in self.zones:
            painter.drawPolygon(QPolygonF([self.to_screen(p) for p in zone]))
        if self.drawing:
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.setPen(QPen(ZONE_EDGE, 2, Qt.PenStyle.DashLine))
            painter.drawPolyline(QPolygonF([self.to_screen(p) for p in self.drawing]))
            for point in self.drawing:
                painter.drawEllipse(self.to_screen(point), 4, 4)
        painter.end()
