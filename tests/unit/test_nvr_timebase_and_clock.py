"""A recorder's time: what `Z` means by mode, Dahua's unmarked local times, Hikvision's POSIX zone, and the mode, zone
and clock offset worked out from one reading of the recorder's clock."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from console.nvr.clock import dahua_timebase, isapi_timebase
from console.nvr.timebase import DeviceTimebase, TimeMode, TimeTextError, iso_offset_s, posix_zone_offset_s

MOMENT = int(datetime(2026, 3, 14, 8, 30, 15, tzinfo=UTC).timestamp() * 1000)  # 15:30:15 in Vietnam
VN = 7 * 3600


def test_utc_mode_writes_and_reads_utc_under_a_z() -> None:
    timebase = DeviceTimebase(TimeMode.UTC, VN)
    assert timebase.isapi(MOMENT) == "2026-03-14T08:30:15Z"
    assert timebase.compact(MOMENT) == "20260314T083015Z"
    assert timebase.read_isapi("2026-03-14T08:30:15Z") == timebase.read_compact("20260314T083015Z") == MOMENT


def test_local_as_utc_mode_writes_and_reads_local_time_under_a_z() -> None:
    timebase = DeviceTimebase(TimeMode.LOCAL_AS_UTC, VN)
    assert timebase.isapi(MOMENT) == "2026-03-14T15:30:15Z"
    assert timebase.read_isapi("2026-03-14T15:30:15Z") == MOMENT


@pytest.mark.parametrize("mode", list(TimeMode))
def test_an_explicit_offset_is_read_as_written_in_every_mode(mode: TimeMode) -> None:
    assert DeviceTimebase(mode, VN).read_isapi("2026-03-14T15:30:15+07:00") == MOMENT
    assert DeviceTimebase(mode, VN).read_isapi("2026-03-14T15:30:15.250+07:00") == MOMENT + 250


def test_dahua_times_are_the_devices_local_time() -> None:
    timebase = DeviceTimebase(TimeMode.LOCAL, 8 * 3600)  # a recorder left in Dahua's factory zone
    assert timebase.dahua(MOMENT) == "2026-03-14 16:30:15"
    assert timebase.dahua_rtsp(MOMENT) == "2026_03_14_16_30_15"
    assert timebase.read_dahua("2026-3-14 16:30:15") == MOMENT


@pytest.mark.parametrize("text", ["", "yesterday", "2026-13-01T00:00:00Z", "2026-03-14 25:00:00"])
def test_a_time_that_cannot_be_read_says_so(text: str) -> None:
    with pytest.raises(TimeTextError):
        DeviceTimebase(TimeMode.UTC, VN).read_isapi(text)
    with pytest.raises(TimeTextError):
        DeviceTimebase(TimeMode.LOCAL, VN).read_dahua(text)


@pytest.mark.parametrize(("zone", "seconds"), [("CST-7:00:00", VN), ("CST-7", VN), ("ICT-7", VN),
                                               ("CST+8:00:00", -8 * 3600), ("IST-5:30:00", 5 * 3600 + 1800),
                                               ("GMT0", 0)])
def test_hikvision_posix_zones_count_hours_west(zone: str, seconds: int) -> None:
    assert posix_zone_offset_s(zone) == seconds


def test_iso_offsets() -> None:
    assert iso_offset_s("2026-03-14T15:30:15+07:00") == VN
    assert iso_offset_s("2026-03-14T15:30:15-0330") == -(3 * 3600 + 1800)
    assert iso_offset_s("2026-03-14T08:30:15Z") is None


def test_a_local_time_with_its_offset_is_utc_mode_and_gives_the_clock_offset() -> None:
    timebase = isapi_timebase("2026-03-14T15:30:20+07:00", "CST-7:00:00", MOMENT)
    assert timebase == DeviceTimebase(TimeMode.UTC, VN, 5000)


def test_a_local_time_under_a_z_is_local_as_utc_mode() -> None:
    timebase = isapi_timebase("2026-03-14T15:30:13Z", "CST-7:00:00", MOMENT)
    assert timebase == DeviceTimebase(TimeMode.LOCAL_AS_UTC, VN, -2000)


def test_utc_under_a_z_is_utc_mode() -> None:
    assert isapi_timebase("2026-03-14T08:30:16Z", "CST-7:00:00", MOMENT) == DeviceTimebase(TimeMode.UTC, VN, 1000)


def test_the_site_files_mode_and_zone_win() -> None:
    timebase = isapi_timebase("2026-03-14T08:30:15Z", "CST-7:00:00", MOMENT, TimeMode.LOCAL_AS_UTC, 7 * 3600)
    assert timebase.mode is TimeMode.LOCAL_AS_UTC


def test_a_dahua_reading_splits_into_its_zone_and_its_clocks_error() -> None:
    assert dahua_timebase("2026-03-14 16:31:50", MOMENT) == DeviceTimebase(TimeMode.LOCAL, 8 * 3600, 95_000)
    assert dahua_timebase("2026-03-14 15:29:00", MOMENT) == DeviceTimebase(TimeMode.LOCAL, VN, -75_000)
    # A clock 20 minutes slow would pass for another zone: the site file's zone says which it is.
    assert dahua_timebase("2026-03-14 15:10:15", MOMENT, VN) == DeviceTimebase(TimeMode.LOCAL, VN, -1_200_000)
