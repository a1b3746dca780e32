"""The first picture and the duration of a video file (PyAV), for forms: one keyframe decoded, ~ms."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

import av
from PySide6.QtGui import QImage

log = logging.getLogger(__name__)

STILL_WIDTH = 480  # pixels of the picture kept for the form (printed ~80 mm wide at 150 dpi)


@dataclass(frozen=True)
class VideoStill:
    image: QImage | None  # None: the file has no decodable picture
    duration_ms: int | None  # None: the container does not say


def read_still(path: Path, width: int = STILL_WIDTH) -> VideoStill:
    """Decode the file's first picture, scaled to `width`; any thread (QImage is reentrant, PyAV drops the GIL)."""
    try:
        with av.open(str(path)) as container:
            duration = container.duration * 1000 // av.time_base if container.duration is not None else None
            stream = container.streams.video[0]
            stream.thread_count = 1
            for frame in container.decode(stream):
                height = max(2, round(frame.height * width / frame.width / 2) * 2)
                rgb = frame.reformat(width=width, height=height, format="rgb24").to_ndarray()
                image = QImage(rgb.data, width, height, rgb.strides[0], QImage.Format.Format_RGB888).copy()
                return VideoStill(image, duration)
            return VideoStill(None, duration)
    except (av.FFmpegError, IndexError, OSError) as exc:
        log.warning("no picture read from %s: %s", path, exc)
        return VideoStill(None, None)
