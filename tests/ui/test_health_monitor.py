"""The health fan-out without a window: per-camera news only when it changed, every state each tick, and a
whole site's outage once when it starts and once when it ends."""

from __future__ import annotations

from console.core.config import load_config
from console.core.health import Phase, Shown, StreamStatus
from console.core.paths import demo_config_path
from console.ui.live.health_monitor import HealthMonitor
from console.ui.live.status_text import StatusText

NOW = 1000.0


def test_news_only_on_change_and_a_site_outage_once(qapp: object) -> None:
    config = load_config(demo_config_path())
    statuses: dict[str, StreamStatus] = {c.id: StreamStatus(Phase.LIVE, since=NOW - 10, last_frame_at=NOW - 0.1)
                                         for c in config.cameras}
    monitor = HealthMonitor(config, statuses.get)
    changed: list[tuple[str, StatusText]] = []
    ticks: list[dict[str, Shown]] = []
    sites: list[tuple[str, bool]] = []
    monitor.camera_changed.connect(lambda camera, text: changed.append((camera, text)))
    monitor.states.connect(ticks.append)
    monitor.site_changed.connect(lambda site, offline: sites.append((site, offline)))

    monitor.tick(NOW)
    assert len(changed) == len(config.cameras) and set(ticks[-1].values()) == {Shown.LIVE}
    changed.clear()
    monitor.tick(NOW + 0.5)
    assert changed == [] and len(ticks) == 2  # nothing new to say, but the states still go out

    s01 = [c.id for c in config.cameras_of("S01")]
    for camera_id in s01:
        statuses[camera_id] = StreamStatus(Phase.WAITING, lost_at=NOW, retry_at=NOW + 5)
    monitor.tick(NOW + 1)
    assert [c for c, _ in changed] == s01 and all(t.shown is Shown.LOST for _, t in changed)
    assert sites == [("S01", True)]
    monitor.tick(NOW + 2)
    assert sites == [("S01", True)]  # one outage, one event
    statuses[s01[0]] = StreamStatus(Phase.LIVE, since=NOW + 2, last_frame_at=NOW + 2.9)
    monitor.tick(NOW + 3)
    assert sites == [("S01", True), ("S01", False)]
