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
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
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
    SNAPSHOT = "snapshots"  # a small JPEG of an alert, base64 in JSON; also the answers to the province's commands
    COMMANDS = "commands"  # province → commune: a command (QoS 1, not retained); only the province may publish


# What a commune may publish under its own root (the brokers' ACL lists exactly these, so that only the province
# writes a commune's `commands` and `receipts`): MQTT filters relative to `bn/v1/<commune>/`.
COMMUNE_WRITES = ("status", "cameras/+/health", "alerts/+", "incidents/+", "health", "audit/+", "snapshots")
COMMUNE_READS = ("receipts", "commands")


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
    SNAPSHOT_REQUEST = "snapshot_request"  # province → commune, on `commands`
    SNAPSHOT_REPLY = "snapshot_reply"  # commune → province, on `snapshots`: the live picture asked for
    COMMAND_REFUSED = "command_refused"  # commune → province, on `snapshots`: a command not carried out


# The commands a commune carries out; any other type is refused (and audited) at the commune.
ALLOWED_COMMANDS = frozenset({MessageType.SNAPSHOT_REQUEST.value})
MAX_COMMAND_BYTES = 4096
REQUEST_ID = re.compile(r"^[A-Za-z0-9_-]{1,40}$")
COMMAND_CAMERA = re.compile(r"^[^/#+\x00-\x1f]{1,64}$")
MAX_BY_CHARS = 64


class CommandRefusal(StrEnum):
    """`command_refused.reason`: why the commune did not carry out a command (the province says it in Vietnamese)."""

    UNKNOWN_CAMERA = "unknown_camera"  # no such camera in the commune's site file
    CAMERA_OFFLINE = "camera_offline"  # the camera is lost or frozen
    NO_PICTURE = "no_picture"  # no live picture came within the time
    NOT_ALLOWED = "not_allowed"  # a command type the commune does not carry out
    RATE_LIMITED = "rate_limited"  # asked again too soon (per camera) or too often (in all)
    MALFORMED = "malformed"  # a command missing a field the commune needs
    UNAVAILABLE = "unavailable"  # this console answers no commands (no live pictures here)


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


@dataclass(frozen=True)
class Command:
    """A command from the province as the commune read it (`type` may be one it does not carry out)."""

    type: str
    request: str
    camera: str | None
    by: str
    at_ms: int | None


def command_payload(kind: str, request: str, camera: str | None, by: str, at_ms: int) -> bytes:
    """`bn/v1/<commune>/commands`: `{"v":1,"type","request","camera","by","at_ms"}` (province → commune)."""
    return _dump({"v": SCHEMA_VERSION, "type": kind, "request": request, "camera": camera, "by": by[:MAX_BY_CHARS],
                  "at_ms": at_ms})


def _version_1(payload: bytes, max_bytes: int) -> dict[str, Any] | None:
    """A small JSON object of schema version 1, else None (too big, not JSON, too deep, another version)."""
    if len(payload) > max_bytes:
        return None
    try:
        data = json.loads(payload)
    except (ValueError, RecursionError):
        return None
    if not isinstance(data, dict) or data.get("v") != SCHEMA_VERSION:
        return None
    return data


def parse_command(payload: bytes) -> Command | None:
    """A command's fields; None when it is not a version-1 command with a request id (it cannot be answered)."""
    data = _version_1(payload, MAX_COMMAND_BYTES)
    if data is None:
        return None
    kind, request = data.get("type"), data.get("request")
    if not isinstance(kind, str) or not isinstance(request, str) or not REQUEST_ID.fullmatch(request):
        return None
    camera, by, at_ms = data.get("camera"), data.get("by"), data.get("at_ms")
    return Command(kind[:40], request,
                   camera if isinstance(camera, str) and COMMAND_CAMERA.fullmatch(camera) else None,
                   redact(by)[:MAX_BY_CHARS] if isinstance(by, str) else "",
                   at_ms if isinstance(at_ms, int) and not isinstance(at_ms, bool) and at_ms >= 0 else None)


def snapshot_reply_payload(commune: str, request: str, camera: str, taken_ms: int, jpeg: bytes) -> bytes:
    """The answer to a `snapshot_request`: the live picture (≤ MAX_SNAPSHOT_BYTES) and when it was taken."""
    return _dump({"v": SCHEMA_VERSION, "type": MessageType.SNAPSHOT_REPLY.value, "commune": commune,
                  "request": request, "camera": camera, "taken_ms": taken_ms,
                  "jpeg": base64.b64encode(jpeg).decode("ascii"), "bytes": len(jpeg)})


def command_refused_payload(commune: str, command: Command, reason: CommandRefusal, at_ms: int) -> bytes:
    """A command the commune did not carry out, and why."""
    return _dump({"v": SCHEMA_VERSION, "type": MessageType.COMMAND_REFUSED.value, "commune": commune,
                  "request": command.request, "command": command.type, "camera": command.camera,
                  "reason": reason.value, "at_ms": at_ms})


def receipt_payload(seqs: Iterable[int]) -> bytes:
    """What the province sends on `bn/v1/<commune>/receipts` once it has committed these seqs."""
    return _dump({"v": SCHEMA_VERSION, "type": MessageType.RECEIPT.value, "seqs": sorted(set(seqs))})


def parse_receipt(payload: bytes) -> list[int] | None:
    """The seqs a receipt acknowledges; None when it is not a version-1 receipt (logged and dropped)."""
    data = _version_1(payload, MAX_RECEIPT_BYTES)
    if data is None:
        return None
    seqs = data.get("seqs")
    if not isinstance(seqs, list) or len(seqs) > MAX_RECEIPT_SEQS:
        return None
    if not all(isinstance(s, int) and not isinstance(s, bool) and s > 0 for s in seqs):
        return None
    return [int(s) for s in seqs]
