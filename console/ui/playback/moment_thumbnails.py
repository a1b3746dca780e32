"""Small pictures of a camera's recording at given moments (the motion search's list), decoded on one worker thread
of their own — only the moments asked last (the rows on screen), newest ask first — and kept in a small cache."""

from __future__ import annotations

import contextlib
import logging
import threading
from collections import OrderedDict
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QImage

from console.media.still import StillDecoder
from console.media.vlc_input import KeyframeFinder
from console.store.recordings import RecordingIndex, index_opener

THUMB_SIZE = (160, 90)  # 16:9, as the cameras; wide enough for a stamp to be read back in the tests
CACHE_PICTURES = 240  # ~14 MB at most (160×90×4 bytes each): a few screens of the list, scrolled back and forth

log = logging.getLogger(__name__)


class MomentThumbnails(QObject):
    """`ask(moments)` replaces what the worker is still to decode; `ready(ms, QImage)` for each one decoded (a null
    QImage where nothing was recorded then). `close()` stops the worker; any thread may ask, `ready` is queued."""

    ready = Signal(object, QImage)  # the moment (epoch ms: beyond a C int), its picture

    def __init__(self, recordings: Path, database: Path, camera_id: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.recordings, self.camera_id = recordings, camera_id
        self._open_index = index_opener(database)
        self._cache: OrderedDict[int, QImage] = OrderedDict()
        self._wanted: list[int] = []
        self._lock = threading.Condition()
        self._closed = False
        self.decoded = 0  # pictures decoded so far (tests: the cache spares a second decode)
        self._thread = threading.Thread(target=self._run, name=f"moment thumbnails {camera_id}", daemon=True)
        self._thread.start()

    def cached(self, at_ms: int) -> QImage | None:
        with self._lock:
            image = self._cache.get(at_ms)
            if image is not None:
                self._cache.move_to_end(at_ms)
            return image

    def ask(self, moments: Sequence[int]) -> None:
        with self._lock:
            self._wanted = [m for m in moments if m not in self._cache]
            self._lock.notify()

    def close(self) -> None:
        with self._lock:
            self._closed = True
            self._wanted = []
            self._lock.notify()

    def join(self, timeout_s: float = 5.0) -> None:
        self._thread.join(timeout_s)

    def _next(self) -> int | None:
        with self._lock:
            while not self._wanted and not self._closed:
                self._lock.wait()
            return None if self._closed else self._wanted.pop(0)

    def _run(self) -> None:
        index: RecordingIndex | None = None
        decoder: StillDecoder | None = None
        try:
            index = self._open_index()
            decoder = StillDecoder(self.recordings, KeyframeFinder(self.recordings, index.keyframes), THUMB_SIZE)
            while (at_ms := self._next()) is not None:
                image = self._decode(index, decoder, at_ms)
                with self._lock:
                    self._cache[at_ms] = image
                    while len(self._cache) > CACHE_PICTURES:
                        self._cache.popitem(last=False)
                with contextlib.suppress(RuntimeError):  # the dialog went away meanwhile: nobody to show it to
                    self.ready.emit(at_ms, image)
        except Exception:
            log.exception("motion search thumbnails of %s stopped", self.camera_id)
        finally:
            if decoder is not None:
                decoder.close()
            if index is not None:
                index.close()

    def _decode(self, index: RecordingIndex, decoder: StillDecoder, at_ms: int) -> QImage:
        segment = index.at(self.camera_id, at_ms)
        if segment is None or not segment.start_ms <= at_ms < segment.end_ms:
            return QImage()
        still = decoder.frame_at(segment, at_ms - segment.start_ms)
        if still is None:
            return QImage()
        self.decoded += 1
        width, height = THUMB_SIZE
        return QImage(still.pixels.data, width, height, width * 4, QImage.Format.Format_RGB32).copy()
