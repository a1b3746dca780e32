"""The camera tree: sites (Điểm) with their cameras, status icon per camera."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QMimeData, QRect, QSize, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QIcon, QPainter, QPixmap
from PySide6.QtWidgets import QAbstractItemView, QTreeWidget, QTreeWidgetItem, QWidget

from console.core.config import SiteConfig
from console.core.health import Shown
from console.ui.live.status_text import COLORS, StatusText
from console.ui.live.tile import camera_title, overlay_label
from console.ui.widgets.drag_drop import CAMERA_MIME, camera_mime

CAMERA_ID_ROLE = Qt.ItemDataRole.UserRole + 1
SITE_ID_ROLE = Qt.ItemDataRole.UserRole + 2
ALERT_ROLE = Qt.ItemDataRole.UserRole + 3
ALERT_BACKGROUND = "#ffc9c9"
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
        self.setDragEnabled(True)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DragOnly)
        self._items: dict[str, QTreeWidgetItem] = {}
        self._sites: dict[str, QTreeWidgetItem] = {}
        self._site_titles: dict[str, str] = {}
        self._shown: dict[str, Shown] = {}
        self._texts: dict[str, tuple[Shown, str]] = {}  # what the tooltip says: state and live path
        self._full_names: dict[str, str] = {}
        self._extra: dict[str, dict[str, str]] = {}  # camera id → {topic: line}: ONVIF clock and events
        self._state_lines: dict[str, str] = {}
        self._icons = {shown: status_icon(color) for shown, color in COLORS.items()}
        idle = self._icons[Shown.OFF]
        for site in config.sites:
            cameras = config.cameras_of(site.id)
            site_item = QTreeWidgetItem(self, [self.tr("{name} ({count} cameras)").format(
                name=site.name, count=len(cameras))])
            site_item.setData(0, SITE_ID_ROLE, site.id)
            site_item.setFlags(site_item.flags() & ~Qt.ItemFlag.ItemIsDragEnabled)
            self._sites[site.id] = site_item
            self._site_titles[site.id] = site_item.text(0)
            site_item.setToolTip(0, site.address or site.name)
            for camera in cameras:
                item = QTreeWidgetItem(site_item, [camera_title(camera.id, camera.name)])  # the id, as on tiles
                item.setData(0, CAMERA_ID_ROLE, camera.id)
                item.setIcon(0, idle)
                self._full_names[camera.id] = overlay_label(camera.id, camera.name, site.name)
                item.setToolTip(0, f"{self._full_names[camera.id]}\n{self.tr('Not connected yet')}")
                self._items[camera.id] = item
        self.expandAll()

    def mimeData(self, items: Sequence[QTreeWidgetItem]) -> QMimeData:
        """Dragging a camera carries its id; the wall's tiles accept it."""
        ids = [i.data(0, CAMERA_ID_ROLE) for i in items if i.data(0, CAMERA_ID_ROLE)]
        return camera_mime(str(ids[0])) if ids else QMimeData()

    def mimeTypes(self) -> list[str]:
        return [CAMERA_MIME]

    def set_camera_status(self, camera_id: str, text: StatusText) -> None:
        if self._texts.get(camera_id) == (text.shown, text.path):
            return
        self._texts[camera_id] = (text.shown, text.path)
        self._shown[camera_id] = text.shown
        item = self._items[camera_id]
        item.setIcon(0, self._icons[text.shown])
        tips = {Shown.LIVE: self.tr("Online"), Shown.OFF: self.tr("Not connected yet")}
        state = tips.get(text.shown) or "\n".join((text.headline, *text.lines))
        self._state_lines[camera_id] = "\n".join(line for line in (state, text.path) if line)
        self._retip(camera_id)

    def set_camera_line(self, camera_id: str, topic: str, line: str) -> None:
        """A line of its own in the camera's tooltip (`topic`: "clock", "events"), replaced when it changes."""
        if camera_id not in self._items or self._extra.get(camera_id, {}).get(topic) == line:
            return
        self._extra.setdefault(camera_id, {})[topic] = line
        self._retip(camera_id)

    def _retip(self, camera_id: str) -> None:
        state = self._state_lines.get(camera_id, self.tr("Not connected yet"))
        lines = (self._full_names[camera_id], state, *self._extra.get(camera_id, {}).values())
        self._items[camera_id].setToolTip(0, "\n".join(line for line in lines if line))

    def camera_shown(self, camera_id: str) -> Shown:
        return self._shown.get(camera_id, Shown.OFF)

    def set_site_down(self, site_id: str, down: bool) -> None:
        item = self._sites[site_id]
        title = self._site_titles[site_id]
        item.setText(0, self.tr("{site} — whole site offline").format(site=title) if down else title)
        font = QFont(item.font(0))
        font.setBold(down)
        item.setFont(0, font)
        item.setForeground(0, QColor(COLORS[Shown.LOST]) if down else self.palette().text().color())

    def light_alerts(self, cameras: set[str]) -> None:
        """Blink phase: items of these cameras get the alert background now, the others lose it."""
        for camera_id, item in self._items.items():
            lit = camera_id in cameras
            if item.data(0, ALERT_ROLE) != lit:
                item.setData(0, ALERT_ROLE, lit)
                item.setBackground(0, QColor(ALERT_BACKGROUND) if lit else QBrush())

    def camera_item(self, camera_id: str) -> QTreeWidgetItem:
        return self._items[camera_id]

    def visible_item_rects(self) -> dict[str, QRect]:
        """Where each camera's row is on the screen, for rows fully in view (the latency benchmark drags them)."""
        viewport = self.viewport()
        rects: dict[str, QRect] = {}
        for camera_id, item in self._items.items():
            rect = self.visualItemRect(item)
            if rect.isValid() and viewport.rect().contains(rect):
                rects[camera_id] = QRect(viewport.mapToGlobal(rect.topLeft()), rect.size())
        return rects

    def camera_count(self) -> int:
        return len(self._items)
