"""Bản đồ: the commune's sites and cameras on an offline base map (QGraphicsView: no QML, no tile server).

Drag to pan, wheel to zoom around the cursor, double-click to zoom in. Over the base layer the commune's
vector map (roads, boundary, villages, landmarks) when the site names one. Cameras are coloured by state
(live, frozen, lost: grey with a red cross), an unacknowledged alert is a pulsing red ring, and a legend says
so; hover for name, state and the latest picture; click to show a camera in the selected tile, drag it onto
any tile, right-click for its menu.
"""

from __future__ import annotations

import logging
import math
import os
import shutil
import tempfile
from collections.abc import Callable, Mapping
from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import QLocale, QObject, QPoint, QPointF, QRect, QRectF, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QContextMenuEvent,
    QFont,
    QImage,
    QMouseEvent,
    QPainter,
    QPen,
    QResizeEvent,
    QShowEvent,
    QWheelEvent,
)
from PySide6.QtWidgets import QGraphicsScene, QGraphicsView, QWidget

from console.core.config import ConfigError, ConfigIssue, MapConfig, SiteConfig, parse_config, read_toml
from console.core.config_edit import SiteFileEditor
from console.core.geo import GeoPoint, bearing_deg, destination, distance_m, from_pixel, metres_per_pixel
from console.core.health import Shown
from console.core.vector_map import VectorMap
from console.ui.live.status_text import describe_shown
from console.ui.map.items import CameraItem, HandleItem, SiteItem, WedgeItem, camera_drag
from console.ui.map.layers import SCENE_ZOOM, BaseLayer, NeutralLayer, OnlineLayer, base_layer, scene_point
from console.ui.map.legend import MapLegend
from console.ui.map.vector_layer import Box, VectorLayer, inside, overlaps
from console.ui.map.vector_loader import INLINE_VECTOR_BYTES as INLINE_VECTOR_BYTES  # noqa: PLC0414 (tests)
from console.ui.map.vector_loader import VectorLoader
from console.ui.map.vector_note import issue_lines
from console.ui.widgets.image_bytes import data_url
from console.ui.widgets.overrides import qt_override

MIN_ZOOM, MAX_ZOOM = 10.0, 20.0
FIT_MAX_ZOOM = 17.0
WHEEL_STEP = 0.25
SCALE_CHOICES_M = (10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10_000)
THUMB_WIDTH = 200
FAN_DISTANCE_M = 40.0
MIN_RANGE_M, MAX_RANGE_M = 5.0, 500.0
MIN_FOV = 5.0
OLD_THUMB_FOLDERS = "camera-console-map-*"  # earlier versions wrote hover pictures here and never removed them

log = logging.getLogger(__name__)


def remove_old_thumb_folders(temp: Path | None = None) -> int:
    """Delete the hover-picture folders earlier versions left in the system temp folder (this user's only);
    returns how many. The tooltip now carries its picture inline: nothing is written anywhere."""
    removed = 0
    for folder in Path(temp or tempfile.gettempdir()).glob(OLD_THUMB_FOLDERS):
        try:
            if not folder.is_dir() or folder.is_symlink() or not _ours(folder):
                continue
            shutil.rmtree(folder)
            removed += 1
        except OSError as exc:
            log.warning("old map pictures %s not removed (%s)", folder, exc.strerror or exc)
    if removed:
        log.info("removed %d old map picture folders from %s", removed, temp or tempfile.gettempdir())
    return removed


def _ours(folder: Path) -> bool:
    """Another account's folder in a shared temp folder is left alone (Windows: the temp folder is per user)."""
    return not hasattr(os, "getuid") or folder.stat().st_uid == os.getuid()


class TileSignal(QObject):
    """An online tile arrived on a fetch thread: repaint the map (queued to the GUI thread)."""

    arrived = Signal()


class MapView(QGraphicsView):
    camera_clicked = Signal(str)
    camera_menu = Signal(str, QPoint)
    spot_menu = Signal(object, QPoint)  # a right-click on the map itself: the GeoPoint there, the screen position
    edit_failed = Signal(str)  # why a change was not saved (in the interface language)
    edited = Signal(str)  # a camera's position or wedge was saved to the site file
    resized = Signal()  # the view's size changed: its corner widgets move (the incident layer's button)

    def __init__(self, config: SiteConfig, layer: BaseLayer | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("mapView")
        self.config = config
        self.layer = layer or NeutralLayer()
        self.setScene(QGraphicsScene(self))
        self.setDragMode(QGraphicsView.DragMode.ScrollHandDrag)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setViewportUpdateMode(QGraphicsView.ViewportUpdateMode.FullViewportUpdate)  # tiles under items
        self.picture_for: Callable[[str], QImage | None] = lambda _camera: None
        remove_old_thumb_folders()
        self.cameras: dict[str, CameraItem] = {}
        self.labels: list[SiteItem] = []
        self.wedges: dict[str, WedgeItem] = {}
        self._states: dict[str, Shown] = {}
        self._alerts: set[str] = set()
        for site in config.sites:
            label = SiteItem(site)
            self.scene().addItem(label)
            self.labels.append(label)
            members = config.cameras_of(site.id)
            # Cameras on one pole (within FAN_DISTANCE_M of the site) fan out around it on screen.
            shared = [c for c in members if distance_m(c.position,
                                                       site.position) <= FAN_DISTANCE_M]
            for camera in members:
                index = shared.index(camera) if camera in shared else 0
                wedge_item = WedgeItem(camera)
                wedge_item.set_state(Shown.OFF, False)
                self.scene().addItem(wedge_item)
                item = CameraItem(camera, index, len(shared) if camera in shared else 1, self)
                self.scene().addItem(item)
                self.cameras[camera.id], self.wedges[camera.id] = item, wedge_item
        self.vector = VectorLayer(VectorMap())
        self.vector_issues: list[ConfigIssue] = []
        self.legend = MapLegend(self)
        self._vectors = VectorLoader(self)
        self._vectors.loaded.connect(self._vector_arrived)
        self._load_vector(config.map)
        bounds = self._bounds()
        margin = max(bounds.width(), bounds.height()) * 2 + 4096
        self.setSceneRect(bounds.adjusted(-margin, -margin, margin, margin))
        self.editing = False
        self.editor: SiteFileEditor | None = None
        self.shapes = {c.id: [c.position.lat, c.position.lon, c.bearing_deg, c.fov_deg, c.range_m]
                         for c in config.cameras}
        self._before_drag: list[float] | None = None
        self.handles: dict[str, tuple[HandleItem, HandleItem]] = {}
        self.zoom = 15.0
        self._fitted = False
        self.fit_commune()

    # -- base map ------------------------------------------------------------------------------------
    def _load_vector(self, config: MapConfig) -> None:
        """The vector files the site names, drawn over the base layer (large ones read off the GUI thread);
        what cannot be drawn goes to the note."""
        read = self._vectors.load(config.vector)
        if read is not None:
            self._show_vector(*read)

    def _vector_arrived(self, vector: VectorMap, issues: list[ConfigIssue]) -> None:
        self._show_vector(vector, issues)
        self.declutter()
        self.viewport().update()

    def _show_vector(self, vector: VectorMap, issues: list[ConfigIssue]) -> None:
        for issue in issues:
            log.warning("vector map: %s", issue.describe("en"))
        self.vector.remove_from(self.scene())
        self.vector, self.vector_issues = VectorLayer(vector), issues
        self.vector.add_to(self.scene())
        self.legend.set_approximate(vector.approximate)

    def set_base_map(self, config: MapConfig, layer: BaseLayer | None = None) -> None:
        """A base map installed while the console runs ("Add a map…"): shown at once, the view kept. Online
        tiles already shown stay while the site names no raster map of its own."""
        if layer is None:
            keep = isinstance(self.layer, OnlineLayer) and config.mbtiles is None and config.image is None
            layer = self.layer if keep else base_layer(config)
        self.layer = layer
        self.config = replace(self.config, map=config)
        self._load_vector(config)
        self.declutter()
        self.viewport().update()

    # -- geometry ------------------------------------------------------------------------------------
    def _bounds(self) -> QRectF:
        points = [scene_point(c.position) for c in self.config.cameras] + \
                 [scene_point(s.position) for s in self.config.sites]
        xs, ys = [p[0] for p in points], [p[1] for p in points]
        return QRectF(min(xs), min(ys), max(1.0, max(xs) - min(xs)), max(1.0, max(ys) - min(ys)))

    def commune_rect(self) -> QRectF:
        """What "the whole commune" shows: every site, camera and wedge, and the commune's boundary."""
        rect = self._bounds()
        for wedge_item in self.wedges.values():
            rect = rect.united(wedge_item.path().boundingRect())
        drawn = self.vector.scene_rect()
        return rect.united(drawn) if drawn is not None else rect

    def set_zoom(self, zoom: float) -> None:
        self.zoom = max(MIN_ZOOM, min(MAX_ZOOM, zoom))
        scale = 2.0 ** (self.zoom - SCENE_ZOOM)
        self.setTransform(self.transform().fromScale(scale, scale))
        self.declutter()

    def declutter(self) -> None:
        """Every site keeps its name: each at the first of its spots that overlaps no camera and no other name
        (sites with more cameras first), else where it overlaps least. Then the vector map's names, which
        wait for a closer zoom when they find no room. Cameras and their tooltips always stay."""
        transform = self.viewportTransform()
        frame: Box = (0.0, 0.0, float(self.viewport().width()), float(self.viewport().height()))
        taken = [_box(item.deviceTransform(transform).mapRect(item.boundingRect())) for item in self.cameras.values()]
        if self.legend.isVisible():  # nothing is named under the legend
            corner = self.viewport().mapFrom(self, self.legend.pos())
            taken.append(_box(QRectF(corner.x(), corner.y(), self.legend.width(), self.legend.height())))
        for label in sorted(self.labels, key=lambda item: -len(self.config.cameras_of(item.site.id))):
            device = label.deviceTransform(transform)
            spots = [_box(device.mapRect(rect).adjusted(-2, -2, 2, 2)) for rect in label.placements()]
            best = min(range(len(spots)), key=lambda i: (not inside(spots[i], frame), _covered(spots[i], taken), i))
            label.setVisible(True)
            label.place(best)
            taken.append(spots[best])
        self.vector.declutter(transform, self.transform().m11(), frame, taken)

    @qt_override
    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        """On a camera: its own menu; anywhere else: the spot (PTZ cameras that cover it offer to turn there)."""
        if isinstance(self.itemAt(event.pos()), CameraItem):
            super().contextMenuEvent(event)
            return
        scene = self.mapToScene(event.pos())
        self.spot_menu.emit(from_pixel(scene.x(), scene.y(), SCENE_ZOOM), event.globalPos())

    @qt_override
    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._fitted:  # the first real size: fit the commune to it
            self._fitted = True
            self.fit_commune()

    @qt_override
    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.legend.place()
        self.declutter()
        self.resized.emit()

    def scrollContentsBy(self, dx: int, dy: int) -> None:
        super().scrollContentsBy(dx, dy)
        self.declutter()  # names find room again as the map pans (11 labels against 25 icons: microseconds)

    def fit_commune(self) -> None:
        """The whole commune in view (sites, cameras, wedges, boundary), with room for the labels."""
        bounds = self.commune_rect()
        width, height = max(200, self.viewport().width() - 240), max(150, self.viewport().height() - 160)
        scale = min(width / bounds.width(), height / bounds.height())
        self.set_zoom(min(FIT_MAX_ZOOM, SCENE_ZOOM + math.log2(scale)))  # a one-site commune still shows its roads
        self.centerOn(bounds.center())

    def center_on_camera(self, camera_id: str, highlight: bool = True) -> None:
        item = self.cameras.get(camera_id)
        if item is None:
            return
        for other in self.cameras.values():
            other.set_highlight(highlight and other is item)
        if self.zoom < 16:
            self.set_zoom(16)
        self.centerOn(item.pos())

    def center_on_point(self, lat: float, lon: float) -> None:
        """A place that is not a camera (an incident's point, a citizen's video's location) in the middle."""
        if self.zoom < 16:
            self.set_zoom(16)
        x, y = scene_point(GeoPoint(lat, lon))
        self.centerOn(QPointF(x, y))

    # -- admin mode: place cameras, turn and widen their wedges -------------------------------------
    def set_editing(self, editor: SiteFileEditor | None) -> None:
        self.editor, self.editing = editor, editor is not None
        for bearing, angle in self.handles.values():
            self.scene().removeItem(bearing)
            self.scene().removeItem(angle)
        self.handles = {}
        if editor is None:
            return
        for camera_id in self.cameras:
            pair = (HandleItem(camera_id, "bearing", self), HandleItem(camera_id, "angle", self))
            for handle in pair:
                self.scene().addItem(handle)
            self.handles[camera_id] = pair
            self._place(camera_id)

    def icon_offset(self, item: CameraItem) -> QPointF:
        """The icon's fan-out offset in scene units (it is drawn that many screen pixels off its position)."""
        return QPointF(item.offset) / self.transform().m11()

    def _apex(self, camera_id: str) -> GeoPoint:
        lat, lon = self.shapes[camera_id][:2]
        return GeoPoint(lat, lon)

    def _place(self, camera_id: str) -> None:
        lat, lon, bearing, fov, range_m = self.shapes[camera_id]
        apex = GeoPoint(lat, lon)
        self.cameras[camera_id].setPos(*scene_point(apex))
        self.wedges[camera_id].update_shape(bearing, fov, range_m, apex)
        if camera_id in self.handles:
            turn, widen = self.handles[camera_id]
            turn.setPos(*scene_point(destination(apex, bearing, range_m)))
            widen.setPos(*scene_point(destination(apex, bearing + fov / 2, range_m)))

    def move_camera(self, camera_id: str, scene_pos: QPointF, done: bool) -> None:
        if self._before_drag is None:
            self._before_drag = list(self.shapes[camera_id])
        point = from_pixel(scene_pos.x(), scene_pos.y(), SCENE_ZOOM)
        self.shapes[camera_id][:2] = [point.lat, point.lon]
        self._place(camera_id)
        if done:
            self._save(camera_id, ("lat", "lon"))

    def drag_handle(self, handle: HandleItem, scene_pos: QPointF, done: bool) -> None:
        camera_id = handle.camera_id
        if self._before_drag is None:
            self._before_drag = list(self.shapes[camera_id])
        apex = self._apex(camera_id)
        point = from_pixel(scene_pos.x(), scene_pos.y(), SCENE_ZOOM)
        shape = self.shapes[camera_id]
        if handle.kind == "bearing":
            shape[2] = round(bearing_deg(apex, point), 1) % 360
            shape[4] = max(MIN_RANGE_M, min(MAX_RANGE_M, distance_m(apex, point)))
        else:
            off = abs((bearing_deg(apex, point) - shape[2] + 540) % 360 - 180)
            shape[3] = max(MIN_FOV, min(360.0, 2 * off))
        self._place(camera_id)
        if done:
            self._save(camera_id, ("bearing_deg", "range_m") if handle.kind == "bearing" else ("fov_deg",))

    def _save(self, camera_id: str, keys: tuple[str, ...]) -> None:
        before, self._before_drag = self._before_drag, None
        if self.editor is None:
            return
        index = {"lat": 0, "lon": 1, "bearing_deg": 2, "fov_deg": 3, "range_m": 4}
        try:
            self.editor.update_camera(camera_id, {k: self.shapes[camera_id][index[k]] for k in keys})
        except ConfigError as exc:
            if before is not None:
                self.shapes[camera_id] = before
                self._place(camera_id)
            self.edit_failed.emit("\n".join(issue.describe(interface_language()) for issue in exc.errors))
            return
        self.edited.emit(camera_id)

    def undo(self) -> bool:
        """The site file as before the last change, and the map with it."""
        if self.editor is None or not self.editor.undo():
            return False
        data, _issues = read_toml(self.editor.path)
        config, _ = parse_config(data or {}, self.editor.path)
        if config is not None:
            for camera in config.cameras:
                if camera.id in self.shapes:
                    self.shapes[camera.id] = [camera.position.lat, camera.position.lon, camera.bearing_deg,
                                                camera.fov_deg, camera.range_m]
                    self._place(camera.id)
        return True

    # -- states --------------------------------------------------------------------------------------
    def set_states(self, shown: Mapping[str, Shown], alerts: set[str]) -> None:
        self._states, self._alerts = dict(shown), set(alerts)
        for camera_id, item in self.cameras.items():
            state, alert = shown.get(camera_id, Shown.OFF), camera_id in alerts
            if (state, alert) != (item.shown, item.alert):  # called every health tick: repaint changes only
                item.set_state(state, alert)
                self.wedges[camera_id].set_state(state, alert)

    def light_alerts(self, cameras: set[str]) -> None:
        for camera_id, item in self.cameras.items():
            item.set_lit(camera_id in cameras)

    def tooltip(self, camera_id: str) -> str:
        camera = self.config.camera(camera_id)
        site = self.config.site(camera.site_id)
        state = describe_shown(self._states.get(camera_id, Shown.OFF))
        if camera_id in self._alerts:
            state += " · " + self.tr("new alert")
        html = f"<b>{camera.label}</b><br/>{site.name}<br/>{state}"
        picture = self.picture_for(camera_id)
        if picture is not None and not picture.isNull():
            thumb = picture.scaledToWidth(THUMB_WIDTH, Qt.TransformationMode.SmoothTransformation)
            html += f"<br/><img src='{data_url(thumb)}' width='{THUMB_WIDTH}'/>"
        return html

    def start_drag(self, camera_id: str) -> None:
        camera_drag(self, camera_id).exec(Qt.DropAction.CopyAction)

    # -- mouse ---------------------------------------------------------------------------------------
    @qt_override
    def wheelEvent(self, event: QWheelEvent) -> None:
        steps = event.angleDelta().y() / 120
        if steps:
            self.set_zoom(self.zoom + steps * WHEEL_STEP)
        event.accept()

    @qt_override
    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        if self.itemAt(event.position().toPoint()) is None:
            self.set_zoom(self.zoom + 1)
            self.centerOn(self.mapToScene(event.position().toPoint()))
        else:
            super().mouseDoubleClickEvent(event)

    # -- painting ------------------------------------------------------------------------------------
    def drawBackground(self, painter: QPainter, rect: QRectF | QRect) -> None:
        self.layer.paint(painter, QRectF(rect), self.zoom)

    def drawForeground(self, painter: QPainter, rect: QRectF | QRect) -> None:
        painter.save()
        painter.resetTransform()
        self._paint_scale_bar(painter)
        note = self.note()
        if note:
            self._paint_note(painter, note)
        painter.restore()

    def note(self) -> str:
        """What the map tells the officer in its corner: plain sentences, never the site file's syntax."""
        lines = []
        drawn = bool(self.vector.vector.features)
        base = self.layer.note()
        if base and not (drawn and isinstance(self.layer, NeutralLayer) and self.layer.error is None):
            lines.append(base)  # "no base map" is not true while a vector map is drawn
        lines += issue_lines(self.tr("Part of the vector map could not be drawn:"), self.vector_issues,
                             interface_language())
        if self.config.commune.coordinates_approximate:
            lines.append(self.tr("Camera positions are approximate"))
        return "\n".join(lines)

    def _paint_scale_bar(self, painter: QPainter) -> None:
        centre = self.mapToScene(self.viewport().rect().center())
        lat = from_pixel(centre.x(), centre.y(), SCENE_ZOOM).lat
        per_px = metres_per_pixel(lat, self.zoom)
        metres = next((m for m in SCALE_CHOICES_M if m / per_px >= 80), SCALE_CHOICES_M[-1])
        length = metres / per_px
        left, bottom = 16.0, self.viewport().height() - 18.0
        painter.setPen(QPen(QColor("#1b2430"), 2))
        painter.drawLine(QPointF(left, bottom), QPointF(left + length, bottom))
        for x in (left, left + length):
            painter.drawLine(QPointF(x, bottom - 5), QPointF(x, bottom + 1))
        label = f"{metres // 1000} km" if metres >= 1000 else f"{metres} m"
        painter.setFont(QFont("Noto Sans", 9))
        painter.drawText(QPointF(left + 4, bottom - 6), label)

    def _paint_note(self, painter: QPainter, text: str) -> None:
        painter.setFont(QFont("Noto Sans", 9))
        box = QRectF(10, 10, min(560, self.viewport().width() - 20), 200)
        bounds = painter.boundingRect(box, Qt.TextFlag.TextWordWrap, text)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(255, 255, 255, 230))
        painter.drawRoundedRect(bounds.adjusted(-8, -6, 8, 6), 6, 6)
        painter.setPen(QColor("#5c3c00"))
        painter.drawText(box, Qt.TextFlag.TextWordWrap, text)


def interface_language() -> str:
    """The language of the core's own sentences (config problems): the interface's."""
    return "vi" if QLocale().language() == QLocale.Language.Vietnamese else "en"


def _box(rect: QRectF) -> Box:
    return rect.left(), rect.top(), rect.right(), rect.bottom()


def _covered(box: Box, taken: list[Box]) -> float:
    """How much of `box` the taken boxes cover, in square pixels."""
    area = 0.0
    for other in taken:
        if overlaps(box, other):
            area += (min(box[2], other[2]) - max(box[0], other[0])) * (min(box[3], other[3]) - max(box[1], other[1]))
    return area
