"""The admin's users editor and the "change my password" dialog, over a real database: what the officer sees in
Vietnamese, what the database then holds, and that no password is left in a widget or the audit trail."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from PySide6.QtWidgets import QLabel, QLineEdit, QWidget
from pytestqt.qtbot import QtBot

from console.audit.actions import AuditAction, AuditEntry
from console.core.users import Role, User
from console.officers.accounts import Accounts, Outcome
from console.officers.guard import Guard, open_guard
from console.ui.officers.own_password import ChangePasswordDialog
from console.ui.officers.users_dialog import AddUserForm, ResetPasswordForm, UsersDialog
from tests.support.databases import OpenDb

GOOD = "Dung-Mat-Khau-1"
NEW = "Mat-Khau-Moi-22"
WRONG = "Sai-Mat-Khau"
PASSWORDS = (GOOD, NEW, WRONG)
CALL_TIMEOUT_MS = 10_000  # two PBKDF2 hashes and a few SQLite connections, on a slow CI machine

REFUSED_TO_OFFICER = "Chỉ quản trị viên được quản lý người dùng. Tài khoản trucban1 là cán bộ trực ban."
LAST_ADMIN = "Phải còn ít nhất một quản trị viên đang hoạt động."


@dataclass
class Station:
    accounts: Accounts
    audit: list[AuditEntry]
    admin: User
    officer: User
    admin_guard: Guard
    officer_guard: Guard


@pytest.fixture()
def station(tmp_path: Path, open_db: OpenDb) -> Station:
    """A fresh console database with its first admin (quantri) and one duty officer (trucban1)."""
    path = tmp_path / "console.db"
    open_db(path)
    audit: list[AuditEntry] = []
    accounts = Accounts(path, audit.append)
    admin = accounts.create_first_admin("quantri", "Trần Thị Bình", GOOD)
    admin_guard = Guard(lambda: admin, audit=audit.append)
    officer = accounts.add(admin_guard, "trucban1", "Nguyễn Văn An", Role.OFFICER, GOOD)
    audit.clear()
    return Station(accounts, audit, admin, officer, admin_guard, Guard(lambda: officer, audit=audit.append))


def finished(qtbot: QtBot, dialog: UsersDialog | ChangePasswordDialog) -> None:
    qtbot.waitUntil(lambda: not dialog.is_busy(), timeout=CALL_TIMEOUT_MS)


def opened(qtbot: QtBot, station: Station, guard: Guard | None = None) -> UsersDialog:
    dialog = UsersDialog(station.accounts, guard or station.admin_guard)
    qtbot.addWidget(dialog)
    dialog.show()
    finished(qtbot, dialog)
    return dialog


def rows(dialog: UsersDialog) -> dict[str, list[str]]:
    table = dialog.table
    texts = [[item.text() if (item := table.item(r, c)) is not None else "" for c in range(table.columnCount())]
             for r in range(table.rowCount())]
    return {row[0]: row for row in texts}


def message(dialog: QWidget) -> str:
    label = dialog.findChild(QLabel, "usersMessage") or dialog.findChild(QLabel, "ownPasswordMessage")
    assert label is not None
    return label.text()


def no_password_in(widget: QWidget) -> None:
    """Every password field is empty, its undo history too, and no text in the window holds a test password."""
    for field in widget.findChildren(QLineEdit):
        if field.echoMode() is QLineEdit.EchoMode.Password:
            assert field.text() == "", field.objectName()
            field.setEchoMode(QLineEdit.EchoMode.Normal)  # undo is off in password mode, not the history
            field.undo()
            assert field.text() == "", field.objectName()
            field.setEchoMode(QLineEdit.EchoMode.Password)
        assert not any(p in field.text() for p in PASSWORDS), field.objectName()
    for label in widget.findChildren(QLabel):
        assert not any(p in label.text() for p in PASSWORDS), label.text()


def test_an_added_user_is_listed_and_can_then_log_in(qtbot: QtBot, station: Station, vietnamese: object) -> None:
    dialog = opened(qtbot, station)
    assert rows(dialog)["trucban1"] == ["trucban1", "Nguyễn Văn An", "Cán bộ trực ban", "Đang hoạt động", "Đã đặt"]
    assert rows(dialog)["quantri"][2] == "Quản trị viên"
    with qtbot.waitSignal(dialog.changed, timeout=CALL_TIMEOUT_MS):
        assert dialog.add_user(" TrucBan2 ", "Lê Văn Cường", Role.OFFICER, NEW, NEW)
    finished(qtbot, dialog)
    assert rows(dialog)["trucban2"] == ["trucban2", "Lê Văn Cường", "Cán bộ trực ban", "Đang hoạt động", "Đã đặt"]
    assert message(dialog) == "Đã thêm người dùng trucban2."
    assert dialog.selected_login() == "trucban2"
    result = station.accounts.authenticate("trucban2", NEW)
    assert result.outcome is Outcome.OK and result.user is not None and result.user.role is Role.OFFICER


def test_an_existing_login_is_refused_with_the_reason_shown(qtbot: QtBot, station: Station,
                                                           vietnamese: object) -> None:
    dialog = opened(qtbot, station)
    with qtbot.waitSignal(dialog.failed, timeout=CALL_TIMEOUT_MS) as failed:
        dialog.add_user("trucban1", "Người Khác", Role.ADMIN, NEW, NEW)
    finished(qtbot, dialog)
    assert failed.args == ["Tên đăng nhập trucban1 đã có."] and message(dialog) == "Tên đăng nhập trucban1 đã có."
    assert rows(dialog)["trucban1"][1:3] == ["Nguyễn Văn An", "Cán bộ trực ban"]


def test_a_mismatched_confirmation_is_refused_without_asking_the_service(
        qtbot: QtBot, station: Station, vietnamese: object, monkeypatch: pytest.MonkeyPatch) -> None:
    dialog = opened(qtbot, station)
    asked: list[str] = []
    monkeypatch.setattr(station.accounts, "add", lambda *args: asked.append("add"))
    monkeypatch.setattr(station.accounts, "reset_password", lambda *args: asked.append("reset"))
    with qtbot.waitSignal(dialog.failed) as failed:
        assert not dialog.add_user("trucban2", "Lê Văn Cường", Role.OFFICER, NEW, GOOD)
    assert failed.args == ["Mật khẩu nhập lại không khớp."] and not dialog.is_busy()
    with qtbot.waitSignal(dialog.failed):
        assert not dialog.reset_password("trucban1", NEW, GOOD)
    assert message(dialog) == "Mật khẩu nhập lại không khớp."
    assert asked == [] and set(rows(dialog)) == {"quantri", "trucban1"}


def test_a_locked_account_cannot_log_in_and_unlocking_lets_it_again(qtbot: QtBot, station: Station,
                                                                   vietnamese: object) -> None:
    dialog = opened(qtbot, station)
    dialog.table.selectRow(list(rows(dialog)).index("trucban1"))
    assert dialog.toggle_button.text() == "Khóa tài khoản"
    dialog.toggle_button.click()
    finished(qtbot, dialog)
    assert rows(dialog)["trucban1"][3] == "Đã khóa" and message(dialog) == "Đã khóa tài khoản trucban1."
    assert station.accounts.authenticate("trucban1", GOOD).outcome is Outcome.DISABLED
    assert dialog.selected_login() == "trucban1" and dialog.toggle_button.text() == "Mở khóa tài khoản"
    dialog.toggle_disabled("trucban1")
    finished(qtbot, dialog)
    assert rows(dialog)["trucban1"][3] == "Đang hoạt động"
    assert station.accounts.authenticate("trucban1", GOOD).outcome is Outcome.OK


def test_the_last_admin_can_be_neither_locked_nor_demoted(qtbot: QtBot, station: Station,
                                                          vietnamese: object) -> None:
    tool = opened(qtbot, station, open_guard())  # an admin acting who is not in the users table
    with qtbot.waitSignal(tool.failed, timeout=CALL_TIMEOUT_MS) as failed:
        tool.toggle_disabled("quantri")
    finished(qtbot, tool)
    assert failed.args == [LAST_ADMIN] and message(tool) == LAST_ADMIN
    assert rows(tool)["quantri"][3] == "Đang hoạt động"
    own = opened(qtbot, station)
    own.toggle_disabled("quantri")
    finished(qtbot, own)
    assert message(own) == "Không thể tự khóa tài khoản đang đăng nhập."
    own.change_role("quantri", Role.OFFICER)
    finished(qtbot, own)
    assert message(own) == LAST_ADMIN and rows(own)["quantri"][2] == "Quản trị viên"
    assert station.accounts.has_admin()


def test_a_role_change_and_a_new_full_name_reach_the_database(qtbot: QtBot, station: Station,
                                                              vietnamese: object) -> None:
    dialog = opened(qtbot, station)
    dialog.table.selectRow(list(rows(dialog)).index("trucban1"))
    assert dialog.role_choice.currentText() == "Cán bộ trực ban"
    dialog.role_choice.setCurrentIndex(dialog.role_choice.findText("Quản trị viên"))
    dialog.role_button.click()
    finished(qtbot, dialog)
    assert message(dialog) == "Vai trò của trucban1 nay là Quản trị viên."
    dialog.rename("trucban1", "  Nguyễn  Văn An   Hai ")
    finished(qtbot, dialog)
    assert rows(dialog)["trucban1"][1:3] == ["Nguyễn Văn An Hai", "Quản trị viên"]
    stored = {a.login: a for a in station.accounts.accounts()}["trucban1"]
    assert (stored.role, stored.full_name) == (Role.ADMIN, "Nguyễn Văn An Hai")
    assert [e.details["change"] for e in station.audit if e.action == AuditAction.USER_CHANGED] == [
        "role", "full_name"]


def test_a_reset_password_works_and_the_old_one_no_longer_does(qtbot: QtBot, station: Station,
                                                               vietnamese: object) -> None:
    dialog = opened(qtbot, station)
    with qtbot.waitSignal(dialog.changed, timeout=CALL_TIMEOUT_MS):
        dialog.reset_password("trucban1", NEW, NEW)
    finished(qtbot, dialog)
    assert message(dialog) == "Đã đặt lại mật khẩu của trucban1."
    assert station.accounts.authenticate("trucban1", NEW).outcome is Outcome.OK
    assert station.accounts.authenticate("trucban1", GOOD).outcome is Outcome.WRONG


def test_an_officer_is_refused_every_change_audited_and_nothing_changes(qtbot: QtBot, station: Station,
                                                                        vietnamese: object) -> None:
    before = station.accounts.accounts()
    dialog = opened(qtbot, station, station.officer_guard)
    attempts: tuple[Callable[[], bool], ...] = (
        lambda: dialog.add_user("trucban2", "Lê Văn Cường", Role.ADMIN, NEW, NEW),
        lambda: dialog.toggle_disabled("quantri"),
        lambda: dialog.change_role("trucban1", Role.ADMIN),
        lambda: dialog.rename("quantri", "Người Khác"),
        lambda: dialog.reset_password("quantri", NEW, NEW))
    shown: list[str] = []
    dialog.failed.connect(shown.append)
    for attempt in attempts:
        assert attempt()
        finished(qtbot, dialog)
        assert message(dialog) == REFUSED_TO_OFFICER
    assert shown == [REFUSED_TO_OFFICER] * len(attempts)
    refused = [e for e in station.audit if e.action == AuditAction.ACTION_REFUSED]
    assert len(refused) == len(attempts) and len(station.audit) == len(attempts)
    assert {e.user for e in refused} == {"trucban1"}
    assert station.accounts.accounts() == before
    assert station.accounts.authenticate("quantri", GOOD).outcome is Outcome.OK


def test_own_password_refuses_a_wrong_current_one_and_changes_with_the_right_one(
        qtbot: QtBot, station: Station, vietnamese: object) -> None:
    dialog = ChangePasswordDialog(station.accounts, station.officer)
    qtbot.addWidget(dialog)
    dialog.show()
    with qtbot.waitSignal(dialog.failed, timeout=CALL_TIMEOUT_MS) as failed:
        assert dialog.change(WRONG, NEW, NEW)
    finished(qtbot, dialog)
    assert failed.args == ["Mật khẩu hiện tại không đúng."] and message(dialog) == "Mật khẩu hiện tại không đúng."
    assert not dialog.change(GOOD, NEW, GOOD) and message(dialog) == "Mật khẩu nhập lại không khớp."
    for name, text in (("currentPassword", GOOD), ("newPassword", NEW), ("newPasswordAgain", NEW)):
        field = dialog.findChild(QLineEdit, name)
        assert field is not None
        qtbot.keyClicks(field, text)
    dialog.change_button.click()
    no_password_in(dialog)  # handed to the worker: the fields are empty at once
    finished(qtbot, dialog)
    assert message(dialog) == "Đã đổi mật khẩu."
    assert station.accounts.authenticate("trucban1", NEW).outcome is Outcome.OK
    assert station.accounts.authenticate("trucban1", GOOD).outcome is Outcome.WRONG
    no_password_in(dialog)
    assert [field.text() for field in dialog.findChildren(QLineEdit)] == ["", "", ""]


def test_the_forms_leave_no_password_in_a_widget_or_the_audit_trail(qtbot: QtBot, station: Station,
                                                                    vietnamese: object) -> None:
    dialog = opened(qtbot, station)
    dialog.add_button.click()
    form = dialog.findChild(AddUserForm)
    assert form is not None and form.isVisible() and form.windowTitle() == "Thêm người dùng"
    qtbot.keyClicks(form.login, "trucban2")
    form.full_name.setText("Lê Văn Cường")  # QTest types ASCII only
    qtbot.keyClicks(form.password, NEW)
    qtbot.keyClicks(form.confirm, GOOD)
    form.ok_button.click()
    assert form.isVisible() and form.message.text() == "Mật khẩu nhập lại không khớp."
    no_password_in(form)
    qtbot.keyClicks(form.password, NEW)
    qtbot.keyClicks(form.confirm, NEW)
    form.ok_button.click()
    no_password_in(form)
    qtbot.waitUntil(lambda: dialog.findChild(AddUserForm) is None, timeout=CALL_TIMEOUT_MS)  # closed once added
    assert "trucban2" in rows(dialog) and station.accounts.authenticate("trucban2", NEW).outcome is Outcome.OK

    dialog.reset_button.click()  # the new user is selected
    reset = dialog.findChild(ResetPasswordForm)
    assert reset is not None and reset.account_login == "trucban2"
    qtbot.keyClicks(reset.password, GOOD)
    qtbot.keyClicks(reset.confirm, GOOD)
    reset.ok_button.click()
    qtbot.waitUntil(lambda: dialog.findChild(ResetPasswordForm) is None, timeout=CALL_TIMEOUT_MS)
    assert station.accounts.authenticate("trucban2", GOOD).outcome is Outcome.OK
    no_password_in(dialog)
    table_texts = [t for row in rows(dialog).values() for t in row]
    assert not any(p in t for p in PASSWORDS for t in table_texts)
    changes = [e.details["change"] for e in station.audit if e.action == AuditAction.USER_CHANGED]
    assert changes == ["added", "password_reset"]
    assert not any(p in str(station.audit) for p in PASSWORDS)
