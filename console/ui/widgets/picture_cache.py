"""Pictures decoded straight at the size shown, the most recent kept: the alarm list's and the incidents' thumbnails.

Not `QPixmap(path)`: that keeps every full-size picture it loads in Qt's process-wide QPixmapCache too (10 MB of
640×360 snapshots after a dozen alerts, never given back), and decodes all the pixels only to throw most away.
"""

from __future__ import annotations

from collections import OrderedDict
from pathlib import Path

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QImageReader, QPixmap

PICTURE_CACHE = 200


class PictureCache:
    """Pictures decoded at the size shown, most recent kept (a dock redrawn often reads no file twice)."""

    def __init__(self, limit: int = PICTURE_CACHE) -> None:
        self._limit = limit
        self._kept: OrderedDict[tuple[Path, int, int], QPixmap] = OrderedDict()

    def get(self, path: Path, size: QSize) -> QPixmap | None:
        key = (path, size.width(), size.height())
        if key in self._kept:
            self._kept.move_to_end(key)
            return self._kept[key]
        picture = scaled_picture(path, size)
        if picture is None:
            return None  # not kept: a picture still being written is read again next time
        self._kept[key] = picture
        if len(self._kept) > self._limit:
            self._kept.popitem(last=False)
        return picture


def scaled_picture(path: Path, size: QSize) -> QPixmap | None:
    """The picture decoded straight at `size` (aspect kept); None when it cannot be read."""
    reader = QImageReader(str(path))
    found = reader.size()
    if not found.isValid() or found.isEmpty():
        return None
    reader.setScaledSize(found.scaled(size, Qt.AspectRatioMode.KeepAspectRatio))
    image = reader.read()
    return None if image.isNull() else QPixmap.fromImage(image)
