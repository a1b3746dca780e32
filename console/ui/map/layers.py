"""Base layers of the map, all offline: an MBTiles pack (tiles decoded once and kept in memory), a
georeferenced image placed by its corners, or — with neither — a neutral background that says so.

Scene coordinates are Web Mercator pixels at zoom SCENE_ZOOM; the view scales them to the shown zoom.
"""

from __future__ import annotations

import logging
import math
from collections import OrderedDict

from PySide6.QtCore import QCoreApplication, QRectF
from PySide6.QtGui import QColor, QPainter, QPixmap

from console.core.config import MapConfig
from console.core.geo import TILE_PX, GeoPoint, to_pixel
from console.media.osm_tiles import OsmTiles
from console.store.mbtiles import MapPackError, MBTiles

log = logging.getLogger(__name__)

SCENE_ZOOM = 20
TILE_CACHE = 768  # decoded tiles kept (≈ 200 MB at most for 256×256 RGB32; usually far fewer are seen)
NEUTRAL = QColor("#eef1f4")
GRID = QColor("#dde2e8")


def scene_point(point: GeoPoint) -> tuple[float, float]:
    return to_pixel(point, SCENE_ZOOM)


def view_zoom(scale: float) -> float:
    """The map zoom a view shows at `scale` view pixels per scene pixel."""
    return SCENE_ZOOM + math.log2(scale)


def tile_size(z: int) -> float:
    """One tile of zoom `z` in scene units."""
    return TILE_PX * 2.0 ** (SCENE_ZOOM - z)


def tile_range(rect: QRectF, z: int) -> tuple[range, range]:
    """The columns and rows of zoom `z`'s tiles that cover the scene rectangle."""
    size, last = tile_size(z), 2 ** z - 1
    x0, x1 = max(0, math.floor(rect.left() / size)), min(last, math.floor(rect.right() / size))
    y0, y1 = max(0, math.floor(rect.top() / size)), min(last, math.floor(rect.bottom() / size))
    return range(x0, x1 + 1), range(y0, y1 + 1)


class BaseLayer:
    """Paints the map's background for a scene rectangle at a zoom; says what it shows."""

    name = "none"
    error: str | None = None

    def paint(self, painter: QPainter, rect: QRectF, zoom: float) -> None:
        painter.fillRect(rect, NEUTRAL)

    def note(self) -> str | None:
        return None


class NeutralLayer(BaseLayer):
    """No base map installed: a light background and a note in plain words (never invented streets, never the
    site file's syntax: the officer is not expected to edit it)."""

    def __init__(self, error: str | None = None) -> None:
        self.error = error  # a whole sentence in the interface language: which file, what is wrong

    def paint(self, painter: QPainter, rect: QRectF, zoom: float) -> None:
        painter.fillRect(rect, NEUTRAL)

    def note(self) -> str:
        text = QCoreApplication.translate(
            "Map", "No base map is installed. An administrator can add one with Map → Add a map…")
        return f"{text}\n{self.error}" if self.error else text


class TileLayer(BaseLayer):
    """Square 256-px tiles from some source; decoded tiles kept in memory (least recently used dropped)."""

    name = "tiles"
    min_zoom, max_zoom = 0, 19

    def __init__(self) -> None:
        self._cache: OrderedDict[tuple[int, int, int], QPixmap | None] = OrderedDict()
        self.hits = 0
        self.misses = 0

    def tile_zoom(self, zoom: float) -> int:
        return max(self.min_zoom, min(self.max_zoom, round(zoom)))

    def tile_bytes(self, key: tuple[int, int, int]) -> bytes | None:
        raise NotImplementedError

    def remember(self, key: tuple[int, int, int]) -> bool:
        """Whether a missing tile is final (a pack) or may still arrive (online: not cached, try again)."""
        return True

    def load(self, key: tuple[int, int, int]) -> tuple[QPixmap | None, bool]:
        """The tile decoded (None: there is none), and whether that answer is final (kept in the cache)."""
        data = self.tile_bytes(key)
        pixmap: QPixmap | None = None
        if data:
            pixmap = QPixmap()
            if not pixmap.loadFromData(data):
                pixmap = None
        return pixmap, pixmap is not None or self.remember(key)

    def _pixmap(self, key: tuple[int, int, int]) -> QPixmap | None:
        if key in self._cache:
            self.hits += 1
            self._cache.move_to_end(key)
            return self._cache[key]
        self.misses += 1
        pixmap, final = self.load(key)
        if final:
            self._cache[key] = pixmap
            if len(self._cache) > TILE_CACHE:
                self._cache.popitem(last=False)
        return pixmap

    def paint(self, painter: QPainter, rect: QRectF, zoom: float) -> None:
        painter.fillRect(rect, NEUTRAL)
        z = self.tile_zoom(zoom)
        size = tile_size(z)
        columns, rows = tile_range(rect, z)
        for x in columns:
            for y in rows:
                pixmap = self._pixmap((z, x, y))
                if pixmap is not None:
                    painter.drawPixmap(QRectF(x * size, y * size, size, size), pixmap, QRectF(pixmap.rect()))

    def hit_ratio(self) -> float:
        total = self.hits + self.misses
        return self.hits / total if total else 0.0


class PackLayer(TileLayer):
    """An MBTiles pack read straight from its SQLite file."""

    name = "mbtiles"

    def __init__(self, pack: MBTiles) -> None:
        super().__init__()
        self.pack = pack
        self.min_zoom, self.max_zoom = pack.min_zoom, pack.max_zoom

    def tile_bytes(self, key: tuple[int, int, int]) -> bytes | None:
        try:
            return self.pack.tile(*key)
        except MapPackError as exc:
            log.warning("%s", exc)
            return None


class OnlineLayer(TileLayer):
    """OpenStreetMap tiles from the disk cache, fetched in the background when missing (opt-in)."""

    name = "osm"

    def __init__(self, tiles: OsmTiles) -> None:
        super().__init__()
        self.tiles = tiles

    def tile_bytes(self, key: tuple[int, int, int]) -> bytes | None:
        data = self.tiles.cached(key)
        if data is None:
            self.tiles.request(key)
        return data

    def remember(self, key: tuple[int, int, int]) -> bool:
        return False

    def note(self) -> str:
        return QCoreApplication.translate("Map", "Map data © OpenStreetMap contributors")


class ImageLayer(BaseLayer):
    """A scanned commune map or an orthophoto, stretched between its corners (small areas: Mercator ≈ linear)."""

    name = "image"

    def __init__(self, picture: QPixmap, bounds: tuple[float, float, float, float]) -> None:
        west, south, east, north = bounds
        left, top = scene_point(GeoPoint(north, west))
        right, bottom = scene_point(GeoPoint(south, east))
        self.picture = picture
        self.rect = QRectF(left, top, right - left, bottom - top)

    def paint(self, painter: QPainter, rect: QRectF, zoom: float) -> None:
        painter.fillRect(rect, NEUTRAL)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        painter.drawPixmap(self.rect, self.picture, QRectF(self.picture.rect()))


def base_layer(config: MapConfig, online: OsmTiles | None = None) -> BaseLayer:
    """The best offline layer the site config names; online tiles only if it asks for them (and `online` is
    given); a clear note instead when none can be used."""
    if config.mbtiles is not None:
        try:
            return PackLayer(MBTiles(config.mbtiles))
        except MapPackError as exc:
            log.error("map pack: %s", exc)
            return NeutralLayer(QCoreApplication.translate("Map", "The map pack could not be read: {error}").format(
                error=str(exc)))
    if config.image is not None and config.image_bounds is not None:
        picture = QPixmap(str(config.image))
        if not picture.isNull():
            return ImageLayer(picture, config.image_bounds)
        log.error("map image: %s is not a readable picture", config.image)
        return NeutralLayer(QCoreApplication.translate("Map", "The map picture {file} cannot be read.").format(
            file=str(config.image)))
    if config.online_osm and online is not None:
        return OnlineLayer(online)
    return NeutralLayer()
