"""Offline raster map packs in MBTiles (one SQLite file, the department makes it with ordinary tools):
tiles read straight from the file, read-only, rows flipped from TMS. A damaged pack is a clear error."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

from console.core.geo import tms_row


class MapPackError(Exception):
    """The pack cannot be used; the message names the file and what is wrong (shown to the officer)."""


class MBTiles:
    def __init__(self, path: Path) -> None:
        self.path = path
        if not path.is_file():
            raise MapPackError(f"{path}: file not found")
        try:
            self._conn = sqlite3.connect(f"file:{path}?mode=ro&immutable=1", uri=True, check_same_thread=False)
            tables = {r[0] for r in self._conn.execute(
                "SELECT name FROM sqlite_master WHERE type IN ('table', 'view')")}
            if not {"tiles", "metadata"} <= tables:
                raise MapPackError(f"{path}: not an MBTiles pack (no tiles/metadata table)")
            self.metadata = {str(k): str(v) for k, v in self._conn.execute("SELECT name, value FROM metadata")}
            zooms = self._conn.execute("SELECT min(zoom_level), max(zoom_level) FROM tiles").fetchone()
        except sqlite3.DatabaseError as exc:
            raise MapPackError(f"{path}: not a readable SQLite file ({exc})") from None
        if zooms[0] is None:
            raise MapPackError(f"{path}: the pack holds no tiles")
        self.min_zoom, self.max_zoom = int(zooms[0]), int(zooms[1])
        self.format = self.metadata.get("format", "png")
        self._lock = threading.Lock()

    def tile(self, zoom: int, x: int, y: int) -> bytes | None:
        """The tile at XYZ (OSM numbering, y down), or None where the pack has none."""
        try:
            with self._lock:
                row = self._conn.execute(
                    "SELECT tile_data FROM tiles WHERE zoom_level = ? AND tile_column = ? AND tile_row = ?",
                    [zoom, x, tms_row(y, zoom)]).fetchone()
        except sqlite3.DatabaseError as exc:
            raise MapPackError(f"{self.path}: damaged ({exc})") from None
        return bytes(row[0]) if row else None

    def bounds(self) -> tuple[float, float, float, float] | None:
        """(west, south, east, north) from the metadata, if given."""
        try:
            west, south, east, north = (float(v) for v in self.metadata["bounds"].split(","))
        except (KeyError, ValueError):
            return None
        return west, south, east, north

    def close(self) -> None:
        self._conn.close()
