"""Reading Dahua CGI answers: `key=value` lines (`table.ChannelTitle[0].Name=…`, `found=2`, `items[0].StartTime=…`),
`result=…`, the bare `OK` / `Error` replies, and the event stream's `Code=VideoMotion;action=Start;index=0;data={…}`
parts (the `data` JSON may span lines and is not needed)."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass

from console.core.camera_events import CameraEventKind
from console.nvr.models import RecorderNotice

EVENT_KINDS: dict[str, CameraEventKind] = {
    "videomotion": CameraEventKind.MOTION, "smartmotionhuman": CameraEventKind.MOTION,
    "smartmotionvehicle": CameraEventKind.MOTION, "videoblind": CameraEventKind.TAMPER,
    "alarmlocal": CameraEventKind.ALARM_INPUT,
}
_INDEXED = re.compile(r"^(.+?)\[(\d+)\]\.(.+)$")


class DahuaFormatError(ValueError):
    """Not the text the operation answers."""


def pairs(body: bytes) -> dict[str, str]:
    """Every `key=value` line (the value may hold `=`); lines without one are left out."""
    found = {}
    for line in body.decode("utf-8", "replace").splitlines():
        key, sep, value = line.partition("=")
        if sep and key.strip():
            found[key.strip()] = value.strip()
    return found


def indexed(values: dict[str, str], prefix: str) -> dict[int, dict[str, str]]:
    """`prefix[3].Name=x` lines as {3: {"Name": "x"}}."""
    groups: dict[int, dict[str, str]] = defaultdict(dict)
    for key, value in values.items():
        match = _INDEXED.match(key)
        if match is not None and match.group(1) == prefix:
            groups[int(match.group(2))][match.group(3)] = value
    return dict(groups)


def check_ok(body: bytes) -> None:
    text = body.decode("utf-8", "replace").strip()
    if not text.upper().startswith("OK"):
        raise DahuaFormatError(f"not OK: {text[:80]!r}")


def result(body: bytes, key: str = "result") -> str:
    value = pairs(body).get(key)
    if value is None:
        raise DahuaFormatError(f"no {key}=")
    return value


@dataclass(frozen=True)
class FoundFile:
    start: str
    end: str
    path: str
    length: int | None


def found_files(body: bytes) -> tuple[int, list[FoundFile], int]:
    """(found=, the items read, the items that could not be read) of a findNextFile answer."""
    values = pairs(body)
    count = values.get("found")
    if count is None or not count.strip().isdigit():
        raise DahuaFormatError("no found=")
    files, unreadable = [], 0
    for _, item in sorted(indexed(values, "items").items()):
        start, end, path = item.get("StartTime"), item.get("EndTime"), item.get("FilePath", "")
        if not start or not end:
            unreadable += 1
            continue
        length = item.get("Length", "")
        files.append(FoundFile(start, end, path, int(length) if length.isdigit() else None))
    return int(count), files, unreadable


def event_notice(body: bytes) -> RecorderNotice:
    text = body.decode("utf-8", "replace").strip()
    if text.lower() == "heartbeat":
        return RecorderNotice(heartbeat=True)
    head = text.split(";data=", 1)[0]
    fields = {}
    for item in head.split(";"):
        key, sep, value = item.partition("=")
        if sep:
            fields[key.strip().lower()] = value.strip()
    code = fields.get("code")
    if not code:
        raise DahuaFormatError(f"an event part without Code=: {text[:80]!r}")
    index = fields.get("index", "")
    action = fields.get("action", "").lower()
    active = True if action in ("start", "pulse") else False if action == "stop" else None
    return RecorderNotice(False, int(index) + 1 if index.isdigit() else 0, code, EVENT_KINDS.get(code.lower()), active)
