"""Pytest plugin: `open_db(path)` opens the console's SQLite file as the console does and closes it when the
test ends (fixtures must not leave connections behind: they hide the console's own leaks)."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import sqlite_utils

from console.store.database import open_database

OpenDb = Callable[[Path], sqlite_utils.Database]


@pytest.fixture()
def open_db() -> Iterator[OpenDb]:
    opened: list[sqlite_utils.Database] = []

    def open_one(path: Path) -> sqlite_utils.Database:
        db = open_database(path)
        opened.append(db)
        return db

    yield open_one
    for db in opened:
        db.close()


def make_old(path: Path, version: int) -> None:
    """A database file as a console of schema `version` left it, with a saved layout in it."""
    from console.store.database import MIGRATIONS

    db = sqlite_utils.Database(sqlite3.connect(path))
    for migration in MIGRATIONS[:version]:
        migration(db)
    db.execute(f"PRAGMA user_version = {version}")
    db.table("saved_layouts").insert({"name": "Ca đêm", "layout": "2x2", "slots": "[]", "saved_utc": "x"})
    db.conn.commit()
    db.conn.close()
