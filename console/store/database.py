"""The console's SQLite file: opened in WAL mode with foreign keys, schema migrated by `user_version`.

Before a migration the file is copied (SQLite's online backup, consistent under WAL) to
`console.db.bak-<version it had>`: a migration that goes wrong, or an update rolled back, can return to it.
"""

from __future__ import annotations

import logging
import sqlite3
import time
from collections.abc import Callable
from enum import Enum
from pathlib import Path

import sqlite_utils

from console.store.alerts_schema import schema_v3, schema_v6
from console.store.audit import schema_v7
from console.store.bookmarks import schema_v13
from console.store.incidents import schema_v11
from console.store.logins import schema_v8
from console.store.motion_grid import schema_v12
from console.store.outbox import schema_v9
from console.store.plates import schema_v14
from console.store.recordings import schema_v4, schema_v5, schema_v10

BUSY_TIMEOUT_MS = 2000
LOCKED_RETRY_S = 10.0
LOCKED_RETRY_STEP_S = 0.05
CACHE_KB = 32 * 1024


def _v1(db: sqlite_utils.Database) -> None:
    db.table("settings").create({"key": str, "value": str}, pk="key")
    db.table("saved_layouts").create({"name": str, "layout": str, "slots": str, "saved_utc": str}, pk="name")


def _v2(db: sqlite_utils.Database) -> None:
    db.table("users").create({"login": str, "full_name": str, "role": str, "password_hash": str, "source": str,
                              "created_utc": str, "disabled": int}, pk="login", not_null={"full_name", "role"},
                             defaults={"disabled": 0})


MIGRATIONS: tuple[Callable[[sqlite_utils.Database], None], ...] = (
    _v1, _v2, schema_v3, schema_v4, schema_v5, schema_v6, schema_v7, schema_v8, schema_v9, schema_v10, schema_v11,
    schema_v12, schema_v13, schema_v14,
)
SCHEMA_VERSION = len(MIGRATIONS)


log = logging.getLogger(__name__)


class Trouble(Enum):
    NEWER = "newer"  # written by a newer console: this one must not touch it
    DAMAGED = "damaged"  # not a database, or SQLite finds it malformed
    UNREADABLE = "unreadable"  # permissions, a full disk, a folder in its place


class DatabaseError(Exception):
    """The database file cannot be used; the UI says which file, what is wrong and what to do."""

    def __init__(self, trouble: Trouble, path: Path, detail: str, found: int = 0) -> None:
        super().__init__(f"{path}: {trouble.value}: {detail}")
        self.trouble, self.path, self.detail, self.found = trouble, path, detail, found


def open_database(path: Path) -> sqlite_utils.Database:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000, check_same_thread=False)
    except (OSError, sqlite3.Error) as exc:
        raise DatabaseError(Trouble.UNREADABLE, path, str(exc)) from exc
    db = sqlite_utils.Database(conn)
    try:
        _prepare(db, path)
    except sqlite3.DatabaseError as exc:
        conn.close()
        trouble = Trouble.UNREADABLE if isinstance(exc, sqlite3.OperationalError) else Trouble.DAMAGED
        raise DatabaseError(trouble, path, str(exc)) from exc
    except DatabaseError:
        conn.close()
        raise
    return db


def _prepare(db: sqlite_utils.Database, path: Path) -> None:
    """WAL, pragmas, migrations. Threads of one console open a new file at the same moment at first start:
    switching to WAL answers "database is locked" at once (SQLite's busy handler does not wait for it), so
    that is retried for a while."""
    deadline = time.monotonic() + LOCKED_RETRY_S
    while True:
        try:
            _refuse_newer(db, path)  # before WAL mode rewrites the header: a newer console's file stays untouched
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA foreign_keys=ON")
            db.execute("PRAGMA synchronous=NORMAL")
            db.execute(f"PRAGMA cache_size=-{CACHE_KB}")  # the alert log's indexes stay in memory while writing
            migrate(db, path)
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(LOCKED_RETRY_STEP_S)


def backup_path(path: Path, version: int) -> Path:
    return path.with_name(f"{path.name}.bak-{version}")


def _backup(db: sqlite_utils.Database, path: Path, version: int) -> None:
    target = backup_path(path, version)
    copy = sqlite3.connect(target)
    try:
        db.conn.backup(copy)
    finally:
        copy.close()
    log.info("database %s backed up to %s before migrating from schema %d", path, target, version)


def schema_version(db: sqlite_utils.Database) -> int:
    return int(db.execute("PRAGMA user_version").fetchone()[0])


def _refuse_newer(db: sqlite_utils.Database, path: Path) -> int:
    current = schema_version(db)
    if current > SCHEMA_VERSION:
        raise DatabaseError(Trouble.NEWER, path, f"schema {current} is newer than this console's ({SCHEMA_VERSION})",
                            current)
    return current


def migrate(db: sqlite_utils.Database, path: Path | None = None) -> None:
    """Apply every migration newer than the file, each in its own transaction, after a backup of it."""
    current = _refuse_newer(db, path or Path(":memory:"))
    if path is not None and 0 < current < SCHEMA_VERSION:
        _backup(db, path, current)
    for version in range(current, SCHEMA_VERSION):
        with db.conn:
            MIGRATIONS[version](db)
            db.execute(f"PRAGMA user_version = {version + 1}")
