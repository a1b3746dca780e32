"""Soak: the real console for M minutes against the simulator while faults cycle.

    python -m benchmarks.soak --minutes M --json OUT        (default 30 minutes)

The console is the one `camera-console` starts (`console.app.run`: full screen, 25 tiles of the demo commune,
recording and the demo's motion analytics on, a fresh data folder), in this process so every figure is read
from it directly; the cameras are the project's simulator in its own process (benchmarks/fault_cameras.py), as
the demo runs them. While it runs (benchmarks/soak_plan.py): cameras restart one after another (every camera at
least 4 times), one stalls and one answers garbage every minute, a whole site is cut for 30 s every ten
minutes, the wall's layout is changed and a playback window opened and closed every minute. The last 30 s are
quiet; the end figures are taken then.

Measured (benchmarks/soak_watch.py): per fault, the time from the camera being up again (and its tile on screen)
to a new picture on its tile; tiles still frozen at the end; resident memory every 5 s and its slope after the
first minutes; open files, threads, SQLite connections and libVLC media at the start and at the end; the longest
GUI-thread block; alerts the console raised against alerts in its database after it closed. Prints a table and
writes JSON; asserts nothing (the suite's smoke test checks the targets).
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from benchmarks.fault_cameras import FaultCameras
from benchmarks.report import percentile, slope, write_result
from benchmarks.soak_plan import SETTLE_S, Action, plan, restart_interval_s, slope_from_min
from benchmarks.soak_watch import FROZEN_AFTER_S, Episode, ProcessFigures, SoakRecord, SoakWatch
from tests.support.siteconfig import write_demo_config

CAMERAS = 25
BACK_DEADLINE_S = 30.0  # a tile not showing a new picture this long after its camera is up is not back
WITHIN = 0.05  # files and threads at the end within 5 % of the start
CRASH_TRACE_LINES = 60
CONTRACT_KEYS = ("minutes", "restarts", "tiles_back_after_restart_p95_s", "tiles_not_back", "frozen_tiles_end",
                 "rss_mb_start", "rss_mb_end", "rss_slope_mb_per_h", "fds_start", "fds_end", "threads_start",
                 "threads_end", "vlc_media_alive_end", "sqlite_connections_end", "alerts_lost", "gui_block_max_ms")
OFFICER_BLOCK_S = 1.5  # a GUI block this soon after a layout change or a playback window is put down to it


def seed_analytics(data: Path) -> None:
    """The demo's motion zones on the demo's cameras, as `--demo` sets them (this run has its own cameras)."""
    from console.app import DEMO_ANALYTICS, DEMO_MOTION_CAMERAS
    from console.store.analytics_settings import AnalyticsSettingsStore
    from console.store.database import open_database

    database = open_database(data / "console.db")
    try:
        store = AnalyticsSettingsStore(database)
        for camera_id in DEMO_MOTION_CAMERAS:
            store.save(camera_id, DEMO_ANALYTICS)
    finally:
        database.close()


def run_console(config_path: Path, cameras: FaultCameras, minutes: float, seed: int,
                trace: bool) -> tuple[SoakRecord, int]:
    from benchmarks.login import log_in_window
    from console.app import LaunchOptions, Probe, run
    from console.core.config import load_config

    record = SoakRecord(minutes)
    rng = random.Random(seed)
    steps = plan(minutes, len(load_config(config_path).cameras), rng)

    def attach(window: Any, writer: Any, recorder: Any) -> SoakWatch:
        log_in_window(window)  # the officer at the desk: the soak's gestures are an officer's
        writer.listeners.append(record.alert_raised)
        return SoakWatch(window, recorder, cameras, steps, record, rng,
                         slope_from_min(minutes) * 60 if trace else None)

    probe: Probe = attach
    options = LaunchOptions(demo=False, config=config_path, lang="vi", fullscreen=True)
    code = run(options, [sys.argv[0]], probe=probe)
    return record, code


def stored_alerts(database: Path) -> dict[int, str]:
    """Every alert in the console's database after it closed: id → kind."""
    with sqlite3.connect(f"file:{database}?mode=ro", uri=True) as conn:
        return dict(conn.execute("SELECT id, kind FROM alerts").fetchall())


def slope_per_h(points: list[tuple[float, float]]) -> float | None:
    """Least-squares slope of (seconds, MB) points, in MB per hour (None with fewer than 3 samples)."""
    per_s = slope(points) if len(points) >= 3 else None
    return None if per_s is None else round(per_s * 3600, 1)


def back_figures(episodes: list[Episode]) -> dict[str, Any]:
    """Per kind of fault: how many, p50/p95/max of the time back, and those not back within the deadline."""
    figures: dict[str, Any] = {}
    for kind in (Action.RESTART, Action.STALL, Action.GARBAGE, Action.SITE_CUT):
        mine = [e for e in episodes if e.kind is kind]
        times = [s for e in mine if (s := e.back_s()) is not None]
        late = [e.camera for e in mine if e.back_s() is None or (e.back_s() or 0.0) > BACK_DEADLINE_S]
        figures[kind.value] = {"count": len(mine), "back_p50_s": percentile(times, 0.5),
                               "back_p95_s": percentile(times, 0.95), "back_max_s": percentile(times, 1.0),
                               "not_back": late}
    return figures


def officer_blocks(record: SoakRecord) -> dict[str, float]:
    """The longest GUI block in the seconds just after each kind of officer action, and in all other seconds."""
    longest: dict[str, float] = {}
    for at, block in record.blocks_ms:
        near = [what.split()[0] + " " + what.split()[1] for t, what in record.officer
                if 0 <= at - t <= OFFICER_BLOCK_S]
        for name in near or ["no layout change or playback"]:
            longest[name] = max(longest.get(name, 0.0), block)
    return longest


def within(start: int, end: int) -> bool:
    return abs(end - start) <= WITHIN * start


def summarize(record: SoakRecord, stored: dict[int, str], console_exit: int) -> dict[str, Any]:
    start = record.start or ProcessFigures(0.0, 0, 0, 0, 0)
    end = record.end or ProcessFigures(0.0, 0, 0, 0, 0)
    from_min = slope_from_min(record.minutes)
    blocks = [b for _, b in record.blocks_ms]
    back = back_figures(record.episodes)
    restarts = [e for e in record.episodes if e.kind is Action.RESTART]
    per_camera = [sum(1 for e in restarts if e.camera == c) for c in {e.camera for e in record.episodes}]
    kinds: dict[str, int] = {}
    for kind in stored.values():
        kinds[kind] = kinds.get(kind, 0) + 1
    lost = sorted(record.raised - stored.keys())
    return {
        "minutes": record.minutes,
        "restarts": len(restarts),
        "tiles_back_after_restart_p95_s": back["restart"]["back_p95_s"],
        "tiles_not_back": sum(len(f["not_back"]) for f in back.values()),
        "frozen_tiles_end": len(record.frozen_end),
        "rss_mb_start": start.rss_mb,
        "rss_mb_end": end.rss_mb,
        "rss_slope_mb_per_h": slope_per_h([p for p in record.rss if p[0] >= from_min * 60]),
        "fds_start": start.fds,
        "fds_end": end.fds,
        "threads_start": start.threads,
        "threads_end": end.threads,
        "vlc_media_alive_end": end.vlc_media_alive,
        "sqlite_connections_end": end.sqlite_connections,
        "alerts_lost": len(lost),
        "gui_block_max_ms": max(blocks, default=None),
        # --- beyond the contract
        "rss_slope_from_min": from_min,
        "tiles_back_measured_from": "the camera answering again and its tile on screen (a restart's outage, "
                                    "drawn from 1-4 s, is not included)",
        "tiles_back_deadline_s": BACK_DEADLINE_S,
        "frozen_after_s": FROZEN_AFTER_S,
        "restarts_per_camera_min": min(per_camera, default=0),
        "restart_every_s": round(restart_interval_s(record.minutes * 60 - SETTLE_S, CAMERAS), 2),
        "faults": back,
        "frozen_cameras_end": record.frozen_end,
        "tiles_end": record.tiles_end,
        "actions": dict(record.actions),
        "faults_skipped_no_idle_camera": dict(record.skipped),
        "fds_within_5pct": within(start.fds, end.fds),
        "threads_within_5pct": within(start.threads, end.threads),
        "sqlite_connections_start": start.sqlite_connections,
        "vlc_media_alive_start": start.vlc_media_alive,
        "alerts_raised": len(record.raised),
        "alerts_stored": len(stored),
        "alerts_stored_by_kind": kinds,
        "alerts_lost_ids": lost[:50],
        "gui_block_p99_ms": percentile(blocks, 0.99),
        "gui_block_p50_ms": percentile(blocks, 0.5),
        "gui_block_seconds_over_100ms": sum(1 for b in blocks if b > 100),
        "gui_block_max_ms_after": officer_blocks(record),
        "gc_pause_max_ms": max(record.gc_ms, default=None),
        "cpu_cores": record.cpu_cores,
        "threads_by_name_start": start.thread_names,
        "threads_by_name_end": end.thread_names,
        "rss_growth_sites": record.growth,
        "rss_samples": record.rss,
        "recorder_queue_mb_max": max((mb for _, mb in record.recorder_queue), default=None),
        "recorder_queue_mb_end": record.recorder_queue[-1][1] if record.recorder_queue else None,
        "recorder_queue_samples": record.recorder_queue,
        "heap_samples": record.heap,  # where the RSS is: anon/file/shmem, glibc in use/free/mmapped, Python blocks
        "warm_up_s": record.warm_s,
        "console_exit_code": console_exit,
        "error": record.error,
    }


def table(result: dict[str, Any]) -> str:
    rows = [("minutes", result["minutes"]), ("restarts (min per camera)",
                                              f"{result['restarts']} ({result['restarts_per_camera_min']})")]
    for kind, figures in result["faults"].items():
        rows.append((f"{kind}: back p50/p95/max s", f"{figures['back_p50_s']} / {figures['back_p95_s']} / "
                     f"{figures['back_max_s']}  ({figures['count']}, not back {len(figures['not_back'])})"))
    rows += [("tiles not back / frozen at end", f"{result['tiles_not_back']} / {result['frozen_tiles_end']}"),
             ("RSS MB start → end", f"{result['rss_mb_start']} → {result['rss_mb_end']}"),
             (f"RSS slope MB/h (from min {result['rss_slope_from_min']:g})", result["rss_slope_mb_per_h"]),
             ("FDs start → end", f"{result['fds_start']} → {result['fds_end']}"),
             ("threads start → end", f"{result['threads_start']} → {result['threads_end']}"),
             ("SQLite connections / libVLC media at end",
              f"{result['sqlite_connections_end']} / {result['vlc_media_alive_end']}"),
             ("alerts raised / stored / lost",
              f"{result['alerts_raised']} / {result['alerts_stored']} / {result['alerts_lost']}"),
             ("GUI block max / p99 of per-second max ms", f"{result['gui_block_max_ms']} / "
                                                          f"{result['gui_block_p99_ms']}"),
             ("recorder queue MB max / end", f"{result['recorder_queue_mb_max']} / "
                                            f"{result['recorder_queue_mb_end']}"),
             ("console CPU cores / longest GC ms", f"{result['cpu_cores']} / {result['gc_pause_max_ms']}")]
    if result["error"]:
        rows.append(("error", result["error"]))
    return "\n".join(f"{name:<44}{value}" for name, value in rows)


def soak(args: argparse.Namespace) -> int:
    """The run itself, in this process (the console's): its folder made by the supervisor."""
    folder: Path = args.folder
    data = folder / "data"
    os.environ["CAMERA_CONSOLE_DATA"] = str(data)
    config_path = write_demo_config(folder / "site.toml", cameras=CAMERAS)
    seed_analytics(data)
    with FaultCameras(config_path, folder / "simulator.log") as cameras:
        record, code = run_console(config_path, cameras, args.minutes, args.seed, args.tracemalloc)
        if cameras.errors:
            record.error = f"the cameras refused faults: {cameras.errors[:3]}"
    result = summarize(record, stored_alerts(data / "console.db"), code)
    if args.keep:
        result["data_folder"] = str(data)
    write_result(result, args.json, table(result))
    return 0 if result["error"] is None and code == 0 else 1


def crash_result(minutes: float, returncode: int, trace: str) -> dict[str, Any]:
    """What is left to say when the console's process died: every figure unknown, how it died."""
    how = f"signal {signal.Signals(-returncode).name}" if returncode < 0 else f"exit code {returncode}"
    return {**dict.fromkeys(CONTRACT_KEYS), "minutes": minutes, "console_exit_code": returncode,
            "error": f"the console's process died ({how}) before the end of the soak", "crash_trace": trace}


def supervise(args: argparse.Namespace, argv: list[str]) -> int:
    """Runs the soak in a child process, so a console that crashes is reported (with Python's fault trace)."""
    folder = Path(tempfile.mkdtemp(prefix="soak-"))
    if args.json is not None:
        args.json.unlink(missing_ok=True)
    log = folder / "soak.err"
    try:
        with log.open("w") as stderr:
            child = subprocess.run([sys.executable, "-X", "faulthandler", "-m", "benchmarks.soak", *argv,
                                    "--in-process", str(folder)], stderr=stderr, check=False)
        if args.json is not None and args.json.is_file():
            return child.returncode
        lines = log.read_text("utf-8", errors="replace").splitlines()
        fatal = next((i for i, line in enumerate(lines) if line.startswith("Fatal Python error")), None)
        trace = "\n".join(lines[fatal:fatal + CRASH_TRACE_LINES] if fatal is not None else lines[-CRASH_TRACE_LINES:])
        result = crash_result(args.minutes, child.returncode, trace)
        write_result(result, args.json, f"{result['error']}\n{trace}")
        return 1
    finally:
        if not args.keep:
            shutil.rmtree(folder, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--minutes", type=float, default=30.0)
    parser.add_argument("--json", type=Path, default=None)
    parser.add_argument("--seed", type=int, default=1, help="which cameras fault, in which order")
    parser.add_argument("--keep", action="store_true", help="keep the data folder (logs, database, recordings)")
    parser.add_argument("--tracemalloc", action="store_true",
                        help="where memory grew after the slope's start (slows Python: not for the timing figures)")
    parser.add_argument("--in-process", dest="folder", type=Path, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.minutes * 60 <= 60:
        parser.error("--minutes must be more than 1")
    return soak(args) if args.folder is not None else supervise(args, argv)


if __name__ == "__main__":
    sys.exit(main())
