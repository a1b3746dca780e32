"""Second page: one user name and password for every ticked camera, tried on each; the table then says what
each camera is, or why it refused (in its row)."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtWidgets import (
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QWidget,
    QWizardPage,
)

from console.core.credentials import Credentials
from console.onboarding.devices import DeviceRow
from console.ui.onboarding.discover_page import busy_bar, device_view
from console.ui.onboarding.page_layout import page_layout
from console.ui.onboarding.session import WizardSession
from console.ui.onboarding.texts import onvif_error_text

DEFAULT_USER = "admin"  # Hikvision's and Dahua's first account


class CredentialsPage(QWizardPage):
    def __init__(self, session: WizardSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.setTitle(self.tr("User name and password"))
        self.setSubTitle(self.tr("One login for all the ticked cameras. It is kept in the credentials store, "
                                 "never in the site file or in a stream address."))
        self.user = QLineEdit(DEFAULT_USER, self)
        self.user.setObjectName("cameraUser")
        self.password = QLineEdit(self)
        self.password.setObjectName("cameraPassword")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.read_button = QPushButton(self.tr("Log in and read the cameras"), self)
        self.read_button.setObjectName("readCameras")
        self.read_button.clicked.connect(self.read)
        self.password.returnPressed.connect(self.read)
        self.busy = busy_bar(self)
        self.status = QLabel(self)
        self.status.setObjectName("readStatus")
        self.status.setWordWrap(True)
        self.table = device_view(session, self)
        session.devices.dataChanged.connect(self.completeChanged)
        form = QFormLayout()
        form.addRow(self.tr("User name"), self.user)
        form.addRow(self.tr("Password"), self.password)
        page_layout(self, form, self.read_button, self.busy, self.status, self.table)

    def _login(self) -> Credentials | None:
        user = self.user.text().strip()
        return Credentials(user, self.password.text()) if user else None

    def isComplete(self) -> bool:
        return not self.session.tasks.busy and self.session.devices.all_taken_ready()

    def read(self) -> None:
        if self.session.tasks.busy:
            return
        login = self._login()
        self.session.credentials = login
        rows = self.session.devices.taken_devices()
        if not rows or login is None:
            self.completeChanged.emit()
            return
        self._working(True)
        self.status.setStyleSheet("")
        self.status.setText(self.tr("Logging in to {count} cameras…").format(count=len(rows)))
        self.session.tasks.run(self.session.controller.read(rows, login), self._read, self._failed)

    def _read(self, rows: Sequence[DeviceRow]) -> None:
        self._working(False)
        self.session.devices.update_devices(rows)
        failed = [row for row in rows if row.error is not None]
        lines = [self.tr("{read} of {count} cameras read.").format(read=len(rows) - len(failed), count=len(rows))]
        lines += [onvif_error_text(row.error) for row in failed if row.error is not None]
        self.status.setText("\n".join(lines))
        self.status.setStyleSheet("color: #c92a2a;" if failed else "")

    def _failed(self, error: BaseException) -> None:
        self._working(False)
        self.status.setText(self.tr("The cameras could not be read: {reason}").format(reason=type(error).__name__))
        self.status.setStyleSheet("color: #c92a2a;")

    def _working(self, on: bool) -> None:
        self.busy.setVisible(on)
        self.read_button.setEnabled(not on)
        self.completeChanged.emit()

    def validatePage(self) -> bool:
        self.session.credentials = self._login()
        self.session.make_drafts()
        return bool(self.session.drafts)
