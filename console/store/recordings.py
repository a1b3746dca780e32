"""The recordings index in SQLite (migration 4): segments of every camera, evidence exports and their audit."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sqlite_utils

from console.core.recording import SegmentRow, TimeRange

# An unacknowledged alert holds the recording around it: this much before its start and after its end.
ALERT_HOLD_BEFORE_MS = 60_000
ALERT_HOLD_AFTER_MS = 60_000


def schema_v4(db: sqlite_utils.Database) -> None:
    db.executescript("""
        CREATE TABLE segments (
            id INTEGER PRIMARY KEY,
            camera_id TEXT NOT NULL,
            start_ms INTEGER NOT NULL,
            end_ms INTEGER NOT NULL,
            path TEXT NOT NULL UNIQUE,
            bytes INTEGER NOT NULL DEFAULT 0,
            packets INTEGER NOT NULL DEFAULT 0,
            codec TEXT NOT NULL,
            width INTEGER NOT NULL DEFAULT 0,
            height INTEGER NOT NULL DEFAULT 0,
            gop_ms INTEGER NOT NULL DEFAULT 2000,
            closed INTEGER NOT NULL DEFAULT 0,
            recovered INTEGER NOT NULL DEFAULT 0
        );
        CREATE INDEX segments_camera ON segments (camera_id, start_ms);
        CREATE INDEX segments_start ON segments (start_ms);
        CREATE TABLE exports (
            id INTEGER PRIMARY KEY,
            camera_id TEXT NOT NULL,
            start_ms INTEGER NOT NULL,
            end_ms INTEGER NOT NULL,
            path TEXT NOT NULL,
            sha256 TEXT,
            bytes INTEGER,
            actor TEXT NOT NULL,
            requested_ms INTEGER NOT NULL,
            finished_ms INTEGER,
            state TEXT NOT NULL CHECK (state IN ('running', 'done', 'cancelled', 'failed')),
            detail TEXT NOT NULL DEFAULT ''
        );
        CREATE INDEX exports_camera ON exports (camera_id, start_ms);
    """)


def schema_v10(db: sqlite_utils.Database) -> None:
    """Each segment notes its camera clock's offset when it was opened (ONVIF cameras; NULL: never read): the
    evidence's times are the station's, and the offset stays with them (issue 18, point 5)."""
    db.execute("ALTER TABLE segments ADD COLUMN clock_offset_s REAL")


def schema_v5(db: sqlite_utils.Database) -> None:
    """Each segment's keyframes (time and byte offset, `ts_keyframes.pack`): seeks read from a keyframe."""
    db.execute("ALTER TABLE segments ADD COLUMN keyframes BLOB")


_SEGMENT_COLUMNS = "id, camera_id, start_ms, end_ms, path, bytes, codec, closed, gop_ms"


def _segment(values: Sequence[Any]) -> SegmentRow:
    return SegmentRow(int(values[0]), str(values[1]), int(values[2]), int(values[3]), str(values[4]),
                      int(values[5]), str(values[6]), bool(values[7]), int(values[8]))


@dataclass(frozen=True)
class ExportRow:
    id: int
    camera_id: str
    start_ms: int
    end_ms: int
    path: str
    sha256: str | None
    actor: str
    state: str


class RecordingIndex:
    """Reads and writes of the index; each thread uses its own connection (SQLite in WAL mode)."""

    def __init__(self, db: sqlite_utils.Database) -> None:
        self.db = db

    def close(self) -> None:
        self.db.close()

    # -- segments -------------------------------------------------------------------------------------
    def open_segment(self, camera_id: str, start_ms: int, path: str, codec: str, width: int, height: int, *,
                     clock_offset_s: float | None = None) -> int:
        with self.db.conn:
            cursor = self.db.execute(
                "INSERT INTO segments (camera_id, start_ms, end_ms, path, codec, width, height, clock_offset_s) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [camera_id, start_ms, start_ms, path, codec, width, height, clock_offset_s])
        return int(cursor.lastrowid or 0)

    def clock_offset(self, camera_id: str, start_ms: int, end_ms: int) -> float | None:
        """The camera clock's offset (seconds ahead of the station) noted while the range was recorded — the
        largest one if it changed — or None when it was never read (not an ONVIF camera)."""
        row = self.db.execute(
            "SELECT clock_offset_s FROM segments WHERE camera_id = ? AND start_ms < ? AND end_ms > ? "
            "AND clock_offset_s IS NOT NULL ORDER BY abs(clock_offset_s) DESC LIMIT 1",
            [camera_id, end_ms, start_ms]).fetchone()
        return float(row[0]) if row else None

    def update_segment(self, segment_id: int, end_ms: int, size: int, packets: int, gop_ms: int, *,
                       closed: bool = False, recovered: bool = False, keyframes: bytes | None = None) -> None:
        with self.db.conn:
            self.db.execute("UPDATE segments SET end_ms = ?, bytes = ?, packets = ?, gop_ms = ?, closed = ?, "
                            "recovered = ?, keyframes = COALESCE(?, keyframes) WHERE id = ?",
                            [end_ms, size, packets, gop_ms, int(closed), int(recovered), keyframes, segment_id])

    def keyframes(self, segment_id: int) -> bytes | None:
        """The packed keyframe list saved with a segment (None: not saved, e.g. recorded before v5)."""
        row = self.db.execute("SELECT keyframes FROM segments WHERE id = ?", [segment_id]).fetchone()
        return None if row is None or row[0] is None else bytes(row[0])

    def delete_segments(self, ids: Sequence[int]) -> None:
        with self.db.conn:
            self.db.conn.executemany("DELETE FROM segments WHERE id = ?", [(i,) for i in ids])

    def unclosed(self) -> list[SegmentRow]:
        rows = self.db.execute(f"SELECT {_SEGMENT_COLUMNS} FROM segments WHERE closed = 0").fetchall()
        return [_segment(r) for r in rows]

    def segments(self, camera_id: str, start_ms: int, end_ms: int) -> list[SegmentRow]:
        """A camera's segments overlapping [start, end), in time order."""
        rows = self.db.execute(
            f"SELECT {_SEGMENT_COLUMNS} FROM segments WHERE camera_id = ? AND start_ms < ? AND end_ms > ? "
            "ORDER BY start_ms", [camera_id, end_ms, start_ms]).fetchall()
        return [_segment(r) for r in rows]

    def at(self, camera_id: str, at_ms: int) -> SegmentRow | None:
        """The segment holding this moment, else the first one after it."""
        row = self.db.execute(
            f"SELECT {_SEGMENT_COLUMNS} FROM segments WHERE camera_id = ? AND end_ms > ? "
            "ORDER BY start_ms LIMIT 1", [camera_id, at_ms]).fetchone()
        return None if row is None else _segment(row)

    def oldest_closed(self, limit: int) -> list[SegmentRow]:
        rows = self.db.execute(f"SELECT {_SEGMENT_COLUMNS} FROM segments WHERE closed = 1 "
                               "ORDER BY start_ms LIMIT ?", [limit]).fetchall()
        return [_segment(r) for r in rows]

    def all_segments(self) -> list[SegmentRow]:
        return [_segment(r) for r in self.db.execute(f"SELECT {_SEGMENT_COLUMNS} FROM segments").fetchall()]

    def used_bytes(self) -> int:
        return int(self.db.execute("SELECT COALESCE(SUM(bytes), 0) FROM segments").fetchone()[0])

    def recorded_days(self, camera_id: str, utc_offset_ms: int) -> set[int]:
        """Days (counted from 1970-01-01 in the zone `utc_offset_ms` east of UTC) holding some of the camera's
        recording: the playback calendar marks them."""
        rows = self.db.execute(
            "SELECT DISTINCT (start_ms + :o) / 86400000 FROM segments WHERE camera_id = :c AND end_ms > start_ms "
            "UNION SELECT DISTINCT (end_ms - 1 + :o) / 86400000 FROM segments WHERE camera_id = :c "
            "AND end_ms > start_ms", {"o": utc_offset_ms, "c": camera_id}).fetchall()
        return {int(r[0]) for r in rows}

    def ranges(self, camera_id: str, start_ms: int, end_ms: int) -> list[TimeRange]:
        return [TimeRange(s.start_ms, s.end_ms) for s in self.segments(camera_id, start_ms, end_ms)]

    # -- what retention must keep --------------------------------------------------------------------
    def held_ranges(self, now_ms: int) -> dict[str, list[TimeRange]]:
        """Per camera: around every unacknowledged alert, and every export still being written."""
        held: dict[str, list[TimeRange]] = {}
        alerts = self.db.execute(
            "SELECT camera_id, started_ms, COALESCE(ended_ms, ?) FROM alerts "
            "WHERE state = 'new' AND camera_id IS NOT NULL", [now_ms]).fetchall()
        for camera_id, start, end in alerts:
            held.setdefault(camera_id, []).append(
                TimeRange(int(start) - ALERT_HOLD_BEFORE_MS, int(end) + ALERT_HOLD_AFTER_MS))
        exports = self.db.execute(
            "SELECT camera_id, start_ms, end_ms FROM exports WHERE state = 'running'").fetchall()
        for camera_id, start, end in exports:
            held.setdefault(camera_id, []).append(TimeRange(int(start), int(end)))
        return held

    def case_ranges(self, camera_id: str) -> list[TimeRange]:
        """The clips of this camera linked to an incident (*vụ việc*, not unlinked): evidence of a case, which a
        deletion of recordings never takes."""
        rows = self.db.execute(
            "SELECT start_ms, end_ms FROM incident_links WHERE camera_id = ? AND removed_ms IS NULL "
            "AND start_ms IS NOT NULL AND end_ms IS NOT NULL", [camera_id]).fetchall()
        return [TimeRange(int(start), int(end)) for start, end in rows]

    # -- exports (each one is an audit row) ----------------------------------------------------------
    def begin_export(self, camera_id: str, span: TimeRange, path: str, actor: str, at_ms: int) -> int:
        with self.db.conn:
            cursor = self.db.execute(
                "INSERT INTO exports (camera_id, start_ms, end_ms, path, actor, requested_ms, state) "
                "VALUES (?, ?, ?, ?, ?, ?, 'running')", [camera_id, span.start_ms, span.end_ms, path, actor, at_ms])
        return int(cursor.lastrowid or 0)

    def finish_export(self, export_id: int, state: str, at_ms: int, sha256: str | None = None,
                      size: int | None = None, detail: str = "") -> None:
        with self.db.conn:
            self.db.execute("UPDATE exports SET state = ?, finished_ms = ?, sha256 = ?, bytes = ?, detail = ? "
                            "WHERE id = ?", [state, at_ms, sha256, size, detail, export_id])

    def exports(self) -> list[ExportRow]:
        rows = self.db.execute("SELECT id, camera_id, start_ms, end_ms, path, sha256, actor, state FROM exports "
                               "ORDER BY id").fetchall()
        return [ExportRow(int(r[0]), r[1], int(r[2]), int(r[3]), r[4], r[5], r[6], r[7]) for r in rows]

    # -- alerts on the timeline -----------------------------------------------------------------------
    def alert_marks(self, camera_id: str, start_ms: int, end_ms: int) -> list[tuple[int, int, str, str]]:
        """(alert id, start, kind, state) of the camera's alerts in [start, end), in time order."""
        rows = self.db.execute(
            "SELECT id, started_ms, kind, state FROM alerts WHERE camera_id = ? AND started_ms >= ? "
            "AND started_ms < ? ORDER BY started_ms", [camera_id, start_ms, end_ms]).fetchall()
        return [(int(r[0]), int(r[1]), str(r[2]), str(r[3])) for r in rows]

    def neighbour_alert(self, camera_id: str, at_ms: int, forward: bool) -> int | None:
        """The start of the camera's next (or previous) alert after (before) this moment."""
        if forward:
            sql = "SELECT MIN(started_ms) FROM alerts WHERE camera_id = ? AND started_ms > ?"
        else:
            sql = "SELECT MAX(started_ms) FROM alerts WHERE camera_id = ? AND started_ms < ?"
        value = self.db.execute(sql, [camera_id, at_ms]).fetchone()[0]
        return None if value is None else int(value)


def index_opener(path: Path) -> Callable[[], RecordingIndex]:
    """What the recorder calls on its own thread for its own connection to the index in the file `path`."""
    def open_index() -> RecordingIndex:
        from console.store.database import open_database  # database imports this module for its schemas

        return RecordingIndex(open_database(path))
    return open_index
