"""*Thêm camera*: the wizard's pages in order, its buttons in the interface's language, and the save that ends
it (off the GUI thread); `saved` carries the new site configuration to whoever shows the cameras. Cameras come
from the network search and the login page, or from a recorder's channels (the recorder page, instead of both)."""

from __future__ import annotations

import asyncio
import logging

from PySide6.QtCore import Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QWidget, QWizard

from console.core.config import SiteConfig
from console.core.config_edit import SiteFileEditor
from console.core.credentials import CredentialStore
from console.onboarding.controller import OnboardingController
from console.onboarding.devices import DeviceRow
from console.onboarding.limits import DEFAULT_LIMITS, OnboardingLimits
from console.onvif.network_loop import NetworkLoop
from console.ui.onboarding.credentials_page import CredentialsPage
from console.ui.onboarding.device_table import DeviceTableModel
from console.ui.onboarding.discover_page import DiscoverPage
from console.ui.onboarding.placement_page import PlacementPage
from console.ui.onboarding.recorder_page import RecorderPage
from console.ui.onboarding.session import WizardSession
from console.ui.onboarding.stream_test_page import StreamTestPage
from console.ui.onboarding.tasks import NetworkTasks
from console.ui.onboarding.texts import save_error_text
from console.ui.widgets.overrides import qt_override

log = logging.getLogger(__name__)


class AddCameraWizard(QWizard):
    saved = Signal(object)  # SiteConfig: the site file as written, the new cameras in it

    def __init__(self, controller: OnboardingController, network_loop: NetworkLoop | None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("addCameraWizard")
        self.setWindowTitle(self.tr("Add cameras"))
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.tasks = NetworkTasks(network_loop, self)
        devices = DeviceTableModel(self._saved_as, self)
        self.session = WizardSession(controller, self.tasks, devices)
        self.discover = DiscoverPage(self.session, self)
        self.login = CredentialsPage(self.session, self)
        self.streams = StreamTestPage(self.session, self)
        self.placement = PlacementPage(self.session, self)
        self.recorder = RecorderPage(self.session, self)
        ids = {page: self.addPage(page) for page in (self.discover, self.login, self.streams, self.placement,
                                                     self.recorder)}
        self._streams_id, self._recorder_id = ids[self.streams], ids[self.recorder]
        self.discover.recorder_wanted.connect(self.import_recorder)
        self.tasks.busy_changed.connect(lambda _busy: self._refresh())
        self._saving = False
        self._done = False
        buttons = {QWizard.WizardButton.BackButton: self.tr("< Back"),
                   QWizard.WizardButton.NextButton: self.tr("Next >"),
                   QWizard.WizardButton.FinishButton: self.tr("Save"),
                   QWizard.WizardButton.CancelButton: self.tr("Cancel")}
        for button, text in buttons.items():
            self.setButtonText(button, text)
        self.resize(1100, 760)

    def _saved_as(self, row: DeviceRow) -> str | None:
        """The saved camera a found device already is (a second search finds the cameras of the file too)."""
        url = self.session.controller.main_url(row)
        return self.session.controller.saved_camera_at(url) if url else None

    @qt_override
    def nextId(self) -> int:
        """The recorder page is reached from the search page and leads to the stream test; the map is last."""
        page = self.currentPage()
        if page is self.placement:
            return -1
        if page is self.discover and self.session.importing_recorder:
            return self._recorder_id
        if page is self.recorder:
            return self._streams_id
        return super().nextId()

    def import_recorder(self) -> None:
        """To the recorder page (the search page's button)."""
        self.session.importing_recorder = True
        self.next()

    def _refresh(self) -> None:
        page = self.currentPage()
        if page is not None:
            page.completeChanged.emit()

    # -- saving -------------------------------------------------------------------------------------
    def validateCurrentPage(self) -> bool:
        if self.currentPage() is not self.placement:
            return super().validateCurrentPage()
        if self._done:
            return True
        if not self._saving:
            self._save()
        return False

    def _save(self) -> None:
        site = self.placement.new_site()
        drafts = self.placement.placed_drafts(site)
        logins = {d.credentials_ref: self.session.logins[d.id] for d in drafts
                  if d.credentials_ref and d.id in self.session.logins}
        controller = self.session.controller
        self._saving = True
        self.placement.show_error("")
        recorder = self.session.recorder
        work = asyncio.to_thread(controller.save_recorder, recorder, drafts, logins, site) if recorder is not None \
            else asyncio.to_thread(controller.save_new, drafts, logins, site)
        self.tasks.run(work, self._saved, self._not_saved)

    def _saved(self, config: SiteConfig) -> None:
        self._saving = False
        self._done = True
        log.info("wizard: %d cameras saved into %s", len(self.session.drafts), config.source)
        self.saved.emit(config)
        self.accept()

    def _not_saved(self, error: BaseException) -> None:
        self._saving = False
        self.placement.show_error(save_error_text(error))

    # -- closing ------------------------------------------------------------------------------------
    def done(self, result: int) -> None:
        """QWizard asks the last page (our save) before it finishes; the tasks end with the dialog only."""
        if self._saving:  # the files are being written: wait for the outcome
            return
        super().done(result)
        if not self.isVisible():
            self.tasks.close()

    @qt_override
    def closeEvent(self, event: QCloseEvent) -> None:
        if self._saving:
            event.ignore()
            return
        super().closeEvent(event)


def open_add_camera_wizard(parent: QWidget | None, config: SiteConfig, site_file_editor: SiteFileEditor,
                           credential_store: CredentialStore, network_loop: NetworkLoop | None = None, *,
                           limits: OnboardingLimits = DEFAULT_LIMITS) -> AddCameraWizard:
    """The wizard, shown (window-modal; the caller's code goes on: connect `saved`). `network_loop`: a started
    loop to share (None: the wizard runs one of its own while it is open); `credential_store` is the console's
    own (the new cameras' logins are put into it, then written to its file)."""
    wizard = AddCameraWizard(OnboardingController(config, site_file_editor, credential_store, limits), network_loop,
                             parent)
    wizard.setModal(True)
    wizard.show()
    return wizard
