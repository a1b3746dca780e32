"""The ONVIF Profile G recorder adapter, over the console's ONVIF session layer (`console.onvif.session`, zeep):
channels from the search service's recordings, a day's ranges from FindEvents, playback by the replay service's
URI, the clock by GetSystemDateAndTime, events by PullPoint. ONVIF has no file download: `download` refuses it.

- Channels: FindRecordings (empty scope: every recording) and GetRecordingSearchResults until Completed, then
  EndSearch. A recording is a channel; its number is the trailing number of its `Source/SourceId`
  (`VideoSource_3` is 3) when those are distinct, else its order in the list.
- A day's ranges: FindRecordings gives only a recording's Earliest/Latest and each track's DataFrom/DataTo, the
  outer bounds (a gap in the night is invisible there). Profile G requires FindEvents to search the recording
  events, and the Recording Search spec defines `tns1:RecordingHistory/Track/State` (IsDataPresent true/false) for
  where a track's data starts and stops; so the day is searched by FindEvents with IncludeStartState (the state at
  the window's start), results paged by GetEventSearchResults, and the true→false stretches are the ranges. The
  topic filter is not sent (zeep cannot declare the `tns1:` prefix a TopicExpression's text needs): results are
  filtered by topic here. A recorder that answers no track events for the window falls back on the recording's
  Earliest/Latest bounds (unverified on real devices which of the two they fill in).
- Playback: GetReplayUri (StreamSetup RTP-Unicast over RTSP) once per recording, its host replaced by the one the
  console reaches (`console.nvr.uri.reachable`); the moment is not in the URI: the player sends it in PLAY
  `Range: clock=…Z-` with `Require: onvif-replay` (ONVIF Streaming spec), always UTC.
- Times: every ONVIF time is xs:dateTime, UTC: the time mode is always UTC whatever the site file says.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
import re
import time
from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from pathlib import Path
from typing import Any

import aiohttp

from console.core.camera_events import CameraEventKind
from console.core.credentials import Credentials
from console.nvr.errors import NvrError, NvrErrorKind
from console.nvr.http import CALL_TIMEOUT_S
from console.nvr.messages import Operation
from console.nvr.models import (
    ClockReading,
    DownloadProgress,
    DownloadResult,
    RecorderAddress,
    RecorderChannel,
    RecorderNotice,
    RecordingSegment,
    SearchResult,
    Vendor,
)
from console.nvr.multipart import Part
from console.nvr.recorder import DEFAULT_ZONE_S, MAX_PAGES, RecorderClient, vn_day
from console.nvr.timebase import DeviceTimebase, TimeMode
from console.nvr.uri import reachable
from console.onvif.clock import read_clock as read_device_clock
from console.onvif.errors import OnvifError, OnvifErrorKind
from console.onvif.events import read_notification
from console.onvif.session import CameraSession, open_session

log = logging.getLogger(__name__)

KEEP_ALIVE = "PT10S"  # a search session's keep-alive between result requests
RESULTS_WAIT = dt.timedelta(seconds=5)
PAGE_RESULTS = 100
PULL_TIMEOUT_S = 5.0  # PullMessages' long poll: an empty answer is the channel's heartbeat
LIFETIME_S = 60.0
RENEW_SHARE = 0.8
DATA_TOPIC = "RecordingHistory/Track/State"
_TRAILING = re.compile(r"(\d+)\D*$")
_KINDS = {"MotionAlarm": CameraEventKind.MOTION}
_ERRORS = {OnvifErrorKind.AUTH: NvrErrorKind.AUTH, OnvifErrorKind.CLOCK: NvrErrorKind.AUTH,
           OnvifErrorKind.UNREACHABLE: NvrErrorKind.UNREACHABLE, OnvifErrorKind.TIMEOUT: NvrErrorKind.TIMEOUT,
           OnvifErrorKind.MALFORMED: NvrErrorKind.MALFORMED, OnvifErrorKind.NOT_ONVIF: NvrErrorKind.NOT_FOUND,
           OnvifErrorKind.UNSUPPORTED: NvrErrorKind.NOT_FOUND, OnvifErrorKind.FAULT: NvrErrorKind.DEVICE}





class DownloadNotSupportedError(NvrError):
    """ONVIF has no file download: the clip is exported by replaying it over RTSP, or not at all."""

    @property
    def message_vi(self) -> str:
        return (f"Đầu ghi ONVIF {self.address} không cho tải tệp: chuẩn ONVIF không có chức năng tải đoạn ghi. "
                "Hãy xuất đoạn video bằng cách phát lại (thời gian thực) hoặc tải từ phần mềm của hãng.")

    @property
    def message_en(self) -> str:
        return (f"ONVIF recorder {self.address} cannot download files: ONVIF has no recording download. Export the "
                "clip by playing it back (in real time) or with the maker's own software.")


def _utc_ms(value: Any) -> int | None:
    if isinstance(value, dt.datetime):
        moment = value if value.tzinfo is not None else value.replace(tzinfo=dt.UTC)
        return int(moment.timestamp() * 1000)
    return None


def _text(value: Any) -> str:
    return str(getattr(value, "_value_1", value) or "").strip()


def _channel_numbers(sources: list[str]) -> list[int]:
    """Each source's trailing number when those are distinct and positive, else 1, 2, … in order."""
    found = [_TRAILING.search(source) for source in sources]
    numbers = [int(m.group(1)) if m else 0 for m in found]
    if all(n > 0 for n in numbers) and len(set(numbers)) == len(numbers):
        return numbers
    return list(range(1, len(sources) + 1))


class OnvifRecorder(RecorderClient):
    vendor = Vendor.ONVIF

    def __init__(self, address: RecorderAddress, credentials: Credentials | None, *,
                 timebase: DeviceTimebase | None = None, timeout_s: float = CALL_TIMEOUT_S) -> None:
        super().__init__(address, credentials, timebase=timebase, timeout_s=timeout_s)
        self._credentials = credentials
        self._timeout_s = timeout_s
        self._session: CameraSession | None = None
        self._opening = asyncio.Lock()
        self._recordings: dict[int, Any] = {}  # channel → RecordingInformation
        self._sources: dict[str, int] = {}  # source token → channel
        self._replay: dict[int, str] = {}  # channel → replay URI as the recorder gave it

    @classmethod
    def default_timebase(cls) -> DeviceTimebase:
        return DeviceTimebase(TimeMode.UTC, DEFAULT_ZONE_S)

    # -- the session ----------------------------------------------------------------------------------------------
    def _error(self, exc: OnvifError, operation: Operation) -> NvrError:
        return self.http.error(_ERRORS.get(exc.kind, NvrErrorKind.DEVICE), operation,
                               detail=exc.detail or exc.message_en)

    async def _service(self, name: str, operation: Operation) -> tuple[CameraSession, Any]:
        async with self._opening:
            try:
                if self._session is None or self._session.closed:
                    self._session = await open_session(self.address.host, self.address.http_port, self._credentials,
                                                       timeout_s=self._timeout_s)
                session = self._session
                factories = {"search": session.camera.create_search_service,
                             "replay": session.camera.create_replay_service,
                             "devicemgmt": session.camera.create_devicemgmt_service}
                return session, await session.call(f"{name} service", factories[name]())
            except OnvifError as exc:
                raise self._error(exc, operation) from None

    async def _call(self, session: CameraSession, name: str, request: Any, operation: Operation) -> Any:
        try:
            return await session.call(name, request)
        except OnvifError as exc:
            raise self._error(exc, operation) from None

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None
        await super().close()

    # -- device and channels --------------------------------------------------------------------------------------
    async def device_name(self) -> str:
        session, device = await self._service("devicemgmt", Operation.DEVICE_INFO)
        info = await self._call(session, "GetDeviceInformation", device.GetDeviceInformation(),
                                Operation.DEVICE_INFO)
        return " ".join(part for part in (_text(getattr(info, "Manufacturer", "")),
                                          _text(getattr(info, "Model", ""))) if part)

    async def _find_recordings(self) -> dict[int, Any]:
        session, search = await self._service("search", Operation.CHANNELS)
        token = await self._call(session, "FindRecordings", search.FindRecordings(
            {"Scope": {}, "KeepAliveTime": KEEP_ALIVE}), Operation.CHANNELS)
        found: list[Any] = []
        try:
            for _ in range(MAX_PAGES):
                answer = await self._call(session, "GetRecordingSearchResults", search.GetRecordingSearchResults(
                    {"SearchToken": token, "WaitTime": RESULTS_WAIT}), Operation.CHANNELS)
                found.extend(getattr(answer, "RecordingInformation", None) or [])
                if _text(getattr(answer, "SearchState", "")) == "Completed":
                    break
        finally:
            with contextlib.suppress(NvrError):
                await self._call(session, "EndSearch", search.EndSearch({"SearchToken": token}),
                                 Operation.CHANNELS)
        sources = [_text(getattr(getattr(info, "Source", None), "SourceId", "")) for info in found]
        numbers = _channel_numbers(sources)
        self._recordings = dict(zip(numbers, found, strict=True))
        self._sources = dict(zip(sources, numbers, strict=True))
        return self._recordings

    async def channels(self) -> list[RecorderChannel]:
        recordings = await self._find_recordings()
        channels = []
        for number, info in sorted(recordings.items()):
            source = getattr(info, "Source", None)
            name = _text(getattr(source, "Name", "")) or f"Kênh {number}"
            live = _text(getattr(source, "Address", ""))
            live = live if live.startswith("rtsp://") else ""
            status = _text(getattr(info, "RecordingStatus", ""))
            channels.append(RecorderChannel(number, name, live, live, None if not status else status == "Recording"))
        return channels

    async def _recording(self, channel: int, operation: Operation) -> Any:
        if channel not in self._recordings:
            await self._find_recordings()
        info = self._recordings.get(channel)
        if info is None:
            raise self.http.error(NvrErrorKind.NOT_FOUND, operation, detail=f"no recording of channel {channel}")
        return info

    # -- clock ----------------------------------------------------------------------------------------------------
    async def read_clock(self, stored_mode: TimeMode | None = None, stored_zone_s: int | None = None) -> ClockReading:
        try:
            clock = await read_device_clock(self.address.host, self.address.http_port, timeout_s=self._timeout_s)
        except OnvifError as exc:
            raise self._error(exc, Operation.CLOCK) from None
        station_ms = int(time.time() * 1000)
        if clock.offset_s is None:
            raise self.http.error(NvrErrorKind.MALFORMED, Operation.CLOCK, detail="no UTC time in the answer")
        if stored_mode is not None and stored_mode is not TimeMode.UTC:
            log.warning("%s: ONVIF times are UTC; time mode %s ignored", self.address.http, stored_mode.value)
        zone = stored_zone_s if stored_zone_s is not None else self.timebase.zone_offset_s
        self.timebase = DeviceTimebase(TimeMode.UTC, zone, round(clock.offset_s * 1000))
        device = dt.datetime.fromtimestamp(station_ms / 1000 + clock.offset_s, dt.UTC)
        self.clock = ClockReading(self.timebase, device.isoformat(timespec="seconds").replace("+00:00", "Z"),
                                  station_ms, "", stored_zone_s is not None)
        return self.clock

    # -- search ---------------------------------------------------------------------------------------------------
    async def _search_items(self, channel: int, start_ms: int, end_ms: int) -> SearchResult:
        info = await self._recording(channel, Operation.SEARCH)
        token = _text(getattr(info, "RecordingToken", ""))
        await self._replay_uri(channel, token)
        session, search = await self._service("search", Operation.SEARCH)
        search_token = await self._call(session, "FindEvents", search.FindEvents({
            "StartPoint": dt.datetime.fromtimestamp(start_ms / 1000, dt.UTC),
            "EndPoint": dt.datetime.fromtimestamp(end_ms / 1000, dt.UTC),
            "Scope": {"IncludedRecordings": [token]}, "SearchFilter": {}, "IncludeStartState": True,
            "KeepAliveTime": KEEP_ALIVE}), Operation.SEARCH)
        changes: list[tuple[int, bool]] = []
        unreadable = 0
        pages = 1
        try:
            while pages < MAX_PAGES:
                answer = await self._call(session, "GetEventSearchResults", search.GetEventSearchResults(
                    {"SearchToken": search_token, "MaxResults": PAGE_RESULTS, "WaitTime": RESULTS_WAIT}),
                    Operation.SEARCH)
                pages += 1
                for result in getattr(answer, "Result", None) or []:
                    change = self._data_change(result)
                    if change is None:
                        unreadable += 1
                    elif isinstance(change, tuple):
                        changes.append(change)
                if _text(getattr(answer, "SearchState", "")) == "Completed":
                    break
        finally:
            with contextlib.suppress(NvrError):
                await self._call(session, "EndSearch", search.EndSearch({"SearchToken": search_token}),
                                 Operation.SEARCH)
        spans = self._spans(sorted(changes), start_ms, end_ms)
        if not changes:
            spans = self._bounds(info, start_ms, end_ms)
        uri = self.playback_uri(channel, start_ms)
        segments = tuple(RecordingSegment(channel, low, high, uri, None, token) for low, high in spans)
        return SearchResult(segments, 0, unreadable, pages)

    @staticmethod
    def _data_change(result: Any) -> tuple[int, bool] | bool | None:
        """(moment, data present) of a track-state result; False: a result of another topic; None: unreadable."""
        event = getattr(result, "Event", None)
        topic = _text(getattr(event, "Topic", ""))
        if not topic.endswith(DATA_TOPIC):
            return False
        holder = getattr(event, "Message", None)
        message = read_notification("", topic, getattr(holder, "_value_1", holder), 0)
        at_ms = _utc_ms(getattr(result, "Time", None))
        present = dict(message.data).get("IsDataPresent", "").lower()
        if at_ms is None or present not in ("true", "false"):
            return None
        return at_ms, present == "true"

    @staticmethod
    def _spans(changes: list[tuple[int, bool]], start_ms: int, end_ms: int) -> list[tuple[int, int]]:
        spans: list[tuple[int, int]] = []
        opened: int | None = None
        for at_ms, present in changes:
            if present and opened is None:
                opened = max(at_ms, start_ms)
            elif not present and opened is not None:
                if at_ms > opened:
                    spans.append((opened, at_ms))
                opened = None
        if opened is not None:
            spans.append((opened, min(end_ms, int(time.time() * 1000))))
        return spans

    @staticmethod
    def _bounds(info: Any, start_ms: int, end_ms: int) -> list[tuple[int, int]]:
        earliest = _utc_ms(getattr(info, "EarliestRecording", None))
        latest = _utc_ms(getattr(info, "LatestRecording", None))
        if earliest is None or latest is None or latest <= start_ms or earliest >= end_ms:
            return []
        return [(max(earliest, start_ms), min(latest, end_ms))]

    async def calendar(self, channel: int, year: int, month: int) -> frozenset[int]:
        """The days of the month whose day search finds anything (FindEvents has no calendar)."""
        days: set[int] = set()
        day = dt.date(year, month, 1)
        today = dt.datetime.now(dt.UTC).date() + dt.timedelta(days=1)
        while day.month == month and day <= today:
            if (await self.search(channel, *vn_day(day))).segments:
                days.add(day.day)
            day += dt.timedelta(days=1)
        return frozenset(days)

    # -- playback -------------------------------------------------------------------------------------------------
    async def _replay_uri(self, channel: int, token: str) -> str:
        known = self._replay.get(channel)
        if known is not None:
            return known
        session, replay = await self._service("replay", Operation.SEARCH)
        answer = await self._call(session, "GetReplayUri", replay.GetReplayUri({
            "StreamSetup": {"Stream": "RTP-Unicast", "Transport": {"Protocol": "RTSP"}},
            "RecordingToken": token}), Operation.SEARCH)
        uri = _text(getattr(answer, "Uri", answer))
        if not uri.startswith("rtsp://"):
            raise self.http.error(NvrErrorKind.MALFORMED, Operation.SEARCH, detail=f"replay URI {uri!r}")
        self._replay[channel] = uri
        return uri

    async def replay_uri(self, channel: int) -> str:
        """The channel's replay URI, asked of the recorder if not known yet (reachable host, no credentials)."""
        info = await self._recording(channel, Operation.SEARCH)
        return reachable(await self._replay_uri(channel, _text(getattr(info, "RecordingToken", ""))), self.address)

    def playback_uri(self, channel: int, at_ms: int, end_ms: int | None = None,
                     segment: RecordingSegment | None = None) -> str:
        """The recording's replay URI (known after a search or `replay_uri`); the moment goes in PLAY's Range."""
        del at_ms, end_ms
        known = self._replay.get(channel)
        if known is None and segment is not None and segment.playback_uri:
            return segment.playback_uri
        if known is None:
            host = f"[{self.address.host}]" if ":" in self.address.host else self.address.host
            return f"rtsp://{host}:{self.address.rtsp_port}/onvif/replay?recording=Recording_{channel}"
        return reachable(known, self.address)

    # -- download: none -------------------------------------------------------------------------------------------
    async def download(self, channel: int, start_ms: int, end_ms: int, target: Path, *,
                       segment: RecordingSegment | None = None, on_progress: Any = None,
                       cancel: asyncio.Event | None = None) -> DownloadResult:
        del channel, start_ms, end_ms, target, segment, on_progress, cancel
        raise DownloadNotSupportedError(NvrErrorKind.NOT_FOUND, self.address.http, Operation.DOWNLOAD,
                                        vendor="ONVIF", detail="ONVIF Profile G has no file download")

    def _download_request(self, channel: int, start_ms: int, end_ms: int,
                          segment: RecordingSegment | None) -> AbstractAsyncContextManager[aiohttp.ClientResponse]:
        del channel, start_ms, end_ms, segment
        raise DownloadNotSupportedError(NvrErrorKind.NOT_FOUND, self.address.http, Operation.DOWNLOAD,
                                        vendor="ONVIF")

    # -- events ---------------------------------------------------------------------------------------------------
    @asynccontextmanager
    async def events(self, heartbeat_s: float = 5.0) -> AsyncIterator[AsyncIterator[RecorderNotice]]:
        """A PullPoint of its own session: each PullMessages answer's notifications, an empty answer a heartbeat."""
        if not self._sources:
            await self._find_recordings()
        try:
            session = await open_session(self.address.host, self.address.http_port, self._credentials,
                                         timeout_s=self._timeout_s)
        except OnvifError as exc:
            raise self._error(exc, Operation.EVENTS) from None
        try:
            events = await self._events_call(session, "events service", session.service("events"))
            answer = await self._events_call(session, "CreatePullPointSubscription",
                                             events.CreatePullPointSubscription(
                                                 {"InitialTerminationTime": f"PT{round(LIFETIME_S)}S"}))
            reference = getattr(getattr(answer, "SubscriptionReference", None), "Address", None)
            session.camera.xaddrs["http://www.onvif.org/ver10/events/wsdl/PullPointSubscription"] = _text(reference)
            pull = await self._events_call(session, "pullpoint service", session.service("pullpoint"))
            manager = await self._events_call(session, "subscription service", session.service("subscription"))
            yield self._pulled(session, pull, manager, min(PULL_TIMEOUT_S, max(1.0, heartbeat_s)))
        finally:
            await session.close()  # no Unsubscribe: pull points expire (see console.onvif.events)

    async def _events_call(self, session: CameraSession, name: str, request: Any) -> Any:
        try:
            return await session.call(name, request)
        except OnvifError as exc:
            raise self._error(exc, Operation.EVENTS) from None

    async def _pulled(self, session: CameraSession, pull: Any, manager: Any,
                      timeout_s: float) -> AsyncIterator[RecorderNotice]:
        renew_at = time.monotonic() + RENEW_SHARE * LIFETIME_S
        while True:
            if time.monotonic() >= renew_at:
                await self._events_call(session, "Renew", manager.Renew(
                    {"TerminationTime": f"PT{round(LIFETIME_S)}S"}))
                renew_at = time.monotonic() + RENEW_SHARE * LIFETIME_S
            try:
                answer = await session.call("PullMessages", pull.PullMessages(
                    {"Timeout": dt.timedelta(seconds=round(timeout_s)), "MessageLimit": 64}),
                    timeout_s=timeout_s + self._timeout_s)
            except OnvifError as exc:
                raise self._error(exc, Operation.EVENTS) from None
            notices = [n for n in (self._notice_of(item) for item in
                                   getattr(answer, "NotificationMessage", None) or []) if n is not None]
            for notice in notices:
                yield notice
            if not notices:
                yield RecorderNotice(heartbeat=True)

    def _notice_of(self, item: Any) -> RecorderNotice | None:
        topic = _text(getattr(item, "Topic", ""))
        holder = getattr(item, "Message", None)
        message = read_notification("", topic, getattr(holder, "_value_1", holder), int(time.time() * 1000))
        kind = message.kind or _KINDS.get(topic.rpartition("/")[2])
        if kind is None:
            return None
        channel = 0
        for _, value in message.source:
            channel = self._sources.get(value) or channel
            if not channel and kind is CameraEventKind.ALARM_INPUT:
                match = _TRAILING.search(value)
                channel = int(match.group(1)) if match else 0
        return RecorderNotice(False, channel, topic.rpartition(":")[2], kind, message.active,
                              dt.datetime.fromtimestamp((message.camera_time_ms or 0) / 1000, dt.UTC).isoformat()
                              if message.camera_time_ms else "")

    def _event_request(self, heartbeat_s: float) -> Any:  # events() is overridden: PullPoint, not multipart
        raise NotImplementedError

    def _notice(self, part: Part) -> RecorderNotice | None:
        del part
        return None


__all__ = ["DownloadNotSupportedError", "DownloadProgress", "OnvifRecorder"]
