"""The onboarding wizard's recorder import without its window: the recorder simulator's Hikvision and Dahua faces
read on loopback, ticked channels saved as one `[[recorders]]` table (with the time mode and zone its clock showed)
and cameras on its channels, the recorder's login in the credentials store only; a wrong password, a port that is
no recorder and a closed port refused in Vietnamese naming the recorder, with nothing written."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from console.core.config import SiteConfig, load_config, load_config_with_credentials
from console.core.config_edit import SiteFileEditor
from console.core.credentials import Credentials, CredentialStore
from console.core.recorder_settings import RecorderTimeMode, RecorderVendor
from console.nvr.errors import NvrError, NvrErrorKind
from console.onboarding.controller import OnboardingController
from console.onboarding.limits import OnboardingLimits
from console.onboarding.nvr_import import (
    ChannelPick,
    EmptyRecorderError,
    RecorderDevice,
    RecorderReading,
    saved_channels,
)
from console.simulator.nvr.recorder import Vendor
from console.simulator.nvr.server import RecorderSimulator, RunningRecorder
from tests.support.nvr_site import ADMIN, PASSWORD, VENDORS, WRONG_PASSWORD
from tests.support.ports import free_ports
from tests.support.siteconfig import write_demo_config

LIMITS = OnboardingLimits(call_timeout_s=3.0)
TEST_TIMEOUT_S = 30.0
PICKED = (2, 5, 7)
VIETNAM_S = 7 * 3600


@pytest.fixture()
def site_file(tmp_path: Path) -> Path:
    """The commune's file before the technician comes: two cameras, no recorder, no credentials store named."""
    return write_demo_config(tmp_path / "site.toml", cameras=2)


def device(running: RunningRecorder) -> RecorderDevice:
    return RecorderDevice.typed(running.vendor.value, "127.0.0.1", str(running.http_port), str(running.rtsp_port))


def controller_for(site_file: Path, store: CredentialStore | None = None) -> OnboardingController:
    return OnboardingController(load_config(site_file), SiteFileEditor(site_file), store or CredentialStore({}),
                                LIMITS)


def read(controller: OnboardingController, target: RecorderDevice,
         login: Credentials | None = ADMIN) -> RecorderReading:
    async def bounded() -> RecorderReading:
        async with asyncio.timeout(TEST_TIMEOUT_S):
            return await controller.read_recorder(target, login)

    return asyncio.run(bounded())


def save(controller: OnboardingController, reading: RecorderReading, picks: list[ChannelPick],
         login: Credentials = ADMIN) -> SiteConfig:
    recorder, drafts = controller.recorder_drafts(reading, picks, with_credentials=True)
    return controller.save_recorder(recorder, drafts, {d.credentials_ref: login for d in drafts if d.credentials_ref})


@pytest.mark.parametrize("vendor", VENDORS)
def test_ticked_channels_become_cameras_of_one_recorder_with_its_live_urls(nvr: RecorderSimulator, site_file: Path,
                                                                           vendor: Vendor) -> None:
    running = nvr.recorder(vendor)
    controller = controller_for(site_file)
    reading = read(controller, device(running))
    assert [c.number for c in reading.channels] == list(range(1, 26))
    assert all(c.online for c in reading.channels) and reading.model
    assert saved_channels(controller.config, reading) == {}
    sites = controller.config.sites
    picks = [ChannelPick(PICKED[0], sites[-1].id), ChannelPick(PICKED[1], sites[0].id, "Cổng chợ"),
             ChannelPick(PICKED[2], sites[0].id)]
    save(controller, reading, picks)

    config, store = load_config_with_credentials(site_file)
    [recorder] = config.recorders
    assert (recorder.id, recorder.vendor, recorder.host) == ("nvr01", RecorderVendor(vendor.value), "127.0.0.1")
    assert (recorder.http_port, recorder.rtsp_port) == (running.http_port, running.rtsp_port)
    # The time mode and zone the clock showed, stated from now on: ISAPI as documented writes UTC under a Z, Dahua
    # unmarked local time; both simulated recorders stand in Vietnam's zone.
    stated = RecorderTimeMode.UTC if vendor is Vendor.HIKVISION else RecorderTimeMode.LOCAL
    assert (recorder.time_zone_mode, recorder.time_zone_s) == (stated, VIETNAM_S)
    assert recorder.credentials == "nvr01" and store.get(recorder.credentials) == ADMIN
    new = [c for c in config.cameras if c.recorder is not None]
    assert [c.id for c in new] == ["C03", "C04", "C05"]
    assert [c.recorder_channel for c in new] == list(PICKED) and {c.recorder for c in new} == {"nvr01"}
    assert [c.site_id for c in new] == [p.site_id for p in picks]
    names = {c.number: c.name for c in reading.channels}
    assert [c.name for c in new] == [names[2], "Cổng chợ", names[7]]
    assert all(c.credentials == "nvr01" for c in new)
    base = f"rtsp://127.0.0.1:{running.rtsp_port}"
    for camera in new:
        ch = camera.recorder_channel
        if vendor is Vendor.HIKVISION:
            assert (camera.main_url, camera.sub_url) == (f"{base}/Streaming/Channels/{ch}01",
                                                         f"{base}/Streaming/Channels/{ch}02")
        else:
            assert (camera.main_url, camera.sub_url) == (f"{base}/cam/realmonitor?channel={ch}&subtype=0",
                                                         f"{base}/cam/realmonitor?channel={ch}&subtype=1")
    assert config.cameras_on("nvr01") == {2: "C03", 5: "C04", 7: "C05"}
    text = site_file.read_text("utf-8")
    assert PASSWORD not in text and "@" not in text and "[[recorders]]" in text
    assert PASSWORD in (site_file.parent / "credentials.toml").read_text("utf-8")


@pytest.mark.parametrize("vendor", VENDORS)
def test_the_import_writes_the_time_mode_and_zone_a_misset_recorder_shows(nvr: RecorderSimulator, site_file: Path,
                                                                          vendor: Vendor) -> None:
    running = nvr.recorder(vendor)
    if vendor is Vendor.HIKVISION:
        running.clock.z_means_local = True  # firmware that writes its local time under a Z
        expected = (RecorderTimeMode.LOCAL_AS_UTC, "+07:00")
    else:
        running.clock.zone_offset_s = 8 * 3600  # Dahua's factory GMT+8, never set to Vietnam
        expected = (RecorderTimeMode.LOCAL, "+08:00")
    controller = controller_for(site_file)
    reading = read(controller, device(running))
    assert reading.time is not None and reading.time.mode is expected[0]
    save(controller, reading, [ChannelPick(1, controller.config.sites[0].id)])
    [recorder] = load_config_with_credentials(site_file)[0].recorders
    assert recorder.time_zone_mode is expected[0]
    text = site_file.read_text("utf-8")
    assert f'time_zone_mode = "{expected[0].value}"' in text and f'time_zone = "{expected[1]}"' in text


def test_a_second_import_adds_channels_to_the_same_recorder_and_offers_no_saved_one(nvr: RecorderSimulator,
                                                                                    site_file: Path) -> None:
    running = nvr.recorder(Vendor.HIKVISION)
    first = controller_for(site_file)
    save(first, read(first, device(running)), [ChannelPick(1, first.config.sites[0].id)])
    _, store = load_config_with_credentials(site_file)
    again = controller_for(site_file, store)
    reading = read(again, device(running))
    assert saved_channels(again.config, reading) == {1: "C03"}
    save(again, reading, [ChannelPick(3, again.config.sites[0].id)])
    config = load_config(site_file, store.refs)
    assert [r.id for r in config.recorders] == ["nvr01"]
    assert config.cameras_on("nvr01") == {1: "C03", 3: "C04"}


def assert_refused(site_file: Path, error: BaseException, *phrases: str) -> None:
    assert isinstance(error, NvrError | EmptyRecorderError)
    text = error.message_vi if isinstance(error, NvrError) else error.message("vi")
    for phrase in phrases:
        assert phrase in text, text
    assert PASSWORD not in text and WRONG_PASSWORD not in text and WRONG_PASSWORD not in repr(error)


@pytest.mark.parametrize("vendor", VENDORS)
def test_a_wrong_password_is_refused_in_vietnamese_naming_the_recorder_and_nothing_is_saved(
        nvr: RecorderSimulator, site_file: Path, vendor: Vendor) -> None:
    original = site_file.read_bytes()
    running = nvr.recorder(vendor)
    controller = controller_for(site_file)
    with pytest.raises(NvrError) as caught:
        read(controller, device(running), Credentials("admin", WRONG_PASSWORD))
    assert caught.value.kind is NvrErrorKind.AUTH
    assert_refused(site_file, caught.value, f"Đầu ghi 127.0.0.1:{running.http_port} từ chối đăng nhập: sai tên đăng "
                                            "nhập hoặc mật khẩu.")
    assert site_file.read_bytes() == original
    assert sorted(p.name for p in site_file.parent.iterdir() if p.name != "data") == ["site.toml"]


def test_the_wrong_maker_is_named_as_not_that_makers_recorder(nvr: RecorderSimulator, site_file: Path) -> None:
    running = nvr.recorder(Vendor.HIKVISION)
    wrong = RecorderDevice.typed("dahua", "127.0.0.1", str(running.http_port), str(running.rtsp_port))
    with pytest.raises(NvrError) as caught:
        read(controller_for(site_file), wrong)
    assert caught.value.kind is NvrErrorKind.NOT_FOUND
    assert_refused(site_file, caught.value, f"127.0.0.1:{running.http_port}", "không phải đầu ghi Dahua")


def test_a_closed_port_is_named_as_unreachable(site_file: Path) -> None:
    [port] = free_ports(1)
    with pytest.raises(NvrError) as caught:
        read(controller_for(site_file), RecorderDevice.typed("hikvision", "127.0.0.1", str(port), "554"))
    assert caught.value.kind is NvrErrorKind.UNREACHABLE
    assert_refused(site_file, caught.value, f"Không kết nối được tới đầu ghi 127.0.0.1:{port}")


# Typed text only: each is refused by RecorderDevice.typed before any socket is opened (nothing is ever sent).
@pytest.mark.parametrize("host", ["", "http://192.168.1.250", "192.168.1.250:80", "239.255.255.250", "a b"])
def test_an_address_that_is_not_a_bare_host_is_refused_before_any_call(host: str) -> None:
    with pytest.raises(ValueError):
        RecorderDevice.typed("hikvision", host, "80", "554")


def test_a_port_out_of_range_is_refused() -> None:
    for port in ("0", "65536", "tám"):
        with pytest.raises(ValueError):
            RecorderDevice.typed("dahua", "127.0.0.1", port, "554")


def test_a_recorder_without_channels_is_named_in_both_languages() -> None:
    error = EmptyRecorderError("192.168.1.250:80")
    assert error.message("vi").startswith("Đầu ghi 192.168.1.250:80 không có kênh nào")
    assert error.message("en").startswith("Recorder 192.168.1.250:80 has no channels")
