"""Stream health without threads or Qt: connection states, failure kinds, reconnect backoff, site outages.

The ingest thread reports facts (connecting, opened, failed with a kind, a frame arrived at t); this module
turns them into what the officer sees ("Hình bị đứng" after 2 s without a frame, "Mất kết nối" with the
time lost and a countdown to the next attempt) and into one event when a whole site goes dark.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from enum import StrEnum

STALL_AFTER_S = 2.0
# A read this long without a packet ends a session: the officer reads "Mất kết nối" within 5 s of the last
# picture. FFmpeg hands over the picture it held (its parser waits for the next one) when that read times out, so
# a session whose newest picture is `STALE_AFTER_S` old when a packet comes is given up too: a silent camera is
# lost at the read timeout, not at twice it, and a trickled link within it.
LOST_AFTER_S = 4.0
STALE_AFTER_S = 3.0
BACKOFF_FIRST_S = 0.5
BACKOFF_FACTOR = 2.0
BACKOFF_CAP_S = 10.0
BACKOFF_JITTER = 0.2
# Wrong credentials: Hikvision and Dahua lock the account (or the console's address) after ~5 failed logins.
# Try again after minutes, and stop after this many failures in a row until the officer or new credentials say so.
AUTH_RETRY_S = (60.0, 180.0)
AUTH_MAX_FAILURES = 3
# Camera timestamps that go backwards start a new clock reference; a camera clock slower than ours is followed
# at up to this rate (1,000 ppm), far below a trickled link's slowdown.
CLOCK_CREEP = 1e-3


class Phase(StrEnum):
    """What the ingest thread is doing right now."""

    IDLE = "idle"
    CONNECTING = "connecting"
    LIVE = "live"
    WAITING = "waiting"  # lost, sleeping until the next attempt
    HALTED = "halted"  # lost, not retried until asked (wrong credentials: a camera would lock the account)


class Failure(StrEnum):
    """Why a connection ended; each has its own message in the UI."""

    REFUSED = "refused"
    AUTH = "auth"
    NOT_FOUND = "not_found"
    TIMEOUT = "timeout"
    CLOSED = "closed"
    BAD_DATA = "bad_data"
    NO_VIDEO = "no_video"
    OTHER = "other"


class Shown(StrEnum):
    """The state a tile and the camera tree show."""

    OFF = "off"
    CONNECTING = "connecting"
    LIVE = "live"
    STALLED = "stalled"
    LOST = "lost"


@dataclass(frozen=True)
class StreamStatus:
    """A snapshot of one stream's health; times are `time.monotonic()` seconds."""

    phase: Phase = Phase.IDLE
    failure: Failure | None = None
    detail: str = ""
    since: float = 0.0  # when the phase began (for LIVE: when the first picture arrived)
    lost_at: float | None = None  # start of the current outage (kept across retries)
    retry_at: float | None = None
    attempts: int = 0
    last_frame_at: float | None = None  # when the newest picture was taken (camera time on our clock)
    frames: int = 0
    auth_failures: int = 0  # wrong credentials, in a row
    path: str = ""  # how packets arrive: "rtp", "ffmpeg"
    fallback: str = ""  # why the FFmpeg path took over from the RTP path (empty when it did not)
    dropped: int = 0  # pictures not shown for a lost packet (dropped up to the next keyframe)

    def shown(self, now: float) -> Shown:
        if self.phase is Phase.IDLE:
            return Shown.OFF
        if self.phase is Phase.WAITING or self.phase is Phase.HALTED:
            return Shown.LOST
        if self.phase is Phase.CONNECTING:
            return Shown.LOST if self.lost_at is not None else Shown.CONNECTING
        return Shown.STALLED if self.frame_age(now) >= STALL_AFTER_S else Shown.LIVE

    def with_picture(self, captured: float) -> StreamStatus:
        """This status as seen by a tile showing a picture taken at `captured`: a live stream is only as fresh
        as the picture on screen (an old picture under a reconnected stream is not "live")."""
        if self.phase is not Phase.LIVE:
            return self
        if self.last_frame_at is not None and self.last_frame_at <= captured:
            return self
        return replace(self, last_frame_at=captured)

    def frame_age(self, now: float) -> float:
        last = self.last_frame_at if self.last_frame_at is not None else self.since
        return max(0.0, now - last)

    def outage(self, now: float) -> float:
        return 0.0 if self.lost_at is None else max(0.0, now - self.lost_at)

    def countdown(self, now: float) -> float | None:
        return None if self.retry_at is None else max(0.0, self.retry_at - now)


def backoff_delay(attempt: int, rng: random.Random | None = None) -> float:
    """Seconds to wait before attempt `attempt` (1-based) after a failure: exponential, capped, jittered.

    The jitter (±20 %) keeps 25 cameras behind one router from all knocking at the same instant.
    """
    base = min(BACKOFF_CAP_S, BACKOFF_FIRST_S * BACKOFF_FACTOR ** max(0, attempt - 1))
    spread = (rng or random).uniform(-BACKOFF_JITTER, BACKOFF_JITTER)
    return min(BACKOFF_CAP_S, base * (1.0 + spread))


@dataclass(frozen=True)
class RetryPlan:
    """What the ingest does after a failed session: wait `delay_s`, or stop trying (`delay_s` is None)."""

    delay_s: float | None
    attempt: int  # failures since the last session that showed a picture
    auth_failures: int  # wrong-credential failures in a row


def plan_retry(failure: Failure, attempt: int, auth_failures: int, rng: random.Random | None = None,
               auth_steps_s: tuple[float, ...] = AUTH_RETRY_S) -> RetryPlan:
    """The next step after a session ended with `failure`.

    `attempt` and `auth_failures` count the failures before this one since the last picture (a session that
    reached live starts both from zero). Wrong credentials wait minutes and stop after `AUTH_MAX_FAILURES`;
    every other failure follows the exponential backoff.
    """
    attempt += 1
    if failure is not Failure.AUTH:
        return RetryPlan(backoff_delay(attempt, rng), attempt, 0)
    auth_failures += 1
    if auth_failures >= AUTH_MAX_FAILURES:
        return RetryPlan(None, attempt, auth_failures)
    step = auth_steps_s[min(auth_failures, len(auth_steps_s)) - 1]
    spread = (rng or random).uniform(-BACKOFF_JITTER, BACKOFF_JITTER)
    return RetryPlan(step * (1.0 + spread), attempt, auth_failures)


class ContentClock:
    """When a packet's picture was taken, on this machine's monotonic clock, from the camera's timestamps.

    Arrival time lies about a picture's age: a stalled link delivers a 5 s old picture in one burst, a trickled
    one keeps delivering pictures that are ever older. The camera's timestamps do not: the smallest
    `arrival - timestamp` seen (the fastest delivery) is the reference, and every picture's capture time is its
    timestamp plus that reference. A timestamp that goes backwards (a camera restarting its clock) starts a new
    reference; a camera clock slower than ours is followed at `CLOCK_CREEP`.
    """

    def __init__(self) -> None:
        self._offset: float | None = None
        self._last_ts: float | None = None
        self._last_arrival = 0.0

    def reset(self) -> None:
        self._offset = self._last_ts = None

    def captured(self, timestamp_s: float | None, arrival: float) -> float:
        if timestamp_s is None:
            return arrival if self._last_ts is None or self._offset is None else self._last_ts + self._offset
        lag = arrival - timestamp_s
        if self._offset is None or self._last_ts is None or timestamp_s < self._last_ts:
            self._offset = lag
        else:
            self._offset = min(lag, self._offset + CLOCK_CREEP * max(0.0, arrival - self._last_arrival))
        self._last_ts, self._last_arrival = timestamp_s, arrival
        return min(arrival, timestamp_s + self._offset)


@dataclass(frozen=True)
class SiteEvent:
    site_id: str
    offline: bool  # True: every camera of the site is down; False: at least one came back


class SiteOutages:
    """Turns per-camera online/offline into one event per whole-site outage and one when it ends."""

    def __init__(self, cameras_by_site: Mapping[str, Iterable[str]]) -> None:
        self._sites = {site: tuple(cams) for site, cams in cameras_by_site.items() if tuple(cams)}
        self._down: set[str] = set()

    def update(self, offline_cameras: set[str]) -> list[SiteEvent]:
        events: list[SiteEvent] = []
        for site, cams in self._sites.items():
            all_down = all(c in offline_cameras for c in cams)
            if all_down and site not in self._down:
                self._down.add(site)
                events.append(SiteEvent(site, offline=True))
            elif not all_down and site in self._down:
                self._down.discard(site)
                events.append(SiteEvent(site, offline=False))
        return events

    def is_down(self, site_id: str) -> bool:
        return site_id in self._down
