"""A read-only connection to the console's database for a reader of its own (a window's worker, a tool): reading
never changes the file, whoever else has it open. No sqlite_utils here: light to import anywhere."""

from __future__ import annotations

import sqlite3
from pathlib import Path

BUSY_TIMEOUT_S = 5.0  # the writers commit in a few ms; a read waits for them rather than failing


def open_read_only(db_path: Path, timeout_s: float = BUSY_TIMEOUT_S) -> sqlite3.Connection:
    return sqlite3.connect(db_path.resolve().as_uri() + "?mode=ro", uri=True, timeout=timeout_s)
