"""The ONVIF side of every camera the site file gives an `onvif` table, for the whole console: its clock read at
connect and every `clock_check_min`, its own events (the opted-in kinds) into the alert log, the health of its
event channel, and its PTZ controller when it has one.

Everything runs on one `NetworkLoop` thread (asyncio): no call blocks the GUI thread, every call has a timeout.
What the officer sees leaves through `listener` callbacks on that thread (the window's Qt bridge re-emits them
as queued signals); alerts leave through `submit`, the alert writer's thread-safe queue.

Alerts raised here (one per episode, the console's cooldown rules):
- the camera's own motion / tamper / alarm input (`console.core.camera_events`);
- *Mất kênh sự kiện*: the event channel lost (nothing pulled for 60 s) or refused (wrong login), ended when it
  is live again — events never die silently;
- *Lệch giờ camera*: a reading off by more than the site's threshold, ended by a reading within it.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import logging
import time
from collections.abc import Callable, Coroutine
from dataclasses import dataclass, replace
from typing import Any, Protocol, TypeVar
from urllib.parse import urlsplit

from console.core.alerts import AlertEvent, AlertKind, EpisodeTracker
from console.core.camera_events import CameraEpisodeEvent, CameraEventKind
from console.core.config import Camera, SiteConfig
from console.core.credentials import Credentials
from console.core.onvif_settings import CameraOnvif, EventKindName
from console.onvif.clock_watch import ClockReading, ClockWatch, device_reader, sync_to_station
from console.onvif.errors import OnvifError
from console.onvif.events import CameraEventChannel, ChannelHealth, EventChannelSettings, library_source
from console.onvif.home_return import HomeReturn
from console.onvif.network_loop import NetworkLoop
from console.onvif.ptz import PtzController, PtzGesture
from console.onvif.session import open_session

log = logging.getLogger(__name__)
_T = TypeVar("_T")

HEALTH_COOLDOWN_MS = 120_000  # as the console's own health alerts: a flapping channel is one alert
_KINDS = {EventKindName.MOTION: CameraEventKind.MOTION, EventKindName.TAMPER: CameraEventKind.TAMPER,
          EventKindName.INPUT: CameraEventKind.ALARM_INPUT}


class CameraServicesListener(Protocol):
    """What the window shows; called on the network loop's thread."""

    def clock_read(self, reading: ClockReading) -> None: ...

    def events_health(self, health: ChannelHealth) -> None: ...

    def ptz_ready(self, camera_id: str, controller: PtzController | None, reason_vi: str | None) -> None: ...


@dataclass(frozen=True)
class OnvifTarget:
    """Where one camera's ONVIF device service answers, and the login it takes."""

    camera_id: str
    site_id: str
    host: str
    port: int
    settings: CameraOnvif
    credentials: Credentials | None


def onvif_target(camera: Camera, credentials: Credentials | None) -> OnvifTarget | None:
    """The camera's ONVIF address (its `host`, else the main stream's host), or None for an RTSP-only camera."""
    if camera.onvif is None:
        return None
    host = camera.onvif.host or urlsplit(camera.main_url).hostname
    if not host:
        return None
    return OnvifTarget(camera.id, camera.site_id, host, camera.onvif.port, camera.onvif, credentials)


class _CameraLink:
    """One camera's watchers and the two health alerts they raise."""

    def __init__(self, target: OnvifTarget, services: CameraServices) -> None:
        self.target = target
        self._services = services
        config = services.config
        new_id = services.next_id

        def tracker(kind: AlertKind) -> EpisodeTracker:
            return EpisodeTracker(target.camera_id, target.site_id, kind, new_id, end_after_ms=0,
                                  cooldown_ms=HEALTH_COOLDOWN_MS, heartbeat_ms=0)

        self._clock_alert = tracker(AlertKind.CLOCK_OFFSET)
        self._events_alert = tracker(AlertKind.EVENTS_LOST)
        reader = device_reader(target.host, target.port, target.credentials)
        self.clock = ClockWatch(target.camera_id, reader, on_reading=self._clock_read,
                                every_s=config.onvif.clock_check_min * 60,
                                threshold_s=config.onvif.clock_threshold_s)
        kinds = frozenset(_KINDS[k] for k in target.settings.events)
        self.events: CameraEventChannel | None = None
        if kinds:
            self.events = CameraEventChannel(
                target.camera_id, library_source(target.host, target.port, target.credentials),
                site_id=target.site_id, settings=replace(services.event_settings, kinds=kinds), next_id=new_id,
                on_episode=self._episode, on_health=self._events_health)
        self.ptz: PtzController | None = None
        self.home: HomeReturn | None = None

    def _gesture(self, gesture: PtzGesture) -> None:
        if self.home is not None:
            self.home.gesture(gesture)
        if self._services.on_gesture is not None:
            self._services.on_gesture(gesture)

    def start(self) -> None:
        self.clock.start()
        if self.events is not None:
            self.events.start()

    async def open_ptz(self) -> None:
        """The PTZ controller, when the site file does not turn PTZ off and the camera offers it."""
        if self.target.settings.ptz is False:
            return
        target = self.target
        try:
            session = await open_session(target.host, target.port, target.credentials)
            if not session.offers("ptz"):
                await session.close()
                self._services.tell_ptz(target.camera_id, None, None)
                return
            self.ptz = await PtzController.open(session, target.camera_id, on_gesture=self._gesture)
            if target.settings.home_after_min > 0:
                self.home = HomeReturn(self.ptz, target.settings.home_after_min * 60, target.settings.home_preset)
                self.home.start()
        except OnvifError as exc:
            log.warning("%s: PTZ not available: %s", target.camera_id, exc.message_en)
            self._services.tell_ptz(target.camera_id, None, exc.message_vi)
            return
        self._services.tell_ptz(target.camera_id, self.ptz, None)

    async def close(self) -> None:
        await self.clock.close()
        if self.events is not None:
            await self.events.close()
        if self.home is not None:
            await self.home.close()
        if self.ptz is not None:
            await self.ptz.close()
        now = _now_ms()
        for tracker in (self._clock_alert, self._events_alert):
            self._services.send(tracker.close(now))

    def _clock_read(self, reading: ClockReading) -> None:
        if reading.offset_s is not None:  # an unreadable clock is the event channel's or the stream's alert
            self._services.send(self._clock_alert.sample(reading.at_ms, reading.over_threshold, 1.0),
                                note=reading.text_vi if reading.over_threshold else None)
        self._services.tell(lambda listener: listener.clock_read(reading))

    def _events_health(self, health: ChannelHealth) -> None:
        self._services.send(self._events_alert.sample(_now_ms(), health.lost, 1.0),
                            note=health.label_vi if health.lost else None)
        self._services.tell(lambda listener: listener.events_health(health))

    def _episode(self, event: CameraEpisodeEvent) -> None:
        self._services.send([event.alert_event()])


def _now_ms() -> int:
    return int(time.time() * 1000)


class CameraServices:
    """Every ONVIF camera's clock, events and PTZ on one network loop (started here, stopped by `close`)."""

    def __init__(self, config: SiteConfig, credentials: Callable[[str | None], Credentials | None],
                 submit: Callable[[AlertEvent], None], next_id: Callable[[], int], *,
                 loop: NetworkLoop | None = None, on_gesture: Callable[..., None] | None = None,
                 event_settings: EventChannelSettings | None = None) -> None:
        self.config = config
        self.event_settings = event_settings or EventChannelSettings()
        self.next_id = next_id
        self.on_gesture = on_gesture
        self._submit = submit
        self._listeners: list[CameraServicesListener] = []
        self._loop = loop or NetworkLoop("onvif-network")
        self._owns_loop = loop is None
        self._started = False
        targets = (onvif_target(c, credentials(c.credentials)) for c in config.cameras)
        self._links = {t.camera_id: _CameraLink(t, self) for t in targets if t is not None}

    @property
    def cameras(self) -> list[str]:
        return list(self._links)

    def add_listener(self, listener: CameraServicesListener) -> None:
        self._listeners.append(listener)

    def start(self) -> None:
        if not self._links:
            return
        if self._owns_loop:
            self._loop.start()
        self._started = True
        self._loop.submit(self._start())

    async def _start(self) -> None:
        for link in self._links.values():
            link.start()
        await asyncio.gather(*(link.open_ptz() for link in self._links.values()))

    def ptz(self, camera_id: str) -> PtzController | None:
        link = self._links.get(camera_id)
        return link.ptz if link is not None else None

    def run(self, coro: Coroutine[Any, Any, _T]) -> concurrent.futures.Future[_T]:
        """A coroutine (a PTZ command) on the network loop; the caller keeps the future."""
        return self._loop.submit(coro)

    def call_soon(self, callback: Callable[[], object]) -> None:
        """A plain call on the network loop (a PTZ lease renewed)."""
        self._loop.call_soon(callback)

    def clock(self, camera_id: str) -> ClockReading | None:
        link = self._links.get(camera_id)
        return link.clock.latest if link is not None else None

    def events_health(self, camera_id: str) -> ChannelHealth | None:
        link = self._links.get(camera_id)
        return link.events.health if link is not None and link.events is not None else None

    def read_clock(self, camera_id: str) -> concurrent.futures.Future[ClockReading]:
        """Read the camera's clock now (the officer's "read again"); the reading also goes to the listeners."""
        return self._loop.submit(self._links[camera_id].clock.read_now())

    def sync_clock(self, camera_id: str) -> concurrent.futures.Future[ClockReading]:
        """*Đồng bộ giờ*: the camera's clock set to the station's (or its NTP server to the site's), then read."""
        link = self._links[camera_id]
        target = link.target

        async def sync() -> ClockReading:
            await sync_to_station(target.host, target.port, target.credentials, camera_id,
                                  threshold_s=self.config.onvif.clock_threshold_s)
            return await link.clock.read_now()  # the watcher's reading: it ends the clock alert

        return self._loop.submit(sync())

    def close(self) -> None:
        self._listeners.clear()  # the window is going: only the alert log hears the episodes' ends
        if not self._links or not self._started:
            return
        future = self._loop.submit(self._close())
        try:
            future.result(timeout=10)
        except Exception:
            log.exception("closing the cameras' ONVIF services failed")
        if self._owns_loop:
            self._loop.stop()

    async def _close(self) -> None:
        await asyncio.gather(*(link.close() for link in self._links.values()), return_exceptions=True)

    # -- out to the alert log and the window ------------------------------------------------------------
    def send(self, events: list[AlertEvent], note: str | None = None) -> None:
        for event in events:
            self._submit(replace(event, note=note) if event.phase == "start" else event)

    def tell(self, call: Callable[[CameraServicesListener], None]) -> None:
        for listener in self._listeners:
            try:
                call(listener)
            except Exception:
                log.exception("a listener of the cameras' ONVIF services failed")

    def tell_ptz(self, camera_id: str, controller: PtzController | None, reason_vi: str | None) -> None:
        self.tell(lambda listener: listener.ptz_ready(camera_id, controller, reason_vi))
