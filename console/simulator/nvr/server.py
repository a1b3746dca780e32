"""Runs simulated recorders on loopback, each vendor its own HTTP port and RTSP port, from one asyncio loop in a
background thread (as the camera simulator does), with their faults settable while they run.

    with RecorderSimulator(channels_of(config), (RecorderUser("admin", "…"),)) as sim:
        hik = sim.recorder(Vendor.HIKVISION)   # hik.http_port, hik.rtsp_port, hik.faults, hik.event(...)
"""

from __future__ import annotations

import asyncio
import logging
import threading
from dataclasses import dataclass, field, replace
from typing import TypeVar

from console.core.config import StreamKind
from console.core.credentials import Credentials
from console.simulator.loop_thread import LoopThread
from console.simulator.nvr.dahua_face import DahuaFace
from console.simulator.nvr.device_time import DeviceClock
from console.simulator.nvr.digest import RecorderUser
from console.simulator.nvr.hikvision_face import HikvisionFace
from console.simulator.nvr.http_server import HttpServer
from console.simulator.nvr.recorder import (
    EventKind,
    RecorderChannel,
    RecorderEvent,
    RecorderFaults,
    RecorderSettings,
    RecorderState,
    Vendor,
)
from console.simulator.nvr.rtsp_playback import RecorderRtspEndpoint, RtspRequestSeen
from console.simulator.nvr.rtsp_routes import dahua_route, hikvision_route

log = logging.getLogger(__name__)
_T = TypeVar("_T")

LOOPBACK = frozenset({"127.0.0.1", "localhost", "::1"})
START_TIMEOUT_S = 15.0
SERVER_NAMES = {Vendor.HIKVISION: "App-webs/", Vendor.DAHUA: "Webs"}  # what their web servers call themselves


class RecorderSimulatorError(Exception):
    """A recorder cannot be served (a port taken, an address not on this machine)."""


@dataclass(frozen=True)
class RecorderPorts:
    http: int = 0  # 0: any free port
    rtsp: int = 0


@dataclass(frozen=True)
class RecorderOptions:
    vendors: tuple[Vendor, ...] = (Vendor.HIKVISION, Vendor.DAHUA)
    host: str = "127.0.0.1"
    ports: dict[Vendor, RecorderPorts] = field(default_factory=dict)
    settings: RecorderSettings = field(default_factory=RecorderSettings)


class RunningRecorder:
    """One vendor's recorder while it runs: its addresses, its state and the faults and events a test drives."""

    def __init__(self, state: RecorderState, http: HttpServer, rtsp: RecorderRtspEndpoint,
                 loop: asyncio.AbstractEventLoop) -> None:
        self.state = state
        self._http, self._rtsp, self._loop = http, rtsp, loop

    @property
    def vendor(self) -> Vendor:
        return self.state.vendor

    @property
    def host(self) -> str:
        return self.state.host

    @property
    def http_port(self) -> int:
        return self.state.http_port

    @property
    def rtsp_port(self) -> int:
        return self.state.rtsp_port

    @property
    def faults(self) -> RecorderFaults:
        return self.state.faults

    @property
    def clock(self) -> DeviceClock:
        return self.state.clock

    def event(self, channel: int, kind: EventKind | str, active: bool = True, input_port: int = 1) -> None:
        """The recorder raises an event on `channel` (queued in every event stream when this returns)."""
        event = RecorderEvent(channel, EventKind(kind), active, self.state.now_ms(), input_port)
        done = threading.Event()

        def publish() -> None:
            self.state.publish(event)
            done.set()

        self._loop.call_soon_threadsafe(publish)
        done.wait(5)

    @property
    def rtsp_counts(self) -> dict[str, int]:
        """RTSP control requests its playback sessions answered (SETUP, PLAY, PAUSE, TEARDOWN) and connections."""
        return dict(self._rtsp.counts)

    @property
    def rtsp_requests(self) -> list[RtspRequestSeen]:
        """The latest of those requests, oldest first (each with its session and connection)."""
        return list(self._rtsp.requests)

    @property
    def event_streams(self) -> int:
        """How many event streams are attached now."""
        return len(self.state.subscribers)

    async def close(self) -> None:
        await self._http.close()
        await self._rtsp.close()


class RecorderSimulator(LoopThread):
    def __init__(self, channels: tuple[RecorderChannel, ...], users: tuple[RecorderUser, ...],
                 options: RecorderOptions | None = None) -> None:
        if options is not None and options.host not in LOOPBACK:
            raise RecorderSimulatorError(f"{options.host} is not this machine")
        self.options = options or RecorderOptions()
        self._channels, self._users = channels, users
        super().__init__("simulator-nvr", "nvr-loop-encoder")
        self.recorders: dict[Vendor, RunningRecorder] = {}

    def __enter__(self) -> RecorderSimulator:
        self.start()
        return self

    def __exit__(self, *_: object) -> None:
        self.stop()

    def _start_timeout_s(self) -> float:
        return START_TIMEOUT_S

    async def _stop(self) -> None:
        await self._shutdown()

    def recorder(self, vendor: Vendor | str) -> RunningRecorder:
        try:
            return self.recorders[Vendor(vendor)]
        except (KeyError, ValueError):
            raise RecorderSimulatorError(f"no simulated {vendor} recorder") from None

    def prepare(self, channels: tuple[int, ...] | None = None, kinds: tuple[StreamKind, ...] | None = None) -> None:
        """Encode (or read from the cache) the loops of these channels now, for every recorder."""
        for running in self.recorders.values():
            state = running.state
            for number in channels or tuple(state.channels):
                for kind in kinds or (state.settings.record_kind,):
                    state.loop(number, kind).result(timeout=300)

    async def _start(self) -> None:
        options = self.options
        for index, vendor in enumerate(options.vendors):
            # Each recorder its own clock: a test sets one recorder's zone or offset, not both.
            settings = replace(options.settings, clock=replace(options.settings.clock))
            state = RecorderState(vendor, self._channels, self._users, settings, self._executor,
                                  serial=f"SIM{vendor.value[:3].upper()}2026{index:04d}")
            state.host = options.host
            face: HikvisionFace | DahuaFace
            if vendor is Vendor.HIKVISION:
                face = HikvisionFace(state)
                route, text, read = hikvision_route(state.clock), state.clock.compact, state.clock.read_compact
            else:
                face = DahuaFace(state)
                route, text, read = dahua_route(state.clock), state.clock.dahua_rtsp, state.clock.read_dahua
            ports = options.ports.get(vendor, RecorderPorts())
            rtsp_user = next((u for u in self._users if u.playback), None)
            rtsp = RecorderRtspEndpoint(state, route, text, read,
                                        Credentials(rtsp_user.username, rtsp_user.password) if rtsp_user else None)
            http = HttpServer(face.handle, SERVER_NAMES[vendor])
            try:
                state.http_port = await http.listen(options.host, ports.http)
                state.rtsp_port = await rtsp.listen(options.host, ports.rtsp)
            except OSError as exc:
                await http.close()
                raise RecorderSimulatorError(f"{vendor.value} recorder: cannot listen on {options.host}: "
                                             f"{exc.strerror or exc}") from None
            self.recorders[vendor] = RunningRecorder(state, http, rtsp, self._loop)
            log.info("recorder simulator: %s on http %d, rtsp %d, %d channels", vendor.value, state.http_port,
                     state.rtsp_port, len(self._channels))

    async def _shutdown(self) -> None:
        for running in self.recorders.values():
            await running.close()
        current = asyncio.current_task()
        pending = [t for t in asyncio.all_tasks() if t is not current]
        for task in pending:
            task.cancel()
        await asyncio.gather(*pending, return_exceptions=True)
