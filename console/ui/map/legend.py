"""The map's legend, small in its lower right corner: what a camera's look means (lost, unacknowledged
alert, live) and, for a hand-made schematic, that the map is approximate."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPaintEvent
from PySide6.QtWidgets import QWidget

from console.core.health import Shown
from console.ui.map.items import CAMERA_RADIUS_PX, paint_marker
from console.ui.widgets.overrides import qt_override

ROW_PX = 26
PAD_PX = 8
ICON_PX = 2 * (CAMERA_RADIUS_PX + 6)
MARGIN_PX = 10  # from the map's edges


class MapLegend(QWidget):
    """Three camera looks and an optional note; it lets the mouse through to the map under it."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("mapLegend")
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self._font = QFont("Noto Sans", 9)
        self.approximate = False
        self.retranslate()

    def retranslate(self) -> None:
        self.entries: list[tuple[str, Shown, bool]] = [
            (self.tr("Camera lost"), Shown.LOST, False),
            (self.tr("Unacknowledged alert"), Shown.LIVE, True),
            (self.tr("Live"), Shown.LIVE, False),
        ]
        self.note = self.tr("Approximate schematic")
        self.adjustSize()

    def set_approximate(self, approximate: bool) -> None:
        if approximate != self.approximate:
            self.approximate = approximate
            self.adjustSize()
            self.update()

    def lines(self) -> list[str]:
        """What the legend says, top to bottom (for the officer's eyes and the tests)."""
        return [text for text, _shown, _alert in self.entries] + ([self.note] if self.approximate else [])

    def sizeHint(self) -> QSize:
        metrics = QFontMetrics(self._font)
        width = max(metrics.horizontalAdvance(text) for text in self.lines()) + ICON_PX + 3 * PAD_PX
        return QSize(width, len(self.lines()) * ROW_PX + 2 * PAD_PX)

    def place(self) -> None:
        """In the parent's lower right corner, above nothing else of ours (the scale bar is lower left)."""
        parent = self.parentWidget()
        if parent is not None:
            self.resize(self.sizeHint())
            self.move(parent.width() - self.width() - MARGIN_PX, parent.height() - self.height() - MARGIN_PX)

    @qt_override
    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(QColor("#ced4da"))
        painter.setBrush(QColor(255, 255, 255, 235))
        painter.drawRoundedRect(QRectF(self.rect()).adjusted(0.5, 0.5, -0.5, -0.5), 6, 6)
        for row, (text, shown, alert) in enumerate(self.entries):
            top = PAD_PX + row * ROW_PX
            paint_marker(painter, QPointF(PAD_PX + ICON_PX / 2, top + ROW_PX / 2), shown, alert, lit=True)
            self._text(painter, row, text)
        if self.approximate:
            self._text(painter, len(self.entries), self.note, italic=True)
        painter.end()

    def _text(self, painter: QPainter, row: int, text: str, italic: bool = False) -> None:
        font = QFont(self._font)
        font.setItalic(italic)
        painter.setFont(font)
        painter.setPen(QColor("#5c3c00" if italic else "#1b2430"))
        left = PAD_PX + (0 if italic else ICON_PX + PAD_PX)
        painter.drawText(QRectF(left, PAD_PX + row * ROW_PX, self.width() - left - PAD_PX, ROW_PX),
                         Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft, text)
