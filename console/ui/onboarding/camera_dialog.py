"""A saved camera changed (name, site, streams, login, place and wedge on the map) or removed, written through
the same checks as the wizard's (validator, backup, credentials in the store)."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtWidgets import (
    QComboBox,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from console.core.config import RecordingMode, SiteConfig
from console.core.config_edit import SiteFileEditor
from console.core.credentials import Credentials, CredentialStore
from console.onboarding.controller import OnboardingController
from console.onboarding.drafts import CameraDraft, credentials_ref, draft_of, preview
from console.onboarding.saving import set_recording_mode
from console.onboarding.streams import typed_stream
from console.onvif.network_loop import NetworkLoop
from console.ui.onboarding.placement_map import PlacementMap
from console.ui.onboarding.site_file_dialog import SiteFileDialog
from console.ui.onboarding.wedge_boxes import WedgeBoxes


class CameraDialog(SiteFileDialog):
    def __init__(self, controller: OnboardingController, camera_id: str, network_loop: NetworkLoop | None,
                 parent: QWidget | None = None, recording_editor: SiteFileEditor | None = None) -> None:
        """`recording_editor` writes the camera's recording mode (it asks for the recording permission); none:
        the mode is shown, not changed."""
        super().__init__(controller, network_loop, parent)
        self.setObjectName("cameraDialog")
        config = controller.config
        camera = config.camera(camera_id)
        self.draft = draft_of(camera)
        self.recording_editor = recording_editor
        self.saved_mode = camera.recording
        self.recording = QComboBox(self)
        self.recording.setObjectName("recordingMode")
        for mode, text in ((RecordingMode.CONTINUOUS, self.tr("Continuous")),
                           (RecordingMode.ON_ALERT, self.tr("On alert only")), (RecordingMode.OFF, self.tr("Off"))):
            self.recording.addItem(text, mode.value)
        self.recording.setCurrentIndex(self.recording.findData(camera.recording.value))
        self.recording.setEnabled(recording_editor is not None)
        self.setWindowTitle(self.tr("Camera {camera}").format(camera=camera.label))
        self.name = QLineEdit(camera.name, self)
        self.site = QComboBox(self)
        for site in config.sites:
            self.site.addItem(f"{site.id} · {site.name}", site.id)
        self.site.setCurrentIndex(next(i for i, s in enumerate(config.sites) if s.id == camera.site_id))
        self.main_url = QLineEdit(camera.main_url, self)
        self.sub_url = QLineEdit(camera.sub_url or "", self)
        self.user = QLineEdit(self)
        self.password = QLineEdit(self)
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText(self.tr("unchanged"))
        stored = controller.store.get(camera.credentials)
        self.user.setText(stored.username if stored else "")
        self.map = PlacementMap(preview(config, [self.draft]), [camera_id], self)
        self.map.setMinimumSize(520, 380)
        self.wedge = WedgeBoxes(self)
        self.wedge.bind(self.map)
        self.remove_button = QPushButton(self.tr("Remove camera…"), self)
        self.remove_button.setObjectName("removeCamera")
        self.remove_button.clicked.connect(self.ask_remove)
        buttons = QDialogButtonBox(self)
        self.save_button = buttons.addButton(self.tr("Save"), QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(self.tr("Cancel"), QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        form = QFormLayout()
        form.addRow(self.tr("Name"), self.name)
        form.addRow(self.tr("Site"), self.site)
        form.addRow(self.tr("Main stream"), self.main_url)
        form.addRow(self.tr("Sub stream (optional)"), self.sub_url)
        form.addRow(self.tr("User name"), self.user)
        form.addRow(self.tr("Password"), self.password)
        form.addRow(self.tr("Recording"), self.recording)
        left = QVBoxLayout()
        left.addLayout(form)
        left.addWidget(self.wedge)
        left.addStretch(1)
        left.addWidget(self.remove_button)
        body = QHBoxLayout()
        body.addLayout(left, 1)
        body.addWidget(self.map, 2)
        layout = QVBoxLayout(self)
        layout.addLayout(body, 1)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.map.show_current()

    def edited(self) -> tuple[CameraDraft, Credentials | None] | None:
        """The camera as the dialog now says, and a new login if one was typed; None (said why) when the
        stream addresses are not RTSP addresses."""
        try:
            main = typed_stream(self.main_url.text())
            sub = typed_stream(self.sub_url.text()) if self.sub_url.text().strip() else None
        except ValueError:
            self.error.setText(self.tr("Not an RTSP address (rtsp://…): check the main and sub stream fields."))
            return None
        position, bearing, fov, range_m = self.map.shape_of(self.draft.id)
        login = main.credentials
        if self.password.text() and self.user.text().strip():
            login = Credentials(self.user.text().strip(), self.password.text())
        ref = self.draft.credentials_ref or (credentials_ref(self.draft.id) if login is not None else None)
        draft = replace(self.draft, name=self.name.text().strip(), site_id=str(self.site.currentData()),
                        position=position, bearing_deg=bearing, fov_deg=fov, range_m=range_m, main_url=main.url,
                        sub_url=sub.url if sub is not None else None, credentials_ref=ref)
        return draft, login

    def save(self) -> None:
        edited = self.edited()
        if edited is None:
            return
        draft, login = edited
        mode = RecordingMode(str(self.recording.currentData()))
        editor = self.recording_editor if mode is not self.saved_mode else None

        def work() -> SiteConfig:
            if editor is not None:  # first: a refusal writes nothing at all
                self.controller.config = set_recording_mode(editor, draft.id, mode)
            return self.controller.save_camera(draft, login)

        self.save_with(work)

    def ask_remove(self) -> None:
        answer = QMessageBox.question(
            self, self.tr("Remove camera"),
            self.tr("Remove camera {camera} from the site file? Its recordings stay.").format(camera=self.draft.id),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, QMessageBox.StandardButton.No)
        if answer == QMessageBox.StandardButton.Yes:
            self.remove()

    def remove(self) -> None:
        camera_id = self.draft.id
        self.save_with(lambda: self.controller.remove_camera(camera_id))


def open_camera_dialog(parent: QWidget | None, config: SiteConfig, site_file_editor: SiteFileEditor,
                       credential_store: CredentialStore, camera_id: str,
                       network_loop: NetworkLoop | None = None,
                       recording_editor: SiteFileEditor | None = None) -> CameraDialog:
    """Edit or remove `camera_id`, shown window-modal; `saved` carries the site configuration as written."""
    dialog = CameraDialog(OnboardingController(config, site_file_editor, credential_store), camera_id,
                          network_loop, parent, recording_editor)
    dialog.setModal(True)
    dialog.show()
    return dialog
