"""*Tải từ đầu ghi*: a range the station's recorder holds, downloaded by the vendor's file API (on the network loop,
with progress and cancel), then handed to the console's own evidence export (`console.media.export`: MP4 by stream
copy, SHA-256) as if it were one segment of the console's recording; the export dialog then writes the record and
signs the manifest as for any export. The download is a working file beside the target, removed when done.

Same face as `EvidenceExport` (`start`, `cancel`, `wait`, progress and finished callbacks), so the export dialog
runs either without knowing which.

Where the downloaded file starts: the recorder sends from the keyframe at or before the range's start, and its
container's clock is the vendor's (Hikvision's program stream counts from the device's midnight, Dahua's DHAV
writes local time); both end with the range, so the first picture's moment is the range's end less the file's
length (one frame's error at most), never later than the start asked.
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import itertools
import logging
import shutil
import statistics
import tempfile
import threading
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import av

from console.core.recording import ExportIndex, SegmentRow, TimeRange
from console.media.export import EvidenceExport, ExportResult, ExportState
from console.nvr.errors import NvrError, NvrErrorKind
from console.nvr.models import DownloadProgress, DownloadResult, MediaFormat
from console.nvr.playback_source import RecorderPlayback

log = logging.getLogger(__name__)

DOWNLOAD_SHARE = 0.85  # of the progress bar: the download is most of the time, the stream copy the rest
WORK_PREFIX = ".recorder-download-"
DEFAULT_FRAME_MS = 67
SUFFIXES = {MediaFormat.HIKVISION_PS: ".ps", MediaFormat.DAHUA_DAV: ".dav"}


def first_picture_ms(path: Path, end_ms: int, start_ms: int) -> int:
    """The moment of the file's first picture: `end_ms` less the file's length and one frame, at most `start_ms`."""
    stamps: list[int] = []
    base = None
    with av.open(str(path)) as source:
        stream = source.streams.video[0]
        base = stream.time_base
        for packet in source.demux(stream):
            if packet.dts is not None and packet.size:
                stamps.append(packet.dts)
    if not stamps or base is None:
        return start_ms
    steps = [b - a for a, b in itertools.pairwise(stamps) if b > a]
    frame_ms = int(statistics.median(steps) * base * 1000) if steps else DEFAULT_FRAME_MS
    length_ms = int((max(stamps) - stamps[0]) * base * 1000)
    return min(start_ms, end_ms - length_ms - frame_ms)


class DownloadedRecording:
    """The export index over one downloaded file: its one segment, and the audit rows in the real index."""

    def __init__(self, index: ExportIndex, camera_id: str, download: DownloadResult, span: TimeRange) -> None:
        self._index = index
        self._camera_id = camera_id
        self._download = download
        self._span = span

    def segments(self, camera_id: str, start_ms: int, end_ms: int) -> list[SegmentRow]:
        path = self._download.path
        first = first_picture_ms(path, self._span.end_ms, self._span.start_ms)
        return [SegmentRow(0, camera_id, first, self._span.end_ms, path.name, self._download.bytes_written, "h264",
                           True)]

    def begin_export(self, camera_id: str, span: TimeRange, path: str, actor: str, at_ms: int) -> int:
        return self._index.begin_export(camera_id, span, path, actor, at_ms)

    def finish_export(self, export_id: int, state: str, at_ms: int, sha256: str | None = None,
                      size: int | None = None, detail: str = "") -> None:
        self._index.finish_export(export_id, state, at_ms, sha256, size, detail)

    def close(self) -> None:
        self._index.close()


class RecorderDownload:
    """Download from the recorder, then the evidence export of the file; `finished` gets the export's result
    (FAILED with `describe(error)` as its detail when the recorder refused or broke off, CANCELLED when cancelled)."""

    def __init__(self, playback: RecorderPlayback, open_index: Callable[[], ExportIndex], camera_id: str,
                 span: TimeRange, target: Path, actor: str, describe: Callable[[NvrError], str],
                 progress: Callable[[float], None] | None = None,
                 finished: Callable[[ExportResult], None] | None = None) -> None:
        self.camera_id, self.span, self.target, self.actor = camera_id, span, target, actor
        self._playback = playback
        self._open_index = open_index
        self._describe = describe
        self._progress = progress
        self._finished = finished
        self._cancel = threading.Event()
        self._done = threading.Event()
        self._work: Path | None = None
        self._export: EvidenceExport | None = None
        self.download_result: DownloadResult | None = None
        self.result: ExportResult | None = None

    def start(self) -> None:
        self.target.parent.mkdir(parents=True, exist_ok=True)
        self._work = Path(tempfile.mkdtemp(prefix=WORK_PREFIX, dir=self.target.parent))
        file = self._work / f"{self.camera_id}.download"
        future = self._playback.download(self.camera_id, self.span, file, self._downloading, self._cancel)
        future.add_done_callback(self._downloaded)

    def cancel(self) -> None:
        self._cancel.set()
        if self._export is not None:
            self._export.cancel()

    def wait(self, timeout_s: float | None = None) -> ExportResult | None:
        self._done.wait(timeout_s)
        return self.result

    def _downloading(self, progress: DownloadProgress) -> None:
        if self._progress is not None and progress.fraction is not None:
            self._progress(progress.fraction * DOWNLOAD_SHARE)

    def _downloaded(self, future: concurrent.futures.Future[DownloadResult]) -> None:
        """On the network loop: hand the file to the export's own thread, or say why there is none."""
        try:
            download = future.result()
        except NvrError as exc:
            state = ExportState.CANCELLED if exc.kind is NvrErrorKind.CANCELLED else ExportState.FAILED
            self._end(ExportResult(state, self.target, detail=self._describe(exc)))
            return
        except Exception as exc:  # a bug or a disk error: the dialog says the export failed, the log says why
            log.exception("the recorder's download of %s failed", self.camera_id)
            self._end(ExportResult(ExportState.FAILED, self.target, detail=str(exc)))
            return
        named = download.path.with_suffix(SUFFIXES[download.format])  # FFmpeg's probe is surer with its extension
        download.path.rename(named)
        download = replace(download, path=named)
        self.download_result = download
        if self._cancel.is_set():
            self._end(ExportResult(ExportState.CANCELLED, self.target))
            return
        work = download.path.parent
        export = EvidenceExport(work, lambda: DownloadedRecording(self._open_index(), self.camera_id, download,
                                                                  self.span),
                                self.camera_id, self.span, self.target, self.actor, progress=self._copying,
                                finished=self._end)
        self._export = export
        export.start()

    def _copying(self, fraction: float) -> None:
        if self._progress is not None:
            self._progress(DOWNLOAD_SHARE + fraction * (1 - DOWNLOAD_SHARE))

    def _end(self, result: ExportResult) -> None:
        if self._work is not None:
            with contextlib.suppress(OSError):
                shutil.rmtree(self._work)
        self.result = result
        self._done.set()
        if self._finished is not None:
            self._finished(result)
