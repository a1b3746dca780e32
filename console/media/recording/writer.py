"""The writer thread of stream-copy recording: each camera's packets, from the wall's own connection, into
MPEG-TS segments.

A `RecordTap` on a camera's ingest copies the packets (no decoding) and, for on-alert cameras, keeps the
last seconds as whole GOPs for the pre-roll. One writer thread muxes every camera into keyframe-aligned
segments, keeps the SQLite index current, applies retention, and stops cleanly when the disk is full or the
folder unwritable (the taps and the wall carry on; the failure is reported once, and retried later).

MPEG-TS because it has no index or header to finish: a file cut by a power failure or `kill -9` plays to its
last complete 188-byte packet, and the index is repaired on the next start (`recover`).
"""

from __future__ import annotations

import contextlib
import errno
import logging
import os
import queue
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import av
from av.packet import Packet

from console.core.alerts import AlertEvent
from console.core.config import Camera, RecordingMode
from console.core.recording import RecordFailure, RecordingSettings, SegmentIndex, SegmentRow, segment_relpath
from console.media.ingest import lower_priority
from console.media.recording.items import Cut, FailureCallback, Item, RecPacket, Session
from console.media.recording.recovery import recover
from console.media.recording.retention import apply_retention
from console.media.recording.segment_file import OpenSegment, SegmentFile
from console.media.recording.tap import RecordTap

log = logging.getLogger(__name__)

RETENTION_EVERY_S = 60.0
CUT_TOLERANCE_S = 0.25  # a cut at the keyframe due "now" even if the first packet's time was estimated
REANCHOR_MS = 2000  # a camera clock this far from the wall clock: segments are placed by the wall clock
_IDLE = Cut()  # nothing queued for a second: housekeeping only
IndexOpener = Callable[[], SegmentIndex]  # the writer thread's own connection to the index (app.py gives it)


@dataclass
class _Camera:
    session: Session | None = None
    segment: OpenSegment | None = None
    pending_bytes: int = 0


class Recorder:
    """The writer thread and the recordings folder it owns (one per console)."""

    def __init__(self, root: Path, open_index: IndexOpener, settings: RecordingSettings | None = None,
                 on_failure: FailureCallback | None = None,
                 clock_offset: Callable[[str], float | None] | None = None,
                 retention_deleted: Callable[[Sequence[SegmentRow]], None] | None = None) -> None:
        """`clock_offset(camera_id)`: the camera clock's offset last read (ONVIF), noted on each new segment;
        `retention_deleted(segments)`: told (on the writer's thread) what each retention pass deleted."""
        self.root = root
        self._retention_deleted = retention_deleted
        self._clock_offset = clock_offset
        self.settings = settings or RecordingSettings()
        self._open_index = open_index
        self._on_failure = on_failure
        self._queue: queue.SimpleQueue[tuple[str, Item, int]] = queue.SimpleQueue()
        self._cameras: dict[str, _Camera] = {}
        self._pending_lock = threading.Lock()
        self._taps: dict[str, RecordTap] = {}
        self._failed: RecordFailure | None = None
        self._failed_at = 0.0
        self._retention_at = 0.0
        self.written = 0
        self.segments_closed = 0
        self.deleted = 0
        self.recovered = 0  # segments a crash left open, closed at start
        self.failures = 0  # items whose handling raised (logged; the writer went on)
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._run, name="recorder", daemon=True)

    def start(self) -> None:
        """Start the writer thread. After a crash it first repairs the index (up to tens of seconds on a
        full disk of segments); packets queue meanwhile (`queue_limit_bytes` per camera), nobody waits."""
        self._thread.start()

    @property
    def recovering(self) -> bool:
        """True from start until the index is repaired (the window says "Đang khôi phục bản ghi…")."""
        return self._thread.is_alive() and not self._ready.is_set()

    def wait_ready(self, timeout_s: float | None = None) -> bool:
        return self._ready.wait(timeout_s)

    def close(self, timeout_s: float = 10.0) -> None:
        self._queue.put(("", None, 0))
        self._thread.join(timeout_s)

    def tap(self, camera: Camera) -> RecordTap:
        tap = self._taps[camera.id] = RecordTap(camera, self)
        return tap

    def alert_event(self, event: AlertEvent) -> None:
        """Told of every alert event (`AlertWriter.listeners`): each one arms the camera's recording until the
        post-roll after it — start, peak, every "active" heartbeat while the episode goes on, and its end
        (dated at the episode's last activity)."""
        if event.camera_id is not None:
            self.trigger(event.camera_id, event.at_ms)

    def trigger(self, camera_id: str, at_ms: int) -> None:
        """An alert on this camera: on-alert recording runs until `postroll_s` after `at_ms`."""
        tap = self._taps.get(camera_id)
        if tap is not None and tap.mode is RecordingMode.ON_ALERT:
            tap.trigger(at_ms + int(self.settings.postroll_s * 1000))

    @property
    def queued_bytes(self) -> int:
        """Packet bytes handed over by the taps and not yet written, every camera together."""
        with self._pending_lock:
            return sum(camera.pending_bytes for camera in self._cameras.values())

    @property
    def failed(self) -> RecordFailure | None:
        return self._failed

    # -- called by the taps (ingest threads) ----------------------------------------------------------
    def room_for(self, camera_id: str, size: int) -> bool:
        if self._failed is not None:
            return False
        with self._pending_lock:
            camera = self._cameras.setdefault(camera_id, _Camera())
            return camera.pending_bytes + size <= self.settings.queue_limit_bytes

    def put(self, camera_id: str, item: Item, size: int = 0) -> None:
        if size:
            with self._pending_lock:
                self._cameras.setdefault(camera_id, _Camera()).pending_bytes += size
        self._queue.put((camera_id, item, size))

    # -- the writer thread ------------------------------------------------------------------------
    def _run(self) -> None:
        lower_priority()
        index = self._open_index()
        try:
            self.recovered = recover(index, self.root)
        except Exception:
            log.exception("recordings: repairing the index failed")
        self._ready.set()
        try:
            while True:
                try:
                    camera_id, item, size = self._queue.get(timeout=1.0)
                except queue.Empty:
                    camera_id, item, size = "", _IDLE, 0
                if item is None:
                    break
                if size:
                    with self._pending_lock:
                        self._cameras[camera_id].pending_bytes -= size
                try:
                    if item is not _IDLE:
                        self._handle(index, camera_id, item)
                    self._housekeeping(index)
                except Exception:  # one bad item (or a failing callback) never ends recording for every camera
                    log.exception("recording failed on one item (%s); the next is written", camera_id or "idle")
                    self.failures += 1
        finally:
            for camera_id in list(self._cameras):
                self._close_segment(index, camera_id)
            index.close()

    def _handle(self, index: SegmentIndex, camera_id: str, item: Item) -> None:
        camera = self._cameras.setdefault(camera_id, _Camera())
        if isinstance(item, Session):
            self._close_segment(index, camera_id)
            camera.session = item
        elif isinstance(item, Cut):
            self._close_segment(index, camera_id)
        elif isinstance(item, RecPacket) and self._failed is None:
            try:
                self._write(index, camera_id, camera, item)
            except Exception as exc:
                self._fail(index, exc, camera_id)

    def _write(self, index: SegmentIndex, camera_id: str, camera: _Camera, item: RecPacket) -> None:
        segment = camera.segment
        start_ms = item.wall_ms
        if segment is not None and item.key:
            length = (item.dts - segment.first_dts) * segment.time_base
            if length >= self.settings.segment_s - CUT_TOLERANCE_S:
                # The next segment starts where this one ends (the camera's clock), unless that drifted
                # from the wall clock.
                chained = segment.start_ms + int(length * 1000)
                start_ms = chained if abs(chained - item.wall_ms) <= REANCHOR_MS else item.wall_ms
                self._close_segment(index, camera_id)
                segment = None
        if segment is not None and item.dts <= segment.last_dts:
            log.info("%s: timestamps went back; new segment at the next keyframe", camera_id)
            self._close_segment(index, camera_id)
            return
        if segment is None:
            if not item.key or camera.session is None:
                return
            segment = camera.segment = self._open_segment(index, camera.session, item, start_ms)
        packet = Packet(item.data)
        packet.pts = item.pts - segment.first_dts
        packet.dts = item.dts - segment.first_dts
        packet.time_base = segment.time_base
        packet.is_keyframe = item.key
        packet.stream = segment.stream
        segment.container.mux(packet)
        if segment.packets and 0 < item.pts - segment.last_pts < 10 * segment.frame_ticks:
            segment.frame_ticks = item.pts - segment.last_pts
        if item.key:
            if segment.packets:
                segment.gop_ticks = max(segment.gop_ticks, item.dts - segment.last_key_dts)
            segment.last_key_dts = item.dts
        segment.last_pts = max(segment.last_pts, item.pts)
        segment.last_dts = item.dts
        segment.packets += 1
        self.written += 1
        now = time.monotonic()
        if now - segment.synced_at >= self.settings.sync_every_s:
            segment.synced_at = now
            segment.sink.sync()
        if now - segment.indexed_at >= self.settings.index_every_s:
            segment.indexed_at = now
            index.update_segment(segment.segment_id, segment.end_ms(), segment.sink.flushed_size(), segment.packets,
                                 segment.gop_ms(), keyframes=segment.sink.keyframe_list())

    def _open_segment(self, index: SegmentIndex, session: Session, first: RecPacket,
                      start_ms: int) -> OpenSegment:
        relpath = segment_relpath(session.camera_id, start_ms)
        path = self.root / relpath
        path.parent.mkdir(parents=True, exist_ok=True)
        offset = self._clock_offset(session.camera_id) if self._clock_offset is not None else None
        segment_id = index.open_segment(session.camera_id, start_ms, relpath, session.info.codec,
                                        session.info.width, session.info.height, clock_offset_s=offset)
        try:
            sink = SegmentFile(path)
        except OSError:
            index.delete_segments([segment_id])
            raise
        container = av.open(sink, "w", format="mpegts")
        stream = container.add_stream_from_template(session.template)
        return OpenSegment(segment_id, path, sink, container, stream, start_ms, first.dts, session.time_base,
                            first.pts, first.dts - 1)

    def _close_segment(self, index: SegmentIndex, camera_id: str) -> None:
        camera = self._cameras.get(camera_id)
        segment = camera.segment if camera else None
        if camera is None or segment is None:
            return
        camera.segment = None
        try:
            segment.container.close()
            segment.sink.sync()
        except Exception:  # a full disk fails the last write too: what reached the file is kept
            log.warning("%s: closing the segment failed", camera_id, exc_info=True)
        segment.sink.close()
        size = _size(segment.path)
        with contextlib.suppress(Exception):
            index.update_segment(segment.segment_id, segment.end_ms(), size, segment.packets, segment.gop_ms(),
                                 closed=True, keyframes=segment.sink.keyframe_list())
        self.segments_closed += 1

    def _fail(self, index: SegmentIndex, exc: Exception, camera_id: str) -> None:
        camera = self._cameras.get(camera_id)
        error = camera.segment.sink.error if camera and camera.segment else None
        cause = error or (exc if isinstance(exc, OSError) else None)
        full = cause is not None and cause.errno in (errno.ENOSPC, errno.EDQUOT)
        self._failed = RecordFailure.DISK_FULL if full else RecordFailure.UNWRITABLE
        self._failed_at = time.monotonic()
        detail = f"{self.root}: {cause.strerror if cause is not None and cause.strerror else exc}"
        log.error("recording stopped (%s): %s", self._failed.value, detail)
        for other in list(self._cameras):
            self._close_segment(index, other)
        if self._on_failure is not None:
            self._on_failure(self._failed, detail)

    def _housekeeping(self, index: SegmentIndex) -> None:
        now = time.monotonic()
        if self._failed is not None and now - self._failed_at >= self.settings.retry_after_s:
            self._failed_at = now
            self._apply_retention(index)
            if _writable(self.root):
                log.info("recording resumes in %s", self.root)
                self._failed = None
                if self._on_failure is not None:
                    self._on_failure(None, str(self.root))
        if now - self._retention_at >= RETENTION_EVERY_S:
            self._retention_at = now
            self._apply_retention(index)

    def _apply_retention(self, index: SegmentIndex) -> None:
        try:
            self.deleted += apply_retention(index, self.root, self.settings, deleted=self._retention_deleted)
        except Exception:
            log.exception("recordings: retention failed")


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def _writable(root: Path) -> bool:
    probe = root / ".write-probe"
    try:
        root.mkdir(parents=True, exist_ok=True)
        with open(probe, "wb") as handle:
            handle.write(b"\0" * 65536)
            handle.flush()
            os.fsync(handle.fileno())
        probe.unlink()
        return True
    except OSError:
        with contextlib.suppress(OSError):
            probe.unlink()
        return False
