"""A FrameSource without RTSP (the dummy backend of the tile's stream controller): feeds that deliver a picture
when the test says so, and remember what was opened, resized and closed."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from console.core.config import StreamKind
from console.media.display import VideoImage, fit

SOURCE_SIZES = {StreamKind.MAIN: (1920, 1080), StreamKind.SUB: (640, 360)}


def picture(kind: StreamKind, box: tuple[int, int], grey: int = 128) -> VideoImage:
    src_w, src_h = SOURCE_SIZES[kind]
    width, height = fit(*box, src_w, src_h)
    now = time.monotonic()
    return VideoImage(np.full(width * height * 4, grey, np.uint8), width, height, width * 4, src_w, src_h,
                      now, now, now, True)


@dataclass
class FakeFeed:
    camera_id: str
    kind: StreamKind
    box: tuple[int, int]
    notify: Callable[[], None]
    frames: int = 0
    closed: bool = False
    waiting: list[VideoImage] = field(default_factory=list)

    def resize(self, width: int, height: int) -> None:
        self.box = (width, height)

    def take(self) -> VideoImage | None:
        if not self.waiting:
            return None
        self.frames += 1
        return self.waiting.pop()

    def close(self) -> None:
        self.closed = True

    def deliver(self, grey: int = 128) -> None:
        """A decoded picture arrives (as the pool's decoder would hand one over)."""
        assert not self.closed, f"{self.camera_id}/{self.kind.value}: delivered after close"
        self.waiting = [picture(self.kind, self.box, grey)]
        self.notify()


@dataclass
class FakeFrames:
    opened: list[FakeFeed] = field(default_factory=list)

    def open(self, camera_id: str, kind: StreamKind, width: int, height: int,
             notify: Callable[[], None]) -> FakeFeed:
        feed = FakeFeed(camera_id, kind, (width, height), notify)
        self.opened.append(feed)
        return feed

    def live(self) -> list[FakeFeed]:
        return [f for f in self.opened if not f.closed]
