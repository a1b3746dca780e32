"""Bản đồ tỉnh: every commune of the province file at its centre, a disc coloured by its standing (offline, alerts
nobody acknowledged, cameras down, all well, nothing heard) with its name and state under it, over the base map the
province file's `[map]` names (an MBTiles pack read off the GUI thread, GeoJSON boundaries and roads drawn as on
the commune's map, console/ui/map/; the same scene coordinates), and a note naming a map file that cannot be used.
Markers keep their size at every zoom; wheel to zoom, drag to pan, click a commune to list its alerts."""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QObject, QPointF, QRect, QRectF, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QMouseEvent, QPainter, QPen, QResizeEvent, QShowEvent, QWheelEvent
from PySide6.QtWidgets import (
    QGraphicsEllipseItem,
    QGraphicsItem,
    QGraphicsScene,
    QGraphicsSimpleTextItem,
    QGraphicsView,
    QLabel,
    QWidget,
)

from console.core.config import ConfigIssue, MapConfig
from console.core.geo import GeoPoint
from console.core.vector_map import VectorMap
from console.province.config import ProvinceCommune
from console.province.overview import CommuneStatus, Standing
from console.ui.map.layers import BaseLayer, scene_point, view_zoom
from console.ui.map.pack_tiles import BackgroundPackLayer
from console.ui.map.vector_layer import Box, VectorLayer
from console.ui.map.vector_loader import VectorLoader
from console.ui.map.vector_note import issue_lines
from console.ui.map.view import interface_language
from console.ui.province.words import commune_line, commune_tooltip, standing_words
from console.ui.widgets.overrides import qt_override

MARKER_RADIUS_PX = 11
LABEL_GAP_PX = 3
MIN_SPAN_PX = 20_000.0  # scene pixels (zoom 20: ~3 km at 21° N): one commune alone is not blown up to a dot
FIT_MARGIN = 0.15  # of the province's span on each side, so the names under the markers stay in view
WHEEL_STEP = 1.25
MIN_SCALE, MAX_SCALE = 1e-4, 0.5  # view pixels per scene pixel: a whole country … a few streets
MARGIN_PX = 10

COLOURS = {
    Standing.OFFLINE: ("#6b7280", "#b3261e"),  # fill, outline: grey ringed in red, as a lost camera
    Standing.ALERTING: ("#d32f2f", "#7f1d1d"),
    Standing.DEGRADED: ("#f59e0b", "#92400e"),
    Standing.NORMAL: ("#2e7d32", "#1b5e20"),
    Standing.UNKNOWN: ("#cfd4da", "#7a828c"),
}


class CommuneMarker(QGraphicsEllipseItem):
    """One commune: a disc at its centre, its name and its state below (screen-sized at every zoom)."""

    def __init__(self, commune: ProvinceCommune) -> None:
        radius = MARKER_RADIUS_PX
        super().__init__(-radius, -radius, 2 * radius, 2 * radius)
        self.commune = commune
        self.standing = Standing.UNKNOWN
        self.line = ""
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIgnoresTransformations)
        self.setZValue(2)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setPos(QPointF(*scene_point(GeoPoint(commune.lat, commune.lon))))
        self.name_item = QGraphicsSimpleTextItem(commune.name, self)
        self.name_item.setFont(QFont("Noto Sans", 9, QFont.Weight.Bold))
        self.state_item = QGraphicsSimpleTextItem("", self)
        self.state_item.setFont(QFont("Noto Sans", 8))
        self._paint(Standing.UNKNOWN)
        self._place_labels()

    def show_status(self, status: CommuneStatus, at_ms: int) -> None:
        line = commune_line(status, at_ms)
        if (status.standing, line) == (self.standing, self.line):
            return  # called every read: repaint changes only
        self.standing, self.line = status.standing, line
        self._paint(status.standing)
        self.state_item.setText(line)
        self.setToolTip(commune_tooltip(status, at_ms))
        self._place_labels()

    def _paint(self, standing: Standing) -> None:
        fill, outline = COLOURS[standing]
        pen = QPen(QColor(outline), 3 if standing is Standing.OFFLINE else 2)
        if standing is Standing.UNKNOWN:
            pen.setStyle(Qt.PenStyle.DashLine)
        self.setPen(pen)
        self.setBrush(QBrush(QColor(fill)))

    def _place_labels(self) -> None:
        top = float(MARKER_RADIUS_PX + LABEL_GAP_PX)
        for item in (self.name_item, self.state_item):
            width = item.boundingRect().width()
            item.setPos(-width / 2, top)
            top += item.boundingRect().height()


class ProvinceLegend(QLabel):
    """What the colours mean, in the map's upper right corner; the mouse goes through it to the map."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("provinceLegend")
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.setStyleSheet("background: rgba(255, 255, 255, 225); border-radius: 6px; padding: 6px;")
        rows = "".join(f"<tr><td><span style='color: {COLOURS[s][0]}; font-size: 14pt'>●</span></td>"
                       f"<td>{standing_words(s)}</td></tr>" for s in Standing)
        self.setText(f"<table cellspacing='2'>{rows}</table>")
        self.adjustSize()

    def place(self) -> None:
        parent = self.parentWidget()
        if parent is not None:
            self.move(parent.width() - self.width() - MARGIN_PX, MARGIN_PX)


class MapNote(QLabel):
    """Which map file cannot be used and why, in the map's upper left corner (hidden while all is well)."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("provinceMapNote")
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.setWordWrap(True)
        self.setStyleSheet("background: rgba(255, 255, 255, 230); border-radius: 6px; padding: 6px; color: #5c3c00;")
        self.hide()

    def say(self, text: str, width: int) -> None:
        self.setText(text)
        self.setVisible(bool(text))
        self.setFixedWidth(max(160, width))
        self.adjustSize()
        self.move(MARGIN_PX, MARGIN_PX)


class TilesArrived(QObject):
    """A tile, or the pack's fault, came in on the pack's thread (queued to the GUI thread)."""

    arrived = Signal()


class ProvinceMap(QGraphicsView):
    commune_clicked = Signal(str)

    def __init__(self, communes: Iterable[ProvinceCommune], parent: QWidget | None = None, *,
                 base_map: MapConfig | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("provinceMap")
        self.setScene(QGraphicsScene(self))
        self.setDragMode(QGraphicsView.DragMode.ScrollHandDrag)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setViewportUpdateMode(QGraphicsView.ViewportUpdateMode.FullViewportUpdate)  # tiles under the markers
        self.base_map = base_map or MapConfig()
        self._tiles = TilesArrived(self)
        self._tiles.arrived.connect(self._tiles_arrived)
        pack = self.base_map.mbtiles
        # No pack named: the map's neutral background.
        self.layer: BaseLayer = BackgroundPackLayer(pack, self._tiles.arrived.emit) if pack else BaseLayer()
        self.vector = VectorLayer(VectorMap())
        self.vector_issues: list[ConfigIssue] = []
        self._fault_told = False
        self.markers: dict[str, CommuneMarker] = {}
        for commune in communes:
            marker = CommuneMarker(commune)
            self.scene().addItem(marker)
            self.markers[commune.id] = marker
        bounds = self.province_rect()
        margin = max(bounds.width(), bounds.height()) * 4
        self.setSceneRect(bounds.adjusted(-margin, -margin, margin, margin))
        self.legend = ProvinceLegend(self)
        self.note = MapNote(self)
        self._fitted = False
        self._vectors = VectorLoader(self)
        self._vectors.loaded.connect(self._show_vector)
        read = self._vectors.load(self.base_map.vector)
        if read is not None:
            self._show_vector(*read)

    # -- the base map ----------------------------------------------------------------------------------------
    def _show_vector(self, vector: VectorMap, issues: list[ConfigIssue]) -> None:
        self.vector.remove_from(self.scene())
        self.vector, self.vector_issues = VectorLayer(vector), issues
        self.vector.add_to(self.scene())
        self.declutter()
        self.show_problems()

    def _tiles_arrived(self) -> None:
        if isinstance(self.layer, BackgroundPackLayer) and self.layer.fault is not None and not self._fault_told:
            self._fault_told = True
            self.show_problems()
        self.viewport().update()

    def problems(self) -> str:
        """What the note says: the map pack that cannot be used, the vector features that cannot be drawn."""
        lines = []
        layer = self.layer
        if isinstance(layer, BackgroundPackLayer) and layer.fault is not None:
            file = str(layer.path)
            lines.append(self.tr("The map pack {file} does not exist.").format(file=file) if not layer.path.is_file()
                         else self.tr("The map pack {file} cannot be read: it is not a usable MBTiles file.").format(
                             file=file))
        lines += issue_lines(self.tr("Part of the base map could not be drawn:"), self.vector_issues,
                             interface_language())
        return "\n".join(lines)

    def show_problems(self) -> None:
        self.note.say(self.problems(), self.viewport().width() - self.legend.width() - 3 * MARGIN_PX)

    def close_base_map(self) -> None:
        """The pack's thread ends (the window closes)."""
        if isinstance(self.layer, BackgroundPackLayer):
            self.layer.close()

    def declutter(self) -> None:
        """The vector map's names where they cover no marker, no name under one and no legend (else hidden)."""
        if not self.vector.labels:
            return
        transform = self.viewportTransform()
        frame: Box = (0.0, 0.0, float(self.viewport().width()), float(self.viewport().height()))
        taken = [_box(marker.deviceTransform(transform).mapRect(
            marker.boundingRect().united(marker.childrenBoundingRect()))) for marker in self.markers.values()]
        for corner in (self.legend, self.note):
            if corner.isVisible():
                taken.append(_box(QRectF(self.viewport().mapFrom(self, corner.pos()), corner.size().toSizeF())))
        self.vector.declutter(transform, self.transform().m11(), frame, taken)

    # -- communes --------------------------------------------------------------------------------------------

    def show_statuses(self, statuses: Iterable[CommuneStatus], at_ms: int) -> None:
        """Communes the province file does not list have no centre: the alert list shows them, the map cannot."""
        for status in statuses:
            marker = self.markers.get(status.id)
            if marker is not None:
                marker.show_status(status, at_ms)

    def province_rect(self) -> QRectF:
        points = [m.pos() for m in self.markers.values()] or [QPointF(0, 0)]
        xs, ys = [p.x() for p in points], [p.y() for p in points]
        rect = QRectF(min(xs), min(ys), max(xs) - min(xs), max(ys) - min(ys))
        grow_x, grow_y = max(0.0, MIN_SPAN_PX - rect.width()) / 2, max(0.0, MIN_SPAN_PX - rect.height()) / 2
        return rect.adjusted(-grow_x, -grow_y, grow_x, grow_y)

    def fit_province(self) -> None:
        rect = self.province_rect()
        margin = max(rect.width(), rect.height()) * FIT_MARGIN
        self.fitInView(rect.adjusted(-margin, -margin, margin, margin), Qt.AspectRatioMode.KeepAspectRatio)
        self.declutter()

    def marker_at(self, point: QPointF) -> CommuneMarker | None:
        item = self.itemAt(point.toPoint())
        while item is not None and not isinstance(item, CommuneMarker):
            item = item.parentItem()
        return item

    @qt_override
    def mousePressEvent(self, event: QMouseEvent) -> None:
        marker = self.marker_at(event.position())
        if marker is not None and event.button() == Qt.MouseButton.LeftButton:
            self.commune_clicked.emit(marker.commune.id)
            event.accept()
            return
        super().mousePressEvent(event)

    @qt_override
    def wheelEvent(self, event: QWheelEvent) -> None:
        steps = event.angleDelta().y() / 120
        if steps:
            factor = WHEEL_STEP ** steps
            scale = self.transform().m11() * factor
            if MIN_SCALE <= scale <= MAX_SCALE:
                self.scale(factor, factor)
                self.declutter()
        event.accept()

    @qt_override
    def scrollContentsBy(self, dx: int, dy: int) -> None:
        super().scrollContentsBy(dx, dy)
        self.declutter()  # the vector map's names find room again as the map pans

    @qt_override
    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._fitted:  # the first real size: the whole province in view
            self._fitted = True
            self.fit_province()

    @qt_override
    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.legend.place()
        if self.note.text():
            self.show_problems()
        if self._fitted:
            self.fit_province()

    @qt_override
    def drawBackground(self, painter: QPainter, rect: QRectF | QRect) -> None:
        self.layer.paint(painter, QRectF(rect), view_zoom(self.transform().m11()))


def _box(rect: QRectF) -> Box:
    return rect.left(), rect.top(), rect.right(), rect.bottom()
