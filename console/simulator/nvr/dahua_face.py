"""The Dahua face of a simulated recorder: the CGI HTTP API with Digest auth, written from Dahua's HTTP API
documents (the versions Dahua and its OEMs, Amcrest among them, publish).

Served under `/cgi-bin/`: `magicBox.cgi` (machine name, device type, serial), `global.cgi?action=getCurrentTime`
(the device's local time, unmarked), `configManager.cgi?action=getConfig&name=ChannelTitle`, `LogicDeviceManager.cgi?
action=getCameraAll`, `mediaFileFind.cgi` (factory.create, findFile, findNextFile paged by `count`, close,
destroy), `loadfile.cgi?action=startLoad` and `RPC_Loadfile/<FilePath>` (DHAV, after a preamble of random length
when that fault is on), `eventManager.cgi?action=attach&codes=[All]&heartbeat=5` (multipart; `Heartbeat` parts only
when the client asks for them with `heartbeat`, as the devices do: amcrest never asks, and reads every part as an
event).
Answers are `key=value` lines; times are the device's local time without a zone.
"""

from __future__ import annotations

import asyncio
import logging
import re
import secrets
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from console.simulator.nvr.device_time import TimeTextError
from console.simulator.nvr.digest import DigestGuard, RecorderUser
from console.simulator.nvr.downloads import DahuaFile, DownloadBody, preamble
from console.simulator.nvr.http_server import Answer, HttpRequest, HttpResponse, StreamedResponse
from console.simulator.nvr.recorder import EventKind, RecorderEvent, RecorderState
from console.simulator.nvr.schedule import RecordedFile

log = logging.getLogger(__name__)

TEXT = "text/plain;charset=utf-8"
DEVICE_MAX_COUNT = 100  # findNextFile's largest page
BOUNDARY = "myboundary"
MAX_FINDERS = 16
_FILE_PATH = re.compile(r"/(\d{4}-\d{2}-\d{2})/(\d+)/dav/\d{2}/(\d{2}\.\d{2}\.\d{2})-(\d{2}\.\d{2}\.\d{2})")
_CODES = {EventKind.MOTION: "VideoMotion", EventKind.TAMPER: "VideoBlind", EventKind.ALARM_INPUT: "AlarmLocal",
          EventKind.VIDEO_LOSS: "VideoLoss"}


@dataclass
class _Finder:
    files: list[RecordedFile] = field(default_factory=list)
    cursor: int = 0
    closed: bool = False


def _lines(*lines: str, status: int = 200) -> HttpResponse:
    return HttpResponse(status, ("\r\n".join(lines) + "\r\n").encode("utf-8"), TEXT)


def _bad(reason: str = "Bad Request!") -> HttpResponse:
    return _lines("Error", reason, status=400)


class DahuaFace:
    def __init__(self, state: RecorderState) -> None:
        self.state = state
        self.guard = DigestGuard(f"Login to {state.serial}", state.users)
        self._finders: dict[int, _Finder] = {}

    async def handle(self, request: HttpRequest) -> Answer:
        user, stale = self.guard.check(request.method, request.target, request.headers.get("authorization", ""))
        if user is None:
            return HttpResponse(401, b"Error\r\nUnauthorized\r\n", TEXT,
                                {"WWW-Authenticate": self.guard.challenge(stale)})
        path, query = request.path, request.query
        if self.state.faults.malformed and not path.startswith("/cgi-bin/RPC_Loadfile/") \
                and query.get("action") not in ("attach", "startLoad"):
            return HttpResponse(200, b"<html><head><title>Error</title></head><body>Sys Busy</body>", "text/html")
        try:
            if path.startswith("/cgi-bin/RPC_Loadfile/"):
                return self._guarded(user) or await self._load_file(path[len("/cgi-bin/RPC_Loadfile"):])
            handler = {"/cgi-bin/magicBox.cgi": self._magic_box, "/cgi-bin/global.cgi": self._global,
                       "/cgi-bin/configManager.cgi": self._config, "/cgi-bin/LogicDeviceManager.cgi": self._cameras,
                       }.get(path)
            if handler is not None:
                return handler(query)
            if path == "/cgi-bin/mediaFileFind.cgi":
                return self._guarded(user) or self._media_find(query)
            if path == "/cgi-bin/loadfile.cgi":
                return self._guarded(user) or await self._load_time(query)
            if path == "/cgi-bin/eventManager.cgi" and query.get("action") == "attach":
                return self._attach(query)
        except (TimeTextError, ValueError, KeyError) as exc:
            log.debug("dahua face: bad request %s: %s", request.target, exc)
            return _bad()
        return HttpResponse(404, b"Error\r\nNot Found\r\n", TEXT)

    @staticmethod
    def _guarded(user: RecorderUser) -> HttpResponse | None:
        return None if user.playback else _lines("Error", "No Authority", status=403)

    # -- device ---------------------------------------------------------------------------------------------------
    def _magic_box(self, query: dict[str, str]) -> HttpResponse:
        action = query.get("action")
        if action == "getMachineName":  # what amcrest signs in with (its first request)
            return _lines(f"name={self.state.serial}")
        if action == "getDeviceType":
            return _lines("type=DHI-NVR5232-4KS2 (simulator)")
        if action == "getSerialNo":
            return _lines(f"sn={self.state.serial}")
        if action == "getSystemInfo":
            return _lines("deviceType=DHI-NVR5232-4KS2", f"serialNumber={self.state.serial}",
                          f"videoInputChannels={len(self.state.channels)}")
        return _bad()

    def _global(self, query: dict[str, str]) -> HttpResponse:
        if query.get("action") != "getCurrentTime":
            return _bad()
        clock = self.state.clock
        return _lines(f"result={clock.dahua(clock.now_ms())}")

    def _config(self, query: dict[str, str]) -> HttpResponse:
        if query.get("action") != "getConfig" or query.get("name") != "ChannelTitle":
            return _bad()
        return _lines(*(f"table.ChannelTitle[{c.number - 1}].Name={c.name}" for c in self.state.channels.values()))

    def _cameras(self, query: dict[str, str]) -> HttpResponse:
        if query.get("action") != "getCameraAll":
            return _bad()
        lines: list[str] = []
        for channel in self.state.channels.values():
            index = channel.number - 1
            lines += [f"camera[{index}].Channel={index}", f"camera[{index}].Enable=true",
                      f"camera[{index}].DeviceInfo.Address=192.168.254.{channel.number + 1}",
                      f"camera[{index}].DeviceInfo.Name={channel.name}", f"camera[{index}].Type=Remote"]
        return _lines(*lines)

    # -- recordings -----------------------------------------------------------------------------------------------
    def _file_path(self, file: RecordedFile) -> str:
        clock = self.state.clock
        start, end = clock.local_parts(file.start_ms), clock.local_parts(file.end_ms)
        return (f"/mnt/dvr/sda0/{start:%Y-%m-%d}/{file.channel - 1}/dav/{start:%H}/"
                f"{start:%H.%M.%S}-{end:%H.%M.%S}[R][0@0][0].dav")

    def _media_find(self, query: dict[str, str]) -> HttpResponse:
        action = query.get("action")
        if action == "factory.create":
            if len(self._finders) >= MAX_FINDERS:  # finders a client never destroyed
                self._finders.pop(next(iter(self._finders)))
            number = secrets.randbelow(1 << 30) + 1
            self._finders[number] = _Finder()
            return _lines(f"result={number}")
        finder = self._finders.get(int(query.get("object", "0")))
        if finder is None:
            return _bad("Invalid Object")
        if action == "findFile":
            channel = int(query["condition.Channel"])
            schedule = self.state.schedule(channel)
            if schedule is None:
                return _bad("Invalid Channel")
            clock = self.state.clock
            start, end = clock.read_dahua(query["condition.StartTime"]), clock.read_dahua(query["condition.EndTime"])
            finder.files = schedule.files(start, end, self.state.now_ms(), phantom=self.state.faults.phantom)
            finder.cursor = 0
            return _lines("OK")
        if action == "findNextFile":
            return self._next_files(finder, int(query.get("count", str(DEVICE_MAX_COUNT))))
        if action == "close":
            finder.closed = True
            return _lines("OK")
        if action == "destroy":
            self._finders.pop(int(query["object"]), None)
            return _lines("OK")
        return _bad()

    def _next_files(self, finder: _Finder, count: int) -> HttpResponse:
        limit = max(1, min(count, DEVICE_MAX_COUNT, self.state.faults.page_limit or DEVICE_MAX_COUNT))
        page = finder.files[finder.cursor: finder.cursor + limit]
        finder.cursor += len(page)
        clock = self.state.clock
        lines = [f"found={len(page)}"]
        for index, file in enumerate(page):
            item = f"items[{index}]"
            lines += [f"{item}.Channel={file.channel - 1}", f"{item}.Cluster=0", f"{item}.Disk=0",
                      f"{item}.StartTime={clock.dahua(file.start_ms)}", f"{item}.EndTime={clock.dahua(file.end_ms)}",
                      f"{item}.Type=dav", f"{item}.FilePath={self._file_path(file)}",
                      f"{item}.Length={file.size_bytes}", f"{item}.Duration={file.duration_ms // 1000}",
                      f"{item}.Flags[0]=Timing", f"{item}.VideoStream=Main"]
        return _lines(*lines)

    async def _load_file(self, path: str) -> Answer:
        match = _FILE_PATH.search(path)
        if match is None:
            return HttpResponse(404, b"Error\r\nFile Not Found\r\n", TEXT)
        day, channel, start, end = match.groups()
        clock = self.state.clock
        start_local = datetime.strptime(f"{day} {start}", "%Y-%m-%d %H.%M.%S")
        end_local = datetime.strptime(f"{day} {end}", "%Y-%m-%d %H.%M.%S")
        if end_local <= start_local:
            end_local += timedelta(days=1)  # a file that ends at midnight
        return await self._dhav(int(channel) + 1, clock.from_local_parts(start_local),
                                clock.from_local_parts(end_local))

    async def _load_time(self, query: dict[str, str]) -> Answer:
        if query.get("action") != "startLoad":
            return _bad()
        clock = self.state.clock
        return await self._dhav(int(query["channel"]), clock.read_dahua(query["startTime"]),
                                clock.read_dahua(query["endTime"]))

    async def _dhav(self, channel: int, start_ms: int, end_ms: int) -> Answer:
        state = self.state
        schedule = state.schedule(channel)
        if schedule is None:
            return _bad("Invalid Channel")
        frames = await state.frames(channel)
        profile = frames.loop.profile
        lead = preamble(state.faults.preamble_max_bytes)
        body = DownloadBody(frames, schedule, start_ms, end_ms, state.now_ms(),
                            DahuaFile(state.clock, profile.codec, channel, profile.fps, profile.width, profile.height),
                            lead)
        if body.empty:  # a phantom file: the recorder answers, with nothing but what comes before the video
            return HttpResponse(200, lead, "application/octet-stream")
        return StreamedResponse(200, "application/octet-stream", body.chunks(), body.length)

    # -- events ---------------------------------------------------------------------------------------------------
    def _attach(self, query: dict[str, str]) -> Answer:
        codes = {c.strip() for c in query.get("codes", "[All]").strip("[]").split(",") if c.strip()}
        asked = query.get("heartbeat")
        heartbeat_s = max(1.0, float(asked)) if asked is not None else None
        queue = self.state.subscribe()
        if queue is None:
            return _lines("Error", "Too Many Connections", status=503)
        return StreamedResponse(200, f"multipart/x-mixed-replace; boundary={BOUNDARY}",
                                self._events(queue, codes, heartbeat_s))

    @staticmethod
    def _part(text: str) -> bytes:
        body = text.encode("utf-8")
        return (f"--{BOUNDARY}\r\nContent-Type: text/plain\r\nContent-Length: {len(body)}\r\n\r\n").encode() + body \
            + b"\r\n\r\n"

    def _event_text(self, event: RecorderEvent) -> str:
        code = _CODES[event.kind]
        index = event.input_port - 1 if event.kind is EventKind.ALARM_INPUT else event.channel - 1
        text = f"Code={code};action={'Start' if event.active else 'Stop'};index={index}"
        if event.kind is EventKind.MOTION:
            text += ';data={\n   "Id" : [ 0 ],\n   "RegionName" : [ "Region1" ]\n}'
        return text

    async def _events(self, queue: asyncio.Queue[RecorderEvent], codes: set[str],
                      heartbeat_s: float | None) -> AsyncIterator[bytes]:
        try:
            while True:
                try:
                    event: RecorderEvent | None = await asyncio.wait_for(queue.get(), heartbeat_s)
                except TimeoutError:
                    event = None
                if self.state.faults.events_silent:
                    continue
                if event is None:
                    yield self._part("Heartbeat")
                elif "All" in codes or _CODES[event.kind] in codes:
                    yield self._part(self._event_text(event))
        finally:
            self.state.unsubscribe(queue)
