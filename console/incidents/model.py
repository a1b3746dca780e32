"""What an incident (*vụ việc*) is: its place, time, status, officers, notes and the items linked to it."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from enum import StrEnum


class IncidentStatus(StrEnum):
    OPEN = "open"
    FORWARDED = "forwarded"  # handed to the district police or another unit; may come back
    CLOSED = "closed"  # read-only until reopened


STATUS_LABELS: dict[IncidentStatus, tuple[str, str]] = {
    IncidentStatus.OPEN: ("Đang xử lý", "Open"),
    IncidentStatus.FORWARDED: ("Đã chuyển", "Forwarded"),
    IncidentStatus.CLOSED: ("Đã đóng", "Closed"),
}


class IncidentKind(StrEnum):
    THEFT = "theft"
    TRAFFIC = "traffic"
    DISORDER = "disorder"
    FIRE = "fire"
    OTHER = "other"


KIND_LABELS: dict[IncidentKind, tuple[str, str]] = {
    IncidentKind.THEFT: ("Trộm cắp tài sản", "Theft"),
    IncidentKind.TRAFFIC: ("Tai nạn giao thông", "Traffic accident"),
    IncidentKind.DISORDER: ("Gây rối trật tự", "Public disorder"),
    IncidentKind.FIRE: ("Cháy nổ", "Fire or explosion"),
    IncidentKind.OTHER: ("Khác", "Other"),
}


class Origin(StrEnum):
    """Where the incident was opened from; `origin_ref` says which item."""

    EMPTY = "empty"
    FORM = "form"  # the incident form, filled in by the officer
    ALERT = "alert"  # ref "alert:<id>"
    MANUAL = "manual"  # from a manual incident (an alert of kind manual): ref "alert:<id>"
    PLAYBACK = "playback"  # ref "<camera>@<ms>"


def status_label(status: IncidentStatus, lang: str = "vi") -> str:
    vi, en = STATUS_LABELS[status]
    return en if lang == "en" else vi


def kind_label(kind: IncidentKind, lang: str = "vi") -> str:
    vi, en = KIND_LABELS[kind]
    return en if lang == "en" else vi


@dataclass(frozen=True)
class Point:
    """A point on the map (WGS 84 degrees)."""

    lat: float
    lon: float

    def valid(self) -> bool:
        return (math.isfinite(self.lat) and math.isfinite(self.lon) and -90.0 <= self.lat <= 90.0
                and -180.0 <= self.lon <= 180.0)


@dataclass(frozen=True)
class Place:
    """A site and/or camera of the site file, a point on the map, and words ("trước cổng chợ"); all optional."""

    site_id: str | None = None
    camera_id: str | None = None
    point: Point | None = None
    text: str = ""


@dataclass(frozen=True)
class Incident:
    id: int
    title: str
    kind: IncidentKind
    place: Place
    start_ms: int | None  # the time range of the facts (epoch ms UTC), when known
    end_ms: int | None
    status: IncidentStatus
    officers: tuple[str, ...]  # logins of the officers handling it, in the order assigned
    created_ms: int
    created_by: str
    origin: Origin
    origin_ref: str | None
    updated_ms: int


@dataclass(frozen=True)
class Note:
    """Written once, never edited or deleted (the store's triggers refuse both)."""

    id: int
    incident_id: int
    at_ms: int
    author: str
    text: str


class LinkKind(StrEnum):
    ALERT = "alert"
    RECORDING = "recording"
    SNAPSHOT = "snapshot"
    VIDEO = "video"
    PLATE = "plate"


@dataclass(frozen=True)
class AlertLink:
    alert_id: int


@dataclass(frozen=True)
class RecordingLink:
    """A range of a camera's recordings, not a copy: the case export cuts the clip."""

    camera_id: str
    start_ms: int
    end_ms: int


@dataclass(frozen=True)
class SnapshotLink:
    path: str  # the picture file (a snapshot, an alert's picture)
    camera_id: str | None = None
    at_ms: int | None = None


@dataclass(frozen=True)
class VideoLink:
    """A citizen's video received for this incident (written by the intake, never by hand)."""

    intake_id: int


@dataclass(frozen=True)
class PlateLink:
    """A plate as the officer confirmed it, and where it was read: a camera's moment, a received video, a
    picture (the crop or the snapshot)."""

    text: str
    camera_id: str | None = None
    at_ms: int | None = None
    intake_id: int | None = None
    image: str | None = None


LinkTarget = AlertLink | RecordingLink | SnapshotLink | VideoLink | PlateLink

LINK_KINDS: dict[type[LinkTarget], LinkKind] = {
    AlertLink: LinkKind.ALERT,
    RecordingLink: LinkKind.RECORDING,
    SnapshotLink: LinkKind.SNAPSHOT,
    VideoLink: LinkKind.VIDEO,
    PlateLink: LinkKind.PLATE,
}


def link_kind(target: LinkTarget) -> LinkKind:
    return LINK_KINDS[type(target)]


@dataclass(frozen=True)
class Link:
    id: int
    incident_id: int
    added_ms: int
    added_by: str
    target: LinkTarget
    removed_ms: int | None = None  # unlinked (kept for the record, shown struck out or not at all)
    removed_by: str | None = None
    removed_reason: str = ""

    @property
    def kind(self) -> LinkKind:
        return link_kind(self.target)

    @property
    def active(self) -> bool:
        return self.removed_ms is None


@dataclass(frozen=True)
class IncidentQuery:
    """The *Vụ việc* dock's search; every field optional, newest first.

    `text` matches words without diacritics anywhere in the title, place, notes, plates and the citizens'
    videos (each word as a prefix: "cong tru" finds "Cổng trường"); `plate` matches part of a linked plate,
    punctuation ignored; `camera_id` the incident's camera or any linked item's; since/until the incident's
    time range (its creation when it has none) overlapping [since, until)."""

    text: str = ""
    plate: str = ""
    camera_id: str | None = None
    since_ms: int | None = None
    until_ms: int | None = None
    statuses: frozenset[IncidentStatus] = field(default_factory=frozenset)  # empty: any
    officer: str | None = None
    limit: int = 500
