"""Alarms that scale, on the real window: no flood at start, one alert per outage with its end, many alerts
handled with one note (Enter = Xác nhận), the acknowledge dialog's pictures, manual incidents that do not ring,
episodes' running length, the visible bell mute and a failing bell said once, the wall's overlay in full screen,
and six rows of the list at 1920×1080. English texts: the Vietnamese of new strings comes with the lead's .ts."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage, QTextDocument
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from console.core.alerts import AlertEvent, AlertKind, AlertState, Escalation, Priority
from console.core.config import SiteConfig, StreamKind, load_config
from console.core.health import Phase
from console.core.health_alerts import HealthAlerts, HealthAlertSettings
from console.core.stamp import read_stamp
from console.core.vntime import format_vn_ms, now_ms
from console.media.alarm_bell import AlarmBell, sound_device_present
from console.simulator.server import Simulator
from console.store.alerts import AlertWriter, Transition
from console.store.recordings import RecordingIndex
from console.ui.alerts.center import AlertCenter
from console.ui.alerts.dialogs import AcknowledgeDialog, IncidentDialog
from console.ui.alerts.handover_dialog import HandoverDialog
from console.ui.alerts.reports import handover_html
from console.ui.shell.main_window import MainWindow
from tests.support.databases import OpenDb
from tests.support.dialogs import when_shown
from tests.support.siteconfig import write_demo_config
from tests.support.stamped_clip import lay_out_recording
from tests.ui.test_alarm_panel import alert_window, jpeg, raise_alerts, titled


@pytest.fixture()
def window(qtbot: QtBot, demo_site: SiteConfig, tmp_path: Path) -> Iterator[MainWindow]:
    with alert_window(qtbot, demo_site, tmp_path) as win:
        yield win


def center_of(win: MainWindow) -> AlertCenter:
    assert win.alert_center is not None
    return win.alert_center


def flush(writer: AlertWriter) -> None:
    done = threading.Event()
    writer.submit(Transition(0, AlertState.CLOSED, "-", "", lambda _e: done.set()))
    assert done.wait(10)


def note_and_ok(qtbot: QtBot, note: str, seen: dict[str, object]) -> None:
    def act(dialog: AcknowledgeDialog) -> None:
        seen["summary"] = "\n".join(label.text() for label in dialog.findChildren(QLabel))
        dialog.note.insertPlainText(note)
        qtbot.mouseClick(dialog.ok, Qt.MouseButton.LeftButton)
    when_shown(AcknowledgeDialog, act)


def stamp(image: QImage) -> int:
    grey = image.convertToFormat(QImage.Format.Format_Grayscale8)
    luma = np.frombuffer(grey.constBits(), np.uint8).reshape(grey.height(), grey.bytesPerLine())[:, :grey.width()]
    value = read_stamp(luma)
    assert value is not None
    return value


def row_rect_center(win: MainWindow, alert_id: int) -> object:
    panel = center_of(win).panel
    row = next(i for i, r in enumerate(panel.model.rows()) if r.id == alert_id)
    return panel.table.visualRect(panel.model.index(row, 3)).center()


def test_many_alerts_acknowledged_with_one_note_by_enter_then_closed_together(qtbot: QtBot,
                                                                              window: MainWindow) -> None:
    panel = center_of(window).panel
    ids = raise_alerts(window)
    qtbot.waitUntil(lambda: len(panel.model.rows()) == 3, timeout=5000)
    viewport = panel.table.viewport()
    qtbot.mouseClick(viewport, Qt.MouseButton.LeftButton, pos=row_rect_center(window, ids["C12"]))
    qtbot.mouseClick(viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.ControlModifier,
                     pos=row_rect_center(window, ids["C01"]))
    assert {r.id for r in panel.selected_rows()} == {ids["C12"], ids["C01"]}
    seen: dict[str, object] = {}
    note_and_ok(qtbot, "Đã kiểm tra cả hai điểm", seen)
    qtbot.keyClick(panel.table, Qt.Key.Key_Return)  # Enter = Xác nhận
    store = panel.store
    qtbot.waitUntil(lambda: store.count_new() == 1, timeout=3000)
    assert "2 alerts, one note for all" in str(seen["summary"])
    for camera in ("C12", "C01"):
        row = store.get(ids[camera])
        assert row is not None and row.state is AlertState.ACKNOWLEDGED and row.note == "Đã kiểm tra cả hai điểm"
    assert store.get(ids["C07"]).state is AlertState.NEW  # type: ignore[union-attr]
    qtbot.waitUntil(lambda: titled(window, 1), timeout=3000)
    # Close all three at once: the one still new is acknowledged first with the note asked once.
    panel.table.setFocus()
    qtbot.keyClick(panel.table, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    assert len(panel.selected_rows()) == 3 and panel.close_button.isEnabled()
    note_and_ok(qtbot, "Mất điện khu vực, đã có điện lại", seen)
    qtbot.mouseClick(panel.close_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: all(store.get(i).state is AlertState.CLOSED for i in ids.values()),  # type: ignore[union-attr]
                    timeout=3000)
    assert [(a[2], a[3]) for a in store.audit(ids["C07"])] == [(None, "new"), ("new", "acknowledged"),
                                                               ("acknowledged", "closed")]
    qtbot.waitUntil(lambda: not window.windowTitle().startswith("["), timeout=3000)  # nothing new: no count


def test_ended_connection_alerts_say_so_and_are_acknowledged_together_episodes_show_their_length(
        qtbot: QtBot, window: MainWindow) -> None:
    center = center_of(window)
    panel, writer = center.panel, center.services.writer
    now = now_ms()
    offline, site, motion = writer.next_id(), writer.next_id(), writer.next_id()
    writer.submit(AlertEvent(offline, "C07", "S04", AlertKind.CAMERA_OFFLINE, now - 50_000, 1.0, "start"))
    writer.submit(AlertEvent(offline, "C07", "S04", AlertKind.CAMERA_OFFLINE, now - 20_000, 1.0, "end"))
    writer.submit(AlertEvent(site, None, "S02", AlertKind.SITE_OFFLINE, now - 40_000, 1.0, "start"))
    writer.submit(AlertEvent(motion, "C01", "S01", AlertKind.MOTION, now - 65_000, 0.5, "start"))
    writer.submit(AlertEvent(motion, "C01", "S01", AlertKind.MOTION, now - 2_000, 0.5, "active"))  # heartbeat
    qtbot.waitUntil(lambda: len(panel.model.rows()) == 3, timeout=5000)
    end = {r.id: panel.model.text(r, "end") for r in panel.model.rows()}
    assert end[offline] == f"Ended at {format_vn_ms(now - 20_000)}"
    assert end[site].startswith("Going on for 0:4")
    assert end[motion].startswith("Going on for 1:0") and end[motion].endswith(
        f"last activity {format_vn_ms(now - 2_000)[-8:]}")
    assert panel.model.headerData(2, Qt.Orientation.Horizontal) == "End"
    # The running length goes on by itself, without a new query.
    column = panel.model.COLUMNS.index("end")
    row = next(i for i, r in enumerate(panel.model.rows()) if r.id == site)
    with qtbot.waitSignal(panel.model.dataChanged, timeout=2000):
        pass
    shown = panel.model.data(panel.model.index(row, column))
    qtbot.waitUntil(lambda: panel.model.data(panel.model.index(row, column)) != shown, timeout=2500)
    # Only the ended connection alert goes with the bulk acknowledgement.
    seen: dict[str, object] = {}
    note_and_ok(qtbot, "Cáp mạng bị chuột cắn, đã nối lại", seen)
    qtbot.mouseClick(panel.ack_ended_button, Qt.MouseButton.LeftButton)
    store = panel.store
    qtbot.waitUntil(lambda: store.get(offline).state is AlertState.ACKNOWLEDGED, timeout=3000)  # type: ignore[union-attr]
    assert "1 camera, site or network alerts that have already ended" in str(seen["summary"])
    assert store.get(site).state is AlertState.NEW and store.get(motion).state is AlertState.NEW  # type: ignore[union-attr]


def test_a_manual_incident_is_acknowledged_by_its_author_and_neither_rings_nor_blinks(
        qtbot: QtBot, window: MainWindow) -> None:
    center = center_of(window)
    panel = center.panel

    def fill(dialog: IncidentDialog) -> None:
        dialog.note.insertPlainText("Người dân báo mất xe đạp trước chợ")
        qtbot.mouseClick(dialog.ok, Qt.MouseButton.LeftButton)

    when_shown(IncidentDialog, fill)
    panel.record_incident("C03")
    qtbot.waitUntil(lambda: len(panel.model.rows()) == 1, timeout=5000)
    row = panel.model.rows()[0]
    assert row.kind is AlertKind.MANUAL and row.state is AlertState.ACKNOWLEDGED and row.acked_by == "trucban1"
    qtbot.wait(1200)  # more than two blink phases; the bell rings at once for anything new
    assert window.rings == [] and center.alerting == set()  # type: ignore[attr-defined]
    tile = next(t for t in window.wall.tiles if t.camera_id == "C03")
    assert not tile.alert_lit and not window.windowTitle().startswith("[")
    assert panel.model.text(row, "end") == ""


def test_the_bell_mute_shows_in_the_status_bar_the_menu_and_the_handover_report(qtbot: QtBot,
                                                                               window: MainWindow) -> None:
    center = center_of(window)
    raise_alerts(window)
    qtbot.waitUntil(lambda: len(window.rings) >= 1, timeout=3000)  # type: ignore[attr-defined]
    center.escalation = Escalation(((0, 0.3, 60),))  # from here it rings at every tick: a silence shows at once
    qtbot.waitUntil(lambda: len(window.rings) >= 2, timeout=3000)  # type: ignore[attr-defined]
    menu_item = next(a for a in window.menuBar().actions() if a.menu() is not None
                     for a in a.menu().actions() if a is center.mute_action)  # type: ignore[union-attr]
    assert menu_item.isCheckable() and not menu_item.isChecked() and not center.bell_label.isVisible()
    menu_item.trigger()
    assert menu_item.isChecked() and center.bell_label.isVisible()
    assert center.bell_label.text().startswith("Bell silenced until ")
    rung = len(window.rings)  # type: ignore[attr-defined]
    qtbot.wait(1200)  # two ticks or more, each of which would ring
    assert len(window.rings) == rung  # type: ignore[attr-defined]
    seen: dict[str, str] = {}

    def report(dialog: HandoverDialog) -> None:
        handover = dialog.handover()
        seen["bell"] = handover.bell
        seen["html"] = handover_html([], window.config, handover, Path("."), QTextDocument())
        dialog.reject()

    when_shown(HandoverDialog, report)
    center.panel.handover_report()
    assert seen["bell"].startswith("The alarm bell was silenced at ") and seen["bell"] in seen["html"]
    menu_item.trigger()  # unchecked: the bell rings again
    assert not center.bell_label.isVisible() and not center.muted()
    assert center.bell_text().startswith("The alarm bell is on; it was silenced from ")
    qtbot.waitUntil(lambda: len(window.rings) > rung, timeout=20_000)  # type: ignore[attr-defined]


@pytest.mark.parametrize("trouble", ["no sound card", "bell file not writable"])
def test_a_bell_that_cannot_sound_says_so_once(qtbot: QtBot, demo_site: SiteConfig, tmp_path: Path,
                                               trouble: str) -> None:
    cards = tmp_path / "cards"
    cards.write_text("--- no soundcards ---\n")  # /proc/asound/cards of a PC without sound hardware
    if trouble == "no sound card":  # libVLC opens and "plays" into nothing: only the probe can tell
        bell = AlarmBell(tmp_path / "bell", lambda: sound_device_present(cards, runtime_dir="", pulse_server=""))
    else:
        blocked = tmp_path / "not-a-folder"
        blocked.write_text("a file where the bell's folder should be")
        bell = AlarmBell(blocked)
    told: list[str] = []
    with alert_window(qtbot, demo_site, tmp_path, bell=bell) as win:
        center = center_of(win)
        center.bell_failed.connect(told.append)
        assert not center.bell_trouble.isVisible()
        raise_alerts(win)  # the window rings the bell at once, and again while they wait
        win.alert_center.escalation = Escalation(((0, 0.3, 60),))  # type: ignore[union-attr]
        qtbot.waitUntil(lambda: bell.rings >= 3, timeout=5000)
        assert bell.join()
        qtbot.waitUntil(center.bell_trouble.isVisible, timeout=3000)
        qtbot.wait(200)
        assert len(told) == 1
        assert center.bell_trouble.text().startswith("The alarm bell cannot sound on this computer")


def test_full_screen_shows_the_new_alerts_and_the_newest_camera_on_the_wall(qtbot: QtBot,
                                                                            window: MainWindow) -> None:
    center = center_of(window)
    overlay = window.wall.alert_overlay
    raise_alerts(window)
    qtbot.waitUntil(lambda: titled(window, 3), timeout=3000)
    assert not overlay.isVisible()  # the alarm list is in sight
    assert center.badge.toolTip()
    window.toggle_full_screen()
    qtbot.waitUntil(overlay.isVisible, timeout=3000)
    newest = window.config.camera("C12").label  # raised last
    assert overlay.text() == f"3 new alerts — newest: {newest}"
    assert window.wall.rect().contains(overlay.geometry()) and overlay.geometry().top() < 40
    # It follows the count while in full screen.
    center.services.writer.submit(AlertEvent(center.services.writer.next_id(), "C05", "S02", AlertKind.MOTION,
                                             now_ms(), 0.7, "start"))
    qtbot.waitUntil(lambda: overlay.text().startswith("4 new alerts — newest: C05"), timeout=3000)
    window.toggle_full_screen()
    qtbot.waitUntil(lambda: not overlay.isVisible(), timeout=3000)


def test_the_alarm_list_shows_six_rows_at_1920x1080(qtbot: QtBot, demo_site: SiteConfig, tmp_path: Path) -> None:
    with alert_window(qtbot, demo_site, tmp_path) as win:
        win.resize(1920, 1080)
        panel = center_of(win).panel
        writer = center_of(win).services.writer
        for i in range(10):
            writer.submit(AlertEvent(writer.next_id(), "C01", "S01", AlertKind.MOTION, now_ms() - i * 1000, 0.5,
                                     "start", snapshot=jpeg()))
        qtbot.waitUntil(lambda: len(panel.model.rows()) == 10, timeout=5000)
        qtbot.waitUntil(lambda: win.size().height() == 1080, timeout=3000)
        table = panel.table
        fully_shown = [r for r in range(10) if table.viewport().rect().contains(
            table.visualRect(panel.model.index(r, 3)))]
        assert len(fully_shown) >= 6, (len(fully_shown), table.viewport().height(), table.rowHeight(0))


def test_no_flood_at_start_then_one_alert_for_the_whole_link(qtbot: QtBot, tmp_path: Path) -> None:
    """No camera is served (the demo on ports of its own, no simulator): all 25 fail from the start, as when the
    station's link is down."""
    site = load_config(write_demo_config(tmp_path / "site.toml"))
    with alert_window(qtbot, site, tmp_path) as win:
        center = center_of(win)
        win.pool.keep([c.id for c in site.cameras], StreamKind.SUB)  # as app.py: every camera's health
        center.health = HealthAlerts({c.id: c.site_id for c in site.cameras}, center.services.writer.next_id,
                                     HealthAlertSettings(offline_grace_ms=1000, startup_grace_ms=4000))
        qtbot.wait(3000)
        assert center.panel.model.rows() == []  # still starting: nobody is told the cameras are connecting
        qtbot.waitUntil(lambda: len(center.panel.model.rows()) >= 1, timeout=8000)
        qtbot.wait(1500)
        rows = center.panel.model.rows()
        assert [(r.kind, r.priority) for r in rows] == [(AlertKind.NETWORK_OFFLINE, Priority.HIGH)]
        assert center.panel.model.text(rows[0], "kind") == "Every site offline (network link)"


def test_the_acknowledge_dialog_shows_the_alert_picture_a_clip_from_the_recording_and_live(
        qtbot: QtBot, tmp_path: Path, simulator: Simulator, clip: Path, open_db: OpenDb) -> None:
    site = simulator.config
    start_ms = now_ms() - 60_000
    index = RecordingIndex(open_db(tmp_path / "console.db"))
    lay_out_recording(index, tmp_path / "rec", "C01", clip, start_ms, 2, 10_000, 1000)
    with alert_window(qtbot, site, tmp_path, recordings=tmp_path / "rec") as win:
        center = center_of(win)
        tile = next(t for t in win.wall.tiles if t.camera_id == "C01")
        qtbot.waitUntil(lambda: tile.frames_shown > 3, timeout=15_000)
        writer = center.services.writer
        alert = writer.next_id()
        writer.submit(AlertEvent(alert, "C01", "S01", AlertKind.MOTION, start_ms + 5000, 0.8, "start",
                                 snapshot=jpeg()))
        panel = center.panel
        qtbot.waitUntil(lambda: any(r.id == alert for r in panel.model.rows()), timeout=5000)
        seen: dict[str, object] = {}

        def look(dialog: AcknowledgeDialog) -> None:  # runs inside the dialog's own event loop
            try:
                qtbot.waitUntil(lambda: bool(dialog.clip.frames), timeout=10_000)
                live = dialog.live.pixmap()
                seen["live"] = live is not None and not live.isNull()
                snapshot = dialog.snapshot.pixmap()
                seen["snapshot"] = snapshot is not None and not snapshot.isNull()
                seen["frames"] = len(dialog.clip.frames)
                seen["stamps"] = (stamp(dialog.clip.frames[0]), stamp(dialog.clip.frames[-1]))
                played = dialog.clip.shown
                qtbot.wait(700)
                seen["plays"] = dialog.clip.shown - played
            finally:
                dialog.reject()

        when_shown(AcknowledgeDialog, look)
        qtbot.mouseClick(panel.table.viewport(), Qt.MouseButton.LeftButton, pos=row_rect_center(win, alert))
        qtbot.keyClick(panel.table, Qt.Key.Key_Return)  # returns when the dialog is closed
        # 3 s before to 5 s after the alert, 5 pictures a second, all inside the recording; it loops.
        first, last = seen.pop("stamps")  # type: ignore[misc]
        assert seen == {"live": True, "snapshot": True, "frames": 40, "plays": seen["plays"]}
        assert abs(first - 2000) <= 70 and abs(last - 9800) <= 70  # the clip's own frame stamps (offset in ms)
        assert int(seen["plays"]) >= 2  # type: ignore[call-overload]
        assert panel.store.get(alert).state is AlertState.NEW  # type: ignore[union-attr]  # cancelled


def test_a_site_whose_cameras_drop_one_by_one_is_one_alert_that_shows_its_end(qtbot: QtBot, tmp_path: Path,
                                                                              simulator: Simulator) -> None:
    site = simulator.config
    cameras = [c.id for c in site.cameras if c.site_id == "S01"]  # C01–C04: a router rebooting
    with alert_window(qtbot, site, tmp_path) as win:
        center = center_of(win)
        win.pool.keep([c.id for c in site.cameras], StreamKind.SUB)
        center.health = HealthAlerts({c.id: c.site_id for c in site.cameras}, center.services.writer.next_id,
                                     HealthAlertSettings(offline_grace_ms=4000, startup_grace_ms=0))
        def live(camera: str) -> bool:
            status = win.pool.camera_status(camera)
            return status is not None and status.phase is Phase.LIVE

        qtbot.waitUntil(lambda: all(live(c) for c in cameras), timeout=20_000)
        try:
            for camera in cameras:  # 1 s apart: the first is lost 3 s before the last
                simulator.refuse(camera)
                simulator.drop(camera)
                qtbot.wait(1000)
            rows = center.panel.model.rows
            qtbot.waitUntil(lambda: any(r.kind is AlertKind.SITE_OFFLINE for r in rows()), timeout=15_000)
            qtbot.wait(1500)
            assert [(r.kind, r.site_id) for r in rows()] == [(AlertKind.SITE_OFFLINE, "S01")]
            assert center.panel.model.text(rows()[0], "end").startswith("Going on for ")
        finally:
            for camera in cameras:
                simulator.refuse(camera, refused=False)
        qtbot.waitUntil(lambda: rows()[0].ended_ms is not None, timeout=20_000)
        assert len(rows()) == 1 and center.panel.model.text(rows()[0], "end").startswith("Ended at ")
