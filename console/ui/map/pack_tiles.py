"""An MBTiles pack for a map that must never wait for it: the pack opened, its tiles read and decoded on one
worker thread (newest request first), the map painting the tiles that have arrived and repainting as more do."""

from __future__ import annotations

import logging
import threading
from collections import OrderedDict
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QRectF
from PySide6.QtGui import QImage, QPainter, QPixmap

from console.store.mbtiles import MapPackError, MBTiles
from console.ui.map.layers import NEUTRAL, TileLayer, tile_range

log = logging.getLogger(__name__)

Key = tuple[int, int, int]

# A view far below the pack's lowest zoom would ask for thousands of its tiles: past this it stays neutral.
MAX_TILES_PAINTED = 400
MAX_WAITING = 256  # tiles asked and not yet read; the oldest (a view since left) are forgotten first


class BackgroundPackLayer(TileLayer):
    """Paints what has arrived; `ready` is called on the worker thread when a tile (or the pack's fault) is in."""

    name = "mbtiles"

    def __init__(self, path: Path, ready: Callable[[], None]) -> None:
        super().__init__()
        self.path = path
        self.ready = ready
        self.pack: MBTiles | None = None
        self.fault: MapPackError | None = None
        self._lock = threading.Lock()
        self._wake = threading.Condition(self._lock)
        self._waiting: OrderedDict[Key, None] = OrderedDict()
        self._arrived: dict[Key, QImage | None] = {}
        self._reading: Key | None = None
        self._closed = False
        threading.Thread(target=self._run, name="map pack", daemon=True).start()

    def load(self, key: Key) -> tuple[QPixmap | None, bool]:
        with self._lock:
            if key in self._arrived:
                image = self._arrived.pop(key)
                return (QPixmap.fromImage(image) if image is not None else None), True
            if key != self._reading:
                self._waiting[key] = None
                self._waiting.move_to_end(key)
                if len(self._waiting) > MAX_WAITING:
                    self._waiting.popitem(last=False)
                self._wake.notify()
        return None, False

    def paint(self, painter: QPainter, rect: QRectF, zoom: float) -> None:
        if self.pack is None:  # still opening, or it cannot be used
            painter.fillRect(rect, NEUTRAL)
            return
        columns, rows = tile_range(rect, self.tile_zoom(zoom))
        if len(columns) * len(rows) > MAX_TILES_PAINTED:
            painter.fillRect(rect, NEUTRAL)
            return
        super().paint(painter, rect, zoom)

    def close(self) -> None:
        with self._lock:
            self._closed = True
            self._wake.notify()

    # -- the worker thread -----------------------------------------------------------------------------------
    def _run(self) -> None:
        try:
            pack = MBTiles(self.path)
        except MapPackError as exc:
            log.error("map pack: %s", exc)
            self.fault = exc
            self._tell()
            return
        self.min_zoom, self.max_zoom = pack.min_zoom, pack.max_zoom
        self.pack = pack
        self._tell()
        while (key := self._next()) is not None:
            try:
                data = pack.tile(*key)
            except MapPackError as exc:
                log.warning("%s", exc)
                data = None
            image = QImage.fromData(data) if data else None
            with self._lock:
                self._arrived[key] = image if image is not None and not image.isNull() else None
                self._reading = None
            self._tell()
        pack.close()

    def _next(self) -> Key | None:
        with self._lock:
            while not self._waiting and not self._closed:
                self._wake.wait()
            if self._closed:
                return None
            self._reading = self._waiting.popitem(last=True)[0]
            return self._reading

    def _tell(self) -> None:
        if not self._closed:
            self.ready()
