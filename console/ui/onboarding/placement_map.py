"""The map of the placement page: the commune's map (MapView, in its admin mode) with the new cameras drawn
on it. A click on the map puts the chosen new camera there; the squares on its wedge turn it and widen or
narrow its view, as in the map's own admin mode. Saved cameras are shown, not moved. Nothing is written
while placing: the wizard saves the drafts at the end."""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from pathlib import Path

from PySide6.QtCore import QPoint, QPointF, Qt, Signal
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QApplication, QWidget

from console.core.config import SiteConfig
from console.core.config_edit import SiteFileEditor
from console.core.geo import GeoPoint, from_pixel
from console.ui.map.layers import SCENE_ZOOM, base_layer, scene_point
from console.ui.map.view import MapView
from console.ui.widgets.overrides import qt_override

PLACE_ZOOM = 18.0


class _DraftsOnly(SiteFileEditor):
    """The admin mode writes each drag through an editor; here a drag changes only the draft on the map."""

    def __init__(self) -> None:
        super().__init__(Path(os.devnull))

    def update_camera(self, camera_id: str, values: Mapping[str, float]) -> None:
        pass

    def undo(self) -> bool:
        return False


class PlacementMap(MapView):
    placed = Signal(str)  # a new camera's position, bearing, angle or range changed on the map
    site_placed = Signal(object)  # GeoPoint: where a click put the site being placed

    def __init__(self, preview: SiteConfig, movable: Sequence[str], parent: QWidget | None = None) -> None:
        super().__init__(preview, base_layer(preview.map), parent)
        self.setObjectName("placementMap")
        self.movable = list(movable)
        self.current = self.movable[0] if self.movable else ""
        self._press: QPoint | None = None
        self.site_to_place = ""  # a site whose position a click sets (the site dialog), instead of a camera's
        self.set_editing(_DraftsOnly())
        for camera_id, (turn, widen) in list(self.handles.items()):
            if camera_id not in self.movable:
                self.scene().removeItem(turn)
                self.scene().removeItem(widen)
                del self.handles[camera_id]
        for camera_id, item in self.cameras.items():
            if camera_id not in self.movable:
                item.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
        self.edited.connect(self.placed)
        self.choose(self.current)

    def choose(self, camera_id: str) -> None:
        """The camera a click places (highlighted)."""
        if camera_id not in self.movable:
            return
        self.current = camera_id
        for other, item in self.cameras.items():
            item.set_highlight(other == camera_id)

    def show_current(self) -> None:
        if self.current:
            self.set_zoom(PLACE_ZOOM)
            self.centerOn(self.cameras[self.current].pos())

    def shape_of(self, camera_id: str) -> tuple[GeoPoint, float, float, float]:
        """Position, bearing, angle of view and range as placed."""
        lat, lon, bearing, fov, range_m = self.shapes[camera_id]
        return GeoPoint(lat, lon), bearing, fov, range_m

    def set_wedge(self, camera_id: str, bearing: float, fov: float, range_m: float) -> None:
        """From the page's number boxes (the keyboard's way to do what the wedge's squares do)."""
        if camera_id not in self.movable:
            return
        self.shapes[camera_id][2:] = [bearing % 360, fov, range_m]
        self._place(camera_id)

    @qt_override
    def mousePressEvent(self, event: QMouseEvent) -> None:
        self._press = event.position().toPoint() if event.button() == Qt.MouseButton.LeftButton else None
        super().mousePressEvent(event)

    @qt_override
    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        press, self._press = self._press, None
        super().mouseReleaseEvent(event)
        if press is None or event.button() != Qt.MouseButton.LeftButton:
            return
        at = event.position().toPoint()
        if (at - press).manhattanLength() >= QApplication.startDragDistance():
            return  # the map was panned
        if self.site_to_place:
            self._put_site(self.mapToScene(at))
            return
        if not self.current:
            return
        if self.itemAt(at) in (*self.handles.get(self.current, ()), self.cameras[self.current]):
            return  # the camera or its squares were dragged: the admin mode did it
        item = self.cameras[self.current]
        self.move_camera(self.current, self.mapToScene(at) - self.icon_offset(item), done=True)

    def _put_site(self, scene: QPointF) -> None:
        point = from_pixel(scene.x(), scene.y(), SCENE_ZOOM)
        for label in self.labels:
            if label.site.id == self.site_to_place:
                label.setPos(*scene_point(point))
        self.declutter()
        self.site_placed.emit(point)
