"""Connecting to one ONVIF device: its identity, clock, Media1 profiles with stream addresses, and what else it
offers (PTZ, events), every request under a timeout and every failure an `OnvifError`.

A camera whose clock is off refuses WS-UsernameToken logins (the token's Created time is outside its
window). The clock is read first, without a login; when a login is refused and the clock is off, the request
is made again with the library's time adjustment (`adjust_time`, tokens stamped in the camera's time).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import time
from collections.abc import Awaitable
from dataclasses import dataclass, replace
from typing import Any, Protocol

from console.core.credentials import Credentials
from console.onvif.clock import CLOCK_SAMPLES, DeviceClock, TimeSample, offset_from, read_clock
from console.onvif.errors import OnvifError, OnvifErrorKind, host_port
from console.onvif.failures import to_onvif_error
from console.onvif.library import OnvifLibrary, load_async, new_camera
from console.onvif.media import MediaProfile, read_profiles
from console.onvif.soap import BadReplyError

log = logging.getLogger(__name__)

CALL_TIMEOUT_S = 5.0
# Off by more than this and refusing the login: try again with tokens in the camera's time.
ADJUST_AFTER_S = 1.0
# Off by at least this and still refusing with adjusted tokens: say the clock may be the cause (CLOCK), not
# only the password. 5 s is the default clock alert threshold.
CLOCK_SUSPECT_S = 5.0
PTZ_NAMESPACE = "http://www.onvif.org/ver20/ptz/wsdl"
EVENTS_NAMESPACE = "http://www.onvif.org/ver10/events/wsdl"
MEDIA_NAMESPACE = "http://www.onvif.org/ver10/media/wsdl"


@dataclass(frozen=True)
class DeviceInfo:
    manufacturer: str | None
    model: str | None
    firmware: str | None
    serial: str | None
    hardware_id: str | None
    mac: str | None  # the first enabled network interface's hardware address


@dataclass(frozen=True)
class OnvifDevice:
    host: str
    port: int
    info: DeviceInfo
    clock: DeviceClock
    clock_adjusted: bool  # the login only worked with tokens stamped in the camera's time
    profiles: tuple[MediaProfile, ...]
    ptz: bool  # a PTZ service and at least one profile with a PTZ configuration
    ptz_service: bool
    events: bool  # an event service (PullPoint subscriptions)

    @property
    def address(self) -> str:
        return host_port(self.host, self.port)

    @property
    def clock_offset_s(self) -> float | None:
        return self.clock.offset_s


class Caller(Protocol):
    """Whatever runs a device's requests under a timeout with failures mapped (a one-off read, a session)."""

    address: str

    def call(self, operation: str, request: Awaitable[Any]) -> Awaitable[Any]: ...


class _Session:
    """One attempt's requests: each under the timeout, each failure mapped to an `OnvifError`."""

    def __init__(self, address: str, password: str, timeout_s: float) -> None:
        self.address = address
        self.password = password
        self.timeout_s = timeout_s

    async def call(self, operation: str, request: Awaitable[Any], budget: int = 1) -> Any:
        try:
            async with asyncio.timeout(self.timeout_s * budget):
                return await request
        except Exception as exc:
            raise to_onvif_error(exc, self.address, password=self.password, timeout_s=self.timeout_s,
                                 operation=operation) from None


def _text(value: Any) -> str | None:
    return str(value).strip() if value is not None and str(value).strip() else None


async def _mac(devicemgmt: Any, session: _Session) -> str | None:
    try:
        interfaces = await session.call("GetNetworkInterfaces", devicemgmt.GetNetworkInterfaces())
    except OnvifError as exc:
        if exc.kind is not OnvifErrorKind.FAULT:  # a camera may refuse it to a user of its lowest level
            raise
        return None
    enabled = [i for i in interfaces or [] if getattr(i, "Enabled", True) is not False] or list(interfaces or [])
    for interface in enabled:
        mac = _text(getattr(getattr(interface, "Info", None), "HwAddress", None))
        if mac:
            return mac.lower()
    return None


async def timed_clock(devicemgmt: Any, session: Caller) -> DeviceClock:
    """The clock through an authenticated request (for devices that want a login even for the time): one
    answer, so ±0.5 s plus half the round trip."""
    sent, start = time.time(), time.monotonic()
    answer = await session.call("GetSystemDateAndTime", devicemgmt.GetSystemDateAndTime())
    received = sent + time.monotonic() - start
    utc = getattr(answer, "UTCDateTime", None)
    date, clock = getattr(utc, "Date", None), getattr(utc, "Time", None)
    if date is None or clock is None:
        return DeviceClock(None, None, received - sent)
    try:
        camera = dt.datetime(int(date.Year), int(date.Month), int(date.Day), int(clock.Hour), int(clock.Minute),
                             int(clock.Second), tzinfo=dt.UTC)
    except (TypeError, ValueError):
        raise to_onvif_error(BadReplyError(OnvifErrorKind.MALFORMED, "impossible date/time"), session.address,
                             operation="GetSystemDateAndTime") from None
    offset, uncertainty = offset_from([TimeSample(camera, sent, received)])
    return DeviceClock(offset, uncertainty, received - sent, samples=1)


async def _read(library: OnvifLibrary, host: str, port: int, credentials: Credentials | None,
                clock: DeviceClock, *, adjust_time: bool, timeout_s: float) -> OnvifDevice:
    address = host_port(host, port)
    session = _Session(address, credentials.password if credentials else "", timeout_s)
    user = credentials.username if credentials else None
    password = credentials.password if credentials else None
    camera = new_camera(library, host, port, user, password, adjust_time=adjust_time)
    try:
        return await _read_camera(camera, host, port, clock, session, adjust_time=adjust_time)
    except OnvifError:
        raise
    except Exception as exc:  # an answer our reading of it did not expect (a field of the wrong shape)
        raise to_onvif_error(exc, address, password=session.password, timeout_s=timeout_s) from None
    finally:
        await camera.close()


async def _read_camera(camera: Any, host: str, port: int, clock: DeviceClock, session: _Session, *,
                       adjust_time: bool) -> OnvifDevice:
    address = session.address
    # GetServices (GetCapabilities on older firmware); with adjust_time also the time handshake first.
    await session.call("GetServices", camera.update_xaddrs(), budget=3)
    devicemgmt = await session.call("GetDeviceInformation", camera.create_devicemgmt_service())
    info = await session.call("GetDeviceInformation", devicemgmt.GetDeviceInformation())
    mac = await _mac(devicemgmt, session)
    if clock.needs_auth or clock.offset_s is None:
        clock = replace(await timed_clock(devicemgmt, session), needs_auth=clock.needs_auth)
    xaddrs = set(camera.xaddrs)
    if MEDIA_NAMESPACE not in xaddrs:
        raise OnvifError(OnvifErrorKind.FAULT, address, operation="GetProfiles",
                         reason="no Media service", detail="no Media service among the device's services")
    media = await session.call("GetProfiles", camera.create_media_service())
    profiles = await read_profiles(media, session.call)
    ptz_service = PTZ_NAMESPACE in xaddrs
    return OnvifDevice(
        host=host, port=port,
        info=DeviceInfo(manufacturer=_text(getattr(info, "Manufacturer", None)),
                        model=_text(getattr(info, "Model", None)),
                        firmware=_text(getattr(info, "FirmwareVersion", None)),
                        serial=_text(getattr(info, "SerialNumber", None)),
                        hardware_id=_text(getattr(info, "HardwareId", None)), mac=mac),
        clock=clock, clock_adjusted=adjust_time, profiles=profiles,
        ptz=ptz_service and any(p.ptz for p in profiles), ptz_service=ptz_service,
        events=EVENTS_NAMESPACE in xaddrs)


async def connect(host: str, port: int, credentials: Credentials | None, *, timeout_s: float = CALL_TIMEOUT_S,
                  clock_samples: int = CLOCK_SAMPLES, clock: DeviceClock | None = None) -> OnvifDevice:
    """Read the device at `host:port` (its device service at /onvif/device_service). `clock`: a reading
    already taken (by a scan), else it is read first. Raises `OnvifError`."""
    if clock is None:
        clock = await read_clock(host, port, timeout_s=timeout_s, samples=clock_samples)
    library = await load_async()
    address = host_port(host, port)
    try:
        return await _read(library, host, port, credentials, clock, adjust_time=False, timeout_s=timeout_s)
    except OnvifError as exc:
        offset = clock.offset_s
        if exc.kind is not OnvifErrorKind.AUTH or offset is None or abs(offset) <= ADJUST_AFTER_S:
            raise
    log.info("%s refused the login with its clock off by %.1f s: trying with adjusted time", address, offset)
    try:
        return await _read(library, host, port, credentials, clock, adjust_time=True, timeout_s=timeout_s)
    except OnvifError as exc:
        if exc.kind is OnvifErrorKind.AUTH and abs(offset) >= CLOCK_SUSPECT_S:
            raise OnvifError(OnvifErrorKind.CLOCK, address, offset_s=offset, detail=exc.detail) from None
        raise
