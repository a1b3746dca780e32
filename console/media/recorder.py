"""Stream-copy recording: each camera's packets, from the wall's own connection, into MPEG-TS segments.

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
import io
import logging
import os
import queue
import shutil
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import BinaryIO

import av
from av.packet import Packet
from av.video.stream import VideoStream

from console.core.alerts import AlertEvent
from console.core.config import Camera, RecordingMode
from console.core.recording import GopRing, RecordFailure, RecordingSettings, retention_victims, segment_relpath
from console.media.ingest import StreamInfo, lower_priority
from console.media.ts_keyframes import WRITE_BATCH, KeyframeScanner, pack, scan_file
from console.store.database import open_database
from console.store.recordings import RecordingIndex

log = logging.getLogger(__name__)

RETENTION_EVERY_S = 60.0
RETENTION_WINDOW = 2000  # oldest closed segments looked at per retention pass
CUT_TOLERANCE_S = 0.25  # a cut at the keyframe due "now" even if the first packet's time was estimated
REANCHOR_MS = 2000  # a camera clock this far from the wall clock: segments are placed by the wall clock
DEFAULT_FRAME_TICKS = 3600  # 1/25 s at 90 kHz, until a stream shows its own frame interval
DEFAULT_GOP_MS = 2000  # until a segment shows its own keyframe interval
FailureCallback = Callable[[RecordFailure | None, str], None]  # None: recording works again


@dataclass
class _Session:
    """One connection's stream as the muxer needs it: codec parameters held by a template stream."""

    camera_id: str
    info: StreamInfo
    template: VideoStream
    holder: av.container.OutputContainer  # keeps the template's parameters alive
    time_base: Fraction


@dataclass(frozen=True)
class RecPacket:
    data: bytes
    pts: int
    dts: int
    key: bool
    wall_ms: int


@dataclass(frozen=True)
class _Cut:
    """End the camera's open segment here (stream closed, post-roll over, packets dropped)."""


_Item = _Session | RecPacket | _Cut | None


class _FileSink(io.RawIOBase):
    """The segment file PyAV writes through: remembers the OSError (errno) a failing write raised, and where
    each keyframe starts (saved with the segment, so the player starts reading there)."""

    def __init__(self, path: Path) -> None:
        super().__init__()
        self.file: BinaryIO = open(path, "wb")  # noqa: SIM115 - closed by close()
        self.error: OSError | None = None
        self.size = 0
        self.keyframes = KeyframeScanner()

    def writable(self) -> bool:
        return True

    def write(self, data: bytes) -> int:  # type: ignore[override]
        try:
            written = self.file.write(data)
        except OSError as exc:
            self.error = exc
            raise
        self.size += written
        self.keyframes.feed(data[:written], WRITE_BATCH)
        return written

    def sync(self) -> None:
        self.file.flush()
        os.fsync(self.file.fileno())

    def keyframe_list(self) -> bytes:
        """Every keyframe written so far, packed for the index."""
        self.keyframes.feed(b"")
        return pack(self.keyframes.keyframes)

    def close(self) -> None:
        with contextlib.suppress(OSError):
            self.file.close()
        super().close()


class RecordTap:
    """A PacketSink on one camera's ingest: copies packets to the writer (continuous), or keeps the pre-roll
    ring and copies only while an alert holds it open (on alert)."""

    def __init__(self, camera: Camera, recorder: Recorder) -> None:
        self.camera_id = camera.id
        self.mode = camera.recording
        self._recorder = recorder
        self._lock = threading.Lock()
        self._ring: GopRing[RecPacket] = GopRing(recorder.settings.preroll_s)
        self._armed_until_ms = 0
        self._info: StreamInfo | None = None
        self._session: _Session | None = None
        self._sent_session = False
        self._waiting: list[tuple[Packet[VideoStream], int]] = []  # leading packets without a timestamp
        self._last: tuple[int, int] | None = None  # last (pts, dts)
        self._frame_ticks = DEFAULT_FRAME_TICKS
        self._need_key = True
        self.received = 0
        self.sent = 0  # to the writer (from the first keyframe on)
        self.dropped = 0

    # -- PacketSink --------------------------------------------------------------------------------
    def stream_opened(self, info: StreamInfo) -> None:
        with self._lock:
            self._info = info
            self._session = None
            self._sent_session = False
            self._waiting = []
            self._last = None
            self._need_key = True
            self._ring.clear()

    def packet(self, packet: Packet[VideoStream], received: float) -> None:
        wall_ms = int((time.time() - (time.monotonic() - received)) * 1000)
        with self._lock:
            session = self._session = self._session or self._new_session(packet)
            if session is None:
                return
            if packet.pts is None and self._last is None:
                self._waiting.append((packet, wall_ms))
                return
            for early, early_ms in self._waiting:
                self._take(session, early, early_ms, packet.pts)
            self._waiting = []
            self._take(session, packet, wall_ms, None)

    def stream_closed(self) -> None:
        with self._lock:
            if self._session is not None and not self._sent_session:
                self._session.holder.close()
            self._session = None
            self._ring.clear()
            if self._sent_session:
                self._recorder.put(self.camera_id, _Cut())
            self._sent_session = False

    # -- alerts ----------------------------------------------------------------------------------
    def trigger(self, until_ms: int) -> None:
        """Record (with the pre-roll) until `until_ms` at least; later alerts extend it."""
        with self._lock:
            if until_ms <= self._armed_until_ms:
                return
            was_armed = self._armed_until_ms > int(time.time() * 1000)
            self._armed_until_ms = until_ms
            if not was_armed:
                for item in self._ring.drain():
                    self._send(item)

    # -- inside the lock -------------------------------------------------------------------------
    def _new_session(self, packet: Packet[VideoStream]) -> _Session | None:
        if self._info is None or packet.time_base is None:
            return None
        # A file-backed holder (never written): PyAV containers over Python file objects must not be left
        # to the garbage collector at interpreter exit.
        holder = av.open(os.devnull, "w", format="mpegts")
        template = holder.add_stream_from_template(packet.stream)
        return _Session(self.camera_id, self._info, template, holder, Fraction(packet.time_base))

    def _take(self, session: _Session, packet: Packet[VideoStream], wall_ms: int, next_pts: int | None) -> None:
        pts, dts = packet.pts, packet.dts
        if pts is None:
            # The first packet of an RTSP session may come before the stream's clock is known: one frame
            # before the next packet (leading ones) or after the last one.
            if next_pts is not None:
                pts = next_pts - self._frame_ticks
            elif self._last is not None:
                pts = self._last[0] + self._frame_ticks
            else:
                return
            dts = pts
        if dts is None:
            dts = pts
        if self._last is not None and 0 < pts - self._last[0] < 10 * self._frame_ticks:
            self._frame_ticks = pts - self._last[0]
        self._last = (pts, dts)
        self.received += 1
        item = RecPacket(bytes(packet), pts, dts, packet.is_keyframe, wall_ms)
        if self.mode is RecordingMode.CONTINUOUS or wall_ms <= self._armed_until_ms:
            self._send(item)
        else:
            if self._sent_session:  # post-roll over
                self._recorder.put(self.camera_id, _Cut())
                self._sent_session = False
            self._ring.push(item, item.key, dts * float(session.time_base))

    def _send(self, item: RecPacket) -> None:
        if self._need_key and not item.key:
            return
        if not self._recorder.room_for(self.camera_id, len(item.data)):
            self.dropped += 1
            if not self._need_key:
                self._need_key = True
                self._recorder.put(self.camera_id, _Cut())
            return
        self._need_key = False
        self.sent += 1
        if not self._sent_session and self._session is not None:
            self._recorder.put(self.camera_id, self._session)
            self._sent_session = True
        self._recorder.put(self.camera_id, item, len(item.data))


@dataclass
class _OpenSegment:
    segment_id: int
    path: Path
    sink: _FileSink
    container: av.container.OutputContainer
    stream: VideoStream
    start_ms: int
    first_dts: int
    time_base: Fraction
    last_pts: int
    last_dts: int
    packets: int = 0
    frame_ticks: int = DEFAULT_FRAME_TICKS
    last_key_dts: int = 0
    gop_ticks: int = 0
    indexed_at: float = field(default_factory=time.monotonic)
    synced_at: float = field(default_factory=time.monotonic)

    def gop_ms(self) -> int:
        return int(self.gop_ticks * self.time_base * 1000) if self.gop_ticks else DEFAULT_GOP_MS

    def end_ms(self) -> int:
        ticks = self.last_pts - self.first_dts + self.frame_ticks
        return self.start_ms + int(ticks * self.time_base * 1000)


@dataclass
class _Camera:
    session: _Session | None = None
    segment: _OpenSegment | None = None
    pending_bytes: int = 0


class Recorder:
    """The writer thread and the recordings folder it owns (one per console)."""

    def __init__(self, root: Path, db_path: Path, settings: RecordingSettings | None = None,
                 on_failure: FailureCallback | None = None) -> None:
        self.root = root
        self.settings = settings or RecordingSettings()
        self._db_path = db_path
        self._on_failure = on_failure
        self._queue: queue.SimpleQueue[tuple[str, _Item, int]] = queue.SimpleQueue()
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
    def failed(self) -> RecordFailure | None:
        return self._failed

    # -- called by the taps (ingest threads) ----------------------------------------------------------
    def room_for(self, camera_id: str, size: int) -> bool:
        if self._failed is not None:
            return False
        with self._pending_lock:
            camera = self._cameras.setdefault(camera_id, _Camera())
            return camera.pending_bytes + size <= self.settings.queue_limit_bytes

    def put(self, camera_id: str, item: _Item, size: int = 0) -> None:
        if size:
            with self._pending_lock:
                self._cameras.setdefault(camera_id, _Camera()).pending_bytes += size
        self._queue.put((camera_id, item, size))

    # -- the writer thread ------------------------------------------------------------------------
    def _run(self) -> None:
        lower_priority()
        db = open_database(self._db_path)
        index = RecordingIndex(db)
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
                    self._housekeeping(index)
                    continue
                if item is None:
                    break
                if size:
                    with self._pending_lock:
                        self._cameras[camera_id].pending_bytes -= size
                self._handle(index, camera_id, item)
                self._housekeeping(index)
        finally:
            for camera_id in list(self._cameras):
                self._close_segment(index, camera_id)
            db.close()

    def _handle(self, index: RecordingIndex, camera_id: str, item: _Item) -> None:
        camera = self._cameras.setdefault(camera_id, _Camera())
        if isinstance(item, _Session):
            self._close_segment(index, camera_id)
            camera.session = item
        elif isinstance(item, _Cut):
            self._close_segment(index, camera_id)
        elif isinstance(item, RecPacket) and self._failed is None:
            try:
                self._write(index, camera_id, camera, item)
            except Exception as exc:
                self._fail(index, exc, camera_id)

    def _write(self, index: RecordingIndex, camera_id: str, camera: _Camera, item: RecPacket) -> None:
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
            index.update_segment(segment.segment_id, segment.end_ms(), segment.sink.size, segment.packets,
                                 segment.gop_ms(), keyframes=segment.sink.keyframe_list())

    def _open_segment(self, index: RecordingIndex, session: _Session, first: RecPacket,
                      start_ms: int) -> _OpenSegment:
        relpath = segment_relpath(session.camera_id, start_ms)
        path = self.root / relpath
        path.parent.mkdir(parents=True, exist_ok=True)
        segment_id = index.open_segment(session.camera_id, start_ms, relpath, session.info.codec,
                                        session.info.width, session.info.height)
        try:
            sink = _FileSink(path)
        except OSError:
            index.delete_segments([segment_id])
            raise
        container = av.open(sink, "w", format="mpegts")
        stream = container.add_stream_from_template(session.template)
        return _OpenSegment(segment_id, path, sink, container, stream, start_ms, first.dts, session.time_base,
                            first.pts, first.dts - 1)

    def _close_segment(self, index: RecordingIndex, camera_id: str) -> None:
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

    def _fail(self, index: RecordingIndex, exc: Exception, camera_id: str) -> None:
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

    def _housekeeping(self, index: RecordingIndex) -> None:
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

    def _apply_retention(self, index: RecordingIndex) -> None:
        try:
            self.deleted += apply_retention(index, self.root, self.settings)
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


def apply_retention(index: RecordingIndex, root: Path, settings: RecordingSettings,
                    now_ms: int | None = None) -> int:
    """Delete what the retention rules choose (files, then rows); returns how many segments went."""
    now_ms = int(time.time() * 1000) if now_ms is None else now_ms
    free = shutil.disk_usage(root).free if root.exists() else settings.min_free_bytes
    oldest = index.oldest_closed(RETENTION_WINDOW)
    victims = retention_victims(oldest, now_ms, settings, index.used_bytes(), free,
                                held=index.held_ranges(now_ms))
    for row in victims:
        path = root / row.path
        with contextlib.suppress(FileNotFoundError):
            path.unlink()
        with contextlib.suppress(OSError):
            path.parent.rmdir()  # the day's folder, once empty
    index.delete_segments([row.id for row in victims])
    if victims:
        log.info("retention: %d segments deleted (%d bytes)", len(victims), sum(r.bytes for r in victims))
    return len(victims)


def recover(index: RecordingIndex, root: Path) -> int:
    """Close the segments a crash or power cut left open: their real end and size read from the file."""
    repaired = 0
    for row in index.unclosed():
        path = root / row.path
        if not path.exists():
            index.delete_segments([row.id])
            continue
        duration_ms, packets = probe_segment(path)
        index.update_segment(row.id, row.start_ms + duration_ms, path.stat().st_size, packets, row.gop_ms,
                             closed=True, recovered=True, keyframes=pack(scan_file(path)))
        repaired += 1
        log.info("recordings: %s repaired after an unclean stop (%d packets)", row.path, packets)
    return repaired


def probe_segment(path: Path) -> tuple[int, int]:
    """(duration in ms, packet count) of a segment, read to its last complete packet."""
    first: int | None = None
    last = 0
    packets = 0
    step = 0
    try:
        with av.open(str(path)) as container:
            stream = container.streams.video[0]
            base = stream.time_base or Fraction(1, 90000)
            for packet in container.demux(stream):
                if packet.size == 0 or packet.pts is None:
                    continue
                if first is None:
                    first = packet.pts
                if packet.pts > last:
                    step = packet.pts - last if packets else 0
                    last = packet.pts
                packets += 1
    except (av.error.FFmpegError, IndexError):
        return 0, packets
    if first is None:
        return 0, 0
    return int((last - first + step) * base * 1000), packets
