"""The evidence export of a range partly the console's own recording and partly only the station's recorder's: the
holes the recorder fills downloaded one after another by the vendor's file API (as *Tải từ đầu ghi* does), then
one MP4 of every part in time order (`StitchedExport`: each part cut where the next one's first picture begins),
each part's source kept for the manifest (`parts`).

No widget: the export dialog runs it as any export job (start, cancel, progress and finished callbacks), on a
thread of its own (the downloads run on the network loop, waited for here). The parts are worked out when it starts,
from the range the officer finally chose: the console's segments then, the recorder's searched ranges (a day not
searched yet is searched first).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from console.core.recording import ExportIndex, SegmentRow, TimeRange, merged
from console.media.export import ExportResult, ExportState
from console.media.stitched_export import StitchedExport
from console.nvr.errors import NvrError
from console.nvr.models import DownloadProgress
from console.nvr.playback_source import RecorderPlayback, Source, export_parts, vn_days
from console.nvr_export.evidence_download import SUFFIXES, first_picture_ms
from console.nvr_export.job import DOWNLOAD_SHARE, RecorderExportJob, RowsIndex

log = logging.getLogger(__name__)

SEARCH_TIMEOUT_S = 30.0
DOWNLOAD_TIMEOUT_S = 600.0  # one hole (a 10-minute hole takes seconds on a LAN at tens of MB/s)


@dataclass(frozen=True)
class ExportPart:
    """One stretch of the exported file and where its pictures come from."""

    source: Source  # OWN (the console's recording) or RECORDER
    start_ms: int  # its first picture
    end_ms: int  # where the next part takes over, or the range's end
    recorder_id: str = ""


def parts_of(rows: Sequence[SegmentRow], downloaded: set[str], span: TimeRange, first_ms: int,
             recorder_id: str) -> list[ExportPart]:
    """The file's parts as written: each row from its first picture to its cut, neighbours of one source joined."""
    ordered = [row for row in sorted(rows, key=lambda row: row.start_ms) if row.start_ms < span.end_ms]
    parts: list[ExportPart] = []
    for number, row in enumerate(ordered):
        start = max(row.start_ms, first_ms)
        until = ordered[number + 1].start_ms if number + 1 < len(ordered) else span.end_ms  # the next one takes over
        if until <= start:
            continue
        source = Source.RECORDER if row.path in downloaded else Source.OWN
        if parts and parts[-1].source is source and parts[-1].end_ms >= start:
            parts[-1] = ExportPart(source, parts[-1].start_ms, until, parts[-1].recorder_id)
        else:
            parts.append(ExportPart(source, start, until, recorder_id if source is Source.RECORDER else ""))
    return parts


class MixedExport(RecorderExportJob):
    """Downloads the recorder's parts, then the stitched export; `finished` gets the export's result (FAILED with
    `describe(error)` when the recorder refused or broke off, CANCELLED when cancelled)."""

    def __init__(self, playback: RecorderPlayback, open_index: Callable[[], ExportIndex], recordings: Path,
                 camera_id: str, span: TimeRange, target: Path, actor: str, describe: Callable[[NvrError], str],
                 progress: Callable[[float], None] | None = None,
                 finished: Callable[[ExportResult], None] | None = None) -> None:
        super().__init__(camera_id, span, target, actor, describe, progress, finished)
        self._playback = playback
        self._open_index = open_index
        self._recordings = recordings
        self._rows: list[SegmentRow] = []
        self._downloaded: set[str] = set()
        where = playback.channel_of(camera_id)
        self.recorder_id = where[0] if where is not None else ""
        self.parts: list[ExportPart] = []  # once exported
        self._thread = threading.Thread(target=self._run, name=f"mixed export {camera_id}", daemon=True)

    def _begin(self, work: Path) -> None:
        self._thread.start()

    # -- on its thread --------------------------------------------------------------------------------------------
    def _run(self) -> None:
        try:
            index = self._open_index()
            try:
                own = index.segments(self.camera_id, self.span.start_ms, self.span.end_ms)
            finally:
                index.close()
            own_ranges = merged(TimeRange(row.start_ms, row.end_ms) for row in own)
            holes = [r for source, r in export_parts(own_ranges, self._recorder_ranges(), self.span)
                     if source is Source.RECORDER]
            self._rows = [*own, *self._download(holes)]
        except Exception as exc:  # the recorder's refusal said in words; a bug or a disk error: failed, logged
            self._broke(exc, "the mixed export")
            return
        share = DOWNLOAD_SHARE if self._downloaded else 0.0
        rows = self._rows
        self._export_with(StitchedExport(self._recordings, lambda: RowsIndex(self._open_index(), lambda: rows),
                                         self.camera_id, self.span, self.target, self.actor,
                                         progress=lambda fraction: self._report(share + fraction * (1 - share)),
                                         finished=self._exported))

    def _recorder_ranges(self) -> list[TimeRange]:
        for day in vn_days(self.span.start_ms, self.span.end_ms):
            if self._playback.searched(self.camera_id, day) is None:
                self._playback.search_day(self.camera_id, day).result(timeout=SEARCH_TIMEOUT_S)
        return self._playback.ranges(self.camera_id, self.span.start_ms, self.span.end_ms)

    def _download(self, holes: Sequence[TimeRange]) -> list[SegmentRow]:
        """Each hole from the recorder into the working folder, as an index row (its first picture, its path)."""
        assert self._work is not None
        rows: list[SegmentRow] = []
        total = sum(hole.end_ms - hole.start_ms for hole in holes) or 1
        done = 0
        for number, hole in enumerate(holes):
            def progress(step: DownloadProgress, before: int = done, length: int = hole.end_ms - hole.start_ms
                         ) -> None:
                if step.fraction is not None:
                    self._report(DOWNLOAD_SHARE * (before + step.fraction * length) / total)

            file = self._work / f"{self.camera_id}-{number}.download"
            result = self._playback.download(self.camera_id, hole, file, progress, self._cancel).result(
                timeout=DOWNLOAD_TIMEOUT_S)
            named = result.path.with_suffix(SUFFIXES[result.format])  # FFmpeg's probe is surer with its extension
            result.path.rename(named)
            first = first_picture_ms(named, hole.end_ms, hole.start_ms)
            rows.append(SegmentRow(0, self.camera_id, first, hole.end_ms, str(named), result.bytes_written, "h264",
                                   True))
            self._downloaded.add(str(named))
            done += hole.end_ms - hole.start_ms
        return rows

    def _exported(self, result: ExportResult) -> None:
        if result.state is ExportState.DONE:
            self.parts = parts_of(self._rows, self._downloaded, self.span, result.first_ms, self.recorder_id)
        self._end(result)
