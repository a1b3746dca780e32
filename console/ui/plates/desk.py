"""Where the plate dialog is opened from: one desk per main window, holding the plate service (its worker and the
engine, loaded once, on first use) and the keeper. Playback, the alert list and the incidents' dock find it with
`PlateDesk.of(widget)` and open the dialog on their picture; without a desk they offer no plate reading."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QWidget

from console.incidents.messages import IncidentError
from console.incidents.model import IncidentQuery, IncidentStatus
from console.officers.guard import ActionRefusedError
from console.plates.keeper import PlateKeeper, PlateSource
from console.plates.service import PlateService
from console.ui.plates.dialog import PlateDialog
from console.ui.widgets.main_window_part import main_window_part

DESK_NAME = "plateDesk"
INCIDENTS_OFFERED = 100  # the newest incidents not closed, offered as where to add the plate


class PlateDesk(QObject):
    kept = Signal(object)  # KeptPlate: a plate was saved (the incidents' dock shows the incident)

    def __init__(self, window: QWidget, keeper: PlateKeeper, service: PlateService | None = None) -> None:
        super().__init__(window)
        self.setObjectName(DESK_NAME)
        self.keeper = keeper
        self.service = service or PlateService()
        self._owns_service = service is None  # one handed in is closed by whoever made it
        self.dialog: PlateDialog | None = None

    @staticmethod
    def of(widget: QWidget) -> PlateDesk | None:
        """The desk of the main window `widget` is in (a playback window is the main window's child)."""
        return main_window_part(widget, PlateDesk, DESK_NAME)

    def open_incidents(self) -> list[tuple[int, str]]:
        incidents = self.keeper.incidents
        if incidents is None:
            return []
        query = IncidentQuery(statuses=frozenset({IncidentStatus.OPEN, IncidentStatus.FORWARDED}),
                              limit=INCIDENTS_OFFERED)
        try:
            return [(i.id, i.title) for i in incidents.search(query)]
        except (ActionRefusedError, IncidentError):
            return []

    def open(self, parent: QWidget, image: QImage, source: PlateSource) -> PlateDialog:
        """The dialog on this picture (one at a time: another picture replaces the one open)."""
        if self.dialog is not None:
            self.dialog.close()
        dialog = PlateDialog(image, source, self.service, self.keeper, self.open_incidents(), parent)
        dialog.kept.connect(self.kept)
        dialog.finished.connect(dialog.deleteLater)
        dialog.destroyed.connect(lambda: self._gone(dialog))
        self.dialog = dialog
        dialog.show()
        return dialog

    def _gone(self, dialog: PlateDialog) -> None:
        if self.dialog is dialog:
            self.dialog = None

    def close(self) -> None:
        """At exit: reads not started are dropped."""
        if self.dialog is not None:
            self.dialog.close()
        if self._owns_service:
            self.service.close()
