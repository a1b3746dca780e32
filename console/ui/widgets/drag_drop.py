"""What is dragged between the camera tree, the map and the wall's tiles (MIME types carrying ids)."""

from __future__ import annotations

from PySide6.QtCore import QMimeData

CAMERA_MIME = "application/x-camera-console-camera"  # a camera id: tree or map → a tile
TILE_MIME = "application/x-camera-console-tile"  # a tile's index: tile → tile (swap)


def camera_mime(camera_id: str) -> QMimeData:
    mime = QMimeData()
    mime.setData(CAMERA_MIME, camera_id.encode())
    return mime


def dropped_camera(mime: QMimeData) -> str | None:
    return bytes(mime.data(CAMERA_MIME).data()).decode() if mime.hasFormat(CAMERA_MIME) else None
