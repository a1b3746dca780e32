"""A map view's vector files (GeoJSON) read for it: at once when small, on a worker thread when large, the
answer queued to the GUI thread and dropped when the view has named other files since."""

from __future__ import annotations

import threading
from pathlib import Path

from PySide6.QtCore import QObject, Signal

from console.core.config import ConfigIssue
from console.core.vector_map import VectorMap, load_vector_map

# GeoJSON parses at ~0.12 ms per kB here (2.5 MB: 300 ms): up to this size it is read at once, beyond it on a
# worker thread so the GUI never waits more than ~30 ms (a commune's schematic is a few kB).
INLINE_VECTOR_BYTES = 256 * 1024

Read = tuple[VectorMap, list[ConfigIssue]]


class VectorLoader(QObject):
    """`load(files)`: the map and its issues at once for small files; for large ones None, then `loaded`."""

    loaded = Signal(object, object)  # VectorMap, list[ConfigIssue]: a large map read on the worker
    _read = Signal(object)  # (the files, the map, the issues), from the worker thread

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.files: tuple[Path, ...] = ()
        self._read.connect(self._arrived)

    def load(self, files: tuple[Path, ...]) -> Read | None:
        self.files = files
        size = sum(path.stat().st_size for path in files if path.is_file())
        if size <= INLINE_VECTOR_BYTES:
            return load_vector_map(files)
        signal = self._read
        threading.Thread(target=lambda: signal.emit((files, *load_vector_map(files))), name="vector map",
                         daemon=True).start()
        return None

    def _arrived(self, result: tuple[tuple[Path, ...], VectorMap, list[ConfigIssue]]) -> None:
        files, vector, issues = result
        if files == self.files:  # not replaced by a newer map meanwhile
            self.loaded.emit(vector, issues)
