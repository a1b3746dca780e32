"""A site added or changed (name, address, notes and its place: a click on the map), written through the same
checks as the wizard's."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtWidgets import QDialogButtonBox, QFormLayout, QHBoxLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from console.core.config import SiteConfig
from console.core.config_edit import SiteFileEditor
from console.core.credentials import CredentialStore
from console.core.geo import GeoPoint
from console.onboarding.controller import OnboardingController
from console.onboarding.drafts import SiteDraft, preview
from console.onvif.network_loop import NetworkLoop
from console.ui.map.layers import scene_point
from console.ui.onboarding.placement_map import PlacementMap
from console.ui.onboarding.site_file_dialog import SiteFileDialog

PLACE_ZOOM = 17.0


class SiteDialog(SiteFileDialog):
    def __init__(self, controller: OnboardingController, site_id: str | None, network_loop: NetworkLoop | None,
                 parent: QWidget | None = None) -> None:
        super().__init__(controller, network_loop, parent)
        self.setObjectName("siteDialog")
        config = controller.config
        self.is_new = site_id is None
        if site_id is None:
            self.site = controller.new_site("")
            self.setWindowTitle(self.tr("New site"))
        else:
            saved = config.site(site_id)
            self.site = SiteDraft(saved.id, saved.name, saved.position, saved.address, saved.notes)
            self.setWindowTitle(self.tr("Site {site}").format(site=f"{saved.id} · {saved.name}"))
        self.name = QLineEdit(self.site.name, self)
        self.name.setObjectName("siteName")
        self.address = QLineEdit(self.site.address, self)
        self.notes = QLineEdit(self.site.notes, self)
        self.where = QLabel(self)
        self.map = PlacementMap(preview(config, [], self.site), [], self)
        self.map.setMinimumSize(520, 380)
        self.map.site_to_place = self.site.id
        self.map.site_placed.connect(self._placed)
        buttons = QDialogButtonBox(self)
        buttons.addButton(self.tr("Save"), QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(self.tr("Cancel"), QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        form = QFormLayout()
        form.addRow(self.tr("Name"), self.name)
        form.addRow(self.tr("Address"), self.address)
        form.addRow(self.tr("Notes"), self.notes)
        form.addRow(self.tr("Position"), self.where)
        body = QHBoxLayout()
        body.addLayout(form, 1)
        body.addWidget(self.map, 2)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(self.tr("Click the map where the site is."), self))
        layout.addLayout(body, 1)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self._placed(self.site.position)
        self.map.set_zoom(PLACE_ZOOM)
        self.map.centerOn(*scene_point(self.site.position))

    def _placed(self, point: GeoPoint) -> None:
        self.site = replace(self.site, position=point)
        self.where.setText(f"{point.lat:.6f}, {point.lon:.6f}")

    def save(self) -> None:
        site = replace(self.site, name=self.name.text().strip(), address=self.address.text().strip(),
                       notes=self.notes.text().strip())
        self.save_with(lambda: self.controller.save_site(site, self.is_new))


def open_site_dialog(parent: QWidget | None, config: SiteConfig, site_file_editor: SiteFileEditor,
                     credential_store: CredentialStore, site_id: str | None = None,
                     network_loop: NetworkLoop | None = None) -> SiteDialog:
    """Add a site (`site_id` None) or change one, shown window-modal; `saved` carries the config as written."""
    dialog = SiteDialog(OnboardingController(config, site_file_editor, credential_store), site_id, network_loop,
                        parent)
    dialog.setModal(True)
    dialog.show()
    return dialog
