"""Pictures encoded in memory (JPEG for alert snapshots, data URLs for tooltips): no file, no folder."""

from __future__ import annotations

import base64

from PySide6.QtCore import QBuffer, QByteArray, QIODevice
from PySide6.QtGui import QImage

JPEG_QUALITY = 85


def encoded(picture: QImage, kind: str = "JPG", quality: int = JPEG_QUALITY) -> bytes:
    """The picture as an encoded file's bytes (b"" when Qt cannot encode it)."""
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    picture.save(buffer, kind, quality)  # type: ignore[call-overload]  # the stubs say bytes; PySide takes str only
    buffer.close()
    return bytes(data.data())


def data_url(picture: QImage) -> str:
    """A `data:` URL of the picture as JPEG, for an <img> in rich text (Qt's QTextDocument reads it)."""
    return "data:image/jpeg;base64," + base64.b64encode(encoded(picture)).decode("ascii")
