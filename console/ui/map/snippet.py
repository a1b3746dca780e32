"""A small picture of the offline map around one place, with a red dot on it and a scale bar: the case report's
map snippet. Drawn from what the console's map shows — the MBTiles pack, the georeferenced picture, the commune's
vector map — into a QImage only (no QPixmap, no scene), so any thread may call it (the case export's does).
None when none of them has anything at the place: the report then says so instead."""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QImage, QPainter, QPainterPath, QPen, QPolygonF

from console.core.config import MapConfig
from console.core.geo import TILE_PX, GeoPoint, metres_per_pixel, to_pixel
from console.core.vector_map import Kind, Shape, VectorMap, load_vector_map
from console.store.mbtiles import MapPackError, MBTiles
from console.ui.map.layers import NEUTRAL

log = logging.getLogger(__name__)

SNIPPET_SIZE = (900, 540)  # pixels; printed about 160 mm wide in the PDF (~140 dpi)
SNIPPET_ZOOM = 17  # ~1 m a pixel at 21° N: a street and its neighbours
MARKER_COLOR = QColor("#e03131")
MARKER_RADIUS_PX = 9
SCALE_CHOICES_M = (10, 20, 50, 100, 200, 500, 1000)
AREA_ALPHA = 150


@dataclass(frozen=True)
class MapSnippet:
    image: QImage
    marker: tuple[int, int]  # the red dot's centre in the picture: the place itself
    zoom: int


class _Canvas:
    """Pixel coordinates of the picture at one zoom, centred on the place."""

    def __init__(self, point: GeoPoint, zoom: int, size: tuple[int, int]) -> None:
        self.zoom, self.width, self.height = zoom, size[0], size[1]
        cx, cy = to_pixel(point, zoom)
        self.left, self.top = cx - self.width / 2, cy - self.height / 2

    def at(self, point: GeoPoint) -> QPointF:
        x, y = to_pixel(point, self.zoom)
        return QPointF(x - self.left, y - self.top)


def render_snippet(config: MapConfig, point: GeoPoint, size: tuple[int, int] = SNIPPET_SIZE,
                   zoom: int = SNIPPET_ZOOM) -> MapSnippet | None:
    """The map around `point`, or None when no offline map of the site's has data there (nothing is invented:
    a neutral background alone is no map)."""
    image = QImage(size[0], size[1], QImage.Format.Format_RGB32)
    image.fill(NEUTRAL)
    painter = QPainter(image)
    try:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        zoom = _pack_zoom(config, zoom)
        canvas = _Canvas(point, zoom, size)
        covered = _paint_pack(painter, config, canvas, point)
        covered = _paint_picture(painter, config, canvas, point) or covered
        covered = _paint_vector(painter, config, canvas) or covered
        if not covered:
            return None
        centre = canvas.at(point)
        _paint_marker(painter, centre)
        _paint_scale(painter, point, canvas)
    finally:
        painter.end()
    return MapSnippet(image, (round(centre.x()), round(centre.y())), zoom)


def _pack_zoom(config: MapConfig, wanted: int) -> int:
    """The snippet's zoom within what the pack holds (a pack made to zoom 16 is shown at 16, not stretched)."""
    if config.mbtiles is None:
        return wanted
    try:
        pack = MBTiles(config.mbtiles)
    except MapPackError:
        return wanted
    try:
        return max(pack.min_zoom, min(pack.max_zoom, wanted))
    finally:
        pack.close()


def _paint_pack(painter: QPainter, config: MapConfig, canvas: _Canvas, point: GeoPoint) -> bool:
    """The pack's tiles under the picture; True when the tile under the place itself is in the pack."""
    if config.mbtiles is None:
        return False
    try:
        pack = MBTiles(config.mbtiles)
    except MapPackError as exc:
        log.warning("map snippet: %s", exc)
        return False
    covered = False
    try:
        z = canvas.zoom
        last = 2 ** z - 1
        right, bottom = canvas.left + canvas.width, canvas.top + canvas.height
        x0, x1 = max(0, math.floor(canvas.left / TILE_PX)), min(last, math.floor(right / TILE_PX))
        y0, y1 = max(0, math.floor(canvas.top / TILE_PX)), min(last, math.floor(bottom / TILE_PX))
        px, py = to_pixel(point, z)
        here = (int(px // TILE_PX), int(py // TILE_PX))
        for x in range(x0, x1 + 1):
            for y in range(y0, y1 + 1):
                try:
                    data = pack.tile(z, x, y)
                except MapPackError as exc:
                    log.warning("map snippet: %s", exc)
                    continue
                tile = QImage.fromData(data) if data else QImage()
                if tile.isNull():
                    continue
                painter.drawImage(QRectF(x * TILE_PX - canvas.left, y * TILE_PX - canvas.top, TILE_PX, TILE_PX),
                                  tile)
                covered = covered or (x, y) == here
    finally:
        pack.close()
    return covered


def _paint_picture(painter: QPainter, config: MapConfig, canvas: _Canvas, point: GeoPoint) -> bool:
    """The scanned map stretched between its corners; True when the place is on it."""
    if config.image is None or config.image_bounds is None:
        return False
    west, south, east, north = config.image_bounds
    if not (west <= point.lon <= east and south <= point.lat <= north):
        return False
    picture = QImage(str(config.image))
    if picture.isNull():
        log.warning("map snippet: %s is not a readable picture", config.image)
        return False
    top_left, bottom_right = canvas.at(GeoPoint(north, west)), canvas.at(GeoPoint(south, east))
    painter.drawImage(QRectF(top_left, bottom_right), picture)
    return True


def _paint_vector(painter: QPainter, config: MapConfig, canvas: _Canvas) -> bool:
    """The commune's roads, boundary, villages, rivers and landmarks; True when any of them is in the picture."""
    if not config.vector:
        return False
    vector, _issues = load_vector_map(config.vector)  # the map view logs the issues already
    return _draw_vector(painter, vector, canvas)


def _draw_vector(painter: QPainter, vector: VectorMap, canvas: _Canvas) -> bool:
    seen = False
    frame = QRectF(0, 0, canvas.width, canvas.height)
    for feature in vector.features:
        style = feature.style
        points = [canvas.at(p) for part in feature.parts for p in part]
        xs, ys = [p.x() for p in points], [p.y() for p in points]
        extent = QRectF(QPointF(min(xs), min(ys)), QPointF(max(xs), max(ys))).adjusted(-1, -1, 1, 1)
        if not extent.intersects(frame):
            continue
        # Something drawn in the picture is map data there; the commune's outline only when the place is inside it.
        seen = seen or style.kind is not Kind.BOUNDARY or extent.contains(frame.center())
        if style.kind is Kind.LANDMARK:
            centre = canvas.at(feature.parts[0][0])
            half = style.width_px / 2
            painter.setPen(QPen(QColor("#ffffff"), 1.5))
            painter.setBrush(QColor(style.colour))
            painter.drawRoundedRect(QRectF(centre.x() - half, centre.y() - half, 2 * half, 2 * half), 2, 2)
            continue
        path = QPainterPath()
        for part in feature.parts:
            points = [canvas.at(p) for p in part]
            if feature.shape is Shape.AREA:
                path.addPolygon(QPolygonF(points))
                path.closeSubpath()
            else:
                path.moveTo(points[0])
                for p in points[1:]:
                    path.lineTo(p)
        if feature.shape is Shape.AREA:
            fill = QColor(style.fill or style.colour)
            fill.setAlpha(AREA_ALPHA)
            painter.setBrush(fill if style.fill else Qt.BrushStyle.NoBrush)
        else:
            painter.setBrush(Qt.BrushStyle.NoBrush)
        if style.casing:
            painter.setPen(_pen(style.casing, style.width_px + 2))
            painter.drawPath(path)
        painter.setPen(_pen(style.colour, style.width_px, style.dashed))
        painter.drawPath(path)
    return seen


def _pen(colour: str, width: float, dashed: bool = False) -> QPen:
    pen = QPen(QColor(colour), width)
    pen.setCapStyle(Qt.PenCapStyle.RoundCap)
    pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
    if dashed:
        pen.setStyle(Qt.PenStyle.DashLine)
    return pen


def _paint_marker(painter: QPainter, centre: QPointF) -> None:
    painter.setPen(QPen(QColor("#ffffff"), 3))
    painter.setBrush(MARKER_COLOR)
    painter.drawEllipse(centre, MARKER_RADIUS_PX, MARKER_RADIUS_PX)
    painter.setPen(QPen(MARKER_COLOR, 2))
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.drawEllipse(centre, MARKER_RADIUS_PX + 8, MARKER_RADIUS_PX + 8)


def _paint_scale(painter: QPainter, point: GeoPoint, canvas: _Canvas) -> None:
    per_px = metres_per_pixel(point.lat, canvas.zoom)
    metres = next((m for m in SCALE_CHOICES_M if m / per_px >= 100), SCALE_CHOICES_M[-1])
    length = metres / per_px
    left, bottom = 16.0, canvas.height - 16.0
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor(255, 255, 255, 215))
    painter.drawRoundedRect(QRectF(left - 8, bottom - 26, length + 16, 34), 4, 4)
    painter.setPen(QPen(QColor("#1b2430"), 2))
    painter.drawLine(QPointF(left, bottom), QPointF(left + length, bottom))
    for x in (left, left + length):
        painter.drawLine(QPointF(x, bottom - 6), QPointF(x, bottom + 1))
    painter.setFont(QFont("Noto Sans", 10))
    label = f"{metres // 1000} km" if metres >= 1000 else f"{metres} m"
    painter.drawText(QPointF(left + 4, bottom - 8), label)
