"""The outbox rows for what the commune reports: the alert writer's hook (`AlertOutbox`, rows written inside the
alert log's own transaction) and the audit checkpoint (`enqueue_audit_checkpoint`, inside the audit writer's).

The rows are written under a SAVEPOINT: should building one ever fail, the outbox part is rolled back and
logged, and the alerts still commit. The local log matters more than the province's copy of it.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable, Sequence
from typing import Any

from console.core.alerts import HEALTH_KINDS, AlertKind
from console.store import outbox
from console.store.outbox import AlertChange
from console.uplink.schema import MessageType, Topic, alert_object, audit_checkpoint_body, body_text, clean_note

log = logging.getLogger(__name__)

_ALERT_TOPICS = {
    AlertChange.NEW: (Topic.ALERT_NEW, MessageType.ALERT_NEW),
    AlertChange.UPDATE: (Topic.ALERT_UPDATE, MessageType.ALERT_UPDATE),
    AlertChange.END: (Topic.ALERT_END, MessageType.ALERT_END),
    AlertChange.ACK: (Topic.ALERT_ACK, MessageType.ALERT_ACK),
    AlertChange.CLOSE: (Topic.ALERT_CLOSE, MessageType.ALERT_CLOSE),
}
_COLUMNS = ("id, kind, camera_id, site_id, priority, score, state, started_ms, peak_ms, last_ms, ended_ms, note, "
            "acked_by, acked_ms, closed_by, closed_ms, snapshot")
_CHUNK = 500


def _topic(kind: AlertKind, change: AlertChange) -> tuple[Topic, MessageType]:
    """A manual incident's creation and a health alert's start or end have topics of their own; every other
    change of an alert goes on alerts/…"""
    if change is AlertChange.NEW and kind is AlertKind.MANUAL:
        return Topic.INCIDENT, MessageType.INCIDENT_NEW
    if change in (AlertChange.NEW, AlertChange.END) and kind in HEALTH_KINDS:
        return Topic.HEALTH, MessageType.HEALTH_CHANGE
    return _ALERT_TOPICS[change]


class AlertOutbox:
    """Hand to `AlertWriter(outbox=…)`: for each committed change of an alert, its outbox row (and a snapshot
    row for a new alert with a picture). `wake` (the publisher's) is told after the commit."""

    def __init__(self, wake: Callable[[], None] | None = None, snapshots: bool = True) -> None:
        self._wake = wake
        self._snapshots = snapshots
        self.failures = 0

    def write(self, conn: sqlite3.Connection, changes: Sequence[tuple[int, AlertChange]]) -> None:
        conn.execute("SAVEPOINT uplink_outbox")
        try:
            outbox.enqueue_many(conn, self._rows(conn, changes))
        except Exception:
            conn.execute("ROLLBACK TO uplink_outbox")
            self.failures += 1
            log.exception("uplink: %d outbox rows not written (the alerts are)", len(changes))
        finally:
            conn.execute("RELEASE uplink_outbox")

    def committed(self) -> None:
        if self._wake is not None:
            self._wake()

    def _rows(self, conn: sqlite3.Connection,
              changes: Sequence[tuple[int, AlertChange]]) -> list[tuple[str, str, int, str | None]]:
        alerts = _alerts(conn, sorted({alert_id for alert_id, _ in changes}))
        rows: list[tuple[str, str, int, str | None]] = []
        for alert_id, change in changes:
            values = alerts.get(alert_id)
            if values is None:
                continue
            kind = AlertKind(values["kind"])
            topic, message = _topic(kind, change)
            body: dict[str, Any] = {"type": message.value, "alert": _alert(values)}
            at = _moment(values, change)
            if message is MessageType.HEALTH_CHANGE:
                body |= {"state": "down" if change is AlertChange.NEW else "up", "kind": kind.value,
                         "camera": values["camera_id"], "site": values["site_id"]}
            if change in (AlertChange.ACK, AlertChange.CLOSE):
                body |= _transition(conn, alert_id, "acknowledged" if change is AlertChange.ACK else "closed")
            ref = f"alert:{alert_id}"
            rows.append((topic.value, body_text(body), at, ref))
            if change is AlertChange.NEW and self._snapshots and values["snapshot"]:
                snap = {"type": MessageType.SNAPSHOT.value, "alert": alert_id, "camera": values["camera_id"],
                        "file": values["snapshot"]}
                rows.append((Topic.SNAPSHOT.value, body_text(snap), at, ref))
        return rows


def _alerts(conn: sqlite3.Connection, ids: list[int]) -> dict[int, dict[str, Any]]:
    found: dict[int, dict[str, Any]] = {}
    names = [c.strip() for c in _COLUMNS.split(",")]
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start:start + _CHUNK]
        marks = ",".join("?" * len(chunk))
        for values in conn.execute(f"SELECT {_COLUMNS} FROM alerts WHERE id IN ({marks})", chunk):
            found[int(values[0])] = dict(zip(names, values, strict=True))
    return found


def _alert(values: dict[str, Any]) -> dict[str, Any]:
    return alert_object(alert_id=int(values["id"]), kind=str(values["kind"]), camera=values["camera_id"],
                        site=values["site_id"], priority=int(values["priority"]), score=float(values["score"]),
                        state=str(values["state"]), started_ms=int(values["started_ms"]), peak_ms=values["peak_ms"],
                        last_ms=values["last_ms"], ended_ms=values["ended_ms"], note=str(values["note"] or ""),
                        acked_by=values["acked_by"], acked_ms=values["acked_ms"], closed_by=values["closed_by"],
                        closed_ms=values["closed_ms"], has_snapshot=bool(values["snapshot"]))


def _moment(values: dict[str, Any], change: AlertChange) -> int:
    """When the change happened (the local row's own time)."""
    by_change = {AlertChange.NEW: values["started_ms"], AlertChange.UPDATE: values["last_ms"] or values["peak_ms"],
                 AlertChange.END: values["ended_ms"], AlertChange.ACK: values["acked_ms"],
                 AlertChange.CLOSE: values["closed_ms"]}
    moment = by_change[change]
    return int(moment if moment is not None else values["started_ms"])


def _transition(conn: sqlite3.Connection, alert_id: int, to_state: str) -> dict[str, Any]:
    """The officer and the note of an acknowledgement or a closing (the alert's note holds all of them)."""
    row = conn.execute("SELECT actor, note FROM alert_audit WHERE alert_id = ? AND to_state = ? "
                       "ORDER BY id DESC LIMIT 1", [alert_id, to_state]).fetchone()
    if row is None:
        return {"officer": None, "note": ""}
    return {"officer": row[0], "note": clean_note(row[1])}


def enqueue_audit_checkpoint(conn: sqlite3.Connection, *, row_id: int, row_at_ms: int, row_hash: str,
                             signature: str, key_fingerprint: str) -> int:
    """The outbox row for a signed audit checkpoint; call it inside the transaction that writes the row."""
    body = audit_checkpoint_body(row_id=row_id, row_at_ms=row_at_ms, row_hash=row_hash, signature=signature,
                                 key_fingerprint=key_fingerprint)
    return outbox.enqueue(conn, Topic.AUDIT.value, body_text(body), row_at_ms, f"audit:{row_id}")
