"""Motion search on a real SQLite file: the analytics' grids from the simulator's RTSP streams go through the
grid writer, the search finds the scripted crossings in the road and nothing in the sky; retention drops old
grids; a schema 11 file gains the table."""

from __future__ import annotations

import itertools
import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from console.core.config import SiteConfig, StreamKind, load_config
from console.core.motion import MotionGrid
from console.core.recording import DAY_MS
from console.media.analytics import AnalyticsWorker
from console.media.pool import StreamPool
from console.search.motion_search import MotionQuery, Region, search_motion
from console.simulator.scene import ROAD_BOTTOM, ROAD_TOP, motion_script
from console.simulator.server import Simulator, SimulatorOptions
from console.store.database import MIGRATIONS, SCHEMA_VERSION, backup_path, open_database, schema_version
from console.store.motion_grid import PRUNE_SLICE_MS, MotionGridWriter, grid_cameras, schema_v12
from tests.support.databases import make_old
from tests.support.siteconfig import write_demo_config

LOOP_S = 10.0
ROAD = Region.from_rect(0.0, ROAD_TOP, 1.0, ROAD_BOTTOM)
SKY = Region.from_rect(0.25, 0.05, 0.6, 0.3)  # left of the clock, right of the title: nothing scripted moves
NOW_MS = 1_780_246_800_000


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SiteConfig]:
    config = load_config(write_demo_config(tmp_path_factory.mktemp("motion-search") / "site.toml", cameras=2))
    with Simulator(config, options=SimulatorOptions(loop_s=LOOP_S)) as sim:
        sim.prepare((StreamKind.SUB,))
        yield config


def crossings_between(begin_s: float, end_s: float) -> list[tuple[float, float]]:
    """The scripted crossings (wall-clock seconds: the loops' phase is the wall clock) wholly in the window."""
    loop0 = begin_s - begin_s % LOOP_S
    spans = [(loop0 + k * LOOP_S + e.start_s, loop0 + k * LOOP_S + e.end_s)
             for k in range(int((end_s - begin_s) // LOOP_S) + 2) for e in motion_script(LOOP_S)]
    return [(s, e) for s, e in spans if s >= begin_s and e <= end_s - 1]


def test_search_finds_the_scripted_crossings_in_the_road_and_none_in_the_sky(site: SiteConfig,
                                                                              tmp_path: Path) -> None:
    path = tmp_path / "console.db"
    writer = MotionGridWriter(path, retention_days=30)
    worker = AnalyticsWorker(list(site.cameras), {}, lambda _event: None, itertools.count(1).__next__,
                             grids=writer.submit)  # no zones anywhere: the grids are kept all the same
    pool = StreamPool(site)
    worker.start()
    try:
        for camera in site.cameras:
            pool.attach(camera.id, StreamKind.SUB, worker.tap(camera.id))
        time.sleep(7)  # connect, and the detectors learn the scenes (5 pictures)
        begin = time.time()
        time.sleep(2 * LOOP_S + 1)
        end = time.time()
    finally:
        worker.stop()
        pool.close()
        writer.close()
    assert writer.written > 0 and writer.failures == 0 and writer.batches < writer.written  # batched
    wanted = crossings_between(begin, end)
    assert len(wanted) >= 3
    with sqlite3.connect(path) as conn:
        for camera in site.cameras:
            period = MotionQuery(camera.id, int(begin * 1000), int(end * 1000), ROAD)
            moments = search_motion(conn, period)
            found = [any(m.start_ms / 1000 <= e + 1.5 and m.end_ms / 1000 >= s - 1.5 for m in moments)
                     for s, e in wanted]
            assert all(found), (camera.id, wanted, moments)
            assert len(moments) <= len(wanted) + 2  # a moment per crossing, perhaps cut at the window's ends
            sky = MotionQuery(camera.id, int(begin * 1000) - 10_000, int(end * 1000), SKY)
            assert search_motion(conn, sky) == [], camera.id


def test_a_region_on_one_vehicle_lane_finds_only_its_crossings(tmp_path: Path) -> None:
    """Grids written through the writer: the near lane's cells move in its crossings, the far lane's in its."""
    path = tmp_path / "console.db"
    writer = MotionGridWriter(path, retention_days=30)
    near, far = Region.from_rect(0.0, 0.72, 1.0, 0.8), Region.from_rect(0.0, 0.58, 1.0, 0.64)
    assert not near.cells & far.cells
    for second in range(120):
        phase = second % 30
        cells = 1 << 15  # the clock's corner moves every second
        cells |= near.mask if 4 <= phase < 14 else 0
        cells |= far.mask if 18 <= phase < 26 else 0
        writer.submit(MotionGrid("C01", NOW_MS + second * 1000, cells))
    writer.close()
    with sqlite3.connect(path) as conn:
        lane = search_motion(conn, MotionQuery("C01", NOW_MS, NOW_MS + 120_000, near))
        other = search_motion(conn, MotionQuery("C02", NOW_MS, NOW_MS + 120_000, near))
    assert [(m.start_ms - NOW_MS, m.end_ms - NOW_MS) for m in lane] == [
        (k * 30_000 + 4000, k * 30_000 + 13_000) for k in range(4)]
    assert other == []


def test_retention_drops_grids_older_than_the_recordings_days(tmp_path: Path) -> None:
    path = tmp_path / "console.db"
    writer = MotionGridWriter(path, retention_days=2)
    old = [MotionGrid(camera, NOW_MS - 3 * DAY_MS + n * PRUNE_SLICE_MS // 3, 1) for camera in ("C01", "C02")
           for n in range(10)]  # more than one slice of each camera
    kept = [MotionGrid(camera, NOW_MS - DAY_MS + n, 1) for camera in ("C01", "C02") for n in range(5)]
    for grid in old + kept:
        writer.submit(grid)
    writer.close()
    pruner = MotionGridWriter(path, retention_days=2, clock=lambda: NOW_MS)
    pruner.prune_soon()
    pruner.close()
    assert pruner.pruned == len(old) and pruner.failures == 0
    with sqlite3.connect(path) as conn:
        rows = conn.execute("SELECT camera_id, at_ms FROM motion_grids ORDER BY camera_id, at_ms").fetchall()
        assert rows == [(g.camera_id, g.at_ms) for g in kept]
        assert grid_cameras(conn) == ["C01", "C02"]


def test_a_schema_11_file_gains_the_grids_and_keeps_its_rows(tmp_path: Path) -> None:
    path = tmp_path / "console.db"
    make_old(path, 11)
    db = open_database(path)
    try:
        assert schema_version(db) == SCHEMA_VERSION and MIGRATIONS[11] is schema_v12  # later ones on top
        assert [r["name"] for r in db.table("saved_layouts").rows] == ["Ca đêm"]
        plan = db.execute("EXPLAIN QUERY PLAN SELECT at_ms, cells FROM motion_grids WHERE camera_id = 'C01' "
                          "AND at_ms >= 0 AND at_ms < 10").fetchall()
        assert "PRIMARY KEY (camera_id=? AND at_ms>? AND at_ms<?)" in str(plan)  # one range of the key
    finally:
        db.close()
    assert backup_path(path, 11).exists()
