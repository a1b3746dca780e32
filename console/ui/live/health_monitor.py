"""Every camera's health, once a tick, fanned out to whoever shows it (tree, map, wall, alerts): no widget.

It reads the pool's status of each camera, says it in the officer's words (`status_text.describe`), and emits
what changed; whole-site outages come from `core.health.SiteOutages`.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Signal

from console.core.config import SiteConfig
from console.core.health import Shown, SiteOutages, StreamStatus
from console.ui.live.status_text import StatusText, describe

StatusOf = Callable[[str], StreamStatus | None]


class HealthMonitor(QObject):
    camera_changed = Signal(str, object)  # camera id, StatusText: only when what is said changed
    states = Signal(object)  # {camera id: Shown}, every tick
    site_changed = Signal(str, bool)  # site id, offline (every camera of it lost) or back

    def __init__(self, config: SiteConfig, status_of: StatusOf, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._config = config
        self._status_of = status_of
        self._said: dict[str, StatusText] = {}
        self._outages = SiteOutages({s.id: [c.id for c in config.cameras_of(s.id)] for s in config.sites})

    def tick(self, now: float) -> None:
        shown: dict[str, Shown] = {}
        for camera in self._config.cameras:
            text = describe(self._status_of(camera.id), now)
            shown[camera.id] = text.shown
            if self._said.get(camera.id) != text:
                self._said[camera.id] = text
                self.camera_changed.emit(camera.id, text)
        self.states.emit(shown)
        for event in self._outages.update({c for c, s in shown.items() if s is Shown.LOST}):
            self.site_changed.emit(event.site_id, event.offline)

    def said(self, camera_id: str) -> StatusText | None:
        return self._said.get(camera_id)
