"""Incidents in console.db (migration 11): the incidents, their officers, notes, links, the citizens' videos
received, and a full-text index of their folded words.

Notes and intake records are append-only (triggers refuse UPDATE and DELETE, like the audit table's); incidents
are never deleted (closed instead); a link is never deleted either, only marked removed once, with who and why.
The search index holds text folded by console.incidents.fold (đ → d included, which SQLite's own
`remove_diacritics` does not do) and is rebuilt for one incident after each change of it.

The functions take a plain `sqlite3.Connection` and never commit: the caller's transaction decides.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from console.incidents.fold import fold, plate_key
from console.incidents.model import (
    KIND_LABELS,
    AlertLink,
    Incident,
    IncidentKind,
    IncidentQuery,
    IncidentStatus,
    Link,
    LinkKind,
    LinkTarget,
    Note,
    Origin,
    Place,
    PlateLink,
    Point,
    RecordingLink,
    SnapshotLink,
    VideoLink,
    link_kind,
)
from console.incidents.video_record import Bringer, Channel, Claim, IntakeRecord, VideoFacts
from console.store.fts import prefix_match

if TYPE_CHECKING:
    import sqlite_utils

_STATUSES = ", ".join(f"'{s.value}'" for s in IncidentStatus)
_LINK_KINDS = ", ".join(f"'{k.value}'" for k in LinkKind)
_CHANNELS = ", ".join(f"'{c.value}'" for c in Channel)
_NOTES_APPEND_ONLY = "SELECT RAISE(ABORT, 'incident notes are append-only')"
_VIDEOS_APPEND_ONLY = "SELECT RAISE(ABORT, 'intake records are append-only')"
_SCHEMA = (
    f"""CREATE TABLE incidents (
        id INTEGER PRIMARY KEY,
        title TEXT NOT NULL CHECK (title != ''),
        kind TEXT NOT NULL,
        site_id TEXT,
        camera_id TEXT,
        lat REAL,
        lon REAL,
        place_text TEXT NOT NULL DEFAULT '',
        start_ms INTEGER,
        end_ms INTEGER,
        status TEXT NOT NULL CHECK (status IN ({_STATUSES})),
        created_ms INTEGER NOT NULL,
        created_by TEXT NOT NULL,
        origin TEXT NOT NULL,
        origin_ref TEXT,
        updated_ms INTEGER NOT NULL
    )""",
    "CREATE INDEX incidents_created ON incidents (created_ms)",
    "CREATE INDEX incidents_status ON incidents (status, created_ms)",
    "CREATE INDEX incidents_camera ON incidents (camera_id, created_ms)",
    "CREATE INDEX incidents_start ON incidents (start_ms)",
    "CREATE INDEX incidents_origin ON incidents (origin_ref)",
    "CREATE TRIGGER incidents_no_delete BEFORE DELETE ON incidents BEGIN "
    "SELECT RAISE(ABORT, 'incidents are never deleted: close them'); END",
    """CREATE TABLE incident_officers (
        incident_id INTEGER NOT NULL REFERENCES incidents (id),
        login TEXT NOT NULL,
        position INTEGER NOT NULL,
        PRIMARY KEY (incident_id, login)
    ) WITHOUT ROWID""",
    "CREATE INDEX incident_officers_login ON incident_officers (login)",
    """CREATE TABLE incident_notes (
        id INTEGER PRIMARY KEY,
        incident_id INTEGER NOT NULL REFERENCES incidents (id),
        at_ms INTEGER NOT NULL,
        author TEXT NOT NULL,
        text TEXT NOT NULL CHECK (text != '')
    )""",
    "CREATE INDEX incident_notes_incident ON incident_notes (incident_id, id)",
    f"CREATE TRIGGER incident_notes_no_update BEFORE UPDATE ON incident_notes BEGIN {_NOTES_APPEND_ONLY}; END",
    f"CREATE TRIGGER incident_notes_no_delete BEFORE DELETE ON incident_notes BEGIN {_NOTES_APPEND_ONLY}; END",
    f"""CREATE TABLE incident_videos (
        id INTEGER PRIMARY KEY,
        incident_id INTEGER NOT NULL REFERENCES incidents (id),
        received_ms INTEGER NOT NULL,
        officer TEXT NOT NULL,
        file_name TEXT NOT NULL,
        source_path TEXT NOT NULL,
        original TEXT NOT NULL,
        size_bytes INTEGER NOT NULL,
        sha256 TEXT NOT NULL,
        container TEXT NOT NULL,
        duration_ms INTEGER,
        video_codec TEXT NOT NULL,
        width INTEGER NOT NULL,
        height INTEGER NOT NULL,
        fps REAL,
        rotation INTEGER NOT NULL DEFAULT 0,
        audio_codec TEXT,
        created_ms INTEGER,
        created_text TEXT,
        location_lat REAL,
        location_lon REAL,
        location_text TEXT,
        device TEXT,
        bringer_name TEXT NOT NULL,
        bringer_phone TEXT NOT NULL DEFAULT '',
        bringer_id_number TEXT NOT NULL DEFAULT '',
        channel TEXT NOT NULL CHECK (channel IN ({_CHANNELS})),
        claimed_ms INTEGER,
        claimed_place TEXT NOT NULL DEFAULT '',
        claimed_lat REAL,
        claimed_lon REAL,
        working_copy TEXT NOT NULL,
        thumbnails TEXT NOT NULL DEFAULT '[]',
        original_preferred INTEGER NOT NULL DEFAULT 0,
        note TEXT NOT NULL DEFAULT '',
        UNIQUE (incident_id, sha256)
    )""",
    "CREATE INDEX incident_videos_sha256 ON incident_videos (sha256)",
    f"CREATE TRIGGER incident_videos_no_update BEFORE UPDATE ON incident_videos BEGIN {_VIDEOS_APPEND_ONLY}; END",
    f"CREATE TRIGGER incident_videos_no_delete BEFORE DELETE ON incident_videos BEGIN {_VIDEOS_APPEND_ONLY}; END",
    # No foreign key on alert_id: the alert log's retention may drop old alerts, the incident keeps the number.
    f"""CREATE TABLE incident_links (
        id INTEGER PRIMARY KEY,
        incident_id INTEGER NOT NULL REFERENCES incidents (id),
        added_ms INTEGER NOT NULL,
        added_by TEXT NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ({_LINK_KINDS})),
        alert_id INTEGER,
        camera_id TEXT,
        start_ms INTEGER,
        end_ms INTEGER,
        at_ms INTEGER,
        path TEXT,
        video_id INTEGER REFERENCES incident_videos (id),
        plate TEXT,
        plate_key TEXT,
        removed_ms INTEGER,
        removed_by TEXT,
        removed_reason TEXT NOT NULL DEFAULT ''
    )""",
    "CREATE INDEX incident_links_incident ON incident_links (incident_id, id)",
    "CREATE INDEX incident_links_alert ON incident_links (alert_id) WHERE alert_id IS NOT NULL",
    "CREATE INDEX incident_links_camera ON incident_links (camera_id) WHERE camera_id IS NOT NULL",
    "CREATE INDEX incident_links_plate ON incident_links (plate_key) WHERE plate_key IS NOT NULL",
    "CREATE TRIGGER incident_links_no_delete BEFORE DELETE ON incident_links BEGIN "
    "SELECT RAISE(ABORT, 'incident links are never deleted: they are marked removed'); END",
    "CREATE TRIGGER incident_links_removed_once BEFORE UPDATE ON incident_links "
    "WHEN old.removed_ms IS NOT NULL OR new.removed_ms IS NULL "
    "OR new.incident_id IS NOT old.incident_id OR new.added_ms IS NOT old.added_ms "
    "OR new.added_by IS NOT old.added_by OR new.kind IS NOT old.kind OR new.alert_id IS NOT old.alert_id "
    "OR new.camera_id IS NOT old.camera_id OR new.start_ms IS NOT old.start_ms OR new.end_ms IS NOT old.end_ms "
    "OR new.at_ms IS NOT old.at_ms OR new.path IS NOT old.path OR new.video_id IS NOT old.video_id "
    "OR new.plate IS NOT old.plate OR new.plate_key IS NOT old.plate_key "
    "BEGIN SELECT RAISE(ABORT, 'an incident link only changes once: when it is removed'); END",
    # rowid = incidents.id; body = the incident's folded words (title, place, notes, plates, videos' sheets)
    "CREATE VIRTUAL TABLE incident_search USING fts5 (body, tokenize = 'unicode61 remove_diacritics 0', "
    "prefix = '2 3')",
)


def schema_v11(db: sqlite_utils.Database) -> None:
    """The tables, in one transaction with the version bump: Python's sqlite3 opens none before DDL by itself, so
    a failure halfway would otherwise leave some tables and the old version (the next start would then fail)."""
    if not db.conn.in_transaction:
        db.execute("BEGIN")
    for statement in _SCHEMA:
        db.execute(statement)


# --- incidents ---------------------------------------------------------------------------------------------

_INCIDENT_COLUMNS = ("id, title, kind, site_id, camera_id, lat, lon, place_text, start_ms, end_ms, status, "
                     "created_ms, created_by, origin, origin_ref, updated_ms")


def insert_incident(conn: sqlite3.Connection, title: str, kind: IncidentKind, place: Place, start_ms: int | None,
                    end_ms: int | None, officers: Sequence[str], origin: Origin, origin_ref: str | None,
                    at_ms: int, by: str) -> int:
    point = place.point
    cursor = conn.execute(
        "INSERT INTO incidents (title, kind, site_id, camera_id, lat, lon, place_text, start_ms, end_ms, status, "
        "created_ms, created_by, origin, origin_ref, updated_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [title, kind.value, place.site_id, place.camera_id, point.lat if point else None,
         point.lon if point else None, place.text, start_ms, end_ms, IncidentStatus.OPEN.value, at_ms, by,
         origin.value, origin_ref, at_ms])
    incident_id = int(cursor.lastrowid or 0)
    set_officers(conn, incident_id, officers)
    return incident_id


def update_incident(conn: sqlite3.Connection, incident: Incident, at_ms: int) -> None:
    """Write the incident's editable fields (title, kind, place, time range, status) as given."""
    point = incident.place.point
    conn.execute(
        "UPDATE incidents SET title = ?, kind = ?, site_id = ?, camera_id = ?, lat = ?, lon = ?, place_text = ?, "
        "start_ms = ?, end_ms = ?, status = ?, updated_ms = ? WHERE id = ?",
        [incident.title, incident.kind.value, incident.place.site_id, incident.place.camera_id,
         point.lat if point else None, point.lon if point else None, incident.place.text, incident.start_ms,
         incident.end_ms, incident.status.value, at_ms, incident.id])


def set_officers(conn: sqlite3.Connection, incident_id: int, logins: Sequence[str]) -> None:
    conn.execute("DELETE FROM incident_officers WHERE incident_id = ?", [incident_id])
    conn.executemany("INSERT INTO incident_officers (incident_id, login, position) VALUES (?, ?, ?)",
                     [(incident_id, login, i) for i, login in enumerate(dict.fromkeys(logins))])


def touch(conn: sqlite3.Connection, incident_id: int, at_ms: int) -> None:
    conn.execute("UPDATE incidents SET updated_ms = ? WHERE id = ?", [at_ms, incident_id])


def _officers_of(conn: sqlite3.Connection, ids: Sequence[int]) -> dict[int, tuple[str, ...]]:
    found: dict[int, list[str]] = {i: [] for i in ids}
    for chunk_start in range(0, len(ids), 500):
        chunk = ids[chunk_start:chunk_start + 500]
        marks = ", ".join("?" * len(chunk))
        for incident_id, login in conn.execute(
                f"SELECT incident_id, login FROM incident_officers WHERE incident_id IN ({marks}) "
                "ORDER BY incident_id, position", list(chunk)):
            found[int(incident_id)].append(str(login))
    return {i: tuple(logins) for i, logins in found.items()}


def _incidents(conn: sqlite3.Connection, rows: Sequence[Sequence[Any]]) -> list[Incident]:
    officers = _officers_of(conn, [int(r[0]) for r in rows])
    result = []
    for (id_, title, kind, site, camera, lat, lon, place_text, start, end, status, created, created_by, origin,
         origin_ref, updated) in rows:
        point = Point(float(lat), float(lon)) if lat is not None and lon is not None else None
        result.append(Incident(int(id_), str(title), IncidentKind(kind), Place(site, camera, point, str(place_text)),
                               start, end, IncidentStatus(status), officers[int(id_)], int(created),
                               str(created_by), Origin(origin), origin_ref, int(updated)))
    return result


def get_incident(conn: sqlite3.Connection, incident_id: int) -> Incident | None:
    row = conn.execute(f"SELECT {_INCIDENT_COLUMNS} FROM incidents WHERE id = ?", [incident_id]).fetchone()
    return _incidents(conn, [row])[0] if row else None


def incidents_with_alert(conn: sqlite3.Connection, alert_id: int) -> list[int]:
    """Incidents an alert is linked to (or was opened from), oldest first: the alerts panel's mark."""
    rows = conn.execute(
        "SELECT incident_id FROM incident_links WHERE alert_id = ? AND removed_ms IS NULL "
        "UNION SELECT id FROM incidents WHERE origin_ref = ? ORDER BY 1", [alert_id, f"alert:{alert_id}"])
    return [int(r[0]) for r in rows]


# --- notes -------------------------------------------------------------------------------------------------

def insert_note(conn: sqlite3.Connection, incident_id: int, at_ms: int, author: str, text: str) -> Note:
    cursor = conn.execute("INSERT INTO incident_notes (incident_id, at_ms, author, text) VALUES (?, ?, ?, ?)",
                          [incident_id, at_ms, author, text])
    return Note(int(cursor.lastrowid or 0), incident_id, at_ms, author, text)


def notes(conn: sqlite3.Connection, incident_id: int) -> list[Note]:
    rows = conn.execute("SELECT id, incident_id, at_ms, author, text FROM incident_notes WHERE incident_id = ? "
                        "ORDER BY id", [incident_id])
    return [Note(int(r[0]), int(r[1]), int(r[2]), str(r[3]), str(r[4])) for r in rows]


# --- links -------------------------------------------------------------------------------------------------

_LINK_COLUMNS = ("id, incident_id, added_ms, added_by, kind, alert_id, camera_id, start_ms, end_ms, at_ms, path, "
                 "video_id, plate, removed_ms, removed_by, removed_reason")


def _link_values(target: LinkTarget) -> dict[str, Any]:
    match target:
        case AlertLink(alert_id):
            return {"alert_id": alert_id}
        case RecordingLink(camera_id, start_ms, end_ms):
            return {"camera_id": camera_id, "start_ms": start_ms, "end_ms": end_ms}
        case SnapshotLink(path, camera_id, at_ms):
            return {"path": path, "camera_id": camera_id, "at_ms": at_ms}
        case VideoLink(intake_id):
            return {"video_id": intake_id}
        case PlateLink(text, camera_id, at_ms, intake_id, image):
            return {"plate": text, "plate_key": plate_key(text), "camera_id": camera_id, "at_ms": at_ms,
                    "video_id": intake_id, "path": image}
    raise TypeError(f"not a link target: {target!r}")


def _target(kind: LinkKind, row: Sequence[Any]) -> LinkTarget:
    alert_id, camera, start, end, at, path, video, plate = row
    match kind:
        case LinkKind.ALERT:
            return AlertLink(int(alert_id))
        case LinkKind.RECORDING:
            return RecordingLink(str(camera), int(start), int(end))
        case LinkKind.SNAPSHOT:
            return SnapshotLink(str(path), camera, at)
        case LinkKind.VIDEO:
            return VideoLink(int(video))
        case LinkKind.PLATE:
            return PlateLink(str(plate), camera, at, video, path)


def _link(row: Sequence[Any]) -> Link:
    id_, incident_id, added_ms, added_by, kind, *item, removed_ms, removed_by, removed_reason = row
    return Link(int(id_), int(incident_id), int(added_ms), str(added_by), _target(LinkKind(kind), item), removed_ms,
                removed_by, str(removed_reason))


def insert_link(conn: sqlite3.Connection, incident_id: int, at_ms: int, by: str, target: LinkTarget) -> Link:
    values = {"incident_id": incident_id, "added_ms": at_ms, "added_by": by, "kind": link_kind(target).value,
              **_link_values(target)}
    cursor = conn.execute(f"INSERT INTO incident_links ({', '.join(values)}) VALUES ({', '.join('?' * len(values))})",
                          list(values.values()))
    return Link(int(cursor.lastrowid or 0), incident_id, at_ms, by, target)


def same_link(conn: sqlite3.Connection, incident_id: int, target: LinkTarget) -> Link | None:
    """An active link of this incident to the same item, if there is one."""
    values = _link_values(target)
    clauses = " AND ".join(f"{column} IS ?" for column in values)
    row = conn.execute(f"SELECT {_LINK_COLUMNS} FROM incident_links WHERE incident_id = ? AND kind = ? AND "
                       f"removed_ms IS NULL AND {clauses} LIMIT 1",
                       [incident_id, link_kind(target).value, *values.values()]).fetchone()
    return _link(row) if row else None


def get_link(conn: sqlite3.Connection, link_id: int) -> Link | None:
    row = conn.execute(f"SELECT {_LINK_COLUMNS} FROM incident_links WHERE id = ?", [link_id]).fetchone()
    return _link(row) if row else None


def remove_link(conn: sqlite3.Connection, link_id: int, at_ms: int, by: str, reason: str) -> None:
    conn.execute("UPDATE incident_links SET removed_ms = ?, removed_by = ?, removed_reason = ? WHERE id = ?",
                 [at_ms, by, reason, link_id])


def links(conn: sqlite3.Connection, incident_id: int, include_removed: bool = False) -> list[Link]:
    active = "" if include_removed else " AND removed_ms IS NULL"
    rows = conn.execute(f"SELECT {_LINK_COLUMNS} FROM incident_links WHERE incident_id = ?{active} ORDER BY id",
                        [incident_id])
    return [_link(r) for r in rows]


# --- citizens' videos ----------------------------------------------------------------------------------------

_VIDEO_COLUMNS = ("id, incident_id, received_ms, officer, file_name, source_path, original, size_bytes, sha256, "
                  "container, duration_ms, video_codec, width, height, fps, rotation, audio_codec, created_ms, "
                  "created_text, location_lat, location_lon, location_text, device, bringer_name, bringer_phone, "
                  "bringer_id_number, channel, claimed_ms, claimed_place, claimed_lat, claimed_lon, working_copy, "
                  "thumbnails, original_preferred, note")


def insert_video(conn: sqlite3.Connection, record: IntakeRecord) -> int:
    """Store an intake record (its `id` is ignored); the new id."""
    f, claim = record.facts, record.claim
    values = [record.incident_id, record.received_ms, record.officer, record.file_name, record.source_path,
              record.original, record.size_bytes, record.sha256, f.container, f.duration_ms, f.video_codec, f.width,
              f.height, f.fps, f.rotation, f.audio_codec, f.created_ms, f.created_text,
              f.location.lat if f.location else None, f.location.lon if f.location else None, f.location_text,
              f.device, record.bringer.name, record.bringer.phone, record.bringer.id_number, record.channel.value,
              claim.at_ms, claim.place, claim.point.lat if claim.point else None,
              claim.point.lon if claim.point else None, record.working_copy, json.dumps(list(record.thumbnails)),
              int(record.original_preferred), record.note]
    columns = _VIDEO_COLUMNS.split(", ")[1:]
    marks = ", ".join("?" * len(columns))
    cursor = conn.execute(f"INSERT INTO incident_videos ({', '.join(columns)}) VALUES ({marks})", values)
    return int(cursor.lastrowid or 0)


def _point(lat: Any, lon: Any) -> Point | None:
    return Point(float(lat), float(lon)) if lat is not None and lon is not None else None


def _video(row: Sequence[Any]) -> IntakeRecord:
    (id_, incident_id, received, officer, file_name, source, original, size, sha, container, duration, vcodec, width,
     height, fps, rotation, acodec, created, created_text, loc_lat, loc_lon, loc_text, device, name, phone, id_number,
     channel, claimed_ms, claimed_place, claimed_lat, claimed_lon, working, thumbnails, preferred, note) = row
    facts = VideoFacts(str(container), duration, str(vcodec), int(width), int(height), fps, int(rotation), acodec,
                       created, created_text, _point(loc_lat, loc_lon), loc_text, device)
    return IntakeRecord(int(id_), int(incident_id), int(received), str(officer), str(file_name), str(source),
                        str(original), int(size), str(sha), facts, Bringer(str(name), str(phone), str(id_number)),
                        Channel(channel), Claim(claimed_ms, str(claimed_place), _point(claimed_lat, claimed_lon)),
                        str(working), tuple(json.loads(thumbnails)), bool(preferred), str(note))


def videos(conn: sqlite3.Connection, incident_id: int) -> list[IntakeRecord]:
    rows = conn.execute(f"SELECT {_VIDEO_COLUMNS} FROM incident_videos WHERE incident_id = ? ORDER BY id",
                        [incident_id])
    return [_video(r) for r in rows]


def get_video(conn: sqlite3.Connection, video_id: int) -> IntakeRecord | None:
    row = conn.execute(f"SELECT {_VIDEO_COLUMNS} FROM incident_videos WHERE id = ?", [video_id]).fetchone()
    return _video(row) if row else None


def video_with_hash(conn: sqlite3.Connection, incident_id: int, sha256: str) -> IntakeRecord | None:
    row = conn.execute(f"SELECT {_VIDEO_COLUMNS} FROM incident_videos WHERE incident_id = ? AND sha256 = ?",
                       [incident_id, sha256]).fetchone()
    return _video(row) if row else None


# --- search --------------------------------------------------------------------------------------------------

def _search_parts(conn: sqlite3.Connection, incident_id: int) -> Iterable[str | None]:
    row = conn.execute("SELECT title, kind, site_id, camera_id, place_text FROM incidents WHERE id = ?",
                       [incident_id]).fetchone()
    if row is None:
        return
    title, kind, site, camera, place_text = row
    yield from (title, site, camera, place_text, *KIND_LABELS.get(IncidentKind(kind), ()))
    for (text,) in conn.execute("SELECT text FROM incident_notes WHERE incident_id = ?", [incident_id]):
        yield text
    for plate, camera_id in conn.execute("SELECT plate, camera_id FROM incident_links WHERE incident_id = ? AND "
                                         "removed_ms IS NULL", [incident_id]):
        yield from (plate, plate_key(plate) if plate else None, camera_id)
    for values in conn.execute("SELECT file_name, bringer_name, claimed_place, note, device FROM incident_videos "
                               "WHERE incident_id = ?", [incident_id]):
        yield from values


def refresh_search(conn: sqlite3.Connection, incident_id: int) -> None:
    """Rebuild the incident's row of the search index from what is stored now."""
    body = "\n".join(fold(part) for part in _search_parts(conn, incident_id) if part)
    conn.execute("DELETE FROM incident_search WHERE rowid = ?", [incident_id])
    conn.execute("INSERT INTO incident_search (rowid, body) VALUES (?, ?)", [incident_id, body])


def search(conn: sqlite3.Connection, query: IncidentQuery) -> list[Incident]:
    clauses: list[str] = []
    params: list[Any] = []
    match = prefix_match(query.text)
    if match is not None:
        clauses.append("i.id IN (SELECT rowid FROM incident_search WHERE incident_search MATCH ?)")
        params.append(match)
    key = plate_key(query.plate)
    if key:
        clauses.append("i.id IN (SELECT incident_id FROM incident_links WHERE plate_key LIKE ? ESCAPE '\\' "
                       "AND removed_ms IS NULL)")
        params.append(f"%{key}%")
    if query.camera_id is not None:
        clauses.append("(i.camera_id = ? OR i.id IN (SELECT incident_id FROM incident_links WHERE camera_id = ? "
                       "AND removed_ms IS NULL))")
        params += [query.camera_id, query.camera_id]
    if query.since_ms is not None:
        clauses.append("COALESCE(i.end_ms, i.start_ms, i.created_ms) >= ?")
        params.append(query.since_ms)
    if query.until_ms is not None:
        clauses.append("COALESCE(i.start_ms, i.created_ms) < ?")
        params.append(query.until_ms)
    if query.statuses:
        clauses.append(f"i.status IN ({', '.join('?' * len(query.statuses))})")
        params += sorted(s.value for s in query.statuses)
    if query.officer is not None:
        clauses.append("i.id IN (SELECT incident_id FROM incident_officers WHERE login = ?)")
        params.append(query.officer)
    where = f" WHERE {' AND '.join(clauses)}" if clauses else ""
    columns = ", ".join(f"i.{c}" for c in _INCIDENT_COLUMNS.split(", "))
    rows = conn.execute(f"SELECT {columns} FROM incidents i{where} ORDER BY i.created_ms DESC, i.id DESC "
                        f"LIMIT {int(query.limit)}", params).fetchall()
    return _incidents(conn, rows)
