"""What the recorder's export jobs share: the face of `EvidenceExport` (`start`, `cancel`, `wait`, progress and
finished callbacks) over a working folder beside the target, removed at the end, and the export index they hand
the console's export — rows of their own (the downloaded files), audit rows in the real index."""

from __future__ import annotations

import contextlib
import logging
import shutil
import tempfile
import threading
from collections.abc import Callable, Sequence
from pathlib import Path

from console.core.recording import ExportIndex, SegmentRow, TimeRange
from console.media.export import EvidenceExport, ExportResult, ExportState
from console.nvr.errors import NvrError, NvrErrorKind

DOWNLOAD_SHARE = 0.85  # of the progress bar: the downloads are most of the time, the stream copy the rest
WORK_PREFIX = ".recorder-download-"

log = logging.getLogger(__name__)


class RowsIndex:
    """The export index over `rows()` (asked on the export's own thread), audit rows in the real index."""

    def __init__(self, index: ExportIndex, rows: Callable[[], Sequence[SegmentRow]]) -> None:
        self._index, self._rows = index, rows

    def segments(self, camera_id: str, start_ms: int, end_ms: int) -> list[SegmentRow]:
        return sorted(self._rows(), key=lambda row: row.start_ms)

    def begin_export(self, camera_id: str, span: TimeRange, path: str, actor: str, at_ms: int) -> int:
        return self._index.begin_export(camera_id, span, path, actor, at_ms)

    def finish_export(self, export_id: int, state: str, at_ms: int, sha256: str | None = None,
                      size: int | None = None, detail: str = "") -> None:
        self._index.finish_export(export_id, state, at_ms, sha256, size, detail)

    def close(self) -> None:
        self._index.close()


class RecorderExportJob:
    """The lifecycle: `start` makes the working folder and calls `_begin`; `_end(result)` removes it and tells."""

    def __init__(self, camera_id: str, span: TimeRange, target: Path, actor: str,
                 describe: Callable[[NvrError], str], progress: Callable[[float], None] | None,
                 finished: Callable[[ExportResult], None] | None) -> None:
        self.camera_id, self.span, self.target, self.actor = camera_id, span, target, actor
        self._describe = describe
        self._progress = progress
        self._finished = finished
        self._cancel = threading.Event()
        self._done = threading.Event()
        self._work: Path | None = None
        self._export: EvidenceExport | None = None
        self.result: ExportResult | None = None

    def start(self) -> None:
        self.target.parent.mkdir(parents=True, exist_ok=True)
        self._work = Path(tempfile.mkdtemp(prefix=WORK_PREFIX, dir=self.target.parent))
        self._begin(self._work)

    def _begin(self, work: Path) -> None:
        raise NotImplementedError

    def cancel(self) -> None:
        self._cancel.set()
        if self._export is not None:
            self._export.cancel()

    def wait(self, timeout_s: float | None = None) -> ExportResult | None:
        self._done.wait(timeout_s)
        return self.result

    def _report(self, fraction: float) -> None:
        if self._progress is not None:
            self._progress(min(1.0, fraction))

    def _broke(self, error: Exception, what: str) -> None:
        """The recorder refused or broke off, or the officer cancelled: the export ends so, said in words; any other
        error (a bug, a disk) fails it and its trace goes to the log (called in the `except` that caught it)."""
        if isinstance(error, NvrError):
            state = ExportState.CANCELLED if error.kind is NvrErrorKind.CANCELLED else ExportState.FAILED
            self._end(ExportResult(state, self.target, detail=self._describe(error)))
            return
        log.exception("%s of %s failed", what, self.camera_id)
        self._end(ExportResult(ExportState.FAILED, self.target, detail=str(error)))

    def _export_with(self, export: EvidenceExport) -> None:
        """Hand the downloaded rows to the console's export (its own thread), unless cancelled meanwhile."""
        if self._cancel.is_set():
            self._end(ExportResult(ExportState.CANCELLED, self.target))
            return
        self._export = export
        export.start()

    def _end(self, result: ExportResult) -> None:
        if self._work is not None:
            with contextlib.suppress(OSError):
                shutil.rmtree(self._work)
        self.result = result
        self._done.set()
        if self._finished is not None:
            self._finished(result)
