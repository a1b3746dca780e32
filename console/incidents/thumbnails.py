"""The thumbnail strip of a received video: a few JPEGs spread over its length, taken from the pictures the
working copy decodes anyway (no second pass over the file, no seeking in a file that may be damaged)."""

from __future__ import annotations

from pathlib import Path

import av
from PIL import Image

THUMBNAIL_COUNT = 8
THUMBNAIL_WIDTH = 320  # px; the height follows the picture (portrait phone videos are taller than wide)
JPEG_QUALITY = 85
UNKNOWN_LENGTH_STEP_MS = 1000  # without a duration: one picture a second from the start


class ThumbnailStrip:
    """Fed every upright picture with its moment (ms from the start); writes 01.jpg, 02.jpg, … into `folder`."""

    def __init__(self, folder: Path, duration_ms: int | None, count: int = THUMBNAIL_COUNT) -> None:
        self.folder = folder
        self._count = count
        if duration_ms and duration_ms > 0:
            self._moments = [round(duration_ms * (i + 0.5) / count) for i in range(count)]
        else:
            self._moments = [i * UNKNOWN_LENGTH_STEP_MS for i in range(count)]
        self._written: list[Path] = []
        self._last: av.VideoFrame | None = None

    def offer(self, at_ms: int, frame: av.VideoFrame) -> None:
        self._last = frame
        if len(self._written) < len(self._moments) and at_ms >= self._moments[len(self._written)]:
            self._save(frame)

    def finish(self) -> list[Path]:
        """The pictures written; the last picture stands for a moment past the end (a duration overstated)."""
        if self._last is not None and len(self._written) < len(self._moments):
            self._save(self._last)
        self._last = None
        return list(self._written)

    def _save(self, frame: av.VideoFrame) -> None:
        width = min(THUMBNAIL_WIDTH, frame.width)
        height = max(2, round(frame.height * width / frame.width))
        picture = Image.fromarray(frame.reformat(width=width, height=height, format="rgb24").to_ndarray())
        self.folder.mkdir(parents=True, exist_ok=True)
        path = self.folder / f"{len(self._written) + 1:02d}.jpg"
        picture.save(path, "JPEG", quality=JPEG_QUALITY)
        self._written.append(path)
