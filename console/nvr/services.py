"""The station's recorders (`[[recorders]]`) for the whole console: each one's adapter, its clock read at start and
every 10 minutes (the time mode and zone its searches use, the offset kept), its event stream into the alert log as
the events of the cameras on its channels, and the health of that stream.

A time mode the site file states (the wizard writes the one it read) is kept for good: a later reading that points
to another mode is logged and told to the listeners as a warning, never applied (a guess redone every 10 minutes
could flip and move every recording hours). The reading that checks it runs on a second adapter of its own, so the
searches under way never see the guessed mode even for the moment of the check.

Everything runs on one `NetworkLoop` thread (asyncio), the cameras' ONVIF loop when one is handed in: no call blocks
the GUI thread, every call has a timeout. What the officer sees leaves through `listener` callbacks on that thread
(the window's Qt bridge re-emits them as queued signals); alerts leave through `submit`, the alert writer's
thread-safe queue. Search, playback and download calls the UI makes run on the same loop (`call`, `run`).

Alerts raised here (one per episode, the console's cooldown rules, as for a camera's own ONVIF events):
- motion / tamper / alarm input of a camera, from its recorder channel (`console.core.camera_events`);
- *Mất kênh sự kiện*: the recorder's event stream lost (nothing, not even a heartbeat, for 60 s) or refused (wrong
  login), one alert for the recorder (no camera: every camera on it at once), ended when it is live again.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import logging
import time
from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import dataclass, field, replace
from typing import Any, Protocol, TypeVar

from console.core.alerts import AlertEvent, AlertKind, EpisodeTracker
from console.core.camera_events import CameraEpisodeEvent
from console.core.config import SiteConfig
from console.core.credentials import Credentials
from console.core.recorder_settings import RecorderSettings
from console.nvr import open_recorder
from console.nvr.errors import NvrError
from console.nvr.events import RecorderEventChannel, RecorderEventHealth, RecorderEventSettings
from console.nvr.http import CALL_TIMEOUT_S
from console.nvr.messages import Say, render
from console.nvr.models import ClockReading, RecorderAddress
from console.nvr.recorder import RecorderClient
from console.nvr.timebase import DeviceTimebase, TimeMode
from console.onvif.network_loop import NetworkLoop
from console.onvif.waits import cancelled, woken_or_after

log = logging.getLogger(__name__)
_T = TypeVar("_T")

CLOCK_CHECK_EVERY_S = 600.0  # issue 22 as issue 18: at start and every 10 minutes
CLOSE_TIMEOUT_S = 10.0
HEALTH_COOLDOWN_MS = 120_000  # as the cameras' event channels: a flapping stream is one alert


@dataclass(frozen=True)
class RecorderServicesSettings:
    events: RecorderEventSettings = field(default_factory=RecorderEventSettings)
    clock_every_s: float = CLOCK_CHECK_EVERY_S
    call_timeout_s: float = CALL_TIMEOUT_S  # each HTTP call to a recorder
    close_timeout_s: float = CLOSE_TIMEOUT_S


@dataclass(frozen=True)
class RecorderClock:
    """One reading of a recorder's clock, or why it could not be read."""

    recorder_id: str
    at_ms: int  # station wall clock
    reading: ClockReading | None
    error_kind: str | None = None
    error_vi: str | None = None
    error_en: str | None = None
    # The mode the reading itself points to when the site file states another (the stated one is kept), and the
    # warning that says so; None when they agree or no mode is stated.
    detected_mode: TimeMode | None = None
    warning_vi: str | None = None
    warning_en: str | None = None

    @property
    def offset_s(self) -> float | None:
        """The recorder's clock minus the station's (positive: ahead); None when unread."""
        return self.reading.clock_offset_s if self.reading is not None else None

    @property
    def timebase(self) -> DeviceTimebase | None:
        return self.reading.timebase if self.reading is not None else None


class RecorderServicesListener(Protocol):
    """What the window shows; called on the network loop's thread."""

    def recorder_health(self, health: RecorderEventHealth) -> None: ...

    def recorder_clock(self, clock: RecorderClock) -> None: ...


def _now_ms() -> int:
    return int(time.time() * 1000)


def _stored_timebase(settings: RecorderSettings, default: DeviceTimebase) -> DeviceTimebase:
    """The site file's mode and zone over the vendor's default, until (and when) the clock is read."""
    mode = TimeMode(settings.time_zone_mode.value) if settings.time_zone_mode is not None else default.mode
    zone = settings.time_zone_s if settings.time_zone_s is not None else default.zone_offset_s
    return DeviceTimebase(mode, zone)


class _RecorderLink:
    """One recorder: its adapter, clock watch, event channel and the health alert the channel raises."""

    def __init__(self, settings: RecorderSettings, credentials: Credentials | None, config: SiteConfig,
                 services: RecorderServices) -> None:
        self.settings = settings
        self.credentials = credentials  # for the RTSP playback URL only; never logged
        self._services = services
        timing = services.settings
        self.client: RecorderClient = open_recorder(settings.vendor.value, RecorderAddress(
            settings.host, settings.http_port, settings.rtsp_port), credentials, timeout_s=timing.call_timeout_s)
        self.client.timebase = _stored_timebase(settings, self.client.timebase)
        self.cameras = config.cameras_on(settings.id)
        sites = {camera.id: camera.site_id for camera in config.cameras if camera.id in self.cameras.values()}
        only_site = next(iter(set(sites.values()))) if len(set(sites.values())) == 1 else None
        self._events_alert = EpisodeTracker(None, only_site, AlertKind.EVENTS_LOST, services.next_id, end_after_ms=0,
                                            cooldown_ms=HEALTH_COOLDOWN_MS, heartbeat_ms=0)
        self.events: RecorderEventChannel | None = None
        if settings.events and self.cameras:
            heartbeat_s = timing.events.heartbeat_s
            self.events = RecorderEventChannel(
                settings.id, self.client.address.http, lambda: self.client.events(heartbeat_s), self.cameras,
                sites=dict(sites), settings=timing.events, on_episode=self._episode, on_health=self._health,
                next_id=services.next_id)
        self.latest_clock: RecorderClock | None = None
        self._probe: RecorderClient | None = None  # reads the clock when the site file states the mode
        self._detected: TimeMode | None = None  # the mode the probe's last reading pointed to
        self._warned: TimeMode | None = None  # the disagreement last logged
        self.calibrated = asyncio.Event()  # set once the first clock reading was tried (read or failed)
        self._wake = asyncio.Event()
        self._clock_task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self._clock_task = asyncio.get_running_loop().create_task(self._watch_clock(),
                                                                  name=f"nvr-clock-{self.settings.id}")
        if self.events is not None:
            self.events.start()

    def read_clock_soon(self) -> None:
        self._wake.set()

    async def read_clock(self) -> RecorderClock:
        settings = self.settings
        stated = TimeMode(settings.time_zone_mode.value) if settings.time_zone_mode is not None else None
        at_ms = _now_ms()
        try:
            if stated is None:
                reading = await self.client.read_clock(stored_zone_s=settings.time_zone_s)
            else:
                reading = await self._read_against(stated)
        except NvrError as exc:
            log.warning("%s: the recorder's clock could not be read: %s", settings.id, exc.message_en)
            clock = RecorderClock(settings.id, at_ms, None, exc.kind.value, exc.message_vi, exc.message_en)
        else:
            clock = self._checked(RecorderClock(settings.id, at_ms, reading), stated)
            log.info("%s: recorder time mode %s, zone %+d s, clock offset %.1f s", settings.id,
                     reading.timebase.mode.value, reading.timebase.zone_offset_s, reading.clock_offset_s)
        self.latest_clock = clock
        self.calibrated.set()
        self._services.tell(lambda listener: listener.recorder_clock(clock))
        return clock

    async def _read_against(self, stated: TimeMode) -> ClockReading:
        """The clock read as if no mode were stated, on the probe adapter (the mode it points to kept in
        `_detected`); the stated mode then goes on the adapter every search uses, with the zone and offset read."""
        if self._probe is None:
            settings = self.settings
            self._probe = open_recorder(settings.vendor.value, self.client.address, self.credentials,
                                        timeout_s=self._services.settings.call_timeout_s)
        found = await self._probe.read_clock(stored_zone_s=self.settings.time_zone_s)
        self._detected = found.timebase.mode
        kept = replace(found.timebase, mode=stated)
        reading = replace(found, timebase=kept, from_settings=True)
        self.client.timebase, self.client.clock = kept, reading
        return reading

    def _checked(self, clock: RecorderClock, stated: TimeMode | None) -> RecorderClock:
        """The clock with a warning when the recorder points to another mode than the stated one."""
        detected = self._detected
        if stated is None or detected is None or detected is stated:
            self._warned = None
            return clock
        params = {"recorder": self.settings.id, "address": self.client.address.http, "stated": stated.value,
                  "detected": detected.value}
        if self._warned is not detected:  # once per disagreement, not every 10 minutes
            log.warning("%s", render(Say.TIME_MODE_DIFFERS, "en", params))
            self._warned = detected
        return replace(clock, detected_mode=detected, warning_vi=render(Say.TIME_MODE_DIFFERS, "vi", params),
                       warning_en=render(Say.TIME_MODE_DIFFERS, "en", params))

    async def _watch_clock(self) -> None:
        while True:
            try:
                await self.read_clock()
            except Exception:  # never dies: logged, and the next reading comes anyway
                log.exception("%s: reading the recorder's clock failed unexpectedly", self.settings.id)
                self.calibrated.set()
            await woken_or_after(self._wake, self._services.settings.clock_every_s)

    async def close(self) -> None:
        await cancelled(self._clock_task)
        self._clock_task = None
        if self.events is not None:
            await self.events.close()
        if self._probe is not None:
            await self._probe.close()
        await self.client.close()
        self._services.send(self._events_alert.close(_now_ms()))

    def _health(self, health: RecorderEventHealth) -> None:
        note = f"{self.settings.id} ({self.client.address.http}): {health.label_vi}" if health.lost else None
        self._services.send(self._events_alert.sample(_now_ms(), health.lost, 1.0), note=note)
        self._services.tell(lambda listener: listener.recorder_health(health))

    def _episode(self, event: CameraEpisodeEvent) -> None:
        self._services.send([event.alert_event()])


class RecorderServices:
    """Every supported recorder of the site file on one network loop (started here unless handed in; `close`)."""

    def __init__(self, config: SiteConfig, credentials: Callable[[str | None], Credentials | None],
                 submit: Callable[[AlertEvent], None], next_id: Callable[[], int], *,
                 loop: NetworkLoop | None = None, settings: RecorderServicesSettings | None = None) -> None:
        self.config = config
        self.settings = settings or RecorderServicesSettings()
        self.next_id = next_id
        self._submit = submit
        self._listeners: list[RecorderServicesListener] = []
        self._loop = loop or NetworkLoop("nvr-network")
        self._owns_loop = loop is None
        self._started = False
        self._links: dict[str, _RecorderLink] = {}
        for recorder in config.recorders:  # every vendor has an adapter (onvif: console.nvr.onvif_recorder)
            self._links[recorder.id] = _RecorderLink(recorder, credentials(recorder.credentials), config, self)

    @property
    def recorders(self) -> list[str]:
        """The recorders contacted (every one of the site file)."""
        return list(self._links)

    def add_listener(self, listener: RecorderServicesListener) -> None:
        self._listeners.append(listener)

    def start(self) -> None:
        if not self._links or self._started:
            return
        if self._owns_loop:
            self._loop.start()
        self._started = True
        self._loop.submit(self._start()).result(timeout=self.settings.close_timeout_s)

    async def _start(self) -> None:
        for link in self._links.values():
            link.start()

    def close(self) -> None:
        """Every stream and watcher ended, open episodes ended in the alert log; bounded by `close_timeout_s`."""
        self._listeners.clear()  # the window is going: only the alert log hears the episodes' ends
        if not self._started:
            return
        self._started = False
        try:
            self._loop.submit(self._close()).result(timeout=self.settings.close_timeout_s)
        except Exception:
            log.exception("closing the recorders' services failed")
        if self._owns_loop:
            self._loop.stop()

    async def _close(self) -> None:
        await asyncio.gather(*(link.close() for link in self._links.values()), return_exceptions=True)

    # -- what the window asks -------------------------------------------------------------------------------------
    def recorder(self, recorder_id: str) -> RecorderClient | None:
        """The recorder's open adapter; call it only on the network loop (`run`, `call`)."""
        link = self._links.get(recorder_id)
        return link.client if link is not None else None

    def channel_of(self, camera_id: str) -> tuple[str, int] | None:
        """The recorder and channel that hold the camera's recordings (None: none, or an unsupported recorder)."""
        camera = next((c for c in self.config.cameras if c.id == camera_id), None)
        if camera is None or camera.recorder not in self._links or camera.recorder_channel is None:
            return None
        return camera.recorder, camera.recorder_channel

    def credentials_of(self, recorder_id: str) -> Credentials | None:
        """The recorder's login, for the RTSP playback URL a player opens (the HTTP calls sign their own)."""
        link = self._links.get(recorder_id)
        return link.credentials if link is not None else None

    def clock(self, recorder_id: str) -> RecorderClock | None:
        link = self._links.get(recorder_id)
        return link.latest_clock if link is not None else None

    def events_health(self, recorder_id: str) -> RecorderEventHealth | None:
        link = self._links.get(recorder_id)
        return link.events.health if link is not None and link.events is not None else None

    def run(self, coro: Coroutine[Any, Any, _T]) -> concurrent.futures.Future[_T]:
        """A coroutine (a search, a download) on the network loop; the caller keeps the future."""
        return self._loop.submit(coro)

    def call(self, recorder_id: str,
             operation: Callable[[RecorderClient], Awaitable[_T]]) -> concurrent.futures.Future[_T]:
        """`operation(adapter)` on the network loop once the recorder's clock was read (or failed): a search before
        the time mode is known would place every recording hours off. KeyError for an unknown recorder."""
        link = self._links[recorder_id]

        async def calibrated_then() -> _T:
            try:
                async with asyncio.timeout(self.settings.call_timeout_s * 2):
                    await link.calibrated.wait()
            except TimeoutError:
                log.warning("%s: the clock is not read yet; the site file's or the default time mode is used",
                            recorder_id)
            return await operation(link.client)

        return self._loop.submit(calibrated_then())

    def read_clock(self, recorder_id: str) -> concurrent.futures.Future[RecorderClock]:
        """Read the recorder's clock now (the officer's "read again"); the reading also goes to the listeners."""
        return self._loop.submit(self._links[recorder_id].read_clock())

    def retry_now(self, recorder_id: str) -> None:
        """Open the recorder's event stream again now (after its password was corrected, or a halted channel)."""
        link = self._links[recorder_id]
        if link.events is not None:
            self._loop.call_soon(link.events.retry_now)

    # -- out to the alert log and the window ----------------------------------------------------------------------
    def send(self, events: list[AlertEvent], note: str | None = None) -> None:
        for event in events:
            self._submit(replace(event, note=note) if event.phase == "start" else event)

    def tell(self, call: Callable[[RecorderServicesListener], None]) -> None:
        for listener in self._listeners:
            try:
                call(listener)
            except Exception:
                log.exception("a listener of the recorders' services failed")
