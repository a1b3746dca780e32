"""The wizard's recorder (NVR) page: its maker, address, ports and login; its channels read through the recorder
adapters on the network loop; the ticked ones, each at its site, become the cameras the next pages test and place
(and the `[[recorders]]` table the save writes)."""

from __future__ import annotations

import logging

from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QWidget,
    QWizardPage,
)

from console.core.credentials import Credentials
from console.core.recorder_settings import DEFAULT_RECORDER_HTTP_PORT, DEFAULT_RECORDER_RTSP_PORT
from console.nvr.models import Vendor
from console.onboarding.nvr_import import RecorderDevice, RecorderReading, saved_channels
from console.ui.onboarding.channel_table import ChannelTable
from console.ui.onboarding.credentials_page import DEFAULT_USER
from console.ui.onboarding.discover_page import busy_bar
from console.ui.onboarding.page_layout import page_layout
from console.ui.onboarding.session import WizardSession
from console.ui.onboarding.texts import recorder_error_text
from console.ui.widgets.overrides import qt_override

log = logging.getLogger(__name__)

PORT_FIELD_WIDTH_PX = 90  # five digits with room: Vietnamese labels take the rest of the row
VENDOR_NAMES = {Vendor.HIKVISION: "Hikvision", Vendor.DAHUA: "Dahua"}  # makers' names: not translated


class RecorderPage(QWizardPage):
    def __init__(self, session: WizardSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.reading: RecorderReading | None = None
        self._login: Credentials | None = None  # the login the channels were read with
        self.setTitle(self.tr("Import a recorder's channels"))
        self.setSubTitle(self.tr("Each ticked channel of the recorder (NVR) becomes a camera whose live view "
                                 "comes from the recorder. The login is kept in the credentials store, never in "
                                 "the site file."))
        self.vendor = QComboBox(self)
        self.vendor.setObjectName("recorderVendor")
        for vendor, name in VENDOR_NAMES.items():
            self.vendor.addItem(name, vendor.value)
        self.host = QLineEdit(self)
        self.host.setObjectName("recorderHost")
        self.host.setPlaceholderText("192.168.1.250")
        self.http_port = QLineEdit(str(DEFAULT_RECORDER_HTTP_PORT), self)
        self.http_port.setObjectName("recorderHttpPort")
        self.rtsp_port = QLineEdit(str(DEFAULT_RECORDER_RTSP_PORT), self)
        self.rtsp_port.setObjectName("recorderRtspPort")
        for port in (self.http_port, self.rtsp_port):
            port.setMaximumWidth(PORT_FIELD_WIDTH_PX)
        self.user = QLineEdit(DEFAULT_USER, self)
        self.user.setObjectName("recorderUser")
        self.password = QLineEdit(self)
        self.password.setObjectName("recorderPassword")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.read_button = QPushButton(self.tr("Read the channels"), self)
        self.read_button.setObjectName("readChannels")
        self.read_button.clicked.connect(self.read)
        self.password.returnPressed.connect(self.read)
        self.busy = busy_bar(self)
        self.status = QLabel(self)
        self.status.setObjectName("recorderStatus")
        self.status.setWordWrap(True)
        self.table = ChannelTable(self)
        self.table.picked.connect(self.completeChanged)
        self.site_for_all = QComboBox(self)
        self.site_for_all.setObjectName("siteForAll")
        self.site_for_all.activated.connect(lambda _index: self.table.set_site(str(self.site_for_all.currentData())))
        for field in (self.host, self.http_port, self.rtsp_port, self.user, self.password):
            field.textEdited.connect(self._forget)
        self.vendor.activated.connect(self._forget)
        form = QFormLayout()
        form.addRow(self.tr("Maker"), self.vendor)
        form.addRow(self.tr("Address"), self.host)
        ports = QHBoxLayout()
        ports.addWidget(QLabel(self.tr("HTTP port"), self))
        ports.addWidget(self.http_port)
        ports.addWidget(QLabel(self.tr("RTSP port"), self))
        ports.addWidget(self.rtsp_port)
        ports.addStretch(1)
        form.addRow(self.tr("Ports"), ports)
        form.addRow(self.tr("User name"), self.user)
        form.addRow(self.tr("Password"), self.password)
        layout = page_layout(self, form, self.read_button, self.busy, self.status, self.table)
        sites = QFormLayout()
        sites.addRow(self.tr("Site for every channel"), self.site_for_all)
        layout.insertLayout(2, sites)

    @qt_override
    def initializePage(self) -> None:
        config = self.session.controller.config
        current = self.site_for_all.currentData()
        self.site_for_all.clear()
        for site in config.sites:
            self.site_for_all.addItem(f"{site.id} · {site.name}", site.id)
        self.site_for_all.setCurrentIndex(max(0, self.site_for_all.findData(current)))

    @qt_override
    def cleanupPage(self) -> None:
        """Back to the search: the wizard adds cameras found on the network again."""
        self.session.forget_recorder()

    @qt_override
    def isComplete(self) -> bool:
        return not self.session.tasks.busy and self.reading is not None and bool(self.table.picks())

    # -- reading ------------------------------------------------------------------------------------
    def _device(self) -> RecorderDevice | None:
        try:
            return RecorderDevice.typed(str(self.vendor.currentData()), self.host.text(), self.http_port.text(),
                                        self.rtsp_port.text())
        except ValueError:
            self._say(self.tr("Not a recorder address and ports: {host} / {http_port} / {rtsp_port}").format(
                host=self.host.text(), http_port=self.http_port.text(), rtsp_port=self.rtsp_port.text()), error=True)
            return None

    def _typed_login(self) -> Credentials | None:
        user = self.user.text().strip()
        return Credentials(user, self.password.text()) if user else None

    def read(self) -> None:
        device = self._device()
        if device is None or self.session.tasks.busy:
            return
        self._forget()
        login = self._typed_login()
        self._working(True)
        self._say(self.tr("Reading the channels of recorder {address}…").format(address=device.shown))
        self.session.tasks.run(self.session.controller.read_recorder(device, login),
                               lambda reading: self._read(reading, login), self._failed)

    def _read(self, reading: RecorderReading, login: Credentials | None) -> None:
        self._working(False)
        self.reading, self._login = reading, login
        config = self.session.controller.config
        self.table.show_channels(reading.channels, saved_channels(config, reading), config.sites,
                                 str(self.site_for_all.currentData()))
        self._say(self.tr("Recorder {address} ({model}): {count} channels.").format(
            address=reading.device.shown, model=reading.model or VENDOR_NAMES[reading.device.vendor],
            count=len(reading.channels)))

    def _failed(self, error: BaseException) -> None:
        self._working(False)
        self._say(recorder_error_text(error), error=True)

    def _forget(self) -> None:
        """A changed address or login: the channels read before are not this recorder's."""
        if self.reading is not None:
            self.reading = self._login = None
            self.table.clear_channels()

    def _working(self, on: bool) -> None:
        self.busy.setVisible(on)
        self.read_button.setEnabled(not on)
        self.completeChanged.emit()

    def _say(self, text: str, error: bool = False) -> None:
        self.status.setText(text)
        self.status.setStyleSheet("color: #c92a2a;" if error else "")

    # -- leaving ------------------------------------------------------------------------------------
    @qt_override
    def validatePage(self) -> bool:
        """The recorder and a camera per ticked channel, for the stream test and the map."""
        if self.reading is None:
            return False
        login = self._login
        recorder, drafts = self.session.controller.recorder_drafts(self.reading, self.table.picks(),
                                                                   login is not None)
        self.session.take_recorder(recorder, drafts, login)
        return bool(drafts)
