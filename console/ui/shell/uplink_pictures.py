"""The live pictures the province asks for, from the console's latest decoded picture: the one a tile of the wall
shows, else one picture from the camera's sub stream (a feed opened for it, closed again once it came).

Asked from the uplink's network thread (`request`, any thread); the wall and the stream pool are read on the GUI
thread only (a queued signal gets there); scaling and the RGB copy run on a thread of their own, so the GUI
thread only takes a reference to a picture it already has.
"""

from __future__ import annotations

import concurrent.futures
import threading
from collections.abc import Callable

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtGui import QImage

from console.core.config import StreamKind
from console.core.vntime import now_ms
from console.media.pool import StreamPool
from console.ui.live.feed import Feed, connect_feed, to_qimage
from console.uplink.snapshot import LivePicture

PICTURE_BOX = (640, 360)  # the feed's decoder scales to this: the uplink's JPEG is ≤ 640 wide anyway
FEED_TIMEOUT_MS = 4000  # under the desk's 5 s wait for the picture

PictureFuture = concurrent.futures.Future[LivePicture | None]


def rgb_picture(camera: str, image: QImage, taken_ms: int) -> LivePicture:
    """A QImage as the uplink's RGB picture, at most PICTURE_BOX (any thread: QImage is reentrant)."""
    if image.width() > PICTURE_BOX[0] or image.height() > PICTURE_BOX[1]:
        image = image.scaled(*PICTURE_BOX, Qt.AspectRatioMode.KeepAspectRatio,
                             Qt.TransformationMode.SmoothTransformation)
    rgb = image.convertToFormat(QImage.Format.Format_RGB888)
    width, height, stride = rgb.width(), rgb.height(), rgb.bytesPerLine()
    data = bytes(rgb.constBits())
    rows = data if stride == width * 3 else b"".join(data[y * stride:y * stride + width * 3] for y in range(height))
    return LivePicture(camera, rows, width, height, taken_ms)


class LivePictures(QObject):
    """`request(camera)` → a future of the camera's live picture (None when none comes within FEED_TIMEOUT_MS)."""

    _asked = Signal(str, object)

    def __init__(self, shown: Callable[[str], QImage | None], pool: StreamPool | None,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._shown = shown
        self._pool = pool
        self._feeds: list[Feed] = []
        self._closed = False
        self._asked.connect(self._take, Qt.ConnectionType.QueuedConnection)

    def request(self, camera: str) -> PictureFuture:
        future: PictureFuture = concurrent.futures.Future()
        if self._closed:  # the window is going: no picture any more
            future.set_result(None)
        else:
            self._asked.emit(camera, future)
        return future

    def _take(self, camera: str, future: PictureFuture) -> None:
        picture = self._shown(camera)
        if picture is not None:
            self._convert(camera, picture, future)
        elif self._pool is not None:
            self._open_feed(camera, future)
        else:
            future.set_result(None)

    def _open_feed(self, camera: str, future: PictureFuture) -> None:
        assert self._pool is not None
        feed = Feed(self._pool, camera, StreamKind.SUB)
        self._feeds.append(feed)

        def arrived() -> None:
            image = feed.take()
            if image is not None and self._close(feed):
                self._convert(camera, to_qimage(image).copy(), future)  # copied: the feed's pixels go with it

        def expired() -> None:
            if self._close(feed) and not future.done():
                future.set_result(None)

        connect_feed(feed, arrived)
        feed.open(*PICTURE_BOX)
        QTimer.singleShot(FEED_TIMEOUT_MS, self, expired)

    def _close(self, feed: Feed) -> bool:
        if feed not in self._feeds:
            return False
        self._feeds.remove(feed)
        feed.close()
        return True

    def _convert(self, camera: str, picture: QImage, future: PictureFuture) -> None:
        taken = now_ms()

        def convert() -> None:
            try:
                future.set_result(rgb_picture(camera, picture, taken))
            except Exception as exc:  # the uplink logs it and refuses the request
                future.set_exception(exc)

        threading.Thread(target=convert, name="uplink-picture", daemon=True).start()

    def close(self) -> None:
        """No more feeds (at exit, before the pool stops) and no more pictures."""
        self._closed = True
        for feed in list(self._feeds):
            self._close(feed)
