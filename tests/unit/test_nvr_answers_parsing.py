"""Reading what recorders answer: ISAPI search pages item by item (a broken item costs only itself), namespaces
or none, the calendar, alert stream parts (the heartbeat's empty activePostCount, JSON alerts, alarm inputs), and
Dahua's key=value lines, finder pages and event parts."""

from __future__ import annotations

import pytest

from console.core.camera_events import CameraEventKind
from console.nvr import dahua_text, isapi
from console.nvr.timebase import DeviceTimebase, TimeMode

UTC_MODE = DeviceTimebase(TimeMode.UTC, 7 * 3600)


def item(start: str, end: str, uri: str = "rtsp://10.0.0.2/Streaming/tracks/101/?starttime=x&amp;size=100") -> str:
    return (f"<searchMatchItem><trackID>101</trackID><timeSpan><startTime>{start}</startTime><endTime>{end}</endTime>"
            f"</timeSpan><mediaSegmentDescriptor><playbackURI>{uri}</playbackURI><name>N1</name>"
            f"</mediaSegmentDescriptor></searchMatchItem>")


def page(items: str, status: str = "MORE", count: str = "3", ns: str = ' xmlns="http://www.isapi.org/ver20/XMLSchema"'
         ) -> bytes:
    return (f'<?xml version="1.0"?><CMSearchResult version="2.0"{ns}><searchID>x</searchID>'
            f"<responseStatus>true</responseStatus><responseStatusStrg>{status}</responseStatusStrg>"
            f"<numOfMatches>{count}</numOfMatches><matchList>{items}</matchList></CMSearchResult>").encode()


@pytest.mark.parametrize("ns", ["", ' xmlns="http://www.isapi.org/ver20/XMLSchema"',
                                ' xmlns="http://www.hikvision.com/ver20/XMLSchema"'])
def test_each_search_item_is_read_on_its_own(ns: str) -> None:
    body = page(item("2026-03-14T00:00:00Z", "2026-03-14T01:00:00Z")
                + item("2026-03-14T01:00:00Z", "not a time")
                + item("2026-03-14T02:00:00Z", "2026-03-14T01:00:00Z")
                + item("2026-03-14T03:00:00Z", "2026-03-14T04:00:00Z", uri=""), count="4", ns=ns)
    found = isapi.search_page(body, UTC_MODE)
    assert found.status == "MORE" and found.matches == 4 and found.unreadable == 3
    assert [(i.name, i.size_bytes) for i in found.items] == [("N1", 100)]
    assert found.items[0].playback_uri.endswith("starttime=x&size=100")


def test_a_page_that_is_not_a_search_result_is_refused() -> None:
    for body in (b"<ResponseStatus/>", b"<CMSearchResult><unclosed>", b"not xml"):
        with pytest.raises(isapi.IsapiFormatError):
            isapi.search_page(body, UTC_MODE)


def test_no_matches_and_a_missing_count() -> None:
    found = isapi.search_page(page("", status="NO MATCHES", count=""), UTC_MODE)
    assert (found.status, found.matches, found.items) == ("NO MATCHES", 0, [])


def test_the_search_request_spells_the_position_as_the_recorders_do() -> None:
    body = isapi.search_description("ID&1", 301, "a", "b", 40, 50).decode()
    assert "<searchResultPostion>40</searchResultPostion>" in body and "<searchID>ID&amp;1</searchID>" in body
    assert "<trackIDList><trackID>301</trackID></trackIDList>" in body


def test_the_calendar_marks_recorded_days() -> None:
    body = (b'<trackDailyDistribution xmlns="http://www.isapi.org/ver20/XMLSchema"><dayList>'
            b"<day><id>1</id><dayOfMonth>1</dayOfMonth><record>false</record></day>"
            b"<day><id>2</id><dayOfMonth>2</dayOfMonth><record>true</record><recordType>time</recordType></day>"
            b"<day><id>3</id><dayOfMonth>3</dayOfMonth><record>TRUE</record></day></dayList></trackDailyDistribution>")
    assert isapi.recorded_days(body) == frozenset({2, 3})


def alert(fields: str) -> bytes:
    return f'<EventNotificationAlert version="2.0" xmlns="http://www.isapi.org/ver20/XMLSchema">{fields}' \
           f"</EventNotificationAlert>".encode()


def test_the_heartbeat_with_an_empty_active_post_count_is_a_heartbeat() -> None:
    notice = isapi.alert_notice(alert("<channelID>1</channelID><activePostCount></activePostCount>"
                                      "<eventType>videoloss</eventType><eventState>inactive</eventState>"),
                                "application/xml")
    assert notice.heartbeat


def test_motion_tamper_and_alarm_inputs_are_read() -> None:
    motion = isapi.alert_notice(alert("<channelID>4</channelID><activePostCount>1</activePostCount>"
                                      "<eventType>VMD</eventType><eventState>active</eventState>"), "application/xml")
    assert (motion.heartbeat, motion.channel, motion.kind, motion.active) == (False, 4, CameraEventKind.MOTION, True)
    tamper = isapi.alert_notice(alert("<dynChannelID>6</dynChannelID><eventType>shelteralarm</eventType>"
                                      "<eventState>inactive</eventState>"), "application/xml")
    assert (tamper.channel, tamper.kind, tamper.active) == (6, CameraEventKind.TAMPER, False)
    io = isapi.alert_notice(alert("<channelID>1</channelID><inputIOPortID>3</inputIOPortID>"
                                  "<eventType>IO</eventType><eventState>active</eventState>"), "application/xml")
    assert (io.channel, io.kind) == (3, CameraEventKind.ALARM_INPUT)


def test_a_json_alert_and_an_unknown_event_type() -> None:
    notice = isapi.alert_notice(b'{"eventType": "VMD", "eventState": "active", "channelID": 2}', "application/json")
    assert (notice.channel, notice.kind) == (2, CameraEventKind.MOTION)
    other = isapi.alert_notice(alert("<channelID>2</channelID><eventType>linedetection</eventType>"
                                     "<eventState>active</eventState>"), "application/xml")
    assert other.kind is None and not other.heartbeat and other.code == "linedetection"
    with pytest.raises(isapi.IsapiFormatError):
        isapi.alert_notice(b"[1, 2]", "application/json")


def test_dahua_pairs_and_indexed_tables() -> None:
    body = "table.ChannelTitle[0].Name=Cổng UBND\r\ntable.ChannelTitle[1].Name=a=b\r\nnoise\r\n".encode()
    assert dahua_text.indexed(dahua_text.pairs(body), "table.ChannelTitle") == {0: {"Name": "Cổng UBND"},
                                                                                 1: {"Name": "a=b"}}


def test_dahua_finder_pages() -> None:
    body = (b"found=3\r\nitems[0].StartTime=2026-03-14 00:00:00\r\nitems[0].EndTime=2026-03-14 01:00:00\r\n"
            b"items[0].FilePath=/mnt/a.dav\r\nitems[0].Length=123\r\nitems[1].EndTime=2026-03-14 02:00:00\r\n"
            b"items[2].StartTime=2026-03-14 02:00:00\r\nitems[2].EndTime=2026-03-14 02:01:00\r\n")
    count, files, unreadable = dahua_text.found_files(body)
    assert (count, unreadable) == (3, 1)
    assert [(f.path, f.length) for f in files] == [("/mnt/a.dav", 123), ("", None)]
    with pytest.raises(dahua_text.DahuaFormatError):
        dahua_text.found_files(b"Error\r\nInvalid Object\r\n")


@pytest.mark.parametrize(("part", "expected"), [
    (b"Heartbeat", (True, 0, None, None)),
    (b"Code=VideoMotion;action=Start;index=0", (False, 1, CameraEventKind.MOTION, True)),
    (b'Code=VideoMotion;action=Stop;index=4;data={\n "Id" : [ 0 ],\n "RegionName" : [ "A;B" ]\n}',
     (False, 5, CameraEventKind.MOTION, False)),
    (b"Code=VideoBlind;action=Start;index=2", (False, 3, CameraEventKind.TAMPER, True)),
    (b"Code=AlarmLocal;action=Pulse;index=1", (False, 2, CameraEventKind.ALARM_INPUT, True)),
    (b"Code=StorageLowSpace;action=Start;index=0", (False, 1, None, True)),
])
def test_dahua_event_parts(part: bytes, expected: tuple[object, ...]) -> None:
    notice = dahua_text.event_notice(part)
    assert (notice.heartbeat, notice.channel, notice.kind, notice.active) == expected


def test_a_dahua_part_without_a_code_is_refused() -> None:
    with pytest.raises(dahua_text.DahuaFormatError):
        dahua_text.event_notice(b"action=Start;index=0")
