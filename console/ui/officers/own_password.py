"""*Đổi mật khẩu*: any user changes their own password, the current one asked again (the desk may have changed
hands); the check and the new hash run off the GUI thread (PBKDF2 takes ~0.15 s each)."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QVBoxLayout, QWidget

from console.core.users import User
from console.officers.accounts import MIN_PASSWORD_CHARS, AccountError, Accounts
from console.ui.shell.i18n import ui_lang
from console.ui.widgets.background import BackgroundCall
from console.ui.widgets.password_field import forget, password_field


@dataclass(frozen=True)
class _Refusal:
    """The service said no (a wrong current password, a short new one): an answer, not a fault to log."""

    error: AccountError


def _change(accounts: Accounts, user: User, old: str, new: str) -> _Refusal | None:
    try:
        accounts.change_own_password(user, old, new)
    except AccountError as exc:
        return _Refusal(exc.with_traceback(None))  # its frames hold both passwords
    return None


class ChangePasswordDialog(QDialog):
    """`changed` once the new password is stored; `failed(message)` with the sentence shown otherwise."""

    changed = Signal()
    failed = Signal(str)

    def __init__(self, accounts: Accounts, user: User, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("ownPasswordDialog")
        self.setWindowTitle(self.tr("Change password"))
        self.setMinimumWidth(420)
        self.accounts, self.user = accounts, user
        self._busy = False
        self._call = BackgroundCall(self)
        self._call.done.connect(self._finished)
        self.current = password_field("currentPassword", self)
        self.new = password_field("newPassword", self)
        self.new.setPlaceholderText(self.tr("At least {count} characters").format(count=MIN_PASSWORD_CHARS))
        self.confirm = password_field("newPasswordAgain", self)
        form = QFormLayout()
        form.addRow(self.tr("Account"), QLabel(f"{user.full_name} ({user.login})", self))
        form.addRow(self.tr("Current password"), self.current)
        form.addRow(self.tr("New password"), self.new)
        form.addRow(self.tr("Repeat the new password"), self.confirm)
        self.message = QLabel(self)
        self.message.setObjectName("ownPasswordMessage")
        self.message.setWordWrap(True)
        buttons = QDialogButtonBox(self)
        self.change_button = buttons.addButton(self.tr("Change password"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.change_button.setObjectName("changePassword")
        buttons.addButton(self.tr("Close"), QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self._submit)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(buttons)

    def is_busy(self) -> bool:
        return self._busy

    def change(self, old: str, new: str, confirm: str) -> bool:
        """Start the change; False (and `failed`) when refused before asking the service."""
        if self._busy:
            return self._refuse(self.tr("Wait: the password is still being changed."))
        if new != confirm:
            return self._refuse(self.tr("The repeated password does not match."))
        if new == old:
            return self._refuse(self.tr("The new password must differ from the current one."))
        self._busy = True
        self.change_button.setEnabled(False)
        self.message.setText(self.tr("Changing the password…"))
        accounts, user = self.accounts, self.user
        self._call.start(lambda: _change(accounts, user, old, new), "own password")
        return True

    def _submit(self) -> None:
        old, new, confirm = self.current.text(), self.new.text(), self.confirm.text()
        self._clear()
        self.change(old, new, confirm)

    def _clear(self) -> None:
        for field in (self.current, self.new, self.confirm):
            forget(field)

    def _refuse(self, text: str) -> bool:
        self.message.setText(text)
        self.failed.emit(text)
        return False

    def _finished(self, outcome: object) -> None:
        self._busy = False
        self.change_button.setEnabled(True)
        if isinstance(outcome, _Refusal):
            self._refuse(outcome.error.message(ui_lang()))
        elif outcome is not None:  # the database failed; the worker logged why
            self._refuse(self.tr("The password could not be changed. The details are in the console's log file."))
        else:
            self.message.setText(self.tr("Password changed."))
            self.changed.emit()

    def done(self, result: int) -> None:
        self._clear()
        super().done(result)
