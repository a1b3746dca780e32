"""Alerts from the live wall's health: camera offline / back, whole site offline / back, frozen picture.

A blip is not an alert: a camera must stay lost (or frozen) for a grace period first. When every camera of
a site is down the site raises one alert and its cameras raise none of their own (one cause, one alert).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from console.core.alerts import AlertEvent, AlertKind, EpisodeTracker
from console.core.health import Shown, SiteOutages


@dataclass(frozen=True)
class HealthAlertSettings:
    offline_grace_ms: int = 10_000
    frozen_grace_ms: int = 5_000
    cooldown_ms: int = 120_000


class HealthAlerts:
    def __init__(self, camera_sites: Mapping[str, str], next_id: Callable[[], int],
                 settings: HealthAlertSettings | None = None) -> None:
        self.settings = settings or HealthAlertSettings()
        self._sites = dict(camera_sites)
        by_site: dict[str, list[str]] = {}
        for camera, site in camera_sites.items():
            by_site.setdefault(site, []).append(camera)
        self._outages = SiteOutages(by_site)
        cooldown = self.settings.cooldown_ms

        def tracker(camera: str | None, site: str, kind: AlertKind) -> EpisodeTracker:
            return EpisodeTracker(camera, site, kind, next_id, end_after_ms=0, cooldown_ms=cooldown,
                                 heartbeat_ms=0)

        self._offline = {c: tracker(c, s, AlertKind.CAMERA_OFFLINE) for c, s in camera_sites.items()}
        self._frozen = {c: tracker(c, s, AlertKind.FROZEN) for c, s in camera_sites.items()}
        self._site = {s: tracker(None, s, AlertKind.SITE_OFFLINE) for s in by_site}
        self._since: dict[tuple[str, Shown], int] = {}  # when a camera entered LOST / STALLED

    def _held(self, camera: str, shown: Shown, state: Shown, now_ms: int, grace_ms: int) -> bool:
        key = (camera, state)
        if shown is not state:
            self._since.pop(key, None)
            return False
        started = self._since.setdefault(key, now_ms)
        return now_ms - started >= grace_ms

    def update(self, now_ms: int, shown: Mapping[str, Shown]) -> list[AlertEvent]:
        """Feed every camera's current state (called on the wall's health tick); returns alert events."""
        events: list[AlertEvent] = []
        lost = {c for c in self._sites if self._held(c, shown.get(c, Shown.OFF), Shown.LOST, now_ms,
                                                          self.settings.offline_grace_ms)}
        self._outages.update(lost)
        for site, site_tracker in self._site.items():
            events += site_tracker.sample(now_ms, self._outages.is_down(site), 1.0)
        for camera, site in self._sites.items():
            if not self._outages.is_down(site):  # while the whole site is down its alert speaks for it
                events += self._offline[camera].sample(now_ms, camera in lost, 1.0)
            frozen = self._held(camera, shown.get(camera, Shown.OFF), Shown.STALLED, now_ms,
                                self.settings.frozen_grace_ms)
            events += self._frozen[camera].sample(now_ms, frozen, 1.0)
        return events
