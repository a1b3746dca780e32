"""Stream health without threads or Qt: connection states, failure kinds, reconnect backoff, site outages.

The ingest thread reports facts (connecting, opened, failed with a kind, a frame arrived at t); this module
turns them into what the officer sees ("Hình bị đứng" after 2 s without a frame, "Mất kết nối" with the
time lost and a countdown to the next attempt) and into one event when a whole site goes dark.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum

STALL_AFTER_S = 2.0
BACKOFF_FIRST_S = 0.5
BACKOFF_FACTOR = 2.0
BACKOFF_CAP_S = 10.0
BACKOFF_JITTER = 0.2


class Phase(StrEnum):
    """What the ingest thread is doing right now."""

    IDLE = "idle"
    CONNECTING = "connecting"
    LIVE = "live"
    WAITING = "waiting"  # lost, sleeping until the next attempt


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
    since: float = 0.0  # when the phase began (for LIVE: when the stream opened)
    lost_at: float | None = None  # start of the current outage (kept across retries)
    retry_at: float | None = None
    attempts: int = 0
    last_frame_at: float | None = None
    frames: int = 0

    def shown(self, now: float) -> Shown:
        if self.phase is Phase.IDLE:
            return Shown.OFF
        if self.phase is Phase.WAITING:
            return Shown.LOST
        if self.phase is Phase.CONNECTING:
            return Shown.LOST if self.lost_at is not None else Shown.CONNECTING
        return Shown.STALLED if self.frame_age(now) >= STALL_AFTER_S else Shown.LIVE

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
