"""Each audited gesture is one row of the chained `audit` table (issue 19, point 4), read back from the real
console.db its AuditWriter signs: a logout from the *Ca trực* menu, a manual incident (F9), a playback viewing
(a camera from a moment until another camera or the window's close), a snapshot from a live tile and from
playback, a PTZ preset recall. The same gesture again is a second row; the timers, repaints and a repeated
gesture that changes nothing are none. About shows the fingerprint of the key that signs the trail."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from PySide6.QtCore import QCoreApplication, QEvent, QPoint, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from console.audit.actions import AuditAction
from console.core.alerts import AlertKind
from console.core.config import SiteConfig, StreamKind
from console.core.credentials import Credentials
from console.evidence.keys import KEYS_FOLDER, PRIVATE_KEY_FILE
from console.media.player import RecordingPlayer
from console.officers.guard import ActionRefusedError
from console.simulator.ptz_head import PtzHead, PtzPosition
from console.simulator.server import Simulator
from console.store.recordings import RecordingIndex
from console.ui.alerts.dialogs import IncidentDialog
from console.ui.live.ptz_presets import PresetsPanel
from console.ui.officers.lock_screen import Mode
from console.ui.playback.window import PlaybackWindow
from console.ui.shell.main_window import MainWindow
from tests.support.dialogs import when_shown
from tests.support.onvif_site import onvif_site
from tests.support.playback import CLIP_S, START_MS
from tests.support.stamped_clip import lay_out_recording
from tests.support.station import OFFICER, Row, Station
from tests.support.waiting import wait_until

PTZ_CAMERA = "C01"
# Waits for "nothing more is written": long enough for the timers a row could come from to fire more than once.
ALARM_TICKS_MS = 1200  # the alarm list's tick (1 s) and its coalesced refreshes (250 ms)
PLAYBACK_TICKS_MS = 500  # the playback window's tick (40 ms)
PTZ_RENEWALS_MS = 700  # the joystick's lease renewal (300 ms)
AWAY_PAN = 0.15  # how far the camera is turned before a recall (pan -1..1 is a full turn)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory,
         demo_password: Credentials) -> Iterator[tuple[Simulator, SiteConfig]]:
    """Two cameras on the simulator, the first with PTZ (a loopback ONVIF face)."""
    with onvif_site(tmp_path_factory.mktemp("gestures"), demo_password, ptz=frozenset({PTZ_CAMERA})) as running:
        yield running


@pytest.fixture()
def stations() -> Iterator[list[Station]]:
    made: list[Station] = []
    yield made
    for station in made:
        station.close()


@pytest.fixture()
def station(qtbot: QtBot, site: tuple[Simulator, SiteConfig], demo_password: Credentials, _data_dir: Path,
            vietnamese: object, stations: list[Station]) -> Station:
    made = Station(qtbot, site[1], demo_password, _data_dir)
    stations.append(made)
    made.log_in()
    return made


def test_logout_from_the_duty_menu_is_one_row_and_a_second_logout_needs_a_second_login(station: Station) -> None:
    assert [(r.action, r.user) for r in station.rows()] == [(AuditAction.LOGIN, OFFICER)]
    logout = station.desk.menu_actions["logout"]
    logout.trigger()
    assert station.duty.shift is None and station.desk.screen.mode is Mode.LOGIN
    assert station.rows_after(1) == [Row(AuditAction.LOGOUT, OFFICER, "officer", None, None, {})]
    # Logged out already: the menu's entry is off, and the exit's own logout (app.py) finds nobody to log out.
    assert not logout.isEnabled()
    logout.trigger()
    station.duty.logout()
    assert len(station.rows()) == 2
    station.log_in()
    logout.trigger()
    assert [(r.action, r.user, r.role) for r in station.rows_after(1)] == [
        (AuditAction.LOGOUT, OFFICER, "officer"), (AuditAction.LOGIN, OFFICER, "officer"),
        (AuditAction.LOGOUT, OFFICER, "officer")]


def incident_by_f9(qtbot: QtBot, window: MainWindow, answer: Callable[[IncidentDialog], None]) -> None:
    """F9 on the main window (made the active one again: a dialog's close leaves none active), the modal
    *Ghi nhận vụ việc* answered by `answer`."""
    answered: list[bool] = []

    def act(dialog: IncidentDialog) -> None:
        answered.append(True)
        answer(dialog)

    when_shown(IncidentDialog, act)
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=5_000)
    qtbot.keyClick(window, Qt.Key.Key_F9)  # returns once the dialog's own loop has ended
    assert answered, "F9 opened no incident dialog"


def test_a_manual_incident_by_f9_is_one_row_naming_the_camera_note_and_priority(qtbot: QtBot,
                                                                                station: Station) -> None:
    window = station.window
    center = window.alert_center
    assert center is not None
    qtbot.mouseClick(window.wall.tile(1), Qt.MouseButton.LeftButton)
    assert window.wall.selected_camera() == "C02"
    notes = ["Hai thanh niên gây rối trước cổng", "Xe tải đỗ chắn lối vào chợ"]
    for number, note in enumerate(notes, start=1):
        def fill(dialog: IncidentDialog, note: str = note) -> None:
            assert dialog.camera_id() == "C02"
            dialog.note.insertPlainText(note)
            qtbot.mouseClick(dialog.ok, Qt.MouseButton.LeftButton)

        incident_by_f9(qtbot, window, fill)
        wait_for_count(qtbot, lambda: len(center.panel.model.rows()), number)
    manual = [r for r in center.panel.model.rows() if r.kind is AlertKind.MANUAL]
    assert sorted(r.note for r in manual) == sorted(notes)
    # A dialog cancelled records nothing.
    incident_by_f9(qtbot, window, lambda dialog: dialog.reject())
    qtbot.wait(ALARM_TICKS_MS)  # the alarm list's tick and refreshes come and go: none of them is a gesture
    assert [(r.action, r.user, r.role, r.camera, r.details) for r in station.rows_after(1)] == [
        (AuditAction.INCIDENT_MANUAL, OFFICER, "officer", "C02", {"note": note, "priority": "3"}) for note in notes]


def test_a_manual_incident_row_names_the_alert_it_made(qtbot: QtBot, station: Station) -> None:
    center = station.window.alert_center
    assert center is not None

    def fill(dialog: IncidentDialog) -> None:
        dialog.note.insertPlainText("Người lạ trèo tường trụ sở")
        qtbot.mouseClick(dialog.ok, Qt.MouseButton.LeftButton)

    incident_by_f9(qtbot, station.window, fill)
    qtbot.waitUntil(lambda: len(center.panel.model.rows()) == 1, timeout=10_000)
    [alert] = center.panel.model.rows()
    [row] = station.rows_after(1)
    assert (row.action, row.target) == (AuditAction.INCIDENT_MANUAL, f"alert:{alert.id}")


def test_a_live_snapshot_is_one_row_naming_its_own_file(qtbot: QtBot, station: Station) -> None:
    window = station.window
    tile = window.wall.tile(0)
    assert tile.camera_id == "C01"
    [snapshot] = [slot for text, slot in window.tile_actions(0) if text == "Chụp ảnh"]
    saved: list[str] = []
    for _ in range(2):
        with qtbot.waitSignal(window.snapshots.saved, timeout=15_000) as taken:
            snapshot()  # type: ignore[operator]
        saved.append(str(taken.args[0]))
    assert len(set(saved)) == 2 and all(Path(p).stat().st_size > 0 for p in saved)
    assert station.rows_after(1) == [Row(AuditAction.SNAPSHOT, OFFICER, "officer", "C01", path, {})
                                     for path in saved]


def lay_out(station: Station, clip: Path) -> None:
    index = RecordingIndex(station.database)
    for camera_id in ("C01", "C02"):
        lay_out_recording(index, station.recordings, camera_id, clip, START_MS, 2, CLIP_S * 1000, 1000)


def playback_of(station: Station, camera_id: str, at_ms: int) -> PlaybackWindow:
    playback = station.window.open_playback(camera_id, at_ms)
    assert playback is not None and playback.player is not None
    played_past(station.qtbot, playback.player, at_ms)
    return playback


def played_past(qtbot: QtBot, player: RecordingPlayer, at_ms: int) -> None:
    qtbot.waitUntil(lambda: (player.time_ms() or 0) > at_ms, timeout=10_000)


def wait_for_count(qtbot: QtBot, count: Callable[[], int], wanted: int, timeout_ms: int = 10_000) -> None:
    qtbot.waitUntil(lambda: count() >= wanted, timeout=timeout_ms)


def close_playback(station: Station, playback: PlaybackWindow) -> None:
    """The window closed as its close button does; gone (deleted on close) before the next one opens."""
    playback.close()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete.value)
    station.qtbot.waitUntil(lambda: station.window._playback is None, timeout=3_000)


def test_playback_viewed_is_one_row_per_camera_and_moment_opened(qtbot: QtBot, station: Station,
                                                                 clip: Path) -> None:
    lay_out(station, clip)
    first = START_MS + 2000
    playback = playback_of(station, "C01", first)
    # Playing, repainted, sought inside what is shown: the viewing goes on, nothing is written yet.
    playback.seek(first + 4000)
    playback.grab()
    qtbot.wait(PLAYBACK_TICKS_MS)
    assert station.rows_after(1) == []
    # Another camera chosen at another moment: the first viewing ends, one row with its camera and range.
    second = START_MS + CLIP_S * 1000 + 1000
    playback.camera.setCurrentIndex(playback.camera.findData("C02"))
    playback.when.set_ms(second)
    qtbot.mouseClick(playback.go, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: playback.player is not None and playback.player.camera_id == "C02", timeout=10_000)
    [c01] = station.rows_after(1)
    assert (c01.action, c01.user, c01.role, c01.camera) == (AuditAction.PLAYBACK_VIEWED, OFFICER, "officer", "C01")
    assert c01.details["start_ms"] == first and first + 4000 <= int(str(c01.details["end_ms"])) < second
    # The window closed: the C02 viewing is the second row; the same camera and moment again, a third.
    close_playback(station, playback)
    again = playback_of(station, "C01", first)
    close_playback(station, again)
    rows = station.rows_after(1)
    assert [(r.action, r.user, r.camera, r.details["start_ms"]) for r in rows] == [
        (AuditAction.PLAYBACK_VIEWED, OFFICER, "C01", first), (AuditAction.PLAYBACK_VIEWED, OFFICER, "C02", second),
        (AuditAction.PLAYBACK_VIEWED, OFFICER, "C01", first)]
    assert all(int(str(r.details["start_ms"])) <= int(str(r.details["end_ms"])) for r in rows)


def test_a_viewing_still_open_at_exit_is_one_row_by_the_officer_who_opened_it(station: Station, clip: Path) -> None:
    lay_out(station, clip)
    playback_of(station, "C01", START_MS + 2000)
    station.duty.logout()  # app.py's exit, in its order: the officer logged out, then the window closed
    station.window.close()
    assert [(r.action, r.user, r.camera) for r in station.rows_after(1)] == [
        (AuditAction.LOGOUT, OFFICER, None), (AuditAction.PLAYBACK_VIEWED, OFFICER, "C01")]


def test_a_viewing_ended_after_its_officer_logged_out_is_still_theirs(station: Station, clip: Path) -> None:
    lay_out(station, clip)
    playback = playback_of(station, "C01", START_MS + 2000)
    station.desk.menu_actions["logout"].trigger()
    close_playback(station, playback)  # by the next one at the desk, before logging in
    assert [(r.action, r.user, r.camera) for r in station.rows_after(1)] == [
        (AuditAction.LOGOUT, OFFICER, None), (AuditAction.PLAYBACK_VIEWED, OFFICER, "C01")]


def test_a_playback_snapshot_is_one_row_with_the_moment_shown(qtbot: QtBot, station: Station, clip: Path) -> None:
    lay_out(station, clip)
    playback = playback_of(station, "C01", START_MS + 1000)
    player = playback.player
    assert player is not None
    taken: list[int] = []
    for _ in range(2):
        moment = player.time_ms()
        qtbot.mouseClick(playback.snapshot_button, Qt.MouseButton.LeftButton)
        assert moment is not None and playback.status.text().startswith("Đã lưu ảnh chụp")
        taken.append(moment)
        played_past(qtbot, player, moment + 1000)  # a second on: the next picture's file is another one
    rows = station.rows_after(1)
    assert [(r.action, r.user, r.role, r.camera, r.details["playback"]) for r in rows] == [
        (AuditAction.SNAPSHOT, OFFICER, "officer", "C01", True)] * 2
    assert len({r.target for r in rows}) == 2
    for row, moment in zip(rows, taken, strict=True):
        assert row.target is not None and Path(row.target).parent == station.db_path.parent / "snapshots"
        assert abs(int(str(row.details["at_ms"])) - moment) < 500
        picture = Path(row.target)
        wait_until(lambda: picture.is_file() and picture.stat().st_size > 0, 5)  # noqa: B023 (waited for here)
    close_playback(station, playback)
    assert [r.action for r in station.rows_after(3)] == [AuditAction.PLAYBACK_VIEWED]


def test_two_playback_snapshots_in_one_second_are_two_files(qtbot: QtBot, station: Station, clip: Path) -> None:
    lay_out(station, clip)
    playback = playback_of(station, "C01", START_MS + 1000)
    playback.toggle_play()  # paused: both pictures of one second
    for _ in range(2):
        qtbot.mouseClick(playback.snapshot_button, Qt.MouseButton.LeftButton)
    targets = [r.target for r in station.rows_after(1) if r.action == AuditAction.SNAPSHOT]
    assert len(targets) == 2 and len(set(targets)) == 2


def turned_to(qtbot: QtBot, head: PtzHead, position: PtzPosition) -> None:
    qtbot.waitUntil(lambda: abs(head.position().pan - position.pan) < 0.02, timeout=10_000)


def double_click(qtbot: QtBot, widget: QWidget, at: QPoint) -> None:
    """As a hand does it: a click, then the second press that makes it a double click."""
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton, pos=at)
    qtbot.mouseDClick(widget, Qt.MouseButton.LeftButton, pos=at)


def test_a_preset_recall_is_one_ptz_row_however_the_camera_is_asked(qtbot: QtBot, site: tuple[Simulator, SiteConfig],
                                                                    demo_password: Credentials, _data_dir: Path,
                                                                    vietnamese: object,
                                                                    stations: list[Station]) -> None:
    simulator, config = site
    station = Station(qtbot, config, demo_password, _data_dir, onvif=True)
    stations.append(station)
    station.log_in()
    onvif, services = station.window.onvif, station.services
    assert onvif is not None and services is not None
    qtbot.waitUntil(lambda: onvif.joystick.available(PTZ_CAMERA), timeout=20_000)
    controller = services.ptz(PTZ_CAMERA)
    assert controller is not None
    token = services.run(controller.set_preset("Cổng chợ")).result(10)  # the camera's preset, made beforehand
    head = simulator.ptz_head(PTZ_CAMERA)
    saved = head.position()
    mark = len(station.rows())
    panel: PresetsPanel = onvif.open_presets(PTZ_CAMERA, station.window)
    qtbot.waitUntil(lambda: any(p.token == token for p in panel.presets), timeout=10_000)
    number = next(n for n, p in enumerate(panel.presets) if p.token == token)
    panel.list.setCurrentRow(number)
    item_centre = panel.list.visualItemRect(panel.list.item(number)).center()
    ways = (lambda: qtbot.mouseClick(panel.go_button, Qt.MouseButton.LeftButton),  # *Đi đến*, twice
            lambda: qtbot.mouseClick(panel.go_button, Qt.MouseButton.LeftButton),
            lambda: double_click(qtbot, panel.list.viewport(), item_centre))  # the list's own way
    for recall in ways:
        away = PtzPosition(saved.pan + (AWAY_PAN if saved.pan < 0.5 else -AWAY_PAN), saved.tilt, saved.zoom)
        head.move_to(away)  # turned by the simulator's own head: no console gesture
        turned_to(qtbot, head, away)
        before = len(station.rows())
        recall()
        turned_to(qtbot, head, saved)
        wait_for_count(qtbot, lambda: len(station.rows()), before + 1, 5_000)  # written once the camera answered
    panel.reload()  # reading the presets again is no gesture
    qtbot.waitSignal(panel.loaded, timeout=10_000).wait()
    qtbot.wait(PTZ_RENEWALS_MS)
    recalls = [r for r in station.rows_after(mark) if r.details.get("gesture") == "preset_goto"]
    assert len(recalls) == len(ways)
    for row in recalls:
        assert (row.action, row.user, row.role, row.camera) == (AuditAction.PTZ, OFFICER, "officer", PTZ_CAMERA)
        assert row.details["detail"] == f"preset {token}" and row.details["end"] == "done"
        assert row.details["commands"] == 1
    assert len(station.rows()) == mark + len(ways)
    panel.close()


def test_about_shows_the_fingerprint_of_the_key_that_signs_the_trail(qtbot: QtBot, station: Station) -> None:
    pem = (station.db_path.parent / KEYS_FOLDER / PRIVATE_KEY_FILE).read_bytes()
    private = serialization.load_pem_private_key(pem, password=None)
    assert isinstance(private, Ed25519PrivateKey)
    raw = private.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    digest = hashlib.sha256(raw).hexdigest().upper()
    expected = " ".join(digest[i:i + 4] for i in range(0, 64, 4))
    shown: list[str] = []

    def read(box: QMessageBox) -> None:
        shown.append(box.text())
        box.accept()

    [about] = [a for a in station.window.findChildren(QAction) if a.text() == "&Giới thiệu"]
    when_shown(QMessageBox, read)
    about.trigger()
    assert shown and f"Dấu vân tay khóa của trạm (chữ ký chứng cứ): {expected}" in shown[0].splitlines()
    assert len(station.rows()) == 1  # reading About is no audited action


def test_a_snapshot_refused_at_the_lock_screen_is_the_refusal_only(qtbot: QtBot, station: Station) -> None:
    qtbot.keyClick(station.window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert station.duty.locked
    before = len(station.rows())
    with pytest.raises(ActionRefusedError) as refused:
        station.window.snapshots.take("C01", StreamKind.SUB)
    assert refused.value.message() == "Cần đăng nhập để chụp ảnh."
    assert [(r.action, r.user, r.camera, r.details) for r in station.rows_after(before)] == [
        (AuditAction.ACTION_REFUSED, "-", "C01", {"action": "snapshot", "needs_role": "officer"})]
