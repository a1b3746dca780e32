"""Memory growth per alert and per camera-server restart: `python -m benchmarks.memory_probe --json OUT`.

The real console in-process — stream pool, analytics, recorder, alert writer and the main window with its
wall, alarm list and map, built as `console.app.show_wall` builds them — against the project's simulator run
in its own process (so its memory is not counted), on a fresh data folder. Three phases, each measured the
same way in the same run:

1. idle: the wall as it is, no faults (the baseline slope);
2. alerts: alerts raised as the analytics raises them — the camera's picture as a 640-px JPEG, written through
   the alert writer, committed, listed with its thumbnail, the tile and the map lit, the map's hover tooltip
   shown for the camera — then ended;
3. restarts: the simulator killed and started again on the same ports; every camera goes lost, the health
   alerts fire (offline after their grace period), every camera comes back and paints again.

For each phase: RSS (VmRSS after a full garbage collection, as the system sees it, and again after
malloc_trim: freed memory the allocator keeps is the difference) before and after, the growth per alert
and per restart (of the untrimmed RSS), and the objects that hold pictures still alive (QImage, QPixmap, PyAV
frames and codec contexts, numpy arrays and their bytes, big byte strings); with `--tracemalloc`, the top
growth sites of the phase.
"""

from __future__ import annotations

import argparse
import contextlib
import ctypes
import gc
import os
import shutil
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

from benchmarks import procstat, report

BIG_BYTES = 64 * 1024  # a byte string this large is a picture (a JPEG snapshot, a packet of a keyframe)
CENSUS_TYPES = (
    "QImage",
    "QPixmap",
    "VideoFrame",
    "VideoImage",
    "VideoCodecContext",
    "VideoReformatter",
    "InputContainer",
    "Feed",
    "FrameView",
    "AlertEvent",
    "ndarray",
)
SIMULATOR_READY_S = 600.0  # the first run encodes every loop (cached on disk afterwards)
LIVE_TIMEOUT_S = 60.0
TOP_SITES = 12


def say(text: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {text}", file=sys.stderr, flush=True)


def rss_mb() -> float:
    return procstat.rss_mb(os.getpid())


def slope(points: list[tuple[float, float]]) -> float:
    """MB per unit of x (0 when there is no slope to take)."""
    return report.slope(points) or 0.0


def trim() -> None:
    """Give freed heap back to the system where glibc can (what is left is held, not fragmentation)."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6").malloc_trim(0)


def census() -> dict[str, Any]:
    """Live objects that can hold pictures, by type, and the bytes numpy arrays and big byte strings hold."""
    gc.collect()
    counts: Counter[str] = Counter()
    array_bytes = big_bytes = big_count = 0
    for obj in gc.get_objects():
        name = type(obj).__name__
        if name in CENSUS_TYPES:
            counts[name] += 1
            if name == "ndarray":
                array_bytes += int(getattr(obj, "nbytes", 0))
    for obj in gc.get_referents(*gc.get_objects()):  # bytes are not tracked by gc: found through their holders
        if isinstance(obj, bytes) and len(obj) >= BIG_BYTES:
            big_count += 1
            big_bytes += len(obj)
    return {
        **{name: counts.get(name, 0) for name in CENSUS_TYPES},
        "ndarray_mb": round(array_bytes / 2**20, 2),
        "big_bytes": big_count,
        "big_bytes_mb": round(big_bytes / 2**20, 2),
    }


def memory() -> dict[str, Any]:
    """RSS as the system sees it, then after handing free heap back (malloc_trim): the first minus the second is
    memory freed but kept by the allocator; the second is what live objects hold."""
    gc.collect()
    raw = rss_mb()
    trim()
    return {"rss_mb": round(raw, 1), "rss_trimmed_mb": round(rss_mb(), 1), **census()}


def top_growth(before: tracemalloc.Snapshot | None, limit: int = TOP_SITES) -> list[dict[str, Any]]:
    if before is None or not tracemalloc.is_tracing():
        return []
    after = tracemalloc.take_snapshot().filter_traces([tracemalloc.Filter(False, tracemalloc.__file__)])
    stats = after.compare_to(before, "traceback")
    sites = []
    for stat in stats[:limit]:
        frames = [f"{f.filename.split('/work/main/')[-1]}:{f.lineno}" for f in stat.traceback[-4:]]
        sites.append(
            {"kb": round(stat.size_diff / 1024, 1), "count": stat.count_diff, "where": " ← ".join(reversed(frames))}
        )
    return sites


class SimulatorRun:
    """The simulator as its own process on the config's ports: started, killed, started again."""

    def __init__(self, config: Path, log: Path) -> None:
        self.config = config
        self.log = log
        self.process: subprocess.Popen[str] | None = None

    def start(self) -> None:
        from console.simulator.__main__ import READY_LINE

        with self.log.open("a") as err:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "console.simulator", "--config", str(self.config), "--loop-s", "4"],
                stdout=subprocess.PIPE,
                stderr=err,
                text=True,
            )
        assert self.process.stdout is not None
        deadline = time.monotonic() + SIMULATOR_READY_S
        for line in self.process.stdout:
            if line.startswith(READY_LINE):
                return
            if time.monotonic() > deadline:
                break
        raise RuntimeError(f"simulator not ready (see {self.log})")

    def stop(self) -> None:
        if self.process is None:
            return
        self.process.kill()  # a camera server that dies, not one that says goodbye
        self.process.wait(10)
        self.process = None


class Console:
    """The console's pieces as `console.app.show_wall` wires them, with the window shown."""

    def __init__(self, config_path: Path, data: Path) -> None:
        from PySide6.QtWidgets import QApplication

        from console.app import ALERT_SNAPSHOTS, start_analytics, start_recording
        from console.core.config import StreamKind, load_config
        from console.media.pool import StreamPool
        from console.store.alerts import AlertStore, AlertWriter
        from console.store.analytics_settings import AnalyticsSettingsStore
        from console.store.database import open_database
        from console.ui.alerts.center import AlertServices
        from console.ui.alerts.panel import CommitBridge
        from console.ui.shell.main_window import MainWindow

        self.app = QApplication.instance() or QApplication([sys.argv[0]])
        self.config = load_config(config_path)
        self.database = open_database(data / "console.db")
        self.bridge = CommitBridge()
        self.committed = 0
        self.bridge.committed.connect(self._count)
        self.writer = AlertWriter(data / "console.db", data / ALERT_SNAPSHOTS, committed=self.bridge.committed.emit)
        self.pool = StreamPool(self.config)
        self.pool.keep([c.id for c in self.config.cameras], StreamKind.SUB)
        settings = AnalyticsSettingsStore(self.database)
        self.analytics = start_analytics(self.config, self.pool, settings, self.writer, demo=True)
        self.recorder = start_recording(self.config, self.pool, self.writer, data)
        services = AlertServices(
            AlertStore(self.database),
            self.writer,
            self.bridge,
            data / ALERT_SNAPSHOTS,
            [],
            None,
            self.analytics,
            settings,
        )
        self.window = MainWindow(
            self.config, demo=True, pool=self.pool, data=data, alerts=services, recordings=data / "recordings"
        )
        self.window.resize(1920, 1040)
        self.window.show()
        center = self.window.alert_center
        assert center is not None
        self.center = center

    def _count(self, ids: list[int]) -> None:
        self.committed += len(ids)

    def pump(self, seconds: float) -> None:
        end = time.monotonic() + seconds
        while True:
            self.app.processEvents()
            if time.monotonic() >= end:
                return
            time.sleep(0.01)

    def wait(self, predicate: Callable[[], bool], timeout_s: float, what: str) -> float:
        started = time.monotonic()
        while not predicate():
            if time.monotonic() - started > timeout_s:
                raise RuntimeError(f"{what}: not within {timeout_s:.0f} s")
            self.pump(0.05)
        return time.monotonic() - started

    def all_painting(self) -> bool:
        tiles = [t for t in self.window.wall.tiles if t.camera_id is not None and t.isVisible()]
        return bool(tiles) and all(t.image is not None and t.frames_shown > 0 for t in tiles)

    def all_live(self) -> bool:
        from console.core.health import Phase

        return all(
            (s := self.pool.camera_status(c.id)) is not None and s.phase is Phase.LIVE for c in self.config.cameras
        )

    def none_live(self) -> bool:
        from console.core.health import Phase

        return all(
            (s := self.pool.camera_status(c.id)) is None or s.phase is not Phase.LIVE for c in self.config.cameras
        )

    def raise_alert(self, camera_id: str) -> None:
        """One alert as the console raises it from a tile, listed, lit, hovered on the map, then ended."""
        from dataclasses import replace

        from console.core.alerts import AlertEvent, AlertKind

        camera = self.config.camera(camera_id)
        before = self.committed
        event = AlertEvent(
            self.writer.next_id(),
            camera.id,
            camera.site_id,
            AlertKind.MOTION,
            int(time.time() * 1000),
            1.0,
            "start",
            snapshot=self.snapshot(camera.id),
        )
        self.writer.submit(event)
        self.wait(lambda: self.committed > before, 10, "alert committed")
        self.hover(camera.id)
        self.pump(0.3)  # the list refreshes (coalesced 250 ms), thumbnails load, tiles blink
        self.writer.submit(replace(event, phase="end", snapshot=None, at_ms=event.at_ms + 300))

    def snapshot(self, camera_id: str) -> bytes | None:
        """The alert's JPEG as the analytics makes it: the camera's picture, SNAPSHOT_WIDTH pixels wide."""
        from PySide6.QtCore import Qt

        from console.media.analytics import SNAPSHOT_WIDTH
        from console.ui.widgets.image_bytes import encoded

        picture = self.window.wall.picture_of(camera_id)
        if picture is None:
            return None
        return encoded(picture.scaledToWidth(SNAPSHOT_WIDTH, Qt.TransformationMode.SmoothTransformation))

    def hover(self, camera_id: str) -> None:
        """The officer rests the mouse on the camera on the map: its tooltip with the latest picture is shown."""
        from PySide6.QtCore import QPoint
        from PySide6.QtWidgets import QToolTip

        view = self.window.map
        QToolTip.showText(view.mapToGlobal(QPoint(40, 40)), view.tooltip(camera_id), view.viewport())
        self.app.processEvents()
        QToolTip.hideText()

    def close(self) -> None:
        from PySide6.QtCore import QCoreApplication, QEvent

        self.window.close()
        self.pool.close()
        self.window.deleteLater()
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete.value)
        self.analytics.stop()
        self.recorder.close()
        self.writer.close()
        self.database.close()


def phase_idle(console: Console, seconds: float, snapshot: tracemalloc.Snapshot | None) -> dict[str, Any]:
    start, started = memory(), time.monotonic()
    points = [(0.0, start["rss_mb"])]
    while time.monotonic() - started < seconds:
        console.pump(min(10.0, seconds))
        gc.collect()
        points.append((time.monotonic() - started, rss_mb()))
    end = memory()
    return {
        "seconds": round(time.monotonic() - started, 1),
        "start": start,
        "end": end,
        "mb_per_h": round(slope(points) * 3600, 1),
        "growth": top_growth(snapshot),
    }


def phase_alerts(console: Console, count: int, snapshot: tracemalloc.Snapshot | None) -> dict[str, Any]:
    cameras = [t.camera_id for t in console.window.wall.tiles if t.camera_id is not None]
    start, started = memory(), time.monotonic()
    points = [(0.0, start["rss_mb"])]
    for i in range(count):
        console.raise_alert(cameras[i % len(cameras)])
        if (i + 1) % 10 == 0:
            gc.collect()
            points.append((i + 1.0, rss_mb()))
    console.pump(1.0)
    end = memory()
    seconds = time.monotonic() - started
    per_alert = slope(points)
    return {
        "alerts": count,
        "seconds": round(seconds, 1),
        "start": start,
        "end": end,
        "mb_per_alert": round(per_alert, 3),
        "mb_per_h_at_this_rate": round(per_alert * count / seconds * 3600, 1),
        "growth": top_growth(snapshot),
    }


def phase_restarts(
    console: Console, simulator: SimulatorRun, count: int, down_s: float, snapshot: tracemalloc.Snapshot | None
) -> dict[str, Any]:
    start, started = memory(), time.monotonic()
    points = [(0.0, start["rss_mb"])]
    alerts_before = console.committed
    outages = []
    for i in range(count):
        simulator.stop()
        console.wait(console.none_live, LIVE_TIMEOUT_S, "every camera lost")
        console.pump(down_s)  # long enough for the health alerts' grace period
        simulator.start()
        outages.append(
            round(
                console.wait(
                    lambda: console.all_live() and console.all_painting(), LIVE_TIMEOUT_S, "every camera back"
                ),
                1,
            )
        )
        console.pump(2.0)
        gc.collect()
        points.append((i + 1.0, rss_mb()))
        say(f"restart {i + 1}: back after {outages[-1]} s, {points[-1][1]:.1f} MB")
    end = memory()
    seconds = time.monotonic() - started
    per_restart = slope(points)
    from console.media.heap import HEAP

    return {
        "restarts": count,
        "down_s": down_s,
        "seconds": round(seconds, 1),
        "back_after_s": outages,
        "heap_releases": HEAP.releases,
        "last_heap_release_ms": round(HEAP.last_release_ms, 1),
        "alerts_committed": console.committed - alerts_before,
        "start": start,
        "end": end,
        "mb_per_restart": round(per_restart, 3),
        "mb_per_h_one_restart_a_minute": round(per_restart * 60, 1),
        "growth": top_growth(snapshot),
    }


def log_to_file(path: Path) -> None:
    """The console's log in the probe's data folder (the terminal keeps the probe's progress and table)."""
    import logging

    from console.core.redact import RedactingFilter

    path.parent.mkdir(parents=True, exist_ok=True)
    handler = logging.FileHandler(path, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(RedactingFilter())
    logging.getLogger().addHandler(handler)
    logging.getLogger().setLevel(logging.INFO)


def run(args: argparse.Namespace) -> dict[str, Any]:
    from tests.support.siteconfig import write_demo_config

    folder = Path(tempfile.mkdtemp(prefix="memory-probe-"))
    data = folder / "data"
    os.environ["CAMERA_CONSOLE_DATA"] = str(data)
    log_to_file(data / "logs" / "console.log")
    config_path = write_demo_config(folder / "site.toml", cameras=args.cameras)
    simulator = SimulatorRun(config_path, folder / "simulator.log")
    simulator.start()
    console = Console(config_path, data)
    result: dict[str, Any] = {"cameras": args.cameras, "layout": args.layout, "python": sys.version.split()[0]}
    try:
        if args.layout:
            console.window.wall.set_layout(args.layout)
        console.wait(lambda: console.all_live() and console.all_painting(), LIVE_TIMEOUT_S, "first pictures")
        console.pump(args.settle_s)
        result["warm"] = memory()
        say(f"warm: {result['warm']['rss_mb']} MB")
        if args.tracemalloc:
            tracemalloc.start(12)

        def mark() -> tracemalloc.Snapshot | None:
            return tracemalloc.take_snapshot() if args.tracemalloc else None

        result["idle"] = phase_idle(console, args.idle_s, mark())
        say(f"idle: {result['idle']['mb_per_h']} MB/h")
        result["alerts"] = phase_alerts(console, args.alerts, mark())
        say(f"alerts: {result['alerts']['mb_per_alert']} MB/alert")
        result["restarts"] = phase_restarts(console, simulator, args.restarts, args.down_s, mark())
        say(f"restarts: {result['restarts']['mb_per_restart']} MB/restart")
    finally:
        console.close()
        simulator.stop()
        if not args.keep:
            shutil.rmtree(folder, ignore_errors=True)
        else:
            say(f"data folder and logs kept in {folder}")
    return result


def table(result: dict[str, Any]) -> str:
    lines = [f"{'phase':<10}{'RSS start':>11}{'RSS end':>10}  growth", "-" * 60]
    idle, alerts, restarts = result["idle"], result["alerts"], result["restarts"]
    lines.append(f"{'idle':<10}{idle['start']['rss_mb']:>11}{idle['end']['rss_mb']:>10}  {idle['mb_per_h']} MB/h")
    lines.append(
        f"{'alerts':<10}{alerts['start']['rss_mb']:>11}{alerts['end']['rss_mb']:>10}  {alerts['mb_per_alert']} MB/alert"
    )
    lines.append(
        f"{'restarts':<10}{restarts['start']['rss_mb']:>11}{restarts['end']['rss_mb']:>10}  "
        f"{restarts['mb_per_restart']} MB/restart ({restarts['mb_per_h_one_restart_a_minute']} MB/h at 1/min)"
    )
    for name in ("alerts", "restarts"):
        phase = result[name]
        changed = {
            k: (phase["start"][k], phase["end"][k]) for k in phase["start"] if phase["start"][k] != phase["end"][k]
        }
        lines.append(f"{name} objects: " + ", ".join(f"{k} {a}→{b}" for k, (a, b) in changed.items()))
        for site in phase["growth"][:6]:
            lines.append(f"  {site['kb']:>9} KB {site['count']:>6}  {site['where']}")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--json", type=Path, default=None)
    parser.add_argument("--cameras", type=int, default=25)
    parser.add_argument("--alerts", type=int, default=200)
    parser.add_argument("--restarts", type=int, default=10)
    parser.add_argument("--down-s", type=float, default=12.0, help="outage after every camera is lost")
    parser.add_argument("--idle-s", type=float, default=60.0)
    parser.add_argument("--settle-s", type=float, default=10.0)
    parser.add_argument("--layout", default=None, help="wall layout, e.g. 3x3 (default: every camera on one page)")
    parser.add_argument("--keep", action="store_true", help="keep the probe's data folder and logs")
    parser.add_argument("--tracemalloc", action="store_true", help="top growth sites (slows Python a little)")
    args = parser.parse_args()
    result = run(args)
    report.write_result(result, args.json, table(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
