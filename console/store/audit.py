"""The `audit` table of console.db (migration 7): append-only (triggers refuse UPDATE and DELETE), indexed for
the *Nhật ký thao tác* window's filters. Its first rows are the officers' entries of the alert log's old
`alert_audit` table, chained like every later row (the detectors' own "system" rows stay where they were: they
are not anyone's action)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from console.audit.chain import CHECKPOINT_ACTION, GENESIS_HASH, SYSTEM_USER, ChainedRow, canonical_details, chain_next

if TYPE_CHECKING:  # the verifier reads this module on any machine: sqlite_utils (and numpy with it) stay unloaded
    import sqlite_utils

READ_CHUNK = 10_000
MIGRATE_CHUNK = 5_000
QUERY_LIMIT = 5_000

COLUMNS = "id, at_ms, user, role, action, camera, target, details, prev_hash, hash, signature"
_APPEND_ONLY = "SELECT RAISE(ABORT, 'the audit trail is append-only')"
_SCHEMA = (
    """CREATE TABLE audit (
        id INTEGER PRIMARY KEY,
        at_ms INTEGER NOT NULL,
        user TEXT NOT NULL,
        role TEXT,
        action TEXT NOT NULL,
        camera TEXT,
        target TEXT,
        details TEXT NOT NULL DEFAULT '{}',
        prev_hash TEXT NOT NULL,
        hash TEXT NOT NULL,
        signature TEXT
    )""",
    "CREATE INDEX audit_at ON audit (at_ms)",
    "CREATE INDEX audit_user ON audit (user, at_ms)",
    "CREATE INDEX audit_action ON audit (action, at_ms)",
    "CREATE INDEX audit_camera ON audit (camera, at_ms)",
    # The console never changes a row; these stop a bug (or a careless hand) from doing it quietly. Dropping
    # them is possible, and `python -m console.audit verify` then finds what was changed.
    f"CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit BEGIN {_APPEND_ONLY}; END",
    f"CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit BEGIN {_APPEND_ONLY}; END",
)
MIGRATED_FROM = "alert_audit"  # details["migrated_from"] = "alert_audit:<its id>" on every copied row
_ALERT_ACTIONS = {"acknowledged": "alert.acknowledged", "closed": "alert.closed"}


def schema_v7(db: sqlite_utils.Database) -> None:
    """The table and the old alert audit's rows, in one transaction with the version bump (DDL included)."""
    if not db.conn.in_transaction:
        db.execute("BEGIN")
    for statement in _SCHEMA:
        db.execute(statement)
    _copy_alert_audit(db.conn)


def _copy_alert_audit(conn: sqlite3.Connection) -> None:
    cursor = conn.execute(
        "SELECT a.id, a.alert_id, a.at_ms, a.actor, a.from_state, a.to_state, a.note, al.camera_id, al.site_id "
        "FROM alert_audit a LEFT JOIN alerts al ON al.id = a.alert_id WHERE a.actor != ? ORDER BY a.id",
        [SYSTEM_USER])
    prev, next_id = GENESIS_HASH, 1
    while chunk := cursor.fetchmany(MIGRATE_CHUNK):
        rows = []
        for audit_id, alert_id, at_ms, actor, from_state, to_state, note, camera, site in chunk:
            action = "incident.manual" if from_state is None else _ALERT_ACTIONS.get(to_state, "alert.state_changed")
            details = canonical_details({"from": from_state, "to": to_state, "note": note, "site": site,
                                         "migrated_from": f"{MIGRATED_FROM}:{audit_id}"})
            row = chain_next(next_id, int(at_ms), str(actor), None, action, camera, f"alert:{alert_id}", details,
                             prev)
            rows.append(row)
            prev, next_id = row.hash, next_id + 1
        insert_rows(conn, rows)


def insert_rows(conn: sqlite3.Connection, rows: Sequence[ChainedRow]) -> None:
    conn.executemany(f"INSERT INTO audit ({COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                     [(r.id, r.at_ms, r.user, r.role, r.action, r.camera, r.target, r.details, r.prev_hash, r.hash,
                       r.signature) for r in rows])


def _chained(values: Sequence[Any]) -> ChainedRow:
    return ChainedRow(*values)


def last_row(conn: sqlite3.Connection) -> ChainedRow | None:
    values = conn.execute(f"SELECT {COLUMNS} FROM audit ORDER BY id DESC LIMIT 1").fetchone()
    return _chained(values) if values else None


def row_at(conn: sqlite3.Connection, row_id: int) -> ChainedRow | None:
    values = conn.execute(f"SELECT {COLUMNS} FROM audit WHERE id = ?", [row_id]).fetchone()
    return _chained(values) if values else None


def last_checkpoint(conn: sqlite3.Connection) -> ChainedRow | None:
    values = conn.execute(f"SELECT {COLUMNS} FROM audit WHERE action = ? ORDER BY id DESC LIMIT 1",
                          [CHECKPOINT_ACTION]).fetchone()
    return _chained(values) if values else None


def only_migrated_rows(conn: sqlite3.Connection) -> bool:
    """True when every row was copied from the old alert audit (a trail no console has signed yet)."""
    pattern = f'%"migrated_from":"{MIGRATED_FROM}:%'
    found = conn.execute("SELECT NOT EXISTS (SELECT 1 FROM audit WHERE details NOT LIKE ?)", [pattern]).fetchone()
    return bool(found[0])


def row_count(conn: sqlite3.Connection) -> int:
    return int(conn.execute("SELECT count(*) FROM audit").fetchone()[0])


def has_table(conn: sqlite3.Connection) -> bool:
    return conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'audit'").fetchone() is not None


def stored_values(conn: sqlite3.Connection) -> Iterator[tuple[Any, ...]]:
    """Every row's columns (COLUMNS order) by id, as plain tuples: the verifier's million-row pass."""
    cursor = conn.execute(f"SELECT {COLUMNS} FROM audit ORDER BY id")
    while chunk := cursor.fetchmany(READ_CHUNK):
        yield from chunk


@dataclass(frozen=True)
class AuditQuery:
    """The *Nhật ký thao tác* window's filters; newest first."""

    since_ms: int | None = None
    until_ms: int | None = None
    user: str | None = None
    action: str | None = None
    camera: str | None = None
    limit: int = QUERY_LIMIT

    def statement(self) -> tuple[str, list[Any]]:
        clauses, params = [], []
        for clause, value in (("at_ms >= ?", self.since_ms), ("at_ms < ?", self.until_ms), ("user = ?", self.user),
                              ("action = ?", self.action), ("camera = ?", self.camera)):
            if value is not None:
                clauses.append(clause)
                params.append(value)
        where = f" WHERE {' AND '.join(clauses)}" if clauses else ""
        return f"SELECT {COLUMNS} FROM audit{where} ORDER BY at_ms DESC, id DESC LIMIT {int(self.limit)}", params


def query(conn: sqlite3.Connection, filters: AuditQuery) -> list[ChainedRow]:
    sql, params = filters.statement()
    return [_chained(values) for values in conn.execute(sql, params).fetchall()]
