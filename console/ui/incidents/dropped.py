"""Files dragged from the desktop's file manager (a USB stick's folder) onto the dock or the intake sheet."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QMimeData


def dropped_files(mime: QMimeData | None) -> list[Path]:
    """The local paths among the dragged URLs (a web address is no file to receive)."""
    if mime is None or not mime.hasUrls():
        return []
    return [Path(url.toLocalFile()) for url in mime.urls() if url.isLocalFile() and url.toLocalFile()]
