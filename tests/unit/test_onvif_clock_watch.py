"""Camera clocks for the officer: the offset's Vietnamese text, the threshold, readings at start and on the
interval that never stop on an error, and the NTP server a technician types."""

from __future__ import annotations

import asyncio

import pytest

from console.core.vntime import clock_offset_text_en, clock_offset_text_vi, format_offset_vi
from console.onvif.clock import DeviceClock
from console.onvif.clock_watch import ClockReading, ClockWatch, ntp_host
from console.onvif.errors import OnvifError, OnvifErrorKind


@pytest.mark.parametrize(("offset", "text"), [
    (192.0, "Lệch giờ +3 phút 12 giây"),
    (-192.4, "Lệch giờ -3 phút 12 giây"),
    (10805.0, "Lệch giờ +3 giờ 0 phút 5 giây"),
    (-12.2, "Lệch giờ -12 giây"),
    (0.4, "Lệch giờ dưới 1 giây"),
    (-0.49, "Lệch giờ dưới 1 giây"),
    (None, "Chưa đọc được giờ camera"),
])
def test_the_offset_reads_as_the_tooltip_writes_it(offset: float | None, text: str) -> None:
    assert clock_offset_text_vi(offset) == text


def test_the_english_text_and_the_bare_offset() -> None:
    assert clock_offset_text_en(192) == "Clock off by +3 min 12 s"
    assert format_offset_vi(59.6) == "+1 phút 0 giây"


@pytest.mark.parametrize(("offset", "over"), [(5.0, False), (5.2, True), (-6.0, True), (None, False)])
def test_past_the_threshold_is_an_alert(offset: float | None, over: bool) -> None:
    assert ClockReading("C01", 0, offset, 0.2, threshold_s=5.0).over_threshold is over


def test_the_watch_reads_at_once_then_on_its_interval_and_survives_errors() -> None:
    answers: list[DeviceClock | OnvifError] = [
        DeviceClock(192.0, 0.2, 0.01), OnvifError(OnvifErrorKind.TIMEOUT, "127.0.0.1:9", seconds=5),
        DeviceClock(0.3, 0.2, 0.01)]
    readings: list[ClockReading] = []

    async def read() -> DeviceClock:
        answer = answers.pop(0) if answers else DeviceClock(0.1, 0.2, 0.01)
        if isinstance(answer, OnvifError):
            raise answer
        return answer

    async def scenario() -> ClockWatch:
        watch = ClockWatch("C01", read, on_reading=readings.append, every_s=0.1)
        watch.start()
        await asyncio.sleep(0.25)
        await watch.close()
        return watch

    watch = asyncio.run(scenario())
    assert [r.offset_s for r in readings[:3]] == [192.0, None, 0.3]
    assert readings[0].over_threshold and readings[0].text_vi == "Lệch giờ +3 phút 12 giây"
    assert readings[1].error_kind == "timeout" and readings[1].error_vi
    assert watch.latest is readings[-1]


def test_read_soon_reads_again_without_waiting_for_the_interval() -> None:
    count = 0

    async def read() -> DeviceClock:
        nonlocal count
        count += 1
        return DeviceClock(1.0, 0.2, 0.01)

    async def scenario() -> None:
        watch = ClockWatch("C01", read, every_s=600)
        watch.start()
        await asyncio.sleep(0.05)
        watch.read_soon()
        await asyncio.sleep(0.05)
        await watch.close()

    asyncio.run(scenario())
    assert count == 2


@pytest.mark.parametrize(("server", "host"), [
    ("192.168.1.1", {"Type": "IPv4", "IPv4Address": "192.168.1.1"}),
    (" fe80::1 ", {"Type": "IPv6", "IPv6Address": "fe80::1"}),
    ("pool.ntp.org", {"Type": "DNS", "DNSname": "pool.ntp.org"}),
])
def test_an_ntp_server_is_an_address_or_a_name(server: str, host: dict[str, str]) -> None:
    assert ntp_host(server) == host


@pytest.mark.parametrize("server", ["", "192.168.1.300", "ntp server", "-bad.example", "http://x"])
def test_a_mistyped_ntp_server_is_refused(server: str) -> None:
    with pytest.raises(ValueError, match="NTP"):
        ntp_host(server)
