"""Recording rules without I/O: settings, the pre-roll ring of whole GOPs, retention choices, timeline ranges."""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Generic, Protocol, TypeVar

from console.core.alerts import AlertEvent, AlertKind
from console.core.vntime import vn_moment

DAY_MS = 86_400_000
ALERT_LEAD_MS = 10_000  # an alert's recording is shown from this long before the alert


@dataclass(frozen=True)
class RecordingSettings:
    # A segment is cut at the first keyframe after this long. One minute (as Nx Witness's chunks): retention
    # frees space a minute at a time, and the repair after a power cut reads at most a minute per camera.
    # Seeks do not depend on it (the player starts at the keyframe's byte, from the saved keyframe list).
    segment_s: float = 60.0
    preroll_s: float = 5.0  # on-alert recording starts this long before the alert (whole GOPs)
    postroll_s: float = 10.0  # and goes on this long after the alert's last event
    retention_days: float = 30.0
    quota_bytes: int = 0  # 0: no quota, only the disk's own size and `min_free_bytes`
    min_free_bytes: int = 2 * 1024**3  # below this free space the oldest segments go first
    queue_limit_bytes: int = 64 * 1024**2  # per camera, when the disk stalls; beyond it packets are dropped
    index_every_s: float = 5.0  # how often an open segment's end and size reach the index
    sync_every_s: float = 10.0  # fsync of open segments: what a power cut can take at most
    retry_after_s: float = 60.0  # after a write failure, try again this much later


class RecordFailure(StrEnum):
    DISK_FULL = "disk_full"
    UNWRITABLE = "unwritable"


@dataclass(frozen=True)
class SegmentRow:
    """One file of one camera's recording: continuous from `start_ms` to `end_ms` (wall clock, UTC ms)."""

    id: int
    camera_id: str
    start_ms: int
    end_ms: int
    path: str  # relative to the recordings folder
    bytes: int
    codec: str
    closed: bool
    gop_ms: int = 2000  # the longest keyframe interval seen in it


class SegmentIndex(Protocol):
    """The recording index as the recorder needs it (store/recordings.RecordingIndex is the SQLite one).
    One per thread: the writer opens its own through the opener app.py hands it, and closes it."""

    def open_segment(self, camera_id: str, start_ms: int, path: str, codec: str, width: int, height: int, *,
                     clock_offset_s: float | None = None) -> int:
        ...

    def update_segment(self, segment_id: int, end_ms: int, size: int, packets: int, gop_ms: int, *,
                       closed: bool = False, recovered: bool = False, keyframes: bytes | None = None) -> None:
        ...

    def delete_segments(self, ids: Sequence[int]) -> None: ...

    def unclosed(self) -> list[SegmentRow]: ...

    def oldest_closed(self, limit: int) -> list[SegmentRow]: ...

    def used_bytes(self) -> int: ...

    def held_ranges(self, now_ms: int) -> dict[str, list[TimeRange]]: ...

    def close(self) -> None: ...


class ExportIndex(Protocol):
    """The index as an evidence export needs it: the camera's segments, and its audit row."""

    def segments(self, camera_id: str, start_ms: int, end_ms: int) -> list[SegmentRow]: ...

    def begin_export(self, camera_id: str, span: TimeRange, path: str, actor: str, at_ms: int) -> int: ...

    def finish_export(self, export_id: int, state: str, at_ms: int, sha256: str | None = None,
                      size: int | None = None, detail: str = "") -> None: ...

    def close(self) -> None: ...


@dataclass(frozen=True)
class TimeRange:
    start_ms: int
    end_ms: int

    def overlaps(self, other: TimeRange) -> bool:
        return self.start_ms < other.end_ms and other.start_ms < self.end_ms

    def contains(self, at_ms: int) -> bool:
        return self.start_ms <= at_ms < self.end_ms


def merged(ranges: Iterable[TimeRange], join_gap_ms: int = 1000) -> list[TimeRange]:
    """Recorded ranges as the timeline draws them: segments closer than `join_gap_ms` are one range."""
    out: list[TimeRange] = []
    for item in sorted(ranges, key=lambda r: r.start_ms):
        if out and item.start_ms - out[-1].end_ms <= join_gap_ms:
            last = out[-1]
            out[-1] = TimeRange(last.start_ms, max(last.end_ms, item.end_ms))
        else:
            out.append(item)
    return out


def gaps(ranges: Sequence[TimeRange], within: TimeRange) -> list[TimeRange]:
    """The parts of `within` no range covers (`ranges` merged and sorted)."""
    out: list[TimeRange] = []
    cursor = within.start_ms
    for item in ranges:
        if item.end_ms <= cursor:
            continue
        if item.start_ms >= within.end_ms:
            break
        if item.start_ms > cursor:
            out.append(TimeRange(cursor, item.start_ms))
        cursor = max(cursor, item.end_ms)
    if cursor < within.end_ms:
        out.append(TimeRange(cursor, within.end_ms))
    return out


def retention_victims(segments: Sequence[SegmentRow], now_ms: int, settings: RecordingSettings,
                      used_bytes: int, free_bytes: int,
                      held: Mapping[str, Sequence[TimeRange]] | None = None) -> list[SegmentRow]:
    """Closed segments to delete, oldest first: older than the retention days, then as many of the oldest as
    bring the recordings under the quota and the disk above its free-space floor. A segment overlapping a
    `held` range of its camera (an unacknowledged alert, an export) is never chosen."""
    held = held or {}

    def is_protected(row: SegmentRow) -> bool:
        span = TimeRange(row.start_ms, row.end_ms)
        return any(span.overlaps(r) for r in held.get(row.camera_id, ()))

    victims: list[SegmentRow] = []
    cutoff = now_ms - int(settings.retention_days * DAY_MS)
    over_quota = used_bytes - settings.quota_bytes if settings.quota_bytes else 0
    short_of_free = settings.min_free_bytes - free_bytes
    excess = max(over_quota, short_of_free, 0)
    for row in sorted(segments, key=lambda r: r.start_ms):
        if not row.closed or is_protected(row):
            continue
        if row.end_ms < cutoff or excess > 0:
            victims.append(row)
            excess -= row.bytes
    return victims


T = TypeVar("T")


class GopRing(Generic[T]):
    """The last `seconds` of a stream as whole GOPs (a decoder can start at the ring's first item).

    `push` takes each packet with its key flag and its time in seconds; a GOP is dropped only when the GOP
    after it alone still covers the pre-roll, so the ring holds at least `seconds` whenever it can.
    """

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self._gops: deque[list[tuple[float, T]]] = deque()

    def push(self, item: T, key: bool, at_s: float) -> None:
        if key or not self._gops:
            if not key and not self._gops:
                return  # no keyframe seen yet: nothing decodable to keep
            self._gops.append([])
        self._gops[-1].append((at_s, item))
        while len(self._gops) > 1 and at_s - self._gops[1][0][0] >= self.seconds:
            self._gops.popleft()

    def drain(self) -> list[T]:
        items = [item for gop in self._gops for _, item in gop]
        self._gops.clear()
        return items

    def clear(self) -> None:
        self._gops.clear()

    def __len__(self) -> int:
        return sum(len(g) for g in self._gops)


def segment_relpath(camera_id: str, start_ms: int) -> str:
    """`C01/2026-11-24/C01_173005_<ms>.ts`: a folder a day per camera, the day and time in UTC+7."""
    local = vn_moment(start_ms)
    return f"{camera_id}/{local:%Y-%m-%d}/{camera_id}_{local:%H%M%S}_{start_ms}.ts"


class RecordingAlerts:
    """Turns the recorder's failure and recovery into one alert episode (start, then end when it works again)."""

    def __init__(self, submit: Callable[[AlertEvent], None], next_id: Callable[[], int],
                 clock_ms: Callable[[], int]) -> None:
        self._submit = submit
        self._next_id = next_id
        self._clock_ms = clock_ms
        self._open: int | None = None

    def __call__(self, failure: RecordFailure | None, detail: str) -> None:
        now = self._clock_ms()
        if failure is not None and self._open is None:
            self._open = self._next_id()
            self._submit(AlertEvent(self._open, None, None, AlertKind.RECORDING_FAILED, now, 1.0, "start",
                                    note=f"{failure.value}: {detail}"))
        elif failure is None and self._open is not None:
            self._submit(AlertEvent(self._open, None, None, AlertKind.RECORDING_FAILED, now, 1.0, "end"))
            self._open = None
