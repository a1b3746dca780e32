"""First page: search the network (a WS-Discovery probe) or ask typed addresses and ports; or add a camera
without ONVIF by its RTSP address. What answered fills the table. Or go to a recorder's channels instead."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QFormLayout,
    QGroupBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QTableView,
    QWidget,
    QWizardPage,
)

from console.onboarding.devices import Discovery, Search
from console.onboarding.limits import DEFAULT_PORTS
from console.onboarding.streams import typed_stream
from console.onvif.discovery import DEFAULT_TARGET
from console.ui.map.view import interface_language
from console.ui.onboarding.device_table import TypedCamera
from console.ui.onboarding.page_layout import page_layout
from console.ui.onboarding.session import WizardSession


def device_view(session: WizardSession, parent: QWidget) -> QTableView:
    view = QTableView(parent)
    view.setModel(session.devices)
    view.verticalHeader().setVisible(False)
    view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    view.horizontalHeader().setStretchLastSection(True)
    view.setWordWrap(False)
    return view


def busy_bar(parent: QWidget) -> QProgressBar:
    bar = QProgressBar(parent)
    bar.setRange(0, 0)  # no length known: it moves while something is asked
    bar.setMaximumWidth(160)
    bar.setVisible(False)
    return bar


class DiscoverPage(QWizardPage):
    recorder_wanted = Signal()  # the technician adds a recorder's channels instead of searching

    def __init__(self, session: WizardSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.setTitle(self.tr("Find cameras"))
        self.setSubTitle(self.tr("Search the station's network for ONVIF cameras, or type their addresses when "
                                 "they are on another network."))
        self.probe_choice = QRadioButton(self.tr("Search the network (WS-Discovery)"), self)
        self.scan_choice = QRadioButton(self.tr("Ask these addresses"), self)
        self.probe_choice.setChecked(True)
        group = QButtonGroup(self)
        group.addButton(self.probe_choice)
        group.addButton(self.scan_choice)
        self.target = QLineEdit(DEFAULT_TARGET, self)
        self.target.setObjectName("probeTarget")
        self.hosts = QLineEdit(self)
        self.hosts.setObjectName("scanHosts")
        self.hosts.setPlaceholderText("192.168.1.10-40")
        self.ports = QLineEdit(",".join(str(p) for p in DEFAULT_PORTS), self)
        self.ports.setObjectName("scanPorts")
        self.find_button = QPushButton(self.tr("Find"), self)
        self.find_button.setObjectName("findCameras")
        self.find_button.clicked.connect(self.search)
        self.busy = busy_bar(self)
        self.status = QLabel(self)
        self.status.setObjectName("findStatus")
        self.status.setWordWrap(True)
        self.table = device_view(session, self)
        session.devices.dataChanged.connect(self.completeChanged)
        session.devices.modelReset.connect(self.completeChanged)
        session.devices.rowsInserted.connect(self.completeChanged)

        form = QFormLayout()
        form.addRow(self.probe_choice, self.target)
        form.addRow(self.scan_choice, self.hosts)
        form.addRow(self.tr("Ports"), self.ports)
        layout = page_layout(self, form, self.find_button, self.busy, self.status, self.table)
        layout.addWidget(self._typed_box())
        self.recorder_button = QPushButton(self.tr("Import the channels of a recorder (NVR)…"), self)
        self.recorder_button.setObjectName("importRecorder")
        self.recorder_button.clicked.connect(self._recorder_wanted)
        layout.addWidget(self.recorder_button)

    def _recorder_wanted(self) -> None:
        if not self.session.tasks.busy:
            self.recorder_wanted.emit()

    def _typed_box(self) -> QGroupBox:
        box = QGroupBox(self.tr("Camera without ONVIF: add it by its RTSP address"), self)
        self.typed_name = QLineEdit(box)
        self.typed_main = QLineEdit(box)
        self.typed_main.setObjectName("typedMain")
        self.typed_main.setPlaceholderText("rtsp://192.168.1.70:554/Streaming/Channels/101")
        self.typed_sub = QLineEdit(box)
        self.typed_sub.setPlaceholderText("rtsp://192.168.1.70:554/Streaming/Channels/102")
        add = QPushButton(self.tr("Add to the list"), box)
        add.setObjectName("addTyped")
        add.clicked.connect(self.add_typed)
        form = QFormLayout(box)
        form.addRow(self.tr("Name"), self.typed_name)
        form.addRow(self.tr("Main stream"), self.typed_main)
        form.addRow(self.tr("Sub stream (optional)"), self.typed_sub)
        form.addRow(add)
        return box

    def isComplete(self) -> bool:
        return not self.session.tasks.busy and bool(self.session.devices.taken())

    # -- searching ----------------------------------------------------------------------------------
    def _search(self) -> Search | None:
        try:
            if self.probe_choice.isChecked():
                return Search.probe(self.target.text())
            return Search.scan(self.hosts.text(), self.ports.text())
        except ValueError:
            if self.probe_choice.isChecked():
                self._say(self.tr("Not an address to search: {text}").format(text=self.target.text()), error=True)
            else:
                self._say(self.tr("Not addresses and ports to ask: {hosts} / {ports}").format(
                    hosts=self.hosts.text(), ports=self.ports.text()), error=True)
            return None

    def search(self) -> None:
        search = self._search()
        if search is None or self.session.tasks.busy:
            return
        self._working(True)
        self._say(self.tr("Searching…"))
        self.session.tasks.run(self.session.controller.find(search), self._found, self._failed)

    def _found(self, discovery: Discovery) -> None:
        self._working(False)
        self.session.devices.show_discovery(discovery.rows)
        lang = interface_language()
        lines = [self.tr("{count} devices answered.").format(count=len(discovery.rows))]
        lines += [notice.text(lang) for notice in discovery.notices]
        self._say("\n".join(lines), error=not discovery.rows)

    def _failed(self, error: BaseException) -> None:
        self._working(False)
        self._say(self.tr("The search failed: {reason}").format(reason=type(error).__name__), error=True)

    def _working(self, on: bool) -> None:
        self.busy.setVisible(on)
        self.find_button.setEnabled(not on)
        self.completeChanged.emit()

    def _say(self, text: str, error: bool = False) -> None:
        self.status.setText(text)
        self.status.setStyleSheet("color: #c92a2a;" if error else "")

    # -- a camera without ONVIF ---------------------------------------------------------------------
    def add_typed(self) -> None:
        try:
            main = typed_stream(self.typed_main.text())
            sub = typed_stream(self.typed_sub.text()) if self.typed_sub.text().strip() else None
        except ValueError:
            self._say(self.tr("Not an RTSP address (rtsp://…): check the main and sub stream fields."), error=True)
            return
        self.session.devices.add_typed(TypedCamera(self.typed_name.text().strip(), main, sub))
        for field in (self.typed_name, self.typed_main, self.typed_sub):
            field.clear()
        self._say(self.tr("Added: {address}").format(address=main.url))
