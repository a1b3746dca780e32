"""The XML of the Hikvision face, written from Hikvision's ISAPI documents: what the recorder answers (channel list,
time, search results, day calendar, event triggers, event notifications, ResponseStatus) and what it reads from a
client's request (CMSearchDescription, trackDailyParam, downloadRequest), namespace or not.

Two habits of the firmware that clients depend on (seen from outside by pyhik, tests/integration/
test_nvr_third_party_client.py): an alert-stream notification is written one element a line, and a request body
whose `playbackURI` carries bare `&` (pyhik's `download_recording` sends the search's URI unescaped) is read as
meant, not refused.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from dataclasses import dataclass

ISAPI_NS = "http://www.isapi.org/ver20/XMLSchema"
CONTENT_TYPE = 'application/xml; charset="UTF-8"'
STATUS_OK, STATUS_INVALID_OPERATION, STATUS_INVALID_CONTENT = 1, 4, 6
_STATUS_STRINGS = {1: "OK", 4: "Invalid Operation", 6: "Invalid Content"}


def _document(root: str, children: Iterable[ET.Element] = ()) -> ET.Element:
    element = ET.Element(root, {"version": "2.0", "xmlns": ISAPI_NS})
    element.extend(children)
    return element


def _leaf(tag: str, text: object = "") -> ET.Element:
    element = ET.Element(tag)
    element.text = "" if text is None else str(text)
    return element


def _node(tag: str, *children: ET.Element) -> ET.Element:
    element = ET.Element(tag)
    element.extend(children)
    return element


def serialize(element: ET.Element) -> bytes:
    body: bytes = ET.tostring(element, encoding="utf-8", xml_declaration=False)
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + body


def serialize_lines(element: ET.Element) -> bytes:
    """One element a line, CRLF, as the recorders write their alert-stream parts (pyhik reads those line by line:
    a notification on one line is never closed for it)."""
    ET.indent(element, space="")
    return serialize(element).replace(b"\n", b"\r\n")


def response_status(url: str, code: int, sub_status: str) -> bytes:
    return serialize(_document("ResponseStatus", [
        _leaf("requestURL", url), _leaf("statusCode", code), _leaf("statusString", _STATUS_STRINGS.get(code, "")),
        _leaf("subStatusCode", sub_status)]))


def device_info(name: str, serial: str, channels: int) -> bytes:
    return serialize(_document("DeviceInfo", [
        _leaf("deviceName", name), _leaf("deviceID", serial), _leaf("model", "DS-7632NI-K2 (simulator)"),
        _leaf("serialNumber", serial), _leaf("firmwareVersion", "V4.61.005"), _leaf("deviceType", "NVR"),
        _leaf("analogChannelNum", 0), _leaf("ipChannelNum", channels)]))


def time_status(local_time: str, zone: str, mode: str = "NTP") -> bytes:
    return serialize(_document("Time", [_leaf("timeMode", mode), _leaf("localTime", local_time),
                                        _leaf("timeZone", zone)]))


def input_proxy_channels(channels: Iterable[tuple[int, str]]) -> bytes:
    items = []
    for number, name in channels:
        source = _node("sourceInputPortDescriptor", _leaf("proxyProtocol", "HIKVISION"),
                       _leaf("addressingFormatType", "ipaddress"), _leaf("ipAddress", f"192.168.254.{number + 1}"),
                       _leaf("managePortNo", 8000), _leaf("srcInputPort", 1), _leaf("userName", "admin"),
                       _leaf("streamType", "auto"), _leaf("deviceID", ""))
        items.append(_node("InputProxyChannel", _leaf("id", number), _leaf("name", name), source,
                           _leaf("enableAnr", "false")))
    return serialize(_document("InputProxyChannelList", items))


def input_proxy_status(numbers: Iterable[int]) -> bytes:
    return serialize(_document("InputProxyChannelStatusList", [
        _node("InputProxyChannelStatus", _leaf("id", n), _leaf("online", "true"), _leaf("chanDetectResult", "connect"))
        for n in numbers]))


@dataclass(frozen=True)
class MatchItem:
    track: int
    start: str
    end: str
    playback_uri: str
    name: str


def search_result(search_id: str, status: str, items: list[MatchItem]) -> bytes:
    matches = []
    for item in items:
        segment = _node("mediaSegmentDescriptor", _leaf("contentType", "video"), _leaf("codecType", "H.264-BP"),
                        _leaf("playbackURI", item.playback_uri), _leaf("lockStatus", "unlock"),
                        _leaf("name", item.name))
        matches.append(_node("searchMatchItem", _leaf("sourceID", "{00000000-0000-0000-0000-000000000000}"),
                             _leaf("trackID", item.track),
                             _node("timeSpan", _leaf("startTime", item.start), _leaf("endTime", item.end)),
                             segment,
                             _node("metadataMatches",
                                   _leaf("metadataDescriptor", "recordType.meta.hikvision.com/time"))))
    children = [_leaf("searchID", search_id), _leaf("responseStatus", "true" if status != "FAILED" else "false"),
                _leaf("responseStatusStrg", status), _leaf("numOfMatches", len(items))]
    if items:
        children.append(_node("matchList", *matches))
    return serialize(_document("CMSearchResult", children))


def daily_distribution(days_in_month: int, recorded: set[int]) -> bytes:
    days = []
    for day in range(1, days_in_month + 1):
        fields = [_leaf("id", day), _leaf("dayOfMonth", day), _leaf("record", "true" if day in recorded else "false")]
        if day in recorded:
            fields.append(_leaf("recordType", "time"))
        days.append(_node("day", *fields))
    return serialize(_document("trackDailyDistribution", [_node("dayList", *days)]))


@dataclass(frozen=True)
class EventTrigger:
    event_type: str  # VMD, shelteralarm, videoloss
    channel: int
    description: str


def event_triggers(triggers: Iterable[EventTrigger]) -> bytes:
    """`/ISAPI/Event/triggers` of an NVR: each channel's triggers, linked to the alarm centre (`center`), which is how
    a client learns which events the alert stream will carry and that the device is an NVR (channels above 1)."""
    items = []
    for trigger in triggers:
        notification = _node("EventTriggerNotification", _leaf("id", "center"), _leaf("notificationMethod", "center"),
                             _leaf("notificationRecurrence", "beginning"))
        items.append(_node("EventTrigger", _leaf("id", f"{trigger.event_type}-{trigger.channel}"),
                           _leaf("eventType", trigger.event_type), _leaf("eventDescription", trigger.description),
                           _leaf("videoInputChannelID", trigger.channel),
                           _leaf("dynVideoInputChannelID", trigger.channel),
                           _node("EventTriggerNotificationList", notification)))
    return serialize(_document("EventTriggerList", items))


def alert(channel: int, when: str, event_type: str, state: str, description: str, active_posts: int | None,
          host: str, port: int, extra: Iterable[tuple[str, object]] = ()) -> bytes:
    fields = [_leaf("ipAddress", host), _leaf("portNo", port), _leaf("protocol", "HTTP"),
              _leaf("macAddress", "44:19:b6:00:00:01"), _leaf("channelID", channel), _leaf("dateTime", when),
              _leaf("activePostCount", "" if active_posts is None else active_posts), _leaf("eventType", event_type),
              _leaf("eventState", state), _leaf("eventDescription", description)]
    fields += [_leaf(name, value) for name, value in extra]
    if channel:
        fields.append(_leaf("dynChannelID", channel))
    return serialize_lines(_document("EventNotificationAlert", fields))


# -- reading requests ---------------------------------------------------------------------------------------------
class RequestXmlError(ValueError):
    """A request body that is not the XML the operation takes."""


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


_BARE_AMPERSAND = re.compile(rb"&(?!(?:[A-Za-z][A-Za-z0-9]*|#[0-9]+|#x[0-9A-Fa-f]+);)")


def parse(body: bytes) -> ET.Element:
    """The request's XML; an `&` that starts no entity is taken as itself, as the firmware's parser takes it."""
    try:
        return ET.fromstring(body)
    except ET.ParseError as exc:
        if b"&" in body:
            try:
                return ET.fromstring(_BARE_AMPERSAND.sub(b"&amp;", body))
            except ET.ParseError:
                pass
        raise RequestXmlError(str(exc)) from None


def find_all(element: ET.Element, name: str) -> list[ET.Element]:
    return [node for node in element.iter() if _local(node.tag) == name]


def text(element: ET.Element, name: str, default: str | None = None) -> str:
    for node in element.iter():
        if _local(node.tag) == name:
            return (node.text or "").strip()
    if default is None:
        raise RequestXmlError(f"no <{name}>")
    return default


@dataclass(frozen=True)
class SearchRequest:
    search_id: str
    tracks: tuple[int, ...]
    spans: tuple[tuple[str, str], ...]
    max_results: int
    position: int


def search_request(body: bytes) -> SearchRequest:
    root = parse(body)
    if _local(root.tag) != "CMSearchDescription":
        raise RequestXmlError(f"<{_local(root.tag)}> is not a CMSearchDescription")
    tracks = tuple(int((node.text or "0").strip()) for node in find_all(root, "trackID"))
    spans = tuple((text(span, "startTime"), text(span, "endTime")) for span in find_all(root, "timeSpan"))
    # The position is spelt as Hikvision spells it; the correct spelling is read too.
    position = text(root, "searchResultPostion", "") or text(root, "searchResultPosition", "0")
    try:
        return SearchRequest(text(root, "searchID", ""), tracks, spans, int(text(root, "maxResults", "40")),
                             int(position or "0"))
    except ValueError as exc:
        raise RequestXmlError(str(exc)) from None
