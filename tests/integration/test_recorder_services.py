"""The console's recorder services for a whole site file against the recorder simulator (loopback only): a Hikvision
and a Dahua recorder with cameras on their channels; each recorder's events reach the alert log as the events of the
camera on that channel, of the camera-event kinds; a silenced event stream is a *Mất kênh sự kiện* alert that ends
when it speaks again; a wrong password is told in Vietnamese and crashes nothing; a time mode the site file states is
kept when the recorder's clock points to another (told as a warning, never applied)."""

from __future__ import annotations

import functools
import logging
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from typing import Any

import pytest

from console.core.alerts import AlertEvent, AlertKind
from console.core.camera_events import ChannelState
from console.core.config import SiteConfig
from console.core.credentials import Credentials
from console.core.recorder_settings import RecorderTimeMode
from console.nvr.errors import NvrError
from console.nvr.events import RecorderEventHealth, RecorderEventSettings
from console.nvr.services import RecorderClock, RecorderServices, RecorderServicesSettings
from console.nvr.timebase import TimeMode
from console.simulator.nvr.recorder import Vendor
from console.simulator.nvr.server import RecorderSimulator
from tests.support.nvr_site import ADMIN, WRONG_PASSWORD, recorder_site
from tests.support.ports import free_ports
from tests.support.waiting import wait_until

HIK, DAHUA = "nvr-hik", "nvr-dh"
# camera → (recorder, channel): C01 and C02 on the Hikvision, C03 and C04 on the Dahua (its channels 3 and 4)
ON_CHANNELS = {"C01": (HIK, 1), "C02": (HIK, 2), "C03": (DAHUA, 3), "C04": (DAHUA, 4)}
FAST = RecorderServicesSettings(
    # Dahua's heartbeat is at least 1 s: silent after 1.5 s, lost after 3 s (60 s in the console)
    events=RecorderEventSettings(heartbeat_s=0.5, silent_after_s=1.5, stale_after_s=1.5, lost_after_s=3.0,
                                 tick_s=0.1, cooldown_ms=0, auth_retry_s=(0.2, 0.2)),
    call_timeout_s=3.0, close_timeout_s=5.0)


@dataclass
class Heard:
    alerts: list[AlertEvent] = field(default_factory=list)
    healths: list[RecorderEventHealth] = field(default_factory=list)
    clocks: list[RecorderClock] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def submit(self, event: AlertEvent) -> None:
        with self.lock:
            self.alerts.append(event)

    def recorder_health(self, health: RecorderEventHealth) -> None:
        with self.lock:
            self.healths.append(health)

    def recorder_clock(self, clock: RecorderClock) -> None:
        with self.lock:
            self.clocks.append(clock)

    def of(self, kind: AlertKind, camera_id: str | None = None) -> list[AlertEvent]:
        with self.lock:
            return [e for e in self.alerts if e.kind is kind and e.camera_id == camera_id]

    def phases(self, kind: AlertKind, camera_id: str | None = None) -> list[str]:
        return [e.phase for e in self.of(kind, camera_id)]


def site(nvr: RecorderSimulator, *, hik_port: int | None = None, extra: tuple[dict[str, Any], ...] = ()) -> SiteConfig:
    return recorder_site(nvr, ON_CHANNELS, hik_id=HIK, dahua_id=DAHUA, hik_port=hik_port, extra=extra)


@contextmanager
def running(config: SiteConfig, credentials: Credentials | None = ADMIN) -> Iterator[tuple[RecorderServices, Heard]]:
    heard = Heard()
    counter = iter(range(1, 1 << 40))
    services = RecorderServices(config, lambda ref: credentials if ref == "nvr" else None, heard.submit,
                                lambda: next(counter), settings=FAST)
    services.add_listener(heard)
    services.start()
    try:
        yield services, heard
    finally:
        started = time.monotonic()
        services.close()
        assert time.monotonic() - started < FAST.close_timeout_s


def live(services: RecorderServices, nvr: RecorderSimulator, *recorders: str) -> None:
    vendors = {HIK: Vendor.HIKVISION, DAHUA: Vendor.DAHUA}
    def is_live(recorder: str) -> bool:
        health = services.events_health(recorder)
        return health is not None and health.state is ChannelState.LIVE and \
            nvr.recorder(vendors[recorder]).event_streams == 1

    for recorder in recorders:
        wait_until(functools.partial(is_live, recorder), 10, what=f"{recorder}'s events live")


def test_each_recorders_events_become_alerts_of_the_camera_on_that_channel(nvr: RecorderSimulator) -> None:
    config = site(nvr)
    hik, dahua = nvr.recorder(Vendor.HIKVISION), nvr.recorder(Vendor.DAHUA)
    with running(config) as (services, heard):
        assert sorted(services.recorders) == sorted([HIK, DAHUA])
        live(services, nvr, HIK, DAHUA)
        hik.event(2, "motion", True)
        dahua.event(3, "tamper", True)
        hik.event(1, "alarm_input", True, input_port=1)  # the input wired at channel 1's camera
        dahua.event(9, "motion", True)  # channel 9 is no camera of this site: passed over
        wait_until(lambda: heard.of(AlertKind.CAMERA_MOTION, "C02") and heard.of(AlertKind.CAMERA_TAMPER, "C03")
                   and heard.of(AlertKind.ALARM_INPUT, "C01"), 5, what="the three alerts")
        hik.event(2, "motion", False)
        wait_until(lambda: "end" in heard.phases(AlertKind.CAMERA_MOTION, "C02"), 5, what="the motion's end")

        clocks = {r: services.clock(r) for r in (HIK, DAHUA)}
        channels = services.call(HIK, lambda recorder: recorder.channels()).result(timeout=10)
        assert services.channel_of("C03") == (DAHUA, 3) and services.channel_of("C05") is None
    by_camera = {(e.camera_id, e.kind) for e in heard.alerts if e.phase == "start"}
    assert by_camera == {("C02", AlertKind.CAMERA_MOTION), ("C03", AlertKind.CAMERA_TAMPER),
                         ("C01", AlertKind.ALARM_INPUT)}
    assert heard.of(AlertKind.CAMERA_MOTION, "C02")[0].site_id == config.camera("C02").site_id
    assert "end" in heard.phases(AlertKind.CAMERA_TAMPER, "C03")  # closing ends what is still going on
    assert not heard.of(AlertKind.EVENTS_LOST)
    hik_clock, dahua_clock = clocks[HIK], clocks[DAHUA]
    assert hik_clock is not None and hik_clock.timebase is not None and hik_clock.timebase.mode is TimeMode.UTC
    assert dahua_clock is not None and dahua_clock.timebase is not None
    assert (dahua_clock.timebase.mode, dahua_clock.timebase.zone_offset_s) == (TimeMode.LOCAL, 7 * 3600)
    assert abs(hik_clock.offset_s or 99) < 2 and abs(dahua_clock.offset_s or 99) < 2
    assert {c.recorder_id for c in heard.clocks} == {HIK, DAHUA}
    assert len(channels) == len(config.cameras)


def test_a_silenced_event_stream_is_a_lost_alert_that_ends_when_it_speaks_again(nvr: RecorderSimulator) -> None:
    hik = nvr.recorder(Vendor.HIKVISION)
    with running(site(nvr)) as (services, heard):
        live(services, nvr, HIK, DAHUA)
        hik.faults.events_silent = True  # the recorder hangs: the connection stays, nothing comes
        wait_until(lambda: heard.phases(AlertKind.EVENTS_LOST) == ["start"], 8, what="the lost alert")
        lost = heard.of(AlertKind.EVENTS_LOST)[0]
        assert lost.note is not None and lost.note.startswith(f"{HIK} (127.0.0.1:{hik.http_port}): ")
        assert "Sự kiện đầu ghi: mất kết nối" in lost.note
        health = services.events_health(HIK)
        assert health is not None and health.lost and health.silences >= 1
        assert (services.events_health(DAHUA) or health).state is ChannelState.LIVE  # the other recorder is fine

        hik.faults.events_silent = False
        wait_until(lambda: heard.phases(AlertKind.EVENTS_LOST) == ["start", "end"], 10, what="the lost alert ended")
        hik.event(1, "motion", True)
        wait_until(lambda: heard.of(AlertKind.CAMERA_MOTION, "C01"), 5, what="events after the silence")
    states = [h.state for h in heard.healths if h.recorder_id == HIK]
    assert ChannelState.LOST in states and states[states.index(ChannelState.LOST):].count(ChannelState.LIVE) >= 1
    assert len([e for e in heard.alerts if e.kind is AlertKind.EVENTS_LOST and e.phase == "start"]) == 1


def test_a_wrong_password_is_told_in_vietnamese_and_crashes_nothing(nvr: RecorderSimulator) -> None:
    refused = "từ chối đăng nhập: sai tên đăng nhập hoặc mật khẩu"
    with running(site(nvr), Credentials(ADMIN.username, WRONG_PASSWORD)) as (services, heard):
        wait_until(lambda: all(services.clock(r) is not None for r in (HIK, DAHUA)), 10, what="the clocks")
        for recorder in (HIK, DAHUA):
            clock = services.clock(recorder)
            assert clock is not None and clock.reading is None and clock.error_kind == "auth"
            assert refused in (clock.error_vi or "")
        wait_until(lambda: len(heard.of(AlertKind.EVENTS_LOST)) == 2, 8, what="both event channels halted")
        for recorder in (HIK, DAHUA):
            health = services.events_health(recorder)
            assert health is not None and health.state is ChannelState.HALTED and refused in (health.error_vi or "")
        notes = sorted(e.note or "" for e in heard.of(AlertKind.EVENTS_LOST))
        assert all("đầu ghi từ chối đăng nhập, đã dừng thử lại" in n and refused in n for n in notes)
        failed = services.call(HIK, lambda recorder: recorder.channels())
        with pytest.raises(NvrError) as caught:
            failed.result(timeout=10)
        assert refused in caught.value.message_vi
        assert WRONG_PASSWORD not in caught.value.message_vi + " ".join(notes)


def test_a_recorder_nobody_answers_for_is_told_and_an_onvif_one_is_contacted(nvr: RecorderSimulator) -> None:
    closed_port = free_ports(1)[0]
    onvif = {"id": "nvr-onvif", "vendor": "onvif", "host": "127.0.0.1", "http_port": closed_port}
    with running(site(nvr, hik_port=closed_port, extra=(onvif,))) as (services, _):
        assert sorted(services.recorders) == sorted([HIK, DAHUA, "nvr-onvif"])
        assert services.recorder("nvr-onvif") is not None
        wait_until(lambda: services.clock("nvr-onvif") is not None, 10, what="the ONVIF clock attempt")
        onvif_clock = services.clock("nvr-onvif")
        assert onvif_clock is not None and onvif_clock.error_kind == "unreachable"
        wait_until(lambda: services.clock(HIK) is not None, 10, what="the clock attempt")
        clock = services.clock(HIK)
        assert clock is not None and clock.error_kind == "unreachable"
        assert "Không kết nối được tới đầu ghi 127.0.0.1:" in (clock.error_vi or "")
        live(services, nvr, DAHUA)


def stating(config: SiteConfig, modes: dict[str, RecorderTimeMode]) -> SiteConfig:
    """The site file with `time_zone_mode` stated for these recorders (as the wizard writes it)."""
    return replace(config, recorders=tuple(replace(r, time_zone_mode=modes.get(r.id, r.time_zone_mode))
                                           for r in config.recorders))


def test_a_stated_time_mode_is_kept_when_the_recorder_points_to_another_and_the_warning_is_told(
        nvr: RecorderSimulator, caplog: pytest.LogCaptureFixture) -> None:
    hik = nvr.recorder(Vendor.HIKVISION)
    hik.clock.z_means_local = True  # the firmware now writes local time under a Z; the file says UTC
    config = stating(site(nvr), {HIK: RecorderTimeMode.UTC, DAHUA: RecorderTimeMode.LOCAL})
    caplog.set_level(logging.WARNING, logger="console.nvr.services")
    with running(config) as (services, heard):
        wait_until(lambda: all(services.clock(r) is not None for r in (HIK, DAHUA)), 10, what="the clocks")
        again = services.read_clock(HIK).result(timeout=10)  # the 10-minute reading, now: still no flip
        adapter = services.recorder(HIK)
        assert adapter is not None and adapter.timebase.mode is TimeMode.UTC
    for clock in (services.clock(HIK), again):
        assert clock is not None and clock.timebase is not None and clock.timebase.mode is TimeMode.UTC
        assert clock.reading is not None and clock.reading.from_settings
        assert clock.detected_mode is TimeMode.LOCAL_AS_UTC
        assert clock.warning_vi is not None and clock.warning_vi.startswith(
            f"Đầu ghi {HIK} (127.0.0.1:{hik.http_port}): tệp cấu hình ghi time_zone_mode = \"utc\" nhưng đồng hồ "
            "và bản ghi của đầu ghi cho thấy \"local-as-utc\". Phần mềm vẫn dùng \"utc\"")
        assert clock.warning_en is not None and "local-as-utc" in clock.warning_en
    dahua = services.clock(DAHUA)  # a Dahua writes local time, as stated: nothing to tell
    assert dahua is not None and dahua.timebase is not None and dahua.timebase.mode is TimeMode.LOCAL
    assert dahua.detected_mode is None and dahua.warning_vi is None
    told = [c for c in heard.clocks if c.recorder_id == HIK]
    assert len(told) == 2 and all(c.warning_vi for c in told)  # the listeners (the window) heard each reading
    logged = [r for r in caplog.records if r.levelno == logging.WARNING and "time_zone_mode" in r.getMessage()]
    assert len(logged) == 1 and HIK in logged[0].getMessage()  # once per disagreement, not every reading
