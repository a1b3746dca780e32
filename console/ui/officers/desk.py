"""The desk: who is on duty at this main window. It puts the lock screen up at start, on *Khóa màn hình*
(Ctrl+L), after the idle minutes and for *Giao ca*; checks passwords off the GUI thread (PBKDF2 takes ~0.15 s);
keeps the window's actions off while nobody is logged in; and builds the *Ca trực* menu. The wall, recording and
alerts never stop for any of it. The decisions are `console.officers` (Duty, Accounts, Guard).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import QApplication, QMainWindow, QMenu, QWidget

from console.audit.actions import AuditEntry
from console.core.login_settings import LoginSettings
from console.core.users import User
from console.core.vntime import now_ms
from console.officers.accounts import AccountError, Accounts, LoginResult, Outcome
from console.officers.audit_access import AuditAccess
from console.officers.duty import Change, Duty, Shift
from console.officers.guard import ActionRefusedError, Guard, Officers
from console.officers.roles import Permission
from console.ui.alerts.panel import AlertPanel
from console.ui.officers.lock_screen import LockScreen, Mode, Shade
from console.ui.shell.i18n import ui_lang
from console.ui.widgets.background import BackgroundCall
from console.ui.widgets.overrides import qt_override

log = logging.getLogger(__name__)

LOCK_SHORTCUT = "Ctrl+L"
_INPUT_EVENTS = frozenset({QEvent.Type.MouseButtonPress, QEvent.Type.MouseMove, QEvent.Type.KeyPress,
                           QEvent.Type.Wheel, QEvent.Type.TouchBegin})
MS_PER_MIN = 60_000


class IdleWatch(QObject):
    """Fires `idle` after `minutes` without a key, click, mouse move or wheel anywhere in the application."""

    idle = Signal()

    def __init__(self, minutes: float, parent: QObject) -> None:
        super().__init__(parent)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(max(1, round(minutes * MS_PER_MIN)))
        self._timer.timeout.connect(self.idle)
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)

    def start(self) -> None:
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()

    @qt_override
    def eventFilter(self, _watched: QObject, event: QEvent) -> bool:
        if event.type() in _INPUT_EVENTS and self._timer.isActive():
            self._timer.start()  # restarts the countdown
        return False


class Desk(QObject):
    """`shift_handed(ended, taking_over)` after *Giao ca* (the window offers the handover report of `ended`);
    `changed` after every login, lock, unlock and shift change."""

    shift_handed = Signal(object, object)
    changed = Signal()

    def __init__(self, window: QMainWindow, accounts: Accounts, duty: Duty, guard: Guard,
                 settings: LoginSettings, *, demo_user: User | None = None, alerts: AlertPanel | None = None,
                 audit: Callable[[AuditEntry], None] | None = None, cameras: Sequence[str] = ()) -> None:
        super().__init__(window)
        self.accounts = accounts
        self.duty = duty
        self.guard = guard
        self.settings = settings
        self.screen = LockScreen(window, see_through=settings.wall_visible_when_locked)
        self.screen.submitted.connect(self._check)
        self.screen.admin_submitted.connect(self._create_admin)
        self.screen.cancelled.connect(self._cancel_shift)
        self._checker = BackgroundCall(self)
        self._checker.done.connect(self._checked)
        self._pending: Mode | None = None
        self._disabled: list[QAction | QShortcut] = []
        self._shade: Shade | None = None
        self.menu_actions: dict[str, QAction] = {}
        self.dialogs: dict[str, QWidget] = {}  # the last users/password dialog opened (tests read them)
        self.idle = IdleWatch(settings.lock_after_idle_min, self) if settings.lock_after_idle_min > 0 else None
        if self.idle is not None:
            self.idle.idle.connect(lambda: self.lock(idle=True))
        listener = self._duty_changed
        duty.listeners.append(listener)
        # The Duty outlives a rebuilt window (app.py); this desk stops listening when its window goes.
        self.destroyed.connect(lambda: duty.listeners.remove(listener) if listener in duty.listeners else None)
        self._demo_user = demo_user
        self._alerts = alerts
        self._audit = audit
        self._cameras = tuple(cameras)
        self.handover: QWidget | None = None
        self.shift_handed.connect(self._offer_handover)

    @property
    def _window(self) -> QMainWindow:
        window = self.parent()
        assert isinstance(window, QMainWindow)
        return window

    # Start -------------------------------------------------------------------------------------------------

    def install(self) -> None:
        """The *Ca trực* menu after *Hệ thống*, then the login (or the demo's user)."""
        window = self._window
        menu = QMenu(self.tr("&Duty"), window)
        bar = window.menuBar()
        actions = bar.actions()
        if len(actions) > 1:
            bar.insertMenu(actions[1], menu)
        else:
            bar.addMenu(menu)
        self.build_menu(menu)
        self.start()

    def start(self) -> None:
        """The console opens on the login (the demo: logged in as its own demo user, nothing to type)."""
        if self.duty.user is not None:  # the wall was rebuilt from a changed site file: still logged in
            self._duty_changed(Change.UNLOCK)
            return
        if self._demo_user is not None:
            self.duty.login(self._demo_user)
            return
        self._hold_actions()
        if not self.accounts.has_admin():
            self.screen.show_mode(Mode.FIRST_ADMIN)
        else:
            self.screen.show_mode(Mode.LOGIN)

    def build_menu(self, menu: QMenu) -> None:
        entries: tuple[tuple[str, str, Callable[[], None], str | None], ...] = (
            ("lock", self.tr("Lock the screen"), self.lock, LOCK_SHORTCUT),
            ("shift", self.tr("Shift change…"), self.change_shift, None),
            ("logout", self.tr("Log out"), self.logout, None),
            ("password", self.tr("Change my password…"), self.change_password, None),
            ("users", self.tr("Users…"), self.open_users, None),
            ("audit", self.tr("Audit trail…"), self.open_audit, None),
        )
        for key, text, slot, shortcut in entries:
            action = QAction(text, self._window)
            if shortcut:
                action.setShortcut(QKeySequence(shortcut))
            action.triggered.connect(slot)
            menu.addAction(action)
            self._window.addAction(action)  # the shortcut works in full screen too
            self.menu_actions[key] = action
        menu.aboutToShow.connect(self._fill_menu)

    def _fill_menu(self) -> None:
        self.menu_actions["users"].setVisible(self.guard.may(Permission.MANAGE_USERS))
        self.menu_actions["audit"].setVisible(self.guard.may(Permission.VIEW_AUDIT))
        self.menu_actions["password"].setEnabled(self.duty.user is not None and self._demo_user is None)

    # Gestures ----------------------------------------------------------------------------------------------

    def lock(self, *, idle: bool = False) -> None:
        if self.duty.user is None:
            return
        self.duty.lock(idle=idle)

    def change_shift(self) -> None:
        on_duty = self.duty.on_duty
        if on_duty is None or self.duty.locked:
            return
        self._hold_actions()
        self.screen.show_mode(Mode.SHIFT, on_duty.full_name)

    def logout(self) -> None:
        if self.duty.user is not None:
            self.duty.logout()

    def change_password(self) -> None:
        from console.ui.officers.own_password import ChangePasswordDialog

        user = self.duty.user
        if user is None or self._demo_user is not None:
            return
        dialog = ChangePasswordDialog(self.accounts, user, self._window)
        self.dialogs["password"] = dialog
        dialog.open()

    def open_users(self) -> None:
        from console.ui.officers.users_dialog import UsersDialog

        if not self._allowed(Permission.MANAGE_USERS):
            return
        dialog = UsersDialog(self.accounts, self.guard, self._window)
        self.dialogs["users"] = dialog
        dialog.open()

    def open_audit(self) -> None:
        """*Nhật ký thao tác* (admins): the trail filtered and exported; each export is itself a row of it."""
        from console.ui.audit.log_window import AuditLogWindow

        if not self._allowed(Permission.VIEW_AUDIT):
            return
        window = AuditLogWindow(self.accounts.db_path, self._cameras, self._window,
                                access=AuditAccess(Officers(self.guard, self._audit)))
        self.dialogs["audit"] = window
        window.open()

    def _allowed(self, permission: Permission) -> bool:
        """The guard's answer; a refusal (audited by the guard) is said in the status bar."""
        try:
            self.guard.require(permission)
        except ActionRefusedError as exc:
            self._window.statusBar().showMessage(exc.message(ui_lang()), 10_000)
            return False
        return True

    # Checking ----------------------------------------------------------------------------------------------

    def _check(self, login: str, password: str) -> None:
        demo = self._demo_user
        if demo is not None and login.strip().lower() == demo.login:  # the demo's own user has no password
            self._pending = self.screen.mode
            self._checked(LoginResult(Outcome.OK, demo))
            return
        if not login.strip() or not password:
            self.screen.say(self.tr("Enter your user name and password."))
            return
        self._pending = self.screen.mode
        self.screen.set_busy(True)
        accounts = self.accounts
        self._checker.start(lambda: accounts.authenticate(login, password), "login-check")

    def _create_admin(self, login: str, full_name: str, password: str, repeat: str) -> None:
        if password != repeat:
            self.screen.clear_passwords()
            self.screen.say(self.tr("The two passwords differ."))
            return
        self._pending = Mode.FIRST_ADMIN
        self.screen.set_busy(True)
        accounts = self.accounts
        self._checker.start(lambda: accounts.create_first_admin(login, full_name, password), "first-admin")

    def _checked(self, outcome: object) -> None:
        mode, self._pending = self._pending, None
        self.screen.set_busy(False)
        self.screen.clear_passwords()
        if isinstance(outcome, AccountError):
            self.screen.say(outcome.message(ui_lang()))
            return
        if isinstance(outcome, User) and mode is Mode.FIRST_ADMIN:
            self.duty.login(outcome)
            return
        if not isinstance(outcome, LoginResult):
            log.error("the login check failed: %s", type(outcome).__name__)
            self.screen.say(self.tr("The login could not be checked: the console's database is not readable."))
            return
        if outcome.outcome is not Outcome.OK or outcome.user is None:
            self.screen.say(outcome.message(ui_lang()))
            return
        if mode is Mode.SHIFT:
            ended = self.duty.take_over(outcome.user)
            if ended is not None:
                self.shift_handed.emit(ended, outcome.user)
        elif mode is Mode.LOCKED:
            before = self.duty.on_duty
            self.duty.unlock(outcome.user)
            if before is not None and before.login != outcome.user.login and self.duty.previous is not None:
                self.shift_handed.emit(self.duty.previous, outcome.user)
        else:
            self.duty.login(outcome.user)

    def _cancel_shift(self) -> None:
        if self.screen.mode is Mode.SHIFT and self._pending is None:
            self.screen.hide()
            self._release_actions()

    # State -------------------------------------------------------------------------------------------------

    def _duty_changed(self, change: Change) -> None:
        on_duty = self.duty.on_duty
        if change in (Change.LOGIN, Change.UNLOCK, Change.SHIFT):
            self.screen.hide()
            self.screen.clear_passwords()
            self._release_actions()
            if self.idle is not None:
                self.idle.start()
        elif change is Change.LOCK:
            self._hold_actions()
            self.screen.show_mode(Mode.LOCKED, on_duty.full_name if on_duty else "",
                                  on_duty.login if on_duty else "")
        elif change is Change.LOGOUT:
            self._hold_actions()
            self.screen.show_mode(Mode.LOGIN)
        if change in (Change.LOCK, Change.LOGOUT) and self.idle is not None:
            self.idle.stop()
        self._window.statusBar().showMessage(self._duty_text(), 10_000)
        if self._alerts is not None:
            self._alerts.show_on_duty(on_duty, self.duty.shift.started_ms if self.duty.shift is not None else None)
        self.changed.emit()

    def _offer_handover(self, ended: Shift, taking_over: User) -> None:
        """The report of the shift that ended: who handed over, who took over and when, all from the logins."""
        if self._alerts is not None:
            end = ended.ended_ms if ended.ended_ms is not None else now_ms()
            self.handover = self._alerts.offer_handover((ended.started_ms, end), ended.user.full_name,
                                                        taking_over.full_name)

    def _duty_text(self) -> str:
        user = self.duty.on_duty
        if user is None:
            return self.tr("Nobody is logged in.")
        if self.duty.locked:
            return self.tr("Screen locked ({name} on duty).").format(name=user.full_name)
        return self.tr("On duty: {name}").format(name=user.full_name)

    def _hold_actions(self) -> None:
        """Every window action and shortcut off while the lock screen is up (the alarm list's Enter would take the
        login's Return); the wall keeps running."""
        if self._disabled:
            return
        window = self._window
        wall_window = getattr(window, "wall_window", None)  # the wall on its own monitor, if detached
        if isinstance(wall_window, QWidget):
            self._shade = Shade(wall_window, see_through=self.settings.wall_visible_when_locked)
            self._shade.show()
            self._shade.raise_()
        window.menuBar().setEnabled(False)
        actions: list[QAction | QShortcut] = [*window.findChildren(QAction), *window.findChildren(QShortcut)]
        self._disabled = [a for a in actions if a.isEnabled()]
        for action in self._disabled:
            action.setEnabled(False)

    def _release_actions(self) -> None:
        if self._shade is not None:
            self._shade.hide()
            self._shade.deleteLater()
            self._shade = None
        self._window.menuBar().setEnabled(True)
        for action in self._disabled:
            action.setEnabled(True)
        self._disabled = []
