"""Incidents (vụ việc) through their life: opened from an alert, a manual incident, a playback moment or empty;
notes that can never be changed; status open → forwarded → closed (and reopened); links of every kind; every
change one audit row by the officer on duty, in a real console.db with the real audit writer."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
import sqlite_utils

from console.audit.actions import AuditAction, action_label
from console.audit.chain import ChainedRow
from console.audit.writer import AuditWriter
from console.core.users import Role, User
from console.evidence.keys import load_or_create_station_key
from console.incidents.messages import IncidentError, Say
from console.incidents.model import (
    AlertLink,
    IncidentKind,
    IncidentStatus,
    LinkTarget,
    Origin,
    Place,
    PlateLink,
    Point,
    RecordingLink,
    SnapshotLink,
    VideoLink,
)
from console.incidents.service import ALERT_POST_ROLL_MS, ALERT_PRE_ROLL_MS, PLAYBACK_MARGIN_MS, Incidents
from console.officers.guard import ActionRefusedError, Guard, Officers
from console.store import audit as audit_table
from console.store.database import open_database
from console.store.incidents import schema_v11
from tests.support.alert_row import Alert

AN = User("nguyen.van.an", "Nguyễn Văn An", Role.OFFICER)
BINH = User("tran.thi.binh", "Trần Thị Bình", Role.OFFICER)
T0 = 1_767_225_600_000  # 01/01/2026 07:00:00 (UTC+7)


def incidents_db(path: Path) -> sqlite_utils.Database:
    """console.db as the console opens it, with migration 11 applied if the console does not apply it yet."""
    db = open_database(path)
    if "incidents" not in db.table_names():
        with db.conn:
            schema_v11(db)
    return db


class Desk:
    """An incident service on a real database, the officer on duty switchable, audit rows readable."""

    def __init__(self, folder: Path) -> None:
        self.path = folder / "console.db"
        self.db = incidents_db(self.path)
        self.writer = AuditWriter(self.path, load_or_create_station_key(folder / "keys"))
        self.on_duty: User | None = AN
        self.now = T0
        officers = Officers(Guard(lambda: self.on_duty, audit=self.writer.append), self.writer.append)
        self.incidents = Incidents(self.db.conn, officers, folder / "data", clock=self.tick)

    def tick(self) -> int:
        self.now += 1000
        return self.now

    def audit(self) -> list[ChainedRow]:
        assert self.writer.flush()
        return [row for row in audit_table.query(self.db.conn, audit_table.AuditQuery())[::-1]
                if row.action != AuditAction.CHECKPOINT]

    def close(self) -> None:
        self.writer.close()
        self.db.close()


@pytest.fixture()
def desk(tmp_path: Path) -> Iterator[Desk]:
    made = Desk(tmp_path)
    yield made
    made.close()


def test_an_empty_incident_is_open_named_by_its_moment_and_handled_by_whoever_opened_it(desk: Desk) -> None:
    incident = desk.incidents.create_empty()
    assert incident.status is IncidentStatus.OPEN
    assert incident.title == "Vụ việc ngày 01/01/2026 07:00:01"
    assert incident.officers == ("nguyen.van.an",) and incident.created_by == "nguyen.van.an"
    assert incident.origin is Origin.EMPTY and incident.place == Place()
    assert desk.incidents.get(incident.id) == incident


def test_an_incident_from_an_alert_takes_its_place_and_time_and_links_the_alert_picture_and_recordings(
        desk: Desk) -> None:
    alert = Alert(41, "C03", "S02", "motion", T0 - 60_000, T0 - 20_000, snapshot="2026-01-01/41-start.jpg")
    incident = desk.incidents.create_from_alert(alert, kind=IncidentKind.THEFT, note="Xe máy bị dắt đi")
    case = desk.incidents.case_file(incident.id)
    assert incident.title == "Vụ việc từ cảnh báo số 41" and incident.kind is IncidentKind.THEFT
    assert incident.place == Place("S02", "C03") and (incident.start_ms, incident.end_ms) == (T0 - 60_000, T0 - 20_000)
    assert incident.origin is Origin.ALERT and incident.origin_ref == "alert:41"
    assert [link.target for link in case.links] == [
        AlertLink(41),
        RecordingLink("C03", T0 - 60_000 - ALERT_PRE_ROLL_MS, T0 - 20_000 + ALERT_POST_ROLL_MS),
        SnapshotLink("2026-01-01/41-start.jpg", "C03", T0 - 60_000),
    ]
    assert [n.text for n in case.notes] == ["Xe máy bị dắt đi"]
    assert desk.incidents.with_alert(41) == [incident.id]


def test_an_incident_from_a_manual_incident_is_titled_by_the_officers_words(desk: Desk) -> None:
    manual = Alert(7, "C01", "S01", "manual", T0, None, note="Đánh nhau trước cổng chợ\nhai người bị thương")
    incident = desk.incidents.create_from_alert(manual)
    assert incident.title == "Đánh nhau trước cổng chợ"
    assert incident.origin is Origin.MANUAL and (incident.start_ms, incident.end_ms) == (T0, T0)
    assert [link.target for link in desk.incidents.case_file(incident.id).links][:1] == [AlertLink(7)]


def test_an_incident_from_a_playback_moment_links_the_recordings_around_it(desk: Desk) -> None:
    incident = desk.incidents.create_from_playback("C05", T0, site_id="S03")
    assert incident.title == "Vụ việc tại camera C05 lúc 01/01/2026 07:00:00"
    assert incident.origin_ref == f"C05@{T0}" and incident.place == Place("S03", "C05")
    links = desk.incidents.case_file(incident.id).links
    assert [link.target for link in links] == [RecordingLink("C05", T0 - PLAYBACK_MARGIN_MS, T0 + PLAYBACK_MARGIN_MS)]


def test_notes_are_kept_in_order_with_author_and_time_and_can_never_be_changed_or_deleted(desk: Desk) -> None:
    incident = desk.incidents.create("Mất trộm gà")
    first = desk.incidents.add_note(incident.id, "  Người dân báo lúc 6 giờ sáng  ")
    desk.on_duty = BINH
    second = desk.incidents.add_note(incident.id, "Đã xem camera C02, thấy một xe máy")
    notes = desk.incidents.case_file(incident.id).notes
    assert [(n.text, n.author) for n in notes] == [("Người dân báo lúc 6 giờ sáng", "nguyen.van.an"),
                                                   ("Đã xem camera C02, thấy một xe máy", "tran.thi.binh")]
    assert first.at_ms < second.at_ms
    conn = sqlite3.connect(desk.path)
    try:
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            conn.execute("UPDATE incident_notes SET text = 'sửa lại' WHERE id = ?", [first.id])
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            conn.execute("DELETE FROM incident_notes WHERE id = ?", [second.id])
        with pytest.raises(sqlite3.IntegrityError, match="never deleted"):
            conn.execute("DELETE FROM incidents")
    finally:
        conn.close()
    assert [n.text for n in desk.incidents.case_file(incident.id).notes] == [n.text for n in notes]
    with pytest.raises(IncidentError) as empty:
        desk.incidents.add_note(incident.id, "   ")
    assert empty.value.message() == "Ghi chú đang trống."


def test_status_goes_forwarded_then_closed_a_closed_incident_takes_nothing_until_reopened(desk: Desk) -> None:
    incident = desk.incidents.create("Tai nạn ở ngã ba", kind=IncidentKind.TRAFFIC)
    forwarded = desk.incidents.set_status(incident.id, IncidentStatus.FORWARDED, "Chuyển Công an huyện")
    assert forwarded.status is IncidentStatus.FORWARDED
    closed = desk.incidents.set_status(incident.id, IncidentStatus.CLOSED)
    assert closed.status is IncidentStatus.CLOSED
    refusals = []
    for attempt in (lambda: desk.incidents.add_note(incident.id, "thêm"),
                    lambda: desk.incidents.link(incident.id, AlertLink(3)),
                    lambda: desk.incidents.edit(replace(closed, title="Tên khác"))):
        with pytest.raises(IncidentError) as refused:
            attempt()
        refusals.append(refused.value.message())
    assert set(refusals) == {f"Vụ việc số {incident.id} đã đóng: hãy mở lại vụ việc trước khi thêm ghi chú, liên "
                             "kết hoặc video."}
    with pytest.raises(IncidentError) as same:
        desk.incidents.set_status(incident.id, IncidentStatus.CLOSED)
    assert same.value.message() == f"Vụ việc số {incident.id} đã ở trạng thái Đã đóng."
    reopened = desk.incidents.set_status(incident.id, IncidentStatus.OPEN, "Có thêm video")
    assert reopened.status is IncidentStatus.OPEN
    assert [n.text for n in desk.incidents.case_file(incident.id).notes] == ["Chuyển Công an huyện", "Có thêm video"]


def test_links_of_every_kind_round_trip_and_an_unlinked_item_stays_recorded_as_removed(desk: Desk) -> None:
    incident = desk.incidents.create("Trộm xe máy")
    targets: list[LinkTarget] = [
        AlertLink(12), RecordingLink("C02", T0, T0 + 90_000), SnapshotLink("snapshots/C02-1.jpg", "C02", T0),
        PlateLink("29A-123.45", camera_id="C02", at_ms=T0 + 5_000, image="crops/1.jpg")]
    made = [desk.incidents.link(incident.id, target) for target in targets]
    assert [link.target for link in desk.incidents.case_file(incident.id).links] == targets
    with pytest.raises(IncidentError) as twice:
        desk.incidents.link(incident.id, AlertLink(12))
    assert twice.value.say is Say.ALREADY_LINKED
    removed = desk.incidents.unlink(incident.id, made[0].id, "Nhầm cảnh báo")
    assert removed.removed_by == "nguyen.van.an" and not removed.active
    assert [link.target for link in desk.incidents.case_file(incident.id).links] == targets[1:]
    assert desk.incidents.with_alert(12) == []
    conn = sqlite3.connect(desk.path)
    try:
        with pytest.raises(sqlite3.IntegrityError, match="never deleted"):
            conn.execute("DELETE FROM incident_links WHERE id = ?", [made[1].id])
        with pytest.raises(sqlite3.IntegrityError, match="only changes once"):
            conn.execute("UPDATE incident_links SET camera_id = 'C09' WHERE id = ?", [made[1].id])
        with pytest.raises(sqlite3.IntegrityError, match="only changes once"):
            conn.execute("UPDATE incident_links SET removed_ms = NULL WHERE id = ?", [made[0].id])
    finally:
        conn.close()
    desk.incidents.link(incident.id, AlertLink(12))  # linked again after removal: a new link
    with pytest.raises(TypeError):
        desk.incidents.link(incident.id, VideoLink(1))  # only the intake links a citizen's video


def test_edit_stores_title_kind_place_time_and_officers_and_audits_only_what_changed(desk: Desk) -> None:
    incident = desk.incidents.create("Mất xe dap", place=Place(text="chợ"))
    place = Place("S04", "C07", Point(21.0285, 105.8542), "Cổng chợ Gia Đông")
    edited = desk.incidents.edit(replace(incident, title="Mất xe đạp", kind=IncidentKind.THEFT, place=place,
                                         start_ms=T0, end_ms=T0 + 600_000, officers=("nguyen.van.an", "tran.thi.binh")))
    assert desk.incidents.get(incident.id) == edited
    assert edited.place == place and edited.officers == ("nguyen.van.an", "tran.thi.binh")
    assert edited.origin is Origin.FORM and edited.created_ms == incident.created_ms < edited.updated_ms
    assert desk.incidents.edit(edited) == edited  # nothing changed: nothing written, nothing audited
    row = desk.audit()[-1]
    assert row.action == AuditAction.INCIDENT_EDITED and row.camera == "C07"
    assert '"title":["Mất xe dap","Mất xe đạp"]' in row.details and '"officers":' in row.details
    assert '"status"' not in row.details


def test_each_change_is_one_audit_row_by_the_officer_on_duty(desk: Desk) -> None:
    incident = desk.incidents.create_from_alert(Alert(5, "C01", "S01", "motion", T0, T0 + 1000))
    note = desk.incidents.add_note(incident.id, "Ghi chú một")
    desk.on_duty = BINH
    link = desk.incidents.link(incident.id, PlateLink("30F-888.88", camera_id="C01", at_ms=T0))
    desk.incidents.unlink(incident.id, link.id, "đọc sai")
    desk.incidents.set_status(incident.id, IncidentStatus.FORWARDED)
    rows = desk.audit()
    assert [(r.action, r.user, r.target) for r in rows] == [
        (AuditAction.INCIDENT_CREATED, "nguyen.van.an", f"incident:{incident.id}"),
        (AuditAction.INCIDENT_NOTE, "nguyen.van.an", f"incident:{incident.id}"),
        (AuditAction.INCIDENT_LINKED, "tran.thi.binh", f"incident:{incident.id}"),
        (AuditAction.INCIDENT_UNLINKED, "tran.thi.binh", f"incident:{incident.id}"),
        (AuditAction.INCIDENT_STATUS, "tran.thi.binh", f"incident:{incident.id}"),
    ]
    assert rows[0].camera == "C01" and '"origin_ref":"alert:5"' in rows[0].details
    assert f'"note_id":{note.id}' in rows[1].details and '"text":"30F-888.88"' in rows[2].details
    assert '"from":"open"' in rows[4].details and '"to":"forwarded"' in rows[4].details
    assert [action_label(r.action) for r in rows] == ["Tạo vụ việc", "Ghi chú vụ việc", "Liên kết vào vụ việc",
                                                      "Gỡ liên kết khỏi vụ việc", "Đổi trạng thái vụ việc"]


def test_nobody_on_duty_changes_nothing_and_the_refusal_is_audited(desk: Desk) -> None:
    incident = desk.incidents.create("Gây rối")
    desk.on_duty = None  # the screen is locked
    with pytest.raises(ActionRefusedError) as refused:
        desk.incidents.add_note(incident.id, "ghi lén")
    assert refused.value.message() == "Cần đăng nhập để ghi vụ việc thủ công."
    with pytest.raises(ActionRefusedError):
        desk.incidents.create_empty()
    assert desk.incidents.case_file(incident.id).notes == ()
    assert [r.action for r in desk.audit()] == [AuditAction.INCIDENT_CREATED, AuditAction.ACTION_REFUSED,
                                                AuditAction.ACTION_REFUSED]


@pytest.mark.parametrize(("attempt", "message"), [
    (lambda i: i.create("   "), "Vụ việc cần có tên."),
    (lambda i: i.create("Tên", start_ms=T0, end_ms=T0 - 1), "Thời gian kết thúc phải sau thời gian bắt đầu."),
    (lambda i: i.create("Tên", place=Place(point=Point(121.0, 105.0))), "Tọa độ không hợp lệ: vĩ độ 121.0, kinh độ "
                                                                        "105.0."),
    (lambda i: i.link(i.create("Tên").id, RecordingLink("C01", T0, T0)),
     "Thời gian kết thúc phải sau thời gian bắt đầu."),
    (lambda i: i.link(i.create("Tên").id, PlateLink(" ")), "Biển số đang trống."),
    (lambda i: i.add_note(999, "x"), "Không tìm thấy vụ việc số 999."),
])
def test_what_cannot_be_stored_is_refused_in_vietnamese(desk: Desk, attempt: object, message: str) -> None:
    with pytest.raises(IncidentError) as refused:
        attempt(desk.incidents)  # type: ignore[operator]
    assert refused.value.message() == message


def test_audit_entries_carry_json_only(desk: Desk) -> None:
    """The writer refuses details that are not JSON: every incident change must be written, none rejected."""
    incident = desk.incidents.create("Cháy", kind=IncidentKind.FIRE, place=Place(point=Point(21.0, 105.5)))
    desk.incidents.edit(replace(incident, place=Place("S01", "C01", Point(21.1, 105.6), "Kho")))
    desk.audit()
    assert desk.writer.rejected == 0
