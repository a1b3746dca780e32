"""Investigation benchmarks of issue 21: `python -m benchmarks.incidents --json OUT [--only NAME ...]`.

Each measurement is one entry of MEASUREMENTS, returning its keys; the run merges them into one JSON.

motion_search: a day of 25 cameras' motion grids made by the real detector (no zones: the grid is kept
whatever the zones) on the simulator's own pictures at the analytics' rate (one keyframe a second, the
simulator's GOP): one loop per camera is analysed after the detector has learnt the scene, and its grids repeat
over the day, as the simulator's loop does. Each camera's day is then searched in the road (where the scripted
vehicles cross: recall, and moments matching no crossing) and in two regions where nothing scripted moves (the
sky, the fields below the road: any moment there is a false hit).
"""

from __future__ import annotations

import argparse
import bisect
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image

from benchmarks.report import write_result
from console.core.motion import MotionDetector, MotionGrid, MotionSettings
from console.search.motion_search import MotionQuery, Region, search_motion
from console.simulator.scene import ROAD_BOTTOM, ROAD_TOP, SceneRenderer, motion_script
from console.store.database import open_database
from console.store.motion_grid import insert_grids

DAY0_MS = 1_780_246_800_000  # 01/06/2026 00:00 in Vietnam
PICTURE_MS = 1000  # the analytics' rate on the simulator: its keyframes, one a second
FOUND_WITHIN_S = 1.5  # a moment this close to a crossing's ends found it (a picture's spacing, and a half)
SMALL = (96, 54)  # as console.media.analytics.SMALL
ROAD = Region.from_rect(0.0, ROAD_TOP, 1.0, ROAD_BOTTOM)
NOWHERE = {"sky": Region.from_rect(0.25, 0.05, 0.75, 0.3), "fields": Region.from_rect(0.2, 0.9, 1.0, 1.0)}

Measurement = Callable[[argparse.Namespace, Path], dict[str, Any]]


def loop_grids(camera: str, loop_s: int) -> list[int]:
    """The grid of each second of the camera's loop, from the detector after it learnt the scene."""
    renderer = SceneRenderer(camera, "Điểm thử", 640, 360, 15, float(loop_s))
    detector = MotionDetector(MotionSettings())
    grids = [0] * loop_s
    for second in range(MotionDetector.LEARN_SAMPLES + 2 * loop_s):  # learn, settle a loop, keep the next
        luma = np.asarray(Image.fromarray(renderer.frame(second * renderer.fps)[0]).resize(
            SMALL, Image.Resampling.BILINEAR), dtype=np.uint8)
        detector.sample(luma)
        grids[second % loop_s] = detector.grid
    return grids


def crossings(seconds: int, loop_s: int) -> list[tuple[float, float]]:
    """(start, end) in seconds from the day's start of every scripted crossing wholly inside the period."""
    spans = [(k * loop_s + e.start_s, k * loop_s + e.end_s) for k in range(seconds // loop_s + 1)
             for e in motion_script(float(loop_s))]
    return [(s, e) for s, e in spans if e <= seconds - 1]


def meets(span: tuple[float, float], others: list[tuple[float, float]]) -> bool:
    """Whether a span comes within FOUND_WITHIN_S of any of `others` (disjoint, in time order)."""
    start, end = span
    before = bisect.bisect_right(others, (end + FOUND_WITHIN_S, float("inf")))
    return before > 0 and others[before - 1][1] >= start - FOUND_WITHIN_S


def measure_motion_search(args: argparse.Namespace, folder: Path) -> dict[str, Any]:
    cameras = [f"C{n:02d}" for n in range(1, args.cameras + 1)]
    seconds = int(args.hours * 3600)
    started = time.perf_counter()
    grids = {camera: loop_grids(camera, args.loop_s) for camera in cameras}
    analysed_s = time.perf_counter() - started
    db = open_database(folder / "console.db")
    rows = 0
    started = time.perf_counter()
    for hour in range(0, seconds, 3600):  # an hour a transaction (the writer's are a second each)
        batch = [MotionGrid(camera, DAY0_MS + s * PICTURE_MS + index, grids[camera][s % args.loop_s])
                 for s in range(hour, min(seconds, hour + 3600)) for index, camera in enumerate(cameras)
                 if grids[camera][s % args.loop_s]]  # a still picture writes nothing, as in the analytics
        with db.conn:
            insert_grids(db.conn, batch)
        rows += len(batch)
    insert_s = time.perf_counter() - started
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    size = (folder / "console.db").stat().st_size
    wanted = crossings(seconds, args.loop_s)
    times: list[float] = []
    found = unmatched = outside = 0
    for camera in cameras:
        query = MotionQuery(camera, DAY0_MS, DAY0_MS + seconds * 1000, ROAD)
        started = time.perf_counter()
        moments = search_motion(db.conn, query)
        times.append((time.perf_counter() - started) * 1000)
        spans = [((m.start_ms - DAY0_MS) / 1000, (m.end_ms - DAY0_MS) / 1000) for m in moments]
        found += sum(meets(span, spans) for span in wanted)
        unmatched += sum(not meets(span, wanted) for span in spans)
        for region in NOWHERE.values():
            outside += len(search_motion(db.conn, MotionQuery(camera, DAY0_MS, DAY0_MS + seconds * 1000, region)))
    db.close()
    return {
        "motion_search_day_ms": round(max(times), 1),
        "motion_search_day_ms_median": round(statistics.median(times), 1),
        "motion_search_all_cameras_ms": round(sum(times), 1),
        "motion_search_recall": round(found / (len(wanted) * len(cameras)), 4) if wanted else None,
        "motion_search_crossings": len(wanted) * len(cameras),
        "motion_search_unmatched_moments": unmatched,
        "motion_search_outside_hits": outside,
        "motion_grid_rows": rows,
        "motion_grid_insert_rows_per_s": round(rows / insert_s) if insert_s else None,
        "motion_grid_mb_per_camera_day": round(size / 1e6 / len(cameras) * 24 / args.hours, 2),
        "motion_grid_analysed_s": round(analysed_s, 2),
        "motion_search_setup": f"{len(cameras)} cameras, {args.hours:g} h at 1 picture/s, loop {args.loop_s} s",
    }


# The keys: each is in the JSON, null until a measurement here gives it (intake, working copy, plates,
# case export and the GUI block are not measured by this benchmark yet).
CONTRACT_KEYS = ("intake_mb_per_s", "intake_hash_verified", "working_copy_realtime_factor", "plate_crop_ms_p95",
                 "plate_read_accuracy_sim", "case_export_s", "motion_search_day_ms", "motion_search_recall",
                 "gui_block_max_ms")

MEASUREMENTS: dict[str, Measurement] = {
    "motion_search": measure_motion_search,
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.incidents", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--json", type=Path, required=True)
    parser.add_argument("--only", action="append", choices=sorted(MEASUREMENTS), help="run only these")
    parser.add_argument("--cameras", type=int, default=25)
    parser.add_argument("--hours", type=float, default=24.0, help="motion grids kept per camera")
    parser.add_argument("--loop-s", type=int, default=30, help="the simulated scene's loop")
    args = parser.parse_args(argv)
    result: dict[str, Any] = dict.fromkeys(CONTRACT_KEYS)
    for name in args.only or list(MEASUREMENTS):
        with tempfile.TemporaryDirectory(prefix=f"incidents-{name}-") as folder:
            result.update(MEASUREMENTS[name](args, Path(folder)))
    table = "\n".join(f"{key:34} {value}" for key, value in result.items())
    write_result(result, args.json, table)
    return 0


if __name__ == "__main__":
    sys.exit(main())
