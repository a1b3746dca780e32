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
import itertools
import logging
import statistics
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import av

from console.core.recording import ExportIndex, SegmentRow, TimeRange
from console.media.export import EvidenceExport, ExportResult
from console.nvr.errors import NvrError
from console.nvr.models import DownloadProgress, DownloadResult, MediaFormat
from console.nvr.playback_source import RecorderPlayback
from console.nvr_export.job import DOWNLOAD_SHARE, RecorderExportJob, RowsIndex

log = logging.getLogger(__name__)

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


class RecorderDownload(RecorderExportJob):
    """Download from the recorder, then the evidence export of the file; `finished` gets the export's result
    (FAILED with `describe(error)` as its detail when the recorder refused or broke off, CANCELLED when cancelled)."""

    def __init__(self, playback: RecorderPlayback, open_index: Callable[[], ExportIndex], camera_id: str,
                 span: TimeRange, target: Path, actor: str, describe: Callable[[NvrError], str],
                 progress: Callable[[float], None] | None = None,
                 finished: Callable[[ExportResult], None] | None = None) -> None:
        super().__init__(camera_id, span, target, actor, describe, progress, finished)
        self._playback = playback
        self._open_index = open_index
        self.download_result: DownloadResult | None = None

    def _begin(self, work: Path) -> None:
        file = work / f"{self.camera_id}.download"
        future = self._playback.download(self.camera_id, self.span, file, self._downloading, self._cancel)
        future.add_done_callback(self._downloaded)

    def _downloading(self, progress: DownloadProgress) -> None:
        if progress.fraction is not None:
            self._report(progress.fraction * DOWNLOAD_SHARE)

    def _downloaded(self, future: concurrent.futures.Future[DownloadResult]) -> None:
        """On the network loop: hand the file to the export's own thread, or say why there is none."""
        try:
            download = future.result()
        except Exception as exc:  # the recorder's refusal said in words; a bug or a disk error: failed, logged
            self._broke(exc, "the recorder's download")
            return
        named = download.path.with_suffix(SUFFIXES[download.format])  # FFmpeg's probe is surer with its extension
        download.path.rename(named)
        download = replace(download, path=named)
        self.download_result = download
        span, camera_id = self.span, self.camera_id

        def rows() -> list[SegmentRow]:  # on the export's thread: the first picture is read off the file there
            first = first_picture_ms(named, span.end_ms, span.start_ms)
            return [SegmentRow(0, camera_id, first, span.end_ms, named.name, download.bytes_written, "h264", True)]

        self._export_with(EvidenceExport(named.parent, lambda: RowsIndex(self._open_index(), rows), camera_id, span,
                                         self.target, self.actor, progress=self._copying, finished=self._end))

    def _copying(self, fraction: float) -> None:
        self._report(DOWNLOAD_SHARE + fraction * (1 - DOWNLOAD_SHARE))
