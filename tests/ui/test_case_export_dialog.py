"""*Xuất hồ sơ…* in the *Vụ việc* dock on a real database with a recorded camera: the button picks a folder, the
sheet runs the export off the GUI thread (the GUI never waits > 50 ms) with the core's progress, and ends with a
signed case folder that verifies; *Hủy* leaves no folder. English texts of the sheet (its Vietnamese comes with
the lead's .ts), compared with `widget.tr(...)`; the core's sentences in the interface's language."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QFileDialog, QMainWindow, QWidget
from pytestqt.qtbot import QtBot

from console.audit.actions import AuditAction, AuditEntry
from console.core.atomic import part_path
from console.core.users import Role, User
from console.evidence.verify import verify_export
from console.incidents.case_export import CaseExportResult
from console.incidents.case_report import CaseNames
from console.incidents.messages import CaseExportCancelledError
from console.incidents.service import Incidents
from console.officers.guard import Guard, Officers
from console.store.recordings import RecordingIndex
from console.ui.incidents.case_export_dialog import CaseExportDialog, CaseExportSetup
from console.ui.incidents.install import install_incidents
from console.ui.shell.i18n import ui_lang
from console.ui.widgets.form_units import FormUnits
from tests.support.databases import OpenDb
from tests.support.stamped_clip import lay_out_recording, write_stamped_segment
from tests.ui.test_incidents_dock import click
from tests.ui.test_video_intake import GUI_GAP_MAX_MS, GuiTicks

AN = User("nguyen.van.an", "Nguyễn Văn An", Role.OFFICER)
START_MS = 1_790_000_000_000
EXPORT_TIMEOUT_MS = 60_000
UNITS = FormUnits("Công an huyện Gia Bình", "Công an xã Đông Cứu", "Đông Cứu", "CAX")


class ExportDesk:
    """The dock in a window, offered case exports, one incident chosen on a minute of C01's recording."""

    def __init__(self, folder: Path, open_db: OpenDb) -> None:
        db_path = folder / "console.db"
        self.db = open_db(db_path)
        self.data = folder / "data"
        self.audit: list[AuditEntry] = []
        officers = Officers(Guard(lambda: AN, audit=self.audit.append), self.audit.append)
        self.incidents = Incidents(self.db.conn, officers, self.data)
        clip = folder / "clip.ts"
        write_stamped_segment(clip, 10.0, 640, 360, 15)
        lay_out_recording(RecordingIndex(open_db(db_path)), folder / "rec", "C01", clip, START_MS, 6, 10_000, 1000)
        self.window = QMainWindow()
        self.window.resize(1600, 900)
        self.window.setCentralWidget(QWidget())
        setup = CaseExportSetup(folder / "rec", db_path, UNITS, CaseNames({"C01": "Cổng trường"}))
        self.dock = install_incidents(self.window, self.incidents, ["C01"], camera_sites={"C01": "S01"},
                                      snapshots=self.data / "alerts", exports=setup)
        self.incident = self.incidents.create_from_playback("C01", START_MS + 30_000, "S01",
                                                            title="Trộm xe máy ở Cổng trường")
        self.incidents.add_note(self.incident.id, "Người dân báo mất xe lúc 7 giờ")
        self.dock.refresh(select=self.incident.id)
        self.usb = folder / "usb"
        self.usb.mkdir()


@pytest.fixture()
def desk(qtbot: QtBot, tmp_path: Path, open_db: OpenDb, monkeypatch: pytest.MonkeyPatch) -> Iterator[ExportDesk]:
    made = ExportDesk(tmp_path, open_db)
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *_a, **_k: str(made.usb))
    qtbot.addWidget(made.window)
    made.window.show()
    made.dock.raise_()
    qtbot.waitExposed(made.dock)
    yield made
    made.window.close()


def open_sheet(desk: ExportDesk) -> CaseExportDialog:
    assert desk.dock.export_button.isVisible() and desk.dock.export_button.isEnabled()
    click(desk.dock.export_button)
    sheet = desk.dock.export_sheet
    assert isinstance(sheet, CaseExportDialog) and sheet.running
    return sheet


def test_the_case_is_exported_from_the_dock_with_progress_without_blocking_the_gui(
        qtbot: QtBot, desk: ExportDesk, artifacts: Path) -> None:
    dock = desk.dock
    assert dock.export_button.text() == dock.tr("Export case file…")
    bars: list[int] = []
    sheet = open_sheet(desk)
    assert sheet.windowTitle() == sheet.tr("Export the case file")
    sheet.progressed.connect(lambda _p: bars.append(sheet.progress.value()))
    with GuiTicks() as gui:  # from the sheet on screen to the export's end
        qtbot.waitUntil(lambda: not sheet.running, timeout=EXPORT_TIMEOUT_MS)
    result = sheet.case_result
    assert isinstance(result, CaseExportResult), sheet.outcome.text()
    assert gui.longest_gap_ms() < GUI_GAP_MAX_MS, gui.longest_gap_ms()
    assert bars and bars == sorted(bars) and sheet.progress.value() == sheet.progress.maximum()
    assert result.folder.parent == desk.usb and result.folder.name.startswith(f"vu_viec_{desk.incident.id}_")
    assert sheet.folder_line.text() == sheet.tr("Case folder: {folder}").format(folder=str(result.folder))
    assert sheet.outcome.text() == sheet.tr(
        "The case file was exported and signed: {folder} ({count} files). SHA-256 of the manifest: {sha256}").format(
        folder=str(result.folder), count=len(result.files), sha256=result.manifest_sha256)
    assert verify_export(result.folder).ok
    assert dock.message.text() == dock.tr("The case file was exported to {folder}").format(folder=str(result.folder))
    assert AuditAction.EVIDENCE_EXPORTED in [entry.action for entry in desk.audit]
    sheet.grab().save(str(artifacts / "case_export_done.png"))
    assert sheet.cancel.text() == sheet.tr("Close")
    click(sheet.cancel)
    qtbot.waitUntil(lambda: dock.export_sheet is None)


def test_cancel_in_the_sheet_leaves_no_folder(qtbot: QtBot, desk: ExportDesk) -> None:
    sheet = open_sheet(desk)
    click(sheet.cancel)  # at once: the export stops at its first step and removes its .part folder
    qtbot.waitUntil(lambda: not sheet.running, timeout=EXPORT_TIMEOUT_MS)
    assert sheet.case_result is None and list(desk.usb.iterdir()) == []
    assert sheet.outcome.text() == CaseExportCancelledError(desk.incident.id, str(desk.usb)).message(ui_lang())
    assert not part_path(sheet.target).exists()
    assert AuditAction.EVIDENCE_EXPORTED not in [entry.action for entry in desk.audit]
