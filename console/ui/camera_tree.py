"""The camera tree: sites (Điểm) with their cameras, status icon per camera."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPixmap
from PySide6.QtWidgets import QTreeWidget, QTreeWidgetItem, QWidget

from console.core.config import SiteConfig

CAMERA_ID_ROLE = Qt.ItemDataRole.UserRole + 1
SITE_ID_ROLE = Qt.ItemDataRole.UserRole + 2
_ICON_PX = 12


def status_icon(color: str) -> QIcon:
    pixmap = QPixmap(QSize(_ICON_PX, _ICON_PX))
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setBrush(QColor(color))
    painter.setPen(Qt.PenStyle.NoPen)
    painter.drawEllipse(1, 1, _ICON_PX - 2, _ICON_PX - 2)
    painter.end()
    return QIcon(pixmap)


class CameraTree(QTreeWidget):
    """Sites and their cameras, in config order; cameras carry their id for drag and selection."""

    def __init__(self, config: SiteConfig, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("cameraTree")
        self.setHeaderLabels([self.tr("Sites and cameras")])
        self.setUniformRowHeights(True)
        self._items: dict[str, QTreeWidgetItem] = {}
        idle = status_icon("#9e9e9e")
        for site in config.sites:
            cameras = config.cameras_of(site.id)
            site_item = QTreeWidgetItem(self, [self.tr("{name} ({count} cameras)").format(
                name=site.name, count=len(cameras))])
            site_item.setData(0, SITE_ID_ROLE, site.id)
            site_item.setToolTip(0, site.address or site.name)
            for camera in cameras:
                item = QTreeWidgetItem(site_item, [camera.name])
                item.setData(0, CAMERA_ID_ROLE, camera.id)
                item.setIcon(0, idle)
                item.setToolTip(0, self.tr("Not connected yet"))
                self._items[camera.id] = item
        self.expandAll()

    def camera_item(self, camera_id: str) -> QTreeWidgetItem:
        return self._items[camera_id]

    def camera_count(self) -> int:
        return len(self._items)
