"""*Tiếp nhận video từ người dân* through the sheet, on a real database and a phone-like MP4 made with PyAV here:
the file chosen in the file dialog or dropped on the dock, the person and the channel written in, *Tiếp nhận*
runs the intake off the GUI thread with the core's progress on the bar (the GUI never waits > 50 ms), and the
video is then listed in the incident with its thumbnails; *Hủy* and closing the sheet cancel it and leave
nothing; a file that is not a video is refused in Vietnamese naming it; Zalo brings the notice asking for the
phone's own file. English texts of the sheet (its Vietnamese comes with the lead's .ts); the core's sentences
(refusals, progress, the Zalo notice) are compared in Vietnamese."""

from __future__ import annotations

import itertools
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QLocale, QMimeData, QPoint, QPointF, Qt, QTimer, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QFileDialog
from pytestqt.qtbot import QtBot

from console.audit.actions import AuditAction
from console.incidents.messages import IncidentError, IntakeCancelledError, IntakeRefusedError, Say
from console.incidents.model import IncidentStatus, LinkKind
from console.incidents.progress import Phase
from console.incidents.video_record import Channel, original_preferred_notice
from console.ui.incidents.dock import IncidentsDock
from console.ui.incidents.intake_dialog import PROGRESS_STEPS, VideoIntakeDialog
from console.ui.shell.i18n import ui_lang
from tests.support.databases import OpenDb
from tests.support.phone_video import phone_video
from tests.ui.test_incidents_dock import Desk, click

GUI_GAP_MAX_MS = 50
INTAKE_TIMEOUT_MS = 30_000


@pytest.fixture()
def vietnamese_locale() -> Iterator[None]:
    """The interface's language for the core's sentences (`ui_lang()`), without the .qm of the window's own."""
    before = QLocale()
    QLocale.setDefault(QLocale(QLocale.Language.Vietnamese, QLocale.Country.Vietnam))
    assert ui_lang() == "vi"
    yield
    QLocale.setDefault(before)


class Station(Desk):
    """The desk with one incident open and chosen in the dock."""

    def __init__(self, folder: Path, open_db: OpenDb) -> None:
        super().__init__(folder, open_db)
        self.incident = self.incidents.create("Trộm xe máy ở Cổng trường")
        self.dock.refresh(select=self.incident.id)


@pytest.fixture()
def desk(qtbot: QtBot, tmp_path: Path, open_db: OpenDb, vietnamese_locale: None) -> Iterator[Station]:
    made = Station(tmp_path, open_db)
    qtbot.addWidget(made.window)
    made.window.show()
    made.dock.raise_()
    qtbot.waitExposed(made.dock)
    yield made
    made.window.close()


@pytest.fixture()
def medium(tmp_path: Path) -> Path:
    """The USB stick."""
    folder = tmp_path / "usb"
    folder.mkdir()
    return folder


def open_sheet(qtbot: QtBot, dock: IncidentsDock) -> VideoIntakeDialog:
    click(dock.intake_button)
    sheet = dock.intake_sheet
    assert isinstance(sheet, VideoIntakeDialog)
    qtbot.waitExposed(sheet)
    return sheet


def fill_in(sheet: VideoIntakeDialog, name: str = "Lê Văn Cường") -> None:
    sheet.name.setText(name)  # QTest types ASCII only
    sheet.phone.setText("0912 345 678")
    sheet.id_number.setText("001090012345")
    sheet.claim_place.setText("Cổng trường THCS")


def kept_files(desk: Desk) -> list[Path]:
    folder = desk.data / "incidents"
    return sorted(p for p in folder.rglob("*")) if folder.exists() else []


class GuiTicks:
    """A 10 ms timer on the GUI thread; the longest wait between two of its ticks."""

    def __init__(self) -> None:
        self.ticks: list[float] = []
        self.timer = QTimer()
        self.timer.setTimerType(Qt.TimerType.PreciseTimer)
        self.timer.setInterval(10)
        self.timer.timeout.connect(lambda: self.ticks.append(time.perf_counter()))

    def __enter__(self) -> GuiTicks:
        self.timer.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self.timer.stop()

    def longest_gap_ms(self) -> float:
        return max(b - a for a, b in itertools.pairwise(self.ticks)) * 1000


def test_a_citizens_video_is_received_with_progress_and_listed_with_its_thumbnails_without_blocking_the_gui(
        qtbot: QtBot, desk: Station, medium: Path, monkeypatch: pytest.MonkeyPatch, artifacts: Path) -> None:
    source = phone_video(medium / "VID_20260101_065800.mp4", seconds=4.0)  # ~0.5 s of intake to watch the GUI
    sheet = open_sheet(qtbot, desk.dock)
    assert sheet.windowTitle() == sheet.tr("Receive a video from citizens") and not sheet.receive.isEnabled()
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *_a, **_k: (str(source), ""))
    click(sheet.browse)
    assert sheet.source() == source and not sheet.receive.isEnabled()  # the name of who brought it is required
    fill_in(sheet)
    assert sheet.receive.isEnabled() and sheet.notice.isHidden()  # USB: no notice
    bars: list[int] = []
    lines: list[str] = []

    def seen(_progress: object) -> None:  # after the sheet's own slot: what the officer sees now
        bars.append(sheet.progress.value())
        lines.append(sheet.progress_line.text())

    sheet.run.progressed.connect(seen)
    with GuiTicks() as gui, qtbot.waitSignal(sheet.received, timeout=INTAKE_TIMEOUT_MS) as received:
        click(sheet.receive)
        assert sheet.run.running and not sheet.receive.isEnabled() and not sheet.name.isEnabled()
        assert sheet.progress.isVisible()
        qtbot.waitUntil(lambda: bool(bars), timeout=INTAKE_TIMEOUT_MS)
        sheet.grab().save(str(artifacts / "video_intake_running.png"))
    qtbot.wait(50)
    record = received.args[0]
    assert gui.longest_gap_ms() < GUI_GAP_MAX_MS, gui.longest_gap_ms()
    assert len(bars) >= 5 and bars == sorted(bars) and 0 <= bars[0] < PROGRESS_STEPS
    assert sheet.progress.value() == PROGRESS_STEPS
    phases = {f"Đang sao chép và tính mã SHA-256 của tệp {source.name}",
              f"Đang tạo bản xem của tệp {source.name}"}
    assert phases <= set(lines)  # the core's lines under the bar, as it words them
    assert sheet.outcome.text() == sheet.tr("Received {file} into incident no. {number}. SHA-256: {sha256}").format(
        file=source.name, number=record.incident_id, sha256=record.sha256)
    assert sheet.source() is None and sheet.name.text() == "Lê Văn Cường"  # ready for the person's next file
    assert record.bringer.phone == "0912 345 678" and record.channel is Channel.USB
    assert record.claim.place == "Cổng trường THCS" and len(record.thumbnails) == 8
    view = desk.dock.case_view
    [item] = view.items_model.rows()
    assert item.kind is LinkKind.VIDEO and source.name in item.text and "Lê Văn Cường" in item.text
    assert view.items_model.data(view.items_model.index(0, 0), Qt.ItemDataRole.DecorationRole) is not None
    assert view.chosen_item() == item and view.strip.shown() == 8  # the thumbnail strip of the video
    assert record.sha256 in view.strip_details.text()
    assert desk.actions() == [AuditAction.INCIDENT_CREATED, AuditAction.VIDEO_RECEIVED]
    desk.dock.grab().save(str(artifacts / "incidents_dock_video.png"))
    click(sheet.cancel)  # now *Đóng*
    qtbot.waitUntil(lambda: desk.dock.intake_sheet is None)


def test_cancel_during_the_working_copy_leaves_nothing(qtbot: QtBot, desk: Station, medium: Path) -> None:
    source = phone_video(medium / "VID_20260101_070100.mp4", seconds=3.0)
    sheet = open_sheet(qtbot, desk.dock)
    sheet.set_source(source)
    fill_in(sheet)
    in_working_copy: list[bool] = []

    def cancel_once_copying(progress: object) -> None:
        if getattr(progress, "phase", None) is Phase.WORKING_COPY and not in_working_copy:
            in_working_copy.append(True)
            click(sheet.cancel)

    sheet.run.progressed.connect(cancel_once_copying)
    with qtbot.waitSignal(sheet.run.cancelled, timeout=INTAKE_TIMEOUT_MS):
        click(sheet.receive)
    assert in_working_copy and sheet.isVisible()
    assert sheet.outcome.text() == IntakeCancelledError(source.name).message("vi")
    assert sheet.outcome.text() == f"Đã hủy tiếp nhận tệp {source.name}: không có gì được lưu."
    assert sheet.progress.isHidden() and sheet.receive.isEnabled()  # the officer may try again
    assert kept_files(desk) == [] and desk.incidents.case_file(desk.incident.id).videos == ()
    assert desk.actions() == [AuditAction.INCIDENT_CREATED] and desk.dock.case_view.items_model.rows() == []


@pytest.mark.parametrize("how", ["title bar", "console exit"])
def test_closing_the_sheet_during_an_intake_cancels_it_and_closes_once_nothing_is_left(
        qtbot: QtBot, desk: Station, medium: Path, how: str) -> None:
    source = phone_video(medium / "VID_20260101_070200.mp4", seconds=3.0)
    sheet = open_sheet(qtbot, desk.dock)
    sheet.set_source(source)
    fill_in(sheet)
    with qtbot.waitSignal(sheet.run.progressed, timeout=INTAKE_TIMEOUT_MS):
        click(sheet.receive)
    if how == "title bar":
        sheet.close()
    else:
        assert desk.dock.intake_running
        desk.dock.cancel_intake()
    assert sheet.isVisible() and sheet.run.running  # stays until the intake has removed what it wrote
    qtbot.waitUntil(lambda: desk.dock.intake_sheet is None, timeout=INTAKE_TIMEOUT_MS)
    assert kept_files(desk) == [] and desk.actions() == [AuditAction.INCIDENT_CREATED]
    assert not desk.dock.intake_running


def test_a_file_that_is_not_a_video_is_refused_in_vietnamese_naming_it(
        qtbot: QtBot, desk: Station, medium: Path) -> None:
    document = medium / "bien_ban_vu_viec.mp4"
    document.write_bytes("Biên bản vụ việc\n".encode() * 200)
    sheet = open_sheet(qtbot, desk.dock)
    sheet.set_source(document)
    fill_in(sheet)
    with qtbot.waitSignal(sheet.run.refused, timeout=INTAKE_TIMEOUT_MS):
        click(sheet.receive)
    expected = IntakeRefusedError(Say.NOT_VIDEO, name=document.name).message("vi")
    assert sheet.outcome.text() == expected == (f"Tệp {document.name} không phải tệp video mà phần mềm đọc được: "
                                                "không tiếp nhận.")
    assert sheet.outcome.isVisible() and sheet.progress.isHidden()
    assert kept_files(desk) == [] and desk.actions() == [AuditAction.INCIDENT_CREATED]
    sheet.set_source(medium / "da_rut_ra.mp4")  # the stick was pulled out
    with qtbot.waitSignal(sheet.run.refused, timeout=INTAKE_TIMEOUT_MS):
        click(sheet.receive)
    assert "da_rut_ra.mp4" in sheet.outcome.text() and "đã bị rút ra" in sheet.outcome.text()


def test_zalo_brings_the_notice_that_the_original_file_is_preferred(qtbot: QtBot, desk: Station) -> None:
    sheet = open_sheet(qtbot, desk.dock)
    assert sheet.notice.isHidden()
    sheet.channel.setCurrentIndex(sheet.channel.findData(Channel.ZALO.value))
    notice = original_preferred_notice(Channel.ZALO, "vi")
    assert sheet.notice.isVisible() and notice is not None and sheet.notice.text() == notice
    assert notice.startswith("Video gửi qua Zalo đã bị ứng dụng nén lại")
    sheet.channel.setCurrentIndex(sheet.channel.findData(Channel.EMAIL.value))
    assert sheet.notice.isHidden()


def drop(target: IncidentsDock | VideoIntakeDialog, path: Path) -> bool:
    """A file manager's drag of `path` over `target` and its drop: whether both were taken. The handlers are
    called as Qt calls them (QApplication delivers a drop only to the target of a drag its drag manager runs)."""
    mime = QMimeData()  # kept alive here: the events do not own it
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    actions, button, keys = Qt.DropAction.CopyAction, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    enter = QDragEnterEvent(QPoint(20, 20), actions, mime, button, keys)
    target.dragEnterEvent(enter)
    event = QDropEvent(QPointF(20, 20), actions, mime, button, keys)
    target.dropEvent(event)
    return enter.isAccepted() and event.isAccepted()


def test_a_file_dropped_on_the_dock_or_the_sheet_is_the_one_received(qtbot: QtBot, desk: Station, medium: Path) -> None:
    first, second = medium / "IMG_0412.MOV", medium / "IMG_0413.MOV"
    assert drop(desk.dock, first)
    sheet = desk.dock.intake_sheet
    assert isinstance(sheet, VideoIntakeDialog) and sheet.isVisible() and sheet.source() == first
    assert sheet.incident.id == desk.incident.id
    assert drop(sheet, second)
    assert sheet.source() == second and desk.dock.intake_sheet is sheet  # one sheet at a time
    mime = QMimeData()
    mime.setUrls([QUrl("https://zalo.me/video/123")])
    web = QDragEnterEvent(QPoint(20, 20), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                          Qt.KeyboardModifier.NoModifier)
    desk.dock.dragEnterEvent(web)
    assert not web.isAccepted()  # an address is no file to receive


def test_a_closed_incident_takes_no_dropped_video(qtbot: QtBot, desk: Station, medium: Path) -> None:
    desk.dock.set_status(IncidentStatus.CLOSED)
    assert not desk.dock.intake_button.isEnabled()
    assert drop(desk.dock, medium / "IMG_0414.MOV") and desk.dock.intake_sheet is None
    assert desk.dock.message.text() == IncidentError(Say.INCIDENT_CLOSED, incident=desk.incident.id).message("vi")


def test_no_sheet_without_an_incident_chosen(qtbot: QtBot, desk: Station) -> None:
    desk.dock.table.clearSelection()
    desk.dock.refresh(select=-1)
    assert desk.dock.receive_video() is None and desk.dock.intake_sheet is None
    assert desk.dock.message.text() == desk.dock.tr(
        "Choose the incident the video belongs to first (or open a new one)")
