"""The alert list's right click into the *Vụ việc* dock: *Tạo vụ việc từ cảnh báo* opens an incident on the alert
(the dock's own `create_from_alert`: an alert already in one shows that one), *Thêm vào vụ việc…* picks an open
incident and links the alert, its recording and its picture into it. Refusals are said in the dock's line."""

from __future__ import annotations

from PySide6.QtCore import QObject

from console.incidents.alert_links import add_alert
from console.incidents.model import Incident, IncidentQuery, IncidentStatus
from console.incidents.service import AlertLike
from console.ui.alerts.panel import AlertPanel
from console.ui.bookmarks.incident_picker import IncidentPicker
from console.ui.incidents.attempt import Refused, attempt
from console.ui.incidents.dock import IncidentsDock

NOT_CLOSED = frozenset({IncidentStatus.OPEN, IncidentStatus.FORWARDED})


class AlertIncidents(QObject):
    """Carries the alert list's two incident actions to the dock; at most one picker open at a time."""

    def __init__(self, panel: AlertPanel, dock: IncidentsDock) -> None:
        super().__init__(panel)
        self.panel, self.dock = panel, dock
        self.picker: IncidentPicker | None = None
        panel.incidents_offered = True
        panel.incident_requested.connect(self.create)
        panel.add_to_incident_requested.connect(self.pick)

    def create(self, alert: AlertLike | None) -> None:
        if alert is not None:
            self.dock.create_from_alert(alert)

    def pick(self, alert: AlertLike | None) -> IncidentPicker | None:
        if alert is None:
            return None
        if self.picker is not None:
            self.picker.close()
        incidents = self.dock.incidents

        def find(text: str) -> list[Incident]:
            found = attempt(lambda: incidents.search(IncidentQuery(text=text, statuses=NOT_CLOSED)))
            return [] if isinstance(found, Refused) else found

        picker = IncidentPicker(self.panel, find, self.tr("Alert no. {number}, its recording and its picture are "
                                                          "added to the incident chosen.").format(number=alert.id))
        picker.setObjectName("alertIncidentPicker")
        picker.accepted.connect(lambda: self.add(alert, picker.chosen()))
        picker.finished.connect(lambda _code: self._gone(picker))
        self.picker = picker
        picker.open()
        return picker

    def add(self, alert: AlertLike, incident_id: int | None) -> None:
        if incident_id is None:
            return
        dock = self.dock
        done = attempt(lambda: add_alert(dock.incidents, incident_id, alert))
        dock.show()
        dock.raise_()
        dock.select(incident_id)
        if isinstance(done, Refused):
            dock.say(done.message, error=True)
            return
        dock.say(self.tr("Alert no. {alert} added to incident no. {number}").format(alert=alert.id,
                                                                                    number=incident_id))

    def _gone(self, picker: IncidentPicker) -> None:
        if self.picker is picker:
            self.picker = None
        picker.deleteLater()
