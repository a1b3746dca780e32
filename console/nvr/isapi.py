"""Reading and writing Hikvision ISAPI XML for the adapter: the channel list, the clock, search requests and results
(each `searchMatchItem` read on its own: one broken item never costs the others), the day calendar, and event
notifications (the heartbeat's empty `activePostCount` tolerated). Namespaces are ignored on reading: firmwares
send `http://www.isapi.org/ver20/XMLSchema`, `http://www.hikvision.com/ver20/XMLSchema` or none."""

from __future__ import annotations

import json
import logging
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlsplit
from xml.sax.saxutils import escape

from console.core.camera_events import CameraEventKind
from console.nvr.models import RecorderNotice
from console.nvr.timebase import DeviceTimebase, TimeTextError

log = logging.getLogger(__name__)

# Event types of Hikvision recorders the console alerts on (lower-cased); the rest are read and passed over.
EVENT_KINDS: dict[str, CameraEventKind] = {
    "vmd": CameraEventKind.MOTION, "motiondetection": CameraEventKind.MOTION,
    "shelteralarm": CameraEventKind.TAMPER, "tamperdetection": CameraEventKind.TAMPER,
    "io": CameraEventKind.ALARM_INPUT, "alarminput": CameraEventKind.ALARM_INPUT,
}


class IsapiFormatError(ValueError):
    """Not the XML the operation answers."""


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def parse(body: bytes, root: str) -> ET.Element:
    try:
        element = ET.fromstring(body)
    except ET.ParseError as exc:
        raise IsapiFormatError(f"XML: {exc}") from None
    if _local(element.tag) != root:
        raise IsapiFormatError(f"<{_local(element.tag)}> where <{root}> was expected")
    return element


def child(element: ET.Element, name: str) -> ET.Element | None:
    return next((node for node in element if _local(node.tag) == name), None)


def find(element: ET.Element, name: str) -> ET.Element | None:
    return next((node for node in element.iter() if _local(node.tag) == name), None)


def text(element: ET.Element, name: str, default: str = "") -> str:
    node = find(element, name)
    return (node.text or "").strip() if node is not None else default


def children(element: ET.Element, name: str) -> list[ET.Element]:
    return [node for node in element.iter() if _local(node.tag) == name]


# -- channels -----------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class ProxyChannel:
    number: int
    name: str


def proxy_channels(body: bytes) -> list[ProxyChannel]:
    root = parse(body, "InputProxyChannelList")
    found = []
    for item in children(root, "InputProxyChannel"):
        node = child(item, "id")
        ident = (node.text or "").strip() if node is not None else ""
        if not ident.isdigit():
            log.warning("hikvision: a channel without a numeric id is left out")
            continue
        found.append(ProxyChannel(int(ident), text(item, "name") or f"Kênh {ident}"))
    return found


def proxy_online(body: bytes) -> dict[int, bool]:
    root = parse(body, "InputProxyChannelStatusList")
    status = {}
    for item in children(root, "InputProxyChannelStatus"):
        ident = text(item, "id")
        if ident.isdigit():
            status[int(ident)] = text(item, "online").lower() == "true"
    return status


# -- clock ----------------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class IsapiTime:
    mode: str  # NTP, manual …
    local_time: str
    zone: str


def device_time(body: bytes) -> IsapiTime:
    root = parse(body, "Time")
    local = text(root, "localTime")
    if not local:
        raise IsapiFormatError("no <localTime>")
    return IsapiTime(text(root, "timeMode"), local, text(root, "timeZone"))


# -- search ---------------------------------------------------------------------------------------------------------
def search_description(search_id: str, track: int, start: str, end: str, position: int, max_results: int) -> bytes:
    """A CMSearchDescription; `searchResultPostion` spelt as the recorders want it (they refuse the right one)."""
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n<CMSearchDescription>'
            f"<searchID>{escape(search_id)}</searchID>"
            f"<trackIDList><trackID>{track}</trackID></trackIDList>"
            f"<timeSpanList><timeSpan><startTime>{start}</startTime><endTime>{end}</endTime></timeSpan></timeSpanList>"
            f"<maxResults>{max_results}</maxResults><searchResultPostion>{position}</searchResultPostion>"
            f"<metadataList><metadataDescriptor>//recordType.meta.std-cgi.com</metadataDescriptor></metadataList>"
            f"</CMSearchDescription>").encode()


def download_request(playback_uri: str) -> bytes:
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n<downloadRequest version="1.0">'
            f"<playbackURI>{escape(playback_uri)}</playbackURI></downloadRequest>").encode()


def daily_request(year: int, month: int) -> bytes:
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n<trackDailyParam><year>{year}</year>'
            f"<monthOfYear>{month}</monthOfYear></trackDailyParam>").encode()


@dataclass(frozen=True)
class MatchItem:
    start_ms: int
    end_ms: int
    playback_uri: str
    name: str
    size_bytes: int | None


@dataclass(frozen=True)
class SearchPage:
    status: str  # OK, MORE, NO MATCHES (upper-cased)
    matches: int  # numOfMatches as said (None read as the items found)
    items: list[MatchItem]
    unreadable: int


def _uri_size(uri: str) -> int | None:
    value = dict(parse_qsl(urlsplit(uri).query)).get("size")
    return int(value) if value is not None and value.isdigit() else None


def match_item(item: ET.Element, timebase: DeviceTimebase) -> MatchItem:
    span = find(item, "timeSpan")
    if span is None:
        raise IsapiFormatError("no <timeSpan>")
    start, end = timebase.read_isapi(text(span, "startTime")), timebase.read_isapi(text(span, "endTime"))
    uri = text(item, "playbackURI")
    if not uri:
        raise IsapiFormatError("no <playbackURI>")
    if end <= start:
        raise IsapiFormatError("an empty or inverted timeSpan")
    return MatchItem(start, end, uri, text(item, "name"), _uri_size(uri))


def search_page(body: bytes, timebase: DeviceTimebase) -> SearchPage:
    root = parse(body, "CMSearchResult")
    items, unreadable = [], 0
    for node in children(root, "searchMatchItem"):
        try:
            items.append(match_item(node, timebase))
        except (IsapiFormatError, TimeTextError) as exc:
            unreadable += 1
            log.warning("hikvision: a search item that cannot be read is left out: %s", exc)
    count = text(root, "numOfMatches")
    return SearchPage(text(root, "responseStatusStrg").upper(), int(count) if count.isdigit() else len(items),
                      items, unreadable)


def recorded_days(body: bytes) -> frozenset[int]:
    root = parse(body, "trackDailyDistribution")
    days = set()
    for day in children(root, "day"):
        number = text(day, "dayOfMonth") or text(day, "id")
        if number.isdigit() and text(day, "record").lower() == "true":
            days.add(int(number))
    return frozenset(days)


# -- events ---------------------------------------------------------------------------------------------------------
def _notice(event_type: str, state: str, channel: str, port: str, when: str, posts: str) -> RecorderNotice:
    kind_text = event_type.strip()
    lowered = kind_text.lower()
    if lowered == "heartbeat" or (lowered == "videoloss" and state.lower() == "inactive" and posts in ("", "0")):
        return RecorderNotice(heartbeat=True, device_time=when)  # videoloss/inactive is the documented heartbeat
    kind = EVENT_KINDS.get(lowered)
    number = port if kind is CameraEventKind.ALARM_INPUT and port.isdigit() else channel
    return RecorderNotice(False, int(number) if number.isdigit() else 0, kind_text, kind,
                          {"active": True, "inactive": False}.get(state.strip().lower()), when)


def alert_notice(body: bytes, content_type: str) -> RecorderNotice:
    """One part of an alert stream: an EventNotificationAlert in XML (or, on newer firmware, JSON)."""
    if "json" in content_type:
        try:
            data = json.loads(body)
        except ValueError as exc:
            raise IsapiFormatError(f"JSON: {exc}") from None
        if not isinstance(data, dict):
            raise IsapiFormatError("an event that is not a JSON object")
        return _notice(str(data.get("eventType", "")), str(data.get("eventState", "")),
                       str(data.get("channelID", data.get("dynChannelID", ""))), str(data.get("inputIOPortID", "")),
                       str(data.get("dateTime", "")), str(data.get("activePostCount", "")))
    root = parse(body, "EventNotificationAlert")
    channel = text(root, "channelID") or text(root, "dynChannelID")
    return _notice(text(root, "eventType"), text(root, "eventState"), channel, text(root, "inputIOPortID"),
                   text(root, "dateTime"), text(root, "activePostCount"))
