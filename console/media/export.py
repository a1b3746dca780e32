"""Evidence export: a time range of one camera's recording into one MP4 by stream copy, with its SHA-256.

Runs on its own thread. The file starts at the keyframe at or before the range's start (a picture must be
decodable from the first frame), keeps the recording's timing (gaps between segments stay gaps) and ends
with the range. The file is written as `<name>.part`, fsynced and renamed when whole (a power cut never leaves
a truncated file under the evidence's name); a cancelled or failed export leaves no partial file and never
touches a file already at the target; every export is an audit row.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from fractions import Fraction
from pathlib import Path

import av
from av.packet import Packet
from av.video.stream import VideoStream

from console.core.atomic import part_path, replace_durably, write_durably
from console.core.recording import ExportIndex, SegmentRow, TimeRange
from console.core.vntime import now_ms
from console.media.ingest import lower_priority

log = logging.getLogger(__name__)

OUT_TIME_BASE = Fraction(1, 90000)
HASH_CHUNK = 1 << 20
PROGRESS_EVERY_S = 0.1


class ExportState(StrEnum):
    DONE = "done"
    CANCELLED = "cancelled"
    FAILED = "failed"


@dataclass(frozen=True)
class ExportResult:
    state: ExportState
    path: Path
    sha256: str | None = None
    size: int = 0
    packets: int = 0
    first_ms: int = 0  # the moment of the first picture (a keyframe, at or before the range's start)
    detail: str = ""
    seconds: float = 0.0


def sidecar_path(path: Path) -> Path:
    return path.with_name(path.name + ".sha256")


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(HASH_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


class _CancelledError(Exception):
    pass


class EvidenceExport:
    def __init__(self, root: Path, open_index: Callable[[], ExportIndex], camera_id: str, span: TimeRange,
                 target: Path, actor: str,
                 progress: Callable[[float], None] | None = None,
                 finished: Callable[[ExportResult], None] | None = None,
                 authorize: Callable[[], None] | None = None) -> None:
        """`authorize` is asked as the export starts (it raises to refuse: the officer's role, issue 19)."""
        self.root = root
        self.camera_id = camera_id
        self.span = span
        self.target = target
        self.actor = actor
        self._open_index = open_index  # its own connection, on the export's thread
        self._progress = progress
        self._finished = finished
        self._authorize = authorize
        self._cancel = threading.Event()
        self.result: ExportResult | None = None
        self._thread = threading.Thread(target=self._run, name=f"export {camera_id}", daemon=True)

    def start(self) -> None:
        if self._authorize is not None:
            self._authorize()  # a refusal is raised to the caller: nothing read, nothing written
        self._thread.start()

    def cancel(self) -> None:
        self._cancel.set()

    def wait(self, timeout_s: float | None = None) -> ExportResult | None:
        self._thread.join(timeout_s)
        return self.result

    def _run(self) -> None:
        lower_priority()
        started = time.monotonic()
        index = self._open_index()
        export_id = index.begin_export(self.camera_id, self.span, str(self.target), self.actor, now_ms())
        try:
            segments = index.segments(self.camera_id, self.span.start_ms, self.span.end_ms)
            if not segments:
                raise FileNotFoundError("nothing recorded in this range")
            packets, first_ms = self._copy(segments)
            partial = part_path(self.target)
            digest = sha256_of(partial)
            size = partial.stat().st_size
            replace_durably(partial, self.target)
            write_durably(sidecar_path(self.target), f"{digest}  {self.target.name}\n".encode("ascii"))
            result = ExportResult(ExportState.DONE, self.target, digest, size, packets, first_ms,
                                  seconds=time.monotonic() - started)
            index.finish_export(export_id, "done", now_ms(), digest, size)
        except _CancelledError:
            self._discard()
            result = ExportResult(ExportState.CANCELLED, self.target, seconds=time.monotonic() - started)
            index.finish_export(export_id, "cancelled", now_ms())
        except Exception as exc:
            log.warning("export of %s failed: %s", self.camera_id, exc)
            self._discard()
            result = ExportResult(ExportState.FAILED, self.target, detail=str(exc),
                                  seconds=time.monotonic() - started)
            with contextlib.suppress(Exception):
                index.finish_export(export_id, "failed", now_ms(), detail=str(exc))
        finally:
            index.close()
        self.result = result
        if self._finished is not None:
            self._finished(result)

    def _discard(self) -> None:
        for path in (part_path(self.target), part_path(sidecar_path(self.target))):
            with contextlib.suppress(FileNotFoundError):
                path.unlink()

    def _copy(self, segments: Sequence[SegmentRow]) -> tuple[int, int]:
        """Mux the range into the target; returns (packets written, moment of the first picture)."""
        self.target.parent.mkdir(parents=True, exist_ok=True)
        span = self.span
        written = 0
        first_ms: int | None = None
        last_dts = -1
        waiting: list[tuple[Packet[VideoStream], int]] = []  # the GOP before the start, from its keyframe
        reported = 0.0
        with av.open(str(part_path(self.target)), "w", format="mp4") as output:
            out_stream = None
            for segment, until in zip(segments, self._part_ends(segments), strict=True):
                with av.open(str(self.root / segment.path)) as source:
                    stream = source.streams.video[0]
                    base = stream.time_base or OUT_TIME_BASE
                    if out_stream is None:
                        out_stream = output.add_stream_from_template(stream)
                    origin: int | None = None
                    for packet in source.demux(stream):
                        if self._cancel.is_set():
                            raise _CancelledError
                        if packet.size == 0 or packet.dts is None:
                            continue
                        origin = packet.dts if origin is None else origin
                        at_ms = segment.start_ms + int((packet.dts - origin) * base * 1000)
                        if at_ms >= until:
                            break
                        if first_ms is None:
                            if packet.is_keyframe:
                                waiting = []
                            if waiting or packet.is_keyframe:
                                waiting.append((packet, at_ms))
                            if at_ms < span.start_ms or not waiting:
                                continue
                            first_ms = waiting[0][1]
                            batch, waiting = waiting, []
                        else:
                            batch = [(packet, at_ms)]
                        for item, item_ms in batch:
                            last_dts = self._mux(output, out_stream, item, item_ms - first_ms, last_dts)
                            written += 1
                        now = time.monotonic()
                        if self._progress is not None and now - reported >= PROGRESS_EVERY_S:
                            reported = now
                            self._progress(min(1.0, (at_ms - span.start_ms) / max(1, span.end_ms - span.start_ms)))
        if not written or first_ms is None:
            raise FileNotFoundError("no picture in this range")
        if self._progress is not None:
            self._progress(1.0)
        return written, first_ms

    def _part_ends(self, segments: Sequence[SegmentRow]) -> list[int]:
        """Where each segment's pictures stop being copied: the range's end (a stitched export cuts each part
        earlier, where the next one begins)."""
        return [self.span.end_ms] * len(segments)

    @staticmethod
    def _mux(output: av.container.OutputContainer, stream: VideoStream, packet: Packet[VideoStream],
             offset_ms: int, last_dts: int) -> int:
        """Place the packet on the export's own clock (0 at the first picture); returns its dts."""
        old_dts = packet.dts or 0
        delay = (packet.pts - old_dts) if packet.pts is not None else 0
        dts = max(last_dts + 1, int(Fraction(offset_ms, 1000) / OUT_TIME_BASE))
        packet.dts = dts
        packet.pts = dts + int(delay * (packet.time_base or OUT_TIME_BASE) / OUT_TIME_BASE)
        packet.time_base = OUT_TIME_BASE
        packet.stream = stream
        output.mux(packet)
        return dts


