"""The Dahua recorder adapter (CGI): channel names from `configManager ChannelTitle` (and their state from
`LogicDeviceManager` when the firmware has it), search by `mediaFileFind.cgi` (create, findFile, findNextFile until
it finds none — a page may hold fewer than asked — then close and destroy), playback by `cam/playback`, downloads by
`loadfile.cgi` (a DHAV stream, the preamble before it dropped), the clock from `global.cgi`, events from
`eventManager.cgi?action=attach` with a heartbeat. Times are the recorder's local time, unmarked."""

from __future__ import annotations

import contextlib
import logging
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import datetime, timedelta

import aiohttp

from console.core.vntime import VN_TZ
from console.nvr import dahua_text as text
from console.nvr.clock import dahua_timebase
from console.nvr.errors import NvrError, NvrErrorKind
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
from console.nvr.recorder import DEFAULT_ZONE_S, MAX_PAGES, RecorderClient
from console.nvr.timebase import DeviceTimebase, TimeMode, TimeTextError

log = logging.getLogger(__name__)

PAGE_COUNT = 100  # findNextFile's count (the documented maximum)
DAY_MS = 86_400_000
SAFE = "[],:"  # left as they are in query strings: the CGI reads `codes=[All]` and `12:00:00` literally


class DahuaRecorder(RecorderClient):
    vendor = Vendor.DAHUA
    media_format = MediaFormat.DAHUA_DAV

    @classmethod
    def default_timebase(cls) -> DeviceTimebase:
        return DeviceTimebase(TimeMode.LOCAL, DEFAULT_ZONE_S)

    def _rtsp_base(self) -> str:
        host = f"[{self.address.host}]" if ":" in self.address.host else self.address.host
        return f"rtsp://{host}:{self.address.rtsp_port}"

    async def _cgi(self, script: str, operation: Operation, **params: str | int) -> bytes:
        answer = await self.http.call("GET", self.http.url(f"/cgi-bin/{script}", params, SAFE), operation)
        return answer.body

    async def device_name(self) -> str:
        try:
            return text.result(await self._cgi("magicBox.cgi", Operation.DEVICE_INFO, action="getDeviceType"),
                               "type")
        except text.DahuaFormatError as exc:
            raise self.malformed(Operation.DEVICE_INFO, exc) from None

    async def channels(self) -> list[RecorderChannel]:
        body = await self._cgi("configManager.cgi", Operation.CHANNELS, action="getConfig", name="ChannelTitle")
        titles = text.indexed(text.pairs(body), "table.ChannelTitle")
        if not titles:
            raise self.malformed(Operation.CHANNELS, ValueError("no table.ChannelTitle[n].Name= lines"))
        enabled: dict[int, bool] = {}
        try:
            cameras = text.indexed(text.pairs(await self._cgi("LogicDeviceManager.cgi", Operation.CHANNELS,
                                                              action="getCameraAll")), "camera")
            enabled = {int(c["Channel"]) + 1: c.get("Enable", "").lower() == "true" for c in cameras.values()
                       if c.get("Channel", "").isdigit()}
        except NvrError as exc:  # not every firmware has it; the titles are enough
            log.info("%s: no LogicDeviceManager (%s)", self.address.http, exc.kind.value)
        base = self._rtsp_base()
        return [RecorderChannel(index + 1, fields.get("Name") or f"Kênh {index + 1}",
                                f"{base}/cam/realmonitor?channel={index + 1}&subtype=0",
                                f"{base}/cam/realmonitor?channel={index + 1}&subtype=1", enabled.get(index + 1))
                for index, fields in sorted(titles.items())]

    # -- clock ----------------------------------------------------------------------------------------------------
    async def read_clock(self, stored_mode: TimeMode | None = None, stored_zone_s: int | None = None) -> ClockReading:
        body = await self._cgi("global.cgi", Operation.CLOCK, action="getCurrentTime")
        station_ms = int(time.time() * 1000)
        try:
            said = text.result(body)
            timebase = dahua_timebase(said, station_ms, stored_zone_s)
        except (text.DahuaFormatError, TimeTextError) as exc:
            raise self.malformed(Operation.CLOCK, exc) from None
        if stored_mode is not None and stored_mode is not TimeMode.LOCAL:
            log.warning("%s: a Dahua recorder writes local times; time mode %s ignored", self.address.http,
                        stored_mode.value)
        self.timebase = timebase
        self.clock = ClockReading(timebase, said, station_ms, "", stored_zone_s is not None)
        return self.clock

    # -- search ---------------------------------------------------------------------------------------------------
    async def _search_items(self, channel: int, start_ms: int, end_ms: int) -> SearchResult:
        timebase = self.timebase
        try:
            finder = text.result(await self._cgi("mediaFileFind.cgi", Operation.SEARCH, action="factory.create"))
        except text.DahuaFormatError as exc:
            raise self.malformed(Operation.SEARCH, exc) from None
        segments: list[RecordingSegment] = []
        phantoms = unreadable = 0
        pages = 1
        try:
            try:
                condition: dict[str, str | int] = {
                    "action": "findFile", "object": finder, "condition.Channel": channel,
                    "condition.StartTime": timebase.dahua(start_ms), "condition.EndTime": timebase.dahua(end_ms),
                    "condition.Types[0]": "dav"}
                text.check_ok(await self._cgi("mediaFileFind.cgi", Operation.SEARCH, **condition))
            except NvrError as exc:
                if exc.kind is NvrErrorKind.DEVICE and exc.status == 400:  # some firmware: "Error" for no files
                    return SearchResult((), 0, 0, pages)
                raise
            while pages < MAX_PAGES:
                body = await self._cgi("mediaFileFind.cgi", Operation.SEARCH, action="findNextFile", object=finder,
                                       count=PAGE_COUNT)
                pages += 1
                found, files, bad = text.found_files(body)
                unreadable += bad
                for file in files:
                    try:
                        start, end = timebase.read_dahua(file.start), timebase.read_dahua(file.end)
                    except TimeTextError:
                        unreadable += 1
                        continue
                    if end <= start:
                        unreadable += 1
                    elif file.length == 0:
                        phantoms += 1
                    else:
                        segments.append(RecordingSegment(channel, start, end, self.playback_uri(channel, start, end),
                                                         file.length, file.path))
                if found == 0:
                    break
        except text.DahuaFormatError as exc:
            raise self.malformed(Operation.SEARCH, exc) from None
        finally:
            await self._end_finder(finder)
        return SearchResult(tuple(segments), phantoms, unreadable, pages)

    async def _end_finder(self, finder: str) -> None:
        """Close and destroy a finder (recorders hold few: one left behind is one fewer for the next search)."""
        for action in ("close", "destroy"):
            with contextlib.suppress(NvrError):
                await self._cgi("mediaFileFind.cgi", Operation.SEARCH, action=action, object=finder)

    async def calendar(self, channel: int, year: int, month: int) -> frozenset[int]:
        """Found by searching the month (the CGI has no calendar): the Vietnam-time days its files touch."""
        first = datetime(year, month, 1, tzinfo=VN_TZ)
        following = datetime(year + (month == 12), month % 12 + 1, 1, tzinfo=VN_TZ)
        start, end = int(first.timestamp() * 1000), int(following.timestamp() * 1000)
        found = await self.search(channel, start, end)
        days: set[int] = set()
        for segment in found.segments:
            day = datetime.fromtimestamp(segment.start_ms / 1000, VN_TZ).date()
            last = datetime.fromtimestamp((segment.end_ms - 1) / 1000, VN_TZ).date()
            while day <= last:
                if day.month == month:
                    days.add(day.day)
                day += timedelta(days=1)
        return frozenset(days)

    # -- playback and download ------------------------------------------------------------------------------------
    def playback_uri(self, channel: int, at_ms: int, end_ms: int | None = None,
                     segment: RecordingSegment | None = None) -> str:
        end = end_ms if end_ms is not None else (segment.end_ms if segment else at_ms + DAY_MS)
        return (f"{self._rtsp_base()}/cam/playback?channel={channel}&starttime={self.timebase.dahua_rtsp(at_ms)}"
                f"&endtime={self.timebase.dahua_rtsp(end)}")

    @asynccontextmanager
    async def _download_request(self, channel: int, start_ms: int, end_ms: int,
                                segment: RecordingSegment | None) -> AsyncIterator[aiohttp.ClientResponse]:
        del segment  # by time: a part of a file is asked as easily as a whole one
        url = self.http.url("/cgi-bin/loadfile.cgi", {
            "action": "startLoad", "channel": channel, "startTime": self.timebase.dahua(start_ms),
            "endTime": self.timebase.dahua(end_ms), "subtype": 0}, SAFE)
        async with self.http.stream("GET", url, Operation.DOWNLOAD, read_timeout_s=30.0) as response:
            yield response

    # -- events ---------------------------------------------------------------------------------------------------
    @asynccontextmanager
    async def _event_request(self, heartbeat_s: float) -> AsyncIterator[aiohttp.ClientResponse]:
        url = self.http.url("/cgi-bin/eventManager.cgi",
                            {"action": "attach", "codes": "[All]", "heartbeat": max(1, round(heartbeat_s))}, SAFE)
        async with self.http.stream("GET", url, Operation.EVENTS) as response:
            yield response

    def _notice(self, part: Part) -> RecorderNotice | None:
        if part.content_type.startswith("image/"):
            return None
        return text.event_notice(part.body)
