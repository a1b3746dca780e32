"""Camera-side events and camera clocks through our adapter against the simulator's ONVIF face: PullPoint events
into typed episodes, a new subscription after a reboot, a lost channel after a short limit; the clock offset
read and shown, and *Đồng bộ giờ* bringing it under a second. Loopback only.

Clocks are here beside the events because the events' evidence times depend on them: a camera's UtcTime is on
its own clock, the alert's time is the station's."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator

import pytest

from console.core.camera_events import CameraEpisodeEvent, CameraEventKind, CameraEventMessage, ChannelState
from console.core.config import load_config
from console.core.credentials import Credentials, CredentialStore
from console.onvif.clock_watch import ClockReading, ClockWatch, device_reader, set_ntp_server, sync_to_station
from console.onvif.events import CameraEventChannel, ChannelHealth, EventChannelSettings, library_source
from console.onvif.network_loop import NetworkLoop
from console.onvif.session import open_session
from console.simulator.server import Simulator, SimulatorOptions
from tests.support.siteconfig import write_demo_config
from tests.support.waiting import wait_until

CAMERAS = ("C01", "C02")


@pytest.fixture(scope="module")
def sim(tmp_path_factory: pytest.TempPathFactory, demo_password: Credentials) -> Iterator[Simulator]:
    folder = tmp_path_factory.mktemp("onvif-events")
    path = write_demo_config(folder / "site.toml", cameras=len(CAMERAS), credentials="demo")
    store = CredentialStore({"demo": demo_password})
    options = SimulatorOptions(loop_s=2.0, onvif=True, cache_dir=folder)
    with Simulator(load_config(path, store.refs), store, options) as simulator:
        yield simulator


def onvif_port(sim: Simulator, camera_id: str) -> int:
    return sim.onvif_device(camera_id).spec.port


@pytest.fixture()
def clock_off(sim: Simulator) -> Iterator[str]:
    before = sim.onvif_device("C02").state.clock.offset_s
    sim.onvif_clock("C02", 192.3)
    yield "C02"
    sim.onvif_clock("C02", before)


def test_the_clock_offset_is_read_and_shown_in_vietnamese(sim: Simulator, clock_off: str) -> None:
    readings: list[ClockReading] = []
    watch = ClockWatch(clock_off, device_reader("127.0.0.1", onvif_port(sim, clock_off)), on_reading=readings.append)
    reading = asyncio.run(watch.read_now())
    assert reading.offset_s is not None and abs(reading.offset_s - 192.3) < 0.5
    assert reading.text_vi == "Lệch giờ +3 phút 12 giây" and reading.over_threshold
    assert readings == [reading]


def test_setting_the_clock_to_the_stations_brings_it_under_a_second(sim: Simulator, clock_off: str,
                                                                   demo_password: Credentials) -> None:
    reading = asyncio.run(sync_to_station("127.0.0.1", onvif_port(sim, clock_off), demo_password, clock_off))
    truth = sim.onvif_device(clock_off).state.clock.offset_s
    assert abs(truth) < 1.0 and reading.offset_s is not None and abs(reading.offset_s) < 1.0
    assert not reading.over_threshold and reading.text_vi == "Lệch giờ dưới 1 giây"


def test_a_clock_hours_off_is_set_too_although_it_refuses_ordinary_logins(sim: Simulator,
                                                                         demo_password: Credentials) -> None:
    before = sim.onvif_device("C01").state.clock.offset_s
    sim.onvif_clock("C01", -3 * 3600.0)
    try:
        asyncio.run(sync_to_station("127.0.0.1", onvif_port(sim, "C01"), demo_password, "C01"))
        assert abs(sim.onvif_device("C01").state.clock.offset_s) < 1.0
    finally:
        sim.onvif_clock("C01", before)


def test_the_camera_can_be_pointed_at_an_ntp_server(sim: Simulator, demo_password: Credentials) -> None:
    async def point() -> None:
        session = await open_session("127.0.0.1", onvif_port(sim, "C01"), demo_password)
        try:
            await set_ntp_server(session, "192.168.1.1")
        finally:
            await session.close()

    asyncio.run(point())
    clock = sim.onvif_device("C01").state.clock
    assert clock.date_time_type.value == "NTP" and [s.address for s in clock.ntp_servers] == ["192.168.1.1"]
    assert clock.tz == "ICT-7"  # the camera's zone kept


# -- events ------------------------------------------------------------------------------------------------------
FAST = EventChannelSettings(lifetime_s=10.0, pull_timeout_s=1.0, stale_after_s=1.5, lost_after_s=3.0, tick_s=0.1,
                            cooldown_ms=60_000, call_timeout_s=2.0)


class Listener:
    """One camera's channel on the test's network loop, and everything it told."""

    def __init__(self, sim: Simulator, camera_id: str, credentials: Credentials, network: NetworkLoop,
                 settings: EventChannelSettings = FAST) -> None:
        self.network = network
        self.messages: list[CameraEventMessage] = []
        self.episodes: list[CameraEpisodeEvent] = []
        self.healths: list[ChannelHealth] = []
        connect = library_source("127.0.0.1", onvif_port(sim, camera_id), credentials, timeout_s=2.0)

        async def build() -> CameraEventChannel:
            channel = CameraEventChannel(camera_id, connect, site_id="S01", settings=settings,
                                         on_message=self.messages.append, on_episode=self.episodes.append,
                                         on_health=self.healths.append)
            channel.start()
            return channel

        self.channel = network.submit(build()).result(10)

    def live(self) -> bool:
        return self.channel.health.state is ChannelState.LIVE

    def phases(self, kind: CameraEventKind) -> list[str]:
        return [e.phase for e in self.episodes if e.kind is kind]

    def close(self) -> None:
        self.network.submit(self.channel.close()).result(10)


@pytest.fixture()
def network() -> Iterator[NetworkLoop]:
    loop = NetworkLoop("test-onvif-events").start()
    yield loop
    loop.stop()


@pytest.fixture()
def listener(sim: Simulator, demo_password: Credentials, network: NetworkLoop) -> Iterator[Listener]:
    heard = Listener(sim, "C01", demo_password, network)
    wait_until(heard.live, 10, what="the event channel live")
    yield heard
    heard.close()


def test_camera_events_become_typed_episodes(sim: Simulator, listener: Listener) -> None:
    sim.onvif_event("C01", "motion", True)
    wait_until(lambda: listener.phases(CameraEventKind.MOTION) == ["start"], 5, what="the motion episode's start")
    sim.onvif_event("C01", "motion", False)
    wait_until(lambda: listener.phases(CameraEventKind.MOTION) == ["start", "end"], 5, what="its end")
    sim.onvif_event("C01", "digital_input", True)
    sim.onvif_event("C01", "tamper", True)
    wait_until(lambda: listener.phases(CameraEventKind.ALARM_INPUT) == ["start"] and
               listener.phases(CameraEventKind.TAMPER) == ["start"], 5, what="the alarm input and tamper episodes")
    sim.onvif_event("C01", "digital_input", False)
    sim.onvif_event("C01", "tamper", False)
    wait_until(lambda: listener.phases(CameraEventKind.TAMPER) == ["start", "end"], 5, what="tamper's end")
    motion = next(m for m in listener.messages if m.kind is CameraEventKind.MOTION and m.active)
    assert motion.camera_time_ms is not None and abs(motion.camera_time_ms - motion.received_ms) < 5_000
    assert len({e.alert_id for e in listener.episodes}) == 3
    assert listener.episodes[0].label_vi == "Chuyển động (camera)"


def test_motion_again_within_the_cooldown_is_the_same_alert(sim: Simulator, listener: Listener) -> None:
    for state in (True, False, True, False):
        sim.onvif_event("C01", "motion", state)
        time.sleep(0.3)
    wait_until(lambda: len(listener.phases(CameraEventKind.MOTION)) == 4, 5, what="four episode events")
    assert listener.phases(CameraEventKind.MOTION) == ["start", "end", "active", "end"]
    assert len({e.alert_id for e in listener.episodes}) == 1


def test_a_rebooted_camera_is_subscribed_again(sim: Simulator, listener: Listener) -> None:
    first = listener.channel.health.subscriptions
    sim.onvif_reboot("C01")
    wait_until(lambda: listener.channel.health.subscriptions > first and listener.live(), 20,
               what="a new subscription after the reboot")
    sim.onvif_event("C01", "motion", True)
    wait_until(lambda: "start" in listener.phases(CameraEventKind.MOTION), 5, what="events after the reboot")
    sim.onvif_event("C01", "motion", False)


def test_a_silent_camera_is_a_lost_channel_after_the_limit(sim: Simulator, demo_password: Credentials,
                                                          network: NetworkLoop) -> None:
    heard = Listener(sim, "C02", demo_password, network)
    try:
        wait_until(heard.live, 10, what="the event channel live")
        sim.onvif_slow("C02", 10.0)  # every answer comes after the channel's own timeouts
        started = time.monotonic()
        wait_until(lambda: heard.channel.health.lost, 10, what="the channel lost")
        took = time.monotonic() - started
        assert FAST.lost_after_s - 0.5 <= took <= FAST.lost_after_s + 2.5
        states = [h.state for h in heard.healths]
        assert ChannelState.STALE in states and states.index(ChannelState.STALE) < states.index(ChannelState.LOST)
        lost = heard.channel.health
        assert lost.error_vi and "mất kết nối" in lost.label_vi
    finally:
        sim.onvif_slow("C02", 0.0)
    wait_until(heard.live, 20, what="the channel live again once the camera answers")
    heard.close()
