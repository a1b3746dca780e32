"""Last page: the site the new cameras stand at (one of the commune's, or a new one), their names, and their
place on the map: click to put the chosen camera, drag the squares of its wedge (or use the number boxes)
for its bearing, angle of view and range."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
    QWizardPage,
)

from console.onboarding.drafts import CameraDraft, SiteDraft, preview
from console.ui.onboarding.placement_map import PlacementMap
from console.ui.onboarding.session import WizardSession
from console.ui.onboarding.wedge_boxes import WedgeBoxes

NEW_SITE = "__new__"
EACH_SITE = "__each__"  # cameras of a recorder's channels, each at the site the recorder page gave it


class PlacementPage(QWizardPage):
    def __init__(self, session: WizardSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.setTitle(self.tr("Site and place on the map"))
        self.setSubTitle(self.tr("Choose the site, then click the map where each camera stands. Drag the squares "
                                 "on its view to turn it and to widen or narrow its angle."))
        self.site = QComboBox(self)
        self.site.setObjectName("siteChoice")
        self.site_name = QLineEdit(self)
        self.site_name.setObjectName("newSiteName")
        self.site_name.setPlaceholderText(self.tr("Name of the new site"))
        self.site_name.textChanged.connect(self.completeChanged)
        self.cameras = QTableWidget(0, 2, self)
        self.cameras.setObjectName("placedCameras")
        self.cameras.setHorizontalHeaderLabels([self.tr("Camera"), self.tr("Name")])
        self.cameras.verticalHeader().setVisible(False)
        self.cameras.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.cameras.horizontalHeader().setStretchLastSection(True)
        self.cameras.currentCellChanged.connect(lambda row, *_: self._choose(row))
        self.cameras.itemChanged.connect(lambda _item: self.completeChanged.emit())
        self.wedge = WedgeBoxes(self)
        self.error = QLabel(self)
        self.error.setObjectName("saveError")
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #c92a2a;")
        self.map: PlacementMap | None = None
        self._map_holder = QVBoxLayout()
        form = QFormLayout()
        form.addRow(self.tr("Site"), self.site)
        form.addRow(self.tr("New site"), self.site_name)
        left = QVBoxLayout()
        left.addLayout(form)
        left.addWidget(self.wedge)
        left.addWidget(self.cameras, 1)
        body = QHBoxLayout()
        body.addLayout(left, 1)
        body.addLayout(self._map_holder, 2)
        layout = QVBoxLayout(self)
        layout.addLayout(body, 1)
        layout.addWidget(self.error)
        self.site.currentIndexChanged.connect(self._site_changed)

    # -- filling ------------------------------------------------------------------------------------
    def initializePage(self) -> None:
        config = self.session.controller.config
        self.site.blockSignals(True)
        self.site.clear()
        chosen = {d.site_id for d in self.session.drafts}
        if len(chosen) > 1:
            self.site.addItem(self.tr("Each camera at the site chosen for it"), EACH_SITE)
        for site in config.sites:
            self.site.addItem(f"{site.id} · {site.name}", site.id)
        self.site.addItem(self.tr("New site…"), NEW_SITE)
        self.site.setCurrentIndex(max(0, self.site.findData(EACH_SITE if len(chosen) > 1 else min(chosen, default=""))))
        self.site.blockSignals(False)
        self.cameras.blockSignals(True)
        self.cameras.setRowCount(len(self.session.drafts))
        for row, draft in enumerate(self.session.drafts):
            ident = QTableWidgetItem(draft.id)
            ident.setFlags(ident.flags() & ~Qt.ItemFlag.ItemIsEditable)
            self.cameras.setItem(row, 0, ident)
            self.cameras.setItem(row, 1, QTableWidgetItem(draft.name))
        self.cameras.blockSignals(False)
        self.error.clear()
        self._site_changed()

    def site_id(self) -> str:
        return str(self.site.currentData())

    def new_site(self) -> SiteDraft | None:
        if self.site_id() != NEW_SITE:
            return None
        first = self.map.shape_of(self.session.drafts[0].id)[0] if self.map and self.session.drafts else None
        return self.session.controller.new_site(self.site_name.text(), first)

    def _site_changed(self) -> None:
        """Every new camera goes to the site's position (a new site: the commune's centre) and the map is drawn
        again with them."""
        new = self.site_id() == NEW_SITE
        self.site_name.setEnabled(new)
        if self.site_id() == EACH_SITE:
            self._draw(None)
            self.completeChanged.emit()
            return
        controller = self.session.controller
        site = controller.new_site(self.site_name.text() or "?") if new else None
        site_id = site.id if site is not None else self.site_id()
        position = site.position if site is not None else controller.config.site(site_id).position
        self.session.drafts = [replace(d, site_id=site_id, position=position) for d in self.session.drafts]
        self._draw(site)
        self.completeChanged.emit()

    def _draw(self, site: SiteDraft | None) -> None:
        if self.map is not None:
            self._map_holder.removeWidget(self.map)
            self.map.deleteLater()
        drafts = self.session.drafts
        self.map = PlacementMap(preview(self.session.controller.config, drafts, site), [d.id for d in drafts], self)
        self.map.setMinimumSize(480, 360)
        self.wedge.bind(self.map)
        self._map_holder.addWidget(self.map)
        if drafts:
            self.cameras.setCurrentCell(0, 1)
            self._choose(0)
            self.map.show_current()

    # -- placing ------------------------------------------------------------------------------------
    def _choose(self, row: int) -> None:
        if self.map is None or not 0 <= row < len(self.session.drafts):
            return
        camera_id = self.session.drafts[row].id
        self.map.choose(camera_id)
        self.wedge.show_camera(camera_id)

    # -- the result ---------------------------------------------------------------------------------
    def isComplete(self) -> bool:
        named = all((self.cameras.item(row, 1) or QTableWidgetItem()).text().strip()
                    for row in range(self.cameras.rowCount()))
        return named and (self.site_id() != NEW_SITE or bool(self.site_name.text().strip())) \
            and not self.session.tasks.busy

    def placed_drafts(self, site: SiteDraft | None) -> list[CameraDraft]:
        """The drafts with their names and their place on the map (at `site` when it is new)."""
        placed = []
        for row, draft in enumerate(self.session.drafts):
            name = (self.cameras.item(row, 1) or QTableWidgetItem(draft.name)).text().strip()
            position, bearing, fov, range_m = self.map.shape_of(draft.id) if self.map else (
                draft.position, draft.bearing_deg, draft.fov_deg, draft.range_m)
            placed.append(replace(draft, name=name, position=position, bearing_deg=bearing, fov_deg=fov,
                                  range_m=range_m, site_id=site.id if site is not None else draft.site_id))
        return placed

    def show_error(self, text: str) -> None:
        self.error.setText(text)
