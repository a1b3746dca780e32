"""The Hikvision face of a simulated recorder: ISAPI over HTTP with Digest auth, written from Hikvision's ISAPI
documents (Intelligent Security API, ContentMgmt and Event chapters).

Served: `/ISAPI/System/deviceInfo`, `/ISAPI/System/time`, `/ISAPI/ContentMgmt/InputProxy/channels[/status]`,
`/ISAPI/Event/triggers` (each channel's motion, tamper and video-loss triggers, linked to the alarm centre),
`POST /ISAPI/ContentMgmt/search` (paged by `searchResultPostion`/`maxResults`; a GET is refused with 403 as the
recorders do), `POST /ISAPI/ContentMgmt/record/tracks/{track}/dailyDistribution`, `GET /ISAPI/ContentMgmt/download`
(a `downloadRequest` body naming a playback URI; the file comes at the socket's speed) and
`GET /ISAPI/Event/notification/alertStream` (one multipart stream for every channel, heartbeats with an empty
`activePostCount`). Tracks are `{channel}01` (main) and `{channel}02` (sub); both list the same recordings.
"""

from __future__ import annotations

import asyncio
import calendar
import logging
import re
from collections.abc import AsyncIterator
from urllib.parse import parse_qsl, urlsplit

from console.simulator.nvr import isapi_xml as xml
from console.simulator.nvr.device_time import TimeTextError
from console.simulator.nvr.digest import DigestGuard, RecorderUser
from console.simulator.nvr.downloads import DownloadBody, HikvisionFile
from console.simulator.nvr.http_server import Answer, HttpRequest, HttpResponse, StreamedResponse
from console.simulator.nvr.recorder import EventKind, RecorderEvent, RecorderState
from console.simulator.nvr.schedule import DAY_MS

log = logging.getLogger(__name__)

DEVICE_MAX_RESULTS = 50  # what one search page holds at most, whatever the client asks
BOUNDARY = "boundary"
_DAILY = re.compile(r"^/ISAPI/ContentMgmt/record/tracks/(\d+)/dailyDistribution$")
_TRACK_PATH = re.compile(r"/Streaming/tracks/(\d+)/?$")
_EVENT_TYPES = {EventKind.MOTION: ("VMD", "Motion alarm"), EventKind.TAMPER: ("shelteralarm", "Shelter Alarm"),
                EventKind.ALARM_INPUT: ("IO", "IO alarm"), EventKind.VIDEO_LOSS: ("videoloss", "videoloss alarm")}
_CHANNEL_TRIGGERS = (EventKind.MOTION, EventKind.TAMPER, EventKind.VIDEO_LOSS)  # alarm inputs are not channels'


class HikvisionFace:
    def __init__(self, state: RecorderState) -> None:
        self.state = state
        self.guard = DigestGuard(f"IP Camera({state.serial[-4:]})", state.users)

    async def handle(self, request: HttpRequest) -> Answer:
        user, stale = self.guard.check(request.method, request.target, request.headers.get("authorization", ""))
        if user is None:
            return HttpResponse(401, b"<html><body>401 Unauthorized</body></html>", "text/html",
                                {"WWW-Authenticate": self.guard.challenge(stale)})
        path = request.path.rstrip("/")
        try:
            answer = await self._route(path, request, user)
            if self.state.faults.malformed and isinstance(answer, HttpResponse) and answer.status == 200:
                return HttpResponse(200, answer.body[: len(answer.body) // 2], answer.content_type, answer.headers)
            return answer
        except xml.RequestXmlError as exc:
            log.debug("hikvision face: bad request body for %s: %s", path, exc)
            return self._status(400, path, xml.STATUS_INVALID_CONTENT, "badXmlContent")
        except TimeTextError:
            return self._status(400, path, xml.STATUS_INVALID_CONTENT, "badParameters")

    async def _route(self, path: str, request: HttpRequest, user: RecorderUser) -> Answer:
        state = self.state
        if path == "/ISAPI/System/deviceInfo":
            return _xml(xml.device_info("Đầu ghi (mô phỏng)", state.serial, len(state.channels)))
        if path == "/ISAPI/System/time":
            clock = state.clock
            return _xml(xml.time_status(clock.isapi_local(clock.now_ms()), clock.posix_zone()))
        if path == "/ISAPI/ContentMgmt/InputProxy/channels":
            return _xml(xml.input_proxy_channels((c.number, c.name) for c in state.channels.values()))
        if path == "/ISAPI/ContentMgmt/InputProxy/channels/status":
            return _xml(xml.input_proxy_status(state.channels))
        if path == "/ISAPI/Event/triggers":
            return _xml(xml.event_triggers(
                xml.EventTrigger(_EVENT_TYPES[kind][0], number, f"{_EVENT_TYPES[kind][0]} Event trigger Information")
                for number in state.channels for kind in _CHANNEL_TRIGGERS))
        if path == "/ISAPI/Event/notification/alertStream":
            return self._alert_stream()
        if path == "/ISAPI/ContentMgmt/search":
            if request.method != "POST":  # the recorders answer a GET search 403, not 405
                return self._status(403, path, xml.STATUS_INVALID_OPERATION, "methodNotAllowed")
            return self._guarded(user, path) or self._search(request)
        daily = _DAILY.match(path)
        if daily is not None and request.method in ("POST", "PUT"):
            return self._guarded(user, path) or self._daily(int(daily.group(1)), request)
        if path == "/ISAPI/ContentMgmt/download":
            return self._guarded(user, path) or await self._download(request)
        return self._status(404, path, xml.STATUS_INVALID_OPERATION, "notSupport")

    def _guarded(self, user: RecorderUser, path: str) -> HttpResponse | None:
        if user.playback:
            return None
        return self._status(403, path, xml.STATUS_INVALID_OPERATION, "lowPrivilege")

    @staticmethod
    def _status(http: int, path: str, code: int, sub: str) -> HttpResponse:
        return HttpResponse(http, xml.response_status(path, code, sub), xml.CONTENT_TYPE)

    # -- search ---------------------------------------------------------------------------------------------------
    def _playback_uri(self, track: int, start_ms: int, end_ms: int, name: str, size: int) -> str:
        host, port = self.state.playback_host()
        clock = self.state.clock
        return (f"rtsp://{host}:{port}/Streaming/tracks/{track}/?starttime={clock.compact(start_ms)}"
                f"&endtime={clock.compact(end_ms)}&name={name}&size={size}")

    def _search(self, request: HttpRequest) -> HttpResponse:
        state, clock = self.state, self.state.clock
        query = xml.search_request(request.body)
        now = state.now_ms()
        found: list[tuple[int, int, xml.MatchItem]] = []
        for track in query.tracks:
            schedule = state.schedule(track // 100)
            if schedule is None or track % 100 not in (1, 2):
                continue
            for start_text, end_text in query.spans:
                start, end = clock.read_isapi(start_text), clock.read_isapi(end_text)
                for file in schedule.files(start, end, now, phantom=state.faults.phantom):
                    item = xml.MatchItem(track, clock.isapi(file.start_ms), clock.isapi(file.end_ms),
                                         self._playback_uri(track, file.start_ms, file.end_ms, file.name,
                                                            file.size_bytes), file.name)
                    found.append((file.start_ms, track, item))
        found.sort(key=lambda entry: (entry[0], entry[1]))
        limit = max(1, min(query.max_results, DEVICE_MAX_RESULTS, state.faults.page_limit or DEVICE_MAX_RESULTS))
        page = [item for _, _, item in found[query.position: query.position + limit]]
        more = query.position + len(page) < len(found)
        status = "NO MATCHES" if not page else "MORE" if more else "OK"
        search_id = query.search_id if query.search_id.startswith("{") else "{" + query.search_id.lower() + "}"
        return _xml(xml.search_result(search_id, status, page))

    def _daily(self, track: int, request: HttpRequest) -> HttpResponse:
        state = self.state
        root = xml.parse(request.body)
        try:
            year, month = int(xml.text(root, "year")), int(xml.text(root, "monthOfYear"))
            days_in_month = calendar.monthrange(year, month)[1]
        except ValueError as exc:
            raise xml.RequestXmlError(str(exc)) from None
        schedule = state.schedule(track // 100)
        recorded: set[int] = set()
        if schedule is not None:
            zone_ms = state.clock.zone_offset_s * 1000
            first_day = calendar.timegm((year, month, 1, 0, 0, 0)) * 1000 // DAY_MS
            start = first_day * DAY_MS - zone_ms
            days = schedule.local_days(start, start + days_in_month * DAY_MS, state.now_ms())
            recorded = {day - first_day + 1 for day in days if 0 <= day - first_day < days_in_month}
        return _xml(xml.daily_distribution(days_in_month, recorded))

    # -- download -------------------------------------------------------------------------------------------------
    async def _download(self, request: HttpRequest) -> Answer:
        state = self.state
        uri = request.query.get("playbackURI") or xml.text(xml.parse(request.body), "playbackURI")
        parts = urlsplit(uri.strip())
        track = _TRACK_PATH.search(parts.path)
        params = dict(parse_qsl(parts.query))
        schedule = state.schedule(int(track.group(1)) // 100) if track else None
        if track is None or schedule is None or "starttime" not in params or "endtime" not in params:
            return self._status(400, "/ISAPI/ContentMgmt/download", xml.STATUS_INVALID_CONTENT, "badParameters")
        channel = int(track.group(1)) // 100
        start, end = state.clock.read_compact(params["starttime"]), state.clock.read_compact(params["endtime"])
        frames = await state.frames(channel)
        body = DownloadBody(frames, schedule, start, end, state.now_ms(),
                            HikvisionFile(state.clock, state.settings.codec, frames.fps, start))
        if body.empty:  # a phantom search item: listed, nothing behind it
            return self._status(404, "/ISAPI/ContentMgmt/download", xml.STATUS_INVALID_OPERATION, "noRecord")
        name = f"ch{channel:02d}_{params['starttime']}.ps"
        return StreamedResponse(200, "application/octet-stream", body.chunks(), body.length,
                                {"Content-Disposition": f'attachment; filename="{name}"'})

    # -- events ---------------------------------------------------------------------------------------------------
    def _alert_stream(self) -> Answer:
        queue = self.state.subscribe()
        if queue is None:
            return HttpResponse(503, b"too many event streams\n")
        return StreamedResponse(200, f"multipart/mixed; boundary={BOUNDARY}", self._alerts(queue))

    def _part(self, event: RecorderEvent | None) -> bytes:
        state, clock = self.state, self.state.clock
        when = clock.isapi_local(clock.now_ms())
        if event is None:  # the heartbeat: videoloss inactive, with the empty activePostCount firmware sends
            body = xml.alert(0, when, "videoloss", "inactive", "videoloss alarm", None, state.host, state.http_port)
        else:
            kind, description = _EVENT_TYPES[event.kind]
            extra = [("inputIOPortID", event.input_port)] if event.kind is EventKind.ALARM_INPUT else []
            body = xml.alert(event.channel, when, kind, "active" if event.active else "inactive", description, 1,
                             state.host, state.http_port, extra)
        head = f'--{BOUNDARY}\r\nContent-Type: application/xml; charset="UTF-8"\r\nContent-Length: {len(body)}\r\n\r\n'
        return head.encode("ascii") + body + b"\r\n"

    async def _alerts(self, queue: asyncio.Queue[RecorderEvent]) -> AsyncIterator[bytes]:
        try:
            while True:
                try:
                    event: RecorderEvent | None = await asyncio.wait_for(queue.get(),
                                                                         self.state.settings.heartbeat_s)
                except TimeoutError:
                    event = None
                if self.state.faults.events_silent:
                    continue  # a hung recorder: the connection stays, nothing comes
                yield self._part(event)
        finally:
            self.state.unsubscribe(queue)


def _xml(body: bytes) -> HttpResponse:
    return HttpResponse(200, body, xml.CONTENT_TYPE)
