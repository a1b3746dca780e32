"""The alarm list with the mouse: filter, acknowledge with a note (refused without), close, double-click to
the camera's maximized tile; new alerts blink their tile and tree item and show their count on the window."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path

import pytest
from PySide6.QtCore import QBuffer, QByteArray, QCoreApplication, QIODevice, Qt
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QComboBox, QPlainTextEdit, QPushButton
from pytestqt.qtbot import QtBot

from console.core.alerts import AlertEvent, AlertKind, AlertState, Escalation
from console.core.config import SiteConfig
from console.core.health_alerts import HealthAlerts, HealthAlertSettings
from console.core.users import Role, User
from console.core.vntime import now_ms
from console.media.alarm_bell import AlarmBell
from console.media.pool import StreamPool
from console.simulator.server import Simulator
from console.store.alerts import AlertStore, AlertWriter
from console.store.database import open_database
from console.ui.alerts.center import AlertServices
from console.ui.alerts.dialogs import AcknowledgeDialog, IncidentDialog
from console.ui.alerts.panel import CommitBridge
from console.ui.shell.main_window import MainWindow
from tests.support.databases import OpenDb
from tests.support.dialogs import when_shown


def jpeg() -> bytes:
    image = QImage(320, 180, QImage.Format.Format_RGB32)
    image.fill(QColor("#4a6fa5"))
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "JPG")
    return bytes(data.data())


@contextmanager
def alert_window(qtbot: QtBot, site: SiteConfig, tmp_path: Path, bell: AlarmBell | None = None,
                 recordings: Path | None = None, **window_args: object) -> Iterator[MainWindow]:
    """The demo window with a real alert log in `tmp_path` (other MainWindow arguments passed on; `recordings`
    to the window and the alerts' clips); rings are recorded in `win.rings` and, with a `bell`, rung on it too."""
    with closing(open_database(tmp_path / "console.db")) as database:  # closed whatever happens
        bridge = CommitBridge()
        writer = AlertWriter(tmp_path / "console.db", tmp_path / "alerts", committed=bridge.committed.emit)
        rings: list[int] = []
        users = [User("trucban1", "Nguyễn Văn An", Role.OFFICER)]
        def ring(volume: int) -> None:
            rings.append(volume)
            if bell is not None:
                bell.ring(volume)

        services = AlertServices(AlertStore(database), writer, bridge, tmp_path / "alerts", users, ring, bell=bell,
                                 recordings=recordings)
        win = MainWindow(site, demo=True, pool=StreamPool(site), alerts=services, recordings=recordings,
                         **window_args)  # type: ignore[arg-type]
        qtbot.addWidget(win)
        win.resize(1600, 1000)
        win.show()
        win.rings = rings  # type: ignore[attr-defined]
        # No camera is served here: keep the wall's own offline alerts out of these lists.
        assert win.alert_center is not None
        win.alert_center.health = HealthAlerts({}, writer.next_id)
        try:
            yield win
        finally:
            win.close()
            writer.close()
            QCoreApplication.processEvents()  # the writer's last "committed" reaches the list
            win.alert_center.panel.stop()
            win.pool.close()


@pytest.fixture()
def window(qtbot: QtBot, demo_site: SiteConfig, tmp_path: Path, vietnamese: object) -> Iterator[MainWindow]:
    with alert_window(qtbot, demo_site, tmp_path) as win:
        yield win


def raise_alerts(win: MainWindow) -> dict[str, int]:
    center = win.alert_center
    assert center is not None
    writer = center.services.writer
    now = now_ms()
    ids = {}
    raised = (("C01", "S01", AlertKind.MOTION, 30), ("C07", "S04", AlertKind.CAMERA_OFFLINE, 20),
              ("C12", "S05", AlertKind.TAMPER_COVERED, 10))
    for camera, site, kind, age_s in raised:
        ids[camera] = writer.next_id()
        writer.submit(AlertEvent(ids[camera], camera, site, kind, now - age_s * 1000, 0.8, "start", snapshot=jpeg()))
    return ids


def titled(win: MainWindow, count: int) -> bool:
    """The window title starts with the explained count: "[3 cảnh báo mới] Giám sát camera an ninh — …"."""
    prefix = win.windowTitle().split("] ", 1)[0]
    return prefix.startswith(f"[{count} ") and len(prefix) > len(f"[{count} ")


def click_row(qtbot: QtBot, win: MainWindow, alert_id: int, double: bool = False) -> None:
    panel = win.alert_center.panel  # type: ignore[union-attr]
    row = next(i for i, r in enumerate(panel.model.rows()) if r.id == alert_id)
    rect = panel.table.visualRect(panel.model.index(row, 2))
    qtbot.mouseClick(panel.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    if double:  # as a mouse does it: press, release, then the double-click event
        qtbot.mouseDClick(panel.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def answer_dialog(qtbot: QtBot, note: str, seen: dict[str, object]) -> None:
    """When the acknowledge dialog is up: check OK is off while the note is empty, type, click OK."""
    def act(dialog: AcknowledgeDialog) -> None:
        ok = dialog.findChild(QPushButton, "okButton")
        seen["ok_enabled_empty"] = ok.isEnabled()
        edit = dialog.findChild(QPlainTextEdit, "noteEdit")
        ascii_part = note.encode("ascii", "ignore").decode().split(",")[0]
        qtbot.keyClicks(edit, ascii_part)  # QTest types ASCII only; the rest as an input method would
        edit.insertPlainText(note[len(ascii_part):])
        seen["ok_enabled_typed"] = ok.isEnabled()
        qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
    when_shown(AcknowledgeDialog, act)


def test_filter_acknowledge_close_and_show_camera(qtbot: QtBot, window: MainWindow) -> None:
    center = window.alert_center
    assert center is not None
    panel = center.panel
    ids = raise_alerts(window)
    qtbot.waitUntil(lambda: len(panel.model.rows()) == 3, timeout=5000)
    assert [r.id for r in panel.model.rows()] == [ids["C12"], ids["C07"], ids["C01"]]
    assert panel.model.data(panel.model.index(0, 0), Qt.ItemDataRole.DecorationRole) is not None  # thumbnail
    assert titled(window, 3) and window.windowTitle().split("] ", 1)[1].startswith("Giám sát camera an ninh")
    assert center.dock.windowTitle() == "Cảnh báo (3 mới)"
    # Filters: kind, then camera, then back to everything.
    kind = panel.findChild(QComboBox, "kindFilter")
    kind.setCurrentIndex(kind.findText("Mất kết nối camera"))
    qtbot.waitUntil(lambda: [r.id for r in panel.model.rows()] == [ids["C07"]], timeout=3000)
    kind.setCurrentIndex(0)
    camera = panel.findChild(QComboBox, "cameraFilter")
    camera.setCurrentIndex(camera.findData("C01"))
    qtbot.waitUntil(lambda: [r.id for r in panel.model.rows()] == [ids["C01"]], timeout=3000)
    camera.setCurrentIndex(0)
    # Acknowledge with the mouse: OK stays off until a note is typed.
    click_row(qtbot, window, ids["C01"])
    assert panel.ack_button.isEnabled() and panel.close_button.isEnabled()  # closing a new one asks the note
    seen: dict[str, object] = {}
    answer_dialog(qtbot, "Xe dung lau, đã gọi tổ tuần tra", seen)
    qtbot.mouseClick(panel.ack_button, Qt.MouseButton.LeftButton)
    assert seen == {"ok_enabled_empty": False, "ok_enabled_typed": True}
    store = panel.store
    qtbot.waitUntil(lambda: store.get(ids["C01"]).state is AlertState.ACKNOWLEDGED, timeout=3000)  # type: ignore[union-attr]
    row = store.get(ids["C01"])
    assert row is not None and row.acked_by == "trucban1" and "tổ tuần tra" in row.note
    qtbot.waitUntil(lambda: titled(window, 2), timeout=3000)
    # Close it, then search the note without diacritics.
    click_row(qtbot, window, ids["C01"])
    assert panel.close_button.isEnabled()
    qtbot.mouseClick(panel.close_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: store.get(ids["C01"]).state is AlertState.CLOSED, timeout=3000)  # type: ignore[union-attr]
    panel.search.setText("to tuan tra")
    qtbot.waitUntil(lambda: [r.id for r in panel.model.rows()] == [ids["C01"]], timeout=3000)
    panel.search.clear()
    qtbot.waitUntil(lambda: len(panel.model.rows()) == 3, timeout=3000)
    # Double-click an alert: its camera in a maximized tile.
    click_row(qtbot, window, ids["C12"], double=True)
    assert window.wall.maximized is not None and window.wall.tiles[window.wall.maximized].camera_id == "C12"


def test_new_alerts_blink_their_tiles_and_ring_until_acknowledged(qtbot: QtBot, window: MainWindow) -> None:
    center = window.alert_center
    assert center is not None
    raise_alerts(window)
    tile = next(t for t in window.wall.tiles if t.camera_id == "C07")
    other = next(t for t in window.wall.tiles if t.camera_id == "C02")
    qtbot.waitUntil(lambda: tile.alert_lit, timeout=3000)
    qtbot.waitUntil(lambda: not tile.alert_lit, timeout=3000)  # it blinks
    assert not other.alert_lit
    item = window.camera_tree.camera_item("C07")
    qtbot.waitUntil(lambda: item.background(0).color() == QColor("#ffc9c9"), timeout=3000)
    qtbot.waitUntil(lambda: len(window.rings) >= 1, timeout=3000)  # type: ignore[attr-defined]
    assert window.rings[0] == 60  # type: ignore[attr-defined]
    center.escalation = Escalation(((0, 0.3, 60),))  # from here it rings at every tick: a silence shows at once
    qtbot.waitUntil(lambda: len(window.rings) >= 2, timeout=3000)  # type: ignore[attr-defined]
    center.mute_for(60)
    count = len(window.rings)  # type: ignore[attr-defined]
    qtbot.wait(1200)  # two ticks or more, each of which would ring
    assert len(window.rings) == count  # type: ignore[attr-defined]


def test_manual_incident_with_camera_picture_and_note(qtbot: QtBot, window: MainWindow) -> None:
    center = window.alert_center
    assert center is not None
    panel = center.panel
    panel.snapshot_for = lambda camera: jpeg() if camera == "C03" else None

    def fill(dialog: IncidentDialog) -> None:
        assert dialog.camera_id() == "C03" and not dialog.ok.isEnabled()
        dialog.note.insertPlainText("Hai thanh niên gây rối trước cổng trường")
        qtbot.mouseClick(dialog.ok, Qt.MouseButton.LeftButton)

    when_shown(IncidentDialog, fill)
    panel.record_incident("C03")
    qtbot.waitUntil(lambda: len(panel.model.rows()) == 1, timeout=5000)
    row = panel.model.rows()[0]
    assert row.kind is AlertKind.MANUAL and row.camera_id == "C03" and row.state is AlertState.ACKNOWLEDGED
    assert row.note == "Hai thanh niên gây rối trước cổng trường" and row.snapshot
    assert panel.store.audit(row.id)[0][1] == "trucban1"  # who recorded it


def test_frozen_picture_raises_an_alert_with_the_frozen_frame(qtbot: QtBot, tmp_path: Path, vietnamese: object,
                                                              simulator: Simulator, open_db: OpenDb) -> None:
    site = simulator.config
    database = open_db(tmp_path / "console.db")
    bridge = CommitBridge()
    writer = AlertWriter(tmp_path / "console.db", tmp_path / "alerts", committed=bridge.committed.emit)
    services = AlertServices(AlertStore(database), writer, bridge, tmp_path / "alerts", [])
    win = MainWindow(site, demo=True, pool=StreamPool(site), alerts=services)
    qtbot.addWidget(win)
    win.show()
    center = win.alert_center
    assert center is not None
    center.health = HealthAlerts({c.id: c.site_id for c in site.cameras}, writer.next_id,
                                 HealthAlertSettings(frozen_grace_ms=1500))
    tile = next(t for t in win.wall.tiles if t.camera_id == "C02")
    try:
        qtbot.waitUntil(lambda: tile.frames_shown > 3, timeout=15_000)
        simulator.stall("C02")
        qtbot.waitUntil(lambda: any(r.kind is AlertKind.FROZEN for r in center.panel.model.rows()), timeout=15_000)
        row = next(r for r in center.panel.model.rows() if r.kind is AlertKind.FROZEN)
        assert row.camera_id == "C02" and row.snapshot
        assert (tmp_path / "alerts" / row.snapshot).read_bytes()[:2] == b"\xff\xd8"
    finally:
        simulator.stall("C02", stalled=False)
        win.close()
        writer.close()
        win.pool.close()
