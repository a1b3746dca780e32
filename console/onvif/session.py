"""A long-lived login to one ONVIF device, for the controllers that keep talking to it (PTZ, events, clock):
the library's camera object with its service addresses read, every request under a timeout and every failure
an `OnvifError`.

`console.onvif.device.connect` reads a device once and lets go; a session stays open until `close`. Like
`connect`, it retries a refused login with tokens stamped in the camera's time when the camera's clock is off.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable
from typing import Any

from console.core.credentials import Credentials
from console.onvif.clock import DeviceClock, read_clock
from console.onvif.device import ADJUST_AFTER_S, CALL_TIMEOUT_S, EVENTS_NAMESPACE, PTZ_NAMESPACE
from console.onvif.errors import OnvifError, OnvifErrorKind, host_port
from console.onvif.failures import to_onvif_error
from console.onvif.library import load_async, new_camera
from console.onvif.messages import Say, render

log = logging.getLogger(__name__)

_SERVICE_NAMESPACES = {"ptz": PTZ_NAMESPACE, "events": EVENTS_NAMESPACE,
                       "media": "http://www.onvif.org/ver10/media/wsdl"}
_SERVICE_NAMES_VI = {"ptz": "PTZ", "events": "sự kiện (PullPoint)", "media": "Media"}
_SERVICE_NAMES_EN = {"ptz": "PTZ", "events": "event (PullPoint)", "media": "Media"}


def unsupported(address: str, say: Say, operation: str, **params: str) -> OnvifError:
    """The device lacks what an operation needs (`say` is the reason's sentence): an error sent nowhere."""
    return OnvifError(OnvifErrorKind.UNSUPPORTED, address, operation=operation,
                      reason=render(say, "en", params), reason_vi=render(say, "vi", params),
                      detail=render(say, "en", params))


def missing_service(address: str, service: str) -> OnvifError:
    """The device does not offer `service` ("ptz", "events", "media")."""
    return OnvifError(OnvifErrorKind.UNSUPPORTED, address, operation=service,
                      reason=render(Say.NO_SERVICE, "en", {"service": _SERVICE_NAMES_EN.get(service, service)}),
                      reason_vi=render(Say.NO_SERVICE, "vi", {"service": _SERVICE_NAMES_VI.get(service, service)}),
                      detail=f"no {service} service")


class CameraSession:
    """One device's library camera object, open until `close` (call everything on the loop that opened it)."""

    def __init__(self, camera: Any, host: str, port: int, password: str, timeout_s: float) -> None:
        self.camera = camera
        self.host = host
        self.port = port
        self.address = host_port(host, port)
        self.timeout_s = timeout_s
        self._password = password  # only to redact it from error details
        self._closed = False

    async def call(self, operation: str, request: Awaitable[Any], timeout_s: float | None = None) -> Any:
        """`request` under the timeout; any failure becomes an `OnvifError` whose text holds no password."""
        limit = self.timeout_s if timeout_s is None else timeout_s
        try:
            async with asyncio.timeout(limit):
                return await request
        except OnvifError:
            raise
        except Exception as exc:
            raise to_onvif_error(exc, self.address, password=self._password, timeout_s=limit,
                                 operation=operation) from None

    def offers(self, service: str) -> bool:
        namespace = _SERVICE_NAMESPACES.get(service)
        return namespace is not None and namespace in self.camera.xaddrs

    async def service(self, name: str) -> Any:
        """The library's service object ("ptz", "events", "devicemgmt", "media", "pullpoint", "subscription")."""
        if name in _SERVICE_NAMESPACES and not self.offers(name):
            raise missing_service(self.address, name)
        factories = {"ptz": self.camera.create_ptz_service, "events": self.camera.create_events_service,
                     "devicemgmt": self.camera.create_devicemgmt_service, "media": self.camera.create_media_service,
                     "pullpoint": self.camera.create_pullpoint_service,
                     "subscription": lambda: self.camera.create_subscription_service("PullPointSubscription")}
        return await self.call(f"{name} service", factories[name]())

    async def ptz_profile_token(self) -> str:
        """The first Media1 profile that carries a PTZ configuration (PTZ commands name a profile)."""
        media = await self.service("media")
        profiles = await self.call("GetProfiles", media.GetProfiles())
        for profile in profiles or []:
            if getattr(profile, "PTZConfiguration", None) is not None and getattr(profile, "token", None):
                return str(profile.token)
        raise unsupported(self.address, Say.PTZ_NO_PROFILE, "GetProfiles")

    @property
    def secret_to_redact(self) -> str:
        """The password, for whoever maps this device's errors itself (it never goes into a message)."""
        return self._password

    @property
    def closed(self) -> bool:
        return self._closed

    async def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        try:
            await self.camera.close()
        except Exception as exc:  # closing sockets of a camera that went away: nothing to tell anyone
            log.debug("%s: closing the session: %s", self.address, type(exc).__name__)


async def _open(host: str, port: int, credentials: Credentials | None, timeout_s: float, *,
                adjust_time: bool) -> CameraSession:
    library = await load_async()
    user = credentials.username if credentials else None
    password = credentials.password if credentials else None
    camera = new_camera(library, host, port, user, password, adjust_time=adjust_time)
    session = CameraSession(camera, host, port, password or "", timeout_s)
    try:
        await session.call("GetServices", camera.update_xaddrs(), timeout_s=timeout_s * 3)
        if not camera.xaddrs:
            raise OnvifError(OnvifErrorKind.NOT_ONVIF, session.address, detail="no service addresses")
    except BaseException:
        await session.close()
        raise
    return session


async def open_session(host: str, port: int, credentials: Credentials | None, *,
                       timeout_s: float = CALL_TIMEOUT_S, clock: DeviceClock | None = None) -> CameraSession:
    """A session with the device at `host:port`. `clock`: a reading already taken (else it is read when the
    login is refused, to decide whether to stamp tokens in the camera's time). Raises `OnvifError`."""
    try:
        return await _open(host, port, credentials, timeout_s, adjust_time=False)
    except OnvifError as exc:
        if exc.kind is not OnvifErrorKind.AUTH or credentials is None:
            raise
        refused = exc
    if clock is None:
        clock = await read_clock(host, port, timeout_s=timeout_s)
    if clock.offset_s is None or abs(clock.offset_s) <= ADJUST_AFTER_S:
        raise refused
    log.info("%s refused the login with its clock off by %.1f s: trying with adjusted time",
             host_port(host, port), clock.offset_s)
    return await _open(host, port, credentials, timeout_s, adjust_time=True)
