"""The *Vụ việc* dock's search: words typed without diacritics ("cong truong" finds "Cổng trường", "duong" finds
"Đường"), plates whatever their punctuation, a camera, a time range, status and officer; on a real console.db."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlite_utils

from console.core.users import Role, User
from console.incidents.fold import fold, plate_key, words
from console.incidents.model import (
    IncidentQuery,
    IncidentStatus,
    Place,
    PlateLink,
    RecordingLink,
)
from console.incidents.service import Incidents
from console.officers.guard import Guard, Officers
from console.store.database import open_database
from console.store.incidents import schema_v11

T0 = 1_767_225_600_000
HOUR_MS = 3_600_000
AN = User("nguyen.van.an", "Nguyễn Văn An", Role.OFFICER)
BINH = User("tran.thi.binh", "Trần Thị Bình", Role.OFFICER)


def incidents_db(path: Path) -> sqlite_utils.Database:
    db = open_database(path)
    if "incidents" not in db.table_names():
        with db.conn:
            schema_v11(db)
    return db


@pytest.fixture()
def incidents(tmp_path: Path) -> Iterator[Incidents]:
    db = incidents_db(tmp_path / "console.db")
    on_duty = [AN]
    service = Incidents(db.conn, Officers(Guard(lambda: on_duty[0])), tmp_path / "data", clock=lambda: T0)
    service.on_duty = on_duty  # type: ignore[attr-defined]
    yield service
    db.close()


def titles(incidents: Incidents, **query: object) -> list[str]:
    return sorted(i.title for i in incidents.search(IncidentQuery(**query)))  # type: ignore[arg-type]


def test_fold_drops_every_vietnamese_mark_and_turns_d_bar_into_d() -> None:
    assert fold("Cổng trường THCS Gia Đông") == "cong truong thcs gia dong"
    assert fold("ĐƯỜNG  Quốc lộ\t5") == "duong quoc lo 5"
    assert fold("Ằ Ẳ Ẵ Ặ ỹ Ỹ ơ ư") == "a a a a y y o u"
    assert words("Xe máy, biển 29A-123.45!") == ["xe", "may", "bien", "29a", "123", "45"]
    assert plate_key("29a-123.45") == plate_key("29A 12345") == "29A12345"
    assert plate_key("99-B1 234.56") == "99B123456"
    assert plate_key("Đ") == "D"


def test_text_without_diacritics_finds_titles_places_and_notes(incidents: Incidents) -> None:
    school = incidents.create("Trộm xe đạp ở Cổng trường")
    incidents.create("Đánh nhau ở Đường Quốc lộ 5", place=Place(text="gần cây xăng"))
    market = incidents.create("Mất ví", place=Place(text="Chợ Gia Đông"))
    incidents.add_note(market.id, "Người bị mất là bà Hoàng Thị Lựu")
    incidents.add_note(school.id, "Học sinh báo lúc tan trường")
    assert titles(incidents, text="cong truong") == ["Trộm xe đạp ở Cổng trường"]
    assert titles(incidents, text="CỔNG TRƯỜNG") == ["Trộm xe đạp ở Cổng trường"]
    assert titles(incidents, text="duong quoc lo") == ["Đánh nhau ở Đường Quốc lộ 5"]
    assert titles(incidents, text="cay xang") == ["Đánh nhau ở Đường Quốc lộ 5"]
    assert titles(incidents, text="gia dong") == ["Mất ví"]
    assert titles(incidents, text="luu") == ["Mất ví"]  # a word of a note
    assert titles(incidents, text="tan truong") == ["Trộm xe đạp ở Cổng trường"]
    assert titles(incidents, text="tru") == ["Trộm xe đạp ở Cổng trường"]  # words are prefixes
    assert titles(incidents, text="xe dap cho") == []  # every word must be found in the same incident
    assert titles(incidents, text="trom") == ["Trộm xe đạp ở Cổng trường"]
    assert len(titles(incidents, text="")) == 3


def test_text_that_looks_like_search_syntax_is_only_words(incidents: Incidents) -> None:
    incidents.create("Vụ AND OR NOT")
    assert titles(incidents, text='"and" OR (not*') == ["Vụ AND OR NOT"]
    assert titles(incidents, text='*"') == ["Vụ AND OR NOT"]  # no word at all: no text filter


def test_a_plate_is_found_by_part_of_it_whatever_the_punctuation(incidents: Incidents) -> None:
    theft = incidents.create("Trộm xe máy")
    incidents.link(theft.id, PlateLink("29A-123.45", camera_id="C02", at_ms=T0))
    other = incidents.create("Va chạm")
    incidents.link(other.id, PlateLink("99-B1 234.56"))
    assert titles(incidents, plate="29a12345") == ["Trộm xe máy"]
    assert titles(incidents, plate="A-123") == ["Trộm xe máy"]
    assert titles(incidents, plate="123.45") == ["Trộm xe máy", "Va chạm"]  # 29A-123.45 and 99-B1 234.56
    assert titles(incidents, plate="B1 234") == ["Va chạm"]
    assert titles(incidents, plate="51G") == []
    assert titles(incidents, text="29A-123.45") == ["Trộm xe máy"]  # the free text finds plates too


def test_a_camera_finds_the_incidents_placed_there_and_those_with_its_items(incidents: Incidents) -> None:
    incidents.create("Ở camera C03", place=Place("S02", "C03"))
    linked = incidents.create("Ghi hình C03 liên kết")
    incidents.link(linked.id, RecordingLink("C03", T0, T0 + 60_000))
    incidents.create("Ở camera C04", place=Place("S02", "C04"))
    assert titles(incidents, camera_id="C03") == ["Ghi hình C03 liên kết", "Ở camera C03"]


def test_a_time_range_finds_the_incidents_overlapping_it(incidents: Incidents) -> None:
    incidents.create("Sáng", start_ms=T0, end_ms=T0 + HOUR_MS)
    incidents.create("Chiều", start_ms=T0 + 6 * HOUR_MS, end_ms=T0 + 7 * HOUR_MS)
    incidents.create("Không rõ giờ")  # no time range: its creation (T0) stands for it
    assert titles(incidents, since_ms=T0 + HOUR_MS // 2, until_ms=T0 + 2 * HOUR_MS) == ["Sáng"]
    assert titles(incidents, since_ms=T0 + 5 * HOUR_MS) == ["Chiều"]
    assert titles(incidents, until_ms=T0 + 1) == ["Không rõ giờ", "Sáng"]


def test_status_and_officer_filter_the_dock(incidents: Incidents) -> None:
    mine = incidents.create("Của An")
    incidents.on_duty[0] = BINH  # type: ignore[attr-defined]
    closed = incidents.create("Của Bình, đã đóng")
    incidents.set_status(closed.id, IncidentStatus.CLOSED)
    open_ones = frozenset({IncidentStatus.OPEN, IncidentStatus.FORWARDED})
    assert titles(incidents, statuses=open_ones) == ["Của An"]
    assert titles(incidents, officer="tran.thi.binh") == ["Của Bình, đã đóng"]
    assert [i.id for i in incidents.search(IncidentQuery(limit=1))] == [closed.id]  # newest first
    assert mine.id != closed.id
