"""The uplink's topics and payloads, version 1: one root `bn/v1/<commune>/…`, JSON with `"v": 1`.

Every message the outbox carries has the commune's `seq` (monotonic, never reused) and is repeated until the
province's receipt for it arrives, so the province deduplicates on (commune, seq). `status` and per-camera
health are retained state, not events: they carry no seq, need no receipt, and are re-published every minute
because RabbitMQ keeps retained messages per node. The README's "Kết nối về tỉnh" section documents the same.

Payloads are built field by field from an allow-list (never a row or a config object dumped whole): camera
credentials and stream addresses have no way in, and free text (an officer's note) is passed through the
console's password redaction.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Iterable, Mapping
from enum import StrEnum
from typing import Any

from console.core.redact import redact

SCHEMA_VERSION = 1
TOPIC_ROOT = "bn/v1"
MAX_SNAPSHOT_BYTES = 48 * 1024  # JPEG bytes before base64 (~64 KiB on the wire): a 640×360 frame at quality ~70
MAX_MESSAGE_BYTES = 96 * 1024  # what the province accepts from a commune; anything larger is not sent
MAX_RECEIPT_BYTES = 256 * 1024
MAX_RECEIPT_SEQS = 10_000
MAX_NOTE_CHARS = 4000


class Topic(StrEnum):
    """Topics under `bn/v1/<commune>/`."""

    STATUS = "status"  # retained; last will "offline"
    RECEIPTS = "receipts"  # province → commune
    ALERT_NEW = "alerts/new"
    ALERT_UPDATE = "alerts/update"
    ALERT_END = "alerts/end"
    ALERT_ACK = "alerts/ack"
    ALERT_CLOSE = "alerts/close"
    INCIDENT = "incidents/new"  # a manual incident (Ghi nhận vụ việc)
    HEALTH = "health"  # a camera, a site or the station's link went down or came back
    AUDIT = "audit/checkpoint"
    SNAPSHOT = "snapshots"  # a small JPEG of an alert, base64 in JSON


CAMERA_HEALTH = "cameras/{camera}/health"  # retained, one per camera


class MessageType(StrEnum):
    """The `type` field: what a message says, the same word on every broker."""

    STATUS = "status"
    CAMERA_HEALTH = "camera_health"
    ALERT_NEW = "alert_new"
    ALERT_UPDATE = "alert_update"
    ALERT_END = "alert_end"
    ALERT_ACK = "alert_ack"
    ALERT_CLOSE = "alert_close"
    INCIDENT_NEW = "incident_new"
    HEALTH_CHANGE = "health_change"
    AUDIT_CHECKPOINT = "audit_checkpoint"
    SNAPSHOT = "snapshot"
    RECEIPT = "receipt"


class LinkState(StrEnum):
    """`status.state` as the province reads it."""

    ONLINE = "online"
    OFFLINE = "offline"


def commune_root(commune: str) -> str:
    return f"{TOPIC_ROOT}/{commune}"


def topic(commune: str, suffix: str) -> str:
    return f"{commune_root(commune)}/{suffix}"


def camera_health_topic(commune: str, camera_id: str) -> str:
    return topic(commune, CAMERA_HEALTH.format(camera=camera_id))


def _dump(data: Mapping[str, Any]) -> bytes:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def body_text(data: Mapping[str, Any]) -> str:
    """An outbox row's body: the message without its envelope."""
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def envelope(commune: str, seq: int, at_ms: int, body: str) -> bytes:
    """The message for one outbox row: version, commune, seq and the moment the local row was written."""
    data = json.loads(body)
    return _dump({"v": SCHEMA_VERSION, "commune": commune, "seq": seq, "at_ms": at_ms, **data})


def status_payload(commune: str, state: LinkState, session: str, at_ms: int | None, *,
                   backlog: int | None = None, reason: str | None = None) -> bytes:
    """`status`: online (with the backlog waiting), or offline (the last will: `at_ms` None, `reason` "lost";
    a clean stop: "stopped"). `session` names one connection: an offline of an older session than the last
    online is stale (a will fired late) and the province ignores it."""
    data: dict[str, Any] = {"v": SCHEMA_VERSION, "type": MessageType.STATUS.value, "commune": commune,
                            "state": state.value, "session": session, "at_ms": at_ms}
    if backlog is not None:
        data["backlog"] = backlog
    if reason is not None:
        data["reason"] = reason
    return _dump(data)


def camera_health_payload(commune: str, camera_id: str, state: str, at_ms: int) -> bytes:
    """`cameras/<id>/health`: "ok", or the kind of the problem going on ("camera_offline", "frozen", …)."""
    return _dump({"v": SCHEMA_VERSION, "type": MessageType.CAMERA_HEALTH.value, "commune": commune,
                  "camera": camera_id, "state": state, "at_ms": at_ms})


def alert_object(*, alert_id: int, kind: str, camera: str | None, site: str | None, priority: int, score: float,
                 state: str, started_ms: int, peak_ms: int | None, last_ms: int | None, ended_ms: int | None,
                 note: str, acked_by: str | None, acked_ms: int | None, closed_by: str | None,
                 closed_ms: int | None, has_snapshot: bool) -> dict[str, Any]:
    """An alert's whole state as the province stores it: any message carrying `alert` upserts it."""
    return {"id": alert_id, "kind": kind, "camera": camera, "site": site, "priority": priority,
            "score": round(score, 4), "state": state, "started_ms": started_ms, "peak_ms": peak_ms,
            "last_ms": last_ms, "ended_ms": ended_ms, "note": clean_note(note), "acked_by": acked_by,
            "acked_ms": acked_ms, "closed_by": closed_by, "closed_ms": closed_ms, "has_snapshot": has_snapshot}


def clean_note(note: str | None) -> str:
    """An officer's free text as it leaves the station: passwords in pasted addresses masked, length capped."""
    return redact(note or "")[:MAX_NOTE_CHARS]


def audit_checkpoint_body(*, row_id: int, row_at_ms: int, row_hash: str, signature: str,
                          key_fingerprint: str) -> dict[str, Any]:
    """A signed checkpoint of the audit trail: the province can later prove the station's trail was not
    rewritten after this row."""
    return {"type": MessageType.AUDIT_CHECKPOINT.value, "row": row_id, "row_at_ms": row_at_ms,
            "hash": row_hash, "signature": signature, "key": key_fingerprint}


def snapshot_message(body: str, jpeg: bytes | None) -> str:
    """A snapshot row's body as sent: the stored reference replaced by the JPEG (or `missing` when the file is
    gone or cannot be made small enough). The file name never leaves the station."""
    data = json.loads(body)
    data.pop("file", None)
    if jpeg is None:
        data["missing"] = True
    else:
        data["jpeg"] = base64.b64encode(jpeg).decode("ascii")
        data["bytes"] = len(jpeg)
    return body_text(data)


def receipt_payload(seqs: Iterable[int]) -> bytes:
    """What the province sends on `bn/v1/<commune>/receipts` once it has committed these seqs."""
    return _dump({"v": SCHEMA_VERSION, "type": MessageType.RECEIPT.value, "seqs": sorted(set(seqs))})


def parse_receipt(payload: bytes) -> list[int] | None:
    """The seqs a receipt acknowledges; None when it is not a version-1 receipt (logged and dropped)."""
    if len(payload) > MAX_RECEIPT_BYTES:
        return None
    try:
        data = json.loads(payload)
    except (ValueError, RecursionError):
        return None
    if not isinstance(data, dict) or data.get("v") != SCHEMA_VERSION:
        return None
    seqs = data.get("seqs")
    if not isinstance(seqs, list) or len(seqs) > MAX_RECEIPT_SEQS:
        return None
    if not all(isinstance(s, int) and not isinstance(s, bool) and s > 0 for s in seqs):
        return None
    return [int(s) for s in seqs]
