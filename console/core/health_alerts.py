"""Alerts from the live wall's health: camera offline / back, whole site offline / back, every site at once
(the station's link) offline / back, frozen picture.

A blip is not an alert: a camera must stay lost (or frozen) for a grace period first, and at start-up cameras
still connecting are given `startup_grace_ms` before they count as lost. One cause, one alert: when every camera
of a site is down the site raises one alert and its cameras none of their own; when every site is down the
station's link raises one and the sites none. A wider outage that is forming (all of a site's cameras lost, not
all for the grace yet) holds back new narrower alerts, and once it is confirmed the narrower ones still open
end there: the wider alert speaks for them from then on, also while its cameras come back one by one (each
at its own next reconnect attempt, up to `recovery_grace_ms` apart). A camera still lost after that is broken
on its own and raises its own alert.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from console.core.alerts import AlertEvent, AlertKind, EpisodeTracker
from console.core.health import BACKOFF_CAP_S, BACKOFF_JITTER, Shown

STARTUP_GRACE_MS = 60_000  # 25 cameras behind commune links take up to ~40 s to all answer the first time
# After an outage every camera tries again at its own backoff: the last is back within one capped, jittered wait.
RECOVERY_GRACE_MS = int(BACKOFF_CAP_S * (1 + BACKOFF_JITTER) * 1000) + 1000


@dataclass(frozen=True)
class HealthAlertSettings:
    offline_grace_ms: int = 10_000
    frozen_grace_ms: int = 5_000
    cooldown_ms: int = 120_000
    startup_grace_ms: int = STARTUP_GRACE_MS
    recovery_grace_ms: int = RECOVERY_GRACE_MS


def _level(tracker: EpisodeTracker, now_ms: int, down: bool, wider_forming: bool, wider_down: bool) -> list[AlertEvent]:
    """One outage's episode under a wider one (a camera under its site, a site under the link)."""
    if wider_down:
        return tracker.close(now_ms)
    if down and wider_forming and not tracker.is_open():
        return []  # it may be the wider outage: wait for it
    return tracker.sample(now_ms, down, 1.0)


class HealthAlerts:
    def __init__(self, camera_sites: Mapping[str, str], next_id: Callable[[], int],
                 settings: HealthAlertSettings | None = None) -> None:
        self.settings = settings or HealthAlertSettings()
        self._sites = dict(camera_sites)
        by_site: dict[str, list[str]] = {}
        for camera, site in camera_sites.items():
            by_site.setdefault(site, []).append(camera)
        self._by_site = {site: tuple(cameras) for site, cameras in by_site.items()}
        cooldown = self.settings.cooldown_ms

        def tracker(camera: str | None, site: str | None, kind: AlertKind) -> EpisodeTracker:
            return EpisodeTracker(camera, site, kind, next_id, end_after_ms=0, cooldown_ms=cooldown,
                                  heartbeat_ms=0)

        self._offline = {c: tracker(c, s, AlertKind.CAMERA_OFFLINE) for c, s in camera_sites.items()}
        self._frozen = {c: tracker(c, s, AlertKind.FROZEN) for c, s in camera_sites.items()}
        self._site = {s: tracker(None, s, AlertKind.SITE_OFFLINE) for s in by_site}
        # With one site the site's alert is the link's.
        self._network = tracker(None, None, AlertKind.NETWORK_OFFLINE) if len(by_site) > 1 else None
        self._since: dict[tuple[str, Shown], int] = {}  # when a camera entered LOST / STALLED
        self._seen: set[str] = set()  # cameras that have shown a picture since the console started
        self._first_ms: int | None = None
        self._down: set[str | None] = set()  # sites (None: the link) in an outage, until all are back
        self._back_since: dict[str | None, int] = {}  # when the first camera of an outage came back

    def _outage(self, unit: str | None, confirmed: bool, partly: bool, now_ms: int) -> bool:
        """A site's (the link's) outage: from every camera lost past its grace until every camera is back, or
        until `recovery_grace_ms` after the first came back."""
        if confirmed:
            self._down.add(unit)
            self._back_since.pop(unit, None)
            return True
        if unit in self._down and partly and \
                now_ms - self._back_since.setdefault(unit, now_ms) < self.settings.recovery_grace_ms:
            return True
        self._down.discard(unit)
        self._back_since.pop(unit, None)
        return False

    def _held(self, camera: str, shown: Shown, state: Shown, now_ms: int, grace_ms: int) -> bool:
        key = (camera, state)
        if shown is not state:
            self._since.pop(key, None)
            return False
        started = self._since.setdefault(key, now_ms)
        return now_ms - started >= grace_ms

    def starting(self, now_ms: int) -> bool:
        """Still in the start-up grace: cameras that have not answered yet raise nothing."""
        return self._first_ms is None or now_ms - self._first_ms < self.settings.startup_grace_ms

    def update(self, now_ms: int, shown: Mapping[str, Shown]) -> list[AlertEvent]:
        """Feed every camera's current state (called on the wall's health tick); returns alert events."""
        if self._first_ms is None:
            self._first_ms = now_ms
        states = {c: shown.get(c, Shown.OFF) for c in self._sites}
        self._seen |= {c for c, s in states.items() if s in (Shown.LIVE, Shown.STALLED)}
        starting = self.starting(now_ms)
        known = {c for c in self._sites if c in self._seen or not starting}
        held = {c for c in self._sites if self._held(c, states[c], Shown.LOST, now_ms, self.settings.offline_grace_ms)}
        lost = {c for c in known if states[c] is Shown.LOST}
        down = held & known
        events: list[AlertEvent] = []
        link_forming = self._network is not None and lost == set(self._sites)
        link_down = self._network is not None and self._outage(None, link_forming and down == set(self._sites),
                                                                bool(lost), now_ms)
        if self._network is not None:
            events += _level(self._network, now_ms, link_down, False, False)
        for site, cameras in self._by_site.items():
            site_forming = all(c in lost for c in cameras)
            site_down = self._outage(site, all(c in down for c in cameras), any(c in lost for c in cameras), now_ms)
            events += _level(self._site[site], now_ms, site_down, link_forming, link_down)
            for camera in cameras:
                events += _level(self._offline[camera], now_ms, camera in down, site_forming or link_forming,
                                 site_down or link_down)
                frozen = self._held(camera, states[camera], Shown.STALLED, now_ms, self.settings.frozen_grace_ms)
                events += self._frozen[camera].sample(now_ms, frozen, 1.0)
        return events
