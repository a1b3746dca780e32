"""Motion grids in console.db (migration 12): where each analysed picture moved, written in batches by one thread
and dropped after the recordings' retention days.

One row per picture that moved somewhere (a still picture writes nothing: no row is stillness). The table is
clustered on (camera, ms) (`WITHOUT ROWID`: the key is the index, stored once), so one camera's day is one
contiguous range: a day of one camera at one picture a second is 86,400 rows of ~35 bytes.
"""

from __future__ import annotations

import logging
import queue
import sqlite3
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

import sqlite_utils

from console.core.motion import MotionGrid, grid_bytes
from console.core.recording import DAY_MS
from console.core.vntime import now_ms as clock_ms

log = logging.getLogger(__name__)

FLUSH_EVERY_S = 1.0  # one transaction a second for every camera's grids (25 cameras: ~25 rows)
PRUNE_EVERY_S = 3600.0  # retention once an hour (the first pass soon after start)
PRUNE_SLICE_MS = 3_600_000  # one delete transaction takes at most an hour of one camera: other writers wait ms
QUEUE_MAX = 100_000  # ~1 h of 25 cameras; beyond (the disk stalls), new grids are dropped, never the analytics
READ_CHUNK = 4096


def schema_v12(db: sqlite_utils.Database) -> None:
    """The motion grids, keyed by camera and time."""
    db.execute("""CREATE TABLE motion_grids (
        camera_id TEXT NOT NULL,
        at_ms INTEGER NOT NULL,
        cells BLOB NOT NULL,
        PRIMARY KEY (camera_id, at_ms)
    ) WITHOUT ROWID""")


def insert_grids(conn: sqlite3.Connection, grids: Iterable[MotionGrid]) -> None:
    """Write grids in the caller's transaction (a picture of the same camera and ms replaces the earlier one)."""
    conn.executemany("INSERT OR REPLACE INTO motion_grids (camera_id, at_ms, cells) VALUES (?, ?, ?)",
                     ((g.camera_id, g.at_ms, grid_bytes(g.cells)) for g in grids))


def grid_rows(conn: sqlite3.Connection, camera_id: str, from_ms: int, to_ms: int) -> Iterator[tuple[int, bytes]]:
    """(ms, cells) of one camera in [from_ms, to_ms), in time order, streamed (a week is 600,000 rows)."""
    cursor = conn.execute("SELECT at_ms, cells FROM motion_grids WHERE camera_id = ? AND at_ms >= ? AND at_ms < ? "
                          "ORDER BY at_ms", [camera_id, from_ms, to_ms])
    cursor.arraysize = READ_CHUNK
    while rows := cursor.fetchmany():
        yield from rows


def grid_cameras(conn: sqlite3.Connection) -> list[str]:
    """Every camera with grids, by jumping along the key (a scan of DISTINCT would read every row)."""
    rows = conn.execute("""WITH RECURSIVE camera (id) AS (
            SELECT min(camera_id) FROM motion_grids
            UNION ALL
            SELECT (SELECT min(camera_id) FROM motion_grids WHERE camera_id > camera.id) FROM camera
            WHERE camera.id IS NOT NULL)
        SELECT id FROM camera WHERE id IS NOT NULL""").fetchall()
    return [str(r[0]) for r in rows]


def drop_older(conn: sqlite3.Connection, cutoff_ms: int) -> int:
    """Delete every grid older than `cutoff_ms`, an hour of one camera per transaction; returns rows deleted."""
    deleted = 0
    for camera_id in grid_cameras(conn):
        oldest = conn.execute("SELECT min(at_ms) FROM motion_grids WHERE camera_id = ?", [camera_id]).fetchone()[0]
        bound = int(oldest) if oldest is not None else cutoff_ms
        while bound < cutoff_ms:
            bound = min(cutoff_ms, bound + PRUNE_SLICE_MS)
            with conn:
                deleted += conn.execute("DELETE FROM motion_grids WHERE camera_id = ? AND at_ms < ?",
                                        [camera_id, bound]).rowcount
    return deleted


class MotionGridWriter:
    """The only writer of the motion grids: `submit` (any thread, never blocks) queues a grid; a thread commits
    what came in each second in one transaction and drops grids older than `retention_days` once an hour."""

    def __init__(self, db_path: Path, retention_days: float,
                 clock: Callable[[], int] = clock_ms, opener: Callable[[Path], sqlite_utils.Database] | None = None,
                 ) -> None:
        from console.store.database import open_database  # the database module imports this one's migration

        self._open = opener or open_database
        self._db_path = db_path
        self.retention_days = retention_days
        self._clock = clock
        self._queue: queue.Queue[MotionGrid | None] = queue.Queue(QUEUE_MAX)
        self._prune_now = threading.Event()
        self.written = 0
        self.batches = 0
        self.dropped = 0  # grids refused because the queue was full
        self.pruned = 0
        self.failures = 0  # batches or prunes that raised (logged; the writer went on)
        self._thread = threading.Thread(target=self._run, name="motion-grid-writer", daemon=True)
        self._thread.start()

    def submit(self, grid: MotionGrid) -> None:
        try:
            self._queue.put_nowait(grid)
        except queue.Full:
            self.dropped += 1

    def prune_soon(self) -> None:
        """Apply the retention with the next batch (tests, and a changed retention setting)."""
        self._prune_now.set()

    def close(self, timeout_s: float = 10.0) -> None:
        """Write what is queued, then stop."""
        self._queue.put(None)
        self._thread.join(timeout_s)

    def _run(self) -> None:
        db = self._open(self._db_path)
        pruned_at = time.monotonic() - PRUNE_EVERY_S + 60.0  # not in the start's rush, but within a minute
        try:
            while True:
                batch, stop = self._collect()
                if batch:
                    self._write(db.conn, batch)
                if self._prune_now.is_set() or time.monotonic() - pruned_at >= PRUNE_EVERY_S:
                    self._prune_now.clear()
                    pruned_at = time.monotonic()
                    self._prune(db.conn)
                if stop:
                    return
        finally:
            db.close()

    def _collect(self) -> tuple[list[MotionGrid], bool]:
        """What arrives within FLUSH_EVERY_S of the first grid; True when close() was asked."""
        try:
            first = self._queue.get(timeout=FLUSH_EVERY_S)
        except queue.Empty:
            return [], False
        if first is None:
            return [], True
        batch = [first]
        deadline = time.monotonic() + FLUSH_EVERY_S
        while (left := deadline - time.monotonic()) > 0:
            try:
                grid = self._queue.get(timeout=left)
            except queue.Empty:
                break
            if grid is None:
                return batch, True
            batch.append(grid)
        return batch, False

    def _write(self, conn: sqlite3.Connection, batch: list[MotionGrid]) -> None:
        try:
            with conn:
                insert_grids(conn, batch)
        except sqlite3.Error:  # never the end of the grids: the next second is written
            log.exception("motion grids: a batch of %d was not written", len(batch))
            self.failures += 1
            return
        self.batches += 1
        self.written += len(batch)

    def _prune(self, conn: sqlite3.Connection) -> None:
        try:
            deleted = drop_older(conn, self._clock() - int(self.retention_days * DAY_MS))
        except sqlite3.Error:
            log.exception("motion grids: retention failed")
            self.failures += 1
            return
        self.pruned += deleted
        if deleted:
            log.info("motion grids: %d older than %g days deleted", deleted, self.retention_days)
