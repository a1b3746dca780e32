"""The one hand-off from a media thread to the GUI: a latest-frame slot plus a queued Qt signal."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QImage

from console.core.config import StreamKind
from console.media.display import FrameView, VideoImage
from console.media.pool import StreamPool


def to_qimage(image: VideoImage) -> QImage:
    """Wrap the BGRA pixels without copying (the caller keeps `image` alive while the QImage lives)."""
    return QImage(image.pixels.data, image.width, image.height, image.stride, QImage.Format.Format_RGB32)


class Feed(QObject):
    """One tile's subscription to one camera stream; `ready` fires on the GUI thread when a frame waits."""

    ready = Signal()

    def __init__(self, pool: StreamPool, camera_id: str, kind: StreamKind) -> None:
        # No Qt parent and no deleteLater: a decoder thread may hold `ready.emit` for one more frame after
        # the tile lets go, so the object lives as long as Python references it.
        super().__init__()
        self.pool = pool
        self.camera_id = camera_id
        self.kind = kind
        self.view = FrameView(self.ready.emit)
        self.frames = 0
        self._open = False

    def open(self, width: int, height: int) -> None:
        self.view.set_box(width, height)
        if not self._open:
            self._open = True
            self.pool.watch(self.camera_id, self.kind, self.view)

    def resize(self, width: int, height: int) -> None:
        self.view.set_box(width, height)

    def close(self) -> None:
        if self._open:
            self._open = False
            self.pool.unwatch(self.camera_id, self.kind, self.view)
        self.view.close()

    def take(self) -> VideoImage | None:
        image = self.view.take()
        if image is not None:
            self.frames += 1
        return image


def connect_feed(feed: Feed, slot: object) -> None:
    feed.ready.connect(slot, Qt.ConnectionType.QueuedConnection)


class PoolFrames:
    """The console's FrameSource: feeds from the stream pool, their pictures announced on the GUI thread."""

    def __init__(self, pool: StreamPool) -> None:
        self.pool = pool

    def open(self, camera_id: str, kind: StreamKind, width: int, height: int,
             notify: Callable[[], None]) -> Feed:
        feed = Feed(self.pool, camera_id, kind)
        connect_feed(feed, notify)
        feed.open(width, height)
        return feed
