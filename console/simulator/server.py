"""Runs the simulated cameras of a site config on loopback, each on its own port, with fault injection."""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from console.core.config import Camera, SiteConfig, StreamKind
from console.core.credentials import Credentials, CredentialStore
from console.simulator.encoding import MAIN_PROFILE, SUB_PROFILE, StreamProfile
from console.simulator.loop_thread import LoopThread
from console.simulator.loops import EncodedLoop, load_or_encode
from console.simulator.mounts import LiveHub, LiveMount, LoopMount, Mount
from console.simulator.onvif.device import OnvifDevice
from console.simulator.onvif.event_topics import EventKind
from console.simulator.onvif.face import REBOOT_DOWN_S, OnvifFace, OnvifFaceError, device_spec
from console.simulator.onvif.ptz_service import MAX_PRESETS, PtzControl
from console.simulator.onvif.scene_events import MotionNow, loop_motion
from console.simulator.panorama import Traffic
from console.simulator.ptz_head import PtzHead
from console.simulator.ptz_mount import PtzMount, PtzScene
from console.simulator.rtp import Codec, PacketLoss
from console.simulator.rtsp import RtspConnection, UdpSockets

log = logging.getLogger(__name__)

LOOPBACK = frozenset({"127.0.0.1", "localhost", "::1"})
START_TIMEOUT_S = 15.0
DEFAULT_LOOP_S = 8.0


class SimulatorError(Exception):
    """The simulator cannot serve a camera (port in use, address not on this machine)."""


@dataclass(frozen=True)
class SimulatorOptions:
    loop_s: float = DEFAULT_LOOP_S
    gop_s: float = 1.0
    codec: Codec = Codec.H264
    live_sub: bool = False  # sub streams carry the shared live-stamped picture
    cache_dir: Path | None = None
    host: str = "127.0.0.1"
    onvif: bool = False  # each camera also answers ONVIF on its RTSP port + ONVIF_PORT_OFFSET
    discovery_port: int | None = None  # with onvif: unicast WS-Discovery on host:port (0: any free port)
    ptz_cameras: frozenset[str] = frozenset()  # camera ids whose streams look through a PTZ window (live-encoded)
    scene_events: bool = False  # with onvif: motion events follow the scripted vehicles (off: only injected ones)


class CameraEndpoint:
    """One simulated camera: its listening socket, its paths and the faults injected into it."""

    def __init__(self, camera: Camera, port: int, credentials: Credentials | None,
                 udp: UdpSockets | None) -> None:
        self.camera, self.port = camera, port
        self.credentials = credentials
        self.udp = udp
        self.garbage = False
        self.stalled = False
        self.loss: PacketLoss | None = None
        self._mounts: dict[str, Mount] = {}
        self._connections: set[RtspConnection] = set()
        self._server: asyncio.Server | None = None

    def add_mount(self, path: str, mount: Mount) -> None:
        self._mounts[path.rstrip("/")] = mount

    def mount(self, path: str) -> Mount | None:
        return self._mounts.get(path)

    def forget(self, connection: RtspConnection) -> None:
        self._connections.discard(connection)

    def _new_connection(self) -> RtspConnection:
        connection = RtspConnection(self)
        self._connections.add(connection)
        return connection

    async def listen(self, host: str) -> None:
        if self._server is not None:
            return
        loop = asyncio.get_running_loop()
        try:
            self._server = await loop.create_server(self._new_connection, host, self.port, reuse_address=True)
        except OSError as exc:
            raise SimulatorError(f"camera {self.camera.id}: cannot listen on {host}:{self.port}: "
                                 f"{exc.strerror or exc}") from None

    async def refuse(self) -> None:
        """Close the listening socket: new connections are refused, current ones go on."""
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()
            self._server = None

    def drop(self) -> None:
        """Cut every connection at once, as a camera that loses power or network does."""
        for connection in tuple(self._connections):
            connection.abort()
        self._connections.clear()

    @property
    def listening(self) -> bool:
        return self._server is not None


def stream_path(url: str) -> str:
    return unquote(urlsplit(url).path).rstrip("/")


class Simulator(LoopThread):
    """All cameras of a config, served from one asyncio loop in a background thread.

    Start/stop in-process for tests (`with Simulator(config) as sim:`) or from `python -m console.simulator`.
    Loops are encoded on first use and cached on disk; `prepare()` encodes them ahead.
    """

    def __init__(self, config: SiteConfig, credentials: CredentialStore | None = None,
                 options: SimulatorOptions | None = None) -> None:
        self.config = config
        self.options = options or SimulatorOptions()
        self._credentials = credentials or CredentialStore({})
        super().__init__("simulator-rtsp", "sim-loop-encoder")
        self._loops: dict[tuple[str, StreamKind], Future[EncodedLoop]] = {}
        self._loops_lock = threading.Lock()
        self.endpoints: dict[str, CameraEndpoint] = {}
        self.live_hub = LiveHub(StreamProfile(SUB_PROFILE.width, SUB_PROFILE.height, SUB_PROFILE.fps,
                                              self.options.gop_s, self.options.codec))
        self._udp: UdpSockets | None = None
        self.onvif: OnvifFace | None = None
        self.ptz: dict[str, PtzScene] = {}  # by camera id: the head, the scene and its traffic
        self._ptz_mounts: list[PtzMount] = []

    # -- lifecycle ----------------------------------------------------------------------------------
    def __enter__(self) -> Simulator:
        self.start()
        return self

    def __exit__(self, *_: object) -> None:
        self.stop()

    def start(self) -> None:
        self._check_addresses()
        super().start()

    def stop(self) -> None:
        if self._thread is None:
            return
        super().stop()
        self.live_hub.close()
        for mount in self._ptz_mounts:
            mount.close()

    def _start_timeout_s(self) -> float:
        return START_TIMEOUT_S

    async def _stop(self) -> None:
        await self._shutdown()


    def _check_addresses(self) -> None:
        unknown = sorted(set(self.options.ptz_cameras) - {c.id for c in self.config.cameras})
        if unknown:
            raise SimulatorError(f"PTZ cameras not in the config: {', '.join(unknown)}")
        for camera in self.config.cameras:
            for url in (camera.main_url, camera.sub_url):
                if url and urlsplit(url).hostname not in LOOPBACK:
                    raise SimulatorError(f"camera {camera.id}: {urlsplit(url).hostname} is not this machine")

    async def _start(self) -> None:
        loop = asyncio.get_running_loop()
        rtp, _ = await loop.create_datagram_endpoint(asyncio.DatagramProtocol, local_addr=(self.options.host, 0))
        rtp_port = rtp.get_extra_info("sockname")[1]
        rtcp, _ = await loop.create_datagram_endpoint(asyncio.DatagramProtocol, local_addr=(self.options.host, 0))
        self._udp = UdpSockets(rtp, rtcp, rtp_port, rtcp.get_extra_info("sockname")[1])
        for camera in self.config.cameras:
            port = urlsplit(camera.main_url).port or 554
            endpoint = CameraEndpoint(camera, port, self._credentials.get(camera.credentials), self._udp)
            self.endpoints[camera.id] = endpoint
            stalled = _stall_flag(endpoint)
            if camera.id in self.options.ptz_cameras:
                self._add_ptz_mounts(endpoint, port, stalled)
            else:
                self._add_loop_mounts(endpoint, port, stalled)
            await endpoint.listen(self.options.host)
        if self.options.onvif:
            await self._start_onvif()

    def _add_loop_mounts(self, endpoint: CameraEndpoint, port: int, stalled: Callable[[], bool]) -> None:
        camera = endpoint.camera
        endpoint.add_mount(stream_path(camera.main_url),
                           LoopMount(camera.name, self._profile(StreamKind.MAIN),
                                     self.loop_future(camera, StreamKind.MAIN), stalled))
        if camera.sub_url:
            self._check_sub_port(camera, port)
            sub: Mount
            if self.options.live_sub:
                sub = LiveMount(camera.name, self.live_hub, stalled)
            else:
                sub = LoopMount(camera.name, self._profile(StreamKind.SUB),
                                self.loop_future(camera, StreamKind.SUB), stalled)
            endpoint.add_mount(stream_path(camera.sub_url), sub)

    def _add_ptz_mounts(self, endpoint: CameraEndpoint, port: int, stalled: Callable[[], bool]) -> None:
        """Main and sub both show the window at the head's position, each encoded live while watched."""
        camera = endpoint.camera
        scene = PtzScene(camera.name, self.config.site(camera.site_id).name, PtzHead(),
                         Traffic(self._loop_length_s()))
        self.ptz[camera.id] = scene
        kinds = [(camera.main_url, StreamKind.MAIN)]
        if camera.sub_url:
            self._check_sub_port(camera, port)
            kinds.append((camera.sub_url, StreamKind.SUB))
        for url, kind in kinds:
            mount = PtzMount(scene, self._profile(kind), stalled)
            self._ptz_mounts.append(mount)
            endpoint.add_mount(stream_path(url), mount)

    @staticmethod
    def _check_sub_port(camera: Camera, port: int) -> None:
        if camera.sub_url and (urlsplit(camera.sub_url).port or 554) != port:
            raise SimulatorError(f"camera {camera.id}: main and sub streams must share one port")

    def _loop_length_s(self) -> float:
        """How long a sub loop really lasts: a whole number of GOPs, as `encode_loop` makes it."""
        profile = self._profile(StreamKind.SUB)
        gops = max(1, round(self.options.loop_s * profile.fps / profile.gop_frames))
        return gops * profile.gop_frames / profile.fps

    def _scene_motion(self) -> dict[str, MotionNow]:
        if not self.options.scene_events:
            return {}
        fixed = loop_motion(self._loop_length_s())
        sources: dict[str, MotionNow] = {}
        for camera in self.config.cameras:
            scene = self.ptz.get(camera.id)
            sources[camera.id] = fixed if scene is None else _window_motion(scene)
        return sources

    async def _start_onvif(self) -> None:
        main, sub = self._profile(StreamKind.MAIN), self._profile(StreamKind.SUB)
        try:
            specs = [device_spec(c, self.config.site(c.site_id).name, self.options.host,
                                 self.endpoints[c.id].credentials, main, sub) for c in self.config.cameras]
            controls = {camera_id: PtzControl(scene.head) for camera_id, scene in self.ptz.items()}
            self.onvif = OnvifFace(specs, controls, self._scene_motion())
            await self.onvif.start(self.options.host, self.options.discovery_port)
        except (OnvifFaceError, ValueError) as exc:  # ValueError: an RTSP port too high to leave an ONVIF port
            raise SimulatorError(str(exc)) from None

    async def _shutdown(self) -> None:
        if self.onvif is not None:
            await self.onvif.stop()
        for endpoint in self.endpoints.values():
            await endpoint.refuse()
            endpoint.drop()
        if self._udp is not None:
            self._udp.rtp.close()
            self._udp.rtcp.close()
        current = asyncio.current_task()
        pending = [t for t in asyncio.all_tasks() if t is not current]
        for task in pending:
            task.cancel()
        await asyncio.gather(*pending, return_exceptions=True)

    # -- loops --------------------------------------------------------------------------------------
    def _profile(self, kind: StreamKind) -> StreamProfile:
        base = MAIN_PROFILE if kind is StreamKind.MAIN else SUB_PROFILE
        return StreamProfile(base.width, base.height, base.fps, self.options.gop_s, self.options.codec)

    def loop_future(self, camera: Camera, kind: StreamKind) -> Future[EncodedLoop]:
        """The camera's loop, encoding it in the background on first request."""
        with self._loops_lock:
            future = self._loops.get((camera.id, kind))
            if future is None:
                site = self.config.site(camera.site_id).name
                future = _LazyFuture(lambda: self._executor.submit(
                    load_or_encode, camera.name, site, self._profile(kind), self.options.loop_s,
                    self.options.cache_dir))
                self._loops[(camera.id, kind)] = future
            return future

    def prepare(self, kinds: tuple[StreamKind, ...] = (StreamKind.SUB, StreamKind.MAIN)) -> None:
        """Encode (or load from cache) every loop now, so the first client is served at once."""
        futures = [self.loop_future(c, k) for k in kinds for c in self.config.cameras
                   if c.id not in self.ptz and (k is StreamKind.MAIN or (c.sub_url and not self.options.live_sub))]
        for scene in self.ptz.values():
            _ = scene.panorama  # built once (~0.8 s), before the first viewer waits for it
        for future in futures:
            future.result()

    # -- addresses and faults -----------------------------------------------------------------------
    def endpoint(self, camera_id: str) -> CameraEndpoint:
        try:
            return self.endpoints[camera_id]
        except KeyError:
            raise SimulatorError(f"no simulated camera {camera_id}") from None

    def stall(self, camera_id: str, stalled: bool = True) -> None:
        """Keep the connection but stop sending pictures (a frozen encoder)."""
        self.endpoint(camera_id).stalled = stalled

    def garbage(self, camera_id: str, on: bool = True) -> None:
        """Answer every request with random bytes."""
        self.endpoint(camera_id).garbage = on

    def loss(self, camera_id: str, loss: PacketLoss | None) -> None:
        """Lose RTP packets of every session of this camera from its next frame (None: lose none)."""
        self.endpoint(camera_id).loss = loss

    def drop(self, camera_id: str) -> None:
        endpoint = self.endpoint(camera_id)
        self._loop.call_soon_threadsafe(endpoint.drop)

    def refuse(self, camera_id: str, refused: bool = True) -> None:
        endpoint = self.endpoint(camera_id)
        self._call(endpoint.refuse() if refused else endpoint.listen(self.options.host), 5)

    def restart(self, camera_id: str, down_s: float = 1.0) -> None:
        """A reboot: refuse and drop now, listen again after `down_s` seconds."""
        endpoint = self.endpoint(camera_id)
        self.refuse(camera_id)
        self._loop.call_soon_threadsafe(endpoint.drop)

        def back() -> None:
            self._loop.create_task(endpoint.listen(self.options.host))

        self._loop.call_soon_threadsafe(self._loop.call_later, down_s, back)

    def sessions(self, camera_id: str) -> int:
        return len(self.endpoint(camera_id)._connections)

    # -- ONVIF face ---------------------------------------------------------------------------------
    def onvif_device(self, camera_id: str) -> OnvifDevice:
        if self.onvif is None:
            raise SimulatorError("the simulator runs without its ONVIF face (SimulatorOptions.onvif)")
        try:
            return self.onvif.devices[camera_id]
        except KeyError:
            raise SimulatorError(f"no simulated camera {camera_id}") from None

    @property
    def discovery_address(self) -> tuple[str, int] | None:
        """Where the unicast WS-Discovery responder listens (None: not started)."""
        if self.onvif is None or self.onvif.discovery is None:
            return None
        return self.onvif.discovery.address

    def onvif_clock(self, camera_id: str, offset_s: float) -> None:
        """Set the camera's own clock `offset_s` seconds off the station's (hours off after a lost battery)."""
        self.onvif_device(camera_id).state.clock.offset_s = offset_s

    def onvif_slow(self, camera_id: str, seconds: float) -> None:
        """Delay every ONVIF answer of the camera by `seconds` (0: answer at once)."""
        self.onvif_device(camera_id).slow_s = seconds

    def onvif_malformed(self, camera_id: str, on: bool = True) -> None:
        """Cut every ONVIF answer of the camera in the middle of its XML."""
        self.onvif_device(camera_id).malformed = on

    # -- PTZ ----------------------------------------------------------------------------------------
    def ptz_head(self, camera_id: str) -> PtzHead:
        """The head of a PTZ camera (its position and motion; what its picture and GetStatus read)."""
        scene = self.ptz.get(camera_id)
        if scene is None:
            raise SimulatorError(f"camera {camera_id} is not a PTZ camera (SimulatorOptions.ptz_cameras)")
        return scene.head

    def _ptz_control(self, camera_id: str) -> PtzControl:
        control = self.onvif_device(camera_id).ptz
        if control is None:
            raise SimulatorError(f"camera {camera_id} is not a PTZ camera (SimulatorOptions.ptz_cameras)")
        return control

    def onvif_ignore_timeout(self, camera_id: str, on: bool = True) -> None:
        """ContinuousMove goes on past its Timeout until Stop (a camera that turned for 84 s)."""
        self._ptz_control(camera_id).head.ignore_timeout = on

    def onvif_reject_stop(self, camera_id: str, on: bool = True) -> None:
        """Stop answers a SOAP fault; a ContinuousMove with zero velocity still stops the camera."""
        self._ptz_control(camera_id).reject_stop = on

    def onvif_unnamed_presets(self, camera_id: str, on: bool = True, slots: int = MAX_PRESETS) -> None:
        """GetPresets lists `slots` preset slots, the unused ones without a name or a position (Hikvision)."""
        self._ptz_control(camera_id).unnamed_slots = slots if on else 0

    # -- events -------------------------------------------------------------------------------------
    def onvif_event(self, camera_id: str, kind: EventKind | str, state: bool = True) -> None:
        """The camera raises an event: `kind` motion, motion_alarm, tamper or digital_input becomes `state`;
        queued in every subscription when this returns."""
        device = self.onvif_device(camera_id)
        try:
            event = EventKind(kind)
        except ValueError:
            raise SimulatorError(f"no event kind {kind!r} (one of {', '.join(k.value for k in EventKind)})") from None

        async def publish() -> None:
            device.events.publish(event, state)

        self._call(publish(), 5)

    def onvif_subscriptions(self, camera_id: str) -> int:
        """How many pull point subscriptions the camera holds now."""
        device = self.onvif_device(camera_id)

        async def count() -> int:
            return device.events.pull_points.live

        return int(self._call(count(), 5))

    def onvif_reboot(self, camera_id: str, down_s: float = REBOOT_DOWN_S) -> None:
        """The camera reboots: its ONVIF port refuses for `down_s`, every subscription is forgotten (an old
        reference gets a fault), a move under way stops. The RTSP side is `restart()`'s."""
        self.onvif_device(camera_id)
        assert self.onvif is not None
        self._call(self.onvif.reboot(camera_id, down_s), 5)


def _window_motion(scene: PtzScene) -> MotionNow:
    return lambda epoch_s: scene.traffic.vehicle_in_view(scene.head.position(), epoch_s)


def _stall_flag(endpoint: CameraEndpoint) -> Callable[[], bool]:
    return lambda: endpoint.stalled


class _LazyFuture(Future[EncodedLoop]):
    """A future whose work is submitted the first time somebody waits for it."""

    def __init__(self, submit: Any) -> None:
        super().__init__()
        self._submit = submit
        self._started = False
        self._lock = threading.Lock()

    def _kick(self) -> None:
        with self._lock:
            if self._started:
                return
            self._started = True
        inner: Future[EncodedLoop] = self._submit()
        inner.add_done_callback(self._copy)

    def _copy(self, inner: Future[EncodedLoop]) -> None:
        if inner.cancelled():
            self.cancel()
        elif inner.exception() is not None:
            self.set_exception(inner.exception())
        else:
            self.set_result(inner.result())

    def result(self, timeout: float | None = None) -> EncodedLoop:
        self._kick()
        return super().result(timeout)

    def add_done_callback(self, fn: Any) -> None:
        self._kick()
        super().add_done_callback(fn)
