"""A recorder's RTSP server: its channels live, and its recordings played back from a moment (`starttime` in the
URI), with pause, seek (`Range: clock=`) and speed (`Scale`), over the camera simulator's RTSP connection.

`RtspConnection` finds a stream by its path alone; a playback URI carries the moment in its query, and SETUP comes
back with `/trackID=1` glued to that query (`…&endtime=…/trackID=1`, as Hikvision's own example shows). So this
connection resolves the whole URL, and keeps one playback per connection: two officers playing the same channel
from two moments are two sessions.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import parse_qsl, unquote, urlsplit

from console.core.config import StreamKind
from console.core.credentials import Credentials
from console.simulator.encoding import StreamProfile
from console.simulator.mounts import FrameSink, LoopMount, Mount
from console.simulator.nvr.recorder import RecorderState
from console.simulator.nvr.recording_media import LoopFrames
from console.simulator.rtp import CLOCK_RATE, PacketLoss
from console.simulator.rtsp import Request, RtspConnection, UdpSockets

log = logging.getLogger(__name__)

DAY_MS = 86_400_000
SCALES = (0.25, 0.5, 1.0, 2.0, 4.0, 8.0, 16.0)  # what the PLAY Scale header may ask (Hikvision's list, and more)


@dataclass(frozen=True)
class LiveRequest:
    channel: int
    kind: StreamKind


@dataclass(frozen=True)
class PlaybackRequest:
    channel: int
    start_ms: int
    end_ms: int


Route = Callable[[str, dict[str, str]], LiveRequest | PlaybackRequest | None]
ClockText = Callable[[int], str]  # a moment as the vendor writes it in a Range header
ClockRead = Callable[[str], int]  # and back (raises ValueError)


def split_url(url: str) -> tuple[str, dict[str, str]]:
    """(path, query) of an RTSP URL, with the `/trackID=…` a SETUP appends to the query dropped."""
    parts = urlsplit(url)
    query = parts.query.split("/", 1)[0]
    return unquote(parts.path).rstrip("/"), dict(parse_qsl(query, keep_blank_values=True))


class PlaybackMount:
    """One session's replay of a channel's recording, paced at the stream's rate times `scale`."""

    def __init__(self, state: RecorderState, request: PlaybackRequest) -> None:
        self.state = state
        self.channel = request.channel
        self.end_ms = request.end_ms
        self.title = f"{state.channels[request.channel].name} · playback"
        self.profile: StreamProfile = state.profile(state.settings.record_kind)
        self.scale = 1.0
        self._position_ms = request.start_ms
        self._next_ts = 0
        self._frames: LoopFrames | None = None
        self._sinks: set[FrameSink] = set()
        self._task: asyncio.Task[None] | None = None

    async def ready(self) -> dict[str, bytes]:
        self._frames = await self.state.frames(self.channel)
        return self._frames.loop.params

    @property
    def first_moment(self) -> int | None:
        """Where the next frame sent is taken (its keyframe), None when nothing is recorded from the position on."""
        schedule = self.state.schedule(self.channel)
        if self._frames is None or schedule is None:
            return None
        return self._frames.first_moment(schedule, self._position_ms, self.end_ms, self.state.now_ms())

    @property
    def next_timestamp(self) -> int:
        return self._next_ts

    def seek(self, at_ms: int) -> None:
        self._position_ms = at_ms
        if self._task is not None:
            self._task.cancel()
            self._task = None
        if self._sinks:
            self._start()

    def add(self, sink: FrameSink) -> None:
        self._sinks.add(sink)
        if self._task is None or self._task.done():
            self._start()

    def remove(self, sink: FrameSink) -> None:
        self._sinks.discard(sink)

    def _start(self) -> None:
        self._task = asyncio.get_running_loop().create_task(self._pump())

    async def _pump(self) -> None:
        frames = self._frames or await self.state.frames(self.channel)
        schedule = self.state.schedule(self.channel)
        if schedule is None:
            return
        step = CLOCK_RATE // frames.fps
        anchor_wall, anchor_ts = time.monotonic(), self._next_ts
        for frame in frames.recording(schedule, self._position_ms, self.end_ms, self.state.now_ms()):
            if not self._sinks:
                self._position_ms = frame.at_ms  # paused: go on from here
                return
            due = anchor_wall + (self._next_ts - anchor_ts) / CLOCK_RATE / self.scale
            await asyncio.sleep(max(0.0, due - time.monotonic()))
            for sink in tuple(self._sinks):
                sink.send_frame(frame.encoded, self._next_ts)
            self._next_ts += step
            self._position_ms = frame.at_ms + 1000 // frames.fps
        log.debug("recorder playback of channel %d reached its end", self.channel)


class RecorderRtspEndpoint:
    """The recorder's RTSP side: what `RtspConnection` asks of a camera, plus the routes of one vendor."""

    def __init__(self, state: RecorderState, route: Route, clock_text: ClockText, read_clock: ClockRead,
                 credentials: Credentials | None) -> None:
        self.state = state
        self.route = route
        self.clock_text = clock_text
        self.read_clock = read_clock
        self.credentials = credentials
        self.garbage = False
        self.loss: PacketLoss | None = None
        self.udp: UdpSockets | None = None
        self._live: dict[tuple[int, StreamKind], LoopMount] = {}
        self._connections: set[RtspConnection] = set()
        self._server: asyncio.Server | None = None

    def mount(self, path: str) -> Mount | None:  # the EndpointView's lookup; playback goes through `resolve`
        return None

    def resolve(self, url: str, sessions: dict[tuple[str, str], PlaybackMount]) -> tuple[str, Mount] | None:
        path, query = split_url(url)
        found = self.route(path, query)
        if isinstance(found, LiveRequest):
            if found.channel not in self.state.channels:
                return None
            key = (found.channel, found.kind)
            live = self._live.get(key)
            if live is None:
                live = self._live[key] = LoopMount(self.state.channels[found.channel].name,
                                                   self.state.profile(found.kind),
                                                   self.state.loop(found.channel, found.kind), lambda: False)
            return path, live
        if isinstance(found, PlaybackRequest):
            if found.channel not in self.state.channels:
                return None
            session_key = (path, "&".join(f"{k}={v}" for k, v in sorted(query.items())))
            mount = sessions.get(session_key)
            if mount is None:
                mount = sessions[session_key] = PlaybackMount(self.state, found)
            return path, mount
        return None

    def forget(self, connection: RtspConnection) -> None:
        self._connections.discard(connection)

    def _new_connection(self) -> RtspConnection:
        connection = PlaybackConnection(self)
        self._connections.add(connection)
        return connection

    async def listen(self, host: str, port: int) -> int:
        loop = asyncio.get_running_loop()
        self._server = await loop.create_server(self._new_connection, host, port, reuse_address=True)
        return int(self._server.sockets[0].getsockname()[1])

    async def close(self) -> None:
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()
            self._server = None
        for connection in tuple(self._connections):
            connection.abort()
        self._connections.clear()


class PlaybackConnection(RtspConnection):
    """An RTSP connection to a recorder: streams found by the whole URL, PLAY answered with the recording's clock."""

    def __init__(self, endpoint: RecorderRtspEndpoint) -> None:
        super().__init__(endpoint)
        self._recorder = endpoint
        self._playbacks: dict[tuple[str, str], PlaybackMount] = {}

    def _find_mount(self, url: str) -> tuple[str, Mount] | None:
        return self._recorder.resolve(url, self._playbacks)

    async def _play(self, request: Request) -> None:
        session = self._session
        if session is None or not isinstance(session.mount, PlaybackMount):
            await super()._play(request)
            return
        mount = session.mount
        extra: dict[str, str] = {}
        scale = request.headers.get("scale")
        if scale is not None:
            try:
                wanted = float(scale)
            except ValueError:
                wanted = 0.0
            if wanted not in SCALES:
                self._reply(request, 400, "Bad Request")  # a speed the recorder does not play
                return
            mount.scale = wanted
            extra["Scale"] = f"{wanted:g}"
        seek = _range_clock(request.headers.get("range", ""))
        if seek is not None:
            try:
                mount.seek(self._recorder.read_clock(seek))
            except ValueError:
                self._reply(request, 457, "Invalid Range")
                return
        first = mount.first_moment
        if first is None:
            self._reply(request, 404, "Not Found")  # nothing recorded from there to the end asked
            return
        rtptime = (session.rtp.ts_base + mount.next_timestamp) & 0xFFFFFFFF
        info = f"url={request.url.rstrip('/')}/trackID=1;seq={session.rtp.seq};rtptime={rtptime}"
        clock = f"clock={self._recorder.clock_text(first)}-{self._recorder.clock_text(mount.end_ms)}"
        self._reply(request, 200, "OK", {"Range": clock, "RTP-Info": info, **extra, **self._session_header()})
        if not session.playing:
            session.playing = True
            session.waiting_key = True
            mount.add(session)


def _range_clock(header: str) -> str | None:
    value = header.strip()
    if not value.lower().startswith("clock="):
        return None
    return value[6:].split("-", 1)[0].strip() or None
