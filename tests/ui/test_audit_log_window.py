"""The *Nhật ký thao tác* window on a real trail (the console's AuditWriter, the station key): each filter shows
exactly its rows, CSV holds what the table shows and is reported once, the integrity check says intact and then
names the row changed behind the console's back, and a 200,000-row trail is read and verified while the GUI
thread goes on. English texts of the window: its Vietnamese comes with the lead's .ts."""

from __future__ import annotations

import csv
import itertools
import sqlite3
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt, QTimer, SignalInstance
from PySide6.QtWidgets import QComboBox, QFileDialog
from pytestqt.qtbot import QtBot

from console.audit.actions import AuditAction, AuditEntry, action_label
from console.audit.chain import GENESIS_HASH, ChainedRow, canonical_details, chain_next
from console.audit.csv_export import HEADER, write_csv
from console.audit.verify import verify_database
from console.audit.writer import AuditWriter
from console.core.users import Role, User
from console.core.vntime import format_vn_ms, now_ms
from console.evidence.keys import load_or_create_station_key
from console.officers.audit_access import AuditAccess
from console.officers.guard import ActionRefusedError, Guard, Officers
from console.store.audit import QUERY_LIMIT, AuditQuery, insert_rows, query
from console.store.database import open_database
from console.ui.audit.log_window import AuditLogWindow
from console.ui.audit.rows_model import QueryResult, read_rows

CAMERAS = ("cam-1", "cam-2", "cam-3")
MINUTE_MS = 60_000
DAY_MS = 24 * 60 * MINUTE_MS
GUI_GAP_MAX_MS = 50
BIG_ROWS = 200_000
RARE_ROWS = (1001, 100_001, 199_999)  # the only rows of "an" on cam-2: the filter reads 100,000 rows to find them


@dataclass(frozen=True)
class Trail:
    db: Path
    anchor_ms: int  # a whole second, two days ago: the small trail's rows are minutes after it
    rows: list[ChainedRow]  # as stored, newest first

    def ids(self, keep: Callable[[ChainedRow], bool]) -> list[int]:
        return [row.id for row in self.rows if keep(row)]


def stored(db: Path) -> list[ChainedRow]:
    conn = sqlite3.connect(db)
    try:
        return query(conn, AuditQuery(limit=1_000_000))
    finally:
        conn.close()


@pytest.fixture()
def trail(_data_dir: Path) -> Trail:
    """Three officers' gestures over three cameras, one of them ten days old, and the writer's signed checkpoint."""
    anchor = (now_ms() - 2 * DAY_MS) // 1000 * 1000
    db = _data_dir / "console.db"
    key = load_or_create_station_key(_data_dir)
    entries = [
        AuditEntry(AuditAction.LOGIN, "alice", "officer", target="station-1", at_ms=anchor),
        AuditEntry(AuditAction.PLAYBACK_VIEWED, "alice", "officer", "cam-1",
                   details={"start_ms": anchor - 600_000, "end_ms": anchor}, at_ms=anchor + MINUTE_MS),
        AuditEntry(AuditAction.SETTINGS_CHANGED, "bob", "admin", target="retention",
                   details={"before": 30, "after": 60}, at_ms=anchor + 2 * MINUTE_MS),
        AuditEntry(AuditAction.SNAPSHOT, "alice", "officer", "cam-2", "snap-1.jpg", at_ms=anchor + 3 * MINUTE_MS),
        AuditEntry(AuditAction.PTZ, "bob", "admin", "cam-1", details={"gesture": "left", "preset": None},
                   at_ms=anchor + 4 * MINUTE_MS),
        AuditEntry(AuditAction.LOGIN, "carol", "officer", target="station-2", at_ms=anchor - 10 * DAY_MS),
        AuditEntry(AuditAction.ALERT_ACKNOWLEDGED, "carol", "officer", "cam-2", "alert:7",
                   details={"note": "Đã xử lý\nxong", "from": "new", "to": "acknowledged"},
                   at_ms=anchor + 5 * MINUTE_MS),
    ]
    with AuditWriter(db, key, clock=lambda: anchor + 10 * MINUTE_MS) as writer:
        for entry in entries:
            writer.append(entry)
        assert writer.flush()
    return Trail(db, anchor, stored(db))


@pytest.fixture(scope="module")
def big_trail(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """200,000 chained rows of the last five days: "an" on cam-1 and "binh" on cam-2, but for RARE_ROWS."""
    folder = tmp_path_factory.mktemp("big")
    load_or_create_station_key(folder)
    start = now_ms() - 5 * DAY_MS
    rows, prev = [], GENESIS_HASH
    for i in range(1, BIG_ROWS + 1):
        user = "an" if i % 2 else "binh"
        camera = "cam-2" if user == "binh" or i in RARE_ROWS else "cam-1"
        at = start + i * 2000
        details = canonical_details({"start_ms": at - MINUTE_MS, "end_ms": at,
                                     "note": f"Xem lại đoạn ghi hình số {i} theo yêu cầu của cán bộ trực ban"})
        row = chain_next(i, at, user, "officer", AuditAction.PLAYBACK_VIEWED.value, camera, None, details, prev)
        rows.append(row)
        prev = row.hash
    db = open_database(folder / "console.db")
    try:
        with db.conn:
            insert_rows(db.conn, rows)
    finally:
        db.close()
    return folder / "console.db"


WindowFactory = Callable[..., AuditLogWindow]


@pytest.fixture()
def open_window(qtbot: QtBot, vietnamese: object) -> WindowFactory:
    """The window on a database, once its first query (the last seven days) and its list of users are in."""
    def make(db: Path, on_exported: Callable[[Path, int], None] | None = None) -> AuditLogWindow:
        window = AuditLogWindow(db, CAMERAS, on_exported=on_exported)
        qtbot.addWidget(window)
        qtbot.waitUntil(lambda: not window.loading() and window.user_combo.count() > 1, timeout=10_000)
        return window
    return make


def shown_ids(window: AuditLogWindow) -> list[int]:
    return [row.id for row in window.model.rows()]


def apply(qtbot: QtBot, window: AuditLogWindow) -> None:
    with qtbot.waitSignal(window.loaded, timeout=10_000):
        window.filter_button.click()


def choose(combo: QComboBox, data: object) -> None:
    index = combo.findData(data)
    assert index >= 0, data
    combo.setCurrentIndex(index)


def choose_all(window: AuditLogWindow, user: str, camera: str) -> None:
    choose(window.user_combo, user)
    choose(window.camera_combo, camera)


def combo_data(combo: QComboBox) -> list[object]:
    return [combo.itemData(i) for i in range(combo.count())]


def longest_gui_gap_ms(qtbot: QtBot, start: Callable[[], None], done: SignalInstance, timeout_ms: int) -> float:
    """The longest wait between two ticks of a 10 ms timer on the GUI thread from `start()` to `done` (and the
    repaint after it)."""
    ticks: list[float] = []
    timer = QTimer()
    timer.setTimerType(Qt.TimerType.PreciseTimer)
    timer.setInterval(10)
    timer.timeout.connect(lambda: ticks.append(time.perf_counter()))
    timer.start()
    qtbot.wait(30)
    with qtbot.waitSignal(done, timeout=timeout_ms):
        start()
    qtbot.wait(50)
    timer.stop()
    return max(b - a for a, b in itertools.pairwise(ticks)) * 1000


def test_the_window_opens_on_the_last_seven_days_newest_first(open_window: WindowFactory, trail: Trail) -> None:
    window = open_window(trail.db)
    week_ago = trail.anchor_ms - 7 * DAY_MS
    expected = trail.ids(lambda r: r.at_ms >= week_ago)
    assert shown_ids(window) == expected and len(expected) == len(trail.rows) - 1  # carol's old login left out
    assert [r.at_ms for r in window.model.rows()] == sorted((r.at_ms for r in window.model.rows()), reverse=True)
    assert window.status.text() == window.tr("{count} rows").format(count=len(expected))
    assert combo_data(window.user_combo) == [None, "alice", "bob", "carol", "system"]
    assert combo_data(window.action_combo) == [None, *(a.value for a in AuditAction)]
    assert [window.action_combo.itemText(i) for i in range(1, 4)] == ["Đăng nhập", "Đăng nhập sai", "Đăng xuất"]
    assert combo_data(window.camera_combo) == [None, *CAMERAS]


def test_a_row_reads_in_vietnam_time_with_the_action_s_name_and_its_details_on_one_line(
        open_window: WindowFactory, trail: Trail) -> None:
    window = open_window(trail.db)
    model = window.model
    line = next(i for i, r in enumerate(model.rows()) if r.action == AuditAction.ALERT_ACKNOWLEDGED)
    row = model.rows()[line]
    texts = [model.index(line, column).data() for column in range(model.columnCount())]
    assert texts == [format_vn_ms(row.at_ms), "carol", model.tr("Officer"), "Xác nhận cảnh báo", "cam-2", "alert:7",
                     "from: new · note: Đã xử lý xong · to: acknowledged", str(row.id)]
    assert texts[0] == format_vn_ms(trail.anchor_ms + 5 * MINUTE_MS)
    ptz = next(i for i, r in enumerate(model.rows()) if r.action == AuditAction.PTZ)
    assert model.index(ptz, 2).data() == model.tr("Administrator")
    assert model.index(ptz, 6).data() == "gesture: left · preset: —"
    playback = next(i for i, r in enumerate(model.rows()) if r.action == AuditAction.PLAYBACK_VIEWED)
    assert model.index(playback, 6).data() == (f"end_ms: {format_vn_ms(trail.anchor_ms)} · "
                                               f"start_ms: {format_vn_ms(trail.anchor_ms - 600_000)}")


@pytest.mark.parametrize(("name", "set_filter", "keep"), [
    ("user", lambda w: choose(w.user_combo, "bob"), lambda r: r.user == "bob"),
    ("action", lambda w: choose(w.action_combo, AuditAction.LOGIN.value), lambda r: r.action == "login"),
    ("camera", lambda w: choose(w.camera_combo, "cam-1"), lambda r: r.camera == "cam-1"),
    ("user and camera", lambda w: choose_all(w, user="alice", camera="cam-2"),
     lambda r: r.user == "alice" and r.camera == "cam-2"),
])
def test_each_filter_shows_exactly_its_rows(qtbot: QtBot, open_window: WindowFactory, trail: Trail, name: str,
                                            set_filter: Callable[[AuditLogWindow], None],
                                            keep: Callable[[ChainedRow], bool]) -> None:
    window = open_window(trail.db)
    week_ago = trail.anchor_ms - 7 * DAY_MS
    set_filter(window)
    apply(qtbot, window)
    expected = trail.ids(lambda r: keep(r) and r.at_ms >= week_ago)
    assert expected and shown_ids(window) == expected, name


def test_from_and_to_are_read_in_vietnam_time_to_the_second(qtbot: QtBot, open_window: WindowFactory,
                                                             trail: Trail) -> None:
    window = open_window(trail.db)
    window.since_edit.set_ms(trail.anchor_ms + MINUTE_MS)
    window.until_edit.set_ms(trail.anchor_ms + 3 * MINUTE_MS)
    assert window.until_edit.text() == format_vn_ms(trail.anchor_ms + 3 * MINUTE_MS)  # shown in UTC+7
    apply(qtbot, window)
    assert [r.at_ms - trail.anchor_ms for r in window.model.rows()] == [3 * MINUTE_MS, 2 * MINUTE_MS, MINUTE_MS]
    window.since_edit.set_ms(trail.anchor_ms - 11 * DAY_MS)
    choose(window.user_combo, "carol")
    apply(qtbot, window)
    assert shown_ids(window) == trail.ids(lambda r: r.user == "carol" and r.at_ms < trail.anchor_ms + 3 * MINUTE_MS)
    assert len(shown_ids(window)) == 1  # the ten-day-old login, not her acknowledgement after "Đến"


def test_from_after_to_is_said_and_nothing_is_queried(qtbot: QtBot, open_window: WindowFactory, trail: Trail) -> None:
    window = open_window(trail.db)
    before = shown_ids(window)
    window.since_edit.set_ms(trail.anchor_ms + MINUTE_MS)
    window.until_edit.set_ms(trail.anchor_ms)
    window.filter_button.click()
    assert window.status.text() == window.tr("“From” must be before “To”.") and not window.loading()
    assert shown_ids(window) == before


def test_enter_in_a_filter_runs_it(qtbot: QtBot, open_window: WindowFactory, trail: Trail) -> None:
    window = open_window(trail.db)
    window.show()
    qtbot.waitExposed(window)
    choose(window.user_combo, "bob")
    window.until_edit.setFocus()
    with qtbot.waitSignal(window.loaded, timeout=10_000):
        qtbot.keyClick(window.until_edit, Qt.Key.Key_Return)  # type: ignore[no-untyped-call]
    assert shown_ids(window) == trail.ids(lambda r: r.user == "bob")


def test_a_later_filter_wins_over_one_still_running(qtbot: QtBot, open_window: WindowFactory, trail: Trail) -> None:
    window = open_window(trail.db)
    choose(window.user_combo, "alice")
    window.filter_button.click()
    choose(window.user_combo, "bob")
    window.filter_button.click()
    assert window.status.text() == window.tr("Loading…")
    qtbot.waitUntil(lambda: not window.loading(), timeout=10_000)
    qtbot.wait(200)  # alice's answer, should it come last, must not replace bob's
    assert shown_ids(window) == trail.ids(lambda r: r.user == "bob")


def test_csv_holds_the_rows_shown_and_the_export_is_reported_once(qtbot: QtBot, open_window: WindowFactory,
                                                                  trail: Trail, tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    reported: list[tuple[Path, int]] = []
    window = open_window(trail.db, on_exported=lambda path, count: reported.append((path, count)))
    choose(window.camera_combo, "cam-1")
    apply(qtbot, window)
    expected = trail.ids(lambda r: r.camera == "cam-1")
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *_a, **_k: (str(tmp_path / "nhat-ky"), "CSV (*.csv)"))
    on_gui: list[bool] = []

    def watched_write(*args: Any) -> int:
        on_gui.append(threading.current_thread() is threading.main_thread())
        return write_csv(*args)

    monkeypatch.setattr("console.officers.audit_access.write_csv", watched_write)
    with qtbot.waitSignal(window.exported, timeout=10_000) as outcome:
        window.export_button.click()
    target = tmp_path / "nhat-ky.csv"
    assert outcome.args == [len(expected)] and on_gui == [False]  # written on a worker
    assert reported == [(target, len(expected))]
    with target.open(encoding="utf-8-sig", newline="") as handle:
        lines = list(csv.reader(handle))
    assert tuple(lines[0]) == HEADER["vi"]
    assert [int(line[0]) for line in lines[1:]] == expected
    assert [line[5] for line in lines[1:]] == [action_label(r.action, "vi") for r in window.model.rows()]
    assert window.message.text() == window.tr("Exported {count} rows to {path}").format(count=len(expected),
                                                                                       path=str(target))
    assert window.export_button.isEnabled()


def test_each_query_and_export_asks_the_role_of_whoever_is_on_duty_then(qtbot: QtBot, trail: Trail, tmp_path: Path,
                                                                         vietnamese: object) -> None:
    """The admin opened the window; an officer took over with it open: the next query and export are refused
    at the service (audited), the rows vanish; the admin's export is one audit.exported row."""
    admin, officer = User("quantri", "Trần Văn Kỹ", Role.ADMIN), User("trucban1", "Nguyễn Văn An", Role.OFFICER)
    on_duty: list[User] = [admin]
    audit: list[AuditEntry] = []
    officers = Officers(Guard(lambda: on_duty[0], audit=audit.append), audit.append)
    window = AuditLogWindow(trail.db, CAMERAS, access=AuditAccess(officers))
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: not window.loading() and bool(window.model.rows()), timeout=10_000)
    with qtbot.waitSignal(window.exported, timeout=10_000):
        window.export_csv(tmp_path / "quantri.csv")
    assert [(e.action, e.user, e.target, e.details) for e in audit] == [
        (AuditAction.AUDIT_EXPORTED, "quantri", str(tmp_path / "quantri.csv"), {"rows": len(window.model.rows())})]
    on_duty[0] = officer
    window.refresh()
    qtbot.waitUntil(lambda: not window.loading(), timeout=10_000)
    assert window.model.rows() == [] and window.status.text().startswith("Chỉ quản trị viên được xem nhật ký")
    with qtbot.waitSignal(window.exported, timeout=10_000) as outcome:
        window.export_csv(tmp_path / "trucban.csv")
    assert isinstance(outcome.args[0], ActionRefusedError) and not (tmp_path / "trucban.csv").exists()
    assert window.message.text().startswith("Chỉ quản trị viên được xuất nhật ký thao tác.")
    assert [(e.action, e.details.get("action")) for e in audit[1:]] == [
        (AuditAction.ACTION_REFUSED, "view_audit"), (AuditAction.ACTION_REFUSED, "export_audit")]


def test_a_failed_export_is_said_and_not_reported(qtbot: QtBot, open_window: WindowFactory, trail: Trail,
                                                 tmp_path: Path) -> None:
    reported: list[tuple[Path, int]] = []
    window = open_window(trail.db, on_exported=lambda path, count: reported.append((path, count)))
    target = tmp_path / "no-such-folder" / "nhat-ky.csv"
    with qtbot.waitSignal(window.exported, timeout=10_000) as outcome:
        window.export_csv(target)
    error = outcome.args[0]
    assert isinstance(error, OSError) and reported == [] and not target.exists()
    assert window.message.text() == window.tr("The rows could not be exported to {path}: {reason}").format(
        path=str(target), reason=str(error))


def test_the_check_says_intact_then_names_the_row_changed_behind_the_console(
        qtbot: QtBot, open_window: WindowFactory, trail: Trail) -> None:
    window = open_window(trail.db)
    with qtbot.waitSignal(window.verified, timeout=30_000):
        window.verify_button.click()
    assert window.integrity_state.text() == window.tr("Trail intact")
    assert window.integrity_detail.text() == verify_database(trail.db).summary("vi")
    assert window.integrity_detail.text().startswith("Nhật ký thao tác nguyên vẹn: 8 dòng")
    changed = next(r.id for r in trail.rows if r.action == AuditAction.SETTINGS_CHANGED)
    conn = sqlite3.connect(trail.db)
    try:
        conn.execute("DROP TRIGGER audit_no_update")
        conn.execute("UPDATE audit SET details = ? WHERE id = ?", ['{"after":600,"before":30}', changed])
        conn.commit()
    finally:
        conn.close()
    with qtbot.waitSignal(window.verified, timeout=30_000):
        window.verify_button.click()
    assert window.integrity_state.text() == window.tr("Trail not intact")
    assert window.integrity_detail.text() == (f"Dòng {changed} đã bị sửa sau khi ghi: nội dung không còn khớp với "
                                              "mã băm của nó.")


def test_a_200k_row_trail_is_read_and_verified_while_the_gui_goes_on(
        qtbot: QtBot, open_window: WindowFactory, big_trail: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    window = open_window(big_trail)
    window.show()
    qtbot.waitExposed(window)
    newest = list(range(BIG_ROWS, BIG_ROWS - QUERY_LIMIT, -1))
    assert shown_ids(window) == newest
    assert window.status.text() == window.tr("More rows match: showing the newest {count} only. Narrow the filters "
                                             "to see the others.").format(count=QUERY_LIMIT)
    on_gui: list[bool] = []

    def watched_read(*args: Any) -> QueryResult:
        on_gui.append(threading.current_thread() is threading.main_thread())
        return read_rows(*args)

    monkeypatch.setattr("console.ui.audit.log_window.read_rows", watched_read)
    choose(window.user_combo, "an")
    choose(window.camera_combo, "cam-2")
    query_gap = longest_gui_gap_ms(qtbot, window.filter_button.click, window.loaded, 30_000)
    assert shown_ids(window) == sorted(RARE_ROWS, reverse=True) and on_gui == [False]
    assert window.status.text() == window.tr("{count} rows").format(count=len(RARE_ROWS))
    verify_gap = longest_gui_gap_ms(qtbot, window.verify_button.click, window.verified, 60_000)
    assert window.integrity_state.text() == window.tr("Trail not intact")
    assert window.integrity_detail.text().startswith(f"Nhật ký có {BIG_ROWS} dòng nhưng chưa có chữ ký nào")
    assert query_gap < GUI_GAP_MAX_MS and verify_gap < GUI_GAP_MAX_MS, (query_gap, verify_gap)
