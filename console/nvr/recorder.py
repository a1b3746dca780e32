"""The common interface of the recorder adapters, and what they share: a search clipped to its window with phantom
items left out, a day's search in Vietnam time, many channels searched a few at a time, downloads written through
`console.nvr.download`, and the event stream read part by part."""

from __future__ import annotations

import abc
import asyncio
import logging
from collections.abc import AsyncIterator, Callable, Iterable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from datetime import date, datetime, time, timedelta
from pathlib import Path

import aiohttp

from console.core.credentials import Credentials
from console.core.vntime import VN_TZ
from console.nvr import download
from console.nvr.errors import NvrError, NvrErrorKind
from console.nvr.http import CALL_TIMEOUT_S, RecorderHttp
from console.nvr.messages import Operation
from console.nvr.models import (
    ClockReading,
    DownloadProgress,
    DownloadResult,
    MediaFormat,
    RecorderAddress,
    RecorderChannel,
    RecorderNotice,
    RecordingSegment,
    SearchResult,
    Vendor,
)
from console.nvr.multipart import MultipartError, MultipartStream, Part, boundary_of
from console.nvr.timebase import DeviceTimebase, TimeMode

log = logging.getLogger(__name__)

SEARCH_CONCURRENCY = 4  # searches at once against one recorder (they serve a handful of clients)
MAX_PAGES = 200  # a search that pages on past this is a recorder looping on its own cursor
DOWNLOAD_READ_TIMEOUT_S = 30.0
DEFAULT_ZONE_S = 7 * 3600


def vn_day(day: date) -> tuple[int, int]:
    """[start, end) of a calendar day in Vietnam time, in epoch ms."""
    start = datetime.combine(day, time(0), VN_TZ)
    return int(start.timestamp() * 1000), int((start + timedelta(days=1)).timestamp() * 1000)


def clip(segments: Iterable[RecordingSegment], start_ms: int, end_ms: int) -> list[RecordingSegment]:
    """The segments inside [start, end), cut at its edges, in time order, duplicates (same start and end) once."""
    found: dict[tuple[int, int], RecordingSegment] = {}
    for segment in segments:
        low, high = max(segment.start_ms, start_ms), min(segment.end_ms, end_ms)
        if low < high:
            found.setdefault((low, high), RecordingSegment(segment.channel, low, high, segment.playback_uri,
                                                           segment.size_bytes, segment.file_id, segment.device_uri))
    return [found[key] for key in sorted(found)]


class RecorderClient(abc.ABC):
    """One recorder. Call everything on the loop that made it (the network loop); `close` when done."""

    vendor: Vendor
    media_format: MediaFormat

    def __init__(self, address: RecorderAddress, credentials: Credentials | None, *,
                 timebase: DeviceTimebase | None = None, timeout_s: float = CALL_TIMEOUT_S) -> None:
        self.address = address
        self.http = RecorderHttp(address, credentials, self.vendor.value, timeout_s=timeout_s)
        self.timebase = timebase or self.default_timebase()
        self.clock: ClockReading | None = None

    @classmethod
    def default_timebase(cls) -> DeviceTimebase:
        return DeviceTimebase(TimeMode.UTC, DEFAULT_ZONE_S)

    # -- what each vendor does ------------------------------------------------------------------------------------
    @abc.abstractmethod
    async def device_name(self) -> str:
        """The recorder's model or name (the wizard's "Kiểm tra kết nối")."""

    @abc.abstractmethod
    async def channels(self) -> list[RecorderChannel]: ...

    @abc.abstractmethod
    async def read_clock(self, stored_mode: TimeMode | None = None, stored_zone_s: int | None = None) -> ClockReading:
        """Read the recorder's clock and work out its time mode (the site file's mode and zone win when given);
        from then on every time is converted with it (`self.timebase`)."""

    @abc.abstractmethod
    async def calendar(self, channel: int, year: int, month: int) -> frozenset[int]:
        """Days of the month that hold recordings of the channel."""

    @abc.abstractmethod
    def playback_uri(self, channel: int, at_ms: int, end_ms: int | None = None,
                     segment: RecordingSegment | None = None) -> str:
        """An RTSP URI (no credentials) that plays the channel from `at_ms`: the segment's own URI when given, its
        host replaced by the one the console reaches the recorder at."""

    @abc.abstractmethod
    async def _search_items(self, channel: int, start_ms: int, end_ms: int) -> SearchResult:
        """Every item the recorder lists for the window (unclipped), phantoms counted and left out."""

    @abc.abstractmethod
    def _download_request(self, channel: int, start_ms: int, end_ms: int,
                          segment: RecordingSegment | None) -> AbstractAsyncContextManager[aiohttp.ClientResponse]:
        ...

    @abc.abstractmethod
    def _event_request(self, heartbeat_s: float) -> AbstractAsyncContextManager[aiohttp.ClientResponse]: ...

    @abc.abstractmethod
    def _notice(self, part: Part) -> RecorderNotice | None:
        """One part of the event stream (None: a part that is not an event, a picture)."""

    # -- shared ---------------------------------------------------------------------------------------------------
    async def search(self, channel: int, start_ms: int, end_ms: int) -> SearchResult:
        """The channel's recordings in [start, end), clipped to it, in time order."""
        raw = await self._search_items(channel, start_ms, end_ms)
        return SearchResult(tuple(clip(raw.segments, start_ms, end_ms)), raw.phantoms, raw.unreadable, raw.pages)

    async def search_day(self, channel: int, day: date) -> SearchResult:
        return await self.search(channel, *vn_day(day))

    async def search_many(self, channels: Iterable[int], start_ms: int, end_ms: int) -> dict[int, SearchResult]:
        """Several channels' searches, `SEARCH_CONCURRENCY` at a time; the first failure is raised."""
        gate = asyncio.Semaphore(SEARCH_CONCURRENCY)

        async def one(number: int) -> tuple[int, SearchResult]:
            async with gate:
                return number, await self.search(number, start_ms, end_ms)

        return dict(await asyncio.gather(*(one(n) for n in channels)))

    async def download(self, channel: int, start_ms: int, end_ms: int, target: Path, *,
                       segment: RecordingSegment | None = None, on_progress: Callable[[DownloadProgress], None] | None
                       = None, cancel: asyncio.Event | None = None) -> DownloadResult:
        """[start, end) of the channel's recording into `target`, in the recorder's container, at the recorder's
        speed (from the keyframe at or before `start`). Raises `NvrError` (NO_DATA for a phantom, CANCELLED)."""
        try:
            async with self._download_request(channel, start_ms, end_ms, segment) as response:
                expected = response.content_length or (segment.size_bytes if segment else None)
                written, skipped, elapsed = await download.save(
                    self._body(response, Operation.DOWNLOAD), target, self.media_format, expected_bytes=expected,
                    on_progress=on_progress, cancel=cancel)
        except NvrError as exc:
            if exc.kind is NvrErrorKind.NOT_FOUND:  # the recorder listed it and has nothing: a phantom
                raise self.http.error(NvrErrorKind.NO_DATA, Operation.DOWNLOAD, status=exc.status,
                                      detail=exc.detail) from None
            raise
        except download.NoMediaError as exc:
            raise self.http.error(NvrErrorKind.NO_DATA, Operation.DOWNLOAD, detail=str(exc)) from None
        except asyncio.CancelledError:
            if cancel is not None and cancel.is_set():
                raise self.http.error(NvrErrorKind.CANCELLED, Operation.DOWNLOAD) from None
            raise
        if skipped:
            log.info("%s: %d bytes before the media dropped from the download", self.address.http, skipped)
        return DownloadResult(target, written, skipped, self.media_format, start_ms, end_ms, elapsed)

    async def _body(self, response: aiohttp.ClientResponse, operation: Operation) -> AsyncIterator[bytes]:
        try:
            async for chunk in response.content.iter_any():
                yield chunk
        except (aiohttp.ClientError, OSError, TimeoutError) as exc:
            raise self.http.failure(exc, operation, DOWNLOAD_READ_TIMEOUT_S) from None

    @asynccontextmanager
    async def events(self, heartbeat_s: float = 5.0) -> AsyncIterator[AsyncIterator[RecorderNotice]]:
        """The recorder's event stream (one connection for every channel) as notices, heartbeats included; the
        caller limits how long it waits for each (`console.nvr.events` reconnects a silent stream)."""
        async with self._event_request(heartbeat_s) as response:
            boundary = boundary_of(response.headers.get("Content-Type", ""))
            if boundary is None:
                raise self.http.error(NvrErrorKind.MALFORMED, Operation.EVENTS,
                                      detail=f"not multipart: {response.headers.get('Content-Type', '')!r}")
            yield self._notices(response, MultipartStream(boundary))

    async def _notices(self, response: aiohttp.ClientResponse,
                       stream: MultipartStream) -> AsyncIterator[RecorderNotice]:
        async for chunk in self._body(response, Operation.EVENTS):
            try:
                parts = stream.feed(chunk)
            except MultipartError as exc:
                raise self.http.error(NvrErrorKind.MALFORMED, Operation.EVENTS, detail=str(exc)) from None
            for part in parts:
                try:
                    notice = self._notice(part)
                except ValueError as exc:  # one unreadable part is logged; the stream goes on
                    log.warning("%s: an event part that cannot be read: %s", self.address.http, exc)
                    continue
                if notice is not None:
                    yield notice

    def malformed(self, operation: Operation, exc: Exception) -> NvrError:
        return self.http.error(NvrErrorKind.MALFORMED, operation, detail=str(exc))

    async def close(self) -> None:
        await self.http.close()
