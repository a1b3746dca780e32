"""The picture a plate is read on: fitted and centred; the officer drags a box around the plate (in the picture's
own pixels), the plates found are outlined."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
from PySide6.QtCore import QPoint, QRect, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QImage, QMouseEvent, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from console.plates.reader import Box
from console.ui.widgets.overrides import qt_override

BOX_PEN = QColor(255, 200, 0)
FOUND_PEN = QColor(64, 220, 96)
MIN_BOX_PX = 4  # a click, not a drag: no box


def rgb_pixels(image: QImage) -> npt.NDArray[np.uint8]:
    """The picture as an RGB array (height × width × 3), copied: the reader's worker owns it."""
    rgb = image.convertToFormat(QImage.Format.Format_RGB888)
    width, height, stride = rgb.width(), rgb.height(), rgb.bytesPerLine()
    rows = np.frombuffer(rgb.constBits(), np.uint8, count=stride * height).reshape(height, stride)
    return rows[:, :width * 3].reshape(height, width, 3).copy()


class PlatePicture(QWidget):
    box_changed = Signal()

    def __init__(self, image: QImage, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("platePicture")
        self.setMinimumSize(480, 270)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setCursor(Qt.CursorShape.CrossCursor)
        self.image = image
        self.box: Box | None = None  # in the picture's pixels
        self.found: list[Box] = []  # the plates read, outlined
        self._anchor: tuple[int, int] | None = None

    def target(self) -> QRect:
        """Where the picture is painted inside the widget."""
        size = self.image.size().scaled(self.size(), Qt.AspectRatioMode.KeepAspectRatio)
        target = QRect(0, 0, size.width(), size.height())
        target.moveCenter(self.rect().center())
        return target

    def to_picture(self, point: QPoint) -> tuple[int, int]:
        target = self.target()
        x = (point.x() - target.left()) * self.image.width() / max(1, target.width())
        y = (point.y() - target.top()) * self.image.height() / max(1, target.height())
        return (round(min(self.image.width(), max(0.0, x))), round(min(self.image.height(), max(0.0, y))))

    def to_widget(self, box: Box) -> QRectF:
        target = self.target()
        sx, sy = target.width() / max(1, self.image.width()), target.height() / max(1, self.image.height())
        x0, y0, x1, y1 = box
        return QRectF(target.left() + x0 * sx, target.top() + y0 * sy, (x1 - x0) * sx, (y1 - y0) * sy)

    def set_box(self, box: Box | None) -> None:
        if box is not None:
            x0, y0, x1, y1 = box
            box = (min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1))
            if box[2] - box[0] < MIN_BOX_PX or box[3] - box[1] < MIN_BOX_PX:
                box = None
        self.box = box
        self.box_changed.emit()
        self.update()

    def show_found(self, boxes: list[Box]) -> None:
        self.found = boxes
        self.update()

    @qt_override
    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() is Qt.MouseButton.LeftButton:
            self._anchor = self.to_picture(event.position().toPoint())
            self.found = []
            self.set_box(None)

    @qt_override
    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if self._anchor is not None:
            self.set_box((*self._anchor, *self.to_picture(event.position().toPoint())))

    @qt_override
    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if self._anchor is not None and event.button() is Qt.MouseButton.LeftButton:
            self.set_box((*self._anchor, *self.to_picture(event.position().toPoint())))
            self._anchor = None

    @qt_override
    def paintEvent(self, _event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), Qt.GlobalColor.black)
        painter.drawImage(self.target(), self.image)
        painter.setPen(QPen(FOUND_PEN, 2))
        for box in self.found:
            painter.drawRect(self.to_widget(box))
        if self.box is not None:
            painter.setPen(QPen(BOX_PEN, 2))
            painter.drawRect(self.to_widget(self.box))
        painter.end()
