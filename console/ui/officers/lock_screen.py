"""*Đăng nhập* / *Khóa màn hình*: a screen over the whole main window (menus, docks and wall) that takes every
click and key while nobody is logged in. Behind it the wall goes on: visible (read-only) when the site file says
`wall_visible_when_locked = true`, else hidden by an opaque shade. It only collects what is typed; the login
controller (console/ui/officers/login_controller.py) decides.
"""

from __future__ import annotations

from enum import StrEnum

from PySide6.QtCore import QEvent, QObject, Signal
from PySide6.QtGui import QColor, QMouseEvent, QPainter, QPaintEvent, QShowEvent, QWheelEvent
from PySide6.QtWidgets import QFormLayout, QFrame, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from console.ui.widgets.overrides import qt_override
from console.ui.widgets.password_field import forget, password_field

SHADE_SEE_THROUGH = QColor(0, 0, 0, 110)
SHADE_OPAQUE = QColor("#1b2430")
CARD_WIDTH = 420


class Mode(StrEnum):
    FIRST_ADMIN = "first_admin"  # an installation without an admin: the technician creates one
    LOGIN = "login"  # nobody on duty
    LOCKED = "locked"  # the officer on duty locked the screen (or the idle timer did)
    SHIFT = "shift"  # *Giao ca*: the officer taking over logs in


_RESTACKS = frozenset({QEvent.Type.ChildAdded, QEvent.Type.LayoutRequest, QEvent.Type.ZOrderChange})


class Shade(QWidget):
    """A cover over a whole window that follows its size and takes every click: the wall behind shows through
    (darkened) when the site file allows it, else it is hidden. Alone it locks the wall's own window (a second
    monitor); the lock screen is a shade with the login card on it."""

    def __init__(self, window: QWidget, *, see_through: bool) -> None:
        super().__init__(window)
        self.setObjectName("lockShade")
        self.see_through = see_through
        window.installEventFilter(self)
        self.setGeometry(window.rect())

    def cover(self) -> None:
        parent = self.parentWidget()
        if parent is not None:
            self.setGeometry(parent.rect())

    @qt_override
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.parentWidget() and self.isVisible():
            if event.type() is QEvent.Type.Resize:
                self.cover()
                self.raise_()
            elif event.type() in _RESTACKS:  # a dock added or tabbed later must not come over the shade
                self.raise_()
        return False

    @qt_override
    def paintEvent(self, _event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), SHADE_SEE_THROUGH if self.see_through else SHADE_OPAQUE)
        painter.end()

    @qt_override
    def mousePressEvent(self, event: QMouseEvent) -> None:  # nothing behind the shade gets the click
        del event

    @qt_override
    def wheelEvent(self, event: QWheelEvent) -> None:
        del event


class LockScreen(Shade):
    """`submitted(login, password)` in LOGIN/LOCKED/SHIFT; `admin_submitted(login, full name, password, repeat)`
    in FIRST_ADMIN; `cancelled` when a shift change is called off."""

    submitted = Signal(str, str)
    admin_submitted = Signal(str, str, str, str)
    cancelled = Signal()

    def __init__(self, window: QWidget, *, see_through: bool) -> None:
        super().__init__(window, see_through=see_through)
        self.setObjectName("lockScreen")
        self.mode = Mode.LOGIN
        self.card = QFrame(self)
        self.card.setObjectName("loginCard")
        self.card.setFixedWidth(CARD_WIDTH)
        self.card.setAutoFillBackground(True)
        self.card.setFrameShape(QFrame.Shape.StyledPanel)
        self.title = QLabel(self.card)
        self.title.setObjectName("loginTitle")
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.4)
        font.setBold(True)
        self.title.setFont(font)
        self.hint = QLabel(self.card)
        self.hint.setObjectName("loginHint")
        self.hint.setWordWrap(True)
        self.login = QLineEdit(self.card)
        self.login.setObjectName("loginUser")
        self.full_name = QLineEdit(self.card)
        self.full_name.setObjectName("loginFullName")
        self.password = password_field("loginPassword", self.card)
        self.repeat = password_field("loginRepeat", self.card)
        self.message = QLabel(self.card)
        self.message.setObjectName("loginMessage")
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #b00020;")
        self.button = QPushButton(self.card)
        self.button.setObjectName("loginButton")
        self.button.setDefault(True)
        self.button.clicked.connect(self._submit)
        self.cancel = QPushButton(self.tr("Cancel"), self.card)
        self.cancel.setObjectName("loginCancel")
        self.cancel.clicked.connect(self.cancelled)
        for field in (self.login, self.full_name, self.password, self.repeat):
            field.returnPressed.connect(self._submit)
        self.form = QFormLayout()
        self.form.addRow(self.tr("User name"), self.login)
        self.form.addRow(self.tr("Full name"), self.full_name)
        self.form.addRow(self.tr("Password"), self.password)
        self.form.addRow(self.tr("Repeat the password"), self.repeat)
        layout = QVBoxLayout(self.card)
        layout.addWidget(self.title)
        layout.addWidget(self.hint)
        layout.addLayout(self.form)
        layout.addWidget(self.message)
        layout.addWidget(self.button)
        layout.addWidget(self.cancel)
        self.hide()

    # What the controller sets ----------------------------------------------------------------------------

    def show_mode(self, mode: Mode, on_duty: str = "", login: str = "") -> None:
        """Bring the screen up in `mode`; `on_duty` names the officer behind a lock, `login` fills the user."""
        self.mode = mode
        titles = {Mode.FIRST_ADMIN: self.tr("Create the administrator"), Mode.LOGIN: self.tr("Log in"),
                  Mode.LOCKED: self.tr("Screen locked"), Mode.SHIFT: self.tr("Shift change")}
        hints = {
            Mode.FIRST_ADMIN: self.tr("This installation has no administrator yet. The technician creates one "
                                      "now; officers are added afterwards in Duty → Users."),
            Mode.LOGIN: self.tr("Log in with your user name and password."),
            Mode.LOCKED: self.tr("{name} is on duty. Enter the password to unlock; another officer logging in "
                                 "takes over the shift.").format(name=on_duty),
            Mode.SHIFT: self.tr("The officer taking over from {name} logs in.").format(name=on_duty),
        }
        self.title.setText(titles[mode])
        self.hint.setText(hints[mode])
        first = mode is Mode.FIRST_ADMIN
        for field in (self.full_name, self.repeat):
            field.setVisible(first)
            label = self.form.labelForField(field)
            if label is not None:
                label.setVisible(first)
        self.button.setText(self.tr("Create and log in") if first else self.tr("Log in"))
        self.cancel.setVisible(mode is Mode.SHIFT)
        self.login.setText(login)
        self.full_name.clear()
        self.clear_passwords()
        self.message.clear()
        self.set_busy(False)
        self.cover()
        self.show()
        self.raise_()
        (self.password if login else self.login).setFocus()

    def say(self, text: str) -> None:
        self.message.setText(text)

    def set_busy(self, busy: bool) -> None:
        """While a password is being checked (off the GUI thread) the form waits."""
        for widget in (self.login, self.full_name, self.password, self.repeat, self.button):
            widget.setEnabled(not busy)
        if busy:
            self.message.setText(self.tr("Checking…"))

    def clear_passwords(self) -> None:
        forget(self.password)
        forget(self.repeat)

    # Mechanics -------------------------------------------------------------------------------------------

    def _submit(self) -> None:
        if not self.button.isEnabled():
            return
        if self.mode is Mode.FIRST_ADMIN:
            self.admin_submitted.emit(self.login.text(), self.full_name.text(), self.password.text(),
                                      self.repeat.text())
        else:
            self.submitted.emit(self.login.text(), self.password.text())

    @qt_override
    def showEvent(self, event: QShowEvent) -> None:
        """Typing goes to the form at once, also when the screen came up before its window was shown (at start)."""
        super().showEvent(event)
        (self.password if self.login.text() else self.login).setFocus()

    def cover(self) -> None:
        super().cover()
        self.card.adjustSize()
        self.card.move((self.width() - self.card.width()) // 2, max(0, (self.height() - self.card.height()) // 3))

