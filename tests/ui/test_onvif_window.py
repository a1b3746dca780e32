"""The cameras' own ONVIF side as the officer meets it in the real window (issue 18's tests), against the
simulator's ONVIF face on loopback: a camera's motion event is one "Chuyển động (camera)" alert in the alarm
list; an event channel that stops answering is "mất kết nối" on the camera tree and one lost-channel alert, live
again once the camera answers; a rebooted camera is subscribed again and its next event alerts; a camera clock
off past the threshold is an alert and "Lệch giờ …" on the tree, and *Đồng bộ giờ camera* from the tile menu
brings it under a second; a PTZ camera left alone after a move goes back to its home by itself, and the audit
trail names the system, not the officer on duty, for that return.

The window is the real one (tests/support/station.py): its alarm list reads the real AlertWriter's SQLite, its
CameraServices run the event channels with a lost limit of a few seconds instead of 60."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from pytestqt.qtbot import QtBot

from console.audit.actions import AuditAction
from console.audit.chain import SYSTEM_USER
from console.core.alerts import AlertKind
from console.core.camera_events import ChannelState
from console.core.config import SiteConfig
from console.core.credentials import Credentials
from console.onvif.events import EventChannelSettings
from console.simulator.ptz_head import PtzPosition
from console.simulator.server import Simulator
from console.ui.alerts.panel import AlertPanel
from tests.support.onvif_site import onvif_site
from tests.support.station import ADMIN, ADMIN_PW, OFFICER, OFFICER_PW, Station

PTZ_CAMERA = "C01"
EVENTS_CAMERA = "C02"  # a fixed camera: its events, channel and clock
HOME_AFTER_MIN = 0.05  # 3 s idle, then the PTZ camera goes home (the site file's `home_after_min`)
# The event channels' timings, shortened: a pull answers within 1 s, the channel is lost after 3 s without one.
FAST = EventChannelSettings(lifetime_s=20.0, pull_timeout_s=1.0, stale_after_s=1.5, lost_after_s=3.0, tick_s=0.1,
                            call_timeout_s=2.0)
SILENT_S = 4.0  # every answer that late: past the pull's own limit (pull timeout + call timeout = 3 s)
CLOCK_OFF_S = 192.3  # past the site's 5 s threshold: "Lệch giờ +3 phút 12 giây"
CONNECTED_MS = 20_000  # first ONVIF session of a window (the library's schemas parsed on the network loop)
ALERTED_MS = 5_000
RECOVERED_MS = 20_000  # a failed channel's backoff and new subscription


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory,
         demo_password: Credentials) -> Iterator[tuple[Simulator, SiteConfig]]:
    """Two cameras with every event kind opted in, the first one PTZ with a short home return."""
    with onvif_site(tmp_path_factory.mktemp("onvif-window"), demo_password, ptz=frozenset({PTZ_CAMERA}),
                    home_after_min=HOME_AFTER_MIN) as running:
        yield running


@pytest.fixture()
def open_station(qtbot: QtBot, site: tuple[Simulator, SiteConfig], demo_password: Credentials, _data_dir: Path,
                 vietnamese: object) -> Iterator[Callable[..., Station]]:
    """The window with the cameras' ONVIF services, logged in as (login, password); closed after the test."""
    made: list[Station] = []

    def open_(login: str = OFFICER, password: str = OFFICER_PW) -> Station:
        station = Station(qtbot, site[1], demo_password, _data_dir, onvif=True, event_settings=FAST)
        made.append(station)
        station.log_in(login, password)
        return station

    yield open_
    for station in made:
        station.close()


@dataclass(frozen=True)
class Listed:
    """One line of the alarm list as the officer reads it."""

    kind: str
    camera: str
    note: str
    ended: bool


def listed(station: Station, kind: AlertKind) -> list[Listed]:
    """The alarm list's lines of one kind, read through its model as the view shows them."""
    model = alarm_list(station).model
    found = []
    for number, row in enumerate(model.rows()):
        if row.kind is kind:
            def shown(column: str, number: int = number) -> str:
                return str(model.data(model.index(number, model.COLUMNS.index(column))))

            found.append(Listed(shown("kind"), shown("camera"), shown("note"), row.ended_ms is not None))
    return found


def alarm_list(station: Station) -> AlertPanel:
    center = station.window.alert_center
    assert center is not None
    return center.panel


def tooltip(station: Station, camera_id: str) -> str:
    return station.window.camera_tree.camera_item(camera_id).toolTip(0)


def events_live(qtbot: QtBot, station: Station, camera_id: str = EVENTS_CAMERA) -> None:
    qtbot.waitUntil(lambda: "Sự kiện camera: đang nhận" in tooltip(station, camera_id), timeout=CONNECTED_MS)


def label(site: tuple[Simulator, SiteConfig], camera_id: str) -> str:
    return site[1].camera(camera_id).label


def test_a_camera_motion_event_is_one_alert_in_the_alarm_list(qtbot: QtBot, site: tuple[Simulator, SiteConfig],
                                                              open_station: Callable[..., Station]) -> None:
    simulator, _ = site
    station = open_station()
    events_live(qtbot, station)
    assert listed(station, AlertKind.CAMERA_MOTION) == []
    simulator.onvif_event(EVENTS_CAMERA, "motion", True)
    qtbot.waitUntil(lambda: len(listed(station, AlertKind.CAMERA_MOTION)) == 1, timeout=ALERTED_MS)
    [alert] = listed(station, AlertKind.CAMERA_MOTION)
    assert (alert.kind, alert.camera, alert.ended) == ("Chuyển động (camera)", label(site, EVENTS_CAMERA), False)
    simulator.onvif_event(EVENTS_CAMERA, "motion", False)
    qtbot.waitUntil(lambda: [a.ended for a in listed(station, AlertKind.CAMERA_MOTION)] == [True],
                    timeout=ALERTED_MS)
    assert [a.camera for a in listed(station, AlertKind.CAMERA_MOTION)] == [label(site, EVENTS_CAMERA)]


def test_a_channel_that_stops_answering_is_lost_on_the_tree_and_one_alert(
        qtbot: QtBot, site: tuple[Simulator, SiteConfig], open_station: Callable[..., Station]) -> None:
    simulator, _ = site
    station = open_station()
    events_live(qtbot, station)
    simulator.onvif_slow(EVENTS_CAMERA, SILENT_S)
    try:
        started = time.monotonic()
        qtbot.waitUntil(lambda: "Sự kiện camera: mất kết nối" in tooltip(station, EVENTS_CAMERA),
                        timeout=int((FAST.lost_after_s + 5) * 1000))
        # not before the limit (the last pull answered may have left up to one long poll before `started`)
        assert time.monotonic() - started >= FAST.lost_after_s - FAST.pull_timeout_s - 0.5
        qtbot.waitUntil(lambda: len(listed(station, AlertKind.EVENTS_LOST)) == 1, timeout=ALERTED_MS)
        [lost] = listed(station, AlertKind.EVENTS_LOST)
        assert (lost.kind, lost.camera, lost.ended) == ("Mất kênh sự kiện camera", label(site, EVENTS_CAMERA), False)
        assert lost.note.startswith("Sự kiện camera: mất kết nối")
        assert "Sự kiện camera: đang nhận" not in tooltip(station, EVENTS_CAMERA)
    finally:
        simulator.onvif_slow(EVENTS_CAMERA, 0.0)
    qtbot.waitUntil(lambda: "Sự kiện camera: đang nhận" in tooltip(station, EVENTS_CAMERA), timeout=RECOVERED_MS)
    qtbot.waitUntil(lambda: [a.ended for a in listed(station, AlertKind.EVENTS_LOST)] == [True], timeout=ALERTED_MS)
    assert "mất kết nối" not in tooltip(station, EVENTS_CAMERA)


def test_a_rebooted_camera_is_subscribed_again_and_its_next_event_alerts(
        qtbot: QtBot, site: tuple[Simulator, SiteConfig], open_station: Callable[..., Station]) -> None:
    simulator, _ = site
    station = open_station()
    services = station.services
    assert services is not None
    events_live(qtbot, station)
    before = services.events_health(EVENTS_CAMERA)
    assert before is not None and before.subscriptions >= 1
    simulator.onvif_reboot(EVENTS_CAMERA)
    assert simulator.onvif_subscriptions(EVENTS_CAMERA) == 0  # the camera forgot every pull point

    def subscribed_again() -> bool:
        health = services.events_health(EVENTS_CAMERA)
        return health is not None and health.subscriptions > before.subscriptions \
            and health.state is ChannelState.LIVE and simulator.onvif_subscriptions(EVENTS_CAMERA) >= 1

    qtbot.waitUntil(subscribed_again, timeout=RECOVERED_MS)
    events_live(qtbot, station)
    simulator.onvif_event(EVENTS_CAMERA, "motion", True)  # only a new pull point can carry it
    try:
        qtbot.waitUntil(lambda: len(listed(station, AlertKind.CAMERA_MOTION)) == 1, timeout=ALERTED_MS)
    finally:
        simulator.onvif_event(EVENTS_CAMERA, "motion", False)
    [alert] = listed(station, AlertKind.CAMERA_MOTION)
    assert (alert.kind, alert.camera) == ("Chuyển động (camera)", label(site, EVENTS_CAMERA))


@pytest.fixture()
def clock_off(site: tuple[Simulator, SiteConfig]) -> Iterator[float]:
    """The events camera's clock 3 min 12 s ahead of the station, before the window reads it at connect."""
    simulator, _ = site
    before = simulator.onvif_device(EVENTS_CAMERA).state.clock.offset_s
    simulator.onvif_clock(EVENTS_CAMERA, CLOCK_OFF_S)
    yield CLOCK_OFF_S
    simulator.onvif_clock(EVENTS_CAMERA, before)


def test_a_clock_off_past_the_threshold_alerts_and_the_tile_menus_sync_sets_it(
        qtbot: QtBot, site: tuple[Simulator, SiteConfig], clock_off: float,
        open_station: Callable[..., Station]) -> None:
    simulator, _ = site
    station = open_station(ADMIN, ADMIN_PW)  # setting a camera's clock changes the camera: admins only
    window = station.window
    qtbot.waitUntil(lambda: "Lệch giờ +3 phút 12 giây" in tooltip(station, EVENTS_CAMERA), timeout=CONNECTED_MS)
    qtbot.waitUntil(lambda: len(listed(station, AlertKind.CLOCK_OFFSET)) == 1, timeout=ALERTED_MS)
    [alert] = listed(station, AlertKind.CLOCK_OFFSET)
    assert (alert.kind, alert.camera, alert.note, alert.ended) == (
        "Lệch giờ camera", label(site, EVENTS_CAMERA), "Lệch giờ +3 phút 12 giây", False)
    [index] = [n for n, tile in enumerate(window.wall.tiles) if tile.camera_id == EVENTS_CAMERA]
    mark = len(station.rows())
    [sync] = [slot for text, slot in window.tile_actions(index) if text == "Đồng bộ giờ camera"]
    sync()  # type: ignore[operator]
    qtbot.waitUntil(lambda: "Lệch giờ dưới 1 giây" in tooltip(station, EVENTS_CAMERA), timeout=CONNECTED_MS)
    assert "Lệch giờ +3 phút" not in tooltip(station, EVENTS_CAMERA)
    assert abs(simulator.onvif_device(EVENTS_CAMERA).state.clock.offset_s) < 1.0  # the camera's own clock
    qtbot.waitUntil(lambda: window.statusBar().currentMessage().startswith(
        f"Camera {EVENTS_CAMERA}: đã đồng bộ giờ ("), timeout=ALERTED_MS)
    qtbot.waitUntil(lambda: [a.ended for a in listed(station, AlertKind.CLOCK_OFFSET)] == [True], timeout=ALERTED_MS)
    qtbot.waitUntil(lambda: len(station.rows()) > mark, timeout=ALERTED_MS)
    [row] = station.rows_after(mark)
    assert (row.action, row.user, row.role, row.camera, row.target) == (
        AuditAction.SETTINGS_CHANGED, ADMIN, "admin", EVENTS_CAMERA, "clock")


def pan_apart(a: PtzPosition, b: PtzPosition) -> float:
    """How far apart two pans are (pan wraps round at ±1)."""
    return abs((a.pan - b.pan + 1.0) % 2.0 - 1.0)


def test_a_ptz_camera_left_alone_after_a_move_goes_back_home(qtbot: QtBot, site: tuple[Simulator, SiteConfig],
                                                              open_station: Callable[..., Station]) -> None:
    simulator, _ = site
    station = open_station()
    onvif = station.window.onvif
    assert onvif is not None
    qtbot.waitUntil(lambda: onvif.joystick.available(PTZ_CAMERA), timeout=CONNECTED_MS)
    head = simulator.ptz_head(PTZ_CAMERA)
    control = simulator.onvif_device(PTZ_CAMERA).ptz
    assert control is not None
    home = control.home  # where GotoHomePosition takes the simulated head
    mark = len(station.rows())
    tile = station.window.wall.tile(0)
    assert tile.camera_id == PTZ_CAMERA
    centre, ctrl = tile.rect().center(), Qt.KeyboardModifier.ControlModifier
    qtbot.mousePress(tile, Qt.MouseButton.LeftButton, ctrl, centre)  # Ctrl+drag: the joystick
    qtbot.mouseMove(tile, centre + QPoint(tile.width() // 4, 0))
    qtbot.waitUntil(lambda: pan_apart(head.position(), home) > 0.05, timeout=5_000)
    qtbot.mouseRelease(tile, Qt.MouseButton.LeftButton, ctrl, centre + QPoint(tile.width() // 4, 0))
    released = time.monotonic()
    qtbot.waitUntil(lambda: not head.move_state().pan_tilt, timeout=5_000)
    left_at = head.position()
    assert pan_apart(left_at, home) > 0.05
    qtbot.waitUntil(lambda: pan_apart(head.position(), home) < 0.01 and not head.move_state().pan_tilt,
                    timeout=int(HOME_AFTER_MIN * 60_000) + 10_000)
    assert time.monotonic() - released >= HOME_AFTER_MIN * 60 - 0.5  # it stayed where the officer left it first
    qtbot.waitUntil(lambda: len(station.rows()) >= mark + 2, timeout=ALERTED_MS)
    ptz = [r for r in station.rows_after(mark) if r.action == AuditAction.PTZ]
    assert [(r.user, r.camera, r.details["gesture"], r.details.get("end")) for r in ptz] == [
        (OFFICER, PTZ_CAMERA, "move", "released"),  # the officer's drag
        (SYSTEM_USER, PTZ_CAMERA, "home_goto", "done")]  # the console's return: not the officer's doing
    assert ptz[0].role == "officer"
