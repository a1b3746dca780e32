"""Bookmarks (*đánh dấu*) in console.db (migration 13): the bookmarks, their tags, and a full-text index of their
folded words.

`bookmarks.search` holds the name, tags and note folded by console.incidents.fold (đ → d included, which SQLite's
own `remove_diacritics` does not do); the FTS5 table indexes that column (external content, kept in step by
triggers), `bookmark_tags` each tag's folded key for the tag filter. No foreign key on alert_id: the alert log's
retention may drop old alerts, the bookmark keeps the number.

The functions take a plain `sqlite3.Connection` and never commit: the caller's transaction decides.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from console.bookmarks.model import Bookmark, BookmarkQuery, tag_key
from console.incidents.fold import fold
from console.store.fts import prefix_match

if TYPE_CHECKING:
    import sqlite_utils

_SCHEMA = (
    """CREATE TABLE bookmarks (
        id INTEGER PRIMARY KEY,
        camera_id TEXT NOT NULL,
        from_ms INTEGER NOT NULL,
        to_ms INTEGER NOT NULL,
        name TEXT NOT NULL CHECK (name != ''),
        tags TEXT NOT NULL DEFAULT '[]',
        note TEXT NOT NULL DEFAULT '',
        created_by TEXT NOT NULL,
        created_utc TEXT NOT NULL,
        alert_id INTEGER,
        incident_id INTEGER REFERENCES incidents (id),
        search TEXT NOT NULL DEFAULT '',
        CHECK (to_ms > from_ms)
    )""",
    "CREATE INDEX bookmarks_camera_time ON bookmarks (camera_id, from_ms)",
    "CREATE INDEX bookmarks_time ON bookmarks (from_ms)",
    "CREATE INDEX bookmarks_alert ON bookmarks (alert_id) WHERE alert_id IS NOT NULL",
    "CREATE INDEX bookmarks_incident ON bookmarks (incident_id) WHERE incident_id IS NOT NULL",
    """CREATE TABLE bookmark_tags (
        key TEXT NOT NULL,
        bookmark_id INTEGER NOT NULL REFERENCES bookmarks (id) ON DELETE CASCADE,
        tag TEXT NOT NULL,
        PRIMARY KEY (key, bookmark_id)
    ) WITHOUT ROWID""",
    "CREATE INDEX bookmark_tags_bookmark ON bookmark_tags (bookmark_id)",
    "CREATE VIRTUAL TABLE bookmark_search USING fts5 (search, content = 'bookmarks', content_rowid = 'id', "
    "tokenize = 'unicode61 remove_diacritics 0', prefix = '2 3')",
    "CREATE TRIGGER bookmarks_search_insert AFTER INSERT ON bookmarks BEGIN "
    "INSERT INTO bookmark_search (rowid, search) VALUES (new.id, new.search); END",
    "CREATE TRIGGER bookmarks_search_delete AFTER DELETE ON bookmarks BEGIN "
    "INSERT INTO bookmark_search (bookmark_search, rowid, search) VALUES ('delete', old.id, old.search); END",
    "CREATE TRIGGER bookmarks_search_update AFTER UPDATE OF search ON bookmarks BEGIN "
    "INSERT INTO bookmark_search (bookmark_search, rowid, search) VALUES ('delete', old.id, old.search); "
    "INSERT INTO bookmark_search (rowid, search) VALUES (new.id, new.search); END",
)


def schema_v13(db: sqlite_utils.Database) -> None:
    """The tables, in one transaction with the version bump (as schema_v11: Python's sqlite3 opens none before
    DDL by itself)."""
    if not db.conn.in_transaction:
        db.execute("BEGIN")
    for statement in _SCHEMA:
        db.execute(statement)


_COLUMNS = "id, camera_id, from_ms, to_ms, name, tags, note, created_by, created_utc, alert_id, incident_id"


def _utc_text(at_ms: int) -> str:
    return datetime.fromtimestamp(at_ms / 1000, tz=UTC).isoformat(timespec="milliseconds")


def _utc_ms(text: str) -> int:
    return round(datetime.fromisoformat(text).timestamp() * 1000)


def _search_text(name: str, tags: Sequence[str], note: str) -> str:
    return "\n".join(fold(part) for part in (name, *tags, note) if part)


def _bookmark(row: Sequence[Any]) -> Bookmark:
    id_, camera, from_ms, to_ms, name, tags, note, created_by, created_utc, alert_id, incident_id = row
    return Bookmark(int(id_), str(camera), int(from_ms), int(to_ms), str(name), tuple(json.loads(tags)), str(note),
                    str(created_by), _utc_ms(created_utc), alert_id, incident_id)


def _set_tags(conn: sqlite3.Connection, bookmark_id: int, tags: Sequence[str]) -> None:
    conn.execute("DELETE FROM bookmark_tags WHERE bookmark_id = ?", [bookmark_id])
    conn.executemany("INSERT OR IGNORE INTO bookmark_tags (key, bookmark_id, tag) VALUES (?, ?, ?)",
                     [(tag_key(tag), bookmark_id, tag) for tag in tags])


def insert_bookmark(conn: sqlite3.Connection, camera_id: str, from_ms: int, to_ms: int, name: str,
                    tags: Sequence[str], note: str, by: str, at_ms: int, alert_id: int | None = None) -> int:
    cursor = conn.execute(
        "INSERT INTO bookmarks (camera_id, from_ms, to_ms, name, tags, note, created_by, created_utc, alert_id, "
        "search) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [camera_id, from_ms, to_ms, name, json.dumps(list(tags), ensure_ascii=False), note, by, _utc_text(at_ms),
         alert_id, _search_text(name, tags, note)])
    bookmark_id = int(cursor.lastrowid or 0)
    _set_tags(conn, bookmark_id, tags)
    return bookmark_id


def update_bookmark(conn: sqlite3.Connection, bookmark: Bookmark) -> None:
    """Write the editable fields of `bookmark` (range, name, tags, note, incident) as given."""
    conn.execute(
        "UPDATE bookmarks SET from_ms = ?, to_ms = ?, name = ?, tags = ?, note = ?, incident_id = ?, search = ? "
        "WHERE id = ?",
        [bookmark.from_ms, bookmark.to_ms, bookmark.name, json.dumps(list(bookmark.tags), ensure_ascii=False),
         bookmark.note, bookmark.incident_id, _search_text(bookmark.name, bookmark.tags, bookmark.note),
         bookmark.id])
    _set_tags(conn, bookmark.id, bookmark.tags)


def delete_bookmark(conn: sqlite3.Connection, bookmark_id: int) -> None:
    conn.execute("DELETE FROM bookmarks WHERE id = ?", [bookmark_id])  # its tags go with it (cascade)


def get_bookmark(conn: sqlite3.Connection, bookmark_id: int) -> Bookmark | None:
    row = conn.execute(f"SELECT {_COLUMNS} FROM bookmarks WHERE id = ?", [bookmark_id]).fetchone()
    return _bookmark(row) if row else None


def search(conn: sqlite3.Connection, query: BookmarkQuery) -> list[Bookmark]:
    clauses: list[str] = []
    params: list[Any] = []
    match = prefix_match(query.text)
    if match is not None:
        clauses.append("id IN (SELECT rowid FROM bookmark_search WHERE bookmark_search MATCH ?)")
        params.append(match)
    if tag_key(query.tag):
        clauses.append("id IN (SELECT bookmark_id FROM bookmark_tags WHERE key = ?)")
        params.append(tag_key(query.tag))
    if query.camera_id is not None:
        clauses.append("camera_id = ?")
        params.append(query.camera_id)
    if query.since_ms is not None:
        clauses.append("to_ms > ?")
        params.append(query.since_ms)
    if query.until_ms is not None:
        clauses.append("from_ms < ?")
        params.append(query.until_ms)
    where = f" WHERE {' AND '.join(clauses)}" if clauses else ""
    rows = conn.execute(f"SELECT {_COLUMNS} FROM bookmarks{where} ORDER BY from_ms DESC, id DESC "
                        f"LIMIT {int(query.limit)}", params).fetchall()
    return [_bookmark(r) for r in rows]


def tags_in_use(conn: sqlite3.Connection) -> list[str]:
    """Every tag in use, once per folded spelling (the first written), in folded order."""
    rows = conn.execute("SELECT key, tag FROM bookmark_tags ORDER BY key, bookmark_id").fetchall()
    first: dict[str, str] = {}
    for key, tag in rows:
        first.setdefault(str(key), str(tag))
    return list(first.values())
