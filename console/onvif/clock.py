"""A camera's clock against the station's: GetSystemDateAndTime sent by hand (no login, no SOAP library) and
the offset (camera − station) worked out from several answers.

ONVIF gives the time to the whole second, so one answer only says the offset lies in a 1 s wide window
(plus the round trip). Answers taken a third of a second apart fall at different points of the camera's
second; the windows' intersection is ~1/3 s wide, and its middle is the offset (issue 18 wants 0.5 s).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING

from console.onvif.errors import OnvifError, OnvifErrorKind, host_port
from console.onvif.failures import to_onvif_error
from console.onvif.soap import (
    DEVICE_SERVICE_PATH,
    GET_SYSTEM_DATE_AND_TIME,
    GET_SYSTEM_DATE_AND_TIME_ACTION,
    MAX_REPLY_BYTES,
    SOAP12_CONTENT_TYPE,
    BadReplyError,
    read_message,
    read_utc_datetime,
)

if TYPE_CHECKING:
    import aiohttp

CLOCK_SAMPLES = 3
SAMPLE_SPACING_S = 1 / CLOCK_SAMPLES  # spreads the answers evenly over the camera's second
CLOCK_TIMEOUT_S = 5.0
OPERATION = "GetSystemDateAndTime"


@dataclass(frozen=True)
class TimeSample:
    """One answer: the camera's whole second and the station's wall clock when the request left and the
    answer came back."""

    camera_utc: dt.datetime
    sent_s: float  # station wall clock, seconds since the epoch
    received_s: float

    @property
    def window(self) -> tuple[float, float]:
        """Where the offset can be: the camera read `camera_utc` + [0, 1) s at a station instant between
        sending and receiving."""
        camera = self.camera_utc.timestamp()
        return camera - self.received_s, camera + 1.0 - self.sent_s


@dataclass(frozen=True)
class DeviceClock:
    """What GetSystemDateAndTime told: the offset when it could be read, whether the device wants a login
    for it (then only an authenticated read gives the offset)."""

    offset_s: float | None  # camera − station; positive: the camera is ahead
    uncertainty_s: float | None  # half the width of the window the offset is known to lie in
    round_trip_s: float
    needs_auth: bool = False
    samples: int = 0


def offset_from(samples: list[TimeSample]) -> tuple[float, float]:
    """The offset and its uncertainty: the middle of the samples' common window; when they disagree (the
    camera's clock stepped, or it rounds instead of truncating) the mean of their middles, ±0.5 s."""
    lows, highs = zip(*(sample.window for sample in samples), strict=True)
    low, high = max(lows), min(highs)
    if low <= high:
        return (low + high) / 2, (high - low) / 2
    middles = [(a + b) / 2 for a, b in zip(lows, highs, strict=True)]
    return sum(middles) / len(middles), 0.5 + max(b - a for a, b in zip(lows, highs, strict=True)) / 2


async def _post(session: aiohttp.ClientSession, url: str, timeout_s: float) -> tuple[int, bytes, float, float]:
    headers = {"Content-Type": f'{SOAP12_CONTENT_TYPE}; action="{GET_SYSTEM_DATE_AND_TIME_ACTION}"'}
    wall, start = time.time(), time.monotonic()
    async with asyncio.timeout(timeout_s), session.post(url, data=GET_SYSTEM_DATE_AND_TIME,
                                                        headers=headers) as response:
        body = await response.content.read(MAX_REPLY_BYTES + 1)
        elapsed = time.monotonic() - start
        return response.status, body, wall, wall + elapsed


def _sample(status: int, body: bytes, sent: float, received: float) -> TimeSample | DeviceClock:
    """A sample, or the DeviceClock that ends the reading (a login is wanted, or no UTC time is given)."""
    round_trip = received - sent
    if not body.strip():
        if status in (401, 403):  # HTTP auth in front of the SOAP service
            return DeviceClock(None, None, round_trip, needs_auth=True)
        raise BadReplyError(OnvifErrorKind.NOT_ONVIF, f"HTTP {status} without a body")
    message = read_message(body)
    if message.fault is not None:
        if message.fault.not_authorized or status in (401, 403):
            return DeviceClock(None, None, round_trip, needs_auth=True)
        raise OnvifError(OnvifErrorKind.FAULT, "", operation=OPERATION, reason=message.fault.reason,
                         detail=message.fault.reason)
    if message.payload is None:
        raise BadReplyError(OnvifErrorKind.MALFORMED, "empty SOAP body")
    camera_utc = read_utc_datetime(message.payload)
    if camera_utc is None:
        return DeviceClock(None, None, round_trip)
    return TimeSample(camera_utc, sent, received)


async def read_clock(host: str, port: int, *, timeout_s: float = CLOCK_TIMEOUT_S, samples: int = CLOCK_SAMPLES,
                     path: str = DEVICE_SERVICE_PATH) -> DeviceClock:
    """The clock of the device at `host:port`; `OnvifError` when nothing ONVIF answers there in time."""
    import aiohttp

    address = host_port(host, port)
    url = f"http://{address}{path}"
    taken: list[TimeSample] = []
    trips: list[float] = []
    try:
        # trust_env=False: a proxy set for the station's web browsing must never see camera traffic.
        async with aiohttp.ClientSession(trust_env=False) as session:
            for index in range(max(1, samples)):
                if index:
                    await asyncio.sleep(SAMPLE_SPACING_S)
                status, body, sent, received = await _post(session, url, timeout_s)
                found = _sample(status, body, sent, received)
                if isinstance(found, DeviceClock):
                    if taken:  # a later answer wanting a login or without UTC: keep what was read
                        break
                    return found
                taken.append(found)
                trips.append(received - sent)
    except OnvifError as exc:
        if exc.address:
            raise
        raise OnvifError(exc.kind, address, operation=OPERATION, reason=exc.detail, detail=exc.detail) from None
    except Exception as exc:
        raise to_onvif_error(exc, address, timeout_s=timeout_s, operation=OPERATION) from None
    offset, uncertainty = offset_from(taken)
    return DeviceClock(offset, uncertainty, max(trips), samples=len(taken))
