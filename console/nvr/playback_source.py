"""Where the playback window's picture comes from: the console's own recording, or the station's recorder (NVR)
in the gaps of it. The recorder's ranges of a camera are searched a Vietnam day at a time on the network loop
(`RecorderServices.call`), kept here, and merged with the console's own: where the console recorded, its own
file plays; where only the recorder has video, the recorder's RTSP playback does, at the speeds its vendor plays
(`device_speeds`), seeking with its own clock text (`RtspClock`). An export of a range is cut the same way
(`export_parts`): the console's own where it recorded, the recorder's download in the holes.

No Qt here: the window asks and receives futures, and hands their outcome back on its own thread.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import logging
import threading
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from enum import StrEnum
from pathlib import Path
from typing import Protocol, TypeVar

from console.core.credentials import Credentials, with_credentials
from console.core.recording import TimeRange
from console.core.vntime import VN_TZ
from console.nvr.errors import NvrError
from console.nvr.models import DownloadProgress, DownloadResult, RecordingSegment, Vendor
from console.nvr.recorder import RecorderClient, vn_day
from console.nvr.services import RecorderClock
from console.nvr.timebase import DeviceTimebase, TimeTextError

log = logging.getLogger(__name__)
_T = TypeVar("_T")

JOIN_WITHIN_MS = 2000  # recorder files closer than this are one range on the timeline
PLAYBACK_WINDOW_MS = 3_600_000  # the end a playback URI names when the range runs on past it
# The PLAY `Scale` values offered per vendor: an assumption, not read from a device or a vendor document (none was
# at hand): Hikvision 1/4× to 16×, Dahua 1/4× to 8×. A speed a recorder refuses is said to the officer, not retried.
SPEEDS: dict[str, tuple[float, ...]] = {
    Vendor.HIKVISION.value: (0.25, 0.5, 1.0, 2.0, 4.0, 8.0, 16.0),
    Vendor.DAHUA.value: (0.25, 0.5, 1.0, 2.0, 4.0, 8.0),
}
DAHUA_RTSP_TIME = "%Y_%m_%d_%H_%M_%S"


def device_speeds(vendor: str) -> tuple[float, ...]:
    """The speeds a recorder of this vendor plays back at (1× alone for a vendor not known here)."""
    return SPEEDS.get(vendor, (1.0,))


@dataclass(frozen=True)
class RtspClock:
    """A moment as one recorder writes it in RTSP `Range: clock=` and reads it back: as in its playback URIs
    (Hikvision `20210818T151815Z`, UTC or local under the `Z` by its time mode; Dahua `2021_08_18_15_18_15`, local)."""

    vendor: str
    timebase: DeviceTimebase

    @property
    def onvif_replay(self) -> bool:
        return self.vendor == Vendor.ONVIF.value

    def write(self, at_ms: int) -> str:
        if self.vendor == Vendor.DAHUA.value:
            return self.timebase.dahua_rtsp(at_ms)
        return self.timebase.compact(at_ms)

    def read(self, text: str) -> int:
        """Raises ValueError (`TimeTextError`) for a text it cannot read."""
        if self.vendor == Vendor.DAHUA.value:
            try:
                local = datetime.strptime(text.strip(), DAHUA_RTSP_TIME)
            except ValueError:
                raise TimeTextError(text) from None
            return self.timebase.read_dahua(local.strftime("%Y-%m-%d %H:%M:%S"))
        return self.timebase.read_compact(text)


@dataclass(frozen=True)
class PlaybackTarget:
    """What a player needs to play a camera from the recorder: the URL (credentials in it: never logged) and the
    recorder's clock text for seeking."""

    url: str = field(repr=False)
    clock: RtspClock


class Source(StrEnum):
    OWN = "own"  # the console's own recording
    RECORDER = "recorder"  # the station's recorder, in a gap of the console's own
    NONE = "none"


class RecorderAccess(Protocol):
    """What this needs of `RecorderServices` (the recorders on the network loop)."""

    def channel_of(self, camera_id: str) -> tuple[str, int] | None: ...

    def call(self, recorder_id: str,
             operation: Callable[[RecorderClient], Awaitable[_T]]) -> concurrent.futures.Future[_T]: ...

    def credentials_of(self, recorder_id: str) -> Credentials | None: ...

    def clock(self, recorder_id: str) -> RecorderClock | None: ...


@dataclass(frozen=True)
class DaySearch:
    """The recorder's recordings of one camera on one Vietnam day, or why they could not be read."""

    camera_id: str
    recorder_id: str
    day: date
    segments: tuple[RecordingSegment, ...] = ()
    error: NvrError | None = None

    @property
    def ranges(self) -> list[TimeRange]:
        merged: list[TimeRange] = []
        for segment in self.segments:
            if merged and segment.start_ms - merged[-1].end_ms <= JOIN_WITHIN_MS:
                merged[-1] = TimeRange(merged[-1].start_ms, max(merged[-1].end_ms, segment.end_ms))
            else:
                merged.append(TimeRange(segment.start_ms, segment.end_ms))
        return merged


def vn_days(start_ms: int, end_ms: int) -> list[date]:
    """The Vietnam days [start, end) touches (a 24-h timeline view straddles two)."""
    first = datetime.fromtimestamp(start_ms / 1000, VN_TZ).date()
    last = datetime.fromtimestamp(max(start_ms, end_ms - 1) / 1000, VN_TZ).date()
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


def source_at(own: Sequence[TimeRange], recorder: Sequence[TimeRange], at_ms: int) -> Source:
    """Own recording first; the recorder only where the console has none."""
    if any(r.contains(at_ms) for r in own):
        return Source.OWN
    if any(r.contains(at_ms) for r in recorder):
        return Source.RECORDER
    return Source.NONE


def export_parts(own: Sequence[TimeRange], recorder: Sequence[TimeRange], span: TimeRange
                 ) -> list[tuple[Source, TimeRange]]:
    """[start, end) cut into the console's own recording and, in its holes, the recorder's, in time order (what
    neither holds is left out: a gap stays a gap)."""
    inside = [TimeRange(max(r.start_ms, span.start_ms), min(r.end_ms, span.end_ms)) for r in own if r.overlaps(span)]
    parts = [(Source.OWN, r) for r in inside]
    clipped = [TimeRange(max(r.start_ms, span.start_ms), min(r.end_ms, span.end_ms))
               for r in recorder if r.overlaps(span)]
    parts += [(Source.RECORDER, r) for r in gaps_filled(inside, clipped)]
    return sorted(parts, key=lambda part: part[1].start_ms)


def gaps_filled(own: Sequence[TimeRange], recorder: Sequence[TimeRange]) -> list[TimeRange]:
    """The recorder's ranges less the console's own: what the recorder adds to the timeline."""
    out: list[TimeRange] = []
    ordered = sorted(own, key=lambda r: r.start_ms)
    for item in sorted(recorder, key=lambda r: r.start_ms):
        start = item.start_ms
        for mine in ordered:
            if mine.end_ms <= start or mine.start_ms >= item.end_ms:
                continue
            if mine.start_ms > start:
                out.append(TimeRange(start, mine.start_ms))
            start = max(start, mine.end_ms)
        if start < item.end_ms:
            out.append(TimeRange(start, item.end_ms))
    return out


class RecorderPlayback:
    """The recorder side of one playback window: day searches kept per camera, month calendars, playback URLs
    and downloads. `search_*` and `download` return futures of the network loop; the rest is instant."""

    def __init__(self, recorders: RecorderAccess) -> None:
        self._recorders = recorders
        self._lock = threading.Lock()
        self._days: dict[tuple[str, date], DaySearch] = {}
        self._asked: dict[tuple[str, date], concurrent.futures.Future[DaySearch]] = {}

    def channel_of(self, camera_id: str) -> tuple[str, int] | None:
        return self._recorders.channel_of(camera_id)

    # -- searching ------------------------------------------------------------------------------------------------
    def search_day(self, camera_id: str, day: date, again: bool = False) -> concurrent.futures.Future[DaySearch]:
        """The recorder's recordings of the camera that day (a search already made or under way is reused)."""
        where = self.channel_of(camera_id)
        key = (camera_id, day)
        with self._lock:
            known = self._days.get(key)
            if known is not None and known.error is None and not again:
                done: concurrent.futures.Future[DaySearch] = concurrent.futures.Future()
                done.set_result(known)
                return done
            running = self._asked.get(key)
            if running is not None and not running.done():
                return running
        if where is None:
            raise KeyError(camera_id)
        recorder_id, channel = where

        async def search(recorder: RecorderClient) -> DaySearch:
            try:
                found = await recorder.search_day(channel, day)
            except NvrError as exc:
                log.warning("%s: the recorder's search of %s on %s failed: %s", recorder_id, camera_id, day,
                            exc.message_en)
                return DaySearch(camera_id, recorder_id, day, error=exc)
            return DaySearch(camera_id, recorder_id, day, found.segments)

        future: concurrent.futures.Future[DaySearch] = self._recorders.call(recorder_id, search)
        future.add_done_callback(lambda f: self._keep(key, f))
        with self._lock:
            self._asked[key] = future
        return future

    def _keep(self, key: tuple[str, date], future: concurrent.futures.Future[DaySearch]) -> None:
        if future.cancelled() or future.exception() is not None:
            return
        with self._lock:
            self._days[key] = future.result()

    def searched(self, camera_id: str, day: date) -> DaySearch | None:
        with self._lock:
            return self._days.get((camera_id, day))

    def ranges(self, camera_id: str, start_ms: int, end_ms: int) -> list[TimeRange]:
        """The recorder's ranges in [start, end) as searched so far (days not searched yet: none)."""
        found: list[TimeRange] = []
        for day in vn_days(start_ms, end_ms):
            search = self.searched(camera_id, day)
            if search is not None:
                found.extend(r for r in search.ranges if r.start_ms < end_ms and start_ms < r.end_ms)
        return found

    def segment_at(self, camera_id: str, at_ms: int) -> RecordingSegment | None:
        search = self.searched(camera_id, vn_days(at_ms, at_ms + 1)[0])
        if search is None:
            return None
        return next((s for s in search.segments if s.contains(at_ms)), None)

    def month_days(self, camera_id: str, year: int, month: int) -> concurrent.futures.Future[frozenset[date]]:
        """Days of the month the recorder holds the camera's recordings (one calendar request)."""
        where = self.channel_of(camera_id)
        if where is None:
            raise KeyError(camera_id)
        recorder_id, channel = where

        async def calendar(recorder: RecorderClient) -> frozenset[date]:
            days = await recorder.calendar(channel, year, month)
            return frozenset(date(year, month, d) for d in days)

        return self._recorders.call(recorder_id, calendar)

    def clock_offset_s(self, camera_id: str) -> float | None:
        """The camera's recorder's clock minus the station's as last read (for an export's manifest)."""
        where = self.channel_of(camera_id)
        clock = self._recorders.clock(where[0]) if where is not None else None
        return clock.offset_s if clock is not None else None

    # -- playing and downloading ----------------------------------------------------------------------------------
    def playback_url(self, camera_id: str, at_ms: int) -> concurrent.futures.Future[PlaybackTarget]:
        """The RTSP URL (credentials filled in, never logged) that plays the camera from `at_ms`: the recorder's
        own playback URI of the file there when the search returned one, its host replaced by the one the console
        reaches the recorder at (the adapter's `playback_uri` does both); with the recorder's clock for seeks."""
        where = self.channel_of(camera_id)
        if where is None:
            raise KeyError(camera_id)
        recorder_id, channel = where
        segment = self.segment_at(camera_id, at_ms)
        end_ms = segment.end_ms if segment is not None else at_ms + PLAYBACK_WINDOW_MS
        credentials = self._recorders.credentials_of(recorder_id)

        async def uri(recorder: RecorderClient) -> PlaybackTarget:
            return PlaybackTarget(with_credentials(recorder.playback_uri(channel, at_ms, end_ms, segment), credentials),
                                  RtspClock(recorder.vendor.value, recorder.timebase))

        return self._recorders.call(recorder_id, uri)

    def download(self, camera_id: str, span: TimeRange, target: Path, on_progress: Callable[[DownloadProgress], None],
                 cancel: threading.Event) -> concurrent.futures.Future[DownloadResult]:
        """[start, end) of the camera's recording on the recorder into `target` by the vendor's file API; setting
        `cancel` (from any thread) ends it with `NvrError(CANCELLED)` and no file left."""
        where = self.channel_of(camera_id)
        if where is None:
            raise KeyError(camera_id)
        recorder_id, channel = where

        async def fetch(recorder: RecorderClient) -> DownloadResult:
            stop = asyncio.Event()  # the adapter's cancel lives on the loop; the officer's click on the GUI thread
            watch = asyncio.get_running_loop().create_task(_relay(cancel, stop))
            try:
                return await recorder.download(channel, span.start_ms, span.end_ms, target, on_progress=on_progress,
                                               cancel=stop)
            finally:
                watch.cancel()

        return self._recorders.call(recorder_id, fetch)

    @staticmethod
    def day_window(day: date) -> TimeRange:
        return TimeRange(*vn_day(day))


async def _relay(flag: threading.Event, event: asyncio.Event, every_s: float = 0.05) -> None:
    while not flag.is_set():
        await asyncio.sleep(every_s)
    event.set()
