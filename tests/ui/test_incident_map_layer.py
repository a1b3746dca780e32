"""The map's layer of open incidents on a real database: exactly the incidents *Đang xử lý* and *Đã chuyển* with a
place are drawn — at their map point, their camera's or their site's position — plus a square where a citizen's
video of one was recorded; a click on a marker chooses the incident in the *Vụ việc* dock; closing an incident
takes it off the map (read again off the GUI thread); the button hides and shows the layer."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QDockWidget, QMainWindow
from pytestqt.qtbot import QtBot

from console.core.config import SiteConfig
from console.core.geo import GeoPoint
from console.core.users import Role, User
from console.incidents.map_places import IncidentSpot, MapPositions
from console.incidents.model import IncidentStatus, Place, Point
from console.incidents.service import Incidents
from console.incidents.video_record import Bringer, Channel, Claim, IntakeRecord, VideoFacts
from console.officers.guard import Guard, Officers
from console.ui.incidents.install import install_incidents
from console.ui.map.incident_layer import IncidentLayer, IncidentMarker, install_incident_layer
from console.ui.map.layers import scene_point
from console.ui.map.view import MapView
from tests.support.databases import OpenDb

AN = User("nguyen.van.an", "Nguyễn Văn An", Role.OFFICER)
PHONE_SPOT = Point(21.0612, 106.0598)


def _video(incident_id: int) -> IntakeRecord:
    facts = VideoFacts("mov,mp4,m4a,3gp,3g2,mj2", 10_000, "h264", 1920, 1080, 30.0, 0, "aac", None, None,
                       PHONE_SPOT, "+21.0612+106.0598/", "Apple iPhone 12")
    return IntakeRecord(0, incident_id, 1_767_225_600_000, AN.login, "IMG_0412.MOV", "/media/usb/IMG_0412.MOV",
                        "incidents/x/originals/a.mov", 1000, "a" * 64, facts, Bringer("Trần Thị Bình"), Channel.USB,
                        Claim(), "incidents/x/working/a.mp4")


class Station:
    def __init__(self, folder: Path, open_db: OpenDb, config: SiteConfig) -> None:
        db = open_db(folder / "console.db")
        self.incidents = Incidents(db.conn, Officers(Guard(lambda: AN, audit=lambda _e: None), lambda _e: None),
                                   folder / "data")
        self.window = QMainWindow()
        self.window.resize(1600, 1000)
        self.map = MapView(config)
        map_dock = QDockWidget("Map", self.window)
        map_dock.setWidget(self.map)
        self.window.setCentralWidget(QDockWidget())
        self.window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, map_dock)
        self.window.resizeDocks([map_dock], [900], Qt.Orientation.Horizontal)
        self.dock = install_incidents(self.window, self.incidents, [c.id for c in config.cameras],
                                      camera_sites={c.id: c.site_id for c in config.cameras})


@pytest.fixture()
def station(tmp_path: Path, open_db: OpenDb, demo_site: SiteConfig, qtbot: QtBot) -> Station:
    made = Station(tmp_path, open_db, demo_site)
    qtbot.addWidget(made.window)
    return made


def _spots(layer: IncidentLayer) -> set[tuple[int, str | None, float, float]]:
    return {(m.incident_id, m.spot.video_file, round(m.pos().x(), 1), round(m.pos().y(), 1)) for m in layer.markers}


def _scene(point: Point | GeoPoint) -> tuple[float, float]:
    x, y = scene_point(GeoPoint(point.lat, point.lon))
    return round(x, 1), round(y, 1)


def test_the_layer_shows_exactly_the_open_incidents_at_their_places_and_a_click_chooses_one(
        station: Station, demo_site: SiteConfig, qtbot: QtBot) -> None:
    camera, other = demo_site.cameras[0], demo_site.cameras[5]
    site = demo_site.sites[3]
    make = station.incidents.create
    at_camera = make("Trộm xe máy trước cổng chợ", place=Place(camera.site_id, camera.id))
    at_point = make("Va chạm giao thông", place=Place(camera.site_id, camera.id, Point(21.0605, 106.0575)))
    at_site = make("Gây rối ở nhà văn hóa", place=Place(site.id))
    forwarded = make("Cháy kho", place=Place(other.site_id, other.id))
    station.incidents.set_status(forwarded.id, IncidentStatus.FORWARDED)
    closed = make("Đã xong", place=Place(other.site_id, other.id))
    station.incidents.set_status(closed.id, IncidentStatus.CLOSED)
    nowhere = make("Không rõ nơi")
    station.incidents.record_video(_video(nowhere.id), AN)  # no place of its own, but the phone wrote one
    layer = install_incident_layer(station.map, station.incidents, MapPositions.of(demo_site), station.dock)
    station.window.show()
    qtbot.waitExposed(station.map)
    qtbot.waitUntil(lambda: bool(layer.markers), timeout=5000)
    assert _spots(layer) == {
        (at_camera.id, None, *_scene(camera.position)),
        (at_point.id, None, *_scene(Point(21.0605, 106.0575))),
        (at_site.id, None, *_scene(site.position)),
        (forwarded.id, None, *_scene(other.position)),
        (nowhere.id, "IMG_0412.MOV", *_scene(PHONE_SPOT)),
    }
    assert layer.button.text() == layer.tr("Open incidents ({count})").format(count=5)
    marker = next(m for m in layer.markers if m.incident_id == forwarded.id)
    assert f"{forwarded.id}: Cháy kho" in marker.toolTip() and layer.tr("Forwarded") in marker.toolTip()

    station.dock.select(at_camera.id)
    _click(station.map, marker)
    assert station.dock.selected_id() == forwarded.id

    with qtbot.waitSignal(layer.shown, timeout=5000):
        station.dock.set_status(IncidentStatus.CLOSED)  # the dock's own action: the map reads again
    assert forwarded.id not in layer.incident_ids() and len(layer.incident_ids()) == 4

    layer.button.click()
    assert not layer.visible and not any(m.isVisible() for m in layer.markers)
    layer.button.click()
    assert all(m.isVisible() for m in layer.markers)


def test_the_map_reads_the_incidents_off_the_gui_thread(station: Station, demo_site: SiteConfig,
                                                        qtbot: QtBot) -> None:
    def slow_read() -> list[IncidentSpot]:
        time.sleep(0.3)
        return []

    layer = IncidentLayer(station.map, slow_read)
    started = time.monotonic()
    with qtbot.waitSignal(layer.shown, timeout=5000):
        layer.refresh()
        assert time.monotonic() - started < 0.05


def _click(view: MapView, marker: IncidentMarker) -> None:
    view.centerOn(marker.pos())
    QTest.qWait(50)
    base = view.mapFromScene(marker.pos())
    centre = marker.head().center()
    target = QPoint(base.x() + round(centre.x()), base.y() + round(centre.y()))
    assert view.itemAt(target) is marker
    QTest.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=target)

