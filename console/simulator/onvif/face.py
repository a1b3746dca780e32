"""The ONVIF face of all simulated cameras: one HTTP server per camera and the unicast discovery responder."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from urllib.parse import urlsplit, urlunsplit

from console.core.config import Camera
from console.core.credentials import Credentials
from console.simulator.encoding import StreamProfile
from console.simulator.onvif.addresses import DEVICE_PATH, camera_onvif_port
from console.simulator.onvif.device import OnvifDevice
from console.simulator.onvif.discovery import DiscoveryResponder, DiscoveryTarget, start_discovery
from console.simulator.onvif.http_server import HttpServer
from console.simulator.onvif.state import DeviceSpec, MediaStream

log = logging.getLogger(__name__)

# What the encoder settings would say on a real camera of this class (the loops are CRF-coded; these are limits).
MAIN_BITRATE_KBPS = 4096
SUB_BITRATE_KBPS = 512


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
    def __init__(self, specs: Sequence[DeviceSpec]) -> None:
        self.devices = {spec.camera_id: OnvifDevice(spec) for spec in specs}
        self._servers: list[HttpServer] = []
        self.discovery: DiscoveryResponder | None = None

    async def start(self, host: str, discovery_port: int | None) -> None:
        """Listen for every camera on host; answer unicast probes on host:discovery_port unless it is None."""
        for device in self.devices.values():
            server = HttpServer(device.handle)
            try:
                await server.listen(host, device.spec.port)
            except OSError as exc:
                raise OnvifFaceError(f"camera {device.spec.camera_id}: cannot listen for ONVIF on "
                                     f"{host}:{device.spec.port}: {exc.strerror or exc}") from None
            self._servers.append(server)
        if discovery_port is not None:
            targets = [DiscoveryTarget(d.state.identity.endpoint_urn, d.state.xaddr(DEVICE_PATH),
                                       tuple(d.state.scopes())) for d in self.devices.values()]
            try:
                self.discovery = await start_discovery(host, discovery_port, targets)
            except OSError as exc:
                raise OnvifFaceError(f"WS-Discovery cannot listen on {host}:{discovery_port} (UDP): "
                                     f"{exc.strerror or exc}") from None
        ports = sorted(d.spec.port for d in self.devices.values())
        log.info("ONVIF: %d cameras on ports %d–%d%s", len(ports), ports[0] if ports else 0,
                 ports[-1] if ports else 0,
                 f", discovery on {self.discovery.address[0]}:{self.discovery.address[1]}/udp"
                 if self.discovery else "")

    async def stop(self) -> None:
        for server in self._servers:
            await server.close()
        self._servers.clear()
        if self.discovery is not None:
            self.discovery.close()
            self.discovery = None
