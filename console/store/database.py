"""The console's SQLite file: opened in WAL mode with foreign keys, schema migrated by `user_version`."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

import sqlite_utils

from console.store.alerts_schema import schema_v3
from console.store.recordings import schema_v4, schema_v5

BUSY_TIMEOUT_MS = 2000
CACHE_KB = 32 * 1024


def _v1(db: sqlite_utils.Database) -> None:
    db.table("settings").create({"key": str, "value": str}, pk="key")
    db.table("saved_layouts").create({"name": str, "layout": str, "slots": str, "saved_utc": str}, pk="name")


def _v2(db: sqlite_utils.Database) -> None:
    db.table("users").create({"login": str, "full_name": str, "role": str, "password_hash": str, "source": str,
                              "created_utc": str, "disabled": int}, pk="login", not_null={"full_name", "role"},
                             defaults={"disabled": 0})


MIGRATIONS: tuple[Callable[[sqlite_utils.Database], None], ...] = (_v1, _v2, schema_v3, schema_v4, schema_v5)
SCHEMA_VERSION = len(MIGRATIONS)


class DatabaseError(Exception):
    """The database file is from a newer console or cannot be opened."""


def open_database(path: Path) -> sqlite_utils.Database:
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000, check_same_thread=False)
    db = sqlite_utils.Database(conn)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA foreign_keys=ON")
    db.execute("PRAGMA synchronous=NORMAL")
    db.execute(f"PRAGMA cache_size=-{CACHE_KB}")  # the alert log's indexes stay in memory while writing
    migrate(db)
    return db


def schema_version(db: sqlite_utils.Database) -> int:
    return int(db.execute("PRAGMA user_version").fetchone()[0])


def migrate(db: sqlite_utils.Database) -> None:
    """Apply every migration newer than the file, each in its own transaction."""
    current = schema_version(db)
    if current > SCHEMA_VERSION:
        raise DatabaseError(f"database schema {current} is newer than this console ({SCHEMA_VERSION})")
    for version in range(current, SCHEMA_VERSION):
        with db.conn:
            MIGRATIONS[version](db)
            db.execute(f"PRAGMA user_version = {version + 1}")
