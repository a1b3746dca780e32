"""Failed logins per user (migration 8): how many in a row and when the last was, so the growing delay survives
a restart of the console (issue 19, point 1). A good login clears its row."""

from __future__ import annotations

import sqlite3
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import sqlite_utils


def schema_v8(db: sqlite_utils.Database) -> None:
    db.execute("CREATE TABLE login_failures (login TEXT PRIMARY KEY, failures INTEGER NOT NULL, "
               "last_failed_ms INTEGER NOT NULL)")


def failures(conn: sqlite3.Connection, login: str) -> tuple[int, int]:
    """(failures in a row, epoch ms of the last) for `login`; (0, 0) when none."""
    row = conn.execute("SELECT failures, last_failed_ms FROM login_failures WHERE login = ?", [login]).fetchone()
    return (int(row[0]), int(row[1])) if row else (0, 0)


def record_failure(conn: sqlite3.Connection, login: str, at_ms: int) -> int:
    with conn:
        conn.execute("INSERT INTO login_failures (login, failures, last_failed_ms) VALUES (?, 1, ?) "
                     "ON CONFLICT(login) DO UPDATE SET failures = failures + 1, "
                     "last_failed_ms = excluded.last_failed_ms",
                     [login, at_ms])
    return failures(conn, login)[0]


def clear_failures(conn: sqlite3.Connection, login: str) -> None:
    with conn:
        conn.execute("DELETE FROM login_failures WHERE login = ?", [login])
