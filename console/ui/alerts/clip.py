"""A short clip around an alert from its camera's recording (decoded off the GUI thread), shown as a loop."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import QLabel, QWidget

from console.media.still import StillDecoder
from console.media.vlc_input import KeyframeFinder
from console.store.recordings import index_opener

CLIP_BEFORE_MS = 3000
CLIP_AFTER_MS = 5000
CLIP_STEP_MS = 200  # 5 pictures a second: enough to see what moved, 40 pictures decoded in ~0.2 s
CLIP_SIZE = (320, 180)


@dataclass(frozen=True)
class ClipSource:
    """Where an alert's recording is: the recordings folder and the database holding their index."""

    recordings: Path
    database: Path


def clip_frames(source: ClipSource, camera_id: str, at_ms: int, size: tuple[int, int] = CLIP_SIZE) -> list[QImage]:
    """The pictures from `CLIP_BEFORE_MS` before to `CLIP_AFTER_MS` after the moment, where recorded. Blocking
    (file reads and decoding): call it on a worker, which opens its own connection to the index."""
    index = index_opener(source.database)()
    try:
        start, end = at_ms - CLIP_BEFORE_MS, at_ms + CLIP_AFTER_MS
        segments = index.segments(camera_id, start, end)
        if not segments:
            return []
        decoder = StillDecoder(source.recordings, KeyframeFinder(source.recordings, index.keyframes), size)
        frames: list[QImage] = []
        try:
            for moment in range(start, end, CLIP_STEP_MS):
                segment = next((s for s in segments if s.start_ms <= moment < s.end_ms), None)
                still = decoder.frame_at(segment, moment - segment.start_ms) if segment is not None else None
                if still is not None:
                    width, height = size
                    frames.append(QImage(still.pixels.data, width, height, width * 4,
                                         QImage.Format.Format_RGB32).copy())
        finally:
            decoder.close()
        return frames
    finally:
        index.close()


class ClipView(QLabel):
    """The clip's pictures in a loop at their own pace; a sentence while loading or when nothing was recorded."""

    def __init__(self, waiting: str, parent: QWidget | None = None) -> None:
        super().__init__(waiting, parent)
        self.setObjectName("alertClip")
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setWordWrap(True)
        self.setFixedSize(*CLIP_SIZE)
        self.setStyleSheet("QLabel#alertClip { background: #202020; color: #e0e0e0; }")
        self.frames: list[QImage] = []
        self.shown = 0  # pictures shown so far (tests: it plays)
        self._timer = QTimer(self)
        self._timer.setInterval(CLIP_STEP_MS)
        self._timer.timeout.connect(self._next)

    def play(self, frames: list[QImage], nothing: str) -> None:
        self.frames = frames
        if not frames:
            self.setText(nothing)
            return
        self._next()
        self._timer.start()

    def _next(self) -> None:
        self.setPixmap(QPixmap.fromImage(self.frames[self.shown % len(self.frames)]))
        self.shown += 1
