"""What one simulated ONVIF camera is and holds: its streams, identity, clock, and the shape of an operation."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from urllib.parse import quote

from console.core.credentials import Credentials
from console.simulator.onvif.addresses import service_url
from console.simulator.onvif.clock import CameraClock
from console.simulator.onvif.identity import DeviceIdentity
from console.simulator.onvif.soap import Envelope
from console.simulator.rtp import Codec


@dataclass(frozen=True)
class MediaStream:
    """One RTSP stream of the camera as a Media1 profile sees it."""

    token: str  # the profile's token, Profile_1 (main) / Profile_2 (sub)
    name: str
    url: str  # without credentials, as GetStreamUri gives it
    width: int
    height: int
    fps: int
    gov_length: int
    codec: Codec
    bitrate_kbps: int


@dataclass(frozen=True)
class DeviceSpec:
    """What the simulator tells the ONVIF face about a camera."""

    camera_id: str
    name: str
    location: str  # its site's name, for the location scope
    host: str
    port: int
    credentials: Credentials | None
    streams: tuple[MediaStream, ...]


Handler = Callable[[Envelope], ET.Element | Awaitable[ET.Element]]  # awaitable: an answer that waits (a long poll)


@dataclass(frozen=True)
class ServiceInfo:
    """A service the camera has, as GetServices and GetCapabilities advertise it."""

    namespace: str
    path: str
    capabilities: Callable[[], ET.Element]  # its GetServiceCapabilities answer


ONVIF_VERSION = (17, 12)  # the service version Hikvision firmware of these years reports


@dataclass
class CameraState:
    """The camera as its services read and change it."""

    spec: DeviceSpec
    identity: DeviceIdentity
    clock: CameraClock
    services: list[ServiceInfo] = field(default_factory=list)  # only those that exist

    def xaddr(self, path: str) -> str:
        return service_url(self.spec.host, self.spec.port, path)

    def service(self, namespace: str) -> ServiceInfo | None:
        return next((s for s in self.services if s.namespace == namespace), None)

    def stream(self, token: str) -> MediaStream | None:
        return next((s for s in self.spec.streams if s.token == token), None)

    def scopes(self) -> list[str]:
        """Its ONVIF scopes: what it is (Profile S video encoder), its name, model and where it stands."""
        base = "onvif://www.onvif.org"
        return [f"{base}/type/video_encoder", f"{base}/Profile/Streaming",
                f"{base}/name/{quote(self.spec.name, safe='')}",
                f"{base}/hardware/{quote(self.identity.model, safe='')}",
                f"{base}/location/{quote(self.spec.location, safe='')}"]


@dataclass(frozen=True)
class Operation:
    handler: Handler
    public: bool = False  # answered without a UsernameToken (GetSystemDateAndTime, as the ONVIF core says)


Operations = dict[str, Operation]  # keyed by the operation element's tag, "{namespace}Name"
