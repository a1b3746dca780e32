"""The Hikvision recorder adapter (ISAPI): channels from `InputProxy/channels`, search by `POST ContentMgmt/search`
paged until the recorder stops saying MORE (the position advanced by what each page held: a recorder may hold fewer
than asked), the calendar from `dailyDistribution`, playback by the returned `playbackURI`, downloads by
`ContentMgmt/download`, the clock from `System/time`, events from `alertStream`."""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import aiohttp

from console.nvr import isapi
from console.nvr.clock import isapi_timebase
from console.nvr.errors import NvrError
from console.nvr.messages import Operation
from console.nvr.models import (
    ClockReading,
    MediaFormat,
    RecorderChannel,
    RecorderNotice,
    RecordingSegment,
    SearchResult,
    Vendor,
)
from console.nvr.multipart import Part
from console.nvr.recorder import MAX_PAGES, RecorderClient
from console.nvr.timebase import TimeMode, TimeTextError
from console.nvr.uri import reachable, with_query

log = logging.getLogger(__name__)

PAGE_SIZE = 50  # asked per page; a recorder may hold fewer (iVMS asks 40–100)
DAY_MS = 86_400_000
AHEAD_MS = 30 * 60 * 1000  # a newest recording ending this far past now was written in local time under a Z
PROBE_BEFORE_MS = 60 * 60 * 1000
PROBE_AFTER_MS = 14 * 60 * 60 * 1000


def track(channel: int, sub: bool = False) -> int:
    """ISAPI's track (and stream) id: channel 7's main stream is 701, its sub stream 702."""
    return channel * 100 + (2 if sub else 1)


class HikvisionRecorder(RecorderClient):
    vendor = Vendor.HIKVISION
    media_format = MediaFormat.HIKVISION_PS

    def _rtsp_base(self) -> str:
        host = f"[{self.address.host}]" if ":" in self.address.host else self.address.host
        return f"rtsp://{host}:{self.address.rtsp_port}"

    async def _xml(self, method: str, path: str, operation: Operation, data: bytes | None = None) -> bytes:
        answer = await self.http.call(method, self.http.url(path), operation, data=data)
        return answer.body

    async def device_name(self) -> str:
        body = await self._xml("GET", "/ISAPI/System/deviceInfo", Operation.DEVICE_INFO)
        try:
            root = isapi.parse(body, "DeviceInfo")
        except isapi.IsapiFormatError as exc:
            raise self.malformed(Operation.DEVICE_INFO, exc) from None
        return isapi.text(root, "model") or isapi.text(root, "deviceName")

    async def channels(self) -> list[RecorderChannel]:
        body = await self._xml("GET", "/ISAPI/ContentMgmt/InputProxy/channels", Operation.CHANNELS)
        try:
            found = isapi.proxy_channels(body)
        except isapi.IsapiFormatError as exc:
            raise self.malformed(Operation.CHANNELS, exc) from None
        online: dict[int, bool] = {}
        try:
            online = isapi.proxy_online(await self._xml("GET", "/ISAPI/ContentMgmt/InputProxy/channels/status",
                                                        Operation.CHANNELS))
        except (NvrError, isapi.IsapiFormatError) as exc:  # older firmware has no status list; names are enough
            log.info("%s: no channel status (%s)", self.address.http, exc)
        base = self._rtsp_base()
        return [RecorderChannel(c.number, c.name, f"{base}/Streaming/Channels/{track(c.number)}",
                                f"{base}/Streaming/Channels/{track(c.number, sub=True)}", online.get(c.number))
                for c in found]

    # -- clock ----------------------------------------------------------------------------------------------------
    async def read_clock(self, stored_mode: TimeMode | None = None, stored_zone_s: int | None = None) -> ClockReading:
        body = await self._xml("GET", "/ISAPI/System/time", Operation.CLOCK)
        station_ms = _now_ms()
        try:
            reading = isapi.device_time(body)
            timebase = isapi_timebase(reading.local_time, reading.zone, station_ms, stored_mode, stored_zone_s)
        except (isapi.IsapiFormatError, TimeTextError) as exc:
            raise self.malformed(Operation.CLOCK, exc) from None
        self.timebase = timebase
        if stored_mode is None and timebase.mode is TimeMode.UTC and await self._newest_is_ahead(station_ms):
            timebase = type(timebase)(TimeMode.LOCAL_AS_UTC, timebase.zone_offset_s, timebase.clock_offset_ms)
            log.info("%s writes recordings in local time under a Z: reading them as such", self.address.http)
            self.timebase = timebase
        self.clock = ClockReading(timebase, reading.local_time, station_ms, reading.zone, stored_mode is not None)
        return self.clock

    async def _newest_is_ahead(self, now_ms: int) -> bool:
        """Whether channel 1's newest recording, read as UTC, ends well after now (local time under a Z)."""
        try:
            found = await self._search_items(1, now_ms - PROBE_BEFORE_MS, now_ms + PROBE_AFTER_MS)
        except NvrError as exc:
            log.info("%s: the time mode check by recordings failed: %s", self.address.http, exc.kind.value)
            return False
        return bool(found.segments) and max(s.end_ms for s in found.segments) > now_ms + AHEAD_MS

    # -- search ---------------------------------------------------------------------------------------------------
    async def _search_items(self, channel: int, start_ms: int, end_ms: int) -> SearchResult:
        search_id = str(uuid.uuid4()).upper()
        timebase = self.timebase
        segments: list[RecordingSegment] = []
        phantoms = unreadable = pages = position = 0
        while pages < MAX_PAGES:
            body = isapi.search_description(search_id, track(channel), timebase.isapi(start_ms),
                                            timebase.isapi(end_ms), position, PAGE_SIZE)
            answer = await self._xml("POST", "/ISAPI/ContentMgmt/search", Operation.SEARCH, body)
            try:
                page = isapi.search_page(answer, timebase)
            except isapi.IsapiFormatError as exc:
                raise self.malformed(Operation.SEARCH, exc) from None
            pages += 1
            unreadable += page.unreadable
            for item in page.items:
                if item.size_bytes == 0:  # listed with nothing behind it
                    phantoms += 1
                    continue
                segments.append(RecordingSegment(channel, item.start_ms, item.end_ms,
                                                 reachable(item.playback_uri, self.address), item.size_bytes,
                                                 item.name, item.playback_uri))
            held = max(page.matches, len(page.items) + page.unreadable)
            if page.status != "MORE" or held == 0:
                break
            position += held
        else:
            log.warning("%s: channel %d's search still said MORE after %d pages", self.address.http, channel, pages)
        if phantoms:
            log.info("%s: channel %d: %d search items without recording left out", self.address.http, channel,
                     phantoms)
        return SearchResult(tuple(segments), phantoms, unreadable, pages)

    async def calendar(self, channel: int, year: int, month: int) -> frozenset[int]:
        body = await self._xml("POST", f"/ISAPI/ContentMgmt/record/tracks/{track(channel)}/dailyDistribution",
                               Operation.CALENDAR, isapi.daily_request(year, month))
        try:
            return isapi.recorded_days(body)
        except isapi.IsapiFormatError as exc:
            raise self.malformed(Operation.CALENDAR, exc) from None

    # -- playback and download ------------------------------------------------------------------------------------
    def _uri(self, channel: int, at_ms: int, end_ms: int | None, segment: RecordingSegment | None) -> str:
        base = segment.device_uri if segment and segment.device_uri else \
            f"{self._rtsp_base()}/Streaming/tracks/{track(channel)}/"
        end = end_ms if end_ms is not None else (segment.end_ms if segment else at_ms + DAY_MS)
        return with_query(base, {"starttime": self.timebase.compact(at_ms), "endtime": self.timebase.compact(end)})

    def playback_uri(self, channel: int, at_ms: int, end_ms: int | None = None,
                     segment: RecordingSegment | None = None) -> str:
        return reachable(self._uri(channel, at_ms, end_ms, segment), self.address)

    @asynccontextmanager
    async def _download_request(self, channel: int, start_ms: int, end_ms: int,
                                segment: RecordingSegment | None) -> AsyncIterator[aiohttp.ClientResponse]:
        body = isapi.download_request(self._uri(channel, start_ms, end_ms, segment))
        async with self.http.stream("GET", self.http.url("/ISAPI/ContentMgmt/download"), Operation.DOWNLOAD,
                                    data=body, read_timeout_s=30.0) as response:
            yield response

    # -- events ---------------------------------------------------------------------------------------------------
    @asynccontextmanager
    async def _event_request(self, heartbeat_s: float) -> AsyncIterator[aiohttp.ClientResponse]:
        del heartbeat_s  # the recorder keeps its own heartbeat (about every 10 s)
        async with self.http.stream("GET", self.http.url("/ISAPI/Event/notification/alertStream"),
                                    Operation.EVENTS) as response:
            yield response

    def _notice(self, part: Part) -> RecorderNotice | None:
        if not ("xml" in part.content_type or "json" in part.content_type or part.body.lstrip().startswith(b"<")):
            return None  # a picture attached to an event
        return isapi.alert_notice(part.body, part.content_type)


def _now_ms() -> int:
    return int(time.time() * 1000)
