"""The *Vụ việc* dock on a real database and the real `Incidents` (officers checked, every change audited): the
dock sits at the bottom as a tab behind the alerts; an incident opened from the form, an alert or a playback
moment is listed and shown; the search finds words typed without diacritics, parts of a plate, a camera, a time
range and a status; notes are added through the box in order with author and time; the status menu moves an
incident on and a closed one takes nothing; refusals show in the dock's line; linked items lead to playback and
to the map. English texts (the window's Vietnamese comes with the lead's .ts): compared with `widget.tr(...)`."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QColor, QImage
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QDockWidget, QMainWindow, QWidget
from pytestqt.qtbot import QtBot

from console.audit.actions import AuditAction, AuditEntry
from console.core.alerts import AlertKind, AlertState, Priority
from console.core.config import SiteConfig
from console.core.users import Role, User
from console.core.vntime import format_vn_ms
from console.incidents.messages import IncidentError
from console.incidents.model import (
    IncidentKind,
    IncidentQuery,
    IncidentStatus,
    LinkKind,
    Place,
    PlateLink,
    Point,
    RecordingLink,
)
from console.incidents.service import ALERT_PRE_ROLL_MS, PLAYBACK_MARGIN_MS, Incidents
from console.officers.guard import ActionRefusedError, Guard, Officers
from console.officers.roles import Permission
from console.store.alerts import AlertRow
from console.ui.incidents.dock import IncidentsDock
from console.ui.incidents.incident_form import IncidentForm
from console.ui.incidents.install import install_incidents
from console.ui.playback.window import PlaybackWindow
from console.ui.shell.i18n import ui_lang
from tests.support.databases import OpenDb

CAMERAS = ("C01", "C02", "C03")
SITES = {"C01": "S01", "C02": "S01", "C03": "S02"}
AN = User("nguyen.van.an", "Nguyễn Văn An", Role.OFFICER)
AT_MS = 1_767_225_600_000  # 01/01/2026 07:00:00 (UTC+7)
MINUTE_MS = 60_000
DOCK_HEIGHT_PX = 380  # about the alarm dock's first height, which this dock shares as its tab


class Desk:
    """The station: console.db migrated by open_database, the officer on duty, the audit rows as written."""

    def __init__(self, folder: Path, open_db: OpenDb) -> None:
        self.db = open_db(folder / "console.db")
        self.data = folder / "data"
        self.snapshots = self.data / "alerts"
        self.audit: list[AuditEntry] = []
        self.on_duty: User | None = AN
        officers = Officers(Guard(lambda: self.on_duty, audit=self.audit.append), self.audit.append)
        self.incidents = Incidents(self.db.conn, officers, self.data)
        self.window = QMainWindow()
        self.window.resize(1600, 900)
        self.window.setCentralWidget(QWidget())
        self.alarm_dock = QDockWidget("Alerts", self.window)
        self.alarm_dock.setObjectName("alarmDock")
        self.alarm_dock.setWidget(QWidget())
        self.window.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.alarm_dock)
        self.dock = install_incidents(self.window, self.incidents, CAMERAS, camera_sites=SITES,
                                      snapshots=self.snapshots)

    def actions(self) -> list[AuditAction]:
        return [entry.action for entry in self.audit]

    def show(self, qtbot: QtBot) -> IncidentsDock:
        self.window.show()
        self.dock.raise_()
        qtbot.waitExposed(self.dock)
        return self.dock


@pytest.fixture()
def desk(qtbot: QtBot, tmp_path: Path, open_db: OpenDb) -> Iterator[Desk]:
    made = Desk(tmp_path, open_db)
    qtbot.addWidget(made.window)
    yield made
    made.window.close()


def click(widget: QWidget) -> None:
    QTest.mouseClick(widget, Qt.MouseButton.LeftButton)


def listed(dock: IncidentsDock) -> list[str]:
    return [incident.title for incident in dock.list_model.rows()]


def search(qtbot: QtBot, dock: IncidentsDock, text: str) -> list[str]:
    """Types into the search box as the officer does and waits for the pause in typing to search."""
    dock.search_bar.text.clear()
    QTest.keyClicks(dock.search_bar.text, text)
    qtbot.waitUntil(lambda: dock.search_bar.query().text == text and not dock.search_bar._pause.isActive())
    return listed(dock)


def choose(combo_owner: object, combo_name: str, data: object) -> None:
    combo = getattr(combo_owner, combo_name)
    combo.setCurrentIndex(combo.findData(data))


def alert_row(alert_id: int = 41, snapshot: str | None = "2026/01/01/C01_070000.jpg") -> AlertRow:
    return AlertRow(alert_id, AT_MS, None, AT_MS + 20_000, "C01", "S01", AlertKind.MOTION, Priority.MEDIUM, 0.8,
                    snapshot, AlertState.NEW, "", None, None, None, None)


def picture(path: Path, color: str = "#3366cc") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    image = QImage(320, 180, QImage.Format.Format_RGB32)
    image.fill(QColor(color))
    assert image.save(str(path))  # JPEG, by the name
    return path


def test_the_dock_sits_at_the_bottom_as_a_tab_behind_the_alerts(qtbot: QtBot, desk: Desk) -> None:
    dock = desk.dock
    assert dock.objectName() == "incidentsDock" and dock.windowTitle() == dock.tr("Incidents")
    assert desk.window.dockWidgetArea(dock) == Qt.DockWidgetArea.BottomDockWidgetArea
    assert desk.window.tabifiedDockWidgets(desk.alarm_dock) == [dock]
    desk.window.show()
    qtbot.waitExposed(desk.alarm_dock)
    assert desk.alarm_dock.visibleRegion().isEmpty() is False  # the alerts stay in front
    lone = QMainWindow()
    qtbot.addWidget(lone)
    alone = install_incidents(lone, desk.incidents, CAMERAS)
    assert lone.dockWidgetArea(alone) == Qt.DockWidgetArea.BottomDockWidgetArea
    assert lone.tabifiedDockWidgets(alone) == []


def test_a_new_incident_from_the_form_is_listed_chosen_and_shown_with_its_facts(qtbot: QtBot, desk: Desk) -> None:
    dock = desk.show(qtbot)
    assert listed(dock) == [] and not dock.intake_button.isEnabled() and not dock.edit_button.isEnabled()
    click(dock.new_button)
    form = dock.form
    assert isinstance(form, IncidentForm) and form.isVisible()
    assert not form.ok.isEnabled()  # a title is required
    form.title_edit.setText("Trộm xe máy trước Cổng trường")  # QTest types ASCII only
    choose(form, "kind", IncidentKind.THEFT.value)
    choose(form, "camera", "C02")
    form.place_text.setText("Cổng trường THCS Gia Đông")
    form.point.setText("21,0285; 105,8542")
    form.timed.setChecked(True)
    form.start.set_ms(AT_MS)
    form.end.set_ms(AT_MS + 10 * MINUTE_MS)
    form.officers.setText("tran.thi.binh, le.van.cuong")
    form.note.setPlainText("Người dân báo lúc 07:05")
    click(form.ok)
    qtbot.waitUntil(lambda: dock.form is None)
    assert listed(dock) == ["Trộm xe máy trước Cổng trường"]
    incident = dock.selected()
    assert incident is not None and incident.place == Place("S01", "C02", Point(21.0285, 105.8542),
                                                            "Cổng trường THCS Gia Đông")
    assert incident.officers == ("nguyen.van.an", "tran.thi.binh", "le.van.cuong")
    view = dock.case_view
    assert view.title.text() == view.tr("No. {number}: {title}").format(number=incident.id, title=incident.title)
    assert view.facts["kind"].text() == dock.words.tr("Theft")
    assert view.facts["status"].text() == dock.words.tr("Open")
    assert view.facts["time"].text() == dock.words.tr("{start} to {end}").format(
        start=format_vn_ms(AT_MS), end=format_vn_ms(AT_MS + 10 * MINUTE_MS))
    assert [note.text for note in view.notes_model.rows()] == ["Người dân báo lúc 07:05"]
    assert dock.intake_button.isEnabled() and dock.map_button.isEnabled()
    assert desk.actions() == [AuditAction.INCIDENT_CREATED]
    with qtbot.waitSignal(dock.show_on_map) as shown:
        click(dock.map_button)
    assert shown.args == [21.0285, 105.8542]


def test_the_form_stays_open_with_the_reason_when_the_incident_cannot_be_stored(qtbot: QtBot, desk: Desk) -> None:
    dock = desk.show(qtbot)
    form = dock.new_incident()
    form.title_edit.setText("Va chạm giao thông")
    form.timed.setChecked(True)
    form.start.set_ms(AT_MS)
    form.end.set_ms(AT_MS - MINUTE_MS)  # ends before it starts
    click(form.ok)
    assert form.isVisible() and form.error.isVisible()
    assert form.error.text() == _refusal(lambda: desk.incidents.create("x", start_ms=AT_MS, end_ms=AT_MS - 1))
    form.point.setText("bên kia sông")
    click(form.ok)
    assert form.error.text() == form.tr("Write the point as latitude, longitude, e.g. 21.0285, 105.8542")
    form.point.clear()
    form.end.set_ms(AT_MS + MINUTE_MS)
    click(form.ok)
    qtbot.waitUntil(lambda: dock.form is None)
    assert listed(dock) == ["Va chạm giao thông"]


def _refusal(call: Callable[[], object]) -> str:
    try:
        call()
    except (IncidentError, ActionRefusedError) as exc:
        return exc.message(ui_lang())
    raise AssertionError("not refused")


def test_search_finds_words_without_diacritics_plates_cameras_times_and_statuses(qtbot: QtBot, desk: Desk) -> None:
    incidents = desk.incidents
    gate = incidents.create("Trộm xe máy ở Cổng trường", IncidentKind.THEFT, Place(camera_id="C01"),
                            AT_MS, AT_MS + 5 * MINUTE_MS)
    road = incidents.create("Gây rối trên Đường làng", IncidentKind.DISORDER, Place(camera_id="C02"),
                            AT_MS + 3 * 3600_000, AT_MS + 4 * 3600_000)
    fire = incidents.create("Cháy rơm sau chợ", IncidentKind.FIRE, Place(camera_id="C03"),
                            AT_MS + 48 * 3600_000, AT_MS + 49 * 3600_000)
    incidents.link(road.id, PlateLink("29A-123.45", "C02", AT_MS + 3 * 3600_000))
    incidents.link(fire.id, RecordingLink("C01", AT_MS + 48 * 3600_000, AT_MS + 48 * 3600_000 + MINUTE_MS))
    incidents.add_note(fire.id, "Đã báo đội phòng cháy")
    incidents.set_status(fire.id, IncidentStatus.CLOSED)
    dock = desk.show(qtbot)
    dock.refresh()
    everything = [fire.title, road.title, gate.title]  # newest first
    assert listed(dock) == everything
    assert search(qtbot, dock, "cong truong") == [gate.title]
    assert search(qtbot, dock, "duong") == [road.title]  # đ folded to d
    assert search(qtbot, dock, "tru") == [gate.title]  # a word's beginning
    assert search(qtbot, dock, "doi phong chay") == [fire.title]  # a note's words
    assert search(qtbot, dock, "") == everything
    QTest.keyClicks(dock.search_bar.plate, "123.45")
    QTest.keyClick(dock.search_bar.plate, Qt.Key.Key_Return)
    assert listed(dock) == [road.title]
    dock.search_bar.plate.setText("29a12345")
    QTest.keyClick(dock.search_bar.plate, Qt.Key.Key_Return)
    assert listed(dock) == [road.title]
    dock.search_bar.plate.clear()
    QTest.keyClick(dock.search_bar.plate, Qt.Key.Key_Return)
    choose(dock.search_bar, "camera", "C01")
    assert listed(dock) == [fire.title, gate.title]  # the fire's recording range is of C01
    choose(dock.search_bar, "camera", None)
    choose(dock.search_bar, "status", IncidentStatus.CLOSED.value)
    assert listed(dock) == [fire.title]
    choose(dock.search_bar, "status", "not_closed")
    assert listed(dock) == [road.title, gate.title]
    choose(dock.search_bar, "status", "")
    dock.search_bar.since.set_ms(AT_MS + 2 * 3600_000)
    dock.search_bar.until.set_ms(AT_MS + 24 * 3600_000)
    dock.search_bar.timed.setChecked(True)
    assert listed(dock) == [road.title]
    assert dock.list_model.text(dock.list_model.rows()[0], "status") == dock.words.tr("Open")


def test_a_click_on_a_row_shows_that_incident(qtbot: QtBot, desk: Desk) -> None:
    older = desk.incidents.create("Mất trộm gà")
    desk.incidents.add_note(older.id, "Chủ nhà trình báo")
    newer = desk.incidents.create("Cháy bếp")
    dock = desk.show(qtbot)
    dock.refresh(select=newer.id)
    assert dock.case_view.notes_model.rows() == []
    row = dock.list_model.row_of(older.id)
    assert row is not None
    QTest.mouseClick(dock.table.viewport(), Qt.MouseButton.LeftButton,
                     pos=dock.table.visualRect(dock.list_model.index(row, 1)).center())
    assert dock.selected_id() == older.id and "Mất trộm gà" in dock.case_view.title.text()
    assert [n.text for n in dock.case_view.notes_model.rows()] == ["Chủ nhà trình báo"]


def test_a_note_is_added_through_the_box_in_order_with_author_and_time(qtbot: QtBot, desk: Desk) -> None:
    incident = desk.incidents.create("Mất trộm gà")
    dock = desk.show(qtbot)
    dock.refresh(select=incident.id)
    view = dock.case_view
    assert not view.add_note.isEnabled()  # nothing written yet
    for text in ("Chủ nhà trình báo lúc 06:30", "Đã xem camera C01: không thấy người lạ"):
        view.note_edit.insertPlainText(text)  # QTest types ASCII only
        assert view.add_note.isEnabled()
        click(view.add_note)
        assert view.note_edit.toPlainText() == ""
    notes = view.notes_model.rows()
    assert [n.text for n in notes] == ["Chủ nhà trình báo lúc 06:30", "Đã xem camera C01: không thấy người lạ"]
    assert {n.author for n in notes} == {"nguyen.van.an"} and notes[0].at_ms <= notes[1].at_ms
    row = view.notes_model.index(1, 0)
    assert view.notes_model.data(row) == format_vn_ms(notes[1].at_ms)
    assert view.notes_model.data(row.siblingAtColumn(1)) == "nguyen.van.an"
    assert desk.actions() == [AuditAction.INCIDENT_CREATED, AuditAction.INCIDENT_NOTE, AuditAction.INCIDENT_NOTE]
    assert dock.message.text() == dock.tr("Note added to incident no. {number}").format(number=incident.id)


def test_the_status_menu_forwards_closes_and_reopens_and_a_closed_incident_takes_nothing(
        qtbot: QtBot, desk: Desk) -> None:
    incident = desk.incidents.create("Tranh chấp đất")
    dock = desk.show(qtbot)
    dock.refresh(select=incident.id)
    assert not dock.status_actions[IncidentStatus.OPEN].isEnabled()  # already open
    dock.status_actions[IncidentStatus.FORWARDED].trigger()
    assert dock.case_view.facts["status"].text() == dock.words.tr("Forwarded")
    dock.status_actions[IncidentStatus.CLOSED].trigger()
    shown = dock.selected()
    assert shown is not None and shown.status is IncidentStatus.CLOSED
    assert not dock.intake_button.isEnabled() and not dock.case_view.note_edit.isEnabled()
    assert not dock.edit_button.isEnabled() and dock.status_actions[IncidentStatus.OPEN].isEnabled()
    assert dock.list_model.data(dock.list_model.index(0, 2), Qt.ItemDataRole.ForegroundRole) is not None  # greyed
    dock.status_actions[IncidentStatus.OPEN].trigger()
    assert dock.intake_button.isEnabled() and dock.case_view.note_edit.isEnabled()
    assert desk.actions() == [AuditAction.INCIDENT_CREATED, *[AuditAction.INCIDENT_STATUS] * 3]


def test_an_edit_keeps_the_incident_and_stores_what_changed(qtbot: QtBot, desk: Desk) -> None:
    incident = desk.incidents.create("Vụ việc chưa rõ", place=Place("S02", "C03"))
    dock = desk.show(qtbot)
    dock.refresh(select=incident.id)
    form = dock.edit_incident()
    assert form is not None and form.title_edit.text() == "Vụ việc chưa rõ" and form.camera.currentData() == "C03"
    form.title_edit.setText("Trộm chó ở xóm Đông")
    choose(form, "kind", IncidentKind.THEFT.value)
    click(form.ok)
    qtbot.waitUntil(lambda: dock.form is None)
    edited = desk.incidents.get(incident.id)
    assert edited is not None and edited.title == "Trộm chó ở xóm Đông" and edited.kind is IncidentKind.THEFT
    assert edited.place == Place("S02", "C03")  # the site stays with its camera
    assert listed(dock) == ["Trộm chó ở xóm Đông"] and desk.actions()[-1] == AuditAction.INCIDENT_EDITED


def test_nobody_on_duty_changes_nothing_and_the_dock_says_why(qtbot: QtBot, desk: Desk) -> None:
    incident = desk.incidents.create("Mất xe đạp")
    dock = desk.show(qtbot)
    dock.refresh(select=incident.id)
    desk.on_duty = None  # the screen is locked
    dock.case_view.note_edit.insertPlainText("Ghi chú lúc khóa màn hình")
    click(dock.case_view.add_note)
    expected = ActionRefusedError(Permission.MANUAL_INCIDENT, None, Role.OFFICER).message(ui_lang())
    assert dock.message.isVisible() and dock.message.text() == expected
    assert dock.case_view.note_edit.toPlainText() == "Ghi chú lúc khóa màn hình"  # kept to try again
    assert desk.incidents.case_file(incident.id).notes == ()
    assert dock.create_from_playback("C01", AT_MS) is None and listed(dock) == ["Mất xe đạp"]
    assert desk.actions() == [AuditAction.INCIDENT_CREATED, AuditAction.ACTION_REFUSED, AuditAction.ACTION_REFUSED]


def test_an_incident_from_an_alert_shows_its_picture_and_its_items_lead_to_playback(qtbot: QtBot, desk: Desk) -> None:
    picture(desk.snapshots / "2026/01/01/C01_070000.jpg")
    dock = desk.show(qtbot)
    incident = dock.create_from_alert(alert_row())
    assert incident is not None and dock.selected_id() == incident.id
    items = dock.case_view.items_model.rows()
    assert [item.kind for item in items] == [LinkKind.ALERT, LinkKind.RECORDING, LinkKind.SNAPSHOT]
    model = dock.case_view.items_model
    snapshot_row = model.index(2, 0)
    assert model.data(snapshot_row, Qt.ItemDataRole.DecorationRole) is not None  # the alert's picture
    with qtbot.waitSignal(dock.show_camera) as recording:
        dock.case_view.item_activated.emit(items[1])
    assert recording.args == ["C01", AT_MS - ALERT_PRE_ROLL_MS]
    with qtbot.waitSignal(dock.show_camera) as alert:
        dock.case_view.item_activated.emit(items[0])
    assert alert.args == ["C01", AT_MS]  # the alert's own moment
    again = dock.create_from_alert(alert_row())
    assert again is not None and again.id == incident.id and len(listed(dock)) == 1
    assert dock.message.text() == dock.tr("Alert no. {alert} is already in incident no. {number}").format(
        alert=41, number=incident.id)


def test_an_incident_from_a_playback_moment_is_shown_in_front_of_the_alerts(qtbot: QtBot, desk: Desk) -> None:
    desk.window.show()
    qtbot.waitExposed(desk.alarm_dock)
    incident = desk.dock.create_from_playback("C03", AT_MS)
    assert incident is not None and incident.place == Place("S02", "C03")
    assert not desk.dock.visibleRegion().isEmpty()  # its tab raised
    [item] = desk.dock.case_view.items_model.rows()
    assert (item.camera_id, item.at_ms) == ("C03", AT_MS - PLAYBACK_MARGIN_MS)
    assert desk.dock.case_view.items_model.data(desk.dock.case_view.items_model.index(0, 2)) == \
        desk.dock.words.tr("Camera {camera}, {start} to {end}").format(
            camera="C03", start=format_vn_ms(AT_MS - PLAYBACK_MARGIN_MS), end=format_vn_ms(AT_MS + PLAYBACK_MARGIN_MS))


def test_new_incident_here_in_playback_opens_one_on_the_camera_at_the_moment_shown(
        qtbot: QtBot, desk: Desk, demo_site: SiteConfig, open_db: OpenDb, tmp_path: Path) -> None:
    alone = PlaybackWindow(demo_site, open_db(tmp_path / "console.db"), tmp_path / "rec", tmp_path)
    qtbot.addWidget(alone)
    assert not alone.incident_button.isVisibleTo(alone) and alone.open_incident() is None  # no dock: not offered
    window = PlaybackWindow(demo_site, open_db(tmp_path / "console.db"), tmp_path / "rec", tmp_path, "", desk.window)
    qtbot.addWidget(window)
    window.show()
    assert window.incident_button.isVisibleTo(window)
    window.open_camera("C03", AT_MS)
    click(window.incident_button)
    [opened] = desk.incidents.search(IncidentQuery())
    assert opened.place == Place("S02", "C03") and desk.dock.selected_id() == opened.id
    [item] = desk.dock.case_view.items_model.rows()
    assert (item.camera_id, item.at_ms) == ("C03", AT_MS - PLAYBACK_MARGIN_MS)
    assert window.status.text() == window.tr("Incident no. {number} opened in the Incidents panel.").format(
        number=opened.id)
    window.close()
    alone.close()


def test_an_incident_hidden_by_the_search_is_shown_when_it_is_opened(qtbot: QtBot, desk: Desk) -> None:
    desk.incidents.create("Cháy bếp")
    dock = desk.show(qtbot)
    assert search(qtbot, dock, "chay") == ["Cháy bếp"]
    opened = dock.create_from_playback("C01", AT_MS)
    assert opened is not None and dock.selected_id() == opened.id
    assert dock.search_bar.query().text == "" and len(listed(dock)) == 2
    assert dock.list_model.row_of(opened.id) == 0 and dock.table.currentIndex() != QModelIndex()


def test_screenshot_of_the_dock(qtbot: QtBot, desk: Desk, artifacts: Path) -> None:
    picture(desk.snapshots / "2026/01/01/C01_070000.jpg")
    dock = desk.show(qtbot)
    incident = dock.create_from_alert(alert_row())
    assert incident is not None
    desk.incidents.add_note(incident.id, "Đã xác minh với chủ xe")
    desk.incidents.link(incident.id, PlateLink("29A-123.45", "C01", AT_MS))
    dock.refresh()
    dock.case_view.choose_item(dock.case_view.items_model.rows()[2].link_id)
    desk.window.resizeDocks([dock], [DOCK_HEIGHT_PX], Qt.Orientation.Vertical)
    qtbot.wait(50)
    assert dock.grab().save(str(artifacts / "incidents_dock.png"))
