"""The bookmarks as the officer on duty changes them: every change is checked against the role table (one's own
bookmarks: `Permission.BOOKMARK`; another officer's: `Permission.OTHERS_BOOKMARKS` as well), written in one SQLite
transaction and recorded in the audit trail once, after it is committed. Adding one to an incident goes through
`Incidents.link` (its own check and audit): the incident gets a recording link of the bookmark's camera and range.
Safe to call from any thread: one lock serialises the connection's transactions."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import replace

from console.audit.actions import AuditAction
from console.bookmarks.messages import BookmarkError, Say
from console.bookmarks.model import Bookmark, BookmarkDraft, BookmarkQuery, clean_tags
from console.core.recording import TimeRange
from console.core.users import User
from console.core.vntime import now_ms
from console.incidents.messages import IncidentError
from console.incidents.messages import Say as IncidentSay
from console.incidents.model import Incident, IncidentQuery, IncidentStatus, RecordingLink
from console.incidents.service import ALERT_POST_ROLL_MS, ALERT_PRE_ROLL_MS, AlertLike, Incidents
from console.officers.guard import Officers
from console.officers.roles import Permission
from console.store import bookmarks as table

NAME_MAX_CHARS = 120
PLAYBACK_BEFORE_MS = 10_000  # a bookmark made on a moment of playback starts this long before it
PLAYBACK_AFTER_MS = 20_000  # and ends this long after it (the officer widens it in the dialog)
TIMELINE_LIMIT = 200  # bookmarks drawn on the timeline's view at most
NOT_CLOSED = frozenset({IncidentStatus.OPEN, IncidentStatus.FORWARDED})


def target_of(bookmark_id: int) -> str:
    return f"bookmark:{bookmark_id}"


def playback_range(at_ms: int) -> TimeRange:
    """The range a bookmark made on this moment of playback starts with."""
    return TimeRange(at_ms - PLAYBACK_BEFORE_MS, at_ms + PLAYBACK_AFTER_MS)


def alert_range(alert: AlertLike) -> TimeRange:
    """The range a bookmark made on an alert starts with: the recording an incident opened on it would link."""
    end = alert.ended_ms if alert.ended_ms is not None else alert.started_ms
    return TimeRange(alert.started_ms - ALERT_PRE_ROLL_MS, end + ALERT_POST_ROLL_MS)


class Bookmarks:
    def __init__(self, conn: sqlite3.Connection, officers: Officers, incidents: Incidents | None = None,
                 clock: Callable[[], int] = now_ms) -> None:
        self._conn = conn
        self.officers = officers
        self.incidents = incidents  # None: a console without the incidents (tools, tests): nothing to add to
        self.clock = clock
        self._lock = threading.RLock()

    # --- reading ----------------------------------------------------------------------------------------

    def get(self, bookmark_id: int) -> Bookmark | None:
        with self._lock:
            return table.get_bookmark(self._conn, bookmark_id)

    def search(self, query: BookmarkQuery) -> list[Bookmark]:
        with self._lock:
            return table.search(self._conn, query)

    def on_timeline(self, camera_id: str, start_ms: int, end_ms: int) -> list[Bookmark]:
        """The camera's bookmarks overlapping the timeline's view."""
        return self.search(BookmarkQuery(camera_id=camera_id, since_ms=start_ms, until_ms=end_ms,
                                         limit=TIMELINE_LIMIT))

    def tags(self) -> list[str]:
        with self._lock:
            return table.tags_in_use(self._conn)

    def open_incidents(self, text: str = "") -> list[Incident]:
        """The incidents a bookmark may be added to (not closed), newest first."""
        if self.incidents is None:
            return []
        return self.incidents.search(IncidentQuery(text=text, statuses=NOT_CLOSED))

    # --- changing ---------------------------------------------------------------------------------------

    def create(self, draft: BookmarkDraft, alert_id: int | None = None) -> Bookmark:
        """A bookmark by the officer on duty (from playback, or from the alert `alert_id`)."""
        user = self.officers.require(Permission.BOOKMARK, camera=draft.camera_id,
                                     target=f"alert:{alert_id}" if alert_id is not None else None)
        name, tags, note = _name(draft.name), clean_tags(draft.tags), draft.note.strip()
        _check_range(draft.from_ms, draft.to_ms)
        at = self.clock()
        with self._transaction():
            bookmark_id = table.insert_bookmark(self._conn, draft.camera_id, draft.from_ms, draft.to_ms, name, tags,
                                                note, user.login, at, alert_id)
            bookmark = self._existing(bookmark_id)
        self.officers.record(AuditAction.BOOKMARK_CREATED, camera=draft.camera_id, target=target_of(bookmark_id),
                             details={"name": name, "from_ms": draft.from_ms, "to_ms": draft.to_ms,
                                      "tags": list(tags), "note": note or None, "alert_id": alert_id})
        return bookmark

    def create_from_alert(self, alert: AlertLike, draft: BookmarkDraft) -> Bookmark:
        if alert.camera_id is None:
            raise BookmarkError(Say.NO_CAMERA, alert=alert.id)
        return self.create(replace(draft, camera_id=alert.camera_id), alert.id)

    def edit(self, changed: Bookmark) -> Bookmark:
        """Store the range, name, tags and note of `changed` (a `dataclasses.replace` of the bookmark as read);
        its camera, author and incident stay."""
        with self._lock:
            current = self._existing(changed.id)
            self._require_change(current)
            wanted = replace(current, from_ms=changed.from_ms, to_ms=changed.to_ms, name=_name(changed.name),
                             tags=clean_tags(changed.tags), note=changed.note.strip())
            _check_range(wanted.from_ms, wanted.to_ms)
            changes = _differences(current, wanted)
            if not changes:
                return current
            with self._transaction():
                table.update_bookmark(self._conn, wanted)
                bookmark = self._existing(changed.id)
        self.officers.record(AuditAction.BOOKMARK_EDITED, camera=bookmark.camera_id, target=target_of(bookmark.id),
                             details={"changes": changes})
        return bookmark

    def delete(self, bookmark_id: int) -> Bookmark:
        """Remove the bookmark (its incident's recording link stays: the case keeps what was added to it)."""
        with self._lock:
            current = self._existing(bookmark_id)
            self._require_change(current)
            with self._transaction():
                table.delete_bookmark(self._conn, bookmark_id)
        self.officers.record(AuditAction.BOOKMARK_DELETED, camera=current.camera_id, target=target_of(bookmark_id),
                             details=_plain(current))
        return current

    def add_to_incident(self, bookmark_id: int, incident_id: int) -> Bookmark:
        """Link the bookmark's camera and range to the incident (a recording link, as playback's), and note the
        incident on the bookmark. The same range already linked there is no error: the bookmark is marked."""
        if self.incidents is None:
            raise IncidentError(IncidentSay.NO_INCIDENT, incident=incident_id)
        with self._lock:
            current = self._existing(bookmark_id)
            if current.incident_id == incident_id:
                return current
            if current.incident_id is not None and self._still_linked(current, current.incident_id):
                raise BookmarkError(Say.OTHER_INCIDENT, bookmark=bookmark_id, incident=current.incident_id)
            try:
                self.incidents.link(incident_id, RecordingLink(current.camera_id, current.from_ms, current.to_ms))
            except IncidentError as exc:
                if exc.say is not IncidentSay.ALREADY_LINKED:
                    raise
            with self._transaction():
                table.update_bookmark(self._conn, replace(current, incident_id=incident_id))
                bookmark = self._existing(bookmark_id)
        self.officers.record(AuditAction.BOOKMARK_EDITED, camera=bookmark.camera_id, target=target_of(bookmark_id),
                             details={"changes": {"incident_id": [current.incident_id, incident_id]}})
        return bookmark

    # --- helpers ----------------------------------------------------------------------------------------

    @contextmanager
    def _transaction(self) -> Iterator[None]:
        with self._lock, self._conn:
            yield

    def _existing(self, bookmark_id: int) -> Bookmark:
        bookmark = table.get_bookmark(self._conn, bookmark_id)
        if bookmark is None:
            raise BookmarkError(Say.NO_BOOKMARK, bookmark=bookmark_id)
        return bookmark

    def _require_change(self, bookmark: Bookmark) -> User:
        """The officer on duty, who may change this bookmark: their own, or anyone's for an admin."""
        target = target_of(bookmark.id)
        user = self.officers.require(Permission.BOOKMARK, camera=bookmark.camera_id, target=target)
        if user.login != bookmark.created_by:
            self.officers.require(Permission.OTHERS_BOOKMARKS, camera=bookmark.camera_id, target=target)
        return user

    def _still_linked(self, bookmark: Bookmark, incident_id: int) -> bool:
        """The incident still holds the bookmark's range (not unlinked since)."""
        assert self.incidents is not None
        try:
            links = self.incidents.case_file(incident_id).links
        except IncidentError:
            return False
        wanted = RecordingLink(bookmark.camera_id, bookmark.from_ms, bookmark.to_ms)
        return any(link.target == wanted for link in links)


def _name(name: str) -> str:
    name = " ".join(name.split())
    if not name:
        raise BookmarkError(Say.EMPTY_NAME)
    return name[:NAME_MAX_CHARS]


def _check_range(from_ms: int, to_ms: int) -> None:
    if to_ms <= from_ms:
        raise BookmarkError(Say.BAD_RANGE)


def _plain(bookmark: Bookmark) -> dict[str, object]:
    """A bookmark as the audit trail's JSON holds it."""
    return {"name": bookmark.name, "from_ms": bookmark.from_ms, "to_ms": bookmark.to_ms, "tags": list(bookmark.tags),
            "note": bookmark.note, "created_by": bookmark.created_by, "alert_id": bookmark.alert_id,
            "incident_id": bookmark.incident_id}


def _differences(before: Bookmark, after: Bookmark) -> Mapping[str, list[object]]:
    fields = ("from_ms", "to_ms", "name", "tags", "note")

    def plain(value: object) -> object:
        return list(value) if isinstance(value, tuple) else value

    return {name: [plain(getattr(before, name)), plain(getattr(after, name))] for name in fields
            if getattr(before, name) != getattr(after, name)}
