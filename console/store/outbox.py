"""The uplink's outbox (migration 9): what the province has not confirmed yet, one row per message, written in
the same SQLite transaction as the local row it reports and deleted only when the province's receipt for its
sequence number arrives.

A broker's PUBACK is not delivery (mosquitto 2.0.11 lost acknowledged QoS 1 messages queued for an offline
subscriber when it was killed before its autosave), so the row stays until the province *application* says it
has committed the message. `seq` is AUTOINCREMENT: never reused, even after the newest rows were deleted, so
the province's dedup on (commune, seq) holds across restarts of the console.

The functions take a plain `sqlite3.Connection` and never commit: the caller's transaction decides.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    import sqlite_utils

DELETE_CHUNK = 500  # seqs per DELETE (SQLite's default limit of bound parameters is far above)


def schema_v9(db: sqlite_utils.Database) -> None:
    db.execute("CREATE TABLE outbox (seq INTEGER PRIMARY KEY AUTOINCREMENT, created_ms INTEGER NOT NULL, "
               "topic TEXT NOT NULL, body TEXT NOT NULL, ref TEXT)")


@dataclass(frozen=True)
class OutboxRow:
    seq: int
    created_ms: int
    topic: str  # under the commune's root: "alerts/new", "health", …
    body: str  # JSON object; the publisher wraps it in the versioned envelope with the seq
    ref: str | None  # the local row it reports ("alert:12"), for the admin page


class AlertChange(StrEnum):
    """What one committed job did to an alert: what the province is told."""

    NEW = "new"
    UPDATE = "update"  # a new peak, or reopened within its cooldown (a heartbeat is not news)
    END = "end"
    ACK = "ack"
    CLOSE = "close"


class OutboxHook(Protocol):
    """What the alert writer calls when an uplink is configured: `write` inside its transaction (the outbox
    rows commit or roll back with the alerts), `committed` once that transaction is on disk."""

    def write(self, conn: sqlite3.Connection, changes: Sequence[tuple[int, AlertChange]]) -> None: ...

    def committed(self) -> None: ...


def enqueue(conn: sqlite3.Connection, topic: str, body: str, at_ms: int, ref: str | None = None) -> int:
    """Add one message; its seq."""
    cursor = conn.execute("INSERT INTO outbox (created_ms, topic, body, ref) VALUES (?, ?, ?, ?)",
                          [at_ms, topic, body, ref])
    return int(cursor.lastrowid or 0)


def enqueue_many(conn: sqlite3.Connection, rows: Iterable[tuple[str, str, int, str | None]]) -> None:
    """Add (topic, body, at_ms, ref) messages in one statement, in the order given (seqs grow in that order)."""
    conn.executemany("INSERT INTO outbox (topic, body, created_ms, ref) VALUES (?, ?, ?, ?)", rows)


_COLUMNS = "seq, created_ms, topic, body, ref"


def _rows(cursor: sqlite3.Cursor) -> list[OutboxRow]:
    return [OutboxRow(int(r[0]), int(r[1]), str(r[2]), str(r[3]), r[4]) for r in cursor.fetchall()]


def after(conn: sqlite3.Connection, seq: int, limit: int, upto: int | None = None) -> list[OutboxRow]:
    """Rows with a seq above `seq` (and at most `upto`), oldest first."""
    if upto is None:
        return _rows(conn.execute(f"SELECT {_COLUMNS} FROM outbox WHERE seq > ? ORDER BY seq LIMIT ?",
                                  [seq, limit]))
    return _rows(conn.execute(f"SELECT {_COLUMNS} FROM outbox WHERE seq > ? AND seq <= ? ORDER BY seq LIMIT ?",
                              [seq, upto, limit]))


def rows(conn: sqlite3.Connection, seqs: Sequence[int]) -> list[OutboxRow]:
    """The rows still there among `seqs`, oldest first."""
    found: list[OutboxRow] = []
    for start in range(0, len(seqs), DELETE_CHUNK):
        chunk = list(seqs[start:start + DELETE_CHUNK])
        marks = ",".join("?" * len(chunk))
        found += _rows(conn.execute(f"SELECT {_COLUMNS} FROM outbox WHERE seq IN ({marks}) ORDER BY seq", chunk))
    return sorted(found, key=lambda r: r.seq)


def newest_seq(conn: sqlite3.Connection) -> int:
    return int(conn.execute("SELECT coalesce(max(seq), 0) FROM outbox").fetchone()[0])


def delete(conn: sqlite3.Connection, seqs: Iterable[int]) -> int:
    """Remove exactly these seqs (a receipt's); how many were there."""
    wanted = sorted(set(seqs))
    deleted = 0
    for start in range(0, len(wanted), DELETE_CHUNK):
        chunk = wanted[start:start + DELETE_CHUNK]
        marks = ",".join("?" * len(chunk))
        deleted += conn.execute(f"DELETE FROM outbox WHERE seq IN ({marks})", chunk).rowcount
    return deleted


@dataclass(frozen=True)
class Backlog:
    count: int
    oldest_ms: int | None  # when the oldest waiting message was written


def backlog(conn: sqlite3.Connection) -> Backlog:
    count = int(conn.execute("SELECT count(*) FROM outbox").fetchone()[0])
    first = conn.execute("SELECT created_ms FROM outbox ORDER BY seq LIMIT 1").fetchone()
    return Backlog(count, None if first is None else int(first[0]))


def oldest(conn: sqlite3.Connection, limit: int) -> list[OutboxRow]:
    """The oldest waiting messages (the admin page's list)."""
    return _rows(conn.execute(f"SELECT {_COLUMNS} FROM outbox ORDER BY seq LIMIT ?", [limit]))


def counts_by_topic(conn: sqlite3.Connection) -> list[tuple[str, int]]:
    """How many messages wait per topic, the most first (the admin page's summary)."""
    return [(str(topic), int(count)) for topic, count in
            conn.execute("SELECT topic, count(*) FROM outbox GROUP BY topic ORDER BY count(*) DESC").fetchall()]
