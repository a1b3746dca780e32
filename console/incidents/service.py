"""The incidents as the officer on duty changes them: every change is checked against the role table
(`Permission.MANUAL_INCIDENT`), written in one SQLite transaction and recorded in the audit trail once, after it
is committed. Safe to call from any thread: one lock serialises the connection's transactions."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Protocol

from console.audit.actions import AuditAction, AuditEntry
from console.core.users import User
from console.core.vntime import format_vn_ms, now_ms
from console.incidents.messages import IncidentError, Say
from console.incidents.model import (
    AlertLink,
    Incident,
    IncidentKind,
    IncidentQuery,
    IncidentStatus,
    Link,
    LinkTarget,
    Note,
    Origin,
    Place,
    PlateLink,
    RecordingLink,
    SnapshotLink,
    VideoLink,
    status_label,
)
from console.incidents.video_record import IntakeRecord
from console.officers.guard import Officers
from console.officers.roles import Permission
from console.store import incidents as table

ALERT_PRE_ROLL_MS = 30_000  # the recording range linked with an alert starts this long before it
ALERT_POST_ROLL_MS = 30_000  # and ends this long after its end (or its start, while it goes on)
PLAYBACK_MARGIN_MS = 60_000  # a moment of playback links this much recording on either side
TITLE_MAX_CHARS = 120
FOLDER = "incidents"  # under the data folder: incidents/<id>/originals, working, thumbnails


class AlertLike(Protocol):
    """What an incident takes from an alert (console.store.alerts.AlertRow has it)."""

    @property
    def id(self) -> int: ...
    @property
    def camera_id(self) -> str | None: ...
    @property
    def site_id(self) -> str | None: ...
    @property
    def kind(self) -> str: ...
    @property
    def started_ms(self) -> int: ...
    @property
    def ended_ms(self) -> int | None: ...
    @property
    def note(self) -> str: ...
    @property
    def snapshot(self) -> str | None: ...


@dataclass(frozen=True)
class CaseFile:
    """One incident with everything it holds, as the incident window shows it."""

    incident: Incident
    notes: tuple[Note, ...]
    links: tuple[Link, ...]  # active ones, in the order linked
    videos: tuple[IntakeRecord, ...]


def target_of(incident_id: int) -> str:
    return f"incident:{incident_id}"


def _details_of(target: LinkTarget) -> dict[str, object]:
    return {key: value for key, value in vars(target).items() if value is not None}


class Incidents:
    def __init__(self, conn: sqlite3.Connection, officers: Officers, data: Path,
                 clock: Callable[[], int] = now_ms) -> None:
        self._conn = conn
        self.officers = officers
        self.data = data  # the data folder; stored paths of received videos are relative to it
        self.clock = clock
        self._lock = threading.RLock()

    # --- reading ----------------------------------------------------------------------------------------

    def get(self, incident_id: int) -> Incident | None:
        with self._lock:
            return table.get_incident(self._conn, incident_id)

    def case_file(self, incident_id: int) -> CaseFile:
        with self._lock:
            incident = self._existing(incident_id)
            return CaseFile(incident, tuple(table.notes(self._conn, incident_id)),
                            tuple(table.links(self._conn, incident_id)), tuple(table.videos(self._conn, incident_id)))

    def search(self, query: IncidentQuery) -> list[Incident]:
        with self._lock:
            return table.search(self._conn, query)

    def with_alert(self, alert_id: int) -> list[int]:
        with self._lock:
            return table.incidents_with_alert(self._conn, alert_id)

    def video(self, video_id: int) -> IntakeRecord | None:
        with self._lock:
            return table.get_video(self._conn, video_id)

    def folder(self, incident_id: int) -> Path:
        return self.data / FOLDER / str(incident_id)

    def file(self, stored: str) -> Path:
        """A stored path (original, working copy, thumbnail) as a file of this data folder."""
        return self.data / stored

    # --- creating ---------------------------------------------------------------------------------------

    def create(self, title: str, kind: IncidentKind = IncidentKind.OTHER, place: Place | None = None,
               start_ms: int | None = None, end_ms: int | None = None, officers: Sequence[str] = (),
               note: str = "") -> Incident:
        """A new incident (*Đang xử lý*) handled by the officer on duty and `officers`."""
        return self._create(title, kind, place or Place(), start_ms, end_ms, officers, note, Origin.FORM, None, ())

    def create_empty(self) -> Incident:
        """An incident to be filled in later, named by the moment it was opened."""
        at = self.clock()
        title = f"Vụ việc ngày {format_vn_ms(at)}"
        return self._create(title, IncidentKind.OTHER, Place(), None, None, (), "", Origin.EMPTY, None, ())

    def create_from_alert(self, alert: AlertLike, title: str = "", kind: IncidentKind = IncidentKind.OTHER,
                          note: str = "") -> Incident:
        """An incident opened on an alert (a manual incident is an alert of kind "manual"): its camera, site and
        time, linked to the alert, its picture and the recordings around it."""
        manual = alert.kind == "manual"
        if not title.strip():
            first_line = alert.note.strip().splitlines()[0] if alert.note.strip() else ""
            title = first_line if manual and first_line else f"Vụ việc từ cảnh báo số {alert.id}"
        end = alert.ended_ms if alert.ended_ms is not None else alert.started_ms
        links: list[LinkTarget] = [AlertLink(alert.id)]
        if alert.camera_id is not None:
            links.append(RecordingLink(alert.camera_id, alert.started_ms - ALERT_PRE_ROLL_MS, end + ALERT_POST_ROLL_MS))
            if alert.snapshot:
                links.append(SnapshotLink(alert.snapshot, alert.camera_id, alert.started_ms))
        place = Place(alert.site_id, alert.camera_id)
        origin = Origin.MANUAL if manual else Origin.ALERT
        return self._create(title, kind, place, alert.started_ms, end, (), note, origin, f"alert:{alert.id}", links)

    def create_from_playback(self, camera_id: str, at_ms: int, site_id: str | None = None, title: str = "",
                             kind: IncidentKind = IncidentKind.OTHER, note: str = "") -> Incident:
        """An incident opened on a moment of a camera's recordings, linked to the recordings around it."""
        title = title.strip() or f"Vụ việc tại camera {camera_id} lúc {format_vn_ms(at_ms)}"
        links = [RecordingLink(camera_id, at_ms - PLAYBACK_MARGIN_MS, at_ms + PLAYBACK_MARGIN_MS)]
        return self._create(title, kind, Place(site_id, camera_id), at_ms, at_ms, (), note, Origin.PLAYBACK,
                            f"{camera_id}@{at_ms}", links)

    def _create(self, title: str, kind: IncidentKind, place: Place, start_ms: int | None, end_ms: int | None,
                officers: Sequence[str], note: str, origin: Origin, origin_ref: str | None,
                links: Sequence[LinkTarget]) -> Incident:
        user = self.officers.require(Permission.MANUAL_INCIDENT, camera=place.camera_id)
        title = _title(title)
        _check_place(place)
        _check_range(start_ms, end_ms)
        for target in links:
            _check_target(target)
        at = self.clock()
        with self._transaction():
            incident_id = table.insert_incident(self._conn, title, kind, place, start_ms, end_ms,
                                                [user.login, *officers], origin, origin_ref, at, user.login)
            made = [table.insert_link(self._conn, incident_id, at, user.login, target) for target in links]
            if note.strip():
                table.insert_note(self._conn, incident_id, at, user.login, note.strip())
            table.refresh_search(self._conn, incident_id)
            incident = self._existing(incident_id)
        self.officers.record(AuditAction.INCIDENT_CREATED, camera=place.camera_id, target=target_of(incident_id),
                             details={"title": title, "kind": kind.value, "origin": origin.value,
                                      "origin_ref": origin_ref, "note": note.strip() or None,
                                      "links": [{"link_id": link.id, "kind": link.kind.value,
                                                 **_details_of(link.target)} for link in made]})
        return incident

    # --- changing ---------------------------------------------------------------------------------------

    def edit(self, changed: Incident) -> Incident:
        """Store the title, kind, place, time range and officers of `changed` (a `dataclasses.replace` of the
        incident as read); the status changes through `set_status` only."""
        self.officers.require(Permission.MANUAL_INCIDENT, camera=changed.place.camera_id, target=target_of(changed.id))
        title = _title(changed.title)
        _check_place(changed.place)
        _check_range(changed.start_ms, changed.end_ms)
        at = self.clock()
        with self._transaction():
            current = self._open(changed.id)
            wanted = replace(current, title=title, kind=changed.kind, place=changed.place,
                             start_ms=changed.start_ms, end_ms=changed.end_ms,
                             officers=tuple(dict.fromkeys(changed.officers)))
            changes = _differences(current, wanted)
            if not changes:
                return current
            table.update_incident(self._conn, wanted, at)
            if wanted.officers != current.officers:
                table.set_officers(self._conn, changed.id, wanted.officers)
            table.refresh_search(self._conn, changed.id)
            incident = self._existing(changed.id)
        self.officers.record(AuditAction.INCIDENT_EDITED, camera=incident.place.camera_id,
                             target=target_of(incident.id), details={"changes": changes})
        return incident

    def add_note(self, incident_id: int, text: str) -> Note:
        """A note by the officer on duty, timestamped now; it can never be edited or deleted."""
        user = self.officers.require(Permission.MANUAL_INCIDENT, target=target_of(incident_id))
        text = text.strip()
        if not text:
            raise IncidentError(Say.EMPTY_NOTE)
        at = self.clock()
        with self._transaction():
            incident = self._open(incident_id)
            note = table.insert_note(self._conn, incident_id, at, user.login, text)
            table.touch(self._conn, incident_id, at)
            table.refresh_search(self._conn, incident_id)
        self.officers.record(AuditAction.INCIDENT_NOTE, camera=incident.place.camera_id,
                             target=target_of(incident_id), details={"note_id": note.id, "text": text})
        return note

    def set_status(self, incident_id: int, status: IncidentStatus, note: str = "") -> Incident:
        """*Đang xử lý* / *Đã chuyển* / *Đã đóng*, with an optional note saying why (stored as a note)."""
        user = self.officers.require(Permission.MANUAL_INCIDENT, target=target_of(incident_id))
        at = self.clock()
        with self._transaction():
            current = self._existing(incident_id)
            if current.status is status:
                raise IncidentError(Say.SAME_STATUS, incident=incident_id, status=status_label(status))
            note_id = None
            if note.strip():
                note_id = table.insert_note(self._conn, incident_id, at, user.login, note.strip()).id
            table.update_incident(self._conn, replace(current, status=status), at)
            table.refresh_search(self._conn, incident_id)
            incident = self._existing(incident_id)
        self.officers.record(AuditAction.INCIDENT_STATUS, camera=incident.place.camera_id,
                             target=target_of(incident_id),
                             details={"from": current.status.value, "to": status.value, "note_id": note_id,
                                      "note": note.strip() or None})
        return incident

    def link(self, incident_id: int, target: LinkTarget) -> Link:
        """Link an alert, a recording range, a snapshot or a plate (videos are linked by their intake)."""
        if isinstance(target, VideoLink):
            raise TypeError("a citizen's video is linked by console.incidents.intake, which receives it")
        camera = getattr(target, "camera_id", None)
        user = self.officers.require(Permission.MANUAL_INCIDENT, camera=camera, target=target_of(incident_id))
        _check_target(target)
        at = self.clock()
        with self._transaction():
            self._open(incident_id)
            if table.same_link(self._conn, incident_id, target) is not None:
                raise IncidentError(Say.ALREADY_LINKED, incident=incident_id)
            link = table.insert_link(self._conn, incident_id, at, user.login, target)
            table.touch(self._conn, incident_id, at)
            table.refresh_search(self._conn, incident_id)
        self.officers.record(AuditAction.INCIDENT_LINKED, camera=camera, target=target_of(incident_id),
                             details={"link_id": link.id, "kind": link.kind.value, **_details_of(target)})
        return link

    def unlink(self, incident_id: int, link_id: int, reason: str = "") -> Link:
        """Take an item out of the incident: the link stays stored, marked removed by whom and why."""
        user = self.officers.require(Permission.MANUAL_INCIDENT, target=target_of(incident_id))
        at = self.clock()
        with self._transaction():
            self._open(incident_id)
            link = table.get_link(self._conn, link_id)
            if link is None or link.incident_id != incident_id or not link.active:
                raise IncidentError(Say.NO_LINK, incident=incident_id, link=link_id)
            if isinstance(link.target, VideoLink):
                raise IncidentError(Say.VIDEO_STAYS, incident=incident_id)
            table.remove_link(self._conn, link_id, at, user.login, reason.strip())
            table.touch(self._conn, incident_id, at)
            table.refresh_search(self._conn, incident_id)
        self.officers.record(AuditAction.INCIDENT_UNLINKED, camera=getattr(link.target, "camera_id", None),
                             target=target_of(incident_id),
                             details={"link_id": link_id, "kind": link.kind.value, "reason": reason.strip()})
        return replace(link, removed_ms=at, removed_by=user.login, removed_reason=reason.strip())

    # --- for the intake ---------------------------------------------------------------------------------

    def require_open(self, incident_id: int) -> tuple[User, Incident]:
        """The officer on duty, allowed to add to this incident, and the incident (not closed)."""
        user = self.officers.require(Permission.MANUAL_INCIDENT, target=target_of(incident_id))
        with self._lock:
            return user, self._open(incident_id)

    def received(self, incident_id: int, sha256: str) -> IntakeRecord | None:
        """The video of this incident with these bytes, if it was received already."""
        with self._lock:
            return table.video_with_hash(self._conn, incident_id, sha256)

    @contextmanager
    def placing_video(self) -> Iterator[None]:
        """Held while an intake moves a video's files into place and records it: two intakes of the same bytes
        cannot both pass the check for a video already received (nor one replace the other's files)."""
        with self._lock:
            yield

    def record_video(self, record: IntakeRecord, by: User) -> IntakeRecord:
        """Store a received video and link it to its incident (one transaction), audited once as the act of `by`,
        the officer who started the intake (the screen may have locked during a long one)."""
        at = self.clock()
        with self._transaction():
            self._open(record.incident_id)
            if (same := table.video_with_hash(self._conn, record.incident_id, record.sha256)) is not None:
                raise IncidentError(Say.ALREADY_RECEIVED, name=record.file_name, incident=record.incident_id,
                                    video=same.id)
            video_id = table.insert_video(self._conn, record)
            table.insert_link(self._conn, record.incident_id, at, record.officer, VideoLink(video_id))
            table.touch(self._conn, record.incident_id, at)
            table.refresh_search(self._conn, record.incident_id)
        if self.officers.audit is not None:
            self.officers.audit(AuditEntry(
                AuditAction.VIDEO_RECEIVED, by.login, by.role.value, target=target_of(record.incident_id),
                details={"video_id": video_id, "file": record.file_name, "sha256": record.sha256,
                         "size_bytes": record.size_bytes, "channel": record.channel.value,
                         "original": record.original}))
        return replace(record, id=video_id)

    # --- helpers ----------------------------------------------------------------------------------------

    @contextmanager
    def _transaction(self) -> Iterator[None]:
        with self._lock, self._conn:
            yield

    def _existing(self, incident_id: int) -> Incident:
        incident = table.get_incident(self._conn, incident_id)
        if incident is None:
            raise IncidentError(Say.NO_INCIDENT, incident=incident_id)
        return incident

    def _open(self, incident_id: int) -> Incident:
        incident = self._existing(incident_id)
        if incident.status is IncidentStatus.CLOSED:
            raise IncidentError(Say.INCIDENT_CLOSED, incident=incident_id)
        return incident


def _title(title: str) -> str:
    title = " ".join(title.split())
    if not title:
        raise IncidentError(Say.EMPTY_TITLE)
    return title[:TITLE_MAX_CHARS]


def _check_place(place: Place) -> None:
    if place.point is not None and not place.point.valid():
        raise IncidentError(Say.BAD_POINT, lat=place.point.lat, lon=place.point.lon)


def _check_range(start_ms: int | None, end_ms: int | None) -> None:
    if start_ms is not None and end_ms is not None and end_ms < start_ms:
        raise IncidentError(Say.BAD_RANGE)


def _check_target(target: LinkTarget) -> None:
    if isinstance(target, RecordingLink) and target.end_ms <= target.start_ms:
        raise IncidentError(Say.BAD_RANGE)
    if isinstance(target, PlateLink) and not target.text.strip():
        raise IncidentError(Say.EMPTY_PLATE)


def _plain(value: object) -> object:
    """A field's value as the audit trail's JSON holds it."""
    if isinstance(value, Place):
        point = value.point
        return {"site_id": value.site_id, "camera_id": value.camera_id, "text": value.text,
                "lat": point.lat if point else None, "lon": point.lon if point else None}
    if isinstance(value, tuple):
        return list(value)
    return value


def _differences(before: Incident, after: Incident) -> Mapping[str, list[object]]:
    fields = ("title", "kind", "place", "start_ms", "end_ms", "officers")
    return {name: [_plain(getattr(before, name)), _plain(getattr(after, name))] for name in fields
            if getattr(before, name) != getattr(after, name)}

