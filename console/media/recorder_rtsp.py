"""One RTSP playback session with a recorder, over aiortsp, on the RTP path's network loop: opened at a moment, then
speed (PLAY with `Scale`), seek (PLAY with `Range: clock=`), pause and resume (PAUSE, then PLAY without Range) on the
same session, each picture handed over with the recording's moment it shows.

aiortsp does the RTSP and RTP plumbing (Digest, TCP interleaving, RTCP reports, keep-alive); its own `play()` writes
the clock as UTC with a fraction, which a recorder in another time mode reads hours off (`console.nvr.timebase`), so
PLAY goes through its connection with the recorder's own clock text (`RangeClock`). H.264/H.265 depacketization is
the RTP path's (`console.media.rtp.depacketize`).

The moment of a picture: every PLAY answer names the moment of the next frame sent (`Range: clock=<first>-`) and that
frame's `seq` and `rtptime` (`RTP-Info`); a picture's moment is that moment plus its RTP time since, at 90 kHz. RTP time
is taken to be the recording's clock at any speed (frames sent faster or slower, not stamped closer: the simulator does
so; no real recorder was at hand to check). Packets that arrive while a PLAY is unanswered are held until its answer
says which run they belong to (aiortsp hands over the packets that follow an answer in the same read before the answer
itself); after a seek, the pictures of the run before it are dropped. An answer without Range falls back on the moment
asked (a seek, the first PLAY: right to one GOP) or on the previous run's clock (resume, new speed).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Protocol
from urllib.parse import urlsplit

from aiortsp.rtcp.parser import BYE, RTCP
from aiortsp.rtsp.connection import RTSPConnection
from aiortsp.rtsp.errors import RTSPResponseError
from aiortsp.rtsp.session import RTSPMediaSession
from aiortsp.transport.tcp import TCPTransport
from dpkt.rtp import RTP

from console.core.redact import redact
from console.media.rtp.depacketize import AccessUnit, Depacketizer, has_parameter_sets
from console.media.rtp.network import submit
from console.media.rtp.session import read_setup, rtsp_log, split_credentials

log = logging.getLogger(__name__)

OPEN_TIMEOUT_S = 5.0  # connect and each RTSP answer
READ_TIMEOUT_S = 5.0  # playing with no RTP packet for this long: the session is over
TEARDOWN_S = 1.0  # the longest a closing session waits for the recorder's TEARDOWN answer
WATCH_EVERY_S = 0.2
KEPT_ANCHORS = 8
CLOCK_RATE = 90_000
_SEQ = 1 << 16
_TS = 1 << 32
_SEQ_FIELD = re.compile(r"(?:^|;)\s*seq=(\d+)")
_RTPTIME_FIELD = re.compile(r"(?:^|;)\s*rtptime=(\d+)")
_CLOCK_TEXT = re.compile(r"^(?P<base>[^.]+?)(?:\.(?P<fraction>\d{1,3})\d*)?(?P<zone>Z?)$")


class RangeClock(Protocol):
    """How one recorder writes a moment in `Range: clock=` and reads one back (without its fraction of a second), by
    its vendor and time mode (`console.nvr.playback_source.RtspClock`)."""

    @property
    def onvif_replay(self) -> bool:
        """An ONVIF Profile G recorder: its replay URI holds no moment, PLAY names it (ONVIF Streaming spec)."""
        ...

    def write(self, at_ms: int) -> str: ...

    def read(self, text: str) -> int:
        """Raises ValueError for a text it cannot read."""
        ...


@dataclass(frozen=True)
class Picture:
    """One access unit to decode, Annex B (parameter sets in front of a keyframe), and the moment it shows."""

    data: bytes
    key: bool
    moment_ms: int
    run: int  # the open or seek it belongs to (`PlaybackSession.run`)


class Step(StrEnum):
    OPEN = "open"
    PAUSE = "pause"
    RESUME = "resume"
    SEEK = "seek"
    SCALE = "scale"
    STOP = "stop"


@dataclass(frozen=True)
class _Command:
    step: Step
    at_ms: int = 0
    scale: float = 1.0


@dataclass
class _Anchor:
    """Where a PLAY answer put the stream: from packet `seq` on, RTP time `rtptime` is the moment `moment_ms`."""

    seq: int | None
    rtptime: int | None
    moment_ms: int | None
    run: int
    seek: bool  # a new run: what was sent before it is dropped


def scale_text(scale: float) -> str:
    """`2.0`, `0.5`, `0.25`: RFC 2326's form (`Scale: 2.0`)."""
    text = f"{scale:g}"
    return text if "." in text else f"{text}.0"


def read_range_start(header: str, clock: RangeClock) -> int | None:
    """The first moment of a PLAY answer's `Range: clock=<first>-<end>` (milliseconds kept); None: none or unread."""
    value = header.strip()
    if not value.lower().startswith("clock="):
        return None
    match = _CLOCK_TEXT.match(value[6:].split("-", 1)[0].strip())
    if match is None:
        return None
    try:
        whole = clock.read(match.group("base") + match.group("zone"))
    except ValueError:
        return None
    return whole + int((match.group("fraction") or "").ljust(3, "0"))


def _after_or_at(seq: int, first: int) -> bool:
    return (seq - first) % _SEQ < _SEQ // 2


def _ticks_since(timestamp: int, origin: int) -> int:
    """RTP time from `origin` to `timestamp` (both 32-bit), signed."""
    return (timestamp - origin + _TS // 2) % _TS - _TS // 2


class PlaybackSession:
    """One recorder playback session; every public call returns at once and is safe from any thread. `on_picture`
    is called on the network loop's thread, in order; `on_answer` likewise after each PLAY or PAUSE answered."""

    def __init__(self, url: str, at_ms: int, scale: float, clock: RangeClock,
                 on_picture: Callable[[Picture], None], on_answer: Callable[[Step, bool, str], None]) -> None:
        self.url = url
        self.asked_ms = at_ms
        self.scale = scale  # as the recorder last accepted it
        self.clock = clock
        self.run = 1  # opens and seeks taken: a seek's pictures carry its number, the ones before it an earlier one
        self.codec = "h264"  # FFmpeg's name, from the SDP once set up
        self.failure = ""  # why the session ended (redacted), "" while it plays or when it was stopped
        self.ended = False
        self._on_picture = on_picture
        self._on_answer = on_answer
        self._lock = threading.Lock()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._commands: asyncio.Queue[_Command] | None = None
        self._early: list[_Command] = []  # asked before the loop took the session
        self._anchors: list[_Anchor] = []
        self._pending = True  # a PLAY not answered yet: packets wait for it
        self._held: list[tuple[AccessUnit, int]] = []
        self._depacketizer: Depacketizer | None = None
        self._extradata: bytes | None = None
        self._payload_type: int | None = None
        self._heard_at = time.monotonic()
        self._playing = False
        self._bye = False
        self._transport: TCPTransport | None = None

    # -- from any thread ------------------------------------------------------------------------------------------
    def start(self) -> None:
        submit(self._run())

    def pause(self) -> None:
        self._send(_Command(Step.PAUSE))

    def resume(self, scale: float) -> None:
        self._send(_Command(Step.RESUME, scale=scale))

    def seek(self, at_ms: int, scale: float) -> None:
        self._send(_Command(Step.SEEK, at_ms=at_ms, scale=scale))

    def set_scale(self, scale: float) -> None:
        self._send(_Command(Step.SCALE, scale=scale))

    def stop(self) -> None:
        self._send(_Command(Step.STOP))

    def _send(self, command: _Command) -> None:
        with self._lock:
            loop, commands = self._loop, self._commands
            if loop is None or commands is None:
                self._early.append(command)  # taken by `_run` as it starts
                return
        with contextlib.suppress(RuntimeError):  # the loop is gone: the process is ending
            loop.call_soon_threadsafe(commands.put_nowait, command)

    # -- on the network loop --------------------------------------------------------------------------------------
    async def _run(self) -> None:
        commands: asyncio.Queue[_Command] = asyncio.Queue()
        with self._lock:
            self._loop, self._commands = asyncio.get_running_loop(), commands
            for command in self._early:
                commands.put_nowait(command)
        try:
            await self._session()
        except Exception as exc:  # any way the session ended is said, never raised into the loop
            if not self.failure:
                self.failure = _describe(exc)
            log.warning("recorder playback: the session ended: %s", self.failure)
        finally:
            self.ended = True

    async def _session(self) -> None:
        address, user, password = split_credentials(self.url)
        parts = urlsplit(address)
        async with RTSPConnection(parts.hostname, parts.port or 554, user, password, accept_auth=["digest", "basic"],
                                  logger=rtsp_log, timeout=OPEN_TIMEOUT_S) as connection, \
                TCPTransport(connection, logger=rtsp_log, timeout=READ_TIMEOUT_S) as transport:
            session = RTSPMediaSession(connection, address, transport=transport, logger=rtsp_log)
            await session.setup()  # not as a context: its exit would wait the whole answer timeout for a TEARDOWN
            self._transport = transport
            try:
                setup = read_setup(session.sdp)
                self.codec = setup.codec
                self._extradata = setup.extradata
                self._payload_type = session.sdp.media_payload_type()
                self._depacketizer = Depacketizer(setup.codec)
                transport.subscribe(self)
                await self._play(connection, session, first=True, step=Step.OPEN)
                await self._serve(connection, transport, session)
            finally:
                if connection.running:
                    with contextlib.suppress(Exception):
                        await asyncio.wait_for(session.teardown(), TEARDOWN_S)

    async def _serve(self, connection: RTSPConnection, transport: TCPTransport, session: RTSPMediaSession) -> None:
        """Commands until stopped or the session is over (`failure` says why)."""
        assert self._commands is not None
        kept_alive = time.monotonic()
        while connection.running and transport.running:
            try:
                command = await asyncio.wait_for(self._commands.get(), WATCH_EVERY_S)
            except TimeoutError:
                command = None
            if command is not None:
                if command.step is Step.STOP:
                    return
                await self._obey(command, connection, session)
            now = time.monotonic()
            if self._bye:
                self.failure = "end of stream"
                return
            if self._playing and now - self._heard_at >= READ_TIMEOUT_S:
                self.failure = "no data"
                return
            if now - kept_alive > session.session_keepalive:
                await session.keep_alive()
                kept_alive = now
        self.failure = self.failure or "connection closed"

    async def _obey(self, command: _Command, connection: RTSPConnection, session: RTSPMediaSession) -> None:
        if command.step is Step.PAUSE:
            if not self._playing:
                return
            try:
                await session.pause()
            except RTSPResponseError as exc:
                self._on_answer(Step.PAUSE, False, _describe(exc))
                return
            self._playing = False
            if self._transport is not None:
                self._transport.paused = True  # aiortsp's own silence timeout must not end a paused session
            self._on_answer(Step.PAUSE, True, "")
        elif command.step is Step.RESUME:
            if not self._playing:
                await self._play(connection, session, scale=command.scale, step=Step.RESUME)
        elif command.step is Step.SEEK:
            self.run += 1
            await self._play(connection, session, scale=command.scale, seek_ms=command.at_ms, step=Step.SEEK)
        elif command.step is Step.SCALE and command.scale != self.scale:
            if self._playing:
                await self._play(connection, session, scale=command.scale, step=Step.SCALE)
            else:
                self.scale = command.scale  # paused: the resume asks for it
                self._on_answer(Step.SCALE, True, "")

    async def _play(self, connection: RTSPConnection, session: RTSPMediaSession, *, first: bool = False,
                    scale: float | None = None, seek_ms: int | None = None, step: Step = Step.RESUME) -> bool:
        """One PLAY; False when the recorder refused it (the stream goes on as it was, if it was)."""
        wanted = self.scale if scale is None else scale
        headers: dict[str, Any] = {"Session": session.session_id, "Scale": scale_text(wanted)}
        replay = self.clock.onvif_replay
        if replay:  # ONVIF Streaming spec: the replay URI holds no moment; the first PLAY names it in Range
            headers["Require"] = "onvif-replay"
            headers["Rate-Control"] = "yes"
        if seek_ms is not None:
            headers["Range"] = f"clock={self.clock.write(seek_ms)}-"
            if replay:
                headers["Immediate"] = "yes"  # a seek drops what the recorder already queued
        elif first and replay:
            headers["Range"] = f"clock={self.clock.write(self.asked_ms)}-"
        elif first:
            headers["Range"] = "npt=0.000-"  # from the URI's start time, as live555 clients ask
        self._pending = True
        try:
            answer = await connection.send_request("PLAY", session.media_url, headers=headers)
        except RTSPResponseError as exc:
            if seek_ms is not None and self._anchors:
                self._anchors[-1].run = self.run  # not sought: the pictures go on, under the seek's number
            self._release_held()
            if first:
                raise
            self._on_answer(step, False, _describe(exc))
            return False
        except BaseException:
            self._release_held()
            raise
        moment = read_range_start(str(answer.headers.get("range", "")), self.clock)
        info = str(answer.headers.get("rtp-info", ""))
        seq, rtptime = _field(_SEQ_FIELD, info), _field(_RTPTIME_FIELD, info)
        if seek_ms is not None:
            self.asked_ms = seek_ms
        if moment is None and (first or seek_ms is not None):
            moment = self.asked_ms
        self._anchors = [*self._anchors[-KEPT_ANCHORS:], _Anchor(seq, rtptime, moment, self.run,
                                                                 first or seek_ms is not None)]
        granted = str(answer.headers.get("scale", "")).strip()
        with contextlib.suppress(ValueError):
            wanted = float(granted) if granted else wanted
        self.scale = wanted
        self._playing = True
        self._heard_at = time.monotonic()
        self._release_held()
        self._on_answer(step, True, "")
        return True

    # -- aiortsp's transport client (network loop) ----------------------------------------------------------------
    def handle_rtp(self, rtp: RTP) -> None:
        depacketizer = self._depacketizer
        if depacketizer is None or (self._payload_type is not None and rtp.pt != self._payload_type):
            return
        self._heard_at = time.monotonic()
        if self._transport is not None and self._transport.paused and self._playing:
            self._transport.paused = False  # resumed: aiortsp counts silence again from this packet
        units = depacketizer.push(rtp.seq, rtp.ts, bool(rtp.m), bytes(rtp.data), self._heard_at)
        for number, unit in enumerate(units):  # a unit closed by the next one's first packet ended one packet before
            last = rtp.seq if rtp.m and number == len(units) - 1 else (rtp.seq - 1) % _SEQ
            if self._pending:
                self._held.append((unit, last))
            else:
                self._release(unit, last)

    def handle_rtcp(self, rtcp: RTCP) -> None:
        if any(isinstance(packet, BYE) for packet in rtcp.packets):
            self._bye = True

    def handle_closed(self, error: Exception | None) -> None:
        if error is not None and not self.failure:
            self.failure = _describe(error)

    def _release_held(self) -> None:
        self._pending = False
        held, self._held = self._held, []
        for unit, seq in held:
            self._release(unit, seq)

    def _release(self, unit: AccessUnit, seq: int) -> None:
        found = next(((n, a) for n, a in reversed(list(enumerate(self._anchors)))
                      if a.seq is None or _after_or_at(seq, a.seq)), None)
        if found is None:
            return
        number, anchor = found
        if any(later.seek for later in self._anchors[number + 1:]):
            return  # sent before a seek the recorder has since answered
        timestamp = unit.timestamp % _TS
        if anchor.rtptime is None:
            anchor.rtptime = timestamp
        if anchor.moment_ms is None:
            earlier = self._anchors[number - 1] if number > 0 else None
            anchor.moment_ms = self._moment(earlier, timestamp) if earlier is not None else self.asked_ms
        data = unit.data
        if unit.key and self._extradata and self._depacketizer is not None \
                and not has_parameter_sets(self._depacketizer.codec, data):
            data = self._extradata + data
        self._on_picture(Picture(data, unit.key, self._moment(anchor, timestamp), anchor.run))

    @staticmethod
    def _moment(anchor: _Anchor, timestamp: int) -> int:
        origin = anchor.rtptime if anchor.rtptime is not None else timestamp
        base = anchor.moment_ms if anchor.moment_ms is not None else 0
        return base + _ticks_since(timestamp, origin) * 1000 // CLOCK_RATE


def _field(pattern: re.Pattern[str], text: str) -> int | None:
    match = pattern.search(text)
    return int(match.group(1)) if match is not None else None


def _describe(exc: BaseException) -> str:
    """What the officer's sentence carries: the RTSP status when the recorder answered one, else the error."""
    if isinstance(exc, RTSPResponseError) and exc.response is not None:
        return f"RTSP {exc.response.status} {exc.response.status_msg or ''}".strip()
    text = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    return redact(text)
