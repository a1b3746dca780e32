"""The province's own SQLite of everything the communes report: the ledger of (commune, seq) that makes every
report stored once, the alerts as their latest state, acknowledgements and closings, incidents, health
changes, audit checkpoints, snapshots (JPEG files beside the database), each commune's link and each camera's
health. One writer (`ProvinceStore`, the receiver's store thread); readers open their own connection
(console/province/queries.py).

A batch is one transaction, committed with `synchronous=FULL` before the receiver sends its receipts: a receipt
means the row survives a power cut, not only a crash.
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from console.province.validate import CameraHealthReport, Sequenced, StatusReport, jpeg_bytes
from console.uplink.schema import LinkState, MessageType

SCHEMA_VERSION = 1
BUSY_TIMEOUT_S = 10.0
UNKNOWN = "unknown"

_SCHEMA = """
CREATE TABLE messages (commune TEXT NOT NULL, seq INTEGER NOT NULL, topic TEXT NOT NULL, type TEXT NOT NULL,
    at_ms INTEGER NOT NULL, received_ms INTEGER NOT NULL, stored_ms INTEGER NOT NULL, body TEXT NOT NULL,
    PRIMARY KEY (commune, seq)) WITHOUT ROWID;
CREATE INDEX messages_type_at ON messages (type, at_ms);
CREATE TABLE communes (id TEXT PRIMARY KEY, state TEXT NOT NULL, session TEXT NOT NULL, since_ms INTEGER,
    backlog INTEGER, reason TEXT, seen_ms INTEGER NOT NULL);
CREATE TABLE camera_health (commune TEXT NOT NULL, camera TEXT NOT NULL, state TEXT NOT NULL,
    at_ms INTEGER NOT NULL, PRIMARY KEY (commune, camera)) WITHOUT ROWID;
CREATE TABLE alerts (commune TEXT NOT NULL, alert_id INTEGER NOT NULL, kind TEXT NOT NULL, camera TEXT, site TEXT,
    priority INTEGER NOT NULL, score REAL NOT NULL, state TEXT NOT NULL, started_ms INTEGER NOT NULL,
    peak_ms INTEGER, last_ms INTEGER, ended_ms INTEGER, note TEXT NOT NULL, acked_by TEXT, acked_ms INTEGER,
    closed_by TEXT, closed_ms INTEGER, has_snapshot INTEGER NOT NULL, last_seq INTEGER NOT NULL,
    first_seen_ms INTEGER NOT NULL, PRIMARY KEY (commune, alert_id));
CREATE INDEX alerts_started ON alerts (started_ms);
CREATE INDEX alerts_commune_started ON alerts (commune, started_ms);
CREATE INDEX alerts_kind_started ON alerts (kind, started_ms);
CREATE INDEX alerts_state_started ON alerts (state, started_ms);
CREATE TABLE alert_steps (commune TEXT NOT NULL, seq INTEGER NOT NULL, alert_id INTEGER NOT NULL,
    step TEXT NOT NULL, officer TEXT, note TEXT NOT NULL, at_ms INTEGER NOT NULL, PRIMARY KEY (commune, seq));
CREATE INDEX alert_steps_alert ON alert_steps (commune, alert_id);
CREATE TABLE incidents (commune TEXT NOT NULL, seq INTEGER NOT NULL, alert_id INTEGER NOT NULL,
    at_ms INTEGER NOT NULL, PRIMARY KEY (commune, seq));
CREATE TABLE health_changes (commune TEXT NOT NULL, seq INTEGER NOT NULL, kind TEXT NOT NULL, state TEXT NOT NULL,
    camera TEXT, site TEXT, at_ms INTEGER NOT NULL, PRIMARY KEY (commune, seq));
CREATE INDEX health_changes_at ON health_changes (at_ms);
CREATE TABLE audit_checkpoints (commune TEXT NOT NULL, seq INTEGER NOT NULL, row INTEGER NOT NULL,
    row_at_ms INTEGER NOT NULL, hash TEXT NOT NULL, signature TEXT NOT NULL, key TEXT NOT NULL,
    PRIMARY KEY (commune, seq));
CREATE TABLE snapshots (commune TEXT NOT NULL, seq INTEGER NOT NULL, alert_id INTEGER NOT NULL, camera TEXT,
    file TEXT, bytes INTEGER, at_ms INTEGER NOT NULL, PRIMARY KEY (commune, seq));
CREATE INDEX snapshots_alert ON snapshots (commune, alert_id);
"""

_ALERT_COLUMNS = ("kind", "camera", "site", "priority", "score", "state", "started_ms", "peak_ms", "last_ms",
                  "ended_ms", "note", "acked_by", "acked_ms", "closed_by", "closed_ms", "has_snapshot")
_UPSERT_ALERT = (
    f"INSERT INTO alerts (commune, alert_id, {', '.join(_ALERT_COLUMNS)}, last_seq, first_seen_ms) "
    f"VALUES ({', '.join('?' * (len(_ALERT_COLUMNS) + 4))}) "
    "ON CONFLICT (commune, alert_id) DO UPDATE SET "
    + ", ".join(f"{c} = excluded.{c}" for c in (*_ALERT_COLUMNS, "last_seq"))
    + " WHERE excluded.last_seq > alerts.last_seq")  # a late backlog row never undoes a newer state


def connect(path: Path, readonly: bool = False) -> sqlite3.Connection:
    if readonly:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=BUSY_TIMEOUT_S, check_same_thread=False)
    else:
        conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_S, check_same_thread=False, isolation_level=None)
    conn.execute("PRAGMA foreign_keys = ON")
    return conn


def open_store(path: Path) -> sqlite3.Connection:
    """The writer's connection, the schema created or checked (WAL; every commit synced)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = connect(path)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = FULL")
    version = int(conn.execute("PRAGMA user_version").fetchone()[0])
    if version == 0:
        conn.executescript(f"BEGIN IMMEDIATE;{_SCHEMA}PRAGMA user_version = {SCHEMA_VERSION};COMMIT;")
    elif version != SCHEMA_VERSION:
        conn.close()
        raise sqlite3.DatabaseError(f"province database schema {version}, expected {SCHEMA_VERSION}")
    return conn


@dataclass
class BatchResult:
    stored: int = 0
    duplicates: int = 0
    receipts: dict[str, list[int]] = field(default_factory=dict)  # commune → seqs to confirm (new and repeated)


class ProvinceStore:
    """The only writer: `write(batch)` commits a batch and says which seqs may now be confirmed."""

    def __init__(self, path: Path, snapshots: Path) -> None:
        self.path = path
        self._snapshots = snapshots
        self._conn = open_store(path)

    def close(self) -> None:
        self._conn.close()

    def write(self, batch: Iterable[Sequenced | StatusReport | CameraHealthReport], now_ms: int) -> BatchResult:
        result = BatchResult()
        conn = self._conn
        conn.execute("BEGIN IMMEDIATE")
        try:
            for item in batch:
                if isinstance(item, Sequenced):
                    self._sequenced(item, now_ms, result)
                elif isinstance(item, StatusReport):
                    _status(conn, item)
                else:
                    conn.execute("INSERT INTO camera_health VALUES (?, ?, ?, ?) ON CONFLICT (commune, camera) DO "
                                 "UPDATE SET state = excluded.state, at_ms = excluded.at_ms "
                                 "WHERE excluded.at_ms >= camera_health.at_ms",
                                 [item.commune, item.camera, item.state, item.at_ms])
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        return result

    def _sequenced(self, item: Sequenced, now_ms: int, result: BatchResult) -> None:
        result.receipts.setdefault(item.commune, []).append(item.seq)
        data = item.data
        kind = item.type
        file = None
        body = data
        if kind == MessageType.SNAPSHOT.value and data.get("missing") is not True:
            body = {k: v for k, v in data.items() if k != "jpeg"}
        cursor = self._conn.execute(
            "INSERT OR IGNORE INTO messages VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [item.commune, item.seq, item.topic, kind, item.at_ms, item.received_ms, now_ms,
             json.dumps(body, ensure_ascii=False, separators=(",", ":"))])
        if cursor.rowcount == 0:
            result.duplicates += 1
            return
        result.stored += 1
        if kind == MessageType.SNAPSHOT.value:
            if data.get("missing") is not True:
                file = self._write_snapshot(item.commune, item.seq, jpeg_bytes(data))
            self._conn.execute("INSERT INTO snapshots VALUES (?, ?, ?, ?, ?, ?, ?)",
                               [item.commune, item.seq, data["alert"], data.get("camera"), file,
                                data.get("bytes") if file else None, item.at_ms])
            return
        alert = data.get("alert")
        if isinstance(alert, dict):
            self._conn.execute(_UPSERT_ALERT, [item.commune, alert["id"], *_alert_values(alert), item.seq,
                                               item.received_ms])
        _details(self._conn, item)

    def _write_snapshot(self, commune: str, seq: int, jpeg: bytes) -> str:
        """The picture on disk before its row commits (a retry rewrites the same name)."""
        name = f"{commune}/{seq}.jpg"
        path = self._snapshots / name
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_suffix(".tmp")
        with open(temporary, "wb") as out:
            out.write(jpeg)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, path)
        return name


def _alert_values(alert: dict[str, Any]) -> list[Any]:
    values = [alert.get(c) for c in _ALERT_COLUMNS]
    values[_ALERT_COLUMNS.index("note")] = alert.get("note") or ""
    values[_ALERT_COLUMNS.index("has_snapshot")] = int(bool(alert.get("has_snapshot")))
    return values


def _details(conn: sqlite3.Connection, item: Sequenced) -> None:
    data, kind = item.data, item.type
    key = [item.commune, item.seq]
    if kind in (MessageType.ALERT_ACK.value, MessageType.ALERT_CLOSE.value):
        step = "acknowledged" if kind == MessageType.ALERT_ACK.value else "closed"
        conn.execute("INSERT INTO alert_steps VALUES (?, ?, ?, ?, ?, ?, ?)",
                     [*key, data["alert"]["id"], step, data.get("officer"), data.get("note") or "", item.at_ms])
    elif kind == MessageType.INCIDENT_NEW.value:
        conn.execute("INSERT INTO incidents VALUES (?, ?, ?, ?)", [*key, data["alert"]["id"], item.at_ms])
    elif kind == MessageType.HEALTH_CHANGE.value:
        conn.execute("INSERT INTO health_changes VALUES (?, ?, ?, ?, ?, ?, ?)",
                     [*key, data["kind"], data["state"], data.get("camera"), data.get("site"), item.at_ms])
    elif kind == MessageType.AUDIT_CHECKPOINT.value:
        conn.execute("INSERT INTO audit_checkpoints VALUES (?, ?, ?, ?, ?, ?, ?)",
                     [*key, data["row"], data["row_at_ms"], data["hash"], data["signature"], data["key"]])


def _status(conn: sqlite3.Connection, report: StatusReport) -> None:
    """A commune's link. An offline of another session than the current online one is a will that fired
    late (the commune is back under a new session): ignored."""
    row = conn.execute("SELECT state, session, since_ms FROM communes WHERE id = ?", [report.commune]).fetchone()
    moment = report.at_ms if report.at_ms is not None else report.received_ms
    if report.state is LinkState.ONLINE:
        same = row is not None and row[0] == LinkState.ONLINE.value and row[1] == report.session
        since = row[2] if same else moment
        reason = None
    else:
        if row is not None and row[0] == LinkState.ONLINE.value and row[1] != report.session:
            return
        since = row[2] if row is not None and row[0] == LinkState.OFFLINE.value and row[2] else moment
        reason = report.reason
    conn.execute("INSERT INTO communes VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET "
                 "state = excluded.state, session = excluded.session, since_ms = excluded.since_ms, "
                 "backlog = excluded.backlog, reason = excluded.reason, seen_ms = excluded.seen_ms",
                 [report.commune, report.state.value, report.session, since, report.backlog, reason,
                  report.received_ms])
