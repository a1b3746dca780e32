"""The ONVIF face of all simulated cameras: one HTTP server per camera and the unicast discovery responder."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Coroutine, Mapping, Sequence
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from console.core.config import Camera
from console.core.credentials import Credentials
from console.simulator.encoding import StreamProfile
from console.simulator.onvif.addresses import DEVICE_PATH, camera_onvif_port
from console.simulator.onvif.device import OnvifDevice
from console.simulator.onvif.discovery import DiscoveryResponder, DiscoveryTarget, start_discovery
from console.simulator.onvif.http_server import HttpServer
from console.simulator.onvif.ptz_service import PtzControl
from console.simulator.onvif.scene_events import MotionNow, follow_scene_motion
from console.simulator.onvif.state import DeviceSpec, MediaStream

log = logging.getLogger(__name__)

# What the encoder settings would say on a real camera of this class (the loops are CRF-coded; these are limits).
MAIN_BITRATE_KBPS = 4096
SUB_BITRATE_KBPS = 512
REBOOT_DOWN_S = 2.0  # how long a rebooting camera's ONVIF port refuses connections


class OnvifFaceError(Exception):
    """A camera's ONVIF face cannot start (its port is taken); the message names the camera and the port."""


def _without_userinfo(url: str) -> str:
    parts = urlsplit(url)
    host = parts.hostname or ""
    netloc = f"{host}:{parts.port}" if parts.port else host
    return urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))


def device_spec(camera: Camera, location: str, host: str, credentials: Credentials | None,
                main: StreamProfile, sub: StreamProfile | None) -> DeviceSpec:
    """The ONVIF view of a simulated camera: Profile_1 is its main stream, Profile_2 its sub stream if any."""
    streams = [MediaStream("Profile_1", "mainStream", _without_userinfo(camera.main_url), main.width, main.height,
                           main.fps, main.gop_frames, main.codec, MAIN_BITRATE_KBPS)]
    if camera.sub_url and sub is not None:
        streams.append(MediaStream("Profile_2", "subStream", _without_userinfo(camera.sub_url), sub.width,
                                   sub.height, sub.fps, sub.gop_frames, sub.codec, SUB_BITRATE_KBPS))
    return DeviceSpec(camera.id, camera.name, location, host, camera_onvif_port(camera), credentials, tuple(streams))


class OnvifFace:
    def __init__(self, specs: Sequence[DeviceSpec], ptz: Mapping[str, PtzControl] | None = None,
                 scene_motion: Mapping[str, MotionNow] | None = None) -> None:
        controls = ptz or {}
        self.devices = {spec.camera_id: OnvifDevice(spec, controls.get(spec.camera_id)) for spec in specs}
        self._scene_motion = dict(scene_motion or {})
        self._servers: dict[str, HttpServer] = {}
        self._host = ""
        self._tasks: set[asyncio.Task[None]] = set()
        self.discovery: DiscoveryResponder | None = None

    async def start(self, host: str, discovery_port: int | None) -> None:
        """Listen for every camera on host; answer unicast probes on host:discovery_port unless it is None."""
        self._host = host
        for device in self.devices.values():
            await self._listen(device)
        if discovery_port is not None:
            targets = [DiscoveryTarget(d.state.identity.endpoint_urn, d.state.xaddr(DEVICE_PATH),
                                       tuple(d.state.scopes())) for d in self.devices.values()]
            try:
                self.discovery = await start_discovery(host, discovery_port, targets)
            except OSError as exc:
                raise OnvifFaceError(f"WS-Discovery cannot listen on {host}:{discovery_port} (UDP): "
                                     f"{exc.strerror or exc}") from None
        if self._scene_motion:
            self._spawn(follow_scene_motion(self.devices, self._scene_motion))
        ports = sorted(d.spec.port for d in self.devices.values())
        log.info("ONVIF: %d cameras on ports %d–%d%s", len(ports), ports[0] if ports else 0,
                 ports[-1] if ports else 0,
                 f", discovery on {self.discovery.address[0]}:{self.discovery.address[1]}/udp"
                 if self.discovery else "")

    async def _listen(self, device: OnvifDevice) -> None:
        server = HttpServer(device.handle)
        try:
            await server.listen(self._host, device.spec.port)
        except OSError as exc:
            raise OnvifFaceError(f"camera {device.spec.camera_id}: cannot listen for ONVIF on "
                                 f"{self._host}:{device.spec.port}: {exc.strerror or exc}") from None
        self._servers[device.spec.camera_id] = server

    async def reboot(self, camera_id: str, down_s: float = REBOOT_DOWN_S) -> None:
        """The camera restarts: every connection cut, the port refused for `down_s`, every subscription gone."""
        device = self.devices[camera_id]
        server = self._servers.pop(camera_id, None)
        if server is not None:
            await server.close()
        device.reboot()
        log.info("onvif %s: rebooting, back in %.1f s", camera_id, down_s)

        async def back() -> None:
            await asyncio.sleep(down_s)
            if camera_id not in self._servers:
                await self._listen(device)

        self._spawn(back())

    def _spawn(self, coro: Coroutine[Any, Any, None]) -> None:
        task = asyncio.get_running_loop().create_task(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def stop(self) -> None:
        for task in tuple(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        for server in self._servers.values():
            await server.close()
        self._servers.clear()
        if self.discovery is not None:
            self.discovery.close()
            self.discovery = None
