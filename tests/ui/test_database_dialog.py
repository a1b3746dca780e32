"""A database the console cannot use is said in Vietnamese, naming the file and what to do."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from console.store.database import SCHEMA_VERSION, DatabaseError, open_database
from console.ui.shell.database_dialog import database_problem_text


def refused(path: Path) -> DatabaseError:
    with pytest.raises(DatabaseError) as raised:
        open_database(path)
    return raised.value


def test_newer_and_damaged_files_are_named_in_vietnamese(tmp_path: Path, vietnamese: object) -> None:
    newer = tmp_path / "newer" / "console.db"
    open_database(newer).close()
    conn = sqlite3.connect(newer)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    text = database_problem_text(refused(newer))
    assert str(newer) in text and "phiên bản phần mềm mới hơn" in text and "Tệp chưa bị thay đổi" in text

    damaged = tmp_path / "damaged" / "console.db"
    damaged.parent.mkdir()
    damaged.write_bytes(b"not a database at all " * 300)
    (damaged.parent / "console.db.bak-4").write_bytes(b"")
    text = database_problem_text(refused(damaged))
    assert str(damaged) in text and "bị hỏng" in text and "console.db.bak-4" in text
    assert text.startswith(f"Cơ sở dữ liệu {damaged} bị hỏng (file is not a database)")  # SQLite's reason quoted
