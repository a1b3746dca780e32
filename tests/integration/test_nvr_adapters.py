"""The recorder adapters against the recorder simulator's Hikvision and Dahua faces: channel import, search with
paging and the phantom span, the calendar, the reachable playback host, time-zone modes, and the failures an
officer must be told about in Vietnamese. Loopback only."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from console.core.config import SiteConfig
from console.core.credentials import Credentials
from console.core.vntime import VN_TZ
from console.nvr import RecorderClient, open_recorder
from console.nvr.errors import NvrError, NvrErrorKind
from console.nvr.models import RecorderAddress, SearchResult
from console.nvr.recorder import vn_day
from console.nvr.timebase import TimeMode
from console.simulator.nvr.recorder import Vendor
from console.simulator.nvr.server import RecorderSimulator
from tests.support.nvr_site import (
    ADMIN,
    PASSWORD,
    VENDORS,
    VIEWER,
    WRONG_PASSWORD,
    demo_config,
    recorder_simulator,
    run,
    using,
)
from tests.support.ports import free_ports

HOUR_MS = 3_600_000


@pytest.fixture(scope="module")
def config(tmp_path_factory: pytest.TempPathFactory) -> SiteConfig:
    return demo_config(tmp_path_factory.mktemp("nvr-adapters"))


@pytest.fixture(scope="module")
def nvr(config: SiteConfig) -> Iterator[RecorderSimulator]:
    with recorder_simulator(config) as sim:
        yield sim



def yesterday() -> date:
    return datetime.now(VN_TZ).date() - timedelta(days=1)


def search_yesterday(nvr: RecorderSimulator, vendor: Vendor, channel: int = 1) -> SearchResult:
    async def body(recorder: RecorderClient) -> SearchResult:
        await recorder.read_clock()
        return await recorder.search_day(channel, yesterday())

    return run(lambda: using(nvr.recorder(vendor), body))


@pytest.mark.parametrize("vendor", VENDORS)
def test_channel_import_gives_every_camera_its_name_and_live_urls(nvr: RecorderSimulator, config: SiteConfig,
                                                                  vendor: Vendor) -> None:
    running = nvr.recorder(vendor)
    channels = run(lambda: using(running, lambda r: r.channels()))
    names = [c.name for c in config.cameras]
    assert [c.number for c in channels] == list(range(1, 26))
    assert [c.name for c in channels] == names
    first = channels[0]
    prefix = f"rtsp://127.0.0.1:{running.rtsp_port}"
    if vendor is Vendor.HIKVISION:
        assert first.main_url == f"{prefix}/Streaming/Channels/101"
        assert first.sub_url == f"{prefix}/Streaming/Channels/102"
    else:
        assert first.main_url == f"{prefix}/cam/realmonitor?channel=1&subtype=0"
        assert first.sub_url == f"{prefix}/cam/realmonitor?channel=1&subtype=1"
    assert all(c.online for c in channels)


@pytest.mark.parametrize("vendor", VENDORS)
def test_a_day_search_finds_the_recordings_with_their_gaps(nvr: RecorderSimulator, vendor: Vendor) -> None:
    found = search_yesterday(nvr, vendor)
    start, end = vn_day(yesterday())
    ranges = found.ranges()
    # Continuous all day but two gaps: 02:07–02:17 and 13:33–13:34:30 on channel 1 (the simulator's schedule).
    assert ranges == [(start, start + 2 * HOUR_MS + 7 * 60_000), (start + 2 * HOUR_MS + 17 * 60_000,
                                                                  start + 13 * HOUR_MS + 33 * 60_000),
                      (start + 13 * HOUR_MS + 33 * 60_000 + 90_000, end)]
    assert found.phantoms == 0 and found.unreadable == 0
    assert all(s.playback_uri.startswith("rtsp://127.0.0.1:") for s in found.segments)


@pytest.mark.parametrize("vendor", VENDORS)
def test_search_pages_on_when_the_recorder_holds_fewer_than_asked(nvr: RecorderSimulator, vendor: Vendor) -> None:
    whole = search_yesterday(nvr, vendor)
    nvr.recorder(vendor).faults.page_limit = 4
    paged = search_yesterday(nvr, vendor)
    assert [(s.start_ms, s.end_ms) for s in paged.segments] == [(s.start_ms, s.end_ms) for s in whole.segments]
    assert len(paged.segments) == 26  # 24 hour files, two of them cut by the gaps
    assert paged.pages >= 7 > whole.pages


@pytest.mark.parametrize("vendor", VENDORS)
def test_a_phantom_span_is_left_out_and_downloading_it_says_there_is_no_video(nvr: RecorderSimulator,
                                                                              vendor: Vendor, tmp_path: Path) -> None:
    whole = search_yesterday(nvr, vendor)
    nvr.recorder(vendor).faults.phantom = True
    with_phantom = search_yesterday(nvr, vendor)
    assert with_phantom.phantoms == 1
    assert with_phantom.segments == whole.segments
    start, _ = vn_day(yesterday())
    phantom_start = start + 2 * HOUR_MS + 8 * 60_000  # where the recorder lists it: inside the night's gap
    target = tmp_path / "phantom.bin"

    async def body(recorder: RecorderClient) -> None:
        await recorder.download(1, phantom_start, phantom_start + 60_000, target)

    with pytest.raises(NvrError) as caught:
        run(lambda: using(nvr.recorder(vendor), body))
    assert caught.value.kind is NvrErrorKind.NO_DATA
    assert "không có dữ liệu video" in caught.value.message_vi
    assert not target.exists() and not list(tmp_path.iterdir())


@pytest.mark.parametrize("vendor", VENDORS)
def test_the_calendar_marks_the_days_the_recorder_holds(nvr: RecorderSimulator, vendor: Vendor) -> None:
    today = datetime.now(VN_TZ).date()
    held = {today - timedelta(days=n) for n in range(3)}
    expected = frozenset(d.day for d in held if d.month == today.month)
    days = run(lambda: using(nvr.recorder(vendor), lambda r: r.calendar(2, today.year, today.month)))
    assert days == expected


def test_a_playback_uri_keeps_the_recorders_own_but_reaches_it_where_the_console_does(nvr: RecorderSimulator) -> None:
    running = nvr.recorder(Vendor.HIKVISION)
    running.faults.advertised_host, running.faults.advertised_rtsp_port = "192.168.1.64", 554  # its LAN address
    found = search_yesterday(nvr, Vendor.HIKVISION)
    segment = found.segments[5]
    assert segment.device_uri.startswith("rtsp://192.168.1.64:554/Streaming/tracks/101/?starttime=")
    assert segment.playback_uri.startswith(f"rtsp://127.0.0.1:{running.rtsp_port}/Streaming/tracks/101/?")
    at = segment.start_ms + 61_000
    recorder = open_recorder("hikvision", RecorderAddress("127.0.0.1", running.http_port, running.rtsp_port), ADMIN)
    uri = recorder.playback_uri(1, at, segment=segment)
    assert uri.startswith(f"rtsp://127.0.0.1:{running.rtsp_port}/Streaming/tracks/101/?starttime=")
    assert f"name={segment.file_id}" in uri and "size=" in uri  # what the recorder needs to find its file
    assert time.strftime("%Y%m%dT%H%M%SZ", time.gmtime(at / 1000)) in uri


def test_a_recorder_that_writes_local_time_under_a_z_is_read_right(nvr: RecorderSimulator) -> None:
    baseline = search_yesterday(nvr, Vendor.HIKVISION)
    running = nvr.recorder(Vendor.HIKVISION)
    running.clock.z_means_local = True

    async def body(recorder: RecorderClient) -> tuple[TimeMode, SearchResult]:
        reading = await recorder.read_clock()
        return reading.timebase.mode, await recorder.search_day(1, yesterday())

    mode, found = run(lambda: using(running, body))
    assert mode is TimeMode.LOCAL_AS_UTC
    assert found.ranges() == baseline.ranges()


def test_local_time_under_a_z_is_caught_by_the_newest_recording_when_the_clock_looks_right(
        nvr: RecorderSimulator) -> None:
    baseline = search_yesterday(nvr, Vendor.HIKVISION)
    running = nvr.recorder(Vendor.HIKVISION)
    running.clock.z_means_local = running.clock.status_with_offset = True  # System/time says +07:00, searches lie

    async def body(recorder: RecorderClient) -> tuple[str, TimeMode, SearchResult]:
        reading = await recorder.read_clock()
        return reading.device_text, reading.timebase.mode, await recorder.search_day(1, yesterday())

    said, mode, found = run(lambda: using(running, body))
    assert said.endswith("+07:00") and mode is TimeMode.LOCAL_AS_UTC
    assert found.ranges() == baseline.ranges()


def test_the_site_files_time_mode_wins_over_the_reading(nvr: RecorderSimulator) -> None:
    running = nvr.recorder(Vendor.HIKVISION)
    running.clock.z_means_local = True

    async def body(recorder: RecorderClient) -> tuple[bool, TimeMode]:
        reading = await recorder.read_clock(stored_mode=TimeMode.LOCAL_AS_UTC)
        return reading.from_settings, reading.timebase.mode

    assert run(lambda: using(running, body)) == (True, TimeMode.LOCAL_AS_UTC)


def test_a_dahua_recorder_left_in_its_factory_zone_is_read_right(nvr: RecorderSimulator) -> None:
    baseline = search_yesterday(nvr, Vendor.DAHUA)
    running = nvr.recorder(Vendor.DAHUA)
    running.clock.zone_offset_s = 8 * 3600  # GMT+8, Dahua's factory setting
    running.clock.offset_s = 95.0  # and its clock a minute and a half fast

    async def body(recorder: RecorderClient) -> tuple[int, float, SearchResult]:
        reading = await recorder.read_clock()
        return reading.timebase.zone_offset_s, reading.clock_offset_s, await recorder.search_day(1, yesterday())

    zone, offset, found = run(lambda: using(running, body))
    assert zone == 8 * 3600
    assert 93 <= offset <= 96
    assert found.ranges() == baseline.ranges()


@pytest.mark.parametrize("vendor", VENDORS)
def test_a_wrong_password_is_told_in_vietnamese(nvr: RecorderSimulator, vendor: Vendor) -> None:
    with pytest.raises(NvrError) as caught:
        run(lambda: using(nvr.recorder(vendor), lambda r: r.channels(), Credentials("admin", WRONG_PASSWORD)))
    error = caught.value
    assert error.kind is NvrErrorKind.AUTH
    assert error.message_vi == (f"Đầu ghi 127.0.0.1:{nvr.recorder(vendor).http_port} từ chối đăng nhập: sai tên "
                                "đăng nhập hoặc mật khẩu.")
    assert WRONG_PASSWORD not in repr(error) and PASSWORD not in repr(error)


@pytest.mark.parametrize("vendor", VENDORS)
def test_an_account_without_playback_rights_is_told_it_has_no_permission(nvr: RecorderSimulator,
                                                                         vendor: Vendor) -> None:
    running = nvr.recorder(vendor)
    assert len(run(lambda: using(running, lambda r: r.channels(), VIEWER))) == 25  # it may see the channels

    async def body(recorder: RecorderClient) -> SearchResult:
        return await recorder.search_day(1, yesterday())

    with pytest.raises(NvrError) as caught:
        run(lambda: using(running, body, VIEWER))
    assert caught.value.kind is NvrErrorKind.FORBIDDEN and caught.value.status == 403
    assert "không cho phép tìm kiếm bản ghi: tài khoản này không có quyền (HTTP 403)" in caught.value.message_vi


@pytest.mark.parametrize("vendor", VENDORS)
def test_a_broken_answer_is_told_as_broken_data(nvr: RecorderSimulator, vendor: Vendor) -> None:
    running = nvr.recorder(vendor)
    running.faults.malformed = True
    for call in (lambda r: r.channels(), lambda r: r.search_day(1, yesterday()), lambda r: r.read_clock()):
        with pytest.raises(NvrError) as caught:
            run(lambda c=call: using(running, c))  # type: ignore[misc]
        assert caught.value.kind is NvrErrorKind.MALFORMED
        assert caught.value.message_vi.startswith(f"Đầu ghi 127.0.0.1:{running.http_port} trả lời khi ")
        assert "bằng dữ liệu hỏng, không đọc được" in caught.value.message_vi


@pytest.mark.parametrize("vendor", VENDORS)
def test_nothing_listening_is_told_as_unreachable(vendor: Vendor) -> None:
    (port,) = free_ports(1)
    recorder = open_recorder(vendor.value, RecorderAddress("127.0.0.1", port, port), ADMIN, timeout_s=3.0)

    async def body() -> None:
        try:
            await recorder.channels()
        finally:
            await recorder.close()

    with pytest.raises(NvrError) as caught:
        run(body)
    assert caught.value.kind is NvrErrorKind.UNREACHABLE
    assert caught.value.message_vi.startswith(f"Không kết nối được tới đầu ghi 127.0.0.1:{port}")


@pytest.mark.parametrize("vendor", VENDORS)
def test_a_day_of_25_channels_is_searched_at_once(nvr: RecorderSimulator, vendor: Vendor,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    async def body(recorder: RecorderClient) -> tuple[float, dict[int, SearchResult]]:
        await recorder.read_clock()
        started = time.perf_counter()
        found = await recorder.search_many(range(1, 26), *vn_day(yesterday()))
        return time.perf_counter() - started, found

    seconds, found = run(lambda: using(nvr.recorder(vendor), body))
    assert sorted(found) == list(range(1, 26))
    assert all(len(result.segments) == 26 for result in found.values())
    with capsys.disabled():
        print(f"\n{vendor.value}: a day of 25 channels searched in {seconds * 1000:.0f} ms")
