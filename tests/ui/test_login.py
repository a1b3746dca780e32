"""Logins on the real main window: the first start creates the admin, Ctrl+L locks with the wall running
behind, a wrong password slows the next attempts (also after a restart), another officer unlocking takes over the
shift and the handover report is offered with both names from the logins; every step is one audit row."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QEvent, Qt
from PySide6.QtWidgets import QLineEdit
from pytestqt.qtbot import QtBot

from console.audit.actions import AuditAction, AuditEntry
from console.core.alerts import AlertEvent, AlertKind, AlertState
from console.core.config import SiteConfig
from console.core.login_settings import LoginSettings
from console.core.users import Role
from console.core.vntime import now_ms
from console.media.pool import StreamPool
from console.officers.accounts import Accounts
from console.officers.duty import Duty
from console.officers.guard import ActionRefusedError, Guard, Officers
from console.officers.roles import Permission
from console.simulator.server import Simulator
from console.store.alerts import AlertStore, AlertWriter
from console.store.database import open_database
from console.ui.alerts.center import AlertServices
from console.ui.alerts.handover_dialog import HandoverDialog
from console.ui.alerts.panel import CommitBridge
from console.ui.officers.desk import Desk
from console.ui.officers.lock_screen import Mode
from console.ui.shell.main_window import MainWindow
from tests.support.dialogs import when_shown

ADMIN_PW = "Dung-Mat-Khau-1"
OFFICER_PW = "Mat-Khau-Moi-22"
WRONG_PW = "Sai-Mat-Khau"


@pytest.fixture()
def db_path(tmp_path: Path) -> Iterator[Path]:
    path = tmp_path / "console.db"
    open_database(path).close()
    yield path


class Desktop:
    """The real main window with its alert list (a real database and alert writer) and a desk over it."""

    def __init__(self, qtbot: QtBot, site: SiteConfig, db_path: Path, settings: LoginSettings,
                 pool: StreamPool) -> None:
        self.database = open_database(db_path)
        self.audit: list[AuditEntry] = []
        self.accounts = Accounts(db_path, self.audit.append)
        self.duty = Duty(self.audit.append)
        self.guard = Guard(lambda: self.duty.user, settings, self.audit.append)
        officers = Officers(self.guard, self.audit.append)
        bridge = CommitBridge()
        self.writer = AlertWriter(db_path, db_path.parent / "alerts", committed=bridge.committed.emit)
        services = AlertServices(AlertStore(self.database), self.writer, bridge, db_path.parent / "alerts", [],
                                 officers=officers)
        self.window = MainWindow(replace(site, login=settings), demo=True, pool=pool, alerts=services)
        qtbot.addWidget(self.window)
        self.window.resize(1400, 900)
        self.window.show()
        qtbot.waitExposed(self.window)
        panel = self.window.alert_center.panel if self.window.alert_center is not None else None
        self.desk = Desk(self.window, self.accounts, self.duty, self.guard, settings, alerts=panel)
        self.desk.install()
        self.qtbot = qtbot

    @property
    def screen(self):  # type: ignore[no-untyped-def]
        return self.desk.screen

    def type_login(self, login: str, password: str) -> None:
        self.screen.login.setText(login)
        self.screen.password.setText(password)
        self.qtbot.mouseClick(self.screen.button, Qt.MouseButton.LeftButton)
        self.qtbot.waitUntil(self.screen.button.isEnabled, timeout=10_000)

    def actions(self) -> list[AuditAction]:
        return [entry.action for entry in self.audit]

    def close(self) -> None:
        """The writer first (no more commits), its queued refreshes handled, the window gone, then the database."""
        self.writer.close()
        QCoreApplication.processEvents()
        self.window.close()
        self.window.deleteLater()
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete.value)
        self.database.close()


@pytest.fixture()
def desktops() -> Iterator[list[Desktop]]:
    made: list[Desktop] = []
    yield made
    for desktop in made:
        desktop.close()


def officer_and_admin(qtbot: QtBot, site: SiteConfig, db_path: Path, pools: list[StreamPool],
                      desktops: list[Desktop]) -> Desktop:
    """An installation with its admin and one officer, the window on its login screen."""
    pool = StreamPool(site)
    pools.append(pool)
    accounts = Accounts(db_path)
    admin = accounts.create_first_admin("quantri", "Trần Văn Kỹ", ADMIN_PW)
    accounts.add(Guard(lambda: admin), "trucban1", "Nguyễn Văn An", Role.OFFICER, OFFICER_PW)
    desk = Desktop(qtbot, site, db_path, LoginSettings(), pool)
    desktops.append(desk)
    return desk


def test_first_start_creates_the_admin_then_lock_unlock_and_wrong_passwords(
        qtbot: QtBot, demo_site: SiteConfig, db_path: Path, vietnamese: object, simulator: Simulator,
        pools: list[StreamPool], desktops: list[Desktop]) -> None:
    pool = StreamPool(demo_site)
    pools.append(pool)
    desk = Desktop(qtbot, demo_site, db_path, LoginSettings(wall_visible_when_locked=True), pool)
    desktops.append(desk)
    screen = desk.screen
    assert screen.isVisible() and screen.mode is Mode.FIRST_ADMIN
    assert screen.title.text() == "Tạo tài khoản quản trị viên"
    assert not desk.window.menuBar().isEnabled()
    assert desk.guard.user() is None
    # The technician creates the admin; the repeat must match.
    screen.login.setText("quantri")
    screen.full_name.setText("Trần Văn Kỹ")
    screen.password.setText(ADMIN_PW)
    screen.repeat.setText(ADMIN_PW + "x")
    qtbot.mouseClick(screen.button, Qt.MouseButton.LeftButton)
    assert screen.message.text() == "Hai mật khẩu không giống nhau." and desk.accounts.accounts() == []
    screen.password.setText(ADMIN_PW)
    screen.repeat.setText(ADMIN_PW)
    qtbot.mouseClick(screen.button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: desk.duty.user is not None, timeout=10_000)
    assert not screen.isVisible() and desk.window.menuBar().isEnabled()
    assert desk.duty.user is not None and desk.duty.user.role is Role.ADMIN
    assert desk.actions() == [AuditAction.USER_CHANGED, AuditAction.LOGIN]
    # The wall keeps running behind the lock screen: frames still arrive on a tile while it is up.
    desk.window.wall.set_layout("1")
    tile = desk.window.wall.tile(0)
    qtbot.waitUntil(lambda: tile.frames_shown > 0, timeout=20_000)
    qtbot.keyClick(desk.window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert desk.duty.locked and screen.isVisible() and screen.mode is Mode.LOCKED
    assert screen.login.text() == "quantri" and "Trần Văn Kỹ" in screen.hint.text()
    assert desk.guard.user() is None and not desk.guard.may(Permission.PTZ)
    shown = tile.frames_shown
    qtbot.waitUntil(lambda: tile.frames_shown > shown + 5, timeout=10_000)
    # Wrong passwords: three free, then the wait doubles; each one is audited without the password.
    for _ in range(3):
        desk.type_login("quantri", WRONG_PW)
    assert screen.message.text().startswith("Tên đăng nhập hoặc mật khẩu không đúng.")
    assert "2 giây" in screen.message.text()
    desk.type_login("quantri", ADMIN_PW)  # too soon: refused without checking
    assert screen.message.text() == "Nhập sai nhiều lần. Thử lại sau 2 giây." and desk.duty.locked
    assert all(WRONG_PW not in str(entry) and ADMIN_PW not in str(entry) for entry in desk.audit)
    assert all(not field.text() for field in screen.findChildren(QLineEdit) if field.echoMode() is
               QLineEdit.EchoMode.Password)
    qtbot.wait(2100)
    desk.type_login("quantri", ADMIN_PW)
    assert not desk.duty.locked and not screen.isVisible()
    assert desk.actions()[2:] == [AuditAction.LOCK, *[AuditAction.LOGIN_FAILED] * 4, AuditAction.UNLOCK]


def test_the_delay_survives_a_restart_and_a_disabled_user_is_refused(db_path: Path) -> None:
    now = [1_800_000_000_000]
    audit: list[AuditEntry] = []
    accounts = Accounts(db_path, audit.append, clock_ms=lambda: now[0])
    admin = accounts.create_first_admin("quantri", "Trần Văn Kỹ", ADMIN_PW)
    guard = Guard(lambda: admin, audit=audit.append)
    accounts.add(guard, "trucban1", "Nguyễn Văn An", Role.OFFICER, OFFICER_PW)
    waits = []
    for _ in range(5):
        result = accounts.authenticate("trucban1", WRONG_PW)
        waits.append(result.wait_s)
        now[0] += round(result.wait_s * 1000)
    assert waits == [0, 0, 2, 4, 8]
    restarted = Accounts(db_path, audit.append, clock_ms=lambda: now[0] - 1000)  # a new process, 1 s too early
    assert restarted.authenticate("trucban1", OFFICER_PW).outcome.value == "wait"
    assert restarted.authenticate("quantri", ADMIN_PW).outcome.value == "ok"  # per user: the admin is not slowed
    later = Accounts(db_path, audit.append, clock_ms=lambda: now[0])
    assert later.authenticate("trucban1", OFFICER_PW).outcome.value == "ok"
    assert later.authenticate("trucban1", WRONG_PW).wait_s == 0  # a good login starts the count again
    accounts.set_disabled(guard, "trucban1", True)
    disabled = later.authenticate("trucban1", OFFICER_PW)
    assert disabled.outcome.value == "disabled" and disabled.message() == \
        "Tài khoản đã bị khóa. Liên hệ quản trị viên."
    failed = [e for e in audit if e.action is AuditAction.LOGIN_FAILED]
    assert [e.details["reason"] for e in failed] == ["wrong"] * 5 + ["wait", "wrong", "disabled"]
    assert all(OFFICER_PW not in str(e) and WRONG_PW not in str(e) for e in audit)


def test_another_officer_unlocking_takes_over_and_the_report_names_both(
        qtbot: QtBot, demo_site: SiteConfig, db_path: Path, vietnamese: object, simulator: Simulator,
        pools: list[StreamPool], desktops: list[Desktop]) -> None:
    desk = officer_and_admin(qtbot, demo_site, db_path, pools, desktops)
    assert desk.screen.mode is Mode.LOGIN
    desk.type_login("trucban1", OFFICER_PW)
    assert desk.duty.user is not None and desk.duty.user.login == "trucban1"
    assert not desk.guard.may(Permission.MANAGE_USERS) and desk.guard.may(Permission.ACK_ALERT)
    desk.window.wall.set_layout("1")
    tile = desk.window.wall.tile(0)
    qtbot.waitUntil(lambda: tile.frames_shown > 0, timeout=20_000)
    # Giao ca from the menu: the admin takes over; the report offered names both, the period from the logins.
    # The wall goes on through it: pictures keep coming while the shift screen is up and after.
    desk.desk.menu_actions["shift"].trigger()
    assert desk.screen.mode is Mode.SHIFT and "Nguyễn Văn An" in desk.screen.hint.text()
    shown = tile.frames_shown
    qtbot.waitUntil(lambda: tile.frames_shown > shown + 5, timeout=10_000)
    desk.type_login("quantri", ADMIN_PW)
    shown = tile.frames_shown
    qtbot.waitUntil(lambda: tile.frames_shown > shown + 5, timeout=10_000)
    assert desk.duty.user is not None and desk.duty.user.login == "quantri"
    report = desk.desk.handover
    assert report is not None
    assert report.handing_over.currentText() == "Nguyễn Văn An"  # type: ignore[attr-defined]
    assert report.taking_over.currentText() == "Trần Văn Kỹ"  # type: ignore[attr-defined]
    assert not report.handing_over.isEnabled()  # type: ignore[attr-defined]
    assert desk.duty.previous is not None
    assert report.start.ms() == desk.duty.previous.started_ms  # type: ignore[attr-defined]
    shift_rows = [e for e in desk.audit if e.action is AuditAction.SHIFT_CHANGE]
    assert len(shift_rows) == 1 and shift_rows[0].user == "quantri"
    assert shift_rows[0].details["handed_over_by"] == "trucban1"
    report.close()  # type: ignore[attr-defined]
    # The report asked for from the alarm list later in the shift: its period starts at the take-over, its name
    # is the login's (no list to choose from), and only the one taking over next is left to write.
    center = desk.window.alert_center
    assert center is not None
    seen: dict[str, object] = {}

    def look(dialog: HandoverDialog) -> None:
        seen.update(start=dialog.start.ms(), handing=dialog.handing_over.currentText(),
                    choices=dialog.handing_over.count(), bound=not dialog.handing_over.isEnabled(),
                    next_free=dialog.taking_over.isEnabled())
        dialog.reject()

    when_shown(HandoverDialog, look)
    center.panel.handover_report()
    assert seen == {"start": desk.duty.shift.started_ms if desk.duty.shift else None, "handing": "Trần Văn Kỹ",
                    "choices": 1, "bound": True, "next_free": True}


def test_each_gesture_is_one_audit_row_by_the_officer_logged_in(
        qtbot: QtBot, demo_site: SiteConfig, db_path: Path, vietnamese: object, pools: list[StreamPool],
        desktops: list[Desktop]) -> None:
    desk = officer_and_admin(qtbot, demo_site, db_path, pools, desktops)
    desk.type_login("trucban1", OFFICER_PW)
    center = desk.window.alert_center
    assert center is not None
    panel = center.panel
    assert panel.officer.currentText() == "Nguyễn Văn An" and not panel.officer.isEnabled()
    now = now_ms()
    ids = []
    for camera, site in (("C01", "S01"), ("C02", "S01"), ("C03", "S02")):
        ids.append(desk.writer.next_id())
        desk.writer.submit(AlertEvent(ids[-1], camera, site, AlertKind.MOTION, now - 5000, 0.8, "start"))
    qtbot.waitUntil(lambda: len(panel.model.rows()) == 3, timeout=10_000)
    before = len(desk.audit)
    panel._transition(list(panel.model.rows()), AlertState.ACKNOWLEDGED, "Xe máy đỗ trước cổng")
    qtbot.waitUntil(lambda: all(r.state is AlertState.ACKNOWLEDGED for r in panel.model.rows()), timeout=10_000)
    qtbot.waitUntil(lambda: len(desk.audit) > before, timeout=10_000)  # written once the writer has answered
    [row] = desk.audit[before:]
    assert row.action is AuditAction.ALERT_ACKNOWLEDGED and row.user == "trucban1" and row.role == "officer"
    assert row.details == {"alerts": 3, "ids": sorted(ids), "note": "Xe máy đỗ trước cổng", "not_changed": 0}
    assert {panel.store.audit(i)[-1][1] for i in ids} == {"trucban1"}  # the alert log names the login too
    # Acknowledged again (another officer had already done it): nothing changed, so no second row.
    answers: list[dict[int, Exception | None]] = []
    panel.alert_actions.change(ids, AlertState.ACKNOWLEDGED, "lần hai", panel.actor(), answers.append)
    qtbot.waitUntil(lambda: bool(answers), timeout=10_000)
    assert all(e is not None for e in answers[0].values()) and len(desk.audit) == before + 1
    # Closing two of them: one row naming exactly those two.
    panel.alert_actions.change(ids[:2], AlertState.CLOSED, "Đã xử lý", panel.actor(), answers.append)
    qtbot.waitUntil(lambda: len(answers) == 2, timeout=10_000)
    closed = desk.audit[before + 1:]
    assert [(e.action, e.details["ids"], e.details["note"]) for e in closed] == [
        (AuditAction.ALERT_CLOSED, sorted(ids[:2]), "Đã xử lý")]
    before += 1
    center.mute_for(600)
    assert [e.action for e in desk.audit[before + 1:]] == [AuditAction.BELL_MUTED]
    # Locked: the same service refuses, and the refusal is the row.
    qtbot.keyClick(desk.window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    with pytest.raises(ActionRefusedError):
        center.mute_for(600)
    assert [e.action for e in desk.audit[before + 1:]] == [AuditAction.BELL_MUTED, AuditAction.LOCK,
                                                             AuditAction.ACTION_REFUSED]


def test_idle_minutes_lock_the_screen_and_the_password_never_shows(
        qtbot: QtBot, demo_site: SiteConfig, db_path: Path, vietnamese: object, pools: list[StreamPool],
        desktops: list[Desktop]) -> None:
    pool = StreamPool(demo_site)
    pools.append(pool)
    Accounts(db_path).create_first_admin("quantri", "Trần Văn Kỹ", ADMIN_PW)
    desk = Desktop(qtbot, demo_site, db_path, LoginSettings(lock_after_idle_min=0.02), pool)  # 1.2 s
    desktops.append(desk)
    # On screen the password is dots: two different passwords of one length look the same.
    field = desk.screen.password
    field.setText(ADMIN_PW)
    first = field.grab().toImage()
    field.setText("x" * len(ADMIN_PW))
    assert field.grab().toImage() == first and field.echoMode() is QLineEdit.EchoMode.Password
    desk.type_login("quantri", ADMIN_PW)
    assert not desk.duty.locked
    qtbot.wait(600)
    qtbot.mouseMove(desk.window.wall, desk.window.wall.rect().center())  # activity restarts the countdown
    qtbot.wait(800)
    assert not desk.duty.locked
    qtbot.waitUntil(lambda: desk.duty.locked, timeout=5_000)
    lock = next(e for e in desk.audit if e.action is AuditAction.LOCK)
    assert lock.details == {"idle": True} and desk.screen.isVisible()
