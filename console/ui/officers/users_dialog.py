"""*Người dùng*: the admin's editor of the console's users — add, role, full name, lock and unlock, password
reset. Users are never deleted (the audit trail keeps their names). Every change runs off the GUI thread (a
password hash takes ~0.15 s) and the list is read again in the same call; the service decides and audits."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from console.core.users import Role
from console.officers.accounts import MIN_PASSWORD_CHARS, Account, AccountError, Accounts
from console.officers.guard import ActionRefusedError, Guard
from console.ui.shell.i18n import ui_lang
from console.ui.widgets.background import BackgroundCall
from console.ui.widgets.password_field import forget, password_field

COLUMNS = 5  # login, full name, role, state, password
ROLES = (Role.OFFICER, Role.ADMIN)


@dataclass(frozen=True)
class _Reply:
    """What a background call hands back: the users as they are now, and the service's refusal if any."""

    accounts: tuple[Account, ...]
    refusal: AccountError | ActionRefusedError | None = None


Change = Callable[[Accounts, Guard], object]


def _attempt(accounts: Accounts, guard: Guard, change: Change | None) -> _Reply:
    """Runs on the worker: the change (None: only read), then the list. A refusal is an answer, not a fault:
    it is returned (not logged with a traceback), and its frames, which hold the password, are dropped."""
    refusal: AccountError | ActionRefusedError | None = None
    if change is not None:
        try:
            change(accounts, guard)
        except (AccountError, ActionRefusedError) as exc:
            refusal = exc.with_traceback(None)
    return _Reply(tuple(accounts.accounts()), refusal)


class UsersDialog(QDialog):
    """`changed` after a change the service made; `failed(message)` with the sentence shown when it did not."""

    changed = Signal()
    failed = Signal(str)

    def __init__(self, accounts: Accounts, guard: Guard, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("usersDialog")
        self.setWindowTitle(self.tr("Users"))
        self.setMinimumWidth(760)
        self.accounts, self.guard = accounts, guard
        self._rows: tuple[Account, ...] = ()
        self._busy = False
        self._success = ""  # what the running change says when it is made; "" while only reading
        self._select = ""  # the login to select once the list is read again
        self._call = BackgroundCall(self)
        self._call.done.connect(self._finished)

        self.table = QTableWidget(0, COLUMNS, self)
        self.table.setObjectName("usersTable")
        self.table.setHorizontalHeaderLabels([self.tr("User name"), self.tr("Full name"), self.tr("Role"),
                                              self.tr("State"), self.tr("Password")])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.itemSelectionChanged.connect(self._selection_changed)

        self.add_button = self._button("addUser", self.tr("Add user…"), self._open_add)
        self.role_choice = QComboBox(self)
        self.role_choice.setObjectName("roleChoice")
        for role in ROLES:
            self.role_choice.addItem(self.role_label(role), role.value)
        self.role_button = self._button("changeRole", self.tr("Change role"), self._change_role_clicked)
        self.rename_button = self._button("renameUser", self.tr("Edit full name…"), self._open_rename)
        self.toggle_button = self._button("toggleDisabled", self.tr("Lock account"), self._toggle_clicked)
        self.reset_button = self._button("resetPassword", self.tr("Reset password…"), self._open_reset)
        actions = QHBoxLayout()
        for widget in (self.add_button, self.role_choice, self.role_button, self.rename_button,
                       self.toggle_button, self.reset_button):
            actions.addWidget(widget)
        actions.addStretch(1)

        self.message = QLabel(self)
        self.message.setObjectName("usersMessage")
        self.message.setWordWrap(True)
        buttons = QDialogButtonBox(self)
        buttons.addButton(self.tr("Close"), QDialogButtonBox.ButtonRole.RejectRole)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addLayout(actions)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        self._start(None, "", self.tr("Reading the users…"))

    def _button(self, name: str, text: str, slot: Callable[[], None]) -> QPushButton:
        button = QPushButton(text, self)
        button.setObjectName(name)
        button.clicked.connect(slot)
        return button

    # Words -------------------------------------------------------------------------------------------------

    def role_label(self, role: Role) -> str:
        return self.tr("Duty officer") if role is Role.OFFICER else self.tr("Administrator")

    def _state_label(self, account: Account) -> str:
        return self.tr("Locked") if account.disabled else self.tr("Active")

    def _password_label(self, account: Account) -> str:
        return self.tr("Set") if account.has_password else self.tr("No password yet")

    # What tests and the buttons call -----------------------------------------------------------------------

    def is_busy(self) -> bool:
        return self._busy

    def selected_login(self) -> str:
        rows = self.table.selectionModel().selectedRows()
        return self._rows[rows[0].row()].login if rows else ""

    def add_user(self, login: str, full_name: str, role: Role, password: str, confirm: str) -> bool:
        """Start adding a user; False (and `failed`) when refused before asking the service."""
        if password != confirm:
            return self._refuse(self.tr("The repeated password does not match."))
        name = login.strip().lower()
        return self._start(lambda accounts, guard: accounts.add(guard, login, full_name, role, password),
                           self.tr("User {login} added.").format(login=name), select=name)

    def toggle_disabled(self, login: str) -> bool:
        """Lock an active account, unlock a locked one."""
        account = self._account(login)
        if account is None:
            return self._refuse(self.tr("There is no user {login}.").format(login=login))
        lock = not account.disabled
        done = (self.tr("Account {login} locked.") if lock else self.tr("Account {login} unlocked.")).format(
            login=login)
        return self._start(lambda accounts, guard: accounts.set_disabled(guard, login, lock), done)

    def change_role(self, login: str, role: Role) -> bool:
        return self._start(lambda accounts, guard: accounts.set_role(guard, login, role),
                           self.tr("The role of {login} is now {role}.").format(login=login,
                                                                                role=self.role_label(role)))

    def rename(self, login: str, full_name: str) -> bool:
        return self._start(lambda accounts, guard: accounts.set_full_name(guard, login, full_name),
                           self.tr("Full name of {login} changed.").format(login=login))

    def reset_password(self, login: str, password: str, confirm: str) -> bool:
        if password != confirm:
            return self._refuse(self.tr("The repeated password does not match."))
        return self._start(lambda accounts, guard: accounts.reset_password(guard, login, password),
                           self.tr("Password of {login} reset.").format(login=login))

    # Running -----------------------------------------------------------------------------------------------

    def _refuse(self, text: str) -> bool:
        self.message.setText(text)
        self.failed.emit(text)
        return False

    def _start(self, change: Change | None, success: str, working: str = "",
               select: str = "") -> bool:
        if self._busy:
            return self._refuse(self.tr("Wait: the previous change is still being saved."))
        self._busy, self._success = True, success
        self._select = select or self.selected_login()
        self._enable()
        self.message.setText(working or self.tr("Saving…"))
        accounts, guard = self.accounts, self.guard  # the worker never touches the dialog
        self._call.start(lambda: _attempt(accounts, guard, change), "users editor")
        return True

    def _finished(self, outcome: object) -> None:
        success, self._success = self._success, ""
        self._busy = False
        if not isinstance(outcome, _Reply):  # the database failed; the worker logged why
            self._enable()
            self._refuse(self.tr("The users could not be read or saved. The details are in the console's log file."))
            return
        self._fill(outcome.accounts)
        if outcome.refusal is not None:
            self._refuse(outcome.refusal.message(ui_lang()))
        elif success:
            self.message.setText(success)
            self.changed.emit()
        else:
            self.message.clear()

    def _fill(self, accounts: tuple[Account, ...]) -> None:
        select, self._select = self._select, ""
        self._rows = accounts
        self.table.setRowCount(len(accounts))
        for row, account in enumerate(accounts):
            texts = (account.login, account.full_name, self.role_label(account.role), self._state_label(account),
                     self._password_label(account))
            for column, text in enumerate(texts):
                self.table.setItem(row, column, QTableWidgetItem(text))
            if account.login == select:
                self.table.selectRow(row)
        if not any(a.login == select for a in accounts):
            self.table.clearSelection()
        self._enable()

    def _account(self, login: str) -> Account | None:
        return next((a for a in self._rows if a.login == login), None)

    # Buttons -----------------------------------------------------------------------------------------------

    def _selection_changed(self) -> None:
        account = self._account(self.selected_login())
        if account is not None:
            self.role_choice.setCurrentIndex(ROLES.index(account.role))
        self._enable()

    def _enable(self) -> None:
        account = self._account(self.selected_login())
        chosen = account is not None and not self._busy
        self.add_button.setEnabled(not self._busy)
        for widget in (self.role_choice, self.role_button, self.rename_button, self.toggle_button,
                       self.reset_button):
            widget.setEnabled(chosen)
        self.toggle_button.setText(self.tr("Unlock account") if account is not None and account.disabled
                                   else self.tr("Lock account"))

    def _open_add(self) -> None:
        AddUserForm(self).open()

    def _change_role_clicked(self) -> None:
        login = self.selected_login()
        if login:
            self.change_role(login, Role(self.role_choice.currentData()))

    def _open_rename(self) -> None:
        account = self._account(self.selected_login())
        if account is not None:
            RenameForm(self, account).open()

    def _toggle_clicked(self) -> None:
        login = self.selected_login()
        if login:
            self.toggle_disabled(login)

    def _open_reset(self) -> None:
        login = self.selected_login()
        if login:
            ResetPasswordForm(self, login).open()


class _SubForm(QDialog):
    """A small form over the users editor: closes when the change it asked for is made, else shows why and
    stays. Passwords are cleared as soon as they are handed over, and when the form closes."""

    def __init__(self, users: UsersDialog) -> None:
        super().__init__(users)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)  # done() honours it as close() does
        self.users = users
        self.passwords: list[QLineEdit] = []
        self._closed = False
        self.form = QFormLayout()
        self.message = QLabel(self)
        self.message.setObjectName("formMessage")
        self.message.setWordWrap(True)
        self.buttons = QDialogButtonBox(self)
        self.buttons.accepted.connect(self._submit)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        users.changed.connect(self._made)
        users.failed.connect(self._refused)

    def _add_buttons(self, ok: str, cancel: str) -> None:
        self.ok_button = self.buttons.addButton(ok, QDialogButtonBox.ButtonRole.AcceptRole)
        self.ok_button.setObjectName("submit")
        self.buttons.addButton(cancel, QDialogButtonBox.ButtonRole.RejectRole)

    def _submit(self) -> None:
        started = self.send()
        for field in self.passwords:
            forget(field)
        if started:
            self.ok_button.setEnabled(False)

    def send(self) -> bool:
        raise NotImplementedError

    def _made(self) -> None:
        self.accept()

    def _refused(self, text: str) -> None:
        self.message.setText(text)
        self.ok_button.setEnabled(True)

    def done(self, result: int) -> None:
        for field in self.passwords:
            forget(field)
        if self._closed:
            return
        self._closed = True
        self.users.changed.disconnect(self._made)
        self.users.failed.disconnect(self._refused)
        super().done(result)


class AddUserForm(_SubForm):
    def __init__(self, users: UsersDialog) -> None:
        super().__init__(users)
        self.setObjectName("addUserForm")
        self.setWindowTitle(self.tr("Add user"))
        self.login = QLineEdit(self)
        self.login.setObjectName("newLogin")
        self.full_name = QLineEdit(self)
        self.full_name.setObjectName("newFullName")
        self.role = QComboBox(self)
        self.role.setObjectName("newRole")
        for role in ROLES:
            self.role.addItem(users.role_label(role), role.value)
        self.password = password_field("newPassword", self)
        self.password.setPlaceholderText(self.tr("At least {count} characters").format(count=MIN_PASSWORD_CHARS))
        self.confirm = password_field("newPasswordAgain", self)
        self.passwords = [self.password, self.confirm]
        self.form.addRow(self.tr("User name"), self.login)
        self.form.addRow(self.tr("Full name"), self.full_name)
        self.form.addRow(self.tr("Role"), self.role)
        self.form.addRow(self.tr("Password"), self.password)
        self.form.addRow(self.tr("Repeat the password"), self.confirm)
        self._add_buttons(self.tr("Add user"), self.tr("Cancel"))

    def send(self) -> bool:
        return self.users.add_user(self.login.text(), self.full_name.text(), Role(self.role.currentData()),
                                   self.password.text(), self.confirm.text())


class RenameForm(_SubForm):
    def __init__(self, users: UsersDialog, account: Account) -> None:
        super().__init__(users)
        self.setObjectName("renameForm")
        self.setWindowTitle(self.tr("Edit full name"))
        self.account_login = account.login
        self.full_name = QLineEdit(account.full_name, self)
        self.full_name.setObjectName("fullName")
        self.form.addRow(self.tr("User name"), QLabel(account.login, self))
        self.form.addRow(self.tr("Full name"), self.full_name)
        self._add_buttons(self.tr("Save"), self.tr("Cancel"))

    def send(self) -> bool:
        return self.users.rename(self.account_login, self.full_name.text())


class ResetPasswordForm(_SubForm):
    def __init__(self, users: UsersDialog, login: str) -> None:
        super().__init__(users)
        self.setObjectName("resetPasswordForm")
        self.setWindowTitle(self.tr("Reset password"))
        self.account_login = login
        self.password = password_field("resetPassword", self)
        self.password.setPlaceholderText(self.tr("At least {count} characters").format(count=MIN_PASSWORD_CHARS))
        self.confirm = password_field("resetPasswordAgain", self)
        self.passwords = [self.password, self.confirm]
        self.form.addRow(self.tr("User name"), QLabel(login, self))
        self.form.addRow(self.tr("New password"), self.password)
        self.form.addRow(self.tr("Repeat the password"), self.confirm)
        self._add_buttons(self.tr("Reset password"), self.tr("Cancel"))

    def send(self) -> bool:
        return self.users.reset_password(self.account_login, self.password.text(), self.confirm.text())

