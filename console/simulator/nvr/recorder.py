"""One simulated recorder as both faces see it: its channels and their recordings, its users, its clock, the loops
its recordings are made of, the events it raises, and the faults injected into it."""

from __future__ import annotations

import asyncio
import logging
import time
from concurrent.futures import Executor, Future
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

from console.core.config import SiteConfig, StreamKind
from console.simulator.encoding import MAIN_PROFILE, SUB_PROFILE, StreamProfile
from console.simulator.loops import EncodedLoop, load_or_encode
from console.simulator.nvr.device_time import DeviceClock
from console.simulator.nvr.digest import RecorderUser
from console.simulator.nvr.recording_media import LoopFrames
from console.simulator.nvr.schedule import RecordingSchedule
from console.simulator.rtp import Codec

log = logging.getLogger(__name__)

MAX_SUBSCRIBERS = 8  # event streams a recorder keeps at once (real ones allow a handful of "arming" clients)


class Vendor(StrEnum):
    HIKVISION = "hikvision"
    DAHUA = "dahua"


class EventKind(StrEnum):
    MOTION = "motion"
    TAMPER = "tamper"
    ALARM_INPUT = "alarm_input"
    VIDEO_LOSS = "video_loss"


@dataclass(frozen=True)
class RecorderEvent:
    channel: int
    kind: EventKind
    active: bool
    at_ms: int
    input_port: int = 1  # for alarm inputs


@dataclass(frozen=True)
class RecorderChannel:
    number: int  # 1-based, as both vendors number channels on the wire (Dahua's event index is number − 1)
    name: str
    site: str  # with the name, what the loop is rendered and cached under (the camera simulator's key)


@dataclass
class RecorderFaults:
    """What is wrong with the recorder now; changed while it runs (on its loop, or between requests)."""

    page_limit: int | None = None  # a search page holds at most this many items, whatever the client asked
    phantom: bool = False  # one more search item, in a gap, with nothing recorded behind it
    preamble_max_bytes: int = 0  # Dahua downloads: up to this many bytes before the first DHAV frame
    events_silent: bool = False  # event streams stay open and send nothing, not even heartbeats
    malformed: bool = False  # answers are broken: ISAPI XML cut in half, Dahua's lines an HTML error page
    advertised_host: str | None = None  # the address it writes into playback URIs (its LAN address behind a NAT)
    advertised_rtsp_port: int | None = None


@dataclass
class RecorderSettings:
    loop_s: float = 8.0
    gop_s: float = 1.0
    codec: Codec = Codec.H264
    record_kind: StreamKind = StreamKind.MAIN  # which stream its recordings are of
    cache_dir: Path | None = None
    days: int = 3
    heartbeat_s: float = 10.0  # Hikvision's alert stream heartbeat; Dahua's is what the client asks for
    clock: DeviceClock = field(default_factory=DeviceClock)


def channels_of(config: SiteConfig) -> tuple[RecorderChannel, ...]:
    """Every camera of a site config, in order, as channel 1, 2, …"""
    return tuple(RecorderChannel(index, camera.name, config.site(camera.site_id).name)
                 for index, camera in enumerate(config.cameras, start=1))


class RecorderState:
    """Shared by a recorder's HTTP face and RTSP server (both run on the simulator's loop)."""

    def __init__(self, vendor: Vendor, channels: tuple[RecorderChannel, ...], users: tuple[RecorderUser, ...],
                 settings: RecorderSettings, executor: Executor, serial: str) -> None:
        self.vendor = vendor
        self.channels = {channel.number: channel for channel in channels}
        self.users = users
        self.settings = settings
        self.clock = settings.clock
        self.faults = RecorderFaults()
        self.serial = serial
        self.host = "127.0.0.1"
        self.http_port = 0
        self.rtsp_port = 0
        self._executor = executor
        self._loops: dict[tuple[int, StreamKind], Future[EncodedLoop]] = {}
        self._frames: dict[tuple[int, StreamKind], LoopFrames] = {}
        now = self.now_ms()
        self.schedules = {number: RecordingSchedule.typical(number, now, self.clock.zone_offset_s, settings.days)
                          for number in self.channels}
        self.subscribers: set[asyncio.Queue[RecorderEvent]] = set()

    # -- recordings -----------------------------------------------------------------------------------------------
    @staticmethod
    def now_ms() -> int:
        """The true now: recordings are laid out on it (the device clock's offset only shows in what it reports)."""
        return int(time.time() * 1000)

    def profile(self, kind: StreamKind) -> StreamProfile:
        base = MAIN_PROFILE if kind is StreamKind.MAIN else SUB_PROFILE
        return StreamProfile(base.width, base.height, base.fps, self.settings.gop_s, self.settings.codec)

    def loop(self, number: int, kind: StreamKind) -> Future[EncodedLoop]:
        """The channel's loop (encoded in the background, or read from the camera simulator's cache)."""
        key = (number, kind)
        future = self._loops.get(key)
        if future is None:
            channel = self.channels[number]
            future = self._executor.submit(load_or_encode, channel.name, channel.site, self.profile(kind),
                                           self.settings.loop_s, self.settings.cache_dir)
            self._loops[key] = future
        return future

    async def frames(self, number: int, kind: StreamKind | None = None) -> LoopFrames:
        """The recording's pictures (the `record_kind` stream unless told)."""
        chosen = kind or self.settings.record_kind
        found = self._frames.get((number, chosen))
        if found is None:
            loop = await asyncio.wrap_future(self.loop(number, chosen))
            found = self._frames.setdefault((number, chosen), LoopFrames(loop))
        return found

    def schedule(self, number: int) -> RecordingSchedule | None:
        return self.schedules.get(number)

    def playback_host(self) -> tuple[str, int]:
        """Host and port the recorder writes into the playback URIs it hands out."""
        return (self.faults.advertised_host or self.host, self.faults.advertised_rtsp_port or self.rtsp_port)

    # -- events ---------------------------------------------------------------------------------------------------
    def subscribe(self) -> asyncio.Queue[RecorderEvent] | None:
        if len(self.subscribers) >= MAX_SUBSCRIBERS:
            return None
        queue: asyncio.Queue[RecorderEvent] = asyncio.Queue(maxsize=256)
        self.subscribers.add(queue)
        return queue

    def unsubscribe(self, queue: asyncio.Queue[RecorderEvent]) -> None:
        self.subscribers.discard(queue)

    def publish(self, event: RecorderEvent) -> None:
        for queue in tuple(self.subscribers):
            if queue.full():
                log.warning("recorder %s: an event stream does not read; event dropped for it", self.serial)
                continue
            queue.put_nowait(event)
