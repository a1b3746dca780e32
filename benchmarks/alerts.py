"""Alert log and analytics benchmark: `python -m benchmarks.alerts --json OUT [--rows N] [--quick]`.

1. Insert `rows` alerts (a year of 25 cameras) through the console's batching writer; baseline in the same
   run: plain sqlite3 executemany of the same rows into an unindexed table (insert_ratio = ours / baseline).
2. Time the alarm list's queries on that file: the default list (24 h, new first) and every single filter.
3. CSV export of the whole log from the alarm list (its worker) while the GUI thread's waits are watched.
4. Burst: 1,000 alerts/s for 10 s from 25 cameras while the real alarm list (Qt, offscreen) refreshes on
   every commit; counts what was stored and the longest the GUI thread was blocked.
5. Motion: the simulator's 25 cameras over RTSP for `--motion-s` seconds through the real analytics worker,
   recall against the scripted crossings (the loops' phase is the wall clock) and the worker's CPU.
6. False alerts: a static road scene with sensor noise and slow brightness drift, one picture a second per
   camera for a simulated hour each, through the same detectors and episode rules.
"""

from __future__ import annotations

import argparse
import itertools
import os
import random
import sqlite3
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image

from benchmarks.report import write_result
from console.core.alerts import AlertEvent, AlertKind, AlertState, EpisodeTracker, Priority
from console.core.config import SiteConfig, StreamKind, load_config
from console.core.motion import MotionDetector, MotionSettings
from console.core.tamper import TamperDetector
from console.core.vntime import now_ms
from console.store.alerts import DAY_MS, AlertQuery, AlertStore, AlertWriter
from console.store.database import open_database
from tests.support.crossings import ROAD

MANUAL_SHARE = 0.01
NOTES = ("Đã cử tổ tuần tra đến kiểm tra", "Xe máy dừng lâu trước cổng trường", "Camera bị che bằng túi nilon",
         "Báo động nhầm do cây đung đưa", "Người lạ đi vào ngõ lúc nửa đêm", "Xe tải chở vật liệu đi qua")


def _rows(count: int, cameras: list[tuple[str, str]], seed: int = 1) -> list[tuple[Any, ...]]:
    rng = random.Random(seed)
    end = now_ms()
    kinds = list(AlertKind)
    rows = []
    for i in range(count):
        camera, site = cameras[rng.randrange(len(cameras))]
        started = end - int(365 * DAY_MS * (1 - i / count)) + rng.randrange(1000)
        note = rng.choice(NOTES) if rng.random() < MANUAL_SHARE else None  # manual incidents come with a note
        rows.append((i + 1, camera, site, rng.choice(kinds), started, note))
    return rows


def insert_through_writer(path: Path, rows: list[tuple[Any, ...]]) -> float:
    done = threading.Event()
    writer = AlertWriter(path, path.parent / "snapshots", committed=None)
    started = time.perf_counter()
    for alert_id, camera, site, kind, at, note in rows:
        writer.submit(AlertEvent(alert_id, camera, site, kind, at, 0.5, "start", note=note))
    from console.store.alerts import Transition

    writer.submit(Transition(0, AlertState.CLOSED, "-", "", lambda _e: done.set()))
    done.wait(600)
    elapsed = time.perf_counter() - started
    writer.close()
    return len(rows) / elapsed


def insert_baseline(path: Path, rows: list[tuple[Any, ...]]) -> float:
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("CREATE TABLE plain (id INTEGER PRIMARY KEY, camera TEXT, site TEXT, kind TEXT, started INTEGER, "
                 "note TEXT)")
    started = time.perf_counter()
    for chunk in range(0, len(rows), 2000):
        with conn:
            conn.executemany("INSERT INTO plain VALUES (?, ?, ?, ?, ?, ?)",
                             [(r[0], r[1], r[2], str(r[3]), r[4], r[5]) for r in rows[chunk:chunk + 2000]])
    elapsed = time.perf_counter() - started
    conn.close()
    return len(rows) / elapsed


def age_states(path: Path) -> None:
    """Older alerts were handled: acknowledged (with a note, as the workflow requires) a day later, closed after
    two. Set directly, not measured: notes written with the full-text triggers off, the index rebuilt once."""
    db = open_database(path)
    triggers = [row[0] for row in db.execute("SELECT sql FROM sqlite_master WHERE type = 'trigger' "
                                              "AND tbl_name = 'alerts'")]
    cutoff_closed, cutoff_acked = now_ms() - 2 * DAY_MS, now_ms() - DAY_MS // 2
    note_case = "CASE id % 6 " + " ".join(f"WHEN {i} THEN '{n}'" for i, n in enumerate(NOTES)) + " END"
    with db.conn:
        for name in [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")]:
            db.execute(f"DROP TRIGGER {name}")
        note = f"CASE WHEN note = '' THEN {note_case} ELSE note || char(10) || {note_case} END"
        db.execute(f"UPDATE alerts SET state = 'closed', acked_by = 'trucban1', closed_by = 'trucban1', "
                   f"note = {note} WHERE started_ms < ?", [cutoff_closed])
        db.execute(f"UPDATE alerts SET state = 'acknowledged', acked_by = 'trucban1', note = {note} "
                   "WHERE started_ms >= ? AND started_ms < ?", [cutoff_closed, cutoff_acked])
        db.execute("INSERT INTO alerts_fts (alerts_fts) VALUES ('rebuild')")
        for sql in triggers:
            db.execute(sql)
    db.execute("ANALYZE")
    db.close()


def time_queries(path: Path, runs: int = 5) -> dict[str, float]:
    store = AlertStore(open_database(path))
    day = AlertQuery.last_day()
    queries = {
        "default_24h": day, "camera": AlertQuery(camera_id="C07"), "site": AlertQuery(site_id="S05"),
        "kind": AlertQuery(kind=AlertKind.TAMPER_MOVED), "state_new": AlertQuery(state=AlertState.NEW),
        "state_closed": AlertQuery(state=AlertState.CLOSED), "priority": AlertQuery(priority=Priority.HIGH),
        "text": AlertQuery(text="tuan tra"), "range_7d": AlertQuery(since_ms=now_ms() - 7 * DAY_MS),
        "range_march": AlertQuery(since_ms=now_ms() - 260 * DAY_MS, until_ms=now_ms() - 230 * DAY_MS),
    }
    result = {}
    for name, query in queries.items():
        times = []
        for _ in range(runs):
            started = time.perf_counter()
            store.query(query)
            times.append((time.perf_counter() - started) * 1000)
        result[name] = round(max(times), 2)
    return result


def burst(path: Path, config: SiteConfig, rate: int = 1000, seconds: float = 10.0) -> dict[str, Any]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from console.app import GIL_SWITCH_INTERVAL_S
    from console.ui.alerts.panel import AlertPanel, CommitBridge
    from console.ui.shell.bench_report import EventLoopWatch

    sys.setswitchinterval(GIL_SWITCH_INTERVAL_S)  # as the console runs
    app = QApplication.instance() or QApplication(sys.argv[:1])
    bridge = CommitBridge()
    writer = AlertWriter(path, path.parent / "snapshots", committed=bridge.committed.emit)
    database = open_database(path)
    store = AlertStore(database)
    panel = AlertPanel(config, store, writer, bridge, path.parent / "snapshots", [])
    panel.resize(1400, 600)
    panel.show()
    watch = EventLoopWatch()
    refreshes = [0]
    bridge.committed.connect(lambda _ids: refreshes.__setitem__(0, refreshes[0] + 1))
    before = store.max_id()
    cameras = [(c.id, c.site_id) for c in config.cameras]
    sent = [0]
    stop = threading.Event()

    def produce() -> None:
        started = time.perf_counter()
        total = int(rate * seconds)
        for i in range(total):
            camera, site = cameras[i % len(cameras)]
            writer.submit(AlertEvent(writer.next_id(), camera, site, AlertKind.MOTION, now_ms(), 0.6, "start"))
            sent[0] += 1
            ahead = (i + 1) / rate - (time.perf_counter() - started)
            if ahead > 0:
                time.sleep(ahead)
        stop.set()

    producer = threading.Thread(target=produce)
    QTimer.singleShot(200, lambda: (watch.reset(), producer.start()))
    while not stop.is_set() or producer.is_alive():
        app.processEvents()
        time.sleep(0.002)
    deadline = time.monotonic() + 10
    while store.max_id() < before + sent[0] and time.monotonic() < deadline:
        app.processEvents()
        time.sleep(0.01)
    for _ in range(50):  # the panel's last coalesced refresh
        app.processEvents()
        time.sleep(0.01)
    stored = int(database.execute("SELECT count(*) FROM alerts WHERE id > ?", [before]).fetchone()[0])
    result = {"burst_sent": sent[0], "burst_stored": stored, "gui_block_max_ms": round(watch.max_block_ms, 1),
              "burst_batches": writer.batches, "list_rows_shown": panel.model.rowCount()}
    writer.close()
    panel.close()
    database.close()
    return result


def motion_live(config: SiteConfig, seconds: float, loop_s: float) -> dict[str, Any]:
    from console.simulator.server import Simulator, SimulatorOptions
    from tests.support.crossings import score_crossings, watch_motion

    with Simulator(config, options=SimulatorOptions(loop_s=loop_s)) as sim:
        sim.prepare((StreamKind.SUB,))
        run = watch_motion(config, warmup_s=10, seconds=seconds)
    wanted, found, missed = score_crossings(run, config, loop_s)
    return {"motion_episodes": wanted, "motion_detected": found, "motion_missed": missed[:20],
            "motion_recall": round(found / wanted, 4) if wanted else None,
            "analytics_cpu_cores": round(run.cpu_s / run.elapsed, 4),
            "analytics_pictures_per_s": round(run.samples / run.elapsed, 1),
            "analytics_ms_per_picture": round(1000 * run.cpu_s / max(1, run.samples), 2)}


def false_alerts(config: SiteConfig, hours: float) -> dict[str, Any]:
    from console.simulator.scene import SceneRenderer

    rng = np.random.default_rng(3)
    counter = itertools.count(1).__next__
    alerts = 0
    for camera in config.cameras:
        renderer = SceneRenderer(camera.name, camera.site_id, 640, 360, 15, 30.0)
        base = np.asarray(Image.fromarray(renderer.frame(0)[0]).resize((96, 54), Image.Resampling.BILINEAR),
                          dtype=np.float32)
        motion = MotionDetector(MotionSettings(zones=ROAD))
        tamper = TamperDetector()
        trackers = {k: EpisodeTracker(camera.id, camera.site_id, k, counter) for k in AlertKind}
        for second in range(int(hours * 3600)):
            drift = 15 * np.sin(second / 600) + (8 if rng.random() < 0.01 else 0)  # clouds; a headlight flash
            noise = rng.standard_normal(base.shape, dtype=np.float32) * 3
            luma = np.clip(base + drift + noise, 0, 255).astype(np.uint8)
            score = motion.sample(luma)
            at = second * 1000
            moved = trackers[AlertKind.MOTION].sample(at, motion.active(score), score)
            alerts += sum(e.phase == "start" for e in moved)
            for kind, value in tamper.sample(luma).items():
                alerts += sum(e.phase == "start" for e in trackers[kind].sample(at, True, value))
    return {"false_alerts_per_cam_hour": round(alerts / (len(config.cameras) * hours), 3),
            "static_hours_per_camera": hours}


def csv_export(path: Path, config: SiteConfig) -> dict[str, Any]:
    """The whole log (the `rows` inserted above) to CSV from the real alarm list, on its worker, while the GUI
    thread's longest wait is watched (the baseline: the same watch over the same time with nothing running)."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from console.app import GIL_SWITCH_INTERVAL_S
    from console.ui.alerts.panel import AlertPanel, CommitBridge
    from console.ui.shell.bench_report import EventLoopWatch

    sys.setswitchinterval(GIL_SWITCH_INTERVAL_S)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    database = open_database(path)
    panel = AlertPanel(config, AlertStore(database), AlertWriter(path, path.parent / "snapshots"), CommitBridge(),
                       path.parent / "snapshots", [])
    panel.period.setCurrentIndex(panel.period.findData(0))  # everything

    def watched(seconds: float, until: Any = None) -> float:
        watch = EventLoopWatch()
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline and not (until and until()):
            app.processEvents()
            time.sleep(0.002)
        return float(watch.max_block_ms)

    outcome: list[object] = []
    started = time.perf_counter()
    export = panel.start_csv_export(path.parent / "export.csv")
    export.finished.connect(outcome.append)
    during = watched(600, lambda: bool(outcome))
    elapsed = time.perf_counter() - started
    idle = watched(min(elapsed, 10.0))
    rows = outcome[0] if outcome and isinstance(outcome[0], int) else 0
    panel.close()
    database.close()
    return {"csv_export_rows": rows, "csv_export_rows_per_s": round(rows / elapsed),
            "csv_export_gui_block_max_ms": round(during, 1), "csv_idle_gui_block_max_ms": round(idle, 1)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.alerts", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--json", type=Path, required=True)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--motion-s", type=float, default=60.0)
    parser.add_argument("--static-hours", type=float, default=1.0)
    parser.add_argument("--burst-rate", type=int, default=1000)
    parser.add_argument("--burst-s", type=float, default=10.0)
    parser.add_argument("--cameras", type=int, default=None, help="only the first N demo cameras (smoke test)")
    args = parser.parse_args(argv)
    from tests.support.siteconfig import write_demo_config

    with tempfile.TemporaryDirectory(prefix="alerts-bench-") as folder:
        root = Path(folder)
        config = load_config(write_demo_config(root / "site.toml", cameras=args.cameras))
        cameras = [(c.id, c.site_id) for c in config.cameras]
        rows = _rows(args.rows, cameras)
        db_path = root / "console.db"
        open_database(db_path).close()
        result: dict[str, Any] = {"rows": args.rows, "cameras": len(config.cameras)}
        result["insert_per_s"] = round(insert_through_writer(db_path, rows))
        result["baseline_insert_per_s"] = round(insert_baseline(root / "baseline.db", rows))
        result["insert_ratio"] = round(result["insert_per_s"] / result["baseline_insert_per_s"], 3)
        age_states(db_path)
        result["query_ms"] = time_queries(db_path)
        result["query_ms_max"] = max(result["query_ms"].values())
        result["query_ms_median"] = round(statistics.median(result["query_ms"].values()), 2)
        result.update(burst(db_path, config, args.burst_rate, args.burst_s))
        result.update(csv_export(db_path, config))
        result.update(motion_live(config, args.motion_s, loop_s=20.0))
        result.update(false_alerts(config, args.static_hours))
    write_result(result, args.json)
    return 0


if __name__ == "__main__":
    sys.exit(main())
