"""Plates read on alerts' pictures (*Đọc biển số*), in console.db (migration 14): the plate as the officer
confirmed it, its search key, its crop (a JPEG under the alert pictures' folder), who saved it and when.

The alert list finds alerts by plate through `PLATE_MATCH` (part of a plate, punctuation ignored: "29A123"
finds "29A-123.45"). No foreign key on alert_id, as the incidents' links: the alert log's retention may drop an
old alert, its plates keep the number. The functions take a plain `sqlite3.Connection` and never commit.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from console.incidents.fold import plate_key

if TYPE_CHECKING:
    import sqlite_utils

# An alert has a plate containing the key (the parameter: "%" + key + "%").
PLATE_MATCH = "id IN (SELECT alert_id FROM alert_plates WHERE plate_key LIKE ? ESCAPE '\\')"


def schema_v14(db: sqlite_utils.Database) -> None:
    db.execute("""CREATE TABLE alert_plates (
        id INTEGER PRIMARY KEY,
        alert_id INTEGER NOT NULL,
        text TEXT NOT NULL CHECK (text != ''),
        plate_key TEXT NOT NULL,
        crop TEXT,
        box TEXT,
        read_text TEXT NOT NULL DEFAULT '',
        confidence REAL,
        camera_id TEXT,
        at_ms INTEGER,
        saved_ms INTEGER NOT NULL,
        saved_by TEXT NOT NULL)""")
    db.execute("CREATE INDEX alert_plates_alert ON alert_plates (alert_id)")
    db.execute("CREATE INDEX alert_plates_key ON alert_plates (plate_key)")


@dataclass(frozen=True)
class AlertPlate:
    id: int
    alert_id: int
    text: str  # as the officer confirmed it ("29A-123.45")
    crop: str | None  # relative to the alert pictures' folder
    box: tuple[int, int, int, int] | None  # where in the alert's picture (x0, y0, x1, y1)
    read_text: str  # what OCR read, before the officer's corrections ("" when typed)
    confidence: float | None
    camera_id: str | None
    at_ms: int | None
    saved_ms: int
    saved_by: str


_COLUMNS = "id, alert_id, text, crop, box, read_text, confidence, camera_id, at_ms, saved_ms, saved_by"


def _box_text(box: tuple[int, int, int, int] | None) -> str | None:
    return ",".join(str(int(v)) for v in box) if box is not None else None


def _box(text: str | None) -> tuple[int, int, int, int] | None:
    if not text:
        return None
    x0, y0, x1, y1 = (int(v) for v in text.split(","))
    return x0, y0, x1, y1


def insert_alert_plate(conn: sqlite3.Connection, alert_id: int, text: str, *, crop: str | None,
                       box: tuple[int, int, int, int] | None, read_text: str, confidence: float | None,
                       camera_id: str | None, at_ms: int | None, saved_ms: int, saved_by: str) -> AlertPlate:
    cursor = conn.execute(
        "INSERT INTO alert_plates (alert_id, text, plate_key, crop, box, read_text, confidence, camera_id, at_ms, "
        "saved_ms, saved_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [alert_id, text, plate_key(text), crop, _box_text(box), read_text, confidence, camera_id, at_ms, saved_ms,
         saved_by])
    return AlertPlate(int(cursor.lastrowid or 0), alert_id, text, crop, box, read_text, confidence, camera_id, at_ms,
                      saved_ms, saved_by)


def _plate(row: Sequence[Any]) -> AlertPlate:
    id_, alert_id, text, crop, box, read_text, confidence, camera_id, at_ms, saved_ms, saved_by = row
    return AlertPlate(int(id_), int(alert_id), str(text), crop, _box(box), str(read_text), confidence, camera_id,
                      at_ms, int(saved_ms), str(saved_by))


def alert_plates(conn: sqlite3.Connection, alert_id: int) -> list[AlertPlate]:
    """The plates saved on an alert, in the order saved."""
    rows = conn.execute(f"SELECT {_COLUMNS} FROM alert_plates WHERE alert_id = ? ORDER BY id", [alert_id])
    return [_plate(r) for r in rows]


def plate_pattern(text: str) -> str | None:
    """The LIKE parameter of `PLATE_MATCH` for what the officer typed (None: nothing to search)."""
    key = plate_key(text)
    return f"%{key}%" if key else None


def alerts_with_plate(conn: sqlite3.Connection, text: str) -> list[int]:
    """Alerts with a plate containing `text` (punctuation ignored), newest first."""
    pattern = plate_pattern(text)
    if pattern is None:
        return []
    rows = conn.execute("SELECT DISTINCT alert_id FROM alert_plates WHERE plate_key LIKE ? ESCAPE '\\' "
                        "ORDER BY alert_id DESC", [pattern])
    return [int(r[0]) for r in rows]
