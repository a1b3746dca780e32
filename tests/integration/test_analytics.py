"""Analytics on real RTSP streams from the simulator, on the wall's own connections: motion alerts follow
the scripted vehicle crossings (known start and end), with a JPEG snapshot, at a few ms of CPU a picture."""

from __future__ import annotations

import itertools
from collections.abc import Iterator

import pytest

from console.core.alerts import AlertEvent, AlertKind
from console.core.analytics import AnalyticsSettings
from console.core.config import SiteConfig, StreamKind, load_config
from console.core.motion import MotionSettings
from console.media.analytics import AnalyticsWorker
from console.media.pool import StreamPool
from console.simulator.scene import ROAD_ZONE
from console.simulator.server import Simulator, SimulatorOptions
from tests.support.crossings import score_crossings, watch_motion
from tests.support.siteconfig import write_demo_config
from tests.support.waiting import wait_until

LOOP_S = 10.0


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SiteConfig]:
    config = load_config(write_demo_config(tmp_path_factory.mktemp("analytics") / "site.toml", cameras=3))
    with Simulator(config, options=SimulatorOptions(loop_s=LOOP_S)) as sim:
        sim.prepare((StreamKind.SUB,))
        yield config


def test_motion_alerts_follow_scripted_crossings(site: SiteConfig) -> None:
    run = watch_motion(site, warmup_s=7, seconds=2 * LOOP_S + 1)
    starts = [e for e in run.events if e.kind is AlertKind.MOTION and e.phase == "start"]
    assert starts and all(e.snapshot and e.snapshot[:2] == b"\xff\xd8" for e in starts)  # JPEG of the moment
    wanted, found, missed = score_crossings(run, site, LOOP_S)
    assert wanted >= 6 and found == wanted, missed
    assert not [e for e in run.events if e.kind is not AlertKind.MOTION]  # no tamper on a normal scene
    assert run.samples >= 3 * (run.elapsed - 1)  # one keyframe a second from each camera
    assert run.cpu_s / run.samples < 0.02  # s per picture, snapshots included


def test_detection_goes_on_after_a_picture_whose_handling_raises(site: SiteConfig) -> None:
    """An OSError (Pillow's JPEG writer, a full disk) on one camera's picture ended detection for every camera."""
    events: list[AlertEvent] = []

    def submit(event: AlertEvent) -> None:
        if not events:
            events.append(event)
            raise OSError(28, "No space left on device")
        events.append(event)

    settings = AnalyticsSettings(MotionSettings(zones=ROAD_ZONE, cooldown_s=0, end_after_s=1.0))
    worker = AnalyticsWorker(list(site.cameras), {c.id: settings for c in site.cameras}, submit,
                             itertools.count(1).__next__)
    pool = StreamPool(site)
    worker.start()
    try:
        for camera in site.cameras:
            pool.attach(camera.id, StreamKind.SUB, worker.tap(camera.id))
        wait_until(lambda: len(events) >= 4, 3 * LOOP_S)  # alerts after the failing one still come
        assert worker.failures >= 1
        samples = worker.samples
        wait_until(lambda: worker.samples > samples + 3, 10)  # and pictures are still looked at
    finally:
        worker.stop()
        pool.close()
