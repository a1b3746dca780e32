"""*Xóa ghi hình…* in the Playback menu: shown to an admin, hidden from an officer; the dialog counts on a worker
what the range would delete and says what it keeps, asks for a reason, deletes on a worker and says what went."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from console.audit.actions import AuditAction, AuditEntry
from console.core.config import SiteConfig
from console.core.users import Role, User
from console.media.pool import StreamPool
from console.officers.guard import Guard, Officers
from console.store.recordings import RecordingIndex
from console.ui.shell.main_window import MainWindow
from tests.support.databases import OpenDb
from tests.support.stamped_clip import lay_out_recording, write_stamped_segment

SEGMENT_MS = 10_000


def window_for(qtbot: QtBot, site: SiteConfig, tmp_path: Path, user: User,
               pools: list[StreamPool]) -> tuple[MainWindow, list[AuditEntry]]:
    audit: list[AuditEntry] = []
    officers = Officers(Guard(lambda: user, audit=audit.append), audit.append)
    window = MainWindow(site, demo=True, pool=StreamPool(site), data=tmp_path / "data", recordings=tmp_path / "rec",
                        officers=officers)
    pools.append(window.pool)
    qtbot.addWidget(window)
    return window, audit


def test_an_admin_deletes_a_range_and_an_officer_never_sees_the_entry(
        qtbot: QtBot, demo_site: SiteConfig, tmp_path: Path, open_db: OpenDb, vietnamese: object,
        pools: list[StreamPool]) -> None:
    officer_window, _ = window_for(qtbot, demo_site, tmp_path, User("trucban1", "Nguyễn Văn An", Role.OFFICER), pools)
    assert officer_window.deletion_menu is not None and not officer_window.deletion_menu.action.isVisible()
    window, audit = window_for(qtbot, demo_site, tmp_path, User("quantri", "Trần Văn Kỹ", Role.ADMIN), pools)
    assert window.deletion_menu is not None and window.deletion_menu.action.isVisible()
    assert window.deletion_menu.action.text() == "Xóa ghi hình…"
    clip = tmp_path / "clip.ts"
    write_stamped_segment(clip, 1.0, 320, 180, 15)
    index = RecordingIndex(open_db(tmp_path / "data" / "console.db"))
    dialog = window.deletion_menu.open()
    assert dialog is not None
    start = dialog.span().start_ms + 60_000
    lay_out_recording(index, tmp_path / "rec", "C01", clip, start, 3, SEGMENT_MS, 1000)
    dialog.camera.setCurrentIndex(dialog.camera.findData("C01"))
    dialog.start.set_ms(start - 1000)
    dialog.end.set_ms(start + 2 * SEGMENT_MS + 500)  # the third segment reaches past the end: kept
    qtbot.waitUntil(lambda: not dialog.busy(), timeout=10_000)
    assert dialog.plan is not None, dialog.summary.text()
    size = f"{2 * clip.stat().st_size / 1048576:.1f}"
    assert dialog.summary.text().splitlines() == [f"Sẽ xóa 2 tệp ghi hình ({size} MB).",
                                                  "Giữ lại 1: vượt ra ngoài khoảng thời gian"]
    dialog.confirm()  # no reason yet: nothing asked, nothing deleted
    assert dialog.summary.text() == "Hãy ghi lý do xóa ghi hình." and len(index.segments("C01", 0, 2**62)) == 3
    dialog.delete_now("Dọn ổ đĩa theo chỉ đạo")
    qtbot.waitUntil(lambda: dialog.deleted is not None, timeout=10_000)
    assert dialog.summary.text() == f"Đã xóa 2 tệp ghi hình ({size} MB)."
    assert [s.start_ms - start for s in index.segments("C01", 0, 2**62)] == [2 * SEGMENT_MS]
    assert [(e.action, e.user, e.details["files"]) for e in audit] == [(AuditAction.RECORDING_DELETED, "quantri", 2)]
    dialog.close()
