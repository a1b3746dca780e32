"""*Đánh dấu* in the console: a bookmark made in playback (Ctrl+B on the moment shown) is drawn on the timeline,
found in the list by words without diacritics, and a click plays from its start; exported from the list it is the
evidence export's clip of exactly its range; added to an open incident it becomes its recording; the alert list
bookmarks an alert's recording; every word on the dialog and the list is Vietnamese."""

from __future__ import annotations

import json
import subprocess
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import av
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QFormLayout, QLabel, QLineEdit, QWidget
from pytestqt.qtbot import QtBot

from console.audit.actions import AuditAction, AuditEntry
from console.bookmarks.model import BookmarkDraft, BookmarkQuery
from console.bookmarks.service import PLAYBACK_AFTER_MS, PLAYBACK_BEFORE_MS, Bookmarks
from console.core.alerts import AlertEvent, AlertKind
from console.core.config import SiteConfig
from console.core.stamp import read_stamp
from console.core.users import Role, User
from console.incidents.model import IncidentStatus, RecordingLink
from console.incidents.service import Incidents
from console.officers.guard import Guard, Officers
from console.store.alerts import now_ms
from console.store.recordings import RecordingIndex
from console.ui.bookmarks.dialog import BookmarkDialog
from console.ui.bookmarks.install import install_bookmarks
from console.ui.playback.export_dialog import ExportDialog
from console.ui.playback.window import PlaybackWindow
from tests.support.databases import OpenDb
from tests.support.playback import CLIP_S, START_MS, wait_stamp
from tests.support.stamped_clip import lay_out_recording
from tests.ui.test_alarm_panel import alert_window, click_row

ROOT = Path(__file__).resolve().parents[2]
AN = User("nguyen.van.an", "Nguyễn Văn An", Role.OFFICER)
ROOM = ("BookmarkDialog", "BookmarksPanel", "PlaybackBookmarks", "IncidentPicker", "BookmarkWords")


@dataclass
class Station:
    window: PlaybackWindow
    bookmarks: Bookmarks
    incidents: Incidents
    audit: list[AuditEntry]


@pytest.fixture()
def station(qtbot: QtBot, open_db: OpenDb, demo_site: SiteConfig, clip: Path, tmp_path: Path,
            vietnamese: object) -> Iterator[Station]:
    """Camera C01 recorded for 30 s from START_MS (three stamped segments), the playback window with bookmarks."""
    db = open_db(tmp_path / "console.db")
    lay_out_recording(RecordingIndex(db), tmp_path / "rec", "C01", clip, START_MS, 3, CLIP_S * 1000, 1000)
    audit: list[AuditEntry] = []
    officers = Officers(Guard(lambda: AN, audit=audit.append), audit.append)
    incidents = Incidents(db.conn, officers, tmp_path / "data")
    bookmarks = Bookmarks(db.conn, officers, incidents)
    window = PlaybackWindow(demo_site, db, tmp_path / "rec", tmp_path, AN.full_name, officers=officers,
                            bookmarks=bookmarks)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    yield Station(window, bookmarks, incidents, audit)
    window.close()


def open_dialog(qtbot: QtBot, window: PlaybackWindow) -> BookmarkDialog:
    """Ctrl+B, as the officer presses it on the playback window."""
    assert window.bookmarks is not None
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=3000)
    qtbot.keyClick(window, Qt.Key.Key_B, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: window.bookmarks is not None and window.bookmarks.panel.dialog is not None
                    and window.bookmarks.panel.dialog.isVisible(), timeout=3000)
    dialog = window.bookmarks.panel.dialog
    assert dialog is not None
    return dialog


def test_a_bookmark_made_in_playback_is_found_without_diacritics_and_a_click_plays_from_its_start(
        qtbot: QtBot, station: Station) -> None:
    window, panel = station.window, station.window.bookmarks.panel  # type: ignore[union-attr]
    station.bookmarks.create(BookmarkDraft("C01", START_MS + 20_000, START_MS + 25_000, "Ngã ba chợ"))
    window.open_camera("C01", START_MS + 12_000)
    dialog = open_dialog(qtbot, window)
    span = dialog.end.ms() - dialog.start.ms()
    assert span == PLAYBACK_BEFORE_MS + PLAYBACK_AFTER_MS
    assert START_MS + 11_000 - PLAYBACK_BEFORE_MS <= dialog.start.ms() <= START_MS + 13_000 - PLAYBACK_BEFORE_MS
    dialog.start.set_ms(START_MS + 4_000)  # the officer widens it back to what matters
    dialog.name_edit.insert("Cổng trường: xe máy đỏ dừng lại")  # as an input method types (QTest: ASCII only)
    dialog.tags_edit.setText("xe máy, Cổng trường")
    dialog.note_edit.setPlainText("Hai người, một mũ bảo hiểm trắng")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.dialog is None, timeout=3000)
    [made] = station.bookmarks.search(BookmarkQuery(text="xe may do"))
    assert (made.camera_id, made.from_ms, made.tags) == ("C01", START_MS + 4_000, ("xe máy", "Cổng trường"))
    assert made.created_by == "nguyen.van.an"
    assert [entry.action for entry in station.audit][-1] is AuditAction.BOOKMARK_CREATED
    # Drawn on the timeline at once, both bookmarks of C01, with their names for the tooltip.
    assert sorted(window.timeline.bookmarks) == [(made.from_ms, made.to_ms, made.name),
                                                 (START_MS + 20_000, START_MS + 25_000, "Ngã ba chợ")]
    assert window.timeline.bookmarks_at(START_MS + 5_000) == [made.name]
    window.open_camera("C01", START_MS + 26_000)  # elsewhere, so the click is seen to move playback
    qtbot.mouseClick(window.bookmarks.list_button, Qt.MouseButton.LeftButton)  # type: ignore[union-attr]
    assert panel.isVisible()
    qtbot.keyClicks(panel.text, "cong truong")
    qtbot.waitUntil(lambda: panel.list.topLevelItemCount() == 1, timeout=3000)
    item = panel.list.topLevelItem(0)
    assert item is not None and item.text(0) == made.name
    assert item.text(3) == f"{round(made.duration_ms / 1000)} giây" and item.text(4) == "xe máy, Cổng trường"
    qtbot.mouseClick(panel.list.viewport(), Qt.MouseButton.LeftButton, pos=panel.list.visualItemRect(item).center())
    assert window.camera_id() == "C01" and window.when.ms() == made.from_ms
    player = window.player
    assert player is not None
    assert player.segment is not None and player.segment.start_ms == START_MS  # the first segment, not the third
    stamp = wait_stamp(player, lambda v: v <= 4_500)  # the third was shown from 6 s into it: never this low
    assert stamp >= 3_000  # from the keyframe at or before the bookmark's start (4 s into the segment)


def test_the_bookmark_is_exported_from_the_list_as_a_playable_clip_of_exactly_its_range(
        qtbot: QtBot, station: Station, tmp_path: Path) -> None:
    window, panel = station.window, station.window.bookmarks.panel  # type: ignore[union-attr]
    made = station.bookmarks.create(BookmarkDraft("C01", START_MS + 2_500, START_MS + 17_500, "Qua hai đoạn"))
    incident = station.incidents.create("Trộm xe máy")
    station.bookmarks.add_to_incident(made.id, incident.id)
    window.bookmarks.show_list()  # type: ignore[union-attr]
    panel.list.setCurrentItem(panel.list.topLevelItem(0))
    qtbot.mouseClick(panel.export_button, Qt.MouseButton.LeftButton)
    dialog = window.findChild(ExportDialog)
    assert dialog is not None and dialog.isVisible() and dialog.windowTitle() == "Trích xuất chứng cứ"
    assert (dialog.camera_id, dialog.span().start_ms, dialog.span().end_ms) == ("C01", made.from_ms, made.to_ms)
    assert dialog.case_number.text() == str(incident.id)  # the incident it was added to
    target = tmp_path / "out" / "qua_hai_doan.mp4"
    dialog.target.setText(str(target))
    dialog.reason.setText("Xác minh vụ trộm xe máy")
    dialog.requested_by.setText("Công an xã Đông Cứu")
    dialog.export_button.click()
    qtbot.waitUntil(lambda: dialog.sheet is not None, timeout=60_000)
    outcome = dialog.outcome
    assert outcome is not None and outcome.first_ms == START_MS + 2_000  # the keyframe before the start
    probe = subprocess.run(["ffprobe", "-v", "error", "-show_entries", "format=duration", "-of", "json", str(target)],
                           capture_output=True, text=True, check=True)
    assert 15.0 <= float(json.loads(probe.stdout)["format"]["duration"]) <= 16.0  # 2.0 s to 17.5 s, both segments
    with av.open(str(target)) as clip:
        stamps = [read_stamp(frame.to_ndarray(format="gray")) for frame in clip.decode(video=0)]
    assert stamps[0] == 2_000 and stamps[-1] is not None and 7_000 <= stamps[-1] < 7_600  # second segment, 7.5 s
    assert len(stamps) >= 15 * 15  # every picture decodes
    exported = [e for e in station.audit if e.action is AuditAction.EVIDENCE_EXPORTED]
    assert [(e.camera, e.details["start_ms"], e.details["end_ms"]) for e in exported] == [
        ("C01", made.from_ms, made.to_ms)]


def test_added_to_an_open_incident_picked_in_the_list_the_bookmark_is_its_recording(
        qtbot: QtBot, station: Station) -> None:
    panel = station.window.bookmarks.panel  # type: ignore[union-attr]
    made = station.bookmarks.create(BookmarkDraft("C01", START_MS, START_MS + 8_000, "Người lạ ở cổng"))
    closed = station.incidents.create("Đã giải quyết")
    station.incidents.set_status(closed.id, IncidentStatus.CLOSED)
    wanted = station.incidents.create("Trộm xe máy trước cổng trường")
    panel.refresh()
    panel.list.setCurrentItem(panel.list.topLevelItem(0))
    picker = panel.add_selected_to_incident()
    assert picker is not None and picker.windowTitle() == "Thêm vào vụ việc"
    assert picker.list.count() == 1 and picker.chosen() == wanted.id  # the closed one is not offered
    station.incidents.create("Va chạm giao thông")  # listed once the officer types: "truong" leaves it out
    qtbot.keyClicks(picker.text, "truong")
    qtbot.waitUntil(lambda: picker.list.count() == 1 and picker.empty.isHidden(), timeout=3000)
    picker.refresh()
    assert picker.list.count() == 1 and picker.chosen() == wanted.id
    qtbot.mouseClick(picker.add_button, Qt.MouseButton.LeftButton)
    assert station.bookmarks.get(made.id).incident_id == wanted.id  # type: ignore[union-attr]
    links = station.incidents.case_file(wanted.id).links
    assert [link.target for link in links] == [RecordingLink("C01", START_MS, START_MS + 8_000)]
    assert panel.message.text() == f"Đã thêm “Người lạ ở cổng” vào vụ việc số {wanted.id}"


def test_a_refused_change_keeps_the_dialog_open_and_says_why_in_vietnamese(qtbot: QtBot, station: Station) -> None:
    window = station.window
    window.open_camera("C01", START_MS + 5_000)
    dialog = open_dialog(qtbot, window)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)  # no name
    assert dialog.isVisible() and dialog.message.text() == "Đánh dấu cần có tên."
    dialog.name_edit.setText("Ngược")
    dialog.end.set_ms(dialog.start.ms() - 1000)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible() and dialog.message.text() == "Thời điểm kết thúc phải sau thời điểm bắt đầu."
    assert station.bookmarks.search(BookmarkQuery()) == []
    dialog.reject()


def english_sources() -> set[str]:
    """The room's source strings whose Vietnamese differs from them: none may be shown."""
    found = set()
    for context in ET.parse(ROOT / "translations" / "console_vi.ts").getroot().iter("context"):
        if context.findtext("name") in ROOM:
            for message in context.iter("message"):
                source, translation = message.findtext("source") or "", message.findtext("translation") or ""
                if source != translation:
                    found.add(source)
    return found


def shown_texts(widget: QWidget) -> list[str]:
    texts = [widget.windowTitle()]
    texts += [w.text() for w in widget.findChildren(QLabel) + widget.findChildren(QAbstractButton)]
    texts += [w.placeholderText() for w in widget.findChildren(QLineEdit)]
    texts += [w.toolTip() for w in widget.findChildren(QWidget)]
    return [t for t in texts if t]


def test_the_dialog_the_list_and_the_buttons_speak_vietnamese_everywhere(qtbot: QtBot, station: Station) -> None:
    window = station.window
    assert window.bookmarks is not None
    panel = window.bookmarks.panel
    assert window.bookmarks.add_button.text() == "Đánh dấu…"
    assert window.bookmarks.list_button.text() == "Danh sách đánh dấu"
    station.bookmarks.create(BookmarkDraft("C01", START_MS, START_MS + 75_000, "Xe tải", ("đêm",)))
    window.bookmarks.show_list()
    header = panel.list.headerItem()
    assert [header.text(i) for i in range(header.columnCount())] == [
        "Tên", "Camera", "Từ (UTC+7)", "Thời lượng", "Nhãn", "Người đánh dấu"]
    assert panel.list.topLevelItem(0).text(3) == "1 phút 15 giây"  # type: ignore[union-attr]
    assert [panel.period.itemText(i) for i in range(panel.period.count())] == [
        "Mọi thời gian", "24 giờ qua", "7 ngày qua", "30 ngày qua", "Từ … đến …"]
    assert panel.tag.itemText(0) == "Tất cả nhãn" and panel.camera.itemText(0) == "Tất cả camera"
    window.open_camera("C01", START_MS + 5_000)
    dialog = open_dialog(qtbot, window)
    assert dialog.windowTitle() == "Đánh dấu"
    form = dialog.findChild(QFormLayout)
    assert form is not None
    labels = [form.itemAt(row, QFormLayout.ItemRole.LabelRole).widget().text() for row in range(form.rowCount())]
    assert labels == ["Camera", "Từ (UTC+7)", "Đến (UTC+7)", "Tên", "Nhãn", "Ghi chú"]
    english = english_sources()
    for widget in (dialog, panel, window):
        leftovers = [text for text in shown_texts(widget) if text in english]
        assert leftovers == [], leftovers
    dialog.reject()
    panel.list.setCurrentItem(panel.list.topLevelItem(0))
    picker = panel.add_selected_to_incident()
    assert picker is not None
    assert [text for text in shown_texts(picker) if text in english] == []
    picker.reject()


def test_the_alert_list_bookmarks_an_alerts_recording_and_playback_opened_later_has_the_bookmarks(
        qtbot: QtBot, open_db: OpenDb, demo_site: SiteConfig, tmp_path: Path, vietnamese: object) -> None:
    with alert_window(qtbot, demo_site, tmp_path, data=tmp_path, recordings=tmp_path / "rec") as window:
        db = open_db(tmp_path / "console.db")
        officers = Officers(Guard(lambda: AN))
        bookmarks = Bookmarks(db.conn, officers, Incidents(db.conn, officers, tmp_path / "data"))
        install_bookmarks(window, bookmarks)
        center = window.alert_center
        assert center is not None
        writer = center.services.writer
        alert_id, siteless = writer.next_id(), writer.next_id() + 1
        started = now_ms() - 60_000
        writer.submit(AlertEvent(alert_id, "C01", "S01", AlertKind.MOTION, started, 0.8, "start"))
        writer.submit(AlertEvent(siteless, None, "S02", AlertKind.SITE_OFFLINE, started, 1.0, "start"))
        qtbot.waitUntil(lambda: {alert_id, siteless} <= {r.id for r in center.panel.model.rows()}, timeout=5000)
        click_row(qtbot, window, siteless)
        action = next(a for a in center.panel.row_menu().actions() if a.objectName() == "bookmarkAlertAction")
        assert action.text() == "Đánh dấu ghi hình… (Ctrl+B)" and not action.isEnabled()  # no camera, no recording
        click_row(qtbot, window, alert_id)
        action = next(a for a in center.panel.row_menu().actions() if a.objectName() == "bookmarkAlertAction")
        assert action.isEnabled()
        action.trigger()
        dialog = window.findChild(BookmarkDialog)
        assert dialog is not None and dialog.isVisible()
        assert dialog.name_edit.text() == f"Cảnh báo số {alert_id}: Phát hiện chuyển động"
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
        [made] = bookmarks.search(BookmarkQuery(text="canh bao"))
        assert made.alert_id == alert_id and made.camera_id == "C01" and made.from_ms < started < made.to_ms
        assert window.statusBar().currentMessage() == f"Đã lưu đánh dấu: {made.name}"
        playback = window.open_playback("C01", started)
        assert playback is not None and playback.bookmarks is not None
        assert playback.timeline.bookmarks == [(made.from_ms, made.to_ms, made.name)]
        playback.close()
