"""Facts for `benchmarks/latency.py`, written by the console itself once a second (hidden --bench-report).

Where every tile's picture is on the screen (the benchmark reads the timestamps there, from the X server),
how many frames each tile painted, where each camera's row of the camera tree is (the benchmark drags cameras
from there onto tiles), and the longest the GUI thread went without running its event loop.
"""

from __future__ import annotations

import gc
import json
import os
import time
from pathlib import Path

from PySide6.QtCore import QObject, QTimer

from console.ui.live.camera_tree import CameraTree
from console.ui.live.wall import LiveWall

WATCH_INTERVAL_MS = 10
REPORT_INTERVAL_MS = 1000


class EventLoopWatch(QObject):
    """Measures how late a 10 ms timer fires (the GUI thread was busy or waiting for the GIL), and the
    longest garbage collection (which holds the GIL, whichever thread runs it)."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.max_block_ms = 0.0  # since the last report: the benchmark keeps only its measuring window
        self.max_gc_ms = 0.0
        self._gc_started = 0.0
        self._last = time.monotonic()
        self._timer = QTimer(self)
        self._timer.timeout.connect(self._tick)
        self._timer.start(WATCH_INTERVAL_MS)
        gc.callbacks.append(self._gc)

    def _gc(self, phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            self._gc_started = time.perf_counter()
        else:
            self.max_gc_ms = max(self.max_gc_ms, (time.perf_counter() - self._gc_started) * 1000)

    def _tick(self) -> None:
        now = time.monotonic()
        self.max_block_ms = max(self.max_block_ms, (now - self._last) * 1000 - WATCH_INTERVAL_MS)
        self._last = now

    def reset(self) -> None:
        self.max_block_ms = self.max_gc_ms = 0.0
        self._last = time.monotonic()


class BenchReport(QObject):
    def __init__(self, wall: LiveWall, path: Path, parent: QObject | None = None,
                 tree: CameraTree | None = None) -> None:
        super().__init__(parent)
        self._wall = wall
        self._tree = tree
        self._path = path
        self.watch = EventLoopWatch(self)
        self._timer = QTimer(self)
        self._timer.timeout.connect(self.write)
        self._timer.start(REPORT_INTERVAL_MS)

    def write(self) -> None:
        tiles = []
        for tile in self._wall.tiles:
            rect = tile.video_rect_global()
            tiles.append({"camera": tile.camera_id, "x": rect.x(), "y": rect.y(), "w": rect.width(),
                          "h": rect.height(), "frames": tile.frames_shown,
                          "stream": tile.stream_kind.value if tile.stream_kind else None})
        data = {"time": time.time(), "gui_block_max_ms": round(self.watch.max_block_ms, 1),
                "gc_max_ms": round(self.watch.max_gc_ms, 1), "tiles": tiles,
                "tree": {camera: [r.x(), r.y(), r.width(), r.height()]
                         for camera, r in (self._tree.visible_item_rects() if self._tree is not None and
                                           self._tree.isVisible() else {}).items()}}
        self.watch.reset()
        temporary = self._path.with_suffix(".tmp")
        temporary.write_text(json.dumps(data), "utf-8")
        os.replace(temporary, self._path)
