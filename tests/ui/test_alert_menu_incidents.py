"""The alert list's right click into the *Vụ việc* dock (a real alert log, the real `Incidents`): *Tạo vụ việc từ
cảnh báo* opens an incident on the alert (its camera, its recording range, chosen in the dock), a second time shows
that incident again; *Thêm vào vụ việc…* picks an open incident and links the alert, its recording and its picture
into it, and the same alert twice is refused in the dock's line. Without the dock the menu offers neither."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from console.core.alerts import AlertEvent, AlertKind
from console.core.config import SiteConfig
from console.core.users import Role, User
from console.incidents.model import AlertLink, Place, RecordingLink
from console.incidents.service import ALERT_PRE_ROLL_MS, Incidents
from console.officers.guard import Guard, Officers
from console.store.alerts import now_ms
from console.ui.alerts.incident_menu import AlertIncidents
from console.ui.incidents.install import install_incidents
from tests.support.databases import OpenDb
from tests.ui.test_alarm_panel import alert_window, click_row

AN = User("nguyen.van.an", "Nguyễn Văn An", Role.OFFICER)


def _action(panel: object, name: str) -> object:
    return next((a for a in panel.row_menu().actions() if a.objectName() == name), None)  # type: ignore[attr-defined]


def test_the_alert_menu_opens_an_incident_and_adds_an_alert_to_another(
        qtbot: QtBot, open_db: OpenDb, demo_site: SiteConfig, tmp_path: Path) -> None:
    with alert_window(qtbot, demo_site, tmp_path) as window:
        center = window.alert_center
        assert center is not None
        panel = center.panel
        writer = center.services.writer
        first, second = writer.next_id(), writer.next_id() + 1
        started = now_ms() - 60_000
        writer.submit(AlertEvent(first, "C01", "S01", AlertKind.MOTION, started, 0.8, "start"))
        writer.submit(AlertEvent(second, "C02", "S01", AlertKind.MOTION, started + 5_000, 1.0, "start"))
        qtbot.waitUntil(lambda: {first, second} <= {r.id for r in panel.model.rows()}, timeout=5000)
        click_row(qtbot, window, first)
        assert _action(panel, "incidentFromAlertAction") is None  # no dock installed: nothing offered

        db = open_db(tmp_path / "console.db")
        incidents = Incidents(db.conn, Officers(Guard(lambda: AN)), tmp_path / "data")
        dock = install_incidents(window, incidents, [c.id for c in demo_site.cameras],
                                 camera_sites={c.id: c.site_id for c in demo_site.cameras})
        AlertIncidents(panel, dock)
        create = _action(panel, "incidentFromAlertAction")
        assert create is not None and create.text() == panel.tr("Open an incident from the alert")  # type: ignore[attr-defined]
        create.trigger()  # type: ignore[attr-defined]
        [opened] = incidents.with_alert(first)
        incident = incidents.get(opened)
        assert incident is not None and incident.place == Place("S01", "C01") and dock.selected_id() == opened
        links = {link.target for link in incidents.case_file(opened).links}
        assert AlertLink(first) in links and any(isinstance(t, RecordingLink) and t.camera_id == "C01"
                                                 and t.start_ms == started - ALERT_PRE_ROLL_MS for t in links)
        _action(panel, "incidentFromAlertAction").trigger()  # type: ignore[attr-defined]
        assert incidents.with_alert(first) == [opened]  # not a second incident: the first one is shown

        other = incidents.create("Trộm cắp ở chợ")
        click_row(qtbot, window, second)
        add = _action(panel, "addAlertToIncidentAction")
        assert add is not None and add.isEnabled()  # type: ignore[attr-defined]
        add.trigger()  # type: ignore[attr-defined]
        menu = panel.findChild(AlertIncidents)
        assert menu is not None and menu.picker is not None
        picker = menu.picker
        picker.choose(other.id)
        picker.accept()
        assert incidents.with_alert(second) == [other.id] and dock.selected_id() == other.id
        held = {link.target for link in incidents.case_file(other.id).links}
        assert AlertLink(second) in held and any(isinstance(t, RecordingLink) and t.camera_id == "C02" for t in held)
        assert dock.message.text() == menu.tr("Alert no. {alert} added to incident no. {number}").format(
            alert=second, number=other.id)

        _action(panel, "addAlertToIncidentAction").trigger()  # type: ignore[attr-defined]
        assert menu.picker is not None
        menu.picker.choose(other.id)
        menu.picker.accept()
        assert len(incidents.case_file(other.id).links) == len(held)  # nothing linked twice
        assert str(other.id) in dock.message.text() and dock.message.styleSheet() != ""  # said as a refusal
