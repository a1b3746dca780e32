"""A recorder's RTSP server: its channels live, and its recordings played back from a moment (`starttime` in the
URI), with pause, seek (`Range: clock=`) and speed (`Scale`), over the camera simulator's RTSP connection.

Playback control as RFC 2326 describes it (no vendor document on it could be read here and no real recorder was at
hand: what a device does is unverified, README lists it): a PLAY with `Scale` changes the pace from the next frame
on, a PLAY with `Range: clock=` starts again at the keyframe at or before that moment, PAUSE stops the frames and a
PLAY without Range resumes at the frame it stopped before, in the same session. RTP time is the recording's own
clock (90 kHz between the moments frames were taken, a recording gap included): frames are sent `Scale` times faster
or slower, never stamped closer. Every PLAY answers with the moment of the next frame sent (`Range: clock=`,
milliseconds when it has some) and that frame's `seq` and `rtptime`.

`RtspConnection` finds a stream by its path alone; a playback URI carries the moment in its query, and SETUP comes
back with `/trackID=1` glued to that query (`…&endtime=…/trackID=1`, as Hikvision's own example shows). So this
connection resolves the whole URL, and keeps one playback per connection: two officers playing the same channel
from two moments are two sessions.
"""

from __future__ import annotations

import asyncio
import logging
import re
import time
from collections import Counter, deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from urllib.parse import parse_qsl, unquote, urlsplit

from console.core.config import StreamKind
from console.core.credentials import Credentials
from console.simulator.encoding import StreamProfile
from console.simulator.mounts import FrameSink, LoopMount, Mount
from console.simulator.nvr.recorder import RecorderState
from console.simulator.nvr.recording_media import LoopFrames, RecordedFrame
from console.simulator.rtp import CLOCK_RATE, PacketLoss
from console.simulator.rtsp import Request, RtspConnection, UdpSockets

log = logging.getLogger(__name__)

DAY_MS = 86_400_000
SCALES = (0.25, 0.5, 1.0, 2.0, 4.0, 8.0, 16.0)  # what the PLAY Scale header may ask (Hikvision's list, and more)
KEPT_REQUESTS = 256  # the control requests a recorder remembers for tests (`RecorderRtspEndpoint.requests`)
_CLOCK_FRACTION = re.compile(r"^(?P<base>[^.]+?)(?:\.(?P<fraction>\d{1,3})\d*)?(?P<zone>Z?)$")


@dataclass(frozen=True)
class LiveRequest:
    channel: int
    kind: StreamKind


@dataclass(frozen=True)
class PlaybackRequest:
    channel: int
    start_ms: int
    end_ms: int


@dataclass(frozen=True)
class RtspRequestSeen:
    """A control request a playback session answered (tests count sessions, PLAYs and PAUSEs by these)."""

    method: str
    session: str  # the session id ("" before SETUP answered)
    scale: str  # the Scale header as sent ("" without one)
    range: str  # the Range header as sent
    connection: int  # which TCP connection (numbered from 1 by the endpoint)
    require: str = ""  # the Require header (an ONVIF replay client sends `onvif-replay`)


Route = Callable[[str, dict[str, str]], LiveRequest | PlaybackRequest | None]
ClockText = Callable[[int], str]  # a moment as the vendor writes it in a Range header
ClockRead = Callable[[str], int]  # and back (raises ValueError)


def split_url(url: str) -> tuple[str, dict[str, str]]:
    """(path, query) of an RTSP URL, with the `/trackID=…` a SETUP appends to the query dropped."""
    parts = urlsplit(url)
    query = parts.query.split("/", 1)[0]
    return unquote(parts.path).rstrip("/"), dict(parse_qsl(query, keep_blank_values=True))


class PlaybackMount:
    """One session's replay of a channel's recording: from the keyframe at or before a moment, paced at the stream's
    rate times `scale`, stopped and resumed where it stood (on the endpoint's loop only)."""

    def __init__(self, state: RecorderState, request: PlaybackRequest) -> None:
        self.state = state
        self.channel = request.channel
        self.end_ms = request.end_ms
        self.title = f"{state.channels[request.channel].name} · playback"
        self.profile: StreamProfile = state.profile(state.settings.record_kind)
        self.scale = 1.0
        self._start_ms = request.start_ms
        self._next_ts = 0  # RTP time (before the session's base) of the next frame sent
        self._frames: LoopFrames | None = None
        self._upcoming: Iterator[RecordedFrame] | None = None
        self._next: RecordedFrame | None = None  # the next frame sent; None: the recording read ended
        self._sinks: set[FrameSink] = set()
        self._task: asyncio.Task[None] | None = None

    async def ready(self) -> dict[str, bytes]:
        self._frames = await self.state.frames(self.channel)
        return self._frames.loop.params

    def next_moment(self) -> int | None:
        """The moment of the next frame sent (a seek's keyframe, the frame a pause stopped before); None when
        nothing is recorded from there to the end asked."""
        if self._upcoming is None:
            self._read_from(self._start_ms)
        return self._next.at_ms if self._next is not None else None

    @property
    def next_timestamp(self) -> int:
        return self._next_ts

    def seek(self, at_ms: int) -> None:
        """From the keyframe at or before `at_ms` on (RTP time goes on from where it was)."""
        self._read_from(at_ms)
        self._restart()

    def set_scale(self, scale: float) -> None:
        """The pace from the next frame on (the frames already sent keep theirs)."""
        self.scale = scale
        self._restart()

    def add(self, sink: FrameSink) -> None:
        self._sinks.add(sink)
        if self._task is None or self._task.done():
            self._restart()

    def remove(self, sink: FrameSink) -> None:
        """A sink gone (PAUSE, TEARDOWN): with none left the frames stop, the next one kept for a resume."""
        self._sinks.discard(sink)
        if not self._sinks:
            self._stop()

    def _read_from(self, at_ms: int) -> None:
        schedule = self.state.schedule(self.channel)
        if self._frames is None or schedule is None:
            self._upcoming, self._next = iter(()), None
            return
        self._upcoming = self._frames.recording(schedule, at_ms, self.end_ms, self.state.now_ms())
        self._next = next(self._upcoming, None)

    def _restart(self) -> None:
        self._stop()
        if self._sinks:
            self._task = asyncio.get_running_loop().create_task(self._pump())

    def _stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            self._task = None

    async def _pump(self) -> None:
        """Sends from the next frame on; cancelled (only while it waits) by a pause, a seek or a new scale."""
        frames = self._frames or await self.state.frames(self.channel)
        self._frames = frames
        if self._upcoming is None:
            self._read_from(self._start_ms)
        started, sent = time.monotonic(), 0
        while self._next is not None and self._sinks:
            due = started + sent / frames.fps / self.scale
            await asyncio.sleep(max(0.0, due - time.monotonic()))
            frame = self._next
            for sink in tuple(self._sinks):
                sink.send_frame(frame.encoded, self._next_ts)
            sent += 1
            following = next(self._upcoming, None) if self._upcoming is not None else None
            gap = following.number - frame.number if following is not None else 1
            self._next_ts += gap * CLOCK_RATE // frames.fps  # the recording's clock, gaps included
            self._next = following
        if self._next is None:
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
        self._connected = 0
        self.requests: deque[RtspRequestSeen] = deque(maxlen=KEPT_REQUESTS)
        self.counts: Counter[str] = Counter()  # SETUP, PLAY, PAUSE and TEARDOWN answered, and connections made

    def seen(self, request: RtspRequestSeen) -> None:
        self.requests.append(request)
        self.counts[request.method] += 1

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
        self._connected += 1
        self.counts["connections"] += 1
        connection = PlaybackConnection(self, self._connected)
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

    def __init__(self, endpoint: RecorderRtspEndpoint, number: int) -> None:
        super().__init__(endpoint)
        self._recorder = endpoint
        self._number = number
        self._playbacks: dict[tuple[str, str], PlaybackMount] = {}

    def _find_mount(self, url: str) -> tuple[str, Mount] | None:
        return self._recorder.resolve(url, self._playbacks)

    def _note(self, request: Request) -> None:
        session = self._session.id if self._session is not None else ""
        self._recorder.seen(RtspRequestSeen(request.method, session, request.headers.get("scale", ""),
                                            request.headers.get("range", ""), self._number,
                                            request.headers.get("require", "")))

    async def _setup(self, request: Request) -> None:
        await super()._setup(request)
        self._note(request)

    async def _pause(self, request: Request) -> None:
        self._note(request)
        await super()._pause(request)

    async def _teardown(self, request: Request) -> None:
        self._note(request)
        await super()._teardown(request)

    async def _play(self, request: Request) -> None:
        session = self._session
        if session is None or not isinstance(session.mount, PlaybackMount):
            await super()._play(request)
            return
        self._note(request)
        mount = session.mount
        extra: dict[str, str] = {}
        scale = request.headers.get("scale")
        wanted = mount.scale
        if scale is not None:
            try:
                wanted = float(scale)
            except ValueError:
                wanted = 0.0
            if wanted not in SCALES:
                self._reply(request, 400, "Bad Request")  # a speed the recorder does not play
                return
            extra["Scale"] = f"{wanted:g}"
        seek = _range_clock(request.headers.get("range", ""))
        if seek is not None:
            try:
                at_ms = self._read_range(seek)
            except ValueError:
                self._reply(request, 457, "Invalid Range")
                return
            mount.scale = wanted
            mount.seek(at_ms)
        elif wanted != mount.scale:
            mount.set_scale(wanted)
        first = mount.next_moment()
        if first is None:
            self._reply(request, 404, "Not Found")  # nothing recorded from there to the end asked
            return
        rtptime = (session.rtp.ts_base + mount.next_timestamp) & 0xFFFFFFFF
        info = f"url={request.url.rstrip('/')}/trackID=1;seq={session.rtp.seq};rtptime={rtptime}"
        clock = f"clock={self._range_text(first)}-{self._recorder.clock_text(mount.end_ms)}"
        self._reply(request, 200, "OK", {"Range": clock, "RTP-Info": info, **extra, **self._session_header()})
        if not session.playing:  # the first PLAY, or a resume: from the next frame (the client holds the ones before)
            session.playing = True
            mount.add(session)

    def _range_text(self, at_ms: int) -> str:
        """A moment in the vendor's clock text, with its milliseconds when it has some (RFC 2326 allows them)."""
        text = self._recorder.clock_text(at_ms)
        millis = at_ms % 1000
        if not millis:
            return text
        if text.endswith("Z"):
            return f"{text[:-1]}.{millis:03d}Z"
        return f"{text}.{millis:03d}"

    def _read_range(self, text: str) -> int:
        match = _CLOCK_FRACTION.match(text)
        if match is None:
            raise ValueError(text)
        fraction = (match.group("fraction") or "").ljust(3, "0")
        return self._recorder.read_clock(match.group("base") + match.group("zone")) + int(fraction)


def _range_clock(header: str) -> str | None:
    value = header.strip()
    if not value.lower().startswith("clock="):
        return None
    return value[6:].split("-", 1)[0].strip() or None
