"""*Đánh dấu* (bookmarks) in a real console.db: a round trip, edits and deletes by their author (another officer's
only by an admin), the search by words without diacritics, tag, camera and time, a bookmark added to an incident as
its recording link, a bookmark made on an alert; every change one audit row, every refusal a Vietnamese sentence."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
import sqlite_utils

from console.audit.actions import AuditAction, AuditEntry, action_label
from console.bookmarks.messages import BookmarkError, Say, templates
from console.bookmarks.model import BookmarkDraft, BookmarkQuery, clean_tags, parse_tags
from console.bookmarks.service import PLAYBACK_AFTER_MS, PLAYBACK_BEFORE_MS, Bookmarks, alert_range, playback_range
from console.core.users import Role, User
from console.incidents.messages import IncidentError
from console.incidents.model import IncidentStatus, RecordingLink
from console.incidents.service import ALERT_POST_ROLL_MS, ALERT_PRE_ROLL_MS, Incidents
from console.officers.guard import ActionRefusedError, Guard, Officers
from console.officers.roles import Permission
from console.store.bookmarks import schema_v13
from console.store.database import MIGRATIONS, SCHEMA_VERSION, backup_path, open_database, schema_version
from tests.support.alert_row import Alert
from tests.support.databases import make_old

AN = User("nguyen.van.an", "Nguyễn Văn An", Role.OFFICER)
BINH = User("tran.thi.binh", "Trần Thị Bình", Role.OFFICER)
ADMIN = User("quantri", "Lê Văn Kỹ", Role.ADMIN)
T0 = 1_767_225_600_000  # 01/01/2026 07:00:00 (UTC+7)
MINUTE = 60_000
DAY = 86_400_000


class Desk:
    """The bookmarks and the incidents on one real console.db, the officer on duty switchable, the audit kept."""

    def __init__(self, folder: Path) -> None:
        self.path = folder / "console.db"
        self.db = open_database(self.path)
        self.on_duty: User | None = AN
        self.audit: list[AuditEntry] = []
        self.now = T0
        officers = Officers(Guard(lambda: self.on_duty, audit=self.audit.append), self.audit.append)
        self.incidents = Incidents(self.db.conn, officers, folder / "data", clock=self.tick)
        self.bookmarks = Bookmarks(self.db.conn, officers, self.incidents, clock=self.tick)

    def tick(self) -> int:
        self.now += 1000
        return self.now

    def bookmark(self, name: str, camera_id: str = "C01", from_ms: int = T0, length_ms: int = MINUTE,
                 tags: tuple[str, ...] = (), note: str = "") -> int:
        return self.bookmarks.create(BookmarkDraft(camera_id, from_ms, from_ms + length_ms, name, tags, note)).id

    def actions(self) -> list[AuditAction]:
        return [entry.action for entry in self.audit]

    def names(self, query: BookmarkQuery) -> list[str]:
        return [b.name for b in self.bookmarks.search(query)]


@pytest.fixture()
def desk(tmp_path: Path) -> Iterator[Desk]:
    made = Desk(tmp_path)
    yield made
    made.db.close()


def test_a_bookmark_round_trips_through_the_database_with_its_author_and_moment(desk: Desk, tmp_path: Path) -> None:
    made = desk.bookmarks.create(BookmarkDraft("C01", T0 + 5_000, T0 + 65_000, "  Xe máy   đỏ dừng trước cổng ",
                                               ("Cổng trường", "xe máy", "cong truong", " "),
                                               "Hai người, một mũ bảo hiểm trắng\n"))
    assert made.name == "Xe máy đỏ dừng trước cổng"  # spaces collapsed
    assert made.tags == ("Cổng trường", "xe máy")  # "cong truong" is the same tag without its diacritics
    assert made.note == "Hai người, một mũ bảo hiểm trắng"
    assert (made.camera_id, made.from_ms, made.to_ms, made.duration_ms) == ("C01", T0 + 5_000, T0 + 65_000, 60_000)
    assert made.created_by == "nguyen.van.an" and made.created_ms == T0 + 1000
    assert made.alert_id is None and made.incident_id is None
    desk.db.close()
    again = sqlite_utils.Database(sqlite3.connect(tmp_path / "console.db"))
    try:
        stored = Bookmarks(again.conn, Officers(Guard(lambda: AN))).get(made.id)
        assert stored == made  # read back by another connection, field for field
        created_utc = again.execute("SELECT created_utc FROM bookmarks").fetchone()[0]
        assert created_utc == "2026-01-01T00:00:01.000+00:00"
    finally:
        again.close()
        desk.db = open_database(tmp_path / "console.db")
    [entry] = desk.audit
    assert entry.action is AuditAction.BOOKMARK_CREATED and entry.user == "nguyen.van.an"
    assert entry.camera == "C01" and entry.target == f"bookmark:{made.id}"
    assert entry.details == {"name": made.name, "from_ms": T0 + 5_000, "to_ms": T0 + 65_000,
                             "tags": ["Cổng trường", "xe máy"], "note": made.note, "alert_id": None}
    assert action_label(AuditAction.BOOKMARK_CREATED) == "Tạo đánh dấu"


def test_an_edit_changes_the_words_and_range_audits_what_changed_and_keeps_camera_and_author(desk: Desk) -> None:
    bookmark = desk.bookmarks.get(desk.bookmark("Người lạ", tags=("đêm",)))
    assert bookmark is not None
    edited = desk.bookmarks.edit(replace(bookmark, name="Người lạ trèo tường", tags=("đêm", "Trèo tường"),
                                         to_ms=T0 + 90_000, camera_id="C09", created_by="someone"))
    assert edited.name == "Người lạ trèo tường" and edited.tags == ("đêm", "Trèo tường")
    assert edited.to_ms == T0 + 90_000 and edited.camera_id == "C01" and edited.created_by == "nguyen.van.an"
    assert desk.bookmarks.get(bookmark.id) == edited
    assert desk.names(BookmarkQuery(text="treo tuong")) == ["Người lạ trèo tường"]
    assert desk.bookmarks.tags() == ["đêm", "Trèo tường"]
    entry = desk.audit[-1]
    assert entry.action is AuditAction.BOOKMARK_EDITED and entry.target == f"bookmark:{bookmark.id}"
    assert entry.details == {"changes": {"to_ms": [T0 + MINUTE, T0 + 90_000],
                                         "name": ["Người lạ", "Người lạ trèo tường"],
                                         "tags": [["đêm"], ["đêm", "Trèo tường"]]}}
    rows = len(desk.audit)
    assert desk.bookmarks.edit(edited) == edited and len(desk.audit) == rows  # nothing changed: nothing recorded


def test_a_deleted_bookmark_is_gone_from_the_list_the_search_and_the_tags_and_audited_as_it_was(desk: Desk) -> None:
    kept = desk.bookmark("Cổng trường lúc tan học", tags=("trường",))
    gone = desk.bookmark("Cổng chợ", tags=("chợ",), note="xe tải đỗ sai")
    removed = desk.bookmarks.delete(gone)
    assert removed.name == "Cổng chợ" and desk.bookmarks.get(gone) is None
    assert desk.names(BookmarkQuery(text="cong")) == ["Cổng trường lúc tan học"]
    assert desk.names(BookmarkQuery(text="xe tai")) == [] and desk.names(BookmarkQuery(tag="cho")) == []
    assert desk.bookmarks.tags() == ["trường"]
    entry = desk.audit[-1]
    assert entry.action is AuditAction.BOOKMARK_DELETED and entry.target == f"bookmark:{gone}"
    assert entry.details["name"] == "Cổng chợ" and entry.details["note"] == "xe tải đỗ sai"
    assert entry.details["created_by"] == "nguyen.van.an"
    assert [b.id for b in desk.bookmarks.search(BookmarkQuery())] == [kept]
    with pytest.raises(BookmarkError) as missing:
        desk.bookmarks.delete(gone)
    assert missing.value.message() == f"Không tìm thấy đánh dấu số {gone}: có thể đã bị xóa."


def test_words_are_found_without_diacritics_as_prefixes_in_the_name_tags_and_note(desk: Desk) -> None:
    desk.bookmark("Cổng trường THCS", from_ms=T0)
    desk.bookmark("Ngã ba chợ", from_ms=T0 + MINUTE, tags=("Đường tỉnh 282",))
    desk.bookmark("Bãi xe", from_ms=T0 + 2 * MINUTE, note="Đối tượng đội mũ đỏ, đi về phía Đông Cứu")
    assert desk.names(BookmarkQuery(text="cong truong")) == ["Cổng trường THCS"]
    assert desk.names(BookmarkQuery(text="CONG TRU")) == ["Cổng trường THCS"]  # each word a prefix, any case
    assert desk.names(BookmarkQuery(text="Cổng trường")) == ["Cổng trường THCS"]  # with diacritics too
    assert desk.names(BookmarkQuery(text="duong 282")) == ["Ngã ba chợ"]  # đ is found as d, in a tag
    assert desk.names(BookmarkQuery(text="doi tuong dong cuu")) == ["Bãi xe"]  # in the note
    assert desk.names(BookmarkQuery(text="cong cho")) == []  # every word must be there
    assert desk.names(BookmarkQuery(text="cong OR cho")) == []  # OR is a word here, never an FTS operator
    assert desk.names(BookmarkQuery(text='"*(-')) == ["Bãi xe", "Ngã ba chợ", "Cổng trường THCS"]  # no word: all
    assert desk.names(BookmarkQuery()) == ["Bãi xe", "Ngã ba chợ", "Cổng trường THCS"]  # newest range first


def test_tag_camera_and_time_filters_narrow_the_search(desk: Desk) -> None:
    desk.bookmark("Sáng C01", "C01", T0, tags=("Xe máy", "sáng"))
    desk.bookmark("Trưa C02", "C02", T0 + 5 * 3600_000, tags=("xe may",))
    desk.bookmark("Đêm C01", "C01", T0 + DAY, 10 * MINUTE, tags=("đêm",))
    assert desk.bookmarks.tags() == ["đêm", "sáng", "Xe máy"]  # one entry per tag, as first written
    assert desk.names(BookmarkQuery(tag="XE MAY")) == ["Trưa C02", "Sáng C01"]  # folded, whole tag only
    assert desk.names(BookmarkQuery(tag="xe")) == []
    assert desk.names(BookmarkQuery(camera_id="C01")) == ["Đêm C01", "Sáng C01"]
    assert desk.names(BookmarkQuery(tag="xe máy", camera_id="C01")) == ["Sáng C01"]
    # The range overlapping [since, until): the night's 10 minutes are found from inside them, and not after.
    assert desk.names(BookmarkQuery(since_ms=T0 + DAY + 5 * MINUTE)) == ["Đêm C01"]
    assert desk.names(BookmarkQuery(since_ms=T0 + DAY + 10 * MINUTE)) == []
    assert desk.names(BookmarkQuery(since_ms=T0 + MINUTE // 2, until_ms=T0 + DAY)) == ["Trưa C02", "Sáng C01"]
    assert desk.names(BookmarkQuery(until_ms=T0)) == []  # [since, until): a range starting at `until` is not in
    assert [b.name for b in desk.bookmarks.on_timeline("C01", T0 - MINUTE, T0 + 3600_000)] == ["Sáng C01"]


def test_only_the_author_or_an_admin_changes_a_bookmark_and_a_refusal_is_audited(desk: Desk) -> None:
    bookmark_id = desk.bookmark("Của anh An")
    bookmark = desk.bookmarks.get(bookmark_id)
    assert bookmark is not None
    desk.on_duty = BINH
    with pytest.raises(ActionRefusedError) as refused:
        desk.bookmarks.edit(replace(bookmark, name="Của chị Bình"))
    assert refused.value.message() == ("Chỉ quản trị viên được sửa hoặc xóa đánh dấu của cán bộ khác. Tài khoản "
                                       "tran.thi.binh là cán bộ trực ban.")
    with pytest.raises(ActionRefusedError):
        desk.bookmarks.delete(bookmark_id)
    assert desk.bookmarks.get(bookmark_id) == bookmark
    refusals = [e for e in desk.audit if e.action is AuditAction.ACTION_REFUSED]
    assert [(e.user, e.details["action"], e.target) for e in refusals] == [
        ("tran.thi.binh", Permission.OTHERS_BOOKMARKS.value, f"bookmark:{bookmark_id}")] * 2
    desk.bookmark("Của chị Bình")  # her own: she may
    desk.on_duty = ADMIN
    assert desk.bookmarks.edit(replace(bookmark, note="Quản trị sửa")).note == "Quản trị sửa"
    desk.bookmarks.delete(bookmark_id)
    desk.on_duty = None  # the lock screen
    with pytest.raises(ActionRefusedError) as locked:
        desk.bookmark("Khi màn hình khóa")
    assert locked.value.message() == "Cần đăng nhập để đánh dấu ghi hình."
    assert desk.names(BookmarkQuery()) == ["Của chị Bình"]


def test_a_bookmark_needs_a_name_and_a_range_that_ends_after_it_starts(desk: Desk) -> None:
    with pytest.raises(BookmarkError) as unnamed:
        desk.bookmark("   ")
    assert unnamed.value.say is Say.EMPTY_NAME and unnamed.value.message() == "Đánh dấu cần có tên."
    with pytest.raises(BookmarkError) as backwards:
        desk.bookmark("Ngược", length_ms=0)
    assert backwards.value.message() == "Thời điểm kết thúc phải sau thời điểm bắt đầu."
    assert backwards.value.message("en") == "The end must be after the start."
    assert desk.bookmarks.search(BookmarkQuery()) == [] and desk.audit == []


def test_added_to_an_incident_the_bookmark_becomes_its_recording_link_once(desk: Desk) -> None:
    bookmark_id = desk.bookmark("Trộm xe ở cổng trường", from_ms=T0 + 10_000, length_ms=45_000)
    incident = desk.incidents.create("Trộm xe máy")
    added = desk.bookmarks.add_to_incident(bookmark_id, incident.id)
    assert added.incident_id == incident.id and desk.bookmarks.get(bookmark_id) == added
    links = desk.incidents.case_file(incident.id).links
    assert [link.target for link in links] == [RecordingLink("C01", T0 + 10_000, T0 + 55_000)]
    assert desk.actions()[-2:] == [AuditAction.INCIDENT_LINKED, AuditAction.BOOKMARK_EDITED]
    assert desk.audit[-1].details == {"changes": {"incident_id": [None, incident.id]}}
    assert desk.bookmarks.add_to_incident(bookmark_id, incident.id) == added  # again: nothing more
    assert len(desk.incidents.case_file(incident.id).links) == 1
    other = desk.incidents.create("Vụ khác")
    with pytest.raises(BookmarkError) as taken:
        desk.bookmarks.add_to_incident(bookmark_id, other.id)
    assert taken.value.message() == f"Đánh dấu số {bookmark_id} đã thuộc vụ việc số {incident.id}."
    desk.incidents.unlink(incident.id, links[0].id, "nhầm vụ việc")  # taken out of the first: the other may have it
    assert desk.bookmarks.add_to_incident(bookmark_id, other.id).incident_id == other.id
    assert [link.target for link in desk.incidents.case_file(other.id).links] == [links[0].target]
    desk.bookmarks.delete(bookmark_id)  # the case keeps what was added to it
    assert [link.target for link in desk.incidents.case_file(other.id).links] == [links[0].target]


def test_a_range_already_in_the_incident_only_marks_the_bookmark_and_a_closed_incident_refuses(desk: Desk) -> None:
    incident = desk.incidents.create_from_playback("C01", T0 + MINUTE)  # links a minute either side of the moment
    [link] = desk.incidents.case_file(incident.id).links
    assert isinstance(link.target, RecordingLink)
    same = desk.bookmark("Cùng đoạn ghi hình", from_ms=link.target.start_ms,
                         length_ms=link.target.end_ms - link.target.start_ms)
    assert desk.bookmarks.add_to_incident(same, incident.id).incident_id == incident.id
    assert len(desk.incidents.case_file(incident.id).links) == 1
    closed = desk.incidents.create("Đã xong")
    desk.incidents.set_status(closed.id, IncidentStatus.CLOSED)
    later = desk.bookmark("Sau khi đóng")
    assert [i.id for i in desk.bookmarks.open_incidents()] == [incident.id]  # the picker offers the open one only
    with pytest.raises(IncidentError) as refused:
        desk.bookmarks.add_to_incident(later, closed.id)
    assert "đã đóng" in refused.value.message()
    assert desk.bookmarks.get(later).incident_id is None  # type: ignore[union-attr]


def test_a_bookmark_made_on_an_alert_keeps_its_number_and_the_range_around_it(desk: Desk) -> None:
    alert = Alert(42, "C03", "S02", "motion", T0, T0 + 20_000)
    span = alert_range(alert)
    assert (span.start_ms, span.end_ms) == (T0 - ALERT_PRE_ROLL_MS, T0 + 20_000 + ALERT_POST_ROLL_MS)
    made = desk.bookmarks.create_from_alert(alert, BookmarkDraft("", span.start_ms, span.end_ms, "Cảnh báo số 42"))
    assert made.camera_id == "C03" and made.alert_id == 42
    assert desk.audit[-1].details["alert_id"] == 42 and desk.audit[-1].camera == "C03"
    going_on = alert_range(Alert(43, "C03", "S02", "motion", T0, None))
    assert going_on.end_ms == T0 + ALERT_POST_ROLL_MS
    with pytest.raises(BookmarkError) as siteless:
        desk.bookmarks.create_from_alert(Alert(44, None, "S02", "site_offline", T0, None),
                                         BookmarkDraft("", T0, T0 + 1, "Mất kết nối"))
    assert siteless.value.message() == ("Cảnh báo số 44 không gắn với camera nào: không có ghi hình để đánh "
                                        "dấu.")
    playback = playback_range(T0)
    assert (playback.start_ms, playback.end_ms) == (T0 - PLAYBACK_BEFORE_MS, T0 + PLAYBACK_AFTER_MS)


def test_tags_are_read_from_a_typed_line_separated_by_commas_or_semicolons() -> None:
    assert parse_tags(" cổng trường, Xe máy ;đêm,,  ") == ("cổng trường", "Xe máy", "đêm")
    assert clean_tags(["Đêm", "dem", "ĐÊM"]) == ("Đêm",)


def test_every_sentence_is_vietnamese_and_english_with_the_same_placeholders() -> None:
    assert set(templates()) == set(Say)
    for vi, en in templates().values():
        assert vi != en
        assert sorted(_fields(vi)) == sorted(_fields(en))


def _fields(text: str) -> list[str]:
    import string
    return [name for _, name, _, _ in string.Formatter().parse(text) if name]


def test_a_schema_12_file_gains_the_bookmarks_and_keeps_its_rows(tmp_path: Path) -> None:
    path = tmp_path / "console.db"
    make_old(path, 12)
    db = open_database(path)
    try:
        assert MIGRATIONS[12] is schema_v13 and schema_version(db) == SCHEMA_VERSION
        assert [r["name"] for r in db.table("saved_layouts").rows] == ["Ca đêm"]
        assert {"bookmarks", "bookmark_tags", "bookmark_search"} <= set(db.table_names())
        plan = str(db.execute("EXPLAIN QUERY PLAN SELECT id FROM bookmarks WHERE camera_id = 'C01' AND "
                              "from_ms < 10 AND to_ms > 0").fetchall())
        assert "bookmarks_camera_time" in plan  # the timeline's question is one index range
    finally:
        db.close()
    assert backup_path(path, 12).exists()
