"""Motion analytics against the simulator's scripted crossings: run the real worker on a served site's
RTSP streams, then score its alerts against the crossings (the loops' phase is the wall clock)."""

from __future__ import annotations

import itertools
import time
from dataclasses import dataclass, field

from console.core.alerts import AlertEvent, AlertKind
from console.core.analytics import AnalyticsSettings
from console.core.config import SiteConfig, StreamKind
from console.core.motion import MotionSettings
from console.media.analytics import AnalyticsWorker
from console.media.pool import StreamPool
from console.simulator.scene import ROAD_ZONE, motion_script

ROAD = ROAD_ZONE


@dataclass
class MotionRun:
    events: list[AlertEvent] = field(default_factory=list)
    started: float = 0.0
    elapsed: float = 0.0
    cpu_s: float = 0.0
    samples: int = 0


def watch_motion(site: SiteConfig, warmup_s: float, seconds: float) -> MotionRun:
    """Road zones on every camera, episodes ending 1 s after the last movement, no cooldown."""
    run = MotionRun()
    settings = AnalyticsSettings(MotionSettings(zones=ROAD, cooldown_s=0, end_after_s=1.0))
    worker = AnalyticsWorker(list(site.cameras), {c.id: settings for c in site.cameras}, run.events.append,
                             itertools.count(1).__next__)
    pool = StreamPool(site)
    worker.start()
    for camera in site.cameras:
        pool.attach(camera.id, StreamKind.SUB, worker.tap(camera.id))
    time.sleep(warmup_s)  # connect, and the detectors learn the scenes (5 pictures)
    cpu0, samples0, run.started = worker.cpu_s, worker.samples, time.time()
    time.sleep(seconds)
    run.elapsed = time.time() - run.started
    run.cpu_s, run.samples = worker.cpu_s - cpu0, worker.samples - samples0
    worker.stop()
    pool.close()
    return run


def score_crossings(run: MotionRun, site: SiteConfig, loop_s: float) -> tuple[int, int, list[str]]:
    """(crossings inside the window, crossings that started an alert, the missed ones)."""
    starts = [e for e in run.events if e.kind is AlertKind.MOTION and e.phase == "start"]
    wanted = found = 0
    missed = []
    loop0 = run.started - run.started % loop_s
    for camera in site.cameras:
        for k in range(int(run.elapsed // loop_s) + 2):
            for episode in motion_script(loop_s):
                begin, end = loop0 + k * loop_s + episode.start_s, loop0 + k * loop_s + episode.end_s
                if begin < run.started or end > run.started + run.elapsed - 1:
                    continue
                wanted += 1
                hit = any(e.camera_id == camera.id and begin - 1.5 <= e.at_ms / 1000 <= end + 0.5 for e in starts)
                found += hit
                if not hit:
                    missed.append(f"{camera.id} lane {episode.lane} at +{begin - run.started:.1f} s")
    return wanted, found, missed
