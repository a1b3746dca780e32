"""The console's SQLite file: backups before migrations; newer, damaged and unreadable files said plainly."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
import sqlite_utils

from console.store.database import (
    SCHEMA_VERSION,
    DatabaseError,
    Trouble,
    backup_path,
    open_database,
    schema_version,
)
from tests.support.databases import make_old


def test_migration_keeps_a_backup_of_the_file_as_it_was(tmp_path: Path) -> None:
    path = tmp_path / "console.db"
    make_old(path, 3)
    db = open_database(path)
    assert schema_version(db) == SCHEMA_VERSION
    db.close()
    backup = backup_path(path, 3)
    assert backup.name == "console.db.bak-3"
    old = sqlite_utils.Database(sqlite3.connect(backup))
    assert schema_version(old) == 3
    assert [r["name"] for r in old.table("saved_layouts").rows] == ["Ca đêm"]
    old.close()
    open_database(path).close()  # already current: no second backup
    assert sorted(p.name for p in tmp_path.glob("console.db.bak-*")) == ["console.db.bak-3"]


def test_a_new_file_needs_no_backup(tmp_path: Path) -> None:
    open_database(tmp_path / "console.db").close()
    assert list(tmp_path.glob("*.bak-*")) == []


def test_newer_schema_is_refused_and_the_file_left_as_it_was(tmp_path: Path) -> None:
    path = tmp_path / "console.db"
    make_old(path, SCHEMA_VERSION)
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 2}")
    conn.close()
    before = path.read_bytes()
    with pytest.raises(DatabaseError) as raised:
        open_database(path)
    assert raised.value.trouble is Trouble.NEWER and raised.value.path == path
    assert raised.value.found == SCHEMA_VERSION + 2
    assert path.read_bytes() == before


def test_damaged_file_is_named(tmp_path: Path) -> None:
    path = tmp_path / "console.db"
    path.write_bytes(b"\x00garbage not sqlite " * 400)
    with pytest.raises(DatabaseError) as raised:
        open_database(path)
    assert raised.value.trouble is Trouble.DAMAGED and raised.value.path == path
