"""The ONVIF Profile G face of a simulated recorder: device (GetServices, GetSystemDateAndTime …), search
(FindRecordings, GetRecordingSearchResults, FindEvents of `tns1:RecordingHistory/Track/State`, GetEventSearchResults,
EndSearch), replay (GetReplayUri), recording (GetRecordings) and events (PullPoint) over the recordings, clock and
events of a `RecorderState` (the same recordings its Hikvision and Dahua faces serve), and its replay RTSP on the
recorder's RTSP playback (`rtsp://…/onvif/replay?recording=Recording_{ch}`, the moment in PLAY `Range: clock=…Z-`).

SOAP, WS-Security UsernameToken and PullPoint are the camera simulator's (`console.simulator.onvif`): one recording
per channel (`Recording_{ch}`, source `VideoSource_{ch}`, one video track `VIDEO001`); FindEvents answers the
IsDataPresent transitions of each recording in the window (a start state at the window's start when asked), as the
Recording Search spec describes them. Written from the ONVIF Profile G, Recording Search, Replay Control and
Streaming specifications; no real Profile G recorder was at hand.

    with OnvifRecorderServer(channels, users) as sim:   # its own loop thread, as RecorderSimulator
        sim.http_port, sim.rtsp_port, sim.event(3, "motion")
"""

from __future__ import annotations

import asyncio
import itertools
import logging
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any, TypeVar

from console.core.credentials import Credentials
from console.simulator.loop_thread import LoopThread
from console.simulator.nvr.digest import RecorderUser
from console.simulator.nvr.recorder import (
    EventKind,
    RecorderChannel,
    RecorderEvent,
    RecorderSettings,
    RecorderState,
    Vendor,
)
from console.simulator.nvr.rtsp_playback import LiveRequest, PlaybackRequest, RecorderRtspEndpoint, Route
from console.simulator.onvif import wsse
from console.simulator.onvif.addresses import EVENTS_PATH
from console.simulator.onvif.clock import CameraClock
from console.simulator.onvif.device_service import DeviceService
from console.simulator.onvif.dispatch import answer_request
from console.simulator.onvif.event_topics import EventKind as TopicKind
from console.simulator.onvif.event_topics import Notification, PropertyOperation, Topic
from console.simulator.onvif.events_service import EventsService
from console.simulator.onvif.http_server import HttpRequest, HttpResponse, HttpServer
from console.simulator.onvif.identity import identity_for
from console.simulator.onvif.pullpoint import PullPoint
from console.simulator.onvif.soap import (
    TNS1,
    TT,
    WSNT,
    Envelope,
    FaultCode,
    SoapFaultError,
    element,
    invalid_arg,
    not_authorized,
    sub,
    tag,
    text_of,
)
from console.simulator.onvif.state import CameraState, DeviceSpec, Operation, Operations, ServiceInfo
from console.simulator.onvif.xsd_time import format_date_time, parse_date_time

log = logging.getLogger(__name__)
_T = TypeVar("_T")

TRC = "http://www.onvif.org/ver10/recording/wsdl"
TSE = "http://www.onvif.org/ver10/search/wsdl"
TRP = "http://www.onvif.org/ver10/replay/wsdl"
for _prefix, _uri in (("trc", TRC), ("tse", TSE), ("trp", TRP)):
    ET.register_namespace(_prefix, _uri)

RECORDING_PATH = "/onvif/recording_service"
SEARCH_PATH = "/onvif/search_service"
REPLAY_PATH = "/onvif/replay_service"
DEVICE_PATH = "/onvif/device_service"
REPLAY_RTSP_PATH = "/onvif/replay"
TRACK_TOKEN = "VIDEO001"
DATA_TOPIC = "RecordingHistory/Track/State"
MAX_SEARCHES = 16  # search sessions open at once; more are refused (real recorders keep a handful)
FAR_MS = 10 * 86_400_000
_RECORDING = re.compile(r"^Recording_(\d+)$")
_TOPICS = {EventKind.MOTION: ("VideoSource/MotionAlarm", "State"),
           EventKind.TAMPER: ("VideoSource/GlobalSceneChange/ImagingService", "State"),
           EventKind.ALARM_INPUT: ("Device/Trigger/DigitalInput", "LogicalState")}
_TOPIC_KINDS = {EventKind.MOTION: TopicKind.MOTION_ALARM, EventKind.TAMPER: TopicKind.TAMPER,
                EventKind.ALARM_INPUT: TopicKind.DIGITAL_INPUT}


def recording_token(channel: int) -> str:
    return f"Recording_{channel}"


def source_token(channel: int) -> str:
    return f"VideoSource_{channel}"


def channel_of_token(token: str) -> int | None:
    match = _RECORDING.match(token.strip())
    return int(match.group(1)) if match else None


def _iso(at_ms: int) -> str:
    return format_date_time(datetime.fromtimestamp(at_ms / 1000, UTC))


def _read_ms(text: str | None, name: str) -> int:
    moment = parse_date_time(text or "")
    if moment is None:
        raise invalid_arg("InvalidArgVal", f"{name} is not an xs:dateTime")
    return int(moment.timestamp() * 1000)


# -- RTSP ---------------------------------------------------------------------------------------------------------
def onvif_route(state: RecorderState) -> Route:
    """`/onvif/replay?recording=Recording_{ch}`: the channel's recording from its start (the moment comes in PLAY's
    Range). The token is in the query so that SETUP's `/trackID=1` lands in the query too and names the same
    session as DESCRIBE (`rtsp_playback.split_url`)."""

    def route(path: str, query: dict[str, str]) -> LiveRequest | PlaybackRequest | None:
        if path != REPLAY_RTSP_PATH:
            return None
        channel = channel_of_token(query.get("recording", ""))
        schedule = state.schedule(channel) if channel is not None else None
        if channel is None or schedule is None:
            return None
        return PlaybackRequest(channel, schedule.since_ms, state.now_ms() + FAR_MS)

    return route


def utc_clock_text(at_ms: int) -> str:
    """ONVIF's `Range: clock=` moment: UTC, `YYYYMMDDThhmmssZ` (the fraction is added by the RTSP side)."""
    return datetime.fromtimestamp(at_ms // 1000, UTC).strftime("%Y%m%dT%H%M%SZ")


def read_utc_clock(text: str) -> int:
    moment = datetime.strptime(text.strip(), "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
    return int(moment.timestamp() * 1000)


# -- SOAP services ------------------------------------------------------------------------------------------------
@dataclass
class _EventSearch:
    results: list[tuple[int, int, bool, bool]]  # (channel, at_ms, data present, start state)


class _RecorderEvents(EventsService):
    """The recorder's PullPoint: every channel's events, the channel named by the message's Source token."""

    def _initial(self, point: PullPoint) -> None:
        del point  # a recorder's property states at subscription are not modelled: only changes are sent


class OnvifRecorderFace:
    """Routes a recorder's SOAP requests to its services, after the UsernameToken check (any of its users)."""

    def __init__(self, state: RecorderState, port: int) -> None:
        self.recorder = state
        spec = DeviceSpec(f"nvr-{state.serial}", "ONVIF NVR", "", state.host, port, None, ())
        identity = replace(identity_for(spec.camera_id), model="DS-7608NI-K2", hostname="NVR-ONVIF")
        self.state = CameraState(spec, identity, CameraClock(offset_s=state.clock.offset_s))
        self.events = _RecorderEvents(self.state)
        self._nonces = wsse.NonceGuard()
        self._searches: dict[str, _EventSearch | None] = {}  # token → event results (None: a recording search)
        self._numbers = itertools.count(1)
        self._routes: dict[str, Operations] = {}
        device = DeviceService(self.state)
        for info, operations in ((device.info(), device.operations()), (self.events.info(), self.events.operations()),
                                 (ServiceInfo(TRC, RECORDING_PATH, lambda: element(TRC, "Capabilities")),
                                  self._recording_operations()),
                                 (ServiceInfo(TSE, SEARCH_PATH, self._search_capabilities), self._search_operations()),
                                 (ServiceInfo(TRP, REPLAY_PATH, self._replay_capabilities),
                                  self._replay_operations())):
            self.state.services.append(info)
            self._routes[info.path] = operations
        self._pump: asyncio.Task[None] | None = None

    def start(self) -> None:
        self._pump = asyncio.get_running_loop().create_task(self._forward_events())

    async def close(self) -> None:
        if self._pump is not None:
            self._pump.cancel()
            await asyncio.gather(self._pump, return_exceptions=True)
        self.events.pull_points.drop_all()

    async def handle(self, request: HttpRequest) -> HttpResponse:
        return await answer_request(request, self._routes, self.events, self._check, self.recorder.faults.malformed)

    def _check(self, request: Envelope) -> None:
        token = wsse.UsernameToken.from_header(request.header)
        now = self.state.clock.now()
        for user in self.recorder.users:
            try:
                wsse.check(token, Credentials(user.username, user.password), now, self._nonces)
                return
            except SoapFaultError:
                continue
        raise not_authorized()

    # -- events ---------------------------------------------------------------------------------------------------
    async def _forward_events(self) -> None:
        queue = self.recorder.subscribe()
        if queue is None:
            return
        try:
            while True:
                self.publish(await queue.get())
        finally:
            self.recorder.unsubscribe(queue)

    def publish(self, event: RecorderEvent) -> None:
        found = _TOPICS.get(event.kind)
        if found is None:
            return
        path, item = found
        source = (("InputToken", "tt:ReferenceToken", f"AlarmIn_{event.input_port}")
                  if event.kind is EventKind.ALARM_INPUT else ("Source", "tt:ReferenceToken",
                                                                source_token(event.channel)))
        topic = Topic(_TOPIC_KINDS[event.kind], path, (source,), item)
        self.events.pull_points.publish(Notification(topic, event.active, self.state.clock.now(),
                                                     PropertyOperation.CHANGED))

    # -- recording ------------------------------------------------------------------------------------------------
    def _recording_operations(self) -> Operations:
        return {tag(TRC, "GetRecordings"): Operation(self.get_recordings),
                tag(TRC, "GetServiceCapabilities"): Operation(
                    lambda _: _with(element(TRC, "GetServiceCapabilitiesResponse"), element(TRC, "Capabilities")))}

    def get_recordings(self, _: Envelope) -> ET.Element:
        response = element(TRC, "GetRecordingsResponse")
        for number, channel in sorted(self.recorder.channels.items()):
            item = sub(response, TRC, "RecordingItem")
            sub(item, TT, "RecordingToken", recording_token(number))
            configuration = sub(item, TT, "Configuration")
            self._source(configuration, number, channel)
            sub(configuration, TT, "Content", channel.name)
            sub(configuration, TT, "MaximumRetentionTime", f"P{self.recorder.settings.days}D")
            tracks = sub(item, TT, "Tracks")
            track = sub(tracks, TT, "Track")
            sub(track, TT, "TrackToken", TRACK_TOKEN)
            track_configuration = sub(track, TT, "Configuration")
            sub(track_configuration, TT, "TrackType", "Video")
            sub(track_configuration, TT, "Description", "video")
        return response

    def _source(self, parent: ET.Element, number: int, channel: RecorderChannel) -> None:
        source = sub(parent, TT, "Source")
        sub(source, TT, "SourceId", source_token(number))
        sub(source, TT, "Name", channel.name)
        sub(source, TT, "Location", channel.site)
        sub(source, TT, "Description", f"channel {number}")
        sub(source, TT, "Address", f"rtsp://{self.recorder.host}/{source_token(number)}")

    # -- search ---------------------------------------------------------------------------------------------------
    def _search_operations(self) -> Operations:
        ops = {"GetServiceCapabilities": lambda _: _with(element(TSE, "GetServiceCapabilitiesResponse"),
                                                         self._search_capabilities()),
               "GetRecordingSummary": self.get_recording_summary, "FindRecordings": self.find_recordings,
               "GetRecordingSearchResults": self.get_recording_search_results, "FindEvents": self.find_events,
               "GetEventSearchResults": self.get_event_search_results, "EndSearch": self.end_search}
        return {tag(TSE, name): Operation(handler) for name, handler in ops.items()}

    def _search_capabilities(self) -> ET.Element:
        return element(TSE, "Capabilities", MetadataSearch="false", GeneralStartEvents="false")

    def get_recording_summary(self, _: Envelope) -> ET.Element:
        now = self.recorder.now_ms()
        response = element(TSE, "GetRecordingSummaryResponse")
        summary = sub(response, TSE, "Summary")
        since = min((s.since_ms for s in self.recorder.schedules.values()), default=now)
        sub(summary, TT, "DataFrom", _iso(since))
        sub(summary, TT, "DataUntil", _iso(now))
        sub(summary, TT, "NumberRecordings", str(len(self.recorder.channels)))
        return response

    def _new_search(self, results: _EventSearch | None) -> str:
        if len(self._searches) >= MAX_SEARCHES:
            raise SoapFaultError(FaultCode.RECEIVER, ("Action", "ResourceProblem"),
                                 f"at most {MAX_SEARCHES} search sessions at once")
        token = f"Search_{next(self._numbers)}"
        self._searches[token] = results
        return token

    def find_recordings(self, request: Envelope) -> ET.Element:
        self._new_search(None)
        response = element(TSE, "FindRecordingsResponse")
        sub(response, TSE, "SearchToken", next(reversed(self._searches)))
        return response

    def _session(self, request: Envelope) -> tuple[str, _EventSearch | None]:
        token = text_of(request.operation, (TSE, "SearchToken")) or ""
        if token not in self._searches:
            raise invalid_arg("InvalidToken", "no such search session")
        return token, self._searches[token]

    def get_recording_search_results(self, request: Envelope) -> ET.Element:
        token, found = self._session(request)
        if found is not None:
            raise invalid_arg("InvalidToken", "not a recording search")
        now = self.recorder.now_ms()
        response = element(TSE, "GetRecordingSearchResultsResponse")
        results = sub(response, TSE, "ResultList")
        sub(results, TT, "SearchState", "Completed")
        for number, channel in sorted(self.recorder.channels.items()):
            schedule = self.recorder.schedule(number)
            info = sub(results, TT, "RecordingInformation")
            sub(info, TT, "RecordingToken", recording_token(number))
            self._source(info, number, channel)
            since = schedule.since_ms if schedule is not None else now
            sub(info, TT, "EarliestRecording", _iso(since))
            sub(info, TT, "LatestRecording", _iso(now))
            sub(info, TT, "Content", channel.name)
            track = sub(info, TT, "Track")
            sub(track, TT, "TrackToken", TRACK_TOKEN)
            sub(track, TT, "TrackType", "Video")
            sub(track, TT, "Description", "video")
            sub(track, TT, "DataFrom", _iso(since))
            sub(track, TT, "DataTo", _iso(now))
            sub(info, TT, "RecordingStatus", "Recording")
        del self._searches[token]  # completed: the session ends with its last results, as the spec allows
        return response

    def find_events(self, request: Envelope) -> ET.Element:
        op = request.operation
        start = _read_ms(text_of(op, (TSE, "StartPoint")), "StartPoint")
        end_text = text_of(op, (TSE, "EndPoint"))
        end = _read_ms(end_text, "EndPoint") if end_text else self.recorder.now_ms()
        start_state = text_of(op, (TSE, "IncludeStartState")) == "true"
        scope = op.find(tag(TSE, "Scope"))
        named = [(node.text or "").strip() for node in (scope.findall(tag(TT, "IncludedRecordings"))
                                                        if scope is not None else [])]
        channels = [channel_of_token(token) for token in named] if named else sorted(self.recorder.channels)
        low, high = min(start, end), max(start, end)
        results: list[tuple[int, int, bool, bool]] = []
        now = self.recorder.now_ms()
        for channel in channels:
            schedule = self.recorder.schedule(channel) if channel is not None else None
            if channel is None or schedule is None:
                raise invalid_arg("InvalidToken", "no such recording")
            if start_state:
                results.append((channel, low, schedule.recorded_at(low, now), True))
            for span in schedule.spans(low, high, now):
                if span.start_ms > low:
                    results.append((channel, span.start_ms, True, False))
                if span.end_ms < high and span.end_ms < now:
                    results.append((channel, span.end_ms, False, False))
        results.sort(key=lambda r: (r[1], r[0]), reverse=end < start)
        response = element(TSE, "FindEventsResponse")
        sub(response, TSE, "SearchToken", self._new_search(_EventSearch(results)))
        return response

    def get_event_search_results(self, request: Envelope) -> ET.Element:
        token, found = self._session(request)
        if found is None:
            raise invalid_arg("InvalidToken", "not an event search")
        try:
            limit = int(text_of(request.operation, (TSE, "MaxResults")) or "100")
        except ValueError:
            limit = 100
        taken, found.results = found.results[:max(1, limit)], found.results[max(1, limit):]
        response = element(TSE, "GetEventSearchResultsResponse")
        results = sub(response, TSE, "ResultList")
        sub(results, TT, "SearchState", "Completed" if not found.results else "Searching")
        for channel, at_ms, present, start_state in taken:
            result = sub(results, TT, "Result")
            sub(result, TT, "RecordingToken", recording_token(channel))
            sub(result, TT, "TrackToken", TRACK_TOKEN)
            sub(result, TT, "Time", _iso(at_ms))
            event = sub(result, TT, "Event")
            sub(event, WSNT, "Topic", ET.QName(TNS1, DATA_TOPIC),
                Dialect="http://www.onvif.org/ver10/tev/topicExpression/ConcreteSet")
            message = sub(sub(event, WSNT, "Message"), TT, "Message", UtcTime=_iso(at_ms),
                          PropertyOperation="Initialized" if start_state else "Changed")
            items = sub(message, TT, "Source")
            sub(items, TT, "SimpleItem", Name="RecordingToken", Value=recording_token(channel))
            sub(items, TT, "SimpleItem", Name="Track", Value=TRACK_TOKEN)
            data = sub(message, TT, "Data")
            sub(data, TT, "SimpleItem", Name="IsDataPresent", Value="true" if present else "false")
            sub(result, TT, "StartStateEvent", "true" if start_state else "false")
        if not found.results:
            del self._searches[token]
        return response

    def end_search(self, request: Envelope) -> ET.Element:
        token = text_of(request.operation, (TSE, "SearchToken")) or ""
        self._searches.pop(token, None)  # ending one already completed is no error
        response = element(TSE, "EndSearchResponse")
        sub(response, TSE, "Endpoint", _iso(self.recorder.now_ms()))
        return response

    # -- replay ---------------------------------------------------------------------------------------------------
    def _replay_operations(self) -> Operations:
        return {tag(TRP, "GetReplayUri"): Operation(self.get_replay_uri),
                tag(TRP, "GetServiceCapabilities"): Operation(
                    lambda _: _with(element(TRP, "GetServiceCapabilitiesResponse"), self._replay_capabilities()))}

    def _replay_capabilities(self) -> ET.Element:
        return element(TRP, "Capabilities", ReversePlayback="false", SessionTimeoutRange="60 60",
                       RTP_RTSP_TCP="true")

    def get_replay_uri(self, request: Envelope) -> ET.Element:
        token = text_of(request.operation, (TRP, "RecordingToken")) or ""
        channel = channel_of_token(token)
        if channel is None or channel not in self.recorder.channels:
            raise invalid_arg("NoRecording", f"no recording {token!r}")
        stream = text_of(request.operation, (TRP, "StreamSetup"), (TT, "Stream"))
        if stream not in (None, "RTP-Unicast"):
            raise invalid_arg("InvalidStreamSetup", "only RTP-Unicast is served")
        host, port = self.recorder.playback_host()
        response = element(TRP, "GetReplayUriResponse")
        sub(response, TRP, "Uri", f"rtsp://{host}:{port}{REPLAY_RTSP_PATH}?recording={token}")
        return response


def _with(parent: ET.Element, child: ET.Element) -> ET.Element:
    parent.append(child)
    return parent


# -- a runner -----------------------------------------------------------------------------------------------------
class OnvifRecorderServer(LoopThread):
    """One simulated Profile G recorder on loopback, on its own loop thread (ports 0: any free ones)."""

    def __init__(self, channels: tuple[RecorderChannel, ...], users: tuple[RecorderUser, ...], *,
                 settings: RecorderSettings | None = None, host: str = "127.0.0.1", http_port: int = 0,
                 rtsp_port: int = 0) -> None:
        if host not in ("127.0.0.1", "localhost", "::1"):
            raise ValueError(f"{host} is not this machine")
        self._channels, self._users, self._host = channels, users, host
        self._ports = (http_port, rtsp_port)
        self._settings = settings or RecorderSettings()
        super().__init__("simulator-onvif-nvr", "onvif-nvr-encoder")
        self.state: RecorderState | None = None
        self.face: OnvifRecorderFace | None = None
        self._http: HttpServer | None = None
        self._rtsp: RecorderRtspEndpoint | None = None
        self.http_port = self.rtsp_port = 0

    def __enter__(self) -> OnvifRecorderServer:
        self.start()
        return self

    def __exit__(self, *_: object) -> None:
        self.stop()

    @property
    def rtsp_requests(self) -> list[Any]:
        return list(self._rtsp.requests) if self._rtsp is not None else []

    def event(self, channel: int, kind: EventKind | str, active: bool = True) -> None:
        """The recorder raises an event (queued in every pull point when this returns)."""
        state = self.state
        assert state is not None

        async def publish() -> None:
            state.publish(RecorderEvent(channel, EventKind(kind), active, state.now_ms()))
            await asyncio.sleep(0)  # the face's forwarder takes it from its queue
            await asyncio.sleep(0)

        self._call(publish(), 5)

    async def _start(self) -> None:
        state = RecorderState(Vendor.HIKVISION, self._channels, self._users, self._settings, self._executor,
                              serial="SIMONV20260001")  # the recordings' layout is vendor-neutral
        state.host = self._host
        self.state = state
        self._http = HttpServer(lambda request: self.face.handle(request) if self.face else _not_yet())
        await self._http.listen(self._host, self._ports[0])
        server = self._http._server  # the port a 0 asked for
        assert server is not None
        self.http_port = state.http_port = int(server.sockets[0].getsockname()[1])
        user = next((u for u in self._users if u.playback), None)
        self._rtsp = RecorderRtspEndpoint(state, onvif_route(state), utc_clock_text, read_utc_clock,
                                          Credentials(user.username, user.password) if user else None)
        self.rtsp_port = state.rtsp_port = await self._rtsp.listen(self._host, self._ports[1])
        self.face = OnvifRecorderFace(state, self.http_port)
        self.face.start()
        log.info("onvif recorder simulator: http %d, rtsp %d, %d channels", self.http_port, self.rtsp_port,
                 len(self._channels))

    async def _stop(self) -> None:
        if self.face is not None:
            await self.face.close()
        if self._http is not None:
            await self._http.close()
        if self._rtsp is not None:
            await self._rtsp.close()
        # The connections' own tasks (aborted above) end before the loop stops, never destroyed pending.
        others = [task for task in asyncio.all_tasks() if task is not asyncio.current_task()]
        for task in others:
            task.cancel()
        await asyncio.gather(*others, return_exceptions=True)


async def _not_yet() -> HttpResponse:
    return HttpResponse(503, b"starting\n")


__all__ = ["DEVICE_PATH", "EVENTS_PATH", "OnvifRecorderFace", "OnvifRecorderServer", "onvif_route"]
