"""The console's ONVIF services for a whole site file against the simulator's ONVIF face (loopback only): the
cameras' own events reach the alert log as their kinds, one alert per episode; a clock off past the site's
threshold is an alert that *Đồng bộ giờ* ends; a silent event channel is an alert; PTZ is offered by the camera
that has it and by no other."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from console.core.alerts import AlertEvent, AlertKind
from console.core.camera_events import ChannelState
from console.core.config import SiteConfig
from console.core.credentials import Credentials
from console.core.onvif_settings import EventKindName
from console.onvif.camera_services import CameraServices
from console.onvif.clock_watch import ClockReading
from console.onvif.events import ChannelHealth, EventChannelSettings
from console.onvif.ptz import PtzController, PtzVector
from console.simulator.server import Simulator
from tests.support.onvif_site import onvif_site
from tests.support.waiting import wait_until

PTZ_CAMERA = "C01"
FAST = EventChannelSettings(pull_timeout_s=1.0, stale_after_s=2.0, lost_after_s=3.0, lifetime_s=20.0)


@dataclass
class Heard:
    alerts: list[AlertEvent] = field(default_factory=list)
    readings: list[ClockReading] = field(default_factory=list)
    healths: list[ChannelHealth] = field(default_factory=list)
    ptz: dict[str, PtzController | None] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def submit(self, event: AlertEvent) -> None:
        with self.lock:
            self.alerts.append(event)

    def clock_read(self, reading: ClockReading) -> None:
        self.readings.append(reading)

    def events_health(self, health: ChannelHealth) -> None:
        self.healths.append(health)

    def ptz_ready(self, camera_id: str, controller: PtzController | None, reason_vi: str | None) -> None:
        self.ptz[camera_id] = controller

    def phases(self, camera_id: str, kind: AlertKind) -> list[str]:
        with self.lock:
            return [e.phase for e in self.alerts if e.camera_id == camera_id and e.kind is kind]

    def started(self, camera_id: str, kind: AlertKind) -> AlertEvent:
        with self.lock:
            return next(e for e in self.alerts if e.camera_id == camera_id and e.kind is kind and e.phase == "start")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory,
         demo_password: Credentials) -> Iterator[tuple[Simulator, SiteConfig]]:
    with onvif_site(tmp_path_factory.mktemp("camera-services"), demo_password, ptz=frozenset({PTZ_CAMERA})) as site:
        yield site


@pytest.fixture()
def services(site: tuple[Simulator, SiteConfig], demo_password: Credentials) -> Iterator[tuple[CameraServices, Heard]]:
    _, config = site
    heard = Heard()
    counter = iter(range(1, 1 << 40))
    running = CameraServices(config, lambda ref: demo_password if ref == "demo" else None, heard.submit,
                             lambda: next(counter), event_settings=FAST)
    running.add_listener(heard)
    running.start()
    yield running, heard
    running.close()


def test_every_onvif_camera_of_the_site_file_is_served(services: tuple[CameraServices, Heard],
                                                       site: tuple[Simulator, SiteConfig]) -> None:
    running, heard = services
    _, config = site
    assert config.cameras[0].onvif is not None and config.cameras[0].onvif.events == frozenset(EventKindName)
    assert sorted(running.cameras) == ["C01", "C02"]
    wait_until(lambda: len(heard.ptz) == 2, 20, what="PTZ looked for on both cameras")
    assert heard.ptz["C02"] is None
    assert isinstance(heard.ptz[PTZ_CAMERA], PtzController) and running.ptz(PTZ_CAMERA) is heard.ptz[PTZ_CAMERA]


def test_camera_events_reach_the_alert_log_as_their_kinds(services: tuple[CameraServices, Heard],
                                                          site: tuple[Simulator, SiteConfig]) -> None:
    running, heard = services
    simulator, _ = site
    wait_until(lambda: (h := running.events_health("C02")) is not None and h.state is ChannelState.LIVE, 20,
               what="C02's event channel live")
    simulator.onvif_event("C02", "motion", True)
    wait_until(lambda: heard.phases("C02", AlertKind.CAMERA_MOTION) == ["start"], 5, what="a camera motion alert")
    simulator.onvif_event("C02", "digital_input", True)
    wait_until(lambda: heard.phases("C02", AlertKind.ALARM_INPUT) == ["start"], 5, what="an alarm input alert")
    simulator.onvif_event("C02", "motion", False)
    simulator.onvif_event("C02", "digital_input", False)
    wait_until(lambda: heard.phases("C02", AlertKind.CAMERA_MOTION)[-1:] == ["end"] and
               heard.phases("C02", AlertKind.ALARM_INPUT)[-1:] == ["end"], 5, what="both episodes ended")
    motion, alarm = heard.started("C02", AlertKind.CAMERA_MOTION), heard.started("C02", AlertKind.ALARM_INPUT)
    assert motion.alert_id != alarm.alert_id and motion.site_id == alarm.site_id is not None


def test_a_clock_off_past_the_threshold_is_an_alert_that_syncing_ends(services: tuple[CameraServices, Heard],
                                                                      site: tuple[Simulator, SiteConfig]) -> None:
    running, heard = services
    simulator, _ = site
    wait_until(lambda: running.clock("C02") is not None, 20, what="C02's clock read at connect")
    assert heard.phases("C02", AlertKind.CLOCK_OFFSET) == []
    simulator.onvif_clock("C02", 192.3)
    try:
        off = running.read_clock("C02").result(timeout=20)
        assert off.text_vi == "Lệch giờ +3 phút 12 giây" and running.clock("C02") == off
        assert heard.started("C02", AlertKind.CLOCK_OFFSET).note == "Lệch giờ +3 phút 12 giây"
        synced = running.sync_clock("C02").result(timeout=20)
        assert synced.offset_s is not None and abs(synced.offset_s) < 1.0
        assert heard.phases("C02", AlertKind.CLOCK_OFFSET) == ["start", "end"]
    finally:
        simulator.onvif_clock("C02", 0.0)


def test_a_silent_event_channel_is_an_alert_until_it_answers_again(services: tuple[CameraServices, Heard],
                                                                   site: tuple[Simulator, SiteConfig]) -> None:
    running, heard = services
    simulator, _ = site
    wait_until(lambda: (h := running.events_health("C02")) is not None and h.state is ChannelState.LIVE, 20,
               what="C02's event channel live")
    simulator.onvif_slow("C02", 10.0)
    try:
        wait_until(lambda: heard.phases("C02", AlertKind.EVENTS_LOST) == ["start"], 15, what="the lost-channel alert")
        assert heard.started("C02", AlertKind.EVENTS_LOST).note == "Sự kiện camera: mất kết nối"
    finally:
        simulator.onvif_slow("C02", 0.0)
    wait_until(lambda: heard.phases("C02", AlertKind.EVENTS_LOST) == ["start", "end"], 30,
               what="the alert ended once the channel is live again")


def test_a_ptz_camera_left_alone_returns_home(tmp_path: Path, demo_password: Credentials) -> None:
    with onvif_site(tmp_path, demo_password, cameras=1, ptz=frozenset({PTZ_CAMERA}), home_after_min=0.05) as site:
        simulator, config = site
        counter = iter(range(1, 1 << 40))
        running = CameraServices(config, lambda _ref: demo_password, lambda _event: None, lambda: next(counter))
        running.start()
        try:
            wait_until(lambda: running.ptz(PTZ_CAMERA) is not None, 20, what="the PTZ controller")
            controller = running.ptz(PTZ_CAMERA)
            assert controller is not None
            head = simulator.ptz_head(PTZ_CAMERA)
            home = head.position()
            running.run(controller.press(PtzVector(pan=0.8))).result(timeout=5)
            time.sleep(1.0)
            running.run(controller.release()).result(timeout=5)
            moved = head.position()
            assert abs(moved.pan - home.pan) > 0.05
            time.sleep(2.0)  # within the 3 s idle: it stays where the officer left it
            assert head.position() == moved
            wait_until(lambda: abs(head.position().pan - home.pan) < 0.01 and not head.move_state().pan_tilt, 15,
                       what="the camera back at its home")
        finally:
            running.close()
