"""Pictograms of the wall's split layouts (the toolbar's buttons), drawn from the layouts' own cells."""

from __future__ import annotations

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPen, QPixmap

from console.core.layouts import Layout

ICON_PX = 24


def layout_icon(layout: Layout, colour: str = "#3a3a3a") -> QIcon:
    pixmap = QPixmap(ICON_PX, ICON_PX)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setPen(QPen(QColor(colour), 1.2))
    painter.setBrush(QColor(colour).lighter(260))
    square = (ICON_PX - 3) / layout.grid
    for cell in layout.cells:
        painter.drawRect(QRectF(1.5 + cell.col * square, 1.5 + cell.row * square,
                                cell.cols * square, cell.rows * square))
    painter.end()
    return QIcon(pixmap)
