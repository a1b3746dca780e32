"""One MQTT message from a commune read against schema v1 (console/uplink/schema.py): a sequenced report to
store and confirm, the commune's status or a camera's health to keep, or the reason it is dropped.

Checked before anything is stored: the size (before parsing), JSON, the version, the topic under
`bn/v1/<commune>/`, the type the topic allows, that the payload names the topic's commune (the broker's ACL
keeps a commune in its own root; a payload claiming another commune is a forgery or a bug), and the fields the
store reads. Nothing here raises on what a commune sends.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from dataclasses import dataclass, field
from typing import Any

from console.province.messages import DropReason
from console.uplink import schema
from console.uplink.schema import LinkState, MessageType, Topic

# What the publisher sends, under the message's own seq and topic, instead of a message over the size cap
# (console/uplink/publisher.py): stored and confirmed so the commune stops sending it.
OVERSIZED_TYPE = "oversized"
_COMMUNE = re.compile(r"^[A-Za-z0-9_-]{1,32}$")
_CAMERA = re.compile(r"^[^/#+\x00-\x1f]{1,64}$")
MAX_TEXT_CHARS = schema.MAX_NOTE_CHARS * 2

# Which type each sequenced topic carries.
SEQUENCED: dict[str, MessageType] = {
    Topic.ALERT_NEW.value: MessageType.ALERT_NEW,
    Topic.ALERT_UPDATE.value: MessageType.ALERT_UPDATE,
    Topic.ALERT_END.value: MessageType.ALERT_END,
    Topic.ALERT_ACK.value: MessageType.ALERT_ACK,
    Topic.ALERT_CLOSE.value: MessageType.ALERT_CLOSE,
    Topic.INCIDENT.value: MessageType.INCIDENT_NEW,
    Topic.HEALTH.value: MessageType.HEALTH_CHANGE,
    Topic.AUDIT.value: MessageType.AUDIT_CHECKPOINT,
    Topic.SNAPSHOT.value: MessageType.SNAPSHOT,
}
ALERT_TYPES = frozenset({MessageType.ALERT_NEW, MessageType.ALERT_UPDATE, MessageType.ALERT_END,
                         MessageType.ALERT_ACK, MessageType.ALERT_CLOSE, MessageType.INCIDENT_NEW,
                         MessageType.HEALTH_CHANGE})
_HEALTH_PREFIX, _HEALTH_SUFFIX = schema.CAMERA_HEALTH.split("{camera}")


@dataclass(frozen=True)
class Sequenced:
    """A report of the commune's outbox: stored once per (commune, seq), then confirmed."""

    commune: str
    seq: int
    at_ms: int
    topic: str  # under the commune's root: "alerts/new", …
    type: str  # a MessageType value, or OVERSIZED_TYPE
    data: dict[str, Any]
    received_ms: int


@dataclass(frozen=True)
class StatusReport:
    commune: str
    state: LinkState
    session: str
    at_ms: int | None  # None: the last will
    backlog: int | None
    reason: str | None
    received_ms: int


@dataclass(frozen=True)
class CameraHealthReport:
    commune: str
    camera: str
    state: str
    at_ms: int
    received_ms: int


@dataclass(frozen=True)
class CommandAnswer:
    """A commune's answer to a command of the province (not sequenced, not stored: handed to whoever asked).
    `jpeg` and `taken_ms` for a picture; `refused` (a CommandRefusal value) otherwise."""

    commune: str
    request: str
    camera: str | None
    jpeg: bytes | None
    taken_ms: int | None
    refused: str | None
    received_ms: int


@dataclass(frozen=True)
class Echo:
    """The province's own receipt coming back through its `bn/v1/+/#` subscription: nothing to do."""


@dataclass(frozen=True)
class Dropped:
    reason: DropReason
    params: dict[str, str] = field(default_factory=dict)


Parsed = Sequenced | StatusReport | CameraHealthReport | CommandAnswer | Echo | Dropped
_REFUSALS = frozenset(r.value for r in schema.CommandRefusal)


class _BadFieldError(Exception):
    def __init__(self, name: str) -> None:
        super().__init__(name)
        self.name = name


def _int(data: dict[str, Any], name: str, optional: bool = False) -> int | None:
    value = data.get(name)
    if value is None and optional:
        return None
    if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value < 2**63:
        raise _BadFieldError(name)
    return value


def _text(data: dict[str, Any], name: str, optional: bool = False) -> str | None:
    value = data.get(name)
    if value is None and optional:
        return None
    if not isinstance(value, str) or len(value) > MAX_TEXT_CHARS:
        raise _BadFieldError(name)
    return value


def _number(data: dict[str, Any], name: str) -> None:
    value = data.get(name)
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise _BadFieldError(name)


def _alert(data: dict[str, Any]) -> None:
    alert = data.get("alert")
    if not isinstance(alert, dict):
        raise _BadFieldError("alert")
    _int(alert, "id")
    _text(alert, "kind")
    _text(alert, "state")
    _int(alert, "started_ms")
    _int(alert, "priority")
    _number(alert, "score")
    for name in ("camera", "site", "acked_by", "closed_by", "note"):
        _text(alert, name, optional=True)
    for name in ("peak_ms", "last_ms", "ended_ms", "acked_ms", "closed_ms"):
        _int(alert, name, optional=True)
    if not isinstance(alert.get("has_snapshot", False), bool):
        raise _BadFieldError("alert.has_snapshot")


def _fields(kind: MessageType, data: dict[str, Any]) -> None:
    """Raise _BadFieldError for the first field the store would not be able to read."""
    if kind in ALERT_TYPES:
        _alert(data)
    if kind in (MessageType.ALERT_ACK, MessageType.ALERT_CLOSE):
        _text(data, "officer", optional=True)
        _text(data, "note", optional=True)
    elif kind is MessageType.HEALTH_CHANGE:
        if data.get("state") not in ("down", "up"):
            raise _BadFieldError("state")
        _text(data, "kind")
        _text(data, "camera", optional=True)
        _text(data, "site", optional=True)
    elif kind is MessageType.AUDIT_CHECKPOINT:
        _int(data, "row")
        _int(data, "row_at_ms")
        for name in ("hash", "signature", "key"):
            _text(data, name)
    elif kind is MessageType.SNAPSHOT:
        _int(data, "alert")
        _text(data, "camera", optional=True)
        if data.get("missing") is not True:
            jpeg_bytes(data)


def jpeg_bytes(data: dict[str, Any]) -> bytes:
    """A snapshot message's picture (checked: base64, within the cap)."""
    text = data.get("jpeg")
    if not isinstance(text, str) or len(text) > (schema.MAX_SNAPSHOT_BYTES * 4) // 3 + 4:
        raise _BadFieldError("jpeg")
    try:
        jpeg = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        raise _BadFieldError("jpeg") from None
    if not jpeg or len(jpeg) > schema.MAX_SNAPSHOT_BYTES:
        raise _BadFieldError("jpeg")
    return jpeg


def _split(topic: str) -> tuple[str, str] | None:
    """(commune, suffix) of `bn/v1/<commune>/<suffix>`."""
    prefix = schema.TOPIC_ROOT + "/"
    if not topic.startswith(prefix):
        return None
    commune, _, suffix = topic[len(prefix):].partition("/")
    if not _COMMUNE.fullmatch(commune) or not suffix:
        return None
    return commune, suffix


def _camera_of(suffix: str) -> str | None:
    if suffix.startswith(_HEALTH_PREFIX) and suffix.endswith(_HEALTH_SUFFIX):
        camera = suffix[len(_HEALTH_PREFIX):len(suffix) - len(_HEALTH_SUFFIX)]
        return camera if _CAMERA.fullmatch(camera) else None
    return None


def parse_message(topic: str, payload: bytes, received_ms: int) -> Parsed:
    """What one message is; never raises."""
    where = {"topic": topic[:120]}
    size = {"size": str(len(payload))}
    if len(payload) > schema.MAX_MESSAGE_BYTES:
        return Dropped(DropReason.OVERSIZED, where | size | {"limit": str(schema.MAX_MESSAGE_BYTES)})
    place = _split(topic)
    if place is None:
        return Dropped(DropReason.UNKNOWN_TOPIC, where)
    commune, suffix = place
    if suffix in (Topic.RECEIPTS.value, Topic.COMMANDS.value):
        return Echo()
    try:
        data = json.loads(payload)
    except (ValueError, RecursionError):
        return Dropped(DropReason.MALFORMED, where | size)
    if not isinstance(data, dict):
        return Dropped(DropReason.MALFORMED, where | size)
    if data.get("v") != schema.SCHEMA_VERSION:
        return Dropped(DropReason.UNKNOWN_VERSION, where | {"version": str(data.get("v"))[:20]})
    claimed = data.get("commune")
    if claimed != commune:
        return Dropped(DropReason.FOREIGN_COMMUNE, where | {"claimed": str(claimed)[:40]})
    kind = data.get("type")
    try:
        return _typed(commune, suffix, kind, data, received_ms, where)
    except _BadFieldError as bad:
        return Dropped(DropReason.BAD_FIELD, where | {"field": bad.name})


def _typed(commune: str, suffix: str, kind: object, data: dict[str, Any], received_ms: int,
           where: dict[str, str]) -> Parsed:
    wrong = Dropped(DropReason.WRONG_TYPE, where | {"type": str(kind)[:40]})
    if suffix == Topic.STATUS.value:
        if kind != MessageType.STATUS.value:
            return wrong
        state = data.get("state")
        if state not in (LinkState.ONLINE.value, LinkState.OFFLINE.value):
            raise _BadFieldError("state")
        return StatusReport(commune, LinkState(state), _text(data, "session") or "", _int(data, "at_ms", True),
                            _int(data, "backlog", True), _text(data, "reason", True), received_ms)
    if suffix == Topic.SNAPSHOT.value and kind in (MessageType.SNAPSHOT_REPLY.value,
                                                   MessageType.COMMAND_REFUSED.value):
        return _answer(commune, kind, data, received_ms)
    camera = _camera_of(suffix)
    if camera is not None:
        if kind != MessageType.CAMERA_HEALTH.value:
            return wrong
        if data.get("camera") != camera:
            raise _BadFieldError("camera")
        return CameraHealthReport(commune, camera, _text(data, "state") or "", _int(data, "at_ms") or 0,
                                  received_ms)
    expected = SEQUENCED.get(suffix)
    if expected is None:
        return Dropped(DropReason.UNKNOWN_TOPIC, where)
    seq, at_ms = _int(data, "seq"), _int(data, "at_ms")
    if not seq:
        raise _BadFieldError("seq")
    if kind == OVERSIZED_TYPE:
        return Sequenced(commune, seq, at_ms or 0, suffix, OVERSIZED_TYPE, data, received_ms)
    if kind != expected.value:
        return wrong
    _fields(expected, data)
    return Sequenced(commune, seq, at_ms or 0, suffix, expected.value, data, received_ms)


def _answer(commune: str, kind: object, data: dict[str, Any], received_ms: int) -> CommandAnswer:
    request = _text(data, "request") or ""
    if not schema.REQUEST_ID.fullmatch(request):
        raise _BadFieldError("request")
    camera = _text(data, "camera", optional=True)
    if kind == MessageType.SNAPSHOT_REPLY.value:
        return CommandAnswer(commune, request, camera, jpeg_bytes(data), _int(data, "taken_ms"), None, received_ms)
    reason = data.get("reason")
    if reason not in _REFUSALS:
        raise _BadFieldError("reason")
    return CommandAnswer(commune, request, camera, None, None, str(reason), received_ms)
