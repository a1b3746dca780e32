"""Analytics on real RTSP streams from the simulator, on the wall's own connections: motion alerts follow
the scripted vehicle crossings (known start and end), with a JPEG snapshot, at a few ms of CPU a picture."""

from __future__ import annotations

import itertools
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from console.core.alerts import AlertEvent, AlertKind
from console.core.analytics import AnalyticsSettings
from console.core.config import SiteConfig, StreamKind, load_config
from console.core.motion import MotionSettings
from console.media.analytics import AnalyticsWorker
from console.media.pool import StreamPool
from console.simulator.scene import motion_script
from console.simulator.server import Simulator, SimulatorOptions
from tests.support.siteconfig import write_demo_config

LOOP_S = 10.0
ROAD = (((0.0, 0.52), (1.0, 0.52), (1.0, 0.86), (0.0, 0.86)),)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SiteConfig]:
    config = load_config(write_demo_config(tmp_path_factory.mktemp("analytics") / "site.toml", cameras=3))
    with Simulator(config, options=SimulatorOptions(loop_s=LOOP_S)) as sim:
        sim.prepare((StreamKind.SUB,))
        yield config


def test_motion_alerts_follow_scripted_crossings(site: SiteConfig, tmp_path: Path) -> None:
    events: list[AlertEvent] = []
    settings = AnalyticsSettings(MotionSettings(zones=ROAD, cooldown_s=0, end_after_s=1.0))
    worker = AnalyticsWorker(list(site.cameras), {c.id: settings for c in site.cameras}, events.append,
                             itertools.count(1).__next__)
    pool = StreamPool(site)
    worker.start()
    for camera in site.cameras:
        pool.attach(camera.id, StreamKind.SUB, worker.tap(camera.id))
    started = time.time()
    time.sleep(2 * LOOP_S + 6)
    elapsed = time.time() - started
    worker.stop()
    pool.close()
    starts = [e for e in events if e.kind is AlertKind.MOTION and e.phase == "start"]
    assert all(e.snapshot and e.snapshot[:2] == b"\xff\xd8" for e in starts)  # JPEG of the moment
    # Every crossing entirely inside the window, after connecting and learning the scene (5 pictures, ~6 s),
    # started an alert.
    wanted = found = 0
    loop0 = started - started % LOOP_S
    for camera in site.cameras:
        for k in range(4):
            for episode in motion_script(LOOP_S):
                begin, end = loop0 + k * LOOP_S + episode.start_s, loop0 + k * LOOP_S + episode.end_s
                if begin < started + 6 or end > started + elapsed - 1:
                    continue
                wanted += 1
                found += any(e.camera_id == camera.id and begin - 1.5 <= e.at_ms / 1000 <= end + 0.5 for e in starts)
    assert wanted >= 6 and found == wanted, (found, wanted, [(e.camera_id, e.phase, e.at_ms % 100_000) for e in events])
    assert not [e for e in events if e.kind is not AlertKind.MOTION]  # no tamper on a normal scene
    assert worker.samples >= 3 * (elapsed - 3)  # one keyframe a second from each camera
    assert worker.cpu_s / worker.samples < 0.02  # ms per picture, snapshots included
